"""cs8.kpi.churn_risk takes P(alive) from a customer-base model as a component."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Customer, Order
from cs8.exceptions import InvalidValueError
from cs8.kpi.customers import ChurnRiskModel, churn_risk

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ORDERS = [Order(id=str(k), customer_id="a", at=NOW - timedelta(days=d), amount=10)
          for k, d in enumerate([100, 120, 150, 170, 45])]  # fmt: skip


def test_not_alive_is_one_minus_p_alive_and_weighs_alive_weight() -> None:
    (base,) = churn_risk([Customer(id="a")], orders=ORDERS, as_of=NOW)
    (risk,) = churn_risk([Customer(id="a")], orders=ORDERS, as_of=NOW, p_alive={"a": 0.2})
    # recency 45/90 = 0.5 (weight 0.4), decline 0.75 (0.3), not_alive 0.8 (0.3):
    # (0.2 + 0.225 + 0.24) / 1.0 = 0.665.
    assert risk.not_alive == pytest.approx(0.8)
    assert risk.score == pytest.approx(0.665)
    assert base.score == pytest.approx((0.2 + 0.225) / 0.7)
    assert "not_alive           0.800 x weight 0.30" in risk.explain()


def test_without_p_alive_the_component_is_absent() -> None:
    (risk,) = churn_risk([Customer(id="a")], orders=ORDERS, as_of=NOW, p_alive={"b": 0.5})
    assert risk.not_alive is None
    assert "not_alive" not in risk.components()


def test_alive_weight_is_configurable() -> None:
    model = ChurnRiskModel(alive_weight=0.0)
    (risk,) = churn_risk(
        [Customer(id="a")], orders=ORDERS, as_of=NOW, p_alive={"a": 0.0}, model=model
    )
    assert risk.score == pytest.approx((0.2 + 0.225) / 0.7)


def test_p_alive_must_be_a_probability() -> None:
    with pytest.raises(InvalidValueError, match=r"p_alive\['a'\] must be a probability"):
        churn_risk([Customer(id="a")], orders=ORDERS, as_of=NOW, p_alive={"a": 1.5})


def test_p_alive_from_a_fitted_model_feeds_the_score() -> None:
    pytest.importorskip("scipy")
    from cs8.customers import BgNbd, SummaryTable, purchase_summary

    table = SummaryTable.of(purchase_summary(ORDERS, now=NOW, unit="week"))
    model = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")
    alive = dict(zip(table.customer_ids or (), model.p_alive(table).tolist(), strict=True))
    (risk,) = churn_risk([Customer(id="a")], orders=ORDERS, as_of=NOW, p_alive=alive)
    assert risk.not_alive == pytest.approx(1 - alive["a"])
