#!/usr/bin/env python3
"""Throughput of the Python package against the CLI on the same corpus.

    target/pyenv/bin/python3 python/benches/bench.py CORPUS.jsonl [--threads N] [--rounds R]

Times `annalist code --threads N CORPUS` (output to /dev/null: the CLI's JSON is
written, not parsed) and, in this process, `annalist.code(Path(CORPUS), threads=N)` (the
file read by the engine, records returned as dicts) and `annalist.code(dicts)` (the
documents already in Python as dicts, e.g. from pandas). Rounds alternate CLI and
Python so that a busy machine slows both alike; the best round of each is reported,
and the median over rounds of each round's time against the CLI's time in that round
(the steadier figure on a machine whose speed drifts).
A corpus: scripts/gen-corpus 20000 target/news.jsonl --texts FILES.jsonl (see
scripts/bench --news)."""
import json
import os
import pathlib
import subprocess
import sys
import time

import annalist

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main() -> None:
    args = sys.argv[1:]
    threads = int(args[args.index("--threads") + 1]) if "--threads" in args else 1
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    corpus = pathlib.Path(args[0])
    binary = os.environ.get("ANNALIST_BIN", str(ROOT / "target" / "release" / "annalist"))
    docs = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    annalist.code(docs[:5])  # dictionaries loaded once, outside the timing
    best = {"cli": 1e9, "python (path)": 1e9, "python (dicts)": 1e9}
    ratios: dict = {name: [] for name in best}
    n_records = None
    runs = {
        "cli": lambda: subprocess.run(
            [binary, "code", "--threads", str(threads), str(corpus)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False),
        "python (path)": lambda: annalist.code(corpus, threads=threads),
        "python (dicts)": lambda: annalist.code(docs, threads=threads),
    }
    names = list(runs)
    for r in range(rounds):
        secs = {}
        out = {}
        # Each round in another order (no run always follows the same one), with the
        # previous round's records freed (the same heap for every round).
        for name in names[r % 3:] + names[:r % 3]:
            t = time.perf_counter()
            out[name] = runs[name]()
            secs[name] = time.perf_counter() - t
        records, records2 = out["python (path)"], out["python (dicts)"]
        assert records == records2
        n_records = len(records)
        del records, records2, out
        for name, s in secs.items():
            best[name] = min(best[name], s)
            ratios[name].append(s / secs["cli"])
    cli = best["cli"]
    print(f"{len(docs)} documents, {n_records} records, threads {threads}, best of {rounds}:")
    for name, secs in best.items():
        median = sorted(ratios[name])[len(ratios[name]) // 2]
        print(f"  {name:15} {secs:7.2f} s  {len(docs) / secs:8,.0f} documents/s  "
              f"{(secs / cli - 1) * 100:+5.1f} % time vs the CLI (best); "
              f"median of rounds {(median - 1) * 100:+5.1f} %")

if __name__ == "__main__":
    main()
