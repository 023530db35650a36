"""Running `sway analyze` on JSONL documents and mapping its offsets back to the input.

Standard library only; shared by ``entities.py``, ``coref.py``, ``petrarch.py`` and
``plover.py``.

* ``run_analyze``: writes ``{"id", "text"}`` lines (plus ``"published"`` when a document
  carries a date) to a temporary JSONL file, runs
  ``sway analyze --input-format jsonl --with-text --format jsonl -j N [EXTRA...] FILE``
  and returns the output records by input id, plus the ids of documents sway did not
  return (it reports failures on stderr and leaves them out of stdout).
* ``byte_to_char``: UTF-8 byte offset -> character offset table for a string.
* ``align_chars``: character alignment of sway's ``text`` to the input text when
  they differ in whitespace only (two pointers; other differences are stepped over
  one character on each side and counted).
* ``OffsetMapper``: sway byte offsets (into its ``text``) -> character offsets into
  the input text, and ``actor_mentions`` / ``place_mentions`` built on it.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

__all__ = [
    "SwayRun",
    "run_analyze",
    "record_id",
    "byte_to_char",
    "align_chars",
    "OffsetMapper",
    "SysMention",
    "actor_mentions",
    "place_mentions",
]


@dataclass
class SwayRun:
    records: dict  # input id -> output record
    missing: list  # input ids with no output record (failed documents)
    stderr: str
    seconds: float
    returncode: int
    extra: int = 0  # output records whose id was not an input id


def record_id(rec: dict):
    """The id we passed in, as sway echoes it (``input_id``; ``id`` as a fallback)."""
    for k in ("input_id", "id"):
        if rec.get(k) is not None:
            return rec[k]
    return None


def run_analyze(sway: str, docs: list[tuple], jobs: int = 2, timeout: float = 7200,
                extra_args: list[str] | None = None) -> SwayRun:
    """Run sway on ``docs`` (list of (id, text) or (id, text, published), published a
    ``YYYY-MM-DD`` string or None). ``extra_args`` go before the input file (e.g.
    ``["--registry", PATH]``). Raises RuntimeError when sway cannot run at all (missing
    binary, crash with no output); single failed documents are only listed in
    ``missing``."""
    if not os.path.exists(sway):
        raise RuntimeError(f"sway binary not found at {sway} (build it with `cargo build --release`)")
    fd, path = tempfile.mkstemp(prefix="sway-bench-", suffix=".jsonl")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for did, text, *rest in docs:
                line = {"id": did, "text": text}
                if rest and rest[0]:
                    line["published"] = rest[0]
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        cmd = [sway, "analyze", "--input-format", "jsonl", "--with-text", "--format", "jsonl", "-j", str(jobs),
               *(extra_args or []), path]
        t0 = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, timeout=timeout)
        seconds = time.perf_counter() - t0
    finally:
        os.unlink(path)
    stdout = res.stdout.decode("utf-8", "replace")
    stderr = res.stderr.decode("utf-8", "replace")
    records: dict = {}
    wanted = {d[0] for d in docs}
    extra = 0
    for line in stdout.splitlines():
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            extra += 1
            continue
        rid = record_id(rec)
        if rid in wanted and rid not in records:
            records[rid] = rec
        else:
            extra += 1
    if not records and docs and res.returncode != 0:
        raise RuntimeError(f"sway analyze exited {res.returncode} with no output: {stderr.strip()[:2000]}")
    missing = [d[0] for d in docs if d[0] not in records]
    return SwayRun(records, missing, stderr, seconds, res.returncode, extra)


def byte_to_char(text: str) -> list[int]:
    """``table[b]`` = character offset of UTF-8 byte offset ``b`` in ``text`` (len(bytes)+1
    entries). A byte offset inside a multi-byte character maps to that character's
    index (callers that care can compare with ``char_to_byte``)."""
    table = []
    for ci, c in enumerate(text):
        n = len(c.encode("utf-8"))
        table.extend([ci] * n)
    table.append(len(text))
    return table


def _boundaries(text: str) -> set[int]:
    out, b = {0}, 0
    for c in text:
        b += len(c.encode("utf-8"))
        out.add(b)
    return out


def align_chars(src: str, out: str) -> tuple[list[int], int]:
    """Map every character index of ``out`` (and ``len(out)``) to a character index of
    ``src``. Whitespace present on one side only is skipped; any other difference
    steps one character on both sides and is counted. Returns (map, mismatches).
    For a whitespace character of ``out`` with no counterpart the map gives the
    index of the next ``src`` character."""
    o2s = [0] * (len(out) + 1)
    i = j = 0
    mismatches = 0
    while j < len(out):
        if i < len(src) and src[i] == out[j]:
            o2s[j] = i
            i += 1
            j += 1
        elif i < len(src) and src[i].isspace():
            i += 1
        elif out[j].isspace():
            o2s[j] = i
            j += 1
        else:
            o2s[j] = min(i, len(src))
            if i < len(src):
                i += 1
            mismatches += 1
            j += 1
    o2s[len(out)] = min(i, len(src))
    return o2s, mismatches


@dataclass
class OffsetMapper:
    """Byte offsets into sway's output text -> character offsets into the input text."""

    src: str
    out: str
    b2c: list = field(init=False)
    out_bytes: bytes = field(init=False)
    bounds: set = field(init=False)
    o2s: list | None = field(init=False)
    mismatches: int = field(init=False)

    def __post_init__(self):
        self.b2c = byte_to_char(self.out)
        self.out_bytes = self.out.encode("utf-8")
        self.bounds = _boundaries(self.out)
        if self.src == self.out:
            self.o2s, self.mismatches = None, 0
        else:
            self.o2s, self.mismatches = align_chars(self.src, self.out)

    @property
    def identical(self) -> bool:
        return self.o2s is None

    def span(self, start_b: int, end_b: int) -> tuple[int, int] | None:
        """Input-text character span of the output byte span, or None if the offsets are
        out of range or not on character boundaries."""
        nb = len(self.b2c) - 1
        if not (0 <= start_b <= end_b <= nb) or start_b not in self.bounds or end_b not in self.bounds:
            return None
        cs, ce = self.b2c[start_b], self.b2c[end_b]
        if self.o2s is None:
            return cs, ce
        s = self.o2s[cs]
        e = self.o2s[ce - 1] + 1 if ce > cs else s
        return s, max(s, e)


@dataclass
class SysMention:
    start: int  # character offsets into the input text
    end: int
    text: str  # the input text's characters at [start:end]
    kind: str  # actor type (person, organisation, country, group) or "place"
    cluster: str  # actor id (places: "place:<n>")
    text_ok: bool = True  # sway's mention text equals its own text at the offsets


def actor_mentions(rec: dict, src: str, mapper: OffsetMapper | None = None, stats: dict | None = None) -> list[SysMention]:
    """Every actor mention of an output record, in input-text character offsets.
    ``stats`` (optional dict) counts ``bad_offsets`` and ``text_mismatch``."""
    mapper = mapper or OffsetMapper(src, rec.get("text") or "")
    out = []
    for ai, actor in enumerate(rec.get("actors") or []):
        cid = str(actor.get("id") or f"actor:{ai}")
        # several actors can share an id in principle; keep them apart
        cid = f"{cid}#{ai}"
        for m in actor.get("mentions") or []:
            sm = _mention(m, src, mapper, actor.get("type") or "", cid, stats)
            if sm:
                out.append(sm)
    return out


def place_mentions(rec: dict, src: str, mapper: OffsetMapper | None = None, stats: dict | None = None) -> list[SysMention]:
    """Spans of the (future) ``places`` list, when present."""
    mapper = mapper or OffsetMapper(src, rec.get("text") or "")
    out = []
    for pi, p in enumerate(rec.get("places") or []):
        if not isinstance(p, dict) or "start" not in p or "end" not in p:
            continue
        sm = _mention(p, src, mapper, "place", f"place:{pi}", stats)
        if sm:
            out.append(sm)
    return out


def _mention(m: dict, src: str, mapper: OffsetMapper, kind: str, cid: str, stats: dict | None):
    sp = mapper.span(m.get("start", -1), m.get("end", -1))
    if sp is None:
        if stats is not None:
            stats["bad_offsets"] = stats.get("bad_offsets", 0) + 1
        return None
    ok = True
    if "text" in m and m["text"] is not None:
        ob = mapper.out_bytes[m["start"]:m["end"]].decode("utf-8", "replace")
        ok = ob == m["text"]
        if not ok and stats is not None:
            stats["text_mismatch"] = stats.get("text_mismatch", 0) + 1
    return SysMention(sp[0], sp[1], src[sp[0]:sp[1]], kind, cid, ok)
