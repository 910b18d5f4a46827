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
/// `unicode_word_indices`, which walks an ASCII text by bytes and any other
/// by its tables, a binary search a character: that search was a fifth of
/// clustering's time. Most news sentences are ASCII but for typographic
/// quotes, apostrophes and dashes, so those are taken out of the way first
/// ([`tokens_into`]) and the rest still walks by bytes.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokens_into(text, &mut out);
    out
}

/// Characters that are a word boundary on both sides whatever their
/// neighbours (UAX #29's "Other", and no letter or digit): typographic
/// double quotes, guillemets, dashes, the ellipsis, the no-break space.
fn is_break(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{ab}' | '\u{bb}' | '\u{2013}' | '\u{2014}' | '\u{201c}' | '\u{201d}' | '\u{2026}')
}

/// Typographic single quotes: "MidNumLet" in UAX #29, the class of the
/// full stop, so "Russia’s" segments as "Russia.s" does.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\u{2018}' | '\u{2019}')
}

/// [`tokens`] appended to `out`. The text is cut at the [`is_break`]
/// characters (not before a character that would attach to one: a
/// combining mark or a format character, which UAX #29 joins to what
/// precedes it), each piece segmented alone; a piece that is ASCII but for
/// [`is_apostrophe`] characters is segmented as ASCII with a full stop in
/// their place, its offsets mapped back. The tokens are the crate's on
/// the whole text (property test `tokens_are_the_crates`).
pub fn tokens_into(text: &str, out: &mut Vec<Token>) {
    if text.is_ascii() {
        segment(text, 0, out);
        return;
    }
    let mut proxy = Proxy::default();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_break(c) && chars.peek().is_none_or(|&(_, n)| n.is_ascii() || is_break(n) || is_apostrophe(n)) {
            proxy.piece(&text[start..i], start, out);
            start = i + c.len_utf8();
        }
    }
    proxy.piece(&text[start..], start, out);
}

/// Scratch space for a piece segmented through its ASCII stand-in.
#[derive(Default)]
struct Proxy {
    text: String,
    /// Byte offset in the piece of each stand-in byte, and the piece's length.
    at: Vec<usize>,
}

impl Proxy {
    fn piece(&mut self, piece: &str, offset: usize, out: &mut Vec<Token>) {
        if piece.is_ascii() || !piece.chars().all(|c| c.is_ascii() || is_apostrophe(c)) {
            segment(piece, offset, out);
            return;
        }
        self.text.clear();
        self.at.clear();
        for (i, c) in piece.char_indices() {
            self.text.push(if c.is_ascii() { c } else { '.' });
            self.at.push(i);
        }
        self.at.push(piece.len());
        let first = out.len();
        segment(&self.text, 0, out);
        for t in &mut out[first..] {
            t.start = offset + self.at[t.start];
            t.end = offset + self.at[t.end];
        }
    }
}

fn segment(text: &str, offset: usize, out: &mut Vec<Token>) {
    out.extend(text.unicode_word_indices().map(|(start, w)| {
        let kind = if w.chars().next().is_some_and(char::is_numeric) { TokenKind::Number } else { TokenKind::Word };
        Token { start: offset + start, end: offset + start + w.len(), kind }
    }));
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

    /// The crate's segments with a letter or digit, on the whole text.
    fn reference(text: &str) -> Vec<(usize, usize)> {
        text.unicode_word_indices().map(|(i, w)| (i, i + w.len())).collect()
    }

    #[test]
    fn typographic_quotes_and_dashes_cut_nothing_else() {
        for t in [
            "“It’s over,” he said — again… «Non» 3’000 O’Neill’s",
            "‘Quoted’ ’90s rock’n’roll—“x”",
            "“\u{301}a” –\u{ad}b — é’s — ’’ ‘‘ 4’5",
            "\u{a0}\u{a0}x\u{a0}1.5\u{a0}m",
        ] {
            let ours: Vec<(usize, usize)> = tokens(t).iter().map(|k| (k.start, k.end)).collect();
            assert_eq!(ours, reference(t), "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn tokens_are_the_crates(chars in proptest::collection::vec(proptest::sample::select(vec![
            'a', 'Z', 'x', '0', '7', ' ', '.', ',', ';', ':', '\'', '"', '-', '_', '\n', '\r', '\u{a0}', '\u{ab}',
            '\u{bb}', '\u{2013}', '\u{2014}', '\u{201c}', '\u{201d}', '\u{2026}', '\u{2018}', '\u{2019}',
            'é', 'ß', '\u{301}', '\u{ad}', '\u{200d}', '\u{5d0}', '\u{30a2}', '中', '\u{1f600}', '\u{1f1fa}', '٣',
        ]), 0..40)) {
            let t: String = chars.into_iter().collect();
            let ours: Vec<(usize, usize)> = tokens(&t).iter().map(|k| (k.start, k.end)).collect();
            proptest::prop_assert_eq!(ours, reference(&t));
        }
    }
}
