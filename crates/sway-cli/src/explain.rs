//! `sway explain`: one sentence's parse, actors and coded events, with the rule (file
//! and line) behind each, so a user can see why sway coded what it coded.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use sway_core::contract::DocumentRecord;
use sway_pipeline::Pipeline;

use crate::args::ExplainArgs;

pub fn run(a: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let mut pipeline = Pipeline::new()?;
    for path in &a.registry {
        let src = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the registry file", path.display()))?;
        if let Err(e) = pipeline.add_registry_file(&path.display().to_string(), &src) {
            eprintln!("error: {e}: registry file refused");
            return Ok(ExitCode::from(2));
        }
    }
    let opts = sway_ingest::ReadOptions { published: a.published, ..Default::default() };
    let doc = match sway_ingest::read_path(&a.file, &opts).into_iter().next() {
        Some(Ok(doc)) => doc,
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
        None => {
            eprintln!("error: {}: no document", a.file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let rec = match pipeline.analyze(&doc, false) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let out = match a.sentence {
        None => sentence_list(&rec, &doc.text),
        Some(n) if n < rec.sentences.len() => explain(&rec, &doc.text, n),
        Some(n) => {
            eprintln!("error: {}: no sentence {n} (it has {})", a.file.display(), rec.sentences.len());
            return Ok(ExitCode::from(2));
        }
    };
    use std::io::Write as _;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn sentence_list(rec: &DocumentRecord, text: &str) -> String {
    let mut out = String::new();
    for (i, s) in rec.sentences.iter().enumerate() {
        let events = rec.events.iter().filter(|e| e.evidence.sentence == i).count();
        let _ = writeln!(out, "{i:>4}  [{events} event(s)]  {}", one_line(&text[s.start..s.end]));
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn explain(rec: &DocumentRecord, text: &str, n: usize) -> String {
    let s = &rec.sentences[n];
    let mut out = String::new();
    let _ = writeln!(out, "sentence {n} (bytes {}..{}):\n  {}\n", s.start, s.end, one_line(&text[s.start..s.end]));
    let _ = writeln!(out, "parse:");
    let _ = writeln!(out, "  {:>3}  {:<18} {:<14} {:<6} {:>4}  deprel", "id", "form", "lemma", "upos", "head");
    for (i, t) in s.tokens.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>3}  {:<18} {:<14} {:<6} {:>4}  {}",
            i + 1,
            &text[t.start..t.end],
            t.lemma,
            t.upos,
            t.head,
            t.deprel
        );
    }
    let _ = writeln!(out, "\nactors:");
    for (ai, a) in rec.actors.iter().enumerate() {
        for m in a.mentions.iter().filter(|m| m.start >= s.start && m.end <= s.end) {
            let patrons: Vec<String> =
                a.patrons.iter().filter_map(|p| p.country.clone().or_else(|| p.id.clone())).collect();
            let _ = writeln!(
                out,
                "  {:<40} actor {ai}: {} [{}]{}{}",
                format!("{:?}", m.text),
                a.name,
                a.code,
                a.id.as_deref().map(|id| format!(" registry {id}")).unwrap_or_default(),
                if patrons.is_empty() { String::new() } else { format!(" backed by {}", patrons.join(", ")) },
            );
        }
    }
    let _ = writeln!(out, "\nevents:");
    let events: Vec<_> = rec.events.iter().filter(|e| e.evidence.sentence == n).collect();
    if events.is_empty() {
        let _ = writeln!(out, "  none: no trigger with an actor on each side");
    }
    for e in events {
        let side = |p: &Option<sway_core::contract::ParticipantRecord>| {
            p.as_ref().map_or("-".to_string(), |p| format!("{:?} {}", p.text, p.code.as_deref().unwrap_or("")))
        };
        let _ = writeln!(
            out,
            "  {} -[{} {} {}]-> {}  {:?}, confidence {}{}\n    trigger {:?}; rule {}",
            side(&e.source),
            e.cameo,
            e.plover.as_deref().unwrap_or("-"),
            e.goldstein.map_or(String::new(), |g| format!("{g:+}")),
            side(&e.target),
            e.modality,
            e.confidence,
            e.attributed_to
                .and_then(|a| rec.actors.get(a))
                .map(|a| format!(", claimed by {}", a.name))
                .unwrap_or_default(),
            e.trigger.text,
            e.rule
        );
    }
    out
}
