"""Tests of Cronbach's alpha and the reliability report."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import SurveyError
from cs8.surveys import (
    NOT_APPLICABLE,
    SERVQUAL_1988,
    Dimension,
    ServqualResponse,
    cronbach_alpha,
    dimension_reliability,
    reliability,
)

N = None

# pingouin's bundled dataset "cronbach_wide_missing" (12 respondents x 11 binary items, with
# missing values), printed here in full; source: R. Vallat, pingouin,
# src/pingouin/datasets/cronbach_wide_missing.csv, https://github.com/raphaelvallat/pingouin
# (originally from www.real-statistics.com).
WIDE_MISSING = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
    [N, 0, 1, 1, N, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0],
    [0, 1, N, 0, 1, 1, 1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
    [1, 0, 0, 1, 0, 1, 0, 0, N, 0, 0],
    [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
]

# pingouin's bundled dataset "cronbach_alpha" (15 subjects x 10 Likert items, long format in
# the package, pivoted to wide here, columns Q1..Q10); same source.
LIKERT = [
    [3, 2, 4, 1, 4, 5, 1, 4, 3, 2],
    [5, 4, 6, 3, 5, 1, 2, 5, 5, 5],
    [7, 3, 5, 5, 6, 4, 3, 3, 6, 5],
    [2, 4, 3, 3, 2, 2, 2, 6, 6, 3],
    [6, 5, 6, 5, 4, 4, 4, 6, 7, 5],
    [1, 2, 3, 4, 2, 5, 2, 3, 5, 2],
    [4, 3, 5, 3, 5, 2, 1, 2, 4, 3],
    [2, 4, 4, 3, 7, 2, 2, 4, 6, 5],
    [6, 5, 5, 5, 1, 6, 5, 2, 3, 2],
    [5, 4, 6, 4, 3, 5, 3, 1, 7, 2],
    [4, 3, 5, 2, 5, 3, 2, 3, 4, 1],
    [4, 2, 3, 2, 5, 3, 4, 2, 3, 4],
    [5, 5, 6, 2, 3, 3, 2, 4, 4, 5],
    [6, 5, 5, 4, 2, 2, 1, 4, 6, 5],
    [4, 3, 5, 5, 3, 1, 3, 2, 3, 4],
]


def test_alpha_pairwise_matches_pingouin_docstring():
    # pingouin.cronbach_alpha docstring: pg.cronbach_alpha(data=data) on cronbach_wide_missing
    # returns (0.732660835214447, array([0.435, 0.909])) ("In R: psych:alpha(data, use='pairwise')").
    # https://pingouin-stats.org/build/html/generated/pingouin.cronbach_alpha.html
    rep = reliability(WIDE_MISSING, missing="pairwise")
    assert pytest.approx(rep.alpha, abs=1e-12) == 0.732660835214447
    assert (round(rep.ci_low, 3), round(rep.ci_high, 3)) == (0.435, 0.909)


def test_alpha_listwise_matches_pingouin_docstring():
    # Same docstring: nan_policy="listwise" returns 0.8016949152542373
    # ("In R: psych:alpha(data, use='complete.obs')"). pingouin's interval [0.581, 0.933] uses
    # the row count before deletion (12); cs8 uses the 9 complete rows, so only alpha is compared.
    assert pytest.approx(cronbach_alpha(WIDE_MISSING), abs=1e-12) == 0.8016949152542373


def test_alpha_without_missing_values_matches_pingouin_docstring():
    # pingouin docstring: pg.cronbach_alpha(data=pg.read_dataset("cronbach_alpha"), items="Items",
    # scores="Scores", subject="Subj") returns (0.5917188485995826, array([0.195, 0.84])).
    rep = reliability(LIKERT)
    assert pytest.approx(rep.alpha, abs=1e-12) == 0.5917188485995826
    assert (round(rep.ci_low, 3), round(rep.ci_high, 3)) == (0.195, 0.84)


def test_not_applicable_counts_as_missing():
    rows = [[*r[:-1], NOT_APPLICABLE if r[-1] is None else r[-1]] for r in WIDE_MISSING]
    assert cronbach_alpha(WIDE_MISSING) == cronbach_alpha(rows)


def _alpha_by_covariance(rows):
    n, k = len(rows), len(rows[0])
    means = [sum(r[j] for r in rows) / n for j in range(k)]
    cov = [
        [sum((r[i] - means[i]) * (r[j] - means[j]) for r in rows) / (n - 1) for j in range(k)]
        for i in range(k)
    ]
    total = sum(map(sum, cov))
    if abs(total) < 1e-9:
        return math.nan
    return k / (k - 1) * (1 - sum(cov[i][i] for i in range(k)) / total)


tables = st.integers(2, 6).flatmap(
    lambda k: st.lists(st.lists(st.integers(1, 7), min_size=k, max_size=k), min_size=3, max_size=30)
)


@given(tables)
def test_alpha_matches_covariance_formula(rows):
    expected = _alpha_by_covariance(rows)
    if math.isnan(expected):
        assert math.isnan(cronbach_alpha(rows))
        return
    assert expected == pytest.approx(cronbach_alpha(rows), rel=1e-9, abs=1e-9)


@given(tables)
def test_pairwise_equals_listwise_on_complete_data(rows):
    a, b = cronbach_alpha(rows), cronbach_alpha(rows, missing="pairwise")
    assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-9)


def test_alpha_if_deleted_equals_alpha_of_remaining_items():
    rep = reliability(LIKERT)
    rest = [r[1:] for r in LIKERT]
    assert cronbach_alpha(rest) == pytest.approx(rep.alpha_if_deleted[0])


def test_item_total_is_corrected():
    rep = reliability([[1, 2, 3], [2, 2, 4], [3, 5, 4], [4, 4, 6]])
    x = [1, 2, 3, 4]
    rest = [5, 6, 9, 10]
    mx, mr = 2.5, 7.5
    sxy = sum((a - mx) * (b - mr) for a, b in zip(x, rest))
    r = sxy / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - mr) ** 2 for b in rest))
    assert r == pytest.approx(rep.item_total[0])


def test_reliability_warns_about_negative_item():
    rows = [[1, 2, 7], [2, 3, 5], [3, 4, 4], [5, 5, 2], [6, 7, 1]]
    assert any("item 3 correlates negatively" in w for w in reliability(rows).warnings)


def test_reliability_warns_below_threshold():
    assert reliability(LIKERT).warnings[0].startswith("alpha 0.592 is below 0.7")


def test_alpha_rejects_ragged_rows():
    with pytest.raises(SurveyError, match="row 1 has 2 items"):
        cronbach_alpha([[1, 2, 3], [1, 2]])


def test_alpha_needs_two_items():
    with pytest.raises(SurveyError, match="two items"):
        cronbach_alpha([[1], [2]])


def test_1988_reverse_keyed_items_are_reversed_before_alpha():
    rs = []
    for v in (2, 3, 5, 6, 4):
        raw = [v if not it.reverse else 8 - v for it in SERVQUAL_1988.items]
        rs.append(ServqualResponse(instrument=SERVQUAL_1988, expectations=raw, perceptions=raw))
    reports = dimension_reliability(rs)
    assert pytest.approx(reports[Dimension.EMPATHY].alpha) == 1.0


def _pairwise_alpha(rows):
    k = len(rows[0])

    def cov(i, j):
        pairs = [(r[i], r[j]) for r in rows if r[i] is not None and r[j] is not None]
        n = len(pairs)
        mi = sum(a for a, _ in pairs) / n
        mj = sum(b for _, b in pairs) / n
        return sum((a - mi) * (b - mj) for a, b in pairs) / (n - 1)

    c = [[cov(i, j) for j in range(k)] for i in range(k)]
    total = sum(map(sum, c))
    if abs(total) < 1e-6:
        return math.nan  # variance of the total near zero: alpha undefined or unstable
    return k / (k - 1) * (1 - sum(c[i][i] for i in range(k)) / total)


sparse_tables = st.integers(2, 5).flatmap(
    lambda k: st.lists(
        st.lists(
            st.one_of(st.integers(1, 7), st.integers(1, 7), st.integers(1, 7), st.none()),
            min_size=k,
            max_size=k,
        ),
        min_size=6,
        max_size=20,
    )
)


@given(sparse_tables)
def test_pairwise_alpha_matches_brute_force(rows):
    k = len(rows[0])
    for i in range(k):
        for j in range(k):
            pairs = [r for r in rows if r[i] is not None and r[j] is not None]
            if len(pairs) < 3 or len({r[i] for r in pairs}) < 2 or len({r[j] for r in pairs}) < 2:
                return  # undefined covariances: nothing to compare
    expected = _pairwise_alpha(rows)
    if math.isnan(expected):
        return
    assert expected == pytest.approx(cronbach_alpha(rows, missing="pairwise"), rel=1e-9, abs=1e-9)


@given(sparse_tables)
def test_listwise_alpha_uses_complete_rows_only(rows):
    complete = [r for r in rows if None not in r]
    if len(complete) < 2:
        with pytest.raises(SurveyError):
            cronbach_alpha(rows)
        return
    a, b = cronbach_alpha(rows), cronbach_alpha(complete)
    assert (math.isnan(a) and math.isnan(b)) or a == b
