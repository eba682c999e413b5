"""rfm_segments: scores by rank, R rfm's segments, Vietnamese names and cs8's segments."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Customer, CustomerSegment, Order
from cs8.customers import RFM_SEGMENTS, rfm_segments
from cs8.customers._rfm import _quintiles
from cs8.exceptions import InvalidValueError

NOW = datetime(2026, 7, 1, tzinfo=UTC)


@given(st.lists(st.integers(0, 20), min_size=1, max_size=60))
def test_quintile_scores_follow_rank_and_keep_ties_together(values: list[int]) -> None:
    scores = _quintiles(values)
    n = len(values)
    for v, s in zip(values, scores, strict=True):
        below = sum(1 for w in values if w < v)  # the lowest rank of the tie, from 0
        assert s == 1 + 5 * below // n  # brute force
    for v, w, s, t in ((v, w, s, t) for v, s in zip(values, scores, strict=True)
                       for w, t in zip(values, scores, strict=True)):  # fmt: skip
        if v < w:
            assert s <= t


def test_every_score_combination_gets_r_rfm_s_first_matching_segment() -> None:
    # R rfm, R/rfm-segment.R, rfm_segment(): the first segment whose ranges hold the scores.
    table = [("Champions", 5, 5, 5, 5, 5, 5), ("Potential Loyalist", 3, 5, 3, 5, 2, 5),
             ("Loyal Customers", 2, 4, 2, 4, 2, 4), ("Promising", 3, 4, 1, 3, 3, 5),
             ("New Customers", 4, 5, 1, 3, 1, 5), ("Can't Lose Them", 1, 2, 3, 4, 4, 5),
             ("At Risk", 1, 2, 2, 5, 4, 5), ("Need Attention", 1, 3, 3, 5, 3, 5),
             ("About To Sleep", 2, 3, 1, 3, 1, 4), ("Lost", 1, 1, 1, 5, 1, 5)]  # fmt: skip
    assert [(r.name, *r.recency, *r.frequency, *r.monetary) for r in RFM_SEGMENTS] == table


def test_vietnamese_names_are_composed_unicode_with_diacritics() -> None:
    for rule in RFM_SEGMENTS:
        assert unicodedata.normalize("NFC", rule.vi) == rule.vi
    assert {r.name: r.vi for r in RFM_SEGMENTS}["At Risk"] == "Có nguy cơ rời bỏ"


def _orders(spec: list[tuple[str, int, int, int]]) -> list[Order]:
    return [
        Order(id=f"{c}{k}", customer_id=c, at=NOW - timedelta(days=ago + 30 * k), amount=amount)
        for c, ago, n, amount in spec
        for k in range(n)
    ]


def test_facts_are_r_rfm_s_recency_days_order_count_and_amount() -> None:
    (s,) = rfm_segments(_orders([("a", 3, 2, 100)]), now=NOW)
    # The analysis day is the day of the instant just before ``now``: 30 June for 1 July 00:00.
    assert (s.recency_days, s.frequency, s.monetary) == (2, 2, 200)


def test_cs8_segments_prospect_one_time_repeat_vip() -> None:
    spec = [("a", 2, 6, 900), ("b", 200, 5, 800), ("c", 10, 1, 50), ("d", 90, 2, 100),
            ("e", 40, 3, 300)]  # fmt: skip
    got = {s.customer_id: s.cs8_segment for s in rfm_segments(_orders(spec), now=NOW,
                                                              customers=[Customer(id="p")])}  # fmt: skip
    assert got == {"a": CustomerSegment.VIP, "b": CustomerSegment.VIP,
                   "c": CustomerSegment.ONE_TIME, "d": CustomerSegment.REPEAT,
                   "e": CustomerSegment.REPEAT, "p": CustomerSegment.PROSPECT}  # fmt: skip


def test_refunds_and_later_orders_are_not_purchases() -> None:
    orders = [*_orders([("a", 3, 1, 100)]),
              Order(id="r", customer_id="a", at=NOW - timedelta(days=1), amount=-100),
              Order(id="l", customer_id="a", at=NOW, amount=100)]  # fmt: skip
    (s,) = rfm_segments(orders, now=NOW)
    assert (s.frequency, s.monetary) == (1, 100)


def test_label_refuses_other_languages() -> None:
    (s,) = rfm_segments(_orders([("a", 3, 1, 100)]), now=NOW)
    with pytest.raises(InvalidValueError, match="language must be 'en' or 'vi'"):
        s.label("fr")  # type: ignore[arg-type]
