"""Loaders for customers, tickets (with their events), interactions, orders and survey responses."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypedDict, TypeVar

from typing_extensions import Unpack

from cs8._models import Customer, Interaction, Order, SurveyResponse, Ticket, TicketEvent
from cs8.exceptions import LoadError
from cs8.io._build import ColumnSpec, ReadSpec, RecordBuilder
from cs8.io._common import LoadResult, RejectedRow, detect_format
from cs8.io._csvrows import csv_records
from cs8.io._events import (
    EVENT_COLUMNS,
    TICKET_COLUMN_HINTS,
    EventBuilder,
    attach,
    nested_events,
    order_warnings,
)
from cs8.io._rows import (
    Collector,
    Meter,
    Progress,
    channel_warning,
    columns_warning,
    iter_blocks,
    source_name,
)
from cs8.io._source import PathOrFile, escape, open_source
from cs8.io._values import YEARS, DateFormat

__all__ = [
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
    columns: Mapping[str, ColumnSpec] | None
    values: Mapping[str, Mapping[Any, Any]] | None
    constants: Mapping[str, Any] | None
    missing: Collection[str] | Mapping[str, Collection[str]]
    date_format: DateFormat
    timezone: str | None
    years: tuple[int, int] | None
    duplicates: str
    strict: bool
    encoding: str
    delimiter: str
    progress: Progress


def make_spec(
    columns: Mapping[str, Any] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    constants: Mapping[str, Any] | None = None,
    missing: Collection[str] | Mapping[str, Collection[str]] = (),
    date_format: DateFormat = None,
    timezone: str | None = None,
    years: tuple[int, int] | None = YEARS,
    duplicates: str = "reject",
) -> ReadSpec:
    """The :class:`ReadSpec` of a reader's keyword options."""
    return ReadSpec(
        columns=columns or {},
        values=values or {},
        constants=constants or {},
        missing=missing,
        date_format=date_format,
        timezone=timezone,
        years=years,
        duplicates=duplicates,
    )


def read_records(
    kind: type[T],
    source: PathOrFile,
    *,
    format: str | None = None,
    columns: Mapping[str, ColumnSpec] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    constants: Mapping[str, Any] | None = None,
    missing: Collection[str] | Mapping[str, Collection[str]] = (),
    date_format: DateFormat = None,
    timezone: str | None = None,
    years: tuple[int, int] | None = YEARS,
    duplicates: str = "reject",
    strict: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
    progress: Progress = False,
) -> LoadResult[T]:
    """Read records of a flat cs8 model (``Customer``, ``Interaction``, ``Order``, ...).

    Every row either becomes a record or comes back in ``.rejected`` with its line, column and
    reason; nothing is dropped, and no error but a :class:`~cs8.Cs8Error` comes out, whatever the
    file holds.

    Args:
        kind: The model class to build.
        source: A path, a binary file or a text stream.
        format: ``"csv"`` or ``"jsonl"``; by default from the file suffix (``.jsonl``, ``.ndjson``
            and ``.json`` are JSON Lines, anything else CSV).
        columns: cs8 field -> column (or JSON key); a tuple of columns is joined with a space (a
            date column and a time column); a list gives alternatives, the first non-empty wins.
        values: cs8 field -> {value in the file: cs8 value}, e.g.
            ``{"priority": {"3 - Moderate": "normal"}}``; ``None`` as a cs8 value means empty.
            Keys match exactly, else ignoring case and outer spaces.
        constants: cs8 field -> value, for fields the file has no column for
            (``{"channel": "phone"}``).
        missing: Texts that mean "no value" (``["NULL", "0:00:00"]``), or column -> such texts.
        date_format: How instants are written: ``None`` for ISO 8601, a strptime format such as
            ``"%d-%m-%Y %H:%M"`` (or a list tried in order), ``"dayfirst"``, ``"monthfirst"``,
            ``"epoch"`` (seconds) or ``"epoch_ms"``; or a mapping field -> one of those.
        timezone: IANA zone for instants written without an offset; without it they are rejected.
        years: Inclusive range of years an instant may fall in (default 1900-2200); ``None``
            accepts any.
        duplicates: A repeated id rejects every row that has it (``"reject"``, the default, with
            the reason ``"duplicate id"``), or keeps the first or last (``"keep_first"``,
            ``"keep_last"``; the other rows are rejected).
        strict: Raise :class:`~cs8.LoadError` at the first problem instead of returning rejected
            rows.
        encoding: The file's text encoding; a byte-order mark overrides it.
        delimiter: The CSV delimiter.
        progress: ``True`` for a progress bar on long loads (needs ``tqdm``, the ``progress``
            extra), or a callable given the number of rows read, every 10,000 rows.

    Returns:
        A :class:`LoadResult` with ``len(records) + len(rejected) == rows_read``.

    Raises:
        LoadError: If the file does not exist, cannot be decoded, is empty, lacks a required
            column, or (with ``strict``) has a bad row.

    Example:
        >>> import io
        >>> from cs8 import Customer
        >>> f = io.StringIO("id,segment\\nC1,repeat\\n,vip\\n")
        >>> result = read_records(Customer, f)
        >>> len(result.records), str(result.rejected[0])
        (1, "<stream>:3: column 'id' = '': missing value for required field id")
    """
    spec = make_spec(columns, values, constants, missing, date_format, timezone, years, duplicates)
    builder = RecordBuilder(kind, spec)
    collector = Collector(source_name(source), strict=strict, duplicates=duplicates)
    with Meter(progress, collector.name) as meter:
        blocks = iter_blocks(source, builder, format, encoding, delimiter, columnar=not strict)
        for block in blocks:
            collector.add_block(block)
            meter.add(collector.rows - meter.rows)
    for warning in (
        channel_warning(builder.unknown_channels),
        columns_warning(builder.unread_columns()),
    ):
        if warning:
            collector.warnings.append(warning)
    return collector.result()


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
        ...     "I1,C1,voice,2026-01-05 09:00:00,2026-01-05 09:00:12,0:03:00\\n"
        ...     "I2,C1,phone,2026-01-05 09:05:00,2026-01-05 09:04:00,60\\n")
        >>> result = read_interactions(f, timezone="Asia/Ho_Chi_Minh")
        >>> call = result.records[0]
        >>> call.wait_time, call.channel, call.channel_raw, result.rejected[0].line
        (datetime.timedelta(seconds=12), Channel.PHONE, 'voice', 3)
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
    columns: Mapping[str, ColumnSpec] | None = None,
    event_columns: Mapping[str, ColumnSpec] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    constants: Mapping[str, Any] | None = None,
    missing: Collection[str] | Mapping[str, Collection[str]] = (),
    date_format: DateFormat = None,
    timezone: str | None = None,
    years: tuple[int, int] | None = YEARS,
    duplicates: str = "reject",
    before_created: str = "reject",
    strict: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> LoadResult[Ticket]:
    """Read tickets: one row per ticket plus an events file, or JSON Lines with nested events.

    The events file has the columns in :data:`EVENT_COLUMNS` (``type`` is ``message``,
    ``status_change``, ``priority_change`` or ``assignment``). Each ticket's events are put in time
    order (ties keep the file's order; ``.warnings`` says how many tickets needed it). A bad event
    row is returned in ``.rejected_events`` and its ticket in ``.rejected`` (a ticket with a hole in
    its history would give wrong figures); an event for a ticket that is not in the tickets file is
    rejected too, and so is a ticket with an event before its creation unless
    ``before_created="clamp"`` (the event is moved to the creation instant, and counted in
    ``.warnings``).

    Args:
        source: The tickets file (CSV, or JSON Lines whose objects may hold an ``events`` list).
        events: The events file, for CSV tickets.
        events_format: The events file's format (default: from its suffix).
        event_columns: Event column name (see :data:`EVENT_COLUMNS`) -> column in your file.
        before_created: ``"reject"`` or ``"clamp"``.
        format: See :func:`read_records`, and so are the other options; ``values`` maps both
            ticket and event fields (``{"status": {"Resolved": "solved"}}``).
        columns: cs8 ticket field -> column in your tickets file.
        values: See :func:`read_records`.
        constants: See :func:`read_records`.
        missing: See :func:`read_records`.
        date_format: See :func:`read_records`.
        timezone: See :func:`read_records`.
        years: See :func:`read_records`.
        duplicates: See :func:`read_records`.
        strict: See :func:`read_records`.
        encoding: See :func:`read_records`.
        delimiter: See :func:`read_records`.

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
        >>> result.warnings
        ("the events of 1 ticket(s) were not in time order in the file; they were ordered by time (ties keep the file's order)",)
    """
    for field in values or {}:
        if field not in _TICKET_FIELDS and field not in EVENT_COLUMNS:
            raise LoadError(
                f"values maps {escape(repr(field))}, which is not a field of Ticket or of its "
                "events"
            )
    ticket_values = {k: v for k, v in (values or {}).items() if k in _TICKET_FIELDS}
    event_values = {k: v for k, v in (values or {}).items() if k not in _TICKET_FIELDS}
    spec = make_spec(
        columns, ticket_values, constants, missing, date_format, timezone, years, duplicates
    )
    event_spec = make_spec(event_columns, event_values, None, missing, date_format, timezone, years)
    jsonl = detect_format(source, format) == "jsonl"
    event_builder = EventBuilder(event_spec)
    builder = RecordBuilder(Ticket, spec, skip=("events",), extra_keys=("events",) if jsonl else ())
    name = source_name(source)
    collector = Collector(name, strict=strict, duplicates=duplicates)
    nested: dict[int, list[tuple[int, TicketEvent]]] = {}

    def from_json(obj: Mapping[str, Any], line: int, src: str) -> Any:
        ticket = builder.from_json(obj, line, src)
        if isinstance(ticket, RejectedRow):
            return ticket
        built = nested_events(obj, line, src, event_builder)
        if isinstance(built, str):
            return builder._reject(src, line, obj, built)
        nested[line] = built
        return ticket

    blocks = iter_blocks(
        source, builder, format, encoding, delimiter, from_json, columnar=not strict
    )
    for block in blocks:
        collector.add_block(block)
    kept = list(zip(*collector.settled(), strict=True))
    per_ticket: dict[str, list[tuple[int, TicketEvent]]] = {}
    rejected_events: list[RejectedRow] = []
    bad_lines: dict[str, list[int]] = {}
    events_read = 0
    events_name = source_name(events) if events is not None else name
    if events is not None:
        known = {t.id for _, t in kept}
        events_name, events_read = _read_events(
            events,
            events_format,
            event_builder,
            known,
            name,
            encoding,
            delimiter,
            per_ticket,
            rejected_events,
            bad_lines,
            strict,
        )
    else:
        for line, ticket in kept:
            per_ticket[ticket.id] = nested.get(line, [])
    records: list[Ticket] = []
    reordered = clamped = 0
    for line, ticket in kept:
        items = per_ticket.get(ticket.id, [])
        if ticket.id in bad_lines:
            lines = ", ".join(str(n) for n in bad_lines[ticket.id][:20])
            outcome: Ticket | str = (
                f"ticket {escape(repr(ticket.id))} has rejected events (lines {lines} of "
                f"{events_name})"
            )
        else:
            outcome, moved, n_clamped = attach(ticket, items, before_created)
            reordered += moved
            clamped += n_clamped
        if isinstance(outcome, Ticket):
            records.append(outcome)
            continue
        collector.reject(
            RejectedRow(source=name, line=line, column=None, value=None, reason=outcome)
        )
        if events is not None:
            for ev_line, _ in items:
                rejected_events.append(
                    RejectedRow(
                        source=events_name,
                        line=ev_line,
                        column=None,
                        value=None,
                        reason=f"its ticket {escape(repr(ticket.id))} was rejected",
                    )
                )
    collector.warnings.extend(order_warnings(reordered, clamped))
    unread = columns_warning(builder.unread_columns(), TICKET_COLUMN_HINTS)
    unread_events = columns_warning(event_builder.unread_columns())
    for warning in (
        channel_warning(builder.unknown_channels),
        unread and f"{name}: {unread}",
        unread_events and f"{events_name}: {unread_events}",
    ):
        if warning:
            collector.warnings.append(warning)
    rejected_events.sort(key=lambda r: r.line)
    return collector.result(
        records, rejected_events=tuple(rejected_events), events_read=events_read
    )


_TICKET_FIELDS = frozenset(
    (
        "id",
        "customer_id",
        "channel",
        "created_at",
        "priority",
        "category",
        "tags",
        "language",
        "created_by",
        "merged_into",
        "attributes",
    )
)


def _read_events(
    events: PathOrFile,
    events_format: str | None,
    builder: EventBuilder,
    known: set[str],
    tickets_name: str,
    encoding: str,
    delimiter: str,
    per_ticket: dict[str, list[tuple[int, TicketEvent]]],
    rejected: list[RejectedRow],
    bad_lines: dict[str, list[int]],
    strict: bool,
) -> tuple[str, int]:
    """Read an events file into ``per_ticket``; return its name and how many rows it had."""
    if detect_format(events, events_format) != "csv":
        raise LoadError("an events file must be CSV (JSON Lines tickets nest their events)")
    read = 0
    with open_source(events, encoding) as src:
        name = src.name
        header, records = csv_records(src.lines, delimiter, name)
        builder.bind_header(header, name)
        for line, cells, problem in records:
            read += 1
            ticket_id = ""
            if cells is None:
                event: Any = RejectedRow(
                    source=name, line=line, column=None, value=None, reason=str(problem)
                )
            else:
                ticket_id, event = builder.from_cells(cells, line, name)
                if not isinstance(event, RejectedRow) and ticket_id not in known:
                    event = RejectedRow(
                        source=name,
                        line=line,
                        column=builder.ticket_column,
                        value=ticket_id,
                        reason=f"no ticket {escape(repr(ticket_id))} was loaded from "
                        f"{tickets_name}",
                        row=dict(zip(header, cells, strict=False)),
                    )
            if isinstance(event, RejectedRow):
                if strict:
                    raise LoadError(str(event))
                rejected.append(event)
                if ticket_id in known:
                    bad_lines.setdefault(ticket_id, []).append(line)
                continue
            per_ticket.setdefault(ticket_id, []).append((line, event))
    return name, read
