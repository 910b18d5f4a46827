//! The incremental clusterer as a store uses it.
//!
//! [`chorus_stories::Clusterer`] numbers articles by arrival and keeps its
//! state in memory. A store keeps the arrival order (`seq`), so the state is
//! rebuilt by replaying stored articles in that order: deterministic, and the
//! same in every process. Before placing new articles, a writer replays what
//! other processes stored since it last looked; after a removal (which the
//! clusterer cannot undo) every process starts over, told so by the store's
//! generation number.

use std::sync::{Arc, Mutex, MutexGuard};

use chorus_model::Article;
use chorus_stories::{Clusterer, Features};

/// An assigner shared by the tasks of one process.
pub type SharedAssigner = Arc<Mutex<Assigner>>;

/// Where the clusterer put a new article, in ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The article that opened the story it joins (itself when it opens one).
    pub opener: String,
    pub duplicate_of: Option<String>,
    pub derived_from: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Assigner {
    clusterer: Clusterer,
    /// Clusterer arrival number → article id.
    ids: Vec<String>,
    /// The last stored `seq` the clusterer has seen.
    last_seq: i64,
    /// The store generation the state belongs to; `None` when it must be
    /// rebuilt.
    generation: Option<i64>,
}

impl Assigner {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn shared() -> SharedAssigner {
        Arc::new(Mutex::new(Self::new()))
    }

    /// Locks a shared assigner. A panic while it was held (in the
    /// clusterer, say) may have left it half-updated: it is then reset, to
    /// be rebuilt from the store.
    pub fn lock(shared: &SharedAssigner) -> MutexGuard<'_, Assigner> {
        match shared.lock() {
            Ok(g) => g,
            Err(poisoned) => {
                shared.clear_poison();
                let mut g = poisoned.into_inner();
                g.invalidate();
                g
            }
        }
    }

    /// Gets ready to place articles in a store at `generation`: returns the
    /// last `seq` already seen, starting over when the store's generation
    /// moved (an article was removed) or the state was invalidated.
    pub fn begin(&mut self, generation: i64) -> i64 {
        if self.generation != Some(generation) {
            *self = Assigner { generation: Some(generation), ..Default::default() };
        }
        self.last_seq
    }

    /// Feeds a stored article (in `seq` order) to the clusterer.
    pub fn replay(&mut self, seq: i64, article: &Article) {
        self.replay_features(seq, article.id.clone(), Features::of(article));
    }

    /// [`Assigner::replay`] with the article's clustering features, as a
    /// store that keeps them can give: replaying decoded features skips the
    /// tokenising and stemming that computing them costs. [`Features::of`]
    /// is pure, so the placements are the same.
    pub fn replay_features(&mut self, seq: i64, id: String, features: Features) {
        self.clusterer.add_features(features);
        self.ids.push(id);
        self.last_seq = self.last_seq.max(seq);
    }

    /// Places a new article. The caller must then store it and call
    /// [`Assigner::stored`] with its `seq`, or [`Assigner::invalidate`] if
    /// the transaction fails.
    pub fn place(&mut self, article: &Article) -> Placement {
        self.place_features(&article.id, Features::of(article))
    }

    /// [`Assigner::place`] with the article's clustering features.
    pub fn place_features(&mut self, id: &str, features: Features) -> Placement {
        let a = self.clusterer.add_features(features);
        self.ids.push(id.to_string());
        let name = |i: usize| self.ids.get(i).cloned().unwrap_or_else(|| id.to_string());
        Placement {
            opener: name(a.story),
            duplicate_of: a.duplicate_of.map(name),
            derived_from: a.derived_from.into_iter().map(name).collect(),
        }
    }

    /// Records the `seq` the last placed article was stored under.
    pub fn stored(&mut self, seq: i64) {
        self.last_seq = self.last_seq.max(seq);
    }

    /// Forgets everything: the next [`Assigner::begin`] replays the store.
    pub fn invalidate(&mut self) {
        *self = Assigner::default();
    }

    /// How many articles the clusterer has seen.
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

    fn art(id: &str, text: &str) -> Article {
        Article { id: id.into(), text: text.into(), ..Default::default() }
    }

    #[test]
    fn placements_name_articles_by_id() {
        let mut a = Assigner::new();
        assert_eq!(a.begin(0), 0);
        a.replay(1, &art("x", "The bridge reopened on Monday after repairs."));
        let p = a.place(&art("y", "The bridge reopened on Monday after repairs."));
        a.stored(2);
        assert_eq!(p.duplicate_of.as_deref(), Some("x"), "an exact copy points at the stored original");
        assert_eq!(a.begin(0), 2, "same generation: carry on");
        assert_eq!(a.begin(1), 0, "new generation: start over");
        assert!(a.is_empty());
    }

    #[test]
    fn a_poisoned_assigner_is_reset() {
        let shared = Assigner::shared();
        Assigner::lock(&shared).begin(3);
        Assigner::lock(&shared).replay(5, &art("x", "text"));
        let s2 = shared.clone();
        let _ = std::thread::spawn(move || {
            let _g = s2.lock().unwrap();
            panic!("clusterer panicked");
        })
        .join();
        let mut g = Assigner::lock(&shared);
        assert!(g.is_empty());
        assert_eq!(g.begin(3), 0);
    }

    /// Fed with features, it places articles exactly as fed with articles
    /// (the PostgreSQL back-end replays stored features).
    #[test]
    fn features_place_as_articles_do() {
        let arts = [
            art(
                "a",
                "A ferry carrying forty people sank off Cape Morrow on Friday; all were rescued by fishing boats.",
            ),
            art(
                "b",
                "Fishing boats rescued forty people after a ferry sank off Cape Morrow on Friday, coastguards said.",
            ),
            art(
                "c",
                "A ferry carrying forty people sank off Cape Morrow on Friday; all were rescued by fishing boats.",
            ),
            art("d", "The town library in Wexby reopened after a two-year renovation with a new children's wing."),
        ];
        let mut by_article = Assigner::new();
        let mut by_features = Assigner::new();
        by_article.begin(0);
        by_features.begin(0);
        by_article.replay(1, &arts[0]);
        by_features.replay_features(1, "a".into(), Features::of(&arts[0]));
        for a in &arts[1..] {
            assert_eq!(by_features.place_features(&a.id, Features::of(a)), by_article.place(a), "{}", a.id);
        }
        assert_eq!(by_features.len(), 4);
        assert_eq!(by_features.begin(0), 1);
        assert_eq!(by_features.begin(1), 0, "a new generation starts over");
        assert!(by_features.is_empty());
    }
}
