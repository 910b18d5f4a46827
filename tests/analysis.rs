//! The cross-source analysis end to end: the real `chorus` binary on an
//! invented four-outlet story (a river bridge closing in a made-up town),
//! written so that each kind of finding occurs once: a fact all four
//! report, facts only one reports, one quote worded two ways, a "former"
//! title where the others give the office as current, a repair bill of $40
//! million in two outlets against $55 million in a third, a vague "tens of
//! millions" that contradicts neither, and one outlet's loaded wording.

mod common;

use common::*;
use serde_json::Value;

const A: &str = "Tarnow to close Vellmar bridge for $40 million repairs

The Vellmar river bridge in Tarnow will close on Monday for repairs costing $40 million, Mayor Ilse Brandvold announced on Friday.
Engineers found deep cracks in two of the bridge's steel piers during an inspection last month, according to the town's transport office.
\"We cannot keep patching a bridge that is falling apart,\" Brandvold said at the town hall.
Ferries will carry commuters across the river while the work lasts, the transport office said.
";

const B: &str = "Vellmar bridge to shut for a year

Former Mayor Ilse Brandvold said on Friday that the Vellmar river bridge in Tarnow will close on Monday for repairs that will cost $40 million.
\"We cannot keep repairing a bridge that is falling to pieces,\" Brandvold told reporters.
The town council approved the spending by a vote of nine to two on Thursday evening.
Residents of the east bank will have to drive forty minutes to the next crossing.
";

const C: &str = "Tarnow shuts its main bridge

Tarnow will shut the Vellmar river bridge on Monday for repairs costing $55 million, Mayor Ilse Brandvold said on Friday.
Brandvold, apparently still furious at the state transport board, blamed years of neglect for the state of the crossing.
Engineers found deep cracks in the steel piers of the bridge during an inspection last month.
";

const D: &str = "Shops fear bridge closure

The Vellmar bridge in Tarnow closes on Monday, and the repairs will cost tens of millions of dollars, Mayor Ilse Brandvold said on Friday.
Local shop owners fear a long winter with fewer customers from across the river.
The bakery on Quay Street expects to lose half of its morning trade.
";

/// A second story, of one fire reported three ways, with the traps of
/// real casualty reports: a death toll and an injury count in one
/// sentence, a count of injured beside another outlet's count of dead,
/// an increment ("another 30"), and time offsets ("four years ago").
/// Only the death toll is disputed (12 against 14).
const FIRE_A: &str = "Fire at Oberhaus arena kills twelve

A fire at the Oberhaus arena in Dellmark killed 12 people and injured at least 40 on Saturday night, police said on Sunday.
The blaze broke out during a concert and spread through the upper stands within minutes, witnesses said.
Another 30 people were treated at the scene for smoke inhalation, the ambulance service said.
Four years ago, the arena failed a fire safety inspection, according to city records.
";

const FIRE_B: &str = "Dellmark arena blaze: dozens hurt

At least 55 people were injured in the fire at the Oberhaus arena in Dellmark on Saturday night, police said.
Twelve people died in the blaze, which started during a concert, the police added.
Ten years ago, the arena was renovated at a cost of €20 million, the city council said.
";

const FIRE_C: &str = "Fourteen dead in Oberhaus arena fire

The fire at the Oberhaus arena in Dellmark on Saturday night killed 14 people, the city's fire brigade said on Sunday.
Firefighters needed three hours to bring the blaze under control, the brigade said.
The arena's owner said the building had passed every inspection.
";

#[test]
fn number_conflicts_compare_one_quantity_only() {
    let (ids, pos) = the_number_conflict(&[("a.txt", FIRE_A), ("b.txt", FIRE_B), ("c.txt", FIRE_C)]);
    let values: Vec<&str> = pos.iter().map(|p| p["value"].as_str().unwrap()).collect();
    assert_eq!(values.len(), 2, "{values:?}");
    assert!(values.contains(&"12 people") && values.contains(&"14 people"), "{values:?}");
    let twelve = pos.iter().find(|p| p["value"] == "12 people").unwrap();
    assert_eq!(names(&ids, &twelve["articles"]), vec!["a.txt"]);
}

/// A fourth story, of a poll reported three ways, with the traps of real
/// polling coverage: shares of different groups in sentences that
/// otherwise say the same ("61 percent of older voters" / "38 percent of
/// young voters"), and a campaign's lead over its rivals beside another
/// outlet's total ("$1.5 million more than its opponents" / "$2
/// million"). Only the headline figure is disputed (52 against 48).
const POLL_A: &str = "Tarnow poll shows levy ahead

A Courier poll released on Tuesday found that 52 percent of voters in Tarnow back the bridge levy ahead of Sunday's vote.
The same Courier poll found that 61 percent of older voters in Tarnow back the bridge levy.
The levy campaign has spent $2 million on advertising since March, the election office said.
Mayor Ilse Brandvold said the poll showed commuters wanted the bridge repaired.
";

const POLL_B: &str = "Young voters cool on Tarnow levy

A Courier poll released on Tuesday found that 52 percent of voters in Tarnow back the bridge levy before the vote on Sunday.
The Courier poll also found that only 38 percent of young voters in Tarnow back the bridge levy.
The levy campaign has spent $1.5 million more than its opponents on advertising since March, the election office said.
Students at the technical college said they rarely use the bridge.
";

const POLL_C: &str = "Levy vote too close to call

A Courier poll released on Tuesday found that 48 percent of voters in Tarnow back the bridge levy ahead of Sunday's vote.
Opponents led by Tomas Achterberg say the levy will cost each household too much.
The levy campaign has spent $2 million on advertising since March, according to the election office.
";

#[test]
fn shares_of_different_groups_and_differences_are_no_conflicts() {
    let (ids, pos) = the_number_conflict(&[("a.txt", POLL_A), ("b.txt", POLL_B), ("c.txt", POLL_C)]);
    let values: Vec<&str> = pos.iter().map(|p| p["value"].as_str().unwrap()).collect();
    assert_eq!(values, ["52 percent", "48 percent"]);
    assert_eq!(names(&ids, &pos[0]["articles"]), vec!["a.txt", "b.txt"]);
}

/// A fifth story: one earthquake whose magnitude the outlets give in three
/// wordings ("a magnitude 6.8 earthquake", "a 6.8-magnitude earthquake",
/// "an earthquake of magnitude 6.9"), and whose death toll they give as
/// lower bounds ("at least 11", "at least 14"), which do not contradict
/// each other.
const QUAKE_A: &str = "Strong earthquake hits northern Peru

A magnitude 6.8 earthquake struck northern Peru early on Tuesday, killing at least 11 people and destroying hundreds of homes, officials said.
President Ana Quispe declared a state of emergency in three regions and said the army would deliver tents and water.
Rescue teams were still searching for survivors under the rubble in the afternoon.
";
const QUAKE_B: &str = "Peru quake death toll climbs to 14

At least 14 people died when a 6.8-magnitude earthquake shook northern Peru before dawn on Tuesday, according to the civil defence agency.
Peru's president, Ana Quispe, declared an emergency in three regions and promised that soldiers would bring tents and drinking water.
Several roads in the mountains remain blocked by landslides.
";
const QUAKE_C: &str = "Deadly tremor in Peru's north

A powerful earthquake of magnitude 6.9 rocked northern Peru on Tuesday morning, leaving at least 11 dead.
The government of Ana Quispe announced a state of emergency for three regions.
Aftershocks continued throughout the day.
";

#[test]
fn a_quakes_magnitude_is_a_figure_outlets_dispute() {
    let (ids, pos) = the_number_conflict(&[("a.txt", QUAKE_A), ("b.txt", QUAKE_B), ("c.txt", QUAKE_C)]);
    let values: Vec<&str> = pos.iter().map(|p| p["value"].as_str().unwrap()).collect();
    assert_eq!(values.len(), 2, "{values:?}");
    let six_nine = pos.iter().find(|p| p["value"] == "magnitude 6.9").expect("6.9");
    assert_eq!(names(&ids, &six_nine["articles"]), vec!["c.txt"]);
    let six_eight = pos.iter().find(|p| p["value"] != "magnitude 6.9").unwrap();
    assert_eq!(names(&ids, &six_eight["articles"]), vec!["a.txt", "b.txt"]);
}

/// A third story, of a local vote, with the title traps of real US
/// politics coverage: a bare courtesy title ("Secretary Ilse Brandvold",
/// kept for life) in one outlet against "Former Secretary of State" in two
/// others, on different facts; and one man given two past offices
/// ("Former Vellmar governor", "Former transport minister"), a career, not
/// a contradiction, each "Former" opening its sentence; and "Secretary of
/// State" in a sentence dated 2019, the title of that year.
const VOTE_A: &str = "Brandvold wins Tarnow levy vote

Voters in Tarnow approved the bridge levy on Sunday by 58 percent to 42 percent, the town's election office said.
Former Secretary of State Ilse Brandvold, who campaigned for the levy, called the result a victory for commuters.
Former Vellmar governor Tomas Achterberg, who led the campaign against the levy, conceded defeat on Sunday evening.
Turnout was the highest in a local vote for twenty years.
";

const VOTE_B: &str = "Tarnow backs bridge levy

The bridge levy was approved by Tarnow voters on Sunday by 58 percent to 42 percent, election officials said.
Former transport minister Tomas Achterberg, who led the campaign against the levy, conceded defeat on Sunday evening.
Secretary Ilse Brandvold toured the flooded quay on Saturday with town engineers.
In 2019, Secretary of State Ilse Brandvold opened the first inquiry into the state of the bridge.
The levy will raise money for the Vellmar river bridge repairs over ten years.
";

const VOTE_C: &str = "Levy passes in Tarnow

Tarnow voters approved the bridge levy on Sunday, 58 percent to 42 percent, according to the election office.
Former Secretary of State Ilse Brandvold said the vote showed that commuters had been heard.
Brandvold had campaigned for the levy for months.
Turnout reached its highest level in a local vote for twenty years.
";

#[test]
fn courtesy_titles_and_past_offices_are_no_conflicts() {
    let v = one_story(&[("a.txt", VOTE_A), ("b.txt", VOTE_B), ("c.txt", VOTE_C)]);
    let conflicts = v["stories"][0]["conflicts"].as_array().unwrap();
    assert!(!conflicts.iter().any(|c| c["kind"] == "title" || c["kind"] == "role"), "{conflicts:?}");
}

/// Two dates of two events in sentences that report one fact: the early
/// vote ("voted early on 2 March and is holding her election night party")
/// and the vote itself ("the 15 March vote"). Each date dates its own
/// clause; no date conflict.
const EARLY_A: &str = "Tarnow levy vote draws record turnout

Mayor Ilse Brandvold voted early on 2 March and is holding her election night party at the Tarnow town hall.
Voters decide on the bridge levy that would pay for the Vellmar river bridge repairs.
Polls close at eight in the evening, the election office said.
";

const EARLY_B: &str = "Tarnow decides on bridge levy

Mayor Ilse Brandvold, who voted early, is holding her election night party at the Tarnow town hall after the 15 March vote.
The levy would pay for repairs to the Vellmar river bridge, the town council said.
Turnout was high in the morning, the election office said.
";

#[test]
fn dates_of_different_events_are_no_conflict() {
    let v = one_story(&[("a.txt", EARLY_A), ("b.txt", EARLY_B)]);
    let conflicts = v["stories"][0]["conflicts"].as_array().unwrap();
    assert!(!conflicts.iter().any(|c| c["kind"] == "date"), "{conflicts:?}");
}

/// The JSON report of a story written as the given files (name, text),
/// checked to come out as one story.
/// The articles' ids and the positions of the one number conflict that
/// `files`, read as one story, must give.
fn the_number_conflict(files: &[(&str, &str)]) -> (Vec<(String, String)>, Vec<Value>) {
    let v = one_story(files);
    let story = &v["stories"][0];
    let numbers: Vec<&Value> =
        story["conflicts"].as_array().unwrap().iter().filter(|c| c["kind"] == "number").collect();
    assert_eq!(numbers.len(), 1, "{numbers:?}");
    (ids(story), numbers[0]["positions"].as_array().unwrap().clone())
}

fn one_story(files: &[(&str, &str)]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        write(dir.path(), name, text.as_bytes());
    }
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "one story");
    v
}

fn story_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [("a.txt", A), ("b.txt", B), ("c.txt", C), ("d.txt", D)] {
        write(dir.path(), name, text.as_bytes());
    }
    dir
}

/// Article ids of the story by file name.
fn ids(story: &Value) -> Vec<(String, String)> {
    story["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let path = a["path"].as_str().unwrap();
            let name = path.rsplit(['/', '\\']).next().unwrap().to_string();
            (a["id"].as_str().unwrap().to_string(), name)
        })
        .collect()
}

/// The file names behind a list of article ids, sorted.
fn names(ids: &[(String, String)], list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|id| ids.iter().find(|(i, _)| i == id.as_str().unwrap()).map(|(_, n)| n.clone()).unwrap())
        .collect();
    v.sort();
    v
}

fn report_json() -> (Value, Vec<(String, String)>) {
    let dir = story_dir();
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "one story");
    let story = v["stories"][0].clone();
    let ids = ids(&story);
    (story, ids)
}

#[test]
fn facts_name_their_articles_and_single_source_facts_stand_alone() {
    let (s, ids) = report_json();
    let facts = s["facts"].as_array().unwrap();
    let closure = &facts[0];
    assert_eq!(names(&ids, &closure["articles"]), vec!["a.txt", "b.txt", "c.txt", "d.txt"], "{closure}");
    assert_eq!(closure["mentions"].as_array().unwrap().len(), 4);
    let cracks = facts.iter().find(|f| f["text"].as_str().unwrap().contains("cracks")).unwrap();
    assert_eq!(names(&ids, &cracks["articles"]), vec!["a.txt", "c.txt"]);
    let shops = facts.iter().find(|f| f["text"].as_str().unwrap().contains("shop owners")).unwrap();
    assert_eq!(names(&ids, &shops["articles"]), vec!["d.txt"]);
    for f in facts {
        assert!(!f["id"].as_str().unwrap().is_empty());
    }
}

#[test]
fn conflicts_are_the_real_ones_only() {
    let (s, ids) = report_json();
    let conflicts = s["conflicts"].as_array().unwrap();
    let kinds: Vec<&str> = conflicts.iter().map(|c| c["kind"].as_str().unwrap()).collect();

    let number = conflicts.iter().find(|c| c["kind"] == "number").unwrap_or_else(|| panic!("{conflicts:?}"));
    let pos = number["positions"].as_array().unwrap();
    assert_eq!(pos.len(), 2, "the vague figure is no position: {number}");
    let forty = pos.iter().find(|p| p["value"] == "$40 million").unwrap();
    assert_eq!(names(&ids, &forty["articles"]), vec!["a.txt", "b.txt"]);
    let fifty_five = pos.iter().find(|p| p["value"] == "$55 million").unwrap();
    assert_eq!(names(&ids, &fifty_five["articles"]), vec!["c.txt"]);

    let title = conflicts.iter().find(|c| c["kind"] == "title").unwrap_or_else(|| panic!("{conflicts:?}"));
    assert_eq!(title["subject"], "Ilse Brandvold");
    let former = title["positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["value"].as_str().unwrap().to_lowercase().contains("former"))
        .unwrap();
    assert_eq!(names(&ids, &former["articles"]), vec!["b.txt"]);

    let quote = conflicts.iter().find(|c| c["kind"] == "quote").unwrap_or_else(|| panic!("{conflicts:?}"));
    assert_eq!(quote["positions"].as_array().unwrap().len(), 2);

    // Nothing else: no role, attribution or date conflict in this story.
    assert_eq!(kinds.len(), 3, "{kinds:?}");
}

#[test]
fn quote_variants_numbers_and_framing() {
    let (s, ids) = report_json();
    let q = s["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["variants"].as_array().unwrap().len() == 2)
        .expect("one utterance, two wordings");
    assert_eq!(q["speaker"], "Ilse Brandvold");
    let texts: Vec<&str> = q["variants"].as_array().unwrap().iter().map(|v| v["text"].as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.contains("falling apart")) && texts.iter().any(|t| t.contains("falling to pieces")));

    let forty = s["numbers"].as_array().unwrap().iter().find(|n| n["text"] == "$40 million").expect("$40 million");
    assert_eq!(forty["value"].as_f64(), Some(40e6));
    assert_eq!(names(&ids, &forty["articles"]), vec!["a.txt", "b.txt"]);

    let framing = s["framing"].as_array().unwrap();
    let c_id = &ids.iter().find(|(_, n)| n == "c.txt").unwrap().0;
    let c = framing.iter().find(|f| f["article"] == c_id.as_str()).expect("framing of c");
    assert!(c["terms"].as_array().unwrap().iter().any(|t| t == "apparently still furious"), "{c}");
    // Quoted words are the mayor's, not an outlet's framing.
    for f in framing {
        for t in f["terms"].as_array().unwrap() {
            assert!(!t.as_str().unwrap().contains("falling"), "{t}");
        }
    }
}

#[test]
fn summary_cites_and_leads_with_the_best_supported_fact() {
    let (s, ids) = report_json();
    let summary = s["summary"].as_array().unwrap();
    assert!(!summary.is_empty());
    assert_eq!(names(&ids, &summary[0]["articles"]).len(), 4, "{}", summary[0]);
    assert!(summary[0]["text"].as_str().unwrap().contains("Monday"));

    let dir = story_dir();
    let out = run(&["summarize", "--words", "40", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let sentences = v.as_array().or_else(|| v["summary"].as_array()).expect("a list of sentences");
    let words: usize = sentences.iter().map(|x| x["text"].as_str().unwrap().split_whitespace().count()).sum();
    assert!(words > 0 && words <= 40, "{words} words");
}

#[test]
fn markdown_and_html_show_every_finding() {
    let dir = story_dir();
    let md = run(&["report", dir.path().to_str().unwrap()], None);
    assert!(md.status.success(), "{}", stderr(&md));
    let md = stdout(&md);
    for needle in [
        "### ⚠ Conflicts",
        "**number**",
        "**title** · Ilse Brandvold",
        "### Coverage: shared facts × articles",
        "### Only one source reports",
        "### Quote variants",
        "**apparently still furious**",
        "$55 million",
    ] {
        assert!(md.contains(needle), "missing {needle}\n{md}");
    }

    let html = run(&["report", "--format", "html", dir.path().to_str().unwrap()], None);
    assert!(html.status.success(), "{}", stderr(&html));
    let page = stdout(&html);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script") && !page.contains("<link") && !page.contains("src=\"http"));
    for needle in [
        "class=\"conflict\"",
        "class=\"quotes\"",
        "<mark class=\"term\">apparently still furious</mark>",
        "class=\"matrix\"",
    ] {
        assert!(page.contains(needle), "missing {needle}");
    }
}

/// The bridge story as JSON Lines, each article with a publication date:
/// `a`, `c` and `d` on Friday 6 March 2026, `b` on `b_day`, its quote
/// reworded so that it keeps a set phrase of `a`'s ("We cannot keep")
/// and content words, but no long run of its words.
fn dated_story(b_day: &str) -> (Value, Vec<(String, String)>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut lines = String::new();
    let b = B.replace(
        "repairing a bridge that is falling to pieces",
        "paying for a bridge which keeps falling into the river",
    );
    for (id, text, day) in [("a", A, "2026-03-06"), ("b", &b, b_day), ("c", C, "2026-03-06"), ("d", D, "2026-03-06")] {
        let (title, body) = text.split_once("\n\n").unwrap();
        let line = serde_json::json!({"id": id, "title": title, "text": body, "published": day});
        lines.push_str(&format!("{line}\n"));
    }
    let path = write(dir.path(), "bridge.jsonl", lines.as_bytes());
    let out = run(&["report", "--format", "json", &path], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "one story: {v:#}");
    let story = v["stories"][0].clone();
    let ids: Vec<(String, String)> = story["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_string(), format!("{}.txt", a["id"].as_str().unwrap())))
        .collect();
    (story, ids)
}

/// Dates place the outlets: on one day, "Former Mayor" against "Mayor"
/// and the vow worded two ways are the same conflicts as undated; two
/// weeks later, "former" is the office's course (an update, no word of
/// change needed, since nobody calls her mayor after it) and the other
/// wording, which copies none of the first's words, is her speaking on
/// another occasion (`quotes::OCCASION_DAYS`), not a rival rendering.
#[test]
fn dates_turn_a_later_former_into_an_update_and_a_later_rewording_into_another_occasion() {
    let (s, _) = dated_story("2026-03-06");
    let kinds: Vec<&str> = s["conflicts"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"title") && kinds.contains(&"quote"), "{kinds:?}");
    // Three days later is still one news cycle.
    let (s, _) = dated_story("2026-03-09");
    let kinds: Vec<&str> = s["conflicts"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"quote"), "{kinds:?}");

    let (s, ids) = dated_story("2026-03-20");
    let conflicts = s["conflicts"].as_array().unwrap();
    let kinds: Vec<&str> = conflicts.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["number"], "{conflicts:#?}");
    let update = s["updates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"] == "title")
        .unwrap_or_else(|| panic!("{:#}", s["updates"]));
    assert_eq!(update["subject"], "Ilse Brandvold");
    let values = update["values"].as_array().unwrap();
    let last = values.last().unwrap();
    assert!(last["value"].as_str().unwrap().to_lowercase().contains("former"), "{update:#}");
    assert_eq!(names(&ids, &last["articles"]), vec!["b.txt"]);
    // The two renderings are now two utterances.
    let groups = s["quotes"].as_array().unwrap();
    let with = |w: &str| {
        groups
            .iter()
            .position(|q| q["variants"].as_array().unwrap().iter().any(|v| v["text"].as_str().unwrap().contains(w)))
            .unwrap()
    };
    assert_ne!(with("patching"), with("paying"), "{groups:#?}");
}
