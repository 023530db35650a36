#!/usr/bin/env python3
"""Score sway's actor mentions as named-entity recognition on re3d (Person,
Organisation, Location), read from ../shared/data/entities/<source>/.

    python3 bench/entities.py [--sway PATH] [--data DIR] [--limit N] [--jobs 2]

Gold: entities.json (mongoexport, one JSON object per line) gives character
offsets into each document's ``text``. When one span carries several types (re3d
keeps every candidate type with a crowd confidence, e.g. Location 0 and
Organisation 1 on the same "Syria"), the span keeps only its most confident type
(ties: Person, Organisation, Location, then file order); a span whose winning type
is not one of the three is dropped. ``--min-confidence`` drops spans below a
confidence (default 0: keep all).

Named-mention filter (``is_named``; applied to gold AND system mentions): about a
third of re3d's Person/Organisation/Location spans are pronouns or common noun
phrases ("he", "the city", "rebels"), which a name recogniser is not meant to
find; sway's pronoun and nominal mentions come from coreference and are scored by
bench/coref.py instead. A span is *named* when

  * it is not a pronoun (he, she, it, they, them, his, her, its, their, we, us,
    our, I, you, ...; in any letter case, except that an all-capital form of two
    letters or more, like "US" or "IT", is an acronym, not a pronoun), and
  * after stripping one leading determiner (the, a, an, this, that, these, those),
    it has a word starting with an upper-case letter (a hyphenated word counts if
    any part does: "al-Qaida") that is not merely the capitalised first word of a
    sentence. A sentence-initial first word still counts when it is an acronym
    (two or more capitals: "ISIL"), has a capital after a hyphen ("Al-Qaida"),
    or is written capitalised in mid-sentence and never in lower case anywhere
    in the document collection ("Syria has accused ..."; not "Officials said").
    A span starts a sentence when only spaces and opening quotes or brackets
    separate it from the start of the text, a line break, ". ! ? :", or a bullet.

System mentions: every mention of every actor, typed person -> Person,
organisation and group -> Organisation, country -> Location (and the spans of a
``places`` list, when sway's output has one, -> Location).

Scores, per type and micro-averaged over the three types, overall and per source
folder: precision, recall, F1 for (a) exact span and type, (b) overlap: any
character overlap and the same type, one-to-one (greedy: exact matches first, then
larger overlaps), (c) exact span ignoring type (detection only). Matching is
always one-to-one, so nested gold spans need one system mention each.

Writes bench/results/entities-latest.json. Prints the most frequent false
negatives and false positives per type (terminal only; exact typed matching).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import swayio  # noqa: E402

TYPES = ("Person", "Organisation", "Location")
SYS_TYPE = {"person": "Person", "organisation": "Organisation", "organization": "Organisation",
            "group": "Organisation", "country": "Location", "place": "Location"}
TYPE_PRIORITY = {"Person": 0, "Organisation": 1, "Location": 2}

PRONOUNS = frozenset("""
i me my mine myself you your yours yourself yourselves he him his himself she her hers herself
it its itself we us our ours ourselves they them their theirs themselves one oneself
who whom whose which what that this these those
someone somebody anyone anybody everyone everybody no-one nobody
""".split())
DETERMINERS = frozenset("the a an this that these those".split())
# characters stripped from the edges of a word before looking at its first letter
EDGE = "\"'“”‘’«»()[]{}<>,.;:!?*•·-–—/"
OPENERS = "\"'“‘«([{<"
BULLETS = "•·*-–—>"
WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


# --------------------------------------------------------------------------- #
# Named-mention filter
# --------------------------------------------------------------------------- #


def is_sentence_initial(text: str, start: int) -> bool:
    """True when ``text[start:]`` begins a sentence: only whitespace and opening
    quotes/brackets lie between it and the start of the text, a line break, a
    sentence-final ``. ! ?``, a colon, or a bullet that starts its line."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    if i < 0:
        return True
    c = text[i]
    if c in ".!?:":
        return True
    if c in BULLETS:
        k = i - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        return k < 0 or text[k] == "\n"
    return False


def _capitalised(word: str) -> bool:
    w = word.strip(EDGE)
    return any(part[:1].isupper() for part in w.split("-"))


def _acronym(word: str) -> bool:
    w = "".join(c for c in word if c.isalpha())
    return len(w) >= 2 and w.isupper()


def is_named(span: str, sentence_initial: bool = False, names=frozenset()) -> bool:
    """The named-mention filter (see the module docstring).

    ``sentence_initial``: the span starts a sentence, so the capital of its first
    word proves nothing. ``names``: lower-cased words known to be names (see
    ``name_lexicon``); a sentence-initial first word in it still counts.
    """
    s = " ".join(span.split())
    core = s.strip(EDGE)
    if core.lower() in PRONOUNS and not _acronym(core):
        return False
    words = s.split(" ")
    if words and words[0].strip(EDGE).lower() in DETERMINERS and len(words) > 1:
        words = words[1:]
        sentence_initial = False
    for k, w in enumerate(words):
        if not _capitalised(w):
            continue
        if k == 0 and sentence_initial:
            core = w.strip(EDGE)
            m = WORD_RE.search(core)
            if (_acronym(core) or any(p[:1].isupper() for p in core.split("-")[1:])
                    or (m and m.group(0).lower() in names)):
                return True
            continue
        return True
    return False


def name_lexicon(texts) -> frozenset:
    """Lower-cased words that the texts write capitalised in mid-sentence and never
    in lower case: evidence that a sentence-initial capital is a name."""
    cap_mid, lower = set(), set()
    for text in texts:
        for m in WORD_RE.finditer(text):
            w = m.group(0)
            if not w[0].isupper():
                lower.add(w.lower())
            elif not is_sentence_initial(text, m.start()):
                cap_mid.add(w.lower())
    return frozenset(cap_mid - lower)


# --------------------------------------------------------------------------- #
# Data
# --------------------------------------------------------------------------- #


@dataclass
class Mention:
    start: int
    end: int
    type: str
    text: str


@dataclass
class Doc:
    id: str  # "<source>/<_id>", the id given to sway
    source: str
    text: str
    gold: list  # list[Mention]
    spans: dict = None  # (begin, end) -> winning type of every gold span, any type (diagnostics)


def read_mongoexport(path: str) -> list[dict]:
    """mongoexport output: one JSON object per line, or a JSON array."""
    with open(path, encoding="utf-8-sig") as f:
        data = f.read()
    if data.lstrip().startswith("["):
        return json.loads(data)
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def collapse_types(entities: list[dict], min_confidence: float = 0.0) -> tuple[list[dict], int]:
    """One entity per (documentId, begin, end): the most confident type wins (ties by
    TYPE_PRIORITY, then file order). Returns (entities, number of spans that had several)."""
    by_span = defaultdict(list)
    for e in entities:
        by_span[(e["documentId"], e["begin"], e["end"])].append(e)
    out, multi = [], 0
    for cands in by_span.values():
        if len({c["type"] for c in cands}) > 1:
            multi += 1
        best = max(cands, key=lambda c: (c.get("confidence") or 0, -TYPE_PRIORITY.get(c["type"], 9)))
        if (best.get("confidence") or 0) >= min_confidence:
            out.append(best)
    return out, multi


def load_re3d(data: str, min_confidence: float = 0.0):
    """Documents with their Person/Organisation/Location gold spans, and load statistics."""
    docs: list[Doc] = []
    stats = Counter()
    for source in sorted(os.listdir(data)):
        folder = os.path.join(data, source)
        dpath, epath = os.path.join(folder, "documents.json"), os.path.join(folder, "entities.json")
        if not (os.path.isfile(dpath) and os.path.isfile(epath)):
            continue
        raw_docs = read_mongoexport(dpath)
        ents, multi = collapse_types(read_mongoexport(epath), min_confidence)
        stats["multi_type_spans"] += multi
        by_doc = defaultdict(list)
        for e in ents:
            by_doc[e["documentId"]].append(e)
        for d in raw_docs:
            text = d["text"]
            gold, spans = [], {}
            for e in by_doc.get(d["_id"], []):
                spans[(int(e["begin"]), int(e["end"]))] = e["type"]
                if e["type"] not in TYPES:
                    continue
                b, en = int(e["begin"]), int(e["end"])
                if not (0 <= b < en <= len(text)):
                    stats["bad_gold_offsets"] += 1
                    continue
                if text[b:en] != e.get("value"):
                    stats["value_mismatch"] += 1
                gold.append(Mention(b, en, e["type"], text[b:en]))
            gold.sort(key=lambda m: (m.start, m.end, m.type))
            docs.append(Doc(f"{source}/{d['_id']}", source, text, gold, spans))
    return docs, stats


# --------------------------------------------------------------------------- #
# Matching and scores
# --------------------------------------------------------------------------- #


def match_exact(gold: list, system: list, typed: bool = True) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index) with the same span (and type)."""
    def key(m):
        return (m.start, m.end, m.type) if typed else (m.start, m.end)

    free = defaultdict(list)
    for j, s in enumerate(system):
        free[key(s)].append(j)
    pairs = []
    for i, g in enumerate(gold):
        lst = free.get(key(g))
        if lst:
            pairs.append((i, lst.pop(0)))
    return pairs


def match_overlap(gold: list, system: list, typed: bool = True) -> list[tuple[int, int]]:
    """One-to-one greedy pairs of overlapping mentions (same type when ``typed``):
    exact matches first, then by larger overlap, then smaller length difference."""
    cands = []
    for i, g in enumerate(gold):
        for j, s in enumerate(system):
            ov = min(g.end, s.end) - max(g.start, s.start)
            if ov > 0 and (not typed or g.type == s.type):
                exact = g.start == s.start and g.end == s.end
                cands.append((not exact, -ov, abs((g.end - g.start) - (s.end - s.start)), i, j))
    cands.sort()
    used_g, used_s, pairs = set(), set(), []
    for _, _, _, i, j in cands:
        if i not in used_g and j not in used_s:
            used_g.add(i)
            used_s.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def prf(correct: int, n_sys: int, n_gold: int) -> dict:
    p = correct / n_sys if n_sys else 0.0
    r = correct / n_gold if n_gold else 0.0
    return {"gold": n_gold, "system": n_sys, "correct": correct,
            "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


MODES = ("exact", "overlap", "untyped")


class Tally:
    """Counts for one group of documents: per mode, per type (and 'all')."""

    def __init__(self):
        self.c = {m: Counter() for m in MODES}

    def add(self, gold: list, system: list) -> dict:
        """Score one document; returns the matched pairs per mode. For the untyped
        mode a span found with two types counts once."""
        seen, untyped_sys = set(), []
        for s in system:
            if (s.start, s.end) not in seen:
                seen.add((s.start, s.end))
                untyped_sys.append(s)
        sys_for = {"exact": system, "overlap": system, "untyped": untyped_sys}
        pairs = {
            "exact": match_exact(gold, system, typed=True),
            "overlap": match_overlap(gold, system, typed=True),
            "untyped": match_exact(gold, untyped_sys, typed=False),
        }
        for mode, ps in pairs.items():
            c = self.c[mode]
            for t in TYPES:
                c[("gold", t)] += sum(g.type == t for g in gold)
                c[("sys", t)] += sum(s.type == t for s in sys_for[mode])
            for i, _ in ps:  # untyped: counted under the gold type
                c[("ok", gold[i].type)] += 1
        return pairs

    def scores(self) -> dict:
        out = {}
        for mode in MODES:
            c = self.c[mode]
            row = {}
            for t in TYPES:
                row[t] = prf(c[("ok", t)], c[("sys", t)], c[("gold", t)])
            row["all"] = prf(sum(c[("ok", t)] for t in TYPES), sum(c[("sys", t)] for t in TYPES),
                             sum(c[("gold", t)] for t in TYPES))
            if mode == "untyped":  # per-type P is not meaningful without types
                for t in TYPES:
                    row[t] = {"gold": row[t]["gold"], "correct": row[t]["correct"], "r": row[t]["r"]}
            out[mode] = row
        return out


# --------------------------------------------------------------------------- #
# Main
# --------------------------------------------------------------------------- #


def system_mentions(rec: dict, doc: Doc, stats: Counter) -> list[Mention]:
    mapper = swayio.OffsetMapper(doc.text, rec.get("text") or "")
    if not mapper.identical:
        stats["docs_text_differs"] += 1
        stats["alignment_mismatches"] += mapper.mismatches
    st: dict = {}
    raw = swayio.actor_mentions(rec, doc.text, mapper, st) + swayio.place_mentions(rec, doc.text, mapper, st)
    stats.update(st)
    out, seen = [], set()
    for m in raw:
        t = SYS_TYPE.get(m.kind)
        if t is None:
            stats["sys_unknown_type"] += 1
            continue
        if m.end <= m.start:
            stats["sys_empty"] += 1
            continue
        k = (m.start, m.end, t)
        if k in seen:
            stats["sys_duplicates"] += 1
            continue
        seen.add(k)
        out.append(Mention(m.start, m.end, t, m.text))
    out.sort(key=lambda m: (m.start, m.end, m.type))
    return out


def fp_cause_of(s: Mention, d: Doc) -> str:
    """Why a system mention found no exact typed match (diagnostics only)."""
    if any(g.start == s.start and g.end == s.end for g in d.gold):
        return "same span, other type"
    t = (d.spans or {}).get((s.start, s.end))
    if t is not None and t not in TYPES:
        return f"same span is gold {t}"
    if t is not None:
        return "same span is gold but not named"
    if any(g.start < s.end and s.start < g.end for g in d.gold):
        return "overlaps a gold span (boundary or type)"
    return "no gold span there"


def fmt_row(name: str, s: dict) -> str:
    return f"| {name} | {s['gold']} | {s['system']} | {s['correct']} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} |"


def surface(m: Mention) -> str:
    return " ".join(m.text.split())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "entities"))
    ap.add_argument("--limit", type=int, default=0, help="score only the first N documents (0 = all)")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="sway -j (default 2)")
    ap.add_argument("--min-confidence", type=float, default=0.0,
                    help="drop gold spans whose winning type has a lower crowd confidence (default 0: keep all)")
    ap.add_argument("--no-filter", action="store_true", help="score all spans (no named-mention filter)")
    ap.add_argument("--errors", type=int, default=15, help="false negatives/positives listed per type (default 15)")
    ap.add_argument("--json", default=os.path.join(BENCH, "results", "entities-latest.json"))
    a = ap.parse_args(argv)

    if not os.path.isdir(a.data):
        print(f"entities bench SKIPPED: re3d data not found at {os.path.normpath(a.data)} "
              "(expects ../shared/data/entities/<source>/documents.json and entities.json)", file=sys.stderr)
        return 0
    t_start = time.perf_counter()
    all_docs, load_stats = load_re3d(a.data, a.min_confidence)
    if not all_docs:
        print(f"entities bench SKIPPED: no documents under {a.data}", file=sys.stderr)
        return 0
    names = name_lexicon(d.text for d in all_docs)  # from every document, whatever --limit says
    docs = all_docs[: a.limit] if a.limit > 0 else all_docs

    def named(text: str, m: Mention) -> bool:
        return a.no_filter or is_named(m.text, is_sentence_initial(text, m.start), names)

    # gold after the named filter
    filt = {"gold_before": Counter(), "gold_kept": Counter(), "sys_before": Counter(), "sys_kept": Counter()}
    for d in docs:
        for m in d.gold:
            filt["gold_before"][m.type] += 1
        d.gold = [m for m in d.gold if named(d.text, m)]
        for m in d.gold:
            filt["gold_kept"][m.type] += 1

    try:
        run = swayio.run_analyze(a.sway, [(d.id, d.text) for d in docs], a.jobs)
    except (RuntimeError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    stats = Counter(load_stats)
    overall, per_source = Tally(), defaultdict(Tally)
    fn, fp = {t: Counter() for t in TYPES}, {t: Counter() for t in TYPES}
    fp_cause = Counter()
    for d in docs:
        rec = run.records.get(d.id)
        if rec is None:  # failed in sway: all its gold is missed
            system = []
        else:
            system = system_mentions(rec, d, stats)
        for m in system:
            filt["sys_before"][m.type] += 1
        system = [m for m in system if named(d.text, m)]
        for m in system:
            filt["sys_kept"][m.type] += 1
        pairs = overall.add(d.gold, system)
        per_source[d.source].add(d.gold, system)
        gi = {i for i, _ in pairs["exact"]}
        si = {j for _, j in pairs["exact"]}
        for i, g in enumerate(d.gold):
            if i not in gi:
                fn[g.type][surface(g)] += 1
        for j, s in enumerate(system):
            if j not in si:
                fp[s.type][surface(s)] += 1
                fp_cause[fp_cause_of(s, d)] += 1
    total = time.perf_counter() - t_start

    scores = overall.scores()
    src_scores = {s: t.scores() for s, t in sorted(per_source.items())}
    n_gold = sum(len(d.gold) for d in docs)

    filter_note = ("no filter (--no-filter): all gold and system spans scored" if a.no_filter else
                   "named-mention filter: gold and system spans that are pronouns or have no capitalised word "
                   "(beyond a sentence-initial one, after a leading determiner) are not scored; "
                   "pronoun/nominal mentions are coref's job (bench/coref.py)")
    print(f"re3d entity recognition: {len(docs)} documents, {n_gold} gold spans scored, "
          f"sway {os.path.normpath(a.sway)} ({run.seconds:.1f} s for sway, {total:.1f} s in all)")
    if run.missing:
        print(f"WARNING: {len(run.missing)} documents failed in sway (scored with no output): "
              + ", ".join(run.missing[:5]) + (" ..." if len(run.missing) > 5 else ""))
    print(filter_note)
    print("\n| type | gold spans | kept by filter | sway mentions | kept by filter |\n|---|---:|---:|---:|---:|")
    for t in TYPES:
        print(f"| {t} | {filt['gold_before'][t]} | {filt['gold_kept'][t]} | {filt['sys_before'][t]} | {filt['sys_kept'][t]} |")
    print(f"| all | {sum(filt['gold_before'].values())} | {sum(filt['gold_kept'].values())} | "
          f"{sum(filt['sys_before'].values())} | {sum(filt['sys_kept'].values())} |")

    titles = {"exact": "(a) exact span + type", "overlap": "(b) overlap + type, one-to-one",
              "untyped": "(c) exact span, any type (detection)"}
    print("\n| match | type | gold | sway | correct | P | R | F1 |\n|---|---|---:|---:|---:|---:|---:|---:|")
    for mode in MODES:
        for t in (*TYPES, "all"):
            s = scores[mode][t]
            if "p" not in s:
                print(f"| {titles[mode]} | {t} | {s['gold']} | | {s['correct']} | | {s['r']:.3f} | |")
            else:
                print(fmt_row(f"{titles[mode]} | {t}", s))

    print("\nper source (micro over the three types)\n"
          "| source | docs | gold | exact F1 | overlap F1 | untyped F1 |\n|---|---:|---:|---:|---:|---:|")
    ndocs = Counter(d.source for d in docs)
    for s, sc in src_scores.items():
        print(f"| {s} | {ndocs[s]} | {sc['exact']['all']['gold']} | {sc['exact']['all']['f1']:.3f} | "
              f"{sc['overlap']['all']['f1']:.3f} | {sc['untyped']['all']['f1']:.3f} |")

    if fp_cause:
        print("\nsway mentions without an exact typed match, by cause: "
              + ", ".join(f"{k}: {v}" for k, v in fp_cause.most_common()))
    notes = {k: v for k, v in stats.items() if v}
    if notes:
        print("\nnotes: " + ", ".join(f"{k}={v}" for k, v in sorted(notes.items())))
        print("  (multi_type_spans: gold spans with several candidate types, most confident kept; "
              "value_mismatch: gold 'value' differs from text[begin:end], the text is used)")

    if a.errors > 0:
        for t in TYPES:
            print(f"\n{t}: top false negatives (exact typed)   |   top false positives (exact typed)")
            a_fn, a_fp = fn[t].most_common(a.errors), fp[t].most_common(a.errors)
            for k in range(max(len(a_fn), len(a_fp))):
                left = f"{a_fn[k][1]:>3} {a_fn[k][0]}" if k < len(a_fn) else ""
                right = f"{a_fp[k][1]:>3} {a_fp[k][0]}" if k < len(a_fp) else ""
                print(f"  {left[:48]:<50}| {right[:48]}")

    result = {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python3", "bench/entities.py", *(argv if argv is not None else sys.argv[1:])]),
        "sway": os.path.normpath(a.sway),
        "data": os.path.normpath(a.data),
        "documents": len(docs),
        "failed_documents": run.missing,
        "sway_returncode": run.returncode,
        "seconds": {"sway": round(run.seconds, 3), "total": round(total, 3)},
        "filter": {"named": not a.no_filter, "note": filter_note,
                   **{k: dict(v) for k, v in filt.items()}},
        "min_confidence": a.min_confidence,
        "stats": dict(stats),
        "false_positive_causes": dict(fp_cause),
        "scores": scores,
        "per_source": src_scores,
    }
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(f"\nwrote {os.path.relpath(a.json)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
