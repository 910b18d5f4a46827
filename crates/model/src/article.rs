//! An article as a reader produced it.

use serde::{Deserialize, Serialize};

/// One article as read from an input, before cleaning.
///
/// `text` keeps the article's own line structure (one paragraph or line per
/// `\n`), because the cleaning stage judges furniture line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Article {
    /// Stable id: from the URL when there is one, else from the content.
    pub id: String,
    /// The input as given; `FILE#N` for the N-th article of a multi-article file.
    pub path: String,
    pub url: Option<String>,
    /// Outlet name or domain.
    pub source: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    /// ISO 8601 date or date-time, as precise as the input gave it.
    pub published: Option<String>,
    /// ISO 639-1 code when known.
    pub language: Option<String>,
    pub text: String,
}

impl Article {
    /// Builds an article whose id follows the contract: the URL when known,
    /// else the content (title and text), so the same article gets the same
    /// id in every run and every store. Every reader ends with this call, so
    /// it is also where metadata loses control characters (a NUL in a title
    /// is never meant, and some stores cannot hold one).
    pub fn with_stable_id(mut self) -> Self {
        for field in [
            &mut self.url,
            &mut self.source,
            &mut self.title,
            &mut self.author,
            &mut self.published,
            &mut self.language,
        ] {
            if let Some(v) = field.as_mut() {
                strip_controls(v);
            }
        }
        self.id = match &self.url {
            Some(url) if !url.trim().is_empty() => article_id(url),
            _ => content_id(self.title.as_deref().unwrap_or(""), &self.text),
        };
        self
    }

    /// The outlet this article counts as: its source, else its URL's host,
    /// else itself (an article with neither is a source of its own).
    pub fn outlet(&self) -> String {
        if let Some(s) = self.source.as_deref().filter(|s| !s.trim().is_empty()) {
            return s.trim().to_string();
        }
        if let Some(host) = self.url.as_deref().and_then(url_host) {
            return host;
        }
        format!("article:{}", self.id)
    }
}

/// Removes control characters (NUL, escapes, line breaks) from a metadata
/// string in place; text bodies keep their line breaks and are normalised
/// elsewhere.
pub fn strip_controls(s: &mut String) {
    if s.chars().any(char::is_control) {
        *s = s
            .chars()
            .filter_map(|c| if c.is_whitespace() { Some(' ') } else { (!c.is_control()).then_some(c) })
            .collect();
        *s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
}

/// The host of a URL, without a leading `www.`; `None` when there is no host.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// Id of an article known by its URL: 16 hex digits of XXH3 over the URL with
/// its scheme, `www.`, fragment and trailing slash removed, so that trivial
/// variants of one address agree.
pub fn article_id(url: &str) -> String {
    let u = url.trim();
    let u = u.split_once("://").map(|(_, r)| r).unwrap_or(u);
    let u = u.strip_prefix("www.").unwrap_or(u);
    let u = u.split('#').next().unwrap_or(u);
    let u = u.trim_end_matches('/');
    hex16(xxhash_rust::xxh3::xxh3_64(u.as_bytes()))
}

/// Id of an article known only by its content: XXH3 over its title and its
/// text with all whitespace runs collapsed, so re-wrapped copies agree.
pub fn content_id(title: &str, text: &str) -> String {
    let mut buf = String::with_capacity(title.len() + text.len() + 2);
    for word in title.split_whitespace() {
        buf.push_str(word);
        buf.push(' ');
    }
    buf.push('\n');
    for word in text.split_whitespace() {
        buf.push_str(word);
        buf.push(' ');
    }
    hex16(xxhash_rust::xxh3::xxh3_64(buf.as_bytes()))
}

fn hex16(v: u64) -> String {
    format!("{v:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_ids_ignore_scheme_and_trailing_slash() {
        assert_eq!(article_id("https://www.example.com/a/b/"), article_id("http://example.com/a/b"));
        assert_ne!(article_id("https://example.com/a"), article_id("https://example.com/b"));
    }

    #[test]
    fn content_ids_ignore_whitespace_layout() {
        assert_eq!(content_id("T", "a b\n\nc"), content_id("T", "a  b c"));
        assert_ne!(content_id("T", "a b"), content_id("U", "a b"));
        assert_eq!(content_id("", "x").len(), 16);
    }

    #[test]
    fn metadata_loses_control_characters() {
        let a =
            Article { title: Some("Bridge\u{0} closes\nat\tnoon\n".into()), text: "x".into(), ..Default::default() }
                .with_stable_id();
        assert_eq!(a.title.as_deref(), Some("Bridge closes at noon"));
    }

    #[test]
    fn outlet_falls_back_to_host_then_self() {
        let a = Article { id: "abc".into(), url: Some("https://www.news.example.org/x".into()), ..Default::default() };
        assert_eq!(a.outlet(), "news.example.org");
        let b = Article { id: "abc".into(), ..Default::default() };
        assert_eq!(b.outlet(), "article:abc");
    }
}
