"""Tests of cs8.kpi survey KPIs: NPS, its comparison, CSAT share and mean, CES."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import SurveyResponse
from cs8.exceptions import Cs8Error, InvalidValueError, SurveyError
from cs8.kpi import (
    NpsState,
    ScoreState,
    ces,
    ces_index,
    compare_nps,
    csat,
    csat_mean,
    nps,
)

Z95 = 1.959963984540054
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

nps_scores = st.lists(st.one_of(st.integers(0, 10), st.none()), max_size=60)
csat_scores = st.lists(st.one_of(st.integers(1, 5), st.none()), max_size=60)


def _answers(promoters: int, passives: int, detractors: int) -> list[int]:
    return [10] * promoters + [7] * passives + [0] * detractors


# ------------------------------------------------------------------------------ published examples


@pytest.mark.parametrize(
    ("positive", "n", "low", "high"),
    [
        # R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of
        # seven methods", Statistics in Medicine 17 (1998) 857-872, doi:10.1002/(SICI)1097-0258
        # (19980430)17:8<857::AID-SIM777>3.0.CO;2-E, Table II, method 3 (Wilson score, no
        # continuity correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_csat_interval_reproduces_newcombes_wilson_examples(
    positive: int, n: int, low: float, high: float
) -> None:
    r = csat([5] * positive + [2] * (n - positive))
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (low, high)


def test_nps_wald_interval_width_follows_the_320_over_root_n_rule() -> None:
    # A. Engelhardt, "Net Promoter Score Confidence Intervals 2: Maths and Stats", CYBAEA,
    # 2016-01-14, http://www.cybaea.net/Journal/2016/01/14/NPS-confidence-intervals-stats/ : with
    # a third promoters and a third detractors the 95 % interval is about 320 / sqrt(n) points wide,
    # so a width of 10 needs n of about 1024.
    r = nps(_answers(342, 342, 342), method="wald")
    assert r.ci_high - r.ci_low == pytest.approx(320 / math.sqrt(1026), rel=0.01)
    assert round(r.ci_high - r.ci_low) == 10


def test_nps_adjusted_wald_adds_three_quarters_and_three_as_measuringu_describes() -> None:
    # J. Lewis and J. Sauro, "Confidence Intervals for Net Promoter Scores", MeasuringU, 2021,
    # https://measuringu.com/nps-confidence-intervals/ (the adjusted-Wald of B. Rocks, "Interval
    # Estimation for the 'Net Promoter Score'", The American Statistician 70(4) 2016): add 3 to n
    # and 3/4 to promoters and detractors. Hand computation for 40 / 30 / 30:
    # p = 40.75/103, d = 30.75/103, NPS_adj = 0.097087, var = p + d - (p - d)^2 = 0.684744,
    # se = sqrt(0.684744 / 103) = 0.081535, interval = 0.097087 -+ 1.959964 x 0.081535.
    r = nps(_answers(40, 30, 30))
    assert (r.value, round(r.ci_low, 2), round(r.ci_high, 2)) == (10.0, -6.27, 25.69)


# ------------------------------------------------------------------------------ NPS


@given(nps_scores)
def test_nps_counts_and_value_match_a_brute_force_count(scores: list[int | None]) -> None:
    answered = [s for s in scores if s is not None]
    r = nps(scores)
    pro = sum(1 for s in answered if s >= 9)
    det = sum(1 for s in answered if s <= 6)
    assert (r.promoters, r.detractors, r.n) == (pro, det, len(answered))
    if answered:
        assert r.value == pytest.approx(100 * (pro - det) / len(answered))
    else:
        assert math.isnan(r.value)


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_nps_wald_interval_is_the_normal_interval_of_the_coded_mean(
    promoters: int, passives: int, detractors: int
) -> None:
    n = promoters + passives + detractors
    if n == 0:
        return
    coded = [1] * promoters + [0] * passives + [-1] * detractors
    mean = sum(coded) / n
    variance = sum((x - mean) ** 2 for x in coded) / n
    half = Z95 * math.sqrt(variance / n)
    r = nps(_answers(promoters, passives, detractors), method="wald")
    expected = (max(-100.0, 100 * (mean - half)), min(100.0, 100 * (mean + half)))
    assert (r.ci_low, r.ci_high) == pytest.approx(expected, abs=1e-9)


@given(st.floats(0, 1), st.floats(0, 1))
def test_trinomial_variance_equals_the_sum_of_variances_and_covariance(p: float, d: float) -> None:
    if p + d > 1:
        return
    # Var(p - d) x n = p(1-p) + d(1-d) + 2pd (multinomial covariance -pd).
    assert p + d - (p - d) ** 2 == pytest.approx(p * (1 - p) + d * (1 - d) + 2 * p * d, abs=1e-12)


@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_nps_interval_stays_within_plus_minus_100(pro: int, pas: int, det: int) -> None:
    methods: tuple[Literal["adjusted_wald", "wald"], ...] = ("adjusted_wald", "wald")
    for method in methods:
        r = nps(_answers(pro, pas, det), method=method)
        assert -100.0 <= r.ci_low <= r.ci_high <= 100.0


def test_no_response_is_excluded_not_counted_as_zero() -> None:
    r = nps([10, 10, None, None])
    assert (r.value, r.n, dict(r.excluded)) == (100.0, 2, {"no_response": 2})


def test_nps_reads_only_nps_responses() -> None:
    answers = [
        SurveyResponse(kind="nps", score=10, at=T0),
        SurveyResponse(kind="nps", score=0, at=T0),
        SurveyResponse(kind="csat", score=1, at=T0),
    ]
    r = nps(answers)
    assert (r.n, r.value, dict(r.excluded)) == (2, 0.0, {"other_kind": 1})


def test_nps_rejects_a_score_off_the_scale_naming_it() -> None:
    with pytest.raises(SurveyError, match=r"score 1 must be in 0\.\.10, got 11"):
        nps([10, 11])


def test_survey_error_is_a_cs8_error() -> None:
    assert issubclass(SurveyError, Cs8Error)


def test_nps_warns_on_a_small_sample() -> None:
    assert nps([10, 9, 3]).warnings[0] == "small sample: n=3 is below 30"


def test_nps_warns_on_a_wide_interval() -> None:
    warnings = nps(_answers(20, 10, 20)).warnings
    assert any(w.startswith("wide interval") for w in warnings)


def test_large_clear_nps_has_no_warnings() -> None:
    assert nps(_answers(5000, 3000, 2000)).warnings == ()


def test_nps_of_nothing_is_nan_with_a_warning() -> None:
    r = nps([None])
    assert (math.isnan(r.value), r.warnings) == (True, ("no data: n=0",))


@given(nps_scores, nps_scores, nps_scores)
def test_nps_state_merge_is_associative_commutative_and_equals_the_whole(
    a: list[int | None], b: list[int | None], c: list[int | None]
) -> None:
    sa, sb, sc = NpsState.of(a), NpsState.of(b), NpsState.of(c)
    assert (sa + sb) + sc == sa + (sb + sc)
    assert sa + sb == sb + sa
    assert sa + sb + sc == NpsState.of(a + b + c)
    if (sa + sb).n:  # an empty result holds nan, which equals nothing
        assert (sa + sb).result() == nps(a + b)


# ------------------------------------------------------------------------------ comparing NPS


@given(st.tuples(*[st.integers(0, 60)] * 3), st.tuples(*[st.integers(0, 60)] * 3))
def test_compare_nps_wald_matches_the_two_sample_z_formula(
    a: tuple[int, int, int], b: tuple[int, int, int]
) -> None:
    if sum(a) == 0 or sum(b) == 0:
        return
    c = compare_nps(_answers(*a), _answers(*b), method="wald")
    na, nb = sum(a), sum(b)
    pa, da, pb, db = a[0] / na, a[2] / na, b[0] / nb, b[2] / nb
    se = math.sqrt((pa + da - (pa - da) ** 2) / na + (pb + db - (pb - db) ** 2) / nb)
    diff = (pa - da) - (pb - db)
    assert c.difference == pytest.approx(100 * diff)
    if se > 0:
        assert c.z == pytest.approx(diff / se)
        assert c.p_value == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(abs(diff / se) / 2**0.5))))


@given(st.tuples(*[st.integers(0, 60)] * 3), st.tuples(*[st.integers(0, 60)] * 3))
def test_compare_nps_is_antisymmetric(a: tuple[int, int, int], b: tuple[int, int, int]) -> None:
    if sum(a) == 0 or sum(b) == 0:
        return
    ab, ba = compare_nps(_answers(*a), _answers(*b)), compare_nps(_answers(*b), _answers(*a))
    assert (ab.difference, ab.z, ab.p_value) == pytest.approx((-ba.difference, -ba.z, ba.p_value))


def test_compare_nps_handles_unequal_sample_sizes() -> None:
    c = compare_nps(_answers(300, 100, 100), _answers(10, 10, 10))
    assert (c.a.n, c.b.n, c.difference) == (500, 30, 40.0)
    assert 0 < c.p_value < 1


def test_compare_nps_accepts_states() -> None:
    a, b = _answers(60, 0, 40), _answers(45, 0, 55)
    assert compare_nps(NpsState.of(a), NpsState.of(b)) == compare_nps(a, b)


def test_compare_nps_with_an_empty_sample_raises() -> None:
    with pytest.raises(SurveyError, match="n_b=0"):
        compare_nps([10], [None])


# ------------------------------------------------------------------------------ CSAT and CES


@given(csat_scores, st.integers(1, 5))
def test_csat_share_matches_a_brute_force_count(scores: list[int | None], positive: int) -> None:
    answered = [s for s in scores if s is not None]
    r = csat(scores, positive_from=positive)
    assert (r.successes, r.n) == (sum(1 for s in answered if s >= positive), len(answered))


@given(csat_scores)
def test_csat_mean_matches_the_arithmetic_mean(scores: list[int | None]) -> None:
    answered = [s for s in scores if s is not None]
    m = csat_mean(scores)
    if answered:
        assert m.value == pytest.approx(sum(answered) / len(answered))
    else:
        assert math.isnan(m.value)


def test_csat_share_and_mean_are_reported_separately() -> None:
    scores = [5, 5, 4, 2, 1]
    assert (csat(scores).value, csat_mean(scores).value) == (0.6, 3.4)


def test_csat_on_a_seven_point_scale() -> None:
    assert csat([7, 6, 5, 1], scale=7, positive_from=6).value == 0.5


def test_csat_rejects_a_response_on_another_scale() -> None:
    wide = SurveyResponse(kind="csat", score=9, at=T0, scale=(1, 10))
    with pytest.raises(SurveyError, match=r"scale 1..10, expected 1..5"):
        csat([wide])


def test_csat_counts_responses_on_its_scale() -> None:
    answers = [SurveyResponse(kind="csat", score=s, at=T0) for s in (5, 4, 1)] + [None]
    r = csat(answers)
    assert (r.successes, r.n, dict(r.excluded)) == (2, 3, {"no_response": 1})


def test_csat_mean_warns_on_a_wide_interval() -> None:
    assert any(w.startswith("wide interval") for w in csat_mean([1, 5, 1, 5]).warnings)


def test_ces_is_the_mean_and_the_index_the_share_that_agree() -> None:
    scores = [7, 7, 6, 5, 4, 2, 1, 1]
    assert (ces(scores).value, ces_index(scores).value) == (4.125, 0.5)


def test_ces_index_on_a_low_is_easy_scale() -> None:
    assert ces_index([1, 1, 2, 3, 5], scale=5, easy_from=2, higher_is_easier=False).value == 0.6


@given(csat_scores, csat_scores, csat_scores)
def test_score_state_merge_is_associative_commutative_and_equals_the_whole(
    a: list[int | None], b: list[int | None], c: list[int | None]
) -> None:
    def of(xs: list[int | None]) -> ScoreState:
        return ScoreState.of(xs, kind="csat", scale=5)

    sa, sb, sc = of(a), of(b), of(c)
    assert (sa + sb) + sc == sa + (sb + sc)
    assert sa + sb == sb + sa
    assert sa + sb + sc == of(a + b + c)
    if (sa + sb).n:  # an empty result holds nan, which equals nothing
        assert (sa + sb).share_at_least(4) == csat(a + b)


def test_score_states_of_different_scales_do_not_merge() -> None:
    with pytest.raises(Cs8Error, match="cannot merge"):
        ScoreState.empty(kind="csat", scale=5) + ScoreState.empty(kind="csat", scale=7)


def test_nps_breaks_down_by_channel() -> None:
    from cs8.kpi import breakdown

    answers = [
        SurveyResponse(kind="nps", score=s, at=T0, channel=c)
        for s, c in [(10, "email"), (3, "email"), (9, "chat")]
    ]
    rows = breakdown(nps, answers, by="channel").to_dicts()
    assert [(r["channel"], r["value"], r["n"]) for r in rows] == [
        ("chat", 100.0, 1),
        ("email", 0.0, 2),
    ]


def test_csat_threshold_off_the_scale_is_named() -> None:
    with pytest.raises(
        InvalidValueError, match=r"positive_from must be on the scale 1\.\.5, got 6"
    ):
        csat([5], positive_from=6)
