//! Named entities of one article: people, organisations, places.

use std::ops::Range;

use chorus_model::EntityKind;

/// A named entity mention, by byte offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    /// Fullest name this article gives the entity.
    pub name: String,
    pub kind: EntityKind,
    /// Title or role written next to it.
    pub title: Option<String>,
}

/// The entity mentions of a text, in order.
pub fn find_entities(_text: &str, _sentences: &[Range<usize>]) -> Vec<EntitySpan> {
    Vec::new()
}
