//! `chorus ingest`, `chorus remove` and `chorus report --db`: the store from
//! the command line.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use chorus_ingest::{Article, Event};
use chorus_store::{AnyStore, Engine};

use crate::cli::Format;
use crate::output::Output;
use crate::progress::Progress;

/// The store a command uses when none is named: a file in the current
/// folder, so that `chorus ingest` then `chorus serve` just work.
pub const DEFAULT_DB: &str = "chorus.db";

/// Articles per transaction when ingesting. A commit costs a disk flush;
/// a few hundred articles per commit make that cost negligible while one
/// transaction stays well under a second, so readers and other writers
/// wait little and a killed ingest loses at most one batch's work.
pub const DEFAULT_BATCH: u32 = 256;

#[derive(clap::Args, Debug)]
pub struct IngestArgs {
    /// Files, directories (read recursively) or `-` for stdin: plain text,
    /// JSON Lines, HTML, RSS/Atom, WARC.
    #[arg(value_name = "PATH", required_unless_present = "watch")]
    pub paths: Vec<String>,
    /// The store: an SQLite file, or a PostgreSQL URL
    /// (`postgres://user@host/db`, TLS by `?sslmode=verify-full`, see
    /// docs/scaling.md); created if missing.
    #[arg(long, value_name = "FILE|URL", env = "CHORUS_DB", default_value = DEFAULT_DB)]
    pub db: String,
    /// Only queue the PATHs for `chorus worker`s to store (PostgreSQL).
    #[arg(long, conflicts_with = "watch")]
    pub enqueue: bool,
    /// After the PATHs, keep watching DIR and add each new or changed file
    /// once it has stopped growing. Stop with Ctrl-C.
    #[arg(long, value_name = "DIR")]
    pub watch: Option<String>,
    /// Seconds between two looks at the watched folder.
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    pub interval: f64,
    /// Articles stored per transaction.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch: u32,
    /// Never show a progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// Ids of the articles to remove.
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
    /// The store (an SQLite file or a PostgreSQL URL).
    #[arg(long, value_name = "FILE|URL", env = "CHORUS_DB", default_value = DEFAULT_DB)]
    pub db: String,
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")
}

/// Opens a store that must already exist (reading or removing from a store
/// that is not there is a mistake, not a reason to create an empty one).
pub async fn open_existing(db: &str) -> Result<AnyStore> {
    if !chorus_store::is_postgres_url(db) && !Path::new(db).exists() {
        bail!("{db}: no such store (create one with `chorus ingest PATH --db {db}`)");
    }
    Ok(AnyStore::open_existing(db).await?)
}

pub fn ingest(args: IngestArgs) -> Result<ExitCode> {
    if args.enqueue {
        #[cfg(feature = "postgres")]
        return crate::worker_cmd::enqueue(&args.db, &args.paths);
        #[cfg(not(feature = "postgres"))]
        anyhow::bail!("--enqueue needs PostgreSQL, and this chorus was built without it (cargo feature `postgres`)");
    }
    let rt = runtime()?;
    let engine = Engine::new(rt.block_on(AnyStore::open(&args.db))?);
    rt.block_on(async {
        let progress = Progress::new(!args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()));
        let mut totals = Totals::default();
        if !args.paths.is_empty() {
            let ingested = chorus_ingest::read_inputs(&args.paths, &|p| progress.file_done(p));
            for e in &ingested.errors {
                progress.println(&format!("chorus: {}: {}", e.path, e.error));
            }
            for (kind, n) in &ingested.skipped {
                progress.println(&format!("chorus: skipped {n} {kind} records"));
            }
            totals.read += ingested.articles.len();
            progress.stage("storing");
            // Stored in canonical order (publication time, fuller text, id),
            // the order `chorus report` groups in, so that the store's
            // stories are the same as the files' whatever order they were
            // given in.
            let mut articles = ingested.articles;
            articles.sort_by_cached_key(chorus_stories::Key::of);
            store_all(&engine, articles, args.batch as usize, &mut totals, &progress).await?;
            progress.stage("analysing");
            totals.analysed += engine.refresh_stale().await?;
            progress.finish();
            report_totals(&chorus_store::shown_db(&args.db), &totals);
        }
        if let Some(dir) = &args.watch {
            watch(&engine, dir, &args, &mut totals).await?;
        }
        Ok(if totals.read > 0 || args.watch.is_some() { ExitCode::SUCCESS } else { ExitCode::from(1) })
    })
}

#[derive(Default)]
struct Totals {
    read: usize,
    created: usize,
    present: usize,
    emptied: usize,
    analysed: usize,
}

fn report_totals(db: &str, t: &Totals) {
    eprintln!(
        "chorus: {db}: {} new articles stored, {} already there, {} empty after cleaning; {} stories analysed",
        t.created, t.present, t.emptied, t.analysed
    );
}

async fn store_all(
    engine: &Engine<AnyStore>,
    articles: Vec<Article>,
    batch: usize,
    totals: &mut Totals,
    progress: &Progress,
) -> Result<()> {
    let mut articles = articles.into_iter().peekable();
    while articles.peek().is_some() {
        let chunk: Vec<Article> = articles.by_ref().take(batch).collect();
        let out = engine.ingest(chunk).await?;
        let created = out.created();
        totals.created += created;
        totals.present += out.added.len() - created;
        totals.emptied += out.emptied.len();
        for p in &out.emptied {
            progress.println(&format!("chorus: {p}: every line was site furniture; not stored"));
        }
    }
    Ok(())
}

/// Size and modification time: a file is read once these stop changing
/// between two looks, so that a file still being written is not read half.
type Stamp = (u64, Option<SystemTime>);

async fn watch(engine: &Engine<AnyStore>, dir: &str, args: &IngestArgs, totals: &mut Totals) -> Result<()> {
    if !Path::new(dir).is_dir() {
        bail!("{dir}: not a folder to watch");
    }
    let interval = Duration::from_secs_f64(args.interval.clamp(0.05, 3600.0));
    eprintln!("chorus: watching {dir} (Ctrl-C stops)");
    let mut done: HashMap<String, Stamp> = HashMap::new();
    let mut last: HashMap<String, Stamp> = HashMap::new();
    // Files already there when watching starts are read like new ones.
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        let files = chorus_ingest::walk::expand(dir).unwrap_or_default();
        let mut ready = Vec::new();
        let mut seen: HashMap<String, Stamp> = HashMap::new();
        for f in files {
            let Ok(meta) = std::fs::metadata(&f) else { continue };
            let stamp = (meta.len(), meta.modified().ok());
            if last.get(&f) == Some(&stamp) && done.get(&f) != Some(&stamp) {
                ready.push((f.clone(), stamp));
            }
            seen.insert(f, stamp);
        }
        last = seen;
        if !ready.is_empty() {
            let mut articles = Vec::new();
            for (f, stamp) in ready {
                for ev in chorus_ingest::read_file(&f) {
                    match ev {
                        Event::Article(a) => articles.push(a),
                        Event::Error(e) => eprintln!("chorus: {}: {}", e.path, e.error),
                        Event::Skipped(_) => {}
                    }
                }
                done.insert(f, stamp);
            }
            let before = totals.created;
            totals.read += articles.len();
            store_all(engine, articles, args.batch as usize, totals, &Progress::new(false)).await?;
            totals.analysed += engine.refresh_stale().await?;
            eprintln!("chorus: {} new articles stored", totals.created - before);
        }
        tokio::select! {
            _ = &mut stop => break,
            _ = tokio::time::sleep(interval) => {}
        }
    }
    report_totals(&chorus_store::shown_db(&args.db), totals);
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

pub fn remove(args: RemoveArgs) -> Result<ExitCode> {
    let rt = runtime()?;
    let engine = Engine::new(rt.block_on(open_existing(&args.db))?);
    rt.block_on(async {
        let mut missing = 0;
        for id in &args.ids {
            match engine.remove(id).await? {
                Some(r) => match r.story {
                    Some(s) => eprintln!("chorus: removed {id}; story {s} re-analysed"),
                    None => eprintln!("chorus: removed {id}; its story had no other article and is gone"),
                },
                None => {
                    eprintln!("chorus: {}: no article {id}", chorus_store::shown_db(&args.db));
                    missing += 1;
                }
            }
        }
        Ok(if missing == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
    })
}

/// `chorus report --db FILE [--story ID]`.
pub fn report(
    db: &str,
    story: Option<&str>,
    output: Option<&str>,
    format: Format,
    opts: &chorus_pipeline::Options,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<ExitCode> {
    let rt = runtime()?;
    let engine = Engine::new(rt.block_on(open_existing(db))?);
    let out = Output::new(output)?;
    let report = rt.block_on(async { engine.report(story, opts).await })?;
    let Some(mut report) = report else {
        bail!("{}: no story {}", chorus_store::shown_db(db), story.unwrap_or_default());
    };
    crate::cli::mark_since(&mut report, since);
    let ok = !report.stories.is_empty();
    if !ok {
        eprintln!("chorus: {}: the store holds no story", chorus_store::shown_db(db));
    }
    crate::cli::write_report(&out, &report, format)?;
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
