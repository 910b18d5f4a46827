//! Framing: loaded, evaluative and speculative wording of each outlet, in
//! its own voice (words inside quotation marks are the speaker's and are
//! skipped).
//!
//! Three sources, from most to least reliable:
//! 1. hedges and speculation ("apparently", "reportedly", "seems to"),
//!    shown with the words they qualify ("apparently still furious");
//! 2. loaded attribution verbs and evaluative adverbs that style guides warn
//!    about because they tell the reader what to think of a statement
//!    ("claimed", "admitted", "slammed", "falsely");
//! 3. strongly subjective adjectives and adverbs from two openly licensed
//!    lexicons shipped in `data/` (VADER, MIT; the Pattern subjectivity
//!    lexicon, PDDL; see `data/README.md`).
//!
//! Lexicon words that most of the story's articles use are the story's own
//! vocabulary ("deadly" in every report of a deadly storm), not one outlet's
//! framing, and are dropped.

use std::sync::LazyLock;

use chorus_model::Framing;
use chorus_text::{Stemmer, is_stopword};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::story::{Story, word_tokens};

/// Hedges and markers of speculation or distance.
const HEDGES: &[&str] = &[
    "apparently",
    "seemingly",
    "reportedly",
    "allegedly",
    "purportedly",
    "supposedly",
    "ostensibly",
    "evidently",
    "arguably",
    "presumably",
    "conceivably",
    "seems",
    "seem",
    "seemed",
];

/// "appears to", "is said to": hedges only with the following word.
const HEDGE_PAIRS: &[(&str, &str)] =
    &[("appears", "to"), ("appeared", "to"), ("appear", "to"), ("said", "to"), ("so", "called"), ("believed", "to")];

/// Attribution verbs that judge the statement they report (assertive and
/// factive verbs in the media-bias literature, e.g. Recasens et al. 2013;
/// the "words to watch" of newsroom style guides): "said" is neutral,
/// "claimed" casts doubt, "admitted" implies guilt, "slammed" dramatises.
const LOADED_VERBS: &[&str] = &[
    "claim",
    "claimed",
    "claims",
    "claiming",
    "insisted",
    "insists",
    "admitted",
    "admits",
    "conceded",
    "concedes",
    "slammed",
    "slams",
    "blasted",
    "blasts",
    "lashed",
    "branded",
    "branding",
    "touted",
    "touts",
    "boasted",
    "boasts",
    "bragged",
    "brags",
    "ranted",
    "rants",
    "railed",
    "fumed",
    "fumes",
    "scoffed",
    "scoffs",
    "chastised",
    "berated",
    "ridiculed",
    "mocked",
    "sneered",
    "whined",
    "decried",
    "bemoaned",
    "gloated",
    "snapped",
    "raged",
    "trumpeted",
    "peddled",
    "spouted",
    "parroted",
    "hyped",
];

/// Loaded verbs that are as often plain nouns ("a debt claim", "Trump's
/// claim"): counted only right after a subject.
const NOUN_OR_VERB: &[&str] = &["claim", "claims", "boasts", "rants", "fumes"];

/// Whether a word can be the subject right before a verb: a subject
/// pronoun, or a capitalised name that is neither possessive nor the
/// sentence's first word.
fn subject_before(w: &str, first: bool) -> bool {
    let l = w.to_lowercase();
    if matches!(l.as_str(), "he" | "she" | "they" | "it" | "who" | "we" | "i" | "you" | "which" | "that") {
        return true;
    }
    !first && w.chars().next().is_some_and(char::is_uppercase) && !l.ends_with("'s") && !l.ends_with("’s")
}

/// Adverbs that pass judgement on what they modify.
const JUDGING_ADVERBS: &[&str] = &[
    "falsely",
    "wrongly",
    "baselessly",
    "dubiously",
    "notoriously",
    "shockingly",
    "outrageously",
    "absurdly",
    "disgracefully",
    "shamelessly",
    "cynically",
    "brazenly",
    "stubbornly",
    "desperately",
    "clearly",
    "obviously",
    "undeniably",
    "unsurprisingly",
    "predictably",
    "conveniently",
    "bizarrely",
    "ironically",
    "incredibly",
];

/// Words the lexicons rate strongly that news uses to describe rather than
/// to judge: outcomes, legality, test results, wealth ("a successful
/// launch", "an illegal crossing", "a fatal crash", "tested positive").
const DESCRIPTIVE: &str = "successful unsuccessful illegal legal fatal violent nonviolent positive negative rich \
poor poorest richest bankrupt superior inferior happy unhappy free safe unsafe dead deadly injured wounded important \
major significant best better own cold chilly frigid welcome artificial uncommon dangerous hazardous fair handy apt \
abundant acute affirmative numb impossible top popular unpopular";

/// Words a hedge may skip over before the word it qualifies.
const QUALIFIER_SKIP: &[&str] = &[
    "still", "very", "so", "quite", "rather", "not", "never", "even", "already", "also", "to", "be", "been", "being",
    "have", "has", "had",
];

/// Smallest |valence| (VADER's −4…4 scale) of an adjective or adverb to
/// count as loaded. VADER's raters put plain approval such as "good" (1.9)
/// and "strong" (2.3) below 2.5 and emphatic judgement ("awful", "superb",
/// "disgraceful") above it; news needs the former to describe anything.
pub const VADER_MIN: f32 = 2.5;

/// Smallest subjectivity (Pattern's 0…1 scale) of an adjective to count.
/// Pattern rates an adjective 1.0 when its every sense is opinion;
/// at 0.9 and above only words that cannot be used neutrally remain.
pub const SUBJECTIVITY_MIN: f32 = 0.9;

/// Smallest |polarity| of such an adjective: strongly subjective but
/// mild words ("latest", "prominent", both 0.5) are description, not
/// judgement; 0.6 keeps "brutal", "shocking", "superb".
pub const POLARITY_MIN: f32 = 0.6;

/// Share of the story's independent articles above which a lexicon word is
/// the story's vocabulary rather than an outlet's framing.
pub const COMMON_SHARE: f32 = 0.5;

struct Lexicon {
    words: FxHashSet<&'static str>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut words = FxHashSet::default();
    for line in include_str!("../data/vader.tsv").lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        let (Some(w), Some(v), Some(pos)) = (f.next(), f.next(), f.next()) else { continue };
        let v: f32 = v.parse().unwrap_or(0.0);
        if v.abs() >= VADER_MIN && (pos == "JJ" || pos == "RB") {
            words.insert(w);
        }
    }
    for line in include_str!("../data/pattern-adjectives.tsv").lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        let (Some(w), Some(p), Some(s), Some(pos)) = (f.next(), f.next(), f.next(), f.next()) else { continue };
        let (p, s): (f32, f32) = (p.parse().unwrap_or(0.0), s.parse().unwrap_or(0.0));
        if s >= SUBJECTIVITY_MIN && p.abs() >= POLARITY_MIN && (pos == "JJ" || pos == "RB") {
            words.insert(w);
        }
    }
    for w in DESCRIPTIVE.split_whitespace() {
        words.remove(w);
    }
    Lexicon { words }
});

/// What kind of framing a term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Hedge,
    Loaded,
    Lexicon,
}

/// One framing term in one article.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub doc: usize,
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Lower-cased key word, for the story-vocabulary filter.
    pub key: String,
}

fn lexicon_word(w: &str) -> bool {
    let lex = &LEXICON.words;
    if lex.contains(w) {
        return true;
    }
    // An adverb of a loaded adjective ("bitterly" from "bitter").
    w.strip_suffix("ly").is_some_and(|base| {
        base.len() >= 4
            && (lex.contains(base) || base.strip_suffix('i').is_some_and(|b| lex.contains(format!("{b}y").as_str())))
    })
}

/// Every framing term of the story, in article order.
pub(crate) fn find(story: &Story) -> Vec<Term> {
    let mut out = Vec::new();
    for (d, doc) in story.docs.iter().enumerate() {
        let text = doc.article.text.as_str();
        for si in story.by_doc[d].clone() {
            let s = &story.sents[si];
            let toks: Vec<(usize, usize, &str)> = word_tokens(s.text, s.start).collect();
            let mut k = 0;
            while k < toks.len() {
                let (st, en, w) = toks[k];
                let lower = w.to_lowercase();
                if story.is_quoted(d, st, en) {
                    k += 1;
                    continue;
                }
                let next = toks.get(k + 1).map(|t| t.2.to_lowercase()).unwrap_or_default();
                let pair = HEDGE_PAIRS.iter().any(|(a, b)| *a == lower && *b == next)
                    // "said to" is a hedge only in the passive ("is said to").
                    && (lower != "said" || k > 0 && matches!(toks[k - 1].2.to_lowercase().as_str(), "is" | "are" | "was" | "were"));
                if HEDGES.contains(&lower.as_str()) || pair {
                    // Extend over the word the hedge qualifies, so the reader
                    // sees "apparently still furious", not "apparently".
                    let mut last = if pair { k + 1 } else { k };
                    let mut j = last + 1;
                    while j < toks.len() && j <= last + 3 && text[toks[j - 1].1..toks[j].0].trim().is_empty() {
                        let lw = toks[j].2.to_lowercase();
                        if QUALIFIER_SKIP.contains(&lw.as_str()) {
                            j += 1;
                            continue;
                        }
                        if !is_stopword(&lw) {
                            last = j;
                        }
                        break;
                    }
                    out.push(Term { doc: d, start: st, end: toks[last].1, kind: Kind::Hedge, key: lower });
                    k = last + 1;
                    continue;
                }
                let verb_use =
                    !NOUN_OR_VERB.contains(&lower.as_str()) || k > 0 && subject_before(toks[k - 1].2, k - 1 == 0);
                if (LOADED_VERBS.contains(&lower.as_str()) && verb_use) || JUDGING_ADVERBS.contains(&lower.as_str()) {
                    out.push(Term { doc: d, start: st, end: en, kind: Kind::Loaded, key: lower });
                } else if w.chars().next().is_some_and(char::is_lowercase) && lexicon_word(&lower) {
                    out.push(Term { doc: d, start: st, end: en, kind: Kind::Lexicon, key: lower });
                }
                k += 1;
            }
        }
    }
    // The story's own vocabulary: lexicon words (by stem) that most
    // independent articles use outside quotes.
    let indep = story.independent_docs;
    if indep >= 3 {
        let mut stemmer = Stemmer::default();
        let mut users: FxHashMap<String, FxHashSet<usize>> = FxHashMap::default();
        for t in out.iter().filter(|t| t.kind == Kind::Lexicon && story.docs[t.doc].independent) {
            users.entry(stemmer.stem(&t.key)).or_default().insert(t.doc);
        }
        // Also count independent articles that use the word's stem unflagged.
        let limit = (indep as f32 * COMMON_SHARE).max(2.0);
        out.retain(|t| {
            t.kind != Kind::Lexicon || users.get(&stemmer.stem(&t.key)).is_none_or(|u| (u.len() as f32) < limit)
        });
    }
    out
}

/// The contract's framing: each article's terms as written, first
/// occurrence order, without repeats.
pub(crate) fn to_model(story: &Story, terms: &[Term]) -> Vec<Framing> {
    let mut out: Vec<Framing> = Vec::new();
    for (d, doc) in story.docs.iter().enumerate() {
        let text = doc.article.text.as_str();
        let mut seen: Vec<String> = Vec::new();
        let mut list = Vec::new();
        for t in terms.iter().filter(|t| t.doc == d) {
            let w = text[t.start..t.end].to_string();
            let key = w.to_lowercase();
            if !seen.contains(&key) {
                seen.push(key);
                list.push(w);
            }
        }
        if !list.is_empty() {
            out.push(Framing { article: doc.article.id.clone(), terms: list });
        }
    }
    out
}
