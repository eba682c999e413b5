"""Serving a backlog through routing profiles (Amazon Connect's per-queue priority and delay).

:meth:`cs8.routing.Router.assign` hands a backlog here when its rule set has profiles. The
rules still plan every ticket (queue, priority, skills, languages, escalation); the profiles,
not the strategies, then decide which agent takes which ticket:

* An agent works the profile that lists its id, else the one that lists its team; an agent in
  no profile, or not ``ONLINE``, takes nothing.
* Agents take one ticket at a time, in rounds; in each round the agents still taking work go
  longest idle first (``last_assigned_at`` at the call's start, never-assigned first, then id).
  An agent that takes nothing in a round is done (tickets and capacity only run out).
* An agent takes, from its profile's lowest-numbered priority that has a ticket it may take,
  the ticket that waited longest (then the smaller id). A ticket is in the queue its plan puts
  it in at ``now`` (after escalation steps); it may be taken from a profile's queue once it has
  waited, since its creation, at least that queue's delay in the profile; the agent must pass
  the plan's filters for the ticket's channel (capacity, channel weights, skills, languages).
* Strategies, preferred agents, agent filters and ``order_by`` do not apply: the profile's
  order decides. Decisions come in the order tickets were taken, then the waiting tickets
  (longest waiting first).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo

from cs8._enums import AgentStatus
from cs8._models import Agent, Customer, Ticket
from cs8.routing._context import RoutingContext
from cs8.routing._decision import AssignmentResult, RoutingDecision, _assignment, _planned_decision
from cs8.routing._handoff import HandoffContext
from cs8.routing._plan import _Line, _Plan
from cs8.routing._pool import AgentPool, Need
from cs8.routing._priority import BusinessClock
from cs8.routing._profiles import ProfileQueue, RoutingProfile
from cs8.routing._rules import RuleSet
from cs8.routing._strategies import RoutingState

__all__ = ["assign_by_profile"]


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


def _idle_order(agent: Agent) -> tuple[int, float, str]:
    last = agent.last_assigned_at
    return (0, 0.0, agent.id) if last is None else (1, last.timestamp(), agent.id)


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
) -> AssignmentResult:
    """Serve ``tickets`` (planned as ``plans``) by the profiles of ``rules`` on ``pool`` (a copy
    this call owns), and return the result as :meth:`Router.assign` does."""
    waited = [now - ticket.created_at for ticket in tickets]
    ids = [ticket.id for ticket in tickets]
    # Per queue, its tickets grouped by what they need of an agent (channel, skills,
    # languages), each group longest waiting first: whether an agent may take a group's tickets
    # is one question, and the group's first ticket not taken is its only candidate.
    groups: dict[str, dict[tuple[object, ...], _Group]] = {}
    for position, plan in enumerate(plans):
        prep = plan[0]
        queue = prep.actions.queue
        if queue is None:
            continue
        channel = tickets[position].channel
        need = prep.needs.get(channel) or prep.need(channel)
        key = (need.channel, need.skills, need.languages)
        by_need = groups.setdefault(queue, {})
        group = by_need.get(key)
        if group is None:
            group = by_need[key] = _Group(need)
        group.positions.append(position)
    by_queue = {queue: tuple(by_need.values()) for queue, by_need in groups.items()}
    for queue_groups in by_queue.values():
        for group in queue_groups:
            group.positions.sort(key=lambda p: (-waited[p], ids[p]))
    taken: dict[int, tuple[str, RoutingProfile, ProfileQueue, str]] = {}
    online = [
        (agent, profile)
        for agent in sorted(pool.agents, key=_idle_order)
        if pool.status(agent.id) is AgentStatus.ONLINE
        and (profile := profile_of(rules, agent)) is not None
    ]
    working = [
        (agent.id, profile, profile.tiers(), _why(agent, profile)) for agent, profile in online
    ]
    while working:
        still = []
        for agent_id, profile, tiers, why in working:
            found = _next_ticket(agent_id, tiers, by_queue, taken, waited, ids, pool)
            if found is not None:
                position, entry = found
                taken[position] = (agent_id, profile, entry, why)
                pool.assign(agent_id, tickets[position].channel, now)
                still.append((agent_id, profile, tiers, why))
        working = still
    served = list(taken)  # in the order taken
    waiting = sorted(
        (p for p in range(len(tickets)) if p not in taken), key=lambda p: (-waited[p], ids[p])
    )
    rows: list[RoutingDecision] = []
    basis = (now, timezone, calendar)
    for position in (*served, *waiting):
        ticket = tickets[position]
        plan = plans[position]
        handoff = handoffs.get(ticket.customer_id) if handoffs else None
        if position in taken:
            agent_id, profile, entry, why = taken[position]
            line = (
                f"routing profile {profile.name!r} ({why}): {agent_id} took it from queue "
                f"{entry.queue!r} (priority {entry.priority}, delay {entry.delay} s; waited "
                f"{_seconds(waited[position])} s), the longest waiting ticket it could take in its "
                "highest-priority queue with one"
            )
            chosen: str | None = agent_id
        else:
            chosen = None
            line = _waiting_line(rules, plan[0].actions.queue, waited[position])
        lines: tuple[_Line, ...] = (*plan[1], line)
        # The context is built when first read, from the ticket, customer and basis.
        decision = _planned_decision(
            plan, ids[position], chosen, None, contexts[position], handoff, state, lines,
            -1, ticket, customers[position], basis,
        )  # fmt: skip
        rows.append(decision)
    return _assignment(tuple(rows), pool.loads, state)


class _Group:
    """Tickets of one queue that need the same of an agent, longest waiting first, and where
    the first not taken may be (internal, owned by one call: changed as tickets are taken)."""

    __slots__ = ("head", "need", "positions")

    def __init__(self, need: Need) -> None:
        self.need = need
        self.positions: list[int] = []
        self.head = 0


def _next_ticket(
    agent_id: str,
    tiers: tuple[tuple[ProfileQueue, ...], ...],
    by_queue: Mapping[str, tuple[_Group, ...]],
    taken: Mapping[int, object],
    waited: list[timedelta],
    ids: list[str],
    pool: AgentPool,
) -> tuple[int, ProfileQueue] | None:
    """The ticket ``agent_id`` takes next: in the first tier with one it may take, the longest
    waiting (then smallest id) past its queue's delay. One question to the pool per group of
    tickets with the same needs, not one per ticket."""
    among = (agent_id,)
    for tier in tiers:
        best: tuple[int, ProfileQueue] | None = None
        best_key: tuple[timedelta, str] | None = None
        for entry in tier:
            delay = timedelta(seconds=entry.delay)
            for group in by_queue.get(entry.queue, ()):
                positions = group.positions
                head = group.head
                while head < len(positions) and positions[head] in taken:
                    head += 1  # the group's taken front: skipped once, not by every agent
                group.head = head
                if head == len(positions):
                    continue
                position = positions[head]
                if waited[position] < delay:
                    continue  # the rest of the group waited less
                key = (-waited[position], ids[position])
                if best_key is not None and key >= best_key:
                    continue
                if pool.eligible(group.need, AgentStatus.ONLINE, among=among):
                    best, best_key = (position, entry), key
        if best is not None:
            return best
    return None


def _why(agent: Agent, profile: RoutingProfile) -> str:
    return f"agent {agent.id}" if agent.id in profile.agents else f"team {agent.team}"


def _seconds(value: timedelta) -> str:
    seconds = value.total_seconds()
    return str(int(seconds)) if seconds.is_integer() else f"{seconds:.3f}".rstrip("0")


def _waiting_line(rules: RuleSet, queue: str | None, waited: timedelta) -> str:
    """Why a ticket waits: its queue is in no profile, or what each profile's delay is."""
    entries = [
        (profile.name, entry)
        for profile in rules.profiles
        for entry in profile.queues
        if entry.queue == queue
    ]
    if not entries:
        return (
            f"routing profiles: queue {queue or 'default'} is in no profile; waiting "
            f"(waited {_seconds(waited)} s)"
        )
    parts = ", ".join(
        f"{name!r} (priority {entry.priority}, delay {entry.delay} s)" for name, entry in entries
    )
    return (
        f"routing profiles: no agent took it from queue {queue!r} (waited {_seconds(waited)} s; "
        f"in profiles {parts}); waiting"
    )
