"""Purchase summaries as columns (numpy arrays), and the maximum-likelihood machinery of the models.

The models read summaries as arrays so that a million customers fit in seconds: rows with the same
``(x, t_x, T)`` are fitted once with their count as a weight (a shop's summaries in whole days repeat
a lot), and every log-likelihood is one vectorised numpy expression.

numpy and scipy are optional (``pip install 'cs8[customers]'``); they are imported when a model is
fitted or asked, never when :mod:`cs8` is imported.

Example:
    >>> table = SummaryTable.from_arrays(x=[0, 2], t_x=[0.0, 30.43], T=[38.86, 38.86], unit="week")
    >>> len(table), table.unit
    (2, TimeUnit.WEEK)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from cs8._display import DictReprMixin, DictsReprMixin
from cs8._frozen import FrozenDict
from cs8._optional import require
from cs8.customers._summary import CustomerSummary, TimeUnit, _unit
from cs8.exceptions import ConvergenceError, InvalidValueError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

__all__ = ["FittedModel", "SummaryTable"]


def numpy() -> ModuleType:
    """Return numpy, or raise :class:`~cs8.exceptions.MissingExtraError` naming ``cs8[customers]``."""
    return require("numpy", "customers", "cs8.customers models")


def scipy_special() -> ModuleType:
    """Return ``scipy.special`` (the gamma and hypergeometric functions)."""
    return require("scipy.special", "customers", "cs8.customers models")


def _as_float(values: Any, name: str) -> FloatArray:
    np = numpy()
    out = np.asarray(values, dtype=np.float64)
    if out.ndim != 1:
        raise InvalidValueError(
            f"SummaryTable.{name} must be one-dimensional, got shape {out.shape}"
        )
    return out  # type: ignore[no-any-return]


def _first_bad(mask: Any) -> int:
    return int(numpy().flatnonzero(mask)[0])


@attrs.frozen(kw_only=True, eq=False, repr=False)
class SummaryTable(DictsReprMixin):
    """Purchase summaries as columns: the form the models fit and predict on.

    A result of the display layer (:mod:`cs8._display`): ``to_dicts()`` gives one row per
    customer, and text, HTML, Markdown and dataframes derive from it; the repr is one line and a
    notebook shows the first 20 customers, never the whole table.

    Attributes:
        x: Repeat purchases per customer.
        t_x: Recency per customer, in ``unit``.
        T: Age per customer, in ``unit``.
        mean_spend: Mean repeat spend per customer (NaN when ``x == 0``).
        unit: The unit of ``t_x`` and ``T``.
        customer_ids: The customers, in row order, when known.

    Example:
        >>> from cs8.customers import CustomerSummary
        >>> rows = [CustomerSummary(customer_id="a", x=1, t_x=2.0, T=5.0, unit="day", mean_spend=9.0)]
        >>> table = SummaryTable.of(rows)
        >>> table.mean_spend.tolist()
        [9.0]
        >>> table
        <SummaryTable: 1 customer, t_x and T in days; 1 rows>
        >>> print(table)
        1 customer, t_x and T in days
        customer_id  x  t_x  T  mean_spend
        a            1  2    5  9
    """

    __repr__ = DictsReprMixin._short_repr

    x: FloatArray
    t_x: FloatArray
    T: FloatArray
    mean_spend: FloatArray
    unit: TimeUnit
    customer_ids: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def _title(self) -> str:
        n = len(self)
        return f"{n:,} customer{'' if n == 1 else 's'}, t_x and T in {self.unit.value}s"

    def to_dicts(self) -> list[dict[str, object]]:
        """Return one row per customer: ``customer_id`` (when known), ``x``, ``t_x``, ``T``, spend.

        ``x`` is an integer; ``mean_spend`` is NaN for customers without repeat purchases (``-``
        in text, ``None`` in JSON).

        Example:
            >>> table = SummaryTable.from_arrays(x=[0, 2], t_x=[0, 3.5], T=[4, 4], unit="week")
            >>> table.to_dicts()[1]
            {'x': 2, 't_x': 3.5, 'T': 4.0, 'mean_spend': nan}
        """
        columns = zip(
            (int(v) for v in self.x.tolist()),
            self.t_x.tolist(),
            self.T.tolist(),
            self.mean_spend.tolist(),
            strict=True,
        )
        rows: list[dict[str, object]] = [
            {"x": x, "t_x": t_x, "T": t, "mean_spend": spend} for x, t_x, t, spend in columns
        ]
        if self.customer_ids is not None:
            rows = [
                {"customer_id": c, **row} for c, row in zip(self.customer_ids, rows, strict=True)
            ]
        return rows

    @classmethod
    def of(cls, summaries: Iterable[CustomerSummary]) -> SummaryTable:
        """Return the table of :class:`CustomerSummary` values (all in one unit).

        Raises:
            InvalidValueError: If the summaries mix units or there are none.
        """
        rows = list(summaries)
        if not rows:
            raise InvalidValueError("SummaryTable.of: no customer summaries given")
        unit = rows[0].unit
        for row in rows:
            if row.unit is not unit:
                raise InvalidValueError(
                    f"SummaryTable.of: customer {row.customer_id!r} is summarised in "
                    f"{row.unit.value}s, earlier customers in {unit.value}s"
                )
        nan = math.nan
        return cls.from_arrays(
            x=[r.x for r in rows],
            t_x=[r.t_x for r in rows],
            T=[r.T for r in rows],
            mean_spend=[nan if r.mean_spend is None else r.mean_spend for r in rows],
            unit=unit,
            customer_ids=[r.customer_id for r in rows],
        )

    @classmethod
    def from_arrays(
        cls,
        *,
        x: Sequence[float] | FloatArray,
        t_x: Sequence[float] | FloatArray,
        T: Sequence[float] | FloatArray,
        unit: TimeUnit | str,
        mean_spend: Sequence[float] | FloatArray | None = None,
        customer_ids: Sequence[str] | None = None,
    ) -> SummaryTable:
        """Return a table from columns (lists or numpy arrays), checked like :class:`CustomerSummary`.

        Raises:
            InvalidValueError: If the columns differ in length, or a row breaks ``x >= 0``,
                ``0 <= t_x <= T`` or ``t_x == 0`` when ``x == 0`` (the message names the row).

        Example:
            >>> SummaryTable.from_arrays(x=[0], t_x=[1.0], T=[2.0], unit="day")
            Traceback (most recent call last):
            ...
            cs8.exceptions.InvalidValueError: SummaryTable row 0: t_x must be 0 when x is 0, got 1.0
        """
        np = numpy()
        xs, rs, ts = _as_float(x, "x"), _as_float(t_x, "t_x"), _as_float(T, "T")
        spend = (
            np.full(xs.shape, np.nan) if mean_spend is None else _as_float(mean_spend, "mean_spend")
        )
        n = xs.shape[0]
        if not rs.shape[0] == ts.shape[0] == spend.shape[0] == n:
            raise InvalidValueError("SummaryTable: x, t_x, T and mean_spend must have one length")
        ids = None if customer_ids is None else tuple(customer_ids)
        if ids is not None and len(ids) != n:
            raise InvalidValueError("SummaryTable: customer_ids must have one id per row")
        checks: tuple[tuple[Any, str, FloatArray], ...] = (
            (
                ~np.isfinite(xs) | (xs < 0) | (xs != np.floor(xs)),
                "x must be a whole number >= 0",
                xs,
            ),
            (~np.isfinite(ts) | (ts < 0), "T must be a finite number >= 0", ts),
            (~np.isfinite(rs) | (rs < 0) | (rs > ts), "t_x must be in [0, T]", rs),
            ((xs == 0) & (rs != 0), "t_x must be 0 when x is 0", rs),
        )
        for bad, message, column in checks:
            if bad.any():
                i = _first_bad(bad)
                who = f" (customer {ids[i]!r})" if ids is not None else ""
                raise InvalidValueError(
                    f"SummaryTable row {i}{who}: {message}, got {float(column[i])!r}"
                )
        return cls(x=xs, t_x=rs, T=ts, mean_spend=spend, unit=_unit(unit), customer_ids=ids)

    def unique_rows(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Return the distinct ``(x, t_x, T)`` rows and how many customers share each.

        Example:
            >>> t = SummaryTable.from_arrays(x=[0, 0, 1], t_x=[0, 0, 1], T=[3, 3, 3], unit="day")
            >>> [c.tolist() for c in t.unique_rows()]
            [[0.0, 1.0], [0.0, 1.0], [3.0, 3.0], [2.0, 1.0]]
        """
        np = numpy()
        stacked = np.stack([self.x, self.t_x, self.T], axis=1)
        rows, counts = np.unique(stacked, axis=0, return_counts=True)
        return rows[:, 0], rows[:, 1], rows[:, 2], counts.astype(np.float64)


@attrs.frozen(kw_only=True, repr=False)
class FittedModel(DictReprMixin):
    """What every fitted model carries besides its parameters.

    A one-record result of the display layer (:mod:`cs8._display`): ``to_dict()`` gives the
    parameters, then how they were fitted; text, HTML, Markdown, JSON and dataframes (one row,
    ``standard_errors.<name>`` columns) derive from it.

    Attributes:
        log_likelihood: The maximised log-likelihood (NaN for given parameters).
        standard_errors: Parameter name to its standard error (from the Hessian).
        n_customers: Customers fitted on.
        iterations: Optimiser iterations.
    """

    PARAMETERS: ClassVar[tuple[str, ...]] = ()

    log_likelihood: float = math.nan
    standard_errors: FrozenDict[str, float] = attrs.field(factory=FrozenDict)
    n_customers: int = 0
    iterations: int = 0

    def params(self) -> dict[str, float]:
        """Return the parameters by name, in the model's order.

        Example:
            >>> from cs8.customers import GammaGamma
            >>> GammaGamma(p=6.25, q=3.74, v=15.44).params()
            {'p': 6.25, 'q': 3.74, 'v': 15.44}
        """
        return {name: getattr(self, name) for name in self.PARAMETERS}

    def _fields(self) -> list[str]:
        # The parameters and their unit first, then how they were fitted.
        first = [*self.PARAMETERS, *(["unit"] if hasattr(self, "unit") else [])]
        return first + [a.name for a in attrs.fields(type(self)) if a.name not in first]

    def to_dict(self) -> dict[str, object]:
        """Return the parameters by name, then the unit (if any) and the fit's figures.

        Example:
            >>> from cs8.customers import GammaGamma
            >>> record = GammaGamma(p=6.25, q=3.74, v=15.44, n_customers=3).to_dict()
            >>> list(record), record["v"], record["standard_errors"]
            (['p', 'q', 'v', 'log_likelihood', 'standard_errors', 'n_customers', 'iterations'], 15.44, {})
            >>> print(GammaGamma(p=6.25, q=3.74, v=15.44))
            GammaGamma (given parameters)
              p               6.25
              q               3.74
              v               15.44
              log_likelihood  -
              n_customers     0
              iterations      0
        """
        out = {name: getattr(self, name) for name in self._fields()}
        out["standard_errors"] = dict(self.standard_errors)
        return out

    def _title(self) -> str:
        n = self.n_customers
        fitted = f"fitted on {n:,} customer{'' if n == 1 else 's'}" if n else "given parameters"
        return f"{type(self).__name__} ({fitted})"

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields())
        return f"{type(self).__name__}({shown})"


def table_of(summaries: Iterable[CustomerSummary] | SummaryTable) -> SummaryTable:
    """Return ``summaries`` as a :class:`SummaryTable` (a table is returned as it is)."""
    return summaries if isinstance(summaries, SummaryTable) else SummaryTable.of(summaries)


def _hessian(f: Callable[[FloatArray], float], point: FloatArray) -> FloatArray:
    """Return the Hessian of ``f`` at ``point`` by central differences (relative steps)."""
    np = numpy()
    k = point.shape[0]
    h = 1e-4 * np.maximum(np.abs(point), 1e-2)
    out = np.empty((k, k))
    f0 = f(point)
    for i in range(k):
        for j in range(i, k):
            if i == j:
                up, down = point.copy(), point.copy()
                up[i] += h[i]
                down[i] -= h[i]
                out[i, i] = (f(up) - 2 * f0 + f(down)) / h[i] ** 2
                continue
            corners = []
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                p = point.copy()
                p[i] += si * h[i]
                p[j] += sj * h[j]
                corners.append(f(p))
            out[i, j] = out[j, i] = (corners[0] - corners[1] - corners[2] + corners[3]) / (
                4 * h[i] * h[j]
            )
    return out  # type: ignore[no-any-return]


def _search(
    optimize: ModuleType,
    negative: Callable[[FloatArray], float],
    start: FloatArray,
    slope: Callable[[FloatArray], FloatArray] | None,
) -> Any:
    # BFGS on the mean log-likelihood, with the model's analytic gradient when it has one, else
    # central differences: on CDNOW it stops where lifetimes' autograd gradients do (6 digits).
    return optimize.minimize(
        negative,
        start,
        method="BFGS",
        jac="3-point" if slope is None else slope,
        options={"maxiter": 2000, "gtol": 1e-8},
    )


def maximise(
    model: str,
    names: tuple[str, ...],
    log_likelihood: Callable[[FloatArray], float],
    n: float,
    *,
    gradient: Callable[[FloatArray], FloatArray] | None = None,
) -> dict[str, Any]:
    """Maximise ``log_likelihood`` over positive parameters.

    Returns:
        The keyword arguments of a :class:`FittedModel`: the estimates by name,
        ``log_likelihood``, ``standard_errors`` and ``iterations``.

    The search runs on the logarithms of the parameters (so they stay positive) with BFGS on the
    mean log-likelihood over ``n`` customers, from all parameters equal to one (lifetimes' start). Standard errors come from the inverse of
    the Hessian of the negative log-likelihood at the maximum.

    Raises:
        ConvergenceError: If the optimiser stops without converging, the likelihood is not
            finite, a parameter runs off towards zero or infinity, or the Hessian at the optimum is
            not positive definite (a flat likelihood: the data do not identify the model).
    """
    np = numpy()
    optimize = require("scipy.optimize", "customers", "cs8.customers models")

    def negative(logs: FloatArray) -> float:  # the mean, so that gtol does not depend on n
        with np.errstate(all="ignore"):
            value = log_likelihood(np.exp(logs))
        return -value / n if math.isfinite(value) else math.inf

    def slope(logs: FloatArray) -> FloatArray:  # chain rule: d/d log(theta) = theta d/d theta
        assert gradient is not None
        point = np.exp(logs)
        with np.errstate(all="ignore"):
            return -(gradient(point) * point) / n  # type: ignore[no-any-return]

    start = np.zeros(len(names))
    if not math.isfinite(negative(start)):
        raise ConvergenceError(f"{model}: the log-likelihood is not finite at the start (all 1)")
    with warnings.catch_warnings():
        # Finite differences next to an infinite likelihood warn; the checks below decide.
        warnings.simplefilter("ignore", RuntimeWarning)
        result = _search(optimize, negative, start, None if gradient is None else slope)
    if not result.success:
        # BFGS can stop on "precision loss" close to the optimum when the finite-difference
        # gradient reaches its precision: polish with Nelder-Mead, which needs no gradient, and
        # accept only if that converges.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            polish = optimize.minimize(
                negative,
                result.x,
                method="Nelder-Mead",
                options={"maxiter": 4000, "xatol": 1e-9, "fatol": 1e-11, "adaptive": True},
            )
        iterations = int(result.nit) + int(polish.nit)
        result = polish
        result.nit = iterations
    logs = np.asarray(result.x, dtype=np.float64)
    estimates = dict(zip(names, (float(v) for v in np.exp(logs)), strict=True))
    shown = ", ".join(f"{k}={v:.6g}" for k, v in estimates.items())
    if not math.isfinite(float(result.fun)) or not np.all(np.isfinite(logs)):
        raise ConvergenceError(f"{model}: the log-likelihood is not finite at {shown}")
    if not result.success:
        raise ConvergenceError(
            f"{model} did not converge after {result.nit} iterations ({result.message}); "
            f"last estimates {shown}"
        )
    unidentified = (
        f"{model}: the maximum is not identified ({shown}): the likelihood is flat or a parameter "
        "runs off to 0 or infinity, so the data cannot pin the model down (too few customers or "
        "repeat purchases?)"
    )
    if np.any(np.abs(logs) > 14):
        raise ConvergenceError(unidentified)
    point = np.exp(logs)
    with np.errstate(all="ignore"):
        hessian = _hessian(lambda p: -log_likelihood(p), point)
    # A maximum has a positive definite Hessian of the negative log-likelihood; a flat direction
    # (an eigenvalue at or below zero) means a silent wrong fit, so it is an error, not a warning.
    if not np.all(np.isfinite(hessian)) or np.linalg.eigvalsh(hessian).min() <= 0:
        raise ConvergenceError(unidentified)
    variances = np.diag(np.linalg.inv(hessian))
    errors = FrozenDict(
        {
            name: float(math.sqrt(v)) if v > 0 else math.nan
            for name, v in zip(names, variances.tolist(), strict=True)
        }
    )
    return {
        **estimates,
        "log_likelihood": -float(result.fun) * n,
        "standard_errors": errors,
        "iterations": int(result.nit),
    }


def columns(
    unit: TimeUnit, customers: CustomerSummary | SummaryTable, model: str
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, bool]:
    """Return ``(x, t_x, T, mean_spend, scalar)`` of one customer or a table, checking the unit.

    Raises:
        InvalidValueError: If the summaries are in another unit than the model.
    """
    np = numpy()
    if customers.unit is not unit:
        raise InvalidValueError(
            f"{model} was fitted in {unit.value}s but the summaries are in {customers.unit.value}s; "
            f"summarise with unit={unit.value!r}"
        )
    if isinstance(customers, SummaryTable):
        return customers.x, customers.t_x, customers.T, customers.mean_spend, False
    spend = math.nan if customers.mean_spend is None else customers.mean_spend
    return (
        np.array([float(customers.x)]),
        np.array([customers.t_x]),
        np.array([customers.T]),
        np.array([spend]),
        True,
    )


def horizon_in(unit: TimeUnit, horizon: Any, name: str = "horizon") -> float:
    """Return a :class:`~datetime.timedelta` horizon in ``unit`` (a bare number is refused).

    Raises:
        InvalidValueError: If ``horizon`` is not a non-negative timedelta.
    """
    from datetime import timedelta

    if not isinstance(horizon, timedelta) or horizon < timedelta(0):
        raise InvalidValueError(
            f"{name} must be a non-negative timedelta (the unit is the model's), got {horizon!r}"
        )
    return unit.of(horizon)


def shaped(values: FloatArray, scalar: bool) -> Any:
    """Return a float for one customer, else the array."""
    return float(values[0]) if scalar else values
