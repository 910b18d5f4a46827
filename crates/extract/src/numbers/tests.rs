use super::*;

fn nums(text: &str, published: Option<&str>) -> Vec<NumberSpan> {
    let sents = chorus_text::split_sentences(text);
    find_numbers(text, &sents, published)
}

fn get<'a>(ns: &'a [NumberSpan], text: &str, surface: &str) -> &'a NumberSpan {
    ns.iter().find(|n| &text[n.start..n.end] == surface).unwrap_or_else(|| {
        let all: Vec<String> =
            ns.iter().map(|n| format!("{:?}={} {}", &text[n.start..n.end], n.value, n.unit)).collect();
        panic!("{surface:?} not among {all:?}")
    })
}

#[test]
fn money_with_symbols_codes_words_and_scales() {
    let t = "The fund asked for $750 billion, later 320bn dollars, then €4.5m and £12,000. \
             Officials cited US$2.1 trillion and USD 40 million, plus 900 million euros.";
    let ns = nums(t, None);
    let n = get(&ns, t, "$750 billion");
    assert_eq!((n.value, n.unit.as_str(), n.approximate), (750e9, "USD", false));
    assert_eq!(get(&ns, t, "320bn dollars").value, 320e9);
    let e = get(&ns, t, "€4.5m");
    assert_eq!((e.value, e.unit.as_str()), (4.5e6, "EUR"));
    assert_eq!(get(&ns, t, "£12,000").unit, "GBP");
    assert_eq!(get(&ns, t, "US$2.1 trillion").value, 2.1e12);
    assert_eq!(get(&ns, t, "USD 40 million").value, 40e6);
    assert_eq!(get(&ns, t, "900 million euros").unit, "EUR");
}

#[test]
fn counts_take_the_first_plural_noun() {
    let t = "Rebels fired 143 drones overnight. Officials counted 143 Valdorian drones and 143 drone strikes, \
             ten generations of farmers and three years of drought.";
    let ns = nums(t, None);
    let a = get(&ns, t, "143 drones");
    assert_eq!((a.value, a.unit.as_str(), a.noun.as_deref()), (143.0, "drone", Some("drones")));
    let b = get(&ns, t, "143 Valdorian drones");
    assert_eq!(b.unit, "drone");
    assert_eq!(b.noun.as_deref(), Some("Valdorian drones"));
    let c = get(&ns, t, "143 drone strikes");
    assert_eq!(c.unit, "strike");
    assert!(c.same_unit(a), "a drone strike count names drones");
    let g = get(&ns, t, "ten generations");
    assert_eq!((g.value, g.unit.as_str()), (10.0, "generation"));
    assert_eq!(get(&ns, t, "three years").value, 3.0);
}

#[test]
fn vague_amounts_are_approximate_and_compatible() {
    let t = "Critics say hundreds of billions were wasted; the treasury spent tens of billions in aid, \
             billions of dollars' worth of grain, and $480 billion in total. Thousands of people marched.";
    let ns = nums(t, None);
    let h = get(&ns, t, "hundreds of billions");
    assert!(h.approximate);
    assert_eq!((h.low, h.high), (1e11, 1e12));
    assert_eq!(h.unit, "USD", "money without currency takes the article's currency");
    let exact = get(&ns, t, "$480 billion");
    assert!(h.compatible(exact));
    let tens = get(&ns, t, "tens of billions");
    assert!(!tens.compatible(exact));
    let b = get(&ns, t, "billions of dollars");
    assert_eq!((b.unit.as_str(), b.approximate), ("USD", true));
    let p = get(&ns, t, "Thousands of people");
    assert_eq!((p.unit.as_str(), p.low), ("person", 1e3));
}

#[test]
fn percentages_hedges_and_ranges() {
    let t = "Turnout rose 4.5% to 61 percent, or 3 per cent of voters. About 500 people and more than 20 \
             trucks came, with 200-300 volunteers.";
    let ns = nums(t, None);
    assert_eq!(get(&ns, t, "4.5%").unit, "%");
    assert_eq!(get(&ns, t, "61 percent").value, 61.0);
    assert_eq!(get(&ns, t, "3 per cent").unit, "%");
    let p = get(&ns, t, "500 people");
    assert!(p.approximate);
    assert_eq!((p.low, p.high), (450.0, 550.0));
    let tr = get(&ns, t, "20 trucks");
    assert_eq!((tr.low, tr.high), (20.0, f64::INFINITY));
    let v = get(&ns, t, "200-300 volunteers");
    assert_eq!((v.low, v.high, v.approximate), (200.0, 300.0, true));
}

#[test]
fn not_numbers() {
    let t = "Section 5 of the law, a 10-year plan and the 3rd round began at 10:30 with one of them.";
    let ns = nums(t, None);
    assert!(ns.is_empty(), "{ns:?}");
}

/// The typed date of a date span.
fn date(ns: &[NumberSpan], text: &str, surface: &str) -> dates::Date {
    get(ns, text, surface).date.unwrap_or_else(|| panic!("{surface:?} is no date"))
}

fn ymd(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn absolute_dates() {
    use dates::DatePrecision::*;
    let t = "The deal was signed on Feb. 23, 2025, confirmed 4 March 2024 and filed 2023-11-05. \
             Talks began in February 2022 and recall the 2014 referendum and the 1990s.";
    let ns = nums(t, None);
    assert_eq!(date(&ns, t, "Feb. 23, 2025").as_day(), Some(ymd(2025, 2, 23)));
    assert_eq!(date(&ns, t, "4 March 2024").as_day(), Some(ymd(2024, 3, 4)));
    assert_eq!(date(&ns, t, "2023-11-05").as_day(), Some(ymd(2023, 11, 5)));
    let m = date(&ns, t, "February 2022");
    assert_eq!((m.low, m.high, m.precision), (ymd(2022, 2, 1), ymd(2022, 2, 28), Month));
    let y = get(&ns, t, "2014");
    assert_eq!((y.date.map(|d| d.precision), y.unit.as_str()), (Some(Year), "date"));
    let d = date(&ns, t, "1990s");
    assert_eq!((d.low, d.high, d.precision), (ymd(1990, 1, 1), ymd(1999, 12, 31), Decade));
    assert!(get(&ns, t, "1990s").approximate);
    // The JSON form: `yyyymmdd`, a month `yyyymm00`, a year `yyyy0000`.
    assert_eq!(get(&ns, t, "Feb. 23, 2025").value, 20250223.0);
    let m = get(&ns, t, "February 2022");
    assert_eq!((m.value, m.low, m.high), (20220200.0, 20220201.0, 20220228.0));
    assert_eq!(get(&ns, t, "2014").value, 20140000.0);
}

#[test]
fn relative_dates_resolve_against_publication() {
    // Published on Wednesday 2031-05-14.
    let t = "The minister spoke on Sunday and will travel on Friday. Talks stalled last week and earlier this \
             month, and resumed yesterday. Elections were held last year, and three days ago a poll came out.";
    let ns = nums(t, Some("2031-05-14T09:00:00Z"));
    assert_eq!(date(&ns, t, "Sunday").as_day(), Some(ymd(2031, 5, 11)));
    assert_eq!(date(&ns, t, "Friday").as_day(), Some(ymd(2031, 5, 16)), "future tense looks ahead");
    let w = date(&ns, t, "last week");
    assert_eq!((w.low, w.high, w.precision), (ymd(2031, 5, 5), ymd(2031, 5, 11), dates::DatePrecision::Approximate));
    assert!(get(&ns, t, "last week").approximate);
    let m = date(&ns, t, "earlier this month");
    assert_eq!((m.low, m.high), (ymd(2031, 5, 1), ymd(2031, 5, 14)));
    assert_eq!(date(&ns, t, "yesterday").as_day(), Some(ymd(2031, 5, 13)));
    assert_eq!(date(&ns, t, "last year"), dates::Date::year(2030).unwrap());
    assert_eq!(date(&ns, t, "three days ago").as_day(), Some(ymd(2031, 5, 11)));
    // Without a publication date relative dates are left out.
    let none = nums(t, None);
    assert!(none.iter().all(|n| !n.is_date()), "{none:?}");
}

#[test]
fn day_and_month_take_the_nearest_year() {
    let t = "It happened on Dec. 28 and will end on March 3.";
    let ns = nums(t, Some("2031-01-05"));
    let dec = date(&ns, t, "Dec. 28");
    assert_eq!((dec.as_day(), dec.year_guessed), (Some(ymd(2030, 12, 28)), true));
    assert_eq!(date(&ns, t, "March 3").as_day(), Some(ymd(2031, 3, 3)));
    let undated = nums(t, None);
    assert!(date(&undated, t, "Dec. 28").year_guessed);
}

#[test]
fn the_hedge_is_carried_on_the_number() {
    let t = "Officials counted about 300 shells, more than 250 rockets, nearly 40 drones and 267 mortars.";
    let ns = nums(t, None);
    assert_eq!(get(&ns, t, "300 shells").hedge, Some(Hedge::Around));
    assert_eq!(get(&ns, t, "250 rockets").hedge, Some(Hedge::AtLeast));
    assert_eq!(get(&ns, t, "40 drones").hedge, Some(Hedge::Nearly));
    assert_eq!(get(&ns, t, "267 mortars").hedge, None);
}

#[test]
fn number_words_have_one_value_in_any_case() {
    assert_eq!(number_word_value("twelve"), Some(12.0));
    assert_eq!(number_word_value("Twelve"), Some(12.0));
    assert_eq!(number_word_value("dozen"), Some(12.0));
    assert_eq!(number_word_value("ninety"), Some(90.0));
    assert_eq!(number_word_value("hundred"), Some(100.0));
    assert_eq!(number_word_value("bn"), Some(1e9));
    assert_eq!(number_word_value("bridge"), None);
}

#[test]
fn increments_and_time_offsets_are_not_values() {
    let t = "Police arrested 60 people, and another 22 people were held on Monday. \
             A further 164 people were placed under house arrest, an additional 118 people were questioned \
             and another nearly 50 people were released. \
             Four years ago the arena failed an inspection; 12 minutes later the alarm rang.";
    let ns = nums(t, None);
    assert_eq!(get(&ns, t, "60 people").role, Role::Value);
    assert_eq!(get(&ns, t, "22 people").role, Role::Increment);
    assert_eq!(get(&ns, t, "164 people").role, Role::Increment);
    assert_eq!(get(&ns, t, "118 people").role, Role::Increment);
    let hedged = ns.iter().find(|n| n.value == 50.0).expect("the hedged increment");
    assert_eq!(hedged.role, Role::Increment);
    assert_eq!(get(&ns, t, "Four years").role, Role::Offset);
    assert_eq!(get(&ns, t, "12 minutes").role, Role::Offset);
}

#[test]
fn a_gap_between_two_quantities_is_a_difference_not_a_value() {
    let t = "The Sanders campaign spent roughly $2 million more than the Clinton campaign on ads. \
             Johnson's 23 percent was only four points below Clinton, and Trump was 9 points ahead of Cruz. \
             The campaign spent $1.5 million on ads, with more than 1,200 volunteers. \
             It was 5 degrees below zero, and 300 metres above the valley.";
    let ns = nums(t, None);
    let money = ns.iter().find(|n| n.value == 2e6).expect("the $2 million gap");
    assert_eq!(money.role, Role::Difference);
    assert_eq!(get(&ns, t, "four points").role, Role::Difference);
    assert_eq!(get(&ns, t, "9 points").role, Role::Difference);
    assert_eq!(get(&ns, t, "23 percent").role, Role::Value);
    assert_eq!(get(&ns, t, "$1.5 million").role, Role::Value);
    // "more than" before a figure is a hedge on its value.
    assert_eq!(get(&ns, t, "1,200 volunteers").role, Role::Value);
    assert_eq!(get(&ns, t, "5 degrees").role, Role::Value);
    assert_eq!(get(&ns, t, "300 metres").role, Role::Value);
}

/// A quake's magnitude is a figure with its scale as the unit, however the
/// outlet words it; a count beside it stays a count.
#[test]
fn earthquake_magnitudes() {
    let t = "A magnitude 6.8 earthquake struck on Tuesday. A 6.9-magnitude quake, the agency said. \
             It measured 7.1 on the Richter scale, a magnitude-7.0 event, or about magnitude 7. \
             The 6.5 magnitude tremor damaged 40 homes.";
    let ns = nums(t, None);
    for (surface, v) in [
        ("magnitude 6.8", 6.8),
        ("6.9-magnitude", 6.9),
        ("7.1 on the Richter scale", 7.1),
        ("magnitude-7.0", 7.0),
        ("magnitude 7", 7.0),
        ("6.5 magnitude", 6.5),
    ] {
        let n = get(&ns, t, surface);
        assert_eq!((n.value, n.unit.as_str()), (v, MAGNITUDE), "{surface}");
    }
    assert!(get(&ns, t, "magnitude 7").hedge.is_some(), "about magnitude 7 is hedged");
    assert_eq!(get(&ns, t, "40 homes").unit, "home");
}

/// "11 dead", "40 injured", "2 missing": people, counted by what befell
/// them; a casualty word before a noun is that noun's adjective.
#[test]
fn casualty_words_count_people() {
    let t = "The quake left at least 11 dead and 40 injured. Two missing after the flood were found. \
             Crews recovered 3 missing pieces of the wreck.";
    let ns = nums(t, None);
    let dead = get(&ns, t, "11 dead");
    assert_eq!((dead.value, dead.unit.as_str(), dead.noun.as_deref()), (11.0, "person", Some("dead")));
    assert!(dead.hedge.is_some(), "at least");
    assert_eq!(get(&ns, t, "40 injured").unit, "person");
    assert_eq!(get(&ns, t, "Two missing").unit, "person");
    assert_eq!(get(&ns, t, "3 missing pieces").unit, "piece");
}
