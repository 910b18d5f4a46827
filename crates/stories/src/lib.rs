//! Which articles are copies of which, which reuse which, and which report
//! the same event.
//!
//! Input: cleaned articles. Output: plain indices; the caller maps them to
//! ids. Nothing here reads files or renders.
//!
//! [`Clusterer`] is incremental (a stream, a store): each article is placed
//! as it arrives, in three steps:
//!
//! 1. **Copies.** The same words after cleaning (an exact hash), or a MinHash
//!    estimate of shingle Jaccard ≥ [`DUPLICATE_JACCARD`] against a candidate
//!    proposed by LSH banding, make the article a duplicate of the first
//!    article of that text.
//! 2. **Syndication.** When at least [`SYNDICATION_SHARE`] of its long
//!    sentences were already printed by earlier articles, it is derived from
//!    them (wire copy with a new lede, a light rewrite).
//! 3. **Stories.** A copy or a derived article joins its original's story.
//!    Any other article is compared, through an inverted index over the
//!    stories' top terms, with the centroids of the stories that share its
//!    best terms (stems weighted by TF-IDF, names — words capitalised inside
//!    a sentence — counting double); the cosine is discounted by the time since the story's
//!    last article; it joins the best story scoring at least [`SIMILARITY`],
//!    or opens a new one.
//!
//! Everything is deterministic: the same articles in the same order give the
//! same result in every run, on any number of threads. [`group`] is the batch
//! form used by `chorus report`: it orders the articles by publication time
//! (see [`arrival_order`]) and feeds them to a [`Clusterer`], computing the
//! per-article [`Features`] in parallel.

pub mod features;
pub mod minhash;
mod rewind;
pub mod sequence;
pub mod time;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use chorus_model::Article;
pub use features::{FEATURES_VERSION, Features};
pub use sequence::{Key, Replaced, Sequencer, TooLate};

/// Estimated shingle Jaccard from which two texts are the same article (a
/// near copy): republished copies differ by a re-worded headline, a dropped
/// paragraph, a correction or site furniture the cleaner missed, which on a
/// news-length text keeps Jaccard well above 0.8, while two outlets writing
/// on one event in their own words stay far below 0.3.
pub const DUPLICATE_JACCARD: f32 = 0.8;

/// Share of an article's long sentences found in earlier articles from which
/// it is derived from them: "reuses most of another's sentences". Half is the
/// plain reading of "most" and leaves room for a new lede and ending.
pub const SYNDICATION_SHARE: f32 = 0.5;

/// An earlier article is named in `derived_from` when it supplied at least
/// this share of the article's long sentences; smaller contributors are
/// quotes of a shared statement rather than a source.
pub const SYNDICATION_SOURCE_SHARE: f32 = 0.25;

/// At least this many reused sentences before an article counts as derived:
/// one shared sentence is a shared quote or a press-release line.
pub const SYNDICATION_MIN_SENTENCES: usize = 2;

/// Cosine (after time decay) from which an article joins a story. Two reports
/// of one event share its names, places and key nouns, which lifts the
/// cosine of an article with its story's centroid to 0.3 and more; articles
/// on unrelated events share only generic news words, which IDF pushes below
/// 0.1. The value sits between, nearer the low side because a missed join
/// splits a story for good while a centroid absorbs a stray article. On the
/// dev set in canonical order BCubed F1 is 0.929 at 0.10 and 0.12 and 0.928
/// at 0.15, then falls (0.867 at 0.18) as recall drops: 0.15 is the
/// plateau's upper end, kept for its precision.
pub const SIMILARITY: f32 = 0.15;

/// Articles within this many days of a story's newest (or before its
/// oldest) article are compared undiscounted: one news cycle, with room for
/// time zones and late pick-ups.
pub const GRACE_DAYS: f32 = 2.0;

/// Beyond the grace period the similarity halves every this many days, so a
/// developing story can go quiet for a week and still absorb a clear
/// follow-up, while a vaguer one opens a new story.
pub const HALF_LIFE_DAYS: f32 = 7.0;

/// A story with no article for this many days no longer takes new ones (a
/// new development a month later is a new story), and leaves the index, so
/// that a long stream keeps a bounded set of live stories.
pub const HORIZON_DAYS: f32 = 30.0;

/// An article's vector keeps its strongest terms only: past the first 150
/// (a long article has 300 to 600 distinct stems), terms are incidental
/// words whose weight is a rounding error in the cosine but whose centroid
/// entries cost memory.
pub const ARTICLE_TERMS: usize = 150;

/// A story centroid keeps this many terms: room for the several facets a
/// developing story gains, bounded so a thousand-article story costs no more
/// than a few articles.
pub const CENTROID_TERMS: usize = 500;

/// Candidate stories are looked up by the article's strongest terms among
/// those that index some story, and indexed by their centroid's strongest
/// terms. Two reports of one event share several of their top twenty
/// terms. Terms that index no story are left out of the query: under IDF
/// the heaviest terms of a long article are often words no earlier article
/// used (names, figures, asides), which cannot propose a candidate; taken
/// first, they pushed the story's own words out of the query, and on
/// clustering-dev one article in twenty found no candidate at all (BCubed
/// F1 0.907 → 0.928 with them left out, the same for 10 to 40 terms).
pub const INDEX_TERMS: usize = 20;

/// At most this many stories are read from one posting list, newest first:
/// a term common to thousands of live stories (possible only without dates,
/// when nothing expires) is a weak clue, and the other query terms still
/// find the right story.
pub const MAX_SCAN: usize = 1000;

/// Exact cosines are computed for at most this many candidates, those sharing
/// the most query weight.
pub const MAX_CANDIDATES: usize = 32;

/// Expired stories are swept from the index after every this many articles.
const SWEEP_EVERY: usize = 1024;

/// The thresholds of one [`Clusterer`]; [`Default`] gives the documented
/// constants of this module.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub duplicate_jaccard: f32,
    pub syndication_share: f32,
    pub syndication_source_share: f32,
    pub syndication_min_sentences: usize,
    pub similarity: f32,
    pub grace_days: f32,
    pub half_life_days: f32,
    pub horizon_days: f32,
    pub article_terms: usize,
    pub centroid_terms: usize,
    pub index_terms: usize,
    pub max_scan: usize,
    pub max_candidates: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            duplicate_jaccard: DUPLICATE_JACCARD,
            syndication_share: SYNDICATION_SHARE,
            syndication_source_share: SYNDICATION_SOURCE_SHARE,
            syndication_min_sentences: SYNDICATION_MIN_SENTENCES,
            similarity: SIMILARITY,
            grace_days: GRACE_DAYS,
            half_life_days: HALF_LIFE_DAYS,
            horizon_days: HORIZON_DAYS,
            article_terms: ARTICLE_TERMS,
            centroid_terms: CENTROID_TERMS,
            index_terms: INDEX_TERMS,
            max_scan: MAX_SCAN,
            max_candidates: MAX_CANDIDATES,
        }
    }
}

/// How articles fold into stories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grouping {
    /// Stories in the order they opened, each a list of article indices (into
    /// the input) in arrival order; the first one opened the story.
    pub stories: Vec<Vec<usize>>,
    /// For each article, the article it is an exact or near copy of (always
    /// an original, never another copy).
    pub duplicate_of: Vec<Option<usize>>,
    /// For each article, the earlier articles it reuses most of (syndication),
    /// the largest contributor first.
    pub derived_from: Vec<Vec<usize>>,
}

impl Grouping {
    /// Whether article `i` is independent (neither a copy nor derived).
    pub fn is_independent(&self, i: usize) -> bool {
        self.duplicate_of[i].is_none() && self.derived_from[i].is_empty()
    }
}

/// Where one article went. Indices count articles in the order they were
/// added to the [`Clusterer`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assignment {
    /// The story, named by the index of the article that opened it.
    pub story: usize,
    pub duplicate_of: Option<usize>,
    pub derived_from: Vec<usize>,
}

/// One story's clustering state.
#[derive(Debug, Clone)]
struct StoryState {
    /// Arrival index of the article that opened it.
    opener: u32,
    /// Sum of its independent members' vectors, sorted by term.
    centroid: Vec<(u64, f32)>,
    norm: f32,
    /// Terms under which it is in the index, sorted.
    indexed: Vec<u64>,
    /// Oldest and newest publication time of its members.
    first: Option<i64>,
    last: Option<i64>,
    /// Past the horizon: out of the index, centroid dropped.
    expired: bool,
    /// Articles in it.
    size: u32,
}

/// Places articles into stories one at a time, as a stream brings them.
/// Articles are numbered by arrival: the first added is 0.
///
/// To rebuild the state of a store, replay its articles in their stored
/// order: the assignments come out the same as when they were first added.
#[derive(Debug, Default)]
pub struct Clusterer {
    params: Params,
    /// Per article: its original (itself unless a copy) and its story.
    root: Vec<u32>,
    story_of: Vec<u32>,
    /// Exact-text hash → first article with it.
    exact: FxHashMap<u64, u32>,
    /// LSH band key → first article with it.
    bands: FxHashMap<u64, u32>,
    /// MinHash signatures, `minhash::HASHES` per article that has one
    /// (in arrival order, those of expired stories freed), the article of
    /// each, and each article's slot.
    signatures: Vec<u32>,
    signature_of: Vec<u32>,
    signature_at: Vec<u32>,
    /// Long-sentence fingerprint → first article that printed it.
    sentences: FxHashMap<u64, u32>,
    /// Document frequencies over independent articles, and their count.
    df: FxHashMap<u64, u32>,
    docs: u32,
    stories: Vec<StoryState>,
    /// Term → stories indexed under it, in the order they were indexed.
    postings: FxHashMap<u64, Vec<u32>>,
    /// Newest publication time seen.
    clock: Option<i64>,
    since_sweep: usize,
    /// Articles whose copy and syndication entries are held, and how many
    /// of them are in expired stories (freed by the next purge).
    held: usize,
    dead: usize,
    /// Scratch: partial candidate scores by story, all zero between calls.
    partial: Vec<f32>,
    /// How many of the last additions can be taken back ([`Clusterer::rewind`]);
    /// 0 for a batch, which never needs to.
    window: usize,
    /// What each of those additions changed, oldest first.
    undo: std::collections::VecDeque<rewind::Undo>,
    /// The record of the addition under way.
    pending: Option<rewind::Undo>,
}

const NO_SIGNATURE: u32 = u32::MAX;

impl Clusterer {
    pub fn new() -> Self {
        Self::with_params(Params::default())
    }

    pub fn with_params(params: Params) -> Self {
        Clusterer { params, ..Default::default() }
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    /// How many articles were added.
    pub fn len(&self) -> usize {
        self.root.len()
    }

    pub fn is_empty(&self) -> bool {
        self.root.is_empty()
    }

    /// How many stories are open (expired ones included).
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// The story of article `i` (by arrival), named by its opener.
    pub fn story_of(&self, i: usize) -> Option<usize> {
        self.story_of.get(i).map(|&s| self.stories[s as usize].opener as usize)
    }

    /// Adds the next article and says where it goes.
    pub fn add(&mut self, article: &Article) -> Assignment {
        self.add_features(Features::of(article))
    }

    /// Adds the next article by its precomputed [`Features`] (compute them in
    /// parallel with [`Features::of`]; the result is the same as [`add`]).
    ///
    /// [`add`]: Clusterer::add
    pub fn add_features(&mut self, f: Features) -> Assignment {
        let i = self.root.len() as u32;
        if self.window > 0 {
            self.pending = Some(rewind::Undo::start(self.clock, self.since_sweep));
        }
        if let Some(t) = f.time {
            self.clock = Some(self.clock.map_or(t, |c| c.max(t)));
        }

        let duplicate_of = self.find_duplicate(i, &f);
        let derived_from = if duplicate_of.is_none() { self.find_sources(&f) } else { Vec::new() };
        for &h in &f.sentences {
            let old = self.sentences.get(&h).copied();
            if old.is_none_or(|j| !self.holds(j)) {
                self.sentences.insert(h, i);
                if let Some(u) = &mut self.pending {
                    u.sentences.push((h, old));
                }
            }
        }
        self.root.push(duplicate_of.unwrap_or(i));
        self.held += 1;

        let story = match (duplicate_of, derived_from.first()) {
            (Some(d), _) => self.story_of[d as usize],
            (None, Some(&s)) => self.story_of[s as usize],
            (None, None) => self.place(i, &f),
        };
        self.story_of.push(story);
        // A copy of an article whose story is past the horizon does not
        // bring that story back: once expired, a story stays expired,
        // whenever the sweep happens to run.
        let live = self.live(&self.stories[story as usize]);
        let st = &mut self.stories[story as usize];
        st.size += 1;
        if let Some(u) = &mut self.pending {
            u.story = story;
            u.first = st.first;
            u.last = st.last;
        }
        if let Some(t) = f.time
            && live
        {
            st.first = Some(st.first.map_or(t, |x| x.min(t)));
            st.last = Some(st.last.map_or(t, |x| x.max(t)));
        }
        let opener = st.opener as usize;

        if let Some(mut u) = self.pending.take() {
            u.features = f;
            self.undo.push_back(u);
            if self.undo.len() > self.window {
                self.undo.pop_front();
            }
        }
        self.since_sweep += 1;
        if self.since_sweep >= SWEEP_EVERY {
            self.since_sweep = 0;
            self.sweep();
        }
        Assignment {
            story: opener,
            duplicate_of: duplicate_of.map(|d| d as usize),
            derived_from: derived_from.into_iter().map(|d| d as usize).collect(),
        }
    }

    /// The original this article copies, exactly or nearly; records its
    /// hashes either way.
    fn find_duplicate(&mut self, i: u32, f: &Features) -> Option<u32> {
        let old = self.exact.get(&f.exact).copied();
        let mut dup = old.filter(|&j| self.holds(j)).map(|j| self.root[j as usize]);
        if dup.is_none() {
            self.exact.insert(f.exact, i);
            if let Some(u) = &mut self.pending {
                u.exact = Some(old);
            }
        }
        if f.signature.is_empty() {
            self.signature_at.push(NO_SIGNATURE);
            return dup;
        }
        let keys: Vec<u64> = minhash::band_keys(&f.signature).collect();
        if dup.is_none() {
            let mut best: Option<(f32, u32)> = None;
            for k in &keys {
                let Some(&j) = self.bands.get(k) else { continue };
                if !self.holds(j) {
                    continue;
                }
                let at = self.signature_at[j as usize];
                let sig = &self.signatures[at as usize * minhash::HASHES..(at as usize + 1) * minhash::HASHES];
                let jac = minhash::jaccard(&f.signature, sig);
                let root = self.root[j as usize];
                if jac >= self.params.duplicate_jaccard && best.is_none_or(|(b, r)| jac > b || (jac == b && root < r)) {
                    best = Some((jac, root));
                }
            }
            dup = best.map(|(_, r)| r);
        }
        for k in keys {
            let old = self.bands.get(&k).copied();
            if old.is_none_or(|j| !self.holds(j)) {
                self.bands.insert(k, i);
                if let Some(u) = &mut self.pending {
                    u.bands.push((k, old));
                }
            }
        }
        self.signature_at.push(self.signature_of.len() as u32);
        self.signature_of.push(i);
        self.signatures.extend_from_slice(&f.signature);
        dup
    }

    /// Whether article `j`'s copy and syndication entries still count: its
    /// story is live (see [`Clusterer::live`]), or it is the article being
    /// added. An entry of an expired story counts as absent, whether or not
    /// a purge has freed it yet, and a new article takes its key.
    fn holds(&self, j: u32) -> bool {
        self.story_of.get(j as usize).is_none_or(|&s| self.live(&self.stories[s as usize]))
    }

    /// The earlier articles this one reuses most of, largest contributor
    /// first; empty when it is not derived.
    fn find_sources(&self, f: &Features) -> Vec<u32> {
        let m = f.sentences.len();
        if m < self.params.syndication_min_sentences {
            return Vec::new();
        }
        let mut hits: Vec<(u32, usize)> = Vec::new();
        for h in &f.sentences {
            if let Some(&j) = self.sentences.get(h) {
                if !self.holds(j) {
                    continue;
                }
                let r = self.root[j as usize];
                match hits.iter_mut().find(|(s, _)| *s == r) {
                    Some(e) => e.1 += 1,
                    None => hits.push((r, 1)),
                }
            }
        }
        let min_hits = (self.params.syndication_source_share * m as f32).ceil() as usize;
        hits.retain(|&(_, n)| n >= min_hits.max(1));
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let reused: usize = hits.iter().map(|h| h.1).sum();
        if reused < self.params.syndication_min_sentences || (reused as f32) < self.params.syndication_share * m as f32
        {
            return Vec::new();
        }
        hits.into_iter().map(|h| h.0).collect()
    }

    /// The story an independent article joins (opening one if none fits);
    /// updates document frequencies, the centroid and the index.
    fn place(&mut self, i: u32, f: &Features) -> u32 {
        self.docs += 1;
        let df: Vec<u32> = f
            .terms
            .iter()
            .map(|&(t, _)| {
                let d = self.df.entry(t).or_insert(0);
                *d += 1;
                *d
            })
            .collect();
        let vector = self.weigh(f, &df);
        let norm = vector.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
        let best = if norm > 0.0 { self.best_story(&vector, norm, f.time) } else { None };
        let s = match best {
            Some(s) => s,
            None => {
                self.stories.push(StoryState {
                    opener: i,
                    centroid: Vec::new(),
                    norm: 0.0,
                    indexed: Vec::new(),
                    first: None,
                    last: None,
                    expired: false,
                    size: 0,
                });
                (self.stories.len() - 1) as u32
            }
        };
        if let Some(u) = &mut self.pending {
            u.placed = Some(rewind::Placed { opened: best.is_none(), ..Default::default() });
        }
        self.absorb(s, &vector);
        s
    }

    /// The article's TF-IDF vector, L2-normalised, cut to its strongest
    /// terms, sorted by term; `df` holds its terms' document frequencies.
    fn weigh(&self, f: &Features, df: &[u32]) -> Vec<(u64, f32)> {
        // Smoothed IDF from the stream so far (this article included):
        // ln((1 + N) / (1 + df)) + 1 keeps every weight positive, so on a
        // handful of articles (one event, every word shared) cosines stay
        // meaningful instead of collapsing to zero.
        let n = self.docs as f32;
        let mut v: Vec<(u64, f32)> = f
            .terms
            .iter()
            .zip(df)
            .map(|(&(t, tf), &df)| (t, tf * (((1.0 + n) / (1.0 + df as f32)).ln() + 1.0)))
            .collect();
        let norm = v.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for t in &mut v {
                t.1 /= norm;
            }
        }
        top_terms(&mut v, self.params.article_terms);
        v
    }

    /// The live story the vector fits best, if any reaches the threshold.
    fn best_story(&mut self, vector: &[(u64, f32)], norm: f32, time: Option<i64>) -> Option<u32> {
        // The strongest terms that index some story: a term no story is
        // indexed under (a word this article is the first to use, which
        // weighs most under IDF) cannot propose a candidate, and in the
        // query it would push out the story's own words.
        let mut query: Vec<(u64, f32)> =
            vector.iter().copied().filter(|(t, _)| self.postings.contains_key(t)).collect();
        heaviest_first(&mut query, self.params.index_terms);
        let mut partial = std::mem::take(&mut self.partial);
        partial.resize(self.stories.len(), 0.0);
        let mut touched: Vec<u32> = Vec::new();
        for (t, w) in &query {
            let Some(list) = self.postings.get(t) else { continue };
            // Only live stories count towards the scan: whether an expired
            // one has been swept from the list yet must not change the
            // candidates.
            for &s in list.iter().rev().filter(|&&s| self.live(&self.stories[s as usize])).take(self.params.max_scan) {
                let p = &mut partial[s as usize];
                if *p == 0.0 {
                    touched.push(s);
                }
                *p += w;
            }
        }
        let mut candidates: Vec<(u32, f32)> = touched.iter().map(|&s| (s, partial[s as usize])).collect();
        for &s in &touched {
            partial[s as usize] = 0.0;
        }
        self.partial = partial;
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let keep = self.params.max_candidates;
        if candidates.len() > keep && keep > 0 {
            candidates.select_nth_unstable_by(keep - 1, order);
        }
        candidates.truncate(keep);
        // A short article's word terms, for the cosine on words alone.
        let words = vector.iter().any(|&(t, _)| features::is_meaning_term(t)).then(|| {
            let w: Vec<(u64, f32)> = vector.iter().copied().filter(|&(t, _)| !features::is_meaning_term(t)).collect();
            let n = w.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
            (w, n)
        });
        let mut best: Option<(f32, u32)> = None;
        for (s, _) in candidates {
            let st = &self.stories[s as usize];
            let decay = self.decay(st, time);
            if decay <= 0.0 || st.norm <= 0.0 {
                continue;
            }
            let mut score = dot(vector, &st.centroid) / (norm * st.norm) * decay;
            // Meaning terms may add a join, never cost one: a short article
            // scores at least what its words alone score (against a story
            // of full texts, whose centroid has no meaning terms, they
            // would only dilute it).
            if let Some((words, words_norm)) = &words {
                score = score.max(words_cosine(words, *words_norm, &st.centroid) * decay);
            }
            if score >= self.params.similarity && best.is_none_or(|(b, bs)| score > b || (score == b && s < bs)) {
                best = Some((score, s));
            }
        }
        best.map(|(_, s)| s)
    }

    /// How much a story's similarity counts for an article at `time`: 1
    /// within the grace period of the story's span, halving every half-life
    /// beyond it, 0 past the horizon. Undated on either side: 1.
    fn decay(&self, st: &StoryState, time: Option<i64>) -> f32 {
        let (Some(t), Some(first), Some(last)) = (time, st.first, st.last) else { return 1.0 };
        let gap = if t < first {
            first - t
        } else if t > last {
            t - last
        } else {
            0
        };
        let days = gap as f32 / 86_400.0;
        if days > self.params.horizon_days {
            0.0
        } else if days <= self.params.grace_days {
            1.0
        } else {
            0.5f32.powf((days - self.params.grace_days) / self.params.half_life_days)
        }
    }

    /// Adds a vector to a story's centroid and indexes the story under the
    /// centroid's strongest terms.
    fn absorb(&mut self, s: u32, vector: &[(u64, f32)]) {
        let centroid_terms = self.params.centroid_terms;
        let index_terms = self.params.index_terms;
        let st = &mut self.stories[s as usize];
        let was_expired = std::mem::replace(&mut st.expired, false);
        let mut merged = merge_sum(&st.centroid, vector);
        if merged.len() > centroid_terms {
            top_terms(&mut merged, centroid_terms);
        }
        let old_norm = std::mem::replace(&mut st.norm, merged.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt());
        let old_centroid = std::mem::replace(&mut st.centroid, merged);
        let mut top: Vec<(u64, f32)> = st.centroid.clone();
        heaviest_first(&mut top, index_terms);
        let mut added = Vec::new();
        for &(t, _) in &top {
            if let Err(at) = st.indexed.binary_search(&t) {
                st.indexed.insert(at, t);
                self.postings.entry(t).or_default().push(s);
                added.push(t);
            }
        }
        if let Some(p) = self.pending.as_mut().and_then(|u| u.placed.as_mut()) {
            p.centroid = old_centroid;
            p.norm = old_norm;
            p.expired = was_expired;
            p.indexed = added;
        }
    }

    /// Whether a story can still take articles: not retired, and its newest
    /// article within the horizon of the newest time seen.
    fn live(&self, st: &StoryState) -> bool {
        let horizon = (self.params.horizon_days * 86_400.0) as i64;
        !st.expired && !matches!((st.last, self.clock), (Some(l), Some(c)) if l < c - horizon)
    }

    /// Retires stories past the horizon: out of the index, centroid freed.
    /// The horizon is measured from the clock before the oldest addition
    /// that can still be taken back, so that a rewind never needs a
    /// retired story back.
    fn sweep(&mut self) {
        let settled = match self.undo.front() {
            Some(u) if self.window > 0 => u.clock,
            _ => self.clock,
        };
        let Some(clock) = settled else { return };
        let horizon = (self.params.horizon_days * 86_400.0) as i64;
        let mut any = false;
        for st in &mut self.stories {
            if !st.expired && st.last.is_some_and(|l| l < clock - horizon) {
                st.expired = true;
                st.centroid = Vec::new();
                st.indexed = Vec::new();
                self.dead += st.size as usize;
                any = true;
            }
        }
        if any {
            let stories = &self.stories;
            self.postings.retain(|_, list| {
                list.retain(|&s| !stories[s as usize].expired);
                !list.is_empty()
            });
        }
        if self.dead * 2 > self.held {
            self.purge();
        }
    }

    /// Frees the copy and syndication entries (exact hashes, LSH bands,
    /// signatures, sentence fingerprints) of the articles of expired
    /// stories, which [`Clusterer::holds`] already ignores: what a stream
    /// keeps is bounded by its live stories, not by every article it has
    /// seen. Run when they are at least half of what is held, so that each
    /// entry is visited a bounded number of times.
    fn purge(&mut self) {
        let (stories, story_of) = (&self.stories, &self.story_of);
        let dead = |j: u32| stories[story_of[j as usize] as usize].expired;
        self.exact.retain(|_, j| !dead(*j));
        self.bands.retain(|_, j| !dead(*j));
        self.sentences.retain(|_, j| !dead(*j));
        let mut kept = 0;
        for slot in 0..self.signature_of.len() {
            let owner = self.signature_of[slot];
            if dead(owner) {
                self.signature_at[owner as usize] = NO_SIGNATURE;
                continue;
            }
            if kept != slot {
                let h = minhash::HASHES;
                self.signatures.copy_within(slot * h..(slot + 1) * h, kept * h);
                self.signature_of[kept] = owner;
                self.signature_at[owner as usize] = kept as u32;
            }
            kept += 1;
        }
        self.signature_of.truncate(kept);
        self.signatures.truncate(kept * minhash::HASHES);
        self.held -= self.dead;
        self.dead = 0;
    }
}

/// Keeps the `n` heaviest terms (ties by term), sorted by term.
fn top_terms(v: &mut Vec<(u64, f32)>, n: usize) {
    heaviest_first(v, n);
    v.sort_unstable_by_key(|t| t.0);
}

/// Puts the `n` heaviest terms (ties by term) first, in that order, and cuts
/// the rest; a partial selection, not a full sort.
fn heaviest_first(v: &mut Vec<(u64, f32)>, n: usize) {
    let order = |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if v.len() > n && n > 0 {
        v.select_nth_unstable_by(n - 1, order);
    }
    v.truncate(n);
    v.sort_unstable_by(order);
}

/// Dot product of two term-sorted sparse vectors.
fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Cosine of an article's word terms (`words`, of norm `norm`) with a
/// centroid's word terms: meaning terms left out of the centroid's norm.
fn words_cosine(words: &[(u64, f32)], norm: f32, centroid: &[(u64, f32)]) -> f32 {
    let c2: f32 = centroid.iter().filter(|&&(t, _)| !features::is_meaning_term(t)).map(|t| t.1 * t.1).sum();
    if norm == 0.0 || c2 == 0.0 { 0.0 } else { dot(words, centroid) / (norm * c2.sqrt()) }
}

/// Sum of two term-sorted sparse vectors.
fn merge_sum(a: &[(u64, f32)], b: &[(u64, f32)]) -> Vec<(u64, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

/// The order in which [`group`] takes articles: the canonical order of
/// [`Key`] (publication time, then the longer text, then article id;
/// undated articles first), so that the same articles give the same
/// stories in whatever order they are given. Articles with equal keys (no
/// id, the same time and length) keep their input order.
pub fn arrival_order(articles: &[Article]) -> Vec<usize> {
    arrival_order_with(articles, &|i| articles[i].text.len())
}

/// [`arrival_order`] for articles whose texts are kept elsewhere:
/// `text_len(i)` is the length in bytes of article `i`'s text.
pub fn arrival_order_with(articles: &[Article], text_len: &dyn Fn(usize) -> usize) -> Vec<usize> {
    let keys: Vec<(Option<i64>, std::cmp::Reverse<usize>)> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.published.as_deref().and_then(time::parse_seconds), std::cmp::Reverse(text_len(i))))
        .collect();
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then_with(|| articles[a].id.cmp(&articles[b].id)));
    order
}

/// Articles whose features are computed in one parallel batch while the
/// previous batch is being placed: large enough to keep both cores busy,
/// small enough that the features in flight stay a few megabytes.
const BATCH: usize = 2048;

/// Groups a batch of articles with the default [`Params`].
pub fn group(articles: &[Article]) -> Grouping {
    group_with(articles, &Params::default())
}

/// Groups a batch of articles: in [`arrival_order`], through a
/// [`Clusterer`]. Indices in the result are positions in `articles`.
pub fn group_with(articles: &[Article], params: &Params) -> Grouping {
    group_observed(articles, params, &|_, _| {})
}

/// [`group_with`], telling `progress` after each batch how many articles are
/// placed and how many stories are open (for a progress bar).
pub fn group_observed(articles: &[Article], params: &Params, progress: &(dyn Fn(usize, usize) + Sync)) -> Grouping {
    let compute =
        |chunk: &[usize]| -> Vec<Features> { chunk.par_iter().map(|&i| Features::of(&articles[i])).collect() };
    group_ordered(&arrival_order(articles), params, progress, &compute)
}

/// [`group_observed`] for a caller that keeps the articles' texts
/// elsewhere (a run too large to hold them): `order` is their
/// [`arrival_order`], and `features` gives the [`Features`] of a batch of
/// article indices, in the batch's order. The result is the same as
/// [`group_observed`]'s when `features` computes [`Features::of`].
pub fn group_ordered(
    order: &[usize],
    params: &Params,
    progress: &(dyn Fn(usize, usize) + Sync),
    features: &(dyn Fn(&[usize]) -> Vec<Features> + Sync),
) -> Grouping {
    let mut c = Clusterer::with_params(params.clone());
    let mut assignments: Vec<Assignment> = Vec::with_capacity(order.len());
    let compute = |chunk: &[usize]| features(chunk);
    let mut chunks = order.chunks(BATCH);
    let mut current = chunks.next().map(compute).unwrap_or_default();
    loop {
        let next_chunk = chunks.next();
        let (placed, next) = rayon::join(
            || current.into_iter().map(|f| c.add_features(f)).collect::<Vec<_>>(),
            || next_chunk.map(compute),
        );
        assignments.extend(placed);
        progress(assignments.len(), c.story_count());
        match next {
            Some(n) => current = n,
            None => break,
        }
    }

    let n = order.len();
    let mut g = Grouping { stories: Vec::new(), duplicate_of: vec![None; n], derived_from: vec![Vec::new(); n] };
    let mut story_slot: FxHashMap<usize, usize> = FxHashMap::default();
    for (k, asg) in assignments.into_iter().enumerate() {
        let i = order[k];
        let slot = *story_slot.entry(asg.story).or_insert_with(|| {
            g.stories.push(Vec::new());
            g.stories.len() - 1
        });
        g.stories[slot].push(i);
        g.duplicate_of[i] = asg.duplicate_of.map(|d| order[d]);
        g.derived_from[i] = asg.derived_from.iter().map(|&d| order[d]).collect();
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three outlets on one invented flood, three on one invented art theft,
    /// each in its own words.
    const FLOOD: [(&str, &str); 3] = [
        (
            "Callen River bursts its banks in Marrowby",
            "Floodwater swept through the riverside town of Marrowby on Tuesday after the Callen River burst its banks.\n\
             Emergency crews evacuated about 400 residents from homes near the old mill.\n\
             Mayor Ilse Vantorp said the water rose faster than any flood in forty years.\n\
             The regional weather office recorded 120 millimetres of rain in 24 hours.\n\
             Schools in Marrowby will stay closed until the water recedes.",
        ),
        (
            "Hundreds evacuated as Marrowby floods",
            "Rescue teams moved hundreds of people out of Marrowby as the Callen River flooded the town centre.\n\
             Ilse Vantorp, the town's mayor, called the flood the worst in four decades.\n\
             Heavy rain, more than 120 millimetres in a day, swelled the river overnight.\n\
             Residents near the mill were taken to a sports hall on higher ground.\n\
             The Marrowby flood is expected to peak on Wednesday morning.",
        ),
        (
            "Marrowby mayor warns of second flood peak",
            "The mayor of Marrowby warned on Wednesday that the Callen River could rise again.\n\
             Vantorp said emergency crews had evacuated around 400 residents since the river burst its banks.\n\
             Forecasters expect more rain over the Callen valley before the weekend.\n\
             Volunteers filled sandbags outside the flooded mill and the town hall.\n\
             Insurers said flood claims from Marrowby were already arriving.",
        ),
    ];
    const THEFT: [(&str, &str); 3] = [
        (
            "Three paintings stolen from Halvard Gallery",
            "Thieves stole three paintings from the Halvard Gallery in Linnfield during a night-time break-in.\n\
             Police said the burglars cut through a skylight and disabled an alarm sensor.\n\
             The stolen works include a portrait by the painter Oskar Brenn valued at two million.\n\
             Gallery director Petra Maelstrand said the collection was insured.\n\
             Detectives are reviewing camera footage from streets around the gallery.",
        ),
        (
            "Linnfield police hunt gallery thieves",
            "Linnfield police are searching for burglars who took three canvases from the Halvard Gallery.\n\
             The thieves entered through the roof and were inside for less than ten minutes, detectives said.\n\
             Among the missing paintings is a portrait by Oskar Brenn.\n\
             Petra Maelstrand, who runs the gallery, appealed for witnesses.\n\
             The gallery will remain closed while forensic teams examine the building.",
        ),
        (
            "Reward offered for stolen Brenn portrait",
            "The Halvard Gallery has offered a reward for information on the portrait by Oskar Brenn stolen this week.\n\
             Director Petra Maelstrand said the thieves knew exactly which paintings to take.\n\
             Police in Linnfield believe the break-in through a skylight was planned for weeks.\n\
             Art crime specialists warned that famous paintings are almost impossible to sell openly.\n\
             Detectives have asked pawn shops and auction houses to watch for the canvases.",
        ),
    ];

    fn art(title: &str, text: &str, published: Option<&str>) -> Article {
        Article {
            title: Some(title.into()),
            text: text.into(),
            published: published.map(str::to_string),
            ..Default::default()
        }
    }

    /// Both stories with dates a day apart, an exact copy and a wire
    /// rewrite: every kind of state an addition changes.
    pub(crate) fn sample() -> Vec<Article> {
        let mut v = mixed();
        for (k, a) in v.iter_mut().enumerate() {
            a.published = Some(format!("2024-03-{:02}T10:00:00Z", 1 + k));
        }
        v.push(art("Flood hits town", &FLOOD[0].1.replace('\n', "\n\n"), Some("2024-03-08")));
        let body: Vec<&str> = THEFT[0].1.lines().collect();
        let rewrite = format!(
            "Art lovers in the city woke to shocking news on Friday morning.\n{}\n{}\n{}\n{}",
            body[0], body[1], body[2], body[4]
        );
        v.push(art("Gallery raid shocks city", &rewrite, Some("2024-03-09")));
        v
    }

    fn mixed() -> Vec<Article> {
        // Interleaved, an hour apart: input order is canonical order.
        let mut v = Vec::new();
        for k in 0..3 {
            v.push(art(FLOOD[k].0, FLOOD[k].1, Some(&format!("2024-03-01T0{}:00:00Z", 2 * k))));
            v.push(art(THEFT[k].0, THEFT[k].1, Some(&format!("2024-03-01T0{}:00:00Z", 2 * k + 1))));
        }
        v
    }

    #[test]
    fn two_unrelated_stories_split_cleanly() {
        let g = group(&mixed());
        assert_eq!(g.stories, vec![vec![0, 2, 4], vec![1, 3, 5]]);
        assert!((0..6).all(|i| g.is_independent(i)), "{g:?}");
    }

    #[test]
    fn a_single_article_is_a_story() {
        let g = group(&[art(FLOOD[0].0, FLOOD[0].1, None)]);
        assert_eq!(g.stories, vec![vec![0]]);
        assert_eq!(g.duplicate_of, vec![None]);
        let mut c = Clusterer::new();
        assert_eq!(c.add(&art(THEFT[0].0, THEFT[0].1, None)).story, 0);
        assert_eq!(group(&[]), Grouping::default());
    }

    #[test]
    fn exact_and_near_copies_point_to_the_original() {
        let mut v = mixed();
        // Exact copy: other headline, other layout.
        v.push(art("Flood hits town", &FLOOD[0].1.replace('\n', "\n\n"), Some("2024-03-02T00:00:00Z")));
        // Near copy: a closing line added and one word changed, on a
        // news-length article (a one-word edit of a five-sentence brief
        // moves shingle Jaccard too far to call it a copy).
        let long = format!("{}\n{}", THEFT[1].1, THEFT[2].1);
        v.push(art(THEFT[1].0, &long, Some("2024-03-02T01:00:00Z")));
        let near = format!("{}\nThis article was updated.", long.replace("ten minutes", "nine minutes"));
        v.push(art(THEFT[1].0, &near, Some("2024-03-02T02:00:00Z")));
        let g = group(&v);
        assert_eq!(g.duplicate_of[6], Some(0));
        assert_eq!(g.duplicate_of[8], Some(7));
        assert!(g.stories[0].contains(&6) && g.stories[1].contains(&8), "{g:?}");
        assert!(!g.is_independent(6) && !g.is_independent(8));
        // A copy of a copy points to the original.
        v.push(art("Again", FLOOD[0].1, Some("2024-03-02T03:00:00Z")));
        assert_eq!(group(&v).duplicate_of[9], Some(0));
    }

    #[test]
    fn a_new_lede_on_wire_copy_is_derived() {
        let mut v = mixed();
        let body: Vec<&str> = THEFT[0].1.lines().collect();
        let rewrite = format!(
            "Art lovers in the city woke to shocking news on Friday morning.\n{}\n{}\n{}\n{}",
            body[0], body[1], body[2], body[4]
        );
        v.push(art("Gallery raid shocks city", &rewrite, Some("2024-03-02T00:00:00Z")));
        let g = group(&v);
        assert_eq!(g.duplicate_of[6], None);
        assert_eq!(g.derived_from[6], vec![1]);
        assert!(g.stories[1].contains(&6));
        assert!(!g.is_independent(6));
    }

    #[test]
    fn sharing_one_sentence_is_not_syndication() {
        let mut v = mixed();
        let first = FLOOD[0].1.lines().next().unwrap();
        v.push(art(
            "Rain keeps falling",
            &format!(
                "{first}\nThe valley has had the wettest month on record.\nFarmers report fields under water.\n\
                 Road closures remain in place across the district."
            ),
            None,
        ));
        assert!(group(&v).derived_from[6].is_empty());
    }

    #[test]
    fn same_input_same_grouping_on_any_number_of_threads() {
        // Enough articles for several parallel batches.
        let base = mixed();
        let many: Vec<Article> = (0..BATCH * 2 + 100)
            .map(|i| {
                let a = &base[i % base.len()];
                let salt = format!("Report {i} adds that witness number {} spoke to reporters.", i * 7);
                art(a.title.as_deref().unwrap_or(""), &format!("{}\n{salt}", a.text), None)
            })
            .collect();
        let g = group(&many);
        assert_eq!(g, group(&many));
        let single = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| group(&many));
        assert_eq!(g, single);
        let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap().install(|| group(&many));
        assert_eq!(g, four);
    }

    #[test]
    fn incremental_equals_batch() {
        let mut v = mixed();
        v[0].published = Some("2024-03-02".into());
        v[3].published = Some("2024-03-01T08:00:00Z".into());
        v.push(art("Flood hits town", FLOOD[2].1, Some("2024-03-03")));
        let g = group(&v);
        let order = arrival_order(&v);
        let mut c = Clusterer::new();
        for (k, &i) in order.iter().enumerate() {
            let a = c.add(&v[i]);
            assert_eq!(order[a.story], g.stories.iter().find(|s| s.contains(&i)).unwrap()[0]);
            assert_eq!(a.duplicate_of.map(|d| order[d]), g.duplicate_of[i]);
            assert_eq!(c.story_of(k), Some(a.story));
        }
    }

    #[test]
    fn canonical_order_is_time_then_length_then_id_with_undated_first() {
        let mut v: Vec<Article> = (0..5).map(|k| Article { id: format!("{}", 5 - k), ..Default::default() }).collect();
        v[0].published = Some("2024-01-05".into());
        v[2].published = Some("2024-01-01".into());
        v[4].published = Some("2024-01-01".into());
        // Undated 3 ("2") and 1 ("4") by id, then 4 ("1") and 2 ("3") on
        // the same day by id, then 0.
        assert_eq!(arrival_order(&v), vec![3, 1, 4, 2, 0]);
        let mut shuffled = v.clone();
        shuffled.reverse();
        let order: Vec<&str> = arrival_order(&shuffled).iter().map(|&i| shuffled[i].id.as_str()).collect();
        assert_eq!(order, ["2", "4", "1", "3", "5"]);
    }

    #[test]
    fn shuffled_input_gives_the_same_stories() {
        let mut v = sample();
        for (k, a) in v.iter_mut().enumerate() {
            a.id = format!("id{k}");
        }
        let named = |g: &Grouping, arts: &[Article]| {
            let mut s: Vec<Vec<String>> =
                g.stories.iter().map(|m| m.iter().map(|&i| arts[i].id.clone()).collect()).collect();
            s.sort();
            s
        };
        let want = named(&group(&v), &v);
        let mut w = v.clone();
        w.reverse();
        w.swap(1, 4);
        assert_eq!(named(&group(&w), &w), want);
    }

    /// A report that names many things no earlier article named (a long
    /// feature, a spec sheet) still finds its story: words that index no
    /// story do not crowd the story's own words out of the query.
    #[test]
    fn words_no_story_has_do_not_hide_the_story() {
        let names: Vec<String> =
            (0..40).map(|k| format!("Zq{}x{}", ["ab", "ce", "di", "fo", "gu"][k % 5], k * 7919 % 1000)).collect();
        let extra: String = names.iter().map(|n| format!("Officials met {n} and {n} again.\n")).collect();
        let v = vec![
            art(FLOOD[0].0, FLOOD[0].1, Some("2024-03-01T00:00:00Z")),
            art(FLOOD[1].0, &format!("{}\n{extra}", FLOOD[1].1), Some("2024-03-01T01:00:00Z")),
        ];
        assert_eq!(group(&v).stories, vec![vec![0, 1]]);
    }

    #[test]
    fn a_story_quiet_past_the_horizon_does_not_take_new_articles() {
        let v = vec![
            art(FLOOD[0].0, FLOOD[0].1, Some("2024-01-01")),
            art(FLOOD[1].0, FLOOD[1].1, Some("2024-01-02")),
            art(FLOOD[2].0, FLOOD[2].1, Some("2024-04-01")),
        ];
        let g = group(&v);
        assert_eq!(g.stories, vec![vec![0, 1], vec![2]]);
    }

    /// A copy of an article whose story expired is no copy any more: the
    /// copy and syndication entries of expired stories count as absent,
    /// and are freed, so a stream holds them for its live stories only.
    #[test]
    fn entries_of_expired_stories_are_ignored_then_freed() {
        let day = 86_400;
        let original = Features::of(&art(FLOOD[0].0, FLOOD[0].1, None));
        let at = |f: &Features, t: i64| Features { time: Some(t), ..f.clone() };
        let mut c = Clusterer::new();
        c.add_features(at(&original, 0));
        assert_eq!(c.add_features(at(&original, day)).duplicate_of, Some(0), "a copy within the horizon");
        let late = c.add_features(at(&original, 40 * day));
        assert_eq!(late.duplicate_of, None, "its story expired");
        assert_eq!(late.story, 2, "it opens a story of its own");
        // Its own copies find it, not the expired original.
        assert_eq!(c.add_features(at(&original, 41 * day)).duplicate_of, Some(2));
        // Unrelated articles long after: every sweep frees what expired.
        let other = Features::of(&art(THEFT[0].0, THEFT[0].1, None));
        for k in 0..3 * SWEEP_EVERY {
            let mut f = at(&other, 100 * day + k as i64 * 40 * day);
            f.exact = k as u64;
            f.sentences.clear();
            f.signature.clear();
            c.add_features(f);
        }
        assert!(c.exact.len() < 2 * SWEEP_EVERY, "{}", c.exact.len());
        assert!(c.signature_of.len() < 2, "{}", c.signature_of.len());
        assert!(c.sentences.is_empty() && c.bands.is_empty());
    }

    /// A rewind takes back an addition that replaced an expired story's
    /// entries, and puts them back: an earlier copy placed after the rewind
    /// finds the original, as in canonical order from the start.
    #[test]
    fn a_rewind_puts_back_the_entries_an_addition_replaced() {
        let day = 86_400;
        let original = Features::of(&art(FLOOD[0].0, FLOOD[0].1, None));
        let at = |t: i64| Features { time: Some(t), ..original.clone() };
        let mut direct = Clusterer::new();
        let want: Vec<Assignment> = [0, 10, 45].iter().map(|&d| direct.add_features(at(d * day))).collect();
        let mut c = Clusterer::with_window(Params::default(), 16);
        c.add_features(at(0));
        assert_eq!(c.add_features(at(45 * day)).duplicate_of, None);
        c.rewind(1);
        let got: Vec<Assignment> = [10, 45].iter().map(|&d| c.add_features(at(d * day))).collect();
        assert_eq!(got, want[1..]);
        assert_eq!(want[1].duplicate_of, Some(0));
    }

    #[test]
    fn sparse_vector_helpers() {
        let a = vec![(1, 1.0), (3, 2.0)];
        let b = vec![(2, 5.0), (3, 0.5)];
        assert_eq!(dot(&a, &b), 1.0);
        assert_eq!(merge_sum(&a, &b), vec![(1, 1.0), (2, 5.0), (3, 2.5)]);
        let mut v = vec![(5, 0.1), (1, 0.9), (3, 0.5)];
        top_terms(&mut v, 2);
        assert_eq!(v, vec![(1, 0.9), (3, 0.5)]);
    }
}
