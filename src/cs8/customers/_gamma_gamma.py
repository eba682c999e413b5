"""The Gamma-Gamma spend model and customer lifetime value with a discount rate.

A customer's purchase values are Gamma(p, nu) with nu ~ Gamma(q, v) across customers (P. S. Fader
and B. G. S. Hardie, "The Gamma-Gamma Model of Monetary Value", 2013, equations 1-5; ``v`` is their
gamma). It is fitted on customers with at least one repeat purchase, from their number of repeat
purchases ``x`` and mean repeat spend; the expected spend of a customer is the weighted mean of the
population mean ``p v / (q - 1)`` and their own mean (equation 5).

Example:
    >>> model = GammaGamma(p=6.25, q=3.74, v=15.44)
    >>> c = CustomerSummary(customer_id="a", x=3, t_x=20, T=30, unit="week", mean_spend=40.0)
    >>> round(model.expected_spend(c), 2)
    39.39
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, overload

import attrs

from cs8.customers._summary import CustomerSummary
from cs8.customers._table import (
    FittedModel,
    SummaryTable,
    columns,
    horizon_in,
    maximise,
    numpy,
    scipy_special,
    shaped,
    table_of,
)
from cs8.customers._transactions import TransactionModel
from cs8.exceptions import InvalidValueError

if TYPE_CHECKING:
    from cs8.customers._table import FloatArray

__all__ = ["GammaGamma", "customer_lifetime_value", "fit_gamma_gamma"]


@attrs.frozen(kw_only=True, repr=False)
class GammaGamma(FittedModel):
    """A fitted (or given) Gamma-Gamma spend model.

    Args:
        p: Shape of a customer's purchase values.
        q: Shape of the gamma distribution of their scale across customers.
        v: Scale of that distribution (Fader and Hardie's gamma).
        log_likelihood: The maximised log-likelihood (NaN for given parameters).
        standard_errors: Parameter name to its standard error (from the Hessian).
        n_customers: Customers fitted on (those with repeat purchases).
        iterations: Optimiser iterations.

    Example:
        >>> round(GammaGamma(p=6.25, q=3.74, v=15.44).population_mean, 2)
        35.22
    """

    PARAMETERS = ("p", "q", "v")

    p: float
    q: float
    v: float

    @property
    def population_mean(self) -> float:
        """The mean purchase value across customers, ``p v / (q - 1)`` (infinite when q <= 1)."""
        return self.p * self.v / (self.q - 1.0) if self.q > 1 else math.inf

    @overload
    def expected_spend(self, customers: CustomerSummary) -> float: ...
    @overload
    def expected_spend(self, customers: SummaryTable) -> FloatArray: ...
    def expected_spend(self, customers: CustomerSummary | SummaryTable) -> float | FloatArray:
        """Return the expected value of a customer's next purchases (equation 5 of the note).

        A customer without repeat purchases gets the population mean.
        """
        np = numpy()
        x, _, _, spend, scalar = columns(customers.unit, customers, "GammaGamma")
        px = self.p * x
        own = np.where(x > 0, np.nan_to_num(spend), 0.0)
        value = self.p * (self.v + x * own) / (px + self.q - 1.0)
        return shaped(value, scalar)  # type: ignore[no-any-return]


def gamma_gamma_log_likelihood(
    params: FloatArray, x: FloatArray, m: FloatArray, weights: FloatArray
) -> float:
    """Return the Gamma-Gamma log-likelihood of weighted ``(x, mean spend)`` rows."""
    np = numpy()
    gammaln = scipy_special().gammaln
    p, q, v = (float(value) for value in params)
    px = p * x
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * math.log(v)
        + (px - 1.0) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(v + m * x)
    )
    return float((weights * ll).sum())


def fit_gamma_gamma(summaries: Iterable[CustomerSummary] | SummaryTable) -> GammaGamma:
    """Fit the Gamma-Gamma model on the customers with repeat purchases.

    Customers with ``x == 0`` carry no spend information and are skipped; a repeat buyer's mean
    spend must be positive.

    Raises:
        ConvergenceError: If the optimiser does not converge.
        InvalidValueError: If no customer has a repeat purchase, or a mean spend is not positive.
        MissingExtraError: If numpy or scipy is missing (``pip install 'cs8[customers]'``).

    Example:
        >>> rows = [CustomerSummary(customer_id=str(i), x=x, t_x=1, T=5, unit="day", mean_spend=m)
        ...         for i, (x, m) in enumerate([(1, 20.0), (3, 35.0), (2, 18.0), (5, 60.0), (1, 9.0)])]
        >>> fit_gamma_gamma(rows).n_customers
        5
    """
    np = numpy()
    table = table_of(summaries)
    buyers = table.x > 0
    x, m = table.x[buyers], table.mean_spend[buyers]
    if x.shape[0] == 0:
        raise InvalidValueError("fit_gamma_gamma: no customer has a repeat purchase")
    bad = ~np.isfinite(m) | (m <= 0)
    if bad.any():
        i = int(np.flatnonzero(buyers)[np.flatnonzero(bad)[0]])
        who = f" (customer {table.customer_ids[i]!r})" if table.customer_ids else ""
        raise InvalidValueError(
            f"fit_gamma_gamma: row {i}{who} has x > 0 and mean_spend {float(table.mean_spend[i])!r}; "
            "it must be a positive number"
        )
    rows, counts = np.unique(np.stack([x, m], axis=1), axis=0, return_counts=True)
    ux, um, weights = rows[:, 0], rows[:, 1], counts.astype(np.float64)
    fitted = maximise(
        "fit_gamma_gamma",
        GammaGamma.PARAMETERS,
        lambda params: gamma_gamma_log_likelihood(params, ux, um, weights),
        float(weights.sum()),
    )
    return GammaGamma(**fitted, n_customers=int(x.shape[0]))


@overload
def customer_lifetime_value(
    customers: CustomerSummary,
    *,
    transactions: TransactionModel,
    spend: GammaGamma,
    horizon: timedelta,
    discount_rate: float,
    period: timedelta = ...,
) -> float: ...
@overload
def customer_lifetime_value(
    customers: SummaryTable,
    *,
    transactions: TransactionModel,
    spend: GammaGamma,
    horizon: timedelta,
    discount_rate: float,
    period: timedelta = ...,
) -> FloatArray: ...
def customer_lifetime_value(
    customers: CustomerSummary | SummaryTable,
    *,
    transactions: TransactionModel,
    spend: GammaGamma,
    horizon: timedelta,
    discount_rate: float,
    period: timedelta = timedelta(days=30),
) -> float | FloatArray:
    """Return the discounted value of each customer's expected purchases over ``horizon``.

    The horizon is cut into periods; period ``i``'s expected purchases (from the transaction
    model, given the customer's history) times the expected spend (Gamma-Gamma) is discounted by
    ``(1 + discount_rate) ** i`` (lifetimes' ``customer_lifetime_value``, with months of 30 days).

    Args:
        customers: One summary or a table.
        transactions: A fitted :class:`BgNbd` or :class:`ParetoNbd`.
        spend: A fitted :class:`GammaGamma`.
        horizon: How far ahead to count; a whole number of periods.
        discount_rate: The discount rate per period (0.01 = 1 % a month).
        period: The discounting period (30 days by default).

    Raises:
        InvalidValueError: If the horizon is not a whole, positive number of periods or the rate
            is negative.

    Example:
        >>> from cs8.customers import BgNbd
        >>> bg = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")
        >>> gg = GammaGamma(p=6.25, q=3.74, v=15.44)
        >>> c = CustomerSummary(customer_id="a", x=2, t_x=30.43, T=38.86, unit="week", mean_spend=30.0)
        >>> round(customer_lifetime_value(c, transactions=bg, spend=gg,
        ...                               horizon=timedelta(days=360), discount_rate=0.01), 2)
        45.01
    """
    if not isinstance(discount_rate, int | float) or not 0 <= discount_rate < math.inf:
        raise InvalidValueError(f"discount_rate must be a number >= 0, got {discount_rate!r}")
    step = horizon_in(transactions.unit, period, "period")
    total = horizon_in(transactions.unit, horizon)
    steps = round(total / step) if step > 0 else 0
    if steps < 1 or abs(steps * step - total) > 1e-9 * max(1.0, total):
        raise InvalidValueError(
            f"horizon {horizon} must be a whole, positive number of periods of {period}"
        )
    np = numpy()
    x, t_x, T, _, scalar = columns(transactions.unit, customers, "customer_lifetime_value")
    value = spend.expected_spend(customers)
    model = transactions
    cumulative = [np.zeros_like(x)]
    cumulative += [model._cumulative(x, t_x, T, i * step) for i in range(1, steps + 1)]
    discounted = np.zeros_like(x)
    for i in range(1, steps + 1):
        discounted += (cumulative[i] - cumulative[i - 1]) / (1.0 + discount_rate) ** i
    return shaped(discounted * value, scalar)  # type: ignore[no-any-return]
