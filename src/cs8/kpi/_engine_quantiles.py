"""Duration KPIs inside an engine: count, sums, bounds and the exact quantiles, one row pulled.

The ``.frame(...)`` forms of the duration KPIs (:func:`~cs8.kpi.average_speed_of_answer`,
:func:`~cs8.kpi.average_handle_time`) hand this module a table with one integer-microsecond
column. On a lazy engine it asks for the count, the sum and the sum of squares (in 128-bit
integers or decimals, which never overflow here), the minimum, the maximum and the few order
statistics the median and p90 read, in one aggregation; only that row leaves the engine.
Eager frames (pandas, polars) are already in this process: their values are read into the exact
:class:`~cs8.kpi.DurationState`, as is any engine this module has no quantile for.

Why order statistics and not the engine's interpolated quantile: ``quantile_cont`` (DuckDB),
``percentile`` (Spark) and polars' linear quantile return a DOUBLE computed from
``(n - 1) * q`` in floating point, and no ``q`` need make that product land exactly on an integer
(``22 * q == 15`` has no double solution), so their result is not provably cs8's type-7 quantile
rounded to the microsecond. Each engine's *discrete* quantile returns one order statistic, and
asking for the middle of the interval of ``q`` that selects it leaves half a rank of margin for
rounding: DuckDB's ``quantile_disc`` and Spark's ``percentile_disc`` take the SQL standard's
``ceil(n q)``-th value, polars' ``interpolation="lower"`` the ``floor((n - 1) q)``-th. cs8 then
interpolates between the two order statistics with :func:`~cs8.stats.type7_quantile`, the very
code of the object path, so the median and p90 equal it to the microsecond. polars and Spark pass
the order statistic through a DOUBLE, exact while ``|value| <= 2**53`` microseconds (285 years);
beyond that (checked on the same row's bounds) the values are pulled instead.

Example:
    >>> import duckdb
    >>> import narwhals as nw
    >>> waits = nw.from_native(duckdb.sql("SELECT * FROM range(1, 11) t(us)"))
    >>> stats = duration_stats(waits, "us", {})
    >>> stats.median, stats.p90, stats.n
    (datetime.timedelta(microseconds=6), datetime.timedelta(microseconds=9), 10)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeAlias, overload

import attrs

from cs8._frozen import FrozenDict
from cs8._optional import require
from cs8.exceptions import Cs8Error, InvalidValueError
from cs8.kpi._durations import DurationState, DurationStats, _td
from cs8.kpi._stats import _MIN_N
from cs8.stats._sketch import type7_quantile

__all__ = ["EngineSummary", "Quantiles", "duration_stats", "order_positions"]

_DOUBLE_EXACT = 2**53
_QUANTILES = (0.5, 0.9)  # what DurationStats reports


def order_positions(n: int, quantiles: Sequence[float] = _QUANTILES) -> list[int]:
    """The 0-based ranks whose values the type-7 ``quantiles`` of ``n`` values read.

    Example:
        >>> order_positions(10), order_positions(1)
        ([4, 5, 8, 9], [0])
    """
    ranks: set[int] = set()
    for q in quantiles:
        lo = math.floor((n - 1) * q)  # as type7_quantile computes it
        ranks.update(r for r in (lo, lo + 1) if r < n)
    return sorted(ranks)


class _OrderStatistics(Sequence[int]):
    """``n`` sorted values of which only some ranks are known: what ``type7_quantile`` reads."""

    def __init__(self, n: int, known: Mapping[int, int]) -> None:
        self._n = n
        self._known = known

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):  # pragma: no cover - type7_quantile indexes one rank
            raise TypeError("only single ranks are known")
        return self._known[index]


def _pulled(frame: Any, column: str, excluded: Mapping[str, int]) -> DurationStats:
    np = require("numpy", "dataframe", "duration KPIs on frames")
    pc = require("pyarrow.compute", "dataframe", "duration KPIs on frames")
    if hasattr(frame, "collect"):
        frame = frame.collect()
    values = pc.cast(frame.select(column).to_arrow().column(0), "int64")
    state = DurationState.of_microseconds(np.asarray(values, dtype=np.int64).tolist())
    return attrs.evolve(state, excluded=FrozenDict(excluded)).result()


def _q_sql(rank: int, n: int) -> float:
    """A ``q`` whose SQL ``percentile_disc`` (``ceil(n q)``-th value) is the ``rank``-th value."""
    return (rank + 0.5) / n


def _q_lower(rank: int, n: int) -> float:
    """A ``q`` whose ``floor((n - 1) q)``-th value (polars ``lower``) is the ``rank``-th value."""
    if n == 1:
        return 0.0
    return 1.0 if rank == n - 1 else (rank + 0.5) / (n - 1)


def _duckdb(rel: Any, column: str, ranks: list[int], n: int) -> tuple[Any, ...]:
    """DuckDB: narwhals' quantile is ``quantile_cont`` only, so the relation is asked in SQL."""
    c = '"' + column.replace('"', '""') + '"'
    aggs = [
        f"count({c})",
        f"sum({c}::HUGEINT)",
        f"sum({c}::HUGEINT * {c}::HUGEINT)",
        f"min({c})",
        f"max({c})",
        *(f"quantile_disc({c}, {_q_sql(r, n)!r}::DOUBLE)" for r in ranks),
    ]
    return tuple(rel.aggregate(", ".join(aggs)).fetchall()[0])


def _polars(lf: Any, column: str, ranks: list[int], n: int) -> tuple[Any, ...]:
    pl = require("polars", "dataframe", "duration KPIs on frames")
    c = pl.col(column)
    wide = c.cast(pl.Int128)
    aggs = [
        c.count(),
        wide.sum(),
        (wide * wide).sum(),
        c.min(),
        c.max(),
        *(c.quantile(_q_lower(r, n), interpolation="lower") for r in ranks),
    ]
    return tuple(lf.select(a.alias(f"a{i}") for i, a in enumerate(aggs)).collect().row(0))


def _spark(df: Any, column: str, ranks: list[int], n: int) -> tuple[Any, ...]:
    """PySpark and SQLFrame: ``percentile_disc`` is SQL only; sums in DECIMAL(38, 0)."""
    from cs8.engines._spark import functions_of

    F = functions_of(df)
    c = F.col(column)
    wide = c.cast("decimal(19,0)")  # the product is DECIMAL(38, 0) on Spark and DuckDB alike
    aggs = [
        F.count(c),
        F.sum(c.cast("decimal(38,0)")),
        F.sum(wide * wide),
        F.min(c),
        F.max(c),
        *(
            F.expr(f"percentile_disc({_q_sql(r, n)!r}) WITHIN GROUP (ORDER BY `{column}`)")
            for r in ranks
        ),
    ]
    return tuple(df.select(*(a.alias(f"a{i}") for i, a in enumerate(aggs))).collect()[0])


Quantiles: TypeAlias = Sequence[float] | Callable[[int], Sequence[float]]
"""Quantiles a duration ``.frame(...)`` computes besides the median and p90: a list, or a
function of the number of durations (a median's order-statistic interval depends on it)."""


def _frozen_ranks(ranks: Mapping[int, int]) -> FrozenDict[int, int]:
    return FrozenDict(ranks)


@attrs.frozen(kw_only=True)
class EngineSummary(DurationState):
    """A :class:`DurationState` computed in an engine: count, sums, bounds, some order statistics.

    It holds no values: :meth:`quantile` answers the ``q`` whose order statistics were asked of
    the engine (the median, p90 and the ``quantiles=`` of the KPI's ``.frame``) and raises for
    any other; :meth:`merge` raises.

    Example:
        >>> s = EngineSummary(n=4, total=10, total_sq=30, min=1, max=4, ranks={1: 2, 2: 3, 3: 4})
        >>> s.quantile(0.5)
        datetime.timedelta(microseconds=2)
    """

    ranks: FrozenDict[int, int] = attrs.field(factory=FrozenDict, converter=_frozen_ranks)

    def quantile(self, q: float) -> timedelta | None:
        """Return the exact type-7 ``q`` quantile when its order statistics are held.

        Raises:
            InvalidValueError: If ``q`` is outside [0, 1] or its ranks were not computed.
        """
        if not 0.0 <= q <= 1.0:
            raise InvalidValueError(f"quantile: q must be in [0, 1], got {q!r}")
        if self.n == 0:
            return None
        if any(r not in self.ranks for r in order_positions(self.n, (q,))):
            raise InvalidValueError(
                f"DurationState.quantile: the {q} quantile of these {self.n} durations was not "
                "computed in the engine; pass quantiles=[...] to the KPI's .frame(...)"
            )
        return _td(type7_quantile(_OrderStatistics(self.n, self.ranks), q))


def duration_stats(
    frame: Any,
    column: str,
    excluded: Mapping[str, int],
    *,
    n: int | None = None,
    quantiles: Quantiles = (),
) -> DurationStats:
    """The duration summary of the integer-microsecond ``column`` of a narwhals frame.

    ``excluded`` is carried into the result; ``n`` (the row count, when the caller counted it
    already) saves a pass; ``quantiles`` are computed besides the median and p90. On a lazy
    DuckDB, polars or Spark-like table the result's state is an :class:`EngineSummary`; elsewhere
    the values are pulled into a :class:`DurationState`.

    Example:
        >>> import polars as pl
        >>> import narwhals as nw
        >>> lf = nw.from_native(pl.LazyFrame({"us": [3, 1, 2]}))
        >>> duration_stats(lf, "us", {"bot": 1}).median
        datetime.timedelta(microseconds=2)
    """
    nw = require("narwhals", "dataframe", "duration KPIs on frames")
    impl = frame.implementation
    ask = {
        nw.Implementation.DUCKDB: _duckdb,
        nw.Implementation.POLARS: _polars,
        nw.Implementation.PYSPARK: _spark,
        nw.Implementation.PYSPARK_CONNECT: _spark,
        nw.Implementation.SQLFRAME: _spark,
    }.get(impl)
    if ask is None or not isinstance(frame, nw.LazyFrame):
        return _pulled(frame, column, excluded)
    frame = frame.filter(~nw.col(column).is_null())
    if n is None:
        n = int(_first(frame.select(nw.len().alias("n"))))
    if n == 0:
        return _pulled(frame, column, excluded)
    asked = quantiles(n) if callable(quantiles) else quantiles
    if any(not 0.0 <= q <= 1.0 for q in asked):
        raise InvalidValueError(f"quantiles must be in [0, 1], got {list(asked)}")
    ranks = order_positions(n, (*_QUANTILES, *asked))
    row = ask(frame.to_native(), column, ranks, n)
    count, total, total_sq, low, high = (None if v is None else int(v) for v in row[:5])
    if count != n or low is None or high is None:
        raise Cs8Error(f"the engine counted {count} durations where {n} were counted before")
    if max(-low, high) > _DOUBLE_EXACT and impl is not nw.Implementation.DUCKDB:
        return _pulled(frame, column, excluded)  # order statistics passed through a DOUBLE
    summary = EngineSummary(
        n=n,
        total=total or 0,
        total_sq=total_sq or 0,
        min=low,
        max=high,
        excluded=excluded,
        ranks={r: int(v) for r, v in zip(ranks, row[5:], strict=True)},
    )
    return summary.result(min_n=_MIN_N)


def _first(frame: Any) -> Any:
    if hasattr(frame, "collect"):
        frame = frame.collect()
    return frame.rows()[0][0]
