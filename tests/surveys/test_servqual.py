"""Tests of SERVQUAL responses and gap scoring."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import SurveyError
from cs8.stats import (
    paired_t_test,
)
from cs8.surveys import (
    NOT_APPLICABLE,
    SERVPERF,
    SERVQUAL_1988,
    SERVQUAL_1991,
    SERVQUAL_ITEMS,
    SERVQUAL_THREE_COLUMN,
    Dimension,
    Instrument,
    Item,
    ServqualResponse,
    ZonePosition,
    servqual_breakdown,
    servqual_scores,
)

DIMS = list(Dimension)
POINTS = {"tangibles": 10, "reliability": 30, "responsiveness": 20, "assurance": 20, "empathy": 20}


def test_servqual_items_follow_published_dimension_ranges():
    expected = [Dimension.TANGIBLES] * 4 + [Dimension.RELIABILITY] * 5
    expected += [Dimension.RESPONSIVENESS] * 4 + [Dimension.ASSURANCE] * 4 + [Dimension.EMPATHY] * 5
    assert expected == [it.dimension for it in SERVQUAL_ITEMS]


def test_servqual_items_are_numbered_1_to_22():
    assert list(range(1, 23)) == [it.number for it in SERVQUAL_ITEMS]


def test_every_item_has_a_vietnamese_label():
    assert all(it.label("vi") != it.text for it in SERVQUAL_ITEMS)


def test_1988_reverses_items_10_to_13_and_18_to_22():
    assert [it.number for it in SERVQUAL_1988.items if it.reverse] == [
        10,
        11,
        12,
        13,
        18,
        19,
        20,
        21,
        22,
    ]


def test_wrong_length_names_the_battery():
    with pytest.raises(SurveyError, match="expectations must have 22 answers"):
        ServqualResponse(expectations=[7] * 21, perceptions=[7] * 22)


def test_off_scale_score_names_item_and_respondent():
    with pytest.raises(
        SurveyError, match=r"expectations item 3 must be in 1..7, got 0 .respondent 'r9'"
    ):
        ServqualResponse(
            expectations=[7, 7, 0] + [7] * 19, perceptions=[7] * 22, respondent_id="r9"
        )


def test_fractional_score_is_rejected():
    with pytest.raises(SurveyError, match="perceptions answer 1"):
        ServqualResponse(expectations=[7] * 22, perceptions=[6.5] + [7] * 21)


def test_importance_points_must_sum_to_100():
    with pytest.raises(SurveyError, match=r"sum to 100, got 90 .respondent 'r1'"):
        ServqualResponse(
            expectations=[7] * 22,
            perceptions=[7] * 22,
            importance={**POINTS, "tangibles": 0},
            respondent_id="r1",
        )


def test_importance_names_unknown_dimension():
    with pytest.raises(SurveyError, match="unknown dimension 'price'"):
        ServqualResponse(expectations=[7] * 22, perceptions=[7] * 22, importance={"price": 100})


def test_not_applicable_strings_are_normalized():
    r = ServqualResponse(expectations=["n/a"] + [7] * 21, perceptions=[None] + [7] * 21)
    assert (r.expectations[0], r.perceptions[0]) == (NOT_APPLICABLE, None)


def _resp(e, p, **kw):
    return ServqualResponse(expectations=e, perceptions=p, **kw)


def test_unweighted_is_mean_of_dimensions_not_pooled_items():
    # tangibles (4 items) gap -2, every other dimension 0: dimensions weigh equally (-0.4),
    # pooled over items gives -8/22.
    r = _resp([7] * 22, [5] * 4 + [7] * 18)
    rep = servqual_scores([r])
    assert (pytest.approx(rep.unweighted), pytest.approx(rep.pooled_item_mean)) == (-0.4, -8 / 22)


def test_weighted_divides_points_by_100():
    r = _resp([7] * 22, [5] * 4 + [7] * 18)
    assert pytest.approx(servqual_scores([r], weights={**POINTS, "tangibles": 10}).weighted) == -0.2


def test_weights_must_name_every_dimension():
    r = _resp([7] * 22, [7] * 22)
    with pytest.raises(SurveyError, match="miss dimensions"):
        servqual_scores([r], weights={"tangibles": 100})


def test_weighted_per_respondent_applies_own_points_before_averaging():
    a = _resp(
        [7] * 22,
        [5] * 4 + [7] * 18,
        importance={
            **POINTS,
            "tangibles": 50,
            "reliability": 0,
            "responsiveness": 20,
            "assurance": 15,
            "empathy": 15,
        },
    )
    b = _resp([7] * 22, [7] * 4 + [6] * 5 + [7] * 13, importance=POINTS)
    rep = servqual_scores([a, b])
    assert pytest.approx((0.5 * -2 + 0.3 * -1) / 2) == rep.weighted_per_respondent


def test_1988_reverse_scoring_flips_the_gap_of_negative_items():
    raw_e = [6] * 22
    raw_p = [5] * 22
    rep = servqual_scores([_resp(raw_e, raw_p, instrument=SERVQUAL_1988)])
    assert (rep.item_gaps[0], rep.item_gaps[9]) == (-1.0, 1.0)


def test_gaps_are_paired_per_item():
    a = _resp([None] + [7] * 21, [1] + [7] * 21)
    b = _resp([5] + [7] * 21, [6] + [7] * 21)
    assert servqual_scores([a, b]).item_gaps[0] == 1.0


def test_left_out_answers_are_counted_with_reasons():
    a = _resp([None, "n/a"] + [7] * 20, [1, 2] + [7] * 20)
    rep = servqual_scores([a])
    assert dict(rep.left_out) == {"missing": 1, "not_applicable": 1, "unpaired": 2}


def test_dimension_needs_min_items():
    a = _resp([None, None, 7, 7] + [7] * 18, [1, 1, 5, 7] + [7] * 18)
    b = _resp([7] * 22, [6] * 22)
    rep = servqual_scores([a, b], min_items=3)
    assert (
        rep.dimension_gaps[Dimension.TANGIBLES],
        rep.left_out["dimension_too_few_items"],
    ) == (-1.0, 1)


def test_item_tests_are_paired_t_tests():
    rs = [
        _resp([7, 6, 5, 7] + [7] * 18, [6, 6, 3, 7] + [7] * 18),
        _resp([5] * 22, [6] * 22),
        _resp([4] * 22, [4] * 22),
    ]
    rep = servqual_scores(rs)
    expected = paired_t_test([r.perceptions[0] for r in rs], [r.expectations[0] for r in rs])
    assert expected == rep.item_tests[0]


def test_fulfilment_counts_perception_meeting_expectation():
    r = _resp([7] * 22, [7, 6] + [7] * 20)
    rep = servqual_scores([r])
    assert (rep.dimension_fulfilment[Dimension.TANGIBLES], rep.fulfilment) == (0.75, 21 / 22)


def test_servperf_scores_perceptions_only():
    r = ServqualResponse(instrument=SERVPERF, perceptions=[4] * 4 + [6] * 18)
    rep = servqual_scores([r])
    assert (pytest.approx(rep.servperf), math.isnan(rep.unweighted)) == (5.6, True)


def test_rater_view_orders_dimensions_as_the_mnemonic():
    rep = servqual_scores([_resp([7] * 22, [6] * 22)])
    assert list(rep.rater()) == [
        Dimension.RELIABILITY,
        Dimension.ASSURANCE,
        Dimension.TANGIBLES,
        Dimension.EMPATHY,
        Dimension.RESPONSIVENESS,
    ]


# LibQUAL+ results, "Comparison of ULG libraries for spring 2002 and spring 2003 LibQUAL surveys",
# Lehigh University, http://www.lehigh.edu/~inulg/LibQUAL02-04.htm (1-9 scale; "Gap 1" is the
# adequacy gap, "Gap 2" the superiority gap):
#   AS-3 "Willingness to help users", Institution J: Min 5.70, Des 7.72, Per 6.92, 1.22, -0.80
#   AS-3, Institution K: Min 6.81, Des 7.90, Per 6.85, 0.04, -1.05
#   AS-7 "Employees who are consistently courteous", Institution F: Min 6.90, Des 8.26,
#   Per 6.86, -0.04, -1.40
LIBQUAL_ROWS = [
    (5.70, 7.72, 6.92, 1.22, -0.80, ZonePosition.WITHIN),
    (6.81, 7.90, 6.85, 0.04, -1.05, ZonePosition.WITHIN),
    (6.90, 8.26, 6.86, -0.04, -1.40, ZonePosition.BELOW),
]


def _column(mean):
    # 100 answers on the 1-9 scale whose mean is the published (two-decimal) mean.
    total = round(mean * 100)
    low = total // 100
    highs = total - low * 100
    return [low + 1] * highs + [low] * (100 - highs)


@pytest.mark.parametrize(
    ("minimum", "desired", "perceived", "adequacy", "superiority", "position"), LIBQUAL_ROWS
)
def test_zone_reproduces_published_libqual_rows(
    minimum, desired, perceived, adequacy, superiority, position
):
    rs = [
        ServqualResponse(
            instrument=SERVQUAL_THREE_COLUMN,
            minimum=[m] * 22,
            desired=[d] * 22,
            perceptions=[p] * 22,
        )
        for m, d, p in zip(_column(minimum), _column(desired), _column(perceived))
    ]
    zone = servqual_scores(rs).zone
    assert (adequacy, superiority) == (
        round(zone.adequacy_items[0], 2),
        round(zone.superiority_items[0], 2),
    )
    assert position == zone.item_positions[0]


def _three(m, d, p):
    return ServqualResponse(instrument=SERVQUAL_THREE_COLUMN, minimum=m, desired=d, perceptions=p)


def test_zone_counts_inverted_answers():
    r = _three([8, 8] + [5] * 20, [6, 6] + [8] * 20, [7] * 22)
    zone = servqual_scores([r]).zone
    assert (zone.inverted, zone.inverted_respondents) == (2, 1)


def test_zone_exclude_answer_policy_drops_inverted_items():
    r = _three([8] + [5] * 21, [6] + [8] * 21, [7] * 22)
    zone = servqual_scores([r], inversion_policy="exclude_answer").zone
    assert math.isnan(zone.adequacy_items[0])
    assert zone.adequacy_items[1] == 2.0


def test_zone_max_inversions_drops_respondent():
    bad = _three([8] * 22, [6] * 22, [7] * 22)
    good = _three([5] * 22, [8] * 22, [7] * 22)
    zone = servqual_scores([bad, good], max_inversions=9).zone
    assert (zone.excluded_respondents, zone.adequacy_items[0]) == (1, 2.0)


def test_zone_positions_answers_below_within_above():
    rs = [_three([5] * 22, [8] * 22, [p] * 22) for p in (4, 6, 9)]
    assert servqual_scores(rs).zone.answer_positions[0] == (1, 1, 1)


def test_gap1_compares_manager_and_customer_expectations():
    customers = [_resp([7] * 22, [5] * 22), _resp([6] * 22, [5] * 22)]
    managers = [_resp([5] * 22, [5] * 22)]
    assert servqual_scores(customers, managers=managers).gap1.overall == -1.5


def test_bootstrap_interval_is_seeded():
    rs = [_resp([7] * 22, [v] * 22) for v in (3, 4, 5, 6, 7, 5)]
    a = servqual_scores(rs, bootstrap=200, seed=5).unweighted_ci
    assert a == servqual_scores(rs, bootstrap=200, seed=5).unweighted_ci


def test_wilcoxon_option_fills_item_tests():
    rs = [_resp([7] * 22, [v] * 22) for v in (3, 4, 5, 6, 7, 5)]
    rep = servqual_scores(rs, wilcoxon=True)
    assert rep.item_wilcoxon[0].n == 5


def test_mixed_instruments_are_rejected():
    with pytest.raises(SurveyError, match="different instruments"):
        servqual_scores(
            [_resp([7] * 22, [7] * 22), _resp([7] * 22, [7] * 22, instrument=SERVQUAL_1988)]
        )


def test_breakdown_by_channel_groups_responses():
    rs = [
        _resp([7] * 22, [6] * 22, channel="chat"),
        _resp([7] * 22, [4] * 22, channel="email"),
        _resp([7] * 22, [5] * 22, channel="chat"),
    ]
    b = servqual_breakdown(rs, by="channel")
    assert {k: v.unweighted for k, v in b.groups.items()} == {"chat": -1.5, "email": -3.0}


def test_breakdown_by_month():
    rs = [
        _resp([7] * 22, [6] * 22, date=date(2026, 1, 5)),
        _resp([7] * 22, [6] * 22, date=date(2026, 2, 5)),
    ]
    assert list(servqual_breakdown(rs, by="period").groups) == ["2026-01", "2026-02"]


def test_report_renders_html_table():
    html = servqual_scores([_resp([7] * 22, [6] * 22)])._repr_html_()
    assert html.startswith("<table>")
    assert "<td>tangibles</td>" in html


def test_report_converts_to_pandas():
    pd = pytest.importorskip("pandas")
    df = servqual_scores([_resp([7] * 22, [6] * 22)]).to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 5


def test_report_converts_to_polars():
    pytest.importorskip("polars")
    assert len(servqual_scores([_resp([7] * 22, [6] * 22)]).item_rows()) == 22
    assert servqual_scores([_resp([7] * 22, [6] * 22)]).to_polars().height == 5


def test_custom_instrument_with_custom_dimension():
    inst = Instrument(
        name="Kiosk",
        items=[
            Item(number=1, dimension="ease", text="Easy"),
            Item(number=2, dimension="ease", text="Fast"),
        ],
    )
    rep = servqual_scores(
        [ServqualResponse(instrument=inst, expectations=[6, 6], perceptions=[5, 7])]
    )
    assert dict(rep.dimension_gaps) == {"ease": 0.0}


def test_instrument_json_round_trips():
    assert Instrument.from_json(SERVQUAL_1988.to_json()) == SERVQUAL_1988


def test_markdown_lists_every_item():
    md = SERVQUAL_1991.to_markdown("vi")
    assert sum(1 for line in md.splitlines() if line.startswith("| ") and line[2].isdigit()) == 22


answers = st.lists(st.integers(1, 7), min_size=22, max_size=22)


@given(st.lists(st.tuples(answers, answers), min_size=1, max_size=8))
def test_dimension_gaps_match_brute_force(pairs):
    rs = [_resp(e, p) for e, p in pairs]
    rep = servqual_scores(rs)
    for d in DIMS:
        pos = SERVQUAL_1991.positions(d)
        per = [sum(p[j] - e[j] for j in pos) / len(pos) for e, p in pairs]
        assert sum(per) / len(per) == pytest.approx(rep.dimension_gaps[d])


@given(st.lists(st.tuples(answers, answers), min_size=1, max_size=8))
def test_unweighted_equals_weighted_with_equal_points(pairs):
    rs = [_resp(e, p) for e, p in pairs]
    rep = servqual_scores(rs, weights=dict.fromkeys(DIMS, 20))
    assert rep.unweighted == pytest.approx(rep.weighted)


def _assert_same_test(a, b):
    for name in ("mean", "sd", "ci_low", "ci_high", "t", "p_value", "cohens_dz"):
        x, y = getattr(a, name), getattr(b, name)
        assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y, rel=1e-9, abs=1e-12)


def _row_by_row_dimension_column(cols, min_items, counter, complete=False):
    out = []
    for row in zip(*cols):
        vals = [v for v in row if v is not None]
        out.append(sum(vals) / len(vals) if len(vals) >= max(min_items, 1) else None)
    return out, None


@given(
    st.lists(st.tuples(answers, answers), min_size=2, max_size=6),
    st.sampled_from([SERVQUAL_1991, SERVQUAL_1988]),
)
def test_exact_dimension_tests_match_row_by_row_tests(pairs, instrument):
    import cs8.surveys._servqual as impl

    rs = [_resp(e, p, instrument=instrument) for e, p in pairs]
    fast = servqual_scores(rs)
    original = impl._dimension_column
    impl._dimension_column = _row_by_row_dimension_column
    try:
        slow = servqual_scores(rs)
    finally:
        impl._dimension_column = original
    for d in DIMS:
        _assert_same_test(slow.dimension_tests[d], fast.dimension_tests[d])
    for battery in ("perceptions", "expectations"):
        a, b = getattr(slow, battery), getattr(fast, battery)
        assert dict(a.dimensions) == pytest.approx(dict(b.dimensions))
    flat_slow = [v for row in slow.respondent_dimension_gaps for v in row]
    flat_fast = [v for row in fast.respondent_dimension_gaps for v in row]
    assert flat_slow == pytest.approx(flat_fast)


maybe = st.one_of(st.integers(1, 7), st.none(), st.just("n/a"))
sparse = st.lists(maybe, min_size=22, max_size=22)


@given(st.lists(st.tuples(sparse, sparse), min_size=1, max_size=6), st.integers(1, 3))
def test_missing_answers_match_brute_force(pairs, min_items):
    rs = [_resp(e, p) for e, p in pairs]
    rep = servqual_scores(rs, min_items=min_items)
    ok = [[isinstance(e[j], int) and isinstance(p[j], int) for j in range(22)] for e, p in pairs]
    for j in range(22):
        gaps = [p[j] - e[j] for (e, p), row in zip(pairs, ok) if row[j]]
        expected = sum(gaps) / len(gaps) if gaps else math.nan
        got = rep.item_gaps[j]
        assert (math.isnan(expected) and math.isnan(got)) or expected == pytest.approx(got)
    too_few = 0
    for d in DIMS:
        pos = SERVQUAL_1991.positions(d)
        per = []
        for (e, p), row in zip(pairs, ok):
            vals = [p[j] - e[j] for j in pos if row[j]]
            if len(vals) >= min_items:
                per.append(sum(vals) / len(vals))
            else:
                too_few += 1
        expected = sum(per) / len(per) if per else math.nan
        got = rep.dimension_gaps[d]
        assert (math.isnan(expected) and math.isnan(got)) or expected == pytest.approx(got)
    assert too_few == rep.left_out.get("dimension_too_few_items", 0)
    answers = [v for e, p in pairs for v in (*e, *p)]
    used = 2 * sum(map(sum, ok))
    left = sum(rep.left_out.get(k, 0) for k in ("missing", "not_applicable", "unpaired"))
    assert len(answers) - used == left


def test_digit_strings_are_read_as_scores():
    r = _resp(["7"] * 22, [" 5"] * 22)
    assert (r.expectations[0], r.perceptions[0]) == (7, 5)


def test_unknown_channel_raises_survey_error():
    with pytest.raises(SurveyError, match="channel must be one of"):
        _resp([7] * 22, [7] * 22, channel="kiosk")


def test_welch_test_reproduces_r_sleep_example():
    # R documentation of t.test (stats package): `t.test(extra ~ group, data = sleep)` (Welch)
    # prints t = -1.8608, df = 17.776, p-value = 0.07939.
    # https://stat.ethz.ch/R-manual/R-devel/library/stats/html/t.test.html
    from cs8.surveys._servqual import _welch_p

    g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    assert round(_welch_p(g1, g2), 5) == 0.07939


def test_per_respondent_scores_follow_input_order():
    rs = [
        _resp([7] * 22, [6] * 22, respondent_id="a"),
        _resp([7] * 22, [4] * 22, respondent_id="b"),
    ]
    scores = servqual_scores(rs).respondent_scores()
    assert [(s.respondent_id, s.unweighted) for s in scores] == [("a", -1.0), ("b", -3.0)]


labels = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x1EF9), min_size=1, max_size=12
).filter(str.strip)


@given(
    st.lists(
        st.tuples(labels, st.sampled_from(["tangibles", "ease", "speed"]), st.booleans(), labels),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 3),
    st.integers(1, 9),
)
def test_instrument_json_round_trips_any_instrument(rows, low, span):
    items = [
        Item(number=i, dimension=d, text=t, labels={"vi": vi}, reverse=rev)
        for i, (t, d, rev, vi) in enumerate(rows, start=1)
    ]
    inst = Instrument(name="custom", items=items, scale=(low, low + span))
    assert inst == Instrument.from_json(inst.to_json())


@given(
    sparse,
    sparse,
    st.sampled_from([None, "vip"]),
    st.sampled_from([None, "chat", "email"]),
    st.one_of(st.none(), st.dates()),
)
def test_response_dict_round_trips(e, p, segment, channel, when):
    r = _resp(e, p, segment=segment, channel=channel, date=when, respondent_id="x")
    assert r == ServqualResponse.from_dict(r.to_dict())
