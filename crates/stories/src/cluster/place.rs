//! Placing an independent article: its TF-IDF vector (IDF from the stream
//! so far, cut to its strongest terms), candidate stories from the inverted
//! index over the stories' top terms, the cosine with each candidate's
//! centroid discounted by the time since the story's span, and the story
//! it joins (or opens), whose centroid and index entries it then updates.

use super::sparse::{dot, heaviest_first, merge_sum, top_terms, words_cosine};
use super::{Clusterer, StoryState, rewind};
use crate::{Features, features};

impl Clusterer {
    /// The story an independent article joins (opening one if none fits);
    /// updates document frequencies, the centroid and the index.
    pub(super) fn place(&mut self, i: u32, f: &Features) -> u32 {
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
            // would only dilute it). Nor do they join on their own: a short
            // article that shares no word with a story scores its words'
            // zero there. Every news headline points partly the same way, so
            // a story of many headlines sums a meaning part that grows with
            // its size while its words spread; on meaning alone the largest
            // story gathered unrelated items (clustering-dev as headlines
            // at 64 meaning terms: 2 stories for 16 events).
            if let Some((words, words_norm)) = &words {
                let words_score = words_cosine(words, *words_norm, &st.centroid) * decay;
                score = if words_score > 0.0 { score.max(words_score) } else { 0.0 };
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
}

#[cfg(test)]
mod tests {
    use crate::fixtures::{FLOOD, art, mixed};
    use crate::group;

    #[test]
    fn two_unrelated_stories_split_cleanly() {
        let g = group(&mixed());
        assert_eq!(g.stories, vec![vec![0, 2, 4], vec![1, 3, 5]]);
        assert!((0..6).all(|i| g.is_independent(i)), "{g:?}");
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

    /// A short item joins a story on meaning only where it also shares a
    /// word with it: the same meaning terms and no common word keep two
    /// items apart (they would join on the meaning part of the cosine
    /// alone, 0.26 here), one shared word lets the meaning count.
    #[test]
    fn meaning_terms_join_only_with_a_shared_word() {
        use crate::features::meaning_id;
        use crate::{Clusterer, Features};
        let item = |words: &[u64]| {
            let mut terms: Vec<(u64, f32)> = words.iter().map(|&w| (w, 1.7)).collect();
            terms.extend((0..4).map(|d| (meaning_id(d, false), 1.0)));
            terms.sort_unstable_by_key(|t| t.0);
            Features { exact: words[0], terms, ..Default::default() }
        };
        let mut c = Clusterer::new();
        assert_eq!(c.add_features(item(&[1, 2])).story, 0);
        assert_eq!(c.add_features(item(&[3, 4])).story, 1);
        assert_eq!(c.add_features(item(&[1, 5])).story, 0);
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
}
