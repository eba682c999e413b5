"""Gamma-Gamma and CLV: CDNOW's published estimates and lifetimes' answers."""

from __future__ import annotations

from datetime import timedelta

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("scipy")

from cs8.customers import (  # noqa: E402
    BgNbd,
    CustomerSummary,
    GammaGamma,
    SummaryTable,
    customer_lifetime_value,
    fit_gamma_gamma,
)
from cs8.exceptions import InvalidValueError  # noqa: E402
from tests.customers._cdnow import cdnow_table  # noqa: E402

PUBLISHED = GammaGamma(p=6.25, q=3.74, v=15.44)
BG = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")


def test_cdnow_fit_reproduces_fader_hardie() -> None:
    # Fader and Hardie (2013), "The Gamma-Gamma Model of Monetary Value", on CDNOW's 946 repeat
    # buyers: p = 6.25, q = 3.74, gamma = 15.44; printed in lifetimes tests/test_estimation.py:178.
    model = fit_gamma_gamma(cdnow_table())
    assert (round(model.p, 2), round(model.q, 2)) == (6.25, 3.74)
    assert model.v == pytest.approx(15.44, abs=0.01)  # 15.4478: the paper truncates
    assert model.n_customers == 946


def test_expected_spend_matches_lifetimes() -> None:
    # lifetimes 0.11.3 conditional_expected_average_profit(3, 40) with the published parameters.
    c = CustomerSummary(customer_id="a", x=3, t_x=2, T=38.86, unit="week", mean_spend=40.0)
    assert PUBLISHED.expected_spend(c) == pytest.approx(39.390414146114466, rel=1e-12)


def test_a_customer_without_repeat_purchases_gets_the_population_mean() -> None:
    c = CustomerSummary(customer_id="a", x=0, t_x=0, T=38.86, unit="week")
    assert PUBLISHED.expected_spend(c) == pytest.approx(6.25 * 15.44 / 2.74)


def test_clv_matches_lifetimes() -> None:
    # lifetimes 0.11.3 GammaGammaFitter.customer_lifetime_value(bgf, ..., time=12,
    # discount_rate=0.01, freq="W") (12 months of 4.345 weeks): [45.52141815, 4.33564043].
    table = SummaryTable.from_arrays(x=[2, 1], t_x=[30.43, 1.71], T=[38.86, 38.86],
                                     mean_spend=[30.0, 10.0], unit="week")  # fmt: skip
    month = timedelta(weeks=4.345)
    clv = customer_lifetime_value(table, transactions=BG, spend=PUBLISHED, horizon=12 * month,
                                  period=month, discount_rate=0.01)  # fmt: skip
    assert clv.tolist() == pytest.approx([45.52141815, 4.33564043], rel=1e-8)


def test_clv_without_discount_is_expected_purchases_times_spend() -> None:
    c = CustomerSummary(customer_id="a", x=2, t_x=30.43, T=38.86, unit="week", mean_spend=30.0)
    year = timedelta(days=360)
    clv = customer_lifetime_value(
        c, transactions=BG, spend=PUBLISHED, horizon=year, discount_rate=0.0
    )
    assert clv == pytest.approx(BG.expected_purchases(c, year) * PUBLISHED.expected_spend(c))


def test_clv_horizon_must_be_whole_periods() -> None:
    c = CustomerSummary(customer_id="a", x=2, t_x=30.43, T=38.86, unit="week", mean_spend=30.0)
    with pytest.raises(InvalidValueError, match="whole, positive number of periods"):
        customer_lifetime_value(c, transactions=BG, spend=PUBLISHED, horizon=timedelta(days=45),
                                discount_rate=0.01)  # fmt: skip


def test_a_repeat_buyer_without_spend_is_refused_by_name() -> None:
    table = SummaryTable.from_arrays(x=[1, 2], t_x=[1, 2], T=[5, 5], mean_spend=[10.0, 0.0],
                                     unit="day", customer_ids=["a", "b"])  # fmt: skip
    with pytest.raises(InvalidValueError, match=r"row 1 \(customer 'b'\)"):
        fit_gamma_gamma(table)
