"""The Python package against the CLI: the same records, the export's Arrow columns,
errors with the CLI's messages, WARC input, the store, the GIL released while coding.

The CLI binary is $ANNALIST_BIN, else the newer of target/release/annalist and
target/debug/annalist of this repository (CI runs these tests after `cargo test
--workspace` built it)."""
import json
import os
import pathlib
import subprocess
import threading
import time
import warnings

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import annalist

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "sample.jsonl"
WARC = ROOT / "crates" / "annalist-feeds" / "tests" / "fixtures" / "news.warc.gz"


def cli_path() -> str:
    env = os.environ.get("ANNALIST_BIN")
    if env:
        return env
    built = [ROOT / "target" / profile / "annalist" for profile in ("release", "debug")]
    built = [p for p in built if p.exists()]
    if not built:
        pytest.fail("no annalist binary: build it (cargo build) or set ANNALIST_BIN")
    return str(max(built, key=lambda p: p.stat().st_mtime))  # the latest build


def cli(*args: str, stdin: bytes = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [cli_path(), *args], input=stdin, capture_output=True, timeout=600
    )


def cli_records(*args: str) -> list:
    out = cli("code", "--json", *args)
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


def test_code_equals_the_cli_on_the_sample():
    want = cli_records(str(SAMPLE))
    assert len(want) > 20
    # The sample file as a path, and its records as dicts: the CLI's records.
    assert annalist.code(SAMPLE) == want
    docs = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    assert annalist.code(docs, threads=1) == want
    assert annalist.code(docs, threads=2) == want


def test_options_mean_what_the_flags_mean():
    docs = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    assert annalist.code(docs, min_confidence=0.6) == cli_records(
        str(SAMPLE), "--min-confidence", "0.6"
    )
    undated = [{"id": d["id"], "text": d["text"]} for d in docs[:10]]
    got = annalist.code(undated, date="2024-02-03")
    p = ROOT / "target" / "py-undated.jsonl"
    p.write_text("".join(json.dumps(d) + "\n" for d in undated))
    assert got == cli_records(str(p), "--date", "2024-02-03")
    assert any(r["date"] is not None for r in got)


def test_texts_documents_and_dates():
    text = "Kenyan police arrested twelve protesters in Nairobi on Monday."
    a = annalist.code([text], date="2025-03-05")
    b = annalist.code([annalist.Document(text=text, id="0", date="2025-03-05")])
    import datetime

    c = annalist.code({"text": text, "date": datetime.date(2025, 3, 5)})
    assert a == b == c
    assert a and a[0]["doc_id"] == "0" and a[0]["date"] == "2025-03-03"


def test_code_arrow_has_the_parquet_exports_columns_and_types(tmp_path):
    db = tmp_path / "s.db"
    assert cli("ingest", "--sample", "--db", str(db)).returncode == 0
    out = tmp_path / "export"
    assert cli("export", "--db", str(db), "--format", "parquet", "--out", str(out)).returncode == 0
    part = next(out.glob("month=*/part-0.parquet"))
    export_schema = pq.read_schema(part)
    table = annalist.code_arrow(SAMPLE)
    assert isinstance(table, pa.Table)
    n = len(export_schema)
    assert table.schema.names[:n] == export_schema.names
    for f, g in zip(table.schema, export_schema):
        assert f.type == g.type, (f, g)
        assert f.nullable == g.nullable, (f, g)
    assert table.schema.names[n:] == ["doc_id", "sentence"]
    records = annalist.code(SAMPLE)
    assert table.num_rows == len(records)
    rows = table.to_pylist()
    for r, row in zip(records, rows):
        assert row["doc_id"] == r["doc_id"] and row["sentence"] == r["sentence"]
        assert row["source_code"] == r["source"]["code"]
        assert row["event_type"] == r["event_type"] and row["cameo"] == r["cameo"]
        day = r.get("date") if r.get("date") and len(r["date"]) == 10 else None
        assert (row["date"].isoformat() if row["date"] else None) == day
    # first_seen/last_seen: the document's date, as the store counts a one-mention event.
    dates = {json.loads(l)["id"]: json.loads(l).get("date") for l in SAMPLE.read_text().splitlines() if l.strip()}
    for row in rows:
        seen = row["first_seen"].date().isoformat() if row["first_seen"] else None
        assert seen == dates[row["doc_id"]] and row["last_seen"] == row["first_seen"]


def test_store_matches_the_cli(tmp_path):
    db = tmp_path / "py.db"
    store = annalist.Store(db)
    counts = store.ingest(SAMPLE)
    assert counts["added"] > 40 and counts["events"] > 20
    again = store.ingest(SAMPLE)
    assert again["unchanged"] == counts["added"] and again["added"] == 0
    events = store.events()
    cli_db = tmp_path / "cli.db"
    assert cli("ingest", "--sample", "--db", str(cli_db)).returncode == 0
    out = tmp_path / "export"
    assert cli("export", "--db", str(cli_db), "--format", "parquet", "--out", str(out)).returncode == 0
    parts = sorted(out.glob("month=*/part-0.parquet"), key=lambda p: (p.parent.name == "month=undated", p.parent.name))
    want = pa.concat_tables([pq.read_table(p) for p in parts])
    assert events.to_pylist() == want.to_pylist()
    assert events.schema == want.schema
    timeline = store.timeline()
    assert len(timeline) == events.num_rows
    cli_timeline = cli("timeline", "--db", str(cli_db), "--json")
    want_tl = [json.loads(line) for line in cli_timeline.stdout.decode().splitlines() if line.strip()]
    assert timeline == want_tl
    assert all("mention_list" not in e for e in store.timeline(mentions=False))
    rus = store.events(actor="RUS")
    assert 0 < rus.num_rows < events.num_rows
    assert all(s.startswith("RUS") or (t or "").startswith("RUS") for s, t in zip(rus["source_code"].to_pylist(), rus["target_code"].to_pylist()))
    dyads = store.dyads(by="month")
    assert dyads and all({"period", "source", "target", "events"} <= d.keys() for d in dyads)
    assert store.events(**{"from": "2100-01-01"}).num_rows == 0
    with pytest.raises(TypeError, match="unknown filter 'colour'"):
        store.events(colour="red")


def test_a_list_of_dicts_is_sent_whole_and_split_right(tmp_path):
    # Texts with brackets, commas, quotes, backslashes and newlines, and nested values:
    # the list is serialised in one call and split into documents by the native module.
    docs = [
        {"id": "n1", "date": "2024-05-01", "meta": {"tags": [{"a": "]},{"}], "n": [1, [2]]},
         "text": 'Kenyan police arrested "12" protesters, {allegedly} [sic] in Nairobi.\nThey freed two \\ later.'},
        {"id": "n2", "date": "2024-05-02", "text": "Chad sent troops to fight Boko Haram, officials said."},
        {"id": "n3", "date": "2024-05-03", "meta": [], "text": "Ghana released two fishermen as part of talks with Togo."},
    ]
    p = tmp_path / "nested.jsonl"
    p.write_text("".join(json.dumps(d) + "\n" for d in docs))
    want = cli_records(str(p))
    assert len(want) >= 3
    assert annalist.code(docs) == want
    # A value JSON cannot hold falls back to one document at a time, which names it.
    with pytest.raises(TypeError, match="document 1:"):
        annalist.code([docs[0], {"id": "x", "text": "t", "bad": object()}])


def test_bad_input_raises_with_the_clis_messages():
    bad = b'{"id": "a", "text": "Rebels attacked a convoy."}\n{"id": "b"}\n'
    out = cli("code", "--json", "-", stdin=bad)
    assert out.returncode == 1
    cli_msg = [l for l in out.stderr.decode().splitlines() if l.startswith("annalist: -:2:")][0]
    problem = cli_msg.split("annalist: -:2: ", 1)[1]
    with pytest.raises(annalist.InputError) as e:
        annalist.code([{"id": "a", "text": "Rebels attacked a convoy."}, {"id": "b"}])
    assert e.value.problems == [f"<docs>:2: {problem}"]
    assert isinstance(e.value, ValueError)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        got = annalist.code([{"id": "a", "text": "Rebels attacked a convoy."}, {"id": "b"}], errors="warn")
    assert [str(x.message) for x in w] == [f"<docs>:2: {problem}"]
    assert all(r["doc_id"] == "a" for r in got)
    with pytest.raises(ValueError, match='date "2025-13-01": expected YYYY-MM-DD'):
        annalist.code(["x"], date="2025-13-01")
    with pytest.raises(ValueError, match="expected a confidence, a number from 0 to 1"):
        annalist.code(["x"], min_confidence=2)
    with pytest.raises(TypeError, match="document 1: expected a str"):
        annalist.code(["x", 42])
    with pytest.raises(ValueError, match="errors 'loud'"):
        annalist.code(["x"], errors="loud")
    with pytest.raises(annalist.InputError, match="cannot open"):
        annalist.code(pathlib.Path("/nonexistent/news.jsonl"))
    with pytest.raises(annalist.AnnalistError, match="not a directory"):
        annalist.code(["x"], dictionaries="/nonexistent-dictionaries")
    with pytest.raises(annalist.AnnalistError):
        annalist.Store(ROOT / "Cargo.toml")


def test_warc_paths(tmp_path):
    want = cli_records(str(WARC))
    # The image, the 404 and the redirect are skipped by design, as the CLI does: no
    # warning, no error.
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        got = annalist.code(WARC, errors="warn")
    assert got == want
    assert [str(x.message) for x in w] == []
    assert {r["doc_id"] for r in got} >= {
        "https://courier.example.org/africa/nairobi-protest",
        "https://courier.example.org/europe/kharkiv-shelling",
    }
    # The undated page is dated by its fetch day, and says so.
    fetched = [r for r in got if r["doc_id"].endswith("water-accord")]
    assert fetched and all(r["document_date"]["basis"] == "fetched" for r in fetched)
    # A truncated last gzip member is a rejected record; the pages before it code.
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(WARC.read_bytes()[:-40])
    with pytest.raises(annalist.InputError) as e:
        annalist.code(cut)
    assert len(e.value.problems) == 1 and "gzip member" in e.value.problems[0]
    assert annalist.code(cut, errors="ignore") == want


def test_explain():
    text = "Russian forces shelled the Ukrainian city of Kharkiv on Tuesday."
    ex = annalist.explain(text, date="2024-05-09")
    assert ex["text"] == text
    tokens = ex["sentences"][0]["tokens"]
    assert [t["text"] for t in tokens][:3] == ["Russian", "forces", "shelled"]
    shelled = tokens[2]
    assert shelled["lemma"] == "shell" and shelled["tag"].startswith("VB")
    assert text[shelled["start"]:shelled["end"]] == "shelled"
    assert [r["event_type"] for r in ex["records"]] == ["ASSAULT"]
    assert ex["records"][0]["date"] == "2024-05-07"
    assert "shelled" in ex["trace"] and "verbs.txt:" in ex["trace"]


def test_the_gil_is_released_while_coding():
    # (Enough documents to take well over 0.2 s on one thread: 0.18 s for 40 copies of
    # the sample once the records were parsed with orjson.)
    docs = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()] * 160
    annalist.code(docs[:2])  # dictionaries loaded before timing
    done = threading.Event()
    result = {}

    def work():
        result["records"] = annalist.code(docs, threads=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    ticks = 0
    start = time.perf_counter()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    t.join()
    assert result["records"]
    # Held, the GIL would let this loop run only between Python steps of `work`; released,
    # it ticks about once a millisecond all along.
    assert elapsed > 0.2, "the corpus codes too fast to tell"
    assert ticks > elapsed * 1000 * 0.3, (ticks, elapsed)
