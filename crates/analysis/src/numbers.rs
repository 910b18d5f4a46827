//! Numbers at story level: the same value with the same unit in several
//! articles is one entry naming all of them; and what makes two numbers
//! compatible (rounding, "about", "hundreds of billions") rather than
//! contradictory.

use chorus_model::NumberEntry;
use rustc_hash::FxHashMap;

use crate::story::Story;

/// Relative tolerance for "the same value": floating-point noise from scale
/// words (0.5 × 10⁹ against 500 × 10⁶), nothing a writer would round.
const SAME: f64 = 1e-9;

/// How loosely a number was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Precision {
    /// A figure as given ("$500 billion", "267 drones").
    Exact,
    /// A hedged figure ("about 270", "more than 500"): compatible with
    /// anything within [`HEDGE`] of it, in the hedge's direction.
    Hedged(Bound),
    /// An order of magnitude written in words ("hundreds of billions",
    /// "billions"), or bounds the extractor gave: compatible with anything
    /// in [lo, hi].
    Range(f64, f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Bound {
    About,
    AtLeast,
    AtMost,
}

/// How far a hedged figure may be from another and still agree: "about
/// 300" fits 267 and 330 but not 200. A fifth is wide enough for the
/// rounding writers do and narrow enough that a real disagreement (a third
/// more, a half less) still shows.
const HEDGE: f64 = 0.2;

/// One number mention of the story.
#[derive(Debug, Clone)]
pub(crate) struct NumRef<'a> {
    pub doc: usize,
    /// Index of its sentence in the story table.
    pub sent: usize,
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub unit: &'a str,
    pub noun: Option<&'a str>,
    pub text: &'a str,
    pub precision: Precision,
    pub span: &'a chorus_extract::NumberSpan,
}

impl NumRef<'_> {
    /// Same unit, directly or through the counted noun ("267 drones" and
    /// "267 drone attacks").
    pub fn same_unit(&self, other: &NumRef) -> bool {
        self.unit == other.unit || self.span.same_unit(other.span)
    }
}

pub(crate) fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= SAME * a.abs().max(b.abs()).max(1.0)
}

/// Whether `b` is `a` rounded to `b`'s own significant figures, the way a
/// writer shortens 267 to 270 or $114.2 billion to $114 billion.
fn rounds_to(a: f64, b: f64) -> bool {
    if b == 0.0 || a == 0.0 {
        return false;
    }
    // The place value of b's last significant digit.
    let mut step = 10f64.powi(b.abs().log10().floor() as i32);
    while step >= 1.0 && (b / step).fract().abs() > 1e-9 {
        step /= 10.0;
    }
    if step < 1.0 && b.fract() != 0.0 {
        // Decimal figures: compare at the written precision.
        let digits = format!("{b}").split('.').nth(1).map(str::len).unwrap_or(0);
        step = 10f64.powi(-(digits as i32));
    }
    // Strictly under half a step: 450 is not "500" rounded, 460 is.
    (a - b).abs() < step / 2.0
}

impl Precision {
    fn contains(self, anchor: f64, v: f64) -> bool {
        match self {
            Precision::Exact => same_value(anchor, v),
            Precision::Hedged(Bound::About) => (v - anchor).abs() <= HEDGE * anchor.abs(),
            Precision::Hedged(Bound::AtLeast) => v >= anchor * (1.0 - 1e-9) && v <= anchor * (1.0 + 4.0 * HEDGE),
            Precision::Hedged(Bound::AtMost) => v <= anchor * (1.0 + 1e-9) && v >= anchor * (1.0 - 4.0 * HEDGE),
            Precision::Range(lo, hi) => v >= lo && v <= hi,
        }
    }
}

/// Whether two mentions of the same unit can both be right about one
/// quantity.
pub(crate) fn compatible(a: &NumRef, b: &NumRef) -> bool {
    if same_value(a.value, b.value) {
        return true;
    }
    match (a.precision, b.precision) {
        (Precision::Exact, Precision::Exact) => rounds_to(a.value, b.value) || rounds_to(b.value, a.value),
        (Precision::Exact, p) => p.contains(b.value, a.value),
        (p, Precision::Exact) => p.contains(a.value, b.value),
        (Precision::Range(l1, h1), Precision::Range(l2, h2)) => l1 < h2 && l2 < h1,
        (Precision::Range(..), p) => p.contains(b.value, a.value) || a.precision.contains(a.value, b.value),
        (p, Precision::Range(..)) => p.contains(a.value, b.value) || b.precision.contains(b.value, a.value),
        (p, q) => p.contains(a.value, b.value) || q.contains(b.value, a.value),
    }
}

/// The precision of an extracted number, from what the extractor read
/// (the one place hedges and orders of magnitude are parsed): a hedge
/// before it ("about", "more than", "nearly") makes it hedged; an
/// order of magnitude in words ("hundreds of billions") or another vague
/// phrase the range the extractor gave.
pub(crate) fn precision(n: &chorus_extract::NumberSpan) -> Precision {
    use chorus_extract::numbers::Hedge;
    match n.hedge {
        Some(Hedge::Around) => return Precision::Hedged(Bound::About),
        Some(Hedge::AtLeast) => return Precision::Hedged(Bound::AtLeast),
        Some(Hedge::AtMost | Hedge::Nearly) => return Precision::Hedged(Bound::AtMost),
        None => {}
    }
    if n.approximate && n.low.is_finite() && !n.high.is_nan() && n.low < n.high {
        return Precision::Range(n.low, n.high);
    }
    if n.approximate {
        // Marked approximate without a usable range ("some 1,600 km"):
        // treat as "about".
        return Precision::Hedged(Bound::About);
    }
    Precision::Exact
}

/// Every number mention of the story, in story order.
pub(crate) fn collect<'a>(story: &Story<'a>) -> Vec<NumRef<'a>> {
    let mut out = Vec::new();
    for (d, doc) in story.docs.iter().enumerate() {
        let text = doc.article.text.as_str();
        for si in story.by_doc[d].clone() {
            for &k in &story.sents[si].nums {
                let n = &doc.extraction.numbers[k];
                let (s, e) = (n.start.min(text.len()), n.end.min(text.len()));
                if s >= e || !text.is_char_boundary(s) || !text.is_char_boundary(e) || !n.value.is_finite() {
                    continue;
                }
                out.push(NumRef {
                    doc: d,
                    sent: si,
                    start: s,
                    end: e,
                    value: n.value,
                    unit: n.unit.as_str(),
                    noun: n.noun.as_deref(),
                    text: &text[s..e],
                    precision: precision(n),
                    span: n,
                });
            }
        }
    }
    out
}

/// The contract's `numbers`: equal value and unit merged across articles,
/// each with its most common wording; most widely reported first.
pub(crate) fn entries(story: &Story, nums: &[NumRef]) -> Vec<NumberEntry> {
    // Same value, same unit (or counted noun), and both exact or both
    // vague, so "hundreds of billions" stays apart from "$100 billion".
    // Groups are found by (precision, value); within a group, a member of
    // each distinct (unit, noun) stands for the others, since the unit test
    // reads nothing else: a story of thousands of figures stays linear.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut kinds: Vec<Vec<usize>> = Vec::new();
    let mut by_value: FxHashMap<(bool, u64), Vec<usize>> = FxHashMap::default();
    for (i, n) in nums.iter().enumerate() {
        let exact = matches!(n.precision, Precision::Exact);
        let key = (exact, canonical_bits(n.value));
        let candidates = by_value.entry(key).or_default();
        let home = candidates.iter().copied().find(|&g| kinds[g].iter().any(|&j| nums[j].same_unit(n)));
        match home {
            Some(g) => {
                groups[g].push(i);
                if !kinds[g].iter().any(|&j| nums[j].unit == n.unit && nums[j].span.noun == n.span.noun) {
                    kinds[g].push(i);
                }
            }
            None => {
                candidates.push(groups.len());
                groups.push(vec![i]);
                kinds.push(vec![i]);
            }
        }
    }
    let mut out: Vec<(usize, NumberEntry)> = groups
        .iter()
        .map(|members| {
            let mut forms: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
            for (rank, &i) in members.iter().enumerate() {
                let f = forms.entry(nums[i].text.trim()).or_insert((0, rank));
                f.0 += if story.docs[nums[i].doc].independent { 2 } else { 1 };
            }
            let text = forms
                .iter()
                .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
                .map(|(t, _)| t.to_string())
                .unwrap_or_default();
            let support = {
                let mut d: Vec<usize> =
                    members.iter().map(|&i| nums[i].doc).filter(|&d| story.docs[d].independent).collect();
                d.sort_unstable();
                d.dedup();
                d.len()
            };
            let first = &nums[members[0]];
            let unit = {
                let mut units: Vec<(&str, usize)> = Vec::new();
                for &i in members {
                    match units.iter_mut().find(|(u, _)| *u == nums[i].unit) {
                        Some(e) => e.1 += 1,
                        None => units.push((nums[i].unit, 1)),
                    }
                }
                units.iter().max_by_key(|(_, c)| *c).map(|(u, _)| u.to_string()).unwrap_or_default()
            };
            (
                support,
                NumberEntry {
                    value: first.value,
                    unit,
                    text,
                    articles: story.ids(members.iter().map(|&i| nums[i].doc)),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.articles.len().cmp(&a.1.articles.len())));
    out.into_iter().map(|(_, e)| e).collect()
}

/// Bits of a value rounded to 12 significant digits, so that equal values
/// computed along different paths share a key.
fn canonical_bits(v: f64) -> u64 {
    if v == 0.0 {
        return 0;
    }
    let mag = 10f64.powi(v.abs().log10().floor() as i32 - 11);
    ((v / mag).round() * mag).to_bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number the extractor finds in `text` starting where `phrase`
    /// does (hedges and orders of magnitude as it read them), with its
    /// value checked.
    fn num(text: &str, phrase: &str, value: f64) -> NumRef<'static> {
        let text: &'static str = Box::leak(text.to_string().into_boxed_str());
        let at = text.find(phrase).unwrap();
        let found = chorus_extract::numbers::find_numbers(text, &chorus_text::split_sentences(text), None);
        let span: &'static chorus_extract::NumberSpan = Box::leak(Box::new(
            found
                .into_iter()
                .find(|n| n.start <= at && n.end > at)
                .unwrap_or_else(|| panic!("no number at {phrase:?} in {text:?}")),
        ));
        assert!(same_value(span.value, value), "{span:?}");
        NumRef {
            doc: 0,
            sent: 0,
            start: span.start,
            end: span.end,
            value: span.value,
            unit: "USD",
            noun: None,
            text: &text[span.start..span.end],
            precision: precision(span),
            span,
        }
    }

    #[test]
    fn orders_of_magnitude_in_words_are_ranges() {
        let a = num("spent hundreds of billions on it", "hundreds of billions", 1e11);
        assert_eq!(a.precision, Precision::Range(1e11, 1e12));
        let crowd = num("Thousands of people gathered", "Thousands of people", 1e3);
        assert_eq!(crowd.precision, Precision::Range(1e3, 1e6));
        let b = num("asked for $700 billion", "$700 billion", 7e11);
        let c = num("spent tens of billions", "tens of billions", 1e10);
        assert!(compatible(&a, &b));
        assert!(!compatible(&c, &b));
    }

    #[test]
    fn hedges_and_rounding_are_compatible_but_different_figures_are_not() {
        let exact = num("fired 267 shells", "267", 267.0);
        let about = num("fired about 300 shells", "300", 300.0);
        let rounded = num("fired 270 shells", "270", 270.0);
        let other = num("fired 150 shells", "150", 150.0);
        let over = num("fired more than 250 shells", "250", 250.0);
        assert_eq!(about.precision, Precision::Hedged(Bound::About));
        assert_eq!(over.precision, Precision::Hedged(Bound::AtLeast));
        assert!(compatible(&exact, &about));
        assert!(compatible(&exact, &rounded));
        assert!(compatible(&exact, &over));
        assert!(!compatible(&exact, &other));
        assert!(!compatible(&over, &other));
    }

    #[test]
    fn rounding_respects_written_precision() {
        assert!(rounds_to(114.3e9, 114e9));
        assert!(rounds_to(267.0, 270.0));
        assert!(!rounds_to(267.0, 260.0));
        assert!(!rounds_to(500e9, 114e9));
        assert!(rounds_to(2.46, 2.5));
    }
}
