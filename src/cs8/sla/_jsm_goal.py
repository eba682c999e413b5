"""Jira Service Management's SLA model: a goal with start, pause-on and stop conditions, in cycles.

A JSM SLA counts time from a *start* condition to a *stop* condition; time during a *pause-on*
condition and outside the goal's calendar is not counted. Each start -> stop is one completed
cycle; a start after a stop begins a new cycle; a start while a cycle runs, or a stop while none
runs, does nothing. :class:`JsmGoal` states those conditions in cs8's terms (statuses entered,
public comments) and measures its cycles with cs8's SLA clock (the one :class:`SlaPolicy` uses);
:func:`compare_cycles` names how two lists of cycles (cs8's and an export's
``completedCycles``) differ. Sources: Atlassian, "Create service level agreements (SLAs)"
(https://support.atlassian.com/jira-service-management-cloud/docs/create-service-level-agreements-slas/)
and "Understanding why an SLA is paused"
(https://confluence.atlassian.com/jirakb/understanding-why-an-sla-is-paused-in-a-jira-service-management-ticket-1271267987.html).

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import StatusChange, Ticket
    >>> t0 = datetime(2024, 1, 15, 8, tzinfo=timezone.utc)
    >>> h = timedelta(hours=1)
    >>> ticket = Ticket(id="SD-9", customer_id="c", channel="email", created_at=t0, events=[
    ...     StatusChange(at=t0 + h, status="pending"), StatusChange(at=t0 + 2 * h, status="open"),
    ...     StatusChange(at=t0 + 3 * h, status="solved")])
    >>> (cycle,) = JsmGoal(name="Time to resolution", within=4 * h).cycles(ticket, now=t0 + 5 * h)
    >>> cycle.elapsed, cycle.state
    (datetime.timedelta(seconds=7200), SlaState.ACHIEVED)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal, TypeAlias

import attrs

from cs8._enums import ActorKind, TicketStatus
from cs8._models import Message, StatusChange, Ticket
from cs8._time import require_aware
from cs8.exceptions import SlaError
from cs8.sla._clock import Candidate, Context, Plan, completed_cycle, evaluate_cycle
from cs8.sla._results import OngoingCycle, SlaCycle
from cs8.sla._targets import SlaClock, SlaState, SlaTarget, _status_set
from cs8.sla._timeline import utc, walk

__all__ = ["CycleDifference", "CycleField", "JsmGoal", "compare_cycles", "compare_ongoing"]

CycleField: TypeAlias = Literal[
    "missing", "extra", "started_at", "completed_at", "elapsed", "state", "paused"
]
"""What differs between two cycles: one side lacks the cycle, or one of its fields differs
(``paused``: an ongoing cycle is paused on one side only)."""

_COMPARED: tuple[CycleField, ...] = ("started_at", "completed_at", "elapsed")


@attrs.frozen(kw_only=True)
class JsmGoal:
    """A Jira Service Management SLA goal: start, pause-on and stop conditions and a duration.

    The conditions are JSM's, on cs8's statuses (the JSM reader maps *Waiting for customer* to
    ``pending``, *Resolved* to ``solved``, *Closed* to ``closed``, *Reopened* to ``open``):

    - **Start**: the issue is created (``start_created``), enters one of ``start_statuses``, or
      the customer comments publicly (``start_customer_comment``).
    - **Pause on**: the issue is in one of ``pause_statuses`` (time is not counted).
    - **Stop**: the issue enters one of ``stop_statuses``, or an agent comments publicly
      (``stop_agent_comment``, JSM's *Comment: For customers*).

    A start while a cycle runs and a stop while none runs are ignored; a start after a stop
    begins a new cycle. A change to the status the issue already has is not an entry. A cycle
    breaches when its counted time exceeds ``within``.

    Args:
        name: The SLA's name as the export writes it (``"Time to resolution"``).
        within: The goal's duration.
        calendar: The goal's calendar (a :class:`BusinessCalendar`); ``None`` counts every second.
        start_created: Start when the issue is created.
        start_statuses: Start when the issue enters one of these statuses.
        start_customer_comment: Start when the customer comments publicly.
        pause_statuses: Statuses during which time is not counted.
        stop_statuses: Stop when the issue enters one of these statuses.
        stop_agent_comment: Stop when an agent comments publicly.

    Raises:
        SlaError: If the name is empty, ``within`` is not positive, the goal can never start or
            never stop, or a status both starts and stops it.

    Example:
        >>> from datetime import timedelta
        >>> goal = JsmGoal(name="Time to first response", within=timedelta(hours=2),
        ...                stop_statuses=(), stop_agent_comment=True)
        >>> goal.pause_statuses, goal.stop_agent_comment
        (frozenset({TicketStatus.PENDING}), True)
    """

    name: str = attrs.field()
    within: timedelta = attrs.field()
    calendar: SlaClock | None = None
    start_created: bool = True
    start_statuses: frozenset[TicketStatus] = attrs.field(default=(), converter=_status_set)
    start_customer_comment: bool = False
    pause_statuses: frozenset[TicketStatus] = attrs.field(
        default=(TicketStatus.PENDING,), converter=_status_set
    )
    stop_statuses: frozenset[TicketStatus] = attrs.field(
        default=(TicketStatus.SOLVED, TicketStatus.CLOSED), converter=_status_set
    )
    stop_agent_comment: bool = False
    _candidates: list[Candidate] = attrs.field(init=False, eq=False, hash=False, repr=False)

    @name.validator
    def _check_name(self, attribute: Any, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise SlaError(f"JsmGoal.name must be a non-empty string, got {value!r}")

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.within, timedelta) or self.within <= timedelta(0):
            raise SlaError(
                f"JsmGoal.within must be a positive timedelta, got {self.within!r} "
                f"(goal {self.name!r})"
            )
        if self.calendar is not None and not isinstance(self.calendar, SlaClock):
            raise SlaError(
                f"JsmGoal.calendar must be a BusinessCalendar or None, got {self.calendar!r} "
                f"(goal {self.name!r})"
            )
        if not (self.start_created or self.start_statuses or self.start_customer_comment):
            raise SlaError(f"JsmGoal {self.name!r} has no start condition")
        if not (self.stop_statuses or self.stop_agent_comment):
            raise SlaError(f"JsmGoal {self.name!r} has no stop condition")
        both = self.start_statuses & self.stop_statuses
        if both:
            raise SlaError(
                f"JsmGoal {self.name!r}: statuses {sorted(s.value for s in both)} both start "
                "and stop the goal"
            )
        # The goal as a target of cs8's clock: only the pause statuses stop it from counting
        # (a JSM clock counts in any status its conditions do not pause).
        target = SlaTarget(
            metric="resolution", within=self.within, business_hours=self.calendar is not None
        )
        plan = Plan((), (), (), (self.within,), tuple(self.pause_statuses), False)
        object.__setattr__(self, "_candidates", [(target, plan)])

    def bounds(self, ticket: Ticket, *, now: datetime) -> list[tuple[datetime, datetime | None]]:
        """Return each cycle's ``(start, stop)`` up to ``now``; the stop is ``None`` while it runs.

        Raises:
            NaiveDatetimeError: If ``now`` has no time zone.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from cs8 import Ticket
            >>> t0 = datetime(2024, 1, 15, 8, tzinfo=timezone.utc)
            >>> JsmGoal(name="TTR", within=timedelta(hours=1)).bounds(
            ...     Ticket(id="1", customer_id="c", channel="email", created_at=t0), now=t0)
            [(datetime.datetime(2024, 1, 15, 8, 0, tzinfo=datetime.timezone.utc), None)]
        """
        now = utc(require_aware(now, "JsmGoal.bounds(now)", f"ticket {ticket.id!r}"))
        created = utc(ticket.created_at)
        out: list[tuple[datetime, datetime | None]] = []
        running: datetime | None = created if self.start_created else None
        status = TicketStatus.NEW
        for event in ticket.events:
            at = utc(event.at)
            if at > now:
                break
            start = stop = False
            if type(event) is StatusChange:
                if event.status is status:
                    continue
                status = event.status
                start, stop = status in self.start_statuses, status in self.stop_statuses
            elif type(event) is Message and event.public:
                start = self.start_customer_comment and event.author is ActorKind.CUSTOMER
                stop = self.stop_agent_comment and event.author is ActorKind.AGENT
            if running is not None and stop:
                out.append((running, at))
                running = None
            elif running is None and start:
                running = at
        if running is not None:
            out.append((running, None))
        return out

    def _now(self, ticket: Ticket, now: datetime, method: str) -> datetime:
        """``now`` in UTC, checked: aware, and not before the ticket was created."""
        now = utc(require_aware(now, f"JsmGoal.{method}(now)", f"ticket {ticket.id!r}"))
        if now < utc(ticket.created_at):
            raise SlaError(
                f"JsmGoal.{method}: now={now.isoformat()} is before ticket {ticket.id!r} was "
                f"created ({ticket.created_at.isoformat()}) (goal {self.name!r})"
            )
        return now

    def cycles(self, ticket: Ticket, *, now: datetime) -> tuple[SlaCycle, ...]:
        """Return the goal's completed cycles on ``ticket`` up to ``now`` (JSM's ``completedCycles``).

        Elapsed time counts the goal's calendar (or every second) outside the pause statuses;
        ``breached_at`` is when it passed ``within``.

        Raises:
            NaiveDatetimeError: If ``now`` has no time zone.
            SlaError: If ``now`` is before the ticket was created.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from cs8 import Ticket
            >>> t0 = datetime(2024, 1, 15, 8, tzinfo=timezone.utc)
            >>> JsmGoal(name="TTR", within=timedelta(hours=1)).cycles(
            ...     Ticket(id="1", customer_id="c", channel="email", created_at=t0), now=t0)
            ()
        """
        now = self._now(ticket, now, "cycles")
        context = Context(walk(ticket, now), self.calendar)
        out: list[SlaCycle] = []
        for start, stop in self.bounds(ticket, now=now):
            if stop is None:
                continue
            outcome = evaluate_cycle(self._candidates, context, start, stop)
            assert outcome is not None  # the one target matches every ticket
            out.append(completed_cycle(outcome, stop))
        return tuple(out)

    def ongoing(self, ticket: Ticket, *, now: datetime) -> OngoingCycle | None:
        """Return the goal's cycle still running at ``now`` (JSM's ``ongoingCycle``), if any.

        Its elapsed time and state are as of ``now``; it is ``paused`` while the ticket is in
        one of the pause statuses.

        Raises:
            NaiveDatetimeError: If ``now`` has no time zone.
            SlaError: If ``now`` is before the ticket was created.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from cs8 import StatusChange, Ticket
            >>> t0 = datetime(2024, 1, 16, 8, tzinfo=timezone.utc)
            >>> t = Ticket(id="SD-2", customer_id="c", channel="email", created_at=t0,
            ...            events=[StatusChange(at=t0 + timedelta(hours=1), status="pending")])
            >>> c = JsmGoal(name="TTR", within=timedelta(hours=2)).ongoing(
            ...     t, now=t0 + timedelta(hours=5))
            >>> c.state, c.paused, c.elapsed
            (SlaState.PAUSED, True, datetime.timedelta(seconds=3600))
        """
        now = self._now(ticket, now, "ongoing")
        bounds = self.bounds(ticket, now=now)
        if not bounds or bounds[-1][1] is not None:
            return None
        start = bounds[-1][0]
        context = Context(walk(ticket, now), self.calendar)
        outcome = evaluate_cycle(self._candidates, context, start, None)
        assert outcome is not None  # the one target matches every ticket
        return OngoingCycle(
            started_at=start,
            state=outcome.state,
            paused=ticket.status_at(now) in self.pause_statuses,
            target=outcome.target,
            elapsed=outcome.elapsed,
            breached_at=outcome.breached_at,
            priority=ticket.priority_at(start),
            as_of=now,
        )


@attrs.frozen(kw_only=True)
class CycleDifference:
    """One way two lists of SLA cycles differ.

    Attributes:
        cycle: The cycle's index (0 is the first).
        field: ``"missing"`` (cs8 has no such cycle), ``"extra"`` (the export has none), or the
            :class:`SlaCycle` field that differs (``started_at``, ``completed_at``, ``elapsed``,
            ``state``).
        ours: cs8's value (the cycle itself for ``"extra"``, ``None`` for ``"missing"``).
        theirs: The export's value (``None`` for ``"extra"``, the cycle for ``"missing"``).
    """

    cycle: int
    field: CycleField
    ours: object
    theirs: object


def compare_cycles(
    ours: Sequence[SlaCycle],
    theirs: Sequence[SlaCycle],
    *,
    tolerance: timedelta = timedelta(minutes=1),
) -> tuple[CycleDifference, ...]:
    """Return every difference between cs8's cycles and an export's, cycle by cycle.

    Instants and elapsed times agree within ``tolerance`` (exports round to the second or
    minute); states (achieved or breached) must be equal.

    Raises:
        SlaError: If ``tolerance`` is negative.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2024, 1, 15, 8, tzinfo=timezone.utc)
        >>> from cs8 import Priority
        >>> from cs8.sla import SlaState
        >>> c = SlaCycle(started_at=t0, completed_at=t0 + timedelta(hours=1),
        ...              state=SlaState.ACHIEVED, target=timedelta(hours=2),
        ...              elapsed=timedelta(hours=1), breached_at=None, priority=Priority.NORMAL)
        >>> [d.field for d in compare_cycles([c], [attrs.evolve(c, elapsed=timedelta(0)), c])]
        ['elapsed', 'missing']
    """
    if not isinstance(tolerance, timedelta) or tolerance < timedelta(0):
        raise SlaError(f"compare_cycles: tolerance must be at least zero, got {tolerance!r}")
    out: list[CycleDifference] = []
    for index in range(max(len(ours), len(theirs))):
        if index >= len(ours):
            out.append(
                CycleDifference(cycle=index, field="missing", ours=None, theirs=theirs[index])
            )
            continue
        if index >= len(theirs):
            out.append(CycleDifference(cycle=index, field="extra", ours=ours[index], theirs=None))
            continue
        a, b = ours[index], theirs[index]
        for field in _COMPARED:
            x, y = getattr(a, field), getattr(b, field)
            if abs(x - y) > tolerance:
                out.append(CycleDifference(cycle=index, field=field, ours=x, theirs=y))
        if a.state is not b.state:
            out.append(CycleDifference(cycle=index, field="state", ours=a.state, theirs=b.state))
    return tuple(out)


def compare_ongoing(
    ours: OngoingCycle | None,
    theirs: OngoingCycle | None,
    *,
    cycle: int,
    tolerance: timedelta = timedelta(minutes=1),
) -> tuple[CycleDifference, ...]:
    """Return every difference between cs8's ongoing cycle and an export's.

    Both must start at the same instant (within ``tolerance``) and be paused alike. Elapsed
    time and breach are compared when both are measured at one instant: when ``theirs`` says
    when it was measured (``as_of``), or when both are paused (a paused clock's elapsed time no
    longer changes); a running export cycle of unknown ``as_of`` is not compared on them, since
    its clock kept counting after the export's last event.

    Args:
        ours: cs8's ongoing cycle (:meth:`JsmGoal.ongoing`), or ``None``.
        theirs: The export's, or ``None``.
        cycle: The cycle's index, for the differences (the number of completed cycles before).
        tolerance: How far instants and elapsed times may be apart and still agree.

    Raises:
        SlaError: If ``tolerance`` is negative.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Priority
        >>> t0 = datetime(2024, 1, 16, 8, tzinfo=timezone.utc)
        >>> c = OngoingCycle(started_at=t0, state=SlaState.PAUSED, paused=True,
        ...                  target=timedelta(hours=2), elapsed=timedelta(hours=1),
        ...                  breached_at=None, priority=Priority.NORMAL)
        >>> running = attrs.evolve(c, state=SlaState.ACTIVE, paused=False)
        >>> [(d.cycle, d.field) for d in compare_ongoing(running, c, cycle=0)]
        [(0, 'paused')]
    """
    if not isinstance(tolerance, timedelta) or tolerance < timedelta(0):
        raise SlaError(f"compare_ongoing: tolerance must be at least zero, got {tolerance!r}")
    if ours is None and theirs is None:
        return ()
    if ours is None:
        return (CycleDifference(cycle=cycle, field="missing", ours=None, theirs=theirs),)
    if theirs is None:
        return (CycleDifference(cycle=cycle, field="extra", ours=ours, theirs=None),)
    out: list[CycleDifference] = []
    if abs(ours.started_at - theirs.started_at) > tolerance:
        out.append(
            CycleDifference(
                cycle=cycle, field="started_at", ours=ours.started_at, theirs=theirs.started_at
            )
        )
    if ours.paused is not theirs.paused:
        out.append(
            CycleDifference(cycle=cycle, field="paused", ours=ours.paused, theirs=theirs.paused)
        )
    elif theirs.as_of is not None or theirs.paused:
        if abs(ours.elapsed - theirs.elapsed) > tolerance:
            out.append(
                CycleDifference(
                    cycle=cycle, field="elapsed", ours=ours.elapsed, theirs=theirs.elapsed
                )
            )
        breached = (ours.state is SlaState.BREACHED, theirs.state is SlaState.BREACHED)
        if breached[0] is not breached[1]:
            out.append(
                CycleDifference(cycle=cycle, field="state", ours=ours.state, theirs=theirs.state)
            )
    return tuple(out)
