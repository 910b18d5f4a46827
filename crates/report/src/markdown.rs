//! Markdown rendering, for a terminal or a wiki.

use std::fmt::Write;

use chorus_model::{InputError, Removed, Report, Story};

use crate::labels::{Labels, outlet_label};
use crate::view::{self, Mark};

pub fn markdown(report: &Report) -> String {
    let mut out = head(&crate::stream::Outline::of(report));
    for (i, story) in report.stories.iter().enumerate() {
        story_md(&mut out, i + 1, story);
    }
    out + &tail(&report.removed, &report.errors)
}

/// The title and counts that open a report.
pub(crate) fn head(o: &crate::stream::Outline) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# chorus report\n");
    let _ = writeln!(
        out,
        "{} from {}{}.\n",
        view::count(o.stories, "story", "stories"),
        view::count(o.articles, "article", "articles"),
        if o.errors == 0 { String::new() } else { format!(", {} input errors", o.errors) }
    );
    out
}

/// Story number `n`.
pub(crate) fn story(n: usize, s: &Story) -> String {
    let mut out = String::new();
    story_md(&mut out, n, s);
    out
}

/// Removed furniture and input errors, which close a report.
pub(crate) fn tail(removed: &[Removed], errors: &[InputError]) -> String {
    let mut out = String::new();
    if !removed.is_empty() {
        let _ = writeln!(out, "## {}\n", view::removed_heading(removed));
        for r in removed {
            let _ = writeln!(out, "- `{}`", r.path);
            for l in &r.lines {
                let _ = writeln!(out, "  - {}", inline(l));
            }
        }
        out.push('\n');
    }
    if !errors.is_empty() {
        let _ = writeln!(out, "## {}\n", view::heading::INPUT_ERRORS);
        for e in errors {
            let _ = writeln!(out, "- `{}`: {}", e.path, inline(&e.error));
        }
        out.push('\n');
    }
    out
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
        "{}, {}, {} independent · story `{}`\n",
        view::count(s.articles.len(), "article", "articles"),
        view::count(s.source_count, "source", "sources"),
        s.independent_count,
        s.id
    );
    for note in &s.notes {
        let _ = writeln!(out, "> {}\n", inline(note));
    }

    let _ = writeln!(out, "### {}\n", view::heading::ARTICLES);
    let _ = writeln!(out, "| {} |", view::ARTICLE_COLUMNS.join(" | "));
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (i, a) in s.articles.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            i + 1,
            inline(&outlet_label(a)),
            inline(a.title.as_deref().unwrap_or("—")),
            a.published.as_deref().unwrap_or("—"),
            view::article_note(&labels, a)
        );
    }
    out.push('\n');

    if let Some(m) = view::since(s) {
        since_md(out, &m, &labels);
    }

    if !s.summary.is_empty() {
        let _ = writeln!(out, "### {}\n", view::heading::SUMMARY);
        for sent in &s.summary {
            let _ = writeln!(out, "- {} {}", inline(&sent.text), labels.list(&sent.articles));
        }
        out.push('\n');
    }

    if !s.timeline.is_empty() {
        let _ = writeln!(out, "### {}\n", view::heading::TIMELINE);
        for e in &s.timeline {
            let new = if view::after_since(s, e.time.as_deref()) { marks(&[Mark::New]) } else { String::new() };
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
        let _ = writeln!(out, "### {} ({})\n", view::heading::UPDATES, s.updates.len());
        let _ = writeln!(out, "{}\n", view::UPDATES_NOTE);
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
            let _ = write!(out, "- **{}** · {}: {}", view::kind_name(u.kind), inline(&u.subject), steps.join(" → "));
            for v in u.values.iter().filter(|v| !v.stale.is_empty()) {
                let _ = write!(out, "; outdated “{}” repeated later by {}", inline(&v.value), labels.list(&v.stale));
            }
            out.push('\n');
        }
        out.push('\n');
    }

    if !s.conflicts.is_empty() {
        let _ = writeln!(out, "### ⚠ {} ({})\n", view::heading::CONFLICTS, s.conflicts.len());
        for c in &s.conflicts {
            let positions: Vec<String> =
                c.positions.iter().map(|p| format!("“{}” {}", inline(&p.value), labels.list(&p.articles))).collect();
            let _ = writeln!(
                out,
                "- **{}** · {}: {}",
                view::kind_name(c.kind),
                inline(&c.subject),
                positions.join(" **vs** ")
            );
        }
        out.push('\n');
    }

    if let Some(cov) = view::coverage(s, view::MAX_MATRIX_ROWS_MD) {
        let _ = writeln!(out, "### {}\n", view::heading::COVERAGE);
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
        for row in &cov.rows {
            let f = row.fact;
            let _ = write!(out, "| {}{} | {} |", inline(&shorten(&f.text, 110)), marks(&row.marks), f.articles.len());
            for &cell in &row.cells {
                let _ = write!(out, " {} |", if cell { "●" } else { " " });
            }
            out.push('\n');
        }
        let _ = write!(out, "| *one source only* | |");
        for k in &cov.one_source {
            let _ = write!(out, " {k} |");
        }
        out.push('\n');
        if cov.more > 0 {
            let _ = writeln!(out, "\n({} more shared facts in the JSON output.)", cov.more);
        }
        out.push('\n');
    }

    let framed = view::framed(s);
    if !framed.is_empty() {
        let _ = writeln!(out, "### {}\n", view::heading::FRAMED);
        let _ = writeln!(out, "Each outlet's wording of a shared fact; its loaded or speculative terms in **bold**.\n");
        for f in &framed {
            let _ = writeln!(out, "- {}", inline(&shorten(&f.fact.text, 110)));
            for m in &f.mentions {
                let _ = writeln!(out, "  - [{}] {}: {}", m.label, inline(&m.outlet), emphasise(m.text, &m.spans));
            }
        }
        out.push('\n');
    }

    let alone = view::alone(s);
    if !alone.is_empty() {
        let _ = writeln!(out, "### {}\n", view::heading::ALONE);
        for u in &alone {
            let _ = writeln!(out, "**[{}] {}**\n", u.label, inline(&u.outlet));
            for f in &u.shown {
                let _ = writeln!(out, "- {}{}", emphasise(&f.fact.text, &f.spans), marks(&f.marks));
            }
            if !u.rest.is_empty() {
                let _ = writeln!(out, "- …and {} more", u.rest.len());
            }
            if !u.numbers.is_empty() {
                let nums: Vec<String> = u.numbers.iter().map(|n| format!("“{}”", inline(&n.text))).collect();
                let _ = writeln!(out, "- figures no other source gives: {}", nums.join(", "));
            }
            out.push('\n');
        }
    }

    let (multi, single) = view::quotes(s);
    if !multi.is_empty() {
        let _ = writeln!(out, "### {}\n", view::heading::QUOTE_VARIANTS);
        for q in &multi {
            let _ = writeln!(out, "**{}**\n", inline(q.speaker.unwrap_or("unattributed")));
            let _ = writeln!(out, "| # | source | wording | cue |");
            let _ = writeln!(out, "|---|---|---|---|");
            for v in &q.variants {
                let _ = writeln!(
                    out,
                    "| {} | {} | “{}” | {} |",
                    v.voice.label,
                    inline(&v.voice.outlet),
                    emphasise(v.voice.text, &v.voice.spans),
                    inline(&cue_cell(v.cue, v.speaker_from.as_deref()))
                );
            }
            out.push('\n');
        }
    }
    if !single.is_empty() {
        let _ = writeln!(out, "### {}\n", view::heading::OTHER_QUOTES);
        for q in &single {
            for v in &q.variants {
                let cue = cue_cell(v.cue, v.speaker_from.as_deref());
                let cue = if cue.is_empty() { cue } else { format!(" ({cue})") };
                let _ = writeln!(
                    out,
                    "- {}{cue} [{}]: “{}”",
                    inline(q.speaker.unwrap_or("unattributed")),
                    v.voice.label,
                    inline(v.voice.text)
                );
            }
        }
        out.push('\n');
    }

    let framing = view::framing_by_outlet(s);
    if !framing.is_empty() {
        let _ = writeln!(out, "### {}\n", view::heading::FRAMING);
        for (label, who, terms) in &framing {
            let terms: Vec<String> = terms.iter().map(|t| format!("“{}”", inline(t))).collect();
            let _ = writeln!(out, "- [{label}] {}: {}", inline(who), terms.join(", "));
        }
        out.push('\n');
    }

    if !s.entities.is_empty() {
        let _ = writeln!(out, "### {}\n", view::heading::ENTITIES);
        for e in &s.entities {
            let aliases = view::aliases(e);
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
        let _ = writeln!(out, "### {}\n", view::heading::NUMBERS);
        let _ = writeln!(out, "| {} |", view::NUMBER_COLUMNS.join(" | "));
        let _ = writeln!(out, "|---|--:|---|---|");
        for num in &s.numbers {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                inline(&num.text),
                view::format_value(num.value),
                inline(&num.unit),
                labels.list(&num.articles)
            );
        }
        out.push('\n');
    }
}

/// What a returning reader has not seen: articles, facts and changes
/// since the time they gave.
fn since_md(out: &mut String, m: &view::SinceView, labels: &Labels) {
    let _ = writeln!(out, "### New since {}\n", m.time);
    if m.is_empty() {
        let _ = writeln!(out, "Nothing new.\n");
        return;
    }
    if !m.articles.is_empty() {
        let _ = writeln!(
            out,
            "- {} new {}: {}",
            m.articles.len(),
            view::plural(m.articles.len(), "article", "articles"),
            labels.list(m.articles)
        );
    }
    for f in &m.facts {
        let _ = writeln!(out, "- new: {} {}", inline(&shorten(&f.text, 140)), labels.list(&f.articles));
    }
    for (subject, a, b) in &m.changed {
        let _ = writeln!(
            out,
            "- changed: {} “{}” → “{}” ({}) {}",
            inline(subject),
            inline(&a.value),
            inline(&b.value),
            view::time_label(b.time.as_deref()),
            labels.list(&b.articles)
        );
    }
    out.push('\n');
}

/// Marks beside a fact: a change in italics, news in bold.
fn marks(marks: &[Mark]) -> String {
    marks
        .iter()
        .map(|m| match m {
            Mark::Changed => format!(" *({})*", m.label()),
            Mark::New => format!(" **{}**", m.label()),
        })
        .collect()
}

/// Text with the given byte ranges in bold.
fn emphasise(text: &str, spans: &[(usize, usize)]) -> String {
    view::pieces(text, spans)
        .into_iter()
        .map(|(piece, marked)| if marked { format!("**{}**", inline(piece)) } else { inline(piece) })
        .collect()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}

/// A quote's cue as shown, with where its speaker comes from when this
/// outlet left it unattributed ("said; speaker per 2").
fn cue_cell(cue: &str, speaker_from: Option<&str>) -> String {
    match (cue, speaker_from) {
        ("", Some(src)) => src.to_string(),
        (c, Some(src)) => format!("{c}; {src}"),
        (c, None) => c.to_string(),
    }
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
                                speaker_from: None,
                            },
                            QuoteVariant {
                                article: "c".into(),
                                text: "It is dangerous".into(),
                                cue: Some("told".into()),
                                speaker_from: None,
                            },
                        ],
                    },
                    Quote {
                        speaker: None,
                        variants: vec![QuoteVariant {
                            article: "c".into(),
                            text: "Slow down".into(),
                            cue: None,
                            speaker_from: None,
                        }],
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

    #[test]
    fn filled_in_speaker_names_its_source() {
        assert_eq!(cue_cell("said", None), "said");
        assert_eq!(cue_cell("", Some("speaker per [2]")), "speaker per [2]");
        assert_eq!(cue_cell(":", Some("speaker per [1]")), ":; speaker per [1]");
    }
}
