//! Number conflicts: one quantity of one fact given incompatible values.

use chorus_extract::dates::Date;
use chorus_extract::numbers::Role;
use chorus_model::{Conflict, ConflictKind, UpdateKind};
use chorus_text::{Stemmer, TokenKind, is_stopword, tokens, words};
use rustc_hash::FxHashMap;

use super::updates::{self, Item, has_revision_cue};
use super::{Develop, Developed, develop_update, most_common, position, real};
use crate::facts::Facts;
use crate::numbers::{NumRef, Precision, compatible};
use crate::story::{Story, slice, word_tokens};
use crate::time::Times;

/// Content stems that the neighbourhoods of two numbers (outside one fact)
/// must share for the numbers to measure the same thing: one shared word is
/// the story's topic; two ("wartime aid", "death toll") name a quantity.
pub const NUMBER_CONTEXT_SHARED: usize = 2;

/// The share of the shorter of two figures' windows that the other's
/// whole neighbourhood must hold for the two to be described alike. Half: the counted
/// thing and its verb ("cost … bridge", "inside … warehouse") are most
/// of a three-word window, while two figures of different things share
/// at most the story's topic word or two of six.
pub const NUMBER_CONTEXT_COVER: f32 = 0.5;

/// Lower-case content words each side of a number that make its
/// neighbourhood: the verb or noun that says what is counted sits next to
/// it ("killing 80 people", "a full house of 1,500 people"); further out
/// the words describe the scene both numbers share.
pub const NUMBER_WINDOW: usize = 3;

/// A figure's neighbourhood: the part of its sentence that is about it.
/// A sentence giving several figures gives each its own words: the
/// neighbourhood ends where another figure (or date, or bare number)
/// begins, and before that at the last joiner or comma, past which the
/// words are the next figure's ("killed at least 129 people and injured
/// at least 352": the 129 is not "injured"). A conversion in brackets right after a figure
/// ("2,500km (1,500 miles)") is the same quantity: the two share one
/// neighbourhood.
struct Around<'t> {
    /// Content words before the figure, in text order, up to the
    /// neighbourhood's start.
    before: Vec<&'t str>,
    /// Content words after it, in text order, up to its end.
    after: Vec<&'t str>,
    /// Story entities named in the neighbourhood, sorted.
    names: Vec<usize>,
}

/// With `clause`, the neighbourhood is also the mention's clause: it ends
/// at the first comma, semicolon or joiner after it and starts after the
/// last one before it, figure or no figure beyond ("Rubio early voted on
/// March 2 and is holding his primary night party": the party is not what
/// the date dates).
fn around<'t>(story: &'t Story, nums: &[NumRef], same_sent: &[usize], n: &NumRef, clause: bool) -> Around<'t> {
    let s = &story.sents[n.sent];
    let text = story.docs[n.doc].article.text.as_str();
    let mut spans: Vec<(usize, usize)> = same_sent.iter().map(|&m| (nums[m].start, nums[m].end)).collect();
    spans.sort_unstable();
    spans.dedup();
    let mut groups: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match groups.last_mut() {
            Some(g) if slice(text, g.1, a).trim() == "(" || a < g.1 => g.1 = g.1.max(b),
            _ => groups.push((a, b)),
        }
    }
    let g = groups.iter().position(|&(a, b)| a <= n.start && n.end <= b);
    let (start, end) = g.map_or((n.start, n.end), |g| groups[g]);
    let mut lo = g.filter(|&g| g > 0).map_or(s.start, |g| groups[g - 1].1.max(s.start));
    let mut hi = g.and_then(|g| groups.get(g + 1)).map_or(s.end, |x| x.0.min(s.end));
    // A bare number ("352 were injured") is a figure of its own too.
    let figure = |t: &chorus_text::Token| t.kind == TokenKind::Number;
    if let Some(t) = tokens(slice(text, lo, start)).iter().rfind(|t| figure(t)) {
        lo += t.end;
    }
    if let Some(t) = tokens(slice(text, end, hi)).iter().find(|t| figure(t)) {
        hi = end + t.start;
    }
    if hi < s.end {
        // Words after a joiner before the next figure are about that one.
        let gap = slice(text, end, hi);
        let comma = gap.rfind([',', ';']);
        let word = word_tokens(gap, 0).filter(|t| JOINERS.contains(&t.2)).map(|t| t.0).last();
        if let Some(cut) = comma.max(word) {
            hi = end + cut;
        }
    }
    if clause {
        let gap = slice(text, end, hi);
        let comma = gap.find([',', ';']);
        let word = word_tokens(gap, 0).find(|t| JOINERS.contains(&t.2)).map(|t| t.0);
        if let Some(cut) = [comma, word].into_iter().flatten().min() {
            hi = end + cut;
        }
        let gap = slice(text, lo, start);
        let comma = gap.rfind([',', ';']).map(|p| p + 1);
        let word = word_tokens(gap, 0).filter(|t| JOINERS.contains(&t.2)).map(|t| t.1).last();
        if let Some(cut) = comma.max(word) {
            lo += cut;
        }
    }
    let before = words(slice(text, lo, start)).filter(|w| is_content(w)).collect();
    let after: Vec<&str> = words(slice(text, end, hi)).filter(|w| is_content(w)).collect();
    let ex = story.docs[n.doc].extraction;
    let mut names: Vec<usize> = ex
        .entities
        .iter()
        .zip(&story.mention_ids[n.doc])
        .filter(|(m, _)| m.start >= lo && m.end <= hi && (m.end <= start || m.start >= end))
        .map(|(_, &id)| id)
        .collect();
    names.sort_unstable();
    names.dedup();
    Around { before, after, names }
}

fn context(around: &Around, n: &NumRef, window: usize, stemmer: &mut Stemmer) -> Vec<String> {
    let unit = n.unit.to_lowercase();
    let mut v: Vec<String> = around
        .before
        .iter()
        .rev()
        .take(window)
        .chain(around.after.iter().take(window))
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

/// Words that join a figure's words to the next figure's: past the last
/// of them, the words are the next figure's ("killed 129 people and
/// injured 352").
const JOINERS: &[&str] = &["and", "or", "but", "while", "whereas"];

/// Words that are part of how a number is written, not what it measures
/// (scales, currencies, and the hedges "at least", "nearly", …).
const SCALE_WORDS: &[&str] = &[
    "least",
    "nearly",
    "almost",
    "roughly",
    "approximately",
    "estimated",
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

/// The paraphrase acts (`chorus_text::predicates`) of neighbourhood
/// stems: the table's members as stems of their own small vocabulary, so
/// that any window is read against it without one of its own.
struct Acts {
    vocab: FxHashMap<String, u32>,
    matcher: chorus_text::predicates::Matcher,
}

impl Acts {
    fn new(stemmer: &mut Stemmer) -> Acts {
        let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
        let matcher = chorus_text::predicates::Matcher::new(|w| {
            let n = vocab.len() as u32;
            Some(*vocab.entry(stemmer.stem(w)).or_insert(n))
        });
        Acts { vocab, matcher }
    }

    fn of(&self, stems: &[String]) -> Vec<chorus_text::predicates::Found> {
        self.matcher.find(stems, |w| self.vocab.get(w.as_str()).copied().unwrap_or(u32::MAX))
    }
}

/// A mention's neighbourhood ([`Around`]) read for comparison.
pub(super) struct Hood<'t> {
    around: Around<'t>,
    /// Stems of the window: `window` content words each side.
    window: Vec<String>,
    /// Stems of the whole neighbourhood.
    full: Vec<String>,
    /// The paraphrase acts of the window.
    acts: Vec<chorus_text::predicates::Found>,
    /// Stems of the population a percentage is a share of ([`population`]).
    population: Vec<String>,
    /// The stem of the name a percentage belongs to ([`owner`]).
    owner: Option<String>,
}

/// Reads the neighbourhoods of a story's mentions: each sentence's
/// mentions, the paraphrase acts and a stemmer, built once per conflict
/// pass and shared by every mention read.
pub(super) struct Reader<'t> {
    story: &'t Story<'t>,
    nums: &'t [NumRef<'t>],
    /// Every mention of each sentence.
    pub by_sent: FxHashMap<usize, Vec<usize>>,
    acts: Acts,
    stemmer: Stemmer,
}

impl<'t> Reader<'t> {
    pub(super) fn new(story: &'t Story<'t>, nums: &'t [NumRef<'t>]) -> Reader<'t> {
        let mut by_sent: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (i, n) in nums.iter().enumerate() {
            by_sent.entry(n.sent).or_default().push(i);
        }
        let mut stemmer = Stemmer::default();
        let acts = Acts::new(&mut stemmer);
        Reader { story, nums, by_sent, acts, stemmer }
    }

    /// The neighbourhood of mention `i` (see [`Around`]) with `window`
    /// content words each side, within its clause when `clause`.
    pub(super) fn hood(&mut self, i: usize, window: usize, clause: bool) -> Hood<'t> {
        let n = &self.nums[i];
        let around = around(self.story, self.nums, &self.by_sent[&n.sent], n, clause);
        let window = context(&around, n, window, &mut self.stemmer);
        let mut full: Vec<String> = around.before.iter().chain(&around.after).map(|w| self.stemmer.stem(w)).collect();
        full.sort_unstable();
        full.dedup();
        let acts = self.acts.of(&window);
        let (population, owner) = if n.unit == "%" {
            let text = self.story.docs[n.doc].article.text.as_str();
            let s = &self.story.sents[n.sent];
            (population(text, n.end, s.end, &mut self.stemmer), owner(text, s.start, n.start, &mut self.stemmer))
        } else {
            (Vec::new(), None)
        };
        Hood { around, window, full, acts, population, owner }
    }
}

/// How the neighbourhoods of two mentions (figures or dates) compare.
pub(super) struct Compared {
    /// Stems the two windows share, a paraphrase act both name in
    /// different words counted as a shared word.
    pub shared: usize,
    /// The two name one act in their own words ("injuring 14" / "hurt").
    pub same_act: bool,
    /// Described alike: one act, or at least [`NUMBER_CONTEXT_COVER`] of
    /// the shorter window in the other's whole neighbourhood.
    pub alike: bool,
    /// Apart: entities named on both sides with none in common, or two
    /// different acts ("killed 12" / "55 injured").
    pub apart: bool,
}

pub(super) fn relate(a: &Hood, b: &Hood) -> Compared {
    let same_act = a.acts.iter().any(|x| b.acts.iter().any(|y| x.0 == y.0));
    let shared = a.window.iter().filter(|w| b.window.binary_search(w).is_ok()).count()
        + chorus_text::predicates::shared_in_other_words(&a.acts, &b.acts);
    // The figures are described alike: they name one act in their own
    // words ("injuring 14 people" / "Twelve people were hurt"), or the
    // words of the shorter window are mostly in the other's neighbourhood
    // ("cost €6 million" / "the cost of a new bridge at €4.5 million"). A
    // word or two of the story's topic ("search area", "the vote") is
    // shared by figures of anything.
    let (short, long) = if a.window.len() <= b.window.len() { (a, b) } else { (b, a) };
    let covered = short.window.iter().filter(|w| long.full.binary_search(w).is_ok()).count()
        + chorus_text::predicates::shared_in_other_words(&short.acts, &long.acts);
    let alike = same_act || covered as f32 >= NUMBER_CONTEXT_COVER * short.window.len() as f32;
    // Neighbourhoods naming different entities (one club's record fee,
    // another's) or different acts ("killed 12" / "55 were injured") count
    // different things.
    let (na, nb) = (&a.around.names, &b.around.names);
    let named_apart = !na.is_empty() && !nb.is_empty() && !na.iter().any(|x| nb.binary_search(x).is_ok());
    let acts_apart = !a.acts.is_empty() && !b.acts.is_empty() && !same_act;
    let shares_apart = populations_differ(&a.population, &b.population)
        || owned_apart(a.owner.as_deref(), &b.population)
        || owned_apart(b.owner.as_deref(), &a.population);
    Compared { shared, same_act, alike, apart: named_apart || acts_apart || shares_apart }
}

/// Words of a percentage's population ([`population`]) read past the
/// determiners: the head noun and what qualifies it ("likely Democratic
/// voters"); a longer run is the clause that follows.
const POPULATION_WORDS: usize = 4;

/// The stems of the "of" phrase right after a percentage, the population
/// it is a share of: "40 percent of Clinton voters" → `[clinton, voter]`,
/// "5 percent of the vote" → `[vote]`. The phrase runs past determiners to
/// the first other stopword or punctuation (a hyphen or an apostrophe
/// inside a name does not end it). Empty when no "of" follows.
fn population(text: &str, end: usize, sent_end: usize, stemmer: &mut Stemmer) -> Vec<String> {
    let rest = slice(text, end, sent_end);
    let toks = tokens(rest);
    let Some(of) = toks.first() else { return Vec::new() };
    if !rest[..of.start].trim().is_empty() || !of.text(rest).eq_ignore_ascii_case("of") {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let mut last = of.end;
    for t in &toks[1..] {
        let gap = &rest[last..t.start];
        let inner = !out.is_empty() && matches!(gap.trim_end(), "-" | "'" | "’");
        if !(gap.trim().is_empty() || inner) || t.kind != TokenKind::Word {
            break;
        }
        last = t.end;
        let w = t.text(rest);
        if is_stopword(w) {
            if out.is_empty() {
                continue;
            }
            break;
        }
        out.push(stemmer.stem(w));
        if out.len() == POPULATION_WORDS {
            break;
        }
    }
    out
}

/// The stem of a capitalised name in the possessive right before a
/// percentage, whose share it is: "Sanders' 39 percent", "Clinton's 51
/// percent".
fn owner(text: &str, sent_start: usize, start: usize, stemmer: &mut Stemmer) -> Option<String> {
    let before = slice(text, sent_start, start).trim_end();
    let name = ["'s", "’s", "'", "’"].iter().find_map(|p| before.strip_suffix(p))?;
    let word = tokens(name).last().copied().filter(|t| t.end == name.len())?;
    let w = word.text(name);
    w.chars().next().is_some_and(char::is_uppercase).then(|| stemmer.stem(w))
}

/// Whether one percentage is a name's own share and the other a share of
/// a group that the name qualifies ("Sanders' 39 percent" / "78 percent
/// of Sanders voters"): the name's share of a vote and the share of its
/// voters that do something are two quantities. A share "of voters
/// backing Sanders" is the name's share, so the name must open the
/// population, before its head.
fn owned_apart(owner: Option<&str>, population: &[String]) -> bool {
    owner.is_some_and(|o| population.len() >= 2 && population[0] == o)
}

/// Whether two percentages are shares of different populations: both
/// name one, the two phrases share a head word, and the words before it
/// differ ("of Clinton voters" / "of black voters", "of the vote" / "of
/// the black vote"). A share of voters and a share of the electorate
/// (no word shared) are not told apart: paraphrase changes the head
/// noun more often than a poll's subgroup does.
fn populations_differ(a: &[String], b: &[String]) -> bool {
    let Some(ha) = a.iter().position(|w| b.contains(w)) else { return false };
    let Some(hb) = b.iter().position(|w| *w == a[ha]) else { return false };
    let mut ma = a[..ha].to_vec();
    let mut mb = b[..hb].to_vec();
    ma.sort_unstable();
    mb.sort_unstable();
    ma != mb
}

/// Number conflicts and updates: one quantity of one fact given different
/// values, at one time (a conflict) or as the story developed (an update).
pub(super) fn number_conflicts(
    story: &Story,
    facts: &Facts,
    nums: &[NumRef],
    dev: &Develop,
) -> (Vec<Conflict>, Vec<Developed>) {
    // Only values: not an increment ("another 22 countries") or a time
    // offset ("four years ago").
    let idx: Vec<usize> = (0..nums.len())
        .filter(|&i| nums[i].unit != "date" && !nums[i].unit.is_empty() && nums[i].span.role == Role::Value)
        .collect();
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
    let mut reader = Reader::new(story, nums);
    let mut by_doc: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (i, n) in nums.iter().enumerate() {
        by_doc.entry(n.doc).or_default().push(i);
    }
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
    let hoods: FxHashMap<usize, Hood> = idx.iter().map(|&i| (i, reader.hood(i, NUMBER_WINDOW, false))).collect();
    let by_sent = &reader.by_sent;
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
            let c = relate(&hoods[&i], &hoods[&j]);
            // Within one fact whose two sentences say the same thing (the
            // pair's own link, not only the fact's average), two sentences
            // that each hold a single figure of the unit fill the same slot
            // with one shared word; with several figures of a unit in a
            // sentence, two shared words must say which is which.
            let slot = same_fact
                && c.alike
                && !c.apart
                && facts.says_same(story, x.sent, y.sent)
                && (c.shared >= NUMBER_CONTEXT_SHARED
                    || (c.shared >= 1 && sole_of_unit(nums, by_sent, x) && sole_of_unit(nums, by_sent, y)));
            let linked = slot && !different_days(nums, by_sent, x, y, dev.times);
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
    let mut out = Vec::new();
    let mut updates_out = Vec::new();
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
        let unit = nums[comp[0]].unit;
        let first = &nums[comp[0]];
        let subject = first
            .noun
            .map(str::to_string)
            .or_else(|| shared_words(nums, &hoods, comp))
            .unwrap_or_else(|| unit.to_string());
        // Each mention with the time it speaks for.
        let mut items = Vec::new();
        let mut item_num = Vec::new();
        for (c, class) in classes.iter().enumerate() {
            for &i in class {
                let n = &nums[i];
                let others: Vec<usize> =
                    by_sent[&n.sent].iter().map(|&m| &nums[m]).filter(|m| m.same_unit(n)).map(|m| m.start).collect();
                let when = dev.times.of_span(story, n.sent, n.start, &others);
                let cue = has_revision_cue(story.sents[n.sent].text);
                items.push(Item { class: c, doc: n.doc, when, sent: Some(n.sent), cue });
                item_num.push(i);
            }
        }
        // A value's representative figure: its first exact one.
        let value = |c: usize| nums[classes[c][0]].value;
        // An article giving one value that also gives another's figure
        // elsewhere for the same time, with no word of change, knows two
        // quantities ("71 seats … 18 seats").
        let mut apart = Vec::new();
        for (k, x) in items.iter().enumerate() {
            let xn = &nums[item_num[k]];
            for n in by_doc[&x.doc].iter().map(|&m| &nums[m]).filter(|n| n.same_unit(xn) && n.start != xn.start) {
                let Some(b) =
                    (0..classes.len()).find(|&b| b != x.class && crate::numbers::same_value(n.value, value(b)))
                else {
                    continue;
                };
                let when = dev.times.of_span(story, n.sent, n.start, &[]);
                if !x.cue
                    && !has_revision_cue(story.sents[n.sent].text)
                    && !crate::time::clearly_different(x.when.as_ref(), when.as_ref())
                {
                    apart.push((x.class, b));
                }
            }
        }
        let split = updates::split(&items, classes.len(), &dev.outlets, &apart, |a, b, fb| {
            value(b) > value(a) || has_revision_cue(story.sents[nums[item_num[fb]].sent].text)
        });
        let text_of = |is: &[usize]| most_common(is.iter().map(|&i| nums[item_num[i]].text.trim()));
        let describe = |c: usize| {
            let is: Vec<usize> = (0..items.len()).filter(|&i| items[i].class == c).collect();
            (text_of(&is), split.first[c].map(|i| nums[item_num[i]].sent))
        };
        if let Some(mut d) = develop_update(story, &split, &items, UpdateKind::Number, &subject, describe) {
            d.fact = facts.of_sent[first.sent];
            d.update.fact = d.fact.and_then(|f| dev.fact_ids.get(f)).cloned();
            updates_out.push(d);
        }
        if split.conflict.len() < 2 {
            continue;
        }
        let docs = split.conflict_docs(&items);
        if !real(story, &docs) {
            continue;
        }
        // An article that gives both values anywhere (same unit) knows of
        // both quantities: not a contradiction.
        let gives_both = docs.iter().enumerate().any(|(a, da)| {
            da.iter().any(|&d| {
                split.conflict.iter().enumerate().any(|(b, (_, ib))| {
                    b != a
                        && by_doc[&d].iter().map(|&m| &nums[m]).any(|n| {
                            n.doc == d
                                && (n.unit == unit || n.same_unit(&nums[comp[0]]))
                                && ib.iter().any(|&o| crate::numbers::same_value(nums[item_num[o]].value, n.value))
                        })
                })
            })
        });
        if gives_both {
            continue;
        }
        let positions = split.conflict.iter().zip(&docs).map(|((_, is), d)| position(story, text_of(is), d)).collect();
        out.push(Conflict { kind: ConflictKind::Number, subject, positions });
    }
    (out, updates_out)
}

/// Whether `n` is the only figure of its unit in its sentence.
fn sole_of_unit(nums: &[NumRef], by_sent: &FxHashMap<usize, Vec<usize>>, n: &NumRef) -> bool {
    by_sent[&n.sent].iter().filter(|&&m| nums[m].same_unit(n)).count() == 1
}

/// Whether two number mentions sit in sentences that name different
/// days: "eight ships on Tuesday" and "18 ships on Thursday" are two
/// counts, not a disagreement.
///
/// Only dates of events count here: a date that says when a figure held
/// ("said on Tuesday", "as of Monday") gives the figure its time, and
/// figures at different such times are compared as updates.
fn different_days(
    nums: &[NumRef],
    by_sent: &FxHashMap<usize, Vec<usize>>,
    x: &NumRef,
    y: &NumRef,
    times: &Times,
) -> bool {
    let dates = |n: &NumRef| -> Vec<Date> {
        by_sent[&n.sent]
            .iter()
            .map(|&m| &nums[m])
            .filter(|m| !times.as_of_positions(m.sent).any(|p| p == m.start))
            .filter_map(|m| m.span.date)
            .collect()
    };
    let (dx, dy) = (dates(x), dates(y));
    !dx.is_empty() && !dy.is_empty() && !dx.iter().any(|a| dy.iter().any(|b| a.may_be_same(b)))
}

/// What several number mentions measure, as a subject line: the lower-case
/// content words of the first mention's neighbourhood that every other
/// mention's neighbourhood shares ("repairs costing"), in the order
/// written, with the unit. Names and weekdays are left out: they say who
/// and when, not what was counted.
fn shared_words(nums: &[NumRef], hoods: &FxHashMap<usize, Hood>, ns: &[usize]) -> Option<String> {
    let mut stemmer = Stemmer::default();
    let n = &nums[ns[0]];
    let Around { before, after, .. } = &hoods[&ns[0]].around;
    let window: Vec<&str> = before[before.len().saturating_sub(NUMBER_WINDOW)..]
        .iter()
        .chain(after.iter().take(NUMBER_WINDOW))
        .copied()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .collect();
    let mut picked: Vec<&str> = Vec::new();
    for w in window {
        let st = stemmer.stem(w);
        if ns[1..].iter().all(|o| hoods[o].window.binary_search(&st).is_ok()) && !picked.contains(&w) {
            picked.push(w);
        }
    }
    picked.truncate(4);
    (!picked.is_empty()).then(|| format!("{} ({})", picked.join(" "), n.unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pop(text: &str) -> Vec<String> {
        let end = text.find('%').map_or_else(|| text.find("percent").unwrap() + 7, |p| p + 1);
        population(text, end, text.len(), &mut Stemmer::default())
    }

    #[test]
    fn a_percentage_is_a_share_of_the_population_its_of_phrase_names() {
        assert_eq!(pop("40 percent of Clinton voters said they would stay home."), ["clinton", "voter", "said"]);
        assert_eq!(pop("about 60% of black voters were over 45"), ["black", "voter"]);
        assert_eq!(pop("won 27 percent of that vote in 2012"), ["vote"]);
        assert_eq!(pop("56 percent of Cuban-Americans polled"), ["cuban", "american", "poll"]);
        assert_eq!(pop("78 percent of Sanders' voters"), ["sander", "voter"]);
        assert!(pop("51 percent, of course").is_empty());
        assert!(pop("a 40 percent margin").is_empty());
    }

    #[test]
    fn shares_of_different_groups_differ_and_shares_of_one_group_do_not() {
        let v = |s: &[&str]| s.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert!(populations_differ(&v(&["clinton", "voter", "said"]), &v(&["black", "voter"])));
        assert!(populations_differ(&v(&["vote"]), &v(&["black", "vote"])));
        assert!(!populations_differ(&v(&["vote"]), &v(&["vote", "cast"])));
        assert!(!populations_differ(&v(&["voter"]), &v(&["elector"])));
        assert!(!populations_differ(&v(&["vote"]), &[]));
        // A name's own share against a share of the group it qualifies.
        let own = |t: &str, figure: &str| owner(t, 0, t.find(figure).unwrap(), &mut Stemmer::default());
        assert_eq!(own("earning 51 percent to Sanders' 39 percent", "39").as_deref(), Some("sander"));
        assert_eq!(own("earning 51 percent to Sanders' 39 percent", "51"), None);
        assert_eq!(own("Clinton’s 51 percent", "51").as_deref(), Some("clinton"));
        assert_eq!(own("the party's 40 percent", "40"), None);
        assert!(owned_apart(Some("sander"), &v(&["sander", "voter", "back", "clinton"])));
        assert!(!owned_apart(Some("sander"), &v(&["voter", "back", "sander"])));
    }
}
