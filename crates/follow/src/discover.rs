//! What to poll for a source: the source itself when it is a feed or a
//! news sitemap; for a site, the feed its page announces
//! (`<link rel="alternate">`), else a feed at one of the paths sites
//! commonly use, else its news sitemap (listed in robots.txt, or at a
//! common path). Done once per source; the answer is kept in the store.

use chorus_ingest::formats::html::{decode_html, links::feed_links};
use chorus_store::SourceStore;
use url::Url;

use crate::http::{Body, Fetched, Fetcher, Want, parse_http};
use crate::items::{Kind, Sniffed, sniff};
use crate::{FollowError, Result};

/// Where sites commonly serve their main feed (WordPress, Ghost, Hugo,
/// Jekyll, Blogger and hand-made sites), most common first.
pub const FEED_PATHS: &[&str] = &["/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml"];

/// Where sites commonly serve their news sitemap.
pub const NEWS_SITEMAP_PATHS: &[&str] = &["/news-sitemap.xml", "/sitemap_news.xml", "/sitemap-news.xml"];

/// Feed links of one page tried at most (a page may announce one feed per
/// section; the first is its main one).
const MAX_LINKS: usize = 4;

/// Sitemaps of an index looked into at most.
const MAX_INDEX_CHILDREN: usize = 3;

/// What a source resolved to: the address to poll, what it serves, and
/// the response that showed it (read as the source's first poll).
#[derive(Debug)]
pub struct Found {
    pub url: String,
    pub kind: Kind,
    pub body: Body,
}

/// Resolves a source URL to what is polled for it.
pub async fn resolve<S: SourceStore + Clone>(fetcher: &Fetcher<S>, source: &str) -> Result<Found> {
    let body = match fetcher.get(source, Want::Feed, None).await? {
        Fetched::Body(b) => b,
        Fetched::NotModified => return Err(FollowError::Status(304)),
    };
    let mut looked = 1;
    match sniff(&body) {
        // Polled where it ended up: a feed that moved is asked for at its
        // new address, not through the redirect every time.
        Sniffed::Poll(kind) => return Ok(Found { url: body.url.clone(), kind, body }),
        Sniffed::Index(list) => {
            if let Some(f) = from_index(fetcher, &list, &mut looked).await {
                return Ok(f);
            }
        }
        Sniffed::Other => {}
    }
    let base = parse_http(&body.url)?;
    let html = decode_html(&body.bytes, body.charset()).unwrap_or_default();
    let mut candidates: Vec<Url> = feed_links(&html).iter().filter_map(|h| base.join(h).ok()).take(MAX_LINKS).collect();
    candidates.extend(FEED_PATHS.iter().filter_map(|p| base.join(p).ok()));
    candidates.dedup();
    for c in candidates {
        if let Some(f) = try_feed(fetcher, &c, &mut looked).await {
            return Ok(f);
        }
    }
    let (_, rules) = fetcher.prepare(&base).await?;
    let mut sitemaps: Vec<Url> = rules.sitemaps().iter().filter_map(|s| parse_http(s).ok()).collect();
    // A news sitemap is usually named so; try those first.
    sitemaps.sort_by_key(|u| !u.as_str().to_ascii_lowercase().contains("news"));
    sitemaps.extend(NEWS_SITEMAP_PATHS.iter().filter_map(|p| base.join(p).ok()));
    sitemaps.dedup();
    for s in sitemaps {
        let Some(body) = get(fetcher, &s, &mut looked).await else { continue };
        match sniff(&body) {
            Sniffed::Poll(kind) => return Ok(Found { url: body.url.clone(), kind, body }),
            Sniffed::Index(list) => {
                if let Some(f) = from_index(fetcher, &list, &mut looked).await {
                    return Ok(f);
                }
            }
            Sniffed::Other => {}
        }
    }
    Err(FollowError::Read(format!(
        "no feed or news sitemap found for {source} (looked at {looked} addresses: the page's feed links, \
         common feed paths, robots.txt sitemaps, common news sitemap paths)"
    )))
}

async fn get<S: SourceStore + Clone>(fetcher: &Fetcher<S>, url: &Url, looked: &mut usize) -> Option<Body> {
    *looked += 1;
    match fetcher.get(url.as_str(), Want::Feed, None).await {
        Ok(Fetched::Body(b)) => Some(b),
        _ => None,
    }
}

async fn try_feed<S: SourceStore + Clone>(fetcher: &Fetcher<S>, url: &Url, looked: &mut usize) -> Option<Found> {
    let body = get(fetcher, url, looked).await?;
    match sniff(&body) {
        Sniffed::Poll(kind) => Some(Found { url: body.url.clone(), kind, body }),
        _ => None,
    }
}

/// The first news sitemap among an index's sitemaps (those named for news
/// first).
async fn from_index<S: SourceStore + Clone>(
    fetcher: &Fetcher<S>,
    list: &[String],
    looked: &mut usize,
) -> Option<Found> {
    let mut list: Vec<Url> = list.iter().filter_map(|s| parse_http(s).ok()).collect();
    list.sort_by_key(|u| !u.as_str().to_ascii_lowercase().contains("news"));
    for u in list.into_iter().take(MAX_INDEX_CHILDREN) {
        let Some(body) = get(fetcher, &u, looked).await else { continue };
        if let Sniffed::Poll(Kind::Sitemap) = sniff(&body) {
            return Some(Found { url: body.url.clone(), kind: Kind::Sitemap, body });
        }
    }
    None
}
