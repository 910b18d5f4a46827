//! Text normalisation applied once, right after reading.

/// Normalises an article body for every later stage:
/// line ends become `\n`; no-break, thin and other exotic spaces become plain
/// spaces; zero-width characters and soft hyphens are dropped; trailing spaces
/// on each line are trimmed; runs of more than one blank line collapse to one.
///
/// Quotation marks and apostrophes are kept as written: quote detection needs
/// to tell curly from straight marks.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0usize;
    for raw_line in text.split('\n') {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let start = out.len();
        // Fast path: a line with no control byte and no lead byte of the
        // characters handled below (U+00A0/U+00AD: C2; U+2000–U+2060: E2;
        // U+3000: E3; U+FEFF: EF) is copied whole.
        if !line.bytes().any(|b| b < 0x20 || matches!(b, 0x7F | 0xC2 | 0xE2 | 0xE3 | 0xEF)) {
            out.push_str(line);
        } else {
            push_normalized(&mut out, line);
        }
        let trimmed_len = out[start..].trim_end().len();
        out.truncate(start + trimmed_len);
        if out.len() == start {
            blank_run += 1;
            if blank_run > 1 || start == 0 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push('\n');
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

fn push_normalized(out: &mut String, line: &str) {
    for c in line.chars() {
        match c {
            '\u{00A0}'
            | '\u{2000}'..='\u{200A}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\t'
            | '\u{000B}'
            | '\u{000C}'
            | '\r' => out.push(' '),
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spaces_and_line_ends() {
        assert_eq!(normalize("a\u{00A0}b \r\nc\u{200B}d\t\n\n\n\ne  "), "a b\ncd\n\ne");
    }

    #[test]
    fn keeps_quotes_and_leading_text() {
        assert_eq!(normalize("\n\n“Hi,” he said."), "“Hi,” he said.");
    }
}
