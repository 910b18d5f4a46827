//! The data that flows between chorus's stages.
//!
//! Every stage takes and returns these plain types, so a stage can be tested
//! and benchmarked alone, and the JSON contract of `PRODUCT.md` lives in one
//! place ([`report`]). Nothing here does I/O or analysis.

pub mod article;
pub mod extract;
pub mod report;
pub mod time;

pub use article::{Article, MAX_ID_BYTES, MAX_TITLE_CHARS, article_id, content_id, cut_chars};
pub use extract::{EntityMention, ExtractRecord, NumberMention, QuoteMention};
pub use report::{
    ArticleEntry, Conflict, ConflictKind, Entity, EntityKind, Fact, Framing, InputError, Mention, NumberEntry,
    Position, Quote, QuoteVariant, Removed, Report, Story, SummarySentence,
};
pub use report::{FirstReported, Since, TimelineEntry, Update, UpdateKind, UpdateValue};
