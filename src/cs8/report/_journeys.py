"""The report's customer journeys as numbers: funnel, common paths and directly-follows graph.

Computed by :func:`cs8.customers.journey_funnel` over the data's tickets, contacts and orders with
:data:`cs8.customers.DEFAULT_STAGES` (ask, buy, receive, use, warranty, rebuy). Without orders
there is no journey to speak of (no one buys), so the section is ``None`` and the report says
why. Durations are seconds, as everywhere in the report's numbers.

Example:
    >>> from cs8.datasets import sample_shop
    >>> from cs8.report import ServiceData
    >>> section = journey_section(ServiceData.from_shop(sample_shop(n_customers=100, weeks=2)))
    >>> [s.stage for s in section.stages]
    ['ask', 'buy', 'receive', 'use', 'warranty', 'rebuy']
    >>> journey_section(ServiceData()) is None
    True
"""

from __future__ import annotations

import attrs

from cs8.customers import DEFAULT_STAGES, Funnel, journey_funnel
from cs8.report._data import ServiceData

__all__ = [
    "TOP_PATHS",
    "JourneyEdge",
    "JourneyPath",
    "JourneySection",
    "JourneyStage",
    "journey_section",
    "section_of",
]

TOP_PATHS = 10
"""Paths (variants) kept in the report, the most common first; the count of all is kept too."""


@attrs.frozen(kw_only=True)
class JourneyStage:
    """One funnel stage: who entered it, went on, dropped, and the median time to the next.

    Example:
        >>> JourneyStage(stage="buy", entered=3, completed=1, dropped=2, median_seconds=None).dropped
        2
    """

    stage: str
    entered: int
    completed: int
    dropped: int
    median_seconds: float | None


@attrs.frozen(kw_only=True)
class JourneyPath:
    """A path (process mining's variant): a sequence of stages and how many customers took it.

    Example:
        >>> JourneyPath(path=("ask", "buy"), customers=4).customers
        4
    """

    path: tuple[str, ...]
    customers: int


@attrs.frozen(kw_only=True)
class JourneyEdge:
    """An edge of the directly-follows graph: how often ``target`` came right after ``source``.

    Example:
        >>> JourneyEdge(source="ask", target="buy", count=7).count
        7
    """

    source: str
    target: str
    count: int


@attrs.frozen(kw_only=True)
class JourneySection:
    """The journeys section of the report.

    Attributes:
        customers: Customers with at least one event that reaches a stage.
        stages: The funnel, in stage order.
        paths: The :data:`TOP_PATHS` most common paths (ties by path).
        variants: Distinct paths in all.
        follows: Every directly-follows edge, the most frequent first (ties by names).
    """

    customers: int
    stages: tuple[JourneyStage, ...]
    paths: tuple[JourneyPath, ...]
    variants: int
    follows: tuple[JourneyEdge, ...]


def journey_section(data: ServiceData) -> JourneySection | None:
    """Return the journeys of ``data`` with the default stages, or ``None`` without orders.

    Example:
        >>> journey_section(ServiceData(tickets=())) is None
        True
    """
    if not data.orders:
        return None
    funnel = journey_funnel(
        tickets=data.tickets,
        orders=data.orders,
        interactions=data.interactions,
        stages=DEFAULT_STAGES,
    )
    return section_of(funnel)


def section_of(funnel: Funnel) -> JourneySection:
    """Return the journeys section of a funnel (shared with the DuckDB report).

    Example:
        >>> from cs8.customers._journey import funnel_of
        >>> section_of(funnel_of([])).variants
        0
    """
    stages = tuple(
        JourneyStage(
            stage=s.stage,
            entered=s.entered,
            completed=s.completed,
            dropped=s.dropped,
            median_seconds=None if s.median_time is None else s.median_time.total_seconds(),
        )
        for s in funnel.steps
    )
    edges = sorted(funnel.follows.items(), key=lambda kv: (-kv[1], kv[0]))
    return JourneySection(
        customers=funnel.customers,
        stages=stages,
        paths=tuple(JourneyPath(path=t, customers=n) for t, n in funnel.variants[:TOP_PATHS]),
        variants=len(funnel.variants),
        follows=tuple(JourneyEdge(source=a, target=b, count=n) for (a, b), n in edges),
    )
