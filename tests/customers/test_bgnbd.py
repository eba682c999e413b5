"""BG/NBD: CDNOW's published estimates, published predictions, holdout, recovery and errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("scipy")

from cs8.customers import (  # noqa: E402
    BgNbd,
    ConvergenceError,
    CustomerSummary,
    SummaryTable,
    calibration_holdout,
    fit_bgnbd,
)
from cs8.exceptions import InvalidValueError  # noqa: E402
from tests.customers._cdnow import (  # noqa: E402
    CALIBRATION_END,
    HOLDOUT_END,
    cdnow_orders,
    cdnow_table,
)

PUBLISHED = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")


@pytest.fixture(scope="module")
def cdnow_fit() -> BgNbd:
    return fit_bgnbd(cdnow_table())


def test_cdnow_fit_reproduces_fader_hardie_lee(cdnow_fit: BgNbd) -> None:
    # Fader, Hardie and Lee (2005), Marketing Science 24(2), section 4: r = 0.243, alpha = 4.414,
    # a = 0.793, b = 2.426, LL = -9582.4; printed in lifetimes tests/test_estimation.py:527 and in
    # R BTYD's BTYD-walkthrough.Rnw:649.
    model = cdnow_fit
    assert (round(model.r, 3), round(model.alpha, 3), round(model.a, 3), round(model.b, 3)) == (
        0.243,
        4.414,
        0.793,
        2.426,
    )
    assert round(model.log_likelihood, 1) == -9582.4
    assert model.n_customers == 2357


def test_cdnow_standard_errors_match_lifetimes(cdnow_fit: BgNbd) -> None:
    # lifetimes docs/Quickstart.md (BetaGeoFitter summary on the same data): se(coef) r 0.012557,
    # alpha 0.378221, a 0.185719, b 0.705345.
    errors = cdnow_fit.standard_errors
    assert errors["r"] == pytest.approx(0.012557, rel=2e-3)
    assert errors["alpha"] == pytest.approx(0.378221, rel=2e-3)
    assert errors["a"] == pytest.approx(0.185719, rel=2e-3)
    assert errors["b"] == pytest.approx(0.705345, rel=2e-3)


def test_conditional_expectation_of_the_hardie_spreadsheet(cdnow_fit: BgNbd) -> None:
    # lifetimes tests/test_estimation.py ("Hardie excel sheet"): x=2, t_x=30.43, T=38.86, t=39 ->
    # 1.226 with the fitted parameters.
    model = cdnow_fit
    c = CustomerSummary(customer_id="a", x=2, t_x=30.43, T=38.86, unit="week")
    assert round(model.expected_purchases(c, timedelta(weeks=39)), 3) == 1.226


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [(0.1429, 0.0078), (1, 0.0532), (3, 0.1506), (31.8571, 1.0405), (32, 1.0437), (78, 1.8576)],
)
def test_unconditional_expectation_matches_published_values(
    cdnow_fit: BgNbd, weeks: float, expected: float
) -> None:
    # lifetimes tests/test_estimation.py (values of FHL's spreadsheet), fitted parameters.
    assert cdnow_fit.new_customer_purchases(timedelta(weeks=weeks)) == pytest.approx(
        expected, abs=6e-4
    )


def test_p_alive_is_one_without_repeat_purchases_and_falls_with_recency() -> None:
    old = CustomerSummary(customer_id="a", x=3, t_x=5.0, T=38.0, unit="week")
    recent = CustomerSummary(customer_id="b", x=3, t_x=37.0, T=38.0, unit="week")
    never = CustomerSummary(customer_id="c", x=0, t_x=0.0, T=38.0, unit="week")
    assert PUBLISHED.p_alive(never) == 1.0
    assert 0 < PUBLISHED.p_alive(old) < PUBLISHED.p_alive(recent) < 1


def test_table_answers_equal_one_by_one_answers() -> None:
    rows = [CustomerSummary(customer_id=str(i), x=x, t_x=t, T=38.86, unit="week")
            for i, (x, t) in enumerate([(0, 0), (2, 30.43), (40, 38.0), (1, 1.71)])]  # fmt: skip
    table = SummaryTable.of(rows)
    together = PUBLISHED.expected_purchases(table, timedelta(weeks=10), start=timedelta(weeks=5))
    one_by_one = [PUBLISHED.expected_purchases(r, timedelta(weeks=10), start=timedelta(weeks=5))
                  for r in rows]  # fmt: skip
    assert together.tolist() == pytest.approx(one_by_one, rel=1e-12)


def test_expected_purchases_over_adjacent_windows_add_up() -> None:
    c = CustomerSummary(customer_id="a", x=5, t_x=30.0, T=38.86, unit="week")
    whole = PUBLISHED.expected_purchases(c, timedelta(weeks=20))
    first = PUBLISHED.expected_purchases(c, timedelta(weeks=8))
    second = PUBLISHED.expected_purchases(c, timedelta(weeks=12), start=timedelta(weeks=8))
    assert first + second == pytest.approx(whole, rel=1e-12)


def test_frequent_buyers_stay_finite() -> None:
    # The hypergeometric term is taken through Euler's transformation: x = 2000 is fine.
    c = CustomerSummary(customer_id="a", x=2000, t_x=38.0, T=38.86, unit="week")
    value = PUBLISHED.expected_purchases(c, timedelta(weeks=39))
    assert np.isfinite(value)
    assert value > 0


def test_holdout_purchases_are_close_to_the_forecast() -> None:
    # Fit on weeks 1-39 of the CDNOW sample and forecast weeks 40-78 (FHL 2005, section 4).
    split = calibration_holdout(cdnow_orders(), split=CALIBRATION_END, now=HOLDOUT_END, unit="week")
    table = SummaryTable.of(h.calibration for h in split)
    actual = np.array([h.purchases for h in split], dtype=float)
    predicted = fit_bgnbd(table).expected_purchases(table, timedelta(weeks=39))
    assert actual.sum() == 1882  # distinct purchase days in weeks 40-78
    assert predicted.sum() == pytest.approx(actual.sum(), rel=0.15)
    # Conditional expectations by calibration frequency (FHL 2005, figure 4): close and rising.
    means = []
    for k in range(8):
        chosen = table.x == k if k < 7 else table.x >= 7
        means.append(predicted[chosen].mean())
        assert predicted[chosen].mean() == pytest.approx(actual[chosen].mean(), rel=0.3)
    assert means == sorted(means)


def _simulate(n: int, r: float, alpha: float, a: float, b: float, T: float) -> SummaryTable:
    # BG/NBD's story: Poisson purchases at rate lambda ~ Gamma(r, alpha); after each purchase the
    # customer drops out with probability p ~ Beta(a, b). A brute-force generator, one by one.
    gen = np.random.default_rng(7)
    rates = gen.gamma(r, 1 / alpha, n)
    drops = gen.beta(a, b, n)
    xs, ts = [], []
    for lam, p in zip(rates, drops, strict=True):
        t, x, last = 0.0, 0, 0.0
        while True:
            t += gen.exponential(1 / lam)
            if t > T:
                break
            x, last = x + 1, t
            if gen.random() < p:
                break
        xs.append(x)
        ts.append(last)
    return SummaryTable.from_arrays(x=xs, t_x=ts, T=[T] * n, unit="day")


def test_fit_recovers_the_parameters_of_simulated_customers() -> None:
    table = _simulate(6000, r=0.8, alpha=20.0, a=0.9, b=3.0, T=120.0)
    model = fit_bgnbd(table)
    for name, truth in {"r": 0.8, "alpha": 20.0, "a": 0.9, "b": 3.0}.items():
        estimate, error = model.params()[name], model.standard_errors[name]
        assert abs(estimate - truth) < 4 * error, (name, estimate, error)


def test_no_repeat_purchases_at_all_is_a_convergence_error_not_a_fit() -> None:
    table = SummaryTable.from_arrays(x=[0] * 50, t_x=[0] * 50, T=[10] * 50, unit="day")
    with pytest.raises(ConvergenceError, match="fit_bgnbd: the maximum is not identified"):
        fit_bgnbd(table)


def test_a_model_in_weeks_refuses_summaries_in_days() -> None:
    c = CustomerSummary(customer_id="a", x=1, t_x=3, T=10, unit="day")
    with pytest.raises(InvalidValueError, match="fitted in weeks but the summaries are in days"):
        PUBLISHED.p_alive(c)


def test_a_bare_number_is_not_a_horizon() -> None:
    c = CustomerSummary(customer_id="a", x=1, t_x=3, T=10, unit="week")
    with pytest.raises(InvalidValueError, match="horizon must be a non-negative timedelta"):
        PUBLISHED.expected_purchases(c, 30)  # type: ignore[call-overload]


def test_expectation_is_continuous_at_a_equal_to_one() -> None:
    c = CustomerSummary(customer_id="a", x=3, t_x=20.0, T=38.86, unit="week")
    at_one = BgNbd(r=0.243, alpha=4.414, a=1.0, b=2.426, unit="week")
    near = [BgNbd(r=0.243, alpha=4.414, a=1.0 + d, b=2.426, unit="week") for d in (-1e-4, 1e-4)]
    value = at_one.expected_purchases(c, timedelta(weeks=39))
    for model in near:
        assert value == pytest.approx(model.expected_purchases(c, timedelta(weeks=39)), rel=1e-3)
