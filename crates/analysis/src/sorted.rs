//! Counting what two sorted lists hold in common: facts compare sparse
//! term vectors, quotes and attribution compare sorted stem lists, and the
//! three asked the same merge walk of their own copies before.

use std::cmp::Ordering;

/// How many items the two lists share, each list sorted by `key` and free
/// of repeats under it; one linear walk, no allocation.
pub(crate) fn common_by<T, K: Ord + ?Sized>(a: &[T], b: &[T], key: impl Fn(&T) -> &K) -> usize {
    let mut n = 0;
    each_common_by(a, b, key, |_, _| n += 1);
    n
}

/// Calls `f` with each pair of items the two lists share (lists as for
/// [`common_by`]): for the callers that weigh or skip what they share
/// rather than only count it.
pub(crate) fn each_common_by<T, K: Ord + ?Sized>(a: &[T], b: &[T], key: impl Fn(&T) -> &K, mut f: impl FnMut(&T, &T)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match key(&a[i]).cmp(key(&b[j])) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                f(&a[i], &b[j]);
                i += 1;
                j += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::common_by;

    #[test]
    fn counts_shared_items_of_sorted_lists() {
        let a = ["ask", "deal", "war"];
        let b = ["deal", "peace", "war", "zone"];
        assert_eq!(common_by(&a, &b, |s| s), 2);
        assert_eq!(common_by(&a, &[], |s: &&str| s), 0);
        let x = [(1u32, 0.5f32), (4, 0.1), (9, 0.2)];
        let y = [(4u32, 0.9f32), (9, 0.3)];
        assert_eq!(common_by(&x, &y, |t| &t.0), 2);
    }
}
