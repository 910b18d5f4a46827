//! Property-based fuzzing of the HTML, feed and WARC readers: random tag soup
//! and mutated real-shaped inputs (bytes flipped, cut, spliced, lengths
//! lied about) must never panic, and what comes out must name its input.
//!
//! Deep and wide random markup (thousands of nested elements of every kind
//! the parser nests, and long runs of siblings) must come out bounded: a
//! tree no deeper than the depth bound, or a clear refusal; never a stack
//! overflow in any HTML code, ours or the `trafilatura` crate's.
//!
//! `FUZZ_CASES` (or proptest's own `PROPTEST_CASES`) sets the cases per
//! property (default 48, so `cargo test` stays quick);
//! `scripts/fuzz-readers.sh` runs many more for a bounded time.

use std::io::Write;

use chorus_ingest::IngestError;
use chorus_ingest::formats::Event;
use chorus_ingest::formats::feed::read_feed;
use chorus_ingest::formats::html::bound::{Limits, bound_markup};
use chorus_ingest::formats::html::{decode_html, extract_page, html_body_article, html_fragment_to_text};
use chorus_ingest::formats::warc::read_warc;
use proptest::prelude::*;

fn cases() -> u32 {
    ["FUZZ_CASES", "PROPTEST_CASES"]
        .iter()
        .find_map(|k| std::env::var(k).ok().and_then(|v| v.parse().ok()))
        .unwrap_or(48)
}

const HTML_TOKENS: &[&str] = &[
    "<p>",
    "</p>",
    "<div class=\"content\">",
    "</div>",
    "<article>",
    "</article>",
    "<script>",
    "</script>",
    "<script type=\"application/ld+json\">",
    "{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-02-30\",\"author\":[{\"name\":",
    "<style>",
    "</style>",
    "<!--",
    "-->",
    "<!-->",
    "<svg><svg>",
    "</svg>",
    "<meta charset=\"",
    "<meta property=\"article:published_time\" content=\"",
    "<time datetime=\"",
    "<table><tr><td>",
    "</td></tr></table>",
    "<br>",
    "<li>",
    "&amp;",
    "&#x1F600;",
    "&#xD800;",
    "é",
    "\u{0}",
    "\u{feff}",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "/",
    "The harbour reopened on Monday after the storm, officials said.",
    "Council members voted 7 to 2 in favour of the new bridge.",
    "<nav>Home | News</nav>",
    "<footer>Copyright</footer>",
    "<html lang=\"",
    "<body>",
    "<noscript>",
    "<textarea>",
    "<iframe>",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(HTML_TOKENS), 0..200).prop_map(|t| t.concat())
}

/// Mutations applied to a valid input: flips, cuts, insertions, splices.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Duplicate(usize, usize),
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let m = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Flip(a, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..40)).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (any::<usize>(), 1usize..200).prop_map(|(a, n)| Mutation::Remove(a, n)),
        (any::<usize>(), 1usize..400).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
    ];
    prop::collection::vec(m, 1..6)
}

fn mutate(mut bytes: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        if bytes.is_empty() {
            break;
        }
        let len = bytes.len();
        match m {
            Mutation::Flip(at, b) => bytes[at % len] ^= b | 1,
            Mutation::Cut(at) => bytes.truncate(at % len),
            Mutation::Insert(at, data) => {
                let at = at % len;
                bytes.splice(at..at, data.iter().copied());
            }
            Mutation::Remove(at, n) => {
                let at = at % len;
                let end = (at + n).min(len);
                bytes.drain(at..end);
            }
            Mutation::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(len);
                let piece = bytes[at..end].to_vec();
                bytes.splice(end..end, piece);
            }
        }
    }
    bytes
}

const PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bridge vote | Town Post</title>
<meta property="og:site_name" content="Town Post"><meta name="author" content="R. Vance">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Bridge vote","datePublished":"2024-03-05T09:00:00Z"}</script>
<script>var a = "<p>not text</p>";</script><style>p{color:red}</style></head>
<body><nav><a href="/">Home</a></nav><article><h1>Bridge vote</h1>
<p>Council members voted 7 to 2 in favour of the new bridge on Tuesday evening, ending a dispute that had lasted two years.</p>
<p>The mayor said construction would start in the autumn and cost about 40 million, paid for by a regional grant.</p>
<ul><li>First item</li><li>Second item</li></ul><table><tr><td>a</td><td>b</td></tr></table></article>
<footer>Copyright Town Post</footer></body></html>"#;

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Town Post</title><link>https://post.example/</link><description>News</description>
<item><title>Bridge vote</title><link>https://post.example/bridge</link><pubDate>Tue, 05 Mar 2024 09:00:00 +0000</pubDate>
<dc:creator>R. Vance</dc:creator><description>Teaser</description>
<content:encoded><![CDATA[<p>Council members voted 7 to 2.</p><p>Work starts in autumn.</p>]]></content:encoded></item>
<item><title>Flood warning</title><link>https://post.example/flood</link><description>&lt;p&gt;River levels rose.&lt;/p&gt;</description></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Hill Times</title><id>urn:hill</id><updated>2024-01-02T00:00:00Z</updated>
<entry><title type="html">Snow &lt;em&gt;closes&lt;/em&gt; pass</title><id>urn:1</id><link href="https://hill.example/snow"/>
<updated>2024-01-02T00:00:00Z</updated><author><name>Lea Brandt</name></author>
<content type="html">&lt;p&gt;Heavy snow closed the pass.&lt;/p&gt;</content></entry></feed>"#;

fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-03-05T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn warc_records() -> Vec<Vec<u8>> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{PAGE}");
    let chunked = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{PAGE}\r\n0\r\n\r\n",
        PAGE.len()
    );
    vec![
        warc_record("warcinfo", "", "application/warc-fields", b"software: fuzz\r\n"),
        warc_record(
            "request",
            "https://post.example/bridge",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ),
        warc_record("response", "https://post.example/bridge", "application/http; msgtype=response", http.as_bytes()),
        warc_record("response", "https://post.example/b2", "application/http; msgtype=response", chunked.as_bytes()),
        warc_record("metadata", "https://post.example/bridge", "application/warc-fields", b"x: y\r\n"),
    ]
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn check_events(name: &str, events: &[Event]) {
    for e in events {
        match e {
            Event::Article(a) => {
                assert!(a.path.starts_with(name), "{}", a.path);
                // A headline-only item (a title, no text) is an article.
                assert!(!a.text.trim().is_empty() || a.title.as_deref().is_some_and(|t| !t.trim().is_empty()));
                assert!(!a.id.is_empty());
            }
            Event::Error(err) => assert!(err.path.starts_with(name), "{}", err.path),
            Event::Skipped(kind) => assert!(!kind.is_empty()),
        }
    }
}

/// Elements the parser nests (and some it closes implicitly or re-opens:
/// `p`, `li`, formatting elements, table parts).
const NESTING_TAGS: &[&str] = &[
    "div",
    "span",
    "p",
    "li",
    "ul",
    "b",
    "a",
    "font",
    "table",
    "tr",
    "td",
    "section",
    "blockquote",
    "em",
    "article",
    "dl",
    "dd",
    "svg",
    "select",
    "h2",
    "button",
    "template",
    "object",
    "nobr",
];

/// One run of deep and wide markup: `n` copies of an open tag (deep), of a
/// close tag, of a whole element with text (wide), of an open tag with text
/// after it (deep and wordy), or a stretch of text.
fn run_of_markup() -> impl Strategy<Value = String> {
    (0usize..5, prop::sample::select(NESTING_TAGS), 1usize..3_000).prop_map(|(kind, tag, n)| match kind {
        0 => format!("<{tag}>").repeat(n),
        1 => format!("</{tag}>").repeat(n),
        2 => format!("<{tag} class=\"c\">Words of a sibling.</{tag}>").repeat(n),
        3 => format!("<{tag}>Deeper words. ").repeat(n),
        _ => "Plain text of the page, with a sentence or two. ".repeat(n.min(200)),
    })
}

fn deep_wide_page() -> impl Strategy<Value = String> {
    (prop::collection::vec(run_of_markup(), 0..16), any::<bool>()).prop_map(|(runs, whole)| {
        let body = runs.concat();
        if whole { format!("<html><head><title>A page</title></head><body>{body}</body></html>") } else { body }
    })
}

/// Depth and node count of the tree the parser builds from `html`, walked
/// without recursion.
fn tree_shape(html: &str) -> (usize, usize) {
    let doc = trafilatura::dom::Document::parse(html);
    let (mut deepest, mut nodes) = (0, 0);
    let mut stack = vec![(doc.root(), 0usize)];
    while let Some((id, d)) = stack.pop() {
        nodes += 1;
        deepest = deepest.max(d);
        stack.extend(doc.child_nodes(id).into_iter().map(|c| (c, d + 1)));
    }
    (deepest, nodes)
}

/// Runs `f` on a thread with a 1 MiB stack, half what rayon's and tokio's
/// threads get: recursion that the bounds do not hold overflows here first
/// (and aborts the whole test binary, which fails the run).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(1024 * 1024).spawn(f).unwrap().join().expect("no panic")
}

fn run_feed(bytes: &[u8]) -> Vec<Event> {
    let mut out = Vec::new();
    read_feed("f.rss", bytes, &mut |e| out.push(e));
    out
}

fn run_warc(bytes: &[u8]) -> Vec<Event> {
    let mut out = Vec::new();
    read_warc("a.warc.gz", &mut &bytes[..], &mut |e| out.push(e));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn html_soup_never_panics(page in soup()) {
        if let Ok(a) = extract_page("soup.html", &page, Some("https://x.example/2024/01/02/a")) {
            prop_assert!(!a.text.trim().is_empty());
        }
        let _ = html_fragment_to_text(&page);
    }

    #[test]
    fn deep_and_wide_markup_is_bounded(page in deep_wide_page()) {
        match bound_markup(&page) {
            Ok(bounded) => {
                let (depth, nodes) = tree_shape(&bounded);
                // The parser adds html, head, body and a table's row group.
                prop_assert!(depth <= Limits::DEFAULT.max_depth + 4, "depth {depth}");
                // Re-opened formatting elements cannot multiply nodes.
                let tags = page.matches('<').count();
                prop_assert!(nodes <= 4 * tags + 16, "{nodes} nodes from {tags} tags");
            }
            Err(e) => prop_assert!(
                matches!(e, IngestError::TooDeep { .. } | IngestError::TooManyElements { .. }),
                "{e}"
            ),
        }
        let len = page.len();
        let (page_result, fragment, body) = on_small_stack(move || {
            (
                extract_page("deep.html", &page, None),
                html_fragment_to_text(&page),
                html_body_article("api", &page, None),
            )
        });
        for a in [page_result, body].into_iter().flatten() {
            prop_assert!(!a.text.trim().is_empty());
            prop_assert!(a.text.len() <= len.min(chorus_ingest::MAX_TEXT_BYTES));
            prop_assert!(a.title.as_ref().is_none_or(|t| t.chars().count() <= chorus_model::MAX_TITLE_CHARS));
        }
        if let Ok(t) = fragment {
            prop_assert!(t.len() <= len);
        }
    }

    #[test]
    fn mutated_html_bytes_never_panic(muts in mutations()) {
        let bytes = mutate(PAGE.as_bytes().to_vec(), &muts);
        if let Ok(html) = decode_html(&bytes, None) {
            let _ = extract_page("m.html", &html, None);
        }
    }

    #[test]
    fn arbitrary_bytes_as_html_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(html) = decode_html(&bytes, Some("windows-1252")) {
            let _ = extract_page("b.html", &html, None);
        }
    }

    #[test]
    fn mutated_feeds_never_panic(muts in mutations(), atom in any::<bool>()) {
        let seed = if atom { ATOM } else { RSS };
        let events = run_feed(&mutate(seed.as_bytes().to_vec(), &muts));
        prop_assert!(!events.is_empty());
        check_events("f.rss", &events);
    }

    #[test]
    fn feed_soup_never_panics(items in prop::collection::vec(soup(), 0..6)) {
        let body: String = items.iter().map(|i| format!("<item><title>t</title><description>{i}</description></item>")).collect();
        let doc = format!("<rss version=\"2.0\"><channel><title>c</title>{body}</channel></rss>");
        check_events("f.rss", &run_feed(doc.as_bytes()));
    }

    #[test]
    fn multibyte_feed_items_never_panic(pad in 0usize..1500, wide in prop::sample::select(&["é", "€", "😀"][..]), item in soup()) {
        // Multi-byte text long enough that fixed-size windows (sniffing the
        // first KiB of an item) fall inside a character.
        let body = format!("{}{item}", wide.repeat(pad));
        let doc = format!("<rss version=\"2.0\"><channel><title>c</title><item><title>t</title><description><![CDATA[{body}]]></description></item></channel></rss>");
        check_events("f.rss", &run_feed(doc.as_bytes()));
        let _ = html_fragment_to_text(&body);
    }

    #[test]
    fn mutated_warc_gz_never_panics(muts in mutations(), per_record in any::<bool>()) {
        let recs = warc_records();
        let bytes: Vec<u8> = if per_record { recs.iter().flat_map(|r| gz(r)).collect() } else { gz(&recs.concat()) };
        let events = run_warc(&mutate(bytes, &muts));
        check_events("a.warc.gz", &events);
    }

    #[test]
    fn mutated_plain_warc_never_panics(muts in mutations()) {
        let events = run_warc(&mutate(warc_records().concat(), &muts));
        check_events("a.warc.gz", &events);
    }

    #[test]
    fn arbitrary_bytes_as_warc_never_panic(mut bytes in prop::collection::vec(any::<u8>(), 0..3000), gzip in any::<bool>()) {
        if gzip {
            bytes.splice(0..0, [0x1f, 0x8b, 0x08]);
        }
        check_events("a.warc.gz", &run_warc(&bytes));
    }
}

/// The unmutated seeds read cleanly: a mutation test that never sees a valid
/// record would prove little.
#[test]
fn seeds_are_valid() {
    let a = extract_page("p.html", PAGE, None).unwrap();
    assert!(a.text.contains("Council members voted"));
    let ev = run_feed(RSS.as_bytes());
    assert_eq!(ev.iter().filter(|e| matches!(e, Event::Article(_))).count(), 2);
    let ev = run_feed(ATOM.as_bytes());
    assert_eq!(ev.iter().filter(|e| matches!(e, Event::Article(_))).count(), 1);
    let gzipped: Vec<u8> = warc_records().iter().flat_map(|r| gz(r)).collect();
    let ev = run_warc(&gzipped);
    assert_eq!(ev.iter().filter(|e| matches!(e, Event::Article(_))).count(), 2, "{ev:?}");
}
