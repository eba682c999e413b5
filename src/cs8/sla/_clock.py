"""The SLA clock of one cycle: business time over the running spans, thresholds and the outcome.

Example:
    >>> from datetime import timedelta
    >>> from cs8.sla._targets import SlaTarget
    >>> make_plan(SlaTarget(metric="resolution", within=timedelta(hours=2), warnings=0.5),
    ...      frozenset()).amounts
    (datetime.timedelta(seconds=3600), datetime.timedelta(seconds=7200))
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple, TypeAlias

import attrs

from cs8._enums import Priority, TicketStatus
from cs8.sla._results import SlaCycle
from cs8.sla._targets import _ZERO, SlaClock, SlaMetric, SlaState, SlaTarget, _amount
from cs8.sla._timeline import Timeline, group_at, running_spans, status_at

__all__ = [
    "Candidate",
    "Context",
    "Outcome",
    "Plan",
    "completed_cycle",
    "evaluate_cycle",
    "make_plan",
    "select",
]

_STOPPED = frozenset({TicketStatus.SOLVED, TicketStatus.CLOSED})
_STOPPED_TUPLE = (TicketStatus.SOLVED, TicketStatus.CLOSED)


class Meter:
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


class RealMeter:
    """Calendar time since a fixed origin (UTC instants, so a difference is elapsed time)."""

    __slots__ = ("_origin",)

    def __init__(self, origin: datetime) -> None:
        self._origin = origin

    def since_origin(self, t: datetime) -> timedelta:
        return t - self._origin

    @staticmethod
    def add(start: datetime, amount: timedelta) -> datetime:
        return start + amount


def crossings(
    spans: Sequence[tuple[datetime, datetime]],
    meter: Meter | RealMeter,
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
class Plan:
    """A target's thresholds as elapsed amounts, computed once when the policy is built."""

    warnings: tuple[timedelta, ...]
    warning_specs: tuple[float | timedelta, ...]
    escalations: tuple[tuple[timedelta, str], ...]
    amounts: tuple[timedelta, ...]
    stop: tuple[TicketStatus, ...]
    """Statuses in which the clock does not count (paused, or solved and closed)."""
    hides_solved_time: bool
    """Whether solved time counts but a live clock could not show it (total resolution)."""


Candidate: TypeAlias = "tuple[SlaTarget, Plan]"


def make_plan(target: SlaTarget, pause: frozenset[TicketStatus]) -> Plan:
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
    return Plan(warnings, specs, escalations, amounts, tuple(stop), total and not pause & _STOPPED)


class Outcome(NamedTuple):
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
    group: str | None


class Context:
    """What one evaluation shares between its metrics: the timeline and the meters."""

    __slots__ = ("business", "line", "real")

    def __init__(self, line: Timeline, calendar: SlaClock | None) -> None:
        self.line = line
        self.real = RealMeter(line.created)
        self.business: Meter | RealMeter = (
            self.real if calendar is None else Meter(calendar, line.created)
        )


def select(
    candidates: list[Candidate], priority: Priority, group: str | None = None
) -> Candidate | None:
    """Return the first candidate whose priority and group filters admit these values."""
    for candidate in candidates:
        target = candidate[0]
        allowed = target.priority
        if allowed is not None and priority not in allowed:
            continue
        groups = target.group
        if groups is None or group in groups:
            return candidate
    return None


def evaluate_cycle(
    candidates: list[Candidate],
    context: Context,
    start: datetime,
    end: datetime | None,
    group: str | None = None,
    *,
    span_group: bool = False,
) -> Outcome | None:
    """Return one cycle's outcome from ``start`` to ``end`` (``None``: running until ``now``).

    ``group`` is the group owning a ``GROUP_OWNERSHIP`` span (``span_group``); for other metrics
    the group owning the ticket when the cycle is judged selects group targets.
    """
    line = context.line
    until = line.now if end is None else end
    if not span_group:
        group = group_at(line, until)
    # The priority in force when the cycle is judged selects the target; the time since then
    # bounds when its thresholds can have been passed.
    index = bisect_right(line.priority_times, until) - 1
    priority = line.priorities[index]
    chosen = select(candidates, priority, group)
    if chosen is None:
        return None
    target, plan = chosen
    since = start
    while index > 0 and line.priority_times[index] > start:
        if select(candidates, line.priorities[index - 1], group) is not chosen:
            since = line.priority_times[index]
            break
        index -= 1
    meter = context.business if target.business_hours else context.real
    stop = plan.stop
    spans = running_spans(line, start, until, stop)
    # Time a live clock did not show, because the ticket was solved then (total resolution
    # counts it once the ticket reopens): a threshold passed in it is reported at its end.
    hidden = (
        running_spans(line, start, until, _STOPPED_TUPLE, inside=True)
        if plan.hides_solved_time
        else []
    )
    warn, esc, amounts = plan.warnings, plan.escalations, plan.amounts
    elapsed, found = crossings(spans, meter, amounts)
    reached = dict(zip(amounts, found, strict=True))
    running = end is None and status_at(line, until) not in stop

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
    return Outcome(
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
        group=group if span_group else None,
    )


def completed_cycle(outcome: Outcome, completed_at: datetime) -> SlaCycle:
    """Return a completed cycle's outcome as the :class:`SlaCycle` a result lists."""
    return SlaCycle(
        started_at=outcome.started_at,
        completed_at=completed_at,
        state=outcome.state,
        target=outcome.target,
        elapsed=outcome.elapsed,
        breached_at=outcome.breached_at,
        priority=outcome.priority,
        group=outcome.group,
    )
