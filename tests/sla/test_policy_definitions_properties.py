"""Laws of the issue-15 SLA clocks against a minute-by-minute brute force over the event log."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cs8 import (
    ActorKind,
    Assignment,
    Handoff,
    Message,
    StatusChange,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from cs8.sla import SlaMetric, SlaPolicy, SlaState, SlaTarget
from tests.sla.strategies_sla import BASE, MINUTE

_KIND = st.sampled_from(
    [
        "open",
        "solved",
        "closed",
        "pending",
        "agent",
        "customer",
        "bot",
        "handoff",
        "to_a",
        "to_b",
        "to_none",
    ]
)


def _event(kind: str, at: datetime) -> TicketEvent:
    if kind in ("open", "solved", "closed", "pending"):
        return StatusChange(at=at, status=kind)
    if kind in ("agent", "customer", "bot"):
        return Message(at=at, author=kind)
    if kind == "handoff":
        return Handoff(at=at)
    group = {"to_a": "a", "to_b": "b", "to_none": None}[kind]
    return Assignment(at=at, agent_id="x", group=group)


@st.composite
def logs(draw: st.DrawFn) -> tuple[Ticket, datetime]:
    created = BASE + draw(st.integers(0, 1440)) * MINUTE
    at = created
    events = []
    for kind in draw(st.lists(_KIND, max_size=14)):
        at += draw(st.integers(0, 90)) * MINUTE
        events.append(_event(kind, at))
    ticket = Ticket(id="T", customer_id="C", channel="chat", created_at=created, events=events)
    now = at + draw(st.integers(0, 120)) * MINUTE
    return ticket, now


def _state_at(ticket: Ticket, t: datetime) -> tuple[TicketStatus, str | None]:
    """Status and owning group after every event at or before ``t``."""
    status, owner = TicketStatus.NEW, None
    for event in ticket.events:
        if event.at > t:
            break
        if isinstance(event, StatusChange):
            status = event.status
        elif isinstance(event, Assignment) and event.group is not None:
            owner = event.group
    return status, owner


def _minutes(ticket: Ticket, start: datetime, end: datetime) -> list[datetime]:
    count = int((end - start) / MINUTE)
    return [start + k * MINUTE for k in range(max(count, 0))]


OLA = SlaPolicy(
    name="ola",
    targets=[
        SlaTarget(
            metric="group_ownership", within=timedelta(hours=1), group="a", business_hours=False
        ),
        SlaTarget(
            metric="group_ownership", within=timedelta(hours=2), group="b", business_hours=False
        ),
    ],
)


@given(logs())
def test_group_ownership_time_is_the_time_each_group_owned_the_open_ticket(
    case: tuple[Ticket, datetime],
) -> None:
    ticket, now = case
    results = [r for r in OLA.evaluate(ticket, now=now) if r.metric is SlaMetric.GROUP_OWNERSHIP]
    counted: dict[str, timedelta] = {}
    for result in results:
        for cycle in result.cycles:
            assert cycle.group is not None
            counted[cycle.group] = counted.get(cycle.group, timedelta(0)) + cycle.elapsed
        if not result.is_complete:
            assert result.group is not None
            counted[result.group] = counted.get(result.group, timedelta(0)) + result.elapsed
    expected: dict[str, timedelta] = {}
    for minute in _minutes(ticket, ticket.created_at, now):
        status, owner = _state_at(ticket, minute)
        if owner is not None and status.is_open:
            expected[owner] = expected.get(owner, timedelta(0)) + MINUTE
    assert expected == {g: d for g, d in counted.items() if d}


def _first_agent_reply(ticket: Ticket) -> datetime | None:
    for event in ticket.events:
        if isinstance(event, Message) and event.public and event.author is ActorKind.AGENT:
            return event.at
    return None


@given(logs())
def test_resume_counts_the_open_time_until_the_first_agent_reply(
    case: tuple[Ticket, datetime],
) -> None:
    ticket, now = case
    policy = SlaPolicy(
        name="p",
        targets=[
            SlaTarget(
                metric="first_reply",
                within=timedelta(hours=3),
                business_hours=False,
                on_reopen="resume",
            )
        ],
    )
    (result,) = policy.evaluate(ticket, now=now)
    reply = _first_agent_reply(ticket)
    # Evaluation replays every event at or before ``now``, so a reply at ``now`` has happened.
    replied = reply is not None and reply <= now
    end = reply if replied else now
    expected = sum(
        (
            MINUTE
            for m in _minutes(ticket, ticket.created_at, end)
            if _state_at(ticket, m)[0].is_open
        ),
        timedelta(0),
    )
    status_now = _state_at(ticket, now)[0]
    paused = not replied and not status_now.is_open and result.state is not SlaState.BREACHED
    assert (expected, paused) == (result.elapsed, result.state is SlaState.PAUSED)


@given(logs())
def test_the_reply_clock_starts_at_the_last_handoff_or_reopen_before_the_reply(
    case: tuple[Ticket, datetime],
) -> None:
    ticket, now = case
    policy = SlaPolicy(
        name="p",
        targets=[
            SlaTarget(
                metric="first_reply",
                within=timedelta(hours=3),
                business_hours=False,
                reply_clock_start="last_handoff_or_reopen",
            )
        ],
    )
    (result,) = policy.evaluate(ticket, now=now)
    start = ticket.created_at
    status = TicketStatus.NEW
    for event in ticket.events:
        if event.at > now:
            break
        if isinstance(event, Message) and event.public and event.author is ActorKind.AGENT:
            break
        if isinstance(event, Handoff):
            start = event.at
        if isinstance(event, StatusChange):
            if not status.is_open and event.status.is_open:
                start = event.at
            status = event.status
    assert start == result.started_at
