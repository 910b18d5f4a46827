//! Language labels for articles that do not declare one.

/// ISO 639-1 code of the text's language, when `whatlang` is confident;
/// `None` for text too short or too mixed to tell.
pub fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(2000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && sample.split_whitespace().count() < 20 {
        return None;
    }
    Some(iso639_1(info.lang()).to_string())
}

fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Nld => "nl",
        Swe => "sv",
        Dan => "da",
        Nob => "no",
        Fin => "fi",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Jpn => "ja",
        Cmn => "zh",
        Kor => "ko",
        Hin => "hi",
        Ell => "el",
        Ces => "cs",
        Slk => "sk",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Srp => "sr",
        Hrv => "hr",
        Slv => "sl",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Pes => "fa",
        Urd => "ur",
        Ben => "bn",
        Cat => "ca",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_english_and_german() {
        assert_eq!(
            detect("The council voted on Monday to close the old bridge for repairs, officials said.").as_deref(),
            Some("en")
        );
        assert_eq!(
            detect("Der Stadtrat hat am Montag beschlossen, die alte Brücke für Reparaturen zu schließen.").as_deref(),
            Some("de")
        );
    }
}
