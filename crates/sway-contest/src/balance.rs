//! The influence balance: how an arena country's own actors move toward or away from
//! each outside power and its proxies, period by period. The formula is in
//! `docs/contest.md`.

use serde::Serialize;

use crate::series::Period;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::{EventView, Obs, Side};

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
    pub event_ids: Vec<Arc<str>>,
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
fn counts_for_balance(e: &EventView<'_>) -> bool {
    use sway_core::contract::Modality;
    let happened = match e.modality {
        Modality::Asserted => true,
        Modality::Attempted => e.goldstein.is_some_and(|g| g < 0.0),
        _ => false,
    };
    happened && !e.cameo.starts_with("087")
}

/// The balance built one event at a time, from borrowed rows (see [`balance`] for
/// what counts).
#[derive(Debug, Clone)]
pub struct BalanceBuilder {
    arena: String,
    camps: Vec<Camp>,
    /// (date, camp, goldstein, id) of each counted tie.
    ties: Vec<(NaiveDate, usize, f64, Arc<str>)>,
    /// The camps the last event's sides tied it to, by its sides' codes and
    /// countries: a store streams events of one pair together.
    last: Option<([Option<String>; 4], Vec<usize>)>,
}

impl BalanceBuilder {
    pub fn new(arena: &str, camps: &[Camp]) -> Self {
        Self { arena: arena.to_ascii_uppercase(), camps: camps.to_vec(), ties: Vec::new(), last: None }
    }

    /// The arena's own actors include its armed groups, even those a power backs: an
    /// Iran-backed Iraqi militia attacking the United States is Iraq's hostility to it.
    fn in_arena(&self, code: Option<&str>, country: Option<&str>) -> bool {
        country == Some(self.arena.as_str()) && !self.camps.iter().any(|c| c.power.matches(code, country))
    }

    pub fn add(&mut self, e: &EventView<'_>) {
        let (Some(date), Some(g)) = (e.date, e.goldstein) else { return };
        if !counts_for_balance(e) {
            return;
        }
        let (sc, sn) = (e.source_code, e.source_country);
        let (tc, tn) = (e.target_code, e.target_country);
        let same = self.last.as_ref().is_some_and(|(k, _)| {
            k[0].as_deref() == sc && k[1].as_deref() == sn && k[2].as_deref() == tc && k[3].as_deref() == tn
        });
        if !same {
            let (src_in, tgt_in) = (self.in_arena(sc, sn), self.in_arena(tc, tn));
            let camps: Vec<usize> = if src_in == tgt_in {
                Vec::new()
            } else {
                (0..self.camps.len())
                    .filter(|&k| (src_in && self.camps[k].holds(tc, tn)) || (tgt_in && self.camps[k].holds(sc, sn)))
                    .collect()
            };
            let own = |x: Option<&str>| x.map(str::to_string);
            self.last = Some(([own(sc), own(sn), own(tc), own(tn)], camps));
        }
        let Some((_, camps)) = &self.last else { return };
        if camps.is_empty() {
            return;
        }
        let id: Arc<str> = Arc::from(e.event_id);
        for &k in camps {
            self.ties.push((date, k, g, id.clone()));
        }
    }

    pub fn finish(mut self, opts: BalanceOptions) -> Vec<BalanceRow> {
        let ties = &mut self.ties;
        ties.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| a.3.cmp(&b.3)));
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
        let value = |sums: &[(f64, f64)]| -> f64 {
            match sums {
                [a, b, ..] => index(a.0, a.1) - index(b.0, b.1),
                [a] => index(a.0, a.1),
                [] => 0.0,
            }
        };
        let mut rows = Vec::with_capacity(starts.len());
        for (i, &start) in starts.iter().enumerate() {
            let from = starts[i.saturating_sub(opts.window.max(1) - 1)];
            let to = by.next(start);
            // Ties are in date order: the window is one slice of them.
            let window = &ties[ties.partition_point(|t| t.0 < from)..ties.partition_point(|t| t.0 < to)];
            let mut sums = vec![(0.0, 0.0); self.camps.len()];
            let mut ids: Vec<Vec<Arc<str>>> = vec![Vec::new(); self.camps.len()];
            for t in window {
                sums[t.1].0 += t.2.max(0.0);
                sums[t.1].1 += (-t.2).max(0.0);
                ids[t.1].push(t.3.clone());
            }
            let standings = self
                .camps
                .iter()
                .zip(sums.iter().zip(ids))
                .map(|(camp, (&(c, x), event_ids))| Standing {
                    power: camp.power.as_str().to_string(),
                    events: event_ids.len() as u32,
                    cooperation: round(c),
                    conflict: round(x),
                    index: round(index(c, x)),
                    event_ids,
                })
                .collect();
            let base = value(&sums);
            // Leave one out: drop each event of the window in turn (events of one camp
            // and one score move it alike, so each such pair is tried once).
            let mut tried: Vec<(usize, u64)> = Vec::new();
            let mut max_single = 0.0f64;
            for t in window {
                let key = (t.1, t.2.to_bits());
                if tried.contains(&key) {
                    continue;
                }
                tried.push(key);
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
                balance: (self.camps.len() >= 2).then(|| round(base)),
                standings,
                max_single_event: round(max_single),
            });
        }
        rows
    }
}

/// The arena's actors are those of country `arena` that no power's side names; its
/// armed groups among them even when a power backs them. An event counts for a camp
/// (the power's own actors and its proxies outside the arena) when one side is an
/// arena actor and the other is in that camp, in either direction.
pub fn balance(events: &[Obs], arena: &str, camps: &[Camp], opts: BalanceOptions) -> Vec<BalanceRow> {
    let mut b = BalanceBuilder::new(arena, camps);
    for e in events {
        b.add(&EventView::of(e));
    }
    b.finish(opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::obs;

    fn ids(v: &[Arc<str>]) -> Vec<&str> {
        v.iter().map(|s| &**s).collect()
    }

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
        assert_eq!(ids(&jan.standings[1].event_ids), ["1", "6"]);
        // 10.5 / (10.5 + 10)
        assert_eq!(jan.standings[1].index, 0.512);
        assert_eq!(jan.standings[0].events, 0);
        assert_eq!(jan.balance, Some(-0.512));
        let feb = &rows[1];
        assert_eq!(ids(&feb.standings[0].event_ids), ["3", "4"]);
        assert_eq!(ids(&feb.standings[1].event_ids), ["9"]);
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
        assert_eq!(ids(&rows[2].standings[1].event_ids), ["1"]);
        assert_eq!(rows[2].balance, Some(0.0));
    }
}
