//! Titles and roles taken apart, so that the titles different articles give
//! one person can be compared: "former President" against "US President"
//! (same office, one says it is no longer held), "Defense Secretary" against
//! "Secretary of Defense" (same office, different order), "Economy Minister"
//! against "First Deputy Prime Minister" (different offices).

use super::gazetteer::{self, GAZ};

/// One title or role, taken apart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TitleParts {
    /// Says the office is no longer held: "former", "ex-", "late", "then".
    pub former: bool,
    /// Says the office is held provisionally: "acting", "interim".
    pub acting: bool,
    /// The place a qualifier names, canonical ("US", "Ukrainian" and
    /// "Ukraine’s" give "United States", "Ukraine").
    pub country: Option<&'static str>,
    /// An organisation a qualifier names ("Kremlin", "European Commission").
    pub organization: Option<&'static str>,
    /// The head role, lower case, with spelling variants unified
    /// ("president", "minister", "secretary", "spokesperson"), or empty when
    /// there is none.
    pub role: String,
    /// The office without time words and qualifiers: its remaining words,
    /// normalised and sorted, so word order does not matter ("defense
    /// secretary" for both "Defence Secretary" and "Secretary of Defense").
    pub office: String,
}

impl TitleParts {
    /// Heads of state or government and monarchs: what "leader" refers to.
    pub fn is_leader(&self) -> bool {
        let deputy = self.office.split(' ').any(|w| matches!(w, "deputy" | "vice" | "assistant"));
        !deputy
            && matches!(
                self.role.as_str(),
                "president" | "chancellor" | "premier" | "king" | "queen" | "emir" | "sultan" | "leader" | "monarch"
            )
            || (!deputy && self.role == "minister" && self.office.split(' ').any(|w| w == "prime"))
    }

    /// Same office, whatever the time words and qualifiers say.
    pub fn same_office(&self, other: &TitleParts) -> bool {
        !self.role.is_empty() && self.office == other.office
    }
}

/// Words that say the title is no longer held.
const FORMER: &[&str] = &["former", "ex", "late", "then", "erstwhile", "onetime", "one-time", "outgoing"];

/// Words that say the title is held provisionally.
const ACTING: &[&str] = &["acting", "interim", "caretaker"];

/// Words that qualify a title without changing the office.
const NEUTRAL: &[&str] =
    &["current", "sitting", "incumbent", "new", "newly", "the", "a", "an", "his", "her", "their", "its"];

/// British and American spellings, and gendered forms, of one role word.
fn unify(word: &str) -> &str {
    match word {
        "defence" => "defense",
        "labour" => "labor",
        "advisor" => "adviser",
        "spokesman" | "spokeswoman" => "spokesperson",
        "chairman" | "chairwoman" | "chairperson" => "chair",
        "congressman" | "congresswoman" => "congressmember",
        "organisation" => "organization",
        "economy" | "economics" => "economic",
        "us" => "united states",
        w => w,
    }
}

/// Takes a title apart; see [`TitleParts`].
pub fn parse_title(title: &str) -> TitleParts {
    let mut parts = TitleParts::default();
    let mut caps: Vec<bool> = Vec::new();
    let mut uppers: Vec<bool> = Vec::new();
    let words: Vec<String> = title
        .split(|c: char| c.is_whitespace() || c == '-' || c == '–')
        .map(|w| {
            let w = w.trim_matches(|c: char| matches!(c, ',' | '(' | ')' | '"' | '“' | '”'));
            let w = w.strip_suffix("’s").or_else(|| w.strip_suffix("'s")).unwrap_or(w);
            (w.chars().next().is_some_and(char::is_uppercase), gazetteer::is_upper(w), gazetteer::norm_key(w))
        })
        .filter(|(_, _, w)| !w.is_empty())
        .map(|(cap, upper, w)| {
            caps.push(cap);
            uppers.push(upper);
            w
        })
        .collect();
    let mut office: Vec<&str> = Vec::new();
    let mut role_at = None;
    let mut i = 0;
    while i < words.len() {
        // The longest gazetteer name starting here (three words at most).
        let mut matched = 0;
        for n in (1..=3.min(words.len() - i)).rev() {
            let phrase = words[i..i + n].join(" ");
            if let Some(k) = GAZ.lookup_cased(&phrase, n == 1 && uppers[i]) {
                match k.kind {
                    chorus_model::EntityKind::Organization => parts.organization = Some(k.canonical),
                    _ => parts.country = Some(k.canonical),
                }
                matched = n;
                break;
            }
        }
        if matched > 0 {
            i += matched;
            continue;
        }
        let w = words[i].as_str();
        if let Some(c) = GAZ.demonym_key(w) {
            parts.country = Some(c);
        } else if FORMER.contains(&w) {
            parts.former = true;
        } else if ACTING.contains(&w) {
            parts.acting = true;
        } else if NEUTRAL.contains(&w) || w == "of" || w == "for" {
        } else if caps[i] && !GAZ.is_role_key(w) && !GAZ.is_title_word_key(w) {
            // A capitalised qualifier naming someone ("Marlow’s chief").
        } else {
            if GAZ.is_role_key(w) && role_at.is_none_or(|r: usize| !words[r + 1..i].iter().any(|x| x == "of")) {
                role_at = Some(i);
                parts.role = unify(w).to_string();
            }
            office.push(unify(w));
        }
        i += 1;
    }
    office.sort_unstable();
    office.dedup();
    parts.office = office.join(" ");
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn former_and_country() {
        let a = parse_title("former U.S. President");
        assert!(a.former);
        assert_eq!(a.country, Some("United States"));
        assert_eq!(a.role, "president");
        let b = parse_title("Norwegian President");
        assert!(!b.former);
        assert_eq!(b.country, Some("Norway"));
        assert!(a.same_office(&b));
        assert!(b.is_leader());
    }

    #[test]
    fn word_order_and_spelling_do_not_change_the_office() {
        let a = parse_title("Defence Secretary");
        let b = parse_title("Secretary of Defense");
        assert_eq!(a.role, "secretary");
        assert_eq!(b.role, "secretary");
        assert!(a.same_office(&b));
        assert!(!a.same_office(&parse_title("Secretary of State")));
    }

    #[test]
    fn head_before_of_phrase_is_the_role() {
        let t = parse_title("Marlow’s chief of staff");
        assert_eq!(t.role, "chief");
        assert_eq!(t.office, "chief staff");
        let k = parse_title("Kremlin spokesman");
        assert_eq!(k.role, "spokesperson");
        assert_eq!(k.organization, Some("Kremlin"));
        assert!(parse_title("Prime Minister").is_leader());
        assert!(!parse_title("Deputy Prime Minister").is_leader());
        assert!(!parse_title("Economy Minister").is_leader());
    }
}
