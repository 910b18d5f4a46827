//! The uncased BERT tokeniser the model was distilled with: normalise
//! (drop control characters, lower-case, strip accents), split on
//! whitespace and punctuation, then WordPiece (greedy longest match first,
//! `##` before a piece that continues a word).

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words longer than this (in characters) are one unknown token, as in
/// BERT: they are URLs, hashes or run-together junk, not words.
pub const MAX_WORD_CHARS: usize = 100;

/// Character classes as sorted inclusive ranges, built once from
/// regex-syntax's Unicode tables (already compiled in for `regex`).
fn class(pattern: &str) -> Vec<(char, char)> {
    use regex_syntax::hir::{Class, HirKind};
    match regex_syntax::parse(pattern).map(|h| h.into_kind()) {
        Ok(HirKind::Class(Class::Unicode(c))) => c.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        other => panic!("{pattern} is not a Unicode class: {other:?}"),
    }
}

fn in_class(c: char, ranges: &[(char, char)]) -> bool {
    let i = ranges.partition_point(|&(_, end)| end < c);
    ranges.get(i).is_some_and(|&(start, _)| start <= c)
}

/// BERT's notion of punctuation: ASCII symbols and punctuation, and the
/// Unicode punctuation categories (P*). Other symbols ("€", "°", "©") stay
/// inside their word, as in BERT: splitting them changed the transformer's
/// vectors of "41°C" or "€4.5bn" against the reference (cosine 0.93).
fn is_punct(c: char) -> bool {
    static PUNCT: OnceLock<Vec<(char, char)>> = OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    in_class(c, PUNCT.get_or_init(|| class(r"\p{P}")))
}

/// Characters BERT drops: control, format (zero-width spaces and joiners,
/// soft hyphen, byte-order mark), private-use and unassigned ones.
fn is_dropped(c: char) -> bool {
    static DROPPED: OnceLock<Vec<(char, char)>> = OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_control() && !c.is_ascii_whitespace();
    }
    c == '\u{FFFD}' || in_class(c, DROPPED.get_or_init(|| class(r"[\p{Cc}\p{Cf}\p{Co}\p{Cn}]")))
}

/// CJK ideographs are words on their own, as BERT's `handle_chinese_chars`.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// The normalised words of a text, in order: lower case, accents
/// stripped, each punctuation mark and CJK ideograph a word of its own.
/// Calls `f` with each word (a slice of an internal buffer).
pub fn basic_words(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::with_capacity(32);
    let flush = |buf: &mut String, f: &mut dyn FnMut(&str)| {
        if !buf.is_empty() {
            f(buf);
            buf.clear();
        }
    };
    let mut one = [0u8; 4];
    for c in text.chars() {
        if c == '\0' || (is_dropped(c) && !c.is_whitespace()) {
            continue;
        }
        if c.is_whitespace() {
            flush(&mut buf, &mut f);
            continue;
        }
        if is_punct(c) || is_cjk(c) {
            flush(&mut buf, &mut f);
            f(c.to_lowercase().next().unwrap_or(c).encode_utf8(&mut one));
            continue;
        }
        if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                // Strip accents: decompose, drop the combining marks.
                for d in std::iter::once(l).nfd() {
                    if !is_combining_mark(d) {
                        buf.push(d);
                    }
                }
            }
        }
    }
    flush(&mut buf, &mut f);
}

/// WordPiece ids of one normalised word, appended to `out`; `unk` when the
/// word cannot be cut into vocabulary pieces (as BERT: the whole word is
/// then one unknown token). `cont` maps continuation pieces (the text
/// after `##`), `vocab` word-initial ones.
pub fn wordpiece(
    word: &str,
    vocab: &FxHashMap<Box<str>, u32>,
    cont: &FxHashMap<Box<str>, u32>,
    unk: Option<u32>,
    out: &mut Vec<u32>,
) {
    if word.chars().count() > MAX_WORD_CHARS {
        out.extend(unk);
        return;
    }
    let mark = out.len();
    let mut start = 0;
    while start < word.len() {
        let table = if start == 0 { vocab } else { cont };
        let mut end = word.len();
        let mut found = None;
        while end > start {
            if let Some(&id) = table.get(&word[start..end]) {
                found = Some(id);
                break;
            }
            // Step back one character.
            end = word[..end].char_indices().next_back().map_or(start, |(i, _)| i);
        }
        match found {
            Some(id) => {
                out.push(id);
                start = end;
            }
            None => {
                out.truncate(mark);
                out.extend(unk);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<String> {
        let mut v = Vec::new();
        basic_words(t, |w| v.push(w.to_string()));
        v
    }

    #[test]
    fn splits_punctuation_lowercases_and_strips_accents() {
        assert_eq!(
            words("Zelenskyy’s “offer”, Café—NATO!"),
            ["zelenskyy", "’", "s", "“", "offer", "”", ",", "cafe", "—", "nato", "!"]
        );
        assert_eq!(words("$500\tbillion\u{200B}"), ["$", "500", "billion"]);
    }

    #[test]
    fn greedy_longest_match_with_continuations() {
        let mut vocab = FxHashMap::default();
        let mut cont = FxHashMap::default();
        for (i, t) in ["un", "unaff", "[UNK]"].iter().enumerate() {
            vocab.insert(Box::<str>::from(*t), i as u32);
        }
        for (i, t) in ["ordable", "able", "ord", "aff"].iter().enumerate() {
            cont.insert(Box::<str>::from(*t), 10 + i as u32);
        }
        let mut out = Vec::new();
        wordpiece("unaffordable", &vocab, &cont, Some(2), &mut out);
        assert_eq!(out, [1, 10]);
        out.clear();
        wordpiece("unxyz", &vocab, &cont, Some(2), &mut out);
        assert_eq!(out, [2]);
    }
}
