//! The tree builder: the standard's tree construction reduced to what news
//! pages use, building `scraper`'s tree directly. This file holds the open
//! elements, the element classes the rules ask about, the tree operations
//! and the document's frame — the insertion modes before and after the body
//! (implied `html`, `head` and `body`, head elements) — and hands the body's
//! tags to `body.rs` and a table's to `table.rs`. Whatever needs a step it
//! does not take (re-parenting, re-creating formatting elements, templates,
//! framesets, foreign content) returns [`Unsupported`] where it arises.

mod body;
mod table;

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tree_builder::QuirksMode;
use html5ever::{Attribute, LocalName, QualName, ns};
use scraper::node::{Comment, Doctype, Element, Text};
use scraper::{Html, Node};

use super::super::bound::is_space;
use super::tokenizer::Raw;
use super::{R, Unsupported};

/// Element classes the construction rules ask about, from
/// [`tags`](super::super::tags) (html5ever's sets, which differ from the
/// current standard in a few names: `isindex` special, `search` and
/// `keygen` not, `select` a scope boundary).
mod class {
    use super::super::super::tags::{self, Tags};
    pub use tags::{BUTTON, FORMATTING, HEADING, IMPLIED_END, ITEM_PASSES, LIST, MARKER, SCOPE, SPECIAL, TABLE_SCOPE};
    /// Table structure: table, tbody, thead, tfoot, tr.
    pub const TABLE_PART: Tags = tags::TABLE | tags::TABLE_SECTION | tags::ROW;
}

fn classes(name: &str) -> u32 {
    super::super::tags::of(name.as_bytes())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    Initial,
    BeforeHtml,
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
    AfterBody,
    AfterAfterBody,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quirks {
    No,
    Yes,
    /// A legacy doctype: quirks or not, the builder does not decide.
    Unknown,
}

struct Open {
    id: NodeId,
    name: LocalName,
    class: u32,
}

pub(super) struct Builder {
    pub(super) html: Html,
    stack: Vec<Open>,
    pub(super) mode: Mode,
    html_el: Option<NodeId>,
    head: Option<NodeId>,
    form: Option<NodeId>,
    quirks: Quirks,
    /// Drop a newline that starts the next text (after `pre`, `listing`).
    pub(super) skip_lf: bool,
}

/// Which scope a search is bounded by.
#[derive(Clone, Copy)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
}

impl Builder {
    pub(super) fn new() -> Builder {
        Builder {
            html: Html::new_document(),
            stack: Vec::with_capacity(64),
            mode: Mode::Initial,
            html_el: None,
            head: None,
            form: None,
            quirks: Quirks::Yes,
            skip_lf: false,
        }
    }

    fn current(&self) -> &Open {
        self.stack.last().expect("html is open")
    }

    pub(super) fn current_name(&self) -> &str {
        &self.current().name
    }

    fn current_is(&self, name: &str) -> bool {
        self.stack.last().is_some_and(|o| &*o.name == name)
    }

    // -- tree operations

    fn append_node(&mut self, parent: NodeId, node: Node) -> NodeId {
        self.html.tree.get_mut(parent).expect("open node").append(node).id()
    }

    fn append_text(&mut self, parent: NodeId, s: &str) {
        if s.is_empty() {
            return;
        }
        let mut p = self.html.tree.get_mut(parent).expect("open node");
        if let Some(mut last) = p.last_child()
            && let Node::Text(t) = last.value()
        {
            t.text.push_slice(s);
            return;
        }
        p.append(Node::Text(Text { text: StrTendril::from_slice(s) }));
    }

    fn element(name: LocalName, attrs: Vec<Attribute>) -> Node {
        Node::Element(Element::new(QualName::new(None, ns!(html), name), attrs))
    }

    /// Inserts an element in the current node and opens it.
    fn insert(&mut self, name: &str, attrs: Vec<Attribute>) -> NodeId {
        let local = LocalName::from(name);
        let parent = self.current().id;
        let id = self.append_node(parent, Self::element(local.clone(), attrs));
        self.stack.push(Open { id, name: local, class: classes(name) });
        id
    }

    /// Inserts an element that takes no content.
    fn insert_void(&mut self, name: &str, attrs: Vec<Attribute>) {
        let parent = self.current().id;
        self.append_node(parent, Self::element(LocalName::from(name), attrs));
    }

    fn add_missing_attrs(&mut self, id: NodeId, attrs: Vec<Attribute>) {
        let mut node = self.html.tree.get_mut(id).expect("open node");
        let Node::Element(el) = node.value() else { return };
        for a in attrs {
            if let Err(at) = el.attrs.binary_search_by(|(n, _)| n.cmp(&a.name)) {
                el.attrs.insert(at, (a.name, a.value));
            }
        }
    }

    // -- stack queries

    fn in_scope(&self, name: &str, scope: Scope) -> bool {
        self.scope_index(|o| &*o.name == name, scope).is_some()
    }

    /// The topmost open element matching `hit` before a boundary of `scope`.
    fn scope_index(&self, hit: impl Fn(&Open) -> bool, scope: Scope) -> Option<usize> {
        for (i, o) in self.stack.iter().enumerate().rev() {
            if hit(o) {
                return Some(i);
            }
            let boundary = match scope {
                Scope::Table => o.class & class::TABLE_SCOPE != 0,
                Scope::Default => o.class & class::SCOPE != 0,
                Scope::ListItem => o.class & (class::SCOPE | class::LIST) != 0,
                Scope::Button => o.class & (class::SCOPE | class::BUTTON) != 0,
            };
            if boundary {
                return None;
            }
        }
        None
    }

    /// Pops elements down to (and including) index `i`. A formatting
    /// element popped this way would be reconstructed by html5ever later:
    /// not handled.
    fn pop_to(&mut self, i: usize) -> R {
        while self.stack.len() > i + 1 {
            let o = self.stack.pop().expect("above i");
            if o.class & class::FORMATTING != 0 {
                return Err(Unsupported);
            }
        }
        self.stack.pop();
        Ok(())
    }

    /// Pops down to index `i` where the popped formatting elements leave the
    /// active list with a marker (a cell, `object`, …) at `i`.
    fn pop_to_marker(&mut self, i: usize) {
        self.stack.truncate(i);
    }

    fn generate_implied_end(&mut self, except: Option<&str>) {
        while let Some(o) = self.stack.last() {
            if o.class & class::IMPLIED_END == 0 || except == Some(&*o.name) {
                break;
            }
            self.stack.pop();
        }
    }

    fn close_p_in_button_scope(&mut self) -> R {
        if self.in_scope("p", Scope::Button) {
            self.close_p()?;
        }
        Ok(())
    }

    fn close_p(&mut self) -> R {
        self.generate_implied_end(Some("p"));
        let i = self.scope_index(|o| &*o.name == "p", Scope::Button).ok_or(Unsupported)?;
        self.pop_to(i)
    }

    fn ensure_html(&mut self) {
        if self.html_el.is_none() {
            let root = self.html.tree.root().id();
            let id = self.append_node(root, Self::element(LocalName::from("html"), Vec::new()));
            self.stack.push(Open { id, name: LocalName::from("html"), class: classes("html") });
            self.html_el = Some(id);
        }
        if self.mode == Mode::Initial || self.mode == Mode::BeforeHtml {
            self.mode = Mode::BeforeHead;
        }
    }

    /// Anything but a doctype in the initial mode puts the page in quirks
    /// mode and moves on (the standard's "anything else" rule there), so a
    /// page without a doctype gets the same tree html5ever builds.
    fn leave_initial(&mut self) {
        if self.mode == Mode::Initial {
            self.quirks = Quirks::Yes;
            self.html.quirks_mode = QuirksMode::Quirks;
            self.mode = Mode::BeforeHtml;
        }
    }

    fn ensure_head(&mut self) {
        self.ensure_html();
        if self.mode == Mode::BeforeHead {
            let id = self.insert("head", Vec::new());
            self.head = Some(id);
            self.mode = Mode::InHead;
        }
    }

    /// Leaves the head and opens the body as the standard's implied tags do.
    pub(super) fn ensure_body(&mut self) {
        self.ensure_head();
        if self.mode == Mode::InHead {
            self.stack.pop();
            self.mode = Mode::AfterHead;
        }
        if self.mode == Mode::AfterHead {
            self.insert("body", Vec::new());
            self.mode = Mode::InBody;
        }
        if matches!(self.mode, Mode::AfterBody | Mode::AfterAfterBody) {
            self.mode = Mode::InBody;
        }
    }

    // -- tokens

    pub(super) fn doctype(&mut self, name: &str, rest: &str) -> R {
        self.skip_lf = false;
        if self.mode != Mode::Initial {
            return Ok(());
        }
        let (public_id, system_id) = doctype_ids(rest);
        let root = self.html.tree.root().id();
        self.append_node(
            root,
            Node::Doctype(Doctype {
                name: StrTendril::from_slice(name),
                public_id: StrTendril::from_slice(public_id),
                system_id: StrTendril::from_slice(system_id),
            }),
        );
        self.quirks = if name == "html" && rest.is_empty() { Quirks::No } else { Quirks::Unknown };
        self.html.quirks_mode =
            if self.quirks == Quirks::No { QuirksMode::NoQuirks } else { QuirksMode::LimitedQuirks };
        self.mode = Mode::BeforeHtml;
        Ok(())
    }

    pub(super) fn comment(&mut self, text: &str) -> R {
        self.skip_lf = false;
        let parent = match self.mode {
            Mode::Initial | Mode::BeforeHtml | Mode::AfterAfterBody => self.html.tree.root().id(),
            Mode::AfterBody => self.html_el.expect("open"),
            _ => self.current().id,
        };
        self.append_node(parent, Node::Comment(Comment { comment: StrTendril::from_slice(text) }));
        Ok(())
    }

    pub(super) fn text(&mut self, mut s: &str) -> R {
        if self.skip_lf {
            self.skip_lf = false;
            s = s.strip_prefix('\n').unwrap_or(s);
        }
        loop {
            if s.is_empty() {
                return Ok(());
            }
            match self.mode {
                Mode::Initial | Mode::BeforeHtml | Mode::BeforeHead => {
                    s = s.trim_start_matches(['\t', '\n', '\x0C', '\r', ' ']);
                    if s.is_empty() {
                        return Ok(());
                    }
                    self.leave_initial();
                    self.ensure_head();
                }
                Mode::InHead | Mode::AfterHead => {
                    let rest = s.trim_start_matches(['\t', '\n', '\x0C', '\r', ' ']);
                    let ws = &s[..s.len() - rest.len()];
                    let parent = self.current().id;
                    self.append_text(parent, ws);
                    s = rest;
                    if !s.is_empty() {
                        self.ensure_body();
                    }
                }
                Mode::InBody | Mode::AfterBody | Mode::AfterAfterBody => {
                    if self.mode != Mode::InBody && !s.bytes().all(is_space) {
                        self.mode = Mode::InBody;
                    }
                    if self.mode == Mode::AfterAfterBody {
                        // Whitespace there goes to the body's current node too.
                    }
                    if self.table_mode() && !s.bytes().all(is_space) {
                        // Foster parenting.
                        return Err(Unsupported);
                    }
                    let parent = self.current().id;
                    self.append_text(parent, s);
                    return Ok(());
                }
            }
        }
    }

    /// The text of a raw-text element just opened, then its end.
    pub(super) fn raw_content(&mut self, mut s: &str) {
        if std::mem::take(&mut self.skip_lf) {
            s = s.strip_prefix('\n').unwrap_or(s);
        }
        let parent = self.current().id;
        self.append_text(parent, s);
        self.stack.pop();
    }

    /// A start tag; returns how its content is to be tokenized when it is
    /// not ordinary markup.
    pub(super) fn start(&mut self, name: &str, attrs: Vec<Attribute>) -> R<Option<Raw>> {
        self.skip_lf = false;
        loop {
            match self.mode {
                Mode::Initial | Mode::BeforeHtml => {
                    self.leave_initial();
                    if name == "html" {
                        let root = self.html.tree.root().id();
                        let id = self.append_node(root, Self::element(LocalName::from("html"), attrs));
                        self.stack.push(Open { id, name: LocalName::from("html"), class: classes("html") });
                        self.html_el = Some(id);
                        self.mode = Mode::BeforeHead;
                        return Ok(None);
                    }
                    self.ensure_html();
                }
                Mode::BeforeHead => match name {
                    "html" => {
                        let id = self.html_el.expect("open");
                        self.add_missing_attrs(id, attrs);
                        return Ok(None);
                    }
                    "head" => {
                        let id = self.insert("head", attrs);
                        self.head = Some(id);
                        self.mode = Mode::InHead;
                        return Ok(None);
                    }
                    _ => self.ensure_head(),
                },
                Mode::InHead => match name {
                    "html" => {
                        let id = self.html_el.expect("open");
                        self.add_missing_attrs(id, attrs);
                        return Ok(None);
                    }
                    "head" => return Ok(None),
                    "template" => return Err(Unsupported),
                    _ if Self::is_head_element(name) => {
                        return Ok(self.head_element(name, attrs)?.expect("a head element"));
                    }
                    _ => {
                        self.stack.pop();
                        self.mode = Mode::AfterHead;
                    }
                },
                Mode::AfterHead => match name {
                    "html" => {
                        let id = self.html_el.expect("open");
                        self.add_missing_attrs(id, attrs);
                        return Ok(None);
                    }
                    "body" => {
                        self.insert("body", attrs);
                        self.mode = Mode::InBody;
                        return Ok(None);
                    }
                    "frameset" | "template" => return Err(Unsupported),
                    "head" => return Ok(None),
                    "base" | "basefont" | "bgsound" | "link" | "meta" | "noframes" | "script" | "style" | "title" => {
                        // Into the head, which is open again for it.
                        let head = self.head.expect("made before");
                        self.stack.push(Open { id: head, name: LocalName::from("head"), class: classes("head") });
                        let raw = self.head_element(name, attrs)?.expect("a head element");
                        // The head leaves the stack again; a raw element
                        // opened in it stays current for its text.
                        let at = self.stack.iter().rposition(|o| o.id == head).expect("pushed");
                        self.stack.remove(at);
                        return Ok(raw);
                    }
                    _ => self.ensure_body(),
                },
                Mode::AfterBody | Mode::AfterAfterBody => {
                    if name == "html" {
                        let id = self.html_el.expect("open");
                        self.add_missing_attrs(id, attrs);
                        return Ok(None);
                    }
                    self.mode = Mode::InBody;
                }
                Mode::InBody => {
                    if self.table_mode() {
                        return self.start_in_table(name, attrs);
                    }
                    // The scope search only for the tags it decides.
                    if matches!(name, "caption" | "col" | "colgroup" | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr")
                        && self.in_cell().is_some()
                    {
                        self.close_cell()?;
                        continue;
                    }
                    return self.start_in_body(name, attrs);
                }
            }
        }
    }

    fn is_head_element(name: &str) -> bool {
        matches!(
            name,
            "base"
                | "basefont"
                | "bgsound"
                | "link"
                | "meta"
                | "title"
                | "noscript"
                | "noframes"
                | "style"
                | "script"
                | "template"
        )
    }

    /// Head elements (in head, or in the head again after it); `None` when
    /// `name` is not one.
    fn head_element(&mut self, name: &str, attrs: Vec<Attribute>) -> R<Option<Option<Raw>>> {
        Ok(Some(match name {
            "base" | "basefont" | "bgsound" | "link" | "meta" => {
                self.insert_void(name, attrs);
                None
            }
            "title" => {
                self.insert(name, attrs);
                Some(Raw::Rcdata)
            }
            "noscript" | "noframes" | "style" => {
                self.insert(name, attrs);
                Some(Raw::Rawtext)
            }
            "script" => {
                self.insert(name, attrs);
                Some(Raw::Script)
            }
            "template" => return Err(Unsupported),
            _ => return Ok(None),
        }))
    }

    pub(super) fn end(&mut self, name: &str) -> R {
        self.skip_lf = false;
        loop {
            match self.mode {
                Mode::Initial | Mode::BeforeHtml => {
                    self.leave_initial();
                    if !matches!(name, "head" | "body" | "html" | "br") {
                        return Ok(());
                    }
                    self.ensure_html();
                }
                Mode::BeforeHead => {
                    if !matches!(name, "head" | "body" | "html" | "br") {
                        return Ok(());
                    }
                    self.ensure_head();
                }
                Mode::InHead => match name {
                    "head" => {
                        self.stack.pop();
                        self.mode = Mode::AfterHead;
                        return Ok(());
                    }
                    "body" | "html" | "br" => {
                        self.stack.pop();
                        self.mode = Mode::AfterHead;
                    }
                    "template" => return Err(Unsupported),
                    _ => return Ok(()),
                },
                Mode::AfterHead => match name {
                    "body" | "html" | "br" => self.ensure_body(),
                    "template" => return Err(Unsupported),
                    _ => return Ok(()),
                },
                Mode::AfterBody | Mode::AfterAfterBody => {
                    if name == "html" {
                        self.mode = Mode::AfterAfterBody;
                        return Ok(());
                    }
                    self.mode = Mode::InBody;
                }
                Mode::InBody => return self.end_in_body_or_table(name),
            }
        }
    }
}

/// Public and system identifiers of a doctype's tail (`PUBLIC "…" "…"`).
fn doctype_ids(rest: &str) -> (&str, &str) {
    let quoted = |s: &str| -> Vec<(usize, usize)> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if matches!(b[i], b'"' | b'\'') {
                let q = b[i];
                let close = b[i + 1..].iter().position(|&c| c == q).map_or(b.len(), |p| i + 1 + p);
                out.push((i + 1, close));
                i = close + 1;
            } else {
                i += 1;
            }
        }
        out
    };
    let q = quoted(rest);
    let get = |k: usize| q.get(k).map_or("", |&(a, b)| &rest[a..b]);
    // Compared as bytes: the tail may start with any character.
    let keyword = rest.as_bytes().get(..6).unwrap_or_default();
    if keyword.eq_ignore_ascii_case(b"public") {
        (get(0), get(1))
    } else if keyword.eq_ignore_ascii_case(b"system") {
        ("", get(0))
    } else {
        ("", "")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::same;

    #[test]
    fn implied_document_structure() {
        same("");
        same("Hello");
        same("<!DOCTYPE html><title>T &amp; U</title><p>One");
        same(
            "<html lang=en><head><meta charset=utf-8><link rel=canonical href='/x'></head>\n<body class=a>x</body></html>\n",
        );
        same(
            "<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x.dtd\"><html><body>t",
        );
        same("<head> <title>T</title> </head> <meta name=a content=b><body>x</body> <p>after</p>");
        same("<title>a</title>text<meta name=late content=1>");
        same("<body><p>x</body></html> trailing <div>y</div>");
    }

    #[test]
    fn implied_end_tags() {
        same("<p>one<p>two<div>three</div><p>four<ul><li>a<li>b<p>c</ul>");
        same("<dl><dt>t<dd>d<dt>u</dl><h1>a<h2>b</h1>c");
        same("<p>para</div>stray</p>more</p>");
        same("<div><span>a<div>b</span>c</div>d</div>");
        same("<ul><li><div>x<li>y</ul>");
        same("<button>a<p>b</button>");
        same("<form><form><input></form></form><form>");
        same("<pre>\nline</pre><listing>\nl</listing>");
    }

    #[test]
    fn deep_nesting() {
        let markup = "<div>".repeat(3_000) + "deep" + &"</div>".repeat(3_000);
        same(&markup);
        same(&"<section><span>".repeat(1_000));
    }
}
