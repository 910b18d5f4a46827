//! Reading the contract's times. Every time in a story (`published`,
//! `first_reported.time`, an update value's or a timeline entry's `time`) is
//! ISO 8601 as precise as its source: an instant, a date-time without a
//! zone, a day, or an interval of days (`2024-03-05/2024-03-11`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// The latest instant such a time may stand for, in UTC (a time without a
/// zone is read as UTC; a day ends at 23:59:59; an interval at the end of
/// its last day). `None` when it is no ISO 8601 time.
pub fn latest(iso: &str) -> Option<DateTime<Utc>> {
    let s = iso.trim();
    let s = s.rsplit_once('/').map(|(_, end)| end).unwrap_or(s);
    instant(s).or_else(|| {
        let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
        Some(day.and_time(NaiveTime::from_hms_opt(23, 59, 59)?).and_utc())
    })
}

/// An instant or a date-time written out (not a bare day).
pub fn instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_every_precision_read() {
        assert_eq!(latest("2024-03-12").unwrap().to_rfc3339(), "2024-03-12T23:59:59+00:00");
        assert_eq!(latest("2024-03-05/2024-03-11").unwrap().to_rfc3339(), "2024-03-11T23:59:59+00:00");
        assert_eq!(latest("2024-03-12T18:00").unwrap().to_rfc3339(), "2024-03-12T18:00:00+00:00");
        assert_eq!(latest("2024-03-12T18:00:00+02:00").unwrap().to_rfc3339(), "2024-03-12T16:00:00+00:00");
        assert!(latest("last Tuesday").is_none());
    }
}
