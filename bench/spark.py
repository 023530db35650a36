#!/usr/bin/env python3
"""Throughput of the Spark job (python/sway/spark.py) against the single-process CLI
on the same documents: documents per second with 1 and 2 cores each, medians of --runs.

The corpus is the TempEval-3 development documents' text (256 news documents),
repeated --copies times (as distinct ids), written to a temporary JSONL file (never
into the repo). The CLI is `sway analyze -j N FILE` (model loading included). Spark
runs in `local[N]` (N executor cores in one JVM); its time is the job's `run()`
(reading, analysis on the Python workers, and writing the four Parquet tables), the
session's start not included. Run it with a Python that has `./python[spark]`
installed:

    target/venv/bin/python bench/spark.py [--runs 3] [--copies 4] [--sway PATH]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tempeval  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "temporal", "TBAQ-cleaned"))
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results", "spark-latest.json"))
    a = ap.parse_args()
    try:
        import sway.spark
        from pyspark.sql import SparkSession
    except ImportError as e:
        sys.exit("needs the sway package with pyspark (pip install './python[spark]'): %s" % e)
    work = tempfile.mkdtemp(prefix="sway-spark-bench-")
    corpus = os.path.join(work, "corpus.jsonl")
    n = 0
    with open(corpus, "w", encoding="utf-8") as f:
        for c in range(a.copies):
            for name, dct, text, _ in tempeval.load_docs(a.data):
                f.write(json.dumps({"id": "%s#%d" % (name, c), "text": text, "published": dct}) + "\n")
                n += 1
    rows = {}
    for cores in (1, 2):
        times = []
        for _ in range(a.runs):
            t = time.perf_counter()
            p = subprocess.run([a.sway, "analyze", "-j", str(cores), corpus], capture_output=True)
            times.append(time.perf_counter() - t)
            if p.returncode not in (0, 1):
                sys.exit(p.stderr[-2000:].decode(errors="replace"))
        rows[("cli", cores)] = statistics.median(times)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for cores in (1, 2):
        spark = (SparkSession.builder.master("local[%d]" % cores).appName("sway-bench")
                 .config("spark.ui.enabled", "false").config("spark.driver.memory", "2g").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        times = []
        try:
            for r in range(a.runs):
                out = os.path.join(work, "out-%d-%d" % (cores, r))
                t = time.perf_counter()
                counts = sway.spark.run(spark, corpus, out, partitions=4 * cores)
                times.append(time.perf_counter() - t)
                shutil.rmtree(out, ignore_errors=True)
                if counts["analyzed"] + counts["failed"] != n:
                    sys.exit("the job saw %s documents of %d" % (counts, n))
        finally:
            spark.stop()
        rows[("spark", cores)] = statistics.median(times)
    shutil.rmtree(work, ignore_errors=True)
    print("%d news documents (TempEval-3 dev x %d), median of %d runs" % (n, a.copies, a.runs))
    print("| runner | cores | seconds | documents/s | per core |\n|---|---:|---:|---:|---:|")
    result = {"documents": n, "runs": a.runs, "command": "bench/spark.py " + " ".join(sys.argv[1:]), "rows": []}
    for (runner, cores), secs in sorted(rows.items()):
        dps = n / secs
        print("| %s | %d | %.1f | %.0f | %.0f |" % (runner, cores, secs, dps, dps / cores))
        result["rows"].append({"runner": runner, "cores": cores, "seconds": round(secs, 2),
                               "documents_per_second": round(dps, 1)})
    for cores in (1, 2):
        ratio = rows[("cli", cores)] / rows[("spark", cores)]
        print("Spark per-core throughput with %d core(s): %.0f %% of the CLI's" % (cores, 100 * ratio))
        result["spark_over_cli_%d" % cores] = round(ratio, 3)
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
