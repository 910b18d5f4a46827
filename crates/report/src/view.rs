//! Views of a story that both renderers show: what each outlet alone
//! reports, where an outlet's framing words fall in its sentences, and
//! which words of a quote variant the other variants lack. Derived from
//! the [`Story`] alone, so the JSON stays the single source.

use chorus_model::{Fact, NumberEntry, Quote, Story};

/// What one article alone contributes.
pub struct Unique<'a> {
    /// Index of the article in the story.
    pub article: usize,
    pub facts: Vec<&'a Fact>,
    pub numbers: Vec<&'a NumberEntry>,
}

/// Each article's unique facts and numbers, in story order; articles with
/// none are left out.
pub fn unique_by_article(s: &Story) -> Vec<Unique<'_>> {
    s.articles
        .iter()
        .enumerate()
        .map(|(i, a)| Unique {
            article: i,
            facts: s.facts.iter().filter(|f| f.articles.len() == 1 && f.articles[0] == a.id).collect(),
            numbers: s
                .numbers
                .iter()
                // Figures written in digits: "two days" is prose and
                // "hundreds of billions" no figure to check.
                .filter(|n| n.articles.len() == 1 && n.articles[0] == a.id && n.unit != "date")
                .filter(|n| n.text.chars().any(|c| c.is_ascii_digit()))
                .collect(),
        })
        .filter(|u| !u.facts.is_empty() || !u.numbers.is_empty())
        .collect()
}

/// Facts reported by two or more articles.
pub fn shared_facts(s: &Story) -> Vec<&Fact> {
    s.facts.iter().filter(|f| f.articles.len() > 1).collect()
}

/// The framing terms of an article.
pub fn terms_of<'a>(s: &'a Story, article: &str) -> &'a [String] {
    s.framing.iter().find(|f| f.article == article).map(|f| f.terms.as_slice()).unwrap_or(&[])
}

/// Byte ranges in `text` where any of `terms` occurs as written (whole
/// words, first match of each, no overlaps), sorted.
pub fn term_spans(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for t in terms {
        if t.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(p) = text[from..].find(t.as_str()) {
            let (s, e) = (from + p, from + p + t.len());
            let before_ok = text[..s].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after_ok = text[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok && !out.iter().any(|&(a, b)| s < b && a < e) {
                out.push((s, e));
                break;
            }
            from = e;
        }
    }
    out.sort_unstable();
    out
}

/// Byte ranges of framing terms in each mention of a fact.
pub type MentionSpans = Vec<Vec<(usize, usize)>>;

/// Shared facts on which at least one outlet's framing words appear, with
/// for each mention the spans of its framing terms.
pub fn framed_facts(s: &Story) -> Vec<(&Fact, MentionSpans)> {
    shared_facts(s)
        .into_iter()
        .map(|f| {
            let spans: MentionSpans = f.mentions.iter().map(|m| term_spans(&m.text, terms_of(s, &m.article))).collect();
            (f, spans)
        })
        .filter(|(_, spans)| spans.iter().any(|v| !v.is_empty()))
        .collect()
}

/// Quotes heard in several articles (variants to set side by side) and
/// quotes from one article.
pub fn split_quotes(s: &Story) -> (Vec<&Quote>, Vec<&Quote>) {
    s.quotes.iter().partition(|q| {
        let mut ids: Vec<&str> = q.variants.iter().map(|v| v.article.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len() > 1
    })
}

fn word_key(w: &str) -> String {
    w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Byte ranges of the words of variant `i` that no other variant of the
/// quote uses: where translations and edits part ways.
pub fn variant_differences(q: &Quote, i: usize) -> Vec<(usize, usize)> {
    let others: Vec<String> = q
        .variants
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .flat_map(|(_, v)| v.text.split_whitespace().map(word_key).collect::<Vec<_>>())
        .collect();
    if others.is_empty() {
        return Vec::new();
    }
    let text = &q.variants[i].text;
    let mut out = Vec::new();
    let mut pos = 0;
    for w in text.split_whitespace() {
        let start = pos + text[pos..].find(w).unwrap_or(0);
        let end = start + w.len();
        pos = end;
        let k = word_key(w);
        if !k.is_empty() && !others.contains(&k) {
            // Trim punctuation off the highlighted word.
            let lead = w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
            let trail = w.len() - w.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
            out.push((start + lead, end - trail));
        }
    }
    out
}

/// Whether a fact's value changed after it was first reported (an update
/// names it).
pub fn changed(s: &Story, fact: &str) -> bool {
    s.updates.iter().any(|u| u.fact.as_deref() == Some(fact))
}

/// Whether the reader's `since` marks a fact as new or changed.
pub fn new_fact(s: &Story, fact: &str) -> bool {
    s.since.as_ref().is_some_and(|m| m.facts.iter().any(|f| f == fact))
}

/// Whether a time lies after the reader's `since`.
pub fn after_since(s: &Story, iso: Option<&str>) -> bool {
    match (&s.since, iso) {
        (Some(m), Some(t)) => match (crate::since::latest(t), crate::since::parse(&m.time)) {
            (Some(x), Ok(since)) => x > since,
            _ => false,
        },
        _ => false,
    }
}

/// A time for people: "2024-03-11 09:30 UTC", "2024-03-11",
/// "2024-03-05 – 2024-03-11"; "undated" for none.
pub fn time_label(iso: Option<&str>) -> String {
    let Some(t) = iso else { return "undated".to_string() };
    if let Some((a, b)) = t.split_once('/') {
        return format!("{} – {}", time_label(Some(a)), time_label(Some(b)));
    }
    match t.split_once('T') {
        Some((day, clock)) => {
            let utc = clock.ends_with('Z');
            let hm: String = clock.chars().take(5).collect();
            format!("{day} {hm}{}", if utc { " UTC" } else { "" })
        }
        None => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_model::QuoteVariant;

    #[test]
    fn term_spans_match_whole_words_once() {
        let t = "He claimed, apparently still angry, that the claimant claimed more.";
        let spans = term_spans(t, &["claimed".into(), "apparently still angry".into(), "claim".into()]);
        let got: Vec<&str> = spans.iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(got, vec!["claimed", "apparently still angry"]);
    }

    #[test]
    fn variant_differences_mark_words_the_others_lack() {
        let q = Quote {
            speaker: None,
            variants: vec![
                QuoteVariant { article: "a".into(), text: "We will rebuild the pier.".into(), cue: None },
                QuoteVariant { article: "b".into(), text: "We shall rebuild the pier!".into(), cue: None },
            ],
        };
        let d = variant_differences(&q, 0);
        assert_eq!(d.iter().map(|&(s, e)| &q.variants[0].text[s..e]).collect::<Vec<_>>(), vec!["will"]);
    }

    #[test]
    fn times_read_for_people() {
        assert_eq!(time_label(Some("2024-03-11T09:30:00Z")), "2024-03-11 09:30 UTC");
        assert_eq!(time_label(Some("2024-03-11T18:00")), "2024-03-11 18:00");
        assert_eq!(time_label(Some("2024-03-11")), "2024-03-11");
        assert_eq!(time_label(Some("2024-03-05/2024-03-11")), "2024-03-05 – 2024-03-11");
        assert_eq!(time_label(None), "undated");
    }
}
