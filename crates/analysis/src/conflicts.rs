//! Conflicts: the same slot filled differently by different articles.
//!
//! Precision first: a journalist shown a false conflict stops trusting the
//! list. So every kind needs (a) evidence that both sides talk about the same
//! slot, (b) values that cannot both be right, and (c) no article that gives
//! both values itself — an article that reports "$500 billion, though the
//! institute counts $114 billion" is describing two quantities, not
//! contradicting anyone.
//!
//! Kinds: `number` (same unit and subject, incompatible values), `title`
//! ("former President" where others give the office as current), `role`
//! (two different offices for one person), `attribution` (one utterance
//! credited to different speakers), `date` (one event, different absolute
//! dates), `quote` (one utterance worded materially differently).

use chorus_model::{Conflict, ConflictKind, EntityKind, Position};
use chorus_text::{Stemmer, is_stopword, words};
use rustc_hash::FxHashMap;

use crate::facts::Facts;
use crate::numbers::{NumRef, Precision, compatible};
use crate::quotes::{Groups, normalized, wordings};
use crate::story::{Story, slice};

/// Content stems that the neighbourhoods of two numbers (outside one fact)
/// must share for the numbers to measure the same thing: one shared word is
/// the story's topic; two ("wartime aid", "death toll") name a quantity.
pub const NUMBER_CONTEXT_SHARED: usize = 2;

/// Lower-case content words each side of a number that make its
/// neighbourhood: the verb or noun that says what is counted sits next to
/// it ("killing 80 people", "a full house of 1,500 people"); further out
/// the words describe the scene both numbers share.
pub const NUMBER_WINDOW: usize = 3;

/// Overlap coefficient at or above which two quotes credited to different
/// speakers are one utterance (an attribution conflict). Stricter than
/// quote grouping: it asserts an error in someone's reporting.
pub const ATTRIBUTION_OVERLAP: f32 = 0.7;

/// Content stems such a quote must have: short phrases ("we are ready")
/// are said by many people.
pub const ATTRIBUTION_MIN_STEMS: usize = 5;

/// Two wordings of one utterance are a quote conflict only when the shorter
/// has at least this share of the longer's content stems: below it they are
/// different fragments of a speech, not rival renderings of one.
pub const WORDING_LENGTH_RATIO: f32 = 0.5;

pub(crate) fn find(story: &Story, facts: &Facts, nums: &[NumRef], quotes: &Groups) -> Vec<Conflict> {
    let mut out = Vec::new();
    out.extend(number_conflicts(story, facts, nums));
    out.extend(title_conflicts(story, facts));
    out.extend(attribution_conflicts(story, quotes));
    out.extend(date_conflicts(story, facts, nums));
    out.extend(quote_conflicts(story, quotes));
    out
}

/// Whether a position set is a real disagreement: two or more positions
/// each backed by an independent article, and no article in two positions.
fn real(story: &Story, positions: &[Vec<usize>]) -> bool {
    if positions.len() < 2 {
        return false;
    }
    let backed = positions.iter().filter(|p| p.iter().any(|&d| story.docs[d].independent)).count();
    if backed < 2 {
        return false;
    }
    let mut seen: FxHashMap<usize, usize> = FxHashMap::default();
    for (k, p) in positions.iter().enumerate() {
        for &d in p {
            if seen.get(&d).is_some_and(|&prev| prev != k) {
                return false;
            }
            seen.insert(d, k);
        }
    }
    true
}

fn position(story: &Story, value: String, docs: &[usize]) -> Position {
    Position { value, articles: story.ids(docs.iter().copied()) }
}

// ---------------------------------------------------------------- numbers

fn context(story: &Story, n: &NumRef, stemmer: &mut Stemmer) -> Vec<String> {
    let s = &story.sents[n.sent];
    let text = story.docs[n.doc].article.text.as_str();
    let before: Vec<&str> = words(slice(text, s.start, n.start)).filter(|w| is_content(w)).collect();
    let after: Vec<&str> = words(slice(text, n.end, s.end)).filter(|w| is_content(w)).collect();
    let unit = n.unit.to_lowercase();
    let mut v: Vec<String> = before
        .iter()
        .rev()
        .take(NUMBER_WINDOW)
        .chain(after.iter().take(NUMBER_WINDOW))
        .map(|w| stemmer.stem(w))
        .filter(|w| *w != unit)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A lower-case content word: names say where and who, not what a number
/// counts.
fn is_content(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase)
        && !is_stopword(w)
        && !SCALE_WORDS.contains(&w.to_lowercase().as_str())
}

/// Words that are part of how a number is written, not what it measures.
const SCALE_WORDS: &[&str] = &[
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "trillions",
    "bn",
    "mn",
    "dollars",
    "dollar",
    "euros",
    "euro",
    "pounds",
    "percent",
    "per",
    "cent",
    "said",
];

fn number_conflicts(story: &Story, facts: &Facts, nums: &[NumRef]) -> Vec<Conflict> {
    let mut stemmer = Stemmer::default();
    let idx: Vec<usize> = (0..nums.len()).filter(|&i| nums[i].unit != "date" && !nums[i].unit.is_empty()).collect();
    let ctx: FxHashMap<usize, Vec<String>> = idx.iter().map(|&i| (i, context(story, &nums[i], &mut stemmer))).collect();
    // Same-subject links between mentions of the same unit.
    let mut parent: Vec<usize> = (0..nums.len()).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    // Figures of one sentence, and the docs' figures, looked up rather
    // than searched for.
    let mut by_sent: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut by_doc: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (i, n) in nums.iter().enumerate() {
        by_sent.entry(n.sent).or_default().push(i);
        by_doc.entry(n.doc).or_default().push(i);
    }
    let sole_of_unit = |n: &NumRef| by_sent[&n.sent].iter().filter(|&&m| nums[m].same_unit(n)).count() == 1;
    let different_days = |x: &NumRef, y: &NumRef| {
        let dates = |n: &NumRef| -> Vec<f64> {
            by_sent[&n.sent].iter().filter(|&&m| nums[m].unit == "date").map(|&m| nums[m].value).collect()
        };
        let (dx, dy) = (dates(x), dates(y));
        !dx.is_empty() && !dy.is_empty() && !dx.iter().any(|a| dy.iter().any(|b| dates_compatible(*a, *b)))
    };
    // Only figures of one fact can fill one slot. Within a fact, the
    // figures of the core articles are compared pairwise; a figure of a
    // later article is compared with those (it links to what they link to),
    // so that a fact quoted by thousands of articles stays linear.
    let core = crate::facts::core_docs(story);
    let mut by_fact: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &i in &idx {
        if let Some(f) = facts.of_sent[nums[i].sent] {
            by_fact.entry(f).or_default().push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut fact_keys: Vec<usize> = by_fact.keys().copied().collect();
    fact_keys.sort_unstable();
    for f in fact_keys {
        let members = &by_fact[&f];
        let (inner, outer): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&i| core[nums[i].doc]);
        for (a, &i) in inner.iter().enumerate() {
            for &j in &inner[a + 1..] {
                pairs.push((i, j));
            }
        }
        for &j in &outer {
            for &i in &inner {
                pairs.push((i, j));
            }
        }
    }
    for (i, j) in pairs {
        {
            let (x, y) = (&nums[i], &nums[j]);
            if !x.same_unit(y) || x.doc == y.doc {
                continue;
            }
            // Same slot: the two sentences report the same fact and the
            // numbers' own neighbourhoods agree on what is counted. Figures
            // in sentences that merely share vocabulary are, in a story that
            // runs for days, usually different quantities or different days.
            let same_fact = facts.of_sent[x.sent].is_some() && facts.of_sent[x.sent] == facts.of_sent[y.sent];
            let shared = ctx[&i].iter().filter(|w| ctx[&j].binary_search(w).is_ok()).count();
            // Within one fact, two sentences that each hold a single figure
            // of the unit fill the same slot when the figures' neighbourhoods
            // share a word ("injuring 14 people … collapsed" against "Twelve
            // people were hurt when … collapsed"); with several figures of a
            // unit in a sentence, two shared words must say which is which.
            let slot =
                same_fact && (shared >= NUMBER_CONTEXT_SHARED || (shared >= 1 && sole_of_unit(x) && sole_of_unit(y)));
            let linked = slot && !different_days(x, y);
            if linked {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let mut comps: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &i in &idx {
        let r = root(&mut parent, i);
        comps.entry(r).or_default().push(i);
    }
    // Articles' own values per unit, to see whether an article gives both.
    let mut out = Vec::new();
    let mut keys: Vec<usize> = comps.keys().copied().collect();
    keys.sort_unstable();
    for k in keys {
        let comp = &comps[&k];
        if comp.len() < 2 {
            continue;
        }
        // Classes of mutually compatible exact figures. A vague figure
        // ("tens of millions") backs no exact value; it is a position of its
        // own only when it fits none of them.
        let mut sorted = comp.clone();
        sorted.sort_by_key(|&i| (!matches!(nums[i].precision, Precision::Exact), i));
        let mut classes: Vec<Vec<usize>> = Vec::new();
        for i in sorted {
            let exact = matches!(nums[i].precision, Precision::Exact);
            match classes.iter_mut().find(|c| compatible(&nums[c[0]], &nums[i])) {
                Some(c) if exact || !matches!(nums[c[0]].precision, Precision::Exact) => c.push(i),
                Some(_) => {}
                None => classes.push(vec![i]),
            }
        }
        let docs: Vec<Vec<usize>> = classes
            .iter()
            .map(|c| {
                let mut d: Vec<usize> = c.iter().map(|&i| nums[i].doc).collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect();
        if !real(story, &docs) {
            continue;
        }
        // An article that gives both values anywhere (same unit) knows of
        // both quantities: not a contradiction.
        let unit = nums[comp[0]].unit;
        let gives_both = docs.iter().enumerate().any(|(a, da)| {
            da.iter().any(|&d| {
                classes.iter().enumerate().any(|(b, cb)| {
                    b != a
                        && by_doc[&d].iter().map(|&m| &nums[m]).any(|n| {
                            n.doc == d
                                && (n.unit == unit || n.same_unit(&nums[comp[0]]))
                                && cb.iter().any(|&o| crate::numbers::same_value(nums[o].value, n.value))
                        })
                })
            })
        });
        if gives_both {
            continue;
        }
        let first = &nums[comp[0]];
        let subject = first
            .noun
            .map(str::to_string)
            .or_else(|| shared_words(story, &comp.iter().map(|&i| &nums[i]).collect::<Vec<_>>()))
            .unwrap_or_else(|| unit.to_string());
        let positions = classes
            .iter()
            .zip(&docs)
            .map(|(c, d)| position(story, most_common(c.iter().map(|&i| nums[i].text.trim())), d))
            .collect();
        out.push(Conflict { kind: ConflictKind::Number, subject, positions });
    }
    out
}

/// Whether two `yyyymmdd` dates can be the same day: equal, or one a
/// whole month or year (`yyyymm00`, `yyyy0000`) that holds the other.
pub(crate) fn dates_compatible(a: f64, b: f64) -> bool {
    let (a, b) = (a as i64, b as i64);
    if a == b {
        return true;
    }
    let parts = |v: i64| (v / 10000, (v / 100) % 100, v % 100);
    let ((ya, ma, da), (yb, mb, db)) = (parts(a), parts(b));
    ya == yb && (ma == 0 || mb == 0 || (ma == mb && (da == 0 || db == 0)))
}

/// What several number mentions measure, as a subject line: the lower-case
/// content words of the first mention's neighbourhood that every other
/// mention's neighbourhood shares ("repairs costing"), in the order
/// written, with the unit. Names and weekdays are left out: they say who
/// and when, not what was counted.
fn shared_words(story: &Story, ns: &[&NumRef]) -> Option<String> {
    let mut stemmer = Stemmer::default();
    let others: Vec<Vec<String>> = ns[1..].iter().map(|n| context(story, n, &mut stemmer)).collect();
    let n = ns[0];
    let s = &story.sents[n.sent];
    let text = story.docs[n.doc].article.text.as_str();
    let before: Vec<&str> = words(slice(text, s.start, n.start)).filter(|w| is_content(w)).collect();
    let after: Vec<&str> = words(slice(text, n.end, s.end)).filter(|w| is_content(w)).collect();
    let window: Vec<&str> = before[before.len().saturating_sub(NUMBER_WINDOW)..]
        .iter()
        .chain(after.iter().take(NUMBER_WINDOW))
        .copied()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .collect();
    let mut picked: Vec<&str> = Vec::new();
    for w in window {
        let st = stemmer.stem(w);
        if others.iter().all(|o| o.binary_search(&st).is_ok()) && !picked.contains(&w) {
            picked.push(w);
        }
    }
    picked.truncate(4);
    (!picked.is_empty()).then(|| format!("{} ({})", picked.join(" "), n.unit))
}

fn most_common<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let mut c: Vec<(&str, usize)> = Vec::new();
    for t in it {
        match c.iter_mut().find(|(x, _)| *x == t) {
            Some(e) => e.1 += 1,
            None => c.push((t, 1)),
        }
    }
    c.iter().max_by_key(|(t, n)| (*n, std::cmp::Reverse(t.len()))).map(|(t, _)| t.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------- titles

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Status {
    Current,
    Former,
    Future,
}

/// Modifiers that put an office in the past.
const FORMER: &[&str] = &["former", "ex", "erstwhile", "onetime", "one-time", "previous", "past", "retired", "late"];
/// Modifiers that put it in the future.
const FUTURE: &[&str] = &["incoming", "elect", "designate", "future"];
/// Modifiers that say nothing about whether the office is held now
/// ("acting" is held; "then" and "outgoing" are relative to some moment).
const NEUTRAL: &[&str] = &["acting", "interim", "new", "current", "sitting", "outgoing", "then"];

/// Head nouns of offices: a title is an office (and can conflict with
/// another) only when it contains one. Descriptions such as "leader",
/// "official" or "critic" fit one person in many ways at once.
const OFFICE_HEADS: &[&str] = &[
    "president",
    "minister",
    "secretary",
    "chancellor",
    "premier",
    "governor",
    "mayor",
    "senator",
    "congressman",
    "congresswoman",
    "representative",
    "ambassador",
    "general",
    "admiral",
    "commander",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "envoy",
    "adviser",
    "advisor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "judge",
    "justice",
    "attorney",
    "prosecutor",
    "coach",
    "captain",
    "manager",
    "speaker",
    "mp",
    "chief",
    "commissioner",
    "prime",
    "deputy",
    "vice",
    "treasurer",
    "sheriff",
    "marshal",
    "editor",
    "founder",
    "owner",
    "executive",
    "officer",
    "head",
];

/// Head nouns that fit any office ("Interpol's head", "police chief"):
/// never a rival to a specific one.
const GENERIC_HEADS: &[&str] = &["head", "chief", "leader", "boss", "officer", "official"];

/// Words of office titles that rank an office rather than name it: a
/// "deputy minister" and a "minister" share the head "minister".
const RANK_WORDS: &[&str] = &["prime", "deputy", "vice", "first", "senior", "assistant", "executive"];

/// British and American spellings and gendered forms of office words.
fn spelling(w: &str) -> &str {
    match w {
        "defence" => "defense",
        "labour" => "labor",
        "programme" => "program",
        "spokesman" | "spokeswoman" => "spokesperson",
        "chairman" | "chairwoman" => "chair",
        "congressman" | "congresswoman" => "representative",
        "adviser" => "advisor",
        _ => w,
    }
}

/// Office abbreviations and what they stand for, so "CEO" and "chief
/// executive" are one office.
fn expand(w: &str) -> Option<&'static [&'static str]> {
    Some(match w {
        "ceo" => &["chief", "executive"],
        "cfo" => &["chief", "financial"],
        "coo" => &["chief", "operating"],
        "cto" => &["chief", "technology"],
        "pm" => &["prime", "minister"],
        "fm" => &["foreign", "minister"],
        _ => return None,
    })
}

struct TitleUse {
    doc: usize,
    status: Status,
    office: Vec<String>,
    surface: String,
    /// Index of the sentence in the story table.
    sent: Option<usize>,
    /// The office's head nouns ("minister" in "First Deputy Prime
    /// Minister"); empty for descriptions such as "opposition leader".
    heads: Vec<String>,
}

/// Parses a title into its status and its office (sorted stems), dropping
/// nationalities, country abbreviations and possessives, so "U.S. Defense
/// Secretary" and "Secretary of Defence" are one office.
fn parse_title(title: &str, places: &[String], stemmer: &mut Stemmer) -> Option<(Status, Vec<String>, Vec<String>)> {
    let mut status = Status::Current;
    let mut office = Vec::new();
    let mut heads: Vec<String> = Vec::new();
    for raw in title.split(|c: char| c.is_whitespace() || c == '-' || c == '–' || c == ',') {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != '’');
        if w.is_empty() {
            continue;
        }
        let lower = w.to_lowercase().replace('’', "'");
        if lower.ends_with("'s") || lower.ends_with('\'') {
            continue;
        }
        let bare: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
        if bare.is_empty() {
            continue;
        }
        if FORMER.contains(&bare.as_str()) {
            status = Status::Former;
            continue;
        }
        if FUTURE.contains(&bare.as_str()) {
            status = Status::Future;
            continue;
        }
        if NEUTRAL.contains(&bare.as_str()) {
            if bare == "then" {
                return None;
            }
            continue;
        }
        let first_upper = w.chars().next().is_some_and(char::is_uppercase);
        let abbreviation = w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) && bare.len() <= 4;
        let nationality = first_upper
            && (["ian", "ean", "ese", "ish", "ch", "i"].iter().any(|s| bare.ends_with(s))
                || (bare.ends_with("an") && !bare.ends_with("man")))
            && !OFFICE_HEADS.contains(&bare.as_str());
        if abbreviation && !OFFICE_HEADS.contains(&bare.as_str()) || nationality || places.contains(&bare) {
            continue;
        }
        if is_stopword(&bare) {
            continue;
        }
        let word = spelling(&bare);
        let parts: Vec<&str> = match expand(word) {
            Some(p) => p.to_vec(),
            None => vec![word],
        };
        for p in parts {
            if OFFICE_HEADS.contains(&p) && !RANK_WORDS.contains(&p) {
                heads.push(p.to_string());
            }
            office.push(stemmer.stem(p));
        }
    }
    office.sort_unstable();
    office.dedup();
    heads.sort_unstable();
    heads.dedup();
    (!office.is_empty() || status != Status::Current).then_some((status, office, heads))
}

fn subset(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.binary_search(x).is_ok())
}

fn title_conflicts(story: &Story, facts: &Facts) -> Vec<Conflict> {
    let mut stemmer = Stemmer::default();
    // Lower-cased single words naming the story's places and organisations.
    let mut places: Vec<String> = Vec::new();
    for e in &story.ents.entities {
        if matches!(e.kind, EntityKind::Place | EntityKind::Organization) {
            // Single-word names only ("Interpol", "Ukraine"): the words of
            // longer ones ("President's Council", "State Department") are
            // also office words.
            for a in e.aliases.iter().chain(std::iter::once(&e.name)).filter(|a| !a.trim().contains(' ')) {
                places.push(a.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase());
            }
        }
    }
    places.sort_unstable();
    places.dedup();
    let mut by_entity: FxHashMap<usize, Vec<TitleUse>> = FxHashMap::default();
    for (d, doc) in story.docs.iter().enumerate() {
        let text = doc.article.text.as_str();
        for (m, e) in doc.extraction.entities.iter().enumerate() {
            let Some(title) = e.title.as_deref().filter(|t| !t.trim().is_empty()) else { continue };
            let id = story.mention_ids[d][m];
            if story.ents.entities.get(id).is_some_and(|ent| !matches!(ent.kind, EntityKind::Person)) {
                continue;
            }
            if e.end > text.len() || story.is_quoted(d, e.start, e.end) {
                continue;
            }
            // "under President X" and "then-President X" speak of the past
            // without saying the office is over.
            let before = slice(text, 0, e.start);
            let window_start = before.len().saturating_sub(title.len() + 24);
            let window = before.get(window_start..).unwrap_or("");
            let lead = window.rfind(title).map(|p| &window[..p]).unwrap_or(window);
            let prev = lead.split_whitespace().last().unwrap_or("").to_lowercase();
            if prev == "under" || prev.ends_with("then-") || prev == "then" {
                continue;
            }
            let Some((status, office, heads)) = parse_title(title, &places, &mut stemmer) else { continue };
            let sent =
                story.by_doc[d].clone().find(|&i| story.sents[i].start <= e.start && e.start < story.sents[i].end);
            by_entity.entry(id).or_default().push(TitleUse {
                sent,
                doc: d,
                status,
                office,
                surface: title.trim().to_string(),
                heads,
            });
        }
    }
    let mut ids: Vec<usize> = by_entity.keys().copied().collect();
    ids.sort_unstable();
    let mut out = Vec::new();
    for id in ids {
        let uses = &by_entity[&id];
        let name = story.entity_name(id).to_string();
        // Offices: classes of office keys where one contains the other.
        let mut offices: Vec<Vec<usize>> = Vec::new();
        for (u, t) in uses.iter().enumerate() {
            if t.office.is_empty() {
                continue;
            }
            match offices.iter_mut().find(|c| {
                let o = &uses[c[0]].office;
                subset(o, &t.office) || subset(&t.office, o)
            }) {
                Some(c) => c.push(u),
                None => offices.push(vec![u]),
            }
        }
        // Title: one office, held now in some articles, over (or not yet
        // begun) in others.
        for c in &offices {
            let mut by_status: Vec<(Status, Vec<usize>, Vec<&str>)> = Vec::new();
            for &u in c {
                let t = &uses[u];
                match by_status.iter_mut().find(|(s, _, _)| *s == t.status) {
                    Some(e) => {
                        e.1.push(t.doc);
                        e.2.push(&t.surface);
                    }
                    None => by_status.push((t.status, vec![t.doc], vec![&t.surface])),
                }
            }
            if by_status.len() < 2 {
                continue;
            }
            by_status.sort_by_key(|(s, _, _)| *s as u8);
            let docs: Vec<Vec<usize>> = by_status
                .iter()
                .map(|(_, d, _)| {
                    let mut d = d.clone();
                    d.sort_unstable();
                    d.dedup();
                    d
                })
                .collect();
            // An article that uses both ("former President X … President
            // X") contradicts itself; it stays in both positions, but
            // it takes articles on each side that use only one to show.
            let only: Vec<Vec<usize>> = docs
                .iter()
                .enumerate()
                .map(|(k, d)| {
                    d.iter()
                        .copied()
                        .filter(|x| !docs.iter().enumerate().any(|(j, o)| j != k && o.contains(x)))
                        .collect()
                })
                .collect();
            if !real(story, &only) {
                continue;
            }
            let positions = by_status
                .iter()
                .zip(&docs)
                .map(|((_, _, s), d)| position(story, most_common(s.iter().copied()), d))
                .collect();
            out.push(Conflict { kind: ConflictKind::Title, subject: name.clone(), positions });
        }
        // Role: two different offices for one person, no article giving
        // both (someone who holds two posts is described by both), and no
        // head noun in common: "spokesman" for a deputy spokesperson, or
        // "Economy Minister" for a deputy prime minister who is also
        // economy minister, is loose description, not contradiction.
        let heads_of = |c: &Vec<usize>| {
            let mut h: Vec<&String> = c.iter().flat_map(|&u| &uses[u].heads).collect();
            h.sort_unstable();
            h.dedup();
            h
        };
        let roles: Vec<&Vec<usize>> = offices.iter().filter(|c| !heads_of(c).is_empty()).collect();
        let disjoint = roles.len() == 2
            && {
                let (a, b) = (heads_of(roles[0]), heads_of(roles[1]));
                !a.iter().any(|x| b.contains(x))
                && !a.iter().chain(&b).any(|h| GENERIC_HEADS.contains(&h.as_str()))
                // A career has several offices; two articles contradict each
                // other only when they give different ones in reporting the
                // same fact.
                && roles[0].iter().any(|&u| {
                    roles[1].iter().any(|&v| {
                        let (fu, fv) = (uses[u].sent.and_then(|s| facts.of_sent[s]), uses[v].sent.and_then(|s| facts.of_sent[s]));
                        fu.is_some() && fu == fv
                    })
                })
            };
        if disjoint {
            let docs: Vec<Vec<usize>> = roles
                .iter()
                .map(|c| {
                    let mut d: Vec<usize> = c.iter().map(|&u| uses[u].doc).collect();
                    d.sort_unstable();
                    d.dedup();
                    d
                })
                .collect();
            if real(story, &docs) {
                let positions = roles
                    .iter()
                    .zip(&docs)
                    .map(|(c, d)| {
                        let current: Vec<&str> = c
                            .iter()
                            .filter(|&&u| uses[u].status == Status::Current)
                            .map(|&u| uses[u].surface.as_str())
                            .collect();
                        let all: Vec<&str> = c.iter().map(|&u| uses[u].surface.as_str()).collect();
                        let v = if current.is_empty() {
                            most_common(all.into_iter())
                        } else {
                            most_common(current.into_iter())
                        };
                        position(story, v, d)
                    })
                    .collect();
                out.push(Conflict { kind: ConflictKind::Role, subject: name.clone(), positions });
            }
        }
    }
    out
}

// ---------------------------------------------------------------- quotes

fn attribution_conflicts(story: &Story, g: &Groups) -> Vec<Conflict> {
    let qs = &g.quotes;
    let mut out = Vec::new();
    let mut done: Vec<(usize, usize)> = Vec::new();
    // Rival attributions are looked for among the core articles' quotes
    // (as facts are: a hundred independent accounts show who is credited
    // with what); every article's quotes then count in the positions.
    let core = crate::facts::core_docs(story);
    let cands: Vec<usize> = (0..qs.len())
        .filter(|&i| core[qs[i].doc] && qs[i].speaker.is_some() && qs[i].stems.len() >= ATTRIBUTION_MIN_STEMS)
        .collect();
    for (x, &i) in cands.iter().enumerate() {
        for &j in &cands[x + 1..] {
            let (a, b) = (&qs[i], &qs[j]);
            let (Some(sa), Some(sb)) = (a.speaker, b.speaker) else { continue };
            if sa == sb || a.doc == b.doc {
                continue;
            }
            let shared = a.stems.iter().filter(|s| b.stems.binary_search(s).is_ok()).count();
            let o = shared as f32 / a.stems.len().min(b.stems.len()) as f32;
            if o < ATTRIBUTION_OVERLAP || done.contains(&(sa.min(sb), sa.max(sb))) {
                continue;
            }
            // "Najib" and "Najib Razak" are one speaker the merge missed,
            // not two; and a quote credited to an office or a government
            // ("the Elysée said") is its head's words, not a rival claim.
            let person = |e: usize| story.ents.entities.get(e).is_some_and(|x| matches!(x.kind, EntityKind::Person));
            if share_name_token(story.entity_name(sa), story.entity_name(sb)) || !person(sa) || !person(sb) {
                continue;
            }
            // Every article quoting these words, by the speaker it names.
            let mut by_speaker: Vec<(usize, Vec<usize>)> = Vec::new();
            for q in qs {
                let Some(s) = q.speaker else { continue };
                let sh = q.stems.iter().filter(|x| a.stems.binary_search(x).is_ok()).count();
                if q.stems.is_empty() || (sh as f32) / (q.stems.len().min(a.stems.len()) as f32) < ATTRIBUTION_OVERLAP {
                    continue;
                }
                match by_speaker.iter_mut().find(|(x, _)| *x == s) {
                    Some(e) => e.1.push(q.doc),
                    None => by_speaker.push((s, vec![q.doc])),
                }
            }
            for e in &mut by_speaker {
                e.1.sort_unstable();
                e.1.dedup();
            }
            let docs: Vec<Vec<usize>> = by_speaker.iter().map(|(_, d)| d.clone()).collect();
            if !real(story, &docs) {
                continue;
            }
            done.push((sa.min(sb), sa.max(sb)));
            out.push(Conflict {
                kind: ConflictKind::Attribution,
                subject: format!("“{}”", shorten(a.text, 90)),
                positions: by_speaker
                    .iter()
                    .map(|(s, d)| position(story, story.entity_name(*s).to_string(), d))
                    .collect(),
            });
        }
    }
    out
}

fn share_name_token(a: &str, b: &str) -> bool {
    let ta: Vec<String> = a.split_whitespace().map(str::to_lowercase).collect();
    b.split_whitespace().any(|w| ta.contains(&w.to_lowercase()))
}

fn quote_conflicts(story: &Story, g: &Groups) -> Vec<Conflict> {
    let mut out = Vec::new();
    for grp in &g.groups {
        let ws = wordings(&g.quotes, grp);
        if ws.len() < 2 {
            continue;
        }
        // Rival renderings of one span: comparable length, and each with
        // words the other lacks (subsets were folded already).
        let longest = ws.iter().map(|(r, _)| g.quotes[*r].stems.len()).max().unwrap_or(0);
        let ws: Vec<&(usize, Vec<usize>)> = ws
            .iter()
            .filter(|(r, _)| (g.quotes[*r].stems.len() as f32) >= WORDING_LENGTH_RATIO * longest as f32)
            .collect();
        let docs: Vec<Vec<usize>> = ws
            .iter()
            .map(|(_, m)| {
                let mut d: Vec<usize> = m.iter().map(|&i| g.quotes[i].doc).collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect();
        if !real(story, &docs) {
            continue;
        }
        // Identical words, different punctuation: not material.
        let distinct: Vec<String> = ws.iter().map(|(r, _)| normalized(g.quotes[*r].text)).collect();
        if distinct.iter().all(|d| *d == distinct[0]) {
            continue;
        }
        let speaker = g.speaker(story, grp).unwrap_or_else(|| "unattributed".to_string());
        out.push(Conflict {
            kind: ConflictKind::Quote,
            subject: speaker,
            positions: ws
                .iter()
                .zip(&docs)
                .map(|((r, _), d)| position(story, g.quotes[*r].text.to_string(), d))
                .collect(),
        });
    }
    out
}

// ---------------------------------------------------------------- dates

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A date written out to the day or month ("March 3", "2024-03-03"), not a
/// relative one ("on Sunday") whose value depends on when each outlet
/// published, nor a bare year or decade, which is usually a different
/// event's.
fn absolute(text: &str) -> bool {
    let l = text.to_lowercase();
    let digits = l.chars().filter(char::is_ascii_digit).count();
    digits > 0 && (MONTHS.iter().any(|m| l.contains(m)) || digits >= 6)
}

fn date_conflicts(story: &Story, facts: &Facts, nums: &[NumRef]) -> Vec<Conflict> {
    // Only sentences that name exactly one date, written out: with two
    // dates in one sentence nothing says which event each belongs to.
    let mut per_sent: FxHashMap<usize, usize> = FxHashMap::default();
    for n in nums.iter().filter(|n| n.unit == "date") {
        *per_sent.entry(n.sent).or_insert(0) += 1;
    }
    let dates: Vec<usize> = (0..nums.len())
        .filter(|&i| nums[i].unit == "date" && absolute(nums[i].text))
        .filter(|&i| per_sent.get(&nums[i].sent) == Some(&1))
        .collect();
    // A date without a year ("8 March") was placed in a year by guess;
    // compare it by day and month only.
    let yearless = |n: &NumRef| !n.text.contains(&format!("{}", n.value as i64 / 10000));
    let same = |a: &NumRef, b: &NumRef| {
        dates_compatible(a.value, b.value)
            || ((yearless(a) || yearless(b)) && (a.value as i64) % 10000 == (b.value as i64) % 10000)
    };
    let mut by_fact: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &i in &dates {
        if let Some(f) = facts.of_sent[nums[i].sent] {
            by_fact.entry(f).or_default().push(i);
        }
    }
    let mut keys: Vec<usize> = by_fact.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for f in keys {
        let ms = &by_fact[&f];
        // A class is checked through one member of each distinct (value,
        // year written or not): `same` reads nothing else.
        let mut classes: Vec<Vec<usize>> = Vec::new();
        let mut kinds: Vec<Vec<usize>> = Vec::new();
        for &i in ms {
            let n = &nums[i];
            match (0..classes.len()).find(|&c| kinds[c].iter().all(|&k| same(&nums[k], n))) {
                Some(c) => {
                    classes[c].push(i);
                    if !kinds[c].iter().any(|&k| nums[k].value == n.value && yearless(&nums[k]) == yearless(n)) {
                        kinds[c].push(i);
                    }
                }
                None => {
                    classes.push(vec![i]);
                    kinds.push(vec![i]);
                }
            }
        }
        let docs: Vec<Vec<usize>> = classes
            .iter()
            .map(|c| {
                let mut d: Vec<usize> = c.iter().map(|&i| nums[i].doc).collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect();
        if !real(story, &docs) {
            continue;
        }
        // The sentences must say the same thing closely, not just belong to
        // one broad fact.
        if !classes.windows(2).all(|w| story.cos(nums[w[0][0]].sent, nums[w[1][0]].sent) >= crate::facts::STRONG) {
            continue;
        }
        let subject = shorten(story.sents[facts.clusters[f].rep].text, 90);
        let positions = classes
            .iter()
            .zip(&docs)
            .map(|(c, d)| position(story, most_common(c.iter().map(|&i| nums[i].text.trim())), d))
            .collect();
        out.push(Conflict { kind: ConflictKind::Date, subject, positions });
    }
    out
}

pub(crate) fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_parse_into_status_and_office() {
        let mut st = Stemmer::default();
        let places = vec!["freedonia".to_string()];
        let (s1, o1, h1) = parse_title("former Freedonian President", &places, &mut st).unwrap();
        let h1 = !h1.is_empty();
        let (s2, o2, _) = parse_title("U.S. President", &places, &mut st).unwrap();
        let (_, o3, _) = parse_title("Secretary of Defence", &places, &mut st).unwrap();
        let (_, o4, _) = parse_title("Freedonia's Defense Secretary", &places, &mut st).unwrap();
        assert_eq!(s1, Status::Former);
        assert_eq!(s2, Status::Current);
        assert!(h1);
        assert_eq!(o1, o2);
        assert_eq!(o3, o4);
        assert!(parse_title("then-President", &places, &mut st).is_none());
        let (_, o5, h5) = parse_title("opposition leader", &places, &mut st).unwrap();
        assert!(h5.is_empty(), "{o5:?}");
        let (_, _, h6) = parse_title("First Deputy Prime Minister", &places, &mut st).unwrap();
        let (_, _, h7) = parse_title("Economy Minister", &places, &mut st).unwrap();
        assert_eq!(h6, h7);
        let (_, _, h8) = parse_title("State Department spokesman", &places, &mut st).unwrap();
        let (_, _, h9) = parse_title("Deputy Spokesperson", &places, &mut st).unwrap();
        assert_eq!(h8, h9);
    }

    #[test]
    fn abbreviated_offices_match_their_expansion() {
        let mut st = Stemmer::default();
        let (_, a, _) = parse_title("CEO", &[], &mut st).unwrap();
        let (_, b, _) = parse_title("chief executive", &[], &mut st).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn dates_of_different_precision_are_compatible() {
        assert!(dates_compatible(20140308.0, 20140300.0));
        assert!(dates_compatible(20090600.0, 20090000.0));
        assert!(!dates_compatible(20140308.0, 20140324.0));
        assert!(!dates_compatible(20140308.0, 20130308.0));
    }

    #[test]
    fn absolute_dates_only() {
        assert!(absolute("March 3, 2021"));
        assert!(absolute("2021-03-03"));
        assert!(!absolute("on Sunday"));
        assert!(!absolute("last week"));
        assert!(!absolute("1929"));
        assert!(!absolute("the 1930s"));
    }
}
