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
pub mod gazetteer;
pub(crate) mod lexer;
pub mod titles;

use std::ops::Range;
use std::sync::LazyLock;

use chorus_model::EntityKind;
use rustc_hash::{FxHashMap, FxHashSet};

use self::gazetteer::{GAZ, norm_key_into};
use self::lexer::{Kind, Tok};
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

/// Months, weekdays (with their abbreviations) and time zones: capitalised,
/// never names.
static CALENDAR: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    let mut set = word_set("edt est pdt pst cdt cst mdt mst gmt utc bst cet cest");
    set.extend(chorus_text::calendar::words());
    set
});

/// Lower-case words that may stand inside a name between capitalised words.
static CONNECTORS: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("of for the de del della der den van von da di du la le al el bin ibn zu dos das y"));

/// Name particles that may open a name ("von der Leyen", "al-Assad").
static PARTICLES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set("von van de der al el bin ibn da di du la le"));

/// Closed-class words (prepositions, sentence adverbs, conjunctions,
/// quantifiers) that open sentences and are missing from the stop-word list;
/// capitalised only by position, never the first word of a name.
static SENTENCE_OPENERS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "despite amid amidst following unlike like without since towards toward per across along alongside \
beyond besides behind beside inside outside near regarding concerning according meanwhile however \
moreover furthermore nevertheless nonetheless therefore thus hence instead indeed now later earlier \
yesterday today tomorrow tonight recently finally separately similarly additionally overall \
ultimately eventually initially currently previously already although though unless whereas whilst \
once several every many much another neither either whatever whoever perhaps maybe asked told given \
having being dear sources officials critics analysts experts witnesses residents police authorities \
observers",
    )
});

/// Courtesy titles: evidence of a person, but not a title worth comparing.
static HONORIFICS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set("mr mrs ms mx miss messrs mme mlle sir dame"));

/// Abbreviated ranks and offices written with a period ("Gen.", "Sen.").
static ABBREVIATED_ROLES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "dr prof sen rep gov gen lt col maj capt sgt adm cmdr rev hon pres amb insp det supt atty lord lady \
judge fr",
    )
});

/// Group adjectives that are not in the country list: peoples, regions,
/// religions. Like demonyms, never entities on their own.
static GROUP_ADJECTIVES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "european african asian arab arabic latin western eastern northern southern soviet slavic kurdish \
baltic nordic scandinavian caucasian crimean tatar jewish muslim islamic christian catholic orthodox \
protestant hindu buddhist sunni shia shiite sikh allied transatlantic atlantic pacific \
english-speaking democratic republican conservative liberal progressive socialist communist libertarian",
    )
});

/// Last words that make a name an organisation.
static ORG_SUFFIXES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "institute institution university college school academy ministry department agency bureau office \
commission committee council court tribunal parliament assembly congress senate party union \
association federation league alliance coalition front movement organization organisation foundation \
fund trust bank group company co corp corporation inc ltd llc plc ag gmbh holdings industries \
airlines airways motors systems technologies labs partners capital ventures media news times post \
journal telegraph herald tribune guardian gazette chronicle review daily press radio television tv \
network channel service services forces army navy police hospital church club team board authority \
administration government cabinet center centre society corps brigade battalion regiment division \
command guard reserve exchange directorate secretariat caucus institute observatory watch initiative \
fc",
    )
});

/// Last words that make a name a place.
static PLACE_SUFFIXES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "city county province region oblast district island islands peninsula valley river lake sea ocean bay \
gulf mountains mountain hills street avenue road square bridge airport harbor harbour coast desert \
forest park strait canal territory territories village town heights plain basin delta state krai \
prefecture canton",
    )
});

/// First words that make a name a place.
static PLACE_PREFIXES: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("mount mt lake river fort cape port saint st san santa los"));

/// Last words that make a name something other than a person, group or
/// place: events, laws, agreements, programmes.
static OTHER_SUFFIXES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "war wars cup games olympics championship championships act bill law treaty accord accords agreement \
deal pact summit conference forum day week festival awards award prize crisis revolution declaration \
constitution amendment plan program programme project protocol doctrine index report show series \
convention memorial format process talks election elections referendum strategy model",
    )
});

/// First words that make a name something other ("Operation Overlord").
static OTHER_PREFIXES: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("operation hurricane storm typhoon cyclone project article"));

/// Verbs that, right after a name, show the name is a person's: the finite
/// forms of the verbs of saying tagged so ([`crate::cues`]), and a few verbs
/// of thinking, wanting and acting that only people do.
static SPEECH_VERBS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    let mut set = word_set("believes thinks wants met resigned spoke criticized criticised");
    for v in crate::cues::speech_verbs() {
        if v.person {
            set.insert(v.past);
        }
        if v.person_third {
            set.insert(v.third);
        }
    }
    set
});

/// Prepositions after which an unknown single capitalised word is taken to
/// be a place ("in Marlowe", "near Dunmore").
static PLACE_PREPOSITIONS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set("in near outside across throughout"));

fn in_list(list: &LazyLock<FxHashSet<&'static str>>, key: &str) -> bool {
    list.contains(key)
}

fn word_set(words: &'static str) -> FxHashSet<&'static str> {
    words.split_whitespace().collect()
}

/// Lower-case keys of every word token, in one buffer.
pub(crate) struct Keys {
    buf: String,
    ranges: Vec<(u32, u32)>,
}

impl Keys {
    pub(crate) fn new(text: &str, toks: &[Tok]) -> Keys {
        let mut buf = String::with_capacity(text.len());
        let mut ranges = Vec::with_capacity(toks.len());
        let mut tmp = String::new();
        for t in toks {
            let s = buf.len() as u32;
            let w = t.text(text);
            if t.kind == Kind::Word || t.kind == Kind::Poss {
                if w.is_ascii() && !w.contains('.') {
                    buf.push_str(w);
                    buf[s as usize..].make_ascii_lowercase();
                } else {
                    norm_key_into(w, &mut tmp);
                    buf.push_str(&tmp);
                }
            }
            ranges.push((s, buf.len() as u32));
        }
        Keys { buf, ranges }
    }

    pub(crate) fn get(&self, i: usize) -> &str {
        let (s, e) = self.ranges[i];
        &self.buf[s as usize..e as usize]
    }
}

/// What the whole article says about its words, used to judge capitals.
struct DocInfo<'k> {
    /// Per sentence: a headline-style line in Title Case.
    title_case: Vec<bool>,
    /// Per sentence: written all in capitals (no evidence at all).
    shouting: Vec<bool>,
    /// Keys of words seen capitalised where capitals mean something.
    cap_mid: FxHashSet<&'k str>,
    /// Keys of sentence-initial capitalised words also seen in lower case.
    lower_seen: FxHashSet<&'k str>,
}

/// Words that headline style leaves in lower case.
static HEADLINE_LOWER: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "a an the and but or nor for so yet as at by in of off on per to up via vs v with from into onto over amid",
    )
});

/// Fraction of a sentence's longer words that must be capitalised for it to
/// read as a Title Case headline: ordinary prose with many names stays well
/// below (verbs and common nouns are lower case); headlines sit near 1.
const TITLE_CASE_SHARE: f64 = 0.75;

/// Words shorter than this are ignored when judging Title Case, because
/// headline style leaves short function words ("of", "to", "and") in lower
/// case.
const TITLE_CASE_MIN_LEN: usize = 4;

/// A line needs this many longer words before it can be judged a headline:
/// with fewer, one or two names make any fragment look like Title Case.
const TITLE_CASE_MIN_WORDS: usize = 3;

impl<'k> DocInfo<'k> {
    fn new(text: &str, toks: &[Tok], keys: &'k Keys) -> DocInfo<'k> {
        let n_sent = toks.last().map_or(0, |t| t.sent as usize + 1);
        let mut long = vec![0usize; n_sent];
        let mut caps = vec![0usize; n_sent];
        let mut uppers = vec![0usize; n_sent];
        for t in toks.iter().filter(|t| t.is_word()) {
            let w = t.text(text);
            let is_long =
                if w.is_ascii() { w.len() >= TITLE_CASE_MIN_LEN } else { w.chars().count() >= TITLE_CASE_MIN_LEN };
            if is_long {
                let s = t.sent as usize;
                long[s] += 1;
                caps[s] += t.cap as usize;
                uppers[s] += t.upper as usize;
            }
        }
        // Headline style capitalises every word but a few short function
        // words; prose always has some other word in lower case (a verb at
        // least: "met", "said"), however many names it holds.
        let mut prose = vec![false; n_sent];
        for (i, t) in toks.iter().enumerate() {
            if !prose[t.sent as usize] && t.is_word() && !t.cap && !in_list(&HEADLINE_LOWER, keys.get(i)) {
                prose[t.sent as usize] = true;
            }
        }
        let title_case: Vec<bool> = (0..n_sent)
            .map(|s| {
                !prose[s] && long[s] >= TITLE_CASE_MIN_WORDS && caps[s] as f64 >= TITLE_CASE_SHARE * long[s] as f64
            })
            .collect();
        let shouting: Vec<bool> =
            (0..n_sent).map(|s| long[s] >= TITLE_CASE_MIN_WORDS && uppers[s] == long[s]).collect();
        let mut cap_mid = FxHashSet::default();
        let mut initial_caps = FxHashSet::default();
        for (i, t) in toks.iter().enumerate() {
            if !t.is_word() || !t.cap {
                continue;
            }
            if t.initial || title_case[t.sent as usize] {
                initial_caps.insert(keys.get(i));
            } else {
                cap_mid.insert(keys.get(i));
            }
        }
        let mut lower_seen = FxHashSet::default();
        if !initial_caps.is_empty() {
            for (i, t) in toks.iter().enumerate() {
                if t.is_word() && !t.cap {
                    let k = keys.get(i);
                    if initial_caps.contains(k) {
                        lower_seen.insert(k);
                    }
                }
            }
        }
        DocInfo { title_case, shouting, cap_mid, lower_seen }
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

/// The people an article gave one title: the first of them, and whether
/// people of another name share it.
struct Titled {
    first: usize,
    ambiguous: bool,
}

impl Titled {
    fn add<K>(slot: std::collections::hash_map::Entry<'_, K, Titled>, j: usize, cands: &[Cand]) {
        match slot {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(Titled { first: j, ambiguous: false });
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let t = o.get_mut();
                t.ambiguous |= cands[t.first].name != cands[j].name;
            }
        }
    }
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
                // "Kim Jong-un": a short lower-case part after a hyphen.
                if t.glued && self.is_punct(j - 1, '-') && k.len() <= 2 {
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

    /// Words allowed in the title part of a run.
    fn title_part_ok(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if !t.is_word() {
            return true;
        }
        let k = self.key(i);
        !chorus_text::is_stopword(k) && (self.is_title_word(i) || self.is_role(i) || self.has_evidence(i))
    }

    /// A role head inside run `a..b` followed by a name: (head, name start).
    fn split_title(&self, a: usize, b: usize) -> Option<(usize, usize)> {
        let whole = &self.text[self.toks[a].start..self.toks[b - 1].end];
        if gazetteer::lookup(whole).is_some() {
            return None;
        }
        for h in (a..b).rev() {
            if !(self.is_role(h) || self.is_honorific(h)) || !self.toks[h].cap {
                continue;
            }
            let mut n = self.of_phrase(h + 1, b);
            if n < b && self.is_punct(n, '.') {
                n += 1;
            }
            if n < b && self.name_like(n, b) {
                return Some((h, n));
            }
        }
        None
    }

    /// After a role head at `i - 1`: the end of "of State", "for the
    /// Interior", "of Ukraine" (a gazetteer name), or `i` when none.
    fn of_phrase(&self, i: usize, b: usize) -> usize {
        if i >= b || !matches!(self.key(i), "of" | "for") {
            return i;
        }
        let mut m = i + 1;
        if m < b && self.key(m) == "the" {
            m += 1;
        }
        let dom = m;
        while m < b && self.is_title_word(m) && !GAZ.is_first_name_key(self.key(m)) {
            m += 1;
        }
        if m == dom && m < b && GAZ.lookup_cased(self.key(m), self.toks[m].upper).is_some() {
            m += 1;
        }
        if m == dom { i } else { m }
    }

    /// Could tokens `n..b` be a person's name (after a title)?
    fn name_like(&self, n: usize, b: usize) -> bool {
        if !self.is_cap_word(n) {
            return false;
        }
        let whole = &self.text[self.toks[n].start..self.toks[b - 1].end];
        if gazetteer::lookup(whole).is_some() {
            return false;
        }
        let last = self.key(b - 1);
        if in_list(&ORG_SUFFIXES, last) || in_list(&PLACE_SUFFIXES, last) || in_list(&OTHER_SUFFIXES, last) {
            return false;
        }
        (n..b).all(|i| {
            let t = &self.toks[i];
            !t.is_word() || !(self.is_role(i) || (t.cap && self.is_title_word(i) && !self.has_evidence(i)))
        })
    }

    /// A run made only of a title ("U.S. President", "Chief of Staff"): the
    /// index of its head.
    fn title_only_head(&self, a: usize, b: usize) -> Option<usize> {
        let mut h = None;
        for i in (a..b).rev() {
            if self.is_role(i) && self.toks[i].cap {
                h = Some(i);
                break;
            }
        }
        let h = h?;
        if self.of_phrase(h + 1, b) != b && h + 1 != b {
            return None;
        }
        let ok = (a..h).all(|i| {
            let t = &self.toks[i];
            if !t.is_word() {
                return true;
            }
            let k = self.key(i);
            self.is_title_word(i)
                || self.is_role(i)
                || self.is_group_adjective(k)
                || GAZ.lookup_cased(k, t.upper).is_some()
        });
        ok.then_some(h)
    }

    /// Capitalised qualifiers in a title ("US", "European Commission",
    /// "Kremlin") are mentions in their own right.
    fn emit_qualifiers(&mut self, a: usize, h: usize) {
        let mut i = a;
        while i < h {
            if !self.is_cap_word(i) {
                i += 1;
                continue;
            }
            // The longest gazetteer name here, title words included ("US
            // Treasury", "European Commission").
            if let Some(k) = (i + 1..=h).rev().find(|&k| self.known(i, k)) {
                self.name(i, k, None);
                i = k;
                continue;
            }
            let skip = self.is_title_word(i) || self.is_role(i) || self.is_group_adjective(self.key(i));
            if skip {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < h && self.is_cap_word(j) && !self.is_title_word(j) && !self.is_role(j) {
                j += 1;
            }
            self.name(i, j, None);
            i = j;
        }
    }

    /// Walks left from token `k` over a title written before a name.
    ///
    /// With `need_head`, the words just before `k` (or before a comma just
    /// before `k`) must end in a role head ("journalist X", "his chief of
    /// staff, X"); otherwise a title is already in the run and only
    /// modifiers ("former") and possessive qualifiers ("Ukraine’s") extend
    /// it. Returns the first token of the title.
    fn left_chain(&self, k: usize, need_head: bool) -> Option<usize> {
        let toks = self.toks;
        if k == 0 {
            return None;
        }
        let mut q = k - 1;
        if need_head && self.is_punct(q, ',') && q > 0 && self.same_sent(q, k) {
            q -= 1;
        }
        // "an attorney for X", "the governor of X": X is whom the role
        // serves, not its holder.
        if toks[q].is_word() && matches!(self.key(q), "of" | "for") {
            return None;
        }
        let mut has_head = !need_head;
        let mut start = None;
        let mut of_seen = false;
        loop {
            if !self.same_sent(q, k) {
                break;
            }
            let t = &toks[q];
            match t.kind {
                Kind::Word => {
                    let key = self.key(q);
                    if !has_head && (self.is_role(q) && !t.cap || self.is_role(q) && need_head) {
                        has_head = true;
                        start = Some(q);
                    } else if has_head && (self.is_role(q) || self.is_title_word(q)) && !t.cap {
                        start = Some(q);
                    } else if !has_head && (self.is_title_word(q) || matches!(key, "the")) {
                        // Part of an of-phrase after the head ("chief of staff").
                    } else if !has_head && matches!(key, "of" | "for") {
                        of_seen = true;
                    } else if has_head && t.cap && start.is_some() && need_head {
                        // Capitalised qualifier before the head ("Kremlin").
                        if self.is_calendar(q) || (t.initial && !self.has_evidence(q)) {
                            break;
                        }
                        start = Some(q);
                    } else if has_head && key == "ex" && self.is_punct(q + 1, '-') {
                        start = Some(q);
                    } else {
                        break;
                    }
                }
                Kind::Poss => {
                    // "Ukraine’s", "Trump’s": only when a name stands before it.
                    if !has_head || q == 0 || !self.is_cap_word(q - 1) {
                        break;
                    }
                    let mut p = q - 1;
                    while p > 0 && self.is_cap_word(p - 1) && self.same_sent(p - 1, q) && !toks[p].initial {
                        p -= 1;
                    }
                    if toks[p].initial && !self.has_evidence(p) && p + 1 < q {
                        p += 1;
                    }
                    start = Some(p);
                    if p == 0 {
                        break;
                    }
                    q = p - 1;
                    continue;
                }
                Kind::Punct if has_head && self.is_punct(q, '-') && t.glued => {}
                _ => break,
            }
            if q == 0 {
                break;
            }
            q -= 1;
        }
        let _ = of_seen;
        let s = start?;
        if !has_head || s >= k {
            return None;
        }
        // The title must not start inside an of-phrase.
        if matches!(self.key(s), "of" | "for" | "the") {
            return None;
        }
        Some(s)
    }

    /// A title after a name across a comma: "X, Ukraine’s defense chief,".
    fn right_apposition(&self, e: usize) -> Option<Range<usize>> {
        let toks = self.toks;
        if e >= toks.len() || !self.is_punct(e, ',') || !self.same_sent(e - 1, e) {
            return None;
        }
        let mut q = e + 1;
        if q < toks.len() && matches!(self.key(q), "a" | "an" | "the") {
            q += 1;
        }
        let first = q;
        // Possessive qualifier: "Ukraine’s", "the bank’s".
        let mut p = q;
        while p < toks.len() && toks[p].is_word() && self.same_sent(e, p) && p - q < 4 {
            if toks.get(p + 1).is_some_and(|t| t.kind == Kind::Poss) {
                q = p + 2;
                break;
            }
            p += 1;
        }
        let mut unknown = 0;
        let mut head_end = None;
        while q < toks.len() && self.same_sent(e, q) {
            let t = &toks[q];
            if !t.is_word() {
                break;
            }
            let key = self.key(q);
            if self.is_role(q) {
                let after = self.of_phrase(q + 1, toks.len());
                head_end = Some(after);
                q = after;
                continue;
            }
            if self.is_title_word(q) {
                q += 1;
                continue;
            }
            if chorus_text::is_stopword(key) || t.cap || unknown >= 2 || head_end.is_some() {
                break;
            }
            unknown += 1;
            q += 1;
        }
        let end = head_end?;
        let closes = end >= toks.len()
            || !self.same_sent(e, end)
            || [',', ';', ')', '.', '—', '–'].iter().any(|&c| self.is_punct(end, c))
            || self.key(end) == "who"
            || crate::cues::finite_speech_verb(self.key(end)).is_some();
        if !closes || first >= end {
            return None;
        }
        Some(first..end)
    }

    /// Drops a leading determiner or possessive pronoun from a title range
    /// and returns its byte range; `name_tok` is the name's first token.
    fn trim_title(&self, title: Range<usize>, name_tok: usize) -> Range<usize> {
        let mut s = title.start;
        let e = self.title_end(title.end, name_tok);
        let t = &self.text[s..e];
        for det in ["the ", "The ", "his ", "His ", "her ", "Her ", "their ", "Their ", "its ", "Its "] {
            if t.starts_with(det) {
                s += det.len();
            }
        }
        s..e
    }

    /// A title's end without a comma or period before the name.
    fn title_end(&self, end: usize, _name_tok: usize) -> usize {
        let t = &self.text[..end];
        t.trim_end_matches([',', ' ']).len()
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

    fn known(&self, a: usize, b: usize) -> bool {
        a < b && gazetteer::lookup(&self.text[self.toks[a].start..self.toks[b - 1].end]).is_some()
    }

    fn person_like(&self, a: usize, b: usize) -> bool {
        a < b && !self.known(a, b) && self.classify(a, b) == EntityKind::Person
    }

    /// The kind of an unknown name from its own words and its neighbours.
    fn classify(&self, a: usize, b: usize) -> EntityKind {
        let toks = self.toks;
        let first = self.key(a);
        let last = self.key(b - 1);
        let words: Vec<usize> = (a..b).filter(|&i| toks[i].is_word()).collect();
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
        if GAZ.is_first_name_key(first) || words.len() <= 4 && words.iter().all(|&i| !toks[i].upper) {
            return EntityKind::Person;
        }
        EntityKind::Other
    }

    /// "the Ukrainian president", "the country’s prime minister": lower-case
    /// titles with a demonym or country qualifier, kept when the article gave
    /// a matching title to exactly one named person.
    fn nominal_mentions(&mut self) {
        let toks = self.toks;
        let mut found = Vec::new();
        for i in 0..toks.len().saturating_sub(2) {
            if !(toks[i].is_word() && self.key(i) == "the") {
                continue;
            }
            let q = i + 1;
            if !self.is_cap_word(q) {
                continue;
            }
            let qk = self.key(q);
            let Some(country) =
                GAZ.demonym_key(qk).or_else(|| GAZ.lookup_cased(qk, toks[q].upper).map(|k| k.canonical))
            else {
                continue;
            };
            let mut h = q + 1;
            if toks.get(h).is_some_and(|t| t.kind == Kind::Poss) {
                h += 1;
            }
            while h < toks.len() && self.is_title_word(h) && !self.is_role(h) && !toks[h].cap {
                h += 1;
            }
            if h >= toks.len() || !self.same_sent(i, h) || !self.is_role(h) || toks[h].cap {
                continue;
            }
            // Not followed by the name itself ("the Ukrainian president X").
            if toks.get(h + 1).is_some_and(|t| t.is_word() && t.cap && self.same_sent(h, h + 1)) {
                continue;
            }
            found.push((q, h + 1, country));
        }
        for (a, b, country) in found {
            let (start, end) = (toks[a].start, toks[b - 1].end);
            let head = self.key(b - 1);
            let mut best: Option<usize> = None;
            let mut ambiguous = false;
            for (ci, c) in self.cands.iter().enumerate() {
                if c.kind != EntityKind::Person || c.title_only || c.start >= start {
                    continue;
                }
                let Some(t) = &c.title else { continue };
                let parts = parse_title(&self.text[t.clone()]);
                let head_ok = parts.role == head || (head == "leader" && parts.is_leader());
                if !head_ok || parts.country.is_some_and(|pc| pc != country) || parts.country.is_none() {
                    continue;
                }
                match best {
                    Some(b) if self.cands[b].name != c.name => ambiguous = true,
                    _ => best = Some(ci),
                }
            }
            if let (Some(bi), false) = (best, ambiguous) {
                let name = self.cands[bi].name.clone();
                self.cands.push(Cand {
                    ts: a,
                    te: b,
                    start,
                    end,
                    name,
                    kind: EntityKind::Person,
                    known: false,
                    title: Some(start..end),
                    title_only: false,
                });
            }
        }
        self.cands.sort_by_key(|c| c.start);
    }

    /// In-article alias resolution and the final spans.
    fn resolve(mut self) -> Vec<EntitySpan> {
        let text = self.text;
        // Title-only runs that are part of a named person's title are not
        // mentions of their own.
        let chains = std::mem::take(&mut self.chains);
        self.cands.retain(|c| !c.title_only || !chains.iter().any(|r| r.start < c.te && c.ts < r.end));
        let mut cands = self.cands;
        cands.dedup_by(|b, a| a.start == b.start && a.end == b.end);

        // Full person names by the key of their last word.
        let words: Vec<NameWords> = cands.iter().map(|c| name_words(&c.name)).collect();
        let mut by_last: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, c) in cands.iter().enumerate() {
            if c.kind == EntityKind::Person && !c.title_only && c.te - c.ts >= 2 {
                by_last.entry(words[i].last()).or_default().push(i);
            }
        }
        let mut resolved: Vec<Option<usize>> = vec![None; cands.len()];
        for i in 0..cands.len() {
            let c = &cands[i];
            if c.known || c.title_only || c.kind == EntityKind::Place || c.kind == EntityKind::Organization {
                continue;
            }
            let Some(list) = by_last.get(words[i].last()) else { continue };
            let fits = |j: usize| j != i && words[j].len() > words[i].len() && words[j].ends_with_keys(&words[i]);
            let before = list.iter().rev().copied().find(|&j| j < i && fits(j));
            let after = list.iter().copied().find(|&j| j > i && fits(j));
            resolved[i] = before.or(after);
        }
        // A first name alone ("Hillary") for the one person of the article
        // who has it.
        let mut by_first: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, c) in cands.iter().enumerate() {
            if c.kind == EntityKind::Person && !c.title_only && c.te - c.ts >= 2 {
                by_first.entry(words[i].first()).or_default().push(i);
            }
        }
        for i in 0..cands.len() {
            let c = &cands[i];
            if resolved[i].is_some() || c.known || c.title_only || words[i].len() != 1 {
                continue;
            }
            if !GAZ.is_first_name_key(words[i].first()) {
                continue;
            }
            let Some(list) = by_first.get(words[i].first()) else { continue };
            let first = list[0];
            if list.iter().all(|&j| cands[j].name == cands[first].name) {
                resolved[i] = Some(first);
            }
        }
        for i in 0..cands.len() {
            if let Some(j) = resolved[i] {
                let name = cands[j].name.clone();
                cands[i].name = name;
                cands[i].kind = EntityKind::Person;
            }
        }
        // One name, one kind: "Biden" is a person everywhere in an article
        // that once calls him "President Biden".
        let persons: FxHashSet<String> =
            cands.iter().filter(|c| c.kind == EntityKind::Person && !c.title_only).map(|c| c.name.clone()).collect();
        for c in cands.iter_mut().filter(|c| !c.known && c.kind == EntityKind::Other) {
            if persons.contains(&c.name) {
                c.kind = EntityKind::Person;
            }
        }
        // Acronyms spelled by a longer organisation name in the article.
        let orgs: Vec<(String, String)> = cands
            .iter()
            .filter(|c| c.kind == EntityKind::Organization && c.name.contains(' '))
            .map(|c| (initials(&c.name), c.name.clone()))
            .collect();
        for c in cands.iter_mut().filter(|c| !c.known && c.te - c.ts == 1) {
            if c.name.len() >= 2
                && c.name.chars().all(|ch| ch.is_uppercase())
                && let Some((_, full)) = orgs.iter().find(|(ini, _)| *ini == c.name)
            {
                c.name = full.clone();
                c.kind = EntityKind::Organization;
            }
        }
        // Title-only mentions: the person this article gave that title. Each
        // title is taken apart once and the titled people indexed by role
        // (and by role and country), so an article of many titles costs one
        // look-up per mention, not a scan of every person per mention.
        // Resolving a mention adds no name to the index: the name it takes is
        // already there under the same role and country.
        let mut by_role: FxHashMap<String, Titled> = FxHashMap::default();
        let mut by_country: FxHashMap<(String, &'static str), Titled> = FxHashMap::default();
        for (j, c) in cands.iter().enumerate() {
            if c.title_only || c.kind != EntityKind::Person {
                continue;
            }
            let Some(t) = &c.title else { continue };
            let got = parse_title(&text[t.clone()]);
            if let Some(country) = got.country {
                Titled::add(by_country.entry((got.role.clone(), country)), j, &cands);
            }
            Titled::add(by_role.entry(got.role), j, &cands);
        }
        for i in 0..cands.len() {
            if !cands[i].title_only {
                continue;
            }
            let want = parse_title(&cands[i].name);
            let titled = match want.country {
                Some(country) => by_country.get(&(want.role, country)),
                None => by_role.get(&want.role),
            };
            match titled {
                Some(t) if !t.ambiguous => {
                    cands[i].name = cands[t.first].name.clone();
                    cands[i].title_only = false;
                }
                _ if want.country.is_none() => {
                    // A bare "President" with no one to refer to says nothing.
                    cands[i].kind = EntityKind::Other;
                }
                _ => {}
            }
        }
        cands
            .into_iter()
            .filter(|c| !(c.title_only && c.kind == EntityKind::Other))
            .map(|c| EntitySpan {
                start: c.start,
                end: c.end,
                title: c.title.map(|r| text[r].to_string()),
                name: c.name,
                kind: c.kind,
            })
            .collect()
    }
}

/// The sentence splitter keeps a quotation that runs over several sentences
/// in one sentence; a capital after a full stop inside it is still only the
/// start of a sentence. Abbreviations ("Mr.", "Feb.", initials) do not end
/// sentences.
fn mark_inner_sentence_starts(text: &str, toks: &mut [Tok], keys: &Keys) {
    for i in 1..toks.len().saturating_sub(1) {
        let t = toks[i];
        let ends = t.kind == Kind::Punct && matches!(text[t.start..].chars().next(), Some('.' | '!' | '?' | '…'));
        if !ends || toks[i + 1].glued || toks[i + 1].sent != t.sent {
            continue;
        }
        let prev = &toks[i - 1];
        let k = keys.get(i - 1);
        let abbreviation = prev.kind == Kind::Word
            && (k.chars().count() == 1
                || in_list(&HONORIFICS, k)
                || in_list(&ABBREVIATED_ROLES, k)
                || in_list(&CALENDAR, k)
                || matches!(k, "st" | "no" | "vs" | "inc" | "co" | "corp" | "ltd" | "jr" | "sr" | "mt" | "ft"));
        if !abbreviation {
            toks[i + 1].initial = true;
        }
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

/// The words of a name, keyed for comparison (lower case, no periods).
fn name_words(name: &str) -> NameWords {
    NameWords(name.split_whitespace().map(gazetteer::norm_key).filter(|w| !w.is_empty()).collect())
}

struct NameWords(Vec<String>);

impl NameWords {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn ends_with_keys(&self, other: &NameWords) -> bool {
        self.0.ends_with(&other.0)
    }

    fn last(&self) -> &str {
        self.0.last().map_or("", String::as_str)
    }

    fn first(&self) -> &str {
        self.0.first().map_or("", String::as_str)
    }
}

/// Initials of the significant words of a name ("European Central Bank" →
/// "ECB").
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !in_list(&CONNECTORS, w) && w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

#[cfg(test)]
mod tests;
