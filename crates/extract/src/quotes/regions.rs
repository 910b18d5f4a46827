//! Quoted regions: the stretches of text between quotation marks.
//!
//! Curly and angle marks say which way they face; a straight `"` closes an
//! open region and otherwise opens one. A line break ends an open region,
//! because a quote running over several paragraphs reopens at each one. An
//! opening curly mark met inside an open region right after a non-space closes
//! it (a typographic slip for a closing mark), and a closing curly mark at the
//! start of a word with no region open opens one (the reverse slip). A
//! closing curly mark standing alone between spaces before a word, with no
//! region open ("a deal ” that will be paid by ten generations.”"), opens
//! one only if a closing curly mark ends it in the same paragraph: the
//! reverse slip with a stray space, which a lone mark with nothing to pair
//! with is not. Single
//! marks are never taken as quotation marks: they double as apostrophes, and a
//! nested quote inside a double-quoted one stays part of it. Unbalanced marks
//! cannot derail the rest of the article, since every paragraph starts closed.

/// One quoted region, by byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// The opening mark.
    pub open: usize,
    /// The quoted words, surrounding whitespace trimmed.
    pub start: usize,
    pub end: usize,
    /// Just past the closing mark, or the end of the paragraph when the
    /// region was never closed.
    pub close: usize,
    /// Whether a closing mark ended the region (not a line break).
    pub closed: bool,
}

fn is_open_mark(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}

fn is_close_mark(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Every quoted region of `text`, in order, never overlapping.
///
/// A byte scan: only line breaks, straight quotes and the lead bytes of the
/// curly and angle marks (`E2`, `C2`) are looked at closely.
pub fn scan(text: &str) -> Vec<Region> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // (opening mark, first byte inside)
    let mut open: Option<(usize, usize)> = None;
    // Whether the open region was opened by a spaced closing mark: it stands
    // only if a closing curly mark ends it.
    let mut tentative = false;
    let prev_space = |i: usize| text[..i].chars().next_back().is_none_or(char::is_whitespace);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !matches!(b, b'\n' | b'"' | 0xC2 | 0xE2) {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let after = i + c.len_utf8();
        if tentative && (c == '\n' || c == '"' || is_open_mark(c)) {
            // Not the pair of a spaced closing mark: that mark was no quote.
            open = None;
            tentative = false;
        }
        if c == '\n' {
            if let Some((o, s)) = open.take() {
                push(text, o, s, i, i, false, &mut out);
            }
        } else if is_open_mark(c) {
            match open {
                Some((o, s)) if !prev_space(i) => {
                    push(text, o, s, i, after, true, &mut out);
                    open = None;
                }
                _ => open = Some((i, after)),
            }
        } else if is_close_mark(c) {
            if let Some((o, s)) = open.take() {
                push(text, o, s, i, after, true, &mut out);
                tentative = false;
            } else if prev_space(i) && text[after..].chars().next().is_some_and(char::is_alphanumeric) {
                open = Some((i, after));
            } else if prev_space(i) && spaced_word(&text[after..]) {
                open = Some((i, after));
                tentative = true;
            }
        } else if c == '"' {
            if let Some((o, s)) = open.take() {
                push(text, o, s, i, after, true, &mut out);
            } else {
                open = Some((i, after));
            }
        }
        i = after;
    }
    if let Some((o, s)) = open.filter(|_| !tentative) {
        push(text, o, s, text.len(), text.len(), false, &mut out);
    }
    out
}

/// Whether `rest` is one space (not a line break) and then a word.
fn spaced_word(rest: &str) -> bool {
    let mut cs = rest.chars();
    cs.next().is_some_and(|c| c.is_whitespace() && c != '\n') && cs.next().is_some_and(char::is_alphanumeric)
}

fn push(text: &str, open: usize, inner: usize, end: usize, close: usize, closed: bool, out: &mut Vec<Region>) {
    let body = &text[inner..end];
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = inner + (body.len() - body.trim_start().len());
    out.push(Region { open, start, end: start + trimmed.len(), close, closed });
}

/// Words in `s`: runs of letters or digits, inner apostrophes allowed.
pub fn count_words(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if !in_word {
                n += 1;
                in_word = true;
            }
        } else if in_word && matches!(c, '\'' | '’') && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            // inner apostrophe: the word goes on
        } else {
            in_word = false;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        scan(t).into_iter().map(|r| &t[r.start..r.end]).collect()
    }

    #[test]
    fn curly_straight_and_angle() {
        assert_eq!(texts("He said “one two” and \"three four\" and «five»."), vec!["one two", "three four", "five"]);
    }

    #[test]
    fn paragraphs_reopen() {
        let t = "“First part of it.\n\n“Second part.” she said.";
        let r = scan(t);
        assert_eq!(texts(t), vec!["First part of it.", "Second part."]);
        assert!(!r[0].closed);
        assert!(r[1].closed);
    }

    #[test]
    fn slips_and_unbalanced() {
        // opening mark used as a closing one
        assert_eq!(texts("“A slip“ here."), vec!["A slip"]);
        // closing mark used as an opening one
        assert_eq!(texts("He said ”so it goes” today."), vec!["so it goes"]);
        // ... with a stray space, when a closing mark pairs with it
        assert_eq!(
            texts("He will not sign a deal ” that will be paid by 10 generations.” Then he left."),
            vec!["that will be paid by 10 generations."]
        );
        // a spaced closing mark with nothing to pair with is no quote
        assert_eq!(texts("He said ” that it goes on\nNext para."), Vec::<&str>::new());
        assert_eq!(texts("It ” ends here “and this” goes."), vec!["and this"]);
        assert_eq!(texts("A deal ” that Ukraine’s sons — all — pay.” Then."), vec!["that Ukraine’s sons — all — pay."]);
        assert_eq!(texts("” … they are so not like him,” she said."), Vec::<&str>::new());
        // unbalanced: runs to the end of the paragraph, never past it
        assert_eq!(texts("He said “never closed\nNext para."), vec!["never closed"]);
        assert_eq!(texts("\"\"\"\""), Vec::<&str>::new());
        // nested single quotes stay inside
        assert_eq!(texts("“He told me ‘go home’ twice.”"), vec!["He told me ‘go home’ twice."]);
    }

    #[test]
    fn word_counts() {
        assert_eq!(count_words("don’t stop — now 2"), 4);
        assert_eq!(count_words("  "), 0);
        assert_eq!(count_words("rock 'n' roll"), 3);
    }
}
