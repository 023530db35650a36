#!/usr/bin/env python3
"""Score sway's actors as coreference chains on GUM (UD English GUM, CorefUD-style
``Entity=`` brackets in MISC), test split by default.

    python3 bench/coref.py [--sway PATH] [--data DIR] [--split test|dev] [--limit N] [--jobs 2]

Each GUM document's raw text is rebuilt from its ``# text`` lines (sentences of a
paragraph joined with a space, paragraphs with a blank line) and given to
``sway analyze`` as one JSONL document. Surface tokens (a multiword token ``1-2``
is one token) are located in that text in order, giving each token a character
span. Gold mentions are token spans (a mention that starts or ends inside a
multiword token takes the whole token), grouped by entity id per document, typed
by GUM's entity type. System clusters are sway's actors: each actor's mentions are
one cluster; a mention's character span becomes the token span from the token
holding its first character to the token holding its last. Mentions match only on
the exact token span (the CoNLL-2012 convention). A span that occurs twice on one
side (two gold entities, or two actors) is kept once, in the first cluster.

Metrics (micro-averaged over documents, as the reference CoNLL scorer does):
MUC (link based: singletons count for nothing), B-cubed (mention based), CEAF-e
(entity based, phi4 similarity, optimal one-to-one cluster alignment with the
Hungarian algorithm), CoNLL F1 = mean of the three F1s, and mention detection
P/R/F1 (exact token span).

Configurations: gold restricted to entities of GUM type person + organization
(the main figure; sway's actors are people, organisations, groups and
countries), to person + organization + place (GUM types countries as place), and
all gold types. System mentions are never filtered. Each with singletons (GUM
annotates them) and without: singleton clusters removed from gold (after the type
filter) and from the system, as CoNLL-2012 excludes them.

Writes bench/results/coref-latest.json. GUM is used for evaluation only: no text
of it is written into the repo.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import conllu_eval as ce  # noqa: E402
import swayio  # noqa: E402

CONFIGS = {
    "person+organization": frozenset({"person", "organization"}),
    "person+organization+place": frozenset({"person", "organization", "place"}),
    "all gold types": None,
}

_BRACKET = re.compile(r"\(([^()]+)\)|\(([^()]+)|([^()]+)\)")

Span = tuple[int, int]  # (first token, last token), document-wide surface token indices


# --------------------------------------------------------------------------- #
# Gold
# --------------------------------------------------------------------------- #


@dataclass
class GoldDoc:
    id: str
    text: str
    tokens: list  # list[(start_char, end_char)] of surface tokens
    mentions: list = field(default_factory=list)  # list[(Span, entity id, entity type)]
    types: dict = field(default_factory=dict)  # entity id -> type
    stats: Counter = field(default_factory=Counter)


def split_documents(sentences: list[ce.Sentence]) -> list[tuple[str, list[ce.Sentence]]]:
    """Sentences grouped at ``# newdoc`` comments: [(doc id, sentences)]."""
    docs: list[tuple[str, list[ce.Sentence]]] = []
    for s in sentences:
        if s.has_comment("newdoc") or not docs:
            did = s.comment_value("newdoc id") or f"doc{len(docs) + 1}"
            docs.append((did, []))
        docs[-1][1].append(s)
    return docs


def document_text(sentences: list[ce.Sentence]) -> str:
    """Raw text from ``# text`` lines: sentences of a paragraph joined with a space, a
    blank line before each new paragraph (``# newpar``)."""
    paragraphs: list[list[str]] = []
    for i, s in enumerate(sentences):
        t = s.text
        if t is None:
            raise ValueError(f"sentence {i + 1} has no '# text =' comment")
        if not paragraphs or s.has_comment("newpar"):
            paragraphs.append([])
        paragraphs[-1].append(t.strip())
    return "\n\n".join(" ".join(p) for p in paragraphs)


def locate_tokens(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Character span of each form, found in order in ``text`` (whitespace between
    forms skipped; whitespace inside a form may differ from the text's). Raises
    ce.AlignmentError where a form does not continue the text."""
    spans = []
    pos = 0
    n = len(text)
    for k, form in enumerate(forms):
        while pos < n and text[pos].isspace():
            pos += 1
        if text.startswith(form, pos):
            spans.append((pos, pos + len(form)))
            pos += len(form)
            continue
        want = [c for c in form if not c.isspace()]
        start, q = pos, pos
        for c in want:
            while q < n and text[q].isspace():
                q += 1
            if q >= n or text[q] != c:
                raise ce.AlignmentError(f"token {k} {form!r} does not match the text at char {pos}: "
                                        f"{text[pos:pos + len(form) + 10]!r}")
            q += 1
        spans.append((start, q))
        pos = q
    return spans


def parse_entity_brackets(value: str) -> list[tuple[str, str, str | None]]:
    """Items of an ``Entity=`` value in order: ("open", eid, etype), ("single", eid,
    etype) for a mention opened and closed on this word, ("close", eid, None)."""
    out = []
    for m in _BRACKET.finditer(value):
        body, kind = (m.group(1), "single") if m.group(1) is not None else \
            (m.group(2), "open") if m.group(2) is not None else (m.group(3), "close")
        if kind == "close":
            out.append(("close", body.strip(), None))
            continue
        parts = body.split("-")
        eid = parts[0].strip()
        etype = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
        out.append((kind, eid, etype))
    return out


def gold_document(did: str, sentences: list[ce.Sentence]) -> GoldDoc:
    """Text, token spans and gold mentions of one document."""
    text = document_text(sentences)
    forms, word_tok = [], []  # word_tok[si][word id] = document token index
    for s in sentences:
        m = {}
        for t in s.tokens:
            for wid in t.word_ids:
                m[wid] = len(forms)
            forms.append(t.form)
        word_tok.append(m)
    doc = GoldDoc(did, text, locate_tokens(text, forms))
    open_stack: list[tuple[str, str | None, int]] = []  # (eid, etype, start token)
    for si, s in enumerate(sentences):
        for w in s.words:
            val = ce.misc_get(w.misc, "Entity")
            if not val:
                continue
            tok = word_tok[si][w.id]
            for kind, eid, etype in parse_entity_brackets(val):
                if etype and eid not in doc.types:
                    doc.types[eid] = etype
                if kind == "single":
                    doc.mentions.append(((tok, tok), eid))
                elif kind == "open":
                    open_stack.append((eid, etype, tok))
                else:
                    for k in range(len(open_stack) - 1, -1, -1):
                        if open_stack[k][0] == eid:
                            _, _, start = open_stack.pop(k)
                            doc.mentions.append(((start, tok), eid))
                            break
                    else:
                        doc.stats["unmatched_close"] += 1
    doc.stats["unclosed"] += len(open_stack)
    doc.mentions = [(sp, eid, doc.types.get(eid, "unknown")) for sp, eid in doc.mentions]
    return doc


def load_gold(path: str) -> list[GoldDoc]:
    return [gold_document(did, sents) for did, sents in split_documents(ce.read_conllu(path))]


# --------------------------------------------------------------------------- #
# Clusters
# --------------------------------------------------------------------------- #


def clusters_from(pairs, stats: Counter | None = None, key: str = "duplicate_spans") -> list[list[Span]]:
    """Clusters (lists of spans, in order of first appearance) from (span, cluster id)
    pairs; a span already taken stays in its first cluster."""
    seen: set = set()
    order: dict = {}
    for sp, cid in pairs:
        if sp in seen:
            if stats is not None:
                stats[key] += 1
            continue
        seen.add(sp)
        order.setdefault(cid, []).append(sp)
    return list(order.values())


def char_to_token(tokens: list[tuple[int, int]], n_chars: int) -> list[int]:
    """``tab[c]`` = index of the token holding char c, -1 for characters between tokens."""
    tab = [-1] * n_chars
    for k, (a, b) in enumerate(tokens):
        for c in range(a, min(b, n_chars)):
            tab[c] = k
    return tab


def char_span_to_tokens(tab: list[int], start: int, end: int) -> Span | None:
    """Token span covering chars [start, end): first token at or after ``start``, last
    token at or before ``end - 1``; None when no token lies inside."""
    s, e = start, end - 1
    while s < end and s < len(tab) and tab[s] < 0:
        s += 1
    while e >= start and e < len(tab) and tab[e] < 0:
        e -= 1
    e = min(e, len(tab) - 1)
    if s >= end or s >= len(tab) or e < s or tab[s] < 0 or tab[e] < 0:
        return None
    return tab[s], tab[e]


# --------------------------------------------------------------------------- #
# Metrics
# --------------------------------------------------------------------------- #


def muc(key: list, response: list) -> tuple[float, float, float, float]:
    """(recall numerator, recall denominator, precision numerator, precision denominator)."""
    def side(a, b):
        where = {m: i for i, c in enumerate(b) for m in c}
        num = den = 0
        for c in a:
            parts = set()
            lone = 0
            for m in c:
                if m in where:
                    parts.add(where[m])
                else:
                    lone += 1
            num += len(c) - (len(parts) + lone)
            den += len(c) - 1
        return num, den

    rn, rd = side(key, response)
    pn, pd = side(response, key)
    return rn, rd, pn, pd


def b_cubed(key: list, response: list) -> tuple[float, float, float, float]:
    def side(a, b):
        where = {m: i for i, c in enumerate(b) for m in c}
        num = 0.0
        den = 0
        for c in a:
            overlap = Counter(where[m] for m in c if m in where)
            num += sum(v * v for v in overlap.values()) / len(c)
            den += len(c)
        return num, den

    rn, rd = side(key, response)
    pn, pd = side(response, key)
    return rn, rd, pn, pd


def hungarian(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one assignment of rows to columns of a rectangular matrix
    (Kuhn-Munkres, O(n^2 m) with potentials). Returns (row, column) pairs; every row
    is assigned when rows <= columns, else every column."""
    n = len(weights)
    if n == 0:
        return []
    m = len(weights[0])
    if m == 0:
        return []
    if n > m:
        return sorted((i, j) for j, i in hungarian([list(col) for col in zip(*weights)]))
    big = max(max(r) for r in weights)
    cost = [[big - w for w in row] for row in weights]  # minimise cost
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)  # p[j] = row assigned to column j (1-based), 0 = free
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            row = cost[i0 - 1]
            ui0 = u[i0]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - ui0 - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    return sorted((p[j] - 1, j - 1) for j in range(1, m + 1) if p[j])


def phi4(a, b) -> float:
    inter = len(set(a) & set(b))
    return 2.0 * inter / (len(a) + len(b)) if inter else 0.0


def ceaf_e(key: list, response: list) -> tuple[float, float, float, float]:
    """(similarity, number of key clusters, similarity, number of response clusters):
    recall = sim / |key|, precision = sim / |response|."""
    where = {}
    for j, c in enumerate(response):
        for m in c:
            where[m] = j
    # only clusters that share a mention can add similarity: align those
    pairs = {}
    for i, c in enumerate(key):
        for m in c:
            if m in where:
                pairs.setdefault((i, where[m]), None)
    rows = sorted({i for i, _ in pairs})
    cols = sorted({j for _, j in pairs})
    sim = 0.0
    if rows:
        ri = {i: k for k, i in enumerate(rows)}
        ci = {j: k for k, j in enumerate(cols)}
        w = [[0.0] * len(cols) for _ in rows]
        for i, j in pairs:
            w[ri[i]][ci[j]] = phi4(key[i], response[j])
        sim = sum(w[a][b] for a, b in hungarian(w))
    return sim, len(key), sim, len(response)


METRICS = {"muc": muc, "bcub": b_cubed, "ceafe": ceaf_e}


def prf_from(rn, rd, pn, pd) -> dict:
    r = rn / rd if rd else 0.0
    p = pn / pd if pd else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


class Scorer:
    """Accumulates metric numerators/denominators over documents."""

    def __init__(self):
        self.sums = {k: [0.0, 0.0, 0.0, 0.0] for k in METRICS}
        self.md = Counter()

    def add(self, key: list, response: list) -> None:
        for name, fn in METRICS.items():
            for k, x in enumerate(fn(key, response)):
                self.sums[name][k] += x
        g = {m for c in key for m in c}
        s = {m for c in response for m in c}
        self.md["gold"] += len(g)
        self.md["system"] += len(s)
        self.md["correct"] += len(g & s)
        self.md["gold_clusters"] += len(key)
        self.md["system_clusters"] += len(response)

    def result(self) -> dict:
        out = {name: prf_from(*v) for name, v in self.sums.items()}
        out["conll_f1"] = sum(out[k]["f1"] for k in METRICS) / len(METRICS)
        md = self.md
        out["mentions"] = dict(md) | prf_from(md["correct"], md["gold"], md["correct"], md["system"])
        return out


def filter_gold(doc: GoldDoc, types: frozenset | None, stats: Counter | None = None) -> list[list[Span]]:
    pairs = [(sp, eid) for sp, eid, t in doc.mentions if types is None or t in types]
    return clusters_from(pairs, stats, "gold_duplicate_spans")


def drop_singletons(clusters: list) -> list:
    return [c for c in clusters if len(c) > 1]


# --------------------------------------------------------------------------- #
# System
# --------------------------------------------------------------------------- #


def system_clusters(rec: dict, doc: GoldDoc, tab: list[int], stats: Counter) -> list[list[Span]]:
    mapper = swayio.OffsetMapper(doc.text, rec.get("text") or "")
    if not mapper.identical:
        stats["docs_text_differs"] += 1
        stats["alignment_mismatches"] += mapper.mismatches
    st: dict = {}
    pairs = []
    for m in swayio.actor_mentions(rec, doc.text, mapper, st):
        sp = char_span_to_tokens(tab, m.start, m.end)
        if sp is None:
            stats["sys_mentions_outside_tokens"] += 1
            continue
        pairs.append((sp, m.cluster))
        stats[f"sys_mentions_{m.kind or 'untyped'}"] += 1
    stats.update(st)
    return clusters_from(pairs, stats, "sys_duplicate_spans")


def oracle_record(doc: GoldDoc) -> dict:
    """A sway-like record whose actors are the gold entities (all types): checks the
    harness end to end (--oracle must give 100 on 'all gold types')."""
    b = [0]
    for c in doc.text:
        b.append(b[-1] + len(c.encode("utf-8")))
    actors = {}
    for (s, e), eid, t in doc.mentions:
        cs, cend = doc.tokens[s][0], doc.tokens[e][1]
        actors.setdefault(eid, {"id": f"gold:{eid}", "type": t, "mentions": []})["mentions"].append(
            {"start": b[cs], "end": b[cend], "text": doc.text[cs:cend]})
    return {"input_id": doc.id, "text": doc.text, "actors": list(actors.values())}


# --------------------------------------------------------------------------- #
# Main
# --------------------------------------------------------------------------- #


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def prf_cell(d: dict) -> str:
    return f"{pct(d['p'])} / {pct(d['r'])} / {pct(d['f1'])}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ud-english-gum"))
    ap.add_argument("--split", choices=["test", "dev"], default="test")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N documents (0 = all)")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="sway -j (default 2)")
    ap.add_argument("--oracle", action="store_true",
                    help="score the gold entities as if sway had output them (checks the harness; sway not run)")
    ap.add_argument("--json", default=os.path.join(BENCH, "results", "coref-latest.json"))
    a = ap.parse_args(argv)

    path = os.path.join(a.data, f"en_gum-ud-{a.split}.conllu")
    if not os.path.isfile(path):
        print(f"coref bench SKIPPED: GUM {a.split} not found at {os.path.normpath(path)}", file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    docs = load_gold(path)
    if a.limit > 0:
        docs = docs[: a.limit]
    stats = Counter()
    for d in docs:
        stats.update(d.stats)
    gold_types = Counter(d.types[e] for d in docs for e in d.types)
    gold_mention_types = Counter(t for d in docs for _, _, t in d.mentions)

    if a.oracle:
        run = swayio.SwayRun({d.id: oracle_record(d) for d in docs}, [], "", 0.0, 0)
        who = "ORACLE (gold entities as system output)"
    else:
        try:
            run = swayio.run_analyze(a.sway, [(d.id, d.text) for d in docs], a.jobs)
        except (RuntimeError, OSError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        who = os.path.normpath(a.sway)

    scorers = {(c, s): Scorer() for c in CONFIGS for s in ("with singletons", "without singletons")}
    n_sys_clusters = n_sys_mentions = 0
    for d in docs:
        rec = run.records.get(d.id)
        tab = char_to_token(d.tokens, len(d.text))
        response = system_clusters(rec, d, tab, stats) if rec is not None else []
        n_sys_clusters += len(response)
        n_sys_mentions += sum(len(c) for c in response)
        for cname, types in CONFIGS.items():
            key = filter_gold(d, types, stats if types is None else None)
            scorers[(cname, "with singletons")].add(key, response)
            scorers[(cname, "without singletons")].add(drop_singletons(key), drop_singletons(response))
    total = time.perf_counter() - t0
    results = {f"{c} | {s}": sc.result() for (c, s), sc in scorers.items()}

    print(f"GUM {a.split} coreference: {len(docs)} documents, {sum(len(d.tokens) for d in docs)} tokens, "
          f"system {who}: {n_sys_clusters} actors, {n_sys_mentions} mentions "
          f"({run.seconds:.1f} s for sway, {total:.1f} s in all)")
    if run.missing:
        print(f"WARNING: {len(run.missing)} documents failed in sway (scored with no output): "
              + ", ".join(run.missing[:5]) + (" ..." if len(run.missing) > 5 else ""))
    print("gold entity types (entities / mentions): "
          + ", ".join(f"{t} {gold_types[t]}/{gold_mention_types[t]}" for t, _ in gold_mention_types.most_common()))
    print("exact token-span mention matching; system mentions unfiltered; P / R / F1 in %\n")
    print("| gold types | singletons | gold m. | sway m. | mentions P/R/F1 | MUC P/R/F1 | B3 P/R/F1 | "
          "CEAF-e P/R/F1 | CoNLL F1 |\n|---|---|---:|---:|---|---|---|---|---:|")
    for (c, s), sc in scorers.items():
        r = sc.result()
        print(f"| {c} | {s} | {r['mentions']['gold']} | {r['mentions']['system']} | {prf_cell(r['mentions'])} | "
              f"{prf_cell(r['muc'])} | {prf_cell(r['bcub'])} | {prf_cell(r['ceafe'])} | {pct(r['conll_f1'])} |")
    notes = {k: v for k, v in stats.items() if v}
    if notes:
        print("\nnotes: " + ", ".join(f"{k}={v}" for k, v in sorted(notes.items())))

    result = {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python3", "bench/coref.py", *(argv if argv is not None else sys.argv[1:])]),
        "sway": who,
        "data": os.path.normpath(path),
        "split": a.split,
        "documents": len(docs),
        "failed_documents": run.missing,
        "sway_returncode": run.returncode,
        "seconds": {"sway": round(run.seconds, 3), "total": round(total, 3)},
        "gold_entity_types": dict(gold_types),
        "gold_mention_types": dict(gold_mention_types),
        "system": {"clusters": n_sys_clusters, "mentions": n_sys_mentions},
        "stats": dict(stats),
        "scores": results,
    }
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(f"\nwrote {os.path.relpath(a.json)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
