"""Chatwoot API JSON: conversations with their messages, contacts, agents and reporting events.

A folder holds ``conversations.json`` (required: ``GET /api/v1/accounts/{id}/conversations``,
whose ``data.payload`` is the list, or a list of conversation objects; a conversation may embed
its ``messages``) and optionally ``messages.json`` (objects with ``conversation_id``, as the
messages endpoint returns them, concatenated), ``contacts.json``, ``agents.json`` and
``reporting_events.json`` (rows of Chatwoot's ``reporting_events`` table). Chatwoot writes
instants as epoch seconds in the API and as ISO 8601 text in the database; both read. The mapping
and its definition choices are on the docs page "Chatwoot".

Example:
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "conversations.json").write_text(json.dumps({"data": {"payload": [
    ...     {"id": 1, "status": "resolved", "created_at": 1696896000, "timestamp": 1696899600,
    ...      "meta": {"sender": {"id": 89}, "channel": "Channel::WebWidget"}, "messages": [
    ...         {"id": 5, "conversation_id": 1, "message_type": 0, "created_at": 1696896000,
    ...          "private": False, "sender_type": "Contact", "content": "Hello"},
    ...         {"id": 6, "conversation_id": 1, "message_type": 1, "created_at": 1696896600,
    ...          "private": False, "sender_type": "User", "sender_id": 3, "content": "Hi!"}]}]}}))
    >>> t = read_chatwoot(folder).tickets[0]
    >>> t.channel, t.status, t.first_reply_at - t.created_at
    (Channel.CHAT, TicketStatus.SOLVED, datetime.timedelta(seconds=600))
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from cs8._enums import ActorKind, Channel, Priority, TicketStatus
from cs8._frozen import FrozenDict
from cs8._models import Agent, Customer
from cs8._ticket import Assignment, Handoff, Message, StatusChange, TicketEvent
from cs8.exceptions import LoadError
from cs8.io._conversation import enum_value, reach_status
from cs8.io._dataset import (
    Dataset,
    VendorLoad,
    by_ticket,
    choose,
    get_path,
    ident,
    main_file,
    vendor_load,
)
from cs8.io._rows import Progress
from cs8.io._source import escape

__all__ = [
    "CHATWOOT_CHANNELS",
    "CHATWOOT_MESSAGE_TYPES",
    "CHATWOOT_PRIORITIES",
    "CHATWOOT_STATUSES",
    "read_chatwoot",
]

CHATWOOT_STATUSES: Mapping[str, TicketStatus] = FrozenDict(
    {
        "open": TicketStatus.OPEN,
        "resolved": TicketStatus.SOLVED,
        "pending": TicketStatus.NEW,  # with a bot, not yet handed to an agent
        "snoozed": TicketStatus.ON_HOLD,
    }
)
"""Chatwoot conversation statuses (``status``; the API also gives them as 0-3)."""

_STATUS_CODES: Mapping[int, str] = FrozenDict(
    {0: "open", 1: "resolved", 2: "pending", 3: "snoozed"}
)

CHATWOOT_PRIORITIES: Mapping[Any, Priority] = FrozenDict(
    {
        None: Priority.NORMAL,
        "low": Priority.LOW,
        "medium": Priority.NORMAL,
        "high": Priority.HIGH,
        "urgent": Priority.URGENT,
    }
)
"""Chatwoot conversation priorities (``null``, no priority, reads as normal)."""

CHATWOOT_MESSAGE_TYPES: Mapping[Any, str] = FrozenDict(
    {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
    | {n: n for n in ("incoming", "outgoing", "activity", "template")}
)
"""``message_type`` as the API (0-3) or a webhook (names) writes it."""

CHATWOOT_CHANNELS: Mapping[str, Channel] = FrozenDict(
    {
        "WebWidget": Channel.CHAT,
        "Email": Channel.EMAIL,
        "Whatsapp": Channel.MESSAGING,
        "Telegram": Channel.MESSAGING,
        "Line": Channel.MESSAGING,
        "FacebookPage": Channel.SOCIAL,
        "Instagram": Channel.SOCIAL,
        "TwitterProfile": Channel.SOCIAL,
        "Sms": Channel.SMS,
        "TwilioSms": Channel.SMS,
        "Voice": Channel.PHONE,
        "Api": Channel.OTHER,
    }
)
"""Chatwoot inbox channel types (``Channel::WebWidget`` ...) -> cs8 channels; the name is kept in
``channel_raw``."""

_TICKET_KEYS: Mapping[str, str] = FrozenDict(
    {
        "id": "id",
        "customer_id": "meta.sender.id",
        "channel": "meta.channel",
        "created_at": "created_at",
        "priority": "priority",
        "status": "status",
        "category": "team.name",
    }
)
"""cs8 ticket field -> the conversation object's key path (what ``columns=`` may replace)."""

_REPORTING: Mapping[str, TicketStatus] = FrozenDict(
    {"conversation_resolved": TicketStatus.SOLVED, "conversation_opened": TicketStatus.OPEN}
)


def read_chatwoot(
    path: str | os.PathLike[str],
    *,
    messages: str | os.PathLike[str] | None = None,
    reporting_events: str | os.PathLike[str] | None = None,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    date_format: str | Sequence[str] | None = None,
    timezone: str = "UTC",
    encoding: str = "utf-8",
    duplicates: str = "reject",
    progress: Progress = False,
) -> Dataset:
    """Read Chatwoot API JSON: conversations with their messages.

    Args:
        path: A conversations file, or a folder with ``conversations.json`` and optionally
            ``messages.json``, ``contacts.json``, ``agents.json`` and ``reporting_events.json``.
        messages: A messages file (objects with ``conversation_id``), instead of the folder's.
        reporting_events: A ``reporting_events`` file, instead of the folder's.
        columns: cs8 ticket field (``id``, ``customer_id``, ``channel``, ``created_at``,
            ``priority``, ``status``, ``category``) -> the key path to read it from in a
            conversation, dotted (defaults: ``meta.sender.id``, ``meta.channel``,
            ``team.name`` ...).
        values: ``"status"``, ``"priority"`` or ``"channel"`` -> {raw value: cs8 value}, tried
            before Chatwoot's own names.
        date_format: How text instants are written, when not ISO 8601 (numbers are epoch
            seconds unless this says otherwise).
        timezone: IANA zone of instants without a UTC offset.
        encoding: The files' encoding (a byte-order mark overrides it).
        duplicates: A ticket id read more than once: ``"reject"`` every copy (the default,
            as :func:`~cs8.io.read_records`), ``"keep_first"`` or ``"keep_last"``; each copy
            dropped is a rejected row naming the copy kept.
        progress: ``True`` for a progress bar over the rows and objects read, all files
            together (needs ``tqdm``, the ``progress`` extra), or a callable given that count,
            every 10,000.

    Returns:
        A :class:`Dataset`: a ticket per conversation, contacts as customers, agents.

    Raises:
        LoadError: If there is no conversations file, a file is not JSON or an option is not
            valid.

    Example:
        >>> import json, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "conversations.json").write_text(json.dumps([{"id": 7,
        ...     "status": "waiting", "priority": "P1", "created_at": "2023-10-10 00:04",
        ...     "meta": {"sender": {"id": 2}, "channel": "Channel::Email"}}]))
        >>> t = read_chatwoot(folder, values={"status": {"waiting": "pending"},
        ...     "priority": {"P1": "urgent"}}, date_format="%Y-%m-%d %H:%M").tickets[0]
        >>> t.status, t.priority, t.channel
        (TicketStatus.PENDING, Priority.URGENT, Channel.EMAIL)
    """
    base = Path(path)
    in_folder = not base.is_file()
    conversations_path = main_file(base, "conversations.json")
    with vendor_load(
        base,
        _TICKET_KEYS,
        columns=columns,
        values=values,
        date_format=date_format,
        timezone=timezone,
        encoding=encoding,
        duplicates=duplicates,
        progress=progress,
    ) as load:
        tickets, events, rest = by_ticket(
            load.ticket_objects(
                conversations_path, ("data.payload", "payload"), _ticket, _conversation_events
            )
        )
        embedded = {i: [(p, m) for m in inline] for i, (p, inline, _, _) in rest.items()}
        fallback = {i: first for i, (_, _, _, first) in rest.items() if first is not None}
        messages_path = choose(base, messages, "messages.json") if in_folder or messages else None
        with_messages: set[str] = set()
        if messages_path is not None:
            with_messages = load.children(
                messages_path, events, _message, key="conversation_id", keys=("payload",)
            )
        for ticket_id, inline in embedded.items():
            if ticket_id in with_messages:
                if inline:
                    load.note("conversations with messages in both files: messages.json is read")
                continue
            events[ticket_id] += inline
        for ticket_id, first in fallback.items():
            if not any(isinstance(e, Message) for _, e in events[ticket_id]):
                load.note(
                    "conversations without messages: first_reply_created_at read as the reply"
                )
                events[ticket_id].append((0, first))
        report_path = (
            choose(base, reporting_events, "reporting_events.json")
            if in_folder or reporting_events
            else None
        )
        metrics: dict[str, dict[str, timedelta | int | None]] = {}
        if report_path is not None:
            load.children(report_path, events, _reporting, metrics, key="conversation_id")
        built = [reach_status(load, t, *rest[t.id][2]) for t in load.tickets(tickets, events)]
        customers = load.people(
            choose(base, None, "contacts.json") if in_folder else None, Customer, "payload"
        )
        agents = load.people(choose(base, None, "agents.json") if in_folder else None, Agent)
        return load.dataset(
            tickets=built, customers=customers, agents=agents, vendor_metrics=metrics
        )


def _ticket(load: VendorLoad, obj: Mapping[str, Any]) -> dict[str, Any]:
    raw = get_path(obj, "meta.channel")
    mapped = load.mapped("channel", raw)
    if mapped is None:
        if not isinstance(raw, str) or not raw:
            raw = "Channel::Api"
        kind = raw.removeprefix("Channel::")
        mapped = (CHATWOOT_CHANNELS.get(kind, Channel.OTHER), raw)
    priority = obj.get("priority")
    if priority is None and load.mapped("priority", priority) is None:
        load.note("conversations without a priority, read as normal")
    labels = obj.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise LoadError("labels must be a list of texts")
    team = get_path(obj, "team.name")
    return {
        "id": ident(obj.get("id")),
        "customer_id": ident(get_path(obj, "meta.sender.id")),
        "channel": mapped[0],
        "channel_raw": mapped[1],
        "created_at": load.stamp(obj.get("created_at")),
        "priority": enum_value(load, "priority", priority, CHATWOOT_PRIORITIES, "Chatwoot"),
        "category": team if isinstance(team, str) and team else None,
        "tags": frozenset(labels),
    }


def _conversation_events(
    load: VendorLoad, obj: Mapping[str, Any]
) -> tuple[list[TicketEvent], list[Message], tuple[TicketStatus, Any], Message | None]:
    """(assignment events, embedded messages, (status, last update), first-reply stand-in)."""
    raw = obj.get("status")
    raw = _STATUS_CODES.get(raw, raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
    status = enum_value(load, "status", raw, CHATWOOT_STATUSES, "Chatwoot")
    created = load.stamp(obj.get("created_at"))
    out: list[TicketEvent] = []
    assignee = get_path(obj, "meta.assignee.id")
    team = get_path(obj, "team.name") or get_path(obj, "meta.team.name")
    if assignee is not None or team is not None:
        out.append(
            Assignment(
                at=created,
                agent_id=None if assignee is None else ident(assignee),
                group=team if isinstance(team, str) and team else None,
            )
        )
    inline = obj.get("messages") or []
    if not isinstance(inline, list):
        raise LoadError("messages must be a list")
    built = [m for m in (_message(load, x) for x in inline) if isinstance(m, Message)]
    last = (
        load.stamp(obj.get("last_activity_at"))
        or load.stamp(obj.get("timestamp"))
        or load.stamp(obj.get("updated_at"))
    )
    first = load.stamp(obj.get("first_reply_created_at"))
    stand_in = None if first is None else Message(at=first, author=ActorKind.AGENT)
    return out, built, (status, last), stand_in


def _message(load: VendorLoad, obj: Any) -> Message | None:
    if not isinstance(obj, dict):
        raise LoadError("a message must be an object")
    kind = obj.get("message_type")
    if isinstance(kind, bool) or kind not in CHATWOOT_MESSAGE_TYPES:
        raise LoadError(f"message_type {escape(repr(kind), 40)} is not a Chatwoot message type")
    kind = CHATWOOT_MESSAGE_TYPES[kind]
    if kind == "activity":
        load.note("activity messages not read (status and assignment notices)")
        return None
    private = obj.get("private", False)
    if not isinstance(private, bool):
        raise LoadError("message private must be true or false")
    sender = obj.get("sender_type") or get_path(obj, "sender.type")
    if kind == "incoming":
        author = ActorKind.CUSTOMER
    elif kind == "template":
        author = ActorKind.SYSTEM
    else:
        author = ActorKind.BOT if sender in ("AgentBot", "agent_bot") else ActorKind.AGENT
    sender_id = obj.get("sender_id", get_path(obj, "sender.id"))
    content = obj.get("content")
    message_id = obj.get("id")
    return Message(
        at=load.stamp(obj.get("created_at")),
        author=author,
        author_id=None if sender_id is None else ident(sender_id),
        public=not private,
        text=content if isinstance(content, str) else None,
        id=None if message_id is None else ident(message_id),
    )


_REPORTED: Mapping[str, str] = FrozenDict(
    {"first_response": "first_reply", "conversation_resolved": "first_resolution"}
)


def _duration(value: Any) -> timedelta | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 2**40:
        raise LoadError(f"a reporting event's value must be seconds, got {escape(repr(value), 40)}")
    return timedelta(seconds=value)


def _reporting(
    load: VendorLoad, obj: Mapping[str, Any], metrics: dict[str, dict[str, timedelta | int | None]]
) -> TicketEvent | None:
    """A reporting event's cs8 event; ``first_response`` and the first ``conversation_resolved``
    also give Chatwoot's own figures (``value``, ``value_in_business_hours``, seconds)."""
    name = obj.get("name")
    at = load.stamp(obj.get("event_end_time"))
    metric = _REPORTED.get(name) if isinstance(name, str) else None
    if metric is not None:
        own = metrics.setdefault(ident(obj.get("conversation_id")), {})
        if metric not in own:  # the first of each kind
            own[metric] = _duration(obj.get("value"))
            own[f"{metric}_business"] = _duration(obj.get("value_in_business_hours"))
    if name == "first_response":
        return None
    if isinstance(name, str) and name in _REPORTING:
        return StatusChange(at=at, status=_REPORTING[name])
    if name == "conversation_bot_handoff":
        return Handoff(at=at)
    load.note(f"reporting events not read ({escape(str(name), 40)})")
    return None
