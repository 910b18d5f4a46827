//! Conflicts: the same slot filled differently by different articles.
//!
//! Precision first: a journalist shown a false conflict stops trusting the
//! list. So every kind needs (a) evidence that both sides talk about the same
//! slot, (b) values that cannot both be right, and (c) no article that gives
//! both values itself — an article that reports "$500 billion, though the
//! institute counts $114 billion" is describing two quantities, not
//! contradicting anyone.
//!
//! Kinds: `number` (same unit and subject, incompatible values), `title`
//! ("former President" where others give the office as current), `role`
//! (two different offices for one person), `attribution` (one utterance
//! credited to different speakers), `date` (one event, different absolute
//! dates), `quote` (one utterance worded materially differently).

mod dates;
mod numbers;
mod quotes;
mod titles;

use chorus_model::{Conflict, Position};
use rustc_hash::FxHashMap;

use crate::facts::Facts;
use crate::numbers::NumRef;
use crate::quotes::Groups;
use crate::story::Story;

pub use numbers::{NUMBER_CONTEXT_SHARED, NUMBER_WINDOW};
pub use quotes::{ATTRIBUTION_MIN_STEMS, ATTRIBUTION_OVERLAP, WORDING_LENGTH_RATIO};

pub(crate) fn find(story: &Story, facts: &Facts, nums: &[NumRef], quotes: &Groups) -> Vec<Conflict> {
    let mut out = Vec::new();
    out.extend(numbers::number_conflicts(story, facts, nums));
    out.extend(titles::title_conflicts(story, facts));
    out.extend(quotes::attribution_conflicts(story, quotes));
    out.extend(dates::date_conflicts(story, facts, nums));
    out.extend(quotes::quote_conflicts(story, quotes));
    out
}

/// Whether a position set is a real disagreement: two or more positions
/// each backed by an independent article, and no article in two positions.
fn real(story: &Story, positions: &[Vec<usize>]) -> bool {
    if positions.len() < 2 {
        return false;
    }
    let backed = positions.iter().filter(|p| p.iter().any(|&d| story.docs[d].independent)).count();
    if backed < 2 {
        return false;
    }
    let mut seen: FxHashMap<usize, usize> = FxHashMap::default();
    for (k, p) in positions.iter().enumerate() {
        for &d in p {
            if seen.get(&d).is_some_and(|&prev| prev != k) {
                return false;
            }
            seen.insert(d, k);
        }
    }
    true
}

fn position(story: &Story, value: String, docs: &[usize]) -> Position {
    Position { value, articles: story.ids(docs.iter().copied()) }
}

fn most_common<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let mut c: Vec<(&str, usize)> = Vec::new();
    for t in it {
        match c.iter_mut().find(|(x, _)| *x == t) {
            Some(e) => e.1 += 1,
            None => c.push((t, 1)),
        }
    }
    c.iter().max_by_key(|(t, n)| (*n, std::cmp::Reverse(t.len()))).map(|(t, _)| t.to_string()).unwrap_or_default()
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}
