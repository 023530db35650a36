"""sway on Apache Spark: documents in, events, actors, judgments and documents out as
Parquet partitioned by month, each row what `sway analyze` gives for its document.

    python -m sway.spark INPUT OUTPUT [--format jsonl|parquet] [--master URL]
                         [--partitions N] [--jobs-per-task 1]

INPUT is a file or directory of JSONL documents (one `{"id", "title", "text",
"published", "url"}` object per line, as `sway analyze` reads them) or of Parquet
files with those columns. OUTPUT gets `documents/`, `events/`, `actors/` and
`judgments/` (Parquet, `month=YYYY-MM` partitions; see `sway.tables` for the columns)
and `errors/` (JSON lines naming each document that could not be analyzed, with
why). The pipeline runs on the executors through `mapInArrow`, one model load per
Python worker; each executor needs this package installed (`pip install ./python`).
See docs/spark.md for running it on a cluster.
"""

from __future__ import annotations

import argparse
import sys
from typing import Iterator

import pyarrow as pa

from sway import tables

ANALYZED = ("name string, doc_id string, input_id string, record string, text string, error string, "
            "events_json string, actors_json string, judgments_json string, meta_json string")
# Spark SQL types of the Arrow types tables.py uses.
_SQL = {pa.string(): "string", pa.int32(): "int", pa.int64(): "bigint", pa.float64(): "double",
        pa.bool_(): "boolean", pa.date32(): "date"}


def ddl(schema: pa.Schema) -> str:
    """A Spark DDL schema string for an Arrow schema of the types tables.py uses."""
    return ", ".join("`%s` %s" % (f.name, _SQL[f.type]) for f in schema)


def _analyze(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    import sway

    for b in batches:
        names = b.column("name") if "name" in b.schema.names else None
        out = sway.analyze_batch(b, name_column="name" if names is not None else None)
        cols = [names if names is not None else pa.nulls(b.num_rows, pa.string())] + out.columns
        yield pa.RecordBatch.from_arrays(cols, names=["name"] + out.schema.names)


def _flattener(table: str):
    def flatten(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            yield tables.batch_from_analyzed(table, b)

    return flatten


def _name(F):
    # The file a row came from, as a path (Spark gives a file:// URL).
    return F.regexp_replace(F.input_file_name(), "^file://", "")


def read_documents(spark, path: str, fmt: str):
    """The documents at `path` as a DataFrame with a `name` column and either a
    `line` column (JSONL) or the document columns (Parquet)."""
    from pyspark.sql import functions as F

    if fmt == "jsonl":
        df = spark.read.text(path).withColumnRenamed("value", "line")
        df = df.where(F.length(F.trim(F.col("line"))) > 0)
        return df.withColumn("name", _name(F))
    if fmt == "parquet":
        df = spark.read.parquet(path)
        if "text" not in df.columns:
            raise SystemExit("%s: Parquet documents need a `text` column; found %s" % (path, df.columns))
        cols = [F.col(c).cast("string").alias(c) for c in ("id", "title", "text", "published", "url")
                if c in df.columns]
        return df.select(*cols).withColumn("name", _name(F))
    raise SystemExit("unknown --format %r (jsonl or parquet)" % fmt)


def run(spark, path: str, output: str, fmt: str = "jsonl", partitions: int = 0) -> dict:
    """Analyze the documents at `path` and write the tables under `output`; returns
    the numbers of documents analyzed and failed."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    # Spark's default INT96 timestamps come back into other readers without a zone.
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    docs = read_documents(spark, path, fmt)
    if partitions:
        docs = docs.repartition(partitions)
    analyzed = docs.mapInArrow(_analyze, ANALYZED).persist(StorageLevel.MEMORY_AND_DISK)
    counts = {"failed": analyzed.where(F.col("record").isNull()).count()}
    analyzed.where(F.col("record").isNull()).select("name", "error").write.mode("overwrite").json(output + "/errors")
    ok = analyzed.where(F.col("record").isNotNull())
    counts["analyzed"] = ok.count()
    for table, schema in tables.TABLES.items():
        # Each table reads only its part of the records (`events_json`, ...).
        need = ["doc_id", "input_id", "meta_json"] + (
            ["record", "text"] if table == "documents" else ["%s_json" % table])
        df = ok.select(*need).mapInArrow(_flattener(table), ddl(schema))
        df.write.mode("overwrite").partitionBy("month").parquet("%s/%s" % (output, table))
    analyzed.unpersist()
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sway.spark", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--format", default="jsonl", choices=["jsonl", "parquet"])
    ap.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's, else local[*])")
    ap.add_argument("--partitions", type=int, default=0, help="repartition the documents into N tasks")
    a = ap.parse_args(argv)
    import os

    from pyspark.sql import SparkSession

    # Python workers run this interpreter (the one with sway installed) unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    b = SparkSession.builder.appName("sway")
    if a.master:
        b = b.master(a.master)
    spark = b.getOrCreate()
    try:
        counts = run(spark, a.input, a.output, a.format, a.partitions)
    finally:
        spark.stop()
    print(" ".join("%s=%d" % kv for kv in counts.items()))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
