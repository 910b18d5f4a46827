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
/// hide a repeat ([`chorus_text::words_key`], the key analysis gives a
/// sentence copied verbatim).
pub fn line_key(line: &str) -> u64 {
    chorus_text::words_key(line)
}

/// What template detection reads of one article: the keys of its lines of
/// at most [`MAX_WORDS`] words, sorted and distinct, and how many non-empty
/// lines it has. A caller that cannot hold every text (a run too large for
/// memory) keeps these instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    pub short: Box<[u64]>,
    pub count: usize,
}

impl Lines {
    pub fn of(text: &str) -> Lines {
        let mut short: Vec<u64> = text
            .lines()
            .filter(|l| !l.trim().is_empty() && !crate::rules::more_words_than(l, MAX_WORDS))
            .map(line_key)
            .collect();
        short.sort_unstable();
        short.dedup();
        let count = text.lines().filter(|l| !l.trim().is_empty()).count();
        Lines { short: short.into_boxed_slice(), count }
    }

    /// How many short-line keys two articles share.
    fn shared(&self, other: &Lines) -> usize {
        let (a, b) = (&self.short, &other.short);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }
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
        let lines: Vec<Lines> = members.iter().map(|&i| Lines::of(&articles[i].text)).collect();
        let refs: Vec<&Lines> = lines.iter().collect();
        for (m, keys) in repeated_in(&refs) {
            out[members[m]] = keys;
        }
    }
    out
}

/// The template lines among the articles of one source, given in input
/// order by their [`Lines`]: for each article holding some, its position in
/// `lines` and their keys. Sources with fewer than [`MIN_ARTICLES`]
/// articles have none.
pub fn repeated_in(lines: &[&Lines]) -> Vec<(usize, FxHashSet<u64>)> {
    if lines.len() < MIN_ARTICLES {
        return Vec::new();
    }
    let mut holders: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (m, set) in lines.iter().enumerate() {
        for &k in set.short.iter() {
            holders.entry(k).or_default().push(m);
        }
    }
    let mut out: FxHashMap<usize, FxHashSet<u64>> = FxHashMap::default();
    for (key, hs) in holders {
        if hs.len() < MIN_ARTICLES {
            continue;
        }
        // Keep only holders that are not copies of an earlier holder.
        let mut distinct: Vec<usize> = Vec::new();
        for &h in hs.iter().take(64) {
            let is_copy = distinct.iter().any(|&d| {
                let shared = lines[h].shared(lines[d]) as f64;
                let smaller = lines[h].count.min(lines[d].count).max(1) as f64;
                shared / smaller >= COPY_SHARE
            });
            if !is_copy {
                distinct.push(h);
            }
        }
        if distinct.len() >= MIN_ARTICLES {
            for &h in &hs {
                out.entry(h).or_default().insert(key);
            }
        }
    }
    let mut out: Vec<(usize, FxHashSet<u64>)> = out.into_iter().collect();
    out.sort_unstable_by_key(|e| e.0);
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
