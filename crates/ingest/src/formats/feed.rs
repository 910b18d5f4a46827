//! RSS 2.0, RSS 1.0 (RDF) and Atom feeds, through `feed-rs`: each item an
//! article, `path` being `FILE#N` (the item's 1-based position).
//!
//! `feed-rs` parses a whole document or fails. So that one broken item does
//! not cost the others, a feed that fails to parse is cut into its `<item>` /
//! `<entry>` elements, and each is parsed again inside the feed's own envelope:
//! the broken ones become errors naming their item, the rest still count.

use std::io::BufRead;

use chorus_model::Article;
use feed_rs::model::{Entry, Feed};

use super::{Event, Reader};
use crate::formats::html::{extract_page, html_fragment_to_text, is_whole_page};
use crate::{IngestError, read_limited};

pub struct FeedReader;

impl Reader for FeedReader {
    fn read(&self, name: &str, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
        match read_limited(input) {
            Ok(bytes) => read_feed(name, &bytes, emit),
            Err(e) => emit(Event::Error(e.at(name))),
        }
    }
}

/// Reads a whole feed document.
pub fn read_feed(name: &str, bytes: &[u8], emit: &mut dyn FnMut(Event)) {
    match read_items(name, bytes, &mut |item| {
        emit(match item.article {
            Ok(a) => Event::Article(a),
            Err(e) => Event::Error(e.at(item.path)),
        })
    }) {
        Ok(0) => emit(Event::Error(IngestError::Format("feed has no items".into()).at(name))),
        Ok(_) => {}
        Err(e) => emit(Event::Error(e.at(name))),
    }
}

/// One feed item as read, for a caller that may fetch the page an item
/// only points to (`chorus follow`).
#[derive(Debug)]
pub struct Item {
    /// `FILE#N`, N its 1-based position.
    pub path: String,
    /// Its link (else its id, when that is a URL).
    pub link: Option<String>,
    /// What tells it from the feed's other items over time: its link, else
    /// its id (RSS `guid`, Atom `id`).
    pub key: Option<String>,
    /// The article the item itself makes, or why it makes none.
    pub article: Result<Article, IngestError>,
    /// Whether that article's text is the item's full content
    /// (`content:encoded`, Atom or JSON Feed content) rather than its
    /// description or summary, which is often a teaser.
    pub full: bool,
}

/// Reads each item of a feed (RSS 2.0, RSS 1.0, Atom, JSON Feed), calling
/// `emit` for every one, readable or not. Returns how many items there
/// were; an error when the document is not a feed at all.
pub fn read_items(name: &str, bytes: &[u8], emit: &mut dyn FnMut(Item)) -> Result<usize, IngestError> {
    match feed_rs::parser::parse(bytes) {
        Ok(feed) => {
            for (i, entry) in feed.entries.iter().enumerate() {
                emit(item(format!("{name}#{}", i + 1), &feed, entry));
            }
            Ok(feed.entries.len())
        }
        Err(whole) => salvage(name, bytes, &whole.to_string(), emit),
    }
}

fn item(path: String, feed: &Feed, entry: &Entry) -> Item {
    let link = entry_link(entry);
    let id = entry.id.trim();
    let key = link.clone().or_else(|| (!id.is_empty()).then(|| id.to_string()));
    let full = entry.content.as_ref().and_then(|c| c.body.as_deref()).is_some_and(|b| !b.trim().is_empty());
    let article = entry_article(&path, feed, entry);
    Item { path, link, key, article, full }
}

/// Parses each item of a feed that failed as a whole on its own, inside the
/// feed's envelope (everything before the first item and after the last).
fn salvage(name: &str, bytes: &[u8], whole_error: &str, emit: &mut dyn FnMut(Item)) -> Result<usize, IngestError> {
    let text = String::from_utf8_lossy(bytes);
    let items = item_spans(&text);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return Err(IngestError::Format(format!("not a readable feed: {whole_error}")));
    };
    let (head, tail) = (&text[..first.0], &text[last.1..]);
    for (i, &(start, end)) in items.iter().enumerate() {
        let path = format!("{name}#{}", i + 1);
        let doc = format!("{head}{}{tail}", &text[start..end]);
        let unreadable = |path: String, why: String| Item {
            path,
            link: None,
            key: None,
            article: Err(IngestError::Format(why)),
            full: false,
        };
        emit(match feed_rs::parser::parse(doc.as_bytes()) {
            Ok(feed) => match feed.entries.first() {
                Some(entry) => item(path, &feed, entry),
                None => unreadable(path, "unreadable item".into()),
            },
            Err(e) => unreadable(path, format!("unreadable item: {e}")),
        });
    }
    Ok(items.len())
}

/// Byte spans of the top-level `<item>` (RSS) or `<entry>` (Atom) elements,
/// found by scanning for their tags. An item with no end tag runs to the next
/// item's start, so a truncated item is still isolated from its neighbours.
fn item_spans(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let tag = if find_tag(&lower, "item", 0).is_some() { "item" } else { "entry" };
    let close = format!("</{tag}>");
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(start) = find_tag(&lower, tag, at) {
        let next_start = find_tag(&lower, tag, start + 1).unwrap_or(lower.len());
        let end = match lower[start..next_start].find(&close) {
            Some(c) => start + c + close.len(),
            None => next_start,
        };
        spans.push((start, end));
        at = end.max(start + 1);
    }
    spans
}

/// Offset of the next `<tag` followed by `>`, `/` or whitespace, from `from`.
fn find_tag(lower: &str, tag: &str, from: usize) -> Option<usize> {
    let open = format!("<{tag}");
    let mut at = from;
    while let Some(p) = lower.get(at..)?.find(&open) {
        let pos = at + p;
        match lower.as_bytes().get(pos + open.len()) {
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r') => return Some(pos),
            _ => at = pos + 1,
        }
    }
    None
}

/// One feed item as an article. The fullest content wins: the item's full
/// content (`content:encoded`, Atom `<content>`) over its description or
/// summary. HTML goes through the same extraction as web pages: a whole page
/// through [`extract_page`], a fragment through [`html_fragment_to_text`].
fn entry_article(path: &str, feed: &Feed, entry: &Entry) -> Result<Article, IngestError> {
    let content = entry.content.as_ref().and_then(|c| c.body.clone()).filter(|b| !b.trim().is_empty());
    let summary = entry.summary.as_ref().map(|s| s.content.clone()).filter(|s| !s.trim().is_empty());
    let (body, is_text) = match (content, summary) {
        (Some(c), _) => {
            let is_text = entry.content.as_ref().is_some_and(|c| c.content_type.to_string().starts_with("text/plain"));
            (c, is_text)
        }
        (None, Some(s)) => {
            let is_text = entry.summary.as_ref().is_some_and(|s| s.content_type.to_string().starts_with("text/plain"));
            (s, is_text)
        }
        (None, None) => (String::new(), true),
    };
    let url = entry_link(entry);
    let looks_html = !is_text || body.contains('<');
    let (text, page_published) = if looks_html && is_whole_page(&body) {
        let page = extract_page(path, &body, url.as_deref())?;
        (page.text, page.published)
    } else if looks_html {
        (html_fragment_to_text(&body)?, None)
    } else {
        (body, None)
    };
    let text = chorus_text::normalize(&text);
    let title = entry.title.as_ref().map(|t| plain(&t.content)).filter(|t| !t.is_empty());
    // Many feeds carry only headlines: an item with a title and no text is
    // an article of its headline alone (clustered, listed, analysed as far
    // as a headline allows); one with neither is nothing.
    if text.trim().is_empty() && title.is_none() {
        return Err(IngestError::NoText);
    }
    let text = if text.trim().is_empty() { String::new() } else { text };
    crate::check_text_size(&text)?;
    let authors: Vec<String> = entry
        .authors
        .iter()
        .map(|p| p.name.as_deref().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .collect();
    let published = entry.published.or(entry.updated).map(|d| d.to_rfc3339()).or(page_published);
    Ok(Article {
        id: String::new(),
        path: path.to_string(),
        url,
        source: feed.title.as_ref().map(|t| plain(&t.content)).filter(|t| !t.is_empty()),
        title,
        author: (!authors.is_empty()).then(|| authors.join(", ")),
        published,
        language: None,
        text,
    }
    .with_stable_id())
}

/// An item's own address: its alternate link, else its first link, else
/// its id when that is a URL.
fn entry_link(entry: &Entry) -> Option<String> {
    entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.trim().to_string())
        .or_else(|| Some(entry.id.trim().to_string()).filter(|id| id.starts_with("http")))
        .filter(|u| !u.is_empty())
}

/// A title or name that may hold markup or entities, as one plain line.
fn plain(s: &str) -> String {
    // A title or name is short: markup past the page bounds is read as text.
    let s = if s.contains('<') || s.contains('&') {
        html_fragment_to_text(s).unwrap_or_else(|_| s.to_string())
    } else {
        s.to_string()
    };
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, xml: &str) -> Vec<Event> {
        let mut out = Vec::new();
        read_feed(name, xml.as_bytes(), &mut |e| out.push(e));
        out
    }

    fn articles(events: &[Event]) -> Vec<&Article> {
        events.iter().filter_map(|e| if let Event::Article(a) = e { Some(a) } else { None }).collect()
    }

    const RSS2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Lakeside Herald</title><link>https://herald.example/</link><description>News</description>
<item><title>Ferry &amp; bus strike ends</title><link>https://herald.example/strike-ends</link>
<pubDate>Mon, 03 Mar 2025 08:15:00 +0000</pubDate><dc:creator>Mira Olsen</dc:creator>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>The week-long strike ended on Monday.</p><p>Drivers accepted a 4% rise.</p>]]></content:encoded></item>
<item><title>Library reopens</title><link>https://herald.example/library</link>
<description>&lt;p&gt;The town library reopened after repairs.&lt;/p&gt;</description></item>
</channel></rss>"#;

    #[test]
    fn rss2_items_with_full_content() {
        let ev = read("news.rss", RSS2);
        let a = articles(&ev);
        assert_eq!(a.len(), 2, "{ev:?}");
        assert_eq!(a[0].path, "news.rss#1");
        assert_eq!(a[0].url.as_deref(), Some("https://herald.example/strike-ends"));
        assert_eq!(a[0].title.as_deref(), Some("Ferry & bus strike ends"));
        assert_eq!(a[0].author.as_deref(), Some("Mira Olsen"));
        assert_eq!(a[0].source.as_deref(), Some("Lakeside Herald"));
        assert_eq!(a[0].published.as_deref(), Some("2025-03-03T08:15:00+00:00"));
        assert_eq!(a[0].text, "The week-long strike ended on Monday.\nDrivers accepted a 4% rise.");
        assert_eq!(a[1].path, "news.rss#2");
        assert_eq!(a[1].text, "The town library reopened after repairs.");
    }

    #[test]
    fn rss1_rdf_items() {
        let xml = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://vale.example/"><title>Vale Post</title><link>https://vale.example/</link><description>d</description></channel>
<item rdf:about="https://vale.example/a"><title>Dam inspection</title><link>https://vale.example/a</link>
<description>Inspectors found the dam sound.</description><dc:date>2024-06-01T12:00:00Z</dc:date><dc:creator>J. Park</dc:creator></item>
</rdf:RDF>"#;
        let ev = read("vale.rdf", xml);
        let a = articles(&ev);
        assert_eq!(a.len(), 1, "{ev:?}");
        assert_eq!(a[0].url.as_deref(), Some("https://vale.example/a"));
        assert_eq!(a[0].published.as_deref(), Some("2024-06-01T12:00:00+00:00"));
        assert_eq!(a[0].text, "Inspectors found the dam sound.");
        assert_eq!(a[0].author.as_deref(), Some("J. Park"));
    }

    #[test]
    fn atom_entries_prefer_content_over_summary() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Hill Times</title><id>urn:hill</id><updated>2024-01-02T00:00:00Z</updated>
<entry><title type="html">Snow closes &lt;em&gt;pass&lt;/em&gt;</title><id>urn:1</id>
<link rel="alternate" href="https://hill.example/snow"/><published>2024-01-01T06:00:00Z</published><updated>2024-01-02T00:00:00Z</updated>
<author><name>Lea Brandt</name></author><summary>Pass closed.</summary>
<content type="html">&lt;p&gt;Heavy snow closed the mountain pass overnight.&lt;/p&gt;&lt;p&gt;Ploughs are out.&lt;/p&gt;</content></entry>
<entry><title>Plain entry</title><id>https://hill.example/plain</id><updated>2024-01-03T00:00:00Z</updated>
<content type="text">Council met on Tuesday.</content></entry>
</feed>"#;
        let ev = read("hill.atom", xml);
        let a = articles(&ev);
        assert_eq!(a.len(), 2, "{ev:?}");
        assert_eq!(a[0].title.as_deref(), Some("Snow closes pass"));
        assert_eq!(a[0].text, "Heavy snow closed the mountain pass overnight.\nPloughs are out.");
        assert_eq!(a[0].published.as_deref(), Some("2024-01-01T06:00:00+00:00"));
        assert_eq!(a[0].author.as_deref(), Some("Lea Brandt"));
        assert_eq!(a[1].url.as_deref(), Some("https://hill.example/plain"));
        assert_eq!(a[1].text, "Council met on Tuesday.");
    }

    #[test]
    fn broken_item_is_an_error_and_the_others_count() {
        let xml = RSS2.replace(
            "<item><title>Library reopens</title>",
            "<item><title>Broken <b></title><description>x</item>\n<item><title>Library reopens</title>",
        );
        let ev = read("news.rss", &xml);
        let a = articles(&ev);
        let errors: Vec<_> = ev.iter().filter_map(|e| if let Event::Error(e) = e { Some(e) } else { None }).collect();
        assert_eq!(a.len(), 2, "{ev:?}");
        assert_eq!(a[0].path, "news.rss#1");
        assert_eq!(a[1].path, "news.rss#3");
        assert_eq!(errors.len(), 1, "{ev:?}");
        assert_eq!(errors[0].path, "news.rss#2");
    }

    #[test]
    fn item_with_only_a_title_is_a_headline_article() {
        let xml =
            RSS2.replace("<description>&lt;p&gt;The town library reopened after repairs.&lt;/p&gt;</description>", "");
        let ev = read("news.rss", &xml);
        let a = articles(&ev);
        assert_eq!(a.len(), 2, "{ev:?}");
        assert_eq!(a[1].title.as_deref(), Some("Library reopens"));
        assert_eq!(a[1].text, "");
    }

    #[test]
    fn item_without_title_or_text_is_an_error() {
        let xml = RSS2.replace(
            "<title>Library reopens</title><link>https://herald.example/library</link>\n<description>&lt;p&gt;The town library reopened after repairs.&lt;/p&gt;</description>",
            "<link>https://herald.example/library</link>",
        );
        let ev = read("news.rss", &xml);
        assert!(ev.iter().any(|e| matches!(e, Event::Error(err) if err.path == "news.rss#2")), "{ev:?}");
        assert_eq!(articles(&ev).len(), 1);
    }

    #[test]
    fn not_a_feed_is_one_error() {
        let ev = read("junk.rss", "<html><body>nothing</body></html>");
        assert_eq!(ev.len(), 1);
        assert!(matches!(&ev[0], Event::Error(e) if e.path == "junk.rss"));
    }
}
