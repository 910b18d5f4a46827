//! The batch form: a set of articles taken in the canonical order
//! ([`arrival_order`]) through one [`Clusterer`], the features of the next
//! batch computed in parallel while the current one is placed, and the
//! result told as positions in the input ([`Grouping`]). `chorus report`
//! and the benchmarks use it; a store feeds a clusterer itself.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use chorus_model::Article;

use crate::{Assignment, Clusterer, Features, Params, time};

/// How articles fold into stories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grouping {
    /// Stories in the order they opened, each a list of article indices (into
    /// the input) in arrival order; the first one opened the story.
    pub stories: Vec<Vec<usize>>,
    /// For each article, the article it is an exact or near copy of (always
    /// an original, never another copy).
    pub duplicate_of: Vec<Option<usize>>,
    /// For each article, the earlier articles it reuses most of (syndication),
    /// the largest contributor first.
    pub derived_from: Vec<Vec<usize>>,
}

impl Grouping {
    /// Whether article `i` is independent (neither a copy nor derived).
    pub fn is_independent(&self, i: usize) -> bool {
        self.duplicate_of[i].is_none() && self.derived_from[i].is_empty()
    }
}

/// The order in which [`group`] takes articles: the canonical order of
/// [`Key`](crate::Key) (publication time, then the longer text, then
/// article id; undated articles first), so that the same articles give the
/// same stories in whatever order they are given. Articles with equal keys
/// (no id, the same time and length) keep their input order.
pub fn arrival_order(articles: &[Article]) -> Vec<usize> {
    arrival_order_with(articles, &|i| articles[i].text.len())
}

/// [`arrival_order`] for articles whose texts are kept elsewhere:
/// `text_len(i)` is the length in bytes of article `i`'s text.
pub fn arrival_order_with(articles: &[Article], text_len: &dyn Fn(usize) -> usize) -> Vec<usize> {
    let keys: Vec<(Option<i64>, std::cmp::Reverse<usize>)> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.published.as_deref().and_then(time::parse_seconds), std::cmp::Reverse(text_len(i))))
        .collect();
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then_with(|| articles[a].id.cmp(&articles[b].id)));
    order
}

/// Articles whose features are computed in one parallel batch while the
/// previous batch is being placed: large enough to keep both cores busy,
/// small enough that the features in flight stay a few megabytes.
const BATCH: usize = 2048;

/// Groups a batch of articles with the default [`Params`].
pub fn group(articles: &[Article]) -> Grouping {
    group_with(articles, &Params::default())
}

/// Groups a batch of articles: in [`arrival_order`], through a
/// [`Clusterer`]. Indices in the result are positions in `articles`.
pub fn group_with(articles: &[Article], params: &Params) -> Grouping {
    group_observed(articles, params, &|_, _| {})
}

/// [`group_with`], telling `progress` after each batch how many articles are
/// placed and how many stories are open (for a progress bar).
pub fn group_observed(articles: &[Article], params: &Params, progress: &(dyn Fn(usize, usize) + Sync)) -> Grouping {
    let compute =
        |chunk: &[usize]| -> Vec<Features> { chunk.par_iter().map(|&i| Features::of(&articles[i])).collect() };
    group_ordered(&arrival_order(articles), params, progress, &compute)
}

/// [`group_observed`] for a caller that keeps the articles' texts
/// elsewhere (a run too large to hold them): `order` is their
/// [`arrival_order`], and `features` gives the [`Features`] of a batch of
/// article indices, in the batch's order. The result is the same as
/// [`group_observed`]'s when `features` computes [`Features::of`].
pub fn group_ordered(
    order: &[usize],
    params: &Params,
    progress: &(dyn Fn(usize, usize) + Sync),
    features: &(dyn Fn(&[usize]) -> Vec<Features> + Sync),
) -> Grouping {
    let mut c = Clusterer::with_params(params.clone());
    let mut assignments: Vec<Assignment> = Vec::with_capacity(order.len());
    let compute = |chunk: &[usize]| features(chunk);
    let mut chunks = order.chunks(BATCH);
    let mut current = chunks.next().map(compute).unwrap_or_default();
    loop {
        let next_chunk = chunks.next();
        let (placed, next) = rayon::join(
            || current.into_iter().map(|f| c.add_features(f)).collect::<Vec<_>>(),
            || next_chunk.map(compute),
        );
        assignments.extend(placed);
        progress(assignments.len(), c.story_count());
        match next {
            Some(n) => current = n,
            None => break,
        }
    }

    let n = order.len();
    let mut g = Grouping { stories: Vec::new(), duplicate_of: vec![None; n], derived_from: vec![Vec::new(); n] };
    let mut story_slot: FxHashMap<usize, usize> = FxHashMap::default();
    for (k, asg) in assignments.into_iter().enumerate() {
        let i = order[k];
        let slot = *story_slot.entry(asg.story).or_insert_with(|| {
            g.stories.push(Vec::new());
            g.stories.len() - 1
        });
        g.stories[slot].push(i);
        g.duplicate_of[i] = asg.duplicate_of.map(|d| order[d]);
        g.derived_from[i] = asg.derived_from.iter().map(|&d| order[d]).collect();
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{FLOOD, THEFT, art, mixed, sample};

    #[test]
    fn a_single_article_is_a_story() {
        let g = group(&[art(FLOOD[0].0, FLOOD[0].1, None)]);
        assert_eq!(g.stories, vec![vec![0]]);
        assert_eq!(g.duplicate_of, vec![None]);
        let mut c = Clusterer::new();
        assert_eq!(c.add(&art(THEFT[0].0, THEFT[0].1, None)).story, 0);
        assert_eq!(group(&[]), Grouping::default());
    }

    #[test]
    fn same_input_same_grouping_on_any_number_of_threads() {
        // Enough articles for several parallel batches.
        let base = mixed();
        let many: Vec<Article> = (0..BATCH * 2 + 100)
            .map(|i| {
                let a = &base[i % base.len()];
                let salt = format!("Report {i} adds that witness number {} spoke to reporters.", i * 7);
                art(a.title.as_deref().unwrap_or(""), &format!("{}\n{salt}", a.text), None)
            })
            .collect();
        let g = group(&many);
        assert_eq!(g, group(&many));
        let single = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| group(&many));
        assert_eq!(g, single);
        let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap().install(|| group(&many));
        assert_eq!(g, four);
    }

    #[test]
    fn incremental_equals_batch() {
        let mut v = mixed();
        v[0].published = Some("2024-03-02".into());
        v[3].published = Some("2024-03-01T08:00:00Z".into());
        v.push(art("Flood hits town", FLOOD[2].1, Some("2024-03-03")));
        let g = group(&v);
        let order = arrival_order(&v);
        let mut c = Clusterer::new();
        for (k, &i) in order.iter().enumerate() {
            let a = c.add(&v[i]);
            assert_eq!(order[a.story], g.stories.iter().find(|s| s.contains(&i)).unwrap()[0]);
            assert_eq!(a.duplicate_of.map(|d| order[d]), g.duplicate_of[i]);
            assert_eq!(c.story_of(k), Some(a.story));
        }
    }

    #[test]
    fn canonical_order_is_time_then_length_then_id_with_undated_first() {
        let mut v: Vec<Article> = (0..5).map(|k| Article { id: format!("{}", 5 - k), ..Default::default() }).collect();
        v[0].published = Some("2024-01-05".into());
        v[2].published = Some("2024-01-01".into());
        v[4].published = Some("2024-01-01".into());
        // Undated 3 ("2") and 1 ("4") by id, then 4 ("1") and 2 ("3") on
        // the same day by id, then 0.
        assert_eq!(arrival_order(&v), vec![3, 1, 4, 2, 0]);
        let mut shuffled = v.clone();
        shuffled.reverse();
        let order: Vec<&str> = arrival_order(&shuffled).iter().map(|&i| shuffled[i].id.as_str()).collect();
        assert_eq!(order, ["2", "4", "1", "3", "5"]);
    }

    #[test]
    fn shuffled_input_gives_the_same_stories() {
        let mut v = sample();
        for (k, a) in v.iter_mut().enumerate() {
            a.id = format!("id{k}");
        }
        let named = |g: &Grouping, arts: &[Article]| {
            let mut s: Vec<Vec<String>> =
                g.stories.iter().map(|m| m.iter().map(|&i| arts[i].id.clone()).collect()).collect();
            s.sort();
            s
        };
        let want = named(&group(&v), &v);
        let mut w = v.clone();
        w.reverse();
        w.swap(1, 4);
        assert_eq!(named(&group(&w), &w), want);
    }
}
