//! Which articles are copies of which, which reuse which, and which report
//! the same event.
//!
//! Input: cleaned articles. Output: plain indices; the caller maps them to
//! ids. Nothing here reads files or renders.
//!
//! [`Clusterer`] is incremental (a stream, a store): each article is placed
//! as it arrives, in three steps:
//!
//! 1. **Copies.** The same words after cleaning (an exact hash), or a MinHash
//!    estimate of shingle Jaccard ≥ [`DUPLICATE_JACCARD`] against a candidate
//!    proposed by LSH banding, make the article a duplicate of the first
//!    article of that text.
//! 2. **Syndication.** When at least [`SYNDICATION_SHARE`] of its long
//!    sentences were already printed by earlier articles, it is derived from
//!    them (wire copy with a new lede, a light rewrite).
//! 3. **Stories.** A copy or a derived article joins its original's story.
//!    Any other article is compared, through an inverted index over the
//!    stories' top terms, with the centroids of the stories that share its
//!    best terms (stems weighted by TF-IDF, names — words capitalised inside
//!    a sentence — counting double); the cosine is discounted by the time since the story's
//!    last article; it joins the best story scoring at least [`SIMILARITY`],
//!    or opens a new one.
//!
//! Everything is deterministic: the same articles in the same order give the
//! same result in every run, on any number of threads. [`group`] is the batch
//! form used by `chorus report`: it orders the articles by publication time
//! (see [`arrival_order`]) and feeds them to a [`Clusterer`], computing the
//! per-article [`Features`] in parallel.
//!
//! The parts: `params.rs` holds the thresholds ([`Params`]); `cluster/` the
//! [`Clusterer`] — its state and an addition (`mod.rs`), copies and
//! syndication (`copies.rs`), placing an independent article in a story
//! (`place.rs`, over the sparse vectors of `sparse.rs`), retiring stories
//! past the horizon (`expire.rs`) and taking additions back (`rewind.rs`);
//! `batch.rs` the batch form ([`group`], [`Grouping`]); `features.rs` what
//! the clusterer reads of an article, `minhash.rs` its signatures,
//! `sequence.rs` a stream kept in canonical order, `time.rs` dates.

mod batch;
mod cluster;
pub mod features;
#[cfg(test)]
mod fixtures;
pub mod minhash;
mod params;
pub mod sequence;
pub mod time;

pub use batch::{Grouping, arrival_order, arrival_order_with, group, group_observed, group_ordered, group_with};
pub use cluster::{Assignment, Clusterer};
pub use features::{FEATURES_VERSION, Features};
pub use params::{
    ARTICLE_TERMS, CENTROID_TERMS, DUPLICATE_JACCARD, GRACE_DAYS, HALF_LIFE_DAYS, HORIZON_DAYS, INDEX_TERMS,
    MAX_CANDIDATES, MAX_SCAN, Params, SIMILARITY, SYNDICATION_MIN_SENTENCES, SYNDICATION_SHARE,
    SYNDICATION_SOURCE_SHARE,
};
pub use sequence::{Key, Replaced, Sequencer, TooLate};
