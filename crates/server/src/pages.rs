//! The web page: the story list at `/` and one story at `/stories/{id}`.
//! Server-rendered HTML with one stylesheet served from memory; no script,
//! no outside resource. Every piece of stored text is escaped.

use std::fmt::Write;

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chorus_store::{Sort, Source, SourceStore, Store, StoryRow};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};

use crate::AppState;
use crate::params::Params;

/// Page styles on top of the report's story styles.
const PAGE_CSS: &str = r#"
header.top{background:#1d2b3a;color:#fff}
header.top .bar{max-width:70rem;margin:0 auto;padding:.7rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header.top a.brand{color:#fff;text-decoration:none;font:700 1.25rem/1 system-ui,sans-serif;letter-spacing:.02em}
header.top form{flex:1 1 14rem;display:flex;gap:.4rem}
header.top input[type=search]{flex:1;min-width:0;padding:.45rem .6rem;border-radius:6px;border:0;font:inherit;font-family:system-ui,sans-serif}
button,.button{padding:.45rem .9rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;font:600 .9rem system-ui,sans-serif;cursor:pointer;text-decoration:none;display:inline-block}
a{color:var(--accent)}
form.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem;align-items:end;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem;margin:0 0 1rem;font-family:system-ui,sans-serif;font-size:.85rem}
form.filters label{display:flex;flex-direction:column;gap:.2rem;color:var(--muted)}
form.filters input,form.filters select{padding:.4rem .5rem;border:1px solid var(--line);border-radius:6px;font:inherit;color:var(--ink);background:#fff}
ol.stories{list-style:none;padding:0;margin:0}
ol.stories li{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.9rem 1.1rem;margin:.7rem 0}
ol.stories a.story-link{font:600 1.15rem/1.3 system-ui,-apple-system,'Segoe UI',sans-serif;text-decoration:none;color:var(--ink)}
ol.stories a.story-link:hover{color:var(--accent);text-decoration:underline}
ol.stories .meta{margin-top:.35rem}
.badge.strong{border-color:var(--accent);color:var(--accent)}
nav.pager{margin:1.2rem 0;display:flex;justify-content:flex-end}
p.crumb{font-family:system-ui,sans-serif;font-size:.9rem;margin:0 0 .5rem}
.notice{background:var(--warnbg);border-left:4px solid var(--warn);padding:.6rem .9rem;border-radius:4px;font-family:system-ui,sans-serif}
.empty{color:var(--muted);font-family:system-ui,sans-serif}
header.top a.nav{color:#fff;font:600 .95rem system-ui,sans-serif;text-decoration:none}
header.top a.nav:hover{text-decoration:underline}
.table-wrap{overflow-x:auto}
table.sources{border-collapse:collapse;width:100%;background:var(--card);font:.85rem system-ui,sans-serif}
table.sources th,table.sources td{border:1px solid var(--line);padding:.4rem .55rem;text-align:left;vertical-align:top}
table.sources td.num{text-align:right;font-variant-numeric:tabular-nums}
table.sources td.err{color:var(--warn)}
table.sources .url{color:var(--muted);word-break:break-all}
footer{max-width:70rem;margin:0 auto;padding:0 1rem 2rem;font:.8rem system-ui,sans-serif;color:var(--muted)}
@media (max-width:40rem){header.top .bar{padding:.6rem .8rem}ol.stories li{padding:.8rem}h1{font-size:1.35rem}}
"#;

pub async fn stylesheet() -> Response {
    let css = format!("{}{}", chorus_report::html::css(), PAGE_CSS);
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], css)
        .into_response()
}

/// A path segment with everything but unreserved characters escaped, so
/// that any story id makes a working link.
pub fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn page(status: StatusCode, title: &str, q: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{} — chorus</title><link rel=\"stylesheet\" href=\"/assets/chorus.css\"></head><body>\
<header class=\"top\"><div class=\"bar\"><a class=\"brand\" href=\"/\">chorus</a>\
<form action=\"/\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search stories\" aria-label=\"Search stories\">\
<button type=\"submit\">Search</button></form><a class=\"nav\" href=\"/sources\">Sources</a></div></header><main>{body}</main>\
<footer>chorus — many outlets, one story. <a href=\"/openapi.json\">API</a></footer></body></html>\n",
        esc(title),
        attr(q)
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

pub fn not_found_page() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Not found",
        "",
        "<h1>Not found</h1><p class=\"empty\">There is nothing here. <a href=\"/\">All stories</a></p>",
    )
}

fn error_page(status: StatusCode, message: &str) -> Response {
    page(
        status,
        "Error",
        "",
        &format!(
            "<h1>Something is wrong</h1><p class=\"notice\">{}</p><p><a href=\"/\">All stories</a></p>",
            esc(message)
        ),
    )
}

pub async fn index<S: Store>(State(st): State<AppState<S>>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let query = match params.story_query(false) {
        Ok(q) => q,
        Err(e) => return error_page(e.status, &e.message),
    };
    let sort = query.sort;
    let filter = query.filter.clone();
    let page_result = st.engine.store().stories(query).await;
    let counts = st.engine.store().counts().await;
    let (stories, counts) = match (page_result, counts) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => {
            let e: crate::api::ApiError = e.into();
            return error_page(e.status, &e.message);
        }
    };
    let q = filter.q.clone().unwrap_or_default();
    let mut b = String::new();
    b.push_str("<h1>Stories</h1>");
    let _ = write!(
        b,
        "<form class=\"filters\" action=\"/\" method=\"get\">\
<label>Words<input type=\"search\" name=\"q\" value=\"{}\"></label>\
<label>Source<input type=\"text\" name=\"source\" value=\"{}\" placeholder=\"outlet or domain\"></label>\
<label>From<input type=\"date\" name=\"from\" value=\"{}\"></label>\
<label>To<input type=\"date\" name=\"to\" value=\"{}\"></label>\
<label>Order<select name=\"sort\"><option value=\"newest\"{}>Newest</option><option value=\"biggest\"{}>Most sources</option></select></label>\
<button type=\"submit\">Show</button></form>",
        attr(&q),
        attr(filter.source.as_deref().unwrap_or("")),
        filter.from.map(|d| d.to_string()).unwrap_or_default(),
        filter.to.map(|d| d.to_string()).unwrap_or_default(),
        if sort == Sort::Newest { " selected" } else { "" },
        if sort == Sort::Biggest { " selected" } else { "" },
    );
    let _ = write!(
        b,
        "<p class=\"meta\">{} from {} in the store</p>",
        plural(counts.stories, "story", "stories"),
        plural(counts.articles, "article", "articles")
    );
    if stories.items.is_empty() {
        let filtered = filter.q.is_some() || filter.source.is_some() || filter.from.is_some() || filter.to.is_some();
        b.push_str(if filtered {
            "<p class=\"empty\">No story matches these filters.</p>"
        } else {
            "<p class=\"empty\">No stories yet. Add articles with <code>chorus ingest PATH</code> or <code>POST /api/articles</code>.</p>"
        });
    } else {
        b.push_str("<ol class=\"stories\">");
        for s in &stories.items {
            story_item(&mut b, s);
        }
        b.push_str("</ol>");
    }
    if let Some(next) = &stories.next {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("q", filter.q.clone()), ("source", filter.source.clone())] {
            if let Some(v) = v {
                qs.append_pair(k, &v);
            }
        }
        if let Some(d) = filter.from {
            qs.append_pair("from", &d.to_string());
        }
        if let Some(d) = filter.to {
            qs.append_pair("to", &d.to_string());
        }
        qs.append_pair("sort", if sort == Sort::Newest { "newest" } else { "biggest" });
        qs.append_pair("cursor", next);
        let _ = write!(
            b,
            "<nav class=\"pager\"><a class=\"button\" href=\"/?{}\">More stories →</a></nav>",
            attr(&qs.finish())
        );
    }
    page(StatusCode::OK, "Stories", &q, &b)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn story_item(b: &mut String, s: &StoryRow) {
    let _ = write!(
        b,
        "<li><a class=\"story-link\" href=\"/stories/{}\">{}</a><div class=\"meta\">\
<span class=\"badge strong\">{}</span><span class=\"badge\">{}</span><span class=\"badge\">{}</span> updated {}</div></li>",
        attr(&segment(&s.id)),
        esc(if s.headline.trim().is_empty() { "(untitled)" } else { &s.headline }),
        plural(s.independent_count, "independent source", "independent sources"),
        plural(s.source_count, "outlet", "outlets"),
        plural(s.article_count, "article", "articles"),
        esc(&s.updated.replace('T', " ").replace('Z', " UTC")),
    );
}

pub async fn story<S: Store>(
    State(st): State<AppState<S>>,
    id: Result<crate::api::Id, crate::api::ApiError>,
    RawQuery(raw): RawQuery,
) -> Response {
    let id = match id {
        Ok(crate::api::Id(id)) => id,
        Err(e) => return error_page(e.status, &e.message),
    };
    let since = match Params::parse(raw.as_deref()).since() {
        Ok(s) => s,
        Err(e) => return error_page(e.status, &e.message),
    };
    let json = match st.engine.story_json(&id).await {
        Ok(Some(json)) => json,
        Ok(None) => return not_found_page(),
        Err(e) => {
            let e: crate::api::ApiError = e.into();
            return error_page(e.status, &e.message);
        }
    };
    // Reading and rendering a story of thousands of articles is CPU work:
    // off the async threads.
    let rendered = crate::cpu::run(move || {
        let mut story: chorus_model::Story = serde_json::from_str(&json).map_err(|e| format!("story {id}: {e}"))?;
        if let Some(t) = since {
            chorus_report::since::mark(&mut story, t);
        }
        // A returning reader's link: what is new after this visit.
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut b = format!(
            "<p class=\"crumb\"><a href=\"/\">← All stories</a> · <a href=\"/stories/{}?since={}\" title=\"Bookmark this link to see what is new when you come back\">What's new after now</a></p>",
            attr(&segment(&id)),
            attr(&now)
        );
        b.push_str(&chorus_report::html::story_section(&story));
        Ok::<_, String>((story.headline, b))
    })
    .await;
    match rendered {
        Ok(Ok((headline, b))) => page(StatusCode::OK, &headline, "", &b),
        Ok(Err(e)) | Err(e) => {
            eprintln!("chorus: cannot show a story: {e}");
            error_page(StatusCode::INTERNAL_SERVER_ERROR, "the story could not be shown")
        }
    }
}

/// The followed sources (`chorus follow`) with their status.
pub async fn sources<S: Store + SourceStore>(State(st): State<AppState<S>>) -> Response {
    let list = match st.engine.store().sources().await {
        Ok(l) => l,
        Err(e) => {
            let e: crate::api::ApiError = e.into();
            return error_page(e.status, &e.message);
        }
    };
    let mut b = String::from("<h1>Sources</h1>");
    if list.is_empty() {
        b.push_str(
            "<p class=\"empty\">No followed sources. Follow feeds, news sites or an OPML file with \
             <code>chorus follow SOURCE...</code> or <code>chorus serve --follow SOURCE...</code>.</p>",
        );
        return page(StatusCode::OK, "Sources", "", &b);
    }
    let _ = write!(
        b,
        "<p class=\"meta\">{} followed, {} articles gained</p><div class=\"table-wrap\"><table class=\"sources\">\
<thead><tr><th>Source</th><th>Last success</th><th>Last error</th><th>Items</th><th>Articles</th><th>Errors</th>\
<th>Next poll</th></tr></thead><tbody>",
        plural(list.len() as u64, "source", "sources"),
        list.iter().map(|s| s.articles.max(0) as u64).sum::<u64>()
    );
    for s in &list {
        source_row(&mut b, s);
    }
    b.push_str("</tbody></table></div>");
    page(StatusCode::OK, "Sources", "", &b)
}

fn source_row(b: &mut String, s: &Source) {
    let when = |t: &Option<String>, none: &str| {
        t.as_deref().map(|t| t.replace('T', " ").replace('Z', " UTC")).unwrap_or_else(|| none.to_string())
    };
    let feed = match &s.feed {
        Some(f) if *f != s.url => {
            format!("<br><span class=\"url\">{} {}</span>", esc(s.kind.as_deref().unwrap_or("feed")), esc(f))
        }
        _ => String::new(),
    };
    let _ = write!(
        b,
        "<tr><td><strong>{}</strong><br><span class=\"url\">{}</span>{feed}</td><td>{}</td><td class=\"err\">{}</td>\
<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
        esc(s.title.as_deref().unwrap_or("(untitled)")),
        esc(&s.url),
        esc(&when(&s.last_success, "never")),
        esc(s.last_error.as_deref().unwrap_or("")),
        s.items,
        s.articles,
        s.errors,
        esc(&when(&s.next_poll, "now")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_id_makes_a_safe_link() {
        assert_eq!(segment("0f3a-b_c"), "0f3a-b_c");
        assert_eq!(segment("a/b?c\"<"), "a%2Fb%3Fc%22%3C");
        assert_eq!(segment("é"), "%C3%A9");
    }
}
