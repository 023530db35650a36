//! Amounts: cardinals, approximations and bounds ("about 3,000", "at least 57"),
//! ranges ("between 200 and 300"), vague quantities ("dozens"), and money with its
//! currency and scale ("$5 billion", "€2bn", "IQD 1.5 trillion"), with what they count.

use std::ops::Range;

use sway_core::{Span, Token};
use sway_syntax::WordSyntax;

/// An amount found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct AmountMention {
    pub span: Span,
    pub tokens: Range<usize>,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// What is counted: `troops`, `people_killed`, `percent`, a currency code for money,
    /// or the counted noun's lemma.
    pub unit: Option<String>,
    pub currency: Option<String>,
    /// The token of the noun it counts ("troops" in "5,200 U.S. troops", "funds" in
    /// "$5 billion of Iranian funds"), to find whose amount it is.
    pub noun: Option<usize>,
}

const SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("mn", 1e6),
    ("bn", 1e9),
    ("tn", 1e12),
];
const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds", "GBP"),
    ("rubles", "RUB"),
    ("roubles", "RUB"),
    ("yuan", "CNY"),
    ("rials", "IRR"),
    ("dinars", "IQD"),
    ("shekels", "ILS"),
    ("hryvnias", "UAH"),
];
const CURRENCY_CODES: &[&str] =
    &["USD", "EUR", "GBP", "IQD", "IRR", "RUB", "CNY", "ILS", "UAH", "SAR", "AED", "TRY", "SYP", "LBP", "JPY", "INR"];
const TROOPS: &[&str] = &["troops", "soldiers", "forces", "personnel", "servicemembers", "marines", "troop", "force"];
const KILLED: &[&str] = &["killed", "dead", "died", "deaths", "fatalities", "killing"];
const APPROX: &[&str] =
    &["about", "around", "approximately", "roughly", "nearly", "almost", "some", "circa", "estimated"];
const AT_LEAST: &[&[&str]] = &[&["at", "least"], &["more", "than"], &["over"], &["upwards", "of"]];
const AT_MOST: &[&[&str]] = &[&["up", "to"], &["fewer", "than"], &["less", "than"], &["at", "most"], &["under"]];
const VAGUE: &[(&str, f64, f64)] =
    &[("dozens", 24.0, 99.0), ("hundreds", 200.0, 999.0), ("thousands", 2000.0, 9999.0), ("scores", 40.0, 99.0)];

/// A number written in digits ("5,200", "1.5", "2bn" → (2, Some(1e9))).
fn number(w: &str) -> Option<(f64, Option<f64>)> {
    let lower = w.to_lowercase();
    let (digits, scale) = SCALES
        .iter()
        .find_map(|(s, v)| lower.strip_suffix(s).filter(|d| !d.is_empty()).map(|d| (d.to_string(), Some(*v))))
        .or_else(|| {
            lower
                .strip_suffix('m')
                .filter(|d| d.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !d.is_empty())
                .map(|d| (d.to_string(), Some(1e6)))
        })
        .unwrap_or((lower, None));
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
        || !digits.as_bytes()[0].is_ascii_digit()
    {
        return None;
    }
    // Commas group thousands: "5,200"; anything else is not a number we read.
    let groups: Vec<&str> = digits.split(',').collect();
    if groups.len() > 1 && groups[1..].iter().any(|g| g.len() != 3 && !(g.len() > 3 && g.as_bytes()[3] == b'.')) {
        return None;
    }
    digits.replace(',', "").parse::<f64>().ok().map(|v| (v, scale))
}

/// Find the amounts of one sentence. `skip` holds token ranges already read as dates.
pub fn find(
    text: &str,
    tokens: &[Token],
    sentence: Range<usize>,
    syntax: &[WordSyntax],
    skip: &[Range<usize>],
) -> Vec<AmountMention> {
    let toks = &tokens[sentence.clone()];
    let w: Vec<&str> = toks.iter().map(|t| t.span.slice(text)).collect();
    let l: Vec<String> = w.iter().map(|x| x.to_lowercase()).collect();
    let skipped = |i: usize| skip.iter().any(|r| r.contains(&(sentence.start + i)));
    let sentence_troops = l.iter().any(|x| TROOPS.contains(&x.as_str()) || x == "drawdown");
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        if skipped(i) {
            i += 1;
            continue;
        }
        let vague = VAGUE.iter().find(|(v, _, _)| *v == l[i]);
        let num = number(w[i]);
        if num.is_none() && vague.is_none() {
            i += 1;
            continue;
        }
        let mut start = i;
        let mut end = i + 1;
        let (mut value, mut low, mut high) = (None, None, None);
        let mut scale = 1.0;
        if let Some((v, s)) = num {
            value = Some(v);
            if let Some(s) = s {
                scale = s;
            } else if let Some((_, s)) = l.get(i + 1).and_then(|x| SCALES.iter().find(|(n, _)| n == x)) {
                scale = *s;
                end = i + 2;
            }
        } else if let Some((_, lo, hi)) = vague {
            low = Some(*lo);
            high = Some(*hi);
            if l.get(end).is_some_and(|x| x == "of") {
                end += 1;
            }
        }
        // Currency before ("$", "US$", "€", "IQD") or after ("euros").
        let mut currency = None;
        if start > 0 {
            let prev = w[start - 1];
            currency = match prev {
                "$" | "US$" => Some("USD"),
                "€" => Some("EUR"),
                "£" => Some("GBP"),
                _ if CURRENCY_CODES.contains(&prev) => CURRENCY_CODES.iter().find(|c| **c == prev).copied(),
                _ => None,
            };
            if currency.is_some() {
                start -= 1;
            }
        }
        if currency.is_none() {
            if let Some((_, c)) = l.get(end).and_then(|x| CURRENCY_WORDS.iter().find(|(n, _)| n == x)) {
                currency = Some(c);
                end += 1;
            }
        }
        // Approximation and bounds before the number.
        let before = |start: usize, k: usize| if start >= k { Some(&l[start - k..start]) } else { None };
        let mut bound = None;
        for (set, kind) in [(AT_LEAST, 'l'), (AT_MOST, 'h')] {
            if let Some(p) =
                set.iter().find(|p| before(start, p.len()).is_some_and(|b| b.iter().zip(p.iter()).all(|(a, b)| a == b)))
            {
                start -= p.len();
                bound = Some(kind);
            }
        }
        if bound.is_none() && before(start, 1).is_some_and(|b| APPROX.contains(&b[0].as_str())) {
            start -= 1;
        }
        // "between 200 and 300"
        if before(start, 1).is_some_and(|b| b[0] == "between") && l.get(end).is_some_and(|x| x == "and") {
            if let Some((v2, _)) = w.get(end + 1).and_then(|x| number(x)) {
                low = value.map(|v| v * scale);
                high = Some(v2 * scale);
                value = None;
                start -= 1;
                end += 2;
            }
        }
        let value = value.map(|v| v * scale);
        match bound {
            Some('l') => low = value,
            Some('h') => high = value,
            _ => {}
        }
        // What is counted: a percent sign, money, the noun after, or the sentence's troops.
        let next = l.get(end).map(String::as_str);
        // Skip one adjective or "of" ("U.S. troops", "$5 billion of Iranian funds").
        let counted = (end..(end + 3).min(w.len()))
            .find(|&k| syntax.get(k).is_some_and(|s| s.upos == "NOUN") || TROOPS.contains(&l[k].as_str()));
        let unit = if matches!(next, Some("%" | "percent" | "per")) {
            if next != Some("per") {
                end += 1;
            }
            Some("percent".to_string())
        } else if let Some(c) = currency {
            Some(c.to_string())
        } else {
            let noun = counted;
            let killed = (end..(end + 4).min(w.len())).any(|k| KILLED.contains(&l[k].as_str()));
            match noun {
                _ if killed => Some("people_killed".to_string()),
                Some(k) if TROOPS.contains(&l[k].as_str()) => Some("troops".to_string()),
                Some(k) => Some(syntax.get(k).map_or(l[k].clone(), |s| s.lemma.to_lowercase())),
                None if sentence_troops && value.is_some_and(|v| v >= 50.0) => Some("troops".to_string()),
                None => None,
            }
        };
        let value = if bound.is_some() { None } else { value };
        let span = Span::new(toks[start].span.start, toks[end - 1].span.end);
        out.push(AmountMention {
            span,
            tokens: sentence.start + start..sentence.start + end,
            value,
            low,
            high,
            unit,
            currency: currency.map(str::to_string),
            noun: counted.filter(|_| next != Some("%")).map(|k| sentence.start + k),
        });
        i = end.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, value, low, high, unit)
    type Found = (String, Option<f64>, Option<f64>, Option<f64>, Option<String>);

    fn amounts(s: &str) -> Vec<Found> {
        let tokens = sway_syntax::tokenize(s, Span::new(0, s.len()));
        let words: Vec<&str> = tokens.iter().map(|t| t.span.slice(s)).collect();
        let sx = sway_syntax::Syntax::bundled().unwrap().analyze(&words);
        find(s, &tokens, 0..tokens.len(), &sx, &[])
            .into_iter()
            .map(|a| (a.span.slice(s).to_string(), a.value, a.low, a.high, a.unit))
            .collect()
    }

    #[test]
    fn troops_and_money() {
        let a = amounts("U.S. force levels in Iraq were reduced from 5,200 to about 3,000.");
        assert_eq!(a[0], ("5,200".into(), Some(5200.0), None, None, Some("troops".into())));
        assert_eq!(a[1], ("about 3,000".into(), Some(3000.0), None, None, Some("troops".into())));
        let a = amounts("Iraq will allow it to draw down the approximately $5 billion in Iranian funds.");
        assert_eq!(a[0], ("approximately $5 billion".into(), Some(5e9), None, None, Some("USD".into())));
        assert_eq!(amounts("a loan of €2bn")[0].1, Some(2e9));
        assert_eq!(amounts("spending 10 billion euros")[0].4.as_deref(), Some("EUR"));
        assert_eq!(amounts("a budget of IQD 1.5 trillion")[0].1, Some(1.5e12));
    }

    #[test]
    fn bounds_ranges_and_casualties() {
        let a = amounts("At least 57 people were killed.");
        assert_eq!((a[0].2, a[0].4.as_deref()), (Some(57.0), Some("people_killed")));
        let a = amounts("between 200 and 300 rockets");
        assert_eq!((a[0].2, a[0].3, a[0].4.as_deref()), (Some(200.0), Some(300.0), Some("rocket")));
        let a = amounts("Dozens of militants attacked.");
        assert_eq!((a[0].2, a[0].3), (Some(24.0), Some(99.0)));
        assert_eq!(amounts("Turnout rose 12%.")[0].4.as_deref(), Some("percent"));
        assert!(amounts("Version 1.2.3 is out").is_empty() || amounts("Version 1.2.3 is out")[0].1.is_none());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn with_commas(n: u64) -> String {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn numbers_round_trip(n in 0u64..1_000_000_000_000) {
            prop_assert_eq!(number(&with_commas(n)), Some((n as f64, None)));
            prop_assert_eq!(number(&n.to_string()), Some((n as f64, None)));
        }

        #[test]
        fn number_never_panics(s in "\\PC{0,20}") {
            let _ = number(&s);
        }

        #[test]
        fn find_never_panics_and_spans_hold(text in "([a-z]{1,8}|[0-9,.]{1,8}|[$€£%]| ){0,30}") {
            let tokens = sway_syntax::tokenize(&text, Span::new(0, text.len()));
            for a in find(&text, &tokens, 0..tokens.len(), &[], &[]) {
                prop_assert!(text.get(a.span.start..a.span.end).is_some());
                if let (Some(lo), Some(hi)) = (a.low, a.high) {
                    prop_assert!(lo <= hi || a.value.is_none());
                }
            }
        }
    }
}
