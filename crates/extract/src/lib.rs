//! Per-article extraction: what one article says, before any comparison
//! across sources. Entities, direct quotes with their speakers and cues,
//! numbers with units, dates.
//!
//! Works on one cleaned text at a time with byte offsets; [`to_record`]
//! converts to the code-point offsets of the JSON output.

use std::ops::Range;

use chorus_model::{Article, EntityKind, EntityMention, ExtractRecord, NumberMention, QuoteMention};
use chorus_text::CharIndex;

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

/// A direct quote, by byte offsets of the quoted words (marks excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteSpan {
    pub start: usize,
    pub end: usize,
    pub speaker: Option<String>,
    pub cue: Option<String>,
}

/// A number with its unit, by byte offsets of the phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberSpan {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub unit: String,
    pub noun: Option<String>,
}

/// Everything extracted from one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub sentences: Vec<Range<usize>>,
    pub entities: Vec<EntitySpan>,
    pub quotes: Vec<QuoteSpan>,
    pub numbers: Vec<NumberSpan>,
}

/// Extracts from one cleaned article text. `published` (ISO date) anchors
/// relative dates ("on Sunday", "last week").
pub fn extract(text: &str, _published: Option<&str>) -> Extraction {
    Extraction { sentences: chorus_text::split_sentences(text), ..Default::default() }
}

/// The `chorus extract` record of an article and its extraction.
pub fn to_record(article: &Article, ex: &Extraction) -> ExtractRecord {
    let text = &article.text;
    let idx = CharIndex::new(text);
    ExtractRecord {
        id: article.id.clone(),
        path: article.path.clone(),
        url: article.url.clone(),
        source: article.source.clone(),
        title: article.title.clone(),
        author: article.author.clone(),
        published: article.published.clone(),
        language: article.language.clone(),
        text: text.clone(),
        sentences: ex.sentences.iter().map(|r| text[r.clone()].to_string()).collect(),
        entities: ex
            .entities
            .iter()
            .map(|e| EntityMention {
                text: text[e.start..e.end].to_string(),
                name: e.name.clone(),
                kind: e.kind.as_str().to_string(),
                title: e.title.clone(),
                start: idx.char_offset(e.start),
                end: idx.char_offset(e.end),
            })
            .collect(),
        quotes: ex
            .quotes
            .iter()
            .map(|q| QuoteMention {
                text: text[q.start..q.end].to_string(),
                speaker: q.speaker.clone(),
                cue: q.cue.clone(),
                start: idx.char_offset(q.start),
                end: idx.char_offset(q.end),
            })
            .collect(),
        numbers: ex
            .numbers
            .iter()
            .map(|n| NumberMention {
                text: text[n.start..n.end].to_string(),
                value: n.value,
                unit: n.unit.clone(),
                noun: n.noun.clone(),
                start: idx.char_offset(n.start),
                end: idx.char_offset(n.end),
            })
            .collect(),
    }
}
