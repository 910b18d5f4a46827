//! Running the follower: sources named on the command line (URLs, OPML
//! files) registered in the store, then polled once each (`--once`), or
//! each on its own schedule until told to stop.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chorus_store::{Engine, Source, SourceStore, Store};
use chrono::Utc;
use futures_util::StreamExt;
use tokio::sync::{Notify, Semaphore, watch};

use crate::http::{parse_http, parse_instant};
use crate::poll::{Follower, Polled, Report};
use crate::{Config, FollowError, Result, opml};

/// Largest OPML file read: lists of feeds are kilobytes; the bound keeps a
/// wrong file from being read whole.
pub const MAX_OPML_BYTES: u64 = 16 * 1024 * 1024;

/// Where messages go (the CLI prints them on stderr).
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Polls made, and how many failed.
    pub polls: u64,
    pub failed: u64,
    /// Polls the server answered "not modified".
    pub unchanged: u64,
    /// New items handled, articles new to the store, item errors.
    pub items: u64,
    pub articles: u64,
    pub item_errors: u64,
    /// HTTP requests made (robots.txt and pages included).
    pub requests: u64,
    /// Stories analysed after storing.
    pub analysed: u64,
}

/// Registers what SOURCE arguments name (feed or site URLs, OPML files)
/// as followed sources; returns the URLs in order, and an error for each
/// argument that could not be read (the others still count).
pub async fn register<S: SourceStore>(store: &S, args: &[String]) -> Result<(Vec<String>, Vec<FollowError>)> {
    let mut list: Vec<(String, Option<String>)> = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg.contains("://") {
            match parse_http(arg) {
                Ok(u) => list.push((u.to_string(), None)),
                Err(e) => errors.push(e),
            }
            continue;
        }
        match read_opml(arg) {
            Ok(feeds) if feeds.is_empty() => errors
                .push(FollowError::File { path: arg.clone(), why: "lists no feed (no outline with an xmlUrl)".into() }),
            Ok(feeds) => {
                for f in feeds {
                    match parse_http(&f.url) {
                        Ok(u) => list.push((u.to_string(), f.title)),
                        Err(_) => errors.push(FollowError::File {
                            path: arg.clone(),
                            why: format!("{}: not an http(s) URL", f.url),
                        }),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let mut urls: Vec<String> = Vec::new();
    for (u, _) in &list {
        if !urls.contains(u) {
            urls.push(u.clone());
        }
    }
    store.add_sources(list).await?;
    Ok((urls, errors))
}

fn read_opml(path: &str) -> Result<Vec<opml::Listed>> {
    let err = |why: String| FollowError::File { path: path.to_string(), why };
    let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
    if meta.is_dir() {
        return Err(err("is a directory, not an OPML file".into()));
    }
    if meta.len() > MAX_OPML_BYTES {
        return Err(err(format!("{} bytes is over the {MAX_OPML_BYTES}-byte limit for an OPML file", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let text = chorus_ingest::decode::decode(&bytes, None).map_err(|e| err(e.to_string()))?;
    opml::feeds(path, &text)
}

/// The stored sources to follow: those `urls` names, or every one when it
/// is empty.
pub async fn sources<S: SourceStore>(store: &S, urls: &[String]) -> Result<Vec<Source>> {
    let all = store.sources().await?;
    Ok(if urls.is_empty() { all } else { all.into_iter().filter(|s| urls.contains(&s.url)).collect() })
}

/// Polls every source once (whatever its schedule says, though a host
/// that asked us to wait is still waited for), then analyses the stories
/// that gained articles.
pub async fn follow_once<S: Store + SourceStore + Clone>(
    engine: Arc<Engine<S>>,
    sources: Vec<Source>,
    cfg: Config,
    log: Log,
) -> Result<Outcome> {
    let parallel = cfg.parallel_sources.max(1);
    let follower = Follower::new(engine.clone(), cfg, None)?;
    let mut outcome = Outcome::default();
    let mut polls = futures_util::stream::iter(sources).map(|s| follower.poll(s)).buffer_unordered(parallel);
    while let Some((_, report)) = polls.next().await {
        tally(&mut outcome, &report);
        say(&log, &report);
    }
    drop(polls);
    outcome.requests = follower.fetcher.stats.requests.load(std::sync::atomic::Ordering::Relaxed);
    outcome.analysed = engine.refresh_stale().await? as u64;
    Ok(outcome)
}

/// Polls each source on its own schedule until `shutdown` resolves: a
/// source is due at its stored `next_poll` (so a restart resumes the
/// schedule rather than polling everything at once), and stories that
/// gain articles are analysed in the background as they do. On shutdown,
/// polls under way are dropped; what they stored stays stored, and the
/// rest is done again on the next start.
pub async fn follow_forever<S: Store + SourceStore + Clone>(
    engine: Arc<Engine<S>>,
    sources: Vec<Source>,
    cfg: Config,
    log: Log,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> Result<Outcome> {
    let stored = Arc::new(Notify::new());
    let slots = Arc::new(Semaphore::new(cfg.parallel_sources.max(1)));
    let follower = Arc::new(Follower::new(engine.clone(), cfg, Some(stored.clone()))?);
    let (stop_tx, stop_rx) = watch::channel(false);
    let outcome = Arc::new(Mutex::new(Outcome::default()));

    let analyser = {
        let (engine, log, mut stop) = (engine.clone(), log.clone(), stop_rx.clone());
        let outcome = outcome.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = stored.notified() => {}
                    _ = stop.wait_for(|s| *s) => break,
                }
                match engine.refresh_stale().await {
                    Ok(n) => outcome.lock().unwrap_or_else(|p| p.into_inner()).analysed += n as u64,
                    Err(e) => log(&format!("chorus: cannot analyse stories: {e}")),
                }
            }
        })
    };

    let mut tasks = tokio::task::JoinSet::new();
    for src in sources {
        let (follower, slots, log, outcome) = (follower.clone(), slots.clone(), log.clone(), outcome.clone());
        let mut stop = stop_rx.clone();
        tasks.spawn(async move {
            let mut src = src;
            // The first wait is what the store says (a restart resumes the
            // schedule); later ones are timed here, to the millisecond.
            let mut due = tokio::time::Instant::now()
                + src
                    .next_poll
                    .as_deref()
                    .and_then(parse_instant)
                    .and_then(|t| (t - Utc::now()).to_std().ok())
                    .unwrap_or(Duration::ZERO);
            loop {
                tokio::select! {
                    _ = tokio::time::sleep_until(due) => {}
                    _ = stop.wait_for(|s| *s) => break,
                }
                let _slot = tokio::select! {
                    s = slots.acquire() => s,
                    _ = stop.wait_for(|s| *s) => break,
                };
                let started = tokio::time::Instant::now();
                let (next, report) = tokio::select! {
                    r = follower.poll(src.clone()) => r,
                    _ = stop.wait_for(|s| *s) => break,
                };
                src = next;
                due = started + report.wait;
                tally(&mut outcome.lock().unwrap_or_else(|p| p.into_inner()), &report);
                say(&log, &report);
            }
        });
    }
    shutdown.await;
    let _ = stop_tx.send(true);
    while tasks.join_next().await.is_some() {}
    let _ = analyser.await;
    let mut out = outcome.lock().unwrap_or_else(|p| p.into_inner()).clone();
    out.requests = follower.fetcher.stats.requests.load(std::sync::atomic::Ordering::Relaxed);
    Ok(out)
}

fn tally(o: &mut Outcome, r: &Report) {
    o.polls += 1;
    match &r.polled {
        Polled::Unchanged => o.unchanged += 1,
        Polled::Read(t) => {
            o.items += t.items as u64;
            o.articles += t.created as u64;
            o.item_errors += t.errors.len() as u64;
        }
        Polled::Failed(_) => o.failed += 1,
    }
}

/// One line per poll, and one per item that could not be read.
fn say(log: &Log, r: &Report) {
    match &r.polled {
        Polled::Unchanged => log(&format!("chorus: {}: not modified; next poll {}", r.url, r.next)),
        Polled::Read(t) => {
            for (path, why) in &t.errors {
                log(&format!("chorus: {path}: {why}"));
            }
            let pending = if t.pending > 0 { format!(", {} left for the next poll", t.pending) } else { String::new() };
            log(&format!(
                "chorus: {}: {} new items, {} new articles, {} errors{pending}; next poll {}",
                r.url,
                t.items,
                t.created,
                t.errors.len(),
                r.next
            ))
        }
        Polled::Failed(e) => log(&format!("chorus: {}: {e}; next poll {}", r.url, r.next)),
    }
}
