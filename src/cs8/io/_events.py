"""Ticket events from rows, and tickets put together with their events.

An event row names its kind (``message``, ``status_change``, ``priority_change``, ``assignment``)
and only that kind's fields are read; a kind's own field may not be empty (an empty status is not
"solved"). :func:`attach` gives each ticket its events in time order, and applies the rule for
events before the ticket's creation (``before_created="reject"`` or ``"clamp"``).

Example:
    >>> from cs8.io._build import ReadSpec
    >>> b = EventBuilder(ReadSpec(timezone="UTC"))
    >>> b.bind_header(["ticket_id", "type", "at", "status"], "e.csv")
    >>> b.from_cells(["T1", "status_change", "2026-01-05 10:00", "solved"], 2, "e.csv")[1].status
    TicketStatus.SOLVED
    >>> print(b.from_cells(["T1", "status_change", "2026-01-05 10:00", ""], 3, "e.csv")[1])
    e.csv:3: column 'status' = '': empty cell for StatusChange.status (it has no default for empty cells; map '' with values=)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from cs8._ticket import Assignment, PriorityChange, StatusChange, Ticket, TicketEvent
from cs8.exceptions import Cs8Error, LoadError
from cs8.io._build import ReadSpec, RecordBuilder
from cs8.io._common import RejectedRow, data_fields
from cs8.io._source import escape
from cs8.io._values import unquote
from cs8.serialization import EVENT_TAGS

__all__ = ["EVENT_COLUMNS", "TICKET_COLUMN_HINTS", "EventBuilder", "attach"]

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
    "text",
    "id",
)
"""The columns of a ticket events file (``ticket_id``, ``type`` and ``at`` are required)."""

TICKET_COLUMN_HINTS: Mapping[str, str] = MappingProxyType(
    {
        "status": (
            "a ticket's status comes from its events: pass an events file, or read a "
            "one-row-per-status export with read_event_log"
        ),
    }
)
"""Why a tickets file's column is not read, for the ``columns not read`` warning."""

_KINDS: dict[str, type] = {tag: cls for cls, tag in EVENT_TAGS.items()}
_KINDS.update({"status": StatusChange, "priority": PriorityChange, "assign": Assignment})
_KINDS_SHOWN = tuple(EVENT_TAGS.values())
_BEFORE_CREATED = ("reject", "clamp")


def _sub_spec(spec: ReadSpec, cls: type) -> ReadSpec:
    names = {f.name for f in data_fields(cls)}
    return attrs.evolve(
        spec,
        columns={k: v for k, v in spec.columns.items() if k in names},
        values={k: v for k, v in spec.values.items() if k in names},
        constants={k: v for k, v in spec.constants.items() if k in names},
    )


class EventBuilder:
    """Builds ticket events from rows of an events file or from nested JSON objects.

    Args:
        spec: The options; ``spec.columns`` maps event fields (and ``ticket_id``, ``type``) to
            columns.
    """

    def __init__(self, spec: ReadSpec) -> None:
        known = set(EVENT_COLUMNS)
        for field in (*spec.columns, *spec.values):
            if field not in known:
                raise LoadError(
                    f"event_columns maps {escape(repr(field))}, which is not an event column; "
                    f"columns are: {', '.join(EVENT_COLUMNS)}"
                )
        self.ticket_column = str(spec.columns.get("ticket_id", "ticket_id"))
        self.type_column = str(spec.columns.get("type", "type"))
        self.builders = {
            cls: RecordBuilder(cls, _sub_spec(spec, cls), extra_keys=("type", "ticket_id"))
            for cls in EVENT_TAGS
        }
        self.header: list[str] = []

    def bind_header(self, header: list[str], source: str) -> None:
        """Find the columns of every event kind in the events file's header.

        Raises:
            LoadError: If ``ticket_id``, ``type`` or ``at`` has no column.
        """
        for column in (self.ticket_column, self.type_column):
            if column not in header:
                raise LoadError(
                    f"{source} lacks required column {escape(repr(column))}; its header is: "
                    f"{escape(', '.join(header), 300)}"
                )
        self.header = header
        self.ticket_index = header.index(self.ticket_column)
        self.type_index = header.index(self.type_column)
        for builder in self.builders.values():
            builder.bind_header(header, source)

    def unread_columns(self) -> list[str]:
        """Return the bound header's columns that no event kind reads, in header order.

        Example:
            >>> from cs8.io._build import ReadSpec
            >>> b = EventBuilder(ReadSpec(timezone="UTC"))
            >>> b.bind_header(["ticket_id", "type", "at", "status", "note"], "e.csv")
            >>> b.unread_columns()
            ['note']
        """
        unread = set.intersection(*(set(b.unread_columns()) for b in self.builders.values()))
        return [c for c in self.header if c in unread]

    def _kind(self, text: Any) -> type | None:
        return _KINDS.get(str(text).strip().lower()) if isinstance(text, str) else None

    def from_cells(self, cells: list[str], line: int, source: str) -> tuple[str, Any]:
        """Return ``(ticket id, event or RejectedRow)`` for one row of the events file."""
        ticket_id = unquote(cells[self.ticket_index].strip())
        cls = self._kind(cells[self.type_index])
        if cls is None:
            return ticket_id, self._bad_type(cells[self.type_index], line, source, cells)
        if not ticket_id:
            builder = self.builders[cls]
            reason = "missing value for required field ticket_id"
            return ticket_id, builder._reject(source, line, cells, reason)
        return ticket_id, self.builders[cls].from_cells(cells, line, source)

    def from_json(self, obj: Mapping[str, Any], line: int, source: str) -> Any:
        """Return the event (or a :class:`RejectedRow`) for one nested JSON event object."""
        cls = self._kind(obj.get("type"))
        if cls is None:
            return self._bad_type(obj.get("type"), line, source, obj)
        return self.builders[cls].from_json(obj, line, source)

    def _bad_type(self, value: Any, line: int, source: str, raw: Any) -> RejectedRow:
        row = dict(zip(self.header, raw, strict=False)) if isinstance(raw, list) else dict(raw)
        return RejectedRow(
            source=source,
            line=line,
            column=self.type_column,
            value=None if value is None else escape(str(value), 80),
            reason="type must be one of " + ", ".join(_KINDS_SHOWN),
            row=row,
        )


def attach(
    ticket: Ticket,
    items: list[tuple[int, TicketEvent]],
    before_created: str,
) -> tuple[Ticket | str, bool, int]:
    """Give ``ticket`` its events in time order (ties in file order).

    Returns:
        ``(ticket or the reason it is rejected, whether the file order was not time order, how
        many events were moved to the creation instant)``.
    """
    if before_created not in _BEFORE_CREATED:
        raise LoadError(f"before_created must be 'reject' or 'clamp', got {before_created!r}")
    created = ticket.created_at
    clamped = 0
    events: list[tuple[Any, int, TicketEvent]] = []
    for line, event in items:
        if event.at < created and before_created == "clamp":
            event = attrs.evolve(event, at=created)
            clamped += 1
        events.append((event.at, line, event))
    ordered = sorted(events, key=lambda item: (item[0], item[1]))
    reordered = [e[1] for e in ordered] != [e[1] for e in events]
    try:
        return attrs.evolve(ticket, events=tuple(e for _, _, e in ordered)), reordered, clamped
    except Cs8Error as exc:
        hint = " (pass before_created='clamp' to keep it)" if before_created == "reject" else ""
        return f"{exc}{hint}", reordered, clamped


def order_warnings(reordered: int, clamped: int) -> list[str]:
    """The warnings about events put in time order and events moved to the creation instant."""
    out = []
    if reordered:
        out.append(
            f"the events of {reordered} ticket(s) were not in time order in the file; they were "
            "ordered by time (ties keep the file's order)"
        )
    if clamped:
        out.append(
            f"{clamped} event(s) before their ticket's creation were moved to the creation "
            "instant (before_created='clamp')"
        )
    return out


def nested_events(
    obj: Mapping[str, Any], line: int, source: str, builder: EventBuilder
) -> list[tuple[int, TicketEvent]] | str:
    """The events nested in a JSON ticket object (``"events"``), or the reason they are not."""
    items = obj.get("events", [])
    if not isinstance(items, list):
        return "events must be a list of objects"
    built: list[tuple[int, TicketEvent]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            return f"events[{i}] must be an object"
        event = builder.from_json(item, line, source)
        if isinstance(event, RejectedRow):
            return f"events[{i}]: {event.reason}"
        built.append((line, event))
    return built
