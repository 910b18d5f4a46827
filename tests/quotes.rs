//! Direct quotes end to end: the real `chorus` binary on an invented article
//! (a flood in a made-up valley town), checking each quote's words, speaker,
//! cue and code-point offsets in the record's text; and, when the shared
//! attribution set is beside the repository, the quote and speaker floors on
//! its dev split.

mod common;

use common::*;
use serde_json::Value;

/// An invented article: a headline, accented names before the quotes (so
/// byte and code-point offsets differ), and one quote of each construction.
const ARTICLE: &str = "Floodwaters recede in Valmorel

VALMOREL — Floodwaters began to recede on Sunday after three days of rain, and Mayor Renée Lefèvre said the town would reopen its schools within a week.

“We were lucky that the old levee held,” Lefèvre said at a briefing in the town hall.

Tomas Varga, the county engineer, was less hopeful: “The levee held, but it is older than anyone in this room.”

“The pumps failed at midnight,” said Varga, “and we had no backup power until dawn.”

“We had to carry people out of the nursing home by boat.

“Nobody should have to do that again,” he added.

The county called the damage “the worst in forty years” and asked the state for help.
";

fn extract_record() -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "valmorel-flood.txt", ARTICLE.as_bytes());
    let out = run(&["extract", "--format", "jsonl", &path], None);
    assert!(out.status.success(), "chorus extract failed: {}", stderr(&out));
    let line = stdout(&out);
    serde_json::from_str(line.lines().next().expect("one record")).expect("a JSON record")
}

#[test]
fn quotes_speakers_cues_and_code_point_offsets() {
    let rec = extract_record();
    let text = rec["text"].as_str().expect("text");
    let chars: Vec<char> = text.chars().collect();
    let quotes = rec["quotes"].as_array().expect("quotes");
    let got: Vec<(String, String, String)> = quotes
        .iter()
        .map(|q| {
            let (start, end) = (q["start"].as_u64().expect("start") as usize, q["end"].as_u64().expect("end") as usize);
            let by_offsets: String = chars[start..end].iter().collect();
            assert_eq!(by_offsets, q["text"].as_str().expect("quote text"), "offsets are code points into text");
            (by_offsets, q["speaker"].as_str().unwrap_or("-").to_string(), q["cue"].as_str().unwrap_or("-").to_string())
        })
        .collect();
    let want = [
        ("We were lucky that the old levee held,", "Renée Lefèvre", "said"),
        ("The levee held, but it is older than anyone in this room.", "Tomas Varga", ":"),
        ("The pumps failed at midnight,", "Tomas Varga", "said"),
        ("and we had no backup power until dawn.", "Tomas Varga", "said"),
        ("We had to carry people out of the nursing home by boat.", "Tomas Varga", "added"),
        ("Nobody should have to do that again,", "Tomas Varga", "added"),
        ("the worst in forty years", "The county", "called"),
    ];
    let got_ref: Vec<(&str, &str, &str)> = got.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    assert_eq!(got_ref, want);
    // the accented names before the quotes make byte offsets run ahead
    assert!(text.len() > chars.len());
}

/// Runs the dev split of the shared attribution set and checks the floors
/// the project promises: direct-quote F1 at least 0.95, speaker accuracy at
/// least 0.85. Skips (with a message) without the shared data or python3.
#[test]
fn attribution_dev_split_floor() {
    let Some(data) = shared("data/attribution-dev") else { return };
    let dev = data.join("dev");
    let mut files: Vec<String> = std::fs::read_dir(&dev)
        .expect("dev split")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["extract", "--format", "jsonl"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args, None);
    assert!(out.status.success(), "chorus extract failed: {}", stderr(&out));
    let dir = tempfile::tempdir().expect("tempdir");
    let pred = write(dir.path(), "dev.jsonl", &out.stdout);
    let scored = std::process::Command::new("python3")
        .arg(data.join("score.py"))
        .args([pred.as_str(), &data.display().to_string(), "--split", "dev"])
        .output();
    let scored = match scored {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        other => {
            assert!(std::env::var_os("CI").is_none(), "the attribution scorer did not run: {other:?}");
            eprintln!("skipped: python3 could not run the attribution scorer ({other:?})");
            return;
        }
    };
    let last = scored.lines().last().unwrap_or("");
    let figure = |key: &str| -> f64 {
        last.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in scorer output: {scored}"))
    };
    let (f1, speaker) = (figure("quote_f1"), figure("speaker_acc"));
    eprintln!("attribution dev: quote_f1={f1:.4} speaker_acc={speaker:.4}");
    assert!(f1 >= 0.95, "direct-quote F1 {f1} below the 0.95 floor\n{scored}");
    assert!(speaker >= 0.85, "speaker accuracy {speaker} below the 0.85 floor\n{scored}");
}
