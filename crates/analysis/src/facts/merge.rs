//! Candidate pairs of units (through an inverted index of stems) and the
//! greedy average-link merge of their links into groups.

use rustc_hash::FxHashMap;

use super::COMMON_POSTING;
use super::links::{ANCHORED, DEEP_ANCHORED, SEM_ANCHORED, deep_mean};
use super::units::Units;
use crate::story::Story;

/// Pairs of units, on average per unit, that the core's stems may propose
/// ([`shared_stems`]). Stories of ordinary articles stay below it (the
/// 10,000-article coverage stream's report is the same with and without
/// it; a stem list of length `l` proposes `l²/2` pairs, and lists past a
/// tenth of the units are skipped anyway), but a story of very long articles, hundreds
/// of sentences each, has lists of thousands of units that are still under
/// a tenth: they proposed hundreds of millions of pairs, gigabytes and
/// tens of seconds for one story of 239 articles. With the bound, the cost
/// of a story's pairs is linear in its units whatever its articles' length.
const PAIR_BUDGET: usize = 1024;

/// For each pair of units of different articles that share a stem, how many
/// stems they share, found through an inverted index of stems so that units
/// with nothing in common are never compared.
pub(super) fn shared_stems(
    unit_vecs: &[Vec<(u32, f32)>],
    doc_of: &dyn Fn(usize) -> usize,
) -> FxHashMap<(usize, usize), u32> {
    let nu = unit_vecs.len();
    let mut postings: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (u, v) in unit_vecs.iter().enumerate() {
        for &(t, _) in v {
            postings.entry(t).or_default().push(u);
        }
    }
    let mut shared: FxHashMap<(usize, usize), u32> = FxHashMap::default();
    // Rarest stems first, so that when the pair budget runs out it is the
    // commonest stems, the least telling, that are left out.
    let mut lists: Vec<(u32, &Vec<usize>)> = postings.iter().map(|(&t, l)| (t, l)).collect();
    lists.sort_unstable_by_key(|&(t, l)| (l.len(), t));
    let mut budget = PAIR_BUDGET * nu;
    for (_, list) in lists {
        // A stem in a tenth of the units or more (the story's own topic)
        // links everything to everything and decides nothing: pairs are
        // found through their rarer stems, and [`link`] still weighs every
        // shared stem.
        let pairs_here = list.len() * list.len().saturating_sub(1) / 2;
        if list.len() > COMMON_POSTING.max(nu / 10) || pairs_here > budget {
            break;
        }
        budget -= pairs_here;
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                if doc_of(i) != doc_of(j) {
                    *shared.entry((i, j)).or_insert(0) += 1;
                }
            }
        }
    }
    shared
}

/// Whether two groups' speakers (or subjects), each the one its members
/// name if any, differ.
pub(super) fn roles_clash(a: Option<usize>, b: Option<usize>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x != y)
}

/// Groups of units after the greedy merge ([`merge`]): each unit's group,
/// each group's members, its articles (each with the one sentence it holds
/// of it) and its speaker and subject.
pub(super) struct Groups {
    pub group: Vec<usize>,
    pub members: Vec<Vec<usize>>,
    pub docs: Vec<FxHashMap<usize, usize>>,
    pub roles: Vec<(Option<usize>, Option<usize>)>,
}

/// Merges the links (`edges`, strongest first) of a story's units into
/// groups.
pub(super) fn merge(
    story: &Story,
    units: &Units,
    edges: &[(f32, usize, usize)],
    unit_vecs: Vec<Vec<(u32, f32)>>,
) -> Groups {
    let nu = units.len();
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    // Greedy average-link merging of units with one sentence per article
    // (a sentence may be there whole and by its clauses). The mean cosine
    // between two groups is the dot product of their sums of unit vectors
    // divided by the product of their sizes, so each group keeps that sum
    // (and its articles) instead of comparing every pair of members:
    // merging stays cheap in stories of thousands of sentences.
    let mut group: Vec<usize> = (0..nu).collect();
    let mut members: Vec<Vec<usize>> = (0..nu).map(|u| vec![u]).collect();
    let mut sums: Vec<FxHashMap<u32, f32>> = unit_vecs.into_iter().map(|v| v.into_iter().collect()).collect();
    // The same for what the members' capitals add against a member of the
    // other group that names their countries ([`crate::story::Seat`]):
    // seats of one group meet the written stems of the other, never the
    // other's seats, as in [`super::links`].
    let mut seat_sums: Vec<FxHashMap<u32, f32>> =
        (0..nu).map(|u| units.seat_vec(story, u).into_iter().collect()).collect();
    // Each group's articles, each with the one sentence it holds of it.
    let mut docs: Vec<FxHashMap<usize, usize>> =
        (0..nu).map(|u| std::iter::once((doc_of(u), units.sent[u])).collect()).collect();
    // Each group's speaker and subject: the one its members name, if any.
    let mut roles: Vec<(Option<usize>, Option<usize>)> =
        (0..nu).map(|u| (units.agents[u].speaker, units.agents[u].subject)).collect();
    // The same for the static vectors (topic taken out): two groups whose
    // wording differs may still mean the same, on average.
    let mut sem_sums: Vec<Vec<f32>> = (0..nu).map(|u| units.sem_row(story, u).to_vec()).collect();
    for &(_, i, j) in edges {
        let (gi, gj) = (group[i], group[j]);
        if gi == gj {
            continue;
        }
        // Two groups that name different speakers, or different subjects,
        // stay apart. (A speaker and a subject do not clash here: "Ukraine
        // reported the largest drone attack" and "Russia launched a record
        // 267 drones" are joined by a third wording; two sentences are held
        // to [`link`]'s stricter test.)
        let (ri, rj) = (roles[gi], roles[gj]);
        if roles_clash(ri.0, rj.0) || roles_clash(ri.1, rj.1) {
            continue;
        }
        // One sentence per article: two groups holding different sentences
        // of one article stay apart. Groups holding the same sentence (one
        // whole, one by a clause) may merge through a link of two other
        // articles, but a unit never joins a group that holds its own
        // sentence in another form: a whole sentence whose clause found its
        // fact must find its own, not follow the clause.
        if docs[gj].contains_key(&doc_of(i)) || docs[gi].contains_key(&doc_of(j)) {
            continue;
        }
        let (small_d, large_d) = if docs[gi].len() <= docs[gj].len() { (gi, gj) } else { (gj, gi) };
        if docs[small_d].iter().any(|(d, s)| docs[large_d].get(d).is_some_and(|t| t != s)) {
            continue;
        }
        let total = cross(&sums[gi], &sums[gj]) + cross(&seat_sums[gi], &sums[gj]) + cross(&sums[gi], &seat_sums[gj]);
        let pairs = (members[gi].len() * members[gj].len()) as f32;
        if total / pairs < ANCHORED
            && chorus_semantic::dot(&sem_sums[gi], &sem_sums[gj]) / pairs < SEM_ANCHORED
            && deep_mean(story, units, &members[gi], &members[gj]).is_none_or(|d| d < DEEP_ANCHORED)
        {
            continue;
        }
        let (keep, gone) = if members[gi].len() >= members[gj].len() { (gi, gj) } else { (gj, gi) };
        let moved = std::mem::take(&mut members[gone]);
        for &x in &moved {
            group[x] = keep;
        }
        members[keep].extend(moved);
        let gone_sum = std::mem::take(&mut sums[gone]);
        for (t, w) in gone_sum {
            *sums[keep].entry(t).or_insert(0.0) += w;
        }
        let gone_seats = std::mem::take(&mut seat_sums[gone]);
        for (t, w) in gone_seats {
            *seat_sums[keep].entry(t).or_insert(0.0) += w;
        }
        let gone_sem = std::mem::take(&mut sem_sums[gone]);
        for (k, g) in sem_sums[keep].iter_mut().zip(gone_sem) {
            *k += g;
        }
        roles[keep] = (ri.0.or(rj.0), ri.1.or(rj.1));
        let gone_docs = std::mem::take(&mut docs[gone]);
        docs[keep].extend(gone_docs);
    }
    Groups { group, members, docs, roles }
}

/// The dot product of two sparse sums, walking the smaller.
fn cross(a: &FxHashMap<u32, f32>, b: &FxHashMap<u32, f32>) -> f32 {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    a.iter().filter_map(|(t, w)| b.get(t).map(|v| w * v)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stems' pairs stay within the budget however long the articles,
    /// keep the rarest stems' pairs, and are all found in a small story.
    #[test]
    fn stem_pairs_are_bounded_and_keep_the_rarest() {
        // Small: two articles, three units each, sharing stems 1 and 2.
        let small = vec![
            vec![(1, 1.0), (2, 1.0)],
            vec![(3, 1.0)],
            vec![(4, 1.0)],
            vec![(1, 1.0), (2, 1.0)],
            vec![(5, 1.0)],
            vec![(6, 1.0)],
        ];
        let doc = |u: usize| u / 3;
        let got = shared_stems(&small, &doc);
        assert_eq!(got.get(&(0, 3)), Some(&2));
        assert_eq!(got.len(), 1);
        // Long articles: 20 articles of 100 units, each unit with 20
        // stems whose lists hold 200 units (a tenth: still used), which
        // would propose about 4 million pairs; units 0 and 100 also share
        // a rare stem.
        let (per, n) = (100, 2000);
        let vecs: Vec<Vec<(u32, f32)>> = (0..n)
            .map(|u| {
                let mut v: Vec<(u32, f32)> = (0..20).map(|f| (100 + f * 10 + (u % 10) as u32, 1.0)).collect();
                if u == 0 || u == per {
                    v.insert(0, (9, 1.0));
                }
                v
            })
            .collect();
        let doc = |u: usize| u / per;
        let got = shared_stems(&vecs, &doc);
        let proposed: u32 = got.values().sum();
        assert!(proposed as usize <= PAIR_BUDGET * n, "{proposed} pairs for {n} units");
        assert!(got.contains_key(&(0, per)), "the rare stem's pair is kept");
        let common = got[&(0, 110)];
        assert!(common > 0 && common < 20, "the budget stops before the last common lists: {common}");
    }
}
