//! The thresholds of story clustering, each with why it has its value, and
//! [`Params`], which carries them into a [`Clusterer`](crate::Clusterer) so
//! that a benchmark can vary one (`bench-stories score … --similarity`)
//! without touching the others.

/// Estimated shingle Jaccard from which two texts are the same article (a
/// near copy): republished copies differ by a re-worded headline, a dropped
/// paragraph, a correction or site furniture the cleaner missed, which on a
/// news-length text keeps Jaccard well above 0.8, while two outlets writing
/// on one event in their own words stay far below 0.3.
pub const DUPLICATE_JACCARD: f32 = 0.8;

/// Share of an article's long sentences found in earlier articles from which
/// it is derived from them: "reuses most of another's sentences". Half is the
/// plain reading of "most" and leaves room for a new lede and ending.
pub const SYNDICATION_SHARE: f32 = 0.5;

/// An earlier article is named in `derived_from` when it supplied at least
/// this share of the article's long sentences; smaller contributors are
/// quotes of a shared statement rather than a source.
pub const SYNDICATION_SOURCE_SHARE: f32 = 0.25;

/// At least this many reused sentences before an article counts as derived:
/// one shared sentence is a shared quote or a press-release line.
pub const SYNDICATION_MIN_SENTENCES: usize = 2;

/// Cosine (after time decay) from which an article joins a story. Two reports
/// of one event share its names, places and key nouns, which lifts the
/// cosine of an article with its story's centroid to 0.3 and more; articles
/// on unrelated events share only generic news words, which IDF pushes below
/// 0.1. The value sits between, nearer the low side because a missed join
/// splits a story for good while a centroid absorbs a stray article. On the
/// dev set in canonical order BCubed F1 is 0.929 at 0.10 and 0.12 and 0.928
/// at 0.15, then falls (0.867 at 0.18) as recall drops: 0.15 is the
/// plateau's upper end, kept for its precision.
pub const SIMILARITY: f32 = 0.15;

/// Articles within this many days of a story's newest (or before its
/// oldest) article are compared undiscounted: one news cycle, with room for
/// time zones and late pick-ups.
pub const GRACE_DAYS: f32 = 2.0;

/// Beyond the grace period the similarity halves every this many days, so a
/// developing story can go quiet for a week and still absorb a clear
/// follow-up, while a vaguer one opens a new story.
pub const HALF_LIFE_DAYS: f32 = 7.0;

/// A story with no article for this many days no longer takes new ones (a
/// new development a month later is a new story), and leaves the index, so
/// that a long stream keeps a bounded set of live stories.
pub const HORIZON_DAYS: f32 = 30.0;

/// An article's vector keeps its strongest terms only: past the first 150
/// (a long article has 300 to 600 distinct stems), terms are incidental
/// words whose weight is a rounding error in the cosine but whose centroid
/// entries cost memory.
pub const ARTICLE_TERMS: usize = 150;

/// A story centroid keeps this many terms: room for the several facets a
/// developing story gains, bounded so a thousand-article story costs no more
/// than a few articles.
pub const CENTROID_TERMS: usize = 500;

/// Candidate stories are looked up by the article's strongest terms among
/// those that index some story, and indexed by their centroid's strongest
/// terms. Two reports of one event share several of their top twenty
/// terms. Terms that index no story are left out of the query: under IDF
/// the heaviest terms of a long article are often words no earlier article
/// used (names, figures, asides), which cannot propose a candidate; taken
/// first, they pushed the story's own words out of the query, and on
/// clustering-dev one article in twenty found no candidate at all (BCubed
/// F1 0.907 → 0.928 with them left out, the same for 10 to 40 terms).
pub const INDEX_TERMS: usize = 20;

/// At most this many stories are read from one posting list, newest first:
/// a term common to thousands of live stories (possible only without dates,
/// when nothing expires) is a weak clue, and the other query terms still
/// find the right story.
pub const MAX_SCAN: usize = 1000;

/// Exact cosines are computed for at most this many candidates, those sharing
/// the most query weight.
pub const MAX_CANDIDATES: usize = 32;

/// The thresholds of one [`Clusterer`](crate::Clusterer); [`Default`] gives
/// the documented constants of this module.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub duplicate_jaccard: f32,
    pub syndication_share: f32,
    pub syndication_source_share: f32,
    pub syndication_min_sentences: usize,
    pub similarity: f32,
    pub grace_days: f32,
    pub half_life_days: f32,
    pub horizon_days: f32,
    pub article_terms: usize,
    pub centroid_terms: usize,
    pub index_terms: usize,
    pub max_scan: usize,
    pub max_candidates: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            duplicate_jaccard: DUPLICATE_JACCARD,
            syndication_share: SYNDICATION_SHARE,
            syndication_source_share: SYNDICATION_SOURCE_SHARE,
            syndication_min_sentences: SYNDICATION_MIN_SENTENCES,
            similarity: SIMILARITY,
            grace_days: GRACE_DAYS,
            half_life_days: HALF_LIFE_DAYS,
            horizon_days: HORIZON_DAYS,
            article_terms: ARTICLE_TERMS,
            centroid_terms: CENTROID_TERMS,
            index_terms: INDEX_TERMS,
            max_scan: MAX_SCAN,
            max_candidates: MAX_CANDIDATES,
        }
    }
}
