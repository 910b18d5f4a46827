//! Page metadata: headline, published date, author, site name, canonical URL
//! and declared language, from `<meta>` tags, JSON-LD, `<time>` elements,
//! bylines and the URL, gathered in one walk over the parsed page
//! ([`Facts`]). The published date is read in `dates`, the author in
//! `authors`, the JSON-LD blocks in `json_ld`.
//!
//! The content extractor reads its own metadata too; this module adds what it
//! lacks (the publication date with its time, never the modification date; the
//! canonical URL; the declared language) and serves as a fallback for the rest.

mod authors;
mod dates;
mod json_ld;

use std::hash::{Hash, Hasher};

use scraper::Html;

use super::{attr, contains_ignore_case};
use authors::Byline;
pub use authors::byline_line;
use dates::{DateElement, dated_element_text, first_time_element, plausible_date};
pub use dates::{MAX_DATE_LINE_CHARS, date_from_url, date_in_text, date_line};
use json_ld::JsonLd;

/// Metadata read from a page; every field is optional.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub published: Option<String>,
    /// A publication date the page declares in a form its schema does not
    /// allow (a JSON-LD `datePublished` of "Jun 24, 2025"): site builders
    /// fill it with the CMS item's creation. Read only when the page prints
    /// no date at all, after the extractor's date line.
    pub published_fallback: Option<String>,
    pub author: Option<String>,
    /// A declared author that only stands in for a byline (an
    /// organization, the site's own name, a handle): read only when neither
    /// the markup nor the byline line by the headline names a person.
    pub author_fallback: Option<String>,
    pub site: Option<String>,
    pub canonical: Option<String>,
    pub language: Option<String>,
}

const TITLE_META: &[&str] = &["og:title", "twitter:title", "dc.title", "headline"];
const SITE_META: &[&str] = &["og:site_name", "application-name", "publisher", "dc.publisher"];

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

        let canonical = page_address(facts.canonical.as_deref(), &[meta(&["og:url"]), meta(&["twitter:url"])]);

        let (ld_published, published_fallback) = match ld.published.as_deref() {
            Some(d) if dates::iso_date(d) => (plausible_date(d), None),
            Some(d) => (None, plausible_date(d)),
            None => (None, None),
        };
        let published = ld_published
            .or_else(|| dates::meta_published(metas))
            .or_else(|| facts.itemprop_published.iter().find_map(|d| d.date()))
            .or_else(|| url.or(canonical.as_deref()).and_then(date_from_url))
            .or_else(|| first_time_element(&facts.times))
            .or_else(|| dated_element_text(&facts.dated))
            // A byline line often carries the date ("Ann Lee · March 3, 2024").
            .or_else(|| facts.bylines.iter().find_map(|b| date_line(&b.text)))
            .map(|p| {
                // Every time stamp of the page, for its time zone.
                let stamps: Vec<&str> = (ld.stamps.iter().map(String::as_str))
                    .chain(
                        metas.iter().filter(|(k, _)| k.contains("time") || k.contains("date")).map(|(_, v)| v.as_str()),
                    )
                    .chain(facts.itemprop_published.iter().flat_map(|t| t.attrs.iter().map(String::as_str)))
                    .chain(facts.stamps.iter().map(String::as_str))
                    .collect();
                dates::localize(p, &stamps)
            });

        let site = meta(SITE_META).or(ld.publisher.clone());
        let (author, author_fallback) =
            authors::choose(&ld.authors, &authors::meta_names(metas), &facts.bylines, site.as_deref());

        let language = facts
            .lang
            .clone()
            .or_else(|| meta(&["content-language", "og:locale", "dc.language", "language"]))
            .and_then(|l| language_code(&l));

        let ld_headline = ld.headline.filter(|h| agrees_with_titles(h, [facts.title.as_deref(), facts.h1.as_deref()]));
        let title =
            meta(TITLE_META).or(ld_headline).or(facts.title).map(|t| headline(t, facts.h1.as_deref(), site.as_deref()));

        PageMeta { title, published, published_fallback, author, author_fallback, site, canonical, language }
    }
}

/// The page's own address: its `<link rel=canonical>`, else `og:url`, else
/// `twitter:url`, the first that is an absolute `http(s)` address below the
/// site's root. A canonical link written as a path (`/2019/6/e14273`) is
/// read against the host the other addresses give; one that is only the
/// site's root (`https://news.example/`) while another address names the
/// article is a template's default, and is passed over (a front page, whose
/// addresses all are the root, keeps it). The default port (`:443`, `:80`)
/// is dropped.
fn page_address(canonical: Option<&str>, others: &[Option<String>]) -> Option<String> {
    let absolute = |u: &str| u.starts_with("http://") || u.starts_with("https://");
    let origin = others.iter().flatten().map(|u| u.trim()).find(|u| absolute(u)).and_then(|u| {
        let rest = u.split_once("://")?.1;
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        Some(&u[..u.len() - rest.len() + host_end])
    });
    let resolved = canonical.map(str::trim).and_then(|c| match c {
        c if absolute(c) => Some(c.to_string()),
        c if c.starts_with('/') && !c.starts_with("//") => origin.map(|o| format!("{o}{c}")),
        _ => None,
    });
    let candidates: Vec<(String, bool)> = resolved
        .into_iter()
        .chain(others.iter().flatten().map(|u| u.trim().to_string()))
        .filter_map(|u| {
            if !absolute(&u) || u.contains(char::is_whitespace) {
                return None;
            }
            let (scheme, rest) = u.split_once("://")?;
            let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (host, path) = rest.split_at(host_end);
            let host = match scheme {
                "https" => host.strip_suffix(":443").unwrap_or(host),
                _ => host.strip_suffix(":80").unwrap_or(host),
            };
            let below_root = !path.trim_start_matches('/').is_empty();
            (!host.is_empty()).then(|| (format!("{scheme}://{host}{path}"), below_root))
        })
        .collect();
    // An address below the root first; the root when every address says so
    // (the page is the site's front page).
    let below = candidates.iter().find(|(_, below)| *below);
    below.or(candidates.first()).map(|(u, _)| u.clone())
}

/// Whether half or more of the words of four letters or more of `text` are
/// in one of the page's own titles (its `<title>`, its `<h1>`), or the page
/// has none. A JSON-LD `headline` that is not is some other text (a
/// description, a tagline), not this page's headline.
fn agrees_with_titles(text: &str, titles: [Option<&str>; 2]) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 4).map(str::to_lowercase).collect()
    };
    let mine = words(text);
    let known: Vec<&str> = titles.into_iter().flatten().collect();
    known.is_empty()
        || known.iter().any(|t| {
            let theirs = words(t);
            2 * mine.iter().filter(|w| theirs.contains(w)).count() >= mine.len()
        })
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
    /// Elements that name the author (`[itemprop=author]`, `[rel=author]`,
    /// byline and author classes, links to author pages), in page order,
    /// outside comment threads and sidebars.
    bylines: Vec<Byline>,
    /// `[itemprop=datePublished]` and `time[pubdate]` elements.
    itemprop_published: Vec<DateElement>,
    /// `<time>` elements, outside comments, sidebars and teasers.
    times: Vec<DateElement>,
    /// The `datetime` of every `<time>` element, for the page's time zone.
    stamps: Vec<String>,
    /// Elements whose class mentions a date or a byline (`[class*=date]`,
    /// `publish`, `publicat`, `posted`, `byline`), with their class
    /// lower-cased.
    dated: Vec<DateElement>,
}

/// Most elements of each kind of date candidate kept: the page's own date is
/// near its top; a page listing ten thousand dates is not telling which.
const MAX_DATE_CANDIDATES: usize = 64;

impl Facts {
    fn collect(doc: &Html) -> Facts {
        let mut f = Facts::default();
        let mut seen: rustc_hash::FxHashMap<&str, u8> = rustc_hash::FxHashMap::default();
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
                    f.canonical = attr(el, "href").map(str::trim).filter(|h| !h.is_empty()).map(str::to_string);
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
            let mut a = Marks::default();
            for (q, v) in el.attrs.iter() {
                match &*q.local {
                    "itemprop" => a.itemprop = Some(&**v),
                    "rel" => a.rel = Some(&**v),
                    "class" => a.class = &**v,
                    "id" => a.id = &**v,
                    "href" => a.href = &**v,
                    "pubdate" => a.pubdate = true,
                    _ => {}
                }
            }
            let class = a.class;
            // Pages repeat their class values (list items, cards): each is
            // scanned once.
            let mut words_of = |v| -> u8 {
                if str::is_empty(v) {
                    return 0;
                }
                *seen.entry(v).or_insert_with(|| class_words(v))
            };
            let class_bits = words_of(a.class);
            a.words = class_bits | words_of(a.id);
            let class_date = class_bits & DATE_WORD != 0;
            if f.bylines.len() < MAX_DATE_CANDIDATES
                && let Some(tier) = byline_tier(name, &a)
                && !in_aside(node)
            {
                // An `itemprop=author` holding a whole author box names the
                // author in its `itemprop=name`.
                let text = a
                    .itemprop
                    .filter(|p| contains_ignore_case(p, "author"))
                    .and_then(|_| item_name(node))
                    .unwrap_or_else(|| spaced_text(node, MAX_DATE_TEXT_BYTES));
                let mut h = std::collections::hash_map::DefaultHasher::new();
                node.parent().map(|p| p.id()).hash(&mut h);
                // A link to the author's page names the author, even in one word.
                f.bylines.push(Byline {
                    text,
                    tier,
                    parent: h.finish(),
                    named: tier == 0 || links_to_author(name, &a),
                });
            }
            let published_prop = a.itemprop == Some("datePublished") || (name == "time" && a.pubdate);
            let is_time = name == "time";
            if is_time
                && f.stamps.len() < MAX_DATE_CANDIDATES
                && let Some(d) = attr(el, "datetime")
            {
                f.stamps.push(d.to_string());
            }
            if !(published_prop || class_date || is_time) || in_aside(node) || in_teaser(node) {
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
                    lead: lead_text(node),
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
            if class_date && f.dated.len() < MAX_DATE_CANDIDATES {
                f.dated.push(date_el());
            }
        }
        f
    }
}

/// The attributes of an element that say what it holds.
#[derive(Default)]
struct Marks<'a> {
    itemprop: Option<&'a str>,
    rel: Option<&'a str>,
    class: &'a str,
    id: &'a str,
    href: &'a str,
    pubdate: bool,
    /// [`class_words`] of the class and id.
    words: u8,
}

/// Class words of elements that may hold the page's date line.
const DATE_CLASS_WORDS: &[&str] = &["date", "publish", "publicat", "posted", "byline"];

/// Class and id words of elements that name the author.
const BYLINE_WORDS: &[&str] =
    &["byline", "author", "posted-by", "postedby", "submitted-by", "written-by", "writer", "contributor"];

/// Bits of [`class_words`]: a date word, a byline word, and one of the
/// words a class naming the author's name pairs with `name`.
const DATE_WORD: u8 = 1;
const BYLINE_WORD: u8 = 2;
const NAME_PAIR_WORD: u8 = 4;

/// Bytes of a class or id value read for its words: utility-class soups
/// (Tailwind) run to kilobytes, and the words that name a part come first.
const CLASS_WORD_BYTES: usize = 256;

/// Which of the date and byline words a class or id value holds, in one
/// pass over its first [`CLASS_WORD_BYTES`] (it is asked of every element,
/// and the words are many).
fn class_words(value: &str) -> u8 {
    use std::sync::LazyLock;

    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
    // Each word once, with the bits of every list it is in; the longest
    // match wins where words overlap ("posted-by" over "posted").
    static WORDS: LazyLock<(AhoCorasick, Vec<u8>)> = LazyLock::new(|| {
        let mut patterns: Vec<(&str, u8)> = Vec::new();
        let lists: [(&[&str], u8); 3] = [
            (DATE_CLASS_WORDS, DATE_WORD),
            (BYLINE_WORDS, BYLINE_WORD),
            (&["author", "byline", "writer"], NAME_PAIR_WORD),
        ];
        for (words, bit) in lists {
            for w in words {
                match patterns.iter_mut().find(|(p, _)| p == w) {
                    Some((_, b)) => *b |= bit,
                    None => patterns.push((w, bit)),
                }
            }
        }
        // A longer word holds the bits of the shorter ones inside it.
        let all = patterns.clone();
        for (p, b) in patterns.iter_mut() {
            for (q, c) in &all {
                if p != q && p.contains(q) {
                    *b |= c;
                }
            }
        }
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(patterns.iter().map(|(w, _)| w))
            .expect("static patterns");
        (matcher, patterns.iter().map(|(_, b)| *b).collect())
    });
    if value.is_empty() {
        return 0;
    }
    let mut end = value.len().min(CLASS_WORD_BYTES);
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    let (matcher, bits) = &*WORDS;
    matcher.find_iter(&value[..end]).fold(0, |acc, m| acc | bits[m.pattern().as_usize()])
}

/// Class and id words of the parts of an author box that are not the name:
/// the portrait, the biography, the job title, the follow and share links,
/// the "more from" list. A class word is this word, or starts with it when
/// it has five letters or more (`description`, `thumbnail`): `job` must
/// not match `jobber`, nor `count` `country`.
const NOT_NAME_WORDS: &[&str] = &[
    "bio", "desc", "avatar", "image", "img", "photo", "pic", "thumb", "social", "follow", "share", "comment", "title",
    "about", "more", "label", "role", "job", "position", "count", "icon",
];

/// Whether a class or id value has a word of [`NOT_NAME_WORDS`]; words are
/// split at non-letters and at lower-to-upper case changes (`authorBio`).
fn not_name(value: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if (!c.is_ascii_alphabetic() || (c.is_ascii_uppercase() && prev_lower)) && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        if c.is_ascii_alphabetic() {
            cur.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase();
    }
    words.push(cur);
    words.iter().any(|w| {
        NOT_NAME_WORDS
            .iter()
            .any(|n| w == n || (n.len() >= 5 && w.starts_with(n)) || (*n == "desc" && w.starts_with(n)))
    })
}

/// How specifically an element is marked as naming the author, if it is:
/// 0 for `itemprop=author`, `rel=author` and a class naming the author's
/// name (`author-name`, `byline__name`); 1 for the broader class and id
/// words of [`BYLINE_WORDS`], and links to an author page (`/author/ann-lee`).
fn byline_tier(tag: &str, a: &Marks) -> Option<u8> {
    let token_is =
        |v: Option<&str>, w: &str| v.is_some_and(|v| v.split_whitespace().any(|t| t.eq_ignore_ascii_case(w)));
    if tag == "author" || a.itemprop.is_some_and(|p| contains_ignore_case(p, "author")) || token_is(a.rel, "author") {
        return Some(0);
    }
    if a.words & (BYLINE_WORD | NAME_PAIR_WORD) == 0 && !a.href.contains("/author") {
        return None;
    }
    let name_class = a.words & NAME_PAIR_WORD != 0
        && a.class.split_whitespace().any(|t| {
            ["author", "byline", "writer"].iter().any(|w| contains_ignore_case(t, w))
                && contains_ignore_case(t, "name")
                && !not_name(t)
        });
    if name_class {
        return Some(0);
    }
    let marked = a.words & BYLINE_WORD != 0;
    ((marked && !not_name(a.class) && !not_name(a.id)) || links_to_author(tag, a)).then_some(1)
}

/// Whether an element is a link to an author's page: it names the author,
/// even in one word.
fn links_to_author(tag: &str, a: &Marks) -> bool {
    tag == "a" && (a.href.contains("/author/") || a.href.contains("/authors/"))
}

/// Levels of ancestors looked at for a comment thread or a sidebar around a
/// byline: their markup wraps a comment's author 3–8 levels deep.
const ASIDE_LEVELS: usize = 12;

/// Whether the element sits in a comment thread, a sidebar or a list of
/// related stories (a class or id word starting with one of these, unless it
/// says it holds the content — `sidebar_content` wraps some themes' article;
/// the page's `<body>` classes, which name the page's layout, are not read),
/// whose names are commenters' and other articles' authors.
fn in_aside(node: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
    std::iter::once(node)
        .chain(node.ancestors())
        .take(ASIDE_LEVELS)
        .filter_map(|n| n.value().as_element())
        .filter(|e| !matches!(e.name(), "body" | "html"))
        .any(|e| {
            ["class", "id"].iter().filter_map(|k| attr(e, k)).flat_map(str::split_whitespace).any(|t| {
                ASIDE_WORDS
                    .iter()
                    .any(|w| t.len() >= w.len() && t.is_char_boundary(w.len()) && t[..w.len()].eq_ignore_ascii_case(w))
                    && !contains_ignore_case(t, "content")
            })
        })
}

/// Whether a date element sits in a teaser: a link that holds more than the
/// date (another post's date, headline and excerpt, as cards of recent or
/// related posts are built). A link holding only the date is the article's
/// own permalink, as blog themes print it.
fn in_teaser(node: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
    let Some(link) =
        node.ancestors().take(ASIDE_LEVELS).find(|n| n.value().as_element().is_some_and(|e| e.name() == "a"))
    else {
        return false;
    };
    let own = text_of(node, MAX_DATE_TEXT_BYTES).trim().chars().count();
    text_of(link, MAX_DATE_TEXT_BYTES).trim().chars().count() > own + TEASER_EXTRA_CHARS
}

/// Text a link may hold beside a date and still be the date's permalink
/// ("Posted on March 3, 2024 at 10:15 am by Ann Lee").
const TEASER_EXTRA_CHARS: usize = 40;

/// Words that start the class or id of a comment thread, a sidebar or a list
/// of related stories.
const ASIDE_WORDS: &[&str] = &["comment", "sidebar", "related", "recommend"];

/// Most nodes searched in an author element for its `itemprop=name`.
const ITEM_NAME_NODES: usize = 64;

/// The text of the first `itemprop=name` inside an element.
fn item_name(node: ego_tree::NodeRef<'_, scraper::Node>) -> Option<String> {
    node.descendants()
        .skip(1)
        .take(ITEM_NAME_NODES)
        .find(|d| {
            d.value().as_element().and_then(|e| attr(e, "itemprop")).is_some_and(|p| p.eq_ignore_ascii_case("name"))
        })
        .map(|d| spaced_text(d, MAX_DATE_TEXT_BYTES))
}

/// Text of an element's subtree with a space between its text nodes (a
/// name and the date in the next element are two words, not one), cut at
/// `limit` bytes.
fn spaced_text(node: ego_tree::NodeRef<'_, scraper::Node>, limit: usize) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        if let Some(t) = d.value().as_text() {
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            if out.len() + t.len() + 1 > limit {
                break;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(t);
        }
    }
    out
}

/// Longest JSON-LD block read: real ones are a few KiB; a page's whole
/// catalogue in one script is not its article's metadata.
const MAX_JSON_LD_BYTES: usize = 256 * 1024;

/// Text read from a date or title element: well past any date line (which
/// [`MAX_DATE_LINE_CHARS`] bounds anyway), never a whole page section.
const MAX_DATE_TEXT_BYTES: usize = 1024;

/// The first text of an element that is not blank, trimmed, when it is
/// no longer than a date line ([`MAX_DATE_LINE_CHARS`]).
fn lead_text(node: ego_tree::NodeRef<'_, scraper::Node>) -> String {
    node.descendants()
        .filter_map(|d| d.value().as_text())
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .filter(|t| t.chars().count() <= MAX_DATE_LINE_CHARS)
        .unwrap_or_default()
        .to_string()
}

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
        assert_eq!(date_from_url("https://a.example/blog/2023/october/03/wine/").as_deref(), Some("2023-10-03"));
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
    }

    #[test]
    fn implausible_dates_are_dropped() {
        let m = meta_of(r#"<head><meta name="date" content="1066-10-14"></head>"#, None);
        assert_eq!(m.published, None);
    }

    #[test]
    fn bylines_printed_on_the_page() {
        // A "By" label in its own element, the name in the next.
        let m = meta_of(
            r#"<body><h1>Tide tables</h1><p class="authors--byline">By</p>
               <span class="authors--author" itemprop="author"><a href="/p/ann">Ann Lee</a></span></body>"#,
            None,
        );
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        // An author box: the name, not the biography; a commenter is not the author.
        let m = meta_of(
            r#"<body><div class="comments"><span class="comment-author">Zed Quinn</span></div>
               <div class="post-author"><p class="post-author__bio">Ann writes about tides and harbours for us.</p>
               <p class="post-author__name">Ann Lee</p></div></body>"#,
            None,
        );
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        // Co-authors marked one by one; a link to an author page.
        let m = meta_of(
            r#"<body><div class="by"><span itemprop="author">Ann Lee</span> and <span itemprop="author">Bo Chen</span></div></body>"#,
            None,
        );
        assert_eq!(m.author.as_deref(), Some("Ann Lee, Bo Chen"));
        let m = meta_of(r#"<body><p>Story <a href="https://x.example/author/ann-lee/">Ann Lee</a></p></body>"#, None);
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        // The organization a JSON-LD block names gives way to the printed person.
        let m = meta_of(
            r#"<head><script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Organization","name":"Coast News"}}</script></head>
               <body><div class="byline">By Ann Lee • March 3, 2024</div></body>"#,
            None,
        );
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn time_elements_without_datetime_and_zones() {
        let m = meta_of(r#"<body><hgroup><time>Published on June 04, 2025</time><h1>Mics</h1></hgroup></body>"#, None);
        assert_eq!(m.published.as_deref(), Some("2025-06-04"));
        let m = meta_of(
            r#"<head><meta property="article:published_time" content="2025-12-19T03:05:00+00:00"></head>
               <body><time datetime="2025-12-18T19:05:00-08:00">December 18, 2025</time></body>"#,
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2025-12-18T19:05:00-08:00"));
    }

    #[test]
    fn dates_the_page_prints_over_doubtful_declarations() {
        // A non-ISO JSON-LD date is kept aside; the printed date line wins.
        let m = meta_of(
            r#"<head><script type="application/ld+json">{"@type":"BlogPosting","datePublished":"Jun 24, 2025"}</script></head>
               <body><div class="text__date">August 25, 2024</div></body>"#,
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2024-08-25"));
        assert_eq!(m.published_fallback.as_deref(), Some("2025-06-24"));
        // An update printed in a date element is not the publication.
        let m = meta_of(r#"<body><p class="post-date">Updated: December 9, 2025</p></body>"#, None);
        assert_eq!(m.published, None);
        // The byline line carries the date.
        let m = meta_of(
            r#"<body><div class="author-details"><p>Ann Lee</p><small>December 17, 2025</small></div></body>"#,
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2025-12-17"));
        // A key that says "published" beats the generic `date`.
        let m = meta_of(
            r#"<head><meta name="date" content="2026-03-09"><meta name="published-date" content="2021-02-16"></head>"#,
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2021-02-16"));
    }

    #[test]
    fn a_date_block_that_holds_more_is_read_by_its_first_line() {
        let tags = "<span class=\"tag\"><a href=\"/t/indexing\">academic journal indexing</a></span>".repeat(4);
        let m = meta_of(
            &format!(
                r#"<body><div class="meta date-section-header"><span>Posted on April 13, 2023</span><div class="tags">{tags}</div></div></body>"#
            ),
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2023-04-13"));
        // A long block that opens on a bare date dates an event, not the page.
        let m = meta_of(
            r#"<body><div class="detailDateDesc"><h3>Thursday, January 27, 2022</h3>Open air community farmers market,
               live music, chef demos, kids activities and more each Thursday from noon to five in the town square.</div></body>"#,
            None,
        );
        assert_eq!(m.published, None);
    }

    #[test]
    fn other_posts_dates_are_not_the_articles() {
        // A teaser card (a link holding a date, a headline and more) and a
        // sidebar list come before the article's own date line.
        let m = meta_of(
            r#"<body><a class="card" href="/older"><span class="post-date">March 3, 2021</span>
               <span>An older story about the harbour wall and its repairs</span></a>
               <ul class="sidebar-posts"><li><span class="post-date">April 4, 2022</span></li></ul>
               <h1>Tide tables</h1><a href="/tide-tables"><span class="post-date">May 5, 2023</span></a></body>"#,
            None,
        );
        assert_eq!(m.published.as_deref(), Some("2023-05-05"));
    }

    #[test]
    fn the_pages_own_address() {
        let og = |u: &str| vec![Some(u.to_string()), None];
        assert_eq!(
            page_address(Some("/2019/6/e14273"), &og("https://j.example/x")).as_deref(),
            Some("https://j.example/2019/6/e14273")
        );
        assert_eq!(
            page_address(Some("https://j.example"), &og("https://j.example/blog/a")).as_deref(),
            Some("https://j.example/blog/a")
        );
        assert_eq!(
            page_address(Some("https://j.example:443/a/b"), &og("https://j.example/")).as_deref(),
            Some("https://j.example/a/b")
        );
        assert_eq!(
            page_address(Some("What are wines?"), &og("https://j.example/wine")).as_deref(),
            Some("https://j.example/wine")
        );
        assert_eq!(page_address(None, &og("https://j.example/")).as_deref(), Some("https://j.example/"));
        let m = meta_of(
            r#"<head><link rel="canonical" href><meta property="og:url" content="https://k.example/blog/crm"></head>"#,
            None,
        );
        assert_eq!(m.canonical.as_deref(), Some("https://k.example/blog/crm"));
    }
}
