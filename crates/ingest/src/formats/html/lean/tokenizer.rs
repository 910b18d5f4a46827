//! The tokenizer: one scan of the bytes, by `memchr` from `<` to `<`, that
//! hands the builder text, start and end tags (names lowered, attributes
//! decoded, duplicates dropped), comments and a doctype, and reads the
//! content of raw-text elements (`title`, `script`, `style`, …) up to their
//! end tag. It stands apart from the builder because it knows nothing of
//! the tree: the builder only tells it which elements take raw text.

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, QualName, ns};
use memchr::memchr;

use super::super::bound::is_space;
use super::builder::Builder;
use super::refs::decode;
use super::{R, Unsupported};

/// How an element's content is tokenized.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Raw {
    /// Text with character references, up to the end tag (`title`).
    Rcdata,
    /// Text as written, up to the end tag (`noscript`, `style`, …).
    Rawtext,
    /// Script data (`script`).
    Script,
}

/// `s` in ASCII lower case, borrowed when it already is (tag and attribute
/// names mostly are).
fn ascii_lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase()) { Cow::Owned(s.to_ascii_lowercase()) } else { Cow::Borrowed(s) }
}

pub(super) fn tokenize(s: &str, b: &mut Builder) -> R {
    let bytes = s.as_bytes();
    let len = bytes.len();
    let mut pos = 0;
    let mut text = String::new();
    while pos < len {
        let lt = memchr(b'<', &bytes[pos..]).map_or(len, |i| pos + i);
        if lt > pos {
            b.text(decode(&s[pos..lt], false, &mut text))?;
        }
        if lt >= len {
            break;
        }
        let next = bytes.get(lt + 1).copied();
        match next {
            Some(c) if c.is_ascii_alphabetic() => {
                let Some(tag) = read_tag(s, lt + 1, true) else { break };
                pos = tag.end;
                if let Some(raw) = b.start(&tag.name, tag.attrs)? {
                    pos = raw_text(s, pos, raw, b, &mut text)?;
                }
            }
            Some(b'/') => match bytes.get(lt + 2).copied() {
                Some(c) if c.is_ascii_alphabetic() => {
                    let Some(tag) = read_tag(s, lt + 2, false) else { break };
                    pos = tag.end;
                    b.end(&tag.name)?;
                }
                Some(b'>') => {
                    // Ignored, but a parse error: html5ever's tree builder
                    // forgets a pending `pre` newline on it.
                    b.skip_lf = false;
                    pos = lt + 3;
                }
                None => {
                    b.text("</")?;
                    pos = len;
                }
                Some(_) => pos = bogus_comment(s, lt + 2, b)?,
            },
            Some(b'!') => {
                let rest = &bytes[lt + 2..];
                if rest.starts_with(b"--") {
                    // Comments are cut by `strip` before parsing; the few
                    // forms it leaves are html5ever's to read.
                    return Err(Unsupported);
                } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
                    pos = doctype(s, lt + 9, b)?;
                } else {
                    pos = bogus_comment(s, lt + 2, b)?;
                }
            }
            Some(b'?') => pos = bogus_comment(s, lt + 1, b)?,
            _ => {
                b.text("<")?;
                pos = lt + 1;
            }
        }
    }
    Ok(())
}

struct Tag<'a> {
    /// Lower case (borrowed when written so).
    name: Cow<'a, str>,
    attrs: Vec<Attribute>,
    /// Offset just past the closing `>`.
    end: usize,
}

/// Reads a tag whose name starts at `at`, with its attributes when
/// `keep_attrs` (an end tag's are read past, not kept); `None` when the input
/// ends inside it (the tokenizer then drops it).
fn read_tag(s: &str, at: usize, keep_attrs: bool) -> Option<Tag<'_>> {
    let bytes = s.as_bytes();
    let mut i = at;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = ascii_lower(&s[at..i]);
    let mut attrs: Vec<Attribute> = Vec::new();
    let mut scratch = String::new();
    let add = |attrs: &mut Vec<Attribute>, name: &str, value: &str| {
        if keep_attrs && !attrs.iter().any(|a| &*a.name.local == name) {
            attrs.push(Attribute {
                name: QualName::new(None, ns!(), LocalName::from(name)),
                value: StrTendril::from_slice(value),
            });
        }
    };
    loop {
        // Before attribute name.
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i) {
            None => return None,
            Some(b'>') => return Some(Tag { name, attrs, end: i + 1 }),
            Some(b'/') => {
                // Self-closing start: `/>` ends the tag (the flag means
                // nothing on HTML elements), a lone `/` is skipped.
                i += 1;
                continue;
            }
            _ => {}
        }
        // Attribute name (a leading `=` is part of it).
        let start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let aname = ascii_lower(&s[start..i]);
        // After attribute name.
        let mut j = i;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            add(&mut attrs, &aname, "");
            i = j;
            continue;
        }
        // Before attribute value.
        j += 1;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        match bytes.get(j) {
            None => return None,
            Some(&q @ (b'"' | b'\'')) => {
                let close = memchr(q, &bytes[j + 1..])? + j + 1;
                let v = if keep_attrs { decode(&s[j + 1..close], true, &mut scratch) } else { "" };
                add(&mut attrs, &aname, v);
                i = close + 1;
            }
            Some(b'>') => {
                add(&mut attrs, &aname, "");
                return Some(Tag { name, attrs, end: j + 1 });
            }
            Some(_) => {
                let mut k = j;
                while k < bytes.len() && !is_space(bytes[k]) && bytes[k] != b'>' {
                    k += 1;
                }
                if k >= bytes.len() {
                    return None;
                }
                let v = if keep_attrs { decode(&s[j..k], true, &mut scratch) } else { "" };
                add(&mut attrs, &aname, v);
                i = k;
            }
        }
    }
}

/// The content of a raw-text element opened just before `at`, handed to the
/// builder, then its end tag; returns the offset after it.
fn raw_text(s: &str, at: usize, raw: Raw, b: &mut Builder, scratch: &mut String) -> R<usize> {
    let bytes = s.as_bytes();
    let name = b.current_name().to_string();
    let mut from = at;
    let (content_end, after) = loop {
        let Some(i) = memchr(b'<', &bytes[from..]).map(|i| from + i) else { break (bytes.len(), bytes.len()) };
        let n = i + 2 + name.len();
        if bytes.get(i + 1) == Some(&b'/')
            && n <= bytes.len()
            && bytes[i + 2..n].eq_ignore_ascii_case(name.as_bytes())
            && bytes.get(n).is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            // The end tag, with whatever attributes it carries.
            match read_tag(s, i + 2, false) {
                Some(t) => break (i, t.end),
                None => break (i, bytes.len()),
            }
        }
        from = i + 1;
    };
    let content = &s[at..content_end];
    if raw == Raw::Script && memchr::memmem::find(content.as_bytes(), b"<!--").is_some() {
        // Script data's escape states.
        return Err(Unsupported);
    }
    let content = if raw == Raw::Rcdata { decode(content, false, scratch) } else { content };
    b.raw_content(content);
    Ok(after)
}

/// `<!…>`, `<?…>` or `</…>` that is not a tag: a comment up to the next `>`.
fn bogus_comment(s: &str, at: usize, b: &mut Builder) -> R<usize> {
    let end = memchr(b'>', &s.as_bytes()[at..]).map_or(s.len(), |i| at + i);
    b.comment(&s[at..end])?;
    Ok((end + 1).min(s.len()))
}

/// `<!DOCTYPE …>` from just after the keyword.
fn doctype(s: &str, at: usize, b: &mut Builder) -> R<usize> {
    let end = memchr(b'>', &s.as_bytes()[at..]).map_or(s.len(), |i| at + i);
    let body = s[at..end].trim_matches(|c: char| c.is_ascii_whitespace());
    let (name, rest) = body.split_once(|c: char| c.is_ascii_whitespace()).unwrap_or((body, ""));
    b.doctype(&name.to_ascii_lowercase(), rest.trim())?;
    Ok((end + 1).min(s.len()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{gives_up, same};

    #[test]
    fn void_and_self_closing() {
        same("<p>a<br>b<br/>c</br>d<img src=x alt='y'><hr>e<input type=text><wbr></p>");
        same("<div/>inside<span/>also</div>");
        same("<a href=x/>t</a>");
    }

    #[test]
    fn raw_text_elements() {
        same(
            "<head><noscript><img src=x></noscript><script type=application/ld+json>{\"a\":\"</p>\"}</script></head><body><noscript>n</noscript>",
        );
        same("<title>a <b> &amp; c</title><p>x<textarea>\nt<p></textarea>");
        same("<title>unclosed");
    }

    #[test]
    fn malformed_soup() {
        for s in [
            "<",
            "</",
            "<div",
            "<div class=\"open",
            "</>x",
            "< p>",
            "</3>x",
            "<p>a</div></span></unknown>b",
            "a<!x>b<?pi>c</ bogus>d",
            "<body><body class=b><html lang=x>",
            "<h1><h2>x</h2></h1>",
            "<option>a<option>b<optgroup>c",
        ] {
            same(s);
        }
        same("<!DOCTYPE html aaaaa\u{20ac}x><p>x");
        same("<!DOCTYPE \u{e9}\u{20ac}lic \"a\">t");
        gives_up("a\0b");
        gives_up("<svg><p>x</svg>");
        gives_up("<template><p>x</template>");
    }
}
