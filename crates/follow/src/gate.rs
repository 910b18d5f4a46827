//! Per-host manners: at most [`crate::Config::per_host`] requests in
//! flight to one host, a minimum delay between the starts of two of them
//! (a `governor` rate limiter per host, slowed to the host's robots.txt
//! `Crawl-delay` when it asks for more), and a pause when the host asked us
//! to wait (`Retry-After`).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The longest `Crawl-delay` honoured. Some robots.txt files ask for
/// minutes or hours between requests; past a minute we poll feeds less
/// often instead (a feed is one request a poll).
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// One host's limits.
pub struct Host {
    slots: Arc<Semaphore>,
    pace: Mutex<Option<Arc<DefaultDirectRateLimiter>>>,
    delay: Mutex<Duration>,
    paused_until: Mutex<Option<DateTime<Utc>>>,
}

impl Host {
    fn new(per_host: usize, delay: Duration) -> Host {
        Host {
            slots: Arc::new(Semaphore::new(per_host.max(1))),
            pace: Mutex::new(limiter(delay)),
            delay: Mutex::new(delay),
            paused_until: Mutex::new(None),
        }
    }

    /// Waits for a free slot and for the host's pace, and returns the slot
    /// (held until the response has been read).
    pub async fn enter(&self) -> OwnedSemaphorePermit {
        let permit = self.slots.clone().acquire_owned().await.expect("host semaphore is never closed");
        let pace = self.pace.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(pace) = pace {
            pace.until_ready().await;
        }
        permit
    }

    /// Slows the host down to `delay` between requests (a robots.txt
    /// `Crawl-delay`), never below the configured minimum.
    pub fn slow_to(&self, delay: Duration) {
        let delay = delay.min(MAX_CRAWL_DELAY);
        let mut current = self.delay.lock().unwrap_or_else(|p| p.into_inner());
        if delay > *current {
            *current = delay;
            *self.pace.lock().unwrap_or_else(|p| p.into_inner()) = limiter(delay);
        }
    }

    /// When the host asked us to wait until, if that is still ahead.
    pub fn paused_until(&self) -> Option<DateTime<Utc>> {
        let p = *self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
        p.filter(|t| *t > Utc::now())
    }

    /// Pauses the host until `until` (a later pause wins).
    pub fn pause(&self, until: DateTime<Utc>) {
        let mut p = self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
        if p.is_none_or(|t| t < until) {
            *p = Some(until);
        }
    }
}

fn limiter(delay: Duration) -> Option<Arc<DefaultDirectRateLimiter>> {
    let quota = Quota::with_period(delay)?.allow_burst(NonZeroU32::MIN);
    Some(Arc::new(RateLimiter::direct(quota)))
}

/// Every host seen, by origin (`scheme://host[:port]`).
pub struct Gates {
    per_host: usize,
    min_delay: Duration,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

impl Gates {
    pub fn new(per_host: usize, min_delay: Duration) -> Gates {
        Gates { per_host, min_delay, hosts: Mutex::new(HashMap::new()) }
    }

    /// The host's limits, and whether this is the first time it is seen
    /// (so its stored state is to be loaded).
    pub fn host(&self, origin: &str) -> (Arc<Host>, bool) {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(h) = hosts.get(origin) {
            return (h.clone(), false);
        }
        let h = Arc::new(Host::new(self.per_host, self.min_delay));
        hosts.insert(origin.to_string(), h.clone());
        (h, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn at_most_two_in_flight_and_spaced() {
        let gates = Arc::new(Gates::new(2, Duration::from_millis(20)));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let starts = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (gates, in_flight, peak, starts) = (gates.clone(), in_flight.clone(), peak.clone(), starts.clone());
            tasks.push(tokio::spawn(async move {
                let (host, _) = gates.host("http://a.example");
                let _slot = host.enter().await;
                starts.lock().unwrap().push(Instant::now());
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(30)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        let mut s = starts.lock().unwrap().clone();
        s.sort();
        for w in s.windows(2) {
            // governor's clock may round a little; 20 ms asked, ≥ 15 ms seen.
            assert!(w[1] - w[0] >= Duration::from_millis(15), "{:?}", w[1] - w[0]);
        }
    }

    #[test]
    fn pauses_keep_the_latest_and_expire() {
        let gates = Gates::new(2, Duration::ZERO);
        let (h, first) = gates.host("http://a.example");
        assert!(first);
        assert!(!gates.host("http://a.example").1);
        assert_eq!(h.paused_until(), None);
        let later = Utc::now() + chrono::Duration::seconds(60);
        h.pause(later);
        h.pause(Utc::now() + chrono::Duration::seconds(5));
        assert_eq!(h.paused_until(), Some(later));
        let past = Gates::new(2, Duration::ZERO).host("x").0;
        past.pause(Utc::now() - chrono::Duration::seconds(1));
        assert_eq!(past.paused_until(), None);
    }
}
