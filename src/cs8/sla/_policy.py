"""SLA policies, targets and the clock that evaluates a ticket against them.

A :class:`SlaPolicy` holds :class:`SlaTarget` values; :meth:`SlaPolicy.evaluate` walks a ticket's
event log once and returns one :class:`SlaResult` per measured metric. The semantics of each metric
(what starts, pauses, stops and restarts its clock) follow the major helpdesks and are documented,
with their sources, in ``docs/sla-policies.md``.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Message, Ticket
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    >>> policy = SlaPolicy(name="std", targets=[
    ...     SlaTarget(metric="first_reply", within=timedelta(hours=2), business_hours=False)])
    >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0,
    ...                 events=[Message(at=t0 + timedelta(hours=1), author="agent")])
    >>> (result,) = policy.evaluate(ticket, now=t0 + timedelta(hours=5))
    >>> result.state, result.elapsed
    (SlaState.ACHIEVED, datetime.timedelta(seconds=3600))
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, Protocol, TypeAlias, runtime_checkable

import attrs

from cs8._enums import ActorKind, Channel, CustomerSegment, Priority, TicketStatus, _LowerEnum
from cs8._models import Customer, Message, PriorityChange, StatusChange, Ticket
from cs8._protocols import BusinessClock
from cs8._time import require_aware
from cs8.exceptions import SlaError

__all__ = [
    "SlaClock",
    "SlaCycle",
    "SlaEscalation",
    "SlaMetric",
    "SlaPolicy",
    "SlaResult",
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
    creation to the latest solve, never paused.

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

    @property
    def is_cyclic(self) -> bool:
        """Whether a ticket can have many cycles of this metric (replies and updates)."""
        return self in _CYCLIC


_CYCLIC = frozenset({SlaMetric.NEXT_REPLY, SlaMetric.PERIODIC_UPDATE, SlaMetric.PAUSABLE_UPDATE})


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
    ``channel``) contains the ticket's value; ``None`` matches anything. Within a policy the first
    matching target of each metric applies (as in Zendesk and Jira Service Management).

    Args:
        metric: What is measured.
        within: The target duration (business time when ``business_hours``, else calendar time).
        priority: Priorities the target applies to (one value or several).
        segment: Customer segments the target applies to.
        category: Ticket categories the target applies to.
        channel: Channels the target applies to.
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


# --------------------------------------------------------------------------------------------------
# Results


@attrs.frozen(kw_only=True)
class SlaCycle:
    """One completed measurement of a metric (a ticket has many for replies and updates).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> c = SlaCycle(started_at=t0, completed_at=t0 + timedelta(hours=1),
        ...              state=SlaState.ACHIEVED, target=timedelta(hours=2),
        ...              elapsed=timedelta(hours=1), breached_at=None, priority=Priority.NORMAL)
        >>> c.remaining
        datetime.timedelta(seconds=3600)
    """

    started_at: datetime
    completed_at: datetime
    state: SlaState
    target: timedelta
    elapsed: timedelta
    breached_at: datetime | None
    priority: Priority

    @property
    def remaining(self) -> timedelta:
        """``target - elapsed``; zero or negative when breached."""
        return self.target - self.elapsed


@attrs.frozen(kw_only=True)
class SlaResult:
    """The state of one metric of one ticket at one instant.

    For cyclic metrics (next reply, updates) the fields describe the latest cycle and ``cycles``
    holds every completed cycle; for the others ``cycles`` holds the one cycle once it completed.

    Attributes:
        ticket_id: The ticket evaluated.
        metric: The metric.
        state: ``ACHIEVED`` or ``BREACHED`` once complete; ``BREACHED``, ``ACTIVE`` or ``PAUSED``
            while running. A clock that passed its due time is ``BREACHED`` even while paused.
        target: The target duration in force (the latest priority selects it).
        elapsed: Business (or calendar) time counted so far, or until completion.
        remaining: ``target - elapsed``; zero or negative when breached.
        due_at: When the clock reaches the target: in the future while ``ACTIVE``, the breach time
            when ``BREACHED``, ``None`` while ``PAUSED`` and once ``ACHIEVED``.
        breached_at: When the clock passed the target, if it did.
        started_at: When the (latest) cycle started.
        completed_at: When it completed, if it did.
        priority: The ticket's priority that selected the target.
        business_hours: Whether the clock counts the policy calendar's business time.
        cycles: Completed cycles, oldest first.
        warnings_passed: How many warning thresholds the clock has passed.
        warning: The latest warning threshold passed, as the target gives it (``0.75`` or a
            duration before due), if any.
        warned_at: When the latest passed warning threshold was passed.
        next_warning: The next warning threshold, as the target gives it, if any.
        next_warning_at: When the next warning threshold will be passed if the clock keeps
            running (``None`` when paused, complete or past every warning).
        escalation: The highest escalation level reached, if any.
        escalated_at: When it was reached.
        next_escalation: The next escalation level, if any.
        next_escalation_at: When it will be reached if the clock keeps running.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
        >>> policy = SlaPolicy(name="std", targets=[SlaTarget(
        ...     metric="resolution", within=timedelta(hours=8), business_hours=False,
        ...     escalations=[("lead", 0.5), ("manager", 1.0)])])
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
        >>> (r,) = policy.evaluate(ticket, now=t0 + timedelta(hours=5))
        >>> r.state, r.remaining, r.escalation, r.next_escalation, r.due_at.hour
        (SlaState.ACTIVE, datetime.timedelta(seconds=10800), 'lead', 'manager', 17)
    """

    ticket_id: str
    metric: SlaMetric
    state: SlaState
    target: timedelta
    elapsed: timedelta
    due_at: datetime | None
    breached_at: datetime | None
    started_at: datetime
    completed_at: datetime | None
    priority: Priority
    business_hours: bool
    cycles: tuple[SlaCycle, ...] = ()
    warnings_passed: int = 0
    warning: float | timedelta | None = None
    warned_at: datetime | None = None
    next_warning: float | timedelta | None = None
    next_warning_at: datetime | None = None
    escalation: str | None = None
    escalated_at: datetime | None = None
    next_escalation: str | None = None
    next_escalation_at: datetime | None = None

    @property
    def remaining(self) -> timedelta:
        """``target - elapsed``; zero or negative when breached."""
        return self.target - self.elapsed

    @property
    def is_complete(self) -> bool:
        """Whether the latest cycle has completed."""
        return self.completed_at is not None

    @property
    def breached_cycles(self) -> int:
        """How many completed cycles breached their target."""
        return sum(1 for c in self.cycles if c.state is SlaState.BREACHED)


# --------------------------------------------------------------------------------------------------
# Clocks


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@attrs.frozen
class _Timeline:
    """Everything evaluate needs from a ticket's log up to ``now``, from one pass over it."""

    created: datetime
    now: datetime
    status_times: list[datetime]
    statuses: list[TicketStatus]
    priority_times: list[datetime]
    priorities: list[Priority]
    first_reply_end: datetime | None
    first_solve: datetime | None
    last_solve: datetime | None
    reply_cycles: list[tuple[datetime, datetime | None]]
    update_cycles: list[tuple[datetime, datetime | None]]


def _walk(ticket: Ticket, now: datetime) -> _Timeline:
    created = _utc(ticket.created_at)
    status = TicketStatus.NEW
    status_times = [created]
    statuses = [status]
    priority_times = [created]
    priorities = [ticket.priority]
    first_reply_end: datetime | None = None
    first_solve: datetime | None = None
    last_solve: datetime | None = None
    replied = False
    reply_cycles: list[tuple[datetime, datetime | None]] = []
    update_cycles: list[tuple[datetime, datetime | None]] = []
    reply_open: datetime | None = None
    update_open: datetime | None = None
    agent, customer = ActorKind.AGENT, ActorKind.CUSTOMER
    # A ticket an agent opened with a public comment is not answered by that comment (Zendesk).
    opening_comment = ticket.created_by is agent
    for event in ticket.events:
        at = _utc(event.at)
        if at > now:
            break
        kind = type(event)
        if kind is Message:
            msg: Message = event  # type: ignore[assignment]
            if not msg.public:
                continue
            if msg.author is agent:
                if first_reply_end is None and not opening_comment:
                    first_reply_end = at
                opening_comment = False
                if reply_open is not None:
                    reply_cycles.append((reply_open, at))
                    reply_open = None
                if update_open is not None:
                    update_cycles.append((update_open, at))
                update_open = at
                replied = True
            elif msg.author is customer:
                opening_comment = False
                if replied and reply_open is None:
                    reply_open = at
        elif kind is StatusChange:
            new: TicketStatus = event.status  # type: ignore[union-attr]
            if new is status:
                continue
            if status.is_open and not new.is_open:
                if first_solve is None:
                    first_solve = at
                last_solve = at
                if first_reply_end is None:
                    first_reply_end = at
                if reply_open is not None:
                    if reply_open < at:
                        reply_cycles.append((reply_open, at))
                    reply_open = None
                if update_open is not None:
                    if update_open < at:
                        update_cycles.append((update_open, at))
                    update_open = None
            status = new
            if status_times[-1] == at:
                statuses[-1] = new
                if len(statuses) > 1 and statuses[-2] is new:
                    status_times.pop()
                    statuses.pop()
            else:
                status_times.append(at)
                statuses.append(new)
        elif kind is PriorityChange:
            prio: Priority = event.priority  # type: ignore[union-attr]
            if priority_times[-1] == at:
                priorities[-1] = prio
            else:
                priority_times.append(at)
                priorities.append(prio)
    if reply_open is not None:
        reply_cycles.append((reply_open, None))
    if update_open is not None:
        update_cycles.append((update_open, None))
    if statuses[-1].is_open:
        last_solve = None
    return _Timeline(
        created=created,
        now=now,
        status_times=status_times,
        statuses=statuses,
        priority_times=priority_times,
        priorities=priorities,
        first_reply_end=first_reply_end,
        first_solve=first_solve,
        last_solve=last_solve,
        reply_cycles=reply_cycles,
        update_cycles=update_cycles,
    )


def _running_spans(
    line: _Timeline,
    start: datetime,
    end: datetime,
    stop: tuple[TicketStatus, ...],
    *,
    inside: bool = False,
) -> list[tuple[datetime, datetime]]:
    """Return the sub-spans of ``[start, end)`` whose status is not in ``stop``, merged.

    With ``inside``, return the sub-spans whose status is in ``stop`` instead.
    """
    times, statuses = line.status_times, line.statuses
    index = max(0, bisect_right(times, start) - 1)
    spans: list[tuple[datetime, datetime]] = []
    count = len(times)
    while index < count and times[index] < end:
        seg_start = times[index] if times[index] > start else start
        seg_end = times[index + 1] if index + 1 < count and times[index + 1] < end else end
        if (statuses[index] in stop) is inside and seg_start < seg_end:
            if spans and spans[-1][1] == seg_start:
                spans[-1] = (spans[-1][0], seg_end)
            else:
                spans.append((seg_start, seg_end))
        index += 1
    return spans


def _status_at(line: _Timeline, t: datetime) -> TicketStatus:
    return line.statuses[bisect_right(line.status_times, t) - 1]


class _Meter:
    """Business time since a fixed origin, memoized per instant for one evaluation.

    Every span's business time is the difference of two memoized values, so one ticket costs one
    calendar call per distinct boundary however many metrics and cycles share it (business time is
    additive over adjacent ranges).
    """

    __slots__ = ("_clock", "_memo", "_origin", "add")

    def __init__(self, clock: SlaClock, origin: datetime) -> None:
        self._clock = clock
        self._origin = origin
        self._memo: dict[datetime, timedelta] = {origin: _ZERO}
        self.add = clock.add_business_time

    def since_origin(self, t: datetime) -> timedelta:
        value = self._memo.get(t)
        if value is None:
            value = self._clock.business_duration(self._origin, t)
            self._memo[t] = value
        return value


class _RealMeter:
    """Calendar time since a fixed origin (UTC instants, so a difference is elapsed time)."""

    __slots__ = ("_origin",)

    def __init__(self, origin: datetime) -> None:
        self._origin = origin

    def since_origin(self, t: datetime) -> timedelta:
        return t - self._origin

    @staticmethod
    def add(start: datetime, amount: timedelta) -> datetime:
        return start + amount


def _crossings(
    spans: Sequence[tuple[datetime, datetime]],
    meter: _Meter | _RealMeter,
    amounts: Sequence[timedelta],
) -> tuple[timedelta, list[datetime | None]]:
    """Sum business time over ``spans`` and find when the sum first reaches each amount (sorted)."""
    elapsed = _ZERO
    found: list[datetime | None] = [None] * len(amounts)
    pending = 0
    count = len(amounts)
    since_origin = meter.since_origin
    for start, end in spans:
        piece = since_origin(end) - since_origin(start)
        if piece <= _ZERO:
            continue
        total = elapsed + piece
        while pending < count and amounts[pending] <= total:
            need = amounts[pending] - elapsed
            found[pending] = start if need <= _ZERO else meter.add(start, need)
            pending += 1
        elapsed = total
    return elapsed, found


@attrs.frozen
class _Plan:
    """A target's thresholds as elapsed amounts, computed once when the policy is built."""

    warnings: tuple[timedelta, ...]
    warning_specs: tuple[float | timedelta, ...]
    escalations: tuple[tuple[timedelta, str], ...]
    amounts: tuple[timedelta, ...]
    stop: tuple[TicketStatus, ...]
    """Statuses in which the clock does not count (paused, or solved and closed)."""
    hides_solved_time: bool
    """Whether solved time counts but a live clock could not show it (total resolution)."""


_Candidate: TypeAlias = "tuple[SlaTarget, _Plan]"


def _plan(target: SlaTarget, pause: frozenset[TicketStatus]) -> _Plan:
    pairs = sorted(
        ((_amount(w, target.within), index) for index, w in enumerate(target.warnings)),
    )
    warnings = tuple(amount for amount, _ in pairs)
    specs = tuple(target.warnings[index] for _, index in pairs)
    escalations = target.escalation_amounts()
    amounts = tuple(sorted({target.within, *warnings, *(a for a, _ in escalations)}))
    total = target.metric is SlaMetric.TOTAL_RESOLUTION
    stop = pause if total else pause | _STOPPED
    # Tuples: membership by identity is cheaper than hashing enum members.
    return _Plan(warnings, specs, escalations, amounts, tuple(stop), total and not pause & _STOPPED)


class _Outcome(NamedTuple):
    """One cycle's evaluation: the fields of :class:`SlaResult` but the ticket, metric and cycles."""

    state: SlaState
    target: timedelta
    elapsed: timedelta
    due_at: datetime | None
    breached_at: datetime | None
    started_at: datetime
    completed_at: datetime | None
    priority: Priority
    business_hours: bool
    warnings_passed: int
    warning: float | timedelta | None
    warned_at: datetime | None
    next_warning: float | timedelta | None
    next_warning_at: datetime | None
    escalation: str | None
    escalated_at: datetime | None
    next_escalation: str | None
    next_escalation_at: datetime | None


class _Context:
    """What one evaluation shares between its metrics: the timeline and the meters."""

    __slots__ = ("business", "line", "real")

    def __init__(self, line: _Timeline, calendar: SlaClock | None) -> None:
        self.line = line
        self.real = _RealMeter(line.created)
        self.business: _Meter | _RealMeter = (
            self.real if calendar is None else _Meter(calendar, line.created)
        )


# --------------------------------------------------------------------------------------------------
# Policy


def _targets(value: Iterable[SlaTarget]) -> tuple[SlaTarget, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class SlaPolicy:
    """A named set of SLA targets and the calendar their business hours count in.

    Args:
        name: The policy's name.
        calendar: The business calendar (a :class:`cs8.sla.BusinessCalendar`); ``None`` counts
            every target in calendar hours.
        targets: Targets in priority order; the first one that matches a ticket wins per metric.
        pause_statuses: Statuses that pause the ``RESOLUTION`` clock (and no other metric unless a
            target says so).

    Raises:
        SlaError: If the name is empty, the calendar has no ``business_duration`` and
            ``add_business_time``, or a target is not an :class:`SlaTarget`.

    Example:
        >>> from datetime import timedelta
        >>> policy = SlaPolicy(name="std", targets=[
        ...     SlaTarget(metric="first_reply", within=timedelta(hours=1), priority="urgent"),
        ...     SlaTarget(metric="first_reply", within=timedelta(hours=8))])
        >>> policy.target_for(SlaMetric.FIRST_REPLY, priority=Priority.URGENT).within
        datetime.timedelta(seconds=3600)
    """

    name: str = attrs.field()
    calendar: SlaClock | None = attrs.field(default=None)
    targets: tuple[SlaTarget, ...] = attrs.field(default=(), converter=_targets)
    pause_statuses: frozenset[TicketStatus] = attrs.field(
        factory=lambda: frozenset({TicketStatus.PENDING, TicketStatus.ON_HOLD}),
        converter=_status_set,
    )
    _plans: tuple[_Plan, ...] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        plans = tuple(_plan(t, self._pause_for(t)) for t in self.targets)
        object.__setattr__(self, "_plans", plans)

    @name.validator
    def _check_name(self, attribute: Any, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise SlaError(f"SlaPolicy.name must be a non-empty string, got {value!r}")

    @calendar.validator
    def _check_calendar(self, attribute: Any, value: object) -> None:
        if value is not None and not isinstance(value, SlaClock):
            raise SlaError(
                f"SlaPolicy.calendar must be a BusinessCalendar (or None for calendar hours), "
                f"got {value!r} (policy {self.name!r})"
            )

    @targets.validator
    def _check_targets(self, attribute: Any, value: tuple[object, ...]) -> None:
        for index, target in enumerate(value):
            if not isinstance(target, SlaTarget):
                raise SlaError(
                    f"SlaPolicy.targets[{index}] must be an SlaTarget, got {target!r} "
                    f"(policy {self.name!r})"
                )

    def target_for(
        self,
        metric: SlaMetric | str,
        *,
        priority: Priority | str = Priority.NORMAL,
        segment: CustomerSegment | str | None = None,
        category: str | None = None,
        channel: Channel | str | None = None,
    ) -> SlaTarget | None:
        """Return the first target of ``metric`` that matches these facts, or ``None``.

        Example:
            >>> SlaPolicy(name="empty").target_for("first_reply") is None
            True
        """
        metric = SlaMetric(metric)
        seg = None if segment is None else CustomerSegment(segment)
        chan = None if channel is None else Channel(channel)
        prio = Priority(priority)
        for target in self.targets:
            if target.metric is metric and target.matches(
                priority=prio, segment=seg, category=category, channel=chan
            ):
                return target
        return None

    def _pause_for(self, target: SlaTarget) -> frozenset[TicketStatus]:
        if target.pause_statuses is not None:
            return target.pause_statuses
        metric = target.metric
        if metric is SlaMetric.TOTAL_RESOLUTION:
            return frozenset()
        if metric is SlaMetric.RESOLUTION:
            return self.pause_statuses
        if metric is SlaMetric.REQUESTER_WAIT or metric is SlaMetric.PAUSABLE_UPDATE:
            return _PENDING
        if metric is SlaMetric.AGENT_WORK:
            return _PENDING_HOLD
        return frozenset()

    def evaluate(
        self,
        ticket: Ticket,
        *,
        now: datetime,
        customer: Customer | None = None,
        segment: CustomerSegment | str | None = None,
    ) -> tuple[SlaResult, ...]:
        """Return the state of every metric this policy measures on ``ticket`` at ``now``.

        Events after ``now`` are ignored, so evaluating at any past instant replays the ticket as it
        was then. A metric appears when a target matches the ticket and at least one cycle of it
        has started; results come in the order of :class:`SlaMetric`.

        Args:
            ticket: The ticket.
            now: The instant to evaluate at (aware).
            customer: The requester; its segment selects segment targets.
            segment: The requester's segment, when no ``customer`` is given.

        Raises:
            NaiveDatetimeError: If ``now`` has no time zone.
            SlaError: If ``now`` is before the ticket was created.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from cs8 import StatusChange, Ticket
            >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
            >>> h = timedelta(hours=1)
            >>> policy = SlaPolicy(name="std", targets=[SlaTarget(
            ...     metric="requester_wait", within=4 * h, business_hours=False)])
            >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
            ...     StatusChange(at=t0 + h, status="pending"),
            ...     StatusChange(at=t0 + 3 * h, status="open"),
            ...     StatusChange(at=t0 + 5 * h, status="solved")])
            >>> (r,) = policy.evaluate(ticket, now=t0 + 8 * h)
            >>> r.state, r.elapsed, r.completed_at.hour
            (SlaState.ACHIEVED, datetime.timedelta(seconds=10800), 14)
        """
        now = _utc(require_aware(now, "SlaPolicy.evaluate(now)", f"ticket {ticket.id!r}"))
        if now < _utc(ticket.created_at):
            raise SlaError(
                f"SlaPolicy.evaluate: now={now.isoformat()} is before ticket {ticket.id!r} was "
                f"created ({ticket.created_at.isoformat()}) (policy {self.name!r})"
            )
        seg: CustomerSegment | None
        if customer is not None:
            seg = customer.segment
        else:
            seg = None if segment is None else CustomerSegment(segment)
        by_metric: dict[SlaMetric, list[_Candidate]] = {}
        for target, plan in zip(self.targets, self._plans, strict=True):
            if target._static_match(seg, ticket.category, ticket.channel):
                by_metric.setdefault(target.metric, []).append((target, plan))
        if not by_metric:
            return ()
        context = _Context(_walk(ticket, now), self.calendar)
        results: list[SlaResult] = []
        for metric in SlaMetric:
            candidates = by_metric.get(metric)
            if not candidates:
                continue
            result = self._evaluate_metric(ticket.id, metric, candidates, context)
            if result is not None:
                results.append(result)
        return tuple(results)

    # ---------------------------------------------------------------- internals

    def _cycles_of(
        self, metric: SlaMetric, line: _Timeline
    ) -> list[tuple[datetime, datetime | None]]:
        created = line.created
        if metric is SlaMetric.FIRST_REPLY:
            return [(created, line.first_reply_end)]
        if metric is SlaMetric.RESOLUTION:
            return [(created, line.first_solve)]
        if metric is SlaMetric.NEXT_REPLY:
            return line.reply_cycles
        if metric is SlaMetric.PERIODIC_UPDATE or metric is SlaMetric.PAUSABLE_UPDATE:
            return line.update_cycles
        return [(created, line.last_solve)]

    def _evaluate_metric(
        self,
        ticket_id: str,
        metric: SlaMetric,
        candidates: list[_Candidate],
        context: _Context,
    ) -> SlaResult | None:
        latest: _Outcome | None = None
        cycles: list[SlaCycle] = []
        for start, end in self._cycles_of(metric, context.line):
            outcome = self._evaluate_cycle(candidates, context, start, end)
            if outcome is None:
                continue
            latest = outcome
            if end is not None:
                cycles.append(
                    SlaCycle(
                        started_at=start,
                        completed_at=end,
                        state=outcome.state,
                        target=outcome.target,
                        elapsed=outcome.elapsed,
                        breached_at=outcome.breached_at,
                        priority=outcome.priority,
                    )
                )
        if latest is None:
            return None
        return SlaResult(
            ticket_id=ticket_id, metric=metric, cycles=tuple(cycles), **latest._asdict()
        )

    def _evaluate_cycle(
        self,
        candidates: list[_Candidate],
        context: _Context,
        start: datetime,
        end: datetime | None,
    ) -> _Outcome | None:
        line = context.line
        until = line.now if end is None else end
        # The priority in force when the cycle is judged selects the target; the time since then
        # bounds when its thresholds can have been passed.
        index = bisect_right(line.priority_times, until) - 1
        priority = line.priorities[index]
        chosen = _select(candidates, priority)
        if chosen is None:
            return None
        target, plan = chosen
        since = start
        while index > 0 and line.priority_times[index] > start:
            if _select(candidates, line.priorities[index - 1]) is not chosen:
                since = line.priority_times[index]
                break
            index -= 1
        meter = context.business if target.business_hours else context.real
        stop = plan.stop
        spans = _running_spans(line, start, until, stop)
        # Time a live clock did not show, because the ticket was solved then (total resolution
        # counts it once the ticket reopens): a threshold passed in it is reported at its end.
        hidden = (
            _running_spans(line, start, until, _STOPPED_TUPLE, inside=True)
            if plan.hides_solved_time
            else []
        )
        warn, esc, amounts = plan.warnings, plan.escalations, plan.amounts
        elapsed, found = _crossings(spans, meter, amounts)
        reached = dict(zip(amounts, found, strict=True))
        running = end is None and _status_at(line, until) not in stop

        def shown(at: datetime) -> datetime:
            for a, b in hidden:
                if a <= at < b:
                    at = b
                    break
            return max(at, since)

        def passed(amount: timedelta) -> datetime | None:
            at = reached[amount]
            return None if at is None or at >= until else shown(at)

        def upcoming(amount: timedelta) -> datetime | None:
            if not running:
                return None
            at = reached[amount]
            if at is not None:
                return shown(at)
            return meter.add(until, amount - elapsed)

        breached_at = passed(target.within)
        if breached_at is not None:
            state = SlaState.BREACHED
            due_at: datetime | None = breached_at
        elif end is not None:
            state, due_at = SlaState.ACHIEVED, None
        elif running:
            state, due_at = SlaState.ACTIVE, upcoming(target.within)
        else:
            state, due_at = SlaState.PAUSED, None
        warnings_passed = 0
        warning: float | timedelta | None = None
        warned_at: datetime | None = None
        next_warning: float | timedelta | None = None
        next_warning_at: datetime | None = None
        for amount, spec in zip(warn, plan.warning_specs, strict=True):
            at = passed(amount)
            if at is not None:
                warnings_passed += 1
                warning, warned_at = spec, at
            else:
                next_warning, next_warning_at = spec, upcoming(amount)
                break
        escalation: str | None = None
        escalated_at: datetime | None = None
        next_escalation: str | None = None
        next_escalation_at: datetime | None = None
        for amount, level in esc:
            at = passed(amount)
            if at is not None:
                escalation, escalated_at = level, at
            else:
                next_escalation, next_escalation_at = level, upcoming(amount)
                break
        return _Outcome(
            state=state,
            target=target.within,
            elapsed=elapsed,
            due_at=due_at,
            breached_at=breached_at,
            started_at=start,
            completed_at=end,
            priority=priority,
            business_hours=meter is not context.real,
            warnings_passed=warnings_passed,
            warning=warning,
            warned_at=warned_at,
            next_warning=next_warning,
            next_warning_at=next_warning_at,
            escalation=escalation,
            escalated_at=escalated_at,
            next_escalation=next_escalation,
            next_escalation_at=next_escalation_at,
        )


_PENDING = frozenset({TicketStatus.PENDING})
_PENDING_HOLD = frozenset({TicketStatus.PENDING, TicketStatus.ON_HOLD})


def _select(candidates: list[_Candidate], priority: Priority) -> _Candidate | None:
    for candidate in candidates:
        allowed = candidate[0].priority
        if allowed is None or priority in allowed:
            return candidate
    return None
