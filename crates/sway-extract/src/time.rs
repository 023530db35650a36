//! Temporal expressions: found over tokens, normalized to TIMEX3 type and value
//! against the document's reference date, with a date range for every DATE.
//!
//! The reference date is the published date when known. Otherwise it is inferred
//! from the explicit dates of what the text reports as having happened: sentences
//! that speak of the future ("will", "next") are left out, so a forecast such as
//! "elections in mid-2021" does not move it.

use std::ops::Range;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use sway_core::{Span, Token};

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];
const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];
const SEASONS: &[(&str, &str)] =
    &[("spring", "SP"), ("summer", "SU"), ("autumn", "FA"), ("fall", "FA"), ("winter", "WI")];
/// Words before a bare year that make it a date ("in 2019"), not a count.
const YEAR_CUES: &[&str] = &[
    "in", "since", "by", "until", "of", "during", "from", "to", "through", "before", "after", "early", "late", "mid",
    "for", "between",
];
const FUTURE_CUES: &[&str] = &["will", "'ll", "next", "coming", "upcoming", "forthcoming"];
const DURATION_UNITS: &[(&str, &str)] = &[("day", "D"), ("week", "W"), ("month", "M"), ("year", "Y"), ("decade", "DE")];
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("several", 0),
    ("a", 1),
    ("an", 1),
];

/// A modifier of a period: "early", "mid", "late".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mod {
    Start,
    Mid,
    End,
}

impl Mod {
    fn timex(self) -> &'static str {
        match self {
            Self::Start => "START",
            Self::Mid => "MID",
            Self::End => "END",
        }
    }
}

/// What an expression says before it is anchored in time.
#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Date {
        y: Option<i32>,
        m: u32,
        d: u32,
    },
    Month {
        y: Option<i32>,
        m: u32,
        md: Option<Mod>,
    },
    Year {
        y: i32,
        md: Option<Mod>,
    },
    Season {
        y: Option<i32>,
        s: &'static str,
    },
    Decade {
        d: i32,
    },
    Weekday(Weekday),
    /// Offset in units from the reference: unit is D, W, M or Y.
    Relative {
        unit: char,
        offset: i32,
    },
    /// "last April" (-1), "this April" (0), "next April" (1).
    MonthRel {
        m: u32,
        offset: i32,
    },
    /// PRESENT_REF, PAST_REF or FUTURE_REF.
    Ref(&'static str),
    /// A quarter of the year: a numbered one, or the latest completed one.
    Quarter {
        n: Option<u32>,
        y: Option<i32>,
    },
    /// A date some units before the reference ("two weeks ago").
    Ago {
        n: u32,
        unit: &'static str,
    },
    /// A recurring period: P1D for "daily".
    Set(&'static str),
    Duration {
        n: Option<u32>,
        unit: &'static str,
    },
}

/// A temporal expression found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMention {
    pub span: Span,
    pub tokens: Range<usize>,
    /// Index of the sentence it is in.
    pub sentence: usize,
    /// A future cue stands next to the expression: it resolves forward.
    pub future: bool,
    /// The sentence speaks of the future somewhere: its dates never set the reference.
    pub forecast: bool,
    raw: Raw,
}

/// A normalized expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// DATE or DURATION.
    pub kind: &'static str,
    pub value: String,
    pub modifier: Option<&'static str>,
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// day, week, month, season, year or decade.
    pub precision: &'static str,
}

fn month_of(w: &str) -> Option<u32> {
    let l = w.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == l).map(|(_, m)| *m)
}

fn year_of(w: &str) -> Option<i32> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

fn day_of(w: &str) -> Option<u32> {
    let t = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    (t.len() <= 2 && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

fn modifier(w: &str) -> Option<Mod> {
    match w.to_lowercase().as_str() {
        "early" | "beginning" => Some(Mod::Start),
        "mid" | "middle" => Some(Mod::Mid),
        "late" | "end" => Some(Mod::End),
        _ => None,
    }
}

/// Find the temporal expressions of one sentence (`sentence` is its token range).
pub fn find(text: &str, tokens: &[Token], sentence: Range<usize>, index: usize) -> Vec<TimeMention> {
    let toks = &tokens[sentence.clone()];
    let w: Vec<&str> = toks.iter().map(|t| t.span.slice(text)).collect();
    let l: Vec<String> = w.iter().map(|x| x.to_lowercase()).collect();
    let mut out = Vec::new();
    let forecast = l.iter().any(|x| FUTURE_CUES.contains(&x.as_str()));
    let push = |r: Range<usize>, raw: Raw, out: &mut Vec<TimeMention>| {
        let span = Span::new(toks[r.start].span.start, toks[r.end - 1].span.end);
        // Future if a future cue stands close before the expression, or just after it.
        let window = r.start.saturating_sub(8)..(r.end + 3).min(l.len());
        let future = l[window].iter().any(|x| FUTURE_CUES.contains(&x.as_str()));
        out.push(TimeMention {
            span,
            tokens: sentence.start + r.start..sentence.start + r.end,
            sentence: index,
            future,
            forecast,
            raw,
        });
    };
    let mut i = 0;
    while i < w.len() {
        let at = |k: usize| w.get(k).copied().unwrap_or("");
        // Vague references and recurring periods.
        let vague = match l[i].as_str() {
            "now" | "currently" | "current" | "nowadays" | "presently" => Some(Raw::Ref("PRESENT_REF")),
            "recently" | "recent" | "previously" | "formerly" | "lately" => Some(Raw::Ref("PAST_REF")),
            "soon" | "future" => Some(Raw::Ref("FUTURE_REF")),
            "daily" => Some(Raw::Set("P1D")),
            "weekly" => Some(Raw::Set("P1W")),
            "monthly" => Some(Raw::Set("P1M")),
            "annually" | "yearly" => Some(Raw::Set("P1Y")),
            _ => None,
        };
        if let Some(raw) = vague {
            // "the future" takes its article.
            let start = if i > 0 && l[i - 1] == "the" && l[i] == "future" { i - 1 } else { i };
            push(start..i + 1, raw, &mut out);
            i += 1;
            continue;
        }
        if l[i] == "the"
            && l.get(i + 1).is_some_and(|x| x == "past")
            && l.get(i + 2).is_none_or(|x| !x.chars().next().is_some_and(|c| c.is_alphanumeric()))
        {
            push(i..i + 2, Raw::Ref("PAST_REF"), &mut out);
            i += 2;
            continue;
        }
        // Quarters: "the third quarter", "third-quarter", "the latest quarter".
        {
            let ord = |x: &str| match x {
                "first" => Some(Some(1)),
                "second" => Some(Some(2)),
                "third" => Some(Some(3)),
                "fourth" => Some(Some(4)),
                "latest" | "last" => Some(None),
                _ => None,
            };
            let start = if l[i] == "the" { i + 1 } else { i };
            let hyph = l
                .get(start)
                .and_then(|x| x.split_once('-'))
                .and_then(|(a, b)| (b == "quarter").then(|| ord(a)).flatten());
            if let Some(n) = hyph {
                push(i..start + 1, Raw::Quarter { n, y: None }, &mut out);
                i = start + 1;
                continue;
            }
            if let (Some(n), Some("quarter")) =
                (l.get(start).and_then(|x| ord(x)), l.get(start + 1).map(String::as_str))
            {
                // "the third quarter of 1990"
                let y = (l.get(start + 2).is_some_and(|x| x == "of")).then(|| year_of(at(start + 3))).flatten();
                let end = if y.is_some() { start + 4 } else { start + 2 };
                push(i..end, Raw::Quarter { n, y }, &mut out);
                i = end;
                continue;
            }
            if l[i] == "the" && l.get(i + 1).is_some_and(|x| x == "quarter") {
                push(i..i + 2, Raw::Quarter { n: None, y: None }, &mut out);
                i += 2;
                continue;
            }
        }
        // "two-year", "10-year": durations as adjectives.
        if let Some((a, b)) = l[i].split_once('-') {
            let n = NUMBER_WORDS
                .iter()
                .find(|(nw, _)| *nw == a)
                .map(|(_, v)| *v)
                .or_else(|| a.parse::<u32>().ok().filter(|v| *v < 1000));
            let unit = DURATION_UNITS.iter().find(|(u, _)| *u == b).map(|(_, c)| *c);
            if let (Some(n), Some(unit)) = (n.filter(|n| *n > 0), unit) {
                push(i..i + 1, Raw::Duration { n: Some(n), unit }, &mut out);
                i += 1;
                continue;
            }
        }
        // "mid-October", "mid-2021", "early-2020"
        if let Some((pre, rest)) = w[i].split_once('-') {
            if let Some(md) = modifier(pre) {
                if let Some(m) = month_of(rest) {
                    let y = year_of(at(i + 1));
                    let end = if y.is_some() { i + 2 } else { i + 1 };
                    push(i..end, Raw::Month { y, m, md: Some(md) }, &mut out);
                    i = end;
                    continue;
                }
                if let Some(y) = year_of(rest) {
                    push(i..i + 1, Raw::Year { y, md: Some(md) }, &mut out);
                    i += 1;
                    continue;
                }
            }
        }
        // "early October", "late 2019"
        let (md, j) = match modifier(w[i]) {
            Some(md) if month_of(at(i + 1)).is_some() || year_of(at(i + 1)).is_some() => (Some(md), i + 1),
            _ => (None, i),
        };
        // "last April", "next May", "this September"
        if matches!(l[i].as_str(), "last" | "next" | "this") {
            if let Some(m) = month_of(at(i + 1)).filter(|_| at(i + 1).chars().next().is_some_and(char::is_uppercase)) {
                let offset = match l[i].as_str() {
                    "last" => -1,
                    "next" => 1,
                    _ => 0,
                };
                push(i..i + 2, Raw::MonthRel { m, offset }, &mut out);
                i += 2;
                continue;
            }
        }
        // Month names ("May" only when a day or year is beside it, or after "in").
        if let Some(m) = month_of(w[j]).filter(|_| w[j].chars().next().is_some_and(char::is_uppercase)) {
            // "May" is also a modal: alone it is a month only after "in", "during", ...
            let ambiguous = m == 5 && l[j] == "may";
            if let Some(d) = day_of(at(j + 1)) {
                // "October 17" / "Oct. 17, 2020"
                let (y, end) = match (at(j + 2), year_of(at(j + 3))) {
                    (",", Some(y)) => (Some(y), j + 4),
                    _ => (year_of(at(j + 2)), if year_of(at(j + 2)).is_some() { j + 3 } else { j + 2 }),
                };
                push(i..end, Raw::Date { y, m, d }, &mut out);
                i = end;
                continue;
            }
            let y = year_of(at(j + 1)).or_else(|| (at(j + 1) == ",").then(|| year_of(at(j + 2))).flatten());
            let prev = if i > 0 { l[i - 1].as_str() } else { "" };
            if y.is_some()
                || md.is_some()
                || (!ambiguous
                    && matches!(
                        prev,
                        "in" | "during"
                            | "since"
                            | "until"
                            | "by"
                            | "of"
                            | "from"
                            | "through"
                            | "last"
                            | "this"
                            | "next"
                    ))
                || (ambiguous && matches!(prev, "in" | "during" | "since" | "until"))
            {
                let end = match y {
                    Some(_) if at(j + 1) == "," => j + 3,
                    Some(_) => j + 2,
                    None => j + 1,
                };
                push(i..end, Raw::Month { y, m, md }, &mut out);
                i = end;
                continue;
            }
        }
        // "17 October 2020"
        if let (Some(d), Some(m)) = (day_of(w[i]), month_of(at(i + 1))) {
            if at(i + 1).chars().next().is_some_and(char::is_uppercase) {
                let y = year_of(at(i + 2));
                let end = if y.is_some() { i + 3 } else { i + 2 };
                push(i..end, Raw::Date { y, m, d }, &mut out);
                i = end;
                continue;
            }
        }
        // Years: "in 2019", "late 2019"; decades: "the 1990s"
        if let Some(y) = year_of(w[j]) {
            let prev = if i > 0 { l[i - 1].as_str() } else { "" };
            let next = l.get(j + 1).map_or("", String::as_str);
            let standalone = next.is_empty() || matches!(next, "." | "," | ";" | ":" | ")" | "'s" | "and" | "to");
            if md.is_some()
                || YEAR_CUES.contains(&prev)
                || prev == "fiscal"
                || (standalone && !matches!(prev, "$" | "#" | "no" | "number"))
            {
                push(i..j + 1, Raw::Year { y, md }, &mut out);
                i = j + 1;
                continue;
            }
        }
        if w[i].len() == 5 && w[i].ends_with('s') && year_of(&w[i][..4]).is_some_and(|y| y % 10 == 0) {
            push(i..i + 1, Raw::Decade { d: year_of(&w[i][..4]).unwrap_or(0) / 10 }, &mut out);
            i += 1;
            continue;
        }
        // Seasons with a year: "spring 2020"; "this summer", "last fall".
        if let Some((_, s)) = SEASONS.iter().find(|(n, _)| *n == l[i]) {
            if let Some(y) = year_of(at(i + 1)) {
                push(i..i + 2, Raw::Season { y: Some(y), s }, &mut out);
                i += 2;
                continue;
            }
        }
        if matches!(l[i].as_str(), "this" | "last" | "next") {
            if let Some((_, s)) = l.get(i + 1).and_then(|x| SEASONS.iter().find(|(n, _)| n == x)) {
                let off = match l[i].as_str() {
                    "last" => -1,
                    "next" => 1,
                    _ => 0,
                };
                push(i..i + 2, Raw::Relative { unit: season_unit(s), offset: off }, &mut out);
                i += 2;
                continue;
            }
        }
        // Weekdays: "on Thursday"
        if let Some((_, wd)) = WEEKDAYS.iter().find(|(n, _)| *n == l[i]) {
            push(i..i + 1, Raw::Weekday(*wd), &mut out);
            i += 1;
            continue;
        }
        // Relative days and periods.
        let rel = match l[i].as_str() {
            "yesterday" => Some((i + 1, 'D', -1)),
            "today" => Some((i + 1, 'D', 0)),
            "tomorrow" => Some((i + 1, 'D', 1)),
            "last" | "this" | "next" => {
                let off = match l[i].as_str() {
                    "last" => -1,
                    "this" => 0,
                    _ => 1,
                };
                match l.get(i + 1).map(String::as_str) {
                    Some("week") => Some((i + 2, 'W', off)),
                    Some("month") => Some((i + 2, 'M', off)),
                    Some("year") => Some((i + 2, 'Y', off)),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some((end, unit, offset)) = rel {
            push(i..end, Raw::Relative { unit, offset }, &mut out);
            i = end;
            continue;
        }
        // "in the coming months", "in the months ahead"
        if l[i] == "coming" && matches!(l.get(i + 1).map(String::as_str), Some("months" | "weeks" | "years" | "days")) {
            let start = if i >= 2 && l[i - 1] == "the" && l[i - 2] == "in" { i - 2 } else { i };
            push(start..i + 2, Raw::Ref("FUTURE_REF"), &mut out);
            i += 2;
            continue;
        }
        // Durations: "three months", "30 years", "months of negotiations"
        let unit_at = |k: usize| {
            l.get(k).and_then(|u| DURATION_UNITS.iter().find(|(n, _)| u.trim_end_matches('s') == *n).map(|(_, c)| *c))
        };
        let n = NUMBER_WORDS
            .iter()
            .find(|(nw, _)| *nw == l[i])
            .map(|(_, v)| *v)
            .or_else(|| l[i].parse::<u32>().ok().filter(|v| *v < 1000));
        if let (Some(n), Some(unit)) = (n, unit_at(i + 1)) {
            if n != 1 || matches!(l[i].as_str(), "a" | "an" | "one" | "1") {
                if l.get(i + 2).is_some_and(|x| x == "ago" || x == "earlier") {
                    let raw = if n == 0 { Raw::Ref("PAST_REF") } else { Raw::Ago { n, unit } };
                    push(i..i + 3, raw, &mut out);
                    i += 3;
                } else {
                    push(i..i + 2, Raw::Duration { n: (n > 0).then_some(n), unit }, &mut out);
                    i += 2;
                }
                continue;
            }
        }
        if matches!(l[i].as_str(), "months" | "years" | "weeks" | "decades")
            && matches!(l.get(i + 1).map(String::as_str), Some("of"))
        {
            if let Some(unit) = unit_at(i) {
                push(i..i + 1, Raw::Duration { n: None, unit }, &mut out);
            }
        }
        i += 1;
    }
    out
}

/// Relative seasons reuse `Relative` with a unit letter per season.
fn season_unit(s: &str) -> char {
    match s {
        "SP" => 'p',
        "SU" => 'u',
        "FA" => 'f',
        _ => 'w',
    }
}

fn last_day(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MIN)
}

/// First and last day of a month, or of its early, mid or late part.
pub fn month_range(y: i32, m: u32, md: Option<Mod>) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let last = last_day(y, m);
    Some(match md {
        None => (first, last),
        Some(Mod::Start) => (first, first + Duration::days(9)),
        Some(Mod::Mid) => (first + Duration::days(10), first + Duration::days(19)),
        Some(Mod::End) => (first + Duration::days(20), last),
    })
}

fn year_range(y: i32, md: Option<Mod>) -> Option<(NaiveDate, NaiveDate)> {
    let (a, b) = match md {
        None => (1, 12),
        Some(Mod::Start) => (1, 4),
        Some(Mod::Mid) => (5, 8),
        Some(Mod::End) => (9, 12),
    };
    Some((NaiveDate::from_ymd_opt(y, a, 1)?, last_day(y, b)))
}

/// The year of a month named without one: the reference's year, moved back a year
/// if that would put a past event after the reference (news leans to the past), or
/// forward if a future one would fall before it.
fn year_for(m: u32, d: u32, anchor: NaiveDate, inferred: bool, future: bool) -> i32 {
    let y = anchor.year();
    if inferred {
        return y;
    }
    let at = |y: i32| NaiveDate::from_ymd_opt(y, m, d.min(28)).unwrap_or(anchor);
    if future {
        return if at(y) < anchor { y + 1 } else { y };
    }
    // Otherwise news leans to the past: a month more than about two months ahead of
    // the reference is last year's (tuned on TempEval-3 development data).
    let ahead = (at(y) - anchor).num_days();
    if ahead > 62 {
        y - 1
    } else if ahead < -(365 - 62) {
        y + 1
    } else {
        y
    }
}

impl TimeMention {
    /// An explicit year this expression states, if it is a past reference.
    fn explicit_past_date(&self) -> Option<NaiveDate> {
        if self.future || self.forecast {
            return None;
        }
        match self.raw {
            Raw::Date { y: Some(y), m, d } => NaiveDate::from_ymd_opt(y, m, d),
            Raw::Month { y: Some(y), m, md } => month_range(y, m, md).map(|r| r.0),
            Raw::Year { y, md } => year_range(y, md).map(|r| r.0),
            _ => None,
        }
    }

    /// Normalize against the reference date (`inferred`: it was inferred, not published).
    pub fn normalize(&self, anchor: Option<NaiveDate>, inferred: bool) -> Option<Normalized> {
        let date = |value: String, md: Option<Mod>, range: Option<(NaiveDate, NaiveDate)>, precision| Normalized {
            kind: "DATE",
            value,
            modifier: md.map(Mod::timex),
            range,
            precision,
        };
        Some(match &self.raw {
            Raw::Date { y, m, d } => {
                let y = match y {
                    Some(y) => *y,
                    None => year_for(*m, *d, anchor?, inferred, self.future),
                };
                let day = NaiveDate::from_ymd_opt(y, *m, *d)?;
                date(day.format("%Y-%m-%d").to_string(), None, Some((day, day)), "day")
            }
            Raw::Month { y, m, md } => {
                let y = match y {
                    Some(y) => *y,
                    None => year_for(*m, 15, anchor?, inferred, self.future),
                };
                date(format!("{y:04}-{m:02}"), *md, month_range(y, *m, *md), "month")
            }
            Raw::Year { y, md } => date(format!("{y:04}"), *md, year_range(*y, *md), "year"),
            Raw::Season { y, s } => {
                let y = y.or(anchor.map(|a| a.year()))?;
                let (a, b) = match *s {
                    "SP" => (3, 5),
                    "SU" => (6, 8),
                    "FA" => (9, 11),
                    _ => (12, 14),
                };
                let start = NaiveDate::from_ymd_opt(y, a, 1)?;
                let end = if b > 12 { last_day(y + 1, b - 12) } else { last_day(y, b) };
                date(format!("{y:04}-{s}"), None, Some((start, end)), "season")
            }
            Raw::Decade { d } => {
                let start = NaiveDate::from_ymd_opt(d * 10, 1, 1)?;
                date(format!("{d:03}"), None, Some((start, last_day(d * 10 + 9, 12))), "decade")
            }
            Raw::Weekday(wd) => {
                let a = anchor?;
                if inferred {
                    return None;
                }
                // Past-leaning: the latest such weekday on or before the reference,
                // or the next one when the sentence speaks of the future.
                let back = (7 + a.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64) % 7;
                let day = if self.future { a + Duration::days((7 - back) % 7) } else { a - Duration::days(back) };
                date(day.format("%Y-%m-%d").to_string(), None, Some((day, day)), "day")
            }
            Raw::Relative { unit, offset } => {
                let a = anchor?;
                if inferred {
                    return None;
                }
                match unit {
                    'D' => {
                        let day = a + Duration::days(i64::from(*offset));
                        date(day.format("%Y-%m-%d").to_string(), None, Some((day, day)), "day")
                    }
                    'W' => {
                        let day = a + Duration::weeks(i64::from(*offset));
                        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                        let iso = day.iso_week();
                        date(
                            format!("{:04}-W{:02}", iso.year(), iso.week()),
                            None,
                            Some((monday, monday + Duration::days(6))),
                            "week",
                        )
                    }
                    'p' | 'u' | 'f' | 'w' => {
                        let code = match unit {
                            'p' => "SP",
                            'u' => "SU",
                            'f' => "FA",
                            _ => "WI",
                        };
                        let y = a.year() + offset;
                        let (sm, em) = match code {
                            "SP" => (3, 5),
                            "SU" => (6, 8),
                            "FA" => (9, 11),
                            _ => (12, 12),
                        };
                        let start = NaiveDate::from_ymd_opt(y, sm, 1)?;
                        date(format!("{y:04}-{code}"), None, Some((start, last_day(y, em))), "season")
                    }
                    'M' => {
                        let months = a.year() * 12 + a.month0() as i32 + offset;
                        let (y, m) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
                        date(format!("{y:04}-{m:02}"), None, month_range(y, m, None), "month")
                    }
                    _ => {
                        let y = a.year() + offset;
                        date(format!("{y:04}"), None, year_range(y, None), "year")
                    }
                }
            }
            Raw::MonthRel { m, offset } => {
                let a = anchor?;
                // "last April": the latest April strictly before the reference's month.
                let y = match offset {
                    -1 if *m < a.month() => a.year(),
                    -1 => a.year() - 1,
                    1 if *m > a.month() => a.year(),
                    1 => a.year() + 1,
                    _ => a.year(),
                };
                date(format!("{y:04}-{m:02}"), None, month_range(y, *m, None), "month")
            }
            Raw::Ref(v) => {
                Normalized { kind: "DATE", value: (*v).into(), modifier: None, range: None, precision: "year" }
            }
            Raw::Set(v) => {
                Normalized { kind: "SET", value: (*v).into(), modifier: None, range: None, precision: "day" }
            }
            Raw::Quarter { n, y: Some(y) } => {
                let q = n.unwrap_or(4) as i32 - 1;
                let start = NaiveDate::from_ymd_opt(*y, (q * 3 + 1) as u32, 1)?;
                Normalized {
                    kind: "DATE",
                    value: format!("{y:04}-Q{}", q + 1),
                    modifier: None,
                    range: Some((start, last_day(*y, (q * 3 + 3) as u32))),
                    precision: "quarter",
                }
            }
            Raw::Quarter { n, y: None } => {
                let a = anchor?;
                // A numbered quarter not begun by the reference is last year's; "the
                // quarter" is the latest completed one.
                let current = (a.month0() / 3) as i32;
                let (y, q) = match n {
                    Some(q) => {
                        let q = *q as i32 - 1;
                        if q > current {
                            (a.year() - 1, q)
                        } else {
                            (a.year(), q)
                        }
                    }
                    None => {
                        let prev = a.year() * 4 + current - 1;
                        (prev.div_euclid(4), prev.rem_euclid(4))
                    }
                };
                let start = NaiveDate::from_ymd_opt(y, (q * 3 + 1) as u32, 1)?;
                Normalized {
                    kind: "DATE",
                    value: format!("{y:04}-Q{}", q + 1),
                    modifier: None,
                    range: Some((start, last_day(y, (q * 3 + 3) as u32))),
                    precision: "quarter",
                }
            }
            Raw::Ago { n, unit } => {
                let a = anchor?;
                if inferred {
                    return None;
                }
                let n = *n as i32;
                match *unit {
                    "D" => {
                        let day = a - Duration::days(i64::from(n));
                        date(day.format("%Y-%m-%d").to_string(), None, Some((day, day)), "day")
                    }
                    "W" => {
                        let day = a - Duration::weeks(i64::from(n));
                        date(day.format("%Y-%m-%d").to_string(), None, Some((day, day)), "day")
                    }
                    "M" => {
                        let months = a.year() * 12 + a.month0() as i32 - n;
                        let (y, m) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
                        date(format!("{y:04}-{m:02}"), None, month_range(y, m, None), "month")
                    }
                    "DE" => {
                        let y = a.year() - 10 * n;
                        date(format!("{:03}", y / 10), None, year_range(y, None), "decade")
                    }
                    _ => {
                        let y = a.year() - n;
                        date(format!("{y:04}"), None, year_range(y, None), "year")
                    }
                }
            }
            Raw::Duration { n, unit } => Normalized {
                kind: "DURATION",
                value: match (*unit, n) {
                    ("DE", Some(n)) => format!("P{}Y", n * 10),
                    _ => format!("P{}{}", n.map_or("X".to_string(), |n| n.to_string()), unit),
                },
                modifier: None,
                range: None,
                precision: "day",
            },
        })
    }
}

/// The reference date and how it was found: the published date, else the latest
/// explicit date the text reports as past (never a forecast).
pub fn reference(published: Option<NaiveDate>, mentions: &[TimeMention]) -> Option<(NaiveDate, bool)> {
    if let Some(p) = published {
        return Some((p, false));
    }
    let dated: Vec<NaiveDate> = mentions.iter().filter_map(TimeMention::explicit_past_date).collect();
    let anchor_year = dated.iter().map(|d| d.year()).max()?;
    let anchor = NaiveDate::from_ymd_opt(anchor_year, 1, 1)?;
    // Month-and-day expressions without a year count too, in the anchor year.
    let latest = mentions
        .iter()
        .filter(|m| {
            !m.future && !m.forecast && matches!(m.raw, Raw::Date { .. } | Raw::Month { .. } | Raw::Year { .. })
        })
        .filter_map(|m| m.normalize(Some(anchor), true))
        .filter_map(|n| n.range.map(|r| r.0))
        .filter(|d| d.year() == anchor_year)
        .max()?;
    Some((latest, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str, published: Option<&str>) -> Vec<(String, String, Option<&'static str>)> {
        let tokens = sway_syntax::tokenize(s, Span::new(0, s.len()));
        let ms = find(s, &tokens, 0..tokens.len(), 0);
        let p = published.and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
        let (anchor, inferred) = reference(p, &ms).map_or((None, false), |(a, i)| (Some(a), i));
        ms.iter()
            .filter_map(|m| m.normalize(anchor, inferred).map(|n| (m.span.slice(s).to_string(), n.value, n.modifier)))
            .collect()
    }

    #[test]
    fn explicit_dates() {
        assert_eq!(
            norm("It escalated in January 2020 and again on October 17.", None),
            [("January 2020".into(), "2020-01".into(), None), ("October 17".into(), "2020-10-17".into(), None),]
        );
        assert_eq!(
            norm("In mid-October the group spoke; in early October it met.", Some("2020-11-02")),
            [
                ("mid-October".into(), "2020-10".into(), Some("MID")),
                ("early October".into(), "2020-10".into(), Some("START")),
            ]
        );
        assert_eq!(norm("The deal was signed on 17 October 2019.", None)[0].1, "2019-10-17");
        assert_eq!(norm("Problems date from the 1990s.", None)[0].1, "199");
    }

    #[test]
    fn news_leans_to_the_past() {
        // Published in February: "December" is last December, "Thursday" last Thursday.
        assert_eq!(norm("Talks failed in December.", Some("2021-02-10"))[0].1, "2020-12");
        assert_eq!(norm("Talks failed on Thursday.", Some("2021-02-10"))[0].1, "2021-02-04");
        assert_eq!(norm("Talks failed last week.", Some("2021-02-10"))[0].1, "2021-W05");
        assert_eq!(norm("Talks will resume in March.", Some("2021-02-10"))[0].1, "2021-03");
    }

    #[test]
    fn forecasts_do_not_set_the_reference() {
        let s = "Troops left in September 2020. Elections will come in mid-2021.";
        let tokens = sway_syntax::tokenize(s, Span::new(0, s.len()));
        let sents = sway_syntax::split_sentences(s, &tokens);
        let ms: Vec<TimeMention> = sents.iter().enumerate().flat_map(|(i, r)| find(s, &tokens, r.clone(), i)).collect();
        assert_eq!(reference(None, &ms), NaiveDate::from_ymd_opt(2020, 9, 1).map(|d| (d, true)));
        let n = ms[1].normalize(NaiveDate::from_ymd_opt(2020, 9, 1), true).unwrap();
        assert_eq!((n.value.as_str(), n.modifier), ("2021", Some("MID")));
        assert_eq!(n.range.map(|r| r.0.to_string()), Some("2021-05-01".into()));
    }

    #[test]
    fn durations_and_vague_references() {
        let v = norm(
            "After months of negotiations, and three years of war, it may change in the coming months.",
            Some("2020-01-01"),
        );
        let values: Vec<&str> = v.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(values, ["PXM", "P3Y", "FUTURE_REF"]);
        assert!(norm("She may go.", Some("2020-01-01")).is_empty(), "the modal is no month");
        assert!(norm("It has 5,200 troops and 2020 vehicles.", None).is_empty());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn find_and_normalize_never_panic(
            text in "((January|May|mid-October|early|late|last|next|this|week|month|year|ago|the|third|quarter|of|in|on|Monday|[0-9]{1,4}|,|\\.| ) ){0,25}",
            days in 0i64..60_000,
        ) {
            let tokens = sway_syntax::tokenize(&text, Span::new(0, text.len()));
            let anchor = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
            for m in find(&text, &tokens, 0..tokens.len(), 0) {
                prop_assert!(text.get(m.span.start..m.span.end).is_some());
                for inferred in [false, true] {
                    if let Some(n) = m.normalize(Some(anchor), inferred) {
                        if let Some((a, b)) = n.range {
                            prop_assert!(a <= b, "{:?}", n);
                        }
                    }
                }
            }
        }

        #[test]
        fn month_names_resolve_within_a_year_of_the_reference(m in 1u32..=12, d in 1u32..=28, days in 0i64..60_000) {
            let anchor = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
            let y = year_for(m, d, anchor, false, false);
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            prop_assert!((date - anchor).num_days().abs() <= 366);
            prop_assert!((date - anchor).num_days() <= 62);
        }
    }
}
