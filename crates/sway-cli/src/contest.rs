//! `sway actors`, `sway dyad`, `sway network`, `sway timeline`: the contest read back
//! from the store.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use sway_contest::{
    clusters, dyad_series, minhash, network as build_network, representatives, sparkline, stories, Cluster,
    DedupOptions, NetworkBuilder, Obs, PatronLink, Period, SeriesOptions, Side,
};
use sway_store::{ObsQuery, StoredEvent};

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

pub fn observations(found: &[StoredEvent]) -> Vec<Obs> {
    found
        .iter()
        .filter_map(|e| {
            let mut o = Obs::of(&e.doc_id, &e.event)?;
            o.reported = e.published.as_deref().and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
            Some(o)
        })
        .collect()
}

/// Documents whose texts agree on this share of MinHash positions are copies of one story.
const SAME_STORY: f64 = 0.7;

/// The events' clusters: reports of one event within `days` of each other, with
/// copies of one story counted as one source.
pub fn deduplicate(store: &sway_store::Store, obs: &[Obs], days: i64) -> anyhow::Result<Vec<Cluster>> {
    let mut wanted: Vec<&str> = obs.iter().map(|o| o.doc_id.as_str()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    // Signatures are stored at ingest; documents stored before that get theirs from
    // their text.
    let mut sigs = store.signatures(&wanted)?;
    if sigs.len() < wanted.len() {
        let have: std::collections::HashSet<String> = sigs.iter().map(|(id, _)| id.clone()).collect();
        let missing: std::collections::HashSet<&str> =
            wanted.iter().copied().filter(|id| !have.contains(*id)).collect();
        store.for_each_text(|id, text| {
            if missing.contains(id) {
                sigs.push((id.to_string(), minhash(text)));
            }
        })?;
    }
    Ok(clusters(obs, &stories(&sigs, SAME_STORY), DedupOptions { days }))
}

/// The events a series or balance counts, read through the store's indexes: one per
/// real event (the clusters kept at ingest) unless `all_reports`; a window other
/// than the ingest one clusters again here.
fn counted(store: &sway_store::Store, mut q: ObsQuery, reports: Reports) -> anyhow::Result<Vec<Obs>> {
    if reports.all_reports {
        return Ok(store.observations(&q)?);
    }
    if reports.dedup_window == sway_store::INGEST_DEDUP_DAYS {
        q.representatives = true;
        return Ok(store.observations(&q)?);
    }
    let obs = store.observations(&q)?;
    // Which reports stand for each cluster does not depend on stories.
    let c = clusters(&obs, &std::collections::HashMap::new(), DedupOptions { days: reports.dedup_window });
    Ok(representatives(&obs, &c))
}

fn obs_query(dates: &crate::args::Dates) -> ObsQuery {
    let q = dates.query();
    ObsQuery { since: q.since, until: q.until, ..ObsQuery::default() }
}

pub fn dyad(a: &DyadArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let q = ObsQuery { dyad: Some((a.a.clone(), a.b.clone())), ..obs_query(&a.dates) };
    let obs = counted(&store, q, a.reports)?;
    let by = period(a.by);
    let (sa, sb) = (Side::new(&a.a), Side::new(&a.b));
    let opts = SeriesOptions { by, min_baseline: a.min_baseline, all_modalities: a.all_modalities };
    let rows = dyad_series(&obs, &sa, &sb, opts);
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
    let summary = store.actor_labels()?;
    let patrons: Vec<PatronLink> = patron_codes(&store)?
        .into_iter()
        .map(|(client, client_label, patron)| PatronLink { client, client_label, patron })
        .collect();
    let mut net = if a.reports.all_reports || a.reports.dedup_window == sway_store::INGEST_DEDUP_DAYS {
        // One pass over the index, one borrowed row at a time.
        let q = ObsQuery { representatives: !a.reports.all_reports, realized: true, ..obs_query(&a.dates) };
        let mut b = NetworkBuilder::default();
        store.scan_events(&q, |e| b.add(e))?;
        b.finish(&patrons)
    } else {
        build_network(&counted(&store, obs_query(&a.dates), a.reports)?, &patrons)
    };
    net.edges.retain(|e| e.kind == sway_contest::EdgeKind::Patron || e.events >= a.min_events);
    let used: std::collections::HashSet<&str> =
        net.edges.iter().flat_map(|e| [e.source.as_str(), e.target.as_str()]).collect();
    let nodes: Vec<_> = net.nodes.iter().filter(|n| used.contains(n.id.as_str())).cloned().collect();
    let mut net = sway_contest::Network { nodes, edges: net.edges.clone() };
    // Label each code with the name its actors go by most: the registry's country or
    // organisation, not whatever words one sentence used.
    let mut labels: std::collections::HashMap<String, (u64, bool, String)> = std::collections::HashMap::new();
    for r in summary {
        let rank = (r.documents, r.registry_id.as_deref().is_some_and(|i| i.starts_with("country:")));
        let e = labels.entry(r.code.clone()).or_insert((0, false, r.name.clone()));
        if rank > (e.0, e.1) {
            *e = (rank.0, rank.1, r.name);
        }
    }
    for n in &mut net.nodes {
        if let Some((_, _, name)) = labels.get(&n.id) {
            n.label = name.clone();
        }
    }
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
    // Events per month over the span, for the sparkline.
    let months: Vec<String> = lines.iter().filter_map(|l| l.date.as_ref().map(|d| d[..7].to_string())).collect();
    let footer = match (months.iter().min(), months.iter().max()) {
        (Some(first), Some(last)) => {
            let mut counts = Vec::new();
            let mut m = chrono::NaiveDate::parse_from_str(&format!("{first}-01"), "%Y-%m-%d")?;
            let end = chrono::NaiveDate::parse_from_str(&format!("{last}-01"), "%Y-%m-%d")?;
            while m <= end {
                let key = m.format("%Y-%m").to_string();
                counts.push(months.iter().filter(|x| **x == key).count() as u32);
                m = Period::Month.next(m);
            }
            Some(format!("{} events, {first} to {last}, per month: {}", lines.len(), sparkline(&counts)))
        }
        _ => None,
    };
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

/// Client codes backed by each patron, the patron given as an actor code (a registry
/// id is mapped to its code).
fn patron_codes(store: &sway_store::Store) -> anyhow::Result<Vec<(String, String, String)>> {
    let summary = store.actor_labels()?;
    let code_of: std::collections::HashMap<&str, &str> =
        summary.iter().filter_map(|r| Some((r.registry_id.as_deref()?, r.code.as_str()))).collect();
    Ok(store
        .patron_links()?
        .into_iter()
        .map(|(client, label, patron)| {
            let patron = code_of.get(patron.as_str()).map_or(patron, |c| c.to_string());
            (client, label, patron)
        })
        .collect())
}

pub fn balance(a: &BalanceArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let q = ObsQuery { either: Some(a.arena.clone()), ..obs_query(&a.dates) };
    let obs = counted(&store, q, a.reports)?;
    let links = patron_codes(&store)?;
    let camps: Vec<sway_contest::Camp> = a
        .powers
        .iter()
        .map(|p| {
            let power = Side::new(p);
            let proxies =
                links.iter().filter(|(_, _, patron)| power.matches(Some(patron), None)).map(|(c, _, _)| c.clone());
            let mut proxies: Vec<String> = proxies.collect();
            proxies.sort();
            proxies.dedup();
            sway_contest::Camp { power, proxies }
        })
        .collect();
    let opts = sway_contest::BalanceOptions { by: period(a.by), window: a.window, smoothing: a.smoothing };
    let rows = sway_contest::balance(&obs, &a.arena, &camps, opts);
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
    let obs = observations(found);
    let cl = deduplicate(store, &obs, days)?;
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
