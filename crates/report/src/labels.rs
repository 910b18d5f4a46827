//! Short labels for the articles of a story, shared by the renderers.

use chorus_model::{ArticleEntry, Story};

/// A short, human label for an article: its outlet, else its file name.
pub fn outlet_label(a: &ArticleEntry) -> String {
    if let Some(s) = a.source.as_deref().filter(|s| !s.is_empty()) {
        return s.to_string();
    }
    if let Some(host) = a.url.as_deref().and_then(chorus_model::article::url_host) {
        return host;
    }
    let base = a.path.rsplit(['/', '\\']).next().unwrap_or(&a.path);
    base.to_string()
}

/// Numbered labels ("1", "2", …) by article id, in story order.
pub struct Labels<'a> {
    ids: Vec<&'a str>,
}

impl<'a> Labels<'a> {
    pub fn new(story: &'a Story) -> Self {
        Labels { ids: story.articles.iter().map(|a| a.id.as_str()).collect() }
    }

    /// The number of an article id, 1-based; `?` for an unknown id.
    pub fn of(&self, id: &str) -> String {
        match self.ids.iter().position(|&x| x == id) {
            Some(i) => (i + 1).to_string(),
            None => "?".to_string(),
        }
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|&x| x == id)
    }

    /// "[1, 3]" for a list of ids.
    pub fn list(&self, ids: &[String]) -> String {
        let mut nums: Vec<String> = ids.iter().map(|i| self.of(i)).collect();
        nums.dedup();
        format!("[{}]", nums.join(", "))
    }
}
