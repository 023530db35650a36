//! Python bindings of the sway pipeline: the `sway._sway` extension module under the
//! `sway` package (`python/sway`). A `Pipeline` holds the loaded models; its methods
//! take documents as JSONL lines (`{"id", "title", "text", "published", "url"}`, the
//! records `sway analyze` reads) so that a document analyzed here and by the command
//! line goes through the same reader, and return output-contract records as JSON.
//! The GIL is released while documents are analyzed.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use sway_core::InputFormat;
use sway_ingest::ReadOptions;

pyo3::create_exception!(_sway, SwayError, PyValueError, "A document sway could not read or analyze.");

/// The bundled models and dictionaries, loaded once; safe to share between threads.
#[pyclass(frozen, module = "sway._sway")]
struct Pipeline {
    inner: sway_pipeline::Pipeline,
}

/// One document analyzed: its ids, its record as JSON and its text as read (which the
/// record leaves out, and a store keeps beside it).
struct Analyzed {
    doc_id: String,
    input_id: Option<String>,
    json: String,
    text: String,
    /// The record's `events`, `actors` and `judgments` as JSON arrays of their own,
    /// and its `published`, `title`, `url` and number of events as a small object, so
    /// a table of one of them parses only that (a record's sentences and tokens are
    /// most of its size).
    parts: [String; 4],
}

/// One batch row: `(doc_id, input_id, record_json, text, error, events_json,
/// actors_json, judgments_json, meta_json)`.
type Row = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn failed(e: String) -> Row {
    (None, None, None, None, Some(e), None, None, None, None)
}

/// One JSONL document line analyzed, or why it could not be.
fn analyze_line(p: &sway_pipeline::Pipeline, name: &str, line: &str) -> Result<Analyzed, String> {
    let opts = ReadOptions { format: Some(InputFormat::Jsonl), ..ReadOptions::default() };
    let doc = sway_ingest::read_bytes(name, line.as_bytes(), &opts)
        .into_iter()
        .next()
        .ok_or_else(|| format!("{name}: empty input"))?
        .map_err(|e| e.to_string())?;
    let rec = p.analyze(&doc, false).map_err(|e| e.to_string())?;
    let json_err = |e: serde_json::Error| format!("{name}: {e}");
    let json = serde_json::to_string(&rec).map_err(json_err)?;
    let parts = [
        serde_json::to_string(&rec.events).map_err(json_err)?,
        serde_json::to_string(&rec.actors).map_err(json_err)?,
        serde_json::to_string(&rec.judgments).map_err(json_err)?,
        serde_json::json!({
            "published": rec.published, "title": rec.title, "url": rec.url, "events": rec.events.len()
        })
        .to_string(),
    ];
    Ok(Analyzed { doc_id: rec.doc_id, input_id: rec.input_id, json, text: doc.text, parts })
}

#[pymethods]
impl Pipeline {
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        let inner = py.detach(sway_pipeline::Pipeline::new).map_err(|e| SwayError::new_err(e.to_string()))?;
        Ok(Self { inner })
    }

    /// Analyze one document given as a JSONL line; returns the record as JSON.
    /// `name` names the document in errors and in the record's `source`.
    #[pyo3(signature = (line, name = "<python>"))]
    fn analyze_line(&self, py: Python<'_>, line: &str, name: &str) -> PyResult<String> {
        let (line, name) = (line.to_string(), name.to_string());
        py.detach(|| analyze_line(&self.inner, &name, &line)).map(|a| a.json).map_err(SwayError::new_err)
    }

    /// Analyze many JSONL document lines, on `jobs` threads; returns one tuple per
    /// line, in order: `(doc_id, input_id, record_json, text, error, events_json,
    /// actors_json, judgments_json, meta_json)`, with only `error` set for a document
    /// that failed. One bad document never stops the others.
    #[pyo3(signature = (lines, names = None, jobs = 1))]
    fn analyze_lines(
        &self,
        py: Python<'_>,
        lines: Vec<String>,
        names: Option<Vec<String>>,
        jobs: usize,
    ) -> PyResult<Vec<Row>> {
        if names.as_ref().is_some_and(|n| n.len() != lines.len()) {
            return Err(PyValueError::new_err("names: one per line"));
        }
        let name = |i: usize| names.as_ref().map_or_else(|| format!("<batch>:{}", i + 1), |n| n[i].clone());
        let names: Vec<String> = (0..lines.len()).map(name).collect();
        let inner = &self.inner;
        let out = py.detach(|| {
            let one = |i: usize| -> Row {
                match analyze_line(inner, &names[i], &lines[i]) {
                    Ok(a) => {
                        let [ev, ac, ju, meta] = a.parts;
                        let (id, input, json, text) = (Some(a.doc_id), a.input_id, Some(a.json), Some(a.text));
                        (id, input, json, text, None, Some(ev), Some(ac), Some(ju), Some(meta))
                    }
                    Err(e) => failed(e),
                }
            };
            let jobs = jobs.clamp(1, lines.len().max(1));
            if jobs == 1 {
                return (0..lines.len()).map(one).collect::<Vec<_>>();
            }
            // Documents are the unit of work, handed out in order; results keep it.
            let next = std::sync::atomic::AtomicUsize::new(0);
            let mut slots: Vec<Option<Row>> = vec![None; lines.len()];
            let done = std::sync::Mutex::new(&mut slots);
            std::thread::scope(|s| {
                for _ in 0..jobs {
                    s.spawn(|| loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= lines.len() {
                            break;
                        }
                        let r = one(i);
                        if let Ok(mut d) = done.lock() {
                            d[i] = Some(r);
                        }
                    });
                }
            });
            slots
                .into_iter()
                .map(|r| r.unwrap_or_else(|| failed("internal error: a worker thread stopped".into())))
                .collect()
        });
        Ok(out)
    }

    /// The versions and hashes every record's `pipeline` field carries.
    fn info(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.info()).map_err(|e| SwayError::new_err(e.to_string()))
    }
}

#[pymodule]
fn _sway(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Pipeline>()?;
    m.add("SwayError", m.py().get_type::<SwayError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
