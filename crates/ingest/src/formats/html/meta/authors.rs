//! The author: who wrote the article, as the page declares it (JSON-LD, then
//! `<meta>`) or prints it (a byline element by the headline).
//!
//! A declared person wins. A declared name that is only a stand-in for a
//! byline — an organization, the site's own name, a user handle — gives way
//! to a person's byline printed on the page, and is kept only when the page
//! prints none. Bylines are read as a reader reads them: "By Ann Lee and Bo
//! Chen" is both names without the "By"; "Ann Lee • March 3, 2024" is the
//! name without the date; "Reviewed by …" or "Photo by …" is someone else.

use super::collapse;

/// A name the page declares, and whether it is an organization's (a
/// JSON-LD `author` typed other than Person).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Name {
    pub text: String,
    pub organization: bool,
}

/// `<meta>` names and properties that declare the author, most specific
/// first; `citation_author` (scholarly pages) and `article:author` repeat one
/// tag per author.
pub(super) const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "og:article:author",
    "og:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "byl",
    "authors",
];

/// The authors a page's `<meta>` tags declare: every usable value of the
/// first key of [`AUTHOR_META`] that has one (URLs — a profile page given as
/// `article:author` — are skipped, so the next key is tried).
pub(super) fn meta_names(metas: &[(String, String)]) -> Vec<Name> {
    for key in AUTHOR_META {
        let names: Vec<Name> = metas
            .iter()
            .filter(|(k, _)| k == key)
            .filter_map(|(_, v)| declared_name(v))
            .map(|text| if *key == "citation_author" { first_name_first(&text) } else { text })
            .map(|text| Name { text, organization: false })
            .take(16)
            .collect();
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// "Lee, Ann" as "Ann Lee": scholarly pages give `citation_author` family
/// name first, and a list of such names joined with commas would read as
/// twice as many people.
fn first_name_first(name: &str) -> String {
    match name.split_once(',') {
        Some((family, given))
            if !given.contains(',')
                && (1..=3).contains(&family.split_whitespace().count())
                && (1..=3).contains(&given.split_whitespace().count()) =>
        {
            format!("{} {}", given.trim(), family.trim())
        }
        _ => name.to_string(),
    }
}

/// A declared author value cleaned: whitespace collapsed, a leading "By"
/// dropped; `None` for a URL, an e-mail address or a value with no letter.
pub(crate) fn declared_name(raw: &str) -> Option<String> {
    // A profile address given beside the name ("Ann Lee (https://…)") is
    // dropped; a value that is only an address is no name.
    let t: Vec<&str> = raw.split_whitespace().filter(|w| !is_address(w)).collect();
    let t = t.join(" ");
    let t = t.trim_end_matches("()").trim();
    let t = ["By ", "by ", "BY "].iter().find_map(|p| t.strip_prefix(p)).unwrap_or(t);
    let t = t.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '|' | '-'));
    t.chars().any(char::is_alphabetic).then(|| t.to_string())
}

/// Whether a word is a web or e-mail address (in parentheses or not).
fn is_address(word: &str) -> bool {
    let w = word.trim_matches(|c: char| matches!(c, '(' | ')' | '<' | '>' | '[' | ']')).to_ascii_lowercase();
    w.starts_with("http") || w.starts_with("www.") || w.contains("://") || (w.contains('@') && w.contains('.'))
}

/// A declared name that stands in for a byline rather than being one: an
/// organization, the site's own name, or a single lower-case or dotted token
/// (a user handle: "jdoe", "ann.lee").
fn stand_in(name: &Name, site: Option<&str>) -> bool {
    let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let handle = !name.text.contains(' ')
        && (!name.text.chars().any(char::is_uppercase)
            || name.text.contains(['.', '_'])
            || name.text.chars().any(|c| c.is_ascii_digit()));
    name.organization || handle || site.is_some_and(|s| !key(s).is_empty() && key(s) == key(&name.text))
}

/// An element the page marks as naming the author, with how specific the
/// mark is: 0 for `itemprop=author`, `rel=author` and name classes
/// (`author-name`, `byline__name`), 1 for the broader words (`byline`,
/// `author`, `writer`, links to `/author/` pages).
#[derive(Debug)]
pub(super) struct Byline {
    pub text: String,
    pub tier: u8,
    /// The element's parent: co-authors marked one by one are siblings.
    pub parent: u64,
    /// Whether the mark itself says the text is a name (tier 0, or a link
    /// to an author page), so a lower-case or one-word name is taken.
    pub named: bool,
}

/// The article's author: declared persons (JSON-LD, else `<meta>`), else the
/// first byline marked on the page; and, apart, a declared stand-in, read
/// only when neither these nor the byline line by the headline (found by
/// the extractor) name anyone.
pub(super) fn choose(
    ld: &[Name],
    meta: &[Name],
    bylines: &[Byline],
    site: Option<&str>,
) -> (Option<String>, Option<String>) {
    let persons = |names: &[Name]| -> Vec<String> {
        names.iter().filter(|n| !stand_in(n, site)).map(|n| n.text.clone()).collect()
    };
    let any = |names: &[Name]| names.iter().map(|n| n.text.clone()).collect::<Vec<_>>();
    let stand_in = [any(ld), any(meta)].into_iter().find(|p| !p.is_empty()).map(join);
    let declared = [persons(ld), persons(meta)].into_iter().find(|p| !p.is_empty());
    match declared.map(join).or_else(|| printed_byline(bylines)) {
        Some(person) => (Some(person), None),
        None => (None, stand_in),
    }
}

/// The name in a line of page text that introduces one ("By Ann Lee",
/// "Written by Ann Lee · March 3"), for the lines by the headline.
pub fn byline_line(text: &str) -> Option<String> {
    if text.chars().count() > MAX_BYLINE_LINE_CHARS || !strip_labels(&collapse(text)).1 {
        return None;
    }
    byline_name(text, false)
}

/// Longest line by the headline read as a byline: a name or a few with the
/// date, as [`super::MAX_DATE_LINE_CHARS`] bounds a date line.
const MAX_BYLINE_LINE_CHARS: usize = 120;

/// The first byline that reads as a name, most specific marks first, with
/// the names of its marked siblings (co-authors).
fn printed_byline(bylines: &[Byline]) -> Option<String> {
    for tier in 0..=1 {
        let mut marked = bylines.iter().filter(|b| b.tier == tier);
        let Some((first, name)) = marked.by_ref().find_map(|b| byline_name(&b.text, b.named).map(|n| (b, n))) else {
            continue;
        };
        let mut names = vec![name];
        for b in marked.filter(|b| b.parent == first.parent) {
            if let Some(n) = byline_name(&b.text, b.named) {
                names.push(n);
            }
        }
        return Some(join(names));
    }
    None
}

/// Names joined with ", ", repeats (the same name marked twice) dropped.
fn join(names: Vec<String>) -> String {
    let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let mut kept: Vec<String> = Vec::new();
    for n in names {
        let k = key(&n);
        if !kept.iter().any(|m| key(m) == k) {
            kept.push(n);
        }
    }
    kept.join(", ")
}

/// Longest byline read: a name or a few, with a role.
pub(super) const MAX_BYLINE_CHARS: usize = 80;

/// Most words in a byline: a few names with a role ("Ann Lee and Bo Chen,
/// Staff Writers").
const MAX_BYLINE_WORDS: usize = 8;

/// Credits a byline element may hold that name someone other than the
/// author.
const OTHER_CREDITS: &[&str] = &[
    "reviewed",
    "medically reviewed",
    "fact checked",
    "fact-checked",
    "edited by",
    "photo",
    "image",
    "illustration",
    "video by",
    "produced by",
];

/// Labels that introduce the name ("By", "Written by", "View all posts by"),
/// lower case; a name never starts with them.
const LABELS: &[&str] = &[
    "view all posts by",
    "all posts by",
    "more posts by",
    "more from",
    "more by",
    "articles by",
    "stories by",
    "written by",
    "authored by",
    "posted by",
    "words by",
    "story by",
    "report by",
    "reported by",
    "authors",
    "author",
    "written",
    "posted",
    "by",
];

/// `t` without its leading labels ("By", "Author:"), and whether one of them
/// introduces a name ("By", "Written by", "Author"; not "Posted" alone).
fn strip_labels(t: &str) -> (&str, bool) {
    let mut t = t.trim_start();
    let mut stripped = false;
    'again: loop {
        for label in LABELS {
            if t.len() >= label.len()
                && t.is_char_boundary(label.len())
                && t[..label.len()].eq_ignore_ascii_case(label)
                // "By Ann", or "byAnn" where inline markup ran the label into
                // the name; never "Byron".
                && t[label.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() || (c.is_uppercase() && &t[..label.len()] == *label))
            {
                t = t[label.len()..].trim_start_matches(|c: char| c.is_whitespace() || c == ':' || c == '-');
                // "By", "Written by", "Author:" introduce a name; "Posted"
                // alone may introduce a section ("Posted under Tires").
                stripped |= label.ends_with("by") || label.starts_with("author");
                continue 'again;
            }
        }
        return (t, stripped);
    }
}

/// Labels that introduce the name further into a line ("This post was
/// written by Ann Lee"), lower case.
const INNER_LABELS: &[&str] = &["written by ", "authored by ", "posted by ", "words by ", "story by ", "reported by "];

/// Words of an author box's links that end a name ("A. J. Neal View in
/// digital edition", "Ann Lee Follow").
const CUT_WORDS: &[&str] =
    &["view", "read", "follow", "share", "subscribe", "sign", "click", "contact", "visit", "email"];

/// Lower-case words inside names.
const PARTICLES: &[&str] =
    &["van", "von", "de", "der", "den", "da", "das", "dos", "del", "di", "du", "la", "le", "bin", "al"];

/// Words a name never starts with: the links and buttons of an author box
/// ("Read more", "View profile", "Sign in", "Follow").
const NOT_FIRST: &[&str] = &[
    "read",
    "more",
    "view",
    "see",
    "sign",
    "log",
    "login",
    "subscribe",
    "follow",
    "share",
    "click",
    "contact",
    "visit",
];

/// Words after which a byline goes on about something else: the date line
/// ("Updated", "Published", "Posted on"), or a preposition ("on behalf of",
/// "in Politics", "with …").
const BYLINE_ENDS: &[&str] =
    &["updated", "published", "posted", "last", "on", "at", "in", "under", "for", "via", "with", "from", "|"];

/// The name in a byline element's text ("By Ann Lee, Staff Writer" → "Ann
/// Lee, Staff Writer"; "Dec. 19, 2025 · Ann Lee" → "Ann Lee"), if it reads
/// like one: short, starting with a letter (a capital unless "By" introduced
/// it), with no sentence in it.
pub(super) fn byline_name(text: &str, marked: bool) -> Option<String> {
    let t = collapse(text);
    let lower = t.to_lowercase();
    if OTHER_CREDITS.iter().any(|c| lower.starts_with(c)) {
        return None;
    }
    t.split(['•', '·', '|', '—', '–', '●', '∙'])
        .flat_map(|s| s.split(" - "))
        .find_map(|seg| name_in_segment(seg, marked))
}

fn name_in_segment(seg: &str, marked: bool) -> Option<String> {
    // "This post was written by Ann Lee": the name follows the label.
    let lower = seg.to_ascii_lowercase();
    let seg = INNER_LABELS
        .iter()
        .filter_map(|l| lower.find(l).map(|at| &seg[at..]))
        .min_by_key(|rest| std::cmp::Reverse(rest.len()))
        .unwrap_or(seg);
    let (t, by) = strip_labels(seg.trim());
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    // Markup or code that reached the text (`img alt=''`) is no byline.
    if t.contains(['<', '>', '=', '{', '}', '[', ']']) {
        return None;
    }
    // Cut where the byline turns to a date or to something else.
    let mut words: Vec<&str> = Vec::new();
    let mut at_digit = false;
    for w in t.split_whitespace() {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        at_digit = w.chars().any(|c| c.is_ascii_digit());
        let ends = at_digit
            || (!words.is_empty() && CUT_WORDS.contains(&bare.as_str()))
            || (!words.is_empty() && BYLINE_ENDS.contains(&bare.as_str()) && !w.starts_with(char::is_uppercase))
            || (!words.is_empty() && ["updated", "update", "published", "posted"].contains(&bare.as_str()));
        if ends {
            break;
        }
        words.push(w);
    }
    // A month or weekday name left before the cut date ("Ann Lee December",
    // "Sat, Dec 20, 2025"), or the "Last" of "Last updated".
    while words.last().is_some_and(|w| {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        let calendar = chorus_text::calendar::month(&bare).is_some() || chorus_text::calendar::weekday(&bare).is_some();
        (at_digit && calendar && bare.len() > 2) || bare == "last"
    }) {
        words.pop();
    }
    // The same name twice (a link and its text, a desktop and a mobile copy).
    let half = words.len() / 2;
    if half > 0 && words.len().is_multiple_of(2) && words[..half] == words[half..] {
        words.truncate(half);
    }
    let mut name = words.join(" ");
    if words.len() > MAX_BYLINE_WORDS
        && let Some((head, _)) = name.split_once(',')
    {
        name = head.to_string();
    }
    let name = name
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '(' | ')'))
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')')
        .trim_end();
    let n_words = name.split_whitespace().count();
    let lower = name.to_lowercase();
    let ok = (1..=MAX_BYLINE_WORDS).contains(&n_words)
        && name.chars().count() <= MAX_BYLINE_CHARS
        // A capital, unless "By" or the author markup itself says it is a name.
        && name.chars().next().is_some_and(|c| c.is_uppercase() || ((by || marked) && c.is_alphabetic()))
        // A period ends an abbreviation or an initial ("Dr.", "C."), not a
        // word of a sentence ("our writers.").
        && !name.split_whitespace().any(|w| w.ends_with('.') && w.chars().filter(|c| c.is_alphabetic()).count() > 3)
        && !lower.split_whitespace().next().is_some_and(|w| NOT_FIRST.contains(&w))
        && !name.contains(['!', '?', '@', '"', '“', '”'])
        // Names are capitalised; a phrase of the biography is not
        // ("Ann writes about tides").
        && (n_words < 3 || 2 * name.split_whitespace().filter(|w| w.starts_with(char::is_uppercase)).count() >= n_words)
        // One word ("Stefan", "BeauHD") is a name only where "By" or the
        // author markup says so: a broader mark also holds a section
        // ("Lifestyle") or a link ("YouTube").
        && (n_words >= 2 || by || marked)
        // Two words are a first and a family name, both capitalised but for
        // a particle ("Nick van Mead" has three): "Ray graduated" is a
        // biography's start, "Personal finance" a section.
        && (n_words != 2
            || by
            || marked
            || name.split_whitespace().nth(1).is_some_and(|w| {
                w.starts_with(|c: char| !c.is_lowercase()) || PARTICLES.contains(&w.to_lowercase().as_str())
            }))
        && !LABELS.contains(&lower.as_str())
        && !lower.split_whitespace().next().is_some_and(|w| BYLINE_ENDS.contains(&w));
    ok.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(s: &str) -> Name {
        Name { text: s.into(), organization: false }
    }

    #[test]
    fn bylines_read_as_a_reader_reads_them() {
        assert_eq!(byline_name("By Ann Lee, Staff Writer", false).as_deref(), Some("Ann Lee, Staff Writer"));
        assert_eq!(byline_name("By Ann Lee and Bo Chen", false).as_deref(), Some("Ann Lee and Bo Chen"));
        assert_eq!(byline_name("Written by: Dr. Ann C. Lee", false).as_deref(), Some("Dr. Ann C. Lee"));
        assert_eq!(byline_name("Ann Lee • March 3, 2024", false).as_deref(), Some("Ann Lee"));
        assert_eq!(byline_name("Dec. 19, 2025 · Ann Lee on behalf of the team", false).as_deref(), Some("Ann Lee"));
        assert_eq!(byline_name("Ann Lee December 17, 2025", false).as_deref(), Some("Ann Lee"));
        assert_eq!(byline_name("Ann Lee Last Updated August 1, 2025", false).as_deref(), Some("Ann Lee"));
        assert_eq!(byline_name("View all posts by Ann Lee", false).as_deref(), Some("Ann Lee"));
        assert_eq!(byline_name("by annlee", false).as_deref(), Some("annlee"));
        assert_eq!(byline_name("By", false), None);
        assert_eq!(byline_name("Posted on March 3, 2024", false), None);
        assert_eq!(byline_name("Posted by:", false), None);
        assert_eq!(byline_name("Reviewed by Bo Chen", false), None);
        assert_eq!(byline_name("Read more from our writers.", false), None);
        assert_eq!(byline_name("Ann writes about tides and harbours", false), None);
        assert_eq!(byline_name("Nick van Mead", false).as_deref(), Some("Nick van Mead"));
        assert_eq!(
            byline_name("Posted by jdoe on Friday December 19, 2025 from the dept.", false).as_deref(),
            Some("jdoe")
        );
        assert_eq!(
            byline_name("This post was written by Ann Lee, Head of Marketing", false).as_deref(),
            Some("Ann Lee, Head of Marketing")
        );
        assert_eq!(byline_name("& Bo Chen", false).as_deref(), Some("Bo Chen"));
        assert_eq!(byline_name("Sign In", false), None);
        assert_eq!(byline_name("annlee", false), None);
        assert_eq!(byline_name("annlee", true).as_deref(), Some("annlee"));
        assert_eq!(byline_name("Ann Lee is a reporter who has covered the harbour for ten years.", false), None);
    }

    #[test]
    fn declared_values() {
        assert_eq!(declared_name(" By Ann Lee ").as_deref(), Some("Ann Lee"));
        assert_eq!(declared_name("https://www.facebook.com/coastnews"), None);
        assert_eq!(declared_name("desk@coast.example"), None);
        assert_eq!(declared_name("Ann Lee (https://ann.example/)").as_deref(), Some("Ann Lee"));
        let metas = vec![
            ("article:author".to_string(), "https://coast.example/staff/ann".to_string()),
            ("citation_author".to_string(), "Ann Lee".to_string()),
            ("citation_author".to_string(), "Bo Chen".to_string()),
        ];
        assert_eq!(meta_names(&metas), vec![person("Ann Lee"), person("Bo Chen")]);
        let metas = vec![
            ("citation_author".to_string(), "Lee, Ann".to_string()),
            ("citation_author".to_string(), "Chen, Bo K.".to_string()),
        ];
        assert_eq!(meta_names(&metas), vec![person("Ann Lee"), person("Bo K. Chen")]);
    }

    #[test]
    fn a_printed_person_beats_a_declared_stand_in() {
        let bylines = vec![
            Byline { text: "By".into(), tier: 1, parent: 1, named: false },
            Byline { text: "Ann Lee".into(), tier: 0, parent: 2, named: true },
            Byline { text: "Bo Chen".into(), tier: 0, parent: 2, named: true },
            Byline { text: "Cy Dunn".into(), tier: 0, parent: 9, named: true },
        ];
        let org = Name { text: "Coast News".into(), organization: true };
        let first = |c: (Option<String>, Option<String>)| c.0;
        assert_eq!(first(choose(std::slice::from_ref(&org), &[], &bylines, None)).as_deref(), Some("Ann Lee, Bo Chen"));
        assert_eq!(first(choose(&[person("coast_news")], &[], &bylines, None)).as_deref(), Some("Ann Lee, Bo Chen"));
        assert_eq!(
            first(choose(&[person("Coast News")], &[], &bylines, Some("Coast News"))).as_deref(),
            Some("Ann Lee, Bo Chen")
        );
        assert_eq!(choose(std::slice::from_ref(&org), &[], &[], None), (None, Some("Coast News".to_string())));
        assert_eq!(first(choose(&[person("Dee Ems")], &[person("X Y")], &bylines, None)).as_deref(), Some("Dee Ems"));
        assert_eq!(first(choose(&[org], &[person("X Y")], &bylines, None)).as_deref(), Some("X Y"));
        assert_eq!(byline_line("By Ann Lee · March 3, 2024").as_deref(), Some("Ann Lee"));
        assert_eq!(byline_line("Ann Lee"), None);
        assert_eq!(byline_name("Sat, Dec 20, 2025", false), None);
        assert_eq!(byline_name("byAnn Lee, Editor", false).as_deref(), Some("Ann Lee, Editor"));
        assert_eq!(byline_name("Byron Lee", false).as_deref(), Some("Byron Lee"));
        assert_eq!(byline_name("BYRON LEE", false).as_deref(), Some("BYRON LEE"));
        assert_eq!(byline_name("A. J. Neal View In Digital Edition", false).as_deref(), Some("A. J. Neal"));
        assert_eq!(byline_name("Ann Lee ●", false).as_deref(), Some("Ann Lee"));
        assert_eq!(byline_name("img alt=''", false), None);
        assert_eq!(byline_name("Posted under Car Tires", false), None);
        assert_eq!(byline_name("Ray graduated from NYU with a degree", false), None);
        assert_eq!(byline_name("Authored by: Dr. Ann Lee", false).as_deref(), Some("Dr. Ann Lee"));
        assert_eq!(byline_name("Ann de Lee", false).as_deref(), Some("Ann de Lee"));
        assert_eq!(byline_name("Lifestyle", false), None);
        assert_eq!(byline_name("Ann Lee Ann Lee", false).as_deref(), Some("Ann Lee"));
        assert_eq!(byline_name("Ann Lee Last update 3 days ago", false).as_deref(), Some("Ann Lee"));
        assert_eq!(byline_name("Lifestyle", true).as_deref(), Some("Lifestyle"));
    }
}
