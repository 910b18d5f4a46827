//! Attribution and quote conflicts: one utterance credited to different
//! speakers, or worded materially differently.

use chorus_model::{Conflict, ConflictKind, EntityKind};

use super::{position, real, shorten};
use crate::quotes::{Groups, normalized, wordings};
use crate::story::Story;

/// Overlap coefficient at or above which two quotes credited to different
/// speakers are one utterance (an attribution conflict). Stricter than
/// quote grouping: it asserts an error in someone's reporting.
pub const ATTRIBUTION_OVERLAP: f32 = 0.7;

/// Content stems such a quote must have: short phrases ("we are ready")
/// are said by many people.
pub const ATTRIBUTION_MIN_STEMS: usize = 5;

/// Two wordings of one utterance are a quote conflict only when the shorter
/// has at least this share of the longer's content stems: below it they are
/// different fragments of a speech, not rival renderings of one.
pub const WORDING_LENGTH_RATIO: f32 = 0.5;

pub(super) fn attribution_conflicts(story: &Story, g: &Groups) -> Vec<Conflict> {
    let qs = &g.quotes;
    let mut out = Vec::new();
    let mut done: Vec<(usize, usize)> = Vec::new();
    for i in 0..qs.len() {
        for j in i + 1..qs.len() {
            let (a, b) = (&qs[i], &qs[j]);
            let (Some(sa), Some(sb)) = (a.speaker, b.speaker) else { continue };
            if sa == sb || a.doc == b.doc || a.stems.len().min(b.stems.len()) < ATTRIBUTION_MIN_STEMS {
                continue;
            }
            // "Najib" and "Najib Razak" are one speaker the merge missed,
            // not two; and a quote credited to an office or a government
            // ("the Elysée said") is its head's words, not a rival claim.
            let person = |e: usize| story.ents.entities.get(e).is_some_and(|x| matches!(x.kind, EntityKind::Person));
            if share_name_token(story.entity_name(sa), story.entity_name(sb)) || !person(sa) || !person(sb) {
                continue;
            }
            let shared = a.stems.iter().filter(|s| b.stems.binary_search(s).is_ok()).count();
            let o = shared as f32 / a.stems.len().min(b.stems.len()) as f32;
            if o < ATTRIBUTION_OVERLAP || done.contains(&(sa.min(sb), sa.max(sb))) {
                continue;
            }
            // Every article quoting these words, by the speaker it names.
            let mut by_speaker: Vec<(usize, Vec<usize>)> = Vec::new();
            for q in qs {
                let Some(s) = q.speaker else { continue };
                let sh = q.stems.iter().filter(|x| a.stems.binary_search(x).is_ok()).count();
                if q.stems.is_empty() || (sh as f32) / (q.stems.len().min(a.stems.len()) as f32) < ATTRIBUTION_OVERLAP {
                    continue;
                }
                match by_speaker.iter_mut().find(|(x, _)| *x == s) {
                    Some(e) => e.1.push(q.doc),
                    None => by_speaker.push((s, vec![q.doc])),
                }
            }
            for e in &mut by_speaker {
                e.1.sort_unstable();
                e.1.dedup();
            }
            let docs: Vec<Vec<usize>> = by_speaker.iter().map(|(_, d)| d.clone()).collect();
            if !real(story, &docs) {
                continue;
            }
            done.push((sa.min(sb), sa.max(sb)));
            out.push(Conflict {
                kind: ConflictKind::Attribution,
                subject: format!("“{}”", shorten(a.text, 90)),
                positions: by_speaker
                    .iter()
                    .map(|(s, d)| position(story, story.entity_name(*s).to_string(), d))
                    .collect(),
            });
        }
    }
    out
}

fn share_name_token(a: &str, b: &str) -> bool {
    let ta: Vec<String> = a.split_whitespace().map(str::to_lowercase).collect();
    b.split_whitespace().any(|w| ta.contains(&w.to_lowercase()))
}

pub(super) fn quote_conflicts(story: &Story, g: &Groups) -> Vec<Conflict> {
    let mut out = Vec::new();
    for grp in &g.groups {
        let ws = wordings(&g.quotes, grp);
        if ws.len() < 2 {
            continue;
        }
        // Rival renderings of one span: comparable length, and each with
        // words the other lacks (subsets were folded already).
        let longest = ws.iter().map(|(r, _)| g.quotes[*r].stems.len()).max().unwrap_or(0);
        let ws: Vec<&(usize, Vec<usize>)> = ws
            .iter()
            .filter(|(r, _)| (g.quotes[*r].stems.len() as f32) >= WORDING_LENGTH_RATIO * longest as f32)
            .collect();
        let docs: Vec<Vec<usize>> = ws
            .iter()
            .map(|(_, m)| {
                let mut d: Vec<usize> = m.iter().map(|&i| g.quotes[i].doc).collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect();
        if !real(story, &docs) {
            continue;
        }
        // Identical words, different punctuation: not material.
        let distinct: Vec<String> = ws.iter().map(|(r, _)| normalized(g.quotes[*r].text)).collect();
        if distinct.iter().all(|d| *d == distinct[0]) {
            continue;
        }
        let speaker = g.speaker(story, grp).unwrap_or_else(|| "unattributed".to_string());
        out.push(Conflict {
            kind: ConflictKind::Quote,
            subject: speaker,
            positions: ws
                .iter()
                .zip(&docs)
                .map(|((r, _), d)| position(story, g.quotes[*r].text.to_string(), d))
                .collect(),
        });
    }
    out
}
