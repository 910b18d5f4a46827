//! JSON Lines: one article per line, with the field names common tools write
//! (news-please, newspaper3k, NewsAPI dumps, CC-NEWS derivatives).

use std::io::BufRead;

use chorus_model::{Article, MAX_ID_BYTES};
use serde_json::{Map, Value};

use super::{Event, Reader};
use crate::{IngestError, MAX_RECORD_BYTES, date::normalize_date};

pub struct JsonlReader;

const TITLE: &[&str] = &["title", "headline"];
const TEXT: &[&str] = &["text", "content", "body", "maintext", "article", "full_text", "description"];
const URL: &[&str] = &["url", "link", "canonical_url"];
const SOURCE: &[&str] = &["source", "domain", "source_domain", "source_name", "outlet", "site_name", "publisher"];
const PUBLISHED: &[&str] =
    &["published", "date", "date_publish", "published_at", "publish_date", "pubDate", "datetime", "timestamp"];
const AUTHOR: &[&str] = &["author", "authors", "byline", "creator"];
const LANGUAGE: &[&str] = &["language", "lang"];

impl Reader for JsonlReader {
    fn read(&self, name: &str, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
        let mut line_no = 0usize;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            line_no += 1;
            let path = format!("{name}#{line_no}");
            match read_line_limited(input, &mut buf, MAX_RECORD_BYTES) {
                Ok(LineRead::Eof) => break,
                Ok(LineRead::TooLong(size)) => {
                    emit(Event::Error(
                        IngestError::TooLarge { size: size as u64, limit: MAX_RECORD_BYTES as u64 }.at(path),
                    ));
                    continue;
                }
                Ok(LineRead::Line) => {}
                Err(e) => {
                    emit(Event::Error(IngestError::Io(e).at(path)));
                    break;
                }
            }
            let line = match std::str::from_utf8(&buf) {
                Ok(s) => s.trim_start_matches('\u{feff}').trim(),
                Err(e) => {
                    emit(Event::Error(IngestError::Decode(format!("invalid UTF-8: {e}")).at(path)));
                    continue;
                }
            };
            if line.is_empty() {
                continue;
            }
            match parse_line(&path, line) {
                Ok(a) => emit(Event::Article(a)),
                Err(e) => emit(Event::Error(e.at(path))),
            }
        }
    }
}

enum LineRead {
    Line,
    Eof,
    TooLong(usize),
}

/// Reads one `\n`-terminated line into `buf`, never holding more than `limit`
/// bytes: a longer line is consumed and reported by size.
fn read_line_limited(input: &mut dyn BufRead, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<LineRead> {
    let mut total = 0usize;
    let mut any = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        total += take;
        if total <= limit {
            buf.extend_from_slice(&chunk[..take]);
        }
        input.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(LineRead::Eof);
    }
    if total > limit {
        buf.clear();
        return Ok(LineRead::TooLong(total));
    }
    Ok(LineRead::Line)
}

/// Parses one JSON Lines record into an article.
pub fn parse_line(path: &str, line: &str) -> Result<Article, IngestError> {
    let value: Value = serde_json::from_str(line).map_err(|e| IngestError::Json(e.to_string()))?;
    let Value::Object(obj) = value else {
        return Err(IngestError::Json("a line must be a JSON object".into()));
    };
    article_from_object(path, &obj)
}

/// Builds an article from a JSON object with any of the common field names.
pub fn article_from_object(path: &str, obj: &Map<String, Value>) -> Result<Article, IngestError> {
    let raw_text = first_string(obj, TEXT).unwrap_or_default();
    let text =
        if looks_like_html(&raw_text) { crate::formats::html::html_fragment_to_text(&raw_text)? } else { raw_text };
    let text = chorus_text::normalize(&text);
    let title = first_string(obj, TITLE).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
    // A record with a headline and no body (a feed export, a headline
    // stream) is an article of its headline alone: it is clustered and
    // listed, and analysed as far as a headline allows.
    if text.trim().is_empty() && title.is_none() {
        return Err(IngestError::Format(format!(
            "no article text or title (looked for {} and {})",
            TEXT.join(", "),
            TITLE.join(", ")
        )));
    }
    let text = if text.trim().is_empty() { String::new() } else { text };
    crate::check_text_size(&text)?;
    let article = Article {
        id: String::new(),
        path: path.to_string(),
        url: first_string(obj, URL),
        source: first_string(obj, SOURCE),
        title,
        author: first_string(obj, AUTHOR),
        published: first_string(obj, PUBLISHED).and_then(|d| normalize_date(&d).or(Some(d))),
        language: first_string(obj, LANGUAGE),
        text,
    }
    .with_stable_id();
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            // Refused, not cut: two long ids cut alike would collide.
            if s.trim().len() > MAX_ID_BYTES {
                return Err(IngestError::IdTooLong { size: s.trim().len(), limit: MAX_ID_BYTES });
            }
            let mut id = s.trim().to_string();
            chorus_model::article::strip_controls(&mut id);
            id
        }
        Some(Value::Number(n)) => n.to_string(),
        _ => article.id.clone(),
    };
    Ok(Article { id, ..article })
}

/// The first of `keys` holding a usable string: a string, a number, a list of
/// strings (joined with ", ", as `authors` often is) or an object with a
/// `name` (as NewsAPI's `source` is).
fn first_string(obj: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| obj.get(*k).and_then(as_text)).filter(|s| !s.trim().is_empty())
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(as_text).filter(|s| !s.is_empty()).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(o) => o.get("name").and_then(as_text),
        _ => None,
    }
}

fn looks_like_html(s: &str) -> bool {
    let mut cut = s.len().min(2000);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &s[..cut];
    // Tags of text blocks, and those of markup that holds no text (a field
    // holding only a `<script>` is markup, not an article).
    ["<p>", "<p ", "</p>", "<br", "<div", "</a>", "<script", "<style", "<span", "<html", "<body"]
        .iter()
        .any(|t| head.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str) -> Vec<Event> {
        let mut events = Vec::new();
        JsonlReader.read("wire.jsonl", &mut input.as_bytes(), &mut |e| events.push(e));
        events
    }

    #[test]
    fn reads_common_field_names() {
        let events = read(concat!(
            r#"{"title":"A","maintext":"Body one.","source_domain":"a.example","date_publish":"2025-02-23 10:00:00","authors":["X","Y"],"url":"https://a.example/1"}"#,
            "\n\n",
            r#"{"headline":"B","content":"<p>Body <b>two</b>.</p>","source":{"name":"B News"},"published":"2025-02-24","id":"keep-me"}"#,
            "\n"
        ));
        assert_eq!(events.len(), 2);
        let Event::Article(a) = &events[0] else { panic!() };
        assert_eq!(a.path, "wire.jsonl#1");
        assert_eq!(a.author.as_deref(), Some("X, Y"));
        assert_eq!(a.source.as_deref(), Some("a.example"));
        assert_eq!(a.published.as_deref(), Some("2025-02-23T10:00:00"));
        assert_eq!(a.id, chorus_model::article_id("https://a.example/1"));
        let Event::Article(b) = &events[1] else { panic!() };
        assert_eq!(b.path, "wire.jsonl#3");
        assert_eq!(b.id, "keep-me");
        assert_eq!(b.text, "Body two.");
        assert_eq!(b.source.as_deref(), Some("B News"));
    }

    #[test]
    fn over_long_ids_are_refused_and_titles_cut() {
        let line = format!("{{\"id\":\"{}\",\"text\":\"Body.\"}}", "i".repeat(MAX_ID_BYTES + 1));
        let err = parse_line("x.jsonl#1", &line).unwrap_err();
        assert!(matches!(err, IngestError::IdTooLong { .. }), "{err}");
        assert!(err.to_string().contains("over the 512-byte limit"), "{err}");
        let line = format!("{{\"id\":\"{}\",\"text\":\"Body.\"}}", "i".repeat(MAX_ID_BYTES));
        assert!(parse_line("x.jsonl#1", &line).is_ok());
        let line = format!("{{\"title\":\"{}\",\"text\":\"Body.\"}}", "headline ".repeat(100_000));
        let a = parse_line("x.jsonl#1", &line).unwrap();
        assert!(a.title.unwrap().chars().count() <= chorus_model::MAX_TITLE_CHARS);
    }

    #[test]
    fn long_non_ascii_text_is_not_cut_inside_a_char() {
        let body = "’".repeat(1500);
        let line = format!("{{\"text\":\"{body}\"}}");
        assert!(parse_line("x.jsonl#1", &line).is_ok());
    }

    #[test]
    fn malformed_line_is_an_error_and_others_still_count() {
        let events = read(
            "{\"text\":\"ok one\"}\n{not json\n[1,2]\n{\"url\":\"https://a.example/x\",\"text\":\"\"}\n{\"text\":\"ok two\"}",
        );
        let kinds: Vec<&str> = events
            .iter()
            .map(|e| match e {
                Event::Article(_) => "a",
                Event::Error(_) => "e",
                Event::Skipped(_) => "s",
            })
            .collect();
        assert_eq!(kinds, vec!["a", "e", "e", "e", "a"]);
        let Event::Error(err) = &events[1] else { panic!() };
        assert_eq!(err.path, "wire.jsonl#2");
        assert!(err.error.contains("malformed JSON"), "{}", err.error);
    }

    #[test]
    fn a_headline_without_a_body_is_an_article() {
        let events = read(concat!(
            r#"{"title":"  Dam   breach floods Korvala valley ","text":"","url":"https://a.example/dam"}"#,
            "\n",
            r#"{"headline":"Korvala mayor blames dam operator","content":"   "}"#,
            "\n"
        ));
        let titles: Vec<(&str, &str)> = events
            .iter()
            .map(|e| match e {
                Event::Article(a) => (a.title.as_deref().unwrap_or(""), a.text.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(titles, [("Dam breach floods Korvala valley", ""), ("Korvala mayor blames dam operator", "")]);
    }
}
