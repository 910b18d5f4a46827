//! In-article aliases and nominal mentions: a surname takes the full name,
//! an acronym its organisation, "the Ukrainian president" the person the
//! article gave that title; then the final spans.

use super::*;

/// The people an article gave one title: the first of them, and whether
/// people of another name share it.
struct Titled {
    first: usize,
    ambiguous: bool,
}

impl Titled {
    fn add<K>(slot: std::collections::hash_map::Entry<'_, K, Titled>, j: usize, cands: &[Cand]) {
        match slot {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(Titled { first: j, ambiguous: false });
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let t = o.get_mut();
                t.ambiguous |= cands[t.first].name != cands[j].name;
            }
        }
    }
}

impl<'a> super::Finder<'a> {
    /// The gender of a courtesy title right before the name starting at
    /// token `ts` ("Mrs. Obama", "Mr Najib"), if it has one.
    fn courtesy_gender(&self, ts: usize) -> Option<crate::gender::Gender> {
        let toks = self.toks;
        let mut k = ts.checked_sub(1)?;
        if &self.text[toks[k].start..toks[k].end] == "." {
            k = k.checked_sub(1)?;
        }
        (toks[k].is_word() && self.same_sent(k, ts)).then(|| crate::gender::of_honorific(self.key(k))).flatten()
    }

    /// "the Ukrainian president", "the country’s prime minister": lower-case
    /// titles with a demonym or country qualifier, kept when the article gave
    /// a matching title to exactly one named person.
    pub(super) fn nominal_mentions(&mut self) {
        let toks = self.toks;
        let mut found = Vec::new();
        for i in 0..toks.len().saturating_sub(2) {
            if !(toks[i].is_word() && self.key(i) == "the") {
                continue;
            }
            let q = i + 1;
            if !self.is_cap_word(q) {
                continue;
            }
            let qk = self.key(q);
            let Some(country) =
                GAZ.demonym_key(qk).or_else(|| GAZ.lookup_cased(qk, toks[q].upper).map(|k| k.canonical))
            else {
                continue;
            };
            let mut h = q + 1;
            if toks.get(h).is_some_and(|t| t.kind == Kind::Poss) {
                h += 1;
            }
            while h < toks.len() && self.is_title_word(h) && !self.is_role(h) && !toks[h].cap {
                h += 1;
            }
            if h >= toks.len() || !self.same_sent(i, h) || !self.is_role(h) || toks[h].cap {
                continue;
            }
            // Not followed by the name itself ("the Ukrainian president X").
            if toks.get(h + 1).is_some_and(|t| t.is_word() && t.cap && self.same_sent(h, h + 1)) {
                continue;
            }
            found.push((q, h + 1, country));
        }
        for (a, b, country) in found {
            let (start, end) = (toks[a].start, toks[b - 1].end);
            let head = self.key(b - 1);
            let mut best: Option<usize> = None;
            let mut ambiguous = false;
            for (ci, c) in self.cands.iter().enumerate() {
                if c.kind != EntityKind::Person || c.title_only || c.start >= start {
                    continue;
                }
                let Some(t) = &c.title else { continue };
                let parts = parse_title(&self.text[t.clone()]);
                let head_ok = parts.role == head || (head == "leader" && parts.is_leader());
                if !head_ok || parts.country.is_some_and(|pc| pc != country) || parts.country.is_none() {
                    continue;
                }
                match best {
                    Some(b) if self.cands[b].name != c.name => ambiguous = true,
                    _ => best = Some(ci),
                }
            }
            if let (Some(bi), false) = (best, ambiguous) {
                let name = self.cands[bi].name.clone();
                self.cands.push(Cand {
                    ts: a,
                    te: b,
                    start,
                    end,
                    name,
                    kind: EntityKind::Person,
                    known: false,
                    title: Some(start..end),
                    title_only: false,
                });
            }
        }
        self.cands.sort_by_key(|c| c.start);
    }

    /// In-article alias resolution and the final spans.
    pub(super) fn resolve(mut self) -> Vec<EntitySpan> {
        let text = self.text;
        // Title-only runs that are part of a named person's title are not
        // mentions of their own.
        let chains = std::mem::take(&mut self.chains);
        self.cands.retain(|c| !c.title_only || !chains.iter().any(|r| r.start < c.te && c.ts < r.end));
        self.cands.dedup_by(|b, a| a.start == b.start && a.end == b.end);
        let courtesy: Vec<Option<crate::gender::Gender>> =
            self.cands.iter().map(|c| self.courtesy_gender(c.ts)).collect();
        let mut cands = self.cands;

        // Full person names by the key of their last word.
        let words: Vec<NameWords> = cands.iter().map(|c| name_words(&c.name)).collect();
        let mut by_last: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, c) in cands.iter().enumerate() {
            if c.kind == EntityKind::Person && !c.title_only && c.te - c.ts >= 2 {
                by_last.entry(words[i].last()).or_default().push(i);
            }
        }
        let mut resolved: Vec<Option<usize>> = vec![None; cands.len()];
        for i in 0..cands.len() {
            let c = &cands[i];
            if c.known || c.title_only || c.kind == EntityKind::Place || c.kind == EntityKind::Organization {
                continue;
            }
            let Some(list) = by_last.get(words[i].last()) else { continue };
            // "Mrs. Obama" in an article of Barack and Michelle Obama is the
            // one whose given name is a woman's.
            let clash = |j: usize| {
                let given = cands[j].name.split_whitespace().next().and_then(crate::gender::of_given_name);
                courtesy[i].is_some() && given.is_some() && given != courtesy[i]
            };
            let fits =
                |j: usize| j != i && words[j].len() > words[i].len() && words[j].ends_with_keys(&words[i]) && !clash(j);
            let before = list.iter().rev().copied().find(|&j| j < i && fits(j));
            let after = list.iter().copied().find(|&j| j > i && fits(j));
            resolved[i] = before.or(after);
        }
        // A first name alone ("Hillary") for the one person of the article
        // who has it.
        let mut by_first: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, c) in cands.iter().enumerate() {
            if c.kind == EntityKind::Person && !c.title_only && c.te - c.ts >= 2 {
                by_first.entry(words[i].first()).or_default().push(i);
            }
        }
        for i in 0..cands.len() {
            let c = &cands[i];
            if resolved[i].is_some() || c.known || c.title_only || words[i].len() != 1 {
                continue;
            }
            if !GAZ.is_first_name_key(words[i].first()) {
                continue;
            }
            let Some(list) = by_first.get(words[i].first()) else { continue };
            let first = list[0];
            if list.iter().all(|&j| cands[j].name == cands[first].name) {
                resolved[i] = Some(first);
            }
        }
        for i in 0..cands.len() {
            if let Some(j) = resolved[i] {
                let name = cands[j].name.clone();
                cands[i].name = name;
                cands[i].kind = EntityKind::Person;
            }
        }
        // One name, one kind: "Biden" is a person everywhere in an article
        // that once calls him "President Biden".
        let persons: FxHashSet<String> =
            cands.iter().filter(|c| c.kind == EntityKind::Person && !c.title_only).map(|c| c.name.clone()).collect();
        for c in cands.iter_mut().filter(|c| !c.known && c.kind == EntityKind::Other) {
            if persons.contains(&c.name) {
                c.kind = EntityKind::Person;
            }
        }
        // Acronyms spelled by a longer organisation name in the article.
        let orgs: Vec<(String, String)> = cands
            .iter()
            .filter(|c| c.kind == EntityKind::Organization && c.name.contains(' '))
            .map(|c| (initials(&c.name), c.name.clone()))
            .collect();
        for c in cands.iter_mut().filter(|c| !c.known && c.te - c.ts == 1) {
            if c.name.len() >= 2
                && c.name.chars().all(|ch| ch.is_uppercase())
                && let Some((_, full)) = orgs.iter().find(|(ini, _)| *ini == c.name)
            {
                c.name = full.clone();
                c.kind = EntityKind::Organization;
            }
        }
        // Title-only mentions: the person this article gave that title. Each
        // title is taken apart once and the titled people indexed by role
        // (and by role and country), so an article of many titles costs one
        // look-up per mention, not a scan of every person per mention.
        // Resolving a mention adds no name to the index: the name it takes is
        // already there under the same role and country.
        let mut by_role: FxHashMap<String, Titled> = FxHashMap::default();
        let mut by_country: FxHashMap<(String, &'static str), Titled> = FxHashMap::default();
        for (j, c) in cands.iter().enumerate() {
            if c.title_only || c.kind != EntityKind::Person {
                continue;
            }
            let Some(t) = &c.title else { continue };
            let got = parse_title(&text[t.clone()]);
            if let Some(country) = got.country {
                Titled::add(by_country.entry((got.role.clone(), country)), j, &cands);
            }
            Titled::add(by_role.entry(got.role), j, &cands);
        }
        for i in 0..cands.len() {
            if !cands[i].title_only {
                continue;
            }
            let want = parse_title(&cands[i].name);
            let titled = match want.country {
                Some(country) => by_country.get(&(want.role, country)),
                None => by_role.get(&want.role),
            };
            match titled {
                Some(t) if !t.ambiguous => {
                    cands[i].name = cands[t.first].name.clone();
                    cands[i].title_only = false;
                }
                _ if want.country.is_none() => {
                    // A bare "President" with no one to refer to says nothing.
                    cands[i].kind = EntityKind::Other;
                }
                _ => {}
            }
        }
        cands
            .into_iter()
            .filter(|c| !(c.title_only && c.kind == EntityKind::Other))
            .map(|c| EntitySpan {
                start: c.start,
                end: c.end,
                title: c.title.map(|r| text[r].to_string()),
                name: c.name,
                kind: c.kind,
            })
            .collect()
    }
}

/// The words of a name, keyed for comparison (lower case, no periods).
fn name_words(name: &str) -> NameWords {
    NameWords(name.split_whitespace().map(gazetteer::norm_key).filter(|w| !w.is_empty()).collect())
}

struct NameWords(Vec<String>);

impl NameWords {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn ends_with_keys(&self, other: &NameWords) -> bool {
        self.0.ends_with(&other.0)
    }

    fn last(&self) -> &str {
        self.0.last().map_or("", String::as_str)
    }

    fn first(&self) -> &str {
        self.0.first().map_or("", String::as_str)
    }
}

/// Initials of the significant words of a name ("European Central Bank" →
/// "ECB").
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !in_list(&CONNECTORS, w) && w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}
