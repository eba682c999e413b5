"""Tests of the small statistics: t and F distributions, paired tests, bootstrap."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8._distributions import f_cdf
from cs8.exceptions import SurveyError
from cs8.stats import (
    beta_cdf,
    bootstrap_ci,
    f_quantile,
    paired_t_test,
    t_cdf,
    t_quantile,
    wilcoxon_signed_rank,
)

# R's `sleep` data (Cushny and Peebles 1905, as in R's datasets package): extra hours of sleep
# for 10 patients under drug 1 and drug 2.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_paired_t_test_reproduces_r_sleep_example():
    # R documentation of t.test (stats package), example
    # `t.test(extra ~ group, data = sleep, paired = TRUE)` prints
    # t = -4.0621, df = 9, p-value = 0.002833,
    # 95 percent confidence interval: -2.4598858 -0.7001142, mean difference -1.58.
    # https://stat.ethz.ch/R-manual/R-devel/library/stats/html/t.test.html
    r = paired_t_test(SLEEP_1, SLEEP_2)
    assert (round(r.t, 4), r.df, round(r.p_value, 6)) == (-4.0621, 9, 0.002833)
    assert (round(r.ci_low, 7), round(r.ci_high, 7)) == (-2.4598858, -0.7001142)
    assert pytest.approx(r.mean) == -1.58


def test_cohens_dz_is_t_over_root_n():
    r = paired_t_test(SLEEP_1, SLEEP_2)
    assert r.t / math.sqrt(r.n) == pytest.approx(r.cohens_dz)


def test_paired_t_test_leaves_out_incomplete_pairs():
    r = paired_t_test([1, None, 3, 4], [0, 2, None, 2])
    assert r.n == 2


def test_wilcoxon_reproduces_r_sleep_example():
    # R: wilcox.test(extra ~ group, data = sleep, paired = TRUE) gives V = 0, p-value = 0.009091
    # (normal approximation with continuity correction; ties and a zero present), as shown in
    # BYU-Idaho Statistics Notebook, "Wilcoxon Signed-Rank Test: sleep",
    # https://byuistats.github.io/Statistics-Notebook/Analyses/Wilcoxon%20Tests/Examples/SleepPairedWilcoxon.html
    r = wilcoxon_signed_rank(SLEEP_1, SLEEP_2)
    assert (r.statistic, round(r.p_value, 6), r.n, r.zeros) == (0.0, 0.009091, 9, 1)


def test_wilcoxon_pratt_keeps_zeros_in_ranking():
    r = wilcoxon_signed_rank(SLEEP_1, SLEEP_2, zero_method="pratt")
    assert (r.n, r.zeros) == (10, 1)


def test_wilcoxon_rejects_unknown_zero_method():
    with pytest.raises(SurveyError, match="zero_method"):
        wilcoxon_signed_rank([1], [2], zero_method="zsplit")  # type: ignore[arg-type]


def test_t_quantiles_match_published_table():
    # Student t table (e.g. NIST/SEMATECH e-Handbook of Statistical Methods, section 1.3.6.7.2,
    # https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm): t(0.975, 9) = 2.262,
    # t(0.975, 30) = 2.042, t(0.995, 5) = 4.032.
    assert (
        round(t_quantile(0.975, 9), 3),
        round(t_quantile(0.975, 30), 3),
        round(t_quantile(0.995, 5), 3),
    ) == (2.262, 2.042, 4.032)


def test_f_quantile_matches_published_table():
    # F table, NIST/SEMATECH e-Handbook 1.3.6.7.3 (upper 5% points): F(0.95; 5, 10) = 3.326.
    # https://www.itl.nist.gov/div898/handbook/eda/section3/eda3673.htm
    assert round(f_quantile(0.95, 5, 10), 3) == 3.326


@given(st.floats(-50, 50), st.integers(1, 200))
def test_t_cdf_is_symmetric(t, df):
    assert t_cdf(t, df) + t_cdf(-t, df) == pytest.approx(1.0, abs=1e-12)


@given(st.floats(0.001, 0.999), st.integers(1, 200))
def test_t_ppf_inverts_t_cdf(p, df):
    assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


@given(st.floats(0.01, 0.99), st.integers(1, 60), st.integers(1, 60))
def test_f_ppf_inverts_f_cdf(p, d1, d2):
    assert f_cdf(f_quantile(p, d1, d2), d1, d2) == pytest.approx(p, abs=1e-9)


@given(st.floats(0.5, 30), st.floats(0.5, 30), st.floats(0.001, 0.999))
def test_beta_cdf_matches_its_reflection(a, b, x):
    assert beta_cdf(x, a, b) == pytest.approx(1.0 - beta_cdf(1.0 - x, b, a), abs=1e-10)


def test_t_with_many_df_approaches_normal():
    assert round(t_quantile(0.975, 10**7), 6) == 1.959964


def test_bootstrap_is_reproducible_with_a_seed():
    values = [1.0, 4.0, 2.0, 8.0, 5.0]
    assert bootstrap_ci(values, seed=3) == bootstrap_ci(values, seed=3)


def test_bootstrap_interval_contains_the_mean_of_a_symmetric_sample():
    low, high = bootstrap_ci([1.0, 2.0, 3.0, 4.0, 5.0], n_resamples=500, seed=1)
    assert low < 3.0 < high


def test_bootstrap_rejects_empty_input():
    with pytest.raises(SurveyError):
        bootstrap_ci([])
