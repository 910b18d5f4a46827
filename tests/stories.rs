//! Stories end to end: the real `chorus` binary on folders of invented
//! articles (two unrelated events, copies, a syndicated rewrite, a lone
//! article), and on the clustering dev set when it is present.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;

const FLOOD: [&str; 4] = [
    "Callen River bursts its banks in Marrowby\n\n\
     Floodwater swept through the riverside town of Marrowby on Tuesday after the Callen River burst its banks.\n\n\
     Emergency crews evacuated about 400 residents from homes near the old mill.\n\n\
     Mayor Ilse Vantorp said the water rose faster than any flood in forty years.\n\n\
     The regional weather office recorded 120 millimetres of rain in 24 hours.\n\n\
     Schools in Marrowby will stay closed until the water recedes.\n",
    "Hundreds evacuated as Marrowby floods\n\n\
     Rescue teams moved hundreds of people out of Marrowby as the Callen River flooded the town centre.\n\n\
     Ilse Vantorp, the town's mayor, called the flood the worst in four decades.\n\n\
     Heavy rain, more than 120 millimetres in a day, swelled the river overnight.\n\n\
     Residents near the mill were taken to a sports hall on higher ground.\n\n\
     The Marrowby flood is expected to peak on Wednesday morning.\n",
    "Marrowby mayor warns of second flood peak\n\n\
     The mayor of Marrowby warned on Wednesday that the Callen River could rise again.\n\n\
     Vantorp said emergency crews had evacuated around 400 residents since the river burst its banks.\n\n\
     Forecasters expect more rain over the Callen valley before the weekend.\n\n\
     Volunteers filled sandbags outside the flooded mill and the town hall.\n\n\
     Insurers said flood claims from Marrowby were already arriving.\n",
    "Insurers brace for Marrowby flood claims\n\n\
     Insurance companies expect thousands of claims after the Callen River flooded Marrowby this week.\n\n\
     Loss adjusters began visiting homes near the mill on Thursday, a day after the water peaked.\n\n\
     Mayor Vantorp asked the regional government for emergency funds to repair the flood defences.\n\n\
     Shop owners in the town centre said their ground floors were still under mud.\n",
];

const THEFT: [&str; 3] = [
    "Three paintings stolen from Halvard Gallery\n\n\
     Thieves stole three paintings from the Halvard Gallery in Linnfield during a night-time break-in.\n\n\
     Police said the burglars cut through a skylight and disabled an alarm sensor.\n\n\
     The stolen works include a portrait by the painter Oskar Brenn valued at two million.\n\n\
     Gallery director Petra Maelstrand said the collection was insured.\n\n\
     Detectives are reviewing camera footage from streets around the gallery.\n",
    "Linnfield police hunt gallery thieves\n\n\
     Linnfield police are searching for burglars who took three canvases from the Halvard Gallery.\n\n\
     The thieves entered through the roof and were inside for less than ten minutes, detectives said.\n\n\
     Among the missing paintings is a portrait by Oskar Brenn.\n\n\
     Petra Maelstrand, who runs the gallery, appealed for witnesses.\n\n\
     The gallery will remain closed while forensic teams examine the building.\n",
    "Reward offered for stolen Brenn portrait\n\n\
     The Halvard Gallery has offered a reward for information on the portrait by Oskar Brenn stolen this week.\n\n\
     Director Petra Maelstrand said the thieves knew exactly which paintings to take.\n\n\
     Police in Linnfield believe the break-in through a skylight was planned for weeks.\n\n\
     Art crime specialists warned that famous paintings are almost impossible to sell openly.\n\n\
     Detectives have asked pawn shops and auction houses to watch for the canvases.\n",
];

const LONE: &str = "Chess prodigy wins Ostrel open at fourteen\n\n\
     A fourteen-year-old player from Dunmere won the Ostrel open chess tournament on Sunday.\n\n\
     Tobin Arkwell beat three grandmasters on his way to the title, organisers said.\n\n\
     He is the youngest winner in the tournament's sixty-year history.\n";

/// A folder with both events interleaved (file names sort in that order),
/// an exact copy, a syndicated rewrite and a lone article.
fn mixed_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    for k in 0..3 {
        write(p, &format!("{}a-flood-{k}.txt", k * 2), FLOOD[k].as_bytes());
        write(p, &format!("{}b-theft-{k}.txt", k * 2 + 1), THEFT[k].as_bytes());
    }
    write(p, "6-flood-3.txt", FLOOD[3].as_bytes());
    // The same article again, under another headline and with other breaks.
    let copy = FLOOD[0].replacen("Callen River bursts its banks in Marrowby", "Town flooded", 1).replace("\n\n", "\n");
    write(p, "7-flood-copy.txt", copy.as_bytes());
    // Wire copy with a new lede: most of the first theft report, word for word.
    let body: Vec<&str> = THEFT[0].split("\n\n").skip(1).collect();
    let rewrite = format!(
        "Gallery raid shocks city\n\nArt lovers in the city woke to shocking news on Friday morning.\n\n{}\n\n{}\n\n{}\n\n{}",
        body[0], body[1], body[2], body[4]
    );
    write(p, "8-theft-wire.txt", rewrite.as_bytes());
    write(p, "9-chess.txt", LONE.as_bytes());
    dir
}

fn name(a: &serde_json::Value) -> String {
    Path::new(a["path"].as_str().unwrap_or("")).file_name().unwrap().to_string_lossy().into_owned()
}

/// File names per story, in output order.
fn stories(v: &serde_json::Value) -> Vec<Vec<String>> {
    v["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["articles"].as_array().unwrap().iter().map(name).collect())
        .collect()
}

#[test]
fn cluster_splits_unrelated_stories_and_marks_copies() {
    let dir = mixed_folder();
    let out = run(&["cluster", "--format", "json", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    // Stories list their articles in canonical order (time, fuller text,
    // id); undated files have no time, so compare memberships.
    let mut got = stories(&v);
    for s in &mut got {
        s.sort();
    }
    assert_eq!(
        got,
        vec![
            vec!["0a-flood-0.txt", "2a-flood-1.txt", "4a-flood-2.txt", "6-flood-3.txt", "7-flood-copy.txt"],
            vec!["1b-theft-0.txt", "3b-theft-1.txt", "5b-theft-2.txt", "8-theft-wire.txt"],
            vec!["9-chess.txt"],
        ],
        "{v:#}"
    );
    let by_name: HashMap<String, &serde_json::Value> = v["stories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["articles"].as_array().unwrap())
        .map(|a| (name(a), a))
        .collect();
    // Undated, the copy and its original are told apart by canonical
    // order only: one of the two points at the other.
    let copy = |a: &str, b: &str| by_name[a]["duplicate_of"] == by_name[b]["id"];
    assert!(copy("7-flood-copy.txt", "0a-flood-0.txt") || copy("0a-flood-0.txt", "7-flood-copy.txt"));
    let derived = |a: &str, b: &str| by_name[a]["derived_from"] == serde_json::json!([by_name[b]["id"]]);
    assert!(derived("8-theft-wire.txt", "1b-theft-0.txt") || derived("1b-theft-0.txt", "8-theft-wire.txt"));
    assert_eq!(by_name["8-theft-wire.txt"]["duplicate_of"], serde_json::Value::Null);
    for independent in ["2a-flood-1.txt", "9-chess.txt"] {
        assert_eq!(by_name[independent]["duplicate_of"], serde_json::Value::Null);
        assert_eq!(by_name[independent]["derived_from"], serde_json::json!([]));
    }
    // A story's id is its opener's.
    assert_eq!(v["stories"][2]["id"], by_name["9-chess.txt"]["id"]);
}

#[test]
fn cluster_output_is_the_same_every_run() {
    let dir = mixed_folder();
    let args = ["cluster", "--format", "json", dir.path().to_str().unwrap()];
    let a = run(&args, None);
    let b = run(&args, None);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn report_has_one_section_per_story_biggest_first() {
    let dir = mixed_folder();
    let out = run(&["report", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    let sections: Vec<&str> = md.lines().filter(|l| l.starts_with("## ") && !l.starts_with("## Removed")).collect();
    assert_eq!(sections.len(), 3, "{md}");
    assert!(sections[0].starts_with("## 1.") && sections[0].contains("Marrowby"), "{sections:?}");
    // The theft story, under whichever of its titles comes first.
    assert!(
        sections[1].starts_with("## 2.") && !sections[1].contains("Marrowby") && !sections[1].contains("Chess"),
        "{sections:?}"
    );
    assert!(sections[2].starts_with("## 3.") && sections[2].contains("Chess"), "{sections:?}");
}

#[test]
fn dated_articles_are_taken_in_publication_order() {
    // JSON Lines given newest first: the story opens with the oldest report.
    let lines: Vec<String> = [(2, 2), (1, 1), (0, 0)]
        .iter()
        .map(|&(k, day)| {
            let (title, body) = FLOOD[k].split_once("\n\n").unwrap();
            serde_json::json!({"title": title, "text": body, "date_publish": format!("2024-03-0{} 09:00:00", day + 1),
                "url": format!("https://news.example/flood/{k}")})
            .to_string()
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "stream.jsonl", lines.join("\n").as_bytes());
    let out = run(&["cluster", "--format", "json", &f], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stories"].as_array().unwrap().len(), 1, "{v:#}");
    let paths: Vec<&str> =
        v["stories"][0]["articles"].as_array().unwrap().iter().map(|a| a["path"].as_str().unwrap()).collect();
    assert!(paths[0].ends_with("#3"), "{paths:?}");
}

/// BCubed F1 on the clustering dev set, through the real binary. The bar is
/// below the measured figure (0.92) so that unrelated changes elsewhere in
/// the pipeline (cleaning, reading) do not break it by a hair, but a real
/// regression does.
#[test]
fn dev_set_bcubed_f1() {
    let Some(data) = shared("data/clustering-dev") else { return };
    let gold: HashMap<String, String> = std::fs::read_to_string(data.join("labels.tsv"))
        .expect("labels")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?.to_string(), c.next()?.to_string()))
        })
        .collect();
    let out = run(&["cluster", "--format", "json", data.join("articles").to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = stories(&json(&out));
    let mut pred: HashMap<String, usize> = HashMap::new();
    for (s, members) in got.iter().enumerate() {
        for m in members {
            pred.insert(m.clone(), s);
        }
    }
    assert_eq!(pred.len(), gold.len(), "every labelled article is in the output");
    let (mut p, mut r) = (0.0, 0.0);
    for (a, ga) in &gold {
        let same_pred: Vec<&String> = gold.keys().filter(|b| pred[*b] == pred[a]).collect();
        let same_gold = gold.values().filter(|g| *g == ga).count() as f64;
        let both = same_pred.iter().filter(|b| gold[**b] == *ga).count() as f64;
        p += both / same_pred.len() as f64;
        r += both / same_gold;
    }
    let n = gold.len() as f64;
    let (p, r) = (p / n, r / n);
    let f1 = 2.0 * p * r / (p + r);
    eprintln!("clustering-dev: BCubed P {p:.4} R {r:.4} F1 {f1:.4}, {} stories", got.len());
    assert!(f1 >= 0.88, "BCubed F1 {f1:.4} (P {p:.4}, R {r:.4})");
}
