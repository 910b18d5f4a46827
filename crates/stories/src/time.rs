//! Publication times, as far as the clusterer needs them.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Seconds since 1970-01-01 UTC of an ISO 8601 date or date-time
/// ("2024-05-01", "2024-05-01T10:00:00Z", "2024-05-01 10:00:00",
/// "2024-05-01T10:00:00+02:00"); `None` when it is none of those. A time
/// without a zone is taken as UTC: a few hours do not move an article across
/// the day-scale windows that stories use.
pub fn parse_seconds(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc().timestamp());
        }
    }
    let date = s.get(..10)?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_date_times() {
        assert_eq!(parse_seconds("1970-01-02"), Some(86_400));
        assert_eq!(parse_seconds("1970-01-02T01:00:00Z"), Some(90_000));
        assert_eq!(parse_seconds("1970-01-02T03:00:00+02:00"), Some(90_000));
        assert_eq!(parse_seconds("1970-01-02 01:00:00"), Some(90_000));
        assert_eq!(parse_seconds("1970-01-02T01:00:00.5+00:00"), Some(90_000));
        assert_eq!(parse_seconds("yesterday"), None);
    }
}
