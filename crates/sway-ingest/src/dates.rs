//! Publication dates as pages and feeds write them.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Parse a publication date: ISO 8601 dates and timestamps (with or without zone),
/// RFC 2822, `2020/10/17`, `October 17, 2020`, `Oct 17, 2020`, `17 October 2020`.
/// Returns `None` for anything else, and for dates outside 1800–2200, which are
/// typos or placeholders in practice.
pub fn parse_published(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let d = parse_any(s)?;
    let y = chrono::Datelike::year(&d);
    (1800..=2200).contains(&y).then_some(d)
}

fn parse_any(s: &str) -> Option<NaiveDate> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.date_naive());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.date_naive());
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, f) {
            return Some(dt.date());
        }
    }
    // A timestamp with a zone rfc3339 refuses (e.g. `+0000`): keep it if its date and
    // time parse.
    if s.len() > 19 {
        for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"] {
            if let Some(dt) = s.get(..19).and_then(|p| NaiveDateTime::parse_from_str(p, f).ok()) {
                return Some(dt.date());
            }
        }
    }
    let cleaned: String = s.replace(',', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    for f in [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%B %d %Y",
        "%b %d %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%A %B %d %Y",
        "%a %b %d %Y",
        "%A %d %B %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(&cleaned, f) {
            return Some(d);
        }
    }
    // "Sept." and other abbreviations with a period.
    let dotless = cleaned.replace("Sept", "Sep").replace('.', "");
    for f in ["%b %d %Y", "%d %b %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&dotless, f) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn common_forms() {
        assert_eq!(parse_published("2020-10-17"), d(2020, 10, 17));
        assert_eq!(parse_published("2020-10-17T08:30:00Z"), d(2020, 10, 17));
        assert_eq!(parse_published("2020-10-17T23:30:00-05:00"), d(2020, 10, 17));
        assert_eq!(parse_published("2020-10-17T08:30:00+0000"), d(2020, 10, 17));
        assert_eq!(parse_published("Sat, 17 Oct 2020 08:30:00 GMT"), d(2020, 10, 17));
        assert_eq!(parse_published("October 17, 2020"), d(2020, 10, 17));
        assert_eq!(parse_published("Oct. 17, 2020"), d(2020, 10, 17));
        assert_eq!(parse_published("Sept. 3, 2020"), d(2020, 9, 3));
        assert_eq!(parse_published("17 October 2020"), d(2020, 10, 17));
        assert_eq!(parse_published("2020/10/17"), d(2020, 10, 17));
    }

    #[test]
    fn malformed_dates_are_refused_not_guessed() {
        for s in [
            "",
            "yesterday",
            "2020-13-01",
            "2020-02-30",
            "0000-00-00",
            "31/31/2020",
            "9999-01-01",
            "October 2020x",
            "\u{0}",
            "2020-10-17T99:99",
        ] {
            assert_eq!(parse_published(s), None, "{s:?}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["é2020-10-17", "2020-10-1é", "ééééééééééééé", "2020-10-17\u{10ffff}", &"9".repeat(100)]
        {
            let _ = parse_published(s);
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_published(&s);
        }

        #[test]
        fn round_trips_every_real_date(days in 0i64..150_000) {
            let d = NaiveDate::from_ymd_opt(1850, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assume!((1800..=2200).contains(&chrono::Datelike::year(&d)));
            for f in ["%Y-%m-%d", "%B %d, %Y", "%d %B %Y", "%b %d %Y", "%Y/%m/%d"] {
                prop_assert_eq!(parse_published(&d.format(f).to_string()), Some(d), "{}", f);
            }
            prop_assert_eq!(parse_published(&format!("{}T08:30:00Z", d.format("%Y-%m-%d"))), Some(d));
        }
    }
}
