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

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

import attrs

from cs8._enums import Channel, CustomerSegment, Priority, TicketStatus
from cs8._models import Customer, StatusChange, Ticket
from cs8._time import require_aware
from cs8.exceptions import SlaError
from cs8.sla._calendar_periods import DatedCalendar
from cs8.sla._clock import (
    Candidate,
    Context,
    Outcome,
    Plan,
    completed_cycle,
    evaluate_cycle,
    make_plan,
)
from cs8.sla._results import SlaCycle, SlaResult
from cs8.sla._targets import SlaClock, SlaMetric, SlaTarget, _status_set
from cs8.sla._timeline import Timeline, utc, walk

__all__ = ["SlaPolicy"]

_PENDING = frozenset({TicketStatus.PENDING})
_PENDING_HOLD = frozenset({TicketStatus.PENDING, TicketStatus.ON_HOLD})


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
        schedule: With an effective-dated calendar (:meth:`BusinessCalendar.from_periods`):
            ``"in_force"`` (default, Zendesk's rule) counts each instant in the schedule in force
            then; ``"latest"`` counts the whole ticket in its last schedule: the one in force at
            the evaluation instant while the ticket is open, else at its latest solve or close.

    Raises:
        SlaError: If the name is empty, the calendar has no ``business_duration`` and
            ``add_business_time``, a target is not an :class:`SlaTarget`, or the first-reply
            targets disagree on ``on_reopen`` or ``reply_clock_start`` (one definition of the
            first-reply clock per policy).

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
    schedule: Literal["in_force", "latest"] = attrs.field(default="in_force")
    _plans: tuple[Plan, ...] = attrs.field(init=False, eq=False, hash=False, repr=False)

    @schedule.validator
    def _check_schedule(self, attribute: Any, value: object) -> None:
        if value not in ("in_force", "latest"):
            raise SlaError(
                f"SlaPolicy.schedule must be 'in_force' or 'latest', got {value!r} "
                f"(policy {self.name!r})"
            )

    def __attrs_post_init__(self) -> None:
        plans = tuple(make_plan(t, self._pause_for(t)) for t in self.targets)
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
        first = [t for t in value if isinstance(t, SlaTarget) and t.metric is SlaMetric.FIRST_REPLY]
        settings = {(t.on_reopen, t.reply_clock_start) for t in first}
        if len(settings) > 1:
            raise SlaError(
                f"SlaPolicy.targets: the first_reply targets disagree on (on_reopen, "
                f"reply_clock_start): {sorted(settings)}; a policy has one first-reply clock "
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
        group: str | None = None,
    ) -> SlaTarget | None:
        """Return the first target of ``metric`` that matches these facts, or ``None``.

        A target with a ``condition`` needs a ticket to decide, so it is skipped here; use
        :meth:`evaluate`.

        Example:
            >>> SlaPolicy(name="empty").target_for("first_reply") is None
            True
        """
        metric = SlaMetric(metric)
        seg = None if segment is None else CustomerSegment(segment)
        chan = None if channel is None else Channel(channel)
        prio = Priority(priority)
        for target in self.targets:
            if (
                target.metric is metric
                and target.condition is None
                and (target.group is None or group in target.group)
                and target.matches(priority=prio, segment=seg, category=category, channel=chan)
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
        now = utc(require_aware(now, "SlaPolicy.evaluate(now)", f"ticket {ticket.id!r}"))
        if now < utc(ticket.created_at):
            raise SlaError(
                f"SlaPolicy.evaluate: now={now.isoformat()} is before ticket {ticket.id!r} was "
                f"created ({ticket.created_at.isoformat()}) (policy {self.name!r})"
            )
        seg: CustomerSegment | None
        if customer is not None:
            seg = customer.segment
        else:
            seg = None if segment is None else CustomerSegment(segment)
        by_metric: dict[SlaMetric, list[Candidate]] = {}
        context_for_conditions: Any = None
        for target, plan in zip(self.targets, self._plans, strict=True):
            if not target._static_match(seg, ticket.category, ticket.channel):
                continue
            if target.condition is not None:
                if context_for_conditions is None:
                    from cs8.routing import RoutingContext

                    context_for_conditions = RoutingContext(
                        ticket=ticket, now=now, customer=customer
                    )
                if not target.condition(context_for_conditions):
                    continue
            by_metric.setdefault(target.metric, []).append((target, plan))
        if not by_metric:
            return ()
        context = Context(walk(ticket, now), self._calendar_for(ticket, now))
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

    def _calendar_for(self, ticket: Ticket, now: datetime) -> SlaClock | None:
        calendar = self.calendar
        if self.schedule == "latest" and isinstance(calendar, DatedCalendar):
            # The ticket's last schedule: the one in force at ``now`` while it is open, else at
            # its latest solve or close.
            last = now
            status = TicketStatus.NEW
            for event in ticket.events:
                if event.at > now:
                    break
                if type(event) is StatusChange:
                    if status.is_open and not event.status.is_open:
                        last = event.at
                    status = event.status
            return calendar.calendar_at(now if status.is_open else last)
        return calendar

    def _cycles_of(
        self, metric: SlaMetric, line: Timeline, first: SlaTarget
    ) -> list[tuple[datetime, datetime | None]]:
        created = line.created
        if metric is SlaMetric.FIRST_REPLY:
            # Every first-reply target of a policy shares these two settings (checked on build).
            marked = first.reply_clock_start == "last_handoff_or_reopen" and line.reply_mark
            start = line.reply_mark if marked else created
            assert start is not None
            if first.on_reopen == "resume":
                return [(start, line.first_agent_reply)]
            return [(start, line.reply_mark_end if marked else line.first_reply_end)]
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
        candidates: list[Candidate],
        context: Context,
    ) -> SlaResult | None:
        latest: Outcome | None = None
        cycles: list[SlaCycle] = []
        line = context.line
        spans: list[tuple[datetime, datetime | None, str | None]]
        if metric is SlaMetric.GROUP_OWNERSHIP:
            spans = list(line.group_spans)
        else:
            spans = [(a, b, None) for a, b in self._cycles_of(metric, line, candidates[0][0])]
        owned = metric is SlaMetric.GROUP_OWNERSHIP
        for start, end, group in spans:
            outcome = evaluate_cycle(candidates, context, start, end, group, span_group=owned)
            if outcome is None:
                continue
            latest = outcome
            if end is not None:
                cycles.append(completed_cycle(outcome, end))
        if latest is None:
            return None
        return SlaResult(
            ticket_id=ticket_id, metric=metric, cycles=tuple(cycles), **latest._asdict()
        )
