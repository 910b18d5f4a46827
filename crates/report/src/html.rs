//! One self-contained HTML page: inline CSS, no scripts, no network.
//! Every piece of article text is escaped.

use std::fmt::Write;

use chorus_model::{InputError, Removed, Report, Story};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};

use crate::labels::{Labels, outlet_label};
use crate::view::{self, Mark, heading};

const CSS: &str = r#"
:root{--ink:#1d232b;--muted:#5b6673;--line:#dde2e8;--bg:#f6f5f1;--card:#fff;--accent:#2f5d8a;--accentbg:#eef3f8;--warn:#b4441f;--warnbg:#fff3ee;--ok:#2e7d4f;--mark:#ffe8a3;--diff:#d9ecff}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 Georgia,'Iowan Old Style','Times New Roman',serif}
main{max-width:72rem;margin:0 auto;padding:1.5rem 1rem 4rem}
h1,h2,h3,h4{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.25}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}
h2{font-size:1.4rem;margin:0 0 .4rem}
h3{font-size:.95rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:1.8rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h4{font-size:.95rem;margin:.2rem 0 .4rem}
.meta,.small{font-family:system-ui,sans-serif;font-size:.85rem;color:var(--muted)}
section.story{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.3rem 1.4rem;margin:1.2rem 0;box-shadow:0 1px 2px rgba(0,0,0,.04)}
.badge{display:inline-block;font-family:system-ui,sans-serif;font-size:.75rem;border:1px solid var(--line);border-radius:99px;padding:.05rem .6rem;margin:0 .3rem .3rem 0;color:var(--muted);background:#fafafa}
.badge.warn{border-color:var(--warn);color:var(--warn);background:var(--warnbg)}
.cite{font-family:system-ui,sans-serif;font-size:.72rem;color:var(--accent);vertical-align:super;white-space:nowrap;margin-left:.15rem}
ol.summary{padding-left:1.3rem}
ol.summary li{margin:.45rem 0}
ol.summary li:first-child{font-size:1.06rem}
table{border-collapse:collapse;width:100%;font-family:system-ui,sans-serif;font-size:.85rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .45rem;text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600}
td.dot,th.num{text-align:center;width:2.2rem}
td.dot{color:var(--accent);font-size:1rem}
tr.total td{color:var(--muted);font-style:italic;border-bottom:0}
.matrix td:first-child,.matrix th:first-child{position:sticky;left:0;background:var(--card);min-width:16rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.conflict{background:var(--warnbg);border-left:4px solid var(--warn);padding:.6rem .9rem;margin:.6rem 0;border-radius:6px}
.conflict .kind{color:var(--warn);font-family:system-ui,sans-serif;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;margin-right:.4rem}
.conflict .subject{font-family:system-ui,sans-serif;font-weight:600}
.positions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.45rem}
.position{background:#fff;border:1px solid #f0c8b8;border-radius:6px;padding:.35rem .6rem;flex:1 1 14rem}
.position .value{font-weight:600}
.position .who{display:block;font-family:system-ui,sans-serif;font-size:.78rem;color:var(--muted);margin-top:.15rem}
.quotes{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.7rem;margin:.4rem 0 1.2rem}
blockquote{margin:0;padding:.65rem .85rem;border-left:3px solid var(--accent);background:var(--accentbg);border-radius:6px}
blockquote .small{display:block;margin-top:.35rem}
.diff{background:var(--diff);border-radius:3px;padding:0 .1rem}
.fig{background:var(--diff);border-radius:3px;padding:0 .25rem;margin-right:.2rem;white-space:nowrap}
mark.term,.term{background:var(--mark);border-radius:3px;padding:0 .2rem;color:inherit}
.fact{border:1px solid var(--line);border-radius:8px;padding:.6rem .85rem;margin:.6rem 0}
.fact > p{margin:0 0 .35rem;font-family:system-ui,sans-serif;font-size:.9rem;font-weight:600}
.fact ul{margin:0;padding-left:1.1rem}
.fact li{margin:.25rem 0}
.outlets{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:.7rem}
.outlet{border:1px solid var(--line);border-radius:8px;padding:.6rem .85rem}
.outlet ul{margin:.2rem 0 0;padding-left:1.1rem}
.outlet li{margin:.3rem 0}
.chips{display:flex;flex-wrap:wrap;gap:.3rem;margin:.2rem 0 .6rem}
details{margin:.8rem 0}
summary{cursor:pointer;font-family:system-ui,sans-serif;color:var(--muted)}
a{color:var(--accent)}
.tag{display:inline-block;font-family:system-ui,sans-serif;font-size:.7rem;font-weight:600;border-radius:99px;padding:0 .5rem;margin-left:.35rem;vertical-align:middle;white-space:nowrap}
.tag.changed{background:var(--accentbg);color:var(--accent);border:1px solid var(--accent)}
.tag.new{background:var(--ok);color:#fff}
ol.timeline{list-style:none;padding:0;margin:.4rem 0;border-left:2px solid var(--line)}
ol.timeline li{position:relative;margin:.45rem 0;padding-left:1rem}
ol.timeline li::before{content:"";position:absolute;left:-.38rem;top:.5rem;width:.6rem;height:.6rem;border-radius:50%;background:var(--accent)}
ol.timeline time{display:block;font-family:system-ui,sans-serif;font-size:.78rem;color:var(--muted)}
.update{background:var(--accentbg);border-left:4px solid var(--accent);padding:.6rem .9rem;margin:.6rem 0;border-radius:6px}
.update .kind{color:var(--accent);font-family:system-ui,sans-serif;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;margin-right:.4rem}
.update .subject{font-family:system-ui,sans-serif;font-weight:600}
.steps{display:flex;flex-wrap:wrap;align-items:stretch;gap:.4rem;margin-top:.45rem}
.step{background:#fff;border:1px solid #c8d8e8;border-radius:6px;padding:.35rem .6rem;flex:0 1 13rem}
.step .value{font-weight:600}
.step .who{display:block;font-family:system-ui,sans-serif;font-size:.78rem;color:var(--muted);margin-top:.15rem}
.arrow{align-self:center;color:var(--accent);font-family:system-ui,sans-serif}
.since{background:#eef8f1;border-left:4px solid var(--ok);padding:.6rem .9rem;margin:.8rem 0;border-radius:6px;font-family:system-ui,sans-serif;font-size:.9rem}
.since ul{margin:.3rem 0 0;padding-left:1.1rem}
@media (max-width:40rem){body{font-size:15px}main{padding:1rem .6rem 3rem}section.story{padding:.9rem}.matrix td:first-child,.matrix th:first-child{min-width:11rem}}
@media print{body{background:#fff}section.story{box-shadow:none;border:0}}
"#;

pub fn html(report: &Report) -> String {
    let mut out = head(&crate::stream::Outline::of(report));
    for (i, s) in report.stories.iter().enumerate() {
        story_html(&mut out, i + 1, s);
    }
    out + &tail(&report.removed, &report.errors)
}

/// The page up to the first story.
pub(crate) fn head(o: &crate::stream::Outline) -> String {
    let mut out = String::new();
    let title = match &o.only_headline {
        Some(h) if o.stories == 1 => h.clone(),
        _ => format!("{} stories", o.stories),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>chorus — {}</title><style>{CSS}</style></head><body><main>",
        esc(&title)
    );
    let _ = write!(
        out,
        "<h1>chorus report</h1><p class=\"meta\">{} from {}</p>",
        view::count(o.stories, "story", "stories"),
        view::count(o.articles, "article", "articles")
    );
    out
}

/// Story number `n`.
pub(crate) fn story(n: usize, s: &Story) -> String {
    let mut out = String::new();
    story_html(&mut out, n, s);
    out
}

/// Removed furniture, input errors and the end of the page.
pub(crate) fn tail(removed: &[Removed], errors: &[InputError]) -> String {
    let mut out = String::new();
    if !removed.is_empty() {
        let _ = write!(out, "<details><summary>{}</summary><ul class=\"small\">", view::removed_heading(removed));
        for r in removed {
            let _ = write!(out, "<li><code>{}</code><ul>", esc(&r.path));
            for l in &r.lines {
                let _ = write!(out, "<li>{}</li>", esc(l));
            }
            out.push_str("</ul></li>");
        }
        out.push_str("</ul></details>");
    }
    if !errors.is_empty() {
        let _ = write!(
            out,
            "<details open><summary>{} ({})</summary><ul class=\"small\">",
            heading::INPUT_ERRORS,
            errors.len()
        );
        for e in errors {
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

/// Outlet names of a list of article ids, for a tooltip or a caption.
fn outlets(s: &Story, labels: &Labels, ids: &[String]) -> String {
    ids.iter().map(|id| format!("{} {}", labels.of(id), view::outlet_of(s, id))).collect::<Vec<_>>().join(" · ")
}

/// Escaped text with the given byte ranges wrapped in `open`…`close`.
fn wrap_spans(text: &str, spans: &[(usize, usize)], open: &str, close: &str) -> String {
    view::pieces(text, spans)
        .into_iter()
        .map(|(piece, marked)| if marked { format!("{open}{}{close}", esc(piece)) } else { esc(piece).to_string() })
        .collect()
}

/// A table's header cells.
fn header_cells(columns: &[&str]) -> String {
    columns.iter().map(|c| format!("<th>{}</th>", esc(c))).collect()
}

/// Tags beside a fact or an event: a change, news.
fn tags(marks: &[Mark]) -> String {
    marks
        .iter()
        .map(|m| {
            let class = match m {
                Mark::Changed => "changed",
                Mark::New => "new",
            };
            format!("<span class=\"tag {class}\">{}</span>", m.label())
        })
        .collect()
}

/// What a returning reader has not seen.
fn since_html(out: &mut String, s: &Story, m: &view::SinceView, labels: &Labels) {
    let _ = write!(out, "<div class=\"since\"><strong>New since {}</strong>", esc(&m.time));
    if m.is_empty() {
        out.push_str(": nothing.</div>");
        return;
    }
    out.push_str("<ul>");
    if !m.articles.is_empty() {
        let _ = write!(
            out,
            "<li>{} new {}: {}</li>",
            m.articles.len(),
            view::plural(m.articles.len(), "article", "articles"),
            esc(&outlets(s, labels, m.articles))
        );
    }
    for f in &m.facts {
        let _ = write!(out, "<li>New: {}{}</li>", esc(&f.text), cites(labels, &f.articles));
    }
    for (subject, a, b) in &m.changed {
        let _ = write!(
            out,
            "<li>Changed: {} “{}” → “{}” ({}){}</li>",
            esc(subject),
            esc(&a.value),
            esc(&b.value),
            esc(&view::time_label(b.time.as_deref())),
            cites(labels, &b.articles)
        );
    }
    out.push_str("</ul></div>");
}

fn story_html(out: &mut String, n: usize, s: &Story) {
    let labels = Labels::new(s);
    let _ = write!(out, "<section class=\"story\" id=\"story-{}\">", attr(&s.id));
    let num = if n > 0 { format!("{n}. ") } else { String::new() };
    let _ = write!(out, "<h2>{num}{}</h2>", esc(&s.headline));
    let shared = view::shared_facts(s).len();
    let (multi, single) = view::quotes(s);
    let _ = write!(
        out,
        "<p><span class=\"badge\">{}</span><span class=\"badge\">{}, {} independent</span>",
        view::count(s.articles.len(), "article", "articles"),
        view::count(s.source_count, "source", "sources"),
        s.independent_count
    );
    if !s.conflicts.is_empty() {
        let _ = write!(
            out,
            "<span class=\"badge warn\">{}</span>",
            view::count(s.conflicts.len(), "conflict", "conflicts")
        );
    }
    let _ = write!(
        out,
        "<span class=\"badge\">{}</span><span class=\"badge\">{} single-source</span><span class=\"badge\">{} heard twice or more</span><span class=\"badge\">story {}</span></p>",
        view::count(shared, "shared fact", "shared facts"),
        s.facts.len() - shared,
        view::count(multi.len(), "quote", "quotes"),
        esc(&s.id)
    );
    for note in &s.notes {
        let _ = write!(out, "<p class=\"small\">{}</p>", esc(note));
    }
    if let Some(m) = view::since(s) {
        since_html(out, s, &m, &labels);
    }
    if !s.summary.is_empty() {
        let _ = write!(out, "<h3>{}</h3><ol class=\"summary\">", heading::SUMMARY);
        for sent in &s.summary {
            let _ = write!(
                out,
                "<li>{}<span class=\"cite\" title=\"{}\">{}</span></li>",
                esc(&sent.text),
                attr(&outlets(s, &labels, &sent.articles)),
                esc(&labels.list(&sent.articles))
            );
        }
        out.push_str("</ol>");
    }
    if !s.timeline.is_empty() {
        let _ = write!(out, "<h3>{}</h3><ol class=\"timeline\">", heading::TIMELINE);
        for e in &s.timeline {
            let new = if view::after_since(s, e.time.as_deref()) { tags(&[Mark::New]) } else { String::new() };
            let _ = write!(
                out,
                "<li><time datetime=\"{}\">{}</time>{}<span class=\"cite\" title=\"{}\">{}</span>{new}</li>",
                attr(e.time.as_deref().unwrap_or("")),
                esc(&view::time_label(e.time.as_deref())),
                esc(&e.text),
                attr(&outlets(s, &labels, &e.articles)),
                esc(&labels.list(&e.articles))
            );
        }
        out.push_str("</ol>");
    }
    if !s.updates.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><p class=\"small\">{} These are not conflicts.</p>",
            heading::UPDATES,
            view::UPDATES_NOTE
        );
        for u in &s.updates {
            let _ = write!(
                out,
                "<div class=\"update\"><span class=\"kind\">{}</span><span class=\"subject\">{}</span><div class=\"steps\">",
                esc(&view::kind_name(u.kind)),
                esc(&u.subject)
            );
            for (i, v) in u.values.iter().enumerate() {
                if i > 0 {
                    out.push_str("<span class=\"arrow\">→</span>");
                }
                let stale = if v.stale.is_empty() {
                    String::new()
                } else {
                    format!(
                        "<span class=\"who\">outdated, still given later by {}</span>",
                        esc(&outlets(s, &labels, &v.stale))
                    )
                };
                let _ = write!(
                    out,
                    "<div class=\"step\" title=\"{}\"><span class=\"value\">“{}”</span><span class=\"who\">{} · {}</span>{stale}</div>",
                    attr(&v.text),
                    esc(&v.value),
                    esc(&view::time_label(v.time.as_deref())),
                    esc(&outlets(s, &labels, &v.articles))
                );
            }
            out.push_str("</div></div>");
        }
    }
    if !s.conflicts.is_empty() {
        let _ = write!(out, "<h3>{}</h3>", heading::CONFLICTS);
        for c in &s.conflicts {
            let _ = write!(
                out,
                "<div class=\"conflict\"><span class=\"kind\">{}</span><span class=\"subject\">{}</span><div class=\"positions\">",
                esc(&view::kind_name(c.kind)),
                esc(&c.subject)
            );
            for p in &c.positions {
                let _ = write!(
                    out,
                    "<div class=\"position\"><span class=\"value\">“{}”</span><span class=\"who\">{}</span></div>",
                    esc(&p.value),
                    esc(&outlets(s, &labels, &p.articles))
                );
            }
            out.push_str("</div></div>");
        }
    }
    if let Some(cov) = view::coverage(s, view::MAX_MATRIX_ROWS_HTML) {
        let _ = write!(
            out,
            "<h3>{}</h3><div class=\"scroll\"><table class=\"matrix\"><thead><tr><th>fact</th>",
            heading::COVERAGE
        );
        for (i, a) in s.articles.iter().enumerate() {
            let _ = write!(out, "<th class=\"num\" title=\"{}\">{}</th>", attr(&outlet_label(a)), i + 1);
        }
        out.push_str("</tr></thead><tbody>");
        for row in &cov.rows {
            let _ = write!(out, "<tr><td>{}{}</td>", esc(&row.fact.text), tags(&row.marks));
            for &cell in &row.cells {
                let _ = write!(out, "<td class=\"dot\">{}</td>", if cell { "●" } else { "" });
            }
            out.push_str("</tr>");
        }
        if cov.more > 0 {
            let _ = write!(
                out,
                "<tr class=\"total\"><td colspan=\"{}\">{} more shared facts, each reported by fewer articles, are in the JSON output.</td></tr>",
                s.articles.len() + 1,
                cov.more
            );
        }
        out.push_str("<tr class=\"total\"><td>facts only this article reports</td>");
        for k in &cov.one_source {
            let _ = write!(out, "<td class=\"dot\">{k}</td>");
        }
        out.push_str("</tr></tbody></table></div>");
    }
    let framed = view::framed(s);
    if !framed.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><p class=\"small\">Each outlet's wording of a shared fact, its loaded or speculative terms marked.</p>",
            heading::FRAMED
        );
        for f in &framed {
            let _ = write!(out, "<div class=\"fact\"><p>{}</p><ul>", esc(&f.fact.text));
            for m in &f.mentions {
                let _ = write!(
                    out,
                    "<li><span class=\"small\">[{}] {}</span> {}</li>",
                    esc(&m.label),
                    esc(&m.outlet),
                    wrap_spans(m.text, &m.spans, "<mark class=\"term\">", "</mark>")
                );
            }
            out.push_str("</ul></div>");
        }
    }
    let alone = view::alone(s);
    if !alone.is_empty() {
        let _ = write!(out, "<h3>{}</h3><div class=\"outlets\">", heading::ALONE);
        for u in &alone {
            let _ = write!(out, "<div class=\"outlet\"><h4>[{}] {}</h4><ul>", u.label, esc(&u.outlet));
            for f in &u.shown {
                let marked = wrap_spans(&f.fact.text, &f.spans, "<mark class=\"term\">", "</mark>");
                let _ = write!(out, "<li>{marked}{}</li>", tags(&f.marks));
            }
            out.push_str("</ul>");
            if !u.rest.is_empty() {
                let _ = write!(out, "<details><summary>{} more</summary><ul>", u.rest.len());
                for f in &u.rest {
                    let marked = wrap_spans(&f.fact.text, &f.spans, "<mark class=\"term\">", "</mark>");
                    let _ = write!(out, "<li>{marked}</li>");
                }
                out.push_str("</ul></details>");
            }
            if !u.numbers.is_empty() {
                out.push_str("<p class=\"small\">Figures no other source gives: ");
                let nums: Vec<String> =
                    u.numbers.iter().map(|n| format!("<span class=\"fig\">{}</span>", esc(&n.text))).collect();
                out.push_str(&nums.join(" "));
                out.push_str("</p>");
            }
            out.push_str("</div>");
        }
        out.push_str("</div>");
    }
    if !multi.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><p class=\"small\">One utterance as each outlet gives it; words the other versions lack are shaded.</p>",
            heading::QUOTE_VARIANTS
        );
        for q in &multi {
            let _ = write!(out, "<h4>{}</h4><div class=\"quotes\">", esc(q.speaker.unwrap_or("Unattributed")));
            for v in &q.variants {
                let cue = match &v.speaker_from {
                    Some(src) => format!("{} ({src})", v.cue),
                    None => v.cue.to_string(),
                };
                let _ = write!(
                    out,
                    "<blockquote>“{}”<span class=\"small\">[{}] {} {}</span></blockquote>",
                    wrap_spans(v.voice.text, &v.voice.spans, "<span class=\"diff\">", "</span>"),
                    esc(&v.voice.label),
                    esc(&v.voice.outlet),
                    esc(&cue)
                );
            }
            out.push_str("</div>");
        }
    }
    if !single.is_empty() {
        let _ = write!(out, "<details><summary>{} ({})</summary><ul>", heading::OTHER_QUOTES, single.len());
        for q in &single {
            for v in &q.variants {
                let _ = write!(
                    out,
                    "<li><strong>{}</strong> <span class=\"cite\">[{}]</span> “{}”</li>",
                    esc(q.speaker.unwrap_or("Unattributed")),
                    esc(&v.voice.label),
                    esc(v.voice.text)
                );
            }
        }
        out.push_str("</ul></details>");
    }
    let framing = view::framing_by_outlet(s);
    if !framing.is_empty() {
        let _ = write!(out, "<h3>{}</h3>", heading::FRAMING);
        for (label, who, terms) in &framing {
            let _ = write!(out, "<div class=\"small\">[{}] {}</div><div class=\"chips\">", esc(label), esc(who));
            for t in terms.iter() {
                let _ = write!(out, "<span class=\"term\">{}</span>", esc(t));
            }
            out.push_str("</div>");
        }
    }
    if !s.entities.is_empty() {
        let _ =
            write!(out, "<details><summary>{} ({})</summary><ul class=\"small\">", heading::ENTITIES, s.entities.len());
        for e in &s.entities {
            let aliases: Vec<String> = view::aliases(e).into_iter().map(|a| esc(a).to_string()).collect();
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
        let _ = write!(
            out,
            "<details><summary>{} ({})</summary><div class=\"scroll\"><table><thead><tr>{}</tr></thead><tbody>",
            heading::NUMBERS,
            s.numbers.len(),
            header_cells(&view::NUMBER_COLUMNS)
        );
        for num in &s.numbers {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&num.text),
                view::format_value(num.value),
                esc(&num.unit),
                esc(&labels.list(&num.articles))
            );
        }
        out.push_str("</tbody></table></div></details>");
    }
    let _ = write!(
        out,
        "<h3>{}</h3><div class=\"scroll\"><table><thead><tr>{}</tr></thead><tbody>",
        heading::ARTICLES,
        header_cells(&view::ARTICLE_COLUMNS)
    );
    for (i, a) in s.articles.iter().enumerate() {
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
            esc(&view::article_note(&labels, a))
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
        assert!(!page.contains("<unsafe>"));
        assert!(page.contains("It is &lt;<span class=\"diff\">unsafe</span>&gt;"));
        assert!(page.contains("class=\"conflict\""));
        assert!(page.contains("<td class=\"dot\">●</td>"));
        // Framing marked on the shared fact, differing quote words shaded,
        // each outlet's own facts in its card.
        assert!(page.contains("The bridge <mark class=\"term\">apparently</mark> closed on Monday."));
        assert!(page.contains("It is <span class=\"diff\">dangerous</span>"));
        assert!(page.contains("<h4>[3] Hill Gazette</h4><ul><li>The ferry runs twice an hour.</li>"));
        assert!(!page.contains("http://") && !page.contains("https://"), "no external assets");
        // Counts take their singular, as in Markdown.
        assert!(
            page.contains(
                "<span class=\"badge\">3 articles</span><span class=\"badge\">2 sources, 1 independent</span>"
            )
        );
        assert!(
            page.contains("<span class=\"badge warn\">1 conflict</span><span class=\"badge\">1 shared fact</span>")
        );
        assert!(page.contains("<span class=\"badge\">1 quote heard twice or more</span>"));
    }
}
