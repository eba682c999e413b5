"""Tests of cs8.staffing.staffing_plan and overhang against independent Erlang computations."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError
from cs8.staffing import ArrivalForecast, overhang, staffing_plan
from tests.staffing.test_erlang import _erlang_a_brute_force, _erlang_c_factorials

HALF_HOUR = timedelta(minutes=30)


def _forecast(calls: list[float]) -> ArrivalForecast:
    slots = 48
    padded = calls + [0.0] * (slots - len(calls))
    return ArrivalForecast(
        interval=HALF_HOUR,
        timezone="Asia/Ho_Chi_Minh",
        days=(date(2026, 3, 2),),
        expected=padded,
        low=[0.0] * slots,
        high=[2 * c for c in padded],
    )


def _fewest_erlang_c(traffic: Fraction, target_over_aht: Fraction, goal: float) -> int:
    """The fewest agents by the factorial Erlang C formula, searched one by one."""
    n = math.floor(traffic) + 1
    while True:
        c = float(_erlang_c_factorials(traffic, n))
        if 1 - c * math.exp(-float((n - traffic) * target_over_aht)) >= goal:
            return n
        n += 1


@given(st.lists(st.integers(0, 150), min_size=1, max_size=12), st.integers(60, 400))
def test_agents_per_interval_equal_the_factorial_erlang_c(calls: list[int], aht_s: int) -> None:
    plan = staffing_plan(
        _forecast([float(c) for c in calls]),
        aht=timedelta(seconds=aht_s),
        target_answer_time=timedelta(seconds=20),
        service_level=0.8,
    )
    expected = [
        0 if c == 0 else _fewest_erlang_c(Fraction(c * aht_s, 1800), Fraction(20, aht_s), 0.8)
        for c in calls
    ]
    assert expected == list(plan.agents[: len(calls)])


@pytest.mark.parametrize("calls", [[18.0, 30.0, 45.0]])
def test_agents_with_patience_and_abandonment_target_equal_the_birth_death_chain(
    calls: list[float],
) -> None:
    aht, patience = 300.0, 150.0
    plan = staffing_plan(
        _forecast(calls),
        aht=timedelta(seconds=aht),
        patience=timedelta(seconds=patience),
        max_abandonment=0.05,
    )
    for i, c in enumerate(calls):
        lam = c * aht / 1800  # arrivals per handle time
        expected = next(
            n
            for n in range(1, 60)
            if _erlang_a_brute_force(lam, n, aht / patience, 0.0)["abandon"] <= 0.05
        )
        assert (i, expected) == (i, plan.agents[i])
        assert plan.abandonment[i] <= 0.05


def test_chat_concurrency_divides_the_conversation_slots() -> None:
    # 60 chats per half hour of 12 minutes each: 24 Erlangs of conversations.
    one = staffing_plan(
        _forecast([60.0]), aht=timedelta(minutes=12), target_answer_time=timedelta(seconds=60)
    )
    three = staffing_plan(
        _forecast([60.0]),
        aht=timedelta(minutes=12),
        target_answer_time=timedelta(seconds=60),
        concurrency=3,
    )
    assert three.agents[0] == math.ceil(one.agents[0] / 3)


def test_shrinkage_and_the_high_bound_raise_the_schedule() -> None:
    base = staffing_plan(_forecast([100.0]), aht=timedelta(seconds=180), max_occupancy=0.85)
    shrunk = staffing_plan(
        _forecast([100.0]), aht=timedelta(seconds=180), max_occupancy=0.85, shrinkage=0.3
    )
    high = staffing_plan(
        _forecast([100.0]), aht=timedelta(seconds=180), max_occupancy=0.85, use="high"
    )
    assert (base.scheduled[0], shrunk.scheduled[0], high.agents[0]) == (12, 18, 24)  # ceil(12/0.7)


def test_per_slot_aht_of_the_wrong_length_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="aht has 2 values"):
        staffing_plan(_forecast([1.0]), aht=[timedelta(seconds=1)] * 2, max_occupancy=0.8)


def test_heatmap_is_days_by_slots_of_scheduled_agents() -> None:
    plan = staffing_plan(
        _forecast([100.0, 50.0]),
        aht=timedelta(seconds=180),
        target_answer_time=timedelta(seconds=20),
    )
    grid = plan.heatmap()
    assert (len(grid.values), len(grid.values[0]), grid.values[0][:2]) == (
        1,
        48,
        plan.scheduled[:2],
    )


@given(
    st.lists(st.floats(0, 500), min_size=1, max_size=30),
    st.integers(10, 7200),
    st.sampled_from([15, 30, 60]),
)
def test_overhang_moves_work_later_but_never_creates_or_loses_it(
    calls: list[float], aht_s: int, minutes: int
) -> None:
    interval = timedelta(minutes=minutes)
    padded = calls + [0.0] * 2000  # room for the tail to finish
    load = overhang(padded, timedelta(seconds=aht_s), interval)
    work = sum(calls) * aht_s / interval.total_seconds()
    assert sum(load) == pytest.approx(work, rel=1e-9, abs=1e-9)
    # Work of the first slot can only be done in it or later.
    assert load[0] <= calls[0] * aht_s / interval.total_seconds() + 1e-9


def test_overhang_carries_long_calls_into_the_next_slot() -> None:
    # 20-minute calls in 30-minute slots: a burst in one slot keeps agents busy in the next.
    burst = _forecast([60.0, 0.0, 0.0])
    plain = staffing_plan(
        burst, aht=timedelta(minutes=20), target_answer_time=timedelta(seconds=20)
    )
    carried = staffing_plan(
        burst,
        aht=timedelta(minutes=20),
        target_answer_time=timedelta(seconds=20),
        overhang_work=True,
    )
    load = overhang([60.0, 0.0, 0.0] + [0.0] * 45, timedelta(minutes=20), HALF_HOUR)
    assert carried.traffic[:3] == pytest.approx(load[:3])
    assert (plain.agents[1], carried.agents[1] > 0) == (0, True)
    assert carried.agents[0] < plain.agents[0]
