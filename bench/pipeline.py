#!/usr/bin/env python3
"""Whole-pipeline throughput of `sway analyze` on news text: documents, sentences and
tokens per second with 1 and 2 jobs (median of --runs), model loading included.

The corpus is the TempEval-3 development documents' text (news, 256 documents), written
to a temporary JSONL file (never into the repo). Usage:
python3 bench/pipeline.py [--runs 3] [--sway PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tempeval  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "temporal", "TBAQ-cleaned"))
    a = ap.parse_args()
    docs = [{"id": name, "text": text, "published": dct} for name, dct, text, _ in tempeval.load_docs(a.data)]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        for d in docs:
            tmp.write(json.dumps(d) + "\n")
    rows = []
    sentences = tokens = None
    for jobs in (1, 2):
        times = []
        for _ in range(a.runs):
            t = time.perf_counter()
            res = subprocess.run([a.sway, "analyze", "-j", str(jobs), tmp.name], capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            if res.returncode not in (0, 1):
                sys.exit(res.stderr[:2000])
            if sentences is None:
                recs = [json.loads(l) for l in res.stdout.splitlines()]
                sentences = sum(len(r["sentences"]) for r in recs)
                tokens = sum(len(s["tokens"]) for r in recs for s in r["sentences"])
        m = statistics.median(times)
        rows.append((jobs, m, len(docs) / m, sentences / m, tokens / m))
    os.unlink(tmp.name)
    print(f"`sway analyze` on {len(docs)} news documents ({sentences} sentences, {tokens} tokens), median of {a.runs} runs, load included")
    print("| jobs | seconds | documents/s | sentences/s | tokens/s |\n|---:|---:|---:|---:|---:|")
    for jobs, m, d, s, t in rows:
        print(f"| {jobs} | {m:.2f} | {d:.0f} | {s:.0f} | {t:.0f} |")


if __name__ == "__main__":
    main()
