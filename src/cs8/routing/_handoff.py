"""Omnichannel handoff: what came before, so nobody asks the customer to repeat themselves.

:func:`handoff_context` gathers one customer's history across channels (tickets and their events,
calls, chats and bot sessions, the handoffs between them, orders and survey answers) into one
ordered timeline, with the open tickets, the recent satisfaction scores and the recent orders, as a
frozen :class:`HandoffContext` that a routing decision can carry to the agent.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Interaction
    >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    >>> bot = Interaction(id="I1", customer_id="C1", channel="chat", started_at=t0,
    ...                   answered_at=t0, ended_at=t0 + timedelta(minutes=4), handled_by="bot")
    >>> human = Interaction(id="I2", customer_id="C1", channel="chat", previous_id="I1",
    ...                     started_at=t0 + timedelta(minutes=4))
    >>> ctx = handoff_context("C1", interactions=[human, bot])
    >>> [e.kind for e in ctx.timeline]
    ['bot_session', 'handoff']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs

from cs8._enums import ActorKind, Channel
from cs8._models import (
    Assignment,
    Interaction,
    Message,
    Order,
    PriorityChange,
    StatusChange,
    SurveyResponse,
    Ticket,
)
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError

__all__ = ["HandoffContext", "TimelineEvent", "handoff_context"]

# Order of kinds at the same instant: a ticket is opened before anything happens on it.
_KIND_ORDER = {
    "ticket_opened": 0,
    "bot_session": 1,
    "contact": 1,
    "handoff": 2,
    "message": 3,
    "assignment": 4,
    "priority": 5,
    "status": 6,
    "order": 7,
    "refund": 7,
    "survey": 8,
}


@attrs.frozen(kw_only=True, order=False)
class TimelineEvent:
    """One thing that happened with a customer, on one channel.

    Args:
        at: When it happened.
        kind: ``ticket_opened``, ``message``, ``assignment``, ``priority``, ``status``,
            ``contact``, ``bot_session``, ``handoff``, ``order``, ``refund`` or ``survey``.
        channel: The channel, when there is one.
        ref: The id of the record it comes from (ticket, interaction, order; a survey's ticket).
        text: A one-line description a person can read.

    Example:
        >>> from datetime import datetime, timezone
        >>> e = TimelineEvent(at=datetime(2026, 1, 5, 9, tzinfo=timezone.utc), kind="order",
        ...                   ref="O1", text="order O1: 350000 VND")
        >>> str(e)
        '2026-01-05T09:00+00:00 order O1: 350000 VND'
    """

    at: datetime
    kind: str
    ref: str
    text: str
    channel: Channel | None = None

    @property
    def sort_key(self) -> tuple[datetime, int, str, str]:
        """Time, then kind, then record id, then text: a total order of events."""
        return (self.at, _KIND_ORDER.get(self.kind, 9), self.ref, self.text)

    def __str__(self) -> str:
        where = f" [{self.channel.value}]" if self.channel is not None else ""
        return f"{self.at.isoformat(timespec='minutes')}{where} {self.text}"


@attrs.frozen(kw_only=True)
class HandoffContext:
    """A customer's history across channels, ready for the person who takes over.

    Args:
        customer_id: The customer.
        timeline: Every event, oldest first (ties by kind, then record id).
        open_tickets: The customer's tickets still open, oldest first.
        recent_surveys: Survey answers in the recent window, newest first.
        recent_orders: Orders (and refunds) in the recent window, newest first.
        channels: The channels the customer used, in the order first used.
        as_of: The instant the context describes.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> ctx = handoff_context("C1", tickets=[Ticket(id="T1", customer_id="C1",
        ...                                             channel="email", created_at=t0)])
        >>> print(ctx.summary())
        customer C1: 1 event on email, from 2026-01-05T09:00+00:00 to 2026-01-05T09:00+00:00
        open tickets: T1 (email, normal, new)
        recent satisfaction: none
        recent orders: none
        last events:
          2026-01-05T09:00+00:00 [email] ticket T1 opened (normal)
    """

    customer_id: str
    timeline: tuple[TimelineEvent, ...]
    open_tickets: tuple[Ticket, ...]
    recent_surveys: tuple[SurveyResponse, ...]
    recent_orders: tuple[Order, ...]
    channels: tuple[Channel, ...]
    as_of: datetime | None

    @property
    def handoffs(self) -> tuple[TimelineEvent, ...]:
        """The handoff events (a bot or a channel passing the customer on), oldest first."""
        return tuple(e for e in self.timeline if e.kind == "handoff")

    def summary(self, last: int = 5) -> str:
        """Return a short text a person reads before answering: what, where, how they felt.

        Args:
            last: How many of the latest events to list.

        Example:
            >>> handoff_context("C7").summary().splitlines()[1]
            'open tickets: none'
        """
        lines: list[str] = []
        n = len(self.timeline)
        if n:
            span = (
                f", from {self.timeline[0].at.isoformat(timespec='minutes')} "
                f"to {self.timeline[-1].at.isoformat(timespec='minutes')}"
            )
        else:
            span = ""
        used = ", ".join(c.value for c in self.channels) or "no channel"
        lines.append(
            f"customer {self.customer_id}: {n} event{'s' if n != 1 else ''} on {used}{span}"
        )
        if self.open_tickets:
            parts = [
                f"{t.id} ({t.channel.value}"
                f"{', ' + t.category if t.category else ''}, {t.current_priority.value}, "
                f"{t.status.value})"
                for t in self.open_tickets
            ]
            lines.append("open tickets: " + "; ".join(parts))
        else:
            lines.append("open tickets: none")
        if self.recent_surveys:
            lines.append(
                "recent satisfaction: "
                + "; ".join(
                    f"{s.kind.value} {s.score}/{s.scale[1]} on {s.at.date().isoformat()}"
                    for s in self.recent_surveys
                )
            )
        else:
            lines.append("recent satisfaction: none")
        if self.recent_orders:
            lines.append(
                "recent orders: "
                + "; ".join(
                    f"{o.id} {o.amount} {o.currency} on {o.at.date().isoformat()}"
                    for o in self.recent_orders
                )
            )
        else:
            lines.append("recent orders: none")
        if n and last > 0:
            lines.append("last events:")
            lines.extend(f"  {e}" for e in self.timeline[-last:])
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _ticket_events(ticket: Ticket) -> list[TimelineEvent]:
    ch = ticket.channel
    topic = f", {ticket.category}" if ticket.category else ""
    out = [
        TimelineEvent(
            at=ticket.created_at,
            kind="ticket_opened",
            ref=ticket.id,
            channel=ch,
            text=f"ticket {ticket.id} opened ({ticket.priority.value}{topic})",
        )
    ]
    for event in ticket.events:
        channel = ch
        if isinstance(event, Message):
            who = event.author.value
            if event.author is ActorKind.AGENT and event.author_id:
                who = f"agent {event.author_id}"
            note = "" if event.public else " (internal note)"
            kind, text = "message", f"{who} wrote on ticket {ticket.id}{note}{_quote(event.text)}"
            channel = event.channel or ch
        elif isinstance(event, StatusChange):
            kind, text = "status", f"ticket {ticket.id} {event.status.value}"
        elif isinstance(event, PriorityChange):
            kind, text = "priority", f"ticket {ticket.id} priority {event.priority.value}"
        elif isinstance(event, Assignment):
            whom = event.agent_id or "nobody"
            group = f" ({event.group})" if event.group else ""
            kind, text = "assignment", f"ticket {ticket.id} assigned to {whom}{group}"
        else:  # pragma: no cover - the four event types above are all there are
            continue
        out.append(TimelineEvent(at=event.at, kind=kind, ref=ticket.id, channel=channel, text=text))
    return out


def _quote(text: str | None, limit: int = 300) -> str:
    """``: "what was written"`` on one line (cut at ``limit`` characters), or nothing."""
    if not text or not text.strip():
        return ""
    line = " ".join(text.split())
    return f': "{line if len(line) <= limit else line[: limit - 1] + "…"}"'


def _seconds(value: timedelta) -> str:
    total = int(value.total_seconds())
    if total < 120:
        return f"{total} s"
    return f"{total // 60} min"


def _interaction_event(item: Interaction, previous: Interaction | None) -> TimelineEvent:
    if item.handled_by is ActorKind.BOT:
        kind, what = "bot_session", f"bot session {item.id}"
    else:
        kind, what = "contact", f"{item.direction.value} {item.channel.value} contact {item.id}"
    if item.previous_id is not None:
        kind = "handoff"
        if previous is not None:
            source = "bot" if previous.handled_by is ActorKind.BOT else previous.channel.value
            what = (
                f"handoff from {source} {previous.id} ({previous.channel.value}) to "
                f"{'bot' if item.handled_by is ActorKind.BOT else 'a person'} on "
                f"{item.channel.value} ({item.id})"
            )
        else:
            what = f"{what}, continuing {item.previous_id}"
    details: list[str] = []
    if item.agent_id:
        details.append(f"agent {item.agent_id}")
    if item.ticket_id:
        details.append(f"ticket {item.ticket_id}")
    if item.abandoned:
        details.append("abandoned")
    elif item.answered_at is not None and item.wait_time:
        details.append(f"waited {_seconds(item.wait_time)}")
    if item.sentiment is not None:
        details.append(f"sentiment {item.sentiment:g}")
    text = what + (f" ({', '.join(details)})" if details else "") + _quote(item.transcript)
    return TimelineEvent(
        at=item.started_at, kind=kind, ref=item.id, channel=item.channel, text=text
    )


def _order_event(order: Order) -> TimelineEvent:
    kind = "refund" if order.amount < 0 else "order"
    return TimelineEvent(
        at=order.at,
        kind=kind,
        ref=order.id,
        text=f"{kind} {order.id}: {order.amount} {order.currency}",
    )


def _survey_event(survey: SurveyResponse) -> TimelineEvent:
    about = f" on ticket {survey.ticket_id}" if survey.ticket_id else ""
    comment = f': "{survey.comment}"' if survey.comment else ""
    return TimelineEvent(
        at=survey.at,
        kind="survey",
        ref=survey.ticket_id or "",
        channel=survey.channel,
        text=f"{survey.kind.value} {survey.score}/{survey.scale[1]}{about}{comment}",
    )


def handoff_context(
    customer_id: str,
    tickets: Iterable[Ticket] = (),
    interactions: Iterable[Interaction] = (),
    orders: Iterable[Order] = (),
    surveys: Iterable[SurveyResponse] = (),
    *,
    now: datetime | None = None,
    recent: timedelta = timedelta(days=90),
    limit: int = 5,
) -> HandoffContext:
    """Return one customer's history across channels, for the person taking over.

    Records of other customers are ignored (a survey counts when its ``customer_id`` is the
    customer or its ticket is one of theirs). With ``now``, events after it are left out and the
    open tickets are those open at ``now``.

    Args:
        customer_id: The customer.
        tickets: Tickets (any customer's).
        interactions: Calls, chats, bot sessions ...; a follow-up's ``previous_id`` marks a handoff.
        orders: Orders and refunds (negative amounts).
        surveys: CSAT, NPS and CES answers.
        now: The instant of the handoff; defaults to the latest event.
        recent: How far back surveys and orders count as recent.
        limit: Most recent surveys and orders kept.

    Raises:
        InvalidValueError: If ``customer_id`` is empty, ``recent`` negative or ``limit`` below 0.
        NaiveDatetimeError: If ``now`` has no time zone.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction, Order, SurveyResponse, Ticket
        >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> m = timedelta(minutes=1)
        >>> ctx = handoff_context(
        ...     "C1",
        ...     tickets=[Ticket(id="T1", customer_id="C1", channel="email", created_at=t0 + 60 * m,
        ...                     category="refund")],
        ...     interactions=[
        ...         Interaction(id="I1", customer_id="C1", channel="chat", started_at=t0,
        ...                     answered_at=t0, ended_at=t0 + 5 * m, handled_by="bot"),
        ...         Interaction(id="I2", customer_id="C1", channel="phone", previous_id="I1",
        ...                     started_at=t0 + 30 * m, answered_at=t0 + 31 * m, agent_id="a1"),
        ...     ],
        ...     orders=[Order(id="O1", customer_id="C1", at=t0 - 24 * 60 * m, amount=350000)],
        ...     surveys=[SurveyResponse(kind="csat", score=2, at=t0 + 40 * m, customer_id="C1")],
        ... )
        >>> print(ctx.summary(last=3))
        customer C1: 5 events on chat, phone, email, from 2026-01-04T09:00+00:00 to 2026-01-05T10:00+00:00
        open tickets: T1 (email, refund, normal, new)
        recent satisfaction: csat 2/5 on 2026-01-05
        recent orders: O1 350000 VND on 2026-01-04
        last events:
          2026-01-05T09:30+00:00 [phone] handoff from bot I1 (chat) to a person on phone (I2) (agent a1, waited 60 s)
          2026-01-05T09:40+00:00 csat 2/5
          2026-01-05T10:00+00:00 [email] ticket T1 opened (normal, refund)
    """
    if not isinstance(customer_id, str) or not customer_id.strip():
        raise InvalidValueError(
            f"handoff_context customer_id must be non-empty, got {customer_id!r}"
        )
    if not isinstance(recent, timedelta) or recent < timedelta(0):
        raise InvalidValueError(
            f"handoff_context recent must be a non-negative timedelta, got {recent!r}"
        )
    if not isinstance(limit, int) or limit < 0:
        raise InvalidValueError(
            f"handoff_context limit must be a non-negative integer, got {limit!r}"
        )
    cutoff = None if now is None else require_aware(now, "handoff_context(now)")

    mine = sorted((t for t in tickets if t.customer_id == customer_id), key=lambda t: t.id)
    ticket_ids = {t.id for t in mine}
    contacts = [i for i in interactions if i.customer_id == customer_id]
    by_id = {i.id: i for i in contacts}
    bought = [o for o in orders if o.customer_id == customer_id]
    answers = [
        s
        for s in surveys
        if s.customer_id == customer_id or (s.customer_id is None and s.ticket_id in ticket_ids)
    ]

    events: list[TimelineEvent] = []
    for ticket in mine:
        events.extend(_ticket_events(ticket))
    for item in contacts:
        prev = by_id.get(item.previous_id) if item.previous_id else None
        events.append(_interaction_event(item, prev))
    events.extend(_order_event(o) for o in bought)
    events.extend(_survey_event(s) for s in answers)
    if cutoff is not None:
        events = [e for e in events if e.at <= cutoff]
    events.sort(key=lambda e: e.sort_key)
    as_of = cutoff if cutoff is not None else (events[-1].at if events else None)

    channels: list[Channel] = []
    for e in events:
        if e.channel is not None and e.channel not in channels:
            channels.append(e.channel)

    if as_of is None:
        open_now: list[Ticket] = []
        recent_answers: list[SurveyResponse] = []
        recent_orders: list[Order] = []
    else:
        start = as_of - recent
        open_now = [t for t in mine if t.created_at <= as_of and t.status_at(as_of).is_open]
        recent_answers = [s for s in answers if start <= s.at <= as_of]
        recent_orders = [o for o in bought if start <= o.at <= as_of]
    open_now.sort(key=lambda t: (t.created_at, t.id))
    recent_answers.sort(key=lambda s: (s.at, s.kind.value, s.score), reverse=True)
    recent_orders.sort(key=lambda o: (o.at, o.id), reverse=True)
    return HandoffContext(
        customer_id=customer_id,
        timeline=tuple(events),
        open_tickets=tuple(open_now),
        recent_surveys=tuple(recent_answers[:limit]),
        recent_orders=tuple(recent_orders[:limit]),
        channels=tuple(channels),
        as_of=as_of,
    )
