//! What `chorus extract` prints per article: its cleaned text and the
//! per-article extraction (entities, quotes, numbers).
//!
//! Offsets (`start`, `end`) count Unicode code points in the record's `text`,
//! end exclusive, as PRODUCT.md fixes them, so that tools in any language can
//! slice the text without knowing Rust's UTF-8 byte offsets.

use serde::{Deserialize, Serialize};

/// One article's extraction, the line `chorus extract --format jsonl` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ExtractRecord {
    pub id: String,
    pub path: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    /// Cleaned body text (furniture removed).
    pub text: String,
    pub sentences: Vec<String>,
    pub entities: Vec<EntityMention>,
    pub quotes: Vec<QuoteMention>,
    pub numbers: Vec<NumberMention>,
}

/// A named entity as one article mentions it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    /// The surface form as written.
    pub text: String,
    /// The fullest name this article gives it (after in-article alias merging).
    pub name: String,
    /// `person`, `organization`, `place` or `other`.
    pub kind: String,
    /// Title or role written next to it ("Defense Secretary"), if any.
    pub title: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// A direct quote with its speaker and cue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteMention {
    /// The quoted words, without the quotation marks.
    pub text: String,
    /// The speaker's name as resolved (pronouns resolved), or null.
    pub speaker: Option<String>,
    /// The cue verb ("said", "told", ":" for a colon introduction), or null.
    pub cue: Option<String>,
    /// Code-point offsets of the quoted words in the record's `text`.
    pub start: usize,
    pub end: usize,
}

/// A number with its unit, as written in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberMention {
    /// The phrase as written ("$500 billion", "ten generations").
    pub text: String,
    /// The value with scale applied (500000000000).
    pub value: f64,
    /// `USD`, `EUR`, `%`, `date`, or the counted noun's stem ("drone").
    pub unit: String,
    /// What the number counts or measures, as written ("Russian drones").
    pub noun: Option<String>,
    /// An order of magnitude or a hedged figure ("hundreds of billions",
    /// "about 300", "last week"): `value` is then its lower bound.
    #[serde(default)]
    pub approximate: bool,
    pub start: usize,
    pub end: usize,
}
