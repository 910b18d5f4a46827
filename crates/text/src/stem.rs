//! Lower-cased English stems (Snowball Porter2, via `rust-stemmers`).

use rust_stemmers::{Algorithm, Stemmer as Snowball};

/// A reusable stemmer; cheap to create, but reuse it in loops.
pub struct Stemmer {
    inner: Snowball,
    buf: String,
}

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer { inner: Snowball::create(Algorithm::English), buf: String::new() }
    }
}

impl Stemmer {
    /// The stem of `word`, lower-cased, with curly apostrophes made straight,
    /// a possessive `'s` dropped and a British spelling made American
    /// ([`crate::spelling`]), so "Ukraine’s" and "Ukraine" agree, and
    /// "organised" and "organized".
    pub fn stem(&mut self, word: &str) -> String {
        self.buf.clear();
        for c in word.chars() {
            match c {
                '’' | '‘' => self.buf.push('\''),
                c => self.buf.extend(c.to_lowercase()),
            }
        }
        let base = self.buf.strip_suffix("'s").unwrap_or(&self.buf);
        let base = base.trim_end_matches('\'');
        match crate::spelling::american(base) {
            Some(us) => self.inner.stem(&us).into_owned(),
            None => self.inner.stem(base).into_owned(),
        }
    }
}

/// One-off stemming; see [`Stemmer`] for loops.
pub fn stem(word: &str) -> String {
    Stemmer::default().stem(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_lowercases() {
        assert_eq!(stem("Negotiations"), stem("negotiating"));
        assert_eq!(stem("Ukraine’s"), stem("Ukraine"));
        assert_eq!(stem("drones"), "drone");
        assert_eq!(stem("organised"), stem("organized"));
        assert_eq!(stem("Defence"), stem("defense"));
        assert_eq!(stem("travelled"), stem("traveled"));
        assert_eq!(stem("centres"), stem("center"));
    }
}
