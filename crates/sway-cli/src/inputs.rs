//! Walking the inputs: files, directories and stdin, with a progress bar on a terminal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

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
pub(crate) fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
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

fn read(path: &Path, opts: &ReadOptions, each: &mut dyn FnMut(Result<Document, IngestError>) -> bool) {
    if path.as_os_str() == "-" {
        for r in sway_ingest::read_stdin(opts) {
            if !each(r) {
                return;
            }
        }
    } else {
        sway_ingest::read_path_each(path, opts, each);
    }
}

/// Read and analyze every input with `jobs` analysis threads, and hand each result to
/// `f` on this thread in input order, so output is the same whatever the number of jobs.
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
    let jobs = jobs.max(1);
    // A reader walks the inputs in order and numbers every document; workers analyze
    // them in any order; this thread puts them back in order. Documents, not files,
    // are the unit of work, so one big JSONL file is spread over every job.
    type Work = (usize, bool, Result<Document, IngestError>);
    let (work_tx, work_rx) = mpsc::sync_channel::<Work>(jobs * 4);
    let work_rx = Mutex::new(work_rx);
    // Room for the results of a while of analysis: the consumer may pause (a store
    // commits a batch of documents at once) without idling the workers.
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, bool, Analyzed)>(jobs * 4 + 256);
    let stop = AtomicBool::new(false);
    let result = std::thread::scope(|scope| -> anyhow::Result<()> {
        let (files, stop_ref) = (&files, &stop);
        scope.spawn(move || {
            let mut seq = 0;
            for path in files {
                // Hold one document back, so the file's last one can be marked as such
                // while a big JSONL file streams.
                let mut held: Option<Result<Document, IngestError>> = None;
                let mut send = |r, last: bool| {
                    let ok = !stop_ref.load(Ordering::Relaxed) && work_tx.send((seq, last, r)).is_ok();
                    seq += 1;
                    ok
                };
                let mut going = true;
                read(path, opts, &mut |r| {
                    if let Some(prev) = held.replace(r) {
                        going = send(prev, false);
                    }
                    going
                });
                if let Some(prev) = held.take() {
                    going = going && send(prev, true);
                }
                if !going {
                    return;
                }
            }
        });
        for _ in 0..jobs {
            let done_tx = done_tx.clone();
            let (work_rx, stop) = (&work_rx, &stop);
            scope.spawn(move || loop {
                let item = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((seq, last, r)) = item else { return };
                if stop.load(Ordering::Relaxed) {
                    // The consumer gave up: drain so the reader is never left blocked.
                    continue;
                }
                let analyzed = r.map(|doc| {
                    // A defect that panics on one document must not take the batch down
                    // (nor leave this thread's place in the output order empty).
                    let rec = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze(&doc))).unwrap_or_else(
                        |panic| {
                            let message = panic
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                .unwrap_or_else(|| "unknown panic".into());
                            Err(AnalyzeError::Internal { source_name: doc.source.clone(), message })
                        },
                    );
                    (doc, rec)
                });
                if done_tx.send((seq, last, analyzed)).is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
            });
        }
        drop(done_tx);
        let mut pending = BTreeMap::new();
        let mut want = 0;
        let mut file = 0;
        let consumed = (|| -> anyhow::Result<()> {
            for (seq, last, a) in &done_rx {
                pending.insert(seq, (last, a));
                while let Some((last, a)) = pending.remove(&want) {
                    if let Some(p) = files.get(file) {
                        progress.bar.set_message(p.display().to_string());
                    }
                    f(&progress, a)?;
                    want += 1;
                    if last {
                        progress.bar.inc(1);
                        file += 1;
                    }
                }
            }
            Ok(())
        })();
        if consumed.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        drop(done_rx);
        consumed
    });
    progress.bar.finish_and_clear();
    result
}
