"""Who holds each ticket, folded in the engine: the assignee and group after the last assignment.

The engine form of :attr:`cs8.Ticket.assignee` and :attr:`cs8.Ticket.group`, which
:func:`cs8.kpi.breakdown` reads to cut tickets by agent and team: the assignee is the agent of
the ticket's last assignment (``None`` when it unassigned), the group that of the latest
assignment naming one. Like the ticket fold (:mod:`cs8.engines._fold`), it reads the events
table where it lives and returns one row per ticket with an assignment, and like the fold it has
no file order: **assignments at the same instant are simultaneous**, and among them the greatest
agent id (a named agent before none) and the greatest group are taken. The object path takes the
file's last for such ties.

Example:
    >>> import duckdb
    >>> events = duckdb.sql(
    ...     "SELECT * FROM (VALUES ('T1', 'assignment', TIMESTAMPTZ '2026-03-02 09:00+00', 'a1', 'sales'),"
    ...     " ('T1', 'assignment', TIMESTAMPTZ '2026-03-02 10:00+00', 'a2', NULL),"
    ...     " ('T1', 'message', TIMESTAMPTZ '2026-03-02 11:00+00', NULL, NULL)) "
    ...     "AS e(ticket_id, type, \\"at\\", agent_id, \\"group\\")")
    >>> assignment_facts(events).to_native().fetchall()
    [('T1', 'a2', 'sales')]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cs8._optional import require
from cs8.engines._fold import _P, _check_instant, _enum_code, _lazy
from cs8.exceptions import UnknownFieldError

__all__ = ["assignment_facts"]

_ASSIGNMENT = {"assignment": 1, "assign": 1}
"""The event kinds the loader reads as an :class:`cs8.Assignment` (``cs8.io``'s tags)."""


def _text(nw: Any, schema: Mapping[str, Any], column: str | None) -> Any:
    """The column as text, an empty cell as null (the loader reads a blank cell as ``None``)."""
    if column is None:
        return nw.lit(None, nw.String)
    text = nw.col(column).cast(nw.String)
    return nw.when(text.fill_null("") != "").then(text)


def assignment_facts(events: object, *, event_columns: Mapping[str, str] | None = None) -> Any:
    """Return a narwhals LazyFrame: ``ticket_id``, ``assignee`` and ``group`` per assigned ticket.

    Args:
        events: The ticket events table (lazy or eager, any engine narwhals reads), with
            ``ticket_id``, ``type`` and ``at`` (a timezone-aware timestamp); ``agent_id`` and
            ``group`` when the assignments name them.
        event_columns: cs8 field name -> column name, for the events table.

    Returns:
        One row per ticket id with at least one assignment (ids as text). Tickets without
        assignments have no row: their assignee and group are ``None``.

    Raises:
        UnknownFieldError: ``ticket_id``, ``type`` or ``at`` has no column.
        InvalidValueError: ``at`` is not a timestamp.
    """
    nw = require("narwhals", "dataframe", "ticket assignees on an engine")
    mapping = dict(event_columns or {})
    frame = _lazy(events, "events")
    schema = dict(frame.collect_schema())

    def column(field: str) -> str | None:
        name = mapping.get(field, field)
        return name if name in schema else None

    def required(field: str) -> str:
        found = column(field)
        if found is None:
            raise UnknownFieldError(
                f"events frame has no column {mapping.get(field, field)!r} for field {field!r}; "
                f"columns: {list(schema)} (map it with event_columns=)"
            )
        return found

    ref, kind, at = required("ticket_id"), required("type"), required("at")
    _check_instant(nw, schema, at, "events.at")
    key, last = "ticket_id", f"{_P}last"
    moves = frame.filter(
        (_enum_code(nw, nw.col(kind), schema[kind], _ASSIGNMENT, 0) == 1)
        & ~nw.col(at).is_null()
        & ~nw.col(ref).is_null()
    ).select(
        nw.col(ref).cast(nw.String).alias(key),
        nw.col(at).alias("at"),
        _text(nw, schema, column("agent_id")).alias("assignee"),
        _text(nw, schema, column("group")).alias("group"),
    )

    def latest(rows: Any, value: str) -> Any:
        """``value`` of each ticket's latest row (the greatest among simultaneous ones)."""
        when = rows.group_by(key).agg(nw.col("at").max().alias(last))
        return (
            rows.join(when, on=key, how="inner")
            .filter(nw.col("at") == nw.col(last))
            .group_by(key)
            .agg(nw.col(value).max())
        )

    assignee = latest(moves, "assignee")
    group = latest(moves.filter(~nw.col("group").is_null()), "group")
    return assignee.join(group, on=key, how="left").select(key, "assignee", "group")
