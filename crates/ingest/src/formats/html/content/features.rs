//! The numbers the block classifier sees: general features of a block that
//! mean the same on every site — its text (length, links, punctuation), where
//! it sits (position, depth, the headline, the densest prose container), what
//! holds it (tag, semantic elements, class/id words), and its neighbours.
//!
//! [`NAMES`] is the one list of features: the training script reads it from
//! the block dump, and the model file names the features it was trained on,
//! so a model and this code that disagree are refused at load time.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::cues::{self, CUES};
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
            "top_offset",
            "top_lca_down",
            "top_prose_after",
            "title_lca_down",
            "h1s_since_title",
            "rep_count",
            "rep_up",
            "rep_holds_title",
            "rep_list_link_density",
            "rep_list_page_share",
            "rep_item_link_density",
            "rep_item_linked_headings",
            "rep_item_log_chars",
            "rep_item_prose_share",
            "rep_item_log_blocks",
            "section_link_density",
            "section_prose_share",
            "section_page_share",
            "prev_heading",
            "next_heading",
            "title_overlap",
            "is_end_marker",
            "after_end_marker",
            "rep_item_log_media",
            "rep_item_log_controls",
            "rep_group_share",
            "rep_size_spread",
            "rep_item_rel_size",
            "section_log_media",
            "section_log_controls",
            "box_log_chars",
            "box_link_density",
            "box_prose_share",
            "box_log_blocks",
            "box_log_media",
            "box_log_controls",
            "box_top_share",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    n.extend(CUES.iter().map(|(_, c)| format!("cue_{c}")));
    n.push("cue_first".to_string());
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

/// [`ln1p`] of a small count, from a table: several features are logs of
/// counts (levels, items, headings) taken for every block.
fn ln1p_count(n: u32) -> f32 {
    static TABLE: LazyLock<[f32; 64]> = LazyLock::new(|| std::array::from_fn(|i| ln1p(i as f32)));
    match TABLE.get(n as usize) {
        Some(&v) => v,
        None => ln1p(n as f32),
    }
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
pub fn features(seg: &Segmented, title_text: Option<&str>) -> Vec<f32> {
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

    let title = title_block(seg, title_text);
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

    let extra = Extra::new(seg, &prose, top, title, title_text);

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
        extra.push_row(seg, i, &mut out);
        debug_assert_eq!(out.len(), (i + 1) * width);
    }
    out
}

/// Most levels above a block's owner searched for the item of a repeated
/// structure that holds it: teaser cards and comments nest their text a few
/// levels inside the repeated element, never dozens.
const REPEAT_LEVELS: usize = 6;

/// The "section" of a block is its nearest ancestor holding at least this
/// many times the characters of the block's own element and at least
/// [`SECTION_MIN_CHARS`]: big enough to say whether the block sits among
/// links or among prose, small enough not to be the whole page.
const SECTION_GROWTH: u32 = 3;
const SECTION_MIN_CHARS: u32 = 400;

/// Most levels climbed to find a block's section.
const SECTION_LEVELS: usize = 8;

/// Longest block (in characters) that can be an end-of-article marker (a
/// "Related stories" or "Comments" heading), and longest compared word by
/// word with the title (a headline, a teaser title, a caption). Headings
/// with a furniture cue are markers up to the cue length bound
/// ("59 Comments on “…”").
const MARKER_MAX_CHARS: u32 = 60;
const OVERLAP_MAX_CHARS: u32 = 300;

/// Features of a block's place in the page's structure beyond its own
/// element: where it sits against the main container and the headline, and
/// whether it is an item of a repeated structure (teasers, cards, comments),
/// plus what its own words say it is.
#[derive(Default, Clone, Copy)]
struct Group {
    chars: u32,
    mean: f32,
    spread: f32,
}

struct Extra {
    /// Per element: how many of its siblings (itself included) share its tag
    /// and class.
    rep: Vec<u32>,
    /// Per element: its group of like siblings (same parent and signature):
    /// the group's characters, and the mean and spread of its items' sizes
    /// (log characters). Teaser cards are alike; comments and paragraphs
    /// vary.
    group: Vec<u32>,
    groups: Vec<Group>,
    /// Per element: the child of the top container that holds it (0 when
    /// it is not inside the top container, or is the container itself):
    /// a paragraph of the body is its own such child, a box set into the
    /// body (a call to action, a related-items box) holds several blocks,
    /// links, buttons, images.
    top_child: Vec<u32>,
    /// Per element: the deepest ancestor-or-self that is also an
    /// ancestor-or-self of the top container / of the title's element.
    lca_top: Vec<u32>,
    lca_title: Vec<u32>,
    /// Per element: headings at or below it that are mostly link text (the
    /// linked title of a teaser).
    linked_headings: Vec<u32>,
    /// Per element: whether it holds the title block.
    title_ancestor: Vec<bool>,
    top: Option<usize>,
    title: Option<usize>,
    /// Characters before the top container's first block and after its last.
    top_span: (u32, u32),
    /// Per block: the share of the top container's prose that comes after
    /// it (a call to action or a teaser closing the body has none after).
    prose_after: Vec<f32>,
    /// Per block: H1 blocks after the title up to it; cue bits; the first
    /// end-of-article marker.
    h1s: Vec<u32>,
    cues: Vec<u16>,
    first_marker: usize,
    title_words: Vec<u64>,
}

impl Extra {
    fn new(
        seg: &Segmented,
        prose: &[bool],
        top: Option<usize>,
        title: Option<usize>,
        title_text: Option<&str>,
    ) -> Extra {
        let ne = seg.elems.len();
        let mut count: FxHashMap<(u32, u32), u32> = FxHashMap::with_capacity_and_hasher(ne, Default::default());
        for e in &seg.elems[1..] {
            *count.entry((e.parent, e.sig)).or_default() += 1;
        }
        let mut linked_headings = vec![0u32; ne];
        for b in &seg.blocks {
            if seg.elems[b.owner as usize].kind.is_heading() && 2 * b.link_chars > b.chars {
                linked_headings[b.owner as usize] += 1;
            }
        }
        for i in (1..ne).rev() {
            let n = linked_headings[i];
            linked_headings[seg.elems[i].parent as usize] += n;
        }
        let mut rep = vec![1u32; ne];
        let mut group = vec![0u32; ne];
        let mut index: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        // Items, characters, log characters and their squares, per group.
        let mut sums: Vec<(u32, u32, f32, f32)> = vec![(1, 0, 0.0, 0.0)];
        for (i, e) in seg.elems.iter().enumerate().skip(1) {
            rep[i] = count[&(e.parent, e.sig)];
            if rep[i] >= 2 {
                let g = *index.entry((e.parent, e.sig)).or_insert_with(|| {
                    sums.push((0, 0, 0.0, 0.0));
                    (sums.len() - 1) as u32
                });
                group[i] = g;
                let l = ln1p(e.chars as f32);
                let s = &mut sums[g as usize];
                s.0 += 1;
                s.1 += e.chars;
                s.2 += l;
                s.3 += l * l;
            }
        }
        let groups: Vec<Group> = sums
            .iter()
            .map(|&(n, chars, sum, sq)| {
                let mean = sum / n.max(1) as f32;
                Group { chars, mean, spread: (sq / n.max(1) as f32 - mean * mean).max(0.0).sqrt() }
            })
            .collect();
        // Ancestor chains, marked; then one forward pass (parents come
        // first) gives every element its deepest marked ancestor-or-self.
        let chain = |start: Option<usize>| {
            let mut on = vec![false; ne];
            on[0] = true;
            if let Some(mut e) = start {
                while e != 0 && !on[e] {
                    on[e] = true;
                    e = seg.elems[e].parent as usize;
                }
            }
            let mut lca = vec![0u32; ne];
            for i in 1..ne {
                lca[i] = if on[i] { i as u32 } else { lca[seg.elems[i].parent as usize] };
            }
            (on, lca)
        };
        let (_, lca_top) = chain(top);
        let mut top_child = vec![0u32; ne];
        if let Some(t) = top {
            for i in 1..ne {
                let p = seg.elems[i].parent as usize;
                if p == t {
                    top_child[i] = i as u32;
                } else if i != t {
                    top_child[i] = top_child[p];
                }
            }
        }
        let (title_ancestor, lca_title) = chain(title.map(|t| seg.blocks[t].owner as usize));
        let mut top_span = (0, 0);
        if let Some(t) = top {
            let under = |b: &super::segment::Block| lca_top[b.owner as usize] as usize == t;
            let first = seg.blocks.iter().find(|b| under(b));
            let last = seg.blocks.iter().rev().find(|b| under(b));
            if let (Some(f), Some(l)) = (first, last) {
                top_span = (f.chars_before, l.chars_before + l.chars);
            }
        }
        let mut prose_after = vec![0f32; seg.blocks.len()];
        if let Some(t) = top {
            let total = seg.elems[t].prose_chars.max(1) as f32;
            let mut left = seg.elems[t].prose_chars;
            for (i, b) in seg.blocks.iter().enumerate() {
                if prose[i] && lca_top[b.owner as usize] as usize == t {
                    left = left.saturating_sub(b.chars);
                }
                prose_after[i] = left as f32 / total;
            }
        }
        let cue_bits: Vec<u16> = seg.blocks.iter().map(|b| cues::of_text(&b.text, b.chars)).collect();
        let mut h1s = vec![0u32; seg.blocks.len()];
        let mut first_marker = usize::MAX;
        let start = title.unwrap_or(0);
        let start_chars = top.map(|_| top_span.0).unwrap_or(0);
        let mut prose_seen = false;
        let mut n_h1 = 0;
        for (i, b) in seg.blocks.iter().enumerate() {
            if i > start && seg.elems[b.owner as usize].kind == Kind::H1 {
                n_h1 += 1;
            }
            h1s[i] = n_h1;
            if i >= start && b.chars_before >= start_chars {
                if first_marker == usize::MAX
                    && prose_seen
                    && !prose[i]
                    && (b.chars <= MARKER_MAX_CHARS || seg.elems[b.owner as usize].kind.is_heading())
                    && CUES.iter().any(|(c, _)| cue_bits[i] & c.bit() != 0 && c.ends_article())
                {
                    first_marker = i;
                }
                prose_seen |= prose[i];
            }
        }
        let title_words = title_text.map(title_words).unwrap_or_default();
        Extra {
            rep,
            group,
            groups,
            top_child,
            linked_headings,
            lca_top,
            lca_title,
            title_ancestor,
            top,
            title,
            top_span,
            prose_after,
            h1s,
            cues: cue_bits,
            first_marker,
            title_words,
        }
    }

    fn push_row(&self, seg: &Segmented, i: usize, out: &mut Vec<f32>) {
        let b = &seg.blocks[i];
        let total = seg.total_chars.max(1) as f32;
        let owner = b.owner as usize;
        let depth = |e: usize| u32::from(seg.elems[e].depth);
        match self.top {
            Some(t) => {
                let end = b.chars_before + b.chars;
                let off = if end <= self.top_span.0 {
                    -((self.top_span.0 - end) as f32) / total
                } else if b.chars_before >= self.top_span.1 {
                    (b.chars_before - self.top_span.1) as f32 / total
                } else {
                    0.0
                };
                out.push(off);
                out.push(ln1p_count(depth(t).saturating_sub(depth(self.lca_top[owner] as usize))));
                out.push(self.prose_after[i]);
            }
            None => out.extend([0.0, 0.0, 0.0]),
        }
        match self.title {
            Some(t) => {
                out.push(ln1p_count(
                    depth(seg.blocks[t].owner as usize).saturating_sub(depth(self.lca_title[owner] as usize)),
                ));
                out.push(ln1p_count(self.h1s[i]));
            }
            None => out.extend([0.0, 0.0]),
        }
        // The nearest ancestor-or-self that is one of several like siblings
        // and holds more than one block: an item (card, teaser, comment).
        let mut e = owner;
        let mut item = None;
        for up in 0..REPEAT_LEVELS {
            if e == 0 {
                break;
            }
            if self.rep[e] >= 2 && seg.elems[e].blocks >= 2 {
                item = Some((e, up));
                break;
            }
            e = seg.elems[e].parent as usize;
        }
        match item {
            Some((e, up)) => {
                let list = &seg.elems[seg.elems[e].parent as usize];
                out.push(ln1p_count(self.rep[e]));
                out.push(up as f32);
                out.push(self.title_ancestor[e] as u8 as f32);
                out.push(ratio(list.link_chars as f32, list.chars as f32));
                out.push(list.chars as f32 / total);
                let it = &seg.elems[e];
                out.push(ratio(it.link_chars as f32, it.chars as f32));
                out.push(ln1p_count(self.linked_headings[e]));
                // What the item is: a teaser is short and mostly its link, a
                // comment or a wrapped paragraph is prose.
                out.push(ln1p(it.chars as f32));
                out.push(ratio(it.prose_chars as f32, it.chars as f32));
                out.push(ln1p_count(it.blocks));
            }
            None => out.extend([0.0; 10]),
        }
        let item_extra = match item {
            Some((e, _)) => {
                let it = &seg.elems[e];
                let g = &self.groups[self.group[e] as usize];
                let list = &seg.elems[it.parent as usize];
                [
                    ln1p_count(it.media),
                    ln1p_count(it.controls),
                    ratio(g.chars as f32, list.chars as f32),
                    g.spread,
                    ln1p(it.chars as f32) - g.mean,
                ]
            }
            None => [0.0; 5],
        };
        let own = seg.elems[owner].chars;
        let mut e = seg.elems[owner].parent as usize;
        for _ in 0..SECTION_LEVELS {
            let el = &seg.elems[e];
            if e == 0 || (el.chars >= SECTION_GROWTH * own && el.chars >= SECTION_MIN_CHARS) {
                break;
            }
            e = el.parent as usize;
        }
        let section = &seg.elems[e];
        out.push(ratio(section.link_chars as f32, section.chars as f32));
        out.push(ratio(section.prose_chars as f32, section.chars as f32));
        out.push(section.chars as f32 / total);
        let section_extra = [ln1p_count(section.media), ln1p_count(section.controls)];
        let heading = |j: usize| seg.elems[seg.blocks[j].owner as usize].kind.is_heading() as u8 as f32;
        out.push(i.checked_sub(1).map(heading).unwrap_or(0.0));
        out.push(if i + 1 < seg.blocks.len() { heading(i + 1) } else { 0.0 });
        out.push(if b.chars <= OVERLAP_MAX_CHARS && !self.title_words.is_empty() {
            let mut seen = 0u32;
            word_hashes(&b.text, |h| {
                if let Some(k) = self.title_words.iter().position(|&t| t == h) {
                    seen |= 1 << k;
                }
            });
            seen.count_ones() as f32 / self.title_words.len() as f32
        } else {
            0.0
        });
        out.push((i == self.first_marker) as u8 as f32);
        out.push((i > self.first_marker) as u8 as f32);
        out.extend(item_extra);
        out.extend(section_extra);
        match (self.top, self.top_child[owner] as usize) {
            (Some(t), c) if c != 0 => {
                let bx = &seg.elems[c];
                out.push(ln1p(bx.chars as f32));
                out.push(ratio(bx.link_chars as f32, bx.chars as f32));
                out.push(ratio(bx.prose_chars as f32, bx.chars as f32));
                out.push(ln1p_count(bx.blocks));
                out.push(ln1p_count(bx.media));
                out.push(ln1p_count(bx.controls));
                out.push(ratio(bx.chars as f32, seg.elems[t].chars as f32));
            }
            _ => out.extend([0.0; 7]),
        }
        for k in 0..CUES.len() {
            out.push((self.cues[i] >> k & 1) as f32);
        }
        out.push((self.cues[i] & cues::FIRST != 0) as u8 as f32);
    }
}

/// Most title words compared with blocks (one bit each): headlines run to
/// about 20 words.
const TITLE_WORDS: usize = 32;

/// Hashes of the lower-cased words (runs of letters and digits) of a text,
/// each passed to `f`; no allocation, for blocks compared with the title.
fn word_hashes(text: &str, mut f: impl FnMut(u64)) {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    let mut in_word = false;
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                h.write_u32(c.to_ascii_lowercase() as u32);
                in_word = true;
                continue;
            }
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                h.write_u32(l as u32);
            }
            in_word = true;
            continue;
        }
        if in_word {
            f(h.finish());
            h = rustc_hash::FxHasher::default();
            in_word = false;
        }
    }
    if in_word {
        f(h.finish());
    }
}

/// The distinct word hashes of the title, at most [`TITLE_WORDS`].
fn title_words(title: &str) -> Vec<u64> {
    let mut w = Vec::new();
    word_hashes(title, |h| {
        if w.len() < TITLE_WORDS && !w.contains(&h) {
            w.push(h);
        }
    });
    w
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

    #[test]
    fn teasers_and_what_follows_the_end_marker() {
        let para = "The port closed on Monday, officials said, and ships waited offshore for several long days.";
        let seg = segment(&Html::parse_document(&format!(
            "<body><h1>Storm closes port</h1><div class='story'><p>{para}</p><p>{para}</p><p>{para}</p></div>\
             <h2>Related stories</h2><ul>\
             <li class='card c-1'><h3><a href=/a>Ferry stops</a></h3><p>Short teaser.</p></li>\
             <li class='card c-2'><h3><a href=/b>Tax rises</a></h3><p>Another teaser.</p></li></ul></body>"
        )));
        let f = features(&seg, Some("Storm closes port"));
        let w = NAMES.len();
        let col = |name: &str| NAMES.iter().position(|n| n == name).unwrap();
        let row = |text: &str| seg.blocks.iter().position(|b| b.text == text).unwrap() * w;
        let body = row(para);
        assert_eq!(f[body + col("rep_count")], 0.0, "paragraphs are no multi-block items");
        assert_eq!(f[body + col("after_end_marker")], 0.0);
        assert_eq!(f[row("Related stories") + col("is_end_marker")], 1.0);
        assert_eq!(f[row("Related stories") + col("cue_related")], 1.0);
        let teaser = row("Short teaser.");
        assert_eq!(f[teaser + col("rep_count")], 2f32.ln_1p(), "two cards of one class, ids aside");
        assert_eq!(f[teaser + col("rep_item_linked_headings")], 1f32.ln_1p());
        assert_eq!(f[teaser + col("after_end_marker")], 1.0);
        assert!(f[teaser + col("top_offset")] > 0.0, "after the main container");
        assert_eq!(f[teaser + col("top_prose_after")], 0.0);
        assert_eq!(f[row("Storm closes port") + col("title_overlap")], 1.0);
    }

    #[test]
    fn a_box_set_into_the_body() {
        let para = "The port closed on Monday, officials said, and ships waited offshore for several long days.";
        let seg = segment(&Html::parse_document(&format!(
            "<body><h1>Storm closes port</h1><div class='story'><p>{para}</p><p>{para}</p>\
             <div class='promo'><img src=a.png><p>Get our daily briefing</p><button>Sign up</button>\
             <a href=/n>Read more</a></div><p>{para}</p></div></body>"
        )));
        let f = features(&seg, Some("Storm closes port"));
        let w = NAMES.len();
        let col = |name: &str| NAMES.iter().position(|n| n == name).unwrap();
        let row = |text: &str| seg.blocks.iter().position(|b| b.text == text).unwrap() * w;
        let promo = row("Get our daily briefing");
        assert_eq!(f[promo + col("box_log_media")], 1f32.ln_1p());
        assert_eq!(f[promo + col("box_log_controls")], 1f32.ln_1p());
        assert_eq!(f[promo + col("box_log_blocks")], 2f32.ln_1p());
        assert!(f[promo + col("box_link_density")] > 0.2);
        let body = row(para);
        assert_eq!(f[body + col("box_log_blocks")], 1f32.ln_1p(), "a paragraph is its own box");
        assert_eq!(f[body + col("box_log_media")], 0.0);
        assert_eq!(f[row("Read more") + col("cue_first")], 1.0);
    }
}
