//! Sentence vectors: "is this the same thing, in other words?"
//!
//! The static tier ([`Model`], [`embed`]) is a Model2Vec distillation of
//! the all-MiniLM-L6-v2 sentence transformer (Apache-2.0; see
//! `data/NOTICE`): one 256-dimensional vector
//! per WordPiece token of its uncased vocabulary, each the transformer's
//! output for that token alone, reduced by PCA and weighted down the more
//! frequent the token (SIF). A sentence's vector is the mean of its tokens'
//! vectors, normalised. That keeps what the transformer learnt about which
//! words mean alike ("labelled" / "called", "rebuilt" / "rebuild") at the
//! cost of a table look-up per token: no attention, no word order, so two
//! sentences with the same words in another order, or negated, score alike.
//! Callers blend it with what they know (entities, numbers, stems).
//!
//! The transformer tier, [`Encoder`], is all-MiniLM-L6-v2 itself (int8
//! weights, the forward pass by hand): it reads word order and negation and
//! matches PyTorch's vectors (cosine ≥ 0.99), at about 8 ms of CPU a
//! sentence against the static tier's 3 µs, so callers use it for the pairs
//! the static vectors leave undecided, or for small inputs.
//!
//! Both models are compiled in (`include_bytes!`): nothing is read or
//! downloaded at run time. `scripts/semantic/distill.py` and
//! `scripts/semantic/quantise_transformer.py` rebuild them.

mod encoder;
mod model;
mod wordpiece;

pub use encoder::Encoder;
pub use model::Model;
pub use wordpiece::{basic_words, wordpiece};

/// Why a model could not be read: only a malformed model file (the shipped
/// one is checked by a test).
#[derive(Debug, thiserror::Error)]
pub enum SemanticError {
    #[error("model file: {0}")]
    Format(String),
}

/// The sentence vector of a text under the shipped model: unit length, or
/// all zeros when no token of the text is in the vocabulary.
pub fn embed(text: &str) -> Vec<f32> {
    Model::shipped().embed(text)
}

/// Cosine of two vectors (of equal length); 0 when either is all zeros.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut d, mut na, mut nb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        d += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 { 0.0 } else { d / (na.sqrt() * nb.sqrt()) }
}

/// Dot product: the cosine of two vectors [`embed`] returned (unit length).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
