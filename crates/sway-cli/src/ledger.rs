//! `sway judgments` and `sway resolve`: the judgments ledger and track records.

use std::process::ExitCode;

use serde::Serialize;
use sway_core::contract::JudgmentRecord;
use sway_store::{JudgmentQuery, Outcome};

use crate::args::{JudgmentsArgs, OutcomeArg, ResolveArgs};
use crate::open_existing;
use crate::output::Out;

#[derive(Serialize)]
struct Row<'a> {
    doc_id: &'a str,
    source: &'a str,
    author: &'a Option<String>,
    title: &'a Option<String>,
    published: &'a Option<String>,
    #[serde(flatten)]
    judgment: &'a JudgmentRecord,
    outcome: Option<&'static str>,
    resolved_by: Option<&'a str>,
    resolved_at: Option<&'a str>,
    outcome_note: Option<&'a str>,
}

const JUDGMENT_COLUMNS: &[&str] = &[
    "id",
    "doc_id",
    "source",
    "kind",
    "term",
    "negated",
    "p_low",
    "p_high",
    "confidence",
    "holder",
    "outcome",
    "resolved_by",
    "resolved_at",
    "text",
];
const SCORE_COLUMNS: &[&str] = &["by", "source", "resolved", "brier", "bin_low", "bin_high", "n", "mean_p", "observed"];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

pub fn judgments(a: &JudgmentsArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    if a.scores {
        let mut out = Out::csv_with_header(a.format, SCORE_COLUMNS)?;
        for tr in store.track_records()? {
            if out.is_csv() {
                for b in &tr.bins {
                    out.csv_row(&[
                        tr.by.to_string(),
                        tr.source.clone(),
                        tr.resolved.to_string(),
                        format!("{:.4}", tr.brier),
                        format!("{:.1}", b.low),
                        format!("{:.1}", b.high),
                        b.n.to_string(),
                        format!("{:.3}", b.mean_p),
                        format!("{:.3}", b.observed),
                    ])?;
                }
            } else {
                #[derive(Serialize)]
                struct Bin {
                    low: f64,
                    high: f64,
                    n: usize,
                    mean_p: f64,
                    observed: f64,
                }
                #[derive(Serialize)]
                struct Score<'a> {
                    by: &'a str,
                    source: &'a str,
                    resolved: usize,
                    brier: f64,
                    calibration: Vec<Bin>,
                }
                out.json_row(&Score {
                    by: tr.by,
                    source: &tr.source,
                    resolved: tr.resolved,
                    brier: tr.brier,
                    calibration: tr
                        .bins
                        .iter()
                        .map(|b| Bin { low: b.low, high: b.high, n: b.n, mean_p: b.mean_p, observed: b.observed })
                        .collect(),
                })?;
            }
        }
        out.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    if a.suggest {
        return suggest(a);
    }
    let q = JudgmentQuery { source: a.source.clone(), open: a.open, limit: a.limit };
    let mut out = Out::csv_with_header(a.format, JUDGMENT_COLUMNS)?;
    for j in store.judgments(&q)? {
        let (outcome, by, at, note) = match &j.outcome {
            Some((o, by, at, note)) => (Some(o.as_str()), Some(by.as_str()), Some(at.as_str()), note.as_deref()),
            None => (None, None, None, None),
        };
        if out.is_csv() {
            let r = &j.judgment;
            out.csv_row(&[
                r.id.clone(),
                j.doc_id.clone(),
                j.source.clone(),
                r.kind.clone(),
                opt(r.term.as_deref()),
                r.negated.to_string(),
                opt(r.p_low),
                opt(r.p_high),
                opt(r.confidence.as_deref()),
                opt(r.holder.as_deref()),
                opt(outcome),
                opt(by),
                opt(at),
                r.text.clone(),
            ])?;
        } else {
            out.json_row(&Row {
                doc_id: &j.doc_id,
                source: &j.source,
                author: &j.author,
                title: &j.title,
                published: &j.published,
                judgment: &j.judgment,
                outcome,
                resolved_by: by,
                resolved_at: at,
                outcome_note: note,
            })?;
        }
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Open judgments and the later events that bear on them: each suggests `yes` (or
/// `no` for a negated judgment, "will not ..."), for a person to confirm.
fn suggest(a: &JudgmentsArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let q = JudgmentQuery { source: a.source.clone(), open: true, limit: a.limit };
    let mut out = Out::csv_with_header(
        a.format,
        &["judgment", "suggested_outcome", "event_id", "event_doc_id", "event_date", "evidence"],
    )?;
    let mut n = 0;
    for j in store.judgments(&q)? {
        let events = store.suggestions(&j)?;
        if events.is_empty() {
            continue;
        }
        n += 1;
        let suggested = if j.judgment.negated { "no" } else { "yes" };
        for e in &events {
            if out.is_csv() {
                out.csv_row(&[
                    j.judgment.id.clone(),
                    suggested.to_string(),
                    e.event.id.clone(),
                    e.doc_id.clone(),
                    e.event.date.as_ref().map(|d| d.start.clone()).unwrap_or_default(),
                    e.event.evidence.text.clone(),
                ])?;
            }
        }
        if !out.is_csv() {
            #[derive(Serialize)]
            struct Suggestion<'a> {
                judgment: &'a str,
                text: &'a str,
                suggested_outcome: &'a str,
                events: Vec<serde_json::Value>,
            }
            out.json_row(&Suggestion {
                judgment: &j.judgment.id,
                text: &j.judgment.text,
                suggested_outcome: suggested,
                events: events
                    .iter()
                    .map(|e| {
                        serde_json::json!({"id": e.event.id, "doc_id": e.doc_id, "date": e.event.date, "evidence": e.event.evidence.text})
                    })
                    .collect(),
            })?;
        }
    }
    out.finish()?;
    if n > 0 {
        eprintln!("hint: confirm with `sway resolve ID --outcome yes|no|partial`; nothing was recorded");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn resolve(a: &ResolveArgs) -> anyhow::Result<ExitCode> {
    let mut store = open_existing(a.db.db.as_deref())?;
    let outcome = match a.outcome {
        OutcomeArg::Yes => Outcome::Yes,
        OutcomeArg::No => Outcome::No,
        OutcomeArg::Partial => Outcome::Partial,
    };
    if store.resolve(&a.id, outcome, a.note.as_deref(), &a.by)? {
        eprintln!("recorded {} for {} (by {})", outcome.as_str(), a.id, a.by);
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("error: no judgment {:?} in the store\nhint: list them with `sway judgments --open`", a.id);
        Ok(ExitCode::from(1))
    }
}
