//! A polled document's items, and the articles they make: a feed item
//! with its full content is an article as it stands; one that carries only
//! a summary (or nothing) points to the page that holds the article, which
//! is fetched and extracted like any web page.

use chorus_ingest::formats::feed;
use chorus_ingest::formats::html::{decode_html, extract_page};
use chorus_model::Article;

use crate::http::Body;
use crate::sitemap::{self, Sitemap};

/// A feed item whose description runs to this many words carries the
/// article itself (many feeds put the whole text there), not a teaser:
/// teasers are a sentence or two, news articles several hundred words.
pub const FULL_TEXT_WORDS: usize = 150;

/// What a polled address serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// RSS 2.0, RSS 1.0, Atom or JSON Feed.
    Feed,
    /// A news sitemap.
    Sitemap,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Feed => "feed",
            Kind::Sitemap => "sitemap",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        match s {
            "feed" => Some(Kind::Feed),
            "sitemap" => Some(Kind::Sitemap),
            _ => None,
        }
    }
}

/// One item of a polled document.
#[derive(Debug)]
pub struct Item {
    /// What tells it from the document's other items over time.
    pub key: String,
    /// Where it came from, for messages: the document's URL and the item's
    /// position (`URL#N`).
    pub path: String,
    /// The page the item points to.
    pub link: Option<String>,
    /// The article the item makes by itself, or why it makes none.
    pub own: Result<Article, String>,
    /// Whether `own` is the whole article, so no page need be fetched.
    pub complete: bool,
    /// Metadata to fill in on the page's article when the page lacks it
    /// (a sitemap's title, publication and date).
    pub hint: Hint,
}

#[derive(Debug, Clone, Default)]
pub struct Hint {
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
}

/// A document's items, and its title.
#[derive(Debug, Default)]
pub struct Document {
    pub title: Option<String>,
    pub items: Vec<Item>,
    /// Items with nothing to tell them apart by (no link, no id, no text).
    pub unkeyed: Vec<(String, String)>,
}

/// What a fetched document is, if it is something to poll; `Index` when it
/// is a sitemap index (its sitemaps, to look into).
pub enum Sniffed {
    Poll(Kind),
    Index(Vec<String>),
    Other,
}

/// Tells a feed or news sitemap from anything else (an HTML page, a plain
/// sitemap).
pub fn sniff(body: &Body) -> Sniffed {
    if feed::read_items(&body.url, &body.bytes, &mut |_| {}).is_ok() {
        return Sniffed::Poll(Kind::Feed);
    }
    match sitemap::read(&String::from_utf8_lossy(&body.bytes)) {
        Some(Sitemap::News(_)) => Sniffed::Poll(Kind::Sitemap),
        Some(Sitemap::Index(list)) => Sniffed::Index(list),
        _ => Sniffed::Other,
    }
}

/// Reads a polled document's items. `name` names it in messages (its URL).
pub fn read(kind: Kind, name: &str, body: &Body) -> Result<Document, String> {
    match kind {
        Kind::Feed => read_feed(name, body),
        Kind::Sitemap => read_sitemap(name, body),
    }
}

fn read_feed(name: &str, body: &Body) -> Result<Document, String> {
    let mut doc = Document::default();
    let mut raw = Vec::new();
    feed::read_items(name, &body.bytes, &mut |i| raw.push(i)).map_err(|e| e.to_string())?;
    // The feed's title names the outlet of pages that do not name theirs.
    doc.title = raw.iter().find_map(|i| i.article.as_ref().ok().and_then(|a| a.source.clone()));
    let hint = Hint { source: doc.title.clone(), ..Hint::default() };
    for i in raw {
        let link = i.link.filter(|l| crate::http::parse_http(l).is_ok());
        let own = i.article.map_err(|e| e.to_string());
        let key = i.key.or_else(|| own.as_ref().ok().map(|a| a.id.clone()));
        let Some(key) = key else {
            doc.unkeyed.push((i.path, own.err().unwrap_or_default()));
            continue;
        };
        if doc.items.iter().any(|x| x.key == key) {
            continue;
        }
        let complete = match &own {
            Ok(a) => i.full || a.text.split_whitespace().count() >= FULL_TEXT_WORDS || link.is_none(),
            Err(_) => false,
        };
        let own = own.map(|mut a| {
            // An item's path is its own address where it has one: its
            // position in the feed changes from one poll to the next.
            if let Some(l) = &link {
                a.path = l.clone();
            }
            a
        });
        doc.items.push(Item { key, path: i.path, link, own, complete, hint: hint.clone() });
    }
    Ok(doc)
}

fn read_sitemap(name: &str, body: &Body) -> Result<Document, String> {
    let Some(Sitemap::News(entries)) = sitemap::read(&String::from_utf8_lossy(&body.bytes)) else {
        return Err("not a news sitemap".into());
    };
    let mut doc = Document::default();
    for (n, e) in entries.into_iter().enumerate() {
        if doc.title.is_none() {
            doc.title = e.publication.clone();
        }
        if crate::http::parse_http(&e.url).is_err() || doc.items.iter().any(|x| x.key == e.url) {
            continue;
        }
        doc.items.push(Item {
            key: e.url.clone(),
            path: format!("{name}#{}", n + 1),
            link: Some(e.url.clone()),
            own: Err("a sitemap entry carries no text".into()),
            complete: false,
            hint: Hint { title: e.title, source: e.publication, published: e.published },
        });
    }
    Ok(doc)
}

/// The article of a fetched page (CPU work: call off the async threads).
/// Its address is the page's canonical URL when that is on the same host
/// (so the same article reached by a tracking link or a feed proxy is
/// stored once), else where the page was fetched from.
pub fn page_article(link: &str, page: &Body, hint: &Hint) -> Result<Article, String> {
    let html = decode_html(&page.bytes, page.charset()).map_err(|e| e.to_string())?;
    let mut a = extract_page(link, &html, None).map_err(|e| e.to_string())?;
    let fetched = crate::http::parse_http(&page.url).ok();
    let canonical = a
        .url
        .as_deref()
        .and_then(|c| fetched.as_ref().and_then(|f| f.join(c).ok()))
        .filter(|c| fetched.as_ref().is_some_and(|f| same_site(c, f)));
    a.url = Some(canonical.map(|c| c.to_string()).unwrap_or_else(|| page.url.clone()));
    a.title = a.title.or_else(|| hint.title.clone());
    a.source = a.source.or_else(|| hint.source.clone());
    a.published = a.published.or_else(|| hint.published.clone());
    Ok(a.with_stable_id())
}

/// Same host, give or take `www.`.
fn same_site(a: &url::Url, b: &url::Url) -> bool {
    let h = |u: &url::Url| u.host_str().unwrap_or("").trim_start_matches("www.").to_ascii_lowercase();
    h(a) == h(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Validators;

    fn body(url: &str, text: &str) -> Body {
        Body {
            url: url.into(),
            bytes: text.as_bytes().to_vec(),
            content_type: Some("text/html".into()),
            validators: Validators::default(),
        }
    }

    #[test]
    fn complete_items_and_summaries() {
        let long = "word ".repeat(FULL_TEXT_WORDS);
        let rss = format!(
            r#"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Valley Post</title>
<item><title>Full</title><link>https://v.example/full</link><description>Teaser.</description><content:encoded>&lt;p&gt;The whole story.&lt;/p&gt;</content:encoded></item>
<item><title>Teaser</title><link>https://v.example/teaser</link><description>Only a teaser.</description></item>
<item><title>Long</title><link>https://v.example/long</link><description>{long}</description></item>
<item><title>Bare</title><link>https://v.example/bare</link></item>
<item><title>No link</title><description>Text without a link.</description></item>
</channel></rss>"#
        );
        let doc = read(Kind::Feed, "https://v.example/rss", &body("https://v.example/rss", &rss)).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Valley Post"));
        let got: Vec<(&str, bool, bool)> =
            doc.items.iter().map(|i| (i.key.as_str(), i.complete, i.own.is_ok())).collect();
        assert_eq!(got[0], ("https://v.example/full", true, true));
        assert_eq!(got[1], ("https://v.example/teaser", false, true));
        assert_eq!(got[2], ("https://v.example/long", true, true));
        // A bare headline is an article of its own (what is stored if its
        // page cannot be fetched), never complete: its page is fetched.
        assert_eq!(got[3], ("https://v.example/bare", false, true));
        // No link: its own text is all there is.
        assert!(got[4].1 && got[4].2);
        assert_eq!(doc.items[0].own.as_ref().unwrap().path, "https://v.example/full");
    }

    #[test]
    fn page_article_takes_the_canonical_url_of_the_same_site_only() {
        let page = |canonical: &str| {
            format!(
                "<html><head><title>Dam opens</title><link rel=canonical href=\"{canonical}\"></head><body><article>\
                 <p>The new dam on the Wend opened on Tuesday after four years of work, the authority said.</p>\
                 </article></body></html>"
            )
        };
        let hint = Hint { published: Some("2025-07-01T08:00:00Z".into()), ..Default::default() };
        let a = page_article(
            "https://v.example/r?utm=x",
            &body("https://www.v.example/a?utm=x", &page("https://www.v.example/a")),
            &hint,
        )
        .unwrap();
        assert_eq!(a.url.as_deref(), Some("https://www.v.example/a"));
        assert_eq!(a.path, "https://v.example/r?utm=x");
        assert_eq!(a.published.as_deref(), Some("2025-07-01T08:00:00Z"));
        assert_eq!(a.id, chorus_model::article::article_id("https://v.example/a"));
        let b =
            page_article("https://v.example/b", &body("https://v.example/b", &page("https://other.example/x")), &hint)
                .unwrap();
        assert_eq!(b.url.as_deref(), Some("https://v.example/b"));
    }
}
