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

/// Longest query accepted, in characters. A search box holds a few words;
/// a thousand characters is a long pasted sentence, and bounds what one
/// request can make the index do.
pub const MAX_QUERY_CHARS: usize = 1000;

/// Most distinct words or phrases one query may require. Every term is one
/// more list the index intersects and one more phrase the snippet and the
/// rank look for in every hit; 32 is far past what anyone types.
pub const MAX_TERMS: usize = 32;

/// Why a user's words are refused: too long, or too many distinct terms
/// (repeats count once). `None` when they can be searched for.
pub fn check_words(q: &str) -> Option<String> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Some(format!("q is over {MAX_QUERY_CHARS} characters"));
    }
    let n = terms(q).len();
    (n > MAX_TERMS).then(|| format!("q has {n} different words; at most {MAX_TERMS} are searched for"))
}

/// Turns a user's words into an FTS5 query that cannot be a syntax error:
/// each word or `"quoted phrase"` becomes a quoted FTS5 string, all of them
/// required. Operators are not offered; a search box rarely needs them and
/// an unbalanced one would otherwise fail the query. `None` when there is
/// no word to search for (only punctuation, say).
///
/// Bounded whatever the input: only the first [`MAX_QUERY_CHARS`]
/// characters are read, a term repeated counts once (`the` a thousand times
/// is one term, not a thousand phrases every hit is scored against), and
/// only the first [`MAX_TERMS`] distinct terms are kept. Han, kana and
/// Hangul are written without spaces, so each of their characters is a word
/// of its own here as in the index (see [`segment`]): a phrase of them finds
/// the same characters inside a longer run.
pub fn fts_query(q: &str) -> Option<String> {
    let terms: Vec<String> =
        terms(q).into_iter().take(MAX_TERMS).map(|t| format!("\"{}\"", segment(&t).replace('"', "\"\""))).collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// The distinct terms of a user's words, in order, unquoted: words and
/// `"quoted phrases"` with their spaces collapsed, compared without case.
fn terms(q: &str) -> Vec<String> {
    let mut rest = match q.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => &q[..cut],
        None => q,
    };
    let mut terms: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut push = |raw: &str| {
        if let Some(t) = term(raw)
            && seen.insert(t.to_lowercase())
        {
            terms.push(t);
        }
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            let (phrase, tail) = match after.find('"') {
                Some(i) => (&after[..i], &after[i + 1..]),
                None => (after, ""),
            };
            push(phrase);
            rest = tail;
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
            push(&rest[..end]);
            rest = rest[end..].trim_start_matches(char::is_whitespace);
        }
    }
    terms
}

/// A term when it has something the tokenizer keeps (a letter or digit); a
/// term of punctuation alone would match nothing.
fn term(raw: &str) -> Option<String> {
    // Control characters (a NUL ends an FTS5 string early) separate words.
    let raw: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let joined = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.chars().any(char::is_alphanumeric).then_some(joined)
}

/// What separates the characters [`segment`] splits: a control character,
/// which both SQLite's `unicode61` tokenizer and PostgreSQL's text-search
/// parser take as a space, and which no stored text holds (readers strip
/// control characters). Only the index sees it: snippets are made from
/// the stored text.
pub const SEGMENT_MARK: char = '\u{1f}';

/// Whether a character belongs to a script written without spaces between
/// words (Han ideographs, kana, Hangul syllables, Bopomofo): the word
/// tokenizers see a whole run of them as one word, so "東京" would never be
/// found inside "東京都で地震". Each such character is made a word of its
/// own instead; a query's run of them becomes a phrase of adjacent
/// characters, which finds the run anywhere (as Lucene's CJK bigrams and
/// PostgreSQL's pg_bigm do, with no dictionary to ship). The ranges match
/// `chorus_segment` of the PostgreSQL migration 0006.
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007 // 々 〆 〇
        | 0x3040..=0x30FF // hiragana, katakana
        | 0x3100..=0x312F // bopomofo
        | 0x31A0..=0x31BF // bopomofo extended
        | 0x31F0..=0x31FF // katakana phonetic extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFF66..=0xFF9F // halfwidth katakana
        | 0x20000..=0x3134F // CJK extensions B to G, compatibility supplement
    )
}

/// The text the search index reads: `text` with every character of
/// [`is_unspaced_script`] set apart by [`SEGMENT_MARK`]s. Any other text
/// comes back unchanged, so the index of other scripts is as before.
pub fn segment(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unspaced_script) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        if is_unspaced_script(c) {
            out.push(SEGMENT_MARK);
            out.push(c);
            out.push(SEGMENT_MARK);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Most of an article's text a snippet is looked for in, in characters:
/// a long feature's first pages. Past it, only the cost would grow.
pub const SNIPPET_SCAN_CHARS: usize = 100_000;

/// Words a snippet shows: a line or two of a result list, enough to read a
/// match in its sentence.
pub const SNIPPET_WORDS: usize = 32;

/// Words shown before the first match of a snippet's window.
const SNIPPET_LEAD: usize = 6;

/// A plain-text snippet of an article's `text` where the words of `q` are:
/// the first window of [`SNIPPET_WORDS`] words that holds the most
/// different words of the query (compared by stem, as the index compares
/// them), with `…` where the text is cut; the opening words when none is
/// found (a match in the title only).
///
/// Made here rather than by FTS5's `snippet()` or PostgreSQL's
/// `ts_headline`: `snippet()` weighs every match against every other
/// match, so a long article full of common words took minutes per hit
/// (three 300,000-word articles and 32 common words: over 12 minutes),
/// and `ts_headline` parses the whole text. This reads at most
/// [`SNIPPET_SCAN_CHARS`] characters once, and both back-ends give the
/// same snippet.
pub fn snippet(text: &str, q: &str) -> String {
    let head = match text.char_indices().nth(SNIPPET_SCAN_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    let words = word_spans(head);
    if words.is_empty() {
        return String::new();
    }
    let mut stemmer = chorus_text::Stemmer::default();
    let mut wanted: Vec<String> = Vec::new();
    for t in terms(q).iter().take(MAX_TERMS) {
        for (s, e) in word_spans(t) {
            let k = key(&mut stemmer, &t[s..e]);
            if !wanted.contains(&k) {
                wanted.push(k);
            }
        }
    }
    // Each word of the text that is a query word: (word index, which).
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for (i, &(s, e)) in words.iter().enumerate() {
        let w = &head[s..e];
        for (k, want) in wanted.iter().enumerate() {
            // Stems are prefixes of their words but for the last letters:
            // a cheap look at the first three spares stemming most words.
            let probe: String = want.chars().take(3).collect();
            if w.chars().flat_map(char::to_lowercase).take(probe.chars().count()).eq(probe.chars())
                && key(&mut stemmer, w) == *want
            {
                hits.push((i, k));
                break;
            }
        }
    }
    // The window (starting at a hit) holding the most different words.
    let mut best: Option<(usize, usize)> = None;
    let mut counts = vec![0usize; wanted.len()];
    let (mut distinct, mut j) = (0, 0);
    for i in 0..hits.len() {
        while j < hits.len() && hits[j].0 < hits[i].0 + SNIPPET_WORDS - SNIPPET_LEAD {
            if counts[hits[j].1] == 0 {
                distinct += 1;
            }
            counts[hits[j].1] += 1;
            j += 1;
        }
        if best.is_none_or(|(_, d)| distinct > d) {
            best = Some((hits[i].0, distinct));
        }
        counts[hits[i].1] -= 1;
        if counts[hits[i].1] == 0 {
            distinct -= 1;
        }
    }
    let first = best.map_or(0, |(at, _)| at.saturating_sub(SNIPPET_LEAD));
    let end = (first + SNIPPET_WORDS).min(words.len());
    let start = end.saturating_sub(SNIPPET_WORDS).min(first);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    // Through the punctuation that closes the last word ("wall.", "した。").
    let mut stop = words[end - 1].1;
    for c in head[stop..].chars() {
        if c.is_whitespace() || c.is_alphanumeric() {
            break;
        }
        stop += c.len_utf8();
    }
    out.push_str(&head[words[start].0..stop].split_whitespace().collect::<Vec<_>>().join(" "));
    if end < words.len() || head.len() < text.len() {
        out.push('…');
    }
    out
}

/// The words of a text as byte spans, with each character of
/// [`is_unspaced_script`] a word of its own (as the index has them).
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for t in chorus_text::tokens(text) {
        let w = t.text(text);
        if w.chars().any(is_unspaced_script) {
            out.extend(w.char_indices().map(|(i, c)| (t.start + i, t.start + i + c.len_utf8())));
        } else {
            out.push((t.start, t.end));
        }
    }
    out
}

/// What a word is compared by: its stem, or the character itself in the
/// unspaced scripts.
fn key(stemmer: &mut chorus_text::Stemmer, word: &str) -> String {
    if word.chars().any(is_unspaced_script) { word.to_string() } else { stemmer.stem(word) }
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
    fn repeated_words_are_one_term_and_terms_are_bounded() {
        let the = vec!["the"; 1000].join(" ");
        assert_eq!(fts_query(&the).as_deref(), Some("\"the\""));
        assert_eq!(
            fts_query("Flood flood FLOOD \"river bank\" \"river  bank\"").as_deref(),
            Some("\"Flood\" \"river bank\"")
        );
        let many: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let q = fts_query(&many.join(" ")).unwrap();
        assert_eq!(q.matches('"').count(), 2 * MAX_TERMS);
        assert!(check_words(&many.join(" ")).unwrap().contains("100 different words"));
        assert!(check_words(&"x".repeat(MAX_QUERY_CHARS + 1)).unwrap().contains("characters"));
        assert_eq!(check_words(&the[..MAX_QUERY_CHARS - 3]), None);
        // Whatever is passed, only the first MAX_QUERY_CHARS characters are read.
        assert_eq!(fts_query(&format!("{} tail", "é".repeat(5000))).unwrap().chars().count(), MAX_QUERY_CHARS + 2);
    }

    #[test]
    fn unspaced_scripts_are_split_into_characters() {
        assert_eq!(segment("flood warning"), "flood warning");
        assert!(matches!(segment("flood"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(segment("Tokyo 東京都"), "Tokyo \u{1f}東\u{1f}\u{1f}京\u{1f}\u{1f}都\u{1f}");
        assert_eq!(segment("서울에서"), "\u{1f}서\u{1f}\u{1f}울\u{1f}\u{1f}에\u{1f}\u{1f}서\u{1f}");
        assert_eq!(fts_query("東京").as_deref(), Some("\"\u{1f}東\u{1f}\u{1f}京\u{1f}\""));
        // Other scripts without case or spaces of their own are left alone.
        assert_eq!(segment("Москва مرحبا"), "Москва مرحبا");
    }

    #[test]
    fn snippets_show_the_words_searched_for() {
        let text = "Opening words of the piece. ".repeat(20)
            + "The harbour council voted on Monday to rebuild the flooded wall. "
            + &"Closing words here. ".repeat(20);
        let s = snippet(&text, "floods rebuild");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("to rebuild the flooded wall."), "{s}");
        assert_eq!(s.split_whitespace().count(), SNIPPET_WORDS, "{s}");
        // Nothing found: the opening.
        assert!(snippet(&text, "ferry").starts_with("Opening words of the piece."));
        assert_eq!(snippet("A short text.", "short"), "A short text.");
        assert_eq!(snippet("Quoted: \"no.\" Then more", "no"), "Quoted: \"no.\" Then more");
        assert_eq!(snippet("", "x"), "");
        let jp = "今日は晴れ。".repeat(10) + "東京都で大きな地震が発生した。" + &"明日は雨。".repeat(10);
        let s = snippet(&jp, "東京");
        assert!(s.contains("東京都で大きな地震"), "{s}");
        // Linear, whatever the text and query: 300,000 common words.
        let common = ["the", "a", "of", "and", "to", "in", "is", "was"];
        let long: Vec<&str> = (0..300_000).map(|i| common[(i * 7) % common.len()]).collect();
        let long = long.join(" ");
        let t = std::time::Instant::now();
        let s = snippet(&long, &common.join(" "));
        assert!(!s.is_empty());
        assert!(t.elapsed() < std::time::Duration::from_secs(2), "{:?}", t.elapsed());
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
