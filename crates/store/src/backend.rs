//! The store a `--db` argument names: an SQLite file, or a PostgreSQL
//! database given by URL (`postgres://…`). One type for both, so that the
//! commands and the server are written once. Without the `postgres` cargo
//! feature a URL is refused with a message that says why, not mistaken for
//! a file name.

use chorus_model::{Article, Removed};

#[cfg(feature = "postgres")]
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::{
    Added, Counts, Hit, Members, NewArticle, Page, Removal, Result, SearchQuery, Store, StoreError, StoredStory,
    StoryQuery, StoryRow,
};

/// Whether `db` names a PostgreSQL database rather than an SQLite file
/// (whether or not this build can open one).
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// A database address fit to print: a PostgreSQL URL loses its password,
/// whether in the user part or as a `password=` option.
pub fn redact(url: &str) -> String {
    let shown = match url
        .split_once("://")
        .and_then(|(scheme, rest)| rest.split_once('@').map(|(cred, host)| (scheme, cred, host)))
    {
        Some((scheme, cred, host)) => {
            let user = cred.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_string(),
    };
    match shown.split_once('?') {
        Some((head, query)) if is_postgres_url(url) => {
            let kept: Vec<&str> = query.split('&').filter(|p| !p.starts_with("password=")).collect();
            if kept.is_empty() { head.to_string() } else { format!("{head}?{}", kept.join("&")) }
        }
        _ => shown,
    }
}

/// Either back-end.
#[derive(Debug, Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    #[cfg(feature = "postgres")]
    Postgres(PgStore),
}

impl AnyStore {
    /// Opens the store `db` names, creating it when missing (a file, or a
    /// database and its schema on the server).
    pub async fn open(db: &str) -> Result<AnyStore> {
        if is_postgres_url(db) {
            return open_postgres(db, true).await;
        }
        let path = db.to_string();
        let store = tokio::task::spawn_blocking(move || SqliteStore::open(path))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))??;
        Ok(AnyStore::Sqlite(store))
    }

    /// Opens a store that must already exist: reading from or removing
    /// from a store that is not there is a mistake, not a reason to create
    /// an empty one.
    pub async fn open_existing(db: &str) -> Result<AnyStore> {
        if is_postgres_url(db) {
            return open_postgres(db, false).await;
        }
        if !std::path::Path::new(db).exists() {
            return Err(StoreError::Open {
                path: db.to_string(),
                why: format!("no such store (create one with `chorus ingest PATH --db {db}`)"),
            });
        }
        Self::open(db).await
    }

    /// The PostgreSQL store, for what only it can do (the work queue).
    #[cfg(feature = "postgres")]
    pub fn postgres(&self) -> Option<&PgStore> {
        match self {
            AnyStore::Postgres(p) => Some(p),
            AnyStore::Sqlite(_) => None,
        }
    }
}

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str, create: bool) -> Result<AnyStore> {
    let store = if create { PgStore::connect(url).await? } else { PgStore::open_existing(url).await? };
    Ok(AnyStore::Postgres(store))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(url: &str, _create: bool) -> Result<AnyStore> {
    Err(StoreError::Open {
        path: redact(url),
        why: "this chorus was built without PostgreSQL (the `postgres` cargo feature of chorus-store)".into(),
    })
}

/// Forwards a call to whichever back-end `$self` is (also used by
/// [`crate::sources`]).
macro_rules! either {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            $crate::AnyStore::Sqlite($s) => $call.await,
            #[cfg(feature = "postgres")]
            $crate::AnyStore::Postgres($s) => $call.await,
        }
    };
}
pub(crate) use either;

impl Store for AnyStore {
    async fn add(&self, batch: Vec<NewArticle>) -> Result<Vec<Added>> {
        either!(self, s => s.add(batch))
    }

    async fn remove(&self, id: String) -> Result<Option<Removal>> {
        either!(self, s => s.remove(id))
    }

    async fn locate(&self, ids: Vec<String>) -> Result<Vec<(String, String)>> {
        either!(self, s => s.locate(ids))
    }

    async fn cleaning_context(&self, outlets: Vec<String>, per_outlet: usize) -> Result<Vec<Article>> {
        either!(self, s => s.cleaning_context(outlets, per_outlet))
    }

    async fn members(&self, story: String) -> Result<Option<Members>> {
        either!(self, s => s.members(story))
    }

    async fn save_analysis(&self, story: String, version: i64, headline: String, json: String) -> Result<bool> {
        either!(self, s => s.save_analysis(story, version, headline, json))
    }

    async fn stale(&self) -> Result<Vec<String>> {
        either!(self, s => s.stale())
    }

    async fn fact_history(&self, story: String) -> Result<Option<String>> {
        either!(self, s => s.fact_history(story))
    }

    async fn keep_fact_history(&self, story: String, json: String) -> Result<()> {
        either!(self, s => s.keep_fact_history(story, json))
    }

    async fn story(&self, id: String) -> Result<Option<StoredStory>> {
        either!(self, s => s.story(id))
    }

    async fn stories(&self, q: StoryQuery) -> Result<Page<StoryRow>> {
        either!(self, s => s.stories(q))
    }

    async fn search(&self, q: SearchQuery) -> Result<Page<Hit>> {
        either!(self, s => s.search(q))
    }

    async fn report_order(&self) -> Result<Vec<String>> {
        either!(self, s => s.report_order())
    }

    async fn removed(&self, story: Option<String>) -> Result<Vec<Removed>> {
        either!(self, s => s.removed(story))
    }

    async fn counts(&self) -> Result<Counts> {
        either!(self, s => s.counts())
    }

    async fn sync(&self) -> Result<()> {
        either!(self, s => s.sync())
    }

    async fn check(&self) -> Result<Vec<String>> {
        either!(self, s => s.check())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_shown_without_passwords() {
        assert_eq!(redact("postgres://u:pw@h:5/db"), "postgres://u@h:5/db");
        assert_eq!(
            redact("postgres://u@h/db?password=pw&sslmode=verify-full"),
            "postgres://u@h/db?sslmode=verify-full"
        );
        assert_eq!(redact("postgresql://u@h/db?password=pw"), "postgresql://u@h/db");
        assert_eq!(redact("stores/a?b.db"), "stores/a?b.db", "a file name is shown as it is");
        assert!(is_postgres_url("postgresql://h/db") && !is_postgres_url("chorus.db"));
    }

    /// Without the `postgres` feature a URL is refused with the reason,
    /// never taken for a file name.
    #[cfg(not(feature = "postgres"))]
    #[tokio::test]
    async fn a_build_without_postgres_says_so() {
        let err = AnyStore::open("postgres://u:pw@h/db").await.unwrap_err().to_string();
        assert!(err.contains("built without PostgreSQL") && !err.contains("pw"), "{err}");
    }
}
