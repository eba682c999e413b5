"""Tests of cs8.staffing.required_agents with ASA, abandonment and blocking targets and at scale."""

from __future__ import annotations

import math
import time
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError, StaffingError
from cs8.staffing import erlang_a, erlang_b, required_agents
from cs8.staffing._erlang import _erlang_b
from tests.staffing.test_erlang import (
    _erlang_a_brute_force,
    _erlang_b_factorials,
    _erlang_c_factorials,
)

HALF_HOUR = timedelta(minutes=30)
AHT = timedelta(seconds=180)


def _calls(traffic: float) -> float:
    return traffic * 1800 / 180


# ------------------------------------------------------------------------------ published examples


def test_pyworkforce_readme_erlang_c_example() -> None:
    # pyworkforce 0.5.1 README, "Queuing" example (https://github.com/rodrigo-arenas/pyworkforce):
    # ErlangC(transactions=100, asa=20/60, aht=3, interval=30, shrinkage=0.3)
    # .required_positions(service_level=0.8, max_occupancy=0.85) ->
    # raw_positions 14, positions 20, service_level 0.8883500191794669,
    # occupancy 0.7142857142857143, waiting_probability 0.1741319335950498.
    s = required_agents(
        calls=100,
        period=HALF_HOUR,
        aht=AHT,
        target_answer_time=timedelta(seconds=20),
        service_level=0.8,
        max_occupancy=0.85,
        shrinkage=0.3,
    )
    assert (s.agents, s.scheduled) == (14, 20)
    assert (s.service_level, s.occupancy, s.wait_probability) == pytest.approx(
        (0.8883500191794669, 0.7142857142857143, 0.1741319335950498), rel=1e-12
    )


def test_max_blocking_matches_the_erlang_com_trunk_example() -> None:
    # Erlang.com calculator manual, "How many lines do I need?": 8.108 Erlangs at 1 % blocking need
    # 15 lines (https://erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm).
    s = required_agents(calls=8.108, period=AHT, aht=AHT, max_blocking=0.01)
    assert (s.model, s.agents) == ("erlang_b", 15)


# ------------------------------------------------------------------------------ against oracles


@given(st.fractions(Fraction(1, 10), Fraction(30), max_denominator=10), st.integers(1, 120))
def test_asa_target_gives_the_fewest_agents_by_the_factorial_formula(
    traffic: Fraction, asa_s: int
) -> None:
    s = required_agents(
        calls=_calls(float(traffic)), period=HALF_HOUR, aht=AHT, asa_target=timedelta(seconds=asa_s)
    )

    def asa(n: int) -> float:
        return float(_erlang_c_factorials(traffic, n)) * 180 / float(n - traffic)

    expected = next(n for n in range(math.floor(traffic) + 1, 200) if asa(n) <= asa_s)
    assert expected == s.agents


@given(st.fractions(Fraction(1, 10), Fraction(40), max_denominator=10), st.floats(0.001, 0.5))
def test_max_blocking_gives_the_fewest_lines_by_the_factorial_formula(
    traffic: Fraction, cap: float
) -> None:
    s = required_agents(calls=_calls(float(traffic)), period=HALF_HOUR, aht=AHT, max_blocking=cap)
    expected = next(n for n in range(1, 200) if float(_erlang_b_factorials(traffic, n)) <= cap)
    assert expected == s.agents


@pytest.mark.parametrize(
    ("lam", "theta", "cap"),
    [(3.0, 0.5, 0.05), (5.0, 1.0, 0.02), (8.0, 0.3, 0.1), (12.0, 2.0, 0.01), (20.0, 1.0, 0.05)],
)
def test_max_abandonment_gives_the_fewest_agents_of_the_birth_death_chain(
    lam: float, theta: float, cap: float
) -> None:
    s = required_agents(
        calls=lam,
        period=timedelta(seconds=100),
        aht=timedelta(seconds=100),
        patience=timedelta(seconds=100 / theta),
        max_abandonment=cap,
    )
    expected = next(
        n for n in range(1, 100) if _erlang_a_brute_force(lam, n, theta, 0.0)["abandon"] <= cap
    )
    assert (s.model, s.agents) == ("erlang_a", expected)


@given(st.floats(0.5, 40.0), st.floats(0.1, 3.0), st.integers(5, 120))
def test_asa_target_under_erlang_a_is_the_fewest(traffic: float, theta: float, asa_s: int) -> None:
    patience = timedelta(seconds=180 / theta)
    s = required_agents(
        calls=_calls(traffic),
        period=HALF_HOUR,
        aht=AHT,
        patience=patience,
        asa_target=timedelta(seconds=asa_s),
    )

    def asa(n: int) -> float:
        r = erlang_a(
            calls=_calls(traffic),
            period=HALF_HOUR,
            aht=AHT,
            agents=n,
            patience=patience,
            target_answer_time=timedelta(0),
        )
        return r.asa.total_seconds()

    assert asa(s.agents) <= asa_s + 1e-6
    assert s.agents == 1 or asa(s.agents - 1) > asa_s - 1e-6


@given(st.integers(2_001, 6_000), st.floats(1_000.0, 6_000.0))
def test_erlang_b_integral_form_equals_the_recursion(agents: int, traffic: float) -> None:
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic * b / (n + traffic * b)
    assert _erlang_b(traffic, agents) == pytest.approx(b, rel=1e-9, abs=1e-300)


# ------------------------------------------------------------------------------ bounded time


@pytest.mark.parametrize("traffic", [1e6, 1e9])
def test_erlang_c_at_a_billion_erlangs_answers_in_under_a_second(traffic: float) -> None:
    start = time.perf_counter()
    s = required_agents(
        calls=_calls(traffic), period=HALF_HOUR, aht=AHT, target_answer_time=timedelta(seconds=20)
    )
    blocking = required_agents(calls=_calls(traffic), period=HALF_HOUR, aht=AHT, max_blocking=0.01)
    assert time.perf_counter() - start < 1.0
    assert s.agents > traffic
    assert 0.8 <= s.service_level < 0.9
    assert blocking.blocking_probability <= 0.01 < erlang_b(traffic, blocking.agents - 1)


@pytest.mark.parametrize("traffic", [1e6, 1e9])
def test_erlang_a_at_huge_traffic_raises_a_clear_error_at_once(traffic: float) -> None:
    start = time.perf_counter()
    with pytest.raises(StaffingError, match="omit patience"):
        required_agents(
            calls=_calls(traffic),
            period=HALF_HOUR,
            aht=AHT,
            patience=timedelta(seconds=60),
            max_abandonment=0.05,
        )
    assert time.perf_counter() - start < 1.0


def test_erlang_a_of_a_billion_erlangs_raises_a_clear_error_at_once() -> None:
    start = time.perf_counter()
    traffic = 1e9
    with pytest.raises(StaffingError, match="queue states"):
        erlang_a(
            calls=_calls(traffic),
            period=HALF_HOUR,
            aht=AHT,
            agents=int(traffic),
            patience=timedelta(seconds=60),
            target_answer_time=timedelta(seconds=20),
        )
    assert time.perf_counter() - start < 1.0


# ------------------------------------------------------------------------------ argument checks


def test_no_target_at_all_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="needs a target"):
        required_agents(calls=100, period=HALF_HOUR, aht=AHT)


def test_max_abandonment_needs_a_patience() -> None:
    with pytest.raises(InvalidValueError, match="patience"):
        required_agents(calls=100, period=HALF_HOUR, aht=AHT, max_abandonment=0.05)


def test_max_blocking_cannot_be_combined_with_a_queue_target() -> None:
    with pytest.raises(InvalidValueError, match="target_answer_time"):
        required_agents(
            calls=100,
            period=HALF_HOUR,
            aht=AHT,
            max_blocking=0.01,
            target_answer_time=timedelta(seconds=20),
        )


def test_occupancy_cap_alone_is_a_target() -> None:
    s = required_agents(calls=100, period=HALF_HOUR, aht=AHT, max_occupancy=0.8)
    assert (s.agents, s.target_answer_time) == (13, None)  # ceil(10 / 0.8) = 13 > 10 Erlangs


def test_an_asa_target_met_exactly_is_met() -> None:
    # Erlang C with 1 Erlang and 2 agents: C = 1/3, ASA = C * AHT / (n - A) = 60 s exactly for a
    # 180 s AHT; floating point may compute 60.00000000000001 (hypothesis found it), still met.
    s = required_agents(
        calls=_calls(1.0), period=HALF_HOUR, aht=AHT, asa_target=timedelta(seconds=60)
    )
    assert s.agents == 2
