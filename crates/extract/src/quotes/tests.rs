//! Unit tests on invented fixtures.

use super::*;

fn quotes(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let sents = chorus_text::split_sentences(text);
    find_quotes(text, &sents, &[]).into_iter().map(|q| (text[q.start..q.end].to_string(), q.speaker, q.cue)).collect()
}

#[test]
fn smoke() {
    let q = quotes("“We will rebuild the bridge,” Mayor Ann Lee said.");
    assert_eq!(q[0].1.as_deref(), Some("Ann Lee"));
}
