"""The BG/NBD model (Fader, Hardie and Lee 2005) fitted by maximum likelihood.

While active, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after each
purchase they become inactive with probability p ~ Beta(a, b). The formulas are those of
P. S. Fader, B. G. S. Hardie and K. L. Lee, "'Counting Your Customers' the Easy Way: An Alternative
to the Pareto/NBD Model", Marketing Science 24(2), 275-284 (2005): the log-likelihood of their
equation (6) (written with log-sum-exp), P(alive) of their note "Computing P(alive) Using the
BG/NBD Model" (2008), and the conditional expectation of their equation (10), with its Gaussian
hypergeometric function taken through Euler's transformation
``2F1(a, b; c; z) = (1 - z)^(c - a - b) 2F1(c - a, c - b; c; z)`` so that it stays finite for
customers with many purchases.

Example:
    >>> from datetime import timedelta
    >>> model = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")
    >>> c = CustomerSummary(customer_id="a", x=2, t_x=30.43, T=38.86, unit="week")
    >>> round(model.expected_purchases(c, timedelta(weeks=39)), 3)   # FHL's spreadsheet: 1.226
    1.226
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from cs8.customers._summary import CustomerSummary, TimeUnit, _unit
from cs8.customers._table import FittedModel, SummaryTable, numpy, scipy_special
from cs8.customers._transactions import Objective, TransactionModel, fit_transactions

if TYPE_CHECKING:
    from cs8.customers._table import FloatArray

__all__ = ["BgNbd", "fit_bgnbd"]


@attrs.frozen(kw_only=True, repr=False)
class BgNbd(TransactionModel, FittedModel):
    """A fitted (or given) BG/NBD model.

    Args:
        r: Shape of the gamma distribution of purchase rates.
        alpha: Scale of the gamma distribution of purchase rates (in ``unit``).
        a: First shape of the beta distribution of the drop-out probability.
        b: Second shape of the beta distribution of the drop-out probability.
        unit: The time unit the rates are per.
        log_likelihood: The maximised log-likelihood (NaN for given parameters).
        standard_errors: Parameter name to its standard error (from the Hessian).
        n_customers: Customers fitted on.
        iterations: Optimiser iterations.

    Example:
        >>> from datetime import timedelta
        >>> m = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")
        >>> c = CustomerSummary(customer_id="a", x=0, t_x=0, T=38.86, unit="week")
        >>> m.p_alive(c)
        1.0
        >>> round(m.new_customer_purchases(timedelta(weeks=78)), 3)   # E[X(78)], rounded parameters
        1.861
    """

    PARAMETERS = ("r", "alpha", "a", "b")

    r: float
    alpha: float
    a: float
    b: float
    unit: TimeUnit = attrs.field(converter=_unit)

    def _log_p_alive(self, x: FloatArray, t_x: FloatArray, T: FloatArray) -> FloatArray:
        np = numpy()
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        repeat = x > 0
        log_odds = (
            np.log(a)
            - np.log(b + np.maximum(x, 1.0) - 1.0)
            + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        )
        return np.where(repeat, -np.logaddexp(0.0, log_odds), 0.0)  # type: ignore[no-any-return]

    def _cumulative(self, x: FloatArray, t_x: FloatArray, T: FloatArray, t: float) -> FloatArray:
        np = numpy()
        special = scipy_special()
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        if t == 0:
            return np.zeros_like(x)  # type: ignore[no-any-return]
        z = t / (alpha + T + t)
        c = a + b + x - 1.0
        if abs(a - 1.0) < 1e-7:  # the closed form divides by a - 1; its limit is continuous
            a = 1.0 + 1e-7
        # ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; c; z) = (1-z)^(a-1) 2F1(c-r-x, c-b-x; c; z)
        tail = np.exp((a - 1.0) * np.log1p(-z)) * special.hyp2f1(a + b - 1.0 - r, a - 1.0, c, z)
        value = c / (a - 1.0) * (1.0 - tail)
        return value * np.exp(self._log_p_alive(x, t_x, T))  # type: ignore[no-any-return]


class BgNbdLikelihood:
    """The BG/NBD log-likelihood (FHL 2005, equation 6) of weighted rows, and its gradient.

    The gamma-function terms depend on a row only through ``x``, which takes few distinct values:
    they are computed once per distinct ``x`` and gathered, so a million rows cost a few logs each.
    The gradient is analytic (digamma functions), so the optimiser needs few evaluations.
    """

    def __init__(self, x: FloatArray, t_x: FloatArray, T: FloatArray, weights: FloatArray) -> None:
        np = numpy()
        self.x, self.t_x, self.T, self.weights = x, t_x, T, weights
        self.xs, self.index = np.unique(x, return_inverse=True)
        self.repeat = x > 0

    def _terms(self, params: FloatArray) -> tuple[FloatArray, ...]:
        np = numpy()
        r, alpha, a, b = (float(v) for v in params)
        x = self.x
        log_at = np.log(alpha + self.T)
        log_atx = np.log(alpha + self.t_x)
        a3 = -(r + x) * log_at
        a4 = np.where(
            self.repeat,
            np.log(a) - np.log(b + np.maximum(x, 1.0) - 1.0) - (r + x) * log_atx,
            -np.inf,
        )
        total = np.logaddexp(a3, a4)
        return a3, a4, total, log_at, log_atx

    def __call__(self, params: FloatArray) -> float:
        np = numpy()
        gammaln = scipy_special().gammaln
        r, alpha, a, b = (float(v) for v in params)
        xs = self.xs
        per_x = (
            gammaln(r + xs) - gammaln(r) + r * np.log(alpha)
            + gammaln(a + b) + gammaln(b + xs) - gammaln(b) - gammaln(a + b + xs)
        )  # fmt: skip
        total = self._terms(params)[2]
        return float((self.weights * (per_x[self.index] + total)).sum())

    def gradient(self, params: FloatArray) -> FloatArray:
        """Return the derivatives of the log-likelihood with respect to r, alpha, a, b."""
        np = numpy()
        psi = scipy_special().digamma
        r, alpha, a, b = (float(v) for v in params)
        xs, x, w = self.xs, self.x, self.weights
        a3, a4, total, log_at, log_atx = self._terms(params)
        w3, w4 = np.exp(a3 - total), np.exp(a4 - total)
        d_r = (psi(r + xs) - psi(r) + np.log(alpha))[self.index] - w3 * log_at - w4 * log_atx
        d_alpha = r / alpha - w3 * (r + x) / (alpha + self.T) - w4 * (r + x) / (alpha + self.t_x)
        d_a = (psi(a + b) - psi(a + b + xs))[self.index] + w4 / a
        d_b = (psi(a + b) + psi(b + xs) - psi(b) - psi(a + b + xs))[self.index] - w4 / (
            b + np.maximum(x, 1.0) - 1.0
        )
        return np.array([(w * d).sum() for d in (d_r, d_alpha, d_a, d_b)])  # type: ignore[no-any-return]


def fit_bgnbd(summaries: Iterable[CustomerSummary] | SummaryTable) -> BgNbd:
    """Fit the BG/NBD model to purchase summaries by maximum likelihood.

    Args:
        summaries: :class:`CustomerSummary` values (from :func:`purchase_summary`) or a
            :class:`SummaryTable`, all in one unit.

    Returns:
        The fitted model, with its log-likelihood and standard errors; rates are per the
        summaries' unit.

    Raises:
        ConvergenceError: If the optimiser does not converge (the message says why).
        InvalidValueError: If there are no summaries or they mix units.
        MissingExtraError: If numpy or scipy is missing (``pip install 'cs8[customers]'``).

    Example:
        >>> from cs8.customers import simulate_bgnbd
        >>> table = simulate_bgnbd(n=3000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39.0, unit="week")
        >>> model = fit_bgnbd(table)
        >>> model.unit, model.n_customers, model.log_likelihood < 0
        (TimeUnit.WEEK, 3000, True)
    """

    def likelihood(x: FloatArray, t_x: FloatArray, T: FloatArray, weights: FloatArray) -> Objective:
        found = BgNbdLikelihood(x, t_x, T, weights)
        return found, found.gradient

    return fit_transactions("fit_bgnbd", BgNbd, BgNbd.PARAMETERS, summaries, likelihood)
