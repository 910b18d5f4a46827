//! Following live sources: feeds (RSS 2.0, RSS 1.0, Atom, JSON Feed), news
//! sites (their feed found by `<link rel="alternate">`, common paths or
//! their news sitemap) and OPML lists of feeds, polled over HTTP into the
//! store, with a good crawler's manners.
//!
//! The stages of one poll, one module each:
//!
//! - [`http`]: one request, politely — robots.txt obeyed ([`robots`]), at
//!   most a few requests in flight per host and a minimum delay between
//!   them ([`gate`]), conditional GET, `Retry-After` and back-off on 429 and
//!   503, redirects with loop detection, time limits, and a size limit
//!   enforced while the body streams in;
//! - [`discover`]: what to poll for a site ([`sitemap`] for news
//!   sitemaps), [`opml`] for lists of feeds;
//! - [`items`]: a feed's items as articles, fetching the linked page when
//!   an item carries only a summary;
//! - [`poll`]: one source polled into the store, its state recorded;
//! - [`schedule`]: when each source is due next;
//! - [`run`]: every source once (`--once`), or each on its schedule until
//!   stopped.
//!
//! What survives a restart lives in the store ([`chorus_store::sources`]):
//! validators, schedule, errors, counts, the items already handled, each
//! host's robots.txt and pause. Articles are stored before the items that
//! made them are marked done, and those before the feed's validators are
//! kept, so a process killed at any point re-reads what it had not
//! finished and never skips an item.

pub mod discover;
pub mod gate;
pub mod http;
pub mod items;
pub mod opml;
pub mod poll;
pub mod robots;
pub mod run;
pub mod schedule;
pub mod sitemap;

use std::time::Duration;

pub use poll::Follower;
pub use run::{Log, Outcome, follow_forever, follow_once, register, sources};

/// The error type of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowError {
    #[error("{0}: not an http(s) URL")]
    BadUrl(String),
    #[error("robots.txt of {0} disallows it")]
    Disallowed(String),
    #[error("over the {limit}-byte limit for one response")]
    TooLarge { limit: u64 },
    #[error("timed out ({0})")]
    Timeout(String),
    #[error("HTTP {0}")]
    Status(u16),
    #[error("HTTP {status}; the server asks to wait until {until}")]
    Throttled { status: u16, until: String },
    #[error("host paused until {0} (it asked us to wait)")]
    Paused(String),
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("redirect loop back to {0}")]
    RedirectLoop(String),
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("{0}")]
    Http(String),
    #[error("{0}")]
    Read(String),
    #[error("cannot read {path}: {why}")]
    File { path: String, why: String },
    #[error("store: {0}")]
    Store(String),
}

impl From<chorus_store::StoreError> for FollowError {
    fn from(e: chorus_store::StoreError) -> Self {
        FollowError::Store(e.to_string())
    }
}

impl FollowError {
    /// Whether trying again later may work (the server or the network had
    /// a bad moment), as opposed to an answer that will not change.
    pub fn is_transient(&self) -> bool {
        match self {
            FollowError::Timeout(_)
            | FollowError::Throttled { .. }
            | FollowError::Paused(_)
            | FollowError::Connect(_)
            | FollowError::Http(_)
            | FollowError::Store(_) => true,
            FollowError::Status(s) => *s >= 500 || *s == 408 || *s == 429,
            _ => false,
        }
    }
}

pub type Result<T, E = FollowError> = std::result::Result<T, E>;

/// The contact URL in chorus's User-Agent: who to tell when it misbehaves.
pub const CONTACT_URL: &str = "https://github.com/chorus-news/chorus";

/// The name robots.txt rules are matched against.
pub const ROBOT_NAME: &str = "chorus";

/// How the follower behaves. The defaults are a polite crawler's; tests
/// shorten the times.
#[derive(Debug, Clone)]
pub struct Config {
    pub user_agent: String,
    /// Base polling interval (`--every`); each source adapts it between
    /// a quarter and eight times this (see [`schedule`]).
    pub every: Duration,
    /// Time to open a connection.
    pub connect_timeout: Duration,
    /// Longest silence while reading a response.
    pub read_timeout: Duration,
    /// Longest a whole request may take, body included: a server
    /// trickling bytes cannot hold a poll forever.
    pub request_timeout: Duration,
    /// Largest response body, counted after decompression.
    pub max_bytes: u64,
    /// Redirects followed for one request.
    pub max_redirects: usize,
    /// Requests in flight to one host at once.
    pub per_host: usize,
    /// Least time between the starts of two requests to one host (a
    /// robots.txt `Crawl-delay` can make it longer).
    pub min_delay: Duration,
    /// Longest wait for a host that asked us to (429 or 503 with
    /// `Retry-After`) inside one poll; a longer wait ends the poll and the
    /// host is paused until then.
    pub max_wait: Duration,
    /// Tries after the first, for a 429 or 503, inside one poll.
    pub retries: u32,
    /// First back-off after a 429 or 503 that names no time; doubled at
    /// each try.
    pub backoff: Duration,
    /// Sources polled at once.
    pub parallel_sources: usize,
    /// Linked pages fetched for one poll at most; the rest wait for the
    /// next.
    pub max_pages_per_poll: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            user_agent: format!("chorus/{} (+{CONTACT_URL})", env!("CARGO_PKG_VERSION")),
            every: Duration::from_secs(5 * 60),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(60),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            per_host: 2,
            min_delay: Duration::from_secs(1),
            max_wait: Duration::from_secs(30),
            retries: 2,
            backoff: Duration::from_secs(2),
            parallel_sources: 16,
            max_pages_per_poll: 200,
        }
    }
}
