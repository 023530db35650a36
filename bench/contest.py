#!/usr/bin/env python3
"""Benchmark of the contest layer on a synthetic corpus this script writes itself.

It writes N news-like articles (JSONL; fixed seed) about the contests sway covers, about
ten coded events each, with a share of syndicated copies; ingests them with
`sway ingest -j J` and with `sway analyze -j J` (no store) to put a number on the
store's share of ingest time; then times `sway dyad`, `sway balance` and
`sway network` over the store (median of --runs runs each, wall clock, one process
per query, so process start and store open are included).

Usage: python3 bench/contest.py [--articles 2000] [--jobs 2] [--runs 3] [--keep DIR]
The issue's full size is --articles 100000 (about 1,000,000 events).
"""
import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (actor phrase, the actor's country) by contest.
SIDES = {
    "iraq": [("The United States", "USA"), ("U.S. forces", "USA"), ("Iran", "IRN"), ("Tehran", "IRN"),
             ("Iraq", "IRQ"), ("the Iraqi government", "IRQ"), ("Kata'ib Hezbollah", "IRQ"),
             ("Iran-backed militias", "IRN")],
    "ukraine": [("Russia", "RUS"), ("Russian forces", "RUS"), ("Ukraine", "UKR"), ("Kyiv", "UKR"),
                ("Ukrainian troops", "UKR"), ("NATO", "")],
    "levant": [("Israel", "ISR"), ("Israeli forces", "ISR"), ("Hezbollah", "LBN"), ("Lebanon", "LBN"),
               ("Hamas", "PSE"), ("Iran", "IRN")],
    "taiwan": [("China", "CHN"), ("Beijing", "CHN"), ("Taiwan", "TWN"), ("Taipei", "TWN"),
               ("The United States", "USA"), ("Japan", "JPN")],
}
PLACES = {"iraq": ["Baghdad", "Basra", "Erbil", "Mosul"], "ukraine": ["Kharkiv", "Odesa", "Donetsk", "Kyiv"],
          "levant": ["Beirut", "Haifa", "Gaza", "Tyre"], "taiwan": ["Taipei", "Kaohsiung", "Xiamen", "Okinawa"]}
# Sentence templates with one source and one target; all code as events in sway.
TEMPLATES = [
    "{a} attacked {b} near {p} on {d}.",
    "{a} condemned {b} on {d} after the clashes in {p}.",
    "{a} threatened {b} on {d}, officials in {p} said.",
    "{a} accused {b} of provocations in {p} on {d}.",
    "{a} met {b} in {p} on {d} to discuss the crisis.",
    "{a} praised {b} on {d} for its restraint in {p}.",
    "{a} sanctioned {b} on {d} over the attacks in {p}.",
    "{a} supported {b} in talks held in {p} on {d}.",
    "On {d}, {a} struck {b} in {p}.",
    "{a} demanded that {b} withdraw from {p} on {d}.",
]


def articles(n, seed=7, copies=0.1):
    """Yield n article dicts (id, title, text, published), deterministic for a seed.
    About `copies` of them are syndicated copies of an earlier one."""
    rng = random.Random(seed)
    start = datetime.date(2015, 1, 1)
    written = []
    for i in range(n):
        if written and rng.random() < copies:
            src = written[rng.randrange(len(written))]
            yield {"id": "syn-%d" % i, "title": src["title"], "published": src["published"],
                   "text": src["text"] + "\n\nThis story was distributed by a wire service."}
            continue
        contest = rng.choice(sorted(SIDES))
        day = start + datetime.timedelta(days=rng.randrange(3650))
        sentences = []
        for _ in range(10):
            (a, _), (b, _) = rng.sample(SIDES[contest], 2)
            d = day - datetime.timedelta(days=rng.randrange(3))
            sentences.append(rng.choice(TEMPLATES).format(
                a=a, b=b, p=rng.choice(PLACES[contest]), d="%s %d, %d" % (d.strftime("%B"), d.day, d.year)))
        sentences = [s[0].upper() + s[1:] for s in sentences]
        art = {"id": "art-%d" % i, "title": "%s: tensions rise around %s" % (contest.title(), rng.choice(PLACES[contest])),
               "published": day.isoformat(),
               "text": " ".join(sentences[:5]) + "\n\n" + " ".join(sentences[5:])}
        written.append(art)
        yield art


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - t, p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", help="write the corpus and store here and keep them")
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results", "contest-latest.json"))
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="sway-contest-")
    os.makedirs(work, exist_ok=True)
    corpus = os.path.join(work, "corpus.jsonl")
    with open(corpus, "w", encoding="utf-8") as f:
        for art in articles(a.articles):
            f.write(json.dumps(art) + "\n")
    db = os.path.join(work, "contest.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    t_ingest, p = timed([a.sway, "ingest", corpus, "--db", db, "-j", str(a.jobs), "-q"])
    if p.returncode not in (0, 1):
        sys.exit("sway ingest failed: %s" % p.stderr[-2000:])
    t_analyze, p2 = timed([a.sway, "analyze", corpus, "-j", str(a.jobs)])
    events = int(subprocess.run(["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from events').fetchone()[0])", db],
                                capture_output=True, text=True).stdout.strip() or 0)
    queries = {
        "dyad USA IRN": [a.sway, "dyad", "USA", "IRN", "--db", db, "-f", "json"],
        "balance IRQ --powers USA,IRN": [a.sway, "balance", "IRQ", "--powers", "USA,IRN", "--db", db, "-f", "json"],
        "network": [a.sway, "network", "--db", db, "-f", "json"],
        "events --actor IRN --limit 100": [a.sway, "events", "--actor", "IRN", "--limit", "100", "--db", db],
    }
    latency = {}
    for name, cmd in queries.items():
        times = []
        for _ in range(a.runs):
            t, q = timed(cmd)
            if q.returncode != 0:
                sys.exit("%s failed: %s" % (name, q.stderr[-1000:]))
            times.append(t)
        latency[name] = statistics.median(times)
    store_share = max(0.0, 1.0 - t_analyze / t_ingest) if t_ingest else 0.0
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": "python3 bench/contest.py --articles %d --jobs %d --runs %d" % (a.articles, a.jobs, a.runs),
        "articles": a.articles, "events": events, "jobs": a.jobs,
        "ingest_seconds": round(t_ingest, 2), "analyze_seconds": round(t_analyze, 2),
        "ingest_docs_per_second": round(a.articles / t_ingest, 1),
        "ingest_events_per_second": round(events / t_ingest, 1),
        "store_share_of_ingest": round(store_share, 3),
        "query_median_seconds": {k: round(v, 3) for k, v in latency.items()},
    }
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump(result, f, indent=2)
    print("synthetic corpus: %d articles, %d events stored (%s)" % (a.articles, events, work))
    print("| measure | value |\n|---|---:|")
    print("| ingest, %d jobs | %.1f s (%.0f docs/s, %.0f events/s) |" % (
        a.jobs, t_ingest, result["ingest_docs_per_second"], result["ingest_events_per_second"]))
    print("| analyze without the store | %.1f s |" % t_analyze)
    print("| store's share of ingest time | %.1f %% |" % (100 * store_share))
    for k, v in latency.items():
        print("| `sway %s`, median of %d | %.0f ms |" % (k, a.runs, 1000 * v))
    print("wrote %s" % a.json)
    if not a.keep:
        for fn in os.listdir(work):
            os.remove(os.path.join(work, fn))
        os.rmdir(work)


if __name__ == "__main__":
    main()
