//! The work queue that lets many workers share a large ingest (PostgreSQL
//! only): `chorus ingest --enqueue` adds input units, `chorus worker`
//! claims them in batches, stores their articles and deletes them.
//!
//! A claim is a lease: the rows are marked with the worker and a time, and
//! are claimed with `FOR UPDATE SKIP LOCKED`, so concurrent workers take
//! disjoint batches without waiting on each other. A worker that dies
//! leaves its rows leased until the lease runs out; then any worker claims
//! them again. Storing is idempotent (an article id is stored once, under
//! the assignment lock), so a batch finished twice, by a worker that died
//! after committing but before deleting its rows, still stores every
//! article once.

use std::time::Duration;

use deadpool_postgres::Object;

use crate::Result;
use crate::postgres::{LOCK_NAMESPACE, PgStore};

/// What a queued unit holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The bytes of a whole single-article file (text or HTML), read by
    /// the worker as `chorus ingest` reads the file.
    File,
    /// One line of a JSON Lines file; the name is `FILE#LINE`.
    JsonLine,
    /// One article already read (JSON of [`chorus_model::Article`]), from
    /// a format the enqueuer has to parse to split (feeds, WARC).
    Article,
}

impl Kind {
    fn code(self) -> i16 {
        match self {
            Kind::File => 0,
            Kind::JsonLine => 1,
            Kind::Article => 2,
        }
    }

    fn from_code(c: i16) -> Option<Kind> {
        match c {
            0 => Some(Kind::File),
            1 => Some(Kind::JsonLine),
            2 => Some(Kind::Article),
            _ => None,
        }
    }
}

/// One unit to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The input as given (a path, or `FILE#N`).
    pub name: String,
    pub kind: Kind,
    pub body: Vec<u8>,
}

/// A claimed unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub name: String,
    /// `None` for a kind this build does not know (a newer enqueuer).
    pub kind: Option<Kind>,
    pub body: Vec<u8>,
    /// How many times it was claimed, this claim included.
    pub attempts: i32,
}

/// What is left in the queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueueStatus {
    /// Units no one holds: never claimed, or their lease ran out.
    pub ready: u64,
    /// Units a worker holds now.
    pub leased: u64,
    /// Units given up on after [`MAX_ATTEMPTS`].
    pub failed: u64,
}

impl QueueStatus {
    /// Whether nothing is left that a worker could still do.
    pub fn is_drained(&self) -> bool {
        self.ready == 0 && self.leased == 0
    }
}

/// A unit is given up on when this many claims ran out without finishing
/// it: a worker that crashes on an input (or is killed) three times in a
/// row is meeting a poison input, not bad luck, and the rest of the queue
/// must go on.
pub const MAX_ATTEMPTS: i32 = 3;

/// Bytes of unit bodies sent in one insert: big enough that a large
/// enqueue is a few round trips, small enough to stay far from
/// PostgreSQL's 1 GB message limit.
const ENQUEUE_CHUNK_BYTES: usize = 16 * 1024 * 1024;

/// The advisory-lock namespace of per-story analysis locks (the story's
/// `hashtext` is the second key). Its own namespace, so that story hashes
/// never collide with the store's global locks.
const STORY_LOCK_NAMESPACE: i32 = LOCK_NAMESPACE + 1;

impl PgStore {
    /// Adds units to the queue, in order, in one transaction. Returns how
    /// many were queued.
    pub async fn enqueue(&self, units: Vec<Unit>) -> Result<u64> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let stmt = tx
            .prepare_cached(
                "INSERT INTO queue (name, kind, body)
                 SELECT u.name, u.kind, u.body
                 FROM unnest($1::text[], $2::int2[], $3::bytea[]) WITH ORDINALITY AS u (name, kind, body, n)
                 ORDER BY u.n",
            )
            .await?;
        let mut total = 0;
        let mut units = units.into_iter().peekable();
        while units.peek().is_some() {
            let (mut names, mut kinds, mut bodies) = (Vec::new(), Vec::new(), Vec::new());
            let mut bytes = 0;
            while let Some(u) = units.next_if(|u| bytes == 0 || bytes + u.body.len() <= ENQUEUE_CHUNK_BYTES) {
                bytes += u.body.len().max(1);
                names.push(u.name);
                kinds.push(u.kind.code());
                bodies.push(u.body);
            }
            total += tx.execute(&stmt, &[&names, &kinds, &bodies]).await?;
        }
        tx.commit().await?;
        Ok(total)
    }

    /// Claims up to `max` units for `worker` until `lease` from now (the
    /// server's clock, so workers' clocks do not matter), oldest first.
    /// Units whose lease ran out [`MAX_ATTEMPTS`] times are marked failed
    /// instead.
    pub async fn claim(&self, worker: &str, max: usize, lease: Duration) -> Result<Vec<Claimed>> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute(
            "UPDATE queue SET failed = format('gave up after %s claims that did not finish', attempts)
             WHERE failed IS NULL AND attempts >= $1 AND lease_until < now()",
            &[&MAX_ATTEMPTS],
        )
        .await?;
        let rows = tx
            .query(
                "WITH picked AS (
                     SELECT id FROM queue
                     WHERE failed IS NULL AND (lease_until IS NULL OR lease_until < now())
                     ORDER BY id LIMIT $3
                     FOR UPDATE SKIP LOCKED)
                 UPDATE queue q
                 SET claimed_by = $1, lease_until = now() + make_interval(secs => $2),
                     attempts = q.attempts + 1
                 FROM picked WHERE q.id = picked.id
                 RETURNING q.id, q.name, q.kind, q.body, q.attempts",
                &[&worker, &lease.as_secs_f64(), &(max.max(1) as i64)],
            )
            .await?;
        tx.commit().await?;
        let mut out: Vec<Claimed> = rows
            .into_iter()
            .map(|r| Claimed {
                id: r.get(0),
                name: r.get(1),
                kind: Kind::from_code(r.get(2)),
                body: r.get(3),
                attempts: r.get(4),
            })
            .collect();
        out.sort_by_key(|c| c.id);
        Ok(out)
    }

    /// Extends `worker`'s lease on units it still holds; returns how many
    /// it still held.
    pub async fn renew(&self, worker: &str, ids: &[i64], lease: Duration) -> Result<u64> {
        let c = self.client().await?;
        Ok(c.execute(
            "UPDATE queue SET lease_until = now() + make_interval(secs => $3)
             WHERE id = ANY($2) AND claimed_by = $1 AND failed IS NULL",
            &[&worker, &ids, &lease.as_secs_f64()],
        )
        .await?)
    }

    /// Deletes finished units (whoever holds them now: their articles are
    /// stored, and storing them again would change nothing).
    pub async fn finish(&self, ids: &[i64]) -> Result<()> {
        let c = self.client().await?;
        c.execute("DELETE FROM queue WHERE id = ANY($1)", &[&ids]).await?;
        Ok(())
    }

    /// Records inputs that could not be read: `(path, error)`.
    pub async fn record_errors(&self, errors: Vec<(String, String)>) -> Result<()> {
        if errors.is_empty() {
            return Ok(());
        }
        let (paths, messages): (Vec<String>, Vec<String>) = errors.into_iter().unzip();
        let c = self.client().await?;
        c.execute(
            "INSERT INTO ingest_errors (path, error) SELECT * FROM unnest($1::text[], $2::text[])",
            &[&paths, &messages],
        )
        .await?;
        Ok(())
    }

    /// Every input error recorded so far, oldest first: `(path, error)`.
    pub async fn errors(&self) -> Result<Vec<(String, String)>> {
        let c = self.client().await?;
        Ok(c.query("SELECT path, error FROM ingest_errors ORDER BY id", &[])
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    pub async fn queue_status(&self) -> Result<QueueStatus> {
        let c = self.client().await?;
        let r = c
            .query_one(
                "SELECT count(*) FILTER (WHERE failed IS NULL AND (lease_until IS NULL OR lease_until < now())),
                        count(*) FILTER (WHERE failed IS NULL AND lease_until >= now()),
                        count(*) FILTER (WHERE failed IS NOT NULL)
                 FROM queue",
                &[],
            )
            .await?;
        Ok(QueueStatus {
            ready: r.get::<_, i64>(0) as u64,
            leased: r.get::<_, i64>(1) as u64,
            failed: r.get::<_, i64>(2) as u64,
        })
    }

    /// Up to `n` stale stories picked at random: workers analysing at the
    /// same time then mostly try different stories, rather than queue up on
    /// the locks of the same few.
    pub async fn stale_sample(&self, n: i64) -> Result<Vec<String>> {
        let c = self.client().await?;
        Ok(c.query("SELECT id FROM stories WHERE analysed_version < version ORDER BY random() LIMIT $1", &[&n])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    /// Takes the analysis lock of a story, unless another process holds it
    /// (`None`): so that workers analyse each stale story once. The lock
    /// belongs to a connection, so a process that dies drops it with its
    /// connection.
    pub async fn lock_story(&self, story: &str) -> Result<Option<StoryLock>> {
        let c = self.client().await?;
        let got: bool = c
            .query_one("SELECT pg_try_advisory_lock($1, hashtext($2))", &[&STORY_LOCK_NAMESPACE, &story])
            .await?
            .get(0);
        Ok(got.then(|| StoryLock { client: Some(c), story: story.to_string() }))
    }
}

/// A held story analysis lock; [`StoryLock::release`] it when done.
pub struct StoryLock {
    client: Option<Object>,
    story: String,
}

impl StoryLock {
    pub async fn release(mut self) -> Result<()> {
        if let Some(c) = self.client.take() {
            c.execute("SELECT pg_advisory_unlock($1, hashtext($2))", &[&STORY_LOCK_NAMESPACE, &self.story]).await?;
        }
        Ok(())
    }
}

impl Drop for StoryLock {
    /// Not released (an error or a panic on the way): the connection is
    /// closed rather than pooled, which drops the lock with it.
    fn drop(&mut self) {
        if let Some(c) = self.client.take() {
            drop(Object::take(c));
        }
    }
}
