//! Cross-source analysis of one story: what the articles of a story say
//! together. Input: the story's articles with their per-article extraction
//! and whether each is independent; output: the analysis fields of the JSON
//! contract. One story at a time, no I/O.
//!
//! Order of work: merge entities across articles ([`entities`]), build the
//! sentence table once ([`story`]), group sentences into facts ([`facts`]),
//! then everything that compares articles reads those: quote variants
//! ([`quotes`]), story-level numbers ([`numbers`]), conflicts
//! ([`conflicts`], told apart from updates by the time each statement
//! speaks for: [`time`]), the story's [`timeline`], framing ([`framing`])
//! and the cited summary ([`summary`]).

pub(crate) mod agents;
pub mod attribution;
pub(crate) mod clauses;
pub mod conflicts;
mod deep;
pub mod entities;
pub mod facts;
pub mod framing;
pub mod numbers;
pub mod quotes;
mod sorted;
pub(crate) mod story;
pub mod summary;
pub mod time;
pub mod timeline;
pub mod vectors;

#[cfg(test)]
mod testkit;

use chorus_extract::Extraction;
use chorus_model::{
    Article, Conflict, Entity, Fact, Framing, NumberEntry, Quote, SummarySentence, TimelineEntry, Update,
};

pub use entities::StoryEntities;
pub use summary::Method;

/// One article of the story as the analysis sees it.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    pub article: &'a Article,
    pub extraction: &'a Extraction,
    /// False for copies and syndicated rewrites: they are shown, but support
    /// counts and rankings use independent articles only.
    pub independent: bool,
    /// When a store added the article (ISO 8601): the time an undated
    /// article speaks for. `None` in a batch run.
    pub added: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Word budget of the summary.
    pub summary_words: usize,
    /// Sentences per story the transformer tier may embed for pairs the
    /// static vectors leave undecided (about 8 ms CPU each; see
    /// `deep.rs`). 0, the default, keeps every decision on the static tier.
    pub transformer_sentences: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { summary_words: 250, transformer_sentences: 0 }
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
    pub updates: Vec<Update>,
    pub timeline: Vec<TimelineEntry>,
}

/// Analyses one story.
pub fn analyze(docs: &[Doc], opts: &Options) -> Analysis {
    let ents = entities::merge(docs);
    analyze_with(docs, &ents, opts)
}

/// Analyses one story whose entities are already merged.
pub fn analyze_with(docs: &[Doc], ents: &StoryEntities, opts: &Options) -> Analysis {
    if docs.is_empty() {
        return Analysis::default();
    }
    let mut story = story::Story::build(docs, ents);
    story.deep = deep::Deep::new(opts.transformer_sentences);
    let facts = facts::cluster(&story);
    let nums = numbers::collect(&story);
    let quote_groups = quotes::group(&story, &facts);
    let terms = framing::find(&story);
    let times = time::Times::build(&story);
    let fact_ids: Vec<String> = facts::to_model(&story, &facts).into_iter().map(|f| f.id).collect();
    let mut found = conflicts::find(&story, &facts, &nums, &quote_groups, &times, &fact_ids);
    // A fact whose value changed reads as its latest report; its id follows.
    let mut facts = facts;
    for &(f, s) in &found.latest {
        if facts.clusters.get(f).is_some_and(|c| c.members.contains(&s)) {
            facts.clusters[f].rep = s;
        }
    }
    let mut fact_models = facts::to_model(&story, &facts);
    for u in &mut found.updates {
        if let Some(k) = u.fact.as_ref().and_then(|id| fact_ids.iter().position(|x| x == id)) {
            u.fact = fact_models.get(k).map(|f| f.id.clone());
        }
    }
    timeline::first_reported(&story, &facts, &times, &mut fact_models);
    let timeline = timeline::timeline(&story, &facts, &times, &fact_models, &found.updates);
    Analysis {
        summary: summary::support(&story, &facts, &terms, &found.outdated, opts.summary_words),
        facts: fact_models,
        quotes: quote_groups.to_model(&story),
        entities: ents.entities.clone(),
        numbers: numbers::entries(&story, &nums),
        conflicts: found.conflicts,
        framing: framing::to_model(&story, &terms),
        notes: Vec::new(),
        updates: found.updates,
        timeline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_model::ConflictKind;
    use testkit::{bridge_story, docs, entities};

    fn bridge() -> Analysis {
        let (arts, ents) = bridge_story();
        let se = entities(&arts, &ents);
        analyze_with(&docs(&arts), &se, &Options::default())
    }

    #[test]
    fn shared_fact_has_its_outlets_and_unique_facts_one() {
        let a = bridge();
        let closure = a.facts.iter().find(|f| f.text.contains("close") && f.text.contains("Monday")).unwrap();
        assert!(closure.articles.len() >= 3, "{closure:?}");
        assert_eq!(closure.mentions.len(), closure.articles.len());
        assert_eq!(a.facts[0].articles.len(), a.facts.iter().map(|f| f.articles.len()).max().unwrap());
        let cracks = a.facts.iter().find(|f| f.text.contains("cracks")).unwrap();
        assert_eq!(cracks.articles, vec!["a", "c"]);
        let shops = a.facts.iter().find(|f| f.text.contains("shop owners")).unwrap();
        assert_eq!(shops.articles, vec!["d"]);
        // Ids are stable and distinct.
        let mut ids: Vec<&str> = a.facts.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(bridge().facts.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ids);
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), a.facts.len());
    }

    #[test]
    fn quote_variants_group_under_the_speaker_and_conflict_on_wording() {
        let a = bridge();
        let q = a.quotes.iter().find(|q| q.variants.len() == 2).expect("grouped quote");
        assert_eq!(q.speaker.as_deref(), Some("Ilse Brandvold"));
        assert!(q.variants.iter().any(|v| v.text.contains("falling apart")));
        assert!(q.variants.iter().any(|v| v.text.contains("pieces")));
        let c = a.conflicts.iter().find(|c| c.kind == ConflictKind::Quote).expect("quote conflict");
        assert_eq!(c.positions.len(), 2);
    }

    #[test]
    fn number_conflict_ignores_the_vague_figure() {
        let a = bridge();
        let nums: Vec<&Conflict> = a.conflicts.iter().filter(|c| c.kind == ConflictKind::Number).collect();
        assert_eq!(nums.len(), 1, "{:?}", a.conflicts);
        let p = &nums[0].positions;
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].value, "$40 million");
        assert_eq!(p[0].articles, vec!["a", "b"]);
        assert_eq!(p[1].articles, vec!["c"]);
        let forty = a.numbers.iter().find(|n| n.value == 40e6).unwrap();
        assert_eq!(forty.articles, vec!["a", "b"]);
        assert_eq!(forty.unit, "USD");
    }

    #[test]
    fn former_title_is_a_title_conflict() {
        let a = bridge();
        let t = a.conflicts.iter().find(|c| c.kind == ConflictKind::Title).expect("title conflict");
        assert_eq!(t.subject, "Ilse Brandvold");
        let former = t.positions.iter().find(|p| p.value.to_lowercase().contains("former")).unwrap();
        assert_eq!(former.articles, vec!["b"]);
        let current = t.positions.iter().find(|p| p.value == "Mayor").unwrap();
        assert_eq!(current.articles, vec!["a", "c", "d"]);
        assert!(!a.conflicts.iter().any(|c| c.kind == ConflictKind::Role), "{:?}", a.conflicts);
    }

    #[test]
    fn framing_is_the_outlets_own_voice() {
        let a = bridge();
        let c = a.framing.iter().find(|f| f.article == "c").expect("framing of c");
        assert!(c.terms.iter().any(|t| t == "apparently still furious"), "{c:?}");
        // The mayor's own words are not the outlet's framing.
        assert!(!a.framing.iter().flat_map(|f| &f.terms).any(|t| t.contains("falling") || t.contains("pieces")));
    }

    #[test]
    fn summary_leads_with_the_best_supported_fact_and_cites() {
        let a = bridge();
        assert!(!a.summary.is_empty());
        assert!(a.summary[0].text.contains("Monday"), "{:?}", a.summary);
        assert!(a.summary[0].articles.len() >= 3, "{:?}", a.summary[0]);
        let words: usize = a.summary.iter().map(|s| s.text.split_whitespace().count()).sum();
        assert!(words <= 250);
        let short = analyze_with(
            &docs(&bridge_story().0),
            &entities(&bridge_story().0, &bridge_story().1),
            &Options { summary_words: 30, ..Options::default() },
        );
        let w: usize = short.summary.iter().map(|s| s.text.split_whitespace().count()).sum();
        assert!(w <= 30 && w > 0, "{w}");
    }

    #[test]
    fn copies_are_listed_but_not_counted() {
        let (arts, ents) = bridge_story();
        let copy = testkit::Art::new("copy", &arts[3].article.text.clone());
        let mut all = arts;
        all.push(copy);
        let se = entities(&all, &ents);
        let mut ds = docs(&all);
        ds[4].independent = false;
        let a = analyze_with(&ds, &se, &Options::default());
        let shops = a.facts.iter().find(|f| f.text.contains("shop owners")).unwrap();
        assert_eq!(shops.articles, vec!["d", "copy"]);
        // Still a one-source fact: the copy adds no support, so it is not
        // ranked above two-source facts.
        let pos_shops = a.facts.iter().position(|f| f.text.contains("shop owners")).unwrap();
        let pos_cracks = a.facts.iter().position(|f| f.text.contains("cracks")).unwrap();
        assert!(pos_cracks < pos_shops);
    }

    #[test]
    fn offsets_past_their_sentence_or_text_never_panic() {
        let (mut arts, ents) = bridge_story();
        // A number running past its sentence's end, an entity past the
        // text's end, a quote starting inside a multi-byte character.
        let text_len = arts[0].article.text.len();
        let first_end = arts[0].ex.sentences[0].end;
        arts[0].ex.numbers.push(chorus_extract::NumberSpan {
            start: first_end - 3,
            end: first_end + 20,
            value: 7.0,
            unit: "USD".into(),
            noun: None,
            approximate: false,
            low: 7.0,
            high: 7.0,
            date: None,
            hedge: None,
            role: chorus_extract::numbers::Role::Value,
        });
        arts[1].ex.entities.push(chorus_extract::EntitySpan {
            start: text_len + 5,
            end: text_len + 9,
            name: "Nobody".into(),
            kind: chorus_model::EntityKind::Person,
            title: Some("former Mayor".into()),
        });
        let mut c = testkit::Art::new("é", "“Ça va,” dit-elle. Le pont ferme lundi pour des réparations importantes.");
        c.ex.quotes.push(chorus_extract::QuoteSpan { start: 1, end: 4, speaker: None, cue: None });
        arts.push(c);
        let se = entities(&arts, &ents);
        let a = analyze_with(&docs(&arts), &se, &Options::default());
        assert!(!a.facts.is_empty());
    }

    #[test]
    fn empty_and_single_article_stories() {
        assert_eq!(analyze(&[], &Options::default()), Analysis::default());
        let (arts, _) = bridge_story();
        let one = analyze(&docs(&arts[..1]), &Options::default());
        assert!(!one.summary.is_empty());
        assert!(one.conflicts.is_empty());
    }
}
