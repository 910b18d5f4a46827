//! Direct quotes of one article, with speaker and cue.
//!
//! 1. [`regions`] finds the quoted stretches (curly, straight and angle
//!    marks; paragraphs reopen; unbalanced marks stay local).
//! 2. [`tokens`] reads the words outside them; a quote is one opaque item.
//! 3. [`clause`] finds verbs of saying and their subjects, and attributes a
//!    quote from its own sentence: a verb right after it ("“…,” Ann Lee
//!    said", "“…,” said Ann Lee"), an attribution after a dash, else the
//!    nearest verb of saying before it (partial quotes, "Ann Lee said: “…”",
//!    the second half of a split quote), else a colon introducing it.
//! 4. A quote with no attribution of its own takes that of the quote before
//!    it in the paragraph (a quote continued after its attribution), of the
//!    paragraph before when it continues that paragraph's quote or follows
//!    its colon, else of the next quote in its paragraph.
//! 5. [`names`] turns the speaker phrase into a name: the fullest form in
//!    the article, a pronoun resolved to the last fitting subject, null when
//!    nothing fits.

mod clause;
mod lexicon;
mod names;
mod regions;
mod tokens;

use std::ops::Range;

use clause::{Attr, Clauses, Cue};
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
    let clauses = Clauses::new(text, &items, sentences.len());
    let names = Names::new(&clauses, entities);

    let mut region_item = vec![usize::MAX; regions.len()];
    for (i, it) in items.iter().enumerate() {
        if it.kind == Kind::Quote {
            region_item[it.region] = i;
        }
    }
    let long: Vec<bool> = regions
        .iter()
        .zip(&region_item)
        .map(|(r, &i)| i != usize::MAX && regions::count_words(&text[r.start..r.end]) >= MIN_WORDS)
        .collect();
    let own_attr: Vec<Option<Attr>> =
        (0..regions.len()).map(|r| if long[r] { clauses.attribute(region_item[r]) } else { None }).collect();

    let mut attrs = own_attr.clone();
    let mut last_in_para: Option<usize> = None; // last long region seen, any paragraph
    for r in 0..regions.len() {
        if !long[r] {
            continue;
        }
        let qi = region_item[r];
        let para = items[qi].para;
        if attrs[r].is_none() {
            attrs[r] = inherited(&clauses, &regions, &region_item, &long, &attrs, &own_attr, r, last_in_para);
        }
        let _ = para;
        last_in_para = Some(r);
    }

    let mut out = Vec::new();
    for r in 0..regions.len() {
        if !long[r] {
            continue;
        }
        let reg = regions[r];
        let (speaker, cue) = match attrs[r] {
            Some(a) => (
                a.speaker.and_then(|np| names.speaker(np)),
                Some(match a.cue {
                    Cue::Verb(k) => clauses.cue_text(k),
                    Cue::Colon => ":".to_string(),
                    Cue::Dash(d) => text[items[d].start..items[d].end].to_string(),
                }),
            ),
            None => (None, None),
        };
        out.push(QuoteSpan { start: reg.start, end: reg.end, speaker, cue });
    }
    out
}

/// The attribution a quote with none of its own takes from its neighbours.
#[allow(clippy::too_many_arguments)]
fn inherited(
    c: &Clauses,
    regions: &[regions::Region],
    region_item: &[usize],
    long: &[bool],
    attrs: &[Option<Attr>],
    own: &[Option<Attr>],
    r: usize,
    prev: Option<usize>,
) -> Option<Attr> {
    let items = c.items;
    let qi = region_item[r];
    let para = items[qi].para;
    // the quote before it in its paragraph: "“A,” she said. “B.”"
    if let Some(p) = prev
        && items[region_item[p]].para == para
    {
        return attrs[p];
    }
    // it opens its paragraph: a colon or an unfinished quote before it
    let first_in_para = qi == 0 || items[qi - 1].para != para;
    if first_in_para && qi > 0 {
        if let Some(a) = c.colon_attribution(qi - 1) {
            return Some(a);
        }
        if let Some(p) = prev
            && items[region_item[p]].para + 1 == para
            && (!regions[p].closed || region_item[p] == qi - 1)
        {
            return attrs[p];
        }
    }
    // a later quote of its paragraph: "“A.” “B,” she said."
    ((r + 1)..regions.len())
        .take_while(|&n| region_item[n] != usize::MAX && items[region_item[n]].para == para)
        .filter(|&n| long[n])
        .find_map(|n| own[n])
}

#[cfg(test)]
mod tests;
