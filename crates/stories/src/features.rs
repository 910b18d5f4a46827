//! What the clusterer keeps of an article: a few hashes and a sparse term
//! vector, computed once per article and independently of every other
//! article, so that a batch can compute them in parallel and a stream one
//! at a time with the same result.

use std::cell::RefCell;

use chorus_model::Article;
use chorus_text::{Stemmer, Token, TokenKind, is_stopword, split_sentences, tokens, tokens_into};
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::minhash;
use crate::time;

/// A title word counts as this many body occurrences: a headline names the
/// event in a handful of words, so its words say more about the story than
/// any one body sentence does, but not more than a body that keeps returning
/// to its own subject (a body word seen 4+ times outweighs it after the
/// sublinear tf).
pub const TITLE_BOOST: f32 = 2.0;

/// Sentences shorter than this (in words) are left out of the syndication
/// fingerprints: "Read more.", datelines and one-line captions recur across
/// unrelated articles of a site, while an eight-word sentence repeated word
/// for word is a real copy.
pub const SENTENCE_MIN_WORDS: usize = 8;

/// A content word written with a capital inside a sentence (a name: a
/// person, place, organisation or product) counts this much more than a
/// common word. Names are what tell one event from another on the same
/// subject; as separate multi-word features ("Prime Minister Jane Doe") they
/// were too specific to match across outlets, so the signal goes into the
/// names' own stems instead: a name counts twice.
pub const NAME_BOOST: f32 = 1.0;

/// Articles whose body has fewer words than this are short: a headline
/// alone (a title-only feed item), a teaser, a brief. Their few words rarely
/// coincide with another outlet's on the same event ("Korvala dam fails" /
/// "Thousands flee as valley floods"), so they also get [`MEANING_TERMS`].
/// Forty words is two sentences: below any news body, above a headline with
/// its standfirst. Longer articles get none: on full texts the words decide
/// well, and meaning terms from every article's title and first 40 words
/// lowered clustering-dev (BCubed F1 0.907 → 0.894, at 16 and at 32
/// terms).
pub const SHORT_WORDS: usize = 40;

/// How many meaning terms a short article gets: the strongest dimensions
/// of its static sentence vector ([`chorus_semantic`], headline and body),
/// each with its sign, as terms of their own. Two wordings of one event
/// point the same way, so they share strong dimensions; IDF then discounts
/// the dimensions every news text shares, as it does common words. About
/// an eighth of the 256 dimensions: enough that two headlines of one event
/// share several, few enough that the shared ones are the event's and not
/// the direction all news shares. Meaning terms count only against a story
/// the article shares a word with (`cluster/place.rs`); under that rule
/// 24–40 terms at weight 0.9–1.2 is a plateau on two labelled sets read as
/// headlines (clustering-dev: BCubed F1 0.82–0.85 against 0.809 at 24 ×
/// 0.75 without the rule; a real headline stream, the UCI News Aggregator's
/// first 6,366 items in three windows: 0.798–0.813 against 0.791), and 32
/// at 1 is its middle. Past it (48–64 terms) the shared dimensions stop
/// being the event's and precision falls. What it costs: two stories told
/// in the same words but for their names look alike to meaning terms (the
/// generated stream read as headlines, whose stories retell the same
/// articles under invented names: 0.522 → 0.496).
pub const MEANING_TERMS: usize = 32;

/// Term frequency of one meaning term (after the sublinear tf: a title word
/// counts 1 + ln 2 ≈ 1.7, a body word 1): a meaning term weighs as one word
/// of the body, so a headline's meaning, spread over [`MEANING_TERMS`]
/// dimensions each discounted by IDF, weighs about as much as its few words.
pub const MEANING_WEIGHT: f32 = 1.0;

/// Version of what [`Features::of`] computes. It changes whenever the same
/// article would get different features (tokenising, weights, signature
/// scheme), so a store that keeps features knows to recompute them rather
/// than mix two schemes in one index.
pub const FEATURES_VERSION: u32 = 3;

/// Everything the [`crate::Clusterer`] needs of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Hash of the body's lower-cased words (the title when there is no body):
    /// equal for exact copies whatever their layout, punctuation or headline.
    pub exact: u64,
    /// MinHash signature of the body's word shingles; empty when the body is
    /// too short for a meaningful near-duplicate test.
    pub signature: Vec<u32>,
    /// Distinct fingerprints of the body's long sentences (content stems in
    /// order), for syndication.
    pub sentences: Vec<u64>,
    /// Stem hash and sublinear term frequency (title words and names boosted),
    /// sorted by hash.
    pub terms: Vec<(u64, f32)>,
    /// Publication time in seconds since 1970, when the article gives one.
    pub time: Option<i64>,
}

thread_local! {
    /// Each worker thread keeps its own stemmer (the Snowball state is not
    /// shareable) and a cache of word → stem hash, because news vocabulary is
    /// Zipfian: most words of an article were stemmed before.
    static WORKER: RefCell<Worker> = RefCell::new(Worker::default());
}

#[derive(Default)]
struct Worker {
    stemmer: Stemmer,
    /// Lower-cased word hash → stem hash, or `None` for a stop word or a
    /// one-letter word.
    cache: FxHashMap<u64, Option<u64>>,
    lower: String,
    /// A sentence's tokens, the buffer kept from article to article.
    toks: Vec<Token>,
}

/// Caps the stem cache of one thread; cleared when full (a cache, so the
/// result never depends on it).
const STEM_CACHE_MAX: usize = 200_000;

impl Worker {
    /// The hash of a word lower-cased, and the hash of its stem when it is a
    /// content word (not a number, a stop word or a single letter).
    fn word(&mut self, word: &str, kind: TokenKind) -> (u64, Option<u64>) {
        self.lower.clear();
        chorus_text::push_lowercase(&mut self.lower, word);
        let lower_hash = xxh3_64(self.lower.as_bytes());
        if kind != TokenKind::Word {
            return (lower_hash, None);
        }
        if let Some(&stem) = self.cache.get(&lower_hash) {
            return (lower_hash, stem);
        }
        let stem = (self.lower.chars().nth(1).is_some() && !is_stopword(&self.lower))
            .then(|| xxh3_64(self.stemmer.stem(&self.lower).as_bytes()));
        if self.cache.len() >= STEM_CACHE_MAX {
            self.cache.clear();
        }
        self.cache.insert(lower_hash, stem);
        (lower_hash, stem)
    }
}

impl Features {
    /// Computes the features of one article. Pure: the same article always
    /// gives the same features, on any thread.
    pub fn of(article: &Article) -> Features {
        WORKER.with(|w| compute(&mut w.borrow_mut(), article))
    }
}

fn compute(w: &mut Worker, article: &Article) -> Features {
    let body = article.text.as_str();
    let title = article.title.as_deref().unwrap_or("");
    let mut counts: FxHashMap<u64, f32> = FxHashMap::default();

    for t in tokens(title) {
        if let (_, Some(stem)) = w.word(t.text(title), t.kind) {
            *counts.entry(stem).or_insert(0.0) += TITLE_BOOST;
        }
    }

    // One pass over the body's sentences: stems, names, sentence
    // fingerprints; the lower-cased word sequence feeds the exact hash and the
    // shingles.
    let mut word_hashes: Vec<u64> = Vec::with_capacity(body.len() / 6);
    let mut sentences: Vec<u64> = Vec::new();
    let mut toks = std::mem::take(&mut w.toks);
    let mut content: Vec<u64> = Vec::new();
    for range in split_sentences(body) {
        let sentence = &body[range];
        toks.clear();
        tokens_into(sentence, &mut toks);
        content.clear();
        for (k, t) in toks.iter().enumerate() {
            let word = t.text(sentence);
            let (lower, stem) = w.word(word, t.kind);
            word_hashes.push(lower);
            if let Some(h) = stem {
                // The first word of a sentence is capitalised whatever it is.
                let name = k > 0 && word.chars().next().is_some_and(char::is_uppercase);
                *counts.entry(h).or_insert(0.0) += if name { 1.0 + NAME_BOOST } else { 1.0 };
                content.push(h);
            }
        }
        if content.len() >= SENTENCE_MIN_WORDS.div_ceil(2) && toks.len() >= SENTENCE_MIN_WORDS {
            let mut h = 0u64;
            for c in &content {
                h = xxh3_64_with_seed(&c.to_le_bytes(), h);
            }
            if !sentences.contains(&h) {
                sentences.push(h);
            }
        }
    }
    w.toks = toks;

    let exact = if word_hashes.is_empty() {
        let mut h = 0u64;
        for t in tokens(title) {
            h = xxh3_64_with_seed(t.text(title).to_lowercase().as_bytes(), h);
        }
        h
    } else {
        let mut h = 0u64;
        for x in &word_hashes {
            h = xxh3_64_with_seed(&x.to_le_bytes(), h);
        }
        h
    };

    let mut terms: Vec<(u64, f32)> = counts.into_iter().map(|(t, c)| (t, 1.0 + c.ln())).collect();
    if body.split_whitespace().count() < SHORT_WORDS {
        meaning_terms(title, body, &mut terms);
    }
    terms.sort_unstable_by_key(|&(t, _)| t);

    Features {
        exact,
        signature: minhash::signature(&word_hashes),
        sentences,
        terms,
        time: article.published.as_deref().and_then(time::parse_seconds),
    }
}

/// Appends a short article's meaning terms (see [`MEANING_TERMS`]): term
/// ids from a hash space of their own, one per dimension and sign.
fn meaning_terms(title: &str, body: &str, terms: &mut Vec<(u64, f32)>) {
    let k = MEANING_TERMS;
    let text = if body.trim().is_empty() { title.to_string() } else { format!("{title}\n{body}") };
    let v = chorus_semantic::embed(&text);
    let mut dims: Vec<usize> = (0..v.len()).filter(|&d| v[d] != 0.0).collect();
    let order = |a: &usize, b: &usize| v[*b].abs().total_cmp(&v[*a].abs()).then(a.cmp(b));
    if dims.len() > k {
        dims.select_nth_unstable_by(k - 1, order);
        dims.truncate(k);
    }
    for d in dims {
        terms.push((meaning_id(d, v[d] < 0.0), MEANING_WEIGHT));
    }
}

/// The id of the meaning term of dimension `d` with its sign.
pub(crate) fn meaning_id(d: usize, negative: bool) -> u64 {
    let key = ((d as u64) << 1) | u64::from(negative);
    xxh3_64_with_seed(&key.to_le_bytes(), MEANING_SEED)
}

/// Whether a term id is a meaning term (see [`MEANING_TERMS`]).
pub fn is_meaning_term(t: u64) -> bool {
    static IDS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let ids = IDS.get_or_init(|| {
        let dims = chorus_semantic::Model::shipped().dims();
        let mut v: Vec<u64> = (0..dims).flat_map(|d| [meaning_id(d, false), meaning_id(d, true)]).collect();
        v.sort_unstable();
        v
    });
    ids.binary_search(&t).is_ok()
}

/// Seed of the meaning terms' ids, so that they never collide with a
/// word's stem hash by construction.
const MEANING_SEED: u64 = 0x6d65_616e_696e_6700;

#[cfg(test)]
mod tests {
    use super::*;

    fn art(title: &str, text: &str) -> Article {
        Article { title: Some(title.into()), text: text.into(), ..Default::default() }
    }

    #[test]
    fn exact_hash_ignores_layout_case_and_title() {
        let a = Features::of(&art("One", "The dam broke at dawn.\n\nWater rose fast."));
        let b = Features::of(&art("Another", "the dam  broke at dawn. Water rose fast!"));
        assert_eq!(a.exact, b.exact);
        let c = Features::of(&art("One", "The dam held at dawn. Water rose fast."));
        assert_ne!(a.exact, c.exact);
    }

    #[test]
    fn sentence_fingerprints_skip_short_sentences_and_ignore_function_words() {
        let a = Features::of(&art("", "Read more. The river flooded the lower town on Sunday night after heavy rain."));
        assert_eq!(a.sentences.len(), 1);
        let b = Features::of(&art("", "The river flooded lower town Sunday night after the heavy rains!"));
        assert_eq!(a.sentences, b.sentences);
    }

    #[test]
    fn names_weigh_more_except_at_sentence_start() {
        let w = |f: &Features, word: &str| {
            let h = xxh3_64(chorus_text::stem(word).as_bytes());
            f.terms.iter().find(|t| t.0 == h).map(|t| t.1).unwrap_or(0.0)
        };
        let name = Features::of(&art("", "Officials said Varen was closed."));
        let common = Features::of(&art("", "Officials said varen was closed."));
        assert!(w(&name, "varen") > w(&common, "varen"));
        let opening = Features::of(&art("", "Varen was closed."));
        assert_eq!(w(&opening, "varen"), w(&common, "varen"));
    }

    #[test]
    fn title_words_weigh_more() {
        let f = Features::of(&art("Flood", "Rain fell."));
        let g = Features::of(&art("", "Flood. Rain fell."));
        let w = |f: &Features, word: &str| {
            let h = xxh3_64(chorus_text::stem(word).as_bytes());
            f.terms.iter().find(|t| t.0 == h).map(|t| t.1).unwrap_or(0.0)
        };
        assert!(w(&f, "flood") > w(&g, "flood"));
    }

    fn meaning(f: &Features) -> Vec<u64> {
        f.terms.iter().map(|t| t.0).filter(|&t| is_meaning_term(t)).collect()
    }

    #[test]
    fn short_items_get_meaning_terms_long_ones_none() {
        let head = Features::of(&art("Dam breach floods Korvala valley", ""));
        assert_eq!(meaning(&head).len(), MEANING_TERMS);
        let long = Features::of(&art("Dam breach", &"The river rose again overnight. ".repeat(10)));
        assert!(meaning(&long).is_empty());
    }

    #[test]
    fn headlines_of_one_event_share_meaning_terms_without_sharing_words() {
        let shared = |a: &str, b: &str| {
            let (a, b) = (meaning(&Features::of(&art(a, ""))), meaning(&Features::of(&art(b, ""))));
            a.iter().filter(|t| b.contains(t)).count()
        };
        let same = shared("Dam breach floods valley town", "Thousands flee as reservoir wall collapses");
        let other = shared("Dam breach floods valley town", "Central bank raises interest rates again");
        assert!(same > other, "{same} vs {other}");
    }
}
