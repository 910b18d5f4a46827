//! HTML pages: main-content extraction plus title, date, author and site.
//!
//! First version: paragraphs of the `<article>` (or `<body>`) and metadata
//! from `<meta>` tags. The extractor chosen by measurement replaces it.

use std::io::BufRead;

use chorus_model::Article;
use scraper::{Html, Selector};

use super::{Event, Reader};
use crate::{IngestError, date::normalize_date, decode::decode, read_limited};

pub struct HtmlReader;

impl Reader for HtmlReader {
    fn read(&self, name: &str, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
        let result = read_limited(input).and_then(|b| {
            let declared = sniff_meta_charset(&b);
            decode(&b, declared.as_deref())
        });
        match result.and_then(|html| extract_page(name, &html, None)) {
            Ok(a) => emit(Event::Article(a)),
            Err(e) => emit(Event::Error(e.at(name))),
        }
    }
}

/// The charset a page declares in `<meta charset>` or `http-equiv`, read from
/// its first kilobytes before decoding.
pub fn sniff_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    let at = head.find("charset=")?;
    let rest = head[at + 8..].trim_start_matches(['"', '\'']);
    let cs: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect();
    (!cs.is_empty()).then_some(cs)
}

/// Extracts an article from a whole HTML page.
pub fn extract_page(path: &str, html: &str, url: Option<&str>) -> Result<Article, IngestError> {
    let doc = Html::parse_document(html);
    let meta = |names: &[&str]| -> Option<String> {
        for n in names {
            let sel =
                Selector::parse(&format!("meta[property=\"{n}\"], meta[name=\"{n}\"], meta[itemprop=\"{n}\"]")).ok()?;
            if let Some(v) =
                doc.select(&sel).filter_map(|e| e.value().attr("content")).map(str::trim).find(|s| !s.is_empty())
            {
                return Some(v.to_string());
            }
        }
        None
    };
    let title = meta(&["og:title", "twitter:title"]).or_else(|| {
        let sel = Selector::parse("title").ok()?;
        doc.select(&sel).next().map(|e| e.text().collect::<String>().trim().to_string())
    });
    let mut paragraphs = Vec::new();
    for scope in ["article p, article h2, article li", "main p, main h2", "body p, body h2"] {
        let sel = Selector::parse(scope).expect("static selector");
        for e in doc.select(&sel) {
            let t: String = e.text().collect::<Vec<_>>().join("");
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                paragraphs.push(t);
            }
        }
        if !paragraphs.is_empty() {
            break;
        }
        paragraphs.clear();
    }
    if paragraphs.is_empty() {
        let sel = Selector::parse("body").expect("static selector");
        if let Some(body) = doc.select(&sel).next() {
            let t: String = body.text().collect::<Vec<_>>().join(" ");
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                paragraphs.push(t);
            }
        }
    }
    if paragraphs.is_empty() {
        return Err(IngestError::NoText);
    }
    let url = url.map(str::to_string).or_else(|| meta(&["og:url"])).or_else(|| {
        let sel = Selector::parse("link[rel=\"canonical\"]").ok()?;
        doc.select(&sel).next().and_then(|e| e.value().attr("href")).map(str::to_string)
    });
    Ok(Article {
        id: String::new(),
        path: path.to_string(),
        url,
        source: meta(&["og:site_name", "application-name"]),
        title,
        author: meta(&["author", "article:author", "byl"]),
        published: meta(&["article:published_time", "datePublished", "pubdate", "date", "dc.date"])
            .and_then(|d| normalize_date(&d).or(Some(d))),
        language: None,
        text: chorus_text::normalize(&paragraphs.join("\n")),
    }
    .with_stable_id())
}

/// Text of an HTML fragment (a JSON field or feed item holding markup), one
/// line per block element.
pub fn html_fragment_to_text(fragment: &str) -> String {
    let doc = Html::parse_fragment(fragment);
    let mut out = String::new();
    for node in doc.root_element().descendants() {
        if let Some(t) = node.value().as_text() {
            out.push_str(t);
        } else if let Some(e) = node.value().as_element() {
            if matches!(e.name(), "p" | "br" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "blockquote")
                && !out.ends_with('\n')
            {
                out.push('\n');
            }
        }
    }
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_paragraphs_and_meta() {
        let page = r#"<html><head><title>T</title><meta property="og:site_name" content="Daily Example">
            <meta name="author" content="Ann Writer"><meta property="article:published_time" content="2025-02-23T10:00:00Z"></head>
            <body><nav>Home | World</nav><article><p>First paragraph of the article that is long enough to count as real text for the test.</p>
            <p>Second paragraph with more words so that the article passes the length bar used here.</p></article></body></html>"#;
        let a = extract_page("p.html", page, None).unwrap();
        assert_eq!(a.source.as_deref(), Some("Daily Example"));
        assert_eq!(a.author.as_deref(), Some("Ann Writer"));
        assert_eq!(a.published.as_deref(), Some("2025-02-23T10:00:00+00:00"));
        assert!(a.text.starts_with("First paragraph"));
        assert!(!a.text.contains("Home | World"));
    }

    #[test]
    fn charset_sniffing() {
        assert_eq!(sniff_meta_charset(b"<meta charset=\"windows-1252\">").as_deref(), Some("windows-1252"));
    }
}
