//! Direct quotes of one article, with speaker and cue.
//!
//! 1. [`regions`] finds the quoted stretches (curly, straight and angle
//!    marks; paragraphs reopen; unbalanced marks stay local).
//! 2. [`tokens`] reads the words outside them; a quote is one opaque item.
//! 3. [`clause`] finds verbs of saying and their subjects ([`np`] reads the
//!    noun phrases), and [`attribute`] attributes a quote from its own
//!    sentence: a verb right after it ("“…,” Ann Lee
//!    said", "“…,” said Ann Lee", "“…?” Lee pressed"), an attribution after
//!    a dash, else the nearest verb of saying before it (partial quotes,
//!    "Ann Lee said: “…”", the second half of a split quote), else a colon
//!    introducing it, else the subject of the clause the quote sits in.
//! 4. A quote with no attribution of its own (a sentence or paragraph that
//!    is nothing but a quote) takes the attribution of the paragraph its
//!    open quote runs on into, else of the sentence before it — its colon,
//!    its quote, its verb of saying or its subject — else of the next quote
//!    in its paragraph.
//! 5. [`names`] turns the speaker phrase into a name: the fullest form in
//!    the article, a pronoun resolved to the last fitting subject, null when
//!    nothing fits.

mod attribute;
mod clause;
mod lexicon;
mod names;
mod np;
mod regions;
mod tokens;

use std::ops::Range;

use attribute::{Attr, Cue, inherited};
use clause::Clauses;
use names::Names;
use tokens::Kind;

use crate::EntitySpan;

/// A direct quote, by byte offsets of the quoted words (marks excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteSpan {
    pub start: usize,
    pub end: usize,
    pub speaker: Option<String>,
    pub cue: Option<String>,
}

/// Fewest words a quote needs. One- and two-word quoted fragments are
/// scare quotes, coined terms, nicknames and titles far more often than
/// statements ("so-called “experts”", “rigged”); they carry no claim to
/// compare across sources, so they are left out.
pub const MIN_WORDS: usize = 3;

/// The direct quotes of a text, in order.
///
/// `sentences` are the text's sentences (from `chorus_text::split_sentences`;
/// when empty they are computed here). `entities`, when given, name speakers
/// (fullest name, person or organisation); without them speakers are found
/// from the text alone.
pub fn find_quotes(text: &str, sentences: &[Range<usize>], entities: &[EntitySpan]) -> Vec<QuoteSpan> {
    let regions = regions::scan(text);
    if regions.is_empty() {
        return Vec::new();
    }
    let own;
    let sentences = if sentences.is_empty() {
        own = chorus_text::split_sentences(text);
        &own[..]
    } else {
        sentences
    };
    let items = tokens::tokenize(text, &regions, sentences);
    let long: Vec<bool> = regions.iter().map(|r| is_statement(text, r)).collect();
    let clauses = Clauses::new(text, &items, &regions, &long, sentences.len());
    let names = Names::new(&clauses, entities);

    let mut region_item = vec![usize::MAX; regions.len()];
    for (i, it) in items.iter().enumerate() {
        if it.kind == Kind::Quote {
            region_item[it.region] = i;
        }
    }
    let long: Vec<bool> = long.iter().zip(&region_item).map(|(&l, &i)| l && i != usize::MAX).collect();
    let own_attr: Vec<Option<Attr>> =
        (0..regions.len()).map(|r| if long[r] { clauses.attribute(region_item[r]) } else { None }).collect();

    let mut attrs = own_attr.clone();
    for r in 0..regions.len() {
        if !long[r] {
            continue;
        }
        if attrs[r].is_none() {
            attrs[r] = inherited(&clauses, &regions, &region_item, &long, &attrs, &own_attr, r);
        }
    }

    let mut out = Vec::new();
    for r in 0..regions.len() {
        if !long[r] {
            continue;
        }
        let reg = regions[r];
        // A title of a work or show ("“The Late Show,”") is no statement,
        // unless an attribution touches it.
        let adjacent = attrs[r].is_some_and(|a| a.adjacent);
        if !adjacent && (is_title_like(&text[reg.start..reg.end]) || clauses.is_titled_work(region_item[r])) {
            continue;
        }
        let (speaker, cue) = match attrs[r] {
            Some(a) => (
                a.speaker.and_then(|np| names.speaker(np)),
                match a.cue {
                    Cue::Verb(k) => Some(clauses.cue_text(k)),
                    Cue::Colon => Some(":".to_string()),
                    Cue::Dash(d) => Some(text[items[d].start..items[d].end].to_string()),
                    Cue::None => None,
                },
            ),
            None => (None, None),
        };
        out.push(QuoteSpan { start: reg.start, end: reg.end, speaker, cue });
    }
    out
}

/// Whether a quoted region can hold a statement: enough words, and not the
/// value of a markup attribute (`author="…"`) left in the text.
fn is_statement(text: &str, r: &regions::Region) -> bool {
    let before = text[..r.open].trim_end();
    !before.ends_with('=') && regions::count_words(&text[r.start..r.end]) >= MIN_WORDS
}

/// Whether quoted words read as a title: every word capitalised except
/// short function words, or no lower-case letter at all.
fn is_title_like(s: &str) -> bool {
    const MINOR: &[&str] = &[
        "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "is", "as", "vs",
        "de", "la", "nor", "but", "into", "over",
    ];
    let mut caps = 0;
    for w in s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')).filter(|w| !w.is_empty()) {
        let first = w.chars().next().unwrap_or(' ');
        if first.is_uppercase() || first.is_numeric() {
            caps += 1;
        } else if !MINOR.contains(&w) {
            return false;
        }
    }
    caps >= 2
}

#[cfg(test)]
mod tests;
