//! What class names and ids say about an element: words web designers use
//! for the parts of a page, grouped by the part they name. The groups are
//! features; how much each one counts is learned, not set here.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// A set of [`Group`]s, one bit each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hints(pub u16);

impl std::ops::BitOrAssign for Hints {
    fn bitor_assign(&mut self, rhs: Hints) {
        self.0 |= rhs.0;
    }
}

impl std::ops::BitOr for Hints {
    type Output = Hints;
    fn bitor(self, rhs: Hints) -> Hints {
        Hints(self.0 | rhs.0)
    }
}

impl Hints {
    pub fn has(self, g: Group) -> bool {
        self.0 & (1 << g as u16) != 0
    }
}

/// The parts of a page that class names and ids name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Content,
    Nav,
    Footer,
    Header,
    Sidebar,
    Comment,
    Share,
    Related,
    Ad,
    Meta,
    Subscribe,
    Hidden,
    Title,
    Media,
    Card,
}

pub const GROUPS: [Group; 15] = [
    Group::Content,
    Group::Nav,
    Group::Footer,
    Group::Header,
    Group::Sidebar,
    Group::Comment,
    Group::Share,
    Group::Related,
    Group::Ad,
    Group::Meta,
    Group::Subscribe,
    Group::Hidden,
    Group::Title,
    Group::Media,
    Group::Card,
];

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Content => "content",
            Group::Nav => "nav",
            Group::Footer => "footer",
            Group::Header => "header",
            Group::Sidebar => "sidebar",
            Group::Comment => "comment",
            Group::Share => "share",
            Group::Related => "related",
            Group::Ad => "ad",
            Group::Meta => "meta",
            Group::Subscribe => "subscribe",
            Group::Hidden => "hidden",
            Group::Title => "title",
            Group::Media => "media",
            Group::Card => "card",
        }
    }
}

/// Words found anywhere inside a class name or id (they are long enough not
/// to occur by accident inside other words).
const SUBSTRINGS: &[(&str, Group)] = &[
    ("article", Group::Content),
    ("content", Group::Content),
    ("entry", Group::Content),
    ("story", Group::Content),
    ("prose", Group::Content),
    ("richtext", Group::Content),
    ("rich-text", Group::Content),
    ("markdown", Group::Content),
    ("postbody", Group::Content),
    ("post-body", Group::Content),
    ("post_body", Group::Content),
    ("blogpost", Group::Content),
    ("navbar", Group::Nav),
    ("navigation", Group::Nav),
    ("menu", Group::Nav),
    ("breadcrumb", Group::Nav),
    ("pagination", Group::Nav),
    ("pager", Group::Nav),
    ("toolbar", Group::Nav),
    ("skip-link", Group::Nav),
    ("footer", Group::Footer),
    ("copyright", Group::Footer),
    ("colophon", Group::Footer),
    ("legal", Group::Footer),
    ("header", Group::Header),
    ("masthead", Group::Header),
    ("topbar", Group::Header),
    ("sidebar", Group::Sidebar),
    ("side-bar", Group::Sidebar),
    ("widget", Group::Sidebar),
    ("secondary", Group::Sidebar),
    ("comment", Group::Comment),
    ("disqus", Group::Comment),
    ("respond", Group::Comment),
    ("discussion", Group::Comment),
    ("share", Group::Share),
    ("sharing", Group::Share),
    ("social", Group::Share),
    ("follow", Group::Share),
    ("facebook", Group::Share),
    ("twitter", Group::Share),
    ("whatsapp", Group::Share),
    ("linkedin", Group::Share),
    ("related", Group::Related),
    ("recommend", Group::Related),
    ("popular", Group::Related),
    ("trending", Group::Related),
    ("teaser", Group::Related),
    ("promo", Group::Related),
    ("outbrain", Group::Related),
    ("taboola", Group::Related),
    ("recirc", Group::Related),
    ("read-next", Group::Related),
    ("readnext", Group::Related),
    ("suggested", Group::Related),
    ("more-", Group::Related),
    ("most-", Group::Related),
    ("advert", Group::Ad),
    ("sponsor", Group::Ad),
    ("banner", Group::Ad),
    ("dfp", Group::Ad),
    ("adslot", Group::Ad),
    ("ad-slot", Group::Ad),
    ("byline", Group::Meta),
    ("author", Group::Meta),
    ("timestamp", Group::Meta),
    ("dateline", Group::Meta),
    ("date", Group::Meta),
    ("caption", Group::Meta),
    ("credit", Group::Meta),
    ("kicker", Group::Meta),
    ("category", Group::Meta),
    ("newsletter", Group::Subscribe),
    ("subscri", Group::Subscribe),
    ("signup", Group::Subscribe),
    ("sign-up", Group::Subscribe),
    ("cookie", Group::Subscribe),
    ("consent", Group::Subscribe),
    ("gdpr", Group::Subscribe),
    ("modal", Group::Subscribe),
    ("popup", Group::Subscribe),
    ("paywall", Group::Subscribe),
    ("login", Group::Subscribe),
    ("register", Group::Subscribe),
    ("hidden", Group::Hidden),
    ("sr-only", Group::Hidden),
    ("screen-reader", Group::Hidden),
    ("visually", Group::Hidden),
    ("offscreen", Group::Hidden),
    ("title", Group::Title),
    ("headline", Group::Title),
    ("heading", Group::Title),
    ("image", Group::Media),
    ("photo", Group::Media),
    ("gallery", Group::Media),
    ("video", Group::Media),
    ("media", Group::Media),
    ("thumb", Group::Media),
    ("logo", Group::Media),
    ("icon", Group::Media),
    ("card", Group::Card),
    ("tile", Group::Card),
    ("grid", Group::Card),
    ("listing", Group::Card),
    ("feed", Group::Card),
];

/// Short words that count only as a whole word of a class name or id
/// (`ad` in `ad-box`, never in `header` or `loading`).
const WORDS: &[(&str, Group)] = &[
    ("main", Group::Content),
    ("body", Group::Content),
    ("text", Group::Content),
    ("post", Group::Content),
    ("nav", Group::Nav),
    ("foot", Group::Footer),
    ("side", Group::Sidebar),
    ("aside", Group::Sidebar),
    ("rail", Group::Sidebar),
    ("reply", Group::Comment),
    ("print", Group::Share),
    ("email", Group::Share),
    ("more", Group::Related),
    ("latest", Group::Related),
    ("ad", Group::Ad),
    ("ads", Group::Ad),
    ("adv", Group::Ad),
    ("meta", Group::Meta),
    ("tag", Group::Meta),
    ("tags", Group::Meta),
    ("info", Group::Meta),
    ("cta", Group::Subscribe),
    ("hide", Group::Hidden),
    ("item", Group::Card),
    ("list", Group::Card),
];

static SUBSTRING_MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(SUBSTRINGS.iter().map(|(w, _)| w))
        .expect("static patterns")
});

/// Hints of a class/id string.
pub fn of_names(names: &str) -> Hints {
    let mut h = Hints::default();
    for m in SUBSTRING_MATCHER.find_overlapping_iter(names) {
        h.0 |= 1 << SUBSTRINGS[m.pattern().as_usize()].1 as u16;
    }
    for word in names.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() || word.len() > 6 {
            continue;
        }
        if let Some((_, g)) = WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(word)) {
            h.0 |= 1 << *g as u16;
        }
    }
    h
}

/// Hints of one `class` or `id` value.
pub fn of_value(v: &str) -> Hints {
    // Utility-class soups (Tailwind) run to kilobytes; the words that name a
    // part come first.
    let mut end = v.len().min(256);
    while !v.is_char_boundary(end) {
        end -= 1;
    }
    of_names(&v[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_substrings() {
        let h = of_names("site-header main-nav");
        assert!(h.has(Group::Header) && h.has(Group::Nav) && h.has(Group::Content));
        assert!(!h.has(Group::Ad), "`ad` inside `header` is no ad");
        assert!(of_names("ad-box").has(Group::Ad));
        assert!(of_names("ArticleBody").has(Group::Content));
        assert_eq!(of_names("x1 y2"), Hints::default());
    }
}
