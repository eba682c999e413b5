"""The S8 scorecard on DuckDB: each measure from the engine where it has a form, else from records.

:func:`cs8.report._scorecard.scorecard_of` turns each measure's rate over the whole period, the
last period and the one before into the pillar scores, on both paths. Here the rates come from:

- the engine's KPIs: availability (the service level's ``.frame`` on the live contacts), empathy
  (CSAT's), accuracy (first-contact resolution on the fold's per-ticket facts), speed (the SLA
  section's first-reply attainment) and continuous learning (the NPS answers of each half of the
  period counted in DuckDB);
- the ticket stream of the SLA section (:mod:`cs8.report._engine_sla`), a batch of rebuilt
  tickets at a time: personalization (:func:`~cs8.report._scorecard.language_match`) and the
  tickets' part of the negative sentiment (:func:`~cs8.report._scorecard.negative_share`), each a
  mergeable :class:`~cs8.kpi.RateState` added up per scope;
- the contacts streamed from DuckDB by customer, a batch of whole customers at a time, rebuilt by
  the loader's builder (:func:`contact_measures`): proactivity, omnichannel (a contact continuing
  another one, found by id), bot containment (each conversation and its customer's follow-ups)
  and the contacts' part of the negative sentiment, each a mergeable
  :class:`~cs8.kpi.RateState` added up per scope. A ``previous_id`` may name another customer's
  contact, so the customers such links join are kept in one batch: memory holds one batch, not
  the contacts.

Example:
    >>> TicketMeasures([], [(None, None)]).language[0].n
    0
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from cs8._models import Agent, Interaction, Ticket
from cs8._optional import require
from cs8.kpi import Rate, RateState, csat, first_contact_resolution, service_level
from cs8.kpi._columnar_scores import csat_frame, nps_frame
from cs8.kpi._frame_facts import _Facts
from cs8.kpi._frames import _fcr, _us
from cs8.kpi._surveys import NpsState
from cs8.report._engine_sla import norm_sql
from cs8.report._scorecard import (
    PillarScore,
    ScorecardTargets,
    contact_states,
    language_match,
    learning,
    negative_share,
    period_middle,
    scorecard_of,
)
from cs8.text._bot import _cutoff

__all__ = [
    "CONTACTS_BATCH",
    "Scope",
    "TicketMeasures",
    "contact_measures",
    "engine_scorecard",
    "records",
    "unique_rows",
]

Scope = tuple[datetime | None, datetime | None]
"""An interval ``[start, end)`` of creation or start instants; ``(None, None)`` is everything."""


class TicketMeasures:
    """Personalization and the tickets' negative sentiment, added up per scope from ticket batches.

    Mutable (one report's lifetime; not thread-safe): :meth:`add` takes each batch of the SLA
    section's ticket stream.

    Args:
        agents: The agents (their languages).
        scopes: The scopes, by creation instant.
        before: Only tickets created before it count (the report's ``now``).
    """

    def __init__(
        self, agents: Sequence[Agent], scopes: Sequence[Scope], before: datetime | None = None
    ) -> None:
        self._agents = agents
        self._scopes = scopes
        self._before = before
        self.language = [RateState() for _ in scopes]
        self.negative = [RateState() for _ in scopes]

    def add(self, batch: Sequence[Ticket]) -> None:
        """Add one batch of tickets to every scope it meets."""
        if self._before is not None:
            batch = [t for t in batch if t.created_at < self._before]
        for k, scope in enumerate(self._scopes):
            part = [t for t in batch if _within(t.created_at, scope)]
            self.language[k] = self.language[k].merge(language_match(part, self._agents))
            self.negative[k] = self.negative[k].merge(negative_share(part, ()))


def _within(at: datetime, scope: Scope) -> bool:
    low, high = scope
    return low is None or high is None or low <= at < high


def _between(column: str, scope: Scope) -> str:
    """SQL: ``column`` within ``scope``."""
    low, high = scope
    if low is None or high is None:
        return "true"
    return (
        f"\"{column}\" >= TIMESTAMPTZ '{low.isoformat()}' "
        f"AND \"{column}\" < TIMESTAMPTZ '{high.isoformat()}'"
    )


def unique_rows(rel: Any) -> Any:
    """``rel`` without the rows whose ``id`` repeats (the loader rejects every copy of one)."""
    if "id" not in rel.columns:
        return rel
    once = rel.aggregate("id AS once_id, count(*) AS n", "id").filter("n = 1")
    once = once.project("once_id").set_alias("once")
    return rel.set_alias("rows").join(once, "rows.id = once.once_id", how="semi")


def records(rel: Any, cls: type, timezone: str) -> list[Any]:
    """The rows of ``rel`` built as ``cls`` records by the loader's builder (rows it rejects are
    left out, as the loader leaves them out of what it returns)."""
    from cs8.report._engine_sla import cells_of, rows_of

    names = list(rel.columns)
    return list(_built(rows_of(rel.project(", ".join(cells_of(rel, names)))), names, cls, timezone))


def _built(rows: Iterable[list[Any]], names: list[str], cls: type, timezone: str) -> Iterator[Any]:
    """The ``cls`` records the loader's builder makes of ``rows`` of text cells (rejects left out)."""
    from cs8.io._build import RecordBuilder
    from cs8.io._readers import make_spec

    builder = RecordBuilder(cls, make_spec(timezone=timezone, years=None))
    builder.bind_header(names, cls.__name__)
    for line, row in enumerate(rows, 2):
        record = builder.from_cells(row, line, cls.__name__)
        if isinstance(record, cls):
            yield record


CONTACTS_BATCH = 20_000
"""Contacts rebuilt and measured at a time (a batch ends only between linked customer groups)."""

ContactStates = dict[str, RateState]
"""One scope's contact measures: :func:`~cs8.report._scorecard.contact_states` and the contacts'
``negative_sentiment``."""


def contact_measures(
    connection: Any, contacts: Any | None, timezone: str, scopes: Sequence[Scope]
) -> list[ContactStates]:
    """The contact measures of each scope, from the contacts streamed a batch at a time.

    The contacts come ordered by customer, a customer's contacts together with those of every
    customer linked to it by a ``previous_id`` naming another customer's contact (a small
    relation of customer pairs, grouped here), so each batch holds whole conversations and whole
    customers and the states of the batches add up to the object path's. Bot containment is
    decided at the latest start or end of each scope's contacts (its object default): taken from
    DuckDB, and the stream is read again in the rare case the loader rejected the row that held it.

    Args:
        connection: The DuckDB connection of ``contacts``.
        contacts: The interactions relation (``None`` without contacts).
        timezone: The data's zone, for the loader's builder.
        scopes: The scopes, by start instant.
    """
    if contacts is None:
        return [_empty() for _ in scopes]
    rel = unique_rows(contacts)
    rel.create_view("__cs8_contacts", replace=True)
    try:
        groups = _linked(connection, rel)
        ends = "greatest(started_at, ended_at)" if "ended_at" in rel.columns else "started_at"
        cutoffs = [
            rel.filter(_between("started_at", scope)).aggregate(f"max({ends})").fetchall()[0][0]
            for scope in scopes
        ]
        found, seen = _tally(connection, rel, timezone, scopes, groups, cutoffs)
        if seen != cutoffs:
            found, _ = _tally(connection, rel, timezone, scopes, groups, seen)
        return found
    finally:
        connection.execute("DROP VIEW IF EXISTS __cs8_contacts")
        connection.execute("DROP VIEW IF EXISTS __cs8_contact_groups")


def _empty() -> ContactStates:
    return {**contact_states([], None), "negative_sentiment": RateState()}


def _linked(connection: Any, rel: Any) -> dict[str, str]:
    """Each customer linked to another by a ``previous_id`` -> its group's least customer id."""
    if not {"id", "previous_id", "customer_id"} <= set(rel.columns):
        return {}
    pairs = connection.sql(
        "SELECT DISTINCT CAST(a.customer_id AS VARCHAR), CAST(b.customer_id AS VARCHAR) "
        "FROM __cs8_contacts a JOIN __cs8_contacts b "
        "ON CAST(a.previous_id AS VARCHAR) = CAST(b.id AS VARCHAR) "
        "WHERE a.customer_id IS NOT NULL AND b.customer_id IS NOT NULL "
        "AND CAST(a.customer_id AS VARCHAR) <> CAST(b.customer_id AS VARCHAR)"
    ).fetchall()
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = root(a), root(b)
        if ra != rb:  # the least id stays the root: the group's key
            parent[max(ra, rb)] = min(ra, rb)
    return {c: root(c) for c in list(parent)}


def _tally(
    connection: Any,
    rel: Any,
    timezone: str,
    scopes: Sequence[Scope],
    groups: dict[str, str],
    cutoffs: Sequence[datetime | None],
) -> tuple[list[ContactStates], list[datetime | None]]:
    """The states of each scope at ``cutoffs``, and each scope's latest start or end seen."""
    from cs8.report._engine_sla import cells_of, rows_of

    pa = require("pyarrow", "duckdb")
    names = list(rel.columns)
    schema = pa.schema([("g_customer", pa.string()), ("g_group", pa.string())])
    linked = pa.table([list(groups), list(groups.values())], schema=schema)
    pairs = connection.from_arrow(linked)  # kept alive while the view reads it
    pairs.create_view("__cs8_contact_groups", replace=True)
    customer = 'CAST(c."customer_id" AS VARCHAR)'
    cells = cells_of(rel, names)
    ordered = connection.sql(
        f"SELECT {', '.join(cells)} FROM __cs8_contacts c "
        f"LEFT JOIN __cs8_contact_groups g ON {customer} = g.g_customer "
        f"ORDER BY coalesce(g.g_group, {customer}), {customer}"
    )
    states = [_empty() for _ in scopes]
    seen: list[datetime | None] = [None] * len(scopes)
    batch: list[Interaction] = []
    key: str | None = None

    def measure() -> None:
        for k, scope in enumerate(scopes):
            part = [c for c in batch if _within(c.started_at, scope)]
            found = {
                **contact_states(part, cutoffs[k]),
                "negative_sentiment": negative_share((), part),
            }
            states[k] = {name: states[k][name].merge(state) for name, state in found.items()}
            latest = [t for t in (_cutoff(part, None), seen[k]) if t is not None]
            seen[k] = max(latest) if latest else None

    for contact in _built(rows_of(ordered), names, Interaction, timezone):
        group = groups.get(contact.customer_id, contact.customer_id)
        if group != key and len(batch) >= CONTACTS_BATCH:
            measure()
            batch = []
        key = group
        batch.append(contact)
    measure()
    return states, seen


def engine_scorecard(
    *,
    facts: _Facts | None,
    definition: Any,
    speed: Sequence[Rate],
    live: Any | None,
    answers: Any | None,
    contacts: Sequence[ContactStates],
    tickets: TicketMeasures | None,
    scopes: Sequence[Scope],
    span: tuple[datetime, datetime] | None,
    targets: ScorecardTargets,
) -> tuple[PillarScore, ...]:
    """The scorecard from the engine's measures (see the module documentation).

    Args:
        facts: The counted tickets' facts (``None`` without tickets).
        definition: The ticket definition of the facts.
        speed: The first-reply SLA attainment of each scope.
        live: The live contacts relation, or ``None`` without contacts.
        answers: The survey answers relation, or ``None`` without surveys.
        contacts: The contact measures of each scope (:func:`contact_measures`).
        tickets: The ticket stream's measures per scope (``None`` without tickets).
        scopes: The whole period, then (when there are two periods) the last and the one before.
        span: The report's period.
        targets: The targets.
    """
    from cs8.report._engine import _scores

    np = require("numpy", "duckdb")
    rates: list[dict[str, Rate]] = []
    for k, scope in enumerate(scopes):
        low, high = scope
        accuracy = first_contact_resolution([])
        if facts is not None:
            part = facts
            if low is not None and high is not None:
                keep = (facts.created >= _us(low)) & (facts.created < _us(high))
                part = facts.take(np.flatnonzero(keep))
            accuracy = _fcr(part, definition, None)
        negative = contacts[k]["negative_sentiment"]
        language = RateState()
        if tickets is not None:
            negative = negative.merge(tickets.negative[k])
            language = tickets.language[k]
        level = (
            service_level.frame(
                live.filter(_between("started_at", scope)), threshold=targets.answer_within
            )
            if live is not None
            else service_level([], threshold=targets.answer_within)
        )
        satisfied = (
            _scores(answers, "csat", csat_frame, _between("at", scope))
            if answers is not None
            else csat([])
        )
        rates.append(
            {
                "availability": level,
                "speed": speed[k],
                "accuracy": accuracy,
                "empathy": satisfied,
                "personalization": language.result(),
                **{name: state.result() for name, state in contacts[k].items()},
                "negative_sentiment": negative.result(),
            }
        )
    first, second = NpsState(), NpsState()
    if answers is not None and span is not None:
        middle = period_middle(span)
        nps = answers.filter(f"{norm_sql('kind')} = 'nps'")
        first, second = (
            _nps_state(nps.filter(f"\"at\" {op} TIMESTAMPTZ '{middle.isoformat()}'"))
            for op in ("<", ">=")
        )
    last, before = (rates[1], rates[2]) if len(rates) == 3 else ({}, {})
    return scorecard_of(rates[0], last, before, learning(first, second, span, targets), targets)


def _nps_state(answers: Any) -> NpsState:
    """The NPS state of the answers' scores (counted in the engine by :func:`nps_frame`)."""
    found = nps_frame(answers.project("score"), min_n=0)
    return NpsState(promoters=found.promoters, passives=found.passives, detractors=found.detractors)
