//! Noun phrases that can be speakers: names (with their titles cut off),
//! descriptions ("a White House official") and pronouns, read forwards or
//! backwards from a verb by capitalisation, closed word classes and
//! punctuation.

use super::clause::Clauses;
use super::lexicon::*;
use super::tokens::POSS;

/// A noun phrase that can be a speaker, by item indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Np {
    /// A name: items `lo..hi` once titles are cut off; `full` is where the
    /// phrase begins (roles, titles, determiners before the name).
    Name { full: usize, lo: usize, hi: usize },
    /// A description, as written: "a White House official", "the campaign".
    Desc { lo: usize, hi: usize },
    /// A pronoun.
    Pron(usize),
}

impl Np {
    pub fn start(self) -> usize {
        match self {
            Np::Name { full, .. } => full,
            Np::Desc { lo, .. } => lo,
            Np::Pron(i) => i,
        }
    }
}

/// Longest noun phrase read, in words: speaker phrases longer than this are
/// clauses, not names ("the man who … said"); appositions are stepped over
/// by commas instead.
const MAX_NP: usize = 8;

impl Clauses<'_> {
    /// Whether the lower-case word at `i` names a person or body by role
    /// ("spokesman", "developer", "strategist"): a closed-class role noun or
    /// an agent-noun ending.
    pub fn is_role(&self, i: usize) -> bool {
        let it = &self.items[i];
        if !it.lower() {
            return false;
        }
        if it.flags & (PERSON_NOUN | ORG_NOUN | TITLE) != 0 {
            return true;
        }
        let w = self.word_text(i);
        w.len() >= 5
            && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && ["er", "or", "ist", "man", "woman", "ian", "ant", "ent", "ee"].iter().any(|s| w.ends_with(s))
    }

    /// A noun phrase read forwards from `j` (not past `hi`): a name, a
    /// pronoun, or a short description up to its head noun. Returns it and
    /// the item after it.
    pub fn np_fwd(&self, j: usize, hi: usize) -> Option<(Np, usize)> {
        let items = self.items;
        if j >= hi || !items[j].word() {
            return None;
        }
        let it = &items[j];
        if it.is(PRON) && !it.is(POSS_PRON) {
            return Some((Np::Pron(j), j + 1));
        }
        if it.flags & FUNC != 0 && it.flags & DET == 0 && !it.name_word() {
            return None;
        }
        let mut s = j;
        if it.is(DET) && !it.is(POSS_PRON) && s + 1 < hi && items[s + 1].name_word() {
            s += 1;
        }
        if items[s].name_word() {
            let mut m = self.name_run_end(s, hi);
            // "Former Secretary of State Ann Lee": a title's "of" goes on to
            // the name
            if m + 1 < hi
                && items[m].lower()
                && self.word_text(m) == "of"
                && items[m + 1].name_word()
                && (s..m).any(|i| items[i].flags & TITLE != 0 || self.is_role(i))
            {
                m = self.name_run_end(m + 1, hi);
            }
            // a name used as a modifier: "Lee campaign officials", "Ohio
            // developer Ann Lee"
            let modifier = m < hi && self.is_role(m);
            let possessive = items[m - 1].flags & POSS != 0;
            if !modifier && !possessive {
                return self.interpret(j, m).map(|np| (np, m));
            }
        }
        // a description: determiners, modifiers, up to a head noun
        let mut k = j;
        let mut head = None;
        while k < hi && k - j < MAX_NP {
            let w = &items[k];
            if !w.word() || w.cue() || w.cue_ing() {
                break;
            }
            if k > j && w.lower() && w.flags & (FUNC | SKIP | PREP_STOP) != 0 && w.flags & DET == 0 {
                // "a spokesman for the campaign": go on through the attachment
                if head.is_some() && matches!(self.word_text(k), "for" | "of") {
                    k += 1;
                    head = None;
                    continue;
                }
                break;
            }
            if w.name_word() {
                let m = self.name_run_end(k, hi);
                if k > j && self.is_role(k - 1) {
                    // "Ohio developer Ann Lee": the name ends the phrase
                    head = Some(m);
                    break;
                }
                k = m;
                if k >= hi || !items[k].lower() {
                    head = Some(k);
                }
                continue;
            }
            if k > j && w.lower() && !items[k - 1].is(DET) && self.word_text(k).ends_with("ed") {
                break; // a verb: "the former secretary of state mocked …"
            }
            if self.is_role(k) {
                head = Some(k + 1);
            }
            k += 1;
        }
        let end = head.unwrap_or(k);
        if end <= j {
            return None;
        }
        self.interpret(j, end).map(|np| (np, end))
    }

    /// The end of the name run starting at `s`: capitalised words, initials,
    /// and joining words between them ("Secretary of State").
    pub fn name_run_end(&self, s: usize, hi: usize) -> usize {
        let items = self.items;
        let mut m = s;
        while m < hi {
            let w = &items[m];
            if w.name_word() {
                m += 1;
                if w.flags & POSS != 0 {
                    break;
                }
            } else if w.lower()
                && w.flags & NAME_JOIN != 0
                && m > s
                && m + 1 < hi
                && items[m + 1].name_word()
                && self.joins_here(s, m)
            {
                m += 1;
            } else {
                break;
            }
        }
        m
    }

    /// Whether a joining word at `m` continues the name begun at `s`: after
    /// one word or titles only ("Bank of …", "Secretary of State"), not
    /// after a full name ("Ann Lee of Ohio" is Ann Lee, from Ohio).
    pub(super) fn joins_here(&self, s: usize, m: usize) -> bool {
        m - s == 1
            || (s..m).all(|i| {
                self.items[i].flags & TITLE != 0
                    || TITLE_MODIFIERS.iter().any(|t| t.eq_ignore_ascii_case(self.word_text(i)))
            })
    }

    /// A noun phrase read backwards, ending at item `e` (exclusive).
    pub(super) fn np_back(&self, lo: usize, e: usize) -> Option<Np> {
        let items = self.items;
        if e <= lo || !items[e - 1].word() {
            return None;
        }
        let last = &items[e - 1];
        if last.is(PRON) && !last.is(POSS_PRON) {
            return Some(Np::Pron(e - 1));
        }
        if last.lower() && last.flags & (FUNC | REL) != 0 && last.flags & (PERSON_NOUN | ORG_NOUN) == 0 {
            return None;
        }
        let mut k = e - 1;
        let mut words = 1;
        while k > lo && words < MAX_NP {
            let p = &items[k - 1];
            if !p.word() {
                break;
            }
            if p.is(DET) && !p.name_word() {
                k -= 1;
                // "a spokesman for the campaign": attach to the phrase before
                if k > lo + 1
                    && items[k - 1].lower()
                    && matches!(self.word_text(k - 1), "for" | "of")
                    && items[k - 2].word()
                    && items[k - 2].flags & (FUNC | SKIP) == 0
                {
                    k -= 1;
                    words += 1;
                    continue;
                }
                break;
            }
            if p.lower() && matches!(self.word_text(k - 1), "for" | "of") {
                // "a spokesperson for Ann Lee"
                if k - 1 > lo && items[k - 2].lower() && items[k - 2].flags & (PERSON_NOUN | TITLE | ORG_NOUN) != 0 {
                    k -= 1;
                    words += 1;
                    continue;
                }
                if items[k].name_word() && k - 1 > lo && items[k - 2].name_word() {
                    k -= 1; // "Secretary of State"
                    continue;
                }
                break;
            }
            // "the Ohio senator and Republican candidate": two roles, one person
            if p.lower() && self.word_text(k - 1) == "and" && k - 1 > lo && self.is_role(k - 2) && self.is_role(e - 1) {
                k -= 1;
                words += 1;
                continue;
            }
            let plain = p.lower()
                && p.flags & (FUNC | CUE | CUE_ING | SKIP | REL | PREP_STOP | CONJ) == 0
                && !is_ly_adverb(self.word_text(k - 1));
            if p.name_word() || plain {
                k -= 1;
                words += 1;
                continue;
            }
            break;
        }
        self.interpret(k, e)
    }

    /// A noun phrase read forwards after a verb or "according to".
    pub(super) fn np_after(&self, j: usize, hi: usize) -> Option<Np> {
        let items = self.items;
        if j < hi && items[j].lower() && items[j].flags & (FUNC | PREP_STOP) != 0 && items[j].flags & DET == 0 {
            return None; // "said in a statement": no phrase follows
        }
        let mut k = j;
        while k < hi && k - j < MAX_NP {
            let w = &items[k];
            if !w.word() || w.cue() || w.cue_ing() || w.flags & WEEKDAY != 0 {
                break;
            }
            if k > j && w.lower() && w.flags & PREP_STOP != 0 && !matches!(self.word_text(k), "of" | "for") {
                break;
            }
            k += 1;
        }
        if k == j {
            return None;
        }
        self.interpret(j, k)
    }

    /// Reads the words `lo..hi` as one noun phrase.
    pub fn interpret(&self, lo: usize, hi: usize) -> Option<Np> {
        let items = self.items;
        if lo >= hi {
            return None;
        }
        if hi - lo == 1 && items[lo].is(PRON) && !items[lo].is(POSS_PRON) {
            return Some(Np::Pron(lo));
        }
        // the name at the end of the phrase
        let mut m = hi;
        while m > lo {
            let w = &items[m - 1];
            let join = w.lower() && w.flags & NAME_JOIN != 0 && m < hi && m - 1 > lo && items[m - 2].name_word();
            if (w.name_word() && (m == hi || w.flags & POSS == 0)) || join {
                m -= 1;
            } else {
                break;
            }
        }
        if m < hi {
            // "Ann Lee of Ohio" → Ann Lee
            let mut hi = hi;
            if let Some(o) = (m + 1..hi).find(|&o| items[o].lower() && items[o].flags & NAME_JOIN != 0)
                && !self.joins_here(m, o)
            {
                hi = o;
            }
            let n = self.strip_titles(m, hi);
            if n < hi {
                let attached = m > lo && items[m - 1].lower() && items[m - 1].flags & PREP_ATTACH != 0;
                if !attached {
                    return Some(Np::Name { full: lo, lo: n, hi });
                }
            }
            return Some(Np::Desc { lo, hi });
        }
        self.valid_desc(lo, hi).then_some(Np::Desc { lo, hi })
    }

    /// Whether `lo..hi` reads as a description of a speaker: it opens with a
    /// determiner or a possessor ("the campaign", "Lee's aide"), or ends in a
    /// role noun, or is a short plural ("officials", "Lee supporters").
    pub(super) fn valid_desc(&self, lo: usize, hi: usize) -> bool {
        let items = self.items;
        let first = &items[lo];
        let last = &items[hi - 1];
        if !last.word() || (last.flags & (FUNC | SKIP | CONJ | REL) != 0 && last.flags & (PERSON_NOUN | ORG_NOUN) == 0)
        {
            return false;
        }
        // a finite verb inside is a clause, not a phrase ("Lee's statement
        // didn't clarify the matter"), and so is a verb and its object ("watched
        // the police": a determiner inside a phrase follows a preposition)
        if (lo + 1..hi).any(|i| items[i].lower() && is_auxiliary(self.word_text(i)))
            || (lo + 1..hi).any(|i| {
                items[i].is(DET) && items[i - 1].lower() && items[i - 1].flags & (DET | PREP_ATTACH | PREP_STOP) == 0
            })
        {
            return false;
        }
        // a past or present participle opening it is a verb ("identified
        // young voters")
        let w0 = self.word_text(lo);
        if hi - lo >= 2 && first.lower() && !first.is(DET) && (w0.ends_with("ed") || w0.ends_with("ing")) {
            return false;
        }
        if first.is(DET) || first.flags & POSS != 0 || first.name_word() || self.is_role(hi - 1) {
            return true;
        }
        let w = self.word_text(hi - 1);
        hi - lo <= 3
            && w.ends_with('s')
            && (lo..hi).all(|i| {
                let t = self.word_text(i);
                !t.ends_with("ing") && !t.ends_with("ed") && !is_ly_adverb(t)
            })
    }

    /// Cuts the titles off the front of the name run `m..hi`: the name starts
    /// after the last title ("Senate Majority Leader Ann Lee" → "Ann Lee",
    /// "Secretary of State Ann Lee" → "Ann Lee").
    pub(super) fn strip_titles(&self, m: usize, hi: usize) -> usize {
        let items = self.items;
        let org = items[hi - 1].flags & (ORG_HEAD | super::tokens::ALLCAPS) != 0;
        // A title must be followed by a name: "Billie Jean King" keeps its
        // "King"; a run of titles only ("the Vice President") names no one.
        let Some(last_name) = (m..hi).rev().find(|&t| items[t].flags & TITLE == 0 || !items[t].word()) else {
            return hi;
        };
        let mut n = m;
        let mut t = m;
        while t < last_name {
            let f = items[t].flags;
            if f & TITLE != 0 {
                let weak = f & TITLE_WEAK != 0 && !self.word_text(t).ends_with('.');
                let rest = hi - t - 1;
                if !weak || (rest >= 2 && !org) {
                    n = t + 1;
                    // "Secretary of State Ann Lee"
                    if n + 2 < hi && items[n].lower() && items[n].flags & NAME_JOIN != 0 {
                        n += 2;
                    }
                }
            }
            t += 1;
        }
        n.min(hi)
    }

    /// Whether a phrase found only as a subject (with no verb of saying) can
    /// be taken for a speaker: a name, a pronoun, or a description headed by
    /// a role ("the former governor"), not any noun phrase ("the bill").
    pub fn speaker_like(&self, np: Np) -> bool {
        !matches!(np, Np::Desc { .. }) || self.is_role(self.np_end(np) - 1)
    }

    /// The item after a noun phrase.
    pub(super) fn np_end(&self, np: Np) -> usize {
        match np {
            Np::Name { hi, .. } | Np::Desc { hi, .. } => hi,
            Np::Pron(i) => i + 1,
        }
    }
}

pub(super) fn is_ly_adverb(w: &str) -> bool {
    w.len() > 4 && w.ends_with("ly") && w.bytes().all(|b| b.is_ascii_lowercase())
}

/// Words that stand before a title's head and make no name of their own
/// ("Former Secretary of State", "Deputy Secretary of Defense").
const TITLE_MODIFIERS: &[&str] =
    &["former", "ex", "then", "late", "acting", "interim", "outgoing", "incoming", "deputy", "vice", "assistant"];

/// An auxiliary or modal verb, negated or not: it makes a clause of the
/// words around it.
pub(super) fn is_auxiliary(w: &str) -> bool {
    let w = w.to_ascii_lowercase().replace('’', "'");
    let w = w.strip_suffix("n't").unwrap_or(&w);
    matches!(
        w,
        "is" | "was"
            | "were"
            | "are"
            | "has"
            | "have"
            | "had"
            | "would"
            | "will"
            | "could"
            | "can"
            | "ca"
            | "may"
            | "might"
            | "should"
            | "must"
            | "did"
            | "does"
            | "do"
            | "wo"
    )
}
