//! The follower's bookkeeping (see [`crate::sources`]) in PostgreSQL.

use chrono::Utc;
use tokio_postgres::Row;

use super::PgStore;
use crate::Result;
use crate::query::INSTANT_FORMAT;
use crate::sources::{HostState, Source, SourceItem, SourceStore};

const SOURCE_COLS: &str = "url, title, feed, kind, etag, last_modified, added, last_poll, last_success, last_error, \
                           next_poll, interval_secs, failures, polls, unchanged, items, articles, errors";

fn source_from_row(r: &Row) -> Source {
    Source {
        url: r.get(0),
        title: r.get(1),
        feed: r.get(2),
        kind: r.get(3),
        etag: r.get(4),
        last_modified: r.get(5),
        added: r.get(6),
        last_poll: r.get(7),
        last_success: r.get(8),
        last_error: r.get(9),
        next_poll: r.get(10),
        interval_secs: r.get(11),
        failures: r.get(12),
        polls: r.get(13),
        unchanged: r.get(14),
        items: r.get(15),
        articles: r.get(16),
        errors: r.get(17),
    }
}

impl SourceStore for PgStore {
    async fn add_sources(&self, sources: Vec<(String, Option<String>)>) -> Result<()> {
        let now = Utc::now().format(INSTANT_FORMAT).to_string();
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let insert = tx
            .prepare(
                "INSERT INTO sources (url, title, added) VALUES ($1, $2, $3)
                 ON CONFLICT (url) DO UPDATE SET title = coalesce(sources.title, excluded.title)",
            )
            .await?;
        for (url, title) in &sources {
            tx.execute(&insert, &[url, title, &now]).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn sources(&self) -> Result<Vec<Source>> {
        let c = self.client().await?;
        let rows = c.query(&format!("SELECT {SOURCE_COLS} FROM sources ORDER BY seq"), &[]).await?;
        Ok(rows.iter().map(source_from_row).collect())
    }

    async fn save_source(&self, s: Source) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            "UPDATE sources SET title = $2, feed = $3, kind = $4, etag = $5, last_modified = $6,
                    last_poll = $7, last_success = $8, last_error = $9, next_poll = $10, interval_secs = $11,
                    failures = $12, polls = $13, unchanged = $14, items = $15, articles = $16, errors = $17
             WHERE url = $1",
            &[
                &s.url,
                &s.title,
                &s.feed,
                &s.kind,
                &s.etag,
                &s.last_modified,
                &s.last_poll,
                &s.last_success,
                &s.last_error,
                &s.next_poll,
                &s.interval_secs,
                &s.failures,
                &s.polls,
                &s.unchanged,
                &s.items,
                &s.articles,
                &s.errors,
            ],
        )
        .await?;
        Ok(())
    }

    async fn source_items(&self, source: String, keys: Vec<String>) -> Result<Vec<SourceItem>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT key, article, error, attempts FROM source_items WHERE source = $1 AND key = ANY($2)",
                &[&source, &keys],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| SourceItem { key: r.get(0), article: r.get(1), error: r.get(2), attempts: r.get(3) })
            .collect())
    }

    async fn record_items(
        &self,
        source: String,
        items: Vec<SourceItem>,
        now: String,
        forget_before: String,
    ) -> Result<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let upsert = tx
            .prepare(
                "INSERT INTO source_items (source, key, article, error, attempts, seen) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (source, key) DO UPDATE SET article = excluded.article, error = excluded.error,
                        attempts = excluded.attempts, seen = excluded.seen",
            )
            .await?;
        for i in &items {
            tx.execute(&upsert, &[&source, &i.key, &i.article, &i.error, &i.attempts, &now]).await?;
        }
        tx.execute("DELETE FROM source_items WHERE source = $1 AND seen < $2", &[&source, &forget_before]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn host(&self, host: String) -> Result<Option<HostState>> {
        let c = self.client().await?;
        Ok(c.query_opt(
            "SELECT host, robots, robots_status, robots_fetched, paused_until FROM source_hosts WHERE host = $1",
            &[&host],
        )
        .await?
        .map(|r| HostState {
            host: r.get(0),
            robots: r.get(1),
            robots_status: r.get(2),
            robots_fetched: r.get(3),
            paused_until: r.get(4),
        }))
    }

    async fn save_host(&self, h: HostState) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO source_hosts (host, robots, robots_status, robots_fetched, paused_until)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (host) DO UPDATE SET robots = excluded.robots, robots_status = excluded.robots_status,
                    robots_fetched = excluded.robots_fetched, paused_until = excluded.paused_until",
            &[&h.host, &h.robots, &h.robots_status, &h.robots_fetched, &h.paused_until],
        )
        .await?;
        Ok(())
    }
}
