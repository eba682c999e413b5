"""Proactive contact: who an incident affects, how to reach them, and whether reaching them helped.

An :class:`Incident` is a time window and conditions on facts (a product, a carrier, a region).
:func:`affected_customers` lists, once each, the customers with an order or a ticket that falls in
the window and meets the conditions; :func:`preferred_channels` says how to reach each;
:func:`proactive_follow_up` compares, among the affected, the share who opened a ticket when the
business reached them first with the share when it did not.

An order's facts are its ``category`` (when set) and whatever ``order_facts``, a function from the
shop's own tables, gives (product, carrier, region ...). A ticket's facts are its ``attributes`` plus its
``category``. A condition on a fact a record does not have is false for that record, as in cs8's
routing rules.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Order
    >>> t0 = datetime(2026, 9, 1, tzinfo=timezone.utc)
    >>> carrier = {"1": "GHN", "2": "GHTK", "3": "GHN", "4": "GHN"}
    >>> orders = [Order(id=i, customer_id=c, at=t0 + timedelta(hours=h), amount=1)
    ...           for i, c, h in [("1", "a", 2), ("2", "b", 3), ("3", "a", 5), ("4", "c", 50)]]
    >>> late = Incident(name="GHN hub flood", start=t0, end=t0 + timedelta(days=1),
    ...                 where={"carrier": {"GHN"}})
    >>> affected_customers(orders=orders, incident=late,
    ...                    order_facts=lambda o: {"carrier": carrier[o.id]})
    ('a',)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar

import attrs

from cs8._display import DictReprMixin
from cs8._enums import Channel, Direction
from cs8._fields import AttributeValue
from cs8._frozen import FrozenDict
from cs8._models import Customer, Interaction, Order, Ticket
from cs8._time import as_instant, check_aware
from cs8.exceptions import InvalidValueError
from cs8.kpi import Rate, RateState, proactive_issue_rate

__all__ = [
    "Incident",
    "ProactiveFollowUp",
    "affected_customers",
    "preferred_channels",
    "proactive_follow_up",
]


def _conditions(value: Mapping[str, Any]) -> FrozenDict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for field, accepted in value.items():
        values = [accepted] if isinstance(accepted, str) else list(accepted)
        out[str(field)] = frozenset(str(v) for v in values)
    return FrozenDict(out)


@attrs.frozen(kw_only=True)
class Incident:
    """A problem customers may meet: a time window and conditions on facts.

    Args:
        name: What happened.
        start: Start of the window (included).
        end: End of the window (excluded).
        where: Fact name to the accepted values (``{"carrier": {"GHN"}, "region": {"Hà Nội"}}``);
            every condition must hold; empty means every record in the window.

    Raises:
        InvalidValueError: If ``end`` is not after ``start``.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 9, 1, tzinfo=timezone.utc)
        >>> Incident(name="x", start=t, end=t.replace(day=2), where={"sku": "TV-55"}).where["sku"]
        frozenset({'TV-55'})
    """

    name: str
    start: datetime = attrs.field(converter=as_instant, validator=check_aware)
    end: datetime = attrs.field(converter=as_instant, validator=check_aware)
    where: FrozenDict[str, frozenset[str]] = attrs.field(factory=FrozenDict, converter=_conditions)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidValueError(
                f"Incident {self.name!r}: end {self.end.isoformat()} must be after start "
                f"{self.start.isoformat()}"
            )

    def covers(self, at: datetime, facts: Mapping[str, AttributeValue | None]) -> bool:
        """Whether a record at ``at`` with these facts falls in the incident.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 9, 1, tzinfo=timezone.utc)
            >>> i = Incident(name="x", start=t, end=t.replace(day=3), where={"carrier": "GHN"})
            >>> i.covers(t.replace(day=2), {"carrier": "GHN"}), i.covers(t, {"region": "Huế"})
            (True, False)
        """
        if not self.start <= at < self.end:
            return False
        for field, accepted in self.where.items():
            value = facts.get(field)
            if value is None or str(value) not in accepted:
                return False
        return True


def _ticket_facts(ticket: Ticket) -> dict[str, AttributeValue | None]:
    facts: dict[str, AttributeValue | None] = dict(ticket.attributes)
    facts.setdefault("category", ticket.category)
    return facts


def affected_customers(
    *,
    orders: Iterable[Order] = (),
    tickets: Iterable[Ticket] = (),
    incident: Incident,
    order_facts: Callable[[Order], Mapping[str, AttributeValue | None]] | None = None,
) -> tuple[str, ...]:
    """Return the customers an incident touches, once each, sorted.

    A customer is affected when one of their orders (``order.at``) or tickets
    (``ticket.created_at``) is in the incident's window and meets its conditions.

    Args:
        orders: Orders to check.
        tickets: Tickets to check (facts: ``attributes`` and ``category``).
        incident: The incident.
        order_facts: An order's facts (product, carrier, region ...) beyond its ``category``.

    Raises:
        InvalidValueError: If the incident has conditions on facts other than ``category``,
            orders are given and ``order_facts`` is not.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t = datetime(2026, 9, 1, 8, tzinfo=timezone.utc)
        >>> tickets = [Ticket(id="T1", customer_id="b", channel="chat", created_at=t,
        ...                   category="delivery")]
        >>> outage = Incident(name="late", start=t.replace(hour=0), end=t.replace(hour=12),
        ...                   where={"category": "delivery"})
        >>> affected_customers(tickets=tickets, incident=outage)
        ('b',)
    """
    found: set[str] = set()
    beyond = sorted(set(incident.where) - {"category"})
    for order in orders:
        if beyond and order_facts is None:
            raise InvalidValueError(
                f"affected_customers: incident {incident.name!r} has conditions on {beyond} "
                "but an Order has no such facts (only its category); pass order_facts="
            )
        facts: dict[str, AttributeValue | None] = {"category": order.category}
        if order_facts is not None:
            facts.update(order_facts(order))
        if incident.covers(order.at, facts):
            found.add(order.customer_id)
    for ticket in tickets:
        if incident.covers(ticket.created_at, _ticket_facts(ticket)):
            found.add(ticket.customer_id)
    return tuple(sorted(found))


def preferred_channels(
    customer_ids: Iterable[str],
    *,
    customers: Iterable[Customer] = (),
    interactions: Iterable[Interaction] = (),
    tickets: Iterable[Ticket] = (),
) -> FrozenDict[str, Channel | None]:
    """Return how to reach each customer: their stated channel, else the one they use most.

    A customer's ``attributes["preferred_channel"]`` wins when it names a :class:`~cs8.Channel`.
    Otherwise the channel of most of their inbound interactions and tickets, the latest used on a
    tie; ``None`` for a customer never seen.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer, Ticket
        >>> t = datetime(2026, 9, 1, tzinfo=timezone.utc)
        >>> seen = [Ticket(id="1", customer_id="a", channel="chat", created_at=t)]
        >>> dict(preferred_channels(["a", "b", "c"], tickets=seen,
        ...      customers=[Customer(id="b", attributes={"preferred_channel": "sms"})]))
        {'a': Channel.CHAT, 'b': Channel.SMS, 'c': None}
    """
    wanted = list(dict.fromkeys(customer_ids))
    ids = set(wanted)
    stated: dict[str, Channel] = {}
    for customer in customers:
        value = customer.attributes.get("preferred_channel")
        if customer.id in ids and isinstance(value, str):
            try:
                stated[customer.id] = Channel(value)
            except ValueError:
                continue
    counts: dict[str, dict[Channel, tuple[int, datetime]]] = {}

    def use(cid: str, channel: Channel, at: datetime) -> None:
        if cid not in ids:
            return
        per = counts.setdefault(cid, {})
        n, last = per.get(channel, (0, at))
        per[channel] = (n + 1, max(last, at))

    for contact in interactions:
        if contact.direction is Direction.INBOUND:
            use(contact.customer_id, contact.channel, contact.started_at)
    for ticket in tickets:
        use(ticket.customer_id, ticket.channel, ticket.created_at)
    out: dict[str, Channel | None] = {}
    for cid in wanted:
        if cid in stated:
            out[cid] = stated[cid]
        elif cid in counts:
            out[cid] = max(counts[cid].items(), key=lambda kv: (kv[1][0], kv[1][1]))[0]
        else:
            out[cid] = None
    return FrozenDict(out)


@attrs.frozen(kw_only=True)
class ProactiveFollowUp(DictReprMixin):
    """Did reaching affected customers first reduce their tickets?

    Attributes:
        contacted: Among affected customers the business reached proactively in the window, the
            share who opened a ticket in it.
        not_contacted: The same share among the affected customers it did not reach.
        difference: ``contacted.value - not_contacted.value`` (negative: fewer tickets).
        difference_low: Lower end of the interval of the difference (Newcombe 1998, method 10).
        difference_high: Upper end of that interval.
        issue_rate: :func:`cs8.kpi.proactive_issue_rate` of the affected customers' contacts in
            the window: the share of their issues the business reported first.
    """

    contacted: Rate
    not_contacted: Rate
    difference: float
    difference_low: float
    difference_high: float
    issue_rate: Rate

    _percent: ClassVar[frozenset[str]] = frozenset(
        {"contacted", "not_contacted", "difference", "difference_low", "difference_high"}
        | {"issue_rate"}
    )

    def to_dict(self) -> dict[str, object]:
        """Return the shares, their counts, the difference with its interval and the issue rate.

        Example:
            >>> from cs8.kpi import Rate
            >>> f = ProactiveFollowUp(contacted=Rate.of(1, 4), not_contacted=Rate.of(1, 2),
            ...                       difference=-0.25, difference_low=-0.6, difference_high=0.3,
            ...                       issue_rate=Rate.of(0, 0))
            >>> print(f)
            Proactive follow-up
              contacted        25.0%
              contacted_n      4
              not_contacted    50.0%
              not_contacted_n  2
              difference       -25.0%
              difference CI    [-60.0%, 30.0%]
              issue_rate       -
              issue_rate_n     0
        """
        return {
            "contacted": self.contacted.value,
            "contacted_n": self.contacted.n,
            "not_contacted": self.not_contacted.value,
            "not_contacted_n": self.not_contacted.n,
            "difference": self.difference,
            "difference_low": self.difference_low,
            "difference_high": self.difference_high,
            "issue_rate": self.issue_rate.value,
            "issue_rate_n": self.issue_rate.n,
        }

    def _title(self) -> str:
        return "Proactive follow-up"


def proactive_follow_up(
    affected: Iterable[str],
    *,
    incident: Incident,
    interactions: Iterable[Interaction],
    tickets: Iterable[Ticket],
    confidence: float = 0.95,
) -> ProactiveFollowUp:
    """Compare ticket rates of affected customers reached proactively and not, in the window.

    The difference of two proportions gets Newcombe's hybrid score interval (R. G. Newcombe,
    "Interval estimation for the difference between independent proportions", Statistics in
    Medicine 17, 873-890, 1998, method 10) from the two Wilson intervals. It is an observed
    difference, not a causal effect: the business may have reached its calmer customers first.

    Args:
        affected: The affected customers (from :func:`affected_customers`).
        incident: The incident; its window bounds the contacts and tickets counted.
        interactions: Contacts (proactive outbound ones mark a customer as reached).
        tickets: Tickets (one created in the window counts as an inbound issue).
        confidence: Confidence of the intervals.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction, Ticket
        >>> t = datetime(2026, 9, 1, 8, tzinfo=timezone.utc)
        >>> inc = Incident(name="late", start=t, end=t + timedelta(days=2))
        >>> warned = [Interaction(id=f"I{c}", customer_id=c, channel="sms", started_at=t,
        ...                       direction="outbound", proactive=True) for c in "abcd"]
        >>> asked = [Ticket(id=f"T{c}", customer_id=c, channel="chat",
        ...                 created_at=t + timedelta(hours=3)) for c in "aefg"]
        >>> f = proactive_follow_up("abcdefgh", incident=inc, interactions=warned, tickets=asked)
        >>> f.contacted.value, f.not_contacted.value, f.difference
        (0.25, 0.75, -0.5)
    """
    group = set(affected)
    contacts = [c for c in interactions if c.customer_id in group]
    reached = {
        c.customer_id
        for c in contacts
        if c.proactive
        and c.direction is Direction.OUTBOUND
        and incident.start <= c.started_at < incident.end
    }
    asked = {
        t.customer_id
        for t in tickets
        if t.customer_id in group and incident.start <= t.created_at < incident.end
    }
    others = group - reached
    contacted = RateState(successes=len(reached & asked), n=len(reached)).result(
        confidence=confidence
    )
    not_contacted = RateState(successes=len(others & asked), n=len(others)).result(
        confidence=confidence
    )
    p1, p2 = contacted.value, not_contacted.value
    difference = p1 - p2
    low = difference - math.sqrt((p1 - contacted.ci_low) ** 2 + (not_contacted.ci_high - p2) ** 2)
    high = difference + math.sqrt((contacted.ci_high - p1) ** 2 + (p2 - not_contacted.ci_low) ** 2)
    window = [c for c in contacts if incident.start <= c.started_at < incident.end]
    return ProactiveFollowUp(
        contacted=contacted,
        not_contacted=not_contacted,
        difference=difference,
        difference_low=low,
        difference_high=high,
        issue_rate=proactive_issue_rate(window),
    )
