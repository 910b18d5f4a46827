//! The JSON contract of `chorus report --format json` (PRODUCT.md).
//!
//! Field names are fixed by the contract; fields may be added, never renamed.
//! Every field is always serialised (as `null` or `[]` when empty) so that
//! consumers can rely on its presence.

use serde::{Deserialize, Serialize};

/// The whole output of `chorus report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Report {
    pub stories: Vec<Story>,
    /// Furniture lines dropped by cleaning, per input.
    pub removed: Vec<Removed>,
    /// Inputs (or parts of inputs) that could not be read.
    pub errors: Vec<InputError>,
}

/// One story: the articles that report one event, and their analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Story {
    /// The id of the article that opened the story.
    pub id: String,
    pub headline: String,
    pub articles: Vec<ArticleEntry>,
    /// Number of distinct outlets.
    #[serde(default)]
    pub source_count: usize,
    /// Number of independent articles (not copies, not derived).
    #[serde(default)]
    pub independent_count: usize,
    pub summary: Vec<SummarySentence>,
    pub facts: Vec<Fact>,
    pub quotes: Vec<Quote>,
    pub entities: Vec<Entity>,
    pub numbers: Vec<NumberEntry>,
    pub conflicts: Vec<Conflict>,
    pub framing: Vec<Framing>,
    /// Notes on stages that did not run or ran degraded (e.g. English-only
    /// stages on a non-English story), so that silence is never mistaken for
    /// absence.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Values of one fact that changed between reports made at clearly
    /// different times (a rising count, a revised estimate), in time order.
    #[serde(default)]
    pub updates: Vec<Update>,
    /// The story's events in the order they were reported, each with the
    /// articles that first reported it.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// What is new or changed since a time the reader gave
    /// (`/api/stories/{id}?since=TIME`); `null` otherwise.
    #[serde(default)]
    pub since: Option<Since>,
}

/// One input article as it appears in a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ArticleEntry {
    pub id: String,
    pub path: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    /// Id of the article this one is an exact or near copy of.
    pub duplicate_of: Option<String>,
    /// Ids of articles this one reuses most of (syndication).
    pub derived_from: Vec<String>,
    /// How many copies of this article were found.
    #[serde(default)]
    pub copies: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SummarySentence {
    pub text: String,
    /// Ids of the articles that support it.
    pub articles: Vec<String>,
}

/// A statement reported by one or more articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Fact {
    pub id: String,
    /// The representative statement.
    pub text: String,
    /// Supporting articles (independent ones first).
    pub articles: Vec<String>,
    pub mentions: Vec<Mention>,
    /// When the fact was first reported, and by which articles.
    #[serde(default)]
    pub first_reported: Option<FirstReported>,
}

/// The earliest report of a fact: its time (ISO 8601; `null` when none of
/// its articles has a known time) and the articles that gave it then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FirstReported {
    pub time: Option<String>,
    pub articles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Mention {
    pub article: String,
    /// The sentence as written.
    pub text: String,
}

/// One utterance and every outlet's wording of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Quote {
    pub speaker: Option<String>,
    pub variants: Vec<QuoteVariant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct QuoteVariant {
    pub article: String,
    pub text: String,
    pub cue: Option<String>,
    /// When this article leaves the quote unattributed and another names
    /// the speaker, the id of the article whose attribution the quote's
    /// `speaker` comes from; null when the article names the speaker itself
    /// (or no article does).
    #[serde(default)]
    pub speaker_from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    #[default]
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Entity {
    /// Canonical name.
    pub name: String,
    pub kind: EntityKind,
    /// Every surface form seen.
    pub aliases: Vec<String>,
    pub articles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NumberEntry {
    pub value: f64,
    pub unit: String,
    /// A representative surface form.
    pub text: String,
    pub articles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ConflictKind {
    Number,
    Title,
    Role,
    Attribution,
    Date,
    Quote,
    #[default]
    Other,
}

/// The same slot filled differently by different articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub subject: String,
    pub positions: Vec<Position>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Position {
    pub value: String,
    pub articles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum UpdateKind {
    Number,
    Title,
    Role,
    Date,
    #[default]
    Other,
}

/// One slot of a fact whose value changed as the story developed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Update {
    pub kind: UpdateKind,
    pub subject: String,
    /// The values in the order they were first reported.
    pub values: Vec<UpdateValue>,
    /// Id of the fact whose value changed, when the values sit in one.
    #[serde(default)]
    pub fact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UpdateValue {
    pub value: String,
    /// The sentence that first reported it.
    pub text: String,
    /// When it was first reported (ISO 8601), `null` when unknown.
    pub time: Option<String>,
    /// Articles that reported it while it was current.
    pub articles: Vec<String>,
    /// Articles that repeated it after a later value had been reported:
    /// outdated, not a rival position.
    #[serde(default)]
    pub stale: Vec<String>,
}

/// One event of the story's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TimelineEntry {
    /// When it was reported (ISO 8601), `null` when unknown.
    pub time: Option<String>,
    pub text: String,
    /// The articles that first reported it.
    pub articles: Vec<String>,
    /// The fact it reports.
    #[serde(default)]
    pub fact: Option<String>,
}

/// What is new or changed in a story since a given time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Since {
    /// The time asked for (ISO 8601).
    pub time: String,
    /// Articles reported after it.
    pub articles: Vec<String>,
    /// Facts first reported after it.
    pub facts: Vec<String>,
    /// Facts reported before it whose value changed after it.
    pub changed: Vec<String>,
}

/// Loaded, evaluative or speculative wording in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Framing {
    pub article: String,
    /// The terms as written.
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Removed {
    pub path: String,
    pub lines: Vec<String>,
}

impl Removed {
    /// Puts a furniture list in the order of its inputs' paths, not of
    /// their arrival, so the same inputs in any order (or ingested into a
    /// store in any order) give the same report byte for byte; stories and
    /// facts are already ordered by content. Stable: the items of one file
    /// keep their order within it.
    pub fn in_path_order(list: &mut [Removed]) {
        list.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InputError {
    pub path: String,
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_story_serialises_every_contract_field() {
        let v = serde_json::to_value(Story::default()).unwrap();
        for key in [
            "id",
            "headline",
            "articles",
            "summary",
            "facts",
            "quotes",
            "entities",
            "numbers",
            "conflicts",
            "framing",
            "updates",
            "timeline",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        let f = serde_json::to_value(Fact::default()).unwrap();
        assert!(f.get("first_reported").is_some());
        let u = serde_json::to_value(UpdateValue::default()).unwrap();
        for key in ["value", "text", "time", "articles"] {
            assert!(u.get(key).is_some(), "missing {key}");
        }
        let a = serde_json::to_value(ArticleEntry::default()).unwrap();
        for key in
            ["id", "path", "url", "source", "title", "author", "published", "language", "duplicate_of", "derived_from"]
        {
            assert!(a.get(key).is_some(), "missing {key}");
        }
    }

    #[test]
    fn kinds_serialise_lowercase() {
        assert_eq!(serde_json::to_string(&EntityKind::Organization).unwrap(), "\"organization\"");
        assert_eq!(serde_json::to_string(&ConflictKind::Quote).unwrap(), "\"quote\"");
    }
}
