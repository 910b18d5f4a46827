//! Taking the last additions back, so that articles that arrive late can be
//! placed where they belong in the canonical order (see [`crate::sequence`]).
//!
//! Each addition made with a window records what it changed — the hash
//! entries it created, the story it opened or the centroid it replaced, the
//! index terms it added — and keeps its features for the replay. Undoing
//! the records newest first restores the state exactly (centroids are the
//! old vectors, not subtractions, so no rounding creeps in): a rewind and a
//! replay in canonical order leave the clusterer as if the articles had
//! arrived in that order.

use crate::{Clusterer, Features, Params, minhash};

/// What one addition changed.
#[derive(Debug, Default)]
pub(crate) struct Undo {
    pub features: Features,
    /// The clock and sweep counter before it.
    pub clock: Option<i64>,
    pub since_sweep: usize,
    /// Whether it wrote the exact-text entry of its features, with the
    /// entry it replaced (one of an expired story) if any.
    pub exact: Option<Option<u32>>,
    /// LSH band keys and sentence fingerprints it wrote, with the entries
    /// they replaced.
    pub bands: Vec<(u64, Option<u32>)>,
    pub sentences: Vec<(u64, Option<u32>)>,
    /// The story it joined, with that story's time span before.
    pub story: u32,
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Set when it was placed as an independent article.
    pub placed: Option<Placed>,
}

/// What placing an independent article changed.
#[derive(Debug, Default)]
pub(crate) struct Placed {
    /// It opened its story.
    pub opened: bool,
    /// The story's centroid, norm and retired flag before.
    pub centroid: Vec<(u64, f32)>,
    pub norm: f32,
    pub expired: bool,
    /// Index terms it added to the story (and the story to their postings).
    pub indexed: Vec<u64>,
}

impl Undo {
    pub fn start(clock: Option<i64>, since_sweep: usize) -> Undo {
        Undo { clock, since_sweep, ..Default::default() }
    }
}

impl Clusterer {
    /// A clusterer whose last `window` additions can be taken back with
    /// [`Clusterer::rewind`]. Each costs the memory of its features and of
    /// the centroid it replaced until it leaves the window.
    pub fn with_window(params: Params, window: usize) -> Self {
        Clusterer { params, window, ..Default::default() }
    }

    /// How many of the last additions can be taken back now.
    pub fn rewindable(&self) -> usize {
        self.undo.len()
    }

    /// Takes back the last `k` additions (at most [`Clusterer::rewindable`]),
    /// newest first, and returns their features in the order they were
    /// added.
    pub fn rewind(&mut self, k: usize) -> Vec<Features> {
        let k = k.min(self.undo.len());
        let mut out = Vec::with_capacity(k);
        for _ in 0..k {
            let Some(u) = self.undo.pop_back() else { break };
            out.push(self.undo_one(u));
        }
        out.reverse();
        out
    }

    fn undo_one(&mut self, u: Undo) -> Features {
        let f = u.features;
        self.since_sweep = u.since_sweep;
        self.clock = u.clock;
        self.story_of.pop();
        let i = self.root.len().saturating_sub(1) as u32;
        self.root.pop();
        let s = u.story as usize;
        if let Some(st) = self.stories.get_mut(s) {
            st.first = u.first;
            st.last = u.last;
            st.size -= 1;
        }
        self.held -= 1;
        if let Some(p) = u.placed {
            if let Some(st) = self.stories.get_mut(s) {
                st.centroid = p.centroid;
                st.norm = p.norm;
                st.expired = p.expired;
                for t in &p.indexed {
                    if let Ok(at) = st.indexed.binary_search(t) {
                        st.indexed.remove(at);
                    }
                }
            }
            for t in &p.indexed {
                if let Some(list) = self.postings.get_mut(t) {
                    if let Some(at) = list.iter().rposition(|&x| x == u.story) {
                        list.remove(at);
                    }
                    if list.is_empty() {
                        self.postings.remove(t);
                    }
                }
            }
            if p.opened && self.stories.last().is_some_and(|st| st.opener == i) {
                self.stories.pop();
            }
            for (t, _) in &f.terms {
                if let Some(d) = self.df.get_mut(t) {
                    *d -= 1;
                    if *d == 0 {
                        self.df.remove(t);
                    }
                }
            }
            self.docs -= 1;
        }
        // Newest first, so that a key written twice gets its first value.
        for &(h, old) in u.sentences.iter().rev() {
            restore(&mut self.sentences, h, old);
        }
        if self.signature_at.pop().is_some_and(|at| at != super::NO_SIGNATURE) {
            self.signature_of.pop();
            self.signatures.truncate(self.signatures.len().saturating_sub(minhash::HASHES));
        }
        for &(k, old) in u.bands.iter().rev() {
            restore(&mut self.bands, k, old);
        }
        if let Some(old) = u.exact {
            restore(&mut self.exact, f.exact, old);
        }
        f
    }
}

/// Puts back the entry an addition replaced, or removes the one it made.
fn restore(map: &mut rustc_hash::FxHashMap<u64, u32>, key: u64, old: Option<u32>) {
    match old {
        Some(j) => {
            map.insert(key, j);
        }
        None => {
            map.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Assignment;
    use crate::fixtures::{FLOOD, art, sample};

    /// Adding a, b, c, rewinding two and adding c, b gives what adding
    /// a, c, b from the start gives, and the state keeps working after.
    #[test]
    fn a_rewind_and_replay_equals_that_order_from_the_start() {
        let arts = sample();
        let feats: Vec<Features> = arts.iter().map(Features::of).collect();
        let n = feats.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.swap(1, n - 1);
        order.swap(3, 4);

        let mut direct = Clusterer::with_params(Params::default());
        let want: Vec<Assignment> = order.iter().map(|&k| direct.add_features(feats[k].clone())).collect();

        let mut c = Clusterer::with_window(Params::default(), 64);
        for f in &feats {
            c.add_features(f.clone());
        }
        assert_eq!(c.rewindable(), n);
        let back = c.rewind(n - 1);
        assert_eq!(back, feats[1..].to_vec());
        let got: Vec<Assignment> = order[1..].iter().map(|&k| c.add_features(feats[k].clone())).collect();
        assert_eq!(got, want[1..]);
        // Both go on the same way.
        let extra = Features::of(&arts[2]);
        assert_eq!(c.add_features(extra.clone()), direct.add_features(extra));
        assert_eq!(c.story_count(), direct.story_count());
    }

    #[test]
    fn the_window_bounds_what_can_be_taken_back() {
        let feats: Vec<Features> = sample().iter().map(Features::of).collect();
        let mut c = Clusterer::with_window(Params::default(), 3);
        for f in &feats {
            c.add_features(f.clone());
        }
        assert_eq!(c.rewindable(), 3);
        assert_eq!(c.rewind(10).len(), 3);
        assert_eq!(c.len(), feats.len() - 3);
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
}
