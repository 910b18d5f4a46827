//! `chorus ingest --enqueue` and `chorus worker`: a large ingest shared by
//! any number of processes, on any number of machines, around one
//! PostgreSQL store.
//!
//! The enqueuer only splits its inputs into units (a single-article file,
//! a JSON Lines line, an article of a feed or archive) and queues them; the
//! workers do the work: reading (decoding, HTML extraction), cleaning,
//! clustering features, storing, and the analysis of the stories that
//! changed. See `chorus_store::queue` for how claims and leases work, and
//! docs/scaling.md for running it.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chorus_ingest::{Event, Format};
use chorus_model::Article;
use chorus_store::queue::{Claimed, Kind, Unit};
use chorus_store::{Engine, PgStore};

/// Inputs a worker claims at a time. A batch is one cleaning context and
/// one short assignment transaction; 64 articles keep that transaction
/// to tens of milliseconds (so other workers wait little for the lock)
/// while making the per-batch round trips negligible, and a killed worker
/// delays at most 64 inputs by one lease.
pub const DEFAULT_BATCH: u32 = 64;

/// How long a claim holds when `--lease` is not given. A batch takes
/// seconds, and a live worker renews its lease every third of it, so the
/// lease only matters when a worker dies: then its batch waits this long
/// before another worker takes it. Five minutes is far beyond a slow
/// batch on a loaded machine yet short next to a batch job.
pub const DEFAULT_LEASE: &str = "5m";

/// Units sent to the queue per transaction when enqueuing: workers can
/// start on the first ones while the rest are still being queued.
const ENQUEUE_UNITS: usize = 2000;

/// Stale stories one analysis round picks from (at random, so that
/// workers spread over them instead of all trying the same ones).
const ANALYSE_PICK: i64 = 32;

#[derive(clap::Args, Debug)]
pub struct WorkerArgs {
    /// The store: a PostgreSQL URL (`postgres://user@host:port/db`). The
    /// database and its schema are created if missing.
    #[arg(long, value_name = "URL", env = "CHORUS_DB")]
    pub db: String,
    /// Inputs claimed at a time by each job.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch: u32,
    /// How long a claim holds before another worker may take the batch
    /// over (renewed while the batch is worked on): `30s`, `5m`, `1h`, or
    /// seconds.
    #[arg(long, value_name = "DURATION", default_value = DEFAULT_LEASE, value_parser = parse_duration)]
    pub lease: Duration,
    /// Batches worked on at once in this process [default: one per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// Exit once nothing is left to claim or analyse, instead of waiting
    /// for more (for batch jobs).
    #[arg(long)]
    pub until_idle: bool,
    /// How long to wait before looking again at an empty queue.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub poll: Duration,
    /// This worker's name in the queue [default: HOST:PID].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Print nothing but errors and the closing line.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `30s`, `500ms`, `5m`, `2h`, or a number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("{s:?}: expected a duration such as 30s, 5m or 1h"))?;
    let seconds = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        other => return Err(format!("{s:?}: unknown unit {other:?} (use ms, s, m or h)")),
    };
    if !(seconds > 0.0 && seconds < 1e9) {
        return Err(format!("{s:?}: must be more than zero"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn postgres_only(db: &str, what: &str) -> Result<()> {
    if !chorus_store::postgres::is_url(db) {
        bail!("{what} needs a PostgreSQL store (--db postgres://…): workers on several machines share one database");
    }
    Ok(())
}

/// `chorus ingest --db URL --enqueue PATH...`: queues the inputs.
pub fn enqueue(db: &str, paths: &[String]) -> Result<ExitCode> {
    postgres_only(db, "--enqueue")?;
    let rt = crate::store_cmd::runtime()?;
    rt.block_on(async {
        let store = PgStore::connect(db).await?;
        let mut queued = 0u64;
        let mut errors = Vec::new();
        let mut pending: Vec<Unit> = Vec::new();
        for input in paths {
            let files = match chorus_ingest::walk::expand(input) {
                Ok(f) => f,
                Err(e) => {
                    errors.push((e.path, e.error));
                    continue;
                }
            };
            for file in files {
                let mut sink = |u: Unit| pending.push(u);
                if let Err(e) = split(&file, &mut sink, &mut errors) {
                    errors.push((file.clone(), e));
                }
                if pending.len() >= ENQUEUE_UNITS {
                    queued += store.enqueue(std::mem::take(&mut pending)).await?;
                }
            }
        }
        queued += store.enqueue(pending).await?;
        for (path, error) in &errors {
            eprintln!("chorus: {path}: {error}");
        }
        store.record_errors(errors).await?;
        eprintln!(
            "chorus: {}: {queued} inputs queued; run `chorus worker --db URL` (as many as you like) to store them",
            store.shown()
        );
        Ok(if queued > 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
    })
}

/// Splits one file (or stdin) into queue units.
fn split(file: &str, emit: &mut dyn FnMut(Unit), errors: &mut Vec<(String, String)>) -> Result<(), String> {
    let mut input: Box<dyn BufRead> = if file == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(file).map_err(|e| format!("cannot read: {e}"))?;
        Box::new(BufReader::with_capacity(64 * 1024, f))
    };
    let head = input.fill_buf().map_err(|e| format!("cannot read: {e}"))?.to_vec();
    if head.is_empty() {
        return Err("empty input".into());
    }
    let path = (file != "-").then(|| Path::new(file));
    match Format::detect(path, &head) {
        Format::Text | Format::Html => {
            let body = chorus_ingest::read_limited(&mut input).map_err(|e| e.to_string())?;
            emit(Unit { name: file.to_string(), kind: Kind::File, body });
        }
        Format::Jsonl => {
            // Numbered as the JSON Lines reader numbers them, blank lines
            // included, so paths are the same as with `chorus ingest`.
            let mut line = Vec::new();
            let mut n = 0usize;
            loop {
                line.clear();
                let read = (&mut input)
                    .take(chorus_ingest::MAX_RECORD_BYTES as u64 + 1)
                    .read_until(b'\n', &mut line)
                    .map_err(|e| format!("cannot read: {e}"))?;
                if read == 0 {
                    break;
                }
                n += 1;
                let name = format!("{file}#{n}");
                if line.len() > chorus_ingest::MAX_RECORD_BYTES {
                    errors.push((name, format!("line over the {}-byte limit", chorus_ingest::MAX_RECORD_BYTES)));
                    // Skip the rest of the over-long line.
                    while !line.ends_with(b"\n") {
                        line.clear();
                        if (&mut input).take(1 << 20).read_until(b'\n', &mut line).map_err(|e| e.to_string())? == 0 {
                            break;
                        }
                    }
                    continue;
                }
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                emit(Unit { name, kind: Kind::JsonLine, body: std::mem::take(&mut line) });
            }
        }
        format @ (Format::Feed | Format::Warc) => {
            // Items of a feed or records of an archive are found only by
            // parsing it; the articles read are queued as they are.
            let name = if file == "-" { "-" } else { file };
            let reader = chorus_ingest::formats::reader(format);
            reader.read(name, &mut input, &mut |ev| match ev {
                Event::Article(a) => match serde_json::to_vec(&a) {
                    Ok(body) => emit(Unit { name: a.path.clone(), kind: Kind::Article, body }),
                    Err(e) => errors.push((a.path.clone(), e.to_string())),
                },
                Event::Error(e) => errors.push((e.path, e.error)),
                Event::Skipped(_) => {}
            });
        }
    }
    Ok(())
}

/// Reads claimed units into articles, as `chorus ingest` reads the inputs
/// they came from; returns the articles and `(path, error)` for what could
/// not be read.
fn read_units(units: &[Claimed]) -> (Vec<Article>, Vec<(String, String)>) {
    let mut articles = Vec::new();
    let mut errors = Vec::new();
    for u in units {
        match u.kind {
            Some(Kind::File) => {
                let mut body: &[u8] = &u.body;
                for ev in chorus_ingest::read_stream(&u.name, Some(Path::new(&u.name)), &mut body) {
                    match ev {
                        Event::Article(a) => articles.push(a),
                        Event::Error(e) => errors.push((e.path, e.error)),
                        Event::Skipped(_) => {}
                    }
                }
            }
            Some(Kind::JsonLine) => {
                let parsed = std::str::from_utf8(&u.body)
                    .map_err(|e| format!("cannot decode text: invalid UTF-8: {e}"))
                    .and_then(|line| {
                        let line = line.trim_start_matches('\u{feff}').trim();
                        chorus_ingest::formats::jsonl::parse_line(&u.name, line).map_err(|e| e.to_string())
                    });
                match parsed {
                    Ok(a) => articles.push(a),
                    Err(e) => errors.push((u.name.clone(), e)),
                }
            }
            Some(Kind::Article) => match serde_json::from_slice::<Article>(&u.body) {
                Ok(a) => articles.push(a),
                Err(e) => errors.push((u.name.clone(), format!("queued article is not readable: {e}"))),
            },
            None => errors.push((u.name.clone(), "queued by a newer chorus: unknown unit kind".into())),
        }
    }
    (articles, errors)
}

#[derive(Default)]
struct Tally {
    units: AtomicUsize,
    created: AtomicUsize,
    present: AtomicUsize,
    emptied: AtomicUsize,
    errors: AtomicUsize,
    analysed: AtomicUsize,
}

/// `chorus worker`.
pub fn worker(args: WorkerArgs) -> Result<ExitCode> {
    postgres_only(&args.db, "chorus worker")?;
    crate::memory::release_freed_memory();
    let jobs =
        args.jobs.map(|j| j as usize).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let name = args.name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "worker".into());
        format!("{host}:{}", std::process::id())
    });
    let rt = crate::store_cmd::runtime()?;
    rt.block_on(async {
        // Per job: one connection held through a placement, one for a
        // story lock, and a few short-lived ones.
        let store = PgStore::connect_with(&args.db, (4 * jobs).max(chorus_store::postgres::DEFAULT_POOL_SIZE), true)
            .await
            .with_context(|| format!("cannot open the store for worker {name}"))?;
        let engine = Arc::new(Engine::new(store.clone()));
        engine.warm_up().await?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            crate::store_cmd::shutdown_signal().await;
            let _ = stop_tx.send(true);
        });
        if !args.quiet {
            eprintln!("chorus: worker {name} on {} with {jobs} jobs", store.shown());
        }
        let tally = Arc::new(Tally::default());
        let args = Arc::new(args);
        let mut handles = Vec::new();
        for _ in 0..jobs {
            let (store, engine, tally, args, name, stop) =
                (store.clone(), engine.clone(), tally.clone(), args.clone(), name.clone(), stop_rx.clone());
            handles.push(tokio::spawn(async move { job(&store, &engine, &tally, &args, &name, stop).await }));
        }
        let mut failed = None;
        for h in handles {
            match h.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failed = Some(e),
                Err(e) => failed = Some(anyhow::anyhow!("a job panicked: {e}")),
            }
        }
        let t = &tally;
        eprintln!(
            "chorus: worker {name}: {} inputs done, {} new articles stored, {} already there, {} empty after cleaning, {} unreadable; {} stories analysed",
            t.units.load(Ordering::Relaxed),
            t.created.load(Ordering::Relaxed),
            t.present.load(Ordering::Relaxed),
            t.emptied.load(Ordering::Relaxed),
            t.errors.load(Ordering::Relaxed),
            t.analysed.load(Ordering::Relaxed),
        );
        let lock = store.lock_stats();
        if lock.batches > 0 {
            eprintln!(
                "chorus: worker {name}: assignment lock held {:.2} s for {} batches ({:.2} ms per article), waited for {:.2} s",
                lock.held.as_secs_f64(),
                lock.batches,
                1000.0 * lock.held.as_secs_f64() / lock.articles.max(1) as f64,
                lock.waited.as_secs_f64(),
            );
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(ExitCode::SUCCESS),
        }
    })
}

/// One job's loop: claim a batch and store it; when there is nothing to
/// claim, analyse stale stories; when there is nothing to analyse either,
/// wait (or, with `--until-idle`, stop once no other worker holds work
/// that could still come back to the queue).
async fn job(
    store: &PgStore,
    engine: &Engine<PgStore>,
    tally: &Tally,
    args: &WorkerArgs,
    name: &str,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Result<()> {
    let mut failures = 0u32;
    while !*stop.borrow() {
        let step = async {
            let units = store.claim(name, args.batch as usize, args.lease).await?;
            if !units.is_empty() {
                store_batch(store, engine, tally, args, name, units).await?;
                return anyhow::Ok(true);
            }
            let analysed = analyse_some(store, engine).await?;
            tally.analysed.fetch_add(analysed, Ordering::Relaxed);
            anyhow::Ok(analysed > 0)
        };
        match step.await {
            Ok(true) => {
                failures = 0;
                continue;
            }
            Ok(false) => failures = 0,
            Err(e) => {
                // A lost connection or a failed commit: the claim runs out
                // and the batch comes back; keep going unless it persists.
                failures += 1;
                eprintln!("chorus: worker {name}: {e:#}");
                if failures >= MAX_FAILURES_IN_A_ROW {
                    return Err(e.context(format!("{failures} failures in a row; giving up")));
                }
            }
        }
        if args.until_idle && failures == 0 {
            let status = store.queue_status().await?;
            if status.is_drained() {
                return Ok(());
            }
        }
        let wait = args.poll * (1 + failures);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
    }
    Ok(())
}

/// Failures in a row after which a job stops: a database that stays
/// unreachable for that many polls (with growing waits) is not coming
/// back soon, and an exit says so louder than a log line.
const MAX_FAILURES_IN_A_ROW: u32 = 10;

async fn store_batch(
    store: &PgStore,
    engine: &Engine<PgStore>,
    tally: &Tally,
    args: &WorkerArgs,
    name: &str,
    units: Vec<Claimed>,
) -> Result<()> {
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    // Keep the claim while working on it: renew every third of the lease.
    let heartbeat = {
        let (store, ids, name, lease) = (store.clone(), ids.clone(), name.to_string(), args.lease);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(lease / 3).await;
                if store.renew(&name, &ids, lease).await.is_err() {
                    // The database will say so to the batch itself.
                    continue;
                }
            }
        })
    };
    let result = async {
        let n = units.len();
        let (articles, errors) = tokio::task::spawn_blocking(move || read_units(&units)).await?;
        if !args.quiet {
            for (path, error) in &errors {
                eprintln!("chorus: {path}: {error}");
            }
        }
        tally.errors.fetch_add(errors.len(), Ordering::Relaxed);
        store.record_errors(errors).await?;
        let out = engine.ingest(articles).await?;
        let created = out.created();
        tally.created.fetch_add(created, Ordering::Relaxed);
        tally.present.fetch_add(out.added.len() - created, Ordering::Relaxed);
        tally.emptied.fetch_add(out.emptied.len(), Ordering::Relaxed);
        store.finish(&ids).await?;
        tally.units.fetch_add(n, Ordering::Relaxed);
        anyhow::Ok(())
    }
    .await;
    heartbeat.abort();
    result
}

/// Analyses stale stories that no other worker is analysing; returns how
/// many.
async fn analyse_some(store: &PgStore, engine: &Engine<PgStore>) -> Result<usize> {
    let mut done = 0;
    for story in store.stale_sample(ANALYSE_PICK).await? {
        let Some(lock) = store.lock_story(&story).await? else { continue };
        let r = engine.refresh(&story).await;
        lock.release().await?;
        r?;
        done += 1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("3 days").is_err());
    }

    #[test]
    fn json_lines_split_into_numbered_units() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wire.jsonl");
        std::fs::write(&path, "{\"text\":\"one\"}\n\n{\"text\":\"two\"}\nnot json\n").unwrap();
        let file = path.to_str().unwrap();
        let mut units = Vec::new();
        let mut errors = Vec::new();
        split(file, &mut |u| units.push(u), &mut errors).unwrap();
        let names: Vec<String> = units.iter().map(|u| u.name.clone()).collect();
        assert_eq!(names, [format!("{file}#1"), format!("{file}#3"), format!("{file}#4")]);
        assert!(errors.is_empty());
        let claimed: Vec<Claimed> = units
            .into_iter()
            .enumerate()
            .map(|(i, u)| Claimed { id: i as i64, name: u.name, kind: Some(u.kind), body: u.body, attempts: 1 })
            .collect();
        let (articles, errors) = read_units(&claimed);
        let direct = chorus_ingest::read_file(file);
        let direct_articles: Vec<&Article> =
            direct.iter().filter_map(|e| if let Event::Article(a) = e { Some(a) } else { None }).collect();
        assert_eq!(articles.iter().collect::<Vec<_>>(), direct_articles, "the same articles as a direct read");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].0.ends_with("#4"), "{errors:?}");
    }

    #[test]
    fn single_article_files_are_queued_whole_and_read_as_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(
            &path,
            "<html><head><title>Dam opens</title></head><body><article><p>The new dam on the Orle river opened on \
             Monday after six years of work, engineers said.</p></article></body></html>",
        )
        .unwrap();
        let file = path.to_str().unwrap();
        let mut units = Vec::new();
        split(file, &mut |u| units.push(u), &mut Vec::new()).unwrap();
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].kind, Kind::File);
        let claimed = Claimed {
            id: 1,
            name: units[0].name.clone(),
            kind: Some(Kind::File),
            body: units[0].body.clone(),
            attempts: 1,
        };
        let (articles, _) = read_units(&[claimed]);
        let direct: Vec<Article> = chorus_ingest::read_file(file)
            .into_iter()
            .filter_map(|e| if let Event::Article(a) = e { Some(a) } else { None })
            .collect();
        assert_eq!(articles, direct);
    }
}
