//! The clusterer's features of an article as bytes, so that they are
//! computed once, by the process that stores the article, and replayed by
//! every other process from the database.
//!
//! Layout (little-endian): a format byte, `exact`, a time flag and the time,
//! then three length-prefixed arrays (signature, sentences, terms). Plain
//! fixed-width fields keep encoding and decoding a copy, which matters: a
//! worker replays every article other workers stored.

use chorus_stories::Features;

/// Bumped whenever the layout changes; a blob of another format is ignored
/// and the features are computed again from the stored text.
const FORMAT: u8 = 1;

pub fn encode(f: &Features) -> Vec<u8> {
    let mut out =
        Vec::with_capacity(1 + 8 + 9 + 12 + f.signature.len() * 4 + f.sentences.len() * 8 + f.terms.len() * 12);
    out.push(FORMAT);
    out.extend_from_slice(&f.exact.to_le_bytes());
    match f.time {
        Some(t) => {
            out.push(1);
            out.extend_from_slice(&t.to_le_bytes());
        }
        None => {
            out.push(0);
            out.extend_from_slice(&0i64.to_le_bytes());
        }
    }
    out.extend_from_slice(&(f.signature.len() as u32).to_le_bytes());
    for s in &f.signature {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out.extend_from_slice(&(f.sentences.len() as u32).to_le_bytes());
    for s in &f.sentences {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out.extend_from_slice(&(f.terms.len() as u32).to_le_bytes());
    for (t, w) in &f.terms {
        out.extend_from_slice(&t.to_le_bytes());
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// The features in `bytes`; `None` when they are not in this format or are
/// cut short (the caller then computes them from the text).
pub fn decode(bytes: &[u8]) -> Option<Features> {
    let mut r = Reader(bytes);
    if r.take::<1>()?[0] != FORMAT {
        return None;
    }
    let exact = u64::from_le_bytes(r.take()?);
    let has_time = r.take::<1>()?[0] == 1;
    let time = i64::from_le_bytes(r.take()?);
    let n = r.len()?;
    let mut signature = Vec::with_capacity(n);
    for _ in 0..n {
        signature.push(u32::from_le_bytes(r.take()?));
    }
    let n = r.len()?;
    let mut sentences = Vec::with_capacity(n);
    for _ in 0..n {
        sentences.push(u64::from_le_bytes(r.take()?));
    }
    let n = r.len()?;
    let mut terms = Vec::with_capacity(n);
    for _ in 0..n {
        terms.push((u64::from_le_bytes(r.take()?), f32::from_le_bytes(r.take()?)));
    }
    r.0.is_empty().then_some(Features { exact, signature, sentences, terms, time: has_time.then_some(time) })
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }

    /// An array length, refused when the rest cannot hold that many items
    /// (so a corrupt length cannot make us allocate gigabytes).
    fn len(&mut self) -> Option<usize> {
        let n = u32::from_le_bytes(self.take()?) as usize;
        (n <= self.0.len()).then_some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_model::Article;

    #[test]
    fn round_trips_real_features() {
        let a = Article {
            title: Some("Harbour cranes idle".into()),
            text: "Dock workers at Port Elvane stopped work on Monday over a pay dispute, the union said. \
                   The strike left twelve container ships waiting outside the harbour for a second day."
                .into(),
            published: Some("2024-02-03T10:00:00Z".into()),
            ..Default::default()
        };
        let f = Features::of(&a);
        assert!(!f.terms.is_empty() && f.time.is_some());
        assert_eq!(decode(&encode(&f)), Some(f));
        let untimed = Features { time: None, ..Default::default() };
        assert_eq!(decode(&encode(&untimed)), Some(untimed));
    }

    #[test]
    fn refuses_other_formats_and_truncated_blobs() {
        let f = Features { exact: 7, signature: vec![1, 2, 3], sentences: vec![9], terms: vec![(4, 0.5)], time: None };
        let bytes = encode(&f);
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[0] = FORMAT + 1;
        assert_eq!(decode(&other), None);
        let mut longer = bytes;
        longer.push(0);
        assert_eq!(decode(&longer), None);
    }
}
