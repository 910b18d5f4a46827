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
mod candidates;
mod clause;
mod lexicon;
mod names;
mod np;
mod ranker;
mod regions;
mod tokens;

use std::ops::Range;

use attribute::{Attr, Cue, inherited};
pub use candidates::Candidate;
use candidates::Context;
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
    read(text, sentences, entities, false).into_iter().map(|q| q.quote).collect()
}

/// A quote with every speaker it might have: what the ranker chose from.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteCandidates {
    /// The quote, with the speaker chosen.
    pub quote: QuoteSpan,
    /// The speaker the clause reader alone would give.
    pub rule_speaker: Option<String>,
    pub candidates: Vec<Candidate>,
}

/// The quotes of a text with their speaker candidates and features (for
/// training and inspecting the ranker; [`find_quotes`] is the same reading).
pub fn speaker_candidates(text: &str, sentences: &[Range<usize>], entities: &[EntitySpan]) -> Vec<QuoteCandidates> {
    read(text, sentences, entities, true)
}

fn read(text: &str, sentences: &[Range<usize>], entities: &[EntitySpan], keep: bool) -> Vec<QuoteCandidates> {
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
    let is_own: Vec<bool> = own_attr.iter().map(Option::is_some).collect();
    let cx = Context::new(&clauses, &names, &regions, entities, &region_item, &long, &attrs, &is_own);

    let mut out = Vec::new();
    // the speaker of a transcript's last labelled turn, and its paragraph
    let mut turn: Option<(String, usize)> = None;
    for r in 0..regions.len() {
        if !long[r] {
            continue;
        }
        let para = items[region_item[r]].para;
        // the label opens the quote, or the paragraph the quote sits in
        // ("WALLACE: But, as “The Journal” wrote, …")
        let para_start = text[..regions[r].open].rfind('\n').map_or(0, |i| i + 1);
        let para_text = text[para_start..regions[r].open].trim_start_matches(|c: char| c.is_whitespace() || c == '"');
        let label = transcript_label(&text[regions[r].start..regions[r].end])
            .or_else(|| transcript_label(para_text))
            .map(|l| label_speaker(l, entities));
        // A turn goes on in the paragraphs after it that open with a quote
        // of no attribution of their own, as a transcript's long answers do.
        let opens_para = region_item[r] == 0 || items[region_item[r] - 1].para != para;
        let continued = match &turn {
            Some((who, p)) if label.is_none() && opens_para && *p + 1 == para && !is_own[r] => Some(who.clone()),
            _ => None,
        };
        turn = label.clone().or(continued.clone()).map(|who| (who, para));
        let reg = regions[r];
        // A title of a work or show ("“The Late Show,”") is no statement,
        // unless an attribution touches it.
        let adjacent = attrs[r].is_some_and(|a| a.adjacent);
        if !adjacent && (is_title_like(&text[reg.start..reg.end]) || clauses.is_titled_work(region_item[r])) {
            continue;
        }
        let rule_speaker = attrs[r].and_then(|a| a.speaker).and_then(|np| names.speaker(np));
        let cue = attrs[r].and_then(|a| match a.cue {
            Cue::Verb(k) => Some(clauses.cue_text(k)),
            Cue::Colon => Some(":".to_string()),
            Cue::Dash(d) => Some(text[items[d].start..items[d].end].to_string()),
            Cue::None => None,
        });
        let mut candidates = cx.candidates(r);
        // "“…,” he said": the quote's own pronoun rules out whom it cannot
        // mean, so a man is never given a quote "she" said, and no one is
        // when no one fits
        if let Some(Attr { speaker: Some(np::Np::Pron(_)), adjacent: true, .. }) = own_attr[r] {
            candidates.retain(|c| !c.features.iter().any(|(n, _)| *n == "gender_clash"));
        }
        // A transcript's label is the turn's own attribution, stronger than
        // anything around it.
        let speaker = match label.or(continued) {
            Some(who) => Some(who),
            None => ranker::choose(&candidates).map(|i| candidates[i].speaker.clone()),
        };
        out.push(QuoteCandidates {
            quote: QuoteSpan { start: reg.start, end: reg.end, speaker, cue },
            rule_speaker,
            candidates: if keep { candidates } else { Vec::new() },
        });
    }
    out
}

/// Words in capitals before a colon that head a section or a clip, not a
/// speaker's turn ("VIDEO: …", "UPDATE: …").
const NOT_SPEAKERS: &[&str] = &[
    "VIDEO",
    "AUDIO",
    "UPDATE",
    "NOTE",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "BREAKING",
    "WATCH",
    "PHOTO",
    "CORRECTION",
    "TRANSCRIPT",
    "QUESTION",
    "ANSWER",
    "READ",
    "MORE",
    "RELATED",
    "SOURCE",
    "WARNING",
    "EXCLUSIVE",
    "ALERT",
];

/// Longest transcript label, in words ("SEN. TIM KAINE"): a name with a
/// title, not a heading.
const MAX_LABEL_WORDS: usize = 3;

/// The speaker label opening a turn of a dialogue transcript ("WALLACE:
/// Let's start with …", "SEN. KAINE: …"): one to three words in capitals,
/// then a colon. Words in capitals are how transcripts set a speaker off;
/// a capitalised phrase before a colon in running prose ("Here's the
/// thing: …") is no label.
fn transcript_label(quoted: &str) -> Option<&str> {
    let (head, rest) = quoted.split_once(':')?;
    let head = head.trim();
    let words: Vec<&str> = head.split_whitespace().collect();
    let letters = head.chars().filter(|c| c.is_alphabetic()).count();
    let ok = (1..=MAX_LABEL_WORDS).contains(&words.len())
        && letters >= 2
        && !head.chars().any(char::is_lowercase)
        && head.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'' | '’'))
        && !NOT_SPEAKERS.contains(&head)
        && rest.starts_with(char::is_whitespace);
    ok.then_some(head)
}

/// The speaker a transcript label names: the person of the article whose
/// surname it is, in full ("PENCE" → "Mike Pence"), else the label in title
/// case ("WALLACE" → "Wallace").
fn label_speaker(label: &str, entities: &[EntitySpan]) -> String {
    let last = label.split_whitespace().last().unwrap_or(label).trim_end_matches('.');
    let named = entities
        .iter()
        .filter(|e| e.kind == chorus_model::EntityKind::Person && !e.name.is_empty())
        .find(|e| e.name.split_whitespace().last().is_some_and(|w| w.eq_ignore_ascii_case(last)));
    if let Some(e) = named {
        return e.name.clone();
    }
    label
        .split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
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
