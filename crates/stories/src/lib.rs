//! Which articles are copies of which, which reuse which, and which report
//! the same event.
//!
//! Input: cleaned articles in arrival order. Output: a [`Grouping`] of plain
//! indices; the caller maps them to ids. Nothing here reads files or renders.

use chorus_model::Article;
use rustc_hash::FxHashMap;

/// How articles fold into stories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grouping {
    /// Stories, each a list of article indices in arrival order; the first
    /// one opened the story.
    pub stories: Vec<Vec<usize>>,
    /// For each article, the article it is an exact or near copy of.
    pub duplicate_of: Vec<Option<usize>>,
    /// For each article, the articles it reuses most of (syndication).
    pub derived_from: Vec<Vec<usize>>,
}

impl Grouping {
    /// Whether article `i` is independent (neither a copy nor derived).
    pub fn is_independent(&self, i: usize) -> bool {
        self.duplicate_of[i].is_none() && self.derived_from[i].is_empty()
    }
}

/// First version: every article in one story; exact copies (same words after
/// cleaning) marked. Clustering proper replaces it.
pub fn group(articles: &[Article]) -> Grouping {
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    let mut duplicate_of = vec![None; articles.len()];
    for (i, a) in articles.iter().enumerate() {
        let key = chorus_model::content_id("", &a.text);
        match seen.get(&key) {
            Some(&first) => duplicate_of[i] = Some(first),
            None => {
                seen.insert(key, i);
            }
        }
    }
    let stories = if articles.is_empty() { Vec::new() } else { vec![(0..articles.len()).collect()] };
    Grouping { stories, duplicate_of, derived_from: vec![Vec::new(); articles.len()] }
}
