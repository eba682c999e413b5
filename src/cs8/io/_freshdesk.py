"""Freshdesk API v2 JSON: tickets with their conversations, contacts, agents.

Freshdesk's API gives a ticket's current status and its ``stats`` timestamps (``resolved_at``,
``closed_at``, ``pending_since``, ``reopened_at``), not a status history; the events are built from
those and from the conversations. The mapping and its definition choices are on the docs page
"Freshdesk".

Example:
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "tickets.json").write_text(json.dumps([{"id": 1, "requester_id": 5,
    ...     "source": 3, "status": 4, "priority": 2, "created_at": "2016-05-18T04:36:04Z",
    ...     "updated_at": "2016-05-19T04:36:04Z", "stats": {"resolved_at": "2016-05-19T04:36:04Z"}}]))
    >>> _ = (folder / "conversations.json").write_text(json.dumps([{"id": 9, "ticket_id": 1,
    ...     "incoming": False, "private": False, "user_id": 7, "created_at": "2016-05-18T05:36:04Z"}]))
    >>> t = read_freshdesk(folder).tickets[0]
    >>> t.channel, t.priority, t.status, t.first_reply_at.hour, t.solved_at.day
    (Channel.PHONE, Priority.NORMAL, TicketStatus.SOLVED, 5, 19)
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cs8._enums import ActorKind, Channel, Priority, TicketStatus
from cs8._frozen import FrozenDict
from cs8._models import Agent, Customer
from cs8._ticket import Message, StatusChange, TicketEvent
from cs8.exceptions import LoadError
from cs8.io._dataset import Dataset, VendorLoad, by_ticket, choose, ident, main_file, vendor_load
from cs8.io._rows import Progress
from cs8.io._source import escape

__all__ = [
    "FRESHDESK_PRIORITIES",
    "FRESHDESK_SOURCES",
    "FRESHDESK_STATUSES",
    "read_freshdesk",
]

FRESHDESK_STATUSES: Mapping[int, TicketStatus] = FrozenDict(
    {
        2: TicketStatus.OPEN,
        3: TicketStatus.PENDING,
        4: TicketStatus.SOLVED,
        5: TicketStatus.CLOSED,
        6: TicketStatus.PENDING,  # "Waiting on Customer"
        7: TicketStatus.ON_HOLD,  # "Waiting on Third Party"
    }
)
"""Freshdesk status codes (API v2 reference, "Ticket properties")."""

FRESHDESK_PRIORITIES: Mapping[int, Priority] = FrozenDict(
    {1: Priority.LOW, 2: Priority.NORMAL, 3: Priority.HIGH, 4: Priority.URGENT}
)
"""Freshdesk priority codes: Low, Medium, High, Urgent."""

FRESHDESK_SOURCES: Mapping[int, tuple[Channel, str]] = FrozenDict(
    {
        1: (Channel.EMAIL, "email"),
        2: (Channel.WEB, "portal"),
        3: (Channel.PHONE, "phone"),
        4: (Channel.SOCIAL, "forum"),
        5: (Channel.SOCIAL, "twitter"),
        6: (Channel.SOCIAL, "facebook"),
        7: (Channel.CHAT, "chat"),
        8: (Channel.MESSAGING, "mobihelp"),
        9: (Channel.WEB, "feedback_widget"),
        10: (Channel.EMAIL, "outbound_email"),
    }
)
"""Freshdesk source codes -> (channel, Freshdesk's name, kept in ``channel_raw``)."""

_KEYS = ("results", "tickets")

_TICKET_KEYS: Mapping[str, str] = FrozenDict(
    {
        "id": "id",
        "customer_id": "requester_id",
        "channel": "source",
        "created_at": "created_at",
        "priority": "priority",
        "status": "status",
        "category": "type",
    }
)
"""cs8 ticket field -> the ticket object's key (what ``columns=`` may replace)."""


def _code(load: VendorLoad, value: Any, table: Mapping[int, Any], what: str) -> Any:
    """A code: the ``values=`` map first (``what`` is its field), then Freshdesk's codes."""
    mapped = load.mapped("channel" if what == "source" else what, value)
    if mapped is not None:
        return mapped
    if isinstance(value, bool) or not isinstance(value, int) or value not in table:
        raise LoadError(
            f"{what} {escape(repr(value))} is not a Freshdesk {what} code (map it with values=)"
        )
    return table[value]


def read_freshdesk(
    path: str | os.PathLike[str],
    *,
    conversations: str | os.PathLike[str] | None = None,
    contacts: str | os.PathLike[str] | None = None,
    agents: str | os.PathLike[str] | None = None,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    date_format: str | Sequence[str] | None = None,
    timezone: str = "UTC",
    encoding: str = "utf-8",
    duplicates: str = "reject",
    progress: Progress = False,
) -> Dataset:
    """Read Freshdesk API v2 JSON: tickets with their conversations.

    Args:
        path: A tickets file (one ticket, a list, or a search result ``{"results": [...]}``; a
            ticket may embed its ``conversations``), or a folder with ``tickets.json`` and
            optionally ``conversations.json``, ``contacts.json`` and ``agents.json``.
        conversations: A conversations file (objects with ``ticket_id``), instead of the folder's.
        contacts: A contacts file, instead of the folder's.
        agents: An agents file, instead of the folder's.
        columns: cs8 ticket field (``id``, ``customer_id``, ``channel``, ``created_at``,
            ``priority``, ``status``, ``category``) -> the key path to read it from in a ticket
            object, dotted to reach into objects (``{"category": "custom_fields.cf_product"}``).
            A path a ticket lacks reads as an absent key.
        values: ``"status"``, ``"priority"`` or ``"channel"`` (the ``source`` code) -> {raw
            value: cs8 value}, tried before Freshdesk's codes: custom statuses (codes from 8)
            need it.
        date_format: How instants are written, when not ISO 8601 (a strptime format, several,
            ``"epoch"`` or ``"epoch_ms"``, numbers accepted).
        timezone: IANA zone of instants without a UTC offset (the API writes ``Z``).
        encoding: The files' encoding (a byte-order mark overrides it).
        duplicates: A ticket id read more than once: ``"reject"`` every copy (the default,
            as :func:`~cs8.io.read_records`), ``"keep_first"`` or ``"keep_last"``; each copy
            dropped is a rejected row naming the copy kept.
        progress: ``True`` for a progress bar over the rows and objects read, all files
            together (needs ``tqdm``, the ``progress`` extra), or a callable given that count,
            every 10,000.

    Returns:
        A :class:`Dataset` of tickets, contacts as customers and agents.

    Raises:
        LoadError: If there is no tickets file, a file is not JSON or an option is not valid.

    Example:
        >>> import json, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "tickets.json").write_text(json.dumps([{"id": 1, "requester_id": 5,
        ...     "source": 3, "status": 8, "priority": 2, "created_at": 1463546164,
        ...     "updated_at": 1463549764, "custom_fields": {"cf_product": "router"}}]))
        >>> t = read_freshdesk(folder, columns={"category": "custom_fields.cf_product"},
        ...     values={"status": {8: "pending"}}, date_format="epoch").tickets[0]
        >>> t.status, t.category, t.created_at.isoformat()
        (TicketStatus.PENDING, 'router', '2016-05-18T04:36:04+00:00')
    """
    base = Path(path)
    tickets_path = main_file(base, "tickets.json", "all_tickets.json")
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
        tickets, events, _ = by_ticket(
            load.ticket_objects(tickets_path, _KEYS, _ticket, _ticket_events)
        )
        conversations_path = (
            choose(base, conversations, "conversations.json")
            if not base.is_file() or conversations
            else None
        )
        if conversations_path is not None:
            load.children(conversations_path, events, _message, keys=("conversations",))
        in_folder = not base.is_file()
        customers = load.people(
            choose(base, contacts, "contacts.json") if contacts or in_folder else None,
            Customer,
            "results",
        )
        staff = load.people(
            choose(base, agents, "agents.json") if agents or in_folder else None, Agent, "results"
        )
        return load.dataset(
            tickets=load.tickets(tickets, events), customers=customers, agents=staff
        )


def _ticket(load: VendorLoad, obj: Mapping[str, Any]) -> dict[str, Any]:
    channel, raw = _code(load, obj.get("source"), FRESHDESK_SOURCES, "source")
    tags = obj.get("tags") or []
    if not isinstance(tags, list):
        raise LoadError("tags must be a list")
    kind = obj.get("type")
    return {
        "id": ident(obj.get("id")),
        "customer_id": ident(obj.get("requester_id")),
        "channel": channel,
        "channel_raw": raw,
        "created_at": load.at(obj.get("created_at")),
        "priority": _code(load, obj.get("priority"), FRESHDESK_PRIORITIES, "priority"),
        "category": kind if isinstance(kind, str) and kind else None,
        "tags": frozenset(tags),
    }


def _ticket_events(load: VendorLoad, obj: Mapping[str, Any]) -> tuple[list[TicketEvent]]:
    """The status events and the embedded conversations of a ticket object."""
    out = _status_events(load, obj)
    embedded = obj.get("conversations") or []
    if not isinstance(embedded, list) or not all(isinstance(c, dict) for c in embedded):
        raise LoadError("conversations must be a list of objects")
    return (out + [_message(load, c) for c in embedded],)


def _status_events(load: VendorLoad, obj: Mapping[str, Any]) -> list[TicketEvent]:
    status = _code(load, obj.get("status"), FRESHDESK_STATUSES, "status")
    stats = obj.get("stats") or {}
    if not isinstance(stats, dict):
        raise LoadError("stats must be an object")
    out: list[TicketEvent] = []
    resolved, closed = load.at(stats.get("resolved_at")), load.at(stats.get("closed_at"))
    if resolved is not None:
        out.append(StatusChange(at=resolved, status=TicketStatus.SOLVED))
    if closed is not None:
        out.append(StatusChange(at=closed, status=TicketStatus.CLOSED))
    reopened = load.at(stats.get("reopened_at"))
    if (
        reopened is not None
        and (resolved or closed)
        and reopened > max(x for x in (resolved, closed) if x)
    ):
        out.append(StatusChange(at=reopened, status=TicketStatus.OPEN))
    if status.is_open and status is not TicketStatus.OPEN:
        since = load.at(stats.get("pending_since")) or load.at(stats.get("status_updated_at"))
        since = since or load.at(obj.get("updated_at"))
        if since is not None:
            out.append(StatusChange(at=since, status=status))
    reached = max(out, key=lambda e: e.at).status if out else TicketStatus.NEW  # type: ignore[union-attr]
    if reached is not status:
        # The stats stop short of (or contradict) the ticket's status: the status holds from its
        # last update on (the latest of status_updated_at, updated_at and the stats).
        stamps = [load.at(stats.get("status_updated_at")), load.at(obj.get("updated_at"))]
        stamps += [e.at for e in out]
        known = [t for t in stamps if t is not None]
        if known:
            load.note(
                "tickets whose stats do not reach their status: the status at its last update"
            )
            out.append(StatusChange(at=max(known), status=status))
    return out


def _message(load: VendorLoad, obj: Mapping[str, Any]) -> Message:
    incoming, private = obj.get("incoming"), obj.get("private")
    if not isinstance(incoming, bool) or not isinstance(private, bool):
        raise LoadError("conversation incoming and private must be true or false")
    user = obj.get("user_id")
    return Message(
        at=load.at(obj.get("created_at")),
        author=ActorKind.CUSTOMER if incoming else ActorKind.AGENT,
        author_id=None if user is None else ident(user),
        public=not private,
    )
