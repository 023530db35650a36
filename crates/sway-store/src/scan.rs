//! The fast read path of the contest commands: compact event rows from the covering
//! index `events_by_source`, filtered in SQL, never decoding the JSON records.
//!
//! Sides are matched by actor-code prefix (`IRN` finds `IRN`, `IRNMIL`, `IRNREB`).
//! Between two lists of sides (a dyad, an arena and its camps) the distinct codes of
//! each prefix are found first (a seek each, on `events_by_source` and the narrow
//! `events_by_target`), then each (source code, target code) pair is one seek into
//! `events_by_source`, where representatives and dates are ranges too. Codes begin with their country's code (CAMEO style), so a
//! country code finds its actors' events too; [`sway_contest::Side::matches`] is
//! applied on top by the callers, so SQL only narrows.

use chrono::NaiveDate;
use std::collections::HashMap;

use rusqlite::params_from_iter;
use rusqlite::types::ValueRef;
use sway_contest::{EventView, Obs};
use sway_core::contract::Modality;

use crate::{Store, StoreError};

/// Which events to read.
#[derive(Debug, Clone, Default)]
pub struct ObsQuery {
    /// Event dates (the start of an event's range), `YYYY-MM-DD`, inclusive.
    pub since: Option<String>,
    pub until: Option<String>,
    /// Events between a side of the first list and a side of the second, either
    /// direction (actor-code prefixes: a dyad is one of each, an arena against the
    /// powers and their proxies one against several).
    pub between: Option<(Vec<String>, Vec<String>)>,
    /// Events with either side's code beginning with this (an arena country).
    pub either: Option<String>,
    /// One event per cluster of reports (clustered at ingest with the default window).
    pub representatives: bool,
    /// With `representatives`: fill each one's number of reports (otherwise 1).
    pub reports: bool,
    /// Only events that happened (asserted or attempted).
    pub realized: bool,
}

const COLUMNS: &str = "e.event_id, e.doc_id, e.date_start, e.source_code, e.source_country, e.source_text, \
     e.target_code, e.target_country, e.target_text, e.cameo, e.quad, e.goldstein, e.modality, e.place, e.reported, e.cluster";

const VIEW_COLUMNS: &str = "e.event_id, e.source_code, e.source_country, e.source_text, e.target_code, \
     e.target_country, e.target_text, e.quad, e.goldstein, e.modality, e.date_start, e.cameo";

/// A range over codes with this prefix: `[p, p~)`; codes are upper-case letters and digits.
fn prefix(p: &str) -> String {
    format!("{}~", p.trim().to_ascii_uppercase())
}

/// Past this many (source code, target code) pairs, a `between` query reads index
/// ranges instead of seeking each pair.
const MAX_PAIRS: usize = 4096;

impl ObsQuery {
    /// The filters every arm shares, with their values bound through `bind`.
    fn common(&self, bind: &mut dyn FnMut(String) -> String) -> String {
        let mut common = vec!["e.date_start IS NOT NULL".to_string()];
        if self.representatives {
            common.push("e.rep = 1".into());
        }
        if let Some(s) = &self.since {
            common.push(format!("e.date_start >= {}", bind(s.clone())));
        }
        if let Some(u) = &self.until {
            common.push(format!("e.date_start <= {}", bind(u.clone())));
        }
        if self.realized {
            common.push("e.modality IN ('asserted', 'attempted')".into());
        }
        common.join(" AND ")
    }

    /// The query's SQL (fixed fragments only) and its bound values, reading index
    /// ranges: by source or target code prefix, or the whole store.
    fn sql(&self, columns: &str, with_reports: bool) -> (String, Vec<String>) {
        let mut values: Vec<String> = Vec::new();
        let mut bind = |v: String| {
            values.push(v);
            format!("?{}", values.len())
        };
        let range = |col: &str, lo: &str, hi: &str| format!("e.{col} >= {lo} AND e.{col} < {hi}");
        let mut arms: Vec<String> = Vec::new();
        if let Some((a, b)) = &self.between {
            let mut sides = |list: &[String]| -> Vec<(String, String)> {
                list.iter().map(|x| (bind(x.trim().to_ascii_uppercase()), bind(prefix(x)))).collect()
            };
            let (a, b) = (sides(a), sides(b));
            let any = |col: &str, sides: &[(String, String)]| {
                let ors: Vec<String> = sides.iter().map(|(lo, hi)| range(col, lo, hi)).collect();
                format!("({})", if ors.is_empty() { "0".to_string() } else { ors.join(" OR ") })
            };
            let ab = format!("{} AND {}", any("source_code", &a), any("target_code", &b));
            let ba = format!("{} AND {}", any("source_code", &b), any("target_code", &a));
            arms.push(ab.clone());
            // An event in both arms (the sides overlap) is read once.
            arms.push(format!("{ba} AND NOT ({ab})"));
        } else if let Some(x) = &self.either {
            let (lo, hi) = (bind(x.trim().to_ascii_uppercase()), bind(prefix(x)));
            let src = range("source_code", &lo, &hi);
            arms.push(src.clone());
            arms.push(format!("{} AND NOT ({src})", range("target_code", &lo, &hi)));
        } else {
            arms.push("1".into());
        }
        let common = self.common(&mut bind);
        // A representative carries its cluster's number of reports (a primary-key
        // lookup inside SQLite, not a query per row).
        let reports = if self.representatives && with_reports {
            "(SELECT c.reports FROM clusters c WHERE c.id = e.cluster)"
        } else {
            "1"
        };
        let sql = arms
            .iter()
            .map(|arm| format!("SELECT {columns}, {reports} FROM events e WHERE {arm} AND {common}"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        (sql, values)
    }

    /// The SQL of one (source code, target code) pair: `?1` and `?2` are the codes,
    /// so with `representatives` and dates the whole filter is one index seek.
    fn pair_sql(&self, columns: &str) -> (String, Vec<String>) {
        let mut values: Vec<String> = vec![String::new(), String::new()];
        let mut bind = |v: String| {
            values.push(v);
            format!("?{}", values.len())
        };
        let common = self.common(&mut bind);
        (
            format!("SELECT {columns}, 1 FROM events e WHERE e.source_code = ?1 AND e.target_code = ?2 AND {common}"),
            values,
        )
    }
}

/// Which column of codes to enumerate.
#[derive(Clone, Copy)]
enum Col {
    Source,
    Target,
}

pub(crate) fn text(v: ValueRef<'_>) -> Option<&str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

/// A stored modality; the column is written from the contract's names, so anything
/// else is a store written by hand and reads as asserted.
pub(crate) fn modality(s: Option<&str>) -> Modality {
    s.and_then(crate::corrections::modality).unwrap_or(Modality::Asserted)
}

pub(crate) fn date(s: Option<&str>) -> Option<NaiveDate> {
    let s = s?;
    // YYYY-MM-DD, parsed by hand: this runs once per row of a million-row scan.
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

impl Store {
    /// The distinct codes of `col` beginning with `p`, one index seek each.
    fn codes(&self, col: Col, p: &str) -> Result<Vec<String>, StoreError> {
        let name = match col {
            Col::Source => "source_code",
            Col::Target => "target_code",
        };
        let (lo, hi) = (p.trim().to_ascii_uppercase(), prefix(p));
        let first = format!("SELECT min({name}) FROM events WHERE {name} >= ?1 AND {name} < ?2");
        let next = format!("SELECT min({name}) FROM events WHERE {name} > ?1 AND {name} < ?2");
        let mut out: Vec<String> = Vec::new();
        loop {
            let sql = if out.is_empty() { &first } else { &next };
            let from = out.last().map_or(lo.as_str(), String::as_str);
            let found: Option<String> = self
                .conn
                .prepare_cached(sql)
                .and_then(|mut st| st.query_row([from, hi.as_str()], |r| r.get(0)))
                .map_err(self.err())?;
            match found {
                Some(c) => out.push(c),
                None => return Ok(out),
            }
            if out.len() > MAX_PAIRS {
                return Ok(out);
            }
        }
    }

    /// The (source code, target code) pairs a `between` query reads, each once, or
    /// `None` when there are too many to seek one by one.
    pub(crate) fn pairs(&self, q: &ObsQuery) -> Result<Option<Vec<(String, String)>>, StoreError> {
        let Some((a, b)) = &q.between else { return Ok(None) };
        let all = |col: Col, list: &[String]| -> Result<Vec<String>, StoreError> {
            let mut v = Vec::new();
            for p in list {
                v.extend(self.codes(col, p)?);
            }
            v.sort();
            v.dedup();
            Ok(v)
        };
        let (a_src, a_tgt, b_src, b_tgt) =
            (all(Col::Source, a)?, all(Col::Target, a)?, all(Col::Source, b)?, all(Col::Target, b)?);
        if a_src.len() * b_tgt.len() + b_src.len() * a_tgt.len() > MAX_PAIRS {
            return Ok(None);
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (from, to) in [(&a_src, &b_tgt), (&b_src, &a_tgt)] {
            for s in from {
                for t in to {
                    pairs.push((s.clone(), t.clone()));
                }
            }
        }
        pairs.sort();
        pairs.dedup();
        Ok(Some(pairs))
    }

    /// The number of reports of each cluster of these pairs that has more than one,
    /// read from the clusters' key index (a range per pair, no lookup per event).
    fn cluster_reports(&self, pairs: &[(String, String)]) -> Result<HashMap<i64, u32>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, reports FROM clusters WHERE source_code = ?1 AND target_code = ?2 AND reports > 1",
            )
            .map_err(self.err())?;
        let mut out = HashMap::new();
        for (s, t) in pairs {
            let mut rows = st.query([s, t]).map_err(self.err())?;
            while let Some(r) = rows.next().map_err(self.err())? {
                let (id, n): (i64, i64) = (r.get(0).map_err(self.err())?, r.get(1).map_err(self.err())?);
                out.insert(id, u32::try_from(n).unwrap_or(u32::MAX));
            }
        }
        Ok(out)
    }

    /// Run `q` for `columns` (plus a last column of reports, 1 where not read in SQL),
    /// calling `f` with each row: per code pair where `q` names few enough, else over
    /// index ranges.
    fn each_row(
        &self,
        q: &ObsQuery,
        plan: Option<Vec<(String, String)>>,
        columns: &str,
        with_reports: bool,
        mut f: impl FnMut(&rusqlite::Row<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        if let Some(pairs) = plan {
            let (sql, mut values) = q.pair_sql(columns);
            let mut st = self.conn.prepare_cached(&sql).map_err(self.err())?;
            for (s, t) in pairs {
                values[0] = s;
                values[1] = t;
                let mut rows = st.query(params_from_iter(values.iter())).map_err(self.err())?;
                while let Some(r) = rows.next().map_err(self.err())? {
                    f(r)?;
                }
            }
            return Ok(());
        }
        let (sql, values) = q.sql(columns, with_reports);
        let mut st = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let mut rows = st.query(params_from_iter(values.iter())).map_err(self.err())?;
        while let Some(r) = rows.next().map_err(self.err())? {
            f(r)?;
        }
        Ok(())
    }

    /// Call `f` with each event `q` selects, as a borrowed view (no allocation per
    /// row): for scans over the whole store, such as the alignment network.
    pub fn scan_events(&self, q: &ObsQuery, mut f: impl FnMut(&EventView<'_>)) -> Result<usize, StoreError> {
        // Only the columns the view has: a million-row scan pays for every column read.
        let mut n = 0;
        self.each_row(q, self.pairs(q)?, VIEW_COLUMNS, false, |r| {
            let g = |i: usize| r.get_ref(i).map_or(None, text);
            f(&EventView {
                event_id: g(0).unwrap_or_default(),
                date: date(g(10)),
                source_code: g(1),
                source_country: g(2),
                source_name: g(3),
                target_code: g(4),
                target_country: g(5),
                target_name: g(6),
                cameo: g(11).unwrap_or_default(),
                quad: r.get::<_, Option<i64>>(7).ok().flatten().and_then(|q| u8::try_from(q).ok()),
                goldstein: r.get::<_, Option<f64>>(8).ok().flatten(),
                modality: modality(g(9)),
            });
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }

    /// The events `q` selects as observations for the contest analytics. With
    /// `representatives` and `reports`, each stands for its cluster and carries its
    /// number of reports.
    pub fn observations(&self, q: &ObsQuery) -> Result<Vec<Obs>, StoreError> {
        self.observations_planned(q, self.pairs(q)?)
    }

    /// [`Store::observations`] by code pairs (`plan`) or, with `None`, by index ranges.
    pub(crate) fn observations_planned(
        &self,
        q: &ObsQuery,
        plan: Option<Vec<(String, String)>>,
    ) -> Result<Vec<Obs>, StoreError> {
        let with_reports = q.representatives && q.reports;
        // Seeking pairs reads the clusters' counts beside the events instead.
        let counts = match &plan {
            Some(pairs) if with_reports => Some(self.cluster_reports(pairs)?),
            _ => None,
        };
        let mut out = Vec::new();
        self.each_row(q, plan, COLUMNS, with_reports, |r| {
            let g = |i: usize| r.get_ref(i).map_or(None, text);
            let own = |i: usize| g(i).map(str::to_string);
            let Some(d) = date(g(2)) else { return Ok(()) };
            let num = |i: usize| r.get::<_, Option<i64>>(i).ok().flatten();
            let reports = match (&counts, num(15)) {
                (Some(c), Some(cluster)) => c.get(&cluster).copied().unwrap_or(1),
                _ => num(16).and_then(|n| u32::try_from(n).ok()).unwrap_or(1),
            };
            out.push(Obs {
                event_id: own(0).unwrap_or_default(),
                doc_id: own(1).unwrap_or_default(),
                date: d,
                source_code: own(3),
                source_country: own(4),
                source_name: own(5),
                target_code: own(6),
                target_country: own(7),
                target_name: own(8),
                cameo: own(9).unwrap_or_default(),
                quad: num(10).and_then(|q| u8::try_from(q).ok()),
                goldstein: r.get::<_, Option<f64>>(11).ok().flatten(),
                modality: modality(g(12)),
                place: own(13),
                reported: date(g(14)),
                reports,
            });
            Ok(())
        })?;
        Ok(out)
    }

    /// Events per country and per located place between `since` and `until` (each
    /// real event once), for maps.
    pub fn map_counts(&self, since: Option<&str>, until: Option<&str>) -> Result<MapCounts, StoreError> {
        let range = "e.rep = 1 AND (?1 IS NULL OR e.date_end >= ?1) AND (?2 IS NULL OR e.date_start <= ?2)";
        // One pass over the covering index, counted here as rows stream (SQLite's GROUP
        // BY would sort every row into a temporary b-tree first); a country counts an
        // event once even when both sides are its own.
        let sql = format!(
            "SELECT e.source_country, e.target_country, e.quad, e.goldstein, e.place, e.rowid
             FROM events e WHERE {range}"
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let mut rows = st.query(rusqlite::params![since, until]).map_err(self.err())?;
        // Per country: counts, Goldstein sum and count.
        let mut by: std::collections::HashMap<String, (CountryCount, f64, u64)> = std::collections::HashMap::new();
        // Per place name: events and the first event's row.
        let mut at: std::collections::HashMap<String, (u64, i64)> = std::collections::HashMap::new();
        while let Some(r) = rows.next().map_err(self.err())? {
            let src = r.get_ref(0).map_or(None, text);
            let tgt = r.get_ref(1).map_or(None, text);
            let quad = r.get::<_, Option<i64>>(2).map_err(self.err())?;
            let goldstein = r.get::<_, Option<f64>>(3).map_err(self.err())?;
            let same = src.is_some() && src == tgt;
            for (country, as_source) in [(src, true), (if same { None } else { tgt }, false)] {
                let Some(country) = country else { continue };
                let e = match by.get_mut(country) {
                    Some(e) => e,
                    None => by.entry(country.to_string()).or_insert_with(|| {
                        let c = CountryCount {
                            country: country.to_string(),
                            events: 0,
                            as_source: 0,
                            as_target: 0,
                            cooperation: 0,
                            conflict: 0,
                            goldstein_mean: None,
                        };
                        (c, 0.0, 0)
                    }),
                };
                e.0.events += 1;
                if as_source {
                    e.0.as_source += 1;
                    e.0.as_target += u64::from(same);
                } else {
                    e.0.as_target += 1;
                }
                match quad {
                    Some(1 | 2) => e.0.cooperation += 1,
                    Some(3 | 4) => e.0.conflict += 1,
                    _ => {}
                }
                if let Some(g) = goldstein {
                    e.1 += g;
                    e.2 += 1;
                }
            }
            if let Some(place) = r.get_ref(4).map_or(None, text) {
                let rowid: i64 = r.get(5).map_err(self.err())?;
                match at.get_mut(place) {
                    Some(p) => p.0 += 1,
                    None => {
                        at.insert(place.to_string(), (1, rowid));
                    }
                }
            }
        }
        let mut countries: Vec<CountryCount> = by
            .into_values()
            .map(|(mut c, gsum, gn)| {
                c.goldstein_mean = (gn > 0).then(|| gsum / gn as f64);
                c
            })
            .collect();
        countries.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.country.cmp(&b.country)));
        // The places with most events, each located by one of its events: decoding
        // every located event's record would cost seconds on a million events.
        let mut found: Vec<(String, u64, i64)> = at.into_iter().map(|(name, (n, rowid))| (name, n, rowid)).collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        found.truncate(500);
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT json_extract(record, '$.location.country'), json_extract(record, '$.location.lat'),
                        json_extract(record, '$.location.lon') FROM events WHERE rowid = ?1",
            )
            .map_err(self.err())?;
        let mut places = Vec::with_capacity(found.len());
        for (name, events, rowid) in found {
            let (country, lat, lon) =
                st.query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map_err(self.err())?;
            places.push(PlaceCount { name, country, lat, lon, events });
        }
        Ok(MapCounts { countries, places })
    }

    /// Bring the derived tables up to date after re-coding: cluster every stored
    /// event's reports again by the batch rule, and rebuild the actor and patron
    /// summaries. Returns the number of dated events clustered.
    pub fn refresh(&mut self) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let e = |source| StoreError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(e)?;
        let n = crate::dedup::recluster(&tx).map_err(e)?;
        crate::refresh_summaries(&tx).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(n)
    }
}

/// Events per country and place, for a map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MapCounts {
    pub countries: Vec<CountryCount>,
    /// The 500 places with most events.
    pub places: Vec<PlaceCount>,
}

/// Events with a side in one country (ISO 3166 alpha-3).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CountryCount {
    pub country: String,
    pub events: u64,
    pub as_source: u64,
    pub as_target: u64,
    /// Events of QuadClass 1-2, and 3-4.
    pub cooperation: u64,
    pub conflict: u64,
    pub goldstein_mean: Option<f64>,
}

/// Events located at one place.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlaceCount {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub events: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_fast_and_right() {
        assert_eq!(date(Some("2020-01-03")), NaiveDate::from_ymd_opt(2020, 1, 3));
        assert_eq!(date(Some("2020-02-30")), None);
        assert_eq!(date(Some("2020-1-3")), NaiveDate::from_ymd_opt(2020, 1, 3), "chrono reads it");
        assert_eq!(date(None), None);
    }

    #[test]
    fn filters_are_bound_not_spliced() {
        let q = ObsQuery {
            since: Some("2020-01-01'; DROP TABLE events; --".into()),
            between: Some((vec!["usa".into()], vec!["IRN".into(), "LBNREB".into()])),
            representatives: true,
            ..ObsQuery::default()
        };
        let (sql, values) = q.sql(COLUMNS, true);
        assert!(!sql.contains("DROP"), "{sql}");
        assert_eq!(values[..6], ["USA", "USA~", "IRN", "IRN~", "LBNREB", "LBNREB~"]);
        assert_eq!(sql.matches("UNION ALL").count(), 1);
        let (sql, values) = q.pair_sql(COLUMNS);
        assert!(!sql.contains("DROP"), "{sql}");
        assert_eq!(values.len(), 3);
    }
}
