//! Walking the inputs: files, directories and stdin, with a progress bar on a terminal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use indicatif::{ProgressBar, ProgressStyle};
use sway_core::contract::DocumentRecord;
use sway_core::Document;
use sway_ingest::{IngestError, ReadOptions};
use sway_pipeline::AnalyzeError;

/// Where messages go while a batch runs: above the progress bar on a terminal,
/// plain stderr otherwise.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn println(&self, msg: String) {
        if self.bar.is_hidden() {
            eprintln!("{msg}");
        } else {
            self.bar.println(msg);
        }
    }
}

/// Expand directories into the files below them (sorted, hidden ones skipped).
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        // Unreadable directories are reported when read as a file.
        out.push(dir.to_path_buf());
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        if e.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        if e.is_dir() {
            walk(&e, out);
        } else {
            out.push(e);
        }
    }
}

/// A document read and analyzed, or why it could not be read.
pub type Analyzed = Result<(Document, Result<DocumentRecord, AnalyzeError>), IngestError>;

fn read(path: &Path, opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    if path.as_os_str() == "-" {
        sway_ingest::read_stdin(opts)
    } else {
        sway_ingest::read_path(path, opts)
    }
}

/// Read and analyze every input on `jobs` threads, and hand each result to `f` on
/// this thread in input order, so output is the same whatever the number of jobs.
pub fn for_each_analyzed(
    paths: &[PathBuf],
    opts: &ReadOptions,
    jobs: usize,
    analyze: &(dyn Fn(&Document) -> Result<DocumentRecord, AnalyzeError> + Sync),
    mut f: impl FnMut(&Progress, Analyzed) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let files = expand(paths);
    let bar = if files.len() > 1 {
        // indicatif draws nothing when stderr is not a terminal.
        let b = ProgressBar::new(files.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let progress = Progress { bar };
    let jobs = jobs.clamp(1, files.len().max(1));
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<Analyzed>)>(jobs * 2);
    let result = std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, files) = (&next, &files);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let results = read(path, opts)
                    .into_iter()
                    .map(|r| {
                        r.map(|doc| {
                            let rec = analyze(&doc);
                            (doc, rec)
                        })
                    })
                    .collect();
                // The receiver is gone when the consumer stopped early: stop too.
                if tx.send((i, results)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut want = 0;
        for (i, results) in rx {
            pending.insert(i, results);
            while let Some(results) = pending.remove(&want) {
                progress.bar.set_message(files[want].display().to_string());
                for r in results {
                    f(&progress, r)?;
                }
                progress.bar.inc(1);
                want += 1;
            }
        }
        Ok(())
    });
    progress.bar.finish_and_clear();
    result
}
