"""Purchase summaries: definitions, time zones, the merge law, and CDNOW's published summaries."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Order
from cs8.customers import (
    CustomerSummary,
    PurchaseState,
    TimeUnit,
    calibration_holdout,
    purchase_state,
    purchase_summary,
)
from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from tests._data import shared_file
from tests.customers._cdnow import CALIBRATION_END, HOLDOUT_END, cdnow_orders

T0 = datetime(2026, 3, 2, tzinfo=UTC)


def order(i: int, customer: str, at: datetime, amount: object = 10) -> Order:
    return Order(id=str(i), customer_id=customer, at=at, amount=amount)


def test_summary_counts_repeat_days_recency_and_age_in_weeks() -> None:
    orders = [order(1, "a", T0, 100), order(2, "a", T0 + timedelta(days=7), 60),
              order(3, "a", T0 + timedelta(days=21), 40)]  # fmt: skip
    (s,) = purchase_summary(orders, now=T0 + timedelta(days=29), unit="week")
    assert (s.x, s.t_x, s.T, s.mean_spend, s.unit) == (2, 3.0, 4.0, 50.0, TimeUnit.WEEK)


def test_summary_in_days_has_age_to_the_last_observed_day() -> None:
    (s,) = purchase_summary([order(1, "a", T0)], now=T0 + timedelta(days=10, hours=5))
    assert (s.x, s.t_x, s.T, s.mean_spend) == (0, 0.0, 10.0, None)


def test_orders_on_one_day_are_one_purchase_with_their_spend_summed() -> None:
    orders = [order(1, "a", T0), order(2, "a", T0 + timedelta(days=1, hours=1), 5),
              order(3, "a", T0 + timedelta(days=1, hours=9), 7)]  # fmt: skip
    (s,) = purchase_summary(orders, now=T0 + timedelta(days=3))
    assert (s.x, s.mean_spend) == (1, 12.0)


def test_days_are_local_days_of_the_time_zone() -> None:
    # 23:30 UTC on 2 March is 06:30 on 3 March in Ho Chi Minh City: two purchase days there.
    orders = [order(1, "a", T0 + timedelta(hours=1)), order(2, "a", T0 + timedelta(hours=23.5))]
    now = T0 + timedelta(days=5)
    assert purchase_summary(orders, now=now)[0].x == 0
    assert purchase_summary(orders, now=now, timezone="Asia/Ho_Chi_Minh")[0].x == 1


def test_days_across_a_dst_change_count_as_calendar_days() -> None:
    # New York springs forward on 8 March 2026: 7 to 9 March local is still two days.
    ny = timezone(timedelta(hours=-5))
    orders = [order(1, "a", datetime(2026, 3, 7, 12, tzinfo=ny)),
              order(2, "a", datetime(2026, 3, 9, 12, tzinfo=timezone(timedelta(hours=-4))))]  # fmt: skip
    (s,) = purchase_summary(
        orders, now=datetime(2026, 3, 10, tzinfo=UTC), timezone="America/New_York"
    )
    assert (s.x, s.t_x) == (1, 2.0)


def test_refunds_and_later_orders_are_counted_as_excluded_not_dropped() -> None:
    orders = [order(1, "a", T0), order(2, "a", T0 + timedelta(days=1), -10),
              order(3, "a", T0 + timedelta(days=9))]  # fmt: skip
    state = purchase_state(orders, now=T0 + timedelta(days=5))
    assert dict(state.excluded) == {"after_now": 1, "refund": 1}


def test_mixed_currencies_are_refused_naming_the_order() -> None:
    orders = [order(1, "a", T0), Order(id="2", customer_id="a", at=T0, amount=1, currency="USD")]
    with pytest.raises(InvalidValueError, match="order '2' is in USD"):
        purchase_summary(orders, now=T0 + timedelta(days=1))


def test_unknown_unit_and_naive_now_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="unit must be 'day' or 'week'"):
        purchase_summary([], now=T0, unit="month")
    with pytest.raises(NaiveDatetimeError):
        purchase_summary([], now=datetime(2026, 1, 1))


def test_customer_summary_checks_recency_within_age() -> None:
    with pytest.raises(InvalidValueError, match=r"t_x must be in \[0, T=3\]"):
        CustomerSummary(customer_id="a", x=1, t_x=4, T=3, unit="day")
    with pytest.raises(InvalidValueError, match="t_x must be 0 when x is 0"):
        CustomerSummary(customer_id="a", x=0, t_x=1, T=3, unit="day")


def test_states_with_different_ends_do_not_merge() -> None:
    a = PurchaseState(end=T0.date())
    with pytest.raises(InvalidValueError, match="cannot be merged"):
        a.merge(PurchaseState(end=T0.date() + timedelta(days=1)))


orders_strategy = st.lists(
    st.tuples(
        st.sampled_from("abcd"),
        st.integers(min_value=0, max_value=60 * 24 * 40),  # minutes after T0
        st.integers(min_value=-50, max_value=500),
    ),
    max_size=40,
)


@given(rows=orders_strategy, cuts=st.lists(st.integers(0, 3), max_size=40))
def test_merging_the_states_of_partitions_equals_the_state_of_the_whole(
    rows: list[tuple[str, int, int]], cuts: list[int]
) -> None:
    orders = [
        order(i, c, T0 + timedelta(minutes=m), Decimal(a) / 100) for i, (c, m, a) in enumerate(rows)
    ]
    now = T0 + timedelta(days=30)
    parts: list[list[Order]] = [[], [], [], []]
    for i, o in enumerate(orders):
        parts[cuts[i] if i < len(cuts) else 0].append(o)
    states = [purchase_state(p, now=now, timezone="Asia/Ho_Chi_Minh") for p in parts]
    whole = purchase_state(orders, now=now, timezone="Asia/Ho_Chi_Minh")
    left = states[0].merge(states[1]).merge(states[2].merge(states[3]))
    right = states[3].merge(states[1]).merge(states[0]).merge(states[2])
    assert left == whole
    assert right == whole
    assert left.summaries("week") == whole.summaries("week")


@given(rows=orders_strategy)
def test_summary_matches_a_brute_force_count_of_purchase_days(
    rows: list[tuple[str, int, int]],
) -> None:
    orders = [order(i, c, T0 + timedelta(minutes=m), a) for i, (c, m, a) in enumerate(rows)]
    now = T0 + timedelta(days=30)
    for s in purchase_summary(orders, now=now):
        days = sorted({o.at.date() for o in orders if o.customer_id == s.customer_id
                       and o.amount >= 0 and o.at < now})  # fmt: skip
        assert s.x == len(days) - 1
        assert s.t_x == (days[-1] - days[0]).days
        assert s.T == ((now - timedelta(microseconds=1)).date() - days[0]).days


def test_cdnow_calibration_summaries_equal_the_published_ones() -> None:
    # cdnow_customers_summary_with_transactions.csv (x, t_x, T in weeks to 2 decimals, zbar) is
    # the calibration summary of Fader, Hardie and Lee (2005), as shipped by lifetimes.
    path = shared_file("customers/cdnow/cdnow_customers_summary_with_transactions.csv")
    with path.open(newline="") as handle:
        published = {r["ID"]: r for r in csv.DictReader(handle)}
    split = calibration_holdout(cdnow_orders(), split=CALIBRATION_END, now=HOLDOUT_END, unit="week")
    assert len(split) == len(published) == 2357
    for h in split:
        c, r = h.calibration, published[h.calibration.customer_id]
        assert (c.x, round(c.t_x, 2), round(c.T, 2)) == (
            int(r["x"]),
            float(r["t_x"]),
            float(r["T"]),
        )
        if c.x:
            assert c.mean_spend == pytest.approx(float(r["zbar"]), abs=0.006)
    assert {h.length for h in split} == {39.0}  # weeks 40-78 of the paper
