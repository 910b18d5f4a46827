//! Article texts kept out of memory, and articles taken in as they are
//! read.
//!
//! A report or a clustering of a million articles cannot hold every text:
//! stories are analysed biggest first, not in the order the articles came,
//! so each text waits for its story's turn. [`Spool`] takes articles one at
//! a time as a reader hands them over, cleans them in parallel batches
//! exactly as [`crate::prepare`] cleans a whole set, and past
//! [`crate::SPILL_BYTES`] of text writes each text to an unnamed temporary
//! file ([`Spill`]) as soon as it is cleaned; what stays in memory is each
//! article's metadata and what template detection needs of it (the keys of
//! its short lines). The whole input is never held.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use chorus_clean::repeats::{self, Lines};
use chorus_model::{Article, Removed};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Article texts written out to a temporary file.
pub(crate) struct Spill {
    file: Mutex<File>,
    /// Offset and length of each article's text in `file`.
    at: Vec<(u64, usize)>,
    /// A write failed: no text is trusted back (its story's analysis says
    /// so, rather than read the wrong bytes).
    broken: Option<String>,
}

impl Spill {
    /// Writes the texts out and empties them, when they are large enough
    /// and a temporary file can be written; otherwise leaves them be.
    pub(crate) fn out(articles: &mut [Article], limit: usize) -> Option<Spill> {
        let total: usize = articles.iter().map(|a| a.text.len()).sum();
        if total <= limit {
            return None;
        }
        let mut w = SpillWriter::new().ok()?;
        for a in articles.iter() {
            w.push(&a.text).ok()?;
        }
        let spill = w.finish();
        if spill.broken.is_some() {
            return None;
        }
        for a in articles.iter_mut() {
            a.text = String::new();
        }
        Some(spill)
    }

    /// The length in bytes of article `i`'s text.
    pub(crate) fn len(&self, i: usize) -> usize {
        self.at[i].1
    }

    /// Reads the text of article `i` back.
    pub(crate) fn read(&self, i: usize) -> std::io::Result<String> {
        if let Some(e) = &self.broken {
            return Err(std::io::Error::other(format!("writing the temporary file failed: {e}")));
        }
        let (pos, len) = self.at[i];
        let mut buf = vec![0u8; len];
        // One reader at a time: the file's cursor is shared.
        let mut f = self.file.lock().unwrap_or_else(|p| p.into_inner());
        f.seek(SeekFrom::Start(pos))?;
        f.read_exact(&mut buf)?;
        String::from_utf8(buf).map_err(std::io::Error::other)
    }

    /// Reads the texts of `members` back into their articles.
    pub(crate) fn load(&self, members: &[usize], articles: &mut [Article]) -> std::io::Result<()> {
        for &i in members {
            articles[i].text = self.read(i)?;
        }
        Ok(())
    }

    /// Writes `text` at the end of the file as article `i`'s new text.
    fn replace(&mut self, i: usize, text: &str) -> std::io::Result<()> {
        let f = self.file.get_mut().unwrap_or_else(|p| p.into_inner());
        let pos = f.seek(SeekFrom::End(0))?;
        f.write_all(text.as_bytes())?;
        self.at[i] = (pos, text.len());
        Ok(())
    }

    /// Keeps the articles `keep` says to keep, in order.
    fn retain(&mut self, keep: &[bool]) {
        let mut k = keep.iter();
        self.at.retain(|_| *k.next().unwrap_or(&true));
    }
}

/// Writes texts one after another into a new temporary file.
struct SpillWriter {
    w: BufWriter<File>,
    pos: u64,
    at: Vec<(u64, usize)>,
}

impl SpillWriter {
    fn new() -> std::io::Result<SpillWriter> {
        Ok(SpillWriter { w: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?), pos: 0, at: Vec::new() })
    }

    fn push(&mut self, text: &str) -> std::io::Result<()> {
        // The offset is recorded whether or not the write succeeds, so that
        // positions stay aligned with articles; a failed write breaks the
        // whole spill (see `Spill::broken`).
        self.at.push((self.pos, text.len()));
        self.pos += text.len() as u64;
        self.w.write_all(text.as_bytes())
    }

    /// The spill written; broken when the last writes failed.
    fn finish(self) -> Spill {
        let (file, broken) = match self.w.into_inner() {
            Ok(f) => (f, None),
            Err(e) => {
                let (e, w) = e.into_parts();
                (w.into_parts().0, Some(e.to_string()))
            }
        };
        Spill { file: Mutex::new(file), at: self.at, broken }
    }
}

/// Articles read, cleaned and ready to be grouped ([`crate::report_spooled`],
/// [`crate::cluster_spooled`]); their texts are in memory, or in `spill`
/// when they were too many.
pub struct Spooled {
    pub(crate) articles: Vec<Article>,
    pub(crate) spill: Option<Spill>,
    /// What cleaning dropped, per input.
    pub removed: Vec<Removed>,
}

impl Spooled {
    /// How many articles are left after cleaning.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Whether the texts went to a temporary file.
    pub fn spilled(&self) -> bool {
        self.spill.is_some()
    }
}

/// Articles cleaned in one parallel batch: both cores busy, a few
/// megabytes of text in flight.
const BATCH: usize = 2048;

/// Takes articles in as they are read (see the module's documentation).
/// [`Spool::finish`] gives what [`crate::prepare`] gives for the same
/// articles: the same cleaned texts, languages, dropped lines and articles
/// left.
pub struct Spool {
    limit: usize,
    /// Read, not yet cleaned.
    pending: Vec<Article>,
    /// Cleaned by the line rules (texts empty once spilled).
    articles: Vec<Article>,
    /// Bytes of text held in `articles`.
    held: usize,
    writer: Option<SpillWriter>,
    broken: Option<String>,
    /// Per article: its language was detected here (none was given), so a
    /// text changed by template removal is labelled again.
    detected: Vec<bool>,
    /// Per article: no text is left.
    blank: Vec<bool>,
    /// Lines dropped by the line rules, by article.
    dropped: FxHashMap<usize, Vec<String>>,
    /// Outlet → its articles and their short lines, for template detection.
    outlets: FxHashMap<String, u32>,
    lines: Vec<Vec<(u32, Lines)>>,
}

impl Spool {
    /// A spool that keeps texts in memory up to `limit` bytes of text
    /// ([`crate::SPILL_BYTES`] for a run), and past it in a temporary file.
    pub fn new(limit: usize) -> Spool {
        Spool {
            limit,
            pending: Vec::new(),
            articles: Vec::new(),
            held: 0,
            writer: None,
            broken: None,
            detected: Vec::new(),
            blank: Vec::new(),
            dropped: FxHashMap::default(),
            outlets: FxHashMap::default(),
            lines: Vec::new(),
        }
    }

    /// Takes the next article in.
    pub fn push(&mut self, article: Article) {
        self.pending.push(article);
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    /// How many articles were taken in.
    pub fn len(&self) -> usize {
        self.articles.len() + self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cleans the pending batch by the line rules, labels languages, notes
    /// short lines, and moves the texts out when past the limit.
    fn flush(&mut self) {
        let batch = std::mem::take(&mut self.pending);
        let done: Vec<(Article, Vec<String>, Option<Lines>, bool)> = batch
            .into_par_iter()
            .map(|mut a| {
                let (kept, removed) = chorus_clean::clean_text(&a.text);
                a.text = kept;
                let lines = (a.source.is_some() || a.url.is_some()).then(|| Lines::of(&a.text));
                let detect = a.language.is_none();
                if detect {
                    a.language = crate::language::detect(&a.text);
                }
                (a, removed, lines, detect)
            })
            .collect();
        for (mut a, removed, lines, detect) in done {
            let i = self.articles.len();
            if !removed.is_empty() {
                self.dropped.insert(i, removed);
            }
            if let Some(lines) = lines {
                let next = self.outlets.len() as u32;
                let o = *self.outlets.entry(a.outlet()).or_insert(next);
                if o as usize == self.lines.len() {
                    self.lines.push(Vec::new());
                }
                self.lines[o as usize].push((i as u32, lines));
            }
            self.detected.push(detect);
            self.blank.push(a.text.trim().is_empty());
            match &mut self.writer {
                Some(w) => {
                    if let Err(e) = w.push(&a.text) {
                        self.broken.get_or_insert(e.to_string());
                    }
                    a.text = String::new();
                }
                None => self.held += a.text.len(),
            }
            self.articles.push(a);
        }
        if self.writer.is_none() && self.held > self.limit {
            self.spill_held();
        }
    }

    /// Moves every text held so far to a new temporary file; later texts go
    /// there as they are cleaned. Without a temporary file, texts stay in
    /// memory.
    fn spill_held(&mut self) {
        let Ok(mut w) = SpillWriter::new() else {
            self.limit = usize::MAX;
            return;
        };
        for a in &mut self.articles {
            if let Err(e) = w.push(&a.text) {
                self.broken.get_or_insert(e.to_string());
            }
            a.text = String::new();
        }
        self.held = 0;
        self.writer = Some(w);
    }

    /// Finishes cleaning: lines that are a source's template are dropped
    /// (they can only be told once every article of the source is in),
    /// languages of texts that changed are labelled again, and articles
    /// left with neither text nor title are dropped, their lines listed
    /// under `removed`, as [`crate::prepare`] does.
    pub fn finish(mut self) -> Spooled {
        self.flush();
        let mut spill = self.writer.take().map(|w| {
            let mut s = w.finish();
            if let Some(e) = self.broken.take() {
                s.broken = Some(e);
            }
            s
        });
        // Template lines, source by source.
        let mut templates: Vec<(usize, rustc_hash::FxHashSet<u64>)> = Vec::new();
        for members in std::mem::take(&mut self.lines) {
            let refs: Vec<&Lines> = members.iter().map(|(_, l)| l).collect();
            for (m, keys) in repeats::repeated_in(&refs) {
                templates.push((members[m].0 as usize, keys));
            }
        }
        templates.sort_unstable_by_key(|t| t.0);
        for chunk in templates.chunks(BATCH) {
            let texts: Vec<String> = chunk
                .iter()
                .map(|(i, _)| match &spill {
                    Some(sp) => sp.read(*i).unwrap_or_default(),
                    None => std::mem::take(&mut self.articles[*i].text),
                })
                .collect();
            let detected = &self.detected;
            let done: Vec<(String, Vec<String>, Option<Option<String>>)> = chunk
                .par_iter()
                .zip(texts)
                .map(|((i, keys), text)| {
                    let mut kept = String::with_capacity(text.len());
                    let mut removed = Vec::new();
                    for line in text.lines() {
                        if keys.contains(&repeats::line_key(line)) {
                            removed.push(line.trim().to_string());
                        } else {
                            kept.push_str(line);
                            kept.push('\n');
                        }
                    }
                    let kept = kept.trim_end().to_string();
                    let language = detected[*i].then(|| crate::language::detect(&kept));
                    (kept, removed, language)
                })
                .collect();
            for ((i, _), (text, removed, language)) in chunk.iter().zip(done) {
                let i = *i;
                self.dropped.entry(i).or_default().extend(removed);
                if let Some(l) = language {
                    self.articles[i].language = l;
                }
                self.blank[i] = text.trim().is_empty();
                match &mut spill {
                    Some(sp) if sp.broken.is_none() => {
                        if let Err(e) = sp.replace(i, &text) {
                            sp.broken = Some(e.to_string());
                        }
                    }
                    Some(_) => {}
                    None => self.articles[i].text = text,
                }
            }
        }
        let mut dropped: Vec<(usize, Vec<String>)> = self.dropped.into_iter().collect();
        dropped.sort_unstable_by_key(|d| d.0);
        let mut removed: Vec<Removed> =
            dropped.into_iter().map(|(i, lines)| Removed { path: self.articles[i].path.clone(), lines }).collect();
        Removed::in_path_order(&mut removed);
        let keep: Vec<bool> =
            self.blank.iter().zip(&self.articles).map(|(&blank, a)| !blank || a.title.is_some()).collect();
        if keep.contains(&false) {
            let mut k = keep.iter();
            self.articles.retain(|_| *k.next().unwrap_or(&true));
            if let Some(sp) = &mut spill {
                sp.retain(&keep);
            }
        }
        Spooled { articles: self.articles, spill, removed }
    }
}
