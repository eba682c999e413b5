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
- the contacts rebuilt as records by the loader's builder: proactivity, omnichannel (a contact
  continuing another one, found by id), bot containment (each customer's follow-ups) and the
  contacts' part of the negative sentiment. These read across contacts, so the contacts are held
  as records: memory grows with the contacts, not with the tickets or their events.

Example:
    >>> TicketMeasures([], [(None, None)]).language[0].n
    0
"""

from __future__ import annotations

from collections.abc import Sequence
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
    contact_rates,
    language_match,
    learning,
    negative_share,
    period_middle,
    scorecard_of,
)

__all__ = ["Scope", "TicketMeasures", "engine_scorecard", "records"]

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


def records(rel: Any, cls: type, timezone: str) -> list[Any]:
    """The rows of ``rel`` built as ``cls`` records by the loader's builder (rows it rejects are
    left out, as the loader leaves them out of what it returns)."""
    from cs8.io._build import RecordBuilder
    from cs8.io._readers import make_spec
    from cs8.report._engine_sla import cells_of, rows_of

    builder = RecordBuilder(cls, make_spec(timezone=timezone, years=None))
    names = list(rel.columns)
    builder.bind_header(names, cls.__name__)
    built = (
        builder.from_cells(row, line, cls.__name__)
        for line, row in enumerate(rows_of(rel.project(", ".join(cells_of(rel, names)))), 2)
    )
    return [r for r in built if isinstance(r, cls)]


def engine_scorecard(
    *,
    facts: _Facts | None,
    definition: Any,
    speed: Sequence[Rate],
    live: Any | None,
    answers: Any | None,
    contacts: Sequence[Interaction],
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
        contacts: All contacts, as records.
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
        scoped = [c for c in contacts if _within(c.started_at, scope)]
        negative = negative_share((), scoped)
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
                **contact_rates(scoped),
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
