//! `chorus follow`, `chorus sources` and `chorus serve --follow`, the real
//! binary against a local HTTP server (no internet here).

#[path = "../crates/follow/tests/server/mod.rs"]
mod server;
mod serving;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chorus_store::{AnyStore, Store};
use server::{Reply, TestServer, page, rss, story};
use serving::{Server, bin, chorus};

/// Fast manners for a local server.
const FAST: &[&str] = &["--min-delay", "0s", "--timeout", "3s", "--read-timeout", "2s", "--backoff", "50ms"];

/// Three outlets' feeds on one server, each item a teaser pointing to its
/// page, and an OPML file listing them.
fn three_outlets(s: &TestServer, dir: &Path, items: usize) -> String {
    let base = s.url("");
    let mut opml = String::from("<?xml version=\"1.0\"?><opml version=\"1.0\"><head><title>t</title></head><body>");
    for outlet in ["valley", "hill", "dale"] {
        let list: Vec<(String, String)> =
            (1..=items).map(|i| (format!("{outlet}/{i}"), format!("{outlet} report {i}"))).collect();
        let refs: Vec<(&str, &str, &str, Option<&str>)> =
            list.iter().map(|(slug, title)| (slug.as_str(), title.as_str(), "Teaser.", None)).collect();
        s.set(&format!("/{outlet}/rss.xml"), Reply::feed(&rss(&base, outlet, &refs), "v1"));
        for i in 1..=items {
            let paras = story(&format!("The {outlet} harbour vote {i}"), i);
            let p: Vec<&str> = paras.iter().map(String::as_str).collect();
            s.set(&format!("/{outlet}/{i}"), Reply::html(&page(&format!("Harbour vote {i}"), &p)));
        }
        opml.push_str(&format!("<outline text=\"{outlet}\" xmlUrl=\"{base}/{outlet}/rss.xml\"/>"));
    }
    opml.push_str("</body></opml>");
    let path = dir.join("feeds.opml");
    std::fs::write(&path, opml).unwrap();
    path.display().to_string()
}

fn store_counts(db: &Path) -> (u64, Vec<String>) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let s = AnyStore::open_existing(&db.display().to_string()).await.unwrap();
        (s.counts().await.unwrap().articles, s.check().await.unwrap())
    })
}

#[test]
fn follow_once_fills_the_store_and_a_second_run_costs_one_request_per_feed() {
    let s = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let opml = three_outlets(&s, dir.path(), 3);
    let db = dir.path().join("f.db");
    let db_s = db.display().to_string();
    let mut args = vec!["follow", opml.as_str(), "--once", "--db", db_s.as_str()];
    args.extend(FAST);
    let (code, _, err) = chorus(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("9 new articles"), "{err}");
    let (articles, problems) = store_counts(&db);
    assert_eq!(articles, 9);
    assert!(problems.is_empty(), "{problems:?}");
    // 1 robots.txt + 3 feeds + 9 pages.
    assert_eq!(s.seen().len(), 13, "{:?}", s.seen().iter().map(|r| &r.path).collect::<Vec<_>>());

    s.forget();
    let (code, _, err) = chorus(&args);
    assert_eq!(code, 0, "{err}");
    let seen = s.seen();
    assert_eq!(seen.len(), 3, "one conditional request per feed, nothing else: {seen:?}");
    assert!(
        seen.iter().all(|r| r.path.ends_with("/rss.xml") && r.header("if-none-match").as_deref() == Some("\"v1\""))
    );
    assert!(err.contains("3 not modified"), "{err}");

    let (code, out, _) = chorus(&["sources", "--db", &db_s, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = v["sources"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    for src in list {
        assert_eq!(src["articles"], 3);
        assert_eq!(src["polls"], 2);
        assert_eq!(src["unchanged"], 1);
        assert!(src["last_error"].is_null());
    }
    let (code, md, _) = chorus(&["sources", "--db", &db_s]);
    assert_eq!(code, 0);
    assert!(md.contains("| source |") && md.contains("/valley/rss.xml"), "{md}");

    // The stored articles make stories a report can show.
    let (code, report, _) = chorus(&["report", "--db", &db_s, "--format", "json"]);
    assert_eq!(code, 0);
    let r: serde_json::Value = serde_json::from_str(&report).unwrap();
    let n: usize = r["stories"].as_array().unwrap().iter().map(|s| s["articles"].as_array().unwrap().len()).sum();
    assert_eq!(n, 9);
}

#[test]
fn bad_sources_are_named_and_the_rest_still_followed() {
    let s = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let opml = three_outlets(&s, dir.path(), 1);
    let db = dir.path().join("f.db").display().to_string();
    let missing = dir.path().join("missing.opml").display().to_string();
    let mut args =
        vec!["follow", opml.as_str(), missing.as_str(), "ftp://x.example/feed", "--once", "--db", db.as_str()];
    args.extend(FAST);
    let (code, _, err) = chorus(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("missing.opml"), "{err}");
    assert!(err.contains("ftp://x.example/feed: not an http(s) URL"), "{err}");
    assert!(err.contains("3 new articles"), "{err}");
    // Nothing readable at all: exit 1.
    s.set("/valley/rss.xml", Reply::Status(404, vec![]));
    let url = s.url("/valley/rss.xml");
    let db2 = dir.path().join("g.db").display().to_string();
    let mut args = vec!["follow", url.as_str(), "--once", "--db", db2.as_str()];
    args.extend(FAST);
    let (code, _, err) = chorus(&args);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("HTTP 404"), "{err}");
}

#[test]
fn kill_9_mid_poll_loses_nothing_and_a_restart_finishes_the_work() {
    let s = TestServer::start();
    let base = s.url("");
    let n = 8;
    let list: Vec<(String, String)> = (1..=n).map(|i| (format!("p/{i}"), format!("Report {i}"))).collect();
    let refs: Vec<(&str, &str, &str, Option<&str>)> =
        list.iter().map(|(a, b)| (a.as_str(), b.as_str(), "Teaser.", None)).collect();
    s.set("/rss.xml", Reply::feed(&rss(&base, "Slow Post", &refs), "v1"));
    for i in 1..=n {
        let paras = story(&format!("Slow report {i}"), i);
        let p: Vec<&str> = paras.iter().map(String::as_str).collect();
        s.set(&format!("/p/{i}"), Reply::Slow(Duration::from_millis(250), Box::new(Reply::html(&page("R", &p)))));
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let db_s = db.display().to_string();
    let feed = s.url("/rss.xml");
    let mut args = vec!["follow", feed.as_str(), "--once", "--db", db_s.as_str(), "--per-host", "1"];
    args.extend(FAST);
    let mut child = Command::new(bin()).args(&args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let start = Instant::now();
    while s.seen().iter().filter(|r| r.path.starts_with("/p/")).count() < 5 {
        assert!(start.elapsed() < Duration::from_secs(30), "the poll never got going");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let (before, problems) = store_counts(&db);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(before < n as u64, "killed before the end: {before}");
    let kept: Vec<usize> = (1..=n).filter(|i| stored(&db, &s.url(&format!("/p/{i}")))).collect();
    assert_eq!(kept.len() as u64, before);
    assert!(!kept.is_empty(), "articles are stored as they come, not only at the end");

    let (code, _, err) = chorus(&args);
    assert_eq!(code, 0, "{err}");
    let (after, problems) = store_counts(&db);
    assert_eq!(after, n as u64, "{err}");
    assert!(problems.is_empty(), "{problems:?}");
    // The restart did not fetch again what was stored before the kill.
    for i in kept {
        assert_eq!(s.hits(&format!("/p/{i}")).len(), 1, "page {i} was stored, yet fetched again");
    }
}

fn stored(db: &Path, url: &str) -> bool {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let s = AnyStore::open_existing(&db.display().to_string()).await.unwrap();
        !s.locate(vec![chorus_model::article::article_id(url)]).await.unwrap().is_empty()
    })
}

#[test]
fn follow_polls_until_sigterm_and_stops_cleanly() {
    let s = TestServer::start();
    let base = s.url("");
    s.set(
        "/rss.xml",
        Reply::feed(&rss(&base, "T", &[("a", "A", "x", Some("<p>The dam opened, officials said.</p>"))]), "v1"),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let feed = s.url("/rss.xml");
    let mut child = Command::new(bin())
        .args(["follow", &feed, "--db", &db, "--every", "200ms"])
        .args(FAST)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    // The schedule adapts but keeps polling: wait for three polls.
    while s.hits("/rss.xml").len() < 3 {
        assert!(start.elapsed() < Duration::from_secs(30), "not polling on its schedule");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(s.hits("/rss.xml")[1..].iter().all(|r| r.header("if-none-match").is_some()));
    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = child.wait().unwrap();
    let mut err = String::new();
    BufReader::new(child.stderr.take().unwrap()).lines().for_each(|l| {
        err.push_str(&l.unwrap());
        err.push('\n');
    });
    assert!(status.success(), "{status:?}: {err}");
    assert!(err.contains("polls ("), "{err}");
}

#[test]
fn serve_follow_shows_stories_forming_and_the_sources() {
    let s = TestServer::start();
    let base = s.url("");
    let item = |i: usize| (format!("s/{i}"), format!("Harbour vote {i}"));
    let set_feed = |n: usize, etag: &str| {
        let list: Vec<(String, String)> = (1..=n).map(item).collect();
        let refs: Vec<(&str, &str, &str, Option<&str>)> =
            list.iter().map(|(a, b)| (a.as_str(), b.as_str(), "Teaser.", None)).collect();
        s.set("/rss.xml", Reply::feed(&rss(&base, "Live Post", &refs), etag));
    };
    for i in 1..=2 {
        let paras = story(&format!("Live report {i}"), i);
        let p: Vec<&str> = paras.iter().map(String::as_str).collect();
        s.set(&format!("/s/{i}"), Reply::html(&page(&format!("Harbour vote {i}"), &p)));
    }
    set_feed(1, "v1");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let feed = s.url("/rss.xml");
    let mut extra = vec!["--follow", feed.as_str(), "--every", "300ms"];
    extra.extend(FAST);
    let server = Server::start(&db, &extra);
    let wait_for = |what: &str, ok: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !ok() {
            assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let articles = || server.get("/healthz").json()["articles"].as_u64().unwrap_or(0);
    wait_for("the first article", &|| articles() == 1);
    set_feed(2, "v2");
    wait_for("the second article", &|| articles() == 2);
    wait_for("stories", &|| !server.get("/api/stories").json()["stories"].as_array().unwrap().is_empty());

    // The source's counts are written when its poll ends, just after the
    // articles it stored.
    wait_for("the source's counts", &|| server.get("/api/sources").json()["sources"][0]["articles"] == 2);
    let v = server.get("/api/sources").json();
    let src = &v["sources"][0];
    assert_eq!(src["url"], feed.as_str());
    assert_eq!(src["title"], "Live Post");
    assert_eq!(src["articles"], 2);
    assert!(src["polls"].as_u64().unwrap() >= 2);
    let page = server.get("/sources");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Live Post") && html.contains(&feed), "{html}");
    assert!(server.get("/").text().contains("href=\"/sources\""));
}
