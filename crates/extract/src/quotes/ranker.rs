//! The choice among a quote's speaker candidates: a linear model over the
//! candidates' named features, trained offline on the train split of
//! attribution-dev by `scripts/train-speaker-ranker.py` and shipped as
//! `data/speaker_ranker.tsv`. It is a conditional logit (a softmax over one
//! quote's candidates), fitted to choose among them as it is used here,
//! rather than to score each candidate alone.
//!
//! The clause reader's choice is one candidate among others, so the model
//! learns when to trust it and when the subject of the sentence before, the
//! speaker of the previous quote or a pronoun's second antecedent is the
//! better reading. Scoring is a sum of weights: no runtime, no allocation
//! beyond the lookup table built once.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::candidates::Candidate;

const WEIGHTS: &str = include_str!("../../data/speaker_ranker.tsv");

struct Model {
    bias: f32,
    /// A best candidate scoring below this is no speaker (`null`).
    threshold: f32,
    weights: FxHashMap<&'static str, f32>,
}

static MODEL: LazyLock<Model> = LazyLock::new(|| parse(WEIGHTS));

/// Reads `name<TAB>weight` lines; `#` starts a comment, `bias` and
/// `threshold` are the intercept and the cut-off. A line that does not read
/// is skipped (a unit test keeps the shipped file clean).
fn parse(src: &'static str) -> Model {
    let mut m = Model { bias: 0.0, threshold: f32::NEG_INFINITY, weights: FxHashMap::default() };
    for line in src.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, w)) = line.split_once('\t') else { continue };
        let Ok(w) = w.trim().parse::<f32>() else { continue };
        match name.trim() {
            "bias" => m.bias = w,
            "threshold" => m.threshold = w,
            n => {
                m.weights.insert(n, w);
            }
        }
    }
    m
}

/// The model's score of one candidate (log-odds that it is the speaker).
pub fn score(c: &Candidate) -> f32 {
    let m = &*MODEL;
    m.bias + c.features.iter().map(|(n, v)| m.weights.get(n).copied().unwrap_or(0.0) * v).sum::<f32>()
}

/// The index of the best candidate, or none when there is none or the best
/// scores under the model's threshold. Ties go to the earlier candidate (the
/// clause reader's own choice comes first).
pub fn choose(cands: &[Candidate]) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, c) in cands.iter().enumerate() {
        let s = score(c);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.filter(|&(_, s)| s >= MODEL.threshold).map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_weights_read_whole() {
        let lines: Vec<&str> = WEIGHTS.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
        let special = lines.iter().filter(|l| l.starts_with("bias\t") || l.starts_with("threshold\t")).count();
        let m = parse(WEIGHTS);
        assert_eq!(m.weights.len() + special, lines.len(), "every line of speaker_ranker.tsv reads");
        assert!(m.weights.contains_key("rule"), "the clause reader's choice is a feature");
        assert!(m.weights.values().all(|w| w.is_finite()));
    }

    #[test]
    fn best_candidate_wins_and_ties_keep_order() {
        let c = |s: &str, f: Vec<(&'static str, f32)>| Candidate { speaker: s.into(), features: f };
        assert_eq!(choose(&[]), None);
        let a = c("Ann Lee", vec![("rule", 1.0), ("rule_adjacent", 1.0)]);
        let b = c("Tom Park", vec![("quote_prev", 1.0)]);
        assert_eq!(choose(&[a.clone(), b.clone()]), Some(0));
        assert_eq!(choose(&[b.clone(), b]), Some(0));
    }
}
