//! Links on meaning: two quotes of one speaker entity in different
//! articles that render one utterance in other words (a paraphrase inside
//! quotation marks, an independent translation) share too few stems for
//! `wording.rs`, so they are linked by the cosine of their static vectors
//! with the story's topic taken out, when each is the other's closest quote
//! of that speaker in the other's article and the two are of comparable
//! length. A speaker compared in many pairs passes the bar by chance in a
//! known share of them, so the story's links on meaning count only beyond
//! that share. The measurement behind the bar is the test
//! `quote_pair_distribution` below.

use rustc_hash::{FxHashMap, FxHashSet};

use super::Q;
use super::wording::{SAME_UTTERANCE, SHORT, other_occasion};

/// Static-vector cosine (story topic taken out:
/// [`Story::embed_centred`](crate::story::Story::embed_centred)) at or above
/// which two quotes credited to the same speaker entity render one utterance in
/// other words. Measured on invented utterances, each rendered by two or three
/// outlets in words they mostly do not share (`testdata/quote_utterances.txt`,
/// 12 speakers: 52 pairs of one utterance, 168 pairs of different utterances by
/// one speaker in one story): different utterances range from -0.09 to 0.56,
/// median 0.20, 99th percentile 0.464; renderings of one utterance from 0.13 to
/// 0.73, median 0.47. The bar is that 99th percentile, rounded: at most one in
/// a hundred of a speaker's different sentences passes on meaning, and the
/// mutual-closest condition removes most of those (2 of 168 pass both, 26 of 52
/// renderings). Lexical overlap does not help on top of it: a blend with the
/// overlap coefficient lowered recall at every equal false-match rate, since
/// paraphrases share few words by definition and two sentences of one speech
/// share the story's.
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

/// The content words of a quote (names left out, as in its stems) that
/// weigh at least [`HEAVY_WORD`], lower-cased, with their static vectors.
fn heavy_words(text: &str) -> Vec<(String, Vec<f32>)> {
    let m = chorus_semantic::Model::shipped();
    super::wording::content_words(text)
        .filter(|w| m.weight(w) >= HEAVY_WORD && !adverb(m, w))
        .map(|w| (w.to_lowercase(), m.embed(w)))
        .collect()
}

/// Whether a word is an adverb made of an adjective with "-ly"
/// ("frankly", "clearly", "immediately"): its stem of at least
/// [`ADVERB_BASE`] letters is a word of the model's vocabulary on its
/// own. An adverb says how something is said or done, not what it is
/// about, however rare it is: two different things one speaker said
/// "frankly" are not one utterance. The floor keeps nouns that merely end
/// in "ly" out ("ally", "reply", "apply": "al", "rep", "app" are tokens).
fn adverb(m: &chorus_semantic::Model, w: &str) -> bool {
    let lower = w.to_lowercase();
    let Some(base) = lower.strip_suffix("ly") else { return false };
    base.chars().count() >= ADVERB_BASE && m.tokenize(base).len() == 1
}

/// Letters an "-ly" word's stem needs to make it an adverb ([`adverb`]).
pub const ADVERB_BASE: usize = 4;

/// How near the closest two heavy words of two quotes come: 1 for one
/// word in both, else the static cosine of the two words; 0 when either
/// quote has none.
#[cfg(test)]
fn closest(wa: &[(String, Vec<f32>)], wb: &[(String, Vec<f32>)]) -> f32 {
    let mut best = 0f32;
    for (x, vx) in wa {
        for (y, vy) in wb {
            let c = if x == y { 1.0 } else { chorus_semantic::dot(vx, vy) };
            best = best.max(c);
        }
    }
    best
}

/// A quote's heavy words, read once.
fn heavy<'q>(q: &'q Q) -> &'q [(String, Vec<f32>)] {
    q.heavy.get_or_init(|| heavy_words(q.text))
}

#[cfg(test)]
fn word_match(a: &str, b: &str) -> f32 {
    closest(&heavy_words(a), &heavy_words(b))
}

/// Weight in a sentence vector ([`chorus_semantic::Model::weight`]: the
/// rarer a word, the heavier) at or above which a word of a quote says what
/// it is about. The commonest content words of speech weigh less (the 2.2,
/// "want" 2.66, "know" 2.64, "get" 2.50, "go" 3.07, "people" 3.08, "us"
/// 3.12, "country" 3.40); words that name a thing or an act weigh more
/// ("bridge" 4.13, "deal" 4.01, "classified" 5.27, "rebuild" 6.06).
pub const HEAVY_WORD: f32 = 3.5;

/// Least static cosine between a heavy word of one quote and one of the
/// other (1 for the same word) for a link on meaning alone
/// ([`same_subject`]). Unrelated heavy words reach about 0.46 (the closest
/// pair of words in two different passages of one speaker on
/// attribution-dev); a word and its near-synonym or inflection pass
/// ("rebuild" / "rebuilt").
pub const WORD_MATCH: f32 = 0.6;

/// Centred static-vector cosine of two quotes.
pub(super) fn sem(a: &Q, b: &Q) -> f32 {
    chorus_semantic::dot(&a.vec, &b.vec)
}

/// Whether two quotes may be one utterance on meaning: the same speaker
/// entity on both (an unknown speaker agrees with anyone on wording, never
/// on meaning alone), neither a fragment, the centred cosine at the bar,
/// and not the speaker on two occasions (`wording::OCCASION_DAYS`: dated
/// more than a few days apart, unless one copies the other's words). The
/// caller adds the mutual-closest condition where it can.
pub(super) fn paraphrase(a: &Q, b: &Q) -> bool {
    !other_occasion(a, b)
        && a.speaker.is_some()
        && a.speaker == b.speaker
        && comparable(a, b)
        && sem(a, b) >= SEM_PARAPHRASE
        && same_subject(a, b)
}

/// Whether two quotes are about the same thing: a word of weight of one
/// ([`HEAVY_WORD`]) is in the other, or a word of weight near it in
/// meaning ([`WORD_MATCH`]): "rebuild" in "We will rebuild, whatever it
/// takes" and "However much it costs, we are going to rebuild",
/// "complicity" and "prepared" in Hollande's rival translations. Two
/// things a speaker said that merely sound alike share only the common
/// words of speech ("want", "know", "people", "go").
pub(super) fn same_subject(a: &Q, b: &Q) -> bool {
    let (wa, wb) = (heavy(a), heavy(b));
    // A word in both settles it without a vector; else the first pair of
    // words near enough does (this runs for every pair of a speaker's
    // quotes close on meaning).
    wa.iter().any(|(x, _)| wb.iter().any(|(y, _)| x == y))
        || wa.iter().any(|(_, vx)| wb.iter().any(|(_, vy)| chorus_semantic::dot(vx, vy) >= WORD_MATCH))
}

/// Whether two quotes are long enough, and near enough in length, to be
/// two renderings of one utterance on meaning alone: neither a fragment,
/// and the shorter with at least [`RENDERING_LENGTH_RATIO`] of the longer's
/// content stems.
pub(super) fn comparable(a: &Q, b: &Q) -> bool {
    let (short, long) = (a.stems.len().min(b.stems.len()), a.stems.len().max(b.stems.len()));
    short >= SHORT && short as f32 >= RENDERING_LENGTH_RATIO * long as f32
}

/// The strength of a link on meaning, on the scale of the overlap
/// coefficient, so that wording and meaning links merge in one order: a
/// paraphrase at the bar ranks with a wording link at [`SAME_UTTERANCE`].
fn sem_strength(s: f32) -> f32 {
    SAME_UTTERANCE + (s - SEM_PARAPHRASE) * (1.0 - SAME_UTTERANCE) / (1.0 - SEM_PARAPHRASE)
}

/// Adds the links on meaning between core quotes (see [`SEM_PARAPHRASE`]):
/// per speaker entity, every pair of its quotes in different articles at
/// the bar, kept when each quote is the other's closest of that speaker in
/// the other's article. One outlet renders one utterance once, so the
/// closest is its rendering; a sentence of the speech that merely sits near
/// in meaning loses to it.
pub(super) fn paraphrase_edges(quotes: &[Q], core: &[usize], edges: &mut Vec<(f32, usize, usize)>) -> usize {
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
                if c >= SEM_PARAPHRASE
                    && comparable(&quotes[i], &quotes[j])
                    && same_subject(&quotes[i], &quotes[j])
                    && !other_occasion(&quotes[i], &quotes[j])
                {
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
pub(super) fn chance_links(pairs: usize) -> usize {
    (pairs as f32 * CHANCE_PARAPHRASE) as usize
}

/// Mean centred cosine over the pairs of non-fragment quotes across two
/// groups: average linkage on meaning, so that a chain of paraphrase links
/// does not join two different sentences of one speech.
pub(super) fn mean_sem(quotes: &[Q], a: &[usize], b: &[usize]) -> f32 {
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
pub(super) fn meaning_sum(quotes: &[Q], g: &[usize]) -> (Vec<f32>, usize) {
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{q, utterance_stories};
    use super::super::wording::overlap;
    use super::super::{Q, collect};
    use super::*;
    use crate::story::Story;

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
    fn a_link_on_meaning_needs_a_word_of_weight_in_common() {
        // One vow in two renderings: "rebuild" in both.
        let a = q(0, "We will rebuild, whatever it takes.", Some(1));
        let b = q(1, "However much it costs, we are going to rebuild,", Some(1));
        assert!(same_subject(&a, &b));
        // Two things one speaker said, near on the static vectors through
        // the common words of speech alone.
        let c = q(2, "I just don't know what people want from us right now, and I think that is the thing.", Some(1));
        let d = q(3, "You know, people want to get things done and they think we can do it right,", Some(1));
        assert!(sem(&c, &d) >= SEM_PARAPHRASE && comparable(&c, &d));
        assert!(!same_subject(&c, &d));
        assert!(!paraphrase(&c, &d));
        // A near-synonym of a heavy word counts.
        assert!(word_match("the town will be rebuilt", "we will rebuild") >= WORD_MATCH);
    }

    /// An adverb says how, not what: two things one speaker said "frankly"
    /// share no subject; nouns that end in "ly" are still words of weight.
    #[test]
    fn an_adverb_is_no_word_of_weight() {
        let m = chorus_semantic::Model::shipped();
        for w in ["frankly", "Frankly", "clearly", "immediately", "honestly"] {
            assert!(adverb(m, w), "{w}");
        }
        for w in ["ally", "reply", "apply", "family", "Italy", "assembly", "rebuild"] {
            assert!(!adverb(m, w), "{w}");
        }
        assert_eq!(
            word_match("frankly, the deal is dead", "frankly I love my job"),
            word_match("the deal is dead", "I love my job")
        );
    }

    /// One pair of quotes of one speaker in different outlets: whether they
    /// render one utterance, centred and raw static cosines, overlap
    /// coefficient, shared stems, the two texts.
    type Pair = (bool, f32, f32, f32, usize, String);

    fn utterance_pairs() -> Vec<Pair> {
        use crate::testkit::{docs, entities};
        let data = include_str!("../../testdata/quote_utterances.txt");
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
            let (x, y) = p.5.split_once(" | ").unwrap_or_default();
            let w = word_match(x, y);
            println!(
                "{}\t{:.3}\t{:.3}\t{:.2}\t{}\t{w:.2}\t{}",
                if p.0 { "same" } else { "diff" },
                p.1,
                p.2,
                p.3,
                p.4,
                p.5
            );
        }
    }
}
