//! Invented articles the tests of the clusterer, the batch form, the
//! rewind and the sequencer share: two stories told by three outlets each,
//! with copies and a wire rewrite.

use chorus_model::Article;

/// Three outlets on one invented flood, three on one invented art theft,
/// each in its own words.
pub(crate) const FLOOD: [(&str, &str); 3] = [
    (
        "Callen River bursts its banks in Marrowby",
        "Floodwater swept through the riverside town of Marrowby on Tuesday after the Callen River burst its banks.\n\
         Emergency crews evacuated about 400 residents from homes near the old mill.\n\
         Mayor Ilse Vantorp said the water rose faster than any flood in forty years.\n\
         The regional weather office recorded 120 millimetres of rain in 24 hours.\n\
         Schools in Marrowby will stay closed until the water recedes.",
    ),
    (
        "Hundreds evacuated as Marrowby floods",
        "Rescue teams moved hundreds of people out of Marrowby as the Callen River flooded the town centre.\n\
         Ilse Vantorp, the town's mayor, called the flood the worst in four decades.\n\
         Heavy rain, more than 120 millimetres in a day, swelled the river overnight.\n\
         Residents near the mill were taken to a sports hall on higher ground.\n\
         The Marrowby flood is expected to peak on Wednesday morning.",
    ),
    (
        "Marrowby mayor warns of second flood peak",
        "The mayor of Marrowby warned on Wednesday that the Callen River could rise again.\n\
         Vantorp said emergency crews had evacuated around 400 residents since the river burst its banks.\n\
         Forecasters expect more rain over the Callen valley before the weekend.\n\
         Volunteers filled sandbags outside the flooded mill and the town hall.\n\
         Insurers said flood claims from Marrowby were already arriving.",
    ),
];

pub(crate) const THEFT: [(&str, &str); 3] = [
    (
        "Three paintings stolen from Halvard Gallery",
        "Thieves stole three paintings from the Halvard Gallery in Linnfield during a night-time break-in.\n\
         Police said the burglars cut through a skylight and disabled an alarm sensor.\n\
         The stolen works include a portrait by the painter Oskar Brenn valued at two million.\n\
         Gallery director Petra Maelstrand said the collection was insured.\n\
         Detectives are reviewing camera footage from streets around the gallery.",
    ),
    (
        "Linnfield police hunt gallery thieves",
        "Linnfield police are searching for burglars who took three canvases from the Halvard Gallery.\n\
         The thieves entered through the roof and were inside for less than ten minutes, detectives said.\n\
         Among the missing paintings is a portrait by Oskar Brenn.\n\
         Petra Maelstrand, who runs the gallery, appealed for witnesses.\n\
         The gallery will remain closed while forensic teams examine the building.",
    ),
    (
        "Reward offered for stolen Brenn portrait",
        "The Halvard Gallery has offered a reward for information on the portrait by Oskar Brenn stolen this week.\n\
         Director Petra Maelstrand said the thieves knew exactly which paintings to take.\n\
         Police in Linnfield believe the break-in through a skylight was planned for weeks.\n\
         Art crime specialists warned that famous paintings are almost impossible to sell openly.\n\
         Detectives have asked pawn shops and auction houses to watch for the canvases.",
    ),
];

pub(crate) fn art(title: &str, text: &str, published: Option<&str>) -> Article {
    Article {
        title: Some(title.into()),
        text: text.into(),
        published: published.map(str::to_string),
        ..Default::default()
    }
}

/// Both stories with dates a day apart, an exact copy and a wire
/// rewrite: every kind of state an addition changes.
pub(crate) fn sample() -> Vec<Article> {
    let mut v = mixed();
    for (k, a) in v.iter_mut().enumerate() {
        a.published = Some(format!("2024-03-{:02}T10:00:00Z", 1 + k));
    }
    v.push(art("Flood hits town", &FLOOD[0].1.replace('\n', "\n\n"), Some("2024-03-08")));
    let body: Vec<&str> = THEFT[0].1.lines().collect();
    let rewrite = format!(
        "Art lovers in the city woke to shocking news on Friday morning.\n{}\n{}\n{}\n{}",
        body[0], body[1], body[2], body[4]
    );
    v.push(art("Gallery raid shocks city", &rewrite, Some("2024-03-09")));
    v
}

pub(crate) fn mixed() -> Vec<Article> {
    // Interleaved, an hour apart: input order is canonical order.
    let mut v = Vec::new();
    for k in 0..3 {
        v.push(art(FLOOD[k].0, FLOOD[k].1, Some(&format!("2024-03-01T0{}:00:00Z", 2 * k))));
        v.push(art(THEFT[k].0, THEFT[k].1, Some(&format!("2024-03-01T0{}:00:00Z", 2 * k + 1))));
    }
    v
}
