//! Lines that recur across several articles of one source: that site's
//! template ("Sign up for the Morning Brief", a standing disclaimer, a byline
//! box), whatever words it uses.

use chorus_model::Article;
use rustc_hash::{FxHashMap, FxHashSet};

/// A line recurring in at least this many different articles of one source
/// is template. Two would catch a background sentence an outlet reuses in two
/// stories on the same event; three different articles carrying a line
/// verbatim is the mark of a template.
pub const MIN_ARTICLES: usize = 3;

/// Only lines up to this many words can be template: a reused paragraph of
/// background prose is content, however often it recurs.
pub const MAX_WORDS: usize = 40;

/// Two articles sharing at least this share of their lines are copies of one
/// another (an update, a re-post), and their common lines are content, not
/// template; only pairs below it count as "different articles".
pub const COPY_SHARE: f64 = 0.5;

/// A hashable key for a line: lower-cased words, so spacing and case do not
/// hide a repeat.
pub fn line_key(line: &str) -> u64 {
    let mut buf = String::with_capacity(line.len());
    for w in line.split_whitespace() {
        if w.is_ascii() {
            buf.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            buf.extend(w.chars().flat_map(char::to_lowercase));
        }
        buf.push(' ');
    }
    xxhash_rust::xxh3::xxh3_64(buf.as_bytes())
}

/// For each article, the keys of its lines that are template of its source.
pub fn repeated_lines(articles: &[Article]) -> Vec<FxHashSet<u64>> {
    let mut out = vec![FxHashSet::default(); articles.len()];
    let mut by_source: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, a) in articles.iter().enumerate() {
        if a.source.is_some() || a.url.is_some() {
            by_source.entry(a.outlet()).or_default().push(i);
        }
    }
    for members in by_source.values() {
        if members.len() < MIN_ARTICLES {
            continue;
        }
        let line_sets: Vec<FxHashSet<u64>> = members
            .iter()
            .map(|&i| {
                articles[i]
                    .text
                    .lines()
                    .filter(|l| !l.trim().is_empty() && !crate::rules::more_words_than(l, MAX_WORDS))
                    .map(line_key)
                    .collect()
            })
            .collect();
        let all_sets: Vec<usize> =
            members.iter().map(|&i| articles[i].text.lines().filter(|l| !l.trim().is_empty()).count()).collect();
        let mut holders: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for (m, set) in line_sets.iter().enumerate() {
            for &k in set {
                holders.entry(k).or_default().push(m);
            }
        }
        for (key, hs) in holders {
            if hs.len() < MIN_ARTICLES {
                continue;
            }
            // Keep only holders that are not copies of an earlier holder.
            let mut distinct: Vec<usize> = Vec::new();
            for &h in hs.iter().take(64) {
                let is_copy = distinct.iter().any(|&d| {
                    let shared = line_sets[h].intersection(&line_sets[d]).count() as f64;
                    let smaller = all_sets[h].min(all_sets[d]).max(1) as f64;
                    shared / smaller >= COPY_SHARE
                });
                if !is_copy {
                    distinct.push(h);
                }
            }
            if distinct.len() >= MIN_ARTICLES {
                for &h in &hs {
                    out[members[h]].insert(key);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(source: &str, text: &str) -> Article {
        Article { source: Some(source.into()), text: text.into(), ..Default::default() }
    }

    #[test]
    fn template_lines_of_one_source_are_found() {
        let footer = "Get the Valley Brief every weekday morning";
        let arts = vec![
            art("valley", &format!("Bridge closes for repairs.\nWork starts Monday.\n{footer}")),
            art("valley", &format!("School wins award.\nPupils celebrate.\n{footer}")),
            art("valley", &format!("Rain expected all week.\nFarmers pleased.\n{footer}")),
            art("other", &format!("Something else.\n{footer}")),
        ];
        let rep = repeated_lines(&arts);
        let k = line_key(footer);
        assert!(rep[0].contains(&k) && rep[1].contains(&k) && rep[2].contains(&k));
        assert!(rep[3].is_empty(), "other source has it once only");
        assert!(!rep[0].contains(&line_key("Work starts Monday.")));
    }

    #[test]
    fn copies_of_one_article_do_not_make_template() {
        let body = "Bridge closes for repairs.\nWork starts Monday.\nThe council approved it.";
        let arts = vec![art("valley", body), art("valley", body), art("valley", body)];
        assert!(repeated_lines(&arts).iter().all(|s| s.is_empty()));
    }
}
