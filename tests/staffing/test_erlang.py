"""Tests of cs8.staffing Erlang B, C and A, and required_agents with a service-level target."""

from __future__ import annotations

import math
import time
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cs8.exceptions import Cs8Error, InvalidValueError, StaffingError
from cs8.staffing._erlang import (
    ErlangA,
    Staffing,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_probability,
)
from cs8.staffing._targets import required_agents

HALF_HOUR = timedelta(minutes=30)
AHT = timedelta(seconds=180)
TWENTY = timedelta(seconds=20)


def _traffic_calls(traffic: float) -> float:
    """Calls per half hour that offer ``traffic`` Erlangs at a 180 s handle time."""
    return traffic * 1800 / 180


# ------------------------------------------------------------------------------ oracles


def _erlang_b_factorials(traffic: Fraction, agents: int) -> Fraction:
    """Erlang B from its defining formula, in exact arithmetic (small cases only)."""
    terms = [traffic**k / math.factorial(k) for k in range(agents + 1)]
    return terms[-1] / sum(terms)


def _erlang_c_factorials(traffic: Fraction, agents: int) -> Fraction:
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    below = sum(traffic**k / math.factorial(k) for k in range(agents))
    return top / (below + top)


def _stationary_brute_force(lam: float, n: int, theta: float, size: int) -> list[float]:
    """Solve pi Q = 0 of the truncated M/M/n+M chain by Gaussian elimination (mu = 1)."""
    death = [0.0] + [min(k, n) + max(0, k - n) * theta for k in range(1, size)]
    birth = [lam] * (size - 1) + [0.0]
    # Build Q^T with the last equation replaced by sum(pi) = 1.
    rows = [[0.0] * size for _ in range(size)]
    for k in range(size):
        out = (birth[k] if k < size - 1 else 0.0) + death[k]
        rows[k][k] -= out
        if k + 1 < size:
            rows[k + 1][k] += birth[k]
        if k > 0:
            rows[k - 1][k] += death[k]
    rhs = [0.0] * size
    rows[-1] = [1.0] * size
    rhs[-1] = 1.0
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rhs[col], rhs[pivot] = rhs[pivot], rhs[col]
        for r in range(size):
            if r != col and rows[r][col] != 0.0:
                f = rows[r][col] / rows[col][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[col], strict=True)]
                rhs[r] -= f * rhs[col]
    return [rhs[k] / rows[k][k] for k in range(size)]


def _hypoexponential_cdf(rates: list[float], t: float) -> float:
    """P(sum of independent Exp(rates) <= t) by uniformization (all terms positive)."""
    top = max(rates)
    stages = len(rates)
    mass = [1.0] + [0.0] * stages  # mass[i]: i stages done
    poisson = math.exp(-top * t)
    total = 0.0
    m = 0
    while True:
        total += poisson * mass[stages]
        if m > top * t + 60 + 10 * math.sqrt(top * t + 1):
            return total
        nxt = [0.0] * (stages + 1)
        for i in range(stages):
            moved = mass[i] * rates[i] / top
            nxt[i] += mass[i] - moved
            nxt[i + 1] += moved
        nxt[stages] += mass[stages]
        mass = nxt
        m += 1
        poisson *= top * t / m


def _erlang_a_brute_force(lam: float, n: int, theta: float, target: float) -> dict[str, float]:
    """Wait, abandon and service level of M/M/n+M from the stationary law and per-state paths."""
    pi = _stationary_brute_force(lam, n, theta, n + 80)
    wait = sum(pi[n:])
    abandon = 0.0
    in_time = sum(pi[:n])
    for j, p in enumerate(pi[n:]):
        served = n / (n + (j + 1) * theta)
        abandon += p * (1 - served)
        rates = [n + (i + 1) * theta for i in range(j + 1)]
        in_time += p * served * _hypoexponential_cdf(rates, target)
    return {"wait": wait, "abandon": abandon, "service_level": in_time}


# ------------------------------------------------------------------------------ published examples


def test_call_centre_helper_example_needs_14_agents_and_20_scheduled() -> None:
    # Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example",
    # https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm : 100 calls in 30 minutes,
    # 180 s AHT, 80 % answered in 20 s, maximum occupancy 85 %, shrinkage 30 % -> 10 Erlangs,
    # 14 agents, 20 agents scheduled.
    s = required_agents(
        calls=100,
        period=HALF_HOUR,
        aht=AHT,
        target_answer_time=TWENTY,
        service_level=0.8,
        max_occupancy=0.85,
        shrinkage=0.3,
    )
    assert (s.traffic, s.agents, s.scheduled) == (10.0, 14, 20)


def test_call_centre_helper_example_13_agents_miss_the_target() -> None:
    # Same source: 13 agents fall just short of 80 % in 20 s, 14 reach it.
    s13 = erlang_c(calls=100, period=HALF_HOUR, aht=AHT, agents=13, target_answer_time=TWENTY)
    s14 = erlang_c(calls=100, period=HALF_HOUR, aht=AHT, agents=14, target_answer_time=TWENTY)
    assert (s13.service_level < 0.8, s14.service_level >= 0.8) == (True, True)


@pytest.mark.parametrize(
    ("agents", "blocking", "published"),
    [
        # Erlang B table, J. Matthews/D. Collins, "Carrier Grade Voice Over IP" 2nd ed., appendix A
        # "Table of Erlang B", https://www.globalspec.com/reference/55139/203279/appendix-a-table-of-erlang-b
        # (offered Erlangs to one decimal for a number of channels and a blocking probability).
        (5, 0.001, 0.8),
        (5, 0.01, 1.4),
        (5, 0.02, 1.7),
        (5, 0.05, 2.2),
        (8, 0.01, 3.1),
        (8, 0.02, 3.6),
        (8, 0.05, 4.5),
        (9, 0.01, 3.8),
        (9, 0.02, 4.3),
        (9, 0.05, 5.4),
    ],
)
def test_erlang_b_inverse_matches_the_published_table(
    agents: int, blocking: float, published: float
) -> None:
    lo, hi = 0.0, 100.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if erlang_b(mid, agents) < blocking else (lo, mid)
    assert published == round(lo, 1)


def test_erlang_b_15_lines_carry_8_108_erlangs_at_1_percent() -> None:
    # Erlang.com calculator manual, "How much traffic can a trunk group handle?",
    # https://erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm : 15 lines, 1 %
    # blocking -> 8.108 Erlangs.
    assert erlang_b(8.1075, 15) < 0.01 < erlang_b(8.1085, 15)


# ------------------------------------------------------------------------------ Erlang B and C


@given(st.integers(0, 40), st.fractions(Fraction(0), Fraction(60), max_denominator=20))
def test_erlang_b_recursion_equals_the_factorial_formula(agents: int, traffic: Fraction) -> None:
    assert float(_erlang_b_factorials(traffic, agents)) == pytest.approx(
        erlang_b(float(traffic), agents), rel=1e-12, abs=1e-300
    )


@given(st.integers(1, 40), st.fractions(Fraction(1, 10), Fraction(39), max_denominator=20))
def test_erlang_c_equals_the_factorial_formula(agents: int, traffic: Fraction) -> None:
    if agents <= traffic:
        return
    assert float(_erlang_c_factorials(traffic, agents)) == pytest.approx(
        erlang_c_probability(float(traffic), agents), rel=1e-11
    )


@given(st.integers(1, 200), st.floats(0.01, 199.0))
def test_erlang_c_is_at_least_erlang_b(agents: int, traffic: float) -> None:
    if agents <= traffic:
        return
    assert erlang_c_probability(traffic, agents) >= erlang_b(traffic, agents)


@given(st.floats(0.1, 300.0), st.integers(0, 120), st.integers(1, 30))
def test_service_level_increases_with_agents(traffic: float, target_s: int, extra: int) -> None:
    calls = _traffic_calls(traffic)
    base = math.floor(traffic) + 1
    assume(base - traffic > 1e-9)  # closer, the ASA outgrows a timedelta (StaffingError)
    target = timedelta(seconds=target_s)
    low = erlang_c(calls=calls, period=HALF_HOUR, aht=AHT, agents=base, target_answer_time=target)
    high = erlang_c(
        calls=calls, period=HALF_HOUR, aht=AHT, agents=base + extra, target_answer_time=target
    )
    assert low.service_level <= high.service_level
    assert low.asa >= high.asa


@given(st.floats(0.1, 500.0), st.floats(0.05, 0.99), st.integers(0, 60))
def test_required_agents_is_the_fewest_meeting_the_target(
    traffic: float, goal: float, target_s: int
) -> None:
    calls = _traffic_calls(traffic)
    target = timedelta(seconds=target_s)
    s = required_agents(
        calls=calls, period=HALF_HOUR, aht=AHT, target_answer_time=target, service_level=goal
    )
    assert s.service_level >= goal
    if s.agents - 1 - s.traffic > 1e-9:  # closer, erlang_c raises (ASA beyond a timedelta)
        fewer = erlang_c(
            calls=calls, period=HALF_HOUR, aht=AHT, agents=s.agents - 1, target_answer_time=target
        )
        assert fewer.service_level < goal


def test_erlang_c_with_agents_equal_to_traffic_raises_staffing_error() -> None:
    with pytest.raises(StaffingError, match="agents=10 <= traffic=10"):
        erlang_c(calls=100, period=HALF_HOUR, aht=AHT, agents=10, target_answer_time=TWENTY)


def test_staffing_error_is_a_cs8_error_and_a_value_error() -> None:
    assert issubclass(StaffingError, Cs8Error)
    assert issubclass(StaffingError, ValueError)


def test_erlang_c_whose_asa_outgrows_a_timedelta_raises_staffing_error() -> None:
    with pytest.raises(StaffingError, match="average speed of answer"):
        erlang_c(
            calls=_traffic_calls(2 - 1e-13),
            period=HALF_HOUR,
            aht=AHT,
            agents=2,
            target_answer_time=TWENTY,
        )


def test_erlang_c_with_fewer_agents_than_traffic_raises_staffing_error() -> None:
    with pytest.raises(StaffingError):
        erlang_c_probability(10.5, 10)


def test_erlang_c_values_for_the_worked_example() -> None:
    s = erlang_c(calls=100, period=HALF_HOUR, aht=AHT, agents=14, target_answer_time=TWENTY)
    c = float(_erlang_c_factorials(Fraction(10), 14))
    expected = (c, 1 - c * math.exp(-4 * 20 / 180), c * 180 / 4, 10 / 14)
    actual = (s.wait_probability, s.service_level, s.asa.total_seconds(), s.occupancy)
    assert expected == pytest.approx(actual, rel=1e-9, abs=1e-6)  # asa is kept to microseconds


def test_shrinkage_rounds_exactly_not_by_float_error() -> None:
    # 14 / (1 - 0.3) is 20.000000000000004 in floats; the schedule must still be 20.
    s = erlang_c(
        calls=100, period=HALF_HOUR, aht=AHT, agents=14, target_answer_time=TWENTY, shrinkage=0.3
    )
    assert s.scheduled == 20


def test_shrinkage_rounds_up() -> None:
    s = required_agents(
        calls=100, period=HALF_HOUR, aht=AHT, target_answer_time=TWENTY, shrinkage=0.25
    )
    assert s.scheduled == 19  # ceil(14 / 0.75) = ceil(18.67)


def test_max_occupancy_adds_agents_when_it_binds() -> None:
    s = required_agents(
        calls=100, period=HALF_HOUR, aht=AHT, target_answer_time=TWENTY, max_occupancy=0.6
    )
    assert s.agents == 17  # ceil(10 / 0.6)


def test_no_calls_need_no_agents() -> None:
    s = required_agents(calls=0, period=HALF_HOUR, aht=AHT, target_answer_time=TWENTY)
    assert (s.agents, s.scheduled, s.service_level) == (0, 0, 1.0)


def test_16667_erlangs_solve_in_well_under_a_second() -> None:
    start = time.perf_counter()
    s = required_agents(
        calls=_traffic_calls(16_667), period=HALF_HOUR, aht=AHT, target_answer_time=TWENTY
    )
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5
    assert s.agents > 16_667
    assert 0.8 <= s.service_level < 1
    fewer = erlang_c(
        calls=_traffic_calls(16_667),
        period=HALF_HOUR,
        aht=AHT,
        agents=s.agents - 1,
        target_answer_time=TWENTY,
    )
    assert fewer.service_level < 0.8


def test_erlang_b_of_huge_traffic_stays_finite() -> None:
    b = erlang_b(1e6, 1_000_100)
    assert 0.0 < b < 1.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"calls": -1}, "calls"),
        ({"period": timedelta(0)}, "period"),
        ({"aht": 180}, "aht"),
        ({"target_answer_time": timedelta(seconds=-1)}, "target_answer_time"),
        ({"service_level": 1.0}, "service_level"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
    ],
)
def test_required_agents_rejects_bad_arguments_naming_them(
    kwargs: dict[str, object], field: str
) -> None:
    args: dict[str, object] = {
        "calls": 100,
        "period": HALF_HOUR,
        "aht": AHT,
        "target_answer_time": TWENTY,
    }
    args.update(kwargs)
    with pytest.raises(InvalidValueError, match=field):
        required_agents(**args)  # type: ignore[arg-type]


def test_staffing_renders_as_text_and_html() -> None:
    s = erlang_c(calls=100, period=HALF_HOUR, aht=AHT, agents=14, target_answer_time=TWENTY)
    assert isinstance(s, Staffing)
    assert ("agents" in str(s), "<table>" in s._repr_html_()) == (True, True)


# ------------------------------------------------------------------------------ Erlang A


@pytest.mark.parametrize(
    ("lam", "n", "theta", "target"),
    [
        (3.0, 3, 0.5, 0.2),
        (5.0, 4, 1.0, 0.1),
        (2.0, 5, 2.0, 0.5),
        (8.0, 6, 0.3, 0.05),
        (40.0, 30, 1.0, 0.5),
    ],
)
def test_erlang_a_matches_the_brute_force_birth_death_solution(
    lam: float, n: int, theta: float, target: float
) -> None:
    aht_s = 100.0
    r = erlang_a(
        calls=lam,
        period=timedelta(seconds=aht_s),
        aht=timedelta(seconds=aht_s),
        agents=n,
        patience=timedelta(seconds=aht_s / theta),
        target_answer_time=timedelta(seconds=target * aht_s),
    )
    oracle = _erlang_a_brute_force(lam, n, theta, target)
    expected = (oracle["wait"], oracle["abandon"], oracle["service_level"])
    assert expected == pytest.approx(
        (r.wait_probability, r.abandon_probability, r.service_level), rel=1e-7
    )


@given(st.floats(0.5, 40.0), st.integers(1, 30), st.floats(0.05, 5.0))
def test_erlang_a_abandonment_obeys_littles_law(traffic: float, agents: int, theta: float) -> None:
    r = erlang_a(
        calls=_traffic_calls(traffic),
        period=HALF_HOUR,
        aht=AHT,
        agents=agents,
        patience=timedelta(seconds=180 / theta),
        target_answer_time=TWENTY,
    )
    # Abandonment rate = theta x mean queue length, so P(abandon) = theta E[Q] / lambda.
    theta = 180 / r.patience.total_seconds()  # as rounded to microseconds
    assert r.abandon_probability == pytest.approx(
        theta * r.average_queue_length / traffic, rel=1e-9, abs=1e-15
    )


@given(st.floats(0.5, 50.0), st.integers(1, 20), st.integers(0, 120))
def test_erlang_a_with_almost_no_abandonment_approaches_erlang_c(
    traffic: float, extra: int, target_s: int
) -> None:
    agents = math.floor(traffic) + extra
    # Closer to the traffic, a patience this long needs more than 50,000 queue states: the
    # bounded solver raises (see test_erlang_a_needing_too_many_states_raises_at_once).
    assume(agents - traffic > 0.05)
    calls = _traffic_calls(traffic)
    target = timedelta(seconds=target_s)
    c = erlang_c(calls=calls, period=HALF_HOUR, aht=AHT, agents=agents, target_answer_time=target)
    a = erlang_a(
        calls=calls,
        period=HALF_HOUR,
        aht=AHT,
        agents=agents,
        patience=timedelta(days=10**8),
        target_answer_time=target,
    )
    assert (c.wait_probability, c.service_level) == pytest.approx(
        (a.wait_probability, a.service_level), abs=1e-5
    )


@given(st.floats(0.5, 60.0), st.integers(1, 60), st.floats(0.1, 3.0), st.integers(0, 60))
def test_erlang_a_service_level_increases_with_agents(
    traffic: float, agents: int, theta: float, target_s: int
) -> None:
    def sl(n: int) -> float:
        return erlang_a(
            calls=_traffic_calls(traffic),
            period=HALF_HOUR,
            aht=AHT,
            agents=n,
            patience=timedelta(seconds=180 / theta),
            target_answer_time=timedelta(seconds=target_s),
        ).service_level

    assert sl(agents) <= sl(agents + 1) + 1e-12


def test_erlang_a_works_below_the_traffic() -> None:
    r = erlang_a(
        calls=100,
        period=HALF_HOUR,
        aht=AHT,
        agents=8,
        patience=timedelta(seconds=120),
        target_answer_time=TWENTY,
    )
    assert isinstance(r, ErlangA)
    assert 0 < r.abandon_probability < r.wait_probability < 1
    assert r.occupancy < 1


def test_erlang_a_at_16667_erlangs_is_fast_and_finite() -> None:
    start = time.perf_counter()
    r = erlang_a(
        calls=_traffic_calls(16_667),
        period=HALF_HOUR,
        aht=AHT,
        agents=16_500,
        patience=timedelta(seconds=60),
        target_answer_time=TWENTY,
    )
    assert time.perf_counter() - start < 1.0
    assert 0 < r.abandon_probability < r.wait_probability <= 1
    assert 0 <= r.service_level <= 1


@given(st.floats(0.2, 60.0), st.floats(0.1, 0.99), st.floats(0.1, 5.0), st.integers(0, 60))
def test_required_agents_with_patience_is_the_fewest_under_erlang_a(
    traffic: float, goal: float, theta: float, target_s: int
) -> None:
    calls = _traffic_calls(traffic)
    patience = timedelta(seconds=180 / theta)
    target = timedelta(seconds=target_s)
    s = required_agents(
        calls=calls,
        period=HALF_HOUR,
        aht=AHT,
        target_answer_time=target,
        service_level=goal,
        patience=patience,
    )

    def sl(n: int) -> float:
        return erlang_a(
            calls=calls,
            period=HALF_HOUR,
            aht=AHT,
            agents=n,
            patience=patience,
            target_answer_time=target,
        ).service_level

    assert s.model == "erlang_a"
    assert s.service_level >= goal
    assert s.agents == 1 or sl(s.agents - 1) < goal


def test_required_agents_with_patience_respects_max_occupancy() -> None:
    s = required_agents(
        calls=100,
        period=HALF_HOUR,
        aht=AHT,
        target_answer_time=TWENTY,
        patience=timedelta(seconds=120),
        max_occupancy=0.7,
    )
    fewer = erlang_a(
        calls=100,
        period=HALF_HOUR,
        aht=AHT,
        agents=s.agents - 1,
        patience=timedelta(seconds=120),
        target_answer_time=TWENTY,
    )
    assert s.occupancy <= 0.7 < fewer.occupancy


def test_required_agents_with_patience_at_16667_erlangs_is_fast() -> None:
    start = time.perf_counter()
    s = required_agents(
        calls=_traffic_calls(16_667),
        period=HALF_HOUR,
        aht=AHT,
        target_answer_time=TWENTY,
        patience=timedelta(seconds=180),
        shrinkage=0.3,
    )
    assert time.perf_counter() - start < 1.0
    assert s.service_level >= 0.8
    assert s.scheduled == math.ceil(Fraction(s.agents) / Fraction(7, 10))


def test_erlang_a_needing_too_many_states_raises_at_once() -> None:
    start = time.perf_counter()
    with pytest.raises(StaffingError, match="50,000 queue states"):
        erlang_a(
            calls=_traffic_calls(33.97),
            period=HALF_HOUR,
            aht=AHT,
            agents=34,
            patience=timedelta(days=10**8),
            target_answer_time=TWENTY,
        )
    assert time.perf_counter() - start < 0.5
