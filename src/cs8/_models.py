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
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from cs8._enums import (
    ActorKind,
    AgentStatus,
    Channel,
    CustomerSegment,
    Direction,
    SurveyKind,
)
from cs8._fields import (
    AttributeValue,
    _actor,
    _attribute_map,
    _bool,
    _channel,
    _channel_set,
    _check_attributes,
    _direction,
    _frozen_map,
    _int_pair,
    _non_empty,
    _opt_channel,
    _optional_non_empty,
    _optional_str,
    _str_set,
)
from cs8._frozen import FrozenDict
from cs8._ticket import (
    Assignment,
    Message,
    PriorityChange,
    StatusChange,
    Ticket,
    TicketEvent,
)
from cs8._time import as_instant, check_aware, check_duration
from cs8._time import where as _where
from cs8.exceptions import InvalidValueError

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
    name: str | None = attrs.field(default=None, validator=_optional_str)
    timezone: str | None = attrs.field(default=None, validator=_optional_str)
    language: str | None = attrs.field(default=None, validator=_optional_str)
    acquired_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    churned_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    attributes: FrozenDict[str, AttributeValue] = attrs.field(
        factory=FrozenDict, converter=_attribute_map, validator=_check_attributes
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


def _capacity_map(
    value: Mapping[Channel, int] | Mapping[str, int] | None,
) -> FrozenDict[Channel, int]:
    out: dict[Channel, int] = {}
    for channel, limit in (value or {}).items():
        try:
            key = Channel(channel)
        except ValueError:
            raise InvalidValueError(
                f"Agent.capacity_by_channel has an unknown channel {channel!r}"
            ) from None
        out[key] = limit
    return FrozenDict(out)


def _check_capacity_map(instance: Agent, attribute: Any, value: FrozenDict[Channel, int]) -> None:
    for channel, limit in value.items():
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise InvalidValueError(
                f"Agent.capacity_by_channel[{channel.value!r}] must be a non-negative integer, "
                f"got {limit!r}{_where(instance)}"
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
        capacity_by_channel: Pieces of work the agent may hold at once on each channel
            (Zendesk's capacity rules: ``{"phone": 1, "chat": 3, "email": 10}``); a channel left
            out takes none. Empty (the default): the one shared ``capacity`` applies. See
            :class:`cs8.routing.AgentPool`.

    Example:
        >>> agent = Agent(id="a1", skills={"refunds": 3}, channels={"email", "chat"}, capacity=5)
        >>> agent.skills["refunds"], Channel.CHAT in agent.channels, agent.spare_capacity
        (3, True, 5)
        >>> dict(Agent(id="a2", capacity_by_channel={"phone": 1, "email": 10}).capacity_by_channel)
        {Channel.PHONE: 1, Channel.EMAIL: 10}
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
    team: str | None = attrs.field(default=None, validator=_optional_str)
    languages: frozenset[str] = attrs.field(factory=frozenset, converter=_str_set)
    capacity_by_channel: FrozenDict[Channel, int] = attrs.field(
        factory=FrozenDict, converter=_capacity_map, validator=_check_capacity_map
    )

    @property
    def spare_capacity(self) -> float:
        """Capacity left: ``capacity - active_tickets`` (never below zero)."""
        return (
            max(0.0, self.capacity - self.active_tickets) if self.active_tickets else self.capacity
        )


# --------------------------------------------------------------------------------------------------
# Interactions


def _check_sentiment(instance: Interaction, attribute: Any, value: float | None) -> None:
    if value is None:
        return
    if not isinstance(value, int | float) or isinstance(value, bool) or not -1.0 <= value <= 1.0:
        raise InvalidValueError(
            f"Interaction.sentiment must be in [-1, 1], got {value!r}{_where(instance)}"
        )


def _check_interaction_times(instance: Interaction) -> None:
    started, answered, ended = instance.started_at, instance.answered_at, instance.ended_at
    if answered is not None and answered < started:
        raise InvalidValueError(
            f"Interaction.answered_at {answered.isoformat()} is before started_at "
            f"{started.isoformat()}{_where(instance)}"
        )
    if ended is not None:
        if ended < started:
            raise InvalidValueError(
                f"Interaction.ended_at {ended.isoformat()} is before started_at "
                f"{started.isoformat()}{_where(instance)}"
            )
        if answered is not None and ended < answered:
            raise InvalidValueError(
                f"Interaction.ended_at {ended.isoformat()} is before answered_at "
                f"{answered.isoformat()}{_where(instance)}"
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
        transcript: What was said or written during the contact, if kept.
        channel_raw: The channel as the source system named it (``"voice"``, ``"whatsapp"``),
            kept when a loader mapped it to ``channel`` (``Channel.OTHER`` for names cs8 has no
            member for).

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
    channel: Channel = attrs.field(converter=_channel)
    started_at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    answered_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    ended_at: datetime | None = attrs.field(
        default=None, converter=as_instant, validator=check_aware
    )
    direction: Direction = attrs.field(default=Direction.INBOUND, converter=_direction)
    handled_by: ActorKind = attrs.field(default=ActorKind.AGENT, converter=_actor)
    agent_id: str | None = attrs.field(default=None, validator=_optional_str)
    ticket_id: str | None = attrs.field(default=None, validator=_optional_str)
    queue: str | None = attrs.field(default=None, validator=_optional_str)
    talk_time: timedelta = attrs.field(default=timedelta(0), validator=check_duration)
    hold_time: timedelta = attrs.field(default=timedelta(0), validator=check_duration)
    wrap_time: timedelta = attrs.field(default=timedelta(0), validator=check_duration)
    proactive: bool = attrs.field(default=False, validator=_bool)
    previous_id: str | None = attrs.field(default=None, validator=_optional_str)
    sentiment: float | None = attrs.field(default=None, validator=_check_sentiment)
    transcript: str | None = attrs.field(default=None, validator=_optional_str)
    channel_raw: str | None = attrs.field(default=None, validator=_optional_str)

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

    Args:
        id: The order's id.
        customer_id: Who bought.
        at: When.
        amount: How much (negative for a refund).
        currency: ISO 4217 code.
        category: The product category, if known (``next_purchase_due`` learns one consumption
            cycle per category; an incident can name it).

    Example:
        >>> from datetime import datetime, timezone
        >>> Order(id="O1", customer_id="C1", at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...       amount="350000", category="milk").amount
        Decimal('350000')
    """

    id: str = attrs.field(validator=_non_empty)
    customer_id: str = attrs.field(validator=_non_empty)
    at: datetime = attrs.field(converter=as_instant, validator=check_aware)
    amount: Decimal = attrs.field(converter=_to_decimal, validator=_check_amount)
    currency: str = attrs.field(default="VND", validator=_check_currency)
    category: str | None = attrs.field(default=None, validator=_optional_non_empty)


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
    customer_id: str | None = attrs.field(default=None, validator=_optional_str)
    ticket_id: str | None = attrs.field(default=None, validator=_optional_str)
    agent_id: str | None = attrs.field(default=None, validator=_optional_str)
    channel: Channel | None = attrs.field(default=None, converter=_opt_channel)
    comment: str | None = attrs.field(default=None, validator=_optional_str)

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
