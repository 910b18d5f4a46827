//! Which articles are copies of which, which reuse which, and which report
//! the same event.
//!
//! Input: cleaned articles in arrival order. Output: plain indices; the
//! caller maps them to ids. Nothing here reads files or renders.
//!
//! [`Clusterer`] is incremental (a stream, a store): each article is placed
//! as it arrives. [`group`] is the batch form used by `chorus report`.

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

/// Where one article went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assignment {
    /// The story, named by the index (in arrival order) of the article that
    /// opened it.
    pub story: usize,
    pub duplicate_of: Option<usize>,
    pub derived_from: Vec<usize>,
}

/// Places articles into stories one at a time, as a stream brings them.
/// Articles are numbered by arrival: the first added is 0.
#[derive(Debug, Default)]
pub struct Clusterer {
    seen: FxHashMap<String, usize>,
    count: usize,
}

impl Clusterer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next article and says where it goes.
    ///
    /// First version: one story for everything; exact copies (same words
    /// after cleaning) marked. Clustering proper replaces it.
    pub fn add(&mut self, article: &Article) -> Assignment {
        let i = self.count;
        self.count += 1;
        let key = chorus_model::content_id("", &article.text);
        let duplicate_of = match self.seen.get(&key) {
            Some(&first) => Some(first),
            None => {
                self.seen.insert(key, i);
                None
            }
        };
        Assignment { story: 0, duplicate_of, derived_from: Vec::new() }
    }
}

/// Groups a batch of articles given in arrival order.
pub fn group(articles: &[Article]) -> Grouping {
    let mut c = Clusterer::new();
    let mut g = Grouping {
        stories: Vec::new(),
        duplicate_of: Vec::with_capacity(articles.len()),
        derived_from: Vec::with_capacity(articles.len()),
    };
    let mut story_of_opener: FxHashMap<usize, usize> = FxHashMap::default();
    for (i, a) in articles.iter().enumerate() {
        let asg = c.add(a);
        let s = *story_of_opener.entry(asg.story).or_insert_with(|| {
            g.stories.push(Vec::new());
            g.stories.len() - 1
        });
        g.stories[s].push(i);
        g.duplicate_of.push(asg.duplicate_of);
        g.derived_from.push(asg.derived_from);
    }
    g
}
