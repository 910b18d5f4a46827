//! Reading input: files, directories and stdin in every supported format,
//! turned into [`Article`]s.
//!
//! A file is read by the [`formats::Reader`] its name or first bytes call for.
//! Readers never panic and never stop a run: whatever cannot be read becomes an
//! [`InputError`] naming the input (and the line or record inside it), and
//! reading goes on with the next article and the next input.
//!
//! This crate decodes bytes and parses formats; it does not clean, split or
//! analyse text.

pub mod date;
pub mod decode;
pub mod formats;
pub mod walk;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use rayon::prelude::*;

pub use chorus_model::{Article, InputError};
pub use formats::{Event, Format};

/// Largest single-article file (plain text or HTML) read whole. Real articles
/// are well under 1 MiB and saved pages rarely pass 10 MiB; past this, a file
/// is almost surely not one article, and reading it whole would cost memory
/// for nothing. Multi-article formats (JSON Lines, WARC) are streamed instead.
pub const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest single JSON Lines line or WARC record payload accepted.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// Most bytes of text one article may hold, after reading and
/// normalisation. The longest news features run to about 200 KB of text and
/// live blogs to a few hundred; 1 MiB of text is a book, a log or a file of
/// many articles. Refusing it keeps every later stage (extraction, analysis,
/// whose per-article passes are not all linear) within a bounded cost per
/// article, whatever a file holds.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// An article's text as every reader hands it on: normalised
/// ([`chorus_text::normalize`]), not empty, within [`MAX_TEXT_BYTES`].
pub fn article_text(raw: &str) -> Result<String, IngestError> {
    let text = chorus_text::normalize(raw);
    if text.trim().is_empty() {
        return Err(IngestError::NoText);
    }
    check_text_size(&text)?;
    Ok(text)
}

/// Refuses text over [`MAX_TEXT_BYTES`].
pub fn check_text_size(text: &str) -> Result<(), IngestError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(IngestError::TextTooLong { size: text.len(), limit: MAX_TEXT_BYTES });
    }
    Ok(())
}

/// The error type of this crate: what went wrong with one input.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty input")]
    Empty,
    #[error("binary data, not text (a NUL byte at offset {0})")]
    Binary(usize),
    #[error(
        "{size} bytes is over the {limit}-byte limit for one article; split it, or use JSON Lines or WARC, which are streamed"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("cannot decode text: {0}")]
    Decode(String),
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("{0}")]
    Format(String),
    #[error("no article text found")]
    NoText,
    #[error("more than {limit} HTML tags: page markup too large to be one article")]
    TooManyElements { limit: usize },
    #[error("HTML nested more than {limit} elements deep: generated markup, not an article page")]
    TooDeep { limit: usize },
    #[error(
        "{size} bytes of article text is over the {limit}-byte limit for one article (a book, a log or many articles in one file); split it, or use JSON Lines"
    )]
    TextTooLong { size: usize, limit: usize },
    #[error("an id of {size} bytes is over the {limit}-byte limit")]
    IdTooLong { size: usize, limit: usize },
}

impl IngestError {
    pub fn at(self, path: impl Into<String>) -> InputError {
        InputError { path: path.into(), error: self.to_string() }
    }
}

/// Everything read from a set of inputs, in input order.
#[derive(Debug, Default)]
pub struct Ingested {
    pub articles: Vec<Article>,
    pub errors: Vec<InputError>,
    /// Records skipped on purpose (a WARC `request` record, say), counted by
    /// kind, so that a skip is never silent.
    pub skipped: Vec<(String, usize)>,
}

impl Ingested {
    /// Takes one event of a reader in.
    pub fn absorb(&mut self, e: Event) {
        match e {
            Event::Article(a) => self.articles.push(a),
            Event::Error(err) => self.errors.push(err),
            Event::Skipped(kind) => count_skip(&mut self.skipped, kind),
        }
    }
}

/// Counts one skipped record of `kind` in `skipped` (kinds in the order
/// first seen).
pub fn count_skip(skipped: &mut Vec<(String, usize)>, kind: String) {
    if let Some(slot) = skipped.iter_mut().find(|(k, _)| *k == kind) {
        slot.1 += 1;
    } else {
        skipped.push((kind, 1));
    }
}

/// Reads every input: files, directories (recursively, in sorted order) and
/// `-` for stdin. Files are read in parallel; the result keeps input order, so
/// that runs are deterministic. `progress` is called once per file read.
pub fn read_inputs(inputs: &[String], progress: &(dyn Fn(&str) + Sync)) -> Ingested {
    let mut out = Ingested::default();
    read_inputs_each(inputs, progress, &mut |e| out.absorb(e));
    out
}

/// Files up to this size are read several at a time in parallel, each
/// one's articles held until the files before it are handed on; a larger
/// file (JSON Lines or WARC of many articles) is read alone and each of its
/// articles handed on as it is read, so that memory never holds a large
/// input whole. News pages and feeds are well under it.
pub const PARALLEL_FILE_BYTES: u64 = 8 << 20;

/// A parallel batch of small files holds at most this many bytes of input
/// (and at most [`PARALLEL_FILES`] files): enough to keep every core busy
/// on pages, a bounded part of memory.
pub const PARALLEL_BATCH_BYTES: u64 = 64 << 20;

/// Most files in one parallel batch.
pub const PARALLEL_FILES: usize = 256;

/// [`read_inputs`] as a stream: `emit` gets every article, error and skip in
/// input order, as soon as it and everything before it is read. Small files
/// are read in parallel batches; a large one (see [`PARALLEL_FILE_BYTES`])
/// and stdin are read article by article.
pub fn read_inputs_each(inputs: &[String], progress: &(dyn Fn(&str) + Sync), emit: &mut dyn FnMut(Event)) {
    let mut files = Vec::new();
    for input in inputs {
        match walk::expand(input) {
            Ok(found) => files.extend(found),
            Err(e) => emit(Event::Error(e)),
        }
    }
    // Stdin and pipes count as large: their size is unknown.
    let size = |f: &str| match std::fs::metadata(f) {
        Ok(m) if f != "-" && m.is_file() => m.len(),
        Ok(m) if f != "-" && m.is_dir() => 0,
        Err(_) if f != "-" => 0,
        _ => u64::MAX,
    };
    let mut next = 0;
    while next < files.len() {
        let first = size(&files[next]);
        if first > PARALLEL_FILE_BYTES {
            let f = &files[next];
            if f == "-" {
                let stdin = std::io::stdin();
                read_stream_each("-", None, &mut stdin.lock(), emit);
            } else {
                read_file_each(f, emit);
            }
            progress(f);
            next += 1;
            continue;
        }
        let mut end = next + 1;
        let mut bytes = first;
        while end < files.len() && end - next < PARALLEL_FILES {
            let s = size(&files[end]);
            if s > PARALLEL_FILE_BYTES || bytes + s > PARALLEL_BATCH_BYTES {
                break;
            }
            bytes += s;
            end += 1;
        }
        let results: Vec<Vec<Event>> = files[next..end]
            .par_iter()
            .map(|f| {
                let ev = read_file(f);
                progress(f);
                ev
            })
            .collect();
        for e in results.into_iter().flatten() {
            emit(e);
        }
        next = end;
    }
}

/// Reads one file by its name and contents; never fails, never panics:
/// problems come back as [`Event::Error`]s.
pub fn read_file(path: &str) -> Vec<Event> {
    let mut events = Vec::new();
    read_file_each(path, &mut |e| events.push(e));
    events
}

/// [`read_file`], handing each event on as it is read.
pub fn read_file_each(path: &str, emit: &mut dyn FnMut(Event)) {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return emit(Event::Error(IngestError::Io(e).at(path))),
    };
    match file.metadata() {
        Ok(m) if m.is_dir() => {
            return emit(Event::Error(IngestError::Format("is a directory".into()).at(path)));
        }
        // Only a regular file's size says it is empty: a pipe (`<(cmd)`)
        // reports 0 and still has data.
        Ok(m) if m.is_file() && m.len() == 0 => return emit(Event::Error(IngestError::Empty.at(path))),
        _ => {}
    }
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    read_stream_each(path, Some(Path::new(path)), &mut reader, emit)
}

/// Reads one stream (a file or stdin) named `name`.
pub fn read_stream(name: &str, path: Option<&Path>, input: &mut dyn BufRead) -> Vec<Event> {
    let mut events = Vec::new();
    read_stream_each(name, path, input, &mut |e| events.push(e));
    events
}

/// [`read_stream`], handing each event on as it is read.
pub fn read_stream_each(name: &str, path: Option<&Path>, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
    let head = match input.fill_buf() {
        Ok(h) => h.to_vec(),
        Err(e) => return emit(Event::Error(IngestError::Io(e).at(name))),
    };
    if head.is_empty() {
        return emit(Event::Error(IngestError::Empty.at(name)));
    }
    let format = Format::detect(path, &head);
    formats::reader(format).read(name, input, emit);
}

/// Reads a whole single-article input into memory, refusing one over
/// [`MAX_ARTICLE_BYTES`].
pub fn read_limited(input: &mut dyn Read) -> Result<Vec<u8>, IngestError> {
    let mut buf = Vec::new();
    input.take(MAX_ARTICLE_BYTES + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_ARTICLE_BYTES {
        // Count the rest without keeping it, so the message can give the size.
        let rest = std::io::copy(input, &mut std::io::sink()).unwrap_or(0);
        return Err(IngestError::TooLarge { size: buf.len() as u64 + rest, limit: MAX_ARTICLE_BYTES });
    }
    Ok(buf)
}
