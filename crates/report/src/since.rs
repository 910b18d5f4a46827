//! What is new or changed in a story since a time a returning reader gives
//! (`chorus report --since`, `/stories/{id}?since=`): the articles filed
//! after it, the facts first reported after it, and the facts reported
//! before it whose value changed after it. Computed from the story alone.
//!
//! Times in a story are ISO 8601 as precise as their source: an instant, a
//! day, a day with a clock time, or an interval of days. Something is after
//! the reader's time when the latest moment it may stand for is: an
//! article dated only by its day counts as new on that whole day, since a
//! reader who looked at noon may not have seen it.

use chorus_model::{Since, Story};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

pub use chorus_model::time::latest;

/// The reader's time: an instant, or a day (its start).
pub fn parse(since: &str) -> Result<DateTime<Utc>, String> {
    let s = since.trim();
    if let Some(t) = chorus_model::time::instant(s) {
        return Ok(t);
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Ok(d.and_time(NaiveTime::MIN).and_utc()),
        Err(_) => Err(format!("since: {since:?} is not an ISO 8601 date or date-time (e.g. 2024-03-12T18:00:00Z)")),
    }
}

/// Marks what is new or changed in `story` since `t`.
pub fn mark(story: &mut Story, t: DateTime<Utc>) {
    let after = |iso: Option<&str>| iso.and_then(latest).is_some_and(|x| x > t);
    let articles: Vec<String> =
        story.articles.iter().filter(|a| after(a.published.as_deref())).map(|a| a.id.clone()).collect();
    let facts: Vec<String> = story
        .facts
        .iter()
        .filter(|f| after(f.first_reported.as_ref().and_then(|r| r.time.as_deref())))
        .map(|f| f.id.clone())
        .collect();
    let mut changed: Vec<String> = story
        .updates
        .iter()
        .filter(|u| u.values.iter().skip(1).any(|v| after(v.time.as_deref())))
        .filter_map(|u| u.fact.clone())
        .filter(|id| !facts.contains(id))
        .collect();
    changed.sort();
    changed.dedup();
    story.since = Some(Since { time: t.format("%Y-%m-%dT%H:%M:%SZ").to_string(), articles, facts, changed });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_model::{ArticleEntry, Fact, FirstReported, Update, UpdateValue};

    fn story() -> Story {
        let fact = |id: &str, time: &str| Fact {
            id: id.into(),
            first_reported: Some(FirstReported { time: Some(time.into()), articles: vec![] }),
            ..Default::default()
        };
        let value = |time: &str| UpdateValue { time: Some(time.into()), ..Default::default() };
        Story {
            articles: vec![
                ArticleEntry { id: "a".into(), published: Some("2024-03-11T09:30:00Z".into()), ..Default::default() },
                ArticleEntry { id: "b".into(), published: Some("2024-03-12".into()), ..Default::default() },
                ArticleEntry { id: "c".into(), published: None, ..Default::default() },
            ],
            facts: vec![fact("toll", "2024-03-11T09:30:00Z"), fact("workers", "2024-03-12")],
            updates: vec![Update {
                values: vec![value("2024-03-11"), value("2024-03-12")],
                fact: Some("toll".into()),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn new_and_changed_since_a_time() {
        let mut s = story();
        mark(&mut s, parse("2024-03-12T06:00:00Z").unwrap());
        let m = s.since.unwrap();
        assert_eq!(m.articles, vec!["b"]);
        assert_eq!(m.facts, vec!["workers"]);
        assert_eq!(m.changed, vec!["toll"]);
        let mut s = story();
        mark(&mut s, parse("2024-03-13").unwrap());
        let m = s.since.unwrap();
        assert!(m.articles.is_empty() && m.facts.is_empty() && m.changed.is_empty());
    }

    #[test]
    fn the_readers_time_is_an_instant_or_a_day() {
        assert!(parse("yesterday").is_err());
        assert_eq!(parse("2024-03-12T18:00:00+02:00").unwrap().to_rfc3339(), "2024-03-12T16:00:00+00:00");
        assert_eq!(parse("2024-03-12").unwrap().to_rfc3339(), "2024-03-12T00:00:00+00:00");
    }
}
