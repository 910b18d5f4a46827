//! Paraphrases score above different statements of one story, on
//! invented news sentences (tests/pairs.tsv).

use chorus_semantic::{cosine, embed};

fn pairs() -> Vec<(bool, String, String)> {
    include_str!("pairs.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "{l}");
            (f[0] == "same", f[1].to_string(), f[2].to_string())
        })
        .collect()
}

#[test]
fn paraphrases_score_above_different_statements_of_one_story() {
    let ps = pairs();
    let mut same = Vec::new();
    let mut diff = Vec::new();
    for (s, a, b) in &ps {
        let c = cosine(&embed(a), &embed(b));
        if *s { same.push(c) } else { diff.push(c) }
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    assert!(same.len() >= 20 && diff.len() >= 20);
    assert!(mean(&same) > mean(&diff) + 0.1, "same {} diff {}", mean(&same), mean(&diff));
    // Each paraphrase scores above its own sentence's different-fact pair
    // in most cases (the static model has no word order; a few pairs of
    // one story's wording are expected to cross).
    let wins = same.iter().zip(&diff).filter(|(s, d)| s > d).count();
    assert!(wins * 4 >= same.len() * 3, "{wins} of {}", same.len());
}

#[test]
fn paraphrase_scores_above_an_unrelated_sentence() {
    let a = embed("We will rebuild, whatever it takes.");
    let b = embed("Whatever it costs, the town is going to be rebuilt.");
    let c = embed("The central bank left interest rates unchanged.");
    assert!(cosine(&a, &b) > cosine(&a, &c) + 0.3, "{} {}", cosine(&a, &b), cosine(&a, &c));
    let d = embed("Trump called Zelensky a dictator.");
    let e = embed("The US president labelled the Ukrainian leader a dictator.");
    assert!(cosine(&d, &e) > cosine(&d, &c) + 0.3);
}

#[test]
fn empty_and_unknown_text_give_a_zero_vector() {
    let z = embed("");
    assert!(z.iter().all(|&x| x == 0.0));
    assert_eq!(cosine(&z, &embed("A sentence.")), 0.0);
}
