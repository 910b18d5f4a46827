//! The feeds a page announces: `<link rel="alternate">` elements of a feed
//! type in its head (how sites have told readers and browsers about their
//! feeds since RSS autodiscovery).

use trafilatura::dom::Document;

/// How much of a page is parsed for its head: feed links sit in `<head>`,
/// and a page whose head runs past this is not one to trust.
const HEAD_BYTES: usize = 256 * 1024;

/// Media types of feeds in `<link type=…>`.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/rdf+xml",
    "application/json",
    "application/xml",
    "text/xml",
];

/// The `href`s of a page's feed links, as written (relative or not), in
/// page order, each once.
pub fn feed_links(html: &str) -> Vec<String> {
    // Bounded as every page is before it is parsed: a head past the
    // bounds announces nothing we read.
    let Ok(head) = super::bound::bound_markup(head_of(html)) else { return Vec::new() };
    let doc = Document::parse(&head);
    let mut out: Vec<String> = Vec::new();
    for id in doc.query_selector_all(doc.root(), "link") {
        let rel = doc.get_attribute(id, "rel").unwrap_or_default().to_ascii_lowercase();
        if !rel.split_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = doc.get_attribute(id, "type").unwrap_or_default().to_ascii_lowercase();
        if !FEED_TYPES.contains(&kind.split(';').next().unwrap_or("").trim()) {
            continue;
        }
        if let Some(href) = doc.get_attribute(id, "href").map(|h| h.trim().to_string()).filter(|h| !h.is_empty())
            && !out.contains(&href)
        {
            out.push(href);
        }
    }
    out
}

/// The page up to its body (or the first [`HEAD_BYTES`]).
fn head_of(html: &str) -> &str {
    let mut end = html.len().min(HEAD_BYTES);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let lower = head.to_ascii_lowercase();
    match lower.find("<body").or_else(|| lower.find("</head")) {
        Some(at) => &head[..at],
        None => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_links_in_the_head() {
        let html = r#"<!doctype html><html><head><title>Valley Post</title>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/rss+xml" title="Latest" href="/rss/latest.xml">
<link rel="Alternate" type="application/atom+xml" href="https://valley.example/atom">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml" href="/rss/latest.xml">
</head><body><link rel="alternate" type="application/rss+xml" href="/body-feed.xml"><p>x</p></body></html>"#;
        assert_eq!(feed_links(html), vec!["/rss/latest.xml".to_string(), "https://valley.example/atom".to_string()]);
        assert!(feed_links("<html><body>no head</body></html>").is_empty());
    }
}
