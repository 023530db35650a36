#!/usr/bin/env python3
"""Benchmark of the contest layer on a synthetic corpus this script writes itself.

It writes N news-like articles (JSONL; fixed seed) about the contests sway covers, about
ten coded events each, with a share of syndicated copies; ingests them with
`sway ingest -j J`; puts a number on the store's share of ingest time (a sample
ingested and analyzed without the store); then times `sway dyad`, `sway balance` and
`sway network` over the store (median of --runs runs each, wall clock, one process
per query, so process start and store open are included).

Usage: python3 bench/contest.py [--articles 2000] [--jobs 2] [--runs 3] [--share-sample 5000]
                                [--db STORE] [--keep DIR]
The issue's full size is --articles 100000 (about 1,000,000 events); the store's
share of ingest time is measured on a --share-sample of articles, ingested and
analyzed --runs times each. --db times the queries on a store built before.
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


def count_events(db):
    import sqlite3
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return c.execute("select count(*) from events").fetchone()[0]
    finally:
        c.close()


def fresh(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--share-sample", type=int, default=5000,
                    help="articles ingested and analyzed (no store) --runs times each for the store's share")
    ap.add_argument("--db", help="time the queries on this existing store instead of ingesting --articles")
    ap.add_argument("--keep", help="write the corpus and store here and keep them")
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results", "contest-latest.json"))
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="sway-contest-")
    os.makedirs(work, exist_ok=True)
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "command": "python3 bench/contest.py " + " ".join(sys.argv[1:])}
    print("| measure | value |\n|---|---:|")

    # The store's share of ingest: the same sample ingested and analyzed (no store),
    # alternating, --runs times; medians.
    sample = os.path.join(work, "sample.jsonl")
    n_sample = min(a.share_sample, a.articles)
    with open(sample, "w", encoding="utf-8") as f:
        for art in articles(n_sample, seed=11):
            f.write(json.dumps(art) + "\n")
    t_in, t_an = [], []
    sdb = os.path.join(work, "sample.db")
    for _ in range(a.runs):
        fresh(sdb)
        t, p = timed([a.sway, "ingest", sample, "--db", sdb, "-j", str(a.jobs), "-q"])
        if p.returncode not in (0, 1):
            sys.exit("sway ingest failed: %s" % p.stderr[-2000:])
        t_in.append(t)
        t, p = timed([a.sway, "analyze", sample, "-j", str(a.jobs)])
        t_an.append(t)
    ti, ta = statistics.median(t_in), statistics.median(t_an)
    share = max(0.0, 1.0 - ta / ti)
    result.update({"share_sample_articles": n_sample, "sample_ingest_seconds": round(ti, 2),
                   "sample_analyze_seconds": round(ta, 2), "store_share_of_ingest": round(share, 3)})
    print("| %d articles: ingest / analyze without the store, median of %d | %.1f s / %.1f s |" % (n_sample, a.runs, ti, ta))
    print("| store's share of ingest time | %.1f %% |" % (100 * share))
    fresh(sdb)

    if a.db:
        db = a.db
        events = count_events(db)
    else:
        corpus = os.path.join(work, "corpus.jsonl")
        with open(corpus, "w", encoding="utf-8") as f:
            for art in articles(a.articles):
                f.write(json.dumps(art) + "\n")
        db = os.path.join(work, "contest.db")
        fresh(db)
        t_ingest, p = timed([a.sway, "ingest", corpus, "--db", db, "-j", str(a.jobs), "-q"])
        if p.returncode not in (0, 1):
            sys.exit("sway ingest failed: %s" % p.stderr[-2000:])
        events = count_events(db)
        result.update({"articles": a.articles, "ingest_seconds": round(t_ingest, 2),
                       "ingest_docs_per_second": round(a.articles / t_ingest, 1),
                       "ingest_events_per_second": round(events / t_ingest, 1)})
        print("| ingest of %d articles, %d jobs (once) | %.1f s (%.0f docs/s, %.0f events/s) |" % (
            a.articles, a.jobs, t_ingest, a.articles / t_ingest, events / t_ingest))
    result.update({"events": events, "jobs": a.jobs})
    queries = {
        "dyad USA IRN": [a.sway, "dyad", "USA", "IRN", "--db", db, "-f", "json"],
        "balance IRQ --powers USA,IRN": [a.sway, "balance", "IRQ", "--powers", "USA,IRN", "--db", db, "-f", "json"],
        "network": [a.sway, "network", "--db", db, "-f", "json"],
        "events --actor IRN --limit 100": [a.sway, "events", "--actor", "IRN", "--limit", "100", "--db", db],
    }
    # The first open of an older store migrates it: do that outside the timings.
    subprocess.run(queries["dyad USA IRN"], capture_output=True)
    latency = {}
    for name, cmd in queries.items():
        times = []
        for _ in range(a.runs):
            t, q = timed(cmd)
            if q.returncode != 0:
                sys.exit("%s failed: %s" % (name, q.stderr[-1000:]))
            times.append(t)
        latency[name] = statistics.median(times)
        print("| `sway %s` on %d events, median of %d | %.0f ms |" % (name, events, a.runs, 1000 * latency[name]))
    result["query_median_seconds"] = {k: round(v, 3) for k, v in latency.items()}
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump(result, f, indent=2)
    print("wrote %s" % a.json)
    if not a.keep:
        for fn in os.listdir(work):
            os.remove(os.path.join(work, fn))
        os.rmdir(work)


if __name__ == "__main__":
    main()
