//! Query parts shared by every back-end: sort orders, filters, cursors, the
//! translation of a user's words into a full-text query, and the instant an
//! article is filed under for date filters.

pub use chrono::NaiveDate;
use chrono::{DateTime, NaiveDateTime, Utc};

/// Order of a story list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Most recently updated (gained an article) first.
    #[default]
    Newest,
    /// Most independent articles first, then most articles, then oldest.
    Biggest,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "newest" => Some(Sort::Newest),
            "biggest" => Some(Sort::Biggest),
            _ => None,
        }
    }
}

/// Which stories a list keeps: those with at least one article that matches
/// every filter given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryFilter {
    /// Words the article must contain.
    pub q: Option<String>,
    /// The article's outlet (source name, else URL host), case-insensitive.
    pub source: Option<String>,
    /// Filed on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Filed on or before this day (UTC).
    pub to: Option<NaiveDate>,
}

/// Where the next page of a story list starts: the sort key of the last
/// story shown, as three integers. Written `A.B.C`; any three integers make
/// a valid cursor, so a malformed-looking but well-formed one never fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryCursor(pub [i64; 3]);

/// Largest number of digits per cursor part: fits an `i64` with room.
const CURSOR_DIGITS: usize = 15;

impl StoryCursor {
    /// The cursor's grammar, for documentation (OpenAPI `pattern`).
    pub const PATTERN: &'static str = r"^[0-9]{1,15}\.[0-9]{1,15}\.[0-9]{1,15}$";

    pub fn parse(s: &str) -> Option<StoryCursor> {
        let mut parts = [0i64; 3];
        let mut it = s.split('.');
        for p in &mut parts {
            let t = it.next()?;
            if t.is_empty() || t.len() > CURSOR_DIGITS || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *p = t.parse().ok()?;
        }
        it.next().is_none().then_some(StoryCursor(parts))
    }

    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.0[0], self.0[1], self.0[2])
    }
}

/// The search cursor's grammar: the number of hits already shown.
pub const OFFSET_PATTERN: &str = r"^[0-9]{1,9}$";

pub fn parse_offset(s: &str) -> Option<u64> {
    (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Turns a user's words into an FTS5 query that cannot be a syntax error:
/// each word or `"quoted phrase"` becomes a quoted FTS5 string, all of them
/// required. Operators are not offered; a search box rarely needs them and
/// an unbalanced one would otherwise fail the query. `None` when there is
/// no word to search for (only punctuation, say).
pub fn fts_query(q: &str) -> Option<String> {
    let mut terms = Vec::new();
    let mut rest = q;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            let (phrase, tail) = match after.find('"') {
                Some(i) => (&after[..i], &after[i + 1..]),
                None => (after, ""),
            };
            push_term(&mut terms, phrase);
            rest = tail;
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
            push_term(&mut terms, &rest[..end]);
            rest = rest[end..].trim_start_matches(char::is_whitespace);
        }
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Adds a term when it has something the tokenizer keeps (a letter or
/// digit); a term of punctuation alone would match nothing.
fn push_term(terms: &mut Vec<String>, raw: &str) {
    // Control characters (a NUL ends an FTS5 string early) separate words.
    let raw: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let words: Vec<&str> = raw.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().any(char::is_alphanumeric) {
        terms.push(format!("\"{}\"", joined.replace('"', "\"\"")));
    }
}

/// The fixed form instants are stored and compared in: UTC, to the second,
/// so that text order is time order.
pub const INSTANT_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

/// The instant an article is filed under for date filters: its publication
/// time in UTC when its date can be read, else `added` (the time it was
/// stored), as the API documents.
pub fn filed_at(published: Option<&str>, added: DateTime<Utc>) -> String {
    published.and_then(parse_instant).unwrap_or(added).format(INSTANT_FORMAT).to_string()
}

fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc());
        }
    }
    let day = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc())
}

/// A `YYYY-MM-DD` day as the API takes it.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The stored-instant bounds of a day range: `from` inclusive, `to` through
/// the end of its day (as the exclusive start of the next day).
pub fn day_bounds(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (Option<String>, Option<String>) {
    let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().format(INSTANT_FORMAT).to_string());
    (from.and_then(start), to.and_then(|d| d.succ_opt()).and_then(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = StoryCursor([3, 12, 4567]);
        assert_eq!(StoryCursor::parse(&c.encode()), Some(c));
        for bad in ["", "1.2", "1.2.3.4", "a.b.c", "-1.2.3", "1..3", "1234567890123456.1.1"] {
            assert_eq!(StoryCursor::parse(bad), None, "{bad}");
        }
        assert_eq!(parse_offset("40"), Some(40));
        assert_eq!(parse_offset("4x"), None);
    }

    #[test]
    fn user_words_become_safe_fts_terms() {
        assert_eq!(fts_query("flood  warning").as_deref(), Some("\"flood\" \"warning\""));
        assert_eq!(fts_query("\"river bank\" burst").as_deref(), Some("\"river bank\" \"burst\""));
        assert_eq!(fts_query("unbalanced \"quote").as_deref(), Some("\"unbalanced\" \"quote\""));
        assert_eq!(fts_query("AND OR NOT ( * ^").as_deref(), Some("\"AND\" \"OR\" \"NOT\""));
        assert_eq!(fts_query("!!! ()"), None);
        assert_eq!(fts_query("a\0b").as_deref(), Some("\"a b\""));
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn articles_are_filed_by_publication_time_in_utc() {
        let added = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(filed_at(Some("2024-03-05T01:30:00+02:00"), added), "2024-03-04T23:30:00Z");
        assert_eq!(filed_at(Some("2024-03-05"), added), "2024-03-05T00:00:00Z");
        assert_eq!(filed_at(Some("last Tuesday"), added), "2030-01-01T00:00:00Z");
        assert_eq!(filed_at(None, added), "2030-01-01T00:00:00Z");
    }

    #[test]
    fn day_ranges_include_the_last_day() {
        let d = |s| parse_day(s).unwrap();
        let (from, to) = day_bounds(Some(d("2024-03-05")), Some(d("2024-03-06")));
        assert_eq!(from.as_deref(), Some("2024-03-05T00:00:00Z"));
        assert_eq!(to.as_deref(), Some("2024-03-07T00:00:00Z"));
        assert_eq!(parse_day("2024-3-5"), None);
        assert_eq!(parse_day("2024-02-30"), None);
    }
}

/// How many words of an untitled story's first article stand in for its
/// headline until the analysis names one.
const STAND_IN_HEADLINE_WORDS: usize = 20;

/// An untitled story's headline until the analysis names one: its first
/// article's opening words, never longer than a title may be (one endless
/// "word" must not become an endless headline in every listing).
pub fn stand_in_headline(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(STAND_IN_HEADLINE_WORDS + 1).collect();
    let mut h = if words.len() > STAND_IN_HEADLINE_WORDS {
        format!("{}…", words[..STAND_IN_HEADLINE_WORDS].join(" "))
    } else {
        words.join(" ")
    };
    chorus_model::cut_chars(&mut h, chorus_model::MAX_TITLE_CHARS);
    h
}

#[cfg(test)]
mod stand_in_tests {
    #[test]
    fn a_stand_in_headline_is_bounded_in_words_and_characters() {
        let long = (0..30).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert!(super::stand_in_headline(&long).ends_with("w19…"));
        let endless = "x".repeat(100_000);
        assert!(super::stand_in_headline(&endless).chars().count() <= chorus_model::MAX_TITLE_CHARS);
        assert_eq!(super::stand_in_headline("Short text."), "Short text.");
    }
}
