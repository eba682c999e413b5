"""Writers for the loaders' formats, so data round-trips: CSV (tickets plus an events file) and JSON Lines."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from typing_extensions import Unpack

from cs8._models import Customer, Interaction, Order, SurveyResponse, Ticket
from cs8.exceptions import InvalidValueError
from cs8.io._common import PathOrFile, data_fields, data_to_text, detect_format, open_text
from cs8.io._events import EVENT_COLUMNS
from cs8.serialization import EVENT_TAGS, to_data

__all__ = [
    "WriteOptions",
    "neutralise",
    "write_customers",
    "write_interactions",
    "write_orders",
    "write_records",
    "write_survey_responses",
    "write_tickets",
]


class WriteOptions(TypedDict, total=False):
    """The keyword options of the per-model writers (see :func:`write_records`)."""

    format: str | None
    columns: Mapping[str, str] | None
    encoding: str
    formula_safe: bool


_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(cell: str) -> str:
    """Return ``cell`` made safe for spreadsheets: a formula-like cell gets a leading ``'``.

    As OWASP's "CSV Injection" page recommends, a cell starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return is prefixed with a single quote so a spreadsheet shows it as text
    instead of running it; numbers (``-5``, ``+1.5e3``) are left alone. A cell that already starts
    with quotes before such a character gets one more, so the readers, which remove one, give back
    exactly what was written.

    Example:
        >>> print(neutralise("=cmd|' /C calc'!A0"), neutralise("-5"), neutralise("@SUM(A1)"))
        '=cmd|' /C calc'!A0 -5 '@SUM(A1)
    """
    if cell and _FORMULA.match(cell) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def _header(
    kind: type, columns: Mapping[str, str] | None, skip: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    mapping = dict(columns or {})
    return [(f.name, mapping.get(f.name, f.name)) for f in data_fields(kind) if f.name not in skip]


def write_records(
    records: Iterable[Any],
    dest: PathOrFile,
    *,
    kind: type | None = None,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    formula_safe: bool = True,
) -> int:
    """Write records of one cs8 model as CSV or JSON Lines; return how many were written.

    Args:
        records: The records (all of one model class).
        dest: A path or an open text file.
        kind: The model class; by default the class of the first record (needed for an empty CSV).
        format: ``"csv"`` or ``"jsonl"``; by default from the suffix.
        columns: cs8 field name -> column name to write.
        encoding: The text encoding.
        formula_safe: In CSV, neutralise cells a spreadsheet would run as formulas (see
            :func:`neutralise`); the readers undo it.

    Example:
        >>> import io
        >>> from cs8 import Customer
        >>> out = io.StringIO()
        >>> write_records([Customer(id="C1", segment="vip")], out, format="csv")
        1
        >>> out.getvalue().splitlines()[1]
        'C1,vip,,,,,,'
    """
    items = list(records)
    if kind is None:
        if not items:
            raise InvalidValueError("write_records needs kind= when there are no records")
        kind = type(items[0])
    fmt = detect_format(dest, format)
    with open_text(dest, encoding, "w") as (handle, _):
        if fmt == "jsonl":
            for item in items:
                data = to_data(item)
                if columns:
                    data = {columns.get(k, k): v for k, v in data.items()}
                handle.write(json.dumps(data, ensure_ascii=False) + "\n")
            return len(items)
        header = _header(kind, columns, skip=("events",))
        writer = csv.writer(handle)
        writer.writerow([column for _, column in header])
        for item in items:
            data = to_data(item)
            cells = [data_to_text(data.get(field)) for field, _ in header]
            writer.writerow([neutralise(c) for c in cells] if formula_safe else cells)
    return len(items)


def write_customers(
    records: Iterable[Customer], dest: PathOrFile, **options: Unpack[WriteOptions]
) -> int:
    """Write customers; the options are those of :func:`write_records`.

    Example:
        >>> import io
        >>> from cs8 import Customer
        >>> write_customers([Customer(id="C1")], io.StringIO(), format="jsonl")
        1
    """
    return write_records(records, dest, kind=Customer, **options)


def write_interactions(
    records: Iterable[Interaction], dest: PathOrFile, **options: Unpack[WriteOptions]
) -> int:
    """Write interactions; the options are those of :func:`write_records`.

    Example:
        >>> import io
        >>> write_interactions([], io.StringIO(), format="csv")
        0
    """
    return write_records(records, dest, kind=Interaction, **options)


def write_orders(
    records: Iterable[Order], dest: PathOrFile, **options: Unpack[WriteOptions]
) -> int:
    """Write orders; the options are those of :func:`write_records`.

    Example:
        >>> import io
        >>> write_orders([], io.StringIO(), format="jsonl")
        0
    """
    return write_records(records, dest, kind=Order, **options)


def write_survey_responses(
    records: Iterable[SurveyResponse], dest: PathOrFile, **options: Any
) -> int:
    """Write survey responses; the options are those of :func:`write_records`.

    Example:
        >>> import io
        >>> write_survey_responses([], io.StringIO(), format="csv")
        0
    """
    return write_records(records, dest, kind=SurveyResponse, **options)


def write_tickets(
    tickets: Iterable[Ticket],
    dest: PathOrFile,
    events_dest: PathOrFile | None = None,
    *,
    format: str | None = None,
    encoding: str = "utf-8",
    formula_safe: bool = True,
) -> int:
    """Write tickets: JSON Lines with nested events, or a CSV of tickets plus a CSV of events.

    ``formula_safe`` is that of :func:`write_records`.

    Raises:
        InvalidValueError: If CSV is asked for, a ticket has events and ``events_dest`` is missing.

    Example:
        >>> import io
        >>> from datetime import datetime, timezone
        >>> from cs8 import Message, Ticket
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0,
        ...            events=[Message(at=t0, author="customer", text="Xin chào")])
        >>> tickets, events = io.StringIO(), io.StringIO()
        >>> write_tickets([t], tickets, events, format="csv")
        1
        >>> events.getvalue().splitlines()[1]
        'T1,message,2026-01-05T09:00:00+00:00,customer,,true,,,,,,Xin chào,'
    """
    items = list(tickets)
    fmt = detect_format(dest, format)
    if fmt == "jsonl":
        return write_records(items, dest, kind=Ticket, format="jsonl", encoding=encoding)
    if events_dest is None and any(t.events for t in items):
        raise InvalidValueError("write_tickets to CSV needs events_dest for the tickets' events")
    write_records(
        items, dest, kind=Ticket, format="csv", encoding=encoding, formula_safe=formula_safe
    )
    if events_dest is not None:
        with open_text(events_dest, encoding, "w") as (handle, _):
            writer = csv.writer(handle)
            writer.writerow(EVENT_COLUMNS)
            for ticket in items:
                for event in ticket.events:
                    data = to_data(event)
                    row = {"ticket_id": ticket.id, **data, "type": EVENT_TAGS[type(event)]}
                    cells = [data_to_text(row.get(c)) for c in EVENT_COLUMNS]
                    writer.writerow([neutralise(c) for c in cells] if formula_safe else cells)
    return len(items)
