//! Dyad series: a pair of actors' events per period.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::{Obs, Side};

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
    Year,
}

impl Period {
    /// The first day of the period holding `d`.
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => d,
            Self::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            Self::Month => d.with_day(1).unwrap_or(d),
            Self::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
        }
    }

    /// The first day of the period after the one starting at `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => start + Duration::days(1),
            Self::Week => start + Duration::weeks(1),
            Self::Month => {
                let (y, m) =
                    if start.month() == 12 { (start.year() + 1, 1) } else { (start.year(), start.month() + 1) };
                NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(start)
            }
            Self::Year => NaiveDate::from_ymd_opt(start.year() + 1, 1, 1).unwrap_or(start),
        }
    }

    /// The period's label: `2020-09-14`, `2020-W38`, `2020-09`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Self::Day => start.format("%Y-%m-%d").to_string(),
            Self::Week => {
                let w = start.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Self::Month => start.format("%Y-%m").to_string(),
            Self::Year => start.format("%Y").to_string(),
        }
    }
}

/// How a series is cut and guarded.
#[derive(Debug, Clone, Copy)]
pub struct SeriesOptions {
    pub by: Period,
    /// A change against a baseline is given only when the baseline window holds at
    /// least this many events: a rise from one event to three is not news.
    pub min_baseline: u32,
    /// Count predicted, hypothetical, conditional and negated events too.
    pub all_modalities: bool,
}

impl Default for SeriesOptions {
    fn default() -> Self {
        Self { by: Period::Month, min_baseline: 10, all_modalities: false }
    }
}

/// One period of a dyad's series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DyadRow {
    /// `2020-09`, `2020-W38` or `2020-09-14`.
    pub period: String,
    /// First day of the period.
    pub start: String,
    /// Events either way (each real event once, when the input is deduplicated).
    pub events: u32,
    /// The reports of those events.
    pub reports: u32,
    pub a_to_b: u32,
    pub b_to_a: u32,
    /// Events per QuadClass: verbal cooperation, material cooperation, verbal conflict,
    /// material conflict.
    pub quad: [u32; 4],
    pub goldstein_sum: f64,
    pub goldstein_mean: Option<f64>,
    /// Events against the mean of the 4 periods before, as a ratio minus one (+1.0 is
    /// twice the baseline); absent when those periods hold fewer events than the guard.
    pub change_4: Option<f64>,
    /// The same against the 52 periods before.
    pub change_52: Option<f64>,
    /// The events counted, to trace every figure to its sentences.
    pub event_ids: Vec<String>,
}

/// The series of the dyad `a`–`b`, one row per period from the first event's to the
/// last's, empty periods included (a baseline needs them).
pub fn dyad_series(events: &[Obs], a: &Side, b: &Side, opts: SeriesOptions) -> Vec<DyadRow> {
    let mut hits: Vec<(&Obs, bool)> = events
        .iter()
        .filter(|e| opts.all_modalities || e.realized())
        .filter_map(|e| {
            let (sc, sn) = (e.source_code.as_deref(), e.source_country.as_deref());
            let (tc, tn) = (e.target_code.as_deref(), e.target_country.as_deref());
            if a.matches(sc, sn) && b.matches(tc, tn) {
                Some((e, true))
            } else if b.matches(sc, sn) && a.matches(tc, tn) {
                Some((e, false))
            } else {
                None
            }
        })
        .collect();
    hits.sort_by(|x, y| (x.0.date, &x.0.event_id).cmp(&(y.0.date, &y.0.event_id)));
    let (Some(first), Some(last)) = (hits.first(), hits.last()) else { return Vec::new() };
    let by = opts.by;
    let mut rows = Vec::new();
    let mut start = by.start(first.0.date);
    let end = by.start(last.0.date);
    let mut k = 0;
    while start <= end {
        let next = by.next(start);
        let mut row = DyadRow {
            period: by.label(start),
            start: start.format("%Y-%m-%d").to_string(),
            events: 0,
            reports: 0,
            a_to_b: 0,
            b_to_a: 0,
            quad: [0; 4],
            goldstein_sum: 0.0,
            goldstein_mean: None,
            change_4: None,
            change_52: None,
            event_ids: Vec::new(),
        };
        let mut scored = 0u32;
        while k < hits.len() && hits[k].0.date < next {
            let (e, forward) = hits[k];
            row.events += 1;
            row.reports += e.reports;
            if forward {
                row.a_to_b += 1;
            } else {
                row.b_to_a += 1;
            }
            if let Some(q) = e.quad.filter(|q| (1..=4).contains(q)) {
                row.quad[usize::from(q - 1)] += 1;
            }
            if let Some(g) = e.goldstein {
                row.goldstein_sum += g;
                scored += 1;
            }
            row.event_ids.push(e.event_id.clone());
            k += 1;
        }
        row.goldstein_sum = (row.goldstein_sum * 100.0).round() / 100.0;
        row.goldstein_mean = (scored > 0).then(|| (row.goldstein_sum / f64::from(scored) * 100.0).round() / 100.0);
        rows.push(row);
        start = next;
    }
    for i in 0..rows.len() {
        rows[i].change_4 = change(&rows, i, 4, opts.min_baseline);
        rows[i].change_52 = change(&rows, i, 52, opts.min_baseline);
    }
    rows
}

/// `count / mean(previous n counts) - 1`, when all n previous periods are in the series
/// and hold at least `min` events.
fn change(rows: &[DyadRow], i: usize, n: usize, min: u32) -> Option<f64> {
    if i < n {
        return None;
    }
    let total: u32 = rows[i - n..i].iter().map(|r| r.events).sum();
    if total < min.max(1) {
        return None;
    }
    let mean = f64::from(total) / n as f64;
    Some(((f64::from(rows[i].events) / mean - 1.0) * 100.0).round() / 100.0)
}

/// A one-line chart of a series for the terminal: `▁▂▅█`.
pub fn sparkline(values: &[u32]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(
            |&v| if max == 0 || v == 0 { ' ' } else { BARS[((v as usize * 8).div_ceil(max as usize)).clamp(1, 8) - 1] },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::obs;
    use sway_core::contract::Modality;

    #[test]
    fn periods() {
        let d = NaiveDate::from_ymd_opt(2020, 12, 17).unwrap();
        assert_eq!(Period::Month.label(Period::Month.start(d)), "2020-12");
        assert_eq!(Period::Month.next(Period::Month.start(d)).to_string(), "2021-01-01");
        assert_eq!(Period::Week.start(d).to_string(), "2020-12-14");
        assert_eq!(Period::Week.label(Period::Week.start(d)), "2020-W51");
        assert_eq!(Period::Day.label(d), "2020-12-17");
        assert_eq!(Period::Year.label(Period::Year.start(d)), "2020");
        assert_eq!(Period::Year.next(Period::Year.start(d)).to_string(), "2021-01-01");
    }

    #[test]
    fn a_dyad_by_month_with_empty_months_and_both_directions() {
        let mut events = vec![
            obs("1", "2020-01-03", "USAMIL", "IRNMIL", 4, -10.0),
            obs("2", "2020-01-08", "IRNMIL", "USAMIL", 4, -10.0),
            obs("3", "2020-03-20", "IRNGOV", "USAGOV", 3, -4.0),
            obs("4", "2020-03-21", "USAGOV", "IRQGOV", 1, 3.0),
        ];
        let mut predicted = obs("5", "2020-03-22", "USAGOV", "IRNGOV", 4, -10.0);
        predicted.modality = Modality::Predicted;
        events.push(predicted);
        let rows = dyad_series(&events, &Side::new("USA"), &Side::new("IRN"), SeriesOptions::default());
        let periods: Vec<&str> = rows.iter().map(|r| r.period.as_str()).collect();
        assert_eq!(periods, ["2020-01", "2020-02", "2020-03"]);
        assert_eq!((rows[0].events, rows[0].a_to_b, rows[0].b_to_a), (2, 1, 1));
        assert_eq!(rows[0].quad, [0, 0, 0, 2]);
        assert_eq!((rows[0].goldstein_sum, rows[0].goldstein_mean), (-20.0, Some(-10.0)));
        assert_eq!(rows[1].events, 0);
        assert_eq!(rows[1].goldstein_mean, None);
        // The predicted strike does not count; the U.S.-Iraq event is another dyad.
        assert_eq!(rows[2].event_ids, ["3"]);
        let all = dyad_series(
            &events,
            &Side::new("USA"),
            &Side::new("IRN"),
            SeriesOptions { all_modalities: true, ..SeriesOptions::default() },
        );
        assert_eq!(all[2].events, 2);
    }

    #[test]
    fn baselines_need_enough_events() {
        // Three events a week for eight weeks, then twelve.
        let mut events = Vec::new();
        let monday = NaiveDate::from_ymd_opt(2021, 1, 4).unwrap();
        for w in 0..9 {
            let n = if w == 8 { 12 } else { 3 };
            for i in 0..n {
                let d = monday + Duration::weeks(w) + Duration::days(i % 5);
                events.push(obs(&format!("{w}-{i}"), &d.to_string(), "RUSMIL", "UKRMIL", 4, -10.0));
            }
        }
        let opts = SeriesOptions { by: Period::Week, ..SeriesOptions::default() };
        let rows = dyad_series(&events, &Side::new("RUS"), &Side::new("UKR"), opts);
        assert_eq!(rows.len(), 9);
        assert_eq!(rows[3].change_4, None, "not four weeks before it");
        assert_eq!(rows[4].change_4, Some(0.0));
        assert_eq!(rows[8].change_4, Some(3.0), "twelve against a baseline of three");
        assert_eq!(rows[8].change_52, None);
        let strict = SeriesOptions { min_baseline: 13, ..opts };
        assert_eq!(dyad_series(&events, &Side::new("RUS"), &Side::new("UKR"), strict)[8].change_4, None);
    }

    #[test]
    fn sparklines() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 8]), " ▁▂▄█");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[0, 0]), "  ");
    }
}
