"""Zendesk Support exports: the Fivetran connector's tables (as ``dbt_zendesk`` reads them), as CSV.

Tables read from a folder (each as ``<table>.csv`` or ``<table>_data.csv``): ``ticket`` (required),
``ticket_field_history``, ``ticket_comment``, ``ticket_tag``, ``user``, ``group``, ``schedule``,
``schedule_holiday``, ``sla_policy_metric_history``, ``ticket_sla_policy``. Fivetran writes timestamps in UTC without an offset. The mapping and its
definition choices are on the docs page "Zendesk".

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "ticket.csv").write_text(
    ...     "id,created_at,updated_at,requester_id,via_channel,priority,status,type\\n"
    ...     "7,2020-02-19 01:54:52,2020-02-19 02:00:00,42,api,,open,question\\n")
    >>> ds = read_zendesk(folder)
    >>> t = ds.tickets[0]
    >>> t.id, t.channel, t.channel_raw, t.priority, t.status, t.category
    ('7', Channel.OTHER, 'api', Priority.NORMAL, TicketStatus.OPEN, 'question')
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cs8._enums import ActorKind, Priority, TicketStatus
from cs8._frozen import FrozenDict
from cs8._models import Agent, Customer
from cs8._ticket import Assignment, Message, PriorityChange, StatusChange, Ticket, TicketEvent
from cs8.exceptions import Cs8Error, LoadError
from cs8.io._dataset import Dataset, VendorLoad, vendor_load
from cs8.io._rows import Progress
from cs8.io._source import escape
from cs8.io._values import map_channel
from cs8.io._zendesk_sla import apply_policies, read_policy
from cs8.sla import BusinessCalendar

__all__ = ["ZENDESK_STATUSES", "ZENDESK_TIME_ZONES", "read_zendesk"]

ZENDESK_STATUSES: Mapping[str, TicketStatus] = FrozenDict(
    {
        "new": TicketStatus.NEW,
        "open": TicketStatus.OPEN,
        "pending": TicketStatus.PENDING,
        "hold": TicketStatus.ON_HOLD,
        "on-hold": TicketStatus.ON_HOLD,
        "solved": TicketStatus.SOLVED,
        "closed": TicketStatus.CLOSED,
    }
)
"""Zendesk ticket statuses (``hold`` is the API's name for on-hold)."""

_PRIORITIES: Mapping[str, Priority] = FrozenDict(
    {
        "low": Priority.LOW,
        "normal": Priority.NORMAL,
        "medium": Priority.NORMAL,
        "high": Priority.HIGH,
        "urgent": Priority.URGENT,
    }
)

ZENDESK_TIME_ZONES: Mapping[str, str] = FrozenDict(
    {
        "Pacific Time (US & Canada)": "America/Los_Angeles",
        "Mountain Time (US & Canada)": "America/Denver",
        "Central Time (US & Canada)": "America/Chicago",
        "Eastern Time (US & Canada)": "America/New_York",
        "Arizona": "America/Phoenix",
        "Alaska": "America/Juneau",
        "Hawaii": "Pacific/Honolulu",
        "UTC": "UTC",
        "London": "Europe/London",
        "Dublin": "Europe/Dublin",
        "Paris": "Europe/Paris",
        "Berlin": "Europe/Berlin",
        "Amsterdam": "Europe/Amsterdam",
        "Madrid": "Europe/Madrid",
        "Hanoi": "Asia/Bangkok",
        "Bangkok": "Asia/Bangkok",
        "Singapore": "Asia/Singapore",
        "Tokyo": "Asia/Tokyo",
        "Sydney": "Australia/Sydney",
    }
)
"""Zendesk's (Rails) time-zone names for common zones -> IANA names; IANA names pass as they are."""

_TICKET_COLUMNS: Mapping[str, str] = FrozenDict(
    {
        "id": "id",
        "customer_id": "requester_id",
        "channel": "via_channel",
        "created_at": "created_at",
        "priority": "priority",
        "status": "status",
        "category": "type",
    }
)
"""cs8 ticket field -> the ticket table's column (what ``columns=`` may replace)."""

_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_MINUTES_PER_DAY = 1440


def _table(folder: Path, name: str) -> Path | None:
    for candidate in (f"{name}.csv", f"{name}_data.csv"):
        if (folder / candidate).exists():
            return folder / candidate
    return None


def read_zendesk(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    date_format: str | Sequence[str] | None = None,
    timezone: str = "UTC",
    encoding: str = "utf-8",
    duplicates: str = "reject",
    before_created: str = "reject",
    progress: Progress = False,
) -> Dataset:
    """Read Zendesk Support: Fivetran's tables (CSV) or the Incremental Export (JSON).

    Args:
        path: A folder of Fivetran tables; or an Incremental Export, as a folder of API
            responses (``tickets.json`` and optionally ``ticket_events``, ``users``, ``groups``,
            ``schedules``, ``holidays``, ``sla_policies``, each ``.json`` or ``.jsonl``) or one
            tickets file (see :mod:`cs8.io._zendesk_json`).
        columns: cs8 ticket field (``id``, ``customer_id``, ``channel``, ``created_at``,
            ``priority``, ``status``, ``category``) -> the ``ticket`` table's column to read it
            from, instead of Fivetran's (``requester_id``, ``via_channel``, ``type`` ...); in
            JSON, a dotted key path (Zendesk's channel is ``via.channel``).
        values: ``"status"``, ``"priority"`` or ``"channel"`` -> {raw value: cs8 value}, tried
            before Zendesk's own names, in the ticket table and the field history.
        date_format: How instants are written, when not ISO 8601 (a strptime format, several,
            ``"epoch"`` or ``"epoch_ms"``).
        timezone: IANA zone of instants without a UTC offset (Fivetran writes UTC).
        encoding: The tables' encoding (a byte-order mark overrides it).
        duplicates: A ticket id read more than once: ``"reject"`` every copy (the default,
            as :func:`~cs8.io.read_records`), ``"keep_first"`` or ``"keep_last"``; each copy
            dropped is a rejected row naming the copy kept.
            Here "last" is the copy with the latest ``updated_at`` (file order breaks a tie):
            a time-based Incremental Export repeats a ticket updated while it pages, and its
            latest copy is the ticket's state.
        before_created: ``"reject"`` a ticket with a field change or comment before its
            ``created_at``, or ``"clamp"`` it to the creation instant.
        progress: ``True`` for a progress bar over the rows and objects read, all files
            together (needs ``tqdm``, the ``progress`` extra), or a callable given that count,
            every 10,000.

    Returns:
        A :class:`Dataset`: tickets with their status, priority and assignment history and their
        comments, end users as customers, agents and admins as agents, the business calendar
        when the export has exactly one schedule, and the SLA policies as one
        :class:`~cs8.sla.SlaPolicy` (see :mod:`cs8.io._zendesk_sla`).

    Raises:
        LoadError: If the folder has no ticket table, a table cannot be read, an option is not
            valid, or a column ``columns=`` names is not in the ticket table.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "ticket.csv").write_text(
        ...     "id,opened,updated_at,requester_id,via_channel,priority,status,type\\n"
        ...     "7,19/02/2020 01:54,19/02/2020 02:00,42,web,P1,Waiting on vendor,\\n")
        >>> t = read_zendesk(folder, columns={"created_at": "opened"},
        ...     values={"status": {"Waiting on vendor": "on_hold"}, "priority": {"P1": "urgent"}},
        ...     date_format="%d/%m/%Y %H:%M", timezone="Europe/Paris").tickets[0]
        >>> t.created_at.isoformat(), t.status, t.priority
        ('2020-02-19T01:54:00+01:00', TicketStatus.ON_HOLD, Priority.URGENT)
    """
    folder = Path(path)
    from cs8.io._zendesk_json import JSON_TICKET_KEYS, is_json_export, read_zendesk_json

    json_export = is_json_export(folder)
    with vendor_load(
        folder,
        JSON_TICKET_KEYS if json_export else _TICKET_COLUMNS,
        columns=columns,
        values=values,
        date_format=date_format,
        timezone=timezone,
        encoding=encoding,
        duplicates=duplicates,
        before_created=before_created,
        progress=progress,
    ) as load:
        return (read_zendesk_json if json_export else _read_tables)(folder, load)


def _read_tables(folder: Path, load: VendorLoad) -> Dataset:
    """The Fivetran tables (CSV) of the folder ``folder``."""
    if not folder.is_dir():
        raise LoadError(
            f"read_zendesk expects a folder of tables or a JSON export, got {escape(str(folder))}"
        )
    ticket_path = _table(folder, "ticket")
    if ticket_path is None:
        raise LoadError(
            f"{escape(str(folder))} has no ticket.csv (or ticket_data.csv) and no tickets.json"
        )

    roles: dict[str, str] = {}
    customers: list[Customer] = []
    agents: list[Agent] = []
    user_path = _table(folder, "user")
    if user_path is not None:
        for line, row in load.csv_table(user_path):
            role = row.get("role", "").strip()
            roles[row.get("id", "").strip()] = role
            cls: Any = Agent if role in ("agent", "admin") else Customer
            user = load.build(
                cls,
                escape(str(user_path)),
                line,
                row,
                _user,
                row,
                cls,
            )
            if user is not None:
                (agents if cls is Agent else customers).append(user)

    groups: dict[str, str] = {}
    group_path = _table(folder, "group")
    if group_path is not None:
        for _, row in load.csv_table(group_path):
            groups[row.get("id", "").strip()] = row.get("name", "").strip()

    tags: dict[str, list[str]] = {}
    tag_path = _table(folder, "ticket_tag")
    if tag_path is not None:
        for _, row in load.csv_table(tag_path):
            tags.setdefault(row.get("ticket_id", "").strip(), []).append(row.get("tag", ""))

    name = escape(str(ticket_path))
    read: list[tuple[str, int, Ticket, tuple[str, str]]] = []
    for line, row in load.csv_table(ticket_path, renamed=True):
        if row.get("status", "").strip() == "deleted":
            load.reject(
                name, line, "status 'deleted': deleted in Zendesk (dbt_zendesk drops it)", row
            )
            continue
        ticket = load.build(Ticket, name, line, row, _ticket, load, row, tags, groups)
        if ticket is not None:
            state = (row.get("status", ""), row.get("updated_at", "").strip())
            read.append((name, line, ticket, state))
    kept = load.unique(read, order=lambda state: updated_key(load, state[1]), unit="line")
    tickets = [(source, line, ticket) for source, line, ticket, _ in kept]
    final = {ticket.id: state for _, _, ticket, state in kept}

    known = {t.id for _, _, t in tickets}
    events: dict[str, list[tuple[int, TicketEvent]]] = {}
    for table, make, args in (
        ("ticket_field_history", _change, (groups,)),
        ("ticket_comment", _comment_event, (roles,)),
    ):
        table_path = _table(folder, table)
        if table_path is None:
            continue
        shown = escape(str(table_path))
        for line, row in load.csv_table(table_path):
            ticket_id = row.get("ticket_id", "").strip()
            if ticket_id not in known:
                load.reject(shown, line, f"no ticket {ticket_id!r} was loaded", row)
                continue
            event = load.attempt(shown, line, row, make, load, row, *args)
            if event is not None:  # None: rejected, or a field cs8 does not read
                events.setdefault(ticket_id, []).append((line, event))
    built = [_reach_status(load, t, *final[t.id]) for t in load.tickets(tickets, events)]
    calendar = _calendar(load, folder)
    metric_path = _table(folder, "sla_policy_metric_history")
    policy, versions = read_policy(
        load,
        None if metric_path is None else load.csv_rows(metric_path),
        calendar,
        (_priority, _flag),
    )
    built = apply_policies(load, _table(folder, "ticket_sla_policy"), built, versions)
    return load.dataset(
        tickets=built, customers=customers, agents=agents, calendar=calendar, policy=policy
    )


def updated_key(load: VendorLoad, updated: str) -> tuple[int, datetime | None]:
    """The sort key of a copy's ``updated_at`` for ``duplicates="keep_last"``: Zendesk's
    Incremental Export guide says a time-based export can repeat a ticket, and the copy with the
    latest ``updated_at`` is the ticket's current state
    (https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api,
    "Excluding duplicate items"). A copy without a readable ``updated_at`` sorts first."""
    try:
        at = load.at(updated)
    except (Cs8Error, ValueError, OverflowError):
        at = None
    return (0, None) if at is None else (1, at)


def _reach_status(load: VendorLoad, ticket: Ticket, status: str, updated: str) -> Ticket:
    """Add the ticket table's current status at ``updated_at`` when the history stops short."""
    target = _status(load, status, strict=False)
    if target is None or target is ticket.status or not updated:
        return ticket
    at = load.at(updated)
    assert at is not None
    last = ticket.events[-1].at if ticket.events else ticket.created_at
    load.note(
        "tickets whose field history stops short of their status: a change added at updated_at"
    )
    return ticket.with_event(StatusChange(at=max(at, last), status=target))


def _status(load: VendorLoad, raw: str, *, strict: bool = True) -> TicketStatus | None:
    """A status name: the ``values=`` map first, then Zendesk's names."""
    mapped: TicketStatus | None = load.mapped("status", raw)
    if mapped is not None:
        return mapped
    name = raw.strip()
    if name in ZENDESK_STATUSES:
        return ZENDESK_STATUSES[name]
    if strict:
        raise LoadError(
            f"status {escape(repr(name))} is not a Zendesk status (map it with values=)"
        )
    return None


def _priority(load: VendorLoad, raw: str) -> Priority:
    """A priority name: the ``values=`` map first, then Zendesk's names."""
    mapped: Priority | None = load.mapped("priority", raw)
    if mapped is not None:
        return mapped
    name = raw.strip().lower()
    if name not in _PRIORITIES:
        raise LoadError(
            f"priority {escape(repr(raw.strip()))} is not a Zendesk priority (map it with values=)"
        )
    return _PRIORITIES[name]


def _flag(text: str) -> bool:
    low = text.strip().lower()
    if low in ("true", "t", "1"):
        return True
    if low in ("false", "f", "0"):
        return False
    raise LoadError(f"expected TRUE or FALSE, got {escape(repr(text))}")


def _user(row: Mapping[str, str], cls: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"id": row.get("id", "").strip()}
    if cls is Customer and row.get("name", "").strip():
        kwargs["name"] = row["name"].strip()
    zone = row.get("time_zone", "").strip()
    if cls is Customer and zone:
        kwargs["timezone"] = ZENDESK_TIME_ZONES.get(zone, zone)
    return kwargs


def _ticket(
    load: VendorLoad,
    row: Mapping[str, str],
    tags: Mapping[str, list[str]],
    groups: Mapping[str, str],
) -> dict[str, Any]:
    priority_text = row.get("priority", "")
    if not priority_text.strip() and load.mapped("priority", priority_text) is None:
        load.note("tickets without a priority, read as normal (Zendesk's default)")
        priority = Priority.NORMAL
    else:
        priority = _priority(load, priority_text)
    via = row.get("via_channel", "")
    channel, raw = load.mapped("channel", via) or map_channel(via.strip() or "other")
    ticket_id = row.get("id", "").strip()
    kwargs: dict[str, Any] = {
        "id": ticket_id,
        "customer_id": row.get("requester_id", "").strip(),
        "channel": channel,
        "channel_raw": raw,
        "created_at": load.at(row.get("created_at", "").strip()),
        "priority": priority,
        "category": row.get("type", "").strip() or None,
        "tags": frozenset(t for t in tags.get(ticket_id, []) if t),
    }
    return kwargs


READ_FIELDS = ("status", "priority", "assignee_id", "group_id")
"""The ticket fields whose changes become cs8 events; others are counted by :func:`unread`."""


def unread(load: VendorLoad, field: str) -> None:
    """Count a change of a field cs8 does not read (``tags``, custom fields ...) in the warnings."""
    load.note(f"field changes not read ({escape(field, 40)})")


def field_event(
    load: VendorLoad, at: Any, field: str, value: str, groups: Mapping[str, str]
) -> TicketEvent | None:
    """The event of one field change (a ``ticket_field_history`` row, or a change in an
    Incremental Export ticket event), or None for a field cs8 does not read (counted in the
    warnings). ``groups`` maps group ids to names."""
    if field not in READ_FIELDS:
        unread(load, field)
        return None
    if field == "status":
        status = _status(load, value)
        assert status is not None
        return StatusChange(at=at, status=status)
    if field == "priority":
        return PriorityChange(at=at, priority=_priority(load, value))
    if field == "assignee_id":
        return Assignment(at=at, agent_id=value or None)
    assert field == "group_id"
    return Assignment(at=at, group=groups.get(value, value) or None)


def _change(
    load: VendorLoad, row: Mapping[str, str], groups: Mapping[str, str]
) -> TicketEvent | None:
    at = load.at(row.get("updated", "").strip())
    field, value = row.get("field_name", "").strip(), row.get("value", "").strip()
    return field_event(load, at, field, value, groups)


def _comment_event(load: VendorLoad, row: Mapping[str, str], roles: Mapping[str, str]) -> Message:
    return Message(**_comment(load, row, roles))


def _comment(load: VendorLoad, row: Mapping[str, str], roles: Mapping[str, str]) -> dict[str, Any]:
    user = row.get("user_id", "").strip()
    role = roles.get(user)
    if role is None:
        raise LoadError(f"comment author {escape(repr(user))} is not in the user table")
    author = ActorKind.CUSTOMER if role == "end-user" else ActorKind.AGENT
    return {
        "at": load.at(row.get("created", "").strip()),
        "author": author,
        "author_id": user,
        "public": _flag(row.get("public", "")),
    }


def _calendar(load: VendorLoad, folder: Path) -> BusinessCalendar | None:
    path = _table(folder, "schedule")
    if path is None:
        return None
    schedules: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    for line, row in load.csv_table(path):
        try:
            start, end = int(row["start_time"]), int(row["end_time"])
        except (KeyError, ValueError):
            load.reject(escape(str(path)), line, "start_time and end_time must be minutes", row)
            continue
        zone = row.get("time_zone", "").strip()
        entry = schedules.setdefault(row.get("id", "").strip(), (zone, []))
        entry[1].append((start, end))
    holidays: dict[str, list[date]] = {}
    holiday_path = _table(folder, "schedule_holiday")
    if holiday_path is not None:
        shown = escape(str(holiday_path))
        for line, row in load.csv_table(holiday_path):
            days = load.attempt(
                shown, line, row, holiday_days, row.get("start_date"), row.get("end_date")
            )
            if days is not None:
                holidays.setdefault(row.get("schedule_id", "").strip(), []).extend(days)
    return schedule_calendar(load, schedules, holidays)


def holiday_days(start: Any, end: Any) -> list[date]:
    """The days from ``start`` to ``end`` (ISO dates, both included, at most a year).

    Raises:
        LoadError: If either is not an ISO date, or the span is backwards or over a year.
    """
    try:
        first = date.fromisoformat(str(start).strip())
        last = date.fromisoformat(str(end).strip())
    except ValueError:
        raise LoadError(
            f"holiday start_date and end_date must be ISO dates, got {escape(repr(start), 40)} "
            f"and {escape(repr(end), 40)}"
        ) from None
    if not 0 <= last.toordinal() - first.toordinal() <= 366:
        raise LoadError(f"holiday from {first} to {last}: not a span of up to a year")
    return [date.fromordinal(d) for d in range(first.toordinal(), last.toordinal() + 1)]


def schedule_calendar(
    load: VendorLoad,
    schedules: Mapping[str, tuple[str, list[tuple[int, int]]]],
    holidays: Mapping[str, list[date]],
) -> BusinessCalendar | None:
    """The export's calendar from its schedules (id -> (Zendesk zone, intervals in minutes from
    Sunday 00:00)) and holidays (schedule id -> days), when there is exactly one schedule."""
    if len(schedules) != 1:
        load.warnings.append(
            f"{len(schedules)} schedules in the export: Dataset.calendar is None (one schedule "
            "per ticket is in ticket_schedule)"
        )
        return None
    ((schedule_id, (zone, intervals)),) = schedules.items()
    hours: dict[str, list[tuple[str, str]]] = {}
    for start, end in sorted(intervals):
        day = _DAYS[(start // _MINUTES_PER_DAY) % 7]
        hours.setdefault(day, []).append((_clock(start), _clock(end, closing=True)))
    try:
        return BusinessCalendar(
            timezone=ZENDESK_TIME_ZONES.get(zone, zone),
            hours=hours,
            holidays=holidays.get(schedule_id, []),
        )
    except (ValueError, TypeError) as exc:
        load.warnings.append(f"schedule {schedule_id}: not a cs8 calendar ({exc})")
        return None


def _clock(minutes: int, closing: bool = False) -> str:
    within = minutes % _MINUTES_PER_DAY
    if closing and within == 0:
        return "24:00"
    return f"{within // 60:02d}:{within % 60:02d}"
