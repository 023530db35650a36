//! `sway`: read geopolitical reporting and rebuild the contest it describes as data.
//!
//! Thin glue over the library crates: argument parsing, input walking, output formats,
//! progress and exit codes. Exit codes: 0 all inputs done, 1 some inputs failed,
//! 2 usage error, 3 fatal error (e.g. the store cannot be opened).

mod args;
mod contest;
mod explain;
mod export;
mod inputs;
mod ledger;
mod output;
mod parquet_out;
mod parse;
mod recode;
mod spark_in;
mod train;

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use sway_ingest::ReadOptions;
use sway_pipeline::Pipeline;
use sway_store::{Store, Stored};

use crate::args::{AnalyzeArgs, Cli, Command, EventsArgs, IngestArgs};
use crate::output::Out;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(a) => analyze(&a),
        Command::Ingest(a) => ingest(&a),
        Command::Events(a) => events(&a),
        Command::Judgments(a) => ledger::judgments(&a),
        Command::Resolve(a) => ledger::resolve(&a),
        Command::Search(a) => contest::search(&a),
        Command::Actors(a) => contest::actors(&a),
        Command::Dyad(a) => contest::dyad(&a),
        Command::Network(a) => contest::network(&a),
        Command::Balance(a) => contest::balance(&a),
        Command::Timeline(a) => contest::timeline(&a),
        Command::Export(a) => export::run(&a),
        Command::Recode(a) => recode::recode(&a),
        Command::Correct(a) => recode::correct(&a),
        Command::Serve(a) => serve(&a),
        Command::Schema => schema(),
        Command::Explain(a) => explain::run(&a),
        Command::Parse(a) => parse::run(&a),
        Command::Train(t) => train::run(&t),
    };
    match result {
        Ok(code) => code,
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(3)
        }
    }
}

/// Counts for the end-of-run line and the exit code.
#[derive(Default)]
struct Tally {
    failed: usize,
    skipped: usize,
}

impl Tally {
    /// Report a read error, a document's warnings, or a skip on stderr; hand back the
    /// documents that were analyzed.
    fn report(
        &mut self,
        progress: &inputs::Progress,
        item: inputs::Analyzed,
    ) -> Option<(sway_core::Document, sway_core::contract::DocumentRecord)> {
        match item {
            Err(e) => {
                self.failed += 1;
                progress.println(format!("error: {e}"));
                None
            }
            Ok((doc, rec)) => {
                for w in &doc.warnings {
                    progress.println(format!("warning: {}: {w}", doc.source));
                }
                match rec {
                    Ok(rec) => Some((doc, rec)),
                    Err(e @ sway_pipeline::AnalyzeError::Internal { .. }) => {
                        self.failed += 1;
                        progress.println(format!("error: {e}"));
                        None
                    }
                    Err(e) => {
                        self.skipped += 1;
                        progress.println(format!("skipped: {e}"));
                        None
                    }
                }
            }
        }
    }

    fn exit(&self) -> ExitCode {
        if self.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

fn read_options(
    max_bytes: u64,
    published: Option<chrono::NaiveDate>,
    format: Option<sway_core::InputFormat>,
) -> ReadOptions {
    ReadOptions { max_bytes, published, format }
}

/// The pipeline with the user's registry and pattern files added; a faulty file is a
/// usage error.
pub fn pipeline(input: &args::DictArgs) -> anyhow::Result<Result<Pipeline, ExitCode>> {
    let mut pipeline = Pipeline::new()?;
    if input.no_default_patterns {
        pipeline.clear_patterns();
    }
    #[derive(Clone, Copy)]
    enum Kind {
        Registry,
        Agents,
        Patterns,
    }
    let files = input
        .registry
        .iter()
        .map(|p| (p, Kind::Registry))
        .chain(input.agents.iter().map(|p| (p, Kind::Agents)))
        .chain(input.patterns.iter().map(|p| (p, Kind::Patterns)));
    for (path, kind) in files {
        let name = path.display().to_string();
        let what = match kind {
            Kind::Registry => "registry",
            Kind::Agents => "agents",
            Kind::Patterns => "patterns",
        };
        let src = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {name}: cannot read the {what} file: {e}");
                return Ok(Err(ExitCode::from(2)));
            }
        };
        let added = match kind {
            Kind::Registry => pipeline.add_registry_file(&name, &src),
            Kind::Agents => pipeline.add_agents_file(&name, &src),
            Kind::Patterns => pipeline.add_patterns_file(&name, &src),
        };
        if let Err(e) = added {
            eprintln!("error: {e}: {what} file refused, nothing analyzed");
            return Ok(Err(ExitCode::from(2)));
        }
    }
    Ok(Ok(pipeline))
}

fn analyze(a: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let opts = read_options(a.input.max_bytes, a.input.published, a.input.input_format.map(Into::into));
    let pipeline = match pipeline(&a.input.dict)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let mut out = Out::stdout(a.format)?;
    let mut tally = Tally::default();
    let with_text = a.with_text;
    let spent = std::sync::Mutex::new(sway_pipeline::StageTimes::default());
    let run = |doc: &sway_core::Document| {
        let (rec, times) = pipeline.analyze_timed(doc, with_text)?;
        if let Ok(mut s) = spent.lock() {
            s.add(&times);
        }
        Ok(rec)
    };
    inputs::for_each_analyzed(&a.input.paths, &opts, a.input.jobs, &run, |progress, item| {
        if let Some((_, rec)) = tally.report(progress, item) {
            out.document(&rec)?;
        }
        Ok(())
    })?;
    out.finish()?;
    if a.timing {
        let spent = spent.lock().map(|s| *s).unwrap_or_default();
        let parts: Vec<String> = sway_pipeline::Stage::ALL
            .iter()
            .map(|&st| format!("{}={:.6}", st.name(), spent.get(st).as_secs_f64()))
            .collect();
        eprintln!("timing: {}", parts.join(" "));
    }
    Ok(tally.exit())
}

fn ingest(a: &IngestArgs) -> anyhow::Result<ExitCode> {
    let opts = read_options(a.input.max_bytes, a.input.published, a.input.input_format.map(Into::into));
    let db = args::db_path(a.db.db.as_deref())?;
    if a.events {
        return ingest_events(a, &db);
    }
    let pipeline = match pipeline(&a.input.dict)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let mut store = Store::open(&db).with_context(|| "opening the store")?;
    let mut stored = Ingested::default();
    let mut tally = Tally::default();
    let run = |doc: &sway_core::Document| pipeline.analyze(doc, false);
    inputs::for_each_analyzed(&a.input.paths, &opts, a.input.jobs, &run, |progress, item| {
        if let Some((doc, rec)) = tally.report(progress, item) {
            let label = doc.source.clone();
            stored.add(rec, doc.text, label);
            if stored.due() {
                tally.failed += stored.flush(&mut store, &mut |m| progress.println(m));
            }
        }
        Ok(())
    })?;
    tally.failed += stored.flush(&mut store, &mut |m| eprintln!("{m}"));
    if !a.quiet {
        eprintln!("{}", stored.summary(&db, &tally));
        if stored.inserted > 0 {
            eprintln!("hint: list them with `sway events --db {}`", db.display());
        }
    }
    Ok(tally.exit())
}

/// What an ingest stored: new documents, their events, and documents already there;
/// and the documents waiting to be written in the next batch.
#[derive(Default)]
struct Ingested {
    inserted: usize,
    already: usize,
    events: usize,
    /// (record, text, what to call it in an error).
    pending: Vec<(sway_core::contract::DocumentRecord, String, String)>,
    since: Option<std::time::Instant>,
}

/// Documents written per transaction, and the longest a document waits for its batch:
/// a commit per document would cost more than its rows, and a reader (or a kill)
/// should not wait long to see what is done.
const BATCH_DOCS: usize = 64;
const BATCH_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

impl Ingested {
    fn add(&mut self, rec: sway_core::contract::DocumentRecord, text: String, label: String) {
        self.since.get_or_insert_with(std::time::Instant::now);
        self.pending.push((rec, text, label));
    }

    fn due(&self) -> bool {
        self.pending.len() >= BATCH_DOCS || self.since.is_some_and(|t| t.elapsed() >= BATCH_WAIT)
    }

    /// Write the waiting documents in one transaction; returns how many failed, each
    /// reported through `say`.
    fn flush(&mut self, store: &mut Store, say: &mut dyn FnMut(String)) -> usize {
        self.since = None;
        if self.pending.is_empty() {
            return 0;
        }
        let batch = std::mem::take(&mut self.pending);
        let docs: Vec<(&sway_core::contract::DocumentRecord, &str)> =
            batch.iter().map(|(rec, text, _)| (rec, text.as_str())).collect();
        let results = match store.put_many(&docs) {
            Ok(r) => r,
            Err(e) => {
                let e = e.to_string();
                for (_, _, label) in &batch {
                    say(format!("error: {label}: not stored: {e}"));
                }
                return batch.len();
            }
        };
        let mut failed = 0;
        for ((rec, _, label), r) in batch.iter().zip(results) {
            match r {
                Ok(Stored::Inserted) => {
                    self.inserted += 1;
                    self.events += rec.events.len();
                }
                Ok(Stored::AlreadyStored) => self.already += 1,
                Err(e) => {
                    failed += 1;
                    say(format!("error: {label}: not stored: {e}"));
                }
            }
        }
        failed
    }

    /// The summary line `sway ingest` prints.
    fn summary(&self, db: &std::path::Path, tally: &Tally) -> String {
        let mut line =
            format!("stored {} new document(s) with {} event(s) in {}", self.inserted, self.events, db.display());
        if self.already > 0 {
            line.push_str(&format!("; {} already stored", self.already));
        }
        if tally.skipped > 0 {
            line.push_str(&format!("; {} skipped", tally.skipped));
        }
        if tally.failed > 0 {
            line.push_str(&format!("; {} failed", tally.failed));
        }
        line
    }
}

/// `sway ingest --events DIR...`: records the Spark job analyzed, stored as they are.
fn ingest_events(a: &IngestArgs, db: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut store = Store::open(db).with_context(|| "opening the store")?;
    let mut stored = Ingested::default();
    let mut tally = Tally::default();
    for dir in &a.input.paths {
        let files = match spark_in::documents_files(dir) {
            Ok(f) => f,
            Err(e) => {
                tally.failed += 1;
                eprintln!("error: {e}");
                continue;
            }
        };
        for file in files {
            spark_in::read_file(&file, &mut |item| match item {
                Ok((rec, text)) => {
                    let label = format!("{}: document {}", file.display(), rec.doc_id);
                    stored.add(rec, text, label);
                    if stored.due() {
                        tally.failed += stored.flush(&mut store, &mut |m| eprintln!("{m}"));
                    }
                }
                Err(e) => {
                    tally.failed += 1;
                    eprintln!("error: {e}");
                }
            });
            tally.failed += stored.flush(&mut store, &mut |m| eprintln!("{m}"));
        }
    }
    if !a.quiet {
        eprintln!("{}", stored.summary(db, &tally));
    }
    Ok(tally.exit())
}

/// Open an existing store (querying never creates one).
pub fn open_existing(db: Option<&std::path::Path>) -> anyhow::Result<Store> {
    let db = args::db_path(db)?;
    if !db.exists() {
        anyhow::bail!("no store at {} (run `sway ingest` first, or pass --db)", db.display());
    }
    Store::open(&db).with_context(|| "opening the store")
}

fn serve(a: &args::ServeArgs) -> anyhow::Result<ExitCode> {
    let db = args::db_path(a.db.db.as_deref())?;
    let config =
        sway_serve::Config { db, addr: a.addr, analyze_limit: a.analyze.then_some(a.analyze_limit), warm: !a.no_warm };
    if !a.addr.ip().is_loopback() {
        eprintln!("warning: listening on {}: reachable from other machines", a.addr.ip());
    }
    sway_serve::serve(&config, |addr| {
        // Scripts (and the browser tests) read the address from this line.
        eprintln!("sway serve: listening on http://{addr}/ (Ctrl-C stops)");
    })?;
    Ok(ExitCode::SUCCESS)
}

fn events(a: &EventsArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(a.db.db.as_deref())?;
    let found = store.events(&a.filter.query(a.limit))?;
    if a.dedup {
        return contest::dedup_events(&store, &found, a.dedup_window, a.format);
    }
    let mut out = Out::stdout(a.format)?;
    for e in &found {
        out.stored_event(e)?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn schema() -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, &sway_core::contract::json_schema())?;
    writeln!(stdout)?;
    Ok(ExitCode::SUCCESS)
}
