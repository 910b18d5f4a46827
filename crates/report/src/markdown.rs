//! Markdown rendering, for a terminal or a wiki.

use std::fmt::Write;

use chorus_model::{Report, Story};

use crate::labels::{Labels, outlet_label};

/// Most facts shown in the coverage matrix; the JSON has them all.
const MAX_MATRIX_FACTS: usize = 25;

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

    if !s.summary.is_empty() {
        let _ = writeln!(out, "### Summary\n");
        for sent in &s.summary {
            let _ = writeln!(out, "- {} {}", inline(&sent.text), labels.list(&sent.articles));
        }
        out.push('\n');
    }

    if !s.conflicts.is_empty() {
        let _ = writeln!(out, "### Conflicts\n");
        for c in &s.conflicts {
            let positions: Vec<String> = s_positions(c, &labels);
            let kind = serde_json_kind(c.kind);
            let _ = writeln!(out, "- **{kind}** · {}: {}", inline(&c.subject), positions.join(" vs "));
        }
        out.push('\n');
    }

    if !s.facts.is_empty() {
        let _ = writeln!(out, "### Coverage\n");
        let _ = write!(out, "| fact |");
        for i in 0..s.articles.len() {
            let _ = write!(out, " {} |", i + 1);
        }
        out.push('\n');
        let _ = write!(out, "|---|");
        for _ in 0..s.articles.len() {
            out.push_str(":-:|");
        }
        out.push('\n');
        for f in s.facts.iter().take(MAX_MATRIX_FACTS) {
            let _ = write!(out, "| {} |", inline(&shorten(&f.text, 110)));
            for a in &s.articles {
                let mark = if f.articles.contains(&a.id) { "●" } else { " " };
                let _ = write!(out, " {mark} |");
            }
            out.push('\n');
        }
        if s.facts.len() > MAX_MATRIX_FACTS {
            let _ = writeln!(out, "\n({} more facts in the JSON output.)", s.facts.len() - MAX_MATRIX_FACTS);
        }
        out.push('\n');

        let unique: Vec<_> = s.facts.iter().filter(|f| f.articles.len() == 1).collect();
        if !unique.is_empty() {
            let _ = writeln!(out, "### Only one source reports\n");
            for f in unique {
                let who = s.articles.iter().find(|a| a.id == f.articles[0]).map(outlet_label).unwrap_or_default();
                let _ = writeln!(out, "- {} ({}): {}", labels.list(&f.articles), inline(&who), inline(&f.text));
            }
            out.push('\n');
        }
    }

    if !s.quotes.is_empty() {
        let _ = writeln!(out, "### Quotes\n");
        for q in &s.quotes {
            let _ = writeln!(out, "**{}**\n", inline(q.speaker.as_deref().unwrap_or("unattributed")));
            for v in &q.variants {
                let cue = v.cue.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
                let _ = writeln!(out, "- [{}]{cue}: “{}”", labels.of(&v.article), inline(&v.text));
            }
            out.push('\n');
        }
    }

    if !s.framing.is_empty() {
        let _ = writeln!(out, "### Framing\n");
        for f in &s.framing {
            if f.terms.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "- [{}]: {}",
                labels.of(&f.article),
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
        for num in &s.numbers {
            let _ = writeln!(
                out,
                "- {} ({} {}) {}",
                inline(&num.text),
                format_value(num.value),
                inline(&num.unit),
                labels.list(&num.articles)
            );
        }
        out.push('\n');
    }
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
                ],
                source_count: 2,
                independent_count: 1,
                summary: vec![SummarySentence {
                    text: "The bridge closed.".into(),
                    articles: vec!["a".into(), "b".into()],
                }],
                facts: vec![Fact {
                    id: "f1".into(),
                    text: "The bridge closed.".into(),
                    articles: vec!["a".into()],
                    mentions: vec![],
                }],
                quotes: vec![Quote {
                    speaker: Some("Ana Ruiz".into()),
                    variants: vec![QuoteVariant {
                        article: "a".into(),
                        text: "It is <unsafe>".into(),
                        cue: Some("said".into()),
                    }],
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
            "### Conflicts",
            "“$5 million” [1] vs “$7 million” [2]",
            "### Coverage",
            "### Only one source reports",
            "**Ana Ruiz**",
            "### Framing",
            "Share this",
            "`bad.bin`: binary",
        ] {
            assert!(md.contains(needle), "missing {needle}\n{md}");
        }
    }
}
