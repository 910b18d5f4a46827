//! The numbers the block classifier sees: general features of a block that
//! mean the same on every site — its text (length, links, punctuation), where
//! it sits (position, depth, the headline, the densest prose container), what
//! holds it (tag, semantic elements, class/id words), and its neighbours.
//!
//! [`NAMES`] is the one list of features: the training script reads it from
//! the block dump, and the model file names the features it was trained on,
//! so a model and this code that disagree are refused at load time.

use rustc_hash::FxHashMap;

use super::hints::{GROUPS, Hints};
use super::segment::{Block, Kind, Segmented, ctx, is_prose};

const KINDS: [(Kind, &str); 12] = [
    (Kind::P, "p"),
    (Kind::H1, "h1"),
    (Kind::H2, "h2"),
    (Kind::H3, "h3"),
    (Kind::Li, "li"),
    (Kind::Cell, "cell"),
    (Kind::Div, "div"),
    (Kind::Quote, "quote"),
    (Kind::Pre, "pre"),
    (Kind::Term, "term"),
    (Kind::Caption, "caption"),
    (Kind::OtherBlock, "other"),
];

const CTX: [&str; ctx::COUNT] = [
    "article",
    "main",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "list",
    "table",
    "figure",
    "quote",
    "heading",
    "body_prop",
    "address",
    "label",
    "details",
    "aria_hidden",
    "code",
    "time",
];

/// Feature names, in the order of each block's row.
pub static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let mut n: Vec<String> = [
        "log_chars",
        "log_words",
        "link_density",
        "punct_per_word",
        "sentence_end",
        "starts_upper",
        "mean_word_len",
        "digit_ratio",
        "cap_word_ratio",
        "separator_ratio",
        "copyright_sign",
        "duplicate",
        "rel_index",
        "rel_chars_before",
        "rel_chars_after",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    n.extend(KINDS.iter().map(|(_, k)| format!("kind_{k}")));
    n.extend(CTX.iter().map(|c| format!("in_{c}")));
    for scope in ["own", "near", "any"] {
        n.extend(GROUPS.iter().map(|g| format!("hint_{scope}_{}", g.name())));
    }
    n.extend(
        [
            "owner_depth",
            "owner_log_chars",
            "owner_link_density",
            "owner_prose_share",
            "owner_log_blocks",
            "container_log_chars",
            "container_link_density",
            "container_prose_share",
            "container_log_blocks",
            "container_page_share",
            "container_density",
            "grand_page_share",
            "grand_link_density",
            "grand_prose_share",
            "in_top",
            "in_top_parent",
            "top_prose_share",
            "top_page_share",
            "has_title",
            "is_title",
            "title_offset",
            "title_chars_offset",
            "title_lca_up",
            "prev_log_chars",
            "prev_link_density",
            "prev_punct",
            "prev_prose",
            "next_log_chars",
            "next_link_density",
            "next_punct",
            "next_prose",
            "prose_window",
            "is_prose",
            "page_log_chars",
            "page_log_blocks",
            "page_prose_share",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    n
});

/// Statistics of one block's own text.
#[derive(Debug, Clone, Copy, Default)]
struct TextStats {
    words: f32,
    punct: f32,
    sentence_end: bool,
    starts_upper: bool,
    digits: f32,
    cap_words: f32,
    separators: f32,
    copyright: bool,
}

fn text_stats(text: &str) -> TextStats {
    let mut s = TextStats::default();
    let mut in_word = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_word = false;
            continue;
        }
        if !in_word {
            s.words += 1.0;
            if c.is_uppercase() {
                s.cap_words += 1.0;
            }
            in_word = true;
        }
        match c {
            '.' | ',' | ';' | ':' | '!' | '?' => s.punct += 1.0,
            '|' | '•' | '»' | '·' | '›' | '/' => s.separators += 1.0,
            '©' => s.copyright = true,
            _ if c.is_ascii_digit() => s.digits += 1.0,
            _ => {}
        }
    }
    s.starts_upper = text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let end = text.trim_end_matches(['"', '\'', '”', '’', ')', '»', ' ']);
    s.sentence_end = end.ends_with(['.', '!', '?', '…', ':']);
    s
}

fn ln1p(x: f32) -> f32 {
    x.max(0.0).ln_1p()
}

fn ratio(a: f32, b: f32) -> f32 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// The block that carries the page's headline: the first `h1` that matches
/// the page's title (from its metadata), else the first `h1`, else the first
/// heading or block that matches the title.
pub fn title_block(seg: &Segmented, title: Option<&str>) -> Option<usize> {
    let norm = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let title = title.map(norm).filter(|t| t.len() >= 8);
    let matches = |b: &Block| {
        let t = norm(&b.text);
        title.as_ref().is_some_and(|title| t.len() >= 8 && (title.contains(&t) || t.contains(title.as_str())))
    };
    let kind = |b: &Block| seg.elems[b.owner as usize].kind;
    let h1s: Vec<usize> = seg.blocks.iter().enumerate().filter(|(_, b)| kind(b) == Kind::H1).map(|(i, _)| i).collect();
    h1s.iter()
        .copied()
        .find(|&i| matches(&seg.blocks[i]))
        .or_else(|| h1s.first().copied())
        .or_else(|| seg.blocks.iter().position(|b| b.chars < 300 && matches(b)))
}

/// The element holding the most prose, as Readability finds it: each prose
/// block credits its characters to its owner's parent and half of them to
/// the grandparent.
fn top_container(seg: &Segmented) -> Option<usize> {
    let mut score = vec![0f32; seg.elems.len()];
    for b in seg.blocks.iter().filter(|b| is_prose(b)) {
        let owner = &seg.elems[b.owner as usize];
        let parent = owner.parent as usize;
        let (target, grand) = if owner.kind == Kind::P || owner.kind == Kind::Quote {
            (parent, seg.elems[parent].parent as usize)
        } else {
            (b.owner as usize, parent)
        };
        score[target] += b.chars as f32;
        score[grand] += b.chars as f32 / 2.0;
    }
    let (best, s) =
        score.iter().enumerate().skip(1).fold((0, 0f32), |acc, (i, &s)| if s > acc.1 { (i, s) } else { acc });
    (s > 0.0).then_some(best)
}

/// Feature rows of every block, `NAMES.len()` numbers a block, row after row.
pub fn features(seg: &Segmented, title: Option<&str>) -> Vec<f32> {
    let n = seg.blocks.len();
    let width = NAMES.len();
    let mut out = Vec::with_capacity(n * width);
    if n == 0 {
        return out;
    }
    let total = seg.total_chars.max(1) as f32;
    let stats: Vec<TextStats> = seg.blocks.iter().map(|b| text_stats(&b.text)).collect();
    let prose: Vec<bool> = seg.blocks.iter().map(is_prose).collect();
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    for b in &seg.blocks {
        *seen.entry(b.text.as_str()).or_default() += 1;
    }
    let root = &seg.elems[0];
    let page_prose_share = ratio(root.prose_chars as f32, root.chars as f32);

    let top = top_container(seg);
    let mut under_top = vec![false; seg.elems.len()];
    let mut under_top_parent = vec![false; seg.elems.len()];
    if let Some(t) = top {
        let tp = seg.elems[t].parent as usize;
        // Elements are numbered in document order, parents first, so one
        // forward pass marks each subtree.
        under_top[t] = true;
        under_top_parent[tp] = tp != 0;
        for i in 1..seg.elems.len() {
            let p = seg.elems[i].parent as usize;
            if p != i {
                under_top[i] |= under_top[p];
                under_top_parent[i] |= under_top_parent[p];
            }
        }
    }
    let (top_prose_share, top_page_share) = top
        .map(|t| {
            let e = &seg.elems[t];
            (ratio(e.prose_chars as f32, root.prose_chars as f32), e.chars as f32 / total)
        })
        .unwrap_or((0.0, 0.0));

    let title = title_block(seg, title);
    let mut title_ancestor = vec![false; seg.elems.len()];
    if let Some(t) = title {
        let mut e = seg.blocks[t].owner as usize;
        loop {
            title_ancestor[e] = true;
            if e == 0 {
                break;
            }
            e = seg.elems[e].parent as usize;
        }
    }

    for (i, b) in seg.blocks.iter().enumerate() {
        let s = &stats[i];
        let chars = b.chars as f32;
        let owner = &seg.elems[b.owner as usize];
        let container = &seg.elems[owner.parent as usize];
        let grand = &seg.elems[container.parent as usize];
        out.push(ln1p(chars));
        out.push(ln1p(s.words));
        out.push(ratio(b.link_chars as f32, chars));
        out.push(ratio(s.punct, s.words).min(3.0));
        out.push(s.sentence_end as u8 as f32);
        out.push(s.starts_upper as u8 as f32);
        out.push(ratio(chars, s.words).min(30.0));
        out.push(ratio(s.digits, chars));
        out.push(ratio(s.cap_words, s.words));
        out.push(ratio(s.separators, s.words).min(3.0));
        out.push(s.copyright as u8 as f32);
        out.push((seen.get(b.text.as_str()).copied().unwrap_or(1) > 1) as u8 as f32);
        out.push(i as f32 / n as f32);
        out.push(b.chars_before as f32 / total);
        out.push(1.0 - (b.chars_before as f32 + chars) / total);
        for (k, _) in KINDS {
            out.push((owner.kind == k) as u8 as f32);
        }
        for bit in 0..ctx::COUNT {
            out.push((b.ctx >> bit & 1) as f32);
        }
        for hints in [b.hints_own, b.hints_near, b.hints_any] {
            push_hints(&mut out, hints);
        }
        out.push(owner.depth.min(64) as f32 / 16.0);
        out.push(ln1p(owner.chars as f32));
        out.push(ratio(owner.link_chars as f32, owner.chars as f32));
        out.push(ratio(owner.prose_chars as f32, owner.chars as f32));
        out.push(ln1p(owner.blocks as f32));
        out.push(ln1p(container.chars as f32));
        out.push(ratio(container.link_chars as f32, container.chars as f32));
        out.push(ratio(container.prose_chars as f32, container.chars as f32));
        out.push(ln1p(container.blocks as f32));
        out.push(container.chars as f32 / total);
        out.push(ln1p(ratio(container.chars as f32, container.elements as f32)));
        out.push(grand.chars as f32 / total);
        out.push(ratio(grand.link_chars as f32, grand.chars as f32));
        out.push(ratio(grand.prose_chars as f32, grand.chars as f32));
        out.push(under_top[b.owner as usize] as u8 as f32);
        out.push(under_top_parent[b.owner as usize] as u8 as f32);
        out.push(top_prose_share);
        out.push(top_page_share);
        match title {
            Some(t) => {
                let off = i as f32 - t as f32;
                let title_block = &seg.blocks[t];
                out.push(1.0);
                out.push((i == t) as u8 as f32);
                out.push(off.signum() * ln1p(off.abs()));
                out.push((b.chars_before as f32 - title_block.chars_before as f32) / total);
                let mut e = b.owner as usize;
                let mut up = 0f32;
                while !title_ancestor[e] && up < 64.0 {
                    e = seg.elems[e].parent as usize;
                    up += 1.0;
                }
                out.push(ln1p(up));
            }
            None => out.extend([0.0, 0.0, 0.0, 0.0, 0.0]),
        }
        for j in [i.checked_sub(1), (i + 1 < n).then_some(i + 1)] {
            match j {
                Some(j) => {
                    let nb = &seg.blocks[j];
                    out.push(ln1p(nb.chars as f32));
                    out.push(ratio(nb.link_chars as f32, nb.chars as f32));
                    out.push(ratio(stats[j].punct, stats[j].words).min(3.0));
                    out.push(prose[j] as u8 as f32);
                }
                None => out.extend([0.0, 0.0, 0.0, 0.0]),
            }
        }
        let lo = i.saturating_sub(3);
        let hi = (i + 4).min(n);
        out.push(prose[lo..hi].iter().filter(|&&p| p).count() as f32 / (hi - lo) as f32);
        out.push(prose[i] as u8 as f32);
        out.push(ln1p(total));
        out.push(ln1p(n as f32));
        out.push(page_prose_share);
        debug_assert_eq!(out.len(), (i + 1) * width);
    }
    out
}

fn push_hints(out: &mut Vec<f32>, h: Hints) {
    for g in GROUPS {
        out.push(h.has(g) as u8 as f32);
    }
}

#[cfg(test)]
mod tests {
    use scraper::Html;

    use super::super::segment::segment;
    use super::*;

    #[test]
    fn one_row_per_block_of_the_declared_width() {
        let seg = segment(&Html::parse_document(
            "<body><h1>Storm closes port</h1><div class='story'><p>The port closed on Monday, officials said.</p>\
             <p>Ships waited offshore.</p></div><footer>© Paper</footer></body>",
        ));
        let f = features(&seg, Some("Storm closes port | Paper"));
        assert_eq!(f.len(), seg.blocks.len() * NAMES.len());
        let col = |name: &str| NAMES.iter().position(|n| n == name).unwrap();
        let w = NAMES.len();
        assert_eq!(f[col("is_title")], 1.0);
        assert_eq!(f[w + col("hint_near_content")], 1.0);
        assert_eq!(f[3 * w + col("copyright_sign")], 1.0);
        assert!(f.iter().all(|x| x.is_finite()));
    }
}
