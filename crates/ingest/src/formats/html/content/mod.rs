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

pub mod cues;
pub mod features;
pub mod hints;
pub mod model;
pub mod segment;

use scraper::Html;

pub use model::{BUILTIN, Model};
pub use segment::{Segmented, segment};

/// Most bytes of markup parsed per page (after scripts, styles and comments
/// are cut). News articles with all their furniture take 50–300 KiB of such
/// markup; past this the rest of the page is not parsed, which bounds parse
/// time and memory per page (the 50 ms / 64 MB budget) whatever comes in.
pub const MAX_MARKUP_BYTES: usize = 1024 * 1024;

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
    /// A publication date written in a short line by the headline ("Posted
    /// March 3, 2024"), for pages whose markup gives none.
    pub date_line: Option<String>,
    /// An author named in a short line by the headline ("By Ann Lee"), for
    /// pages whose markup marks none.
    pub byline: Option<String>,
}

/// How many blocks after the headline (or from the top, without one) are
/// searched for a date line: the byline and date sit right by the headline.
const DATE_LINE_BLOCKS: usize = 8;

/// How many blocks just before the headline are searched after those: some
/// pages print the date above it, as a kicker ("Dec 12, 2025" over the
/// headline), nearest first.
const DATE_LINE_BLOCKS_BEFORE: usize = 2;

/// The part of a page's markup that is parsed: its first
/// [`MAX_MARKUP_BYTES`], cut on a character boundary; and whether it was cut.
pub fn capped(markup: &str) -> (&str, bool) {
    if markup.len() <= MAX_MARKUP_BYTES {
        return (markup, false);
    }
    let mut end = MAX_MARKUP_BYTES;
    while !markup.is_char_boundary(end) {
        end -= 1;
    }
    (&markup[..end], true)
}

/// Parses a page, bounded by [`MAX_MARKUP_BYTES`]: with the lean parser
/// ([`super::lean`]), or html5ever where the page needs more of the HTML
/// standard's tree construction than the lean parser does.
pub fn parse(markup: &str) -> (Html, bool) {
    let (markup, cut) = capped(markup);
    let doc = super::lean::parse(markup).unwrap_or_else(|| Html::parse_document(markup));
    (doc, cut)
}

/// The main text of a parsed page. `title` is the page's headline from its
/// metadata, when known: the block that repeats it anchors the article.
pub fn main_text(doc: &Html, title: Option<&str>, model: &Model) -> Extracted {
    let seg = segment(doc);
    let rows = features::features(&seg, title);
    let width = features::NAMES.len();
    let mut text = String::new();
    let mut kept = 0;
    let keep = model.keep(&rows, width);
    for (b, keep) in seg.blocks.iter().zip(keep) {
        if keep {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&b.text);
            kept += 1;
        }
    }
    let start = features::title_block(&seg, title).unwrap_or(0).min(seg.blocks.len());
    let by_the_headline = || {
        seg.blocks[start..]
            .iter()
            .take(DATE_LINE_BLOCKS)
            .chain(seg.blocks[start.saturating_sub(DATE_LINE_BLOCKS_BEFORE)..start].iter().rev())
    };
    let date_line = by_the_headline().find_map(|b| super::meta::date_line(&b.text));
    let byline = by_the_headline().find_map(|b| super::meta::byline_line(&b.text));
    Extracted { text, blocks: seg.blocks.len(), kept, truncated: seg.truncated, date_line, byline }
}

/// Blocks of a parsed page with their feature rows, for training the model
/// (the dump that `scripts/train_extractor.py` reads).
pub fn blocks_and_features(doc: &Html, title: Option<&str>) -> (Vec<String>, Vec<f32>) {
    let seg = segment(doc);
    let rows = features::features(&seg, title);
    (seg.blocks.into_iter().map(|b| b.text).collect(), rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARA: &str = "The council voted on Tuesday to rebuild the old harbour wall, which storms breached twice \
        last winter, flooding dozens of homes and shops along the seafront.";

    fn page() -> String {
        format!(
            r#"<html><head><title>Harbour wall to be rebuilt | Coast News</title></head><body>
            <header class="site-header"><nav class="main-menu"><ul><li><a href="/">Home</a></li>
            <li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
            <main><article><h1>Harbour wall to be rebuilt</h1>
            <div class="article-body"><p>{PARA}</p><p>{PARA} Work starts in spring.</p>
            <p>{PARA} The mayor said the town could not wait for another storm.</p>
            <h2>What comes next</h2><p>{PARA} Contractors will bid in March.</p></div></article>
            <aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Storm closes ferry</a></li>
            <li><a href="/b">Council tax to rise</a></li></ul></aside></main>
            <footer class="site-footer"><p>© Coast News. All rights reserved.</p>
            <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer></body></html>"#
        )
    }

    #[test]
    fn keeps_the_article_and_drops_the_furniture() {
        let (doc, truncated) = parse(&page());
        assert!(!truncated);
        let x = main_text(&doc, Some("Harbour wall to be rebuilt"), &BUILTIN);
        assert!(x.text.contains("The mayor said the town could not wait"), "{}", x.text);
        assert!(x.text.contains("Contractors will bid in March."), "{}", x.text);
        for furniture in ["Home", "Storm closes ferry", "All rights reserved", "Privacy"] {
            assert!(!x.text.contains(furniture), "{furniture} kept in:\n{}", x.text);
        }
        // One block a line, in reading order.
        let lines: Vec<&str> = x.text.lines().collect();
        assert!(lines.iter().position(|l| l.contains("Work starts")) < lines.iter().position(|l| l.contains("bid in")));
    }

    #[test]
    fn a_body_streamed_by_react_is_read() {
        // Next.js and other React servers stream the suspended body at the
        // end of the document, hidden, and a script moves it into place.
        let streamed = page()
            .replace(
                "<div class=\"article-body\">",
                "<template id=\"B:0\"></template><div hidden id=\"S:0\"><div class=\"article-body\">",
            )
            .replace("</div></article>", "</div></div></article>");
        assert_ne!(streamed, page());
        let (doc, _) = parse(&streamed);
        let x = main_text(&doc, Some("Harbour wall to be rebuilt"), &BUILTIN);
        assert!(x.text.contains("The mayor said the town could not wait"), "{}", x.text);
        // A segment is read where its placeholder stands.
        let (doc, _) = parse(
            "<html><body><h1>Title</h1><template id=\"P:a\"></template><p>Footer</p>\
             <div hidden id=\"S:a\"><p>Body.</p></div></body></html>",
        );
        let t: Vec<String> = segment(&doc).blocks.into_iter().map(|b| b.text).collect();
        assert_eq!(t, ["Title", "Body.", "Footer"]);
    }

    #[test]
    fn markup_past_the_byte_bound_is_cut_not_refused() {
        let big = format!("<html><body><p>{PARA}</p>{}</body></html>", "<p>filler words here</p>".repeat(100_000));
        let (doc, truncated) = parse(&big);
        assert!(truncated);
        assert!(segment(&doc).blocks[0].text.starts_with("The council voted"));
    }

    #[test]
    fn empty_and_textless_pages() {
        for page in ["", "<html></html>", "<body><script>x()</script><img src=a.png></body>"] {
            let (doc, _) = parse(page);
            let x = main_text(&doc, None, &BUILTIN);
            assert_eq!((x.text.as_str(), x.blocks), ("", 0));
        }
    }

    #[test]
    fn a_date_line_after_the_headline_or_just_above_it() {
        let below = page().replace(
            "<h1>Harbour wall to be rebuilt</h1>",
            "<h1>Harbour wall to be rebuilt</h1><p>Ann Lee · Dec 12, 2025</p>",
        );
        let (doc, _) = parse(&below);
        assert_eq!(
            main_text(&doc, Some("Harbour wall to be rebuilt"), &BUILTIN).date_line.as_deref(),
            Some("2025-12-12")
        );
        let above = page().replace("<h1>", "<p>Dec 11, 2025</p><h1>");
        let (doc, _) = parse(&above);
        assert_eq!(
            main_text(&doc, Some("Harbour wall to be rebuilt"), &BUILTIN).date_line.as_deref(),
            Some("2025-12-11")
        );
        let byline = page()
            .replace("<h1>Harbour wall to be rebuilt</h1>", "<h1>Harbour wall to be rebuilt</h1><p>By Ann Lee</p>");
        let (doc, _) = parse(&byline);
        assert_eq!(main_text(&doc, Some("Harbour wall to be rebuilt"), &BUILTIN).byline.as_deref(), Some("Ann Lee"));
    }
}
