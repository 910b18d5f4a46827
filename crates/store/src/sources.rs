//! What `chorus follow` keeps between polls: each followed source with its
//! HTTP validators, schedule, last error and counts; the items of each
//! source already handled; and per host its robots.txt and any pause a
//! server asked for (`Retry-After`).
//!
//! Kept apart from [`crate::Store`] (three tables of their own, one trait)
//! because it is the follower's bookkeeping, not the story store: a store
//! back-end implements both, and nothing here touches articles or stories.
//! Every method is one transaction, so a process killed mid-poll leaves
//! each row as it was before or after one write, never half-written.
//!
//! Instants are text in [`crate::query::INSTANT_FORMAT`] (UTC to the
//! second), as elsewhere in the store, so both back-ends give back the very
//! same strings.

use std::future::Future;

use crate::backend::either;
use crate::{AnyStore, Result};

/// A followed source and its state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    /// The source as given: a feed's URL, or a site's.
    pub url: String,
    /// The feed's or site's title, once known.
    pub title: Option<String>,
    /// What is polled: the feed found for a site (or the source's own URL
    /// when it is a feed); `None` until the first poll has looked.
    pub feed: Option<String>,
    /// `feed` (RSS, Atom, JSON Feed) or `sitemap` (a news sitemap).
    pub kind: Option<String>,
    /// Validators of the last full response, sent back as `If-None-Match`
    /// and `If-Modified-Since`.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When it was first followed.
    pub added: String,
    pub last_poll: Option<String>,
    /// The last poll that worked (a 304 counts).
    pub last_success: Option<String>,
    /// What went wrong on the last poll; `None` when it worked.
    pub last_error: Option<String>,
    /// When it is due next.
    pub next_poll: Option<String>,
    /// Its current polling interval, adapted to how often it changes.
    pub interval_secs: i64,
    /// Failed polls in a row (for back-off).
    pub failures: i64,
    /// Polls made, and how many of them the server answered "not modified".
    pub polls: i64,
    pub unchanged: i64,
    /// Items read from it, articles it added to the store, and errors (a
    /// failed poll or an item that could not be read).
    pub items: i64,
    pub articles: i64,
    pub errors: i64,
}

/// One item of a source already looked at, by its key (its link, else its
/// id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceItem {
    pub key: String,
    /// The article stored for it.
    pub article: Option<String>,
    /// Why none could be (when `article` is `None`), or what went wrong on
    /// the way (a page that failed while the feed's summary was stored).
    pub error: Option<String>,
    /// Times it was tried.
    pub attempts: i64,
}

/// What is known of one host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostState {
    /// `scheme://host[:port]`.
    pub host: String,
    /// Its robots.txt as fetched (`None` when there was none to read).
    pub robots: Option<String>,
    /// The HTTP status robots.txt was answered with (0: not reachable).
    pub robots_status: i64,
    pub robots_fetched: Option<String>,
    /// No request before then: what the host asked with `Retry-After`, or
    /// the back-off after it refused us.
    pub paused_until: Option<String>,
}

/// The follower's bookkeeping in a store. Two implementations, one per
/// back-end (SQLite, PostgreSQL); [`AnyStore`] forwards to either.
pub trait SourceStore: Send + Sync + 'static {
    /// Adds sources to follow (`(url, title)`); one already followed keeps
    /// its state, and gains a title when it had none.
    fn add_sources(&self, sources: Vec<(String, Option<String>)>) -> impl Future<Output = Result<()>> + Send;

    /// Every followed source, in the order they were added.
    fn sources(&self) -> impl Future<Output = Result<Vec<Source>>> + Send;

    /// Writes a source's state after a poll (the row must exist).
    fn save_source(&self, source: Source) -> impl Future<Output = Result<()>> + Send;

    /// The items of `source` among `keys` that were looked at before.
    fn source_items(&self, source: String, keys: Vec<String>) -> impl Future<Output = Result<Vec<SourceItem>>> + Send;

    /// Records items of `source` as looked at `now` (replacing what was
    /// known of them), and forgets those not seen since `forget_before`:
    /// feeds list recent items only, so the table stays as small as the
    /// feeds.
    fn record_items(
        &self,
        source: String,
        items: Vec<SourceItem>,
        now: String,
        forget_before: String,
    ) -> impl Future<Output = Result<()>> + Send;

    /// What is known of a host.
    fn host(&self, host: String) -> impl Future<Output = Result<Option<HostState>>> + Send;

    /// Writes what is known of a host.
    fn save_host(&self, host: HostState) -> impl Future<Output = Result<()>> + Send;
}

impl SourceStore for AnyStore {
    async fn add_sources(&self, sources: Vec<(String, Option<String>)>) -> Result<()> {
        either!(self, s => s.add_sources(sources))
    }

    async fn sources(&self) -> Result<Vec<Source>> {
        either!(self, s => s.sources())
    }

    async fn save_source(&self, source: Source) -> Result<()> {
        either!(self, s => s.save_source(source))
    }

    async fn source_items(&self, source: String, keys: Vec<String>) -> Result<Vec<SourceItem>> {
        either!(self, s => s.source_items(source, keys))
    }

    async fn record_items(
        &self,
        source: String,
        items: Vec<SourceItem>,
        now: String,
        forget_before: String,
    ) -> Result<()> {
        either!(self, s => s.record_items(source, items, now, forget_before))
    }

    async fn host(&self, host: String) -> Result<Option<HostState>> {
        either!(self, s => s.host(host))
    }

    async fn save_host(&self, host: HostState) -> Result<()> {
        either!(self, s => s.save_host(host))
    }
}

/// The same checks for either back-end (called by each back-end's tests).
#[cfg(test)]
pub(crate) mod contract {
    use super::*;

    pub async fn exercise(store: &impl SourceStore) {
        store
            .add_sources(vec![("https://a.example/feed".into(), None), ("https://b.example/".into(), Some("B".into()))])
            .await
            .unwrap();
        // Adding again keeps the state and fills a missing title only.
        store
            .add_sources(vec![
                ("https://a.example/feed".into(), Some("A".into())),
                ("https://b.example/".into(), Some("Other".into())),
            ])
            .await
            .unwrap();
        let all = store.sources().await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].url, "https://a.example/feed");
        assert_eq!(all[0].title.as_deref(), Some("A"));
        assert_eq!(all[1].title.as_deref(), Some("B"));
        assert!(!all[0].added.is_empty());

        let mut a = all[0].clone();
        a.feed = Some("https://a.example/feed".into());
        a.kind = Some("feed".into());
        a.etag = Some("\"v1\"".into());
        a.last_modified = Some("Tue, 01 Jul 2025 10:00:00 GMT".into());
        a.last_poll = Some("2025-07-01T10:00:00Z".into());
        a.last_success = a.last_poll.clone();
        a.next_poll = Some("2025-07-01T10:05:00Z".into());
        a.interval_secs = 300;
        a.polls = 1;
        a.items = 3;
        a.articles = 2;
        a.errors = 1;
        store.save_source(a.clone()).await.unwrap();
        let again = store.sources().await.unwrap();
        assert_eq!(again[0], a);
        store.add_sources(vec![("https://a.example/feed".into(), None)]).await.unwrap();
        assert_eq!(store.sources().await.unwrap()[0], a, "re-adding must not reset state");

        let items = vec![
            SourceItem { key: "https://a.example/1".into(), article: Some("id1".into()), error: None, attempts: 1 },
            SourceItem { key: "https://a.example/2".into(), article: None, error: Some("too big".into()), attempts: 1 },
        ];
        store
            .record_items(a.url.clone(), items.clone(), "2025-07-01T10:00:00Z".into(), "2025-06-01T00:00:00Z".into())
            .await
            .unwrap();
        let mut got = store
            .source_items(a.url.clone(), vec!["https://a.example/2".into(), "https://a.example/1".into(), "x".into()])
            .await
            .unwrap();
        got.sort_by(|x, y| x.key.cmp(&y.key));
        assert_eq!(got, items);
        // Another source's items are its own.
        assert!(store.source_items(all[1].url.clone(), vec!["https://a.example/1".into()]).await.unwrap().is_empty());
        // A later record replaces, and forgets what was not seen since.
        let retried =
            SourceItem { key: "https://a.example/2".into(), article: Some("id2".into()), error: None, attempts: 2 };
        store
            .record_items(
                a.url.clone(),
                vec![retried.clone()],
                "2025-09-01T00:00:00Z".into(),
                "2025-08-01T00:00:00Z".into(),
            )
            .await
            .unwrap();
        let got = store
            .source_items(a.url.clone(), vec!["https://a.example/1".into(), "https://a.example/2".into()])
            .await
            .unwrap();
        assert_eq!(got, vec![retried]);

        assert_eq!(store.host("https://a.example".into()).await.unwrap(), None);
        let h = HostState {
            host: "https://a.example".into(),
            robots: Some("User-agent: *\nDisallow: /private".into()),
            robots_status: 200,
            robots_fetched: Some("2025-07-01T10:00:00Z".into()),
            paused_until: None,
        };
        store.save_host(h.clone()).await.unwrap();
        assert_eq!(store.host(h.host.clone()).await.unwrap(), Some(h.clone()));
        let paused = HostState { paused_until: Some("2025-07-01T11:00:00Z".into()), ..h };
        store.save_host(paused.clone()).await.unwrap();
        assert_eq!(store.host(paused.host.clone()).await.unwrap(), Some(paused));
    }
}
