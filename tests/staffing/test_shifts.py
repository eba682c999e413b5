"""Tests of cs8.staffing.plan_shifts: published example, brute-force optimum, greedy bound."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError
from cs8.staffing import ShiftTemplate, plan_shifts

HOUR = timedelta(hours=1)

# pyworkforce 0.5.1 README, "Scheduling" example (https://github.com/rodrigo-arenas/pyworkforce):
# two days of 24 hourly requirements, four shift coverage patterns, max_period_concurrency=27,
# max_shift_concurrency=25; MinRequiredResources finds cost 113 with Morning 15, Afternoon 13,
# Night 19, Mixed 3 on day 0 and 20, 20, 23, 0 on day 1.
PYWORKFORCE_REQUIRED = [
    [9, 11, 17, 9, 7, 12, 5, 11, 8, 9, 18, 17, 8, 12, 16, 8, 7, 12, 11, 10, 13, 19, 16, 7],
    [13, 13, 12, 15, 18, 20, 13, 16, 17, 8, 13, 11, 6, 19, 11, 20, 19, 17, 10, 13, 14, 23, 16, 8],
]
PYWORKFORCE_SHIFTS = {
    "Morning": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    "Afternoon": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
    "Night": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
    "Mixed": [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
}


def _pyworkforce_templates() -> list[ShiftTemplate]:
    return [
        ShiftTemplate(name=name, pattern=mask, cost=1.0, max_count=25)
        for name, mask in PYWORKFORCE_SHIFTS.items()
    ]


def test_pyworkforce_min_required_resources_example_costs_113() -> None:
    pytest.importorskip("scipy")
    plan = plan_shifts(
        PYWORKFORCE_REQUIRED,
        shifts=_pyworkforce_templates(),
        interval=HOUR,
        max_per_interval=27,
        method="milp",
    )
    assert (plan.cost, plan.optimal, plan.gap) == (113.0, True, 0.0)
    assert plan.under == ((0,) * 24, (0,) * 24)


def test_greedy_covers_the_pyworkforce_example_and_reports_its_gap() -> None:
    plan = plan_shifts(
        PYWORKFORCE_REQUIRED,
        shifts=_pyworkforce_templates(),
        interval=HOUR,
        max_per_interval=27,
        method="greedy",
    )
    assert plan.under == ((0,) * 24, (0,) * 24)
    assert plan.cost >= 113.0
    assert plan.lower_bound <= 113.0
    assert plan.gap == pytest.approx((plan.cost - plan.lower_bound) / plan.lower_bound)


def _brute_force(required: list[int], masks: list[list[int]], costs: list[float]) -> float:
    top = max(required)
    best = float("inf")
    for counts in itertools.product(range(top + 1), repeat=len(masks)):
        cover = [
            sum(k * m[s] for k, m in zip(counts, masks, strict=True)) for s in range(len(required))
        ]
        if all(c >= r for c, r in zip(cover, required, strict=True)):
            best = min(best, sum(k * c for k, c in zip(counts, costs, strict=True)))
    return best


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=6, max_size=6),
    st.lists(st.lists(st.integers(0, 1), min_size=6, max_size=6), min_size=2, max_size=3),
    st.lists(st.integers(1, 5), min_size=3, max_size=3),
)
def test_milp_equals_brute_force_and_greedy_is_bounded(
    required: list[int], masks: list[list[int]], costs: list[int]
) -> None:
    pytest.importorskip("scipy")
    masks = [m for m in masks if any(m)] or [[1] * 6]
    masks.append([1] * 6)  # something always covers every slot
    prices = [float(c) for c in costs[: len(masks) - 1]] + [7.0]
    templates = [
        ShiftTemplate(name=f"s{i}", pattern=m, cost=c)
        for i, (m, c) in enumerate(zip(masks, prices, strict=True))
    ]
    exact = plan_shifts([required], shifts=templates, interval=timedelta(hours=4), method="milp")
    greedy = plan_shifts([required], shifts=templates, interval=timedelta(hours=4), method="greedy")
    optimum = _brute_force(required, masks, prices)
    assert exact.cost == optimum
    assert greedy.lower_bound <= optimum <= greedy.cost


def test_breaks_and_midnight_crossing_shifts_cover_the_right_slots() -> None:
    night = ShiftTemplate(
        name="night",
        start=time(22),
        length=timedelta(hours=8),
        breaks=[(timedelta(hours=3), timedelta(hours=1))],
    )
    assert night.worked_slots(HOUR) == [22, 23, 24, 26, 27, 28, 29]
    plan = plan_shifts([[0] * 24, [0] * 24], shifts=[night], interval=HOUR, method="greedy")
    assert plan.cost == 0.0


def test_min_count_and_weekdays_are_respected() -> None:
    t = ShiftTemplate(
        name="weekday", start=time(8), length=timedelta(hours=8), days=["mon"], min_count=2
    )
    plan = plan_shifts(
        [[0] * 24, [1] * 24], shifts=[t], interval=HOUR, start=date(2026, 3, 2), method="greedy"
    )
    assert [(a.day, a.count) for a in plan.assignments] == [(date(2026, 3, 2), 2)]
    assert sum(plan.under[1]) == 24  # Tuesday cannot be covered by a Monday-only shift


def test_template_needs_start_and_length_or_a_pattern() -> None:
    with pytest.raises(InvalidValueError, match="start and length"):
        ShiftTemplate(name="x", start=time(8))


def _day_night_requirement(days: int) -> list[list[int]]:
    import math

    rows = []
    for d in range(days):
        weekend = 0.7 if d % 7 >= 5 else 1.0
        rows.append(
            [
                math.ceil(weekend * (3 + 40 * math.exp(-(((s / 2 - 13.0) / 4.5) ** 2))))
                for s in range(48)
            ]
        )
    return rows


def test_greedy_is_within_five_percent_of_the_optimum_on_a_24_hour_instance() -> None:
    pytest.importorskip("scipy")
    templates = [
        ShiftTemplate(
            name=f"{h:02d}:00",
            start=time(h),
            length=timedelta(hours=8, minutes=30),
            breaks=[(timedelta(hours=4), timedelta(minutes=30))],
        )
        for h in range(24)
    ]
    need = _day_night_requirement(3)
    half = timedelta(minutes=30)
    exact = plan_shifts(need, shifts=templates, interval=half, method="milp")
    greedy = plan_shifts(need, shifts=templates, interval=half, method="greedy")
    print(f"\n24-hour instance, 3 days: optimum {exact.cost}, greedy {greedy.cost}")
    assert exact.optimal
    assert greedy.under == exact.under == tuple((0,) * 48 for _ in range(3))
    assert exact.cost <= greedy.cost <= 1.05 * exact.cost
