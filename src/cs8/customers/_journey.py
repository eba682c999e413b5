"""Customer journeys: the stages customers pass, where they drop off, and the paths they take.

Every ticket, interaction and order is an event of its customer. A :class:`Stage` says which
events reach it (by source, kind and occurrence: "the customer's second order" is a rebuy). The
funnel follows the stages in order: a customer enters stage 1 at its first matching event and
stage ``i + 1`` at the first matching event after the one that entered stage ``i`` (a closed
funnel: who skips a stage has left it; one event moves a customer on by one stage at most). For each stage it counts who entered, who went on (completed) and
who did not (dropped), and the median time from entering it to entering the next.

The paths are process mining's variants and directly-follows graph (W. van der Aalst, *Process
Mining*, 2nd ed., 2016, sections 2.2 and 6.2), computed here in a few lines rather than with PM4Py
(AGPL): each customer's trace is the sequence of stage names of their events, a variant is a
distinct trace, and the graph counts how often one stage directly follows another. An event
takes the most specific stage that matches it: the one with the highest ``occurrence`` (a second
order is a rebuy, not a buy), then one that names ``kinds`` over one that takes every kind (a
delivery ticket is "receive", not "ask"), the first listed on a tie.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Order, Ticket
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> day = timedelta(days=1)
    >>> tickets = [Ticket(id=f"T{c}", customer_id=c, channel="chat", created_at=t0, category="product")
    ...            for c in "abc"]
    >>> orders = [Order(id="1", customer_id="a", at=t0 + 2 * day, amount=10),
    ...           Order(id="2", customer_id="b", at=t0 + 4 * day, amount=10),
    ...           Order(id="3", customer_id="a", at=t0 + 30 * day, amount=10)]
    >>> stages = [Stage(name="ask", sources={"ticket", "interaction"}),
    ...           Stage(name="buy", sources={"order"}),
    ...           Stage(name="rebuy", sources={"order"}, occurrence=2)]
    >>> print(journey_funnel(tickets=tickets, orders=orders, stages=stages))
    Journey funnel (3 customers)
      paths  ask (1), ask > buy (1), ask > buy > rebuy (1)
    stage  entered  completed  dropped  median_time
    ask    3        2          1        3d 00:00:00.0
    buy    2        1          1        28d 00:00:00.0
    rebuy  1        1          0        -
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from typing import ClassVar, Literal

import attrs

from cs8._display import DictsReprMixin, format_value
from cs8._frozen import FrozenDict
from cs8._models import Interaction, Order, Ticket
from cs8.exceptions import InvalidValueError

__all__ = ["DEFAULT_STAGES", "Funnel", "FunnelStep", "JourneyEvent", "Stage", "journey_funnel"]

Source = Literal["order", "ticket", "interaction"]
_SOURCES = frozenset({"order", "ticket", "interaction"})
SOURCE_ORDER: dict[str, int] = {"order": 0, "ticket": 1, "interaction": 2}
"""The order of a customer's events at one instant: orders, then tickets, then interactions."""


@attrs.frozen(kw_only=True)
class JourneyEvent:
    """One thing a customer did: an order, a ticket or an interaction.

    Args:
        customer_id: The customer.
        at: When it happened.
        source: ``"order"``, ``"ticket"`` or ``"interaction"``.
        kind: What it was: ``"purchase"`` or ``"refund"`` for orders, the category (or
            ``"ticket"``) for tickets, the channel for interactions.
    """

    customer_id: str
    at: datetime
    source: Source
    kind: str


def _frozen_strs(value: Iterable[str]) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


def _check_sources(instance: Stage, attribute: object, value: frozenset[str]) -> None:
    unknown = value - _SOURCES
    if not value or unknown:
        raise InvalidValueError(
            f"Stage {instance.name!r}: sources must be some of 'order', 'ticket', 'interaction', "
            f"got {sorted(value)!r}"
        )


@attrs.frozen(kw_only=True)
class Stage:
    """A journey stage: which events reach it.

    Args:
        name: The stage's name.
        sources: The kinds of record that can reach it (``"order"``, ``"ticket"``,
            ``"interaction"``).
        kinds: The event kinds that count (ticket categories, interaction channels, ``"purchase"``
            or ``"refund"``); empty means all.
        occurrence: The event must be at least the customer's ``occurrence``-th event matching
            ``sources`` and ``kinds`` (2 for a rebuy).

    Example:
        >>> Stage(name="rebuy", sources={"order"}, occurrence=2).occurrence
        2
    """

    name: str
    sources: frozenset[str] = attrs.field(converter=_frozen_strs, validator=_check_sources)
    kinds: frozenset[str] = attrs.field(factory=frozenset, converter=_frozen_strs)
    occurrence: int = 1

    def matches(self, event: JourneyEvent) -> bool:
        """Whether the event is of this stage's sources and kinds (occurrence aside).

        Example:
            >>> from datetime import datetime, timezone
            >>> e = JourneyEvent(customer_id="a", at=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...                  source="ticket", kind="delivery")
            >>> Stage(name="receive", sources={"ticket"}, kinds={"delivery"}).matches(e)
            True
        """
        return event.source in self.sources and (not self.kinds or event.kind in self.kinds)


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage(name="ask", sources={"ticket", "interaction"}),
    Stage(name="buy", sources={"order"}, kinds={"purchase"}),
    Stage(name="receive", sources={"ticket"}, kinds={"delivery", "order_change"}),
    Stage(name="use", sources={"ticket"}, kinds={"product", "account"}),
    Stage(name="warranty", sources={"ticket"}, kinds={"refund", "complaint"}),
    Stage(name="rebuy", sources={"order"}, kinds={"purchase"}, occurrence=2),
)
"""Ask, buy, receive, use, warranty, rebuy, read from the sample shop's ticket categories."""


@attrs.frozen(kw_only=True)
class FunnelStep:
    """One stage of a funnel.

    Args:
        stage: The stage's name.
        entered: Customers who reached it.
        completed: Of those, customers who reached the next stage (all of them for the last).
        dropped: ``entered - completed``.
        median_time: Median time from entering this stage to entering the next (``None`` when
            nobody went on, and for the last stage).
    """

    stage: str
    entered: int
    completed: int
    dropped: int
    median_time: timedelta | None


@attrs.frozen(kw_only=True, repr=False)
class Funnel(DictsReprMixin):
    """A journey funnel, its variants and its directly-follows graph.

    Attributes:
        steps: One :class:`FunnelStep` per stage, in order.
        variants: ``(trace, customers)`` pairs, most common first (ties by trace).
        follows: ``(stage, next stage)`` to how often the second directly follows the first.
        customers: Customers with at least one event that matches a stage.
    """

    __repr__ = DictsReprMixin._short_repr

    steps: tuple[FunnelStep, ...]
    variants: tuple[tuple[tuple[str, ...], int], ...]
    follows: FrozenDict[tuple[str, str], int]
    customers: int

    def to_dicts(self) -> list[dict[str, object]]:
        """Return the steps as plain dicts (``median_time`` to the next stage as a duration).

        Example:
            >>> journey_funnel(stages=[Stage(name="buy", sources={"order"})]).to_dicts()
            [{'stage': 'buy', 'entered': 0, 'completed': 0, 'dropped': 0, 'median_time': None}]
        """
        return [
            {
                "stage": s.stage,
                "entered": s.entered,
                "completed": s.completed,
                "dropped": s.dropped,
                "median_time": s.median_time,
            }
            for s in self.steps
        ]

    def to_mermaid(self) -> str:
        """Return the directly-follows graph as a Mermaid flowchart (edges labelled by count).

        Example:
            >>> f = Funnel(steps=(), variants=(), follows=FrozenDict({("ask", "buy"): 3}), customers=3)
            >>> print(f.to_mermaid())
            flowchart LR
              ask -->|3| buy
        """
        lines = ["flowchart LR"]
        for (a, b), n in sorted(self.follows.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {a} -->|{n}| {b}")
        return "\n".join(lines)

    _durations: ClassVar[frozenset[str]] = frozenset({"median_time"})

    def _title(self) -> str:
        return f"Journey funnel ({self.customers} customers)"

    def _summary(self) -> list[tuple[str, str]]:
        paths = [f"{' > '.join(t)} ({n})" for t, n in self.variants[:5]]
        return [("paths", format_value(paths) if paths else "none")]


def _events(
    tickets: Iterable[Ticket], orders: Iterable[Order], interactions: Iterable[Interaction]
) -> dict[str, list[JourneyEvent]]:
    by_customer: dict[str, list[JourneyEvent]] = {}

    def add(event: JourneyEvent) -> None:
        by_customer.setdefault(event.customer_id, []).append(event)

    for t in tickets:
        add(JourneyEvent(customer_id=t.customer_id, at=t.created_at, source="ticket",
                         kind=t.category or "ticket"))  # fmt: skip
    for o in orders:
        add(JourneyEvent(customer_id=o.customer_id, at=o.at, source="order",
                         kind="refund" if o.amount < 0 else "purchase"))  # fmt: skip
    for i in interactions:
        add(JourneyEvent(customer_id=i.customer_id, at=i.started_at, source="interaction",
                         kind=i.channel.value))  # fmt: skip
    for events in by_customer.values():
        events.sort(key=lambda e: (e.at, SOURCE_ORDER[e.source], e.kind))
    return by_customer


def journey_funnel(
    *,
    tickets: Iterable[Ticket] = (),
    orders: Iterable[Order] = (),
    interactions: Iterable[Interaction] = (),
    stages: Sequence[Stage] = DEFAULT_STAGES,
) -> Funnel:
    """Return the funnel of ``stages`` over the customers' events, with variants and follows.

    See the module documentation for the definitions.

    Args:
        tickets: Tickets (an event at ``created_at``, kind = category).
        orders: Orders (an event at ``at``, kind ``"purchase"`` or ``"refund"``).
        interactions: Interactions (an event at ``started_at``, kind = channel).
        stages: The stages, in funnel order; names must be distinct.

    Raises:
        InvalidValueError: If there are no stages, names repeat, or an occurrence is below 1.
    """
    return funnel_of(_events(tickets, orders, interactions).values(), stages)


def funnel_of(
    journeys: Iterable[Sequence[JourneyEvent]], stages: Sequence[Stage] = DEFAULT_STAGES
) -> Funnel:
    """Return the funnel of ``stages`` over each customer's events, in time order.

    The fold behind :func:`journey_funnel`, for callers that group and order the events
    themselves (the DuckDB report streams them, one customer at a time): each journey is one
    customer's events, ordered by instant, then source (order, ticket, interaction), then kind.

    Raises:
        InvalidValueError: If there are no stages, names repeat, or an occurrence is below 1.

    Example:
        >>> funnel_of([]).customers
        0
    """
    chosen = tuple(stages)
    names = [s.name for s in chosen]
    if not chosen or len(set(names)) != len(names):
        raise InvalidValueError(
            f"journey_funnel: stages must be distinct and non-empty, got {names}"
        )
    for s in chosen:
        if s.occurrence < 1:
            raise InvalidValueError(
                f"Stage {s.name!r}: occurrence must be >= 1, got {s.occurrence}"
            )
    k = len(chosen)
    entered = [0] * k
    completed = [0] * k
    waits: list[list[float]] = [[] for _ in range(k)]
    variants: Counter[tuple[str, ...]] = Counter()
    follows: Counter[tuple[str, str]] = Counter()
    customers = 0
    for events in journeys:
        seen = [0] * k
        reached: list[datetime | None] = [None] * k
        trace: list[str] = []
        for event in events:
            label: tuple[int, bool, str] | None = None  # (occurrence, has kinds, name) so far
            advanced = False  # one event moves a customer on by one stage at most
            for i, stage in enumerate(chosen):
                if not stage.matches(event):
                    continue
                seen[i] += 1
                if seen[i] < stage.occurrence:
                    continue
                rank = (stage.occurrence, bool(stage.kinds), stage.name)
                if label is None or rank[:2] > label[:2]:
                    label = rank
                ready = i == 0 or reached[i - 1] is not None
                if reached[i] is None and ready and not advanced:
                    reached[i] = event.at
                    advanced = True
            if label is not None:
                trace.append(label[2])
        if not trace:
            continue
        customers += 1
        variants[tuple(trace)] += 1
        follows.update(pairwise(trace))
        for i in range(k):
            start = reached[i]
            if start is None:
                break
            entered[i] += 1
            after = reached[i + 1] if i + 1 < k else None
            if i + 1 == k:
                completed[i] += 1
            elif after is not None:
                completed[i] += 1
                waits[i].append((after - start).total_seconds())
    steps = tuple(
        FunnelStep(
            stage=chosen[i].name,
            entered=entered[i],
            completed=completed[i],
            dropped=entered[i] - completed[i],
            median_time=timedelta(seconds=statistics.median(waits[i])) if waits[i] else None,
        )
        for i in range(k)
    )
    ranked = sorted(variants.items(), key=lambda kv: (-kv[1], kv[0]))
    return Funnel(
        steps=steps,
        variants=tuple(ranked),
        follows=FrozenDict(dict(sorted(follows.items()))),
        customers=customers,
    )
