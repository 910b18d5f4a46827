//! A story's fact history: what its earlier analyses found, so that a
//! fact's first report and the values it took survive re-analysis.
//!
//! A story is analysed again whenever it gains or loses an article, and an
//! analysis sees only the articles it is given: when the article that first
//! reported a figure is removed, or new articles change which sentences
//! group into one fact, the first report and the earlier values would
//! vanish from the story. So after each analysis the store keeps each
//! fact's mentions (article and sentence), first report and updates
//! ([`Kept`]), and the next analysis is merged with what was kept
//! ([`merge`]): a fact that shares a mention with a kept one keeps the
//! earlier first report and regains the values it no longer sees.
//!
//! This is derived data like the analysis itself, kept in a table of its
//! own (`story_history`) by two store methods, `fact_history` and
//! `keep_fact_history`.

use chorus_model::{Fact, FirstReported, Story, Update};
use serde::{Deserialize, Serialize};

/// Most facts kept per story: those with updates first, then the best
/// supported. A story's key facts are a few dozen; the bound keeps a
/// story of thousands of articles from carrying thousands of kept facts.
pub const KEEP_MAX: usize = 200;

/// One fact as an earlier analysis saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Kept {
    /// Its mentions as `article id` + U+001F + sentence: how a later
    /// analysis's fact is matched to this one.
    pub keys: Vec<String>,
    pub text: String,
    pub first_reported: Option<FirstReported>,
    /// The updates of this fact.
    pub updates: Vec<Update>,
}

fn keys(f: &Fact) -> Vec<String> {
    let mut k: Vec<String> = f.mentions.iter().map(|m| format!("{}\u{1f}{}", m.article, m.text)).collect();
    k.sort();
    k.dedup();
    k
}

fn shares(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.binary_search(x).is_ok())
}

/// The latest instant a first report or update time stands for.
fn at(t: Option<&str>) -> Option<chrono::DateTime<chrono::Utc>> {
    t.and_then(chorus_model::time::latest)
}

/// Merges what earlier analyses kept into a new analysis of the story, and
/// returns what to keep from now on.
pub fn merge(story: &mut Story, kept: &[Kept]) -> Vec<Kept> {
    let mut used = vec![false; kept.len()];
    let mut out: Vec<Kept> = Vec::with_capacity(story.facts.len());
    for fi in 0..story.facts.len() {
        let mut fkeys = keys(&story.facts[fi]);
        let id = story.facts[fi].id.clone();
        for (k, old) in kept.iter().enumerate() {
            if !shares(&fkeys, &old.keys) {
                continue;
            }
            used[k] = true;
            let fact = &mut story.facts[fi];
            // The earlier first report wins.
            let earlier = match (&old.first_reported, &fact.first_reported) {
                (Some(o), Some(n)) => matches!(
                    (at(o.time.as_deref()), at(n.time.as_deref())),
                    (Some(a), Some(b)) if a < b
                ),
                (Some(_), None) => true,
                _ => false,
            };
            if earlier {
                fact.first_reported = old.first_reported.clone();
                for e in story.timeline.iter_mut().filter(|e| e.fact.as_deref() == Some(id.as_str())) {
                    if let Some(fr) = &old.first_reported {
                        e.time = fr.time.clone();
                        e.articles = fr.articles.clone();
                    }
                }
            }
            // Values the new analysis no longer sees.
            for ou in &old.updates {
                restore(story, &id, ou);
            }
            fkeys.extend(old.keys.iter().cloned());
        }
        fkeys.sort();
        fkeys.dedup();
        let fact = &story.facts[fi];
        out.push(Kept {
            keys: fkeys,
            text: fact.text.clone(),
            first_reported: fact.first_reported.clone(),
            updates: story.updates.iter().filter(|u| u.fact.as_deref() == Some(id.as_str())).cloned().collect(),
        });
    }
    story.timeline.sort_by_key(|e| at(e.time.as_deref()));
    // Facts no analysis sees any more keep their history, should they come
    // back.
    out.sort_by_key(|k| (k.updates.is_empty(), std::cmp::Reverse(k.keys.len())));
    out.extend(kept.iter().zip(&used).filter(|(_, u)| !**u).map(|(k, _)| k.clone()));
    out.truncate(KEEP_MAX);
    out
}

/// Forgets an article that was removed from the store: its mentions stop
/// being keys, and a first report or value that only it carried goes.
///
/// History exists so that regrouping and re-analysis do not lose what the
/// stored articles said; an article taken out on purpose (`DELETE`,
/// `chorus remove`) must leave no trace in its story.
pub fn forget(kept: &mut Vec<Kept>, article: &str) {
    let prefix = format!("{article}\u{1f}");
    for k in kept.iter_mut() {
        k.keys.retain(|x| !x.starts_with(&prefix));
        if let Some(fr) = &mut k.first_reported {
            fr.articles.retain(|a| a != article);
            if fr.articles.is_empty() {
                k.first_reported = None;
            }
        }
        for u in &mut k.updates {
            u.values.retain_mut(|v| {
                v.articles.retain(|a| a != article);
                v.stale.retain(|a| a != article);
                !v.articles.is_empty()
            });
        }
        // One value left is no longer a change.
        k.updates.retain(|u| u.values.len() >= 2);
    }
    kept.retain(|k| !k.keys.is_empty());
}

/// Puts an update's kept values back into the story's update of that fact
/// (or the whole update, when the new analysis has none), and drops a
/// conflict that only set those values against each other.
fn restore(story: &mut Story, fact: &str, old: &Update) {
    match story.updates.iter_mut().find(|u| u.fact.as_deref() == Some(fact) && u.kind == old.kind) {
        Some(u) => {
            for v in &old.values {
                if !u.values.iter().any(|x| x.value == v.value) {
                    u.values.push(v.clone());
                }
            }
            u.values.sort_by_key(|v| at(v.time.as_deref()));
        }
        None => {
            let mut u = old.clone();
            u.fact = Some(fact.to_string());
            story.updates.push(u);
        }
    }
    let values: Vec<String> = old.values.iter().map(|v| v.value.to_lowercase()).collect();
    story.conflicts.retain(|c| {
        let same_kind = serde_json::to_value(c.kind).ok() == serde_json::to_value(old.kind).ok();
        !(same_kind && c.positions.iter().all(|p| values.contains(&p.value.to_lowercase())))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_model::{Conflict, ConflictKind, Mention, Position, TimelineEntry, UpdateKind, UpdateValue};

    fn fact(id: &str, mentions: &[(&str, &str)], first: &str, by: &str) -> Fact {
        Fact {
            id: id.into(),
            text: mentions[0].1.into(),
            articles: mentions.iter().map(|m| m.0.to_string()).collect(),
            mentions: mentions.iter().map(|m| Mention { article: m.0.into(), text: m.1.into() }).collect(),
            first_reported: Some(FirstReported { time: Some(first.into()), articles: vec![by.into()] }),
        }
    }

    fn value(v: &str, time: &str, by: &str) -> UpdateValue {
        UpdateValue { value: v.into(), time: Some(time.into()), articles: vec![by.into()], ..Default::default() }
    }

    #[test]
    fn a_first_report_and_old_values_survive_a_reanalysis_without_them() {
        // First analysis: 12 dead (a, day 1), 14 dead (b, day 2).
        let mut first = Story {
            facts: vec![fact("f1", &[("a", "Twelve died."), ("b", "Fourteen died.")], "2024-03-11", "a")],
            updates: vec![Update {
                kind: UpdateKind::Number,
                subject: "people".into(),
                values: vec![value("Twelve", "2024-03-11", "a"), value("Fourteen", "2024-03-12", "b")],
                fact: Some("f1".into()),
            }],
            ..Default::default()
        };
        let kept = merge(&mut first, &[]);
        assert_eq!(kept.len(), 1);
        // Article a is removed; the next analysis sees b and c only, and
        // (without a) calls 14 against 20 on day 3 a conflict.
        let mut second = Story {
            facts: vec![fact("f2", &[("b", "Fourteen died."), ("c", "Twenty died.")], "2024-03-12", "b")],
            conflicts: vec![Conflict {
                kind: ConflictKind::Number,
                subject: "people".into(),
                positions: vec![
                    Position { value: "Fourteen".into(), articles: vec!["b".into()] },
                    Position { value: "Twelve".into(), articles: vec!["x".into()] },
                ],
            }],
            timeline: vec![TimelineEntry {
                time: Some("2024-03-12".into()),
                text: "Fourteen died.".into(),
                articles: vec!["b".into()],
                fact: Some("f2".into()),
            }],
            ..Default::default()
        };
        let kept = merge(&mut second, &kept);
        let f = &second.facts[0];
        assert_eq!(f.first_reported.as_ref().and_then(|r| r.time.as_deref()), Some("2024-03-11"));
        assert_eq!(second.timeline[0].time.as_deref(), Some("2024-03-11"));
        let u = &second.updates[0];
        assert_eq!(u.fact.as_deref(), Some("f2"));
        let vs: Vec<&str> = u.values.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(vs, vec!["Twelve", "Fourteen"]);
        assert!(second.conflicts.is_empty(), "the restored values are an update, not a conflict");
        assert!(kept[0].keys.iter().any(|k| k.starts_with("a\u{1f}")), "old mentions stay keys");
    }

    #[test]
    fn facts_no_longer_seen_are_kept_for_later() {
        let mut s = Story { facts: vec![fact("f1", &[("a", "One.")], "2024-03-11", "a")], ..Default::default() };
        let kept = merge(&mut s, &[]);
        let mut t = Story { facts: vec![fact("g1", &[("b", "Other.")], "2024-03-12", "b")], ..Default::default() };
        let kept = merge(&mut t, &kept);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn a_removed_article_leaves_no_trace_in_the_history() {
        let mut story = Story {
            facts: vec![fact("f1", &[("a", "Twelve died."), ("b", "Twelve people died.")], "2024-03-11", "a")],
            updates: vec![Update {
                kind: UpdateKind::Number,
                subject: "people".into(),
                values: vec![value("Twelve", "2024-03-11", "a"), value("Fourteen", "2024-03-12", "b")],
                fact: Some("f1".into()),
            }],
            ..Default::default()
        };
        let mut kept = merge(&mut story, &[]);
        kept.push(Kept { keys: vec!["a\u{1f}Only a said this.".into()], ..Default::default() });
        forget(&mut kept, "a");
        assert_eq!(kept.len(), 1, "a fact only the removed article carried is gone");
        let k = &kept[0];
        assert!(k.keys.iter().all(|x| !x.starts_with("a\u{1f}")));
        assert!(k.first_reported.is_none(), "its first report was the removed article's alone");
        assert!(k.updates.is_empty(), "one value left is no update");
        assert!(!serde_json::to_string(&kept).unwrap().contains("\"a\""));
    }
}
