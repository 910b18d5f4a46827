//! Markdown rendering, for a terminal or a wiki.

use std::fmt::Write;

use chorus_model::{Report, Story};

use crate::labels::{Labels, outlet_label};
use crate::view;

/// Most facts shown in the coverage matrix; the JSON has them all.
const MAX_MATRIX_FACTS: usize = 25;

/// Most shared facts shown with their framing, best supported first.
pub(crate) const MAX_FRAMED_FACTS: usize = 8;

/// Most unique facts listed per article; a long article's own details
/// would bury the others'.
pub(crate) const MAX_UNIQUE_PER_ARTICLE: usize = 6;

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let n_articles: usize = report.stories.iter().map(|s| s.articles.len()).sum();
    let _ = writeln!(out, "# chorus report\n");
    let _ = writeln!(
        out,
        "{} {} from {} {}{}.\n",
        report.stories.len(),
        plural(report.stories.len(), "story", "stories"),
        n_articles,
        plural(n_articles, "article", "articles"),
        if report.errors.is_empty() { String::new() } else { format!(", {} input errors", report.errors.len()) }
    );
    for (i, story) in report.stories.iter().enumerate() {
        story_md(&mut out, i + 1, story);
    }
    if !report.removed.is_empty() {
        let total: usize = report.removed.iter().map(|r| r.lines.len()).sum();
        let _ = writeln!(out, "## Removed furniture ({total} lines)\n");
        for r in &report.removed {
            let _ = writeln!(out, "- `{}`", r.path);
            for l in &r.lines {
                let _ = writeln!(out, "  - {}", inline(l));
            }
        }
        out.push('\n');
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "## Input errors\n");
        for e in &report.errors {
            let _ = writeln!(out, "- `{}`: {}", e.path, inline(&e.error));
        }
        out.push('\n');
    }
    out
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Markdown-safe single-line text.
fn inline(s: &str) -> String {
    s.replace('\n', " ").replace('|', "\\|")
}

fn story_md(out: &mut String, n: usize, s: &Story) {
    let labels = Labels::new(s);
    let _ = writeln!(out, "## {n}. {}\n", inline(&s.headline));
    let _ = writeln!(
        out,
        "{} {}, {} {}, {} independent · story `{}`\n",
        s.articles.len(),
        plural(s.articles.len(), "article", "articles"),
        s.source_count,
        plural(s.source_count, "source", "sources"),
        s.independent_count,
        s.id
    );
    for note in &s.notes {
        let _ = writeln!(out, "> {}\n", inline(note));
    }

    let _ = writeln!(out, "### Articles\n");
    let _ = writeln!(out, "| # | source | title | published | note |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (i, a) in s.articles.iter().enumerate() {
        let mut note = Vec::new();
        if let Some(d) = &a.duplicate_of {
            note.push(format!("copy of {}", labels.of(d)));
        }
        if !a.derived_from.is_empty() {
            note.push(format!("derived from {}", labels.list(&a.derived_from)));
        }
        if a.copies > 0 {
            note.push(format!("{} {}", a.copies, plural(a.copies, "copy", "copies")));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            i + 1,
            inline(&outlet_label(a)),
            inline(a.title.as_deref().unwrap_or("—")),
            a.published.as_deref().unwrap_or("—"),
            note.join("; ")
        );
    }
    out.push('\n');

    if let Some(m) = &s.since {
        since_md(out, s, m, &labels);
    }

    if !s.summary.is_empty() {
        let _ = writeln!(out, "### Summary\n");
        for sent in &s.summary {
            let _ = writeln!(out, "- {} {}", inline(&sent.text), labels.list(&sent.articles));
        }
        out.push('\n');
    }

    if !s.timeline.is_empty() {
        let _ = writeln!(out, "### Timeline\n");
        for e in &s.timeline {
            let new = if view::after_since(s, e.time.as_deref()) { " **new**" } else { "" };
            let _ = writeln!(
                out,
                "- {} — {} {}{new}",
                view::time_label(e.time.as_deref()),
                inline(&e.text),
                labels.list(&e.articles)
            );
        }
        out.push('\n');
    }

    if !s.updates.is_empty() {
        let _ = writeln!(out, "### Updates ({})\n", s.updates.len());
        let _ = writeln!(out, "Values that changed as the story developed, in the order first reported.\n");
        for u in &s.updates {
            let steps: Vec<String> = u
                .values
                .iter()
                .map(|v| {
                    format!(
                        "“{}” ({}) {}",
                        inline(&v.value),
                        view::time_label(v.time.as_deref()),
                        labels.list(&v.articles)
                    )
                })
                .collect();
            let _ = write!(out, "- **{}** · {}: {}", update_kind(u.kind), inline(&u.subject), steps.join(" → "));
            for v in u.values.iter().filter(|v| !v.stale.is_empty()) {
                let _ = write!(out, "; outdated “{}” repeated later by {}", inline(&v.value), labels.list(&v.stale));
            }
            out.push('\n');
        }
        out.push('\n');
    }

    if !s.conflicts.is_empty() {
        let _ = writeln!(out, "### ⚠ Conflicts ({})\n", s.conflicts.len());
        for c in &s.conflicts {
            let positions: Vec<String> = s_positions(c, &labels);
            let kind = serde_json_kind(c.kind);
            let _ = writeln!(out, "- **{kind}** · {}: {}", inline(&c.subject), positions.join(" **vs** "));
        }
        out.push('\n');
    }

    let shared = view::shared_facts(s);
    if !shared.is_empty() {
        let _ = writeln!(out, "### Coverage: shared facts × articles\n");
        let _ = write!(out, "| fact | n |");
        for i in 0..s.articles.len() {
            let _ = write!(out, " {} |", i + 1);
        }
        out.push('\n');
        let _ = write!(out, "|---|:-:|");
        for _ in 0..s.articles.len() {
            out.push_str(":-:|");
        }
        out.push('\n');
        for f in shared.iter().take(MAX_MATRIX_FACTS) {
            let _ =
                write!(out, "| {}{} | {} |", inline(&shorten(&f.text, 110)), fact_marks(s, &f.id), f.articles.len());
            for a in &s.articles {
                let mark = if f.articles.contains(&a.id) { "●" } else { " " };
                let _ = write!(out, " {mark} |");
            }
            out.push('\n');
        }
        let _ = write!(out, "| *one source only* | |");
        for a in &s.articles {
            let k = s.facts.iter().filter(|f| f.articles.len() == 1 && f.articles[0] == a.id).count();
            let _ = write!(out, " {k} |");
        }
        out.push('\n');
        if shared.len() > MAX_MATRIX_FACTS {
            let _ = writeln!(out, "\n({} more shared facts in the JSON output.)", shared.len() - MAX_MATRIX_FACTS);
        }
        out.push('\n');
    }

    let framed = view::framed_facts(s);
    if !framed.is_empty() {
        let _ = writeln!(out, "### Same fact, different framing\n");
        let _ = writeln!(out, "Each outlet's wording of a shared fact; its loaded or speculative terms in **bold**.\n");
        for (f, spans) in framed.iter().take(MAX_FRAMED_FACTS) {
            let _ = writeln!(out, "- {}", inline(&shorten(&f.text, 110)));
            for (m, sp) in f.mentions.iter().zip(spans) {
                let who = s.articles.iter().find(|a| a.id == m.article).map(outlet_label).unwrap_or_default();
                let _ = writeln!(out, "  - [{}] {}: {}", labels.of(&m.article), inline(&who), emphasise(&m.text, sp));
            }
        }
        out.push('\n');
    }

    let unique = view::unique_by_article(s);
    if !unique.is_empty() {
        let _ = writeln!(out, "### Only one source reports\n");
        for u in &unique {
            let a = &s.articles[u.article];
            let _ = writeln!(out, "**[{}] {}**\n", u.article + 1, inline(&outlet_label(a)));
            let terms = view::terms_of(s, &a.id);
            for f in u.facts.iter().take(MAX_UNIQUE_PER_ARTICLE) {
                let _ = writeln!(
                    out,
                    "- {}{}",
                    emphasise(&f.text, &view::term_spans(&f.text, terms)),
                    fact_marks(s, &f.id)
                );
            }
            if u.facts.len() > MAX_UNIQUE_PER_ARTICLE {
                let _ = writeln!(out, "- …and {} more", u.facts.len() - MAX_UNIQUE_PER_ARTICLE);
            }
            if !u.numbers.is_empty() {
                let nums: Vec<String> = u.numbers.iter().map(|n| format!("“{}”", inline(&n.text))).collect();
                let _ = writeln!(out, "- figures no other source gives: {}", nums.join(", "));
            }
            out.push('\n');
        }
    }

    let (multi, single) = view::split_quotes(s);
    if !multi.is_empty() {
        let _ = writeln!(out, "### Quote variants\n");
        for q in &multi {
            let _ = writeln!(out, "**{}**\n", inline(q.speaker.as_deref().unwrap_or("unattributed")));
            let _ = writeln!(out, "| # | source | wording | cue |");
            let _ = writeln!(out, "|---|---|---|---|");
            for (i, v) in q.variants.iter().enumerate() {
                let who = s.articles.iter().find(|a| a.id == v.article).map(outlet_label).unwrap_or_default();
                let diff = view::variant_differences(q, i);
                let _ = writeln!(
                    out,
                    "| {} | {} | “{}” | {} |",
                    labels.of(&v.article),
                    inline(&who),
                    emphasise(&v.text, &diff),
                    inline(v.cue.as_deref().unwrap_or(""))
                );
            }
            out.push('\n');
        }
    }
    if !single.is_empty() {
        let _ = writeln!(out, "### Other quotes\n");
        for q in &single {
            for v in &q.variants {
                let cue = v.cue.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- {}{cue} [{}]: “{}”",
                    inline(q.speaker.as_deref().unwrap_or("unattributed")),
                    labels.of(&v.article),
                    inline(&v.text)
                );
            }
        }
        out.push('\n');
    }

    if s.framing.iter().any(|f| !f.terms.is_empty()) {
        let _ = writeln!(out, "### Framing by outlet\n");
        for f in &s.framing {
            if f.terms.is_empty() {
                continue;
            }
            let who = s.articles.iter().find(|a| a.id == f.article).map(outlet_label).unwrap_or_default();
            let _ = writeln!(
                out,
                "- [{}] {}: {}",
                labels.of(&f.article),
                inline(&who),
                f.terms.iter().map(|t| format!("“{}”", inline(t))).collect::<Vec<_>>().join(", ")
            );
        }
        out.push('\n');
    }

    if !s.entities.is_empty() {
        let _ = writeln!(out, "### Entities\n");
        for e in &s.entities {
            let aliases: Vec<&String> = e.aliases.iter().filter(|a| **a != e.name).collect();
            let aka = if aliases.is_empty() {
                String::new()
            } else {
                format!(" — also {}", aliases.iter().map(|a| inline(a)).collect::<Vec<_>>().join(", "))
            };
            let _ = writeln!(out, "- {} ({}){aka} {}", inline(&e.name), e.kind.as_str(), labels.list(&e.articles));
        }
        out.push('\n');
    }

    if !s.numbers.is_empty() {
        let _ = writeln!(out, "### Numbers\n");
        let _ = writeln!(out, "| as written | value | unit | articles |");
        let _ = writeln!(out, "|---|--:|---|---|");
        for num in &s.numbers {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                inline(&num.text),
                format_value(num.value),
                inline(&num.unit),
                labels.list(&num.articles)
            );
        }
        out.push('\n');
    }
}

/// What a returning reader has not seen: articles, facts and changes
/// since the time they gave.
fn since_md(out: &mut String, s: &Story, m: &chorus_model::Since, labels: &Labels) {
    let _ = writeln!(out, "### New since {}\n", view::time_label(Some(&m.time)));
    if m.articles.is_empty() && m.facts.is_empty() && m.changed.is_empty() {
        let _ = writeln!(out, "Nothing new.\n");
        return;
    }
    if !m.articles.is_empty() {
        let _ = writeln!(
            out,
            "- {} new {}: {}",
            m.articles.len(),
            plural(m.articles.len(), "article", "articles"),
            labels.list(&m.articles)
        );
    }
    for f in s.facts.iter().filter(|f| m.facts.contains(&f.id)) {
        let _ = writeln!(out, "- new: {} {}", inline(&shorten(&f.text, 140)), labels.list(&f.articles));
    }
    for u in s.updates.iter().filter(|u| u.fact.as_ref().is_some_and(|id| m.changed.contains(id))) {
        if let (Some(a), Some(b)) = (u.values.first(), u.values.last()) {
            let _ = writeln!(
                out,
                "- changed: {} “{}” → “{}” ({}) {}",
                inline(&u.subject),
                inline(&a.value),
                inline(&b.value),
                view::time_label(b.time.as_deref()),
                labels.list(&b.articles)
            );
        }
    }
    out.push('\n');
}

/// Marks beside a fact: its value changed since first reported; new since
/// the reader's time.
fn fact_marks(s: &Story, id: &str) -> String {
    let mut m = String::new();
    if view::changed(s, id) {
        m.push_str(" *(changed since first reported)*");
    }
    if view::new_fact(s, id) {
        m.push_str(" **new**");
    }
    m
}

fn update_kind(k: chorus_model::UpdateKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Text with the given byte ranges in bold.
fn emphasise(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(s, e) in spans {
        if s < at || e > text.len() || s >= e {
            continue;
        }
        out.push_str(&inline(&text[at..s]));
        out.push_str("**");
        out.push_str(&inline(&text[s..e]));
        out.push_str("**");
        at = e;
    }
    out.push_str(&inline(&text[at..]));
    out
}

fn s_positions(c: &chorus_model::Conflict, labels: &Labels) -> Vec<String> {
    c.positions.iter().map(|p| format!("“{}” {}", inline(&p.value), labels.list(&p.articles))).collect()
}

fn serde_json_kind(k: chorus_model::ConflictKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A number without a pointless ".0".
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e18 { format!("{}", v as i64) } else { format!("{v}") }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}

#[cfg(test)]
pub(crate) mod tests_support {
    use chorus_model::*;

    pub(crate) fn sample() -> Report {
        Report {
            stories: vec![Story {
                id: "s1".into(),
                headline: "Bridge closes".into(),
                articles: vec![
                    ArticleEntry {
                        id: "a".into(),
                        path: "x/a.txt".into(),
                        source: Some("Valley Times".into()),
                        ..Default::default()
                    },
                    ArticleEntry {
                        id: "b".into(),
                        path: "x/b.txt".into(),
                        duplicate_of: Some("a".into()),
                        ..Default::default()
                    },
                    ArticleEntry {
                        id: "c".into(),
                        path: "x/c.txt".into(),
                        source: Some("Hill Gazette".into()),
                        ..Default::default()
                    },
                ],
                source_count: 2,
                independent_count: 1,
                summary: vec![SummarySentence {
                    text: "The bridge closed.".into(),
                    articles: vec!["a".into(), "b".into()],
                }],
                facts: vec![
                    Fact {
                        id: "f0".into(),
                        text: "The bridge closed on Monday.".into(),
                        articles: vec!["a".into(), "c".into()],
                        mentions: vec![
                            Mention { article: "a".into(), text: "The bridge apparently closed on Monday.".into() },
                            Mention { article: "c".into(), text: "The bridge closed on Monday.".into() },
                        ],
                        ..Default::default()
                    },
                    Fact {
                        id: "f1".into(),
                        text: "The ferry runs twice an hour.".into(),
                        articles: vec!["c".into()],
                        mentions: vec![],
                        ..Default::default()
                    },
                ],
                quotes: vec![
                    Quote {
                        speaker: Some("Ana Ruiz".into()),
                        variants: vec![
                            QuoteVariant {
                                article: "a".into(),
                                text: "It is <unsafe>".into(),
                                cue: Some("said".into()),
                            },
                            QuoteVariant {
                                article: "c".into(),
                                text: "It is dangerous".into(),
                                cue: Some("told".into()),
                            },
                        ],
                    },
                    Quote {
                        speaker: None,
                        variants: vec![QuoteVariant { article: "c".into(), text: "Slow down".into(), cue: None }],
                    },
                ],
                numbers: vec![NumberEntry {
                    value: 5e6,
                    unit: "USD".into(),
                    text: "$5 million".into(),
                    articles: vec!["c".into()],
                }],
                conflicts: vec![Conflict {
                    kind: ConflictKind::Number,
                    subject: "cost".into(),
                    positions: vec![
                        Position { value: "$5 million".into(), articles: vec!["a".into()] },
                        Position { value: "$7 million".into(), articles: vec!["b".into()] },
                    ],
                }],
                framing: vec![Framing { article: "a".into(), terms: vec!["apparently".into()] }],
                ..Default::default()
            }],
            removed: vec![Removed { path: "x/a.txt".into(), lines: vec!["Share this".into()] }],
            errors: vec![InputError { path: "bad.bin".into(), error: "binary".into() }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tests_support::sample;

    #[test]
    fn renders_every_section() {
        let md = markdown(&sample());
        for needle in [
            "## 1. Bridge closes",
            "copy of 1",
            "### Summary",
            "The bridge closed. [1, 2]",
            "### ⚠ Conflicts",
            "“$5 million” [1] **vs** “$7 million” [2]",
            "### Coverage: shared facts × articles",
            "| The bridge closed on Monday. | 2 | ● |   | ● |",
            "| *one source only* | | 0 | 0 | 1 |",
            "### Same fact, different framing",
            "[1] Valley Times: The bridge **apparently** closed on Monday.",
            "### Only one source reports",
            "**[3] Hill Gazette**",
            "- The ferry runs twice an hour.",
            "figures no other source gives: “$5 million”",
            "### Quote variants",
            "**Ana Ruiz**",
            "| 3 | Hill Gazette | “It is **dangerous**” | told |",
            "### Other quotes",
            "- unattributed [3]: “Slow down”",
            "### Framing by outlet",
            "Share this",
            "`bad.bin`: binary",
        ] {
            assert!(md.contains(needle), "missing {needle}\n{md}");
        }
    }
}
