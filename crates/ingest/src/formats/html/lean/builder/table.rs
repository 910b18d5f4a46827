//! Tables in the tree builder: the "in table", "in table body", "in row" and
//! "in cell" insertion modes for the tables news pages carry, with implied
//! `tbody` and `tr` and cells closed by the next cell or row. Anything that
//! would be foster-parented out of a table (text in a row, a `div` between
//! rows) gives up, as does a formatting element left open across a table
//! part.

use html5ever::Attribute;

use super::super::tokenizer::Raw;
use super::super::{R, Unsupported};
use super::{Builder, Scope, class};

impl Builder {
    /// The innermost table-related context: whether a cell is open (in
    /// table scope).
    pub(super) fn in_cell(&self) -> Option<usize> {
        self.scope_index(|o| matches!(&*o.name, "td" | "th"), Scope::Table)
    }

    pub(super) fn table_mode(&self) -> bool {
        self.stack.last().is_some_and(|o| o.class & class::TABLE_PART != 0)
    }

    /// Pops to the table-ish context named by `stop`.
    fn clear_to(&mut self, stop: &[&str]) -> R {
        while !stop.contains(&self.current_name()) && !matches!(self.current_name(), "html" | "template") {
            // Only table parts lie above a table context here.
            if self.current().class & class::FORMATTING != 0 {
                return Err(Unsupported);
            }
            self.stack.pop();
        }
        Ok(())
    }

    pub(super) fn start_in_table(&mut self, name: &str, attrs: Vec<Attribute>) -> R<Option<Raw>> {
        loop {
            let cur = self.current_name();
            match (cur, name) {
                ("tr", "td" | "th") => {
                    self.insert(name, attrs);
                    return Ok(None);
                }
                ("tr", "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" | "tr") => {
                    self.stack.pop();
                }
                ("tbody" | "thead" | "tfoot", "tr") => {
                    self.insert(name, attrs);
                    return Ok(None);
                }
                ("tbody" | "thead" | "tfoot", "td" | "th") => {
                    self.insert("tr", Vec::new());
                }
                ("tbody" | "thead" | "tfoot", "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead") => {
                    self.stack.pop();
                }
                ("table", "tbody" | "thead" | "tfoot") => {
                    self.insert(name, attrs);
                    return Ok(None);
                }
                ("table", "td" | "th" | "tr") => {
                    self.insert("tbody", Vec::new());
                }
                (_, "table") => {
                    let Some(i) = self.scope_index(|o| &*o.name == "table", Scope::Table) else { return Ok(None) };
                    self.pop_to(i)?;
                    return self.start_in_body_or_table(name, attrs);
                }
                (_, "input")
                    if attrs.iter().any(|a| &*a.name.local == "type" && a.value.eq_ignore_ascii_case("hidden")) =>
                {
                    self.insert_void(name, attrs);
                    return Ok(None);
                }
                (_, "style" | "script") => {
                    return Ok(self.head_element(name, attrs)?.expect("a head element"));
                }
                _ => return Err(Unsupported),
            }
        }
    }

    fn start_in_body_or_table(&mut self, name: &str, attrs: Vec<Attribute>) -> R<Option<Raw>> {
        if self.table_mode() { self.start_in_table(name, attrs) } else { self.start_in_body(name, attrs) }
    }

    pub(super) fn close_cell(&mut self) -> R {
        self.generate_implied_end(None);
        let i = self.in_cell().ok_or(Unsupported)?;
        self.pop_to_marker(i);
        Ok(())
    }

    pub(super) fn end_in_body_or_table(&mut self, name: &str) -> R {
        loop {
            if self.table_mode() {
                let cur = self.current_name();
                match (cur, name) {
                    ("tr", "tr") => {
                        self.stack.pop();
                        return Ok(());
                    }
                    ("tr", "table" | "tbody" | "thead" | "tfoot") => {
                        if !self.in_scope(name, Scope::Table) {
                            return Ok(());
                        }
                        self.stack.pop();
                    }
                    ("tbody" | "thead" | "tfoot", "tbody" | "thead" | "tfoot") => {
                        if self.in_scope(name, Scope::Table) {
                            self.clear_to(&["tbody", "thead", "tfoot"])?;
                            self.stack.pop();
                        }
                        return Ok(());
                    }
                    ("tbody" | "thead" | "tfoot", "table") => {
                        self.stack.pop();
                    }
                    (_, "table") => {
                        if let Some(i) = self.scope_index(|o| &*o.name == "table", Scope::Table) {
                            self.pop_to(i)?;
                        }
                        return Ok(());
                    }
                    (
                        _,
                        "body" | "caption" | "col" | "colgroup" | "html" | "tbody" | "td" | "tfoot" | "th" | "thead"
                        | "tr",
                    ) => return Ok(()),
                    _ => return Err(Unsupported),
                }
                continue;
            }
            let cell_tag = matches!(
                name,
                "td" | "th"
                    | "body"
                    | "caption"
                    | "col"
                    | "colgroup"
                    | "html"
                    | "table"
                    | "tbody"
                    | "tfoot"
                    | "thead"
                    | "tr"
            );
            if cell_tag && self.in_cell().is_some() {
                match name {
                    "td" | "th" => {
                        if !self.in_scope(name, Scope::Table) {
                            return Ok(());
                        }
                        self.close_cell()?;
                        return Ok(());
                    }
                    "body" | "caption" | "col" | "colgroup" | "html" => return Ok(()),
                    "table" | "tbody" | "tfoot" | "thead" | "tr" => {
                        if !self.in_scope(name, Scope::Table) {
                            return Ok(());
                        }
                        self.close_cell()?;
                        continue;
                    }
                    _ => {}
                }
            }
            return self.end_in_body(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::tests::{gives_up, same};

    #[test]
    fn tables() {
        same("<table><tr><td>a<td>b<tr><th>c</table>after");
        same("<table> <tbody> <tr> <td><p>x</td> </tr> </tbody> </table>");
        same("<table><td><table><tr><td>nested</table></td></table>");
        same("<div><table><tr><td><b>bold</td></tr></table></div>");
        same("<!DOCTYPE html><p>a<table><tr><td>b</table>");
        same("<p>a<table><tr><td>b</table>");
        gives_up("<table><tr>text in a row</tr></table>");
        gives_up("<table><div>x</div></table>");
    }
}
