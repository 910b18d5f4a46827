//! Cleaning: dropping the lines a site wraps around its articles.
//!
//! Two general mechanisms, neither keyed to any outlet:
//!
//! 1. [`rules`]: a line is furniture when it is short and matches a pattern of
//!    site furniture: social "follow us" prompts, share/print/zoom widgets,
//!    view counters, newsletter, e-mail and messaging-app pleas, "read the
//!    full article" links, author-contact lines, advertisement labels.
//! 2. [`repeats`]: a line that recurs verbatim in several different articles of
//!    the same source is that site's template, whatever it says.
//!
//! Nothing is dropped silently: every dropped line is returned, per input, so
//! that the report can list it under `removed`.

pub mod repeats;
pub mod rules;

use chorus_model::{Article, Removed};

/// Cleans every article in place and returns the dropped lines per input
/// (inputs that lost nothing are left out).
pub fn clean_corpus(articles: &mut [Article]) -> Vec<Removed> {
    let mut dropped: Vec<Vec<String>> = vec![Vec::new(); articles.len()];
    for (a, d) in articles.iter_mut().zip(dropped.iter_mut()) {
        if let Some((kept, removed)) = clean_lines(&a.text) {
            a.text = kept;
            *d = removed;
        }
    }
    let repeated = repeats::repeated_lines(articles);
    for (i, lines) in repeated.into_iter().enumerate() {
        if lines.is_empty() {
            continue;
        }
        let a = &mut articles[i];
        let mut kept = String::with_capacity(a.text.len());
        for line in a.text.lines() {
            if lines.contains(&repeats::line_key(line)) {
                dropped[i].push(line.trim().to_string());
            } else {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        a.text = kept.trim_end().to_string();
    }
    articles
        .iter()
        .zip(dropped)
        .filter(|(_, d)| !d.is_empty())
        .map(|(a, lines)| Removed { path: a.path.clone(), lines })
        .collect()
}

/// Cleans one text by the line rules alone; returns the kept text and the
/// dropped lines.
pub fn clean_text(text: &str) -> (String, Vec<String>) {
    clean_lines(text).unwrap_or_else(|| (text.to_string(), Vec::new()))
}

/// [`clean_text`], or `None` when no line is dropped (so that the common
/// case copies nothing).
fn clean_lines(text: &str) -> Option<(String, Vec<String>)> {
    let lines: Vec<&str> = text.lines().collect();
    let dropped: Vec<bool> = (0..lines.len())
        .map(|i| {
            let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty()).copied();
            rules::is_furniture(lines[i]) || rules::is_furniture_lead_in(lines[i], next)
        })
        .collect();
    if !dropped.contains(&true) {
        return None;
    }
    let mut kept = String::with_capacity(text.len());
    let mut removed = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if dropped[i] {
            removed.push(line.trim().to_string());
        } else {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    // Drop blank runs left behind.
    let text = kept
        .split('\n')
        .fold((String::with_capacity(kept.len()), 0usize), |(mut acc, blanks), l| {
            if l.trim().is_empty() {
                if blanks == 0 && !acc.is_empty() {
                    acc.push('\n');
                }
                (acc, blanks + 1)
            } else {
                acc.push_str(l);
                acc.push('\n');
                (acc, 0)
            }
        })
        .0;
    Some((text.trim_end().to_string(), removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_and_reports_every_dropped_line() {
        let text = "Storm hits coast\n\nShare this article\nThe storm hit the coast on Monday, officials said.\nFollow us on Instagram\nRead the full story here";
        let (kept, removed) = clean_text(text);
        assert_eq!(kept, "Storm hits coast\n\nThe storm hit the coast on Monday, officials said.");
        assert_eq!(removed, vec!["Share this article", "Follow us on Instagram", "Read the full story here"]);
    }
}
