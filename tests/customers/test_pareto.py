"""Pareto/NBD: CDNOW's published estimates, lifetimes' answers, and numerical stability."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("scipy")

from cs8.customers import (  # noqa: E402
    CustomerSummary,
    ParetoNbd,
    SummaryTable,
    fit_pareto_nbd,
)
from cs8.customers._pareto import pareto_nbd_log_likelihood  # noqa: E402
from tests.customers._cdnow import cdnow_table  # noqa: E402

PUBLISHED = ParetoNbd(r=0.553, alpha=10.578, s=0.606, beta=11.669, unit="week")
C = CustomerSummary(customer_id="a", x=2, t_x=30.43, T=38.86, unit="week")


def test_cdnow_fit_reproduces_the_published_estimates() -> None:
    # Pareto/NBD on CDNOW (Fader, Hardie and Lee 2005): r = 0.553, alpha = 10.578, s = 0.606,
    # beta = 11.669, LL = -9595.0; printed in lifetimes tests/test_estimation.py:339.
    model = fit_pareto_nbd(cdnow_table())
    got = (round(model.r, 3), round(model.alpha, 3), round(model.s, 3), round(model.beta, 3))
    assert got[:3] == (0.553, 10.578, 0.606)
    assert model.beta == pytest.approx(11.669, abs=2e-3)  # beta's likelihood is flat (SE ~6)
    assert round(model.log_likelihood, 1) == -9595.0


def test_answers_match_lifetimes() -> None:
    # lifetimes 0.11.3 ParetoNBDFitter with params_ set to the published values (run beside this
    # code): expected_number_of_purchases_up_to_time(52) = 1.4729968033751073,
    # conditional_expected_number_of_purchases_up_to_time(10, 2, 30.43, 38.86) = 0.42445634101421886,
    # conditional_probability_alive(2, 30.43, 38.86) = 0.8691675591530111, (0, 0, 38.86) =
    # 0.29528660461689443.
    never = CustomerSummary(customer_id="b", x=0, t_x=0, T=38.86, unit="week")
    assert PUBLISHED.new_customer_purchases(timedelta(weeks=52)) == pytest.approx(
        1.4729968033751073, rel=1e-9
    )
    assert PUBLISHED.expected_purchases(C, timedelta(weeks=10)) == pytest.approx(
        0.42445634101421886, rel=1e-9
    )
    assert PUBLISHED.p_alive(C) == pytest.approx(0.8691675591530111, rel=1e-9)
    assert PUBLISHED.p_alive(never) == pytest.approx(0.29528660461689443, rel=1e-9)


def _direct_log_likelihood(
    r: float, alpha: float, s: float, beta: float, x: int, t_x: float, T: float
) -> float:
    # Fader and Hardie (2005), equation (22), computed directly with mpmath-free floats: fine for
    # small x, overflows for large x (which is why the library does not do this).
    from scipy.special import gammaln, hyp2f1

    big = r + s + x

    def f(u: float) -> float:
        if alpha >= beta:
            return float(
                hyp2f1(big, s + 1, big + 1, (alpha - beta) / (alpha + u)) / (alpha + u) ** big
            )
        return float(hyp2f1(big, r + x, big + 1, (beta - alpha) / (beta + u)) / (beta + u) ** big)

    a0 = f(t_x) - f(T)
    head = math.exp(gammaln(r + x) - gammaln(r)) * alpha**r * beta**s
    return math.log(head * (1 / ((alpha + T) ** (r + x) * (beta + T) ** s) + s / big * a0))


@pytest.mark.parametrize(
    "params", [(0.553, 10.578, 0.606, 11.669), (0.5, 12.0, 0.7, 3.0), (1.2, 4.0, 2.0, 4.0)]
)
@pytest.mark.parametrize(
    ("x", "t_x", "T"), [(0, 0.0, 38.86), (1, 1.71, 38.86), (5, 30.0, 38.86), (3, 38.86, 38.86)]
)
def test_stable_log_likelihood_equals_the_direct_formula(
    params: tuple[float, float, float, float], x: int, t_x: float, T: float
) -> None:
    got = pareto_nbd_log_likelihood(np.array(params), np.array([float(x)]), np.array([t_x]),
                                    np.array([T]), np.array([1.0]))  # fmt: skip
    assert got == pytest.approx(_direct_log_likelihood(*params, x, t_x, T), rel=1e-9)


def test_frequent_buyers_do_not_overflow() -> None:
    # Direct evaluation overflows (hyp2f1 ~ inf); the log form stays finite.
    table = SummaryTable.from_arrays(
        x=[900.0, 3000.0], t_x=[30.0, 38.0], T=[38.86, 38.86], unit="week"
    )
    p = np.array([0.553, 10.578, 0.606, 1.669])
    assert math.isfinite(pareto_nbd_log_likelihood(p, table.x, table.t_x, table.T, np.ones(2)))
    assert np.isfinite(PUBLISHED.p_alive(table)).all()
