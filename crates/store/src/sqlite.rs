//! The embedded back-end: one SQLite file (the library is compiled in, so
//! nothing needs installing), full-text search by FTS5.
//!
//! Concurrency: write-ahead logging, so readers never wait for the writer
//! and see a consistent snapshot. Writes take the database's write lock
//! first (`BEGIN IMMEDIATE`), so two processes writing the same file take
//! turns instead of failing half-way; a writer waits up to
//! [`BUSY_TIMEOUT`] for its turn. Within a process, one writer connection
//! and a small pool of reader connections.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chorus_model::{Article, Removed};
use chorus_pipeline::story::Member;
use chorus_stories::Key;
use chrono::Utc;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use crate::assign::{Assigner, Fresh, Placement, Plan, SharedAssigner, Stored};
use crate::query;
use crate::sql;
use crate::{
    Added, Counts, Hit, Members, NewArticle, Page, Removal, Result, SearchQuery, Store, StoreError, StoredStory,
    StoryQuery, StoryRow,
};

/// How long a write waits for another process's write to finish. Ingest
/// commits in batches of well under a second; half a minute is beyond any
/// normal wait and still short enough to report a stuck writer.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Reader connections kept open between requests. Beyond this, a burst of
/// readers opens extra connections and closes them after; SQLite readers are
/// cheap to open, and a few warm ones cover the steady state of a server on
/// a few cores.
const IDLE_READERS: usize = 8;

/// Marks the file as a chorus store (`PRAGMA application_id`): "chrs".
const APPLICATION_ID: i64 = 0x6368_7273;

/// Versioned schema migrations, applied in order, each in its own
/// transaction; `PRAGMA user_version` records how many have run. Never edit
/// a released step: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: articles, stories, search.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO meta (key, value) VALUES ('generation', 0);

    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        headline TEXT NOT NULL,
        article_count INTEGER NOT NULL,
        source_count INTEGER NOT NULL,
        independent_count INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        updated TEXT NOT NULL,
        updated_seq INTEGER NOT NULL,
        version INTEGER NOT NULL,
        analysed_version INTEGER NOT NULL DEFAULT 0,
        analysis TEXT
    );
    CREATE INDEX stories_newest ON stories (updated_seq DESC);
    CREATE INDEX stories_biggest ON stories (independent_count DESC, article_count DESC, first_seq);
    CREATE INDEX stories_stale ON stories (id) WHERE analysed_version < version;

    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        story TEXT NOT NULL REFERENCES stories (id) ON UPDATE CASCADE,
        path TEXT NOT NULL,
        url TEXT,
        source TEXT,
        title TEXT,
        author TEXT,
        published TEXT,
        language TEXT,
        outlet TEXT NOT NULL,
        host TEXT,
        filed_at TEXT NOT NULL,
        added TEXT NOT NULL,
        raw_text TEXT NOT NULL,
        text TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        duplicate_of TEXT,
        derived_from TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX articles_story ON articles (story, seq);
    CREATE INDEX articles_outlet ON articles (outlet COLLATE NOCASE, seq);
    CREATE INDEX articles_host ON articles (host COLLATE NOCASE);
    CREATE INDEX articles_filed ON articles (filed_at);
    CREATE INDEX articles_copies ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;

    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content = 'articles', content_rowid = 'seq',
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    "#,
    // 2: each story's kept fact history (see `history`), derived data that
    // follows its story's id.
    r#"
    CREATE TABLE story_history (
        story TEXT PRIMARY KEY REFERENCES stories (id) ON UPDATE CASCADE ON DELETE CASCADE,
        facts TEXT NOT NULL
    );
    "#,
    // 3: what `chorus follow` keeps (see `sources.rs`).
    r#"
    CREATE TABLE sources (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        feed TEXT,
        kind TEXT,
        etag TEXT,
        last_modified TEXT,
        added TEXT NOT NULL,
        last_poll TEXT,
        last_success TEXT,
        last_error TEXT,
        next_poll TEXT,
        interval_secs INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        polls INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        items INTEGER NOT NULL DEFAULT 0,
        articles INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE source_items (
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        article TEXT,
        error TEXT,
        attempts INTEGER NOT NULL,
        seen TEXT NOT NULL,
        PRIMARY KEY (source, key)
    ) WITHOUT ROWID;
    CREATE INDEX source_items_seen ON source_items (source, seen);
    CREATE TABLE source_hosts (
        host TEXT PRIMARY KEY,
        robots TEXT,
        robots_status INTEGER NOT NULL,
        robots_fetched TEXT,
        paused_until TEXT
    );
    "#,
    // 4: story ids that no longer name a story (renamed or emptied into
    // another when late articles re-placed their members), so that a link
    // a reader holds still finds the story.
    r#"
    CREATE TABLE story_aliases (old TEXT PRIMARY KEY, story TEXT NOT NULL);
    CREATE INDEX story_aliases_story ON story_aliases (story);
    "#,
    // 5: search reads text through `chorus_segment` (see `query::segment`),
    // so that Han, kana and Hangul, written without spaces, are found
    // inside longer runs. The index is rebuilt once from the articles.
    r#"
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    CREATE VIEW articles_search AS
        SELECT seq, chorus_segment(title) AS title, chorus_segment(text) AS text FROM articles;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content = 'articles_search', content_rowid = 'seq',
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text)
            VALUES (new.seq, chorus_segment(new.title), chorus_segment(new.text));
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, chorus_segment(old.title), chorus_segment(old.text));
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, chorus_segment(old.title), chorus_segment(old.text));
        INSERT INTO articles_fts (rowid, title, text)
            VALUES (new.seq, chorus_segment(new.title), chorus_segment(new.text));
    END;
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

mod sources;

/// A store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// This process's clusterer for this file, shared by every clone of
    /// the store: the store, not its caller, owns the placement state, as
    /// the PostgreSQL back-end does, so that two handles on one file can
    /// never place with two different views of it.
    placer: SharedAssigner,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.inner.path).finish()
    }
}

impl SqliteStore {
    /// Opens (creating it if needed) the store at `path` and brings its
    /// schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let named = |e: StoreError| match e {
            StoreError::Sqlite(s) => StoreError::Open { path: path.display().to_string(), why: s.to_string() },
            other => other,
        };
        let mut writer = connect(&path, true).map_err(named)?;
        migrate(&mut writer, &path).map_err(named)?;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                path,
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                placer: Assigner::shared(),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on a reader connection, inside one read transaction, on a
    /// blocking thread. The work is tied to the caller: when the returned
    /// future is dropped (a client that hung up, a timeout), the statement
    /// running is interrupted at its next progress check, instead of
    /// running on for nobody.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        let cancel = CancelOnDrop::default();
        let cancelled = cancel.0.clone();
        blocking(move || {
            let mut conn = match inner.readers.lock().unwrap_or_else(|p| p.into_inner()).pop() {
                Some(c) => c,
                None => connect(&inner.path, false)?,
            };
            conn.progress_handler(PROGRESS_STEPS, Some(move || cancelled.load(Ordering::Relaxed)));
            let out = (|| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
                let out = f(&tx);
                tx.finish()?;
                out
            })();
            conn.progress_handler(0, None::<fn() -> bool>);
            let mut idle = inner.readers.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < IDLE_READERS {
                idle.push(conn);
            }
            out
        })
        .await
    }

    /// Runs `f` inside one write transaction on a blocking thread; commits
    /// when it returns `Ok`, rolls back otherwise.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        blocking(move || {
            let mut conn = inner.writer.lock().unwrap_or_else(|p| p.into_inner());
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }
}

/// Virtual-machine steps between two looks at whether a read's caller is
/// still waiting: about a tenth of a millisecond of work, so a dropped
/// request stops at once and the look costs nothing measurable. (FTS5
/// matches and ranks one row inside a single step: a search stops between
/// rows, and `query`'s bounds keep a row cheap.)
const PROGRESS_STEPS: i32 = 10_000;

/// Set when the future of a read is dropped; the read's progress handler
/// then interrupts its statement.
#[derive(Default)]
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs blocking database work off the async threads; a panic in it comes
/// back as an error rather than tearing down the caller.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(StoreError::Task(e.to_string())),
    }
}

fn connect(path: &Path, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Open { path: path.display().to_string(), why: e.to_string() })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers do not block the writer nor it them. FULL: a commit is
    // on disk when it returns, so "committed" survives a power cut too.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Open {
            path: path.display().to_string(),
            why: format!("cannot use write-ahead logging (journal mode {mode})"),
        });
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    add_functions(&conn)?;
    Ok(conn)
}

/// The SQL functions the schema calls: `chorus_segment(text)`, the text the
/// search index reads ([`query::segment`]). Every connection has it, since
/// the triggers that keep the index call it on every write. (A tool that
/// opens the file without it can read everything but cannot write
/// articles, which is as well.)
fn add_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    use rusqlite::types::ValueRef;
    conn.create_scalar_function(
        "chorus_segment",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Text(t) => Some(query::segment(&String::from_utf8_lossy(t)).into_owned()),
                _ => None,
            })
        },
    )?;
    Ok(())
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let shown = path.display().to_string();
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app: i64 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if version == 0 {
            let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            if tables > 0 {
                return Err(StoreError::NotAStore { path: shown, why: "it holds other tables".into() });
            }
        } else if app != APPLICATION_ID {
            return Err(StoreError::NotAStore { path: shown, why: format!("application id {app:#x}") });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: shown, found: version, known: SCHEMA_VERSION });
        }
        if version == SCHEMA_VERSION {
            tx.commit()?;
            return Ok(());
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};", version + 1))?;
        tx.commit()?;
    }
}

/// Columns of an article as the clusterer and analysis read it.
const ARTICLE_COLS: &str = "seq, id, path, url, source, title, author, published, language, text";

fn article_from_row(r: &Row) -> rusqlite::Result<(i64, Article)> {
    Ok((
        r.get(0)?,
        Article {
            id: r.get(1)?,
            path: r.get(2)?,
            url: r.get(3)?,
            source: r.get(4)?,
            title: r.get(5)?,
            author: r.get(6)?,
            published: r.get(7)?,
            language: r.get(8)?,
            text: r.get(9)?,
        },
    ))
}

fn json_list(s: &str) -> Result<Vec<String>> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("list {s:?}: {e}")))
}

fn to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn generation(tx: &Transaction) -> Result<i64> {
    Ok(tx.query_row("SELECT value FROM meta WHERE key = 'generation'", [], |r| r.get(0))?)
}

/// Brings the assigner up to date with the store inside `tx`.
fn catch_up(tx: &Transaction, asg: &mut Assigner) -> Result<()> {
    let generation = generation(tx)?;
    let after = asg.begin(generation);
    if asg.catch_up(stored_rows(tx, after)?).is_err() {
        // Others stored articles that sort before the window: start over.
        asg.invalidate();
        asg.begin(generation);
        let _ = asg.catch_up(stored_rows(tx, 0)?);
    }
    Ok(())
}

/// Stored articles after `seq`, as the assigner reads them.
fn stored_rows(tx: &Transaction, after: i64) -> Result<Vec<Stored>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {ARTICLE_COLS}, story, duplicate_of, derived_from FROM articles WHERE seq > ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([after], |r| {
        let (seq, a) = article_from_row(r)?;
        Ok((seq, a, r.get::<_, String>(10)?, r.get::<_, Option<String>>(11)?, r.get::<_, String>(12)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, a, story, duplicate_of, derived) = row?;
        let placement = Placement { opener: story, duplicate_of, derived_from: json_list(&derived)? };
        out.push(Stored::of(seq, &a, placement));
    }
    Ok(out)
}

/// Recomputes a story's counts from its members and bumps its version.
/// `gained`: the `seq` of its newest article when it just gained some.
fn recount(tx: &Transaction, story: &str, gained: Option<i64>, now: &str) -> Result<()> {
    let (count, sources, independent, first_seq): (i64, i64, i64, Option<i64>) = tx.query_row(
        "SELECT count(*), count(DISTINCT outlet),
                count(*) FILTER (WHERE duplicate_of IS NULL AND derived_from = '[]'), min(seq)
         FROM articles WHERE story = ?1",
        [story],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let Some(first_seq) = first_seq else {
        tx.execute("DELETE FROM stories WHERE id = ?1", [story])?;
        return Ok(());
    };
    let title: Option<String> = tx
        .query_row(
            "SELECT title FROM articles WHERE story = ?1 AND title IS NOT NULL ORDER BY seq LIMIT 1",
            [story],
            |r| r.get(0),
        )
        .optional()?;
    let headline = match title {
        Some(t) => t,
        None => {
            let text: String = tx.query_row("SELECT text FROM articles WHERE seq = ?1", [first_seq], |r| r.get(0))?;
            query::stand_in_headline(&text)
        }
    };
    tx.execute(
        "UPDATE stories SET headline = ?2, article_count = ?3, source_count = ?4, independent_count = ?5,
                first_seq = ?6, version = version + 1,
                updated = CASE WHEN ?7 IS NULL THEN updated ELSE ?8 END,
                updated_seq = coalesce(?7, updated_seq)
         WHERE id = ?1",
        params![story, headline, count, sources, independent, first_seq, gained, now],
    )?;
    Ok(())
}

fn add_batch(tx: &Transaction, batch: Vec<NewArticle>, assigner: &SharedAssigner) -> Result<Vec<Added>> {
    let mut asg = Assigner::lock(assigner);
    let result = add_locked(tx, batch, &mut asg);
    if result.is_err() {
        // The clusterer may hold articles the rollback takes away.
        asg.invalidate();
    }
    result
}

fn add_locked(tx: &Transaction, batch: Vec<NewArticle>, asg: &mut Assigner) -> Result<Vec<Added>> {
    catch_up(tx, asg)?;
    let now_t = Utc::now();
    let now = now_t.format(query::INSTANT_FORMAT).to_string();
    let mut find = tx.prepare_cached("SELECT story FROM articles WHERE id = ?1")?;
    let mut stored = HashMap::new();
    for new in &batch {
        if let Some(story) = find.query_row([&new.article.id], |r| r.get::<_, String>(0)).optional()? {
            stored.insert(new.article.id.clone(), story);
        }
    }
    let (mut out, fresh) = crate::assign::triage(batch, |n| n.article.id.as_str(), &stored);
    if fresh.is_empty() {
        return Ok(out);
    }
    let items: Vec<Fresh> = fresh.iter().map(|n| Fresh::of(&n.article)).collect();
    let plan = match asg.place(items) {
        Ok(plan) => plan,
        Err(items) => asg.rebuild(stored_rows(tx, 0)?, items),
    };
    move_rows(tx, &plan, &now)?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO articles (id, story, path, url, source, title, author, published, language, outlet, host,
                               filed_at, added, raw_text, text, removed, duplicate_of, derived_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    let mut gained: HashMap<String, i64> = HashMap::new();
    for new in &fresh {
        let a = &new.article;
        let Some(placement) = plan.new.get(&a.id) else { continue };
        insert.execute(params![
            a.id,
            placement.opener,
            a.path,
            a.url,
            a.source,
            a.title,
            a.author,
            a.published,
            a.language,
            a.outlet(),
            a.url.as_deref().and_then(chorus_model::article::url_host),
            query::filed_at(a.published.as_deref(), now_t),
            now,
            new.raw_text,
            a.text,
            to_json(&new.removed),
            placement.duplicate_of,
            to_json(&placement.derived_from),
        ])?;
        let seq = tx.last_insert_rowid();
        asg.stored(seq);
        gained.insert(placement.opener.clone(), seq);
    }
    for story in &plan.touched {
        recount(tx, story, gained.get(story).copied(), &now)?;
    }
    crate::assign::answer(&mut out, &plan);
    Ok(out)
}

/// Records that story `old` now lives on as `new`, and points the ids
/// that led to `old` there too.
fn alias(tx: &Transaction, old: &str, new: &str) -> Result<()> {
    tx.execute("UPDATE story_aliases SET story = ?2 WHERE story = ?1", [old, new])?;
    tx.execute(
        "INSERT INTO story_aliases (old, story) VALUES (?1, ?2) ON CONFLICT (old) DO UPDATE SET story = excluded.story",
        [old, new],
    )?;
    tx.execute("DELETE FROM story_aliases WHERE old = ?1", [new])?;
    Ok(())
}

/// Carries out a plan's story steps and moves before its new rows go in:
/// renamed stories take their articles and history along (`ON UPDATE
/// CASCADE`), new stories get a row for their articles to name.
fn move_rows(tx: &Transaction, plan: &Plan, now: &str) -> Result<()> {
    for (old, new) in &plan.renames {
        tx.execute("UPDATE stories SET id = ?2 WHERE id = ?1", [old, new])?;
    }
    for id in &plan.opened {
        tx.execute(
            "INSERT INTO stories (id, headline, article_count, source_count, independent_count, first_seq,
                                  updated, updated_seq, version)
             VALUES (?1, '', 0, 0, 0, 0, ?2, 0, 0)",
            params![id, now],
        )?;
    }
    for (old, new) in &plan.aliases {
        alias(tx, old, new)?;
    }
    let mut update =
        tx.prepare_cached("UPDATE articles SET story = ?2, duplicate_of = ?3, derived_from = ?4 WHERE id = ?1")?;
    for m in &plan.moved {
        update.execute(params![
            m.id,
            m.placement.opener,
            m.placement.duplicate_of,
            to_json(&m.placement.derived_from)
        ])?;
    }
    Ok(())
}

fn remove_article(tx: &Transaction, id: &str) -> Result<Option<Removal>> {
    let Some(story) =
        tx.query_row("SELECT story FROM articles WHERE id = ?1", [id], |r| r.get::<_, String>(0)).optional()?
    else {
        return Ok(None);
    };
    tx.execute("DELETE FROM articles WHERE id = ?1", [id])?;
    let mut touched = vec![story.clone()];
    let mut note = |s: String| {
        if !touched.contains(&s) {
            touched.push(s);
        }
    };
    // Copies of the removed article: the oldest becomes the original, the
    // others copies of it.
    let copies: Vec<(String, String)> = tx
        .prepare("SELECT id, story FROM articles WHERE duplicate_of = ?1 ORDER BY seq")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some((first, _)) = copies.first() {
        tx.execute("UPDATE articles SET duplicate_of = NULL WHERE id = ?1", [first])?;
        tx.execute("UPDATE articles SET duplicate_of = ?1 WHERE duplicate_of = ?2", [first.as_str(), id])?;
    }
    for (_, s) in copies {
        note(s);
    }
    // Articles derived from it lose that link.
    let quoted = serde_json::to_string(id).unwrap_or_default();
    let derived: Vec<(String, String, String)> = tx
        .prepare("SELECT id, story, derived_from FROM articles WHERE instr(derived_from, ?1) > 0")?
        .query_map([&quoted], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (aid, s, list) in derived {
        let mut list = json_list(&list)?;
        let before = list.len();
        list.retain(|d| d != id);
        if list.len() != before {
            tx.execute("UPDATE articles SET derived_from = ?1 WHERE id = ?2", [to_json(&list), aid])?;
            note(s);
        }
    }
    // The story is named by its opener: when that was the removed article,
    // it takes the name of its next article in canonical order (unique: an
    // article opens at most one story).
    let mut renamed = story.clone();
    if story == id {
        let next: Option<String> = first_articles(tx, Some(&story))?.remove(&story).map(|k| k.id);
        match next {
            Some(n) => {
                tx.execute("UPDATE stories SET id = ?1 WHERE id = ?2", [&n, &story])?;
                alias(tx, &story, &n)?;
                renamed = n;
            }
            None => {
                tx.execute("DELETE FROM stories WHERE id = ?1", [&story])?;
            }
        }
    }
    let now = Utc::now().format(query::INSTANT_FORMAT).to_string();
    let mut out_touched = Vec::new();
    for s in touched {
        let s = if s == story { renamed.clone() } else { s };
        recount(tx, &s, None, &now)?;
        if tx.query_row("SELECT 1 FROM stories WHERE id = ?1", [&s], |_| Ok(())).optional()?.is_some() {
            out_touched.push(s);
        }
    }
    tx.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'", [])?;
    let exists = out_touched.contains(&renamed);
    Ok(Some(Removal { article: id.to_string(), story: exists.then_some(renamed), touched: out_touched }))
}

/// SQLite's spelling of the shared statements ([`crate::sql`]).
struct Lite;

impl sql::Dialect for Lite {
    fn placeholder(n: usize) -> String {
        format!("?{n}")
    }

    fn text_match(n: usize) -> String {
        format!("a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?{n})")
    }

    fn source_match(n: usize) -> String {
        format!("(a.outlet = ?{n} COLLATE NOCASE OR a.host = ?{n} COLLATE NOCASE)")
    }

    fn search(extra: &str, limit: usize, offset: usize) -> String {
        format!(
            "SELECT a.id, a.story, a.title, a.source, a.published, substr(a.text, 1, {})
             FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
             WHERE articles_fts MATCH ?1{extra}
             ORDER BY articles_fts.rank, a.seq LIMIT ?{limit} OFFSET ?{offset}",
            query::SNIPPET_SCAN_CHARS
        )
    }
}

impl rusqlite::ToSql for sql::Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            sql::Param::Text(t) => t.to_sql(),
            sql::Param::Int(i) => i.to_sql(),
        }
    }
}

fn list_stories(tx: &Transaction, q: &StoryQuery) -> Result<Page<StoryRow>> {
    let Some(st) = sql::story_list::<Lite>(q) else {
        return Ok(Page { items: Vec::new(), next: None });
    };
    let mut stmt = tx.prepare(&st.sql)?;
    let rows: Vec<(StoryRow, i64, i64)> = stmt
        .query_map(rusqlite::params_from_iter(&st.params), |r| {
            Ok((
                StoryRow {
                    id: r.get(0)?,
                    headline: r.get(1)?,
                    article_count: r.get::<_, i64>(2)? as u64,
                    source_count: r.get::<_, i64>(3)? as u64,
                    independent_count: r.get::<_, i64>(4)? as u64,
                    updated: r.get(5)?,
                },
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(sql::story_page(rows, q))
}

fn search(tx: &Transaction, q: &SearchQuery) -> Result<Page<Hit>> {
    let Some(st) = sql::search::<Lite>(q) else {
        return Ok(Page { items: Vec::new(), next: None });
    };
    let mut stmt = tx.prepare(&st.sql)?;
    let items: Vec<Hit> = stmt
        .query_map(rusqlite::params_from_iter(&st.params), |r| {
            Ok(Hit {
                id: r.get(0)?,
                story: r.get(1)?,
                title: r.get(2)?,
                source: r.get(3)?,
                published: r.get(4)?,
                // The text's opening, made a snippet by `search_page`.
                snippet: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(sql::search_page(items, q))
}

/// Each story's first article in canonical order (the one that opened it,
/// whose id names it): of one story, or of all.
fn first_articles(tx: &Transaction, story: Option<&str>) -> Result<HashMap<String, Key>> {
    let mut stmt = tx.prepare_cached(
        "SELECT story, id, published, length(CAST(text AS BLOB)) FROM articles WHERE ?1 IS NULL OR story = ?1",
    )?;
    let rows = stmt.query_map([story], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, i64>(3)?))
    })?;
    let mut out: HashMap<String, Key> = HashMap::new();
    for row in rows {
        let (story, id, published, len) = row?;
        crate::assign::keep_first(&mut out, story, Key::new(&id, published.as_deref(), len.max(0) as usize));
    }
    Ok(out)
}

fn check(tx: &Transaction) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let integrity: String = tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        problems.push(format!("integrity check: {integrity}"));
    }
    let fk: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    if fk > 0 {
        problems.push(format!("{fk} articles name a story that does not exist"));
    }
    if let Err(e) = tx.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)", []) {
        problems.push(format!("search index out of step with the articles: {e}"));
    }
    let mut stmt = tx.prepare(
        "SELECT s.id, s.article_count, s.source_count, s.independent_count, s.first_seq,
                count(a.seq), count(DISTINCT a.outlet),
                count(a.seq) FILTER (WHERE a.duplicate_of IS NULL AND a.derived_from = '[]'), min(a.seq),
                s.analysed_version <= s.version
         FROM stories s LEFT JOIN articles a ON a.story = s.id GROUP BY s.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            [r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
            [r.get::<_, i64>(5)?, r.get(6)?, r.get(7)?, r.get::<_, Option<i64>>(8)?.unwrap_or(0)],
            r.get::<_, bool>(9)?,
        ))
    })?;
    let openers = first_articles(tx, None)?;
    for row in rows {
        let (id, stored, actual, versions_ok) = row?;
        let first = openers.get(&id).map(|k| k.id.as_str());
        sql::story_problems(sql::StoryFacts { id: &id, stored, actual, first, versions_ok }, &mut problems);
    }
    sql::dangling_problem(tx.query_row(sql::DANGLING_COPIES, [], |r| r.get(0))?, &mut problems);
    Ok(problems)
}

impl Store for SqliteStore {
    async fn add(&self, batch: Vec<NewArticle>) -> Result<Vec<Added>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let shared = self.inner.placer.clone();
        let assigner = shared.clone();
        let r = self.write(move |tx| add_batch(tx, batch, &assigner)).await;
        if r.is_err() {
            // A failed commit rolls back what the clusterer was told.
            Assigner::lock(&shared).invalidate();
        }
        r
    }

    async fn remove(&self, id: String) -> Result<Option<Removal>> {
        self.write(move |tx| remove_article(tx, &id)).await
    }

    async fn locate(&self, ids: Vec<String>) -> Result<Vec<(String, String)>> {
        self.read(move |tx| {
            let mut stmt = tx.prepare_cached("SELECT story FROM articles WHERE id = ?1")?;
            let mut out = Vec::new();
            for id in ids {
                if let Some(s) = stmt.query_row([&id], |r| r.get::<_, String>(0)).optional()? {
                    out.push((id, s));
                }
            }
            Ok(out)
        })
        .await
    }

    /// The outlet is matched exactly, as the cleaner groups articles (and
    /// as PostgreSQL matches it); the case-free condition is there for the
    /// `articles_outlet` index, which is `NOCASE`.
    async fn cleaning_context(&self, outlets: Vec<String>, per_outlet: usize) -> Result<Vec<Article>> {
        self.read(move |tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT seq, id, path, url, source, title, author, published, language, raw_text
                 FROM articles WHERE outlet = ?1 COLLATE NOCASE AND outlet = ?1 ORDER BY seq DESC LIMIT ?2",
            )?;
            let mut out = Vec::new();
            for o in outlets {
                for row in stmt.query_map(params![o, per_outlet as i64], article_from_row)? {
                    out.push(row?.1);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn members(&self, story: String) -> Result<Option<Members>> {
        self.read(move |tx| {
            let Some((version, analysed_version)) = tx
                .query_row("SELECT version, analysed_version FROM stories WHERE id = ?1", [&story], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
            else {
                return Ok(None);
            };
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {ARTICLE_COLS}, duplicate_of, derived_from, added FROM articles WHERE story = ?1 ORDER BY seq"
            ))?;
            let rows: Vec<(Article, Option<String>, String, String)> = stmt
                .query_map([&story], |r| Ok((article_from_row(r)?.1, r.get(10)?, r.get(11)?, r.get(12)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut members = Vec::with_capacity(rows.len());
            for (article, duplicate_of, derived, added) in rows {
                members.push(Member { article, duplicate_of, derived_from: json_list(&derived)?, added: Some(added) });
            }
            crate::assign::in_canonical_order(&mut members);
            Ok(Some(Members { version, analysed_version, members }))
        })
        .await
    }

    async fn save_analysis(&self, story: String, version: i64, headline: String, json: String) -> Result<bool> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE stories SET analysis = ?1, analysed_version = ?2, headline = ?3 WHERE id = ?4 AND version = ?2",
                params![json, version, headline, story],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn fact_history(&self, story: String) -> Result<Option<String>> {
        self.read(move |tx| {
            Ok(tx.query_row("SELECT facts FROM story_history WHERE story = ?1", [&story], |r| r.get(0)).optional()?)
        })
        .await
    }

    async fn keep_fact_history(&self, story: String, json: String) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO story_history (story, facts) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM stories WHERE id = ?1)
                 ON CONFLICT (story) DO UPDATE SET facts = excluded.facts",
                params![story, json],
            )?;
            Ok(())
        })
        .await
    }

    async fn stale(&self) -> Result<Vec<String>> {
        self.read(|tx| {
            let mut stmt =
                tx.prepare("SELECT id FROM stories WHERE analysed_version < version ORDER BY updated_seq DESC")?;
            Ok(stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn story(&self, id: String) -> Result<Option<StoredStory>> {
        self.read(move |tx| {
            Ok(tx
                .query_row(
                    "SELECT id, analysis, analysed_version = version FROM stories
                     WHERE id = coalesce((SELECT id FROM stories WHERE id = ?1),
                                         (SELECT story FROM story_aliases WHERE old = ?1))",
                    [&id],
                    |r| Ok(StoredStory { id: r.get(0)?, json: r.get(1)?, current: r.get(2)? }),
                )
                .optional()?)
        })
        .await
    }

    async fn stories(&self, q: StoryQuery) -> Result<Page<StoryRow>> {
        self.read(move |tx| list_stories(tx, &q)).await
    }

    async fn search(&self, q: SearchQuery) -> Result<Page<Hit>> {
        self.read(move |tx| search(tx, &q)).await
    }

    async fn report_order(&self) -> Result<Vec<String>> {
        self.read(|tx| {
            let mut stmt =
                tx.prepare("SELECT id FROM stories ORDER BY independent_count DESC, article_count DESC, first_seq")?;
            Ok(stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn removed(&self, story: Option<String>) -> Result<Vec<Removed>> {
        self.read(move |tx| {
            let mut stmt = tx.prepare(
                "SELECT path, removed FROM articles WHERE removed != '[]' AND (?1 IS NULL OR story = ?1) ORDER BY seq",
            )?;
            let rows: Vec<(String, String)> =
                stmt.query_map([&story], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            rows.into_iter().map(|(path, lines)| Ok(Removed { path, lines: json_list(&lines)? })).collect()
        })
        .await
    }

    async fn counts(&self) -> Result<Counts> {
        self.read(|tx| {
            Ok(tx.query_row(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM stories),
                        (SELECT count(*) FROM stories WHERE analysed_version < version)",
                [],
                |r| {
                    Ok(Counts {
                        articles: r.get::<_, i64>(0)? as u64,
                        stories: r.get::<_, i64>(1)? as u64,
                        stale: r.get::<_, i64>(2)? as u64,
                    })
                },
            )?)
        })
        .await
    }

    async fn sync(&self) -> Result<()> {
        let assigner = self.inner.placer.clone();
        self.read(move |tx| {
            let mut asg = Assigner::lock(&assigner);
            let r = catch_up(tx, &mut asg);
            if r.is_err() {
                asg.invalidate();
            }
            r
        })
        .await
    }

    async fn check(&self) -> Result<Vec<String>> {
        self.write(check).await
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::conformance::{Backend, conformance_suite};

    /// A store in a file of its own temporary folder.
    struct LiteBackend {
        _dir: tempfile::TempDir,
        path: PathBuf,
    }

    impl Backend for LiteBackend {
        type S = SqliteStore;

        async fn fresh(_name: &str) -> Option<Self> {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.db");
            Some(LiteBackend { _dir: dir, path })
        }

        async fn open(&self) -> SqliteStore {
            SqliteStore::open(&self.path).unwrap()
        }
    }

    conformance_suite!(LiteBackend);

    #[test]
    fn refuses_a_database_that_is_not_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE t (x)").unwrap();
        drop(c);
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
        let newer = dir.path().join("newer.db");
        SqliteStore::open(&newer).unwrap();
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(c);
        assert!(matches!(SqliteStore::open(&newer).unwrap_err(), StoreError::TooNew { found: 99, .. }));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_read_stops_its_statement() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("t.db")).unwrap();
        let done = Arc::new(Mutex::new(None));
        let seen = done.clone();
        // Minutes of work if nothing stops it.
        let read = store.read(move |tx| {
            let r: rusqlite::Result<i64> = tx.query_row(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) FROM c",
                [],
                |r| r.get(0),
            );
            *seen.lock().unwrap() = Some((Instant::now(), r.is_err()));
            Ok(())
        });
        assert!(tokio::time::timeout(Duration::from_millis(200), read).await.is_err());
        let dropped = Instant::now();
        while done.lock().unwrap().is_none() && dropped.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let (ended, failed) = done.lock().unwrap().expect("the statement ended");
        assert!(failed, "interrupted, not finished");
        assert!(ended.duration_since(dropped) < Duration::from_secs(2), "{:?}", ended.duration_since(dropped));
        // The connection goes back to the pool fit for the next read.
        assert_eq!(store.read(|tx| Ok(tx.query_row("SELECT 41 + 1", [], |r| r.get::<_, i64>(0))?)).await.unwrap(), 42);
    }

    /// A store of schema version 4 (search without segmentation) is
    /// brought to version 5 and its articles in unspaced scripts become
    /// searchable.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_search_index_is_rebuilt_with_segmentation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let c = Connection::open(&path).unwrap();
            for m in &MIGRATIONS[..4] {
                c.execute_batch(m).unwrap();
            }
            c.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 4;")).unwrap();
            c.execute_batch(
                "INSERT INTO stories VALUES ('s1', '東京で地震', 1, 1, 1, 1, '2024-01-01T00:00:00Z', 1, 1, 0, NULL);
                 INSERT INTO articles (id, story, path, title, outlet, filed_at, added, raw_text, text)
                 VALUES ('s1', 's1', 'a.txt', '東京で地震', 'x', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z',
                         '東京都で地震が発生した。', '東京都で地震が発生した。');",
            )
            .unwrap();
            let old: i64 = c
                .query_row("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"東京\"'", [], |r| r.get(0))
                .unwrap();
            assert_eq!(old, 0, "the old index sees one word");
        }
        let store = SqliteStore::open(&path).unwrap();
        let q = |q: &str| SearchQuery { q: q.into(), limit: 10, ..Default::default() };
        let hits = store.search(q("東京")).await.unwrap();
        assert_eq!(hits.items.len(), 1);
        assert!(hits.items[0].snippet.contains("東京"), "{:?}", hits.items[0].snippet);
        assert!(!hits.items[0].snippet.contains(query::SEGMENT_MARK));
        assert_eq!(store.search(q("発生")).await.unwrap().items[0].snippet, "東京都で地震が発生した。");
        assert_eq!(store.search(q("地震 東京")).await.unwrap().items.len(), 1);
        assert!(store.search(q("京東")).await.unwrap().items.is_empty(), "characters in order");
        assert!(store.check().await.unwrap().is_empty());
        let version: i64 = store.read(|tx| Ok(tx.query_row("PRAGMA user_version", [], |r| r.get(0))?)).await.unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}
