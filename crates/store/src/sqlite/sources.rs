//! The follower's bookkeeping (see [`crate::sources`]) in SQLite.

use chrono::Utc;
use rusqlite::{OptionalExtension, Row, params};

use super::SqliteStore;
use crate::Result;
use crate::query::INSTANT_FORMAT;
use crate::sources::{HostState, Source, SourceItem, SourceStore};

const SOURCE_COLS: &str = "url, title, feed, kind, etag, last_modified, added, last_poll, last_success, last_error, \
                           next_poll, interval_secs, failures, polls, unchanged, items, articles, errors";

fn source_from_row(r: &Row) -> rusqlite::Result<Source> {
    Ok(Source {
        url: r.get(0)?,
        title: r.get(1)?,
        feed: r.get(2)?,
        kind: r.get(3)?,
        etag: r.get(4)?,
        last_modified: r.get(5)?,
        added: r.get(6)?,
        last_poll: r.get(7)?,
        last_success: r.get(8)?,
        last_error: r.get(9)?,
        next_poll: r.get(10)?,
        interval_secs: r.get(11)?,
        failures: r.get(12)?,
        polls: r.get(13)?,
        unchanged: r.get(14)?,
        items: r.get(15)?,
        articles: r.get(16)?,
        errors: r.get(17)?,
    })
}

impl SourceStore for SqliteStore {
    async fn add_sources(&self, sources: Vec<(String, Option<String>)>) -> Result<()> {
        let now = Utc::now().format(INSTANT_FORMAT).to_string();
        self.write(move |tx| {
            let mut insert = tx.prepare_cached(
                "INSERT INTO sources (url, title, added) VALUES (?1, ?2, ?3)
                 ON CONFLICT (url) DO UPDATE SET title = coalesce(sources.title, excluded.title)",
            )?;
            for (url, title) in &sources {
                insert.execute(params![url, title, now])?;
            }
            Ok(())
        })
        .await
    }

    async fn sources(&self) -> Result<Vec<Source>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!("SELECT {SOURCE_COLS} FROM sources ORDER BY seq"))?;
            let rows = stmt.query_map([], source_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn save_source(&self, s: Source) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE sources SET title = ?2, feed = ?3, kind = ?4, etag = ?5, last_modified = ?6,
                        last_poll = ?7, last_success = ?8, last_error = ?9, next_poll = ?10, interval_secs = ?11,
                        failures = ?12, polls = ?13, unchanged = ?14, items = ?15, articles = ?16, errors = ?17
                 WHERE url = ?1",
                params![
                    s.url,
                    s.title,
                    s.feed,
                    s.kind,
                    s.etag,
                    s.last_modified,
                    s.last_poll,
                    s.last_success,
                    s.last_error,
                    s.next_poll,
                    s.interval_secs,
                    s.failures,
                    s.polls,
                    s.unchanged,
                    s.items,
                    s.articles,
                    s.errors
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn source_items(&self, source: String, keys: Vec<String>) -> Result<Vec<SourceItem>> {
        self.read(move |tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT key, article, error, attempts FROM source_items WHERE source = ?1 AND key = ?2",
            )?;
            let mut out = Vec::new();
            for key in &keys {
                let found = stmt
                    .query_row(params![source, key], |r| {
                        Ok(SourceItem { key: r.get(0)?, article: r.get(1)?, error: r.get(2)?, attempts: r.get(3)? })
                    })
                    .optional()?;
                out.extend(found);
            }
            Ok(out)
        })
        .await
    }

    async fn record_items(
        &self,
        source: String,
        items: Vec<SourceItem>,
        now: String,
        forget_before: String,
    ) -> Result<()> {
        self.write(move |tx| {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO source_items (source, key, article, error, attempts, seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (source, key) DO UPDATE SET article = excluded.article, error = excluded.error,
                        attempts = excluded.attempts, seen = excluded.seen",
            )?;
            for i in &items {
                upsert.execute(params![source, i.key, i.article, i.error, i.attempts, now])?;
            }
            tx.execute("DELETE FROM source_items WHERE source = ?1 AND seen < ?2", params![source, forget_before])?;
            Ok(())
        })
        .await
    }

    async fn host(&self, host: String) -> Result<Option<HostState>> {
        self.read(move |tx| {
            Ok(tx
                .query_row(
                    "SELECT host, robots, robots_status, robots_fetched, paused_until FROM source_hosts WHERE host = ?1",
                    [&host],
                    |r| {
                        Ok(HostState {
                            host: r.get(0)?,
                            robots: r.get(1)?,
                            robots_status: r.get(2)?,
                            robots_fetched: r.get(3)?,
                            paused_until: r.get(4)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn save_host(&self, h: HostState) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO source_hosts (host, robots, robots_status, robots_fetched, paused_until)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (host) DO UPDATE SET robots = excluded.robots, robots_status = excluded.robots_status,
                        robots_fetched = excluded.robots_fetched, paused_until = excluded.paused_until",
                params![h.host, h.robots, h.robots_status, h.robots_fetched, h.paused_until],
            )?;
            Ok(())
        })
        .await
    }
}
