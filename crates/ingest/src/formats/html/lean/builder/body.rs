//! The "in body" insertion mode: start and end tags inside the body —
//! blocks closing an open `p`, list items and headings closing their kin,
//! forms, void and raw-text elements, and end tags matched through scope and
//! special elements. Formatting elements are taken only where the adoption
//! agency would not move or re-create a node; the rest gives up.

use html5ever::Attribute;

use super::super::tokenizer::Raw;
use super::super::{R, Unsupported};
use super::{Builder, Mode, Quirks, Scope, class, classes};

impl Builder {
    pub(super) fn start_in_body(&mut self, name: &str, attrs: Vec<Attribute>) -> R<Option<Raw>> {
        match name {
            "html" => {
                let id = self.html_el.expect("open");
                self.add_missing_attrs(id, attrs);
            }
            "base" | "basefont" | "bgsound" | "link" | "meta" | "title" | "noframes" | "style" | "script" => {
                return Ok(self.head_element(name, attrs)?.expect("a head element"));
            }
            "template" | "frameset" | "plaintext" | "image" | "select" | "math" | "svg" | "rb" | "rtc" | "rp"
            | "rt" => return Err(Unsupported),
            "body" => {
                if let Some(body) = self.stack.get(1).filter(|o| &*o.name == "body").map(|o| o.id) {
                    self.add_missing_attrs(body, attrs);
                }
            }
            "address" | "article" | "aside" | "blockquote" | "center" | "details" | "dialog" | "dir" | "div" | "dl"
            | "fieldset" | "figcaption" | "figure" | "footer" | "header" | "hgroup" | "main" | "menu" | "nav"
            | "ol" | "p" | "search" | "section" | "summary" | "ul" => {
                self.close_p_in_button_scope()?;
                self.insert(name, attrs);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.close_p_in_button_scope()?;
                if self.current().class & class::HEADING != 0 {
                    self.stack.pop();
                }
                self.insert(name, attrs);
            }
            "pre" | "listing" => {
                self.close_p_in_button_scope()?;
                self.insert(name, attrs);
                self.skip_lf = true;
            }
            "form" => {
                if self.form.is_none() {
                    self.close_p_in_button_scope()?;
                    let id = self.insert(name, attrs);
                    self.form = Some(id);
                }
            }
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if name == "li" { &["li"] } else { &["dd", "dt"] };
                for i in (0..self.stack.len()).rev() {
                    let o = &self.stack[i];
                    if closes.contains(&&*o.name) {
                        let n = o.name.clone();
                        self.generate_implied_end(Some(&n));
                        self.pop_to(i)?;
                        break;
                    }
                    if o.class & class::SPECIAL != 0 && o.class & class::ITEM_PASSES == 0 {
                        break;
                    }
                }
                self.close_p_in_button_scope()?;
                self.insert(name, attrs);
            }
            // Inside one of its own kind, the standard closes the open one
            // first (a `nobr` by the adoption agency): left to html5ever.
            "button" | "nobr" => {
                if self.in_scope(name, Scope::Default) {
                    return Err(Unsupported);
                }
                self.insert(name, attrs);
            }
            "a" => {
                let open_a =
                    self.stack.iter().rev().take_while(|o| o.class & class::MARKER == 0).any(|o| &*o.name == "a");
                if open_a {
                    return Err(Unsupported);
                }
                self.insert(name, attrs);
            }
            "table" => {
                if self.in_scope("p", Scope::Button) {
                    match self.quirks {
                        Quirks::No => self.close_p()?,
                        Quirks::Yes => {}
                        Quirks::Unknown => return Err(Unsupported),
                    }
                }
                self.insert(name, attrs);
            }
            "area" | "br" | "embed" | "img" | "keygen" | "wbr" | "input" | "param" | "source" | "track" => {
                self.insert_void(name, attrs);
            }
            "hr" => {
                self.close_p_in_button_scope()?;
                self.insert_void(name, attrs);
            }
            "textarea" => {
                self.insert(name, attrs);
                self.skip_lf = true;
                return Ok(Some(Raw::Rcdata));
            }
            "xmp" => {
                self.close_p_in_button_scope()?;
                self.insert(name, attrs);
                return Ok(Some(Raw::Rawtext));
            }
            "iframe" | "noembed" | "noscript" => {
                self.insert(name, attrs);
                return Ok(Some(Raw::Rawtext));
            }
            "optgroup" | "option" => {
                if self.current_is("option") {
                    self.stack.pop();
                }
                self.insert(name, attrs);
            }
            "caption" | "col" | "colgroup" | "frame" | "head" | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr" => {}
            _ => {
                self.insert(name, attrs);
            }
        }
        Ok(None)
    }

    pub(super) fn end_in_body(&mut self, name: &str) -> R {
        match name {
            "template" => return Err(Unsupported),
            "body" | "html" => {
                if self.in_scope("body", Scope::Default) {
                    self.mode = Mode::AfterBody;
                    if name == "html" {
                        self.mode = Mode::AfterAfterBody;
                    }
                }
            }
            "address" | "article" | "aside" | "blockquote" | "button" | "center" | "details" | "dialog" | "dir"
            | "div" | "dl" | "fieldset" | "figcaption" | "figure" | "footer" | "header" | "hgroup" | "listing"
            | "main" | "menu" | "nav" | "ol" | "pre" | "search" | "section" | "select" | "summary" | "ul" => {
                if let Some(i) = self.scope_index(|o| &*o.name == name, Scope::Default) {
                    self.generate_implied_end(None);
                    self.pop_to(i)?;
                }
            }
            "form" => {
                let form = self.form.take();
                let Some(form) = form else { return Ok(()) };
                if self.scope_index(|o| o.id == form, Scope::Default).is_none() {
                    return Ok(());
                }
                self.generate_implied_end(None);
                if self.current().id != form {
                    return Err(Unsupported);
                }
                self.stack.pop();
            }
            "p" => {
                if !self.in_scope("p", Scope::Button) {
                    self.insert("p", Vec::new());
                }
                self.close_p()?;
            }
            "li" => {
                if let Some(i) = self.scope_index(|o| &*o.name == "li", Scope::ListItem) {
                    self.generate_implied_end(Some("li"));
                    self.pop_to(i)?;
                }
            }
            "dd" | "dt" => {
                if let Some(i) = self.scope_index(|o| &*o.name == name, Scope::Default) {
                    self.generate_implied_end(Some(name));
                    self.pop_to(i)?;
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if let Some(i) = self.scope_index(|o| o.class & class::HEADING != 0, Scope::Default) {
                    self.generate_implied_end(None);
                    self.pop_to(i)?;
                }
            }
            "applet" | "marquee" | "object" => {
                if let Some(i) = self.scope_index(|o| &*o.name == name, Scope::Default) {
                    self.generate_implied_end(None);
                    self.pop_to_marker(i);
                }
            }
            "br" => self.insert_void("br", Vec::new()),
            _ if classes(name) & class::FORMATTING != 0 => {
                // The adoption agency, for the one case that needs no
                // re-parenting: the element is open above the last marker
                // with only ordinary elements over it.
                let mut found = None;
                for (i, o) in self.stack.iter().enumerate().rev() {
                    if &*o.name == name {
                        found = Some(i);
                        break;
                    }
                    if o.class & class::MARKER != 0 {
                        break;
                    }
                }
                match found {
                    Some(i) => {
                        if self.stack[i + 1..].iter().any(|o| o.class & (class::SPECIAL | class::FORMATTING) != 0) {
                            return Err(Unsupported);
                        }
                        self.stack.truncate(i);
                    }
                    None => self.any_other_end(name)?,
                }
            }
            _ => self.any_other_end(name)?,
        }
        Ok(())
    }

    fn any_other_end(&mut self, name: &str) -> R {
        for i in (0..self.stack.len()).rev() {
            let o = &self.stack[i];
            if &*o.name == name {
                self.generate_implied_end(Some(name));
                return self.pop_to(i);
            }
            if o.class & class::SPECIAL != 0 {
                return Ok(());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::tests::{gives_up, same};

    #[test]
    fn formatting_elements() {
        same("<p><b>bold</b> <i>it <em>x</em></i> <a href=1>l</a></p>");
        same("<b><table><tr><td>x</b></td></tr></table>y</b>");
        same("<b><span>x</b>y");
        gives_up("<p><b>unclosed<p>next");
        gives_up("<b><i>x</b>y</i>");
        gives_up("<a href=1>x<a href=2>y");
        gives_up("<b><div>x</b>y</div>");
    }
}
