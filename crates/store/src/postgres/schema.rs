//! Versioned schema migrations, the database itself, and the check that the
//! stored clusterer features were made by the same feature code as ours.

use chorus_model::Article;
use chorus_stories::Features;
use deadpool_postgres::{GenericClient, Object};
use tokio_postgres::error::SqlState;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{LOCK_NAMESPACE, MIGRATE_LOCK, codec};
use crate::{Result, StoreError};

/// Migrations in order, each applied in its own transaction; the table
/// `chorus_migrations` records which have run. Never edit a released step:
/// add a new one.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_store.sql")),
    (2, include_str!("../../migrations/postgres/0002_queue.sql")),
    (3, include_str!("../../migrations/postgres/0003_history.sql")),
    (4, include_str!("../../migrations/postgres/0004_sources.sql")),
    (5, include_str!("../../migrations/postgres/0005_aliases.sql")),
    (6, include_str!("../../migrations/postgres/0006_segment.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Creates the database `config` names when the server has none of that
/// name (as the SQLite back-end creates its file), by way of the server's
/// `postgres` maintenance database.
pub async fn create_database(config: &tokio_postgres::Config, shown: &str, tls: MakeRustlsConnect) -> Result<()> {
    match config.connect(tls.clone()).await {
        Ok((client, conn)) => {
            drop(client);
            let _ = conn.await;
            return Ok(());
        }
        Err(e) if e.code() == Some(&SqlState::INVALID_CATALOG_NAME) => {}
        Err(e) => return Err(StoreError::Open { path: shown.to_string(), why: super::message(&e) }),
    }
    let name = config.get_dbname().unwrap_or_default().to_string();
    let mut admin = config.clone();
    admin.dbname("postgres");
    let (client, conn) =
        admin.connect(tls).await.map_err(|e| StoreError::Open { path: shown.to_string(), why: super::message(&e) })?;
    let driver = tokio::spawn(conn);
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    let made = client.batch_execute(&format!("CREATE DATABASE {quoted}")).await;
    drop(client);
    let _ = driver.await;
    match made {
        Ok(()) => Ok(()),
        // Another process created it meanwhile.
        Err(e) if e.code() == Some(&SqlState::DUPLICATE_DATABASE) => Ok(()),
        Err(e) => Err(StoreError::Open {
            path: shown.to_string(),
            why: format!("cannot create the database: {}", super::message(&e)),
        }),
    }
}

/// Brings the schema up to date; with `create` false, refuses a database
/// that holds no store yet.
pub async fn migrate(c: &mut Object, shown: &str, create: bool) -> Result<()> {
    loop {
        let tx = c.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_NAMESPACE, &MIGRATE_LOCK]).await?;
        let version: i32 = if has_table(&tx, "chorus_migrations").await? {
            tx.query_one("SELECT coalesce(max(version), 0) FROM chorus_migrations", &[]).await?.get(0)
        } else {
            if has_table(&tx, "articles").await? || has_table(&tx, "stories").await? || has_table(&tx, "queue").await? {
                return Err(StoreError::NotAStore {
                    path: shown.to_string(),
                    why: "it holds tables named like chorus's but no chorus_migrations".into(),
                });
            }
            if !create {
                return Err(StoreError::NotAStore {
                    path: shown.to_string(),
                    why: "no store yet (create one with `chorus ingest PATH --db URL`)".into(),
                });
            }
            tx.batch_execute(
                "CREATE TABLE chorus_migrations (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())",
            )
            .await?;
            0
        };
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: shown.to_string(),
                found: version as i64,
                known: SCHEMA_VERSION as i64,
            });
        }
        if version == SCHEMA_VERSION {
            tx.commit().await?;
            return Ok(());
        }
        let (step, sql) = MIGRATIONS[version as usize];
        tx.batch_execute(sql).await?;
        tx.execute("INSERT INTO chorus_migrations (version) VALUES ($1)", &[&step]).await?;
        tx.commit().await?;
    }
}

async fn has_table(c: &impl GenericClient, name: &str) -> Result<bool> {
    Ok(c.query_one("SELECT to_regclass($1) IS NOT NULL", &[&name]).await?.get(0))
}

/// A fixed article whose features stand for the feature code of a build.
fn probe() -> Vec<u8> {
    let a = Article {
        title: Some("Council votes to rebuild the old harbour wall".into()),
        text: "Members of the Ostbury council voted on Tuesday to rebuild the harbour wall that storms \
               breached last winter, at a cost of 4.2 million pounds. Work starts in March, the mayor said."
            .into(),
        published: Some("2024-01-09T08:30:00Z".into()),
        ..Default::default()
    };
    codec::encode(&Features::of(&a))
}

/// Stored features are only as good as the code that made them: when the
/// probe article's features differ from those recorded (another chorus
/// version stored them), they are dropped, to be computed again from the
/// text on replay, so every process clusters with the same features.
pub async fn check_features(c: &mut Object) -> Result<()> {
    let ours = probe();
    let tx = c.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_NAMESPACE, &super::ASSIGN_LOCK]).await?;
    let stored: Option<Vec<u8>> =
        tx.query_opt("SELECT bytes FROM chorus_meta WHERE key = 'features_probe'", &[]).await?.and_then(|r| r.get(0));
    if stored.as_deref() != Some(ours.as_slice()) {
        if stored.is_some() {
            tx.execute("UPDATE article_texts SET features = NULL WHERE features IS NOT NULL", &[]).await?;
        }
        tx.execute(
            "INSERT INTO chorus_meta (key, value, bytes) VALUES ('features_probe', 0, $1)
             ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes",
            &[&ours],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
