//! The kind of a name (person, organisation, place, other) from the
//! gazetteer, its own words and its neighbours.

use super::*;

impl<'a> super::Finder<'a> {
    pub(super) fn known(&self, a: usize, b: usize) -> bool {
        a < b && gazetteer::lookup(&self.text[self.toks[a].start..self.toks[b - 1].end]).is_some()
    }

    pub(super) fn person_like(&self, a: usize, b: usize) -> bool {
        a < b && !self.known(a, b) && self.classify(a, b) == EntityKind::Person
    }

    /// A wire story's dateline credits the agency in brackets after the
    /// place in capitals ("LIMA (Andes Wire) —", "SAN JOSE, Calif. (AP) -"):
    /// the bracketed name is the outlet that filed the story, whatever its
    /// words, not a person.
    fn dateline_credit(&self, a: usize, b: usize) -> bool {
        let toks = self.toks;
        let text = |i: usize| &self.text[toks[i].start..toks[i].end];
        if a < 2 || b + 1 >= toks.len() || text(a - 1) != "(" || text(b) != ")" {
            return false;
        }
        if !matches!(text(b + 1), "—" | "–" | "-") || !self.same_sent(a - 1, b + 1) {
            return false;
        }
        // Before the bracket, the sentence holds only the place: a few
        // words, the first in capitals, with commas and abbreviation dots.
        let start = (0..a - 1).rev().take_while(|&i| self.same_sent(i, a - 1)).last().unwrap_or(a - 1);
        a - 1 - start <= 5
            && toks[start].upper
            && (start..a - 1).all(|i| toks[i].is_word() || matches!(text(i), "," | "."))
    }

    /// The kind of an unknown name from its own words and its neighbours.
    pub(super) fn classify(&self, a: usize, b: usize) -> EntityKind {
        let toks = self.toks;
        let first = self.key(a);
        let last = self.key(b - 1);
        let words: Vec<usize> = (a..b).filter(|&i| toks[i].is_word()).collect();
        if self.dateline_credit(a, b) {
            return EntityKind::Organization;
        }
        if in_list(&OTHER_PREFIXES, first) && b - a > 1 {
            return EntityKind::Other;
        }
        // A suffix word alone ("Media", "Times") names something only as
        // "the Times".
        let several = b - a > 1 || (a > 0 && self.key(a - 1) == "the");
        if several && in_list(&ORG_SUFFIXES, last) {
            return EntityKind::Organization;
        }
        if several && in_list(&PLACE_SUFFIXES, last) || (in_list(&PLACE_PREFIXES, first) && b - a > 1) {
            return EntityKind::Place;
        }
        if in_list(&OTHER_SUFFIXES, last) {
            return EntityKind::Other;
        }
        if let Some(of) = (a + 1..b).find(|&i| matches!(self.key(i), "of" | "for")) {
            let before = self.key(of - 1);
            if in_list(&ORG_SUFFIXES, before) || self.is_title_word(of - 1) {
                return EntityKind::Organization;
            }
            if in_list(&PLACE_SUFFIXES, before) {
                return EntityKind::Place;
            }
            return EntityKind::Other;
        }
        let next = toks.get(b).filter(|t| self.same_sent(a, b) && t.is_word()).map(|_| self.key(b));
        let after_poss = toks.get(b).is_some_and(|t| t.kind == Kind::Poss);
        if !after_poss && next.is_some_and(|k| in_list(&SPEECH_VERBS, k)) {
            return EntityKind::Person;
        }
        if b > a && toks[b - 1].kind == Kind::Num {
            return EntityKind::Other;
        }
        if words.len() == 1 {
            if toks[a].upper {
                return EntityKind::Other;
            }
            if a > 0
                && self.same_sent(a - 1, a)
                && toks[a - 1].is_word()
                && in_list(&PLACE_PREPOSITIONS, self.key(a - 1))
            {
                return EntityKind::Place;
            }
            if GAZ.is_first_name_key(first) {
                return EntityKind::Person;
            }
            return EntityKind::Other;
        }
        if GAZ.is_first_name_key(first) {
            return EntityKind::Person;
        }
        // "Malaysia Airlines Flight 370", "Fugro Discovery 2": a name with a
        // number right after it (a space between, no comma) that ends the
        // phrase is a flight, a model, a vessel; a person's age follows a
        // comma or a bracket. Not a number that opens a quantity ("shot
        // Laquan McDonald 16 times", "met Rupert Murdoch 20 years ago": a
        // lower-case word after it), nor a year ("the Bernie Sanders 2016
        // campaign").
        if toks.get(b).is_some_and(|t| t.kind == Kind::Num && !t.glued && self.same_sent(b - 1, b)) {
            let year = crate::dates::year_of(&self.text[toks[b].start..toks[b].end]).is_some();
            let quantity = toks.get(b + 1).is_some_and(|t| t.is_word() && !t.cap && self.same_sent(b, b + 1));
            if !year && !quantity {
                return EntityKind::Other;
            }
        }
        if words.len() <= 4 && words.iter().all(|&i| !toks[i].upper) {
            return EntityKind::Person;
        }
        EntityKind::Other
    }
}
