//! The story store: articles as they arrive, the stories they fold into, each
//! story's latest analysis, and full-text search over them.
//!
//! Three layers:
//!
//! - [`Store`]: persistence, one implementation per database back-end
//!   ([`sqlite::SqliteStore`], and `postgres::PgStore` with the `postgres`
//!   cargo feature, on by default). A back-end owns its transactions and
//!   its assigner; what both build alike (statements, cursors, check
//!   verdicts) is in [`sql`], and one conformance suite tests both.
//! - [`assign::Assigner`]: the incremental clusterer and the map from its
//!   arrival numbers to stored ids. Back-end independent; a back-end calls it
//!   inside its write transaction, after catching it up with whatever other
//!   processes stored since it last looked.
//! - [`engine::Engine`]: what a command or the server calls: cleaning with
//!   the store's context, adding, and re-analysing the stories that changed.
//!
//! A story's analysis is derived data: every change to a story's membership
//! bumps its `version` in the same transaction, and the analysis is stored
//! later, tagged with the version it was made from. A process killed between
//! the two leaves a story marked stale, never a wrong one; the next reader or
//! ingest re-analyses it.

pub mod assign;
pub mod backend;
#[cfg(test)]
mod conformance;
pub mod engine;
pub mod history;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod query;
#[cfg(feature = "postgres")]
pub mod queue;
pub mod sources;
pub mod sql;
pub mod sqlite;

use std::future::Future;

use chorus_model::{Article, Removed};
use chorus_pipeline::story::Member;

pub use assign::{Assigner, SharedAssigner};
pub use backend::{AnyStore, is_postgres_url, redact as shown_db};
pub use engine::{Engine, IngestOutcome};
#[cfg(feature = "postgres")]
pub use postgres::PgStore;
pub use query::{Sort, StoryCursor, StoryFilter};
pub use sources::{HostState, Source, SourceItem, SourceStore};
pub use sqlite::SqliteStore;

/// The error type of this crate.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Not a `#[source]`: the message already carries the driver's causes
    /// (and a hint for TLS), which a chain-printing caller would repeat.
    #[cfg(feature = "postgres")]
    #[error("postgres: {}", postgres::message(.0))]
    Postgres(tokio_postgres::Error),
    #[error("{path}: not a chorus store ({why})")]
    NotAStore { path: String, why: String },
    #[error("{path}: store schema version {found} is newer than this chorus knows ({known}); upgrade chorus")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("cannot open {path}: {why}")]
    Open { path: String, why: String },
    #[error("background task failed: {0}")]
    Task(String),
}

impl StoreError {
    /// Whether the database was busy (another writer held it past the
    /// timeout): worth trying again, unlike other failures.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}

#[cfg(feature = "postgres")]
impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Postgres(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An article ready to store: cleaned, with what cleaning dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewArticle {
    /// The article after cleaning (language set).
    pub article: Article,
    /// Its text as read, before cleaning: the context against which later
    /// articles of the same outlet are cleaned.
    pub raw_text: String,
    /// Lines cleaning dropped.
    pub removed: Vec<String>,
}

/// Where one article ended up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub article: String,
    pub story: String,
    /// False when an article with this id was already stored (nothing was
    /// written for it).
    pub created: bool,
}

/// What removing an article changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub article: String,
    /// The story it belonged to, under its id after the removal; `None` when
    /// the story had no other article and is gone.
    pub story: Option<String>,
    /// Every story whose membership or links changed (to re-analyse).
    pub touched: Vec<String>,
}

/// A story as the list shows it. Counts come from membership, so they are
/// exact even while the analysis is being redone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoryRow {
    pub id: String,
    pub headline: String,
    pub article_count: u64,
    pub source_count: u64,
    pub independent_count: u64,
    /// When the story last gained an article (RFC 3339, UTC).
    pub updated: String,
}

/// What a list of stories asks for.
#[derive(Debug, Clone, Default)]
pub struct StoryQuery {
    pub filter: StoryFilter,
    pub sort: Sort,
    pub limit: usize,
    pub cursor: Option<StoryCursor>,
}

/// Full-text search over articles.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The user's words (see [`query::fts_query`]).
    pub q: String,
    pub source: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub limit: usize,
    /// Hits to skip (the search cursor).
    pub offset: u64,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    pub id: String,
    pub story: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    /// A plain-text excerpt around the matched words.
    pub snippet: String,
}

/// One page of results and the cursor of the next, if there is more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// A story's stored analysis (JSON of [`chorus_model::Story`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStory {
    /// The story's id now: the one asked for, or the story it was renamed
    /// or merged into.
    pub id: String,
    pub json: Option<String>,
    /// Whether the analysis reflects the story's current membership.
    pub current: bool,
}

/// A story's members at one version.
#[derive(Debug, Clone, Default)]
pub struct Members {
    pub version: i64,
    pub analysed_version: i64,
    pub members: Vec<Member>,
}

/// Sizes of a store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub articles: u64,
    pub stories: u64,
    /// Stories whose analysis is behind their membership.
    pub stale: u64,
}

/// A store back-end. Every method is one transaction (or one consistent
/// read); methods are async so that a back-end with an async driver and a
/// connection pool (PostgreSQL) implements them directly, and one with a
/// blocking driver (SQLite) runs them on blocking threads.
pub trait Store: Send + Sync + 'static {
    /// Stores a batch in one transaction, in order: each new article is
    /// placed by the store's own assigner (one per store handle and its
    /// clones, caught up first with everything any process stored since it
    /// last looked) and joins an existing story or opens one; an article
    /// whose id is already stored, or repeats an id earlier in the batch,
    /// is left as it is (`created: false`). Touched stories get their
    /// counts recomputed and their version bumped. The placement state
    /// lives in the store, not with the caller: a back-end whose writers
    /// serialise across processes must catch up under its own lock, so a
    /// caller-held assigner could only ever be ignored.
    fn add(&self, batch: Vec<NewArticle>) -> impl Future<Output = Result<Vec<Added>>> + Send;

    /// Removes an article in one transaction: copies of it and articles
    /// derived from it lose that link, its story is re-keyed to its next
    /// article when it was the opener, or deleted when it was the last.
    fn remove(&self, id: String) -> impl Future<Output = Result<Option<Removal>>> + Send;

    /// The story of each of these ids that is stored: `(article, story)`.
    fn locate(&self, ids: Vec<String>) -> impl Future<Output = Result<Vec<(String, String)>>> + Send;

    /// Up to `per_outlet` most recent stored articles of each outlet, as
    /// read (raw text): cleaning finds a site's template lines by their
    /// recurrence across that site's articles.
    fn cleaning_context(
        &self,
        outlets: Vec<String>,
        per_outlet: usize,
    ) -> impl Future<Output = Result<Vec<Article>>> + Send;

    /// A story's members in arrival order, with its versions.
    fn members(&self, story: String) -> impl Future<Output = Result<Option<Members>>> + Send;

    /// Stores a story's analysis made from `version`; does nothing (and
    /// returns false) when the story has changed since.
    fn save_analysis(
        &self,
        story: String,
        version: i64,
        headline: String,
        json: String,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Stories whose analysis is behind their membership.
    fn stale(&self) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// The facts a story's earlier analyses kept ([`history`]; JSON of
    /// `Vec<history::Kept>`); `None` when none were kept.
    fn fact_history(&self, story: String) -> impl Future<Output = Result<Option<String>>> + Send;

    /// Replaces the facts kept for a story (nothing when the story is
    /// gone).
    fn keep_fact_history(&self, story: String, json: String) -> impl Future<Output = Result<()>> + Send;

    /// A story's stored analysis; `None` when there is no such story.
    fn story(&self, id: String) -> impl Future<Output = Result<Option<StoredStory>>> + Send;

    /// One page of stories.
    fn stories(&self, q: StoryQuery) -> impl Future<Output = Result<Page<StoryRow>>> + Send;

    /// One page of search hits, best first.
    fn search(&self, q: SearchQuery) -> impl Future<Output = Result<Page<Hit>>> + Send;

    /// Every story id in report order: most independent articles first,
    /// then most articles, then the order they opened (as `chorus report`).
    fn report_order(&self) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// Lines cleaning dropped, per input, in arrival order (of one story, or
    /// of all).
    fn removed(&self, story: Option<String>) -> impl Future<Output = Result<Vec<Removed>>> + Send;

    fn counts(&self) -> impl Future<Output = Result<Counts>> + Send;

    /// Catches the store's assigner up with what is stored, without
    /// writing (a warm start, so that the first write does not pay for it).
    fn sync(&self) -> impl Future<Output = Result<()>> + Send;

    /// Checks every invariant the store keeps; returns the violations found
    /// (none on a healthy store).
    fn check(&self) -> impl Future<Output = Result<Vec<String>>> + Send;
}
