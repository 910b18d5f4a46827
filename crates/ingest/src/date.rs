//! Publication dates in the many shapes inputs write them, to ISO 8601.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Normalises a date or date-time to ISO 8601: `YYYY-MM-DD` when only a date
/// is known, RFC 3339 when a time (and zone) is. Accepts RFC 3339, RFC 2822
/// (feeds, HTTP), `YYYY-MM-DD[ T]HH:MM[:SS]` (news-please), `YYYY/MM/DD`,
/// and compact `YYYYMMDD`. Returns `None` for anything it cannot read, rather
/// than guessing.
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.to_rfc3339());
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.to_rfc3339());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(d.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%S %z"] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d.to_rfc3339());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    // A date-time with a zone name or extra words: keep the leading date.
    if s.len() >= 10
        && s.is_char_boundary(10)
        && let Ok(d) = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d")
    {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_common_shapes() {
        assert_eq!(normalize_date("2025-02-23").as_deref(), Some("2025-02-23"));
        assert_eq!(normalize_date("2025-02-23 14:05:00").as_deref(), Some("2025-02-23T14:05:00"));
        assert_eq!(normalize_date("Sun, 23 Feb 2025 14:05:00 +0000").as_deref(), Some("2025-02-23T14:05:00+00:00"));
        assert_eq!(normalize_date("2025-02-23T14:05:00Z").as_deref(), Some("2025-02-23T14:05:00+00:00"));
        assert_eq!(normalize_date("February 23, 2025").as_deref(), Some("2025-02-23"));
        assert_eq!(normalize_date("yesterday"), None);
    }
}
