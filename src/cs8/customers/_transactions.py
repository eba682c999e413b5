"""What the transaction models (BG/NBD, Pareto/NBD) answer: P(alive) and expected purchases.

Both models share the questions; each supplies the two formulas (:meth:`_log_p_alive` and
:meth:`_cumulative`, expected purchases in ``(T, T + t]``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, overload

from cs8.customers._summary import CustomerSummary, TimeUnit
from cs8.customers._table import SummaryTable, columns, horizon_in, numpy, shaped

if TYPE_CHECKING:
    from cs8.customers._table import FloatArray

__all__ = ["TransactionModel"]


class TransactionModel:
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

    def _log_p_alive(self, x: FloatArray, t_x: FloatArray, T: FloatArray) -> FloatArray:
        raise NotImplementedError

    def _cumulative(
        self, x: FloatArray, t_x: FloatArray, T: FloatArray, t: float
    ) -> FloatArray:  # expected purchases in (T, T + t]
        raise NotImplementedError

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
