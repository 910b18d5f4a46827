//! Sparse term vectors, `(term, weight)` sorted by term: the article
//! vectors and story centroids of `place.rs`, cut to their heaviest terms,
//! summed and compared without allocating a dense vector.

use crate::features;

/// Keeps the `n` heaviest terms (ties by term), sorted by term.
pub(super) fn top_terms(v: &mut Vec<(u64, f32)>, n: usize) {
    heaviest_first(v, n);
    v.sort_unstable_by_key(|t| t.0);
}

/// Puts the `n` heaviest terms (ties by term) first, in that order, and cuts
/// the rest; a partial selection, not a full sort.
pub(super) fn heaviest_first(v: &mut Vec<(u64, f32)>, n: usize) {
    let order = |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if v.len() > n && n > 0 {
        v.select_nth_unstable_by(n - 1, order);
    }
    v.truncate(n);
    v.sort_unstable_by(order);
}

/// Dot product of two term-sorted sparse vectors.
pub(super) fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Cosine of an article's word terms (`words`, of norm `norm`) with a
/// centroid's word terms: meaning terms left out of the centroid's norm.
pub(super) fn words_cosine(words: &[(u64, f32)], norm: f32, centroid: &[(u64, f32)]) -> f32 {
    let c2: f32 = centroid.iter().filter(|&&(t, _)| !features::is_meaning_term(t)).map(|t| t.1 * t.1).sum();
    if norm == 0.0 || c2 == 0.0 { 0.0 } else { dot(words, centroid) / (norm * c2.sqrt()) }
}

/// Sum of two term-sorted sparse vectors.
pub(super) fn merge_sum(a: &[(u64, f32)], b: &[(u64, f32)]) -> Vec<(u64, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_vector_helpers() {
        let a = vec![(1, 1.0), (3, 2.0)];
        let b = vec![(2, 5.0), (3, 0.5)];
        assert_eq!(dot(&a, &b), 1.0);
        assert_eq!(merge_sum(&a, &b), vec![(1, 1.0), (2, 5.0), (3, 2.5)]);
        let mut v = vec![(5, 0.1), (1, 0.9), (3, 0.5)];
        top_terms(&mut v, 2);
        assert_eq!(v, vec![(1, 0.9), (3, 0.5)]);
    }
}
