//! # sway-store
//!
//! The embedded store: one SQLite file (WAL) holding documents, their blocks, actors,
//! mentions and coded events. Ingest is idempotent by content hash and transactional
//! per document, so a killed batch leaves every stored document whole and nothing
//! half-written. The schema is versioned (`PRAGMA user_version`) and migrated on open.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let store = sway_store::Store::open(&dir.path().join("sway.db")).unwrap();
//! assert_eq!(store.count_documents().unwrap(), 0);
//! ```

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use sway_core::contract::{DocumentRecord, EventRecord, PipelineInfo};

mod corrections;
mod dedup;
mod scan;
mod tallies;

pub use corrections::{Correction, CorrectionError, Field};
pub use scan::{CountryCount, MapCounts, ObsQuery, PlaceCount};
pub use tallies::TallyQuery;

/// The window (days) the store clusters reports of one event with at ingest.
pub const INGEST_DEDUP_DAYS: i64 = dedup::INGEST_DAYS;

/// A short stable id of the pipeline that coded a record: sway's version, its stages
/// and the hashes of its models and dictionaries (64-bit FNV-1a of their JSON, hex).
pub fn pipeline_id(p: &PipelineInfo) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(p)?;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Ok(format!("{h:016x}"))
}

/// Store errors, with the database path.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
    #[error("{path}: written by a newer sway (schema version {found}, this one knows up to {known})")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("{path}: schema version {found}, this sway reads {known} (open it once with `sway ingest` or `sway recode` to migrate)")]
    Version { path: String, found: i64, known: i64 },
    #[error("{path}: stored record for {doc_id} is not valid JSON: {source}")]
    Corrupt { path: String, doc_id: String, source: serde_json::Error },
    #[error("cannot serialize record: {0}")]
    Serialize(#[from] serde_json::Error),
    #[error("search {query:?}: {reason}")]
    Query { query: String, reason: String },
}

/// Each entry moves the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE documents (
    doc_id       TEXT PRIMARY KEY,
    title        TEXT,
    url          TEXT,
    published    TEXT,
    site_name    TEXT,
    language     TEXT,
    format       TEXT NOT NULL,
    text         TEXT NOT NULL,
    record       TEXT NOT NULL,
    sway_version TEXT NOT NULL,
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE inputs (
    doc_id   TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    source   TEXT NOT NULL,
    input_id TEXT,
    seen_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (doc_id, source)
);
CREATE TABLE blocks (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    start  INTEGER NOT NULL,
    "end"  INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE actors (
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    registry_id TEXT,
    name        TEXT NOT NULL,
    code        TEXT NOT NULL,
    country     TEXT,
    sector      TEXT,
    type        TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE mentions (
    doc_id    TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    actor_idx INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE TABLE events (
    event_id       TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    source_code    TEXT,
    source_country TEXT,
    source_text    TEXT,
    target_code    TEXT,
    target_country TEXT,
    target_text    TEXT,
    cameo          TEXT NOT NULL,
    quad           INTEGER,
    goldstein      REAL,
    modality       TEXT NOT NULL,
    date_start     TEXT,
    date_end       TEXT,
    record         TEXT NOT NULL
);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_date ON events(date_start);
CREATE INDEX events_source ON events(source_country, source_code);
CREATE INDEX events_target ON events(target_country, target_code);
"#,
    r#"
CREATE TABLE judgments (
    judgment_id TEXT PRIMARY KEY,
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    term        TEXT,
    p_low       REAL,
    p_high      REAL,
    holder      TEXT,
    source      TEXT NOT NULL,
    author      TEXT,
    record      TEXT NOT NULL
);
CREATE INDEX judgments_doc ON judgments(doc_id);
CREATE INDEX judgments_source ON judgments(source);
CREATE TABLE outcomes (
    judgment_id TEXT NOT NULL REFERENCES judgments(judgment_id) ON DELETE CASCADE,
    outcome     TEXT NOT NULL CHECK (outcome IN ('yes', 'no', 'partial')),
    note        TEXT,
    resolved_by TEXT NOT NULL,
    resolved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    seq         INTEGER PRIMARY KEY AUTOINCREMENT
);
CREATE INDEX outcomes_judgment ON outcomes(judgment_id);
"#,
    // Who backs whom, for the alignment network; filled from the stored records.
    r#"
CREATE TABLE patrons (
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    actor_idx      INTEGER NOT NULL,
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    patron_country TEXT,
    patron_id      TEXT,
    since          TEXT,
    until          TEXT
);
CREATE INDEX patrons_doc ON patrons(doc_id);
INSERT INTO patrons (doc_id, actor_idx, code, name, patron_country, patron_id, since, until)
SELECT d.doc_id, a.key, json_extract(a.value, '$.code'), json_extract(a.value, '$.name'),
       json_extract(p.value, '$.country'), json_extract(p.value, '$.id'),
       json_extract(p.value, '$.from'), json_extract(p.value, '$.to')
FROM documents d, json_each(d.record, '$.actors') a, json_each(a.value, '$.patrons') p
WHERE json_valid(d.record);
"#,
    // Full-text search over the documents' titles and texts, kept in step by triggers.
    r#"
CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
INSERT INTO documents_fts (rowid, title, text) SELECT rowid, title, text FROM documents;
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
"#,
    // The fast read path: the columns the contest commands read, in two covering
    // indexes (led by source and by target code: a dyad or an arena is two index
    // ranges, a full scan reads one of them), so the commands never touch the JSON
    // records; reports of one
    // event clustered at ingest (`clusters`, `events.cluster`, `events.rep`); each
    // document's MinHash signature; the pipeline that coded each event; analysts'
    // corrections. Old events get their clusters on first open (the v5 migration re-clusters them; later, Store::refresh).
    r#"
ALTER TABLE events ADD COLUMN place TEXT;
ALTER TABLE events ADD COLUMN reported TEXT;
ALTER TABLE events ADD COLUMN cluster INTEGER;
ALTER TABLE events ADD COLUMN rep INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN pipeline TEXT;
ALTER TABLE documents ADD COLUMN minhash BLOB;
UPDATE events SET place = json_extract(record, '$.location.name'),
    reported = (SELECT published FROM documents d WHERE d.doc_id = events.doc_id)
    WHERE json_valid(record);
CREATE TABLE clusters (
    id          INTEGER PRIMARY KEY,
    source_code TEXT,
    target_code TEXT,
    root        TEXT NOT NULL,
    first       TEXT NOT NULL,
    last        TEXT NOT NULL,
    place       TEXT,
    reports     INTEGER NOT NULL,
    rep         TEXT NOT NULL,
    rep_date    TEXT NOT NULL
);
CREATE INDEX clusters_key ON clusters(source_code, target_code, root, last);
CREATE INDEX events_cluster ON events(cluster);
DROP INDEX events_source;
DROP INDEX events_target;
CREATE INDEX events_by_source ON events(source_code, target_code, rep, date_start, modality, source_country, target_country, quad, goldstein, cameo, place, cluster, event_id, doc_id, source_text, target_text, reported);
CREATE INDEX events_by_target ON events(target_code, source_code, rep, date_start, modality, source_country, target_country, quad, goldstein, cameo, place, cluster, event_id, doc_id, source_text, target_text, reported);
CREATE TABLE pipelines (
    id     TEXT PRIMARY KEY,
    record TEXT NOT NULL
);
CREATE TABLE corrections (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id      TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    nth         INTEGER NOT NULL,
    event_id    TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT,
    note        TEXT,
    made_by     TEXT NOT NULL,
    made_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX corrections_doc ON corrections(doc_id);
CREATE TABLE actor_stats (
    key         TEXT NOT NULL,
    registry_id TEXT,
    name        TEXT NOT NULL,
    code        TEXT NOT NULL,
    country     TEXT,
    type        TEXT NOT NULL,
    documents   INTEGER NOT NULL,
    PRIMARY KEY (key, code)
);
CREATE TABLE patron_pairs (
    code   TEXT NOT NULL,
    patron TEXT NOT NULL,
    name   TEXT NOT NULL,
    PRIMARY KEY (code, patron)
);
"#,
    // v6: the date index carries the end date, so a date range walks the index alone
    // (an event overlaps a range when it starts before its end and ends after its
    // start) instead of reading every earlier event's row.
    r#"
DROP INDEX events_date;
CREATE INDEX events_date ON events(date_start, date_end);
"#,
    // v7: the clusters' key carries their number of reports, so a dyad's counts are
    // one index range per code pair instead of a table lookup per event; and
    // `tallies`, the dated events grouped by everything the balance and the network
    // read but the date and the id (those packed in `ids`), kept in step by triggers
    // (see tallies.rs).
    r#"
DROP INDEX clusters_key;
CREATE INDEX clusters_key ON clusters(source_code, target_code, root, last, reports);
"#,
    crate::tallies::SCHEMA,
    // v9: with dyads read by code pair (both codes known) and the balance and the
    // network from the tallies, nothing reads the target-led index for its columns;
    // kept narrow, for the target codes a pair plan enumerates, it costs every event
    // a small index entry instead of a second wide one.
    r#"
DROP INDEX events_by_target;
CREATE INDEX events_by_target ON events(target_code, source_code);
"#,
];

/// What storing a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A new document.
    Inserted,
    /// The same content was already stored; only the input was noted.
    AlreadyStored,
}

/// Filters for [`Store::events`]. Dates are `YYYY-MM-DD` and compare with the event's date.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// An actor code prefix (`IRN` matches `IRNMIL`) or a case-insensitive part of a side's text.
    pub actor: Option<String>,
    /// ISO 3166 alpha-3 of either side.
    pub country: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// A CAMEO code or its prefix (`19` matches `190`, `193`, `1951`).
    pub cameo: Option<String>,
    /// QuadClass 1-4.
    pub quad: Option<u8>,
    /// A modality as the output contract spells it (`asserted`, `negated`, ...).
    pub modality: Option<String>,
    /// The name of the place the event is located at, any case.
    pub place: Option<String>,
    /// Only events of this document.
    pub doc_id: Option<String>,
    pub limit: Option<usize>,
    /// Skip this many matching events first (pages).
    pub offset: Option<usize>,
}

impl EventQuery {
    /// The actor, country and CAMEO filters as bound: LIKE wildcards stripped (a `%` in
    /// a filter is a character to match, not a pattern), the country upper-cased.
    fn patterns(&self) -> (Option<String>, Option<String>, Option<String>) {
        let like = |v: &Option<String>| v.as_ref().map(|a| a.replace(['%', '_'], ""));
        (like(&self.actor), self.country.as_ref().map(|c| c.to_ascii_uppercase()), like(&self.cameo))
    }
}

/// The WHERE clause of [`Store::events`] and [`Store::event_counts`], over bound
/// parameters ?1-?4 and ?6-?10; a NULL parameter disables its filter.
const EVENT_FILTER: &str = "(?1 IS NULL OR e.source_code LIKE ?1 || '%' OR e.target_code LIKE ?1 || '%'
       OR lower(e.source_text) LIKE '%' || lower(?1) || '%' OR lower(e.target_text) LIKE '%' || lower(?1) || '%')
  AND (?2 IS NULL OR e.source_country = ?2 OR e.target_country = ?2)
  AND (?3 IS NULL OR e.date_end >= ?3)
  AND (?4 IS NULL OR e.date_start <= ?4)
  AND (?6 IS NULL OR e.cameo LIKE ?6 || '%')
  AND (?7 IS NULL OR e.quad = ?7)
  AND (?8 IS NULL OR e.modality = ?8)
  AND (?9 IS NULL OR lower(e.place) = lower(?9))
  AND (?10 IS NULL OR e.doc_id = ?10)";

/// The period [`Store::event_counts`] groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountPeriod {
    Day,
    Month,
    Year,
}

/// Events of one period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PeriodCount {
    pub period: String,
    /// Real events (reports of one event count once).
    pub events: u64,
    /// Every report.
    pub reports: u64,
    /// Real events per QuadClass 1-4, then those without one.
    pub quad: [u64; 5],
}

/// Who published a document, for per-source track records: the site name, else the
/// URL's host, else the input it was read from.
fn judgment_source(r: &DocumentRecord) -> String {
    if let Some(s) = r.site_name.as_deref().filter(|s| !s.is_empty()) {
        return s.to_string();
    }
    if let Some(host) = r.url.as_deref().and_then(|u| u.split("://").nth(1)).and_then(|rest| rest.split('/').next()) {
        return host.trim_start_matches("www.").to_string();
    }
    r.source
        .rsplit_once(':')
        .filter(|(_, line)| line.parse::<u64>().is_ok())
        .map_or(r.source.clone(), |(p, _)| p.to_string())
}

/// An analyst's verdict on a judgment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Yes,
    No,
    Partial,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::Partial => "partial",
        }
    }

    /// The value scored against the judgment's probability.
    pub fn value(self) -> f64 {
        match self {
            Self::Yes => 1.0,
            Self::No => 0.0,
            Self::Partial => 0.5,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "yes" => Some(Self::Yes),
            "no" => Some(Self::No),
            "partial" => Some(Self::Partial),
            _ => None,
        }
    }
}

/// A stored judgment with its latest outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredJudgment {
    pub doc_id: String,
    pub source: String,
    pub author: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub judgment: sway_core::contract::JudgmentRecord,
    /// Latest outcome, with who recorded it, when, and the note.
    pub outcome: Option<(Outcome, String, String, Option<String>)>,
}

/// Filters for [`Store::judgments`].
#[derive(Debug, Clone, Default)]
pub struct JudgmentQuery {
    /// Exact source (site name, host or input path).
    pub source: Option<String>,
    /// Only judgments without an outcome.
    pub open: bool,
    pub limit: Option<usize>,
}

/// One row of a calibration table: judgments whose probability midpoint falls in
/// `[low, high)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationBin {
    pub low: f64,
    pub high: f64,
    pub n: usize,
    pub mean_p: f64,
    pub observed: f64,
}

/// A source's track record over its resolved judgments that carry a probability.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackRecord {
    /// `source` or `author`.
    pub by: &'static str,
    /// The source or author's name.
    pub source: String,
    pub resolved: usize,
    /// Mean squared difference between probability midpoint and outcome (0 is perfect).
    pub brier: f64,
    pub bins: Vec<CalibrationBin>,
}

/// A stored event with the document it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub doc_id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// The document's publication date (YYYY-MM-DD), when known.
    pub published: Option<String>,
    pub event: EventRecord,
}

/// A stored event as [`Store::events_raw`] reads it: the record is the stored JSON
/// (an object, with any analyst's corrections applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    pub doc_id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub record: String,
}

/// A document that matches a search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub doc_id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    /// The text around the match, the matching words in brackets.
    pub snippet: String,
}

/// Each word of a plain query as an FTS5 phrase, so that "U.S.-Iran" or "al-Kadhimi"
/// search for those words rather than break FTS5's syntax; quoted phrases stay whole.
fn fts_phrases(query: &str) -> String {
    let mut out = Vec::new();
    let mut rest = query.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let (phrase, tail) = r.split_once('"').unwrap_or((r, ""));
            out.push(phrase.to_string());
            rest = tail.trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    out.iter()
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .map(|p| format!("\"{}\"", p.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One actor of the store, summed over its documents. Event counts are by actor code,
/// so people sharing a code (`USAGOV`) share them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActorSummary {
    pub registry_id: Option<String>,
    pub name: String,
    pub code: String,
    pub country: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub documents: u64,
    pub as_source: u64,
    pub as_target: u64,
    /// Dates of the first and last events with this code.
    pub first: Option<String>,
    pub last: Option<String>,
}

/// A name an actor code goes by, for labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorLabel {
    pub registry_id: Option<String>,
    pub name: String,
    pub code: String,
    pub documents: u64,
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: String,
}

impl Store {
    /// Open (creating if needed) and migrate the store at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let p = path.display().to_string();
        let e = |source| StoreError::Sqlite { path: p.clone(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing directory would give SQLite's vaguer "unable to open" error.
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path).map_err(e)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(e)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(e)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(e)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(e)?;
        // Reads of a million-event store go through memory maps rather than a read
        // call per page, and ingest keeps its index pages cached (SQLite's default
        // cache of 2 MB thrashes on the event indexes).
        conn.pragma_update(None, "mmap_size", 1_i64 << 30).map_err(e)?;
        conn.pragma_update(None, "cache_size", -65_536).map_err(e)?;
        // Storing a document runs a few dozen distinct statements; rusqlite's default
        // cache of 16 would prepare some of them again for every document.
        conn.set_prepared_statement_cache_capacity(128);
        let mut store = Self { conn, path: p };
        store.migrate()?;
        Ok(store)
    }

    /// Open an existing store for reading only: no file is created, an old schema is
    /// refused rather than migrated (open it once with [`Store::open`]), and SQLite
    /// rejects any write on this connection (`PRAGMA query_only`), whatever a caller
    /// asks of it. For servers.
    pub fn open_query_only(path: &Path) -> Result<Self, StoreError> {
        let p = path.display().to_string();
        let e = |source| StoreError::Sqlite { path: p.clone(), source };
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // Read-write at the file level so the WAL index can be shared with a writer;
        // query_only forbids the writes.
        let conn = Connection::open_with_flags(path, flags).map_err(e)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(e)?;
        conn.pragma_update(None, "mmap_size", 1_i64 << 30).map_err(e)?;
        conn.pragma_update(None, "cache_size", -65_536).map_err(e)?;
        conn.pragma_update(None, "query_only", true).map_err(e)?;
        let store = Self { conn, path: p };
        let found = store.schema_version()?;
        if found != Self::SCHEMA_VERSION {
            return Err(StoreError::Version { path: store.path, found, known: Self::SCHEMA_VERSION });
        }
        Ok(store)
    }

    /// A number that changes whenever another connection commits to the store, for
    /// caches of query results.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0)).map_err(self.err())
    }

    /// A record stored as JSON, or the store's path and document named when it is corrupt.
    fn decode<T: serde::de::DeserializeOwned>(&self, doc_id: &str, json: &str) -> Result<T, StoreError> {
        serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
            path: self.path.clone(),
            doc_id: doc_id.to_string(),
            source,
        })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sqlite { path: self.path.clone(), source }
    }

    /// The schema version this build writes.
    pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(self.err())?;
        if version > Self::SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: self.path.clone(), found: version, known: Self::SCHEMA_VERSION });
        }
        let path = self.path.clone();
        let e = |source| StoreError::Sqlite { path: path.clone(), source };
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction().map_err(e)?;
            tx.execute_batch(sql).map_err(e)?;
            if i + 1 == 5 {
                // v5 keeps clusters of reports and actor summaries: fill them for what
                // is already stored.
                dedup::recluster(&tx).map_err(e)?;
                refresh_summaries(&tx).map_err(e)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64).map_err(e)?;
            tx.commit().map_err(e)?;
        }
        Ok(())
    }

    /// Replace what extraction found in a stored document with a new record of the
    /// same text (`sway recode`): its actors, events and judgments, in one transaction.
    /// Analysts' corrections are re-applied; outcomes recorded for judgments that the
    /// new record still has (same id) are kept. Returns the outcomes that were lost.
    /// Its events leave and join clusters of reports as they would at ingest; after
    /// re-coding many documents, [`Store::refresh`] re-clusters by the batch rule.
    pub fn replace(&mut self, record: &DocumentRecord) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let e = |source| StoreError::Sqlite { path: path.clone(), source };
        let slim = slim(record);
        let json = serde_json::to_string(&slim)?;
        let tx = self.conn.transaction().map_err(e)?;
        let kept: Vec<(String, String, Option<String>, String, String)> = tx
            .prepare(
                "SELECT o.judgment_id, o.outcome, o.note, o.resolved_by, o.resolved_at FROM outcomes o
                 JOIN judgments j ON j.judgment_id = o.judgment_id WHERE j.doc_id = ?1 ORDER BY o.seq",
            )
            .and_then(|mut st| {
                st.query_map([&record.doc_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                    .collect()
            })
            .map_err(e)?;
        dedup::remove_document(&tx, &record.doc_id).map_err(e)?;
        tx.execute(
            "UPDATE actor_stats SET documents = documents - 1 WHERE (key, code) IN
                (SELECT DISTINCT coalesce(registry_id, code || ' ' || name), code FROM actors WHERE doc_id = ?1)",
            [&record.doc_id],
        )
        .map_err(e)?;
        for table in ["actors", "mentions", "patrons", "events", "judgments"] {
            tx.execute(&format!("DELETE FROM {table} WHERE doc_id = ?1"), [&record.doc_id]).map_err(e)?;
        }
        tx.execute(
            "UPDATE documents SET record = ?2, sway_version = ?3 WHERE doc_id = ?1",
            params![record.doc_id, json, record.pipeline.sway_version],
        )
        .map_err(e)?;
        insert_layers(&tx, record).map_err(|err| err.at(&path))?;
        let mut lost = 0;
        for (id, outcome, note, by, at) in kept {
            let n = tx
                .execute(
                    "INSERT INTO outcomes (judgment_id, outcome, note, resolved_by, resolved_at)
                     SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM judgments WHERE judgment_id = ?1)",
                    params![id, outcome, note, by, at],
                )
                .map_err(e)?;
            lost += usize::from(n == 0);
        }
        tx.commit().map_err(e)?;
        Ok(lost)
    }

    /// Record an analyst's correction of a stored event and apply it now. It is
    /// anchored to the event's trigger in its document, so `sway recode` re-applies it.
    pub fn correct(
        &mut self,
        event_id: &str,
        fix: &Correction,
        note: Option<&str>,
        by: &str,
    ) -> Result<Option<EventRecord>, StoreError> {
        let Some((doc_id, _)) = self.event_record(event_id)? else { return Ok(None) };
        let Some(rec) = self.document(&doc_id)? else { return Ok(None) };
        let anchors = corrections::anchors(&rec.events);
        let Some(pos) = rec.events.iter().position(|ev| ev.id == event_id) else { return Ok(None) };
        let (start, end, nth) = anchors[pos];
        self.conn
            .execute(
                "INSERT INTO corrections (doc_id, trigger_start, trigger_end, nth, event_id, field, value, note, made_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![doc_id, start as i64, end as i64, nth as i64, event_id, fix.field.as_str(), fix.value, note, by],
            )
            .map_err(self.err())?;
        // Re-write the document's layers so that every table and the clusters agree.
        self.replace(&rec)?;
        Ok(self.event_record(event_id)?.map(|(_, e)| e))
    }

    /// A stored event by id, with its document id.
    pub fn event_record(&self, event_id: &str) -> Result<Option<(String, EventRecord)>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row("SELECT doc_id, record FROM events WHERE event_id = ?1", [event_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(self.err())?;
        row.map(|(doc, json)| Ok((doc.clone(), self.decode(&doc, &json)?))).transpose()
    }

    /// Every correction, oldest first: (event id at the time, field, value, note, by, when).
    #[allow(clippy::type_complexity)]
    pub fn corrections(
        &self,
    ) -> Result<Vec<(String, String, Option<String>, Option<String>, String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT event_id, field, value, note, made_by, made_at FROM corrections ORDER BY seq")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The ids of every stored document, in id order (for `sway recode`).
    pub fn document_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut st = self.conn.prepare_cached("SELECT doc_id FROM documents ORDER BY doc_id").map_err(self.err())?;
        let rows = st.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Stored MinHash signatures of these documents (those stored before v5 have none).
    pub fn signatures(&self, doc_ids: &[&str]) -> Result<Vec<(String, [u32; sway_contest::SIGNATURE])>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT doc_id, minhash FROM documents WHERE doc_id = ?1 AND minhash IS NOT NULL")
            .map_err(self.err())?;
        let mut out = Vec::new();
        for id in doc_ids {
            let row: Option<(String, Vec<u8>)> =
                st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional().map_err(self.err())?;
            if let Some((id, blob)) = row.filter(|(_, b)| b.len() == 4 * sway_contest::SIGNATURE) {
                let mut sig = [0u32; sway_contest::SIGNATURE];
                for (k, c) in blob.chunks_exact(4).enumerate() {
                    sig[k] = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                }
                out.push((id, sig));
            }
        }
        Ok(out)
    }

    /// The pipelines that coded the stored events, with how many events each coded.
    pub fn pipelines(&self) -> Result<Vec<(String, PipelineInfo, u64)>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT p.id, p.record, (SELECT count(*) FROM events e WHERE e.pipeline = p.id) FROM pipelines p ORDER BY p.id",
            )
            .map_err(self.err())?;
        let rows: Vec<(String, String, i64)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.err())?
            .collect::<Result<_, _>>()
            .map_err(self.err())?;
        rows.into_iter().map(|(id, json, n)| Ok((id.clone(), self.decode(&id, &json)?, n as u64))).collect()
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(self.err())
    }

    /// Store one analyzed document and everything in it, in one transaction. `text` is
    /// the document's extracted text (the record's offsets point into it).
    pub fn put(&mut self, record: &DocumentRecord, text: &str) -> Result<Stored, StoreError> {
        let mut out = self.put_many(&[(record, text)])?;
        out.pop().unwrap_or(Ok(Stored::AlreadyStored))
    }

    /// Store several analyzed documents in one transaction, each whole or not at all.
    /// At ingest speed a commit per document costs more than writing its rows; a batch
    /// commits once. Should one document fail, the batch is rolled back and its
    /// documents are stored one transaction each, so that one bad document leaves the
    /// others stored. Returns one result per document, in order.
    pub fn put_many(
        &mut self,
        docs: &[(&DocumentRecord, &str)],
    ) -> Result<Vec<Result<Stored, StoreError>>, StoreError> {
        let path = self.path.clone();
        let e = |source| StoreError::Sqlite { path: path.clone(), source };
        if docs.len() > 1 {
            let tx = self.conn.transaction().map_err(e)?;
            let all: Result<Vec<Stored>, StoreError> =
                docs.iter().map(|(record, text)| put_in(&tx, &path, record, text)).collect();
            if let Ok(stored) = all {
                tx.commit().map_err(e)?;
                return Ok(stored.into_iter().map(Ok).collect());
            }
            // Dropping the transaction rolls the batch back.
        }
        let mut out = Vec::with_capacity(docs.len());
        for (record, text) in docs {
            let tx = self.conn.transaction().map_err(e)?;
            let r = put_in(&tx, &path, record, text);
            if r.is_ok() {
                tx.commit().map_err(e)?;
            }
            out.push(r);
        }
        Ok(out)
    }

    pub fn count_documents(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.err())
    }

    pub fn count_events(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.err())
    }

    /// Events matching `q` by start date (then end date; undated events last), then in the order
    /// they were stored (a document's events in document order).
    pub fn events(&self, q: &EventQuery) -> Result<Vec<StoredEvent>, StoreError> {
        self.events_raw(q)?
            .into_iter()
            .map(|r| {
                let event = self.decode(&r.doc_id, &r.record)?;
                Ok(StoredEvent { doc_id: r.doc_id, title: r.title, url: r.url, published: r.published, event })
            })
            .collect()
    }

    /// [`Store::events`] with each event's record as the stored JSON, undecoded: for
    /// servers that pass it on as it is.
    pub fn events_raw(&self, q: &EventQuery) -> Result<Vec<RawEvent>, StoreError> {
        // Dated events walk the date index in order, so a page costs its own rows, not
        // a sort of every match; undated ones follow.
        let limit = q.limit.map(|l| l as i64);
        let offset = q.offset.unwrap_or(0) as i64;
        let mut out = self.events_page(q, true, limit, offset)?;
        let remaining = limit.map(|l| l - out.len() as i64);
        if remaining.is_some_and(|r| r <= 0) {
            return Ok(out);
        }
        // Past the dated events: skip what of the offset they did not use.
        let skip = if out.is_empty() && offset > 0 { (offset - self.count_matching(q)?).max(0) } else { 0 };
        out.extend(self.events_page(q, false, remaining, skip)?);
        Ok(out)
    }

    /// Dated matches of `q`, for paging past them.
    fn count_matching(&self, q: &EventQuery) -> Result<i64, StoreError> {
        let sql = format!(
            "SELECT count(*) FROM events e WHERE {EVENT_FILTER} AND e.date_start IS NOT NULL
               AND coalesce(?5, ?11) IS NULL -- limit and offset do not apply to counts"
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let (actor, country, cameo) = q.patterns();
        let none: Option<i64> = None;
        let args = params![actor, country, q.since, q.until, none, cameo, q.quad, q.modality, q.place, q.doc_id, none];
        st.query_row(args, |r| r.get(0)).map_err(self.err())
    }

    fn events_page(
        &self,
        q: &EventQuery,
        dated: bool,
        limit: Option<i64>,
        offset: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        // Every filter is a bound parameter; a NULL parameter disables its filter.
        let (which, order) = if dated {
            ("e.date_start IS NOT NULL", "e.date_start, e.date_end, e.rowid")
        } else {
            ("e.date_start IS NULL", "e.rowid")
        };
        let sql = format!(
            "SELECT e.doc_id, d.title, d.url, e.record, d.published FROM events e JOIN documents d ON d.doc_id = e.doc_id
             WHERE {EVENT_FILTER} AND {which}
             ORDER BY {order}
             LIMIT ?5 OFFSET ?11"
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let (actor, country, cameo) = q.patterns();
        let limit = limit.unwrap_or(-1);
        let args =
            params![actor, country, q.since, q.until, limit, cameo, q.quad, q.modality, q.place, q.doc_id, offset];
        let rows = st
            .query_map(args, |r| {
                Ok(RawEvent {
                    doc_id: r.get(0)?,
                    title: r.get(1)?,
                    url: r.get(2)?,
                    record: r.get(3)?,
                    published: r.get(4)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Events matching `q` (its limit and offset aside) per period of their start date:
    /// `day`, `month` or `year`. Each row is the period (`2020-01`), its events per
    /// QuadClass (1-4, then none), and its reports; each real event counts once.
    pub fn event_counts(&self, q: &EventQuery, by: CountPeriod) -> Result<Vec<PeriodCount>, StoreError> {
        let width = match by {
            CountPeriod::Day => 10,
            CountPeriod::Month => 7,
            CountPeriod::Year => 4,
        };
        // Rows are counted here as they stream: SQLite's GROUP BY would sort every
        // matching row into a temporary b-tree first.
        let sql = format!(
            "SELECT e.date_start, e.quad, e.rep
             FROM events e WHERE {EVENT_FILTER} AND e.date_start IS NOT NULL
               AND coalesce(?5, ?11) IS NULL -- limit and offset do not apply to counts"
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let (actor, country, cameo) = q.patterns();
        let none: Option<i64> = None;
        let args = params![actor, country, q.since, q.until, none, cameo, q.quad, q.modality, q.place, q.doc_id, none];
        let mut rows = st.query(args).map_err(self.err())?;
        let mut by_period: std::collections::BTreeMap<String, PeriodCount> = std::collections::BTreeMap::new();
        while let Some(r) = rows.next().map_err(self.err())? {
            let Ok(rusqlite::types::ValueRef::Text(date)) = r.get_ref(0) else { continue };
            let period = std::str::from_utf8(&date[..date.len().min(width)]).unwrap_or("");
            let quad = r.get::<_, Option<i64>>(1).map_err(self.err())?;
            let rep = r.get::<_, Option<i64>>(2).map_err(self.err())? == Some(1);
            let row = match by_period.get_mut(period) {
                Some(row) => row,
                None => by_period.entry(period.to_string()).or_insert_with(|| PeriodCount {
                    period: period.to_string(),
                    events: 0,
                    reports: 0,
                    quad: [0; 5],
                }),
            };
            row.reports += 1;
            if rep {
                row.events += 1;
                row.quad[quad.filter(|q| (1..=4).contains(q)).map_or(4, |q| q as usize - 1)] += 1;
            }
        }
        Ok(by_period.into_values().collect())
    }

    /// Documents matching a search, best first, with a snippet around the match. Each
    /// word of `query` must occur (a word may be a phrase in quotes); with `raw`, the
    /// query is FTS5's own syntax (AND, OR, NOT, NEAR, prefix*).
    pub fn search(&self, query: &str, raw: bool, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let q = if raw { query.to_string() } else { fts_phrases(query) };
        if q.trim().is_empty() {
            return Ok(Vec::new());
        }
        let sql = "SELECT d.doc_id, d.title, d.published, snippet(documents_fts, 1, '[', ']', '…', 16)
            FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
            WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT ?2";
        let mut st = self.conn.prepare_cached(sql).map_err(self.err())?;
        let rows = st
            .query_map(params![q, limit as i64], |r| {
                Ok(SearchHit { doc_id: r.get(0)?, title: r.get(1)?, published: r.get(2)?, snippet: r.get(3)? })
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(|e| match e {
            rusqlite::Error::SqliteFailure(_, Some(m)) if m.contains("fts5") || m.contains("syntax") => {
                StoreError::Query { query: query.to_string(), reason: m }
            }
            e => StoreError::Sqlite { path: self.path.clone(), source: e },
        })
    }

    /// Call `f` with each stored document's id and text, in id order (for fingerprints).
    pub fn for_each_text(&self, mut f: impl FnMut(&str, &str)) -> Result<(), StoreError> {
        let mut st =
            self.conn.prepare_cached("SELECT doc_id, text FROM documents ORDER BY doc_id").map_err(self.err())?;
        let mut rows = st.query([]).map_err(self.err())?;
        while let Some(r) = rows.next().map_err(self.err())? {
            let (id, text): (String, String) = (r.get(0).map_err(self.err())?, r.get(1).map_err(self.err())?);
            f(&id, &text);
        }
        Ok(())
    }

    /// Who backs whom, once per client code and patron: the patron is a country code
    /// or a registry id.
    pub fn patron_links(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT code, name, patron FROM patron_pairs ORDER BY code, patron")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Every actor's names under each code, with the number of documents it appears in
    /// (kept at ingest: cheap to read on a store of any size).
    pub fn actor_labels(&self) -> Result<Vec<ActorLabel>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT registry_id, name, code, documents FROM actor_stats WHERE documents > 0 ORDER BY code, key",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| {
                Ok(ActorLabel {
                    registry_id: r.get(0)?,
                    name: r.get(1)?,
                    code: r.get(2)?,
                    documents: r.get::<_, i64>(3)? as u64,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The actors of the stored documents, one row per registry entry (or per code and
    /// name for actors the registry does not know), most documents first.
    pub fn actor_summary(&self, country: Option<&str>) -> Result<Vec<ActorSummary>, StoreError> {
        let sql = "WITH a AS (
                SELECT coalesce(registry_id, code || ' ' || name) AS key, registry_id, name, code, country, type, doc_id
                FROM actors WHERE (?1 IS NULL OR country = ?1)),
            ev AS (
                SELECT code, sum(src) AS src, sum(tgt) AS tgt, min(first) AS first, max(last) AS last FROM (
                    SELECT source_code AS code, count(*) AS src, 0 AS tgt, min(date_start) AS first, max(date_start) AS last
                    FROM events WHERE source_code IS NOT NULL GROUP BY source_code
                    UNION ALL
                    SELECT target_code, 0, count(*), min(date_start), max(date_start)
                    FROM events WHERE target_code IS NOT NULL GROUP BY target_code)
                GROUP BY code)
            SELECT a.key, max(a.registry_id), min(a.name), a.code, max(a.country), min(a.type),
                   count(DISTINCT a.doc_id), max(ev.src), max(ev.tgt), max(ev.first), max(ev.last)
            FROM a LEFT JOIN ev ON ev.code = a.code
            GROUP BY a.key, a.code ORDER BY count(DISTINCT a.doc_id) DESC, a.code, a.key";
        let mut st = self.conn.prepare_cached(sql).map_err(self.err())?;
        let country = country.map(str::to_ascii_uppercase);
        let rows = st
            .query_map(params![country], |r| {
                Ok(ActorSummary {
                    registry_id: r.get(1)?,
                    name: r.get(2)?,
                    code: r.get(3)?,
                    country: r.get(4)?,
                    kind: r.get(5)?,
                    documents: r.get::<_, i64>(6)? as u64,
                    as_source: r.get::<_, Option<i64>>(7)?.unwrap_or(0) as u64,
                    as_target: r.get::<_, Option<i64>>(8)?.unwrap_or(0) as u64,
                    first: r.get(9)?,
                    last: r.get(10)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Judgments matching `q`, in document order, each with its latest outcome.
    pub fn judgments(&self, q: &JudgmentQuery) -> Result<Vec<StoredJudgment>, StoreError> {
        let sql = "SELECT j.doc_id, j.source, d.title, d.published, j.record, j.author,
                   (SELECT o.outcome || char(31) || o.resolved_by || char(31) || o.resolved_at || char(31) || coalesce(o.note, '')
                      FROM outcomes o WHERE o.judgment_id = j.judgment_id ORDER BY o.seq DESC LIMIT 1) AS latest
            FROM judgments j JOIN documents d ON d.doc_id = j.doc_id
            WHERE (?1 IS NULL OR j.source = ?1)
              AND (?2 = 0 OR NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.judgment_id = j.judgment_id))
            ORDER BY d.published IS NULL, d.published, j.doc_id, j.seq
            LIMIT ?3";
        let mut st = self.conn.prepare_cached(sql).map_err(self.err())?;
        let limit = q.limit.map_or(-1, |l| l as i64);
        let rows = st
            .query_map(params![q.source, i64::from(q.open), limit], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (doc_id, source, title, published, json, latest, author) = row.map_err(self.err())?;
            let judgment = self.decode(&doc_id, &json)?;
            let outcome = latest.and_then(|l| {
                let f: Vec<&str> = l.split('\u{1f}').collect();
                let o = Outcome::parse(f.first()?)?;
                let note = f.get(3).filter(|n| !n.is_empty()).map(|n| n.to_string());
                Some((o, f.get(1)?.to_string(), f.get(2)?.to_string(), note))
            });
            out.push(StoredJudgment { doc_id, source, author, title, published, judgment, outcome });
        }
        Ok(out)
    }

    /// Later events that bear on an open judgment: events in other documents, dated
    /// after the judgment's own events, with the same source and target countries and
    /// the same CAMEO root as one of them. They only suggest an outcome; a person
    /// confirms it with [`Store::resolve`].
    pub fn suggestions(&self, judgment: &StoredJudgment) -> Result<Vec<StoredEvent>, StoreError> {
        let mut out = Vec::new();
        for id in &judgment.judgment.events {
            let sql = "SELECT l.doc_id, d.title, d.url, l.record, d.published FROM events e
                JOIN events l ON l.source_country = e.source_country AND l.target_country = e.target_country
                             AND substr(l.cameo, 1, 2) = substr(e.cameo, 1, 2)
                             AND l.doc_id <> e.doc_id AND l.date_start > coalesce(e.date_end, e.date_start, '')
                JOIN documents d ON d.doc_id = l.doc_id
                WHERE e.event_id = ?1
                ORDER BY l.date_start, l.event_id LIMIT 20";
            let mut st = self.conn.prepare_cached(sql).map_err(self.err())?;
            let rows = st
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                })
                .map_err(self.err())?;
            for row in rows {
                let (doc_id, title, url, json, published) = row.map_err(self.err())?;
                let event = self.decode(&doc_id, &json)?;
                out.push(StoredEvent { doc_id, title, url, published, event });
            }
        }
        Ok(out)
    }

    /// Record an outcome for a judgment; a later outcome supersedes an earlier one,
    /// which is kept. Returns false when no judgment has that id.
    pub fn resolve(
        &mut self,
        judgment_id: &str,
        outcome: Outcome,
        note: Option<&str>,
        by: &str,
    ) -> Result<bool, StoreError> {
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM judgments WHERE judgment_id = ?1", [judgment_id], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        if exists.is_none() {
            return Ok(false);
        }
        self.conn
            .execute(
                "INSERT INTO outcomes (judgment_id, outcome, note, resolved_by) VALUES (?1, ?2, ?3, ?4)",
                params![judgment_id, outcome.as_str(), note, by],
            )
            .map_err(self.err())?;
        Ok(true)
    }

    /// Brier score and a ten-bin calibration table per source and per author, over resolved
    /// judgments that carry a probability (scored at their range's midpoint).
    pub fn track_records(&self) -> Result<Vec<TrackRecord>, StoreError> {
        let all = self.judgments(&JudgmentQuery::default())?;
        let mut groups: std::collections::BTreeMap<(&'static str, String), Vec<(f64, f64)>> = Default::default();
        for j in all {
            let (Some((o, ..)), Some(lo), Some(hi)) = (j.outcome, j.judgment.p_low, j.judgment.p_high) else {
                continue;
            };
            let scored = ((lo + hi) / 2.0, o.value());
            groups.entry(("source", j.source)).or_default().push(scored);
            if let Some(a) = j.author {
                groups.entry(("author", a)).or_default().push(scored);
            }
        }
        Ok(groups
            .into_iter()
            .map(|((by, source), pairs)| {
                let n = pairs.len();
                let brier = pairs.iter().map(|(p, o)| (p - o).powi(2)).sum::<f64>() / n as f64;
                let bins = (0..10)
                    .filter_map(|b| {
                        let (low, high) = (b as f64 / 10.0, (b + 1) as f64 / 10.0);
                        let inside: Vec<&(f64, f64)> =
                            pairs.iter().filter(|(p, _)| *p >= low && (*p < high || (b == 9 && *p <= 1.0))).collect();
                        (!inside.is_empty()).then(|| CalibrationBin {
                            low,
                            high,
                            n: inside.len(),
                            mean_p: inside.iter().map(|x| x.0).sum::<f64>() / inside.len() as f64,
                            observed: inside.iter().map(|x| x.1).sum::<f64>() / inside.len() as f64,
                        })
                    })
                    .collect();
                TrackRecord { by, source, resolved: n, brier, bins }
            })
            .collect())
    }

    /// The stored record of a document, with its text.
    pub fn document(&self, doc_id: &str) -> Result<Option<DocumentRecord>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row("SELECT record, text FROM documents WHERE doc_id = ?1", [doc_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(self.err())?;
        row.map(|(json, text)| {
            let mut rec: DocumentRecord = self.decode(doc_id, &json)?;
            rec.text = Some(text);
            Ok(rec)
        })
        .transpose()
    }
}

/// The record as stored: without its text (the documents table has it) and without
/// each sentence's tokens. Tokens are three quarters of a record's JSON and are
/// re-derived from the text by the pipeline the record names (`sway explain`, `sway
/// recode`), so the store keeps sentences as spans only.
fn slim(record: &DocumentRecord) -> DocumentRecord {
    let mut slim = record.clone();
    slim.text = None;
    for s in &mut slim.sentences {
        s.tokens.clear();
    }
    slim
}

/// Rebuild the actor and patron summaries from the actor rows (after a migration or
/// a re-code, which may drop actors and patrons).
/// One document's rows, written inside the caller's transaction.
fn put_in(tx: &Connection, path: &str, record: &DocumentRecord, text: &str) -> Result<Stored, StoreError> {
    let e = |source| StoreError::Sqlite { path: path.to_string(), source };
    let slim = slim(record);
    let json = serde_json::to_string(&slim)?;
    let exists: Option<i64> = tx
        .query_row("SELECT 1 FROM documents WHERE doc_id = ?1", [&record.doc_id], |r| r.get(0))
        .optional()
        .map_err(e)?;
    if exists.is_some() {
        tx.execute(
            "INSERT OR IGNORE INTO inputs (doc_id, source, input_id) VALUES (?1, ?2, ?3)",
            params![record.doc_id, record.source, record.input_id],
        )
        .map_err(e)?;
        return Ok(Stored::AlreadyStored);
    }
    let signature: Vec<u8> = sway_contest::minhash(text).iter().flat_map(|h| h.to_le_bytes()).collect();
    tx.prepare_cached(
        "INSERT INTO documents (doc_id, title, url, published, site_name, language, format, text, record, sway_version, minhash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .and_then(|mut st| {
        st.execute(params![record.doc_id, record.title, record.url, record.published, record.site_name, record.language, record.format, text, json, record.pipeline.sway_version, signature])
    })
    .map_err(e)?;
    tx.prepare_cached("INSERT INTO inputs (doc_id, source, input_id) VALUES (?1, ?2, ?3)")
        .and_then(|mut st| st.execute(params![record.doc_id, record.source, record.input_id]))
        .map_err(e)?;
    {
        let mut st = tx
            .prepare_cached("INSERT INTO blocks (doc_id, idx, kind, start, \"end\") VALUES (?1, ?2, ?3, ?4, ?5)")
            .map_err(e)?;
        for (i, b) in record.blocks.iter().enumerate() {
            st.execute(params![record.doc_id, i as i64, b.kind.as_str(), b.start as i64, b.end as i64]).map_err(e)?;
        }
    }
    insert_layers(tx, record).map_err(|err| err.at(path))?;
    Ok(Stored::Inserted)
}

fn refresh_summaries(c: &Connection) -> rusqlite::Result<()> {
    c.execute_batch(
        "DELETE FROM actor_stats;
         INSERT INTO actor_stats (key, registry_id, name, code, country, type, documents)
         SELECT coalesce(registry_id, code || ' ' || name), max(registry_id), min(name), code, max(country), min(type),
                count(DISTINCT doc_id)
         FROM actors GROUP BY coalesce(registry_id, code || ' ' || name), code;
         DELETE FROM patron_pairs;
         INSERT OR IGNORE INTO patron_pairs (code, patron, name)
         SELECT code, coalesce(patron_country, patron_id), min(name) FROM patrons
         WHERE coalesce(patron_country, patron_id) IS NOT NULL GROUP BY code, coalesce(patron_country, patron_id);",
    )
}

/// Why writing a document's layers failed.
enum Layer {
    Sql(rusqlite::Error),
    Json(serde_json::Error),
}

impl Layer {
    fn at(self, path: &str) -> StoreError {
        match self {
            Self::Sql(source) => StoreError::Sqlite { path: path.to_string(), source },
            Self::Json(j) => StoreError::Serialize(j),
        }
    }
}

impl From<rusqlite::Error> for Layer {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sql(e)
    }
}

impl From<serde_json::Error> for Layer {
    fn from(e: serde_json::Error) -> Self {
        Self::Json(e)
    }
}

/// Write what extraction found in a document (actors, mentions, patrons, events and
/// their clusters, judgments), with the analysts' corrections applied to the events.
fn insert_layers(tx: &Connection, record: &DocumentRecord) -> Result<(), Layer> {
    let mut sa = tx
            .prepare_cached("INSERT INTO actors (doc_id, idx, registry_id, name, code, country, sector, type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            ?;
    let mut sm = tx
        .prepare_cached("INSERT INTO mentions (doc_id, actor_idx, start, \"end\", text) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    let mut sp = tx
            .prepare_cached(
                "INSERT INTO patrons (doc_id, actor_idx, code, name, patron_country, patron_id, since, until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            ?;
    for (i, a) in record.actors.iter().enumerate() {
        let kind = serde_json::to_value(a.kind)?.as_str().unwrap_or_default().to_string();
        sa.execute(params![record.doc_id, i as i64, a.id, a.name, a.code, a.country, a.sector, kind])?;
        for p in &a.patrons {
            sp.execute(params![record.doc_id, i as i64, a.code, a.name, p.country, p.id, p.from, p.to])?;
        }
        for m in &a.mentions {
            sm.execute(params![record.doc_id, i as i64, m.start as i64, m.end as i64, m.text])?;
        }
    }
    // Summaries the contest commands read instead of aggregating every actor row.
    let mut keys = std::collections::BTreeMap::new();
    for a in &record.actors {
        let kind = serde_json::to_value(a.kind)?.as_str().unwrap_or_default().to_string();
        let key = a.id.clone().unwrap_or_else(|| format!("{} {}", a.code, a.name));
        keys.entry(key).or_insert((a, kind));
        for p in &a.patrons {
            if let Some(patron) = p.country.as_ref().or(p.id.as_ref()) {
                tx.prepare_cached("INSERT OR IGNORE INTO patron_pairs (code, patron, name) VALUES (?1, ?2, ?3)")?
                    .execute(params![a.code, patron, a.name])?;
            }
        }
    }
    for (key, (a, kind)) in &keys {
        tx.prepare_cached(
            "INSERT INTO actor_stats (key, registry_id, name, code, country, type, documents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
             ON CONFLICT (key, code) DO UPDATE SET documents = documents + 1,
                 name = min(name, excluded.name), country = coalesce(country, excluded.country)",
        )?
        .execute(params![key, a.id, a.name, a.code, a.country, kind])?;
    }
    let pipeline = pipeline_id(&record.pipeline)?;
    tx.execute(
        "INSERT OR IGNORE INTO pipelines (id, record) VALUES (?1, ?2)",
        params![pipeline, serde_json::to_string(&record.pipeline)?],
    )?;
    let mut events = record.events.clone();
    corrections::apply(tx, &record.doc_id, &mut events)?;
    let mut se = tx
            .prepare_cached(
                "INSERT INTO events (event_id, doc_id, seq, source_code, source_country, source_text, target_code, target_country, target_text, cameo, quad, goldstein, modality, date_start, date_end, record, place, reported, pipeline, cluster, rep)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            )
            ?;
    for (i, ev) in events.iter().enumerate() {
        let side = |p: &Option<sway_core::contract::ParticipantRecord>| {
            p.as_ref().map_or((None, None, None), |p| (p.code.clone(), p.country.clone(), Some(p.text.clone())))
        };
        let (sc, sn, st_) = side(&ev.source);
        let (tc, tn, tt) = side(&ev.target);
        // Clustered before it is written, so its row is written once.
        let (cluster, rep) = match &ev.date {
            Some(d) => {
                let key = dedup::Key {
                    source: sc.as_deref(),
                    target: tc.as_deref(),
                    root: ev.cameo.get(..2).unwrap_or(&ev.cameo),
                };
                let place = ev.location.as_ref().map(|l| l.name.as_str());
                let (c, r) = dedup::place_new(tx, &ev.id, key, &d.start, place, dedup::INGEST_DAYS)?;
                (Some(c), r)
            }
            None => (None, true),
        };
        se.execute(params![
            ev.id,
            record.doc_id,
            i as i64,
            sc,
            sn,
            st_,
            tc,
            tn,
            tt,
            ev.cameo,
            ev.quad.map(i64::from),
            ev.goldstein,
            ev.modality.as_str(),
            ev.date.as_ref().map(|d| d.start.clone()),
            ev.date.as_ref().map(|d| d.end.clone()),
            serde_json::to_string(ev)?,
            ev.location.as_ref().map(|l| l.name.clone()),
            record.published,
            pipeline,
            cluster,
            rep,
        ])?;
    }
    let mut sj = tx.prepare_cached(
        "INSERT INTO judgments (judgment_id, doc_id, seq, kind, term, p_low, p_high, holder, source, author, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let source = judgment_source(record);
    for (i, j) in record.judgments.iter().enumerate() {
        sj.execute(params![
            j.id,
            record.doc_id,
            i as i64,
            j.kind,
            j.term,
            j.p_low,
            j.p_high,
            j.holder,
            source,
            record.author,
            serde_json::to_string(j)?
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(src: &str, name: &str) -> (DocumentRecord, String) {
        let doc = fixture::doc(src, name);
        (doc.0, doc.1)
    }

    /// A minimal record without pulling the pipeline into this crate's tests.
    mod fixture {
        use sway_core::contract::*;

        pub fn judgment(id: &str, p: Option<(f64, f64)>) -> JudgmentRecord {
            JudgmentRecord {
                id: id.into(),
                kind: "prediction".into(),
                text: "x".into(),
                term: p.map(|_| "likely".into()),
                negated: false,
                p_low: p.map(|p| p.0),
                p_high: p.map(|p| p.1),
                confidence: None,
                holder: Some("author".into()),
                holder_actor: None,
                horizon: None,
                conditions: vec![],
                events: vec![],
                evidence: Evidence { sentence: 0, start: 0, end: 1, text: "x".into() },
            }
        }
        pub fn doc(text: &str, source: &str) -> (DocumentRecord, String) {
            let ev = |id: &str, date: &str, s: &str, t: &str| EventRecord {
                id: id.into(),
                source: Some(ParticipantRecord {
                    text: s.into(),
                    actor: Some(0),
                    code: Some(s.into()),
                    country: Some(s[..3].into()),
                    sector: None,
                }),
                target: Some(ParticipantRecord {
                    text: t.into(),
                    actor: Some(1),
                    code: Some(t.into()),
                    country: Some(t[..3].into()),
                    sector: None,
                }),
                cameo: "190".into(),
                plover: Some("ASSAULT".into()),
                mode: None,
                goldstein: Some(-10.0),
                goldstein_table: None,
                quad: Some(4),
                modality: Modality::Asserted,
                attributed_to: None,
                confidence: 0.5,
                date: Some(EventDate {
                    start: date.into(),
                    end: date.into(),
                    precision: Precision::Day,
                    text: None,
                    method: DateMethod::Reference,
                }),
                location: None,
                amounts: vec![],
                trigger: MentionRecord { start: 0, end: 1, text: text[..1].into() },
                evidence: Evidence { sentence: 0, start: 0, end: text.len(), text: text.into() },
                rule: "test".into(),
            };
            let rec = DocumentRecord {
                schema_version: 1,
                doc_id: format!("{:032x}", text.len()),
                input_id: None,
                source: source.into(),
                format: "text".into(),
                title: Some("T".into()),
                url: None,
                published: None,
                site_name: None,
                author: Some("A. Writer".into()),
                language: Some("en".into()),
                reference_date: None,
                reference_method: ReferenceMethod::None,
                pipeline: PipelineInfo { sway_version: "0".into(), stages: vec![], resources: Default::default() },
                warnings: vec![],
                text: None,
                blocks: vec![BlockRecord { kind: sway_core::BlockKind::Paragraph, start: 0, end: text.len() }],
                sentences: vec![],
                actors: vec![],
                times: vec![],
                places: vec![],
                amounts: vec![],
                events: vec![ev("a-1", "2020-01-03", "USAMIL", "IRNMIL"), ev("a-2", "2020-10-17", "RUS", "UKR")],
                judgments: vec![
                    judgment("a-j1", Some((0.95, 0.98))),
                    judgment("a-j2", Some((0.2, 0.3))),
                    judgment("a-j3", None),
                ],
            };
            (rec, text.into())
        }
    }

    /// A document whose events are given as (id suffix, date, source, target, cameo, place).
    /// (id suffix, date, source, target, cameo, place)
    type TestEvent<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, Option<&'a str>);

    fn doc_with(n: usize, events: &[TestEvent<'_>]) -> (DocumentRecord, String) {
        let text = format!("Document {n}: {}", "x".repeat(n));
        let (mut rec, text) = record(&text, &format!("d{n}.txt"));
        let template = rec.events[0].clone();
        rec.doc_id = format!("doc{n:04}");
        rec.judgments.clear();
        rec.events = events
            .iter()
            .enumerate()
            .map(|(k, &(id, date, src, tgt, cameo, place))| {
                let mut e = template.clone();
                e.id = format!("{}-{id}", rec.doc_id);
                e.date.as_mut().unwrap().start = date.into();
                e.date.as_mut().unwrap().end = date.into();
                e.source.as_mut().unwrap().code = Some(src.into());
                e.source.as_mut().unwrap().country = Some(src[..3].into());
                e.target.as_mut().unwrap().code = Some(tgt.into());
                e.target.as_mut().unwrap().country = Some(tgt[..3].into());
                e.cameo = cameo.into();
                e.trigger = sway_core::contract::MentionRecord { start: k, end: k + 1, text: text[k..k + 1].into() };
                e.location = place.map(|p| sway_core::contract::EventLocation {
                    place: None,
                    name: p.into(),
                    country: None,
                    lat: None,
                    lon: None,
                });
                e
            })
            .collect();
        (rec, text)
    }

    /// The partition of event ids into clusters, each sorted, as a sorted list.
    fn partition(groups: impl IntoIterator<Item = Vec<String>>) -> Vec<Vec<String>> {
        let mut p: Vec<Vec<String>> = groups
            .into_iter()
            .map(|mut g| {
                g.sort();
                g
            })
            .collect();
        p.sort();
        p
    }

    /// The store's clusters, as lists of event ids.
    fn stored_clusters(store: &Store) -> Vec<Vec<String>> {
        let mut st = store.conn.prepare("SELECT cluster, event_id FROM events ORDER BY cluster").unwrap();
        let rows: Vec<(i64, String)> =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        let mut g: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
        for (c, id) in rows {
            g.entry(c).or_default().push(id);
        }
        g.into_values().collect()
    }

    #[test]
    fn clusters_kept_at_ingest_match_the_batch_rule_in_any_order() {
        // A deterministic shuffle of reports: chains that only join through a later
        // report, two places, both directions, another root.
        let mut all = Vec::new();
        let mut x: u64 = 7;
        for i in 0..60usize {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let day = 1 + (x >> 33) % 20;
            let (s, t) = if (x >> 20).is_multiple_of(3) { ("IRNMIL", "USAMIL") } else { ("USAMIL", "IRNMIL") };
            let cameo = if (x >> 24).is_multiple_of(4) { "042" } else { "190" };
            let place = match (x >> 28) % 5 {
                0 => Some("Baghdad"),
                1 => Some("Erbil"),
                _ => None,
            };
            all.push((i, format!("2020-01-{day:02}"), s, t, cameo, place));
        }
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        for (i, date, s, t, cameo, place) in &all {
            let (rec, text) = doc_with(*i + 1, &[("e", date, s, t, cameo, *place)]);
            store.put(&rec, &text).unwrap();
        }
        let stored = stored_clusters(&store);
        let obs = store.observations(&ObsQuery::default()).unwrap();
        assert_eq!(obs.len(), 60);
        let batch = sway_contest::clusters(&obs, &Default::default(), sway_contest::DedupOptions { days: 2 });
        // Where a chain of unplaced reports touches clusters at two places, which one
        // it joins depends on arrival order (in the batch rule too: on date order), so
        // on this deliberately dense sample (60 reports, 20 days, 4 keys) the counts
        // may differ a little; in date order they are the same (below).
        let (n_ingest, n_batch) = (stored.len() as f64, batch.len() as f64);
        assert!((n_ingest - n_batch).abs() <= 0.15 * n_batch, "ingest {n_ingest} vs batch {n_batch}");
        // Re-clustering in date order is the batch rule.
        store.refresh().unwrap();
        let reclustered = stored_clusters(&store);
        assert_eq!(partition(reclustered), partition(batch.iter().map(|c| c.mentions.clone())));
        // One representative per cluster, the earliest report, carrying the count.
        let reps =
            store.observations(&ObsQuery { representatives: true, reports: true, ..ObsQuery::default() }).unwrap();
        assert_eq!(reps.len(), batch.len());
        let total: u32 = reps.iter().map(|o| o.reports).sum();
        assert_eq!(total, 60, "every report is counted in some cluster");
        // A dyad read pair by pair, with counts from the clusters' index, is the same
        // as one read by index ranges with a lookup per event.
        let dyad = ObsQuery {
            between: Some((vec!["USA".into()], vec!["IRN".into()])),
            representatives: true,
            reports: true,
            since: Some("2020-01-02".into()),
            ..ObsQuery::default()
        };
        let key = |mut v: Vec<sway_contest::Obs>| {
            v.sort_by(|a, b| a.event_id.cmp(&b.event_id));
            v.into_iter().map(|o| (o.event_id, o.reports)).collect::<Vec<_>>()
        };
        let by_pairs = store.observations_planned(&dyad, store.pairs(&dyad).unwrap()).unwrap();
        assert!(store.pairs(&dyad).unwrap().is_some_and(|p| p.len() == 2));
        assert!(by_pairs.iter().any(|o| o.reports > 1));
        assert_eq!(key(by_pairs), key(store.observations_planned(&dyad, None).unwrap()));
        let uncounted = ObsQuery { reports: false, ..dyad };
        assert!(store.observations(&uncounted).unwrap().iter().all(|o| o.reports == 1));
        let mut want: Vec<&str> = batch.iter().map(|c| c.id.as_str()).collect();
        let mut got: Vec<&str> = reps.iter().map(|o| o.event_id.as_str()).collect();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want);
    }

    /// The tallies as triggers keep them, against a grouping of the events table
    /// now: (key, events, sorted entries).
    type Groups = Vec<(String, i64, Vec<String>)>;

    fn tallies_against_events(store: &Store) -> (Groups, Groups) {
        let key = "source_code || '|' || target_code || '|' || rep || '|' || month || '|' || source_country || '|' || \
                   target_country || '|' || cameo || '|' || quad || '|' || goldstein || '|' || modality";
        let read = |sql: &str| {
            let mut st = store.conn.prepare(sql).unwrap();
            let mut v: Groups = st
                .query_map([], |r| {
                    let ids: String = r.get(2)?;
                    let mut ids: Vec<String> = ids.split('\u{1e}').map(str::to_string).collect();
                    ids.sort();
                    Ok((r.get(0)?, r.get(1)?, ids))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            v.sort();
            v
        };
        let kept = read(&format!("SELECT {key}, events, ids FROM tallies"));
        let now = read(&format!(
            "SELECT {key}, events, ids FROM (SELECT coalesce(source_code, '') AS source_code,
                 coalesce(target_code, '') AS target_code, rep, substr(date_start, 1, 7) AS month,
                 coalesce(source_country, '') AS source_country, coalesce(target_country, '') AS target_country,
                 cameo, coalesce(quad, 0) AS quad, coalesce(goldstein, -99.0) AS goldstein, modality,
                 count(*) AS events, group_concat(date_start || char(31) || event_id, char(30)) AS ids
             FROM events WHERE date_start IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)"
        ));
        (kept, now)
    }

    #[test]
    fn tallies_follow_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let mut x: u64 = 11;
        for i in 0..30usize {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let day = 1 + (x >> 33) % 9;
            let (s, t) = if (x >> 20).is_multiple_of(3) { ("IRQGOV", "USAMIL") } else { ("IRNMIL", "IRQGOV") };
            let date = format!("2020-0{}-{day:02}", 1 + (x >> 40) % 3);
            let (rec, text) = doc_with(i + 1, &[("a", &date, s, t, "190", None), ("b", &date, t, s, "042", None)]);
            store.put(&rec, &text).unwrap();
        }
        let (kept, now) = tallies_against_events(&store);
        assert!(kept.iter().any(|t| t.1 > 1), "groups hold several events");
        assert!(kept.iter().any(|t| t.0.contains("|0|")), "reports that are not representatives are tallied too");
        assert_eq!(kept, now, "after ingest");
        // An analyst's corrections move events between groups, or out of the table.
        store.correct("doc0003-a", &Correction::parse("modality=negated").unwrap(), None, "test").unwrap();
        store.correct("doc0004-b", &Correction::parse("cameo=173").unwrap(), None, "test").unwrap();
        store.correct("doc0005-a", &Correction::parse("date=none").unwrap(), None, "test").unwrap();
        store.correct("doc0006-a", &Correction::parse("valid=false").unwrap(), None, "test").unwrap();
        let (kept, now) = tallies_against_events(&store);
        assert_eq!(kept, now, "after corrections");
        // Re-clustering rewrites which reports represent their events.
        store.refresh().unwrap();
        let (kept, now) = tallies_against_events(&store);
        assert_eq!(kept, now, "after re-clustering");
        // A balance and a network read from the tallies are those read from the
        // events (the network's names aside, which the tallies do not keep).
        let camps = [
            sway_contest::Camp { power: sway_contest::Side::new("USA"), proxies: vec![] },
            sway_contest::Camp { power: sway_contest::Side::new("IRN"), proxies: vec![] },
        ];
        let sides = Some((vec!["IRQ".to_string()], vec!["USA".to_string(), "IRN".to_string()]));
        for (since, until) in [(None, None), (Some("2020-01-04"), Some("2020-02-05"))] {
            let (since, until) = (since.map(str::to_string), until.map(str::to_string));
            let tq = TallyQuery {
                since: since.clone(),
                until: until.clone(),
                between: sides.clone(),
                representatives: true,
                realized: true,
            };
            let mut by_tally = sway_contest::BalanceBuilder::new("IRQ", &camps);
            assert!(store.scan_tallies(&tq, |e| by_tally.add(e)).unwrap().is_some_and(|n| n > 0));
            let mut by_index = sway_contest::BalanceBuilder::new("IRQ", &camps);
            let q = ObsQuery { since, until, between: sides.clone(), representatives: true, ..ObsQuery::default() };
            store.scan_events(&q, |e| by_index.add(e)).unwrap();
            let opts = sway_contest::BalanceOptions::default();
            assert_eq!(by_tally.finish(opts), by_index.finish(opts));
        }
        let mut by_tally = sway_contest::NetworkBuilder::default();
        store.scan_tallies(&TallyQuery { realized: true, ..TallyQuery::default() }, |e| by_tally.add(e)).unwrap();
        let mut by_index = sway_contest::NetworkBuilder::default();
        store.scan_events(&ObsQuery { realized: true, ..ObsQuery::default() }, |e| by_index.add(e)).unwrap();
        let (a, b) = (by_tally.finish(&[]), by_index.finish(&[]));
        assert_eq!(a.edges, b.edges);
        assert_eq!(a.nodes.len(), b.nodes.len());
        // Deleting documents (a re-code of every event) empties their groups.
        for i in 1..=30usize {
            let (mut rec, _) = doc_with(i, &[]);
            rec.events.clear();
            store.replace(&rec).unwrap();
        }
        let (kept, now) = tallies_against_events(&store);
        assert_eq!((kept.len(), now.len()), (0, 0));
    }

    #[test]
    fn a_broken_tally_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let (rec, text) = doc_with(1, &[("a", "2020-01-03", "IRQGOV", "USAMIL", "190", None)]);
        store.put(&rec, &text).unwrap();
        assert_eq!(store.scan_tallies(&TallyQuery::default(), |_| {}).unwrap(), Some(1));
        store.conn.execute("UPDATE tallies SET events = 2", []).unwrap();
        assert_eq!(store.scan_tallies(&TallyQuery::default(), |_| {}).unwrap(), None);
    }

    #[test]
    fn pages_run_through_dated_then_undated_events() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let (mut rec, text) = doc_with(
            1,
            &[
                ("u1", "2020-01-01", "USA", "IRN", "190", None),
                ("c", "2020-03-01", "USA", "IRN", "190", None),
                ("a", "2020-01-01", "USA", "IRN", "190", None),
                ("u2", "2020-01-01", "USA", "IRN", "190", None),
                ("b", "2020-02-01", "USA", "IRN", "190", None),
            ],
        );
        for e in &mut rec.events {
            if e.id.ends_with("-u1") || e.id.ends_with("-u2") {
                e.date = None;
            }
        }
        store.put(&rec, &text).unwrap();
        let all: Vec<String> = store.events(&EventQuery::default()).unwrap().into_iter().map(|e| e.event.id).collect();
        assert_eq!(all, ["doc0001-a", "doc0001-b", "doc0001-c", "doc0001-u1", "doc0001-u2"]);
        for size in 1..=6 {
            let mut paged = Vec::new();
            let mut offset = 0;
            loop {
                let q = EventQuery { limit: Some(size), offset: Some(offset), ..Default::default() };
                let page = store.events(&q).unwrap();
                if page.is_empty() {
                    break;
                }
                offset += page.len();
                paged.extend(page.into_iter().map(|e| e.event.id));
            }
            assert_eq!(paged, all, "pages of {size}");
        }
    }

    #[test]
    fn map_counts_each_country_once_per_event_and_reads_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        assert!(Store::open_query_only(&path).is_err(), "a missing store is not created");
        let mut store = Store::open(&path).unwrap();
        let (rec, text) = doc_with(
            1,
            &[
                ("a", "2020-01-03", "USAMIL", "IRNMIL", "190", Some("Baghdad")),
                ("b", "2020-01-20", "IRNGOV", "IRNMIL", "042", Some("Baghdad")),
                ("c", "2021-01-05", "IRQREB", "USA", "190", Some("Erbil")),
            ],
        );
        store.put(&rec, &text).unwrap();
        let reader = Store::open_query_only(&path).unwrap();
        let m = reader.map_counts(None, Some("2020-12-31")).unwrap();
        let irn = m.countries.iter().find(|c| c.country == "IRN").unwrap();
        assert_eq!((irn.events, irn.as_source, irn.as_target), (2, 1, 2), "{m:?}");
        assert_eq!(irn.conflict, 2);
        let usa = m.countries.iter().find(|c| c.country == "USA").unwrap();
        assert_eq!((usa.events, usa.as_source, usa.as_target), (1, 1, 0));
        assert!(m.countries.iter().all(|c| c.country != "IRQ"), "2021 is out of range");
        assert_eq!(m.places.len(), 1);
        assert_eq!((m.places[0].name.as_str(), m.places[0].events), ("Baghdad", 2));
        assert_eq!(reader.map_counts(None, None).unwrap().places.len(), 2);
        let months =
            reader.event_counts(&EventQuery { country: Some("IRN".into()), ..Default::default() }, CountPeriod::Month);
        let months = months.unwrap();
        assert_eq!(months.len(), 1, "{months:?}");
        assert_eq!((months[0].period.as_str(), months[0].events, months[0].quad[3]), ("2020-01", 2, 2));
        let years = reader.event_counts(&EventQuery::default(), CountPeriod::Year).unwrap();
        assert_eq!(years.iter().map(|y| (y.period.as_str(), y.events)).collect::<Vec<_>>(), [("2020", 2), ("2021", 1)]);
        // The reader sees the writer's commits, and cannot write itself.
        let v = reader.data_version().unwrap();
        store.put(&doc_with(2, &[("a", "2020-02-01", "USA", "IRQ", "042", None)]).0, "Document 2: xx").unwrap();
        assert_ne!(reader.data_version().unwrap(), v);
        let err = reader.conn.execute("DELETE FROM events", []).unwrap_err();
        assert!(err.to_string().contains("readonly"), "{err}");
    }

    #[test]
    fn observations_filter_in_sql_as_sides_do() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let (rec, text) = doc_with(
            1,
            &[
                ("a", "2020-01-03", "USAMIL", "IRNMIL", "190", None),
                ("b", "2020-01-04", "IRN", "USA", "111", None),
                ("c", "2020-01-05", "IRQGOV", "IRN", "042", None),
                ("d", "2021-01-05", "IRQREB", "USA", "190", Some("Baghdad")),
                ("e", "2020-02-05", "RUS", "UKR", "190", None),
            ],
        );
        store.put(&rec, &text).unwrap();
        let ids = |q: ObsQuery| {
            let mut v: Vec<String> = store.observations(&q).unwrap().into_iter().map(|o| o.event_id).collect();
            v.sort();
            v
        };
        let dyad = Some((vec!["usa".to_string()], vec!["IRN".to_string()]));
        assert_eq!(ids(ObsQuery { between: dyad.clone(), ..ObsQuery::default() }), ["doc0001-a", "doc0001-b"]);
        let camps = Some((vec!["IRQ".to_string()], vec!["IRN".to_string(), "USA".to_string()]));
        assert_eq!(ids(ObsQuery { between: camps, ..ObsQuery::default() }), ["doc0001-c", "doc0001-d"]);
        assert_eq!(ids(ObsQuery { either: Some("IRQ".into()), ..ObsQuery::default() }), ["doc0001-c", "doc0001-d"]);
        let until = Some("2020-12-31".to_string());
        assert_eq!(ids(ObsQuery { either: Some("IRQ".into()), until, ..ObsQuery::default() }), ["doc0001-c"]);
        // The scan sees the same rows without allocating them.
        let mut n = 0;
        store
            .scan_events(&ObsQuery { between: dyad, ..ObsQuery::default() }, |e| n += usize::from(e.realized()))
            .unwrap();
        assert_eq!(n, 2);
        let o = store.observations(&ObsQuery { either: Some("IRQREB".into()), ..ObsQuery::default() }).unwrap();
        assert_eq!(o[0].place.as_deref(), Some("Baghdad"));
        assert_eq!(o[0].date, chrono::NaiveDate::from_ymd_opt(2021, 1, 5).unwrap());
    }

    #[test]
    fn corrections_survive_recoding() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let (rec, text) = doc_with(
            1,
            &[("a", "2020-01-03", "USAMIL", "IRNMIL", "190", None), ("b", "2020-01-04", "IRN", "USA", "111", None)],
        );
        store.put(&rec, &text).unwrap();
        let fixed =
            store.correct("doc0001-a", &Correction::parse("cameo=0874").unwrap(), Some("a drawdown"), "ana").unwrap();
        let fixed = fixed.unwrap();
        assert_eq!((fixed.cameo.as_str(), fixed.quad), ("0874", Some(2)));
        assert!(fixed.rule.contains("corrected by ana"), "{}", fixed.rule);
        store.correct("doc0001-b", &Correction::parse("valid=false").unwrap(), None, "ana").unwrap();
        assert_eq!(store.count_events().unwrap(), 1, "a rejected event leaves the counts");
        // A new pipeline codes the document again, with new ids and codes.
        let mut recoded = rec.clone();
        recoded.pipeline.sway_version = "9.9.9".into();
        for e in &mut recoded.events {
            e.id = e.id.replace("doc0001", "doc0001-v2");
            e.cameo = "193".into();
        }
        store.replace(&recoded).unwrap();
        store.refresh().unwrap();
        let events = store.events(&EventQuery::default()).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].event.id, "doc0001-v2-a");
        assert_eq!(events[0].event.cameo, "0874", "the analyst's code wins over the new pipeline's");
        assert_eq!(store.corrections().unwrap().len(), 2);
        let p = store.pipelines().unwrap();
        assert!(p.iter().any(|(_, info, n)| info.sway_version == "9.9.9" && *n == 1), "{p:?}");
        assert!(matches!(Correction::parse("cameo=abc"), Err(CorrectionError::Value { .. })));
        assert!(matches!(Correction::parse("colour=red"), Err(CorrectionError::Field(_))));
        assert!(store.correct("nope", &Correction::parse("date=none").unwrap(), None, "ana").unwrap().is_none());
    }

    #[test]
    fn put_is_idempotent_and_queries_filter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut s = Store::open(&path).unwrap();
        let (r, t) = record("some text", "a.txt");
        assert_eq!(s.put(&r, &t).unwrap(), Stored::Inserted);
        assert_eq!(s.put(&r, &t).unwrap(), Stored::AlreadyStored);
        let (r2, _) = record("some text", "b.txt");
        assert_eq!(s.put(&r2, &t).unwrap(), Stored::AlreadyStored);
        assert_eq!(s.count_documents().unwrap(), 1);
        assert_eq!(s.count_events().unwrap(), 2);
        let all = s.events(&EventQuery::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].event.id, "a-1");
        let irn = s.events(&EventQuery { actor: Some("IRN".into()), ..Default::default() }).unwrap();
        assert_eq!(irn.len(), 1);
        let ukr = s.events(&EventQuery { country: Some("ukr".into()), ..Default::default() }).unwrap();
        assert_eq!(ukr[0].event.id, "a-2");
        let since = s.events(&EventQuery { since: Some("2020-06-01".into()), ..Default::default() }).unwrap();
        assert_eq!(since.len(), 1);
        let until = s.events(&EventQuery { until: Some("2020-06-01".into()), ..Default::default() }).unwrap();
        assert_eq!(until[0].event.id, "a-1");
        let q = |f: fn(&mut EventQuery)| {
            let mut q = EventQuery::default();
            f(&mut q);
            s.events(&q).unwrap().iter().map(|e| e.event.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(q(|q| q.cameo = Some("19".into())).len(), 2);
        assert!(q(|q| q.cameo = Some("01".into())).is_empty());
        assert!(q(|q| q.cameo = Some("%".into())).len() == 2, "a wildcard is no pattern");
        assert!(q(|q| q.quad = Some(1)).is_empty());
        assert_eq!(q(|q| q.quad = Some(4)).len(), 2);
        assert!(q(|q| q.modality = Some("negated".into())).is_empty());
        assert_eq!(q(|q| q.modality = Some("asserted".into())).len(), 2);
        assert_eq!(
            q(|q| {
                q.limit = Some(1);
                q.offset = Some(1);
            }),
            ["a-2"]
        );
        assert!(q(|q| q.doc_id = Some("nope".into())).is_empty());
        // An injection attempt is just a string that matches nothing.
        let evil = s.events(&EventQuery { actor: Some("x' OR 1=1 --".into()), ..Default::default() }).unwrap();
        assert!(evil.is_empty());
        let doc = s.document(&r.doc_id).unwrap().unwrap();
        assert_eq!(doc.text.as_deref(), Some("some text"));
        drop(s);
        // Reopening keeps everything and does not re-run migrations.
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), Store::SCHEMA_VERSION);
        assert_eq!(s.count_documents().unwrap(), 1);
    }

    #[test]
    fn judgments_ledger_and_track_record() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("s.db")).unwrap();
        let (r, t) = record("judged text", "dir/brief.txt");
        s.put(&r, &t).unwrap();
        let all = s.judgments(&JudgmentQuery::default()).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].source, "dir/brief.txt");
        assert!(s.resolve("a-j1", Outcome::Yes, Some("it happened"), "tester").unwrap());
        assert!(s.resolve("a-j2", Outcome::Yes, None, "tester").unwrap());
        assert!(!s.resolve("nope", Outcome::No, None, "tester").unwrap());
        let open = s.judgments(&JudgmentQuery { open: true, ..Default::default() }).unwrap();
        assert_eq!(open.iter().map(|j| j.judgment.id.as_str()).collect::<Vec<_>>(), ["a-j3"]);
        // A later verdict supersedes the earlier one.
        s.resolve("a-j2", Outcome::No, Some("revised"), "editor").unwrap();
        let j2 = s.judgments(&JudgmentQuery::default()).unwrap().into_iter().find(|j| j.judgment.id == "a-j2").unwrap();
        let (o, by, _, note) = j2.outcome.unwrap();
        assert_eq!((o, by.as_str(), note.as_deref()), (Outcome::No, "editor", Some("revised")));
        let tr = s.track_records().unwrap();
        assert_eq!(tr.len(), 2, "one track record for the source, one for the author");
        assert_eq!((tr[0].by, tr[0].source.as_str()), ("author", "A. Writer"));
        assert_eq!(tr[0].resolved, 2);
        // (0.965 - 1)^2 and (0.25 - 0)^2, averaged.
        let want = ((0.965f64 - 1.0).powi(2) + 0.25f64.powi(2)) / 2.0;
        assert!((tr[0].brier - want).abs() < 1e-9, "{}", tr[0].brier);
        assert_eq!(tr[0].bins.len(), 2);
    }

    #[test]
    fn a_version_1_store_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch(MIGRATIONS[0]).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO documents (doc_id, format, text, record, sway_version) VALUES ('d', 'text', 't', '{}', '0.1.0')",
            [],
        )
        .unwrap();
        drop(c);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), Store::SCHEMA_VERSION);
        assert_eq!(s.count_documents().unwrap(), 1);
        assert!(s.judgments(&JudgmentQuery::default()).unwrap().is_empty());
    }

    #[test]
    fn a_version_2_store_gains_its_patrons() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch(MIGRATIONS[0]).unwrap();
        c.execute_batch(MIGRATIONS[1]).unwrap();
        c.pragma_update(None, "user_version", 2).unwrap();
        let record = r#"{"actors": [{"code": "IRQREB", "name": "Kata'ib Hezbollah", "patrons": [{"country": "IRN", "id": null, "from": "2007-01-01", "to": null}]}]}"#;
        c.execute(
            "INSERT INTO documents (doc_id, format, text, record, sway_version) VALUES ('d', 'text', 't', ?1, '0.1.0')",
            [record],
        )
        .unwrap();
        drop(c);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), Store::SCHEMA_VERSION);
        assert_eq!(
            s.patron_links().unwrap(),
            [("IRQREB".to_string(), "Kata'ib Hezbollah".to_string(), "IRN".to_string())]
        );
    }

    #[test]
    fn full_text_search() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("s.db")).unwrap();
        let (rec, text) =
            record("The U.S.-Iran contest for Iraq: al-Kadhimi's government weighs the militias.", "a.txt");
        s.put(&rec, &text).unwrap();
        let (mut rec2, text2) = record("Grain prices rose in Kenya after the rains failed.", "b.txt");
        rec2.events.clear();
        rec2.judgments.clear();
        s.put(&rec2, &text2).unwrap();
        let hits = s.search("al-Kadhimi militias", false, 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].doc_id, rec.doc_id);
        assert!(hits[0].snippet.contains("[militias]"), "{}", hits[0].snippet);
        assert_eq!(s.search("U.S.-Iran", false, 10).unwrap().len(), 1, "no FTS5 syntax error");
        assert_eq!(s.search("\"grain prices\"", false, 10).unwrap()[0].doc_id, rec2.doc_id);
        assert_eq!(s.search("Iraq OR Kenya", true, 10).unwrap().len(), 2);
        assert!(matches!(s.search("AND OR (", true, 10), Err(StoreError::Query { .. })));
        assert!(s.search("  ", false, 10).unwrap().is_empty());
    }

    /// A store as schema version `version` wrote it, holding one document with its
    /// actors and events (only the columns that version had).
    fn write_golden(version: usize, path: &Path) {
        let (rec, text) = record("Golden store: Mordor's forces attacked Gondor near Osgiliath.", "golden.txt");
        if version == Store::SCHEMA_VERSION as usize {
            let mut s = Store::open(path).unwrap();
            s.put(&rec, &text).unwrap();
            s.conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
            return;
        }
        let c = Connection::open(path).unwrap();
        for m in &MIGRATIONS[..version] {
            c.execute_batch(m).unwrap();
        }
        c.pragma_update(None, "user_version", version as i64).unwrap();
        let json = serde_json::to_string(&rec).unwrap();
        c.execute(
            "INSERT INTO documents (doc_id, title, format, text, record, sway_version) VALUES (?1, ?2, 'text', ?3, ?4, '0.1.0')",
            params![rec.doc_id, rec.title, text, json],
        )
        .unwrap();
        for (i, a) in rec.actors.iter().enumerate() {
            c.execute(
                "INSERT INTO actors (doc_id, idx, registry_id, name, code, country, sector, type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'country')",
                params![rec.doc_id, i as i64, a.id, a.name, a.code, a.country, a.sector],
            )
            .unwrap();
        }
        for (i, e) in rec.events.iter().enumerate() {
            c.execute(
                "INSERT INTO events (event_id, doc_id, seq, source_code, source_country, target_code, target_country, cameo, quad, goldstein, modality, date_start, date_end, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    e.id,
                    rec.doc_id,
                    i as i64,
                    e.source.as_ref().and_then(|p| p.code.clone()),
                    e.source.as_ref().and_then(|p| p.country.clone()),
                    e.target.as_ref().and_then(|p| p.code.clone()),
                    e.target.as_ref().and_then(|p| p.country.clone()),
                    e.cameo,
                    e.quad.map(i64::from),
                    e.goldstein,
                    e.modality.as_str(),
                    e.date.as_ref().map(|d| d.start.clone()),
                    e.date.as_ref().map(|d| d.end.clone()),
                    serde_json::to_string(e).unwrap(),
                ],
            )
            .unwrap();
        }
    }

    /// Every schema version's golden store (tests/golden/vN.db, written once when that
    /// version was current, with SWAY_UPDATE_GOLDEN=1) opens in this version with its
    /// documents, events and text search.
    #[test]
    fn golden_stores_of_every_version_open() {
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        for v in 1..=Store::SCHEMA_VERSION as usize {
            let file = golden.join(format!("v{v}.db"));
            if !file.exists() && std::env::var_os("SWAY_UPDATE_GOLDEN").is_some() {
                std::fs::create_dir_all(&golden).unwrap();
                write_golden(v, &file);
            }
            assert!(
                file.exists(),
                "{} is missing: write it with SWAY_UPDATE_GOLDEN=1 cargo test -p sway-store",
                file.display()
            );
            let dir = tempfile::tempdir().unwrap();
            let copy = dir.path().join("s.db");
            std::fs::copy(&file, &copy).unwrap();
            let s = Store::open(&copy).unwrap_or_else(|e| panic!("v{v}: {e}"));
            assert_eq!(s.schema_version().unwrap(), Store::SCHEMA_VERSION, "v{v}");
            assert_eq!(s.count_documents().unwrap(), 1, "v{v}");
            assert!(!s.events(&EventQuery::default()).unwrap().is_empty(), "v{v}");
            assert_eq!(s.search("Osgiliath", false, 5).unwrap().len(), 1, "v{v}: search");
            assert!(s.patron_links().is_ok(), "v{v}");
            // The tallies hold every dated event, whatever version filled them.
            let dated = s.events(&EventQuery::default()).unwrap().iter().filter(|e| e.event.date.is_some()).count();
            assert_eq!(s.scan_tallies(&TallyQuery::default(), |_| {}).unwrap(), Some(dated), "v{v}: tallies");
        }
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(Store::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        let e = Store::open(&path).unwrap_err();
        assert!(e.to_string().contains("newer sway"), "{e}");
    }
}
