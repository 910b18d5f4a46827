//! News sitemaps (the sitemaps protocol with Google's `news:` extension): a
//! site's list of the articles it published in the last two days, each with
//! its address, title, publication and date. A plain sitemap (every page of
//! a site) is not a news source and is refused; a sitemap index leads to
//! the news sitemaps it lists.

/// Most nodes read from one sitemap: a news sitemap holds at most 1,000
/// URLs of some ten nodes each; a plain one up to 50,000.
const MAX_NODES: u32 = 2_000_000;

/// One article a news sitemap lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub url: String,
    pub title: Option<String>,
    /// The publication's name.
    pub publication: Option<String>,
    pub published: Option<String>,
}

/// What a sitemap document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A news sitemap's entries.
    News(Vec<Entry>),
    /// A sitemap index: the sitemaps it lists.
    Index(Vec<String>),
    /// A sitemap without news entries (every page of a site).
    Plain,
}

/// Reads a sitemap; `None` when the text is not one.
pub fn read(text: &str) -> Option<Sitemap> {
    let opts = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text.trim_start_matches('\u{feff}'), opts).ok()?;
    let root = doc.root_element();
    let child_text = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    match root.tag_name().name() {
        "sitemapindex" => Some(Sitemap::Index(
            root.children().filter(|n| n.tag_name().name() == "sitemap").filter_map(|n| child_text(n, "loc")).collect(),
        )),
        "urlset" => {
            let mut entries = Vec::new();
            for u in root.children().filter(|n| n.tag_name().name() == "url") {
                let Some(news) = u.children().find(|c| c.tag_name().name() == "news") else { continue };
                let Some(url) = child_text(u, "loc") else { continue };
                let publication = news.children().find(|c| c.tag_name().name() == "publication");
                entries.push(Entry {
                    url,
                    title: child_text(news, "title"),
                    publication: publication.and_then(|p| child_text(p, "name")),
                    published: child_text(news, "publication_date"),
                });
            }
            Some(if entries.is_empty() && root.children().any(|n| n.tag_name().name() == "url") {
                Sitemap::Plain
            } else {
                Sitemap::News(entries)
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_entries() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://valley.example/a?x=1&amp;y=2</loc>
  <news:news><news:publication><news:name>Valley Post</news:name><news:language>en</news:language></news:publication>
   <news:publication_date>2025-07-01T08:00:00Z</news:publication_date><news:title>Dam &amp; bridge</news:title></news:news></url>
 <url><loc>https://valley.example/about</loc></url>
</urlset>"#;
        let Some(Sitemap::News(e)) = read(xml) else { panic!("{:?}", read(xml)) };
        assert_eq!(
            e,
            vec![Entry {
                url: "https://valley.example/a?x=1&y=2".into(),
                title: Some("Dam & bridge".into()),
                publication: Some("Valley Post".into()),
                published: Some("2025-07-01T08:00:00Z".into()),
            }]
        );
    }

    #[test]
    fn plain_and_index() {
        let plain = r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/</loc></url></urlset>"#;
        assert_eq!(read(plain), Some(Sitemap::Plain));
        let index = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://a.example/news.xml</loc></sitemap><sitemap><loc>https://a.example/pages.xml</loc></sitemap></sitemapindex>"#;
        assert_eq!(
            read(index),
            Some(Sitemap::Index(vec!["https://a.example/news.xml".into(), "https://a.example/pages.xml".into()]))
        );
        assert_eq!(read("<html><body>x</body></html>"), None);
        assert_eq!(read("junk <"), None);
    }
}
