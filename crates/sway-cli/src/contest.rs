//! `sway actors`, `sway dyad`, `sway network`, `sway timeline`: the contest read back
//! from the store.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use sway_contest::{sparkline, Cluster, Period, SeriesOptions, Side};
use sway_query::{Counting, DateRange};
use sway_store::StoredEvent;

use crate::args::{
    ActorsArgs, BalanceArgs, By, DyadArgs, NetworkArgs, NetworkFormat, Reports, SearchArgs, TableFormat, TimelineArgs,
};
use crate::open_existing;

/// Rows as a table, CSV, a JSON array or JSON lines. `table` renders the table form.
fn write_rows<T: Serialize>(
    format: TableFormat,
    rows: &[T],
    header: &[&str],
    cells: impl Fn(&T) -> Vec<String>,
    footer: Option<String>,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    match format {
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut w, rows)?;
            writeln!(w)?;
        }
        TableFormat::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut w, r)?;
                writeln!(w)?;
            }
        }
        TableFormat::Csv => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record(header)?;
            for r in rows {
                c.write_record(cells(r))?;
            }
            c.flush()?;
            return Ok(());
        }
        TableFormat::Table => {
            let body: Vec<Vec<String>> = rows.iter().map(&cells).collect();
            let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for r in &body {
                for (i, c) in r.iter().enumerate() {
                    width[i] = width[i].max(c.chars().count());
                }
            }
            let line = |r: &[String]| {
                let mut s = String::new();
                for (i, c) in r.iter().enumerate() {
                    if i + 1 == r.len() {
                        s.push_str(c);
                    } else {
                        s.push_str(&format!("{c:<w$}  ", w = width[i]));
                    }
                }
                s.trim_end().to_string()
            };
            writeln!(w, "{}", line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>()))?;
            for r in &body {
                writeln!(w, "{}", line(r))?;
            }
            if let Some(f) = footer {
                writeln!(w, "{f}")?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or(String::new(), T::to_string)
}

pub fn search(a: &SearchArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let hits = match store.search(&a.query, a.raw, a.limit) {
        Ok(h) => h,
        Err(e @ sway_store::StoreError::Query { .. }) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    write_rows(
        a.format,
        &hits,
        &["doc_id", "published", "title", "snippet"],
        |h| {
            let id = if a.format == TableFormat::Table {
                h.doc_id[..h.doc_id.len().min(12)].to_string()
            } else {
                h.doc_id.clone()
            };
            vec![id, opt(&h.published), opt(&h.title), h.snippet.split_whitespace().collect::<Vec<_>>().join(" ")]
        },
        None,
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn actors(a: &ActorsArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let rows = store.actor_summary(a.country.as_deref())?;
    write_rows(
        a.format,
        &rows,
        &["code", "name", "country", "type", "registry_id", "documents", "as_source", "as_target", "first", "last"],
        |r| {
            vec![
                r.code.clone(),
                r.name.clone(),
                opt(&r.country),
                r.kind.clone(),
                opt(&r.registry_id),
                r.documents.to_string(),
                r.as_source.to_string(),
                r.as_target.to_string(),
                opt(&r.first),
                opt(&r.last),
            ]
        },
        None,
    )?;
    Ok(ExitCode::SUCCESS)
}

fn counting(r: Reports) -> Counting {
    Counting { all_reports: r.all_reports, dedup_window: r.dedup_window }
}

fn range(d: &crate::args::Dates) -> DateRange {
    DateRange { since: d.since, until: d.until }
}

pub fn dyad(a: &DyadArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let (sa, sb) = (Side::new(&a.a), Side::new(&a.b));
    let opts = SeriesOptions { by: period(a.by), min_baseline: a.min_baseline, all_modalities: a.all_modalities };
    let rows = sway_query::dyad(&store, &a.a, &a.b, range(&a.dates), counting(a.reports), opts)?;
    if rows.is_empty() && a.format == TableFormat::Table {
        eprintln!("no events between {} and {} in the store", sa.as_str(), sb.as_str());
        return Ok(ExitCode::SUCCESS);
    }
    let ab = format!("{}>{}", sa.as_str(), sb.as_str());
    let ba = format!("{}>{}", sb.as_str(), sa.as_str());
    let counts: Vec<u32> = rows.iter().map(|r| r.events).collect();
    let change = |c: Option<f64>| c.map_or(String::new(), |c| format!("{:+.0}%", c * 100.0));
    write_rows(
        a.format,
        &rows,
        &[
            "period",
            "events",
            "reports",
            &ab,
            &ba,
            "verbal_coop",
            "material_coop",
            "verbal_conflict",
            "material_conflict",
            "goldstein_sum",
            "goldstein_mean",
            "change_4",
            "change_52",
        ],
        |r| {
            vec![
                r.period.clone(),
                r.events.to_string(),
                r.reports.to_string(),
                r.a_to_b.to_string(),
                r.b_to_a.to_string(),
                r.quad[0].to_string(),
                r.quad[1].to_string(),
                r.quad[2].to_string(),
                r.quad[3].to_string(),
                format!("{:.1}", r.goldstein_sum),
                r.goldstein_mean.map_or(String::new(), |m| format!("{m:.2}")),
                if a.format == TableFormat::Table { change(r.change_4) } else { opt(&r.change_4) },
                if a.format == TableFormat::Table { change(r.change_52) } else { opt(&r.change_52) },
            ]
        },
        Some(format!("events per {:?}: {}", a.by, sparkline(&counts)).to_lowercase()),
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn network(a: &NetworkArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let net = sway_query::network(&store, range(&a.dates), counting(a.reports), a.min_events)?;
    let text = match a.format {
        NetworkFormat::Gexf => net.to_gexf(),
        NetworkFormat::Graphml => net.to_graphml(),
        NetworkFormat::Dot => net.to_dot(),
        NetworkFormat::Json => serde_json::to_string_pretty(&net)? + "\n",
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One line of the timeline.
#[derive(Serialize)]
struct Line {
    date: Option<String>,
    event_id: String,
    doc_id: String,
    source: Option<String>,
    cameo: String,
    plover: Option<String>,
    target: Option<String>,
    modality: String,
    goldstein: Option<f64>,
    evidence: String,
    title: Option<String>,
}

pub fn timeline(a: &TimelineArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let found = store.events(&a.filter.query(a.limit))?;
    let lines: Vec<Line> = found
        .iter()
        .map(|s| {
            let e = &s.event;
            Line {
                date: e.date.as_ref().map(|d| d.start.clone()),
                event_id: e.id.clone(),
                doc_id: s.doc_id.clone(),
                source: e.source.as_ref().and_then(|p| p.code.clone()),
                cameo: e.cameo.clone(),
                plover: e.plover.clone(),
                target: e.target.as_ref().and_then(|p| p.code.clone()),
                modality: e.modality.as_str().to_string(),
                goldstein: e.goldstein,
                evidence: e.evidence.text.clone(),
                title: s.title.clone(),
            }
        })
        .collect();
    let footer = sway_query::per_month(&found).map(|(first, last, counts)| {
        format!("{} events, {first} to {last}, per month: {}", lines.len(), sparkline(&counts))
    });
    let short = |s: &str, n: usize| {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() > n {
            format!("{}…", s.chars().take(n - 1).collect::<String>())
        } else {
            s
        }
    };
    write_rows(
        a.format,
        &lines,
        &["date", "source", "cameo", "plover", "target", "modality", "evidence"],
        |l| {
            vec![
                opt(&l.date),
                opt(&l.source),
                l.cameo.clone(),
                opt(&l.plover),
                opt(&l.target),
                l.modality.clone(),
                if a.format == TableFormat::Table { short(&l.evidence, 80) } else { l.evidence.clone() },
            ]
        },
        footer,
    )?;
    Ok(ExitCode::SUCCESS)
}

fn period(by: By) -> Period {
    match by {
        By::Day => Period::Day,
        By::Week => Period::Week,
        By::Month => Period::Month,
        By::Year => Period::Year,
    }
}

pub fn balance(a: &BalanceArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let opts = sway_contest::BalanceOptions { by: period(a.by), window: a.window, smoothing: a.smoothing };
    let (camps, rows) = sway_query::balance(&store, &a.arena, &a.powers, range(&a.dates), counting(a.reports), opts)?;
    if rows.is_empty() && a.format == TableFormat::Table {
        eprintln!("no events between {}'s actors and {} in the store", a.arena, a.powers.join(", "));
        return Ok(ExitCode::SUCCESS);
    }
    let mut header: Vec<String> = vec!["period".into()];
    for c in &camps {
        let p = c.power.as_str();
        header.extend([format!("{p}_events"), format!("{p}_coop"), format!("{p}_conflict"), format!("{p}_index")]);
    }
    header.extend(["balance".into(), "max_single_event".into()]);
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    // The sparkline shows the balance's movement: its lowest period is the lowest bar.
    let low = rows.iter().filter_map(|r| r.balance).fold(f64::INFINITY, f64::min);
    let balances: Vec<u32> =
        rows.iter().map(|r| r.balance.map_or(0, |b| ((b - low) * 100.0).round() as u32 + 1)).collect();
    let footer = if camps.len() >= 2 {
        Some(format!(
            "balance ({} minus {}) per {}: {}",
            camps[0].power.as_str(),
            camps[1].power.as_str(),
            format!("{:?}", a.by).to_lowercase(),
            sparkline(&balances)
        ))
    } else {
        None
    };
    write_rows(
        a.format,
        &rows,
        &header_refs,
        |r| {
            let mut v = vec![r.period.clone()];
            for s in &r.standings {
                v.extend([
                    s.events.to_string(),
                    format!("{:.1}", s.cooperation),
                    format!("{:.1}", s.conflict),
                    format!("{:+.3}", s.index),
                ]);
            }
            v.push(r.balance.map_or(String::new(), |b| format!("{b:+.3}")));
            v.push(format!("{:.3}", r.max_single_event));
            v
        },
        footer,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// A cluster with the event that stands for it.
#[derive(Serialize)]
struct ClusterOut<'a> {
    #[serde(flatten)]
    cluster: &'a Cluster,
    event: &'a sway_core::contract::EventRecord,
}

/// `sway events --dedup`: one record per real event.
pub fn dedup_events(
    store: &sway_store::Store,
    found: &[StoredEvent],
    days: i64,
    format: crate::output::Format,
) -> anyhow::Result<ExitCode> {
    let obs = sway_query::observations(found);
    let cl = sway_query::deduplicate(store, &obs, days)?;
    let by_id: std::collections::HashMap<&str, &StoredEvent> = found.iter().map(|e| (e.event.id.as_str(), e)).collect();
    match format {
        crate::output::Format::Csv => {
            let mut out = crate::output::Out::stdout(format)?;
            for c in &cl {
                if let Some(e) = by_id.get(c.id.as_str()) {
                    out.stored_event(e)?;
                }
            }
            out.finish()?;
        }
        f => {
            let recs: Vec<ClusterOut<'_>> = cl
                .iter()
                .filter_map(|c| Some(ClusterOut { cluster: c, event: &by_id.get(c.id.as_str())?.event }))
                .collect();
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            if f == crate::output::Format::Json {
                serde_json::to_writer_pretty(&mut w, &recs)?;
                writeln!(w)?;
            } else {
                for r in &recs {
                    serde_json::to_writer(&mut w, r)?;
                    writeln!(w)?;
                }
            }
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
