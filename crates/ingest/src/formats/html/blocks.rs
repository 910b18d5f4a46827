//! HTML to plain text with one paragraph per line.
//!
//! The cleaning stage judges site furniture line by line, so block elements
//! (paragraphs, headings, list items, table rows, line breaks) must end lines
//! while inline markup (links, emphasis) must not split them.

use trafilatura::dom::{Document, NodeId};

use super::tags;

/// Elements whose start and end break a line: the blocks of the standard's
/// rendering ([`tags::BLOCK`]) but the cells, which share their row's line
/// (a table row reads as one line, its cells apart by a space).
fn is_block(tag: &str) -> bool {
    let c = tags::of(tag.as_bytes());
    c & tags::BLOCK != 0 && c & tags::CELL == 0
}

/// Text of the subtree under `root`, one block a line, whitespace runs inside a
/// line collapsed, empty lines dropped. Walks with an explicit stack, so a
/// hostile page nested a million levels deep cannot overflow the call stack.
pub fn subtree_text(doc: &Document, root: NodeId) -> String {
    enum Step {
        Enter(NodeId),
        Leave(bool),
    }
    let mut raw = String::new();
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave(block) => {
                if block {
                    raw.push('\n');
                }
            }
            Step::Enter(id) => {
                if doc.is_text(id) {
                    raw.push_str(&doc.text_content(id));
                    continue;
                }
                let tag = doc.tag_name(id);
                if !tag.is_empty() && tags::is(tag.as_bytes(), tags::UNREAD) {
                    continue;
                }
                let block = is_block(tag);
                if block {
                    raw.push('\n');
                }
                if tags::is(tag.as_bytes(), tags::CELL) {
                    raw.push(' ');
                }
                stack.push(Step::Leave(block));
                for child in doc.child_nodes(id).into_iter().rev() {
                    stack.push(Step::Enter(child));
                }
            }
        }
    }
    tidy_lines(&raw)
}

/// Collapses whitespace inside each line and drops empty lines.
pub fn tidy_lines(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        let mut first = true;
        for word in line.split_whitespace() {
            if first {
                if !out.is_empty() {
                    out.push('\n');
                }
                first = false;
            } else {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// Text of an HTML document or fragment, one block a line. The markup is
/// bounded first ([`super::bound`]); markup past those bounds yields no text
/// (call [`super::bound::bound_markup`] first to learn why).
pub fn html_to_lines(html: &str) -> String {
    let Ok(html) = super::bound::bound_markup(html) else { return String::new() };
    let doc = Document::parse(&html);
    let root = doc.body().unwrap_or_else(|| doc.root());
    subtree_text(&doc, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_lines_and_inline_markup_does_not() {
        let text = html_to_lines(
            "<h2>Port reopens</h2><p>The harbour <a href='#'>reopened</a> on <em>Monday</em>.</p>\
             <ul><li>First ship</li><li>Second   ship</li></ul><p>Line one<br>line two</p>\
             <script>var x = 1;</script><table><tr><td>a</td><td>b</td></tr></table>",
        );
        assert_eq!(
            text,
            "Port reopens\nThe harbour reopened on Monday.\nFirst ship\nSecond ship\nLine one\nline two\na b"
        );
    }

    #[test]
    fn rendering_blocks_the_old_list_missed_end_lines() {
        // `menu`, `dialog`, `legend`, `hgroup`, `search`, `dir` are blocks
        // in the standard's rendering; cells still share their row's line.
        let text = html_to_lines(
            "<hgroup><h1>Title</h1><p>Sub</p></hgroup>x<menu><li>m</li></menu>y<search>s</search>z\
             <fieldset><legend>L</legend>f</fieldset><dir><li>d</li></dir>\
             <table><tr><th>h1</th><th>h2</th></tr><tr><td>a</td><td>b</td></tr></table>",
        );
        assert_eq!(text, "Title\nSub\nx\nm\ny\ns\nz\nL\nf\nd\nh1 h2\na b");
    }

    #[test]
    fn unread_elements_the_old_list_kept_give_no_text() {
        // The fallback's own list lacked these, which the segmenter always
        // skipped (`tags::UNREAD`): a form control's typed text, a media
        // element's text for readers that cannot play it, an image map's
        // areas, a data list's options.
        let text = html_to_lines(
            "<p>Kept</p><textarea>typed words</textarea><video>Your browser cannot play this</video>\
             <audio>No audio</audio><map name=m><p>map words</p></map><datalist><option>choice</option></datalist>\
             <input value=x><p>Also kept</p>",
        );
        assert_eq!(text, "Kept\nAlso kept");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(4_000) + "deep words" + &"</div>".repeat(4_000);
        assert!(html_to_lines(&html).contains("deep words"));
        // Past the nesting refused, no text.
        let html = "<div>".repeat(20_000) + "deep words" + &"</div>".repeat(20_000);
        assert_eq!(html_to_lines(&html), "");
    }
}
