//! Who else could have said it: every speaker a quote might have, with what
//! the text says for each, for [`super::ranker`] to choose from.
//!
//! The clause reader ([`super::attribute`]) proposes one attribution; the
//! candidates add what a reader weighs besides: the subjects of the verbs of
//! saying nearby, the subjects of the sentences before, the speakers of the
//! neighbouring quotes, the people and bodies named around it, and for a
//! pronoun each person it may refer to. A candidate is a speaker string
//! (a name in its fullest form, or a description of people), with named
//! features that say how and where it was found; one speaker found several
//! ways is one candidate with all of those features.
//!
//! Only people, organisations and groups of people are candidates: a
//! document ("the statement", "the sign") or a phrase that names no one
//! ("the timing") never is.

use rustc_hash::FxHashMap;

use super::attribute::{Attr, Cue};
use super::clause::{Clauses, CueKind};
use super::names::{Class, Names};
use super::np::Np;
use super::regions::Region;
use super::tokens::Kind;
use crate::EntitySpan;
use chorus_model::EntityKind;

/// One speaker a quote may have, with its features (name → value).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub speaker: String,
    pub features: Vec<(&'static str, f32)>,
}

/// Sentences before a quote searched for speakers: a pronoun or a role
/// three sentences on is still read as the person of the paragraph before;
/// further back the subject has changed.
const BACK: usize = 3;

/// Antecedents offered for one pronoun: the nearest fitting one is usually
/// right; the second and third cover a subject that changed in between.
const PRONOUN_ANTECEDENTS: usize = 3;

/// Recency ranks told apart: the one, two or three people last named before
/// a quote are its likely speakers; beyond that rank says nothing more.
const RECENCY_RANKS: usize = 4;

/// What one quote's neighbourhood holds, for candidates to be read from.
pub(super) struct Context<'c, 'a> {
    pub c: &'c Clauses<'a>,
    pub names: &'c Names<'c, 'a>,
    pub regions: &'a [Region],
    pub entities: &'a [EntitySpan],
    /// Item of each region (usize::MAX when the region holds no item).
    pub region_item: &'c [usize],
    /// Whether each region is a statement long enough to attribute.
    pub long: &'c [bool],
    /// Attribution of each region: its own, or inherited.
    pub attrs: &'c [Option<Attr>],
    /// Whether the region's attribution is its own (not inherited).
    pub own: &'c [bool],
    /// How many verbs of saying in the article have each speaker as subject.
    pub cue_subjects: FxHashMap<String, usize>,
    /// How many times the article names each speaker.
    pub mentions: FxHashMap<String, usize>,
}

impl<'c, 'a> Context<'c, 'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        c: &'c Clauses<'a>,
        names: &'c Names<'c, 'a>,
        regions: &'a [Region],
        entities: &'a [EntitySpan],
        region_item: &'c [usize],
        long: &'c [bool],
        attrs: &'c [Option<Attr>],
        own: &'c [bool],
    ) -> Self {
        let mut cue_subjects: FxHashMap<String, usize> = FxHashMap::default();
        for k in 0..c.items.len() {
            if c.cue_kind[k].is_some()
                && let Some(np) = c.subject[k]
                && let Some(s) = names.speaker(np)
            {
                *cue_subjects.entry(key(&s)).or_default() += 1;
            }
        }
        let mut mentions: FxHashMap<String, usize> = FxHashMap::default();
        for e in entities.iter().filter(|e| matches!(e.kind, EntityKind::Person | EntityKind::Organization)) {
            *mentions.entry(key(&e.name)).or_default() += 1;
        }
        Context { c, names, regions, entities, region_item, long, attrs, own, cue_subjects, mentions }
    }

    /// The candidates of the quote of region `r`.
    pub fn candidates(&self, r: usize) -> Vec<Candidate> {
        let mut acc = Acc::default();
        let c = self.c;
        let items = c.items;
        let q = self.region_item[r];
        let q_sent = items[q].sent;
        let q_para = items[q].para;
        let reg = self.regions[r];

        // 1. the clause reader's own choice
        if let Some(a) = self.attrs[r]
            && let Some(np) = a.speaker
        {
            let mut f: Vec<&'static str> = vec!["rule"];
            f.push(match a.cue {
                Cue::Verb(_) => "rule_verb",
                Cue::Colon => "rule_colon",
                Cue::Dash(_) => "rule_dash",
                Cue::None => "rule_subject",
            });
            if a.adjacent {
                f.push("rule_adjacent");
            }
            f.push(if self.own[r] { "rule_own" } else { "rule_inherited" });
            f.push(match np {
                Np::Name { .. } => "rule_name",
                Np::Desc { .. } => "rule_desc",
                Np::Pron(_) => "rule_pronoun",
            });
            if let Cue::Verb(k) = a.cue
                && c.cue_base(k) == Some("say")
            {
                f.push("rule_say");
            }
            self.add(&mut acc, np, &f, reg.start);
        }

        // 2. subjects of verbs of saying nearby
        let first = q_sent.saturating_sub(BACK);
        let lo = c.sents.get(first).map_or(0, |s| s.start);
        let hi = c.sents.get(q_sent + 1).map_or(items.len(), |s| s.end).max(q + 1);
        for k in lo..hi {
            let (Some(kind), Some(np)) = (c.cue_kind[k], c.subject[k]) else { continue };
            let d = q_sent as isize - items[k].sent as isize;
            let mut f: Vec<&'static str> = vec![match d {
                0 if k > q => "cue_after",
                0 => "cue_before",
                1 => "cue_prev1",
                2 => "cue_prev2",
                -1 => "cue_next",
                _ => "cue_prev3",
            }];
            match kind {
                CueKind::Participle => f.push("cue_participle"),
                CueKind::According => f.push("cue_according"),
                CueKind::Finite => {}
            }
            if c.cue_base(k) == Some("say") {
                f.push("cue_say");
            }
            if items[k].para != q_para {
                f.push("cue_other_para");
            }
            // another quote between the verb and this one claims the verb
            let (a, b) = if k < q { (k, q) } else { (q + 1, k) };
            if (a..b).any(|i| items[i].kind == Kind::Quote && self.long[items[i].region]) {
                f.push("cue_quote_between");
            }
            self.add(&mut acc, np, &f, reg.start);
        }

        // 3. subjects of this sentence and the ones before
        for s in first..=q_sent {
            let Some(range) = c.sents.get(s) else { continue };
            if range.is_empty() {
                continue;
            }
            if let Some(np) = c.clause_subject(range.start, range.end) {
                let f = match q_sent - s {
                    0 => "subj_same",
                    1 => "subj_prev1",
                    2 => "subj_prev2",
                    _ => "subj_prev3",
                };
                self.add(&mut acc, np, &[f], reg.start);
            }
        }

        // 4. the speakers of the neighbouring quotes
        let prev = (0..r).rev().find(|&p| self.long[p] && self.region_item[p] != usize::MAX);
        if let Some(p) = prev
            && let Some(Attr { speaker: Some(np), .. }) = self.attrs[p]
        {
            let pp = items[self.region_item[p]].para;
            let f = if pp == q_para {
                "quote_prev"
            } else if pp + 1 == q_para {
                "quote_prev_para"
            } else {
                "quote_prev_far"
            };
            self.add(&mut acc, np, &[f], reg.start);
        }
        let next = (r + 1..self.regions.len()).find(|&n| self.long[n] && self.region_item[n] != usize::MAX);
        if let Some(n) = next
            && items[self.region_item[n]].para == q_para
            && let Some(Attr { speaker: Some(np), .. }) = self.attrs[n]
        {
            self.add(&mut acc, np, &["quote_next"], reg.start);
        }

        // 5. people and bodies named around it, outside quotes
        let from = items[lo].start;
        let to = items[hi - 1].end;
        let i0 = self.entities.partition_point(|e| e.end <= from);
        for e in self.entities[i0..].iter().take_while(|e| e.start < to) {
            if !matches!(e.kind, EntityKind::Person | EntityKind::Organization) || self.inside_quote(e.start) {
                continue;
            }
            let Some(np) = self.np_of(e) else { continue };
            let s = items[np.start()].sent;
            let f = match q_sent as isize - s as isize {
                0 => "named_same",
                1 => "named_prev1",
                2 => "named_prev2",
                -1 => "named_next",
                _ => "named_prev3",
            };
            self.add(&mut acc, np, &[f], reg.start);
        }

        self.finish(acc, r)
    }

    /// Candidate-level features, once every mention is in.
    fn finish(&self, acc: Acc, r: usize) -> Vec<Candidate> {
        let reg = self.regions[r];
        let quoted = &self.c.text[reg.start..reg.end];
        // the pronoun the clause reader found as the speaker, if any
        let pronoun = match self.attrs[r] {
            Some(Attr { speaker: Some(Np::Pron(p)), .. }) => Some(p),
            _ => None,
        };
        // people and bodies by how recently they were named before the quote
        let upto = self.entities.partition_point(|e| e.start < reg.start);
        let mut recent: Vec<String> = Vec::new();
        for e in self.entities[..upto].iter().rev() {
            if recent.len() == RECENCY_RANKS {
                break;
            }
            if matches!(e.kind, EntityKind::Person | EntityKind::Organization) && !self.inside_quote(e.start) {
                let k = key(&e.name);
                if !recent.contains(&k) {
                    recent.push(k);
                }
            }
        }
        acc.list
            .into_iter()
            .map(|(speaker, class, mut feats)| {
                let k = key(&speaker);
                let mut set = |n: &'static str, v: f32| {
                    feats.insert(n, v);
                };
                set(
                    match class {
                        Class::Person => "class_person",
                        Class::Org => "class_org",
                        Class::Group => "class_group",
                        Class::Place => "class_place",
                        Class::Thing | Class::Unknown => "class_unknown",
                    },
                    1.0,
                );
                if names_someone(&speaker) {
                    set("named", 1.0);
                }
                let words = speaker.split_whitespace().count();
                if words == 1 {
                    set("one_word", 1.0);
                }
                let men_n = self.mentions.get(&k).copied().unwrap_or(0);
                // one capitalised word that is no entity: a sentence opener
                // or an adjective read as a name ("American-born")
                if words == 1 && men_n == 0 && class == Class::Unknown {
                    set("weak_name", 1.0);
                }
                let cue_n = self.cue_subjects.get(&k).copied().unwrap_or(0);
                set("cue_subject_count", (1.0 + cue_n as f32).ln());
                set("mention_count", (1.0 + men_n as f32).ln());
                if men_n == 0 {
                    set("no_entity", 1.0);
                }
                match recent.iter().position(|x| *x == k) {
                    Some(0) => set("recent1", 1.0),
                    Some(1) => set("recent2", 1.0),
                    Some(_) => set("recent3", 1.0),
                    None => {}
                }
                if in_quote(&speaker, quoted) {
                    set("in_quote", 1.0);
                }
                // "she said" and a man's name: whoever the pronoun means, not him
                if let Some(p) = pronoun
                    && self.names.gender_clash(p, &speaker)
                {
                    set("gender_clash", 1.0);
                }
                let mut features: Vec<(&'static str, f32)> = feats.into_iter().collect();
                features.sort_by(|a, b| a.0.cmp(b.0));
                Candidate { speaker, features }
            })
            .collect()
    }

    /// Adds the speaker a phrase names, with the features of how it was
    /// found; a pronoun adds each person it may refer to, a bare role the
    /// person the article gives that role.
    fn add(&self, acc: &mut Acc, np: Np, f: &[&'static str], quote_start: usize) {
        match np {
            Np::Pron(p) => {
                for (rank, ante) in self.names.antecedents(p, PRONOUN_ANTECEDENTS).into_iter().enumerate() {
                    let name = ante.name;
                    let mut g = f.to_vec();
                    g.extend(ante.features);
                    g.push("via_pronoun");
                    g.push(["pronoun_1", "pronoun_2", "pronoun_3"][rank.min(2)]);
                    if f.contains(&"rule") {
                        g.push(["rule_pronoun_1", "rule_pronoun_2", "rule_pronoun_3"][rank.min(2)]);
                    }
                    let class = self.names.class_of_key(&name);
                    acc.push(name, class, &g);
                }
            }
            _ => {
                let class = self.names.class(np);
                if class == Class::Thing
                    && let Some(owner) = self.names.possessor(np)
                {
                    // "Lee's statement", "the Lee campaign's ad": its author
                    let mut g = f.to_vec();
                    g.push("via_document");
                    return self.add(acc, owner, &g, quote_start);
                }
                if !is_speaker_class(np, class) {
                    return;
                }
                if let Some(name) = self.names.role_holder(np, quote_start) {
                    let mut g = f.to_vec();
                    g.push("via_role");
                    if f.contains(&"rule") {
                        g.push("rule_role");
                    }
                    acc.push(name, Class::Person, &g);
                    return;
                }
                if let Some(s) = self.names.speaker(np) {
                    acc.push(s, class, f);
                }
            }
        }
    }

    fn inside_quote(&self, pos: usize) -> bool {
        let i = self.regions.partition_point(|r| r.close <= pos);
        self.regions.get(i).is_some_and(|r| r.open <= pos)
    }

    /// The noun phrase of an entity mention, read over its items.
    fn np_of(&self, e: &EntitySpan) -> Option<Np> {
        let items = self.c.items;
        let lo = items.partition_point(|it| it.end <= e.start);
        let mut hi = lo;
        while hi < items.len() && items[hi].start < e.end {
            if !items[hi].word() {
                return None;
            }
            hi += 1;
        }
        self.c.interpret(lo, hi)
    }
}

/// Whether a phrase of this class can be a speaker: a name of any kind, a
/// pronoun, or a description of people or a body; never a document or a
/// phrase that names no one.
fn is_speaker_class(np: Np, class: Class) -> bool {
    match np {
        Np::Name { .. } | Np::Pron(_) => class != Class::Thing,
        Np::Desc { .. } => matches!(class, Class::Person | Class::Org | Class::Group),
    }
}

/// Candidates gathered so far, by speaker, in the order first found.
#[derive(Default)]
struct Acc {
    list: Vec<(String, Class, FxHashMap<&'static str, f32>)>,
}

impl Acc {
    fn push(&mut self, speaker: String, class: Class, f: &[&'static str]) {
        let k = key(&speaker);
        let i = match self.list.iter().position(|(s, _, _)| key(s) == k) {
            Some(i) => i,
            None => {
                self.list.push((speaker, class, FxHashMap::default()));
                self.list.len() - 1
            }
        };
        for n in f {
            self.list[i].2.insert(n, 1.0);
        }
    }
}

/// A speaker's comparison key: lower case, possessive and periods dropped.
fn key(s: &str) -> String {
    s.trim_end_matches("'s").trim_end_matches("’s").replace('.', "").to_lowercase()
}

/// Whether a speaker string has a capitalised word other than a
/// determiner opening it ("The group" names no one; "the Clinton campaign"
/// does).
fn names_someone(s: &str) -> bool {
    s.split_whitespace().enumerate().any(|(i, w)| {
        w.chars().next().is_some_and(char::is_uppercase) && !(i == 0 && matches!(w, "The" | "A" | "An" | "This"))
    })
}

/// Whether the last word of a name occurs in the quoted words: people
/// seldom name themselves in the third person.
fn in_quote(speaker: &str, quoted: &str) -> bool {
    let Some(last) = speaker.split_whitespace().last() else { return false };
    let last = last.trim_end_matches("'s").trim_end_matches("’s");
    last.chars().count() >= 3
        && last.chars().next().is_some_and(char::is_uppercase)
        && quoted.split(|c: char| !c.is_alphanumeric()).any(|w| w == last)
}
