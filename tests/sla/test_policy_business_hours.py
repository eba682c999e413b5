"""SLA clocks counted in a business calendar's hours: hand cases and laws."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from cs8 import ActorKind, Message, StatusChange, Ticket
from cs8.sla import BusinessCalendar, SlaMetric, SlaPolicy, SlaResult, SlaState, SlaTarget
from tests.sla.strategies_sla import ALL_METRICS, BASE, MINUTE, last_event_at, tickets, withins
from tests.sla.test_policy_properties import (
    DEFAULT_PAUSE,
    SINGLE,
    minutes_counted,
    oracle_end,
    stop_set,
    truncated,
)

H = timedelta(hours=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
OFFICE = BusinessCalendar(timezone="UTC", hours={d: [("09:00", "17:00")] for d in WEEKDAYS})
FRIDAY = datetime(2026, 3, 6, tzinfo=UTC)
MONDAY = datetime(2026, 3, 9, tzinfo=UTC)


def office_policy(metric: str, within: timedelta, **kw: object) -> SlaPolicy:
    return SlaPolicy(
        name="office",
        calendar=OFFICE,
        targets=[SlaTarget(metric=metric, within=within, **kw)],  # type: ignore[arg-type]
    )


def make(created: datetime, *events: object) -> Ticket:
    return Ticket(id="T1", customer_id="C1", channel="email", created_at=created, events=events)  # type: ignore[arg-type]


def one(policy: SlaPolicy, ticket: Ticket, now: datetime) -> SlaResult:
    (result,) = policy.evaluate(ticket, now=now)
    return result


def test_due_time_skips_the_weekend() -> None:
    result = one(office_policy("first_reply", 4 * H), make(FRIDAY + 16 * H), MONDAY + 9.5 * H)
    assert (result.state, result.elapsed, result.due_at) == (
        SlaState.ACTIVE,
        1.5 * H,
        MONDAY + 12 * H,
    )


def test_deadline_that_uses_the_last_minute_of_friday_is_friday_at_close() -> None:
    result = one(office_policy("first_reply", 4 * H), make(FRIDAY + 13 * H), FRIDAY + 20 * H)
    assert (result.state, result.breached_at, result.remaining) == (
        SlaState.BREACHED,
        FRIDAY + 17 * H,
        timedelta(0),
    )


def test_reply_over_the_weekend_counts_only_business_hours() -> None:
    ticket = make(FRIDAY + 16 * H, Message(at=MONDAY + 11 * H, author=ActorKind.AGENT))
    result = one(office_policy("first_reply", 4 * H), ticket, MONDAY + 12 * H)
    assert (result.state, result.elapsed) == (SlaState.ACHIEVED, 3 * H)


def test_pause_outside_business_hours_is_not_subtracted_twice() -> None:
    # Pending from Friday 16:00 to Monday 10:00: only the business hours of that pause (Friday
    # 16-17 and Monday 9-10) are left out, the weekend is not taken out a second time.
    ticket = make(
        FRIDAY + 15 * H,
        StatusChange(at=FRIDAY + 16 * H, status="pending"),
        StatusChange(at=MONDAY + 10 * H, status="open"),
        StatusChange(at=MONDAY + 11 * H, status="solved"),
    )
    assert one(office_policy("resolution", 8 * H), ticket, MONDAY + 12 * H).elapsed == 2 * H


def test_next_warning_is_counted_in_business_time() -> None:
    policy = office_policy("resolution", 8 * H, warnings=(0.75,))
    result = one(policy, make(FRIDAY + 12 * H), FRIDAY + 16 * H)
    assert (result.warnings_passed, result.next_warning_at) == (0, MONDAY + 10 * H)


def test_calendar_hours_target_ignores_the_calendar() -> None:
    policy = office_policy("first_reply", 4 * H, business_hours=False)
    result = one(policy, make(FRIDAY + 16 * H), FRIDAY + 22 * H)
    assert (result.state, result.business_hours, result.breached_at) == (
        SlaState.BREACHED,
        False,
        FRIDAY + 20 * H,
    )


def test_always_open_calendar_counts_real_time_across_a_dst_change() -> None:
    # New York springs forward on 2026-03-08 at 02:00: 00:00 to 05:00 local is 4 real hours.
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    policy = SlaPolicy(
        name="24/7",
        calendar=BusinessCalendar.always_open("America/New_York"),
        targets=[SlaTarget(metric="first_reply", within=10 * H)],
    )
    ticket = make(datetime(2026, 3, 8, 0, tzinfo=ny))
    assert one(policy, ticket, datetime(2026, 3, 8, 5, tzinfo=ny)).elapsed == 4 * H


def test_policy_with_a_calendar_is_hashable() -> None:
    policy = office_policy("first_reply", H)
    assert hash(policy) == hash(office_policy("first_reply", H))


# ---------------------------------------------------------------- laws

NEW_YORK = BusinessCalendar(
    timezone="America/New_York",
    hours={
        **{d: [("08:00", "12:00"), ("13:00", "17:30")] for d in WEEKDAYS},
        "sat": [("22:00", "02:00")],
    },
    holidays=[date(2026, 3, 4)],
)


@functools.cache
def new_york_open(t: datetime) -> bool:
    """``NEW_YORK.is_open``, memoized: the brute force asks about the same minutes again and again."""
    return NEW_YORK.is_open(t)


def business_policy(calendar: BusinessCalendar, within: timedelta) -> SlaPolicy:
    return SlaPolicy(
        name="p",
        calendar=calendar,
        targets=[SlaTarget(metric=m, within=within) for m in ALL_METRICS],
    )


nows = st.integers(0, 720)


@given(tickets(max_gap_minutes=120), nows, withins)
def test_business_elapsed_matches_brute_force_across_dst(
    ticket: Ticket, extra: int, within: timedelta
) -> None:
    # The tickets span 2026-03-02 to about 03-10; New York changes to DST on 03-08.
    now = last_event_at(ticket) + extra * MINUTE
    seen = truncated(ticket, now)
    results = {r.metric: r for r in business_policy(NEW_YORK, within).evaluate(ticket, now=now)}
    for metric in SINGLE:
        end = oracle_end(seen, metric)
        stop = stop_set(metric, DEFAULT_PAUSE[metric])
        expected = minutes_counted(seen, seen.created_at, end or now, stop, new_york_open)
        assert results[metric].elapsed == expected


def shifted(t: datetime, cut: datetime, days: int) -> datetime:
    return t if t < cut else t + timedelta(days=days)


@given(
    tickets(max_gap_minutes=240),
    nows,
    withins,
    st.integers(0, 8),
    st.integers(1, 3),
    st.lists(st.integers(0, 12), max_size=3),
)
def test_moving_events_by_whole_closed_days_keeps_elapsed(
    ticket: Ticket, extra: int, within: timedelta, cut_day: int, days: int, holiday_days: list[int]
) -> None:
    # Every day is open 09-17; the events from midnight of ``cut`` on move ``days`` later, and the
    # days they leave behind become holidays: every clock must count the same business time.
    everyday = {d: [("09:00", "17:00")] for d in (*WEEKDAYS, "sat", "sun")}
    cut = BASE + timedelta(days=cut_day)
    holidays = [(BASE + timedelta(days=k)).date() for k in holiday_days]
    before = BusinessCalendar(timezone="UTC", hours=everyday, holidays=holidays)
    after = BusinessCalendar(
        timezone="UTC",
        hours=everyday,
        holidays=[
            shifted(datetime(h.year, h.month, h.day, tzinfo=UTC), cut, days).date()
            for h in holidays
        ]
        + [(cut + timedelta(days=k)).date() for k in range(days)],
    )
    moved = attrs.evolve(
        ticket,
        created_at=shifted(ticket.created_at, cut, days),
        events=[attrs.evolve(e, at=shifted(e.at, cut, days)) for e in ticket.events],
    )
    now = last_event_at(ticket) + extra * MINUTE
    original = business_policy(before, within).evaluate(ticket, now=now)
    moved_results = business_policy(after, within).evaluate(moved, now=shifted(now, cut, days))

    def summary(results: tuple[SlaResult, ...], move: bool) -> list[tuple[object, ...]]:
        f = (lambda t: shifted(t, cut, days) if t is not None else None) if move else (lambda t: t)
        return [
            (
                r.metric,
                r.state,
                r.elapsed,
                f(r.due_at),
                f(r.breached_at),
                [(c.elapsed, c.state) for c in r.cycles],
            )
            for r in results
        ]

    assert summary(moved_results, False) == summary(original, True)


@given(tickets(max_gap_minutes=120), nows, withins)
def test_business_completed_metric_evaluates_the_same_at_completion(
    ticket: Ticket, extra: int, within: timedelta
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    policy = business_policy(NEW_YORK, within)
    for result in policy.evaluate(ticket, now=now):
        if result.completed_at is None or result.metric.is_cyclic:
            continue
        (then,) = [
            r for r in policy.evaluate(ticket, now=result.completed_at) if r.metric is result.metric
        ]
        assert (then.state, then.elapsed, then.breached_at, then.completed_at) == (
            result.state,
            result.elapsed,
            result.breached_at,
            result.completed_at,
        )


def test_metric_set_is_complete() -> None:
    assert {m.value for m in SlaMetric} >= {
        "first_reply",
        "next_reply",
        "periodic_update",
        "resolution",
        "requester_wait",
        "agent_work",
    }


def thresholds_policy(calendar: BusinessCalendar, within: timedelta) -> SlaPolicy:
    return SlaPolicy(
        name="p",
        calendar=calendar,
        targets=[
            SlaTarget(
                metric=m,
                within=within,
                warnings=(0.25, 0.5),
                escalations=[("lead", 0.75), ("director", 2.0)],
            )
            for m in ALL_METRICS
        ],
    )


@given(tickets(max_gap_minutes=120), nows, withins)
def test_thresholds_are_passed_when_the_clock_reaches_them(
    ticket: Ticket, extra: int, within: timedelta
) -> None:
    # The clock shows exactly the threshold's business time at the instant the result says it
    # was passed (no priority filters here, so the target never changes). Total resolution also
    # counts the solved time before a reopen, so a threshold passed in it shows at the reopen,
    # with more time on the clock.
    now = last_event_at(ticket) + extra * MINUTE
    policy = thresholds_policy(NEW_YORK, within)
    amounts = {"lead": 0.75 * within, "director": 2 * within}
    for r in policy.evaluate(ticket, now=now):
        if r.metric.is_cyclic:
            continue
        checks = []
        if r.breached_at is not None:
            checks.append((r.breached_at, within))
        if r.warned_at is not None:
            checks.append((r.warned_at, (0.25, 0.5)[r.warnings_passed - 1] * within))
        if r.escalated_at is not None and r.escalation is not None:
            checks.append((r.escalated_at, amounts[r.escalation]))
        for instant, amount in checks:
            (then,) = [x for x in policy.evaluate(ticket, now=instant) if x.metric is r.metric]
            if r.metric is SlaMetric.TOTAL_RESOLUTION:
                assert then.elapsed >= amount
            else:
                assert then.elapsed == amount


@given(tickets(max_gap_minutes=120), nows, withins)
def test_next_thresholds_are_reached_on_time_if_nothing_happens(
    ticket: Ticket, extra: int, within: timedelta
) -> None:
    now = last_event_at(ticket) + extra * MINUTE
    policy = thresholds_policy(NEW_YORK, within)
    amounts = {"lead": 0.75 * within, "director": 2 * within}
    for r in policy.evaluate(ticket, now=now):
        if r.state is not SlaState.ACTIVE:
            continue
        checks = []
        if r.next_warning_at is not None:
            checks.append((r.next_warning_at, (0.25, 0.5)[r.warnings_passed] * within))
        if r.next_escalation_at is not None and r.next_escalation is not None:
            checks.append((r.next_escalation_at, amounts[r.next_escalation]))
        for instant, amount in checks:
            (then,) = [x for x in policy.evaluate(ticket, now=instant) if x.metric is r.metric]
            assert then.elapsed == amount
