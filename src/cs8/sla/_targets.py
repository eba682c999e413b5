"""What an SLA measures and promises: metrics, states, escalations and targets.

An :class:`SlaTarget` says how long one :class:`SlaMetric` may take for the tickets it matches;
:class:`SlaClock` is what a policy needs from a business calendar.

Example:
    >>> from datetime import timedelta
    >>> SlaTarget(metric="first_reply", within=timedelta(hours=4)).metric
    SlaMetric.FIRST_REPLY
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias, runtime_checkable

import attrs

from cs8._enums import Channel, CustomerSegment, Priority, TicketStatus, _LowerEnum
from cs8._protocols import BusinessClock
from cs8.exceptions import SlaError

if TYPE_CHECKING:
    from cs8.routing import CompiledCondition

__all__ = [
    "OnReopen",
    "ReplyClockStart",
    "SlaClock",
    "SlaEscalation",
    "SlaMetric",
    "SlaState",
    "SlaTarget",
    "Threshold",
]

Threshold: TypeAlias = float | timedelta
"""A point on an SLA clock: a fraction of the target (``0.75``) or a duration before due."""

_ZERO = timedelta(0)
_STOPPED = frozenset({TicketStatus.SOLVED, TicketStatus.CLOSED})
_STOPPED_TUPLE = (TicketStatus.SOLVED, TicketStatus.CLOSED)


@runtime_checkable
class SlaClock(BusinessClock, Protocol):
    """**Protocol:** what an SLA policy needs from a business calendar.

    :class:`cs8.sla.BusinessCalendar` satisfies it; any object with these two methods (and the
    semantics of ``BusinessCalendar``) does too. It extends :class:`cs8.kpi.BusinessClock`, which
    KPIs and routing need, with deadlines.

    Example:
        >>> from cs8.sla import BusinessCalendar
        >>> isinstance(BusinessCalendar.always_open(), SlaClock), isinstance(object(), SlaClock)
        (True, False)
    """

    def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
        """Return the earliest instant at which ``amount`` of business time has passed."""
        ...


class SlaMetric(_LowerEnum):
    """What an SLA target measures.

    ``FIRST_REPLY``: creation to the first public agent reply. ``NEXT_REPLY``: one cycle per customer
    message awaiting a reply, from it to the next public agent reply. ``PERIODIC_UPDATE``: from each
    public agent reply to the next. ``PAUSABLE_UPDATE``: the same, paused while ``PENDING``.
    ``RESOLUTION``: creation to the first solve, paused by the policy's pause statuses.
    ``REQUESTER_WAIT``: time in ``NEW``, ``OPEN`` and ``ON_HOLD`` until the latest solve.
    ``AGENT_WORK``: time in ``NEW`` and ``OPEN`` until the latest solve. ``TOTAL_RESOLUTION``:
    creation to the latest solve, never paused. ``GROUP_OWNERSHIP``: one cycle per span a group
    owns the ticket, from an assignment to the group until one to another group or a solve; a
    reopen starts a new span for the group then owning it (Zendesk group SLAs, OLAs).

    Example:
        >>> SlaMetric("FIRST_REPLY"), SlaMetric.NEXT_REPLY.is_cyclic
        (SlaMetric.FIRST_REPLY, True)
    """

    FIRST_REPLY = "first_reply"
    NEXT_REPLY = "next_reply"
    PERIODIC_UPDATE = "periodic_update"
    PAUSABLE_UPDATE = "pausable_update"
    RESOLUTION = "resolution"
    REQUESTER_WAIT = "requester_wait"
    AGENT_WORK = "agent_work"
    TOTAL_RESOLUTION = "total_resolution"
    GROUP_OWNERSHIP = "group_ownership"

    @property
    def is_cyclic(self) -> bool:
        """Whether a ticket can have many cycles of this metric (replies and updates)."""
        return self in _CYCLIC


_CYCLIC = frozenset(
    {
        SlaMetric.NEXT_REPLY,
        SlaMetric.PERIODIC_UPDATE,
        SlaMetric.PAUSABLE_UPDATE,
        SlaMetric.GROUP_OWNERSHIP,
    }
)

OnReopen: TypeAlias = Literal["complete", "resume"]
"""What a solve before the first reply does to the first-reply clock."""

ReplyClockStart: TypeAlias = Literal["created", "last_handoff_or_reopen"]
"""Where the first-reply clock starts."""


class SlaState(_LowerEnum):
    """The state of an SLA clock.

    Example:
        >>> SlaState.BREACHED.value
        'breached'
    """

    ACHIEVED = "achieved"
    BREACHED = "breached"
    ACTIVE = "active"
    PAUSED = "paused"


# --------------------------------------------------------------------------------------------------
# Converters and validators


def _enum_set(kind: type[enum.Enum], value: Any) -> frozenset[Any] | None:
    if value is None:
        return None
    if isinstance(value, str | enum.Enum):
        return frozenset({kind(value)})
    return frozenset(kind(v) for v in value)


def _priority_set(value: Any) -> frozenset[Priority] | None:
    return _enum_set(Priority, value)


def _segment_set(value: Any) -> frozenset[CustomerSegment] | None:
    return _enum_set(CustomerSegment, value)


def _channel_set(value: Any) -> frozenset[Channel] | None:
    return _enum_set(Channel, value)


def _opt_status_set(value: Any) -> frozenset[TicketStatus] | None:
    if value is None:
        return None
    if isinstance(value, str | TicketStatus):
        return frozenset({TicketStatus(value)})
    return frozenset(TicketStatus(v) for v in value)


def _status_set(value: Any) -> frozenset[TicketStatus]:
    converted = _opt_status_set(value)
    return frozenset() if converted is None else converted


def _opt_str_set(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(str(v) for v in value)


def _condition(value: Any) -> CompiledCondition | None:
    if value is None:
        return None
    from cs8.routing import CompiledCondition, compile_condition

    if isinstance(value, CompiledCondition):
        return value
    return compile_condition(value)


def _threshold_tuple(value: Any) -> tuple[float | timedelta, ...]:
    if isinstance(value, float | int | timedelta):
        return (value,)
    return tuple(value)


def _check_threshold(owner: str, value: object, *, fraction_max: float | None) -> None:
    if isinstance(value, timedelta):
        return
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value <= 0
        or (fraction_max is not None and value >= fraction_max)
    ):
        bound = f" and below {fraction_max}" if fraction_max is not None else ""
        raise SlaError(
            f"{owner} must be a timedelta before due or a fraction above 0{bound}, got {value!r}"
        )


def _amount(threshold: float | timedelta, within: timedelta) -> timedelta:
    if isinstance(threshold, timedelta):
        return within - threshold
    return timedelta(microseconds=round(within / timedelta(microseconds=1) * threshold))


def _escalation(value: Any) -> SlaEscalation:
    if isinstance(value, SlaEscalation):
        return value
    if isinstance(value, Mapping):
        return SlaEscalation(**value)
    level, at = value
    return SlaEscalation(level=level, at=at)


def _escalations(value: Any) -> tuple[SlaEscalation, ...]:
    return tuple(_escalation(v) for v in value)


@attrs.frozen(kw_only=True)
class SlaEscalation:
    """An escalation level reached when an SLA clock passes ``at``.

    Args:
        level: The level's name (``"team lead"``, ``"manager"``).
        at: A fraction of the target (``0.8``; ``1.0`` is the breach, ``1.5`` half a target after
            it) or a duration before due (``timedelta(hours=1)``; a negative one is after due).

    Example:
        >>> SlaEscalation(level="manager", at=1.0).at
        1.0
    """

    level: str = attrs.field()
    at: float | timedelta = attrs.field()

    @level.validator
    def _check_level(self, attribute: Any, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise SlaError(f"SlaEscalation.level must be a non-empty string, got {value!r}")

    @at.validator
    def _check_at(self, attribute: Any, value: object) -> None:
        _check_threshold(f"SlaEscalation.at (level {self.level!r})", value, fraction_max=None)


@attrs.frozen(kw_only=True)
class SlaTarget:
    """How long one metric may take for the tickets the target matches.

    A ticket matches when every filter that is set (``priority``, ``segment``, ``category``,
    ``channel``, ``group``) contains the ticket's value and ``condition`` holds; ``None`` matches
    anything. Within a policy the first matching target of each metric applies (as in Zendesk and
    Jira Service Management).

    Args:
        metric: What is measured.
        within: The target duration (business time when ``business_hours``, else calendar time).
        priority: Priorities the target applies to (one value or several).
        segment: Customer segments the target applies to.
        category: Ticket categories the target applies to.
        channel: Channels the target applies to.
        group: Owning groups the target applies to: for ``GROUP_OWNERSHIP`` the group owning the
            span, for other metrics the group owning the ticket when the cycle is judged.
        condition: A condition in the routing condition language (a document as in
            :func:`cs8.routing.compile_condition`, or a compiled one) on the ticket and customer,
            read at the evaluation instant: ``{"field": "ticket.attributes.order_amount", "op":
            "gt", "value": 2000000}``.
        on_reopen: For ``FIRST_REPLY``: ``"complete"`` (default) lets a solve or close before the
            first reply complete the clock; ``"resume"`` (Zammad) pauses it instead and a reopen
            resumes it with the time already used.
        reply_clock_start: For ``FIRST_REPLY``: ``"created"`` (default) or
            ``"last_handoff_or_reopen"``, the latest bot :class:`~cs8.Handoff` or reopen before the
            first agent reply, else creation (Chatwoot's ``last_non_human_activity``).
        business_hours: Count the policy calendar's business time (``True``) or every second.
        pause_statuses: Statuses that pause this target's clock, instead of the metric's default.
        warnings: Warning thresholds: fractions of ``within`` (``0.75``) or durations before due.
        escalations: Escalation levels, in any order.

    Raises:
        SlaError: If ``within`` is not positive or a threshold does not fall inside the target.

    Example:
        >>> from datetime import timedelta
        >>> t = SlaTarget(metric="first_reply", within=timedelta(hours=4), priority="high",
        ...               warnings=(0.5, timedelta(minutes=30)))
        >>> t.priority, t.matches(priority=Priority.HIGH, segment=None, category=None, channel=None)
        (frozenset({Priority.HIGH}), True)
    """

    metric: SlaMetric = attrs.field(converter=SlaMetric)
    within: timedelta = attrs.field()
    priority: frozenset[Priority] | None = attrs.field(default=None, converter=_priority_set)
    segment: frozenset[CustomerSegment] | None = attrs.field(default=None, converter=_segment_set)
    category: frozenset[str] | None = attrs.field(default=None, converter=_opt_str_set)
    channel: frozenset[Channel] | None = attrs.field(default=None, converter=_channel_set)
    group: frozenset[str] | None = attrs.field(default=None, converter=_opt_str_set)
    condition: CompiledCondition | None = attrs.field(default=None, converter=_condition)
    on_reopen: OnReopen = attrs.field(default="complete")
    reply_clock_start: ReplyClockStart = attrs.field(default="created")
    business_hours: bool = True
    pause_statuses: frozenset[TicketStatus] | None = attrs.field(
        default=None, converter=_opt_status_set
    )
    warnings: tuple[float | timedelta, ...] = attrs.field(default=(), converter=_threshold_tuple)
    escalations: tuple[SlaEscalation, ...] = attrs.field(default=(), converter=_escalations)

    @within.validator
    def _check_within(self, attribute: Any, value: object) -> None:
        if not isinstance(value, timedelta) or value <= _ZERO:
            raise SlaError(
                f"SlaTarget.within must be a positive timedelta, got {value!r} "
                f"(target for {self.metric.value})"
            )

    @on_reopen.validator
    def _check_on_reopen(self, attribute: Any, value: object) -> None:
        if value not in ("complete", "resume"):
            raise SlaError(
                f"SlaTarget.on_reopen must be 'complete' or 'resume', got {value!r} "
                f"(target for {self.metric.value})"
            )
        if value != "complete" and self.metric is not SlaMetric.FIRST_REPLY:
            raise SlaError(
                f"SlaTarget.on_reopen applies to first_reply targets only, got {value!r} "
                f"(target for {self.metric.value})"
            )

    @reply_clock_start.validator
    def _check_reply_clock_start(self, attribute: Any, value: object) -> None:
        if value not in ("created", "last_handoff_or_reopen"):
            raise SlaError(
                "SlaTarget.reply_clock_start must be 'created' or 'last_handoff_or_reopen', "
                f"got {value!r} (target for {self.metric.value})"
            )
        if value != "created" and self.metric is not SlaMetric.FIRST_REPLY:
            raise SlaError(
                f"SlaTarget.reply_clock_start applies to first_reply targets only, got {value!r} "
                f"(target for {self.metric.value})"
            )

    @warnings.validator
    def _check_warnings(self, attribute: Any, value: tuple[object, ...]) -> None:
        for index, threshold in enumerate(value):
            owner = f"SlaTarget.warnings[{index}] (target for {self.metric.value})"
            _check_threshold(owner, threshold, fraction_max=1.0)
            if isinstance(threshold, timedelta) and not _ZERO < threshold < self.within:
                raise SlaError(
                    f"{owner} must be a duration before due between 0 and within={self.within!r}, "
                    f"got {threshold!r}"
                )

    @escalations.validator
    def _check_escalations(self, attribute: Any, value: tuple[SlaEscalation, ...]) -> None:
        for escalation in value:
            if isinstance(escalation.at, timedelta) and escalation.at >= self.within:
                raise SlaError(
                    f"SlaTarget.escalations level {escalation.level!r} at={escalation.at!r} "
                    f"must be less than within={self.within!r} before due "
                    f"(target for {self.metric.value})"
                )

    def matches(
        self,
        *,
        priority: Priority,
        segment: CustomerSegment | None,
        category: str | None,
        channel: Channel | None,
    ) -> bool:
        """Return whether a ticket with these facts falls under this target.

        A filter that is set never matches an unknown (``None``) value.

        Example:
            >>> from datetime import timedelta
            >>> SlaTarget(metric="resolution", within=timedelta(days=1), segment="vip").matches(
            ...     priority=Priority.LOW, segment=None, category=None, channel=None)
            False
        """
        return (self.priority is None or priority in self.priority) and self._static_match(
            segment, category, channel
        )

    def _static_match(
        self, segment: CustomerSegment | None, category: str | None, channel: Channel | None
    ) -> bool:
        return (
            (self.segment is None or segment in self.segment)
            and (self.category is None or category in self.category)
            and (self.channel is None or channel in self.channel)
        )

    def warning_amounts(self) -> tuple[timedelta, ...]:
        """Return the elapsed time at which each warning fires, in ascending order.

        Example:
            >>> from datetime import timedelta
            >>> SlaTarget(metric="resolution", within=timedelta(hours=8),
            ...           warnings=(timedelta(hours=1), 0.5)).warning_amounts()
            (datetime.timedelta(seconds=14400), datetime.timedelta(seconds=25200))
        """
        return tuple(sorted(_amount(w, self.within) for w in self.warnings))

    def escalation_amounts(self) -> tuple[tuple[timedelta, str], ...]:
        """Return ``(elapsed, level)`` for each escalation, in ascending order of elapsed time.

        Example:
            >>> from datetime import timedelta
            >>> SlaTarget(metric="resolution", within=timedelta(hours=10),
            ...           escalations=[("manager", 1.0), ("lead", 0.8)]).escalation_amounts()
            ((datetime.timedelta(seconds=28800), 'lead'), (datetime.timedelta(seconds=36000), 'manager'))
        """
        pairs = [
            (_amount(e.at, self.within), index, e.level) for index, e in enumerate(self.escalations)
        ]
        return tuple((amount, level) for amount, _, level in sorted(pairs))
