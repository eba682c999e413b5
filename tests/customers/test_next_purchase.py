"""next_purchase_due: the shrinkage estimate against a brute-force computation, and its edges."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime, timedelta
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Order
from cs8.customers import next_purchase_due
from cs8.exceptions import InvalidValueError

T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def orders_on(days: dict[str, list[int]], category: str | None = None) -> list[Order]:
    return [
        Order(
            id=f"{c}{d}{category}",
            customer_id=c,
            at=T0 + timedelta(days=d),
            amount=1,
            category=category,
        )
        for c, ds in days.items()
        for d in ds
    ]


def brute_force(days: dict[str, list[int]], level: float) -> dict[str, tuple[date, date, date]]:
    # The normal-normal model of the module, spelled out step by step.
    logs = {c: [math.log(b - a) for a, b in itertools.pairwise(ds)] for c, ds in days.items()}
    every = [g for gs in logs.values() for g in gs]
    mu0 = sum(every) / len(every)
    within_df = sum(len(gs) - 1 for gs in logs.values() if len(gs) >= 2)
    within_ss = sum(
        sum((g - sum(gs) / len(gs)) ** 2 for g in gs) for gs in logs.values() if len(gs) >= 2
    )
    total = sum((g - mu0) ** 2 for g in every) / (len(every) - 1)
    sigma2 = max(within_ss / within_df if within_df else total, 1e-6)
    means = [(sum(gs) / len(gs), len(gs) / sigma2) for gs in logs.values() if gs]
    q = sum(w * (m - mu0) ** 2 for m, w in means)
    s1, s2 = sum(w for _, w in means), sum(w * w for _, w in means)
    tau2 = max((q - (len(means) - 1)) / (s1 - s2 / s1), 1e-6) if s1 * s1 > s2 else 1e-6
    z = NormalDist().inv_cdf((1 + level) / 2)
    out = {}
    for c, gs in logs.items():
        n = len(gs)
        post_precision = n / sigma2 + 1 / tau2
        m = ((sum(gs) / sigma2) + mu0 / tau2) / post_precision
        s = z * math.sqrt(sigma2 + 1 / post_precision)
        last = date.fromordinal((T0 + timedelta(days=days[c][-1])).date().toordinal())
        out[c] = tuple(last + timedelta(days=max(1, round(math.exp(v)))) for v in (m, m - s, m + s))
    return out  # type: ignore[return-value]


history = st.lists(st.integers(min_value=1, max_value=60), min_size=0, max_size=6).map(
    lambda gaps: [sum(gaps[:i]) for i in range(len(gaps) + 1)]
)


@given(days=st.dictionaries(st.sampled_from("abcdef"), history, min_size=2, max_size=6))
def test_due_dates_equal_the_spelled_out_model(days: dict[str, list[int]]) -> None:
    gap_count = sum(len(ds) - 1 for ds in days.values())
    if gap_count < 2 or sum(1 for ds in days.values() if len(ds) > 1) < 2:
        return
    expected = brute_force(days, 0.8)
    for d in next_purchase_due(orders_on(days), now=NOW):
        assert (d.due, d.low, d.high) == expected[d.customer_id]
        assert d.low <= d.due <= d.high


def test_own_weight_grows_with_the_customer_s_history() -> None:
    days = {"few": [0, 10], "many": [0, 10, 19, 31, 40, 50, 61], "x": [0, 30, 58], "y": [0, 5, 11]}
    due = {d.customer_id: d for d in next_purchase_due(orders_on(days), now=NOW)}
    assert 0 < due["few"].own_weight < due["many"].own_weight < 1


def test_a_single_purchase_gets_the_population_cycle() -> None:
    days = {"a": [0, 7, 14, 21], "b": [0, 9, 16], "one": [40]}
    due = {d.customer_id: d for d in next_purchase_due(orders_on(days), now=NOW)}
    assert due["one"].own_weight == 0.0
    assert due["one"].purchases == 1
    assert due["one"].last_purchase == date(2026, 2, 10)


def test_categories_have_their_own_cycles() -> None:
    milk = orders_on({"a": [0, 7, 14, 21, 28], "b": [0, 6, 13]}, "milk")
    tv = orders_on({"a": [0, 300], "b": [10, 350]}, "tv")
    cat = {o.id: ("milk" if o in milk else "tv") for o in milk + tv}
    due = next_purchase_due(milk + tv, now=NOW, category=lambda o: cat[o.id])
    cycles = {(d.customer_id, d.category): d.cycle.days for d in due}
    assert 6 <= cycles[("a", "milk")] <= 7
    assert cycles[("a", "tv")] > 250


def test_category_true_reads_the_orders_own_category() -> None:
    orders = orders_on({"a": [0, 7, 14, 21, 28], "b": [0, 6, 13]}, "milk")
    orders += orders_on({"a": [0, 300], "b": [10, 350]}, "tv")
    orders += orders_on({"c": [5, 40]})  # no category: its own (customer, None) cycle
    by_field = next_purchase_due(orders, now=NOW, category=True)
    assert by_field == next_purchase_due(orders, now=NOW, category=lambda o: o.category)
    assert {(d.customer_id, d.category) for d in by_field} == {
        ("a", "milk"), ("b", "milk"), ("a", "tv"), ("b", "tv"), ("c", None)
    }  # fmt: skip
    # Without categories the same orders give one cycle per customer.
    assert {d.category for d in next_purchase_due(orders, now=NOW)} == {None}


def test_category_must_be_a_flag_or_a_function() -> None:
    with pytest.raises(InvalidValueError, match="category must be True, False or a function"):
        next_purchase_due(orders_on({"a": [0, 1, 2]}), now=NOW, category="category")  # type: ignore[arg-type]


def test_refunds_and_later_orders_do_not_count() -> None:
    days = {"a": [0, 10, 20], "b": [0, 12, 25]}
    extra = [Order(id="r", customer_id="a", at=T0 + timedelta(days=25), amount=-1),
             Order(id="f", customer_id="a", at=NOW + timedelta(days=1), amount=5)]  # fmt: skip
    due = {d.customer_id: d for d in next_purchase_due(orders_on(days) + extra, now=NOW)}
    assert due["a"].purchases == 3


def test_level_must_be_a_probability() -> None:
    with pytest.raises(InvalidValueError, match="level must be in"):
        next_purchase_due(orders_on({"a": [0, 1, 2]}), now=NOW, level=1.0)
