"""The desk's incremental SLA index: each ticket's clocks evaluated once per change, kept in due
order, so "what is due in the next hour" reads a slice instead of re-evaluating the backlog.

Why an evaluation can be reused: between two events of a ticket nothing changes its clocks but
time. A clock running at the last evaluation (instant ``base``) keeps its due instant, and the
business time it has used at a later ``now`` is its target less the business time from ``now`` to
that due instant (business time is additive; ``add_business_time`` inverts ``business_duration``).
Only a warning or escalation threshold passed since ``base`` changes more than that: such a
ticket is evaluated again (once: the new evaluation becomes its base). The property test checks
:meth:`SlaIndex.due_within` against :meth:`cs8.sla.SlaPolicy.evaluate` of every ticket at many
instants.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import attrs

from cs8._enums import _LowerEnum
from cs8._models import Customer, Ticket
from cs8.sla import SlaMetric, SlaPolicy, SlaResult, SlaState

__all__ = ["AlarmKind", "DeskAlarm", "SlaIndex", "evaluate_at"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_METRIC_ORDER = {metric: n for n, metric in enumerate(SlaMetric)}

_Entry = tuple[int, str, int]
"""(due instant in microseconds since the epoch, ticket id, place of the result)."""


def _us(at: datetime) -> int:
    return (at - _EPOCH) // _US


class AlarmKind(_LowerEnum):
    """What an SLA alarm says: a warning threshold, the breach, or an escalation level passed.

    Example:
        >>> AlarmKind("breach")
        AlarmKind.BREACH
    """

    WARNING = "warning"
    BREACH = "breach"
    ESCALATION = "escalation"


@attrs.frozen(kw_only=True)
class DeskAlarm:
    """One SLA alarm: a clock of a ticket passed a warning, its target or an escalation level.

    Args:
        ticket_id: The ticket.
        metric: The clock's metric.
        kind: Warning, breach or escalation.
        at: When the threshold was passed.
        level: The escalation level's name (escalations), the warning's number from 1
            (warnings), ``None`` for a breach.
        result: The clock when the alarm was raised.

    Example:
        >>> from cs8.sla import SlaMetric
        >>> DeskAlarm.__name__, AlarmKind.WARNING.value
        ('DeskAlarm', 'warning')
    """

    ticket_id: str
    metric: SlaMetric
    kind: AlarmKind
    at: datetime
    level: str | None
    result: SlaResult


def evaluate_at(
    policy: SlaPolicy, ticket: Ticket, now: datetime, customer: Customer | None
) -> tuple[SlaResult, ...]:
    """Evaluate ``ticket`` at ``now``, or at its creation when ``now`` is before it (a few seconds
    of clock skew between the host that created it and this one never raise).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Ticket
        >>> from cs8.sla import SlaTarget
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> policy = SlaPolicy(name="p", targets=[SlaTarget(metric="first_reply",
        ...     within=timedelta(hours=1), business_hours=False)])
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
        >>> evaluate_at(policy, ticket, t0 - timedelta(seconds=3), None)[0].state
        SlaState.ACTIVE
    """
    return policy.evaluate(ticket, now=max(now, ticket.created_at), customer=customer)


def _due_key(result: SlaResult) -> tuple[datetime, str, int]:
    assert result.due_at is not None
    return (result.due_at, result.ticket_id, _METRIC_ORDER[result.metric])


class SlaIndex:
    """Every ticket's SLA clocks, evaluated when the ticket changes and kept in due order.

    Not thread-safe on its own: :class:`cs8.desk.Desk` calls it under its lock.

    Args:
        policy: The SLA policy.
        lookup: Returns the ticket and its customer for an id.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Ticket
        >>> from cs8.sla import SlaTarget
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> policy = SlaPolicy(name="p", targets=[SlaTarget(metric="first_reply",
        ...     within=timedelta(hours=1), business_hours=False)])
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
        >>> index = SlaIndex(policy, lambda tid: (ticket, None))
        >>> index.update(ticket, None, t0)
        >>> [r.ticket_id for r in index.due_within(timedelta(hours=2), t0)]
        ['T1']
        >>> index.next_wakeup() == t0 + timedelta(hours=1)
        True
    """

    __slots__ = (
        "_due",
        "_entries",
        "_lookup",
        "_next",
        "_pending",
        "_results",
        "_version",
        "_wake",
        "policy",
    )

    def __init__(
        self,
        policy: SlaPolicy,
        lookup: Callable[[str], tuple[Ticket, Customer | None]],
    ) -> None:
        self.policy = policy
        self._lookup = lookup
        # ticket id -> (the instant evaluated at, the results then)
        self._results: dict[str, tuple[datetime, tuple[SlaResult, ...]]] = {}
        self._due: list[_Entry] = []  # running clocks, by due instant
        self._entries: dict[str, list[_Entry]] = {}
        # (instant, version, ticket id): the next due, warning or escalation of each ticket
        self._wake: list[tuple[int, int, str]] = []
        self._version: dict[str, int] = {}
        self._next: dict[str, int] = {}  # ticket id -> its next instant (as in _wake)
        # Tickets evaluated again after their next instant passed: their alarms are due.
        self._pending: dict[str, None] = {}

    def __len__(self) -> int:
        return len(self._results)

    def results(self, ticket_id: str) -> tuple[SlaResult, ...]:
        """The ticket's clocks at its last evaluation (empty for an unknown ticket)."""
        found = self._results.get(ticket_id)
        return () if found is None else found[1]

    def drop(self, ticket_id: str) -> None:
        """Forget ``ticket_id``."""
        for entry in self._entries.pop(ticket_id, ()):
            del self._due[bisect_left(self._due, entry)]
        self._results.pop(ticket_id, None)
        self._next.pop(ticket_id, None)
        self._version[ticket_id] = self._version.get(ticket_id, 0) + 1

    def update(self, ticket: Ticket, customer: Customer | None, at: datetime) -> None:
        """Evaluate ``ticket`` at ``at`` and index its running clocks (at its creation or its
        last event instead, when later: an evaluation must see every event)."""
        base = max(at, ticket.created_at, ticket.events[-1].at if ticket.events else at)
        self._store(ticket.id, base, evaluate_at(self.policy, ticket, base, customer))

    def _store(self, ticket_id: str, base: datetime, results: tuple[SlaResult, ...]) -> None:
        passed = self._next.pop(ticket_id, None)
        if passed is not None and passed <= _us(base):
            self._pending[ticket_id] = None
        self.drop(ticket_id)
        self._results[ticket_id] = (base, results)
        entries = []
        wake: int | None = None
        for place, result in enumerate(results):
            instants = [result.next_warning_at, result.next_escalation_at]
            running = result.due_at is not None and result.completed_at is None
            if running and result.state is not SlaState.PAUSED:
                # Active clocks; breached ones too, for a question about an earlier instant
                # (one asked after a later one evaluated the ticket again).
                assert result.due_at is not None
                entry = (_us(result.due_at), ticket_id, place)
                insort(self._due, entry)
                entries.append(entry)
                if result.state is SlaState.ACTIVE:
                    instants.append(result.due_at)
            for instant in instants:
                if instant is not None and (wake is None or _us(instant) < wake):
                    wake = _us(instant)
        self._entries[ticket_id] = entries
        if wake is not None:
            self._next[ticket_id] = wake
            heapq.heappush(self._wake, (wake, self._version[ticket_id], ticket_id))

    def _moved(self, ticket_id: str, now: datetime) -> tuple[SlaResult, ...] | None:
        """The ticket's clocks at ``now`` evaluated again, when the base ones cannot be carried
        to ``now`` (``now`` before the base, or a threshold passed in between); else ``None``."""
        base, results = self._results[ticket_id]
        if now < base:  # asked about an instant before the ticket's last evaluation
            ticket, customer = self._lookup(ticket_id)
            return evaluate_at(self.policy, ticket, now, customer)
        for result in results:
            for instant in (result.next_warning_at, result.next_escalation_at):
                if instant is not None and instant <= now:
                    ticket, customer = self._lookup(ticket_id)
                    self.update(ticket, customer, now)
                    return self._results[ticket_id][1]
        return None

    def due_within(self, window: timedelta, now: datetime) -> tuple[SlaResult, ...]:
        """Running clocks due in ``[now, now + window]`` at ``now``, earliest first (then ticket
        id, then metric): what evaluating every ticket at ``now`` gives, for any ``now`` not
        before the events recorded (a ticket changed by an event after ``now`` is answered as
        the index holds it)."""
        due = self._due
        start = bisect_left(due, (_us(now), "", -1))
        stop = bisect_right(due, (_us(now + window) + 1, "", -1))
        end = now + window
        calendar = self.policy.calendar
        active = SlaState.ACTIVE
        out: list[SlaResult] = []
        done: set[str] = set()  # tickets evaluated again (all their clocks are in ``out``)
        for _, ticket_id, place in due[start:stop]:
            if ticket_id in done:
                continue
            moved = self._moved(ticket_id, now)
            if moved is not None:
                done.add(ticket_id)
                out.extend(
                    r
                    for r in moved
                    if r.state is active and r.due_at is not None and now <= r.due_at <= end
                )
                continue
            base, results = self._results[ticket_id]
            result = results[place]
            due_at = result.due_at
            if result.state is not active or due_at is None or not now <= due_at <= end:
                continue
            if now != base:  # only the time used has changed since the base
                if result.business_hours and calendar is not None:
                    left = calendar.business_duration(now, due_at)
                else:
                    left = due_at - now
                result = attrs.evolve(result, elapsed=result.target - left)
            out.append(result)
        out.sort(key=_due_key)
        return tuple(out)

    def next_wakeup(self) -> datetime | None:
        """The earliest due, warning or escalation instant of any ticket, if any."""
        wake = self._wake
        while wake and wake[0][1] != self._version.get(wake[0][2]):
            heapq.heappop(wake)
        return None if not wake else _EPOCH + wake[0][0] * _US

    def woken(self, now: datetime) -> list[str]:
        """Take the tickets whose next instant is at or before ``now`` (each once), by instant."""
        wake = self._wake
        limit = _us(now)
        out: dict[str, None] = self._pending
        self._pending = {}
        while wake and wake[0][0] <= limit:
            _, version, ticket_id = heapq.heappop(wake)
            if version == self._version.get(ticket_id):
                out[ticket_id] = None
        return list(out)

    def recheck_all(self) -> None:
        """Have the next :meth:`woken` return every ticket (after a restore)."""
        self._pending = dict.fromkeys(self._results)

    def tickets(self) -> Iterable[str]:
        """The ids of the indexed tickets."""
        return self._results.keys()
