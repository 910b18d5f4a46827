//! Page metadata: headline, published date, author, site name, canonical URL
//! and declared language, from `<meta>` tags, JSON-LD, `<time>` elements and
//! the URL.
//!
//! The content extractor reads its own metadata too; this module adds what it
//! lacks (the publication date with its time, never the modification date; the
//! canonical URL; the declared language) and serves as a fallback for the rest.

use scraper::Html;
use serde_json::Value;

use super::{attr, contains_ignore_case};
use crate::date::normalize_date;

/// Metadata read from a page; every field is optional.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
    pub site: Option<String>,
    pub canonical: Option<String>,
    pub language: Option<String>,
}

/// `<meta>` names and properties that carry the first publication date, most
/// specific first. Modification dates (`article:modified_time`,
/// `dateModified`, `last-modified`) are deliberately absent: a story's date is
/// when it was first published, and updates would misplace it in time.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article.published",
    "datepublished",
    "published_time",
    "publication_date",
    "publish_date",
    "publish-date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
];

const TITLE_META: &[&str] = &["og:title", "twitter:title", "dc.title", "headline"];
const AUTHOR_META: &[&str] = &["author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"];
const SITE_META: &[&str] = &["og:site_name", "application-name", "publisher", "dc.publisher"];

/// JSON-LD `@type`s that describe the page's own article, whose dates and
/// headline win over those of any other object on the page (a breadcrumb, a
/// related item, the publisher).
const ARTICLE_TYPES: &[&str] =
    &["article", "newsarticle", "reportagenewsarticle", "blogposting", "report", "analysisnewsarticle", "webpage"];

/// Earliest year accepted as a publication date: before the web, a date on a
/// page is a historical date in the text, not when the page was published.
const MIN_YEAR: i32 = 1990;

impl PageMeta {
    /// Reads the metadata of a parsed page. `url` is the page's address when
    /// the container knows it (a WARC record, a feed item).
    pub fn read(doc: &Html, url: Option<&str>) -> PageMeta {
        let facts = Facts::collect(doc);
        let metas = &facts.metas;
        let meta = |names: &[&str]| -> Option<String> {
            names.iter().find_map(|n| metas.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
        };
        let ld = JsonLd::read(&facts.json_ld);

        let canonical = facts
            .canonical
            .clone()
            .or_else(|| meta(&["og:url"]))
            .map(|u| u.trim().to_string())
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"));

        let published = ld
            .published
            .as_deref()
            .and_then(plausible_date)
            .or_else(|| PUBLISHED_META.iter().find_map(|n| meta(&[n]).as_deref().and_then(plausible_date)))
            .or_else(|| facts.itemprop_published.iter().find_map(|d| d.date()))
            .or_else(|| url.or(canonical.as_deref()).and_then(date_from_url))
            .or_else(|| first_time_element(&facts.times))
            .or_else(|| dated_element_text(&facts.dated));

        let author = ld
            .author
            .clone()
            .or_else(|| meta(AUTHOR_META).filter(|a| !a.starts_with("http")))
            .or_else(|| facts.bylines.iter().find_map(|b| byline_name(b)))
            .map(|a| a.trim_start_matches("By ").trim_start_matches("by ").trim().to_string())
            .filter(|a| !a.is_empty());

        let language = facts
            .lang
            .clone()
            .or_else(|| meta(&["content-language", "og:locale", "dc.language", "language"]))
            .and_then(|l| language_code(&l));

        let site = meta(SITE_META).or(ld.publisher);
        let title =
            meta(TITLE_META).or(ld.headline).or(facts.title).map(|t| headline(t, facts.h1.as_deref(), site.as_deref()));

        PageMeta { title, published, author, site, canonical, language }
    }
}

/// The headline in a title: the page's `<h1>` when the title starts with it
/// (titles append the site's name or a tagline: "Storm closes port | The
/// Courier"), else the title without a trailing part that names the site.
fn headline(title: String, h1: Option<&str>, site: Option<&str>) -> String {
    let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let t = key(&title);
    if let Some(h1) = h1 {
        let h = key(h1);
        if h.len() >= 8 && t.starts_with(&h) {
            return h1.to_string();
        }
    }
    for sep in [" | ", " - ", " – ", " — ", " » ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && site.is_some_and(|s| !key(s).is_empty() && key(tail).contains(&key(s)))
            && head.split_whitespace().count() >= 2
        {
            return head.trim().to_string();
        }
    }
    title
}

/// Longest byline read: a name or a few, with "By" and a role.
const MAX_BYLINE_CHARS: usize = 80;

/// The name in a byline element's text ("By Ann Lee, Staff Writer" → "Ann
/// Lee, Staff Writer"), if it reads like one: short, starting with a capital,
/// with no sentence in it.
fn byline_name(text: &str) -> Option<String> {
    let t = collapse(text);
    let t = t.strip_prefix("By ").or_else(|| t.strip_prefix("by ")).or_else(|| t.strip_prefix("BY ")).unwrap_or(&t);
    let t = t.trim_matches(|c: char| c == ':' || c == '|' || c.is_whitespace());
    let words = t.split_whitespace().count();
    let ok = (1..=8).contains(&words)
        && t.chars().count() <= MAX_BYLINE_CHARS
        && t.chars().next().is_some_and(char::is_uppercase)
        && !t.contains(['.', '!', '?', '@'])
        && !t.chars().any(|c| c.is_ascii_digit());
    ok.then(|| t.to_string())
}

/// An element that may hold a date: its `datetime` and `content` attributes,
/// its text, and the marks (class, itemprop, its parent's class) that say
/// which date it is.
#[derive(Debug, Default)]
struct DateElement {
    attrs: Vec<String>,
    text: String,
    class: String,
    marks: String,
}

impl DateElement {
    fn date(&self) -> Option<String> {
        self.attrs.iter().chain(std::iter::once(&self.text)).find_map(|v| plausible_date(v))
    }
}

/// Everything the metadata is read from, gathered in one walk over the page.
#[derive(Debug, Default)]
struct Facts {
    /// `<meta>` keys (lower-cased `property`, `name`, `itemprop` or
    /// `http-equiv`) and their whitespace-collapsed `content`.
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    lang: Option<String>,
    title: Option<String>,
    json_ld: Vec<String>,
    /// Text of the first `<h1>`.
    h1: Option<String>,
    /// Texts of elements that name the author: `[itemprop=author]`,
    /// `[rel=author]`, and classes `byline` or `author-name`, in page order.
    bylines: Vec<String>,
    /// `[itemprop=datePublished]` and `time[pubdate]` elements.
    itemprop_published: Vec<DateElement>,
    /// `time[datetime]` elements.
    times: Vec<DateElement>,
    /// Elements whose class mentions a date (`[class*=date]`, `publish`,
    /// `posted`), with their class lower-cased.
    dated: Vec<DateElement>,
}

/// Most elements of each kind of date candidate kept: the page's own date is
/// near its top; a page listing ten thousand dates is not telling which.
const MAX_DATE_CANDIDATES: usize = 64;

impl Facts {
    fn collect(doc: &Html) -> Facts {
        let mut f = Facts::default();
        for node in doc.tree.root().descendants() {
            let Some(el) = node.value().as_element() else { continue };
            let name = el.name();
            match name {
                "meta" => {
                    let key = ["property", "name", "itemprop", "http-equiv"]
                        .iter()
                        .find_map(|a| attr(el, a).filter(|v| !v.trim().is_empty()));
                    if let (Some(key), Some(value)) = (key, attr(el, "content")) {
                        let value = collapse(value);
                        if !value.is_empty() {
                            f.metas.push((key.trim().to_ascii_lowercase(), value));
                        }
                    }
                }
                "link"
                    if f.canonical.is_none()
                        && attr(el, "rel").is_some_and(|r| r.trim().eq_ignore_ascii_case("canonical")) =>
                {
                    f.canonical = attr(el, "href").map(str::to_string);
                }
                "html" if f.lang.is_none() => {
                    f.lang = attr(el, "lang").or_else(|| attr(el, "xml:lang")).map(str::to_string);
                }
                "h1" if f.h1.is_none() => {
                    let t = collapse(&text_of(node, MAX_DATE_TEXT_BYTES));
                    if !t.is_empty() {
                        f.h1 = Some(t);
                    }
                }
                "title" if f.title.is_none() => {
                    let t = collapse(&text_of(node, MAX_DATE_TEXT_BYTES));
                    if !t.is_empty() {
                        f.title = Some(t);
                    }
                }
                "script" if attr(el, "type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) => {
                    f.json_ld.push(text_of(node, MAX_JSON_LD_BYTES));
                }
                _ => {}
            }
            // One scan of the attributes for what every element is asked.
            let (mut itemprop, mut rel, mut class, mut datetime, mut pubdate) = (None, None, "", false, false);
            for (q, v) in el.attrs.iter() {
                match &*q.local {
                    "itemprop" => itemprop = Some(&**v),
                    "rel" => rel = Some(&**v),
                    "class" => class = &**v,
                    "datetime" => datetime = true,
                    "pubdate" => pubdate = true,
                    _ => {}
                }
            }
            let names_author = itemprop == Some("author")
                || rel == Some("author")
                || ["byline", "author-name", "author__name"].iter().any(|w| contains_ignore_case(class, w));
            if names_author && f.bylines.len() < MAX_DATE_CANDIDATES {
                f.bylines.push(text_of(node, MAX_DATE_TEXT_BYTES));
            }
            let published_prop = itemprop == Some("datePublished") || (name == "time" && pubdate);
            let date_class = ["date", "publish", "posted"].iter().any(|w| contains_ignore_case(class, w));
            let is_time = name == "time" && datetime;
            if !(published_prop || date_class || is_time) {
                continue;
            }
            let class_lc = class.to_ascii_lowercase();
            let date_el = || {
                let parent_class = node
                    .parent()
                    .and_then(|p| p.value().as_element().and_then(|e| attr(e, "class")))
                    .unwrap_or_default();
                DateElement {
                    attrs: ["datetime", "content"].iter().filter_map(|a| attr(el, a)).map(str::to_string).collect(),
                    text: text_of(node, MAX_DATE_TEXT_BYTES),
                    class: class_lc.clone(),
                    marks: format!("{class} {} {parent_class}", attr(el, "itemprop").unwrap_or_default())
                        .to_ascii_lowercase(),
                }
            };
            if published_prop && f.itemprop_published.len() < MAX_DATE_CANDIDATES {
                f.itemprop_published.push(date_el());
            }
            if is_time && f.times.len() < MAX_DATE_CANDIDATES {
                f.times.push(date_el());
            }
            if date_class && f.dated.len() < MAX_DATE_CANDIDATES {
                f.dated.push(date_el());
            }
        }
        f
    }
}

/// Longest JSON-LD block read: real ones are a few KiB; a page's whole
/// catalogue in one script is not its article's metadata.
const MAX_JSON_LD_BYTES: usize = 256 * 1024;

/// Text read from a date or title element: well past any date line (which
/// [`MAX_DATE_LINE_CHARS`] bounds anyway), never a whole page section.
const MAX_DATE_TEXT_BYTES: usize = 1024;

/// Text of an element's subtree, cut at `limit` bytes.
fn text_of(node: ego_tree::NodeRef<'_, scraper::Node>, limit: usize) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        if let Some(t) = d.value().as_text() {
            let room = limit.saturating_sub(out.len());
            if t.len() > room {
                let mut end = room;
                while !t.is_char_boundary(end) {
                    end -= 1;
                }
                out.push_str(&t[..end]);
                break;
            }
            out.push_str(t);
        }
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first usable ISO 639 code in a `lang` value (`en-GB` → `en`).
fn language_code(raw: &str) -> Option<String> {
    let primary = raw.trim().split(['-', '_', ',', ';', ' ']).next()?.to_ascii_lowercase();
    (2..=3).contains(&primary.len()).then_some(primary).filter(|p| p.chars().all(|c| c.is_ascii_lowercase()))
}

/// A normalised date, if the text is one and its year is plausible for a web
/// page.
fn plausible_date(raw: &str) -> Option<String> {
    let d = normalize_date(raw)?;
    let year: i32 = d.get(..4)?.parse().ok()?;
    let this_year: i32 = chrono::Utc::now().format("%Y").to_string().parse().unwrap_or(2100);
    (MIN_YEAR..=this_year + 1).contains(&year).then_some(d)
}

/// A date in the URL path, as news sites write them: `/2025/02/23/`,
/// `/2025-02-23/`, `/20250223/`. Only full dates count: a year and month
/// alone are usually an archive section, not the day of publication.
pub fn date_from_url(url: &str) -> Option<String> {
    let path = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path = path.split(['?', '#']).next()?;
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for w in segments.windows(3) {
        let digits = w.iter().all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
        if digits
            && w[0].len() == 4
            && w[1].len() <= 2
            && w[2].len() <= 2
            && let Some(d) = plausible_date(&format!("{}-{:0>2}-{:0>2}", w[0], w[1], w[2]))
        {
            return Some(d);
        }
    }
    for seg in &segments {
        let bytes = seg.as_bytes();
        for start in 0..bytes.len().saturating_sub(9) {
            // `2025-02-23` anywhere in a segment, bounded by non-digits.
            let bounded = (start == 0 || !bytes[start - 1].is_ascii_digit())
                && (start + 10 == bytes.len() || !bytes[start + 10].is_ascii_digit());
            if bounded
                && bytes[start + 4] == b'-'
                && bytes[start + 7] == b'-'
                && let Some(d) = seg.get(start..start + 10).and_then(plausible_date)
            {
                return Some(d);
            }
        }
        if bytes.len() == 8
            && bytes.iter().all(u8::is_ascii_digit)
            && let Some(d) = plausible_date(seg)
        {
            return Some(d);
        }
    }
    None
}

/// The first `<time datetime>` not marked as an update, for pages that give
/// their date nowhere else.
fn first_time_element(times: &[DateElement]) -> Option<String> {
    times.iter().filter(|t| !t.marks.contains("updat") && !t.marks.contains("modif")).find_map(DateElement::date)
}

/// Class-name words that mark the element holding a page's date line
/// (`<span class="post-date">March 3, 2021</span>`), most specific first.
const DATE_CLASS_HINTS: &[&str] = &["pubdate", "publish", "posted", "entry-date", "post-date", "article-date", "date"];

/// Class-name words that mark some other date: an update, an archive list, a
/// form field being validated.
const OTHER_DATE_HINTS: &[&str] = &["updat", "modif", "archive", "validat", "expir", "comment"];

/// Longest text read from a date-marked element: a date line with its
/// byline, not a paragraph that happens to sit in a `date` block.
pub const MAX_DATE_LINE_CHARS: usize = 120;

/// Words of a date line that give some other date than the first
/// publication's.
const OTHER_DATE_WORDS: &[&str] = &["updat", "modif", "edited", "revised", "reviewed", "expires"];

/// The publication date in a short line of page text ("Published March 3,
/// 2024 by Ann Lee"), unless the line says it is another date ("Updated …").
pub fn date_line(text: &str) -> Option<String> {
    if text.chars().count() > MAX_DATE_LINE_CHARS {
        return None;
    }
    let lower = text.to_lowercase();
    if OTHER_DATE_WORDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    date_in_text(text)
}

/// A human-written date in the first element whose class marks it as the
/// page's date line, for pages with no machine-readable date.
fn dated_element_text(candidates: &[DateElement]) -> Option<String> {
    for hint in DATE_CLASS_HINTS {
        for c in candidates {
            if !c.class.contains(hint) || OTHER_DATE_HINTS.iter().any(|o| c.class.contains(o)) {
                continue;
            }
            if c.text.chars().count() > MAX_DATE_LINE_CHARS {
                continue;
            }
            if let Some(d) = c.date().or_else(|| date_in_text(&c.text)) {
                return Some(d);
            }
        }
    }
    None
}

/// The first unambiguous date written out in `text`: `March 3, 2021`,
/// `3 March 2021`, `2021-03-03`, `2021/03/03`. All-numeric day/month orders
/// (`03/04/2021`) are skipped: they read differently on each side of the
/// Atlantic.
pub fn date_in_text(text: &str) -> Option<String> {
    use std::sync::LazyLock;

    use regex::Regex;
    // Month words from the one calendar list, longest first so that
    // "sept" wins over "sep".
    static MONTH: LazyLock<String> = LazyLock::new(|| {
        let mut words: Vec<&str> = chorus_text::calendar::month_words().collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        format!("({})\\.?", words.join("|"))
    });
    static MDY: LazyLock<Regex> = LazyLock::new(|| {
        let month = MONTH.as_str();
        Regex::new(&format!("(?i)\\b{month}\\s+(\\d{{1,2}})(?:st|nd|rd|th)?,?\\s+(\\d{{4}})\\b")).expect("static regex")
    });
    static DMY: LazyLock<Regex> = LazyLock::new(|| {
        let month = MONTH.as_str();
        Regex::new(&format!("(?i)\\b(\\d{{1,2}})(?:st|nd|rd|th)?\\s+(?:of\\s+)?{month},?\\s+(\\d{{4}})\\b"))
            .expect("static regex")
    });
    static YMD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("\\b(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})\\b").expect("static regex"));
    let month_no = |m: &str| chorus_text::calendar::month(&m.to_ascii_lowercase());
    let ymd = |y: &str, m: u32, d: &str| -> Option<String> {
        let date = chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m, d.parse().ok()?)?;
        plausible_date(&date.format("%Y-%m-%d").to_string())
    };
    let mut found: Vec<(usize, String)> = Vec::new();
    if let Some(c) = MDY.captures(text)
        && let Some(d) = month_no(&c[1]).and_then(|m| ymd(&c[3], m, &c[2]))
    {
        found.push((c.get(0)?.start(), d));
    }
    if let Some(c) = DMY.captures(text)
        && let Some(d) = month_no(&c[2]).and_then(|m| ymd(&c[3], m, &c[1]))
    {
        found.push((c.get(0)?.start(), d));
    }
    if let Some(c) = YMD.captures(text)
        && let Some(d) = c[2].parse().ok().and_then(|m| ymd(&c[1], m, &c[3]))
    {
        found.push((c.get(0)?.start(), d));
    }
    found.into_iter().min_by_key(|(at, _)| *at).map(|(_, d)| d)
}

/// What the page's JSON-LD blocks say about its article.
#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
}

impl JsonLd {
    fn read(scripts: &[String]) -> JsonLd {
        let mut best = JsonLd::default();
        let mut fallback = JsonLd::default();
        for raw in scripts {
            let raw = raw.trim().trim_start_matches("<!--").trim_end_matches("-->").trim();
            let Ok(value) = serde_json::from_str::<Value>(raw) else { continue };
            let mut objects = Vec::new();
            collect_objects(&value, &mut objects, 0);
            for obj in objects {
                let slot = if is_article(obj) { &mut best } else { &mut fallback };
                fill(slot, obj);
            }
        }
        JsonLd {
            headline: best.headline.or(fallback.headline),
            published: best.published.or(fallback.published),
            author: best.author.or(fallback.author),
            publisher: best.publisher.or(fallback.publisher),
        }
    }
}

/// Objects of a JSON-LD value, through arrays and `@graph`, to a bounded depth
/// (a hostile page could nest without end).
fn collect_objects<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect_objects(i, out, depth + 1)),
        Value::Object(map) => {
            out.push(v);
            if let Some(g) = map.get("@graph") {
                collect_objects(g, out, depth + 1);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_objects(main, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn is_article(obj: &Value) -> bool {
    let types: Vec<String> = match obj.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_ascii_lowercase).collect(),
        _ => Vec::new(),
    };
    types.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str()) || t.ends_with("article"))
}

fn fill(slot: &mut JsonLd, obj: &Value) {
    if slot.headline.is_none() {
        slot.headline = str_field(obj, "headline");
    }
    if slot.published.is_none() {
        slot.published = str_field(obj, "datePublished").or_else(|| str_field(obj, "dateCreated"));
    }
    if slot.author.is_none() {
        slot.author = obj.get("author").and_then(person_names);
    }
    if slot.publisher.is_none() {
        slot.publisher = obj.get("publisher").and_then(|p| match p {
            Value::Object(_) => str_field(p, "name"),
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            _ => None,
        });
    }
}

fn str_field(obj: &Value, key: &str) -> Option<String> {
    let s = obj.get(key)?.as_str()?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// `author` as a string, an object with a `name`, or a list of either; several
/// names are joined with `, `.
fn person_names(v: &Value) -> Option<String> {
    let names: Vec<String> = match v {
        Value::String(s) => vec![s.trim().to_string()],
        Value::Object(_) => str_field(v, "name").into_iter().collect(),
        Value::Array(items) => items.iter().filter_map(person_names).collect(),
        _ => Vec::new(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty() && !n.starts_with("http")).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(html: &str, url: Option<&str>) -> PageMeta {
        PageMeta::read(&Html::parse_document(html), url)
    }

    #[test]
    fn json_ld_article_wins_and_published_beats_modified() {
        let page = r#"<html lang="en-GB"><head>
            <meta property="article:modified_time" content="2024-05-02T09:00:00Z">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"BreadcrumbList","name":"Home"},
              {"@type":"NewsArticle","headline":"Ferry service resumes","datePublished":"2024-05-01T07:30:00+01:00",
               "dateModified":"2024-05-02T09:00:00Z","author":[{"@type":"Person","name":"Ida Marsh"},{"name":"Tom Reed"}],
               "publisher":{"@type":"Organization","name":"Harbour Gazette"}}]}</script>
            </head><body><p>Text.</p></body></html>"#;
        let m = meta_of(page, None);
        assert_eq!(m.published.as_deref(), Some("2024-05-01T07:30:00+01:00"));
        assert_eq!(m.author.as_deref(), Some("Ida Marsh, Tom Reed"));
        assert_eq!(m.site.as_deref(), Some("Harbour Gazette"));
        assert_eq!(m.title.as_deref(), Some("Ferry service resumes"));
        assert_eq!(m.language.as_deref(), Some("en"));
    }

    #[test]
    fn meta_tags_then_time_then_url() {
        let m = meta_of(
            r#"<head><meta name="pubdate" content="2023-11-04"><link rel="canonical" href="https://news.example/a"></head>"#,
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2023-11-04"));
        assert_eq!(m.canonical.as_deref(), Some("https://news.example/a"));

        let m = meta_of(
            r#"<body><time class="updated" datetime="2023-12-01">Dec 1</time><time datetime="2023-11-30T10:00:00Z">x</time></body>"#,
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2023-11-30T10:00:00+00:00"));

        let m = meta_of("<body><p>x</p></body>", Some("https://news.example/world/2022/03/07/bridge-opens"));
        assert_eq!(m.published.as_deref(), Some("2022-03-07"));
    }

    #[test]
    fn url_dates() {
        assert_eq!(date_from_url("https://a.example/2021/7/4/x").as_deref(), Some("2021-07-04"));
        assert_eq!(date_from_url("https://a.example/news/story-2020-01-15-title").as_deref(), Some("2020-01-15"));
        assert_eq!(date_from_url("https://a.example/20190102/x.html").as_deref(), Some("2019-01-02"));
        assert_eq!(date_from_url("https://a.example/2021/07/x"), None);
        assert_eq!(date_from_url("https://a.example/1200/13/45/x"), None);
    }

    #[test]
    fn dates_written_out_in_a_date_line() {
        assert_eq!(date_in_text("Posted on March 3rd, 2021 by Ann").as_deref(), Some("2021-03-03"));
        assert_eq!(date_in_text("Updated: 14 Sept. 2019, 10:02").as_deref(), Some("2019-09-14"));
        assert_eq!(date_in_text("2018/7/9").as_deref(), Some("2018-07-09"));
        assert_eq!(date_in_text("03/04/2021"), None);
        assert_eq!(date_in_text("February 30, 2020"), None);
        let m = meta_of(
            r#"<body><ul class="archivedate"><li>May 2010</li></ul><span class="entry-date">June 5, 2012</span></body>"#,
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2012-06-05"));
    }

    #[test]
    fn date_lines_by_the_headline() {
        assert_eq!(date_line("Posted on March 3, 2024 by Ann Lee").as_deref(), Some("2024-03-03"));
        assert_eq!(date_line("Updated March 5, 2024"), None);
        assert_eq!(date_line(&format!("On March 3, 2024 {}", "the council met again ".repeat(10))), None);
    }

    #[test]
    fn headline_without_the_site_name() {
        let site = Some("Coast News");
        assert_eq!(headline("Wall rebuilt | Coast News".into(), None, site), "Wall rebuilt");
        assert_eq!(headline("Wall rebuilt - a long story".into(), Some("Wall rebuilt"), None), "Wall rebuilt");
        assert_eq!(headline("Wall rebuilt - a long story".into(), None, site), "Wall rebuilt - a long story");
        assert_eq!(byline_name("By Ann Lee, Staff Writer").as_deref(), Some("Ann Lee, Staff Writer"));
        assert_eq!(byline_name("Read more from our writers."), None);
    }

    #[test]
    fn implausible_dates_are_dropped() {
        let m = meta_of(r#"<head><meta name="date" content="1066-10-14"></head>"#, None);
        assert_eq!(m.published, None);
    }
}
