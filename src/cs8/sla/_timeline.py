"""A ticket's event log read once for the SLA clocks: status and priority history, cycle bounds.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import StatusChange, Ticket
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0,
    ...                 events=[StatusChange(at=t0.replace(hour=10), status="solved")])
    >>> walk(ticket, t0.replace(hour=12)).first_solve.hour
    10
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime

import attrs

from cs8._enums import ActorKind, Priority, TicketStatus
from cs8._models import Assignment, Message, PriorityChange, StatusChange, Ticket
from cs8._ticket import Handoff

__all__ = ["Timeline", "group_at", "running_spans", "status_at", "utc", "walk"]


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@attrs.frozen
class Timeline:
    """Everything evaluate needs from a ticket's log up to ``now``, from one pass over it."""

    created: datetime
    now: datetime
    status_times: list[datetime]
    statuses: list[TicketStatus]
    priority_times: list[datetime]
    priorities: list[Priority]
    first_reply_end: datetime | None
    first_solve: datetime | None
    last_solve: datetime | None
    reply_cycles: list[tuple[datetime, datetime | None]]
    update_cycles: list[tuple[datetime, datetime | None]]
    first_agent_reply: datetime | None
    """The first public agent reply (a solve does not count)."""
    reply_mark: datetime | None
    """The latest bot handoff or reopen before the first agent reply, if any."""
    reply_mark_end: datetime | None
    """The first agent reply or solve after ``reply_mark``."""
    group_times: list[datetime]
    groups: list[str | None]
    """The owning group from each of ``group_times`` on."""
    group_spans: list[tuple[datetime, datetime | None, str]]
    """Each span a group owned the open ticket: from its assignment or a reopen to a handover or
    a solve (``None`` while it runs)."""


def walk(ticket: Ticket, now: datetime) -> Timeline:
    created = utc(ticket.created_at)
    status = TicketStatus.NEW
    status_times = [created]
    statuses = [status]
    priority_times = [created]
    priorities = [ticket.priority]
    first_reply_end: datetime | None = None
    first_solve: datetime | None = None
    last_solve: datetime | None = None
    replied = False
    reply_cycles: list[tuple[datetime, datetime | None]] = []
    update_cycles: list[tuple[datetime, datetime | None]] = []
    reply_open: datetime | None = None
    update_open: datetime | None = None
    first_agent_reply: datetime | None = None
    mark: datetime | None = None
    mark_end: datetime | None = None
    owner: str | None = None
    group_times: list[datetime] = [created]
    groups: list[str | None] = [None]
    group_spans: list[tuple[datetime, datetime | None, str]] = []
    span_open: datetime | None = None
    agent, customer = ActorKind.AGENT, ActorKind.CUSTOMER
    # A ticket an agent opened with a public comment is not answered by that comment (Zendesk).
    opening_comment = ticket.created_by is agent
    for event in ticket.events:
        at = utc(event.at)
        if at > now:
            break
        kind = type(event)
        if kind is Message:
            msg: Message = event  # type: ignore[assignment]
            if not msg.public:
                continue
            if msg.author is agent:
                if first_reply_end is None and not opening_comment:
                    first_reply_end = at
                if first_agent_reply is None and not opening_comment:
                    first_agent_reply = at
                    if mark_end is None:
                        mark_end = at
                opening_comment = False
                if reply_open is not None:
                    reply_cycles.append((reply_open, at))
                    reply_open = None
                if update_open is not None:
                    update_cycles.append((update_open, at))
                update_open = at
                replied = True
            elif msg.author is customer:
                opening_comment = False
                if replied and reply_open is None:
                    reply_open = at
        elif kind is StatusChange:
            new: TicketStatus = event.status  # type: ignore[union-attr]
            if new is status:
                continue
            if status.is_open and not new.is_open:
                if first_solve is None:
                    first_solve = at
                last_solve = at
                if first_reply_end is None:
                    first_reply_end = at
                if first_agent_reply is None and mark_end is None:
                    mark_end = at
                if span_open is not None and owner is not None:
                    if span_open < at:
                        group_spans.append((span_open, at, owner))
                    span_open = None
                if reply_open is not None:
                    if reply_open < at:
                        reply_cycles.append((reply_open, at))
                    reply_open = None
                if update_open is not None:
                    if update_open < at:
                        update_cycles.append((update_open, at))
                    update_open = None
            elif not status.is_open and new.is_open:
                if first_agent_reply is None:
                    mark, mark_end = at, None
                if owner is not None:
                    span_open = at
            status = new
            if status_times[-1] == at:
                statuses[-1] = new
                if len(statuses) > 1 and statuses[-2] is new:
                    status_times.pop()
                    statuses.pop()
            else:
                status_times.append(at)
                statuses.append(new)
        elif kind is PriorityChange:
            prio: Priority = event.priority  # type: ignore[union-attr]
            if priority_times[-1] == at:
                priorities[-1] = prio
            else:
                priority_times.append(at)
                priorities.append(prio)
        elif kind is Assignment:
            group: str | None = event.group  # type: ignore[union-attr]
            if group is not None and group != owner:
                if span_open is not None and owner is not None and span_open < at:
                    group_spans.append((span_open, at, owner))
                owner = group
                span_open = at if status.is_open else None
                if group_times[-1] == at:
                    groups[-1] = owner
                else:
                    group_times.append(at)
                    groups.append(owner)
        elif kind is Handoff and first_agent_reply is None:
            mark, mark_end = at, None
    if span_open is not None and owner is not None:
        group_spans.append((span_open, None, owner))
    if reply_open is not None:
        reply_cycles.append((reply_open, None))
    if update_open is not None:
        update_cycles.append((update_open, None))
    if statuses[-1].is_open:
        last_solve = None
    return Timeline(
        created=created,
        now=now,
        status_times=status_times,
        statuses=statuses,
        priority_times=priority_times,
        priorities=priorities,
        first_reply_end=first_reply_end,
        first_solve=first_solve,
        last_solve=last_solve,
        reply_cycles=reply_cycles,
        update_cycles=update_cycles,
        first_agent_reply=first_agent_reply,
        reply_mark=mark,
        reply_mark_end=mark_end,
        group_times=group_times,
        groups=groups,
        group_spans=group_spans,
    )


def running_spans(
    line: Timeline,
    start: datetime,
    end: datetime,
    stop: tuple[TicketStatus, ...],
    *,
    inside: bool = False,
) -> list[tuple[datetime, datetime]]:
    """Return the sub-spans of ``[start, end)`` whose status is not in ``stop``, merged.

    With ``inside``, return the sub-spans whose status is in ``stop`` instead.
    """
    times, statuses = line.status_times, line.statuses
    index = max(0, bisect_right(times, start) - 1)
    spans: list[tuple[datetime, datetime]] = []
    count = len(times)
    while index < count and times[index] < end:
        seg_start = times[index] if times[index] > start else start
        seg_end = times[index + 1] if index + 1 < count and times[index + 1] < end else end
        if (statuses[index] in stop) is inside and seg_start < seg_end:
            if spans and spans[-1][1] == seg_start:
                spans[-1] = (spans[-1][0], seg_end)
            else:
                spans.append((seg_start, seg_end))
        index += 1
    return spans


def status_at(line: Timeline, t: datetime) -> TicketStatus:
    return line.statuses[bisect_right(line.status_times, t) - 1]


def group_at(line: Timeline, t: datetime) -> str | None:
    """Return the group owning the ticket at ``t`` (``None`` before any group assignment)."""
    return line.groups[bisect_right(line.group_times, t) - 1]
