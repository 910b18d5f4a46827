//! The same stories however the articles arrive.
//!
//! Incremental placement depends on order: the article that comes first
//! opens the story, and each centroid is the sum of what came before. So
//! the order is fixed by the articles themselves, not by their arrival:
//! the **canonical order** sorts by publication time, then the longer
//! text first, then article id ([`Key`]; undated articles first). [`group`](crate::group) takes a
//! batch in that order, and a [`Sequencer`] keeps a stream in it: an
//! article that arrives after others that sort later (a late feed, a
//! re-crawl, a batch another worker committed first) is placed where it
//! belongs by taking the later additions back ([`Clusterer::rewind`]) and
//! placing them again after it. The result is the batch's result for the
//! same articles, whatever the arrival order and however many processes
//! share the work.
//!
//! The re-placement window is bounded ([`Sequencer::new`]): an article that
//! sorts before everything the clusterer can still take back makes the
//! caller start over from its stored articles ([`TooLate`]), which is exact
//! but costs a replay of the whole store.

use chorus_model::Article;

use crate::{Assignment, Clusterer, Features, Params};

/// An article's place in the canonical order: publication time (seconds,
/// `None` for undated articles, which sort first), then the longer text
/// first, then id. Among articles of one time (or none), the fullest goes
/// first because a single pass builds each story's centroid from what comes
/// first: a full report carries most of its event's words, so shorter ones
/// find it; any fixed rule would do for sameness, this one also helps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub time: Option<i64>,
    pub size: std::cmp::Reverse<usize>,
    pub id: String,
}

impl Key {
    pub fn of(article: &Article) -> Key {
        Key::new(&article.id, article.published.as_deref(), article.text.len())
    }

    /// The key of an article known by its id, publication date as written
    /// and text length in bytes (as a store can read them without the text).
    pub fn new(id: &str, published: Option<&str>, text_len: usize) -> Key {
        Key {
            time: published.and_then(crate::time::parse_seconds),
            size: std::cmp::Reverse(text_len),
            id: id.to_string(),
        }
    }
}

/// The placements made or remade by one [`Sequencer::insert`]: every
/// article from canonical position `from` on, in canonical order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replaced {
    pub from: usize,
    pub assignments: Vec<Assignment>,
}

/// An insert reached back further than the window: replay everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLate;

/// A clusterer kept in canonical order.
#[derive(Debug, Default)]
pub struct Sequencer {
    clusterer: Clusterer,
    /// Keys of the placed articles, in canonical order.
    keys: Vec<Key>,
}

impl Sequencer {
    /// A sequencer that can re-place the last `window` articles.
    pub fn new(params: Params, window: usize) -> Self {
        Sequencer { clusterer: Clusterer::with_window(params, window), keys: Vec::new() }
    }

    /// Placed articles, in canonical order.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn clusterer(&self) -> &Clusterer {
        &self.clusterer
    }

    /// Adds articles (not yet placed, each id once) in canonical order among
    /// those already placed. Returns the placements from the first position
    /// that changed, or [`TooLate`] (and changes nothing) when that lies
    /// before the window.
    pub fn insert(&mut self, mut batch: Vec<(Key, Features)>) -> Result<Replaced, TooLate> {
        batch.sort_by(|a, b| a.0.cmp(&b.0));
        let Some(first) = batch.first() else {
            return Ok(Replaced { from: self.keys.len(), assignments: Vec::new() });
        };
        let from = self.keys.partition_point(|k| *k < first.0);
        let back = self.keys.len() - from;
        if back > self.clusterer.rewindable() {
            return Err(TooLate);
        }
        let again = self.clusterer.rewind(back);
        let moved = self.keys.split_off(from);
        let mut queue: Vec<(Key, Features)> = moved.into_iter().zip(again).collect();
        // Both lists are sorted: merge them.
        queue.extend(batch);
        queue.sort_by(|a, b| a.0.cmp(&b.0));
        let mut assignments = Vec::with_capacity(queue.len());
        for (key, f) in queue {
            assignments.push(self.clusterer.add_features(f));
            self.keys.push(key);
        }
        Ok(Replaced { from, assignments })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample;

    fn keyed(arts: &[Article]) -> Vec<(Key, Features)> {
        arts.iter()
            .enumerate()
            .map(|(k, a)| {
                let mut a = a.clone();
                a.id = format!("a{k}");
                (Key::of(&a), Features::of(&a))
            })
            .collect()
    }

    /// Whatever the arrival, the placements end as the batch makes them.
    #[test]
    fn arrival_order_does_not_matter_within_the_window() {
        let items = keyed(&sample());
        let mut batch = Sequencer::new(Params::default(), 0);
        let all = batch.insert(items.clone()).unwrap();
        assert_eq!(all.from, 0);
        for order in [vec![7, 6, 5, 4, 3, 2, 1, 0], vec![3, 0, 7, 1, 6, 2, 5, 4], vec![1, 0, 3, 2, 5, 4, 7, 6]] {
            let mut s = Sequencer::new(Params::default(), 16);
            let mut last = Replaced::default();
            for k in order {
                let r = s.insert(vec![items[k].clone()]).unwrap();
                // Positions before `from` keep their placement.
                last.assignments.truncate(r.from);
                last.assignments.extend(r.assignments);
            }
            assert_eq!(s.keys(), batch.keys());
            assert_eq!(last.assignments, all.assignments);
        }
    }

    #[test]
    fn before_the_window_is_too_late() {
        let items = keyed(&sample());
        let mut s = Sequencer::new(Params::default(), 2);
        s.insert(items[1..].to_vec()).unwrap();
        assert_eq!(s.insert(vec![items[0].clone()]), Err(TooLate));
        assert_eq!(s.len(), items.len() - 1);
    }
}
