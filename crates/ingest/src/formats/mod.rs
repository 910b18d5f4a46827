//! Input formats and the readers for them.
//!
//! Each format has one [`Reader`]; this is one of the few traits in chorus,
//! because there really are several implementations and the caller picks one
//! at run time from the file's name and first bytes ([`Format::detect`]).

pub mod feed;
pub mod html;
pub mod jsonl;
pub mod text;
pub mod warc;

use std::io::BufRead;
use std::path::Path;

use chorus_model::{Article, InputError};

/// What a reader produces, one event at a time, so that a multi-article file
/// is streamed rather than held whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Article(Article),
    /// A part of the input (or all of it) that could not be read.
    Error(InputError),
    /// A record skipped on purpose, by kind (`"warc:request"`), counted so
    /// that nothing is dropped silently.
    Skipped(String),
}

/// Reads one input of one format.
pub trait Reader: Sync {
    /// Reads `input`, named `name` in paths and errors, calling `emit` for
    /// every article, error and skip. Must not panic on any input.
    fn read(&self, name: &str, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Jsonl,
    Html,
    Feed,
    Warc,
}

impl Format {
    /// Picks the format from the file extension, then from the first bytes
    /// (so stdin and unnamed files work too).
    pub fn detect(path: Option<&Path>, head: &[u8]) -> Format {
        if let Some(name) = path.and_then(|p| p.file_name()).map(|n| n.to_string_lossy().to_lowercase()) {
            let by_ext = if name.ends_with(".warc") || name.ends_with(".warc.gz") || name.ends_with(".arc.gz") {
                Some(Format::Warc)
            } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
                Some(Format::Jsonl)
            } else if name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xhtml") {
                Some(Format::Html)
            } else if name.ends_with(".rss") || name.ends_with(".atom") || name.ends_with(".rdf") {
                Some(Format::Feed)
            } else if name.ends_with(".txt") || name.ends_with(".text") || name.ends_with(".md") {
                Some(Format::Text)
            } else {
                None
            };
            if let Some(f) = by_ext {
                return f;
            }
        }
        Format::sniff(head)
    }

    /// Guesses the format from the first bytes of an input.
    pub fn sniff(head: &[u8]) -> Format {
        if head.starts_with(b"WARC/") || head.starts_with(&[0x1f, 0x8b]) {
            return Format::Warc;
        }
        let text = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_lowercase();
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with('{') {
            return Format::Jsonl;
        }
        if trimmed.starts_with('<') {
            let feedish = trimmed.contains("<rss") || trimmed.contains("<feed") || trimmed.contains("<rdf:rdf");
            if feedish && !trimmed.contains("<html") {
                return Format::Feed;
            }
            if trimmed.contains("<html")
                || trimmed.contains("<!doctype html")
                || trimmed.contains("<body")
                || trimmed.contains("<head")
            {
                return Format::Html;
            }
            if feedish || trimmed.starts_with("<?xml") {
                return Format::Feed;
            }
            return Format::Html;
        }
        Format::Text
    }
}

/// The reader for a format.
pub fn reader(format: Format) -> &'static dyn Reader {
    match format {
        Format::Text => &text::TextReader,
        Format::Jsonl => &jsonl::JsonlReader,
        Format::Html => &html::HtmlReader,
        Format::Feed => &feed::FeedReader,
        Format::Warc => &warc::WarcReader,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_extension_then_content() {
        assert_eq!(Format::detect(Some(Path::new("a/b.jsonl")), b"x"), Format::Jsonl);
        assert_eq!(Format::detect(Some(Path::new("x.warc.gz")), b""), Format::Warc);
        assert_eq!(Format::detect(None, b"<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(Format::detect(None, b"<?xml version='1.0'?><rss>"), Format::Feed);
        assert_eq!(Format::detect(None, b"{\"title\": 1}"), Format::Jsonl);
        assert_eq!(Format::detect(Some(Path::new("story")), b"Plain words."), Format::Text);
        assert_eq!(Format::detect(None, b"WARC/1.0\r\n"), Format::Warc);
    }
}
