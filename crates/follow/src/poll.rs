//! One poll of one source: fetch what it serves (conditionally), read its
//! items, store the new ones as articles (fetching the linked page when an
//! item carries only a summary), and record what was done.
//!
//! Order matters for a process killed at any point: articles are stored
//! first, then the items that made them are marked done, then the source's
//! new validators and schedule are written. Whatever was not recorded is
//! simply done again on the next poll, and storing an article twice is a
//! no-op (its id is derived from its URL).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chorus_model::Article;
use chorus_store::{Engine, Source, SourceItem, SourceStore, Store};
use chrono::Utc;
use futures_util::StreamExt;
use tokio::sync::Notify;

use crate::discover;
use crate::http::{Fetched, Fetcher, Validators, Want, instant, parse_instant};
use crate::items::{self, Item, Kind};
use crate::schedule;
use crate::{Config, FollowError, Result};

/// Tries of one item whose page could not be had for a passing reason (a
/// timeout, a 503) before it is given up on: its summary is stored, or an
/// error recorded.
pub const MAX_ITEM_ATTEMPTS: i64 = 3;

/// Items no longer in a source's document are forgotten after this long.
/// Feeds list the last days' items; an item that came back after a month
/// would be looked up in the store again (and found there), not fetched.
pub const FORGET_ITEMS_AFTER_DAYS: i64 = 30;

/// Articles stored per transaction while a poll goes on: small, so a
/// long first poll (a thousand items to fetch) keeps what it has as it
/// goes, and the story page shows them arriving.
const BATCH: usize = 32;

/// Articles stored per transaction from items that carry their full text
/// (no page to wait for): as `chorus ingest` batches, since a commit and
/// the cleaning context cost per transaction.
const READY_BATCH: usize = 256;

/// Longest time a fetched article waits for its batch to fill: a slow
/// source's articles are stored (and safe from a kill) as they come.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// Pages of one source fetched at once (the per-host gate still holds
/// requests to one host to its limit; this lets pages on other hosts,
/// such as a feed proxy, go meanwhile).
const PAGES_AT_ONCE: usize = 4;

/// What one poll came to.
#[derive(Debug)]
pub enum Polled {
    /// The server said "not modified".
    Unchanged,
    Read(Taken),
    Failed(FollowError),
}

/// What was done with a document's items.
#[derive(Debug, Default)]
pub struct Taken {
    /// Items not handled before.
    pub items: usize,
    /// Articles new to the store.
    pub created: usize,
    /// Items that could not be read (`URL` or `URL#N`, why); an item whose
    /// page failed but whose summary was stored is here too.
    pub errors: Vec<(String, String)>,
    /// Items left for the next poll (a page that failed for a passing
    /// reason, or past the per-poll limit).
    pub pending: usize,
}

/// One poll's report.
#[derive(Debug)]
pub struct Report {
    pub url: String,
    pub polled: Polled,
    /// When the source is due again, and how long from the poll's start.
    pub next: String,
    pub wait: Duration,
}

/// Polls sources into a store.
pub struct Follower<S: Store + SourceStore + Clone> {
    engine: Arc<Engine<S>>,
    pub fetcher: Fetcher<S>,
    /// Told whenever articles were stored, so that their stories get
    /// analysed.
    stored: Option<Arc<Notify>>,
}

/// One item handled, before it is recorded.
struct Done {
    key: String,
    path: String,
    result: Handled,
    /// A recorded error on an item that still gave an article.
    note: Option<String>,
    attempts: i64,
}

enum Handled {
    Article(Box<Article>),
    /// Already in the store under this id.
    Present(String),
    Failed {
        error: String,
        retry: bool,
    },
}

impl<S: Store + SourceStore + Clone> Follower<S> {
    pub fn new(engine: Arc<Engine<S>>, cfg: Config, stored: Option<Arc<Notify>>) -> Result<Self> {
        let fetcher = Fetcher::new(cfg, engine.store().clone())?;
        Ok(Follower { engine, fetcher, stored })
    }

    pub fn engine(&self) -> &Arc<Engine<S>> {
        &self.engine
    }

    /// Polls a source and records the result in the store; returns the
    /// source's new state.
    pub async fn poll(&self, mut src: Source) -> (Source, Report) {
        let now = Utc::now();
        let result = self.read_source(&mut src).await;
        let cfg = self.fetcher.config();
        let base = cfg.every;
        let current = Duration::from_secs(src.interval_secs.max(0) as u64)
            .clamp(base / schedule::FASTEST_DIVISOR, base * schedule::SLOWEST_FACTOR);
        src.polls += 1;
        src.last_poll = Some(instant(now));
        let wait = match &result {
            Ok(Polled::Unchanged) => {
                src.unchanged += 1;
                let i = schedule::after_success(base, current, false);
                self.succeeded(&mut src, now, i);
                i
            }
            Ok(Polled::Read(t)) => {
                src.items += t.items as i64;
                src.articles += t.created as i64;
                src.errors += t.errors.len() as i64;
                let i = schedule::after_success(base, current, t.created > 0);
                self.succeeded(&mut src, now, i);
                if let Some((path, why)) = t.errors.last() {
                    src.last_error =
                        Some(format!("{} items could not be read; the last: {path}: {why}", t.errors.len()));
                }
                i
            }
            Ok(Polled::Failed(_)) | Err(_) => {
                src.failures += 1;
                src.errors += 1;
                src.interval_secs = current.as_secs() as i64;
                schedule::after_failure(base, current, src.failures.clamp(0, 64) as u32)
            }
        };
        let mut wait = wait;
        let mut next = now + chrono::Duration::from_std(wait).unwrap_or_default();
        let polled = match result {
            Ok(p) => p,
            Err(e) => {
                src.last_error = Some(e.to_string());
                if let FollowError::Throttled { until, .. } | FollowError::Paused(until) = &e
                    && let Some(t) = parse_instant(until)
                    && t > next
                {
                    next = t;
                    wait = (t - now).to_std().unwrap_or(wait);
                }
                Polled::Failed(e)
            }
        };
        src.next_poll = Some(instant(next));
        let polled = match self.engine.store().save_source(src.clone()).await {
            Ok(()) => polled,
            Err(e) => Polled::Failed(e.into()),
        };
        let report = Report { url: src.url.clone(), polled, next: instant(next), wait };
        (src, report)
    }

    fn succeeded(&self, src: &mut Source, now: chrono::DateTime<Utc>, interval: Duration) {
        src.failures = 0;
        src.last_success = Some(instant(now));
        src.last_error = None;
        src.interval_secs = interval.as_secs() as i64;
    }

    async fn read_source(&self, src: &mut Source) -> Result<Polled> {
        let known = src.feed.clone().zip(src.kind.as_deref().and_then(Kind::from_name));
        let (url, kind, body) = match known {
            Some((feed, kind)) => {
                let v = Validators { etag: src.etag.clone(), last_modified: src.last_modified.clone() };
                let cond = (v.etag.is_some() || v.last_modified.is_some()).then_some(&v);
                match self.fetcher.get(&feed, Want::Feed, cond).await {
                    Ok(Fetched::NotModified) => return Ok(Polled::Unchanged),
                    Ok(Fetched::Body(b)) => (feed, kind, b),
                    // The feed found for a site is gone: look again next time.
                    Err(e @ FollowError::Status(404 | 410)) if feed != src.url => {
                        src.feed = None;
                        src.kind = None;
                        return Err(e);
                    }
                    Err(e) => return Err(e),
                }
            }
            None => {
                let found = discover::resolve(&self.fetcher, &src.url).await?;
                src.feed = Some(found.url.clone());
                src.kind = Some(found.kind.name().to_string());
                src.etag = None;
                src.last_modified = None;
                (found.url, found.kind, found.body)
            }
        };
        let validators = body.validators.clone();
        let doc = tokio::task::spawn_blocking(move || items::read(kind, &url, &body))
            .await
            .map_err(|e| FollowError::Read(format!("reading the document failed: {e}")))?
            .map_err(FollowError::Read)?;
        if src.title.is_none() {
            src.title = doc.title.clone();
        }
        let taken = self.take(&src.url, doc).await?;
        // Validators are kept only when every item was handled: otherwise
        // the next poll would get a 304 and never see the rest.
        if taken.pending == 0 {
            src.etag = validators.etag;
            src.last_modified = validators.last_modified;
        } else {
            src.etag = None;
            src.last_modified = None;
        }
        Ok(Polled::Read(taken))
    }

    /// Handles a document's items: the new ones become articles.
    async fn take(&self, source: &str, doc: items::Document) -> Result<Taken> {
        let store = self.engine.store();
        let mut taken = Taken { errors: doc.unkeyed, ..Default::default() };
        let keys: Vec<String> = doc.items.iter().map(|i| i.key.clone()).collect();
        let known: HashMap<String, SourceItem> =
            store.source_items(source.to_string(), keys).await?.into_iter().map(|i| (i.key.clone(), i)).collect();
        let mut again = Vec::new();
        let mut ready = Vec::new();
        let mut to_fetch: Vec<(Item, i64)> = Vec::new();
        for item in doc.items {
            let prev = known.get(&item.key);
            if let Some(p) = prev
                && (p.article.is_some() || p.attempts >= MAX_ITEM_ATTEMPTS)
            {
                again.push(p.clone());
                continue;
            }
            if prev.is_none() {
                taken.items += 1;
            }
            let attempts = prev.map_or(0, |p| p.attempts) + 1;
            let has_link = item.link.is_some();
            match (item.complete, item.own, has_link) {
                (true, Ok(a), _) => ready.push(done(item.key, item.path, Handled::Article(Box::new(a)), attempts)),
                (_, own, true) => to_fetch.push((Item { own, ..item }, attempts)),
                (_, own, false) => {
                    let error = own
                        .err()
                        .filter(|e| !e.trim().is_empty())
                        .unwrap_or_else(|| "item has no text and no link".into());
                    ready.push(done(item.key, item.path, Handled::Failed { error, retry: false }, attempts));
                }
            }
        }
        // A page already stored (by another source, or `chorus ingest`) is
        // not fetched again.
        let ids: Vec<String> =
            to_fetch.iter().map(|(i, _)| chorus_model::article::article_id(i.link.as_deref().unwrap_or(""))).collect();
        let present: HashSet<String> = store.locate(ids.clone()).await?.into_iter().map(|(a, _)| a).collect();
        let mut fetch = Vec::new();
        for ((item, attempts), id) in to_fetch.into_iter().zip(ids) {
            if present.contains(&id) {
                ready.push(done(item.key, item.path, Handled::Present(id), attempts));
            } else {
                fetch.push((item, attempts));
            }
        }
        let limit = self.fetcher.config().max_pages_per_poll;
        if fetch.len() > limit {
            taken.pending += fetch.len() - limit;
            fetch.truncate(limit);
        }
        let mut ready = ready.into_iter().peekable();
        while ready.peek().is_some() {
            let batch: Vec<Done> = ready.by_ref().take(READY_BATCH).collect();
            self.flush(source, batch, &mut taken).await?;
        }
        let mut pages = futures_util::stream::iter(fetch)
            .map(|(item, attempts)| async move {
                let page = self.page(&item).await;
                (item, attempts, page)
            })
            .buffer_unordered(PAGES_AT_ONCE);
        let mut batch = Vec::new();
        let mut flushed = std::time::Instant::now();
        while let Some((item, attempts, page)) = pages.next().await {
            batch.push(match page {
                Ok(a) => done(item.key, item.path, Handled::Article(Box::new(a)), attempts),
                Err(e) => page_failed(item, attempts, e),
            });
            if batch.len() >= BATCH || flushed.elapsed() >= FLUSH_EVERY {
                self.flush(source, std::mem::take(&mut batch), &mut taken).await?;
                flushed = std::time::Instant::now();
            }
        }
        drop(pages);
        self.flush(source, batch, &mut taken).await?;
        if !again.is_empty() {
            // Seen again: keeps them from being forgotten while the feed
            // still lists them.
            let now = Utc::now();
            store.record_items(source.to_string(), again, instant(now), instant(now - forget_after())).await?;
        }
        Ok(taken)
    }

    /// The article of an item's page.
    async fn page(&self, item: &Item) -> Result<Article> {
        let link = item.link.clone().unwrap_or_default();
        let body = match self.fetcher.get(&link, Want::Page, None).await? {
            Fetched::Body(b) => b,
            Fetched::NotModified => return Err(FollowError::Status(304)),
        };
        let hint = item.hint.clone();
        tokio::task::spawn_blocking(move || items::page_article(&link, &body, &hint))
            .await
            .map_err(|e| FollowError::Read(format!("extraction failed: {e}")))?
            .map_err(FollowError::Read)
    }

    /// Stores the articles of a batch of handled items, then records the
    /// items.
    async fn flush(&self, source: &str, batch: Vec<Done>, taken: &mut Taken) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let articles: Vec<Article> = batch
            .iter()
            .filter_map(|d| match &d.result {
                Handled::Article(a) => Some((**a).clone()),
                _ => None,
            })
            .collect();
        let outcome = if articles.is_empty() { Default::default() } else { self.engine.ingest(articles).await? };
        let emptied: HashSet<&str> = outcome.emptied.iter().map(String::as_str).collect();
        let added: HashMap<&str, bool> = outcome.added.iter().map(|a| (a.article.as_str(), a.created)).collect();
        let mut records = Vec::with_capacity(batch.len());
        let mut created = 0;
        for d in &batch {
            let (article, error, attempts) = match &d.result {
                Handled::Article(a) if emptied.contains(a.path.as_str()) => {
                    (None, Some("every line was site furniture; not stored".to_string()), MAX_ITEM_ATTEMPTS)
                }
                Handled::Article(a) => match added.get(a.id.as_str()) {
                    Some(c) => {
                        created += usize::from(*c);
                        (Some(a.id.clone()), d.note.clone(), d.attempts)
                    }
                    None => (None, Some("not stored".to_string()), d.attempts),
                },
                Handled::Present(id) => (Some(id.clone()), None, d.attempts),
                Handled::Failed { error, retry } => {
                    if *retry {
                        taken.pending += 1;
                    }
                    (None, Some(error.clone()), if *retry { d.attempts } else { MAX_ITEM_ATTEMPTS })
                }
            };
            if let Some(e) = &error {
                taken.errors.push((d.path.clone(), e.clone()));
            }
            records.push(SourceItem { key: d.key.clone(), article, error, attempts });
        }
        taken.created += created;
        let now = Utc::now();
        self.engine
            .store()
            .record_items(source.to_string(), records, instant(now), instant(now - forget_after()))
            .await?;
        if created > 0
            && let Some(n) = &self.stored
        {
            n.notify_one();
        }
        Ok(())
    }
}

fn forget_after() -> chrono::Duration {
    chrono::Duration::days(FORGET_ITEMS_AFTER_DAYS)
}

fn done(key: String, path: String, result: Handled, attempts: i64) -> Done {
    Done { key, path, result, note: None, attempts }
}

/// An item whose page could not be had. A passing failure is tried again
/// on a later poll, up to [`MAX_ITEM_ATTEMPTS`]; after that, or on a
/// lasting one (robots.txt, a 404, a page over the size limit, no text),
/// the item's own summary is stored when it has one, with the error
/// noted.
fn page_failed(item: Item, attempts: i64, e: FollowError) -> Done {
    let why = format!("{}: {e}", item.link.as_deref().unwrap_or(&item.path));
    if e.is_transient() && attempts < MAX_ITEM_ATTEMPTS {
        return done(item.key, item.path, Handled::Failed { error: why, retry: true }, attempts);
    }
    match item.own {
        Ok(a) => Done {
            key: item.key,
            path: item.path,
            result: Handled::Article(Box::new(a)),
            note: Some(format!("{why} (the feed's summary was stored)")),
            attempts,
        },
        Err(_) => done(item.key, item.path, Handled::Failed { error: why, retry: false }, attempts),
    }
}
