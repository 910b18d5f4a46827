//! Web input end to end: the real `chorus` binary on a saved web page, an RSS
//! feed with a broken item, and a CC-NEWS-shaped `.warc.gz` with a damaged
//! record in the middle. Fixtures are invented (a harbour town's ferry story)
//! and written by the tests.

mod common;

use std::io::Write;

use common::*;
use serde_json::Value;

const PARA_1: &str = "The ferry service between Oldhaven and the island of Marrow resumed on Saturday after a \
    three-week halt caused by storm damage to the northern pier, the harbour office said.";
const PARA_2: &str = "Repairs to the pier cost about 2.4 million, paid from the regional emergency fund, and the \
    first crossing carried 212 passengers, among them children returning to the island school.";
const PARA_3: &str = "Harbour master Tove Lindqvist said the timetable would return to six crossings a day from \
    Monday, weather permitting, and thanked the crews who had worked through the nights.";

fn page(title: &str, published: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Oldhaven Courier</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Oldhaven Courier">
<meta name="author" content="Jonas Ek"><meta property="article:published_time" content="{published}">
<script>window.dataLayer = [];</script><style>.nav {{ color: red }}</style></head>
<body><header><nav><a href="/">Home</a> <a href="/sea">Sea</a> <a href="/weather">Weather</a></nav></header>
<main><article><h1>{title}</h1><p>{PARA_1}</p><p>{PARA_2}</p><p>{PARA_3}</p></article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Lighthouse repainted</a></li><li><a href="/b">Fish prices fall</a></li></ul></aside>
<footer><p>Copyright Oldhaven Courier. All rights reserved.</p></footer></body></html>"#
    )
}

fn articles(report: &Value) -> Vec<&Value> {
    report["stories"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["articles"].as_array().into_iter().flatten())
        .collect()
}

fn paths(items: &[&Value]) -> Vec<String> {
    let mut p: Vec<String> = items
        .iter()
        .map(|a| a["path"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    p.sort();
    p
}

fn error_paths(report: &Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["path"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn html_page_gives_text_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "ferry.html", page("Ferry to Marrow resumes", "2025-04-12T07:45:00+02:00").as_bytes());
    let out = run(&["extract", "--format", "jsonl", &path], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let rec: Value = serde_json::from_str(line.lines().next().expect("one record")).unwrap();
    assert_eq!(rec["title"], "Ferry to Marrow resumes");
    assert_eq!(rec["author"], "Jonas Ek");
    assert_eq!(rec["source"], "Oldhaven Courier");
    assert_eq!(rec["published"], "2025-04-12T07:45:00+02:00");
    let text = rec["text"].as_str().unwrap();
    for p in [PARA_1, PARA_2, PARA_3] {
        assert!(text.contains(p), "missing paragraph in {text}");
    }
    for furniture in ["Most read", "All rights reserved", "Lighthouse repainted", "dataLayer"] {
        assert!(!text.contains(furniture), "kept {furniture:?} in {text}");
    }
}

#[test]
fn legacy_charset_page_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let html = page("Caf\u{e9} on the quay reopens", "2025-04-12").replace("utf-8", "windows-1252");
    let path = write(dir.path(), "cafe.html", &latin1(&html));
    let out = run(&["extract", "--format", "jsonl", &path], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let rec: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(rec["title"], "Caf\u{e9} on the quay reopens");
}

/// Windows-1252 bytes of text whose characters are all Latin-1 (enough for
/// this fixture).
fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| u8::try_from(u32::from(c)).expect("latin-1 fixture")).collect()
}

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Oldhaven Courier</title><link>https://courier.example/</link><description>Harbour news</description>
<item><title>Ferry to Marrow resumes</title><link>https://courier.example/2025/04/12/ferry</link>
<pubDate>Sat, 12 Apr 2025 07:45:00 +0200</pubDate><dc:creator>Jonas Ek</dc:creator><description>Ferries are back.</description>
<content:encoded><![CDATA[<p>PARA1</p><p>PARA2</p>]]></content:encoded></item>
<item><title>Broken <b>item</title><description>unterminated</item>
<item><title>Pier repairs paid from emergency fund</title><link>https://courier.example/2025/04/11/pier</link>
<pubDate>Fri, 11 Apr 2025 18:00:00 +0200</pubDate><description>&lt;p&gt;PARA3&lt;/p&gt;</description></item>
</channel></rss>"#;

#[test]
fn feed_items_are_articles_and_a_broken_item_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let xml = FEED.replace("PARA1", PARA_1).replace("PARA2", PARA_2).replace("PARA3", PARA_3);
    let path = write(dir.path(), "courier.rss", xml.as_bytes());
    let out = run(&["report", "--format", "json", &path], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let arts = articles(&report);
    assert_eq!(paths(&arts), ["courier.rss#1", "courier.rss#3"]);
    assert_eq!(error_paths(&report), ["courier.rss#2"]);
    let first = arts.iter().find(|a| a["path"].as_str().unwrap().ends_with("#1")).unwrap();
    assert_eq!(first["url"], "https://courier.example/2025/04/12/ferry");
    assert_eq!(first["author"], "Jonas Ek");
    assert_eq!(first["source"], "Oldhaven Courier");
    assert!(first["published"].as_str().unwrap().starts_with("2025-04-12"));
    assert!(stderr(&out).contains("courier.rss#2"), "the error is on stderr too: {}", stderr(&out));
}

fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2025-04-12T09:00:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn response(uri: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    record("response", uri, "application/http; msgtype=response", http.as_bytes())
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn warc_gz_with_a_damaged_record_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let undated =
        page("Island school reopens", "").replace(r#"<meta property="article:published_time" content="">"#, "");
    let records = [
        record("warcinfo", "", "application/warc-fields", b"software: test-crawler\r\n"),
        record(
            "request",
            "https://courier.example/ferry",
            "application/http; msgtype=request",
            b"GET /ferry HTTP/1.1\r\n\r\n",
        ),
        response("https://courier.example/ferry", &page("Ferry to Marrow resumes", "2025-04-12T07:45:00+02:00")),
        response("https://courier.example/damaged", &page("This record is damaged", "2025-04-12")),
        response("https://courier.example/school", &undated),
        record("metadata", "https://courier.example/school", "application/warc-fields", b"fetchTimeMs: 80\r\n"),
    ];
    let mut bytes = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let mut member = gz(r);
        if i == 3 {
            let mid = member.len() / 2;
            for b in &mut member[mid..mid + 8] {
                *b = !*b;
            }
        }
        bytes.extend(member);
    }
    let path = write(dir.path(), "crawl.warc.gz", &bytes);
    let out = run(&["report", "--format", "json", &path], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let arts = articles(&report);
    assert_eq!(paths(&arts), ["crawl.warc.gz#3", "crawl.warc.gz#5"]);
    assert_eq!(error_paths(&report), ["crawl.warc.gz#4"]);
    let ferry = arts.iter().find(|a| a["path"].as_str().unwrap().ends_with("#3")).unwrap();
    assert_eq!(ferry["url"], "https://courier.example/ferry");
    assert_eq!(ferry["published"], "2025-04-12T07:45:00+02:00", "the page's own date wins");
    let school = arts.iter().find(|a| a["path"].as_str().unwrap().ends_with("#5")).unwrap();
    assert_eq!(school["published"], "2025-04-12T09:00:00+00:00", "the capture date stands in");
}

#[test]
fn unreadable_archive_alone_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = gz(&record("request", "https://x.example/", "application/http", b"GET / HTTP/1.1\r\n\r\n"));
    bytes.truncate(bytes.len() / 2);
    let path = write(dir.path(), "broken.warc.gz", &bytes);
    let out = run(&["report", "--format", "json", &path], None);
    assert!(!out.status.success(), "nothing usable was read");
    assert!(stderr(&out).contains("broken.warc.gz"), "{}", stderr(&out));
}
