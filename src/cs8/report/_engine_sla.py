"""The SLA section on DuckDB: the tickets streamed, rebuilt by the loaders, evaluated in batches.

The SLA clocks' pauses, next-reply cycles and business-time breaches walk each ticket's events
(:meth:`cs8.sla.SlaPolicy.evaluate`). Rather than a second SLA engine in SQL, DuckDB streams the
counted tickets ordered by id, and their events ordered by ticket and instant, as Arrow record
batches; each ticket is rebuilt from its rows by the loaders' own builders
(:class:`cs8.io._build.RecordBuilder`, :class:`cs8.io._events.EventBuilder` and
:func:`cs8.io._events.attach`, so it is validated as ``cs8 report`` loads it), and
:func:`cs8.sla.sla_report` evaluates :data:`BATCH` tickets at a time. Only the attainment counts
and the rows the report lists (breaches, tickets at risk) are kept: memory holds one batch of
tickets, never the events.

Events at one instant: an engine has no file order, so such ties are taken in a fixed order, the
one a help desk writes them in (:data:`TIE_ORDER`): the customer's message, an assignment, a
priority change, opening, the replies, then the pausing and closing statuses (by status code, as
the fold has them). The object path takes the file's order.

Example:
    >>> TIE_ORDER[:2]
    ('customer message', 'assignment')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

import attrs

from cs8._enums import TicketStatus
from cs8._models import Customer, Ticket
from cs8.exceptions import LoadError
from cs8.io._common import RejectedRow
from cs8.io._rows import Meter, Progress
from cs8.report._gather import _sla_row
from cs8.report._model import SlaRow
from cs8.sla import SlaPolicy, SlaReport, sla_report
from cs8.sla._report import Dimension, attainment_rows, metric_order
from cs8.sla._targets import SlaMetric

__all__ = ["BATCH", "TIE_ORDER", "EngineSla", "cells_of", "engine_sla", "norm_sql", "rows_of"]

BATCH = 20_000
"""Tickets rebuilt and evaluated per :func:`cs8.sla.sla_report` call (and Arrow rows per batch)."""

TIE_ORDER = (
    "customer message",
    "assignment",
    "priority change",
    "new or open",
    "other message",
    "pending, on hold, solved, closed",
)
"""How events at one instant of a ticket are ordered (see the module documentation)."""

# The statuses in TicketStatus order: the fold's status codes (engines._fold), so a tie's order
# here is the one the fold takes.
_STATUSES = "[" + ", ".join(f"'{status.value}'" for status in TicketStatus) + "]"


def norm_sql(column: str) -> str:
    """:func:`cs8._enums.enum_key` in SQL (the loaders' normal form of enum text).

    Example:
        >>> norm_sql("kind").startswith("replace(")
        True
    """
    return f"replace(replace(lower(trim(CAST({column} AS VARCHAR))), '-', '_'), ' ', '_')"


def _tie_rank(columns: Sequence[str]) -> str:
    """SQL: an event's place among the events of its ticket at the same instant."""

    def norm(name: str) -> str:
        return norm_sql(f'"{name}"') if name in columns else "NULL"

    kind, status, author = norm("type"), norm("status"), norm("author")
    return (
        f"CASE WHEN {kind} = 'message' AND {author} = 'customer' THEN 0 "
        f"WHEN {kind} IN ('assignment', 'assign') THEN 1 "
        f"WHEN {kind} IN ('priority_change', 'priority') THEN 2 "
        f"WHEN {kind} IN ('status_change', 'status') AND {status} IN ('new', 'open') THEN 3 "
        f"WHEN {kind} = 'message' THEN 4 "
        f"ELSE 5 + coalesce(list_position({_STATUSES}, {status}), 0) END"
    )


def cells_of(rel: Any, columns: Sequence[str], blank: Sequence[str] = ()) -> list[str]:
    """SQL: ``columns`` of ``rel`` as the text cells a file holds (an instant in ISO 8601 with
    the data zone's offset), and an empty cell for each of ``blank``."""
    types = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
    out = []
    for c in columns:
        name = '"' + c.replace('"', '""') + '"'
        if types[c].startswith("TIMESTAMP"):
            # In the session's zone (the data's), with its offset, as the files write them.
            text = f"strftime({name}, '%Y-%m-%dT%H:%M:%S.%f%z')"
        else:
            text = f"CAST({name} AS VARCHAR)"
        out.append(f"coalesce({text}, '')")
    return out + ["''"] * len(blank)


def rows_of(rel: Any) -> Iterator[list[Any]]:
    """The rows of ``rel`` as lists of Python values, read in Arrow batches of :data:`BATCH`."""
    for batch in rel.to_arrow_reader(BATCH):
        columns = [batch.column(k).to_pylist() for k in range(batch.num_columns)]
        for row in zip(*columns, strict=True):
            yield list(row)


def _stream(connection: Any, tickets: Any, events: Any, customers: Any | None) -> Any:
    """One ordered relation of each ticket's row followed by its events' rows.

    Columns: the key, the part (0 the ticket, 1 an event), the ticket's cells, its customer's
    segment, the event's cells. One stream, as a connection reads one result at a time.
    """
    names = list(tickets.columns)
    event_names = list(events.columns)
    rel = tickets.set_alias("t")
    segment = "''"
    if customers is not None and "segment" in customers.columns:
        # The loader rejects every copy of a duplicate customer id.
        segments = (
            customers.aggregate("id AS cid, any_value(segment) AS segment, count(*) AS n", "id")
            .filter("n = 1")
            .project("cid, segment")
        )
        rel = rel.join(segments.set_alias("c"), "t.customer_id = c.cid", how="left")
        segment = "coalesce(CAST(c.segment AS VARCHAR), '')"
    head = ["CAST(t.id AS VARCHAR)", "0", "NULL::TIMESTAMPTZ", "0"]
    cells = cells_of(tickets, names)
    first = rel.project(", ".join([*head, *cells, segment, *cells_of(events, (), event_names)]))
    counted = tickets.project("CAST(id AS VARCHAR) AS kept_id")
    kept = events.join(counted, "ticket_id = kept_id", how="semi")
    tail = ["CAST(ticket_id AS VARCHAR)", "1", '"at"', _tie_rank(event_names)]
    second = kept.project(
        ", ".join([*tail, *cells_of(tickets, (), names), "''", *cells_of(events, event_names)])
    )
    # Kept as a temporary table first (DuckDB spills it past its limit): the joins then run
    # before the sort, not at once with it under the one memory limit.
    for view, part in (("__cs8_sla_tickets", first), ("__cs8_sla_events", second)):
        part.create_view(view, replace=True)
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE __cs8_sla AS SELECT * FROM __cs8_sla_tickets "
        "UNION ALL SELECT * FROM __cs8_sla_events"
    )
    connection.execute("DROP VIEW __cs8_sla_tickets")
    connection.execute("DROP VIEW __cs8_sla_events")
    return connection.sql("SELECT * FROM __cs8_sla ORDER BY 1, 2, 3, 4")


@attrs.frozen(kw_only=True)
class EngineSla:
    """The SLA section's numbers: the attainment (a report without rows) and the listed rows."""

    report: SlaReport
    breaches: tuple[SlaRow, ...] = ()
    at_risk: tuple[SlaRow, ...] = ()


def engine_sla(
    connection: Any,
    tickets: Any,
    events: Any,
    customers: Any | None,
    *,
    policy: SlaPolicy,
    now: datetime,
    horizon: timedelta,
    period: Literal["week", "month"],
    zone: str,
    timezone: str,
    visit: Callable[[list[Ticket]], None] | None = None,
    progress: Progress = False,
) -> EngineSla:
    """Evaluate ``policy`` on the tickets of ``tickets`` created before ``now``, with their events.

    Args:
        connection: The DuckDB connection of the relations.
        tickets: The loaded ticket rows (unique ids), in the loaders' column names.
        events: The events relation.
        customers: The customers relation (their segments select targets), or ``None``.
        policy: The SLA policy.
        now: The instant the clocks are evaluated at.
        horizon: Running clocks due within it are listed as at risk.
        period: How attainment is cut by period.
        zone: The report's zone (the periods attainment is cut by).
        timezone: The data's zone (how the builders read an instant without an offset).
        visit: Called with each batch of rebuilt tickets too, those created from ``now`` on
            included (the scorecard's ticket measures, what customers wrote).
        progress: Reports the tickets rebuilt (:class:`cs8.io._rows.Meter`: ``True`` for a bar
            that knows their number, counted first; a callable given the count so far).

    Raises:
        LoadError: If a row the fold counts is one the loader would reject (named).
        MissingExtraError: If ``progress`` is ``True`` and tqdm is not installed.
    """
    from cs8.io._build import RecordBuilder
    from cs8.io._events import EventBuilder, attach
    from cs8.io._readers import make_spec

    spec = make_spec(timezone=timezone, years=None)  # DuckDB read every year; so does the fold
    names = list(tickets.columns)
    event_names = list(events.columns)
    builder = RecordBuilder(Ticket, spec, skip=("events",))
    builder.bind_header(names, "tickets")
    event_builder = EventBuilder(spec)
    event_builder.bind_header(event_names, "events")
    customer_builder = RecordBuilder(Customer, spec)
    customer_builder.bind_header(["id", "segment"], "customers")
    total = None if progress is False else int(tickets.aggregate("count(*)").fetchall()[0][0])

    counts: dict[tuple[SlaMetric, Dimension, str], list[int]] = {}
    breaches: list[tuple[tuple[datetime, str, int], SlaRow]] = []
    at_risk: list[tuple[tuple[datetime, str, int], SlaRow]] = []
    n = 0

    def evaluate(batch: list[Ticket], known: dict[str, Customer]) -> None:
        nonlocal n
        if visit is not None:
            visit(batch)
        counted = [t for t in batch if t.created_at < now]
        n += len(counted)
        found = sla_report(
            counted,
            policy,
            now=now,
            customers=known,
            horizon=horizon,
            period=period,
            timezone=zone,
        )
        meter.add(len(batch))  # evaluated: the bar moves by whole batches
        for row in found.attainment:
            cell = counts.setdefault((row.metric, row.by, row.key), [0, 0])
            cell[0] += row.achieved
            cell[1] += row.breached
        for b in found.breaches:
            breaches.append(
                (
                    (b.breached_at, b.ticket_id, metric_order(b.metric)),
                    _sla_row(
                        b.ticket_id, b.metric, b.priority, b.channel, b.breached_at, b.overdue
                    ),
                )
            )
        for r in found.at_risk:
            at_risk.append(
                (
                    (r.due_at, r.ticket_id, metric_order(r.metric)),
                    _sla_row(r.ticket_id, r.metric, r.priority, r.channel, r.due_at, r.remaining),
                )
            )

    batch: list[Ticket] = []
    known: dict[str, Customer] = {}
    cut = 4 + len(names)
    with Meter(progress, "tickets (SLA section)", total=total, unit="tickets") as meter:
        rows = rows_of(_stream(connection, tickets, events, customers))
        row: list[Any] | None = next(rows, None)
        line = 0
        while row is not None:
            line += 1
            cells, segment = row[4:cut], row[cut]
            items: list[tuple[int, Any]] = []
            row = next(rows, None)
            while row is not None and row[1] == 1:
                line += 1
                items.append((line, event_builder.from_cells(row[cut + 1 :], line, "events")[1]))
                row = next(rows, None)
            ticket = _ticket(builder.from_cells(cells, line, "tickets"), items, attach)
            if segment:
                customer = customer_builder.from_cells([ticket.customer_id, segment], line, "c")
                if isinstance(customer, Customer):
                    known[customer.id] = customer
            batch.append(ticket)
            if len(batch) == BATCH:
                evaluate(batch, known)
                batch, known = [], {}
        evaluate(batch, known)
    connection.execute("DROP TABLE __cs8_sla")
    breaches.sort(key=lambda item: item[0])
    at_risk.sort(key=lambda item: item[0])
    report = SlaReport(
        policy=policy.name,
        now=now,
        horizon=horizon,
        period=period,
        timezone=zone,
        tickets=n,
        attainment=attainment_rows(counts),
    )
    return EngineSla(
        report=report,
        breaches=tuple(row for _, row in breaches),
        at_risk=tuple(row for _, row in at_risk),
    )


def _ticket(ticket: Any, items: list[tuple[int, Any]], attach: Any) -> Ticket:
    """The ticket with its events in time order, as the loader gives it.

    Raises:
        LoadError: If the loader would reject the ticket or one of its events: the fold kept a
            row the loader refuses, so the SLA figures would not be the object path's.
    """
    bad = [e for _, e in items if isinstance(e, RejectedRow)]
    if isinstance(ticket, Ticket) and not bad:
        ticket = attach(ticket, items, "reject")[0]
    if not isinstance(ticket, Ticket) or bad:
        problem = ticket if not isinstance(ticket, Ticket) else bad[0]
        raise LoadError(f"the duckdb engine counted a ticket the loader rejects: {problem}")
    return ticket
