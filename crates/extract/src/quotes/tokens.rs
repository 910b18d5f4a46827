//! The article as seen by attribution: words and punctuation outside quotes,
//! and each quoted region as one opaque item.
//!
//! Attribution lives outside the quotation marks, so the words inside are
//! never tokenised; a whole quote is one item that a clause can step over.

use std::ops::Range;

use super::lexicon::{self, CUE, CUE_ING, FUNC};
use super::regions::Region;

/// Shape flags, set from the spelling (the lexicon flags come from
/// [`lexicon::flags`] and share the same `u64`, in its low 32 bits).
pub const CAP: u64 = 1 << 32;
/// Ends in a possessive `'s` or `s'`.
pub const POSS: u64 = 1 << 33;
/// First word of its sentence.
pub const SENT_START: u64 = 1 << 34;
/// Written in capitals throughout, two letters or more ("FBI").
pub const ALLCAPS: u64 = 1 << 35;
/// A capitalised auxiliary or adverb inside a sentence, which can only be
/// a name there ("Will said", "Theresa May").
pub const IN_NAME: u64 = 1 << 36;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct,
    /// A quoted region, marks included; `region` indexes it.
    Quote,
}

#[derive(Debug, Clone, Copy)]
pub struct Item {
    pub start: usize,
    /// End of the item; for a word, before any possessive ending.
    pub end: usize,
    pub kind: Kind,
    pub flags: u64,
    /// Region index for a quote, the character for punctuation.
    pub region: usize,
    pub ch: char,
    pub sent: usize,
    pub para: usize,
}

impl Item {
    pub fn is(&self, f: u64) -> bool {
        self.kind == Kind::Word && self.flags & f != 0
    }

    pub fn word(&self) -> bool {
        self.kind == Kind::Word
    }

    pub fn punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.ch == c
    }

    pub fn is_dash(&self) -> bool {
        self.kind == Kind::Punct && matches!(self.ch, '—' | '–' | '-' | '―')
    }

    /// A capitalised word that can be part of a name: not a function word
    /// (which would be capitalised only for opening its sentence).
    pub fn name_word(&self) -> bool {
        let f = self.flags;
        if self.kind != Kind::Word || f & CAP == 0 || f & (lexicon::WEEKDAY | lexicon::NUMBER) != 0 {
            return false;
        }
        if f & SENT_START != 0 {
            f & (FUNC | CUE | CUE_ING | lexicon::CUE_BASE | lexicon::PRON) == 0
        } else {
            f & FUNC == 0 || f & IN_NAME != 0
        }
    }

    /// A verb of saying, in lower case (or opening its sentence: "Said X: …").
    pub fn cue(&self) -> bool {
        self.kind == Kind::Word && self.flags & CUE != 0 && (self.flags & CAP == 0 || self.flags & SENT_START != 0)
    }

    pub fn cue_ing(&self) -> bool {
        self.kind == Kind::Word && self.flags & CUE_ING != 0 && self.flags & CAP == 0
    }

    pub fn lower(&self) -> bool {
        self.kind == Kind::Word && self.flags & CAP == 0
    }
}

/// Abbreviations whose period belongs to the word: titles and name suffixes
/// ("Sen.", "Jr."), so the period is not read as the end of a clause.
const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt",
    "sgt", "cmdr", "adm", "rev", "hon", "pres", "supt", "amb", "atty", "messrs", "no", "vs", "inc", "corp", "co",
    "ltd", "bros", "dept", "ft", "mt",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Tokenises `text` outside `regions`, numbering sentences by `sentences`
/// (sorted, non-overlapping) and paragraphs by line breaks.
pub fn tokenize(text: &str, regions: &[Region], sentences: &[Range<usize>]) -> Vec<Item> {
    let mut items = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut i = 0usize;
    let mut para = 0usize;
    // A paragraph is a run of non-blank lines' items: blank lines between
    // paragraphs do not count, so neighbouring paragraphs differ by one.
    let mut line_break = false;
    let mut next_region = 0usize;
    let mut sent = 0usize;
    let mut last_sent: Option<usize> = None;
    while i < bytes.len() {
        if line_break && !bytes[i].is_ascii_whitespace() {
            if !items.is_empty() {
                para += 1;
            }
            line_break = false;
        }
        if next_region < regions.len() && regions[next_region].open == i {
            let r = regions[next_region];
            let end = r.close.max(i + 1);
            push(&mut items, i, end, Kind::Quote, next_region, sentences, &mut sent, &mut last_sent, para);
            next_region += 1;
            i = end;
            continue;
        }
        let b = bytes[i];
        if b == b'\n' {
            line_break = true;
            i += 1;
            continue;
        }
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let clen = c.len_utf8();
        if c.is_whitespace() {
            i += clen;
            continue;
        }
        // A region never starts inside a word, so a word ends before any mark.
        let limit = regions.get(next_region).map_or(text.len(), |r| r.open);
        if is_word_char(c) {
            let (end, word_end, poss) = scan_word(text, i, limit);
            let idx = push(&mut items, i, word_end, Kind::Word, 0, sentences, &mut sent, &mut last_sent, para);
            let word = &text[i..word_end];
            let key = word.strip_suffix('.').unwrap_or(word);
            // an initial ("A.", "I.") is a name, never the word it spells
            let initial = key.len() < word.len() && key.chars().count() == 1;
            let mut f = if initial { 0 } else { lexicon::flags(key) | contraction_flags(key) };
            if c.is_uppercase() {
                f |= CAP;
                if key.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !key.chars().any(char::is_lowercase) {
                    f |= ALLCAPS;
                }
            }
            if poss {
                f |= POSS;
            }
            items[idx].flags |= f;
            i = end;
        } else {
            push(&mut items, i, i + clen, Kind::Punct, 0, sentences, &mut sent, &mut last_sent, para);
            let idx = items.len() - 1;
            items[idx].ch = c;
            i += clen;
        }
    }
    mark_names_with_function_words(text, &mut items);
    items
}

/// The flags a contraction takes from its parts: a pronoun's ("I’m",
/// "We’ve", "They’ll" are pronouns, never names) or, for a negated
/// auxiliary ("Don’t", "Can't"), a function word's. Capitalised, they would
/// otherwise read as one-word names.
fn contraction_flags(word: &str) -> u64 {
    let Some((at, mark)) = word.char_indices().find(|&(_, c)| c == '\'' || c == '’') else { return 0 };
    let (base, rest) = (&word[..at], &word[at + mark.len_utf8()..]);
    let rest = rest.to_ascii_lowercase();
    if matches!(rest.as_str(), "m" | "re" | "ve" | "d" | "ll") {
        let f = lexicon::flags(base);
        if f & lexicon::PRON != 0 {
            return f;
        }
    }
    if rest == "t" && base.to_ascii_lowercase().ends_with('n') {
        return lexicon::FUNC | lexicon::SKIP;
    }
    0
}

/// Marks capitalised auxiliaries and adverbs inside a sentence as name
/// words ("Will said", "Theresa May's"), but never forms of "be", "have" or
/// "do", which only a title-cased headline capitalises ("Lee Is Back").
fn mark_names_with_function_words(text: &str, items: &mut [Item]) {
    const NEVER: &[&str] =
        &["is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did", "not"];
    for it in items.iter_mut() {
        let f = it.flags;
        let auxiliary = it.kind == Kind::Word
            && f & CAP != 0
            && f & SENT_START == 0
            && f & lexicon::SKIP != 0
            && f & (lexicon::DET | lexicon::PRON | lexicon::INTRO) == 0;
        if auxiliary && !NEVER.iter().any(|n| n.eq_ignore_ascii_case(&text[it.start..it.end])) {
            it.flags |= IN_NAME;
        }
    }
}

/// The end of the word at `i`: (end of the token, end of the word without a
/// possessive, whether it had one).
fn scan_word(text: &str, i: usize, limit: usize) -> (usize, usize, bool) {
    let bytes = text.as_bytes();
    let word_at = |k: usize| k < limit && text[k..limit].chars().next().is_some_and(is_word_char);
    let mut j = i;
    let mut inner_dot = false;
    while j < limit {
        let b = bytes[j];
        if b.is_ascii_alphanumeric() {
            j += 1;
            continue;
        }
        if b < 0x80 {
            let digits = b == b',' && bytes[j - 1].is_ascii_digit() && bytes.get(j + 1).is_some_and(u8::is_ascii_digit);
            if (matches!(b, b'\'' | b'-' | b'.' | b'&') && word_at(j + 1)) || digits {
                inner_dot |= b == b'.';
                j += 1;
                continue;
            }
            break;
        }
        let c = text[j..limit].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        if is_word_char(c) || (c == '’' && word_at(j + len)) {
            j += len;
            continue;
        }
        break;
    }
    let word = &text[i..j];
    // possessive: "Smith's", "Smith’s", "Jones'"
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return (j, i + stem.len(), true);
        }
    }
    let rest = &text[j..limit];
    if word.ends_with(['s', 'S'])
        && let Some(apos @ ('\'' | '’')) = rest.chars().next()
        && !rest[apos.len_utf8()..].chars().next().is_some_and(is_word_char)
        && word.chars().next().is_some_and(char::is_uppercase)
    {
        return (j + apos.len_utf8(), j, true);
    }
    // an abbreviation keeps its period
    if rest.starts_with('.') {
        let single = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        let lower_ok = word.len() <= 6 && {
            let mut buf = [0u8; 6];
            for (d, s) in buf.iter_mut().zip(word.bytes()) {
                *d = s.to_ascii_lowercase();
            }
            ABBREV.iter().any(|a| a.as_bytes() == &buf[..word.len()])
        };
        if single || inner_dot || lower_ok {
            return (j + 1, j + 1, false);
        }
    }
    (j, j, false)
}

#[allow(clippy::too_many_arguments)]
fn push(
    items: &mut Vec<Item>,
    start: usize,
    end: usize,
    kind: Kind,
    region: usize,
    sentences: &[Range<usize>],
    sent: &mut usize,
    last_sent: &mut Option<usize>,
    para: usize,
) -> usize {
    while *sent + 1 < sentences.len() && sentences[*sent].end <= start {
        *sent += 1;
    }
    let s = *sent;
    let mut flags = 0;
    if *last_sent != Some(s) {
        flags |= SENT_START;
        *last_sent = Some(s);
    }
    items.push(Item { start, end, kind, flags, region, ch: ' ', sent: s, para });
    items.len() - 1
}

#[cfg(test)]
mod tests {
    use super::super::regions::scan;
    use super::*;

    #[test]
    fn words_quotes_and_marks() {
        let t = "Sen. Ann Lee’s aide, J. Doe, said: “We won.” U.S. officials";
        let s = chorus_text::split_sentences(t);
        let items = tokenize(t, &scan(t), &s);
        let shown: Vec<&str> = items.iter().map(|it| &t[it.start..it.end]).collect();
        assert_eq!(
            shown,
            vec!["Sen.", "Ann", "Lee", "aide", ",", "J.", "Doe", ",", "said", ":", "“We won.”", "U.S.", "officials"]
        );
        assert!(items[2].flags & POSS != 0);
        assert!(items[0].flags & SENT_START != 0 && items[0].name_word());
        assert!(items[8].cue());
        assert_eq!(items[10].kind, Kind::Quote);
    }
}
