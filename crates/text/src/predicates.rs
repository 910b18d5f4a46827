//! Verbs that news outlets use for one another when they report the same
//! act: the one table of paraphrase predicates (no name, outlet or topic).
//!
//! One outlet writes that the mayor "accused" the company, another that she
//! "blamed" it; one that a minister "rejected" an idea, another that he
//! "dismissed" it. A stem overlap cannot see that the two sentences share
//! their predicate; fact alignment counts a shared class as a shared word
//! where it asks what two statements say beyond the names in them. Each
//! class holds verbs a news editor would swap for one another without
//! changing the report; irregular past forms are listed (the table is
//! stemmed, so regular forms need no entry).

/// Classes of interchangeable reporting predicates, base forms first.
pub const CLASSES: &[&[&str]] = &[
    &["accuse", "blame"],
    &["reject", "dismiss", "deny", "rebuff", "refuse"],
    &["resign", "quit"],
    &["start", "begin", "began", "begun", "initiate"],
    &["arrest", "detain"],
    &["injure", "wound"],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_word_is_in_two_classes() {
        let mut all: Vec<&str> = CLASSES.iter().flat_map(|c| c.iter().copied()).collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
