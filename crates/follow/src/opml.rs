//! OPML, the list of feeds every feed reader exports: each `<outline>` with
//! an `xmlUrl` is a feed, however deeply the folders nest.

use crate::{FollowError, Result};

/// Most outlines read from one file: an OPML of feeds has tens or hundreds;
/// the bound keeps a hostile file from costing unbounded memory.
pub const MAX_NODES: u32 = 1_000_000;

/// A feed an OPML file lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub url: String,
    pub title: Option<String>,
}

/// The feeds of an OPML document, in document order, each once.
pub fn feeds(name: &str, text: &str) -> Result<Vec<Listed>> {
    let opts = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text.trim_start_matches('\u{feff}'), opts)
        .map_err(|e| FollowError::File { path: name.to_string(), why: format!("not OPML: {e}") })?;
    if !doc.root_element().tag_name().name().eq_ignore_ascii_case("opml") {
        return Err(FollowError::File { path: name.to_string(), why: "not OPML (no <opml> root)".into() });
    }
    let mut out: Vec<Listed> = Vec::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("outline")) {
        let attr = |names: &[&str]| {
            node.attributes()
                .find(|a| names.iter().any(|n| a.name().eq_ignore_ascii_case(n)))
                .map(|a| a.value().trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let Some(url) = attr(&["xmlUrl"]) else { continue };
        if out.iter().any(|l| l.url == url) {
            continue;
        }
        out.push(Listed { url, title: attr(&["title"]).or_else(|| attr(&["text"])) });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_outlines_and_duplicates() {
        let opml = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="News">
    <outline type="rss" text="Valley Post" xmlUrl="https://valley.example/rss" htmlUrl="https://valley.example/"/>
    <outline text="Hill &amp; Dale" title="Hill &amp; Dale Times" xmlUrl=" https://hill.example/atom.xml "/>
  </outline>
  <outline text="Folder only"/>
  <outline type="rss" text="Again" xmlUrl="https://valley.example/rss"/>
</body></opml>"#;
        let f = feeds("my.opml", opml).unwrap();
        assert_eq!(
            f,
            vec![
                Listed { url: "https://valley.example/rss".into(), title: Some("Valley Post".into()) },
                Listed { url: "https://hill.example/atom.xml".into(), title: Some("Hill & Dale Times".into()) },
            ]
        );
    }

    #[test]
    fn not_opml_is_an_error_naming_the_file() {
        let e = feeds("list.opml", "<rss><channel/></rss>").unwrap_err();
        assert!(e.to_string().contains("list.opml"), "{e}");
        assert!(feeds("x.opml", "not xml at all <").is_err());
    }
}
