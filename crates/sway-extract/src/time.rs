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
/// Words shortly before an expression that put it ahead of the reference: plans,
/// schedules and the future in the past ("would be traveling Thursday").
const PLAN_CUES: &[&str] =
    &["scheduled", "plan", "plans", "planned", "planning", "expected", "would", "intends", "intend", "prepared"];
/// Past forms that end a backward search for a future cue.
const PAST_VERBS: &[&str] = &[
    "said", "was", "were", "had", "did", "told", "met", "came", "went", "took", "made", "began", "left", "held", "won",
    "lost", "sent", "saw", "got", "gave", "ran", "fell", "rose",
];
const DURATION_UNITS: &[(&str, &str)] =
    &[("day", "D"), ("week", "W"), ("month", "M"), ("year", "Y"), ("decade", "DE"), ("hour", "H"), ("minute", "MIN")];
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
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holiday {
    /// The fourth Thursday of November.
    Thanksgiving,
    Christmas,
    /// United States: the Tuesday after the first Monday of November.
    Election,
}

impl Holiday {
    fn in_year(self, y: i32) -> Option<NaiveDate> {
        match self {
            Self::Thanksgiving => NaiveDate::from_weekday_of_month_opt(y, 11, Weekday::Thu, 4),
            Self::Christmas => NaiveDate::from_ymd_opt(y, 12, 25),
            Self::Election => {
                NaiveDate::from_weekday_of_month_opt(y, 11, Weekday::Mon, 1).map(|d| d + Duration::days(1))
            }
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
        md: Option<Mod>,
    },
    /// A century by its first two digits: the 20th century is 19.
    Century {
        c: i32,
    },
    Weekday(Weekday),
    Holiday(Holiday),
    /// "February this year": a month in the reference's year moved by `offset`.
    MonthOfYear {
        m: u32,
        md: Option<Mod>,
        offset: i32,
    },
    /// The year the story last named, moved by `offset`.
    ThatYear {
        offset: i32,
    },
    /// "last Wednesday": strictly before the reference day.
    LastWeekday(Weekday),
    /// The weekend before the reference (0), or the one after it or the last one.
    Weekend {
        offset: i32,
    },
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
    /// A quarter of the year: a numbered one, or the one the document last spoke
    /// of, else the latest completed one; `year_off` moves it from the reference
    /// year ("last year's third quarter"); `current` is the reference's own.
    Quarter {
        n: Option<u32>,
        y: Option<i32>,
        year_off: Option<i32>,
        current: bool,
        /// "the latest quarter": the latest completed one, whatever was said before.
        latest: bool,
    },
    /// A half of the year: 1 or 2.
    Half {
        h: u32,
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
    /// A time of day or part of day on a dated day: "T22:00", "TEV".
    pub clock: Option<String>,
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

/// A count in words or digits ("three", "12"); "a" is not one here.
fn number_word(w: &str) -> Option<u32> {
    NUMBER_WORDS
        .iter()
        .find(|(nw, _)| *nw == w && !matches!(w, "a" | "an"))
        .map(|(_, v)| *v)
        .or_else(|| w.parse::<u32>().ok().filter(|v| *v < 1000))
}

/// A year said in words, as transcripts write it: "nineteen ninety-six" (1996),
/// "nineteen eighty" (1980), "two thousand" (2000). Returns the year and its token count.
fn spoken_year(l: &[String], i: usize) -> Option<(i32, usize)> {
    let tens = |w: &str| -> Option<i32> {
        let (t, u) = w.split_once('-').map_or((w, None), |(a, b)| (a, Some(b)));
        let t = match t {
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "fifty" => 50,
            "sixty" => 60,
            "seventy" => 70,
            "eighty" => 80,
            "ninety" => 90,
            _ => return None,
        };
        let u = match u {
            None => 0,
            Some(u) => NUMBER_WORDS.iter().find(|(n, v)| *n == u && (1..=9).contains(v))?.1 as i32,
        };
        Some(t + u)
    };
    match (l.get(i).map(String::as_str), l.get(i + 1).map(String::as_str)) {
        (Some("nineteen"), Some(w)) => tens(w).map(|t| (1900 + t, 2)),
        (Some("two"), Some("thousand")) => Some((2000, 2)),
        _ => None,
    }
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
        // Future if a future cue stands close before the expression, with no past
        // verb between them ("would appeal the decision announced Wednesday" is past),
        // or just after it.
        let mut future = false;
        for k in (r.start.saturating_sub(8)..r.start).rev() {
            let x = l[k].as_str();
            if FUTURE_CUES.contains(&x)
                || PLAN_CUES.contains(&x)
                || (matches!(x, "set" | "is" | "are") && l.get(k + 1).is_some_and(|y| y == "to"))
                || (matches!(x, "early" | "soon") && l.get(k + 1).is_some_and(|y| y == "as"))
            {
                future = true;
                break;
            }
            if PAST_VERBS.contains(&x) || (x.len() > 4 && x.ends_with("ed")) {
                break;
            }
        }
        let possessive = l.get(r.end).is_some_and(|x| x == "'s");
        future = !possessive
            && (future
                || l[r.end.min(l.len())..(r.end + 3).min(l.len())].iter().any(|x| FUTURE_CUES.contains(&x.as_str())));
        out.push(TimeMention {
            span,
            tokens: sentence.start + r.start..sentence.start + r.end,
            sentence: index,
            future,
            forecast,
            clock: None,
            raw,
        });
    };
    let mut i = 0;
    while i < w.len() {
        let at = |k: usize| w.get(k).copied().unwrap_or("");
        // Vague references and recurring periods.
        let vague = match l[i].as_str() {
            "now" | "currently" | "nowadays" | "presently" => Some(Raw::Ref("PRESENT_REF")),
            "recently" | "formerly" | "lately" => Some(Raw::Ref("PAST_REF")),
            // "the future", "the near future", not "future plans".
            "future"
                if i > 0
                    && matches!(l[i - 1].as_str(), "the" | "near" | "distant")
                    && l.get(i + 1).is_none_or(|x| {
                        !x.chars().next().is_some_and(char::is_alphabetic)
                            || matches!(x.as_str(), "and" | "or" | "is" | "was" | "will" | "as")
                    }) =>
            {
                Some(Raw::Ref("FUTURE_REF"))
            }
            "daily" => Some(Raw::Set("P1D")),
            "weekly" => Some(Raw::Set("P1W")),
            "monthly" => Some(Raw::Set("P1M")),
            "annually" | "yearly" => Some(Raw::Set("P1Y")),
            _ => None,
        };
        if let Some(raw) = vague {
            // "the future" takes its article.
            let start = if i > 0 && l[i - 1] == "the" && l[i] == "future" {
                i - 1
            } else if i > 1 && l[i - 1] == "near" && l[i - 2] == "the" {
                i - 2
            } else {
                i
            };
            push(start..i + 1, raw, &mut out);
            i += 1;
            continue;
        }
        // "recent weeks" is a stretch of time just past; "recent years" a past reference.
        if l[i] == "recent" {
            let raw = match l.get(i + 1).map(String::as_str) {
                Some("days") => Some(Raw::Duration { n: None, unit: "D" }),
                Some("weeks") => Some(Raw::Duration { n: None, unit: "W" }),
                Some("months" | "quarters") => Some(Raw::Duration { n: None, unit: "M" }),
                Some("years" | "decades") => Some(Raw::Ref("PAST_REF")),
                _ => None,
            };
            if let Some(raw) = raw {
                push(i..i + 2, raw, &mut out);
                i += 2;
                continue;
            }
        }
        // "the past year", "the last few months", "the next three quarters", "the past decade"
        if matches!(l[i].as_str(), "the" | "past")
            && (l[i] == "past"
                || matches!(l.get(i + 1).map(String::as_str), Some("past" | "last" | "next" | "previous" | "coming")))
        {
            let mut k = if l[i] == "the" { i + 2 } else { i + 1 };
            let mut n = None;
            if matches!(l.get(k).map(String::as_str), Some("few" | "several")) {
                k += 1;
            } else if l.get(k).is_some_and(|x| x == "couple") && l.get(k + 1).is_some_and(|x| x == "of") {
                k += 2;
            } else if let Some(v) = l.get(k).and_then(|x| number_word(x)) {
                n = Some(v);
                k += 1;
            }
            let unit = l.get(k).and_then(|u| {
                let u = u.strip_suffix('s').unwrap_or(u);
                if u == "quarter" {
                    return Some("Q");
                }
                DURATION_UNITS.iter().find(|(x, _)| *x == u).map(|(_, c)| *c)
            });
            let counted = n.is_some() || k > i + 2 || l[i] == "past" || l.get(i + 1).is_some_and(|x| x == "past");
            if let (Some(unit), true) = (unit, counted) {
                let plural = l[k].ends_with('s');
                let n = if plural { n } else { Some(n.unwrap_or(1)) };
                push(i..k + 1, Raw::Duration { n, unit }, &mut out);
                i = k + 1;
                continue;
            }
        }
        if l[i] == "the"
            && l.get(i + 1).is_some_and(|x| x == "past")
            && (l.get(i + 2).is_none_or(|x| !x.chars().next().is_some_and(|c| c.is_alphanumeric()))
                || (i > 0 && l[i - 1] == "in"))
        {
            push(i..i + 2, Raw::Ref("PAST_REF"), &mut out);
            i += 2;
            continue;
        }
        // Quarters: "the third quarter", "third-quarter", "the latest quarter", "the 1988
        // third quarter", "this year's third quarter", "the year-ago quarter".
        {
            let ord = |x: &str| match x {
                "first" => Some(Some(1)),
                "second" => Some(Some(2)),
                "third" => Some(Some(3)),
                "fourth" => Some(Some(4)),
                "latest" | "last" | "year-ago" | "year-earlier" | "current" => Some(None),
                _ => None,
            };
            let mut start = if l[i] == "the" { i + 1 } else { i };
            // A year before the ordinal: stated, or relative to the reference.
            let mut y = None;
            let mut year_off = None;
            if let Some(v) = year_of(at(start))
                .filter(|_| l.get(start + 1).is_some_and(|x| ord(x).is_some() || x == "quarter" || x == "period"))
            {
                y = Some(v);
                start += 1;
            } else if matches!(l.get(start).map(String::as_str), Some("this" | "last" | "next"))
                && l.get(start + 1).is_some_and(|x| x == "year")
                && l.get(start + 2).is_some_and(|x| x == "'s")
            {
                year_off = Some(match l[start].as_str() {
                    "last" => -1,
                    "next" => 1,
                    _ => 0,
                });
                start += 3;
            }
            let current = l.get(start).is_some_and(|x| x == "current");
            if l.get(start).is_some_and(|x| x == "year-ago" || x == "year-earlier") {
                year_off = Some(-1);
                if l.get(start + 1).is_some_and(|x| ord(x).is_some_and(|n| n.is_some())) {
                    start += 1;
                }
            }
            let hyph = l
                .get(start)
                .and_then(|x| x.split_once('-'))
                .and_then(|(a, b)| (b == "quarter").then(|| ord(a)).flatten());
            let latest = l.get(start).is_some_and(|x| x == "latest" || x == "last");
            let q = |n, y, _end: usize| Raw::Quarter { n, y, year_off, current, latest };
            if let Some(n) = hyph {
                push(i..start + 1, q(n, y, start + 1), &mut out);
                i = start + 1;
                continue;
            }
            let bare =
                (l[i] == "the" || y.is_some() || year_off.is_some()) && l.get(start).is_some_and(|x| x == "quarter");
            // "the latest period", "the year-ago period": quarters in earnings reports.
            let period = l[i] == "the"
                && (latest || year_off.is_some() || y.is_some())
                && l.get(start + usize::from(latest || l[start].starts_with("year-"))).is_some_and(|x| x == "period");
            if period {
                let end = start + 1 + usize::from(latest || l[start].starts_with("year-"));
                push(i..end, Raw::Quarter { n: None, y, year_off, current: false, latest }, &mut out);
                i = end;
                continue;
            }
            if matches!(l[i].as_str(), "this" | "that") && l.get(i + 1).is_some_and(|x| x == "quarter") {
                push(
                    i..i + 2,
                    Raw::Quarter { n: None, y: None, year_off: None, current: false, latest: false },
                    &mut out,
                );
                i += 2;
                continue;
            }
            let numbered = (l.get(start).and_then(|x| ord(x)), l.get(start + 1).map(String::as_str));
            if let (Some(n), Some("quarter")) = numbered {
                // "the third quarter of 1990"
                let of = (l.get(start + 2).is_some_and(|x| x == "of")).then(|| year_of(at(start + 3))).flatten();
                let end = if of.is_some() { start + 4 } else { start + 2 };
                push(i..end, q(n, of.or(y), end), &mut out);
                i = end;
                continue;
            }
            if bare {
                push(i..start + 1, q(None, y, 0), &mut out);
                i = start + 1;
                continue;
            }
            // Halves: "the first half of 1990", "the second half", "the last half of 1989".
            let hs = if matches!(l[i].as_str(), "the" | "a") { i + 1 } else { i };
            let half = match l.get(hs).map(String::as_str) {
                Some("first") => Some(1),
                Some("second" | "last" | "latter") => Some(2),
                _ => None,
            };
            let of = (l.get(hs + 2).is_some_and(|x| x == "of")).then(|| year_of(at(hs + 3))).flatten();
            if let (Some(h), true, true) =
                (half, l[i] == "the" || of.is_some(), l.get(hs + 1).is_some_and(|x| x == "half"))
            {
                let end = if of.is_some() { hs + 4 } else { hs + 2 };
                push(i..end, Raw::Half { h, y: of }, &mut out);
                i = end;
                continue;
            }
            // "the current year", "the current fiscal year"
            if l[i] == "the" && current {
                let k = if l.get(start + 1).is_some_and(|x| x == "fiscal") { start + 2 } else { start + 1 };
                let unit = match l.get(k).map(String::as_str) {
                    Some("year") => Some('Y'),
                    Some("month") => Some('M'),
                    Some("week") => Some('W'),
                    _ => None,
                };
                if let Some(unit) = unit {
                    push(i..k + 1, Raw::Relative { unit, offset: 0 }, &mut out);
                    i = k + 1;
                    continue;
                }
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
                            | "for"
                    ))
                || (!ambiguous && matches!(at(j + 1), "'s"))
                || (!ambiguous
                    && matches!(prev, "the" | "a" | "an")
                    && at(j + 1).chars().next().is_some_and(char::is_lowercase))
                || (ambiguous && matches!(prev, "in" | "during" | "since" | "until"))
            {
                let end = match y {
                    Some(_) if at(j + 1) == "," => j + 3,
                    Some(_) => j + 2,
                    None => j + 1,
                };
                // "February this year", "April next year"
                let rel_year = match (y, l.get(end).map(String::as_str), l.get(end + 1).map(String::as_str)) {
                    (None, Some("this"), Some("year")) => Some(0),
                    (None, Some("last"), Some("year")) => Some(-1),
                    (None, Some("next"), Some("year")) => Some(1),
                    _ => None,
                };
                if let Some(off) = rel_year {
                    push(i..end + 2, Raw::MonthOfYear { m, md, offset: off }, &mut out);
                    i = end + 2;
                    continue;
                }
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
        // Years said in words: "in nineteen ninety-six", "January nineteen ninety-seven",
        // "the year two thousand".
        {
            let (k, month) = match month_of(w[i]).filter(|_| w[i].chars().next().is_some_and(char::is_uppercase)) {
                Some(m) => (i + 1, Some(m)),
                None => (i, None),
            };
            let start = if month.is_none() && i >= 2 && l[i - 1] == "year" && l[i - 2] == "the" { i - 2 } else { i };
            if let Some((y, n)) = spoken_year(&l, k) {
                if l[i] != "two" || start < i {
                    let raw = match month {
                        Some(m) => Raw::Month { y: Some(y), m, md: None },
                        None => Raw::Year { y, md: None },
                    };
                    push(start..k + n, raw, &mut out);
                    i = k + n;
                    continue;
                }
            }
        }
        // Older years only after a preposition of time: "in 1898", "since 1776".
        if matches!(if i > 0 { l[i - 1].as_str() } else { "" }, "in" | "since" | "until" | "from")
            && w[i].len() == 4
            && w[i].bytes().all(|b| b.is_ascii_digit())
            && !l.get(i + 1).is_some_and(|x| x.chars().next().is_some_and(char::is_alphabetic))
        {
            if let Some(y) = w[i].parse::<i32>().ok().filter(|y| (1000..1900).contains(y)) {
                push(i..i + 1, Raw::Year { y, md: None }, &mut out);
                i += 1;
                continue;
            }
        }
        // Years: "in 2019", "late 2019"; decades: "the 1990s"
        if let Some(y) = year_of(w[j]) {
            let prev = if i > 0 { l[i - 1].as_str() } else { "" };
            let next = l.get(j + 1).map_or("", String::as_str);
            let standalone = next.is_empty() || matches!(next, "." | "," | ";" | ":" | ")" | "'s" | "and" | "to");
            let attributive =
                matches!(prev, "the" | "a" | "an" | "its" | "his" | "her" | "their" | "our" | "'s" | "this" | "that");
            if md.is_some()
                || YEAR_CUES.contains(&prev)
                || prev == "fiscal"
                || (attributive && next.chars().next().is_some_and(char::is_alphabetic))
                || (standalone && !matches!(prev, "$" | "#" | "no" | "number"))
            {
                push(i..j + 1, Raw::Year { y, md }, &mut out);
                i = j + 1;
                continue;
            }
        }
        // "the mid-1990s", "the early 1980s" (the modifier as its own word is `md`)
        if let Some((pre, rest)) = w[i].split_once('-') {
            if let (Some(m), true) = (modifier(pre), rest.len() == 5 && rest.ends_with('s')) {
                if let Some(y) = year_of(&rest[..4]).filter(|y| y % 10 == 0) {
                    push(i..i + 1, Raw::Decade { d: y / 10, md: Some(m) }, &mut out);
                    i += 1;
                    continue;
                }
            }
        }
        // "the nineties", "the eighties": the century is the reference's.
        if l[i] == "the" {
            let d = match l.get(i + 1).map(String::as_str) {
                Some("twenties") => Some(2),
                Some("thirties") => Some(3),
                Some("forties") => Some(4),
                Some("fifties") => Some(5),
                Some("sixties") => Some(6),
                Some("seventies") => Some(7),
                Some("eighties") => Some(8),
                Some("nineties") => Some(9),
                _ => None,
            };
            if let Some(d) = d {
                push(i..i + 2, Raw::Decade { d: 190 + d, md: None }, &mut out);
                i += 2;
                continue;
            }
        }
        // "the 20th century", "the 11th century"
        if let (Some(n), Some("century")) = (
            w[i].strip_suffix("th")
                .or_else(|| w[i].strip_suffix("st"))
                .and_then(|x| x.parse::<i32>().ok())
                .filter(|n| (1..=21).contains(n)),
            l.get(i + 1).map(String::as_str),
        ) {
            push(i..i + 2, Raw::Century { c: n - 1 }, &mut out);
            i += 2;
            continue;
        }
        if w[i].len() == 5 && w[i].ends_with('s') && year_of(&w[i][..4]).is_some_and(|y| y % 10 == 0) {
            push(i..i + 1, Raw::Decade { d: year_of(&w[i][..4]).unwrap_or(0) / 10, md }, &mut out);
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
        // Fixed and counted holidays: the latest one before the reference.
        {
            let k = if l[i] == "last" { i + 1 } else { i };
            let holiday = match (l.get(k).map(String::as_str), l.get(k + 1).map(String::as_str)) {
                (Some("thanksgiving"), Some("day")) => Some((Holiday::Thanksgiving, k + 2)),
                (Some("thanksgiving"), _) => Some((Holiday::Thanksgiving, k + 1)),
                (Some("christmas"), Some("day" | "eve")) if l[k + 1] == "day" => Some((Holiday::Christmas, k + 2)),
                (Some("christmas"), _) => Some((Holiday::Christmas, k + 1)),
                (Some("election"), Some("day")) => Some((Holiday::Election, k + 2)),
                _ => None,
            };
            if let Some((h, end)) = holiday.filter(|_| at(k).chars().next().is_some_and(char::is_uppercase)) {
                push(i..end, Raw::Holiday(h), &mut out);
                i = end;
                continue;
            }
        }
        // "that year", "later that year", "the following year", "the previous year":
        // anaphora to the year the story last named.
        {
            let (offset, len) =
                match (l[i].as_str(), l.get(i + 1).map(String::as_str), l.get(i + 2).map(String::as_str)) {
                    ("that", Some("year"), _) => (Some(0), 2),
                    ("the", Some("following" | "next"), Some("year"))
                        if i > 0 && !matches!(l[i - 1].as_str(), "in" | "over" | "within" | "during") =>
                    {
                        (Some(1), 3)
                    }
                    ("the", Some("previous" | "preceding"), Some("year")) => (Some(-1), 3),
                    _ => (None, 0),
                };
            if let Some(offset) = offset {
                let start = if i > 0 && matches!(l[i - 1].as_str(), "later" | "earlier") { i - 1 } else { i };
                push(start..i + len, Raw::ThatYear { offset }, &mut out);
                i += len;
                continue;
            }
        }
        // "the weekend", "this weekend", "last weekend"
        if matches!(l[i].as_str(), "the" | "this" | "last" | "next") && l.get(i + 1).is_some_and(|x| x == "weekend") {
            let offset = match l[i].as_str() {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            push(i..i + 2, Raw::Weekend { offset }, &mut out);
            i += 2;
            continue;
        }
        // "for the year", "the fiscal year": the reference's year; "the year ended
        // Sept. 30" a year's stretch.
        if l[i] == "the" {
            let k = if l.get(i + 1).is_some_and(|x| x == "fiscal" || x == "full") { i + 2 } else { i + 1 };
            if l.get(k).is_some_and(|x| x == "year")
                && !l.get(k + 1).is_some_and(|x| x == "'s" || x == "before" || x == "after")
                && spoken_year(&l, k + 1).is_none()
            {
                let stretch = l.get(k + 1).is_some_and(|x| matches!(x.as_str(), "ended" | "ending" | "ends" | "to"));
                let raw = if stretch {
                    Raw::Duration { n: Some(1), unit: "Y" }
                } else {
                    Raw::Relative { unit: 'Y', offset: 0 }
                };
                push(i..k + 1, raw, &mut out);
                i = k + 1;
                continue;
            }
        }
        // "year-earlier profit": the same period a year before.
        if matches!(l[i].as_str(), "year-earlier" | "year-ago") {
            push(i..i + 1, Raw::Ago { n: 1, unit: "Y" }, &mut out);
            i += 1;
            continue;
        }
        // "every day", "each year": recurring periods.
        if matches!(l[i].as_str(), "every" | "each") {
            let set = match l.get(i + 1).map(String::as_str) {
                Some("day") => Some("P1D"),
                Some("week") => Some("P1W"),
                Some("month") => Some("P1M"),
                Some("year") => Some("P1Y"),
                Some("quarter") => Some("P1Q"),
                _ => None,
            };
            if let Some(v) = set {
                push(i..i + 2, Raw::Set(v), &mut out);
                i += 2;
                continue;
            }
        }
        // "within weeks", "for years": an unknown number of units.
        if matches!(l[i].as_str(), "within" | "for" | "in" | "over")
            && matches!(
                l.get(i + 1).map(String::as_str),
                Some("days" | "weeks" | "months" | "years" | "decades" | "hours")
            )
            && !l.get(i + 2).is_some_and(|x| x == "of" || x == "ago" || x == "to")
        {
            if let Some((_, unit)) = DURATION_UNITS.iter().find(|(u, _)| l[i + 1].strip_suffix('s') == Some(u)) {
                push(i + 1..i + 2, Raw::Duration { n: None, unit }, &mut out);
                i += 2;
                continue;
            }
        }
        // Weekdays: "on Thursday"
        if let Some((_, wd)) = WEEKDAYS.iter().find(|(n, _)| *n == l[i]) {
            // "Monday, Oct. 26": the date says which Monday.
            let k = if at(i + 1) == "," { i + 2 } else { i + 1 };
            if let (Some(m), Some(d)) = (month_of(at(k)), day_of(at(k + 1))) {
                if at(k).chars().next().is_some_and(char::is_uppercase) {
                    let (y, end) = match (at(k + 2), year_of(at(k + 3))) {
                        (",", Some(y)) => (Some(y), k + 4),
                        _ => (year_of(at(k + 2)), if year_of(at(k + 2)).is_some() { k + 3 } else { k + 2 }),
                    };
                    push(i..end, Raw::Date { y, m, d }, &mut out);
                    i = end;
                    continue;
                }
            }
            if i > 0 && l[i - 1] == "last" {
                push(i - 1..i + 1, Raw::LastWeekday(*wd), &mut out);
            } else {
                push(i..i + 1, Raw::Weekday(*wd), &mut out);
            }
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
        // "tonight", "this morning", "last night"
        let part = match (l[i].as_str(), l.get(i + 1).map(String::as_str)) {
            ("tonight", _) => Some((i + 1, 0, "TNI")),
            ("this", Some(p @ ("morning" | "afternoon" | "evening"))) => part_of_day(p).map(|c| (i + 2, 0, c)),
            ("last", Some("night")) => Some((i + 2, -1, "TNI")),
            _ => None,
        };
        if let Some((end, offset, clock)) = part {
            push(i..end, Raw::Relative { unit: 'D', offset }, &mut out);
            if let Some(m) = out.last_mut() {
                m.clock = Some(clock.to_string());
            }
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
        if matches!(l[i].as_str(), "few" | "several") && unit_at(i + 1).is_some() && l[i + 1].ends_with('s') {
            let start = if i > 0 && l[i - 1] == "a" { i - 1 } else { i };
            let unit = unit_at(i + 1).unwrap_or("D");
            if l.get(i + 2).is_some_and(|x| x == "ago") {
                push(start..i + 3, Raw::Ref("PAST_REF"), &mut out);
                i += 3;
            } else {
                push(start..i + 2, Raw::Duration { n: None, unit }, &mut out);
                i += 2;
            }
            continue;
        }
        let more = usize::from(n.is_some() && l.get(i + 1).is_some_and(|x| x == "more") && unit_at(i + 2).is_some());
        if let (Some(n), Some(unit), 1) = (n, unit_at(i + 2), more) {
            push(i..i + 3, Raw::Duration { n: Some(n), unit }, &mut out);
            i += 3;
            continue;
        }
        if let (Some(n), Some(unit)) = (n, unit_at(i + 1)) {
            if n != 1 || matches!(l[i].as_str(), "a" | "an" | "one" | "1") {
                // "$1.76 a year", "four flights a week": a rate, not a stretch of time.
                let rate = matches!(l[i].as_str(), "a" | "an")
                    && i > 0
                    && !matches!(
                        l[i - 1].as_str(),
                        "in" | "within"
                            | "for"
                            | "about"
                            | "over"
                            | "after"
                            | "than"
                            | "nearly"
                            | "almost"
                            | "only"
                            | "just"
                            | "around"
                            | "roughly"
                            | "under"
                            | "of"
                            | "half"
                            | "least"
                            | "once"
                            | "barely"
                            | "some"
                            | "take"
                            | "takes"
                            | "took"
                            | "last"
                            | "lasted"
                            | "spent"
                    )
                    && !l.get(i + 2).is_some_and(|x| x == "ago" || x == "earlier" || x == "later");
                // "52 years old" is an age.
                let age = l.get(i + 2).is_some_and(|x| x == "old");
                if rate || age {
                    i += 2;
                    continue;
                }
                if l.get(i + 2).is_some_and(|x| x == "ago" || x == "earlier") && !matches!(unit, "H" | "MIN") {
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
    for m in &mut out {
        if matches!(m.raw, Raw::Date { .. } | Raw::Weekday(_) | Raw::LastWeekday(_) | Raw::Relative { unit: 'D', .. })
            && m.clock.is_none()
        {
            clock_of_day(m, &l, toks, sentence.start);
        }
    }
    out
}

fn part_of_day(w: &str) -> Option<&'static str> {
    match w {
        "morning" | "mid-morning" => Some("TMO"),
        "afternoon" | "mid-afternoon" => Some("TAF"),
        "evening" => Some("TEV"),
        "night" | "overnight" => Some("TNI"),
        _ => None,
    }
}

/// Widen a day to the time of day around it: "10 p.m. Wednesday", "noon Thursday",
/// "Friday evening", "5 p.m. EST Nov. 9".
fn clock_of_day(m: &mut TimeMention, l: &[String], toks: &[Token], offset: usize) {
    let (mut a, mut b) = (m.tokens.start - offset, m.tokens.end - offset);
    if let Some(p) = l.get(b).and_then(|x| part_of_day(x)) {
        m.clock = Some(p.into());
        b += 1;
    } else if a > 0 {
        let mut k = a;
        if k > 0 && l[k - 1] == "," {
            k -= 1;
        }
        if k > 0 && matches!(l[k - 1].as_str(), "est" | "edt" | "gmt" | "utc" | "pst" | "pdt" | "cst" | "cdt" | "et") {
            k -= 1;
        }
        if k > 0 && l[k - 1] == "on" {
            k -= 1;
        }
        let before = |j: usize| if j > 0 { l.get(j - 1).map(String::as_str) } else { None };
        match before(k) {
            Some("noon") => {
                m.clock = Some("T12:00".into());
                a = k - 1;
            }
            Some("midnight") => {
                m.clock = Some("T24:00".into());
                a = k - 1;
            }
            Some(w) if part_of_day(w).is_some() && w.starts_with("mid-") => {
                m.clock = part_of_day(w).map(str::to_string);
                a = k - 1;
            }
            Some(ap @ ("a.m." | "p.m." | "am" | "pm")) if k >= 2 => {
                let (h, min) = match l[k - 2].split_once(':') {
                    Some((h, mm)) => (h.parse::<u32>().ok(), mm.parse::<u32>().ok()),
                    None => (l[k - 2].parse::<u32>().ok(), Some(0)),
                };
                if let (Some(h), Some(min)) = (h.filter(|h| (1..=12).contains(h)), min.filter(|x| *x < 60)) {
                    let h = match (ap.starts_with('p'), h) {
                        (true, 12) => 12,
                        (true, h) => h + 12,
                        (false, 12) => 0,
                        (false, h) => h,
                    };
                    m.clock = Some(format!("T{h:02}:{min:02}"));
                    a = k - 2;
                }
            }
            _ => {}
        }
    }
    if (a, b) != (m.tokens.start - offset, m.tokens.end - offset) {
        m.span = Span::new(toks[a].span.start, toks[b - 1].span.end);
        m.tokens = offset + a..offset + b;
    }
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
        self.normalize_in(anchor, inferred, None, None)
    }

    /// Normalize with the quarter (year, 0-based quarter) and the year the document
    /// last named.
    fn normalize_in(
        &self,
        anchor: Option<NaiveDate>,
        inferred: bool,
        context: Option<(i32, i32)>,
        story_year: Option<i32>,
    ) -> Option<Normalized> {
        let date = |value: String, md: Option<Mod>, range: Option<(NaiveDate, NaiveDate)>, precision| Normalized {
            kind: "DATE",
            value,
            modifier: md.map(Mod::timex),
            range,
            precision,
        };
        let n = match &self.raw {
            // "a year ago" in a story about a quarter is that quarter a year before.
            Raw::Ago { n: 1, unit: "Y" } if context.is_some() && !inferred && anchor.is_some() => {
                let (cy, cq) = context?;
                quarter(cy - 1, cq)?
            }
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
            Raw::Decade { d, md } => {
                let (a, b) = match md {
                    None => (0, 9),
                    Some(Mod::Start) => (0, 3),
                    Some(Mod::Mid) => (3, 6),
                    Some(Mod::End) => (6, 9),
                };
                let start = NaiveDate::from_ymd_opt(d * 10 + a, 1, 1)?;
                date(format!("{d:03}"), *md, Some((start, last_day(d * 10 + b, 12))), "decade")
            }
            Raw::Century { c } => {
                let start = NaiveDate::from_ymd_opt(c * 100, 1, 1)?;
                date(format!("{c:02}"), None, Some((start, last_day(c * 100 + 99, 12))), "century")
            }
            Raw::Weekday(wd) => {
                let a = anchor?;
                if inferred {
                    return None;
                }
                // Past-leaning: the latest such weekday on or before the reference,
                // or the next one when the sentence speaks of the future.
                let back = days_back(a, *wd);
                let day = if self.future { a + Duration::days((7 - back) % 7) } else { a - Duration::days(back) };
                date(day.format("%Y-%m-%d").to_string(), None, Some((day, day)), "day")
            }
            Raw::LastWeekday(wd) => {
                let a = anchor?;
                if inferred {
                    return None;
                }
                let back = days_back(a, *wd);
                let day = a - Duration::days(if back == 0 { 7 } else { back });
                date(day.format("%Y-%m-%d").to_string(), None, Some((day, day)), "day")
            }
            Raw::MonthOfYear { m, md, offset } => {
                let y = anchor?.year() + offset;
                date(format!("{y:04}-{m:02}"), *md, month_range(y, *m, *md), "month")
            }
            Raw::ThatYear { offset } => {
                let y = story_year? + offset;
                date(format!("{y:04}"), None, year_range(y, None), "year")
            }
            Raw::Holiday(h) => {
                let a = anchor?;
                // The latest one on or before the reference, or the next when looking ahead.
                let this = h.in_year(a.year())?;
                let day = match (self.future, this <= a) {
                    (false, true) | (true, false) => this,
                    (false, false) => h.in_year(a.year() - 1)?,
                    (true, true) if this == a => this,
                    (true, true) => h.in_year(a.year() + 1)?,
                };
                date(day.format("%Y-%m-%d").to_string(), None, Some((day, day)), "day")
            }
            Raw::Weekend { offset } => {
                let a = anchor?;
                if inferred {
                    return None;
                }
                // "the weekend" in news is the latest one, or the coming one when the
                // sentence looks ahead.
                let back = (a.weekday().num_days_from_monday() as i64 + 2) % 7;
                let latest_sat = a - Duration::days(back);
                let sat = match (*offset, self.future) {
                    (1, _) | (0, true) => latest_sat + Duration::weeks(1),
                    (-1, _) if back < 2 => latest_sat - Duration::weeks(1),
                    _ => latest_sat,
                };
                let iso = sat.iso_week();
                date(
                    format!("{:04}-W{:02}-WE", iso.year(), iso.week()),
                    None,
                    Some((sat, sat + Duration::days(1))),
                    "week",
                )
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
            Raw::Quarter { n, y, year_off, current, latest } => {
                let context = if *latest { None } else { context };
                let a = anchor;
                let (y, q) = match (n, y) {
                    (Some(q), Some(y)) => (*y, *q as i32 - 1),
                    (None, Some(y)) => (*y, context.map_or(3, |c| c.1)),
                    _ => {
                        let a = a?;
                        let current_q = (a.month0() / 3) as i32;
                        match (n, year_off) {
                            (Some(q), Some(off)) => (a.year() + off, *q as i32 - 1),
                            // A numbered quarter not begun by the reference is last year's.
                            (Some(q), None) if (*q as i32 - 1) > current_q => (a.year() - 1, *q as i32 - 1),
                            (Some(q), None) => (a.year(), *q as i32 - 1),
                            (None, _) if *current => (a.year(), current_q),
                            // "the quarter": the one the document last named, else the
                            // latest completed one; "last year's quarter" a year before it.
                            (None, off) => {
                                let (cy, cq) = context.unwrap_or_else(|| {
                                    let prev = a.year() * 4 + current_q - 1;
                                    (prev.div_euclid(4), prev.rem_euclid(4))
                                });
                                (cy + off.unwrap_or(0), cq)
                            }
                        }
                    }
                };
                quarter(y, q)?
            }
            Raw::Half { h, y } => {
                let y = y.or(anchor.map(|a| a.year()))?;
                let (a, b) = if *h == 1 { (1, 6) } else { (7, 12) };
                let start = NaiveDate::from_ymd_opt(y, a, 1)?;
                Normalized {
                    kind: "DATE",
                    value: format!("{y:04}-H{h}"),
                    modifier: None,
                    range: Some((start, last_day(y, b))),
                    precision: "half",
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
                        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                        let iso = day.iso_week();
                        date(
                            format!("{:04}-W{:02}", iso.year(), iso.week()),
                            None,
                            Some((monday, monday + Duration::days(6))),
                            "week",
                        )
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
                    ("H", n) => format!("PT{}H", n.map_or("X".to_string(), |n| n.to_string())),
                    ("MIN", n) => format!("PT{}M", n.map_or("X".to_string(), |n| n.to_string())),
                    _ => format!("P{}{}", n.map_or("X".to_string(), |n| n.to_string()), unit),
                },
                modifier: None,
                range: None,
                precision: "day",
            },
        };
        // A time of day belongs only on a day.
        Some(match (&self.clock, n.precision) {
            (Some(c), "day") if n.kind == "DATE" => Normalized { value: format!("{}{c}", n.value), ..n },
            _ => n,
        })
    }
}

/// Days from the latest `wd` on or before `a` to `a` (0 when `a` is one).
fn days_back(a: NaiveDate, wd: Weekday) -> i64 {
    (7 + i64::from(a.weekday().num_days_from_monday()) - i64::from(wd.num_days_from_monday())) % 7
}

fn quarter(y: i32, q: i32) -> Option<Normalized> {
    let start = NaiveDate::from_ymd_opt(y, (q * 3 + 1) as u32, 1)?;
    Some(Normalized {
        kind: "DATE",
        value: format!("{y:04}-Q{}", q + 1),
        modifier: None,
        range: Some((start, last_day(y, (q * 3 + 3) as u32))),
        precision: "quarter",
    })
}

/// How many sentences after a named quarter "a year earlier" still means that quarter
/// a year before (tuned on TempEval-3 development data).
const QUARTER_REACH: usize = 2;

/// Normalize a document's expressions in order, so that "the quarter" and "a year
/// earlier" in an earnings story resolve against the quarter it last named (within
/// the two sentences before).
pub fn normalize_all(mentions: &[TimeMention], anchor: Option<NaiveDate>, inferred: bool) -> Vec<Option<Normalized>> {
    let mut last: Option<(usize, i32, i32)> = None;
    let mut story_year = None;
    mentions
        .iter()
        .map(|m| {
            let context = last.filter(|(s, ..)| m.sentence <= s + QUARTER_REACH).map(|(_, y, q)| (y, q));
            let n = m.normalize_in(anchor, inferred, context, story_year);
            if let Raw::Date { y: Some(y), .. } | Raw::Month { y: Some(y), .. } | Raw::Year { y, .. } = &m.raw {
                story_year = Some(*y);
            }
            // Only the story's own quarter sets the context, not the year-ago one it is
            // compared with.
            let own = match &m.raw {
                Raw::Quarter { y, year_off: None, .. } => y.is_none() || *y == anchor.map(|a| a.year()),
                _ => false,
            };
            if let (Some(n), true) = (&n, own) {
                if let Some((y, q)) = n.value.split_once("-Q") {
                    if let (Ok(y), Ok(q)) = (y.parse::<i32>(), q.parse::<i32>()) {
                        last = Some((m.sentence, y, q - 1));
                    }
                }
            }
            n
        })
        .collect()
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

    /// Normalize a whole text, sentence by sentence, with document context.
    fn norm_doc(s: &str, published: &str) -> Vec<(String, String)> {
        let tokens = sway_syntax::tokenize(s, Span::new(0, s.len()));
        let sents = sway_syntax::split_sentences(s, &tokens);
        let ms: Vec<TimeMention> = sents.iter().enumerate().flat_map(|(i, r)| find(s, &tokens, r.clone(), i)).collect();
        let p = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
        normalize_all(&ms, p, false)
            .into_iter()
            .zip(&ms)
            .filter_map(|(n, m)| n.map(|n| (m.span.slice(s).to_string(), n.value)))
            .collect()
    }

    #[test]
    fn times_of_day_and_named_days() {
        let v = norm_doc(
            "Talks ended at 10 p.m. Wednesday. They resume at noon Saturday, April 25. Troops left Friday evening.",
            "1998-04-24",
        );
        assert_eq!(
            v,
            [
                ("10 p.m. Wednesday".into(), "1998-04-22T22:00".into()),
                ("noon Saturday, April 25".into(), "1998-04-25T12:00".into()),
                ("Friday evening".into(), "1998-04-24TEV".into()),
            ]
        );
        // A plan looks ahead; a past verb in between does not.
        assert_eq!(norm_doc("The vote is scheduled for Monday.", "2020-10-14")[0].1, "2020-10-19");
        assert_eq!(norm_doc("They would appeal the ruling announced Monday.", "2020-10-14")[0].1, "2020-10-12");
        assert_eq!(norm_doc("It happened last Wednesday.", "2020-10-14")[0].1, "2020-10-07");
        assert_eq!(norm_doc("He was found on Thanksgiving Day.", "2000-01-06")[0].1, "1999-11-25");
        assert_eq!(norm_doc("They met over the weekend.", "2020-10-14")[0].1, "2020-W41-WE");
    }

    #[test]
    fn quarters_follow_the_story() {
        let v = norm_doc(
            "Net income rose in the third quarter. It was $5 million a year earlier. Sales in the quarter \
             rose, and the year-ago fourth quarter was weak. The latest period was strong. The company \
             expects a better first half of 1990.",
            "1989-11-02",
        );
        let values: Vec<&str> = v.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(values, ["1989-Q3", "1988-Q3", "1989-Q3", "1988-Q4", "1989-Q3", "1990-H1"]);
        assert_eq!(norm_doc("Profit rose in this year's second quarter.", "1989-11-02")[0].1, "1989-Q2");
        assert_eq!(norm_doc("The current quarter will be weak.", "1989-11-02")[0].1, "1989-Q4");
    }

    #[test]
    fn spoken_years_decades_and_anaphora() {
        let v = norm_doc(
            "He fled in June 1998 and returned later that year. It began in nineteen ninety-six. \
             Cities grew through the nineties and the mid-1980s, in the 20th century.",
            "1999-03-01",
        );
        let values: Vec<&str> = v.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(values, ["1998-06", "1998", "1996", "199", "198", "19"]);
        assert_eq!(norm_doc("It began in early October this year.", "1998-12-03")[0].1, "1998-10");
        // Ages and rates are no stretches of time.
        assert!(norm_doc("Mr. Reupke, 52 years old, pays $1.76 a year.", "1989-11-02").is_empty());
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
