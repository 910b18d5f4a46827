//! Lower case for comparing text: the one way a word is folded before it is
//! hashed or looked up as a key.

/// Appends `word` lower-cased to `buf`. An ASCII word (nearly every word of
/// English news) is copied and folded in one pass over its bytes, not
/// decoded and re-encoded a character at a time.
pub fn push_lowercase(buf: &mut String, word: &str) {
    if word.is_ascii() {
        let start = buf.len();
        buf.push_str(word);
        buf[start..].make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// A hash of `text`'s words (split at whitespace) lower-cased: spacing and
/// case do not hide a repeated line of site furniture or a sentence copied
/// verbatim.
pub fn words_key(text: &str) -> u64 {
    let mut buf = String::with_capacity(text.len() + 1);
    for w in text.split_whitespace() {
        push_lowercase(&mut buf, w);
        buf.push(' ');
    }
    xxhash_rust::xxh3::xxh3_64(buf.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_spacing_do_not_change_the_key() {
        assert_eq!(words_key("Read  MORE\tof Kyiv’s NEWS"), words_key("read more of kyiv’s news"));
        assert_ne!(words_key("read more"), words_key("read mores"));
        let mut b = String::from("x ");
        push_lowercase(&mut b, "ÉTÉ");
        push_lowercase(&mut b, "NATO");
        assert_eq!(b, "x éténato");
    }
}
