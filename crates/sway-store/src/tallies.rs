//! Tallies: the dated events grouped by everything the influence balance and the
//! alignment network read of them except their dates and ids, which each group packs
//! into one text column. A balance over a million events reads a few thousand rows
//! instead of a hundred thousand index entries, and still lists every event behind
//! every figure.
//!
//! Triggers on `events` keep the table in step with every write (ingest, clustering,
//! corrections, re-coding, deletes), so no code path can forget it. A group's key
//! cannot hold NULL (it is the primary key of a `WITHOUT ROWID` table): a missing code
//! or country is stored as `''`, a missing QuadClass as 0 and a missing Goldstein
//! score as -99 (outside the scale), and read back as missing.
//!
//! `ids` holds one entry per event, `date_start` and `event_id` joined by the unit
//! separator (U+001F), entries joined by the record separator (U+001E). Readers check
//! that a group's entries number its `events` and fall back to the event indexes when
//! they do not (an id holding a separator would be the only way to break the packing).

use rusqlite::params_from_iter;
use rusqlite::types::ValueRef;
use sway_contest::EventView;

use crate::scan::{date, modality, text};
use crate::{Store, StoreError};

/// The migration that creates and fills the table and its triggers.
pub(crate) const SCHEMA: &str = r#"
CREATE TABLE tallies (
    source_code    TEXT NOT NULL,
    target_code    TEXT NOT NULL,
    rep            INTEGER NOT NULL,
    month          TEXT NOT NULL,
    source_country TEXT NOT NULL,
    target_country TEXT NOT NULL,
    cameo          TEXT NOT NULL,
    quad           INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    modality       TEXT NOT NULL,
    events         INTEGER NOT NULL,
    ids            TEXT NOT NULL,
    PRIMARY KEY (source_code, target_code, rep, month, source_country, target_country, cameo, quad, goldstein, modality)
) WITHOUT ROWID;
INSERT INTO tallies
SELECT coalesce(source_code, ''), coalesce(target_code, ''), rep, substr(date_start, 1, 7),
       coalesce(source_country, ''), coalesce(target_country, ''), cameo, coalesce(quad, 0),
       coalesce(goldstein, -99.0), modality, count(*), group_concat(date_start || char(31) || event_id, char(30))
FROM events WHERE date_start IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
CREATE TRIGGER tallies_insert AFTER INSERT ON events WHEN new.date_start IS NOT NULL BEGIN
    INSERT INTO tallies VALUES (
        coalesce(new.source_code, ''), coalesce(new.target_code, ''), new.rep, substr(new.date_start, 1, 7),
        coalesce(new.source_country, ''), coalesce(new.target_country, ''), new.cameo, coalesce(new.quad, 0),
        coalesce(new.goldstein, -99.0), new.modality, 1, new.date_start || char(31) || new.event_id)
    ON CONFLICT DO UPDATE SET events = events + 1, ids = ids || char(30) || excluded.ids;
END;
CREATE TRIGGER tallies_delete AFTER DELETE ON events WHEN old.date_start IS NOT NULL BEGIN
    UPDATE tallies SET events = events - 1,
        ids = trim(replace(char(30) || ids || char(30), char(30) || old.date_start || char(31) || old.event_id || char(30), char(30)), char(30))
    WHERE source_code = coalesce(old.source_code, '') AND target_code = coalesce(old.target_code, '')
      AND month = substr(old.date_start, 1, 7) AND rep = old.rep AND source_country = coalesce(old.source_country, '')
      AND target_country = coalesce(old.target_country, '') AND cameo = old.cameo AND quad = coalesce(old.quad, 0)
      AND goldstein = coalesce(old.goldstein, -99.0) AND modality = old.modality;
    DELETE FROM tallies WHERE events <= 0 AND source_code = coalesce(old.source_code, '')
      AND target_code = coalesce(old.target_code, '') AND rep = old.rep AND month = substr(old.date_start, 1, 7);
END;
CREATE TRIGGER tallies_update AFTER UPDATE OF event_id, source_code, target_code, source_country, target_country,
        cameo, quad, goldstein, modality, date_start, rep ON events
    WHEN old.event_id IS NOT new.event_id OR old.source_code IS NOT new.source_code
      OR old.target_code IS NOT new.target_code OR old.source_country IS NOT new.source_country
      OR old.target_country IS NOT new.target_country OR old.cameo IS NOT new.cameo OR old.quad IS NOT new.quad
      OR old.goldstein IS NOT new.goldstein OR old.modality IS NOT new.modality
      OR old.date_start IS NOT new.date_start OR old.rep IS NOT new.rep BEGIN
    UPDATE tallies SET events = events - 1,
        ids = trim(replace(char(30) || ids || char(30), char(30) || old.date_start || char(31) || old.event_id || char(30), char(30)), char(30))
    WHERE old.date_start IS NOT NULL
      AND source_code = coalesce(old.source_code, '') AND target_code = coalesce(old.target_code, '')
      AND month = substr(old.date_start, 1, 7) AND rep = old.rep AND source_country = coalesce(old.source_country, '')
      AND target_country = coalesce(old.target_country, '') AND cameo = old.cameo AND quad = coalesce(old.quad, 0)
      AND goldstein = coalesce(old.goldstein, -99.0) AND modality = old.modality;
    DELETE FROM tallies WHERE events <= 0 AND source_code = coalesce(old.source_code, '')
      AND target_code = coalesce(old.target_code, '') AND rep = old.rep AND month = substr(old.date_start, 1, 7);
    INSERT INTO tallies SELECT
        coalesce(new.source_code, ''), coalesce(new.target_code, ''), new.rep, substr(new.date_start, 1, 7),
        coalesce(new.source_country, ''), coalesce(new.target_country, ''), new.cameo, coalesce(new.quad, 0),
        coalesce(new.goldstein, -99.0), new.modality, 1, new.date_start || char(31) || new.event_id
    WHERE new.date_start IS NOT NULL
    ON CONFLICT DO UPDATE SET events = events + 1, ids = ids || char(30) || excluded.ids;
END;
"#;

/// Which tallied events to read.
#[derive(Debug, Clone, Default)]
pub struct TallyQuery {
    /// Event start dates, `YYYY-MM-DD`, inclusive (compared as the store compares them).
    pub since: Option<String>,
    pub until: Option<String>,
    /// Events between a side of the first list and one of the second, as
    /// [`crate::ObsQuery::between`]; every pair when `None`. A superset may be read
    /// (every pair, when the sides name too many): callers apply their own test.
    pub between: Option<(Vec<String>, Vec<String>)>,
    /// One event per cluster of reports, as [`crate::ObsQuery::representatives`].
    pub representatives: bool,
    /// Only events that happened (asserted or attempted).
    pub realized: bool,
}

const COLUMNS: &str =
    "source_code, target_code, source_country, target_country, cameo, quad, goldstein, modality, events, ids";

fn blank(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.is_empty())
}

impl Store {
    /// Call `f` with each tallied event `q` selects, as [`Store::scan_events`] would
    /// (without the sides' names: the tallies do not keep them). Returns `None` when a
    /// group's packing does not hold its count: then the caller drops what `f` has
    /// seen so far and reads the event indexes instead.
    pub fn scan_tallies(&self, q: &TallyQuery, mut f: impl FnMut(&EventView<'_>)) -> Result<Option<usize>, StoreError> {
        let plan = self.pairs(&crate::ObsQuery { between: q.between.clone(), ..Default::default() })?;
        let mut values: Vec<String> = Vec::new();
        let mut filters: Vec<String> = Vec::new();
        let pair = plan.is_some();
        if pair {
            values.extend([String::new(), String::new()]);
            filters.push("source_code = ?1 AND target_code = ?2".into());
        }
        let mut bind = |v: String| {
            values.push(v);
            format!("?{}", values.len())
        };
        if q.representatives {
            filters.push("rep = 1".into());
        }
        // A date's first seven characters order as the date does, so the months
        // narrow and each entry's own date decides.
        if let Some(s) = &q.since {
            filters.push(format!("month >= substr({}, 1, 7)", bind(s.clone())));
        }
        if let Some(u) = &q.until {
            filters.push(format!("month <= substr({}, 1, 7)", bind(u.clone())));
        }
        if q.realized {
            filters.push("modality IN ('asserted', 'attempted')".into());
        }
        let filter = if filters.is_empty() { "1".to_string() } else { filters.join(" AND ") };
        let sql = format!("SELECT {COLUMNS} FROM tallies WHERE {filter}");
        let mut st = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let all = [(String::new(), String::new())];
        let pairs: &[(String, String)] = plan.as_deref().unwrap_or(&all);
        let mut n = 0;
        for (s, t) in pairs {
            if pair {
                values[0].clone_from(s);
                values[1].clone_from(t);
            }
            let mut rows = st.query(params_from_iter(values.iter())).map_err(self.err())?;
            while let Some(r) = rows.next().map_err(self.err())? {
                let g = |i: usize| r.get_ref(i).map_or(None, text);
                let num = |i: usize| r.get_ref(i).ok().and_then(|v| v.as_i64().ok());
                let events = num(8).unwrap_or(0);
                let ids = g(9).unwrap_or_default();
                // Whole when there are as many entries as events, each with one date.
                let (seps, dates) =
                    ids.bytes().fold((0i64, 0i64), |(r, u), b| (r + i64::from(b == 0x1e), u + i64::from(b == 0x1f)));
                let entries = if ids.is_empty() { 0 } else { seps + 1 };
                if entries != events || dates != events {
                    return Ok(None);
                }
                let goldstein = match r.get_ref(6) {
                    Ok(ValueRef::Real(x)) => x,
                    Ok(ValueRef::Integer(x)) => x as f64,
                    _ => -99.0,
                };
                let (source_code, target_code, cameo) = (blank(g(0)), blank(g(1)), g(4).unwrap_or_default());
                let (source_country, target_country) = (blank(g(2)), blank(g(3)));
                let quad = num(5).and_then(|q| u8::try_from(q).ok()).filter(|q| *q > 0);
                let modality = modality(g(7));
                for entry in ids.split('\u{1e}') {
                    let Some((day, id)) = entry.split_once('\u{1f}') else { continue };
                    if q.since.as_deref().is_some_and(|s| day < s) || q.until.as_deref().is_some_and(|u| day > u) {
                        continue;
                    }
                    f(&EventView {
                        event_id: id,
                        date: date(Some(day)),
                        source_code,
                        source_country,
                        source_name: None,
                        target_code,
                        target_country,
                        target_name: None,
                        cameo,
                        quad,
                        goldstein: (goldstein > -99.0).then_some(goldstein),
                        modality,
                    });
                    n += 1;
                }
            }
        }
        Ok(Some(n))
    }
}
