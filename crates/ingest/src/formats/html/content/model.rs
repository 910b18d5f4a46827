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
/// leaf has `feature == LEAF` and its value in `threshold`. A split's
/// threshold is the trained (double) one rounded down to the nearest `f32`:
/// features are `f32`, and for every `f32` x, x ≤ t₆₄ exactly when
/// x ≤ t₃₂, so the decisions are the trained model's while nodes take 12
/// bytes instead of 16.
#[derive(Debug, Clone, Copy)]
struct Flat {
    threshold: f32,
    feature: u32,
    right: u32,
}

/// The largest `f32` not above `t`.
fn f32_at_or_below(t: f64) -> f32 {
    let r = t as f32;
    if f64::from(r) > t { r.next_down() } else { r }
}

const LEAF: u32 = u32::MAX;

/// How often (in trees) a block's walk checks whether its decision is made.
const CHECK_EVERY: usize = 8;

/// Scores this close to the keep margin are walked through every tree, so
/// rounding in the bounds' sums can never flip a decision.
const MARGIN_SLACK: f64 = 1e-6;

#[derive(Debug, Clone)]
pub struct Model {
    /// Every tree's nodes, one after another (12 bytes a node, so a block's
    /// walk through the forest stays in cache).
    nodes: Vec<Flat>,
    roots: Vec<u32>,
    /// Per tree k, the smallest and largest sum of leaves trees k.. can add.
    rest: Vec<(f64, f64)>,
    bias: f32,
    /// The same forest as bit masks ([`Masks`]), when every tree fits.
    masks: Option<Masks>,
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
                    Node::Leaf(v) => Flat { threshold: v, feature: LEAF, right: 0 },
                    Node::Split { feature, threshold, left, right } => {
                        if left as usize != i + 1 {
                            return Err(format!("tree {t}: node {i} is not in preorder"));
                        }
                        Flat { threshold: f32_at_or_below(threshold), feature: u32::from(feature), right: base + right }
                    }
                });
            }
        }
        let mut rest = vec![(0.0, 0.0); roots.len() + 1];
        for k in (0..roots.len()).rev() {
            let end = roots.get(k + 1).map_or(nodes.len(), |&r| r as usize);
            let leaves =
                nodes[roots[k] as usize..end].iter().filter(|n| n.feature == LEAF).map(|n| f64::from(n.threshold));
            let (lo, hi) = leaves.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
            rest[k] = (rest[k + 1].0 + lo, rest[k + 1].1 + hi);
        }
        let masks = Masks::of(&trees);
        Ok(Model { nodes, roots, rest, bias, masks, threshold })
    }

    /// Whether each row of `rows` (`width` features each) scores at least
    /// the keep threshold: [`Model::probability`] for a page's blocks.
    ///
    /// Scored by [`Masks`] when every tree fits its masks (the shipped model
    /// does). Otherwise each block walks the trees, and its walk stops early
    /// once the trees left cannot change the decision: every
    /// [`CHECK_EVERY`] trees its score so far is compared with the keep
    /// margin (the threshold's log-odds) widened by the smallest and largest
    /// sums of leaves the remaining trees can add. Decisions are exactly
    /// those of walking every tree (a score within [`MARGIN_SLACK`] of the
    /// margin is always walked to the end).
    pub fn keep(&self, rows: &[f32], width: usize) -> Vec<bool> {
        if let Some(masks) = &self.masks {
            return masks.keep(rows, width.max(1), self.bias, self.threshold);
        }
        let t = f64::from(self.threshold);
        let margin = if t > 0.0 && t < 1.0 { (t / (1.0 - t)).ln() } else { f64::NAN };
        rows.chunks_exact(width.max(1))
            .map(|row| {
                let mut score = f64::from(self.bias);
                for (k, &root) in self.roots.iter().enumerate() {
                    if k % CHECK_EVERY == 0 && k > 0 && margin.is_finite() {
                        let (lo, hi) = self.rest[k];
                        if score + lo > margin + MARGIN_SLACK {
                            return true;
                        }
                        if score + hi < margin - MARGIN_SLACK {
                            return false;
                        }
                    }
                    score += self.walk(root, row);
                }
                logistic(score) >= self.threshold
            })
            .collect()
    }

    /// The leaf value a row reaches in the tree at `root`.
    #[inline]
    fn walk(&self, root: u32, row: &[f32]) -> f64 {
        let mut i = root as usize;
        loop {
            let n = self.nodes[i];
            if n.feature == LEAF {
                return f64::from(n.threshold);
            }
            i = if row[n.feature as usize] <= n.threshold { i + 1 } else { n.right as usize };
        }
    }

    /// Probability that a block with these features is main content.
    pub fn probability(&self, row: &[f32]) -> f32 {
        let score = f64::from(self.bias) + self.roots.iter().map(|&root| self.walk(root, row)).sum::<f64>();
        logistic(score)
    }
}

/// Rows scored together by [`Masks::keep`]: the lanes of one pass over the
/// forest's thresholds. Eight `f32` and eight `u32` are two SSE registers
/// each, and a batch's features fit in a few cache lines.
const LANES: usize = 8;

/// Most leaves a tree may have for [`Masks`]: one bit each in a `u32`.
const MASK_LEAVES: usize = 32;

/// The forest in QuickScorer's form (Lucchese et al., SIGIR 2015): every
/// split as (feature, threshold, tree, mask), sorted by feature and
/// threshold, the mask clearing the leaves of the split's left subtree (the
/// leaves a row cannot reach once its value is above the threshold). A row's
/// leaf in a tree is the leftmost leaf that no split it fails has cleared, so
/// scoring is a scan of each feature's thresholds up to the row's value,
/// AND-ing masks, with no data-dependent branch per node; rows go through
/// [`LANES`] at a time. Leaves are numbered left to right (the order
/// preorder lists them).
#[derive(Debug, Clone)]
struct Masks {
    /// Per feature f, its splits are `start[f]..start[f + 1]`.
    start: Vec<u32>,
    threshold: Vec<f32>,
    tree: Vec<u32>,
    mask: Vec<u32>,
    /// Tree t's leaves are `leaves[first_leaf[t]..]`, left to right.
    first_leaf: Vec<u32>,
    leaves: Vec<f32>,
}

impl Masks {
    /// `None` when a tree has more leaves than a mask holds.
    fn of(trees: &[Vec<Node>]) -> Option<Masks> {
        let mut splits: Vec<(u16, f32, u32, u32)> = Vec::new();
        let mut first_leaf = Vec::with_capacity(trees.len());
        let mut leaves = Vec::new();
        for (t, tree) in trees.iter().enumerate() {
            // Leaves before each node, in preorder.
            let mut before = Vec::with_capacity(tree.len() + 1);
            let mut n = 0u32;
            for node in tree {
                before.push(n);
                if let Node::Leaf(v) = *node {
                    leaves.push(v);
                    n += 1;
                }
            }
            before.push(n);
            if n as usize > MASK_LEAVES {
                return None;
            }
            first_leaf.push((leaves.len() - n as usize) as u32);
            for (i, node) in tree.iter().enumerate() {
                if let Node::Split { feature, threshold, right, .. } = *node {
                    // The left subtree is nodes i+1..right.
                    let (a, b) = (before[i + 1], before[right as usize]);
                    let left_bits = if b - a == 32 { u32::MAX } else { ((1u32 << (b - a)) - 1) << a };
                    splits.push((feature, f32_at_or_below(threshold), t as u32, !left_bits));
                }
            }
        }
        splits.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
        let mut start = vec![0u32; NAMES.len() + 1];
        for &(f, ..) in &splits {
            start[f as usize + 1] += 1;
        }
        for f in 0..NAMES.len() {
            start[f + 1] += start[f];
        }
        Some(Masks {
            start,
            threshold: splits.iter().map(|s| s.1).collect(),
            tree: splits.iter().map(|s| s.2).collect(),
            mask: splits.iter().map(|s| s.3).collect(),
            first_leaf,
            leaves,
        })
    }

    /// [`Model::keep`] by masks: the score of every row over every tree,
    /// summed in tree order as the walk sums it, so the decisions are the
    /// walk's.
    // `!(x <= t)`: a NaN goes right, as the walk's `<=` sends it.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    fn keep(&self, rows: &[f32], width: usize, bias: f32, threshold: f32) -> Vec<bool> {
        let n = rows.len() / width;
        let trees = self.first_leaf.len();
        let mut out = Vec::with_capacity(n);
        let mut alive = vec![[u32::MAX; LANES]; trees];
        for batch in (0..n).step_by(LANES) {
            let lanes = LANES.min(n - batch);
            for a in alive.iter_mut() {
                *a = [u32::MAX; LANES];
            }
            for f in 0..self.start.len() - 1 {
                let (from, to) = (self.start[f] as usize, self.start[f + 1] as usize);
                if from == to {
                    continue;
                }
                // Missing lanes repeat the batch's last row.
                let x: [f32; LANES] = std::array::from_fn(|l| rows[(batch + l.min(lanes - 1)) * width + f]);
                for e in from..to {
                    let t = self.threshold[e];
                    // A walk goes right when !(x <= t), NaN included.
                    let right: [bool; LANES] = std::array::from_fn(|l| !(x[l] <= t));
                    if !right.iter().any(|&r| r) {
                        // Thresholds ascend: no lane fails a later split.
                        break;
                    }
                    let m = self.mask[e];
                    let a = &mut alive[self.tree[e] as usize];
                    for l in 0..LANES {
                        a[l] &= if right[l] { m } else { u32::MAX };
                    }
                }
            }
            for l in 0..lanes {
                let mut score = f64::from(bias);
                for (t, a) in alive.iter().enumerate() {
                    score += f64::from(self.leaves[self.first_leaf[t] as usize + a[l].trailing_zeros() as usize]);
                }
                out.push(logistic(score) >= threshold);
            }
        }
        out
    }
}

fn logistic(score: f64) -> f32 {
    (1.0 / (1.0 + (-score).exp())) as f32
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
    fn early_exit_keeps_the_full_walks_decisions() {
        // Rows of varied values, each decided with and without early exit.
        let width = NAMES.len();
        let mut state = 17u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 40) as f32 / (1u64 << 24) as f32
        };
        let rows: Vec<f32> = (0..width * 2000).map(|_| next() * 6.0 - 1.0).collect();
        let fast = BUILTIN.keep(&rows, width);
        for (row, kept) in rows.chunks_exact(width).zip(fast) {
            assert_eq!(kept, BUILTIN.probability(row) >= BUILTIN.threshold);
        }
    }

    #[test]
    fn masks_decide_as_the_walk() {
        let width = NAMES.len();
        let mut state = 5u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 40) as f32 / (1u64 << 24) as f32
        };
        // Rows of varied values, some repeating thresholds exactly, a NaN;
        // counts that leave partial batches.
        let thresholds: Vec<f32> = BUILTIN.masks.as_ref().unwrap().threshold.clone();
        for n in [0, 1, 7, 8, 9, 1001] {
            let mut rows: Vec<f32> = (0..width * n).map(|_| next() * 6.0 - 1.0).collect();
            for (i, v) in rows.iter_mut().enumerate().step_by(3) {
                *v = thresholds[i % thresholds.len()];
            }
            if n > 0 {
                rows[5] = f32::NAN;
            }
            let fast = BUILTIN.keep(&rows, width);
            assert_eq!(fast.len(), n);
            for (row, kept) in rows.chunks_exact(width).zip(fast) {
                assert_eq!(kept, BUILTIN.probability(row) >= BUILTIN.threshold);
            }
        }
    }

    #[test]
    fn f32_thresholds_decide_as_the_trained_doubles() {
        for t in [0.1f64, 1e-35, -1e-35, 3.3380873203277592, 0.47365921735763555, -7.25] {
            let r = f32_at_or_below(t);
            assert!(f64::from(r) <= t && f64::from(r.next_up()) > t, "{t}");
        }
    }

    #[test]
    fn shipped_model_loads() {
        assert!(!BUILTIN.roots.is_empty());
    }
}
