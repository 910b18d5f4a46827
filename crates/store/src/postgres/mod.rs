//! The shared back-end: one PostgreSQL database that any number of
//! processes on any number of machines write to at once (`chorus worker`,
//! `chorus serve`, `chorus ingest`). Full-text search by PostgreSQL's own
//! text search (a `tsvector` column with a GIN index).
//!
//! Concurrency. Readers and writers never block each other (MVCC). The one
//! step that must see every earlier article, placing a new article into a
//! story, is serialised across all processes by one transaction-scoped
//! advisory lock ([`ASSIGN_LOCK`]), taken by every transaction that adds or
//! removes articles. Inside it a writer first replays into its in-memory
//! clusterer whatever others stored since it last looked, then places and
//! inserts its batch, then commits, which releases the lock. So `seq` order
//! is commit order, the clusterer of every process sees the same arrival
//! order, and two processes can never open two stories for one event.
//!
//! Why a lock rather than a retrying serializable transaction: the
//! clusterer lives in memory and cannot un-place an article, so a rolled
//! back attempt would cost a full replay of the store, and since every
//! placement reads the whole arrival order, two concurrent writers would
//! conflict nearly every time. The lock is held only for the replay of the
//! few articles committed since the writer's own look outside the lock, the
//! placement and the inserts: cleaning, features and analysis happen
//! before or after, in parallel.

pub mod codec;
mod schema;
mod sources;
pub mod tls;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chorus_model::{Article, Removed};
use chorus_pipeline::story::Member;
use chorus_stories::{Features, Key};
use chrono::Utc;
use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod};
use tokio_postgres::types::ToSql;
use tokio_postgres::{IsolationLevel, Row};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::assign::{Assigner, Fresh, Placement, Plan, Stored};
use crate::query;
use crate::sql;
use crate::{
    Added, Counts, Hit, Members, NewArticle, Page, Removal, Result, SearchQuery, Store, StoreError, StoredStory,
    StoryQuery, StoryRow,
};

pub use schema::SCHEMA_VERSION;

/// The advisory-lock namespace of chorus (the first key of the two-key
/// form): "chrs", as the SQLite back-end's application id.
pub const LOCK_NAMESPACE: i32 = 0x6368_7273;

/// The second key of the lock that serialises adding and removing articles.
pub const ASSIGN_LOCK: i32 = 1;

/// The second key of the lock held while migrating the schema, so that
/// workers started together migrate once.
pub const MIGRATE_LOCK: i32 = 2;

/// Connections a store opens at most when none is asked for. A server or
/// a worker keeps a few busy at once (one writer, readers, analysis
/// locks); sixteen leave room for bursts while a few dozen processes still
/// fit PostgreSQL's default of 100 connections.
pub const DEFAULT_POOL_SIZE: usize = 16;

pub use crate::backend::{is_postgres_url as is_url, redact};

/// A store in one PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    /// The URL without its password, for messages.
    shown: String,
    /// How connections are made (and cancel requests sent): TLS as the
    /// URL's `sslmode` asks ([`tls`]).
    tls: MakeRustlsConnect,
    /// This process's clusterer. A tokio mutex: it is held across the
    /// queries of one placement, and taken before the advisory lock, so two
    /// tasks of one process never wait on each other in the opposite order.
    placer: tokio::sync::Mutex<Assigner>,
    stats: LockCounters,
}

/// Time spent on the assignment lock by this process: the serial part of
/// every ingest, and so what bounds how far workers scale.
#[derive(Debug, Default)]
struct LockCounters {
    batches: AtomicU64,
    articles: AtomicU64,
    waited_ns: AtomicU64,
    held_ns: AtomicU64,
}

/// What [`PgStore::lock_stats`] reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LockStats {
    /// Batches added under the lock.
    pub batches: u64,
    /// Articles placed under it (new ones only).
    pub articles: u64,
    /// Time spent waiting for it (other processes held it).
    pub waited: Duration,
    /// Time it was held: replay of the last few articles, placement,
    /// inserts and commit.
    pub held: Duration,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("db", &self.inner.shown).finish()
    }
}

impl PgStore {
    /// Connects to the database at `url`, creating the database when the
    /// server has none of that name, and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, DEFAULT_POOL_SIZE, true).await
    }

    /// Connects to a store that must already exist (to read or remove from
    /// it).
    pub async fn open_existing(url: &str) -> Result<Self> {
        Self::connect_with(url, DEFAULT_POOL_SIZE, false).await
    }

    /// Connects with at most `pool_size` connections; with `create`, makes
    /// the database and schema when missing, else refuses a database that
    /// holds no store.
    pub async fn connect_with(url: &str, pool_size: usize, create: bool) -> Result<Self> {
        let bad_url = |why: String| StoreError::Open { path: redact(url), why: format!("bad URL: {why}") };
        let (driver_url, tls_options) = tls::split_url(url).map_err(bad_url)?;
        let mut config: tokio_postgres::Config = driver_url.parse().map_err(|e| bad_url(format!("{e}")))?;
        let shown = shown(&config);
        let tls =
            tls::connector(&mut config, &tls_options).map_err(|why| StoreError::Open { path: shown.clone(), why })?;
        if create {
            schema::create_database(&config, &shown, tls.clone()).await?;
        }
        let manager =
            Manager::from_config(config, tls.clone(), ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(2))
            .build()
            .map_err(|e| StoreError::Open { path: shown.clone(), why: e.to_string() })?;
        let store = PgStore {
            inner: Arc::new(Inner {
                pool,
                shown,
                tls,
                placer: tokio::sync::Mutex::new(Assigner::default()),
                stats: LockCounters::default(),
            }),
        };
        {
            let mut c = match store.client().await {
                Err(StoreError::Postgres(e))
                    if e.code() == Some(&tokio_postgres::error::SqlState::INVALID_CATALOG_NAME) =>
                {
                    return Err(StoreError::Open {
                        path: store.inner.shown.clone(),
                        why: "no such database (create a store with `chorus ingest PATH --db URL`)".into(),
                    });
                }
                other => other?,
            };
            schema::migrate(&mut c, &store.inner.shown, create).await?;
            schema::check_features(&mut c).await?;
        }
        Ok(store)
    }

    /// How long this process waited for and held the assignment lock.
    pub fn lock_stats(&self) -> LockStats {
        let s = &self.inner.stats;
        LockStats {
            batches: s.batches.load(Ordering::Relaxed),
            articles: s.articles.load(Ordering::Relaxed),
            waited: Duration::from_nanos(s.waited_ns.load(Ordering::Relaxed)),
            held: Duration::from_nanos(s.held_ns.load(Ordering::Relaxed)),
        }
    }

    /// The database as shown in messages (no password).
    pub fn shown(&self) -> &str {
        &self.inner.shown
    }

    /// A pooled connection.
    pub(crate) async fn client(&self) -> Result<Object> {
        self.inner.pool.get().await.map_err(|e| pool_error(e, &self.inner.shown))
    }

    async fn add_with(
        &self,
        placer: &mut Assigner,
        batch: Vec<NewArticle>,
        features: Vec<Features>,
    ) -> Result<Vec<Added>> {
        let mut c = self.client().await?;
        // Outside the lock: most of what others stored since this process
        // last looked is replayed here, while they carry on.
        catch_up(&c, placer).await?;
        let tx = c.transaction().await?;
        // The heavy part of each row (texts, search vector, features) is
        // written before the lock too: other writers of the same id wait
        // here on the unique key, never while holding the lock.
        {
            let ids: Vec<&str> = batch.iter().map(|n| n.article.id.as_str()).collect();
            let raw: Vec<&str> = batch.iter().map(|n| n.raw_text.as_str()).collect();
            let texts: Vec<&str> = batch.iter().map(|n| n.article.text.as_str()).collect();
            let titles: Vec<Option<&str>> = batch.iter().map(|n| n.article.title.as_deref()).collect();
            let blobs: Vec<Vec<u8>> = features.iter().map(codec::encode).collect();
            tx.execute(
                &format!(
                    "INSERT INTO article_texts (id, raw_text, text, features, search)
                     SELECT u.id, u.raw_text, u.text, u.features, {SEARCH_VECTOR}
                     FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[])
                          AS u (id, raw_text, text, features, title)
                     WHERE NOT EXISTS (SELECT 1 FROM article_texts x WHERE x.id = u.id)
                     ON CONFLICT (id) DO NOTHING"
                ),
                &[&ids, &raw, &texts, &blobs, &titles],
            )
            .await?;
        }
        let asked = Instant::now();
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_NAMESPACE, &ASSIGN_LOCK]).await?;
        let got = Instant::now();
        catch_up(&tx, placer).await?;
        let ids: Vec<&str> = batch.iter().map(|n| n.article.id.as_str()).collect();
        let story_of: HashMap<String, String> = tx
            .query("SELECT id, story FROM articles WHERE id = ANY($1)", &[&ids])
            .await?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();

        // Place the new articles in canonical order among the stored ones
        // (in memory): the plan says which stored rows move as well.
        let (mut out, fresh) =
            crate::assign::triage(batch.into_iter().zip(features).collect(), |(n, _)| n.article.id.as_str(), &story_of);
        let (fresh, items): (Vec<NewArticle>, Vec<Fresh>) = fresh
            .into_iter()
            .map(|(n, f)| {
                let key = Key::of(&n.article);
                (n, Fresh { key, features: f })
            })
            .unzip();
        let plan = if items.is_empty() {
            Plan::default()
        } else {
            match placer.place(items) {
                Ok(plan) => plan,
                Err(items) => placer.rebuild(stored_rows(&tx, 0).await?, items),
            }
        };
        crate::assign::answer(&mut out, &plan);

        let now_t = Utc::now();
        let now = now_t.format(query::INSTANT_FORMAT).to_string();
        move_rows(&tx, &plan, &now).await?;
        let mut gained: HashMap<&str, i64> = HashMap::new();
        if !fresh.is_empty() {
            // Arrival numbers in batch order.
            let mut seqs: Vec<i64> = tx
                .query(
                    "SELECT nextval(pg_get_serial_sequence('articles', 'seq')) FROM generate_series(1, $1::int)",
                    &[&(fresh.len() as i32)],
                )
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            seqs.sort_unstable();
            let mut cols = ArticleColumns::default();
            for (new, seq) in fresh.iter().zip(&seqs) {
                let Some(placement) = plan.new.get(&new.article.id) else { continue };
                cols.push(*seq, new, &placement.opener, placement, now_t);
                gained.insert(&placement.opener, *seq);
            }
            cols.insert(&tx, &now).await?;
            if let Some(last) = seqs.last() {
                placer.stored(*last);
            }
        }
        let touched: Vec<(String, Option<i64>)> =
            plan.touched.iter().map(|s| (s.clone(), gained.get(s.as_str()).copied())).collect();
        recount(&tx, &touched, &now).await?;
        tx.commit().await?;
        let stats = &self.inner.stats;
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.articles.fetch_add(plan.new.len() as u64, Ordering::Relaxed);
        stats.waited_ns.fetch_add((got - asked).as_nanos() as u64, Ordering::Relaxed);
        stats.held_ns.fetch_add(got.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Ok(out)
    }
}

/// Records that story `old` now lives on as `new`, and points the ids
/// that led to `old` there too.
async fn alias(c: &impl GenericClient, old: &str, new: &str) -> Result<()> {
    c.execute("UPDATE story_aliases SET story = $2 WHERE story = $1", &[&old, &new]).await?;
    c.execute(
        "INSERT INTO story_aliases (old, story) VALUES ($1, $2) ON CONFLICT (old) DO UPDATE SET story = excluded.story",
        &[&old, &new],
    )
    .await?;
    c.execute("DELETE FROM story_aliases WHERE old = $1", &[&new]).await?;
    Ok(())
}

/// Carries out a plan's story steps and moves before its new rows go in:
/// renamed stories take their articles and history along (`ON UPDATE
/// CASCADE`), new stories get a row for their articles to name.
async fn move_rows(c: &impl GenericClient, plan: &Plan, now: &str) -> Result<()> {
    for (old, new) in &plan.renames {
        c.execute("UPDATE stories SET id = $2 WHERE id = $1", &[old, new]).await?;
    }
    if !plan.opened.is_empty() {
        c.execute(
            "INSERT INTO stories (id, headline, article_count, source_count, independent_count, first_seq,
                                  updated, updated_seq, version)
             SELECT u.id, '', 0, 0, 0, 0, $2, 0, 0 FROM unnest($1::text[]) AS u (id)",
            &[&plan.opened, &now],
        )
        .await?;
    }
    for (old, new) in &plan.aliases {
        alias(c, old, new).await?;
    }
    if !plan.moved.is_empty() {
        let ids: Vec<&str> = plan.moved.iter().map(|m| m.id.as_str()).collect();
        let stories: Vec<&str> = plan.moved.iter().map(|m| m.placement.opener.as_str()).collect();
        let copies: Vec<Option<&str>> = plan.moved.iter().map(|m| m.placement.duplicate_of.as_deref()).collect();
        let derived: Vec<String> = plan
            .moved
            .iter()
            .map(|m| serde_json::to_string(&m.placement.derived_from).unwrap_or_else(|_| "[]".into()))
            .collect();
        c.execute(
            "UPDATE articles a SET story = u.story, duplicate_of = u.copy,
                    derived_from = ARRAY(SELECT json_array_elements_text(u.derived::json))
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u (id, story, copy, derived)
             WHERE a.id = u.id",
            &[&ids, &stories, &copies, &derived],
        )
        .await?;
    }
    Ok(())
}

/// PostgreSQL's text type cannot hold NUL characters (SQLite's can): they
/// are dropped from everything stored, so that one odd record never fails
/// the batch it came in.
fn without_nul(n: &mut NewArticle) {
    let strip = |s: &mut String| {
        if s.contains('\0') {
            s.retain(|c| c != '\0');
        }
    };
    let a = &mut n.article;
    for s in [&mut a.id, &mut a.path, &mut a.text, &mut n.raw_text] {
        strip(s);
    }
    for s in [&mut a.url, &mut a.source, &mut a.title, &mut a.author, &mut a.published, &mut a.language]
        .into_iter()
        .flatten()
    {
        strip(s);
    }
    n.removed.iter_mut().for_each(strip);
}

/// What went wrong, as the server said it: the driver's own `Display`
/// gives only the kind ("db error").
pub fn message(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut m = format!("{} ({})", db.message(), db.code().code());
        if let Some(d) = db.detail() {
            m.push_str(&format!("; {d}"));
        }
        return m;
    }
    let mut m = match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    };
    if let Some(hint) = tls::hint(e) {
        m.push_str(&format!(" ({hint})"));
    }
    m
}

/// A pool error as a store error: the driver's own error when there is one.
fn pool_error(e: PoolError, shown: &str) -> StoreError {
    match e {
        PoolError::Backend(e) => StoreError::Postgres(e),
        other => StoreError::Open { path: shown.to_string(), why: other.to_string() },
    }
}

/// `postgres://user@host:port/db`, without the password.
fn shown(c: &tokio_postgres::Config) -> String {
    let host = c
        .get_hosts()
        .iter()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(s) => s.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .collect::<Vec<_>>()
        .join(",");
    let port = c.get_ports().first().map(|p| format!(":{p}")).unwrap_or_default();
    let user = c.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    format!("postgres://{user}{host}{port}/{}", c.get_dbname().unwrap_or(""))
}

async fn generation(c: &impl GenericClient) -> Result<i64> {
    Ok(c.query_one("SELECT value FROM chorus_meta WHERE key = 'generation'", &[]).await?.get(0))
}

/// Brings the placer up to date with what is committed: stored features
/// are replayed as they are; an article stored without them (or by a
/// build whose features differ, see `schema::check_features`) has them
/// computed from its text.
async fn catch_up(c: &impl GenericClient, placer: &mut Assigner) -> Result<()> {
    let generation = generation(c).await?;
    let after = placer.begin(generation);
    if placer.catch_up(stored_rows(c, after).await?).is_err() {
        // Others stored articles that sort before the window: start over.
        placer.invalidate();
        placer.begin(generation);
        let _ = placer.catch_up(stored_rows(c, 0).await?);
    }
    Ok(())
}

/// Stored articles after `seq`, as the placer reads them.
async fn stored_rows(c: &impl GenericClient, after: i64) -> Result<Vec<Stored>> {
    use futures_util::TryStreamExt;
    let stmt = c
        .prepare(
            "SELECT a.seq, a.id, t.features, a.title, a.published, octet_length(t.text)::int8,
                    a.story, a.duplicate_of, a.derived_from,
                    t.text
             FROM articles a JOIN article_texts t ON t.id = a.id WHERE a.seq > $1 ORDER BY a.seq",
        )
        .await?;
    let rows = c.query_raw(&stmt, [after]).await?;
    futures_util::pin_mut!(rows);
    let mut out = Vec::new();
    while let Some(r) = rows.try_next().await? {
        let seq: i64 = r.get(0);
        let id: String = r.get(1);
        let published: Option<String> = r.get(4);
        let len: i64 = r.get(5);
        let f = r.get::<_, Option<&[u8]>>(2).and_then(codec::decode).unwrap_or_else(|| {
            let text: String = r.get(9);
            Features::of(&Article { title: r.get(3), text, published: published.clone(), ..Default::default() })
        });
        let placement = Placement { opener: r.get(6), duplicate_of: r.get(7), derived_from: r.get(8) };
        out.push(Stored { seq, key: Key::new(&id, published.as_deref(), len.max(0) as usize), features: f, placement });
    }
    Ok(out)
}

/// The search vector of an article from its `title` and `text` (SQL):
/// title words rank above body words. Only the first 200,000 characters of
/// the text are indexed: a tsvector is capped at 1 MB, and an article that
/// long is a dump whose opening says what it is about. `chorus_segment`
/// (migration 0006) makes each Han, kana or Hangul character a word, as
/// [`query::segment`] does for queries.
const SEARCH_VECTOR: &str = "setweight(to_tsvector('english', chorus_segment(coalesce(u.title, ''))), 'A')
     || setweight(to_tsvector('english', chorus_segment(left(u.text, 200000))), 'B')";

/// New article rows, column by column, for one multi-row insert.
#[derive(Default)]
struct ArticleColumns<'a> {
    seq: Vec<i64>,
    id: Vec<&'a str>,
    story: Vec<&'a str>,
    path: Vec<&'a str>,
    url: Vec<Option<&'a str>>,
    source: Vec<Option<&'a str>>,
    title: Vec<Option<&'a str>>,
    author: Vec<Option<&'a str>>,
    published: Vec<Option<&'a str>>,
    language: Vec<Option<&'a str>>,
    outlet: Vec<String>,
    host: Vec<Option<String>>,
    filed_at: Vec<String>,
    removed: Vec<String>,
    duplicate_of: Vec<Option<&'a str>>,
    derived_from: Vec<String>,
}

impl<'a> ArticleColumns<'a> {
    fn push(
        &mut self,
        seq: i64,
        new: &'a NewArticle,
        story: &'a str,
        placement: &'a Placement,
        now: chrono::DateTime<Utc>,
    ) {
        let a = &new.article;
        self.seq.push(seq);
        self.id.push(&a.id);
        self.story.push(story);
        self.path.push(&a.path);
        self.url.push(a.url.as_deref());
        self.source.push(a.source.as_deref());
        self.title.push(a.title.as_deref());
        self.author.push(a.author.as_deref());
        self.published.push(a.published.as_deref());
        self.language.push(a.language.as_deref());
        self.outlet.push(a.outlet());
        self.host.push(a.url.as_deref().and_then(chorus_model::article::url_host));
        self.filed_at.push(query::filed_at(a.published.as_deref(), now));
        self.removed.push(serde_json::to_string(&new.removed).unwrap_or_else(|_| "[]".into()));
        self.duplicate_of.push(placement.duplicate_of.as_deref());
        self.derived_from.push(serde_json::to_string(&placement.derived_from).unwrap_or_else(|_| "[]".into()));
    }

    /// Inserts every row in one statement, with the arrival numbers given.
    async fn insert(&self, c: &impl GenericClient, now: &str) -> Result<()> {
        c.execute(
            "INSERT INTO articles (seq, id, story, path, url, source, title, author, published, language, outlet,
                                   host, filed_at, added, removed, duplicate_of, derived_from)
             OVERRIDING SYSTEM VALUE
             SELECT u.seq, u.id, u.story, u.path, u.url, u.source, u.title, u.author, u.published, u.language,
                    u.outlet, u.host, u.filed_at, $17, ARRAY(SELECT json_array_elements_text(u.removed::json)),
                    u.duplicate_of, ARRAY(SELECT json_array_elements_text(u.derived_from::json))
             FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                         $15::text[], $16::text[])
                  AS u (seq, id, story, path, url, source, title, author, published, language, outlet, host,
                        filed_at, removed, duplicate_of, derived_from)",
            &[
                &self.seq,
                &self.id,
                &self.story,
                &self.path,
                &self.url,
                &self.source,
                &self.title,
                &self.author,
                &self.published,
                &self.language,
                &self.outlet,
                &self.host,
                &self.filed_at,
                &self.removed,
                &self.duplicate_of,
                &self.derived_from,
                &now,
            ],
        )
        .await?;
        Ok(())
    }
}

/// Recomputes stories' counts from their members and bumps their versions,
/// as the SQLite back-end does, in two statements whatever their number; a
/// story left with no article is deleted. `gained`: the `seq` of a story's
/// newest article when it just gained some.
async fn recount(c: &impl GenericClient, touched: &[(String, Option<i64>)], now: &str) -> Result<()> {
    if touched.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = touched.iter().map(|(s, _)| s.as_str()).collect();
    let rows = c
        .query(
            "SELECT t.story, count(a.seq), count(DISTINCT a.outlet),
                    count(a.seq) FILTER (WHERE a.duplicate_of IS NULL AND cardinality(a.derived_from) = 0),
                    min(a.seq),
                    (SELECT f.title FROM articles f WHERE f.story = t.story AND f.title IS NOT NULL
                     ORDER BY f.seq LIMIT 1)
             FROM unnest($1::text[]) AS t (story) LEFT JOIN articles a ON a.story = t.story
             GROUP BY t.story",
            &[&ids],
        )
        .await?;
    let mut gone: Vec<String> = Vec::new();
    let (mut id, mut headline, mut count, mut sources, mut independent, mut first, mut gained) = (
        Vec::new(),
        Vec::new(),
        Vec::<i64>::new(),
        Vec::<i64>::new(),
        Vec::<i64>::new(),
        Vec::<i64>::new(),
        Vec::new(),
    );
    for r in rows {
        let story: String = r.get(0);
        let Some(first_seq) = r.get::<_, Option<i64>>(4) else {
            gone.push(story);
            continue;
        };
        let title = match r.get::<_, Option<String>>(5) {
            Some(t) => t,
            None => {
                let text: String = c
                    .query_one(
                        "SELECT t.text FROM articles a JOIN article_texts t ON t.id = a.id WHERE a.seq = $1",
                        &[&first_seq],
                    )
                    .await?
                    .get(0);
                query::stand_in_headline(&text)
            }
        };
        gained.push(touched.iter().find(|(s, _)| *s == story).and_then(|(_, g)| *g));
        id.push(story);
        headline.push(title);
        count.push(r.get(1));
        sources.push(r.get(2));
        independent.push(r.get(3));
        first.push(first_seq);
    }
    if !gone.is_empty() {
        c.execute("DELETE FROM stories WHERE id = ANY($1)", &[&gone]).await?;
    }
    c.execute(
        "UPDATE stories s SET headline = u.headline, article_count = u.count, source_count = u.sources,
                independent_count = u.independent, first_seq = u.first, version = s.version + 1,
                updated = CASE WHEN u.gained IS NULL THEN s.updated ELSE $8 END,
                updated_seq = coalesce(u.gained, s.updated_seq)
         FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::int8[])
              AS u (id, headline, count, sources, independent, first, gained)
         WHERE s.id = u.id",
        &[&id, &headline, &count, &sources, &independent, &first, &gained, &now],
    )
    .await?;
    Ok(())
}

async fn remove_article(c: &impl GenericClient, id: &str) -> Result<Option<Removal>> {
    let Some(story) =
        c.query_opt("SELECT story FROM articles WHERE id = $1", &[&id]).await?.map(|r| r.get::<_, String>(0))
    else {
        return Ok(None);
    };
    c.execute("DELETE FROM articles WHERE id = $1", &[&id]).await?;
    c.execute("DELETE FROM article_texts WHERE id = $1", &[&id]).await?;
    let mut touched = vec![story.clone()];
    let note = |touched: &mut Vec<String>, s: String| {
        if !touched.contains(&s) {
            touched.push(s);
        }
    };
    // Copies of the removed article: the oldest becomes the original, the
    // others copies of it.
    let copies: Vec<(String, String)> = c
        .query("SELECT id, story FROM articles WHERE duplicate_of = $1 ORDER BY seq", &[&id])
        .await?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    if let Some((first, _)) = copies.first() {
        c.execute("UPDATE articles SET duplicate_of = NULL WHERE id = $1", &[first]).await?;
        c.execute("UPDATE articles SET duplicate_of = $1 WHERE duplicate_of = $2", &[first, &id]).await?;
    }
    for (_, s) in copies {
        note(&mut touched, s);
    }
    // Articles derived from it lose that link.
    let derived: Vec<String> = c
        .query("UPDATE articles SET derived_from = array_remove(derived_from, $1) WHERE $1 = ANY(derived_from) RETURNING story", &[&id])
        .await?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    for s in derived {
        note(&mut touched, s);
    }
    // The story is named by its opener: when that was the removed article,
    // it takes the name of its next article.
    let mut renamed = story.clone();
    if story == id {
        let next: Option<String> = first_articles(c, Some(&story)).await?.remove(&story).map(|k| k.id);
        match next {
            Some(n) => {
                c.execute("UPDATE stories SET id = $1 WHERE id = $2", &[&n, &story]).await?;
                alias(c, &story, &n).await?;
                renamed = n;
            }
            None => {
                c.execute("DELETE FROM stories WHERE id = $1", &[&story]).await?;
            }
        }
    }
    let now = Utc::now().format(query::INSTANT_FORMAT).to_string();
    let touched: Vec<(String, Option<i64>)> =
        touched.into_iter().map(|s| (if s == story { renamed.clone() } else { s }, None)).collect();
    recount(c, &touched, &now).await?;
    let names: Vec<&str> = touched.iter().map(|(s, _)| s.as_str()).collect();
    let present: std::collections::HashSet<String> =
        c.query("SELECT id FROM stories WHERE id = ANY($1)", &[&names]).await?.iter().map(|r| r.get(0)).collect();
    let out_touched: Vec<String> = touched.into_iter().map(|(s, _)| s).filter(|s| present.contains(s)).collect();
    c.execute("UPDATE chorus_meta SET value = value + 1 WHERE key = 'generation'", &[]).await?;
    let exists = out_touched.contains(&renamed);
    Ok(Some(Removal { article: id.to_string(), story: exists.then_some(renamed), touched: out_touched }))
}

/// Cancels the query running on a connection when dropped before
/// [`CancelOnDrop::disarm`]: a search whose caller has gone (a client that
/// hung up) stops on the server instead of running on for nobody.
struct CancelOnDrop(Option<(tokio_postgres::CancelToken, MakeRustlsConnect)>);

impl CancelOnDrop {
    /// The cancel request goes over TLS as the connection did: a server
    /// that takes only TLS connections refuses a plain one.
    fn new(c: &Object, tls: &MakeRustlsConnect) -> Self {
        CancelOnDrop(Some((c.cancel_token(), tls.clone())))
    }

    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some((token, tls)) = self.0.take()
            && let Ok(rt) = tokio::runtime::Handle::try_current()
        {
            rt.spawn(async move {
                let _ = token.cancel_query(tls).await;
            });
        }
    }
}

/// PostgreSQL's spelling of the shared statements ([`crate::sql`]).
struct Pg;

impl sql::Dialect for Pg {
    fn placeholder(n: usize) -> String {
        format!("${n}")
    }

    /// `websearch_to_tsquery` reads the quoted terms of
    /// [`query::fts_query`] as required phrases and never fails on any
    /// input.
    fn text_match(n: usize) -> String {
        format!(
            "EXISTS (SELECT 1 FROM article_texts t WHERE t.id = a.id AND t.search @@ websearch_to_tsquery('english', ${n}))"
        )
    }

    /// `lower` on both sides, so the `lower(outlet)` and `lower(host)`
    /// indexes serve it.
    fn source_match(n: usize) -> String {
        format!("(lower(a.outlet) = lower(${n}) OR lower(a.host) = lower(${n}))")
    }

    /// The page is chosen first and only its rows' texts are read for a
    /// snippet (see `query::snippet`).
    fn search(extra: &str, limit: usize, offset: usize) -> String {
        format!(
            "WITH q AS (SELECT websearch_to_tsquery('english', $1) AS q),
                  page AS (
                    SELECT a.seq, ts_rank_cd(t.search, q.q) AS rank
                    FROM article_texts t JOIN articles a ON a.id = t.id, q WHERE t.search @@ q.q{extra}
                    ORDER BY rank DESC, a.seq LIMIT ${limit} OFFSET ${offset})
             SELECT a.id, a.story, a.title, a.source, a.published, left(t.text, {})
             FROM page JOIN articles a ON a.seq = page.seq JOIN article_texts t ON t.id = a.id
             ORDER BY page.rank DESC, a.seq",
            query::SNIPPET_SCAN_CHARS
        )
    }
}

/// A statement's parameters as the driver binds them.
fn bind(params: &[sql::Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| match p {
            sql::Param::Text(t) => t as &(dyn ToSql + Sync),
            sql::Param::Int(i) => i as &(dyn ToSql + Sync),
        })
        .collect()
}

async fn list_stories(c: &impl GenericClient, q: &StoryQuery) -> Result<Page<StoryRow>> {
    let Some(st) = sql::story_list::<Pg>(q) else {
        return Ok(Page { items: Vec::new(), next: None });
    };
    let rows = c.query(&st.sql, &bind(&st.params)).await?;
    let rows: Vec<(StoryRow, i64, i64)> = rows
        .iter()
        .map(|r| {
            (
                StoryRow {
                    id: r.get(0),
                    headline: r.get(1),
                    article_count: r.get::<_, i64>(2) as u64,
                    source_count: r.get::<_, i64>(3) as u64,
                    independent_count: r.get::<_, i64>(4) as u64,
                    updated: r.get(5),
                },
                r.get(6),
                r.get(7),
            )
        })
        .collect();
    Ok(sql::story_page(rows, q))
}

async fn search(c: &impl GenericClient, q: &SearchQuery) -> Result<Page<Hit>> {
    let Some(st) = sql::search::<Pg>(q) else {
        return Ok(Page { items: Vec::new(), next: None });
    };
    let rows = c.query(&st.sql, &bind(&st.params)).await?;
    let items: Vec<Hit> = rows
        .iter()
        .map(|r| Hit {
            id: r.get(0),
            story: r.get(1),
            title: r.get(2),
            source: r.get(3),
            published: r.get(4),
            // The text's opening, made a snippet by `search_page`.
            snippet: r.get::<_, Option<String>>(5).unwrap_or_default(),
        })
        .collect();
    // Reading a page of texts for snippets is CPU work: off the async threads.
    let q = q.clone();
    tokio::task::spawn_blocking(move || sql::search_page(items, &q)).await.map_err(|e| StoreError::Task(e.to_string()))
}

/// Each story's first article in canonical order (the one that opened it,
/// whose id names it): of one story, or of all.
async fn first_articles(c: &impl GenericClient, story: Option<&str>) -> Result<HashMap<String, Key>> {
    let rows = c
        .query(
            "SELECT a.story, a.id, a.published, octet_length(t.text)::int8
             FROM articles a JOIN article_texts t ON t.id = a.id WHERE $1::text IS NULL OR a.story = $1",
            &[&story],
        )
        .await?;
    let mut out: HashMap<String, Key> = HashMap::new();
    for r in rows {
        let key = Key::new(r.get(1), r.get::<_, Option<&str>>(2), r.get::<_, i64>(3).max(0) as usize);
        crate::assign::keep_first(&mut out, r.get(0), key);
    }
    Ok(out)
}

async fn check(c: &impl GenericClient) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let rows = c
        .query(
            "SELECT s.id, s.article_count, s.source_count, s.independent_count, s.first_seq,
                    count(a.seq), count(DISTINCT a.outlet),
                    count(a.seq) FILTER (WHERE a.duplicate_of IS NULL AND cardinality(a.derived_from) = 0),
                    coalesce(min(a.seq), 0),
                    s.analysed_version <= s.version
             FROM stories s LEFT JOIN articles a ON a.story = s.id GROUP BY s.id",
            &[],
        )
        .await?;
    let openers = first_articles(c, None).await?;
    for r in rows {
        let id: String = r.get(0);
        let first = openers.get(&id).map(|k| k.id.as_str());
        let facts = sql::StoryFacts {
            id: &id,
            stored: [r.get(1), r.get(2), r.get(3), r.get(4)],
            actual: [r.get(5), r.get(6), r.get(7), r.get(8)],
            first,
            versions_ok: r.get(9),
        };
        sql::story_problems(facts, &mut problems);
    }
    sql::dangling_problem(c.query_one(sql::DANGLING_COPIES, &[]).await?.get(0), &mut problems);
    let orphans: i64 = c
        .query_one(
            "SELECT count(*) FROM article_texts t WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.id)",
            &[],
        )
        .await?
        .get(0);
    if orphans > 0 {
        problems.push(format!("{orphans} article texts belong to no article"));
    }
    Ok(problems)
}

fn article_from_row(r: &Row) -> Article {
    Article {
        id: r.get("id"),
        path: r.get("path"),
        url: r.get("url"),
        source: r.get("source"),
        title: r.get("title"),
        author: r.get("author"),
        published: r.get("published"),
        language: r.get("language"),
        text: r.get("text"),
    }
}

impl Store for PgStore {
    async fn add(&self, mut batch: Vec<NewArticle>) -> Result<Vec<Added>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        batch.iter_mut().for_each(without_nul);
        // Features are computed before any lock: they depend on the article
        // alone.
        let (batch, features) = tokio::task::spawn_blocking(move || {
            let f: Vec<Features> = batch.iter().map(|n| Features::of(&n.article)).collect();
            (batch, f)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?;
        let mut placer = self.inner.placer.lock().await;
        let r = self.add_with(&mut placer, batch, features).await;
        if r.is_err() {
            // The clusterer may hold articles the rollback took away.
            placer.invalidate();
        }
        r
    }

    async fn remove(&self, id: String) -> Result<Option<Removal>> {
        if id.contains('\0') {
            return Ok(None);
        }
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_NAMESPACE, &ASSIGN_LOCK]).await?;
        let out = remove_article(&tx, &id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn locate(&self, ids: Vec<String>) -> Result<Vec<(String, String)>> {
        let ids: Vec<String> = ids.into_iter().filter(|id| !id.contains('\0')).collect();
        let c = self.client().await?;
        let found: HashMap<String, String> = c
            .query("SELECT id, story FROM articles WHERE id = ANY($1)", &[&ids])
            .await?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        Ok(ids.into_iter().filter_map(|id| found.get(&id).cloned().map(|s| (id, s))).collect())
    }

    async fn cleaning_context(&self, outlets: Vec<String>, per_outlet: usize) -> Result<Vec<Article>> {
        let outlets: Vec<String> = outlets.into_iter().map(|o| o.replace('\0', "")).collect();
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT a.id, a.path, a.url, a.source, a.title, a.author, a.published, a.language, t.raw_text AS text
                 FROM unnest($1::text[]) WITH ORDINALITY AS o (outlet, n)
                 CROSS JOIN LATERAL (
                     SELECT * FROM articles x WHERE x.outlet = o.outlet ORDER BY x.seq DESC LIMIT $2) a
                 JOIN article_texts t ON t.id = a.id
                 ORDER BY o.n, a.seq DESC",
                &[&outlets, &(per_outlet as i64)],
            )
            .await?;
        Ok(rows.iter().map(article_from_row).collect())
    }

    async fn members(&self, story: String) -> Result<Option<Members>> {
        if story.contains('\0') {
            return Ok(None);
        }
        let mut c = self.client().await?;
        let tx = c.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
        let out = {
            let Some(v) =
                tx.query_opt("SELECT version, analysed_version FROM stories WHERE id = $1", &[&story]).await?
            else {
                tx.commit().await?;
                return Ok(None);
            };
            let rows = tx
                .query(
                    "SELECT a.id, a.path, a.url, a.source, a.title, a.author, a.published, a.language, t.text,
                            a.duplicate_of, a.derived_from, a.added
                     FROM articles a JOIN article_texts t ON t.id = a.id WHERE a.story = $1 ORDER BY a.seq",
                    &[&story],
                )
                .await?;
            let mut members: Vec<Member> = rows
                .iter()
                .map(|r| Member {
                    article: article_from_row(r),
                    duplicate_of: r.get("duplicate_of"),
                    derived_from: r.get("derived_from"),
                    added: r.get("added"),
                })
                .collect();
            crate::assign::in_canonical_order(&mut members);
            Some(Members { version: v.get(0), analysed_version: v.get(1), members })
        };
        tx.commit().await?;
        Ok(out)
    }

    async fn save_analysis(&self, story: String, version: i64, headline: String, json: String) -> Result<bool> {
        let headline = headline.replace('\0', "");
        let c = self.client().await?;
        let n = c
            .execute(
                "UPDATE stories SET analysis = $1, analysed_version = $2, headline = $3 WHERE id = $4 AND version = $2",
                &[&json, &version, &headline, &story],
            )
            .await?;
        Ok(n == 1)
    }

    async fn fact_history(&self, story: String) -> Result<Option<String>> {
        if story.contains('\0') {
            return Ok(None);
        }
        let c = self.client().await?;
        Ok(c.query_opt("SELECT facts FROM story_history WHERE story = $1", &[&story]).await?.map(|r| r.get(0)))
    }

    async fn keep_fact_history(&self, story: String, json: String) -> Result<()> {
        if story.contains('\0') {
            return Ok(());
        }
        let c = self.client().await?;
        c.execute(
            "INSERT INTO story_history (story, facts) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM stories WHERE id = $1)
             ON CONFLICT (story) DO UPDATE SET facts = excluded.facts",
            &[&story, &json],
        )
        .await?;
        Ok(())
    }

    async fn stale(&self) -> Result<Vec<String>> {
        let c = self.client().await?;
        let rows =
            c.query("SELECT id FROM stories WHERE analysed_version < version ORDER BY updated_seq DESC", &[]).await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn story(&self, id: String) -> Result<Option<StoredStory>> {
        if id.contains('\0') {
            return Ok(None);
        }
        let c = self.client().await?;
        Ok(c.query_opt(
            "SELECT id, analysis, analysed_version = version FROM stories
             WHERE id = coalesce((SELECT id FROM stories WHERE id = $1),
                                 (SELECT story FROM story_aliases WHERE old = $1))",
            &[&id],
        )
        .await?
        .map(|r| StoredStory { id: r.get(0), json: r.get(1), current: r.get(2) }))
    }

    async fn stories(&self, q: StoryQuery) -> Result<Page<StoryRow>> {
        let c = self.client().await?;
        let guard = CancelOnDrop::new(&c, &self.inner.tls);
        let page = list_stories(&c, &q).await;
        guard.disarm();
        page
    }

    async fn search(&self, q: SearchQuery) -> Result<Page<Hit>> {
        let c = self.client().await?;
        let guard = CancelOnDrop::new(&c, &self.inner.tls);
        let page = search(&c, &q).await;
        guard.disarm();
        page
    }

    async fn report_order(&self) -> Result<Vec<String>> {
        let c = self.client().await?;
        let rows = c
            .query("SELECT id FROM stories ORDER BY independent_count DESC, article_count DESC, first_seq", &[])
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn removed(&self, story: Option<String>) -> Result<Vec<Removed>> {
        if story.as_deref().is_some_and(|s| s.contains('\0')) {
            return Ok(Vec::new());
        }
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT path, removed FROM articles
                 WHERE cardinality(removed) > 0 AND ($1::text IS NULL OR story = $1) ORDER BY seq",
                &[&story],
            )
            .await?;
        Ok(rows.iter().map(|r| Removed { path: r.get(0), lines: r.get(1) }).collect())
    }

    async fn counts(&self) -> Result<Counts> {
        let c = self.client().await?;
        let r = c
            .query_one(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM stories),
                        (SELECT count(*) FROM stories WHERE analysed_version < version)",
                &[],
            )
            .await?;
        Ok(Counts {
            articles: r.get::<_, i64>(0) as u64,
            stories: r.get::<_, i64>(1) as u64,
            stale: r.get::<_, i64>(2) as u64,
        })
    }

    async fn sync(&self) -> Result<()> {
        let mut placer = self.inner.placer.lock().await;
        let c = self.client().await?;
        let r = catch_up(&c, &mut placer).await;
        if r.is_err() {
            placer.invalidate();
        }
        r
    }

    async fn check(&self) -> Result<Vec<String>> {
        let mut c = self.client().await?;
        let tx = c.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
        let out = check(&tx).await?;
        tx.commit().await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
