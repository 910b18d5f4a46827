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

//!
//! Time decides between a conflict and an **update** ([`updates`]): values
//! of one slot given at clearly different times, changing the way news
//! develops, are the story moving on; only values that differ for one time
//! remain conflicts, and a figure repeated after it was outdated is stale.

mod dates;
mod numbers;
mod quotes;
mod titles;
mod updates;

use chorus_model::{Conflict, Position, Update, UpdateKind, UpdateValue};
use rustc_hash::FxHashMap;

use crate::facts::Facts;
use crate::numbers::NumRef;
use crate::quotes::Groups;
use crate::story::Story;
use crate::time::Times;

pub use numbers::{NUMBER_CONTEXT_SHARED, NUMBER_WINDOW};
pub use quotes::{ATTRIBUTION_MIN_STEMS, ATTRIBUTION_OVERLAP, WORDING_LENGTH_RATIO};

/// What the story's times tell the comparisons.
pub(crate) struct Develop<'a> {
    pub times: &'a Times,
    /// Each article's outlet: an outlet that changes its own value has
    /// updated it.
    pub outlets: Vec<String>,
    /// The contract id of each fact, by cluster index.
    pub fact_ids: &'a [String],
}

/// Conflicts, and the updates told apart from them.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub conflicts: Vec<Conflict>,
    pub updates: Vec<Update>,
    /// Sentences that give a value a later report updated: a summary of
    /// the story as it stands leaves them out.
    pub outdated: Vec<usize>,
    /// For a fact whose value changed: the sentence that first gave its
    /// latest value, to represent the fact (cluster index, sentence).
    pub latest: Vec<(usize, usize)>,
}

/// An update with what the story's other parts need of it.
pub(crate) struct Developed {
    pub update: Update,
    /// Sentences of its superseded values.
    pub outdated: Vec<usize>,
    /// The sentence that first gave its latest value.
    pub latest: Option<usize>,
    /// The fact (cluster index) its values sit in, when one.
    pub fact: Option<usize>,
}

impl Found {
    fn add(&mut self, conflicts: Vec<Conflict>, developed: Vec<Developed>) {
        self.conflicts.extend(conflicts);
        for d in developed {
            self.outdated.extend(d.outdated);
            if let (Some(f), Some(s)) = (d.fact, d.latest) {
                self.latest.push((f, s));
            }
            self.updates.push(d.update);
        }
    }
}

pub(crate) fn find(
    story: &Story,
    facts: &Facts,
    nums: &[NumRef],
    quotes: &Groups,
    times: &Times,
    fact_ids: &[String],
) -> Found {
    let dev = Develop { times, outlets: story.docs.iter().map(|d| d.article.outlet()).collect(), fact_ids };
    let mut found = Found::default();
    let (c, u) = numbers::number_conflicts(story, facts, nums, &dev);
    found.add(c, u);
    let (c, u) = titles::title_conflicts(story, facts, &dev);
    found.add(c, u);
    found.add(quotes::attribution_conflicts(story, quotes), Vec::new());
    let (c, u) = dates::date_conflicts(story, facts, nums, &dev);
    found.add(c, u);
    found.add(quotes::quote_conflicts(story, quotes), Vec::new());
    found.outdated.sort_unstable();
    found.outdated.dedup();
    found
}

/// The update a split found, when two or more of its values are backed by
/// an independent article. `describe(class)` gives a value's text and the
/// sentence that first reported it.
fn develop_update(
    story: &Story,
    split: &updates::Split,
    items: &[updates::Item],
    kind: UpdateKind,
    subject: &str,
    describe: impl Fn(usize) -> (String, Option<usize>),
) -> Option<Developed> {
    if split.chain.len() < 2 {
        return None;
    }
    let mut values = Vec::new();
    for &c in &split.chain {
        let of = |keep: &dyn Fn(usize) -> bool| {
            story.ids((0..items.len()).filter(|&i| items[i].class == c && keep(i)).map(|i| items[i].doc))
        };
        let live: Vec<usize> =
            (0..items.len()).filter(|&i| items[i].class == c && !split.stale[i] && !split.history[i]).collect();
        if !live.iter().any(|&i| story.docs[items[i].doc].independent) {
            continue;
        }
        let (value, sent) = describe(c);
        values.push(UpdateValue {
            value,
            text: sent.map(|s| story.sents[s].text.trim().to_string()).unwrap_or_default(),
            time: split.first[c].and_then(|i| items[i].when.as_ref()).map(crate::time::When::iso),
            articles: of(&|i| !split.stale[i] && !split.history[i]),
            stale: of(&|i| split.stale[i]),
        });
    }
    if values.len() < 2 {
        return None;
    }
    // Sentences that give only superseded values ("rose from 12 to 14"
    // gives the latest one too, and stays).
    let current: Vec<usize> = items.iter().filter(|it| !split.superseded[it.class]).filter_map(|it| it.sent).collect();
    let outdated = items
        .iter()
        .filter(|it| split.superseded[it.class])
        .filter_map(|it| it.sent)
        .filter(|s| !current.contains(s))
        .collect();
    let last = *split.chain.last()?;
    Some(Developed {
        update: Update { kind, subject: subject.to_string(), values, fact: None },
        outdated,
        latest: split.first[last].and_then(|i| items[i].sent),
        fact: None,
    })
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
