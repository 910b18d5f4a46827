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
    fn absorb(&mut self, events: Vec<Event>) {
        for e in events {
            match e {
                Event::Article(a) => self.articles.push(a),
                Event::Error(err) => self.errors.push(err),
                Event::Skipped(kind) => {
                    if let Some(slot) = self.skipped.iter_mut().find(|(k, _)| *k == kind) {
                        slot.1 += 1;
                    } else {
                        self.skipped.push((kind, 1));
                    }
                }
            }
        }
    }
}

/// Reads every input: files, directories (recursively, in sorted order) and
/// `-` for stdin. Files are read in parallel; the result keeps input order, so
/// that runs are deterministic. `progress` is called once per file read.
pub fn read_inputs(inputs: &[String], progress: &(dyn Fn(&str) + Sync)) -> Ingested {
    let mut out = Ingested::default();
    let mut files = Vec::new();
    for input in inputs {
        match walk::expand(input) {
            Ok(found) => files.extend(found),
            Err(e) => out.errors.push(e),
        }
    }
    let mut stdin_events = Vec::new();
    if files.iter().any(|f| f == "-") {
        let stdin = std::io::stdin();
        stdin_events = read_stream("-", None, &mut stdin.lock());
    }
    let results: Vec<Vec<Event>> = files
        .par_iter()
        .map(|f| {
            let ev = if f == "-" { Vec::new() } else { read_file(f) };
            progress(f);
            ev
        })
        .collect();
    let mut stdin_events = Some(stdin_events);
    for (f, ev) in files.iter().zip(results) {
        if f == "-" {
            out.absorb(stdin_events.take().unwrap_or_default());
        } else {
            out.absorb(ev);
        }
    }
    out
}

/// Reads one file by its name and contents; never fails, never panics:
/// problems come back as [`Event::Error`]s.
pub fn read_file(path: &str) -> Vec<Event> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return vec![Event::Error(IngestError::Io(e).at(path))],
    };
    match file.metadata() {
        Ok(m) if m.is_dir() => {
            return vec![Event::Error(IngestError::Format("is a directory".into()).at(path))];
        }
        // Only a regular file's size says it is empty: a pipe (`<(cmd)`)
        // reports 0 and still has data.
        Ok(m) if m.is_file() && m.len() == 0 => return vec![Event::Error(IngestError::Empty.at(path))],
        _ => {}
    }
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    read_stream(path, Some(Path::new(path)), &mut reader)
}

/// Reads one stream (a file or stdin) named `name`.
pub fn read_stream(name: &str, path: Option<&Path>, input: &mut dyn BufRead) -> Vec<Event> {
    let head = match input.fill_buf() {
        Ok(h) => h.to_vec(),
        Err(e) => return vec![Event::Error(IngestError::Io(e).at(name))],
    };
    if head.is_empty() {
        return vec![Event::Error(IngestError::Empty.at(name))];
    }
    let format = Format::detect(path, &head);
    let mut events = Vec::new();
    formats::reader(format).read(name, input, &mut |e| events.push(e));
    events
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
