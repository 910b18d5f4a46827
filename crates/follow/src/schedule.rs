//! When a source is polled next. Each source starts at the base interval
//! (`--every`) and adapts it to how often it changes: halved after a poll
//! that brought new articles (down to a quarter of the base), half as long
//! again after one that brought none (up to eight times the base). A failed
//! poll backs off exponentially from there, and a host that asked us to
//! wait is not polled before it said.

use std::time::Duration;

/// The shortest interval, as a fraction of the base: a busy source is
/// polled up to four times as often as the base, no more.
pub const FASTEST_DIVISOR: u32 = 4;

/// The longest interval, as a multiple of the base: a source quiet for a
/// long time is still looked at every eight bases (40 minutes at the
/// default of 5).
pub const SLOWEST_FACTOR: u32 = 8;

/// The longest back-off after failures: a source down for a day is still
/// tried every few hours.
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);

/// The interval after a poll that worked; `gained` when it brought new
/// articles.
pub fn after_success(base: Duration, current: Duration, gained: bool) -> Duration {
    let current = if current.is_zero() { base } else { current };
    if gained { (current / 2).max(base / FASTEST_DIVISOR) } else { current.mul_f64(1.5).min(base * SLOWEST_FACTOR) }
}

/// The wait after the `failures`-th failed poll in a row.
pub fn after_failure(base: Duration, current: Duration, failures: u32) -> Duration {
    let current = if current.is_zero() { base } else { current };
    current.saturating_mul(1u32 << failures.clamp(1, 16).saturating_sub(1).min(15)).min(MAX_BACKOFF.max(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Duration = Duration::from_secs(300);

    #[test]
    fn adapts_between_bounds() {
        let mut i = B;
        for _ in 0..10 {
            i = after_success(B, i, true);
        }
        assert_eq!(i, B / 4);
        for _ in 0..20 {
            i = after_success(B, i, false);
        }
        assert_eq!(i, B * 8);
        assert_eq!(after_success(B, Duration::ZERO, false), B.mul_f64(1.5));
    }

    #[test]
    fn backs_off_exponentially_up_to_a_cap() {
        assert_eq!(after_failure(B, B, 1), B);
        assert_eq!(after_failure(B, B, 2), B * 2);
        assert_eq!(after_failure(B, B, 3), B * 4);
        assert_eq!(after_failure(B, B, 30), MAX_BACKOFF);
    }
}
