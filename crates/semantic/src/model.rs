//! The shipped static model: vocabulary and int8 rows with a scale each.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::SemanticError;
use crate::wordpiece::{basic_words, wordpiece};

static VOCAB: &str = include_str!("../data/vocab.txt");
static MODEL: &[u8] = include_bytes!("../data/model.bin");

const MAGIC: &[u8; 8] = b"CHSV0001";

/// A static embedding model: a WordPiece vocabulary and one int8 row per
/// token, with its scale (the row's largest magnitude / 127, so a row keeps
/// its length — the token's weight — through quantisation).
pub struct Model {
    vocab: FxHashMap<Box<str>, u32>,
    cont: FxHashMap<Box<str>, u32>,
    unk: Option<u32>,
    dims: usize,
    scales: Vec<f32>,
    /// rows × dims int8 values, as bytes.
    rows: &'static [u8],
}

impl Model {
    /// The model compiled into the binary, read once. The shipped files are
    /// checked by this crate's tests, so a failure here is a build that
    /// shipped a broken model: it panics with the reason.
    pub fn shipped() -> &'static Model {
        static SHIPPED: OnceLock<Model> = OnceLock::new();
        SHIPPED.get_or_init(|| match Model::from_parts(VOCAB, MODEL) {
            Ok(m) => m,
            Err(e) => panic!("the shipped semantic model is broken: {e}"),
        })
    }

    /// A model from a vocabulary (one token a line, row order) and a model
    /// file (`CHSV0001`, rows and dims as u32 LE, rows f32 LE scales, then
    /// rows × dims int8).
    pub fn from_parts(vocab: &str, bin: &'static [u8]) -> Result<Model, SemanticError> {
        let bad = |m: &str| SemanticError::Format(m.to_string());
        if bin.len() < 16 || &bin[..8] != MAGIC {
            return Err(bad("not a CHSV0001 file"));
        }
        let u32_at = |i: usize| u32::from_le_bytes([bin[i], bin[i + 1], bin[i + 2], bin[i + 3]]) as usize;
        let (n, dims) = (u32_at(8), u32_at(12));
        let need = 16usize.checked_add(n.checked_mul(4 + dims).ok_or_else(|| bad("size overflows"))?);
        if dims == 0 || need != Some(bin.len()) {
            return Err(bad("length does not match rows × dims"));
        }
        let scales: Vec<f32> =
            bin[16..16 + 4 * n].chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        // Row bytes stay in the binary's read-only data: an i8 is read as
        // `byte as i8` where it is used.
        let rows = &bin[16 + 4 * n..];
        let mut v = FxHashMap::default();
        let mut cont = FxHashMap::default();
        let mut unk = None;
        let mut count = 0usize;
        for (i, tok) in vocab.lines().enumerate() {
            count += 1;
            let id = i as u32;
            if tok == "[UNK]" {
                unk = Some(id);
            }
            match tok.strip_prefix("##") {
                Some(rest) if !rest.is_empty() => cont.entry(rest.into()).or_insert(id),
                _ => v.entry(tok.into()).or_insert(id),
            };
        }
        if count != n {
            return Err(SemanticError::Format(format!("{count} vocabulary lines for {n} rows")));
        }
        Ok(Model { vocab: v, cont, unk, dims, scales, rows })
    }

    /// Dimensions of a vector.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Token ids of a text, unknown tokens left out.
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 4 + 1);
        basic_words(text, |w| wordpiece(w, &self.vocab, &self.cont, self.unk, &mut out));
        if let Some(u) = self.unk {
            out.retain(|&t| t != u);
        }
        out
    }

    /// How much a word weighs in a sentence vector: the largest row length
    /// of its WordPiece tokens. Distillation folds the SIF weight into each
    /// row's length (a token's weight falls the more frequent it is), so
    /// this is general-language rarity: "want", "know", "people" weigh
    /// little, "classified", "rebuild" much. 0 for a word with no known
    /// token.
    pub fn weight(&self, word: &str) -> f32 {
        self.tokenize(word)
            .iter()
            .map(|&t| {
                let t = t as usize;
                let row = &self.rows[t * self.dims..(t + 1) * self.dims];
                self.scales[t] * row.iter().map(|&q| f32::from(q as i8).powi(2)).sum::<f32>().sqrt()
            })
            .fold(0.0, f32::max)
    }

    /// The sentence vector of a text: mean of its tokens' rows, unit
    /// length; all zeros when no token is known.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        let mut v = vec![0f32; self.dims];
        self.embed_into(text, &mut v);
        v
    }

    /// [`Model::embed`] into a buffer of [`Model::dims`] floats (so a table
    /// of sentences is one allocation); returns whether any token was known.
    pub fn embed_into(&self, text: &str, out: &mut [f32]) -> bool {
        out.iter_mut().for_each(|x| *x = 0.0);
        let ids = self.tokenize(text);
        for &id in &ids {
            let id = id as usize;
            let s = self.scales[id];
            let row = &self.rows[id * self.dims..(id + 1) * self.dims];
            for (o, &q) in out.iter_mut().zip(row) {
                *o += s * f32::from(q as i8);
            }
        }
        // The mean's length does not matter once normalised.
        let norm = out.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm == 0.0 {
            return false;
        }
        out.iter_mut().for_each(|x| *x /= norm);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_weighs_less_the_commoner_it_is() {
        let m = Model::shipped();
        // Common words of speech weigh little, the words that say what a
        // sentence is about much; a word outside the vocabulary nothing.
        for common in ["the", "want", "know", "get", "people", "country"] {
            for rare in ["rebuild", "classified", "complicity", "turnout"] {
                assert!(m.weight(common) < m.weight(rare), "{common} {rare}");
            }
        }
        assert_eq!(m.weight(""), 0.0);
    }

    #[test]
    fn shipped_model_reads() {
        let m = Model::shipped();
        assert_eq!(m.dims(), 256);
        assert!(m.unk.is_some());
        let ids = m.tokenize("Zelensky offered to resign.");
        assert!(ids.len() >= 4, "{ids:?}");
    }

    #[test]
    fn tokenises_as_the_python_tokenizer_does() {
        // Ids from the distilled model's `tokenizers` tokenizer
        // (`encode(text, add_special_tokens=False)`, unknown tokens dropped).
        let ids = Model::shipped().tokenize("Zelenskyy’s “offer”, Café—NATO! $500 billion");
        assert_eq!(ids, [26841, 6773, 4877, 1103, 524, 58, 526, 2752, 527, 13, 6671, 520, 9082, 2, 5, 2159, 3554]);
    }
}
