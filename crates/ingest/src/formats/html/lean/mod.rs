//! A lean HTML parser: a byte-scanning tokenizer and a reduced tree builder
//! that produce the same `scraper` tree as html5ever on the markup news pages
//! are made of, at a fraction of its cost (html5ever's tokenizer pushes every
//! character through a tendril and a buffer queue; it was 45 % of the
//! extractor's time).
//!
//! It follows the HTML standard's tree construction for what it handles:
//! implied `html`/`head`/`body`, head elements, implied end tags (`p`, `li`,
//! `dd`/`dt`, `option`), `p` closed by block starts, headings closing
//! headings, void elements, raw text (`title`, `noscript`, JSON-LD `script`),
//! tables with implied `tbody`/`tr` and cells, character references, end
//! tags matched through scope and special elements. What it does not handle —
//! anything that would re-parent or re-create nodes (foster parenting out of
//! tables, the adoption agency and the reconstruction of misnested formatting
//! elements), foreign content, templates, framesets, NUL characters — makes
//! [`parse`] give up and return `None`, and the caller parses the page with
//! html5ever instead. So the tree is html5ever's or the page goes to
//! html5ever: the lean path changes speed, never output.
//!
//! The parts: `tokenizer` reads the bytes into tags, text, comments and a
//! doctype (`refs` decodes the character references in text and attribute
//! values); `builder` turns those tokens into the tree by the standard's
//! insertion modes, in the document's frame (`builder/mod.rs`), in body
//! (`builder/body.rs`) and in tables (`builder/table.rs`). Every step that
//! would need the full algorithm returns [`Unsupported`], which this module
//! turns into `None`: the give-up rules sit at the steps they guard.

mod builder;
mod refs;
mod tokenizer;

use html5ever::tree_builder::QuirksMode;
use memchr::memchr;
use scraper::Html;

use builder::{Builder, Mode};
use tokenizer::tokenize;

/// Why the lean path gave up (the caller falls back to html5ever).
#[derive(Debug)]
pub struct Unsupported;

type R<T = ()> = Result<T, Unsupported>;

/// `text` with its character references decoded as html5ever decodes them in
/// text: for values that reach us still escaped, such as JSON-LD strings
/// written with `&amp;` inside a script, where the parser leaves them.
pub(crate) fn decode_references(text: &str) -> String {
    let mut out = String::new();
    refs::decode(text, false, &mut out).to_string()
}

/// Parses a whole document, or `None` when the markup needs a construction
/// step the lean builder does not do.
pub fn parse(input: &str) -> Option<Html> {
    let bytes = input.as_bytes();
    if memchr(0, bytes).is_some() {
        return None;
    }
    // The tokenizer's newline normalisation, done once up front.
    let normalized;
    let input = if memchr(b'\r', bytes).is_some() {
        normalized = input.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        input
    };
    let mut b = Builder::new();
    tokenize(input, &mut b).ok()?;
    // The end of the input implies whatever of html, head and body is
    // missing.
    if !matches!(b.mode, Mode::InBody | Mode::AfterBody | Mode::AfterAfterBody) {
        if b.mode == Mode::Initial {
            b.html.quirks_mode = QuirksMode::Quirks;
        }
        b.ensure_body();
    }
    Some(b.html)
}

#[cfg(test)]
mod tests {
    use scraper::{Html, Node};

    use super::*;

    /// The tree as nested text, for comparing with html5ever's.
    pub(super) fn dump(html: &Html) -> String {
        let mut out = String::new();
        let mut depth = 0usize;
        for edge in html.tree.root().traverse() {
            let n = match edge {
                ego_tree::iter::Edge::Open(n) => n,
                ego_tree::iter::Edge::Close(_) => {
                    depth = depth.saturating_sub(1);
                    continue;
                }
            };
            out.push_str(&" ".repeat(depth.min(64)));
            depth += 1;
            match n.value() {
                Node::Element(e) => {
                    out.push('<');
                    out.push_str(e.name());
                    for (k, v) in e.attrs.iter() {
                        out.push_str(&format!(" {}={:?}", &*k.local, &**v));
                    }
                    out.push('>');
                }
                Node::Text(t) => out.push_str(&format!("{:?}", &**t)),
                Node::Comment(t) => out.push_str(&format!("<!-- {:?} -->", &**t)),
                Node::Doctype(d) => out.push_str(&format!("<!DOCTYPE {}>", d.name())),
                _ => out.push('?'),
            }
            out.push('\n');
        }
        out
    }

    /// The lean tree is html5ever's.
    pub(super) fn same(markup: &str) {
        let lean = parse(markup).unwrap_or_else(|| panic!("lean path gave up on {markup:?}"));
        assert_eq!(dump(&lean), dump(&Html::parse_document(markup)), "{markup}");
    }

    pub(super) fn gives_up(markup: &str) {
        assert!(parse(markup).is_none(), "{markup}");
    }

    /// Compares the lean tree with html5ever's on every page of
    /// `LEAN_DIFF_DIR` (as the extractor parses them: stripped, bounded,
    /// capped) and prints how many pages the lean path gave up on.
    #[test]
    #[ignore = "reads a directory of pages named by LEAN_DIFF_DIR"]
    fn matches_html5ever_on_pages() {
        let dir = std::env::var("LEAN_DIFF_DIR").expect("LEAN_DIFF_DIR");
        let (mut pages, mut gave_up, mut differ) = (0, 0, Vec::new());
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let Ok(bytes) = std::fs::read(&path) else { continue };
            let Ok(html) = super::super::decode_html(&bytes, None) else { continue };
            let stripped = super::super::strip::strip_inert(&html);
            let Ok(bounded) = super::super::bound::bound_markup(&stripped) else { continue };
            let (markup, _) = super::super::content::capped(&bounded);
            pages += 1;
            match parse(markup) {
                None => gave_up += 1,
                Some(lean) => {
                    if dump(&lean) != dump(&Html::parse_document(markup)) {
                        differ.push(path.display().to_string());
                    }
                }
            }
        }
        eprintln!("lean_diff pages={pages} gave_up={gave_up} differ={}", differ.len());
        assert!(differ.is_empty(), "{differ:#?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: std::env::var("LEAN_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
            ..Default::default()
        })]
        /// Arbitrary text around markup characters: never a panic, and
        /// the lean tree is html5ever's when it builds one.
        #[test]
        fn any_text_matches_html5ever(markup in "([<>&/!?=\"' a-zA-Z0-9#;x\u{e9}\u{20ac}\n-]|<!doctype|<p|</p|<td|&amp|&#x|<b|</b|<a |<table|<tr|<li|<pre|<title|</title|<script|</script|<div|</div|<html|<body|<head|</head){0,80}") {
            if let Some(lean) = parse(&markup) {
                proptest::prop_assert_eq!(dump(&lean), dump(&Html::parse_document(&markup)), "{}", markup);
            }
        }

        /// Random tag soup: the lean tree is html5ever's, or the lean path
        /// gives up.
        #[test]
        fn soup_matches_html5ever(parts in proptest::collection::vec(
            proptest::sample::select(&[
                "<p>", "</p>", "<div class=a>", "</div>", "<span>", "</span>", "<b>", "</b>", "<i>", "</i>",
                "<a href=x>", "</a>", "<ul>", "</ul>", "<li>", "</li>", "<ol>", "<dl>", "<dt>", "<dd>", "</dl>",
                "<h1>", "</h1>", "<h2>", "</h3>", "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>",
                "<th>", "<tbody>", "</tbody>", "<thead>", "<br>", "</br>", "<img src=y>", "<hr>", "<pre>",
                "</pre>", "<form>", "</form>", "<input>", "<button>", "</button>", "<section>", "</section>",
                "<article>", "<nav>", "</nav>", "<html lang=en>", "<head>", "</head>", "<body>", "</body>",
                "</html>", "<title>", "</title>", "<meta name=m content=c>", "<link rel=canonical href=h>",
                "<noscript>", "</noscript>", "<script type=application/ld+json>", "</script>", "<em>", "</em>",
                "<option>", "<optgroup>", "</option>", "<!DOCTYPE html>", "<!x>", "<?pi?>", "<object>",
                "</object>", "<textarea>", "</textarea>", "<caption>", "<col>", "<colgroup>", "<main>",
                "<figure>", "</figure>", "<blockquote>", "<label>", "</label>", "<font>", "</font>", "<nobr>",
                "<center>", "<address>", "</address>", "<listing>", "<xmp>", "</xmp>", "<custom-el>",
                "</custom-el>", "<P CLASS=Up>", "<p/>", "<div/>", " ", "\n", "text", "&amp;", "&copy",
                "&#65;", "&notin;", "<", ">", "&", "a<b", "</ x>", "</>", "\t  ",
                "<div id=\"a&amp;b\" x='1'y=2 =z>", "<a href=?a=1&copy=2&lt>", "<p title=\"&notit;&#x110000;\">",
                "<span class=\"x\" class=y CLASS=z>", "<td colspan=2>", "<div / hidden >", "&#x80;&#150;",
                "<body class=late>", "<html data-x=1>", "<meta charset=utf-8>", "<style>p{}</style>",
            ]), 0..60)) {
            let markup: String = parts.concat();
            let lean = parse(&markup);
            if let Some(lean) = lean {
                proptest::prop_assert_eq!(dump(&lean), dump(&Html::parse_document(&markup)), "{}", markup);
            }
        }
    }
}
