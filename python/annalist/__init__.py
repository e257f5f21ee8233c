"""annalist: news text to political event records (PLOVER, with CAMEO alongside).

The same engine, dictionaries and options as the ``annalist`` command line, from
Python::

    import annalist
    records = annalist.code(["Kenyan police arrested twelve protesters in Nairobi."],
                            date="2025-03-04")
    table = annalist.code_arrow(records_or_docs)      # a pyarrow.Table

What a document may be, wherever ``docs`` is taken:

- a ``str``: the text of a document; its id is its position in ``docs`` (``"0"``, ...);
- a ``dict`` (or :class:`Document`) with ``text`` and optionally ``id``, ``date``
  (``YYYY-MM-DD`` or a ``datetime.date``), ``title``, ``url``, ``source``: a JSON Lines
  record of the CLI, checked by the same reader;
- an ``os.PathLike`` (``pathlib.Path``): a file or folder read as ``annalist code PATH``
  reads it -- JSON Lines, text, Markdown, HTML, RSS/Atom, WARC (``.warc``/``.warc.gz``),
  gzipped or not, folders walked. A plain ``str`` is always text, never a path.

Records are dicts equal to the CLI's JSON records (``annalist code`` piped), in input
order. Records that cannot be read (a dict without text, a bad date, a WARC record that
is a 404 or not HTML) are the CLI's ``file:line: problem`` messages; with
``errors="raise"`` (the default) they raise :class:`InputError` after reading
everything, with ``errors="warn"`` each is a :class:`RejectedRecordWarning` and coding
goes on, with ``errors="ignore"`` they are dropped silently. The GIL is released while
documents are read and coded, on ``threads`` worker threads (default: one per core).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import gc
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from typing import Any, Optional, Union

from . import _annalist
from ._annalist import AnnalistError

try:  # JSON to and from the engine at two to five times the standard library's speed.
    import orjson as _orjson

    # Dates through `_json_default` (as the standard library writes them); one line each.
    _DUMPS_OPTIONS = _orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_APPEND_NEWLINE
except ImportError:  # pragma: no cover - a dependency; the standard library does too
    _orjson = None

__all__ = [
    "AnnalistError",
    "Document",
    "InputError",
    "RejectedRecordWarning",
    "Store",
    "code",
    "code_arrow",
    "explain",
    "records_to_arrow",
    "EXPORT_COLUMNS",
]


class InputError(AnnalistError, ValueError):
    """Input records or files that could not be read; ``problems`` holds each
    ``file:line: problem`` message as the CLI prints it."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        shown = "\n".join(self.problems[:20])
        more = len(self.problems) - 20
        if more > 0:
            shown += f"\n... and {more} more"
        super().__init__(f"{len(self.problems)} rejected:\n{shown}")


class RejectedRecordWarning(UserWarning):
    """A record or file that could not be read (``errors="warn"``)."""


@dataclasses.dataclass
class Document:
    """A document to code: the fields of the CLI's JSON Lines input."""

    text: str
    id: Optional[str] = None
    date: Optional[Union[str, _dt.date]] = None
    title: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = None


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()[:10]
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _inputs(docs: Any) -> list[tuple[str, str]]:
    """The documents as the native module takes them: runs of in-memory documents as
    JSON Lines text, paths as paths, in order."""
    if isinstance(docs, (str, bytes, Mapping, Document, os.PathLike)):
        docs = [docs]
    if (
        _orjson is not None
        and type(docs) is list
        and docs
        and all(type(d) is dict and "id" in d for d in docs)
    ):
        # The common case (documents from JSON, pandas or a database): the whole list in
        # one call, made JSON Lines by the native module on its coding thread.
        try:
            return [("jsonarray", _orjson.dumps(docs, default=_json_default,
                                                option=_orjson.OPT_PASSTHROUGH_DATETIME).decode())]
        except (TypeError, ValueError):
            pass  # document by document below, which names the one that fails
    out: list[tuple[str, str]] = []
    lines: list[bytes] = []

    def flush() -> None:
        if lines:
            out.append(("jsonl", b"".join(lines).decode()))
            lines.clear()

    for i, d in enumerate(docs):
        if type(d) is dict and "id" in d:
            # The common case (documents from JSON, pandas or a database) written as it
            # is: no copy, no abstract-class checks.
            rec: dict[str, Any] = d
        elif isinstance(d, os.PathLike):
            flush()
            out.append(("path", os.fspath(d)))
            continue
        elif isinstance(d, str):
            rec = {"id": str(i), "text": d}
        elif isinstance(d, Document):
            rec = {k: v for k, v in dataclasses.asdict(d).items() if v is not None}
            rec.setdefault("id", str(i))
        elif isinstance(d, Mapping):
            rec = dict(d)
            rec.setdefault("id", str(i))
        else:
            raise TypeError(
                f"document {i}: expected a str (text), a dict, an annalist.Document or a "
                f"pathlib.Path, got {type(d).__name__}"
            )
        try:
            lines.append(_dumps(rec))
        except (TypeError, ValueError) as e:
            raise TypeError(f"document {i}: {e}") from None
    flush()
    return out


def _date(date: Any) -> Optional[str]:
    if date is None or isinstance(date, str):
        return date
    if isinstance(date, (_dt.date, _dt.datetime)):
        return date.isoformat()[:10]
    raise TypeError(f"date: expected YYYY-MM-DD or a datetime.date, got {type(date).__name__}")


def _rejected(problems: list[str], errors: str) -> None:
    if not problems or errors == "ignore":
        return
    if errors == "warn":
        for p in problems:
            warnings.warn(p, RejectedRecordWarning, stacklevel=3)
        return
    raise InputError(problems)


def _check_errors(errors: str) -> None:
    if errors not in ("raise", "warn", "ignore"):
        raise ValueError(f"errors {errors!r}: expected 'raise', 'warn' or 'ignore'")


def _dumps(rec: dict) -> bytes:
    """One document as a JSON line (dates and other values through `_json_default`)."""
    if _orjson is not None:
        return _orjson.dumps(rec, default=_json_default, option=_DUMPS_OPTIONS)
    return (json.dumps(rec, default=_json_default, ensure_ascii=False) + "\n").encode()


def _parse_jsonl(raw: bytes) -> list[dict]:
    if not raw:
        return []
    # (A JSON string holds no raw newline: every newline ends a record.)
    array = b"[" + raw.rstrip(b"\n").replace(b"\n", b",") + b"]"
    return _orjson.loads(array) if _orjson is not None else json.loads(array)


def code(
    docs: Any,
    *,
    date: Any = None,
    threads: Optional[int] = None,
    min_confidence: Optional[float] = None,
    dictionaries: Optional[Union[str, os.PathLike]] = None,
    format: Optional[str] = None,
    keep_negated: bool = False,
    keep_hypothetical: bool = False,
    errors: str = "raise",
) -> list[dict]:
    """Codes documents into event records.

    ``docs``: texts, dicts, :class:`Document`\\ s or paths (see the module's help), or one
    of them. ``date`` dates documents that have none (``--date``); ``threads`` is
    ``--threads`` (``None``: one per core, ``1``: the calling thread alone);
    ``min_confidence`` drops records under it (``--min-confidence``); ``dictionaries``
    is ``--dictionaries DIR``; ``format`` forces the format of paths (``jsonl``,
    ``text``, ``feed``, ``html``, ``markdown``, ``warc``); ``keep_negated`` and
    ``keep_hypothetical`` are the CLI's flags; ``errors``: ``"raise"``, ``"warn"`` or
    ``"ignore"`` rejected records. (Web-archive records that are no page to code —
    not HTTP 200, not HTML — are skipped, as the CLI skips them, and are not errors.)

    Returns the records as dicts, each equal to the CLI's JSON record, in input order.
    Raises :class:`InputError` (rejected records, with ``errors="raise"``),
    ``ValueError`` (a bad option, with the CLI's message), :class:`AnnalistError`
    (dictionaries that do not load), ``TypeError`` (a document of another type).
    """
    return _code(docs, date, threads, min_confidence, dictionaries, format, keep_negated,
                 keep_hypothetical, errors)[0]


def _code(docs, date, threads, min_confidence, dictionaries, format, keep_negated,
          keep_hypothetical, errors):
    """The records and, for each, its document's date."""
    _check_errors(errors)
    # Coded on a thread of the native module while this one parses the chunks already
    # coded into dicts.
    stream = _annalist.code_stream(
        _inputs(docs),
        date=_date(date),
        threads=threads,
        min_confidence=min_confidence,
        dictionaries=None if dictionaries is None else os.fspath(dictionaries),
        format=format,
        keep_negated=keep_negated,
        keep_hypothetical=keep_hypothetical,
    )
    records: list[dict] = []
    doc_dates: list[Optional[str]] = []
    # The records are acyclic dicts: the cycle collector, which runs again and again while
    # they are made, would find nothing (a third of the parse time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for raw, dates in stream:
            records.extend(_parse_jsonl(raw))
            doc_dates.extend(dates)
    finally:
        if collecting:
            gc.enable()
    _rejected(stream.rejected, errors)
    return records, doc_dates


# The columns of `annalist export --format parquet` (crates/annalist-store/src/export/
# parquet_file.rs), as Arrow types, with whether they may be null.
EXPORT_COLUMNS: list[tuple[str, str, bool]] = [
    ("event_id", "int64", False),
    ("date", "date32", True),
    ("date_precision", "string", True),
    ("source_actor", "string", False),
    ("source_code", "string", False),
    ("target_actor", "string", True),
    ("target_code", "string", True),
    ("event_type", "string", False),
    ("cameo", "string", False),
    ("quad_class", "int32", False),
    ("goldstein", "float64", False),
    ("location", "string", True),
    ("country", "string", True),
    ("admin1", "string", True),
    ("lat", "float64", True),
    ("lon", "float64", True),
    ("precision", "string", True),
    ("mentions", "int64", False),
    ("articles", "int64", False),
    ("sources", "int64", False),
    ("first_seen", "timestamp[us]", True),
    ("last_seen", "timestamp[us]", True),
    ("attribution", "string", False),
    ("reported_by_code", "string", True),
    ("reported_by_text", "string", True),
    ("confidence", "float64", True),
    ("mode", "string", True),
    ("context", "string", True),
    ("killed", "int64", True),
    ("killed_high", "int64", True),
    ("injured", "int64", True),
    ("injured_high", "int64", True),
    ("abducted", "int64", True),
    ("abducted_high", "int64", True),
    ("arrested", "int64", True),
    ("arrested_high", "int64", True),
]

# What `code_arrow` adds after the export's columns: where each record came from.
RECORD_COLUMNS: list[tuple[str, str, bool]] = [
    ("doc_id", "string", False),
    ("sentence", "int64", False),
]


def _schema(columns: list[tuple[str, str, bool]]):
    import pyarrow as pa

    types = {
        "int64": pa.int64(),
        "int32": pa.int32(),
        "float64": pa.float64(),
        "string": pa.string(),
        "date32": pa.date32(),
        "timestamp[us]": pa.timestamp("us"),
    }
    return pa.schema([pa.field(n, types[t], nullable=null) for n, t, null in columns])


def _day(s: Optional[str]) -> Optional[_dt.date]:
    try:
        return _dt.date.fromisoformat(s) if s and len(s) == 10 else None
    except ValueError:
        return None


def _midnight(day: Optional[str]) -> Optional[_dt.datetime]:
    d = _day(day)
    return None if d is None else _dt.datetime(d.year, d.month, d.day)


def _row(i: int, r: dict, doc_date: Optional[str] = None) -> list[Any]:
    """A record as the export's row of a one-mention event (see records_to_arrow)."""
    target = r.get("target") or {}
    loc = r.get("location")
    placed = loc is not None and loc.get("lat") is not None and loc.get("lon") is not None
    if loc is None:
        key = None
    elif loc.get("precision") == "country":
        key = loc.get("country")
    else:
        key = f"{loc.get('name', '').strip()}, {loc.get('country')}"
    by = r.get("reported_by") or {}
    figures: dict[str, list[int]] = {}
    for c in r.get("casualties") or []:
        if c["kind"] in ("killed", "injured", "abducted", "arrested"):
            low, high = figures.get(c["kind"], [0, 0])
            count = c["count"]
            figures[c["kind"]] = [low + count, high + max(c.get("high") or count, count)]
    conf = r.get("confidence")
    row = [
        i,
        _day(r.get("date")),
        r.get("date_precision"),
        r["source"]["cameo_actor"],
        r["source"]["code"],
        target.get("cameo_actor"),
        target.get("code"),
        r["event_type"],
        r["cameo"],
        r["quad_class"],
        float(r["goldstein"]),
        key,
        loc.get("country") if placed else None,
        (loc.get("admin1") or None) if placed else None,
        loc.get("lat") if placed else None,
        loc.get("lon") if placed else None,
        loc.get("precision") if placed else None,
        1,
        1,
        1,
        _midnight(doc_date),
        _midnight(doc_date),
        r["attribution"],
        ((by.get("actor") or {}).get("cameo_actor")) if by else None,
        by.get("text") if by else None,
        None if conf is None else round(float(conf), 4),
        r.get("mode"),
        r.get("context"),
    ]
    for kind in ("killed", "injured", "abducted", "arrested"):
        row.extend(figures.get(kind, [None, None]))
    row.extend([r["doc_id"], r["sentence"]])
    return row


def records_to_arrow(records: list[dict], doc_dates: Optional[list[Optional[str]]] = None):
    """Records (as :func:`code` returns them) as a ``pyarrow.Table`` with the columns of
    ``annalist export --format parquet`` (:data:`EXPORT_COLUMNS`), then ``doc_id`` and
    ``sentence``. Each record is the export's row of a one-mention event: ``event_id``
    is its position, ``mentions``/``articles``/``sources`` are 1,
    ``first_seen``/``last_seen`` its document's date (``doc_dates``, one per record;
    null when not given), ``location`` the store's key (``"Kharkiv, UKR"``, a country's
    code alone) and the place columns those of the record's location."""
    import pyarrow as pa

    columns = EXPORT_COLUMNS + RECORD_COLUMNS
    dates = doc_dates if doc_dates is not None else [None] * len(records)
    rows = [_row(i, r, d) for i, (r, d) in enumerate(zip(records, dates))]
    data = {name: [row[j] for row in rows] for j, (name, _, _) in enumerate(columns)}
    return pa.Table.from_pydict(data, schema=_schema(columns))


def code_arrow(
    docs: Any,
    *,
    date: Any = None,
    threads: Optional[int] = None,
    min_confidence: Optional[float] = None,
    dictionaries: Optional[Union[str, os.PathLike]] = None,
    format: Optional[str] = None,
    keep_negated: bool = False,
    keep_hypothetical: bool = False,
    errors: str = "raise",
):
    """:func:`code` (same arguments), the records as a ``pyarrow.Table``
    (:func:`records_to_arrow`, with each record's document date): pandas, polars and
    DuckDB read it without copying."""
    records, doc_dates = _code(docs, date, threads, min_confidence, dictionaries, format,
                               keep_negated, keep_hypothetical, errors)
    return records_to_arrow(records, doc_dates)


def explain(
    sentence: str,
    date: Any = None,
    *,
    dictionaries: Optional[Union[str, os.PathLike]] = None,
) -> dict:
    """``annalist explain``: every stage on one text. Returns a dict with ``text``,
    ``records`` (the records, as :func:`code` gives them), ``sentences`` (each with
    ``start``, ``end`` and ``tokens``: ``text``, ``tag``, ``lemma``, ``reason`` -- the
    model or the rule that chose the tag -- ``start``, ``end``) and ``trace`` (the text
    ``annalist explain`` prints: chunks, actors, predicates, every pattern tried, the
    rules that fired)."""
    if not isinstance(sentence, str):
        raise TypeError(f"sentence: expected a str, got {type(sentence).__name__}")
    records, trace, sentences = _annalist.explain_parts(
        sentence, _date(date), None if dictionaries is None else os.fspath(dictionaries)
    )
    keys = ("text", "tag", "lemma", "reason", "start", "end")
    return {
        "text": sentence,
        "records": _parse_jsonl(records.encode()),
        "sentences": [
            {"start": s, "end": e, "tokens": [dict(zip(keys, t)) for t in tokens]}
            for s, e, tokens in sentences
        ],
        "trace": trace,
    }


_FILTERS = {
    "actor": "actor",
    "pair": "pair",
    "type": "event_type",
    "event_type": "event_type",
    "quad": "quad",
    "from": "from_",
    "from_": "from_",
    "to": "to",
    "location": "location",
    "min_confidence": "min_confidence",
    "exclude_claims": "exclude_claims",
}


def _filters(filters: dict) -> dict:
    out: dict[str, Any] = {}
    for k, v in filters.items():
        if k not in _FILTERS:
            known = ", ".join(sorted(_FILTERS))
            raise TypeError(f"unknown filter {k!r}: expected one of {known}")
        if v is None:
            continue
        if k == "pair" and isinstance(v, str):
            a, _, b = v.partition(",")
            if not a.strip() or not b.strip():
                raise ValueError(f"pair {v!r}: expected two actor codes, A,B")
            v = (a.strip(), b.strip())
        if k in ("from", "from_", "to"):
            v = _date(v)
        out[_FILTERS[k]] = v
    return out


class Store:
    """An annalist event store (one SQLite file), as the CLI's ``ingest``,
    ``timeline``, ``dyads`` and ``export`` use it. Filters (keyword arguments of
    :meth:`events`, :meth:`timeline`, :meth:`dyads`) are the CLI's: ``actor``,
    ``pair`` (``"RUS,UKR"`` or a tuple), ``type``, ``quad`` (1-4), ``from``/``from_``,
    ``to``, ``location``, ``min_confidence``, ``exclude_claims``."""

    def __init__(self, path: Union[str, os.PathLike], *, read_only: bool = False):
        self._native = _annalist.NativeStore(os.fspath(path), read_only)

    @property
    def path(self) -> str:
        return os.fspath(self._native.path)

    def ingest(
        self,
        docs: Any,
        *,
        date: Any = None,
        threads: Optional[int] = None,
        min_confidence: Optional[float] = None,
        dictionaries: Optional[Union[str, os.PathLike]] = None,
        format: Optional[str] = None,
        errors: str = "raise",
    ) -> dict:
        """Codes and stores documents (``annalist ingest``): each document with its
        records in one transaction, events merged as the CLI merges them. Returns
        ``{"added", "replaced", "unchanged", "events"}``. Rejected records are handled
        by ``errors`` after the readable documents are stored."""
        _check_errors(errors)
        (added, replaced, unchanged, events), problems = self._native.ingest(
            _inputs(docs),
            date=_date(date),
            threads=threads,
            min_confidence=min_confidence,
            dictionaries=None if dictionaries is None else os.fspath(dictionaries),
            format=format,
        )
        _rejected(problems, errors)
        return {"added": added, "replaced": replaced, "unchanged": unchanged, "events": events}

    def events(self, **filters: Any):
        """The stored events matching the filters as a ``pyarrow.Table`` with the
        columns and types of ``annalist export --format parquet`` (read back from that
        export), by date, undated last."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        tmp = tempfile.mkdtemp(prefix="annalist-events-")
        try:
            self._native.export_parquet(tmp, **_filters(filters))
            months = sorted(os.listdir(tmp), key=lambda m: (m == "month=undated", m))
            tables = [pq.read_table(os.path.join(tmp, m, "part-0.parquet")) for m in months]
            schema = _schema(EXPORT_COLUMNS)
            if not tables:
                return schema.empty_table()
            return pa.concat_tables([t.cast(schema) for t in tables])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def timeline(self, *, mentions: bool = True, **filters: Any) -> list[dict]:
        """The events matching the filters, by date: ``annalist timeline --json``'s
        rows, each with its ``mention_list`` (``mentions=False`` leaves it out)."""
        return _parse_jsonl(self._native.timeline_jsonl(mentions=mentions, **_filters(filters)).encode())

    def dyads(self, *, by: str = "month", **filters: Any) -> list[dict]:
        """Events per directed dyad and period (``by``: ``day``, ``week``, ``month``):
        counts per quad class, summed Goldstein, killed and injured."""
        return _parse_jsonl(self._native.dyads_jsonl(by=by, **_filters(filters)).encode())

    def __repr__(self) -> str:
        return f"annalist.Store({self.path!r})"

