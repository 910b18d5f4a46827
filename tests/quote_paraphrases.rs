//! Paraphrased quotes end to end: the real `chorus` binary on an invented
//! three-outlet flood story. Two outlets render the mayor's vow in words
//! they hardly share ("We will rebuild, whatever it takes" / "However much
//! it costs, we are going to rebuild"): one utterance of hers, two rival
//! renderings, a quote conflict. Her other sentences stay their own
//! utterances, and a like-minded vow by another official never joins hers.

mod common;

use common::*;
use serde_json::Value;

const A: &str = "Korvala mayor vows to rebuild flooded town

Floodwater swept through the lower town of Korvala on Sunday night after the Sella river burst its banks.
About 2,400 residents were evacuated and the main bridge was closed to traffic.
“We will rebuild, whatever it takes,” Mayor Petra Lindqvist said at a shelter on Monday.
Lindqvist also criticised the operator of the upstream dam. “The dam company ignored every warning we gave them,” she said.
Engineers will inspect the bridge on Wednesday.
";

const B: &str = "Thousands evacuated as Sella floods Korvala

The Sella river overflowed on Sunday night and flooded the lower town of Korvala, forcing some 2,400 people from their homes.
Mayor Petra Lindqvist toured the emergency shelters on Monday morning.
“However much it costs, we are going to rebuild,” Lindqvist told reporters.
“I want to thank the volunteers who worked through the night,” the mayor added.
Schools in the district will stay closed until Thursday.
";

const C: &str = "Flood leaves Korvala under water

Residents of Korvala began counting the damage on Monday after the Sella river flooded the lower town on Sunday night.
Farmers in the valley said they had lost most of the harvest.
A regional official, Anders Holm, said the state would pay for temporary housing.
“Whatever the bill, the homes will be rebuilt,” Holm said.
";

fn story() -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [("a.txt", A), ("b.txt", B), ("c.txt", C)] {
        write(dir.path(), name, text.as_bytes());
    }
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "one story: {v:#}");
    v["stories"][0].clone()
}

/// Each quote group as (speaker, variant texts).
fn groups(story: &Value) -> Vec<(String, Vec<String>)> {
    story["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let texts = q["variants"].as_array().unwrap().iter().map(|v| v["text"].as_str().unwrap().to_string());
            (q["speaker"].as_str().unwrap_or("-").to_string(), texts.collect())
        })
        .collect()
}

#[test]
fn paraphrased_renderings_are_one_utterance_and_a_quote_conflict() {
    let s = story();
    let gs = groups(&s);
    let vow = gs.iter().find(|(_, t)| t.iter().any(|t| t.starts_with("We will rebuild"))).expect("the vow");
    assert_eq!(vow.0, "Petra Lindqvist", "{gs:#?}");
    let mut texts = vow.1.clone();
    texts.sort();
    assert_eq!(
        texts,
        ["However much it costs, we are going to rebuild,", "We will rebuild, whatever it takes,"],
        "{gs:#?}"
    );
    // Her other sentences, and the other official's vow, are utterances of
    // their own.
    for other in ["The dam company", "I want to thank", "Whatever the bill"] {
        let g = gs.iter().find(|(_, t)| t.iter().any(|t| t.starts_with(other))).expect(other);
        assert_eq!(g.1.len(), 1, "{other}: {gs:#?}");
    }
    let conflicts: Vec<&Value> = s["conflicts"].as_array().unwrap().iter().filter(|c| c["kind"] == "quote").collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    assert_eq!(conflicts[0]["subject"], "Petra Lindqvist");
    assert_eq!(conflicts[0]["positions"].as_array().unwrap().len(), 2);
}

/// A partial quote behind a stray, spaced closing mark (“a loan ” that …”),
/// with its number in digits, and another outlet's full rendering with the
/// number in words: one utterance of one speaker, the partial a cut of the
/// full one, so no quote conflict between them.
#[test]
fn a_partial_quote_behind_a_stray_mark_is_a_cut_of_the_full_rendering() {
    const D: &str = "Marsh premier rejects harbour loan

Premier Ilse Vardt of Marsh rejected the harbour loan offered by the Eastern Bank on Friday.
Vardt said that she will not sign a loan ” that will be paid back by 3 generations of islanders.” She asked the bank for new terms.
The bank said it would answer next week.
";
    const E: &str = "Vardt turns down Eastern Bank loan for Marsh harbour

The premier of Marsh, Ilse Vardt, turned down the harbour loan of the Eastern Bank on Friday.
“I will not sign a loan that three generations of islanders would have to pay back,” Vardt said.
The Eastern Bank said it would answer next week.
";
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [("d.txt", D), ("e.txt", E)] {
        write(dir.path(), name, text.as_bytes());
    }
    let out = run(&["report", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "one story: {v:#}");
    let s = &v["stories"][0];
    let gs = groups(s);
    let loan = gs.iter().find(|(_, t)| t.iter().any(|t| t.contains("generations"))).expect("the loan quote");
    assert_eq!(loan.0, "Ilse Vardt", "{gs:#?}");
    let mut texts = loan.1.clone();
    texts.sort();
    assert_eq!(
        texts,
        [
            "I will not sign a loan that three generations of islanders would have to pay back,",
            "that will be paid back by 3 generations of islanders."
        ],
        "{gs:#?}"
    );
    let conflicts: Vec<&Value> = s["conflicts"].as_array().unwrap().iter().filter(|c| c["kind"] == "quote").collect();
    assert!(conflicts.is_empty(), "{conflicts:#?}");
}
