//! The incremental clusterer: its state (copy hashes, sentence
//! fingerprints, document frequencies, story centroids and the inverted
//! index over them) and one addition, which asks `copies.rs` whether the
//! article is a copy or derived, `place.rs` which story an independent one
//! joins, and `expire.rs` to retire stories past the horizon; `rewind.rs`
//! records what each addition changed so that it can be taken back.

mod copies;
mod expire;
mod place;
mod rewind;
mod sparse;

use rustc_hash::FxHashMap;

use chorus_model::Article;

use crate::{Features, Params};

/// Expired stories are swept from the index after every this many articles.
const SWEEP_EVERY: usize = 1024;

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
}
