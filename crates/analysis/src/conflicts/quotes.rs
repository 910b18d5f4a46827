//! Quote conflicts: one utterance worded materially differently (one
//! credited to different speakers is `crate::attribution`'s).

use chorus_model::{Conflict, ConflictKind};

use super::{position, real};
use crate::quotes::{Groups, normalized, wordings};
use crate::story::Story;

/// Two wordings of one utterance are a quote conflict only when the shorter
/// has at least this share of the longer's content stems: below it they are
/// different fragments of a speech, not rival renderings of one.
pub const WORDING_LENGTH_RATIO: f32 = 0.5;

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
