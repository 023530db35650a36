"""sway from Python: the output contract of `sway analyze`, one document or an Arrow
batch at a time.

    >>> import sway
    >>> rec = sway.analyze("Iran-backed militias attacked U.S. forces in Baghdad.", published="2020-01-05")
    >>> [e["cameo"] for e in rec["events"]]

`analyze` returns the same record `sway analyze` writes for a JSONL line with these
fields; `analyze_batch` does it for a `pyarrow.RecordBatch` of documents, with the GIL
released while the documents are analyzed. The models load once per process, on first
use (about a second), or when a `Pipeline` is built.
"""

from __future__ import annotations

import datetime as _dt
import json
import threading
from typing import Any, Optional

from ._sway import Pipeline, SwayError, __version__  # noqa: F401

__all__ = ["Pipeline", "SwayError", "analyze", "analyze_batch", "document_line", "default_pipeline", "__version__"]

_default: Optional[Pipeline] = None
_lock = threading.Lock()


def default_pipeline() -> Pipeline:
    """The process's shared pipeline, built on first use."""
    global _default
    with _lock:
        if _default is None:
            _default = Pipeline()
        return _default


def _date(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def document_line(text: str, published: Any = None, url: Optional[str] = None, id: Any = None,
                  title: Optional[str] = None) -> str:
    """The JSONL line `sway analyze` would read for this document (absent fields left out)."""
    rec: dict = {}
    if id is not None:
        rec["id"] = id if isinstance(id, (str, int)) else str(id)
    if title is not None:
        rec["title"] = title
    rec["text"] = text
    if published is not None:
        rec["published"] = _date(published)
    if url is not None:
        rec["url"] = url
    return json.dumps(rec, ensure_ascii=False)


def analyze(text: str, published: Any = None, url: Optional[str] = None, *, id: Any = None,
            title: Optional[str] = None, pipeline: Optional[Pipeline] = None) -> dict:
    """Analyze one document; returns its output-contract record as a dict.

    Raises SwayError (a ValueError) when the document cannot be read or analyzed
    (empty, not English, ...), naming why."""
    p = pipeline or default_pipeline()
    return json.loads(p.analyze_line(document_line(text, published, url, id, title)))


_FIELDS = ("id", "title", "text", "published", "url")


def analyze_batch(batch, *, jobs: int = 1, pipeline: Optional[Pipeline] = None, name_column: Optional[str] = None):
    """Analyze a `pyarrow.RecordBatch` (or Table) of documents.

    The batch holds either a `line` column of JSONL document lines, or a `text` column
    with any of `id`, `title`, `published` (string, date or timestamp) and `url`.
    Returns a RecordBatch with one row per input row: `doc_id`, `input_id`, `record`
    (the output-contract record as JSON, null when the document failed), `text` (the
    document's text as read, which a store keeps beside the record), `error` (why
    it failed, else null), and the record's events, actors and judgments as JSON
    arrays of their own (`events_json`, `actors_json`, `judgments_json`) and its
    `published`, `title`, `url` and event count (`meta_json`), so a table of one of
    them need not parse whole records. `jobs` threads analyze the batch."""
    import pyarrow as pa

    names = batch.schema.names
    n = batch.num_rows
    if "line" in names:
        lines = [x if x is not None else "" for x in batch.column("line").to_pylist()]
    elif "text" in names:
        cols = {f: batch.column(f).to_pylist() if f in names else [None] * n for f in _FIELDS}
        lines = [
            document_line(cols["text"][i] or "", cols["published"][i], cols["url"][i], cols["id"][i], cols["title"][i])
            for i in range(n)
        ]
    else:
        raise ValueError("analyze_batch: the batch needs a `line` or a `text` column; it has %s" % names)
    doc_names = None
    if name_column is not None:
        doc_names = [str(x) for x in batch.column(name_column).to_pylist()]
    p = pipeline or default_pipeline()
    results = p.analyze_lines(lines, doc_names, jobs)
    cols = [list(c) for c in zip(*results)] if results else [[] for _ in _OUT]
    return pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in cols], names=list(_OUT))


# The columns of analyze_batch's result, in the order Pipeline.analyze_lines gives them.
_OUT = ("doc_id", "input_id", "record", "text", "error", "events_json", "actors_json", "judgments_json",
        "meta_json")
