"""Output-contract records flattened into tables: one row per event, per actor, per
judgment, with typed columns an analyst can query (Spark SQL, DuckDB, pandas), the
document's ids and a `month` to partition by. Every row keeps its full contract
record as JSON in `record`, so nothing is lost in flattening.

The month of an event is that of its date's start, else of its document's
publication, else "unknown"; actors and judgments take their document's month.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Iterable, Optional

import pyarrow as pa

EVENTS = pa.schema([
    ("month", pa.string()), ("event_id", pa.string()), ("doc_id", pa.string()), ("input_id", pa.string()),
    ("published", pa.string()), ("day", pa.date32()), ("date_start", pa.string()), ("date_end", pa.string()),
    ("source_text", pa.string()), ("source_code", pa.string()), ("source_country", pa.string()),
    ("source_sector", pa.string()),
    ("target_text", pa.string()), ("target_code", pa.string()), ("target_country", pa.string()),
    ("target_sector", pa.string()),
    ("cameo", pa.string()), ("plover", pa.string()), ("mode", pa.string()), ("goldstein", pa.float64()),
    ("goldstein_table", pa.string()), ("quad", pa.int32()), ("modality", pa.string()), ("confidence", pa.float64()),
    ("place", pa.string()), ("place_country", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
    ("trigger", pa.string()), ("sentence", pa.int32()), ("evidence_start", pa.int64()), ("evidence_end", pa.int64()),
    ("evidence", pa.string()), ("rule", pa.string()), ("record", pa.string()),
])

ACTORS = pa.schema([
    ("month", pa.string()), ("doc_id", pa.string()), ("input_id", pa.string()), ("actor_index", pa.int32()),
    ("actor_id", pa.string()), ("name", pa.string()), ("code", pa.string()), ("country", pa.string()),
    ("sector", pa.string()), ("type", pa.string()), ("mentions", pa.int32()), ("record", pa.string()),
])

JUDGMENTS = pa.schema([
    ("month", pa.string()), ("judgment_id", pa.string()), ("doc_id", pa.string()), ("input_id", pa.string()),
    ("kind", pa.string()), ("text", pa.string()), ("term", pa.string()), ("negated", pa.bool_()),
    ("p_low", pa.float64()), ("p_high", pa.float64()), ("holder", pa.string()), ("record", pa.string()),
])

DOCUMENTS = pa.schema([
    ("month", pa.string()), ("doc_id", pa.string()), ("input_id", pa.string()), ("published", pa.string()),
    ("title", pa.string()), ("url", pa.string()), ("events", pa.int32()), ("record", pa.string()),
    ("text", pa.string()),
])

TABLES = {"documents": DOCUMENTS, "events": EVENTS, "actors": ACTORS, "judgments": JUDGMENTS}


def _month(day: Optional[str]) -> Optional[str]:
    return day[:7] if day and len(day) >= 7 else None


def _day(s: Optional[str]):
    try:
        return _dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _side(p: Optional[dict], key: str):
    return p.get(key) if p else None


def _doc_rows(table: str, doc_id, input_id, published, meta: dict, part, raw=None, text=None) -> list:
    """The rows of `table` for one document: `part` is its events, actors or
    judgments list (unused for documents), `meta` its published, title, url, events."""
    doc_month = _month(published) or "unknown"
    out = []
    if table == "documents":
        out.append({"month": doc_month, "doc_id": doc_id, "input_id": input_id, "published": published,
                    "title": meta.get("title"), "url": meta.get("url"), "events": meta.get("events"),
                    "record": raw, "text": text})
    elif table == "events":
        for e in part:
            date = e.get("date") or {}
            loc = e.get("location") or {}
            ev = e.get("evidence") or {}
            s, t = e.get("source"), e.get("target")
            out.append({
                "month": _month(date.get("start")) or doc_month, "event_id": e["id"], "doc_id": doc_id,
                "input_id": input_id, "published": published, "day": _day(date.get("start")),
                "date_start": date.get("start"), "date_end": date.get("end"),
                "source_text": _side(s, "text"), "source_code": _side(s, "code"),
                "source_country": _side(s, "country"), "source_sector": _side(s, "sector"),
                "target_text": _side(t, "text"), "target_code": _side(t, "code"),
                "target_country": _side(t, "country"), "target_sector": _side(t, "sector"),
                "cameo": e.get("cameo"), "plover": e.get("plover"), "mode": e.get("mode"),
                "goldstein": e.get("goldstein"), "goldstein_table": e.get("goldstein_table"),
                "quad": e.get("quad"), "modality": e.get("modality"), "confidence": e.get("confidence"),
                "place": loc.get("name"), "place_country": loc.get("country"), "lat": loc.get("lat"),
                "lon": loc.get("lon"), "trigger": (e.get("trigger") or {}).get("text"),
                "sentence": ev.get("sentence"), "evidence_start": ev.get("start"), "evidence_end": ev.get("end"),
                "evidence": ev.get("text"), "rule": e.get("rule"),
                "record": json.dumps(e, ensure_ascii=False, separators=(",", ":")),
            })
    elif table == "actors":
        for i, a in enumerate(part):
            out.append({"month": doc_month, "doc_id": doc_id, "input_id": input_id, "actor_index": i,
                        "actor_id": a.get("id"), "name": a.get("name"), "code": a.get("code"),
                        "country": a.get("country"), "sector": a.get("sector"), "type": a.get("type"),
                        "mentions": len(a.get("mentions", [])),
                        "record": json.dumps(a, ensure_ascii=False, separators=(",", ":"))})
    elif table == "judgments":
        for j in part:
            out.append({"month": doc_month, "judgment_id": j["id"], "doc_id": doc_id, "input_id": input_id,
                        "kind": j.get("kind"), "text": j.get("text"), "term": j.get("term"),
                        "negated": j.get("negated"), "p_low": j.get("p_low"), "p_high": j.get("p_high"),
                        "holder": j.get("holder"),
                        "record": json.dumps(j, ensure_ascii=False, separators=(",", ":"))})
    else:
        raise ValueError("unknown table %r (one of %s)" % (table, ", ".join(TABLES)))
    return out


def rows(table: str, records: Iterable[str], texts: Optional[Iterable[Optional[str]]] = None) -> list:
    """The rows of `table` ("documents", "events", "actors" or "judgments") for these
    output-contract records (JSON strings; None entries are skipped). `texts`, the
    documents' texts in the same order, fill the documents table's `text`."""
    out = []
    texts = iter(texts) if texts is not None else None
    for raw in records:
        text = next(texts, None) if texts is not None else None
        if raw is None:
            continue
        r = json.loads(raw)
        meta = {"title": r.get("title"), "url": r.get("url"), "events": len(r.get("events", []))}
        out.extend(_doc_rows(table, r["doc_id"], r.get("input_id"), r.get("published"), meta, r.get(table, []),
                             raw, text))
    return out


def batch_from_analyzed(table: str, b: pa.RecordBatch) -> pa.RecordBatch:
    """The rows of `table` for a batch `sway.analyze_batch` returned (rows that
    failed are skipped), parsing only the part of each record the table needs: the
    batch needs `doc_id`, `input_id`, `meta_json`, and `record` and `text` for the
    documents table, else the table's `<table>_json`."""
    cols = {n: b.column(n).to_pylist() for n in b.schema.names}
    n = b.num_rows
    part_col = {"events": "events_json", "actors": "actors_json", "judgments": "judgments_json"}.get(table)
    records, texts = cols.get("record", [None] * n), cols.get("text", [None] * n)
    out = []
    for i, doc_id in enumerate(cols["doc_id"]):
        if doc_id is None:
            continue
        meta = json.loads(cols["meta_json"][i])
        part = json.loads(cols[part_col][i]) if part_col else None
        out.extend(_doc_rows(table, doc_id, cols["input_id"][i], meta.get("published"), meta, part, records[i],
                             texts[i]))
    return pa.RecordBatch.from_pylist(out, schema=TABLES[table])


def batch(table: str, records: Iterable[str], texts=None) -> pa.RecordBatch:
    """`rows` as a RecordBatch with the table's schema."""
    return pa.RecordBatch.from_pylist(rows(table, records, texts), schema=TABLES[table])
