//! Direct quotes of one article, with speaker and cue.

use std::ops::Range;

use crate::EntitySpan;

/// A direct quote, by byte offsets of the quoted words (marks excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteSpan {
    pub start: usize,
    pub end: usize,
    pub speaker: Option<String>,
    pub cue: Option<String>,
}

/// The direct quotes of a text, in order.
pub fn find_quotes(_text: &str, _sentences: &[Range<usize>], _entities: &[EntitySpan]) -> Vec<QuoteSpan> {
    Vec::new()
}
