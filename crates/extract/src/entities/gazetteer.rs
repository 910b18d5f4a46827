//! The word lists shipped in `crates/extract/data` (see its README for where
//! each comes from), parsed once into hash maps keyed by a normalised form.

use std::sync::LazyLock;

use chorus_model::EntityKind;
use rustc_hash::{FxHashMap, FxHashSet};

const COUNTRIES: &str = include_str!("../../data/countries.tsv");
const PLACES: &str = include_str!("../../data/places.tsv");
const ORGANIZATIONS: &str = include_str!("../../data/organizations.tsv");
const FIRST_NAMES: &str = include_str!("../../data/first_names.txt");
const ROLES: &str = include_str!("../../data/roles.txt");
const TITLE_WORDS: &str = include_str!("../../data/title_words.txt");

/// A known name: its canonical form and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub canonical: &'static str,
    pub kind: EntityKind,
}

pub(crate) struct Gazetteer {
    names: FxHashMap<String, Known>,
    /// Short all-capital aliases ("US", "WHO", "AP"): matched only when
    /// written in capitals, since in lower case they are common words.
    acronyms: FxHashMap<String, Known>,
    /// Demonym (lower case) → canonical country name.
    demonyms: FxHashMap<String, &'static str>,
    /// A capital's canonical name → its country's canonical name.
    capitals: FxHashMap<&'static str, &'static str>,
    first_names: FxHashSet<String>,
    roles: FxHashSet<String>,
    title_words: FxHashSet<String>,
}

/// The lookup key of a name: lower case, periods and commas dropped, curly
/// apostrophes straightened, runs of spaces collapsed, so "U.S." = "US".
pub(crate) fn norm_key_into(s: &str, out: &mut String) {
    out.clear();
    let mut space = false;
    if s.is_ascii() {
        for b in s.bytes() {
            match b {
                b'.' | b',' => {}
                b if b.is_ascii_whitespace() => space = !out.is_empty(),
                b => {
                    if space {
                        out.push(' ');
                        space = false;
                    }
                    out.push(b.to_ascii_lowercase() as char);
                }
            }
        }
        return;
    }
    for c in s.chars() {
        match c {
            '.' | ',' => {}
            '’' | '‘' => out.push('\''),
            c if c.is_whitespace() => space = !out.is_empty(),
            c => {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.extend(c.to_lowercase());
            }
        }
    }
}

pub(crate) fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    norm_key_into(s, &mut out);
    out
}

fn lines(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines().map(str::trim_end).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn words(src: &'static str) -> impl Iterator<Item = &'static str> {
    lines(src).flat_map(str::split_whitespace)
}

impl Gazetteer {
    fn load() -> Self {
        let mut g = Gazetteer {
            names: FxHashMap::default(),
            acronyms: FxHashMap::default(),
            demonyms: FxHashMap::default(),
            capitals: FxHashMap::default(),
            first_names: words(FIRST_NAMES).map(str::to_lowercase).collect(),
            roles: words(ROLES).map(str::to_lowercase).collect(),
            title_words: words(TITLE_WORDS).map(str::to_lowercase).collect(),
        };
        for line in lines(COUNTRIES) {
            let mut cols = line.split('\t');
            let names = cols.next().unwrap_or_default();
            let demonyms = cols.next().unwrap_or_default();
            let capitals = cols.next().unwrap_or_default();
            let canonical = g.add_names(names, '|', EntityKind::Place);
            for d in demonyms.split('|').filter(|d| !d.is_empty()) {
                g.demonyms.entry(norm_key(d)).or_insert(canonical);
            }
            for cap in capitals.split('|').filter(|c| !c.is_empty()) {
                let city = g.add_names(cap, '=', EntityKind::Place);
                // A city that is also a country's name (Singapore) is
                // that country already; the first country to list a
                // capital keeps it.
                if city != canonical {
                    g.capitals.entry(city).or_insert(canonical);
                }
            }
        }
        for line in lines(PLACES) {
            g.add_names(line, '|', EntityKind::Place);
        }
        for line in lines(ORGANIZATIONS) {
            g.add_names(line, '|', EntityKind::Organization);
        }
        g
    }

    /// Adds `canonical<sep>alias<sep>…`; the first entry wins a clash, so
    /// earlier files (countries) take precedence over later ones.
    fn add_names(&mut self, spec: &'static str, sep: char, kind: EntityKind) -> &'static str {
        let mut parts = spec.split(sep).map(str::trim).filter(|p| !p.is_empty());
        let canonical = parts.next().unwrap_or_default();
        let known = Known { canonical, kind };
        for name in std::iter::once(canonical).chain(parts) {
            let map = if is_short_acronym(name) { &mut self.acronyms } else { &mut self.names };
            map.entry(norm_key(name)).or_insert(known);
        }
        canonical
    }

    /// A name by its key; `upper` says it was written in capitals, which
    /// lets short acronyms match too.
    pub fn lookup_cased(&self, key: &str, upper: bool) -> Option<Known> {
        self.names.get(key).or_else(|| if upper { self.acronyms.get(key) } else { None }).copied()
    }

    pub fn demonym_key(&self, key: &str) -> Option<&'static str> {
        self.demonyms.get(key).copied()
    }

    pub fn is_first_name_key(&self, key: &str) -> bool {
        self.first_names.contains(key)
    }

    pub fn is_role_key(&self, key: &str) -> bool {
        self.roles.contains(key)
    }

    pub fn is_title_word_key(&self, key: &str) -> bool {
        self.title_words.contains(key)
    }
}

/// Acronyms this short ("US", "WHO", "AP") are common words in other
/// cases; longer ones ("NATO", "Nato") are not.
const SHORT_ACRONYM_MAX: usize = 3;

fn is_short_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    (2..=SHORT_ACRONYM_MAX).contains(&letters) && is_upper(name)
}

/// At least two letters, all in capitals.
pub fn is_upper(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

pub(crate) static GAZ: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::load);

/// The canonical name and kind of a country, capital, world region, major
/// city or international organisation, by any of its listed spellings
/// ("U.S.", "USA" and "America" all give "United States").
pub fn lookup(name: &str) -> Option<Known> {
    GAZ.lookup_cased(&norm_key(name), is_upper(name))
}

/// The country whose capital `name` is, by the capital's canonical name
/// ("Riyadh" → "Saudi Arabia", "Kiev" → none: look it up first). News
/// names a government by its seat ("talks in Riyadh", "Moscow said"), so
/// a capital also stands for its country where outlets are compared.
pub fn country_of_capital(canonical: &str) -> Option<&'static str> {
    GAZ.capitals.get(canonical).copied()
}

/// The country a demonym refers to ("Ukrainian" → "Ukraine").
pub fn demonym_country(word: &str) -> Option<&'static str> {
    GAZ.demonym_key(&norm_key(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_share_a_canonical_name() {
        assert_eq!(lookup("U.S.").unwrap().canonical, "United States");
        assert_eq!(lookup("america").unwrap().canonical, "United States");
        assert_eq!(lookup("Kiev").unwrap().canonical, "Kyiv");
        assert_eq!(lookup("NATO").unwrap().kind, EntityKind::Organization);
        assert_eq!(lookup("Washington, D.C.").unwrap().canonical, "Washington");
        assert_eq!(demonym_country("Norwegian"), Some("Norway"));
        assert_eq!(country_of_capital(lookup("Kiev").unwrap().canonical), Some("Ukraine"));
        assert_eq!(country_of_capital("Riyadh"), Some("Saudi Arabia"));
        assert_eq!(country_of_capital("Ukraine"), None);
        assert!(lookup("Marlow").is_none());
        assert!(lookup("Who").is_none() && lookup("us").is_none());
        assert_eq!(lookup("Nato").unwrap().kind, EntityKind::Organization);
    }

    #[test]
    fn lists_load() {
        assert!(GAZ.is_first_name_key("maria"));
        assert!(GAZ.is_role_key("spokesperson"));
        assert!(GAZ.is_title_word_key("deputy"));
        assert!(GAZ.names.len() > 500);
    }
}
