"""Serving a backlog through routing profiles (Amazon Connect's per-queue priority and delay).

:meth:`cs8.routing.Router.assign` hands a backlog here when its rule set has profiles. The
rules plan every ticket as on the normal path (queue, priority, skills, languages, agent
filters, ``order_by``, preferred agents, strategy, escalation and ``skip_if``); the profiles
decide which ticket each agent takes next, and the router's own choice (the same code as
without profiles) decides which of the agents that would take a ticket gets it:

* An agent works the profile that lists its id, else the one that lists its team; an agent in
  no profile, or not ``ONLINE``, takes nothing (``away_fallback`` does not apply).
* A ticket is in the queue its plan puts it in at ``now``, since the instant it entered that
  queue (:func:`queue_entry`: the escalation step that moved it there, else its creation, or
  the caller's ``queued_at``); its time in the queue is counted from that instant.
* An agent's next ticket: from its profile's lowest-numbered priority that has one it may take,
  the ticket longest in its queue (then the smaller id) that has been there at least that
  queue's delay in the profile and that the agent may take (spare capacity and channel weights,
  skills, languages, the plan's agent filters).
* Agents act in rounds, longest idle first (``last_assigned_at`` at the call's start,
  never-assigned first, then id). In its turn an agent's next ticket goes to one of the agents
  still to act in the round whose next ticket it also is (its claimants), chosen as the router
  chooses among eligible agents: preferred (or a reopened ticket's previous) agents first,
  ``order_by``, then the strategy the plan names; with none named, the agent whose turn it is
  (:data:`PROFILE_ORDER`: Connect's "longest idle" default). A strategy plugin that fails on the
  ticket is named in the trace and the profile order decides. An agent takes at most one
  ticket per round; an agent with no next ticket in its turn is done.
* Decisions come in the order tickets were taken, then the waiting tickets (longest in their
  queue first).

Cost: each agent's next ticket is remembered until that ticket is decided or the agent takes
one; whether the pool lets an agent take a group of alike tickets is asked once per load; and
agents of one profile to which the pool gives the same answers share one search. When the plan
leaves nothing to choose (no strategy named, no preferred or previous agent, no ``order_by``)
the agent whose turn it is takes the ticket without the other claimants being found;
otherwise the agents whose remembered next ticket was just decided look again, and the
strategy ranks every claimant (measured: 5,000 tickets over 1,000 agents in four profiles that
all list every queue, 0.3 s of CPU with nothing to choose, 1.4 s with ``least_busy`` named on
every rule, where some 250 agents claim each ticket).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from cs8._enums import AgentStatus
from cs8._models import Agent, Customer, Ticket
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError
from cs8.routing._context import RoutingContext, fast_context
from cs8.routing._decision import AssignmentResult, RoutingDecision, _assignment, _planned_decision
from cs8.routing._handoff import HandoffContext
from cs8.routing._plan import _narrowed, _Plan, _plan_of, _Prepared, _previous_agent
from cs8.routing._pool import AgentPool, Need
from cs8.routing._priority import BusinessClock
from cs8.routing._profiles import ProfileQueue, RoutingProfile
from cs8.routing._rules import RuleSet
from cs8.routing._strategies import KeyStrategy, LeastBusy, RoutingState

__all__ = ["PROFILE_ORDER", "assign_by_profile", "queue_entry"]

PROFILE_ORDER = "profile_rounds"
"""The name, in traces, of the choice among a ticket's claimants when its plan names no
strategy: the agent whose turn it is in the round (longest idle at the call's start)."""


_ONLINE = AgentStatus.ONLINE
_NAMED = 3  # claimants named in a trace line (then how many more)
_ANY = LeastBusy()  # any strategy: whether the pool gives an agent at all is the question


class _Decide(Protocol):
    """The router's choice among ``among`` (``Router._decide``)."""

    def __call__(
        self,
        ctx: RoutingContext,
        plan: _Plan,
        pool: AgentPool,
        state: RoutingState,
        handoff: HandoffContext | None,
        among: tuple[str, ...] | None = None,
    ) -> RoutingDecision: ...


class _Fallback(Protocol):
    """The router's decision when a strategy plugin failed (``Router._fallback``)."""

    def __call__(
        self,
        ctx: RoutingContext,
        plan: _Plan,
        pool: AgentPool,
        state: RoutingState,
        handoff: HandoffContext | None,
        error: Exception,
        among: tuple[str, ...] | None = None,
        order: KeyStrategy | None = None,
    ) -> RoutingDecision: ...


def profile_of(rules: RuleSet, agent: Agent) -> RoutingProfile | None:
    """The profile ``agent`` works: the one listing its id, else the one listing its team."""
    for profile in rules.profiles:
        if agent.id in profile.agents:
            return profile
    if agent.team is not None:
        for profile in rules.profiles:
            if agent.team in profile.teams:
                return profile
    return None


def queue_entry(
    ticket: Ticket, plan: _Plan, calendar: BusinessClock | None
) -> tuple[datetime, str]:
    """When ``ticket``, planned as ``plan``, entered the queue the plan puts it in, and why.

    The entry is the last escalation step in force that moved the ticket to another queue than
    the one it was in (the plan records it: a step restating the queue in force moves nothing),
    at its instant: its ``after`` from the ticket's creation, in business time through
    ``calendar.add_business_time`` for a ``business_hours`` step; a step that applies because
    the one before it was skipped (``skip_if``) moves the ticket at the skipped step's instant.
    Without one the ticket has been in its queue since its creation. A ``business_hours`` step
    whose clock cannot place an instant (no ``add_business_time``) counts from the creation, and
    the reason says so.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Ticket
        >>> from cs8.routing import Router, load_rules
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> router = Router(rules=load_rules({"default": {"queue": "l1", "escalation": [
        ...     {"after": "PT10M", "queue": "l2"}, {"after": "PT20M", "queue": "l2"}]}}))
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
        >>> _, plan = router.planner().context_and_plan(
        ...     ticket, t0 + timedelta(minutes=22), None, None)
        >>> queue_entry(ticket, plan, None)
        (datetime.datetime(2026, 3, 2, 9, 10, tzinfo=datetime.timezone.utc), 'escalation step 1')
    """
    created = ticket.created_at
    moved, timed = plan[0].entry
    if not moved:
        return created, "created"
    step = plan[0].actions.escalation[timed - 1]
    reason = f"escalation step {moved}"
    if timed != moved:
        reason = f"{reason} (applied at once when skip_if skipped step {timed})"
    if not step.business_hours or calendar is None:
        return created + step.after, reason
    add = getattr(calendar, "add_business_time", None)
    if callable(add):
        return add(created, step.after), f"{reason} (business time)"
    return created, f"{reason}: the calendar cannot place it; counted from creation"


def assign_by_profile(
    rules: RuleSet,
    tickets: list[Ticket],
    customers: list[Customer | None],
    contexts: list[RoutingContext | None],
    plans: list[_Plan],
    pool: AgentPool,
    now: datetime,
    timezone: tzinfo,
    calendar: BusinessClock | None,
    state: RoutingState,
    handoffs: Mapping[str, HandoffContext] | None,
    queued_at: Mapping[str, datetime] | None,
    *,
    decide: _Decide,
    fallback: _Fallback,
    skipped: Callable[[RoutingContext, _Plan, AgentPool], _Plan],
) -> AssignmentResult:
    """Serve ``tickets`` (planned as ``plans``) by the profiles of ``rules`` on ``pool`` (a copy
    this call owns), choosing among claimants with the router's ``decide`` (``fallback`` when a
    plugin fails; ``skipped`` applies ``skip_if`` steps), and return the result as
    :meth:`Router.assign` does."""
    ids = [ticket.id for ticket in tickets]
    online = [
        (agent, profile)
        for agent in sorted(pool.agents, key=_idle_order)
        if pool.status(agent.id) is AgentStatus.ONLINE
        and (profile := profile_of(rules, agent)) is not None
    ]
    rank = {agent.id: i for i, (agent, _) in enumerate(online)}
    by_agent = {agent.id: (agent, profile) for agent, profile in online}
    order = KeyStrategy(name=PROFILE_ORDER, key=lambda agent: rank[agent.id])
    # Every ticket's context and plan as the profiles serve it: skip_if steps applied once, on
    # the pool at the call's start (its queue is fixed for the call), and the profile order as
    # the strategy where the plan names none.
    ctxs: list[RoutingContext] = []
    prepared: dict[int, _Prepared] = {}
    for position, ticket in enumerate(tickets):
        ctx = contexts[position] or fast_context(
            ticket, now, customers[position], None, timezone, calendar
        )
        ctxs.append(ctx)
        plan = plans[position]
        if plan[0].origin is not None:
            plan = skipped(ctx, plan, pool)
        prep = plan[0]
        mine = prepared.get(id(prep))
        if mine is None:
            strategy = prep.strategy if prep.actions.strategy is not None else order
            mine = prepared[id(prep)] = _Prepared(prep.actions, strategy)
            mine.entry = prep.entry
        plans[position] = _plan_of(mine, plan[1], plan[2], plan[3], plan[4], plan[5])
    entries = [_entry(tickets[p], plans[p], calendar, queued_at, now) for p in range(len(ids))]
    waited = [now - entered for entered, _ in entries]
    groups = _groups(tickets, plans, waited, ids)
    of_profile = {profile.name: profile.tiers() for profile in rules.profiles}  # one per profile
    tiers = {agent.id: of_profile[profile.name] for agent, profile in online}
    served = _Serving(groups, waited, ids, ctxs, pool, tiers)
    taken: dict[int, RoutingDecision] = {}
    current = state
    working = [agent.id for agent, _ in online]
    while working:
        acted: set[str] = set()
        for agent_id in working:
            while agent_id not in acted:
                found = served.next_for(agent_id)
                if found is None:
                    break  # nothing for this agent now: it is done
                position = found[0]
                ticket = tickets[position]
                plan = plans[position]
                claimants: tuple[str, ...] = (agent_id,)
                if plan[0].strategy is not order or _may_prefer(plan[0], ticket):
                    # The agents still to act whose next ticket it is, in turn order (the agent
                    # whose turn it is first: the agents before it have acted or are done).
                    # Without a choice to make the agent whose turn it is takes it, so the
                    # others need not be asked.
                    claimants = served.claimants(position, acted, rank)
                line = _claim_line(by_agent, plan, position, entries, waited, claimants)
                plan = _plan_of(plan[0], (*plan[1], line), plan[2], plan[3], plan[4], plan[5])
                handoff = handoffs.get(ticket.customer_id) if handoffs else None
                ctx = ctxs[position]
                try:
                    decision = decide(ctx, plan, pool, current, handoff, claimants)
                except Exception as error:  # a strategy plugin's: the profile order decides
                    decision = fallback(
                        ctx, plan, pool, current, handoff, error, claimants, order
                    )  # fmt: skip
                current = decision.state
                taken[position] = decision
                served.gone(position)
                taker = decision.agent_id
                if taker is None:
                    continue  # the strategy left it queued: it waits; this agent looks again
                pool.assign(taker, ticket.channel, now)
                served.loaded(taker)
                acted.add(taker)
        working = [a for a in working if a in acted]
    rows = [taken[p] for p in taken if taken[p].agent_id is not None]
    later = [p for p in range(len(ids)) if p not in taken or taken[p].agent_id is None]
    later.sort(key=lambda p: (-waited[p], ids[p]))
    basis = (now, timezone, calendar)
    for position in later:
        if position in taken:  # a strategy left it queued: its decision says so
            rows.append(taken[position])
            continue
        ticket = tickets[position]
        plan = plans[position]
        handoff = handoffs.get(ticket.customer_id) if handoffs else None
        line = _waiting_line(rules, plan[0].actions.queue, entries[position], waited[position])
        decision = _planned_decision(
            plan, ids[position], None, None, ctxs[position], handoff, current,
            (*plan[1], line), -1, ticket, customers[position], basis,
        )  # fmt: skip
        rows.append(decision)
    return _assignment(tuple(rows), pool.loads, current)


def _entry(
    ticket: Ticket,
    plan: _Plan,
    calendar: BusinessClock | None,
    queued_at: Mapping[str, datetime] | None,
    now: datetime,
) -> tuple[datetime, str]:
    """When the ticket entered its queue: the caller's ``queued_at``, else :func:`queue_entry`."""
    given = queued_at.get(ticket.id) if queued_at else None
    if given is None:
        return queue_entry(ticket, plan, calendar)
    given = require_aware(given, f"Router.assign(queued_at[{ticket.id!r}])")
    where = f"Router.assign: queued_at[{ticket.id!r}]"
    if given > now:
        raise InvalidValueError(f"{where} is {given.isoformat()}, after now ({now.isoformat()})")
    if given < ticket.created_at:
        raise InvalidValueError(
            f"{where} is {given.isoformat()}, before the ticket was created "
            f"({ticket.created_at.isoformat()})"
        )
    return given, "queued_at given"


class _Group:
    """Tickets of one queue that need the same of an agent (and, with agent filters, come from
    the same actions), longest in the queue first, and where the first not yet decided may be
    (internal, owned by one call: changed as tickets are decided)."""

    __slots__ = ("actions", "head", "need", "positions")

    def __init__(self, need: Need, prep: _Prepared) -> None:
        self.need = need
        self.actions = prep.actions if prep.actions.agent_filters else None
        self.positions: list[int] = []
        self.head = 0


def _groups(
    tickets: list[Ticket], plans: list[_Plan], waited: list[timedelta], ids: list[str]
) -> dict[str, tuple[_Group, ...]]:
    """Per queue, its tickets grouped by what they need of an agent (channel, skills,
    languages, the actions when they have agent filters), each group longest in the queue
    first: whether an agent may take a group's tickets is one question to the pool."""
    groups: dict[str, dict[tuple[object, ...], _Group]] = {}
    for position, plan in enumerate(plans):
        prep = plan[0]
        queue = prep.actions.queue
        if queue is None:
            continue
        channel = tickets[position].channel
        need = prep.needs.get(channel) or prep.need(channel)
        filters = id(prep.actions) if prep.actions.agent_filters else None
        key = (need.channel, need.skills, need.languages, filters)
        by_need = groups.setdefault(queue, {})
        group = by_need.get(key)
        if group is None:
            group = by_need[key] = _Group(need, prep)
        group.positions.append(position)
    for by_need in groups.values():
        for group in by_need.values():
            group.positions.sort(key=lambda p: (-waited[p], ids[p]))
    return {queue: tuple(by_need.values()) for queue, by_need in groups.items()}


class _Serving:
    """Which ticket each agent takes next, remembered until that ticket is decided or the agent
    takes one (nothing else changes what an agent may take within a call: tickets are only
    decided, never added). Internal, owned by one call."""

    __slots__ = (
        "alike",
        "ctxs",
        "decided",
        "fits",
        "groups",
        "ids",
        "next",
        "passing",
        "pool",
        "shapes",
        "stale",
        "tiers",
        "waited",
        "wanted",
    )

    def __init__(
        self,
        groups: Mapping[str, tuple[_Group, ...]],
        waited: list[timedelta],
        ids: list[str],
        ctxs: list[RoutingContext],
        pool: AgentPool,
        tiers: Mapping[str, tuple[tuple[ProfileQueue, ...], ...]],
    ) -> None:
        self.groups = groups
        self.waited = waited
        self.ids = ids
        self.ctxs = ctxs
        self.pool = pool
        self.tiers = tiers
        self.decided: set[int] = set()
        self.next: dict[str, tuple[int, ProfileQueue] | None] = {}
        self.stale: set[str] = set(tiers)  # agents whose next ticket is to be found again
        self.wanted: dict[int, set[str]] = {}  # ticket -> agents whose next ticket it is
        # Per agent, per group: whether the pool lets it take the group's tickets, and (for a
        # group with agent filters) the agent as the filters read it. What the pool says of an
        # agent changes only when the agent takes a ticket.
        self.fits: dict[str, dict[int, bool]] = {}
        self.passing: dict[str, dict[int, tuple[Agent, ...]]] = {}
        self.shapes: dict[str, tuple[int, tuple[bool, ...]] | None] = {}
        # Since the last decision: an agent's shape (see _shape) -> the next ticket found.
        self.alike: dict[tuple[int, tuple[bool, ...]], tuple[tuple[int, ProfileQueue] | None]] = {}

    def next_for(self, agent_id: str) -> tuple[int, ProfileQueue] | None:
        """The ticket ``agent_id`` takes next, and the profile queue it takes it from."""
        if agent_id in self.stale:
            self.stale.discard(agent_id)
            shape = self._shape(agent_id)
            known = None if shape is None else self.alike.get(shape)
            if known is None:
                found = self._find(agent_id)
                if shape is not None:
                    self.alike[shape] = (found,)
            else:
                found = known[0]
            self.next[agent_id] = found
            if found is not None:
                self.wanted.setdefault(found[0], set()).add(agent_id)
        return self.next[agent_id]

    def _shape(self, agent_id: str) -> tuple[int, tuple[bool, ...]] | None:
        """The agent's tiers and whether the pool lets it take each group of their queues, or
        ``None`` when a queue has a group with agent filters (the filters read the agent).
        Agents of one shape have the same next ticket: their searches ask the same groups in
        the same order and get the same answers. Remembered until the agent takes a ticket."""
        if agent_id in self.shapes:
            return self.shapes[agent_id]
        shape = self.shapes[agent_id] = self._answers(agent_id)
        return shape

    def _answers(self, agent_id: str) -> tuple[int, tuple[bool, ...]] | None:
        tiers = self.tiers[agent_id]
        fits = self.fits.setdefault(agent_id, {})
        answers = []
        for tier in tiers:
            for entry in tier:
                for group in self.groups.get(entry.queue, ()):
                    if group.actions is not None:
                        return None
                    answers.append(self._fits(agent_id, group, fits))
        return id(tiers), tuple(answers)

    def _fits(self, agent_id: str, group: _Group, fits: dict[int, bool]) -> bool:
        """Whether the pool lets the agent take the group's tickets (asked once per load)."""
        fit = fits.get(id(group))
        if fit is None:  # the pool's index, without building the agent
            chosen = self.pool.choose(group.need, _ANY, _ONLINE, among=(agent_id,))[0]
            fit = fits[id(group)] = chosen is not None
        return fit

    def claimants(self, position: int, acted: set[str], rank: Mapping[str, int]) -> tuple[str, ...]:
        """The agents not in ``acted`` whose next ticket is ``position``, in ``rank`` order
        (every agent whose next ticket is to be found again is asked first)."""
        for agent_id in tuple(self.stale):
            self.next_for(agent_id)
        wanting = (a for a in self.wanted.get(position, ()) if a not in acted)
        return tuple(sorted(wanting, key=rank.__getitem__))

    def gone(self, position: int) -> None:
        """``position`` is decided: the agents that wanted it look again."""
        self.decided.add(position)
        self.stale.update(self.wanted.pop(position, ()))
        self.alike.clear()

    def loaded(self, agent_id: str) -> None:
        """``agent_id`` took a ticket: what it may take changed."""
        found = self.next.get(agent_id)
        if found is not None:
            self.wanted.get(found[0], set()).discard(agent_id)
        self.stale.add(agent_id)
        self.fits.pop(agent_id, None)
        self.passing.pop(agent_id, None)
        self.shapes.pop(agent_id, None)

    def _find(self, agent_id: str) -> tuple[int, ProfileQueue] | None:
        """In the first tier with one, the ticket longest in its queue (then smallest id) past
        its queue's delay that the agent may take. One question to the pool per group of tickets
        with the same needs; with agent filters, one per ticket until one passes."""
        among = (agent_id,)
        waited = self.waited
        ids = self.ids
        decided = self.decided
        pool = self.pool
        fits = self.fits.setdefault(agent_id, {})
        passing = self.passing.setdefault(agent_id, {})
        for tier in self.tiers[agent_id]:
            best: tuple[int, ProfileQueue] | None = None
            best_key: tuple[timedelta, str] | None = None
            for entry in tier:
                delay = timedelta(seconds=entry.delay)
                for group in self.groups.get(entry.queue, ()):
                    positions = group.positions
                    i = group.head
                    while i < len(positions) and positions[i] in decided:
                        i += 1  # the group's decided front: skipped once, not by every agent
                    group.head = i
                    agents: tuple[Agent, ...] | None = None
                    while i < len(positions):
                        position = positions[i]
                        i += 1
                        if position in decided:
                            continue
                        key = (-waited[position], ids[position])
                        if waited[position] < delay or (best_key is not None and key >= best_key):
                            break  # the rest of the group waited less
                        actions = group.actions
                        if actions is None:  # the pool alone decides: one question per group
                            if self._fits(agent_id, group, fits):
                                best, best_key = (position, entry), key
                            break
                        if agents is None:
                            agents = passing.get(id(group))
                            if agents is None:
                                agents = pool.eligible(group.need, _ONLINE, among=among)
                                passing[id(group)] = agents
                            if not agents:
                                break
                        if _narrowed(actions, self.ctxs[position], agents):
                            best, best_key = (position, entry), key
                            break
                        # an agent filter refused it: the group's next ticket may pass
            if best is not None:
                return best
        return None


def _may_prefer(prep: _Prepared, ticket: Ticket) -> bool:
    """Whether the plan may give a ticket to another of its claimants than the agent whose turn
    it is, with the profile order as its strategy: preferred agents, a reopened ticket's
    previous agent, or ``order_by``."""
    actions = prep.actions
    return bool(actions.preferred_agents or actions.order_by or _previous_agent(ticket))


def _idle_order(agent: Agent) -> tuple[int, float, str]:
    last = agent.last_assigned_at
    return (0, 0.0, agent.id) if last is None else (1, last.timestamp(), agent.id)


def _why(agent: Agent, profile: RoutingProfile) -> str:
    return f"agent {agent.id}" if agent.id in profile.agents else f"team {agent.team}"


def _seconds(value: timedelta) -> str:
    seconds = value.total_seconds()
    return str(int(seconds)) if seconds.is_integer() else f"{seconds:.3f}".rstrip("0")


def _since(entry: tuple[datetime, str], waited: timedelta) -> str:
    return f"since {entry[0].isoformat()} ({entry[1]}), {_seconds(waited)} s"


def _claim_line(
    profiles: Mapping[str, tuple[Agent, RoutingProfile]],
    plan: _Plan,
    position: int,
    entries: list[tuple[datetime, str]],
    waited: list[timedelta],
    claimants: tuple[str, ...],
) -> str:
    """Why these agents may take the ticket: its queue and time in it, and the first
    claimants' profiles with that queue's priority and delay (then how many more)."""
    queue = plan[0].actions.queue
    parts = []
    for agent_id in claimants[:_NAMED]:
        agent, profile = profiles[agent_id]
        entry = next(q for q in profile.queues if q.queue == queue)
        parts.append(
            f"{agent_id} (profile {profile.name!r} ({_why(agent, profile)}): priority "
            f"{entry.priority}, delay {entry.delay} s)"
        )
    more = len(claimants) - _NAMED
    return (
        f"routing profiles: in queue {queue!r} {_since(entries[position], waited[position])}; "
        f"the next ticket of {', '.join(parts)}{f' and {more} more agents' if more > 0 else ''}"
    )


def _waiting_line(
    rules: RuleSet, queue: str | None, entry: tuple[datetime, str], waited: timedelta
) -> str:
    """Why a ticket waits: its queue is in no profile, or what each profile's delay is."""
    entries = [
        (profile.name, entry)
        for profile in rules.profiles
        for entry in profile.queues
        if entry.queue == queue
    ]
    since = _since(entry, waited)
    if not entries:
        return f"routing profiles: queue {queue or 'default'} is in no profile; waiting ({since})"
    parts = ", ".join(
        f"{name!r} (priority {entry.priority}, delay {entry.delay} s)" for name, entry in entries
    )
    return (
        f"routing profiles: no agent took it from queue {queue!r} ({since}; in profiles "
        f"{parts}); waiting"
    )
