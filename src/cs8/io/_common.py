"""Shared pieces of the loaders: results, rejected rows, sources and per-field text parsing."""

from __future__ import annotations

import io
import json
import os
import re
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, ClassVar, Generic, TextIO, TypeAlias, TypeVar

import attrs

from cs8._display import DictReprMixin
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError, LoadError
from cs8.io._source import escape

__all__ = ["LoadResult", "PathOrFile", "RejectedRow"]

T = TypeVar("T")
PathOrFile: TypeAlias = "str | os.PathLike[str] | IO[str] | IO[bytes]"
_PATH_IN_MESSAGE = re.compile(r" @ \$\.([A-Za-z_]+)")


def _freeze_row(value: Mapping[str, Any] | None) -> FrozenDict[str, Any]:
    return value if isinstance(value, FrozenDict) else FrozenDict(value or {})


@attrs.frozen(kw_only=True)
class RejectedRow:
    """A row that did not become a record, with where it was and why.

    Attributes:
        source: The file name (or ``"<stream>"``).
        line: The 1-based line number in the file (the CSV header is line 1).
        column: The column at fault, when one is.
        value: The offending cell, when one is.
        reason: What is wrong, in words.
        row: The raw row as read.

    Example:
        >>> r = RejectedRow(source="t.csv", line=3, column="channel", value="fax",
        ...                 reason="'fax' is not a valid Channel", row={"channel": "fax"})
        >>> str(r)
        "t.csv:3: column 'channel' = 'fax': 'fax' is not a valid Channel"
    """

    source: str
    line: int
    column: str | None
    value: str | None
    reason: str
    row: FrozenDict[str, Any] = attrs.field(factory=FrozenDict, converter=_freeze_row)

    def __str__(self) -> str:
        where = f"{escape(self.source)}:{self.line}"
        if self.column is not None:
            column, value = escape(repr(self.column)), escape(repr(self.value), 80)
            return f"{where}: column {column} = {value}: {escape(self.reason, 400)}"
        return f"{where}: {escape(self.reason, 400)}"


@attrs.frozen(kw_only=True, repr=False)
class LoadResult(DictReprMixin, Generic[T]):
    """What a loader read: the records, and every rejected row with its reason.

    ``len(records) + len(rejected) == rows_read`` always holds. For tickets read with an events
    file, ``rejected_events`` lists the event rows that were not used (each with its reason) out of
    ``events_read``. ``warnings`` says what was read in a way worth knowing but not wrong (channel
    names kept as ``Channel.OTHER``, events re-ordered by time, events moved to the creation).

    Example:
        >>> result = LoadResult(records=(1, 2), rejected=(), rows_read=2, source="x.csv")
        >>> result.ok, len(result)
        (True, 2)
    """

    records: tuple[T, ...]
    rejected: tuple[RejectedRow, ...]
    rows_read: int
    source: str
    rejected_events: tuple[RejectedRow, ...] = ()
    events_read: int = 0
    warnings: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if len(self.records) + len(self.rejected) != self.rows_read:
            raise InvalidValueError(
                f"LoadResult for {self.source}: {len(self.records)} records + "
                f"{len(self.rejected)} rejected != {self.rows_read} rows read"
            )

    @property
    def ok(self) -> bool:
        """Whether every row became a record."""
        return not self.rejected

    def to_dict(self) -> dict[str, object]:
        """Return a summary: the counts, the warnings and the first five rejections.

        Example:
            >>> LoadResult(records=(1, 2), rejected=(), rows_read=2, source="x.csv").to_dict()["records"]
            2
        """
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "records": len(self.records),
            "rejected": len(self.rejected),
            "first_rejections": [str(row) for row in self.rejected[:5]],
            "events_read": self.events_read,
            "rejected_events": len(self.rejected_events),
            "warnings": list(self.warnings),
        }

    def __repr__(self) -> str:
        """A summary, never the records: a notebook cell of a big load stays small."""
        return (
            f"LoadResult(source={self.source!r}, records={len(self.records):,}, "
            f"rejected={len(self.rejected):,}, rows_read={self.rows_read:,})"
        )

    _hidden: ClassVar[frozenset[str]] = frozenset({"source"})

    def _title(self) -> str:
        return f"LoadResult {self.source}"

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[T]:
        return iter(self.records)

    def raise_for_rejected(self, limit: int = 10) -> None:
        """Raise :class:`~cs8.LoadError` listing the first ``limit`` problems, if any.

        Example:
            >>> LoadResult(records=(), rejected=(), rows_read=0, source="x").raise_for_rejected()
        """
        if self.rejected:
            raise LoadError(describe_rejected(self.source, self.rejected, self.rows_read, limit))


def describe_rejected(source: str, rejected: tuple[RejectedRow, ...], rows: int, limit: int) -> str:
    """Return the message listing the first rejected rows."""
    lines = [f"{len(rejected)} of {rows} rows in {source} were rejected:"]
    lines += [f"  {r}" for r in rejected[:limit]]
    if len(rejected) > limit:
        lines.append(f"  ... and {len(rejected) - limit} more")
    return "\n".join(lines)


@contextmanager
def open_text(source: PathOrFile, encoding: str, mode: str = "r") -> Iterator[tuple[TextIO, str]]:
    """Open a path (or pass through a text stream) and give its display name."""
    if isinstance(source, io.TextIOBase) or hasattr(source, "read" if mode == "r" else "write"):
        yield typing.cast(TextIO, source), getattr(source, "name", "<stream>")
        return
    path = Path(typing.cast("str | os.PathLike[str]", source))
    if mode == "r":
        if not path.exists():
            raise LoadError(f"file not found: {path}")
        if path.is_dir():
            raise LoadError(f"expected a file, got a directory: {path}")
    newline = "" if path.suffix.lower() == ".csv" else None
    with path.open(mode, encoding=encoding, newline=newline) as handle:
        yield typing.cast(TextIO, handle), str(path)


def detect_format(source: PathOrFile, fmt: str | None) -> str:
    """Return ``"csv"`` or ``"jsonl"`` from ``fmt`` or the file suffix."""
    if fmt is not None:
        if fmt not in ("csv", "jsonl"):
            raise LoadError(f"format must be 'csv' or 'jsonl', got {fmt!r}")
        return fmt
    name = str(getattr(source, "name", source)).lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "csv"


# ------------------------------------------------------------------------ per-field text parsing


def data_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """Return the fields of an attrs class that are data (constructor arguments), not caches."""
    return tuple(f for f in attrs.fields(cls) if f.init)


def field_kinds(cls: type) -> dict[str, Any]:
    """Return field name -> resolved type for an attrs class."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in data_fields(cls)}


def required_fields(cls: type) -> tuple[str, ...]:
    """Return the names of fields without a default."""
    return tuple(
        f.name
        for f in data_fields(cls)
        if f.default is attrs.NOTHING and not f.name.startswith("_")
    )


def data_to_text(value: Any) -> str:
    """Turn JSON-like data (as the converter unstructures it) into one CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        if all(isinstance(v, int) for v in value) and len(value) == 2:
            return f"{value[0]}-{value[1]}"
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return str(value)
