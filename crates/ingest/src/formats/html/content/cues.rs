//! What a short block's own words say it is: the phrases of page furniture
//! that sits beside or after an article ("Related stories", "Share this",
//! "Sign up for our newsletter", "Photo: Reuters", "Tags"), grouped by the
//! part they name. Like the class/id [`super::hints`], the groups are
//! features and how much each counts is learned.
//!
//! Only short blocks are read ([`MAX_CUE_CHARS`]): a paragraph of prose that
//! mentions a newsletter or a photo is still prose.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// The parts of a page that a block's words name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Related,
    Share,
    Subscribe,
    Comment,
    Credit,
    Tags,
    Action,
    Legal,
}

pub const CUES: [(Cue, &str); 8] = [
    (Cue::Related, "related"),
    (Cue::Share, "share"),
    (Cue::Subscribe, "subscribe"),
    (Cue::Comment, "comment"),
    (Cue::Credit, "credit"),
    (Cue::Tags, "tags"),
    (Cue::Action, "action"),
    (Cue::Legal, "legal"),
];

impl Cue {
    /// The cue's bit in [`of_text`]'s mask: its place in [`CUES`], which
    /// lists the cues in the enum's order.
    pub fn bit(self) -> u16 {
        1 << self as u8
    }

    pub fn name(self) -> &'static str {
        CUES.iter().find(|(c, _)| *c == self).map(|(_, n)| *n).unwrap_or("")
    }

    /// The cues that end an article when they head a block of their own:
    /// what follows them is furniture, not more of the story.
    pub fn ends_article(self) -> bool {
        matches!(self, Cue::Related | Cue::Share | Cue::Comment | Cue::Tags)
    }
}

/// Longest block (in characters) whose words are read for cues: a heading,
/// a button, a caption or a one-line call to action, not a paragraph.
pub const MAX_CUE_CHARS: u32 = 200;

/// Phrases, matched case-insensitively at the start of a word (matches do
/// not overlap: of "read more" and "more from" in "read more from" the
/// first counts, and both name the same part).
const PHRASES: &[(&str, Cue)] = &[
    ("related", Cue::Related),
    ("read more", Cue::Related),
    ("read also", Cue::Related),
    ("also read", Cue::Related),
    ("read next", Cue::Related),
    ("more from", Cue::Related),
    ("more on ", Cue::Related),
    ("more stories", Cue::Related),
    ("more news", Cue::Related),
    ("more articles", Cue::Related),
    ("you may also", Cue::Related),
    ("you might also", Cue::Related),
    ("you may like", Cue::Related),
    ("also like", Cue::Related),
    ("recommended", Cue::Related),
    ("popular", Cue::Related),
    ("trending", Cue::Related),
    ("see also", Cue::Related),
    ("latest", Cue::Related),
    ("don't miss", Cue::Related),
    ("don’t miss", Cue::Related),
    ("further reading", Cue::Related),
    ("keep reading", Cue::Related),
    ("continue reading", Cue::Related),
    ("up next", Cue::Related),
    ("top stories", Cue::Related),
    ("share", Cue::Share),
    ("tweet", Cue::Share),
    ("follow us", Cue::Share),
    ("follow on", Cue::Share),
    ("facebook", Cue::Share),
    ("twitter", Cue::Share),
    ("whatsapp", Cue::Share),
    ("linkedin", Cue::Share),
    ("pinterest", Cue::Share),
    ("copy link", Cue::Share),
    ("subscribe", Cue::Subscribe),
    ("subscription", Cue::Subscribe),
    ("newsletter", Cue::Subscribe),
    ("sign up", Cue::Subscribe),
    ("sign-up", Cue::Subscribe),
    ("signup", Cue::Subscribe),
    ("log in", Cue::Subscribe),
    ("login", Cue::Subscribe),
    ("sign in", Cue::Subscribe),
    ("register", Cue::Subscribe),
    ("inbox", Cue::Subscribe),
    ("unlock", Cue::Subscribe),
    ("free trial", Cue::Subscribe),
    ("create an account", Cue::Subscribe),
    ("advertis", Cue::Subscribe),
    ("donate", Cue::Subscribe),
    ("support our", Cue::Subscribe),
    ("become a member", Cue::Subscribe),
    ("download the app", Cue::Subscribe),
    ("comment", Cue::Comment),
    ("reply", Cue::Comment),
    ("leave a", Cue::Comment),
    ("join the conversation", Cue::Comment),
    ("join the discussion", Cue::Comment),
    ("photo", Cue::Credit),
    ("image", Cue::Credit),
    ("credit", Cue::Credit),
    ("getty", Cue::Credit),
    ("courtesy", Cue::Credit),
    ("reuters", Cue::Credit),
    ("associated press", Cue::Credit),
    ("afp", Cue::Credit),
    ("shutterstock", Cue::Credit),
    ("illustration", Cue::Credit),
    ("©", Cue::Credit),
    ("tags", Cue::Tags),
    ("tagged", Cue::Tags),
    ("topics", Cue::Tags),
    ("filed under", Cue::Tags),
    ("categories", Cue::Tags),
    ("posted in", Cue::Tags),
    // Calls to action inside a body: a button or a boxed line asking the
    // reader to buy, book or get in touch.
    ("get started", Cue::Action),
    ("schedule a", Cue::Action),
    ("book a", Cue::Action),
    ("request a", Cue::Action),
    ("for free", Cue::Action),
    ("try it", Cue::Action),
    ("start your", Cue::Action),
    ("contact us", Cue::Action),
    ("get in touch", Cue::Action),
    ("learn more", Cue::Action),
    ("click here", Cue::Action),
    ("buy now", Cue::Action),
    ("shop now", Cue::Action),
    ("order now", Cue::Action),
    ("join now", Cue::Action),
    ("get the app", Cue::Action),
    ("download now", Cue::Action),
    ("call now", Cue::Action),
    // The notices a publisher sets before or after a story: rights,
    // disclaimers, disclosures of sponsors and affiliate links.
    ("copyright", Cue::Legal),
    ("all rights reserved", Cue::Legal),
    ("reprint", Cue::Legal),
    ("republish", Cue::Legal),
    ("written permission", Cue::Legal),
    ("without permission", Cue::Legal),
    ("disclaimer", Cue::Legal),
    ("not responsible for", Cue::Legal),
    ("opinions expressed", Cue::Legal),
    ("views expressed", Cue::Legal),
    ("sponsored", Cue::Legal),
    ("affiliate link", Cue::Legal),
    ("earn a commission", Cue::Legal),
    ("may earn", Cue::Legal),
    ("privacy policy", Cue::Legal),
    ("terms of use", Cue::Legal),
    ("terms of service", Cue::Legal),
    ("terms and conditions", Cue::Legal),
    ("cookies", Cue::Legal),
];

static MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        // A few hundred states: a DFA costs a few KiB and reads each byte
        // once, where the default automaton follows failure links.
        .kind(Some(AhoCorasickKind::DFA))
        .build(PHRASES.iter().map(|(p, _)| p))
        .expect("static patterns")
});

/// The bit of [`of_text`]'s mask set when a cue phrase opens the block
/// (only punctuation before it): "Read more: …", "Subscribe now …",
/// "Photo: …" name what the line is, where a cue further in may be a word
/// of the story.
pub const FIRST: u16 = 1 << 15;

/// The cues of a block's text, one bit per [`Cue`] (its index in [`CUES`]),
/// and [`FIRST`]; 0 for blocks longer than [`MAX_CUE_CHARS`].
pub fn of_text(text: &str, chars: u32) -> u16 {
    if chars > MAX_CUE_CHARS {
        return 0;
    }
    let mut bits = 0u16;
    for m in MATCHER.find_iter(text) {
        let at_word_start = text[..m.start()].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        if at_word_start {
            bits |= PHRASES[m.pattern().as_usize()].1.bit();
            if !text[..m.start()].chars().any(char::is_alphanumeric) {
                bits |= FIRST;
            }
        }
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(text: &str, cue: Cue) -> bool {
        of_text(text, text.chars().count() as u32) & cue.bit() != 0
    }

    #[test]
    fn a_cue_bit_is_its_place_in_cues() {
        for (k, (c, _)) in CUES.iter().enumerate() {
            assert_eq!(c.bit(), 1 << k, "{c:?}");
        }
    }

    #[test]
    fn phrases_at_word_starts() {
        assert!(has("Related Stories", Cue::Related));
        assert!(has("Sign up for our newsletter", Cue::Subscribe));
        assert!(has("Photo: Jane Doe/Getty Images", Cue::Credit));
        assert!(has("SHARE THIS ARTICLE", Cue::Share));
        assert!(!has("The unrelated case", Cue::Related), "inside a word");
        assert!(has("Schedule a call with our team", Cue::Action));
        assert!(has("This article may not be republished without permission.", Cue::Legal));
        assert_ne!(of_text("Read more: Ports", 16) & FIRST, 0);
        assert_eq!(of_text("The ports read more", 19) & FIRST, 0);
        let long = "Photo ".repeat(50);
        assert_eq!(of_text(&long, long.chars().count() as u32), 0);
    }
}
