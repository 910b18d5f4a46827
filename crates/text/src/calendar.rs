//! Month and weekday words (full names and the abbreviations news writes),
//! the one list every stage reads: the date extractor resolves them, the
//! entity finder and the quote parser know they are never names, sentence
//! splitting knows "Feb." does not end a sentence, and the HTML reader
//! finds dates written out in a page.
//!
//! Words are matched lower-case, without a trailing period.

/// Full month names, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month abbreviations with their month number (1 = January).
pub const MONTH_ABBREVIATIONS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Full weekday names, Monday first (ISO 8601 order).
pub const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Weekday abbreviations with their number (0 = Monday).
pub const WEEKDAY_ABBREVIATIONS: &[(&str, u32)] =
    &[("mon", 0), ("tue", 1), ("tues", 1), ("wed", 2), ("thu", 3), ("thurs", 3), ("fri", 4), ("sat", 5), ("sun", 6)];

/// The month (1–12) a lower-case word names, in full or abbreviated.
pub fn month(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| *m == word)
        .map(|i| i as u32 + 1)
        .or_else(|| MONTH_ABBREVIATIONS.iter().find(|(a, _)| *a == word).map(|&(_, m)| m))
}

/// The weekday (0 = Monday … 6 = Sunday) a lower-case word names, in full
/// or abbreviated.
pub fn weekday(word: &str) -> Option<u32> {
    WEEKDAYS
        .iter()
        .position(|d| *d == word)
        .map(|i| i as u32)
        .or_else(|| WEEKDAY_ABBREVIATIONS.iter().find(|(a, _)| *a == word).map(|&(_, d)| d))
}

/// Every month word, full names first.
pub fn month_words() -> impl Iterator<Item = &'static str> {
    MONTHS.iter().copied().chain(MONTH_ABBREVIATIONS.iter().map(|(a, _)| *a))
}

/// Every weekday word, full names first.
pub fn weekday_words() -> impl Iterator<Item = &'static str> {
    WEEKDAYS.iter().copied().chain(WEEKDAY_ABBREVIATIONS.iter().map(|(a, _)| *a))
}

/// Every month and weekday word.
pub fn words() -> impl Iterator<Item = &'static str> {
    month_words().chain(weekday_words())
}

/// Abbreviations only (the words that take a period: "Feb.", "Tues.").
pub fn abbreviations() -> impl Iterator<Item = &'static str> {
    MONTH_ABBREVIATIONS.iter().chain(WEEKDAY_ABBREVIATIONS).map(|(a, _)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_abbreviations_resolve() {
        assert_eq!(month("march"), Some(3));
        assert_eq!(month("sept"), Some(9));
        assert_eq!(month("may"), Some(5));
        assert_eq!(month("marc"), None);
        assert_eq!(weekday("sunday"), Some(6));
        assert_eq!(weekday("thurs"), Some(3));
        assert_eq!(weekday("sunny"), None);
        assert_eq!(words().count(), 12 + 12 + 7 + 9);
    }
}
