"""Laws of SLA clocks, checked with hypothesis against a minute-by-minute brute force."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from cs8 import ActorKind, Message, StatusChange, Ticket, TicketStatus
from cs8.sla import SlaMetric, SlaPolicy, SlaResult, SlaState, SlaTarget
from tests.sla.strategies_sla import (
    ALL_METRICS,
    MINUTE,
    calendar_hours_policy,
    last_event_at,
    tickets,
    withins,
)

STOPPED = frozenset({TicketStatus.SOLVED, TicketStatus.CLOSED})
DEFAULT_PAUSE = {
    SlaMetric.FIRST_REPLY: frozenset(),
    SlaMetric.NEXT_REPLY: frozenset(),
    SlaMetric.PERIODIC_UPDATE: frozenset(),
    SlaMetric.PAUSABLE_UPDATE: frozenset({TicketStatus.PENDING}),
    SlaMetric.RESOLUTION: frozenset({TicketStatus.PENDING, TicketStatus.ON_HOLD}),
    SlaMetric.REQUESTER_WAIT: frozenset({TicketStatus.PENDING}),
    SlaMetric.AGENT_WORK: frozenset({TicketStatus.PENDING, TicketStatus.ON_HOLD}),
    SlaMetric.TOTAL_RESOLUTION: frozenset(),
}
SINGLE = [m for m in ALL_METRICS if not m.is_cyclic]

statuses_subsets = st.frozensets(st.sampled_from([TicketStatus.PENDING, TicketStatus.ON_HOLD]))


def truncated(ticket: Ticket, now: datetime) -> Ticket:
    return attrs.evolve(ticket, events=[e for e in ticket.events if e.at <= now])


def solves(ticket: Ticket) -> list[datetime]:
    out = []
    previous = TicketStatus.NEW
    for event in ticket.events:
        if isinstance(event, StatusChange):
            if previous.is_open and not event.status.is_open:
                out.append(event.at)
            previous = event.status
    return out


def first_reply(ticket: Ticket) -> datetime | None:
    for event in ticket.events:
        if isinstance(event, Message) and event.public and event.author is ActorKind.AGENT:
            return event.at
    return None


def oracle_end(ticket: Ticket, metric: SlaMetric) -> datetime | None:
    """When a single-cycle metric completes, from the (truncated) event log."""
    solved = solves(ticket)
    if metric is SlaMetric.FIRST_REPLY:
        candidates = [x for x in (first_reply(ticket), solved[0] if solved else None) if x]
        return min(candidates) if candidates else None
    if metric is SlaMetric.RESOLUTION:
        return solved[0] if solved else None
    return solved[-1] if solved and not ticket.status.is_open else None


def minutes_counted(
    ticket: Ticket,
    start: datetime,
    end: datetime,
    stop: frozenset[TicketStatus],
    is_open: Callable[[datetime], bool] = lambda t: True,
) -> timedelta:
    """Brute force: count whole minutes of [start, end) whose status is not stopped."""
    total = 0
    t = start
    while t < end:
        if ticket.status_at(t) not in stop and is_open(t):
            total += 1
        t += MINUTE
    return total * MINUTE


def stop_set(metric: SlaMetric, pause: frozenset[TicketStatus]) -> frozenset[TicketStatus]:
    return pause if metric is SlaMetric.TOTAL_RESOLUTION else pause | STOPPED


def by_metric(results: tuple[SlaResult, ...]) -> dict[SlaMetric, SlaResult]:
    return {r.metric: r for r in results}


nows = st.integers(0, 720)


@given(tickets(), nows, withins)
def test_single_cycle_elapsed_matches_brute_force(
    ticket: Ticket, extra: int, within: timedelta
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    seen = truncated(ticket, now)
    results = by_metric(calendar_hours_policy(within).evaluate(ticket, now=now))
    for metric in SINGLE:
        end = oracle_end(seen, metric)
        expected = minutes_counted(
            seen, seen.created_at, end or now, stop_set(metric, DEFAULT_PAUSE[metric])
        )
        assert (results[metric].elapsed, results[metric].completed_at) == (expected, end)


@given(tickets(), nows, withins)
def test_cycle_elapsed_matches_brute_force(ticket: Ticket, extra: int, within: timedelta) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    seen = truncated(ticket, now)
    for result in calendar_hours_policy(within).evaluate(ticket, now=now):
        stop = stop_set(result.metric, DEFAULT_PAUSE[result.metric])
        for cycle in result.cycles:
            expected = minutes_counted(seen, cycle.started_at, cycle.completed_at, stop)
            assert cycle.elapsed == expected


@given(tickets(), nows, withins)
def test_next_reply_cycles_start_at_a_customer_message_and_end_at_a_reply_or_solve(
    ticket: Ticket, extra: int, within: timedelta
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    seen = truncated(ticket, now)
    customer_times = {
        e.at
        for e in seen.events
        if isinstance(e, Message) and e.public and e.author is ActorKind.CUSTOMER
    }
    ends = {
        e.at
        for e in seen.events
        if isinstance(e, Message) and e.public and e.author is ActorKind.AGENT
    } | set(solves(seen))
    results = by_metric(calendar_hours_policy(within).evaluate(ticket, now=now))
    if SlaMetric.NEXT_REPLY in results:
        for cycle in results[SlaMetric.NEXT_REPLY].cycles:
            assert (cycle.started_at in customer_times, cycle.completed_at in ends) == (True, True)


@given(tickets(), nows, withins, statuses_subsets, statuses_subsets)
def test_pausing_never_increases_elapsed(
    ticket: Ticket,
    extra: int,
    within: timedelta,
    small: frozenset[TicketStatus],
    more: frozenset[TicketStatus],
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    fewer = calendar_hours_policy(within, pause_statuses=small).evaluate(ticket, now=now)
    paused = calendar_hours_policy(within, pause_statuses=small | more).evaluate(ticket, now=now)
    for a, b in zip(fewer, paused, strict=True):
        assert b.elapsed <= a.elapsed
        assert [c.elapsed <= d.elapsed for c, d in zip(b.cycles, a.cycles, strict=True)] == [
            True
        ] * len(a.cycles)


def comparable(result: SlaResult) -> tuple[object, ...]:
    return (
        result.state,
        result.target,
        result.elapsed,
        result.breached_at,
        result.started_at,
        result.completed_at,
        result.priority,
        result.warnings_passed,
        result.warned_at,
        result.escalation,
        result.escalated_at,
    )


def warned_policy(within: timedelta) -> SlaPolicy:
    return SlaPolicy(
        name="p",
        targets=[
            SlaTarget(
                metric=m,
                within=within,
                business_hours=False,
                warnings=(0.5, 0.9),
                escalations=[("lead", 0.75), ("manager", 1.0), ("director", 1.5)],
            )
            for m in ALL_METRICS
        ],
    )


@given(tickets(), nows, withins)
def test_completed_metric_evaluates_the_same_at_now_and_at_completion(
    ticket: Ticket, extra: int, within: timedelta
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    policy = warned_policy(within)
    for result in policy.evaluate(ticket, now=now):
        if result.completed_at is None:
            continue
        then = by_metric(policy.evaluate(ticket, now=result.completed_at))[result.metric]
        if result.metric.is_cyclic:
            assert result.cycles[-1] in then.cycles
        else:
            assert comparable(then) == comparable(result)


@given(tickets(), nows, withins)
def test_an_active_clock_reaches_its_target_exactly_at_due(
    ticket: Ticket, extra: int, within: timedelta
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    policy = calendar_hours_policy(within)
    for result in policy.evaluate(ticket, now=now):
        if result.state is not SlaState.ACTIVE:
            continue
        assert result.due_at is not None
        at_due = by_metric(policy.evaluate(ticket, now=result.due_at))[result.metric]
        after = by_metric(policy.evaluate(ticket, now=result.due_at + MINUTE))[result.metric]
        assert (at_due.state, at_due.elapsed, after.state, after.breached_at) == (
            SlaState.ACTIVE,
            result.target,
            SlaState.BREACHED,
            result.due_at,
        )


@given(tickets(), nows, withins)
def test_result_fields_agree_with_each_other(ticket: Ticket, extra: int, within: timedelta) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    for r in warned_policy(within).evaluate(ticket, now=now):
        assert r.remaining == r.target - r.elapsed
        assert (r.state is SlaState.BREACHED) == (r.breached_at is not None)
        assert (r.due_at is None) == (r.state in (SlaState.PAUSED, SlaState.ACHIEVED))
        if r.state is SlaState.ACHIEVED:
            assert r.remaining >= timedelta(0)
        if r.state is SlaState.BREACHED:
            assert r.remaining <= timedelta(0)
            assert r.escalation in ("manager", "director")
        if r.state is SlaState.ACTIVE:
            assert r.due_at is not None
            assert r.due_at >= now
        assert r.elapsed <= (r.completed_at or now) - r.started_at


BY_PRIORITY_WITHIN = {"low": 8, "normal": 4, "high": 2, "urgent": 1}


def by_priority_policy() -> SlaPolicy:
    return SlaPolicy(
        name="p",
        targets=[
            SlaTarget(
                metric=m,
                within=timedelta(hours=hours),
                priority=priority,
                business_hours=False,
            )
            for m in ALL_METRICS
            for priority, hours in BY_PRIORITY_WITHIN.items()
        ],
    )


@given(tickets(), nows)
def test_a_priority_change_reselects_the_target_and_keeps_the_time_used(
    ticket: Ticket, extra: int
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    uniform = by_metric(calendar_hours_policy(timedelta(hours=4)).evaluate(ticket, now=now))
    for r in by_priority_policy().evaluate(ticket, now=now):
        judged_at = r.completed_at or now
        expected_target = timedelta(hours=BY_PRIORITY_WITHIN[ticket.priority_at(judged_at).value])
        same = uniform[r.metric]
        assert (r.elapsed, r.target, r.started_at) == (
            same.elapsed,
            expected_target,
            same.started_at,
        )
        if r.breached_at is not None:
            assert r.started_at <= r.breached_at <= judged_at


PAUSED_BY_PENDING = {SlaMetric.RESOLUTION, SlaMetric.REQUESTER_WAIT, SlaMetric.AGENT_WORK}


@given(tickets(), nows, withins, st.integers(0, 2000), st.integers(1, 600))
def test_inserting_a_pending_spell_never_increases_elapsed(
    ticket: Ticket, extra: int, within: timedelta, offset: int, length: int
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    a = min(ticket.created_at + offset * MINUTE, now)
    b = a + length * MINUTE
    before = ticket.status_at(a)
    changes_inside = any(isinstance(e, StatusChange) and a < e.at <= b for e in ticket.events)
    assume(before.is_open and before is not TicketStatus.PENDING and not changes_inside)
    events = [e for e in ticket.events if e.at <= a]
    events.append(StatusChange(at=a, status=TicketStatus.PENDING))
    events.extend(e for e in ticket.events if a < e.at <= b)
    events.append(StatusChange(at=b, status=before))
    events.extend(e for e in ticket.events if e.at > b)
    paused = attrs.evolve(ticket, events=events)
    policy = calendar_hours_policy(within)
    original = by_metric(policy.evaluate(ticket, now=max(now, b)))
    for r in policy.evaluate(paused, now=max(now, b)):
        if r.metric in PAUSED_BY_PENDING:
            assert r.elapsed <= original[r.metric].elapsed
        elif not r.metric.is_cyclic:
            assert r.elapsed == original[r.metric].elapsed
