//! Hostile input to the readers (issue 18, the reader rows), through the real
//! binary: pages nested to break parsers, files far too big to be one
//! article, fields sized to bloat every response, markup with no text, and
//! metadata that spoofs its display. Each must end as a clear error naming
//! the input (the other inputs still read) or as a bounded article, in
//! bounded time. Sizes are scaled down from the so the suite stays
//! fast; the full-size figures are in the closing note.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// Generous for a debug build on a busy machine; the release binary takes a
/// fraction of it. Before the fixes, these inputs took minutes or aborted.
const QUICK: Duration = Duration::from_secs(60);

fn nested_divs(depth: usize, inner: &str) -> String {
    format!("<html><body>{}{inner}{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth))
}

/// Runs chorus with `args`, returning the output and how long it took.
fn timed(args: &[&str]) -> (std::process::Output, Duration) {
    let t = Instant::now();
    let out = run(args, None);
    (out, t.elapsed())
}

/// The `errors` of a JSON report, as (path, message).
fn report_errors(v: &serde_json::Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["path"].as_str().unwrap_or("").to_string(), e["error"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// Every article of a JSON report.
fn report_articles(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["stories"].as_array().expect("stories").iter().flat_map(|s| s["articles"].as_array().unwrap().clone()).collect()
}

/// Rows 1 and 2: a page of 8,000 (and 20,000) nested `<div>`s beside the
/// five seed articles. Before: a stack overflow in the `trafilatura` crate
/// aborted the process and nothing was stored. Now the page is refused by
/// name, and the seeds are stored and reported.
#[test]
fn deeply_nested_page_beside_the_seeds() {
    let Some(seeds) = shared("seeds") else { return };
    let seeds = seeds.to_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    for depth in [8_000, 20_000] {
        let page = write(dir.path(), &format!("deep{depth}.html"), nested_divs(depth, "Deep words.").as_bytes());
        let db = dir.path().join(format!("s{depth}.db"));
        let (out, took) = timed(&["ingest", "-q", "--db", db.to_str().unwrap(), &seeds, &page]);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(took < QUICK, "{took:?}");
        assert!(err.contains(&format!("chorus: {page}: HTML nested more than 4096 elements deep")), "{err}");
        assert!(err.contains("5 new articles stored"), "{err}");

        let (out, took) = timed(&["report", "--format", "json", &seeds, &page]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(took < QUICK, "{took:?}");
        let v = json(&out);
        let errors = report_errors(&v);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, page);
        assert!(errors[0].1.contains("nested more than 4096"), "{errors:?}");
        assert_eq!(report_articles(&v).len(), 5);
    }
}

/// Row 7: a large page of nested `<div>`s (the 2.2 MB, 200,000-deep
/// one aborted after 362 s; 50 MB ran past 120 s): refused in bounded time
/// with a clear error, and the process goes on to the next input.
#[test]
fn huge_nested_markup_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let deep = write(dir.path(), "deep200k.html", nested_divs(200_000, "x").as_bytes());
    // 8 MB of `<div>`s, opened and closed in turn: past the tag bound.
    let wide = write(dir.path(), "wide.html", "<div>x</div>".repeat(700_000).as_bytes());
    let ok = write(dir.path(), "ok.txt", b"Council votes to rebuild the bridge\n\nThe council voted on Monday.");
    let (out, took) = timed(&["report", "--format", "json", &deep, &wide, &ok]);
    assert!(took < QUICK, "{took:?}");
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    let errors = report_errors(&v);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, deep);
    assert!(errors[0].1.contains("nested more than 4096 elements deep"), "{errors:?}");
    assert_eq!(errors[1].0, wide);
    assert!(errors[1].1.contains("more than 250000 HTML tags"), "{errors:?}");
    assert_eq!(report_articles(&v).len(), 1);
}

/// Row 6: a text file of 200,000 short lines (the 10⁶ took 194 s and
/// 1.56 GB, growing with the square of its length) is not one article: it
/// is refused by name, quickly, and an article beside it is still stored.
#[test]
fn a_file_of_many_short_lines_is_not_one_article() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..200_000).map(|i| format!("President Kyiv said line {i} of the log\n")).collect();
    let big = write(dir.path(), "lines.txt", lines.as_bytes());
    let ok = write(dir.path(), "ok.txt", b"Council votes to rebuild the bridge\n\nThe council voted on Monday.");
    let db = dir.path().join("s.db");
    let (out, took) = timed(&["ingest", "-q", "--db", db.to_str().unwrap(), &big, &ok]);
    let err = stderr(&out);
    assert!(took < QUICK, "{took:?}");
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("chorus: {big}: ")) && err.contains("over the 1048576-byte limit for one article"),
        "{err}"
    );
    assert!(err.contains("1 new articles stored"), "{err}");
}

/// Row 6, below the bound: an article of many short lines just under 1 MiB
/// (1,000,000 bytes) is read and analysed in bounded time (per-article passes that scanned
/// every mention for every sentence made this quadratic).
#[test]
fn many_short_lines_under_the_bound_are_read_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let words = ["President", "Kyiv", "said", "the", "of", "Minister", "Ann", "Lee", "talks", "billion"];
    let mut text = String::new();
    let mut i = 0usize;
    while text.len() < 1_000_000 {
        let n = 2 + i % 6;
        let line: Vec<&str> = (0..n).map(|k| words[(i * 7 + k * 3) % words.len()]).collect();
        text.push_str(&line.join(" "));
        text.push_str(if i % 2 == 0 { ".\n" } else { "\n" });
        i += 1;
    }
    let f = write(dir.path(), "many.txt", text.as_bytes());
    let (out, took) = timed(&["report", "--format", "json", &f]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(took < QUICK, "{took:?}");
    assert_eq!(report_articles(&json(&out)).len(), 1);
}

/// Row 8: a client-chosen id of 1 MB is refused by name; a title of a
/// million characters is cut; a one-line body of one endless word does not
/// become an endless headline.
#[test]
fn field_sizes_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let long_id = format!("{{\"id\":\"{}\",\"text\":\"The council met on Monday.\"}}", "i".repeat(1 << 20));
    let long_title = format!(
        "{{\"title\":\"{}\",\"text\":\"The harbour reopened on Tuesday after the storm.\"}}",
        "Headline ".repeat(120_000)
    );
    let f = write(dir.path(), "fields.jsonl", format!("{long_id}\n{long_title}\n").as_bytes());
    let body = write(dir.path(), "oneline.txt", "x".repeat(600_000).as_bytes());
    let out = run(&["report", "--format", "json", &f, &body], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    let errors = report_errors(&v);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, format!("{f}#1"));
    assert!(errors[0].1.contains("id of 1048576 bytes is over the 512-byte limit"), "{errors:?}");
    let articles = report_articles(&v);
    assert_eq!(articles.len(), 2);
    for a in &articles {
        if let Some(t) = a["title"].as_str() {
            assert!(t.chars().count() <= 300 && t.ends_with('…'), "{} chars", t.len());
        }
    }
    for s in v["stories"].as_array().unwrap() {
        let h = s["headline"].as_str().unwrap();
        assert!(h.chars().count() <= 300, "a headline of {} characters", h.chars().count());
    }
}

/// Row 12: markup with no text is no article (before, a JSON `text` of only
/// a `<script>` was stored as its raw markup).
#[test]
fn markup_without_text_is_no_article() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "empty.html", b"<p></p><script>alert('x')</script>");
    let f = write(
        dir.path(),
        "markup.jsonl",
        b"{\"text\":\"<script>alert('x')</script>\"}\n{\"text\":\"<p></p><style>p{}</style>\"}\n{\"text\":\"The council met.\"}\n",
    );
    let out = run(&["report", "--format", "json", &page, &f], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    let errors = report_errors(&v);
    let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, [page.clone(), format!("{f}#1"), format!("{f}#2")], "{errors:?}");
    assert!(errors.iter().all(|(_, e)| e.contains("no article text")), "{errors:?}");
    let articles = report_articles(&v);
    assert_eq!(articles.len(), 1);
}

/// Row 13, metadata: bidirectional overrides and isolates are stripped from
/// titles, sources and authors, so a title cannot display as another.
#[test]
fn bidi_controls_leave_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let line = serde_json::json!({
        "title": "Mayor \u{202E}lanruoj\u{202C} resigns",
        "source": "\u{2067}Courier\u{2069}",
        "author": "Ann \u{202D}Lee",
        "text": "The mayor resigned on Monday.",
    });
    let f = write(dir.path(), "bidi.jsonl", format!("{line}\n").as_bytes());
    let page = write(
        dir.path(),
        "bidi.html",
        "<html><head><title>Storm \u{202E}closes\u{202C} port</title></head><body><article><p>The storm closed \
         the port on Monday, officials said, and ferries will not sail before Thursday at the earliest.</p>\
         </article></body></html>"
            .as_bytes(),
    );
    let out = run(&["report", "--format", "json", &f, &page], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for c in ['\u{202E}', '\u{202C}', '\u{202D}', '\u{2067}', '\u{2069}'] {
        assert!(!text.contains(c), "U+{:04X} left in the report", c as u32);
    }
    let articles = report_articles(&json(&out));
    let titles: Vec<&str> = articles.iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(titles.contains(&"Mayor lanruoj resigns") && titles.contains(&"Storm closes port"), "{titles:?}");
    assert!(articles.iter().any(|a| a["source"] == "Courier" && a["author"] == "Ann Lee"), "{articles:?}");
}

/// The store path too: `chorus ingest` of a file holding every hostile
/// shape at once stores what is an article and names the rest.
#[test]
fn ingest_names_each_hostile_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inputs = [
        write(d, "a/deep.html", nested_divs(10_000, "x").as_bytes()),
        write(d, "a/empty.html", b"<p></p><script>x()</script>"),
        write(d, "a/lines.txt", "short line\n".repeat(200_000).as_bytes()),
        // Row 1's page inside a JSON `text`, as a crawler's dump holds it.
        write(d, "a/page.jsonl", format!("{}\n", serde_json::json!({ "text": nested_divs(8_000, "x") })).as_bytes()),
        write(d, "a/ok.txt", b"Council votes to rebuild the bridge\n\nThe council voted on Monday."),
    ];
    let db = d.join("s.db");
    let dir_arg = d.join("a");
    let (out, took) = timed(&["ingest", "-q", "--db", db.to_str().unwrap(), dir_arg.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(took < QUICK, "{took:?}");
    for p in &inputs[..3] {
        assert!(err.contains(&format!("chorus: {p}: ")), "{p} not named: {err}");
    }
    assert!(err.contains(&format!("chorus: {}#1: HTML nested more than 4096", inputs[3])), "{err}");
    assert!(err.contains("1 new articles stored"), "{err}");
    assert!(Path::new(&db).exists());
}
