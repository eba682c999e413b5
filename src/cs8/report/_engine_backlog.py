"""The backlog on DuckDB: open tickets at the end of each local day and at ``now``, as counts.

:func:`cs8.kpi.backlog` counts the tickets created by an instant whose status then is open. In
the engine that is a running sum: each counted ticket adds one at its creation, and each status
change that closes it (to solved or closed from an open status) takes one away, each that
reopens it adds one back. The status changes are ordered per ticket by instant and, at one
instant, by status code as the ticket fold orders them (:mod:`cs8.engines._fold`: engines have
no file order); one window function finds each change's predecessor. The changes are summed per
day in DuckDB (an as-of join on the days' ends, which the report computes in its zone), so only
one number a day and the count at ``now`` come back.

Example:
    >>> _DONE_CODES
    (5, 6)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import accumulate
from typing import Any

from cs8._enums import TicketStatus
from cs8._optional import require
from cs8.engines._fold import _KIND_CODES, _STATUS, _STATUS_CODES, _enum_code

__all__ = ["backlog_counts"]

_DONE_CODES = (_STATUS_CODES[TicketStatus.SOLVED.value], _STATUS_CODES[TicketStatus.CLOSED.value])
_NEW = _STATUS_CODES[TicketStatus.NEW.value]


def _status_changes(events: Any) -> Any:
    """Each status change's ticket (as text), instant and status code, as a DuckDB relation.

    The fold's own coding (:func:`cs8.engines._fold._enum_code`): the same text is a status
    change and the same status there and here.
    """
    nw = require("narwhals", "duckdb")
    frame = nw.from_native(events)
    schema = dict(frame.collect_schema())
    if "status" not in schema:
        status = nw.lit(0)
    else:
        status = _enum_code(nw, nw.col("status"), schema["status"], _STATUS_CODES, 0)
    kind = _enum_code(nw, nw.col("type"), schema["type"], _KIND_CODES, 0)
    return (
        frame.filter(kind == _STATUS)
        .select(
            nw.col("ticket_id").cast(nw.String).alias("key"),
            nw.col("at"),
            status.alias("status"),
        )
        .to_native()
    )


def backlog_counts(
    connection: Any,
    facts: Any,
    events: Any,
    *,
    now: datetime,
    ends: Sequence[datetime],
    keep: str,
) -> tuple[list[int], int]:
    """The open tickets at each of ``ends`` and at ``now``.

    Args:
        connection: The DuckDB connection of the relations.
        facts: The fold's per-ticket facts (``id``, ``created``, the flags, ``rejected``).
        events: The events relation (``ticket_id``, ``type``, ``at``, ``status``).
        now: The report's instant: only tickets created before it are counted.
        ends: The instants to count at, in order (the local days' ends).
        keep: SQL over the facts: the tickets the KPI counts (its definition's exclusions).

    Returns:
        The count at each of ``ends``, and at ``now``.
    """
    pa = require("pyarrow", "duckdb")
    at_now = f"TIMESTAMPTZ '{now.isoformat()}'"
    kept = facts.filter(f"rejected = 0 AND created < {at_now} AND ({keep})").project(
        "CAST(id AS VARCHAR) AS key, created"
    )
    days = connection.from_arrow(
        pa.table(
            {
                "day": pa.array(range(len(ends)), pa.int64()),
                "day_end": pa.array(list(ends), pa.timestamp("us", tz="UTC")),
            }
        )
    )
    views = {"kept": kept, "changes": _status_changes(events), "days": days}
    for name, rel in views.items():
        rel.create_view(f"__cs8_backlog_{name}", replace=True)
    done = ", ".join(str(code) for code in _DONE_CODES)
    closes = f"CASE WHEN status IN ({done}) THEN 1 ELSE 0 END"
    closed_before = (
        f'CASE WHEN lag(status, 1, {_NEW}) OVER (PARTITION BY c.key ORDER BY c."at", status) '
        f"IN ({done}) THEN 1 ELSE 0 END"
    )
    deltas = f"""
        SELECT created AS "at", 1 AS delta FROM __cs8_backlog_kept
        UNION ALL
        SELECT "at", delta FROM (
            SELECT c."at", {closed_before} - {closes} AS delta
            FROM __cs8_backlog_changes c JOIN __cs8_backlog_kept k ON c.key = k.key
        ) WHERE delta <> 0
    """
    try:
        per_day = dict(
            connection.sql(
                f"SELECT d.day, sum(x.delta) FROM ({deltas}) x "
                'ASOF JOIN __cs8_backlog_days d ON x."at" <= d.day_end GROUP BY d.day'
            ).fetchall()
        )
        open_now = connection.sql(
            f'SELECT coalesce(sum(delta), 0) FROM ({deltas}) WHERE "at" <= {at_now}'
        ).fetchall()[0][0]
    finally:
        for name in views:
            connection.execute(f"DROP VIEW IF EXISTS __cs8_backlog_{name}")
    counts = list(accumulate(int(per_day.get(k, 0)) for k in range(len(ends))))
    return counts, int(open_now)
