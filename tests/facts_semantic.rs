//! Paraphrased facts align, different facts of one story stay apart: the
//! real `chorus` binary on an invented three-outlet story (a dam breach in
//! a made-up valley), where each outlet words the shared statements its
//! own way and adds statements about the same people that nobody else
//! makes.

mod common;

use common::*;
use serde_json::Value;

const A: &str = "Dam breach floods Korvala valley

Mayor Petra Lindqvist on Sunday accused the Halsten Power company of ignoring repeated warnings about the Korvala dam.
About 2,400 residents of Korvala were evacuated overnight as water poured through a breach in the dam wall.
Halsten Power said its engineers had inspected the dam in May and found no serious faults.
The regional hospital in Tamsberg treated eleven people for minor injuries.
The valley's only railway line will stay closed until at least Friday.
";

const B: &str = "Korvala mayor blames Halsten Power

Halsten Power had disregarded warning after warning about the state of the Korvala dam, Mayor Petra Lindqvist charged on Sunday.
Some 2,400 people had to leave their homes in Korvala during the night when the dam wall gave way.
Lindqvist said she would ask the national energy regulator to open an inquiry into the company.
Farmers in the lower valley have lost most of this year's harvest to the flood.
";

const C: &str = "Thousands flee as Korvala dam fails

The breach in the Korvala dam forced some 2,400 inhabitants of Korvala to flee their houses overnight.
Halsten Power was warned again and again about the Korvala dam and did nothing, Mayor Petra Lindqvist said on Sunday.
Halsten Power shares fell by 9 percent on Monday morning.
Volunteers from neighbouring towns have been filling sandbags along the river since dawn.
";

fn report() -> (Value, Vec<(String, String)>) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [("a.txt", A), ("b.txt", B), ("c.txt", C)] {
        write(dir.path(), name, text.as_bytes());
    }
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "one story");
    let story = v["stories"][0].clone();
    let ids = story["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let path = a["path"].as_str().unwrap();
            (a["id"].as_str().unwrap().to_string(), path.rsplit(['/', '\\']).next().unwrap().to_string())
        })
        .collect();
    (story, ids)
}

/// The files of the fact whose mentions include `needle`, sorted.
fn files_of(story: &Value, ids: &[(String, String)], needle: &str) -> Vec<String> {
    let facts = story["facts"].as_array().unwrap();
    let f = facts
        .iter()
        .find(|f| f["mentions"].as_array().unwrap().iter().any(|m| m["text"].as_str().unwrap().contains(needle)))
        .unwrap_or_else(|| panic!("no fact mentions {needle:?}: {facts:#?}"));
    let mut v: Vec<String> = f["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| ids.iter().find(|(i, _)| i == id.as_str().unwrap()).unwrap().1.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn paraphrased_facts_align() {
    let (s, ids) = report();
    // Three wordings of the mayor's accusation, none sharing a clause.
    assert_eq!(files_of(&s, &ids, "ignoring repeated warnings"), ["a.txt", "b.txt", "c.txt"]);
    // Two wordings of the evacuation that share little but the figure and
    // the place. (The third, "were evacuated overnight as water poured
    // through a breach", scores 0.25 against the second on meaning with
    // the topic taken out and stays alone: a known miss of the static
    // vectors.)
    assert_eq!(files_of(&s, &ids, "had to leave their homes"), ["b.txt", "c.txt"]);
}

#[test]
fn different_facts_about_the_same_people_stay_apart() {
    let (s, ids) = report();
    // Same company, same mayor, other statements: each its outlet's own.
    assert_eq!(files_of(&s, &ids, "inspected the dam in May"), ["a.txt"]);
    assert_eq!(files_of(&s, &ids, "open an inquiry"), ["b.txt"]);
    assert_eq!(files_of(&s, &ids, "shares fell"), ["c.txt"]);
    assert_eq!(files_of(&s, &ids, "railway line"), ["a.txt"]);
}

/// A gold of fact alignment on the shipped examples: groups of sentences
/// (by a phrase each contains) that state one fact. Sentences of different
/// groups state different facts, however many names and figures they share
/// (the fire chief's four statements; the cost of the bridge and the
/// scheduled repairs). Pairs of sentences of different articles are scored:
/// recall is the share of same-fact pairs that one fact holds, precision the
/// share of the pairs one fact holds that are same-fact pairs.
const GOLD: &[(&str, &[&[&str]])] = &[
    (
        "examples/footbridge",
        &[
            &[
                "A pedestrian footbridge over the River Tarn collapsed",
                "Twelve people were hurt when a footbridge",
                "The Veldmark footbridge in Port Hallam collapsed",
                "Officials said 14 people were injured",
            ],
            &["gave way shortly after 8 p.m.", "buckled at about 8 p.m."],
            &[
                "Mayor Ingrid Solberg, visiting the scene",
                "promised on Sunday to replace the structure",
                "We are going to rebuild the bridge",
                "“We will rebuild this bridge, stronger than before,” Mayor",
            ],
            &[
                "an inspection in March had found corrosion",
                "corrosion had been found in two cables in March",
                "the March inspection had found corrosion",
            ],
            &["expected to cost €6 million", "put the cost of a new bridge at €4.5 million"],
            &["Rescue crews pulled several people"],
            &["All twelve were taken to St. Anne"],
            &["Critics say the council shockingly ignored"],
            &["scheduled for repairs next spring"],
            &["which draws about 20,000 visitors"],
        ],
    ),
    (
        "examples/warehouse-fire",
        &[
            &[
                "Four people were killed in the fire at the Kessel Row",
                "Four people were killed when fire swept",
                "Seven people have now died",
                "Seven people have now been killed",
                "has risen to nine people",
                "Nine people have now died",
            ],
            &[
                "inquiry into the fire will open on 18 March",
                "will now open on 21 March",
                "The public inquiry into the fire will open on 21 March",
            ],
            &[
                "spokesperson for Holmfirth Freight said the company was cooperating",
                "which owns the building, said it was cooperating",
                "opened a hardship fund",
            ],
            &["The blaze broke out shortly before midnight", "Firefighters were called to the building"],
            &["There were 40 workers", "There were 65 workers"],
            &["sprinkler system had been partly switched off", "asked why the sprinkler system"],
            &["stored furniture and paper goods", "stored furniture, paper goods and packaging"],
            &["the cause of the fire was not yet known"],
            &["structural engineers would spend the week"],
            &["investigators had found the point where the fire started"],
            &["would cover funeral costs"],
            &["ninth victim, a forklift driver"],
            &["Roads around the dock district remained closed"],
        ],
    ),
];

/// Gold pairs of sentences of different articles: (same fact in the gold,
/// held by one fact in the report), for every example.
fn gold_pairs() -> Vec<(bool, bool, String, String)> {
    let mut out = Vec::new();
    for (dir, groups) in GOLD {
        let v = json(&run(&["report", "--format", "json", dir], None));
        let stories = v["stories"].as_array().unwrap();
        // Every gold phrase: its article and the facts whose mentions hold it.
        let mut found: Vec<(usize, &str, String, Vec<usize>)> = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            for phrase in group.iter() {
                let mut hit: Option<(String, Vec<usize>)> = None;
                for (si, s) in stories.iter().enumerate() {
                    for (fi, f) in s["facts"].as_array().unwrap().iter().enumerate() {
                        for m in f["mentions"].as_array().unwrap() {
                            if m["text"].as_str().unwrap().contains(phrase) {
                                let art = m["article"].as_str().unwrap().to_string();
                                let e = hit.get_or_insert((art, Vec::new()));
                                e.1.push(si * 10_000 + fi);
                            }
                        }
                    }
                }
                let (art, facts) = hit.unwrap_or_else(|| panic!("{dir}: no fact mentions {phrase:?}"));
                found.push((g, phrase, art, facts));
            }
        }
        for (x, a) in found.iter().enumerate() {
            for b in &found[x + 1..] {
                if a.2 == b.2 {
                    continue;
                }
                let together = a.3.iter().any(|f| b.3.contains(f));
                out.push((a.0 == b.0, together, a.1.to_string(), b.1.to_string()));
            }
        }
    }
    out
}

#[test]
fn fact_alignment_gold_on_the_examples() {
    let pairs = gold_pairs();
    let same = pairs.iter().filter(|p| p.0).count();
    let held = pairs.iter().filter(|p| p.1).count();
    let hit = pairs.iter().filter(|p| p.0 && p.1).count();
    let recall = hit as f64 / same as f64;
    let precision = if held == 0 { 1.0 } else { hit as f64 / held as f64 };
    let wrong: Vec<_> = pairs.iter().filter(|p| p.1 && !p.0).map(|p| (&p.2, &p.3)).collect();
    let missed: Vec<_> = pairs.iter().filter(|p| p.0 && !p.1).map(|p| (&p.2, &p.3)).collect();
    eprintln!("fact alignment gold: {same} same-fact pairs, recall {recall:.3}, precision {precision:.3}");
    eprintln!("missed: {missed:#?}");
    // No two different statements in one fact.
    assert!(wrong.is_empty(), "different statements merged: {wrong:#?}");
    // Measured when the gold was written; a floor, not a target.
    assert!(recall >= RECALL_FLOOR, "recall {recall:.3} below {RECALL_FLOOR}; missed: {missed:#?}");
}

/// Recall on the gold when it was written: 0.800 (32 of 40 pairs; 0.725
/// with precision 0.806 before agents, frames and the wider anchors). The
/// misses are paraphrases the static vectors score low ("gave way shortly
/// after 8 p.m." / "buckled at about 8 p.m.", "stored furniture and paper
/// goods" without a shared name) and restatements of a fact in another
/// sentence of one article.
const RECALL_FLOOR: f64 = 0.775;

/// Two statements that share every name, the day and the topic, with
/// someone else acting: they stay apart; the paraphrased strike threat of
/// one speaker (another figure wording, the same 6 percent) aligns.
#[test]
fn same_names_other_agent_stay_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.txt",
        "Strike talks stall in Halden\n\n\
         Senator Ruth Okafor called for direct talks between Governor Elias Brandt and union leader Mara Vos before the strike deadline on Friday.\n\
         Union leader Mara Vos said the dockworkers would walk out at midnight on Friday unless wages rose by 6 percent.\n\
         The port handles about 40 percent of the region's grain exports.\n"
            .as_bytes(),
    );
    write(
        dir.path(),
        "b.txt",
        "Halden governor wants Okafor meeting\n\n\
         Governor Elias Brandt demanded a meeting with Senator Ruth Okafor before any talks with union leader Mara Vos ahead of Friday's strike deadline.\n\
         The dockworkers will strike from midnight on Friday if their pay does not go up by 6 percent, Mara Vos said.\n\
         Shipping companies have begun diverting vessels to the port of Stavik.\n"
            .as_bytes(),
    );
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let story = json(&out)["stories"][0].clone();
    let facts = story["facts"].as_array().unwrap();
    let of = |needle: &str| {
        facts
            .iter()
            .position(|f| {
                f["mentions"].as_array().unwrap().iter().any(|m| m["text"].as_str().unwrap().contains(needle))
            })
            .unwrap_or_else(|| panic!("no fact mentions {needle:?}"))
    };
    assert_ne!(of("called for direct talks"), of("demanded a meeting"), "{facts:#?}");
    assert_eq!(of("would walk out at midnight"), of("will strike from midnight"), "{facts:#?}");
}

/// Two wordings of one cost that share little but the harbour wall and the
/// port authority, with different figures: one fact, so the figures are
/// compared and the disagreement is a conflict.
#[test]
fn paraphrased_figures_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.txt",
        "Storm batters Lindmouth harbour\n\n\
         Repairs to the harbour wall are expected to cost €6 million, according to an estimate from the port authority.\n\
         Two fishing boats sank at their moorings during the night.\n\
         The ferry to Skarvik will not sail before Thursday.\n"
            .as_bytes(),
    );
    write(
        dir.path(),
        "b.txt",
        "Lindmouth counts storm damage\n\n\
         The port authority has put the bill for mending the harbour wall at €4.5 million.\n\
         Waves of up to nine metres were recorded off the headland.\n\
         Schools in the town stayed closed on Monday.\n"
            .as_bytes(),
    );
    let values = conflict_values(dir.path());
    assert!(
        values.iter().any(|v| v.contains(&"€6 million".to_string()) && v.contains(&"€4.5 million".to_string())),
        "no cost conflict: {values:?}"
    );
}

/// The values of each conflict of the one story in `dir`.
fn conflict_values(dir: &std::path::Path) -> Vec<Vec<String>> {
    let out = run(&["report", "--format", "json", dir.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let story = json(&out)["stories"][0].clone();
    story["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["positions"].as_array().unwrap().iter().map(|p| p["value"].as_str().unwrap().to_string()).collect())
        .collect()
}

/// A date given two ways in two wordings of one announcement (tf-idf
/// cosine 0.30, far from a near-copy): a date conflict.
#[test]
fn paraphrased_dates_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.txt",
        "Korvala dam inquiry set\n\n\
         The public inquiry into the Korvala dam breach will open on 18 March, the regional council said.\n\
         Mayor Petra Lindqvist visited the evacuation centre on Sunday.\n\
         The valley's only railway line will stay closed until at least Friday.\n"
            .as_bytes(),
    );
    write(
        dir.path(),
        "b.txt",
        "Korvala hearings announced\n\n\
         Hearings into why the Korvala dam gave way are due to begin on 21 March, according to the regional council.\n\
         Farmers in the lower valley have lost most of this year's harvest.\n\
         Volunteers have been filling sandbags along the river since dawn.\n"
            .as_bytes(),
    );
    let values = conflict_values(dir.path());
    assert!(
        values.iter().any(|v| v.contains(&"18 March".to_string()) && v.contains(&"21 March".to_string())),
        "no date conflict: {values:?}"
    );
}

/// One article says the ferry suspension twice, in two wordings; the other
/// says it once. The summary states it once: the second wording is a
/// different fact only because a fact holds one sentence per article, and
/// its wording shares too little with the first for the tf-idf test alone.
#[test]
fn summary_does_not_repeat_a_fact_in_other_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.txt",
        "Storm cuts Lindmouth ferry link\n\n\
         The ferry service between Lindmouth and Skarvik was suspended on Monday after the storm damaged the harbour wall.\n\
         Two fishing boats sank at their moorings during the night, and a third was thrown onto the quay.\n\
         Speaking at the harbour office on Tuesday, the port authority's director said ferry crossings to Skarvik were halted because of the damaged harbour wall.\n"
            .as_bytes(),
    );
    write(
        dir.path(),
        "b.txt",
        "Lindmouth ferries halted\n\n\
         The Lindmouth to Skarvik ferry service was suspended on Monday after the storm damaged the harbour wall.\n\
         Why did the port authority's director speak only briefly at the harbour office on Tuesday?\n\
         Schools in the town stayed closed on Monday, and the coast road was shut by fallen trees.\n"
            .as_bytes(),
    );
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let story = json(&out)["stories"][0].clone();
    let summary: Vec<&str> = story["summary"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
    let suspended = summary.iter().filter(|s| s.contains("was suspended") || s.contains("were halted")).count();
    assert_eq!(suspended, 1, "{summary:#?}");
}

/// A British and an American outlet report one statement in their own
/// spellings ("harbour labour organisation … programme" / "harbor labor
/// organization … program"): one fact with both articles, not two
/// single-source facts (`chorus_text::spelling`).
#[test]
fn british_and_american_spellings_of_one_statement_are_one_fact() {
    const UK: &str = "Port strike spreads along the coast

Dock workers at the Vellmar harbour walked out on Tuesday over pay.
The harbour labour organisation criticised the defence ministry's modernisation programme.
Talks are scheduled at the city's conference centre on Friday.
";
    const US: &str = "Vellmar dockers strike over pay

Dock workers at the port of Vellmar went on strike on Tuesday, demanding higher wages.
The harbor labor organization criticized the defense ministry's modernization program.
Negotiators will meet at a conference center in the city on Friday.
";
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "uk.txt", UK.as_bytes());
    write(dir.path(), "us.txt", US.as_bytes());
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "one story: {v:#}");
    let facts = v["stories"][0]["facts"].as_array().unwrap();
    for needle in ["modernization program", "conference center"] {
        let f = facts.iter().find(|f| f["text"].as_str().unwrap().contains(needle)).expect(needle);
        assert_eq!(f["articles"].as_array().unwrap().len(), 2, "{needle}: {facts:#?}");
    }
    // Nothing either outlet reports is listed as its own.
    let single: Vec<&Value> = facts.iter().filter(|f| f["articles"].as_array().unwrap().len() == 1).collect();
    assert!(single.is_empty(), "{single:#?}");
}

/// A capital stands for its country where one outlet names the city and
/// another the country ("a meeting in Nairobi" / "talks in Kenya"): the
/// two reports of one meeting are one fact (`chorus_analysis`'s seats;
/// without them the pair shares too little wording and stays apart).
#[test]
fn a_capital_and_its_country_report_one_place() {
    const A: &str = "Lake Victoria fishing row: talks resume

These negotiations follow a recent meeting in Nairobi between Uganda's fisheries minister and her Tanzanian counterpart to discuss ending the fishing dispute on Lake Victoria, a meeting from which the fishermen's unions were excluded.
Fishermen on both shores have clashed over nets and catches since March.
";
    const B: &str = "Lake Victoria quarrel goes to mediation

Ugandan and Tanzanian officials recently held talks in Kenya to explore ways to end the fishing dispute, but the unions were not part of the discussions.
Patrol boats have been seized on both sides of the lake.
";
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.txt", A.as_bytes());
    write(dir.path(), "b.txt", B.as_bytes());
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "one story: {v:#}");
    let facts = v["stories"][0]["facts"].as_array().unwrap();
    for needle in ["meeting in Nairobi", "talks in Kenya"] {
        let f = facts
            .iter()
            .find(|f| f["mentions"].as_array().unwrap().iter().any(|m| m["text"].as_str().unwrap().contains(needle)))
            .expect(needle);
        assert_eq!(f["articles"].as_array().unwrap().len(), 2, "{needle}: {facts:#?}");
    }
    // What only one outlet says stays its own.
    for needle in ["clashed over nets", "Patrol boats"] {
        let f = facts.iter().find(|f| f["text"].as_str().unwrap().contains(needle)).expect(needle);
        assert_eq!(f["articles"].as_array().unwrap().len(), 1, "{needle}: {facts:#?}");
    }
}
