"""Tests of the statistics core: distributions, Wilson and t intervals, states and their merges."""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8._distributions import regularized_beta, t_cdf
from cs8.exceptions import InvalidValueError
from cs8.kpi import (
    DurationState,
    MeanState,
    Rate,
    RateState,
)
from cs8.stats import (
    QuantileSketch,
    normal_quantile,
    t_quantile,
    wilson_interval,
)


def type7(values: list[int], q: float) -> float:
    """Brute-force Hyndman-Fan type 7 quantile (the default of R's quantile())."""
    xs = sorted(values)
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


# ------------------------------------------------------------------ distributions


# Student t critical values t_{0.975, df} from NIST/SEMATECH e-Handbook of Statistical Methods,
# section 1.3.6.7.2 "Critical values of the Student's t distribution",
# https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm
@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (30, 2.042), (100, 1.984)],
)
def test_t_quantile_matches_nist_table(df: int, expected: float) -> None:
    assert expected == round(t_quantile(0.975, df), 3)


def test_t_quantile_one_df_is_cauchy_quantile() -> None:
    # With one degree of freedom t is Cauchy: quantile tan(pi (p - 1/2)).
    expected = math.tan(math.pi * (0.9 - 0.5))
    assert expected == pytest.approx(t_quantile(0.9, 1), rel=1e-12)


def test_t_quantile_large_df_approaches_normal() -> None:
    assert normal_quantile(0.975) == pytest.approx(t_quantile(0.975, 1e7), rel=1e-6)


@given(st.floats(0.001, 0.999), st.floats(0.5, 200))
def test_t_cdf_inverts_t_quantile(p: float, df: float) -> None:
    assert p == pytest.approx(t_cdf(t_quantile(p, df), df), abs=1e-10)


def test_t_quantile_is_antisymmetric() -> None:
    assert -t_quantile(0.95, 7) == t_quantile(0.05, 7)


def test_regularized_beta_of_uniform_case_is_x() -> None:
    # I_x(1, 1) = x.
    assert pytest.approx(regularized_beta(0.3, 1.0, 1.0), rel=1e-12) == 0.3


def test_t_quantile_rejects_p_outside_unit_interval() -> None:
    with pytest.raises(InvalidValueError, match="p must be in"):
        t_quantile(1.0, 3)


# ------------------------------------------------------------------ Wilson


def test_wilson_interval_matches_newcombe_example() -> None:
    # Newcombe, R. G. (1998) "Two-sided confidence intervals for the single proportion: comparison
    # of seven methods", Statistics in Medicine 17, 857-872, doi:10.1002/(SICI)1097-0258(19980430)
    # 17:8<857::AID-SIM777>3.0.CO;2-E, Table II: 81/263, Wilson score method 0.2553 to 0.3662.
    assert [round(x, 4) for x in wilson_interval(81, 263)] == [0.2553, 0.3662]


def test_wilson_interval_of_zero_successes_starts_at_zero() -> None:
    # Newcombe (1998) Table II, 0/20: Wilson score 0 to 0.1611.
    low, high = wilson_interval(0, 20)
    assert (low, round(high, 4)) == (0.0, 0.1611)


def test_wilson_interval_of_no_trials_is_unit_interval() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_rate_of_no_trials_is_nan_with_warning() -> None:
    rate = Rate.of(0, 0)
    assert (math.isnan(rate.value), rate.warnings) == (True, ("no data: n=0",))


def test_rate_rejects_more_successes_than_trials() -> None:
    with pytest.raises(InvalidValueError, match="successes=3, n=2"):
        RateState(successes=3, n=2)


def test_rate_flags_small_sample() -> None:
    assert Rate.of(5, 10).small_sample


def test_rate_renders_html_table() -> None:
    assert Rate.of(1, 2)._repr_html_().startswith("<table>")


# ------------------------------------------------------------------ means


def test_mean_t_interval_matches_hand_computation() -> None:
    # mean 5, s = 1, n = 3: 5 +/- t_{0.975,2} / sqrt(3), t_{0.975,2} = 4.303 (NIST table above).
    mean = MeanState.of([4, 5, 6]).result()
    assert round(5 - 4.303 / math.sqrt(3), 2) == round(mean.ci_low, 2)


def test_mean_state_sums_floats_exactly() -> None:
    assert Fraction(0.1) + Fraction(0.2) == MeanState.of([0.1, 0.2]).total


def test_mean_state_rejects_nan() -> None:
    with pytest.raises(InvalidValueError, match="finite"):
        MeanState.of([math.nan])


def test_mean_of_nothing_is_nan() -> None:
    assert math.isnan(MeanState.empty().result().value)


# ------------------------------------------------------------------ durations


def test_duration_quantiles_follow_type_7() -> None:
    values = [7, 1, 3, 10, 4]
    state = DurationState.of_microseconds(values)
    expected = [round(type7(values, q)) for q in (0.1, 0.5, 0.9)]
    actual = [state.quantile(q) // timedelta(microseconds=1) for q in (0.1, 0.5, 0.9)]
    assert expected == actual


def test_duration_state_switches_to_sketch_beyond_limit() -> None:
    state = DurationState.of_microseconds(range(1, 11), exact_limit=5)
    assert (state.exact, state.n, state.values) == (False, 10, ())


def test_duration_stats_of_nothing_has_no_mean() -> None:
    stats = DurationState.empty().result()
    assert (stats.n, stats.mean, stats.median) == (0, None, None)


def test_duration_stats_keeps_excluded_reasons_through_merge() -> None:
    a = DurationState.empty().exclude("unreplied", 2)
    b = DurationState.empty().exclude("unreplied").exclude("merged")
    assert dict((a + b).result().excluded) == {"unreplied": 3, "merged": 1}


# ------------------------------------------------------------------ merge laws

micros = st.lists(st.integers(-(10**12), 10**12), max_size=40)


@given(micros, micros, micros)
def test_duration_merge_is_associative(a: list[int], b: list[int], c: list[int]) -> None:
    sa, sb, sc = (DurationState.of_microseconds(x, exact_limit=16) for x in (a, b, c))
    assert (sa + sb) + sc == sa + (sb + sc)


@given(micros, micros)
def test_duration_merge_is_commutative(a: list[int], b: list[int]) -> None:
    sa, sb = (DurationState.of_microseconds(x, exact_limit=16) for x in (a, b))
    assert sa + sb == sb + sa


@given(micros, micros)
def test_duration_merged_halves_equal_whole(a: list[int], b: list[int]) -> None:
    whole = DurationState.of_microseconds(a + b, exact_limit=16)
    assert whole == DurationState.of_microseconds(
        a, exact_limit=16
    ) + DurationState.of_microseconds(b, exact_limit=16)


@given(st.lists(st.booleans()), st.lists(st.booleans()))
def test_rate_merged_halves_equal_whole(a: list[bool], b: list[bool]) -> None:
    assert RateState.of(a + b) == RateState.of(a) + RateState.of(b)


floats = st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=20)


@given(floats, floats, floats)
def test_mean_merge_is_associative_and_exact(
    a: list[float], b: list[float], c: list[float]
) -> None:
    sa, sb, sc = MeanState.of(a), MeanState.of(b), MeanState.of(c)
    assert ((sa + sb) + sc, sa + sb) == (sa + (sb + sc), sb + sa)


@given(floats, floats)
def test_mean_merged_halves_equal_whole(a: list[float], b: list[float]) -> None:
    assert MeanState.of(a + b) == MeanState.of(a) + MeanState.of(b)


# ------------------------------------------------------------------ sketch accuracy


@given(st.lists(st.integers(1, 10**12), min_size=1, max_size=300), st.floats(0.0, 1.0))
def test_sketch_quantile_within_one_percent_of_exact(values: list[int], q: float) -> None:
    exact = type7(values, q)
    estimate = QuantileSketch.of(values).quantile(q)
    assert abs(estimate - exact) <= 0.01 * abs(exact) + 1e-9


@given(st.lists(st.integers(-(10**9), -1), min_size=1, max_size=200), st.floats(0.0, 1.0))
def test_sketch_handles_negative_values_within_one_percent(values: list[int], q: float) -> None:
    exact = type7(values, q)
    assert abs(QuantileSketch.of(values).quantile(q) - exact) <= 0.01 * abs(exact) + 1e-9


def test_sketched_duration_median_within_one_percent() -> None:
    values = [i * 1_000_003 for i in range(1, 20_001)]
    stats = DurationState.of_microseconds(values, exact_limit=1000).result()
    exact = type7(values, 0.5)
    assert abs(stats.median / timedelta(microseconds=1) - exact) <= 0.01 * exact
