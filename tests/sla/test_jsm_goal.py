"""JsmGoal: JSM's start, pause-on and stop conditions in cycles, against a brute-force oracle.

The oracle restates Atlassian's rules minute by minute and shares no code with cs8's clock: an SLA
counts from a start condition to a stop condition; a start while a cycle runs and a stop while
none runs do nothing; a start after a stop begins a new cycle; time in a pause-on status or off
the goal's calendar is not counted; a cycle breaches when its counted time exceeds the goal
("Create service level agreements (SLAs)",
https://support.atlassian.com/jira-service-management-cloud/docs/create-service-level-agreements-slas/;
"Understanding why an SLA is paused",
https://confluence.atlassian.com/jirakb/understanding-why-an-sla-is-paused-in-a-jira-service-management-ticket-1271267987.html).
The hand-computed multi-cycle case against an export is ``tests/io/test_jsm_cycles.py``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import ActorKind, Message, StatusChange, Ticket, TicketStatus
from cs8.exceptions import NaiveDatetimeError, SlaError
from cs8.sla import BusinessCalendar, JsmGoal, SlaState, compare_cycles
from tests.sla import oracle
from tests.sla.strategies_sla import MINUTE, last_event_at, tickets

NINE_TO_FIVE = BusinessCalendar(
    timezone="UTC", hours={d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
)
STATUSES = list(TicketStatus)
Row = tuple[datetime, datetime, timedelta, SlaState, datetime | None]


@st.composite
def goals(draw: st.DrawFn) -> JsmGoal:
    """A goal with at least one start and one stop condition and no status that does both."""
    starts = draw(st.sets(st.sampled_from(STATUSES), max_size=2))
    stops = draw(st.sets(st.sampled_from([s for s in STATUSES if s not in starts]), max_size=3))
    agent_stop = draw(st.booleans()) or not stops
    customer_start = draw(st.booleans())
    created_start = draw(st.booleans()) or not (starts or customer_start)
    return JsmGoal(
        name="goal",
        within=draw(st.integers(1, 600)) * MINUTE,
        calendar=draw(st.sampled_from([None, NINE_TO_FIVE])),
        start_created=created_start,
        start_statuses=starts,
        start_customer_comment=customer_start,
        pause_statuses=draw(st.sets(st.sampled_from(STATUSES), max_size=3)),
        stop_statuses=stops,
        stop_agent_comment=agent_stop,
    )


def brute_force(goal: JsmGoal, ticket: Ticket, now: datetime) -> list[Row]:
    """The goal's completed cycles by walking every minute from creation to ``now``."""
    within = goal.within // MINUTE
    status = TicketStatus.NEW
    running: datetime | None = None
    counted = 0
    breach: datetime | None = None
    out: list[Row] = []
    t = ticket.created_at
    if goal.start_created:
        running = t
    while t < now:
        for event in ticket.events:
            if event.at != t:
                continue
            start = stop = False
            if isinstance(event, StatusChange) and event.status is not status:
                status = event.status
                start = status in goal.start_statuses
                stop = status in goal.stop_statuses
            elif isinstance(event, Message) and event.public:
                start = goal.start_customer_comment and event.author is ActorKind.CUSTOMER
                stop = goal.stop_agent_comment and event.author is ActorKind.AGENT
            if running is not None and stop:
                late = breach is not None and breach < t
                state = SlaState.BREACHED if late else SlaState.ACHIEVED
                out.append((running, t, counted * MINUTE, state, breach if late else None))
                running, counted, breach = None, 0, None
            elif running is None and start:
                running = t
        counts = goal.calendar is None or oracle.is_open(NINE_TO_FIVE, oracle.us(t))
        if running is not None and status not in goal.pause_statuses and counts:
            counted += 1
            if counted == within:
                breach = t + MINUTE
        t += MINUTE
    return out


def rows(goal: JsmGoal, ticket: Ticket, now: datetime) -> list[Row]:
    return [
        (c.started_at, c.completed_at, c.elapsed, c.state, c.breached_at)
        for c in goal.cycles(ticket, now=now)
    ]


@given(goals(), tickets(max_events=10, max_gap_minutes=200))
def test_cycles_match_a_minute_by_minute_oracle(goal: JsmGoal, ticket: Ticket) -> None:
    now = last_event_at(ticket) + MINUTE
    assert rows(goal, ticket, now) == brute_force(goal, ticket, now)


@given(goals(), tickets(max_events=10))
def test_cycles_are_ordered_and_disjoint(goal: JsmGoal, ticket: Ticket) -> None:
    now = last_event_at(ticket) + MINUTE
    cycles = goal.cycles(ticket, now=now)
    bounds = goal.bounds(ticket, now=now)
    assert [(c.started_at, c.completed_at) for c in cycles] == [b for b in bounds if b[1]]
    for before, after in itertools.pairwise(bounds):
        assert before[1] is not None
        assert before[1] <= after[0]
    assert compare_cycles(cycles, cycles, tolerance=timedelta(0)) == ()


def test_a_restart_after_a_stop_is_a_new_cycle_and_a_stop_without_a_cycle_is_ignored() -> None:
    # created 08:00, solved 09:00 (stop), closed 09:30 (no cycle runs: nothing), reopened 10:00
    # (start), pending 10:30-11:00 (paused), solved 12:00: cycles 1 h and 1.5 h.
    t0 = datetime(2024, 1, 15, 8, tzinfo=UTC)
    m = MINUTE
    ticket = Ticket(
        id="T",
        customer_id="C",
        channel="email",
        created_at=t0,
        events=[
            StatusChange(at=t0 + 60 * m, status="solved"),
            StatusChange(at=t0 + 90 * m, status="closed"),
            StatusChange(at=t0 + 120 * m, status="open"),
            StatusChange(at=t0 + 150 * m, status="pending"),
            StatusChange(at=t0 + 180 * m, status="open"),
            StatusChange(at=t0 + 240 * m, status="solved"),
        ],
    )
    goal = JsmGoal(name="TTR", within=2 * 60 * m, start_statuses=["open"])
    one, two = goal.cycles(ticket, now=t0 + 300 * m)
    assert (one.elapsed, two.elapsed) == (60 * m, 90 * m)
    assert (two.started_at, two.completed_at) == (t0 + 120 * m, t0 + 240 * m)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "name"),
        ({"within": timedelta(0)}, "within"),
        ({"start_created": False}, "no start condition"),
        ({"stop_statuses": ()}, "no stop condition"),
        ({"start_statuses": ["solved"]}, "both start and stop"),
        ({"calendar": "9-5"}, "calendar"),
    ],
)
def test_invalid_goals_are_refused(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"name": "TTR", "within": timedelta(hours=1)}
    with pytest.raises(SlaError, match=message):
        JsmGoal(**{**base, **kwargs})  # type: ignore[arg-type]


def test_now_must_be_aware_and_after_creation() -> None:
    t0 = datetime(2024, 1, 15, 8, tzinfo=UTC)
    ticket = Ticket(id="T", customer_id="C", channel="email", created_at=t0)
    goal = JsmGoal(name="TTR", within=timedelta(hours=1))
    with pytest.raises(NaiveDatetimeError):
        goal.cycles(ticket, now=datetime(2024, 1, 15, 9))
    with pytest.raises(SlaError, match="before ticket 'T'"):
        goal.cycles(ticket, now=t0 - MINUTE)
    with pytest.raises(SlaError, match="tolerance"):
        compare_cycles((), (), tolerance=-MINUTE)


def test_the_names_are_public() -> None:
    import inspect

    import cs8.sla
    from cs8.io import reconcile

    assert {"CycleDifference", "CycleField", "JsmGoal", "compare_cycles"} <= set(cs8.sla.__all__)
    assert "goals" in inspect.signature(reconcile).parameters
