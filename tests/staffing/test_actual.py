"""Tests of cs8.staffing.plan_vs_actual."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError
from cs8.staffing import ArrivalForecast, Arrivals, plan_vs_actual, staffing_plan
from tests.staffing.test_erlang import _erlang_c_factorials

HOUR = timedelta(hours=1)


def _forecast(calls: list[int]) -> ArrivalForecast:
    padded = [float(c) for c in calls] + [0.0] * (24 - len(calls))
    return ArrivalForecast(
        interval=HOUR,
        timezone="UTC",
        days=(date(2026, 3, 2),),
        expected=padded,
        low=[0.8 * c for c in padded],
        high=[1.2 * c for c in padded],
    )


def _actual(calls: list[int]) -> Arrivals:
    padded = [float(c) for c in calls] + [0.0] * (24 - len(calls))
    return Arrivals(interval=HOUR, timezone="UTC", days=(date(2026, 3, 2),), counts=(padded,))


@given(
    st.lists(st.integers(1, 60), min_size=3, max_size=3),
    st.lists(st.integers(0, 90), min_size=3, max_size=3),
)
def test_service_level_achieved_is_erlang_c_of_the_actual_load_on_the_planned_agents(
    planned: list[int], came: list[int]
) -> None:
    plan = staffing_plan(
        _forecast(planned), aht=timedelta(minutes=5), target_answer_time=timedelta(seconds=30)
    )
    review = plan_vs_actual(plan, _actual(came))
    for i, c in enumerate(came):
        n = plan.agents[i]
        traffic = Fraction(c * 5, 60)
        if c == 0:
            expected = 1.0
        elif n <= traffic:
            expected = 0.0
        else:
            wait = float(_erlang_c_factorials(traffic, n))
            expected = 1 - wait * math.exp(-float(n - traffic) * 30 / 300)
        assert review.service_level[i] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    weights = sum(came)
    overall = (
        sum(c * sl for c, sl in zip(came, review.service_level[:3], strict=True)) / weights
        if weights
        else 1.0
    )
    assert review.service_level_achieved == pytest.approx(overall)


def test_under_and_over_staffing_compare_with_the_agents_the_actual_load_needed() -> None:
    plan = staffing_plan(
        _forecast([100, 100]), aht=timedelta(minutes=5), target_answer_time=timedelta(seconds=30)
    )
    needed = staffing_plan(
        _forecast([150, 50]), aht=timedelta(minutes=5), target_answer_time=timedelta(seconds=30)
    )
    review = plan_vs_actual(plan, _actual([150, 50]), forecast=_forecast([100, 100]))
    assert review.under[:2] == (needed.agents[0] - plan.agents[0], 0)
    assert review.over[:2] == (0, plan.agents[1] - needed.agents[1])
    assert review.accuracy is not None
    assert review.accuracy.mae_by_day[date(2026, 3, 2)] == 50.0


def test_actual_on_other_days_is_rejected() -> None:
    plan = staffing_plan(
        _forecast([10]), aht=timedelta(minutes=5), target_answer_time=timedelta(seconds=30)
    )
    other = Arrivals(interval=HOUR, timezone="UTC", days=(date(2026, 3, 3),), counts=([0.0] * 24,))
    with pytest.raises(InvalidValueError, match="no day"):
        plan_vs_actual(plan, other)


def test_a_rota_puts_its_coverage_after_shrinkage_on_the_queue() -> None:
    from datetime import time

    from cs8.staffing import ShiftTemplate, plan_shifts

    plan = staffing_plan(
        _forecast([0] * 8 + [30] * 8),
        aht=timedelta(minutes=5),
        target_answer_time=timedelta(seconds=30),
        shrinkage=0.5,
    )
    rota = plan_shifts(
        plan, shifts=[ShiftTemplate(name="day", start=time(8), length=timedelta(hours=8))]
    )
    review = plan_vs_actual(plan, _actual([0] * 8 + [30] * 8), rota=rota)
    assert review.planned_agents[8:16] == tuple(c // 2 for c in rota.coverage[0][8:16])
    assert review.planned_agents[8] == plan.agents[8]
