//! Headline-only items: a JSON Lines file whose `text` fields are empty
//! (a headline stream, a feed export) is read, clustered and reported, not
//! refused. Generated here: headlines of two invented events from several
//! outlets, each worded its own way, with no body.

mod common;

use common::*;
use serde_json::{Value, json};

/// Headlines of two invented events: a dam breach in a made-up valley and
/// a made-up bank's annual results, as different outlets word them.
const DAM: &[&str] = &[
    "Dam breach floods Korvala valley, 2,400 evacuated",
    "Korvala dam fails: thousands flee rising water",
    "Mayor Petra Lindqvist blames Halsten Power for Korvala dam collapse",
    "Korvala flood: evacuation of 2,400 residents after dam breach",
];
const BANK: &[&str] = &[
    "Nordlys Bank profit jumps 14% to record 3.2 billion crowns",
    "Record year for Nordlys Bank as profit rises 14 percent",
    "Nordlys Bank shares climb after record annual profit",
];
const OUTLETS: &[&str] = &["Valley Post", "North Herald", "Daily Ledger", "Coast Times"];

fn jsonl() -> String {
    let mut out = String::new();
    for (event, heads) in [("dam", DAM), ("bank", BANK)] {
        for (k, h) in heads.iter().enumerate() {
            let rec = json!({
                "title": h,
                "text": "",
                "source": OUTLETS[k],
                "published": format!("2025-03-02T{:02}:00:00Z", 8 + k),
                "url": format!("https://{}.example/{event}", OUTLETS[k].to_lowercase().replace(' ', "")),
            });
            out.push_str(&rec.to_string());
            out.push('\n');
        }
    }
    out
}

fn run_on(cmd: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "heads.jsonl", jsonl().as_bytes());
    let out = run(&[cmd, "--format", "json", &path], None);
    assert!(out.status.success(), "{cmd}: {}", stderr(&out));
    assert!(!stderr(&out).contains("no usable article"), "{}", stderr(&out));
    json(&out)
}

/// Each story's article titles, sorted, stories sorted.
fn stories(v: &Value) -> Vec<Vec<String>> {
    let mut s: Vec<Vec<String>> = v["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut t: Vec<String> =
                s["articles"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect();
            t.sort();
            t
        })
        .collect();
    s.sort();
    s
}

fn want() -> Vec<Vec<String>> {
    let mut w: Vec<Vec<String>> = [DAM, BANK]
        .iter()
        .map(|h| {
            let mut t: Vec<String> = h.iter().map(|s| s.to_string()).collect();
            t.sort();
            t
        })
        .collect();
    w.sort();
    w
}

#[test]
fn cluster_groups_headlines_into_their_events() {
    let v = run_on("cluster");
    assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{v:#}");
    assert_eq!(stories(&v), want());
}

#[test]
fn report_analyses_headlines_and_says_so() {
    let v = run_on("report");
    assert_eq!(stories(&v), want());
    for s in v["stories"].as_array().unwrap() {
        let notes: Vec<&str> = s["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert!(notes.iter().any(|n| n.contains("only a headline")), "{notes:?}");
        // A headline is not a statement of fact: no single-source facts
        // made of headlines.
        assert_eq!(s["facts"].as_array().unwrap().len(), 0, "{s:#}");
    }
    let bank =
        v["stories"].as_array().unwrap().iter().find(|s| s["headline"].as_str().unwrap().contains("Nordlys")).unwrap();
    let names: Vec<&str> = bank["entities"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Nordlys Bank"), "{names:?}");
    let figures: Vec<f64> = bank["numbers"].as_array().unwrap().iter().filter_map(|n| n["value"].as_f64()).collect();
    assert!(figures.contains(&14.0), "{figures:?}");
}
