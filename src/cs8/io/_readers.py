"""Loaders for customers, tickets (with their events), interactions, orders and survey responses."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from typing import Any, TypedDict, TypeVar

import attrs
import cattrs
from typing_extensions import Unpack

from cs8._models import (
    Assignment,
    Customer,
    Interaction,
    Order,
    PriorityChange,
    StatusChange,
    SurveyResponse,
    Ticket,
    TicketEvent,
)
from cs8.exceptions import Cs8Error, LoadError
from cs8.io._common import (
    LoadResult,
    PathOrFile,
    RejectedRow,
    column_of,
    data_fields,
    describe_rejected,
    detect_format,
    field_kinds,
    open_text,
    required_fields,
    text_to_data,
)
from cs8.serialization import EVENT_TAGS, explain_error, make_converter

__all__ = [
    "EVENT_COLUMNS",
    "ReadOptions",
    "read_customers",
    "read_interactions",
    "read_orders",
    "read_records",
    "read_survey_responses",
    "read_tickets",
]

T = TypeVar("T")


class ReadOptions(TypedDict, total=False):
    """The keyword options every loader takes (see :func:`read_records`)."""

    format: str | None
    columns: Mapping[str, str] | None
    timezone: str | None
    strict: bool
    encoding: str
    delimiter: str


_Row = tuple[str, int, dict[str, Any] | None, RejectedRow | None, dict[str, Any]]
"""(source name, line, field data or None, rejection or None, raw row)."""


def _rejected(
    name: str,
    line: int,
    reason: str,
    raw: dict[str, Any],
    column: str | None = None,
    value: str | None = None,
) -> _Row:
    """The row of a rejection: no field data, and a :class:`RejectedRow` with the raw row."""
    problem = RejectedRow(
        source=name, line=line, column=column, value=value, reason=reason, row=raw
    )
    return name, line, None, problem, raw


_EVENT_CLASSES: dict[str, type] = {tag: cls for cls, tag in EVENT_TAGS.items()}
_EVENT_CLASSES.update({"status": StatusChange, "priority": PriorityChange, "assign": Assignment})

EVENT_COLUMNS: tuple[str, ...] = (
    "ticket_id",
    "type",
    "at",
    "author",
    "author_id",
    "public",
    "channel",
    "status",
    "priority",
    "agent_id",
    "group",
)
"""The columns of a ticket events file (``ticket_id``, ``type`` and ``at`` are required)."""


def _mapping(cls: type, columns: Mapping[str, str] | None, what: str) -> dict[str, str]:
    fields = [f.name for f in data_fields(cls)]
    mapping = {f: f for f in fields}
    for field, column in (columns or {}).items():
        if field not in mapping:
            raise LoadError(
                f"columns maps {field!r}, which is not a field of {what}; fields are: "
                + ", ".join(fields)
            )
        mapping[field] = column
    return mapping


class _Reader:
    """Reads rows of one kind of record from CSV or JSON Lines, rejecting bad rows with reasons."""

    def __init__(
        self,
        cls: type,
        *,
        columns: Mapping[str, str] | None,
        timezone: str | None,
        skip: tuple[str, ...] = (),
        extra_required: tuple[str, ...] = (),
        what: str | None = None,
    ) -> None:
        self.cls = cls
        self.what = what or cls.__name__
        self.kinds = {k: v for k, v in field_kinds(cls).items() if k not in skip}
        self.mapping = {k: v for k, v in _mapping(cls, columns, self.what).items() if k not in skip}
        self.required = tuple(f for f in required_fields(cls) if f not in skip) + extra_required
        self.converter = make_converter(timezone=timezone)

    def rows(
        self, source: PathOrFile, fmt: str | None, encoding: str, delimiter: str
    ) -> Iterator[_Row]:
        """Yield ``(source name, line, data, rejection)`` for each row of the file."""
        kind = detect_format(source, fmt)
        with open_text(source, encoding) as (handle, name):
            if kind == "csv":
                yield from self._csv_rows(handle, name, delimiter)
            else:
                yield from self._jsonl_rows(handle, name)

    def _csv_rows(self, handle: Any, name: str, delimiter: str) -> Iterator[_Row]:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise LoadError(f"{name} is empty: expected a header row") from None
        header = [h.strip().lstrip("\ufeff") for h in header]
        missing = [
            f"{self.mapping[f]!r} (for {f})" for f in self.required if self.mapping[f] not in header
        ]
        if missing:
            raise LoadError(
                f"{name} lacks required column(s) {', '.join(missing)}; its header is: "
                + ", ".join(header)
            )
        index = {column: i for i, column in enumerate(header)}
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            raw = dict(zip(header, cells, strict=False))
            if len(cells) != len(header):
                yield _rejected(name, line, f"expected {len(header)} cells, got {len(cells)}", raw)
                continue
            data: dict[str, Any] = {}
            problem: _Row | None = None
            for field, column in self.mapping.items():
                position = index.get(column)
                cell = cells[position] if position is not None else ""
                if not cell.strip():
                    if field in self.required:
                        reason = f"missing value for required field {field}"
                        problem = _rejected(name, line, reason, raw, column, cell)
                        break
                    continue
                try:
                    data[field] = text_to_data(f"{self.what}.{field}", self.kinds[field], cell)
                except Cs8Error as exc:
                    problem = _rejected(name, line, str(exc), raw, column, cell)
                    break
            yield problem or (name, line, data, None, raw)

    def _jsonl_rows(self, handle: Any, name: str) -> Iterator[_Row]:
        seen_any = False
        reverse = {column: field for field, column in self.mapping.items()}
        for line, text in enumerate(handle, 1):
            if not text.strip():
                continue
            seen_any = True
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield _rejected(name, line, f"invalid JSON: {exc}", {})
                continue
            if not isinstance(obj, dict):
                yield _rejected(name, line, f"expected a JSON object, got {type(obj).__name__}", {})
                continue
            data = {reverse[k]: v for k, v in obj.items() if k in reverse and v is not None}
            absent = [self.mapping[f] for f in self.required if f not in data]
            if absent:
                reason = f"missing value for required key {absent[0]!r}"
                yield _rejected(name, line, reason, obj, absent[0])
                continue
            yield name, line, data, None, obj
        if not seen_any:
            raise LoadError(f"{name} is empty: expected one JSON object per line")

    def read_all(
        self, source: PathOrFile, fmt: str | None, encoding: str, delimiter: str
    ) -> tuple[list[tuple[int, Any]], list[RejectedRow], int, str]:
        """Read every row: ``(line, record)`` pairs, rejected rows, rows read, source name."""
        built: list[tuple[int, Any]] = []
        rejected: list[RejectedRow] = []
        rows = 0
        name = str(getattr(source, "name", source))
        for name, line, data, problem, raw in self.rows(source, fmt, encoding, delimiter):
            rows += 1
            if problem is None and data is not None:
                record = self.build(data, name, line, raw)
                if not isinstance(record, RejectedRow):
                    built.append((line, record))
                    continue
                problem = record
            assert problem is not None
            rejected.append(problem)
        return built, rejected, rows, name

    def build(self, data: dict[str, Any], name: str, line: int, raw: dict[str, Any]) -> Any:
        """Structure ``data`` into a record, or return a :class:`RejectedRow`."""
        return self._structure(data, self.cls, name, line, raw)

    def _structure(
        self, data: dict[str, Any], cls: type, name: str, line: int, raw: dict[str, Any]
    ) -> Any:
        try:
            return self.converter.structure(data, cls)
        except Cs8Error as exc:
            reason = str(exc)
        except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
            reason = explain_error(exc)
        column = column_of(reason, self.mapping)
        field = next((f for f, c in self.mapping.items() if c == column), None)
        value = data.get(field) if field else None
        return RejectedRow(
            source=name,
            line=line,
            column=column,
            value=None if value is None else str(value),
            reason=reason,
            row=raw,
        )


def _finish(
    records: list[Any],
    rejected: list[RejectedRow],
    rows: int,
    name: str,
    strict: bool,
    *,
    rejected_events: tuple[RejectedRow, ...] = (),
    events_read: int = 0,
) -> LoadResult[Any]:
    if strict and (rejected or rejected_events):
        everything = tuple(rejected) + rejected_events
        raise LoadError(describe_rejected(name, everything, rows + events_read, 10))
    return LoadResult(
        records=tuple(records),
        rejected=tuple(rejected),
        rows_read=rows,
        source=name,
        rejected_events=rejected_events,
        events_read=events_read,
    )


def read_records(
    kind: type[T],
    source: PathOrFile,
    *,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    timezone: str | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> LoadResult[T]:
    """Read records of a flat cs8 model (``Customer``, ``Interaction``, ``Order``, ...).

    Every row either becomes a record or comes back in ``.rejected`` with its line, column and
    reason; nothing is dropped.

    Args:
        kind: The model class to build.
        source: A path or an open text file.
        format: ``"csv"`` or ``"jsonl"``; by default from the file suffix (``.jsonl``, ``.ndjson``
            and ``.json`` are JSON Lines, anything else CSV).
        columns: cs8 field name -> column (or JSON key) in your file, for exports with other names.
        timezone: IANA zone for timestamps written without an offset; without it they are rejected.
        strict: Raise :class:`~cs8.LoadError` listing the first problems instead of returning
            rejected rows.
        encoding: The file's text encoding.
        delimiter: The CSV delimiter.

    Returns:
        A :class:`LoadResult` with ``len(records) + len(rejected) == rows_read``.

    Raises:
        LoadError: If the file does not exist, is empty, lacks a required column, or (with
            ``strict``) has bad rows.

    Example:
        >>> import io
        >>> from cs8 import Customer
        >>> f = io.StringIO("id,segment\\nC1,repeat\\n,vip\\n")
        >>> result = read_records(Customer, f)
        >>> len(result.records), str(result.rejected[0])
        (1, "<stream>:3: column 'id' = '': missing value for required field id")
    """
    reader = _Reader(kind, columns=columns, timezone=timezone)
    built, rejected, rows, name = reader.read_all(source, format, encoding, delimiter)
    return _finish([record for _, record in built], rejected, rows, name, strict)


def read_customers(source: PathOrFile, **options: Unpack[ReadOptions]) -> LoadResult[Customer]:
    """Read customers from CSV or JSON Lines; the arguments are those of :func:`read_records`.

    Example:
        >>> import io
        >>> f = io.StringIO("customer_id,segment\\nC1,vip\\nC2,gold\\n")
        >>> result = read_customers(f, columns={"id": "customer_id"})
        >>> [c.id for c in result.records], [r.line for r in result.rejected]
        (['C1'], [3])
    """
    return read_records(Customer, source, **options)


def read_interactions(
    source: PathOrFile, **options: Unpack[ReadOptions]
) -> LoadResult[Interaction]:
    """Read interactions (calls, chats, ...); the arguments are those of :func:`read_records`.

    Durations (talk, hold, wrap) may be seconds, ``H:MM:SS`` or ISO 8601 durations.

    Example:
        >>> import io
        >>> f = io.StringIO(
        ...     "id,customer_id,channel,started_at,answered_at,talk_time\\n"
        ...     "I1,C1,phone,2026-01-05 09:00:00,2026-01-05 09:00:12,0:03:00\\n"
        ...     "I2,C1,phone,2026-01-05 09:05:00,2026-01-05 09:04:00,60\\n")
        >>> result = read_interactions(f, timezone="Asia/Ho_Chi_Minh")
        >>> result.records[0].wait_time, result.rejected[0].line
        (datetime.timedelta(seconds=12), 3)
    """
    return read_records(Interaction, source, **options)


def read_orders(source: PathOrFile, **options: Unpack[ReadOptions]) -> LoadResult[Order]:
    """Read orders from CSV or JSON Lines; the arguments are those of :func:`read_records`.

    Example:
        >>> import io
        >>> f = io.StringIO('{"id": "O1", "customer_id": "C1", "at": "2026-01-05T10:00:00+07:00", '
        ...                 '"amount": "250000"}\\n')
        >>> read_orders(f, format="jsonl").records[0].amount
        Decimal('250000')
    """
    return read_records(Order, source, **options)


def read_survey_responses(
    source: PathOrFile, **options: Unpack[ReadOptions]
) -> LoadResult[SurveyResponse]:
    """Read CSAT, NPS and CES responses; the arguments are those of :func:`read_records`.

    Example:
        >>> import io
        >>> f = io.StringIO("kind,score,at\\nnps,9,2026-01-05T10:00:00Z\\nnps,11,2026-01-05T10:00:00Z\\n")
        >>> result = read_survey_responses(f)
        >>> len(result.records), result.rejected[0].reason
        (1, 'SurveyResponse.score must be in 0..10 for a nps survey, got 11')
    """
    return read_records(SurveyResponse, source, **options)


def read_tickets(
    source: PathOrFile,
    events: PathOrFile | None = None,
    *,
    format: str | None = None,
    events_format: str | None = None,
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
    timezone: str | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> LoadResult[Ticket]:
    """Read tickets: one row per ticket plus an events file, or JSON Lines with nested events.

    The events file has the columns in :data:`EVENT_COLUMNS` (``type`` is ``message``,
    ``status_change``, ``priority_change`` or ``assignment``). Each ticket's events are put in time
    order (ties keep the file's order). A bad event row is returned in ``.rejected_events`` and
    its ticket in ``.rejected`` (a ticket with a hole in its history would give wrong figures); an
    event for a ticket that is not in the tickets file is rejected too.

    Args:
        source: The tickets file (CSV, or JSON Lines whose objects may hold an ``events`` list).
        events: The events file, for CSV tickets.
        events_format: The events file's format (default: from its suffix).
        event_columns: Event field name -> column in your events file.
        format: The tickets file's format (see :func:`read_records`).
        columns: cs8 ticket field -> column in your tickets file.
        timezone: IANA zone for timestamps written without an offset.
        strict: Raise :class:`~cs8.LoadError` instead of returning rejected rows.
        encoding: The files' text encoding.
        delimiter: The CSV delimiter.

    Example:
        >>> import io
        >>> tickets = io.StringIO("id,customer_id,channel,created_at\\nT1,C1,email,2026-01-05 09:00\\n")
        >>> tickets.name = "tickets.csv"
        >>> events = io.StringIO("ticket_id,type,at,author,status\\n"
        ...                      "T1,status_change,2026-01-05 11:00,,solved\\n"
        ...                      "T1,message,2026-01-05 10:00,agent,\\n")
        >>> result = read_tickets(tickets, events, timezone="Asia/Ho_Chi_Minh")
        >>> t = result.records[0]
        >>> t.first_reply_at.hour, t.solved_at.hour, result.events_read
        (10, 11, 2)
    """
    reader = _Reader(Ticket, columns=columns, timezone=timezone, skip=("events",))
    jsonl = detect_format(source, format) == "jsonl"
    if jsonl:
        reader.kinds["events"] = Any
        reader.mapping["events"] = (columns or {}).get("events", "events")
    built, rejected, rows, name = reader.read_all(source, format, encoding, delimiter)
    if events is None:
        return _finish([t for _, t in built], rejected, rows, name, strict)

    tickets_by_id: dict[str, tuple[int, Ticket]] = {t.id: (line, t) for line, t in built}
    per_ticket: dict[str, list[tuple[Any, int, TicketEvent]]] = {}
    bad_event_lines: dict[str, list[int]] = {}
    rejected_events: list[RejectedRow] = []
    events_read = 0
    event_reader = _EventReader(event_columns, timezone)
    for ev_name, line, data, problem, raw in event_reader.rows(
        events, events_format, encoding, delimiter
    ):
        events_read += 1
        ticket_id = (data or {}).get("ticket_id") or raw.get(event_reader.mapping["ticket_id"])
        if problem is None and data is not None:
            event = event_reader.build_event(data, ev_name, line, raw)
            if isinstance(event, RejectedRow):
                problem = event
            elif ticket_id not in tickets_by_id:
                problem = RejectedRow(
                    source=ev_name,
                    line=line,
                    column=event_reader.mapping["ticket_id"],
                    value=str(ticket_id),
                    reason=f"no ticket {ticket_id!r} was loaded from {name}",
                    row=raw,
                )
            else:
                per_ticket.setdefault(ticket_id, []).append((event.at, line, event))
                continue
        assert problem is not None
        rejected_events.append(problem)
        if isinstance(ticket_id, str) and ticket_id in tickets_by_id:
            bad_event_lines.setdefault(ticket_id, []).append(line)

    records: list[Ticket] = []
    events_name = str(getattr(events, "name", events))
    for line, ticket in built:
        items = sorted(per_ticket.get(ticket.id, []), key=lambda item: (item[0], item[1]))
        if ticket.id in bad_event_lines:
            lines = ", ".join(str(n) for n in bad_event_lines[ticket.id])
            reason = f"ticket {ticket.id!r} has rejected events (lines {lines} of the events file)"
        else:
            try:
                records.append(attrs.evolve(ticket, events=tuple(e for _, _, e in items)))
                continue
            except Cs8Error as exc:
                reason = str(exc)
        # The ticket is rejected, and with it every event loaded for it.
        rejected.append(RejectedRow(source=name, line=line, column=None, value=None, reason=reason))
        for _, ev_line, _ in items:
            rejected_events.append(
                RejectedRow(
                    source=events_name,
                    line=ev_line,
                    column=None,
                    value=None,
                    reason=f"its ticket {ticket.id!r} was rejected",
                )
            )
    rejected.sort(key=lambda r: r.line)
    rejected_events.sort(key=lambda r: r.line)
    return _finish(
        records,
        rejected,
        rows,
        name,
        strict,
        rejected_events=tuple(rejected_events),
        events_read=events_read,
    )


@attrs.frozen(kw_only=True)
class _EventRow:
    """The columns of an events file, for the reader's column mapping."""

    ticket_id: str
    type: str
    at: str
    author: str | None = None
    author_id: str | None = None
    public: bool | None = None
    channel: str | None = None
    status: str | None = None
    priority: str | None = None
    agent_id: str | None = None
    group: str | None = None


class _EventReader(_Reader):
    def __init__(self, columns: Mapping[str, str] | None, timezone: str | None) -> None:
        super().__init__(_EventRow, columns=columns, timezone=timezone, what="event")

    def build_event(
        self, data: dict[str, Any], name: str, line: int, raw: dict[str, Any]
    ) -> TicketEvent | RejectedRow:
        kind = str(data.get("type", "")).strip().lower()
        cls = _EVENT_CLASSES.get(kind)
        if cls is None:
            return RejectedRow(
                source=name,
                line=line,
                column=self.mapping["type"],
                value=kind,
                reason="type must be one of message, status_change, priority_change, assignment",
                row=raw,
            )
        allowed = {f.name for f in data_fields(cls)}
        payload = {k: v for k, v in data.items() if k in allowed}
        built: TicketEvent | RejectedRow = self._structure(payload, cls, name, line, raw)
        return built
