//! Date conflicts: one event given different absolute dates.

use chorus_model::{Conflict, ConflictKind, UpdateKind};
use rustc_hash::FxHashMap;

use super::numbers;
use super::updates::{self, Item, has_revision_cue};
use super::{Develop, Developed, develop_update, most_common, position, real, shorten};
use crate::facts::Facts;
use crate::numbers::NumRef;
use crate::story::Story;

/// Content stems the windows of two dates must share (or one paraphrase
/// act) to date one event: a broad fact holds the dates of several
/// ("announced on 24 March" / "last known position … March 8"; "early
/// voted on March 2" / "the March 15 primary"). One word, not the
/// numbers' half: announcements of one date are paraphrased ("dam breach
/// will open on 18 March" / "dam gave way are due to begin on 21 March"
/// share only "dam").
pub const DATE_CONTEXT_SHARED: usize = 1;

/// Content words each side of a date, within its clause, that make its
/// window: five, because at three the paraphrased pair above shares
/// nothing; the clause cut, not the width, keeps other events' words out.
pub const DATE_WINDOW: usize = 5;

/// A date written out to the day or month ("March 3", "2024-03-03"), not a
/// relative one ("on Sunday") whose value depends on when each outlet
/// published, nor a bare year or decade, which is usually a different
/// event's.
fn absolute(text: &str) -> bool {
    let l = text.to_lowercase();
    let digits = l.chars().filter(char::is_ascii_digit).count();
    digits > 0 && (chorus_text::calendar::MONTHS.iter().any(|m| l.contains(m)) || digits >= 6)
}

/// Date conflicts, and dates the texts say were moved or corrected.
pub(super) fn date_conflicts(
    story: &Story,
    facts: &Facts,
    nums: &[NumRef],
    dev: &Develop,
) -> (Vec<Conflict>, Vec<Developed>) {
    // Only sentences that name exactly one date, written out: with two
    // dates in one sentence nothing says which event each belongs to.
    let mut per_sent: FxHashMap<usize, usize> = FxHashMap::default();
    for n in nums.iter().filter(|n| n.unit == "date") {
        *per_sent.entry(n.sent).or_insert(0) += 1;
    }
    let mut reader = numbers::Reader::new(story, nums);
    let dates: Vec<usize> = (0..nums.len())
        .filter(|&i| nums[i].span.date.is_some() && absolute(nums[i].text))
        .filter(|&i| per_sent.get(&nums[i].sent) == Some(&1))
        .collect();
    // A date without a year ("8 March") was placed in a year by guess;
    // `may_be_same` compares it by day and month only.
    let same = |a: &NumRef, b: &NumRef| match (a.span.date, b.span.date) {
        (Some(x), Some(y)) => x.may_be_same(&y),
        _ => false,
    };
    let mut by_fact: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &i in &dates {
        if let Some(f) = facts.of_sent[nums[i].sent] {
            by_fact.entry(f).or_default().push(i);
        }
    }
    let mut keys: Vec<usize> = by_fact.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    let mut updates_out = Vec::new();
    for f in keys {
        let ms = &by_fact[&f];
        // A class is checked through one member of each distinct date:
        // `same` reads nothing else, so a fact of thousands of mentions
        // stays linear.
        let mut classes: Vec<Vec<usize>> = Vec::new();
        let mut kinds: Vec<Vec<usize>> = Vec::new();
        for &i in ms {
            let n = &nums[i];
            match (0..classes.len()).find(|&c| kinds[c].iter().all(|&k| same(&nums[k], n))) {
                Some(c) => {
                    classes[c].push(i);
                    if !kinds[c].iter().any(|&k| nums[k].span.date == n.span.date) {
                        kinds[c].push(i);
                    }
                }
                None => {
                    classes.push(vec![i]);
                    kinds.push(vec![i]);
                }
            }
        }
        if classes.len() < 2 {
            continue;
        }
        // The sentences must say the same thing, in the same words or in
        // others, not just belong to one broad fact, and the dates' own
        // words must date one event: the numbers' neighbourhoods
        // (`numbers::relate`), sharing a word and not apart.
        if !classes.windows(2).all(|w| {
            let (a, b) = (w[0][0], w[1][0]);
            facts.says_same(story, nums[a].sent, nums[b].sent) && {
                let c = numbers::relate(&reader.hood(a, DATE_WINDOW, true), &reader.hood(b, DATE_WINDOW, true));
                !c.apart && (c.same_act || c.shared >= DATE_CONTEXT_SHARED)
            }
        }) {
            continue;
        }
        let subject = shorten(story.sents[facts.clusters[f].rep].text, 90);
        // The date is the value; the statement's time is its article's.
        let members: Vec<usize> = classes.iter().flatten().copied().collect();
        let items: Vec<Item> = classes
            .iter()
            .enumerate()
            .flat_map(|(k, c)| c.iter().map(move |&i| (k, i)))
            .map(|(k, i)| Item {
                class: k,
                doc: nums[i].doc,
                when: dev.times.docs[nums[i].doc],
                sent: Some(nums[i].sent),
                cue: has_revision_cue(story.sents[nums[i].sent].text),
            })
            .collect();
        // A date moves only when the text says so ("postponed to",
        // "corrected"), or when the outlet that gave it gives another.
        let split = updates::split(&items, classes.len(), &dev.outlets, &[], |_, _, fb| {
            has_revision_cue(story.sents[nums[members[fb]].sent].text)
        });
        let text_of = |is: &mut dyn Iterator<Item = usize>| most_common(is.map(|i| nums[members[i]].text.trim()));
        let describe = |k: usize| {
            let v = text_of(&mut (0..items.len()).filter(|&i| items[i].class == k));
            (v, split.first[k].map(|i| nums[members[i]].sent))
        };
        if let Some(mut d) = develop_update(story, &split, &items, UpdateKind::Date, &subject, describe) {
            d.fact = Some(f);
            d.update.fact = dev.fact_ids.get(f).cloned();
            updates_out.push(d);
        }
        let docs = split.conflict_docs(&items);
        if !real(story, &docs) {
            continue;
        }
        let positions = split
            .conflict
            .iter()
            .zip(&docs)
            .map(|((_, is), d)| position(story, text_of(&mut is.iter().copied()), d))
            .collect();
        out.push(Conflict { kind: ConflictKind::Date, subject, positions });
    }
    (out, updates_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_dates_only() {
        assert!(absolute("March 3, 2021"));
        assert!(absolute("2021-03-03"));
        assert!(!absolute("on Sunday"));
        assert!(!absolute("last week"));
        assert!(!absolute("1929"));
        assert!(!absolute("the 1930s"));
    }
}
