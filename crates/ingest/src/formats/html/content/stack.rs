//! The second stage of the block classifier: each block re-scored from the
//! first forest's scores of the blocks around it (stacking). The first
//! forest judges a block by its own features and fixed summaries of its
//! surroundings; what it cannot see is how its neighbours were judged: a
//! short heading between two kept paragraphs is the body's subheading, the
//! same line among dropped teasers is a teaser's title; a paragraph in a
//! box whose other blocks all went is the box's blurb. These features pool
//! the first scores over the structures a page repeats everywhere — reading
//! order, the block's container, its box in the main container, its item and
//! its like siblings — and say how much of the page the first stage keeps,
//! so the second forest learns these corrections across sites.
//!
//! Training (`scripts/train_extractor.py`) feeds the second forest first
//! scores from fold models that never saw the page's site, so it learns from
//! scores like those the shipped first forest gives on new sites.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::features::{Links, NAMES};
use super::segment::Segmented;

/// A block counts as kept by the first stage, for the features that count
/// kept blocks and text, at a first probability of at least this: the
/// first forest's own keep threshold (`model.txt`), where its decisions are
/// even.
const KEPT_P: f32 = 0.5;

/// Blocks either side of a block pooled as its reading-order window: a
/// paragraph and the lines around it (a subheading, a caption, a one-line
/// call to action) without reaching into the next section.
const WINDOW: usize = 3;

/// First-stage features copied into the second stage's rows, by name: what
/// the block is (size, links, prose, kind) and where it sits against the
/// end of the article, which the pooled scores are read against.
const OWN: [&str; 14] = [
    "log_chars",
    "link_density",
    "is_prose",
    "is_title",
    "kind_h2",
    "kind_h3",
    "kind_li",
    "in_top",
    "top_offset",
    "is_end_marker",
    "after_end_marker",
    "rep_count",
    "box_log_blocks",
    "cue_first",
];

/// The pooled features, in row order, before the [`OWN`] ones.
const POOLED: [&str; 31] = [
    "p",
    "p_prev",
    "p_next",
    "p_prev2",
    "p_next2",
    "win_mean",
    "win_max",
    "win_min",
    "parent_mean",
    "parent_max",
    "parent_log_n",
    "box_mean",
    "box_max",
    "box_log_n",
    "item_mean",
    "item_max",
    "group_mean",
    "group_max",
    "group_log_n",
    "page_mean",
    "page_kept_share",
    "top_kept_share",
    "above_share",
    "prev_kept_gap",
    "next_kept_gap",
    "prev_kept_chars_gap",
    "next_kept_chars_gap",
    "kept_before",
    "kept_after",
    "run_log_blocks",
    "run_share",
];

/// The second stage's feature names, in row order: what its model file
/// must name.
pub static STACK_NAMES: LazyLock<Vec<String>> =
    LazyLock::new(|| POOLED.iter().chain(OWN.iter()).map(|s| format!("s_{s}")).collect());

/// Columns of the [`OWN`] features in a first-stage row.
static OWN_COLS: LazyLock<Vec<usize>> = LazyLock::new(|| {
    OWN.iter().map(|n| NAMES.iter().position(|m| m == n).unwrap_or_else(|| panic!("no block feature {n}"))).collect()
});

/// Chars-weighted sums of first scores over the blocks that share a key,
/// and the two highest scores, so a block's pool can leave itself out.
#[derive(Clone, Copy)]
struct Pool {
    wp: f64,
    w: f64,
    n: u32,
    top: (f32, usize),
    second: f32,
}

impl Default for Pool {
    fn default() -> Pool {
        Pool { wp: 0.0, w: 0.0, n: 0, top: (-1.0, usize::MAX), second: -1.0 }
    }
}

impl Pool {
    fn add(&mut self, i: usize, p: f32, w: f64) {
        self.wp += w * f64::from(p);
        self.w += w;
        self.n += 1;
        if p > self.top.0 {
            self.second = self.top.0;
            self.top = (p, i);
        } else if p > self.second {
            self.second = p;
        }
    }

    /// Mean, max and count of the other blocks of the pool than `i`
    /// (-1, -1, 0 when there is none).
    fn without(&self, i: usize, p: f32, w: f64) -> [f32; 3] {
        let n = self.n.saturating_sub(1);
        if n == 0 {
            return [-1.0, -1.0, 0.0];
        }
        let rest = self.w - w;
        let mean = if rest > 0.0 { ((self.wp - w * f64::from(p)) / rest) as f32 } else { -1.0 };
        let max = if self.top.1 == i { self.second } else { self.top.0 };
        [mean, max, (n as f32).ln_1p()]
    }
}

fn pools(keys: impl Iterator<Item = u32>, p: &[f32], w: &[f64]) -> (Vec<u32>, Vec<Pool>) {
    let mut index: FxHashMap<u32, u32> = FxHashMap::default();
    let mut pools = vec![Pool::default()];
    let mut of = Vec::with_capacity(p.len());
    for (i, key) in keys.enumerate() {
        let k = if key == 0 {
            0
        } else {
            *index.entry(key).or_insert_with(|| {
                pools.push(Pool::default());
                (pools.len() - 1) as u32
            })
        };
        if k != 0 {
            pools[k as usize].add(i, p[i], w[i]);
        }
        of.push(k);
    }
    (of, pools)
}

/// Second-stage rows of a page's blocks, `STACK_NAMES.len()` numbers a
/// block: from the page's segmentation, its first-stage `rows` and
/// [`Links`], and the first forest's probability `p` of every block.
pub fn features(seg: &Segmented, rows: &[f32], links: &[Links], p: &[f32]) -> Vec<f32> {
    let n = seg.blocks.len();
    let width = NAMES.len();
    let mut out = Vec::with_capacity(n * STACK_NAMES.len());
    if n == 0 {
        return out;
    }
    let w: Vec<f64> = seg.blocks.iter().map(|b| f64::from(b.chars.max(1))).collect();
    let total: f64 = w.iter().sum();
    let kept: Vec<bool> = p.iter().map(|&x| x >= KEPT_P).collect();
    let kept_total: f64 = w.iter().zip(&kept).filter(|(_, k)| **k).map(|(w, _)| w).sum();
    let page_mean = (w.iter().zip(p).map(|(w, &p)| w * f64::from(p)).sum::<f64>() / total) as f32;
    let col = |name: &str| NAMES.iter().position(|m| m == name);
    let in_top_col = col("in_top");

    let (parent_of, parent_pools) = pools(seg.blocks.iter().map(|b| seg.elems[b.owner as usize].parent), p, &w);
    let (box_of, box_pools) = pools(links.iter().map(|l| l.boxed), p, &w);
    let (item_of, item_pools) = pools(links.iter().map(|l| l.item), p, &w);
    let (group_of, group_pools) = pools(links.iter().map(|l| l.group), p, &w);

    // The main container's text the first stage keeps.
    let (mut top_all, mut top_kept) = (0.0, 0.0);
    if let Some(c) = in_top_col {
        for i in 0..n {
            if rows[i * width + c] > 0.0 {
                top_all += w[i];
                if kept[i] {
                    top_kept += w[i];
                }
            }
        }
    }
    let top_kept_share = if top_all > 0.0 { (top_kept / top_all) as f32 } else { -1.0 };

    // Share of the page's text in blocks scored above each block.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    let mut above = vec![0f32; n];
    let mut acc = 0.0;
    let mut k = 0;
    while k < n {
        // Ties share the text above them.
        let mut j = k;
        while j < n && p[order[j]] == p[order[k]] {
            above[order[j]] = (acc / total) as f32;
            j += 1;
        }
        for &i in &order[k..j] {
            acc += w[i];
        }
        k = j;
    }

    // Nearest kept block before and after each block (not itself), and
    // kept text before each block.
    let mut prev_kept = vec![usize::MAX; n];
    let mut last = usize::MAX;
    for i in 0..n {
        prev_kept[i] = last;
        if kept[i] {
            last = i;
        }
    }
    let mut next_kept = vec![usize::MAX; n];
    last = usize::MAX;
    for i in (0..n).rev() {
        next_kept[i] = last;
        if kept[i] {
            last = i;
        }
    }
    let mut chars_before = vec![0f64; n + 1];
    let mut kept_before = vec![0f64; n + 1];
    for i in 0..n {
        chars_before[i + 1] = chars_before[i] + w[i];
        kept_before[i + 1] = kept_before[i] + if kept[i] { w[i] } else { 0.0 };
    }
    // Runs of blocks on the same side of the keep line.
    let mut run = vec![(0usize, 0usize); n];
    let mut start = 0;
    for i in 0..n {
        if i + 1 == n || kept[i + 1] != kept[i] {
            for r in &mut run[start..=i] {
                *r = (start, i + 1);
            }
            start = i + 1;
        }
    }

    let none_gap = (n as f32).ln_1p();
    for i in 0..n {
        let at = |j: Option<usize>| j.filter(|&j| j < n).map_or(-1.0, |j| p[j]);
        out.push(p[i]);
        out.push(at(i.checked_sub(1)));
        out.push(at(Some(i + 1)));
        out.push(at(i.checked_sub(2)));
        out.push(at(Some(i + 2)));
        let (lo, hi) = (i.saturating_sub(WINDOW), (i + WINDOW + 1).min(n));
        let (mut wp, mut ws, mut mx, mut mn) = (0.0, 0.0, -1f32, 2f32);
        for j in (lo..hi).filter(|&j| j != i) {
            wp += w[j] * f64::from(p[j]);
            ws += w[j];
            mx = mx.max(p[j]);
            mn = mn.min(p[j]);
        }
        if ws > 0.0 {
            out.extend([(wp / ws) as f32, mx, mn]);
        } else {
            out.extend([-1.0, -1.0, -1.0]);
        }
        let [m, x, c] = parent_pools[parent_of[i] as usize].without(i, p[i], w[i]);
        out.extend([m, x, c]);
        let [m, x, c] = box_pools[box_of[i] as usize].without(i, p[i], w[i]);
        out.extend([m, x, c]);
        let [m, x, _] = item_pools[item_of[i] as usize].without(i, p[i], w[i]);
        out.extend([m, x]);
        let [m, x, c] = group_pools[group_of[i] as usize].without(i, p[i], w[i]);
        out.extend([m, x, c]);
        out.push(page_mean);
        out.push((kept_total / total) as f32);
        out.push(top_kept_share);
        out.push(above[i]);
        let gap = |j: usize| if j == usize::MAX { none_gap } else { (j.abs_diff(i) as f32 - 1.0).ln_1p() };
        out.push(gap(prev_kept[i]));
        out.push(gap(next_kept[i]));
        out.push(match prev_kept[i] {
            usize::MAX => -1.0,
            j => ((chars_before[i] - chars_before[j + 1]) / total) as f32,
        });
        out.push(match next_kept[i] {
            usize::MAX => -1.0,
            j => ((chars_before[j] - chars_before[i + 1]) / total) as f32,
        });
        if kept_total > 0.0 {
            out.push((kept_before[i] / kept_total) as f32);
            out.push(((kept_total - kept_before[i + 1]) / kept_total) as f32);
        } else {
            out.extend([-1.0, -1.0]);
        }
        let (a, b) = run[i];
        out.push(((b - a) as f32).ln_1p());
        out.push(((chars_before[b] - chars_before[a]) / total) as f32);
        let row = &rows[i * width..(i + 1) * width];
        out.extend(OWN_COLS.iter().map(|&c| row[c]));
    }
    out
}

#[cfg(test)]
mod tests {
    use scraper::Html;

    use super::super::features::features_and_links;
    use super::super::segment::segment;
    use super::*;

    #[test]
    fn rows_pool_the_neighbours_scores() {
        let para = "The port closed on Monday, officials said, and ships waited offshore for several long days.";
        let seg = segment(&Html::parse_document(&format!(
            "<body><h1>Storm closes port</h1><div class='story'><p>{para}</p><h2>What next</h2><p>{para} Yes.</p>\
             </div><ul><li class='card'><a href=/a>Ferry stops</a><p>Short teaser.</p></li>\
             <li class='card'><a href=/b>Tax rises</a><p>Another teaser.</p></li></ul></body>"
        )));
        let (rows, links) = features_and_links(&seg, Some("Storm closes port"));
        let n = seg.blocks.len();
        // Body kept, teasers dropped, the subheading undecided.
        let p: Vec<f32> = seg
            .blocks
            .iter()
            .map(|b| match b.text.as_str() {
                "What next" => 0.4,
                t if t.starts_with("The port") || t == "Storm closes port" => 0.9,
                _ => 0.1,
            })
            .collect();
        let s = features(&seg, &rows, &links, &p);
        let w = STACK_NAMES.len();
        assert_eq!(s.len(), n * w);
        assert!(s.iter().all(|x| x.is_finite()));
        let col = |name: &str| STACK_NAMES.iter().position(|m| m == name).unwrap();
        let row = |text: &str| seg.blocks.iter().position(|b| b.text == text).unwrap() * w;
        let sub = row("What next");
        assert_eq!(s[sub + col("s_p")], 0.4);
        assert_eq!(s[sub + col("s_p_prev")], 0.9);
        assert_eq!(s[sub + col("s_p_next")], 0.9);
        assert_eq!(s[sub + col("s_prev_kept_gap")], 0.0, "right after a kept block");
        assert_eq!(s[sub + col("s_parent_max")], 0.9, "its container's paragraphs are kept");
        assert_eq!(s[sub + col("s_kind_h2")], 1.0);
        let teaser = row("Short teaser.");
        assert_eq!(s[teaser + col("s_item_max")], 0.1, "its card's other block");
        assert_eq!(s[teaser + col("s_group_max")], 0.1);
        assert!(s[teaser + col("s_group_log_n")] > 0.0);
        assert_eq!(s[teaser + col("s_kept_after")], 0.0, "no kept text after it");
        assert_eq!(s[teaser + col("s_next_kept_gap")], (n as f32).ln_1p());
    }

    #[test]
    fn an_empty_page_has_no_rows() {
        let seg = segment(&Html::parse_document("<body></body>"));
        let (rows, links) = features_and_links(&seg, None);
        assert!(features(&seg, &rows, &links, &[]).is_empty());
    }
}
