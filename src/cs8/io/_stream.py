"""Streaming reads: :class:`~cs8.io.LoadResult` chunks of a bounded number of records.

The file is read line by line and each chunk is handed over before the next is built, so memory
holds one chunk (plus, with ``duplicates="keep_first"``, the ids seen so far: pass
``duplicates="unchecked"`` for files of many millions of ids when memory matters more).

Example:
    >>> import io
    >>> text = "id,customer_id,channel,started_at\\n" + "".join(
    ...     f"I{i},C1,phone,2026-01-05T09:00:00Z\\n" for i in range(5))
    >>> [len(chunk) for chunk in iter_interactions(io.StringIO(text), chunk_size=2)]
    [2, 2, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, TypeVar

from cs8._models import Interaction, Ticket
from cs8.exceptions import LoadError
from cs8.io._build import ColumnSpec, RecordBuilder
from cs8.io._common import LoadResult, RejectedRow, detect_format
from cs8.io._events import TICKET_COLUMN_HINTS, EventBuilder, attach, nested_events
from cs8.io._readers import make_spec
from cs8.io._rows import (
    Meter,
    Progress,
    channel_warning,
    columns_warning,
    iter_built,
    source_name,
)
from cs8.io._source import PathOrFile, escape
from cs8.io._values import YEARS, DateFormat

__all__ = ["iter_interactions", "iter_records", "iter_tickets"]

T = TypeVar("T")

_STREAM_DUPLICATES = ("keep_first", "unchecked")


def iter_records(
    kind: type[T],
    source: PathOrFile,
    *,
    chunk_size: int = 100_000,
    format: str | None = None,
    columns: Mapping[str, ColumnSpec] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    constants: Mapping[str, Any] | None = None,
    missing: Collection[str] | Mapping[str, Collection[str]] = (),
    date_format: DateFormat = None,
    timezone: str | None = None,
    years: tuple[int, int] | None = YEARS,
    duplicates: str = "keep_first",
    strict: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
    progress: Progress = False,
) -> Iterator[LoadResult[T]]:
    """Yield :class:`LoadResult` chunks of about ``chunk_size`` rows of a flat model's file.

    The options are those of :func:`read_records`, except ``duplicates``: ``"keep_first"``
    (later rows with an id already yielded are rejected, ``"duplicate id"``) or ``"unchecked"``
    (no memory of ids). ``progress`` is ``True`` for a progress bar (needs ``tqdm``: the
    ``progress`` extra) or a callable given the number of rows read, every 10,000 rows.

    Every chunk keeps ``len(records) + len(rejected) == rows_read``; ``strict`` raises at the first
    problem, before the rest of the file is read.

    Raises:
        LoadError: As :func:`read_records`; and for ``duplicates`` other than the two above.
    """
    if duplicates not in _STREAM_DUPLICATES:
        raise LoadError(
            f"streaming takes duplicates='keep_first' or 'unchecked', got {duplicates!r} (a "
            "stream cannot take back a chunk it has handed over)"
        )
    if chunk_size < 1:
        raise LoadError(f"chunk_size must be at least 1, got {chunk_size}")
    spec = make_spec(columns, values, constants, missing, date_format, timezone, years)
    builder = RecordBuilder(kind, spec)
    yield from _stream(
        builder, source, format, encoding, delimiter, chunk_size, duplicates, strict, progress
    )


def _stream(
    builder: RecordBuilder,
    source: PathOrFile,
    fmt: str | None,
    encoding: str,
    delimiter: str,
    chunk_size: int,
    duplicates: str,
    strict: bool,
    progress: Progress,
    from_json: Callable[[Mapping[str, Any], int, str], Any] | None = None,
) -> Iterator[LoadResult[Any]]:
    name = source_name(source)
    seen: dict[str, int] | None = {} if duplicates == "keep_first" else None
    records: list[Any] = []
    rejected: list[RejectedRow] = []
    rows = 0
    with Meter(progress, name) as meter:
        rows_of = iter_built(
            source, builder, fmt, encoding, delimiter, from_json, columnar=not strict
        )
        for line, item in rows_of:
            rows += 1
            meter.add()
            if seen is not None and not isinstance(item, RejectedRow):
                first = seen.setdefault(item.id, line)
                if first != line:
                    item = RejectedRow(
                        source=name,
                        line=line,
                        column="id",
                        value=item.id,
                        reason=f"duplicate id {escape(repr(item.id))} (kept line {first})",
                    )
            if isinstance(item, RejectedRow):
                if strict:
                    raise LoadError(str(item))
                rejected.append(item)
            else:
                records.append(item)
            if rows >= chunk_size:
                yield _chunk(records, rejected, rows, name, builder, first=meter.rows == rows)
                records, rejected, rows = [], [], 0
        if rows or meter.rows == 0:
            yield _chunk(records, rejected, rows, name, builder, first=meter.rows == rows)


def _chunk(
    records: list[Any],
    rejected: list[RejectedRow],
    rows: int,
    name: str,
    builder: RecordBuilder,
    *,
    first: bool,
) -> LoadResult[Any]:
    """One chunk; the first also names the columns no field reads (once per stream)."""
    hints = TICKET_COLUMN_HINTS if builder.cls is Ticket else None
    unread = columns_warning(builder.unread_columns(), hints) if first else None
    warnings = [w for w in (channel_warning(builder.unknown_channels), unread) if w]
    builder.unknown_channels = {}
    return LoadResult(
        records=tuple(records),
        rejected=tuple(rejected),
        rows_read=rows,
        source=name,
        warnings=tuple(warnings),
    )


def iter_interactions(source: PathOrFile, **options: Any) -> Iterator[LoadResult[Interaction]]:
    """Yield chunks of interactions; the options are those of :func:`iter_records`.

    Example:
        >>> import io
        >>> text = "id,customer_id,channel,started_at\\nI1,C1,voice,2026-01-05T09:00:00Z\\n"
        >>> [c.records[0].channel for c in iter_interactions(io.StringIO(text))]
        [Channel.PHONE]
    """
    return iter_records(Interaction, source, **options)


def iter_tickets(
    source: PathOrFile, *, before_created: str = "reject", **options: Any
) -> Iterator[LoadResult[Ticket]]:
    """Yield chunks of tickets from JSON Lines with nested events (or CSV without events).

    The options are those of :func:`iter_records`; ``before_created`` is that of
    :func:`read_tickets`. A CSV tickets file with a separate events file needs every ticket's
    events before the ticket can be built: read it with :func:`read_tickets`.

    Example:
        >>> import io
        >>> line = ('{"id": "T1", "customer_id": "C1", "channel": "web", '
        ...         '"created_at": "2026-01-05T09:00:00Z", "events": [{"type": "status_change", '
        ...         '"at": "2026-01-05T10:00:00Z", "status": "solved"}]}\\n')
        >>> f = io.StringIO(line * 3); f.name = "t.jsonl"
        >>> chunks = list(iter_tickets(f, chunk_size=2, duplicates="unchecked"))
        >>> [len(c) for c in chunks], chunks[0].records[0].solved_at.hour
        ([2, 1], 10)
    """
    if detect_format(source, options.get("format")) != "jsonl":
        yield from iter_records(Ticket, source, **options)
        return
    chunk_size = options.pop("chunk_size", 100_000)
    duplicates = options.pop("duplicates", "keep_first")
    strict = options.pop("strict", False)
    progress = options.pop("progress", False)
    fmt = options.pop("format", None)
    encoding = options.pop("encoding", "utf-8")
    delimiter = options.pop("delimiter", ",")
    if duplicates not in _STREAM_DUPLICATES:
        raise LoadError(
            f"streaming takes duplicates='keep_first' or 'unchecked', got {duplicates!r}"
        )
    values = options.pop("values", None) or {}
    spec = make_spec(values={k: v for k, v in values.items() if k != "status"}, **options)
    event_spec = make_spec(
        values={k: v for k, v in values.items() if k in ("status", "priority", "channel")},
        date_format=spec.date_format,
        timezone=spec.timezone,
        years=spec.years,
    )
    builder = RecordBuilder(Ticket, spec, skip=("events",), extra_keys=("events",))
    events = EventBuilder(event_spec)

    def from_json(obj: Mapping[str, Any], line: int, src: str) -> Any:
        ticket = builder.from_json(obj, line, src)
        if isinstance(ticket, RejectedRow):
            return ticket
        built = nested_events(obj, line, src, events)
        if isinstance(built, str):
            return builder._reject(src, line, obj, built)
        outcome, _, _ = attach(ticket, built, before_created)
        if isinstance(outcome, str):
            return builder._reject(src, line, obj, outcome)
        return outcome

    yield from _stream(
        builder,
        source,
        fmt,
        encoding,
        delimiter,
        chunk_size,
        duplicates,
        strict,
        progress,
        from_json,
    )
