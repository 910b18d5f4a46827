//! MinHash signatures over word shingles, with LSH banding, for
//! near-duplicate detection (Broder 1997; banding as in Leskovec, Rajaraman
//! and Ullman, *Mining of Massive Datasets*, ch. 3).
//!
//! Hand-written rather than taken from a crate: the whole algorithm is forty
//! lines, the crates on offer either draw their permutations from a random
//! source at start-up (a replayed store must get the same signatures in every
//! process) or pull in a random-number stack for what SplitMix64 does here,
//! and a single multiply-shift per (shingle, permutation) is as fast as any
//! of them.

use std::sync::LazyLock;

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Words per shingle. Five is the usual choice for news-length text: short
/// enough that a copy with a few words changed keeps most shingles, long
/// enough that two different articles on one subject share almost none.
pub const SHINGLE_WORDS: usize = 5;

/// LSH bands and rows per band. With 20 bands of 6 rows a pair is proposed
/// with probability 1 − (1 − J⁶)²⁰: 0.998 at Jaccard 0.8 (the duplicate
/// threshold), 0.27 at 0.5 and 0.02 at 0.3, so nearly every true copy is
/// found while few unrelated pairs need checking.
pub const BANDS: usize = 20;
pub const ROWS: usize = 6;
/// Signature length.
pub const HASHES: usize = BANDS * ROWS;

/// A body with fewer shingles than this gets no signature (exact matching
/// only): on a few sentences one changed word moves the Jaccard estimate
/// too much to call anything a near copy.
pub const MIN_SHINGLES: usize = 10;

/// Multiply-shift permutations, fixed by a constant seed so that signatures
/// are identical in every process and every run.
static PERMUTATIONS: LazyLock<Vec<(u64, u64)>> = LazyLock::new(|| {
    let mut state: u64 = 0x6368_6f72_7573; // "chorus"
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..HASHES).map(|_| (next() | 1, next())).collect()
});

/// The MinHash signature of the shingles of a word-hash sequence; empty when
/// there are fewer than [`MIN_SHINGLES`] shingles.
pub fn signature(words: &[u64]) -> Vec<u32> {
    if words.len() < SHINGLE_WORDS + MIN_SHINGLES - 1 {
        return Vec::new();
    }
    let perms = &*PERMUTATIONS;
    let mut sig = [u32::MAX; HASHES];
    for window in words.windows(SHINGLE_WORDS) {
        let mut x = 0u64;
        for w in window {
            x = xxh3_64_with_seed(&w.to_le_bytes(), x);
        }
        for (s, &(a, b)) in sig.iter_mut().zip(perms.iter()) {
            let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
            if h < *s {
                *s = h;
            }
        }
    }
    sig.to_vec()
}

/// The LSH key of each band of a signature.
pub fn band_keys(sig: &[u32]) -> impl Iterator<Item = u64> + '_ {
    sig.chunks_exact(ROWS).enumerate().map(|(b, rows)| {
        let mut bytes = [0u8; ROWS * 4];
        for (dst, r) in bytes.chunks_exact_mut(4).zip(rows) {
            dst.copy_from_slice(&r.to_le_bytes());
        }
        xxh3_64_with_seed(&bytes, b as u64)
    })
}

/// Estimated Jaccard similarity of the shingle sets behind two signatures.
pub fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / a.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, offset: u64) -> Vec<u64> {
        (0..n as u64).map(|i| i * 7919 + offset).collect()
    }

    #[test]
    fn estimates_jaccard() {
        let a = words(400, 0);
        assert_eq!(jaccard(&signature(&a), &signature(&a)), 1.0);
        // Change 5 words out of 400: about 25 of 396 shingles differ, true
        // Jaccard about 0.88.
        let mut b = a.clone();
        for i in [50, 120, 200, 280, 350] {
            b[i] += 1;
        }
        let j = jaccard(&signature(&a), &signature(&b));
        assert!((0.75..=0.97).contains(&j), "{j}");
        let c = words(400, 3);
        assert!(jaccard(&signature(&a), &signature(&c)) < 0.1);
    }

    #[test]
    fn short_texts_get_no_signature() {
        assert!(signature(&words(SHINGLE_WORDS + MIN_SHINGLES - 2, 0)).is_empty());
        assert_eq!(signature(&words(SHINGLE_WORDS + MIN_SHINGLES - 1, 0)).len(), HASHES);
    }

    #[test]
    fn equal_bands_give_equal_keys() {
        let a = signature(&words(100, 0));
        let keys: Vec<u64> = band_keys(&a).collect();
        assert_eq!(keys.len(), BANDS);
        assert_eq!(keys, band_keys(&a.clone()).collect::<Vec<_>>());
    }
}
