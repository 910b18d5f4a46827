//! Clauses of a sentence: the parts a long news sentence strings together
//! ("Tensions escalated, with Trump accusing Ukraine of starting the war
//! and labeling Zelensky a dictator"), each of which another outlet may
//! report on its own. Facts compare clauses as well as whole sentences, so
//! that a statement two outlets share aligns even when the rest of their
//! sentences differ.
//!
//! A clause boundary is, outside quotation marks:
//! - a semicolon, a colon or a dash between words;
//! - a comma before a word that opens a clause ([`OPENERS`]: "with",
//!   "after", "while", "who", "and", …) or before a participle ("…,
//!   adding that", "…, killing at least one");
//! - the comma that closes an opening subordinate clause ("Although
//!   Ukraine is on an irreversible path to membership, Hegseth rejected…");
//! - "and"/"but" before a past form or a participle ("accused Ukraine of
//!   starting the war and claimed …").
//!
//! Pieces shorter than [`crate::facts::MIN_WORDS`] words or with fewer than
//! [`crate::facts::MIN_SHARED`] content words join the piece before them
//! (the first joins the next): a list item or a short adverbial is not a
//! statement.

use chorus_text::tokens;

use crate::facts::{MIN_SHARED, MIN_WORDS};

/// Words that open a clause after a comma.
const OPENERS: &[&str] = &[
    "with",
    "without",
    "who",
    "which",
    "whose",
    "whom",
    "where",
    "when",
    "while",
    "whilst",
    "whereas",
    "after",
    "before",
    "despite",
    "as",
    "but",
    "and",
    "though",
    "although",
    "because",
    "since",
    "amid",
    "following",
    "so",
    "yet",
    "until",
    "unless",
    "even",
    "especially",
    "contrary",
];

/// Words that open a sentence with a subordinate clause, which the first
/// comma closes.
const SUBORDINATE: &[&str] = &[
    "although", "though", "while", "whilst", "as", "when", "after", "before", "despite", "because", "since", "if",
    "amid", "unless", "once", "whereas",
];

/// A clause: word indices `from..to` into the sentence's words (the
/// sentence's `toks`) and byte offsets `start..end` relative to the
/// sentence text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Clause {
    pub from: usize,
    pub to: usize,
    pub start: usize,
    pub end: usize,
}

/// The clauses of a sentence, or none when it is one clause. `content[k]`
/// says whether word `k` is a content word (the sentence's `toks`), and
/// `quoted(offset)` whether a byte offset of the sentence lies inside
/// quotation marks; when `content` does not match the sentence's words the
/// sentence is left whole.
pub(crate) fn split(text: &str, content: &[bool], quoted: impl Fn(usize) -> bool) -> Vec<Clause> {
    let words: Vec<(usize, usize)> = tokens(text).into_iter().map(|t| (t.start, t.end)).collect();
    if words.len() != content.len() || words.len() < 2 * MIN_WORDS {
        return Vec::new();
    }
    let word = |k: usize| &text[words[k].0..words[k].1];
    let lower = |k: usize| word(k).to_lowercase();
    let verb_form = |k: usize| {
        let w = word(k);
        w.len() > 4 && w.chars().next().is_some_and(char::is_lowercase) && (w.ends_with("ed") || w.ends_with("ing"))
    };
    let opens_subordinate = SUBORDINATE.contains(&lower(0).as_str());
    let mut first_comma_seen = false;
    let mut cuts: Vec<usize> = Vec::new();
    for k in 1..words.len() {
        let gap = &text[words[k - 1].1..words[k].0];
        // Most gaps are one space: no cut, unless "and"/"but" before a verb.
        let cut = if gap == " " {
            let w = word(k);
            (w == "and" || w == "but") && k + 1 < words.len() && verb_form(k + 1)
        } else if gap.contains([';', ':', '—', '–']) || gap.contains(" - ") {
            true
        } else if gap.contains(',') {
            let first = !first_comma_seen;
            first_comma_seen = true;
            (first && opens_subordinate)
                || OPENERS.contains(&lower(k).as_str())
                || (verb_form(k) && word(k).ends_with("ing"))
        } else {
            false
        };
        if cut && !quoted(words[k].0) && !quoted(words[k - 1].1.saturating_sub(1)) {
            cuts.push(k);
        }
    }
    if cuts.is_empty() {
        return Vec::new();
    }
    // Pieces, then the short ones joined to a neighbour.
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for &c in cuts.iter().chain(std::iter::once(&words.len())) {
        bounds.push((from, c));
        from = c;
    }
    let enough =
        |&(a, b): &(usize, usize)| b - a >= MIN_WORDS && content[a..b].iter().filter(|&&c| c).count() >= MIN_SHARED;
    // A short ", which" clause ("…, which raised concerns among European
    // allies") comments on the clause before it, whose statement is its
    // subject: alone it is a predicate without a subject and states
    // nothing, so it stays with that clause. A longer one carries a
    // statement of its own about the noun before it ("…, which means it can
    // be submerged in a metre of water for 30 minutes"); so does one
    // between dashes ("a Gear Fit — which also has a heart-rate monitor
    // —"). Short is under the length from which a sentence is split at all.
    let comments = |&(a, b): &(usize, usize)| {
        a > 0 && b - a < 2 * MIN_WORDS && lower(a) == "which" && text[words[a - 1].1..words[a].0].contains(',')
    };
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for b in bounds {
        match merged.last_mut() {
            Some(last) if !enough(last) || !enough(&b) || comments(&b) => last.1 = b.1,
            _ => merged.push(b),
        }
    }
    // A short piece has joined its predecessor (the first its successor).
    // One piece left: the sentence is one clause.
    if merged.len() < 2 {
        return Vec::new();
    }
    merged
        .into_iter()
        // A condition ("if Zelensky rejects the proposal") states nothing
        // happened: it is no statement of its own.
        .filter(|&(a, _)| !matches!(lower(a).as_str(), "if" | "unless"))
        .map(|(a, b)| {
            let start = words[a].0;
            // The clause runs to the end of its last word, plus a closing
            // quotation mark or bracket right after it.
            let end = words[b - 1].1;
            Clause { from: a, to: b, start, end }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<String> {
        let content: Vec<bool> = tokens(t)
            .iter()
            .map(|k| {
                let w = k.text(t);
                w.chars().count() >= 2 && !chorus_text::is_stopword(w)
            })
            .collect();
        split(t, &content, |_| false).into_iter().map(|c| t[c.start..c.end].to_string()).collect()
    }

    #[test]
    fn splits_at_clause_openers_and_coordinated_verbs() {
        let t = "As the anniversary of the invasion approached, tensions between the mayor and the council escalated, with the mayor accusing the council of wasting the budget and labeling the treasurer a liar for hiding the accounts.";
        assert_eq!(
            texts(t),
            [
                "As the anniversary of the invasion approached",
                "tensions between the mayor and the council escalated",
                "with the mayor accusing the council of wasting the budget",
                "and labeling the treasurer a liar for hiding the accounts",
            ]
        );
        let t = "The mayor also falsely accused the council of starting the dispute and claimed, contrary to the polls, that the treasurer was unpopular.";
        assert_eq!(texts(t).len(), 2, "{:?}", texts(t));
    }

    #[test]
    fn a_short_which_clause_stays_with_the_clause_it_comments_on() {
        let t = "The two mayors met in the capital to settle the dispute, but the fishermen were not part of the talks, which angered the regional union leaders.";
        assert_eq!(
            texts(t),
            [
                "The two mayors met in the capital to settle the dispute",
                "but the fishermen were not part of the talks, which angered the regional union leaders"
            ]
        );
        // A longer one states something of its own about the noun before it.
        let t = "The ferry was towed to the harbour at dawn, which is where divers found the hull cracked along most of its length.";
        assert_eq!(texts(t).len(), 2, "{:?}", texts(t));
        assert!(texts(t)[1].starts_with("which"));
    }

    #[test]
    fn lists_and_short_pieces_stay_whole() {
        assert!(texts("The mayor met farmers, teachers, nurses and drivers in the town hall on Sunday.").is_empty());
        assert!(texts("However, the bridge will stay closed until the engineers have finished.").is_empty());
    }
}
