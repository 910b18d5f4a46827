//! When each fact was first reported, and the story's timeline: what was
//! reported when, and by whom first.
//!
//! A fact's first report is its earliest article's filing time (see
//! [`crate::time`]); the articles that first reported it are those filed
//! at a time not clearly after that one, so two outlets publishing the same
//! news on the same day share it. The timeline takes, for each day, the
//! facts first reported that day that most independent articles carry
//! (at most [`PER_DAY`]), and every new value of an update, in time order.

use chorus_model::{Fact, FirstReported, TimelineEntry, Update};
use rustc_hash::FxHashMap;

use crate::facts::Facts;
use crate::story::Story;
use crate::time::{Times, When};

/// Facts shown per day of the timeline: a day's headline developments,
/// not every detail (the facts list has them all). Five is what a news
/// digest lists for one event on one day.
pub const PER_DAY: usize = 5;

/// The first report of each fact, by cluster index: its time and the
/// sentences (one per article) that gave it then.
struct First {
    when: When,
    sents: Vec<usize>,
}

fn first_of(story: &Story, times: &Times, members: &[usize]) -> Option<First> {
    let when = members.iter().filter_map(|&s| times.docs[story.sents[s].doc]).min_by_key(When::key)?;
    let mut sents: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&s| times.docs[story.sents[s].doc].is_some_and(|w| !when.clearly_before(&w)))
        .collect();
    sents.sort_by_key(|&s| {
        (!story.docs[story.sents[s].doc].independent, times.docs[story.sents[s].doc].map(|w| w.key()))
    });
    Some(First { when, sents })
}

/// Sets each fact's `first_reported` (facts in cluster order).
pub(crate) fn first_reported(story: &Story, facts: &Facts, times: &Times, out: &mut [Fact]) {
    for (cl, fact) in facts.clusters.iter().zip(out.iter_mut()) {
        fact.first_reported = first_of(story, times, &cl.members).map(|f| FirstReported {
            time: Some(f.when.iso()),
            articles: story.ids(f.sents.iter().map(|&s| story.sents[s].doc)),
        });
    }
}

/// The story's timeline (facts in cluster order, with their contract ids).
pub(crate) fn timeline(
    story: &Story,
    facts: &Facts,
    times: &Times,
    model: &[Fact],
    updates: &[Update],
) -> Vec<TimelineEntry> {
    let mut by_day: FxHashMap<chrono::NaiveDate, Vec<(usize, First)>> = FxHashMap::default();
    for (f, cl) in facts.clusters.iter().enumerate() {
        if let Some(first) = first_of(story, times, &cl.members) {
            by_day.entry(first.when.first).or_default().push((f, first));
        }
    }
    let mut entries: Vec<(When, usize, TimelineEntry)> = Vec::new();
    for (_, mut day) in by_day {
        // Best carried first, then what the first reports led with.
        day.sort_by_key(|(f, first)| {
            (std::cmp::Reverse(facts.clusters[*f].support), first.sents.first().map(|&s| story.sents[s].pos), *f)
        });
        for (rank, (f, first)) in day.into_iter().take(PER_DAY).enumerate() {
            let text = first.sents.first().map(|&s| story.sents[s].text.trim().to_string()).unwrap_or_default();
            entries.push((
                first.when,
                rank,
                TimelineEntry {
                    time: Some(first.when.iso()),
                    text,
                    articles: story.ids(first.sents.iter().map(|&s| story.sents[s].doc)),
                    fact: model.get(f).map(|m| m.id.clone()),
                },
            ));
        }
    }
    // Each new value of an update, when its first reporters were filed.
    let doc_of: FxHashMap<&str, usize> = (0..story.docs.len()).map(|d| (story.article_id(d), d)).collect();
    for u in updates {
        for v in u.values.iter().skip(1) {
            let docs: Vec<usize> = v.articles.iter().filter_map(|a| doc_of.get(a.as_str()).copied()).collect();
            let Some(when) = docs.iter().filter_map(|&d| times.docs[d]).min_by_key(When::key) else { continue };
            if entries.iter().any(|(_, _, e)| e.text == v.text) {
                continue;
            }
            let first: Vec<usize> =
                docs.into_iter().filter(|&d| times.docs[d].is_some_and(|w| !when.clearly_before(&w))).collect();
            entries.push((
                when,
                usize::MAX,
                TimelineEntry {
                    time: Some(when.iso()),
                    text: v.text.clone(),
                    articles: story.ids(first),
                    fact: u.fact.clone(),
                },
            ));
        }
    }
    entries.sort_by(|a, b| a.0.key().cmp(&b.0.key()).then(a.1.cmp(&b.1)));
    entries.into_iter().map(|(_, _, e)| e).collect()
}
