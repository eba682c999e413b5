"""Tests of importance-performance analysis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import SurveyError
from cs8.surveys import (
    Quadrant,
    ServqualResponse,
    derived_importance,
    importance_performance,
    servqual_ipa,
    servqual_scores,
)


def test_quadrants_follow_martilla_and_james_labels():
    # Martilla and James (1977), "Importance-Performance Analysis", Journal of Marketing 41(1):
    # high importance + low performance = "Concentrate here", high + high = "Keep up the good
    # work", low + low = "Low priority", low importance + high performance = "Possible overkill".
    grid = importance_performance(
        {"a": 1.0, "b": 5.0, "c": 1.0, "d": 5.0},
        {"a": 5.0, "b": 5.0, "c": 1.0, "d": 1.0},
    )
    assert [p.quadrant.label() for p in grid.points] == [
        "Concentrate here",
        "Keep up the good work",
        "Low priority",
        "Possible overkill",
    ]


def test_cuts_default_to_means():
    grid = importance_performance({"a": 1.0, "b": 3.0}, {"a": 2.0, "b": 6.0})
    assert (grid.importance_cut, grid.performance_cut) == (4.0, 2.0)


def test_value_on_the_cut_counts_as_high():
    grid = importance_performance({"a": 3.0}, {"a": 0.5}, importance_cut=0.5, performance_cut=3.0)
    assert grid.quadrant("a") == Quadrant.KEEP_UP_THE_GOOD_WORK


def test_attributes_must_match():
    with pytest.raises(SurveyError, match="different attributes"):
        importance_performance({"a": 1.0}, {"b": 1.0})


def test_derived_importance_is_correlation_with_overall():
    imp = derived_importance([[1, 1], [2, 3], [3, 2]], [1, 2, 3], items=["x", "y"])
    assert (pytest.approx(imp["x"]), pytest.approx(imp["y"])) == (1.0, 0.5)


def test_derived_importance_skips_missing_pairs():
    imp = derived_importance([[1], [None], [2], [3]], [1, 5, 2, 3])
    assert pytest.approx(imp["item 1"]) == 1.0


def test_spearman_uses_ranks():
    imp = derived_importance([[1], [2], [30]], [1, 2, 3], method="spearman")
    assert pytest.approx(imp["item 1"]) == 1.0


def test_servqual_ipa_uses_mean_perceptions():
    r = ServqualResponse(expectations=[7] * 22, perceptions=[6] * 4 + [3] * 18)
    grid = servqual_ipa(
        servqual_scores([r]),
        {"tangibles": 30, "reliability": 30, "responsiveness": 20, "assurance": 10, "empathy": 10},
    )
    assert grid.items_in(Quadrant.CONCENTRATE_HERE) == ("reliability", "responsiveness")


def test_servqual_ipa_by_item():
    r = ServqualResponse(expectations=[7] * 22, perceptions=[6] + [3] * 21)
    grid = servqual_ipa(servqual_scores([r]), {n: float(n) for n in range(1, 23)}, level="item")
    assert grid.quadrant("1") == Quadrant.POSSIBLE_OVERKILL


values = st.dictionaries(
    st.text(min_size=1, max_size=3), st.floats(-10, 10), min_size=1, max_size=10
)


@given(values, st.data())
def test_every_quadrant_matches_brute_force(perf, data):
    imp = {k: data.draw(st.floats(-10, 10)) for k in perf}
    grid = importance_performance(perf, imp)
    for p in grid.points:
        high_i = p.importance >= grid.importance_cut
        high_p = p.performance >= grid.performance_cut
        expected = {
            (True, False): Quadrant.CONCENTRATE_HERE,
            (True, True): Quadrant.KEEP_UP_THE_GOOD_WORK,
            (False, False): Quadrant.LOW_PRIORITY,
            (False, True): Quadrant.POSSIBLE_OVERKILL,
        }[(high_i, high_p)]
        assert expected == p.quadrant
