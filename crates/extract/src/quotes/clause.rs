//! Who says what: verbs of saying and their subjects.
//!
//! No parser is available offline, so clauses are read with the shallow
//! structure that news attribution actually uses: a subject noun phrase
//! right before its verb ("Ann Lee said"), after it when inverted ("said Ann
//! Lee"), across an apposition set off by commas ("Ann Lee, the mayor,
//! said"), after an opening adverbial ("In a statement, the mayor said"), or
//! after "according to". Noun phrases are found by capitalisation, closed
//! word classes (determiners, titles, pronouns) and punctuation ([`super::np`]);
//! which quote each attribution governs is [`super::attribute`]'s.

use std::ops::Range;

use super::lexicon::*;
use super::np::{Np, is_ly_adverb};
use super::regions::Region;
use super::tokens::{Item, Kind, POSS};

/// Kind of a verb-of-saying item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    Finite,
    Participle,
    According,
}

/// Longest parenthetical between a name and its verb, in items ("Ann Lee
/// (D-Ohio) said"): a party tag or a short aside, never a clause.
const MAX_ASIDE: usize = 8;

pub struct Clauses<'a> {
    pub text: &'a str,
    pub items: &'a [Item],
    pub(super) regions: &'a [Region],
    /// Whether each region is long enough to be a quote rather than a
    /// scare-quoted word or title.
    pub(super) long: &'a [bool],
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

    pub(super) fn is_long_quote(&self, i: usize) -> bool {
        self.items[i].kind == Kind::Quote && self.long.get(self.items[i].region).copied().unwrap_or(false)
    }

    /// Whether item `i` is a quoted stretch whose comma sits inside its
    /// marks (“… may be "strategic," said Ann Lee”): the comma that sets
    /// an inverted attribution off.
    pub(super) fn quote_ends_comma(&self, i: usize) -> bool {
        let it = &self.items[i];
        it.kind == Kind::Quote
            && self.regions.get(it.region).is_some_and(|r| self.text[r.start..r.end].trim_end().ends_with(','))
    }

    /// The base form of the verb of saying at `k` ("told" → "tell").
    pub fn cue_base(&self, k: usize) -> Option<&'static str> {
        crate::cues::speech_verb_base(self.word_text(k))
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
    pub(super) fn subject_of_cue(&self, k: usize) -> Option<Np> {
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
                let after_comma = k > lo && (self.items[k - 1].punct(',') || self.quote_ends_comma(k - 1));
                if (only_marks_before || after_comma) && self.items[k].flags & CUE_OBJ == 0 {
                    let end = self.skip_numeric_modifier(self.particle_end(k), sent.end);
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

    /// Past a number written with a slash that modifies the name after it
    /// ("said 9/11 widow Ann Lee").
    fn skip_numeric_modifier(&self, j: usize, hi: usize) -> usize {
        let digits = |i: usize| i < hi && self.items[i].word() && self.word_text(i).bytes().all(|b| b.is_ascii_digit());
        if digits(j) && j + 2 < hi && self.items[j + 1].punct('/') && digits(j + 2) { j + 3 } else { j }
    }

    /// Whether item `i` is a year ("2010") or a month's name ("March").
    fn is_year_or_month(&self, i: usize) -> bool {
        let w = self.word_text(i);
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            || (self.items[i].name_word() && chorus_text::calendar::month(&w.to_ascii_lowercase()).is_some())
    }

    /// The item after a cue's particle ("pointed out" → after "out").
    pub(super) fn particle_end(&self, k: usize) -> usize {
        if self.items[k].flags & CUE_PARTICLE != 0 { k + 2 } else { k + 1 }
    }

    /// The subject of the clause a participle or coordinated verb hangs on
    /// ("Ann Lee told the crowd, saying …"): the first comma-separated
    /// stretch to its left that reads as subject and verb, else the subject
    /// of an earlier verb of saying, else the sentence's first noun phrase.
    pub(super) fn main_subject(&self, k: usize) -> Option<Np> {
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
    pub(super) fn nearest_subject(&self, lo: usize, q: usize) -> Option<Np> {
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
            // "Gov. Ann Lee of Ohio lauded …": the place after "of" is no subject
            let attached = i > lo && items[i - 1].lower() && matches!(self.word_text(i - 1), "of" | "from");
            if it.name_word() && (i == lo || !items[i - 1].name_word()) && !attached {
                let e = self.name_run_end(i, q);
                // "Cruz’s eligibility": a possessor, not a subject
                if e > i && items[e - 1].flags & POSS != 0 {
                    continue;
                }
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
    pub(super) fn subject_before(&self, lo: usize, k: usize) -> Option<Np> {
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
            // "who in 2010 said", "who in March told"
            if j - 1 > lo && items[j - 2].lower() && self.word_text(j - 2) == "in" && self.is_year_or_month(j - 1) {
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
                    while p > lo && (items[p - 1].punct(',') || items[p - 1].is_dash()) {
                        p -= 1;
                    }
                    let np = if p > lo { self.np_back(lo, p) } else { None };
                    // "McConnell, now the majority leader, who said …": the
                    // name the apposition describes
                    if let Some(Np::Desc { lo: d, .. }) = np {
                        let mut a = d;
                        while a > lo && items[a - 1].lower() && items[a - 1].flags & SKIP != 0 {
                            a -= 1;
                        }
                        if a > lo + 1
                            && items[a - 1].punct(',')
                            && let Some(name @ Np::Name { .. }) = self.np_back(lo, a - 1)
                        {
                            return Some(name);
                        }
                    }
                    return np;
                }
                let np = self.np_back(lo, j)?;
                // "Another source speaking to Fox News said": the name is the
                // participle's object; the subject is the phrase before
                let s0 = np.start();
                if s0 > lo + 2
                    && items[s0 - 1].lower()
                    && matches!(self.word_text(s0 - 1), "to" | "with")
                    && items[s0 - 2].lower()
                    && self.word_text(s0 - 2).ends_with("ing")
                    && let Some(head) = self.np_back(lo, s0 - 2)
                {
                    return Some(head);
                }
                Some(np)
            }
        }
    }

    /// Whether the clause `j..hi` opens with an adverbial phrase running to
    /// a comma ("In a statement,", "Eight years ago,", "Asked about it,").
    pub(super) fn opens_adverbial(&self, j: usize, hi: usize) -> Option<usize> {
        let items = self.items;
        let it = &items[j];
        if !it.word() || it.is(PRON) {
            return None;
        }
        // the comma may sit inside the marks of a quoted title ("On “Face
        // the Nation,” Ann Lee said")
        let comma =
            (j + 1..hi).find(|&c| items[c].punct(',') || (self.quote_ends_comma(c) && !self.is_long_quote(c)))?;
        if items[comma].kind == Kind::Quote {
            let by_first = it.flags & INTRO != 0;
            return (by_first && comma + 1 < hi).then_some(comma + 1);
        }
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
            // "it reads", "Lee answers"; not "so many Republican claims" or
            // "of Republican claims", where a plural quantifier or a
            // preposition makes the pair a noun phrase
            let counted = i >= 2
                && items[i - 2].lower()
                && matches!(
                    &text[items[i - 2].start..items[i - 2].end],
                    "many" | "several" | "few" | "various" | "numerous" | "two" | "three" | "four" | "five" | "both"
                        | "all" | "most" | "other" | "some" | "these" | "those"
                        // "11% of Republican claims": the object of a preposition
                        | "of" | "about" | "against" | "on" | "with"
                );
            p.word()
                && ((p.is(PRON) && (p.flags & (MALE | FEMALE) != 0 || pw.eq_ignore_ascii_case("it")))
                    || (p.name_word() && !plural && p.flags & POSS == 0 && !counted))
        };
        if subject_like {
            return Some(CueKind::Finite);
        }
    }
    None
}
