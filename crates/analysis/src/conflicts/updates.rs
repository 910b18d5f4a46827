//! Updates against conflicts: the values of one slot, each with the time it
//! was given for (see [`crate::time`]), split into a story that developed
//! and sources that disagree.
//!
//! Values (classes of mutually compatible mentions) are ordered by when
//! each was first reported and grouped into moments: values first reported
//! at times that are not clearly different share a moment. From one moment
//! to the next, a value is an **update** of one before it when the change
//! goes the way news develops (the caller says which way that is for its
//! kind: a count that rises, a title whose status moves on, or any change
//! the text marks as a revision), or when an outlet that gave the earlier
//! value gives the new one (it has updated itself). Then, per mention:
//!
//! - a mention of a value given clearly after a later value was first
//!   reported is **stale**: an outdated figure repeated, not a position;
//! - a mention of an earlier value in an article that also gives a later
//!   one ("rose from 12 to 14") is **history**, neither;
//! - but an article that gives two values for one time, with no word of
//!   change ("Syriza won 71 seats and Golden Dawn 18"), knows them as two
//!   quantities: they neither update nor contradict each other;
//! - two mentions of different values at times that are not clearly
//!   different, from different articles, **conflict**; so do the values of
//!   a step between moments that is no update (a count that falls with no
//!   word of revision).

use crate::time::{When, clearly_before, clearly_different};

/// Words that mark a value as a revision of an earlier one, whichever way
/// it moved: the text itself says the story developed.
pub(super) const REVISION_CUES: &[&str] = &[
    "revised",
    "revises",
    "revising",
    "corrected",
    "correction",
    "lowered",
    "downgraded",
    "upgraded",
    "updated",
    "amended",
    "now",
    "reduced",
    "rose",
    "risen",
    "climbed",
    "fell",
    "dropped",
    "decreased",
    "postponed",
    "rescheduled",
    "moved",
    "delayed",
    "changed",
    "earlier",
    "previously",
    "initially",
];

/// Whether a sentence carries a revision cue.
pub(super) fn has_revision_cue(sentence: &str) -> bool {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| !w.is_empty() && REVISION_CUES.contains(&w.to_lowercase().as_str()))
}

/// One mention of one value.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub class: usize,
    pub doc: usize,
    pub when: Option<When>,
    /// Its sentence in the story table, when it has one.
    pub sent: Option<usize>,
    /// Its sentence marks a change ("rose from", "revised"): beside
    /// another value in one article, it is the story's history, not a
    /// second quantity.
    pub cue: bool,
}

/// How the mentions of one slot split.
#[derive(Debug, Clone, Default)]
pub(super) struct Split {
    /// Values of the update chain, in the order first reported; empty when
    /// no value updated another.
    pub chain: Vec<usize>,
    /// Per class: the item that first reported it.
    pub first: Vec<Option<usize>>,
    /// Per item: repeated after it was outdated.
    pub stale: Vec<bool>,
    /// Per item: an earlier value given beside a later one by one article.
    pub history: Vec<bool>,
    /// Per class: a later value updated it.
    pub superseded: Vec<bool>,
    /// Values that disagree, each with the items that back it in the
    /// disagreement; empty when nothing disagrees.
    pub conflict: Vec<(usize, Vec<usize>)>,
}

impl Split {
    /// Per disagreeing value, the articles that back it (sorted, once each).
    pub fn conflict_docs(&self, items: &[Item]) -> Vec<Vec<usize>> {
        self.conflict
            .iter()
            .map(|(_, is)| {
                let mut d: Vec<usize> = is.iter().map(|&i| items[i].doc).collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect()
    }
}

/// Splits the items of `classes` values. `outlet[doc]` names each article's
/// outlet; `is_update(from, to, item)` says whether value `to`, first
/// reported by `item` after `from`, moved the way news develops; `apart`
/// lists pairs of values the caller knows some article gives side by side
/// as two quantities (beyond the items).
pub(super) fn split(
    items: &[Item],
    classes: usize,
    outlet: &[String],
    apart_pairs: &[(usize, usize)],
    is_update: impl Fn(usize, usize, usize) -> bool,
) -> Split {
    let by_key = |i: usize| items[i].when.as_ref().map(When::key);
    // First report of each value: its earliest known time.
    let mut first: Vec<Option<usize>> = vec![None; classes];
    for (i, it) in items.iter().enumerate() {
        if it.when.is_none() {
            continue;
        }
        let f = &mut first[it.class];
        if f.is_none_or(|j| by_key(i) < by_key(j)) {
            *f = Some(i);
        }
    }
    let mut order: Vec<usize> = (0..classes).filter(|&c| first[c].is_some()).collect();
    order.sort_by_key(|&c| (by_key(first[c].unwrap_or(0)), c));
    // Moments: values first reported at times not clearly different from
    // the moment's first.
    let mut moments: Vec<Vec<usize>> = Vec::new();
    for c in order {
        let when = first[c].and_then(|i| items[i].when.as_ref());
        match moments.last_mut() {
            Some(m) if !clearly_before(first[m[0]].and_then(|i| items[i].when.as_ref()), when) => m.push(c),
            _ => moments.push(vec![c]),
        }
    }
    let moment_of = |c: usize| moments.iter().position(|m| m.contains(&c));
    // Values one article gives side by side, for one time and with no word
    // of change: two quantities.
    let mut apart = vec![vec![false; classes]; classes];
    for &(a, b) in apart_pairs.iter().filter(|(a, b)| *a < classes && *b < classes) {
        apart[a][b] = true;
        apart[b][a] = true;
    }
    for x in items {
        for y in items {
            let past = |a: &Item, b: &Item| a.cue || b.cue || clearly_before(a.when.as_ref(), b.when.as_ref());
            if x.doc == y.doc && x.class != y.class && !past(x, y) && !past(y, x) {
                apart[x.class][y.class] = true;
            }
        }
    }
    // Steps between consecutive moments.
    let mut updated = vec![false; classes];
    let mut step_conflicts: Vec<(usize, usize)> = Vec::new();
    for k in 1..moments.len() {
        for &b in &moments[k] {
            let fb = first[b].map(|i| items[i].when);
            let self_update = |a: usize| {
                let b_outlets: Vec<&str> =
                    items.iter().filter(|it| it.class == b).map(|it| outlet[it.doc].as_str()).collect();
                items.iter().any(|it| {
                    it.class == a
                        && b_outlets.contains(&outlet[it.doc].as_str())
                        && fb.is_some_and(|w| clearly_before(it.when.as_ref(), w.as_ref()))
                })
            };
            let prev: Vec<usize> = moments[k - 1].iter().copied().filter(|&a| !apart[a][b]).collect();
            if prev.is_empty() {
                continue;
            }
            if prev.iter().any(|&a| first[b].is_some_and(|fb| is_update(a, b, fb)) || self_update(a)) {
                updated[b] = true;
            } else {
                step_conflicts.extend(prev.iter().map(|&a| (a, b)));
            }
        }
    }
    // When each value was outdated: the first report of the next moment
    // that brought an update.
    let mut outdated: Vec<Option<When>> = vec![None; classes];
    for (k, m) in moments.iter().enumerate() {
        let next = moments[k + 1..].iter().find(|n| n.iter().any(|&b| updated[b]));
        if let Some(n) = next {
            let w = first[n[0]].and_then(|i| items[i].when);
            for &c in m {
                outdated[c] = w;
            }
        }
    }
    // History: an article that gives a later value beside this one.
    let history: Vec<bool> = items
        .iter()
        .map(|x| {
            let mx = moment_of(x.class);
            items.iter().any(|y| {
                y.doc == x.doc
                    && y.class != x.class
                    && moment_of(y.class) > mx
                    && mx.is_some()
                    && !apart[x.class][y.class]
            })
        })
        .collect();
    let stale: Vec<bool> = items
        .iter()
        .enumerate()
        .map(|(i, x)| !history[i] && clearly_before(outdated[x.class].as_ref(), x.when.as_ref()))
        .collect();
    // Disagreements at one time.
    let live = |i: usize| !stale[i] && !history[i];
    let mut involved: Vec<bool> = vec![false; items.len()];
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            let (x, y) = (&items[i], &items[j]);
            if x.class == y.class || x.doc == y.doc || !live(i) || !live(j) || apart[x.class][y.class] {
                continue;
            }
            if !clearly_different(x.when.as_ref(), y.when.as_ref()) {
                involved[i] = true;
                involved[j] = true;
            }
        }
    }
    // Steps that are no update: both values, as given.
    for &(a, b) in &step_conflicts {
        for (i, it) in items.iter().enumerate() {
            if (it.class == a || it.class == b) && live(i) {
                involved[i] = true;
            }
        }
    }
    let mut conflict: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if !involved[i] {
            continue;
        }
        match conflict.iter_mut().find(|(c, _)| *c == it.class) {
            Some(e) => e.1.push(i),
            None => conflict.push((it.class, vec![i])),
        }
    }
    conflict.sort_by_key(|(c, _)| (moment_of(*c), *c));
    let chain: Vec<usize> = if updated.iter().any(|&u| u) {
        let mut chain: Vec<usize> = moments[0].clone();
        for m in &moments[1..] {
            chain.extend(m.iter().copied().filter(|&c| updated[c]));
        }
        chain
    } else {
        Vec::new()
    };
    let superseded = outdated.iter().map(Option::is_some).collect();
    Split { chain, first, stale, history, superseded, conflict }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<When> {
        When::parse(s)
    }

    fn item(class: usize, doc: usize, when: &str) -> Item {
        Item { class, doc, when: day(when), sent: None, cue: false }
    }

    fn outlets(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("outlet {i}")).collect()
    }

    /// Values 12, 14, 20, 23 as classes 0 to 3: rising is an update.
    fn rising(a: usize, b: usize, _: usize) -> bool {
        [12, 14, 20, 23][b] > [12, 14, 20, 23][a]
    }

    #[test]
    fn a_count_rising_over_days_is_an_update() {
        let items = vec![item(0, 0, "2031-05-12"), item(1, 1, "2031-05-13"), item(2, 2, "2031-05-14")];
        let s = split(&items, 3, &outlets(3), &[], rising);
        assert_eq!(s.chain, vec![0, 1, 2]);
        assert!(s.conflict.is_empty(), "{s:?}");
    }

    #[test]
    fn different_values_on_one_day_conflict() {
        let items = vec![item(0, 0, "2031-05-12T08:00:00Z"), item(1, 1, "2031-05-12T20:00:00Z")];
        let s = split(&items, 2, &outlets(2), &[], rising);
        assert!(s.chain.is_empty());
        assert_eq!(s.conflict.len(), 2);
    }

    #[test]
    fn an_outdated_figure_repeated_later_is_stale() {
        // 12 on day 1, 14 on day 2, 12 again on day 3 beside 20.
        let items = vec![
            item(0, 0, "2031-05-12"),
            item(1, 1, "2031-05-13"),
            item(2, 2, "2031-05-14"),
            item(0, 3, "2031-05-14"),
        ];
        let s = split(&items, 3, &outlets(4), &[], rising);
        assert_eq!(s.chain, vec![0, 1, 2]);
        assert!(s.stale[3]);
        assert!(s.conflict.is_empty(), "{s:?}");
    }

    #[test]
    fn a_fall_without_a_revision_is_a_conflict_unless_the_outlet_revised_itself() {
        let items = vec![item(1, 0, "2031-05-12"), item(0, 1, "2031-05-13")];
        let s = split(&items, 2, &outlets(2), &[], rising);
        assert!(s.chain.is_empty());
        assert_eq!(s.conflict.len(), 2);
        let same = vec!["one".to_string(), "one".to_string()];
        let s = split(&items, 2, &same, &[], rising);
        assert_eq!(s.chain, vec![1, 0]);
        assert!(s.conflict.is_empty());
    }

    #[test]
    fn two_values_side_by_side_are_two_quantities() {
        // Day 2: one article gives 12 and 14 for one time, no word of change.
        let items = vec![item(0, 0, "2031-05-12"), item(0, 1, "2031-05-13"), item(1, 1, "2031-05-13")];
        let s = split(&items, 2, &outlets(2), &[], rising);
        assert!(s.chain.is_empty() && s.conflict.is_empty(), "{s:?}");
    }

    #[test]
    fn an_earlier_value_beside_a_later_one_is_history() {
        // Day 2: one article says "rose from 12 to 14", another says 14.
        let mut items = vec![
            item(0, 0, "2031-05-12"),
            item(0, 1, "2031-05-13"),
            item(1, 1, "2031-05-13"),
            item(1, 2, "2031-05-13"),
        ];
        items[1].cue = true;
        items[2].cue = true;
        let s = split(&items, 2, &outlets(3), &[], rising);
        assert_eq!(s.chain, vec![0, 1]);
        assert!(s.history[1] && !s.stale[1]);
        assert!(s.conflict.is_empty(), "{s:?}");
    }

    #[test]
    fn unknown_times_keep_every_difference_a_conflict() {
        let items = vec![Item { class: 0, doc: 0, when: None, sent: None, cue: false }, item(1, 1, "2031-05-13")];
        let s = split(&items, 2, &outlets(2), &[], rising);
        assert!(s.chain.is_empty());
        assert_eq!(s.conflict.len(), 2);
    }

    #[test]
    fn a_same_day_split_after_updates_is_both() {
        // 12, then 14, then 20 and 23 on one day.
        let items = vec![
            item(0, 0, "2031-05-12"),
            item(1, 1, "2031-05-13"),
            item(2, 2, "2031-05-14"),
            item(3, 3, "2031-05-14"),
        ];
        let s = split(&items, 4, &outlets(4), &[], rising);
        assert_eq!(s.chain, vec![0, 1, 2, 3]);
        let classes: Vec<usize> = s.conflict.iter().map(|c| c.0).collect();
        assert_eq!(classes, vec![2, 3]);
    }

    #[test]
    fn revision_cues_are_words() {
        assert!(has_revision_cue("Officials revised the toll to 14."));
        assert!(has_revision_cue("The toll now stands at 14."));
        assert!(!has_revision_cue("Fourteen people were killed."));
    }
}
