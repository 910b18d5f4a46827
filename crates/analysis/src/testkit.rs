//! Invented stories for the unit tests: articles with hand-made
//! extractions, so the analysis is tested apart from the extractors.

use chorus_extract::numbers::Role;
use chorus_extract::{EntitySpan, Extraction, NumberSpan, QuoteSpan};
use chorus_model::{Article, Entity, EntityKind};

use crate::Doc;
use crate::entities::StoryEntities;

/// An article under construction.
pub struct Art {
    pub article: Article,
    pub ex: Extraction,
}

impl Art {
    pub fn new(id: &str, text: &str) -> Art {
        let article = Article { id: id.into(), text: text.into(), ..Default::default() };
        let ex = Extraction { sentences: chorus_text::split_sentences(text), ..Default::default() };
        Art { article, ex }
    }

    fn find(&self, s: &str, nth: usize) -> usize {
        self.article.text.match_indices(s).nth(nth).unwrap_or_else(|| panic!("{s:?} not in {}", self.article.id)).0
    }

    /// An entity mention of `surface` (its `nth` occurrence).
    pub fn entity(mut self, surface: &str, nth: usize, name: &str, kind: EntityKind, title: Option<&str>) -> Art {
        let start = self.find(surface, nth);
        self.ex.entities.push(EntitySpan {
            start,
            end: start + surface.len(),
            name: name.into(),
            kind,
            title: title.map(str::to_string),
        });
        self.ex.entities.sort_by_key(|e| e.start);
        self
    }

    pub fn quote(mut self, words: &str, speaker: Option<&str>) -> Art {
        let start = self.find(words, 0);
        self.ex.quotes.push(QuoteSpan {
            start,
            end: start + words.len(),
            speaker: speaker.map(str::to_string),
            cue: Some("said".into()),
        });
        self.ex.quotes.sort_by_key(|q| q.start);
        self
    }

    pub fn number(mut self, surface: &str, value: f64, unit: &str, noun: Option<&str>) -> Art {
        let start = self.find(surface, 0);
        self.ex.numbers.push(NumberSpan {
            start,
            end: start + surface.len(),
            value,
            unit: unit.into(),
            noun: noun.map(str::to_string),
            approximate: false,
            low: value,
            high: value,
            date: None,
            hedge: None,
            role: Role::Value,
        });
        self.ex.numbers.sort_by_key(|n| n.start);
        self
    }

    /// A vague amount ("tens of millions") with the bounds it allows.
    pub fn vague(mut self, surface: &str, low: f64, high: f64, unit: &str) -> Art {
        let start = self.find(surface, 0);
        self.ex.numbers.push(NumberSpan {
            start,
            end: start + surface.len(),
            value: low,
            unit: unit.into(),
            noun: None,
            approximate: true,
            low,
            high,
            date: None,
            hedge: None,
            role: Role::Value,
        });
        self.ex.numbers.sort_by_key(|n| n.start);
        self
    }
}

pub fn docs(arts: &[Art]) -> Vec<Doc<'_>> {
    arts.iter().map(|a| Doc { article: &a.article, extraction: &a.ex, independent: true, added: None }).collect()
}

/// Story entities by name: every mention whose `name` equals an entity's
/// name or one of its aliases maps to it.
pub fn entities(arts: &[Art], list: &[(&str, EntityKind, &[&str])]) -> StoryEntities {
    let entities: Vec<Entity> = list
        .iter()
        .map(|(name, kind, aliases)| Entity {
            name: name.to_string(),
            kind: *kind,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            articles: arts
                .iter()
                .filter(|a| a.ex.entities.iter().any(|e| e.name == *name || aliases.contains(&e.name.as_str())))
                .map(|a| a.article.id.clone())
                .collect(),
        })
        .collect();
    let mention_entity = arts
        .iter()
        .map(|a| {
            a.ex.entities
                .iter()
                .map(|e| {
                    entities.iter().position(|x| x.name == e.name || x.aliases.contains(&e.name)).unwrap_or(usize::MAX)
                })
                .collect()
        })
        .collect();
    StoryEntities { entities, mention_entity }
}

/// An invented story: four outlets on the closure of a river bridge in a
/// made-up town. Built so that every kind of cross-source finding occurs
/// once: a shared fact, unique facts, a quote translated two ways, a title
/// conflict ("former Mayor"), a number conflict ($40 million against $55
/// million for the repairs), a vague figure that is no conflict ("tens of
/// millions"), and one outlet's loaded wording.
pub type EntityList = Vec<(&'static str, EntityKind, &'static [&'static str])>;

pub fn bridge_story() -> (Vec<Art>, EntityList) {
    let a = Art::new(
        "a",
        "The Vellmar river bridge in Tarnow will close on Monday for repairs costing $40 million, Mayor Ilse Brandvold announced.\n\
         Engineers found deep cracks in two of the bridge's steel piers during an inspection last month.\n\
         “We cannot keep patching a bridge that is falling apart,” Brandvold said at the town hall.\n\
         Ferries will carry commuters across the river while the work lasts.",
    )
    .entity("Vellmar", 0, "Vellmar", EntityKind::Place, None)
    .entity("Tarnow", 0, "Tarnow", EntityKind::Place, None)
    .entity("Ilse Brandvold", 0, "Ilse Brandvold", EntityKind::Person, Some("Mayor"))
    .entity("Brandvold", 1, "Ilse Brandvold", EntityKind::Person, None)
    .quote("We cannot keep patching a bridge that is falling apart", Some("Ilse Brandvold"))
    .number("$40 million", 40e6, "USD", Some("repairs"));
    let b = Art::new(
        "b",
        "Former Mayor Ilse Brandvold said the Vellmar river bridge in Tarnow will close on Monday for repairs that will cost $40 million.\n\
         “We cannot keep repairing a bridge that is falling to pieces,” said Brandvold.\n\
         The town council approved the spending by a vote of nine to two.",
    )
    .entity("Ilse Brandvold", 0, "Ilse Brandvold", EntityKind::Person, Some("Former Mayor"))
    .entity("Vellmar", 0, "Vellmar", EntityKind::Place, None)
    .entity("Tarnow", 0, "Tarnow", EntityKind::Place, None)
    .entity("Brandvold", 1, "Ilse Brandvold", EntityKind::Person, None)
    .quote("We cannot keep repairing a bridge that is falling to pieces", Some("Ilse Brandvold"))
    .number("$40 million", 40e6, "USD", Some("repairs"));
    let c = Art::new(
        "c",
        "Tarnow will shut the Vellmar river bridge on Monday for repairs costing $55 million, Mayor Ilse Brandvold said.\n\
         Brandvold, apparently still furious at the state transport board, blamed years of neglect.\n\
         Engineers found deep cracks in the steel piers of the bridge last month.",
    )
    .entity("Tarnow", 0, "Tarnow", EntityKind::Place, None)
    .entity("Vellmar", 0, "Vellmar", EntityKind::Place, None)
    .entity("Ilse Brandvold", 0, "Ilse Brandvold", EntityKind::Person, Some("Mayor"))
    .entity("Brandvold", 1, "Ilse Brandvold", EntityKind::Person, None)
    .number("$55 million", 55e6, "USD", Some("repairs"));
    let d = Art::new(
        "d",
        "The Vellmar bridge in Tarnow closes on Monday, and the repairs will cost tens of millions, Mayor Ilse Brandvold said.\n\
         Local shop owners fear a long winter with fewer customers from across the river.",
    )
    .entity("Vellmar", 0, "Vellmar", EntityKind::Place, None)
    .entity("Tarnow", 0, "Tarnow", EntityKind::Place, None)
    .entity("Ilse Brandvold", 0, "Ilse Brandvold", EntityKind::Person, Some("Mayor"))
    .vague("tens of millions", 10e6, 100e6, "USD");
    let ents: EntityList = vec![
        ("Ilse Brandvold", EntityKind::Person, &["Brandvold"]),
        ("Tarnow", EntityKind::Place, &[]),
        ("Vellmar", EntityKind::Place, &[]),
    ];
    (vec![a, b, c, d], ents)
}
