//! Quote variants: one utterance as each outlet worded it (translations,
//! truncations, paraphrase inside quotation marks), under one speaker.
//!
//! Quotes are compared by their content stems with the overlap coefficient
//! (shared stems over the smaller set), which treats a truncated quote as the
//! same utterance as the full one. Two quotes join when their speakers agree
//! (same story entity, or one unknown) and they overlap enough; groups merge
//! under average linkage so that two different sentences of one speech do
//! not chain into one "utterance".
//!
//! Outlets also paraphrase inside quotation marks, or translate one
//! utterance independently ("We will rebuild, whatever it takes" /
//! "Whatever it costs, the town is going to be rebuilt"): wordings that
//! share almost no stems. Such a pair is one utterance on meaning when both
//! quotes name the same speaker entity, the static-vector cosine with the
//! story's topic taken out reaches [`SEM_PARAPHRASE`], and each is the
//! other's closest quote by that speaker in the other's article. The
//! renderings then stay distinct wordings of one utterance, so a material
//! difference between them is a quote conflict. A link on meaning also
//! needs quotes of comparable length ([`RENDERING_LENGTH_RATIO`]), and the
//! story's links on meaning count only beyond what chance gives among the
//! pairs it compared ([`CHANCE_PARAPHRASE`]): a speaker quoted in many
//! articles of a large story passes the bar with different sentences.
//!
//! Stems are compared after number words are written as digits and
//! irregular past forms as their base ("ten generations … pay" / "paid by
//! 10 generations"); a short quote is one utterance with a long passage
//! only as a cut of it ([`PASSAGE_RATIO`], [`CUT_WORDS`]).

use std::borrow::Cow;

use chorus_extract::numbers::number_word_value;
use chorus_model::{Quote, QuoteVariant};
use chorus_text::{Stemmer, is_stopword, words};
use rustc_hash::{FxHashMap, FxHashSet};
use unicode_segmentation::UnicodeSegmentation;

use crate::facts::Facts;
use crate::story::Story;

/// Overlap coefficient at or above which two quotes by the same speaker are
/// one utterance. Independent translations of one sentence keep about half
/// their content words ("if you really need me to leave my post" / "if you
/// really need me to resign"); two different sentences of one speech rarely
/// share half.
pub const SAME_UTTERANCE: f32 = 0.5;

/// Lower bar for quotes whose sentences already report the same fact:
/// the surrounding sentence is evidence that both render one utterance.
pub const SAME_UTTERANCE_IN_FACT: f32 = 0.4;

/// Content stems two quotes must share to be one utterance: one or two
/// shared words are coincidence.
pub const MIN_SHARED: usize = 3;

/// Share of a wording's content stems that another wording must contain for
/// the two to count as one wording, cut or lightly edited ("take
/// appropriate decisions" / "take appropriate action" differ in one word
/// of six). Below it the renderings differ materially: a quote conflict.
pub const LIGHT_EDIT: f32 = 0.8;

/// A quote with more than this many times another's content stems is a
/// passage: the shorter is one utterance with it only as a cut, sharing at
/// least [`LIGHT_EDIT`] of its stems (not [`SAME_UTTERANCE`]). Cut and
/// paraphrased renderings of one sentence stay within twice each other's
/// length (the seeds' partial "paid by 10 generations" has 3 stems, the
/// full quote 6, and shares all 3); at more, the overlap coefficient of a
/// short quote with a long passage is high by chance: on attribution-dev's
/// train split read as stories, "We have come a long way in the last nine
/// months" joined a 120-word passage on "long" "last" "month".
pub const PASSAGE_RATIO: usize = 2;

/// Fewest words of a fragment (a quote of fewer than [`SHORT`] content
/// stems) that, found verbatim in a longer quote of the same speaker, make
/// it a cut of that utterance ("No, I meant he's the founder of ISIS," in
/// another outlet's "No, I meant he's the founder of ISIS. I do. He was
/// the most valuable player …": two content stems, eight words). Runs of
/// three or four words are slogans and set phrases a speaker repeats in
/// many utterances ("radical Islamic terrorism", "make America great
/// again"), so they still join only a quote with exactly their stems.
pub const CUT_WORDS: usize = 5;

/// Content stems a wording must have that the other lacks to differ
/// materially: one changed word is a tense or a synonym ("heard" /
/// "hear"), not a different rendering.
pub const MIN_OWN_WORDS: usize = 2;

/// Quotes with fewer content stems than this are fragments.
pub const SHORT: usize = 3;

/// Static-vector cosine (story topic taken out: [`Story::embed_centred`])
/// at or above which two quotes credited to the same speaker entity render
/// one utterance in other words. Measured on invented utterances, each
/// rendered by two or three outlets in words they mostly do not share
/// (`testdata/quote_utterances.txt`, 12 speakers: 52 pairs of one
/// utterance, 168 pairs of different utterances by one speaker in one
/// story): different utterances range from -0.09 to 0.56, median 0.20,
/// 99th percentile 0.464; renderings of one utterance from 0.13 to 0.73,
/// median 0.47. The bar is that 99th percentile, rounded: at most one in
/// a hundred of a speaker's different sentences passes on meaning, and the
/// mutual-closest condition removes most of those (2 of 168 pass both,
/// 26 of 52 renderings). Lexical overlap does not help on top of it: a
/// blend with the overlap coefficient lowered recall at every equal
/// false-match rate, since paraphrases share few words by definition and
/// two sentences of one speech share the story's.
pub const SEM_PARAPHRASE: f32 = 0.46;

/// Least share of the longer quote's content stems that the shorter must
/// have for two quotes to be one utterance on meaning alone. Translations
/// and paraphrases of one sentence run to about its length (the invented
/// renderings of `testdata/quote_utterances.txt`: every pair linked on
/// meaning passes 0.5); a short phrase near in meaning to a long passage
/// is a different sentence of the speaker, or a fragment, which joins on
/// its words or not at all. On attribution-dev's train split, read as
/// stories, it removed 14 of 58 links on meaning, all between different
/// utterances, and none of the invented ones. The same share as
/// [`crate::conflicts::WORDING_LENGTH_RATIO`], for the same reason.
pub const RENDERING_LENGTH_RATIO: f32 = 0.5;

/// Share of a speaker's cross-article pairs of different utterances that
/// pass [`SEM_PARAPHRASE`] and the mutual-closest test anyway: 2 of 168 on
/// the invented utterances (`testdata/quote_utterances.txt`). A speaker
/// quoted often in a large story is compared in thousands of pairs, and
/// then passes in about that share by chance alone, which on
/// attribution-dev's train split read as stories (a speaker in up to 21
/// articles of one story, up to 1,600 pairs) made every link on meaning
/// (58 of them) one between different sentences. So a speaker's links on
/// meaning count only beyond what chance gives: the weakest
/// ⌊pairs × this share⌋ are dropped (none below 84 pairs, as in a story of a
/// few outlets).
pub const CHANCE_PARAPHRASE: f32 = 2.0 / 168.0;

/// One quote of one article.
#[derive(Debug, Clone)]
pub(crate) struct Q<'a> {
    pub doc: usize,
    pub text: &'a str,
    pub cue: Option<&'a str>,
    /// Story entity id of the speaker, when known.
    pub speaker: Option<usize>,
    /// The speaker as the extractor named it, when it matched no entity.
    pub raw_speaker: Option<&'a str>,
    /// Sorted, unique content stems.
    pub stems: Vec<String>,
    /// The words as [`normalized`] gives them.
    pub norm: String,
    pub sent: Option<usize>,
    /// Static vector of the quote with the story's topic taken out
    /// ([`Story::embed_centred`]).
    pub vec: Vec<f32>,
}

/// Quote groups: indices into the quote list.
pub(crate) struct Groups<'a> {
    pub quotes: Vec<Q<'a>>,
    pub groups: Vec<Vec<usize>>,
}

/// Content stems of a quote, names left out: two different sentences of
/// one speech share the names of the story ("France", "Islamic State")
/// but not their other words, while two translations of one sentence
/// share both. A capitalised word that opens a sentence is kept.
pub(crate) fn stems_of(text: &str, stemmer: &mut Stemmer) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for (i, w) in text.unicode_word_indices() {
        if !w.chars().any(char::is_alphanumeric) || is_stopword(w) {
            continue;
        }
        let opens = text[..i]
            .trim_end()
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '…' | '"' | '“' | '‘' | ':' | '—'));
        if w.chars().next().is_some_and(char::is_uppercase) && !opens {
            continue;
        }
        v.push(stemmer.stem(canonical(w).as_deref().unwrap_or(w)));
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// Past forms of common irregular verbs and their base forms:
/// renderings of one utterance differ in tense and voice ("would have to
/// pay" / "will be paid"), which a suffix stemmer cannot undo for these.
const IRREGULAR: &[(&str, &str)] = &[
    ("paid", "pay"),
    ("made", "make"),
    ("gave", "give"),
    ("given", "give"),
    ("took", "take"),
    ("taken", "take"),
    ("told", "tell"),
    ("went", "go"),
    ("gone", "go"),
    ("came", "come"),
    ("sold", "sell"),
    ("bought", "buy"),
    ("brought", "bring"),
    ("thought", "think"),
    ("knew", "know"),
    ("known", "know"),
    ("began", "begin"),
    ("begun", "begin"),
    ("won", "win"),
    ("lost", "lose"),
    ("left", "leave"),
    ("kept", "keep"),
    ("met", "meet"),
    ("sent", "send"),
    ("spent", "spend"),
    ("built", "build"),
    ("held", "hold"),
    ("stood", "stand"),
    ("fought", "fight"),
    ("led", "lead"),
    ("felt", "feel"),
    ("saw", "see"),
    ("seen", "see"),
    ("wrote", "write"),
    ("written", "write"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("broke", "break"),
    ("broken", "break"),
    ("fell", "fall"),
    ("fallen", "fall"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("rose", "rise"),
    ("risen", "rise"),
    ("struck", "strike"),
    ("ran", "run"),
    ("found", "find"),
    ("heard", "hear"),
    ("meant", "mean"),
    ("sought", "seek"),
    ("taught", "teach"),
    ("caught", "catch"),
    ("drove", "drive"),
    ("driven", "drive"),
    ("forgot", "forget"),
    ("forgotten", "forget"),
    ("understood", "understand"),
];

/// The word a word stands for when the stemmer cannot find it: a number
/// word as its digits ([`number_word_value`], the number parser's list), an
/// irregular past form as its base form. "One" stays a word: it is a pronoun
/// as often as a number ("one would be offended").
fn canonical(w: &str) -> Option<Cow<'static, str>> {
    if !w.eq_ignore_ascii_case("one")
        && let Some(v) = number_word_value(w)
    {
        return Some(Cow::Owned(format!("{v}")));
    }
    IRREGULAR.iter().find(|(k, _)| k.eq_ignore_ascii_case(w)).map(|&(_, v)| Cow::Borrowed(v))
}

fn overlap(a: &[String], b: &[String]) -> (usize, f32) {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let m = a.len().min(b.len());
    (n, if m == 0 { 0.0 } else { n as f32 / m as f32 })
}

fn speakers_agree(a: &Q, b: &Q) -> bool {
    match (a.speaker, b.speaker) {
        (Some(x), Some(y)) => x == y,
        _ => match (a.raw_speaker, b.raw_speaker) {
            (Some(x), Some(y)) if a.speaker.is_none() && b.speaker.is_none() => x.eq_ignore_ascii_case(y),
            _ => true,
        },
    }
}

/// Centred static-vector cosine of two quotes.
fn sem(a: &Q, b: &Q) -> f32 {
    chorus_semantic::dot(&a.vec, &b.vec)
}

/// Whether two quotes may be one utterance on meaning: the same speaker
/// entity on both (an unknown speaker agrees with anyone on wording, never
/// on meaning alone), neither a fragment, and the centred cosine at the
/// bar. The caller adds the mutual-closest condition where it can.
fn paraphrase(a: &Q, b: &Q) -> bool {
    a.speaker.is_some() && a.speaker == b.speaker && comparable(a, b) && sem(a, b) >= SEM_PARAPHRASE
}

/// Whether two quotes are long enough, and near enough in length, to be
/// two renderings of one utterance on meaning alone: neither a fragment,
/// and the shorter with at least [`RENDERING_LENGTH_RATIO`] of the longer's
/// content stems.
fn comparable(a: &Q, b: &Q) -> bool {
    let (short, long) = (a.stems.len().min(b.stems.len()), a.stems.len().max(b.stems.len()));
    short >= SHORT && short as f32 >= RENDERING_LENGTH_RATIO * long as f32
}

/// The strength of a link on meaning, on the scale of the overlap
/// coefficient, so that wording and meaning links merge in one order: a
/// paraphrase at the bar ranks with a wording link at [`SAME_UTTERANCE`].
fn sem_strength(s: f32) -> f32 {
    SAME_UTTERANCE + (s - SEM_PARAPHRASE) * (1.0 - SAME_UTTERANCE) / (1.0 - SEM_PARAPHRASE)
}

/// Whether two quotes render one utterance, judged on wording alone.
fn similar(a: &Q, b: &Q, same_fact: bool) -> bool {
    if a.stems.is_empty() || b.stems.is_empty() {
        return a.norm == b.norm && !a.norm.is_empty();
    }
    // Short fragments ("act of war") fit inside many utterances; they join
    // only a quote with exactly their content words, or one they are a
    // verbatim cut of, at least CUT_WORDS words long.
    if a.stems.len().min(b.stems.len()) < SHORT {
        return a.stems == b.stems || verbatim_cut(a, b);
    }
    let (n, o) = overlap(&a.stems, &b.stems);
    let need = if same_fact { SAME_UTTERANCE_IN_FACT } else { SAME_UTTERANCE };
    // A short quote against a passage of more than PASSAGE_RATIO times its
    // words is the same utterance only as a cut of it, which keeps nearly
    // all its words: half of a few common words ("long", "last", "state")
    // turn up in any long passage.
    let (short, long) = (a.stems.len().min(b.stems.len()), a.stems.len().max(b.stems.len()));
    let need = if long > PASSAGE_RATIO * short { need.max(LIGHT_EDIT) } else { need };
    n >= MIN_SHARED && o >= need
}

/// Whether the shorter of two quotes is a run of the longer's words, at
/// least [`CUT_WORDS`] of them, with all its content stems.
fn verbatim_cut(a: &Q, b: &Q) -> bool {
    let (short, long) = if a.norm.len() <= b.norm.len() { (a, b) } else { (b, a) };
    if short.norm.split(' ').count() < CUT_WORDS || overlap(&short.stems, &long.stems).0 < short.stems.len() {
        return false;
    }
    let (hay, needle) = (long.norm.as_bytes(), short.norm.as_str());
    long.norm.match_indices(needle).any(|(i, _)| {
        let end = i + needle.len();
        (i == 0 || hay[i - 1] == b' ') && (end == hay.len() || hay[end] == b' ')
    })
}

/// Lower-cased words of a quote, punctuation and quote marks dropped.
pub(crate) fn normalized(text: &str) -> String {
    words(text).map(|w| w.to_lowercase().replace('’', "'")).collect::<Vec<_>>().join(" ")
}

pub(crate) fn collect<'a>(story: &Story<'a>) -> Vec<Q<'a>> {
    let mut stemmer = Stemmer::default();
    let mut out = Vec::new();
    for (d, doc) in story.docs.iter().enumerate() {
        let text = doc.article.text.as_str();
        for q in &doc.extraction.quotes {
            let (s, e) = (q.start.min(text.len()), q.end.min(text.len()));
            let Some(t) = text.get(s..e) else { continue };
            if t.trim().is_empty() {
                continue;
            }
            let speaker = q.speaker.as_deref().and_then(|n| story.entity_of(n));
            let sent = story.by_doc[d].clone().find(|&i| story.sents[i].start <= s && s < story.sents[i].end);
            out.push(Q {
                doc: d,
                text: t.trim(),
                cue: q.cue.as_deref(),
                speaker,
                raw_speaker: q.speaker.as_deref().filter(|_| speaker.is_none()),
                stems: stems_of(t, &mut stemmer),
                norm: normalized(t),
                sent,
                vec: story.embed_centred(t),
            });
        }
    }
    out
}

/// Stem lists read per stem when a quote outside the core looks for its
/// utterance (the most recent entries), and groups then compared with it:
/// bounds that keep each quote's cost constant in a story of thousands of
/// articles, where one statement is quoted by every outlet.
const MAX_SCAN: usize = 256;
const MAX_CANDIDATES: usize = 16;

/// Groups the story's quotes into utterances: the quotes of the first
/// [`CORE_ARTICLES`](crate::facts::CORE_ARTICLES) independent articles are
/// compared pairwise and merged under average linkage; the quotes of later
/// articles and of copies then join the utterance they match best, found
/// through an index of stems, or start one of their own.
pub(crate) fn group<'a>(story: &Story<'a>, facts: &Facts) -> Groups<'a> {
    let quotes = collect(story);
    let n = quotes.len();
    let fact_of = |q: &Q| q.sent.and_then(|s| facts.of_sent[s]);
    let core_doc = crate::facts::core_docs(story);
    let core: Vec<usize> = (0..n).filter(|&i| core_doc[quotes[i].doc]).collect();
    let mut edges: Vec<(f32, usize, usize)> = Vec::new();
    for (x, &i) in core.iter().enumerate() {
        for &j in &core[x + 1..] {
            let (a, b) = (&quotes[i], &quotes[j]);
            if a.doc == b.doc || !speakers_agree(a, b) {
                continue;
            }
            let same_fact = fact_of(a).is_some() && fact_of(a) == fact_of(b);
            if similar(a, b, same_fact) {
                edges.push((overlap(&a.stems, &b.stems).1, i, j));
            }
        }
    }
    let compared = paraphrase_edges(&quotes, &core, &mut edges);
    edges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut gid: Vec<usize> = (0..n).collect();
    let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    for &(_, i, j) in &edges {
        let (gi, gj) = (gid[i], gid[j]);
        if gi == gj {
            continue;
        }
        let (a, b) = (&groups[gi], &groups[gj]);
        // Every pair across the two groups must have agreeing speakers, and
        // the fullest quote of each must read as the same utterance as the
        // other's: a fragment may join either, but it never bridges two
        // different sentences.
        if !a.iter().all(|&x| b.iter().all(|&y| speakers_agree(&quotes[x], &quotes[y]))) {
            continue;
        }
        let full =
            |g: &[usize]| *g.iter().max_by_key(|&&x| (quotes[x].stems.len(), std::cmp::Reverse(x))).unwrap_or(&g[0]);
        let (fa, fb) = (full(a), full(b));
        // Or, for two renderings of one speaker entity, the same meaning
        // on average across the two groups.
        let on_meaning = || {
            quotes[i].speaker.is_some()
                && quotes[i].speaker == quotes[j].speaker
                && mean_sem(&quotes, a, b) >= SEM_PARAPHRASE
        };
        if !similar(&quotes[fa], &quotes[fb], true) && !on_meaning() {
            continue;
        }
        let (keep, gone) = if a.len() >= b.len() { (gi, gj) } else { (gj, gi) };
        let moved = std::mem::take(&mut groups[gone]);
        for &x in &moved {
            gid[x] = keep;
        }
        groups[keep].extend(moved);
    }
    attach(&quotes, &core_doc, &fact_of, compared, &mut gid, &mut groups);
    let mut groups: Vec<Vec<usize>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    for g in &mut groups {
        g.sort_by_key(|&i| (!story.docs[quotes[i].doc].independent, quotes[i].doc, i));
    }
    // Most widely quoted first, then the longer utterance, then story order.
    groups.sort_by_key(|g| {
        let mut docs: Vec<usize> = g.iter().map(|&i| quotes[i].doc).collect();
        docs.sort_unstable();
        docs.dedup();
        let len = g.iter().map(|&i| quotes[i].stems.len()).max().unwrap_or(0);
        (std::cmp::Reverse(docs.len()), std::cmp::Reverse(len), g[0])
    });
    Groups { quotes, groups }
}

/// Adds the links on meaning between core quotes (see [`SEM_PARAPHRASE`]):
/// per speaker entity, every pair of its quotes in different articles at
/// the bar, kept when each quote is the other's closest of that speaker in
/// the other's article. One outlet renders one utterance once, so the
/// closest is its rendering; a sentence of the speech that merely sits near
/// in meaning loses to it.
fn paraphrase_edges(quotes: &[Q], core: &[usize], edges: &mut Vec<(f32, usize, usize)>) -> usize {
    let mut by_speaker: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &i in core {
        let q = &quotes[i];
        if let Some(s) = q.speaker
            && q.stems.len() >= SHORT
            && q.vec.iter().any(|&x| x != 0.0)
        {
            by_speaker.entry(s).or_default().push(i);
        }
    }
    // (quote, article) → (cosine, the quote's closest in that article).
    let mut closest: FxHashMap<(usize, usize), (f32, usize)> = FxHashMap::default();
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    // Cross-article pairs of one speaker's quotes compared.
    let mut compared = 0;
    for list in by_speaker.values() {
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                if quotes[i].doc == quotes[j].doc {
                    continue;
                }
                compared += 1;
                let c = sem(&quotes[i], &quotes[j]);
                for (a, b) in [(i, j), (j, i)] {
                    let e = closest.entry((a, quotes[b].doc)).or_insert((f32::NEG_INFINITY, b));
                    if c > e.0 || (c == e.0 && b < e.1) {
                        *e = (c, b);
                    }
                }
                if c >= SEM_PARAPHRASE && comparable(&quotes[i], &quotes[j]) {
                    pairs.push((c, i, j));
                }
            }
        }
    }
    let worded: FxHashSet<(usize, usize)> = edges.iter().map(|&(_, i, j)| (i, j)).collect();
    let mut links: Vec<(f32, usize, usize)> = Vec::new();
    for (c, i, j) in pairs {
        let mutual = closest.get(&(i, quotes[j].doc)).is_some_and(|e| e.1 == j)
            && closest.get(&(j, quotes[i].doc)).is_some_and(|e| e.1 == i);
        if mutual && !worded.contains(&(i.min(j), i.max(j))) {
            links.push((c, i.min(j), i.max(j)));
        }
    }
    // As many links as chance gives among the story's pairs of different
    // utterances are no evidence: the weakest that many are dropped.
    links.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let keep = links.len().saturating_sub(chance_links(compared));
    edges.extend(links.into_iter().take(keep).map(|(c, i, j)| (sem_strength(c), i, j)));
    compared
}

/// Links on meaning that chance alone gives among `pairs` cross-article
/// pairs of quotes by one speaker (see [`CHANCE_PARAPHRASE`]).
fn chance_links(pairs: usize) -> usize {
    (pairs as f32 * CHANCE_PARAPHRASE) as usize
}

/// Mean centred cosine over the pairs of non-fragment quotes across two
/// groups: average linkage on meaning, so that a chain of paraphrase links
/// does not join two different sentences of one speech.
fn mean_sem(quotes: &[Q], a: &[usize], b: &[usize]) -> f32 {
    let (mut sum, mut n) = (0f32, 0usize);
    for &x in a.iter().filter(|&&x| quotes[x].stems.len() >= SHORT) {
        for &y in b.iter().filter(|&&y| quotes[y].stems.len() >= SHORT) {
            sum += sem(&quotes[x], &quotes[y]);
            n += 1;
        }
    }
    if n == 0 { 0.0 } else { sum / n as f32 }
}

/// The sum of the vectors of a group's non-fragment quotes and their
/// count: the group's mean cosine with a quote is one dot product.
fn meaning_sum(quotes: &[Q], g: &[usize]) -> (Vec<f32>, usize) {
    let mut sum: Vec<f32> = Vec::new();
    let mut n = 0;
    for &x in g.iter().filter(|&&x| quotes[x].stems.len() >= SHORT) {
        let v = &quotes[x].vec;
        if sum.len() < v.len() {
            sum.resize(v.len(), 0.0);
        }
        sum.iter_mut().zip(v).for_each(|(s, x)| *s += x);
        n += 1;
    }
    (sum, n)
}

/// Places the quotes outside the core (see [`group`]), in story order.
fn attach(
    quotes: &[Q],
    core_doc: &[bool],
    fact_of: &dyn Fn(&Q) -> Option<usize>,
    core_compared: usize,
    gid: &mut [usize],
    groups: &mut [Vec<usize>],
) {
    if quotes.iter().all(|q| core_doc[q.doc]) {
        return;
    }
    let key = |q: &Q| if q.stems.is_empty() { format!("\0{}", q.norm) } else { q.stems.join(" ") };
    let fullest =
        |g: &[usize]| *g.iter().max_by_key(|&&x| (quotes[x].stems.len(), std::cmp::Reverse(x))).unwrap_or(&g[0]);
    // Per group: its fullest quote and one quote of each distinct speaker
    // reading (speakers must agree with all of them).
    let mut full: Vec<usize> =
        groups.iter().enumerate().map(|(g, m)| if m.is_empty() { g } else { fullest(m) }).collect();
    let mut voices: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    let mut exact: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut index: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let add_voice = |voices: &mut Vec<usize>, i: usize| {
        let q = &quotes[i];
        if !voices.iter().any(|&v| quotes[v].speaker == q.speaker && quotes[v].raw_speaker == q.raw_speaker) {
            voices.push(i);
        }
    };
    // Per speaker entity, the groups that hold a quote of it, in order of
    // first appearance: where a paraphrase is looked for.
    let mut of_speaker: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut listed: FxHashSet<(usize, usize)> = FxHashSet::default();
    let mut add_group = |of_speaker: &mut FxHashMap<usize, Vec<usize>>, q: &Q, g: usize| {
        if let Some(s) = q.speaker
            && listed.insert((s, g))
        {
            of_speaker.entry(s).or_default().push(g);
        }
    };
    for (i, q) in quotes.iter().enumerate() {
        if core_doc[q.doc] {
            add_voice(&mut voices[gid[i]], i);
            add_group(&mut of_speaker, q, gid[i]);
            exact.entry(key(q)).or_default().push(i);
            for s in &q.stems {
                index.entry(s.as_str()).or_default().push(i);
            }
        }
    }
    // Per (article, speaker entity): its quotes, where a rendering must be
    // the closest of its article to the utterance it joins on meaning.
    let mut same_voice: FxHashMap<(usize, usize), Vec<usize>> = FxHashMap::default();
    for (i, q) in quotes.iter().enumerate() {
        if let Some(s) = q.speaker {
            same_voice.entry((q.doc, s)).or_default().push(i);
        }
    }
    // Per group asked about on meaning: the sum of its non-fragment quotes'
    // vectors and their count, kept up to date as quotes join.
    let mut sums: FxHashMap<usize, (Vec<f32>, usize)> = FxHashMap::default();
    let mut story_compared = core_compared;
    let mut shared: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
    for (i, q) in quotes.iter().enumerate() {
        if core_doc[q.doc] {
            continue;
        }
        let agrees = |g: usize| voices[g].iter().all(|&v| speakers_agree(&quotes[v], q));
        let k = key(q);
        // The same words as a quote already placed: its utterance.
        let mut home = exact.get(&k).and_then(|same| same.iter().map(|&j| gid[j]).find(|&g| agrees(g)));
        if home.is_none() && q.stems.len() >= SHORT {
            shared.clear();
            let mut stems: Vec<&str> = q.stems.iter().map(String::as_str).collect();
            stems.sort_by_key(|s| index.get(s).map_or(0, Vec::len));
            for st in stems {
                let Some(list) = index.get(st) else { continue };
                for &j in list.iter().rev().take(MAX_SCAN) {
                    let e = shared.entry(gid[j]).or_insert((0, j));
                    e.0 += 1;
                }
            }
            let mut cands: Vec<(usize, (usize, usize))> =
                shared.iter().filter(|(_, c)| c.0 >= MIN_SHARED).map(|(&g, &c)| (g, c)).collect();
            cands.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
            let mut best: Option<(f32, usize)> = None;
            for &(g, (_, j)) in cands.iter().take(MAX_CANDIDATES) {
                let m = &quotes[j];
                let same_fact = fact_of(q).is_some() && fact_of(q) == fact_of(m);
                if !agrees(g) || !similar(q, m, same_fact) || !similar(q, &quotes[full[g]], true) {
                    continue;
                }
                let o = overlap(&q.stems, &m.stems).1;
                if best.is_none_or(|(b, bg)| o > b || (o == b && g < bg)) {
                    best = Some((o, g));
                }
            }
            home = best.map(|(_, g)| g);
        }
        // In other words: the closest utterance of the same speaker on
        // meaning, compared with each group's fullest quote.
        if home.is_none()
            && let Some(list) = q.speaker.and_then(|s| of_speaker.get(&s))
        {
            let mut best: Option<(f32, usize)> = None;
            // Utterances compared, and those that passed: the pass must be
            // the only one (a quote near several of its speaker's
            // utterances is generic speech, not a rendering of one), and
            // the story's comparisons on meaning so far, core pairs
            // included, too few for chance to give a link (see
            // [`CHANCE_PARAPHRASE`]).
            let (mut compared, mut passed) = (0, 0);
            for &g in list.iter().rev().take(MAX_SCAN) {
                let f = &quotes[full[g]];
                // One rendering of an utterance per outlet, and no other
                // quote of the speaker in this article closer to it.
                if !agrees(g) || groups[g].iter().any(|&x| quotes[x].doc == q.doc) {
                    continue;
                }
                compared += 1;
                if !paraphrase(q, f) {
                    continue;
                }
                let c = sem(q, f);
                // Average linkage, as between core groups: the mean cosine
                // with the group's quotes, not only its fullest one.
                let (sum, n) = sums.entry(g).or_insert_with(|| meaning_sum(quotes, &groups[g]));
                if *n == 0 || chorus_semantic::dot(&q.vec, sum) / (*n as f32) < SEM_PARAPHRASE {
                    continue;
                }
                let beaten = same_voice.get(&(q.doc, q.speaker.unwrap_or(usize::MAX))).is_some_and(|l| {
                    l.iter().any(|&o| o != i && quotes[o].stems.len() >= SHORT && sem(&quotes[o], f) > c)
                });
                if beaten {
                    continue;
                }
                passed += 1;
                if best.is_none_or(|(b, bg)| c > b || (c == b && g < bg)) {
                    best = Some((c, g));
                }
            }
            story_compared += compared;
            if passed == 1 && chance_links(story_compared) == 0 {
                home = best.map(|(_, g)| g);
            }
        }
        let g = match home {
            Some(g) => {
                groups[i].clear();
                groups[g].push(i);
                if let Some((sum, n)) = sums.get_mut(&g)
                    && q.stems.len() >= SHORT
                {
                    sum.iter_mut().zip(&q.vec).for_each(|(s, x)| *s += x);
                    *n += 1;
                }
                if quotes[i].stems.len() > quotes[full[g]].stems.len() {
                    full[g] = i;
                }
                g
            }
            None => {
                // Its own slot (a quote's group id is its own index until merged).
                full[i] = i;
                i
            }
        };
        gid[i] = g;
        add_voice(&mut voices[g], i);
        add_group(&mut of_speaker, q, g);
        exact.entry(k).or_default().push(i);
        for s in &q.stems {
            index.entry(s.as_str()).or_default().push(i);
        }
    }
}

impl Groups<'_> {
    /// The speaker of a group: the entity most of its quotes name.
    pub fn speaker(&self, story: &Story, g: &[usize]) -> Option<String> {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for &i in g {
            if let Some(s) = self.quotes[i].speaker {
                match counts.iter_mut().find(|(x, _)| *x == s) {
                    Some(c) => c.1 += 1,
                    None => counts.push((s, 1)),
                }
            }
        }
        if let Some(&(s, _)) = counts.iter().max_by_key(|(s, c)| (*c, std::cmp::Reverse(*s))) {
            return Some(story.entity_name(s).to_string());
        }
        g.iter().find_map(|&i| self.quotes[i].raw_speaker.map(str::to_string))
    }

    pub fn to_model(&self, story: &Story) -> Vec<Quote> {
        let filled = crate::attribution::filled_in(story, self);
        self.groups
            .iter()
            .zip(filled)
            .map(|(g, filled)| Quote {
                speaker: self.speaker(story, g),
                variants: g
                    .iter()
                    .zip(filled)
                    .map(|(&i, speaker_from)| {
                        let q = &self.quotes[i];
                        QuoteVariant {
                            article: story.article_id(q.doc).to_string(),
                            text: q.text.to_string(),
                            cue: q.cue.map(str::to_string),
                            speaker_from,
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Distinct wordings of one utterance: quotes whose content stems are a
/// subset of another's (a truncation, or the same words) fold into the
/// longer one. Each wording is (representative quote, quotes with it).
pub(crate) fn wordings(quotes: &[Q], g: &[usize]) -> Vec<(usize, Vec<usize>)> {
    let mut order: Vec<usize> = g.to_vec();
    order.sort_by_key(|&i| (std::cmp::Reverse(quotes[i].stems.len()), i));
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in order {
        let q = &quotes[i];
        let home = out.iter_mut().find(|(r, _)| {
            let r = &quotes[*r];
            let (n, _) = overlap(&q.stems, &r.stems);
            n as f32 >= LIGHT_EDIT * q.stems.len() as f32 || q.stems.len() - n < MIN_OWN_WORDS || q.norm == r.norm
        });
        match home {
            Some((_, members)) => members.push(i),
            None => out.push((i, vec![i])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(doc: usize, text: &'static str, speaker: Option<usize>) -> Q<'static> {
        let mut st = Stemmer::default();
        Q {
            doc,
            text,
            cue: Some("said"),
            speaker,
            raw_speaker: None,
            stems: stems_of(text, &mut st),
            norm: normalized(text),
            sent: None,
            vec: chorus_semantic::embed(text),
        }
    }

    #[test]
    fn translations_overlap_and_truncations_fold() {
        let a =
            q(0, "If the harbour is saved, I will gladly step aside. I can trade my seat for the harbour.", Some(1));
        let b =
            q(1, "If the harbour is rescued, I will happily step aside. I can swap my seat for the harbour.", Some(1));
        let c = q(2, "I will gladly step aside", Some(1));
        let other = q(3, "The budget for schools is a disgrace and we will vote against it.", Some(1));
        assert!(similar(&a, &b, false));
        assert!(similar(&a, &c, false));
        assert!(!similar(&a, &other, false));
        let all = vec![a, b, c];
        let w = wordings(&all, &[0, 1, 2]);
        // The truncation folds into a fuller wording; the two translations
        // stay apart.
        assert_eq!(w.len(), 2, "{w:?}");
    }

    #[test]
    fn names_do_not_make_two_sentences_one_utterance() {
        let a = q(0, "So Freedonia will be merciless in its response to the Sylvanian Front militants", Some(1));
        let b =
            q(1, "Let Freedonia and all nations know that the Sylvanian Front will continue to target them", Some(1));
        assert!(!similar(&a, &b, true), "{:?} {:?}", a.stems, b.stems);
    }

    #[test]
    fn number_words_and_irregular_past_forms_match_their_plain_forms() {
        let full = q(0, "I cannot sign anything that ten generations of Ukrainians would have to pay back,", Some(1));
        let part = q(1, "that will be paid by 10 generations of Ukrainians.", Some(1));
        assert_eq!(part.stems, vec!["10", "generat", "pay"]);
        assert!(similar(&full, &part, false), "{:?} {:?}", full.stems, part.stems);
        // The partial quote is the full one cut short: one wording, no rival.
        let all = vec![full, part];
        assert_eq!(wordings(&all, &[0, 1]).len(), 1);
        let mut st = Stemmer::default();
        assert_eq!(stems_of("They took twenty", &mut st), stems_of("they take 20", &mut st));
        // "one" stays a word: it is a pronoun as often as a number.
        assert_eq!(stems_of("one would be offended", &mut st), vec!["offend", "one"]);
    }

    #[test]
    fn a_short_quote_joins_a_passage_only_as_a_cut_of_it() {
        let passage = q(
            0,
            "At long last the nomination contests have started, and we now have the first solid glimpse at \
             turnout. The caucus blasted through its record, but the other party could not keep pace, and \
             turnout was down slightly from the last election, when both parties held contests for months.",
            Some(1),
        );
        // Half its words ("long", "last", "month") turn up in the passage.
        let other = q(1, "We have come a long way in the last nine months,", Some(1));
        assert!(!similar(&other, &passage, true), "{:?}", other.stems);
        // A cut keeps nearly all of them.
        let cut = q(2, "the first solid glimpse at turnout", Some(1));
        assert!(similar(&cut, &passage, false));
    }

    #[test]
    fn renderings_on_meaning_are_of_comparable_length_and_beyond_chance() {
        let a = q(0, "We will rebuild, whatever it takes.", Some(1));
        let b = q(1, "Whatever it costs, the town is going to be rebuilt.", Some(1));
        let long = q(
            2,
            "The town will be rebuilt street by street, the school first, then the bridge, the market, the \
             harbour walls and every house the water took, whatever the cost and however long it takes.",
            Some(1),
        );
        assert!(comparable(&a, &b));
        assert!(!comparable(&a, &long), "{} {}", a.stems.len(), long.stems.len());
        // A story of a few outlets expects no chance link; 84 compared
        // pairs expect one.
        assert_eq!(chance_links(83), 0);
        assert_eq!(chance_links(84), 1);
        assert_eq!(chance_links(1_680), 20);
    }

    #[test]
    fn a_fragment_joins_a_quote_it_is_a_verbatim_cut_of() {
        let full = q(0, "No, I meant he's the founder of ISIS. I do. He was the most valuable player.", Some(1));
        let cut = q(1, "No, I meant he’s the founder of ISIS,", Some(1));
        assert!(cut.stems.len() < SHORT, "{:?}", cut.stems);
        assert!(similar(&cut, &full, false));
        // A set phrase of three words is no evidence of one utterance.
        let slogan = q(2, "radical Islamic terrorism.", Some(1));
        let speech = q(3, "America needs to get tough on radical Islamic terrorism, and fast.", Some(1));
        assert!(!similar(&slogan, &speech, false));
        // Nor are the same words out of order.
        let shuffled = q(4, "the founder of ISIS, no, he's what I meant", Some(1));
        assert!(!similar(&shuffled, &full, false));
    }

    #[test]
    fn one_word_quotes_match_only_when_identical() {
        let a = q(0, "reckless", None);
        let b = q(1, "Reckless", None);
        let c = q(2, "careless", None);
        assert!(similar(&a, &b, false));
        assert!(!similar(&a, &c, false));
    }

    /// The invented utterances of `testdata/quote_utterances.txt`, one
    /// story per speaker, the k-th rendering of each utterance in outlet k.
    fn utterance_stories() -> Vec<(String, Vec<crate::testkit::Art>)> {
        use crate::testkit::Art;
        use chorus_model::EntityKind;
        let data = include_str!("../testdata/quote_utterances.txt");
        let mut out = Vec::new();
        for block in data.split("\n== ").skip(1) {
            let mut lines = block.lines();
            let speaker = lines.next().unwrap().trim().to_string();
            let surname = speaker.rsplit(' ').next().unwrap().to_string();
            let mut ctx = Vec::new();
            let mut utts: Vec<(usize, String)> = Vec::new();
            for l in lines.filter(|l| !l.trim().is_empty()) {
                if let Some(c) = l.strip_prefix("ctx: ") {
                    ctx.push(c.to_string());
                } else {
                    let (n, t) = l.split_once(": ").unwrap();
                    utts.push((n.parse().unwrap(), t.to_string()));
                }
            }
            let mut outlets: Vec<Vec<String>> = Vec::new();
            let mut seen: FxHashMap<usize, usize> = FxHashMap::default();
            for (n, t) in &utts {
                let k = seen.entry(*n).or_insert(0);
                if outlets.len() <= *k {
                    outlets.push(Vec::new());
                }
                outlets[*k].push(t.clone());
                *k += 1;
            }
            let arts = outlets
                .iter()
                .enumerate()
                .map(|(k, qs)| {
                    let mut text = ctx.join("\n");
                    for q in qs {
                        text.push_str(&format!("\n“{q}” {surname} said."));
                    }
                    let mut a = Art::new(&format!("{surname}{k}"), &text);
                    for (i, q) in qs.iter().enumerate() {
                        a = a.entity(&format!("” {surname}"), i, &speaker, EntityKind::Person, None);
                        a = a.quote(q, Some(&speaker));
                    }
                    a
                })
                .collect();
            out.push((speaker, arts));
        }
        out
    }

    /// One pair of quotes of one speaker in different outlets: whether they
    /// render one utterance, centred and raw static cosines, overlap
    /// coefficient, shared stems, the two texts.
    type Pair = (bool, f32, f32, f32, usize, String);

    fn utterance_pairs() -> Vec<Pair> {
        use crate::testkit::{docs, entities};
        let data = include_str!("../testdata/quote_utterances.txt");
        let mut pairs = Vec::new();
        for (speaker, arts) in utterance_stories() {
            let ents = entities(&arts, &[(speaker.as_str(), chorus_model::EntityKind::Person, &[])]);
            let ds = docs(&arts);
            let story = Story::build(&ds, &ents);
            let qs = collect(&story);
            let id = |q: &Q| {
                data.lines().find_map(|l| l.split_once(": ").filter(|(_, t)| *t == q.text).map(|(n, _)| n.to_string()))
            };
            for (x, a) in qs.iter().enumerate() {
                for b in &qs[x + 1..] {
                    if a.doc == b.doc {
                        continue;
                    }
                    assert_eq!(a.speaker, b.speaker);
                    let same = id(a).unwrap() == id(b).unwrap();
                    let (n, o) = overlap(&a.stems, &b.stems);
                    let raw = chorus_semantic::cosine(&chorus_semantic::embed(a.text), &chorus_semantic::embed(b.text));
                    let c = chorus_semantic::dot(&a.vec, &b.vec);
                    pairs.push((same, c, raw, o, n, format!("{} | {}", a.text, b.text)));
                }
            }
        }
        pairs
    }

    /// The figures behind [`SEM_PARAPHRASE`] (ARCHITECTURE.md):
    /// `cargo test -p chorus-analysis quote_pair_distribution -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn quote_pair_distribution() {
        let pairs = utterance_pairs();
        let show = |name: &str, f: &dyn Fn(&Pair) -> f32| {
            for same in [true, false] {
                let mut v: Vec<f32> = pairs.iter().filter(|p| p.0 == same).map(f).collect();
                v.sort_by(f32::total_cmp);
                let q = |p: f32| v[((v.len() - 1) as f32 * p).round() as usize];
                println!(
                    "{name:>10} {}: n={:3} min={:.3} p05={:.3} p10={:.3} median={:.3} p90={:.3} p95={:.3} max={:.3}",
                    if same { "same" } else { "diff" },
                    v.len(),
                    v[0],
                    q(0.05),
                    q(0.1),
                    q(0.5),
                    q(0.9),
                    q(0.95),
                    v[v.len() - 1]
                );
            }
        };
        show("centred", &|p| p.1);
        show("raw", &|p| p.2);
        show("overlap", &|p| p.3);
        for p in &pairs {
            println!("{}\t{:.3}\t{:.3}\t{:.2}\t{}\t{}", if p.0 { "same" } else { "diff" }, p.1, p.2, p.3, p.4, p.5);
        }
    }

    /// The utterance id of a rendering in `testdata/quote_utterances.txt`.
    fn utterance_id(text: &str) -> String {
        let data = include_str!("../testdata/quote_utterances.txt");
        data.lines().find_map(|l| l.split_once(": ").filter(|(_, t)| *t == text).map(|(n, _)| n.to_string())).unwrap()
    }

    /// Groups the invented utterances story by story: (pairs of one
    /// utterance grouped, pairs of one utterance in all, groups mixing
    /// different utterances).
    fn group_utterances() -> (usize, usize, Vec<String>) {
        use crate::testkit::{docs, entities};
        let (mut found, mut all, mut mixed) = (0, 0, Vec::new());
        for (speaker, arts) in utterance_stories() {
            let ents = entities(&arts, &[(speaker.as_str(), chorus_model::EntityKind::Person, &[])]);
            let ds = docs(&arts);
            let story = Story::build(&ds, &ents);
            let facts = crate::facts::cluster(&story);
            let g = group(&story, &facts);
            let gid_of = |i: usize| g.groups.iter().position(|m| m.contains(&i)).unwrap();
            for i in 0..g.quotes.len() {
                for j in i + 1..g.quotes.len() {
                    if utterance_id(g.quotes[i].text) == utterance_id(g.quotes[j].text) {
                        all += 1;
                        found += usize::from(gid_of(i) == gid_of(j));
                    }
                }
            }
            for m in &g.groups {
                let mut ids: Vec<String> = m.iter().map(|&i| utterance_id(g.quotes[i].text)).collect();
                ids.dedup();
                if ids.len() > 1 {
                    mixed.push(m.iter().map(|&i| g.quotes[i].text).collect::<Vec<_>>().join(" | "));
                }
            }
        }
        (found, all, mixed)
    }

    #[test]
    fn paraphrased_renderings_group_and_different_utterances_stay_apart() {
        let (found, all, mixed) = group_utterances();
        println!("{found} of {all} pairs of one utterance grouped; mixed groups: {mixed:#?}");
        // Measured: 25 of 52, one mixed group (a speaker's sentence that
        // one outlet alone prints, closest to another's rendering).
        assert!(found * 100 >= all * 45, "{found} of {all}");
        assert!(mixed.len() <= 1, "{mixed:#?}");
    }

    /// Three outlets on an invented flood: the mayor's vow in two wordings
    /// that share one stem, her other sentence, and the same vow credited to
    /// someone else and to nobody.
    fn rebuild_story(third_speaker: Option<&str>) -> (Vec<crate::testkit::Art>, crate::testkit::EntityList) {
        use crate::testkit::Art;
        use chorus_model::EntityKind;
        let a = Art::new(
            "a",
            "Floodwater swept through the lower town of Korvala on Sunday night.\n\
             “We will rebuild, whatever it takes,” Mayor Petra Lindqvist said on Monday.\n\
             “The dam company ignored every warning we gave them,” Lindqvist said.",
        )
        .entity("Petra Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, Some("Mayor"))
        .entity("Lindqvist", 1, "Petra Lindqvist", EntityKind::Person, None)
        .quote("We will rebuild, whatever it takes,", Some("Petra Lindqvist"))
        .quote("The dam company ignored every warning we gave them,", Some("Petra Lindqvist"));
        let b = Art::new(
            "b",
            "About 2,400 residents of Korvala were evacuated after the river burst its banks.\n\
             “Whatever it costs, the town is going to be rebuilt,” said Lindqvist.\n\
             “I want to thank the volunteers who worked through the night,” Lindqvist said.",
        )
        .entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None)
        .entity("Lindqvist", 1, "Petra Lindqvist", EntityKind::Person, None)
        .quote("Whatever it costs, the town is going to be rebuilt,", Some("Petra Lindqvist"))
        .quote("I want to thank the volunteers who worked through the night,", Some("Petra Lindqvist"));
        let c = Art::new(
            "c",
            "The river fell back on Tuesday, leaving mud in every street of Korvala.\n\
             “However much it costs, we are going to rebuild,” a council member said.",
        )
        .quote("However much it costs, we are going to rebuild,", third_speaker);
        let c = match third_speaker {
            Some(n) => c.entity("a council member", 0, n, EntityKind::Person, None),
            None => c,
        };
        let mut ents: crate::testkit::EntityList = vec![("Petra Lindqvist", EntityKind::Person, &["Lindqvist"])];
        if third_speaker == Some("Jon Alm") {
            ents.push(("Jon Alm", EntityKind::Person, &[]));
        }
        (vec![a, b, c], ents)
    }

    /// The wordings of each group of a story, in group order.
    fn grouped(arts: &[crate::testkit::Art], ents: &crate::testkit::EntityList) -> Vec<Vec<String>> {
        use crate::testkit::{docs, entities};
        let se = entities(arts, ents);
        let ds = docs(arts);
        let story = Story::build(&ds, &se);
        let facts = crate::facts::cluster(&story);
        let g = group(&story, &facts);
        g.groups.iter().map(|m| m.iter().map(|&i| g.quotes[i].text.to_string()).collect()).collect()
    }

    #[test]
    fn a_paraphrased_vow_is_one_utterance_of_its_speaker() {
        let (arts, ents) = rebuild_story(Some("Petra Lindqvist"));
        let groups = grouped(&arts, &ents);
        let vow = groups.iter().find(|g| g.iter().any(|t| t.starts_with("We will rebuild"))).unwrap();
        assert_eq!(vow.len(), 3, "{groups:#?}");
        // Her other sentences stay their own utterances.
        assert_eq!(groups.len(), 3, "{groups:#?}");
    }

    #[test]
    fn meaning_alone_never_joins_another_or_an_unknown_speaker() {
        for who in [Some("Jon Alm"), None] {
            let (arts, ents) = rebuild_story(who);
            let groups = grouped(&arts, &ents);
            let other = groups.iter().find(|g| g.iter().any(|t| t.starts_with("However much"))).unwrap();
            assert_eq!(other.len(), 1, "{who:?}: {groups:#?}");
        }
    }
}
