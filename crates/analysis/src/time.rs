//! When each statement speaks for.
//!
//! A statement speaks for the time its article was filed: its publication
//! time, or for an undated article the time it was added to a store (a
//! batch run has no such time, and the statement's time is unknown). The
//! text sharpens that where it says the figure or claim is as of another
//! time: a date next to a reporting or change verb ("officials said on
//! Monday", "the toll rose to 14 on Tuesday", "said last week"), or after
//! "as of"/"by" ("as of Tuesday evening", "as of 6 p.m."). A date that
//! dates the event itself ("collapsed on Monday") does not: every later
//! report repeats it, and the count beside it is the reporter's current one.
//!
//! **Clearly different times.** Two statements are at clearly different
//! times when the periods they speak for do not overlap at the precision
//! they were given: they fall on different calendar days (and, where both
//! publication instants are known, at least [`CLEAR_GAP_HOURS`] apart, so
//! that two time zones' calendars do not split one moment); or, on one
//! day, both texts give a clock time and these are at least
//! [`CLOCK_GAP_MINUTES`] apart. Publication times within one day never
//! separate two statements: outlets publish one state of knowledge hours
//! apart, and the day is the unit in which officials update a figure
//! (briefings, editions), so a same-day difference is a disagreement until
//! the texts themselves say otherwise. A span ("last week") overlaps every
//! day inside it, and an unknown time overlaps everything.

use chorus_extract::dates::{Date, DatePrecision};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::Doc;
use crate::story::{Story, slice};

/// Least gap between two publication instants on different days for them
/// to be clearly different: more than the offset between neighbouring
/// time zones' calendars, less than a news shift.
pub const CLEAR_GAP_HOURS: i64 = 6;

/// Least gap between two clock times written on one day ("as of 9 a.m.",
/// "as of 6 p.m."): writers round such times to the hour.
pub const CLOCK_GAP_MINUTES: i64 = 60;

/// Verbs of change and of counting that, within [`CUE_WINDOW`] words of a
/// date, make it the time a figure is as of ("rose to 14 on Tuesday",
/// "revised on Monday"). Reporting verbs do the same ("said on Monday");
/// those come from the one list of verbs of saying
/// (`chorus_extract::cues`), in their finite forms and "say".
const AS_OF_VERBS: &[&str] = &[
    "updated",
    "rose",
    "risen",
    "climbed",
    "reached",
    "increased",
    "jumped",
    "stood",
    "stands",
    "revised",
    "raised",
    "lowered",
    "fell",
    "dropped",
    "put",
    "estimated",
    "counted",
    "tallied",
];

/// Whether a lower-case word makes a nearby date an as-of time: a finite
/// verb of saying ("said", "confirms"; "say" after a plural subject), or a
/// verb of change or counting ([`AS_OF_VERBS`]).
fn is_as_of_verb(w: &str) -> bool {
    AS_OF_VERBS.contains(&w) || chorus_extract::cues::finite_speech_verb(w).is_some() || w == "say"
}

/// How many words may separate a date from the verb that makes it an as-of
/// time ("said on Tuesday", "rose to 14 on Tuesday", "On Monday, the
/// council confirmed").
const CUE_WINDOW: usize = 4;

/// Words that may come before a date that opens a sentence ("Late on
/// Monday, …", "By Tuesday evening, …").
const OPENING_WORDS: usize = 2;

/// When a statement speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The first and last calendar day it may speak for.
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// A clock time the text gives, on `first`.
    pub clock: Option<NaiveTime>,
    /// The publication instant, when the time is the article's and the
    /// article gave one with its zone.
    pub instant: Option<DateTime<Utc>>,
}

impl When {
    /// The article's own time: a publication date or date-time (ISO 8601),
    /// or the time it was added.
    pub fn parse(s: &str) -> Option<When> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            let day = t.date_naive();
            return Some(When { first: day, last: day, clock: None, instant: Some(t.with_timezone(&Utc)) });
        }
        for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
                let day = t.date();
                return Some(When { first: day, last: day, clock: None, instant: None });
            }
        }
        let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
        Some(When { first: day, last: day, clock: None, instant: None })
    }

    fn of_date(d: &Date) -> When {
        When { first: d.low, last: d.high, clock: None, instant: None }
    }

    fn single_day(&self) -> bool {
        self.first == self.last
    }

    /// Whether `self` is clearly before `other` (see the module notes).
    pub fn clearly_before(&self, other: &When) -> bool {
        if self.last < other.first {
            return match (self.instant, other.instant) {
                (Some(a), Some(b)) => (b - a).num_hours() >= CLEAR_GAP_HOURS,
                _ => true,
            };
        }
        if self.single_day()
            && other.single_day()
            && self.first == other.first
            && let (Some(a), Some(b)) = (self.clock, other.clock)
        {
            return (b - a).num_minutes() >= CLOCK_GAP_MINUTES;
        }
        false
    }

    /// A sort key: earliest first.
    pub fn key(&self) -> (NaiveDate, Option<NaiveTime>, Option<DateTime<Utc>>, NaiveDate) {
        (self.first, self.clock, self.instant, self.last)
    }

    /// ISO 8601: the instant, the day (with the clock time the text gave),
    /// or an interval of days.
    pub fn iso(&self) -> String {
        if let Some(t) = self.instant {
            return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        }
        match (self.single_day(), self.clock) {
            (true, Some(c)) => format!("{}T{}", self.first, c.format("%H:%M")),
            (true, None) => self.first.to_string(),
            (false, _) => format!("{}/{}", self.first, self.last),
        }
    }
}

/// Whether two optional times are clearly different: an unknown time is
/// never clearly different from anything.
pub fn clearly_different(a: Option<&When>, b: Option<&When>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.clearly_before(b) || b.clearly_before(a),
        _ => false,
    }
}

/// Whether `a` is clearly before `b`; false when either is unknown.
pub fn clearly_before(a: Option<&When>, b: Option<&When>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.clearly_before(b))
}

/// An as-of time the text gives, and where.
#[derive(Debug, Clone, Copy)]
struct AsOf {
    /// Byte position of the phrase in the article text.
    at: usize,
    when: When,
}

/// The times of one story's articles and statements.
pub(crate) struct Times {
    /// Per doc: when it was filed; `None` when unknown.
    pub docs: Vec<Option<When>>,
    /// Per sentence: as-of times the text gives.
    as_of: Vec<Vec<AsOf>>,
}

impl Times {
    pub fn build(story: &Story) -> Times {
        let docs: Vec<Option<When>> = story.docs.iter().map(filed).collect();
        let as_of = story
            .sents
            .iter()
            .map(|s| {
                let doc = &story.docs[s.doc];
                let text = doc.article.text.as_str();
                as_of_times(text, s.start, s.end, doc, docs[s.doc].as_ref())
            })
            .collect();
        Times { docs, as_of }
    }

    /// The time a whole sentence speaks for: its one as-of time, else its
    /// article's.
    pub fn of_sentence(&self, story: &Story, sent: usize) -> Option<When> {
        match self.as_of[sent].as_slice() {
            [one] => Some(one.when),
            _ => self.docs[story.sents[sent].doc],
        }
    }

    /// The time a figure at byte `pos` of sentence `sent` speaks for: the
    /// as-of time nearest to it, unless another figure of its kind
    /// (`others`, byte positions) sits between them; else its article's.
    pub fn of_span(&self, story: &Story, sent: usize, pos: usize, others: &[usize]) -> Option<When> {
        let near = self.as_of[sent]
            .iter()
            .filter(|a| !others.iter().any(|&o| o != pos && (a.at.min(pos)..a.at.max(pos)).contains(&o)))
            .min_by_key(|a| a.at.abs_diff(pos));
        match near {
            Some(a) => Some(a.when),
            None => self.docs[story.sents[sent].doc],
        }
    }

    /// Byte positions of the dates that the sentence uses as as-of times
    /// (they say when a figure held, not when something happened).
    pub fn as_of_positions(&self, sent: usize) -> impl Iterator<Item = usize> + '_ {
        self.as_of[sent].iter().map(|a| a.at)
    }
}

/// When an article was filed: its publication time, else the time it was
/// added to a store.
fn filed(doc: &Doc) -> Option<When> {
    doc.article.published.as_deref().and_then(When::parse).or_else(|| doc.added.and_then(When::parse))
}

/// The as-of times of the sentence `text[start..end]`.
fn as_of_times(text: &str, start: usize, end: usize, doc: &Doc, filed: Option<&When>) -> Vec<AsOf> {
    let sentence = slice(text, start, end);
    if sentence.is_empty() {
        return Vec::new();
    }
    let words = lower_tokens(sentence, start);
    let mut out = Vec::new();
    for n in doc.extraction.numbers.iter().filter(|n| n.start >= start && n.start < end) {
        let Some(date) = n.date else { continue };
        // Years and decades are history, not an as-of time; a date after
        // publication is a plan.
        if matches!(date.precision, DatePrecision::Year | DatePrecision::Decade)
            || filed.is_some_and(|f| date.low > f.last)
        {
            continue;
        }
        let first = words.iter().position(|w| w.0 >= n.start).unwrap_or(words.len());
        let last = words.iter().rposition(|w| w.1 <= n.end).unwrap_or(first);
        let is_verb = |w: &(usize, usize, String)| is_as_of_verb(&w.2);
        // The verb before the date ("said on Monday", "rose to 14 on
        // Tuesday"), or after a date that opens the sentence ("On Monday,
        // the council confirmed"). A date late in the sentence before the
        // reporting clause ("…late on Sunday, officials said") dates what
        // was reported, not the report.
        let before = &words[first.saturating_sub(CUE_WINDOW)..first];
        let opens = first <= OPENING_WORDS;
        let after = &words[(last + 1).min(words.len())..(last + 1 + CUE_WINDOW).min(words.len())];
        let verb = before.iter().any(is_verb) || (opens && after.iter().any(is_verb));
        let as_of = first >= 2 && words[first - 2].2 == "as" && matches!(words[first - 1].2.as_str(), "of" | "at")
            || first >= 1 && words[first - 1].2 == "by";
        if verb || as_of {
            let mut when = When::of_date(&date);
            when.clock = clock_after(text, &words, last + 1);
            out.push(AsOf { at: n.start, when });
        }
    }
    // "as of 6 p.m." with no date: a clock time on the article's day.
    if let Some(f) = filed {
        for i in 0..words.len() {
            let cue = (i >= 2 && words[i - 2].2 == "as" && matches!(words[i - 1].2.as_str(), "of" | "at"))
                || (i >= 1 && words[i - 1].2 == "by");
            if !cue || out.iter().any(|a| a.at == words[i].0) {
                continue;
            }
            if let Some(c) = clock_after(text, &words, i) {
                let when = When { first: f.first, last: f.first, clock: Some(c), instant: None };
                out.push(AsOf { at: words[i].0, when });
            }
        }
    }
    out.sort_by_key(|a| a.at);
    out.dedup_by_key(|a| a.at);
    out
}

/// Words and numbers of `s` (lower-case) with byte offsets plus `base`.
fn lower_tokens(s: &str, base: usize) -> Vec<(usize, usize, String)> {
    chorus_text::tokens(s)
        .into_iter()
        .map(|t| (base + t.start, base + t.end, s[t.start..t.end].to_lowercase()))
        .collect()
}

/// A clock time starting at word `i` ("6 p.m.", "6pm", "18:00", "noon",
/// "midnight"), possibly after "at" ("Tuesday at 6 p.m."). `text` is what
/// the word offsets point into.
fn clock_after(text: &str, words: &[(usize, usize, String)], mut i: usize) -> Option<NaiveTime> {
    if words.get(i).is_some_and(|w| w.2 == "at") {
        i += 1;
    }
    let w = words.get(i)?.2.as_str();
    match w {
        "noon" | "midday" => return NaiveTime::from_hms_opt(12, 0, 0),
        "midnight" => return NaiveTime::from_hms_opt(0, 0, 0),
        _ => {}
    }
    let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let h: u32 = digits.parse().ok()?;
    let mut rest = &w[digits.len()..];
    let mut next = i + 1;
    // "18:00", "6:30 p.m.": the colon splits the word tokens.
    let mut minutes = None;
    if rest.is_empty()
        && text.get(words[i].1..words[i].1 + 1) == Some(":")
        && let Some(m) = words.get(next).filter(|m| m.0 == words[i].1 + 1)
    {
        let md: String = m.2.chars().take_while(char::is_ascii_digit).collect();
        if md.len() == 2 {
            minutes = md.parse::<u32>().ok();
            rest = &m.2[2..];
            next += 1;
        }
    }
    let suffix = if rest.is_empty() { words.get(next).map(|w| w.2.as_str()).unwrap_or("") } else { rest };
    let h = match suffix.trim_matches('.') {
        "am" | "a.m" if (1..=12).contains(&h) => h % 12,
        "pm" | "p.m" if (1..=12).contains(&h) => h % 12 + 12,
        _ if minutes.is_some() && h < 24 => h,
        _ => return None,
    };
    NaiveTime::from_hms_opt(h, minutes.unwrap_or(0), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> When {
        When::parse(s).unwrap()
    }

    #[test]
    fn different_days_are_clearly_different_and_one_day_is_not() {
        assert!(day("2031-05-12").clearly_before(&day("2031-05-13")));
        assert!(!day("2031-05-13").clearly_before(&day("2031-05-12")));
        assert!(!day("2031-05-12T08:00:00Z").clearly_before(&day("2031-05-12T20:00:00Z")));
        // Two calendars, one moment: 23:30 in New York is 05:30 in Paris.
        assert!(!day("2031-05-12T23:30:00-04:00").clearly_before(&day("2031-05-13T05:45:00+02:00")));
        assert!(day("2031-05-12T09:00:00Z").clearly_before(&day("2031-05-13T09:00:00Z")));
        assert!(!clearly_different(None, Some(&day("2031-05-12"))));
    }

    #[test]
    fn clock_times_from_the_text_separate_one_day() {
        let d = NaiveDate::from_ymd_opt(2031, 5, 12).unwrap();
        let at = |h| When { first: d, last: d, clock: NaiveTime::from_hms_opt(h, 0, 0), instant: None };
        assert!(at(9).clearly_before(&at(18)));
        assert!(!at(18).clearly_before(&at(18)));
        assert_eq!(at(18).iso(), "2031-05-12T18:00");
    }

    #[test]
    fn spans_overlap_the_days_inside_them() {
        let week = When {
            first: NaiveDate::from_ymd_opt(2031, 5, 5).unwrap(),
            last: NaiveDate::from_ymd_opt(2031, 5, 11).unwrap(),
            clock: None,
            instant: None,
        };
        assert!(!clearly_different(Some(&week), Some(&day("2031-05-07"))));
        assert!(week.clearly_before(&day("2031-05-12")));
        assert_eq!(week.iso(), "2031-05-05/2031-05-11");
    }

    /// The time each sentence of a text published on Wednesday 2031-05-14
    /// speaks for, with the real extractor's dates.
    fn sentence_times(text: &str) -> Vec<Option<String>> {
        let article = chorus_model::Article {
            id: "a".into(),
            text: text.into(),
            published: Some("2031-05-14".into()),
            ..Default::default()
        };
        let ex = chorus_extract::extract(text, article.published.as_deref());
        let docs = [Doc { article: &article, extraction: &ex, independent: true, added: None }];
        let ents = crate::entities::merge(&docs);
        let story = Story::build(&docs, &ents);
        let times = Times::build(&story);
        (0..story.sents.len()).map(|s| times.of_sentence(&story, s).map(|w| w.iso())).collect()
    }

    #[test]
    fn the_text_sharpens_a_statement_only_where_it_says_when_it_held() {
        let got = sentence_times(
            "Officials said on Monday that twelve people had died.\n\
             Fourteen people died when the dam burst late on Sunday, officials said.\n\
             On Tuesday, the council confirmed 16 deaths.\n\
             As of 6 p.m., 18 people were missing.\n\
             Twenty people have died.",
        );
        assert_eq!(
            got,
            vec![
                Some("2031-05-12".to_string()),
                Some("2031-05-14".to_string()),
                Some("2031-05-13".to_string()),
                Some("2031-05-14T18:00".to_string()),
                Some("2031-05-14".to_string()),
            ]
        );
    }

    #[test]
    fn clock_times_read_as_written() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        let read = |s: &str| clock_after(s, &lower_tokens(s, 0), 0);
        assert_eq!(read("6 p.m."), t(18, 0));
        assert_eq!(read("6pm"), t(18, 0));
        assert_eq!(read("at 9 a.m."), t(9, 0));
        assert_eq!(read("6:30 p.m."), t(18, 30));
        assert_eq!(read("18:00"), t(18, 0));
        assert_eq!(read("noon"), t(12, 0));
        assert_eq!(read("12 a.m."), t(0, 0));
        assert_eq!(read("6 people"), None);
        assert_eq!(read("2031"), None);
    }
}
