//! `sway recode` and `sway correct`: re-running extraction over the store, and an
//! analyst's corrections that survive it.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use sway_core::contract::{DocumentRecord, EventRecord};
use sway_core::{Block, Document, InputFormat, Span};
use sway_store::Correction;

use crate::args::{CorrectArgs, RecodeArgs};
use crate::open_existing;

/// The document as it was read, rebuilt from its stored record and text.
fn document(rec: &DocumentRecord, text: String) -> Document {
    let format = match rec.format.as_str() {
        "html" => InputFormat::Html,
        "pdf" => InputFormat::Pdf,
        "jsonl" => InputFormat::Jsonl,
        _ => InputFormat::Text,
    };
    Document {
        doc_id: rec.doc_id.clone(),
        input_id: rec.input_id.clone(),
        source: rec.source.clone(),
        format,
        title: rec.title.clone(),
        url: rec.url.clone(),
        published: rec.published.as_deref().and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok()),
        site_name: rec.site_name.clone(),
        author: rec.author.clone(),
        language: rec.language.clone(),
        blocks: rec.blocks.iter().map(|b| Block { kind: b.kind, span: Span::new(b.start, b.end) }).collect(),
        text,
        warnings: rec.warnings.clone(),
    }
}

/// What an event is, for telling whether re-coding changed it.
fn key(e: &EventRecord) -> (usize, usize, Option<String>, Option<String>, String, &'static str) {
    let code = |p: &Option<sway_core::contract::ParticipantRecord>| p.as_ref().and_then(|p| p.code.clone());
    (e.trigger.start, e.trigger.end, code(&e.source), code(&e.target), e.cameo.clone(), e.modality.as_str())
}

fn describe(e: &EventRecord) -> String {
    let code = |p: &Option<sway_core::contract::ParticipantRecord>| {
        p.as_ref().and_then(|p| p.code.clone()).unwrap_or_else(|| "-".into())
    };
    format!(
        "{} {} {} {} ({}): {:?}",
        e.id,
        code(&e.source),
        e.cameo,
        code(&e.target),
        e.modality.as_str(),
        e.trigger.text
    )
}

#[derive(Default)]
struct Tally {
    documents: usize,
    changed_documents: usize,
    added: usize,
    removed: usize,
    unchanged: usize,
    failed: usize,
    lost_outcomes: usize,
}

pub fn recode(a: &RecodeArgs) -> anyhow::Result<ExitCode> {
    let mut store = open_existing(a.db.db.as_deref())?;
    let pipeline = match crate::pipeline(&a.dict)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let info = pipeline.info();
    let ids = store.document_ids()?;
    let bar = indicatif::ProgressBar::new(ids.len() as u64);
    let mut t = Tally::default();
    let mut versions: BTreeMap<String, usize> = BTreeMap::new();
    let jobs = a.jobs.max(1);
    for chunk in ids.chunks(64 * jobs) {
        let mut docs = Vec::new();
        for id in chunk {
            if let Some(mut rec) = store.document(id)? {
                let text = rec.text.take().unwrap_or_default();
                docs.push((rec, text));
            }
        }
        // Analyze the chunk on `jobs` threads; write in document order on this one.
        let per = docs.len().div_ceil(jobs).max(1);
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = docs
                .chunks(per)
                .map(|part| {
                    let pipeline = &pipeline;
                    s.spawn(move || {
                        part.iter()
                            .map(|(old, text)| pipeline.analyze(&document(old, text.clone()), false))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        });
        for ((old, _), new) in docs.iter().zip(results) {
            t.documents += 1;
            bar.inc(1);
            *versions.entry(old.pipeline.sway_version.clone()).or_default() += 1;
            let new = match new {
                Ok(r) => r,
                Err(e) => {
                    t.failed += 1;
                    bar.println(format!("error: {}: not recoded: {e}", old.source));
                    continue;
                }
            };
            let before: BTreeMap<_, &EventRecord> = old.events.iter().map(|e| (key(e), e)).collect();
            let after: BTreeMap<_, &EventRecord> = new.events.iter().map(|e| (key(e), e)).collect();
            let removed: Vec<_> = before.iter().filter(|(k, _)| !after.contains_key(*k)).collect();
            let added: Vec<_> = after.iter().filter(|(k, _)| !before.contains_key(*k)).collect();
            t.added += added.len();
            t.removed += removed.len();
            t.unchanged += before.len() - removed.len();
            if a.verbose {
                for (_, e) in &removed {
                    bar.println(format!("- {}: {}", old.doc_id, describe(e)));
                }
                for (_, e) in &added {
                    bar.println(format!("+ {}: {}", old.doc_id, describe(e)));
                }
            }
            let changed = !added.is_empty() || !removed.is_empty() || old.pipeline != new.pipeline;
            if changed {
                t.changed_documents += 1;
                if !a.dry_run {
                    t.lost_outcomes += store.replace(&new)?;
                }
            }
        }
    }
    bar.finish_and_clear();
    if !a.dry_run && t.changed_documents > 0 {
        store.refresh()?;
    }
    let from: Vec<String> = versions.iter().map(|(v, n)| format!("{n} from sway {v}")).collect();
    eprintln!(
        "{} {} of {} document(s) ({}) with sway {} (pipeline {}): {} event(s) added, {} removed, {} unchanged{}{}",
        if a.dry_run { "would recode" } else { "recoded" },
        t.changed_documents,
        t.documents,
        from.join(", "),
        info.sway_version,
        sway_store::pipeline_id(&info)?,
        t.added,
        t.removed,
        t.unchanged,
        if t.failed > 0 { format!("; {} failed", t.failed) } else { String::new() },
        if t.lost_outcomes > 0 {
            format!("; {} judgment outcome(s) no longer have their judgment", t.lost_outcomes)
        } else {
            String::new()
        },
    );
    Ok(if t.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

pub fn correct(a: &CorrectArgs) -> anyhow::Result<ExitCode> {
    let mut store = open_existing(a.db.db.as_deref())?;
    let mut out = std::io::stdout().lock();
    if a.list || a.fixes.is_empty() {
        for (event, field, value, note, by, at) in store.corrections()? {
            writeln!(
                out,
                "{at}\t{by}\t{event}\t{field}={}\t{}",
                value.as_deref().unwrap_or("none"),
                note.unwrap_or_default()
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(event) = a.event.as_deref() else { return Ok(ExitCode::from(2)) };
    let mut fixes = Vec::new();
    for f in &a.fixes {
        match Correction::parse(f) {
            Ok(c) => fixes.push(c),
            Err(e) => {
                eprintln!("error: {f}: {e}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    if store.event_record(event)?.is_none() {
        eprintln!("error: no event {event} in the store (see `sway events`)");
        return Ok(ExitCode::from(2));
    }
    let mut last = None;
    for fix in &fixes {
        match store.correct(event, fix, a.note.as_deref(), &a.by)? {
            Some(e) => last = Some(e),
            None if fix.field == sway_store::Field::Valid => last = None,
            None => {
                eprintln!("error: no event {event} in the store (see `sway events`)");
                return Ok(ExitCode::from(2));
            }
        }
    }
    match last {
        Some(e) => writeln!(out, "{}", serde_json::to_string(&e)?)?,
        None => eprintln!("{event}: marked as not an event; it no longer counts"),
    }
    Ok(ExitCode::SUCCESS)
}
