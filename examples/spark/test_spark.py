"""The Spark recipe in PySpark's local mode against the CLI: a few thousand generated
documents (the built-in sample's stories, scripts/gen-corpus) as Parquet, and the WARC
fixture, coded by annalist_spark on local[2]; the events read back (DuckDB, else
pyarrow) equal the CLI's records, record for record. Needs pyspark and Java
(scripts/install-spark, which .ci/run calls); the CLI binary as python/tests finds it."""
import json
import os
import pathlib
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import annalist

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
WARC = ROOT / "crates" / "annalist-feeds" / "tests" / "fixtures" / "news.warc.gz"
N_DOCS = 3000

sys.path.insert(0, str(HERE))
import annalist_spark  # noqa: E402


def cli_path() -> str:
    env = os.environ.get("ANNALIST_BIN")
    if env:
        return env
    built = [ROOT / "target" / p / "annalist" for p in ("release", "debug")]
    built = [p for p in built if p.exists()]
    if not built:
        pytest.fail("no annalist binary: build it (cargo build) or set ANNALIST_BIN")
    return str(max(built, key=lambda p: p.stat().st_mtime))


def cli_records(path: pathlib.Path) -> list:
    out = subprocess.run([cli_path(), "code", "--json", str(path)], capture_output=True, timeout=900)
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


@pytest.fixture(scope="module")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        if os.environ.get("ANNALIST_REQUIRE_TOOLS"):  # CI: a missing tool fails
            raise
        pytest.skip("pyspark is not installed (scripts/install-spark)")

    # The Python workers run this interpreter (where annalist is installed).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("annalist-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    s.sparkContext.addPyFile(str(HERE / "annalist_spark.py"))
    yield s
    s.stop()


def expected(records: list, doc_dates: dict) -> list:
    """The CLI's records as the rows the recipe writes (without event_id)."""
    table = annalist.records_to_arrow(records, [doc_dates.get(r["doc_id"]) for r in records])
    rows = table.drop_columns(["event_id"]).to_pylist()
    for row in rows:
        row["month"] = row["date"].strftime("%Y-%m") if row["date"] else "undated"
    return rows


def written(table: pa.Table) -> list:
    """The recipe's rows in the CLI's order: by document, then record (event_id grows
    with the record's place in its batch)."""
    rows = sorted(table.to_pylist(), key=lambda r: (r["doc_id"], r["event_id"]))
    for r in rows:
        del r["event_id"]
    return rows


def test_documents_from_parquet(spark, tmp_path):
    corpus = tmp_path / "docs.jsonl"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen-corpus"), str(N_DOCS), str(corpus)], check=True)
    docs = [json.loads(line) for line in corpus.read_text().splitlines()]
    assert len(docs) == N_DOCS
    pq.write_table(pa.Table.from_pylist(docs), tmp_path / "docs.parquet")
    out = tmp_path / "events"
    annalist_spark.code_documents(spark, str(tmp_path / "docs.parquet"), str(out), partitions=4)
    months = {p.name for p in out.iterdir() if p.is_dir()}
    assert len(months) > 10 and all(m.startswith("month=") for m in months)
    got = annalist_spark.read_events(str(out))
    cli = cli_records(corpus)
    assert len(cli) > N_DOCS // 2
    assert got.num_rows == len(cli)
    # Every column as the CLI's records give it, and the event ids unique.
    assert len(set(got["event_id"].to_pylist())) == got.num_rows
    want = expected(sorted(cli, key=lambda r: r["doc_id"]), {d["id"]: d.get("date") for d in docs})
    have = written(got)
    assert [r["doc_id"] for r in have] == [r["doc_id"] for r in want]
    for h, w, r in zip(have, want, sorted(cli, key=lambda r: r["doc_id"])):
        assert h == w
        assert (h["source_code"], h["event_type"], h["cameo"], h["sentence"]) == (
            r["source"]["code"], r["event_type"], r["cameo"], r["sentence"])


def test_warc_paths(spark, tmp_path):
    out = tmp_path / "warc-events"
    annalist_spark.code_warc(spark, [str(WARC)], str(out))
    got = annalist_spark.read_events(str(out))
    cli = cli_records(WARC)
    assert got.num_rows == len(cli) > 0
    assert sorted(got["doc_id"].to_pylist()) == sorted(r["doc_id"] for r in cli)
    # The pages' dates: their own, else the crawl's (WARC-Date), as the CLI dates them.
    by_doc = {(r["doc_id"], r["event_type"], r["sentence"]): r["date"] for r in cli}
    for row in got.to_pylist():
        assert row["date"].isoformat() == by_doc[(row["doc_id"], row["event_type"], row["sentence"])]
