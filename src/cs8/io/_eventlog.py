"""Tickets from one table of (case, instant, status or activity, resource ...) rows.

Process-mining logs (the 4TU helpdesk log, XES exported as CSV) and ITSM audit or state-history
exports (ServiceNow's ``sys_audit``, ``incident`` state history) write a ticket's history as one
row per change. :func:`read_event_log` groups the rows by case, orders them (by a sequence column
when given, else by time, saying so when that differs from the file's order), and turns them into
ticket events through value maps:

- an **activity** maps to a status (``"Resolve ticket"`` -> ``"solved"``), to ``"assignment"``
  (to the row's resource), ``"reply"`` (a public agent message by the resource),
  ``"customer_message"``, ``"note"`` (a private agent message), or to ``None`` (no event; such
  rows are counted in the warnings);
- a **status** column gives the status from that row on: a change of value is a status change;
- a **resource** column without activities: a change of value is an assignment;
- a **priority** column: the first row's is the priority at creation, changes are priority changes.

Example:
    >>> import io
    >>> log = io.StringIO(
    ...     "case,at,activity,who\\n"
    ...     "C1,2026-01-05 09:00,Insert ticket,\\n"
    ...     "C1,2026-01-05 09:30,Take in charge ticket,ann\\n"
    ...     "C1,2026-01-05 11:00,Resolve ticket,ann\\n")
    >>> result = read_event_log(log, case="case", at="at", activity="activity", resource="who",
    ...                         constants={"customer_id": "unknown"}, timezone="UTC")
    >>> t = result.records[0]
    >>> t.assignee, t.solved_at.hour, t.created_at.hour
    ('ann', 11, 9)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

import attrs

from cs8._enums import ActorKind, Channel, Priority, TicketStatus
from cs8._frozen import FrozenDict
from cs8._ticket import Assignment, Message, PriorityChange, StatusChange, Ticket, TicketEvent
from cs8.exceptions import Cs8Error, LoadError
from cs8.io._common import LoadResult, RejectedRow
from cs8.io._csvrows import csv_records, suggest_delimiter
from cs8.io._events import attach, order_warnings
from cs8.io._rows import Collector, Meter, Progress, channel_warning, columns_warning, source_name
from cs8.io._source import PathOrFile, escape, open_source
from cs8.io._values import YEARS, DateFormat, DateParser, map_channel

__all__ = ["ACTIVITIES", "read_event_log"]

E = TypeVar("E", bound=Enum)

ACTIVITIES: Mapping[str, str | None] = FrozenDict(
    {
        # The 4TU helpdesk log (DOI 10.4121/uuid:0c60edf1-6f83-4e75-9367-4c63b3e9d5bb).
        "Insert ticket": None,
        "Take in charge ticket": "assignment",
        "Resolve ticket": "solved",
        "Wait": "pending",
        "Closed": "closed",
        # Common ITSM words.
        "Create": None,
        "Created": None,
        "Assign": "assignment",
        "Assigned": "assignment",
        "Resolve": "solved",
        "Resolved": "solved",
        "Close": "closed",
        "Reopen": "open",
        "Reopened": "open",
        "Reply": "reply",
    }
)
"""Activity names mapped by default (``values={"activity": {...}}`` adds to and overrides them);
matched exactly, else ignoring case and outer spaces."""

_ACTIONS = frozenset({"assignment", "reply", "customer_message", "note"})


def _case_error(source: str, line: int, reason: str) -> RejectedRow:
    return RejectedRow(source=source, line=line, column=None, value=None, reason=reason)


class _Log:
    """The columns and maps of one event log read (see :func:`read_event_log`)."""

    def __init__(
        self,
        header: list[str],
        source: str,
        columns: dict[str, str | None],
        values: Mapping[str, Mapping[Any, Any]],
        dates: dict[str, DateParser],
    ) -> None:
        where = {}
        for role, column in columns.items():
            if column is None:
                continue
            if column not in header:
                raise LoadError(
                    f"{source} lacks the {role} column {escape(repr(column))}; its header is: "
                    f"{escape(', '.join(header), 300)}{suggest_delimiter(header, ',')}"
                )
            where[role] = header.index(column)
        self.where = where
        self.columns = columns
        self.dates = dates
        activities: dict[str, Any] = dict(ACTIVITIES)
        activities.update(values.get("activity", {}))
        self.activities = activities
        self.folded = {k.strip().casefold(): v for k, v in activities.items()}
        self.values = values
        self.ignored: dict[str, int] = {}

    def cell(self, cells: list[str], role: str) -> str:
        i = self.where.get(role)
        return cells[i].strip() if i is not None else ""

    def mapped(self, role: str, text: str) -> Any:
        table = self.values.get(role, {})
        if text in table:
            return table[text]
        folded = text.casefold()
        for key, value in table.items():
            if isinstance(key, str) and key.strip().casefold() == folded:
                return value
        return text

    def activity(self, text: str) -> tuple[bool, Any]:
        if text in self.activities:
            return True, self.activities[text]
        folded = text.strip().casefold()
        if folded in self.folded:
            return True, self.folded[folded]
        return False, None


def _status(value: Any, what: str) -> TicketStatus:
    return _member(TicketStatus, value, f"{what} {escape(repr(value))}", "values=")


def _member(kind: type[E], value: Any, what: str, hint: str) -> E:
    try:
        return value if isinstance(value, kind) else kind(value)
    except ValueError:
        raise LoadError(f"{what} is not a cs8 {kind.__name__} (map it with {hint})") from None


def read_event_log(
    source: PathOrFile,
    *,
    case: str,
    at: str,
    created: str | None = None,
    status: str | None = None,
    activity: str | None = None,
    resource: str | None = None,
    priority: str | None = None,
    channel: str | None = None,
    customer: str | None = None,
    sequence: str | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    constants: Mapping[str, Any] | None = None,
    missing: Collection[str] = (),
    date_format: DateFormat = None,
    timezone: str | None = None,
    years: tuple[int, int] | None = YEARS,
    before_created: str = "reject",
    strict: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
    progress: Progress = False,
) -> LoadResult[Ticket]:
    """Read tickets from a single-table event log (one row per change of one case).

    Args:
        source: A CSV path, binary file or text stream.
        case: The column with the case (ticket) id.
        at: The column with the row's instant.
        created: The column with the case's creation instant (default: its first row's instant).
        status: A column with the status from this row on.
        activity: A column with the activity (see the module docstring and :data:`ACTIVITIES`).
        resource: A column with the agent who did the row's activity, or the assignee.
        priority: A column with the priority.
        channel: A column with the channel (else ``constants["channel"]``, else
            ``Channel.OTHER``).
        customer: A column with the customer id (else ``constants["customer_id"]`` is needed).
        sequence: A column (numbers or text) that orders a case's rows; without it rows are
            ordered by time, ties in file order, and ``.warnings`` says how many cases needed it.
        values: Per role (``"status"``, ``"activity"``, ``"priority"``, ``"channel"``) a map of raw
            values to cs8 values, e.g. ``{"status": {"Resolved": "solved"}}``.
        constants: ``customer_id``, ``channel`` or ``category`` for every ticket.
        missing: Texts that mean "no value" (``"NULL"``).
        date_format: See :func:`read_records` (a mapping may name ``at`` and ``created``).
        timezone: IANA zone for instants written without an offset.
        years: Inclusive range of years an instant may fall in; ``None`` for any.
        before_created: ``"reject"`` a case with a row before its creation, or ``"clamp"`` the row
            to the creation instant (counted in ``.warnings``).
        strict: Raise :class:`~cs8.LoadError` at the first problem.
        encoding: The file's text encoding; a byte-order mark overrides it.
        delimiter: The CSV delimiter.
        progress: ``True`` for a progress bar over the rows read (needs ``tqdm``, the
            ``progress`` extra), or a callable given the number of rows read, every 10,000 rows.

    Returns:
        A :class:`LoadResult` of tickets: ``rows_read`` counts cases, ``events_read`` rows; a bad
        row rejects its case (and is listed in ``rejected_events``), as in :func:`read_tickets`.

    Raises:
        LoadError: If a named column is missing, a mapped value is not a cs8 value, or no
            customer id can be had.
    """
    if status is None and activity is None:
        raise LoadError("read_event_log needs status= or activity= (or both)")
    consts = dict(constants or {})
    unknown = set(consts) - {"customer_id", "channel", "category"}
    if unknown:
        raise LoadError(f"constants may set customer_id, channel or category, not {unknown}")
    if customer is None and "customer_id" not in consts:
        raise LoadError(
            "read_event_log needs customer= (a column) or constants={'customer_id': ...}: "
            "a ticket has a requester"
        )
    dates = {
        role: DateParser(
            f"event log {role}",
            date_format.get(role) if isinstance(date_format, Mapping) else date_format,
            timezone,
            years,
        )
        for role in ("at", "created")
    }
    maps = dict(values or {})
    columns = {
        "case": case,
        "at": at,
        "created": created,
        "status": status,
        "activity": activity,
        "resource": resource,
        "priority": priority,
        "channel": channel,
        "customer": customer,
        "sequence": sequence,
    }
    name = source_name(source)
    collector = Collector(name, strict=strict, duplicates="reject", check_ids=False)
    cases: dict[str, list[tuple[int, Any, datetime, list[str]]]] = {}
    first_line: dict[str, int] = {}
    bad: dict[str, list[RejectedRow]] = {}
    rejected_events: list[RejectedRow] = []
    events_read = 0
    missing_texts = frozenset(missing)
    with open_source(source, encoding) as src, Meter(progress, name) as meter:
        name = src.name
        collector.name = name
        header, records = csv_records(src.lines, delimiter, name)
        log = _Log(header, name, columns, maps, dates)
        for line, cells, problem in records:
            events_read += 1
            meter.add()
            if cells is None:
                row_problem = _case_error(name, line, str(problem))
                if strict:
                    raise LoadError(str(row_problem))
                rejected_events.append(row_problem)
                continue
            if missing_texts:
                cells = ["" if c.strip() in missing_texts else c for c in cells]
            case_id = log.cell(cells, "case")
            try:
                if not case_id:
                    raise LoadError(f"missing case id in column {escape(repr(case))}")
                instant = dates["at"](log.cell(cells, "at"))
                order: Any = None
                if sequence is not None:
                    text = log.cell(cells, "sequence")
                    try:
                        order = (0, float(text), "")
                    except ValueError:
                        order = (1, 0.0, text)
            except Cs8Error as exc:
                row_problem = RejectedRow(
                    source=name,
                    line=line,
                    column=None,
                    value=None,
                    reason=escape(str(exc), 400),
                    row=dict(zip(header, cells, strict=False)),
                )
                if strict:
                    raise LoadError(str(row_problem)) from None
                rejected_events.append(row_problem)
                if case_id:
                    first_line.setdefault(case_id, line)
                    bad.setdefault(case_id, []).append(row_problem)
                    cases.setdefault(case_id, [])
                continue
            first_line.setdefault(case_id, line)
            cases.setdefault(case_id, []).append((line, order, instant, cells))
    records_out: list[Ticket] = []
    reordered = clamped = 0
    channel_counts: dict[str, int] = {}
    for case_id, rows in cases.items():
        line = first_line[case_id]
        collector.rows += 1
        if case_id in bad:
            lines = ", ".join(str(r.line) for r in bad[case_id][:20])
            collector.reject(
                _case_error(
                    name,
                    line,
                    f"case {escape(repr(case_id))} has rejected rows (lines {lines})",
                )
            )
            _reject_rows(rejected_events, rows, name, case_id)
            continue
        if sequence is not None:
            rows.sort(key=lambda r: (r[1], r[0]))
        else:
            ordered = sorted(rows, key=lambda r: (r[2], r[0]))
            if [r[0] for r in ordered] != [r[0] for r in rows]:
                reordered += 1
            rows = ordered
        try:
            ticket, n_clamped = _ticket(case_id, rows, log, consts, before_created, channel_counts)
        except Cs8Error as exc:
            if strict:
                raise LoadError(f"{name}:{line}: case {escape(repr(case_id))}: {exc}") from None
            collector.reject(_case_error(name, line, escape(str(exc), 400)))
            _reject_rows(rejected_events, rows, name, case_id)
            continue
        clamped += n_clamped
        records_out.append(ticket)
    collector.warnings.extend(order_warnings(reordered, clamped))
    if log.ignored:
        shown = ", ".join(f"{escape(repr(k), 40)} ({n})" for k, n in sorted(log.ignored.items()))
        collector.warnings.append(f"rows whose activity maps to no event: {shown}")
    read = set(columns.values())
    for warning in (
        channel_warning(channel_counts),
        columns_warning([c for c in header if c not in read]),
    ):
        if warning:
            collector.warnings.append(warning)
    rejected_events.sort(key=lambda r: r.line)
    return collector.result(
        records_out, rejected_events=tuple(rejected_events), events_read=events_read
    )


def _reject_rows(
    rejected: list[RejectedRow],
    rows: list[tuple[int, Any, datetime, list[str]]],
    name: str,
    case_id: str,
) -> None:
    for line, _, _, _ in rows:
        rejected.append(_case_error(name, line, f"its case {escape(repr(case_id))} was rejected"))


def _ticket(
    case_id: str,
    rows: list[tuple[int, Any, datetime, list[str]]],
    log: _Log,
    constants: Mapping[str, Any],
    before_created: str,
    channel_counts: dict[str, int],
) -> tuple[Ticket, int]:
    first = rows[0][3]
    created_text = log.cell(first, "created")
    created_at = log.dates["created"](created_text) if created_text else rows[0][2]
    customer_id = log.cell(first, "customer") or constants.get("customer_id")
    if not customer_id:
        raise LoadError(f"line {rows[0][0]}: missing customer id")
    raw_channel = log.cell(first, "channel") or constants.get("channel")
    channel_raw: str | None = None
    if raw_channel:
        mapped = log.mapped("channel", raw_channel)
        if isinstance(mapped, Channel):
            channel, channel_raw = mapped, raw_channel
        else:
            channel, channel_raw = map_channel(str(mapped))
            if mapped != raw_channel:
                channel_raw = raw_channel
            elif channel is Channel.OTHER:
                channel_counts[raw_channel] = channel_counts.get(raw_channel, 0) + 1
    else:
        channel = Channel.OTHER
    first_priority = log.cell(first, "priority")
    priority = (
        _priority(log.mapped("priority", first_priority), first_priority)
        if first_priority
        else Priority.NORMAL
    )
    events: list[tuple[int, TicketEvent]] = []
    status = TicketStatus.NEW
    current_priority = priority
    assignee: str | None = None
    for line, _, instant, cells in rows:
        who = log.cell(cells, "resource") or None
        if log.where.get("activity") is not None:
            text = log.cell(cells, "activity")
            found, target = log.activity(text)
            if not found:
                raise LoadError(
                    f"line {line}: activity {escape(repr(text))} has no mapping: map it with "
                    f"values={{'activity': {{{escape(repr(text))}: 'solved' | 'assignment' | "
                    "'reply' | ... | None}}"
                )
            if target is None:
                log.ignored[text] = log.ignored.get(text, 0) + 1
            elif target == "assignment":
                events.append((line, Assignment(at=instant, agent_id=who)))
                assignee = who
            elif target == "reply":
                events.append((line, Message(at=instant, author=ActorKind.AGENT, author_id=who)))
            elif target == "note":
                events.append(
                    (line, Message(at=instant, author=ActorKind.AGENT, author_id=who, public=False))
                )
            elif target == "customer_message":
                events.append((line, Message(at=instant, author=ActorKind.CUSTOMER)))
            else:
                new = _status(target, f"line {line}: activity {text!r} maps to")
                events.append((line, StatusChange(at=instant, status=new)))
                status = new
        elif who is not None and who != assignee:
            events.append((line, Assignment(at=instant, agent_id=who)))
            assignee = who
        status_text = log.cell(cells, "status")
        if status_text:
            new = _status(log.mapped("status", status_text), f"line {line}: status")
            if new is not status:
                events.append((line, StatusChange(at=instant, status=new)))
                status = new
        priority_text = log.cell(cells, "priority")
        if priority_text and line != rows[0][0]:
            new_priority = _priority(log.mapped("priority", priority_text), priority_text)
            if new_priority is not current_priority:
                events.append((line, PriorityChange(at=instant, priority=new_priority)))
                current_priority = new_priority
    ticket = Ticket(
        id=case_id,
        customer_id=str(customer_id),
        channel=channel,
        channel_raw=channel_raw,
        created_at=created_at,
        priority=priority,
        category=constants.get("category"),
    )
    if log.where.get("sequence") is not None:
        # Sequence order is the order: a row earlier in time than the one before it is an error.
        return _checked(ticket, events, before_created)
    outcome, _, clamped = attach(ticket, events, before_created)
    if isinstance(outcome, str):
        raise LoadError(outcome)
    return outcome, clamped


def _checked(
    ticket: Ticket, events: list[tuple[int, TicketEvent]], before_created: str
) -> tuple[Ticket, int]:
    moved = []
    clamped = 0
    for line, event in events:
        if event.at < ticket.created_at and before_created == "clamp":
            event = attrs.evolve(event, at=ticket.created_at)
            clamped += 1
        moved.append((line, event))
    try:
        return ticket.with_events(e for _, e in moved), clamped
    except Cs8Error as exc:
        raise LoadError(f"{exc} (in sequence order)") from None


def _priority(value: Any, raw: str) -> Priority:
    return _member(Priority, value, f"priority {escape(repr(raw))}", "values={'priority': ...}")
