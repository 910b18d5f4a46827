//! `chorus follow` and `chorus sources`: live sources into the store, and
//! their status.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use chorus_follow::Config;
use chorus_store::{AnyStore, Engine, SourceStore};

use crate::cli::Format;
use crate::store_cmd::{DEFAULT_DB, open_existing, runtime, shutdown_signal};

#[derive(clap::Args, Debug)]
pub struct FollowArgs {
    /// Feed URLs (RSS, Atom, JSON Feed), site URLs (their feed or news
    /// sitemap is found), or OPML files of feeds. None: every source the
    /// store already follows.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// The store: an SQLite file, or a PostgreSQL URL; created if missing.
    #[arg(long, value_name = "FILE|URL", env = "CHORUS_DB", default_value = DEFAULT_DB)]
    pub db: String,
    /// Poll every source once, then exit (for cron and tests).
    #[arg(long)]
    pub once: bool,
    #[command(flatten)]
    pub manners: Manners,
}

/// How often and how politely to poll (shared by `follow` and
/// `serve --follow`).
#[derive(clap::Args, Debug, Clone)]
pub struct Manners {
    /// Base polling interval; each source adapts it to how often it
    /// changes (from a quarter of it to eight times it).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, default_value = "5m")]
    pub every: Duration,
    /// Contact URL sent in the User-Agent, for site owners to reach you.
    #[arg(long, value_name = "URL", env = "CHORUS_CONTACT")]
    pub contact: Option<String>,
    /// Least time between two requests to one host (robots.txt may ask
    /// for more).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, default_value = "1s")]
    pub min_delay: Duration,
    /// Requests in flight to one host at most.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub per_host: u32,
    /// Time to connect.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, default_value = "10s")]
    pub connect_timeout: Duration,
    /// Longest silence while reading a response.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, default_value = "20s")]
    pub read_timeout: Duration,
    /// Longest one request may take, body included.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, default_value = "60s")]
    pub timeout: Duration,
    /// Largest response accepted, in bytes (after decompression).
    #[arg(long, value_name = "BYTES", default_value_t = Config::default().max_bytes)]
    pub max_bytes: u64,
    /// Longest wait, inside one poll, for a host that answered 429 or 503.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, default_value = "30s")]
    pub max_wait: Duration,
    /// First back-off after a 429 or 503 that names no time (doubled each
    /// try).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, default_value = "2s")]
    pub backoff: Duration,
    /// Linked pages fetched for one source in one poll at most; the rest
    /// wait for the next poll.
    #[arg(long, value_name = "N", default_value_t = Config::default().max_pages_per_poll)]
    pub max_pages: usize,
}

impl Manners {
    pub fn config(&self) -> Config {
        let mut c = Config::default();
        if let Some(url) = self.contact.as_deref().filter(|u| !u.trim().is_empty()) {
            c.user_agent = format!("chorus/{} (+{})", env!("CARGO_PKG_VERSION"), url.trim());
        }
        c.every = self.every.max(Duration::from_millis(100));
        c.min_delay = self.min_delay;
        c.per_host = self.per_host as usize;
        c.connect_timeout = self.connect_timeout;
        c.read_timeout = self.read_timeout;
        c.request_timeout = self.timeout;
        c.max_bytes = self.max_bytes;
        c.max_wait = self.max_wait;
        c.backoff = self.backoff;
        c.max_pages_per_poll = self.max_pages.max(1);
        c
    }
}

fn log() -> chorus_follow::Log {
    Arc::new(|line: &str| eprintln!("{line}"))
}

/// Registers the SOURCE arguments and returns the stored sources to poll;
/// each argument that cannot be read is reported and skipped.
pub async fn prepare(store: &AnyStore, args: &[String]) -> Result<Vec<chorus_store::Source>> {
    let (urls, errors) = chorus_follow::register(store, args).await?;
    for e in &errors {
        eprintln!("chorus: {e}");
    }
    if !args.is_empty() && urls.is_empty() {
        bail!("no source to follow could be read from the arguments");
    }
    let sources = chorus_follow::sources(store, &urls).await?;
    if sources.is_empty() {
        bail!("no source to follow: name feed URLs, site URLs or OPML files");
    }
    Ok(sources)
}

pub fn follow(args: FollowArgs) -> Result<ExitCode> {
    let rt = runtime()?;
    crate::memory::release_freed_memory();
    let store = rt.block_on(AnyStore::open(&args.db))?;
    let engine = Arc::new(Engine::new(store));
    let cfg = args.manners.config();
    rt.block_on(async {
        let sources = prepare(engine.store(), &args.sources).await?;
        let n = sources.len();
        let shown = chorus_store::shown_db(&args.db);
        let out = if args.once {
            chorus_follow::follow_once(engine.clone(), sources, cfg, log()).await?
        } else {
            eprintln!("chorus: following {n} sources into {shown} (Ctrl-C stops)");
            engine.warm_up().await?;
            chorus_follow::follow_forever(engine.clone(), sources, cfg, log(), shutdown_signal()).await?
        };
        eprintln!(
            "chorus: {shown}: {} polls ({} not modified, {} failed), {} requests; {} new items, {} new articles, \
             {} item errors; {} stories analysed",
            out.polls, out.unchanged, out.failed, out.requests, out.items, out.articles, out.item_errors, out.analysed
        );
        Ok(if out.polls > out.failed || !args.once { ExitCode::SUCCESS } else { ExitCode::from(1) })
    })
}

#[derive(clap::Args, Debug)]
pub struct SourcesArgs {
    /// The store (an SQLite file or a PostgreSQL URL).
    #[arg(long, value_name = "FILE|URL", env = "CHORUS_DB", default_value = DEFAULT_DB)]
    pub db: String,
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
}

pub fn sources(args: SourcesArgs) -> Result<ExitCode> {
    let rt = runtime()?;
    let store = rt.block_on(open_existing(&args.db))?;
    let list = rt.block_on(store.sources())?;
    let text = match args.format {
        Format::Json | Format::Html => serde_json::to_string_pretty(&serde_json::json!({ "sources": list }))? + "\n",
        Format::Jsonl => list.iter().map(|s| serde_json::to_string(s).unwrap_or_default() + "\n").collect(),
        Format::Md => markdown(&list),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn markdown(list: &[chorus_store::Source]) -> String {
    if list.is_empty() {
        return "No followed sources (add some with `chorus follow SOURCE...`).\n".into();
    }
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from(
        "| source | polled | last success | last error | items | articles | errors | next poll |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for s in list {
        let name = match (&s.title, &s.feed) {
            (Some(t), _) => format!("{} <{}>", t, s.url),
            (None, _) => s.url.clone(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            cell(&name),
            s.polls,
            s.last_success.as_deref().unwrap_or("never"),
            cell(s.last_error.as_deref().unwrap_or("")),
            s.items,
            s.articles,
            s.errors,
            s.next_poll.as_deref().unwrap_or("now"),
        ));
    }
    out
}
