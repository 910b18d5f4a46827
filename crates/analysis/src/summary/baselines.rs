//! The classic unsupervised summarisers chorus is compared with
//! (`bench-analysis compare`) and falls back on: centroid, LexRank and
//! TextRank over the story's sentences as tf-idf vectors.

use chorus_model::SummarySentence;
use rustc_hash::FxHashMap;

use crate::Doc;
use crate::vectors::{SparseVec, Vocab, cosine, tf};

/// A sentence is redundant with a chosen one above this cosine. 0.5 is the
/// usual value in the centroid and MMR literature: sentences sharing half
/// their weighted vocabulary say mostly the same thing.
pub const REDUNDANCY: f32 = 0.5;

/// Another article supports a sentence when it carries a sentence at least
/// this similar. Higher than [`REDUNDANCY`]: a citation claims the article
/// says the same thing, so it needs more than topical overlap.
pub const SUPPORT: f32 = 0.55;

/// Sentences shorter than this many words are headlines, datelines or
/// fragments, not summary material.
pub const MIN_WORDS: usize = 6;

pub(crate) struct Sent<'a> {
    pub doc: usize,
    pub pos: usize,
    pub text: &'a str,
    pub vec: SparseVec,
    pub words: usize,
}

/// Every sentence of the independent articles with its tf-idf vector.
pub(crate) fn sentences<'a>(docs: &[Doc<'a>]) -> Vec<Sent<'a>> {
    let mut vocab = Vocab::default();
    let mut raw = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        if !doc.independent {
            continue;
        }
        let text = doc.article.text.as_str();
        for (pos, r) in doc.extraction.sentences.iter().enumerate() {
            let s = crate::story::slice(text, r.start, r.end);
            let terms = vocab.terms(s);
            raw.push((d, pos, s, terms));
        }
    }
    let n = raw.len().max(1) as f32;
    let mut df: FxHashMap<u32, f32> = FxHashMap::default();
    for (_, _, _, terms) in &raw {
        let mut seen: Vec<u32> = terms.clone();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *df.entry(t).or_insert(0.0) += 1.0;
        }
    }
    raw.into_iter()
        .map(|(doc, pos, text, terms)| {
            let mut vec = tf(&terms);
            for (t, w) in vec.iter_mut() {
                *w *= (n / df[t]).ln() + 1.0;
            }
            Sent { doc, pos, text, vec, words: text.split_whitespace().count() }
        })
        .collect()
}

/// The centroid summary of a story within `budget` words.
pub fn centroid(docs: &[Doc], budget: usize) -> Vec<SummarySentence> {
    let sents = sentences(docs);
    if sents.is_empty() {
        return Vec::new();
    }
    let mut centroid: FxHashMap<u32, f32> = FxHashMap::default();
    for s in &sents {
        for &(t, w) in &s.vec {
            *centroid.entry(t).or_insert(0.0) += w;
        }
    }
    let n = sents.len() as f32;
    let mut order: Vec<(usize, f32)> = sents
        .iter()
        .enumerate()
        .filter(|(_, s)| s.words >= MIN_WORDS)
        .map(|(i, s)| {
            let c: f32 = s.vec.iter().map(|(t, _)| centroid[t] / n).sum();
            // Lead sentences of news carry the event: a mild position prior.
            let position = 1.0 / (1.0 + s.pos as f32 * 0.1);
            (i, c * (0.8 + 0.2 * position))
        })
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    select(docs, &sents, order.into_iter().map(|(i, _)| i), budget)
}

/// Takes sentences in ranked order while the budget lasts, skipping redundant
/// ones, and cites for each the articles carrying a similar sentence.
pub(crate) fn select(
    docs: &[Doc],
    sents: &[Sent],
    ranked: impl Iterator<Item = usize>,
    budget: usize,
) -> Vec<SummarySentence> {
    let mut chosen: Vec<usize> = Vec::new();
    let mut used = 0usize;
    for i in ranked {
        if used >= budget {
            break;
        }
        if chosen.iter().any(|&c| cosine(&sents[c].vec, &sents[i].vec) > REDUNDANCY) {
            continue;
        }
        if used > 0 && used + sents[i].words > budget + budget / 10 {
            continue;
        }
        used += sents[i].words;
        chosen.push(i);
    }
    chosen
        .into_iter()
        .map(|i| {
            let mut articles = vec![docs[sents[i].doc].article.id.clone()];
            for s in sents {
                if s.doc != sents[i].doc && cosine(&s.vec, &sents[i].vec) >= SUPPORT {
                    let id = &docs[s.doc].article.id;
                    if !articles.contains(id) {
                        articles.push(id.clone());
                    }
                }
            }
            SummarySentence { text: sents[i].text.to_string(), articles }
        })
        .collect()
}

/// LexRank damping factor: the PageRank value (0.85) Erkan & Radev kept.
const DAMPING: f32 = 0.85;

/// LexRank edge threshold: Erkan & Radev's best continuous-LexRank runs
/// dropped edges under a cosine of 0.1, which removes the noise of
/// sentences sharing one common word.
const LEXRANK_EDGE: f32 = 0.1;

/// Power iteration for a row-normalised weighted graph.
fn pagerank(weights: &[Vec<(usize, f32)>]) -> Vec<f32> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let out_sum: Vec<f32> = weights.iter().map(|row| row.iter().map(|x| x.1).sum()).collect();
    let mut p = vec![1.0 / n as f32; n];
    for _ in 0..50 {
        let mut next = vec![(1.0 - DAMPING) / n as f32; n];
        let mut dangling = 0.0;
        for i in 0..n {
            if out_sum[i] == 0.0 {
                dangling += p[i];
                continue;
            }
            for &(j, w) in &weights[i] {
                next[j] += DAMPING * p[i] * w / out_sum[i];
            }
        }
        for x in &mut next {
            *x += DAMPING * dangling / n as f32;
        }
        let delta: f32 = next.iter().zip(&p).map(|(a, b)| (a - b).abs()).sum();
        p = next;
        if delta < 1e-6 {
            break;
        }
    }
    p
}

/// Continuous LexRank.
pub fn lexrank(docs: &[Doc], budget: usize) -> Vec<SummarySentence> {
    let sents = sentences(docs);
    let n = sents.len();
    let mut w: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in i + 1..n {
            let c = cosine(&sents[i].vec, &sents[j].vec);
            if c >= LEXRANK_EDGE {
                w[i].push((j, c));
                w[j].push((i, c));
            }
        }
    }
    let score = pagerank(&w);
    ranked_select(docs, &sents, &score, budget)
}

/// TextRank with its sentence similarity: shared words over the sum of the
/// logs of the lengths.
pub fn textrank(docs: &[Doc], budget: usize) -> Vec<SummarySentence> {
    let sents = sentences(docs);
    let n = sents.len();
    let sets: Vec<Vec<u32>> = sents.iter().map(|s| s.vec.iter().map(|x| x.0).collect()).collect();
    let mut w: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in i + 1..n {
            let shared = sets[i].iter().filter(|t| sets[j].binary_search(t).is_ok()).count();
            let norm = (sets[i].len().max(2) as f32).ln() + (sets[j].len().max(2) as f32).ln();
            if shared > 0 && norm > 0.0 {
                let v = shared as f32 / norm;
                w[i].push((j, v));
                w[j].push((i, v));
            }
        }
    }
    let score = pagerank(&w);
    ranked_select(docs, &sents, &score, budget)
}

fn ranked_select(docs: &[Doc], sents: &[Sent], score: &[f32], budget: usize) -> Vec<SummarySentence> {
    let mut order: Vec<usize> = (0..sents.len()).filter(|&i| sents[i].words >= MIN_WORDS).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
    select(docs, sents, order.into_iter(), budget)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_extract::extract;
    use chorus_model::Article;

    fn article(id: &str, text: &str) -> Article {
        Article { id: id.into(), text: text.into(), ..Default::default() }
    }

    #[test]
    fn centroid_cites_every_supporting_article_and_respects_budget() {
        let arts = [
            article(
                "a",
                "The river flooded the old town of Marlow on Tuesday night. Shops on the high street were closed. The mayor praised the volunteers.",
            ),
            article(
                "b",
                "Floods hit the old town of Marlow on Tuesday night after the river burst. A bakery owner said the water came fast.",
            ),
            article(
                "c",
                "The river burst its banks and flooded the old town of Marlow on Tuesday night. Schools will stay shut on Wednesday.",
            ),
        ];
        let ex: Vec<_> = arts.iter().map(|a| extract(&a.text, None)).collect();
        let docs: Vec<Doc> = arts
            .iter()
            .zip(&ex)
            .map(|(a, e)| Doc { article: a, extraction: e, independent: true, added: None })
            .collect();
        let s = centroid(&docs, 30);
        assert!(!s.is_empty());
        assert!(s[0].text.contains("Marlow"), "{:?}", s[0]);
        assert!(s[0].articles.len() >= 2, "{:?}", s[0]);
        let words: usize = s.iter().map(|x| x.text.split_whitespace().count()).sum();
        assert!(words <= 33, "{words}");
        // No two near-identical sentences.
        assert!(s.iter().filter(|x| x.text.contains("old town")).count() == 1);
    }
}
