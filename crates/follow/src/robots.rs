//! robots.txt, read by `texting_robots`, with the outcomes of fetching it
//! mapped as RFC 9309 says: a 4xx means no rules (everything allowed), a
//! 5xx or no answer means everything disallowed until it can be read.

use std::time::Duration;

use texting_robots::Robot;

use crate::ROBOT_NAME;

/// The part of a robots.txt that is read: RFC 9309 asks crawlers to parse
/// at least 500 KiB; past that a file is not a list of rules.
pub const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

/// How long a robots.txt is trusted before it is fetched again (RFC 9309:
/// a crawler should not use a cached copy for more than 24 hours).
pub const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);

/// How long a robots.txt that could not be fetched (5xx, no answer) keeps
/// the host closed before it is asked for again.
pub const UNREACHABLE_TTL: Duration = Duration::from_secs(10 * 60);

/// The rules for one host.
pub enum Rules {
    /// No robots.txt (4xx): anything goes.
    AllowAll,
    /// robots.txt could not be had (5xx, no answer): nothing goes.
    DisallowAll,
    Parsed(Box<Robot>),
}

impl Rules {
    /// The rules from a robots.txt fetch: its HTTP status (0 when there
    /// was no answer) and body.
    pub fn from_response(status: i64, body: Option<&str>) -> Rules {
        match status {
            200..=299 => match body.map(|b| Robot::new(ROBOT_NAME, b.as_bytes())) {
                Some(Ok(r)) => Rules::Parsed(Box::new(r)),
                // Unparseable or empty: no rule can be read from it.
                _ => Rules::AllowAll,
            },
            400..=499 => Rules::AllowAll,
            _ => Rules::DisallowAll,
        }
    }

    pub fn allowed(&self, url: &str) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::DisallowAll => false,
            Rules::Parsed(r) => r.allowed(url),
        }
    }

    /// The `Crawl-delay` asked of us, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Rules::Parsed(r) => {
                r.delay.filter(|d| d.is_finite() && *d > 0.0).map(|d| Duration::from_secs_f64(d.min(3600.0) as f64))
            }
            _ => None,
        }
    }

    /// Sitemaps the file lists (for finding a site's news sitemap).
    pub fn sitemaps(&self) -> Vec<String> {
        match self {
            Rules::Parsed(r) => r.sitemaps.clone(),
            _ => Vec::new(),
        }
    }

    /// How long these rules are kept before robots.txt is fetched again.
    pub fn ttl(status: i64) -> Duration {
        if (200..500).contains(&status) { ROBOTS_TTL } else { UNREACHABLE_TTL }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: chorus\nDisallow: /no-chorus\nAllow: /\n\nSitemap: https://a.example/news.xml\n";

    #[test]
    fn our_group_wins_over_the_star_group() {
        let r = Rules::from_response(200, Some(TXT));
        assert!(!r.allowed("https://a.example/no-chorus/x"));
        // Our own group applies, not `*`'s.
        assert!(r.allowed("https://a.example/private/x"));
        assert_eq!(r.sitemaps(), vec!["https://a.example/news.xml".to_string()]);
    }

    #[test]
    fn star_group_and_crawl_delay() {
        let r = Rules::from_response(200, Some("User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n"));
        assert!(!r.allowed("https://a.example/private/x"));
        assert!(r.allowed("https://a.example/news"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn statuses_as_rfc_9309_says() {
        assert!(Rules::from_response(404, None).allowed("https://a.example/x"));
        assert!(!Rules::from_response(503, None).allowed("https://a.example/x"));
        assert!(!Rules::from_response(0, None).allowed("https://a.example/x"));
        assert_eq!(Rules::ttl(404), ROBOTS_TTL);
        assert_eq!(Rules::ttl(0), UNREACHABLE_TTL);
    }
}
