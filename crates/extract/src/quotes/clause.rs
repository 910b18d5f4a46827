//! Who says what: verbs of saying, their subjects, and the quote each
//! attribution governs.
//!
//! No parser is available offline, so clauses are read with the shallow
//! structure that news attribution actually uses: a subject noun phrase
//! right before its verb ("Ann Lee said"), after it when inverted ("said Ann
//! Lee"), across an apposition set off by commas ("Ann Lee, the mayor,
//! said"), after an opening adverbial ("In a statement, the mayor said"), or
//! after "according to". Noun phrases are found by capitalisation, closed
//! word classes (determiners, titles, pronouns) and punctuation.

use std::ops::Range;

use super::lexicon::*;
use super::tokens::{CAP, Item, Kind, POSS};

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

/// How a quote was introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A verb of saying at this item.
    Verb(usize),
    /// A colon with no verb ("The statement: “…”").
    Colon,
    /// An attribution after a dash ("“…” — Ann Lee").
    Dash(usize),
}

/// A quote's attribution: its cue and, when found, its speaker phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr {
    pub cue: Cue,
    pub speaker: Option<Np>,
}

/// Kind of a verb-of-saying item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    Finite,
    Participle,
    According,
}

/// Longest noun phrase read, in words: speaker phrases longer than this are
/// clauses, not names ("the man who … said"); appositions are stepped over
/// by commas instead.
const MAX_NP: usize = 8;

/// Furthest a verb of saying may stand after a quote and still attribute
/// it, in items: room for a long title and name with a party tag
/// ("Senate Minority Leader Ann B. Lee (D-Ohio) said"), not for a new clause.
const MAX_RIGHT: usize = 16;

pub struct Clauses<'a> {
    pub text: &'a str,
    pub items: &'a [Item],
    /// Item range of each sentence.
    pub sents: Vec<Range<usize>>,
    /// Verb-of-saying kind per item.
    pub cue_kind: Vec<Option<CueKind>>,
    /// Subject of each verb of saying, per item.
    pub subject: Vec<Option<Np>>,
}

impl<'a> Clauses<'a> {
    pub fn new(text: &'a str, items: &'a [Item], n_sents: usize) -> Self {
        let mut sents = vec![0..0; n_sents.max(1)];
        let mut seen = vec![false; sents.len()];
        for (i, it) in items.iter().enumerate() {
            let s = it.sent.min(sents.len() - 1);
            if !seen[s] {
                sents[s] = i..i + 1;
                seen[s] = true;
            } else {
                sents[s].end = i + 1;
            }
        }
        let cue_kind: Vec<Option<CueKind>> = (0..items.len()).map(|i| cue_kind_at(text, items, i)).collect();
        let mut c = Clauses { text, items, sents, cue_kind, subject: vec![None; items.len()] };
        for k in 0..items.len() {
            if c.cue_kind[k].is_some() {
                c.subject[k] = c.subject_of_cue(k);
            }
        }
        c
    }

    fn sent_of(&self, i: usize) -> Range<usize> {
        self.sents[self.items[i].sent.min(self.sents.len() - 1)].clone()
    }

    pub fn word_text(&self, i: usize) -> &'a str {
        &self.text[self.items[i].start..self.items[i].end]
    }

    /// The cue's text as written: the verb, its particle, or "according to".
    pub fn cue_text(&self, k: usize) -> String {
        let it = &self.items[k];
        match self.cue_kind[k] {
            Some(CueKind::According) => {
                let end = self.items.get(k + 1).map_or(it.end, |n| n.end);
                self.text[it.start..end].to_string()
            }
            _ if it.flags & CUE_PARTICLE != 0 => {
                let end = self.items.get(k + 1).map_or(it.end, |n| n.end);
                self.text[it.start..end].to_string()
            }
            _ => self.word_text(k).to_string(),
        }
    }

    /// Where the clause holding item `k` begins: after the nearest quote,
    /// semicolon or sentence start to its left.
    fn clause_lo(&self, k: usize) -> usize {
        let lo = self.sent_of(k).start;
        let mut j = k;
        while j > lo {
            let it = &self.items[j - 1];
            if it.kind == Kind::Quote || it.punct(';') {
                break;
            }
            j -= 1;
        }
        j
    }

    /// The speaker phrase of the verb of saying at `k`.
    fn subject_of_cue(&self, k: usize) -> Option<Np> {
        let sent = self.sent_of(k);
        match self.cue_kind[k]? {
            CueKind::According => self.np_after(k + 2, sent.end),
            CueKind::Participle => self.main_subject(k),
            CueKind::Finite => {
                let lo = self.clause_lo(k);
                if let Some(np) = self.subject_before(lo, k) {
                    return Some(np);
                }
                // Inverted: "…,” said Ann Lee." / "Said Ann Lee: …"
                let only_marks_before = (lo..k).all(|j| !self.items[j].word());
                if only_marks_before && self.items[k].flags & CUE_OBJ == 0 {
                    let end = self.particle_end(k);
                    if let Some(np) = self.np_after(end, sent.end) {
                        return Some(np);
                    }
                }
                // Coordinated ("… and added"): the subject of the clause.
                if k > lo && self.items[k - 1].is(CONJ) {
                    return self.main_subject(k);
                }
                None
            }
        }
    }

    /// The item after a cue's particle ("pointed out" → after "out").
    fn particle_end(&self, k: usize) -> usize {
        if self.items[k].flags & CUE_PARTICLE != 0 { k + 2 } else { k + 1 }
    }

    /// The subject of the clause a participle or coordinated verb hangs on:
    /// the subject of the nearest verb of saying before it in the sentence,
    /// else the sentence's first noun phrase.
    fn main_subject(&self, k: usize) -> Option<Np> {
        let sent = self.sent_of(k);
        for j in (sent.start..k).rev() {
            if self.cue_kind[j] == Some(CueKind::Finite)
                && let Some(np) = self.subject[j]
            {
                return Some(np);
            }
        }
        self.clause_subject(self.clause_lo(k), k)
    }

    /// The subject ending right before the verb at `k`, within `lo..k`.
    fn subject_before(&self, lo: usize, k: usize) -> Option<Np> {
        let items = self.items;
        let mut j = k;
        // adverbs, auxiliaries and time phrases between subject and verb
        loop {
            if j <= lo {
                return None;
            }
            let it = &items[j - 1];
            if !it.word() {
                break;
            }
            if it.lower() && (it.flags & SKIP != 0 || is_ly_adverb(self.word_text(j - 1))) {
                j -= 1;
                continue;
            }
            if it.flags & WEEKDAY != 0 {
                j -= 1;
                if j > lo && items[j - 1].lower() && self.word_text(j - 1).eq_ignore_ascii_case("on") {
                    j -= 1;
                }
                continue;
            }
            if it.flags & TIME_NOUN != 0 && j - 1 > lo && items[j - 2].lower() && items[j - 2].flags & TIME_DET != 0 {
                j -= 2;
                continue;
            }
            break;
        }
        let it = &items[j - 1];
        match it.kind {
            Kind::Quote => None,
            Kind::Punct if it.ch == ')' => {
                // a party tag or aside: "Ann Lee (D-Ohio) said"
                let mut p = j - 1;
                while p > lo && !items[p - 1].punct('(') {
                    p -= 1;
                }
                if p > lo + 1 && j - p <= 8 { self.np_back(lo, p - 1) } else { None }
            }
            Kind::Punct if it.ch == ',' || it.is_dash() => self.clause_subject(lo, j - 1),
            Kind::Punct => None,
            Kind::Word => {
                if it.flags & REL != 0 && it.lower() {
                    // "Ann Lee, who said …"
                    let mut p = j - 1;
                    while p > lo && items[p - 1].punct(',') {
                        p -= 1;
                    }
                    return if p > lo { self.np_back(lo, p) } else { None };
                }
                self.np_back(lo, j)
            }
        }
    }

    /// The first noun phrase of the clause `lo..hi`, past an opening
    /// adverbial ("In a statement Monday, …") and across an apposition
    /// ("her adviser, Ann Lee, said" → Ann Lee).
    pub fn clause_subject(&self, lo: usize, hi: usize) -> Option<Np> {
        let items = self.items;
        let mut j = lo;
        let mut intros = 0;
        loop {
            while j < hi && (items[j].kind == Kind::Punct || items[j].is(CONJ)) {
                j += 1;
            }
            if j >= hi {
                return None;
            }
            let it = &items[j];
            let opens_adverbial = it.word()
                && !it.is(PRON)
                && (it.flags & INTRO != 0 || it.flags & CUE_ING != 0 || (it.flags & CAP == 0 && !it.is(DET)));
            if opens_adverbial && intros < 2 {
                match (j + 1..hi).find(|&c| items[c].punct(',')) {
                    Some(c) => {
                        j = c + 1;
                        intros += 1;
                        continue;
                    }
                    None => return None,
                }
            }
            break;
        }
        let (np, end) = self.np_fwd(j, hi)?;
        // apposition: a role phrase followed by ", Name,"
        if !matches!(np, Np::Name { .. }) && end < hi && items[end].punct(',') {
            let n0 = end + 1;
            if let Some((Np::Name { full, lo, hi: nh }, ne)) = self.np_fwd(n0, hi)
                && full == n0
                && (ne >= hi || !items[ne].word())
            {
                return Some(Np::Name { full, lo, hi: nh });
            }
        }
        Some(np)
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
        let mut s = j;
        if it.is(DET) && !it.is(POSS_PRON) && s + 1 < hi && items[s + 1].name_word() {
            s += 1;
        }
        if items[s].name_word() {
            let m = self.name_run_end(s, hi);
            // a name used as a modifier: "Lee campaign officials"
            let modifier = m < hi && items[m].lower() && items[m].flags & (PERSON_NOUN | ORG_NOUN | TITLE) != 0;
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
                if head.is_some() && w.is(PREP_ATTACH) && matches!(self.word_text(k), "for" | "of") {
                    k += 1;
                    head = None;
                    continue;
                }
                break;
            }
            if w.flags & (PERSON_NOUN | ORG_NOUN | TITLE) != 0 && w.lower() {
                head = Some(k + 1);
            }
            k += 1;
            if w.name_word() && head.is_none() && k < hi && !items[k].word() {
                head = Some(k);
            }
        }
        let end = head.unwrap_or(k);
        if end <= j {
            return None;
        }
        self.interpret(j, end).map(|np| (np, end))
    }

    /// The end of the name run starting at `s`: capitalised words, initials,
    /// and joining words between them ("Secretary of State").
    fn name_run_end(&self, s: usize, hi: usize) -> usize {
        let items = self.items;
        let mut m = s;
        while m < hi {
            let w = &items[m];
            if w.name_word() {
                m += 1;
                if w.flags & POSS != 0 {
                    break;
                }
            } else if w.lower() && w.flags & NAME_JOIN != 0 && m > s && m + 1 < hi && items[m + 1].name_word() {
                m += 1;
            } else {
                break;
            }
        }
        m
    }

    /// A noun phrase read backwards, ending at item `e` (exclusive).
    fn np_back(&self, lo: usize, e: usize) -> Option<Np> {
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
    fn np_after(&self, j: usize, hi: usize) -> Option<Np> {
        let items = self.items;
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
            if w.name_word() && (m == hi || w.flags & POSS == 0) {
                m -= 1;
            } else if w.lower() && w.flags & NAME_JOIN != 0 && m < hi && m - 1 > lo && items[m - 2].name_word() {
                m -= 1;
            } else {
                break;
            }
        }
        if m < hi {
            let n = self.strip_titles(m, hi);
            if n < hi {
                let attached = m > lo && items[m - 1].lower() && items[m - 1].flags & PREP_ATTACH != 0;
                if !attached {
                    return Some(Np::Name { full: lo, lo: n, hi });
                }
            }
            return Some(Np::Desc { lo, hi });
        }
        let last = &items[hi - 1];
        if last.word() && (last.flags & (FUNC | SKIP | CONJ | REL) == 0 || last.flags & (PERSON_NOUN | ORG_NOUN) != 0) {
            return Some(Np::Desc { lo, hi });
        }
        None
    }

    /// Cuts the titles off the front of the name run `m..hi`: the name starts
    /// after the last title ("Senate Majority Leader Ann Lee" → "Ann Lee",
    /// "Secretary of State Ann Lee" → "Ann Lee").
    fn strip_titles(&self, m: usize, hi: usize) -> usize {
        let items = self.items;
        let org = items[hi - 1].flags & (ORG_HEAD | super::tokens::ALLCAPS) != 0;
        let mut n = m;
        let mut t = m;
        while t < hi {
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

    /// The attribution of the quote at item `q`, from its own sentence.
    pub fn attribute(&self, q: usize) -> Option<Attr> {
        let items = self.items;
        let sent = self.sent_of(q);
        // 1. right after the quote: "“…,” Ann Lee said" / "“…,” said Ann Lee" / "“…” — Ann Lee"
        let mut j = q + 1;
        let mut dash = None;
        while j < sent.end && items[j].kind == Kind::Punct && (items[j].punct(',') || items[j].is_dash()) {
            if items[j].is_dash() {
                dash = Some(j);
            }
            j += 1;
        }
        let mut k = j;
        while k < sent.end && k - j <= MAX_RIGHT {
            let it = &items[k];
            if it.kind == Kind::Quote || it.punct(';') || it.punct(':') {
                break;
            }
            if self.cue_kind[k].is_some() {
                break;
            }
            k += 1;
        }
        if k < sent.end && k - j <= MAX_RIGHT {
            match self.cue_kind[k] {
                Some(CueKind::Finite) if k == j || self.subject[k].is_some_and(|np| np.start() == j) => {
                    return Some(Attr { cue: Cue::Verb(k), speaker: self.subject[k] });
                }
                Some(CueKind::According) if k == j => {
                    return Some(Attr { cue: Cue::Verb(k), speaker: self.subject[k] });
                }
                _ => {}
            }
        }
        if let Some(d) = dash
            && let Some((np @ Np::Name { .. }, end)) = self.np_fwd(j, sent.end)
            && (end >= sent.end || !items[end].word())
        {
            return Some(Attr { cue: Cue::Dash(d), speaker: Some(np) });
        }
        // 2. a verb of saying before it in the sentence
        for k in (sent.start..q).rev() {
            if self.cue_kind[k].is_some() {
                return Some(Attr { cue: Cue::Verb(k), speaker: self.subject[k] });
            }
        }
        // 3. a colon introducing it: "The statement: “…”"
        if q > sent.start && items[q - 1].punct(':') {
            let lo = self.clause_lo(q - 1);
            return Some(Attr { cue: Cue::Colon, speaker: self.clause_subject(lo, q - 1) });
        }
        None
    }

    /// The attribution a paragraph ending in a colon gives to the quote
    /// that opens the next one ("Ann Lee said:" / "The statement read:").
    pub fn colon_attribution(&self, last_item: usize) -> Option<Attr> {
        let items = self.items;
        if !items[last_item].punct(':') {
            return None;
        }
        let sent = self.sent_of(last_item);
        for k in (sent.start..last_item).rev() {
            if items[k].kind == Kind::Quote {
                break;
            }
            if self.cue_kind[k].is_some() {
                return Some(Attr { cue: Cue::Verb(k), speaker: self.subject[k] });
            }
        }
        let lo = self.clause_lo(last_item);
        Some(Attr { cue: Cue::Colon, speaker: self.clause_subject(lo, last_item) })
    }
}

fn is_ly_adverb(w: &str) -> bool {
    w.len() > 4 && w.ends_with("ly") && w.bytes().all(|b| b.is_ascii_lowercase())
}

/// Whether item `i` is a verb of saying, and of which kind.
fn cue_kind_at(text: &str, items: &[Item], i: usize) -> Option<CueKind> {
    let it = &items[i];
    if it.kind != Kind::Word {
        return None;
    }
    let f = it.flags;
    if f & ACCORDING != 0 {
        let next = items.get(i + 1)?;
        return (next.word() && text[next.start..next.end].eq_ignore_ascii_case("to")).then_some(CueKind::According);
    }
    if f & CUE_PARTICLE != 0 && it.lower() {
        let word = &text[it.start..it.end];
        let particle = particle_of(word)?;
        let next = items.get(i + 1)?;
        if next.word() && text[next.start..next.end].eq_ignore_ascii_case(particle) {
            return Some(if word.ends_with("ing") { CueKind::Participle } else { CueKind::Finite });
        }
        return None;
    }
    if it.cue() {
        return Some(CueKind::Finite);
    }
    if it.cue_ing() {
        return Some(CueKind::Participle);
    }
    None
}
