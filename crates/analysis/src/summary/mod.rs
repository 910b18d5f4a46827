//! Extractive summaries with citations.
//!
//! [`Method::Support`] is chorus's summariser; [`Method::Centroid`],
//! [`Method::LexRank`] and [`Method::TextRank`] are the classic unsupervised
//! baselines, kept for comparison (`bench-analysis --compare`) and as
//! fallbacks.
//!
//! - Centroid (Radev et al., 2004): sentences carrying most of the story's
//!   central tf-idf vocabulary.
//! - LexRank (Erkan & Radev, 2004): PageRank over the sentence cosine graph.
//! - TextRank (Mihalcea & Tarau, 2004): PageRank over word-overlap
//!   similarity normalised by sentence lengths.
//! - Support (ours): concept coverage in the manner of Gillick & Favre's
//!   ICSI summariser (2009), with concepts weighted by *independent*
//!   support. A concept is a stemmed word bigram; its weight is the number
//!   of independent articles that use it, plus a bonus for articles that
//!   use it in their lead, where news puts the event. Sentences are chosen
//!   greedily to cover the most weight per word, a chosen sentence's
//!   concepts stop counting (which removes redundancy without a similarity
//!   threshold), and at most one sentence is taken per fact. Bigram
//!   coverage is what ROUGE-2 measures, and a bigram many independent
//!   outlets use is one a human summariser is likely to use too; the
//!   centroid and graph methods reward central *vocabulary*, which favours
//!   long, generic sentences and repeats one point in several wordings.
//!
//! Every sentence cites the articles that report the same fact.

mod baselines;
mod support;

use chorus_model::SummarySentence;

use crate::Doc;
use crate::story::Story;

pub use baselines::{MIN_WORDS, REDUNDANCY, SUPPORT, centroid, lexrank, textrank};
pub(crate) use support::support;
pub use support::{
    LEAD, LEAD_BONUS, LENGTH_COST, LOADED_PENALTY, MAX_QUOTED_SHARE, POSITION, REFERENCE_PENALTY, RESTATED_SHARE,
    SUPPORT_MAX_WORDS, SUPPORT_MIN_WORDS,
};

/// Which summariser to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Independent-support concept coverage (chorus's own).
    #[default]
    Support,
    Centroid,
    LexRank,
    TextRank,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Support, Method::Centroid, Method::LexRank, Method::TextRank];

    pub fn name(self) -> &'static str {
        match self {
            Method::Support => "support",
            Method::Centroid => "centroid",
            Method::LexRank => "lexrank",
            Method::TextRank => "textrank",
        }
    }
}

/// The summary of a story by a given method, within `budget` words.
pub fn summarize(docs: &[Doc], budget: usize, method: Method) -> Vec<SummarySentence> {
    match method {
        Method::Centroid => centroid(docs, budget),
        Method::LexRank => lexrank(docs, budget),
        Method::TextRank => textrank(docs, budget),
        Method::Support => {
            let ents = crate::entities::merge(docs);
            let story = Story::build(docs, &ents);
            let facts = crate::facts::cluster(&story);
            let terms = crate::framing::find(&story);
            support(&story, &facts, &terms, &[], budget)
        }
    }
}
