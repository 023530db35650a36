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
    stage_runs = []  # per-stage seconds of each 1-job run
    sentences = tokens = None
    for jobs in (1, 2):
        times = []
        for _ in range(a.runs):
            t = time.perf_counter()
            cmd = [a.sway, "analyze", "-j", str(jobs), tmp.name] + (["--timing"] if jobs == 1 else [])
            res = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            if res.returncode not in (0, 1):
                sys.exit(res.stderr[:2000])
            if jobs == 1:
                stage_runs.append(parse_timing(res.stderr))
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
    stages = {k: statistics.median(r[k] for r in stage_runs) for k in stage_runs[0]} if stage_runs else {}
    if stages:
        syntax = stages.get("syntax") or float("nan")
        print("\nStage time, 1 job (median seconds over runs; share of tag + parse time):")
        print("| stage | seconds | vs syntax |\n|---|---:|---:|")
        for k, v in stages.items():
            print(f"| {k} | {v:.3f} | {100 * v / syntax:.1f} % |")


def parse_timing(stderr: str) -> dict:
    """The `timing: stage=seconds ...` line `sway analyze --timing` prints."""
    for line in stderr.splitlines():
        if line.startswith("timing: "):
            return {k: float(v) for k, v in (p.split("=") for p in line[len("timing: "):].split())}
    raise SystemExit("sway printed no timing line")


if __name__ == "__main__":
    main()
