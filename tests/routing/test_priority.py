"""Priority: the impact x urgency matrix, adjustments, ageing and the total queue order."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Customer, Priority
from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from cs8.routing import (
    Ageing,
    PriorityAdjustments,
    PriorityMatrix,
    least_slack,
    order_queue,
    queue_key,
)
from tests.routing._engine import MIN, T0, ticket

H = timedelta(hours=1)

# ITIL Service Operation (OGC/TSO 2011), 4.2.5.4 "Incident prioritization": the simple priority
# coding system, impact x urgency -> 1 critical, 2 high, 3 medium, 4 low, 5 planning. cs8 maps 1 to
# URGENT, 2 to HIGH, 3 to NORMAL, and 4 and 5 to LOW.
ITIL_TABLE = [
    ("high", "high", Priority.URGENT),  # 1 critical
    ("high", "medium", Priority.HIGH),  # 2 high
    ("high", "low", Priority.NORMAL),  # 3 medium
    ("medium", "high", Priority.HIGH),  # 2 high
    ("medium", "medium", Priority.NORMAL),  # 3 medium
    ("medium", "low", Priority.LOW),  # 4 low
    ("low", "high", Priority.NORMAL),  # 3 medium
    ("low", "medium", Priority.LOW),  # 4 low
    ("low", "low", Priority.LOW),  # 5 planning
]


@pytest.mark.parametrize(("impact", "urgency", "expected"), ITIL_TABLE)
def test_default_matrix_is_the_itil_table(impact: str, urgency: str, expected: Priority) -> None:
    assert expected == PriorityMatrix().priority(impact, urgency)


def test_matrix_accepts_any_complete_table() -> None:
    table = {
        ("sev1", "now"): "urgent",
        ("sev1", "later"): "high",
        ("sev2", "now"): "normal",
        ("sev2", "later"): "low",
    }
    matrix = PriorityMatrix(table=table)
    assert (matrix.priority("SEV1", "later"), matrix.impacts) == (Priority.HIGH, ("sev1", "sev2"))


def test_matrix_with_a_hole_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="missing"):
        PriorityMatrix(table={("a", "x"): "low", ("b", "y"): "low"})


def test_matrix_with_a_non_priority_value_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="must be a Priority"):
        PriorityMatrix(table={("a", "x"): "extreme"})


def test_matrix_unknown_level_names_the_levels() -> None:
    with pytest.raises(InvalidValueError, match="impacts are"):
        PriorityMatrix().priority("huge", "high")


def test_matrix_for_ticket_without_impact_keeps_ticket_priority() -> None:
    assert PriorityMatrix().for_ticket(ticket(priority="high")) == Priority.HIGH


def test_matrix_is_hashable_and_equal_by_value() -> None:
    assert hash(PriorityMatrix()) == hash(PriorityMatrix(table=None))


# ---------------------------------------------------------------- adjustments


def test_vip_customer_raises_one_rank() -> None:
    out = PriorityAdjustments().apply(
        Priority.NORMAL, ticket=ticket(), customer=Customer(id="C1", segment="vip")
    )
    assert out == (Priority.HIGH, ("vip customer +1",))


def test_complaint_tag_raises_priority() -> None:
    out = PriorityAdjustments().apply(Priority.LOW, ticket=ticket(tags={"Complaint"}))
    assert out[0] == Priority.NORMAL


def test_negative_sentiment_from_ticket_attribute_raises_priority() -> None:
    out = PriorityAdjustments().apply(Priority.LOW, ticket=ticket(attributes={"sentiment": -0.5}))
    assert out[0] == Priority.NORMAL


def test_mild_sentiment_does_not_raise_priority() -> None:
    assert PriorityAdjustments().apply(Priority.LOW, ticket=ticket(), sentiment=0.1) == (
        Priority.LOW,
        (),
    )


def test_sla_steps_take_the_largest_matching_step_not_the_sum() -> None:
    adj = PriorityAdjustments(sla_steps=[(H, 1), (timedelta(0), 2)])
    assert adj.apply(Priority.LOW, ticket=ticket(), time_left=-MIN)[0] == Priority.HIGH


def test_sla_step_does_not_fire_with_plenty_of_time_left() -> None:
    assert (
        PriorityAdjustments().apply(Priority.LOW, ticket=ticket(), time_left=5 * H)[0]
        == Priority.LOW
    )


def test_adjustments_stop_at_cap() -> None:
    adj = PriorityAdjustments(cap="high")
    out = adj.apply(
        Priority.NORMAL, ticket=ticket(category="refund"), customer=Customer(id="C", segment="vip")
    )
    assert out[0] == Priority.HIGH


def test_adjustments_never_lower_a_priority_above_cap() -> None:
    adj = PriorityAdjustments(cap="high")
    out = adj.apply(Priority.URGENT, ticket=ticket(category="refund"))
    assert out[0] == Priority.URGENT


def test_adjustment_step_out_of_range_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="vip"):
        PriorityAdjustments(vip=5)


# ---------------------------------------------------------------- ageing


def test_ageing_raises_one_rank_per_period() -> None:
    ageing = Ageing(every=2 * H)
    t = ticket(priority="low")
    got = [ageing.priority(t, T0 + h * H).value for h in (0, 1, 2, 4, 6, 50)]
    assert got == ["low", "low", "normal", "high", "urgent", "urgent"]


def test_ageing_never_exceeds_cap() -> None:
    assert (
        Ageing(every=H, cap="high").priority(ticket(priority="low"), T0 + 10 * H) == Priority.HIGH
    )


class _OfficeHours:
    """Counts 09:00-17:00 UTC on every day as business time (minute by minute)."""

    def business_duration(self, start: datetime, end: datetime) -> timedelta:
        minutes = 0
        t = start
        while t < end:
            if 9 <= t.hour < 17:
                minutes += 1
            t += MIN
        return minutes * MIN


def test_ageing_counts_business_hours_with_a_calendar() -> None:
    ageing = Ageing(every=4 * H, calendar=_OfficeHours())
    t = ticket(priority="low", created=T0.replace(hour=15))  # 2 business hours before 17:00
    # Overnight does not count: at 10:00 the next day only 3 business hours have passed.
    assert (
        ageing.priority(t, T0.replace(hour=10) + 24 * H),
        ageing.priority(t, T0.replace(hour=11) + 24 * H),
    ) == (Priority.LOW, Priority.NORMAL)


def test_ageing_rejects_a_calendar_without_business_duration() -> None:
    with pytest.raises(InvalidValueError, match="business_duration"):
        Ageing(every=H, calendar=object())  # type: ignore[arg-type]


def test_ageing_rejects_zero_period() -> None:
    with pytest.raises(InvalidValueError, match="every"):
        Ageing(every=timedelta(0))


# ---------------------------------------------------------------- slack and queue order


@attrs.frozen
class _Clock:
    state: str
    remaining: timedelta


def test_least_slack_ignores_achieved_and_paused_clocks() -> None:
    clocks = [_Clock("achieved", -5 * H), _Clock("paused", -H), _Clock("active", 2 * H)]
    assert least_slack(clocks) == 2 * H


def test_least_slack_of_no_running_clock_is_none() -> None:
    assert least_slack([_Clock("achieved", H)]) is None


def test_queue_key_orders_priority_then_due_then_age_then_id() -> None:
    due = T0 + H
    tickets = {
        "urgent-late": (ticket("u", priority="urgent", created=T0 + 9 * H), None),
        "high-due-soon": (ticket("h1", priority="high", created=T0 + 5 * H), due),
        "high-no-sla-old": (ticket("h2", priority="high", created=T0), None),
        "high-no-sla-new-a": (ticket("h3a", priority="high", created=T0 + H), None),
        "high-no-sla-new-b": (ticket("h3b", priority="high", created=T0 + H), None),
    }
    order = sorted(tickets, key=lambda k: queue_key(tickets[k][0], due_at=tickets[k][1]))
    assert list(tickets) == order


ticket_specs = st.lists(
    st.tuples(
        st.sampled_from(["low", "normal", "high", "urgent"]),
        st.integers(0, 5),
        st.none() | st.integers(0, 5),
    ),
    max_size=25,
)


@given(ticket_specs, st.randoms(use_true_random=False))
def test_order_queue_does_not_depend_on_input_order(specs: list, rnd: random.Random) -> None:
    tickets = [ticket(f"T{i}", priority=p, created=T0 + c * H) for i, (p, c, _) in enumerate(specs)]
    due = {f"T{i}": (None if d is None else T0 + d * H) for i, (_, _, d) in enumerate(specs)}
    shuffled = tickets[:]
    rnd.shuffle(shuffled)
    now = T0 + 10 * H
    assert order_queue(tickets, now=now, due=due) == order_queue(shuffled, now=now, due=due)


@given(ticket_specs)
def test_order_queue_matches_pairwise_brute_force(specs: list) -> None:
    tickets = [ticket(f"T{i}", priority=p, created=T0 + c * H) for i, (p, c, _) in enumerate(specs)]
    due = {f"T{i}": (None if d is None else T0 + d * H) for i, (_, _, d) in enumerate(specs)}
    ordered = order_queue(tickets, now=T0 + 10 * H, due=due)

    def before(a, b) -> bool:  # type: ignore[no-untyped-def]
        if a.priority != b.priority:
            return a.priority > b.priority
        da, db = due[a.id], due[b.id]
        if da != db:
            return db is None or (da is not None and da < db)
        if a.created_at != b.created_at:
            return a.created_at < b.created_at
        return a.id < b.id

    assert all(before(x, y) for x, y in itertools.pairwise(ordered))


def test_order_queue_applies_ageing_before_ordering() -> None:
    old = ticket("old", priority="low", created=T0)
    new = ticket("new", priority="normal", created=T0 + 5 * H)
    ordered = order_queue([new, old], now=T0 + 6 * H, ageing=Ageing(every=3 * H))
    assert [t.id for t in ordered] == ["old", "new"]


def test_order_queue_rejects_naive_now() -> None:
    with pytest.raises(NaiveDatetimeError):
        order_queue([], now=datetime(2026, 1, 1))


def _business_calendar():  # type: ignore[no-untyped-def]
    """cs8.sla.BusinessCalendar, weekdays 09:00-17:00 UTC (skips where cs8.sla has none yet)."""
    sla = pytest.importorskip("cs8.sla")
    if not hasattr(sla, "BusinessCalendar"):
        pytest.skip("cs8.sla.BusinessCalendar is not available")
    days = ("mon", "tue", "wed", "thu", "fri")
    return sla.BusinessCalendar(timezone="UTC", hours={d: [("09:00", "17:00")] for d in days})


def test_ageing_with_the_sla_business_calendar_skips_the_weekend() -> None:
    cal = _business_calendar()
    friday_4pm = T0.replace(day=6, hour=16)  # 2026-03-06 is a Friday
    t = ticket(priority="low", created=friday_4pm)
    ageing = Ageing(every=2 * H, calendar=cal)
    # One business hour on Friday, none over the weekend, one on Monday by 10:00.
    monday = T0.replace(day=9)
    assert (
        ageing.priority(t, monday.replace(hour=9, minute=30)),
        ageing.priority(t, monday.replace(hour=10)),
    ) == (Priority.LOW, Priority.NORMAL)
