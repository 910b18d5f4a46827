//! One story analysed from its members as a store keeps them: cleaned
//! articles in arrival order, each with the copy and syndication links that
//! the incremental clusterer gave it when it arrived.
//!
//! The batch path ([`crate::report`]) groups and analyses a whole corpus at
//! once; a store re-analyses one story at a time, whenever it gains or loses
//! an article, and must give the same story the batch path gives for the
//! same articles.

use chorus_analysis::{Doc, Options as AnalysisOptions};
use chorus_model::{Article, Story};
use chorus_stories::Grouping;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use std::borrow::Cow;

use crate::{Options, as_analysed, extract_all, story_shell};

/// One article of a stored story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Member {
    /// The article after cleaning.
    pub article: Article,
    /// Id of the article this one copies, if any (it may lie outside the
    /// story).
    pub duplicate_of: Option<String>,
    /// Ids of the articles this one reuses most of.
    pub derived_from: Vec<String>,
    /// When the store added it (ISO 8601): the time an undated article
    /// speaks for.
    pub added: Option<String>,
}

/// Analyses one story from its members (first member = the opener). An
/// empty member list gives an empty story.
pub fn analyse(members: &[Member], opts: &Options) -> Story {
    if members.is_empty() {
        return Story::default();
    }
    let mut articles: Vec<Article> = members.iter().map(|m| m.article.clone()).collect();
    let mut index: FxHashMap<String, usize> = articles.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
    // Links to articles outside the story still name them by id: such an
    // article is added after the members as a bare stand-in, so that the
    // shell can map its index back to its id.
    let mut index_of = |id: &str, articles: &mut Vec<Article>| -> usize {
        if let Some(&i) = index.get(id) {
            return i;
        }
        articles.push(Article { id: id.to_string(), ..Default::default() });
        index.insert(id.to_string(), articles.len() - 1);
        articles.len() - 1
    };
    let mut duplicate_of = Vec::with_capacity(members.len());
    let mut derived_from = Vec::with_capacity(members.len());
    for m in members {
        duplicate_of.push(m.duplicate_of.as_deref().map(|d| index_of(d, &mut articles)));
        derived_from.push(m.derived_from.iter().map(|d| index_of(d, &mut articles)).collect::<Vec<_>>());
    }
    for _ in members.len()..articles.len() {
        duplicate_of.push(None);
        derived_from.push(Vec::new());
    }
    let order: Vec<usize> = (0..members.len()).collect();
    let grouping = Grouping { stories: vec![order.clone()], duplicate_of, derived_from };
    let extractions = extract_all(&articles[..members.len()]);
    let added: Vec<Option<&str>> = members.iter().map(|m| m.added.as_deref()).collect();
    analyse_group(&articles, &extractions, &grouping, &order, &added, opts)
}

/// The analysis of one group of a [`Grouping`]: its shell (articles, counts,
/// headline) and everything the cross-source analysis finds. `extractions`
/// are the members' extractions, and `added` when a store added each (empty
/// in a batch run), in the order of `members`.
pub fn analyse_group(
    articles: &[Article],
    extractions: &[chorus_extract::Extraction],
    grouping: &Grouping,
    members: &[usize],
    added: &[Option<&str>],
    opts: &Options,
) -> Story {
    let mut story = story_shell(articles, grouping, members);
    // Headline-only articles are analysed as their headlines (the
    // extractions were made from the same text: `extract_one`).
    let analysed: Vec<Cow<Article>> = members.iter().map(|&i| as_analysed(&articles[i])).collect();
    let docs: Vec<Doc> = members
        .iter()
        .zip(extractions)
        .enumerate()
        .map(|(k, (&i, extraction))| Doc {
            article: &analysed[k],
            extraction,
            independent: grouping.is_independent(i),
            added: added.get(k).copied().flatten(),
        })
        .collect();
    // A bug in the analysis must cost one story its analysis, not the whole
    // report: the story is still listed with its articles, and says why it
    // has nothing else.
    let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        chorus_analysis::analyze(
            &docs,
            &AnalysisOptions { summary_words: opts.summary_words, transformer_sentences: opts.deep_sentences },
        )
    }));
    let a = match analysed {
        Ok(a) => a,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown error");
            story.notes.push(format!(
                "The analysis of this story failed (internal error: {why}); its articles are listed without it."
            ));
            return story;
        }
    };
    story.summary = a.summary;
    story.facts = a.facts;
    story.quotes = a.quotes;
    story.entities = a.entities;
    story.numbers = a.numbers;
    story.conflicts = a.conflicts;
    story.framing = a.framing;
    story.updates = a.updates;
    story.timeline = a.timeline;
    story.notes.extend(a.notes);
    let headlines = members.iter().filter(|&&i| crate::headline_only(&articles[i])).count();
    if headlines == members.len() {
        story.notes.push(format!(
            "The {} of this story had only a headline, no text: the story is clustered, listed and analysed from headlines alone (entities, numbers, quotes, framing, a summary of headlines); a headline is not a statement of fact, so the story lists no facts.",
            if headlines == 1 { "article".to_string() } else { format!("{headlines} articles") }
        ));
    } else if headlines > 0 {
        story.notes.push(format!(
            "{headlines} of {} articles had only a headline, no text: they are clustered and listed, and analysed from their headlines alone.",
            members.len()
        ));
    }
    let mut other: Vec<&str> = members
        .iter()
        .filter(|&&i| !crate::is_english(&articles[i]))
        .filter_map(|&i| articles[i].language.as_deref())
        .collect();
    if !other.is_empty() {
        let n = other.len();
        other.sort_unstable();
        other.dedup();
        story.notes.push(format!(
            "{n} of {} articles are not in English ({}): entities, quotes, numbers and framing are extracted from English articles only; the others are still clustered, listed and summarised.",
            members.len(),
            other.join(", ")
        ));
    }
    story
}

/// Analyses several stories in parallel, keeping their order.
pub fn analyse_many(stories: &[Vec<Member>], opts: &Options) -> Vec<Story> {
    stories.par_iter().map(|m| analyse(m, opts)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: &str, source: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            path: format!("{id}.txt"),
            source: Some(source.into()),
            title: Some(format!("Title {id}")),
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn members_keep_their_links_and_counts() {
        let text = "The river rose two metres on Tuesday, the mayor said.";
        let members = vec![
            Member { article: art("a", "Valley Post", text), ..Default::default() },
            Member { article: art("b", "Hill Herald", text), duplicate_of: Some("a".into()), ..Default::default() },
            Member {
                article: art("c", "Hill Herald", "Officials opened shelters."),
                derived_from: vec!["outside".into()],
                ..Default::default()
            },
        ];
        let s = analyse(&members, &Options::default());
        assert_eq!(s.id, "a");
        assert_eq!(s.articles.len(), 3, "stand-ins for outside links are not members");
        assert_eq!(s.articles[1].duplicate_of.as_deref(), Some("a"));
        assert_eq!(s.articles[2].derived_from, vec!["outside".to_string()]);
        assert_eq!(s.articles[0].copies, 1);
        assert_eq!(s.source_count, 2);
        assert_eq!(s.independent_count, 1);
        assert_eq!(s.headline, "Title a");
    }

    #[test]
    fn headline_only_members_are_analysed_from_their_headlines_and_noted() {
        let mut head = art("h", "Hill Herald", "");
        head.title = Some("Vellmar river rises two metres in Tarnow".into());
        let members = vec![
            Member {
                article: art(
                    "a",
                    "Valley Post",
                    "The Vellmar river rose two metres in Tarnow on Tuesday, the mayor said.",
                ),
                ..Default::default()
            },
            Member { article: head, ..Default::default() },
        ];
        let s = analyse(&members, &Options::default());
        assert_eq!(s.articles.len(), 2);
        assert!(s.notes.iter().any(|n| n.starts_with("1 of 2 articles had only a headline")), "{:?}", s.notes);
        let tarnow = s.entities.iter().find(|e| e.name == "Tarnow").expect("Tarnow");
        assert_eq!(tarnow.articles.len(), 2, "the headline's names count: {:?}", s.entities);
    }

    #[test]
    fn no_members_no_story() {
        assert_eq!(analyse(&[], &Options::default()), Story::default());
    }
}
