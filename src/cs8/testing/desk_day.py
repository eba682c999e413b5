"""A simulated helpdesk day, to drive a :class:`cs8.desk.Desk` in tests and benchmarks.

:func:`simulated_day` draws (from a seed) agents with Zendesk-style per-channel capacity and the
webhook deliveries of a day of tickets: each ticket opens, the customer writes, an agent replies
(two in five customers write again and are answered again), the ticket is solved, one in five is
reopened and solved again; deliveries come in time order except a
few that arrive late, and a few are delivered twice (with the same event id).

Example:
    >>> day = simulated_day(seed=1, tickets=20, agents=4)
    >>> len(day.agents), sum(1 for d in day.deliveries if d.ticket is not None)
    (4, 20)
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import attrs

from cs8._enums import ActorKind, Channel, Priority, TicketStatus
from cs8._models import Agent, Message, StatusChange, Ticket, TicketEvent
from cs8.desk import Desk
from cs8.exceptions import InvalidValueError
from cs8.routing import ChannelWeights, Router
from cs8.sla import SlaEscalation, SlaPolicy, SlaTarget

__all__ = [
    "DAY_START",
    "Delivery",
    "SimulatedDay",
    "day_policy",
    "day_router",
    "deliver",
    "simulated_day",
]

DAY_START = datetime(2026, 3, 2, 8, tzinfo=UTC)
"""When the simulated day starts."""

CAPACITY = {"phone": 1, "chat": 3, "email": 10}
"""Zendesk's example capacity rule (talk 1, messaging 3, email 10), chat standing for messaging."""


@attrs.frozen(kw_only=True)
class Delivery:
    """One webhook delivery: a new ticket, or an event of a known ticket.

    Args:
        at: When it is delivered (the desk's ``now``).
        ticket: The new ticket (for an opening).
        ticket_id: The ticket an event belongs to.
        event: The event.
    """

    at: datetime
    ticket: Ticket | None = None
    ticket_id: str | None = None
    event: TicketEvent | None = None


def deliver(desk: Desk, delivery: Delivery) -> None:
    """Hand ``delivery`` to ``desk`` at its instant (``Desk.open`` or ``Desk.record``).

    Example:
        >>> from cs8.desk import Desk
        >>> day = simulated_day(seed=1, tickets=3, agents=2)
        >>> desk = Desk(policy=day_policy(), router=day_router(), agents=day.agents, now=DAY_START)
        >>> for d in day.deliveries:
        ...     deliver(desk, d)
        >>> len(desk.tickets)
        3
    """
    if delivery.ticket is not None:
        desk.open(delivery.ticket, now=delivery.at)
    elif delivery.ticket_id is not None and delivery.event is not None:
        desk.record(delivery.ticket_id, delivery.event, now=delivery.at)
    else:
        raise InvalidValueError(
            f"a Delivery needs a ticket or a ticket id and an event: {delivery!r}"
        )


@attrs.frozen(kw_only=True)
class SimulatedDay:
    """Agents and the deliveries of a day, in delivery order."""

    agents: tuple[Agent, ...]
    deliveries: tuple[Delivery, ...]


def day_policy() -> SlaPolicy:
    """The day's SLA policy: first reply (phone 2 min, chat 10 min, email 1 h), next reply 2 h,
    resolution 8 h, with warnings at 75 % and escalations at the breach and 1.5 targets.

    Example:
        >>> len(day_policy().targets)
        5
    """
    esc = [SlaEscalation(level="lead", at=1.0), SlaEscalation(level="manager", at=1.5)]
    m = timedelta(minutes=1)
    return SlaPolicy(
        name="day",
        targets=[
            SlaTarget(metric="first_reply", within=2 * m, channel="phone", business_hours=False),
            SlaTarget(metric="first_reply", within=10 * m, channel="chat", business_hours=False),
            SlaTarget(
                metric="first_reply",
                within=60 * m,
                business_hours=False,
                warnings=[0.75],
                escalations=esc,
            ),
            SlaTarget(metric="next_reply", within=120 * m, business_hours=False),
            SlaTarget(
                metric="resolution",
                within=480 * m,
                business_hours=False,
                warnings=[0.75],
                escalations=esc,
            ),
        ],
    )


def day_router() -> Router:
    """The day's router: least busy, a blocking phone channel, no trace counting.

    Example:
        >>> day_router().strategy.name
        'least_busy'
    """
    return Router(explain=False, weights=ChannelWeights(fills=(), blocking={"phone"}))


def simulated_day(
    *,
    seed: int,
    tickets: int,
    agents: int,
    start: datetime = DAY_START,
    hours: float = 10.0,
    late: float = 0.02,
    duplicates: float = 0.02,
) -> SimulatedDay:
    """Draw a day of ``tickets`` tickets over ``hours`` for ``agents`` agents.

    Args:
        seed: The random seed (the same seed gives the same day).
        tickets: How many tickets open.
        agents: How many agents (each works email and chat, one in three phone too).
        start: When the day starts.
        hours: How long tickets keep arriving.
        late: The share of events delivered late (up to 10 minutes after later ones).
        duplicates: The share of events delivered twice.
    """
    rng = random.Random(seed)
    roster = tuple(
        Agent(
            id=f"a{n:03d}",
            channels={"email", "chat", "phone"} if n % 3 == 0 else {"email", "chat"},
            capacity_by_channel=CAPACITY,
        )
        for n in range(agents)
    )
    out: list[Delivery] = []
    span = hours * 3600
    for n in range(tickets):
        created = start + timedelta(seconds=rng.uniform(0, span))
        channel = rng.choice([Channel.EMAIL] * 6 + [Channel.CHAT] * 3 + [Channel.PHONE])
        ticket = Ticket(
            id=f"T{n:05d}",
            customer_id=f"C{rng.randrange(tickets):05d}",
            channel=channel,
            created_at=created,
            priority=rng.choice([Priority.NORMAL] * 6 + [Priority.HIGH] * 3 + [Priority.URGENT]),
        )
        out.append(Delivery(at=created, ticket=ticket))
        minutes = {Channel.PHONE: 4.0, Channel.CHAT: 15.0}.get(channel, 90.0)
        at = created + timedelta(seconds=1)
        events: list[TicketEvent] = [Message(at=at, author=ActorKind.CUSTOMER)]
        at += timedelta(minutes=rng.expovariate(1 / minutes))
        events.append(Message(at=at, author=ActorKind.AGENT))
        if rng.random() < 0.4:  # the customer follows up and is answered again
            at += timedelta(minutes=rng.expovariate(1 / minutes))
            events.append(Message(at=at, author=ActorKind.CUSTOMER))
            at += timedelta(minutes=rng.expovariate(1 / minutes))
            events.append(Message(at=at, author=ActorKind.AGENT))
        at += timedelta(minutes=rng.expovariate(1 / minutes))
        events.append(StatusChange(at=at, status=TicketStatus.SOLVED))
        if rng.random() < 0.2:  # reopened by the customer, answered and solved again
            at += timedelta(minutes=rng.expovariate(1 / 60))
            events.append(Message(at=at, author=ActorKind.CUSTOMER))
            events.append(StatusChange(at=at, status=TicketStatus.OPEN))
            at += timedelta(minutes=rng.expovariate(1 / minutes))
            events.append(Message(at=at, author=ActorKind.AGENT))
            events.append(StatusChange(at=at, status=TicketStatus.SOLVED))
        for k, event in enumerate(events):
            event = attrs.evolve(event, id=f"{ticket.id}-{k}")
            delivered = event.at
            if rng.random() < late:
                delivered += timedelta(minutes=rng.uniform(0, 10))
            out.append(Delivery(at=delivered, ticket_id=ticket.id, event=event))
            if rng.random() < duplicates:
                again = delivered + timedelta(seconds=rng.uniform(0, 30))
                out.append(Delivery(at=again, ticket_id=ticket.id, event=event))
    out.sort(key=lambda d: (d.at, d.ticket is None))
    return SimulatedDay(agents=roster, deliveries=tuple(out))
