//! The block classifier: gradient-boosted regression trees over the block
//! features, trained offline by `scripts/train_extractor.py` and shipped as
//! a small text file (`model.txt` beside this module), evaluated here in
//! plain Rust.
//!
//! Format, one item a line, `#` lines are comments:
//! `features NAME…` (the feature order it was trained on), `threshold T`
//! (the probability above which a block is kept), `bias B`, then per tree
//! `tree` followed by its nodes, one a line, numbered from 0 in order:
//! `s FEATURE THRESHOLD LEFT RIGHT` (go LEFT when the value is ≤ THRESHOLD)
//! or `l VALUE`. The score of a block is `bias` plus the leaf value of every
//! tree, and its probability is the logistic of that.

use std::sync::LazyLock;

use super::features::NAMES;

#[derive(Debug, Clone, Copy)]
enum Node {
    Split { feature: u16, threshold: f64, left: u32, right: u32 },
    Leaf(f32),
}

/// A node of the flattened forest. Trees are stored in preorder, so a
/// split's left child is the next node; `right` indexes the right child. A
/// leaf has `feature == LEAF` and its value in `threshold`.
#[derive(Debug, Clone, Copy)]
struct Flat {
    threshold: f64,
    feature: u32,
    right: u32,
}

const LEAF: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Model {
    /// Every tree's nodes, one after another (16 bytes a node, so a block's
    /// walk through the forest stays in cache).
    nodes: Vec<Flat>,
    roots: Vec<u32>,
    bias: f32,
    /// Probability at or above which a block is kept.
    pub threshold: f32,
}

/// The model shipped with chorus.
pub static BUILTIN: LazyLock<Model> =
    LazyLock::new(|| Model::parse(include_str!("model.txt")).expect("the shipped model matches the features"));

impl Model {
    /// Reads a model file, checking that it was trained on exactly the
    /// features this code computes.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut trees: Vec<Vec<Node>> = Vec::new();
        let mut bias = 0.0;
        let mut threshold = 0.5;
        let mut features_ok = false;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_ascii_whitespace();
            let bad = |what: &str| format!("model line {}: {what}", n + 1);
            let num = |s: Option<&str>| -> Result<f32, String> {
                s.and_then(|s| s.parse::<f32>().ok()).filter(|x| x.is_finite()).ok_or_else(|| bad("bad number"))
            };
            let idx = |s: Option<&str>| -> Result<u32, String> {
                s.and_then(|s| s.parse::<u32>().ok()).ok_or_else(|| bad("bad index"))
            };
            match parts.next() {
                Some("features") => {
                    let names: Vec<&str> = parts.collect();
                    if names.len() != NAMES.len() || names.iter().zip(NAMES.iter()).any(|(a, b)| a != b) {
                        return Err(bad("the model's features differ from this code's; retrain it"));
                    }
                    features_ok = true;
                }
                Some("threshold") => threshold = num(parts.next())?,
                Some("bias") => bias = num(parts.next())?,
                Some("tree") => trees.push(Vec::new()),
                Some("s") => {
                    let feature = idx(parts.next())?;
                    if feature as usize >= NAMES.len() {
                        return Err(bad("feature out of range"));
                    }
                    let node = Node::Split {
                        feature: feature as u16,
                        // Thresholds are kept at the trainer's precision:
                        // rounded to f32, one could land on a feature value
                        // and send it down the other branch.
                        threshold: parts
                            .next()
                            .and_then(|s| s.parse::<f64>().ok())
                            .filter(|x| x.is_finite())
                            .ok_or_else(|| bad("bad number"))?,
                        left: idx(parts.next())?,
                        right: idx(parts.next())?,
                    };
                    trees.last_mut().ok_or_else(|| bad("node before `tree`"))?.push(node);
                }
                Some("l") => {
                    let leaf = Node::Leaf(num(parts.next())?);
                    trees.last_mut().ok_or_else(|| bad("node before `tree`"))?.push(leaf);
                }
                _ => return Err(bad("unknown line")),
            }
        }
        if !features_ok {
            return Err("model names no features".into());
        }
        // Children must point forward inside their tree, so evaluation always
        // ends at a leaf.
        for (t, tree) in trees.iter().enumerate() {
            for (i, node) in tree.iter().enumerate() {
                if let Node::Split { left, right, .. } = *node
                    && [left, right].iter().any(|&c| c as usize <= i || c as usize >= tree.len())
                {
                    return Err(format!("tree {t}: node {i} has a child out of order"));
                }
            }
            if tree.is_empty() {
                return Err(format!("tree {t} is empty"));
            }
        }
        let mut nodes = Vec::new();
        let mut roots = Vec::with_capacity(trees.len());
        for (t, tree) in trees.iter().enumerate() {
            let base = nodes.len() as u32;
            roots.push(base);
            for (i, node) in tree.iter().enumerate() {
                nodes.push(match *node {
                    Node::Leaf(v) => Flat { threshold: f64::from(v), feature: LEAF, right: 0 },
                    Node::Split { feature, threshold, left, right } => {
                        if left as usize != i + 1 {
                            return Err(format!("tree {t}: node {i} is not in preorder"));
                        }
                        Flat { threshold, feature: u32::from(feature), right: base + right }
                    }
                });
            }
        }
        Ok(Model { nodes, roots, bias, threshold })
    }

    /// Probability that a block with these features is main content.
    pub fn probability(&self, row: &[f32]) -> f32 {
        let mut score = f64::from(self.bias);
        for &root in &self.roots {
            let mut i = root as usize;
            loop {
                let n = self.nodes[i];
                if n.feature == LEAF {
                    score += n.threshold;
                    break;
                }
                i = if f64::from(row[n.feature as usize]) <= n.threshold { i + 1 } else { n.right as usize };
            }
        }
        (1.0 / (1.0 + (-score).exp())) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> String {
        format!("features {}\nthreshold 0.5\n", NAMES.join(" "))
    }

    #[test]
    fn evaluates_trees() {
        let text = header() + "bias 0.0\ntree\ns 0 1.5 1 2\nl -2\nl 2\ntree\nl 0.5\n";
        let m = Model::parse(&text).unwrap();
        let mut row = vec![0.0; NAMES.len()];
        assert!(m.probability(&row) < 0.5);
        row[0] = 3.0;
        assert!(m.probability(&row) > 0.9);
    }

    #[test]
    fn refuses_bad_models() {
        assert!(Model::parse("features a b\ntree\nl 1\n").is_err());
        assert!(Model::parse(&(header() + "tree\ns 0 1 0 0\nl 1\n")).is_err());
        // Right child before left: not preorder.
        assert!(Model::parse(&(header() + "tree\ns 0 1 2 1\nl 1\nl 2\n")).is_err());
        assert!(Model::parse(&(header() + "tree\ns 9999 1 1 2\nl 1\nl 2\n")).is_err());
        assert!(Model::parse(&(header() + "l 1\n")).is_err());
    }

    #[test]
    fn shipped_model_loads() {
        assert!(!BUILTIN.roots.is_empty());
    }
}
