//! HTML pages: main-content extraction plus title, date, author and site.
//!
//! A page is cut free of inert markup ([`strip`]), bounded ([`bound`]) and
//! parsed once. Main content comes from chorus's own extractor ([`content`]:
//! blocks scored by a learned model); when it finds less than a news body
//! (a page unlike any it was trained on), the `trafilatura` crate (a Rust
//! port of go-trafilatura) is run with its fallback extractors and the longer
//! text wins. Metadata (title, author, site, publication time, canonical URL,
//! language) comes from [`meta`], on the same parsed tree.

pub mod blocks;
pub mod bound;
pub mod content;
pub mod lean;
pub mod links;
pub mod meta;
pub mod strip;
pub mod tags;

use std::io::BufRead;

use chorus_model::Article;
use trafilatura::{HtmlDateMode, Options};

use super::{Event, Reader};
use crate::{IngestError, decode::decode, read_limited};

pub use blocks::html_to_lines;
pub use meta::PageMeta;

pub struct HtmlReader;

impl Reader for HtmlReader {
    fn read(&self, name: &str, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
        let result = read_limited(input).and_then(|b| decode_html(&b, None));
        match result.and_then(|html| extract_page(name, &html, None)) {
            Ok(a) => emit(Event::Article(a)),
            Err(e) => emit(Event::Error(e.at(name))),
        }
    }
}

/// The value of an element's attribute, found by a scan of its (few)
/// attributes. `scraper`'s own `Element::attr` interns the name it is given
/// and binary-searches by qualified name on every call; the extractor asks
/// each element for up to a dozen attributes, and that lookup was a tenth of
/// its CPU time. Names are compared as written, lower case (the parser
/// lower-cases HTML attribute names).
#[inline]
pub fn attr<'a>(el: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    el.attrs.iter().find(|(q, _)| &*q.local == name).map(|(_, v)| &**v)
}

/// Whether `hay` contains `needle` (ASCII lower case), ignoring ASCII case,
/// without allocating a lower-cased copy.
pub(crate) fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else { return true };
    if h.len() < n.len() {
        return false;
    }
    // Candidates start where the first byte matches in either case.
    let last = h.len() - n.len();
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), &h[..=last])
        .any(|at| h[at..at + n.len()].eq_ignore_ascii_case(n))
}

/// How far into a page to look for its `<meta charset>`. The HTML standard's
/// prescan stops at 1024 bytes, but real pages often put long `<head>`
/// preambles (scripts, styles) first; 8 KiB finds their declaration while
/// staying clear of the body, where `charset=` text is just text.
const CHARSET_PRESCAN_BYTES: usize = 8 * 1024;

/// Decodes the bytes of a page. A BOM wins, then the charset of the HTTP
/// `Content-Type` header (`http_charset`, when the page came from a WARC
/// record), then the page's own `<meta charset>` or `http-equiv`, then
/// detection (see [`decode`]).
pub fn decode_html(bytes: &[u8], http_charset: Option<&str>) -> Result<String, IngestError> {
    let declared = http_charset.map(str::to_string).or_else(|| sniff_meta_charset(bytes));
    decode(bytes, declared.as_deref())
}

/// The charset a page declares in `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`, read from its
/// first bytes before decoding. Only `charset=` inside a `<meta>` tag counts.
pub fn sniff_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        let tag_end = rest[at..].find('>').map(|e| at + e).unwrap_or(rest.len());
        let tag = &rest[at..tag_end];
        if let Some(cs) = tag.find("charset").and_then(|c| charset_value(&tag[c + 7..])) {
            return Some(cs);
        }
        rest = &rest[tag_end..];
    }
    None
}

fn charset_value(after: &str) -> Option<String> {
    let after = after.trim_start().strip_prefix('=')?.trim_start().trim_start_matches(['"', '\'']);
    let cs: String =
        after.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')).collect();
    (!cs.is_empty()).then_some(cs)
}

/// Below this many characters of main text (about 100 words), the fast pass
/// is taken to have missed the article and is run again with trafilatura's
/// fallback extractors (readability, jusText). A news story's body is rarely
/// that short, while a page whose layout the rules misread yields a caption,
/// a byline or a teaser of a few hundred characters. The fallback costs about
/// twice the fast pass. On extraction-dev, running it on every page gained
/// 0.002 F1 (noise on 145 pages) for 40% of the speed; gating it at 600
/// characters keeps all the pages it rescues, and raising the gate to 1,000
/// rescued none more while costing 8% of the speed.
const FALLBACK_BELOW_CHARS: usize = 600;

/// Largest markup (cut, bounded and capped) on which chorus's extractor
/// calls the `trafilatura` fallback. The fallback parses the page again and
/// copies its tree; on the few pages past this size (catalogue and shop pages
/// of several MB) that alone broke the 50 ms budget, while the article pages
/// it rescues are a fraction of it.
const FALLBACK_MAX_MARKUP_BYTES: usize = 512 * 1024;

fn options(fallback: bool) -> Options {
    let mut opts = Options::default();
    opts.exclude_comments = true;
    opts.enable_fallback = fallback;
    // Dates come from `meta`, which keeps the time and prefers the first
    // publication; trafilatura's own date search would only repeat the work.
    opts.html_date_mode = HtmlDateMode::Disabled;
    opts
}

/// Which main-content extractor reads a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Extractor {
    /// chorus's own ([`content`]), with the `trafilatura` crate as the
    /// fallback when it finds too little.
    #[default]
    Chorus,
    /// chorus's own without any fallback (to measure what the fallback adds).
    ChorusAlone,
    /// The `trafilatura` crate alone: the baseline ours is measured against.
    Trafilatura,
}

/// Extracts an article from a whole HTML page. `url` is the page's address
/// when the container knows it (a WARC record's target URI).
pub fn extract_page(path: &str, html: &str, url: Option<&str>) -> Result<Article, IngestError> {
    extract_page_with(path, html, url, Extractor::Chorus, &content::BUILTIN)
}

/// [`extract_page`] with a chosen extractor and block model (the benchmarks
/// and the training script's cross-validation use other models).
pub fn extract_page_with(
    path: &str,
    html: &str,
    url: Option<&str>,
    extractor: Extractor,
    model: &content::Model,
) -> Result<Article, IngestError> {
    let stripped = strip::strip_inert(html);
    // Bounded before the parser and the extractor's passes see it.
    let bounded = bound::bound_markup(&stripped)?;
    // The fallback reads the same capped markup: it must not cost more on a
    // huge page than the parse it stands in for.
    let (html, _) = content::capped(&bounded);
    let (doc, _) = content::parse(html);
    let page = PageMeta::read(&doc, url);
    let mut text = String::new();
    let mut published = page.published;
    let mut byline = None;
    if extractor != Extractor::Trafilatura {
        let found = content::main_text(&doc, page.title.as_deref(), model);
        text = found.text;
        published = published.or(found.date_line);
        byline = found.byline;
    }
    let published = published.or(page.published_fallback);
    drop(doc);
    let mut found = None;
    let fallback;
    let fallback_allowed = extractor == Extractor::Trafilatura
        || (extractor == Extractor::Chorus && html.len() <= FALLBACK_MAX_MARKUP_BYTES);
    if fallback_allowed && text.chars().count() < FALLBACK_BELOW_CHARS {
        fallback = trafilatura_text(html, extractor == Extractor::Trafilatura);
        if let Some((t, m)) = &fallback
            && t.chars().count() > text.chars().count()
        {
            text = t.clone();
            found = Some(m);
        }
    }
    let text = crate::article_text(&text)?;
    let nonempty = |s: &str| Some(s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty());
    let title = page.title.or_else(|| found.and_then(|m| nonempty(&m.title)));
    let author = page.author.or(byline).or(page.author_fallback).or_else(|| found.and_then(|m| nonempty(&m.author)));
    let source = page.site.or_else(|| found.and_then(|m| nonempty(&m.sitename)));
    let url = url
        .map(str::to_string)
        .or(page.canonical)
        .or_else(|| found.and_then(|m| nonempty(&m.url)).filter(|u| u.starts_with("http")));
    Ok(Article {
        id: String::new(),
        path: path.to_string(),
        url,
        source,
        title,
        author,
        published,
        language: page.language,
        text,
    }
    .with_stable_id())
}

/// Main text and metadata from the `trafilatura` crate: its fast pass, then,
/// with `fallbacks` and only when that finds too little, its fallback
/// extractors (readability, jusText) — the crate used alone, the baseline.
/// As chorus's fallback it runs the fast pass only: the fallback extractors
/// triple its cost and would push slow pages past the per-page budget.
fn trafilatura_text(html: &str, fallbacks: bool) -> Option<(String, trafilatura::Metadata)> {
    let mut best: Option<(String, trafilatura::Metadata)> = None;
    if let Ok(r) = trafilatura::extract(html, &options(false)) {
        best = Some((content_lines(&r.content_html), r.metadata));
    }
    if fallbacks
        && best.as_ref().is_none_or(|(t, _)| t.chars().count() < FALLBACK_BELOW_CHARS)
        && let Ok(r) = trafilatura::extract(html, &options(true))
    {
        let t = content_lines(&r.content_html);
        if best.as_ref().is_none_or(|(b, _)| t.chars().count() > b.chars().count()) {
            best = Some((t, r.metadata));
        }
    }
    best
}

/// Lines of trafilatura's cleaned content HTML.
fn content_lines(content_html: &str) -> String {
    if content_html.trim().is_empty() {
        return String::new();
    }
    html_to_lines(content_html)
}

/// Text of an HTML fragment (a JSON field or feed item holding markup), one
/// line per block element. A field that holds a whole saved page (some
/// crawlers' JSON does) goes through main-content extraction instead, so its
/// menus and footers do not become article text.
///
/// Markup past the bounds of [`bound`] is refused, as a page would be.
pub fn html_fragment_to_text(fragment: &str) -> Result<String, IngestError> {
    let bounded = bound::bound_markup(fragment)?;
    if is_whole_page(&bounded)
        && let Ok(article) = extract_page("", &bounded, None)
    {
        return Ok(article.text);
    }
    Ok(html_to_lines(&bounded))
}

/// An article from an HTML body that may be a whole page or a fragment of
/// one (what `POST /api/articles` receives as `text/html`): main-content
/// extraction first, then, when it finds nothing, the text of every block.
/// Markup that holds no text (`<p></p>`, a lone `<script>`) is
/// [`IngestError::NoText`]: the markup itself is never taken for the text.
pub fn html_body_article(name: &str, html: &str, url: Option<&str>) -> Result<Article, IngestError> {
    match extract_page(name, html, url) {
        Err(IngestError::NoText) => {
            let mut a = super::text::parse_text(name, &html_fragment_to_text(html)?)?;
            if a.url.is_none() && url.is_some() {
                a.url = url.map(str::to_string);
                a = a.with_stable_id();
            }
            Ok(a)
        }
        found => found,
    }
}

/// Whether markup is a whole page rather than a fragment of one.
pub fn is_whole_page(markup: &str) -> bool {
    let mut end = markup.len().min(2048);
    while !markup.is_char_boundary(end) {
        end -= 1;
    }
    let head = markup[..end].to_ascii_lowercase();
    head.contains("<html") || head.contains("<body") || head.contains("<!doctype html")
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The river authority opened the new flood gates on Tuesday morning after three years of \
        construction, saying the barrier would protect some twelve thousand homes in the lower valley.";

    fn page(body: &str) -> String {
        format!(
            r#"<html lang="en"><head><title>Gates open | Valley Courier</title>
            <meta property="og:site_name" content="Valley Courier">
            <meta name="author" content="Ann Writer">
            <meta property="article:published_time" content="2025-02-23T10:00:00Z">
            <link rel="canonical" href="https://courier.example/2025/02/23/gates"></head>
            <body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>{body}
            <footer>Copyright Valley Courier. All rights reserved.</footer></body></html>"#
        )
    }

    #[test]
    fn extracts_paragraphs_and_meta() {
        let body = format!(
            "<article><h1>Gates open</h1><p>{STORY}</p><p>{STORY} Engineers said the work finished early.</p>\
             <p>{STORY} Residents gathered on the bank to watch.</p></article>"
        );
        let a = extract_page("p.html", &page(&body), None).unwrap();
        assert_eq!(a.source.as_deref(), Some("Valley Courier"));
        assert_eq!(a.author.as_deref(), Some("Ann Writer"));
        assert_eq!(a.published.as_deref(), Some("2025-02-23T10:00:00+00:00"));
        assert_eq!(a.url.as_deref(), Some("https://courier.example/2025/02/23/gates"));
        assert_eq!(a.language.as_deref(), Some("en"));
        assert!(a.text.contains("The river authority opened"), "{}", a.text);
        assert!(a.text.contains("Residents gathered"), "{}", a.text);
        assert!(!a.text.contains("Home | World"));
        assert!(!a.text.contains("All rights reserved"));
        // One paragraph a line.
        assert!(a.text.lines().filter(|l| l.starts_with("The river authority")).count() >= 3, "{}", a.text);
    }

    #[test]
    fn url_from_container_wins() {
        let body = format!("<article><p>{STORY}</p></article>");
        let a = extract_page("p.html", &page(&body), Some("https://mirror.example/x")).unwrap();
        assert_eq!(a.url.as_deref(), Some("https://mirror.example/x"));
    }

    #[test]
    fn short_page_still_yields_text() {
        let a = extract_page(
            "s.html",
            "<html><body><div><span>Bridge closed for repairs tonight.</span></div></body></html>",
            None,
        )
        .unwrap();
        assert!(a.text.contains("Bridge closed"));
    }

    #[test]
    fn empty_page_is_an_error() {
        assert!(matches!(extract_page("e.html", "<html><body></body></html>", None), Err(IngestError::NoText)));
    }

    #[test]
    fn fragments_and_whole_pages() {
        assert_eq!(html_fragment_to_text("<p>One</p><p>Two</p>").unwrap(), "One\nTwo");
        let body = format!("<article><p>{STORY}</p><p>{STORY}</p></article>");
        let text = html_fragment_to_text(&page(&body)).unwrap();
        assert!(text.contains("The river authority"), "{text}");
        assert!(!text.contains("All rights reserved"), "{text}");
        // A multi-byte character across the sniffing window must not panic.
        assert!(!is_whole_page(&"é".repeat(1500)));
    }

    #[test]
    fn markup_without_text_is_no_article() {
        for body in [
            "<p></p><script>alert(1)</script>",
            "<p></p>",
            "<script>document.write('x')</script>",
            "<html><head><title></title></head><body><div><span></span></div></body></html>",
            "<style>p{color:red}</style><!-- hidden -->",
        ] {
            assert!(matches!(html_body_article("api", body, None), Err(IngestError::NoText)), "{body}");
        }
        let a = html_body_article("api", "<p>Bridge closed for repairs tonight.</p>", None).unwrap();
        assert_eq!(a.text, "Bridge closed for repairs tonight.");
    }

    #[test]
    fn deepest_bounded_markup_reads_on_a_small_stack() {
        // Every element kind the parser nests, to the depth bound, with so
        // little text that the `trafilatura` fallback runs too; on a thread
        // of 1 MiB, half what rayon's and tokio's threads get.
        let kinds = ["div", "span", "section", "blockquote", "li", "b", "table", "font", "article", "em"];
        let open: String =
            (0..bound::Limits::DEFAULT.max_depth).map(|i| format!("<{}>", kinds[i % kinds.len()])).collect();
        for html in [
            format!("<html><body>{open}A few words.</body></html>"),
            format!("<html><body>{}A few words.", "<div><p>x".repeat(3_000)),
            format!("<html><body>{}A few words.", "<ul><li>".repeat(1_500)),
        ] {
            let r = std::thread::Builder::new()
                .stack_size(1024 * 1024)
                .spawn(move || extract_page("deep.html", &html, None).map(|a| a.text.len()))
                .unwrap()
                .join()
                .expect("no stack overflow");
            assert!(matches!(r, Ok(n) if n > 0), "{r:?}");
        }
    }

    #[test]
    fn charset_sniffing() {
        assert_eq!(sniff_meta_charset(b"<meta charset=\"windows-1252\">").as_deref(), Some("windows-1252"));
        assert_eq!(
            sniff_meta_charset(b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">")
                .as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(sniff_meta_charset(b"<script>var charset='koi8-r'</script><p>x</p>"), None);
    }

    #[test]
    fn declared_legacy_charset_decodes() {
        let (body, _, _) = encoding_rs::WINDOWS_1252.encode("caf\u{e9} cr\u{e8}me");
        let mut bytes = b"<html><head><meta charset=\"windows-1252\"></head><body><p>".to_vec();
        bytes.extend_from_slice(&body);
        bytes.extend_from_slice(b"</p></body></html>");
        assert!(decode_html(&bytes, None).unwrap().contains("café crème"));
        // The HTTP header wins over detection.
        let (koi, _, _) = encoding_rs::KOI8_R.encode("Привет мир");
        assert!(decode_html(&koi, Some("koi8-r")).unwrap().contains("Привет мир"));
    }
}
