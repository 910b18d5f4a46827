//! Character references (`&amp;`, `&#65;`, `&notin`, …), decoded as
//! html5ever's tokenizer decodes them — its table of named entities, the
//! longest-prefix match without a semicolon, the attribute-value exception
//! and the numeric replacements — so that the lean tree's text and
//! attribute values are html5ever's to the character.

use memchr::memchr;

/// `text` with its character references decoded as html5ever does (in an
/// attribute value when `in_attr`); borrowed when it has none.
pub(super) fn decode<'a>(text: &'a str, in_attr: bool, out: &'a mut String) -> &'a str {
    let bytes = text.as_bytes();
    let Some(first) = memchr(b'&', bytes) else { return text };
    out.clear();
    let mut kept = 0;
    let mut at = first;
    loop {
        out.push_str(&text[kept..at]);
        let (consumed, chars) = char_ref(&text[at + 1..], in_attr);
        match chars {
            Some((a, b)) => {
                out.push(a);
                if let Some(b) = b {
                    out.push(b);
                }
                kept = at + 1 + consumed;
            }
            None => {
                out.push('&');
                kept = at + 1;
            }
        }
        match memchr(b'&', &bytes[kept..]) {
            Some(i) => at = kept + i,
            None => break,
        }
    }
    out.push_str(&text[kept..]);
    out.as_str()
}

/// The character reference at the start of `s` (just after a `&`): bytes it
/// takes and the characters it stands for, or `None` when it is not one.
fn char_ref(s: &str, in_attr: bool) -> (usize, Option<(char, Option<char>)>) {
    let bytes = s.as_bytes();
    match bytes.first() {
        Some(b'#') => {
            let (base, digits_at) = match bytes.get(1) {
                Some(b'x' | b'X') => (16, 2),
                _ => (10, 1),
            };
            let mut i = digits_at;
            let mut num: u32 = 0;
            let mut too_big = false;
            while let Some(d) = bytes.get(i).and_then(|&c| (c as char).to_digit(base)) {
                num = num.wrapping_mul(base);
                if num > 0x10FFFF {
                    too_big = true;
                }
                num = num.wrapping_add(d);
                i += 1;
            }
            if i == digits_at {
                return (0, None);
            }
            if bytes.get(i) == Some(&b';') {
                i += 1;
            }
            (i, Some((numeric_char(num, too_big), None)))
        }
        Some(c) if c.is_ascii_alphanumeric() => {
            let mut best: Option<(usize, (u32, u32))> = None;
            let mut i = 0;
            while i < bytes.len() {
                // Entity names are ASCII; any other character ends the match.
                if !bytes[i].is_ascii() {
                    break;
                }
                match html5ever::data::NAMED_ENTITIES.get(&s[..=i]) {
                    Some(&m) => {
                        if m.0 != 0 {
                            best = Some((i + 1, m));
                        }
                    }
                    None => break,
                }
                i += 1;
            }
            let Some((n, (c1, c2))) = best else { return (0, None) };
            if bytes[n - 1] != b';' && in_attr && bytes.get(n).is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric())
            {
                return (0, None);
            }
            let c1 = char::from_u32(c1).unwrap_or('\u{fffd}');
            (n, Some((c1, (c2 != 0).then(|| char::from_u32(c2).unwrap_or('\u{fffd}')))))
        }
        _ => (0, None),
    }
}

fn numeric_char(n: u32, too_big: bool) -> char {
    match n {
        _ if n > 0x10FFFF || too_big => '\u{fffd}',
        0x00 | 0xD800..=0xDFFF => '\u{fffd}',
        0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(n - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(n).unwrap_or('\u{fffd}')),
        _ => char::from_u32(n).unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::same;

    #[test]
    fn attributes_and_references() {
        same(
            "<div class=\"a b\" ID=X data-x='1' class=dup checked>&lt;&gt;&amp&copy;&notit; &#65;&#x42;&#128;&#0;&#xD800;&nope;</div>",
        );
        same("<a href=\"/p?a=1&copy=2&amp;b&lt\" title=x&amp;y>l</a>");
        same("<p title='&notin;&noti'>&ampx &#; &#x; & amp</p>");
        same("<div a=b c = d e= \"f\" =g h/i>x</div>");
    }
}
