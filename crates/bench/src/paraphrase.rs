//! Rewording a real news sentence the way another outlet would: the same
//! statement, other words. Newsrooms rewrite wire copy with a small set of
//! moves, and each is done here on the sentence as written:
//!
//! - **attribution moved**: "X, the minister said." ↔ "The minister said X."
//!   (with quotation marks kept around direct speech);
//! - **house style for numbers**: "three" ↔ "3", "5%" ↔ "5 percent" ↔
//!   "5 per cent", "$5 billion" ↔ "5 billion dollars";
//! - **synonyms** from a short list of words every desk swaps ("about" /
//!   "around", "more than" / "over", "officials" / "authorities");
//! - **trims**: a word dropped or two neighbours swapped, now and then.
//!
//! None of this makes text that a search engine would call a copy, yet two
//! rewrites of one sentence still share most of its content words, as two
//! real reports of one statement do.

use crate::Rng;
use crate::corpus::unit;

/// Word pairs swapped in both directions. Only pairs that keep grammar and
/// meaning in any sentence: verbs in the same tense, nouns in the same
/// number.
const SYNONYMS: &[(&str, &str)] = &[
    ("about", "around"),
    ("more than", "over"),
    ("almost", "nearly"),
    ("began", "started"),
    ("begin", "start"),
    ("large", "big"),
    ("showed", "revealed"),
    ("need", "require"),
    ("tried", "attempted"),
    ("quickly", "rapidly"),
    ("officials", "authorities"),
    ("many", "numerous"),
    ("rose", "climbed"),
    ("fell", "dropped"),
    ("talks", "negotiations"),
    ("later", "afterwards"),
    ("expected", "anticipated"),
    ("entire", "whole"),
    ("help", "assist"),
    ("buy", "purchase"),
    ("main", "principal"),
    ("announced", "unveiled"),
    ("warned", "cautioned"),
    ("criticised", "criticized"),
    ("people", "individuals"),
    ("also", "additionally"),
    ("however", "though"),
    ("very", "highly"),
    ("enough", "sufficient"),
    ("earlier", "previously"),
];

const NUMBER_WORDS: &[&str] = &["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/// One outlet's rewording of a sentence; `strength` in [0, 1] scales how
/// many moves are made.
pub fn paraphrase(sentence: &str, rng: &mut Rng, strength: f64) -> String {
    let mut s = sentence.trim().to_string();
    if unit(rng) < 0.6 * strength
        && let Some(moved) = move_attribution(&s)
    {
        s = moved;
    }
    s = numbers(&s, rng, 0.6 * strength);
    s = synonyms(&s, rng, 0.6 * strength);
    trim(&s, rng, 0.02 * strength)
}

/// "A, X said." → "X said A." and "X said A." → "A, X said.", for a speaker
/// of at most six words; `None` when the sentence has no such attribution.
fn move_attribution(s: &str) -> Option<String> {
    let body = s.strip_suffix('.')?;
    for verb in [" said", " says"] {
        // Trailing: "..., the minister said."
        if let Some(rest) = body.strip_suffix(verb) {
            let (before, who, quoted) = if let Some(k) = rest.rfind(",” ") {
                (&rest[..k], &rest[k + ",” ".len()..], true)
            } else if let Some(k) = rest.rfind(", ") {
                (&rest[..k], &rest[k + 2..], false)
            } else {
                continue;
            };
            let words = who.split_whitespace().count();
            if !(1..=6).contains(&words) || before.split_whitespace().count() < 4 || who.contains('“') {
                continue;
            }
            let who = capitalise(who);
            return Some(if quoted {
                format!("{who}{verb}: {before}.”")
            } else {
                format!("{who}{verb} {}.", decapitalise(before))
            });
        }
        // Leading: "The minister said the talks ...". The speaker must be
        // short and the rest a plain clause (no quote), so it reads well
        // moved behind the statement.
        if let Some(k) = body.find(verb) {
            let who = &body[..k];
            let rest = body[k + verb.len()..].trim_start();
            let rest = rest.strip_prefix("that ").unwrap_or(rest);
            let words = who.split_whitespace().count();
            if (1..=5).contains(&words)
                && !who.contains(',')
                && !rest.contains('“')
                && !rest.contains('"')
                && rest.split_whitespace().count() >= 5
                && !rest.starts_with(':')
            {
                return Some(format!("{}, {}{verb}.", capitalise(rest), decapitalise(who)));
            }
        }
    }
    None
}

/// Numbers in another house style: small counts between words and digits,
/// percentages, dollar amounts.
fn numbers(s: &str, rng: &mut Rng, p: f64) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let core = w.trim_end_matches([',', '.', ';', ':']);
        let tail = &w[core.len()..];
        let roll = unit(rng) < p;
        if roll && let Some(k) = NUMBER_WORDS.iter().position(|n| *n == core) {
            out.push(format!("{}{tail}", k + 2));
        } else if roll && let Some(k) = core.parse::<usize>().ok().filter(|k| (2..=10).contains(k)) {
            out.push(format!("{}{tail}", NUMBER_WORDS[k - 2]));
        } else if roll && core.len() > 1 && core.ends_with('%') && core[..core.len() - 1].parse::<f64>().is_ok() {
            let pc = if unit(rng) < 0.5 { "percent" } else { "per cent" };
            out.push(format!("{} {pc}{tail}", &core[..core.len() - 1]));
        } else if roll && core.parse::<f64>().is_ok() && matches!(words.get(i + 1), Some(&"percent")) {
            let next = words[i + 1];
            out.push(format!("{core}%{}", &next["percent".len()..]));
            i += 1;
        } else if roll
            && core.starts_with('$')
            && core[1..].parse::<f64>().is_ok()
            && let Some(scale) = words.get(i + 1).map(|n| n.trim_end_matches([',', '.', ';', ':']))
            && matches!(scale, "million" | "billion" | "trillion")
        {
            let next_tail = &words[i + 1][scale.len()..];
            out.push(format!("{} {scale} dollars{next_tail}", &core[1..]));
            i += 1;
        } else {
            out.push(w.to_string());
        }
        i += 1;
    }
    out.join(" ")
}

/// Swaps listed synonyms (either way), keeping a capital.
fn synonyms(s: &str, rng: &mut Rng, p: f64) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let words: Vec<&str> = s.split(' ').collect();
    let mut i = 0;
    while i < words.len() {
        let first = words[i].trim_end_matches([',', '.', ';', ':']);
        let mut done = false;
        // Only pairs whose first word is this word are tried.
        for &(a, b) in SYNONYMS {
            for (from, to) in [(a, b), (b, a)] {
                let head = from.split(' ').next().unwrap_or(from);
                if !head.eq_ignore_ascii_case(first) {
                    continue;
                }
                let n = from.split(' ').count();
                if i + n > words.len() {
                    continue;
                }
                let last = words[i + n - 1];
                let last_core = last.trim_end_matches([',', '.', ';', ':']);
                let mut candidate: Vec<&str> = words[i..i + n - 1].to_vec();
                candidate.push(last_core);
                let joined = candidate.join(" ");
                if !joined.eq_ignore_ascii_case(from) || unit(rng) >= p {
                    continue;
                }
                let replaced = if joined.starts_with(char::is_uppercase) { capitalise(to) } else { to.to_string() };
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&replaced);
                out.push_str(&last[last_core.len()..]);
                i += n;
                done = true;
                break;
            }
            if done {
                break;
            }
        }
        if !done {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(words[i]);
            i += 1;
        }
    }
    out
}

/// Light trims: a word dropped or two neighbours swapped with probability
/// `p` each, never the first or last word.
fn trim(s: &str, rng: &mut Rng, p: f64) -> String {
    let mut words: Vec<&str> = s.split(' ').collect();
    let mut i = 1;
    while i + 2 < words.len() {
        let roll = unit(rng);
        if roll < p / 2.0 && words.len() > 6 {
            words.remove(i);
            continue;
        } else if roll < p {
            words.swap(i, i + 1);
            i += 1;
        }
        i += 1;
    }
    words.join(" ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Lower-cases the first letter when the first word is a common word (a
/// name keeps its capital).
fn decapitalise(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    if chorus_text::is_stopword(&first.to_lowercase()) || matches!(first, "He" | "She" | "They" | "We" | "It") {
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_lowercase().chain(c).collect(),
            None => String::new(),
        }
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribution_moves_both_ways() {
        assert_eq!(
            move_attribution("The bridge will reopen next spring, the mayor said.").as_deref(),
            Some("The mayor said the bridge will reopen next spring.")
        );
        assert_eq!(
            move_attribution("The mayor said that the bridge will reopen next spring.").as_deref(),
            Some("The bridge will reopen next spring, the mayor said.")
        );
        assert_eq!(
            move_attribution("“We will rebuild it stone by stone,” Mayor Brandt said.").as_deref(),
            Some("Mayor Brandt said: “We will rebuild it stone by stone.”")
        );
        assert_eq!(move_attribution("The bridge is closed."), None);
    }

    #[test]
    fn numbers_change_style_not_value() {
        let mut rng = Rng::new(1);
        assert_eq!(
            numbers("three people and 5% of $4 billion.", &mut rng, 1.0),
            "3 people and 5 percent of 4 billion dollars."
        );
        assert_eq!(numbers("a 12 percent rise", &mut rng, 1.0), "a 12% rise");
        assert_eq!(numbers("in 2016, 7 died", &mut rng, 1.0), "in 2016, seven died");
    }

    #[test]
    fn synonyms_swap_both_ways_and_keep_capitals() {
        let mut rng = Rng::new(2);
        assert_eq!(
            synonyms("About 40 officials met for more than an hour.", &mut rng, 1.0),
            "Around 40 authorities met for over an hour."
        );
        assert_eq!(synonyms("around", &mut rng, 1.0), "about");
    }

    #[test]
    fn a_paraphrase_keeps_most_content_words() {
        let s = "About 400 residents were evacuated from homes near the old mill, officials said.";
        let mut rng = Rng::new(3);
        let p = paraphrase(s, &mut rng, 1.0);
        assert_ne!(p, s);
        let words = |t: &str| t.to_lowercase().split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let shared = words(s).iter().filter(|w| words(&p).contains(w)).count();
        assert!(shared * 2 >= words(s).len(), "{p}");
    }
}
