#!/usr/bin/env python3
"""Load test of `sway serve` on loopback, and the page's first render.

Starts `sway serve --db STORE --no-warm` on a free loopback port, then for each main
endpoint records the first (uncached) request's latency and runs wrk (Debian's package) with
--connections concurrent connections for --duration seconds, --runs times:
requests per second and p50/p99 latency, medians over the runs. With Chromium and
web/node_modules present, also times the page's first render (navigation to the
moment every view has drawn) on a freshly started server (which warms the page's
default views as it starts, as `sway serve` does by default), once right away and
once a few seconds later.

Usage: python3 bench/serve.py --db STORE [--sway target/release/sway] [--runs 3]
                              [--duration 10] [--connections 50] [--threads 2]
Build the store with `python3 bench/contest.py --articles 100000 --keep DIR`.
Results go to bench/results/serve-latest.json.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_wrk(out):
    """Requests per second and latency percentiles (ms) from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {}
    for p, v, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        pct[int(p)] = float(v) * scale
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": pct.get(50),
        "p99_ms": pct.get(99),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
    }


def start(sway, db, warm=True):
    extra = [] if warm else ["--no-warm"]
    proc = subprocess.Popen([sway, "serve", "--db", db, "--addr", "127.0.0.1:0", *extra],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    line = proc.stderr.readline()
    m = re.search(r"listening on (http://[^/\s]+/)", line)
    if not m:
        proc.kill()
        sys.exit(f"sway serve did not start: {line}{proc.stderr.read()}")
    return proc, m.group(1)


def get(url):
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
    return (time.perf_counter() - t) * 1000, json.loads(body)


def first_render(base):
    """Milliseconds from navigation to every view drawn, per web/e2e/render.mjs."""
    script = os.path.join(ROOT, "web", "e2e", "render.mjs")
    if not (os.path.exists("/usr/bin/chromium") and os.path.isdir(os.path.join(ROOT, "web", "node_modules"))):
        return None
    out = subprocess.run(["node", script, base], capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        return None
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "serve-latest.json"))
    a = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found (apt-get install wrk)")

    # The page's first render on a server just started, as a visitor would meet it.
    proc, base = start(a.sway, a.db)
    try:
        render_at_start = first_render(base)
        time.sleep(5)
        render_after_5s = first_render(base)
    finally:
        proc.terminate()
        proc.wait()
    proc, base = start(a.sway, a.db, warm=False)
    try:
        _, health = get(base + "api/health")
        _, page = get(base + "api/events?limit=1")
        ev = page["events"][0]
        endpoints = [
            ("events (first page)", "api/events?limit=100"),
            ("events by actor", "api/events?actor=IRN&limit=100"),
            ("events by country and month", "api/events?country=IRQ&since=2020-06-01&until=2020-06-30&limit=100"),
            ("event", f"api/events/{ev['id']}"),
            ("document", f"api/documents/{ev['doc_id']}"),
            ("timeline", "api/timeline?by=month"),
            ("dyad", "api/dyad?a=USA&b=IRN&by=month"),
            ("balance", "api/balance?arena=IRQ&powers=USA,IRN"),
            ("network", "api/network"),
            ("map", "api/map"),
            ("judgments", "api/judgments?limit=100"),
        ]
        results = []
        for name, path in endpoints:
            first_ms, _ = get(base + path)
            runs = []
            for _ in range(a.runs):
                out = subprocess.run(
                    ["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", f"{a.duration}s", "--latency",
                     "--timeout", "10s", base + path],
                    capture_output=True, text=True, check=True).stdout
                runs.append(parse_wrk(out))
            row = {
                "endpoint": name,
                "path": "/" + path,
                "first_request_ms": round(first_ms, 1),
                "rps": round(statistics.median(r["rps"] for r in runs)),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
                "non_2xx": sum(r["non_2xx"] for r in runs),
                "timeouts": sum(r["timeouts"] for r in runs),
                "runs": runs,
            }
            results.append(row)
            print(f"{name:30} first {row['first_request_ms']:>8} ms  {row['rps']:>7} req/s  "
                  f"p50 {row['p50_ms']:>7} ms  p99 {row['p99_ms']:>7} ms  non-2xx {row['non_2xx']}", flush=True)
    finally:
        proc.terminate()
        proc.wait()
    report = {
        "store": {"path": a.db, "documents": health["documents"], "events": health["events"]},
        "connections": a.connections, "threads": a.threads, "duration_s": a.duration, "runs": a.runs,
        "cpus": os.cpu_count(),
        "first_render_at_start": render_at_start, "first_render_after_5s": render_after_5s,
        "endpoints": results,
    }
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(report, f, indent=1)
    print(f"first render: at start {render_at_start}, 5 s later {render_after_5s}")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
