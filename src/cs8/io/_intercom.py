"""Intercom REST API JSON: conversations with their conversation parts, contacts and admins.

A conversation (``GET /conversations/{id}``) carries its opening message in ``source`` and its
history in ``conversation_parts``: ``comment`` (a reply), ``note`` (private), ``assignment``
(and its variants), ``close``, ``open``, ``snoozed``. Intercom writes instants as epoch
seconds. The mapping and its definition choices are on the docs page "Intercom".

Example:
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "conversations.json").write_text(json.dumps({"conversations": [{
    ...     "type": "conversation", "id": "1911149811", "created_at": 1539897198,
    ...     "updated_at": 1539900000, "state": "closed", "priority": "not_priority",
    ...     "source": {"type": "conversation", "author": {"type": "user", "id": "5bc8"}},
    ...     "conversation_parts": {"conversation_parts": [
    ...         {"part_type": "comment", "created_at": 1539897798,
    ...          "author": {"type": "admin", "id": "814860"}},
    ...         {"part_type": "close", "created_at": 1539900000,
    ...          "author": {"type": "admin", "id": "814860"}}]}}]}))
    >>> t = read_intercom(folder).tickets[0]
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
from cs8._ticket import Assignment, Message, StatusChange, TicketEvent
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
from cs8.io._values import map_channel

__all__ = ["INTERCOM_AUTHORS", "INTERCOM_PRIORITIES", "INTERCOM_STATES", "read_intercom"]

INTERCOM_STATES: Mapping[str, TicketStatus] = FrozenDict(
    {"open": TicketStatus.OPEN, "closed": TicketStatus.SOLVED, "snoozed": TicketStatus.ON_HOLD}
)
"""Intercom conversation states: a closed conversation reopens on a customer reply, as a solved
ticket does."""

INTERCOM_PRIORITIES: Mapping[Any, Priority] = FrozenDict(
    {"priority": Priority.HIGH, "not_priority": Priority.NORMAL, None: Priority.NORMAL}
)
"""Intercom's two priorities: ``priority`` (starred) and ``not_priority``."""

INTERCOM_AUTHORS: Mapping[str, ActorKind] = FrozenDict(
    {
        "admin": ActorKind.AGENT,
        "team": ActorKind.AGENT,
        "bot": ActorKind.BOT,
        "user": ActorKind.CUSTOMER,
        "lead": ActorKind.CUSTOMER,
        "contact": ActorKind.CUSTOMER,
    }
)
"""Intercom author types -> cs8 actors."""

_STATUS_PARTS: Mapping[str, TicketStatus] = FrozenDict(
    {"close": TicketStatus.SOLVED, "open": TicketStatus.OPEN, "snoozed": TicketStatus.ON_HOLD}
)

_SOURCES: Mapping[str, Channel] = FrozenDict(
    {"conversation": Channel.CHAT, "push": Channel.MESSAGING, "phone_call": Channel.PHONE}
)

_TICKET_KEYS: Mapping[str, str] = FrozenDict(
    {
        "id": "id",
        "customer_id": "source.author.id",
        "channel": "source.type",
        "created_at": "created_at",
        "priority": "priority",
        "status": "state",
        "category": "custom_attributes.category",
    }
)
"""cs8 ticket field -> the conversation's key path (what ``columns=`` may replace)."""


def read_intercom(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    date_format: str | Sequence[str] | None = None,
    timezone: str = "UTC",
    encoding: str = "utf-8",
    duplicates: str = "reject",
    progress: Progress = False,
) -> Dataset:
    """Read Intercom REST API JSON: conversations with their parts.

    Args:
        path: A conversations file (one conversation, a list, or a list or search response
            ``{"conversations": [...]}``), or a folder with ``conversations.json`` and optionally
            ``contacts.json`` and ``admins.json``.
        columns: cs8 ticket field (``id``, ``customer_id``, ``channel``, ``created_at``,
            ``priority``, ``status``, ``category``) -> the key path to read it from in a
            conversation, dotted (defaults: ``source.author.id``, ``source.type``, ``state``,
            ``custom_attributes.category`` ...).
        values: ``"status"`` (the ``state``), ``"priority"`` or ``"channel"`` (the source type) ->
            {raw value: cs8 value}, tried before Intercom's own names.
        date_format: How text instants are written (numbers are epoch seconds unless this says
            otherwise).
        timezone: IANA zone of instants without a UTC offset.
        encoding: The files' encoding (a byte-order mark overrides it).
        duplicates: A ticket id read more than once: ``"reject"`` every copy (the default,
            as :func:`~cs8.io.read_records`), ``"keep_first"`` or ``"keep_last"``; each copy
            dropped is a rejected row naming the copy kept.
        progress: ``True`` for a progress bar over the rows and objects read, all files
            together (needs ``tqdm``, the ``progress`` extra), or a callable given that count,
            every 10,000.

    Returns:
        A :class:`Dataset`: a ticket per conversation, contacts as customers, admins as agents.

    Raises:
        LoadError: If there is no conversations file, a file is not JSON or an option is not
            valid.

    Example:
        >>> import json, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.json"
        >>> _ = path.write_text(json.dumps({"id": "1", "created_at": 1539897198,
        ...     "state": "open", "priority": "priority", "contacts": {"contacts": [{"id": "c9"}]},
        ...     "source": {"type": "email", "author": {"type": "admin", "id": "8"}}}))
        >>> t = read_intercom(path).tickets[0]
        >>> t.customer_id, t.channel, t.priority, t.created_by
        ('c9', Channel.EMAIL, Priority.HIGH, ActorKind.AGENT)
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
            load.ticket_objects(conversations_path, ("conversations", "data"), _ticket, _events)
        )
        metrics = {i: figures for i, (_, _, figures) in rest.items() if figures}
        built = [reach_status(load, t, *rest[t.id][1]) for t in load.tickets(tickets, events)]
        customers = load.people(
            choose(base, None, "contacts.json") if in_folder else None, Customer, "data"
        )
        agents = load.people(
            choose(base, None, "admins.json") if in_folder else None, Agent, "admins"
        )
        return load.dataset(
            tickets=built, customers=customers, agents=agents, vendor_metrics=metrics
        )


def _ticket(load: VendorLoad, obj: Mapping[str, Any]) -> dict[str, Any]:
    source = obj.get("source") or {}
    if not isinstance(source, dict):
        raise LoadError("source must be an object")
    kind = get_path(obj, "source.type")
    channel = load.mapped("channel", kind)
    if channel is None:
        text = kind if isinstance(kind, str) and kind else "other"
        channel = (_SOURCES[text], text) if text in _SOURCES else map_channel(text)
    author_type = get_path(obj, "source.author.type")
    customer = (
        get_path(obj, "source.author.id") if author_type in ("user", "lead", "contact") else None
    )
    contacts = get_path(obj, "contacts.contacts")
    if isinstance(contacts, list) and contacts and isinstance(contacts[0], dict):
        customer = contacts[0].get("id", customer)
    if "source.author.id" in obj:  # columns= named the customer's key
        customer = obj["source.author.id"]
    tags = get_path(obj, "tags.tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, dict) for t in tags):
        raise LoadError("tags.tags must be a list of tag objects")
    category = get_path(obj, "custom_attributes.category")
    return {
        "id": ident(obj.get("id")),
        "customer_id": ident(customer),
        "channel": channel[0],
        "channel_raw": channel[1],
        "created_at": load.stamp(obj.get("created_at")),
        "priority": enum_value(
            load, "priority", obj.get("priority"), INTERCOM_PRIORITIES, "Intercom"
        ),
        "category": category if isinstance(category, str) and category else None,
        "tags": frozenset(str(t.get("name")) for t in tags if t.get("name")),
        "created_by": INTERCOM_AUTHORS.get(str(author_type), ActorKind.CUSTOMER),
    }


def _events(
    load: VendorLoad, obj: Mapping[str, Any]
) -> tuple[list[TicketEvent], tuple[TicketStatus, Any], dict[str, timedelta | int | None]]:
    """(the opening message and the parts' events, (state, last update), Intercom's own
    figures from ``statistics``)."""
    status = enum_value(load, "status", obj.get("state"), INTERCOM_STATES, "Intercom")
    created = load.stamp(obj.get("created_at"))
    out: list[TicketEvent] = []
    author_type = get_path(obj, "source.author.type")
    if author_type is not None:
        out.append(_message(load, obj.get("source") or {}, created, public=True))
    parts = get_path(obj, "conversation_parts.conversation_parts")
    if parts is None and isinstance(obj.get("conversation_parts"), list):
        parts = obj["conversation_parts"]
    if not isinstance(parts, list | None):
        raise LoadError("conversation_parts must be a list")
    for index, part in enumerate(parts or [], 1):
        if not isinstance(part, dict):
            raise LoadError(f"conversation part {index} is not an object")
        try:
            event = _part(load, part)
        except LoadError as exc:
            raise LoadError(f"conversation part {index}: {exc}") from None
        if event is not None:
            out.append(event)
    return out, (status, load.stamp(obj.get("updated_at"))), _statistics(load, obj, created)


def _seconds(value: Any, what: str) -> timedelta | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**40:
        raise LoadError(f"statistics.{what} must be seconds, got {escape(repr(value), 40)}")
    return timedelta(seconds=value)


def _statistics(
    load: VendorLoad, obj: Mapping[str, Any], created: Any
) -> dict[str, timedelta | int | None]:
    """Intercom's ``statistics``: ``time_to_admin_reply`` (which leaves out office-closed
    hours), the first admin reply and close instants, the last close and ``count_reopens``."""
    stats = obj.get("statistics")
    if stats is None:
        return {}
    if not isinstance(stats, dict):
        raise LoadError("statistics must be an object")
    out: dict[str, timedelta | int | None] = {}
    if "time_to_admin_reply" in stats:
        out["first_reply_business"] = _seconds(stats["time_to_admin_reply"], "time_to_admin_reply")
    for key, metric in (
        ("first_admin_reply_at", "first_reply"),
        ("first_close_at", "first_resolution"),
        ("last_close_at", "full_resolution"),
    ):
        if key in stats:
            at = load.stamp(stats[key])
            out[metric] = None if at is None else at - created
    if "count_reopens" in stats:
        reopens = stats["count_reopens"]
        if isinstance(reopens, bool) or not isinstance(reopens, int) or reopens < 0:
            raise LoadError("statistics.count_reopens must be a count")
        out["reopens"] = reopens
    return out


def _part(load: VendorLoad, part: Mapping[str, Any]) -> TicketEvent | None:
    kind = part.get("part_type")
    at = load.stamp(part.get("created_at"))
    if kind == "comment":
        return _message(load, part, at, public=True)
    if kind == "note":
        return _message(load, part, at, public=False)
    if isinstance(kind, str) and kind in _STATUS_PARTS:
        return StatusChange(at=at, status=_STATUS_PARTS[kind])
    if isinstance(kind, str) and kind.endswith("assignment"):
        assigned = part.get("assigned_to")
        agent = assigned.get("id") if isinstance(assigned, dict) else None
        if isinstance(assigned, dict) and assigned.get("type") == "team":
            return Assignment(at=at, group=ident(agent))
        return Assignment(at=at, agent_id=None if agent is None else ident(agent))
    load.note(f"conversation parts not read ({escape(str(kind), 40)})")
    return None


def _message(load: VendorLoad, obj: Mapping[str, Any], at: Any, *, public: bool) -> Message:
    author = obj.get("author")
    if not isinstance(author, dict) or author.get("type") not in INTERCOM_AUTHORS:
        raise LoadError(
            f"author {escape(repr(author), 80)} has no Intercom author type (admin, user, ...)"
        )
    body = obj.get("body")
    author_id = author.get("id")
    return Message(
        at=at,
        author=INTERCOM_AUTHORS[author["type"]],
        author_id=None if author_id is None else ident(author_id),
        public=public,
        text=body if isinstance(body, str) else None,
        id=None if obj.get("id") is None else ident(obj["id"]),
    )
