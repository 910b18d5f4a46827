//! chorus's own main-content extractor: parse once, cut the page into blocks
//! in reading order ([`segment`]), describe each block by features that mean
//! the same on every site ([`features`]), and keep the blocks a small learned
//! model ([`model`], gradient-boosted trees trained by
//! `scripts/train_extractor.py`) scores as the page's main text.
//!
//! Why learned: hand-set rules (trafilatura's, readability's) encode what
//! their authors saw; a model over the same kind of evidence, trained on
//! thousands of annotated pages from hundreds of sites and checked by
//! cross-validation across sites, finds the weights the pages support.

pub mod features;
pub mod hints;
pub mod model;
pub mod segment;

use scraper::Html;

pub use model::{BUILTIN, Model};
pub use segment::{Segmented, segment};

/// Most bytes of markup parsed per page (after scripts, styles and comments
/// are cut). News articles with all their furniture stay under 1 MiB of such
/// markup; past this the rest of the page is not parsed, which bounds parse
/// time and memory per page (the 50 ms / 64 MB budget) whatever comes in.
pub const MAX_MARKUP_BYTES: usize = 2 * 1024 * 1024;

/// The main text of a page and how it was found.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Kept blocks, one a line, in reading order.
    pub text: String,
    /// Blocks the page was cut into, and how many were kept.
    pub blocks: usize,
    pub kept: usize,
    /// The page was cut short by one of the bounds.
    pub truncated: bool,
}

/// Parses a page, bounded by [`MAX_MARKUP_BYTES`].
pub fn parse(markup: &str) -> (Html, bool) {
    if markup.len() <= MAX_MARKUP_BYTES {
        return (Html::parse_document(markup), false);
    }
    let mut end = MAX_MARKUP_BYTES;
    while !markup.is_char_boundary(end) {
        end -= 1;
    }
    (Html::parse_document(&markup[..end]), true)
}

/// The main text of a parsed page. `title` is the page's headline from its
/// metadata, when known: the block that repeats it anchors the article.
pub fn main_text(doc: &Html, title: Option<&str>, model: &Model) -> Extracted {
    let seg = segment(doc);
    let rows = features::features(&seg, title);
    let width = features::NAMES.len();
    let mut text = String::new();
    let mut kept = 0;
    for (b, row) in seg.blocks.iter().zip(rows.chunks_exact(width)) {
        if model.probability(row) >= model.threshold {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&b.text);
            kept += 1;
        }
    }
    Extracted { text, blocks: seg.blocks.len(), kept, truncated: seg.truncated }
}

/// Blocks of a parsed page with their feature rows, for training the model
/// (the dump that `scripts/train_extractor.py` reads).
pub fn blocks_and_features(doc: &Html, title: Option<&str>) -> (Vec<String>, Vec<f32>) {
    let seg = segment(doc);
    let rows = features::features(&seg, title);
    (seg.blocks.into_iter().map(|b| b.text).collect(), rows)
}
