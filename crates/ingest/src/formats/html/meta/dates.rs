//! The published date: when the article was first published — never when it
//! was modified — from JSON-LD, `<meta>`, `itemprop`, the URL, `<time>`
//! elements and the page's own date line, in the page's own time zone.

use chrono::{DateTime, FixedOffset};

use crate::date::normalize_date;

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
    "citation_publication_date",
    "citation_online_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
];

/// `<meta>` names that carry some date of the page without saying which,
/// read after every key that says "published": on some pages they hold the
/// date of the last change.
const GENERIC_DATE_META: &[&str] = &["dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "date"];

/// Words of a `<meta>` key that say it holds the publication date, for the
/// keys a site names itself (`published`, `w-published-date`,
/// `article-publication-date`), read after [`PUBLISHED_META`].
const PUBLISHED_KEY_WORDS: &[&str] = &["publish", "publication", "pubdate", "pub_date", "pub-date"];

/// Words of a key, class or line that mark some other date than the first
/// publication's.
const OTHER_KEY_WORDS: &[&str] = &["modif", "updat", "edit", "revis", "expir"];

/// The publication date the page's `<meta>` tags give: the keys of
/// [`PUBLISHED_META`] in order, then any other key that says "published",
/// then the keys of [`GENERIC_DATE_META`].
pub(super) fn meta_published(metas: &[(String, String)]) -> Option<String> {
    let value = |key: &str| metas.iter().filter(|(k, _)| k == key).find_map(|(_, v)| meta_date(v));
    PUBLISHED_META
        .iter()
        .find_map(|k| value(k))
        .or_else(|| {
            metas
                .iter()
                .filter(|(k, _)| {
                    PUBLISHED_KEY_WORDS.iter().any(|w| k.contains(w)) && !OTHER_KEY_WORDS.iter().any(|w| k.contains(w))
                })
                .find_map(|(_, v)| meta_date(v))
        })
        .or_else(|| GENERIC_DATE_META.iter().find_map(|k| value(k)))
}

/// A `<meta>` value read as a date: a machine format, else a date written
/// out in a short value ("2023 Jan 7", as `citation_publication_date`
/// gives it).
fn meta_date(v: &str) -> Option<String> {
    plausible_date(v).or_else(|| (v.len() <= MAX_META_DATE_CHARS).then(|| date_in_text(v)).flatten())
}

/// Longest `<meta>` value read as a written-out date: a date with its time
/// and zone, not a description that mentions one.
const MAX_META_DATE_CHARS: usize = 40;

/// Whether a date is written as ISO 8601 (`2024-03-05…`), as schema.org
/// requires of `datePublished`. Some site builders fill the field with a
/// human-written date that is the CMS item's creation, not the article's
/// publication; such a value is read only when the page prints no date.
pub(super) fn iso_date(raw: &str) -> bool {
    let b = raw.trim().as_bytes();
    b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-'
}

/// Earliest year accepted as a publication date: before the web, a date on a
/// page is a historical date in the text, not when the page was published.
const MIN_YEAR: i32 = 1990;

/// Farthest another time stamp of the page may be from the publication
/// instant for its time zone to be taken as the page's: the stamps of one
/// story (its publication shown in local time, its update, its comments) sit
/// within days of each other, and a month keeps one side of a daylight-saving
/// change most of the year.
const MAX_ZONE_GAP_SECONDS: i64 = 31 * 24 * 3600;

/// The publication instant written in the page's own time zone. Sites often
/// declare it in UTC (`2025-12-19T02:41:41+00:00`) while the page prints the
/// local day (December 18 in New York); when another time stamp on the page
/// (a `<time datetime>`, the modification date, another `<meta>`) carries a
/// non-zero offset, the instant is rewritten in that offset — the nearest
/// such stamp's. The instant itself never changes.
pub(super) fn localize(published: String, stamps: &[&str]) -> String {
    let Ok(at) = DateTime::parse_from_rfc3339(&published) else { return published };
    if at.offset().local_minus_utc() != 0 {
        return published;
    }
    let mut best: Option<(i64, FixedOffset)> = None;
    for s in stamps {
        let Some(d) = normalize_date(s).and_then(|d| DateTime::parse_from_rfc3339(&d).ok()) else { continue };
        if d.offset().local_minus_utc() == 0 {
            continue;
        }
        let gap = (d.timestamp() - at.timestamp()).abs();
        if gap <= MAX_ZONE_GAP_SECONDS && best.is_none_or(|(g, _)| gap < g) {
            best = Some((gap, *d.offset()));
        }
    }
    match best {
        Some((_, offset)) => at.with_timezone(&offset).to_rfc3339(),
        None => published,
    }
}

/// An element that may hold a date: its `datetime` and `content` attributes,
/// its text, and the marks (class, itemprop, its parent's class) that say
/// which date it is.
#[derive(Debug, Default)]
pub(super) struct DateElement {
    pub attrs: Vec<String>,
    pub text: String,
    /// Its first piece of text ([`lead_text`]): the date line of a
    /// date-marked block that holds more (tags, a share bar) after it.
    pub lead: String,
    pub class: String,
    pub marks: String,
}

impl DateElement {
    pub fn date(&self) -> Option<String> {
        self.attrs.iter().chain(std::iter::once(&self.text)).find_map(|v| plausible_date(v))
    }
}

/// A normalised date, if the text is one and its year is plausible for a web
/// page.
pub(super) fn plausible_date(raw: &str) -> Option<String> {
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
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    for w in segments.windows(3) {
        // The month as digits or as a word (`/2023/october/03/`).
        let month = if number(w[1]) && w[1].len() <= 2 {
            w[1].parse().ok()
        } else {
            chorus_text::calendar::month(&w[1].to_ascii_lowercase())
        };
        if number(w[0])
            && number(w[2])
            && w[0].len() == 4
            && w[2].len() <= 2
            && let Some(m) = month
            && let Some(d) = plausible_date(&format!("{}-{:02}-{:0>2}", w[0], m, w[2]))
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

/// The first `<time>` not marked as an update, for pages that give their
/// date nowhere else: its `datetime`, else the date line it holds
/// (`<time>Published on June 4, 2025</time>`).
pub(super) fn first_time_element(times: &[DateElement]) -> Option<String> {
    times
        .iter()
        .filter(|t| !t.marks.contains("updat") && !t.marks.contains("modif"))
        .find_map(|t| t.date().or_else(|| date_line(&t.text)))
}

/// Class-name words that mark the element holding a page's date line
/// (`<span class="post-date">March 3, 2021</span>`), most specific first.
/// A byline often carries the date too ("By Ann Lee · March 3, 2024"), so it
/// is read last.
pub(super) const DATE_CLASS_HINTS: &[&str] =
    &["pubdate", "publish", "publicat", "posted", "entry-date", "post-date", "article-date", "date", "byline"];

/// Class-name words that mark some other date: an update, an archive list, a
/// form field being validated.
const OTHER_DATE_HINTS: &[&str] = &["updat", "modif", "archive", "validat", "expir", "comment"];

/// Longest text read from a date-marked element: a date line with its
/// byline, not a paragraph that happens to sit in a `date` block.
pub const MAX_DATE_LINE_CHARS: usize = 120;

/// Words of a date line that say it gives the publication ("Posted on
/// April 13, 2023", "Published: 3 May 2024").
const PUBLICATION_WORDS: &[&str] = &["publish", "posted"];

/// Words of a date line that give some other date than the first
/// publication's.
const OTHER_DATE_WORDS: &[&str] = &["updat", "modif", "edited", "revised", "reviewed", "expires"];

/// The publication date in a short line of page text ("Published March 3,
/// 2024 by Ann Lee"). A line that names another date ("Updated …") is read
/// only up to that word: "March 3, 2024 · Updated March 5, 2024" gives the
/// first publication, "Updated March 5, 2024" gives none.
pub fn date_line(text: &str) -> Option<String> {
    if text.chars().count() > MAX_DATE_LINE_CHARS {
        return None;
    }
    // ASCII lower case keeps the byte offsets of `text`.
    let lower = text.to_ascii_lowercase();
    match OTHER_DATE_WORDS.iter().filter_map(|w| lower.find(w)).min() {
        Some(at) => date_in_text(&text[..at]),
        None => date_in_text(text),
    }
}

/// A human-written date in the first element whose class marks it as the
/// page's date line, for pages with no machine-readable date.
pub(super) fn dated_element_text(candidates: &[DateElement]) -> Option<String> {
    for hint in DATE_CLASS_HINTS {
        for c in candidates {
            if !c.class.contains(hint) || OTHER_DATE_HINTS.iter().any(|o| c.class.contains(o)) {
                continue;
            }
            // A block longer than a date line is read by its first text
            // only, and only when that says it gives the publication:
            // `<div class="date"><span>Posted on April 13,
            // 2023</span><div class="tags">…</div></div>`. A long block
            // that opens on a bare date is an event's ("Thursday, January
            // 27, 2022" over a calendar entry's description).
            let found = if c.text.chars().count() > MAX_DATE_LINE_CHARS {
                let lead = c.lead.to_ascii_lowercase();
                PUBLICATION_WORDS.iter().any(|w| lead.contains(w)).then(|| date_line(&c.lead)).flatten()
            } else {
                c.date().or_else(|| date_line(&c.text))
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// The first unambiguous date written out in `text`: `March 3, 2021`,
/// `3 March 2021`, `2021 Mar 3` (the citation style of journals),
/// `2021-03-03`, `2021/03/03`, `2021-03-03T10:00`, and the
/// day first with dots (`03.03.2021`, as German, Russian or Norwegian pages
/// write it; no one writes the month first with dots). All-numeric
/// day/month orders with slashes (`03/04/2021`) read differently on each side
/// of the Atlantic and are taken only when one number cannot be a month
/// (`24/2/2026`, `2/24/2026`).
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
        Regex::new(&format!("(?i)\\b{month}\\s+(\\d{{1,2}})(?:st|nd|rd|th)?,?\\s+(\\d{{4}})(?:[^0-9]|$)"))
            .expect("static regex")
    });
    static DMY: LazyLock<Regex> = LazyLock::new(|| {
        let month = MONTH.as_str();
        Regex::new(&format!("(?i)\\b(\\d{{1,2}})(?:st|nd|rd|th)?\\s+(?:of\\s+)?{month},?\\s+(\\d{{4}})(?:[^0-9]|$)"))
            .expect("static regex")
    });
    static YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        let month = MONTH.as_str();
        Regex::new(&format!("(?i)\\b(\\d{{4}})\\s+{month}\\s+(\\d{{1,2}})\\b")).expect("static regex")
    });
    static YMD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("\\b(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})(?:\\b|T)").expect("static regex"));
    static DOTTED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("\\b(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})\\b").expect("static regex"));
    static SLASHED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})\\b").expect("static regex"));
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
    if let Some(c) = YEAR_FIRST.captures(text)
        && let Some(d) = month_no(&c[2]).and_then(|m| ymd(&c[1], m, &c[3]))
    {
        found.push((c.get(0)?.start(), d));
    }
    if let Some(c) = YMD.captures(text)
        && let Some(d) = c[2].parse().ok().and_then(|m| ymd(&c[1], m, &c[3]))
    {
        found.push((c.get(0)?.start(), d));
    }
    if let Some(c) = DOTTED.captures(text)
        && let Some(d) = c[2].parse().ok().and_then(|m| ymd(&c[3], m, &c[1]))
    {
        found.push((c.get(0)?.start(), d));
    }
    if let Some(c) = SLASHED.captures(text) {
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let d = match (a > 12, b > 12) {
            (true, false) => ymd(&c[3], b, &c[1]),
            (false, true) => ymd(&c[3], a, &c[2]),
            _ => None,
        };
        if let Some(d) = d {
            found.push((c.get(0)?.start(), d));
        }
    }
    found.into_iter().min_by_key(|(at, _)| *at).map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_utc_instant_is_written_in_the_pages_zone() {
        let stamps = ["2025-12-18T21:46:01-05:00", "2025-06-01T10:00:00+02:00"];
        assert_eq!(localize("2025-12-19T02:41:41+00:00".into(), &stamps), "2025-12-18T21:41:41-05:00");
        // A page that gives its own offset keeps it; a page with no zoned
        // stamp near the instant keeps UTC.
        assert_eq!(localize("2025-12-19T02:41:41+01:00".into(), &stamps), "2025-12-19T02:41:41+01:00");
        assert_eq!(localize("2023-01-01T00:00:00+00:00".into(), &stamps), "2023-01-01T00:00:00+00:00");
        assert_eq!(localize("2025-12-19".into(), &stamps), "2025-12-19");
    }

    #[test]
    fn meta_keys_a_site_names_itself() {
        let metas = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert_eq!(
            meta_published(&metas("w-published-date", "2025-05-27T06:03:43Z")).as_deref(),
            Some("2025-05-27T06:03:43+00:00")
        );
        assert_eq!(meta_published(&metas("published", "July 17, 2025")).as_deref(), Some("2025-07-17"));
        assert_eq!(meta_published(&metas("citation_publication_date", "2023/01/07")).as_deref(), Some("2023-01-07"));
        assert_eq!(meta_published(&metas("citation_publication_date", "2023 Jan 7")).as_deref(), Some("2023-01-07"));
        assert_eq!(meta_published(&metas("last-published-update", "2025-05-27")), None);
        assert_eq!(meta_published(&metas("modified-date", "2025-05-27")), None);
    }

    #[test]
    fn date_lines_give_the_date_before_an_update() {
        assert_eq!(date_line("August 16, 2019 - Updated July 9, 2020").as_deref(), Some("2019-08-16"));
        assert_eq!(date_line("Last updated: November 13, 2025"), None);
        assert_eq!(date_in_text("Posted 17.05.2021").as_deref(), Some("2021-05-17"));
        assert_eq!(date_in_text("2/24/2026").as_deref(), Some("2026-02-24"));
        assert_eq!(date_in_text("24/2/2026").as_deref(), Some("2026-02-24"));
        assert_eq!(date_in_text("2022-11-23T08:10+02:00").as_deref(), Some("2022-11-23"));
    }
}
