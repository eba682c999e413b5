"""Business time between two instant columns of a dataframe, computed in its own engine.

pandas and polars frames (eager or lazy) go through narwhals: two as-of joins onto the calendar's
table (:mod:`cs8.engines._calendar`). A DuckDB relation goes through one SQL shim on the relation's
own connection, since narwhals cannot build a table on that connection nor turn an instant into
epoch microseconds on DuckDB (``dt.timestamp`` is not implemented there): the shim uses DuckDB's
``ASOF LEFT JOIN`` and ``epoch_us``. Either way only two numbers leave the engine (the earliest and
latest instant, to size the calendar table), and the result equals
:meth:`BusinessCalendar.business_duration` to the microsecond.

Example:
    >>> from datetime import datetime, timezone
    >>> import polars as pl
    >>> from cs8.sla import BusinessCalendar
    >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
    >>> df = pl.DataFrame({"opened": [datetime(2026, 3, 2, 8, tzinfo=timezone.utc)],
    ...                    "replied": [datetime(2026, 3, 9, 10, tzinfo=timezone.utc)]})
    >>> business_time(df, start="opened", end="replied", calendar=cal)["business_us"].to_list()
    [32400000000]
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from cs8._optional import require
from cs8.engines._calendar import EPOCH, CalendarTable, calendar_table
from cs8.exceptions import InvalidValueError, NaiveDatetimeError, UnknownFieldError

if TYPE_CHECKING:
    from cs8.sla import BusinessCalendar

__all__ = ["business_time"]

FrameT = TypeVar("FrameT")

_AT, _CUM, _OPEN, _ROW = "__cs8_at_us", "__cs8_cum_us", "__cs8_open", "__cs8_row"


def business_time(
    frame: FrameT,
    *,
    start: str,
    end: str,
    calendar: BusinessCalendar,
    name: str = "business_us",
) -> FrameT:
    """Add a column ``name``: the business microseconds from ``start`` to ``end`` on each row.

    The frame stays in its engine and comes back in its own type: a pandas or polars DataFrame
    (rows in their order), a polars LazyFrame or a DuckDB relation (lazy: nothing is computed
    until it is collected). A null instant gives a null. The count is the calendar's elapsed
    business time, negative when ``end`` is before ``start``, exactly as
    :meth:`BusinessCalendar.business_duration`.

    Args:
        frame: A pandas or polars DataFrame, a polars LazyFrame, or a DuckDB relation.
        start: The column where counting starts (time-zone aware instants).
        end: The column where it stops.
        calendar: The business calendar.
        name: The new column (64-bit integer microseconds).

    Raises:
        UnknownFieldError: If a column is missing.
        NaiveDatetimeError: If a column's instants have no time zone.
        MissingExtraError: If narwhals (the ``dataframe`` extra) is missing for a frame, or duckdb
            for a relation.

    Example:
        >>> from datetime import datetime, timezone
        >>> import pandas as pd
        >>> from cs8.sla import BusinessCalendar
        >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
        >>> df = pd.DataFrame({"a": [datetime(2026, 3, 2, 8, tzinfo=timezone.utc), None],
        ...                    "b": [datetime(2026, 3, 2, 10, tzinfo=timezone.utc)] * 2})
        >>> business_time(df, start="a", end="b", calendar=cal)["business_us"].tolist()
        [3600000000.0, nan]
    """
    if type(frame).__module__.startswith("duckdb") or type(frame).__name__ == "DuckDBPyRelation":
        return _duckdb(frame, start, end, calendar, name)  # type: ignore[no-any-return]
    return _narwhals(frame, start, end, calendar, name)


# ---------------------------------------------------------------------------------------------
# narwhals: pandas, polars (eager and lazy)


def _narwhals(frame: FrameT, start: str, end: str, calendar: BusinessCalendar, name: str) -> FrameT:
    nw = require("narwhals", "dataframe", "business_time on a dataframe")
    f = nw.from_native(frame)
    schema = f.collect_schema() if isinstance(f, nw.LazyFrame) else f.schema
    for column in (start, end):
        if column not in schema:
            raise UnknownFieldError(
                f"business_time: no column {column!r} (columns: {list(schema)})"
            )
        dtype = schema[column]
        if not isinstance(dtype, nw.Datetime):
            raise InvalidValueError(
                f"business_time: column {column!r} must hold instants, got dtype {dtype}"
            )
        if dtype.time_zone is None:
            raise NaiveDatetimeError(
                f"business_time: column {column!r} has no time zone (dtype {dtype}); "
                "give it one (e.g. UTC) before counting business time"
            )
    s_us, e_us = f"{_ROW}_s", f"{_ROW}_e"
    epoch = nw.lit(EPOCH)
    eager = not isinstance(f, nw.LazyFrame)
    if eager:  # rows keep their order; null instants (NaN in pandas) are set aside first
        f = f.with_row_index(_ROW)
    f = f.with_columns(
        (nw.col(start) - epoch).dt.total_microseconds().alias(s_us),
        (nw.col(end) - epoch).dt.total_microseconds().alias(e_us),
    )
    work = f.filter(~nw.col(s_us).is_null() & ~nw.col(e_us).is_null()) if eager else f
    work = work.with_columns(nw.col(s_us).cast(nw.Int64), nw.col(e_us).cast(nw.Int64))
    bounds = work.select(
        nw.min_horizontal(nw.col(s_us).min(), nw.col(e_us).min()).alias("lo"),
        nw.max_horizontal(nw.col(s_us).max(), nw.col(e_us).max()).alias("hi"),
    )
    if isinstance(bounds, nw.LazyFrame):
        bounds = bounds.collect()
    lo, hi = bounds.item(0, "lo"), bounds.item(0, "hi")
    if lo is None or hi is None:  # every instant null
        out = f.with_columns(nw.lit(None, dtype=nw.Int64).alias(name))
        return out.drop(*((s_us, e_us, _ROW) if eager else (s_us, e_us))).to_native()  # type: ignore[no-any-return]
    table = _table(calendar, int(lo), int(hi))
    cal = nw.from_dict(
        {_AT: list(table.at_us), _CUM: list(table.cum_us), _OPEN: list(table.open)},
        schema={_AT: nw.Int64(), _CUM: nw.Int64(), _OPEN: nw.Boolean()},
        backend=nw.get_native_namespace(f if eager else bounds),
    )
    if not eager:
        cal = cal.lazy()
    work = _cumulative(nw, work, cal, s_us, f"{s_us}_c")
    work = _cumulative(nw, work, cal, e_us, f"{e_us}_c")
    work = work.with_columns((nw.col(f"{e_us}_c") - nw.col(f"{s_us}_c")).alias(name))
    if not eager:
        return work.drop(s_us, e_us, f"{s_us}_c", f"{e_us}_c").to_native()  # type: ignore[no-any-return]
    out = f.join(work.select(_ROW, name), on=_ROW, how="left").sort(_ROW)
    return out.drop(_ROW, s_us, e_us).to_native()  # type: ignore[no-any-return]


def _cumulative(nw: Any, f: Any, cal: Any, column: str, out: str) -> Any:
    """Join the business time from the table's start to ``column`` (an as-of join, backward)."""
    joined = f.sort(column, nulls_last=True).join_asof(
        cal, left_on=column, right_on=_AT, strategy="backward"
    )
    value = nw.col(_CUM) + nw.when(nw.col(_OPEN)).then(nw.col(column) - nw.col(_AT)).otherwise(0)
    return joined.with_columns(value.alias(out)).drop(_AT, _CUM, _OPEN)


def _table(calendar: BusinessCalendar, lo: int, hi: int) -> CalendarTable:
    return calendar_table(
        calendar, EPOCH + timedelta(microseconds=lo), EPOCH + timedelta(microseconds=hi)
    )


# ---------------------------------------------------------------------------------------------
# DuckDB: one SQL shim on the relation's own connection


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _duckdb(rel: Any, start: str, end: str, calendar: BusinessCalendar, name: str) -> Any:
    require("duckdb", "duckdb", "business_time on a DuckDB relation")
    types = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
    for column in (start, end):
        if column not in types:
            raise UnknownFieldError(f"business_time: no column {column!r} (columns: {rel.columns})")
        if types[column] != "TIMESTAMP WITH TIME ZONE":
            raise NaiveDatetimeError(
                f"business_time: column {column!r} must be TIMESTAMP WITH TIME ZONE, got "
                f"{types[column]}; cast it (e.g. ts AT TIME ZONE 'UTC') before counting"
            )
    s, e = _quote(start), _quote(end)
    lo, hi = rel.query(
        "__cs8_input",
        f"SELECT least(min(epoch_us({s})), min(epoch_us({e}))), "
        f"greatest(max(epoch_us({s})), max(epoch_us({e}))) FROM __cs8_input",
    ).fetchall()[0]
    if lo is None:
        return rel.query(
            "__cs8_input", f"SELECT *, CAST(NULL AS BIGINT) AS {_quote(name)} FROM __cs8_input"
        )
    table = _table(calendar, int(lo), int(hi))
    at = ",".join(map(str, table.at_us))
    cum = ",".join(map(str, table.cum_us))
    is_open = ",".join("true" if o else "false" for o in table.open)
    sql = f"""
        WITH cal AS (
            SELECT unnest([{at}]::BIGINT[]) AS at_us, unnest([{cum}]::BIGINT[]) AS cum_us,
                   unnest([{is_open}]::BOOLEAN[]) AS is_open
        ), base AS (
            SELECT *, epoch_us({s}) AS __cs8_s, epoch_us({e}) AS __cs8_e FROM __cs8_input
        )
        SELECT base.* EXCLUDE (__cs8_s, __cs8_e),
               (ce.cum_us + CASE WHEN ce.is_open THEN base.__cs8_e - ce.at_us ELSE 0 END)
             - (cs.cum_us + CASE WHEN cs.is_open THEN base.__cs8_s - cs.at_us ELSE 0 END)
               AS {_quote(name)}
        FROM base
        ASOF LEFT JOIN cal AS cs ON base.__cs8_s >= cs.at_us
        ASOF LEFT JOIN cal AS ce ON base.__cs8_e >= ce.at_us
    """
    return rel.query("__cs8_input", sql)
