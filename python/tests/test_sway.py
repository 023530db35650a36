"""The Python package against the command line: the same documents give the same
records (python -m unittest discover -s python/tests, after `pip install ./python`).

SWAY_BIN names the command-line binary (default: target/debug/sway of this checkout).
The Spark test starts a standalone master and one worker on loopback; it is skipped
with its reason where Java or pyspark is missing.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SWAY_BIN = os.environ.get("SWAY_BIN", os.path.join(ROOT, "target", "debug", "sway"))
CORPUS = os.path.join(ROOT, "examples", "contest.jsonl")

try:
    import sway
    import sway.tables
except ImportError as e:  # pragma: no cover - the package is not installed
    sway = None
    WHY = "the sway Python package is not installed (pip install ./python): %s" % e


def cli_records(path):
    """`sway analyze PATH -f jsonl`, one record per document, by doc_id."""
    p = subprocess.run([SWAY_BIN, "analyze", path, "-f", "jsonl"], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise AssertionError("sway analyze failed: %s" % p.stderr[-2000:])
    return {r["doc_id"]: r for r in map(json.loads, p.stdout.splitlines())}


def without_source(r):
    r = dict(r)
    r.pop("source", None)
    return r


@unittest.skipIf(sway is None, WHY if sway is None else "")
@unittest.skipUnless(os.path.exists(SWAY_BIN), "no sway binary at %s (build it, or set SWAY_BIN)" % SWAY_BIN)
class SameAsTheCommandLine(unittest.TestCase):
    def test_analyze_and_batches_give_the_cli_records(self):
        cli = cli_records(CORPUS)
        with open(CORPUS, encoding="utf-8") as f:
            lines = [l for l in f if l.strip()]
        for line in lines[:3]:
            d = json.loads(line)
            rec = sway.analyze(d["text"], published=d.get("published"), url=d.get("url"), id=d.get("id"),
                               title=d.get("title"))
            self.assertEqual(without_source(rec), without_source(cli[rec["doc_id"]]))
        import pyarrow as pa

        out = sway.analyze_batch(pa.RecordBatch.from_pydict({"line": lines + ["{}", "not json"]}), jobs=2)
        self.assertEqual(out.num_rows, len(lines) + 2)
        got = out.to_pylist()
        for row in got[: len(lines)]:
            self.assertIsNone(row["error"])
            self.assertEqual(without_source(json.loads(row["record"])), without_source(cli[row["doc_id"]]))
        # Bad documents fail alone, each with its reason.
        self.assertTrue(all(r["record"] is None and r["error"] for r in got[len(lines):]), got[len(lines):])
        with self.assertRaises(sway.SwayError):
            sway.analyze("   ")

    def test_tables_flatten_every_event_actor_and_judgment(self):
        cli = cli_records(CORPUS)
        records = [json.dumps(r) for r in cli.values()]
        events = sway.tables.rows("events", records)
        self.assertEqual(len(events), sum(len(r["events"]) for r in cli.values()))
        for row in events:
            e = json.loads(row["record"])
            self.assertEqual(row["event_id"], e["id"])
            self.assertEqual(row["month"], (e.get("date") or {}).get("start", "")[:7] or row["published"][:7])
        b = sway.tables.batch("actors", records)
        self.assertEqual(b.num_rows, sum(len(r["actors"]) for r in cli.values()))
        self.assertEqual(b.schema, sway.tables.ACTORS)
        # From an analyzed batch (each table parsing only its part), the same rows.
        import pyarrow as pa

        with open(CORPUS, encoding="utf-8") as f:
            analyzed = sway.analyze_batch(pa.RecordBatch.from_pydict({"line": [l for l in f if l.strip()]}))
        for table in sway.tables.TABLES:
            fast = sway.tables.batch_from_analyzed(table, analyzed).to_pylist()
            slow = sway.tables.batch(table, analyzed.column("record").to_pylist(),
                                     analyzed.column("text").to_pylist()).to_pylist()
            self.assertEqual(fast, slow, table)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_missing():
    if sway is None:
        return WHY
    if not os.path.exists(SWAY_BIN):
        return "no sway binary at %s" % SWAY_BIN
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs Java 17)"
    try:
        import pandas  # noqa: F401  (mapInArrow needs it)
        import pyspark  # noqa: F401
    except ImportError as e:
        return "pyspark is not installed (pip install './python[spark]'): %s" % e
    return None


@unittest.skipIf(spark_missing() is not None, spark_missing() or "")
class OnASparkCluster(unittest.TestCase):
    """A standalone master and one worker on loopback, the job on the example corpus,
    and its tables compared with what `sway analyze` gives."""

    @classmethod
    def setUpClass(cls):
        import pyspark

        cls.home = os.path.dirname(pyspark.__file__)
        cls.tmp = tempfile.mkdtemp(prefix="sway-spark-")
        # The executors' Python workers run this interpreter, which has sway installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        env = dict(os.environ, SPARK_HOME=cls.home, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable,
                   SPARK_LOG_DIR=cls.tmp, SPARK_WORKER_DIR=os.path.join(cls.tmp, "work"))
        cls.env = env
        port, ui, wui = free_port(), free_port(), free_port()
        cls.master_url = "spark://127.0.0.1:%d" % port
        spark_class = os.path.join(cls.home, "bin", "spark-class")
        cls.log = log = open(os.path.join(cls.tmp, "cluster.log"), "w")
        cls.procs = [subprocess.Popen(
            [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
             "--webui-port", str(ui)], env=env, stdout=log, stderr=subprocess.STDOUT)]
        cls.procs.append(subprocess.Popen(
            [spark_class, "org.apache.spark.deploy.worker.Worker", cls.master_url, "--host", "127.0.0.1",
             "--cores", "1", "--memory", "1g", "--webui-port", str(wui)], env=env, stdout=log,
            stderr=subprocess.STDOUT))
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/json/" % ui, timeout=2) as r:
                    if json.load(r).get("aliveworkers", 0) >= 1:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                cls.tearDownClass()
                raise AssertionError("the Spark cluster did not start; see %s" % log.name)
            time.sleep(1)

    @classmethod
    def tearDownClass(cls):
        for p in reversed(cls.procs):
            p.terminate()
        for p in cls.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        cls.log.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_job_writes_what_the_cli_gives(self):
        import pyarrow.parquet as pq
        from pyspark.sql import SparkSession

        import sway.spark

        spark = (SparkSession.builder.master(self.master_url).appName("sway-test")
                 .config("spark.executor.memory", "1g").config("spark.executor.cores", "1")
                 .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate())
        out = os.path.join(self.tmp, "out")
        try:
            counts = sway.spark.run(spark, CORPUS, out, partitions=2)
        finally:
            spark.stop()
        cli = cli_records(CORPUS)
        self.assertEqual((counts["analyzed"], counts["failed"]), (len(cli), 0))
        docs = {r["doc_id"]: json.loads(r["record"]) for r in pq.read_table(out + "/documents").to_pylist()}
        self.assertEqual({k: without_source(v) for k, v in docs.items()},
                         {k: without_source(v) for k, v in cli.items()})
        events = pq.read_table(out + "/events").to_pylist()
        want = {e["id"]: e for r in cli.values() for e in r["events"]}
        self.assertEqual({r["event_id"]: json.loads(r["record"]) for r in events}, want)
        self.assertTrue(all(r["month"] for r in events))
        # Partitioned by month, with the partition directories Spark writes.
        self.assertTrue(any(d.startswith("month=") for d in os.listdir(out + "/events")))
        n_actors = sum(len(r["actors"]) for r in cli.values())
        self.assertEqual(pq.read_table(out + "/actors").num_rows, n_actors)
        n_judgments = sum(len(r["judgments"]) for r in cli.values())
        self.assertEqual(pq.read_table(out + "/judgments").num_rows, n_judgments)
        # Loaded into a store, the job's output is what `sway ingest` stores.
        stores = []
        for args in (["--events", out], [CORPUS]):
            db = os.path.join(self.tmp, "store-%d.db" % len(stores))
            p = subprocess.run([SWAY_BIN, "ingest", "-q", "--db", db] + args, capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            q = subprocess.run([SWAY_BIN, "events", "--db", db, "-f", "jsonl"], capture_output=True, text=True)
            self.assertEqual(q.returncode, 0, q.stderr)
            stores.append(q.stdout)
        self.assertTrue(stores[0].strip())
        self.assertEqual(stores[0], stores[1])

    def test_parquet_documents_and_a_bad_one(self):
        import pyarrow as pa
        import pyarrow.parquet as pq
        from pyspark.sql import SparkSession

        import sway.spark

        with open(CORPUS, encoding="utf-8") as f:
            docs = [json.loads(l) for l in f if l.strip()]
        cols = {c: [d.get(c) for d in docs] + [None] for c in ("id", "title", "text", "published", "url")}
        cols["id"][-1] = "empty"
        src = os.path.join(self.tmp, "docs-parquet")
        os.makedirs(src)
        pq.write_table(pa.table(cols), os.path.join(src, "part-0.parquet"))
        spark = (SparkSession.builder.master(self.master_url).appName("sway-test-parquet")
                 .config("spark.executor.memory", "1g").config("spark.executor.cores", "1")
                 .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate())
        out = os.path.join(self.tmp, "out-parquet")
        try:
            counts = sway.spark.run(spark, src, out, fmt="parquet")
        finally:
            spark.stop()
        self.assertEqual(counts, {"failed": 1, "analyzed": len(docs)})
        errors = []
        for fn in os.listdir(out + "/errors"):
            if fn.endswith(".json"):
                with open(os.path.join(out + "/errors", fn), encoding="utf-8") as f:
                    errors.extend(json.loads(l) for l in f if l.strip())
        self.assertEqual(len(errors), 1)
        self.assertIn("part-0.parquet", errors[0]["name"])
        self.assertIn("text", errors[0]["error"])
        # Parquet documents give the events JSONL gives.
        want = {e["id"]: e for r in cli_records(CORPUS).values() for e in r["events"]}
        got = {r["event_id"]: json.loads(r["record"]) for r in pq.read_table(out + "/events").to_pylist()}
        self.assertEqual(got, want)


if __name__ == "__main__":
    unittest.main()
