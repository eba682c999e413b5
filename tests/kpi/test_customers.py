"""Tests of cs8.kpi customer KPIs: churn, retention, purchases, order value, LTV, complaints, risk."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Customer, Order, SurveyResponse, Ticket
from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from cs8.kpi._customers import ChurnBy
from cs8.kpi.customers import (
    ChurnRiskModel,
    ComplaintRule,
    average_order_value,
    churn_rate,
    churn_risk,
    complaint_rate,
    historical_ltv,
    predictive_ltv,
    purchase_frequency,
    repeat_purchase_rate,
    retention_rate,
    simple_ltv,
)

DAY = timedelta(days=1)
JAN = datetime(2026, 1, 1, tzinfo=UTC)
FEB = datetime(2026, 2, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _order(
    i: int, customer: str, at: datetime, amount: object = 10, currency: str = "VND"
) -> Order:
    return Order(id=str(i), customer_id=customer, at=at, amount=amount, currency=currency)


# Customers and their order days relative to JAN, for property tests.
day_offsets = st.integers(-120, 60)
customer_specs = st.lists(
    st.tuples(
        st.one_of(st.none(), day_offsets),  # acquired
        st.one_of(st.none(), day_offsets),  # churned
        st.lists(day_offsets, max_size=5),  # orders
    ),
    max_size=12,
)


def _build(
    specs: list[tuple[int | None, int | None, list[int]]],
) -> tuple[list[Customer], list[Order]]:
    customers: list[Customer] = []
    orders: list[Order] = []
    for k, (acq, churn, days) in enumerate(specs):
        cid = f"c{k}"
        customers.append(
            Customer(
                id=cid,
                acquired_at=None if acq is None else JAN + acq * DAY,
                churned_at=None if churn is None else JAN + churn * DAY,
            )
        )
        orders.extend(_order(len(orders), cid, JAN + d * DAY) for d in days)
    return customers, orders


# ------------------------------------------------------------------------------ churn and retention


def test_churn_counts_explicit_churn_over_customers_at_start() -> None:
    people = [
        Customer(id="a", acquired_at=JAN - 40 * DAY),
        Customer(id="b", acquired_at=JAN - 40 * DAY, churned_at=JAN + 8 * DAY),
        Customer(id="c", acquired_at=JAN + 4 * DAY),  # new in the period: excluded
        Customer(id="d", acquired_at=JAN - 90 * DAY, churned_at=JAN - DAY),  # gone before
        Customer(id="e", churned_at=FEB),  # churns at the period's (excluded) end
    ]
    r = churn_rate(people, start=JAN, end=FEB)
    assert (r.successes, r.n) == (1, 3)
    assert dict(r.excluded) == {"acquired_in_period": 1, "churned_before_start": 1}


def test_churn_by_inactivity_counts_customers_whose_last_order_lapsed() -> None:
    window = timedelta(days=30)
    people = [Customer(id=c) for c in "abc"]
    orders = [
        _order(1, "a", JAN - 10 * DAY),  # active at start, no order after: lapses Jan 21 -> lost
        _order(2, "b", JAN - 10 * DAY),
        _order(3, "b", JAN + 20 * DAY),  # active at start and at end -> kept
        _order(4, "c", JAN - 60 * DAY),  # already lapsed at start -> excluded
        _order(5, "c", JAN - 70 * DAY),
    ]
    r = churn_rate(people, start=JAN, end=FEB, orders=orders, by="inactivity", inactivity=window)
    assert (r.successes, r.n, dict(r.excluded)) == (1, 2, {"inactive_at_start": 1})


def test_churn_by_either_counts_explicit_or_inactive() -> None:
    window = timedelta(days=30)
    people = [Customer(id="a", churned_at=JAN + 5 * DAY), Customer(id="b")]
    orders = [_order(1, "a", JAN - DAY), _order(2, "a", JAN + 25 * DAY), _order(3, "b", JAN - DAY)]
    by_either = churn_rate(
        people, start=JAN, end=FEB, orders=orders, by="either", inactivity=window
    )
    by_inactivity = churn_rate(
        people, start=JAN, end=FEB, orders=orders, by="inactivity", inactivity=window
    )
    assert (by_either.successes, by_inactivity.successes) == (2, 1)


def test_churn_by_inactivity_needs_a_window() -> None:
    with pytest.raises(InvalidValueError, match="inactivity must be a positive timedelta"):
        churn_rate([Customer(id="a")], start=JAN, end=FEB, by="inactivity")


def test_churn_rejects_an_empty_period() -> None:
    with pytest.raises(InvalidValueError, match="must be after start"):
        churn_rate([Customer(id="a")], start=FEB, end=JAN)


def test_churn_rejects_a_naive_start() -> None:
    with pytest.raises(NaiveDatetimeError):
        churn_rate([Customer(id="a")], start=datetime(2026, 1, 1), end=FEB)


def _oracle_active(
    acquired: datetime | None, orders: list[datetime], t: datetime, w: timedelta
) -> bool:
    activity = [*orders] + ([acquired] if acquired is not None else [])
    return any(t - w <= u < t for u in activity)


@given(customer_specs, st.integers(1, 60), st.sampled_from(["explicit", "inactivity", "either"]))
def test_churn_matches_a_brute_force_oracle(
    specs: list[tuple[int | None, int | None, list[int]]], window_days: int, by: ChurnBy
) -> None:
    customers, orders = _build(specs)
    window = timedelta(days=window_days)
    state = churn_rate.state(
        customers,
        start=JAN,
        end=FEB,
        orders=orders,
        by=by,
        inactivity=window,
    )
    lost = n = 0
    for c in customers:
        times = [o.at for o in orders if o.customer_id == c.id]
        acquired = c.acquired_at or (min(times) if times else None)
        if acquired is not None and acquired >= JAN:
            continue
        if c.churned_at is not None and c.churned_at < JAN:
            continue
        if by != "explicit" and not _oracle_active(acquired, times, JAN, window):
            continue
        n += 1
        explicit = c.churned_at is not None and c.churned_at < FEB
        lapsed = by != "explicit" and not _oracle_active(acquired, times, FEB, window)
        lost += {"explicit": explicit, "inactivity": lapsed, "either": explicit or lapsed}[by]
    assert (state.successes, state.n) == (lost, n)


@given(customer_specs, st.integers(0, 12))
def test_churn_state_of_customer_partitions_merges_to_the_whole(
    specs: list[tuple[int | None, int | None, list[int]]], cut: int
) -> None:
    customers, orders = _build(specs)
    w = timedelta(days=30)

    def state(cs: list[Customer]) -> object:
        ids = {c.id for c in cs}
        mine = [o for o in orders if o.customer_id in ids]
        return churn_rate.state(cs, start=JAN, end=FEB, orders=mine, by="either", inactivity=w)

    whole = churn_rate.state(
        customers, start=JAN, end=FEB, orders=orders, by="either", inactivity=w
    )
    assert state(customers[:cut]) + state(customers[cut:]) == whole  # type: ignore[operator]


@given(customer_specs)
def test_retention_is_one_minus_churn(
    specs: list[tuple[int | None, int | None, list[int]]],
) -> None:
    customers, orders = _build(specs)
    w = timedelta(days=30)
    churn = churn_rate(customers, start=JAN, end=FEB, orders=orders, by="either", inactivity=w)
    kept = retention_rate(customers, start=JAN, end=FEB, orders=orders, by="either", inactivity=w)
    assert (kept.n, kept.successes) == (churn.n, churn.n - churn.successes)


# ------------------------------------------------------------------------------ purchases

order_specs = st.lists(st.tuples(st.sampled_from("abcde"), st.integers(-5, 40)), max_size=40)


def _orders_of(specs: list[tuple[str, int]]) -> list[Order]:
    return [_order(i, c, JAN + d * DAY) for i, (c, d) in enumerate(specs)]


@given(order_specs)
def test_repeat_purchase_rate_matches_a_counter(specs: list[tuple[str, int]]) -> None:
    counts = Counter(c for c, d in specs if 0 <= d < 31)
    s = repeat_purchase_rate.state(_orders_of(specs), start=JAN, end=FEB)
    assert (s.successes, s.n) == (sum(1 for v in counts.values() if v >= 2), len(counts))


@given(order_specs, st.integers(0, 40))
def test_repeat_purchase_state_merges_over_customer_partitions(
    specs: list[tuple[str, int]], cut: int
) -> None:
    orders = _orders_of(specs)
    left = [o for o in orders if o.customer_id < "c"]
    right = [o for o in orders if o.customer_id >= "c"]
    whole = repeat_purchase_rate.state(orders)
    assert repeat_purchase_rate.state(left) + repeat_purchase_rate.state(right) == whole


def test_repeat_purchase_ignores_refunds() -> None:
    orders = [_order(1, "a", JAN), _order(2, "a", JAN, amount=-10), _order(3, "b", JAN)]
    r = repeat_purchase_rate(orders)
    assert (r.successes, r.n, dict(r.excluded)) == (0, 2, {"refund": 1})


def test_purchase_frequency_is_orders_over_buyers() -> None:
    orders = [_order(i, c, JAN) for i, c in enumerate("aaab")]
    assert purchase_frequency(orders).value == 2.0


def test_purchase_frequency_over_given_customers_counts_zeros() -> None:
    orders = [_order(i, c, JAN) for i, c in enumerate("aaabz")]
    f = purchase_frequency(orders, customers=[Customer(id=c) for c in "abcd"])
    assert (f.value, f.n, dict(f.excluded)) == (1.0, 4, {"other_customer": 1})


# ------------------------------------------------------------------------------ money


def test_average_order_value_is_exact_in_decimal() -> None:
    orders = [_order(i, "a", JAN, amount=a) for i, a in enumerate(["0.10", "0.20", "0.30"])]
    aov = average_order_value(orders)
    assert (aov.value, aov.total, aov.n) == (Decimal("0.2"), Decimal("0.60"), 3)


def test_average_order_value_refuses_mixed_currencies() -> None:
    orders = [_order(1, "a", JAN, currency="VND"), _order(2, "a", JAN, currency="USD")]
    with pytest.raises(InvalidValueError, match="USD, VND; pass currency="):
        average_order_value(orders)


def test_average_order_value_of_one_currency_excludes_the_others() -> None:
    orders = [
        _order(1, "a", JAN, amount=5, currency="USD"),
        _order(2, "a", JAN, amount=100000, currency="VND"),
    ]
    aov = average_order_value(orders, currency="USD")
    assert (aov.value, dict(aov.excluded)) == (Decimal("5"), {"other_currency": 1})


@given(
    st.lists(st.decimals(min_value=0, max_value=10**6, places=2), max_size=30), st.integers(0, 30)
)
def test_order_value_state_merge_equals_the_whole(amounts: list[Decimal], cut: int) -> None:
    orders = [_order(i, "a", JAN, amount=a) for i, a in enumerate(amounts)]
    whole = average_order_value.state(orders, currency="VND")
    halves = average_order_value.state(orders[:cut], currency="VND") + average_order_value.state(
        orders[cut:], currency="VND"
    )
    assert halves == whole
    if amounts:
        assert whole.result().value == sum(amounts, Decimal(0)) / len(amounts)


def test_historical_ltv_nets_refunds_per_customer() -> None:
    orders = [
        _order(1, "a", JAN, amount=100),
        _order(2, "a", JAN + DAY, amount=-40),
        _order(3, "b", JAN, amount=20),
        _order(4, "b", FEB, amount=1000),  # after as_of
    ]
    ltv = historical_ltv(orders, as_of=FEB)
    assert (ltv.value, ltv.n) == (Decimal("40"), 2)


def test_simple_ltv_multiplies_value_frequency_and_lifespan() -> None:
    ltv = simple_ltv(
        average_order_value=Decimal("50"),
        purchase_frequency=4,
        expected_lifespan=timedelta(days=3 * 365),
    )
    assert ltv.value == Decimal("600")


def test_predictive_ltv_measures_its_parts_on_the_period() -> None:
    # 4 purchases of 25 by 2 buyers in half a year: AOV 25, 2 orders per buyer per half year
    # = 4 per year, 2-year lifespan -> 25 x 4 x 2 = 200.
    half_year = timedelta(days=365) / 2
    orders = [_order(i, c, JAN + i * DAY, amount=25) for i, c in enumerate("aabb")]
    ltv = predictive_ltv(
        orders, start=JAN, end=JAN + half_year, expected_lifespan=timedelta(days=730)
    )
    assert (ltv.average_order_value, ltv.purchase_frequency, ltv.value) == (
        Decimal("25"),
        4.0,
        Decimal("200"),
    )


# ------------------------------------------------------------------------------ complaints


def _ticket(
    i: int, customer: str, at: datetime, category: str | None = None, tags: tuple[str, ...] = ()
) -> Ticket:
    return Ticket(
        id=f"T{i}",
        customer_id=customer,
        channel="email",
        created_at=at,
        category=category,
        tags=tags,
    )


def test_complaint_rate_over_tickets_uses_category_or_tag() -> None:
    rule = ComplaintRule(categories={"complaint"}, tags={"escalated"})
    tickets = [
        _ticket(1, "a", JAN, category="complaint"),
        _ticket(2, "a", JAN, tags=("escalated",)),
        _ticket(3, "b", JAN, category="billing"),
        _ticket(4, "b", JAN),
        _ticket(5, "b", FEB, category="complaint"),  # outside the period
    ]
    r = complaint_rate(tickets, rule=rule, start=JAN, end=FEB)
    assert (r.successes, r.n, dict(r.excluded)) == (2, 4, {"outside_period": 1})


def test_complaint_rate_over_customers_counts_each_complainer_once() -> None:
    rule = ComplaintRule(categories={"complaint"})
    tickets = [_ticket(i, "a", JAN, category="complaint") for i in range(3)]
    r = complaint_rate(tickets, rule=rule, customers=[Customer(id=c) for c in "ab"])
    assert (r.successes, r.n) == (1, 2)


def test_complaint_rule_needs_a_category_or_tag() -> None:
    with pytest.raises(InvalidValueError, match="at least one category or tag"):
        ComplaintRule()


# ------------------------------------------------------------------------------ churn risk


def test_churn_risk_hand_computed_case() -> None:
    # window 90 d, horizon 90 d; default weights 0.4 / 0.3 / 0.15 / 0.15.
    orders = [_order(i, "a", NOW - k * DAY) for i, k in enumerate([100, 120, 150, 170, 45])]
    tickets = [
        _ticket(1, "a", NOW - 10 * DAY, category="complaint"),
        _ticket(2, "a", NOW - 20 * DAY, category="complaint"),
        _ticket(3, "a", NOW - 100 * DAY, category="complaint"),
    ]
    responses = [
        SurveyResponse(kind="csat", score=2, at=NOW - 5 * DAY, customer_id="a"),  # 0.25
        SurveyResponse(kind="nps", score=5, at=NOW - 5 * DAY, customer_id="a"),  # 0.5
    ]
    model = ChurnRiskModel(complaint_rule=ComplaintRule(categories={"complaint"}))
    (risk,) = churn_risk(
        [Customer(id="a")],
        orders=orders,
        tickets=tickets,
        responses=responses,
        as_of=NOW,
        model=model,
    )
    # recency 45/90 = 0.5; decline (4 - 1)/4 = 0.75; complaints rise 2 - 1 = 1 -> 1/2 = 0.5;
    # satisfaction 1 - (0.25 + 0.5)/2 = 0.625; the three tickets are still open: unresolved
    # min(1, 3 / 2) = 1 (weight 0.15); no text: no sentiment component.
    # score (0.2 + 0.225 + 0.075 + 0.09375 + 0.15) / 1.15 = 0.74375 / 1.15.
    assert risk.components() == {
        "recency": 0.5,
        "frequency_decline": 0.75,
        "complaints": 0.5,
        "satisfaction": 0.625,
        "negative_sentiment": None,
        "unresolved": 1.0,
    }
    assert risk.score == pytest.approx(0.74375 / 1.15)


def test_churn_risk_skips_customers_who_already_left() -> None:
    people = [Customer(id="a"), Customer(id="b", churned_at=NOW - DAY)]
    assert [r.customer_id for r in churn_risk(people, orders=[], as_of=NOW)] == ["a"]


def test_churn_risk_explains_each_component() -> None:
    (risk,) = churn_risk([Customer(id="a")], orders=[_order(1, "a", NOW - 9 * DAY)], as_of=NOW)
    assert "recency             0.100 x weight 0.40" in risk.explain()


risk_specs = st.lists(st.integers(1, 400), max_size=8)


@given(risk_specs, st.lists(st.integers(1, 5), max_size=3), st.floats(0.1, 10))
def test_churn_risk_score_is_the_weighted_mean_of_its_components_in_0_1(
    order_days: list[int], csat_scores: list[int], scale: float
) -> None:
    orders = [_order(i, "a", NOW - d * DAY) for i, d in enumerate(order_days)]
    responses = [
        SurveyResponse(kind="csat", score=s, at=NOW - DAY, customer_id="a") for s in csat_scores
    ]
    model = ChurnRiskModel(recency_weight=0.4 * scale, frequency_weight=0.3 * scale)
    (risk,) = churn_risk(
        [Customer(id="a")], orders=orders, responses=responses, as_of=NOW, model=model
    )
    used = {k: v for k, v in risk.components().items() if v is not None}
    expected = sum(risk.weights[k] * v for k, v in used.items()) / sum(
        risk.weights[k] for k in used
    )
    assert 0.0 <= risk.score <= 1.0
    assert risk.score == pytest.approx(expected)


@given(risk_specs, st.floats(0.01, 100))
def test_churn_risk_is_unchanged_when_all_weights_scale(order_days: list[int], k: float) -> None:
    orders = [_order(i, "a", NOW - d * DAY) for i, d in enumerate(order_days)]
    base = ChurnRiskModel()
    scaled = ChurnRiskModel(
        recency_weight=base.recency_weight * k,
        frequency_weight=base.frequency_weight * k,
        complaint_weight=base.complaint_weight * k,
        satisfaction_weight=base.satisfaction_weight * k,
    )
    a = churn_risk([Customer(id="a")], orders=orders, as_of=NOW, model=base)[0].score
    b = churn_risk([Customer(id="a")], orders=orders, as_of=NOW, model=scaled)[0].score
    assert a == pytest.approx(b)


@given(risk_specs, st.integers(0, 200))
def test_a_new_recent_order_never_raises_recency(order_days: list[int], new_day: int) -> None:
    orders = [_order(i, "a", NOW - d * DAY) for i, d in enumerate(order_days)]
    before = churn_risk([Customer(id="a")], orders=orders, as_of=NOW)[0]
    more = [*orders, _order(999, "a", NOW - (new_day + 1) * DAY)]
    after = churn_risk([Customer(id="a")], orders=more, as_of=NOW)[0]
    assert after.recency <= before.recency


def test_churn_risk_model_rejects_all_zero_weights() -> None:
    with pytest.raises(InvalidValueError, match="positive weight"):
        ChurnRiskModel(
            recency_weight=0,
            frequency_weight=0,
            complaint_weight=0,
            satisfaction_weight=0,
            alive_weight=0,
            sentiment_weight=0,
            unresolved_weight=0,
        )


def test_churn_risk_model_rejects_a_negative_weight() -> None:
    with pytest.raises(InvalidValueError, match="recency_weight"):
        ChurnRiskModel(recency_weight=-1)


def test_money_result_of_nothing_has_no_value() -> None:
    r = average_order_value([])
    assert (r.value, r.n, math.isnan(r.std)) == (None, 0, True)
