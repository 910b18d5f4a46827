//! A report written story by story, for runs too large to hold every
//! analysed story in memory: the head (which needs only counts known after
//! clustering), each story as it is analysed, then the tail (furniture and
//! input errors). The pieces concatenate to exactly what [`crate::json`],
//! [`crate::markdown`] and [`crate::html`] make of the whole report.

use chorus_model::{InputError, Removed, Report, Story};

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// One story per line.
    Jsonl,
    Markdown,
    Html,
}

/// What the head of a report says: known once stories are formed, before
/// any is analysed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub stories: usize,
    pub articles: usize,
    pub errors: usize,
    /// The headline of the only story, when there is one story.
    pub only_headline: Option<String>,
}

impl Outline {
    pub fn of(report: &Report) -> Outline {
        Outline {
            stories: report.stories.len(),
            articles: report.stories.iter().map(|s| s.articles.len()).sum(),
            errors: report.errors.len(),
            only_headline: match report.stories.as_slice() {
                [s] => Some(s.headline.clone()),
                _ => None,
            },
        }
    }
}

/// Writes one report in pieces.
#[derive(Debug)]
pub struct Writer {
    format: Format,
    written: usize,
}

impl Writer {
    pub fn new(format: Format) -> Self {
        Writer { format, written: 0 }
    }

    pub fn head(&self, outline: &Outline) -> String {
        match self.format {
            Format::Json => "{\n  \"stories\": [".to_string(),
            Format::Jsonl => String::new(),
            Format::Markdown => crate::markdown::head(outline),
            Format::Html => crate::html::head(outline),
        }
    }

    /// The next story (numbered from 1 in the order given).
    pub fn story(&mut self, s: &Story) -> String {
        self.written += 1;
        match self.format {
            Format::Json => {
                // Written indented in one pass: the story of a big breaking
                // event renders to hundreds of megabytes, which a rendering
                // re-indented line by line would hold twice.
                let mut out = Indented(Vec::new());
                out.0.extend_from_slice(if self.written == 1 { b"\n    " } else { b",\n    " });
                serde_json::to_writer_pretty(&mut out, s).expect("stories always serialise");
                String::from_utf8(out.0).expect("serde_json writes UTF-8")
            }
            Format::Jsonl => serde_json::to_string(s).expect("stories always serialise") + "\n",
            Format::Markdown => crate::markdown::story(self.written, s),
            Format::Html => crate::html::story(self.written, s),
        }
    }

    pub fn tail(&self, removed: &[Removed], errors: &[InputError]) -> String {
        match self.format {
            Format::Json => {
                // The rest of the document is the whole report's without
                // stories, from its (empty) story list on.
                let rest =
                    crate::json(&Report { stories: Vec::new(), removed: removed.to_vec(), errors: errors.to_vec() });
                let after = rest.split_once("\"stories\": []").map_or("", |(_, r)| r).to_string();
                let close = if self.written > 0 { "\n  ]" } else { "]" };
                format!("{close}{after}\n")
            }
            Format::Jsonl => String::new(),
            Format::Markdown => crate::markdown::tail(removed, errors),
            Format::Html => crate::html::tail(removed, errors),
        }
    }
}

/// Writes pretty JSON four spaces further in: JSON strings escape their
/// newlines, so every newline byte serde_json writes starts a line.
struct Indented(Vec<u8>);

impl std::io::Write for Indented {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for part in buf.split_inclusive(|&b| b == b'\n') {
            self.0.extend_from_slice(part);
            if part.last() == Some(&b'\n') {
                self.0.extend_from_slice(b"    ");
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_model::ArticleEntry;

    fn report(stories: usize) -> Report {
        Report {
            stories: (0..stories)
                .map(|k| Story {
                    id: format!("s{k}"),
                    headline: format!("Headline \"{k}\"\nsecond line"),
                    articles: vec![ArticleEntry {
                        id: format!("a{k}"),
                        path: format!("in/{k}.txt"),
                        ..Default::default()
                    }],
                    notes: vec!["a note".into()],
                    ..Default::default()
                })
                .collect(),
            removed: vec![Removed { path: "in/0.txt".into(), lines: vec!["Follow us".into()] }],
            errors: vec![InputError { path: "bad.txt".into(), error: "cannot read".into() }],
        }
    }

    fn streamed(r: &Report, format: Format) -> String {
        let mut w = Writer::new(format);
        let mut out = w.head(&Outline::of(r));
        for s in &r.stories {
            out.push_str(&w.story(s));
        }
        out + &w.tail(&r.removed, &r.errors)
    }

    #[test]
    fn pieces_make_the_whole_report() {
        for n in [0, 1, 3] {
            let r = report(n);
            assert_eq!(streamed(&r, Format::Json), crate::json(&r) + "\n", "{n} stories");
            assert_eq!(streamed(&r, Format::Markdown), crate::markdown(&r), "{n} stories");
            assert_eq!(streamed(&r, Format::Html), crate::html(&r), "{n} stories");
            let lines = streamed(&r, Format::Jsonl);
            assert_eq!(lines.lines().count(), n);
        }
        let empty = Report::default();
        assert_eq!(streamed(&empty, Format::Json), crate::json(&empty) + "\n");
    }
}
