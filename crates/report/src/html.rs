//! One self-contained HTML page: inline CSS, no scripts, no network.
//! Every piece of article text is escaped.

use std::fmt::Write;

use chorus_model::{Report, Story};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};

use crate::labels::{Labels, outlet_label};
use crate::markdown::format_value;

const CSS: &str = r#"
:root{--ink:#1d232b;--muted:#5b6673;--line:#dde2e8;--bg:#fbfbf9;--card:#fff;--accent:#2f5d8a;--warn:#b4441f;--warnbg:#fff3ee;--ok:#2e7d4f}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 Georgia,'Iowan Old Style','Times New Roman',serif}
main{max-width:70rem;margin:0 auto;padding:1.5rem 1rem 4rem}
h1,h2,h3{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.25}
h1{font-size:1.6rem;margin:.2rem 0 1rem}
h2{font-size:1.35rem;margin:0 0 .3rem}
h3{font-size:1rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:1.6rem 0 .5rem}
.meta,.small{font-family:system-ui,sans-serif;font-size:.85rem;color:var(--muted)}
section.story{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.2rem 1.3rem;margin:1.2rem 0}
.badge{display:inline-block;font-family:system-ui,sans-serif;font-size:.75rem;border:1px solid var(--line);border-radius:99px;padding:.05rem .55rem;margin-right:.3rem;color:var(--muted)}
.cite{font-family:system-ui,sans-serif;font-size:.72rem;color:var(--accent);vertical-align:super;white-space:nowrap}
ol.summary li{margin:.35rem 0}
table{border-collapse:collapse;width:100%;font-family:system-ui,sans-serif;font-size:.85rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .45rem;text-align:left;vertical-align:top}
td.dot{text-align:center;color:var(--accent);font-size:1rem}
.scroll{overflow-x:auto}
.conflict{background:var(--warnbg);border-left:4px solid var(--warn);padding:.5rem .8rem;margin:.5rem 0;border-radius:4px}
.conflict b{color:var(--warn);font-family:system-ui,sans-serif;font-size:.8rem;text-transform:uppercase}
.quotes{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.6rem;margin:.4rem 0 1rem}
blockquote{margin:0;padding:.6rem .8rem;border-left:3px solid var(--accent);background:#f4f7fa;border-radius:4px}
blockquote .small{display:block;margin-top:.3rem}
.term{background:#fff2c6;border-radius:3px;padding:0 .2rem}
details{margin:.6rem 0}
summary{cursor:pointer;font-family:system-ui,sans-serif;color:var(--muted)}
@media (max-width:40rem){body{font-size:15px}section.story{padding:.9rem}}
"#;

pub fn html(report: &Report) -> String {
    let mut out = String::new();
    let title = match report.stories.first() {
        Some(s) if report.stories.len() == 1 => s.headline.clone(),
        _ => format!("{} stories", report.stories.len()),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>chorus — {}</title><style>{CSS}</style></head><body><main>",
        esc(&title)
    );
    let n_articles: usize = report.stories.iter().map(|s| s.articles.len()).sum();
    let _ = write!(
        out,
        "<h1>chorus report</h1><p class=\"meta\">{} stories from {} articles</p>",
        report.stories.len(),
        n_articles
    );
    for (i, s) in report.stories.iter().enumerate() {
        story_html(&mut out, i + 1, s);
    }
    if !report.removed.is_empty() {
        let total: usize = report.removed.iter().map(|r| r.lines.len()).sum();
        let _ = write!(out, "<details><summary>Removed furniture ({total} lines)</summary><ul class=\"small\">");
        for r in &report.removed {
            let _ = write!(out, "<li><code>{}</code><ul>", esc(&r.path));
            for l in &r.lines {
                let _ = write!(out, "<li>{}</li>", esc(l));
            }
            out.push_str("</ul></li>");
        }
        out.push_str("</ul></details>");
    }
    if !report.errors.is_empty() {
        let _ =
            write!(out, "<details open><summary>Input errors ({})</summary><ul class=\"small\">", report.errors.len());
        for e in &report.errors {
            let _ = write!(out, "<li><code>{}</code>: {}</li>", esc(&e.path), esc(&e.error));
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</main></body></html>\n");
    out
}

/// The HTML of one story, as a `<section>`; the server's story page uses it
/// too.
pub fn story_section(s: &Story) -> String {
    let mut out = String::new();
    story_html(&mut out, 0, s);
    out
}

/// The page CSS, for pages that embed [`story_section`].
pub fn css() -> &'static str {
    CSS
}

fn cites(labels: &Labels, ids: &[String]) -> String {
    format!("<span class=\"cite\">{}</span>", esc(&labels.list(ids)))
}

fn story_html(out: &mut String, n: usize, s: &Story) {
    let labels = Labels::new(s);
    let _ = write!(out, "<section class=\"story\" id=\"story-{}\">", attr(&s.id));
    let num = if n > 0 { format!("{n}. ") } else { String::new() };
    let _ = write!(out, "<h2>{num}{}</h2>", esc(&s.headline));
    let _ = write!(
        out,
        "<p><span class=\"badge\">{} articles</span><span class=\"badge\">{} sources, {} independent</span><span class=\"badge\">story {}</span></p>",
        s.articles.len(),
        s.source_count,
        s.independent_count,
        esc(&s.id)
    );
    for note in &s.notes {
        let _ = write!(out, "<p class=\"small\">{}</p>", esc(note));
    }
    if !s.summary.is_empty() {
        out.push_str("<h3>Summary</h3><ol class=\"summary\">");
        for sent in &s.summary {
            let _ = write!(out, "<li>{} {}</li>", esc(&sent.text), cites(&labels, &sent.articles));
        }
        out.push_str("</ol>");
    }
    if !s.conflicts.is_empty() {
        out.push_str("<h3>Conflicts</h3>");
        for c in &s.conflicts {
            let kind =
                serde_json::to_value(c.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let _ = write!(out, "<div class=\"conflict\"><b>{}</b> {}<ul>", esc(&kind), esc(&c.subject));
            for p in &c.positions {
                let _ = write!(out, "<li>“{}” {}</li>", esc(&p.value), cites(&labels, &p.articles));
            }
            out.push_str("</ul></div>");
        }
    }
    if !s.quotes.is_empty() {
        out.push_str("<h3>Quotes</h3>");
        for q in &s.quotes {
            let _ = write!(
                out,
                "<p class=\"small\"><strong>{}</strong></p><div class=\"quotes\">",
                esc(q.speaker.as_deref().unwrap_or("Unattributed"))
            );
            for v in &q.variants {
                let who = s.articles.iter().find(|a| a.id == v.article).map(outlet_label).unwrap_or_default();
                let cue = v.cue.as_deref().unwrap_or("");
                let _ = write!(
                    out,
                    "<blockquote>“{}”<span class=\"small\">[{}] {} {}</span></blockquote>",
                    esc(&v.text),
                    esc(&labels.of(&v.article)),
                    esc(&who),
                    esc(cue)
                );
            }
            out.push_str("</div>");
        }
    }
    if !s.facts.is_empty() {
        out.push_str("<h3>Coverage</h3><div class=\"scroll\"><table><thead><tr><th>fact</th>");
        for i in 0..s.articles.len() {
            let _ = write!(out, "<th>{}</th>", i + 1);
        }
        out.push_str("</tr></thead><tbody>");
        for f in &s.facts {
            let _ = write!(out, "<tr><td>{}</td>", esc(&f.text));
            for a in &s.articles {
                let mark = if f.articles.contains(&a.id) { "●" } else { "" };
                let _ = write!(out, "<td class=\"dot\">{mark}</td>");
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>");
        let unique: Vec<_> = s.facts.iter().filter(|f| f.articles.len() == 1).collect();
        if !unique.is_empty() {
            out.push_str("<h3>Only one source reports</h3><ul>");
            for f in unique {
                let who = s.articles.iter().find(|a| a.id == f.articles[0]).map(outlet_label).unwrap_or_default();
                let _ = write!(
                    out,
                    "<li><span class=\"small\">{}</span> {} {}</li>",
                    esc(&who),
                    esc(&f.text),
                    cites(&labels, &f.articles)
                );
            }
            out.push_str("</ul>");
        }
    }
    if s.framing.iter().any(|f| !f.terms.is_empty()) {
        out.push_str("<h3>Framing</h3><ul>");
        for f in s.framing.iter().filter(|f| !f.terms.is_empty()) {
            let who = s.articles.iter().find(|a| a.id == f.article).map(outlet_label).unwrap_or_default();
            let terms: Vec<String> =
                f.terms.iter().map(|t| format!("<span class=\"term\">{}</span>", esc(t))).collect();
            let _ = write!(out, "<li>[{}] {}: {}</li>", esc(&labels.of(&f.article)), esc(&who), terms.join(", "));
        }
        out.push_str("</ul>");
    }
    if !s.entities.is_empty() {
        out.push_str("<details><summary>Entities</summary><ul class=\"small\">");
        for e in &s.entities {
            let aliases: Vec<String> = e.aliases.iter().filter(|a| **a != e.name).map(|a| esc(a).to_string()).collect();
            let aka = if aliases.is_empty() { String::new() } else { format!(" — also {}", aliases.join(", ")) };
            let _ = write!(
                out,
                "<li><strong>{}</strong> ({}){aka} {}</li>",
                esc(&e.name),
                e.kind.as_str(),
                cites(&labels, &e.articles)
            );
        }
        out.push_str("</ul></details>");
    }
    if !s.numbers.is_empty() {
        out.push_str("<details><summary>Numbers</summary><ul class=\"small\">");
        for num in &s.numbers {
            let _ = write!(
                out,
                "<li>{} ({} {}) {}</li>",
                esc(&num.text),
                format_value(num.value),
                esc(&num.unit),
                cites(&labels, &num.articles)
            );
        }
        out.push_str("</ul></details>");
    }
    out.push_str("<h3>Articles</h3><div class=\"scroll\"><table><thead><tr><th>#</th><th>source</th><th>title</th><th>published</th><th>note</th></tr></thead><tbody>");
    for (i, a) in s.articles.iter().enumerate() {
        let mut note = Vec::new();
        if let Some(d) = &a.duplicate_of {
            note.push(format!("copy of {}", labels.of(d)));
        }
        if !a.derived_from.is_empty() {
            note.push(format!("derived from {}", labels.list(&a.derived_from)));
        }
        if a.copies > 0 {
            note.push(format!("{} copies", a.copies));
        }
        let title = match (&a.title, &a.url) {
            (Some(t), Some(u)) if u.starts_with("http://") || u.starts_with("https://") => {
                format!("<a href=\"{}\">{}</a>", attr(u), esc(t))
            }
            (Some(t), _) => esc(t).to_string(),
            (None, _) => "—".to_string(),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{title}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            esc(&outlet_label(a)),
            esc(a.published.as_deref().unwrap_or("—")),
            esc(&note.join("; "))
        );
    }
    out.push_str("</tbody></table></div></section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_is_self_contained_and_escaped() {
        let page = html(&crate::markdown::tests_support::sample());
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(!page.contains("<script"));
        assert!(!page.contains("<link"));
        assert!(page.contains("It is &lt;unsafe&gt;"));
        assert!(page.contains("class=\"conflict\""));
        assert!(page.contains("<td class=\"dot\">●</td>"));
    }
}
