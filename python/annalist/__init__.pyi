"""Type stubs of the annalist package (see annalist/__init__.py for the documentation)."""
import datetime
import os
from typing import Any, Iterable, Literal, Mapping, Optional, Union

import pyarrow

from ._annalist import AnnalistError as AnnalistError

DocumentLike = Union[str, Mapping[str, Any], "Document", os.PathLike[str]]
Docs = Union[DocumentLike, Iterable[DocumentLike]]
DateLike = Union[str, datetime.date, None]
Errors = Literal["raise", "warn", "ignore"]
Format = Literal["jsonl", "text", "feed", "html", "markdown", "warc"]

EXPORT_COLUMNS: list[tuple[str, str, bool]]
RECORD_COLUMNS: list[tuple[str, str, bool]]

class InputError(AnnalistError, ValueError):
    problems: list[str]
    def __init__(self, problems: list[str]) -> None: ...

class RejectedRecordWarning(UserWarning): ...

class Document:
    text: str
    id: Optional[str]
    date: DateLike
    title: Optional[str]
    url: Optional[str]
    source: Optional[str]
    def __init__(
        self,
        text: str,
        id: Optional[str] = ...,
        date: DateLike = ...,
        title: Optional[str] = ...,
        url: Optional[str] = ...,
        source: Optional[str] = ...,
    ) -> None: ...

def code(
    docs: Docs,
    *,
    date: DateLike = ...,
    threads: Optional[int] = ...,
    min_confidence: Optional[float] = ...,
    dictionaries: Union[str, os.PathLike[str], None] = ...,
    format: Optional[Format] = ...,
    keep_negated: bool = ...,
    keep_hypothetical: bool = ...,
    errors: Errors = ...,
) -> list[dict[str, Any]]: ...
def code_arrow(
    docs: Docs,
    *,
    date: DateLike = ...,
    threads: Optional[int] = ...,
    min_confidence: Optional[float] = ...,
    dictionaries: Union[str, os.PathLike[str], None] = ...,
    format: Optional[Format] = ...,
    keep_negated: bool = ...,
    keep_hypothetical: bool = ...,
    errors: Errors = ...,
) -> pyarrow.Table: ...
def records_to_arrow(
    records: list[dict[str, Any]], doc_dates: Optional[list[Optional[str]]] = ...
) -> pyarrow.Table: ...
def explain(
    sentence: str,
    date: DateLike = ...,
    *,
    dictionaries: Union[str, os.PathLike[str], None] = ...,
) -> dict[str, Any]: ...

class Store:
    def __init__(self, path: Union[str, os.PathLike[str]], *, read_only: bool = ...) -> None: ...
    @property
    def path(self) -> str: ...
    def ingest(
        self,
        docs: Docs,
        *,
        date: DateLike = ...,
        threads: Optional[int] = ...,
        min_confidence: Optional[float] = ...,
        dictionaries: Union[str, os.PathLike[str], None] = ...,
        format: Optional[Format] = ...,
        errors: Errors = ...,
    ) -> dict[str, int]: ...
    def events(self, **filters: Any) -> pyarrow.Table: ...
    def timeline(self, *, mentions: bool = ..., **filters: Any) -> list[dict[str, Any]]: ...
    def dyads(
        self, *, by: Literal["day", "week", "month"] = ..., **filters: Any
    ) -> list[dict[str, Any]]: ...
