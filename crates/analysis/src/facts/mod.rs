//! Facts: sentences from different articles that report the same thing,
//! grouped, with the articles behind each.
//!
//! Two sentences are linked when their tf-idf cosine is high, or moderately
//! high *and* they share an anchor (the same story entity, or the same
//! number with the same unit); either way they must share several content
//! stems, so that two sentences agreeing only on "said" and "Sunday" never
//! make a fact. Links are merged greedily, strongest first, under average
//! linkage and with at most one sentence per article in a fact, which keeps
//! clusters from chaining across a long story. Copies and syndicated
//! rewrites are attached afterwards to the fact their sentence matches:
//! they are listed but never create or enlarge support on their own.
//!
//! What is linked are units ([`Units`]): each sentence whole and, for a
//! sentence of several clauses ([`crate::clauses`]), each clause, held to
//! stricter bars ([`CLAUSE_BARS`]); a sentence is in every fact one of its
//! units joined, so a statement two outlets share aligns even when the rest
//! of their sentences differs.

mod attach;
mod links;
mod merge;
mod repeats;
mod units;

use chorus_model::{Fact, Mention};
use rustc_hash::FxHashMap;

pub(crate) use links::link;
pub use links::{
    ANCHORED, CLAUSE_BARS, DEEP_ANCHORED, DEEP_CLAUSE, DEEP_CLAUSE_EIGHTHS, FIGURE_RATIO, MIN_SHARED,
    MIN_SHARED_UNNAMED, SEM_ANCHORED, STRONG,
};
pub use repeats::RESTATE_LINKS;
pub(crate) use units::Units;

use crate::agents::Agent;
use crate::story::Story;

/// Sentences shorter than this are headlines, datelines or fragments; they
/// are not facts.
pub const MIN_WORDS: usize = 5;

/// Posting lists shorter than this are always used to find candidate
/// pairs, whatever the story's size: in a small story every stem is in a
/// large share of the sentences.
pub(super) const COMMON_POSTING: usize = 60;

/// Independent articles, in story order, whose sentences are clustered into
/// facts with one another; later independent articles are matched against
/// those facts (as copies are), adding their support, and what they alone
/// say becomes their own unique facts. A hundred independent accounts of one
/// event carry what there is to say about it, and a coverage matrix of more
/// columns is past reading; the bound keeps a story of thousands of articles
/// near-linear instead of quadratic in its sentences.
pub const CORE_ARTICLES: usize = 100;

/// A fact as the analysis keeps it: sentence indices into the story table.
#[derive(Debug, Clone)]
pub(crate) struct Cluster {
    /// Sentence indices, at most one per article.
    pub members: Vec<usize>,
    /// The representative sentence.
    pub rep: usize,
    /// Independent articles behind it.
    pub support: usize,
    /// Members in this fact by a clause only ([`crate::clauses`]): the
    /// rest of their sentence says more, so they represent the fact only
    /// when no member says it whole.
    pub by_clause: Vec<usize>,
    /// For an article's own fact whose sentence other outlets report in
    /// part: the byte ranges of the clauses only it reports, which are
    /// the fact's text (empty: the representative sentence is). For a
    /// shared fact whose representative is in it by a clause: that clause.
    pub part: Vec<(usize, usize)>,
    /// For each member in the fact by a clause, the byte ranges of its
    /// clauses the fact holds (sorted by sentence).
    pub clause_spans: Vec<(usize, Vec<(usize, usize)>)>,
}

/// The facts of a story and, for each sentence, its fact.
pub(crate) struct Facts {
    pub clusters: Vec<Cluster>,
    pub of_sent: Vec<Option<usize>>,
    /// Each sentence's agent and attribution frame ([`crate::agents`]),
    /// kept so that later stages ask [`Facts::says_same`] without
    /// recomputing them.
    pub agents: Vec<Agent>,
    pub frames: Vec<Vec<u32>>,
}

impl Facts {
    /// Whether two sentences say the same thing on their own, in the same
    /// words or in others: the test of one link. A fact can be broader (it
    /// grows by average linkage), so a stage that needs two sentences to
    /// state one thing, such as a date conflict, asks this of the pair.
    pub fn says_same(&self, story: &Story, a: usize, b: usize) -> bool {
        story.cos(a, b) >= STRONG || link(story, &self.agents, &self.frames, a, b).is_some()
    }
}

pub(super) fn eligible(story: &Story, i: usize) -> bool {
    let s = &story.sents[i];
    s.words >= MIN_WORDS && s.vec.len() >= MIN_SHARED && is_statement(s.text)
}

/// Whether a sentence ends like a statement. Headings and subheadings
/// ("Talks Over Security and Resources") carry no final punctuation; they
/// label a section rather than report something.
pub(crate) fn is_statement(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | '”' | '"' | '’' | '\'' | ')' | ':' | ';'))
}

/// Per doc, whether it is one of the first [`CORE_ARTICLES`] independent
/// articles of the story: those are compared pairwise; the others are
/// matched against what they found.
pub(crate) fn core_docs(story: &Story) -> Vec<bool> {
    let mut core = vec![false; story.docs.len()];
    for (d, _) in story.docs.iter().enumerate().filter(|(_, d)| d.independent).take(CORE_ARTICLES) {
        core[d] = true;
    }
    core
}

/// Groups the sentences of a story into facts.
pub(crate) fn cluster(story: &Story) -> Facts {
    let n = story.sents.len();
    let core_docs = core_docs(story);
    let (agents, frames) = crate::agents::agents(story);
    let core = |i: usize| story.sents[i].independent && core_docs[story.sents[i].doc];
    let cands: Vec<usize> = (0..n).filter(|&i| core(i) && eligible(story, i)).collect();
    // Units: each candidate sentence whole, and the clauses of those with
    // several ([`Units`]).
    let units = Units::build(story, &agents, &cands);
    let nu = units.len();
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    // Candidate pairs through an inverted index of stems, so that units
    // with nothing in common are never compared.
    let unit_vecs: Vec<Vec<(u32, f32)>> = (0..nu).map(|u| units.unit_vec(story, u)).collect();
    let shared = merge::shared_stems(&unit_vecs, &doc_of);
    // A pair with a clause shares at least two of the rarer stems: a
    // clause is short, and one rare word with the story's topic words is
    // no statement in common (this keeps the pairs of a story's units
    // near the number its sentences alone make).
    let mut pairs: Vec<(usize, usize)> = shared
        .into_iter()
        .filter(|&((i, j), k)| k >= 2 || (units.whole[i] && units.whole[j]))
        .map(|(p, _)| p)
        .collect();
    pairs.sort_unstable();
    links::prepare_deep(story, &units, &frames, &agents, &pairs);
    let view = |u: usize| units.view(story, &agents, &frames, u);
    let mut edges: Vec<(f32, usize, usize)> =
        pairs.iter().filter_map(|&(i, j)| links::link_views(story, &view(i), &view(j)).map(|c| (c, i, j))).collect();
    edges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    let merge::Groups { mut group, mut members, docs, roles } = merge::merge(story, &units, &edges, unit_vecs);
    repeats::restatements(story, &units, &edges, &mut group, &mut members, &docs);
    repeats::absorb_repeats(story, &units, &mut group, &mut members, &roles);

    // Facts: every multi-article group, as its sentences; then every
    // eligible sentence of an independent article that no such group holds
    // whole or by all its clauses (that article's own contribution). A
    // sentence held by its clauses may be in several facts; its own fact
    // (`of_sent`) is the one holding it whole, else its best supported.
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut of_sent = vec![None; n];
    let mut fact_of_unit: Vec<Option<usize>> = vec![None; nu];
    // A group of clauses whose sentences another group already holds whole
    // says again what that group says: its clauses belong to that fact.
    let whole_group: Vec<Option<usize>> = {
        let mut w = vec![None; n];
        for u in (0..nu).filter(|&u| units.whole[u]) {
            w[units.sent[u]] = Some(group[u]);
        }
        w
    };
    let restated_by = |g: usize| -> Option<usize> {
        let m = &members[g];
        let h = whole_group[units.sent[m[0]]]?;
        (h != g && m.iter().all(|&u| whole_group[units.sent[u]] == Some(h))).then_some(h)
    };
    for (g, m) in members.iter().enumerate() {
        if m.is_empty() || group[m[0]] != g || restated_by(g).is_some() {
            continue;
        }
        let mut ds: Vec<usize> = m.iter().map(|&u| doc_of(u)).collect();
        ds.sort_unstable();
        ds.dedup();
        if ds.len() < 2 {
            continue;
        }
        let mut sents: Vec<usize> = m.iter().map(|&u| units.sent[u]).collect();
        sents.sort_unstable();
        sents.dedup();
        let mut by_clause: Vec<usize> =
            sents.iter().copied().filter(|&x| !m.iter().any(|&u| units.whole[u] && units.sent[u] == x)).collect();
        by_clause.sort_unstable();
        for &u in m {
            fact_of_unit[u] = Some(clusters.len());
        }
        let clause_spans: Vec<(usize, Vec<(usize, usize)>)> = by_clause
            .iter()
            .map(|&x| {
                let mut spans: Vec<(usize, usize)> =
                    m.iter().filter(|&&u| units.sent[u] == x).map(|&u| units.spans[u]).collect();
                spans.sort_unstable();
                (x, spans)
            })
            .collect();
        clusters.push(Cluster { rep: sents[0], support: 0, members: sents, by_clause, part: Vec::new(), clause_spans });
    }
    for g in 0..nu {
        if let Some(h) = (!members[g].is_empty() && group[members[g][0]] == g).then(|| restated_by(g)).flatten() {
            let f = members[h].first().and_then(|&x| fact_of_unit[x]);
            for &u in &members[g] {
                fact_of_unit[u] = f;
            }
        }
    }
    let mut u = 0;
    while u < nu {
        let i = units.sent[u];
        let end = (u..nu).find(|&v| units.sent[v] != i).unwrap_or(nu);
        let whole = fact_of_unit[u];
        let clauses = &fact_of_unit[u + 1..end];
        let best = clauses.iter().flatten().copied().max_by_key(|&c| (clusters[c].members.len(), std::cmp::Reverse(c)));
        of_sent[i] = whole.or(best);
        let all_clauses = !clauses.is_empty() && clauses.iter().all(Option::is_some);
        if whole.is_none() && !all_clauses {
            let own = clusters.len();
            // A sentence other outlets report in part: what only it says is
            // the clauses no shared fact holds.
            let part: Vec<(usize, usize)> = if best.is_some() {
                (u + 1..end).filter(|&v| fact_of_unit[v].is_none()).map(|v| units.spans[v]).collect()
            } else {
                Vec::new()
            };
            clusters.push(Cluster {
                rep: i,
                support: 0,
                members: vec![i],
                by_clause: Vec::new(),
                part,
                clause_spans: Vec::new(),
            });
            if of_sent[i].is_none() {
                of_sent[i] = Some(own);
            }
        }
        u = end;
    }

    attach::attach(story, &core, &mut clusters, &mut of_sent);

    for cl in &mut clusters {
        let mut docs: Vec<usize> =
            cl.members.iter().filter(|&&x| story.sents[x].independent).map(|&x| story.sents[x].doc).collect();
        docs.sort_unstable();
        docs.dedup();
        cl.support = docs.len();
        cl.rep = representative(story, &cl.members, &cl.by_clause);
        // Every member by a clause (none says it whole): the fact's text is
        // the representative's clause, not the rest of its sentence, which
        // may be another fact's ("Tensions … escalated, after Trump falsely
        // accused Ukraine of starting the conflict" in the fact of the
        // accusation).
        if cl.part.is_empty()
            && let Ok(k) = cl.clause_spans.binary_search_by_key(&cl.rep, |c| c.0)
        {
            cl.part = cl.clause_spans[k].1.clone();
        }
    }
    // Best supported first; among equals, what the articles put first.
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by_key(|&c| {
        let cl = &clusters[c];
        let first = cl.members.iter().map(|&x| story.sents[x].pos).min().unwrap_or(0);
        (std::cmp::Reverse(cl.support), std::cmp::Reverse(cl.members.len()), first, cl.rep)
    });
    let mut rank = vec![0; clusters.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    let mut sorted: Vec<Cluster> = order.iter().map(|&c| clusters[c].clone()).collect();
    for s in of_sent.iter_mut().flatten() {
        *s = rank[*s];
    }
    for cl in &mut sorted {
        cl.members.sort_by_key(|&x| (!story.sents[x].independent, story.sents[x].doc));
    }
    Facts { clusters: sorted, of_sent, agents, frames }
}

/// The member most similar to the others (the medoid), preferring
/// independent articles; among equals the earliest. A member's summed
/// cosine with the others is its unit vector's dot product with the sum of
/// all unit vectors, less its own: one pass, however many members.
fn representative(story: &Story, members: &[usize], by_clause: &[usize]) -> usize {
    let pool: Vec<usize> = {
        let whole: Vec<usize> = members.iter().copied().filter(|x| by_clause.binary_search(x).is_err()).collect();
        let members = if whole.is_empty() { members.to_vec() } else { whole };
        let ind: Vec<usize> = members.iter().copied().filter(|&x| story.sents[x].independent).collect();
        if ind.is_empty() { members } else { ind }
    };
    let mut sum: FxHashMap<u32, f32> = FxHashMap::default();
    for &x in &pool {
        let s = &story.sents[x];
        if s.norm > 0.0 {
            for &(t, w) in &s.vec {
                *sum.entry(t).or_insert(0.0) += w / s.norm;
            }
        }
    }
    let mut best = (f32::MIN, usize::MAX);
    for &x in &pool {
        let s = &story.sents[x];
        let score: f32 = if s.norm > 0.0 {
            s.vec.iter().map(|&(t, w)| w / s.norm * sum.get(&t).copied().unwrap_or(0.0)).sum::<f32>() - 1.0
        } else {
            0.0
        };
        if score > best.0 + 1e-6 || (score > best.0 - 1e-6 && x < best.1) {
            best = (score, x);
        }
    }
    best.1
}

/// A stable fact id: 16 hex digits of XXH3 over the representative
/// sentence with whitespace collapsed and case folded.
pub(crate) fn fact_id(text: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for w in text.split_whitespace() {
        h.update(w.to_lowercase().as_bytes());
        h.update(b" ");
    }
    format!("{:016x}", h.digest())
}

/// The contract's facts.
pub(crate) fn to_model(story: &Story, facts: &Facts) -> Vec<Fact> {
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    facts
        .clusters
        .iter()
        .map(|cl| {
            let text = if cl.part.is_empty() {
                story.sents[cl.rep].text.trim().to_string()
            } else {
                let t = story.docs[story.sents[cl.rep].doc].article.text.as_str();
                let parts: Vec<&str> = cl.part.iter().map(|&(a, b)| crate::story::slice(t, a, b).trim()).collect();
                parts.join(" … ")
            };
            let mut id = fact_id(&text);
            let k = seen.entry(id.clone()).or_insert(0);
            *k += 1;
            if *k > 1 {
                id = format!("{id}-{k}");
            }
            Fact {
                id,
                text,
                articles: story.ids(cl.members.iter().map(|&x| story.sents[x].doc)),
                mentions: cl
                    .members
                    .iter()
                    .map(|&x| Mention {
                        article: story.article_id(story.sents[x].doc).to_string(),
                        text: story.sents[x].text.trim().to_string(),
                    })
                    .collect(),
                first_reported: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::repeats::covers;
    use super::*;
    use crate::testkit::{Art, docs, entities};
    use chorus_model::EntityKind;

    const A: &str = "Despite officials briefing the press earlier that Mayor Petra Lindqvist was not ready to discuss a rebuilding deal, she said on Sunday that the town was making progress and had held talks with the ministry about the matter. \
        The ministry has offered the town a loan for rebuilding the flooded bridge. The mayor wants grants rather than loans for the rebuilding. Talks with the ministry on the rebuilding will resume next week. Officials said no deal on the rebuilding had been agreed yet.";
    const B: &str = "When asked about a possible rebuilding agreement, Lindqvist acknowledged that discussions were ongoing and that the town was making progress. \
        Rebuilding the town after the flood could cost 40 million euros. The ministry said any rebuilding deal must include the bridge. The mayor met the minister in the capital on Sunday to discuss the rebuilding. Opposition councillors said the talks on a rebuilding deal were going nowhere.";

    fn arts() -> Vec<Art> {
        vec![
            Art::new("a", A).entity("Petra Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, Some("Mayor")),
            Art::new("b", B).entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None),
        ]
    }

    /// The fact of the first sentence of each article, by budget.
    fn joined(budget: usize) -> (bool, f32, f32) {
        let arts = arts();
        let ents = entities(&arts, &[("Petra Lindqvist", EntityKind::Person, &[])]);
        let ds = docs(&arts);
        let mut story = Story::build(&ds, &ents);
        story.deep = crate::deep::Deep::new(budget);
        let b0 = story.sents.iter().position(|s| s.doc == 1).expect("b's sentences");
        let facts = cluster(&story);
        let d = story.deep_known(0, b0).unwrap_or(f32::NAN);
        (facts.of_sent[0] == facts.of_sent[b0], story.sem_cos(0, b0), d)
    }

    #[test]
    fn the_transformer_joins_an_anchored_paraphrase_the_static_tier_leaves_apart() {
        let (off, s, _) = joined(0);
        assert!(!off, "static tier alone joined them (static {s})");
        let (on, s, d) = joined(64);
        assert!(s < SEM_ANCHORED, "static {s} decides it alone");
        assert!(on, "transformer {d} static {s}");
    }

    const C1: &str = "Lindqvist also falsely accused Halsten Power of starting the flood and claimed, against all evidence, that the council had been warned in May. \
        Halsten Power said the flood had nothing to do with the dam. Lindqvist met flood victims in the town hall on Sunday. \
        The flood closed the railway line to Tamsberg for a week.";
    const C2: &str = "As the storm season approached, tensions between the town and the company grew, with Lindqvist blaming Halsten Power for setting off the flood and calling its board reckless. \
        Halsten Power shares fell after the flood. The flood left hundreds of homes without power on Sunday. \
        Volunteers from Tamsberg filled sandbags along the river.";

    /// Whether the two accusation sentences share a fact. Their
    /// accusation clauses ("accused Halsten Power of starting the flood" /
    /// "blaming Halsten Power for setting off the flood") share the names
    /// and "flood" but stay under both static clause bars (tf-idf 0.31,
    /// static 0.55); the whole sentences say more and stay apart.
    fn clause_joined(budget: usize) -> bool {
        let arts = vec![
            Art::new("a", C1)
                .entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None)
                .entity("Lindqvist", 1, "Petra Lindqvist", EntityKind::Person, None)
                .entity("Halsten Power", 0, "Halsten Power", EntityKind::Organization, None)
                .entity("Halsten Power", 1, "Halsten Power", EntityKind::Organization, None),
            Art::new("b", C2)
                .entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None)
                .entity("Halsten Power", 0, "Halsten Power", EntityKind::Organization, None)
                .entity("Halsten Power", 1, "Halsten Power", EntityKind::Organization, None),
        ];
        let ents = entities(
            &arts,
            &[("Petra Lindqvist", EntityKind::Person, &[]), ("Halsten Power", EntityKind::Organization, &[])],
        );
        let ds = docs(&arts);
        let mut story = Story::build(&ds, &ents);
        story.deep = crate::deep::Deep::new(budget);
        let b0 = story.sents.iter().position(|s| s.doc == 1).expect("b's sentences");
        let facts = cluster(&story);
        facts.clusters.iter().any(|c| c.members.contains(&0) && c.members.contains(&b0))
    }

    #[test]
    fn the_transformer_judges_clause_pairs_the_static_tier_leaves_undecided() {
        assert!(!clause_joined(0), "joined without the transformer");
        assert!(clause_joined(64), "the clauses' transformer cosine is under DEEP_CLAUSE");
    }

    /// A group folds into another that holds its sentences only where
    /// that one covers them: a short clause does not cover its whole
    /// sentence, the whole sentence covers the clause.
    #[test]
    fn a_group_is_covered_by_whole_sentences_not_by_a_short_clause() {
        let arts = vec![
            Art::new("a", C2).entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None),
            Art::new("b", C1).entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None),
        ];
        let ents = entities(&arts, &[("Petra Lindqvist", EntityKind::Person, &[])]);
        let ds = docs(&arts);
        let story = Story::build(&ds, &ents);
        let (agents, _) = crate::agents::agents(&story);
        let units = Units::build(&story, &agents, &[0]);
        assert!(units.len() >= 3, "the first sentence has clauses");
        let whole = 0;
        let short = (1..units.len()).min_by_key(|&u| units.unit_vec(&story, u).len()).expect("a clause");
        assert!(covers(&story, &units, &[short], &[whole]));
        assert!(!covers(&story, &units, &[whole], &[short]));
    }
}
