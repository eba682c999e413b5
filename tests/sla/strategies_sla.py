"""Hypothesis strategies for SLA policy tests: random tickets on whole minutes, and policies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from cs8 import (
    ActorKind,
    Channel,
    Message,
    Priority,
    PriorityChange,
    StatusChange,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from cs8.sla import SlaMetric, SlaPolicy, SlaTarget

BASE = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # a Monday
MINUTE = timedelta(minutes=1)

STATUSES = list(TicketStatus)
PRIORITIES = list(Priority)

_status_event = st.builds(lambda s: ("status", s), st.sampled_from(STATUSES))
_message_event = st.builds(
    lambda a, p: ("message", a, p),
    st.sampled_from([ActorKind.AGENT, ActorKind.CUSTOMER, ActorKind.CUSTOMER, ActorKind.BOT]),
    st.booleans() | st.just(True),
)
_priority_event = st.builds(lambda p: ("priority", p), st.sampled_from(PRIORITIES))
_event_kind = st.one_of(
    _status_event, _message_event, _message_event, _message_event, _priority_event
)


def _build(kind: tuple[object, ...], at: datetime) -> TicketEvent:
    if kind[0] == "status":
        return StatusChange(at=at, status=kind[1])
    if kind[0] == "priority":
        return PriorityChange(at=at, priority=kind[1])
    return Message(at=at, author=kind[1], public=kind[2])  # type: ignore[arg-type]


@st.composite
def tickets(
    draw: st.DrawFn,
    *,
    min_events: int = 2,
    max_events: int = 12,
    max_gap_minutes: int = 150,
    start_days: int = 6,
) -> Ticket:
    """A ticket created on a whole minute within ``start_days`` of BASE, with events on minutes."""
    created = BASE + draw(st.integers(0, start_days * 1440 - 1)) * MINUTE
    kinds = draw(st.lists(_event_kind, min_size=min_events, max_size=max_events))
    events: list[TicketEvent] = []
    at = created
    for kind in kinds:
        at = at + draw(st.integers(0, max_gap_minutes)) * MINUTE
        events.append(_build(kind, at))
    return Ticket(
        id="T",
        customer_id="C",
        channel=draw(st.sampled_from([Channel.EMAIL, Channel.CHAT])),
        created_at=created,
        priority=draw(st.sampled_from(PRIORITIES)),
        events=events,
    )


def last_event_at(ticket: Ticket) -> datetime:
    """The time of the last event (or creation)."""
    return ticket.events[-1].at if ticket.events else ticket.created_at


ALL_METRICS = list(SlaMetric)


def calendar_hours_policy(
    within: timedelta = timedelta(hours=3),
    pause_statuses: frozenset[TicketStatus] | None = None,
) -> SlaPolicy:
    """One calendar-hours target per metric, all with the same ``within`` and pause statuses."""
    return SlaPolicy(
        name="p",
        targets=[
            SlaTarget(metric=m, within=within, business_hours=False, pause_statuses=pause_statuses)
            for m in ALL_METRICS
        ],
    )


withins = st.integers(1, 10 * 60).map(lambda m: m * MINUTE)
