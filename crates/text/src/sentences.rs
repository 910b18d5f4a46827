//! Sentence splitting for news prose.
//!
//! A rule-based splitter: a boundary is a terminal mark (`.`, `!`, `?`, `…`),
//! optionally followed by closing quotes or brackets, then whitespace, then
//! something that can start a sentence. Boundaries are refused after known
//! abbreviations ("Mr.", "Jan.", "Gen."), single-letter initials ("J. K."),
//! inside an open quotation (a quote that runs over several sentences stays
//! with its attribution), and before a lower-case word. Line breaks always end
//! a sentence: a reader already split the article into paragraphs.
//!
//! Why rules and not a model: no model can be downloaded here, news prose is
//! regular, and the rules are fast (a single pass over the bytes).

use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;

/// Abbreviations after which a period does not end a sentence when a
/// capitalised word follows (titles, corporate suffixes, common Latin; month
/// and weekday abbreviations come from [`crate::calendar`]).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt",
    "cpt", "sgt", "cmdr", "adm", "brig", "rev", "hon", "pres", "supt", "insp", "det", "amb", "atty", "messrs", "mme",
    "mlle", "fr", "inc", "ltd", "co", "corp", "bros", "dept", "univ", "assn", "no", "nos", "vol", "vols", "pp", "ch",
    "fig", "figs", "art", "sec", "ed", "eds", "est", "approx", "ca", "cf", "vs", "v", "etc", "al", "ave", "blvd", "rd",
    "mt", "ft", "mass", "calif", "fla", "ill", "penn", "pa", "tex", "va", "wash", "ariz", "colo", "conn", "ga", "md",
    "mich", "minn", "mo", "nev", "okla", "ore", "tenn", "wis", "ky", "la", "ala", "ark", "del", "kan", "neb", "wyo",
];

/// Capitalised words that usually open a sentence: after an initialism such
/// as "U.S." a boundary is taken only when one of these follows, since
/// "the U.S. President" is far more common than "…in the U.S. President X…".
const SENTENCE_STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "in",
    "on",
    "at",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "its",
    "their",
    "our",
    "after",
    "before",
    "while",
    "when",
    "if",
    "as",
    "however",
    "meanwhile",
    "still",
    "yet",
    "so",
    "for",
    "officials",
    "some",
    "many",
    "most",
    "no",
    "not",
    "one",
    "two",
    "what",
    "who",
    "why",
    "how",
    "where",
    "both",
    "each",
    "all",
    "such",
    "then",
    "earlier",
    "later",
];

static ABBREVIATION_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| ABBREVIATIONS.iter().copied().chain(crate::calendar::abbreviations()).collect());
static STARTER_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| SENTENCE_STARTERS.iter().copied().collect());

/// Splits `text` into sentences, returned as byte ranges in order.
///
/// Each range is trimmed of surrounding whitespace, ranges never overlap, and
/// everything between (and around) them is whitespace: splitting never loses
/// or reorders a character.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut para_start = 0usize;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            split_paragraph(text, para_start, i, &mut out);
            para_start = i + 1;
        }
    }
    split_paragraph(text, para_start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        out.push(start + lead..start + lead + trimmed.len());
    }
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '‹')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '»' | '›')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '’' | '”' | '»' | '›' | ')' | ']' | '}')
}

fn split_paragraph(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let para = &text[start..end];
    let bytes = para.as_bytes();
    let mut sent_start = 0usize;
    let mut in_quote = false;
    let mut i = 0usize;
    // Work on bytes: every mark that matters is ASCII or starts with the
    // lead byte C2 (« ») or E2 (“ ” „ ‹ › …), so other bytes are skipped
    // without decoding.
    while i < bytes.len() {
        let b = bytes[i];
        if !matches!(b, b'"' | b'.' | b'!' | b'?' | 0xC2 | 0xE2) {
            i += 1;
            continue;
        }
        let c = char_at(para, i);
        match c {
            '"' => {
                // A straight quote closes an open quotation, or else opens
                // one (the reading news typography and quote scorers share).
                in_quote = !in_quote;
            }
            c if is_open_quote(c) => in_quote = true,
            c if is_close_quote(c) => in_quote = false,
            '.' | '!' | '?' | '…' => {
                // Consume the whole terminal run ("?!", "...", ".”", "!)").
                let mut j = i + c.len_utf8();
                while j < bytes.len() && matches!(char_at(para, j), '.' | '!' | '?' | '…') {
                    j += char_at(para, j).len_utf8();
                }
                let run_end = j;
                let mut closed_quote = false;
                while j < bytes.len() && is_closer(char_at(para, j)) {
                    if matches!(char_at(para, j), '"' | '”' | '»' | '›') {
                        closed_quote = true;
                    }
                    j += char_at(para, j).len_utf8();
                }
                if j < bytes.len() && !char_at(para, j).is_whitespace() {
                    if closed_quote {
                        in_quote = false;
                    }
                    i = j.max(i + 1);
                    continue;
                }
                let mut k = j;
                while k < bytes.len() && char_at(para, k).is_whitespace() {
                    k += char_at(para, k).len_utf8();
                }
                if k >= bytes.len() {
                    break;
                }
                if closed_quote {
                    in_quote = false;
                }
                let plain_period = c == '.' && j == i + 1 && run_end == j;
                if !in_quote && is_boundary(para, i, k, c, plain_period) {
                    push_trimmed(text, start + sent_start, start + j, out);
                    sent_start = k;
                }
                i = k;
                continue;
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    push_trimmed(text, start + sent_start, end, out);
}

fn char_at(s: &str, i: usize) -> char {
    s[i..].chars().next().unwrap_or(' ')
}

/// Decides whether the terminal mark at byte `mark` ends a sentence, the
/// next non-space character being at byte `next`. `plain_period` is a lone
/// `.` with no closing quote or bracket after it.
fn is_boundary(para: &str, mark: usize, next: usize, c: char, plain_period: bool) -> bool {
    let next_c = char_at(para, next);
    let starts_ok = next_c.is_uppercase()
        || next_c.is_ascii_digit()
        || is_open_quote(next_c)
        || matches!(next_c, '"' | '\'' | '‘' | '(' | '[' | '¿' | '¡' | '—' | '–' | '-');
    if !starts_ok {
        return false;
    }
    if c != '.' || !plain_period {
        // "!", "?", "…" or a run like "..." / ".”" / "?!": a boundary when a
        // sentence can start next.
        return true;
    }
    // A plain period: look at the word it ends.
    let before = &para[..mark];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, ch)| ch.is_whitespace() || matches!(ch, '(' | '[' | '"' | '“' | '‘'))
        .map(|(p, ch)| p + ch.len_utf8())
        .unwrap_or(0);
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    // Abbreviations are short: a long word cannot be one, and needs no
    // lower-casing.
    if word.len() > 8 && !word.contains('.') {
        return true;
    }
    let lower = word.to_lowercase();
    let bare = lower.trim_start_matches(['\'', '’', '(', '[']);
    // Single letter initial: "J. K. Rowling", "John F. Kennedy".
    let mut chars = bare.chars();
    if let (Some(only), None) = (chars.next(), chars.next())
        && only.is_alphabetic()
    {
        return word.chars().all(|ch| ch.is_lowercase());
    }
    // Initialisms with inner periods: "U.S.", "U.N.", "a.m.", "p.m.", "e.g."
    if bare.contains('.') {
        let starter = word_at(para, next).to_lowercase();
        return STARTER_SET.contains(starter.as_str());
    }
    !ABBREVIATION_SET.contains(bare)
}

fn word_at(para: &str, at: usize) -> &str {
    para[at..].split(|ch: char| !ch.is_alphanumeric()).find(|s| !s.is_empty()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(t: &str) -> Vec<&str> {
        split_sentences(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn simple_sentences() {
        assert_eq!(
            split("It rained. Then it stopped! Why? Nobody knows."),
            vec!["It rained.", "Then it stopped!", "Why?", "Nobody knows."]
        );
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            split("Mr. Smith met Gen. Lee on Jan. 5 in Washington. J. R. R. Tolkien wrote it."),
            vec!["Mr. Smith met Gen. Lee on Jan. 5 in Washington.", "J. R. R. Tolkien wrote it."]
        );
        assert_eq!(
            split("The U.S. President spoke. The talks ended in the U.S. The next day, rain."),
            vec!["The U.S. President spoke.", "The talks ended in the U.S.", "The next day, rain."]
        );
    }

    #[test]
    fn quotes_running_over_sentences_stay_whole() {
        assert_eq!(
            split("“I am ready. I can trade it,” she said. Then she left."),
            vec!["“I am ready. I can trade it,” she said.", "Then she left."]
        );
        assert_eq!(
            split("He said: \"We won. It is over.\" The crowd cheered."),
            vec!["He said: \"We won. It is over.\"", "The crowd cheered."]
        );
    }

    #[test]
    fn ellipses_dashes_and_decimals() {
        assert_eq!(
            split("Prices rose 3.5 percent… Nobody expected it."),
            vec!["Prices rose 3.5 percent…", "Nobody expected it."]
        );
        assert_eq!(split("He waited... and waited."), vec!["He waited... and waited."]);
        assert_eq!(split("It ended—finally. Good."), vec!["It ended—finally.", "Good."]);
    }

    #[test]
    fn lines_always_split() {
        assert_eq!(
            split("Headline without stop\nBody starts here."),
            vec!["Headline without stop", "Body starts here."]
        );
    }

    proptest! {
        #[test]
        fn never_loses_or_reorders(text in "([A-Za-z]{1,6}|[ .!?…“”\"'\n]|Mr\\.|U\\.S\\.|é|—){0,60}") {
            let ranges = split_sentences(&text);
            let mut last = 0usize;
            for r in &ranges {
                prop_assert!(r.start >= last, "overlap or reorder");
                prop_assert!(r.start < r.end, "empty sentence");
                prop_assert!(text[last..r.start].trim().is_empty(), "lost text between sentences");
                last = r.end;
            }
            prop_assert!(text[last..].trim().is_empty(), "lost trailing text");
        }
    }
}
