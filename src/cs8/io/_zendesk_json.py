"""Zendesk Support Incremental Export JSON (API v2): tickets, ticket events, users, groups, schedules
and SLA policies.

A folder holds one file per endpoint, each as the API returns it (one response, a list of
objects, or JSON Lines of objects; ``.json`` or ``.jsonl``): ``tickets`` (required;
``/api/v2/incremental/tickets``), ``ticket_events`` (``/api/v2/incremental/ticket_events``, with
or without the ``comment_events`` side-load), ``users``, ``groups``, ``schedules``
(``/api/v2/business_hours/schedules``; a schedule may embed its ``holidays``), ``holidays``
(objects with ``schedule_id``) and ``sla_policies`` (``/api/v2/slas/policies``). The mapping and
its definition choices are on the docs page "Zendesk".

Example:
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "tickets.json").write_text(json.dumps({"tickets": [{"id": 35436,
    ...     "requester_id": 20978392, "created_at": "2009-07-20T22:55:29Z", "priority": "high",
    ...     "status": "open", "type": "incident", "updated_at": "2011-05-05T10:38:52Z",
    ...     "via": {"channel": "web"}, "tags": ["enterprise"]}]}))
    >>> from cs8.io import read_zendesk
    >>> t = read_zendesk(folder).tickets[0]
    >>> t.id, t.channel, t.priority, t.status, sorted(t.tags)
    ('35436', Channel.WEB, Priority.HIGH, TicketStatus.OPEN, ['enterprise'])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeGuard

import attrs

from cs8._enums import ActorKind, Priority
from cs8._frozen import FrozenDict
from cs8._models import Agent, Customer
from cs8._ticket import Message, Ticket, TicketEvent
from cs8.exceptions import LoadError
from cs8.io._dataset import Dataset, VendorLoad, get_path, ident
from cs8.io._source import escape
from cs8.io._values import map_channel
from cs8.io._zendesk import (
    READ_FIELDS,
    _flag,
    _priority,
    _reach_status,
    _user,
    field_event,
    holiday_days,
    schedule_calendar,
    unread,
    updated_key,
)
from cs8.io._zendesk_sla import ATTRIBUTE, metric_row, policy_key, read_policy
from cs8.sla import BusinessCalendar, SlaPolicy

__all__ = ["JSON_TICKET_KEYS", "read_zendesk_json"]

JSON_TICKET_KEYS: Mapping[str, str] = FrozenDict(
    {
        "id": "id",
        "customer_id": "requester_id",
        "channel": "via.channel",
        "created_at": "created_at",
        "priority": "priority",
        "status": "status",
        "category": "type",
    }
)
"""cs8 ticket field -> the ticket object's key path (what ``columns=`` may replace)."""


def _file(folder: Path, name: str) -> Path | None:
    for candidate in (f"{name}.json", f"{name}.jsonl"):
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def is_json_export(path: Path) -> bool:
    """Whether ``path`` is an Incremental Export: a JSON file, or a folder with a tickets file."""
    if path.is_file():
        return path.suffix.lower() in (".json", ".jsonl")
    return _file(path, "tickets") is not None and not (
        (path / "ticket.csv").exists() or (path / "ticket_data.csv").exists()
    )


def _text(value: Any) -> str:
    """A JSON scalar as the text the CSV parsers take (``None`` is empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return str(value)
    raise LoadError(f"expected a text or a number, got {escape(repr(value), 80)}")


def read_zendesk_json(path: Path, load: VendorLoad) -> Dataset:
    """Read an Incremental Export folder (or one tickets file); ``read_zendesk`` calls it.

    Args:
        path: The folder, or a tickets file.
        load: The read's state, with the caller's options and :data:`JSON_TICKET_KEYS`.

    Returns:
        The :class:`Dataset`.

    Raises:
        LoadError: If there is no tickets file or a file is not JSON.
    """
    folder = None if path.is_file() else path
    tickets_path = path if folder is None else _file(path, "tickets")
    if tickets_path is None:
        raise LoadError(f"{escape(str(path))} has no tickets.json (or tickets.jsonl)")

    def table(name: str, *keys: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
        found = None if folder is None else _file(folder, name)
        if found is not None:
            shown = escape(str(found))
            for position, obj in load.json_table(found, *keys):
                yield shown, position, obj

    roles: dict[str, str] = {}
    customers: list[Customer] = []
    agents: list[Agent] = []
    for name, position, obj in table("users", "users"):
        row = load.attempt(name, position, obj, _user_row, obj)
        if row is None:
            continue
        cls: Any = Agent if row["role"] in ("agent", "admin") else Customer
        user = load.build(cls, name, position, obj, _user, row, cls)
        if user is not None:
            roles[user.id] = row["role"]
            (agents if cls is Agent else customers).append(user)
    groups = {
        str(obj.get("id")): str(obj.get("name") or obj.get("id"))
        for _, _, obj in table("groups", "groups")
    }

    name = escape(str(tickets_path))
    read: list[tuple[str, int, Ticket, tuple[str, str]]] = []
    for position, obj in load.json_table(tickets_path, "tickets", "results", renamed=True):
        if obj.get("status") == "deleted":
            load.reject(name, position, "status 'deleted': deleted in Zendesk", obj)
            continue
        ticket = load.build(Ticket, name, position, obj, _ticket, load, obj)
        if ticket is not None:
            state = (_text(obj.get("status")), _text(obj.get("updated_at")))
            read.append((name, position, ticket, state))
    kept = load.unique(read, order=lambda state: updated_key(load, state[1]))
    tickets = [(source, position, ticket) for source, position, ticket, _ in kept]
    final = {ticket.id: state for _, _, ticket, state in kept}
    seen = final

    events: dict[str, list[tuple[int, TicketEvent]]] = {}
    for ename, position, obj in table("ticket_events", "ticket_events"):
        ticket_id = _text(obj.get("ticket_id"))
        if ticket_id not in seen:
            load.reject(ename, position, f"no ticket {ticket_id!r} was loaded", obj)
            continue
        items = load.attempt(ename, position, obj, _audit, load, obj, roles, groups)
        if items is not None:
            events.setdefault(ticket_id, []).extend((position, e) for e in items)
    built = [_reach_status(load, t, *final[t.id]) for t in load.tickets(tickets, events)]

    calendar = _calendar(load, table)
    policy, built = _policies(load, table, calendar, built)
    metrics: dict[str, dict[str, timedelta | int | None]] = {}
    for mname, position, obj in table("ticket_metrics", "ticket_metrics"):
        ticket_id = (
            _text(obj.get("ticket_id")) if not isinstance(obj.get("ticket_id"), dict) else ""
        )
        if ticket_id not in seen:
            load.reject(mname, position, f"no ticket {ticket_id!r} was loaded", obj)
            continue
        parsed = load.attempt(mname, position, obj, _metrics, obj)
        if parsed is not None:
            metrics[ticket_id] = parsed
    return load.dataset(
        tickets=built,
        customers=customers,
        agents=agents,
        calendar=calendar,
        policy=policy,
        vendor_metrics=metrics,
    )


_MINUTES = (
    ("reply_time_in_minutes", "first_reply"),
    ("first_resolution_time_in_minutes", "first_resolution"),
    ("full_resolution_time_in_minutes", "full_resolution"),
)


def _metrics(obj: Mapping[str, Any]) -> dict[str, timedelta | int | None]:
    """Zendesk's own figures for a ticket (``GET /api/v2/ticket_metrics``): the three times in
    calendar and business minutes, ``reopens`` and ``replies``."""
    out: dict[str, timedelta | int | None] = {}
    for key, metric in _MINUTES:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise LoadError(f"{key} must be an object with calendar and business minutes")
        for kind, suffix in (("calendar", ""), ("business", "_business")):
            minutes = value.get(kind)
            if minutes is not None and not _minutes(minutes, 2**30):
                raise LoadError(f"{key}.{kind} must be minutes, got {escape(repr(minutes), 40)}")
            out[metric + suffix] = None if minutes is None else timedelta(minutes=minutes)
    for key in ("reopens", "replies"):
        count = obj.get(key)
        if count is not None:
            if not _minutes(count, 2**30):
                raise LoadError(f"{key} must be a count, got {escape(repr(count), 40)}")
            out[key] = count
    return out


def _user_row(obj: Mapping[str, Any]) -> dict[str, str]:
    return {k: _text(obj.get(k)) for k in ("id", "name", "role", "time_zone")}


def _ticket(load: VendorLoad, obj: Mapping[str, Any]) -> dict[str, Any]:
    priority_text = _text(obj.get("priority"))
    if not priority_text and load.mapped("priority", obj.get("priority")) is None:
        load.note("tickets without a priority, read as normal (Zendesk's default)")
        priority = Priority.NORMAL
    else:
        priority = _priority(load, priority_text)
    via = _text(get_path(obj, "via.channel"))
    channel, raw = load.mapped("channel", via) or map_channel(via.strip() or "other")
    tags = obj.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise LoadError("tags must be a list of texts")
    kind = obj.get("type")
    return {
        "id": ident(obj.get("id")),
        "customer_id": ident(obj.get("requester_id")),
        "channel": channel,
        "channel_raw": raw,
        "created_at": load.at(obj.get("created_at")),
        "priority": priority,
        "category": kind if isinstance(kind, str) and kind else None,
        "tags": frozenset(t for t in tags if t),
    }


def _audit(
    load: VendorLoad,
    obj: Mapping[str, Any],
    roles: Mapping[str, str],
    groups: Mapping[str, str],
) -> list[TicketEvent]:
    """The cs8 events of one ticket event (an audit and its ``child_events``)."""
    at = load.at(obj.get("created_at"))
    if at is None and obj.get("timestamp") is not None:
        at = load.at(_epoch(obj.get("timestamp")))
    if at is None:
        raise LoadError("the ticket event has no created_at or timestamp")
    children = obj.get("child_events") or []
    if not isinstance(children, list):
        raise LoadError("child_events must be a list")
    updater = obj.get("updater_id")
    out: list[TicketEvent] = []
    for child in children:
        if not isinstance(child, dict):
            raise LoadError("a child event must be an object")
        kind = child.get("event_type") or child.get("type")
        if kind == "Comment":
            out.append(_comment(load, child, at, updater, roles))
            continue
        if kind not in ("Create", "Change"):
            load.note(f"child events not read ({escape(str(kind), 40)})")
            continue
        if "field_name" in child:
            changes = [(child["field_name"], child.get("value"))]
        else:
            changes = [(f, child[f]) for f in READ_FIELDS if f in child]
        for field, value in changes:
            event = _change(load, at, str(field), value, groups)
            if event is not None:
                out.append(event)
    return out


def _epoch(value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**33:
        raise LoadError(f"timestamp {escape(repr(value), 60)} is not epoch seconds")
    return datetime.fromtimestamp(value, UTC)


def _change(
    load: VendorLoad, at: Any, field: str, value: Any, groups: Mapping[str, str]
) -> TicketEvent | None:
    """The event of one field change, or None for a field cs8 does not read.

    The field name decides first: a change of ``tags`` carries a list, which is no reason to
    reject the ticket event when cs8 does not read tags.
    """
    if field not in READ_FIELDS:
        unread(load, field)
        return None
    text = _text(value)
    if field == "priority" and not text:
        return None  # a ticket created without a priority
    return field_event(load, at, field, text, groups)


def _comment(
    load: VendorLoad, child: Mapping[str, Any], at: Any, updater: Any, roles: Mapping[str, str]
) -> Message:
    """A comment: side-loaded (``author_id``, ``public``, ``body``) or not (``comment_public``,
    written by the audit's ``updater_id``)."""
    author = _text(child.get("author_id", updater))
    role = roles.get(author)
    if role is None:
        raise LoadError(f"comment author {escape(repr(author))} is not in the users")
    public = child.get("public", child.get("comment_public"))
    if not isinstance(public, bool):
        raise LoadError("a comment's public (or comment_public) must be true or false")
    body = child.get("body")
    return Message(
        at=load.at(child.get("created_at")) or at,
        author=ActorKind.CUSTOMER if role == "end-user" else ActorKind.AGENT,
        author_id=author,
        public=public,
        text=body if isinstance(body, str) else None,
    )


def _calendar(load: VendorLoad, table: Any) -> BusinessCalendar | None:
    schedules: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    holidays: dict[str, list[date]] = {}
    read_any = False
    for name, position, obj in table("schedules", "schedules"):
        read_any = True
        parsed = load.attempt(name, position, obj, _schedule, obj)
        if parsed is None:
            continue
        schedule_id, zone, intervals, days = parsed
        schedules[schedule_id] = (zone, intervals)
        holidays.setdefault(schedule_id, []).extend(days)
    for name, position, obj in table("holidays", "holidays"):
        row = load.attempt(name, position, obj, _holiday, obj)
        if row is not None:
            holidays.setdefault(row[0], []).extend(row[1])
    return schedule_calendar(load, schedules, holidays) if read_any else None


def _holiday(obj: Mapping[str, Any]) -> tuple[str, list[date]]:
    """(schedule id, days) of one holiday object."""
    return _text(obj.get("schedule_id")), holiday_days(obj.get("start_date"), obj.get("end_date"))


def _schedule(obj: Mapping[str, Any]) -> tuple[str, str, list[tuple[int, int]], list[date]]:
    intervals = obj.get("intervals")
    if not isinstance(intervals, list):
        raise LoadError("a schedule's intervals must be a list")
    out: list[tuple[int, int]] = []
    for item in intervals:
        if not isinstance(item, dict):
            raise LoadError("an interval must be an object")
        start, end = item.get("start_time"), item.get("end_time")
        if not _minutes(start) or not _minutes(end):
            raise LoadError("start_time and end_time must be minutes")
        out.append((start, end))
    zone = obj.get("time_zone")
    if not isinstance(zone, str) or not zone:
        raise LoadError("a schedule needs a time_zone")
    embedded = obj.get("holidays") or []
    if not isinstance(embedded, list) or not all(isinstance(h, dict) for h in embedded):
        raise LoadError("a schedule's holidays must be a list of objects")
    days = [d for h in embedded for d in holiday_days(h.get("start_date"), h.get("end_date"))]
    return ident(obj.get("id")), zone, out, days


def _minutes(value: Any, most: int = 10080) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= most


def _policies(
    load: VendorLoad, table: Any, calendar: BusinessCalendar | None, tickets: list[Ticket]
) -> tuple[SlaPolicy | None, list[Ticket]]:
    """The ``sla_policies`` as one policy (each policy's ``updated_at`` is its one version)."""
    rows: list[tuple[str, int, dict[str, str]]] = []
    seen = False
    for name, position, obj in table("sla_policies", "sla_policies"):
        seen = True
        metrics = obj.get("policy_metrics")
        if not isinstance(metrics, list) or not metrics:
            load.reject(name, position, "policy_metrics must be a non-empty list", obj)
            continue
        policy_rows = load.attempt(name, position, obj, _metric_rows, load, obj, metrics)
        if policy_rows is not None:
            rows += [(name, position, r) for r in policy_rows]
    if not seen:
        return None, tickets
    policy, versions = read_policy(load, rows, calendar, (_priority, _flag))
    if len(versions) != 1:
        load.warnings.append(
            f"{len(versions)} SLA policies: their filters are not evaluated, so no ticket carries "
            f"the {ATTRIBUTE} attribute"
        )
        return policy, tickets
    ((policy_id, (version, *_)),) = versions.items()
    key = policy_key(policy_id, version)
    load.warnings.append(f"one SLA policy ({policy_id}): every ticket is read as under it")
    return policy, [attrs.evolve(t, attributes={**t.attributes, ATTRIBUTE: key}) for t in tickets]


def _metric_rows(
    load: VendorLoad, obj: Mapping[str, Any], metrics: list[Any]
) -> list[dict[str, str]]:
    """One policy's targets as ``sla_policy_metric_history`` rows, each checked, so a bad target
    rejects its policy once."""
    out = []
    for index, metric in enumerate(metrics):
        if not isinstance(metric, dict):
            raise LoadError("a policy metric must be an object")
        out.append(
            {
                "sla_policy_id": _text(obj.get("id")),
                "index": str(index),
                "sla_policy_updated_at": _text(obj.get("updated_at") or obj.get("created_at")),
                "metric": _text(metric.get("metric")),
                "priority": _text(metric.get("priority")),
                "target": _text(metric.get("target")),
                "business_hours": _text(metric.get("business_hours")),
            }
        )
        metric_row(load, out[-1], (_priority, _flag))
    return out
