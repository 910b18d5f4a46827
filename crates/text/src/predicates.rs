//! Verbs that news outlets use for one another when they report the same
//! act: the one table of paraphrase predicates (no name, outlet or topic).
//!
//! One outlet writes that the mayor "accused" the company, another that she
//! "blamed" it; one that a minister "rejected" an idea, another that he
//! "dismissed" it; one that a leader would "resign", another that he would
//! "leave office". A stem overlap cannot see that the two sentences share
//! their predicate; fact alignment counts a shared class as a shared word.
//! Each class holds verbs a news editor would swap for one another without
//! changing the report; irregular past forms are listed (the table is
//! stemmed, so regular forms need no entry). A member of several words is
//! a phrase: it matches those words' stems next to one another ("stepped
//! down", "ruled out"), not each word on its own.

use rustc_hash::FxHashMap;

/// Classes of interchangeable reporting predicates, base forms first;
/// phrases after the single words. A phrase is listed only where news
/// usage makes it the class's verb in other words: "step down", "stand
/// down" and "leave office" are what headlines write for "resign"; "rule
/// out" and "turn down" for "reject"; "take into custody" for "arrest".
pub const CLASSES: &[&[&str]] = &[
    &["accuse", "blame"],
    &["reject", "dismiss", "deny", "rebuff", "refuse", "rule out", "turn down"],
    &["resign", "quit", "step down", "stand down", "stood down", "leave office", "left office"],
    &["start", "begin", "began", "begun", "initiate"],
    &["arrest", "detain", "take into custody", "taken into custody", "took into custody"],
    &["injure", "wound", "hurt"],
    &["kill", "die", "dead"],
];

/// A predicate found in a text: its class (index into [`CLASSES`]) and its
/// member within the class (the first member with the same stems, so that
/// two spellings of one member are one).
pub type Found = (u16, u16);

/// Members by their first stem id: the rest of their stem ids (empty for
/// one word) and what they are.
type ByFirst = FxHashMap<u32, Vec<(Box<[u32]>, Found)>>;

/// [`CLASSES`] as stem ids of one vocabulary, to find in texts tokenised
/// with it.
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    /// Each member's stem ids by its first stem: the rest of its stems
    /// (empty for one word), its class and member.
    by_first: ByFirst,
}

impl Matcher {
    /// The table as stem ids: `stem_id` gives a word's stem id in the
    /// vocabulary, or `None` when no text has it (a member with such a
    /// word cannot occur and is left out).
    pub fn new(mut stem_id: impl FnMut(&str) -> Option<u32>) -> Matcher {
        let mut by_first = ByFirst::default();
        for (k, class) in CLASSES.iter().enumerate() {
            let mut seen: Vec<(Vec<u32>, u16)> = Vec::new();
            for (m, member) in class.iter().enumerate() {
                let Some(ids) = member.split_whitespace().map(&mut stem_id).collect::<Option<Vec<u32>>>() else {
                    continue;
                };
                let m = match seen.iter().find(|s| s.0 == ids) {
                    Some(s) => s.1,
                    None => {
                        seen.push((ids.clone(), m as u16));
                        m as u16
                    }
                };
                by_first.entry(ids[0]).or_default().push((ids[1..].into(), (k as u16, m)));
            }
        }
        Matcher { by_first }
    }

    /// The predicates of a text given as its words in order (function
    /// words included, so that a phrase's words are adjacent), each read
    /// as its stem id by `stem`: sorted, each once.
    pub fn find<T>(&self, words: &[T], stem: impl Fn(&T) -> u32) -> Vec<Found> {
        let mut out: Vec<Found> = Vec::new();
        if self.by_first.is_empty() {
            return out;
        }
        for (i, w) in words.iter().enumerate() {
            let Some(members) = self.by_first.get(&stem(w)) else { continue };
            for (rest, found) in members {
                let next = words.get(i + 1..i + 1 + rest.len());
                if next.is_some_and(|n| n.iter().zip(rest.iter()).all(|(x, &r)| stem(x) == r)) {
                    out.push(*found);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// How many classes two texts' predicates ([`Matcher::find`], sorted)
/// share in different words only: a class both express with one member is
/// already in their shared stems, and counts there.
pub fn shared_in_other_words(a: &[Found], b: &[Found]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (ka, kb) = (a[i].0, b[j].0);
        if ka < kb {
            i += 1;
        } else if kb < ka {
            j += 1;
        } else {
            let ea = a[i..].iter().take_while(|f| f.0 == ka).count();
            let eb = b[j..].iter().take_while(|f| f.0 == kb).count();
            let common = a[i..i + ea].iter().any(|f| b[j..j + eb].contains(f));
            n += usize::from(!common);
            i += ea;
            j += eb;
        }
    }
    n
}

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

    /// A single-word member is a content word (fact alignment reads the
    /// predicates of all words, content or not; a function word would
    /// match everywhere).
    #[test]
    fn single_members_are_content_words() {
        for class in CLASSES {
            for m in class.iter().filter(|m| !m.contains(' ')) {
                assert!(!crate::is_stopword(m), "{m}");
            }
        }
    }

    impl Matcher {
        fn find_ids(&self, stems: &[u32]) -> Vec<Found> {
            self.find(stems, |&t| t)
        }
    }

    fn matcher() -> (Matcher, impl Fn(&str) -> Vec<u32>) {
        use std::cell::RefCell;
        use std::collections::HashMap;
        let ids: RefCell<HashMap<String, u32>> = RefCell::default();
        let id = move |w: &str| -> u32 {
            let s = crate::stem(&w.to_lowercase());
            let mut ids = ids.borrow_mut();
            let n = ids.len() as u32;
            *ids.entry(s).or_insert(n)
        };
        let text = "resign quit step stand stood down leave left office reject dismiss rule out turn accuse blame take taken into custody";
        for w in text.split_whitespace() {
            id(w);
        }
        let m = Matcher::new(|w| Some(id(w)));
        let stems = move |t: &str| t.split_whitespace().map(&id).collect::<Vec<u32>>();
        (m, stems)
    }

    #[test]
    fn phrases_match_adjacent_words_only() {
        let (m, stems) = matcher();
        let resign = 2u16;
        assert_eq!(m.find_ids(&stems("he stepped down on Sunday")).len(), 1);
        assert_eq!(m.find_ids(&stems("he stepped down on Sunday"))[0].0, resign);
        assert_eq!(m.find_ids(&stems("willing to leave office immediately"))[0].0, resign);
        assert!(m.find_ids(&stems("he took a step towards the office down the hall")).is_empty());
        assert!(m.find_ids(&stems("she will leave the office")).is_empty());
        assert_eq!(m.find_ids(&stems("police took him into custody")).len(), 0);
        assert_eq!(m.find_ids(&stems("he was taken into custody"))[0].0, 4);
    }

    #[test]
    fn a_class_counts_when_the_texts_use_different_members() {
        let (m, stems) = matcher();
        let (a, b) = (m.find_ids(&stems("he would resign immediately")), m.find_ids(&stems("willing to leave office")));
        assert_eq!(shared_in_other_words(&a, &b), 1);
        // The same member on both sides is already a shared stem.
        let c = m.find_ids(&stems("he resigned on Sunday"));
        assert_eq!(shared_in_other_words(&a, &c), 0);
        // A class of one side only, or none.
        let d = m.find_ids(&stems("they blamed the company"));
        assert_eq!(shared_in_other_words(&a, &d), 0);
        assert_eq!(shared_in_other_words(&[], &a), 0);
        // Two classes in other words each.
        let e = m.find_ids(&stems("he stepped down and dismissed the claim"));
        let f = m.find_ids(&stems("she quit and ruled out a return"));
        assert_eq!(shared_in_other_words(&e, &f), 2);
    }
}
