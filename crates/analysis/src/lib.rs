//! Cross-source analysis of one story: what the articles of a story say
//! together. Input: the story's articles with their per-article extraction
//! and whether each is independent; output: the analysis fields of the JSON
//! contract. One story at a time, no I/O.

pub mod entities;
pub mod summary;
pub mod vectors;

use chorus_extract::Extraction;
use chorus_model::{Article, Conflict, Entity, Fact, Framing, NumberEntry, Quote, SummarySentence};

/// One article of the story as the analysis sees it.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    pub article: &'a Article,
    pub extraction: &'a Extraction,
    /// False for copies and syndicated rewrites: they are shown, but support
    /// counts and rankings use independent articles only.
    pub independent: bool,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Word budget of the summary.
    pub summary_words: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { summary_words: 250 }
    }
}

/// The analysis of one story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    pub summary: Vec<SummarySentence>,
    pub facts: Vec<Fact>,
    pub quotes: Vec<Quote>,
    pub entities: Vec<Entity>,
    pub numbers: Vec<NumberEntry>,
    pub conflicts: Vec<Conflict>,
    pub framing: Vec<Framing>,
    pub notes: Vec<String>,
}

/// Analyses one story.
pub fn analyze(docs: &[Doc], opts: &Options) -> Analysis {
    Analysis { summary: summary::centroid(docs, opts.summary_words), ..Default::default() }
}
