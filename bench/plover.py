#!/usr/bin/env python3
"""Score sway's PLOVER event types and (source, type, target) triples on the PLOVER
gold-standard development records, read from
../shared/data/plover/gold_standard_records.dev.json.

    python3 bench/plover.py [--sway PATH] [--data FILE] [--jobs 2]

Gold. Each record has ``text``, a ``source`` list and (not always) a ``target`` list
of ``{actorText, code, sector?}`` (an empty string or a missing key: no target; one
record has no source), and ``event``, a PLOVER 0.5 label. Labels are mapped to
PLOVER 0.8's 16 types as ../shared/data/README.md says: DEMAND -> REQUEST,
DISAPPROVE -> ACCUSE, FIGHT -> ASSAULT, INVESTIGATE -> ACCUSE; the others keep their
name. Actor codes are CAMEO's: ISO 3166 alpha-3 except JAP (Japan, -> JPN); IGO,
NGO and IMG (international organisations and groups) are not countries and are
kept as those three letters; any longer code is cut to its first three letters.
Other non-ISO codes are not mapped (they simply cannot match).

sway runs on each record's text as one document (``published`` = the record's
``date`` when it has one).

Event type. The record's predicted type is the ``plover`` of sway's most confident
event in the record (highest ``confidence``; ties: the first in sway's output
order; events without a ``plover`` value are ignored); no event -> "none". Accuracy
is over all records; macro-F1 averages per-type F1 over the 16 types ("none" and
any type outside the 16 are always wrong: they count against the gold type's
recall and against no type's precision).

Triples. Gold: every (source, type, target) over all source x target pairs of a
record, the target "" when the record has none (the source "" when it has none).
sway: one triple per event, (source, plover, target), where a participant is
``code[:3]`` when its ``code`` starts with IGO, NGO or IMG, else its ``country``
field (ISO alpha-3), and "" when the participant is absent or has no country. Sets
per record; micro precision/recall/F1 over records. A relaxed score drops the
target: (source, type).

Writes bench/results/plover-latest.json (codes and labels only, no text).
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
from dataclasses import dataclass

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import swayio  # noqa: E402

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
LABEL_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}
CODE_MAP = {"JAP": "JPN"}
GROUP_CODES = ("IGO", "NGO", "IMG")
NONE = "none"


def map_label(label: str) -> str:
    """A PLOVER 0.5 label as a 0.8 type (unknown labels are returned upper-cased)."""
    lab = (label or "").strip().upper()
    return LABEL_MAP.get(lab, lab)


def gold_actor(code: str) -> str:
    """A gold CAMEO actor code as compared: JAP -> JPN; IGO/NGO/IMG kept; first three
    letters otherwise."""
    c = (code or "").strip().upper()
    for g in GROUP_CODES:
        if c.startswith(g):
            return g
    c = c[:3]
    return CODE_MAP.get(c, c)


def sway_actor(p) -> str:
    """A sway participant as compared: IGO/NGO/IMG from its code, else its country."""
    if not p:
        return ""
    code = (p.get("code") or "").upper()
    if code[:3] in GROUP_CODES:
        return code[:3]
    return (p.get("country") or "").upper()


@dataclass
class GoldRecord:
    id: str
    text: str
    date: str  # YYYY-MM-DD or ""
    label: str  # as written (0.5)
    type: str  # mapped to 0.8
    sources: list  # gold_actor codes ("" when none)
    targets: list


def _actors(v) -> list:
    if not isinstance(v, list):
        return []
    return [gold_actor(a.get("code", "")) for a in v if isinstance(a, dict)]


def load_records(objs: list) -> list[GoldRecord]:
    out = []
    for i, o in enumerate(objs):
        if not isinstance(o, dict) or not o.get("text"):
            continue
        date = o.get("date") or ""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            date = ""
        out.append(GoldRecord(
            id=str(o.get("id") or f"record-{i}"),
            text=o["text"],
            date=date,
            label=o.get("event") or "",
            type=map_label(o.get("event") or ""),
            sources=_actors(o.get("source")),
            targets=_actors(o.get("target")),
        ))
    return out


def gold_triples(g: GoldRecord) -> set:
    return {(s, g.type, t) for s in (g.sources or [""]) for t in (g.targets or [""])}


def sway_triples(rec: dict | None) -> set:
    out = set()
    for ev in (rec or {}).get("events") or []:
        pl = (ev.get("plover") or "").upper()
        if pl:
            out.add((sway_actor(ev.get("source")), pl, sway_actor(ev.get("target"))))
    return out


def predicted_type(rec: dict | None) -> str:
    """The plover of the most confident event (ties: first in output order), or none."""
    best, best_c = NONE, None
    for ev in (rec or {}).get("events") or []:
        pl = (ev.get("plover") or "").upper()
        if not pl:
            continue
        c = ev.get("confidence")
        c = float(c) if isinstance(c, (int, float)) else 0.0
        if best_c is None or c > best_c:
            best, best_c = pl, c
    return best


def prf(correct: int, n_sys: int, n_gold: int) -> dict:
    p = correct / n_sys if n_sys else 0.0
    r = correct / n_gold if n_gold else 0.0
    return {"gold": n_gold, "system": n_sys, "correct": correct,
            "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def type_scores(pairs: list[tuple[str, str]]) -> dict:
    """Accuracy, per-type P/R/F1 and macro-F1 over TYPES for (gold, predicted) pairs."""
    n = len(pairs)
    correct = sum(g == p for g, p in pairs)
    per = {}
    for t in TYPES:
        tp = sum(g == t and p == t for g, p in pairs)
        per[t] = prf(tp, sum(p == t for _, p in pairs), sum(g == t for g, _ in pairs))
    return {"records": n, "correct": correct, "accuracy": correct / n if n else 0.0,
            "macro_f1": sum(s["f1"] for s in per.values()) / len(TYPES), "per_type": per}


def triple_scores(golds: list[set], syss: list[set]) -> dict:
    ok = sum(len(g & s) for g, s in zip(golds, syss))
    return prf(ok, sum(len(s) for s in syss), sum(len(g) for g in golds))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "plover",
                                                   "gold_standard_records.dev.json"))
    ap.add_argument("--jobs", "-j", type=int, default=2, help="sway -j (default 2)")
    ap.add_argument("--errors", type=int, default=10, help="confusions listed (default 10)")
    ap.add_argument("--json", default=os.path.join(BENCH, "results", "plover-latest.json"))
    a = ap.parse_args(argv)

    if not os.path.isfile(a.data):
        print(f"plover bench SKIPPED: PLOVER gold-standard records not found at {os.path.normpath(a.data)} "
              "(expects ../shared/data/plover/gold_standard_records.dev.json)", file=sys.stderr)
        return 0
    t_start = time.perf_counter()
    with open(a.data, encoding="utf-8") as f:
        objs = json.load(f)
    gold = load_records(objs if isinstance(objs, list) else [])
    if not gold:
        print(f"plover bench SKIPPED: no records in {a.data}", file=sys.stderr)
        return 0
    unmapped = Counter(g.label for g in gold if g.type not in TYPES)
    try:
        run = swayio.run_analyze(a.sway, [(g.id, g.text, g.date or None) for g in gold], a.jobs)
    except (RuntimeError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    pairs, golds, syss = [], [], []
    no_event, any_type_hit, n_events, no_plover = 0, 0, 0, 0
    confusions, per_record = Counter(), []
    pred_outside = Counter()
    for g in gold:
        rec = run.records.get(g.id)
        evs = (rec or {}).get("events") or []
        n_events += len(evs)
        no_plover += sum(1 for e in evs if not e.get("plover"))
        if not evs:
            no_event += 1
        pred = predicted_type(rec)
        if pred != NONE and pred not in TYPES:
            pred_outside[pred] += 1
        pairs.append((g.type, pred))
        if g.type != pred:
            confusions[(g.type, pred)] += 1
        gt, st = gold_triples(g), sway_triples(rec)
        golds.append(gt)
        syss.append(st)
        any_type_hit += any(t[1] == g.type for t in st)
        per_record.append({"id": g.id, "gold": g.type, "gold_label": g.label, "predicted": pred,
                           "gold_triples": sorted("|".join(t) for t in gt),
                           "sway_triples": sorted("|".join(t) for t in st),
                           "failed_document": rec is None})
    total = time.perf_counter() - t_start

    ts = type_scores(pairs)
    tri = triple_scores(golds, syss)
    src = triple_scores([{(s, t) for s, t, _ in x} for x in golds], [{(s, t) for s, t, _ in x} for x in syss])
    coded = [(gt, p) for gt, p in pairs if p != NONE]
    acc_coded = sum(gt == p for gt, p in coded) / len(coded) if coded else 0.0
    n = len(gold)

    print(f"PLOVER gold-standard dev records: {n} records, sway {os.path.normpath(a.sway)} "
          f"({run.seconds:.1f} s for sway, {total:.1f} s in all)")
    if run.missing:
        print(f"WARNING: {len(run.missing)} records failed in sway (scored as no events): "
              + ", ".join(run.missing[:5]) + (" ..." if len(run.missing) > 5 else ""))
    if unmapped:
        print("WARNING: gold labels outside the 16 types after mapping: "
              + ", ".join(f"{k} {v}" for k, v in unmapped.items()))
    print(f"sway coded {n_events} events; {no_event} of {n} records ({no_event / n:.1%}) have no sway event"
          + (f"; {no_plover} events without a plover type (ignored)" if no_plover else ""))
    print("predicted type = plover of sway's most confident event (ties: first in output order); none when no event")

    print("\n| measure | value |\n|---|---:|")
    print(f"| type accuracy (all {n} records) | {ts['accuracy']:.3f} ({ts['correct']}/{n}) |")
    print(f"| type macro-F1 over the 16 types | {ts['macro_f1']:.3f} |")
    print(f"| type accuracy where sway coded an event | {acc_coded:.3f} "
          f"({sum(g == p for g, p in coded)}/{len(coded)}) |")
    print(f"| gold type among any sway event's types | {any_type_hit / n:.3f} ({any_type_hit}/{n}) |")
    print(f"| records with no sway event | {no_event} ({no_event / n:.1%}) |")

    print("\ntriples, micro over records\n| triple | gold | sway | correct | P | R | F1 |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, s in (("(source, type, target)", tri), ("(source, type)", src)):
        print(f"| {name} | {s['gold']} | {s['system']} | {s['correct']} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} |")

    print("\nper type\n| type | gold | predicted | correct | P | R | F1 |\n|---|---:|---:|---:|---:|---:|---:|")
    for t in TYPES:
        s = ts["per_type"][t]
        print(f"| {t} | {s['gold']} | {s['system']} | {s['correct']} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} |")
    npred = Counter(p for _, p in pairs)
    print(f"| none | 0 | {npred[NONE]} | | | | |")
    for k, v in sorted(pred_outside.items()):
        print(f"| {k} (not a 0.8 type) | 0 | {v} | | | | |")

    if a.errors > 0 and confusions:
        print("\nmost common errors (gold -> predicted)")
        for (gt, p), v in confusions.most_common(a.errors):
            print(f"  {v:>3}  {gt} -> {p}")

    result = {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python3", "bench/plover.py", *(argv if argv is not None else sys.argv[1:])]),
        "sway": os.path.normpath(a.sway),
        "data": os.path.normpath(a.data),
        "records": n,
        "failed_documents": run.missing,
        "sway_returncode": run.returncode,
        "sway_events": n_events,
        "records_without_events": no_event,
        "seconds": {"sway": round(run.seconds, 3), "total": round(total, 3)},
        "rule": "predicted type = plover of the most confident event (ties: first); none when no event",
        "type": {**ts, "accuracy_where_coded": acc_coded, "records_coded": len(coded),
                 "gold_type_in_any_event": any_type_hit},
        "triples": tri,
        "source_type_pairs": src,
        "confusions": [[gt, p, v] for (gt, p), v in confusions.most_common()],
        "unmapped_gold_labels": dict(unmapped),
        "per_record": per_record,
    }
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(f"\nwrote {os.path.relpath(a.json)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
