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

/// Abbreviations after which a period does not end a sentence when a
/// capitalised word follows (titles, months, corporate suffixes, common Latin).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt",
    "cpt", "sgt", "cmdr", "adm", "brig", "rev", "hon", "pres", "supt", "insp", "det", "amb", "atty", "messrs", "mme",
    "mlle", "fr", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
    "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "inc", "ltd", "co", "corp", "bros", "dept", "univ", "assn",
    "no", "nos", "vol", "vols", "pp", "ch", "fig", "figs", "art", "sec", "ed", "eds", "est", "approx", "ca", "cf",
    "vs", "v", "etc", "al", "ave", "blvd", "rd", "mt", "ft", "mass", "calif", "fla", "ill", "penn", "pa", "tex", "va",
    "wash", "ariz", "colo", "conn", "ga", "md", "mich", "minn", "mo", "nev", "okla", "ore", "tenn", "wis", "ky", "la",
    "ala", "ark", "del", "kan", "neb", "wyo",
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
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut sent_start = 0usize;
    let mut in_quote = false;
    let mut i = 0usize;
    while i < chars.len() {
        let (pos, c) = chars[i];
        match c {
            '"' => {
                // A straight quote opens when it is followed by a non-space and
                // preceded by start or space/opening punctuation; else it closes.
                let prev_space =
                    i == 0 || chars[i - 1].1.is_whitespace() || matches!(chars[i - 1].1, '(' | '[' | '—' | '–');
                in_quote = if in_quote { false } else { prev_space || !in_quote };
            }
            c if is_open_quote(c) => in_quote = true,
            c if is_close_quote(c) => in_quote = false,
            '.' | '!' | '?' | '…' => {
                // Consume the whole terminal run ("?!", "...", ".”", "!)").
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
                    j += 1;
                }
                let mut closed_quote = false;
                while j < chars.len() && is_closer(chars[j].1) {
                    if matches!(chars[j].1, '"' | '”' | '»' | '›') {
                        closed_quote = true;
                    }
                    j += 1;
                }
                if j < chars.len() && !chars[j].1.is_whitespace() {
                    i = j.max(i + 1);
                    if closed_quote {
                        in_quote = false;
                    }
                    continue;
                }
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                if k >= chars.len() {
                    break;
                }
                if closed_quote {
                    in_quote = false;
                }
                let boundary = !in_quote && is_boundary(para, &chars, i, j, k, c);
                if boundary {
                    let cut = if j < chars.len() { chars[j].0 } else { para.len() };
                    push_trimmed(text, start + sent_start, start + cut, out);
                    sent_start = chars[k].0;
                }
                i = k;
                continue;
            }
            _ => {}
        }
        let _ = pos;
        i += 1;
    }
    push_trimmed(text, start + sent_start, end, out);
}

/// Decides whether the terminal mark at `mark` (run ending at `after`, next
/// non-space char at `next`) ends a sentence.
fn is_boundary(para: &str, chars: &[(usize, char)], mark: usize, after: usize, next: usize, c: char) -> bool {
    let next_c = chars[next].1;
    let next_word = word_at(para, chars, next);
    let starts_ok = next_c.is_uppercase()
        || next_c.is_ascii_digit()
        || is_open_quote(next_c)
        || matches!(next_c, '"' | '\'' | '‘' | '(' | '[' | '¿' | '¡' | '—' | '–' | '-');
    if !starts_ok {
        return false;
    }
    if c != '.' || after > mark + 1 {
        // "!", "?", "…" or a run like "..." / ".”" / "?!": a boundary when a
        // sentence can start next.
        return true;
    }
    // A plain period: look at the word it ends.
    let mut w = mark;
    while w > 0 && !chars[w - 1].1.is_whitespace() && !matches!(chars[w - 1].1, '(' | '[' | '"' | '“' | '‘') {
        w -= 1;
    }
    let word: String = chars[w..mark].iter().map(|&(_, ch)| ch).collect();
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    let bare = lower.trim_start_matches(['\'', '’', '(', '[']);
    // Single letter initial: "J. K. Rowling", "John F. Kennedy".
    if bare.chars().count() == 1 && bare.chars().all(|ch| ch.is_alphabetic()) {
        return word.chars().all(|ch| ch.is_lowercase());
    }
    // Initialisms with inner periods: "U.S.", "U.N.", "a.m.", "p.m.", "e.g."
    if bare.contains('.') {
        let starter = next_word.to_lowercase();
        return SENTENCE_STARTERS.contains(&starter.as_str());
    }
    if ABBREVIATIONS.contains(&bare) {
        return false;
    }
    true
}

fn word_at(para: &str, chars: &[(usize, char)], at: usize) -> String {
    let start = chars[at].0;
    para[start..].split(|ch: char| !ch.is_alphanumeric()).find(|s| !s.is_empty()).unwrap_or("").to_string()
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
