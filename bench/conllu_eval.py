"""CoNLL-U reading and scoring for the sway syntax benchmark.

Standard library only, so the unit tests run with any Python 3.11.

What is here:

* ``parse_conllu`` / ``read_conllu``: CoNLL-U text -> list of ``Sentence``.
  A sentence keeps its syntactic words (integer IDs) and its surface tokens
  (a multiword-token line ``1-2`` is one surface token covering words 1 and 2;
  every other word is its own surface token). Empty nodes (``1.1``) are dropped.
* ``score_aligned``: tagging/parsing accuracy of a system that kept the gold
  tokenization (same sentences, same words): UPOS, XPOS, LEMMA, UAS, LAS
  (universal part of DEPREL, before ':', as the CoNLL 2018 shared task does)
  and LAS on the full label. Punctuation is included.
* ``raw_text_from_gold``: the raw text of a treebank rebuilt from ``# text =``
  lines (documents start at ``# newdoc``, paragraphs at ``# newpar``).
* ``gold_spans`` / ``spans_from_token_ranges``: token and sentence spans as
  character offsets over the text with whitespace removed, as the CoNLL 2018
  evaluation script defines them; ``span_prf`` scores two span lists (exact
  match) into precision / recall / F1.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "AlignmentError",
    "Word",
    "Token",
    "Sentence",
    "parse_conllu",
    "read_conllu",
    "misc_get",
    "space_after",
    "universal",
    "score_aligned",
    "raw_text_from_gold",
    "is_ws",
    "strip_ws",
    "gold_spans",
    "spans_from_token_ranges",
    "span_prf",
]


class AlignmentError(ValueError):
    """System output does not line up with the gold file (or the raw text)."""


# --------------------------------------------------------------------------- #
# Reading
# --------------------------------------------------------------------------- #


@dataclass
class Word:
    id: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int  # -1 when the column is "_" or not an integer
    deprel: str
    deps: str
    misc: str


@dataclass
class Token:
    """A surface token: a multiword-token line, or a word outside any MWT."""

    form: str
    misc: str
    word_ids: tuple[int, ...]
    multiword: bool = False


@dataclass
class Sentence:
    words: list[Word] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def comment_value(self, key: str) -> str | None:
        """Value of a ``# key = value`` comment (first one), else None."""
        for c in self.comments:
            body = c[1:].strip()
            if "=" in body:
                k, _, v = body.partition("=")
                if k.strip() == key:
                    return v[1:] if v.startswith(" ") else v
            elif body == key:
                return ""
        return None

    def has_comment(self, key: str) -> bool:
        """True for ``# newdoc``, ``# newdoc id = x``, ``# newpar`` and the like."""
        for c in self.comments:
            body = c[1:].strip()
            name = body.partition("=")[0].strip()
            if name == key or body.split(" ", 1)[0] == key:
                return True
        return False

    @property
    def text(self) -> str | None:
        return self.comment_value("text")


def _int_or(s: str, default: int = -1) -> int:
    try:
        return int(s)
    except ValueError:
        return default


def parse_conllu(data: str, source: str = "<string>") -> list[Sentence]:
    """Parse CoNLL-U text. Raises ValueError on malformed lines."""
    sentences: list[Sentence] = []
    cur = Sentence()
    pending_mwt: list[tuple[int, int, str, str]] = []  # (start, end, form, misc)

    def finish() -> None:
        nonlocal cur, pending_mwt
        if cur.words or cur.tokens:
            _build_tokens(cur, pending_mwt)
            sentences.append(cur)
        elif cur.comments:
            # comments without words (e.g. trailing) are dropped
            pass
        cur = Sentence()
        pending_mwt = []

    for lineno, raw in enumerate(data.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            finish()
            continue
        if line.startswith("#"):
            if cur.words:  # comment after words without blank line: new sentence
                finish()
            cur.comments.append(line)
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ValueError(f"{source}:{lineno}: expected 10 tab-separated columns, got {len(cols)}")
        tid = cols[0]
        if "." in tid:  # empty node
            continue
        if "-" in tid:
            a, _, b = tid.partition("-")
            pending_mwt.append((int(a), int(b), cols[1], cols[9]))
            continue
        cur.words.append(
            Word(
                id=int(tid),
                form=cols[1],
                lemma=cols[2],
                upos=cols[3],
                xpos=cols[4],
                feats=cols[5],
                head=_int_or(cols[6]),
                deprel=cols[7],
                deps=cols[8],
                misc=cols[9],
            )
        )
    finish()
    return sentences


def _build_tokens(sent: Sentence, mwts: list[tuple[int, int, str, str]]) -> None:
    by_start = {a: (a, b, form, misc) for a, b, form, misc in mwts}
    covered = {i for a, b, _, _ in mwts for i in range(a, b + 1)}
    tokens: list[Token] = []
    for w in sent.words:
        if w.id in by_start:
            a, b, form, misc = by_start[w.id]
            tokens.append(Token(form, misc, tuple(range(a, b + 1)), multiword=True))
        elif w.id not in covered:
            tokens.append(Token(w.form, w.misc, (w.id,)))
    sent.tokens = tokens


def read_conllu(path: str | Path) -> list[Sentence]:
    p = Path(path)
    return parse_conllu(p.read_text(encoding="utf-8"), source=str(p))


def misc_get(misc: str, key: str) -> str | None:
    """Value of ``key`` in a MISC column (``A=1|B=2``), else None."""
    if not misc or misc == "_":
        return None
    for item in misc.split("|"):
        k, sep, v = item.partition("=")
        if sep and k == key:
            return v
    return None


def space_after(misc: str) -> bool:
    return misc_get(misc, "SpaceAfter") != "No"


def universal(deprel: str) -> str:
    """Universal part of a DEPREL (``nmod:poss`` -> ``nmod``)."""
    return deprel.split(":", 1)[0]


# --------------------------------------------------------------------------- #
# Accuracy with gold tokens
# --------------------------------------------------------------------------- #

_METRICS = ("upos", "xpos", "lemma", "uas", "las", "las_full")


def score_aligned(gold: list[Sentence], system: list[Sentence]) -> dict:
    """Accuracy of ``system`` against ``gold`` when both share the tokenization.

    Requires the same number of sentences and, per sentence, the same number of
    words; raises AlignmentError otherwise. Words whose FORM differs are still
    scored, and counted in ``form_mismatches``.

    Returns counts (``words``, ``correct`` per metric, ``form_mismatches``,
    ``extra_roots``: sentences with more than one head-0 word in the system)
    and accuracies in percent under ``acc``.
    """
    if len(gold) != len(system):
        raise AlignmentError(f"sentence count differs: gold {len(gold)}, system {len(system)}")
    correct = Counter({m: 0 for m in _METRICS})
    words = 0
    form_mismatches = 0
    multi_root = 0
    for si, (gs, ss) in enumerate(zip(gold, system)):
        if len(gs.words) != len(ss.words):
            sid = gs.comment_value("sent_id") or str(si + 1)
            raise AlignmentError(
                f"sentence {si + 1} (sent_id {sid}): gold has {len(gs.words)} words, system {len(ss.words)}"
            )
        roots = 0
        for gw, sw in zip(gs.words, ss.words):
            words += 1
            if gw.form != sw.form:
                form_mismatches += 1
            if sw.head == 0:
                roots += 1
            correct["upos"] += gw.upos == sw.upos
            correct["xpos"] += gw.xpos == sw.xpos
            correct["lemma"] += gw.lemma == sw.lemma
            if gw.head == sw.head:
                correct["uas"] += 1
                correct["las"] += universal(gw.deprel) == universal(sw.deprel)
                correct["las_full"] += gw.deprel == sw.deprel
        multi_root += roots > 1
    acc = {m: (100.0 * correct[m] / words if words else 0.0) for m in _METRICS}
    return {
        "sentences": len(gold),
        "words": words,
        "correct": dict(correct),
        "acc": acc,
        "form_mismatches": form_mismatches,
        "multi_root_sentences": multi_root,
    }


# --------------------------------------------------------------------------- #
# Raw text and spans
# --------------------------------------------------------------------------- #


def is_ws(c: str) -> bool:
    """Whitespace for span computation: str.isspace() or Unicode category Zs
    (the CoNLL 2018 script strips Zs from FORMs; the raw text also has newlines)."""
    return c.isspace() or unicodedata.category(c) == "Zs"


def strip_ws(s: str) -> str:
    return "".join(c for c in s if not is_ws(c))


def raw_text_from_gold(sentences: list[Sentence]) -> str:
    """Raw text from the ``# text =`` lines.

    Sentences of a paragraph are joined with one space; a new paragraph
    (``# newpar``) or a new document (``# newdoc``) starts after a blank line.
    The result ends with a newline. Raises ValueError if a sentence has no
    ``# text`` comment.
    """
    paragraphs: list[list[str]] = []
    for i, s in enumerate(sentences):
        t = s.text
        if t is None:
            raise ValueError(f"sentence {i + 1} has no '# text =' comment")
        t = t.strip()
        if not paragraphs or s.has_comment("newdoc") or s.has_comment("newpar"):
            paragraphs.append([])
        paragraphs[-1].append(t)
    return "\n\n".join(" ".join(p) for p in paragraphs) + "\n"


Span = tuple[int, int]


def _nonws_index(text: str) -> list[int]:
    """idx[i] = number of non-whitespace characters in text[:i] (len(text)+1 entries)."""
    idx = [0] * (len(text) + 1)
    n = 0
    for i, c in enumerate(text):
        idx[i] = n
        if not is_ws(c):
            n += 1
    idx[len(text)] = n
    return idx


def gold_spans(sentences: list[Sentence], text: str | None = None) -> tuple[list[Span], list[Span]]:
    """Token and sentence spans of the surface tokens, in non-whitespace
    character offsets.

    If ``text`` is given, the FORMs are aligned to it (whitespace skipped) and
    an AlignmentError is raised where they disagree, so the spans are
    guaranteed to be over the same characters as the raw text.
    """
    tok_spans: list[Span] = []
    sent_spans: list[Span] = []
    pos = 0
    stream = strip_ws(text) if text is not None else None
    for si, s in enumerate(sentences):
        first = None
        for t in s.tokens:
            f = strip_ws(t.form)
            if not f:
                continue
            if stream is not None and stream[pos : pos + len(f)] != f:
                raise AlignmentError(
                    f"sentence {si + 1}: token {t.form!r} does not match the text at non-space offset {pos} "
                    f"({stream[pos:pos + len(f) + 10]!r})"
                )
            span = (pos, pos + len(f))
            pos += len(f)
            tok_spans.append(span)
            if first is None:
                first = span[0]
        if first is not None:
            sent_spans.append((first, pos))
    if stream is not None and pos != len(stream):
        raise AlignmentError(f"tokens cover {pos} non-space characters, text has {len(stream)}")
    return tok_spans, sent_spans


def _parse_range(value: str | None) -> Span | None:
    if not value:
        return None
    a, sep, b = value.partition(":")
    if not sep:
        return None
    try:
        return int(a), int(b)
    except ValueError:
        return None


def spans_from_token_ranges(
    sentences: list[Sentence], text: str, key: str = "TokenRange"
) -> tuple[list[Span], list[Span]]:
    """Token and sentence spans from ``key=START:END`` (UTF-8 byte offsets into
    ``text``, END exclusive) in MISC, converted to non-whitespace character
    offsets.

    A multiword token takes the range on its ``a-b`` line, or else the hull of
    its words' ranges. Raises AlignmentError when a token has no range or an
    offset is not on a character boundary. Tokens that cover only whitespace
    are dropped.
    """
    data = text.encode("utf-8")
    # byte offset -> char index at char boundaries, -1 elsewhere
    b2c = [-1] * (len(data) + 1)
    b = 0
    for ci, c in enumerate(text):
        b2c[b] = ci
        b += len(c.encode("utf-8"))
    b2c[len(data)] = len(text)
    nonws = _nonws_index(text)

    def conv(off: int, where: str) -> int:
        if off < 0 or off > len(data) or b2c[off] < 0:
            raise AlignmentError(f"{where}: byte offset {off} is not a character boundary of the input")
        return nonws[b2c[off]]

    tok_spans: list[Span] = []
    sent_spans: list[Span] = []
    for si, s in enumerate(sentences):
        words = {w.id: w for w in s.words}
        first = last = None
        for t in s.tokens:
            r = _parse_range(misc_get(t.misc, key))
            if r is None and t.multiword:
                parts = [_parse_range(misc_get(words[i].misc, key)) for i in t.word_ids if i in words]
                if parts and all(p is not None for p in parts):
                    r = (min(p[0] for p in parts), max(p[1] for p in parts))
            if r is None:
                raise AlignmentError(f"sentence {si + 1}: token {t.form!r} has no {key} in MISC")
            where = f"sentence {si + 1} token {t.form!r}"
            span = (conv(r[0], where), conv(r[1], where))
            if span[1] < span[0]:
                raise AlignmentError(f"{where}: range {r[0]}:{r[1]} is reversed")
            if span[1] == span[0]:
                continue
            tok_spans.append(span)
            first = span[0] if first is None else min(first, span[0])
            last = span[1] if last is None else max(last, span[1])
        if first is not None:
            sent_spans.append((first, last))
    return tok_spans, sent_spans


def span_prf(gold: list[Span], system: list[Span]) -> dict:
    """Exact-match precision, recall and F1 (percent) of two span lists."""
    g = Counter(gold)
    s = Counter(system)
    correct = sum((g & s).values())
    p = 100.0 * correct / len(system) if system else 0.0
    r = 100.0 * correct / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": len(gold), "system": len(system), "correct": correct, "p": p, "r": r, "f1": f}
