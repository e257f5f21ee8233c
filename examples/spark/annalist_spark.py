"""Coding a corpus on Spark with the annalist Python package.

Documents in -- a Parquet dataset with the JSON Lines fields (``id``, ``text`` and
optionally ``date``, ``title``, ``url``, ``source``), or a list of WARC files (CC-NEWS) --
are coded inside ``mapInArrow``, one Arrow batch at a time, on every executor core;
events out -- Parquet partitioned by the month of the event date
(``OUT/month=YYYY-MM/part-*.parquet``, undated events in ``month=undated``), with the
columns of ``annalist export --format parquet`` followed by ``doc_id`` and
``sentence`` (see ``annalist.records_to_arrow``: each row is one record, a one-mention
event).

    spark-submit examples/spark/annalist_spark.py --docs docs.parquet --out events/
    spark-submit examples/spark/annalist_spark.py --warc crawl/*.warc.gz --out events/

Every executor needs the package (``pip install ./python``, or a wheel shipped with
``--py-files``/an environment archive) and, for WARC input, the files at the same path
(a shared file system). Reading back: ``read_events`` (DuckDB when installed, else
pyarrow).
"""
from __future__ import annotations

import argparse
import pathlib
from typing import Iterator, Optional

import pyarrow as pa

import annalist

# Event ids: the Spark partition in the high bits, the record's place in it below, so
# ids are unique over the whole output.
_PARTITION_SHIFT = 40


def spark_schema():
    """The output's Spark schema: the export's columns, ``doc_id``, ``sentence`` and
    the partition column ``month``."""
    from pyspark.sql import types as T

    spark_type = {
        "int64": T.LongType(),
        "int32": T.IntegerType(),
        "float64": T.DoubleType(),
        "string": T.StringType(),
        "date32": T.DateType(),
        "timestamp[us]": T.TimestampNTZType(),
    }
    fields = [
        T.StructField(name, spark_type[t], nullable)
        for name, t, nullable in annalist.EXPORT_COLUMNS + annalist.RECORD_COLUMNS
    ]
    return T.StructType(fields + [T.StructField("month", T.StringType(), False)])


def _with_month(table: pa.Table, first_id: int) -> pa.Table:
    """Renumbers ``event_id`` from ``first_id`` and adds ``month`` (``YYYY-MM`` of the
    event date, ``undated`` without one)."""
    n = table.num_rows
    table = table.set_column(0, "event_id", pa.array(range(first_id, first_id + n), pa.int64()))
    months = [d.strftime("%Y-%m") if d is not None else "undated" for d in table["date"].to_pylist()]
    return table.append_column("month", pa.array(months, pa.string()))


def _partition_base() -> int:
    from pyspark import TaskContext

    ctx = TaskContext.get()
    return (ctx.partitionId() if ctx is not None else 0) << _PARTITION_SHIFT


def code_document_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` function over batches of documents (the JSON Lines fields)."""
    next_id = _partition_base()
    for batch in batches:
        docs = [{k: v for k, v in d.items() if v is not None} for d in batch.to_pylist()]
        for d in docs:
            if hasattr(d.get("date"), "isoformat"):
                d["date"] = d["date"].isoformat()[:10]
        table = annalist.code_arrow(docs, threads=1, errors="warn")
        table = _with_month(table, next_id)
        next_id += table.num_rows
        yield from table.to_batches()


def code_path_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` function over batches of file paths (column ``path``): WARC
    files, or any input the CLI reads. Skipped records (404s, images) are warnings in
    the executor's log."""
    next_id = _partition_base()
    for batch in batches:
        paths = [pathlib.Path(p) for p in batch.column("path").to_pylist()]
        table = annalist.code_arrow(paths, threads=1, errors="warn")
        table = _with_month(table, next_id)
        next_id += table.num_rows
        yield from table.to_batches()


def code_documents(spark, docs_parquet: str, out: str, partitions: Optional[int] = None) -> None:
    """Codes the documents of a Parquet dataset into ``out``."""
    df = spark.read.parquet(docs_parquet)
    if partitions:
        df = df.repartition(partitions)
    events = df.mapInArrow(code_document_batches, spark_schema())
    events.write.mode("overwrite").partitionBy("month").parquet(out)


def code_warc(spark, paths: list[str], out: str) -> None:
    """Codes WARC files (one Spark task per file) into ``out``."""
    df = spark.createDataFrame([(p,) for p in paths], "path string").repartition(max(1, len(paths)))
    events = df.mapInArrow(code_path_batches, spark_schema())
    events.write.mode("overwrite").partitionBy("month").parquet(out)


def read_events(out: str) -> pa.Table:
    """The events written to ``out`` as one Arrow table (with ``month``), read by DuckDB
    when it is installed, else by pyarrow."""
    try:
        import duckdb
    except ImportError:
        import pyarrow.dataset as ds

        return ds.dataset(out, format="parquet", partitioning="hive").to_table()
    files = f"{out}/**/*.parquet".replace("'", "''")
    rel = duckdb.connect().sql(f"SELECT * FROM read_parquet('{files}', hive_partitioning = true)")
    # DuckDB 2 names it to_arrow_table; 1.x arrow.
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
    return fetch()


def main() -> None:
    from pyspark.sql import SparkSession

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--docs", help="a Parquet dataset of documents")
    src.add_argument("--warc", nargs="+", help="WARC files (.warc, .warc.gz)")
    p.add_argument("--out", required=True, help="output directory (Parquet, by month)")
    p.add_argument("--partitions", type=int, help="repartition the documents first")
    a = p.parse_args()
    spark = SparkSession.builder.appName("annalist").getOrCreate()
    if a.docs:
        code_documents(spark, a.docs, a.out, a.partitions)
    else:
        code_warc(spark, [str(pathlib.Path(w).resolve()) for w in a.warc], a.out)
    spark.stop()


if __name__ == "__main__":
    main()
