"""What the transaction models (BG/NBD, Pareto/NBD) answer: P(alive) and expected purchases.

Both models share the questions; each supplies the two formulas (:meth:`_log_p_alive` and
:meth:`_cumulative`, expected purchases in ``(T, T + t]``). Both are fitted the same way
(:func:`fit_transactions`): summaries to weighted distinct rows, the likelihood maximised, the model
built from the estimates.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar, overload

from cs8.customers._summary import CustomerSummary, TimeUnit
from cs8.customers._table import (
    SummaryTable,
    columns,
    horizon_in,
    maximise,
    numpy,
    shaped,
    table_of,
)

if TYPE_CHECKING:
    from cs8.customers._table import FloatArray

__all__ = ["TransactionModel", "fit_transactions"]

M = TypeVar("M", bound="TransactionModel")

Objective = tuple[Callable[["FloatArray"], float], Callable[["FloatArray"], "FloatArray"] | None]
"""A log-likelihood of the parameters, and its gradient when known (else numerical)."""


def fit_transactions(
    name: str,
    build: Callable[..., M],
    parameters: tuple[str, ...],
    summaries: Iterable[CustomerSummary] | SummaryTable,
    likelihood: Callable[[FloatArray, FloatArray, FloatArray, FloatArray], Objective],
) -> M:
    """Fit a transaction model by maximum likelihood on the distinct rows of ``summaries``.

    Args:
        name: The fitting function's name, for error messages.
        build: The model class (called with the estimates, ``unit`` and ``n_customers``).
        parameters: The parameters' names, in the likelihood's order.
        summaries: The purchase summaries, all in one unit.
        likelihood: Given the distinct rows ``(x, t_x, T, weights)``, the log-likelihood and its
            gradient.

    Example:
        >>> from cs8.customers import BgNbd, simulate_bgnbd
        >>> from cs8.customers._bgnbd import BgNbdLikelihood
        >>> table = simulate_bgnbd(n=500, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39.0, unit="week")
        >>> def objective(x, t_x, T, w):
        ...     f = BgNbdLikelihood(x, t_x, T, w)
        ...     return f, f.gradient
        >>> fit_transactions("fit", BgNbd, BgNbd.PARAMETERS, table, objective).n_customers
        500
    """
    table = table_of(summaries)
    x, t_x, T, weights = table.unique_rows()
    value, gradient = likelihood(x, t_x, T, weights)
    fitted: dict[str, Any] = maximise(
        name, parameters, value, float(weights.sum()), gradient=gradient
    )
    return build(**fitted, unit=table.unit, n_customers=len(table))


class TransactionModel(abc.ABC):
    """The questions a fitted transaction model answers, for one customer or a whole table.

    Methods take a :class:`CustomerSummary` (and return a float) or a :class:`SummaryTable` (and
    return a numpy array, one value per row). Horizons are :class:`~datetime.timedelta` values,
    converted with the unit the model was fitted in.
    """

    __slots__ = ()

    unit: TimeUnit

    @property
    def _name(self) -> str:
        return type(self).__name__

    @abc.abstractmethod
    def _log_p_alive(self, x: FloatArray, t_x: FloatArray, T: FloatArray) -> FloatArray:
        """Return log P(alive at T) of each row."""

    @abc.abstractmethod
    def _cumulative(self, x: FloatArray, t_x: FloatArray, T: FloatArray, t: float) -> FloatArray:
        """Return the expected purchases of each row in ``(T, T + t]``."""

    @overload
    def p_alive(self, customers: CustomerSummary) -> float: ...
    @overload
    def p_alive(self, customers: SummaryTable) -> FloatArray: ...
    def p_alive(self, customers: CustomerSummary | SummaryTable) -> float | FloatArray:
        """Return the probability that the customer is still active at the end of observation.

        Example:
            >>> from cs8.customers import BgNbd, CustomerSummary
            >>> m = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")
            >>> round(m.p_alive(CustomerSummary(customer_id="a", x=4, t_x=10, T=39, unit="week")), 3)
            0.06
        """
        x, t_x, T, _, scalar = columns(self.unit, customers, self._name)
        return shaped(numpy().exp(self._log_p_alive(x, t_x, T)), scalar)  # type: ignore[no-any-return]

    @overload
    def expected_purchases(
        self, customers: CustomerSummary, horizon: timedelta, *, start: timedelta = ...
    ) -> float: ...
    @overload
    def expected_purchases(
        self, customers: SummaryTable, horizon: timedelta, *, start: timedelta = ...
    ) -> FloatArray: ...
    def expected_purchases(
        self,
        customers: CustomerSummary | SummaryTable,
        horizon: timedelta,
        *,
        start: timedelta = timedelta(0),
    ) -> float | FloatArray:
        """Return the expected purchases in ``(T + start, T + start + horizon]``, given the history.

        ``T`` is the end of observation; ``start=timedelta(0)`` asks about the next ``horizon``.

        Raises:
            InvalidValueError: If a horizon is not a non-negative timedelta, or the summaries are
                in another unit.

        Example:
            >>> from cs8.customers import BgNbd, CustomerSummary
            >>> m = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")
            >>> c = CustomerSummary(customer_id="a", x=2, t_x=30.43, T=38.86, unit="week")
            >>> round(m.expected_purchases(c, timedelta(weeks=13), start=timedelta(weeks=26)), 3)
            0.364
        """
        x, t_x, T, _, scalar = columns(self.unit, customers, self._name)
        t0 = horizon_in(self.unit, start, "start")
        t1 = t0 + horizon_in(self.unit, horizon)
        later = self._cumulative(x, t_x, T, t1)
        value = later - self._cumulative(x, t_x, T, t0) if t0 else later
        return shaped(value, scalar)  # type: ignore[no-any-return]

    def new_customer_purchases(self, horizon: timedelta) -> float:
        """Return E[X(t)]: the purchases a new customer is expected to make in ``(0, horizon]``.

        Raises:
            InvalidValueError: If ``horizon`` is not a non-negative timedelta.

        Example:
            >>> from cs8.customers import BgNbd
            >>> m = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")
            >>> round(m.new_customer_purchases(timedelta(weeks=1)), 4)
            0.0533
        """
        np = numpy()
        zero = np.zeros(1)
        return float(self._cumulative(zero, zero, zero, horizon_in(self.unit, horizon))[0])
