"""Jira Service Management REST JSON: issues with their changelog, comments and SLA fields.

An issue (``GET /rest/api/2/issue/{key}?expand=changelog``, or ``/search`` with
``expand=changelog``) gives its fields (``created``, ``reporter``, ``priority``, ``status``,
``issuetype``, ``labels``, ``comment.comments``) and ``changelog.histories`` (status, priority and
assignee changes). Each SLA field (an object with ``completedCycles``/``ongoingCycle``, as JSM
writes ``Time to first response``) gives the vendor's own completed cycles as
:class:`~cs8.sla.SlaCycle` in :attr:`Dataset.sla_cycles`, and its running cycle as an
:class:`~cs8.sla.OngoingCycle` in :attr:`Dataset.ongoing_cycles`. The mapping and its definition choices
are on the docs page "Jira Service Management".

Example:
    >>> import json, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "issues.json"
    >>> _ = path.write_text(json.dumps({"issues": [{"id": "10001", "key": "SD-1", "fields": {
    ...     "created": "2024-01-15T08:00:00.000+0000", "reporter": {"accountId": "c1"},
    ...     "priority": {"name": "High"}, "status": {"name": "Resolved"},
    ...     "issuetype": {"name": "Service Request"}}, "changelog": {"histories": [
    ...     {"created": "2024-01-15T09:30:00.000+0000", "items": [{"field": "status",
    ...      "fromString": "Waiting for support", "toString": "Resolved"}]}]}}]}))
    >>> t = read_jsm(path).tickets[0]
    >>> t.id, t.priority, t.status, t.solved_at.hour, t.category
    ('SD-1', Priority.HIGH, TicketStatus.SOLVED, 9, 'Service Request')
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cs8._enums import ActorKind, Channel, Priority, TicketStatus
from cs8._frozen import FrozenDict
from cs8._ticket import Assignment, Message, PriorityChange, StatusChange, TicketEvent
from cs8.exceptions import LoadError
from cs8.io._conversation import reach_status
from cs8.io._dataset import (
    Dataset,
    VendorLoad,
    _dig,
    by_ticket,
    get_path,
    ident,
    main_file,
    vendor_load,
)
from cs8.io._rows import Progress
from cs8.io._source import escape
from cs8.io._values import map_channel
from cs8.sla import OngoingCycle, SlaCycle, SlaState

__all__ = ["JSM_CATEGORIES", "JSM_PRIORITIES", "JSM_STATUSES", "read_jsm"]

JSM_STATUSES: Mapping[str, TicketStatus] = FrozenDict(
    {
        "new": TicketStatus.NEW,
        "to do": TicketStatus.NEW,
        "open": TicketStatus.OPEN,
        "reopened": TicketStatus.OPEN,
        "waiting for support": TicketStatus.OPEN,
        "in progress": TicketStatus.OPEN,
        "work in progress": TicketStatus.OPEN,
        "escalated": TicketStatus.OPEN,
        "waiting for customer": TicketStatus.PENDING,
        "pending": TicketStatus.ON_HOLD,
        "awaiting approval": TicketStatus.ON_HOLD,
        "waiting for approval": TicketStatus.ON_HOLD,
        "resolved": TicketStatus.SOLVED,
        "done": TicketStatus.SOLVED,
        "completed": TicketStatus.SOLVED,
        "closed": TicketStatus.CLOSED,
        "canceled": TicketStatus.CLOSED,
        "cancelled": TicketStatus.CLOSED,
        "declined": TicketStatus.CLOSED,
    }
)
"""JSM's default workflow status names (any case) -> cs8 statuses."""

JSM_CATEGORIES: Mapping[str, TicketStatus] = FrozenDict(
    {"new": TicketStatus.NEW, "indeterminate": TicketStatus.OPEN, "done": TicketStatus.SOLVED}
)
"""Jira status categories, for a current status whose name no table knows."""

JSM_PRIORITIES: Mapping[str, Priority] = FrozenDict(
    {
        "highest": Priority.URGENT,
        "high": Priority.HIGH,
        "medium": Priority.NORMAL,
        "low": Priority.LOW,
        "lowest": Priority.LOW,
    }
)
"""Jira's default priority names (any case) -> cs8 priorities."""

_TICKET_KEYS: Mapping[str, str] = FrozenDict(
    {
        "id": "key",
        "customer_id": "fields.reporter.accountId",
        "channel": "fields.channel",
        "created_at": "fields.created",
        "priority": "fields.priority.name",
        "status": "fields.status.name",
        "category": "fields.issuetype.name",
    }
)
"""cs8 ticket field -> the issue's key path (what ``columns=`` may replace)."""


def read_jsm(
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
    """Read Jira Service Management issues (REST JSON, with ``expand=changelog``).

    Args:
        path: An issues file (one issue, a list, or a search response ``{"issues": [...]}``;
            JSON Lines too), or a folder with ``issues.json``.
        columns: cs8 ticket field (``id``, ``customer_id``, ``channel``, ``created_at``,
            ``priority``, ``status``, ``category``) -> the key path to read it from in an issue,
            dotted (defaults: ``key``, ``fields.reporter.accountId``, ``fields.priority.name``,
            ``fields.status.name``, ``fields.issuetype.name``; a Server export names the reporter
            ``fields.reporter.name``). JSM keeps no channel in the issue: without ``columns=``
            naming one, the channel is ``other`` (``channel_raw`` ``"jira"``).
        values: ``"status"``, ``"priority"`` or ``"channel"`` -> {raw name: cs8 value}, tried
            before JSM's defaults, in the fields and the changelog (custom workflow statuses
            need it).
        date_format: How instants are written, when not ISO 8601 (Jira writes
            ``2024-01-15T08:00:00.000+0000``, which reads as it is).
        timezone: IANA zone of instants without a UTC offset.
        encoding: The files' encoding (a byte-order mark overrides it).
        duplicates: A ticket id read more than once: ``"reject"`` every copy (the default,
            as :func:`~cs8.io.read_records`), ``"keep_first"`` or ``"keep_last"``; each copy
            dropped is a rejected row naming the copy kept.
        progress: ``True`` for a progress bar over the rows and objects read, all files
            together (needs ``tqdm``, the ``progress`` extra), or a callable given that count,
            every 10,000.

    Returns:
        A :class:`Dataset`: a ticket per issue, the SLA fields' completed cycles in
        :attr:`Dataset.sla_cycles` and their ongoing cycles in :attr:`Dataset.ongoing_cycles`.

    Raises:
        LoadError: If there is no issues file, a file is not JSON or an option is not valid.

    Example:
        >>> import json, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "issues.json"
        >>> _ = path.write_text(json.dumps([{"key": "IT-7", "fields": {
        ...     "created": "15/01/2024 08:00", "reporter": {"name": "jdoe"},
        ...     "priority": {"name": "P2"}, "status": {"name": "Triage"}}}]))
        >>> t = read_jsm(path, columns={"customer_id": "fields.reporter.name"},
        ...     values={"status": {"Triage": "open"}, "priority": {"P2": "high"}},
        ...     date_format="%d/%m/%Y %H:%M").tickets[0]
        >>> t.customer_id, t.status, t.priority
        ('jdoe', TicketStatus.OPEN, Priority.HIGH)
    """
    base = Path(path)
    issues_path = main_file(base, "issues.json")
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
            load.ticket_objects(issues_path, ("issues",), _ticket, _events)
        )
        built = [reach_status(load, t, *rest[t.id][1]) for t in load.tickets(tickets, events)]
        cycles: dict[str, dict[str, list[SlaCycle]]] = {}
        ongoing: dict[str, dict[str, OngoingCycle]] = {}
        for t in built:
            for sla, (done, running) in rest[t.id][2].items():
                cycles.setdefault(t.id, {})[sla] = [
                    SlaCycle(**c, priority=t.priority_at(c["started_at"])) for c in done
                ]
                if running is not None:
                    ongoing.setdefault(t.id, {})[sla] = OngoingCycle(
                        **running, priority=t.priority_at(max(running["started_at"], t.created_at))
                    )
        return load.dataset(tickets=built, sla_cycles=cycles, ongoing_cycles=ongoing)


def _named(load: VendorLoad, field: str, raw: Any, table: Mapping[str, Any]) -> Any:
    mapped = load.mapped(field, raw)
    if mapped is not None:
        return mapped
    if isinstance(raw, str) and raw.strip().lower() in table:
        return table[raw.strip().lower()]
    return None


def _status(load: VendorLoad, raw: Any, category: Any = None) -> TicketStatus:
    status = _named(load, "status", raw, JSM_STATUSES)
    if status is None and isinstance(category, str) and category in JSM_CATEGORIES:
        load.note("statuses read by their Jira status category")
        status = JSM_CATEGORIES[category]
    if status is None:
        raise LoadError(f"status {escape(repr(raw), 80)} is not a JSM status (map it with values=)")
    return status  # type: ignore[no-any-return]


def _priority(load: VendorLoad, raw: Any) -> Priority:
    if raw is None and load.mapped("priority", raw) is None:
        load.note("issues without a priority, read as normal")
        return Priority.NORMAL
    priority = _named(load, "priority", raw, JSM_PRIORITIES)
    if priority is None:
        raise LoadError(
            f"priority {escape(repr(raw), 80)} is not a Jira priority (map it with values=)"
        )
    return priority  # type: ignore[no-any-return]


def _ticket(load: VendorLoad, obj: Mapping[str, Any]) -> dict[str, Any]:
    raw = get_path(obj, "fields.channel")
    channel = load.mapped("channel", raw)
    if channel is None:
        if isinstance(raw, str) and raw:
            channel = map_channel(raw)
        else:
            load.note("issues without a channel, read as other")
            channel = (Channel.OTHER, "jira")
    labels = get_path(obj, "fields.labels") or []
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise LoadError("fields.labels must be a list of texts")
    category = get_path(obj, "fields.issuetype.name")
    return {
        "id": ident(obj.get("key", obj.get("id"))),
        "customer_id": ident(get_path(obj, "fields.reporter.accountId")),
        "channel": channel[0],
        "channel_raw": channel[1],
        "created_at": load.at(get_path(obj, "fields.created")),
        "priority": _first_priority(load, obj),
        "category": category if isinstance(category, str) and category else None,
        "tags": frozenset(labels),
    }


def _first_priority(load: VendorLoad, obj: Mapping[str, Any]) -> Priority:
    """The priority at creation: the first priority change's ``fromString``, else the current."""
    histories = _dig(obj, "changelog.histories")
    for history in histories if isinstance(histories, list) else []:
        items = history.get("items") if isinstance(history, dict) else None
        for item in items if isinstance(items, list) else []:
            if (
                isinstance(item, dict)
                and item.get("field") == "priority"
                and item.get("fromString")
            ):
                return _priority(load, item["fromString"])
    return _priority(load, get_path(obj, "fields.priority.name"))


def _events(
    load: VendorLoad, obj: Mapping[str, Any]
) -> tuple[list[TicketEvent], tuple[TicketStatus, datetime | None], dict[str, list[Any]]]:
    """(changelog and comment events, (current status, its instant), SLA name -> cycles)."""
    reporter = ident(get_path(obj, "fields.reporter.accountId"))
    fields = obj.get("fields")
    if not isinstance(fields, dict):
        raise LoadError("an issue needs its fields object")
    status = _status(
        load, get_path(obj, "fields.status.name"), _dig(fields, "status.statusCategory.key")
    )
    out: list[TicketEvent] = []
    histories = _dig(obj, "changelog.histories") or []
    if not isinstance(histories, list):
        raise LoadError("changelog.histories must be a list")
    for history in histories:
        if not isinstance(history, dict) or not isinstance(history.get("items"), list):
            raise LoadError("a changelog history needs its items")
        at = load.at(history.get("created"))
        for item in history["items"]:
            event = _change(load, at, item)
            if event is not None:
                out.append(event)
    comments = _dig(fields, "comment.comments") or []
    if not isinstance(comments, list):
        raise LoadError("fields.comment.comments must be a list")
    for comment in comments:
        if not isinstance(comment, dict):
            raise LoadError("a comment must be an object")
        out.append(_comment(load, comment, reporter))
    slas: dict[str, Any] = {}
    for key, value in fields.items():
        if not isinstance(value, dict) or not (
            "completedCycles" in value or "ongoingCycle" in value
        ):
            continue
        sla_name = str(value.get("name") or key)
        raw, running = value.get("completedCycles") or [], value.get("ongoingCycle")
        if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
            raise LoadError(f"SLA {escape(repr(sla_name), 80)}: completedCycles must be a list")
        if running is not None and not isinstance(running, dict):
            raise LoadError(f"SLA {escape(repr(sla_name), 80)}: ongoingCycle must be an object")
        try:
            slas[sla_name] = (
                [_cycle(load, c) for c in raw],
                None if running is None else _ongoing(load, running),
            )
        except LoadError as exc:
            raise LoadError(f"SLA {escape(repr(sla_name), 80)}: {exc}") from None
    done = load.at(fields.get("resolutiondate")) or load.at(fields.get("updated"))
    return out, (status, done), slas


def _change(load: VendorLoad, at: Any, item: Any) -> TicketEvent | None:
    if not isinstance(item, dict):
        raise LoadError("a changelog item must be an object")
    field = item.get("field")
    if field == "status":
        return StatusChange(at=at, status=_status(load, item.get("toString")))
    if field == "priority":
        return PriorityChange(at=at, priority=_priority(load, item.get("toString")))
    if field == "assignee":
        to = item.get("to")
        return Assignment(at=at, agent_id=None if to in (None, "") else ident(to))
    load.note(f"changelog fields not read ({escape(str(field), 40)})")
    return None


def _comment(load: VendorLoad, comment: Mapping[str, Any], reporter: str) -> Message:
    author = _dig(comment, "author.accountId") or _dig(comment, "author.name")
    public = comment.get("jsdPublic", True)
    if not isinstance(public, bool):
        raise LoadError("a comment's jsdPublic must be true or false")
    body = comment.get("body")
    author_id = None if author is None else ident(author)
    return Message(
        at=load.at(comment.get("created")),
        author=ActorKind.CUSTOMER if author_id == reporter else ActorKind.AGENT,
        author_id=author_id,
        public=public,
        text=body if isinstance(body, str) else None,
        id=None if comment.get("id") is None else ident(comment["id"]),
    )


def _instant(load: VendorLoad, value: Any) -> datetime | None:
    """A JSM date object (``iso8601``, else ``epochMillis``)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise LoadError(f"expected a date object, got {escape(repr(value), 80)}")
    if value.get("iso8601"):
        return load.at(value["iso8601"])
    millis = value.get("epochMillis")
    if isinstance(millis, bool) or not isinstance(millis, int) or not 0 <= millis < 2**43:
        raise LoadError("a date object needs iso8601 or epochMillis")
    return datetime.fromtimestamp(millis / 1000, UTC)


def _millis(value: Any, what: str) -> timedelta:
    millis = value.get("millis") if isinstance(value, dict) else None
    if isinstance(millis, bool) or not isinstance(millis, int) or not 0 <= millis < 2**43:
        raise LoadError(f"{what} needs millis")
    return timedelta(milliseconds=millis)


def _ongoing(load: VendorLoad, raw: Mapping[str, Any]) -> dict[str, Any]:
    """An ongoing cycle's :class:`OngoingCycle` fields, but its priority (the ticket's then).

    JSM measures it when the export was taken (``as_of`` unknown); its ``breachTime`` is the
    breach when ``breached``, else only a forecast, which is not kept.
    """
    start = _instant(load, raw.get("startTime"))
    if start is None:
        raise LoadError("an ongoing SLA cycle needs startTime")
    breached, paused = raw.get("breached"), raw.get("paused")
    if not isinstance(breached, bool) or not isinstance(paused, bool):
        raise LoadError("an ongoing SLA cycle's breached and paused must be true or false")
    state = SlaState.BREACHED if breached else SlaState.PAUSED if paused else SlaState.ACTIVE
    return {
        "started_at": start,
        "state": state,
        "paused": paused,
        "target": _millis(raw.get("goalDuration"), "goalDuration"),
        "elapsed": _millis(raw.get("elapsedTime"), "elapsedTime"),
        "breached_at": _instant(load, raw.get("breachTime")) if breached else None,
    }


def _cycle(load: VendorLoad, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A completed cycle's :class:`SlaCycle` fields, but its priority (the ticket's then)."""
    start = _instant(load, raw.get("startTime"))
    stop = _instant(load, raw.get("stopTime"))
    if start is None or stop is None:
        raise LoadError("a completed SLA cycle needs startTime and stopTime")
    breached = raw.get("breached")
    if not isinstance(breached, bool):
        raise LoadError("a completed SLA cycle's breached must be true or false")
    return {
        "started_at": start,
        "completed_at": stop,
        "state": SlaState.BREACHED if breached else SlaState.ACHIEVED,
        "target": _millis(raw.get("goalDuration"), "goalDuration"),
        "elapsed": _millis(raw.get("elapsedTime"), "elapsedTime"),
        "breached_at": _instant(load, raw.get("breachTime")) if breached else None,
    }
