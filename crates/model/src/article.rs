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

/// Longest title kept, in characters: headlines run 40–120 characters and
/// the longest real ones about 250; past that the "title" is a paragraph or
/// a whole one-line body, which every story listing would then carry. Cut
/// at a word with `…`. Also the bound on a story's headline.
pub const MAX_TITLE_CHARS: usize = 300;

/// Longest author or source (outlet) name kept, in characters: bylines of
/// several names run under 100; a longer one is cut with `…`.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest URL kept, in bytes: addresses past 2,048 bytes do not work in
/// every browser, so no outlet publishes one; a longer value is dropped (the
/// article's id then comes from its content).
pub const MAX_URL_BYTES: usize = 4096;

/// Longest `published` and `language` values kept, in bytes: an ISO 8601
/// time with its zone takes 32 and a BCP 47 language tag at most 35, so a
/// longer value is not one and is dropped.
pub const MAX_CODE_BYTES: usize = 64;

/// Longest id a client may choose (a JSON Lines `id`, a posted article's),
/// in bytes: tools give hashes, UUIDs (36 bytes) or URLs; 512 holds all but
/// freak URLs and keeps an id usable in a request path. A longer id is
/// refused by the reader, never cut (a cut id could collide).
pub const MAX_ID_BYTES: usize = 512;

impl Article {
    /// Builds an article whose id follows the contract: the URL when known,
    /// else the content (title and text), so the same article gets the same
    /// id in every run and every store. Every reader ends with this call, so
    /// it is also where metadata is made safe to store and show: control and
    /// bidirectional formatting characters go (a NUL in a title is never
    /// meant and some stores cannot hold one; a right-to-left override makes
    /// a title display as another), and every field is bounded
    /// ([`MAX_TITLE_CHARS`] and the constants after it).
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
        for (field, max) in
            [(&mut self.title, MAX_TITLE_CHARS), (&mut self.source, MAX_NAME_CHARS), (&mut self.author, MAX_NAME_CHARS)]
        {
            if let Some(v) = field.as_mut() {
                cut_chars(v, max);
            }
        }
        for (field, max) in [
            (&mut self.url, MAX_URL_BYTES),
            (&mut self.published, MAX_CODE_BYTES),
            (&mut self.language, MAX_CODE_BYTES),
        ] {
            if field.as_ref().is_some_and(|v| v.len() > max) {
                *field = None;
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

/// Removes control characters (NUL, escapes, line breaks) and
/// bidirectional formatting characters (see [`is_bidi_control`]) from a
/// metadata string in place; text bodies keep their line breaks and are
/// normalised elsewhere.
pub fn strip_controls(s: &mut String) {
    if s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        *s = s
            .chars()
            .filter_map(|c| {
                if c.is_whitespace() { Some(' ') } else { (!c.is_control() && !is_bidi_control(c)).then_some(c) }
            })
            .collect();
        *s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
}

/// The explicit bidirectional formatting characters: embeddings, overrides
/// and isolates (U+202A–U+202E, U+2066–U+2069), the ones "Trojan Source"
/// (CVE-2021-42574) lists. An override makes text display in an order other
/// than its own ("gro.elpmaxe" shown as "example.org"), and one left open
/// reorders whatever a page shows after it. Right-to-left scripts need none
/// of them; the implicit marks (U+200E, U+200F), which reorder nothing
/// around them, are kept.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Cuts `s` to at most `max` characters: at the last space in the second
/// half of the allowance when there is one, with `…` in place of the rest.
pub fn cut_chars(s: &mut String, max: usize) {
    let Some((end, _)) = s.char_indices().nth(max) else { return };
    // Room for the `…`.
    let limit = s[..end].char_indices().last().map_or(0, |(i, _)| i);
    let half = s[..limit].char_indices().nth(max / 2).map_or(0, |(i, _)| i);
    let cut = s[..limit].rfind(' ').filter(|&sp| sp >= half).unwrap_or(limit);
    s.truncate(cut);
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    s.push('…');
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
    fn metadata_loses_bidi_controls() {
        let a = Article {
            title: Some("Mayor \u{202E}lanruoj\u{202C} resigns".into()),
            source: Some("\u{2067}Courier\u{2069}".into()),
            author: Some("Ann \u{202D}Lee".into()),
            text: "x".into(),
            ..Default::default()
        }
        .with_stable_id();
        assert_eq!(a.title.as_deref(), Some("Mayor lanruoj resigns"));
        assert_eq!(a.source.as_deref(), Some("Courier"));
        assert_eq!(a.author.as_deref(), Some("Ann Lee"));
        // Right-to-left text itself, and the implicit marks, stay.
        let b = Article { title: Some("שלום \u{200F}עולם".into()), text: "x".into(), ..Default::default() }
            .with_stable_id();
        assert_eq!(b.title.as_deref(), Some("שלום \u{200F}עולם"));
    }

    #[test]
    fn fields_are_bounded() {
        let a = Article {
            title: Some("word ".repeat(1_000_000)),
            author: Some("x".repeat(10_000)),
            url: Some(format!("https://example.org/{}", "a".repeat(MAX_URL_BYTES))),
            published: Some("2025".repeat(100)),
            language: Some("en".into()),
            text: "x".into(),
            ..Default::default()
        }
        .with_stable_id();
        let title = a.title.unwrap();
        assert!(title.chars().count() <= MAX_TITLE_CHARS && title.ends_with("word…"), "{title}");
        assert_eq!(a.author.unwrap().chars().count(), MAX_NAME_CHARS);
        assert_eq!((a.url, a.published, a.language.as_deref()), (None, None, Some("en")));
        // Short values are untouched; a cut never splits a character.
        let mut s = "é".repeat(10);
        cut_chars(&mut s, 10);
        assert_eq!(s, "é".repeat(10));
        cut_chars(&mut s, 4);
        assert_eq!(s, "ééé…");
    }

    #[test]
    fn outlet_falls_back_to_host_then_self() {
        let a = Article { id: "abc".into(), url: Some("https://www.news.example.org/x".into()), ..Default::default() };
        assert_eq!(a.outlet(), "news.example.org");
        let b = Article { id: "abc".into(), ..Default::default() };
        assert_eq!(b.outlet(), "article:abc");
    }
}
