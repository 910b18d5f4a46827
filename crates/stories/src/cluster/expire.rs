//! Retiring stories: a story whose newest article is past the horizon of
//! the newest time seen takes no more articles; the sweep takes it out of
//! the index and frees its centroid, and the purge frees the copy and
//! syndication entries of its articles once they are half of what is held,
//! so a stream keeps state for its live stories only.

use super::{Clusterer, NO_SIGNATURE, StoryState};
use crate::minhash;

impl Clusterer {
    /// Whether a story can still take articles: not retired, and its newest
    /// article within the horizon of the newest time seen.
    pub(super) fn live(&self, st: &StoryState) -> bool {
        let horizon = (self.params.horizon_days * 86_400.0) as i64;
        !st.expired && !matches!((st.last, self.clock), (Some(l), Some(c)) if l < c - horizon)
    }

    /// Retires stories past the horizon: out of the index, centroid freed.
    /// The horizon is measured from the clock before the oldest addition
    /// that can still be taken back, so that a rewind never needs a
    /// retired story back.
    pub(super) fn sweep(&mut self) {
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

#[cfg(test)]
mod tests {
    use super::super::SWEEP_EVERY;
    use crate::fixtures::{FLOOD, THEFT, art};
    use crate::{Clusterer, Features};

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
}
