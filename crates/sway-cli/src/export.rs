//! `sway export`: the stored events in the layouts the field's tools read. One row per
//! real event (reports of one event are one row, with their counts), unless
//! `--all-reports`.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use serde_json::{json, Value};
use sway_contest::Cluster;
use sway_core::contract::{EventRecord, ParticipantRecord};
use sway_store::StoredEvent;

use crate::args::{ExportArgs, ExportFormat};
use crate::open_existing;
use sway_query::{deduplicate, observations};

/// GDELT 2.0's event table columns, in its order.
const GDELT: &[&str] = &[
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// sway's own columns, after GDELT's.
const SWAY: &[&str] = &[
    "sway_event_id",
    "doc_id",
    "date_end",
    "date_precision",
    "plover",
    "plover_mode",
    "modality",
    "confidence",
    "goldstein_table",
    "source_text",
    "target_text",
    "attributed_to",
    "first_seen",
    "last_seen",
    "mentions",
    "evidence",
    "rule",
    "title",
];

/// One exported event: the record, its document, and its cluster if deduplicated.
struct Row<'a> {
    stored: &'a StoredEvent,
    cluster: Option<&'a Cluster>,
}

fn side_cells(p: Option<&ParticipantRecord>) -> Vec<String> {
    let code = p.and_then(|p| p.code.clone()).unwrap_or_default();
    let name = p.map(|p| p.text.to_uppercase()).unwrap_or_default();
    let country = p.and_then(|p| p.country.clone()).unwrap_or_default();
    let sector = p.and_then(|p| p.sector.clone()).unwrap_or_default();
    // KnownGroup, Ethnic, Religion1, Religion2 are not coded; Type1 is the sector.
    vec![
        code,
        name,
        country,
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        sector,
        String::new(),
        String::new(),
    ]
}

fn gdelt_row(r: &Row<'_>) -> Vec<String> {
    let e: &EventRecord = &r.stored.event;
    let start = e.date.as_ref().map(|d| d.start.clone()).unwrap_or_default();
    let ymd = start.replace('-', "");
    let (year, month, fraction) = match chrono::NaiveDate::parse_from_str(&start, "%Y-%m-%d") {
        Ok(d) => {
            use chrono::Datelike;
            (
                d.year().to_string(),
                format!("{}{:02}", d.year(), d.month()),
                format!("{:.4}", f64::from(d.year()) + f64::from(d.ordinal0()) / 365.0),
            )
        }
        Err(_) => (String::new(), String::new(), String::new()),
    };
    let mut v = vec![e.id.clone(), ymd, month, year, fraction];
    v.extend(side_cells(e.source.as_ref()));
    v.extend(side_cells(e.target.as_ref()));
    let (mentions, sources, articles) = match r.cluster {
        Some(c) => (c.reports, c.independent_sources, c.documents.len() as u32),
        None => (1, 1, 1),
    };
    v.extend([
        // IsRootEvent: GDELT's "in the lead paragraph"; sway does not mark it.
        String::new(),
        e.cameo.clone(),
        e.cameo.get(..3).unwrap_or(&e.cameo).to_string(),
        e.cameo.get(..2).unwrap_or(&e.cameo).to_string(),
        e.quad.map_or(String::new(), |q| q.to_string()),
        e.goldstein.map_or(String::new(), |g| g.to_string()),
        mentions.to_string(),
        sources.to_string(),
        articles.to_string(),
        String::new(),
    ]);
    // Actor1Geo_* and Actor2Geo_*: sway locates events, not actors.
    v.extend(std::iter::repeat_n(String::new(), 16));
    match &e.location {
        Some(l) => v.extend([
            // GDELT's geo type 1 is a country, 4 a city or landmark.
            if l.name == l.country.clone().unwrap_or_default() { "1".into() } else { "4".into() },
            l.name.clone(),
            l.country.clone().unwrap_or_default(),
            String::new(),
            String::new(),
            l.lat.map_or(String::new(), |x| x.to_string()),
            l.lon.map_or(String::new(), |x| x.to_string()),
            String::new(),
        ]),
        None => v.extend(std::iter::repeat_n(String::new(), 8)),
    }
    v.push(r.stored.published.as_deref().map(|p| p.replace('-', "")).unwrap_or_default());
    v.push(r.stored.url.clone().unwrap_or_default());
    // sway's own columns.
    let mention_ids = r.cluster.map_or(e.id.clone(), |c| c.mentions.join(" "));
    v.extend([
        e.id.clone(),
        r.stored.doc_id.clone(),
        e.date.as_ref().map(|d| d.end.clone()).unwrap_or_default(),
        e.date.as_ref().map(|d| format!("{:?}", d.precision).to_lowercase()).unwrap_or_default(),
        e.plover.clone().unwrap_or_default(),
        e.mode.clone().unwrap_or_default(),
        e.modality.as_str().to_string(),
        e.confidence.to_string(),
        e.goldstein_table.map(|t| format!("{t:?}").to_lowercase()).unwrap_or_default(),
        e.source.as_ref().map(|p| p.text.clone()).unwrap_or_default(),
        e.target.as_ref().map(|p| p.text.clone()).unwrap_or_default(),
        e.attributed_to.map_or(String::new(), |a| a.to_string()),
        r.cluster.map_or(start.clone(), |c| c.first_seen.clone()),
        r.cluster.map_or(start, |c| c.last_seen.clone()),
        mention_ids,
        e.evidence.text.clone(),
        e.rule.clone(),
        r.stored.title.clone().unwrap_or_default(),
    ]);
    v
}

fn side_json(p: Option<&ParticipantRecord>) -> Value {
    match p {
        Some(p) => json!({"actor": p.code, "name": p.text, "country": p.country, "sector": p.sector}),
        None => Value::Null,
    }
}

/// A POLECAT-style record: PLOVER type and mode, actors with country and sector, the
/// story and sentence it came from.
fn polecat(r: &Row<'_>) -> Value {
    let e = &r.stored.event;
    json!({
        "event_id": e.id,
        "event_date": e.date.as_ref().map(|d| d.start.clone()),
        "event_type": e.plover,
        "event_mode": e.mode,
        "cameo": e.cameo,
        "modality": e.modality.as_str(),
        "source": side_json(e.source.as_ref()),
        "target": side_json(e.target.as_ref()),
        "location": e.location.as_ref().map(|l| json!({"name": l.name, "country": l.country, "lat": l.lat, "lon": l.lon})),
        "story_id": r.stored.doc_id,
        "story_date": r.stored.published,
        "story_url": r.stored.url,
        "sentence": e.evidence.text,
        "num_mentions": r.cluster.map_or(1, |c| c.reports),
        "num_sources": r.cluster.map_or(1, |c| c.independent_sources),
        "mentions": r.cluster.map(|c| c.mentions.clone()),
    })
}

fn geojson_feature(r: &Row<'_>) -> Option<Value> {
    let e = &r.stored.event;
    let l = e.location.as_ref()?;
    Some(json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [l.lon?, l.lat?]},
        "properties": {
            "event_id": e.id,
            "date": e.date.as_ref().map(|d| d.start.clone()),
            "cameo": e.cameo,
            "plover": e.plover,
            "quad": e.quad,
            "goldstein": e.goldstein,
            "modality": e.modality.as_str(),
            "source": e.source.as_ref().and_then(|p| p.code.clone()),
            "target": e.target.as_ref().and_then(|p| p.code.clone()),
            "place": l.name,
            "country": l.country,
            "reports": r.cluster.map_or(1, |c| c.reports),
            "doc_id": r.stored.doc_id,
        }
    }))
}

pub fn run(a: &ExportArgs) -> anyhow::Result<ExitCode> {
    if a.format == ExportFormat::Parquet && a.output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        eprintln!("error: Parquet is binary: give --output FILE, or redirect standard output");
        return Ok(ExitCode::from(2));
    }
    let store = open_existing(a.db.db.as_deref())?;
    let found = store.events(&a.filter.query(None))?;
    let all_reports = a.reports.all_reports;
    let clusters =
        if all_reports { Vec::new() } else { deduplicate(&store, &observations(&found), a.reports.dedup_window)? };
    let by_id: HashMap<&str, &StoredEvent> = found.iter().map(|e| (e.event.id.as_str(), e)).collect();
    let rows: Vec<Row<'_>> = if all_reports {
        found.iter().map(|stored| Row { stored, cluster: None }).collect()
    } else {
        // Undated events have no cluster: each is its own row.
        let clustered: std::collections::HashSet<&str> =
            clusters.iter().flat_map(|c| c.mentions.iter().map(String::as_str)).collect();
        let mut rows: Vec<Row<'_>> =
            clusters.iter().filter_map(|c| Some(Row { stored: by_id.get(c.id.as_str())?, cluster: Some(c) })).collect();
        rows.extend(
            found
                .iter()
                .filter(|e| !clustered.contains(e.event.id.as_str()))
                .map(|stored| Row { stored, cluster: None }),
        );
        rows
    };
    let mut w: Box<dyn Write + Send> = match &a.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    match a.format {
        ExportFormat::Csv => {
            let mut c = csv::Writer::from_writer(&mut w);
            c.write_record(GDELT.iter().chain(SWAY))?;
            for r in &rows {
                c.write_record(gdelt_row(r))?;
            }
            c.flush()?;
        }
        ExportFormat::Parquet => {
            let columns: Vec<&str> = GDELT.iter().chain(SWAY).copied().collect();
            let n = crate::parquet_out::write(&mut w, &columns, rows.iter().map(gdelt_row))?;
            if let Some(path) = &a.output {
                eprintln!("wrote {n} event(s) to {}", path.display());
            }
        }
        ExportFormat::Jsonl => {
            for r in &rows {
                let mut v = serde_json::to_value(&r.stored.event)?;
                if let (Some(c), Some(obj)) = (r.cluster, v.as_object_mut()) {
                    obj.insert("cluster".into(), serde_json::to_value(c)?);
                }
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("doc_id".into(), json!(r.stored.doc_id));
                }
                serde_json::to_writer(&mut w, &v)?;
                writeln!(w)?;
            }
        }
        ExportFormat::Polecat => {
            for r in &rows {
                serde_json::to_writer(&mut w, &polecat(r))?;
                writeln!(w)?;
            }
        }
        ExportFormat::Geojson => {
            let features: Vec<Value> = rows.iter().filter_map(geojson_feature).collect();
            serde_json::to_writer(&mut w, &json!({"type": "FeatureCollection", "features": features}))?;
            writeln!(w)?;
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gdelt_columns_are_gdelt_2s() {
        assert_eq!(GDELT.len(), 61);
        assert_eq!(GDELT[26], "EventCode");
        assert_eq!(GDELT[60], "SOURCEURL");
    }
}
