//! What a page's JSON-LD (`<script type="application/ld+json">`) says about
//! its article: headline, first publication date, authors, publisher.
//!
//! Blocks are read as publishers write them, not only as the standard does:
//! wrapped in `<!-- -->` or `<![CDATA[ ]]>`, with raw newlines and tabs inside
//! strings (invalid JSON that browsers' consumers accept), several values in
//! one script, and strings still HTML-escaped (`&amp;`). Objects are found
//! through arrays, `@graph` and `mainEntity`; an `author` that is only an
//! `@id` reference (Yoast's `{"@id": "…/#/schema/person/…"}`) is resolved
//! against the objects of the page's graph.

use std::collections::HashMap;

use serde_json::Value;

use super::authors::{Name, declared_name};
use super::collapse;

/// JSON-LD `@type`s that describe the page's own article, whose dates and
/// headline win over those of any other object on the page (a breadcrumb, a
/// related item, the publisher).
const ARTICLE_TYPES: &[&str] =
    &["article", "newsarticle", "reportagenewsarticle", "blogposting", "report", "analysisnewsarticle", "webpage"];

/// Deepest nesting of arrays, `@graph` and `mainEntity` followed: real
/// graphs nest two or three levels; a hostile page could nest without end.
const MAX_DEPTH: usize = 8;

/// Most names read from one `author` value: a paper's author list can run to
/// hundreds; a byline names a few.
const MAX_AUTHORS: usize = 16;

/// What the page's JSON-LD blocks say about its article.
#[derive(Debug, Default)]
pub(super) struct JsonLd {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub authors: Vec<Name>,
    pub publisher: Option<String>,
    /// Every date-time the blocks give (published, created, modified), for
    /// the page's time zone ([`super::dates::localize`]).
    pub stamps: Vec<String>,
}

impl JsonLd {
    pub fn read(scripts: &[String]) -> JsonLd {
        let mut values = Vec::new();
        for raw in scripts {
            parse_block(raw, &mut values);
        }
        let mut objects = Vec::new();
        for v in &values {
            collect_objects(v, &mut objects, 0);
        }
        let ids: HashMap<&str, &Value> = objects.iter().filter_map(|o| Some((o.get("@id")?.as_str()?, *o))).collect();
        let mut best = JsonLd::default();
        let mut fallback = JsonLd::default();
        let mut stamps = Vec::new();
        for obj in objects {
            let slot = if is_article(obj) { &mut best } else { &mut fallback };
            fill(slot, obj, &ids);
            for key in ["datePublished", "dateCreated", "dateModified"] {
                if let Some(s) = str_field(obj, key)
                    && stamps.len() < 64
                {
                    stamps.push(s);
                }
            }
        }
        JsonLd {
            headline: best.headline.or(fallback.headline),
            published: best.published.or(fallback.published),
            authors: if best.authors.is_empty() { fallback.authors } else { best.authors },
            publisher: best.publisher.or(fallback.publisher),
            stamps,
        }
    }
}

/// The JSON values of one script, read leniently (see the module doc).
fn parse_block(raw: &str, out: &mut Vec<Value>) {
    let body = unwrap_markers(raw);
    if read_values(body, out) {
        return;
    }
    // Raw control characters inside strings are invalid JSON but common; as
    // spaces they change no value that is read.
    if body.bytes().any(|b| b < 0x20) {
        let cleaned: String = body.chars().map(|c| if c < ' ' { ' ' } else { c }).collect();
        read_values(&cleaned, out);
    }
}

/// Reads the values of `s` one after another (some scripts hold several);
/// whether at least one was read.
fn read_values(s: &str, out: &mut Vec<Value>) -> bool {
    let mut any = false;
    for v in serde_json::Deserializer::from_str(s).into_iter::<Value>() {
        match v {
            Ok(v) => {
                out.push(v);
                any = true;
            }
            Err(_) => break,
        }
    }
    any
}

/// A script's text without the comment and CDATA wrappers pages put around
/// it for old browsers.
fn unwrap_markers(raw: &str) -> &str {
    let mut s = raw.trim();
    loop {
        let before = s.len();
        for p in ["<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["] {
            if let Some(r) = s.strip_prefix(p) {
                s = r.trim_start();
            }
        }
        for p in ["-->", "//]]>", "/*]]>*/", "]]>"] {
            if let Some(r) = s.strip_suffix(p) {
                s = r.trim_end();
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Objects of a JSON-LD value, through arrays, `@graph` and `mainEntity`.
fn collect_objects<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect_objects(i, out, depth + 1)),
        Value::Object(map) => {
            out.push(v);
            if let Some(g) = map.get("@graph") {
                collect_objects(g, out, depth + 1);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_objects(main, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The object's `@type`s, lower-cased.
fn types(obj: &Value) -> Vec<String> {
    match obj.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_ascii_lowercase).collect(),
        _ => Vec::new(),
    }
}

fn is_article(obj: &Value) -> bool {
    types(obj).iter().any(|t| ARTICLE_TYPES.contains(&t.as_str()) || t.ends_with("article"))
}

fn fill(slot: &mut JsonLd, obj: &Value, ids: &HashMap<&str, &Value>) {
    if slot.headline.is_none() {
        slot.headline = str_field(obj, "headline");
    }
    if slot.published.is_none() {
        slot.published = str_field(obj, "datePublished").or_else(|| str_field(obj, "dateCreated"));
    }
    if slot.authors.is_empty()
        && let Some(a) = obj.get("author")
    {
        person_names(a, ids, &mut slot.authors, 0);
    }
    if slot.publisher.is_none() {
        slot.publisher = obj.get("publisher").and_then(|p| match p {
            Value::Object(_) => str_field(p, "name"),
            Value::String(s) => Some(collapse(s)).filter(|s| !s.is_empty()),
            _ => None,
        });
    }
}

/// A string field, whitespace collapsed and character references decoded.
fn str_field(obj: &Value, key: &str) -> Option<String> {
    text(obj.get(key)?.as_str()?)
}

fn text(s: &str) -> Option<String> {
    let s = collapse(s);
    let s = if s.contains('&') { crate::formats::html::lean::decode_references(&s) } else { s };
    (!s.is_empty()).then_some(s)
}

/// The names in an `author` value: a string, a Person or Organization (by
/// `name`, or `givenName` and `familyName`), an `@id` reference to one, or a
/// list of these. Anything typed other than Person is marked an
/// organization: a stand-in for a byline rather than one.
fn person_names(v: &Value, ids: &HashMap<&str, &Value>, out: &mut Vec<Name>, depth: usize) {
    if depth > 2 || out.len() >= MAX_AUTHORS {
        return;
    }
    match v {
        Value::String(s) => {
            if let Some(text) = text(s).as_deref().and_then(declared_name) {
                out.push(Name { text, organization: false });
            }
        }
        Value::Array(items) => items.iter().for_each(|i| person_names(i, ids, out, depth + 1)),
        Value::Object(map) => {
            let named = map.contains_key("name") || map.contains_key("familyName");
            if !named
                && let Some(target) = map.get("@id").and_then(Value::as_str).and_then(|id| ids.get(id))
                && !std::ptr::eq(*target, v)
            {
                return person_names(target, ids, out, depth + 1);
            }
            let ts = types(v);
            let organization = !ts.is_empty() && !ts.iter().any(|t| t == "person");
            let name = match map.get("name") {
                Some(Value::String(s)) => text(s),
                Some(Value::Object(o)) => o.get("name").and_then(Value::as_str).and_then(text),
                Some(Value::Array(a)) => {
                    let parts: Vec<String> = a.iter().filter_map(Value::as_str).filter_map(text).collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                }
                _ => None,
            }
            .or_else(|| {
                let parts: Vec<String> =
                    ["givenName", "additionalName", "familyName"].iter().filter_map(|k| str_field(v, k)).collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            });
            if let Some(text) = name.as_deref().and_then(declared_name) {
                out.push(Name { text, organization });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ld(scripts: &[&str]) -> JsonLd {
        JsonLd::read(&scripts.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn cdata_control_characters_and_escapes_are_read() {
        let j = ld(&["//<![CDATA[\n{\"@type\":\"NewsArticle\",\"headline\":\"Tide\ttables\",\
                      \"datePublished\":\"2024-05-01\",\"author\":\"Maria &amp; Kat\"}\n//]]>"]);
        assert_eq!(j.headline.as_deref(), Some("Tide tables"));
        assert_eq!(j.published.as_deref(), Some("2024-05-01"));
        assert_eq!(j.authors, vec![Name { text: "Maria & Kat".into(), organization: false }]);
    }

    #[test]
    fn several_values_in_one_script() {
        let j = ld(&[r#"{"@type":"WebSite","name":"x"} {"@type":"Article","datePublished":"2023-01-02"}"#]);
        assert_eq!(j.published.as_deref(), Some("2023-01-02"));
    }

    #[test]
    fn author_references_resolve_and_organizations_are_marked() {
        let j = ld(&[r#"{"@context":"https://schema.org","@graph":[
            {"@type":"Article","author":{"@id":"https://x.example/#/p/1"},"datePublished":"2022-02-02"},
            {"@type":"Person","@id":"https://x.example/#/p/1","name":"Ann Lee"}]}"#]);
        assert_eq!(j.authors, vec![Name { text: "Ann Lee".into(), organization: false }]);
        let j = ld(&[r#"{"@type":"NewsArticle","author":[{"@type":"Organization","name":"Coast News"},
            {"givenName":"Bo","familyName":"Chen"}]}"#]);
        assert_eq!(
            j.authors,
            vec![
                Name { text: "Coast News".into(), organization: true },
                Name { text: "Bo Chen".into(), organization: false }
            ]
        );
    }
}
