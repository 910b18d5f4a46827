//! Copies and syndication: an article with the same words as an earlier
//! one (an exact hash) or a MinHash estimate of shingle Jaccard at the bar
//! against a candidate from LSH banding is a copy of that article's
//! original; one that reuses most of its long sentences from earlier
//! articles (sentence fingerprints) is derived from them. Entries of
//! articles in expired stories count as absent.

use super::{Clusterer, NO_SIGNATURE};
use crate::{Features, minhash};

impl Clusterer {
    /// The original this article copies, exactly or nearly; records its
    /// hashes either way.
    pub(super) fn find_duplicate(&mut self, i: u32, f: &Features) -> Option<u32> {
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
    pub(super) fn holds(&self, j: u32) -> bool {
        self.story_of.get(j as usize).is_none_or(|&s| self.live(&self.stories[s as usize]))
    }

    /// The earlier articles this one reuses most of, largest contributor
    /// first; empty when it is not derived.
    pub(super) fn find_sources(&self, f: &Features) -> Vec<u32> {
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
}

#[cfg(test)]
mod tests {
    use crate::fixtures::{FLOOD, THEFT, art, mixed};
    use crate::group;

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
}
