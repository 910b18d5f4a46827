//! The transformer tier inside one story's analysis: a hook for the
//! sentence pairs the static vectors cannot decide.
//!
//! [`Story::sem_cos`] (static vectors, topic taken out) costs a dot
//! product; the transformer ([`chorus_semantic::Encoder`]) reads word
//! order and negation but costs about 8 ms of CPU a sentence batched. So
//! it is off unless [`crate::Options::transformer_sentences`] gives a story
//! a budget, and then only the sentences a caller asks about are embedded,
//! each once, up to that many per story. A caller (facts, quotes, summary)
//! asks for the pairs whose static cosine falls in its grey band, batching
//! them first with [`Story::deep_prepare`]; [`Story::deep_cos`] answers
//! `None` when the tier is off or the budget is spent, and the caller
//! keeps its static decision. The budget is per story and spent in the
//! caller's order, so a story's analysis is the same in a batch run and in
//! a store.

use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::story::Story;

/// Transformer vectors of a story's sentences, by sentence index, embedded
/// on demand within a budget of sentences (0: the tier is off).
#[derive(Default)]
pub(crate) struct Deep {
    budget: usize,
    vecs: Mutex<FxHashMap<usize, Vec<f32>>>,
}

impl Deep {
    pub fn new(budget: usize) -> Deep {
        Deep { budget, vecs: Mutex::default() }
    }
}

impl Story<'_> {
    /// Sentences the story may still have embedded (0 when the tier is
    /// off): a caller ranks its candidates and asks for this many at most.
    pub fn deep_left(&self) -> usize {
        let vecs = self.deep.vecs.lock().unwrap_or_else(|e| e.into_inner());
        self.deep.budget.saturating_sub(vecs.len())
    }

    /// The transformer cosine of two sentences already embedded, or `None`:
    /// never embeds, so a pair test asked by any stage costs a dot product,
    /// and answers with the transformer exactly for the sentences that
    /// [`crate::facts`] chose to embed.
    pub fn deep_known(&self, a: usize, b: usize) -> Option<f32> {
        let vecs = self.deep.vecs.lock().unwrap_or_else(|e| e.into_inner());
        Some(chorus_semantic::dot(vecs.get(&a)?, vecs.get(&b)?))
    }

    /// Embeds, in one batch, those of the given sentences not embedded yet,
    /// as far as the story's budget goes (lowest sentence index first).
    /// Asking for pairs one at a time costs about twice as much CPU a
    /// sentence: call this first with every sentence of the pairs to come.
    pub fn deep_prepare(&self, sents: impl IntoIterator<Item = usize>) {
        let items: Vec<(usize, &str)> =
            sents.into_iter().filter(|&s| s < self.sents.len()).map(|s| (s, self.sents[s].text)).collect();
        self.deep_prepare_texts(items);
    }

    /// [`Story::deep_prepare`] for any spans of the story under keys of
    /// the caller's choosing: a sentence under its index, a part of one (a
    /// clause, [`crate::clauses`]) under a key past the last sentence, so
    /// that [`Story::deep_known`] answers for both.
    pub fn deep_prepare_texts(&self, items: Vec<(usize, &str)>) {
        if self.deep.budget == 0 {
            return;
        }
        let mut vecs = self.deep.vecs.lock().unwrap_or_else(|e| e.into_inner());
        let mut want: Vec<(usize, &str)> = items.into_iter().filter(|(k, _)| !vecs.contains_key(k)).collect();
        want.sort_unstable_by_key(|w| w.0);
        want.dedup_by_key(|w| w.0);
        want.truncate(self.deep.budget.saturating_sub(vecs.len()));
        if want.is_empty() {
            return;
        }
        let texts: Vec<&str> = want.iter().map(|w| w.1).collect();
        let out = chorus_semantic::Encoder::shipped().embed(&texts);
        vecs.extend(want.into_iter().map(|w| w.0).zip(out));
    }

    /// The transformer cosine of sentences `a` and `b` (raw: the story's
    /// topic is not taken out, as the transformer tells statements of one
    /// topic apart by itself), or `None` when the tier is off or the budget
    /// cannot cover both. On `chorus-semantic`'s `tests/pairs.tsv`, same
    /// fact: median 0.74 (0.40–0.93); another statement of the story:
    /// median 0.45 (0.34–0.79).
    #[allow(
        dead_code,
        reason = "the on-demand form for quotes and summary (issue 12); facts batch and use `deep_known`"
    )]
    pub fn deep_cos(&self, a: usize, b: usize) -> Option<f32> {
        if self.deep.budget == 0 {
            return None;
        }
        self.deep_prepare([a, b]);
        let vecs = self.deep.vecs.lock().unwrap_or_else(|e| e.into_inner());
        Some(chorus_semantic::dot(vecs.get(&a)?, vecs.get(&b)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{Art, docs, entities};

    #[test]
    fn off_by_default_and_bounded_by_the_budget() {
        let arts = [
            Art::new("a", "We will rebuild the town, whatever it takes. The minister denied the allegations."),
            Art::new("b", "Whatever it costs, the town is going to be rebuilt."),
        ];
        let ents = entities(&arts, &[]);
        let ds = docs(&arts);
        let mut story = Story::build(&ds, &ents);
        let n = story.sents.len();
        assert!(n >= 3, "{n} sentences");
        assert_eq!(story.deep_cos(0, n - 1), None);
        story.deep = Deep::new(2);
        let same = story.deep_cos(0, n - 1).expect("within budget");
        // A third sentence is past the budget of two.
        assert_eq!(story.deep_cos(0, 1), None);
        story.deep = Deep::new(3);
        story.deep_prepare(0..n);
        let other = story.deep_cos(0, 1).expect("prepared");
        assert!(same > other + 0.2, "same {same} other {other}");
    }
}
