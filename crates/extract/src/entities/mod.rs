//! Named entities of one article: people, organisations, places.
//!
//! No model can be downloaded here, so recognition is by rules over a hand
//! tokenizer ([`lexer`]) and small shipped gazetteers ([`gazetteer`]):
//!
//! 1. **Capitalised runs**: maximal sequences of capitalised words in one
//!    sentence, bridged by name connectors ("of", "for the", "von der",
//!    "bin"), initials ("J. K."), abbreviation periods ("Mr.") and inner
//!    hyphens. A possessive ending closes a run.
//! 2. **Where capitals prove nothing**: the first word of a sentence or of a
//!    quoted clause is dropped unless something vouches for it (gazetteer,
//!    first-name list, or the same word capitalised mid-sentence elsewhere in
//!    the article); in a headline-style line in Title Case every word needs
//!    such evidence. Months, weekdays and demonyms ("Ukrainian") are never
//!    entities on their own.
//! 3. **Titles and roles** ([`titles`]): a role head ("President",
//!    "spokesperson", "chief") with its modifiers and qualifiers, written
//!    before the name ("former US Defense Secretary X", "Kremlin spokesperson
//!    X"), before it across a comma ("his chief of staff, X") or after it
//!    ("X, the bank's chief economist,"). The title is kept on the mention;
//!    capitalised qualifiers inside it ("US", "Kremlin") are mentions of
//!    their own. A capitalised title with no name ("the U.S. President") is a
//!    title-only mention of the person this article gave that title, if any.
//! 4. **Kind**: gazetteer, then title or honorific (person), then suffix words
//!    ("Institute" organisation, "Province" place, "Treaty" other), then a
//!    known first name, then context (a speech verb after it: person; "in"
//!    before a single word: place); other multi-word names default to person,
//!    single words to other.
//! 5. **In-article aliases**: a surname or shorter form takes the full name
//!    of the nearest preceding (else following) person whose name ends with
//!    it; an acronym takes the organisation whose initials it spells;
//!    gazetteer entries take their canonical name ("U.S." → "United States").
//!    "the Ukrainian president" with a demonym or country qualifier becomes a
//!    mention of the person the article gave a matching title.

pub mod alias;
mod evidence;
pub mod gazetteer;
mod kind;
pub(crate) mod lexer;
mod lists;
mod resolve;
mod roles;
pub mod titles;

use std::ops::Range;
use std::sync::LazyLock;

use chorus_model::EntityKind;
use rustc_hash::{FxHashMap, FxHashSet};

use self::evidence::{DocInfo, mark_inner_sentence_starts};
use self::gazetteer::GAZ;
pub(crate) use self::lexer::Keys;
use self::lexer::{Kind, Tok};
use self::lists::*;
pub use self::titles::{TitleParts, parse_title};

/// A named entity mention, by byte offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    /// Fullest name this article gives the entity; for a gazetteer entry its
    /// canonical name. For a title-only mention the article could not
    /// resolve, the title itself (then `name == title`).
    pub name: String,
    pub kind: EntityKind,
    /// Title or role written next to it.
    pub title: Option<String>,
}

impl EntitySpan {
    /// A capitalised title standing for a person the article never named
    /// next to that title ("the U.S. President said…").
    pub fn is_title_only(&self) -> bool {
        self.title.as_deref() == Some(self.name.as_str())
    }
}

/// An entity mention found before in-article alias resolution.
#[derive(Debug, Clone)]
struct Cand {
    /// Token range of the name.
    ts: usize,
    te: usize,
    start: usize,
    end: usize,
    name: String,
    kind: EntityKind,
    /// Found in a gazetteer: its name is canonical, its kind certain.
    known: bool,
    /// Byte range of the title written next to it.
    title: Option<Range<usize>>,
    /// A capitalised title with no name.
    title_only: bool,
}

struct Finder<'a> {
    text: &'a str,
    toks: &'a [Tok],
    keys: &'a Keys,
    info: DocInfo<'a>,
    cands: Vec<Cand>,
    /// Token ranges claimed by a title that belongs to a named person.
    chains: Vec<Range<usize>>,
}

/// The entity mentions of a text, in order.
pub fn find_entities(text: &str, sentences: &[Range<usize>]) -> Vec<EntitySpan> {
    let mut toks = lexer::lex(text, sentences);
    let keys = Keys::new(text, &toks);
    find_in(text, &mut toks, &keys)
}

/// [`find_entities`] and [`crate::numbers::find_numbers`] over one
/// tokenization, for callers that want both (about a third faster).
pub fn find_entities_and_numbers(
    text: &str,
    sentences: &[Range<usize>],
    published: Option<&str>,
) -> (Vec<EntitySpan>, Vec<crate::NumberSpan>) {
    let mut toks = lexer::lex(text, sentences);
    let keys = Keys::new(text, &toks);
    let numbers = crate::numbers::find_in(text, &toks, &keys, published);
    (find_in(text, &mut toks, &keys), numbers)
}

fn find_in(text: &str, toks: &mut [Tok], keys: &Keys) -> Vec<EntitySpan> {
    mark_inner_sentence_starts(text, toks, keys);
    let toks = &*toks;
    let info = DocInfo::new(text, toks, keys);
    let mut f = Finder { text, toks, keys, info, cands: Vec::new(), chains: Vec::new() };
    f.scan();
    f.nominal_mentions();
    f.resolve()
}

impl<'a> Finder<'a> {
    fn key(&self, i: usize) -> &'a str {
        self.keys.get(i)
    }

    fn same_sent(&self, a: usize, b: usize) -> bool {
        self.toks[a].sent == self.toks[b].sent
    }

    fn is_cap_word(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word() && t.cap
    }

    fn is_calendar(&self, i: usize) -> bool {
        in_list(&CALENDAR, self.key(i))
    }

    fn is_group_adjective(&self, key: &str) -> bool {
        if GAZ.demonym_key(key).is_some() || in_list(&GROUP_ADJECTIVES, key) {
            return true;
        }
        // Plural demonyms as nouns: "the Russians", "Ukrainians".
        key.strip_suffix('s').is_some_and(|k| GAZ.demonym_key(k).is_some() || in_list(&GROUP_ADJECTIVES, k))
    }

    fn is_role(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if !t.is_word() {
            return false;
        }
        let k = self.key(i);
        GAZ.is_role_key(k) || in_list(&ABBREVIATED_ROLES, k) && self.followed_by_period(i)
    }

    fn is_honorific(&self, i: usize) -> bool {
        self.toks[i].is_word() && in_list(&HONORIFICS, self.key(i))
    }

    fn titlish(&self, i: usize) -> bool {
        self.is_title_word(i) || self.is_role(i)
    }

    fn is_title_word(&self, i: usize) -> bool {
        self.toks[i].is_word() && GAZ.is_title_word_key(self.key(i))
    }

    fn followed_by_period(&self, i: usize) -> bool {
        self.toks.get(i + 1).is_some_and(|t| t.glued && t.is_punct(self.text, '.'))
    }

    fn is_punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_punct(self.text, c))
    }

    /// Something other than its capital vouches for this word being a name.
    fn has_evidence(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if !t.is_word() {
            return false;
        }
        let k = self.key(i);
        if chorus_text::is_stopword(k) {
            return false;
        }
        t.upper
            || self.info.cap_mid.contains(k)
            || GAZ.lookup_cased(k, t.upper).is_some()
            || GAZ.is_first_name_key(k)
            || self.is_group_adjective(k)
    }

    /// Could start a run: a capitalised word, or a name particle right
    /// before one ("von der Leyen", "al-Assad").
    fn run_start(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if !t.is_word() {
            return false;
        }
        if t.cap {
            let k = self.key(i);
            return !self.is_calendar(i) && k != "i" && !k.starts_with("i'");
        }
        let k = self.key(i);
        // Every particle is short; most words are not.
        if k.len() > 4 || !in_list(&PARTICLES, k) {
            return false;
        }
        let mut j = i + 1;
        while j < self.toks.len() && j <= i + 3 && self.same_sent(i, j) {
            if self.is_cap_word(j) {
                return true;
            }
            let tj = &self.toks[j];
            let bridge = (tj.is_word() && in_list(&PARTICLES, self.key(j))) || (tj.glued && self.is_punct(j, '-'));
            if !bridge {
                return false;
            }
            j += 1;
        }
        false
    }

    /// End (exclusive) of the run that starts at `i`.
    fn run_end(&self, i: usize) -> usize {
        let toks = self.toks;
        let n = toks.len();
        let mut last = i + 1;
        let mut j = i + 1;
        while j < n && self.same_sent(i, j) {
            let t = &toks[j];
            if t.is_word() && t.cap {
                if self.is_calendar(j) || t.text(self.text) == "I" {
                    break;
                }
                if t.glued && !(self.is_punct(j - 1, '-') || self.is_punct(j - 1, '.')) {
                    break;
                }
                j += 1;
                last = j;
                continue;
            }
            if t.is_word() && !t.cap {
                let k = self.key(j);
                // "Kim Jong-un": a short lower-case part after a hyphen;
                // "Ban Ki-moon", "Yoon Suk-yeol": romanised Korean
                // syllables on both sides of the hyphen, inside a name
                // already under way ("New York-based", "Clinton-run" are
                // no such pair).
                let syllable = j >= i + 3 && korean_syllable(k) && korean_syllable(&self.key(j - 2).to_lowercase());
                if t.glued && self.is_punct(j - 1, '-') && (k.len() <= 2 || syllable) {
                    j += 1;
                    last = j;
                    continue;
                }
                if in_list(&CONNECTORS, k) && !t.glued {
                    j += 1;
                    continue;
                }
                break;
            }
            if t.kind == Kind::Punct {
                let next_word = toks.get(j + 1).is_some_and(|x| x.is_word() && self.same_sent(j, j + 1));
                if t.glued && self.is_punct(j, '-') && next_word && toks[j + 1].glued {
                    j += 1;
                    continue;
                }
                if t.glued && self.is_punct(j, '.') && next_word && !toks[j + 1].glued && toks[j + 1].cap {
                    let prev = toks[j - 1].text(self.text);
                    let initial = prev.chars().count() == 1 && prev.chars().all(char::is_uppercase);
                    let abbrev = in_list(&HONORIFICS, self.key(j - 1)) || in_list(&ABBREVIATED_ROLES, self.key(j - 1));
                    if initial || abbrev {
                        j += 1;
                        continue;
                    }
                }
                if self.is_punct(j, '&') && next_word && toks[j + 1].cap {
                    j += 1;
                    continue;
                }
            }
            break;
        }
        last
    }

    fn scan(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            if self.info.shouting[self.toks[i].sent as usize] || !self.run_start(i) {
                i += 1;
                continue;
            }
            let j = self.run_end(i);
            if self.info.title_case[self.toks[i].sent as usize] {
                self.headline_run(i, j);
            } else {
                self.run(i, j);
            }
            i = j;
        }
    }

    /// In a Title Case line keep only the words something vouches for, and
    /// unvouched words right after a known first name ("Ada Quirke").
    fn headline_run(&mut self, i: usize, j: usize) {
        let mut a = i;
        while a < j {
            // Title words open a piece only when a vouched-for word follows
            // ("Former Norwegian Prime Minister Ingrid …").
            while a < j
                && !(self.is_cap_word(a)
                    && (self.has_evidence(a) || (self.titlish(a) && (a + 1..j).any(|x| self.has_evidence(x)))))
            {
                a += 1;
            }
            if a >= j {
                break;
            }
            let mut b = a + 1;
            while b < j {
                let ok = self.has_evidence(b)
                    || (self.is_cap_word(b) && GAZ.is_first_name_key(self.key(b - 1)))
                    || !self.toks[b].is_word()
                    || (self.titlish(b) && (b + 1..j).any(|x| self.has_evidence(x)));
                if !ok {
                    break;
                }
                b += 1;
            }
            while b > a + 1 && !self.is_cap_word(b - 1) {
                b -= 1;
            }
            self.run(a, b);
            a = b;
        }
    }

    /// Processes one capitalised run: title, sentence-initial words, name.
    fn run(&mut self, mut a: usize, b: usize) {
        if let Some((h, ns)) = self.split_title(a, b) {
            // Title inside the run. A sentence-initial word in front of it
            // stays only if it belongs to the title ("Former President X").
            while a < h && self.toks[a].initial && !self.title_part_ok(a) {
                a += 1;
            }
            self.emit_qualifiers(a, h);
            let start = self.left_chain(a, false).unwrap_or(a);
            let title = self.toks[start].start..self.toks[ns - 1].end;
            let title = self.trim_title(title, ns);
            self.chains.push(start..ns);
            self.name(ns, b, Some(title));
            return;
        }
        if self.toks[a].initial {
            while a < b && self.drop_initial(a, b) {
                a += 1;
                while a < b && !self.is_cap_word(a) {
                    a += 1;
                }
            }
            if a >= b {
                return;
            }
        }
        // "The" opens a name only in the gazetteer ("The Hague").
        if a + 1 < b && self.key(a) == "the" && !self.known(a, b) {
            a += 1;
        }
        // An abbreviated rank or office ("Dr.", "Gen.", "Sen.") is written
        // before a name, never for the person alone: a run ending in one is
        // a title whose name is not capitalised or not there ("Dr. van
        // Sebille said", "former Pennsylvania Gov. and Democratic National
        // Committee Chairman Ed Rendell"). As a title-only mention it went
        // to the article's nearest person; only its qualifiers are names.
        if in_list(&ABBREVIATIONS, self.key(b - 1)) && self.followed_by_period(b - 1) {
            self.emit_qualifiers(a, b - 1);
            return;
        }
        if self.title_only_head(a, b).is_some() {
            // Its qualifiers ("U.S.") stay inside this one mention, so that
            // mentions never overlap.
            let start = self.left_chain(a, false).unwrap_or(a);
            let (s, e) = (self.toks[start].start, self.toks[b - 1].end);
            let title = self.text[s..e].to_string();
            self.cands.push(Cand {
                ts: start,
                te: b,
                start: s,
                end: e,
                name: title,
                kind: EntityKind::Person,
                known: false,
                title: Some(s..e),
                title_only: true,
            });
            return;
        }
        let title = self.left_chain(a, true).map(|start| {
            self.chains.push(start..a);
            self.toks[start].start..self.toks[a - 1].end
        });
        let title = title.map(|t| self.trim_title(t, a));
        self.name(a, b, title);
    }

    /// Whether the sentence-initial word at `a` (of run `a..b`) should go.
    fn drop_initial(&self, a: usize, b: usize) -> bool {
        if !self.is_cap_word(a) {
            return true;
        }
        if self.has_evidence(a) {
            return false;
        }
        let k = self.key(a);
        let n = k.chars().count();
        chorus_text::is_stopword(k)
            || in_list(&SENTENCE_OPENERS, k)
            || self.info.lower_seen.contains(k)
            || b - a == 1
            || (n >= 6 && (k.ends_with("ly") || k.ends_with("ing")))
            || (a + 1 < b && self.strong_evidence(a + 1))
    }

    /// Evidence that does not come from the article's own capitals, so it
    /// cannot be circular for the word after a sentence-initial one.
    fn strong_evidence(&self, i: usize) -> bool {
        let t = &self.toks[i];
        let k = self.key(i);
        t.is_word()
            && (GAZ.lookup_cased(k, t.upper).is_some()
                || GAZ.is_first_name_key(k)
                || self.is_group_adjective(k)
                || self.is_role(i)
                || self.is_title_word(i))
    }

    /// Classifies and records the name `a..b` with its title.
    fn name(&mut self, a: usize, b: usize, mut title: Option<Range<usize>>) {
        if a >= b {
            return;
        }
        let toks = self.toks;
        let (start, end) = (toks[a].start, toks[b - 1].end);
        let surface = &self.text[start..end];
        let key = gazetteer::norm_key(surface);
        // A demonym of several words ("North Korean", "South African") is
        // an adjective, as a one-word demonym is (below).
        if b - a > 1 && self.is_group_adjective(&key) {
            return;
        }
        if let Some(known) = GAZ.lookup_cased(&key, gazetteer::is_upper(surface)) {
            // Titles and roles belong to people.
            let title = if known.kind == EntityKind::Person { title } else { None };
            self.cands.push(Cand {
                ts: a,
                te: b,
                start,
                end,
                name: known.canonical.to_string(),
                kind: known.kind,
                known: true,
                title,
                title_only: false,
            });
            return;
        }
        // "US-Russia", "Kyiv-Warsaw": hyphenated known names are several.
        if (a..b).any(|i| self.is_punct(i, '-')) {
            let parts: Vec<(usize, usize)> = split_on(a, b, |i| self.is_punct(i, '-'));
            if parts.len() > 1 && parts.iter().all(|&(s, e)| self.known(s, e)) {
                for (s, e) in parts {
                    self.name(s, e, None);
                }
                return;
            }
        }
        if b - a == 1 {
            let one_letter = surface.chars().count() == 1;
            if self.is_group_adjective(&key) || self.is_calendar(a) || one_letter || chorus_text::is_stopword(&key) {
                return;
            }
            if title.is_none() && (self.is_role(a) || self.is_title_word(a) || self.is_honorific(a)) {
                return;
            }
        }
        // Honorifics and abbreviated ranks at the start: "Mr. Quirke",
        // "Gen. Ostrander".
        let mut a2 = a;
        while a2 + 1 < b && (self.is_honorific(a2) || (self.is_role(a2) && self.followed_by_period(a2))) {
            a2 += 1;
            if a2 < b && self.is_punct(a2, '.') {
                a2 += 1;
            }
        }
        let honored = a2 > a && a2 < b && self.is_cap_word(a2);
        if honored {
            if title.is_none() && !self.is_honorific(a) {
                title = Some(toks[a].start..toks[a2 - 1].end);
            }
        } else {
            a2 = a;
        }
        let mut a = a2;
        // "Republican Ada Quirke", "Norwegian Halvor Brekke": a group
        // adjective before a person's name is no part of the name.
        while b - a >= 2
            && self.toks[a].is_word()
            && (self.is_group_adjective(self.key(a)) || self.key(a) == "democrat")
            && !self.known(a, b)
            && (GAZ.is_first_name_key(self.key(a + 1)) || self.classify(a + 1, b) == EntityKind::Person)
        {
            a += 1;
        }
        // "Mr. Quirke of Dunmore Bank": a person of a named place or
        // organisation is two names.
        if let Some(of) = (a + 1..b).find(|&i| self.key(i) == "of") {
            let before = self.key(of - 1);
            let org_like = in_list(&ORG_SUFFIXES, before)
                || in_list(&PLACE_SUFFIXES, before)
                || in_list(&OTHER_SUFFIXES, before)
                || self.is_role(of - 1)
                || self.is_title_word(of - 1);
            let person = honored || title.is_some() || self.person_like(a, of);
            let after_named = self.known(of + 1, b)
                || matches!(self.classify(of + 1, b), EntityKind::Place | EntityKind::Organization);
            if !org_like && person && after_named && of + 1 < b {
                self.push_name(a, of, EntityKind::Person, title);
                self.name(of + 1, b, None);
                return;
            }
        }
        let mut kind = if honored { EntityKind::Person } else { self.classify(a, b) };
        if title.is_some() && kind != EntityKind::Place && kind != EntityKind::Organization {
            kind = EntityKind::Person;
        }
        if title.is_none() && (kind == EntityKind::Person || kind == EntityKind::Other) {
            title = self.right_apposition(b).map(|r| {
                self.chains.push(r.clone());
                kind = EntityKind::Person;
                toks[r.start].start..self.title_end(toks[r.end - 1].end, r.end)
            });
        }
        // "Article 5", "Apollo 11": a lone unknown word with its number.
        let mut b2 = b;
        if b - a == 1
            && kind == EntityKind::Other
            && toks.get(b).is_some_and(|t| t.kind == Kind::Num && !t.glued && self.same_sent(a, b))
            && toks.get(b + 1).is_none_or(|t| t.kind != Kind::Word || !t.glued)
        {
            b2 = b + 1;
        }
        self.push_name(a, b2, kind, title);
    }

    fn push_name(&mut self, a: usize, b: usize, kind: EntityKind, title: Option<Range<usize>>) {
        let (start, end) = (self.toks[a].start, self.toks[b - 1].end);
        self.cands.push(Cand {
            ts: a,
            te: b,
            start,
            end,
            name: self.text[start..end].to_string(),
            kind,
            known: false,
            title,
            title_only: false,
        });
    }
}

/// Splits `a..b` at tokens where `sep` holds.
fn split_on(a: usize, b: usize, sep: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = a;
    for i in a..b {
        if sep(i) {
            if s < i {
                out.push((s, i));
            }
            s = i + 1;
        }
    }
    if s < b {
        out.push((s, b));
    }
    out
}

#[cfg(test)]
mod tests;

/// Whether a lower-case word is one syllable of romanised Korean (an
/// optional initial consonant, a vowel, an optional final: "moon", "yeol",
/// "hwan", "jong"), the second part of a hyphenated Korean given name. No
/// such syllable ends in "d", "rn" or "mb" or starts with "c", "f", "v" or
/// a cluster, which keeps out the English words hyphens join to names
/// ("based", "born", "led", "core", "spent").
fn korean_syllable(w: &str) -> bool {
    const INITIALS: &[&str] = &[
        "kk", "tt", "pp", "ss", "jj", "ch", "g", "k", "n", "d", "t", "r", "l", "m", "b", "p", "s", "j", "h", "y", "w",
    ];
    const VOWELS: &[&str] = &[
        "yae", "yeo", "wae", "ae", "ya", "eo", "ye", "wa", "oe", "yo", "wo", "we", "wi", "yu", "eu", "ui", "oo", "ee",
        "a", "e", "o", "u", "i",
    ];
    const FINALS: &[&str] = &["ng", "n", "l", "m", "k", "p", "t", "g", ""];
    let after_initial = std::iter::once(w).chain(INITIALS.iter().filter_map(|c| w.strip_prefix(c)));
    after_initial
        .into_iter()
        .any(|rest| VOWELS.iter().filter_map(|v| rest.strip_prefix(v)).any(|tail| FINALS.contains(&tail)))
}
