//! Copies, syndicated rewrites and independent articles past the core:
//! each of their sentences joins the fact of its best match, or becomes its
//! article's own.

use rustc_hash::FxHashMap;

use chorus_text::words_key;

use super::{COMMON_POSTING, Cluster, STRONG, eligible};
use crate::story::Story;

/// A sentence outside the core reads at most this many entries (the most
/// recent) of each stem's list when it looks for its fact, and computes
/// exact cosines with at most [`MAX_CANDIDATES`] sentences, those sharing
/// the most stems with it: a story of thousands of articles then costs the
/// same per sentence as one of a hundred.
const MAX_SCAN: usize = 512;
const MAX_CANDIDATES: usize = 64;

/// Attaches every eligible sentence outside the core (`core` false) to
/// the fact (`clusters`) of its best match, or makes it a fact of its own.
pub(super) fn attach(
    story: &Story,
    core: &dyn Fn(usize) -> bool,
    clusters: &mut Vec<Cluster>,
    of_sent: &mut [Option<usize>],
) {
    let n = story.sents.len();
    // Copies, rewrites and independent articles past the core: each
    // sentence joins the fact of its best match. Most copied sentences are
    // verbatim copies of a clustered sentence: those are found by their
    // text at once (a verbatim copy is the best match there is). The others
    // are compared with the facts' sentences that share a stem with them,
    // through an index kept up to date as facts grow; stems in a tenth of the
    // indexed sentences or more are the story's topic and find nothing.
    let mut by_text: FxHashMap<u64, usize> = FxHashMap::default();
    let mut index: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    let mut indexed = 0usize;
    let add_to_index = |x: usize, index: &mut FxHashMap<u32, Vec<usize>>, indexed: &mut usize| {
        for &(t, _) in &story.sents[x].vec {
            index.entry(t).or_default().push(x);
        }
        *indexed += 1;
    };
    for (c, cl) in clusters.iter().enumerate() {
        for &x in &cl.members {
            by_text.entry(words_key(story.sents[x].text)).or_insert(c);
            add_to_index(x, &mut index, &mut indexed);
        }
    }
    // Sentences outside the core come in article order, and no core
    // sentence shares an article with them: a fact holds a sentence of the
    // current article exactly when the last one it took is from it.
    let mut last_doc: Vec<usize> = vec![usize::MAX; clusters.len()];
    // Stems shared with each indexed sentence, counted in a dense array
    // (reset through the list of sentences touched): a hash map here was
    // the dearest step of a story of thousands of articles.
    let mut shared_with: Vec<u32> = vec![0; n];
    let mut touched: Vec<usize> = Vec::new();
    for (i, s) in story.sents.iter().enumerate() {
        if core(i) || !eligible(story, i) {
            continue;
        }
        let key = words_key(s.text);
        if let Some(&c) = by_text.get(&key)
            && last_doc[c] != s.doc
        {
            clusters[c].members.push(i);
            last_doc[c] = s.doc;
            of_sent[i] = Some(c);
            add_to_index(i, &mut index, &mut indexed);
            continue;
        }
        let cap = COMMON_POSTING.max(indexed / 10);
        for &(t, _) in &s.vec {
            let Some(list) = index.get(&t) else { continue };
            if list.len() > cap {
                continue;
            }
            for &x in list.iter().rev().take(MAX_SCAN) {
                if shared_with[x] == 0 {
                    touched.push(x);
                }
                shared_with[x] += 1;
            }
        }
        let mut cands: Vec<(usize, u32)> = touched.iter().map(|&x| (x, shared_with[x])).collect();
        for x in touched.drain(..) {
            shared_with[x] = 0;
        }
        if cands.len() > MAX_CANDIDATES {
            cands.select_nth_unstable_by(MAX_CANDIDATES - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            cands.truncate(MAX_CANDIDATES);
        }
        let mut best: Option<(f32, usize)> = None;
        for (x, _) in cands {
            let Some(c) = of_sent[x] else { continue };
            let v = story.cos(i, x);
            if v >= STRONG && best.is_none_or(|(b, bc)| v > b || (v == b && c < bc)) && last_doc[c] != s.doc {
                best = Some((v, c));
            }
        }
        let c = match best {
            Some((_, c)) => {
                clusters[c].members.push(i);
                c
            }
            None => {
                clusters.push(Cluster {
                    rep: i,
                    support: 0,
                    members: vec![i],
                    by_clause: Vec::new(),
                    part: Vec::new(),
                    clause_spans: Vec::new(),
                });
                last_doc.push(usize::MAX);
                clusters.len() - 1
            }
        };
        last_doc[c] = s.doc;
        of_sent[i] = Some(c);
        by_text.entry(key).or_insert(c);
        add_to_index(i, &mut index, &mut indexed);
    }
}
