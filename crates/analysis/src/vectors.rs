//! Sparse stem vectors over the sentences of one story.

use chorus_text::{Stemmer, is_stopword, words};
use rustc_hash::FxHashMap;

/// A sparse vector: sorted (term id, weight) pairs.
pub type SparseVec = Vec<(u32, f32)>;

/// Interns stems of one story.
#[derive(Default)]
pub struct Vocab {
    ids: FxHashMap<String, u32>,
    /// Each word as written to its stem id and whether it is a content
    /// word: a story repeats its words thousands of times, and stemming
    /// (lower-casing, Snowball) was a tenth of building its sentence table.
    seen: FxHashMap<String, (u32, bool)>,
    stemmer: Stemmer,
}

impl Vocab {
    /// Content-word stem ids of a text (stop words and one-letter tokens left
    /// out), in order, with repeats.
    pub fn terms(&mut self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for w in words(text) {
            if w.chars().count() < 2 || is_stopword(w) {
                continue;
            }
            let s = self.stemmer.stem(w);
            let next = self.ids.len() as u32;
            out.push(*self.ids.entry(s).or_insert(next));
        }
        out
    }

    /// Every word's stem id in order, each with whether it is a content
    /// word (what [`Vocab::terms`] keeps): one stemming pass serves both
    /// the content vectors and the bigrams of the summariser.
    pub fn tokens(&mut self, text: &str) -> Vec<(u32, bool)> {
        let mut out = Vec::new();
        for w in words(text) {
            if let Some(&known) = self.seen.get(w) {
                out.push(known);
                continue;
            }
            let content = w.chars().count() >= 2 && !is_stopword(w);
            let s = self.stemmer.stem(w);
            let next = self.ids.len() as u32;
            let t = (*self.ids.entry(s).or_insert(next), content);
            self.seen.insert(w.to_string(), t);
            out.push(t);
        }
        out
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The id of a word's stem, if any text of the story has it.
    pub fn known(&mut self, word: &str) -> Option<u32> {
        let s = self.stemmer.stem(word);
        self.ids.get(&s).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Term frequencies of a term list as a sorted sparse vector.
pub fn tf(terms: &[u32]) -> SparseVec {
    let mut m: FxHashMap<u32, f32> = FxHashMap::default();
    for &t in terms {
        *m.entry(t).or_insert(0.0) += 1.0;
    }
    let mut v: SparseVec = m.into_iter().collect();
    v.sort_unstable_by_key(|&(t, _)| t);
    v
}

/// Dot product of two sorted sparse vectors.
pub fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Cosine similarity of two sorted sparse vectors.
pub fn cosine(a: &SparseVec, b: &SparseVec) -> f32 {
    let na: f32 = a.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot(a, b) / (na * nb) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_of_stemmed_sentences() {
        let mut v = Vocab::default();
        let a = tf(&v.terms("The drones attacked the city"));
        let b = tf(&v.terms("A drone attack on the city"));
        let c = tf(&v.terms("Parliament passed the budget"));
        assert!(cosine(&a, &b) > 0.6);
        assert_eq!(cosine(&a, &c), 0.0);
    }
}
