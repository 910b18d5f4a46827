//! The tokenizer under entity and number extraction: words, numbers,
//! possessive endings and single punctuation marks, by byte offsets, each
//! knowing whether whitespace preceded it and which sentence holds it.
//!
//! Written by hand rather than taken from UAX #29 word bounds because the
//! extractors need decisions that standard does not make: "U.S." is one word
//! but "Feb." is a word and a period, "Ukraine’s" is a word and a possessive,
//! "3.2m" is a number glued to a scale word. One pass over the bytes, with a
//! fast path for ASCII.

use super::gazetteer::norm_key_into;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters, possibly with digits and inner apostrophes ("O'Brien", "G7").
    Word,
    /// Digits with inner thousands commas or a decimal point ("1,200", "3.5").
    Num,
    /// A possessive ending, "'s" or "’s".
    Poss,
    /// Any other single character that is not whitespace.
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// No whitespace between the previous token and this one.
    pub glued: bool,
    /// Index of the sentence that holds the token.
    pub sent: u32,
    /// First word or number of its sentence, or of a clause opened by a
    /// quotation mark or a colon: where capitals say nothing about names.
    pub initial: bool,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Two or more letters, all upper case ("NATO", "U.S.").
    pub upper: bool,
}

impl Tok {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    pub fn is_punct(&self, text: &str, c: char) -> bool {
        self.kind == Kind::Punct && text[self.start..].starts_with(c)
    }
}

#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 { Some(b as char) } else { text[i..].chars().next() }
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Opening quotation marks after which a capital starts a new clause.
#[inline]
fn opens_clause(c: char) -> bool {
    matches!(c, '“' | '‘' | '«' | '„' | ':')
}

/// Tokenizes `text`; `sentences` (sorted, non-overlapping byte ranges) give
/// each token its sentence index and mark sentence-initial words.
pub(crate) fn lex(text: &str, sentences: &[Range<usize>]) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut out: Vec<Tok> = Vec::with_capacity(text.len() / 5);
    let mut i = 0usize;
    let mut glued = false;
    let mut si = 0usize;
    let mut cur_sent = u32::MAX;
    let mut need_initial = true;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 && (b == b' ' || b == b'\n' || b == b'\t' || b == b'\r') {
            glued = false;
            i += 1;
            continue;
        }
        let Some(c) = char_at(text, i) else { break };
        let clen = c.len_utf8();
        if c.is_whitespace() {
            glued = false;
            i += clen;
            continue;
        }
        while si < sentences.len() && sentences[si].end <= i {
            si += 1;
        }
        let sent = si.min(sentences.len().saturating_sub(1)) as u32;
        if sent != cur_sent {
            cur_sent = sent;
            need_initial = true;
        }
        let start = i;
        let alphabetic = if b < 0x80 { b.is_ascii_alphabetic() } else { c.is_alphabetic() };
        let (kind, end) = if alphabetic {
            lex_word(text, i)
        } else if c.is_ascii_digit() {
            (Kind::Num, lex_number(bytes, i))
        } else if is_apostrophe(c) && is_possessive(text, i, &out, glued) {
            (Kind::Poss, i + clen + 1)
        } else {
            (Kind::Punct, i + clen)
        };
        let mut tok = Tok { start, end, kind, glued, sent, initial: false, cap: false, upper: false };
        match kind {
            Kind::Word => {
                tok.cap = c.is_uppercase();
                let word = &bytes[start..end];
                if tok.cap && word.is_ascii() {
                    let letters = word.iter().filter(|b| b.is_ascii_alphabetic()).count();
                    tok.upper = letters >= 2 && !word.iter().any(u8::is_ascii_lowercase);
                } else if tok.cap {
                    let mut letters = 0;
                    tok.upper = text[start..end].chars().all(|ch| {
                        if ch.is_alphabetic() {
                            letters += 1;
                            ch.is_uppercase()
                        } else {
                            true
                        }
                    }) && letters >= 2;
                }
                tok.initial = need_initial;
                need_initial = false;
            }
            Kind::Num => {
                tok.initial = need_initial;
                need_initial = false;
            }
            Kind::Punct => {
                if opens_clause(c) || (c == '"' && !glued) {
                    need_initial = true;
                }
            }
            Kind::Poss => {}
        }
        out.push(tok);
        glued = true;
        i = end;
    }
    out
}

/// Whether the apostrophe at `i` starts a possessive "'s" that ends a word.
fn is_possessive(text: &str, i: usize, out: &[Tok], glued: bool) -> bool {
    let clen = char_at(text, i).map_or(1, char::len_utf8);
    let after = i + clen;
    glued
        && out.last().is_some_and(|t| t.kind == Kind::Word)
        && matches!(char_at(text, after), Some('s'))
        && !char_at(text, after + 1).is_some_and(char::is_alphanumeric)
}

/// A word from `i`: letters and digits, inner apostrophes before a letter
/// (but not a possessive "'s"), and dotted initialisms ("U.S.", "U.K.").
fn lex_word(text: &str, i: usize) -> (Kind, usize) {
    let bytes = text.as_bytes();
    // Dotted initialism: single upper-case letters each followed by a period.
    if bytes[i].is_ascii_uppercase() && bytes.get(i + 1) == Some(&b'.') {
        let mut j = i;
        let mut letters = 0;
        while j + 1 < bytes.len() && bytes[j].is_ascii_uppercase() && bytes[j + 1] == b'.' {
            let next = bytes.get(j + 2).copied();
            letters += 1;
            j += 2;
            if !next.is_some_and(|b| b.is_ascii_uppercase()) {
                break;
            }
            // The next letter must itself be a single letter ("U.S."), not a
            // word ("J.Smith").
            if bytes.get(j + 1).is_some_and(|b| b.is_ascii_alphabetic()) {
                break;
            }
        }
        if letters >= 2 {
            return (Kind::Word, j);
        }
    }
    let mut j = i;
    while j < bytes.len() {
        if bytes[j].is_ascii_alphanumeric() {
            j += 1;
            continue;
        }
        if bytes[j] < 0x80 && bytes[j] != b'\'' {
            break;
        }
        let Some(c) = char_at(text, j) else { break };
        if c.is_alphanumeric() {
            j += c.len_utf8();
        } else if is_apostrophe(c) {
            let after = j + c.len_utf8();
            let next = char_at(text, after);
            let possessive = next == Some('s') && !char_at(text, after + 1).is_some_and(char::is_alphanumeric);
            if next.is_some_and(char::is_alphabetic) && !possessive {
                j = after;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    (Kind::Word, j)
}

/// A number from `i`: digits, thousands commas followed by three digits, and
/// one decimal point followed by a digit.
fn lex_number(bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    let mut seen_point = false;
    while j < bytes.len() {
        let b = bytes[j];
        if b.is_ascii_digit() {
            j += 1;
        } else if b == b','
            && bytes.len() >= j + 4
            && bytes[j + 1..j + 4].iter().all(u8::is_ascii_digit)
            && !bytes.get(j + 4).is_some_and(u8::is_ascii_digit)
            && !seen_point
        {
            j += 4;
        } else if b == b'.' && !seen_point && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
            seen_point = true;
            j += 1;
        } else {
            break;
        }
    }
    j
}

/// Lower-case keys of every word token, in one buffer.
pub(crate) struct Keys {
    buf: String,
    ranges: Vec<(u32, u32)>,
}

impl Keys {
    pub(crate) fn new(text: &str, toks: &[Tok]) -> Keys {
        let mut buf = String::with_capacity(text.len());
        let mut ranges = Vec::with_capacity(toks.len());
        let mut tmp = String::new();
        for t in toks {
            let s = buf.len() as u32;
            let w = t.text(text);
            if t.kind == Kind::Word || t.kind == Kind::Poss {
                if w.is_ascii() && !w.contains('.') {
                    buf.push_str(w);
                    buf[s as usize..].make_ascii_lowercase();
                } else {
                    norm_key_into(w, &mut tmp);
                    buf.push_str(&tmp);
                }
            }
            ranges.push((s, buf.len() as u32));
        }
        Keys { buf, ranges }
    }

    pub(crate) fn get(&self, i: usize) -> &str {
        let (s, e) = self.ranges[i];
        &self.buf[s as usize..e as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, Kind)> {
        lex(text, std::slice::from_ref(&(0..text.len()))).iter().map(|t| (t.text(text), t.kind)).collect()
    }

    #[test]
    fn words_numbers_possessives() {
        let t = "The U.S. paid $3.2m to Marlow’s firm, O'Neill's 1,500 staff.";
        let k = kinds(t);
        let words: Vec<&str> = k.iter().map(|p| p.0).collect();
        assert_eq!(
            words,
            vec![
                "The", "U.S.", "paid", "$", "3.2", "m", "to", "Marlow", "’s", "firm", ",", "O'Neill", "'s", "1,500",
                "staff", "."
            ]
        );
        assert_eq!(k[7].1, Kind::Word);
        assert_eq!(k[8].1, Kind::Poss);
        assert_eq!(k[13].1, Kind::Num);
    }

    #[test]
    fn glue_and_initial_flags() {
        let t = "He said: “Quite so.” Feb. 3";
        let toks = lex(t, std::slice::from_ref(&(0..t.len())));
        let quite = toks.iter().find(|x| x.text(t) == "Quite").unwrap();
        assert!(quite.initial && quite.glued && quite.cap);
        let feb = toks.iter().position(|x| x.text(t) == "Feb").unwrap();
        assert!(toks[feb + 1].is_punct(t, '.') && toks[feb + 1].glued);
        assert!(!toks[feb + 2].glued);
        assert!(toks[0].initial && !toks[1].initial);
    }

    #[test]
    fn initialisms_need_two_letters() {
        assert_eq!(kinds("J. Smith")[0].0, "J");
        assert_eq!(kinds("the E.U.-led talks")[1].0, "E.U.");
        assert!(kinds("U.N.")[0].1 == Kind::Word && kinds("NATO")[0].0 == "NATO");
    }
}
