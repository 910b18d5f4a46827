//! The follower against a local server with each behaviour of real ones:
//! what it asked for (requests, headers, concurrency) and what it stored.

mod server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chorus_follow::{Config, Outcome};
use chorus_store::{AnyStore, Engine, Source, SourceStore, Store};
use server::{Enc, Reply, TestServer, page, rss, story};

/// Short times, so the tests stay fast.
fn config() -> Config {
    Config {
        every: Duration::from_secs(1),
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(700),
        request_timeout: Duration::from_millis(1500),
        max_bytes: 1024 * 1024,
        min_delay: Duration::from_millis(5),
        max_wait: Duration::from_secs(2),
        backoff: Duration::from_millis(50),
        ..Config::default()
    }
}

struct Env {
    _dir: tempfile::TempDir,
    engine: Arc<Engine<AnyStore>>,
    rt: tokio::runtime::Runtime,
    log: Arc<Mutex<Vec<String>>>,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("f.db").display().to_string();
        Env::at(dir, &db)
    }

    fn at(dir: tempfile::TempDir, db: &str) -> Env {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let store = rt.block_on(AnyStore::open(db)).unwrap();
        Env { _dir: dir, engine: Arc::new(Engine::new(store)), rt, log: Arc::default() }
    }

    /// A fresh database on the PostgreSQL server `CHORUS_TEST_PG` names;
    /// `None` (a skip) without one, except under CI.
    fn postgres(name: &str) -> Option<Env> {
        let Ok(base) = std::env::var("CHORUS_TEST_PG") else {
            assert!(std::env::var_os("CI").is_none(), "CHORUS_TEST_PG is not set under CI");
            eprintln!("skipping {name}: CHORUS_TEST_PG is not set (source .ci/setup/postgres.sh)");
            return None;
        };
        let head = base.split('?').next().unwrap();
        let cut = head.rfind('/').filter(|&i| i > head.find("://").map_or(0, |j| j + 2)).unwrap_or(head.len());
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
        let db = format!("{}/chorus_follow_{name}_{}_{stamp}", &head[..cut], std::process::id());
        Some(Env::at(tempfile::tempdir().unwrap(), &db))
    }

    fn once(&self, args: &[String]) -> Outcome {
        self.once_with(args, config())
    }

    fn once_with(&self, args: &[String], cfg: Config) -> Outcome {
        let log = self.log.clone();
        self.rt.block_on(async {
            let store = self.engine.store();
            let (urls, errors) = chorus_follow::register(store, args).await.unwrap();
            assert!(errors.is_empty(), "{errors:?}");
            let sources = chorus_follow::sources(store, &urls).await.unwrap();
            let sink: chorus_follow::Log = Arc::new(move |l: &str| log.lock().unwrap().push(l.to_string()));
            chorus_follow::follow_once(self.engine.clone(), sources, cfg, sink).await.unwrap()
        })
    }

    fn sources(&self) -> Vec<Source> {
        self.rt.block_on(self.engine.store().sources()).unwrap()
    }

    fn source(&self, url: &str) -> Source {
        self.sources().into_iter().find(|s| s.url == url).unwrap_or_else(|| panic!("no source {url}"))
    }

    fn article_count(&self) -> u64 {
        self.rt.block_on(self.engine.store().counts()).unwrap().articles
    }

    fn stored(&self, url: &str) -> bool {
        let id = chorus_model::article::article_id(url);
        !self.rt.block_on(self.engine.store().locate(vec![id])).unwrap().is_empty()
    }

    fn article_text(&self, url: &str) -> String {
        let id = chorus_model::article::article_id(url);
        let located = self.rt.block_on(self.engine.store().locate(vec![id.clone()])).unwrap();
        let story = &located[0].1;
        let members = self.rt.block_on(self.engine.store().members(story.clone())).unwrap().unwrap();
        members.members.iter().find(|m| m.article.id == id).map(|m| m.article.text.clone()).unwrap()
    }

    fn logged(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

fn site(s: &TestServer, feed: &str, etag: &str, n: usize) -> String {
    let base = s.url("");
    let full = story("Full item", 0).join("</p><p>");
    let full = format!("<p>{full}</p>");
    let items: Vec<(String, String, String)> =
        (1..=n).map(|i| (format!("news/{i}"), format!("Harbour wall {i}"), "A teaser.".to_string())).collect();
    let mut list: Vec<(&str, &str, &str, Option<&str>)> =
        vec![("news/full", "Full item", "Teaser of the full item.", Some(full.as_str()))];
    for (slug, title, desc) in &items {
        list.push((slug, title, desc, None));
    }
    for i in 1..=n {
        let paras = story(&format!("Harbour wall {i}"), i);
        let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
        s.set(&format!("/news/{i}"), Reply::html(&page(&format!("Harbour wall {i}"), &refs)));
    }
    s.set(feed, Reply::feed(&rss(&base, "Test Courier", &list), etag));
    s.url(feed)
}

#[test]
fn items_become_articles_and_an_unchanged_feed_costs_one_304() {
    let s = TestServer::start();
    let feed = site(&s, "/rss.xml", "v1", 2);
    let env = Env::new();
    let out = env.once(std::slice::from_ref(&feed));
    assert_eq!((out.polls, out.failed, out.articles), (1, 0, 3), "{}", env.logged());
    // robots.txt, the feed, and the two pages of the summary-only items;
    // the full item needed no page.
    let paths: Vec<String> = s.seen().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert_eq!(paths[0], "/robots.txt");
    assert_eq!(s.hits("/rss.xml").len(), 1);
    assert!(s.hits("/news/full").is_empty(), "the full item's page is not fetched");
    for r in s.seen() {
        let ua = r.header("user-agent").unwrap();
        assert!(ua.starts_with("chorus/") && ua.contains("+http"), "{ua}");
        let ae = r.header("accept-encoding").unwrap_or_default();
        assert!(ae.contains("gzip") && ae.contains("br"), "{ae}");
    }
    assert!(env.stored(&s.url("/news/1")) && env.stored(&s.url("/news/2")) && env.stored(&s.url("/news/full")));
    assert!(env.article_text(&s.url("/news/1")).contains("harbour wall number 1"));
    let src = env.source(&feed);
    assert_eq!(src.etag.as_deref(), Some("\"v1\""));
    assert_eq!((src.polls, src.items, src.articles, src.errors), (1, 3, 3, 0));
    assert_eq!(src.title.as_deref(), Some("Test Courier"));

    // A second run (a new process in effect: nothing in memory) makes one
    // conditional request, and nothing else: robots.txt is in the store.
    s.forget();
    let env2 = Env { log: Arc::default(), ..env };
    let out = env2.once(std::slice::from_ref(&feed));
    let seen = s.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].path, "/rss.xml");
    assert_eq!(seen[0].header("if-none-match").as_deref(), Some("\"v1\""));
    assert_eq!(seen[0].header("if-modified-since").as_deref(), Some("Tue, 01 Jul 2025 10:00:00 GMT"));
    assert_eq!((out.unchanged, out.articles), (1, 0));
    let src = env2.source(&feed);
    assert_eq!((src.polls, src.unchanged, src.articles), (2, 1, 3));
    assert_eq!(env2.article_count(), 3);
}

#[test]
fn postgres_keeps_the_same_state() {
    let Some(env) = Env::postgres("state") else { return };
    let s = TestServer::start();
    let feed = site(&s, "/rss.xml", "v1", 2);
    let out = env.once(std::slice::from_ref(&feed));
    assert_eq!((out.failed, out.articles), (0, 3), "{}", env.logged());
    s.forget();
    let env2 = Env { log: Arc::default(), ..env };
    let out = env2.once(std::slice::from_ref(&feed));
    assert_eq!(out.unchanged, 1);
    let seen = s.seen();
    assert_eq!(seen.len(), 1, "robots.txt and validators come from the store: {seen:?}");
    assert_eq!(seen[0].header("if-none-match").as_deref(), Some("\"v1\""));
    let src = env2.source(&feed);
    assert_eq!((src.polls, src.unchanged, src.articles), (2, 1, 3));
    assert_eq!(env2.article_count(), 3);
}

#[test]
fn a_feed_that_changes_costs_only_its_new_pages() {
    let s = TestServer::start();
    let feed = site(&s, "/rss.xml", "v1", 2);
    let env = Env::new();
    env.once(std::slice::from_ref(&feed));
    s.forget();
    site(&s, "/rss.xml", "v2", 3);
    let out = env.once(std::slice::from_ref(&feed));
    assert_eq!(out.articles, 1, "{}", env.logged());
    let paths: Vec<String> = s.seen().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, vec!["/rss.xml".to_string(), "/news/3".to_string()]);
    assert_eq!(env.source(&feed).etag.as_deref(), Some("\"v2\""));
    assert_eq!(env.article_count(), 4);
}

#[test]
fn retry_after_is_waited_for_and_a_long_one_pauses_the_host() {
    let s = TestServer::start();
    let base = s.url("");
    let body = rss(&base, "T", &[("a", "A", "x", Some("<p>The dam opened on Tuesday, the authority said.</p>"))]);
    s.set(
        "/rss.xml",
        Reply::Seq(vec![Reply::Status(429, vec![("Retry-After".into(), "1".into())]), Reply::feed(&body, "e")]),
    );
    let env = Env::new();
    let out = env.once(&[s.url("/rss.xml")]);
    assert_eq!((out.failed, out.articles), (0, 1), "{}", env.logged());
    let hits = s.hits("/rss.xml");
    assert_eq!(hits.len(), 2);
    assert!(hits[1].at - hits[0].at >= Duration::from_millis(900), "{:?}", hits[1].at - hits[0].at);

    // An hour's wait is past what a poll waits: the poll fails, the host
    // is paused in the store, and the next run does not ask it again.
    let s2 = TestServer::start();
    s2.set("/rss.xml", Reply::Status(503, vec![("Retry-After".into(), "3600".into())]));
    let out = env.once(&[s2.url("/rss.xml")]);
    assert_eq!(out.failed, 1);
    assert_eq!(s2.hits("/rss.xml").len(), 1, "no retry inside the poll");
    let src = env.source(&s2.url("/rss.xml"));
    assert!(src.last_error.as_deref().unwrap().contains("503"), "{src:?}");
    assert!(src.next_poll.as_deref().unwrap() > src.last_poll.as_deref().unwrap());
    s2.forget();
    let env2 = Env { log: Arc::default(), ..env };
    let out = env2.once(&[s2.url("/rss.xml")]);
    assert_eq!(out.failed, 1);
    assert!(s2.seen().is_empty(), "a paused host gets no request: {:?}", s2.seen());
    assert!(env2.source(&s2.url("/rss.xml")).last_error.unwrap().contains("paused"));
}

#[test]
fn exponential_back_off_without_retry_after() {
    let s = TestServer::start();
    s.set("/rss.xml", Reply::Status(503, vec![]));
    let env = Env::new();
    let cfg = Config { backoff: Duration::from_millis(200), retries: 2, ..config() };
    let out = env.once_with(&[s.url("/rss.xml")], cfg);
    assert_eq!(out.failed, 1);
    let hits = s.hits("/rss.xml");
    assert_eq!(hits.len(), 3, "first try and two retries");
    let (g1, g2) = (hits[1].at - hits[0].at, hits[2].at - hits[1].at);
    assert!(g1 >= Duration::from_millis(180) && g2 >= Duration::from_millis(380), "{g1:?} {g2:?}");
}

#[test]
fn redirects_are_followed_and_loops_are_errors() {
    let s = TestServer::start();
    let feed = site(&s, "/rss.xml", "v1", 1);
    s.set("/old-feed", Reply::Redirect(301, "/rss.xml".into()));
    s.set("/a", Reply::Redirect(302, "/b".into()));
    s.set("/b", Reply::Redirect(302, s.url("/a")));
    s.set("/far", Reply::Redirect(302, "/far1".into()));
    for i in 1..10 {
        s.set(&format!("/far{i}"), Reply::Redirect(302, format!("/far{}", i + 1)));
    }
    let env = Env::new();
    let out = env.once(&[s.url("/old-feed"), s.url("/a"), s.url("/far")]);
    assert_eq!((out.polls, out.failed), (3, 2), "{}", env.logged());
    assert!(env.stored(&s.url("/news/1")));
    assert!(env.source(&s.url("/a")).last_error.unwrap().contains("redirect loop"));
    assert!(env.source(&s.url("/far")).last_error.unwrap().contains("more than 5 redirects"));
    assert_eq!(s.hits("/a").len(), 1, "the loop is seen, not followed again");
    assert!(s.hits("/far7").is_empty(), "no hop past the limit");
    let _ = feed;
}

#[test]
fn a_slow_page_times_out_and_the_poll_goes_on() {
    let s = TestServer::start();
    let feed = site(&s, "/rss.xml", "v1", 3);
    let slow = page("Slow", &story("Slow page", 9).iter().map(String::as_str).collect::<Vec<_>>());
    s.set("/news/2", Reply::Slow(Duration::from_secs(4), Box::new(Reply::html(&slow))));
    let env = Env::new();
    let out = env.once(std::slice::from_ref(&feed));
    assert_eq!((out.failed, out.articles, out.item_errors), (0, 3, 1), "{}", env.logged());
    assert!(!env.stored(&s.url("/news/2")));
    assert!(env.logged().contains("timed out"), "{}", env.logged());
    // Left for the next poll: the feed's validators are not kept, so the
    // next poll reads it again and retries the page.
    let src = env.source(&feed);
    assert_eq!(src.etag, None);
    s.set("/news/2", Reply::html(&slow));
    s.forget();
    let out = env.once(std::slice::from_ref(&feed));
    assert_eq!(out.articles, 1, "{}", env.logged());
    assert_eq!(s.hits("/rss.xml")[0].header("if-none-match"), None);
    assert!(s.hits("/news/1").is_empty() && s.hits("/news/3").is_empty());
    assert!(env.stored(&s.url("/news/2")));
    assert_eq!(env.source(&feed).etag.as_deref(), Some("\"v1\""));
}

#[test]
fn an_oversized_page_is_refused_while_streaming() {
    let s = TestServer::start();
    let feed = site(&s, "/rss.xml", "v1", 2);
    s.set("/news/1", Reply::Huge(20 * 1024 * 1024));
    let env = Env::new();
    let out = env.once(std::slice::from_ref(&feed));
    assert_eq!(out.failed, 0);
    assert!(env.logged().contains("over the 1048576-byte limit"), "{}", env.logged());
    // Never loaded whole: the server got to send well under the page's
    // 20 MB before the connection was dropped. What it sends past the limit
    // is what the loopback's socket buffers take in before the drop (up to
    // 8.5 MB seen on a loaded 2-core machine), so the bound is three
    // quarters of the page, not the limit.
    assert!(s.huge_sent() < 15 * 1024 * 1024, "{} bytes sent", s.huge_sent());
    // The item's teaser stands in for the page, with the error noted; the
    // other item is stored in full.
    assert!(env.stored(&s.url("/news/1")));
    assert_eq!(env.article_text(&s.url("/news/1")), "A teaser.");
    assert!(env.stored(&s.url("/news/2")));
    assert_eq!(env.source(&feed).errors, 1);
}

#[test]
fn robots_txt_is_obeyed_and_cached() {
    let s = TestServer::start();
    let base = s.url("");
    s.set("/robots.txt", Reply::ok("text/plain", "User-agent: *\nDisallow: /private/\n"));
    let p = story("Open page", 1);
    s.set("/open", Reply::html(&page("Open", &p.iter().map(String::as_str).collect::<Vec<_>>())));
    s.set("/private/x", Reply::html(&page("Private", &["Secret."])));
    s.set(
        "/rss.xml",
        Reply::feed(
            &rss(
                &base,
                "T",
                &[("open", "Open", "Open teaser.", None), ("private/x", "Private", "Private teaser.", None)],
            ),
            "e",
        ),
    );
    s.set("/private/feed.xml", Reply::feed(&rss(&base, "P", &[]), "p"));
    let env = Env::new();
    let out = env.once(&[s.url("/rss.xml"), s.url("/private/feed.xml")]);
    assert_eq!((out.polls, out.failed), (2, 1), "{}", env.logged());
    assert!(s.hits("/private/x").is_empty() && s.hits("/private/feed.xml").is_empty(), "{:?}", s.seen());
    assert_eq!(s.hits("/robots.txt").len(), 1, "fetched once per host");
    assert!(env.source(&s.url("/private/feed.xml")).last_error.unwrap().contains("robots.txt"));
    // The disallowed item keeps its teaser; the allowed one its page.
    assert_eq!(env.article_text(&s.url("/private/x")), "Private teaser.");
    assert!(env.article_text(&s.url("/open")).contains("Open page"));
}

#[test]
fn broken_items_are_errors_and_the_others_are_stored() {
    let s = TestServer::start();
    let base = s.url("");
    let good = |slug: &str, text: &str| {
        format!(
            "<item><title>{slug}</title><link>{base}/{slug}</link><content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
        )
    };
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>T</title>\
{}<item><title>Broken <b></title><description>x</item>{}<item><description> </description></item></channel></rss>",
        good("one", "The ferry strike ended on Monday after a week, the union said."),
        good("two", "The library reopened on Friday after repairs to its roof, the council said."),
    );
    s.set("/rss.xml", Reply::feed(&feed, "e"));
    let env = Env::new();
    let out = env.once(&[s.url("/rss.xml")]);
    assert_eq!((out.failed, out.articles), (0, 2), "{}", env.logged());
    assert!(out.item_errors >= 1, "{}", env.logged());
    assert!(env.logged().contains("/rss.xml#2"), "{}", env.logged());
}

#[test]
fn fifty_feeds_on_one_host_keep_two_requests_in_flight() {
    let s = TestServer::start();
    let base = s.url("");
    let mut opml = String::from("<opml version=\"2.0\"><head/><body><outline text=\"All\">");
    for i in 0..50 {
        let body =
            rss(&base, &format!("F{i}"), &[(&format!("f{i}"), "Item", "x", Some("<p>Water rose on Tuesday.</p>"))]);
        s.set(&format!("/feeds/{i}.xml"), Reply::Slow(Duration::from_millis(30), Box::new(Reply::feed(&body, "e"))));
        opml.push_str(&format!("<outline type=\"rss\" text=\"F{i}\" xmlUrl=\"{base}/feeds/{i}.xml\"/>"));
    }
    opml.push_str("</outline></body></opml>");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feeds.opml");
    std::fs::write(&path, opml).unwrap();
    let env = Env::new();
    let out = env.once(&[path.display().to_string()]);
    assert_eq!((out.polls, out.failed), (50, 0), "{}", env.logged());
    assert_eq!(s.peak(), 2, "at most two requests in flight to one host");
    assert_eq!(env.sources().len(), 50);
    assert_eq!(env.source(&format!("{base}/feeds/7.xml")).title.as_deref(), Some("F7"));
    // A minimum delay between request starts (5 ms here): the 51 requests
    // span at least 50 delays. (Gaps between two arrivals are not checked:
    // the server's own scheduling blurs them; the gate's unit test checks
    // them at the client.)
    let mut starts: Vec<_> = s.seen().iter().map(|r| r.at).collect();
    starts.sort();
    let span = *starts.last().unwrap() - starts[0];
    assert!(span >= Duration::from_millis(50 * 5 * 8 / 10), "{span:?}");
}

#[test]
fn sites_are_resolved_to_their_feed_or_news_sitemap() {
    let s = TestServer::start();
    let base = s.url("");
    let feed =
        rss(&base, "Linked", &[("l1", "L", "x", Some("<p>The bridge reopened on Monday, the council said.</p>"))]);
    s.set("/linked/", Reply::html("<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"feed.xml\"></head><body>Home</body></html>"));
    s.set("/linked/feed.xml", Reply::feed(&feed, "l"));
    let env = Env::new();
    let out = env.once(&[s.url("/linked/")]);
    assert_eq!(out.articles, 1, "{}", env.logged());
    let src = env.source(&s.url("/linked/"));
    assert_eq!(src.feed.as_deref(), Some(s.url("/linked/feed.xml").as_str()));
    assert_eq!(src.kind.as_deref(), Some("feed"));

    // No link: a common path. Then nothing but a news sitemap.
    let s2 = TestServer::start();
    let b2 = s2.url("");
    s2.set("/", Reply::html("<html><head><title>Home</title></head><body>Home</body></html>"));
    s2.set(
        "/atom.xml",
        Reply::feed(
            &rss(&b2, "Pathed", &[("p1", "P", "x", Some("<p>Snow closed the pass overnight, police said.</p>"))]),
            "p",
        ),
    );
    let s3 = TestServer::start();
    let b3 = s3.url("");
    s3.set("/", Reply::html("<html><head><title>Home</title></head><body>Home</body></html>"));
    s3.set(
        "/robots.txt",
        Reply::ok("text/plain", format!("User-agent: *\nAllow: /\nSitemap: {b3}/sitemaps/news.xml\n")),
    );
    s3.set(
        "/sitemaps/news.xml",
        Reply::ok(
            "application/xml",
            format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\
<url><loc>{b3}/story</loc><news:news><news:publication><news:name>Map Times</news:name><news:language>en</news:language></news:publication>\
<news:publication_date>2025-07-01T08:00:00Z</news:publication_date><news:title>Harbour vote</news:title></news:news></url></urlset>"
            ),
        ),
    );
    let p = story("Harbour vote", 3);
    s3.set("/story", Reply::html(&page("Harbour vote", &p.iter().map(String::as_str).collect::<Vec<_>>())));
    let out = env.once(&[s2.url("/"), s3.url("/")]);
    assert_eq!((out.failed, out.articles), (0, 2), "{}", env.logged());
    assert_eq!(env.source(&s2.url("/")).feed.as_deref(), Some(s2.url("/atom.xml").as_str()));
    let src3 = env.source(&s3.url("/"));
    assert_eq!(src3.kind.as_deref(), Some("sitemap"));
    assert_eq!(src3.title.as_deref(), Some("Map Times"));
    assert!(env.article_text(&s3.url("/story")).contains("Harbour vote"));

    // A site with nothing to follow is a recorded error.
    let s4 = TestServer::start();
    s4.set("/", Reply::html("<html><head></head><body>Nothing here</body></html>"));
    let out = env.once(&[s4.url("/")]);
    assert_eq!(out.failed, 1);
    assert!(env.source(&s4.url("/")).last_error.unwrap().contains("no feed"));
}

#[test]
fn compressed_bodies_and_declared_charsets_are_read() {
    let s = TestServer::start();
    let base = s.url("");
    s.set(
        "/rss.xml",
        Reply::feed(
            &rss(&base, "Zipped", &[("latin", "Café", "Teaser.", None), ("br", "Brotli", "Teaser.", None)]),
            "z",
        )
        .encoded(Enc::Gzip),
    );
    let text = "Le caf\u{e9} de la place a rouvert mardi apr\u{e8}s des travaux de r\u{e9}novation qui ont dur\u{e9} six mois, a indiqu\u{e9} la mairie.";
    let html = format!(
        "<html><head><meta charset=\"windows-1252\"><title>Caf\u{e9}</title></head><body><article><p>{text}</p><p>{text}</p></article></body></html>"
    );
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
    s.set("/latin", Reply::ok("text/html", latin.into_owned()));
    let p = story("Brotli page", 4);
    s.set("/br", Reply::html(&page("Brotli", &p.iter().map(String::as_str).collect::<Vec<_>>())).encoded(Enc::Brotli));
    let env = Env::new();
    let out = env.once(&[s.url("/rss.xml")]);
    assert_eq!(out.articles, 2, "{}", env.logged());
    assert!(
        env.article_text(&s.url("/latin")).contains("Le café de la place"),
        "{}",
        env.article_text(&s.url("/latin"))
    );
    assert!(env.article_text(&s.url("/br")).contains("Brotli page"));
}

#[test]
fn json_feed_and_atom_are_followed() {
    let s = TestServer::start();
    let base = s.url("");
    s.set(
        "/feed.json",
        Reply::ok(
            "application/feed+json",
            format!(
                r#"{{"version":"https://jsonfeed.org/version/1.1","title":"Json Post","items":[{{"id":"1","url":"{base}/j1","title":"J","content_html":"<p>The tram line opened on Sunday, the city said.</p>"}}]}}"#
            ),
        ),
    );
    s.set(
        "/atom.xml",
        Reply::ok(
            "application/atom+xml",
            format!(
                r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Post</title><id>urn:a</id><updated>2025-07-01T00:00:00Z</updated>
<entry><title>A</title><id>urn:a1</id><link href="{base}/a1"/><updated>2025-07-01T00:00:00Z</updated><content type="html">&lt;p&gt;The port reopened on Monday after the storm, officials said.&lt;/p&gt;</content></entry></feed>"#
            ),
        ),
    );
    let env = Env::new();
    let out = env.once(&[s.url("/feed.json"), s.url("/atom.xml")]);
    assert_eq!((out.failed, out.articles), (0, 2), "{}", env.logged());
    assert!(env.stored(&format!("{base}/j1")) && env.stored(&format!("{base}/a1")));
}

#[test]
fn pathological_pages_cost_bounded_work_and_the_poll_goes_on() {
    let s = TestServer::start();
    let feed = site(&s, "/rss.xml", "v1", 3);
    // 20,000 nested <div>s around the text, and 300,000 empty elements:
    // the HTML reader's bounds (refusal depth, element count) refuse both in
    // one linear scan, an error recorded against each item, and the poll
    // goes on.
    let deep = format!(
        "<html><head><title>Deep</title></head><body>{}<p>{}</p>{}</body></html>",
        "<div>".repeat(20_000),
        story("Deep page", 1).join(" "),
        "</div>".repeat(20_000)
    );
    s.set("/news/1", Reply::html(&deep));
    s.set("/news/2", Reply::html(&format!("<html><body>{}</body></html>", "<i></i>".repeat(300_000))));
    let env = Env::new();
    let cfg = Config { max_bytes: 8 * 1024 * 1024, request_timeout: Duration::from_secs(5), ..config() };
    let t = std::time::Instant::now();
    let out = env.once_with(std::slice::from_ref(&feed), cfg);
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    assert_eq!(out.failed, 0, "{}", env.logged());
    assert!(env.stored(&s.url("/news/3")), "{}", env.logged());
    for page in ["/news/1", "/news/2"] {
        assert!(env.logged().contains(&format!("{}: ", s.url(page))), "{}", env.logged());
        // A refused page's item keeps the feed's teaser.
        assert_eq!(env.article_text(&s.url(page)), "A teaser.");
    }
}
