//! Plain text: one article a file, perhaps with a headline on its first line.

use std::io::BufRead;

use chorus_model::Article;

use super::{Event, Reader};
use crate::{IngestError, decode::decode_owned, read_limited};

pub struct TextReader;

impl Reader for TextReader {
    fn read(&self, name: &str, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
        let result = read_limited(input).and_then(|b| decode_owned(b, None));
        match result.and_then(|t| parse_text(name, &t)) {
            Ok(a) => emit(Event::Article(a)),
            Err(e) => emit(Event::Error(e.at(name))),
        }
    }
}

/// Builds an article from a plain-text body, taking the first line as its
/// title only when [`is_headline`] says it is one; no title is ever invented.
pub fn parse_text(name: &str, text: &str) -> Result<Article, IngestError> {
    let text = crate::article_text(text)?;
    let mut lines = text.splitn(2, '\n');
    let first = lines.next().unwrap_or("").trim();
    let rest = lines.next().unwrap_or("").trim_start_matches('\n');
    let (title, body) =
        if is_headline(first, rest) { (Some(first.to_string()), rest.to_string()) } else { (None, text.clone()) };
    Ok(Article { path: name.to_string(), title, text: body, ..Default::default() }.with_stable_id())
}

/// Whether the first line of a plain-text article is a headline rather than
/// the start of the body, by general rules of news layout:
///
/// - a body must follow it, longer than the line itself;
/// - it has 2 to 25 words (headlines are short; lead paragraphs are longer);
/// - it does not end like a sentence of prose (`.`, `,`, `;`, `:` or a
///   closing quote after one); a `?` or `!` is allowed on a short line
///   (questions make headlines);
/// - it does not open or close with a quotation left open (a pull-quote line).
pub fn is_headline(first: &str, rest: &str) -> bool {
    let first = first.trim();
    let rest_len = rest.trim().len();
    if first.is_empty() || rest_len == 0 || rest_len < first.len() {
        return false;
    }
    let words = first.split_whitespace().count();
    if !(2..=25).contains(&words) || first.chars().count() > 200 {
        return false;
    }
    let end = first.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
    let last = end.chars().last().unwrap_or(' ');
    if matches!(last, '.' | ',' | ';' | ':' | '…') {
        return false;
    }
    if matches!(last, '?' | '!') && words > 15 {
        return false;
    }
    // A headline starts with a capital, a digit or a quote mark.
    let c0 = first.chars().next().unwrap_or(' ');
    c0.is_uppercase() || c0.is_numeric() || matches!(c0, '“' | '"' | '‘' | '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_rules() {
        let body = "The body of the article follows here, with many words in a long paragraph.";
        assert!(is_headline("Storm floods coastal town", body));
        assert!(is_headline("Port city: Mayor Resigns After Flood Report", body));
        assert!(is_headline("Will the dam hold?", body));
        assert!(!is_headline("The mayor resigned on Monday after the report.", body));
        assert!(!is_headline("Storm floods coastal town", ""));
        assert!(!is_headline("storm floods coastal town, officials say that the", body));
        assert!(!is_headline(
            "In a long opening sentence that goes on and on the reporter tells us who did what where and when and why it matters today",
            body
        ));
    }

    #[test]
    fn parse_text_splits_title_only_when_headline() {
        let a = parse_text("a.txt", "Dam breaks in valley\n\nWater rose fast. Many fled.").unwrap();
        assert_eq!(a.title.as_deref(), Some("Dam breaks in valley"));
        assert_eq!(a.text, "Water rose fast. Many fled.");
        let b = parse_text("b.txt", "Water rose fast on Monday.\nMany fled the valley that night.").unwrap();
        assert_eq!(b.title, None);
        assert!(b.text.starts_with("Water rose"));
        assert_eq!(a.id.len(), 16);
    }

    #[test]
    fn whitespace_only_is_an_error() {
        assert!(matches!(parse_text("c.txt", "  \n\n "), Err(IngestError::NoText)));
    }

    #[test]
    fn more_than_an_article_of_text_is_refused() {
        let lines = "Short line of a log.\n".repeat(crate::MAX_TEXT_BYTES / 20);
        assert!(matches!(parse_text("big.txt", &lines), Err(IngestError::TextTooLong { .. })));
        assert!(parse_text("ok.txt", &lines[..crate::MAX_TEXT_BYTES - 1]).is_ok());
    }
}
