//! Per-article extraction: what one article says, before any comparison
//! across sources. Entities, direct quotes with their speakers and cues,
//! numbers with units, dates.
//!
//! Works on one cleaned text at a time with byte offsets; [`to_record`]
//! converts to the code-point offsets of the JSON output.

pub mod cues;
pub mod dates;
pub mod entities;
pub mod gender;
pub mod numbers;
pub mod quotes;

use std::ops::Range;

use chorus_model::{Article, EntityMention, ExtractRecord, NumberMention, QuoteMention};
use chorus_text::CharIndex;

pub use entities::EntitySpan;
pub use numbers::NumberSpan;
pub use quotes::QuoteSpan;

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
pub fn extract(text: &str, published: Option<&str>) -> Extraction {
    let sentences = chorus_text::split_sentences(text);
    let (entities, numbers) = entities::find_entities_and_numbers(text, &sentences, published);
    let quotes = quotes::find_quotes(text, &sentences, &entities);
    Extraction { sentences, entities, quotes, numbers }
}

/// The direct quotes of a text with every speaker candidate the ranker
/// chose from, read exactly as [`extract`] reads them (for training the
/// ranker and inspecting its choices).
pub fn quote_candidates(text: &str, published: Option<&str>) -> Vec<quotes::QuoteCandidates> {
    let sentences = chorus_text::split_sentences(text);
    let (entities, _) = entities::find_entities_and_numbers(text, &sentences, published);
    quotes::speaker_candidates(text, &sentences, &entities)
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
                approximate: n.approximate,
                start: idx.char_offset(n.start),
                end: idx.char_offset(n.end),
            })
            .collect(),
    }
}
