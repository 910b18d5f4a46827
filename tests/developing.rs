//! A developing story end to end (`examples/warehouse-fire`: three days,
//! three outlets): a rising count is an update with its timeline, a corrected
//! date is an update, a figure repeated after it was outdated is stale, and
//! the one same-day disagreement is the only conflict. Then the same story
//! arriving day by day through `ingest --watch` into a store that `serve`
//! shows, with `?since=` and a fact history that survives removing the
//! article that first reported a figure.

mod common;
mod serving;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const EXAMPLE: &str = "examples/warehouse-fire";

/// The id of the article whose title is `title`.
fn id_of(story: &Value, title: &str) -> String {
    story["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str() == Some(title))
        .unwrap_or_else(|| panic!("no article titled {title:?}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn values(u: &Value) -> Vec<String> {
    u["values"].as_array().unwrap().iter().map(|v| v["value"].as_str().unwrap().to_lowercase()).collect()
}

/// The update whose values mention `word`.
fn update_with<'a>(story: &'a Value, word: &str) -> &'a Value {
    story["updates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| values(u).iter().any(|v| v.contains(word)))
        .unwrap_or_else(|| panic!("no update with {word:?}: {}", story["updates"]))
}

#[test]
fn each_development_is_reported_as_what_it_is() {
    let out = common::run(&["report", "--format", "json", EXAMPLE], None);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let v = common::json(&out);
    let stories = v["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 1, "one story");
    let s = &stories[0];
    assert_eq!(s["articles"].as_array().unwrap().len(), 7);

    // The rising death toll: an update, 4 → 7 → 9, in time order, with the
    // day-one reports first and the explainer that repeated "four" on day
    // three flagged as stale.
    let toll = update_with(s, "four people");
    assert_eq!(toll["kind"], "number");
    assert_eq!(values(toll), vec!["four people", "seven people", "nine people"]);
    let times: Vec<String> =
        toll["values"].as_array().unwrap().iter().map(|v| v["time"].as_str().unwrap().into()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert!(times[0].starts_with("2024-03-11") && times[2].starts_with("2024-03-13"), "{times:?}");
    let first = strings(&toll["values"][0]["articles"]);
    assert!(first.contains(&id_of(s, "Four dead in Kessel Row warehouse fire")), "{first:?}");
    assert!(first.contains(&id_of(s, "Fire kills four at Brannock warehouse")), "{first:?}");
    let stale = id_of(s, "Kessel Row warehouse fire: what we know");
    assert_eq!(strings(&toll["values"][0]["stale"]), vec![stale.clone()]);
    assert!(!first.contains(&stale), "a stale repeat is no position");

    // The corrected date of the inquiry: an update, not a conflict.
    let inquiry = update_with(s, "march");
    assert_eq!(inquiry["kind"], "date");
    assert_eq!(values(inquiry), vec!["18 march", "21 march"]);

    // The one true same-day contradiction stays a conflict, alone.
    let conflicts = s["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!(c["kind"], "number");
    let mut positions: Vec<String> =
        c["positions"].as_array().unwrap().iter().map(|p| p["value"].as_str().unwrap().to_string()).collect();
    positions.sort();
    assert_eq!(positions, vec!["40 workers", "65 workers"]);

    // Every fact has its first report; the toll's fact is marked as changed
    // and reads as its latest value; the summary gives the latest figure.
    for f in s["facts"].as_array().unwrap() {
        assert!(f["first_reported"]["time"].as_str().is_some_and(|t| t.starts_with("2024-03-1")), "{f}");
    }
    let fact = toll["fact"].as_str().expect("the toll's fact");
    let text = s["facts"].as_array().unwrap().iter().find(|f| f["id"] == fact).unwrap()["text"].as_str().unwrap();
    assert!(text.to_lowercase().contains("nine"), "{text}");
    let summary = s["summary"].as_array().unwrap();
    assert!(!summary.iter().any(|x| x["text"].as_str().unwrap().starts_with("Four people")), "{summary:?}");

    // The timeline runs in time order over the three days.
    let timeline = s["timeline"].as_array().unwrap();
    let ts: Vec<&str> = timeline.iter().map(|e| e["time"].as_str().unwrap()).collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]), "{ts:?}");
    assert!(ts[0].starts_with("2024-03-11") && ts.last().unwrap().starts_with("2024-03-13"), "{ts:?}");
    assert!(timeline.iter().any(|e| e["text"].as_str().unwrap().contains("nine people")));
}

#[test]
fn markdown_html_and_since_show_the_development() {
    let md = common::stdout(&common::run(&["report", EXAMPLE], None));
    for needle in ["### Timeline", "### Updates (2)", "(changed since first reported)", "outdated “Four people”"] {
        assert!(md.contains(needle), "{needle:?} missing:\n{md}");
    }
    let conflicts = md.split("### ⚠ Conflicts").nth(1).unwrap().split("###").next().unwrap();
    assert!(conflicts.contains("workers") && !conflicts.contains("people"), "{conflicts}");
    // Furniture stays out of the body.
    let body = md.split("## Removed furniture").next().unwrap();
    for f in ["Share this article", "Sign up for our morning newsletter", "download our app", "Advertisement"] {
        assert!(!body.contains(f), "furniture {f:?} in the report");
    }

    let html = common::stdout(&common::run(&["report", "--format", "html", EXAMPLE], None));
    for needle in ["<ol class=\"timeline\">", "class=\"update\"", "changed since first reported"] {
        assert!(html.contains(needle), "{needle:?} missing from the page");
    }

    let since =
        common::json(&common::run(&["report", "--format", "json", "--since", "2024-03-12T12:00:00Z", EXAMPLE], None));
    let s = &since["stories"][0];
    let m = &s["since"];
    assert_eq!(m["articles"].as_array().unwrap().len(), 4, "{m}");
    let toll = update_with(s, "four people");
    assert!(
        strings(&m["changed"]).contains(&toll["fact"].as_str().unwrap().to_string())
            || strings(&m["facts"]).contains(&toll["fact"].as_str().unwrap().to_string()),
        "{m}"
    );
    let md = common::stdout(&common::run(&["report", "--since", "2024-03-12T12:00:00Z", EXAMPLE], None));
    assert!(md.contains("### New since 2024-03-12 12:00 UTC"), "{md}");
    let bad = common::run(&["report", "--since", "last week", EXAMPLE], None);
    assert!(!bad.status.success());
    assert!(common::stderr(&bad).contains("since"), "{}", common::stderr(&bad));
}

/// The example's articles by the day they were published, as files.
fn days() -> Vec<Vec<(String, Vec<u8>)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let mut days = vec![Vec::new(), Vec::new(), Vec::new()];
    for e in std::fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".html") {
            let day = ["2024-03-11", "2024-03-12", "2024-03-13"].iter().position(|d| name.contains(d)).unwrap();
            days[day].push((name, std::fs::read(&p).unwrap()));
        } else if name.ends_with(".jsonl") {
            for (k, line) in std::fs::read_to_string(&p).unwrap().lines().enumerate() {
                let v: Value = serde_json::from_str(line).unwrap();
                let day = ["2024-03-11", "2024-03-12", "2024-03-13"]
                    .iter()
                    .position(|d| v["published"].as_str().unwrap().starts_with(d))
                    .unwrap();
                days[day].push((format!("eastline-{k}.jsonl"), format!("{line}\n").into_bytes()));
            }
        }
    }
    days
}

fn wait_for(limit: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

#[test]
fn a_store_shows_the_story_develop_live() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let db = dir.path().join("s.db");
    // A store must exist before the server opens it.
    let (code, _, err) = serving::chorus(&[
        "ingest",
        "--db",
        db.to_str().unwrap(),
        &format!("{EXAMPLE}/courier-2024-03-11-four-dead.html"),
    ]);
    assert_eq!(code, 0, "{err}");
    let server = serving::Server::start(&db, &[]);
    let mut watcher = Command::new(serving::bin())
        .args(["ingest", "--interval", "0.1", "--db"])
        .arg(&db)
        .arg("--watch")
        .arg(&inbox)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let story_id = || -> Option<String> {
        let r = server.get("/api/stories");
        r.json()["stories"].as_array()?.first()?["id"].as_str().map(str::to_string)
    };
    let story = |q: &str| -> Value {
        let id = story_id().expect("a story");
        let r = server.get(&format!("/api/stories/{id}{q}"));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    };
    let count = || story_id().map(|_| story("")["articles"].as_array().unwrap().len()).unwrap_or(0);
    let mut seen = 1;
    for (day, files) in days().into_iter().enumerate() {
        for (name, bytes) in files {
            if name == "courier-2024-03-11-four-dead.html" {
                continue;
            }
            std::fs::write(inbox.join(&name), bytes).unwrap();
            seen += 1;
        }
        if !wait_for(Duration::from_secs(60), || count() == seen) {
            let _ = watcher.kill();
            panic!("day {} was not picked up ({} of {seen} articles)", day + 1, count());
        }
        let s = story("");
        let updates = s["updates"].as_array().unwrap();
        match day {
            0 => assert!(updates.is_empty(), "nothing has changed on day one: {updates:?}"),
            1 => assert_eq!(values(update_with(&s, "four people")), vec!["four people", "seven people"]),
            _ => assert_eq!(values(update_with(&s, "four people")), vec!["four people", "seven people", "nine people"]),
        }
    }
    watcher.kill().unwrap();
    watcher.wait().unwrap();

    // What a reader who last looked on Tuesday at noon has not seen.
    let s = story("?since=2024-03-12T12:00:00Z");
    assert_eq!(s["since"]["articles"].as_array().unwrap().len(), 4, "{}", s["since"]);
    let id = story_id().unwrap();
    let page = server.get(&format!("/stories/{id}?since=2024-03-12T12:00:00Z")).text();
    assert!(page.contains("New since 2024-03-12 12:00 UTC") && page.contains("Timeline"), "{page}");
    assert!(page.contains("What&#x27;s new after now") || page.contains("What's new after now"));
    assert_eq!(server.get(&format!("/api/stories/{id}?since=soon")).status, 400);

    // The article that first reported four dead goes; the story keeps the
    // figure's history and when the fact was first reported.
    let first = id_of(&s, "Four dead in Kessel Row warehouse fire");
    let (code, _, err) = serving::chorus(&["remove", "--db", db.to_str().unwrap(), &first]);
    assert_eq!(code, 0, "{err}");
    let s = story("");
    let ids: Vec<&str> = s["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(!ids.contains(&first.as_str()), "{ids:?}");
    let toll = update_with(&s, "four people");
    assert_eq!(values(toll), vec!["four people", "seven people", "nine people"]);
    assert!(toll["values"][0]["time"].as_str().unwrap().starts_with("2024-03-11"));
    let fact = toll["fact"].as_str().unwrap();
    let f = s["facts"].as_array().unwrap().iter().find(|f| f["id"] == fact).expect("the toll's fact");
    assert!(f["first_reported"]["time"].as_str().unwrap().starts_with("2024-03-11T09:30"), "{f}");
    assert!(s["conflicts"].as_array().unwrap().iter().all(|c| !c.to_string().to_lowercase().contains("people")));
}
