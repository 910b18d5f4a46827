//! One HTTP GET, politely: robots.txt first (fetched once per host and kept
//! in the store for a day), the host's gate (slots, pace, pause),
//! conditional headers, `Retry-After` and exponential back-off on 429 and
//! 503, redirects followed one hop at a time (each hop is its own request
//! to its own host, with that host's robots.txt and gate) up to a limit
//! with loops detected, a time limit on the whole exchange, and a size limit
//! counted while the (decompressed) body streams in.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chorus_store::{HostState, SourceStore};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use url::Url;

use crate::gate::{Gates, Host};
use crate::robots::{MAX_ROBOTS_BYTES, Rules};
use crate::{Config, FollowError, Result};

/// The longest `Retry-After` believed; a server asking for more is paused
/// for this long and asked again.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// What kind of document a request wants (its `Accept` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Feed,
    Page,
}

impl Want {
    fn accept(self) -> &'static str {
        match self {
            Want::Feed => {
                "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, \
                 application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
            }
            Want::Page => "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
        }
    }
}

/// Validators of a previous response, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A response read whole.
#[derive(Debug, Clone)]
pub struct Body {
    /// Where it came from, after redirects.
    pub url: String,
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    pub validators: Validators,
}

impl Body {
    /// The charset the `Content-Type` header names.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.content_type.as_deref()?;
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"'))
        })
    }
}

/// What a GET gave.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: unchanged since the validators sent.
    NotModified,
    Body(Body),
}

/// Counts of what was asked of servers.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub not_modified: AtomicU64,
    pub bytes: AtomicU64,
}

/// What is known of one host in this process.
#[derive(Default)]
struct Known {
    loaded: bool,
    row: HostState,
    rules: Option<(Arc<Rules>, Instant)>,
}

/// The HTTP side of the follower: one client, every host's gate and
/// rules.
pub struct Fetcher<S> {
    client: reqwest::Client,
    cfg: Config,
    gates: Gates,
    known: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Known>>>>,
    store: S,
    pub stats: Stats,
}

impl<S: SourceStore + Clone> Fetcher<S> {
    pub fn new(cfg: Config, store: S) -> Result<Fetcher<S>> {
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .connect_timeout(cfg.connect_timeout)
            .read_timeout(cfg.read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(cfg.per_host)
            .no_proxy()
            .build()
            .map_err(|e| FollowError::Http(describe(&e)))?;
        let gates = Gates::new(cfg.per_host, cfg.min_delay);
        Ok(Fetcher { client, cfg, gates, known: Mutex::new(HashMap::new()), store, stats: Stats::default() })
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// GETs `url`, conditionally when `validators` are given, following
    /// redirects.
    pub async fn get(&self, url: &str, want: Want, validators: Option<&Validators>) -> Result<Fetched> {
        let first = parse_http(url)?;
        let mut url = first.clone();
        let mut seen = vec![first.clone()];
        for _ in 0..=self.cfg.max_redirects {
            let (host, rules) = self.prepare(&url).await?;
            if !rules.allowed(url.as_str()) {
                return Err(FollowError::Disallowed(origin(&url)));
            }
            let cond = validators.filter(|_| url == first);
            let answer = self.exchange_with_retries(&host, &url, want, cond, self.cfg.max_bytes).await?;
            match answer.status {
                StatusCode::NOT_MODIFIED => {
                    self.stats.not_modified.fetch_add(1, Ordering::Relaxed);
                    return Ok(Fetched::NotModified);
                }
                s if s.is_redirection() => {
                    let next = location(&answer.headers, &url)?;
                    if seen.contains(&next) {
                        return Err(FollowError::RedirectLoop(next.to_string()));
                    }
                    seen.push(next.clone());
                    url = next;
                }
                s if s.is_success() => {
                    return Ok(Fetched::Body(Body {
                        url: url.to_string(),
                        content_type: header_str(&answer.headers, header::CONTENT_TYPE),
                        validators: Validators {
                            etag: header_str(&answer.headers, header::ETAG),
                            last_modified: header_str(&answer.headers, header::LAST_MODIFIED),
                        },
                        bytes: answer.body,
                    }));
                }
                s => return Err(FollowError::Status(s.as_u16())),
            }
        }
        Err(FollowError::TooManyRedirects(self.cfg.max_redirects))
    }

    /// The rules of `url`'s host (fetching its robots.txt when none is
    /// known or it is over a day old), and its gate, with any pause the
    /// store remembers applied.
    pub async fn prepare(&self, url: &Url) -> Result<(Arc<Host>, Arc<Rules>)> {
        let origin = origin(url);
        let (host, _) = self.gates.host(&origin);
        let cell = {
            let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            known.entry(origin.clone()).or_default().clone()
        };
        let mut k = cell.lock().await;
        if !k.loaded {
            k.row = self
                .store
                .host(origin.clone())
                .await?
                .unwrap_or(HostState { host: origin.clone(), ..Default::default() });
            if let Some(t) = k.row.paused_until.as_deref().and_then(parse_instant) {
                host.pause(t);
            }
            if let (Some(fetched), status) =
                (k.row.robots_fetched.as_deref().and_then(parse_instant), k.row.robots_status)
            {
                let age = (Utc::now() - fetched).to_std().unwrap_or_default();
                if let Some(left) = Rules::ttl(status).checked_sub(age) {
                    let rules = Rules::from_response(status, k.row.robots.as_deref());
                    if let Some(d) = rules.crawl_delay() {
                        host.slow_to(d);
                    }
                    k.rules = Some((Arc::new(rules), Instant::now() + left));
                }
            }
            k.loaded = true;
        }
        if let Some((rules, until)) = &k.rules
            && *until > Instant::now()
        {
            return Ok((host, rules.clone()));
        }
        let (status, body) = self.fetch_robots(&host, url).await;
        let rules = Rules::from_response(status, body.as_deref());
        if let Some(d) = rules.crawl_delay() {
            host.slow_to(d);
        }
        k.row.robots = body;
        k.row.robots_status = status;
        k.row.robots_fetched = Some(instant(Utc::now()));
        self.store.save_host(k.row.clone()).await?;
        let rules = Arc::new(rules);
        k.rules = Some((rules.clone(), Instant::now() + Rules::ttl(status)));
        Ok((host, rules))
    }

    /// Fetches a host's robots.txt: its status (0 when there was no
    /// answer) and body. Redirects are followed within the limit (RFC 9309
    /// asks for at least five), across hosts too, each through its gate.
    async fn fetch_robots(&self, host: &Arc<Host>, url: &Url) -> (i64, Option<String>) {
        let Ok(mut at) = url.join("/robots.txt") else { return (0, None) };
        let mut gate = host.clone();
        for _ in 0..=self.cfg.max_redirects {
            let answer = match self.exchange(&gate, &at, Want::Page, None, MAX_ROBOTS_BYTES).await {
                Ok(a) => a,
                // Too big: the first 512 KiB would do, but a robots.txt that
                // big is not one; take it as no rules.
                Err(FollowError::TooLarge { .. }) => return (404, None),
                Err(_) => return (0, None),
            };
            if answer.status.is_redirection()
                && let Ok(next) = location(&answer.headers, &at)
                && next != at
            {
                gate = self.gates.host(&origin(&next)).0;
                at = next;
                continue;
            }
            let status = answer.status.as_u16() as i64;
            let body = answer.status.is_success().then(|| String::from_utf8_lossy(&answer.body).into_owned());
            return (status, body);
        }
        (0, None)
    }

    /// One exchange, tried again on 429 and 503 while the wait asked for
    /// is short; a longer wait pauses the host (remembered in the store)
    /// and fails the request.
    async fn exchange_with_retries(
        &self,
        host: &Arc<Host>,
        url: &Url,
        want: Want,
        cond: Option<&Validators>,
        limit: u64,
    ) -> Result<Answer> {
        let mut attempt = 0;
        loop {
            let answer = self.exchange(host, url, want, cond, limit).await?;
            let s = answer.status;
            if s != StatusCode::TOO_MANY_REQUESTS && s != StatusCode::SERVICE_UNAVAILABLE {
                return Ok(answer);
            }
            let wait = retry_after(&answer.headers, Utc::now())
                .unwrap_or_else(|| self.cfg.backoff.saturating_mul(1 << attempt.min(16)))
                .min(MAX_RETRY_AFTER);
            let until = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            host.pause(until);
            self.remember_pause(url, until).await?;
            if attempt < self.cfg.retries && wait <= self.cfg.max_wait {
                attempt += 1;
                continue;
            }
            return Err(FollowError::Throttled { status: s.as_u16(), until: instant(until) });
        }
    }

    async fn remember_pause(&self, url: &Url, until: DateTime<Utc>) -> Result<()> {
        let cell = {
            let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            known.entry(origin(url)).or_default().clone()
        };
        let mut k = cell.lock().await;
        if k.row.host.is_empty() {
            k.row.host = origin(url);
        }
        k.row.paused_until = Some(instant(until));
        self.store.save_host(k.row.clone()).await?;
        Ok(())
    }

    /// One request and its response, read up to `limit` bytes, within the
    /// request time limit, through the host's gate (waiting out a short
    /// pause; failing on a long one).
    async fn exchange(
        &self,
        host: &Arc<Host>,
        url: &Url,
        want: Want,
        cond: Option<&Validators>,
        limit: u64,
    ) -> Result<Answer> {
        // The pause is looked at once a slot is had: a request that waited
        // for its turn sees a pause set meanwhile (a 429 to another one).
        let _slot = host.enter().await;
        if let Some(until) = host.paused_until() {
            let wait = (until - Utc::now()).to_std().unwrap_or_default();
            if wait > self.cfg.max_wait {
                return Err(FollowError::Paused(instant(until)));
            }
            tokio::time::sleep(wait).await;
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let mut req = self.client.get(url.clone()).header(header::ACCEPT, want.accept());
        if let Some(v) = cond {
            if let Some(e) = &v.etag {
                req = req.header(header::IF_NONE_MATCH, e);
            }
            if let Some(m) = &v.last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, m);
            }
        }
        let exchange = async {
            let mut resp = req.send().await.map_err(|e| classify(&e))?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let mut body = Vec::new();
            if status.is_success() {
                if resp.content_length().is_some_and(|n| n > limit) {
                    return Err(FollowError::TooLarge { limit });
                }
                while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
                    if body.len() as u64 + chunk.len() as u64 > limit {
                        return Err(FollowError::TooLarge { limit });
                    }
                    body.extend_from_slice(&chunk);
                }
                self.stats.bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
            }
            Ok(Answer { status, headers, body })
        };
        match tokio::time::timeout(self.cfg.request_timeout, exchange).await {
            Ok(r) => r,
            Err(_) => Err(FollowError::Timeout(format!("no complete answer in {:?}", self.cfg.request_timeout))),
        }
    }
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// `scheme://host[:port]`: what robots.txt, gates and pauses are kept by.
pub fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Parses an http(s) URL.
pub fn parse_http(s: &str) -> Result<Url> {
    match Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u),
        _ => Err(FollowError::BadUrl(s.to_string())),
    }
}

fn location(headers: &HeaderMap, base: &Url) -> Result<Url> {
    let loc =
        header_str(headers, header::LOCATION).ok_or_else(|| FollowError::Http("redirect without a Location".into()))?;
    let next = base.join(&loc).map_err(|_| FollowError::BadUrl(loc.clone()))?;
    parse_http(next.as_str())
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let v = header_str(headers, header::RETRY_AFTER)?;
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(&v).ok()?.with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or_default())
}

/// An instant as the store keeps it.
pub fn instant(t: DateTime<Utc>) -> String {
    t.format(chorus_store::query::INSTANT_FORMAT).to_string()
}

/// An instant as the store gives it back.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
}

/// A reqwest error as one of ours, with its causes in the message (the top
/// level alone says only "error sending request").
fn classify(e: &reqwest::Error) -> FollowError {
    let why = describe(e);
    if e.is_timeout() {
        FollowError::Timeout(why)
    } else if e.is_connect() {
        FollowError::Connect(why)
    } else if e.is_body() || e.is_decode() {
        FollowError::Read(why)
    } else {
        FollowError::Http(why)
    }
}

fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let c_s = c.to_string();
        if !s.contains(&c_s) {
            s.push_str(": ");
            s.push_str(&c_s);
        }
        cause = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = DateTime::parse_from_rfc3339("2025-07-01T10:00:00Z").unwrap().with_timezone(&Utc);
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(120)));
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("Tue, 01 Jul 2025 10:01:30 GMT"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(90)));
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), None);
    }

    #[test]
    fn charset_from_content_type() {
        let b = |ct: &str| Body {
            url: String::new(),
            bytes: Vec::new(),
            content_type: Some(ct.into()),
            validators: Validators::default(),
        };
        assert_eq!(b("text/html; charset=\"ISO-8859-1\"").charset(), Some("ISO-8859-1"));
        assert_eq!(b("text/html").charset(), None);
    }

    #[test]
    fn only_http_urls() {
        assert!(parse_http("https://a.example/feed").is_ok());
        assert!(parse_http("ftp://a.example/feed").is_err());
        assert!(parse_http("feeds.opml").is_err());
        assert_eq!(origin(&parse_http("https://a.example:8443/x?y").unwrap()), "https://a.example:8443");
    }
}
