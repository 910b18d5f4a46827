//! Removal of inert markup before parsing.
//!
//! Scripts, style sheets, inline SVG drawings and comments are about half the
//! bytes of a typical news page, and the extractor throws them away right
//! after parsing. Cutting them out of the source with a byte scan first saves
//! the HTML tokenizer, the tree builder and every later pass over the tree
//! that work. JSON-LD scripts are kept: they carry the page's metadata.

use std::borrow::Cow;

use memchr::memchr_iter;

use super::bound::{comment_end, tag_end};

/// Elements removed with their content whose content is raw text for the
/// HTML parser: they end at the first closing tag of their name.
/// `noscript` stays: the `trafilatura` fallback reads what it holds (some
/// blog templates put the whole post there), and cutting it lost a page of
/// extraction-dev for no measurable speed.
const RAW_TEXT: &[&[u8]] = &[b"script", b"style", b"iframe", b"textarea"];

/// Elements removed with their content that may nest (an `svg` inside an
/// `svg`): they end at the closing tag that balances the opening one. All are
/// removed by the extractor's own cleaning too (trafilatura's
/// `TAGS_TO_CLEAN`), so cutting them early changes what is parsed, not what
/// is extracted.
const NESTING: &[&[u8]] = &[b"svg", b"math", b"template", b"select", b"object", b"video", b"audio", b"canvas"];

/// `html` without comments and without the `INERT` elements (except JSON-LD
/// scripts). Borrowed unchanged when there is nothing to remove.
pub fn strip_inert(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut kept_until = 0;
    let mut resume = 0;
    for lt in memchr_iter(b'<', bytes) {
        if lt < resume {
            continue;
        }
        let Some(end) = inert_span_end(bytes, lt) else { continue };
        let o = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
        // Spans start at `<` and end after `>` or at the end of the input, so
        // both cuts fall on character boundaries.
        o.push_str(&html[kept_until..lt]);
        kept_until = end;
        resume = end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[kept_until..]);
            Cow::Owned(o)
        }
    }
}

/// If an inert span (a comment or an `INERT` element) starts at `lt`, the
/// offset just past it.
fn inert_span_end(bytes: &[u8], lt: usize) -> Option<usize> {
    let rest = &bytes[lt..];
    if rest.starts_with(b"<!--") {
        // A comment never closed runs to the end of the input, for the
        // parser as here (and the scan for its end is made once).
        return Some(comment_end(bytes, lt + 4).unwrap_or(bytes.len()));
    }
    let name = RAW_TEXT.iter().chain(NESTING).find(|n| starts_with_tag(&rest[1..], n))?;
    let nests = NESTING.contains(name);
    // A tag never closed swallows the rest of the input: the parser drops it.
    let Some((_, open_end)) = tag_end(bytes, lt + 1) else { return Some(bytes.len()) };
    let open_end = open_end - lt;
    if *name == b"script" {
        let open = rest[..open_end].to_ascii_lowercase();
        if find(&open, b"ld+json").is_some() {
            return None;
        }
    }
    if rest[..open_end].ends_with(b"/>") && nests {
        return Some(lt + open_end);
    }
    // Nested `<svg>` inside `<svg>` is legal; raw-text elements do not nest.
    let mut depth = 1usize;
    let mut at = open_end;
    loop {
        let next = memchr::memchr(b'<', &rest[at..]).map(|p| at + p);
        let Some(p) = next else { return Some(bytes.len()) };
        let here = &rest[p + 1..];
        if here.first() == Some(&b'/') && starts_with_tag(&here[1..], name) {
            depth -= 1;
            if depth == 0 {
                let close_end = memchr::memchr(b'>', &rest[p..]).map(|e| p + e + 1).unwrap_or(rest.len());
                return Some(lt + close_end);
            }
        } else if nests && starts_with_tag(here, name) {
            depth += 1;
        }
        at = p + 1;
    }
}

/// `s` starts with tag name `name` (ASCII case-insensitive) followed by a
/// character that ends a tag name.
fn starts_with_tag(s: &[u8], name: &[u8]) -> bool {
    s.len() > name.len()
        && s[..name.len()].eq_ignore_ascii_case(name)
        && matches!(s[name.len()], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_styles_svg_and_comments() {
        let html = "<p>a</p><script>if (a<b) { x = '</p>'; }</script><p>b<!-- note --></p>\
                    <STYLE type=text/css>p { color: red }</STYLE><svg><svg><path d='M0'/></svg></svg><p>c</p>";
        assert_eq!(strip_inert(html), "<p>a</p><p>b</p><p>c</p>");
    }

    #[test]
    fn keeps_json_ld_and_ordinary_text() {
        let html = r#"<script type="application/ld+json">{"headline":"x"}</script><p>scripture <scripts></p>"#;
        assert_eq!(strip_inert(html), html);
        assert!(matches!(strip_inert("<p>plain</p>"), Cow::Borrowed(_)));
    }

    #[test]
    fn unterminated_spans_end_the_input() {
        assert_eq!(strip_inert("<p>a</p><script>var x"), "<p>a</p>");
        assert_eq!(strip_inert("<p>a</p><!-- open"), "<p>a</p>");
        assert_eq!(strip_inert("<p>a</p><!-- x --!><p>b</p>"), "<p>a</p><p>b</p>");
        assert_eq!(strip_inert("<p>é</p><!-->ü"), "<p>é</p>ü");
        // `--->` closes a comment: the pair of dashes before `>` starts at
        // the second dash.
        assert_eq!(strip_inert("<!-- a ---><p>b</p><!-- c --><p>d</p>"), "<p>b</p><p>d</p>");
        assert_eq!(strip_inert("<!---<div>x</div>!---><p>b</p>"), "<p>b</p>");
        assert_eq!(strip_inert("<!-- a -- b ----><p>c</p>"), "<p>c</p>");
        assert_eq!(strip_inert("<p>a</p><script src=x"), "<p>a</p>");
    }

    #[test]
    fn unclosed_openers_are_linear() {
        for piece in ["<!--", "<script ", "<svg a=\"", "<style"] {
            let html = piece.repeat(200_000);
            let t = std::time::Instant::now();
            let _ = strip_inert(&html);
            assert!(t.elapsed().as_secs() < 2, "{piece}");
        }
    }
}
