//! Word tokens.

use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with inner apostrophes or digits).
    Word,
    /// Starts with a digit.
    Number,
}

/// A word or number, by byte offsets into the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// The words and numbers of `text` by the Unicode word-boundary rules
/// (UAX #29), so "don't", "U.S." and "3.5" stay whole; punctuation and spaces
/// are not tokens.
pub fn tokens(text: &str) -> Vec<Token> {
    text.split_word_bound_indices()
        .filter_map(|(start, w)| {
            let first = w.chars().next()?;
            let kind = if first.is_numeric() {
                TokenKind::Number
            } else if w.chars().any(char::is_alphanumeric) {
                TokenKind::Word
            } else {
                return None;
            };
            Some(Token { start, end: start + w.len(), kind })
        })
        .collect()
}

/// The words and numbers of `text` as slices.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.unicode_words()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_contractions_and_decimals() {
        let t = "Don't pay $3.5 billion, U.S. officials said.";
        let toks: Vec<&str> = tokens(t).iter().map(|k| k.text(t)).collect();
        assert_eq!(toks, vec!["Don't", "pay", "3.5", "billion", "U.S", "officials", "said"]);
        assert_eq!(tokens(t)[2].kind, TokenKind::Number);
    }
}
