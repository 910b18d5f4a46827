//! Text primitives shared by the later stages: normalisation, sentence
//! splitting, tokens, British and American spellings, stems and stop words.
//!
//! All positions are byte offsets into the `&str` given; [`CharIndex`] turns
//! them into the Unicode code-point offsets that chorus's JSON output uses.
//! Nothing here allocates per character on the hot path: the stages above call
//! these functions on every sentence of every article.

pub mod calendar;
pub mod fold;
pub mod normalize;
pub mod offsets;
pub mod predicates;
pub mod sentences;
pub mod spelling;
pub mod stem;
pub mod stopwords;
pub mod tokens;

pub use fold::{push_lowercase, words_key};
pub use normalize::normalize;
pub use offsets::CharIndex;
pub use sentences::split_sentences;
pub use stem::{Stemmer, stem};
pub use stopwords::is_stopword;
pub use tokens::{Token, TokenKind, tokens, tokens_into, words};
