//! Chorus's summariser: greedy coverage of bigram concepts weighted by
//! independent support (see the parent module), one sentence per fact, and
//! no fact that restates one already told.

use chorus_model::SummarySentence;
use rustc_hash::{FxHashMap, FxHashSet};

use super::baselines::{REDUNDANCY, centroid};
use crate::facts::Facts;
use crate::framing::{Kind, Term};
use crate::story::Story;

/// Weight of a concept's appearance in an article's lead (its first
/// [`LEAD`] sentences), on top of the 1 every supporting article gives:
/// news writing puts the event first, and human summaries of news follow
/// the leads closely (the lead baseline is famously hard to beat on DUC).
pub const LEAD_BONUS: f32 = 1.0;

/// Sentences that make an article's lead.
pub const LEAD: usize = 3;

/// Exponent of the length cost in greedy selection (gain / words^r).
/// r = 1 maximises coverage per word but favours fragments; r = 0 takes
/// the longest sentences; Lin & Bilmes (2010) found scaled costs in
/// between best for ROUGE.
pub const LENGTH_COST: f32 = 0.6;

/// Summary candidates: sentences this long or longer. Shorter ones are
/// headlines, captions and fragments that read badly in a summary.
pub const SUPPORT_MIN_WORDS: usize = 8;

/// …and no longer than this: run-on sentences are usually paragraphs the
/// splitter could not break (lists, transcripts).
pub const SUPPORT_MAX_WORDS: usize = 60;

/// Extra weight of an article's first sentence in selection, decaying as
/// 1/(1+position): the lead sentence counts 1.5 times, the fifth 1.1
/// times. Concept weights already favour lead material; this breaks ties
/// between sentences that cover the same concepts towards the one that
/// states the event, and lifted the leave-one-out proxy a little.
pub const POSITION: f32 = 0.5;

/// Factor on the score of a sentence carrying an outlet's hedge or loaded
/// verb ("apparently", "claimed"): the summary should be neutral, so
/// another outlet's plain wording of the same point is preferred when
/// there is one, and the loaded one still wins when it alone says it.
pub const LOADED_PENALTY: f32 = 0.5;

/// Factor on the score of a sentence that opens by pointing back ("He
/// said…", "This comes after…"): out of its article it reads without its
/// referent.
pub const REFERENCE_PENALTY: f32 = 0.7;

/// Whether a sentence opens with a pronoun or demonstrative that refers to
/// what came before it.
fn opens_with_reference(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    let w: String = first.chars().filter(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
    matches!(
        w.as_str(),
        "he" | "she" | "they" | "it" | "this" | "that" | "these" | "those" | "his" | "her" | "their" | "its"
    ) || text.starts_with("At the same time")
        || text.starts_with("However")
        || text.starts_with("Meanwhile")
}

/// Facts that restate fact `f` and cite no article it does not: each holds
/// whole a sentence that `f` holds by a clause. A fact holds at most one
/// sentence per article, so a sentence whose clause joined `f` can still
/// found a second fact with another outlet's sentence of the same statement
/// (one outlet's "offered to resign to help the peace process" whole,
/// another's summary line "offered to step down for NATO membership, urged
/// …"); once `f` is in the summary, that second fact would repeat it in
/// other words. Only this direction: a fact holding a chosen compound
/// sentence by a clause is a part of it the summary may still state on its
/// own, and a fact citing an article `f` does not adds a source.
fn restatements(story: &Story, facts: &Facts, f: usize) -> Vec<usize> {
    let c = &facts.clusters[f];
    let docs: FxHashSet<usize> = c.members.iter().map(|&m| story.sents[m].doc).collect();
    // Sentences `f` holds by clauses covering most of them: what is left
    // is a frame ("Amid the spat with Trump, …"), not a second statement.
    let mostly: Vec<usize> = c
        .clause_spans
        .iter()
        .filter(|(m, spans)| {
            let s = &story.sents[*m];
            let held: usize = spans.iter().map(|&(a, b)| b.min(s.end).saturating_sub(a.max(s.start))).sum();
            held as f32 >= RESTATED_SHARE * (s.end - s.start) as f32
        })
        .map(|(m, _)| *m)
        .collect();
    let mut out: Vec<usize> = mostly
        .iter()
        .filter_map(|&m| facts.of_sent[m])
        .filter(|&g| g != f)
        .filter(|&g| {
            let other = &facts.clusters[g];
            other.members.len() > 1
                && other.members.iter().any(|&m| mostly.contains(&m) && other.by_clause.binary_search(&m).is_err())
                && other.members.iter().all(|&m| docs.contains(&story.sents[m].doc))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Share of a sentence's bytes the clauses a fact holds must cover for
/// another fact holding that sentence whole to count as the fact's
/// restatement ([`restatements`]). Half: the clause is the sentence's
/// statement, not one item of a list it strings together.
pub const RESTATED_SHARE: f32 = 0.5;

/// Sentences mostly inside quotation marks are voices, not the account.
pub const MAX_QUOTED_SHARE: f32 = 0.5;

/// Chorus's summariser: greedy coverage of bigram concepts weighted by
/// independent support. See the module documentation.
/// `outdated`: sentences (sorted) giving only values that later reports
/// updated; the summary tells the story as it stands, so it leaves them out.
pub(crate) fn support(
    story: &Story,
    facts: &Facts,
    framing: &[Term],
    outdated: &[usize],
    budget: usize,
) -> Vec<SummarySentence> {
    // Sentences carrying an outlet's hedge or loaded verb.
    let loaded: FxHashSet<usize> = framing
        .iter()
        .filter(|t| t.kind != Kind::Lexicon)
        .filter_map(|t| {
            story.by_doc[t.doc].clone().find(|&i| story.sents[i].start <= t.start && t.start < story.sents[i].end)
        })
        .collect();
    let n_docs = story.independent_docs.max(1);
    // A concept must be shared by a couple of outlets, unless the story has
    // a single independent article.
    let min_df = if n_docs >= 6 {
        3
    } else if n_docs >= 2 {
        2
    } else {
        1
    };
    let mut concepts: Vec<Vec<u64>> = Vec::with_capacity(story.sents.len());
    let mut df: FxHashMap<u64, (FxHashSet<usize>, FxHashSet<usize>)> = FxHashMap::default();
    for s in &story.sents {
        // Bigrams of stems, stop words kept (as ROUGE keeps them) unless
        // both words are function words.
        let mut cs: Vec<u64> =
            s.toks.windows(2).filter(|p| p[0].1 || p[1].1).map(|p| ((p[0].0 as u64) << 32) | p[1].0 as u64).collect();
        cs.sort_unstable();
        cs.dedup();
        if s.independent {
            for &c in &cs {
                let e = df.entry(c).or_default();
                e.0.insert(s.doc);
                if s.pos < LEAD {
                    e.1.insert(s.doc);
                }
            }
        }
        concepts.push(cs);
    }
    let weight: FxHashMap<u64, f32> = df
        .into_iter()
        .filter(|(_, (d, _))| d.len() >= min_df)
        .map(|(c, (d, lead))| (c, d.len() as f32 + LEAD_BONUS * lead.len() as f32))
        .collect();

    let cands: Vec<usize> = (0..story.sents.len())
        .filter(|&i| {
            let s = &story.sents[i];
            if !s.independent || s.words < SUPPORT_MIN_WORDS || s.words > SUPPORT_MAX_WORDS {
                return false;
            }
            if outdated.binary_search(&i).is_ok() {
                return false;
            }
            let t = s.text.trim_end();
            if t.ends_with('?') || t.ends_with(':') {
                return false;
            }
            let quoted: usize =
                story.quoted[s.doc].iter().map(|&(a, b)| b.min(s.end).saturating_sub(a.max(s.start))).sum();
            (quoted as f32) <= MAX_QUOTED_SHARE * (s.end - s.start) as f32
        })
        .collect();
    let mut covered: FxHashSet<u64> = FxHashSet::default();
    let mut chosen: Vec<usize> = Vec::new();
    let mut used_facts: FxHashSet<usize> = FxHashSet::default();
    let mut used = 0usize;
    // Candidates redundant with a chosen sentence: its wording, or its
    // meaning in other words (two sentences a fact link would join, kept
    // in different facts only because a fact holds one sentence per
    // article). Marked once when a sentence is chosen, not re-tested each
    // round.
    let mut redundant = vec![false; cands.len()];
    loop {
        let mut best: Option<(f32, usize)> = None;
        for (k, &i) in cands.iter().enumerate() {
            let s = &story.sents[i];
            if redundant[k] || chosen.contains(&i) || used + s.words > budget {
                continue;
            }
            if facts.of_sent[i].is_some_and(|f| used_facts.contains(&f)) {
                continue;
            }
            let gain: f32 = concepts[i].iter().filter(|c| !covered.contains(*c)).filter_map(|c| weight.get(c)).sum();
            if gain <= 0.0 {
                continue;
            }
            let mut score = gain / (s.words as f32).powf(LENGTH_COST) * (1.0 + POSITION / (1.0 + s.pos as f32));
            if loaded.contains(&i) {
                score *= LOADED_PENALTY;
            }
            if opens_with_reference(s.text) {
                score *= REFERENCE_PENALTY;
            }
            if best.is_none_or(|(b, bi)| score > b || (score == b && i < bi)) {
                best = Some((score, i));
            }
        }
        let Some((_, i)) = best else { break };
        for (k, &j) in cands.iter().enumerate() {
            if !redundant[k] && j != i && (story.cos(i, j) > REDUNDANCY || facts.says_same(story, i, j)) {
                redundant[k] = true;
            }
        }
        chosen.push(i);
        used += story.sents[i].words;
        covered.extend(concepts[i].iter().copied());
        if let Some(f) = facts.of_sent[i] {
            used_facts.insert(f);
            used_facts.extend(restatements(story, facts, f));
        }
    }
    if chosen.is_empty() {
        return centroid(story.docs, budget);
    }
    // The best-supported fact first, then by support and article position.
    let support_of = |i: usize| facts.of_sent[i].map(|f| facts.clusters[f].support).unwrap_or(1);
    chosen.sort_by_key(|&i| (std::cmp::Reverse(support_of(i)), story.sents[i].pos, story.sents[i].doc));
    chosen
        .into_iter()
        .map(|i| {
            let s = &story.sents[i];
            let articles = match facts.of_sent[i] {
                Some(f) => story.ids(facts.clusters[f].members.iter().map(|&x| story.sents[x].doc)),
                None => vec![story.article_id(s.doc).to_string()],
            };
            SummarySentence { text: s.text.trim().to_string(), articles }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three outlets, one statement: `a` and `b` state it (b inside a
    /// frame), `c` strings it together with others. A fact holding b's
    /// sentence by its long clause beside a's, and a second fact holding
    /// b's sentence whole beside c's list, tell the summary one thing twice.
    fn restated() -> (Vec<crate::testkit::Art>, Vec<&'static str>) {
        let a = "The mayor said she would resign to speed up the flood repairs in Harlow.";
        let b =
            "Amid the row with the council, the mayor said she was willing to resign to speed up the flood repairs.";
        let c =
            "The mayor offered to step down for the repairs, urged the council to pay and dismissed the cost claims.";
        let arts =
            vec![crate::testkit::Art::new("a", a), crate::testkit::Art::new("b", b), crate::testkit::Art::new("c", c)];
        (arts, vec![a, b, c])
    }

    fn facts_of(story: &Story, clusters: Vec<crate::facts::Cluster>) -> Facts {
        let mut facts = crate::facts::cluster(story);
        facts.of_sent = vec![None; story.sents.len()];
        for (f, c) in clusters.iter().enumerate() {
            for &m in &c.members {
                if c.by_clause.binary_search(&m).is_err() || facts.of_sent[m].is_none() {
                    facts.of_sent[m] = Some(f);
                }
            }
        }
        facts.clusters = clusters;
        facts
    }

    fn fact(
        members: Vec<usize>,
        by_clause: Vec<usize>,
        clause_spans: Vec<(usize, Vec<(usize, usize)>)>,
    ) -> crate::facts::Cluster {
        crate::facts::Cluster {
            rep: members[0],
            support: members.len(),
            members,
            by_clause,
            part: Vec::new(),
            clause_spans,
        }
    }

    #[test]
    fn a_fact_holding_whole_what_a_chosen_fact_holds_by_its_clause_restates_it() {
        let (arts, texts) = restated();
        let docs = crate::testkit::docs(&arts);
        let ents = crate::testkit::entities(&arts, &[]);
        let story = Story::build(&docs, &ents);
        assert_eq!(story.sents.len(), 3);
        let (a, b, c) = (0, 1, 2);
        let clause = texts[1].find("the mayor said").unwrap();
        let long = vec![(b, vec![(clause, texts[1].len())])];
        // The chosen fact holds b by a clause covering most of it; the
        // other fact holds b whole and cites only articles the first does.
        let facts = facts_of(&story, vec![fact(vec![a, b], vec![b], long.clone()), fact(vec![b, c], vec![], vec![])]);
        assert_eq!(restatements(&story, &facts, 0), Vec::<usize>::new(), "c is cited by the second fact only");
        let facts =
            facts_of(&story, vec![fact(vec![a, b, c], vec![b], long.clone()), fact(vec![b, c], vec![], vec![])]);
        assert_eq!(restatements(&story, &facts, 0), vec![1]);
        // Not the other direction: a fact holding the chosen fact's whole
        // sentence by a clause is a part of it, which may still be told.
        assert_eq!(restatements(&story, &facts, 1), Vec::<usize>::new());
        // Not when the clause is one item of what the sentence says.
        let short = texts[1].find("to speed up").unwrap();
        let facts = facts_of(
            &story,
            vec![
                fact(vec![a, b, c], vec![b], vec![(b, vec![(short, texts[1].len())])]),
                fact(vec![b, c], vec![], vec![]),
            ],
        );
        assert_eq!(restatements(&story, &facts, 0), Vec::<usize>::new());
    }
}
