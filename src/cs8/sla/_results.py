"""What an SLA evaluation returns: one :class:`SlaResult` per metric, with its :class:`SlaCycle` list.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> SlaCycle(started_at=t0, completed_at=t0, state=SlaState.ACHIEVED, target=timedelta(hours=1),
    ...          elapsed=timedelta(0), breached_at=None, priority=Priority.NORMAL).remaining
    datetime.timedelta(seconds=3600)
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from cs8._enums import Priority
from cs8.sla._targets import SlaMetric, SlaState

__all__ = ["OngoingCycle", "SlaCycle", "SlaResult"]


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
    group: str | None = None
    """The owning group (``GROUP_OWNERSHIP`` cycles), else ``None``."""

    @property
    def remaining(self) -> timedelta:
        """``target - elapsed``; zero or negative when breached."""
        return self.target - self.elapsed


@attrs.frozen(kw_only=True)
class OngoingCycle:
    """A measurement still running: a clock that started and has not stopped (JSM's
    ``ongoingCycle``).

    Attributes:
        started_at: When the cycle started.
        state: ``ACTIVE``, ``PAUSED`` or ``BREACHED`` (a cycle past its target is ``BREACHED``
            even while paused), as of ``as_of``.
        paused: Whether the clock is paused (a pause status), breached or not.
        target: The target duration.
        elapsed: Time counted from ``started_at`` to ``as_of``.
        breached_at: When the clock passed the target, if it did.
        priority: The ticket's priority when the cycle started.
        as_of: When ``state`` and ``elapsed`` were measured; ``None`` when unknown (an export's
            cycle is measured when the export was taken, which it does not say).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2024, 1, 16, 8, tzinfo=timezone.utc)
        >>> c = OngoingCycle(started_at=t0, state=SlaState.PAUSED, paused=True,
        ...                  target=timedelta(hours=2), elapsed=timedelta(hours=1),
        ...                  breached_at=None, priority=Priority.NORMAL)
        >>> c.remaining, c.as_of
        (datetime.timedelta(seconds=3600), None)
    """

    started_at: datetime
    state: SlaState
    paused: bool
    target: timedelta
    elapsed: timedelta
    breached_at: datetime | None
    priority: Priority
    as_of: datetime | None = None

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
        group: The group owning the latest span (``GROUP_OWNERSHIP``), else ``None``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Ticket
        >>> from cs8.sla import SlaPolicy, SlaTarget
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
    group: str | None = None

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
