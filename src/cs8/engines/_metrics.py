"""The per-ticket table on an engine: :func:`cs8.kpi.ticket_metrics`' main columns, lazily.

Example:
    >>> REJECTIONS[:2]  # why a row is left out, as cs8.kpi.ticket_metrics says it
    ('invalid_ticket_row', 'duplicate_id')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cs8._optional import require
from cs8.engines._business import _is_spark, business_time
from cs8.engines._fold import _lazy, engine_facts
from cs8.engines._spark import functions_of
from cs8.exceptions import InvalidValueError
from cs8.kpi._definitions import TicketDefinition, _definition
from cs8.kpi._frame_facts import REJECTIONS

if TYPE_CHECKING:
    from cs8.sla import BusinessCalendar

__all__ = ["ticket_metrics"]

# Duration column -> (start instant column, end instant column).
_SPANS: Mapping[str, tuple[str, str]] = {
    "first_reply": ("reply_clock_start", "first_reply_at"),
    "first_resolution": ("created_at", "first_solved_at"),
    "full_resolution": ("created_at", "last_solved_at"),
}

# Metric -> (the fold's facts it reads, its columns besides the durations).
METRICS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "first_reply": (("start", "first"), ("reply_clock_start", "first_reply_at")),
    "first_resolution": (("solved",), ("first_solved_at",)),
    "full_resolution": (("last_solved", "done"), ("last_solved_at",)),
    "replies": (("replies",), ("replies",)),
    "reopened": (("reopened",), ("reopened",)),
    "done": (("done",), ("done",)),
}


def ticket_metrics(
    tickets: object,
    events: object,
    calendar: BusinessCalendar | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
    metrics: Iterable[str] | None = None,
) -> Any:
    """Return one row per ticket row, computed inside the tables' own engine, lazily.

    The engine-side form of :func:`cs8.kpi.ticket_metrics` for tables too big to load as objects:
    a polars LazyFrame, a DuckDB relation or a PySpark/SQLFrame DataFrame comes back as the same
    kind of lazy table (an eager pandas or polars frame comes back as a polars LazyFrame or the
    frame's own lazy form), nothing computed until it is collected. Events are folded by the same
    rules as the ticket KPIs (see :mod:`cs8.engines._fold`: at one instant, events are simultaneous).

    Columns: ``ticket_id``, ``created_at``; ``excluded`` (why the ticket KPIs leave the row out:
    a row the loader would reject — ``invalid_ticket_row``, ``duplicate_id``,
    ``invalid_event_row``, ``event_before_creation`` — or ``merged``/``agent_created`` under the
    definition; null when it counts); ``reply_clock_start``, ``first_reply_at``,
    ``first_solved_at``, ``last_solved_at`` (null while the ticket is open: not final);
    ``replies``, ``reopened``, ``done``; and the durations in integer microseconds
    ``first_reply_us``, ``first_resolution_us``, ``full_resolution_us`` — with a calendar also
    ``first_reply_business_us`` and so on. A KPI is an aggregation of these rows: the median of
    ``first_reply_us`` over the rows with ``excluded`` null is ``first_reply_time``'s median.

    Args:
        tickets: The tickets table (instants as timezone-aware timestamps).
        events: The events table, in the same engine.
        calendar: Business hours for the ``*_business_us`` columns.
        definition: A :class:`~cs8.kpi.TicketDefinition` or a preset name.
        columns: cs8 field name -> column name, for the tickets table.
        event_columns: The same for the events table.
        metrics: Only these metrics' columns, among ``"first_reply"``, ``"first_resolution"``,
            ``"full_resolution"``, ``"replies"``, ``"reopened"`` and ``"done"`` (all when
            ``None``): the engine then computes only the facts they read (first reply and first
            resolution need one grouped pass over the events and no window function). The
            ticket columns and ``excluded`` are always there.

    Returns:
        A lazy table of the input's engine.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> import polars as pl
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> tickets = pl.LazyFrame({"id": ["T1"], "customer_id": ["C1"], "channel": ["email"],
        ...                         "created_at": [t0]})
        >>> events = pl.LazyFrame({"ticket_id": ["T1", "T1"], "type": ["message", "status_change"],
        ...                        "at": [t0 + timedelta(hours=1), t0 + timedelta(hours=3)],
        ...                        "author": ["agent", None], "public": [True, None],
        ...                        "status": [None, "solved"]})
        >>> row = ticket_metrics(tickets, events).collect().row(0, named=True)
        >>> row["first_reply_us"] // 60_000_000, row["full_resolution_us"] // 60_000_000
        (60, 180)
    """
    nw = require("narwhals", "dataframe", "ticket_metrics on an engine")
    d = _definition(definition)
    wanted = list(METRICS if metrics is None else dict.fromkeys(metrics))
    unknown = [m for m in wanted if m not in METRICS]
    if unknown:
        raise InvalidValueError(
            f"ticket_metrics: metrics={unknown!r} unknown; choose among {list(METRICS)}"
        )
    f = engine_facts(
        tickets,
        events,
        d,
        columns=columns,
        event_columns=event_columns,
        facts=[fact for m in wanted for fact in METRICS[m][0]],
    )
    reason: Any = nw.lit(None, nw.String)
    if d.exclude_agent_created:
        reason = nw.when(nw.col("agent_created")).then(nw.lit("agent_created")).otherwise(reason)
    if d.exclude_merged:
        reason = nw.when(nw.col("merged")).then(nw.lit("merged")).otherwise(reason)
    for code, name in reversed(list(enumerate(REJECTIONS, start=1))):
        reason = nw.when(nw.col("rejected") == code).then(nw.lit(name)).otherwise(reason)
    shown = {c for m in wanted for c in METRICS[m][1]}
    chosen = [
        (name, expr)
        for name, expr in (
            ("reply_clock_start", nw.col("start")),
            ("first_reply_at", nw.col("first")),
            ("first_solved_at", nw.col("solved")),
            ("last_solved_at", nw.when(nw.col("done")).then(nw.col("last_solved"))),
            ("replies", nw.col("replies")),
            ("reopened", nw.col("reopened")),
            ("done", nw.col("done")),
        )
        if name in shown
    ]
    out = f.select(
        nw.col("id").alias("ticket_id"),
        nw.col("created").alias("created_at"),
        reason.alias("excluded"),
        *(expr.alias(name) for name, expr in chosen),
    ).to_native()
    # Under the default clock the reply clock starts at creation: one instant column less to join.
    spans = {
        name: ("created_at", end)
        if start == "reply_clock_start" and d.reply_clock_start == "created"
        else (start, end)
        for name, (start, end) in _SPANS.items()
        if name in wanted
    }
    out = _elapsed(out, {f"{name}_us": span for name, span in spans.items()})
    if calendar is not None and spans:
        out = business_time(
            out,
            calendar=calendar,
            pairs={f"{name}_business_us": span for name, span in spans.items()},
            span=_span(nw, tickets, events, columns, event_columns),
        )
    return out


def _span(
    nw: Any,
    tickets: object,
    events: object,
    columns: Mapping[str, str] | None,
    event_columns: Mapping[str, str] | None,
) -> tuple[datetime, datetime] | None:
    """The earliest and latest instant of the raw tables: every instant of the fold is one of
    them, and two one-column scans are cheaper than a pass over the folded table."""
    found: list[datetime] = []
    for native, column in (
        (tickets, dict(columns or {}).get("created_at", "created_at")),
        (events, dict(event_columns or {}).get("at", "at")),
    ):
        frame = _lazy(native, "ticket_metrics")
        row = (
            frame.select(nw.col(column).min().alias("lo"), nw.col(column).max().alias("hi"))
            .collect()
            .row(0)
        )
        found += [v for v in row if v is not None]
    if not found:
        return None
    return min(found), max(found)


def _elapsed(native: Any, pairs: Mapping[str, tuple[str, str]]) -> Any:
    """Add integer microseconds between instant columns, in the table's engine."""
    if type(native).__name__ == "DuckDBPyRelation":
        # narwhals takes epoch_us of the interval a - b, which DuckDB normalises row by row: 3.3 s
        # of the fold's 9 s of CPU on 1M tickets; the difference of two epoch_us is exact too.
        added = ", ".join(
            f'epoch_us("{b}") - epoch_us("{a}") AS "{name}"' for name, (a, b) in pairs.items()
        )
        return native.query("__cs8_elapsed", f"SELECT *, {added} FROM __cs8_elapsed")
    if _is_spark(native):
        # narwhals has no total_microseconds on Spark-like frames; unix_micros is exact.
        F = functions_of(native)
        for name, (a, b) in pairs.items():
            native = native.withColumn(name, F.unix_micros(F.col(b)) - F.unix_micros(F.col(a)))
        return native
    nw = require("narwhals", "dataframe")
    frame = nw.from_native(native)
    return frame.with_columns(
        (nw.col(b) - nw.col(a)).dt.total_microseconds().cast(nw.Int64).alias(name)
        for name, (a, b) in pairs.items()
    ).to_native()
