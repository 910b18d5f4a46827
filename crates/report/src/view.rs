//! Views of a story that both renderers show: what each outlet alone
//! reports, where an outlet's framing words fall in its sentences, and
//! which words of a quote variant the other variants lack. Derived from
//! the [`Story`] alone, so the JSON stays the single source.
//!
//! Every decision the Markdown and HTML renderers share lives here: which
//! items a section holds, in what order, how many, with which labels,
//! plural forms and marks. The renderers only write (escape, mark up) what
//! these views hold, so the two formats cannot drift apart.

use chorus_model::{ArticleEntry, Fact, NumberEntry, Quote, Story, UpdateValue};
use serde::Serialize;

use crate::labels::{Labels, outlet_label};

/// Most rows of the Markdown coverage matrix: a terminal table of more
/// becomes a wall; the JSON has them all.
pub const MAX_MATRIX_ROWS_MD: usize = 25;

/// Most rows of the HTML coverage matrix (the page scrolls it): the
/// best-supported facts; past this a page for a 50-article story becomes
/// a wall of dots.
pub const MAX_MATRIX_ROWS_HTML: usize = 40;

/// The headings of a story's sections, the same words in every format.
pub mod heading {
    pub const ARTICLES: &str = "Articles";
    pub const SUMMARY: &str = "Summary";
    pub const TIMELINE: &str = "Timeline";
    pub const UPDATES: &str = "Updates";
    pub const CONFLICTS: &str = "Conflicts";
    pub const COVERAGE: &str = "Coverage: shared facts × articles";
    pub const FRAMED: &str = "Same fact, different framing";
    pub const ALONE: &str = "Only one source reports";
    pub const QUOTE_VARIANTS: &str = "Quote variants";
    pub const OTHER_QUOTES: &str = "Other quotes";
    pub const FRAMING: &str = "Framing by outlet";
    pub const ENTITIES: &str = "Entities";
    pub const NUMBERS: &str = "Numbers";
    pub const INPUT_ERRORS: &str = "Input errors";
}

/// The columns of the articles table.
pub const ARTICLE_COLUMNS: [&str; 5] = ["#", "source", "title", "published", "note"];

/// The columns of the numbers table.
pub const NUMBER_COLUMNS: [&str; 4] = ["as written", "value", "unit", "articles"];

/// The heading of the furniture the cleaner removed: how many lines.
pub fn removed_heading(removed: &[chorus_model::Removed]) -> String {
    let total: usize = removed.iter().map(|r| r.lines.len()).sum();
    format!("Removed furniture ({total} {})", plural(total, "line", "lines"))
}

/// What the updates section is, said under its heading.
pub const UPDATES_NOTE: &str = "Values that changed as the story developed, in the order first reported.";

/// Most shared facts shown with their framing, best supported first.
pub const MAX_FRAMED_FACTS: usize = 8;

/// Most unique facts listed per article; a long article's own details
/// would bury the others'.
pub const MAX_UNIQUE_PER_ARTICLE: usize = 6;

/// `one` for a count of 1, else `many`.
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// "1 article", "3 articles".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// The outlet label of an article id; empty for an unknown id.
pub fn outlet_of(s: &Story, id: &str) -> String {
    s.articles.iter().find(|a| a.id == id).map(outlet_label).unwrap_or_default()
}

/// The name a kind has in the JSON ("number", "revised"): one wording for
/// every format.
pub fn kind_name<T: Serialize>(k: T) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The note of an article's row: whose copy it is, what it derives from,
/// how many copies it has.
pub fn article_note(labels: &Labels, a: &ArticleEntry) -> String {
    let mut note = Vec::new();
    if let Some(d) = &a.duplicate_of {
        note.push(format!("copy of {}", labels.of(d)));
    }
    if !a.derived_from.is_empty() {
        note.push(format!("derived from {}", labels.list(&a.derived_from)));
    }
    if a.copies > 0 {
        note.push(count(a.copies, "copy", "copies"));
    }
    note.join("; ")
}

/// A mark beside a fact or a timeline event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Its value changed after it was first reported.
    Changed,
    /// New since the reader's time.
    New,
}

impl Mark {
    /// The words of the mark.
    pub fn label(self) -> &'static str {
        match self {
            Mark::Changed => "changed since first reported",
            Mark::New => "new",
        }
    }
}

/// The marks of a fact, in the order they are shown.
pub fn fact_marks(s: &Story, id: &str) -> Vec<Mark> {
    let mut m = Vec::new();
    if changed(s, id) {
        m.push(Mark::Changed);
    }
    if new_fact(s, id) {
        m.push(Mark::New);
    }
    m
}

/// A number without a pointless ".0".
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e18 { format!("{}", v as i64) } else { format!("{v}") }
}

/// What a returning reader has not seen: articles after their time, facts
/// first reported after it, and values changed after it.
pub struct SinceView<'a> {
    /// The reader's time, for people.
    pub time: String,
    pub articles: &'a [String],
    pub facts: Vec<&'a Fact>,
    /// Each changed value: subject, first value, latest value.
    pub changed: Vec<(&'a str, &'a UpdateValue, &'a UpdateValue)>,
}

impl SinceView<'_> {
    /// Nothing new: the section says so in one line.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty() && self.facts.is_empty() && self.changed.is_empty()
    }
}

/// The story's "new since" view, when the reader gave a time.
pub fn since(s: &Story) -> Option<SinceView<'_>> {
    let m = s.since.as_ref()?;
    Some(SinceView {
        time: time_label(Some(&m.time)),
        articles: &m.articles,
        facts: s.facts.iter().filter(|f| m.facts.contains(&f.id)).collect(),
        changed: s
            .updates
            .iter()
            .filter(|u| u.fact.as_ref().is_some_and(|id| m.changed.contains(id)))
            .filter_map(|u| Some((u.subject.as_str(), u.values.first()?, u.values.last()?)))
            .collect(),
    })
}

/// One row of the coverage matrix.
pub struct CoverageRow<'a> {
    pub fact: &'a Fact,
    pub marks: Vec<Mark>,
    /// Whether each article of the story (in story order) reports it.
    pub cells: Vec<bool>,
}

/// Shared facts × articles: the best-supported rows, how many more there
/// are, and each article's count of facts only it reports.
pub struct Coverage<'a> {
    pub rows: Vec<CoverageRow<'a>>,
    pub more: usize,
    pub one_source: Vec<usize>,
}

/// The coverage matrix with at most `max_rows` rows; `None` when no fact
/// is shared.
pub fn coverage(s: &Story, max_rows: usize) -> Option<Coverage<'_>> {
    let shared = shared_facts(s);
    if shared.is_empty() {
        return None;
    }
    let rows = shared
        .iter()
        .take(max_rows)
        .map(|f| CoverageRow {
            fact: f,
            marks: fact_marks(s, &f.id),
            cells: s.articles.iter().map(|a| f.articles.contains(&a.id)).collect(),
        })
        .collect();
    let one_source = s
        .articles
        .iter()
        .map(|a| s.facts.iter().filter(|f| f.articles.len() == 1 && f.articles[0] == a.id).count())
        .collect();
    Some(Coverage { rows, more: shared.len().saturating_sub(max_rows), one_source })
}

/// A text as one outlet gives it, with byte ranges to set apart.
pub struct Voice<'a> {
    /// The article's number ("2").
    pub label: String,
    pub outlet: String,
    pub text: &'a str,
    pub spans: Vec<(usize, usize)>,
}

/// A shared fact and each outlet's wording of it, framing terms marked.
pub struct FramedFact<'a> {
    pub fact: &'a Fact,
    pub mentions: Vec<Voice<'a>>,
}

/// The shared facts shown with their framing, at most
/// [`MAX_FRAMED_FACTS`].
pub fn framed(s: &Story) -> Vec<FramedFact<'_>> {
    let labels = Labels::new(s);
    framed_facts(s)
        .into_iter()
        .take(MAX_FRAMED_FACTS)
        .map(|(f, spans)| FramedFact {
            fact: f,
            mentions: f
                .mentions
                .iter()
                .zip(spans)
                .map(|(m, spans)| Voice {
                    label: labels.of(&m.article),
                    outlet: outlet_of(s, &m.article),
                    text: &m.text,
                    spans,
                })
                .collect(),
        })
        .collect()
}

/// A fact only one article reports, its framing terms marked.
pub struct OwnFact<'a> {
    pub fact: &'a Fact,
    pub spans: Vec<(usize, usize)>,
    pub marks: Vec<Mark>,
}

/// What one outlet alone reports, as shown.
pub struct Alone<'a> {
    /// The article's number ("2").
    pub label: String,
    pub outlet: String,
    /// The facts listed, at most [`MAX_UNIQUE_PER_ARTICLE`].
    pub shown: Vec<OwnFact<'a>>,
    /// The facts past that.
    pub rest: Vec<OwnFact<'a>>,
    pub numbers: Vec<&'a NumberEntry>,
}

/// Each outlet's own facts and figures, in story order.
pub fn alone(s: &Story) -> Vec<Alone<'_>> {
    unique_by_article(s)
        .into_iter()
        .map(|u| {
            let a = &s.articles[u.article];
            let terms = terms_of(s, &a.id);
            let mut facts: Vec<OwnFact> = u
                .facts
                .iter()
                .map(|f| OwnFact { fact: f, spans: term_spans(&f.text, terms), marks: fact_marks(s, &f.id) })
                .collect();
            let rest = facts.split_off(facts.len().min(MAX_UNIQUE_PER_ARTICLE));
            Alone {
                label: (u.article + 1).to_string(),
                outlet: outlet_label(a),
                shown: facts,
                rest,
                numbers: u.numbers,
            }
        })
        .collect()
}

/// One variant of a quote as shown.
pub struct VariantView<'a> {
    /// The outlet's wording, with the words no other variant uses.
    pub voice: Voice<'a>,
    /// The quote's cue ("said"); empty for none.
    pub cue: &'a str,
    /// Where its speaker comes from when this outlet left it unattributed
    /// ("speaker per 2").
    pub speaker_from: Option<String>,
}

/// A quote as shown: its speaker and each variant.
pub struct QuoteView<'a> {
    pub speaker: Option<&'a str>,
    pub variants: Vec<VariantView<'a>>,
}

/// Quotes heard in several articles and quotes from one, as shown.
pub fn quotes(s: &Story) -> (Vec<QuoteView<'_>>, Vec<QuoteView<'_>>) {
    let labels = Labels::new(s);
    let (multi, single) = split_quotes(s);
    // Differences are marked only between the variants of one quote.
    (
        multi.into_iter().map(|q| quote_view(s, &labels, q, true)).collect(),
        single.into_iter().map(|q| quote_view(s, &labels, q, false)).collect(),
    )
}

fn quote_view<'a>(s: &'a Story, labels: &Labels, q: &'a Quote, diffs: bool) -> QuoteView<'a> {
    QuoteView {
        speaker: q.speaker.as_deref(),
        variants: q
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| VariantView {
                voice: Voice {
                    label: labels.of(&v.article),
                    outlet: outlet_of(s, &v.article),
                    text: &v.text,
                    spans: if diffs { variant_differences(q, i) } else { Vec::new() },
                },
                cue: v.cue.as_deref().unwrap_or(""),
                speaker_from: v.speaker_from.as_deref().map(|a| format!("speaker per {}", labels.of(a))),
            })
            .collect(),
    }
}

/// Each outlet with framing terms: its number, label and terms.
pub fn framing_by_outlet(s: &Story) -> Vec<(String, String, &[String])> {
    let labels = Labels::new(s);
    s.framing
        .iter()
        .filter(|f| !f.terms.is_empty())
        .map(|f| (labels.of(&f.article), outlet_of(s, &f.article), f.terms.as_slice()))
        .collect()
}

/// An entity's other names: its aliases but its canonical name.
pub fn aliases(e: &chorus_model::Entity) -> Vec<&str> {
    e.aliases.iter().filter(|a| **a != e.name).map(String::as_str).collect()
}

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

/// `text` cut into pieces, each with whether it lies in one of `spans`
/// (byte ranges, sorted): what a renderer writes plain or marked. A span
/// that overlaps an earlier one, runs past the text or splits a character
/// is left unmarked, the same way in every format.
pub fn pieces<'a>(text: &'a str, spans: &[(usize, usize)]) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(a, b) in spans {
        if a < at || b > text.len() || a >= b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        out.push((&text[at..a], false));
        out.push((&text[a..b], true));
        at = b;
    }
    out.push((&text[at..], false));
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
    fn removed_heading_counts_lines_in_the_right_number() {
        let one = [chorus_model::Removed { path: "a.txt".into(), lines: vec!["Subscribe".into()] }];
        assert_eq!(removed_heading(&one), "Removed furniture (1 line)");
        let two = [
            chorus_model::Removed { path: "a.txt".into(), lines: vec!["Subscribe".into()] },
            chorus_model::Removed { path: "b.txt".into(), lines: vec!["Share".into()] },
        ];
        assert_eq!(removed_heading(&two), "Removed furniture (2 lines)");
    }

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
                QuoteVariant {
                    article: "a".into(),
                    text: "We will rebuild the pier.".into(),
                    cue: None,
                    speaker_from: None,
                },
                QuoteVariant {
                    article: "b".into(),
                    text: "We shall rebuild the pier!".into(),
                    cue: None,
                    speaker_from: None,
                },
            ],
        };
        let d = variant_differences(&q, 0);
        assert_eq!(d.iter().map(|&(s, e)| &q.variants[0].text[s..e]).collect::<Vec<_>>(), vec!["will"]);
    }

    #[test]
    fn pieces_skip_spans_that_cannot_be_marked() {
        let t = "né à Paris";
        // (1, 2) overlaps and splits "é"; (4, 3) is empty; (5, 6) splits
        // "à"; (8, 99) runs past the end.
        let got = pieces(t, &[(0, 3), (1, 2), (4, 3), (5, 6), (7, 12), (8, 99)]);
        assert_eq!(got, vec![("", false), ("né", true), (" à ", false), ("Paris", true), ("", false)]);
    }

    #[test]
    fn counts_take_their_plural() {
        assert_eq!(count(1, "article", "articles"), "1 article");
        assert_eq!(count(0, "copy", "copies"), "0 copies");
        assert_eq!(count(2, "copy", "copies"), "2 copies");
    }

    #[test]
    fn article_notes_name_copies_and_sources() {
        let r = crate::markdown::tests_support::sample();
        let s = &r.stories[0];
        let labels = Labels::new(s);
        assert_eq!(article_note(&labels, &s.articles[1]), "copy of 1");
        let mut a = s.articles[0].clone();
        a.derived_from = vec!["c".into()];
        a.copies = 1;
        assert_eq!(article_note(&labels, &a), "derived from [3]; 1 copy");
    }

    #[test]
    fn coverage_caps_rows_and_counts_the_rest() {
        let r = crate::markdown::tests_support::sample();
        let s = &r.stories[0];
        let c = coverage(s, 1).unwrap();
        assert_eq!(c.rows.len(), 1);
        assert_eq!(c.rows[0].cells, vec![true, false, true]);
        assert_eq!(c.more, 0);
        assert_eq!(c.one_source, vec![0, 0, 1]);
        assert_eq!(coverage(s, 0).unwrap().more, 1);
        let mut lone = s.clone();
        lone.facts.retain(|f| f.articles.len() == 1);
        assert!(coverage(&lone, 5).is_none());
    }

    #[test]
    fn own_facts_past_the_cap_go_to_the_rest() {
        let r = crate::markdown::tests_support::sample();
        let mut s = r.stories[0].clone();
        let own = s.facts[1].clone();
        for i in 0..MAX_UNIQUE_PER_ARTICLE + 2 {
            s.facts.push(Fact { id: format!("x{i}"), ..own.clone() });
        }
        let a = alone(&s);
        assert_eq!((a.len(), a[0].label.as_str(), a[0].outlet.as_str()), (1, "3", "Hill Gazette"));
        assert_eq!((a[0].shown.len(), a[0].rest.len()), (MAX_UNIQUE_PER_ARTICLE, 3));
    }

    #[test]
    fn only_quotes_heard_twice_mark_differences() {
        let r = crate::markdown::tests_support::sample();
        let mut s = r.stories[0].clone();
        s.quotes[1].variants[0].speaker_from = Some("a".into());
        let (multi, single) = quotes(&s);
        assert_eq!(multi[0].variants[1].voice.spans.len(), 1);
        assert!(single[0].variants[0].voice.spans.is_empty());
        assert_eq!(single[0].variants[0].speaker_from.as_deref(), Some("speaker per 1"));
        assert_eq!(multi[0].variants[0].cue, "said");
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
