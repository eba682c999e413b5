"""Zammad REST API JSON: tickets, articles, users and groups.

With articles, a ticket's messages come from them (sender ``Customer``/``Agent``/``System``,
``internal`` articles are private notes). Without articles, Zammad's own escalation fields stand in:
``first_response_at`` becomes the first agent reply and ``close_at`` the close. The mapping and its
definition choices are on the docs page "Zammad".

Example:
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "tickets.json").write_text(json.dumps([{"id": 1, "customer_id": 2,
    ...     "create_article_type": "phone", "state": "closed", "priority_id": 3,
    ...     "created_at": "2025-05-13T08:37:16.572Z", "first_response_at": "2025-05-13T09:00:00Z",
    ...     "close_at": "2025-05-13T10:00:00Z", "updated_at": "2025-05-13T10:00:00Z"}]))
    >>> t = read_zammad(folder).tickets[0]
    >>> t.channel, t.priority, t.status, t.first_reply_at.hour, t.closed_at.hour
    (Channel.PHONE, Priority.HIGH, TicketStatus.CLOSED, 9, 10)
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cs8._enums import ActorKind, Priority, TicketStatus
from cs8._frozen import FrozenDict
from cs8._models import Agent, Customer
from cs8._ticket import Assignment, Message, StatusChange, Ticket, TicketEvent
from cs8.exceptions import LoadError
from cs8.io._dataset import Dataset, VendorLoad, by_ticket, choose, ident, main_file, vendor_load
from cs8.io._rows import Progress
from cs8.io._source import escape
from cs8.io._values import map_channel

__all__ = ["ZAMMAD_PRIORITIES", "ZAMMAD_STATES", "read_zammad"]

ZAMMAD_STATES: Mapping[str, TicketStatus] = FrozenDict(
    {
        "new": TicketStatus.NEW,
        "open": TicketStatus.OPEN,
        "pending reminder": TicketStatus.PENDING,
        "pending close": TicketStatus.PENDING,
        "closed": TicketStatus.CLOSED,
        "merged": TicketStatus.CLOSED,
    }
)
"""Zammad's default ticket states (``removed`` tickets are rejected)."""

_STATE_IDS: Mapping[int, str] = FrozenDict(
    {1: "new", 2: "open", 3: "pending reminder", 4: "closed", 5: "merged", 6: "removed"}
    | {7: "pending close"}
)

ZAMMAD_PRIORITIES: Mapping[int, Priority] = FrozenDict(
    {1: Priority.LOW, 2: Priority.NORMAL, 3: Priority.HIGH}
)
"""Zammad's default priorities: 1 low, 2 normal, 3 high."""

_TICKET_KEYS: Mapping[str, str] = FrozenDict(
    {
        "id": "id",
        "customer_id": "customer_id",
        "channel": "create_article_type",
        "created_at": "created_at",
        "priority": "priority_id",
        "status": "state",
        "category": "type",
    }
)
"""cs8 ticket field -> the ticket object's key (what ``columns=`` may replace)."""


def read_zammad(
    path: str | os.PathLike[str],
    *,
    articles: str | os.PathLike[str] | None = None,
    users: str | os.PathLike[str] | None = None,
    groups: str | os.PathLike[str] | None = None,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    date_format: str | Sequence[str] | None = None,
    timezone: str = "UTC",
    encoding: str = "utf-8",
    duplicates: str = "reject",
    progress: Progress = False,
) -> Dataset:
    """Read Zammad REST API JSON: tickets, and optionally articles, users and groups.

    Args:
        path: A tickets file (one ticket or a list, as ``GET /api/v1/tickets?expand=true``
            returns), or a folder with ``tickets.json`` and optionally ``articles.json``,
            ``users.json`` and ``groups.json``.
        articles: An articles file (objects with ``ticket_id``), instead of the folder's.
        users: A users file, instead of the folder's.
        groups: A groups file, instead of the folder's.
        columns: cs8 ticket field (``id``, ``customer_id``, ``channel``, ``created_at``,
            ``priority``, ``status``, ``category``) -> the key path to read it from in a ticket
            object, dotted to reach into objects (``{"priority": "preferences.urgency"}``). A
            path a ticket lacks reads as an absent key.
        values: ``"status"`` (the ``state`` name), ``"priority"`` (the ``priority_id``) or
            ``"channel"`` (``create_article_type``) -> {raw value: cs8 value}, tried before
            Zammad's defaults: custom states and priorities need it.
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
        A :class:`Dataset`: tickets, users with the Agent or Admin role as agents and the others
        as customers.

    Raises:
        LoadError: If there is no tickets file, a file is not JSON or an option is not valid.

    Example:
        >>> import json, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "tickets.json").write_text(json.dumps([{"id": 1, "customer_id": 2,
        ...     "state": "waiting for vendor", "priority_id": 4, "created_at": "2025-05-13 08:37",
        ...     "updated_at": "2025-05-13 09:00"}]))
        >>> t = read_zammad(folder, values={"status": {"waiting for vendor": "on_hold"},
        ...     "priority": {4: "urgent"}}, date_format="%Y-%m-%d %H:%M",
        ...     timezone="Europe/Berlin").tickets[0]
        >>> t.status, t.priority, t.created_at.isoformat()
        (TicketStatus.ON_HOLD, Priority.URGENT, '2025-05-13T08:37:00+02:00')
    """
    base = Path(path)
    tickets_path = main_file(base, "tickets.json")
    in_folder = not base.is_file()
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
        group_names: dict[str, str] = {}
        groups_path = choose(base, groups, "groups.json") if in_folder or groups else None
        if groups_path is not None:
            for _, obj in load.json_table(groups_path):
                if obj.get("id") is not None and isinstance(obj.get("name"), str):
                    group_names[str(obj["id"])] = obj["name"]
        customers: list[Customer] = []
        agents: list[Agent] = []
        roles: dict[str, ActorKind] = {}
        users_path = choose(base, users, "users.json") if in_folder or users else None
        if users_path is not None:
            uname = escape(str(users_path))
            for position, obj in load.json_table(users_path):
                user_roles = obj.get("roles") or []
                staff = isinstance(user_roles, list) and bool({"Agent", "Admin"} & set(user_roles))
                cls: Any = Agent if staff else Customer
                person = load.build(cls, uname, position, obj, _person, obj)
                if person is not None:
                    roles[person.id] = ActorKind.AGENT if staff else ActorKind.CUSTOMER
                    (agents if staff else customers).append(person)
        name = escape(str(tickets_path))
        read: list[tuple[str, int, Ticket, Any]] = []
        for position, obj in load.json_table(tickets_path, renamed=True):
            if "state" not in obj and obj.get("state_id") in _STATE_IDS:
                obj = {**obj, "state": _STATE_IDS[obj["state_id"]]}  # not expanded: the default ids
            if obj.get("state") == "removed":
                load.reject(name, position, "state 'removed': deleted in Zammad", obj)
                continue
            ticket = load.build(Ticket, name, position, obj, _ticket, load, obj)
            if ticket is None:
                continue
            items = load.attempt(name, position, obj, _events, load, obj, group_names)
            if items is not None:
                read.append((name, position, ticket, items))
        tickets, events, rest = by_ticket(load.unique(read))
        fallback = {i: [(p, e) for e in reply] for i, (p, reply) in rest.items()}
        articles_path = choose(base, articles, "articles.json") if in_folder or articles else None
        with_articles: set[str] = set()
        if articles_path is not None:
            with_articles = load.children(articles_path, events, _article, roles)
        for ticket_id, items in fallback.items():
            if ticket_id not in with_articles and items:
                load.note(
                    "tickets without articles: first_response_at read as the first agent reply"
                )
                events[ticket_id] += items
        return load.dataset(
            tickets=load.tickets(tickets, events), customers=customers, agents=agents
        )


def _ticket(load: VendorLoad, obj: Mapping[str, Any]) -> dict[str, Any]:
    priority_id = obj.get("priority_id")
    priority: Priority | None = load.mapped("priority", priority_id)
    if priority is None:
        if (
            isinstance(priority_id, bool)
            or not isinstance(priority_id, int)
            or priority_id not in ZAMMAD_PRIORITIES
        ):
            raise LoadError(
                f"priority_id {escape(repr(priority_id))} is not a Zammad priority "
                "(map it with values=)"
            )
        priority = ZAMMAD_PRIORITIES[priority_id]
    kind = obj.get("create_article_type")
    channel, raw = load.mapped("channel", kind) or map_channel(
        kind if isinstance(kind, str) and kind else "other"
    )
    category = obj.get("type")
    return {
        "id": ident(obj.get("id")),
        "customer_id": ident(obj.get("customer_id")),
        "channel": channel,
        "channel_raw": raw,
        "created_at": load.at(obj.get("created_at")),
        "priority": priority,
        "category": category if isinstance(category, str) and category else None,
    }


def _events(
    load: VendorLoad, obj: Mapping[str, Any], groups: Mapping[str, str]
) -> tuple[list[TicketEvent], list[TicketEvent]]:
    """(events from the ticket's fields, the first reply from first_response_at)."""
    state = obj.get("state")
    status: TicketStatus | None = load.mapped("status", state)
    if status is None:
        if not isinstance(state, str) or state not in ZAMMAD_STATES:
            raise LoadError(
                f"state {escape(repr(state))} is not a Zammad state (map it with values=)"
            )
        status = ZAMMAD_STATES[state]
    out: list[TicketEvent] = []
    created = load.at(obj.get("created_at"))
    owner = obj.get("owner_id")
    group = obj.get("group_id")
    if (owner not in (None, 1)) or group is not None:
        # owner 1 is Zammad's "-" (nobody); the assignment is dated at creation.
        out.append(
            Assignment(
                at=created,
                agent_id=None if owner in (None, 1) else ident(owner),
                group=groups.get(str(group), None if group is None else str(group)),
            )
        )
    close = load.at(obj.get("close_at"))
    if close is not None:
        out.append(StatusChange(at=close, status=TicketStatus.CLOSED))
    if status is not TicketStatus.NEW and (status is not TicketStatus.CLOSED or close is None):
        at = load.at(obj.get("updated_at")) or created
        out.append(StatusChange(at=at, status=status))
    first = load.at(obj.get("first_response_at"))
    reply: list[TicketEvent] = [] if first is None else [Message(at=first, author=ActorKind.AGENT)]
    return out, reply


def _article(load: VendorLoad, obj: Mapping[str, Any], roles: Mapping[str, ActorKind]) -> Message:
    sender = obj.get("sender")
    author = {"Customer": ActorKind.CUSTOMER, "Agent": ActorKind.AGENT, "System": ActorKind.SYSTEM}
    if sender not in author:
        raise LoadError(f"article sender {escape(repr(sender))} is not Customer, Agent or System")
    internal = obj.get("internal", False)
    if not isinstance(internal, bool):
        raise LoadError("article internal must be true or false")
    creator = obj.get("created_by_id")
    return Message(
        at=load.at(obj.get("created_at")),
        author=author[sender],
        author_id=None if creator is None else ident(creator),
        public=not internal,
    )


def _person(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": ident(obj.get("id"))}
