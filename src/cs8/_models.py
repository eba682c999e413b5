"""The domain model: customers, agents, tickets (an ordered event log), interactions, orders, surveys.

Every model is a frozen attrs class: validated at construction, hashable, picklable, and changed with
:func:`attrs.evolve` (or, for tickets, :meth:`Ticket.with_event`). Datetimes must be aware; they are
stored as stdlib :class:`datetime.datetime` values so arithmetic stays cheap.

Example:
    >>> from datetime import datetime, timezone
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    >>> ticket = Ticket(id="T1", customer_id="C1", channel=Channel.EMAIL, created_at=t0)
    >>> ticket = ticket.with_event(Message(at=t0.replace(hour=10), author=ActorKind.AGENT))
    >>> ticket.first_reply_at.hour, ticket.status
    (10, TicketStatus.NEW)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

import attrs

from cs8._enums import (
    ActorKind,
    AgentStatus,
    Channel,
    CustomerSegment,
    Direction,
    Priority,
    SurveyKind,
    TicketStatus,
)
from cs8._frozen import FrozenDict
from cs8._time import as_instant, check_aware, check_duration
from cs8._time import where as _where
from cs8.exceptions import EventOrderError, InvalidValueError

__all__ = [
    "Agent",
    "Assignment",
    "Customer",
    "Interaction",
    "Message",
    "Order",
    "PriorityChange",
    "StatusChange",
    "SurveyResponse",
    "Ticket",
    "TicketEvent",
]

AttributeValue: TypeAlias = "str | int | float | bool | None"


def _non_empty(instance: object, attribute: Any, value: Any) -> None:
    name = f"{type(instance).__name__}.{attribute.name}"
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"{name} must be a non-empty string, got {value!r}{_where(instance)}"
        )


def _optional_non_empty(instance: object, attribute: Any, value: Any) -> None:
    if value is not None:
        _non_empty(instance, attribute, value)


def _frozen_map(value: Mapping[Any, Any] | None) -> FrozenDict[Any, Any]:
    if isinstance(value, FrozenDict):
        return value
    return FrozenDict(value or {})


def _iter_values(values: Iterable[Any] | str | None) -> Iterable[Any]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return values


def _str_set(values: Iterable[str] | str | None) -> frozenset[str]:
    return frozenset(str(v) for v in _iter_values(values))


def _channel_set(values: Iterable[Channel | str] | str | None) -> frozenset[Channel]:
    return frozenset(Channel(v) for v in _iter_values(values))


def _opt_channel(value: Channel | str | None) -> Channel | None:
    return None if value is None else Channel(value)


def _int_pair(value: Iterable[int]) -> tuple[int, int]:
    items = tuple(value)
    if len(items) != 2:
        raise InvalidValueError(f"SurveyResponse.scale must be (low, high), got {items!r}")
    return items[0], items[1]


def _events(values: Iterable[TicketEvent]) -> tuple[TicketEvent, ...]:
    return tuple(values)


# --------------------------------------------------------------------------------------------------
# Customers and agents


@attrs.frozen(kw_only=True)
class Customer:
    """A person or company the business serves.

    Args:
        id: Unique, non-empty identifier.
        segment: VIP, repeat, one-time or prospect.
        name: Display name.
        timezone: IANA time zone the customer lives in, if known.
        language: Preferred language (e.g. ``"vi"``), if known.
        acquired_at: When the customer became a customer (first order or sign-up), if known.
        churned_at: When the customer explicitly left (cancelled), if they did.
        attributes: Free-form facts (plan, city ...) that rules and reports can read.

    Example:
        >>> Customer(id="C1", segment="vip").segment
        CustomerSegment.VIP
    """

    id: str = attrs.field(validator=_non_empty)
    segment: CustomerSegment = attrs.field(
        default=CustomerSegment.ONE_TIME, converter=CustomerSegment
    )
    name: str | None = None
    timezone: str | None = None
    language: str | None = None
    acquired_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    churned_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    attributes: FrozenDict[str, AttributeValue] = attrs.field(
        factory=FrozenDict, converter=_frozen_map
    )


def _check_skills(instance: Agent, attribute: Any, value: FrozenDict[str, int]) -> None:
    for skill, level in value.items():
        if not isinstance(skill, str) or not skill:
            raise InvalidValueError(f"Agent.skills has an empty skill name{_where(instance)}")
        if not isinstance(level, int) or isinstance(level, bool) or level < 0:
            raise InvalidValueError(
                f"Agent.skills[{skill!r}] must be a non-negative integer level, got {level!r}"
                f"{_where(instance)}"
            )


def _check_non_negative_int(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name} must be a non-negative integer, "
            f"got {value!r}{_where(instance)}"
        )


def _check_non_negative_number(instance: object, attribute: Any, value: Any) -> None:
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value < 0
    ):
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name} must be a non-negative number, "
            f"got {value!r}{_where(instance)}"
        )


@attrs.frozen(kw_only=True)
class Agent:
    """A person who handles customers' requests.

    Args:
        id: Unique, non-empty identifier.
        skills: Skill name to level (0 and up; higher is more expert).
        channels: Channels the agent works.
        capacity: How many units of work the agent holds at once (a call may fill it, a chat may
            take a fraction; see :mod:`cs8.routing`).
        status: Presence.
        active_tickets: Units of work the agent holds now.
        last_assigned_at: When the agent was last given work (for longest-idle routing).
        team: Team name.
        languages: Languages spoken (e.g. ``{"vi", "en"}``).

    Example:
        >>> agent = Agent(id="a1", skills={"refunds": 3}, channels={"email", "chat"}, capacity=5)
        >>> agent.skills["refunds"], Channel.CHAT in agent.channels, agent.spare_capacity
        (3, True, 5)
    """

    id: str = attrs.field(validator=_non_empty)
    skills: FrozenDict[str, int] = attrs.field(
        factory=FrozenDict, converter=_frozen_map, validator=_check_skills
    )
    channels: frozenset[Channel] = attrs.field(
        factory=lambda: frozenset({Channel.EMAIL}), converter=_channel_set
    )
    capacity: int = attrs.field(default=5, validator=_check_non_negative_int)
    status: AgentStatus = attrs.field(default=AgentStatus.ONLINE, converter=AgentStatus)
    active_tickets: float = attrs.field(default=0, validator=_check_non_negative_number)
    last_assigned_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    team: str | None = None
    languages: frozenset[str] = attrs.field(factory=frozenset, converter=_str_set)

    @property
    def spare_capacity(self) -> float:
        """Capacity left: ``capacity - active_tickets`` (never below zero)."""
        return (
            max(0.0, self.capacity - self.active_tickets) if self.active_tickets else self.capacity
        )


# --------------------------------------------------------------------------------------------------
# Ticket events


@attrs.frozen(kw_only=True)
class Message:
    """A message on a ticket.

    Args:
        at: When it was sent.
        author: Who wrote it.
        author_id: The author's id (agent or customer), if known.
        public: Whether the customer sees it (internal notes are not public).
        channel: The channel it went through, when it differs from the ticket's.

    Example:
        >>> from datetime import datetime, timezone
        >>> Message(at=datetime(2026, 1, 1, tzinfo=timezone.utc), author="customer").author
        ActorKind.CUSTOMER
    """

    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    author: ActorKind = attrs.field(default=ActorKind.AGENT, converter=ActorKind)
    author_id: str | None = None
    public: bool = True
    channel: Channel | None = attrs.field(default=None, converter=_opt_channel)


@attrs.frozen(kw_only=True)
class StatusChange:
    """The ticket moved to ``status``.

    Example:
        >>> from datetime import datetime, timezone
        >>> StatusChange(at=datetime(2026, 1, 1, tzinfo=timezone.utc), status="pending").status
        TicketStatus.PENDING
    """

    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    status: TicketStatus = attrs.field(default=TicketStatus.SOLVED, converter=TicketStatus)


@attrs.frozen(kw_only=True)
class PriorityChange:
    """The ticket's priority became ``priority``.

    Example:
        >>> from datetime import datetime, timezone
        >>> PriorityChange(at=datetime(2026, 1, 1, tzinfo=timezone.utc), priority="urgent").priority
        Priority.URGENT
    """

    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    priority: Priority = attrs.field(default=Priority.HIGH, converter=Priority)


@attrs.frozen(kw_only=True)
class Assignment:
    """The ticket was assigned to an agent (``agent_id``) and/or a group; ``None`` unassigns.

    Example:
        >>> from datetime import datetime, timezone
        >>> Assignment(at=datetime(2026, 1, 1, tzinfo=timezone.utc), agent_id="a1").agent_id
        'a1'
    """

    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    agent_id: str | None = attrs.field(default=None, validator=_optional_non_empty)
    group: str | None = None


TicketEvent: TypeAlias = Message | StatusChange | PriorityChange | Assignment
"""Any event of a ticket's log."""

_EVENT_TYPES = (Message, StatusChange, PriorityChange, Assignment)


# --------------------------------------------------------------------------------------------------
# Tickets


@attrs.frozen
class _Facts:
    """Everything derived from a ticket's event log, computed in one pass."""

    first_reply_at: datetime | None
    last_public_agent_reply_at: datetime | None
    public_agent_replies: int
    solved_at: datetime | None
    last_solved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    status: TicketStatus
    priority: Priority
    assignee: str | None
    group: str | None
    awaiting_reply: tuple[datetime, ...]


def _check_events(instance: Ticket, attribute: Any, events: tuple[TicketEvent, ...]) -> None:
    previous = instance.created_at
    previous_name = "created_at"
    for index, event in enumerate(events):
        if not isinstance(event, _EVENT_TYPES):
            raise InvalidValueError(
                f"Ticket.events[{index}] must be a Message, StatusChange, PriorityChange or "
                f"Assignment, got {event!r} (ticket {instance.id!r})"
            )
        if event.at < previous:
            raise EventOrderError(
                f"ticket {instance.id!r}: events[{index}] ({type(event).__name__}) at "
                f"{event.at.isoformat()} is earlier than {previous_name} at {previous.isoformat()}"
            )
        previous = event.at
        previous_name = f"events[{index}]"


@attrs.frozen(kw_only=True)
class Ticket:
    """A customer's request and its whole history, as an ordered event log.

    The ticket's state at any instant (status, priority, assignee) and every derived fact (first
    reply, solves, reopens, replies, messages awaiting a reply) is computed from ``events``; nothing is
    stored twice. Adding an event returns a new ticket.

    Args:
        id: Unique, non-empty identifier.
        customer_id: The requester.
        channel: Where the request came in.
        created_at: When it was created; the status is ``NEW`` from then until the first change.
        priority: The priority at creation; later :class:`PriorityChange` events change it.
        category: Request type (e.g. ``"refund"``), if known.
        events: The event log, in non-decreasing time order and not before ``created_at``.
        tags: Free-form labels.
        language: The customer's language on this ticket, if known.
        created_by: Who opened the ticket (agent-created tickets are excluded by some KPIs).
        merged_into: The id of the ticket this one was merged into, if any.
        attributes: Free-form facts (impact, urgency, order id ...).

    Raises:
        EventOrderError: If an event is earlier than the one before it or than ``created_at``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
        >>> h = timedelta(hours=1)
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=(
        ...     Message(at=t0, author="customer"),
        ...     Message(at=t0 + h, author="agent", author_id="a1"),
        ...     StatusChange(at=t0 + 2 * h, status="solved"),
        ...     StatusChange(at=t0 + 3 * h, status="open"),
        ...     StatusChange(at=t0 + 4 * h, status="solved"),
        ... ))
        >>> ticket.reopen_count, ticket.solved_at.hour, ticket.last_solved_at.hour
        (1, 11, 13)
        >>> ticket.status_at(t0 + 3 * h)
        TicketStatus.OPEN
    """

    id: str = attrs.field(validator=_non_empty)
    customer_id: str = attrs.field(validator=_non_empty)
    channel: Channel = attrs.field(converter=Channel)
    created_at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    priority: Priority = attrs.field(default=Priority.NORMAL, converter=Priority)
    category: str | None = None
    events: tuple[TicketEvent, ...] = attrs.field(
        default=(), converter=_events, validator=_check_events
    )
    tags: frozenset[str] = attrs.field(factory=frozenset, converter=_str_set)
    language: str | None = None
    created_by: ActorKind = attrs.field(default=ActorKind.CUSTOMER, converter=ActorKind)
    merged_into: str | None = None
    attributes: FrozenDict[str, AttributeValue] = attrs.field(
        factory=FrozenDict, converter=_frozen_map
    )
    # The facts derived from the event log, computed on first use (not an argument).
    _facts_cache: _Facts | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False
    )

    # ---------------------------------------------------------------- building

    def with_event(self, event: TicketEvent) -> Ticket:
        """Return a new ticket with ``event`` appended to the log.

        Raises:
            EventOrderError: If ``event`` is earlier than the last event.

        Example:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> t = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0)
            >>> t.with_event(StatusChange(at=t0, status="open")).status
            TicketStatus.OPEN
        """
        return attrs.evolve(self, events=(*self.events, event))

    def with_events(self, events: Iterable[TicketEvent]) -> Ticket:
        """Return a new ticket with ``events`` appended to the log, in the order given.

        Example:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> t = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0)
            >>> len(t.with_events([Message(at=t0), Message(at=t0)]).events)
            2
        """
        return attrs.evolve(self, events=(*self.events, *events))

    # ---------------------------------------------------------------- derived facts

    @property
    def _facts(self) -> _Facts:
        # A plain slot, not functools.cached_property: on a slotted attrs class that adds a
        # __getattr__ hook, which slows every attribute read of every ticket. The properties
        # below read the slot first (``self._facts_cache or self._facts``): one call, not two.
        facts = self._facts_cache
        if facts is None:
            facts = self._derive_facts()
            object.__setattr__(self, "_facts_cache", facts)
        return facts

    def _derive_facts(self) -> _Facts:
        status = TicketStatus.NEW
        priority = self.priority
        assignee: str | None = None
        group: str | None = None
        first_reply: datetime | None = None
        last_reply: datetime | None = None
        replies = 0
        solved: datetime | None = None
        last_solved: datetime | None = None
        closed: datetime | None = None
        reopens = 0
        awaiting: list[datetime] = []
        agent = ActorKind.AGENT
        customer = ActorKind.CUSTOMER
        for event in self.events:
            kind = type(event)
            if kind is Message:
                msg: Message = event  # type: ignore[assignment]
                if msg.public:
                    if msg.author is agent:
                        if first_reply is None:
                            first_reply = msg.at
                        last_reply = msg.at
                        replies += 1
                        awaiting.clear()
                    elif msg.author is customer:
                        awaiting.append(msg.at)
            elif kind is StatusChange:
                new: TicketStatus = event.status  # type: ignore[union-attr]
                if new is TicketStatus.SOLVED:
                    if solved is None:
                        solved = event.at
                    if status is not TicketStatus.SOLVED:
                        last_solved = event.at
                elif new is TicketStatus.CLOSED:
                    if closed is None:
                        closed = event.at
                    if last_solved is None and status.is_open:
                        # Closed without passing through solved counts as the solve.
                        solved = solved or event.at
                        last_solved = event.at
                elif not status.is_open:
                    reopens += 1
                status = new
            elif kind is PriorityChange:
                priority = event.priority  # type: ignore[union-attr]
            else:
                assignee = event.agent_id  # type: ignore[union-attr]
                group = event.group or group  # type: ignore[union-attr]
        return _Facts(
            first_reply_at=first_reply,
            last_public_agent_reply_at=last_reply,
            public_agent_replies=replies,
            solved_at=solved,
            last_solved_at=last_solved,
            closed_at=closed,
            reopen_count=reopens,
            status=status,
            priority=priority,
            assignee=assignee,
            group=group,
            awaiting_reply=tuple(awaiting),
        )

    @property
    def status(self) -> TicketStatus:
        """The status after the last event (``NEW`` when there is no status change)."""
        return (self._facts_cache or self._facts).status

    @property
    def current_priority(self) -> Priority:
        """The priority after the last event (``priority`` is the priority at creation)."""
        return (self._facts_cache or self._facts).priority

    @property
    def assignee(self) -> str | None:
        """The agent holding the ticket after the last event, if any."""
        return (self._facts_cache or self._facts).assignee

    @property
    def group(self) -> str | None:
        """The group of the latest assignment that named one, if any."""
        return (self._facts_cache or self._facts).group

    @property
    def first_reply_at(self) -> datetime | None:
        """When the first public agent message was sent, if one was."""
        return (self._facts_cache or self._facts).first_reply_at

    @property
    def last_public_agent_reply_at(self) -> datetime | None:
        """When the latest public agent message was sent, if one was."""
        return (self._facts_cache or self._facts).last_public_agent_reply_at

    @property
    def public_agent_replies(self) -> int:
        """How many public agent messages the ticket has."""
        return (self._facts_cache or self._facts).public_agent_replies

    @property
    def solved_at(self) -> datetime | None:
        """When the ticket was first solved (or closed without a solve), if it was."""
        return (self._facts_cache or self._facts).solved_at

    @property
    def last_solved_at(self) -> datetime | None:
        """When the ticket was last moved into ``SOLVED`` (or closed from open), if it was."""
        return (self._facts_cache or self._facts).last_solved_at

    @property
    def closed_at(self) -> datetime | None:
        """When the ticket was first closed, if it was."""
        return (self._facts_cache or self._facts).closed_at

    @property
    def reopen_count(self) -> int:
        """How many times the ticket went from ``SOLVED``/``CLOSED`` back to an open status."""
        return (self._facts_cache or self._facts).reopen_count

    @property
    def awaiting_reply(self) -> tuple[datetime, ...]:
        """Times of public customer messages sent after the latest public agent reply."""
        return (self._facts_cache or self._facts).awaiting_reply

    @property
    def is_open(self) -> bool:
        """Whether the ticket's current status is an open one."""
        return (self._facts_cache or self._facts).status.is_open

    def _check_not_before_creation(self, t: datetime, what: str) -> datetime:
        from cs8._time import require_aware

        t = require_aware(t, f"Ticket.{what}(t)", f"ticket {self.id!r}")
        if t < self.created_at:
            raise InvalidValueError(
                f"Ticket.{what}: {t.isoformat()} is before ticket {self.id!r} was created "
                f"({self.created_at.isoformat()})"
            )
        return t

    def status_at(self, t: datetime) -> TicketStatus:
        """Return the status in force at instant ``t`` (events at ``t`` have taken effect).

        Raises:
            InvalidValueError: If ``t`` is before the ticket was created.
            NaiveDatetimeError: If ``t`` has no time zone.

        Example:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> Ticket(id="T1", customer_id="C1", channel="web", created_at=t0).status_at(t0)
            TicketStatus.NEW
        """
        t = self._check_not_before_creation(t, "status_at")
        status = TicketStatus.NEW
        for event in self.events:
            if event.at > t:
                break
            if type(event) is StatusChange:
                status = event.status
        return status

    def priority_at(self, t: datetime) -> Priority:
        """Return the priority in force at instant ``t``.

        Example:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> Ticket(id="T1", customer_id="C1", channel="web", created_at=t0).priority_at(t0)
            Priority.NORMAL
        """
        t = self._check_not_before_creation(t, "priority_at")
        priority = self.priority
        for event in self.events:
            if event.at > t:
                break
            if type(event) is PriorityChange:
                priority = event.priority
        return priority

    def assignee_at(self, t: datetime) -> str | None:
        """Return the agent holding the ticket at instant ``t``, if any.

        Example:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> t = Ticket(id="T1", customer_id="C1", channel="web", created_at=t0)
            >>> t.with_event(Assignment(at=t0, agent_id="a7")).assignee_at(t0)
            'a7'
        """
        t = self._check_not_before_creation(t, "assignee_at")
        assignee: str | None = None
        for event in self.events:
            if event.at > t:
                break
            if type(event) is Assignment:
                assignee = event.agent_id
        return assignee

    def status_intervals(
        self, until: datetime | None = None
    ) -> tuple[tuple[datetime, datetime | None, TicketStatus], ...]:
        """Return ``(start, end, status)`` spans of the status history; the last span ends at ``until``.

        Example:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> t = Ticket(id="T1", customer_id="C1", channel="web", created_at=t0,
            ...            events=[StatusChange(at=t0.replace(hour=2), status="solved")])
            >>> [(s.hour, e.hour if e else None, st.value) for s, e, st in t.status_intervals()]
            [(0, 2, 'new'), (2, None, 'solved')]
        """
        spans: list[tuple[datetime, datetime | None, TicketStatus]] = []
        start = self.created_at
        status = TicketStatus.NEW
        for event in self.events:
            if type(event) is StatusChange and event.status is not status:
                spans.append((start, event.at, status))
                start, status = event.at, event.status
        spans.append((start, until, status))
        return tuple(spans)


# --------------------------------------------------------------------------------------------------
# Interactions


def _check_sentiment(instance: Interaction, attribute: Any, value: float | None) -> None:
    if value is None:
        return
    if not isinstance(value, int | float) or not -1.0 <= value <= 1.0:
        raise InvalidValueError(
            f"Interaction.sentiment must be in [-1, 1], got {value!r}{_where(instance)}"
        )


def _check_interaction_times(instance: Interaction) -> None:
    started, answered, ended = instance.started_at, instance.answered_at, instance.ended_at
    where = _where(instance)
    if answered is not None and answered < started:
        raise InvalidValueError(
            f"Interaction.answered_at {answered.isoformat()} is before started_at "
            f"{started.isoformat()}{where}"
        )
    if ended is not None:
        if ended < started:
            raise InvalidValueError(
                f"Interaction.ended_at {ended.isoformat()} is before started_at "
                f"{started.isoformat()}{where}"
            )
        if answered is not None and ended < answered:
            raise InvalidValueError(
                f"Interaction.ended_at {ended.isoformat()} is before answered_at "
                f"{answered.isoformat()}{where}"
            )


@attrs.frozen(kw_only=True)
class Interaction:
    """One contact on one channel: a call, a chat, an email, a social message or a bot session.

    Args:
        id: Unique, non-empty identifier.
        customer_id: Who the contact was with.
        channel: Where it happened.
        started_at: When it arrived (entered the queue) or, for outbound contacts, was placed.
        answered_at: When a person (or the bot, for ``handled_by=BOT``) answered; ``None`` if never.
        ended_at: When it ended; ``None`` while it is still going on.
        direction: Inbound from the customer or outbound to them.
        handled_by: Who handled it (a bot session handed to a person is a BOT interaction whose
            follow-up has ``previous_id`` set to it).
        agent_id: The agent, when one handled it.
        ticket_id: The ticket it belongs to, if any.
        queue: The queue it waited in, if any.
        talk_time: Time talking (or actively chatting).
        hold_time: Time the customer was on hold after being answered.
        wrap_time: After-contact work.
        proactive: The business reached out before the customer asked.
        previous_id: The interaction this one continues (a channel change or a bot handoff).
        sentiment: Sentiment of the contact in [-1, 1], if scored.

    Raises:
        InvalidValueError: If a duration is negative, the sentiment is outside [-1, 1], or the
            times are out of order (answered before started, ended before answered).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> call = Interaction(id="I1", customer_id="C1", channel="phone", started_at=t0,
        ...                    answered_at=t0 + timedelta(seconds=15),
        ...                    ended_at=t0 + timedelta(minutes=5), talk_time=timedelta(minutes=4))
        >>> call.wait_time, call.abandoned
        (datetime.timedelta(seconds=15), False)
    """

    id: str = attrs.field(validator=_non_empty)
    customer_id: str = attrs.field(validator=_non_empty)
    channel: Channel = attrs.field(converter=Channel)
    started_at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    answered_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    ended_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    direction: Direction = attrs.field(default=Direction.INBOUND, converter=Direction)
    handled_by: ActorKind = attrs.field(default=ActorKind.AGENT, converter=ActorKind)
    agent_id: str | None = None
    ticket_id: str | None = None
    queue: str | None = None
    talk_time: timedelta = attrs.field(default=timedelta(0), validator=check_duration)
    hold_time: timedelta = attrs.field(default=timedelta(0), validator=check_duration)
    wrap_time: timedelta = attrs.field(default=timedelta(0), validator=check_duration)
    proactive: bool = False
    previous_id: str | None = None
    sentiment: float | None = attrs.field(default=None, validator=_check_sentiment)

    def __attrs_post_init__(self) -> None:
        _check_interaction_times(self)

    @property
    def answered(self) -> bool:
        """Whether the contact was answered."""
        return self.answered_at is not None

    @property
    def abandoned(self) -> bool:
        """Whether the contact ended without being answered."""
        return self.answered_at is None and self.ended_at is not None

    @property
    def wait_time(self) -> timedelta | None:
        """``answered_at - started_at``; for an abandoned contact ``ended_at - started_at``."""
        if self.answered_at is not None:
            return self.answered_at - self.started_at
        if self.ended_at is not None:
            return self.ended_at - self.started_at
        return None

    @property
    def handle_time(self) -> timedelta:
        """Talk plus hold plus wrap time."""
        return self.talk_time + self.hold_time + self.wrap_time


# --------------------------------------------------------------------------------------------------
# Orders and survey responses


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise InvalidValueError(f"Order.amount must be a number, got {value!r}") from None


def _check_amount(instance: Order, attribute: Any, value: Decimal) -> None:
    if not value.is_finite():
        raise InvalidValueError(f"Order.amount must be finite, got {value!r}{_where(instance)}")


def _check_currency(instance: Order, attribute: Any, value: str) -> None:
    if not (isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()):
        raise InvalidValueError(
            f"Order.currency must be an ISO 4217 code such as 'VND', got {value!r}{_where(instance)}"
        )


@attrs.frozen(kw_only=True)
class Order:
    """A purchase by a customer. A negative amount is a refund.

    Example:
        >>> from datetime import datetime, timezone
        >>> Order(id="O1", customer_id="C1", at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...       amount="350000").amount
        Decimal('350000')
    """

    id: str = attrs.field(validator=_non_empty)
    customer_id: str = attrs.field(validator=_non_empty)
    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    amount: Decimal = attrs.field(converter=_to_decimal, validator=_check_amount)
    currency: str = attrs.field(default="VND", validator=_check_currency)


def _check_score(instance: SurveyResponse, attribute: Any, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidValueError(
            f"SurveyResponse.score must be an integer, got {value!r} ({instance.kind.value} survey)"
        )


@attrs.frozen(kw_only=True)
class SurveyResponse:
    """One answer to a CSAT, NPS or CES question.

    Args:
        kind: The instrument.
        score: The answer on the instrument's scale.
        at: When it was answered.
        scale: ``(lowest, highest)`` of the scale; defaults to the instrument's (CSAT 1-5, NPS
            0-10, CES 1-7).
        customer_id: Who answered.
        ticket_id: The ticket it is about.
        agent_id: The agent it is about.
        channel: The channel it is about.
        comment: Free text, if any.

    Raises:
        InvalidValueError: If the score is off the scale.

    Example:
        >>> from datetime import datetime, timezone
        >>> r = SurveyResponse(kind="nps", score=9, at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> r.scale
        (0, 10)
        >>> SurveyResponse(kind="csat", score=6, at=r.at)
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: SurveyResponse.score must be in 1..5 for a csat survey, got 6
    """

    kind: SurveyKind = attrs.field(converter=SurveyKind)
    score: int = attrs.field(validator=_check_score)
    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    scale: tuple[int, int] = attrs.field(converter=_int_pair)
    customer_id: str | None = None
    ticket_id: str | None = None
    agent_id: str | None = None
    channel: Channel | None = attrs.field(default=None, converter=_opt_channel)
    comment: str | None = None

    @scale.default
    def _default_scale(self) -> tuple[int, int]:
        return self.kind.default_scale

    def __attrs_post_init__(self) -> None:
        low, high = self.scale
        if not low < high:
            raise InvalidValueError(f"SurveyResponse.scale must be (low, high), got {self.scale!r}")
        if not low <= self.score <= high:
            raise InvalidValueError(
                f"SurveyResponse.score must be in {low}..{high} for a {self.kind.value} survey, "
                f"got {self.score!r}"
            )
