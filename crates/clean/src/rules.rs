//! Line rules for site furniture.
//!
//! Every rule applies only to short lines (at most [`MAX_FURNITURE_WORDS`]
//! words): furniture is a label, a button or a plea, never a paragraph, so a
//! long line is prose whatever words it contains. A keyword pre-filter keeps
//! the cost near zero on ordinary lines.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexSet};

/// Longest line a furniture rule may drop. The longest furniture lines are
/// contact pleas ("Do you have breaking news, … or want your event covered?
/// Email us at …", about 20 words); 30 leaves room while staying well under a
/// news paragraph (typically 35–60 words).
pub const MAX_FURNITURE_WORDS: usize = 30;

/// Words that, lower-cased, can make up a line of widget buttons
/// ("Zoom In Zoom Out Read Later Print", "Share on Facebook Twitter Email").
const WIDGET_WORDS: &[&str] = &[
    "share",
    "shares",
    "shared",
    "sharing",
    "print",
    "printer",
    "email",
    "e-mail",
    "mail",
    "zoom",
    "in",
    "out",
    "read",
    "later",
    "save",
    "saved",
    "bookmark",
    "comment",
    "comments",
    "tweet",
    "pin",
    "copy",
    "link",
    "copied",
    "font",
    "size",
    "text",
    "listen",
    "to",
    "this",
    "article",
    "story",
    "page",
    "the",
    "on",
    "via",
    "a",
    "a+",
    "a-",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "telegram",
    "linkedin",
    "reddit",
    "pinterest",
    "messenger",
    "flipboard",
    "threads",
    "bluesky",
    "sms",
    "gift",
    "more",
    "options",
    "close",
    "reddit",
    "tumblr",
    "vk",
    "line",
    "viber",
    "google",
    "news",
    "audio",
    "min",
    "minute",
    "minutes",
    "follow",
    "us",
    "reading",
    "time",
    "or",
    "and",
    "|",
    "-",
    "·",
    "•",
    "/",
    "+",
    "−",
];

/// Words that make a widget line a widget line (a line of only "the", "on",
/// "this" is not furniture).
const WIDGET_TRIGGERS: &[&str] = &[
    "share",
    "print",
    "zoom",
    "bookmark",
    "tweet",
    "pin",
    "copy",
    "save",
    "email",
    "e-mail",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "linkedin",
    "reddit",
    "pinterest",
    "messenger",
    "flipboard",
    "listen",
    "later",
];

/// Keywords that any furniture line contains at least one of.
const KEYWORDS: &[&str] = &[
    "follow",
    "share",
    "print",
    "zoom",
    "view",
    "read",
    "newsletter",
    "subscribe",
    "sign up",
    "sign-up",
    "email",
    "e-mail",
    "@",
    "whatsapp",
    "telegram",
    "signal",
    "advert",
    "sponsor",
    "promoted",
    "copyright",
    "©",
    "rights reserved",
    "photo",
    "image",
    "picture",
    "credit",
    "related",
    "recommended",
    "continue",
    "click",
    "tap ",
    "contact",
    "reach",
    "cookie",
    "tweet",
    "bookmark",
    "listen",
    "inbox",
    "reads",
    "hits",
    "comment",
    "save",
    "tip",
    "facebook",
    "twitter",
    "instagram",
    "youtube",
    "tiktok",
    "linkedin",
    "download",
    "app",
    "more",
    "trending",
    "watch",
    "also",
    "join",
    "like us",
    "story continues",
    "scroll",
];

static PREFILTER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(KEYWORDS)
        .expect("static keywords")
});

const SOCIAL: &str = r"(x|twitter|facebook|instagram|telegram|whatsapp|youtube|tiktok|linkedin|threads|bluesky|mastodon|snapchat|google news|flipboard|truth social|gab|rumble|gettr|viber|signal)";

static PATTERNS: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns: Vec<String> = [
        // Social prompts: "Follow us on X", "Follow Jane Doe on X: @jdoe",
        // "Follow the Daily channel on WhatsApp:", "Like us on Facebook".
        format!(r"(?i)^\W*(please\s+)?(follow|like|join|subscribe to|find|connect with|add)\b.{{0,80}}\b(on|via|at)\s+{SOCIAL}\b"),
        r"(?i)^\W*follow\s+(us|me|@\w+)\b".to_string(),
        r"(?i)\bfollow\s+@\w+".to_string(),
        // View / read counters: "Total Views : 13", "1.2K views", "Reads: 40".
        r"(?i)^\W*(total\s+)?(page\s*)?(views?|reads|hits|shares|comments)\s*[:\-–]?\s*[\d.,]+\s*[km]?\W*$".to_string(),
        r"(?i)^\W*[\d.,]+\s*[km]?\s+(views?|reads|shares|comments)\W*$".to_string(),
        // "Read the full article here", "Click here to read more", "Continue reading".
        r"(?i)^\W*(read|see|view|click|tap|get)\b.{0,40}\b(full|whole|original|complete|entire)\b.{0,40}$".to_string(),
        r"(?i)^\W*(click|tap)\s+here\b".to_string(),
        r"(?i)^\W*(continue|keep)\s+reading\b".to_string(),
        r"(?i)^\W*read\s+more\s*(here|at|on)?\W*$".to_string(),
        // Link lists: "Related: …", "READ MORE: …", "Also read: …".
        r"(?i)^\W*(related|related articles?|related stories|also read|read also|read more|see also|more on this( story)?|recommended|trending|most read|more from|you may also like|watch)\s*[:|»>\-–—]".to_string(),
        // A link box's heading standing alone: "Related Coverage", "More
        // on this story", "You may also like" — a label, never a statement.
        r"(?i)^\W*(related|recommended|trending|more on this (story|topic)|more stories|you (may|might) also like|see also)(\s+(coverage|articles?|stories|content|links|news|videos?|topics|reading|posts|for you))?\W*$".to_string(),
        // Newsletters and inbox pleas.
        r"(?i)\bnewsletters?\b".to_string(),
        r"(?i)\b(sign\s*-?up|subscribe)\b.{0,60}\b(for|to|today|now|free)\b".to_string(),
        r"(?i)\b(in|to)\s+your\s+inbox\b".to_string(),
        // E-mail, tip and messaging-app pleas, author contact lines.
        r"(?i)\b(e-?mail|write|contact|send|reach|message|tip)\b.{0,60}[\w.+-]+@[\w-]+\.[\w.]+".to_string(),
        r"(?i)[\w.+-]+@[\w-]+\.[a-z]{2,}\W*$".to_string(),
        r"(?i)^\W*(do you have|got)\s+(a\s+)?(news|tip|story|breaking news|question)".to_string(),
        r"(?i)\bcan be (reached|contacted)\s+(at|on|via)\b".to_string(),
        format!(r"(?i)\b(join|subscribe to)\b.{{0,40}}\b(channel|group)\b.{{0,20}}\b{SOCIAL}\b"),
        format!(r"(?i)\b{SOCIAL}\s+channel\b"),
        r"(?i)\bdownload\s+(our|the)\s+.{0,30}\bapp\b".to_string(),
        // Advertisement labels.
        r"(?i)^\W*(advertisement|advertisements|advertising|sponsored( content)?|promoted( content)?|paid content|ad|story continues below( advertisement)?|scroll (down )?to continue.*|article continues below.*)\W*$".to_string(),
        // Copyright lines.
        r"(?i)^\W*(copyright|©|\(c\))\s*.{0,80}$".to_string(),
        r"(?i)\ball rights reserved\b".to_string(),
        // Picture credits: "Photo: Agency/Name", "Image credit: …".
        r"(?i)^\W*(photo|image|picture|video|file photo|illustration)\s*(credit|courtesy)?\s*[:/|]".to_string(),
        // Cookie banners.
        r"(?i)\bcookies?\b.{0,80}\b(accept|consent|policy|agree|settings)\b".to_string(),
    ]
    .into_iter()
    // ASCII word boundaries keep every pattern on the fast lazy DFA (a
    // Unicode `\b` forces the slow PikeVM); all keywords are ASCII.
    .map(|p| p.replace(r"\b", r"(?-u:\b)"))
    .collect();
    RegexSet::new(patterns).expect("static patterns")
});

static WORD_SPLIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\s:,;]+").expect("static"));

/// Whether `line` is site furniture by the line rules.
pub fn is_furniture(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() {
        return false;
    }
    if more_words_than(line, MAX_FURNITURE_WORDS) {
        return false;
    }
    if !has_keyword(line) {
        return false;
    }
    if is_widget_line(line) {
        return true;
    }
    PATTERNS.is_match(line)
}

/// A short line that only introduces what follows ("Follow us:", "Share
/// this:") is furniture when what follows is furniture or nothing.
pub fn is_furniture_lead_in(line: &str, next: Option<&str>) -> bool {
    let t = line.trim();
    if !t.ends_with(':') || t.split_whitespace().count() > 6 {
        return false;
    }
    let lower = t.to_lowercase();
    let lead = ["follow", "share", "subscribe", "connect", "find us", "join", "listen", "watch", "download"];
    lead.iter().any(|w| lower.starts_with(w)) && next.is_none_or(is_furniture)
}

/// Whether `line` has more than `max` space-separated words, stopping as
/// soon as it knows: most lines are long paragraphs, and counting all their
/// words would be the costliest part of cleaning.
pub fn more_words_than(line: &str, max: usize) -> bool {
    let mut words = 0usize;
    let mut in_word = false;
    for b in line.bytes() {
        let space = b == b' ' || b == b'\t';
        if !space && !in_word {
            words += 1;
            if words > max {
                return true;
            }
        }
        in_word = !space;
    }
    false
}

/// Whether a furniture keyword starts a word somewhere in the line ("read"
/// in "Read more" but not in "already"), so that ordinary prose rarely
/// reaches the regular expressions.
fn has_keyword(line: &str) -> bool {
    PREFILTER.find_iter(line).any(|m| {
        let kw_starts_alnum = line[m.start()..].chars().next().is_some_and(char::is_alphanumeric);
        !kw_starts_alnum || !line[..m.start()].chars().next_back().is_some_and(char::is_alphanumeric)
    })
}

fn is_widget_line(line: &str) -> bool {
    if more_words_than(line, 16) {
        return false;
    }
    let lower = line.to_lowercase();
    let mut any_trigger = false;
    let mut count = 0usize;
    for w in WORD_SPLIT.split(&lower).filter(|w| !w.is_empty()) {
        count += 1;
        if !WIDGET_WORDS.contains(&w) {
            return false;
        }
        if WIDGET_TRIGGERS.contains(&w) {
            any_trigger = true;
        }
    }
    any_trigger && count >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_furniture_from_invented_sites() {
        for line in [
            "Follow us on Instagram",
            "Follow Maria Ortega on X: @mortega_writes",
            "Follow the Harbour Gazette channel on Telegram:",
            "Like us on Facebook",
            "Total views: 1,204",
            "3.4K views",
            "Zoom In Zoom Out Read Later Print",
            "Share on Facebook Share on Twitter Email",
            "Share this article",
            "Read the full story here",
            "Click here to read more",
            "Continue reading",
            "READ MORE: Council votes to close the old bridge",
            "Related Coverage",
            "Related Articles",
            "More on this story",
            "You may also like",
            "Recommended for you",
            "Sign up for our morning newsletter",
            "Get the best stories in your inbox",
            "Have a story idea? Email us at desk@valleytimes.example",
            "Do you have a news tip, a question or a complaint? Write to tips@portnews.example",
            "Reporter Sam Lee can be reached at sam.lee@example.org",
            "Advertisement",
            "Story continues below advertisement",
            "© 2025 Northern Ledger Media",
            "All rights reserved.",
            "Photo: Harbour Agency / J. Doe",
            "We use cookies to improve your experience. Accept all cookies",
            "Download our app for breaking alerts",
        ] {
            assert!(is_furniture(line), "should drop: {line}");
        }
    }

    #[test]
    fn keeps_prose() {
        for line in [
            "The mayor said she would follow the council's advice on the bridge.",
            "Police shared photos of the suspect on Monday.",
            "The company said 1,200 people viewed the livestream of the launch event in the capital.",
            "Read more widely, the report suggests the budget was never viable.",
            "Why is the bridge closed?",
            "Related charges were filed against the contractor.",
            "More stories of the flood emerged on Tuesday.",
            "Flood Warnings Across the North",
            "“We will not print money to fix this,” the minister said.",
            "The newspaper's editor, who asked readers to email questions, stepped down after the scandal over its coverage of the mayor's finances and the bridge contract that the council had approved without a vote.",
        ] {
            assert!(!is_furniture(line), "should keep: {line}");
        }
    }

    #[test]
    fn lead_in_lines() {
        assert!(is_furniture_lead_in("Follow us:", Some("Facebook Twitter")));
        assert!(is_furniture_lead_in("Share this:", None));
        assert!(!is_furniture_lead_in("He said:", Some("We will win.")));
    }
}
