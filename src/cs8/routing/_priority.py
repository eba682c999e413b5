"""Priority: the impact x urgency matrix, adjustments, ageing and the total queue order.

Example:
    >>> PriorityMatrix().priority("high", "high")
    Priority.URGENT
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

import attrs

from cs8._enums import CustomerSegment, Priority
from cs8._frozen import FrozenDict
from cs8._models import Customer, Ticket
from cs8._protocols import BusinessClock
from cs8._time import as_stdlib, require_aware
from cs8.exceptions import InvalidValueError

__all__ = [
    "Ageing",
    "BusinessClock",
    "PriorityAdjustments",
    "PriorityMatrix",
    "SlaLike",
    "least_slack",
    "order_queue",
    "queue_key",
]


class SlaLike(Protocol):
    """**Protocol:** the parts of an SLA clock that queue order reads.

    :class:`cs8.sla.SlaResult` and :class:`cs8.routing.SlaSnapshot` are both SLA-like: ``state`` is
    an enum (or string) whose value is ``"active"``, ``"breached"``, ``"paused"`` or
    ``"achieved"``; ``remaining`` is a :class:`~datetime.timedelta` or a number of seconds.

    Example:
        >>> import attrs
        >>> from datetime import timedelta
        >>> @attrs.frozen
        ... class R:
        ...     state: str
        ...     remaining: timedelta
        >>> r: SlaLike = R("active", timedelta(hours=1))
        >>> r.remaining
        datetime.timedelta(seconds=3600)
    """

    @property
    def state(self) -> Any:
        """The SLA state (``SlaState`` member or its value)."""
        ...

    @property
    def remaining(self) -> timedelta | float:
        """Target minus elapsed business time; negative once breached."""
        ...


_LIVE_STATES = frozenset({"active", "breached"})


def _state_value(state: Any) -> str:
    return str(getattr(state, "value", state)).lower()


def least_slack(sla: Iterable[SlaLike] | Mapping[str, SlaLike] | None) -> timedelta | None:
    """Return the least time left among running SLA clocks, or ``None`` when none runs.

    Only clocks whose state is ``active`` or ``breached`` count; achieved and paused targets do
    not press on the queue. A mapping (metric name to clock) is read by its values.

    Example:
        >>> import attrs
        >>> from datetime import timedelta
        >>> @attrs.frozen
        ... class R:
        ...     state: str
        ...     remaining: timedelta
        >>> least_slack([R("active", timedelta(hours=2)), R("breached", timedelta(hours=-1)),
        ...              R("achieved", timedelta(hours=-5))])
        datetime.timedelta(days=-1, seconds=82800)
    """
    if sla is None:
        return None
    results = sla.values() if isinstance(sla, Mapping) else sla
    least: timedelta | None = None
    for result in results:
        if _state_value(result.state) not in _LIVE_STATES:
            continue
        left = result.remaining
        if not isinstance(left, timedelta):
            left = timedelta(seconds=float(left))
        if least is None or left < least:
            least = left
    return least


# --------------------------------------------------------------------------------------------------
# The matrix

_LEVELS = ("high", "medium", "low")

# ITIL 4 / ITIL v3 Service Operation, incident prioritisation: priority from impact and urgency.
# The common 3 x 3 table gives P1 (critical) .. P5 (planning); cs8 has four priorities, so P1 is
# URGENT, P2 HIGH, P3 NORMAL, and P4 and P5 are both LOW.
_ITIL: dict[tuple[str, str], Priority] = {
    ("high", "high"): Priority.URGENT,
    ("high", "medium"): Priority.HIGH,
    ("high", "low"): Priority.NORMAL,
    ("medium", "high"): Priority.HIGH,
    ("medium", "medium"): Priority.NORMAL,
    ("medium", "low"): Priority.LOW,
    ("low", "high"): Priority.NORMAL,
    ("low", "medium"): Priority.LOW,
    ("low", "low"): Priority.LOW,
}


def _level(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(f"PriorityMatrix.{field} must be a non-empty string, got {value!r}")
    return value.strip().lower()


def _table(value: Mapping[tuple[str, str], Priority | str] | None) -> FrozenDict[Any, Any]:
    if value is None:
        return FrozenDict(_ITIL)
    if not isinstance(value, Mapping):
        raise InvalidValueError(f"PriorityMatrix.table must be a mapping, got {value!r}")
    out: dict[tuple[str, str], Priority] = {}
    for key, priority in value.items():
        if not isinstance(key, tuple) or len(key) != 2:
            raise InvalidValueError(
                f"PriorityMatrix.table keys must be (impact, urgency) pairs, got {key!r}"
            )
        impact, urgency = _level(key[0], "table impact"), _level(key[1], "table urgency")
        try:
            out[(impact, urgency)] = Priority(priority)
        except ValueError:
            raise InvalidValueError(
                f"PriorityMatrix.table[{key!r}] must be a Priority, got {priority!r}"
            ) from None
    return FrozenDict(out)


def _check_table(instance: PriorityMatrix, attribute: Any, value: FrozenDict[Any, Any]) -> None:
    if not value:
        raise InvalidValueError("PriorityMatrix.table must not be empty")
    impacts = {i for i, _ in value}
    urgencies = {u for _, u in value}
    missing = sorted((i, u) for i in impacts for u in urgencies if (i, u) not in value)
    if missing:
        raise InvalidValueError(
            f"PriorityMatrix.table must cover every impact x urgency pair; missing {missing!r}"
        )


@attrs.frozen(kw_only=True)
class PriorityMatrix:
    """Priority from impact and urgency, as in ITIL incident management.

    The default is the common ITIL 3 x 3 table (impact and urgency each ``high``, ``medium`` or
    ``low``); ITIL's five levels map onto cs8's four (P1 urgent, P2 high, P3 normal, P4/P5 low). Any
    other table works as long as it is a complete grid: every impact level combined with every
    urgency level has a priority. Level names are compared in lowercase.

    Args:
        table: ``(impact, urgency) -> Priority`` (or its value); ``None`` for the ITIL default.

    Raises:
        InvalidValueError: If a key is not a pair of names, a value is not a priority, or the
            grid has holes.

    Example:
        >>> m = PriorityMatrix()
        >>> m.priority("High", "low"), m.priority("medium", "medium")
        (Priority.NORMAL, Priority.NORMAL)
        >>> PriorityMatrix(table={("big", "now"): "urgent", ("big", "later"): "high",
        ...                       ("small", "now"): "normal"})
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: PriorityMatrix.table must cover every impact x urgency pair; missing [('small', 'later')]
    """

    table: FrozenDict[tuple[str, str], Priority] = attrs.field(
        default=None, converter=_table, validator=_check_table
    )

    @property
    def impacts(self) -> tuple[str, ...]:
        """The impact levels, sorted by name."""
        return tuple(sorted({i for i, _ in self.table}))

    @property
    def urgencies(self) -> tuple[str, ...]:
        """The urgency levels, sorted by name."""
        return tuple(sorted({u for _, u in self.table}))

    def priority(self, impact: str, urgency: str) -> Priority:
        """Return the priority of an impact and an urgency level.

        Raises:
            InvalidValueError: If a level is not in the table.

        Example:
            >>> PriorityMatrix().priority("low", "high")
            Priority.NORMAL
        """
        key = (_level(impact, "impact"), _level(urgency, "urgency"))
        try:
            return self.table[key]
        except KeyError:
            raise InvalidValueError(
                f"PriorityMatrix has no entry for impact {impact!r} and urgency {urgency!r}; "
                f"impacts are {list(self.impacts)!r}, urgencies {list(self.urgencies)!r}"
            ) from None

    def for_ticket(self, ticket: Ticket, default: Priority | None = None) -> Priority:
        """Return the priority from ``ticket.attributes["impact"]`` and ``["urgency"]``.

        When either attribute is missing, return ``default`` (the ticket's current priority when
        ``default`` is ``None``).

        Example:
            >>> from datetime import datetime, timezone
            >>> t = Ticket(id="T1", customer_id="C1", channel="phone",
            ...            created_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...            attributes={"impact": "high", "urgency": "medium"})
            >>> PriorityMatrix().for_ticket(t)
            Priority.HIGH
        """
        impact = ticket.attributes.get("impact")
        urgency = ticket.attributes.get("urgency")
        if not isinstance(impact, str) or not isinstance(urgency, str):
            return ticket.current_priority if default is None else default
        return self.priority(impact, urgency)


# --------------------------------------------------------------------------------------------------
# Adjustments


def _check_step(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not -3 <= value <= 3:
        raise InvalidValueError(
            f"PriorityAdjustments.{attribute.name} must be an integer in -3..3, got {value!r}"
        )


def _sla_steps(value: Iterable[tuple[timedelta, int]]) -> tuple[tuple[timedelta, int], ...]:
    steps = tuple((left, change) for left, change in value)
    for left, change in steps:
        if not isinstance(left, timedelta):
            raise InvalidValueError(
                f"PriorityAdjustments.sla_steps thresholds must be timedeltas, got {left!r}"
            )
        if not isinstance(change, int) or isinstance(change, bool) or not 0 <= change <= 3:
            raise InvalidValueError(
                f"PriorityAdjustments.sla_steps changes must be integers in 0..3, got {change!r}"
            )
    return tuple(sorted(steps, key=lambda s: s[0]))


def _str_set(values: Iterable[str] | str) -> frozenset[str]:
    if isinstance(values, str):
        values = (values,)
    return frozenset(str(v).lower() for v in values)


@attrs.frozen(kw_only=True)
class PriorityAdjustments:
    """Raise (or lower) a priority for the customer, the mood, the topic and the SLA clock.

    Each adjustment adds a number of ranks; their sum is added to the base priority and the result
    is clamped to ``LOW..cap`` (a priority above ``cap`` is kept, never lowered to it). A rule can
    attach one (``Router(adjustments=...)`` applies it after the matched rule's priority), and each
    adjustment that fires is named in the routing trace.

    Args:
        vip: Ranks added for a VIP customer (``CustomerSegment.VIP``).
        negative_sentiment: Ranks added when the sentiment is at or below ``sentiment_threshold``.
        sentiment_threshold: Sentiment in [-1, 1] at or below which the customer counts as upset;
            the sentiment is read from ``ticket.attributes["sentiment"]`` unless passed in.
        complaint: Ranks added when the ticket's category or one of its tags is in ``topics``.
        topics: Categories and tags that count as complaints or refunds.
        sla_steps: ``(time_left, ranks)`` pairs: when the least SLA time left is at or below
            ``time_left`` the largest matching ``ranks`` is added (not their sum).
        cap: The highest priority adjustments may reach.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t = Ticket(id="T1", customer_id="C1", channel="chat", category="refund",
        ...            created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> adj = PriorityAdjustments()
        >>> adj.apply(Priority.NORMAL, ticket=t, customer=Customer(id="C1", segment="vip"))
        (Priority.URGENT, ('vip customer +1', 'complaint or refund +1'))
        >>> adj.apply(Priority.LOW, ticket=t, time_left=timedelta(minutes=-5))
        (Priority.URGENT, ('complaint or refund +1', 'SLA time left -5 min <= 0 min +2'))
    """

    vip: int = attrs.field(default=1, validator=_check_step)
    negative_sentiment: int = attrs.field(default=1, validator=_check_step)
    sentiment_threshold: float = -0.3
    complaint: int = attrs.field(default=1, validator=_check_step)
    topics: frozenset[str] = attrs.field(
        factory=lambda: frozenset({"complaint", "refund"}), converter=_str_set
    )
    sla_steps: tuple[tuple[timedelta, int], ...] = attrs.field(
        factory=lambda: ((timedelta(0), 2), (timedelta(hours=1), 1)), converter=_sla_steps
    )
    cap: Priority = attrs.field(default=Priority.URGENT, converter=Priority)

    def apply(
        self,
        priority: Priority,
        *,
        ticket: Ticket,
        customer: Customer | None = None,
        time_left: timedelta | None = None,
        sentiment: float | None = None,
    ) -> tuple[Priority, tuple[str, ...]]:
        """Return the adjusted priority and the reasons, one per adjustment that fired.

        Args:
            priority: The base priority (from a rule or the ticket).
            ticket: The ticket (category, tags and the ``sentiment`` attribute are read).
            customer: The customer, if known (its segment is read).
            time_left: The least SLA time left (see :func:`least_slack`), if any clock runs.
            sentiment: Sentiment in [-1, 1]; ``None`` reads ``ticket.attributes["sentiment"]``.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = Ticket(id="T1", customer_id="C1", channel="chat", attributes={"sentiment": -0.8},
            ...            created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> PriorityAdjustments().apply(Priority.HIGH, ticket=t)
            (Priority.URGENT, ('negative sentiment -0.8 +1',))
        """
        change = 0
        reasons: list[str] = []
        if self.vip and customer is not None and customer.segment is CustomerSegment.VIP:
            change += self.vip
            reasons.append(f"vip customer {self.vip:+d}")
        if sentiment is None:
            raw = ticket.attributes.get("sentiment")
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                sentiment = float(raw)
        if (
            self.negative_sentiment
            and sentiment is not None
            and sentiment <= self.sentiment_threshold
        ):
            change += self.negative_sentiment
            reasons.append(f"negative sentiment {sentiment:g} {self.negative_sentiment:+d}")
        if self.complaint and self.topics:
            category = (ticket.category or "").lower()
            if category in self.topics or any(tag.lower() in self.topics for tag in ticket.tags):
                change += self.complaint
                reasons.append(f"complaint or refund {self.complaint:+d}")
        if time_left is not None:
            best: tuple[timedelta, int] | None = None
            for threshold, ranks in self.sla_steps:
                if time_left <= threshold and (best is None or ranks > best[1]):
                    best = (threshold, ranks)
            if best is not None and best[1]:
                change += best[1]
                reasons.append(
                    f"SLA time left {_minutes(time_left)} <= {_minutes(best[0])} {best[1]:+d}"
                )
        if not change:
            return priority, ()
        rank = priority.rank + change
        rank = min(rank, max(self.cap.rank, priority.rank))
        return Priority.from_rank(rank), tuple(reasons)


def _minutes(value: timedelta) -> str:
    return f"{math.floor(value.total_seconds() / 60):d} min"


# --------------------------------------------------------------------------------------------------
# Ageing


def _positive(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidValueError(
            f"Ageing.{attribute.name} must be a positive timedelta, got {value!r}"
        )


def _check_clock(instance: object, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, BusinessClock):
        raise InvalidValueError(
            f"Ageing.calendar must have business_duration(start, end), got {value!r}"
        )


@attrs.frozen(kw_only=True)
class Ageing:
    """Raise a waiting ticket's priority one rank for every ``every`` of waiting, up to ``cap``.

    Waiting is counted from ``created_at`` in calendar time, or in business time when a
    ``calendar`` (anything with ``business_duration(start, end)``, such as
    :class:`cs8.sla.BusinessCalendar`) is given, so a ticket does not age over a weekend.

    Args:
        every: Waiting time that earns one rank.
        cap: The highest priority ageing may reach (a higher priority is kept as it is).
        calendar: Business calendar to count waiting time in, or ``None`` for calendar time.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 1, 1, 8, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, priority="low")
        >>> ageing = Ageing(every=timedelta(hours=4), cap="high")
        >>> [ageing.priority(t, now=t0 + timedelta(hours=h)).value for h in (3, 4, 9, 30)]
        ['low', 'normal', 'high', 'high']
    """

    every: timedelta = attrs.field(validator=_positive)
    cap: Priority = attrs.field(default=Priority.URGENT, converter=Priority)
    calendar: BusinessClock | None = attrs.field(default=None, validator=_check_clock)

    def waited(self, ticket: Ticket, now: datetime) -> timedelta:
        """Return how long ``ticket`` has waited at ``now`` (business time with a calendar).

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
            >>> Ageing(every=timedelta(hours=1)).waited(t, t0 + timedelta(hours=2))
            datetime.timedelta(seconds=7200)
        """
        now = require_aware(now, "Ageing.waited(now)")
        if self.calendar is not None:
            return self.calendar.business_duration(ticket.created_at, now)
        return now - ticket.created_at

    def raise_by(self, priority: Priority, waited: timedelta) -> Priority:
        """Return ``priority`` raised for ``waited`` of waiting.

        Example:
            >>> from datetime import timedelta
            >>> Ageing(every=timedelta(hours=2)).raise_by(Priority.LOW, timedelta(hours=5))
            Priority.HIGH
        """
        if waited < self.every or priority >= self.cap:
            return priority
        steps = waited // self.every
        return Priority.from_rank(min(priority.rank + steps, self.cap.rank))

    def priority(self, ticket: Ticket, now: datetime, base: Priority | None = None) -> Priority:
        """Return the aged priority of ``ticket`` at ``now``; ``base`` defaults to its current one.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
            >>> Ageing(every=timedelta(hours=1)).priority(t, t0 + timedelta(hours=1))
            Priority.HIGH
        """
        start = ticket.current_priority if base is None else base
        return self.raise_by(start, self.waited(ticket, now))


# --------------------------------------------------------------------------------------------------
# Queue order

_INF = math.inf
_RANK: dict[Priority, int] = {p: p.rank for p in Priority}  # a dict lookup, not a property call


def _epoch(value: datetime) -> float:
    return as_stdlib(value).timestamp()  # type: ignore[no-any-return]


def queue_key(
    ticket: Ticket, *, priority: Priority | None = None, due_at: datetime | None = None
) -> tuple[int, float, float, str]:
    """Return the sort key of a waiting ticket: most urgent first, a total order.

    The key orders by priority (highest first), then SLA due time (earliest first; no running SLA
    clock sorts after every due time), then age (oldest ``created_at`` first), then ticket id. Ticket
    ids are unique, so two different tickets never tie and the order never depends on input order.

    Args:
        ticket: The ticket.
        priority: The priority to order by (after rules, adjustments and ageing); defaults to the
            ticket's current priority.
        due_at: The earliest SLA due time of the ticket, if any clock runs.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", priority="high",
        ...            created_at=datetime(1970, 1, 1, 0, 1, tzinfo=timezone.utc))
        >>> queue_key(t)
        (-2, inf, 60.0, 'T1')
    """
    rank = _RANK[ticket.current_priority if priority is None else priority]
    due = _INF if due_at is None else _epoch(due_at)
    return (-rank, due, _epoch(ticket.created_at), ticket.id)


def order_queue(
    tickets: Iterable[Ticket],
    *,
    now: datetime,
    priority: Mapping[str, Priority] | Callable[[Ticket], Priority] | None = None,
    due: Mapping[str, datetime | None] | None = None,
    ageing: Ageing | None = None,
) -> tuple[Ticket, ...]:
    """Return ``tickets`` in queue order (see :func:`queue_key`), after ageing.

    Args:
        tickets: The waiting tickets.
        now: The instant the queue is ordered at (ageing counts waiting time to it).
        priority: Each ticket's priority by id, or a function of the ticket; defaults to the
            ticket's current priority.
        due: Each ticket's earliest SLA due time by id.
        ageing: Raises priorities of tickets that waited long.

    Raises:
        NaiveDatetimeError: If ``now`` has no time zone.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 1, 1, 8, tzinfo=timezone.utc)
        >>> old = Ticket(id="old", customer_id="C", channel="email", created_at=t0, priority="low")
        >>> new = Ticket(id="new", customer_id="C", channel="email", created_at=t0 + timedelta(hours=5))
        >>> [t.id for t in order_queue([new, old], now=t0 + timedelta(hours=6))]
        ['new', 'old']
        >>> aged = order_queue([new, old], now=t0 + timedelta(hours=6),
        ...                    ageing=Ageing(every=timedelta(hours=3)))
        >>> [t.id for t in aged]
        ['old', 'new']
    """
    now = require_aware(now, "order_queue(now)")
    keyed: list[tuple[tuple[int, float, float, str], Ticket]] = []
    for ticket in tickets:
        if priority is None:
            p = ticket.current_priority
        elif callable(priority):
            p = priority(ticket)
        else:
            p = priority.get(ticket.id, ticket.current_priority)
        if ageing is not None:
            p = ageing.priority(ticket, now, base=p)
        due_at = None if due is None else due.get(ticket.id)
        keyed.append((queue_key(ticket, priority=p, due_at=due_at), ticket))
    keyed.sort(key=lambda pair: pair[0])
    return tuple(ticket for _, ticket in keyed)
