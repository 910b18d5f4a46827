//! What a given name or a courtesy title says of a person's gender: the
//! evidence both the quote speaker's pronouns (`quotes::names`) and the
//! article's surname mentions (`entities::resolve`: "Mrs. Obama" is not
//! Barack Obama) weigh.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

/// Given names that nearly always name a woman or a man
/// (`data/gendered_names.txt`).
static GIVEN_NAMES: LazyLock<FxHashMap<&'static str, Gender>> = LazyLock::new(|| {
    let mut m = FxHashMap::default();
    for line in include_str!("../data/gendered_names.txt").lines() {
        let (gender, names) = match line.split_once(':') {
            Some(("female", rest)) => (Gender::Female, rest),
            Some(("male", rest)) => (Gender::Male, rest),
            _ => continue,
        };
        for n in names.split_whitespace() {
            m.insert(n, gender);
        }
    }
    m
});

/// The usual gender of a given name as written ("Melanie", "Donald"), if
/// the list has it.
pub fn of_given_name(name: &str) -> Option<Gender> {
    GIVEN_NAMES.get(name).copied()
}

/// The gender a courtesy title gives (its lower-case key, no period):
/// "Mr", "Sir" a man; "Mrs", "Ms", "Miss", "Mme", "Mlle", "Dame" a woman.
/// "Mx" and "Messrs" say nothing of one person's gender.
pub fn of_honorific(key: &str) -> Option<Gender> {
    match key {
        "mr" | "sir" => Some(Gender::Male),
        "mrs" | "ms" | "miss" | "mme" | "mlle" | "dame" => Some(Gender::Female),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_titles() {
        assert_eq!(of_given_name("Michelle"), Some(Gender::Female));
        assert_eq!(of_given_name("Barack"), Some(Gender::Male));
        assert_eq!(of_given_name("Kelly"), None);
        assert_eq!(of_honorific("mrs"), Some(Gender::Female));
        assert_eq!(of_honorific("mr"), Some(Gender::Male));
        assert_eq!(of_honorific("mx"), None);
    }
}
