//! Entities of a story: per-article mentions merged across articles, with
//! every surface form kept as an alias.
//!
//! Each article has already resolved its own partial mentions ("Marlow" →
//! "Ada Marlow", "the Norwegian president" → the person it titled so; see
//! `chorus_extract::entities`). Across articles, names are merged when:
//!
//! 1. **Spelling**: their variant keys agree word for word
//!    ([`alias::name_key`]: transliteration rules such as -iy/-ii/-y, -iia/-ia,
//!    kh/h, ts/tz, doubled letters, accents, possessives), ignoring initials
//!    ("Ada J. Marlow" = "Ada Marlow");
//! 2. **One letter off**: two multi-word person names with the same first
//!    word and last words one edit apart, both long
//!    ([`alias::similar_word_keys`]);
//! 3. **Partial names**: a one-word name, or a shorter tail of a name ("von
//!    der Heyden"), that no article resolved, joins the person whose name ends
//!    with it, when one such person clearly dominates the story
//!    ([`SURNAME_DOMINANCE`]); a one-word name that ends no full name
//!    joins, by the same test, the person whose name begins with it (a
//!    given name, as the Malay or Indonesian press writes "Mr Najib");
//! 4. **Title only**: a title the article could not resolve ("the Norwegian
//!    President") joins the one person another article gives that title;
//! 5. **Acronyms**: an all-capitals name joins the organisation whose
//!    initials it spells.
//!
//! **Canonical name**: among the full names (more than one word) in the
//! group, the one written by the most independent articles; ties go to the
//! name in the most articles, then the longer one, then the one seen first.
//! A group with no full name uses the same rule over its one-word names.
//! **Kind**: the kind most mentions were given, "other" only when nothing
//! else was.

use chorus_extract::EntitySpan;
use chorus_extract::entities::{alias, parse_title};
use chorus_extract::gender::{self, Gender};
use chorus_model::{Entity, EntityKind};
use rustc_hash::{FxHashMap, FxHashSet};

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
    /// to, if any: an exact name or alias first, then the same spelling key
    /// ("Kovalskiy’s" finds "Kovalskyy").
    pub fn lookup(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.entities.iter().position(|e| e.name == name || e.aliases.iter().any(|a| a == name)) {
            return Some(i);
        }
        let key = alias::name_key(name);
        if key.is_empty() {
            return None;
        }
        self.entities
            .iter()
            .position(|e| alias::name_key(&e.name) == key || e.aliases.iter().any(|a| alias::name_key(a) == key))
    }

    /// The titles each article gives entity `entity`, as written, with the
    /// index of the doc that gives it: what a title conflict compares.
    pub fn titles(&self, docs: &[Doc], entity: usize) -> Vec<(usize, String)> {
        let mut out: Vec<(usize, String)> = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            let Some(ids) = self.mention_entity.get(d) else { continue };
            for (m, e) in doc.extraction.entities.iter().enumerate() {
                if ids.get(m) == Some(&entity)
                    && let Some(t) = &e.title
                    && !out.iter().any(|(od, ot)| *od == d && ot == t)
                {
                    out.push((d, t.clone()));
                }
            }
        }
        out
    }
}

/// A one-word name joins the full name ending with it only when that
/// person has at least this many times the mentions of any other full name
/// ending with it: "Marlow" in a story about Ada Marlow with one passing
/// mention of her brother Tom Marlow is Ada, but with two Marlows in equal
/// measure it is left alone.
pub const SURNAME_DOMINANCE: usize = 2;

/// One distinct name in the story (grouped by spelling key).
struct Node {
    /// Word keys without initials.
    words: Vec<String>,
    /// The names as the articles wrote them, with their first appearance.
    names: Vec<String>,
    mentions: usize,
    kinds: [usize; 4],
    /// All its mentions are titles without a name.
    title_only: bool,
    /// A surname some article wrote after a courtesy title ("Mrs. Obama")
    /// that article could not resolve: the gender it gives.
    courtesy: Option<Gender>,
}

impl Node {
    fn kind(&self) -> EntityKind {
        let order = [EntityKind::Person, EntityKind::Organization, EntityKind::Place];
        let best = (0..3).max_by_key(|&i| (self.kinds[i], 3 - i)).unwrap_or(0);
        if self.kinds[best] > 0 { order[best] } else { EntityKind::Other }
    }

    /// The usual gender of the given name its first name starts with.
    fn given_gender(&self) -> Option<Gender> {
        self.names.first().and_then(|m| m.split_whitespace().next()).and_then(gender::of_given_name)
    }

    fn is_person_like(&self) -> bool {
        matches!(self.kind(), EntityKind::Person | EntityKind::Other)
    }
}

fn kind_index(k: EntityKind) -> usize {
    match k {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
        EntityKind::Other => 3,
    }
}

/// Word keys of a name without initials ("Ada J. Marlow" → ada, marlow).
fn core_words(name: &str) -> Vec<String> {
    let name = alias::strip_possessive(name);
    let words: Vec<String> = name.split_whitespace().map(alias::word_key).filter(|w| !w.is_empty()).collect::<Vec<_>>();
    let core: Vec<String> = words.iter().filter(|w| w.chars().count() > 1).cloned().collect();
    if core.is_empty() { words } else { core }
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller index as root so results do not depend on
            // the order of unions.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// Merges the entity mentions of all docs of a story.
pub fn merge(docs: &[Doc]) -> StoryEntities {
    // Distinct names by spelling key.
    let mut node_of: FxHashMap<String, usize> = FxHashMap::default();
    let mut nodes: Vec<Node> = Vec::new();
    let mut mention_node: Vec<Vec<usize>> = Vec::with_capacity(docs.len());
    for doc in docs {
        let mut ids = Vec::with_capacity(doc.extraction.entities.len());
        for e in &doc.extraction.entities {
            let name = clean_name(&e.name);
            let words = core_words(&name);
            let title_only = e.is_title_only();
            // An unresolved surname after "Mr." or "Mrs." is a man or a
            // woman of that name, kept apart from the same surname written
            // bare so that it joins a full name of its gender.
            let courtesy = (words.len() == 1 && !title_only)
                .then_some(e.title.as_deref())
                .flatten()
                .and_then(|t| gender::of_honorific(&t.trim_end_matches('.').to_lowercase()));
            // Title-only mentions never share a node with a real name.
            let key = format!(
                "{}{}{}",
                if title_only { "#" } else { "" },
                words.join(" "),
                match courtesy {
                    Some(Gender::Male) => "#m",
                    Some(Gender::Female) => "#f",
                    _ => "",
                }
            );
            let id = *node_of.entry(key).or_insert_with(|| {
                nodes.push(Node { words, names: Vec::new(), mentions: 0, kinds: [0; 4], title_only, courtesy });
                nodes.len() - 1
            });
            let n = &mut nodes[id];
            n.mentions += 1;
            n.kinds[kind_index(e.kind)] += 1;
            if !n.names.contains(&name) {
                n.names.push(name);
            }
            ids.push(id);
        }
        mention_node.push(ids);
    }
    let mut dsu = Dsu((0..nodes.len()).collect());
    let full_persons: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].words.len() >= 2 && nodes[i].kind() == EntityKind::Person && !nodes[i].title_only)
        .collect();

    // 2. One letter off: same first word, similar long last word (and same
    // number of words).
    let mut by_first: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for &i in &full_persons {
        by_first.entry(nodes[i].words[0].as_str()).or_default().push(i);
    }
    for group in by_first.values() {
        for (x, &a) in group.iter().enumerate() {
            for &b in &group[x + 1..] {
                let (wa, wb) = (&nodes[a].words, &nodes[b].words);
                let same_shape = wa.len() == wb.len()
                    && wa[..wa.len() - 1] == wb[..wb.len() - 1]
                    && alias::similar_word_keys(&wa[wa.len() - 1], &wb[wb.len() - 1]);
                if same_shape {
                    dsu.union(a, b);
                }
            }
        }
    }

    // 3. Partial names: tails of full person names.
    let mut by_last: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for &i in &full_persons {
        by_last.entry(nodes[i].words.last().map_or("", String::as_str)).or_default().push(i);
    }
    // Full names some article writes by their last word without the first
    // ("Razak", "Mr. Razak" for Najib Razak, resolved within the article).
    let mut shortened: FxHashSet<String> = FxHashSet::default();
    for doc in docs {
        for e in &doc.extraction.entities {
            let name = clean_name(&e.name);
            let surface = doc.article.text.get(e.start..e.end).map(alias::strip_possessive);
            // "Razak", "Mr. Razak": the last word without the first.
            if let (Some((first, last)), Some(surface)) =
                (name.split_once(' ').zip(name.rsplit_once(' ')).map(|(f, l)| (f.0, l.1)), surface)
                && surface.split_whitespace().last() == Some(last)
                && !surface.split_whitespace().any(|w| w == first)
            {
                shortened.insert(name);
            }
        }
    }
    let mut joins = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        if n.title_only || !n.is_person_like() || n.words.is_empty() {
            continue;
        }
        let tails: Vec<usize> = by_last
            .get(n.words.last().map_or("", String::as_str))
            .into_iter()
            .flatten()
            .copied()
            .filter(|&c| c != i && nodes[c].words.len() > n.words.len() && nodes[c].words.ends_with(&n.words))
            .filter(|&c| !n.courtesy.zip(nodes[c].given_gender()).is_some_and(|(want, given)| want != given))
            .collect();
        if !tails.is_empty() {
            joins.push((i, tails));
            continue;
        }
        // 3b. A one-word person's name that ends no full name but begins
        // one: the given name by which many languages' press names a
        // person ("Mr Najib" for Najib Razak), or an informal mention. Only
        // a full name the story also shortens to its last word ("Razak",
        // "Mr. Jagger") is a person's name of given name and surname: a
        // capitalised phrase taken for a person ("Trump Train", "Obama
        // White House") is not, and its first word is someone else.
        // A one-word core written with an initial ("K Wilson") is another
        // given name.
        if n.words.len() == 1 && n.kind() == EntityKind::Person && n.names.iter().all(|m| !m.contains(' ')) {
            let heads: Vec<usize> = by_first
                .get(n.words[0].as_str())
                .into_iter()
                .flatten()
                .copied()
                .filter(|&c| nodes[c].names.iter().any(|name| shortened.contains(name.as_str())))
                .collect();
            if !heads.is_empty() {
                joins.push((i, heads));
            }
        }
    }
    for (i, fits) in joins {
        // Mentions per distinct person (after spelling merges).
        let mut per_root: FxHashMap<usize, usize> = FxHashMap::default();
        for c in fits {
            *per_root.entry(dsu.find(c)).or_default() += nodes[c].mentions;
        }
        let mut counts: Vec<(usize, usize)> = per_root.into_iter().collect();
        counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let dominant = counts.len() == 1 || counts[0].1 >= SURNAME_DOMINANCE * counts[1].1;
        if dominant {
            dsu.union(i, counts[0].0);
        }
    }

    // A courtesy surname that found no full name of its gender is the same
    // name as the bare surname, unless that went to someone of the other
    // gender ("Mr. Obama" in a story that names only Michelle Obama).
    // Groups as they stand, read once: their sizes and the genders of
    // their full names (the joins below add only one-word names).
    if nodes.iter().any(|n| n.courtesy.is_some()) {
        let roots: Vec<usize> = (0..nodes.len()).map(|j| dsu.find(j)).collect();
        let mut size = vec![0usize; nodes.len()];
        let mut full_genders = vec![[false; 2]; nodes.len()];
        for (j, n) in nodes.iter().enumerate() {
            size[roots[j]] += 1;
            match n.given_gender().filter(|_| n.words.len() > 1) {
                Some(Gender::Male) => full_genders[roots[j]][0] = true,
                Some(Gender::Female) => full_genders[roots[j]][1] = true,
                _ => {}
            }
        }
        for (i, n) in nodes.iter().enumerate() {
            let Some(want) = n.courtesy else { continue };
            if roots[i] != i || size[i] > 1 {
                continue;
            }
            let Some(&bare) = node_of.get(&n.words.join(" ")) else { continue };
            let [male, female] = full_genders[roots[bare]];
            let other = match want {
                Gender::Male => female,
                Gender::Female => male,
                Gender::Unknown => male || female,
            };
            if !other {
                dsu.union(i, bare);
            }
        }
    }

    // 4. Title-only mentions: the one person another article titles so.
    let mut titled: Vec<(usize, chorus_extract::entities::TitleParts)> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for (m, e) in doc.extraction.entities.iter().enumerate() {
            let id = mention_node[d][m];
            if let Some(t) = &e.title
                && !e.is_title_only()
                && nodes[id].kind() == EntityKind::Person
            {
                titled.push((id, parse_title(t)));
            }
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        if !node.title_only {
            continue;
        }
        let want = parse_title(node.names.first().map_or("", String::as_str));
        if want.role.is_empty() {
            continue;
        }
        let mut roots: FxHashSet<usize> = FxHashSet::default();
        let matching: Vec<usize> = titled
            .iter()
            .filter(|(_, t)| t.role == want.role && (want.country.is_none() || t.country == want.country))
            .map(|(id, _)| *id)
            .collect();
        for id in &matching {
            roots.insert(dsu.find(*id));
        }
        if roots.len() == 1
            && let Some(&r) = roots.iter().next()
        {
            dsu.union(i, r);
        }
    }

    // 5. Acronyms.
    let orgs: Vec<(String, usize)> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind() == EntityKind::Organization && n.words.len() >= 2)
        .filter_map(|(i, n)| n.names.first().map(|name| (initials(name), i)))
        .collect();
    for (i, node) in nodes.iter().enumerate() {
        let Some(name) = node.names.first() else { continue };
        if node.words.len() != 1 || name.chars().count() < 2 || !name.chars().all(char::is_uppercase) {
            continue;
        }
        let hits: Vec<usize> = orgs.iter().filter(|(ini, _)| ini == name).map(|(_, o)| *o).collect();
        if hits.len() == 1 {
            dsu.union(i, hits[0]);
        }
    }

    build(docs, &nodes, &mention_node, &mut dsu)
}

/// A name as given, without a possessive and with single spaces.
fn clean_name(name: &str) -> String {
    alias::strip_possessive(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// A surface form's count and first appearance (doc, mention).
type SurfaceUse = (usize, (usize, usize));

/// Per-group statistics of one written name.
#[derive(Default)]
struct NameUse {
    indep_docs: FxHashSet<usize>,
    docs: FxHashSet<usize>,
    mentions: usize,
    first: (usize, usize),
    words: usize,
    title_only: bool,
}

fn build(docs: &[Doc], nodes: &[Node], mention_node: &[Vec<usize>], dsu: &mut Dsu) -> StoryEntities {
    // Groups in order of first appearance.
    let mut group_of: FxHashMap<usize, usize> = FxHashMap::default();
    let mut groups: Vec<Group> = Vec::new();
    let mut mention_group: Vec<Vec<usize>> = Vec::with_capacity(docs.len());
    for (d, doc) in docs.iter().enumerate() {
        let text = doc.article.text.as_str();
        let mut ids = Vec::with_capacity(doc.extraction.entities.len());
        for (m, e) in doc.extraction.entities.iter().enumerate() {
            let root = dsu.find(mention_node[d][m]);
            let g = *group_of.entry(root).or_insert_with(|| {
                groups.push(Group::new((d, m)));
                groups.len() - 1
            });
            groups[g].add(doc, d, m, e, text, &nodes[mention_node[d][m]]);
            ids.push(g);
        }
        mention_group.push(ids);
    }
    // Entities in order of independent support, then mentions, then first
    // appearance.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| {
        let (ga, gb) = (&groups[a], &groups[b]);
        gb.indep_docs
            .len()
            .cmp(&ga.indep_docs.len())
            .then(gb.docs.len().cmp(&ga.docs.len()))
            .then(gb.mentions.cmp(&ga.mentions))
            .then(ga.first.cmp(&gb.first))
    });
    let mut rank = vec![0; groups.len()];
    for (r, &g) in order.iter().enumerate() {
        rank[g] = r;
    }
    let entities = order
        .iter()
        .map(|&g| {
            let gr = &groups[g];
            let articles: Vec<String> = {
                let mut ds: Vec<usize> = gr.docs.iter().copied().collect();
                ds.sort_unstable();
                ds.into_iter().map(|d| docs[d].article.id.clone()).collect()
            };
            Entity { name: gr.canonical(), kind: gr.kind(), aliases: gr.aliases(), articles }
        })
        .collect();
    let mention_entity = mention_group.into_iter().map(|ids| ids.into_iter().map(|g| rank[g]).collect()).collect();
    StoryEntities { entities, mention_entity }
}

struct Group {
    first: (usize, usize),
    names: FxHashMap<String, NameUse>,
    /// Surface forms with their count and first appearance.
    surfaces: FxHashMap<String, SurfaceUse>,
    kinds: [usize; 4],
    docs: FxHashSet<usize>,
    indep_docs: FxHashSet<usize>,
    mentions: usize,
}

impl Group {
    fn new(first: (usize, usize)) -> Group {
        Group {
            first,
            names: FxHashMap::default(),
            surfaces: FxHashMap::default(),
            kinds: [0; 4],
            docs: FxHashSet::default(),
            indep_docs: FxHashSet::default(),
            mentions: 0,
        }
    }

    fn add(&mut self, doc: &Doc, d: usize, m: usize, e: &EntitySpan, text: &str, node: &Node) {
        self.mentions += 1;
        self.kinds[kind_index(e.kind)] += 1;
        self.docs.insert(d);
        if doc.independent {
            self.indep_docs.insert(d);
        }
        let name = clean_name(&e.name);
        let u = self.names.entry(name).or_insert_with(|| NameUse { first: (d, m), ..Default::default() });
        u.mentions += 1;
        u.docs.insert(d);
        if doc.independent {
            u.indep_docs.insert(d);
        }
        u.words = node.words.len();
        u.title_only = e.is_title_only();
        let mut add_surface = |s: String| {
            if s.is_empty() {
                return;
            }
            let entry = self.surfaces.entry(s).or_insert((0, (d, m)));
            entry.0 += 1;
        };
        if let Some(surface) = text.get(e.start..e.end) {
            let surface = clean_name(surface);
            // "President Marlow", "Dr. Quirke": a one-word title written
            // right before the name is part of how it was written.
            if let Some(t) = e.title.as_deref()
                && !t.contains(' ')
                && t.chars().next().is_some_and(char::is_uppercase)
                && !e.is_title_only()
                && text.get(..e.start).is_some_and(|before| {
                    before
                        .strip_suffix(' ')
                        .is_some_and(|b| b.ends_with(t) && !b[..b.len() - t.len()].ends_with(char::is_alphanumeric))
                })
            {
                add_surface(format!("{t} {surface}"));
            }
            add_surface(surface);
        }
    }

    fn kind(&self) -> EntityKind {
        let order = [EntityKind::Person, EntityKind::Organization, EntityKind::Place];
        let best = (0..3).max_by_key(|&i| (self.kinds[i], 3 - i)).unwrap_or(0);
        if self.kinds[best] > 0 { order[best] } else { EntityKind::Other }
    }

    fn canonical(&self) -> String {
        let any_real = self.names.values().any(|u| !u.title_only);
        let any_full = self.names.values().any(|u| !u.title_only && u.words >= 2);
        self.names
            .iter()
            .filter(|(_, u)| !any_real || !u.title_only)
            .filter(|(_, u)| !any_full || u.words >= 2)
            .max_by(|(na, a), (nb, b)| {
                a.indep_docs
                    .len()
                    .cmp(&b.indep_docs.len())
                    .then(a.docs.len().cmp(&b.docs.len()))
                    .then(a.words.cmp(&b.words))
                    .then(a.mentions.cmp(&b.mentions))
                    .then(b.first.cmp(&a.first))
                    .then(nb.cmp(na))
            })
            .map(|(n, _)| n.clone())
            .unwrap_or_default()
    }

    /// Every surface form and every article's name for it, most frequent
    /// first.
    fn aliases(&self) -> Vec<String> {
        let mut all: FxHashMap<&str, SurfaceUse> = FxHashMap::default();
        for (s, &(n, first)) in &self.surfaces {
            all.insert(s.as_str(), (n, first));
        }
        for (name, u) in &self.names {
            let e = all.entry(name.as_str()).or_insert((0, u.first));
            e.0 = e.0.max(1);
        }
        let mut v: Vec<(&str, SurfaceUse)> = all.into_iter().collect();
        v.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)).then(a.0.cmp(b.0)));
        v.into_iter().map(|(s, _)| s.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_extract::Extraction;
    use chorus_model::Article;

    fn article(id: &str, text: &str) -> Article {
        Article { id: id.into(), text: text.into(), ..Default::default() }
    }

    fn extract(a: &Article) -> Extraction {
        chorus_extract::extract(&a.text, Some("2031-05-14"))
    }

    fn run(texts: &[&str]) -> (StoryEntities, Vec<Article>) {
        let arts: Vec<Article> = texts.iter().enumerate().map(|(i, t)| article(&format!("a{i}"), t)).collect();
        let exs: Vec<Extraction> = arts.iter().map(extract).collect();
        let docs: Vec<Doc> = arts
            .iter()
            .zip(&exs)
            .map(|(a, e)| Doc { article: a, extraction: e, independent: true, added: None })
            .collect();
        (merge(&docs), arts.clone())
    }

    fn entity<'a>(se: &'a StoryEntities, name: &str) -> &'a Entity {
        se.entities.iter().find(|e| e.name == name).unwrap_or_else(|| {
            let names: Vec<(&str, &Vec<String>)> = se.entities.iter().map(|e| (e.name.as_str(), &e.aliases)).collect();
            panic!("{name} not among {names:?}")
        })
    }

    #[test]
    fn transliterations_surnames_and_titles_merge() {
        let (se, _) = run(&[
            "Norwegian President Oleksii Dorotenko met Trade Minister Nataliia Hrytsenko in Oslo. Dorotenko smiled.",
            "President Oleksiy Dorotenkoy spoke. Economy Minister Natalia Hritsenko agreed with Dorotenkoy’s plan.",
            "The Norwegian President said little. Later, Dorotenko left early.",
            "Oleksiy Dorotenko, the president, was tired.",
            "Officials said Oleksiy Dorotenko was tired.",
        ]);
        let p = entity(&se, "Oleksiy Dorotenko");
        assert_eq!(p.kind, EntityKind::Person);
        assert_eq!(p.articles, vec!["a0", "a1", "a2", "a3", "a4"], "{p:?}");
        for a in ["Oleksii Dorotenko", "Oleksiy Dorotenkoy", "Dorotenko", "Dorotenkoy", "President Oleksiy Dorotenkoy"]
        {
            assert!(p.aliases.iter().any(|x| x == a), "{a} missing from {:?}", p.aliases);
        }
        let n = entity(&se, "Nataliia Hrytsenko");
        assert!(n.aliases.iter().any(|x| x == "Natalia Hritsenko"), "{n:?}");
        assert_eq!(n.articles.len(), 2);
    }

    #[test]
    fn mention_map_covers_every_mention() {
        let (se, arts) = run(&[
            "NATO met in Oslo. Ada Marlow spoke.",
            "Both Marlow and the North Atlantic Treaty Organization agreed.",
        ]);
        assert_eq!(se.mention_entity.len(), arts.len());
        let nato = se.lookup("NATO").unwrap();
        assert_eq!(se.entities[nato].articles.len(), 2);
        let marlow = se.lookup("Marlow").unwrap();
        assert_eq!(se.entities[marlow].name, "Ada Marlow");
        for ids in &se.mention_entity {
            assert!(ids.iter().all(|&i| i < se.entities.len()));
        }
        assert_eq!(se.lookup("Marlow’s"), Some(marlow));
    }

    #[test]
    fn ambiguous_surnames_stay_apart() {
        let (se, _) = run(&[
            "Ada Marlow met Tom Marlow in Oslo.",
            "Tom Marlow and Ada Marlow disagreed.",
            "Officials said Marlow declined to comment.",
        ]);
        let lone = se.entities.iter().find(|e| e.name == "Marlow").expect("unmerged surname");
        assert_eq!(lone.articles, vec!["a2"]);
    }

    #[test]
    fn a_given_name_alone_joins_the_one_person_it_begins() {
        let (se, _) = run(&[
            "Prime Minister Arif Hamzah said the search would go on.",
            "Arif Hamzah met the families on Monday. Hamzah did not take questions.",
            "Mr Arif told reporters the plane ended its flight in the ocean.",
        ]);
        let arif = entity(&se, "Arif Hamzah");
        assert!(arif.aliases.iter().any(|a| a == "Arif"), "{:?}", arif.aliases);
        // Two people of that given name in equal measure: left alone.
        let (se, _) = run(&["Arif Hamzah met Arif Bakar in the capital.", "Later, Arif spoke to the press."]);
        assert!(
            se.entities.iter().any(|e| e.name == "Arif"),
            "{:?}",
            se.entities.iter().map(|e| &e.name).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_courtesy_title_keeps_a_surname_with_a_person_of_its_gender() {
        let (se, _) = run(&[
            "Barack Obama spoke in Ohio. Barack Obama later met donors.",
            "Barack Obama and Michelle Obama arrived together.",
            "Mrs. Obama visited a school on Monday.",
        ]);
        let michelle = entity(&se, "Michelle Obama");
        assert!(michelle.articles.iter().any(|a| a == "a2"), "{:?}", se.entities);
        assert!(!entity(&se, "Barack Obama").articles.iter().any(|a| a == "a2"));
    }

    #[test]
    fn canonical_name_is_the_most_common_full_form() {
        let (se, _) = run(&[
            "Analyst Piet Ruysdael spoke.",
            "Analyst Piet Ruysdael spoke again.",
            "Analyst Piet Ruijsdael disagreed.",
            "Ruysdael declined.",
        ]);
        let p = entity(&se, "Piet Ruysdael");
        assert_eq!(p.articles.len(), 3, "{p:?}");
    }

    #[test]
    fn titles_per_article() {
        let arts = [
            article("x", "Former President Halvor Brekke spoke."),
            article("y", "Norwegian President Halvor Brekke spoke."),
        ];
        let exs: Vec<Extraction> = arts.iter().map(extract).collect();
        let docs: Vec<Doc> = arts
            .iter()
            .zip(&exs)
            .map(|(a, e)| Doc { article: a, extraction: e, independent: true, added: None })
            .collect();
        let se = merge(&docs);
        let id = se.lookup("Halvor Brekke").unwrap();
        let titles = se.titles(&docs, id);
        assert_eq!(titles, vec![(0, "Former President".to_string()), (1, "Norwegian President".to_string())]);
    }
}
