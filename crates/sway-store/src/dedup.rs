//! Reports of one event clustered as they are stored, by the rule of
//! [`sway_contest::clusters`]: the same directed dyad and CAMEO root, event dates
//! within the window of one another (chained), and no two different places. Keeping
//! the clusters in the store lets the contest commands read one row per real event
//! straight from an index instead of re-clustering every report on each query.
//!
//! A cluster spans `[first, last]`; chained dates are at most the window apart, so a
//! new report within the window of the span is within it of some member. A report
//! that bridges two clusters merges them, which makes the result the same whatever
//! order the reports arrive in (up to which of two differently placed clusters an
//! unplaced report joins). The representative is the earliest report by
//! (date, event id), as in the batch rule.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

/// The window clusters are kept for in the store: the commands' default
/// `--dedup-window`. Another window re-clusters at query time.
pub const INGEST_DAYS: i64 = 2;

#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub source: Option<&'a str>,
    pub target: Option<&'a str>,
    pub root: &'a str,
}

struct Open {
    id: i64,
    first: String,
    last: String,
    place: Option<String>,
    reports: i64,
    rep: String,
    rep_date: String,
}

fn shift(date: &str, days: i64) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_signed(chrono::Duration::days(days)))
        .map_or_else(|| date.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

fn compatible(a: Option<&str>, b: Option<&str>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// Put stored event `id` (dated `date`, at `place`) into its cluster, creating or
/// merging clusters as needed, and mark which events represent their clusters.
pub fn assign(
    c: &Connection,
    id: &str,
    key: Key<'_>,
    date: &str,
    place: Option<&str>,
    days: i64,
) -> rusqlite::Result<()> {
    let (cluster, rep) = place_new(c, id, key, date, place, days)?;
    c.prepare_cached("UPDATE events SET cluster = ?1, rep = ?2 WHERE event_id = ?3")?
        .execute(params![cluster, rep, id])?;
    Ok(())
}

/// [`assign`] for an event about to be stored: the clusters and the other events are
/// updated, and the new event's cluster and whether it represents it are returned
/// for its insert (writing its row once, not twice).
pub fn place_new(
    c: &Connection,
    id: &str,
    key: Key<'_>,
    date: &str,
    place: Option<&str>,
    days: i64,
) -> rusqlite::Result<(i64, bool)> {
    let mut st = c.prepare_cached(
        "SELECT id, first, last, place, reports, rep, rep_date FROM clusters
         WHERE source_code IS ?1 AND target_code IS ?2 AND root = ?3 AND last >= ?4 AND first <= ?5 ORDER BY id",
    )?;
    let found: Vec<Open> = st
        .query_map(params![key.source, key.target, key.root, shift(date, -days), shift(date, days)], |r| {
            Ok(Open {
                id: r.get(0)?,
                first: r.get(1)?,
                last: r.get(2)?,
                place: r.get(3)?,
                reports: r.get(4)?,
                rep: r.get(5)?,
                rep_date: r.get(6)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut place_now = place.map(str::to_string);
    let mut joined: Vec<Open> = Vec::new();
    for o in found {
        if compatible(place_now.as_deref(), o.place.as_deref()) {
            if place_now.is_none() {
                place_now.clone_from(&o.place);
            }
            joined.push(o);
        }
    }
    if joined.is_empty() {
        c.prepare_cached(
            "INSERT INTO clusters (source_code, target_code, root, first, last, place, reports, rep, rep_date)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5, 1, ?6, ?4)",
        )?
        .execute(params![key.source, key.target, key.root, date, place, id])?;
        return Ok((c.last_insert_rowid(), true));
    }
    let keep = joined[0].id;
    let first = joined.iter().map(|o| o.first.as_str()).chain([date]).min().unwrap_or(date).to_string();
    let last = joined.iter().map(|o| o.last.as_str()).chain([date]).max().unwrap_or(date).to_string();
    let reports: i64 = joined.iter().map(|o| o.reports).sum::<i64>() + 1;
    let (rep_date, rep) = joined
        .iter()
        .map(|o| (o.rep_date.as_str(), o.rep.as_str()))
        .chain([(date, id)])
        .min()
        .map(|(d, r)| (d.to_string(), r.to_string()))
        .unwrap_or_else(|| (date.to_string(), id.to_string()));
    for o in &joined[1..] {
        c.prepare_cached("UPDATE events SET cluster = ?1 WHERE cluster = ?2")?.execute(params![keep, o.id])?;
        c.prepare_cached("DELETE FROM clusters WHERE id = ?1")?.execute([o.id])?;
    }
    c.prepare_cached(
        "UPDATE clusters SET first = ?2, last = ?3, place = ?4, reports = ?5, rep = ?6, rep_date = ?7 WHERE id = ?1",
    )?
    .execute(params![keep, first, last, place_now, reports, rep, rep_date])?;
    for o in &joined {
        if o.rep != rep {
            c.prepare_cached("UPDATE events SET rep = 0 WHERE event_id = ?1")?.execute([&o.rep])?;
        }
    }
    // The representative, when not the new event, already represented one of the
    // joined clusters.
    Ok((keep, rep == id))
}

/// Cluster every dated event again from scratch (after a migration, or `sway recode`),
/// in date order, so the result is the batch rule's.
pub fn recluster(c: &Connection) -> rusqlite::Result<usize> {
    c.execute_batch("DELETE FROM clusters; UPDATE events SET cluster = NULL, rep = 1;")?;
    type Row = (String, Option<String>, Option<String>, String, String, Option<String>);
    let rows: Vec<Row> = c
        .prepare(
            "SELECT event_id, source_code, target_code, cameo, date_start, place FROM events
             WHERE date_start IS NOT NULL ORDER BY date_start, event_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<Result<_, _>>()?;
    for (id, s, t, cameo, date, place) in &rows {
        let key = Key { source: s.as_deref(), target: t.as_deref(), root: cameo.get(..2).unwrap_or(cameo) };
        assign(c, id, key, date, place.as_deref(), INGEST_DAYS)?;
    }
    Ok(rows.len())
}

/// Take a document's events out of their clusters before they are deleted (a
/// correction or a re-code rewrites them): counts drop, a new representative is
/// chosen, empty clusters go. A chain the removed report bridged stays one cluster
/// until the next [`recluster`].
pub fn remove_document(c: &Connection, doc_id: &str) -> rusqlite::Result<()> {
    let touched: Vec<i64> = c
        .prepare_cached("SELECT DISTINCT cluster FROM events WHERE doc_id = ?1 AND cluster IS NOT NULL")?
        .query_map([doc_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    c.prepare_cached("UPDATE events SET cluster = NULL WHERE doc_id = ?1")?.execute([doc_id])?;
    for id in touched {
        let next: Option<(String, String, i64)> = c
            .prepare_cached(
                "SELECT event_id, date_start, (SELECT count(*) FROM events WHERE cluster = ?1) FROM events
                 WHERE cluster = ?1 ORDER BY date_start, event_id LIMIT 1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_or_else(
                |e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) },
                |v| Ok(Some(v)),
            )?;
        match next {
            None => {
                c.prepare_cached("DELETE FROM clusters WHERE id = ?1")?.execute([id])?;
            }
            Some((rep, rep_date, n)) => {
                c.prepare_cached("UPDATE clusters SET reports = ?2, rep = ?3, rep_date = ?4 WHERE id = ?1")?
                    .execute(params![id, n, rep, rep_date])?;
                c.prepare_cached("UPDATE events SET rep = (event_id = ?2) WHERE cluster = ?1")?
                    .execute(params![id, rep])?;
            }
        }
    }
    Ok(())
}
