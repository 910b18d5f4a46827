//! Text normalisation applied once, right after reading.

/// Normalises an article body for every later stage:
/// line ends become `\n`; no-break, thin and other exotic spaces become plain
/// spaces; zero-width characters and soft hyphens are dropped; trailing spaces
/// on each line are trimmed; runs of more than one blank line collapse to one.
///
/// Quotation marks and apostrophes are kept as written: quote detection needs
/// to tell curly from straight marks.
pub fn normalize(text: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut blank_run = 0usize;
    for raw_line in text.split('\n') {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let start = out.len();
        push_normalized(&mut out, line.as_bytes());
        while out.len() > start && out[out.len() - 1] == b' ' {
            out.pop();
        }
        if out.len() == start {
            blank_run += 1;
            if blank_run > 1 || start == 0 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push(b'\n');
    }
    while out.last().is_some_and(|b| b.is_ascii_whitespace()) {
        out.pop();
    }
    // Only whole UTF-8 sequences were replaced (by ASCII or nothing), so the
    // bytes are still valid UTF-8.
    String::from_utf8(out).expect("normalisation keeps UTF-8 valid")
}

/// Copies one line, replacing exotic spaces by a space and dropping
/// invisible characters, working on bytes: every character handled starts
/// with a control byte or one of the lead bytes C2, E2, E3, EF, so runs of
/// other bytes are copied whole.
fn push_normalized(out: &mut Vec<u8>, line: &[u8]) {
    let mut i = 0usize;
    let mut run = 0usize;
    while i < line.len() {
        let b = line[i];
        // (bytes consumed, replacement) for a handled character.
        let hit: Option<(usize, Option<u8>)> = match b {
            b'\t' | 0x0B | 0x0C | b'\r' => Some((1, Some(b' '))),
            0x00..=0x1F | 0x7F => Some((1, None)),
            0xC2 => match line.get(i + 1) {
                Some(0xA0) => Some((2, Some(b' '))),
                Some(0xAD) | Some(0x80..=0x9F) => Some((2, None)),
                _ => None,
            },
            0xE2 => match (line.get(i + 1), line.get(i + 2)) {
                (Some(0x80), Some(0x80..=0x8A)) | (Some(0x80), Some(0xAF)) | (Some(0x81), Some(0x9F)) => {
                    Some((3, Some(b' ')))
                }
                (Some(0x80), Some(0x8B..=0x8D)) | (Some(0x81), Some(0xA0)) => Some((3, None)),
                _ => None,
            },
            0xE3 if line.get(i + 1) == Some(&0x80) && line.get(i + 2) == Some(&0x80) => Some((3, Some(b' '))),
            0xEF if line.get(i + 1) == Some(&0xBB) && line.get(i + 2) == Some(&0xBF) => Some((3, None)),
            _ => None,
        };
        match hit {
            Some((len, rep)) => {
                out.extend_from_slice(&line[run..i]);
                if let Some(r) = rep {
                    out.push(r);
                }
                i += len;
                run = i;
            }
            None => i += 1,
        }
    }
    out.extend_from_slice(&line[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spaces_and_line_ends() {
        assert_eq!(normalize("a\u{00A0}b \r\nc\u{200B}d\t\n\n\n\ne  "), "a b\ncd\n\ne");
    }

    #[test]
    fn handles_every_exotic_space_and_invisible() {
        let t = "a\u{2009}b\u{202F}c\u{3000}d\u{FEFF}e\u{00AD}f\u{200D}g\u{0085}h “é…”";
        assert_eq!(normalize(t), "a b c defgh “é…”");
    }

    #[test]
    fn keeps_quotes_and_leading_text() {
        assert_eq!(normalize("\n\n“Hi,” he said."), "“Hi,” he said.");
    }
}
