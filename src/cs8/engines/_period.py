"""The start of each instant's period — day, ISO week, month, quarter, year — inside an engine.

narwhals (2.29) has no ``group_by_dynamic`` on lazy frames and no weekly ``dt.truncate``, and a
calendar period must be cut in the data's time zone (a week in Paris starts at Monday 00:00 Paris
time, 23:00 or 22:00 UTC depending on DST). :func:`period_start` is the one shim: it adds a DATE
column, the first local day of each instant's period, in the table's own engine, with the same
rule as the object path (:func:`cs8.kpi.breakdown`: the instant's local date in ``timezone``, then
the Monday of its week, the first of its month ...). Grouping by that column is
``group_by_dynamic(every=period)`` for calendar periods, in any engine.

Example:
    >>> import duckdb
    >>> rel = duckdb.sql("SELECT TIMESTAMPTZ '2026-03-29 22:30:00+00' AS at")  # Monday in Paris
    >>> period_start(rel, "at", period="week", timezone="Europe/Paris").fetchall()
    [(datetime.datetime(2026, 3, 29, 22, 30, tzinfo=...), datetime.date(2026, 3, 30))]
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cs8._optional import require
from cs8.engines._spark import functions_of
from cs8.exceptions import (
    InvalidValueError,
    NaiveDatetimeError,
    UnknownFieldError,
    UnsupportedEngineError,
)

__all__ = ["PeriodLength", "period_start"]

PeriodLength: TypeAlias = Literal["day", "week", "month", "quarter", "year"]
T = TypeVar("T")

_PERIODS = ("day", "week", "month", "quarter", "year")
_POLARS_EVERY = {"week": "1w", "month": "1mo", "quarter": "1q", "year": "1y"}
_PANDAS_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_DAY_US = 86_400_000_000


def period_start(
    frame: T,
    column: str,
    *,
    period: PeriodLength = "day",
    timezone: str = "UTC",
    name: str = "period",
) -> T:
    """Add ``name``: the first local day (a date) of the ``period`` holding each instant of ``column``.

    The instant is read in ``timezone`` (DST-correct: the local date is taken from the instant's
    own offset), then cut to its day, its ISO week (the Monday), its month, quarter or year, as
    :func:`cs8.kpi.breakdown` cuts periods on records. Null instants give null.

    Args:
        frame: A pandas or polars DataFrame, a polars LazyFrame, a DuckDB relation, or a PySpark
            or SQLFrame DataFrame; it comes back as the same type (lazy stays lazy, in its
            engine; a DuckDB relation on its own connection).
        column: A timezone-aware timestamp column (an instant).
        period: ``"day"``, ``"week"`` (starting Monday), ``"month"``, ``"quarter"`` or
            ``"year"``.
        timezone: IANA zone in which periods are cut.
        name: The new column's name.

    Returns:
        ``frame`` with the DATE column ``name`` added.

    Raises:
        InvalidValueError: If ``period`` or ``timezone`` is unknown.
        UnknownFieldError: If ``column`` is not a column of ``frame``.
        NaiveDatetimeError: If ``column`` is not a timezone-aware timestamp.
        UnsupportedEngineError: If ``frame`` is of no engine listed above.

    Example:
        >>> from datetime import datetime, timezone
        >>> import polars as pl
        >>> lf = pl.LazyFrame({"at": [datetime(2027, 1, 3, 23, 30, tzinfo=timezone.utc)]})
        >>> out = period_start(lf, "at", period="week", timezone="America/New_York")
        >>> out.collect()["period"].to_list()   # Sunday 18:30 in New York: the week of 28 Dec
        [datetime.date(2026, 12, 28)]
    """
    if period not in _PERIODS:
        raise InvalidValueError(f"period_start: period must be one of {_PERIODS}, got {period!r}")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(f"period_start: unknown time zone {timezone!r}") from None
    module = type(frame).__module__.split(".")[0]
    kind = type(frame).__name__
    if module == "polars" and kind in ("DataFrame", "LazyFrame"):
        return cast("T", _polars(frame, column, period, timezone, name))
    if module == "duckdb":
        return cast("T", _duckdb(frame, column, period, timezone, name))
    if module in ("pyspark", "sqlframe") and kind.endswith("DataFrame"):
        return cast("T", _spark(frame, column, period, timezone, name))
    if module == "pandas" and kind == "DataFrame":
        return cast("T", _pandas(frame, column, period, timezone, name))
    raise UnsupportedEngineError(
        f"period_start: no period shim for {type(frame).__module__}.{kind}; give a pandas or "
        "polars frame, a polars LazyFrame, a DuckDB relation or a PySpark/SQLFrame DataFrame"
    )


def _missing(column: str, columns: object) -> UnknownFieldError:
    return UnknownFieldError(f"period_start: no column {column!r} (columns: {columns})")


def _naive(column: str, dtype: object) -> NaiveDatetimeError:
    return NaiveDatetimeError(
        f"period_start: column {column!r} must be a timezone-aware timestamp (an instant), "
        f"got {dtype}"
    )


def _polars(frame: Any, column: str, period: str, timezone: str, name: str) -> Any:
    """polars: the local date by ``convert_time_zone``, then a DATE ``truncate`` (weeks: Monday)."""
    pl = require("polars", "polars")
    schema = frame.collect_schema()
    if column not in schema:
        raise _missing(column, schema.names())
    dtype = schema[column]
    if not isinstance(dtype, pl.Datetime) or dtype.time_zone is None:
        raise _naive(column, dtype)
    local = pl.col(column).dt.convert_time_zone(timezone).dt.date()
    if period != "day":
        local = local.dt.truncate(_POLARS_EVERY[period])
    return frame.with_columns(local.alias(name))


def _pandas(frame: Any, column: str, period: str, timezone: str, name: str) -> Any:
    """pandas: the local date by ``tz_convert``, then a period's start time (weeks: Monday)."""
    pd = require("pandas", "pandas")
    if column not in frame.columns:
        raise _missing(column, list(frame.columns))
    series = frame[column]
    if not isinstance(series.dtype, pd.DatetimeTZDtype):
        raise _naive(column, series.dtype)
    local = series.dt.tz_convert(timezone).dt.tz_localize(None).dt.normalize()
    if period == "week":
        local = local - pd.to_timedelta(local.dt.day_of_week, unit="D")
    elif period != "day":
        local = local.dt.to_period(_PANDAS_FREQ[period]).dt.start_time
    out = frame.copy()
    out[name] = local.dt.date.astype(object).where(local.notna(), None)
    return out


def _duckdb(rel: Any, column: str, period: str, timezone: str, name: str) -> Any:
    """DuckDB: ``date_trunc(period, at AT TIME ZONE tz)`` (a local TIMESTAMP; weeks start Monday)."""
    types = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
    if column not in types:
        raise _missing(column, rel.columns)
    if types[column] != "TIMESTAMP WITH TIME ZONE":
        raise _naive(column, types[column])
    quoted = '"' + column.replace('"', '""') + '"'
    zone = "'" + timezone.replace("'", "''") + "'"
    alias = '"' + name.replace('"', '""') + '"'
    return rel.project(
        f"*, CAST(date_trunc('{period}', {quoted} AT TIME ZONE {zone}) AS DATE) AS {alias}"
    )


def _spark(df: Any, column: str, period: str, timezone: str, name: str) -> Any:
    """Spark-like: the local day number from ``unix_micros(from_utc_timestamp(at, tz))``.

    ``from_utc_timestamp`` shifts the instant by the zone's offset at that instant; its epoch
    microseconds are then the local wall clock's, whatever the session's time zone (``to_date``
    would read the session's zone). SQLFrame has no ``from_utc_timestamp``: its
    ``convert_timezone('UTC', tz, at)`` (DuckDB's, on its UTC timestamps) is the same shift. The day number is floor-divided by hand (SQLFrame has no
    ``pmod``; Spark divides in floating point, so an exact multiple is divided and rounded), made
    a date by ``date_add`` from 1970-01-01, and cut by ``date_trunc``, whose midnight timestamp in
    the session's zone casts back to the same date.
    """
    F = functions_of(df)
    types = {f.name: f.dataType.simpleString() for f in df.schema.fields}
    if column not in types:
        raise _missing(column, df.columns)
    if types[column] != "timestamp":
        raise _naive(column, types[column])
    if hasattr(F, "from_utc_timestamp"):  # PySpark
        shifted = F.from_utc_timestamp(F.col(column), F.lit(timezone))
    else:  # SQLFrame has no from_utc_timestamp; its convert_timezone is the same shift
        shifted = F.convert_timezone(F.lit("UTC"), F.lit(timezone), F.col(column))
    wall = F.unix_micros(shifted)
    day = F.lit(_DAY_US)
    tod = ((wall % day) + day) % day  # floor modulo
    days = F.round((wall - tod) / day).cast("int")
    local = F.date_add(F.lit("1970-01-01").cast("date"), days)
    if period != "day":
        local = F.date_trunc(period, local).cast("date")
    return df.withColumn(name, local)
