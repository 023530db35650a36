//! The influence balance: how an arena country's own actors move toward or away from
//! each outside power and its proxies, period by period. The formula is in
//! `docs/contest.md`.

use serde::Serialize;

use crate::series::Period;
use crate::{Obs, Side};

/// A power and its proxies: the actor codes backed by it.
#[derive(Debug, Clone)]
pub struct Camp {
    pub power: Side,
    pub proxies: Vec<String>,
}

impl Camp {
    fn holds(&self, code: Option<&str>, country: Option<&str>) -> bool {
        self.power.matches(code, country) || code.is_some_and(|c| self.proxies.iter().any(|p| p == c))
    }
}

#[derive(Debug, Clone, Copy)]
pub struct BalanceOptions {
    pub by: Period,
    /// Periods summed for each row (the row's own and those before it).
    pub window: usize,
    /// Goldstein points added to the denominator, so that a single event, even a
    /// maximal one (10 points), moves the index at most halfway.
    pub smoothing: f64,
}

impl Default for BalanceOptions {
    fn default() -> Self {
        Self { by: Period::Month, window: 3, smoothing: 10.0 }
    }
}

/// One power's standing in the arena over a row's window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub power: String,
    /// Events between the arena's actors and the power's camp in the window.
    pub events: u32,
    /// Goldstein points of its cooperative events, and of its hostile ones (as a
    /// positive number).
    pub cooperation: f64,
    pub conflict: f64,
    /// (cooperation - conflict) / (cooperation + conflict + smoothing), in -1..1.
    pub index: f64,
    pub event_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceRow {
    pub period: String,
    pub start: String,
    pub standings: Vec<Standing>,
    /// The first power's index minus the second's (-2..2; positive: the first leads).
    pub balance: Option<f64>,
    /// The most the balance (or, with one power, its index) would change if any one
    /// event of the window were dropped: how much the row rests on a single event.
    pub max_single_event: f64,
}

/// Whether an event bears on alignment: it happened, or was a hostile attempt (an
/// attempt shows intent; a failed overture is no friendship); and it is no military
/// de-escalation (CAMEO 087: a withdrawal lowers a power's presence, which Goldstein's
/// +9 to +10 for it as cooperation does not describe).
fn counts_for_balance(e: &Obs) -> bool {
    use sway_core::contract::Modality;
    let happened = match e.modality {
        Modality::Asserted => true,
        Modality::Attempted => e.goldstein.is_some_and(|g| g < 0.0),
        _ => false,
    };
    happened && !e.cameo.starts_with("087")
}

/// The arena's actors are those of country `arena` that no power's side names; its
/// armed groups among them even when a power backs them. An event counts for a camp
/// (the power's own actors and its proxies outside the arena) when one side is an
/// arena actor and the other is in that camp, in either direction.
pub fn balance(events: &[Obs], arena: &str, camps: &[Camp], opts: BalanceOptions) -> Vec<BalanceRow> {
    let arena = arena.to_ascii_uppercase();
    // The arena's own actors include its armed groups, even those a power backs: an
    // Iran-backed Iraqi militia attacking the United States is Iraq's hostility to it.
    let in_arena = |code: Option<&str>, country: Option<&str>| {
        country == Some(arena.as_str()) && !camps.iter().any(|c| c.power.matches(code, country))
    };
    // (date, camp, goldstein, id) of each counted tie.
    let mut ties: Vec<(chrono::NaiveDate, usize, f64, &str)> = Vec::new();
    for e in events.iter().filter(|e| counts_for_balance(e)) {
        let Some(g) = e.goldstein else { continue };
        let (sc, sn) = (e.source_code.as_deref(), e.source_country.as_deref());
        let (tc, tn) = (e.target_code.as_deref(), e.target_country.as_deref());
        for (k, camp) in camps.iter().enumerate() {
            let toward = (in_arena(sc, sn) && camp.holds(tc, tn) && !in_arena(tc, tn))
                || (in_arena(tc, tn) && camp.holds(sc, sn) && !in_arena(sc, sn));
            if toward {
                ties.push((e.date, k, g, &e.event_id));
            }
        }
    }
    ties.sort_by(|a, b| (a.0, a.1, a.3).cmp(&(b.0, b.1, b.3)));
    let (Some(first), Some(last)) = (ties.first(), ties.last()) else { return Vec::new() };
    let by = opts.by;
    let mut starts = Vec::new();
    let mut s = by.start(first.0);
    while s <= by.start(last.0) {
        starts.push(s);
        s = by.next(s);
    }
    let index = |c: f64, k: f64| (c - k) / (c + k + opts.smoothing);
    // (+ 0.0 turns the -0.0 of an empty sum into 0.)
    let round = |x: f64| (x * 1000.0).round() / 1000.0 + 0.0;
    let mut rows = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let from = starts[i.saturating_sub(opts.window.max(1) - 1)];
        let to = by.next(start);
        let window: Vec<&(chrono::NaiveDate, usize, f64, &str)> =
            ties.iter().filter(|t| t.0 >= from && t.0 < to).collect();
        let mut standings = Vec::new();
        let mut sums = Vec::new();
        for (k, camp) in camps.iter().enumerate() {
            let mine: Vec<_> = window.iter().filter(|t| t.1 == k).collect();
            let c: f64 = mine.iter().map(|t| t.2.max(0.0)).sum();
            let x: f64 = mine.iter().map(|t| (-t.2).max(0.0)).sum();
            sums.push((c, x));
            standings.push(Standing {
                power: camp.power.as_str().to_string(),
                events: mine.len() as u32,
                cooperation: round(c),
                conflict: round(x),
                index: round(index(c, x)),
                event_ids: mine.iter().map(|t| t.3.to_string()).collect(),
            });
        }
        let value = |sums: &[(f64, f64)]| -> f64 {
            match sums {
                [a, b, ..] => index(a.0, a.1) - index(b.0, b.1),
                [a] => index(a.0, a.1),
                [] => 0.0,
            }
        };
        let base = value(&sums);
        // Leave one out: drop each event of the window in turn.
        let mut max_single = 0.0f64;
        for t in &window {
            let mut s = sums.clone();
            let (c, x) = &mut s[t.1];
            if t.2 > 0.0 {
                *c -= t.2;
            } else {
                *x += t.2;
            }
            max_single = max_single.max((value(&s) - base).abs());
        }
        rows.push(BalanceRow {
            period: by.label(start),
            start: start.format("%Y-%m-%d").to_string(),
            balance: (camps.len() >= 2).then(|| round(base)),
            standings,
            max_single_event: round(max_single),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::obs;

    fn camps() -> Vec<Camp> {
        vec![
            Camp { power: Side::new("USA"), proxies: vec![] },
            Camp { power: Side::new("IRN"), proxies: vec!["IRQREB".into()] },
        ]
    }

    #[test]
    fn the_arena_moves_between_camps() {
        let mut threat = obs("3", "2020-02-02", "USAGOV", "IRQGOV", 3, -4.4);
        threat.cameo = "130".into();
        let mut drawdown = obs("7", "2020-02-05", "USAMIL", "IRQ", 2, 10.0);
        drawdown.cameo = "0874".into();
        let mut overture = obs("8", "2020-02-06", "USAGOV", "IRQGOV", 2, 6.0);
        overture.modality = sway_core::contract::Modality::Attempted;
        let events = vec![
            // January: Iraq's government and an Iraqi militia side with Iran.
            obs("1", "2020-01-10", "IRQGOV", "IRNGOV", 2, 7.0),
            obs("6", "2020-01-11", "IRQREB", "IRNMIL", 1, 3.5),
            // Inside the arena: not a tie of either camp.
            obs("2", "2020-01-12", "IRQGOV", "IRQREB", 4, -10.0),
            // February: the U.S. threatens Iraq's government and strikes an Iraqi militia;
            // Iran's Lebanese proxy attacks Iraq's government.
            threat,
            obs("4", "2020-02-03", "USAMIL", "IRQREB", 4, -10.0),
            obs("9", "2020-02-04", "LBNREB", "IRQGOV", 4, -10.0),
            // Between the powers: not the arena's.
            obs("5", "2020-02-04", "IRNGOV", "USAGOV", 1, 1.0),
            // A withdrawal and a failed overture say nothing of alignment.
            drawdown,
            overture,
        ];
        let camps = vec![
            Camp { power: Side::new("USA"), proxies: vec![] },
            Camp { power: Side::new("IRN"), proxies: vec!["IRQREB".into(), "LBNREB".into()] },
        ];
        let rows = balance(&events, "IRQ", &camps, BalanceOptions { window: 1, ..BalanceOptions::default() });
        assert_eq!(rows.len(), 2);
        let jan = &rows[0];
        assert_eq!(jan.standings[1].event_ids, ["1", "6"]);
        // 10.5 / (10.5 + 10)
        assert_eq!(jan.standings[1].index, 0.512);
        assert_eq!(jan.standings[0].events, 0);
        assert_eq!(jan.balance, Some(-0.512));
        let feb = &rows[1];
        assert_eq!(feb.standings[0].event_ids, ["3", "4"]);
        assert_eq!(feb.standings[1].event_ids, ["9"]);
        // -14.4 / 24.4 against -10 / 20
        assert_eq!((feb.standings[0].index, feb.standings[1].index), (-0.59, -0.5));
        assert_eq!(feb.balance, Some(-0.09));
        // Dropping the proxy's attack would move the balance most.
        assert_eq!(feb.max_single_event, 0.5);
    }

    #[test]
    fn one_event_moves_the_index_at_most_halfway() {
        let events = vec![obs("1", "2020-01-10", "IRQGOV", "IRNGOV", 2, 10.0)];
        let rows = balance(&events, "IRQ", &camps(), BalanceOptions::default());
        assert_eq!(rows[0].standings[1].index, 0.5);
        assert_eq!(rows[0].max_single_event, 0.5);
    }

    #[test]
    fn a_window_carries_earlier_periods() {
        let events = vec![
            obs("1", "2020-01-10", "IRQGOV", "IRNGOV", 2, 7.0),
            obs("2", "2020-03-10", "IRQGOV", "USAGOV", 2, 7.0),
        ];
        let rows = balance(&events, "IRQ", &camps(), BalanceOptions::default());
        let periods: Vec<&str> = rows.iter().map(|r| r.period.as_str()).collect();
        assert_eq!(periods, ["2020-01", "2020-02", "2020-03"]);
        // March's three-month window still holds January's event.
        assert_eq!(rows[2].standings[1].event_ids, ["1"]);
        assert_eq!(rows[2].balance, Some(0.0));
    }
}
