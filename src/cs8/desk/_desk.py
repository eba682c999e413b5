"""The live desk: the open tickets, the agent pool, the routing state and the SLA index of a running
service, changed only through its methods, each of them atomic."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import attrs

from cs8._enums import AgentStatus, Channel
from cs8._frozen import FrozenDict
from cs8._models import Agent, Assignment, Customer, Ticket, TicketEvent
from cs8._time import as_stdlib, require_aware
from cs8.desk._sla_index import AlarmKind, DeskAlarm, SlaIndex
from cs8.exceptions import EventOrderError, InvalidValueError, UnknownFieldError
from cs8.routing import (
    AgentPool,
    ChannelWeights,
    Router,
    RoutingDecision,
    RoutingState,
    queue_key,
)
from cs8.sla import SlaPolicy, SlaResult, SlaState

__all__ = ["Desk"]

_QueueKey = tuple[int, float, float, str]
_Emitted = tuple[int, bool, "str | None"]


def _insert(ticket: Ticket, event: TicketEvent) -> Ticket:
    """``ticket`` with ``event`` in time order (after the events at the same instant)."""
    events = ticket.events
    if not events or events[-1].at <= event.at:
        return attrs.evolve(ticket, events=(*events, event))
    at = bisect_right(events, event.at, key=lambda e: e.at)
    return attrs.evolve(ticket, events=(*events[:at], event, *events[at:]))


class Desk:
    """The stateful kernel a helpdesk service embeds: tickets, agents, routing and SLA clocks.

    A desk owns the open tickets, an :class:`~cs8.routing.AgentPool` (per-channel capacity,
    blocking channels), the router's :class:`~cs8.routing.RoutingState` and an incremental SLA
    index. It takes events as a helpdesk's webhooks deliver them and keeps everything in step:

    - :meth:`open` adds a ticket, routes it and reserves the chosen agent's capacity in one step;
      a ticket nobody can take waits, in queue order (:func:`~cs8.routing.queue_key`).
    - :meth:`record` adds an event. An event with an ``id`` already seen on the ticket is ignored
      (a webhook delivered twice); a late event is inserted in time order and everything that
      depends on it is recomputed; an event up to ``max_skew`` before the ticket's creation (two
      hosts' clocks) is moved to the creation instant instead of raising.
    - A solved or closed ticket releases its agent's capacity, a reopened one takes it back (its
      previous agent when available, as Zendesk does; else it is routed again), an assignment
      made outside the desk moves the reservation, and whenever capacity frees the waiting
      backlog is offered again in queue order.
    - :meth:`due_within`, :meth:`next_wakeup` and :meth:`alarms` answer from the SLA index.
    - :meth:`set_agent` and :meth:`remove_agent` change the roster while running.
    - :meth:`snapshot` gives JSON-ready data and :meth:`restore` rebuilds an equal desk.

    Thread-safety: every public method holds the desk's re-entrant lock for its whole run, so it
    is atomic: concurrent calls behave as if they ran one after the other, loads always equal the
    reserved tickets and no agent is ever given more than its capacity. Several processes need
    one desk each (partition tickets, e.g. by brand) or one process owning the desk.

    The desk's clock: each method takes ``now``; without it the desk uses the latest instant it
    has seen (never going back), or the event's own instant if later.

    Args:
        policy: The SLA policy the clocks follow.
        router: Routes tickets (its ``weights`` also weigh the pool's capacity, unless
            ``weights`` is given).
        agents: The agents; their ``active_tickets`` are starting loads.
        now: The desk's starting instant.
        weights: Channel weights, fills and blocking channels of the pool.
        max_skew: How far before a ticket's creation an event may be dated and still be taken
            (moved to the creation instant).
        offer_timeout: Offers mode (Twilio TaskRouter reservations, Zendesk omnichannel offers):
            a routed ticket is offered to the agent, whose capacity is reserved, and assigned
            only when the agent calls :meth:`accept`; :meth:`reject`, or no answer within
            ``offer_timeout`` (:meth:`expire_offers`), moves it to the next agent. ``None``
            (the default) assigns at once.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Agent, StatusChange, Ticket
        >>> from cs8.routing import Router
        >>> from cs8.sla import SlaPolicy, SlaTarget
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> policy = SlaPolicy(name="std", targets=[SlaTarget(metric="first_reply",
        ...     within=timedelta(hours=1), business_hours=False)])
        >>> desk = Desk(policy=policy, router=Router(), now=t0, agents=[
        ...     Agent(id="a1", capacity_by_channel={"email": 1})])
        >>> desk.open(Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)).agent_id
        'a1'
        >>> desk.open(Ticket(id="T2", customer_id="C2", channel="email", created_at=t0)).agent_id
        >>> [r.ticket_id for r in desk.due_within(timedelta(hours=2))]
        ['T1', 'T2']
        >>> desk.record("T1", StatusChange(at=t0 + timedelta(minutes=5), status="solved", id="w1"))
        >>> desk.ticket("T2").assignee, dict(desk.loads["a1"])
        ('a1', {Channel.EMAIL: 1})
    """

    def __init__(
        self,
        *,
        policy: SlaPolicy,
        router: Router,
        agents: Iterable[Agent] = (),
        now: datetime,
        weights: ChannelWeights | None = None,
        max_skew: timedelta = timedelta(minutes=1),
        offer_timeout: timedelta | None = None,
    ) -> None:
        if not isinstance(policy, SlaPolicy):
            raise InvalidValueError(f"Desk.policy must be an SlaPolicy, got {policy!r}")
        if not isinstance(router, Router):
            raise InvalidValueError(f"Desk.router must be a Router, got {router!r}")
        self.policy = policy
        self.router = router
        self._planner = router.planner()  # the desk's memory of plans (tickets alike)
        self.max_skew = max_skew
        if offer_timeout is not None and offer_timeout <= timedelta(0):
            raise InvalidValueError(f"Desk.offer_timeout must be positive, got {offer_timeout!r}")
        self.offer_timeout = offer_timeout
        self._lock = threading.RLock()
        self._now: datetime = as_stdlib(require_aware(now, "Desk(now)"))
        self._pool = AgentPool(agents, weights=router.weights if weights is None else weights)
        self._state = RoutingState()
        self._tickets: dict[str, Ticket] = {}
        self._customers: dict[str, Customer] = {}
        self._held: dict[str, tuple[str, Channel]] = {}  # ticket -> the agent reserved for it
        self._queue: dict[Channel, list[tuple[_QueueKey, str]]] = {}  # waiting, in queue order
        self._queued: dict[str, tuple[Channel, _QueueKey]] = {}
        self._seen: dict[str, set[str]] = {}  # ticket -> ids of the events recorded
        self._decisions: dict[str, RoutingDecision] = {}
        self._emitted: dict[tuple[str, str, datetime], _Emitted] = {}
        self._freed: dict[str, None] = {}  # agents with capacity freed since the last offer
        # Tickets assigned outside the desk to an agent without room: kept with that agent,
        # reserving nothing, until the assignment or the status changes.
        self._kept: dict[str, str] = {}
        # Offers mode: ticket -> (the agent it is offered to, when the offer lapses), and the
        # agents who rejected it or let an offer lapse.
        self._offers: dict[str, tuple[str, datetime]] = {}
        self._declined: dict[str, set[str]] = {}
        self._sla = SlaIndex(policy, self._lookup)

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self._tickets)

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._tickets

    def __repr__(self) -> str:
        return f"Desk({len(self._tickets)} tickets, {len(self._pool)} agents)"

    @property
    def now(self) -> datetime:
        """The latest instant the desk has seen."""
        return self._now

    def ticket(self, ticket_id: str) -> Ticket:
        """Return the ticket as the desk holds it (with the assignments it made).

        Raises:
            UnknownFieldError: If the desk has no such ticket.
        """
        with self._lock:
            return self._ticket(ticket_id)

    def _ticket(self, ticket_id: str) -> Ticket:
        try:
            return self._tickets[ticket_id]
        except KeyError:
            raise UnknownFieldError(f"Desk has no ticket {ticket_id!r}") from None

    def _lookup(self, ticket_id: str) -> tuple[Ticket, Customer | None]:
        ticket = self._tickets[ticket_id]
        return ticket, self._customers.get(ticket.customer_id)

    @property
    def tickets(self) -> tuple[str, ...]:
        """The ids of every ticket the desk holds, sorted."""
        with self._lock:
            return tuple(sorted(self._tickets))

    @property
    def waiting(self) -> tuple[str, ...]:
        """The ids of the open tickets no agent could take yet, in queue order."""
        with self._lock:
            return tuple(
                tid for _, tid in sorted((k, t) for q in self._queue.values() for k, t in q)
            )

    @property
    def reservations(self) -> FrozenDict[str, str]:
        """Ticket id to the agent whose capacity it holds (an open ticket is reserved, waiting,
        or assigned outside the desk to an agent without room: see :attr:`kept`)."""
        with self._lock:
            return FrozenDict({t: a for t, (a, _) in sorted(self._held.items())})

    @property
    def kept(self) -> FrozenDict[str, str]:
        """Tickets assigned outside the desk to an agent without room, kept with that agent
        without a reservation until their assignment or status changes."""
        with self._lock:
            return FrozenDict(dict(sorted(self._kept.items())))

    @property
    def loads(self) -> FrozenDict[str, FrozenDict[Channel, int]]:
        """Agent id to the pieces of work it holds per channel (like ``AgentPool.channel_loads``)."""
        with self._lock:
            return self._pool.channel_loads

    @property
    def agents(self) -> tuple[Agent, ...]:
        """Every agent with its current load and status, by id."""
        with self._lock:
            return self._pool.agents

    @property
    def state(self) -> RoutingState:
        """The strategies' memory (round-robin rotations, plugin states)."""
        return self._state

    def due_within(
        self, window: timedelta, *, now: datetime | None = None
    ) -> tuple[SlaResult, ...]:
        """Return the running clocks due in ``[now, now + window]``, earliest first.

        The answer equals evaluating every ticket's clocks at ``now`` with
        :meth:`cs8.sla.SlaPolicy.evaluate` and keeping the ``ACTIVE`` ones due in the window
        (ties by ticket id, then metric), but reads the desk's index: its cost grows with the
        answer, not with the backlog. A ticket created after ``now`` (clock skew) counts as at
        its creation.
        """
        with self._lock:
            at = self._now if now is None else as_stdlib(require_aware(now, "Desk.due_within(now)"))
            return self._sla.due_within(window, at)

    def next_wakeup(self) -> datetime | None:
        """Return the earliest due, warning or escalation instant of any clock (``None``: none).

        A service sleeps until then (or until the next event) and calls :meth:`alarms`.
        """
        with self._lock:
            wake = self._sla.next_wakeup()
            lapse = min((at for _, at in self._offers.values()), default=None)
            if lapse is not None and (wake is None or lapse < wake):
                return lapse
            return wake

    def alarms(self, *, now: datetime | None = None) -> tuple[DeskAlarm, ...]:
        """Return the warnings, breaches and escalations passed by ``now`` not returned before.

        Each alarm is returned once (the desk remembers what it returned, in its snapshot too):
        a warning when a clock passes another of its warning thresholds, a breach when it passes
        its target, an escalation when it reaches a higher level. Ordered by instant.
        """
        with self._lock:
            at = self._clock(now, self._now)
            out: list[DeskAlarm] = []
            for ticket_id in self._sla.woken(at):
                ticket, customer = self._lookup(ticket_id)
                self._sla.update(ticket, customer, at)
                for result in self._sla.results(ticket_id):
                    out.extend(self._new_alarms(result))
            out.sort(key=lambda a: (a.at, a.ticket_id, a.metric.value, a.kind.value))
            return tuple(out)

    def _new_alarms(self, result: SlaResult) -> list[DeskAlarm]:
        key = (result.ticket_id, result.metric.value, result.started_at)
        warnings, breached, escalation = self._emitted.get(key, (0, False, None))
        out = []
        if result.warnings_passed > warnings and result.warned_at is not None:
            out.append(self._alarm(result, AlarmKind.WARNING, result.warned_at))
            out[-1] = attrs.evolve(out[-1], level=str(result.warnings_passed))
        if result.breached_at is not None and not breached:
            out.append(self._alarm(result, AlarmKind.BREACH, result.breached_at))
        if result.escalation is not None and result.escalation != escalation:
            assert result.escalated_at is not None
            out.append(self._alarm(result, AlarmKind.ESCALATION, result.escalated_at))
            out[-1] = attrs.evolve(out[-1], level=result.escalation)
        if out:
            self._emitted[key] = (
                max(warnings, result.warnings_passed),
                breached or result.breached_at is not None,
                result.escalation or escalation,
            )
        return out

    @staticmethod
    def _alarm(result: SlaResult, kind: AlarmKind, at: datetime) -> DeskAlarm:
        return DeskAlarm(
            ticket_id=result.ticket_id,
            metric=result.metric,
            kind=kind,
            at=at,
            level=None,
            result=result,
        )

    # ------------------------------------------------------------------ events

    def _clock(self, now: datetime | None, at: datetime) -> datetime:
        """The instant a change happens: ``now`` if given, else the later of the desk's clock
        and ``at``; the desk's clock moves forward to it."""
        moment: datetime
        if now is None:
            moment = max(self._now, as_stdlib(at))
        else:
            moment = as_stdlib(require_aware(now, "Desk(now)"))
        if moment > self._now:
            self._now = moment
        return moment

    def open(
        self, ticket: Ticket, *, customer: Customer | None = None, now: datetime | None = None
    ) -> RoutingDecision:
        """Add ``ticket``, route it and reserve the chosen agent's capacity, in one step.

        A ticket already open on the desk (a webhook delivered twice) is not added again: its
        last decision is returned. A ticket that arrives assigned keeps its agent (capacity
        reserved when the agent has room); a solved or closed one is only kept.

        Args:
            ticket: The new ticket.
            customer: Its requester (for segment SLA targets and ``customer.*`` rules).
            now: The decision instant (default: the desk's clock, or the ticket's creation if
                later).

        Returns:
            The routing decision; ``agent_id`` is ``None`` when the ticket waits.
        """
        if not isinstance(ticket, Ticket):
            raise InvalidValueError(f"Desk.open takes a Ticket, got {ticket!r}")
        with self._lock:
            known = self._decisions.get(ticket.id)
            if ticket.id in self._tickets:
                return known if known is not None else self._kept_decision(self._tickets[ticket.id])
            at = self._clock(now, ticket.created_at)
            if customer is not None:
                self._customers[customer.id] = customer
            self._tickets[ticket.id] = ticket
            self._seen[ticket.id] = {e.id for e in ticket.events if e.id is not None}
            self._sla.update(ticket, customer, at)
            decision = self._settle(ticket.id, at, outside=ticket.assignee is not None)
            self._offer(at)
            return (
                decision if decision is not None else self._kept_decision(self._tickets[ticket.id])
            )

    def _kept_decision(self, ticket: Ticket) -> RoutingDecision:
        """A decision for a ticket the desk did not route (it came assigned, or is done)."""
        held = self._held.get(ticket.id)
        agent = ticket.assignee if ticket.is_open else None
        line = (
            f"kept: assigned to {agent} outside the desk"
            + ("" if held is not None or agent is None else " (no capacity reserved)")
            if agent is not None
            else f"kept: the ticket is {ticket.status.value}"
        )
        return RoutingDecision(
            ticket_id=ticket.id,
            agent_id=agent,
            queue=None,
            priority=ticket.current_priority,
            trace=(line,),
            state=self._state,
        )

    def record(self, ticket_id: str, event: TicketEvent, *, now: datetime | None = None) -> None:
        """Add ``event`` to ticket ``ticket_id``, in time order, and bring everything in step.

        Raises:
            UnknownFieldError: If the desk has no such ticket.
            EventOrderError: If the event is more than ``max_skew`` before the ticket's creation.
        """
        with self._lock:
            ticket = self._ticket(ticket_id)
            if event.id is not None:
                seen = self._seen.setdefault(ticket_id, set())
                if event.id in seen:
                    return
            if event.at < ticket.created_at:
                if ticket.created_at - event.at > self.max_skew:
                    raise EventOrderError(
                        f"Desk.record: event {event.id or type(event).__name__} at "
                        f"{event.at.isoformat()} is more than max_skew ({self.max_skew}) before "
                        f"ticket {ticket_id!r} was created ({ticket.created_at.isoformat()})"
                    )
                event = attrs.evolve(event, at=ticket.created_at)
            if event.id is not None:
                seen.add(event.id)
            at = self._clock(now, event.at)
            changed = _insert(ticket, event)
            self._tickets[ticket_id] = changed
            self._sla.update(changed, self._customers.get(changed.customer_id), at)
            outside = isinstance(event, Assignment) and changed.assignee != ticket.assignee
            self._settle(ticket_id, at, outside=outside)
            self._offer(at)

    def forget(self, ticket_id: str) -> Ticket:
        """Drop a solved or closed ticket from the desk (a long-running service archives them)
        and return it; its event ids are forgotten too, so a late duplicate would reopen
        nothing but raise :class:`~cs8.UnknownFieldError`.

        Raises:
            UnknownFieldError: If the desk has no such ticket.
            InvalidValueError: If the ticket is still open.
        """
        with self._lock:
            ticket = self._ticket(ticket_id)
            if ticket.is_open:
                raise InvalidValueError(
                    f"Desk.forget: ticket {ticket_id!r} is {ticket.status.value}; only a solved "
                    "or closed ticket can be forgotten"
                )
            del self._tickets[ticket_id]
            self._seen.pop(ticket_id, None)
            self._decisions.pop(ticket_id, None)
            self._declined.pop(ticket_id, None)
            self._sla.drop(ticket_id)
            for key in [k for k in self._emitted if k[0] == ticket_id]:
                del self._emitted[key]
            return ticket

    # ------------------------------------------------------------------ keeping in step

    def _settle(self, ticket_id: str, now: datetime, *, outside: bool) -> RoutingDecision | None:
        """Make the reservation of ``ticket_id`` follow the ticket; route it when it needs an
        agent. ``outside``: this change assigned the ticket (an assignment made outside the
        desk). Returns the decision when the ticket was routed."""
        ticket = self._tickets[ticket_id]
        held = self._held.get(ticket_id)
        agent = ticket.assignee
        if not ticket.is_open or agent != self._kept.get(ticket_id, agent):
            self._kept.pop(ticket_id, None)
        if ticket_id in self._offers:
            if ticket.is_open and not outside:
                return None  # still offered: the reservation stays until an answer
            del self._offers[ticket_id]
        if not ticket.is_open:
            self._unqueue(ticket_id)
            if held is not None:
                self._release(ticket_id)
            return None
        channel = ticket.channel
        if held is not None:
            if held == (agent, channel):
                return None
            self._release(ticket_id)
        if ticket_id in self._kept:
            return None
        pool = self._pool
        if agent is not None and agent in pool:
            if pool.status(agent) is AgentStatus.ONLINE and pool.can_take(agent, channel):
                pool.assign(agent, channel, at=now)
                self._held[ticket_id] = (agent, channel)
                self._unqueue(ticket_id)
                return None
            if outside:  # assigned outside the desk to an agent without room: kept so
                self._kept[ticket_id] = agent
                self._unqueue(ticket_id)
                return None
        return self._route(ticket_id, now)

    def _route(self, ticket_id: str, now: datetime) -> RoutingDecision:
        ticket = self._tickets[ticket_id]
        pool = self._pool
        # Agents who declined this ticket sit out its routing (busy for the moment).
        declined = self._declined.get(ticket_id, ())
        skipped = [a for a in declined if a in pool and pool.status(a) is AgentStatus.ONLINE]
        for agent_id in skipped:
            pool.set_status(agent_id, AgentStatus.BUSY)
        try:
            decision = self.router.route(
                ticket,
                pool,
                now=now,
                customer=self._customers.get(ticket.customer_id),
                sla=self._sla.results(ticket_id),
                state=self._state,
                planner=self._planner,
            )
        finally:
            for agent_id in skipped:
                pool.set_status(agent_id, AgentStatus.ONLINE)
        self._state = decision.state
        self._decisions[ticket_id] = decision
        agent = decision.agent_id
        if agent is None:
            self._declined.pop(ticket_id, None)  # everyone declined: next time, all again
            self._enqueue(ticket_id, decision)
            return decision
        pool.assign(agent, ticket.channel, at=now)
        self._held[ticket_id] = (agent, ticket.channel)
        self._unqueue(ticket_id)
        if self.offer_timeout is not None:
            self._offers[ticket_id] = (agent, now + self.offer_timeout)
            return decision
        if ticket.assignee != agent:
            stamp = max(now, ticket.created_at)  # a creation a few seconds ahead (clock skew)
            self._tickets[ticket_id] = _insert(ticket, Assignment(at=stamp, agent_id=agent))
        return decision

    def _release(self, ticket_id: str) -> None:
        agent, channel = self._held.pop(ticket_id)
        if agent in self._pool:
            self._pool.release(agent, channel)
            self._freed[agent] = None

    def _enqueue(self, ticket_id: str, decision: RoutingDecision) -> None:
        self._unqueue(ticket_id)
        ticket = self._tickets[ticket_id]
        due = [
            r.due_at
            for r in self._sla.results(ticket_id)
            if r.state is SlaState.ACTIVE and r.due_at is not None
        ]
        key = queue_key(ticket, priority=decision.priority, due_at=min(due, default=None))
        insort(self._queue.setdefault(ticket.channel, []), (key, ticket_id))
        self._queued[ticket_id] = (ticket.channel, key)

    def _unqueue(self, ticket_id: str) -> None:
        found = self._queued.pop(ticket_id, None)
        if found is not None:
            channel, key = found
            queue = self._queue[channel]
            del queue[bisect_left(queue, (key, ticket_id))]

    def _offer(self, now: datetime) -> None:
        """Offer the waiting tickets, in queue order, to the agents whose capacity freed."""
        while self._freed:
            freed = sorted(self._freed)
            self._freed = {}
            for agent_id in freed:
                if not self._queued:  # nothing waits
                    return
                if agent_id not in self._pool:
                    continue
                for channel in sorted(self._queue, key=lambda c: c.value):
                    if self._queue[channel] and self._pool.can_take(agent_id, channel):
                        self._offer_channel(agent_id, channel, now)

    def _offer_channel(self, agent_id: str, channel: Channel, now: datetime) -> None:
        queue = self._queue.get(channel)
        place = 0
        pool = self._pool
        while (
            queue
            and place < len(queue)
            and pool.status(agent_id) is AgentStatus.ONLINE
            and pool.can_take(agent_id, channel)
        ):
            ticket_id = queue[place][1]
            if self._route(ticket_id, now).agent_id is None:
                place += 1  # this one waits on (it needs what the agent lacks)

    # ------------------------------------------------------------------ offers

    @property
    def offers(self) -> FrozenDict[str, str]:
        """Offers mode: ticket id to the agent it is offered to, waiting for an answer."""
        with self._lock:
            return FrozenDict({t: a for t, (a, _) in sorted(self._offers.items())})

    def _offer_of(self, ticket_id: str, agent_id: str) -> None:
        found = self._offers.get(ticket_id)
        if found is None or found[0] != agent_id:
            raise InvalidValueError(
                f"Desk: ticket {ticket_id!r} is not offered to agent {agent_id!r} "
                f"(offered to {None if found is None else found[0]!r})"
            )

    def accept(self, ticket_id: str, agent_id: str, *, now: datetime | None = None) -> None:
        """The agent takes the ticket offered to it: the ticket is assigned to the agent.

        Raises:
            InvalidValueError: If the ticket is not offered to that agent (any more).
        """
        with self._lock:
            self._offer_of(ticket_id, agent_id)
            ticket = self._ticket(ticket_id)
            at = self._clock(now, self._now)
            del self._offers[ticket_id]
            self._declined.pop(ticket_id, None)
            stamp = max(at, ticket.created_at)
            self._tickets[ticket_id] = _insert(ticket, Assignment(at=stamp, agent_id=agent_id))

    def reject(self, ticket_id: str, agent_id: str, *, now: datetime | None = None) -> None:
        """The agent declines the ticket offered to it: the ticket is offered to the next agent
        (or waits), and the agent's capacity is offered to the waiting tickets.

        Raises:
            InvalidValueError: If the ticket is not offered to that agent (any more).
        """
        with self._lock:
            self._offer_of(ticket_id, agent_id)
            at = self._clock(now, self._now)
            self._decline(ticket_id, agent_id, at)
            self._offer(at)

    def _decline(self, ticket_id: str, agent_id: str, now: datetime) -> None:
        del self._offers[ticket_id]
        self._release(ticket_id)
        self._declined.setdefault(ticket_id, set()).add(agent_id)
        self._route(ticket_id, now)

    def expire_offers(self, *, now: datetime | None = None) -> tuple[str, ...]:
        """Move every offer not answered by its timeout to the next agent, as :meth:`reject`
        does; return the tickets moved, in the order their offers lapsed."""
        with self._lock:
            at = self._clock(now, self._now)
            lapsed = sorted((when, t, a) for t, (a, when) in self._offers.items() if when <= at)
            for _, ticket_id, agent_id in lapsed:
                if self._offers.get(ticket_id, (None,))[0] == agent_id:
                    self._decline(ticket_id, agent_id, at)
            self._offer(at)
            return tuple(t for _, t, _ in lapsed)

    # ------------------------------------------------------------------ roster

    def set_agent(self, agent: Agent, *, now: datetime | None = None) -> None:
        """Add ``agent`` or change the agent with its id (status, skills, channels, capacity).

        A changed agent keeps the tickets reserved on it; the waiting backlog is offered to it.
        """
        with self._lock:
            at = self._clock(now, self._now)
            self._pool.set_agent(agent)
            self._freed[agent.id] = None
            self._offer(at)

    def remove_agent(self, agent_id: str, *, now: datetime | None = None) -> None:
        """Remove ``agent_id``; its open tickets are unassigned and routed again in queue order.

        Raises:
            UnknownFieldError: If there is no such agent.
        """
        with self._lock:
            at = self._clock(now, self._now)
            self._pool.remove_agent(agent_id)
            orphans = sorted(t for t, (a, _) in self._held.items() if a == agent_id)
            for ticket_id in orphans:
                del self._held[ticket_id]
                ticket = self._tickets[ticket_id]
                unassigned = Assignment(at=max(at, ticket.created_at), agent_id=None)
                self._tickets[ticket_id] = _insert(ticket, unassigned)
            for ticket_id in sorted(orphans, key=lambda t: queue_key(self._tickets[t])):
                self._route(ticket_id, at)
            self._offer(at)

    # ------------------------------------------------------------------ persistence

    def snapshot(self) -> dict[str, Any]:
        """Return the desk as JSON-ready data (see :mod:`cs8.desk` for the format).

        The policy and the router are configuration, not state: they are passed again to
        :meth:`restore` (:mod:`cs8.serialization` writes them when they are to be stored too).
        """
        from cs8.desk._snapshot import snapshot_data

        with self._lock:
            return snapshot_data(self)

    @classmethod
    def restore(
        cls,
        snapshot: Mapping[str, Any],
        *,
        policy: SlaPolicy,
        router: Router,
        max_skew: timedelta = timedelta(minutes=1),
        offer_timeout: timedelta | None = None,
    ) -> Desk:
        """Rebuild a desk from :meth:`snapshot` data; it answers and changes as the original.

        Raises:
            SerializationError: If the data is not a desk snapshot.
        """
        from cs8.desk._snapshot import restore_desk

        return restore_desk(
            cls,
            snapshot,
            policy=policy,
            router=router,
            max_skew=max_skew,
            offer_timeout=offer_timeout,
        )
