//! Title and role conflicts: "former President" where others give the
//! office as current, and two different offices for one person.

use chorus_model::{Conflict, ConflictKind, EntityKind, UpdateKind};
use chorus_text::{Stemmer, is_stopword};
use chrono::Datelike;
use rustc_hash::FxHashMap;

use super::updates::{self, Item};
use super::{Develop, Developed, develop_update, most_common, position, real};
use crate::facts::Facts;
use crate::story::{Story, slice};
use crate::time::{When, clearly_before};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Status {
    Current,
    Former,
    Future,
}

impl Status {
    /// Where a status lies in an office's course: not yet, held, over.
    fn rank(self) -> u8 {
        match self {
            Status::Future => 0,
            Status::Current => 1,
            Status::Former => 2,
        }
    }
}

/// Words that say a person's office changed: a later report giving another
/// title or role with one of these beside it tells the change, not a
/// disagreement. Without one, "former" where others say "President" is the
/// common mistake it looks like, unless publication dates place the
/// "former" clearly after every "President" ([`moved_on`]).
const CHANGE_CUES: &[&str] = &[
    "resigned",
    "resigns",
    "resignation",
    "stepped",
    "steps",
    "quit",
    "ousted",
    "fired",
    "dismissed",
    "sacked",
    "removed",
    "impeached",
    "died",
    "replaced",
    "replacing",
    "succeeded",
    "succeeds",
    "sworn",
    "inaugurated",
    "appointed",
    "elected",
    "named",
    "promoted",
    "demoted",
    "became",
    "becomes",
    "took",
    "assumed",
    "nominated",
];

/// Whether the move from status `a` to the status first reported by item
/// `fb` is the course of an office over time though no sentence says so:
/// the articles that give both statuses carry publication dates (the
/// caller's moments already put `fb` clearly after `a`), and no article
/// gives status `a` again after it. An office that ended is not reported
/// held afterwards; where it is, "former" was the mistake, and the two
/// remain a conflict. Times of adding to a store are no publication dates:
/// undated articles keep needing a cue ([`CHANGE_CUES`]).
fn moved_on(items: &[Item], a: usize, fb: usize, dated: impl Fn(usize) -> bool) -> bool {
    let later = items[fb].when.as_ref();
    dated(items[fb].doc)
        && items.iter().filter(|it| it.class == a).all(|it| dated(it.doc) && !clearly_before(later, it.when.as_ref()))
}

fn has_change_cue(sentence: &str) -> bool {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| !w.is_empty() && CHANGE_CUES.contains(&w.to_lowercase().as_str()))
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

/// Gendered and alternative forms of office words. (British and American
/// spellings, "Defence" / "Defense", are one stem already:
/// [`chorus_text::spelling`].)
fn spelling(w: &str) -> &str {
    match w {
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
    /// A bare title right before the name ("President X", "Gov. X",
    /// "Secretary X"): in US and much other usage a courtesy kept for life,
    /// so it says nothing about whether the office is held now.
    honorific: bool,
}

/// Whether a title written right before a name is a bare courtesy title:
/// nothing but its head word (after the time words), with no country,
/// state, organisation, portfolio, "of" phrase or possessive to make it a
/// claim about an office ("U.S. President", "Florida governor", "Secretary
/// of State", "Defense Secretary", "Trump's campaign manager" are claims).
fn is_honorific(title: &str) -> bool {
    if title.contains("'s") || title.contains("’s") {
        return false;
    }
    let parts = chorus_extract::entities::parse_title(title);
    parts.country.is_none()
        && parts.organization.is_none()
        && !parts.former
        && (parts.office.is_empty() || parts.office == parts.role)
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

/// Title and role conflicts, and the changes of title or role that the
/// texts say happened as the story developed.
pub(super) fn title_conflicts(story: &Story, facts: &Facts, dev: &Develop) -> (Vec<Conflict>, Vec<Developed>) {
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
        let own_year: Option<i32> = doc.article.published.as_deref().and_then(|p| p.get(..4)?.parse().ok());
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
            let mut lead_words = lead.split_whitespace().rev().map(str::to_lowercase);
            let prev = lead_words.next().unwrap_or_default();
            // The second of two coordinated titles ("retired general and
            // CIA director X"): a time word on the first may stand for both.
            let coordinated = matches!(prev.as_str(), "and" | "or")
                && lead_words.next().is_some_and(|w| {
                    let w: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
                    OFFICE_HEADS.contains(&w.as_str())
                });
            // "as secretary of state, she …" is the capacity of a time the
            // sentence gives, usually past, not the office held now.
            // A year before the title ("2012 Republican presidential
            // nominee X") dates it: history as well.
            let year = prev.len() == 4 && prev.chars().all(|c| c.is_ascii_digit());
            if matches!(prev.as_str(), "under" | "then" | "as") || prev.ends_with("then-") || year || coordinated {
                continue;
            }
            // Written after the name ("X, the president of Y") the title is
            // an apposition, a claim; only one right before it can be a
            // courtesy.
            let honorific = window.rfind(title).is_some() && is_honorific(title);
            let Some((status, office, heads)) = parse_title(title, &places, &mut stemmer) else { continue };
            let sent =
                story.by_doc[d].clone().find(|&i| story.sents[i].start <= e.start && e.start < story.sents[i].end);
            // A sentence dated by a year other than its article's ("voters
            // in 2012 … for GOP nominee Mitt Romney") gives the title of
            // that year; its dates as the number parser read them (a year
            // it only guessed for "8 March" dates nothing).
            if sent.is_some_and(|i| {
                story.sents[i].nums.iter().filter_map(|&k| doc.extraction.numbers[k].date.as_ref()).any(|dt| {
                    !dt.year_guessed && own_year.is_none_or(|y| !(dt.low.year()..=dt.high.year()).contains(&y))
                })
            }) {
                continue;
            }
            by_entity.entry(id).or_default().push(TitleUse {
                sent,
                doc: d,
                status,
                office,
                surface: title.trim().to_string(),
                heads,
                honorific,
            });
        }
    }
    let mut ids: Vec<usize> = by_entity.keys().copied().collect();
    ids.sort_unstable();
    let mut out = Vec::new();
    let mut updates_out = Vec::new();
    let when_of = |u: &TitleUse| match u.sent {
        Some(s) => dev.times.of_sentence(story, s),
        None => dev.times.docs[u.doc],
    };
    let cue_of = |u: &TitleUse| u.sent.is_some_and(|s| has_change_cue(story.sents[s].text));
    let dated = |d: usize| story.docs[d].article.published.as_deref().and_then(When::parse).is_some();
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
        let fact_of = |u: usize| uses[u].sent.and_then(|s| facts.of_sent[s]);
        for c in &offices {
            // A courtesy title counts as the office held now only where it
            // stands in the same fact as another article's "former" (or
            // "incoming"): two accounts of one event, one calling the person
            // "Mayor" as they act, the other "former Mayor".
            let mut other: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
            for &u in c.iter().filter(|&&u| uses[u].status != Status::Current) {
                if let Some(f) = fact_of(u) {
                    other.entry(f).or_default().push(uses[u].doc);
                }
            }
            let kept: Vec<usize> = c
                .iter()
                .copied()
                .filter(|&u| {
                    !uses[u].honorific
                        || uses[u].status != Status::Current
                        || fact_of(u).and_then(|f| other.get(&f)).is_some_and(|ds| ds.iter().any(|&d| d != uses[u].doc))
                })
                .collect();
            let c = &kept;
            let mut statuses: Vec<Status> = c.iter().map(|&u| uses[u].status).collect();
            statuses.sort_by_key(|s| *s as u8);
            statuses.dedup();
            if statuses.len() < 2 {
                continue;
            }
            let items: Vec<Item> = c
                .iter()
                .map(|&u| {
                    let t = &uses[u];
                    let class = statuses.iter().position(|s| *s == t.status).unwrap_or(0);
                    Item { class, doc: t.doc, when: when_of(t), sent: t.sent, cue: cue_of(t) }
                })
                .collect();
            let sentence = |i: usize| uses[c[i]].sent.map(|s| story.sents[s].text).unwrap_or("");
            let split = updates::split(&items, statuses.len(), &dev.outlets, &[], |a, b, fb| {
                statuses[b].rank() > statuses[a].rank()
                    && (has_change_cue(sentence(fb)) || moved_on(&items, a, fb, dated))
            });
            let surfaces = |is: &mut dyn Iterator<Item = usize>| most_common(is.map(|i| uses[c[i]].surface.as_str()));
            let describe = |k: usize| {
                let v = surfaces(&mut (0..items.len()).filter(|&i| items[i].class == k));
                (v, split.first[k].and_then(|i| uses[c[i]].sent))
            };
            updates_out.extend(develop_update(story, &split, &items, UpdateKind::Title, &name, describe));
            if split.conflict.len() < 2 {
                continue;
            }
            let docs = split.conflict_docs(&items);
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
            let positions = split
                .conflict
                .iter()
                .zip(&docs)
                .map(|((_, is), d)| position(story, surfaces(&mut is.iter().copied()), d))
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
        // Offices held now, as claims: two past offices ("former CIA
        // director", "former defense secretary") are a career, and a
        // courtesy title claims no office.
        let held: Vec<Vec<usize>> = offices
            .iter()
            .map(|c| c.iter().copied().filter(|&u| uses[u].status == Status::Current && !uses[u].honorific).collect())
            .collect();
        let roles: Vec<&Vec<usize>> = held.iter().filter(|c| !heads_of(c).is_empty()).collect();
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
            let members: Vec<usize> = roles.iter().flat_map(|c| c.iter().copied()).collect();
            let items: Vec<Item> = roles
                .iter()
                .enumerate()
                .flat_map(|(k, c)| c.iter().map(move |&u| (k, u)))
                .map(|(k, u)| Item {
                    class: k,
                    doc: uses[u].doc,
                    when: when_of(&uses[u]),
                    sent: uses[u].sent,
                    cue: cue_of(&uses[u]),
                })
                .collect();
            let sentence = |i: usize| uses[members[i]].sent.map(|s| story.sents[s].text).unwrap_or("");
            let split = updates::split(&items, 2, &dev.outlets, &[], |_, _, fb| has_change_cue(sentence(fb)));
            // A role as written: the current title when there is one.
            let value = |is: &mut dyn Iterator<Item = usize>| {
                let us: Vec<usize> = is.map(|i| members[i]).collect();
                let current: Vec<&str> = us
                    .iter()
                    .filter(|&&u| uses[u].status == Status::Current)
                    .map(|&u| uses[u].surface.as_str())
                    .collect();
                if current.is_empty() {
                    most_common(us.iter().map(|&u| uses[u].surface.as_str()))
                } else {
                    most_common(current.into_iter())
                }
            };
            let describe = |k: usize| {
                let v = value(&mut (0..items.len()).filter(|&i| items[i].class == k));
                (v, split.first[k].and_then(|i| uses[members[i]].sent))
            };
            updates_out.extend(develop_update(story, &split, &items, UpdateKind::Role, &name, describe));
            let docs = split.conflict_docs(&items);
            if split.conflict.len() == 2 && real(story, &docs) {
                let positions = split
                    .conflict
                    .iter()
                    .zip(&docs)
                    .map(|((_, is), d)| position(story, value(&mut is.iter().copied()), d))
                    .collect();
                out.push(Conflict { kind: ConflictKind::Role, subject: name.clone(), positions });
            }
        }
    }
    (out, updates_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(class: usize, doc: usize, day: Option<&str>) -> Item {
        Item { class, doc, when: day.and_then(When::parse), sent: None, cue: false }
    }

    #[test]
    fn former_after_every_current_use_is_the_office_moving_on() {
        // Class 0 "Breitbart reporter" on 12 March, class 1 "Former
        // Breitbart reporter" on 15 March (item 2).
        let items = [item(0, 0, Some("2016-03-12")), item(0, 1, Some("2016-03-12")), item(1, 2, Some("2016-03-15"))];
        assert!(moved_on(&items, 0, 2, |_| true));
        // Someone gives the current title again after the "former": the
        // "former" was the mistake.
        let again = [item(0, 0, Some("2016-03-12")), item(1, 2, Some("2016-03-15")), item(0, 3, Some("2016-03-20"))];
        assert!(!moved_on(&again, 0, 1, |_| true));
        // The same day is no course of time (the caller's moments), and
        // times that are no publication dates (a store's time of adding)
        // move nothing.
        assert!(!moved_on(&items, 0, 2, |d| d != 0));
    }

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
}
