//! Restatements and repeats: a second sentence of an article that restates
//! a fact its article supports, and a group listed twice because one
//! sentence per article kept it apart from the group holding its sentences.

use rustc_hash::{FxHashMap, FxHashSet};

use super::links::{ANCHORED, DEEP_ANCHORED, SEM_ANCHORED};
use super::merge::roles_clash;
use super::units::Units;
use crate::story::Story;

/// Links a second sentence of an article needs to the other articles'
/// sentences of a fact to join it as a restatement ([`restatements`]): one
/// link is a pair, which may be chance; two other articles agreeing is a
/// fact.
pub const RESTATE_LINKS: usize = 2;

/// Second sentences of an article that restate a fact the article already
/// supports with another sentence ("Zelensky said he would resign for NATO
/// membership" in the lead, "Speaking in Kyiv, he said he would resign"
/// further down): one sentence per article per fact keeps clustering from
/// chaining, but left alone the restatement would be listed as the
/// article's own unique fact, and "only one source reports" would be
/// false. A lone sentence joins a fact of at least three articles, one of
/// them its own, when it links ([`link`](super::link)) to at least [`RESTATE_LINKS`] of
/// the fact's sentences from other articles and to at least two thirds of them:
/// the same test as any link, held against most of the fact.
pub(super) fn restatements(
    story: &Story,
    units: &Units,
    edges: &[(f32, usize, usize)],
    group: &mut [usize],
    members: &mut [Vec<usize>],
    docs: &[FxHashMap<usize, usize>],
) {
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    // Links from each lone unit to each group, counted.
    let mut counts: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    for &(_, i, j) in edges {
        for (x, y) in [(i, j), (j, i)] {
            let g = group[y];
            if members[group[x]].len() == 1 && docs[g].len() >= 3 && docs[g].contains_key(&doc_of(x)) {
                *counts.entry((x, g)).or_insert(0) += 1;
            }
        }
    }
    let mut best: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
    let mut found: Vec<((usize, usize), usize)> = counts.into_iter().collect();
    found.sort_unstable();
    for ((x, g), k) in found {
        // A clause of a sentence the fact already holds restates nothing.
        if members[g].iter().any(|&y| units.sent[y] == units.sent[x]) {
            continue;
        }
        let others = members[g].iter().filter(|&&y| doc_of(y) != doc_of(x)).count();
        if k >= RESTATE_LINKS && 3 * k >= 2 * others && best.get(&x).is_none_or(|&(bk, _)| k > bk) {
            best.insert(x, (k, g));
        }
    }
    let mut moves: Vec<(usize, usize)> = best.into_iter().map(|(x, (_, g))| (x, g)).collect();
    moves.sort_unstable();
    for (x, g) in moves {
        let own = group[x];
        members[own].clear();
        members[g].push(x);
        group[x] = g;
    }
}

/// Folds a group into another that holds every one of its sentences
/// (whole or by a clause) when the two pass the merge test of
/// [`cluster`](super::cluster) (mean tf-idf cosine ≥ [`ANCHORED`], mean static cosine ≥
/// [`SEM_ANCHORED`] or mean transformer cosine ≥ [`DEEP_ANCHORED`], over
/// their pairs of units of different articles) and name no different
/// speakers or subjects. One sentence per article keeps two such groups
/// apart while they grow (each already holds the other's sentences in
/// another form), but when one group's sentences are all the other's and
/// they say the same on average, they are one statement listed twice
/// ("labeled Zelensky a dictator" by one outlet's clause and another's
/// whole sentence, beside the fact holding both sentences the other way
/// round). A group whose sentences say something else fails the test and
/// stays a fact of its own.
pub(super) fn absorb_repeats(
    story: &Story,
    units: &Units,
    group: &mut [usize],
    members: &mut [Vec<usize>],
    roles: &[(Option<usize>, Option<usize>)],
) {
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    let live: Vec<usize> = (0..members.len())
        .filter(|&g| !members[g].is_empty() && group[members[g][0]] == g)
        .filter(|&g| {
            let d = doc_of(members[g][0]);
            members[g].iter().any(|&u| doc_of(u) != d)
        })
        .collect();
    let sents_of = |m: &[usize]| -> Vec<usize> {
        let mut v: Vec<usize> = m.iter().map(|&u| units.sent[u]).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut holders: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &g in &live {
        for x in sents_of(&members[g]) {
            holders.entry(x).or_default().push(g);
        }
    }
    // Smaller groups first, each into the largest group that qualifies.
    let mut order = live.clone();
    order.sort_unstable_by_key(|&g| (members[g].len(), g));
    for g in order {
        if members[g].is_empty() {
            continue;
        }
        let mine = sents_of(&members[g]);
        let mut best: Option<usize> = None;
        for &h in holders.get(&mine[0]).map_or(&[][..], Vec::as_slice) {
            if h == g || members[h].len() < members[g].len() || members[h].is_empty() {
                continue;
            }
            let theirs = sents_of(&members[h]);
            if !mine.iter().all(|x| theirs.binary_search(x).is_ok()) {
                continue;
            }
            let (rg, rh) = (roles[g], roles[h]);
            if roles_clash(rg.0, rh.0) || roles_clash(rg.1, rh.1) {
                continue;
            }
            if !covers(story, units, &members[g], &members[h])
                || !says_same_on_average(story, units, &members[g], &members[h])
            {
                continue;
            }
            if best.is_none_or(|b| members[h].len() > members[b].len()) {
                best = Some(h);
            }
        }
        if let Some(h) = best {
            let moved = std::mem::take(&mut members[g]);
            for &x in &moved {
                group[x] = h;
            }
            members[h].extend(moved);
        }
    }
}

/// Whether group `b` holds at least half of the content stems of each
/// unit of group `a` (by the units of the same sentence it holds): a
/// sentence that `a` holds whole but `b` only by a short clause says more
/// than `b`'s statement, and may be in `a` for what the rest of it says
/// ("tensions escalated, with Trump accusing Ukraine of initiating the
/// war" beside a fact of the accusation alone).
pub(super) fn covers(story: &Story, units: &Units, a: &[usize], b: &[usize]) -> bool {
    a.iter().all(|&x| {
        let stems = units.unit_vec(story, x);
        let held: FxHashSet<u32> = b
            .iter()
            .filter(|&&y| units.sent[y] == units.sent[x])
            .flat_map(|&y| units.unit_vec(story, y).into_iter().map(|t| t.0))
            .collect();
        2 * stems.iter().filter(|t| held.contains(&t.0)).count() >= stems.len()
    })
}

/// The merge test of [`cluster`](super::cluster) for two groups, taken pair by pair over
/// their units of different articles: mean tf-idf cosine ≥ [`ANCHORED`],
/// mean static cosine (topic out) ≥ [`SEM_ANCHORED`] or mean transformer
/// cosine over the embedded pairs ≥ [`DEEP_ANCHORED`].
fn says_same_on_average(story: &Story, units: &Units, a: &[usize], b: &[usize]) -> bool {
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    let (mut c, mut s, mut n) = (0f32, 0f32, 0usize);
    let (mut d, mut nd) = (0f32, 0usize);
    let vb: Vec<Vec<(u32, f32)>> = b.iter().map(|&y| units.unit_vec(story, y)).collect();
    for &x in a {
        let vx = units.unit_vec(story, x);
        for (&y, vy) in b.iter().zip(&vb).filter(|&(&y, _)| doc_of(y) != doc_of(x)) {
            c += crate::vectors::dot(&vx, vy);
            s += chorus_semantic::dot(units.sem_row(story, x), units.sem_row(story, y));
            n += 1;
            if let Some(t) = story.deep_known(units.deep_key(x), units.deep_key(y)) {
                d += t;
                nd += 1;
            }
        }
    }
    n > 0 && (c / n as f32 >= ANCHORED || s / n as f32 >= SEM_ANCHORED || (nd > 0 && d / nd as f32 >= DEEP_ANCHORED))
}
