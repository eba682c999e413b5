"""Tickets as ordered event logs: the events (messages, status, priority and assignment changes) and
:class:`Ticket`, whose facts (first reply, solves, reopens...) are derived from its log in one pass.

Example:
    >>> from datetime import datetime, timezone
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
    >>> ticket.with_event(StatusChange(at=t0.replace(hour=11))).solved_at.hour
    11
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final, NamedTuple, TypeAlias

import attrs

from cs8._enums import (
    ActorKind,
    Channel,
    Priority,
    TicketStatus,
)
from cs8._fields import (
    AttributeValue,
    _attribute_map,
    _bool,
    _check_attributes,
    _non_empty,
    _opt_channel,
    _optional_non_empty,
    _optional_str,
    _str_set,
)
from cs8._frozen import FrozenDict
from cs8._time import as_instant, check_aware
from cs8.exceptions import EventOrderError, InvalidValueError

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
        text: What was written, if known (``cs8.text`` reads it).
        id: The event's id at its source (a webhook delivery's), so a repeat is recognised.

    Example:
        >>> from datetime import datetime, timezone
        >>> Message(at=datetime(2026, 1, 1, tzinfo=timezone.utc), author="customer").author
        ActorKind.CUSTOMER
    """

    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    author: ActorKind = attrs.field(default=ActorKind.AGENT, converter=ActorKind)
    author_id: str | None = attrs.field(default=None, validator=_optional_str)
    public: bool = attrs.field(default=True, validator=_bool)
    channel: Channel | None = attrs.field(default=None, converter=_opt_channel)
    text: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str))
    )
    id: str | None = attrs.field(default=None, validator=_optional_non_empty)


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
    id: str | None = attrs.field(default=None, validator=_optional_non_empty)


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
    id: str | None = attrs.field(default=None, validator=_optional_non_empty)


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
    group: str | None = attrs.field(default=None, validator=_optional_str)
    id: str | None = attrs.field(default=None, validator=_optional_non_empty)


@attrs.frozen(kw_only=True)
class Handoff:
    """A bot handed the conversation over to people (Chatwoot's ``last_non_human_activity``).

    A reply clock may start here instead of at creation (see ``SlaTarget.clock_start``).

    Example:
        >>> from datetime import datetime, timezone
        >>> Handoff(at=datetime(2026, 1, 1, tzinfo=timezone.utc)).at.year
        2026
    """

    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    id: str | None = attrs.field(default=None, validator=_optional_non_empty)


TicketEvent: TypeAlias = Message | StatusChange | PriorityChange | Assignment | Handoff
"""Any event of a ticket's log. Every event takes an optional ``id`` (the id of the webhook or
export row that delivered it): :class:`cs8.desk.Desk` ignores an event whose id it has seen."""

_EVENT_TYPES = (Message, StatusChange, PriorityChange, Assignment, Handoff)


def _events(values: Iterable[TicketEvent]) -> tuple[TicketEvent, ...]:
    return tuple(values)


# --------------------------------------------------------------------------------------------------
# Tickets


_Progress: TypeAlias = tuple[datetime | None, int, datetime | None, int, TicketStatus]
"""What a ticket's messages and status changes say about its progress, the facts every ticket KPI
reads: ``(first_reply_at, public_agent_replies, solved_at, reopen_count, status)``.

A ticket's facts come in three groups, each derived from the event log in one pass on first use
and cached in its own slot: this one, :class:`_Latest` (the latest reply and solve, the first
close) and :class:`_Ownership` (priority, assignment, handoffs). A KPI over a million fresh tickets
derives only the group it reads. This group is a plain tuple, not a named tuple: a named tuple is
built through ``tuple.__new__``, which costs a quarter of the fold on short logs; the properties of
:class:`Ticket` name its fields."""

_FIRST_REPLY: Final = 0
_REPLIES: Final = 1
_SOLVED_AT: Final = 2
_REOPENS: Final = 3
_STATUS: Final = 4


class _Latest(NamedTuple):
    """The latest reply and solve and the first close (see :data:`_Progress`)."""

    last_public_agent_reply_at: datetime | None
    last_solve_move_at: datetime | None  # the latest move into solved from another status
    last_solve_event_at: datetime | None  # the latest "solved" event, repeated or not
    closed_at: datetime | None


class _Ownership(NamedTuple):
    """What a ticket's priority changes, assignments and handoffs say (see :data:`_Progress`)."""

    priority: Priority
    assignee: str | None
    group: str | None
    agent_stations: int  # distinct agents assigned (dbt_zendesk assignee_stations)
    group_stations: int  # distinct groups assigned (dbt_zendesk group_stations)
    handoffs: int  # Handoff events (a bot handing the conversation to people)


# Enum members read once: a member read through its class costs a lookup in the enum's type.
_NEW, _SOLVED, _CLOSED = TicketStatus.NEW, TicketStatus.SOLVED, TicketStatus.CLOSED
_AGENT, _CUSTOMER = ActorKind.AGENT, ActorKind.CUSTOMER


def _check_events(instance: Ticket, attribute: Any, events: tuple[TicketEvent, ...]) -> None:
    previous = instance.created_at
    previous_name = "created_at"
    for index, event in enumerate(events):
        if not isinstance(event, _EVENT_TYPES):
            raise InvalidValueError(
                f"Ticket.events[{index}] must be a Message, StatusChange, PriorityChange, "
                f"Assignment or Handoff, got {event!r} (ticket {instance.id!r})"
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
        channel_raw: The channel as the source system named it (``"api"``, ``"voice"``), kept
            when a loader mapped it to ``channel`` (``Channel.OTHER`` for names cs8 has no member
            for).

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
    category: str | None = attrs.field(default=None, validator=_optional_str)
    events: tuple[TicketEvent, ...] = attrs.field(
        default=(), converter=_events, validator=_check_events
    )
    tags: frozenset[str] = attrs.field(factory=frozenset, converter=_str_set)
    language: str | None = attrs.field(default=None, validator=_optional_str)
    created_by: ActorKind = attrs.field(default=ActorKind.CUSTOMER, converter=ActorKind)
    merged_into: str | None = attrs.field(default=None, validator=_optional_str)
    attributes: FrozenDict[str, AttributeValue] = attrs.field(
        factory=FrozenDict, converter=_attribute_map, validator=_check_attributes
    )
    channel_raw: str | None = attrs.field(default=None, validator=_optional_str)
    # The facts derived from the event log, each group computed on first use (not arguments).
    _progress_cache: _Progress | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False
    )
    _latest_cache: _Latest | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False
    )
    _ownership_cache: _Ownership | None = attrs.field(
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

    # Plain slots, not functools.cached_property: on a slotted attrs class that adds a
    # __getattr__ hook, which slows every attribute read of every ticket. The properties below read
    # the slot first (``self._progress_cache or self._progress``): one call, not two.

    @property
    def _progress(self) -> _Progress:
        facts = self._progress_cache
        if facts is None:
            facts = self._derive_progress()
            object.__setattr__(self, "_progress_cache", facts)
        return facts

    @property
    def _latest(self) -> _Latest:
        facts = self._latest_cache
        if facts is None:
            facts = self._derive_latest()
            object.__setattr__(self, "_latest_cache", facts)
        return facts

    @property
    def _ownership(self) -> _Ownership:
        facts = self._ownership_cache
        if facts is None:
            facts = self._derive_ownership()
            object.__setattr__(self, "_ownership_cache", facts)
        return facts

    def _derive_progress(self) -> _Progress:
        """Fold the messages and status changes of the log into :data:`_Progress` (not cached)."""
        solved_s, closed_s = _SOLVED, _CLOSED
        agent = _AGENT
        message, status_change = Message, StatusChange
        status = _NEW
        first_reply: datetime | None = None
        replies = 0
        solved: datetime | None = None
        reopens = 0
        for event in self.events:
            kind = type(event)
            if kind is message:
                if event.public and event.author is agent:  # type: ignore[union-attr]
                    if first_reply is None:
                        first_reply = event.at
                    replies += 1
            elif kind is status_change:
                new: TicketStatus = event.status  # type: ignore[union-attr]
                if new is solved_s:
                    if solved is None:
                        solved = event.at
                elif new is closed_s:
                    if solved is None and status is not closed_s:
                        solved = event.at  # closed without passing through solved: the solve
                elif status is solved_s or status is closed_s:
                    reopens += 1
                status = new
        return (first_reply, replies, solved, reopens, status)

    def _derive_latest(self) -> _Latest:
        """Fold the log into :class:`_Latest` (not cached)."""
        last_reply: datetime | None = None
        last_move: datetime | None = None
        solve_event: datetime | None = None
        closed: datetime | None = None
        status = _NEW
        for event in self.events:
            kind = type(event)
            if kind is Message:
                if event.public and event.author is _AGENT:  # type: ignore[union-attr]
                    last_reply = event.at
            elif kind is StatusChange:
                new: TicketStatus = event.status  # type: ignore[union-attr]
                if new is _SOLVED:
                    solve_event = event.at
                    if status is not _SOLVED:
                        last_move = event.at
                elif new is _CLOSED and closed is None:
                    closed = event.at
                status = new
        return _Latest(last_reply, last_move, solve_event, closed)

    def _derive_ownership(self) -> _Ownership:
        """Fold the priority changes, assignments and handoffs into :class:`_Ownership`."""
        priority = self.priority
        assignee: str | None = None
        group: str | None = None
        agents: set[str] = set()
        groups: set[str] = set()
        handoffs = 0
        for event in self.events:
            kind = type(event)
            if kind is PriorityChange:
                priority = event.priority  # type: ignore[union-attr]
            elif kind is Assignment:
                assignee = event.agent_id  # type: ignore[union-attr]
                group = event.group or group  # type: ignore[union-attr]
                if assignee is not None:
                    agents.add(assignee)
                if group is not None:
                    groups.add(group)
            elif kind is Handoff:
                handoffs += 1
        return _Ownership(priority, assignee, group, len(agents), len(groups), handoffs)

    @property
    def status(self) -> TicketStatus:
        """The status after the last event (``NEW`` when there is no status change)."""
        return (self._progress_cache or self._progress)[_STATUS]

    @property
    def current_priority(self) -> Priority:
        """The priority after the last event (``priority`` is the priority at creation)."""
        return self._ownership.priority

    @property
    def assignee(self) -> str | None:
        """The agent holding the ticket after the last event, if any."""
        return self._ownership.assignee

    @property
    def group(self) -> str | None:
        """The group of the latest assignment that named one, if any."""
        return self._ownership.group

    @property
    def first_reply_at(self) -> datetime | None:
        """When the first public agent message was sent, if one was."""
        return (self._progress_cache or self._progress)[_FIRST_REPLY]

    @property
    def last_public_agent_reply_at(self) -> datetime | None:
        """When the latest public agent message was sent, if one was."""
        return self._latest.last_public_agent_reply_at

    @property
    def public_agent_replies(self) -> int:
        """How many public agent messages the ticket has."""
        return (self._progress_cache or self._progress)[_REPLIES]

    @property
    def solved_at(self) -> datetime | None:
        """When the ticket was first solved (or closed without a solve), if it was."""
        return (self._progress_cache or self._progress)[_SOLVED_AT]

    @property
    def last_solved_at(self) -> datetime | None:
        """When the ticket was last moved into ``SOLVED`` (or closed from open), if it was."""
        return self._latest.last_solve_move_at or self.solved_at

    @property
    def closed_at(self) -> datetime | None:
        """When the ticket was first closed, if it was."""
        return self._latest.closed_at

    @property
    def reopen_count(self) -> int:
        """How many times the ticket went from ``SOLVED``/``CLOSED`` back to an open status."""
        return (self._progress_cache or self._progress)[_REOPENS]

    @property
    def agent_stations(self) -> int:
        """How many distinct agents the ticket was assigned to (dbt_zendesk's assignee stations)."""
        return self._ownership.agent_stations

    @property
    def group_stations(self) -> int:
        """How many distinct groups the ticket was assigned to (dbt_zendesk's group stations)."""
        return self._ownership.group_stations

    @property
    def handoffs(self) -> int:
        """How many :class:`Handoff` events the log has (a bot handing over to people)."""
        return self._ownership.handoffs

    @property
    def awaiting_reply(self) -> tuple[datetime, ...]:
        """Times of public customer messages sent after the latest public agent reply."""
        waiting: list[datetime] = []
        for e in reversed(self.events):
            if type(e) is Message and e.public:
                if e.author is _AGENT:
                    break
                if e.author is _CUSTOMER:
                    waiting.append(e.at)
        return tuple(reversed(waiting))

    @property
    def is_open(self) -> bool:
        """Whether the ticket's current status is an open one."""
        return (self._progress_cache or self._progress)[_STATUS].is_open

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
