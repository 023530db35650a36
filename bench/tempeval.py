#!/usr/bin/env python3
"""Score sway's temporal expressions on TempEval-3 data (TimeBank + AQUAINT, the
development set in ../shared/data/temporal), with the TempEval-3 rules ported:

- extent: strict (same span) and relaxed (overlapping spans) precision, recall, F1;
- type accuracy and value F1 over relaxed matches (attribute F1 as TE3 defines it:
  precision = correct attribute / system expressions, recall = correct / gold).

The document creation time (DCT) is given to sway as the published date, as TE3
systems get it. Usage: python3 bench/tempeval.py [--sway PATH] [--data DIR]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from html import unescape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEX = re.compile(r"<TIMEX3([^>]*)>(.*?)</TIMEX3>", re.S)
TAG = re.compile(r"<[^>]+>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_tml(path):
    src = open(path, encoding="utf-8").read()
    dct = re.search(r"<DCT>.*?value=\"([0-9-]{10})", src, re.S)
    body = re.search(r"<TEXT>(.*)</TEXT>", src, re.S).group(1)
    text, gold, pos = [], [], 0
    # Walk TIMEX3 elements, stripping every other tag, keeping byte offsets of the text.
    out = b""
    i = 0
    for m in TIMEX.finditer(body):
        before = unescape(TAG.sub("", body[i:m.start()])).encode("utf-8")
        out += before
        inner = unescape(TAG.sub("", m.group(2))).encode("utf-8")
        attrs = dict(ATTR.findall(m.group(1)))
        gold.append((len(out), len(out) + len(inner), attrs.get("type"), attrs.get("value")))
        out += inner
        i = m.end()
    out += unescape(TAG.sub("", body[i:])).encode("utf-8")
    return (dct.group(1) if dct else None), out.decode("utf-8"), gold


def load_docs(data):
    """(file name, DCT, text, gold TIMEX3 list) for every TimeBank and AQUAINT document."""
    docs = []
    for sub in ("TimeBank", "AQUAINT"):
        d = os.path.join(data, sub)
        for f in sorted(os.listdir(d)):
            if f.endswith(".tml"):
                docs.append((f, *read_tml(os.path.join(d, f))))
    return docs


def prf(tp_p, n_sys, tp_r, n_gold):
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "temporal", "TBAQ-cleaned"))
    ap.add_argument("--errors", type=int, default=0, help="print this many value errors")
    ap.add_argument("--missed", type=int, default=0, help="print this many gold expressions not found")
    ap.add_argument("--spurious", type=int, default=0, help="print this many expressions found but not in gold")
    a = ap.parse_args()
    docs = load_docs(a.data)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        for name, dct, text, _ in docs:
            tmp.write(json.dumps({"id": name, "text": text, "published": dct}) + "\n")
    res = subprocess.run([a.sway, "analyze", tmp.name], capture_output=True, text=True)
    os.unlink(tmp.name)
    if res.returncode not in (0, 1):
        sys.exit(f"sway failed: {res.stderr[:2000]}")
    by_id = {}
    for line in res.stdout.splitlines():
        r = json.loads(line)
        by_id[r["input_id"]] = r["times"]
    n_gold = n_sys = strict = relaxed_p = relaxed_r = type_ok = value_ok = 0
    errors, missed, spurious = [], [], []
    for name, dct, text, gold in docs:
        sys_t = [(t["start"], t["end"], t["type"], t["value"], t["text"]) for t in by_id.get(name, [])]
        n_gold += len(gold)
        n_sys += len(sys_t)
        gold_spans = {(g[0], g[1]) for g in gold}
        strict += sum((s[0], s[1]) in gold_spans for s in sys_t)
        relaxed_p += sum(any(s[0] < g[1] and g[0] < s[1] for g in gold) for s in sys_t)
        relaxed_r += sum(any(s[0] < g[1] and g[0] < s[1] for s in sys_t) for g in gold)
        cut = lambda a, b: text.encode()[a:b].decode(errors="replace")
        for s in sys_t:
            if not any(s[0] < g[1] and g[0] < s[1] for g in gold) and len(spurious) < a.spurious:
                spurious.append(f"spurious {name}: {s[4]!r} {s[2]} {s[3]} | {cut(max(0, s[0] - 60), s[1] + 30)!r}")
        for g in gold:
            if not any(s[0] < g[1] and g[0] < s[1] for s in sys_t) and len(missed) < a.missed:
                missed.append(f"missed {name}: {cut(g[0], g[1])!r} {g[2]} {g[3]} | {cut(max(0, g[0] - 60), g[1] + 30)!r}")
            m = next((s for s in sys_t if s[0] < g[1] and g[0] < s[1]), None)
            if m:
                type_ok += m[2] == g[2]
                value_ok += m[3] == g[3]
                if m[3] != g[3] and len(errors) < a.errors:
                    errors.append(f"{name}: {text.encode()[g[0]:g[1]].decode()!r} gold {g[3]} sway {m[3]} (DCT {dct})")
    sp = prf(strict, n_sys, strict, n_gold)
    rp = prf(relaxed_p, n_sys, relaxed_r, n_gold)
    vp = prf(value_ok, n_sys, value_ok, n_gold)
    print(f"TempEval-3 development data (TimeBank + AQUAINT): {len(docs)} documents, {n_gold} gold TIMEX3, {n_sys} found")
    print("| measure | P | R | F1 |\n|---|---:|---:|---:|")
    print(f"| extent, strict | {sp[0]:.3f} | {sp[1]:.3f} | {sp[2]:.3f} |")
    print(f"| extent, relaxed | {rp[0]:.3f} | {rp[1]:.3f} | {rp[2]:.3f} |")
    print(f"| value | {vp[0]:.3f} | {vp[1]:.3f} | {vp[2]:.4f} |")
    print(f"type accuracy on relaxed matches: {type_ok / max(relaxed_r, 1):.3f}")
    for e in errors + missed + spurious:
        print(e)


if __name__ == "__main__":
    main()
