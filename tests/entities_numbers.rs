//! Entities, aliases, numbers and dates through the real `chorus` binary, on
//! an invented story told by three outlets.

mod common;

use common::{json, run, stderr, write};
use serde_json::Value;

/// Three outlets on one invented event, with the spelling, title and
/// figure differences chorus must see.
const STORY: &[(&str, &str)] = &[
    (
        "north.jsonl",
        r#"{"url":"https://north.example/a","title":"Brekke offers to resign","published":"2031-05-14","text":"Norwegian President Oleksii Dorotenko said on Sunday that he would resign if the fisheries pact were signed. Dorotenko rejected a claim that Oslo owed the Baltic Fisheries Council (BFC) $640 billion, saying the figure was closer to $95 billion. Rebels launched 143 drones overnight, the BFC said. His chief of staff, Ingrid Solvang, met European Commission officials last week."}"#,
    ),
    (
        "south.jsonl",
        r#"{"url":"https://south.example/b","title":"Dorotenkoy ready to quit","published":"2031-05-14","text":"Former President Oleksiy Dorotenkoy told reporters he was ready to quit. Dorotenkoy said the Baltic Fisheries Council wanted $640 billion, a sum that ten generations of fishermen would repay. Officials counted 143 Valdorian drones. Chief of Staff Ingryd Solvang travelled to Brussels earlier this month."}"#,
    ),
    (
        "west.jsonl",
        r#"{"url":"https://west.example/c","title":"Talks on the pact","published":"2031-05-15","text":"The Norwegian President, Oleksiy Dorotenko, spoke in Oslo. He said the council had spent hundreds of billions over the years and that 10 generations would carry the debt. Valdorian rebels fired 143 drone strikes on Monday."}"#,
    ),
];

fn fixtures() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = STORY.iter().map(|(name, body)| write(dir.path(), name, format!("{body}\n").as_bytes())).collect();
    (dir, paths)
}

fn extract_records(paths: &[String]) -> Vec<Value> {
    let mut args = vec!["extract", "--format", "jsonl"];
    args.extend(paths.iter().map(String::as_str));
    let out = run(&args, None);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

fn find<'a>(items: &'a [Value], field: &str, value: &str) -> &'a Value {
    items
        .iter()
        .find(|v| v[field] == value)
        .unwrap_or_else(|| panic!("no {field} = {value:?} among {}", serde_json::to_string_pretty(items).unwrap()))
}

#[test]
fn extract_gives_entities_with_titles_and_numbers_with_units() {
    let (_dir, paths) = fixtures();
    let recs = extract_records(&paths);
    assert_eq!(recs.len(), 3);
    let north = &recs[0];
    let ents = north["entities"].as_array().unwrap();
    let pres = find(ents, "text", "Oleksii Dorotenko");
    assert_eq!(pres["kind"], "person");
    assert_eq!(pres["title"], "Norwegian President");
    let later = ents.iter().find(|e| e["text"] == "Dorotenko").expect("surname mention");
    assert_eq!(later["name"], "Oleksii Dorotenko");
    assert_eq!(find(ents, "text", "Ingrid Solvang")["title"], "chief of staff");
    assert_eq!(find(ents, "text", "BFC")["name"], "Baltic Fisheries Council");
    assert_eq!(find(ents, "text", "Oslo")["kind"], "place");
    // Offsets count code points in `text`.
    let text: Vec<char> = north["text"].as_str().unwrap().chars().collect();
    for e in ents {
        let (s, t) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
        assert_eq!(text[s..t].iter().collect::<String>(), e["text"].as_str().unwrap());
    }

    let nums = north["numbers"].as_array().unwrap();
    let big = find(nums, "text", "$640 billion");
    assert_eq!((big["value"].as_f64(), big["unit"].as_str()), (Some(640e9), Some("USD")));
    assert_eq!(find(nums, "text", "143 drones")["unit"], "drone");
    // Published Wednesday 2031-05-14: the Sunday before is the 11th.
    assert_eq!(find(nums, "text", "Sunday")["value"].as_f64(), Some(20310511.0));
    let week = find(nums, "text", "last week");
    assert_eq!(week["approximate"], true);

    let south = recs[1]["numbers"].as_array().unwrap();
    let tg = find(south, "text", "ten generations");
    assert_eq!((tg["value"].as_f64(), tg["unit"].as_str()), (Some(10.0), Some("generation")));
    assert_eq!(find(south, "text", "143 Valdorian drones")["noun"], "Valdorian drones");
    let west = recs[2]["numbers"].as_array().unwrap();
    let vague = find(west, "text", "hundreds of billions");
    assert_eq!(vague["approximate"], true);
    assert_eq!(vague["unit"], "USD");
    assert_eq!(find(west, "text", "10 generations")["value"].as_f64(), Some(10.0));
}

#[test]
fn report_merges_spellings_surnames_and_titles_across_outlets() {
    let (_dir, paths) = fixtures();
    let mut args = vec!["report", "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let out = run(&args, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let stories = report["stories"].as_array().unwrap();
    let story = stories
        .iter()
        .find(|s| s["articles"].as_array().is_some_and(|a| a.len() == 3))
        .unwrap_or_else(|| panic!("one story of three: {}", serde_json::to_string_pretty(stories).unwrap()));
    let ents = story["entities"].as_array().unwrap();
    let pres = ents
        .iter()
        .find(|e| e["aliases"].as_array().unwrap().iter().any(|a| a == "Oleksiy Dorotenkoy"))
        .expect("the president");
    assert_eq!(pres["kind"], "person");
    assert_eq!(pres["articles"].as_array().unwrap().len(), 3, "{pres}");
    for alias in ["Oleksii Dorotenko", "Oleksiy Dorotenko", "Dorotenko", "Dorotenkoy"] {
        assert!(pres["aliases"].as_array().unwrap().iter().any(|a| a == alias), "{alias} not in {pres}");
    }
    let chief = ents.iter().find(|e| e["name"] == "Ingrid Solvang" || e["name"] == "Ingryd Solvang").unwrap();
    assert_eq!(chief["articles"].as_array().unwrap().len(), 2, "{chief}");
    let council = find(ents, "name", "Baltic Fisheries Council");
    assert!(council["aliases"].as_array().unwrap().iter().any(|a| a == "BFC"));
}
