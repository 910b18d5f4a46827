//! Spelling-variant keys for names, so that one person written by different
//! outlets in different transliterations gets one key.
//!
//! The rules are general transliteration equivalences, not a list of names:
//! accents dropped; "kh" = "h", "tz" = "ts", "ck" = "k", "ph" = "f", "x" =
//! "ks", "q" = "k"; "y" = "i" (so "-iy", "-yy", "-ii" and "-y" endings, and
//! "yu"/"iu", all agree); a final "ie" = "i"; doubled letters count once (so
//! "-iia" = "-ia", "Mohammed" = "Mohamed"); apostrophes, periods and hyphens
//! ignored; a possessive "'s"/"’s" dropped.

use unicode_normalization::UnicodeNormalization;

/// A name without a possessive ending ("Marlow’s" → "Marlow").
pub fn strip_possessive(s: &str) -> &str {
    let s = s.trim_end();
    for suf in ["'s", "’s", "'S", "’S"] {
        if let Some(x) = s.strip_suffix(suf) {
            return x;
        }
    }
    s.trim_end_matches(['\'', '’'])
}

/// The variant key of one word of a name.
pub fn word_key(word: &str) -> String {
    let word = strip_possessive(word);
    let mut s = String::with_capacity(word.len());
    for c in word.nfd() {
        if ('\u{300}'..='\u{36f}').contains(&c) || !c.is_alphanumeric() {
            continue;
        }
        s.extend(c.to_lowercase());
    }
    for (from, to) in [("kh", "h"), ("tz", "ts"), ("ck", "k"), ("ph", "f"), ("x", "ks"), ("q", "k")] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let s = s.replace('y', "i");
    let s = match s.strip_suffix("ie") {
        Some(stem) if !stem.is_empty() => format!("{stem}i"),
        _ => s,
    };
    let mut out = String::with_capacity(s.len());
    let mut prev = None;
    for c in s.chars() {
        if Some(c) != prev {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// The variant key of a whole name: its word keys joined by spaces.
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in strip_possessive(name).split_whitespace() {
        let k = word_key(w);
        if k.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&k);
    }
    out
}

/// Shortest word keys that may differ by one edit and still be taken for
/// one spelling: below this, one letter changes too much ("Kim"/"Kin").
pub const FUZZY_MIN_LEN: usize = 6;

/// Two word keys that are equal, or long and one edit apart (a letter
/// added, dropped or changed: "Kovalskyi"/"Kovalski").
pub fn similar_word_keys(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < FUZZY_MIN_LEN || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_agree() {
        assert_eq!(word_key("Oleksiy"), word_key("Oleksii"));
        assert_eq!(word_key("Petrenkoy"), word_key("Petrenkoi"));
        assert_eq!(word_key("Nataliia"), word_key("Natalia"));
        assert_eq!(word_key("Khodorin"), word_key("Hodorin"));
        assert_eq!(word_key("Schwartz"), word_key("Schwarts"));
        assert_eq!(word_key("Valerie"), word_key("Valery"));
        assert_eq!(word_key("José"), word_key("Jose"));
        assert_eq!(word_key("Marlow’s"), word_key("Marlow"));
        assert_ne!(word_key("Marlow"), word_key("Barlow"));
    }

    #[test]
    fn name_keys_and_fuzzy_words() {
        assert_eq!(name_key("Oksana  Hrytsenkoy's"), name_key("Oksana Hritsenkoi"));
        assert!(similar_word_keys("dorotenko", "dorotemko"));
        assert!(similar_word_keys("dorotenko", "dorottenko"));
        assert!(!similar_word_keys("kim", "kin"));
        assert_eq!(strip_possessive("Quirke’s"), "Quirke");
    }
}
