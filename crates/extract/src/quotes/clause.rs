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
use super::regions::Region;
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
    /// No cue: the quote sits inside a clause whose subject is the speaker
    /// ("Ann Lee landed a dig at “…”").
    None,
}

/// A quote's attribution: its cue and, when found, its speaker phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr {
    pub cue: Cue,
    pub speaker: Option<Np>,
    /// Whether the attribution touches the quote ("“…,” she said", "she
    /// said: “…”") rather than merely sharing its sentence.
    pub adjacent: bool,
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
/// it as an adjacent subject-verb pair, in items: room for a long title and
/// name with a party tag ("Senate Minority Leader Ann B. Lee (D-Ohio) said"),
/// not for a new clause.
const MAX_RIGHT: usize = 16;

/// Longest sentence (in items) taken as nothing but an attribution when the
/// sentence splitter has cut it from the quote before it ("“We won.” Lee
/// said."): a bare attribution is a name, a verb and perhaps a short
/// adverbial; anything longer is a sentence of its own.
const SHORT_CLAUSE: usize = 12;

/// Most items after "Ann Lee said" in a sentence that is only an
/// attribution: a time or place ("on Monday.", "in a statement.").
const MAX_BARE_TAIL: usize = 4;

/// Most capitalised words (an outlet or show) before a speaker's role and
/// name right after a quote ("“…,” CBS Morning Show anchor Ann Lee said"):
/// a short proper name, not a clause.
const MAX_NAME_PREFIX: usize = 4;

/// Longest parenthetical between a name and its verb, in items ("Ann Lee
/// (D-Ohio) said"): a party tag or a short aside, never a clause.
const MAX_ASIDE: usize = 8;

/// Most words between a verb of saying and the quote it introduces for the
/// two to count as adjacent ("told reporters: “…”", "said that “…”").
const MAX_LEFT_GAP: usize = 3;

pub struct Clauses<'a> {
    pub text: &'a str,
    pub items: &'a [Item],
    regions: &'a [Region],
    /// Whether each region is long enough to be a quote rather than a
    /// scare-quoted word or title.
    long: &'a [bool],
    /// Item range of each sentence.
    pub sents: Vec<Range<usize>>,
    /// Verb-of-saying kind per item.
    pub cue_kind: Vec<Option<CueKind>>,
    /// Subject of each verb of saying, per item.
    pub subject: Vec<Option<Np>>,
}

impl<'a> Clauses<'a> {
    pub fn new(text: &'a str, items: &'a [Item], regions: &'a [Region], long: &'a [bool], n_sents: usize) -> Self {
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
        let mut c = Clauses { text, items, regions, long, sents, cue_kind, subject: vec![None; items.len()] };
        for k in 0..items.len() {
            if c.cue_kind[k].is_some() {
                c.subject[k] = c.subject_of_cue(k);
            }
        }
        c
    }

    pub fn sent_of(&self, i: usize) -> Range<usize> {
        self.sents[self.items[i].sent.min(self.sents.len() - 1)].clone()
    }

    pub fn word_text(&self, i: usize) -> &'a str {
        &self.text[self.items[i].start..self.items[i].end]
    }

    fn is_long_quote(&self, i: usize) -> bool {
        self.items[i].kind == Kind::Quote && self.long.get(self.items[i].region).copied().unwrap_or(false)
    }

    /// The cue's text as written: the verb, its particle, or "according to".
    pub fn cue_text(&self, k: usize) -> String {
        let it = &self.items[k];
        let two_words = self.cue_kind[k] == Some(CueKind::According) || it.flags & CUE_PARTICLE != 0;
        let end = if two_words { self.items.get(k + 1).map_or(it.end, |n| n.end) } else { it.end };
        self.text[it.start..end].to_string()
    }

    /// Where the clause holding item `k` begins: after the nearest quote
    /// (of a full statement, not a scare-quoted word or title), semicolon or
    /// sentence start to its left.
    pub fn clause_lo(&self, k: usize) -> usize {
        let lo = self.sent_of(k).start;
        let mut j = k;
        while j > lo {
            if self.is_long_quote(j - 1) || self.items[j - 1].punct(';') {
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
                // A parenthetical inversion: "And Lee, said Ann Park, never
                // forgets." The name after the verb is the speaker.
                if k > lo && self.items[k - 1].punct(',') && self.items[k].flags & CUE_OBJ == 0 {
                    let end = self.particle_end(k);
                    if let Some(np @ (Np::Name { .. } | Np::Desc { .. })) = self.np_after(end, sent.end) {
                        let e = self.np_end(np);
                        if e >= sent.end || self.items[e].punct(',') || self.items[e].punct('.') {
                            return Some(np);
                        }
                    }
                }
                if let Some(np) = self.subject_before(lo, k) {
                    return Some(np);
                }
                // Inverted: "…,” said Ann Lee." / "Said Ann Lee: …" / "In
                // other words, explained Ann Lee: …"
                let only_marks_before = (lo..k).all(|j| !self.items[j].word());
                let after_comma = k > lo && self.items[k - 1].punct(',');
                if (only_marks_before || after_comma) && self.items[k].flags & CUE_OBJ == 0 {
                    let end = self.particle_end(k);
                    if let Some(np) = self.np_after(end, sent.end) {
                        return Some(np);
                    }
                }
                // "… would do better to say": the subject of the clause.
                if k > lo && self.word_text(k - 1).eq_ignore_ascii_case("to") {
                    return self.main_subject(k);
                }
                // Coordinated ("… and has added"): the subject of the clause.
                let mut p = k;
                while p > lo && self.items[p - 1].lower() && self.items[p - 1].flags & SKIP != 0 {
                    p -= 1;
                }
                if p > lo && self.items[p - 1].is(CONJ) {
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

    /// The subject of the clause a participle or coordinated verb hangs on
    /// ("Ann Lee told the crowd, saying …"): the first comma-separated
    /// stretch to its left that reads as subject and verb, else the subject
    /// of an earlier verb of saying, else the sentence's first noun phrase.
    fn main_subject(&self, k: usize) -> Option<Np> {
        let items = self.items;
        let sent = self.sent_of(k);
        let lo = self.clause_lo(k);
        let mut end = k;
        while end > lo {
            let mut s = end - 1;
            while s > lo && !items[s - 1].punct(',') {
                s -= 1;
            }
            let mut t = s;
            while t < end && items[t].word() && items[t].flags & (CONJ | INTRO) != 0 && items[t].lower() {
                t += 1;
            }
            if let Some((np, e)) = self.np_fwd(t, end)
                && e < end
                && items[e].lower()
                && items[e].flags & (FUNC | REL) == 0
            {
                return Some(np);
            }
            end = s.saturating_sub(1).max(lo);
            if s == lo {
                break;
            }
        }
        for j in (sent.start..k).rev() {
            if self.cue_kind[j] == Some(CueKind::Finite)
                && let Some(np) = self.subject[j]
            {
                return Some(np);
            }
        }
        // "Declaring that …, the mayor offered …": the subject follows; in a
        // series of verbs across partial quotes it opens the sentence
        self.clause_subject(lo, sent.end).or_else(|| self.clause_subject(sent.start, sent.end))
    }

    /// The nearest name or pronoun before `q` (within `lo..q`) followed by a
    /// verb: "That's why he wanted to “…”" → he.
    fn nearest_subject(&self, lo: usize, q: usize) -> Option<Np> {
        let items = self.items;
        for i in (lo..q).rev() {
            let it = &items[i];
            let verb_next = |e: usize| {
                e < q && items[e].lower() && items[e].flags & (FUNC | DET | PREP_STOP | CONJ | REL) == 0
                    || e < q && items[e].lower() && items[e].flags & SKIP != 0
            };
            if it.is(PRON) && !it.is(POSS_PRON) && verb_next(i + 1) {
                return Some(Np::Pron(i));
            }
            if it.name_word() && (i == lo || !items[i - 1].name_word()) {
                let e = self.name_run_end(i, q);
                if verb_next(e)
                    && let Some(np @ Np::Name { .. }) = self.interpret(i, e)
                {
                    return Some(np);
                }
            }
        }
        None
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
                if p > lo + 1 && j - p <= MAX_ASIDE { self.np_back(lo, p - 1) } else { None }
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

    /// Whether the clause `j..hi` opens with an adverbial phrase running to
    /// a comma ("In a statement,", "Eight years ago,", "Asked about it,").
    fn opens_adverbial(&self, j: usize, hi: usize) -> Option<usize> {
        let items = self.items;
        let it = &items[j];
        if !it.word() || it.is(PRON) {
            return None;
        }
        let comma = (j + 1..hi).find(|&c| items[c].punct(','))?;
        let by_first = it.flags & (INTRO | CUE_ING | NUMBER) != 0
            || (it.flags & FUNC != 0 && it.flags & (DET | SKIP) == 0)
            || (it.lower() && !it.is(DET) && it.flags & SKIP == 0);
        let last = &items[comma - 1];
        let by_last = last.word() && last.flags & (WEEKDAY | TIME_NOUN) != 0
            || self.word_text(comma - 1).eq_ignore_ascii_case("ago");
        if !(by_first || by_last) {
            return None;
        }
        // "In Clairton, Ohio, Ann Lee said": a place's region belongs to it
        let next = comma + 1;
        let locative = (j..comma).any(|i| matches!(self.word_text(i), "in" | "at" | "near" | "from" | "outside"));
        if locative && items[comma - 1].name_word() && next < hi && items[next].name_word() {
            let m = self.name_run_end(next, hi);
            if m - next <= 2 && m + 1 < hi && items[m].punct(',') {
                return Some(m + 1);
            }
        }
        Some(next)
    }

    /// The first noun phrase of the clause `lo..hi`, past an opening
    /// adverbial ("In a statement Monday, …") and across an apposition
    /// ("her adviser, Ann Lee, said" → Ann Lee).
    pub fn clause_subject(&self, lo: usize, hi: usize) -> Option<Np> {
        let items = self.items;
        let mut j = lo;
        let mut intros = 0;
        loop {
            while j < hi
                && (items[j].kind == Kind::Punct
                    || items[j].is(CONJ)
                    || (items[j].is(SKIP) && items[j].flags & (INTRO | DET) == 0 && !items[j].name_word()))
            {
                j += 1;
            }
            if j >= hi {
                return None;
            }
            if intros < 2
                && let Some(next) = self.opens_adverbial(j, hi)
            {
                j = next;
                intros += 1;
                continue;
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
                return Some(Np::Name { full: j, lo, hi: nh });
            }
        }
        Some(np)
    }

    /// Whether the lower-case word at `i` names a person or body by role
    /// ("spokesman", "developer", "strategist"): a closed-class role noun or
    /// an agent-noun ending.
    fn is_role(&self, i: usize) -> bool {
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
            let m = self.name_run_end(s, hi);
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
    fn joins_here(&self, s: usize, m: usize) -> bool {
        m - s == 1 || self.items[s..m].iter().all(|it| it.flags & TITLE != 0)
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
    fn np_after(&self, j: usize, hi: usize) -> Option<Np> {
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
    fn valid_desc(&self, lo: usize, hi: usize) -> bool {
        let items = self.items;
        let first = &items[lo];
        let last = &items[hi - 1];
        if !last.word() || (last.flags & (FUNC | SKIP | CONJ | REL) != 0 && last.flags & (PERSON_NOUN | ORG_NOUN) == 0)
        {
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
    fn strip_titles(&self, m: usize, hi: usize) -> usize {
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

    /// The verb closing a bare attribution right after a quote, when it is
    /// no verb of saying this lexicon knows ("“…?” Lee pressed.", "“…,”
    /// retorted Lee."): subject and verb, or verb and name, then the end of
    /// the clause. Returns (verb, subject).
    fn bare_attribution(&self, j: usize, end: usize) -> Option<(usize, Np)> {
        let items = self.items;
        let closes = |i: usize| i >= end || !items[i].word() || items[i].flags & PREP_STOP != 0;
        let verb_like = |i: usize| {
            i < end && items[i].lower() && items[i].flags & (FUNC | SKIP | DET | REL | CONJ | PREP_STOP) == 0
        };
        if let Some((np, e)) = self.np_fwd(j, end)
            && verb_like(e)
            && closes(e + 1)
            && match np {
                Np::Name { .. } | Np::Pron(_) => true,
                // "one user commented."
                Np::Desc { lo, .. } => items[lo].is(DET) && self.word_text(e).ends_with("ed"),
            }
        {
            return Some((e, np));
        }
        if verb_like(j)
            && let Some((np @ Np::Name { .. }, e)) = self.np_fwd(j + 1, end)
            && closes(e)
        {
            return Some((j, np));
        }
        None
    }

    /// Whether the quote at item `q` names a work rather than reports words:
    /// a title with its author after it ("“…,” by Ann Lee").
    pub fn is_titled_work(&self, q: usize) -> bool {
        let items = self.items;
        let mut j = q + 1;
        while j < items.len() && items[j].punct(',') {
            j += 1;
        }
        j + 1 < items.len() && items[j].para == items[q].para && self.word_text(j) == "by" && items[j + 1].name_word()
    }

    /// The item after a noun phrase.
    fn np_end(&self, np: Np) -> usize {
        match np {
            Np::Name { hi, .. } | Np::Desc { hi, .. } => hi,
            Np::Pron(i) => i + 1,
        }
    }

    /// Whether the quoted words of region `r` end like a sentence cut off by
    /// its attribution ("?", "!", "…", a dash).
    fn ends_open(&self, r: usize) -> bool {
        let reg = self.regions[r];
        matches!(self.text[reg.start..reg.end].chars().last(), Some('?' | '!' | '…' | '—' | '–' | '-'))
    }

    /// The attribution of the quote at item `q`, from its own sentence.
    pub fn attribute(&self, q: usize) -> Option<Attr> {
        let items = self.items;
        let sent = self.sent_of(q);
        // The sentence splitter cuts after "?”" and "!”", and after ".”"
        // before a capital; a short sentence right after is the attribution.
        let mut right_end = sent.end;
        let mut bare_clause_only = false;
        if q + 1 == sent.end && q + 1 < items.len() && items[q + 1].para == items[q].para {
            let next = self.sent_of(q + 1);
            if self.ends_open(items[q].region) {
                right_end = next.end;
            } else if next.len() <= SHORT_CLAUSE {
                right_end = next.end;
                bare_clause_only = true;
            }
        }
        // 1. after the quote: "“…,” Ann Lee said" / "“…,” said Ann Lee" /
        // "“…” before the crowd, she said." / "“…” — Ann Lee"
        let mut j = q + 1;
        let mut dash = None;
        while j < right_end && items[j].kind == Kind::Punct && (items[j].punct(',') || items[j].is_dash()) {
            if items[j].is_dash() {
                dash = Some(j);
            }
            j += 1;
        }
        let mut k = j;
        while k < right_end {
            let it = &items[k];
            if self.is_long_quote(k) {
                // "“A” and “B,” Ann Lee said": one attribution for both
                if (j..k).all(|i| items[i].kind == Kind::Punct || items[i].is(CONJ)) {
                    j = k + 1;
                    while j < right_end && (items[j].punct(',') || items[j].is_dash()) {
                        j += 1;
                    }
                    k = j;
                    continue;
                }
                break;
            }
            if it.punct(';') || it.punct(':') || self.cue_kind[k].is_some() {
                break;
            }
            k += 1;
        }
        // "…, Ann Lee said: “…”" introduces the next quote, not this one
        let introduces_next = k < right_end
            && (self.particle_end(k)..right_end.min(self.particle_end(k) + 4))
                .find(|&i| !items[i].word() || self.is_long_quote(i))
                .is_some_and(|i| items[i].punct(':') || self.is_long_quote(i));
        if k < right_end && !introduces_next {
            let subj = self.subject[k];
            let found = match self.cue_kind[k] {
                Some(CueKind::Finite) => {
                    // "“…,” a friend, Ann Lee, told …": a role set off before the name
                    let role_first = subj.is_some_and(|np| {
                        let st = np.start();
                        (st > j + 1 && items[st - 1].punct(',') && self.valid_desc(j, st - 1))
                            || (st > j
                                && st - j <= MAX_NAME_PREFIX
                                && (j..st).all(|i| {
                                    let w = &items[i];
                                    w.word() && (w.flags & (CAP | POSS) != 0 || w.is(DET) || self.is_role(i))
                                }))
                    });
                    let touching =
                        k - j <= MAX_RIGHT && (k == j || subj.is_some_and(|np| np.start() == j) || role_first);
                    // set off by a comma and closing the sentence
                    let start = subj.map_or(k, Np::start);
                    let after = self.particle_end(k);
                    let closes = after >= right_end
                        || !items[after].word()
                        || items[after].flags & PREP_STOP != 0
                        || subj.is_some_and(|np| np.start() > k);
                    let lead = if start > k { k } else { start };
                    let aside = subj.is_some() && lead > j && items[lead - 1].punct(',') && closes;
                    // after "“….”" only a bare "Ann Lee said." may follow
                    let tail = subj.map_or(after, |np| if np.start() > k { self.np_end(np) } else { after });
                    let bare = right_end.saturating_sub(tail) <= MAX_BARE_TAIL;
                    (touching || aside) && (!bare_clause_only || bare)
                }
                Some(CueKind::According) => k == j,
                _ => false,
            };
            if found {
                return Some(Attr { cue: Cue::Verb(k), speaker: subj, adjacent: true });
            }
        }
        let reg = self.regions[items[q].region];
        let as_object = self.text[reg.start..reg.end].ends_with([',', '?', '!', '—', '–'])
            || (q + 1 < right_end && items[q + 1].punct(','));
        if as_object && let Some((v, np)) = self.bare_attribution(j, right_end) {
            return Some(Attr { cue: Cue::Verb(v), speaker: Some(np), adjacent: true });
        }
        if let Some(d) = dash
            && let Some((np @ Np::Name { .. }, end)) = self.np_fwd(j, right_end)
            && (end >= right_end || !items[end].word())
        {
            return Some(Attr { cue: Cue::Dash(d), speaker: Some(np), adjacent: true });
        }
        // 2. a verb of saying before it in the sentence (one with a
        // subject, before one without: "Lee, who told them when asked: “…”")
        let mut left: Option<usize> = (sent.start..q)
            .rev()
            .filter(|&k| self.cue_kind[k].is_some())
            .find(|&k| self.subject[k].is_some())
            .or_else(|| (sent.start..q).rev().find(|&k| self.cue_kind[k].is_some()));
        // A report inside a person's report ("Lee said … a platform that
        // calls for “…”", "Lee said that according to its count, “…”"):
        // the quote is the outer speaker's.
        if let Some(k) = left
            && !matches!(self.subject[k], Some(Np::Name { .. } | Np::Pron(_)))
            && let Some(outer) = (sent.start..k).rev().find(|&o| {
                self.cue_kind[o] == Some(CueKind::Finite)
                    && matches!(self.subject[o], Some(Np::Name { .. } | Np::Pron(_)))
                    && !(o..k).any(|i| self.is_long_quote(i))
            })
        {
            left = Some(outer);
        }
        if let Some(k) = left {
            let from = match self.subject[k] {
                Some(np) if np.start() > k => self.np_end(np),
                _ => self.particle_end(k),
            };
            let gap = (from.min(q)..q).filter(|&i| items[i].word()).count();
            let names_between = (from.min(q)..q).any(|i| items[i].name_word());
            return Some(Attr {
                cue: Cue::Verb(k),
                speaker: self.subject[k],
                adjacent: gap <= MAX_LEFT_GAP && !names_between,
            });
        }
        // 3. a colon introducing it: "The statement: “…”", "Topic — Ann Lee: “…”"
        let lo = self.clause_lo(q);
        if q > sent.start && items[q - 1].punct(':') {
            let from = (lo..q - 1).rev().find(|&i| items[i].is_dash()).map_or(lo, |d| d + 1);
            return Some(Attr { cue: Cue::Colon, speaker: self.clause_subject(from, q - 1), adjacent: true });
        }
        // 4. no verb of saying: the subject of the clause the quote is part of
        // (across earlier partial quotes: "Lee backs “fair pay raises,”
        // opposes “…”")
        if sent.start < q
            && let Some(np) = self.nearest_subject(sent.start, q).or_else(|| self.clause_subject(lo, q))
            && self.speaker_like(np)
        {
            return Some(Attr { cue: Cue::None, speaker: Some(np), adjacent: false });
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
            if self.is_long_quote(k) {
                break;
            }
            if self.cue_kind[k].is_some() {
                return Some(Attr { cue: Cue::Verb(k), speaker: self.subject[k], adjacent: true });
            }
        }
        let lo = self.clause_lo(last_item);
        Some(Attr { cue: Cue::Colon, speaker: self.clause_subject(lo, last_item), adjacent: true })
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
    let word = &text[it.start..it.end];
    let next_is = |w: &str| items.get(i + 1).is_some_and(|n| n.word() && text[n.start..n.end].eq_ignore_ascii_case(w));
    if f & ACCORDING != 0 {
        return next_is("to").then_some(CueKind::According);
    }
    // After a determiner or a possessor the word is a noun: "the reports",
    // "his claims", "Lee's comments".
    if i > 0 {
        let p = &items[i - 1];
        if p.word() && (p.flags & POSS != 0 || (p.is(DET) && !p.is(REL))) {
            return None;
        }
    }
    if f & CUE_PARTICLE != 0 && it.lower() {
        let particle = particle_of(word)?;
        return next_is(particle).then_some(if word.ends_with("ing") { CueKind::Participle } else { CueKind::Finite });
    }
    if it.cue() {
        return Some(CueKind::Finite);
    }
    if it.cue_ing() {
        return Some(CueKind::Participle);
    }
    if f & (CUE_BASE | CUE_NOUNISH) != 0 && it.lower() && i > 0 {
        let p = &items[i - 1];
        let pw = &text[p.start..p.end];
        let plural = pw.ends_with('s') && p.flags & (FUNC | DET) == 0;
        let subject_like = if f & CUE_BASE != 0 {
            // "they say", "officials say", "Democrats say", "would say", "to say"
            p.word()
                && ((p.is(PRON) && p.flags & (MALE | FEMALE | POSS_PRON) == 0 && !pw.eq_ignore_ascii_case("it"))
                    || (p.lower() && p.flags & SKIP != 0)
                    || pw.eq_ignore_ascii_case("to")
                    || (p.lower() && p.flags & PERSON_NOUN != 0 && plural)
                    || plural)
        } else {
            // "it reads", "Lee answers"
            p.word()
                && ((p.is(PRON) && (p.flags & (MALE | FEMALE) != 0 || pw.eq_ignore_ascii_case("it")))
                    || (p.name_word() && !plural && p.flags & POSS == 0))
        };
        if subject_like {
            return Some(CueKind::Finite);
        }
    }
    None
}
