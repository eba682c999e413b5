"""What a routing rule can look at: the ticket, the customer, SLA clocks and the local time.

A :class:`RoutingContext` is built once per routing decision. Rule conditions never read Python
attributes by name: each documented field (``ticket.channel``, ``sla.first_reply.remaining`` ...) maps
to one small resolver function written here, and :data:`FIELDS` is the complete list.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Ticket
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    >>> ticket = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0)
    >>> ctx = RoutingContext(ticket=ticket, now=t0.replace(hour=10), timezone="Asia/Ho_Chi_Minh")
    >>> ctx.age_seconds, ctx.local_hour, ctx.local_weekday
    (3600.0, 17, 'mon')
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from enum import Enum
from typing import NamedTuple, Protocol, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from cs8._enums import Channel, CustomerSegment, Priority, TicketStatus
from cs8._fields import AttributeValue
from cs8._frozen import FrozenDict
from cs8._models import Customer, Ticket
from cs8._protocols import BusinessClock
from cs8._time import as_stdlib, require_aware
from cs8.exceptions import InvalidValueError
from cs8.sla import SlaMetric, SlaState

__all__ = [
    "FIELDS",
    "SLA_METRICS",
    "SLA_STATES",
    "WEEKDAYS",
    "FieldKind",
    "FieldSpec",
    "RoutingContext",
    "SlaSnapshot",
    "resolve_field",
]

Scalar: TypeAlias = "str | int | float | bool"
"""A value a field can hold (sets of strings aside)."""

FieldValue: TypeAlias = "str | int | float | bool | frozenset[str] | None"
"""What a field resolver returns; ``None`` means the field is missing."""

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names in order, Monday first (ISO 8601), as ``time.weekday`` gives them."""

SLA_METRICS: tuple[str, ...] = tuple(metric.value for metric in SlaMetric)
"""The SLA metric names ``sla.<metric>.*`` fields accept (the values of ``cs8.sla.SlaMetric``)."""

SLA_STATES: tuple[str, ...] = tuple(state.value for state in SlaState)
"""The SLA states ``sla.<metric>.state`` compares with (the values of ``cs8.sla.SlaState``)."""


# --------------------------------------------------------------------------------------------------
# SLA snapshots


def _state_value(value: object) -> str:
    raw = value.value if isinstance(value, Enum) else value
    if not isinstance(raw, str) or raw.strip().lower() not in SLA_STATES:
        raise InvalidValueError(
            f"SlaSnapshot.state must be one of {', '.join(SLA_STATES)}, got {value!r}"
        )
    return raw.strip().lower()


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except OverflowError:
            seconds = math.inf
        if math.isfinite(seconds):
            return seconds
    raise InvalidValueError(
        f"SlaSnapshot.remaining must be a timedelta or a number of seconds, got {value!r}"
    )


@attrs.frozen(kw_only=True)
class SlaSnapshot:
    """The state of one SLA metric of a ticket at the decision time, as rules see it.

    Args:
        state: ``"achieved"``, ``"breached"``, ``"active"`` or ``"paused"`` (an ``SlaState`` member
            is accepted too).
        remaining: Business time left before the target, in seconds (negative once breached); a
            :class:`~datetime.timedelta` is accepted too.

    Example:
        >>> from datetime import timedelta
        >>> SlaSnapshot(state="ACTIVE", remaining=timedelta(minutes=5))
        SlaSnapshot(state='active', remaining=300.0)
    """

    state: str = attrs.field(converter=_state_value)
    remaining: float = attrs.field(converter=_seconds)


class SlaResultLike(Protocol):
    """**Protocol:** the parts of a ``cs8.sla.SlaResult`` a routing context reads.

    Example:
        >>> hasattr(SlaResultLike, "metric")
        True
    """

    @property
    def metric(self) -> Enum:
        """The SLA metric (an enum whose value is the metric name)."""
        ...

    @property
    def state(self) -> Enum:
        """The SLA state (an enum whose value is the state name)."""
        ...

    @property
    def remaining(self) -> timedelta:
        """Business time left before the target (negative once breached)."""
        ...


SlaInput: TypeAlias = (
    "Mapping[str, SlaSnapshot | Mapping[str, object]] | Iterable[SlaResultLike] | None"
)


_NO_SLA: FrozenDict[str, SlaSnapshot] = FrozenDict()


def _sla_map(value: SlaInput) -> FrozenDict[str, SlaSnapshot]:
    if value is None or (isinstance(value, Mapping | tuple | list) and not value):
        return _NO_SLA
    if isinstance(value, FrozenDict) and all(isinstance(v, SlaSnapshot) for v in value.values()):
        return value
    out: dict[str, SlaSnapshot] = {}
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidValueError(
                    f"RoutingContext.sla keys must be metric names, got {key!r}"
                )
            if isinstance(item, SlaSnapshot):
                out[key] = item
            elif isinstance(item, Mapping):
                out[key] = SlaSnapshot(state=item.get("state"), remaining=item.get("remaining"))
            else:
                raise InvalidValueError(
                    f"RoutingContext.sla[{key!r}] must be an SlaSnapshot or a mapping with "
                    f"'state' and 'remaining', got {item!r}"
                )
        return FrozenDict(out)
    for result in value:
        metric = result.metric
        name = metric.value if isinstance(metric, Enum) else metric
        if not isinstance(name, str):
            raise InvalidValueError(f"RoutingContext.sla: metric must be named, got {metric!r}")
        out[name] = SlaSnapshot(state=result.state, remaining=result.remaining)
    return FrozenDict(out)


def _zone(value: str | tzinfo) -> tzinfo:
    if isinstance(value, tzinfo):
        return value
    if isinstance(value, str):
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidValueError(
                f"RoutingContext.timezone must be an IANA time zone, got {value!r}"
            ) from exc
    raise InvalidValueError(
        f"RoutingContext.timezone must be an IANA name or a tzinfo, got {value!r}"
    )


def _check_now(instance: object, attribute: object, value: datetime) -> None:
    if type(value) is not datetime or value.tzinfo is None or value.utcoffset() is None:
        require_aware(value, "RoutingContext.now")


def _is_ticket(instance: object, attribute: object, value: Ticket) -> None:
    if not isinstance(value, Ticket):
        raise InvalidValueError(f"RoutingContext.ticket must be a Ticket, got {value!r}")


def _is_customer(instance: object, attribute: object, value: Customer | None) -> None:
    if value is not None and not isinstance(value, Customer):
        raise InvalidValueError(
            f"RoutingContext.customer must be a Customer or None, got {value!r}"
        )


# --------------------------------------------------------------------------------------------------
# The context


@attrs.frozen(kw_only=True)
class RoutingContext:
    """Everything a rule condition can read when one ticket is routed.

    Args:
        ticket: The ticket being routed. Its current channel, category, priority (after the
            ``PriorityChange`` events of its log), status, tags, assignee and language are read.
        now: The decision instant (aware); ``ticket.age`` is ``now - ticket.created_at``.
        customer: The requester, if known; every ``customer.*`` field is missing without one.
        sla: The ticket's SLA clocks at ``now``: metric name to :class:`SlaSnapshot`. Also
            accepted: a mapping of metric name to ``{"state": ..., "remaining": seconds}``, or the
            tuple of ``SlaResult`` values that ``SlaPolicy.evaluate`` returns.
        timezone: The calendar's time zone (IANA name or tzinfo) in which ``time.hour`` and
            ``time.weekday`` are read; UTC by default.
        calendar: The router's business calendar, read by ``desk.open`` (its ``is_open``) and
            ``time.holiday`` (its ``holidays``); both are missing without one.

    Raises:
        NaiveDatetimeError: If ``now`` has no time zone.
        InvalidValueError: If a field has the wrong type or an unknown time zone.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
        >>> ctx = RoutingContext(ticket=ticket, now=t0, sla={
        ...     "first_reply": {"state": "active", "remaining": 900}})
        >>> resolve_field(ctx, "sla.first_reply.remaining"), resolve_field(ctx, "customer.segment")
        (900.0, None)
    """

    ticket: Ticket = attrs.field(validator=_is_ticket)
    now: datetime = attrs.field(converter=as_stdlib, validator=_check_now)
    customer: Customer | None = attrs.field(default=None, validator=_is_customer)
    sla: FrozenDict[str, SlaSnapshot] = attrs.field(default=_NO_SLA, converter=_sla_map)
    timezone: tzinfo = attrs.field(default=UTC, converter=_zone)
    calendar: BusinessClock | None = attrs.field(default=None)

    # ``now`` in the context's time zone, computed on first use (not an argument). A plain slot,
    # not functools.cached_property, which on a slotted attrs class adds a __getattr__ hook
    # that slows every attribute read.
    _local_cache: datetime | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False
    )

    @property
    def _local(self) -> datetime:
        local = self._local_cache
        if local is None:
            local = self.now.astimezone(self.timezone)
            object.__setattr__(self, "_local_cache", local)
        return local

    @property
    def age_seconds(self) -> float:
        """Seconds from the ticket's creation to ``now`` (negative if ``now`` is earlier)."""
        return (self.now - self.ticket.created_at).total_seconds()

    @property
    def local_hour(self) -> int:
        """The hour (0-23) of ``now`` in the context's time zone."""
        return self._local.hour

    @property
    def local_weekday(self) -> str:
        """The weekday of ``now`` in the context's time zone: ``"mon"`` ... ``"sun"``."""
        return WEEKDAYS[self._local.weekday()]

    @property
    def local_date(self) -> str:
        """The date of ``now`` in the context's time zone, ISO 8601 (``"2026-03-02"``)."""
        return self._local.date().isoformat()


# --------------------------------------------------------------------------------------------------
# Fields


class FieldKind(Enum):
    """How a field's values compare, which decides the operators it accepts.

    Example:
        >>> FieldKind.ORDERED.value
        'ordered'
    """

    ENUM = "enum"
    """One of a fixed set of names (channel, status, segment, SLA state)."""
    ORDERED = "ordered"
    """One of a fixed, ordered set of names (priority, weekday); compares by position."""
    TEXT = "text"
    """Free text (category, language, assignee)."""
    NUMBER = "number"
    """A number (hour)."""
    DURATION = "duration"
    """A duration in seconds (age, SLA time left); values may be ISO 8601 durations."""
    TAGS = "tags"
    """A set of strings (tags)."""
    ANY = "any"
    """A free-form attribute: a string, number or boolean, whichever the record holds."""


@attrs.frozen(kw_only=True)
class FieldSpec:
    """A field rule conditions can read.

    Args:
        name: The field's name as rule documents spell it; ``<key>`` and ``<metric>`` are
            placeholders.
        kind: How its values compare.
        choices: The allowed values of an ENUM or ORDERED field, in order.
        doc: What the field holds.

    Example:
        >>> FIELDS["ticket.priority"].choices
        ('low', 'normal', 'high', 'urgent')
    """

    name: str
    kind: FieldKind
    choices: tuple[str, ...] = ()
    doc: str = ""


def _values(enum_type: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum_type)


FIELDS: FrozenDict[str, FieldSpec] = FrozenDict(
    {
        spec.name: spec
        for spec in (
            FieldSpec(
                name="ticket.channel",
                kind=FieldKind.ENUM,
                choices=_values(Channel),
                doc="The channel the ticket came in on.",
            ),
            FieldSpec(
                name="ticket.category",
                kind=FieldKind.TEXT,
                doc="The request type; missing when the ticket has none.",
            ),
            FieldSpec(
                name="ticket.priority",
                kind=FieldKind.ORDERED,
                choices=_values(Priority),
                doc="The current priority (after PriorityChange events); ordered low < urgent.",
            ),
            FieldSpec(
                name="ticket.status",
                kind=FieldKind.ENUM,
                choices=_values(TicketStatus),
                doc="The current status.",
            ),
            FieldSpec(
                name="ticket.age",
                kind=FieldKind.DURATION,
                doc="Seconds from creation to the decision time.",
            ),
            FieldSpec(name="ticket.tags", kind=FieldKind.TAGS, doc="The ticket's tags (a set)."),
            FieldSpec(
                name="ticket.assignee",
                kind=FieldKind.TEXT,
                doc="The current assignee's agent id; missing when unassigned.",
            ),
            FieldSpec(
                name="ticket.language",
                kind=FieldKind.TEXT,
                doc="The ticket's language; missing when unknown.",
            ),
            FieldSpec(
                name="ticket.sentiment",
                kind=FieldKind.NUMBER,
                doc="The sentiment polarity in [-1, 1] (attributes['sentiment'], written by "
                "cs8.text.annotate); missing when not scored.",
            ),
            FieldSpec(
                name="ticket.intent",
                kind=FieldKind.TEXT,
                doc="The intent a classifier read (attributes['intent']); missing when unknown.",
            ),
            FieldSpec(
                name="ticket.urgency",
                kind=FieldKind.TEXT,
                doc="The urgency read from the text (attributes['urgency']); missing when unknown.",
            ),
            FieldSpec(
                name="ticket.attributes.<key>",
                kind=FieldKind.ANY,
                doc="A free-form ticket attribute; missing when absent or null.",
            ),
            FieldSpec(
                name="customer.segment",
                kind=FieldKind.ENUM,
                choices=_values(CustomerSegment),
                doc="The customer's segment; missing without a customer.",
            ),
            FieldSpec(
                name="customer.language",
                kind=FieldKind.TEXT,
                doc="The customer's preferred language; missing when unknown.",
            ),
            FieldSpec(
                name="customer.attributes.<key>",
                kind=FieldKind.ANY,
                doc="A free-form customer attribute; missing when absent or null.",
            ),
            FieldSpec(
                name="sla.<metric>.state",
                kind=FieldKind.ENUM,
                choices=SLA_STATES,
                doc="The state of an SLA metric; missing when the context has no such clock.",
            ),
            FieldSpec(
                name="sla.<metric>.remaining",
                kind=FieldKind.DURATION,
                doc="Seconds left before the SLA target (negative once breached).",
            ),
            FieldSpec(
                name="time.hour",
                kind=FieldKind.NUMBER,
                doc="The hour (0-23) of the decision time in the calendar's time zone.",
            ),
            FieldSpec(
                name="time.weekday",
                kind=FieldKind.ORDERED,
                choices=WEEKDAYS,
                doc="The weekday (mon ... sun) of the decision time in the calendar's time zone.",
            ),
            FieldSpec(
                name="desk.open",
                kind=FieldKind.ANY,
                doc="Whether the router's business calendar is open at the decision time (true "
                "or false); missing without a calendar.",
            ),
            FieldSpec(
                name="time.holiday",
                kind=FieldKind.ANY,
                doc="Whether the decision's local date is one of the calendar's holidays (true or "
                "false); missing without a calendar.",
            ),
            FieldSpec(
                name="time.date",
                kind=FieldKind.TEXT,
                doc="The date of the decision time in the calendar's time zone, ISO 8601 "
                "(2026-12-24); 'in' a list of dates for holidays, 'contains' '-12-' for a month.",
            ),
        )
    }
)
"""Every field a rule condition can read, by name. Nothing else is reachable from a rule."""


RawValue: TypeAlias = "FieldValue | Enum"
"""What a raw field reader returns: enum fields give the member itself (cheaper to compare)."""

Resolver: TypeAlias = Callable[[RoutingContext], RawValue]

_KEY = re.compile(r"[A-Za-z0-9_\-:]{1,100}")


def _rule_value(value: AttributeValue) -> RawValue:
    """An attribute as rules read it: a list of texts is a set of tags; another list or an
    object compares as missing (no rule operator applies to it)."""
    if isinstance(value, tuple):
        return frozenset(value) if all(isinstance(v, str) for v in value) else None  # type: ignore[arg-type]
    if isinstance(value, FrozenDict):
        return None
    return value


def _ticket_attribute(key: str) -> Resolver:
    def get(ctx: RoutingContext) -> RawValue:
        return _rule_value(ctx.ticket.attributes.get(key))

    return get


def _text_signal(key: str, kind: type) -> Resolver:
    """Read what cs8.text.annotate wrote in ``attributes[key]``; missing unless of ``kind``."""

    def get(ctx: RoutingContext) -> RawValue:
        value = ctx.ticket.attributes.get(key)
        if isinstance(value, kind) and isinstance(value, str | int | float):
            return None if isinstance(value, bool) else value
        return None

    return get


def _customer_attribute(key: str) -> Resolver:
    def get(ctx: RoutingContext) -> RawValue:
        customer = ctx.customer
        return None if customer is None else _rule_value(customer.attributes.get(key))

    return get


def _sla_state(metric: str) -> Resolver:
    def get(ctx: RoutingContext) -> RawValue:
        snap = ctx.sla.get(metric)
        return None if snap is None else snap.state

    return get


def _sla_remaining(metric: str) -> Resolver:
    def get(ctx: RoutingContext) -> RawValue:
        snap = ctx.sla.get(metric)
        return None if snap is None else snap.remaining

    return get


def _segment(ctx: RoutingContext) -> RawValue:
    customer = ctx.customer
    return None if customer is None else customer.segment


def _customer_language(ctx: RoutingContext) -> RawValue:
    customer = ctx.customer
    return None if customer is None else customer.language


def _desk_open(ctx: RoutingContext) -> RawValue:
    is_open = getattr(ctx.calendar, "is_open", None)
    return bool(is_open(ctx.now)) if callable(is_open) else None


def _holiday(ctx: RoutingContext) -> RawValue:
    holidays = getattr(ctx.calendar, "holidays", None)
    if ctx.calendar is None or holidays is None:
        return None
    # The date in the calendar's own zone when it has one, else in the context's.
    zone = getattr(ctx.calendar, "timezone", None)
    local = ctx.now.astimezone(_zone(zone)) if isinstance(zone, str | tzinfo) else ctx._local
    return local.date() in holidays


# Readers of fixed, documented paths (never of names taken from a rule document); attrgetter runs
# in C, which keeps rule evaluation cheap.
_FIXED: dict[str, Resolver] = {
    "ticket.channel": operator.attrgetter("ticket.channel"),
    "ticket.category": operator.attrgetter("ticket.category"),
    "ticket.priority": operator.attrgetter("ticket.current_priority"),
    "ticket.status": operator.attrgetter("ticket.status"),
    "ticket.age": operator.attrgetter("age_seconds"),
    "ticket.tags": operator.attrgetter("ticket.tags"),
    "ticket.assignee": operator.attrgetter("ticket.assignee"),
    "ticket.language": operator.attrgetter("ticket.language"),
    "ticket.sentiment": _text_signal("sentiment", float | int),  # type: ignore[arg-type]
    "ticket.intent": _text_signal("intent", str),
    "ticket.urgency": _text_signal("urgency", str),
    "customer.segment": _segment,
    "customer.language": _customer_language,
    "time.hour": operator.attrgetter("local_hour"),
    "time.weekday": operator.attrgetter("local_weekday"),
    "time.date": operator.attrgetter("local_date"),
    "desk.open": _desk_open,
    "time.holiday": _holiday,
}

_ENUMS: dict[str, type[Enum]] = {
    "ticket.channel": Channel,
    "ticket.priority": Priority,
    "ticket.status": TicketStatus,
    "customer.segment": CustomerSegment,
}


def field_spec(name: str) -> tuple[FieldSpec, Resolver] | None:
    """Return the spec and raw reader of a documented field name, or ``None`` if it is not one.

    The raw reader returns enum members for the ``ticket.channel``, ``ticket.priority``,
    ``ticket.status`` and ``customer.segment`` fields (see :func:`raw_choice`).

    Example:
        >>> field_spec("ticket.attributes.order_id")[0].kind
        <FieldKind.ANY: 'any'>
        >>> field_spec("ticket.__class__") is None
        True
    """
    fixed = _FIXED.get(name)
    if fixed is not None:
        return FIELDS[name], fixed
    head, _, rest = name.partition(".")
    if head == "ticket" and rest.startswith("attributes."):
        key = rest[len("attributes.") :]
        if _KEY.fullmatch(key):
            return FIELDS["ticket.attributes.<key>"], _ticket_attribute(key)
    elif head == "customer" and rest.startswith("attributes."):
        key = rest[len("attributes.") :]
        if _KEY.fullmatch(key):
            return FIELDS["customer.attributes.<key>"], _customer_attribute(key)
    elif head == "sla":
        metric, _, part = rest.partition(".")
        if metric in SLA_METRICS:
            if part == "state":
                return FIELDS["sla.<metric>.state"], _sla_state(metric)
            if part == "remaining":
                return FIELDS["sla.<metric>.remaining"], _sla_remaining(metric)
    return None


def raw_choice(field: str, choice: str) -> object:
    """Return what the raw reader of ``field`` gives for the documented value ``choice``.

    Example:
        >>> raw_choice("ticket.channel", "chat"), raw_choice("time.weekday", "mon")
        (Channel.CHAT, 'mon')
    """
    enum_type = _ENUMS.get(field)
    return choice if enum_type is None else enum_type(choice)


def resolve_field(ctx: RoutingContext, name: str) -> FieldValue:
    """Return the value of a documented field in ``ctx``; ``None`` when the field is missing.

    Enum fields resolve to their lowercase value (``"chat"``), durations to seconds, tags to a
    frozenset.

    Raises:
        UnknownFieldError: If ``name`` is not a documented field.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
        >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="phone",
        ...     created_at=t0, priority="high", tags={"vip"}), now=t0)
        >>> resolve_field(ctx, "ticket.priority"), resolve_field(ctx, "ticket.tags")
        ('high', frozenset({'vip'}))
    """
    from cs8.exceptions import UnknownFieldError

    found = field_spec(name)
    if found is None:
        raise UnknownFieldError(f"unknown routing field {name!r}; see cs8.routing.FIELDS")
    value = found[1](ctx)
    if isinstance(value, Enum):
        return str(value.value)
    return value


_new = object.__new__
# The slots' own setters: the cheapest way to fill a frozen slotted instance.
_set_ticket = RoutingContext.ticket.__set__  # type: ignore[attr-defined]
_set_now = RoutingContext.now.__set__  # type: ignore[attr-defined]
_set_customer = RoutingContext.customer.__set__  # type: ignore[union-attr]
_set_sla = RoutingContext.sla.__set__  # type: ignore[attr-defined]
_set_timezone = RoutingContext.timezone.__set__  # type: ignore[attr-defined]
_set_local = RoutingContext._local_cache.__set__  # type: ignore[union-attr]
_set_calendar = RoutingContext.calendar.__set__  # type: ignore[union-attr]


def check_context(ticket: object, customer: object) -> None:
    """Raise what ``RoutingContext`` raises for a ticket or customer of the wrong type (internal).

    Example:
        >>> check_context("T1", None)
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: RoutingContext.ticket must be a Ticket, got 'T1'
    """
    if not isinstance(ticket, Ticket):
        raise InvalidValueError(f"RoutingContext.ticket must be a Ticket, got {ticket!r}")
    if customer is not None and not isinstance(customer, Customer):
        raise InvalidValueError(
            f"RoutingContext.customer must be a Customer or None, got {customer!r}"
        )


class ReadView(NamedTuple):
    """What a rule set's reader (``RuleSet.reader``) reads of one ticket of a backlog (internal).

    A reader reads the ticket's fields, the customer's segment and language, and the local
    hour, weekday and date of the decision instant (the same for a whole backlog): an immutable
    view of those is made per ticket where a full :class:`RoutingContext` would cost a slot
    setter call per field. The planner builds a context only for a ticket whose plan it has not
    remembered.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0)
        >>> ctx = RoutingContext(ticket=ticket, now=t0)
        >>> view = ReadView.of(ctx, ticket, None)
        >>> (view.local_hour, view.local_weekday, view.ticket.channel.value)
        (9, 'mon', 'chat')
    """

    ticket: Ticket
    customer: Customer | None
    local_hour: int
    local_weekday: str
    local_date: str

    @staticmethod
    def of(at: RoutingContext, ticket: Ticket, customer: Customer | None) -> ReadView:
        """The view of ``ticket`` and ``customer`` at the instant, zone and calendar of ``at``."""
        return ReadView(ticket, customer, at.local_hour, at.local_weekday, at.local_date)


def fast_context(
    ticket: Ticket,
    now: datetime,
    customer: Customer | None,
    sla: SlaInput,
    timezone: tzinfo,
    calendar: BusinessClock | None = None,
) -> RoutingContext:
    """Build a :class:`RoutingContext` from inputs the router has already checked (internal).

    ``now`` must be an aware stdlib datetime and ``timezone`` a tzinfo (the router converts both
    once per call); the ticket, customer and SLA clocks are checked here exactly as the
    constructor checks them, so the result equals ``RoutingContext(...)`` built from the same
    values, without attrs' generic converter and validator calls on the hot path.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0)
        >>> fast_context(ticket, t0, None, None, timezone.utc) == RoutingContext(
        ...     ticket=ticket, now=t0)
        True
    """
    check_context(ticket, customer)
    ctx = _new(RoutingContext)
    _fill(ctx, ticket, now, customer, sla, timezone, calendar)
    return ctx


def _fill(
    ctx: RoutingContext,
    ticket: Ticket,
    now: datetime,
    customer: Customer | None,
    sla: SlaInput,
    timezone: tzinfo,
    calendar: BusinessClock | None = None,
) -> None:
    """Set every slot of a new context (its local-time cache empty)."""
    _set_ticket(ctx, ticket)
    _set_now(ctx, now)
    _set_customer(ctx, customer)
    _set_sla(ctx, _NO_SLA if sla is None else _sla_map(sla))
    _set_timezone(ctx, timezone)
    _set_local(ctx, None)
    _set_calendar(ctx, calendar)
