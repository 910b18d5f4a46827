//! Extractive summaries with citations.
//!
//! [`centroid`] is the classic centroid summariser (Radev et al., 2004): it
//! scores each sentence by how much of the story's central vocabulary it
//! carries, takes the best in turn, and skips any too similar to one already
//! taken. It is the baseline and the fallback; every sentence cites the
//! articles that carry a sentence saying the same.

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
            let s = &text[r.clone()];
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
        let docs: Vec<Doc> =
            arts.iter().zip(&ex).map(|(a, e)| Doc { article: a, extraction: e, independent: true }).collect();
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
