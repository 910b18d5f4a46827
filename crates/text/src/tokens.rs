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
/// are not tokens. The segments holding a letter or digit are the crate's
/// `unicode_word_indices`, which walks an ASCII text by bytes: four in five
/// news sentences are ASCII, and the table lookup of every character was a
/// fifth of clustering's time.
pub fn tokens(text: &str) -> Vec<Token> {
    text.unicode_word_indices()
        .map(|(start, w)| {
            let kind = if w.chars().next().is_some_and(char::is_numeric) { TokenKind::Number } else { TokenKind::Word };
            Token { start, end: start + w.len(), kind }
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

    #[test]
    fn ascii_and_other_text_segment_alike() {
        // The crate walks ASCII text by bytes and other text by its tables;
        // a typographic apostrophe joins a word as the ASCII one does.
        let a = "Russia's drones hit Kyiv's 2.5km-long bridge_deck at 3:00, U.S. says.";
        let b = "Russia’s drones hit Kyiv’s 2.5km-long bridge_deck at 3:00, U.S. says — “again”.";
        let words = |t: &str| tokens(t).iter().map(|k| (k.text(t).replace('’', "'"), k.kind)).collect::<Vec<_>>();
        let (wa, mut wb) = (words(a), words(b));
        assert_eq!(wb.pop().map(|w| w.0), Some("again".to_string()));
        assert_eq!(wa, wb);
        assert_eq!(wa.len(), 12);
    }
}
