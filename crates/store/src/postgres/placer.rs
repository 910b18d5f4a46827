//! The clusterer of one process, fed with stored features.
//!
//! The same bookkeeping as [`crate::assign::Assigner`] (arrival numbers to
//! ids, the last `seq` seen, the store generation), but fed with
//! [`Features`] instead of articles: a worker replays every article the
//! other workers stored, and replaying decoded features skips the
//! tokenising and stemming that computing them costs. [`Features::of`] is
//! pure, so the placements are the ones the article-fed assigner makes.

use chorus_stories::{Clusterer, Features};

use crate::assign::Placement;

#[derive(Debug, Default)]
pub struct Placer {
    clusterer: Clusterer,
    ids: Vec<String>,
    last_seq: i64,
    generation: Option<i64>,
}

impl Placer {
    /// Gets ready for a store at `generation`: returns the last `seq` seen,
    /// starting over when the generation moved (an article was removed,
    /// which the clusterer cannot undo) or the state was invalidated.
    pub fn begin(&mut self, generation: i64) -> i64 {
        if self.generation != Some(generation) {
            *self = Placer { generation: Some(generation), ..Default::default() };
        }
        self.last_seq
    }

    /// Feeds a stored article (in `seq` order).
    pub fn replay(&mut self, seq: i64, id: String, features: Features) {
        self.clusterer.add_features(features);
        self.ids.push(id);
        self.last_seq = self.last_seq.max(seq);
    }

    /// Places a new article; the caller stores it and calls
    /// [`Placer::stored`], or [`Placer::invalidate`] if that fails.
    pub fn place(&mut self, id: &str, features: Features) -> Placement {
        let a = self.clusterer.add_features(features);
        self.ids.push(id.to_string());
        let name = |i: usize| self.ids.get(i).cloned().unwrap_or_else(|| id.to_string());
        Placement {
            opener: name(a.story),
            duplicate_of: a.duplicate_of.map(name),
            derived_from: a.derived_from.into_iter().map(name).collect(),
        }
    }

    pub fn stored(&mut self, seq: i64) {
        self.last_seq = self.last_seq.max(seq);
    }

    /// Forgets everything: the next [`Placer::begin`] replays the store.
    pub fn invalidate(&mut self) {
        *self = Placer::default();
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::Assigner;
    use chorus_model::Article;

    fn art(id: &str, title: &str, text: &str) -> Article {
        Article { id: id.into(), title: Some(title.into()), text: text.into(), ..Default::default() }
    }

    /// Fed with features, it places articles exactly as the article-fed
    /// assigner of the SQLite back-end does.
    #[test]
    fn places_as_the_article_assigner_does() {
        let arts = [
            art(
                "a",
                "Ferry sinks off Cape Morrow",
                "A ferry carrying forty people sank off Cape Morrow on Friday; all were rescued by fishing boats.",
            ),
            art(
                "b",
                "Rescue at Cape Morrow",
                "Fishing boats rescued forty people after a ferry sank off Cape Morrow on Friday, coastguards said.",
            ),
            art(
                "c",
                "Ferry sinks off Cape Morrow",
                "A ferry carrying forty people sank off Cape Morrow on Friday; all were rescued by fishing boats.",
            ),
            art(
                "d",
                "Library reopens",
                "The town library in Wexby reopened after a two-year renovation with a new children's wing.",
            ),
        ];
        let mut assigner = Assigner::new();
        let mut placer = Placer::default();
        assigner.begin(0);
        placer.begin(0);
        assigner.replay(1, &arts[0]);
        placer.replay(1, "a".into(), Features::of(&arts[0]));
        for a in &arts[1..] {
            assert_eq!(placer.place(&a.id, Features::of(a)), assigner.place(a), "{}", a.id);
        }
        assert_eq!(placer.len(), 4);
        assert_eq!(placer.begin(0), 1);
        assert_eq!(placer.begin(1), 0, "a new generation starts over");
        assert!(placer.is_empty());
    }
}
