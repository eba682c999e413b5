"""The journeys section on DuckDB: each customer's tickets, orders and contacts, streamed in order.

:func:`cs8.customers.journey_funnel` makes each ticket (at its creation, kind its category),
order (a purchase, or a refund when the amount is negative) and interaction (at its start, kind
its channel) an event of its customer. Here DuckDB makes the same rows, one per record, and
orders them by customer, then instant, source and kind (the object path's order); they come back
as an Arrow stream and are folded one customer at a time by the object path's own fold
(:func:`cs8.customers._journey.funnel_of`), so what is held is one customer's events and the
funnel's counts, never the tables.

Example:
    >>> _KIND["order"]
    "CASE WHEN amount < 0 THEN 'refund' ELSE 'purchase' END"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cs8._optional import require
from cs8.customers import DEFAULT_STAGES, JourneyEvent
from cs8.customers._journey import SOURCE_ORDER, Source, funnel_of
from cs8.report._journeys import JourneySection, section_of

__all__ = ["engine_journeys"]

_KIND = {
    "order": "CASE WHEN amount < 0 THEN 'refund' ELSE 'purchase' END",
    "interaction": "replace(replace(lower(trim(CAST(channel AS VARCHAR))), '-', '_'), ' ', '_')",
}
"""Each record's kind in SQL (an interaction's channel in the loaders' normal form)."""


def _present(columns: tuple[str, ...]) -> str:
    return " AND ".join(f'"{c}" IS NOT NULL' for c in columns)


def engine_journeys(
    connection: Any, relations: Mapping[str, Any], facts: Any = None, categories: Any = None
) -> JourneySection | None:
    """The journeys section from the files' relations (``None`` without orders, as on objects).

    Args:
        connection: The DuckDB connection of the relations.
        relations: Role -> relation (``orders``; ``interactions`` when given).
        facts: The fold's per-ticket facts (``id``, ``customer``, ``created``, ``rejected``):
            the tickets the loader loads (``None`` without a tickets file).
        categories: Each loadable ticket's ``id`` and ``category`` (``None`` when unknown).
    """
    pa = require("pyarrow", "duckdb")
    if "orders" not in relations:
        return None
    orders = relations["orders"].filter(_present(("id", "customer_id", "at", "amount")))
    if not orders.aggregate("count(*)").fetchall()[0][0]:
        return None
    parts: dict[str, Any] = {
        "orders": orders.project(
            f'CAST(customer_id AS VARCHAR) AS customer, "at", {SOURCE_ORDER["order"]} AS source, '
            f"{_KIND['order']} AS kind"
        )
    }
    if facts is not None:
        tickets = facts.filter("rejected = 0").set_alias("f")
        category = "NULL"
        if categories is not None and "category" in categories.columns:
            tickets = tickets.join(categories.set_alias("c"), "f.id = c.id", how="left")
            category = "nullif(c.category, '')"
        parts["tickets"] = tickets.project(
            f'f.customer AS customer, f.created AS "at", {SOURCE_ORDER["ticket"]} AS source, '
            f"coalesce({category}, 'ticket') AS kind"
        )
    if "interactions" in relations:
        parts["interactions"] = (
            relations["interactions"]
            .filter(_present(("customer_id", "started_at", "channel")))
            .project(
                'CAST(customer_id AS VARCHAR) AS customer, started_at AS "at", '
                f"{SOURCE_ORDER['interaction']} AS source, {_KIND['interaction']} AS kind"
            )
        )
    for name, rel in parts.items():
        rel.create_view(f"__cs8_journey_{name}", replace=True)
    union = " UNION ALL ".join(f"SELECT * FROM __cs8_journey_{name}" for name in parts)
    try:
        ordered = connection.sql(f'SELECT * FROM ({union}) ORDER BY customer, "at", source, kind')
        reader = pa.RecordBatchReader.from_stream(ordered)
        return section_of(funnel_of(_customers(reader), DEFAULT_STAGES))
    finally:
        for name in parts:
            connection.execute(f"DROP VIEW IF EXISTS __cs8_journey_{name}")


def _customers(reader: Any) -> Iterator[list[JourneyEvent]]:
    """Each customer's events from the ordered stream, one customer at a time."""
    pa = require("pyarrow", "duckdb")
    sources: dict[int, Source] = {
        code: name  # type: ignore[misc]
        for name, code in SOURCE_ORDER.items()
    }
    current: str | None = None
    events: list[JourneyEvent] = []
    for batch in reader:
        # Instants in UTC: Python subtracts two datetimes of one zone by their wall clocks, which
        # is an hour off across a DST change.
        at = batch.column(1).cast(pa.timestamp("us", tz="UTC"))
        columns = [
            batch.column(0).to_pylist(),
            at.to_pylist(),
            *(batch.column(k).to_pylist() for k in (2, 3)),
        ]
        for customer, at, source, kind in zip(*columns, strict=True):
            if customer != current:
                if events:
                    yield events
                current, events = customer, []
            events.append(
                JourneyEvent(customer_id=customer, at=at, source=sources[source], kind=kind)
            )
    if events:
        yield events
