//! Dates written in article text, absolute and relative, as number spans
//! with unit `date`.
//!
//! **Representation.** `value` is the date as the number `yyyymmdd`
//! (20250223); a whole month is `yyyymm00`, a whole year `yyyy0000`; a year
//! that neither the text nor the publication date gives is 0 (so "Feb. 23"
//! alone is 223). `low` and `high` are the first and last day covered, also
//! as `yyyymmdd`. A span that is not a calendar day, month or year ("last
//! week", "earlier this month", "over the weekend") has `value` = `low` and
//! `approximate` set. Why `yyyymmdd` rather than days since an epoch: it
//! reads as a date in the JSON, sorts as dates do, and comparing two dates
//! by their bounds needs no calendar.
//!
//! **Recognised.** "Feb. 23, 2025", "February 23", "23 February 2025",
//! "2025-02-23", "February 2025", "in February", "mid-February"; a four-digit
//! year 1800–2100 alone ("the 2014 annexation") and decades ("the 1990s");
//! weekdays ("on Sunday", "last Friday", "next Monday"); "today",
//! "yesterday", "tomorrow", "tonight"; "last/this/next week|month|year",
//! "earlier/later this week|month|year", "over the weekend", "N days ago".
//!
//! **Resolution.** Relative dates need the publication date and are left out
//! without it. A bare weekday or month is taken as the most recent one on or
//! before publication, unless its sentence speaks of the future ("will",
//! "next", "scheduled", …), then the next one on or after. A day and month
//! without a year take the year that puts them nearest the publication date.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::numbers::{Cx, NumberSpan, word_number};

/// A day and month without a year are placed in the year that puts them
/// within half a year of publication: news reports recent and coming events.
const HALF_YEAR_DAYS: i64 = 183;

/// The date of an ISO date or date-time string ("2025-02-23",
/// "2025-02-23T10:00:00Z").
pub(crate) fn parse_published(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// A date as the number `yyyymmdd`.
pub fn ymd(d: NaiveDate) -> f64 {
    (d.year() as i64 * 10000 + d.month() as i64 * 100 + d.day() as i64) as f64
}

/// The date a `yyyymmdd` value stands for, when it is a single day.
pub fn date_of(value: f64) -> Option<NaiveDate> {
    let v = value as i64;
    NaiveDate::from_ymd_opt((v / 10000) as i32, ((v / 100) % 100) as u32, (v % 100) as u32)
}

fn month_of(key: &str) -> Option<u32> {
    Some(match key {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn weekday_of(key: &str) -> Option<Weekday> {
    Some(match key {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// Words a date may start with (besides digits), for the pre-filter.
pub(crate) const START_WORDS: &str = "\
january february march april may june july august september october november december jan feb mar \
apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon \
tue tues wed thu thurs fri sat sun today tonight yesterday tomorrow last this next earlier later \
over past";

fn day_span(start: usize, end: usize, d: NaiveDate) -> NumberSpan {
    NumberSpan::exact(start, end, ymd(d), "date", None)
}

fn range_span(start: usize, end: usize, value: f64, low: NaiveDate, high: NaiveDate, approximate: bool) -> NumberSpan {
    NumberSpan { start, end, value, unit: "date".into(), noun: None, approximate, low: ymd(low), high: ymd(high) }
}

fn last_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

fn month_span(start: usize, end: usize, y: i32, m: u32) -> Option<NumberSpan> {
    let low = NaiveDate::from_ymd_opt(y, m, 1)?;
    let value = (y as i64 * 10000 + m as i64 * 100) as f64;
    Some(range_span(start, end, value, low, last_of_month(y, m)?, false))
}

fn year_span(start: usize, end: usize, y: i32) -> Option<NumberSpan> {
    let low = NaiveDate::from_ymd_opt(y, 1, 1)?;
    let high = NaiveDate::from_ymd_opt(y, 12, 31)?;
    Some(range_span(start, end, (y as i64 * 10000) as f64, low, high, false))
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(d.weekday().num_days_from_monday() as u64)
}

/// A four-digit year token in the range news writes about.
fn year_at(cx: &Cx, i: usize) -> Option<i32> {
    if !cx.is_num(i) {
        return None;
    }
    let s = cx.tok_text(i);
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (1800..=2100).contains(&y).then_some(y)
}

/// A day-of-month token ("23", "23rd"): (day, index after it).
fn day_at(cx: &Cx, i: usize) -> Option<(u32, usize)> {
    if !cx.is_num(i) {
        return None;
    }
    let s = cx.tok_text(i);
    if s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u32 = s.parse().ok()?;
    if !(1..=31).contains(&d) {
        return None;
    }
    let mut j = i + 1;
    if cx.is_word(j) && cx.glued(j) {
        if matches!(cx.key(j), "st" | "nd" | "rd" | "th") {
            j += 1;
        } else {
            return None;
        }
    }
    Some((d, j))
}

/// The year that puts month `m`, day `d` nearest to `anchor`.
fn nearest_year(anchor: NaiveDate, m: u32, d: u32) -> Option<NaiveDate> {
    let y = anchor.year();
    let this = NaiveDate::from_ymd_opt(y, m, d)?;
    let diff = (this - anchor).num_days();
    if diff > HALF_YEAR_DAYS {
        NaiveDate::from_ymd_opt(y - 1, m, d)
    } else if diff < -HALF_YEAR_DAYS {
        NaiveDate::from_ymd_opt(y + 1, m, d)
    } else {
        Some(this)
    }
}

/// How far back from a date to look for the verb that sets its tense.
const TENSE_WINDOW: usize = 10;

/// Past-tense forms that do not end in "-ed".
const IRREGULAR_PAST: &[&str] = &[
    "was", "were", "had", "did", "said", "spoke", "met", "held", "told", "went", "came", "gave", "took", "made",
    "began", "saw", "left", "won", "lost", "fell", "rose", "sent", "led", "shot", "hit", "struck", "wrote", "ran",
];

/// Whether the clause before token `i` speaks of the future: the nearest
/// tense marker within [`TENSE_WINDOW`] tokens is a future cue ("will",
/// "set to", "next") rather than a past form ("spoke", "announced").
fn looks_ahead(cx: &Cx, i: usize) -> bool {
    let lo = i.saturating_sub(TENSE_WINDOW);
    for j in (lo..i).rev() {
        if !cx.same_sent(j, i) {
            break;
        }
        if !cx.is_word(j) {
            continue;
        }
        let k = cx.key(j);
        if crate::numbers::is_future_cue(k) {
            return true;
        }
        if IRREGULAR_PAST.contains(&k) || (k.len() > 4 && k.ends_with("ed")) {
            return false;
        }
    }
    false
}

/// A date starting at token `i`: (span, index after it).
pub(crate) fn date_at(cx: &Cx, i: usize, anchor: Option<NaiveDate>) -> Option<(NumberSpan, usize)> {
    let t = cx.toks.get(i)?;
    let start = t.start;
    let k = cx.key(i);
    if t.is_word() && t.cap {
        if let Some(m) = month_of(k) {
            return month_date(cx, i, m, anchor, looks_ahead(cx, i));
        }
        if let Some(wd) = weekday_of(k) {
            let anchor = anchor?;
            let modifier = if i > 0 && cx.same_sent(i - 1, i) { cx.key(i - 1) } else { "" };
            let back = (7 + anchor.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
            let ahead = (7 + wd.num_days_from_monday() - anchor.weekday().num_days_from_monday()) % 7;
            let d = match modifier {
                "last" => anchor - Days::new(if back == 0 { 7 } else { back } as u64),
                "next" => anchor + Days::new(if ahead == 0 { 7 } else { ahead } as u64),
                "this" => monday_of(anchor) + Days::new(wd.num_days_from_monday() as u64),
                _ if looks_ahead(cx, i) => anchor + Days::new(ahead as u64),
                _ => anchor - Days::new(back as u64),
            };
            let s = if matches!(modifier, "last" | "next" | "this") { cx.toks[i - 1].start } else { start };
            return Some((day_span(s, t.end, d), i + 1));
        }
    }
    if t.kind == crate::entities::lexer::Kind::Num {
        return numeric_date(cx, i, anchor);
    }
    if t.is_word() {
        return relative_date(cx, i, anchor?);
    }
    None
}

/// Dates that start with a month name.
fn month_date(cx: &Cx, i: usize, m: u32, anchor: Option<NaiveDate>, future: bool) -> Option<(NumberSpan, usize)> {
    let start = cx.toks[i].start;
    let mut j = i + 1;
    if cx.is_punct(j, '.') && cx.glued(j) {
        j += 1;
    }
    if let Some((d, after)) = day_at(cx, j).filter(|_| cx.same_sent(i, j)) {
        let mut y_tok = after;
        if cx.is_punct(y_tok, ',') {
            y_tok += 1;
        }
        if let Some(y) = year_at(cx, y_tok).filter(|_| cx.same_sent(i, y_tok)) {
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            return Some((day_span(start, cx.toks[y_tok].end, date), y_tok + 1));
        }
        let end = cx.toks[after - 1].end;
        let date = match anchor {
            Some(a) => nearest_year(a, m, d)?,
            None => NaiveDate::from_ymd_opt(0, m, d)?,
        };
        return Some((day_span(start, end, date), after));
    }
    if let Some(y) = year_at(cx, j).filter(|_| cx.same_sent(i, j)) {
        return Some((month_span(start, cx.toks[j].end, y, m)?, j + 1));
    }
    // A month alone needs a word that makes it a time ("in May", "last
    // March", "mid-June"), since "May" and "March" are also verb and noun.
    let prev = match i {
        0 => "",
        _ if !cx.same_sent(i - 1, i) => "",
        _ if cx.is_punct(i - 1, '-') && i >= 2 => cx.key(i - 2),
        _ => cx.key(i - 1),
    };
    let ok = matches!(
        prev,
        "in" | "since"
            | "by"
            | "until"
            | "till"
            | "from"
            | "during"
            | "through"
            | "early"
            | "late"
            | "mid"
            | "last"
            | "next"
            | "this"
            | "before"
            | "after"
            | "of"
    );
    if !ok {
        return None;
    }
    let a = anchor?;
    let y = match prev {
        "last" => {
            if m < a.month() {
                a.year()
            } else {
                a.year() - 1
            }
        }
        "next" => {
            if m > a.month() {
                a.year()
            } else {
                a.year() + 1
            }
        }
        "this" => a.year(),
        _ if future => {
            if m >= a.month() {
                a.year()
            } else {
                a.year() + 1
            }
        }
        _ => {
            if m <= a.month() {
                a.year()
            } else {
                a.year() - 1
            }
        }
    };
    let s = if matches!(prev, "last" | "next" | "this") { cx.toks[i - 1].start } else { cx.toks[i].start };
    Some((month_span(s, cx.toks[i].end, y, m)?, i + 1))
}

/// Dates that start with digits: ISO dates, day-month, years, decades,
/// "3 days ago".
fn numeric_date(cx: &Cx, i: usize, anchor: Option<NaiveDate>) -> Option<(NumberSpan, usize)> {
    let start = cx.toks[i].start;
    // 2025-02-23
    if let Some(y) = year_at(cx, i)
        && cx.is_punct(i + 1, '-')
        && cx.glued(i + 1)
        && cx.is_num(i + 2)
        && cx.glued(i + 2)
        && cx.is_punct(i + 3, '-')
        && cx.glued(i + 3)
        && cx.is_num(i + 4)
        && cx.glued(i + 4)
    {
        let m: u32 = cx.tok_text(i + 2).parse().ok()?;
        let d: u32 = cx.tok_text(i + 4).parse().ok()?;
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        return Some((day_span(start, cx.toks[i + 4].end, date), i + 5));
    }
    // 23 February (2025)
    if let Some((d, mut j)) = day_at(cx, i) {
        if cx.key(j) == "of" {
            j += 1;
        }
        if cx.is_word(j)
            && cx.toks[j].cap
            && cx.same_sent(i, j)
            && let Some(m) = month_of(cx.key(j))
        {
            let mut after = j + 1;
            if cx.is_punct(after, '.') && cx.glued(after) {
                after += 1;
            }
            if let Some(y) = year_at(cx, after).filter(|_| cx.same_sent(i, after)) {
                let date = NaiveDate::from_ymd_opt(y, m, d)?;
                return Some((day_span(start, cx.toks[after].end, date), after + 1));
            }
            let date = match anchor {
                Some(a) => nearest_year(a, m, d)?,
                None => NaiveDate::from_ymd_opt(0, m, d)?,
            };
            return Some((day_span(start, cx.toks[j].end, date), j + 1));
        }
    }
    // "3 days ago"
    if let Some(a) = anchor
        && let Some(v) = cx.num_value(i)
        && let Some(r) = ago(cx, i, i + 1, v, a)
    {
        return Some(r);
    }
    // A year alone, or a decade.
    let y = year_at(cx, i)?;
    if i > 0 && cx.glued(i) && !cx.is_punct(i - 1, '(') && !cx.is_punct(i - 1, '“') && !cx.is_punct(i - 1, '"') {
        return None;
    }
    let next = i + 1;
    if cx.is_word(next) && cx.glued(next) {
        if cx.key(next) == "s" && y % 10 == 0 {
            let low = NaiveDate::from_ymd_opt(y, 1, 1)?;
            let high = NaiveDate::from_ymd_opt(y + 9, 12, 31)?;
            return Some((range_span(start, cx.toks[next].end, ymd(low), low, high, true), next + 1));
        }
        return None;
    }
    if cx.is_punct(next, '-') && cx.glued(next) {
        return None;
    }
    // "2000 troops", "2014 billion": a count or an amount, not a year.
    if cx.is_word(next) && cx.same_sent(i, next) && !cx.toks[next].cap {
        let k = cx.key(next);
        if crate::numbers::looks_plural(cx, next) || matches!(k, "million" | "billion" | "trillion" | "thousand") {
            return None;
        }
    }
    Some((year_span(start, cx.toks[i].end, y)?, next))
}

/// "N days ago" with the number at `num` and the unit at `j`.
fn ago(cx: &Cx, num: usize, j: usize, n: f64, a: NaiveDate) -> Option<(NumberSpan, usize)> {
    if cx.key(j + 1) != "ago" || !cx.same_sent(num, j + 1) || !(0.0..=1000.0).contains(&n) || n.fract() != 0.0 {
        return None;
    }
    let n = n as u64;
    let start = cx.toks[num].start;
    let end = cx.toks[j + 1].end;
    let span = match cx.key(j) {
        "day" | "days" => day_span(start, end, a - Days::new(n)),
        "week" | "weeks" => {
            let d = a - Days::new(7 * n);
            let mut s = day_span(start, end, d);
            s.approximate = true;
            s
        }
        "month" | "months" => {
            let d = a.checked_sub_months(Months::new(n as u32))?;
            month_span(start, end, d.year(), d.month())?
        }
        "year" | "years" => year_span(start, end, a.year() - n as i32)?,
        _ => return None,
    };
    Some((span, j + 2))
}

/// "yesterday", "last week", "earlier this month", "over the weekend",
/// "two days ago".
fn relative_date(cx: &Cx, i: usize, a: NaiveDate) -> Option<(NumberSpan, usize)> {
    let start = cx.toks[i].start;
    let k = cx.key(i);
    let end_at = |j: usize| cx.toks[j].end;
    match k {
        "today" | "tonight" => return Some((day_span(start, end_at(i), a), i + 1)),
        "yesterday" => return Some((day_span(start, end_at(i), a.pred_opt()?), i + 1)),
        "tomorrow" => return Some((day_span(start, end_at(i), a.succ_opt()?), i + 1)),
        _ => {}
    }
    // "a week ago", "two days ago"
    if let Some((n, j)) = word_number(cx, i) {
        return ago(cx, i, j, n, a);
    }
    if matches!(k, "a" | "an") {
        return ago(cx, i, i + 1, 1.0, a);
    }
    let same = |j: usize| j < cx.toks.len() && cx.same_sent(i, j);
    // "over the weekend"
    if k == "over" && cx.key(i + 1) == "the" && cx.key(i + 2) == "weekend" && same(i + 2) {
        let (lo, hi) = weekend_before(a);
        return Some((range_span(start, end_at(i + 2), ymd(lo), lo, hi, true), i + 3));
    }
    // "earlier this month", "later this week", "earlier today", "earlier in the day"
    if matches!(k, "earlier" | "later") {
        if cx.key(i + 1) == "today" && same(i + 1) {
            return Some((day_span(start, end_at(i + 1), a), i + 2));
        }
        if cx.key(i + 1) == "in" && cx.key(i + 2) == "the" && cx.key(i + 3) == "day" && same(i + 3) {
            return Some((day_span(start, end_at(i + 3), a), i + 4));
        }
        if cx.key(i + 1) != "this" || !same(i + 2) {
            return None;
        }
        let (lo, hi) = period(cx.key(i + 2), a, 0)?;
        let (lo, hi) = if k == "earlier" { (lo, a.min(hi)) } else { (a.max(lo), hi) };
        return Some((range_span(start, end_at(i + 2), ymd(lo), lo, hi, true), i + 3));
    }
    let offset = match k {
        "last" | "past" => -1,
        "this" => 0,
        "next" => 1,
        _ => return None,
    };
    if !same(i + 1) {
        return None;
    }
    let unit = cx.key(i + 1);
    let end = end_at(i + 1);
    if unit == "weekend" {
        let (lo, hi) = match offset {
            1 => {
                let (lo, hi) = weekend_before(a + Days::new(7));
                if lo <= a { (lo + Days::new(7), hi + Days::new(7)) } else { (lo, hi) }
            }
            _ => weekend_before(a),
        };
        return Some((range_span(start, end, ymd(lo), lo, hi, true), i + 2));
    }
    if k == "past" {
        // "the past week": the days up to publication.
        let lo = match unit {
            "week" => a - Days::new(7),
            "month" => a.checked_sub_months(Months::new(1))?,
            "year" => a.checked_sub_months(Months::new(12))?,
            _ => return None,
        };
        return Some((range_span(start, end, ymd(lo), lo, a, true), i + 2));
    }
    let (lo, hi) = period(unit, a, offset)?;
    let span = match unit {
        "month" => month_span(start, end, lo.year(), lo.month())?,
        "year" => year_span(start, end, lo.year())?,
        _ => range_span(start, end, ymd(lo), lo, hi, true),
    };
    Some((span, i + 2))
}

/// The week, month or year `offset` periods from the one holding `a`.
fn period(unit: &str, a: NaiveDate, offset: i32) -> Option<(NaiveDate, NaiveDate)> {
    match unit {
        "week" => {
            let mon = monday_of(a);
            let mon = if offset < 0 {
                mon - Days::new(7)
            } else if offset > 0 {
                mon + Days::new(7)
            } else {
                mon
            };
            Some((mon, mon + Days::new(6)))
        }
        "month" => {
            let first = NaiveDate::from_ymd_opt(a.year(), a.month(), 1)?;
            let first = match offset {
                o if o < 0 => first.checked_sub_months(Months::new(1))?,
                o if o > 0 => first.checked_add_months(Months::new(1))?,
                _ => first,
            };
            Some((first, last_of_month(first.year(), first.month())?))
        }
        "year" => {
            let y = a.year() + offset;
            Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?))
        }
        _ => None,
    }
}

/// The most recent Saturday–Sunday that has begun by `a`.
fn weekend_before(a: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = (7 + a.weekday().num_days_from_monday() - Weekday::Sat.num_days_from_monday()) % 7;
    let sat = a - Days::new(back as u64);
    (sat, sat + Days::new(1))
}
