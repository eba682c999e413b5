"""KPIs where the data lives: business time and the per-ticket table on dataframe engines.

A :class:`~cs8.sla.BusinessCalendar` becomes a small table of open stretches
(:func:`calendar_table`) that an engine joins, so business durations are computed inside pandas,
polars (eager or lazy) or DuckDB and equal the object path to the microsecond
(:func:`business_time`). :func:`period_start` cuts instants into local days, weeks, months,
quarters or years in the engine, for per-period KPIs. Engines are optional extras, imported only
when used.

Example:
    >>> from datetime import datetime, timezone
    >>> import duckdb
    >>> from cs8.sla import BusinessCalendar
    >>> cal = BusinessCalendar(timezone="Asia/Ho_Chi_Minh", hours={"mon": [("08:00", "17:00")]})
    >>> rel = duckdb.sql("SELECT TIMESTAMPTZ '2026-03-02 00:00:00+00' AS a, "
    ...                  "TIMESTAMPTZ '2026-03-02 03:30:00+00' AS b")
    >>> business_time(rel, start="a", end="b", calendar=cal).fetchall()[0][-1] // 60_000_000
    150
"""

from cs8.engines._business import business_time
from cs8.engines._calendar import CalendarTable, calendar_table
from cs8.engines._metrics import ticket_metrics
from cs8.engines._period import PeriodLength, period_start

__all__ = [
    "CalendarTable",
    "PeriodLength",
    "business_time",
    "calendar_table",
    "period_start",
    "ticket_metrics",
]
