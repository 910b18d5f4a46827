//! A parsed page cut into blocks: the runs of text between block-level
//! boundaries (paragraphs, headings, list items, cells, line breaks), each
//! with what the classifier needs to know about it — its own text statistics,
//! the element that holds it, the semantic elements and class/id words above
//! it — plus the element table that later passes aggregate over.
//!
//! One walk, iterative (a page nested a million levels deep cannot overflow
//! the stack), in document order, so the blocks come out in reading order.

use std::hash::Hasher;

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::hints::{self, Hints};
use crate::formats::html::tags;

/// What an element is, as far as segmentation and the features care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    P,
    H1,
    H2,
    /// `h3`–`h6`.
    H3,
    Li,
    /// `td`, `th`.
    Cell,
    Div,
    Quote,
    Pre,
    /// `dt`, `dd`.
    Term,
    Caption,
    /// Any other element that starts a block (`section`, `table`, `ul`, …).
    OtherBlock,
    /// Inline elements (`span`, `a`, `em`, …): no boundary.
    Inline,
    /// `br`, `hr`: a boundary without content.
    Break,
    /// Never reading text (`script`, `button`, …): skipped with its subtree.
    Skip,
}

impl Kind {
    /// The kind of an element by its tag name (ASCII lower case). Whether
    /// it starts a block is the standard's rendering, kept in
    /// [`tags::BLOCK`], and what is skipped is [`tags::UNREAD`] (which the
    /// plain-text fallback reads too); which block kind it is is the
    /// extractor's own.
    pub fn of(tag: &str) -> Kind {
        match tag {
            "p" => Kind::P,
            "h1" => Kind::H1,
            "h2" => Kind::H2,
            "h3" | "h4" | "h5" | "h6" => Kind::H3,
            "li" => Kind::Li,
            "td" | "th" => Kind::Cell,
            "div" => Kind::Div,
            "blockquote" => Kind::Quote,
            "pre" => Kind::Pre,
            "dt" | "dd" => Kind::Term,
            "figcaption" | "caption" => Kind::Caption,
            "br" | "hr" => Kind::Break,
            _ => {
                let c = tags::of(tag.as_bytes());
                if c & tags::UNREAD != 0 {
                    Kind::Skip
                } else if c & tags::BLOCK != 0 {
                    Kind::OtherBlock
                } else {
                    Kind::Inline
                }
            }
        }
    }

    fn is_block(self) -> bool {
        !matches!(self, Kind::Inline | Kind::Skip)
    }

    pub fn is_heading(self) -> bool {
        matches!(self, Kind::H1 | Kind::H2 | Kind::H3)
    }
}

/// Semantic context of a block: bits set by elements and ARIA roles above it.
pub mod ctx {
    pub const ARTICLE: u32 = 1;
    pub const MAIN: u32 = 1 << 1;
    pub const NAV: u32 = 1 << 2;
    pub const HEADER: u32 = 1 << 3;
    pub const FOOTER: u32 = 1 << 4;
    pub const ASIDE: u32 = 1 << 5;
    pub const FORM: u32 = 1 << 6;
    pub const LIST: u32 = 1 << 7;
    pub const TABLE: u32 = 1 << 8;
    pub const FIGURE: u32 = 1 << 9;
    pub const QUOTE: u32 = 1 << 10;
    pub const HEADING: u32 = 1 << 11;
    /// `itemprop="articleBody"` (or `text`), the schema.org mark of the body.
    pub const BODY_PROP: u32 = 1 << 12;
    pub const ADDRESS: u32 = 1 << 13;
    pub const LABEL: u32 = 1 << 14;
    pub const DETAILS: u32 = 1 << 15;
    pub const ARIA_HIDDEN: u32 = 1 << 16;
    pub const CODE: u32 = 1 << 17;
    pub const TIME: u32 = 1 << 18;
    pub const COUNT: usize = 19;
}

/// One element of the page that holds text, with aggregates filled in after
/// the walk.
#[derive(Debug, Clone)]
pub struct Elem {
    pub parent: u32,
    pub kind: Kind,
    pub depth: u16,
    pub hints: Hints,
    /// Tag and class of the element, hashed ([`signature`]): siblings with
    /// the same signature are items of one repeated structure (a list of
    /// teasers, a grid of cards).
    pub sig: u32,
    /// Characters of text in blocks at or below this element.
    pub chars: u32,
    /// Of those, characters inside links.
    pub link_chars: u32,
    /// Characters of paragraph-like blocks (prose) at or below.
    pub prose_chars: u32,
    /// Blocks at or below.
    pub blocks: u32,
    /// Elements at or below (itself included).
    pub elements: u32,
    /// Images, videos and embeds at or below (never text, so not blocks).
    pub media: u32,
    /// Buttons, form fields and icons (`svg`) at or below: the controls of
    /// share bars, calls to action, comment forms.
    pub controls: u32,
}

/// A run of text between block boundaries.
#[derive(Debug, Clone)]
pub struct Block {
    /// The text, whitespace collapsed, trimmed.
    pub text: String,
    /// Index in [`Segmented::elems`] of the nearest block-level element.
    pub owner: u32,
    pub chars: u32,
    pub link_chars: u32,
    /// Context bits ([`ctx`]) of every element above.
    pub ctx: u32,
    /// Class/id hints of the owner itself, of it and its three nearest
    /// ancestors, and of every ancestor.
    pub hints_own: Hints,
    pub hints_near: Hints,
    pub hints_any: Hints,
    /// Characters of text in the blocks before this one.
    pub chars_before: u32,
    /// Whether it reads as prose ([`is_prose`]), decided once: segmentation
    /// and the features ask it of every block several times.
    pub prose: bool,
}

#[derive(Debug, Default)]
pub struct Segmented {
    pub blocks: Vec<Block>,
    pub elems: Vec<Elem>,
    /// Characters in all blocks.
    pub total_chars: u32,
    /// Elements not walked because the page had more than the cap.
    pub truncated: bool,
}

/// Most elements walked on one page. News pages hold a few thousand; past
/// this the rest of the page is ignored (and the page marked truncated), so
/// the work per page stays bounded whatever the input.
pub const MAX_ELEMENTS: usize = 100_000;

/// Blocks longer than this many bytes are cut: no paragraph is that long, and
/// unbounded text would make one block cost what a page should.
const MAX_BLOCK_BYTES: usize = 64 * 1024;

struct Open {
    elem: u32,
    ctx: u32,
    hints_any: Hints,
    link: bool,
}

struct Walker<'a> {
    out: Segmented,
    /// Hints of each distinct class or id value met on this page: templates
    /// repeat a few values on hundreds of elements.
    /// and the value's [`class_hash`].
    hint_cache: rustc_hash::FxHashMap<&'a str, (Hints, u32)>,
    stack: Vec<Open>,
    buf: String,
    pending_space: bool,
    buf_link_chars: u32,
    buf_chars: u32,
    /// Sentence punctuation in `buf` (see [`is_prose`]), counted as it is
    /// pushed rather than by a scan of each block's text.
    buf_stops: u32,
    link_depth: u32,
}

impl<'a> Walker<'a> {
    fn top(&self) -> &Open {
        self.stack.last().expect("the root is always open")
    }

    fn push_text(&mut self, s: &str) {
        let in_link = self.link_depth > 0;
        for c in s.chars() {
            if c.is_whitespace() {
                self.pending_space = !self.buf.is_empty();
                continue;
            }
            if self.buf.len() >= MAX_BLOCK_BYTES {
                return;
            }
            if self.pending_space {
                // A space counts as text, never as link text: it belongs to
                // the words on both sides.
                self.buf.push(' ');
                self.buf_chars += 1;
                self.pending_space = false;
            }
            self.buf.push(c);
            self.buf_chars += 1;
            self.buf_stops += u32::from(matches!(c, '.' | ',' | ';' | '!' | '?'));
            if in_link {
                self.buf_link_chars += 1;
            }
        }
    }

    /// Ends the current block, if it has text, as a child of the innermost
    /// open element.
    fn flush(&mut self) {
        self.pending_space = false;
        if self.buf.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.buf);
        let (chars, link_chars) = (self.buf_chars, self.buf_link_chars.min(self.buf_chars));
        let stops = self.buf_stops;
        self.buf_chars = 0;
        self.buf_link_chars = 0;
        self.buf_stops = 0;
        let top = self.top();
        let owner = top.elem;
        let mut near = Hints::default();
        for open in self.stack.iter().rev().take(4) {
            near |= self.out.elems[open.elem as usize].hints;
        }
        let block = Block {
            text,
            owner,
            chars,
            link_chars,
            ctx: top.ctx,
            hints_own: self.out.elems[owner as usize].hints,
            hints_near: near,
            hints_any: top.hints_any,
            chars_before: self.out.total_chars,
            prose: prose(chars, link_chars, stops),
        };
        self.out.total_chars += chars;
        self.out.blocks.push(block);
    }

    /// Opens an element; returns false when its subtree is to be skipped.
    fn enter(&mut self, el: &'a scraper::node::Element) -> bool {
        let tag = el.name();
        let kind = Kind::of(tag);
        if kind == Kind::Skip {
            let e = self.top().elem as usize;
            match tag {
                "img" | "picture" | "video" | "iframe" | "embed" | "object" | "canvas" => self.out.elems[e].media += 1,
                "button" | "input" | "select" | "textarea" | "svg" => self.out.elems[e].controls += 1,
                _ => {}
            }
            return false;
        }
        let a = Attrs::of(el);
        if a.hidden && !(tag == "div" && is_streamed_segment(a.id)) {
            return false;
        }
        if kind.is_block() {
            self.flush();
        }
        if kind == Kind::Break {
            return false;
        }
        let mut own_hints = Hints::default();
        let mut class_sig = 0;
        for (k, v) in [a.class, a.id].into_iter().enumerate() {
            if !v.is_empty() {
                let (h, sig) = *self.hint_cache.entry(v).or_insert_with(|| (hints::of_value(v), class_hash(v)));
                own_hints |= h;
                if k == 0 {
                    class_sig = sig;
                }
            }
        }
        let parent = self.top();
        let mut context = parent.ctx | context_bits(tag, &a);
        if kind.is_heading() {
            context |= ctx::HEADING;
        }
        let hints_any = parent.hints_any | own_hints;
        let parent_elem = parent.elem;
        let link = tag == "a";
        if kind.is_block() {
            let depth = self.out.elems[parent_elem as usize].depth.saturating_add(1);
            self.out.elems.push(Elem {
                parent: parent_elem,
                kind,
                depth,
                hints: own_hints,
                sig: signature(tag, class_sig),
                chars: 0,
                link_chars: 0,
                prose_chars: 0,
                blocks: 0,
                elements: 1,
                media: 0,
                controls: 0,
            });
            let elem = (self.out.elems.len() - 1) as u32;
            self.stack.push(Open { elem, ctx: context, hints_any, link });
        } else {
            // Inline elements share their block owner's entry, but their
            // class words still count (a `<span class="byline">`).
            self.out.elems[parent_elem as usize].elements += 1;
            self.stack.push(Open { elem: parent_elem, ctx: context, hints_any, link });
        }
        if link {
            self.link_depth += 1;
        }
        true
    }

    fn leave(&mut self, el: &scraper::node::Element) {
        if Kind::of(el.name()).is_block() {
            self.flush();
        }
        if let Some(open) = self.stack.pop()
            && open.link
        {
            self.link_depth = self.link_depth.saturating_sub(1);
        }
    }
}

/// The attributes segmentation reads, from one scan of an element's
/// attributes (see [`crate::formats::html::attr`] for why not one lookup
/// each).
#[derive(Default)]
struct Attrs<'a> {
    class: &'a str,
    id: &'a str,
    role: Option<&'a str>,
    itemprop: Option<&'a str>,
    aria_hidden: bool,
    /// Hidden from readers by its markup (`hidden`, `display: none`,
    /// `visibility: hidden`).
    hidden: bool,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a scraper::node::Element) -> Attrs<'a> {
        let mut a = Attrs::default();
        for (q, v) in el.attrs.iter() {
            let v: &'a str = v;
            match &*q.local {
                "class" => a.class = v,
                "id" => a.id = v,
                "role" => a.role = Some(v),
                "itemprop" => a.itemprop = Some(v),
                "aria-hidden" => a.aria_hidden = v.trim() == "true",
                "hidden" => a.hidden = true,
                "style" if v.len() < 512 && memchr::memchr(b':', v.as_bytes()).is_some() => {
                    let s: String = v.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
                    a.hidden |= s.contains("display:none") || s.contains("visibility:hidden");
                }
                _ => {}
            }
        }
        a
    }
}

/// A React streamed segment (`<div hidden id="S:3">`, the number in hex): server rendering
/// that streams a page sends the content of a suspended part at the end of
/// the document in a hidden `div` with this id, and a script moves it into
/// its placeholder (`<template id="B:3">`) as the page loads, so a reader
/// sees it. Sites built with Next.js and other React frameworks send whole
/// article bodies this way; read as hidden, their pages had no body.
fn is_streamed_segment(id: &str) -> bool {
    id.strip_prefix("S:").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Most bytes of a class value that go into an element's signature: the
/// words that say what an item is come first, and utility-class soups run to
/// kilobytes.
const SIGNATURE_CLASS_BYTES: usize = 128;

/// Hash of a class value, digits left out: items of one list often carry
/// their number or post id in a class (`post-1234`), which must not make
/// them differ.
fn class_hash(class: &str) -> u32 {
    let class = &class.as_bytes()[..class.len().min(SIGNATURE_CLASS_BYTES)];
    hash32(|h| class.split(u8::is_ascii_digit).for_each(|part| h.write(part)))
}

/// An element's signature: its tag and its class's [`class_hash`].
fn signature(tag: &str, class_hash: u32) -> u32 {
    hash32(|h| {
        h.write(tag.as_bytes());
        h.write_u32(class_hash);
    })
}

/// What `write` feeds an `FxHasher`, folded to 32 bits.
fn hash32(write: impl FnOnce(&mut rustc_hash::FxHasher)) -> u32 {
    let mut h = rustc_hash::FxHasher::default();
    write(&mut h);
    let x = h.finish();
    (x ^ (x >> 32)) as u32
}

fn context_bits(tag: &str, el: &Attrs<'_>) -> u32 {
    let mut bits = match tag {
        "article" => ctx::ARTICLE,
        "main" => ctx::MAIN,
        "nav" => ctx::NAV,
        "header" => ctx::HEADER,
        "footer" => ctx::FOOTER,
        "aside" => ctx::ASIDE,
        "form" | "fieldset" => ctx::FORM,
        "li" | "ul" | "ol" | "dl" => ctx::LIST,
        "table" => ctx::TABLE,
        "figure" => ctx::FIGURE,
        "blockquote" | "q" => ctx::QUOTE,
        "address" => ctx::ADDRESS,
        "label" => ctx::LABEL,
        "details" | "summary" => ctx::DETAILS,
        "pre" | "code" => ctx::CODE,
        "time" => ctx::TIME,
        _ => 0,
    };
    if let Some(role) = el.role {
        bits |= match role.trim() {
            "main" | "article" => ctx::MAIN,
            "navigation" | "menu" | "menubar" => ctx::NAV,
            "banner" => ctx::HEADER,
            "contentinfo" => ctx::FOOTER,
            "complementary" => ctx::ASIDE,
            "dialog" | "alertdialog" => ctx::FORM,
            _ => 0,
        };
    }
    if let Some(prop) = el.itemprop
        && (prop.contains("articleBody") || prop.trim() == "text")
    {
        bits |= ctx::BODY_PROP;
    }
    if el.aria_hidden {
        bits |= ctx::ARIA_HIDDEN;
    }
    bits
}

/// Cuts the `<body>` of a parsed page (the whole document when it has none)
/// into blocks in reading order.
pub fn segment(html: &Html) -> Segmented {
    let root = body(html).unwrap_or_else(|| html.tree.root());
    let mut w = Walker {
        out: Segmented::default(),
        hint_cache: Default::default(),
        stack: Vec::with_capacity(64),
        buf: String::new(),
        pending_space: false,
        buf_link_chars: 0,
        buf_chars: 0,
        buf_stops: 0,
        link_depth: 0,
    };
    w.out.elems.push(Elem {
        parent: 0,
        kind: Kind::OtherBlock,
        depth: 0,
        hints: Hints::default(),
        sig: 0,
        chars: 0,
        link_chars: 0,
        prose_chars: 0,
        blocks: 0,
        elements: 1,
        media: 0,
        controls: 0,
    });
    w.stack.push(Open { elem: 0, ctx: 0, hints_any: Hints::default(), link: false });

    // React's streamed segments, read where their placeholder stands (see
    // `is_streamed_segment`): (number, segment, read yet) and the detours
    // under way (the segment, the placeholder to go on from).
    // Looked up by number, so a page of many segments and placeholders
    // stays linear.
    let mut segments: rustc_hash::FxHashMap<&str, (NodeRef<'_, Node>, bool)> = root
        .children()
        .filter_map(|n| {
            let el = n.value().as_element()?;
            let id = el.id().filter(|id| el.name() == "div" && is_streamed_segment(id))?;
            Some((&id[2..], (n, false)))
        })
        .collect();
    let mut detours: Vec<(NodeId, NodeRef<'_, Node>)> = Vec::new();
    let mut visited = 0usize;
    let mut node: NodeRef<'_, Node> = match root.first_child() {
        Some(n) => n,
        None => return w.out,
    };
    'walk: loop {
        visited += 1;
        if visited > MAX_ELEMENTS {
            w.out.truncated = true;
            break;
        }
        let descend = match node.value() {
            Node::Text(t) => {
                w.push_text(t);
                false
            }
            Node::Element(el) if !segments.is_empty() && matches!(el.name(), "template" | "div") => {
                let prefix = if el.name() == "template" { "P:" } else { "S:" };
                match el.id().and_then(|id| id.strip_prefix(prefix)).and_then(|n| segments.get_mut(n)) {
                    Some(seg) if prefix == "P:" && !seg.1 => {
                        seg.1 = true;
                        detours.push((seg.0.id(), node));
                        node = seg.0;
                        continue;
                    }
                    // A segment already read at its placeholder is not read
                    // again where it stands.
                    Some(seg) if prefix == "S:" && seg.1 && seg.0.id() == node.id() => {
                        detours.last().is_some_and(|d| d.0 == node.id()) && w.enter(el)
                    }
                    _ => w.enter(el),
                }
            }
            Node::Element(el) => w.enter(el),
            _ => false,
        };
        if descend && let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        if descend && let Node::Element(el) = node.value() {
            w.leave(el);
        }
        // Up until a next sibling.
        loop {
            // The end of a segment read at its placeholder: on from there.
            if detours.last().is_some_and(|d| d.0 == node.id()) {
                node = detours.pop().expect("checked").1;
                continue;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                continue 'walk;
            }
            match node.parent() {
                Some(p) if p.id() != root.id() => {
                    node = p;
                    if let Node::Element(el) = node.value() {
                        w.leave(el);
                    }
                }
                _ => break 'walk,
            }
        }
    }
    w.flush();
    aggregate(&mut w.out);
    w.out
}

/// The `<body>` element, if the page has one.
pub fn body(html: &Html) -> Option<NodeRef<'_, Node>> {
    let root = html.tree.root();
    let html_el = root.children().find(|n| n.value().as_element().is_some_and(|e| e.name() == "html"))?;
    html_el.children().find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"))
}

/// Shortest block that counts as prose: about a dozen words.
pub const PROSE_MIN_CHARS: u32 = 80;

/// Whether a block reads as prose: long enough, mostly not links, and
/// punctuated like sentences.
pub fn is_prose(b: &Block) -> bool {
    b.prose
}

/// [`is_prose`] of a block of `chars` characters, `link_chars` of them in
/// links, holding `stops` of `.`, `,`, `;`, `!`, `?`.
fn prose(chars: u32, link_chars: u32, stops: u32) -> bool {
    chars >= PROSE_MIN_CHARS && (link_chars as f32) < 0.34 * chars as f32 && stops >= 2
}

/// Adds every block's figures to its owner and all elements above it.
/// Elements are created parent-first, so one backward pass over the table
/// carries each element's totals to its parent.
fn aggregate(seg: &mut Segmented) {
    for b in &seg.blocks {
        let e = &mut seg.elems[b.owner as usize];
        e.chars += b.chars;
        e.link_chars += b.link_chars;
        e.blocks += 1;
        if is_prose(b) {
            e.prose_chars += b.chars;
        }
    }
    for i in (1..seg.elems.len()).rev() {
        let (chars, link, prose, blocks, elements, parent) = {
            let e = &seg.elems[i];
            (e.chars, e.link_chars, e.prose_chars, e.blocks, e.elements, e.parent as usize)
        };
        let (media, controls) = (seg.elems[i].media, seg.elems[i].controls);
        let p = &mut seg.elems[parent];
        p.media += media;
        p.controls += controls;
        p.chars += chars;
        p.link_chars += link;
        p.prose_chars += prose;
        p.blocks += blocks;
        p.elements += elements;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_the_rendering_blocks() {
        // Every tag `tags::BLOCK` holds is a block kind here, and every tag
        // given a block kind of its own is in `tags::BLOCK`.
        let names = "a address article aside b blockquote body br caption center colgroup dd details dialog dir \
            div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i img \
            legend li listing main menu nav ol p plaintext pre script search section span summary table tbody td \
            tfoot th thead tr ul xmp";
        for n in names.split_whitespace() {
            let kind = Kind::of(n);
            let skip_or_inline = matches!(kind, Kind::Inline | Kind::Skip);
            assert_eq!(kind.is_block(), tags::is(n.as_bytes(), tags::BLOCK), "{n}");
            assert_eq!(!skip_or_inline, kind.is_block(), "{n}");
        }
        assert_eq!(Kind::of("dir"), Kind::OtherBlock);
        assert_eq!(Kind::of("legend"), Kind::OtherBlock);
        assert_eq!(Kind::of("colgroup"), Kind::Inline);
        assert_eq!(Kind::of("head"), Kind::Skip);
    }

    fn texts(html: &str) -> Vec<String> {
        segment(&Html::parse_document(html)).blocks.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn blocks_in_reading_order() {
        let t = texts(
            "<body><h1>Title</h1><div>Intro <a href=x>link</a> text<p>First  para.</p>tail<br>after break\
             <ul><li>one</li><li>two</li></ul><script>x()</script><button>Share</button></div></body>",
        );
        assert_eq!(t, ["Title", "Intro link text", "First para.", "tail", "after break", "one", "two"]);
    }

    #[test]
    fn links_context_and_hidden() {
        let seg = segment(&Html::parse_document(
            "<body><nav class='menu'><a href=/>Home</a></nav><article><p>Body <a href=#>here</a>.</p>\
             <p hidden>secret</p><p style='display: none'>gone</p></article></body>",
        ));
        assert_eq!(seg.blocks.len(), 2);
        let nav = &seg.blocks[0];
        assert_eq!(nav.link_chars, nav.chars);
        assert!(nav.ctx & ctx::NAV != 0);
        let body = &seg.blocks[1];
        assert!(body.ctx & ctx::ARTICLE != 0 && body.ctx & ctx::NAV == 0);
        assert_eq!(body.link_chars, 4);
        // Aggregates reach the root.
        assert_eq!(seg.elems[0].chars, seg.total_chars);
        assert_eq!(seg.total_chars, nav.chars + body.chars);
    }

    #[test]
    fn react_streamed_segments_are_read() {
        let t = texts(
            "<body><h1>Title</h1><template id='P:0'></template><p>Loading</p>\
             <div hidden id='S:0'><p>The streamed body.</p></div><div hidden id='S:x'>no</div>\
             <div hidden id='menu'>no</div><p hidden id='S:1'>no</p></body>",
        );
        assert_eq!(t, ["Title", "The streamed body.", "Loading"]);
        // Read where its placeholder stands, nested segments too, and once.
        let t = texts(
            "<body><h1>Title</h1><main><template id='P:0'></template></main><p>Footer</p>\
             <div hidden id='S:0'><p>Body one.</p><template id='P:1'></template><p>Body three.</p></div>\
             <div hidden id='S:1'><p>Body two.</p></div><div hidden id='S:2'><p>Unplaced.</p></div></body>",
        );
        assert_eq!(t, ["Title", "Body one.", "Body two.", "Body three.", "Footer", "Unplaced."]);
        // Many segments and placeholders: each read once, in linear time.
        let n = 20_000;
        let html = (0..n).map(|i| format!("<template id='P:{i:x}'></template>")).collect::<String>()
            + &(0..n).map(|i| format!("<div hidden id='S:{i:x}'><p>w{i}</p></div>")).collect::<String>();
        assert_eq!(texts(&html).len(), n);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(30_000) + "deep words" + &"</div>".repeat(30_000);
        let t = texts(&html);
        assert_eq!(t, ["deep words"]);
    }
}
