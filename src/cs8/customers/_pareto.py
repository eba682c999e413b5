"""The Pareto/NBD model (Schmittlein, Morrison and Colombo 1987) fitted by maximum likelihood.

While active, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); their
lifetime is exponential with rate mu ~ Gamma(s, beta). The likelihood is that of P. S. Fader and
B. G. S. Hardie, "A Note on Deriving the Pareto/NBD Model and Related Expressions" (2005),
equation (22), whose term A0 holds a Gaussian hypergeometric function ``2F1(A, B; A + 1; z)`` that
overflows for frequent buyers when computed directly. Here it is taken through Pfaff's
transformation, ``2F1(A, B; A + 1; z) = (1 - z)^(-B) 2F1(1, B; A + 1; z / (z - 1))``, whose
second factor lies in (0, 1], so every term is computed as a logarithm and A0, a difference of two
such terms, with ``log1p``; the likelihood then adds its two parts with log-sum-exp.

Example:
    >>> model = ParetoNbd(r=0.553, alpha=10.578, s=0.606, beta=11.669, unit="week")
    >>> c = CustomerSummary(customer_id="a", x=0, t_x=0, T=38.86, unit="week")
    >>> 0 < model.p_alive(c) < 1
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from cs8.customers._summary import CustomerSummary, TimeUnit, _unit
from cs8.customers._table import FittedModel, SummaryTable, numpy, scipy_special
from cs8.customers._transactions import Objective, TransactionModel, fit_transactions

if TYPE_CHECKING:
    from cs8.customers._table import FloatArray

__all__ = ["ParetoNbd", "fit_pareto_nbd"]


def _log_a0(
    params: tuple[float, float, float, float], x: FloatArray, t_x: FloatArray, T: FloatArray
) -> FloatArray:
    """Return log A0 of Fader and Hardie's note (2005), equation (22); -inf where t_x == T."""
    np = numpy()
    hyp2f1 = scipy_special().hyp2f1
    r, alpha, s, beta = params
    big = r + s + x
    b: float | FloatArray
    if alpha >= beta:
        hi, lo, b = alpha, beta, s + 1.0
    else:
        hi, lo, b = beta, alpha, r + x

    def log_term(u: FloatArray) -> FloatArray:
        w = -(hi - lo) / (lo + u)
        return (  # type: ignore[no-any-return]
            -b * (np.log(lo + u) - np.log(hi + u))
            - big * np.log(hi + u)
            + np.log(hyp2f1(1.0, b, big + 1.0, w))
        )

    first, second = log_term(t_x), log_term(T)
    with np.errstate(divide="ignore"):
        return first + np.log1p(-np.exp(np.minimum(second - first, 0.0)))  # type: ignore[no-any-return]


def pareto_nbd_log_likelihood(
    params: FloatArray, x: FloatArray, t_x: FloatArray, T: FloatArray, weights: FloatArray
) -> float:
    """Return the Pareto/NBD log-likelihood of weighted summary rows (Fader and Hardie 2005)."""
    np = numpy()
    gammaln = scipy_special().gammaln
    r, alpha, s, beta = (float(v) for v in params)
    head = gammaln(r + x) - gammaln(r) + r * math.log(alpha) + s * math.log(beta)
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    gone = math.log(s) - np.log(r + s + x) + _log_a0((r, alpha, s, beta), x, t_x, T)
    return float((weights * (head + np.logaddexp(alive, gone))).sum())


@attrs.frozen(kw_only=True, repr=False)
class ParetoNbd(TransactionModel, FittedModel):
    """A fitted (or given) Pareto/NBD model.

    Args:
        r: Shape of the gamma distribution of purchase rates.
        alpha: Scale of the gamma distribution of purchase rates (in ``unit``).
        s: Shape of the gamma distribution of drop-out rates.
        beta: Scale of the gamma distribution of drop-out rates (in ``unit``).
        unit: The time unit the rates are per.
        log_likelihood: The maximised log-likelihood (NaN for given parameters).
        standard_errors: Parameter name to its standard error (from the Hessian).
        n_customers: Customers fitted on.
        iterations: Optimiser iterations.

    Example:
        >>> from datetime import timedelta
        >>> m = ParetoNbd(r=0.553, alpha=10.578, s=0.606, beta=11.669, unit="week")
        >>> round(m.new_customer_purchases(timedelta(weeks=52)), 3)
        1.473
    """

    PARAMETERS = ("r", "alpha", "s", "beta")

    r: float
    alpha: float
    s: float
    beta: float
    unit: TimeUnit = attrs.field(converter=_unit)

    def _log_p_alive(self, x: FloatArray, t_x: FloatArray, T: FloatArray) -> FloatArray:
        np = numpy()
        r, alpha, s, beta = self.r, self.alpha, self.s, self.beta
        log_odds = (
            math.log(s)
            - np.log(r + s + x)
            + (r + x) * np.log(alpha + T)
            + s * np.log(beta + T)
            + _log_a0((r, alpha, s, beta), x, t_x, T)
        )
        return -np.logaddexp(0.0, log_odds)  # type: ignore[no-any-return]

    def _cumulative(self, x: FloatArray, t_x: FloatArray, T: FloatArray, t: float) -> FloatArray:
        np = numpy()
        r, alpha, s, beta = self.r, self.alpha, self.s, self.beta
        if t == 0:
            return np.zeros_like(x)  # type: ignore[no-any-return]
        shrink = np.log(beta + T) - np.log(beta + T + t)  # < 0
        # (1 - ((beta+T)/(beta+T+t))^(s-1)) / (s-1), with its limit -shrink at s == 1
        share = -np.expm1((s - 1.0) * shrink) / (s - 1.0) if abs(s - 1.0) > 1e-9 else -shrink
        rate = (r + x) * (beta + T) / (alpha + T)
        return rate * share * np.exp(self._log_p_alive(x, t_x, T))  # type: ignore[no-any-return]


def fit_pareto_nbd(summaries: Iterable[CustomerSummary] | SummaryTable) -> ParetoNbd:
    """Fit the Pareto/NBD model to purchase summaries by maximum likelihood.

    Args:
        summaries: :class:`CustomerSummary` values or a :class:`SummaryTable`, all in one unit.

    Raises:
        ConvergenceError: If the optimiser does not converge (the message says why).
        InvalidValueError: If there are no summaries or they mix units.
        MissingExtraError: If numpy or scipy is missing (``pip install 'cs8[customers]'``).

    Example:
        >>> from cs8.customers import simulate_bgnbd
        >>> table = simulate_bgnbd(n=3000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39.0, unit="week")
        >>> model = fit_pareto_nbd(table)
        >>> model.unit, model.n_customers, model.log_likelihood < 0
        (TimeUnit.WEEK, 3000, True)
    """

    def likelihood(x: FloatArray, t_x: FloatArray, T: FloatArray, weights: FloatArray) -> Objective:
        return (lambda p: pareto_nbd_log_likelihood(p, x, t_x, T, weights)), None

    return fit_transactions(
        "fit_pareto_nbd", ParetoNbd, ParetoNbd.PARAMETERS, summaries, likelihood
    )
