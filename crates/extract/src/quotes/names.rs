//! Speakers as people and organisations: the fullest form of a name, what
//! kind of thing a phrase names, gender evidence, and pronoun resolution.
//!
//! News names a person in full once ("Ann B. Lee") and by surname after
//! ("Lee"); a speaker is reported in the fullest form the article gives.
//! A pronoun speaker goes to the most recent subject before it that fits:
//! a person of a compatible gender for "he"/"she", an organisation or group
//! for "they"/"it". Subjects, not every mention, are candidates, because in
//! news prose the one who speaks next is the one the last sentence was about.

use rustc_hash::{FxHashMap, FxHashSet};

use super::clause::Clauses;
use super::lexicon::*;
use super::np::Np;
use super::tokens::{ALLCAPS, CAP, Item, Kind, POSS};
use crate::EntitySpan;
use crate::gender::Gender;
use chorus_model::EntityKind;

/// What a speaker phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Person,
    Org,
    Group,
    /// A place named as a speaker ("Washington said"): a government by
    /// metonymy, or a misread name.
    Place,
    /// A document or message ("the statement", "the sign"): never a
    /// speaker itself.
    Thing,
    Unknown,
}

/// A possible antecedent of a later pronoun.
#[derive(Debug, Clone)]
struct Cand {
    pos: usize,
    np: Np,
    class: Class,
    key: String,
    /// Subject of a verb of saying: the last one to speak is whom a later
    /// "he said" most often means.
    speaker: bool,
}

/// One antecedent a pronoun may have: the name, and named features of how
/// it stands to the pronoun (for the ranker: which of a pronoun's
/// antecedents is meant is learned, not ruled).
#[derive(Debug, Clone, PartialEq)]
pub struct Antecedent {
    pub name: String,
    pub features: Vec<&'static str>,
}

/// How many earlier subjects a pronoun may reach back over. Past a dozen
/// subjects (several paragraphs) a pronoun is no longer about them, and
/// guessing would only add wrong speakers.
const LOOKBACK: usize = 12;

/// Weight of a gendered title or role noun ("Mrs.", "spokeswoman") against
/// one gendered pronoun in a sentence about the person: a title is explicit,
/// a pronoun may refer to someone else.
const TITLE_WEIGHT: u32 = 3;

/// Weight of a given name's usual gender ("Melanie", "Donald") against the
/// article's own evidence: as much as two gendered pronouns, less than a
/// gendered title, so an article that says otherwise is believed.
const GIVEN_NAME_WEIGHT: u32 = 2;

pub struct Names<'c, 'a> {
    c: &'c Clauses<'a>,
    items: &'a [Item],
    text: &'a str,
    entities: &'a [EntitySpan],
    /// Last word of each full (two words or more) person name -> the names.
    by_last: FxHashMap<&'a str, Vec<(usize, usize)>>,
    cands: Vec<Cand>,
    /// Gender evidence per fullest name: (male, female).
    gender: FxHashMap<String, (u32, u32)>,
    /// Entity names that occur in the text as written.
    written: FxHashSet<&'a str>,
}

impl<'c, 'a> Names<'c, 'a> {
    pub fn new(c: &'c Clauses<'a>, entities: &'a [EntitySpan]) -> Self {
        let mut n = Names {
            c,
            items: c.items,
            text: c.text,
            entities,
            by_last: FxHashMap::default(),
            cands: Vec::new(),
            gender: FxHashMap::default(),
            written: FxHashSet::default(),
        };
        // each distinct name searched once, however often it is mentioned;
        // a name written only inside quotes is someone's nickname for the
        // person ("Crooked Hillary Clinton"), not how the article names them
        let mut seen: FxHashSet<&'a str> = FxHashSet::default();
        let quoted = |at: usize| {
            let i = c.regions.partition_point(|r| r.close <= at);
            c.regions.get(i).is_some_and(|r| r.open <= at)
        };
        for e in entities {
            let name = e.name.as_str();
            if !name.is_empty() && seen.insert(name) && c.text.match_indices(name).any(|(at, _)| !quoted(at)) {
                n.written.insert(name);
            }
        }
        n.register_names();
        n.collect_candidates();
        n
    }

    fn stem(&self, i: usize) -> &'a str {
        let w = &self.text[self.items[i].start..self.items[i].end];
        w.strip_suffix('.').unwrap_or(w)
    }

    fn span_text(&self, lo: usize, hi: usize) -> &'a str {
        &self.text[self.items[lo].start..self.items[hi - 1].end]
    }

    /// Records every name of two words or more that reads as a person's.
    fn register_names(&mut self) {
        let items = self.items;
        let mut i = 0;
        while i < items.len() {
            if !items[i].name_word() {
                i += 1;
                continue;
            }
            let m = self.c.name_run_end(i, items.len());
            if let Some(Np::Name { full, lo, hi }) = self.c.interpret(i, m)
                && hi - lo >= 2
                && self.name_class(full, lo, hi) == Class::Person
            {
                let last = self.stem(hi - 1);
                self.by_last.entry(last).or_default().push((lo, hi));
            }
            i = m.max(i + 1);
        }
    }

    /// Subjects of verbs of saying and of sentences, in text order, with the
    /// gender evidence each sentence gives about its subject.
    fn collect_candidates(&mut self) {
        let items = self.items;
        let mut cands: Vec<(usize, Np, bool)> = Vec::new();
        for subj in &self.c.subject {
            if let Some(np) = subj
                && !matches!(np, Np::Pron(_))
            {
                cands.push((np.start(), *np, true));
            }
        }
        for s in 0..self.c.sents.len() {
            let r = self.c.sents[s].clone();
            if r.is_empty() {
                continue;
            }
            let Some(np) = self.c.clause_subject(r.start, r.end) else { continue };
            match np {
                Np::Pron(_) => continue,
                // A subject that is no clear person or body ("Fundraising
                // was …", "Often, …") would only mislead a later pronoun.
                Np::Name { full, lo, hi } if self.name_class(full, lo, hi) == Class::Unknown => continue,
                // "Lee's fate is unclear, but she said …": the possessor
                Np::Desc { lo, hi } => {
                    if let Some(p) = (lo..hi).find(|&i| items[i].flags & POSS != 0 && items[i].name_word()) {
                        let mut a = p;
                        while a > lo && items[a - 1].name_word() {
                            a -= 1;
                        }
                        if let Some(owner @ Np::Name { .. }) = self.c.interpret(a, p + 1) {
                            cands.push((owner.start(), owner, false));
                        }
                    }
                }
                Np::Name { .. } => {}
            }
            cands.push((np.start(), np, false));
            // gender evidence: gendered pronouns later in a sentence about one person
            if let Np::Name { full, lo, hi } = np
                && self.name_class(full, lo, hi) == Class::Person
            {
                let mut m = 0;
                let mut f = 0;
                for it in &items[hi..r.end] {
                    if it.name_word() && it.flags & TITLE == 0 {
                        break; // another name: the pronouns may be about it
                    }
                    if it.kind == Kind::Word {
                        m += u32::from(it.flags & MALE != 0 && it.flags & TITLE == 0);
                        f += u32::from(it.flags & FEMALE != 0 && it.flags & TITLE == 0);
                    }
                }
                if m + f > 0 {
                    let key = self.fullest(lo, hi);
                    let e = self.gender.entry(key).or_insert((0, 0));
                    e.0 += m;
                    e.1 += f;
                }
            }
        }
        // one mention found both ways is a speaker's; a possessor and its
        // phrase ("Lee's campaign") start together and are both kept
        cands.sort_by_key(|&(p, np, spoke)| (p, self.c.np_end(np), !spoke));
        cands.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let mut out = Vec::with_capacity(cands.len());
        for (pos, np, speaker) in cands {
            let class = self.class(np);
            let key = match np {
                Np::Name { lo, hi, .. } => self.fullest(lo, hi),
                Np::Desc { lo, hi } => self.span_text(lo, hi).to_string(),
                Np::Pron(_) => continue,
            };
            if let Np::Name { full, lo, .. } = np {
                let (mut m, mut f) = (0, 0);
                for it in &items[full..lo] {
                    m += u32::from(it.flags & MALE != 0) * TITLE_WEIGHT;
                    f += u32::from(it.flags & FEMALE != 0) * TITLE_WEIGHT;
                }
                if m + f > 0 {
                    let e = self.gender.entry(key.clone()).or_insert((0, 0));
                    e.0 += m;
                    e.1 += f;
                }
            }
            out.push(Cand { pos, np, class, key, speaker });
        }
        self.cands = out;
    }

    /// Whether the gendered pronoun at item `p` cannot mean the person
    /// `speaker` names (a fullest name or as written), by what the article
    /// and the given name say of their gender.
    pub fn gender_clash(&self, p: usize, speaker: &str) -> bool {
        let f = self.items[p].flags;
        match self.gender_of(speaker) {
            Gender::Male => f & FEMALE != 0,
            Gender::Female => f & MALE != 0,
            Gender::Unknown => false,
        }
    }

    /// A name's gender by the article's evidence, with the given name's
    /// usual gender as a prior of [`GIVEN_NAME_WEIGHT`] pronouns.
    fn gender_of(&self, key: &str) -> Gender {
        let (mut m, mut f) = self.gender.get(key).copied().unwrap_or((0, 0));
        match key.split_whitespace().next().and_then(crate::gender::of_given_name) {
            Some(Gender::Male) => m += GIVEN_NAME_WEIGHT,
            Some(Gender::Female) => f += GIVEN_NAME_WEIGHT,
            _ => {}
        }
        match m.cmp(&f) {
            std::cmp::Ordering::Greater => Gender::Male,
            std::cmp::Ordering::Less => Gender::Female,
            std::cmp::Ordering::Equal => Gender::Unknown,
        }
    }

    /// The entity span overlapping bytes `start..end`, if any.
    ///
    /// Only a person, organisation or place that ends where the name ends
    /// counts: a span of another kind, or one covering only part of the
    /// name, says nothing about this name.
    fn entity_at(&self, start: usize, end: usize) -> Option<&'a EntitySpan> {
        let i = self.entities.partition_point(|e| e.end <= start);
        self.entities
            .get(i)
            .filter(|e| e.start < end && e.end == end && !e.name.is_empty() && e.kind != EntityKind::Other)
    }

    /// The entity's name, when the article writes it out (a canonical name
    /// from a gazetteer, "Federal Bureau of Investigation" for a text that
    /// only says "FBI", is not how this article names the speaker).
    fn written_name(&self, e: &EntitySpan) -> Option<String> {
        let name = e.name.as_str();
        self.written.contains(name).then(|| name.to_string())
    }

    /// What a phrase names.
    pub fn class(&self, np: Np) -> Class {
        match np {
            Np::Name { full, lo, hi } => self.name_class(full, lo, hi),
            Np::Desc { hi, .. } => {
                let head = &self.items[hi - 1];
                let plural = self.stem(hi - 1).ends_with('s');
                if head.flags & DOC_NOUN != 0 && head.flags & CAP == 0 {
                    Class::Thing
                } else if head.flags & (PERSON_NOUN | TITLE) != 0
                    || (head.flags & ORG_NOUN == 0 && (self.c.is_role(hi - 1) || is_age(self.stem(hi - 1))))
                {
                    if plural { Class::Group } else { Class::Person }
                } else if head.flags & (ORG_NOUN | ORG_HEAD | CAP) != 0 {
                    Class::Org
                } else if plural {
                    Class::Group
                } else {
                    Class::Unknown
                }
            }
            Np::Pron(_) => Class::Unknown,
        }
    }

    fn name_class(&self, full: usize, lo: usize, hi: usize) -> Class {
        let items = self.items;
        // the tail of a longer proper name ("Commission on Presidential
        // Debates", "Institute for Justice"): a body, not a person
        if full == lo
            && lo >= 2
            && items[lo - 1].lower()
            && matches!(self.c.word_text(lo - 1), "on" | "of" | "for")
            && items[lo - 2].name_word()
            && items[lo - 2].flags & TITLE == 0
        {
            return Class::Org;
        }
        if let Some(e) = self.entity_at(items[lo].start, items[hi - 1].end) {
            return match e.kind {
                EntityKind::Person => Class::Person,
                EntityKind::Place => Class::Place,
                _ => Class::Org,
            };
        }
        if items[full..lo]
            .iter()
            .any(|it| it.word() && it.flags & (TITLE | PERSON_NOUN) != 0 && it.flags & TITLE_WEAK == 0)
        {
            return Class::Person;
        }
        let last = &items[hi - 1];
        if last.flags & (ORG_HEAD | ALLCAPS) != 0 || items[lo..hi].iter().any(|it| it.lower()) {
            return Class::Org;
        }
        if hi - lo >= 2 {
            return if items[lo].flags & PLACE_START != 0 { Class::Org } else { Class::Person };
        }
        if self.by_last.contains_key(self.stem(hi - 1)) {
            return Class::Person;
        }
        if self.stem(hi - 1).ends_with('s') {
            return Class::Group;
        }
        Class::Unknown
    }

    /// The fullest form this article gives the name `lo..hi`: among the full
    /// names ending in the same word (and starting with the same word, when
    /// the name has two), the most mentioned person, in their longest form.
    pub fn fullest(&self, lo: usize, hi: usize) -> String {
        let items = self.items;
        if let Some(e) = self.entity_at(items[lo].start, items[hi - 1].end)
            && matches!(e.kind, EntityKind::Person | EntityKind::Organization)
            && let Some(name) = self.written_name(e)
            && name.len() >= self.span_text(lo, hi).len()
        {
            return name;
        }
        let written = self.span_text(lo, hi);
        let Some(list) = self.by_last.get(self.stem(hi - 1)) else { return written.to_string() };
        let first = (hi - lo >= 2).then(|| self.stem(lo));
        let mut best: Option<(usize, usize, usize)> = None; // (count, ntok, index)
        for (i, &(a, b)) in list.iter().enumerate() {
            let f = self.stem(a);
            if first.is_some_and(|w| w != f) {
                continue;
            }
            let count = list.iter().filter(|&&(x, _)| self.stem(x) == f).count();
            let ntok = b - a;
            let better = match best {
                None => true,
                Some((bc, bn, bi)) => {
                    let bf = self.stem(list[bi].0);
                    if bf == f { ntok > bn } else { count > bc }
                }
            };
            if better {
                best = Some((count, ntok, i));
            }
        }
        match best {
            Some((_, ntok, i)) if ntok >= hi - lo => {
                let (a, b) = list[i];
                self.span_text(a, b).to_string()
            }
            _ => written.to_string(),
        }
    }

    /// The speaker string of a phrase at its place in the text: a name in
    /// its fullest form, a description as written, a pronoun resolved (or
    /// none when it cannot be).
    pub fn speaker(&self, np: Np) -> Option<String> {
        match np {
            Np::Name { lo, hi, .. } => Some(self.fullest(lo, hi)),
            Np::Desc { lo, hi } => {
                let first = &self.items[lo];
                if first.is(POSS_PRON) && hi - lo >= 2 {
                    // "my father", "our correspondent": the writer's own,
                    // named as the article names them
                    if matches!(self.c.word_text(lo).to_ascii_lowercase().as_str(), "my" | "our") {
                        return Some(self.span_text(lo, hi).to_string());
                    }
                    // "his spokesman" → "Ann Lee's spokesman"
                    let owner = self.resolve(lo)?;
                    return Some(format!("{owner}'s {}", self.span_text(lo + 1, hi)));
                }
                Some(self.span_text(lo, hi).to_string())
            }
            Np::Pron(p) => self.resolve(p),
        }
    }

    /// The name that owns a description ("Ann Lee's statement" → Ann Lee).
    /// A name standing right before the head noun is its owner too ("a
    /// Times article", "the Clinton ad").
    pub fn possessor(&self, np: Np) -> Option<Np> {
        let Np::Desc { lo, hi } = np else { return None };
        let items = self.items;
        let p = (lo..hi)
            .find(|&i| items[i].flags & POSS != 0 && items[i].name_word())
            .or_else(|| (hi >= lo + 2 && items[hi - 2].name_word() && items[hi - 1].lower()).then_some(hi - 2))?;
        let mut a = p;
        while a > lo && items[a - 1].name_word() {
            a -= 1;
        }
        self.c.interpret(a, p + 1).filter(|owner| matches!(owner, Np::Name { .. }))
    }

    /// The class of a speaker reached through a pronoun, by its name.
    pub fn class_of_key(&self, key: &str) -> Class {
        self.cands.iter().rev().find(|c| c.key == key).map_or(Class::Unknown, |c| c.class)
    }

    /// The antecedent of the pronoun at item `p`.
    pub fn resolve(&self, p: usize) -> Option<String> {
        self.antecedents(p, 1).into_iter().next().map(|a| a.name)
    }

    /// Up to `n` antecedents the pronoun at item `p` may have, nearest
    /// first, each name once, with how each stands to the pronoun: whether
    /// it was the subject of a verb of saying (`ante_speaker`) and the
    /// nearest such (`ante_last_speaker`), its distance in sentences
    /// (`ante_same_sent` … `ante_sent_far`), whether it is in an earlier
    /// paragraph (`ante_other_para`), whether the article's gender evidence
    /// agrees with the pronoun (`ante_gender`), whether it is a lone
    /// capitalised word of no known kind (`ante_weak`).
    pub fn antecedents(&self, p: usize, n: usize) -> Vec<Antecedent> {
        let items = self.items;
        let f = items[p].flags;
        let end = self.cands.partition_point(|c| c.pos < p);
        let recent = self.cands[..end].iter().rev().take(LOOKBACK);
        // A name, or a description of a person that names one ("the Ohio
        // senator"): a bare "the official", or "an FBI inquiry", is no
        // antecedent worth reporting.
        let named = |c: &Cand| match c.np {
            Np::Name { .. } => true,
            Np::Desc { lo, hi } => c.class == Class::Person && (lo..hi).any(|i| items[i].name_word()),
            Np::Pron(_) => false,
        };
        let fits = |c: &Cand| {
            if f & (MALE | FEMALE) != 0 {
                named(c)
                    && matches!(c.class, Class::Person | Class::Unknown)
                    && match self.gender_of(&c.key) {
                        Gender::Male => f & MALE != 0,
                        Gender::Female => f & FEMALE != 0,
                        Gender::Unknown => true,
                    }
            } else if f & PRON_NONPERSON != 0 {
                matches!(c.class, Class::Org | Class::Group | Class::Place)
            } else {
                false
            }
        };
        let mut out: Vec<Antecedent> = Vec::new();
        let mut last_speaker = false;
        // a lone capitalised word of no known kind ("Republican claims")
        // is too often an adjective read as a name to count as a speaker
        let weak = |c: &Cand| matches!(c.np, Np::Name { lo, hi, .. } if hi - lo == 1) && c.class == Class::Unknown;
        for c in recent.filter(|c| fits(c)) {
            let first_speaker = c.speaker && !last_speaker && !weak(c);
            last_speaker |= first_speaker;
            if let Some(a) = out.iter_mut().find(|a| a.name == c.key) {
                // a farther mention of one already offered
                if c.speaker && !a.features.contains(&"ante_speaker") {
                    a.features.push("ante_speaker");
                }
                if first_speaker {
                    a.features.push("ante_last_speaker");
                }
                continue;
            }
            if out.len() == n {
                if first_speaker {
                    // the last speaker is offered even past the nearest n
                } else {
                    continue;
                }
            }
            let mut feats: Vec<&'static str> = Vec::new();
            if c.speaker {
                feats.push("ante_speaker");
            }
            if first_speaker {
                feats.push("ante_last_speaker");
            }
            let (cs, ps) = (items[c.pos].sent, items[p].sent);
            feats.push(match ps.saturating_sub(cs) {
                0 => "ante_same_sent",
                1 => "ante_sent1",
                2 => "ante_sent2",
                _ => "ante_sent_far",
            });
            if items[c.pos].para != items[p].para {
                feats.push("ante_other_para");
            }
            if f & (MALE | FEMALE) != 0 && self.gender_of(&c.key) != Gender::Unknown {
                feats.push("ante_gender");
            }
            if weak(c) {
                feats.push("ante_weak");
            }
            out.push(Antecedent { name: c.key.clone(), features: feats });
            if out.len() > n {
                break;
            }
        }
        out
    }

    /// The person this article names for the role a bare description gives
    /// ("the senator", "the former governor"), before byte `before`: the
    /// most recent person whose title has that role. None for a description
    /// with a name in it ("the Ohio senator" says which one itself), an
    /// indefinite or plural one ("a senator", "senators"), or one without a
    /// role.
    pub fn role_holder(&self, np: Np, before: usize) -> Option<String> {
        let Np::Desc { lo, hi } = np else { return None };
        let items = self.items;
        // one definite person: "the senator", not "a senator" or "senators"
        let definite = self.c.word_text(lo).eq_ignore_ascii_case("the") && hi - lo >= 2;
        if !definite || (lo..hi).any(|i| !items[i].lower()) || self.stem(hi - 1).ends_with('s') {
            return None;
        }
        let role = role_of(self.span_text(lo, hi));
        if role.is_empty() {
            return None;
        }
        let upto = self.entities.partition_point(|e| e.start < before);
        self.entities[..upto]
            .iter()
            .rev()
            .filter(|e| e.kind == EntityKind::Person && !e.is_title_only())
            .find(|e| e.title.as_deref().is_some_and(|t| role_of(t) == role))
            .and_then(|e| self.written_name(e))
    }
}

/// The head role of a title or role description, lower case, with the
/// abbreviations of news titles written out ("Sen." → "senator").
fn role_of(title: &str) -> String {
    let expanded: Vec<&str> = title
        .split_whitespace()
        .map(|w| match w.trim_end_matches('.').to_ascii_lowercase().as_str() {
            "sen" => "senator",
            "gov" => "governor",
            "rep" => "representative",
            "gen" => "general",
            "pres" => "president",
            "sec" | "secy" => "secretary",
            "atty" => "attorney",
            "supt" => "superintendent",
            "amb" => "ambassador",
            _ => w,
        })
        .collect();
    crate::entities::parse_title(&expanded.join(" ")).role
}

/// A person described by age ("the 46-year-old", "two 20-year-olds").
fn is_age(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    w.ends_with("-year-old") || w.ends_with("-year-olds")
}
