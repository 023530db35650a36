//! Walking the inputs: files, directories and stdin, with a progress bar on a terminal.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use sway_core::Document;
use sway_ingest::{IngestError, ReadOptions};

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

/// Read every input and hand each document (or error) to `f`, in order.
pub fn for_each_document(
    paths: &[PathBuf],
    opts: &ReadOptions,
    mut f: impl FnMut(&Progress, Result<Document, IngestError>) -> anyhow::Result<()>,
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
    for path in &files {
        progress.bar.set_message(path.display().to_string());
        let results =
            if path.as_os_str() == "-" { sway_ingest::read_stdin(opts) } else { sway_ingest::read_path(path, opts) };
        for r in results {
            f(&progress, r)?;
        }
        progress.bar.inc(1);
    }
    progress.bar.finish_and_clear();
    Ok(())
}
