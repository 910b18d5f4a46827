//! Byte offsets to Unicode code-point offsets.

/// Converts byte offsets of one text into code-point offsets.
///
/// Built once per text in O(n); each lookup is a binary search over the
/// positions of non-ASCII characters, so an ASCII text costs nothing.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of each non-ASCII char, and the extra bytes seen up to and
    /// including it.
    wide: Vec<(usize, usize)>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut wide = Vec::new();
        let mut extra = 0usize;
        for (i, c) in text.char_indices() {
            let len = c.len_utf8();
            if len > 1 {
                extra += len - 1;
                wide.push((i, extra));
            }
        }
        CharIndex { wide }
    }

    /// The code-point offset of byte offset `byte` (which must be on a char
    /// boundary, or the text's length).
    pub fn char_offset(&self, byte: usize) -> usize {
        // Extra bytes of all wide chars that start strictly before `byte`.
        let n = self.wide.partition_point(|&(pos, _)| pos < byte);
        let extra = if n == 0 { 0 } else { self.wide[n - 1].1 };
        byte - extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_code_points() {
        let t = "a“b”c é";
        let idx = CharIndex::new(t);
        for (ci, (bi, _)) in t.char_indices().enumerate() {
            assert_eq!(idx.char_offset(bi), ci);
        }
        assert_eq!(idx.char_offset(t.len()), t.chars().count());
    }
}
