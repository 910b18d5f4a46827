//! Numbers with their units: money, counts, percentages, dates.

use std::ops::Range;

/// A number with its unit, by byte offsets of the phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberSpan {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub unit: String,
    pub noun: Option<String>,
}

/// The numbers of a text, in order. `published` anchors relative dates.
pub fn find_numbers(_text: &str, _sentences: &[Range<usize>], _published: Option<&str>) -> Vec<NumberSpan> {
    Vec::new()
}
