//! The contest as data: who does what to whom over time, summed the ways analysts read
//! it. A thin layer over coded events (the output contract's `EventRecord`), with no
//! storage of its own, so the CLI, the server and tests feed it the same way.
//!
//! - [`dyad_series`]: per period, a pair's events by QuadClass, summed and mean
//!   Goldstein, and the change against trailing baselines;
//! - [`clusters`]: many reports of one event made one, with every mention kept and
//!   syndicated copies of a story ([`stories`], by MinHash) counted as one source;
//! - [`balance`]: for an arena country and two or more powers, how the arena's own
//!   actors move toward or away from each power and its proxies;
//! - [`network`]: actors as nodes, interactions and patronage as edges, written as
//!   GEXF, GraphML, DOT or JSON.
//!
//! Only events that happened count (modality `asserted` or `attempted`): a threat is
//! itself an event and counts, but a predicted or hypothetical strike does not.

mod balance;
mod dedup;
mod network;
mod series;

pub use balance::{balance, BalanceBuilder, BalanceOptions, BalanceRow, Camp, Standing};
pub use dedup::{clusters, minhash, similarity, stories, Cluster, DedupOptions, SIGNATURE};
pub use network::{network, Edge, EdgeKind, Network, NetworkBuilder, Node, PatronLink};
pub use series::{dyad_series, sparkline, DyadRow, Period, SeriesOptions};

use chrono::NaiveDate;
use sway_core::contract::{EventRecord, Modality};

/// A side of a dyad as the analyst names it: an actor code or its prefix (`IRN`
/// matches `IRNMIL`), or a country's ISO 3166 alpha-3 code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side(String);

impl Side {
    pub fn new(s: &str) -> Self {
        Self(s.trim().to_ascii_uppercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether an event side with this actor code and country is this side.
    pub fn matches(&self, code: Option<&str>, country: Option<&str>) -> bool {
        !self.0.is_empty()
            && (code.is_some_and(|c| c.get(..self.0.len()).is_some_and(|head| head.eq_ignore_ascii_case(&self.0)))
                || country == Some(self.0.as_str()))
    }
}

/// One event per cluster: its earliest report, standing for the cluster's reports.
pub fn representatives(events: &[Obs], clusters: &[Cluster]) -> Vec<Obs> {
    let by_id: std::collections::HashMap<&str, &Obs> = events.iter().map(|e| (e.event_id.as_str(), e)).collect();
    clusters
        .iter()
        .filter_map(|c| {
            let mut e = (*by_id.get(c.id.as_str())?).clone();
            e.reports = c.reports;
            Some(e)
        })
        .collect()
}

/// What the network and the balance need of one event, borrowed: a store can stream
/// a million rows through [`NetworkBuilder`] or [`BalanceBuilder`] without making an
/// [`Obs`] of each.
#[derive(Debug, Clone, Copy)]
pub struct EventView<'a> {
    pub event_id: &'a str,
    /// The start of the event's date range.
    pub date: Option<NaiveDate>,
    pub source_code: Option<&'a str>,
    pub source_country: Option<&'a str>,
    pub source_name: Option<&'a str>,
    pub target_code: Option<&'a str>,
    pub target_country: Option<&'a str>,
    pub target_name: Option<&'a str>,
    pub cameo: &'a str,
    pub quad: Option<u8>,
    pub goldstein: Option<f64>,
    pub modality: Modality,
}

impl<'a> EventView<'a> {
    pub fn of(e: &'a Obs) -> Self {
        Self {
            event_id: &e.event_id,
            date: Some(e.date),
            source_code: e.source_code.as_deref(),
            source_country: e.source_country.as_deref(),
            source_name: e.source_name.as_deref(),
            target_code: e.target_code.as_deref(),
            target_country: e.target_country.as_deref(),
            target_name: e.target_name.as_deref(),
            cameo: &e.cameo,
            quad: e.quad,
            goldstein: e.goldstein,
            modality: e.modality,
        }
    }

    /// Whether it happened (see [`Obs::realized`]); others are not counted.
    pub fn realized(&self) -> bool {
        matches!(self.modality, Modality::Asserted | Modality::Attempted)
    }
}

/// What the analytics need of one coded event.
#[derive(Debug, Clone, PartialEq)]
pub struct Obs {
    pub event_id: String,
    pub doc_id: String,
    /// The start of the event's date range.
    pub date: NaiveDate,
    pub source_code: Option<String>,
    pub source_country: Option<String>,
    pub source_name: Option<String>,
    pub target_code: Option<String>,
    pub target_country: Option<String>,
    pub target_name: Option<String>,
    pub cameo: String,
    pub quad: Option<u8>,
    pub goldstein: Option<f64>,
    pub modality: Modality,
    /// Where it happened (the event's location name), to keep apart same-day events
    /// in two places.
    pub place: Option<String>,
    /// When the document reporting it was published.
    pub reported: Option<NaiveDate>,
    /// How many reports it stands for (1 unless it represents a [`Cluster`]).
    pub reports: u32,
}

impl Obs {
    /// The observation of a stored event; `None` for an undated one (it has no period).
    pub fn of(doc_id: &str, e: &EventRecord) -> Option<Self> {
        let date = NaiveDate::parse_from_str(&e.date.as_ref()?.start, "%Y-%m-%d").ok()?;
        let side = |p: &Option<sway_core::contract::ParticipantRecord>| {
            p.as_ref().map_or((None, None, None), |p| (p.code.clone(), p.country.clone(), Some(p.text.clone())))
        };
        let (source_code, source_country, source_name) = side(&e.source);
        let (target_code, target_country, target_name) = side(&e.target);
        Some(Self {
            event_id: e.id.clone(),
            doc_id: doc_id.to_string(),
            date,
            source_code,
            source_country,
            source_name,
            target_code,
            target_country,
            target_name,
            cameo: e.cameo.clone(),
            quad: e.quad,
            goldstein: e.goldstein,
            modality: e.modality,
            place: e.location.as_ref().map(|l| l.name.clone()),
            reported: None,
            reports: 1,
        })
    }

    /// Whether the event happened (it was reported as done, or tried).
    pub fn realized(&self) -> bool {
        matches!(self.modality, Modality::Asserted | Modality::Attempted)
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// An event on `date` from `s` to `g` (actor codes; the country is the first three letters).
    pub fn obs(id: &str, date: &str, s: &str, g: &str, quad: u8, goldstein: f64) -> Obs {
        Obs {
            event_id: id.into(),
            doc_id: format!("doc-{id}"),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            source_code: Some(s.into()),
            source_country: Some(s[..3].into()),
            source_name: Some(s.into()),
            target_code: Some(g.into()),
            target_country: Some(g[..3].into()),
            target_name: Some(g.into()),
            cameo: "190".into(),
            quad: Some(quad),
            goldstein: Some(goldstein),
            modality: Modality::Asserted,
            place: None,
            reported: None,
            reports: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_match_by_code_prefix_or_country() {
        let irn = Side::new("irn");
        assert!(irn.matches(Some("IRNMIL"), None));
        assert!(irn.matches(Some("IGOUNO"), Some("IRN")) || !irn.matches(Some("IGOUNO"), None));
        assert!(!irn.matches(Some("IRQ"), Some("IRQ")));
        assert!(!Side::new("").matches(Some("IRN"), Some("IRN")));
    }
}
