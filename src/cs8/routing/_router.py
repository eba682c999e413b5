"""The router: rules pick a queue and a priority, filters and a strategy pick an agent, with a trace.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Agent, Ticket
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> agents = [Agent(id="a1", active_tickets=2), Agent(id="a2", active_tickets=1)]
    >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
    >>> decision = Router().route(ticket, agents, now=t0)
    >>> decision.agent_id, decision.priority
    ('a2', Priority.NORMAL)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from operator import attrgetter, itemgetter
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from cs8._enums import AgentStatus
from cs8._frozen import FrozenDict
from cs8._models import Agent, Customer, Ticket
from cs8._time import as_stdlib, require_aware
from cs8.exceptions import InvalidValueError
from cs8.routing._actions import EscalationStep
from cs8.routing._backlog_plan import (
    _backlog,
    _general_positions,
    _needs,
    _plan_backlog,
    _queue_order,
    _runs,
)
from cs8.routing._context import (
    RoutingContext,
    SlaInput,
    fast_context,
)
from cs8.routing._decision import (
    AssignmentResult,
    RoutingDecision,
    _assignment,
    _planned_decision,
    _Run,
)
from cs8.routing._handoff import HandoffContext
from cs8.routing._plan import (
    _BUILTIN_TYPES,
    _HEAP_TYPES,
    _entry_steps,
    _Line,
    _line,
    _narrowed,
    _Plan,
    _plan_of,
    _Prepared,
    _previous_agent,
    _strategies,
    _strategy,
)
from cs8.routing._planner import Planner
from cs8.routing._plugins import Strategy
from cs8.routing._pool import AgentPool, ChannelWeights, Need
from cs8.routing._priority import (
    Ageing,
    BusinessClock,
    PriorityAdjustments,
    PriorityMatrix,
)
from cs8.routing._profile_assign import assign_by_profile
from cs8.routing._rules import RoutingRule, RuleSet
from cs8.routing._strategies import (
    BUILTIN_STRATEGIES,
    BuiltinStrategy,
    KeyStrategy,
    LeastBusy,
    LongestIdle,
    MostSkilled,
    RoundRobin,
    RoutingState,
    Weighted,
)

__all__ = ["AssignmentResult", "Router", "RoutingDecision"]

_NO_STATE = RoutingState()  # the strategies' memory when a caller gives none (a value)

_K = TypeVar("_K")


# --------------------------------------------------------------------------------------------------
# The router


def _rules(value: RuleSet | Iterable[RoutingRule] | None) -> RuleSet:
    if isinstance(value, RuleSet):
        return value
    return RuleSet(rules=tuple(value or ()))


def _zone(value: str | tzinfo | None) -> tzinfo:
    if value is None:
        return _CALENDAR_ZONE  # resolved from the calendar by Router.__attrs_post_init__
    if not isinstance(value, tzinfo):
        try:
            value = ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise InvalidValueError(
                f"Router.timezone must be an IANA time zone or a tzinfo, got {value!r}"
            ) from None
    # "UTC" and ZoneInfo("UTC") are datetime.UTC: one value for one zone (equal routers).
    return UTC if getattr(value, "key", None) in ("UTC", "Etc/UTC") else value


_CALENDAR_ZONE: tzinfo = timezone(timedelta(0), "the calendar's zone")
"""Router(timezone=None): a placeholder replaced by the calendar's zone (UTC without one)."""


# Column reads of a backlog (C-level maps instead of a Python loop body per ticket).
_PREPARED = itemgetter(0)  # a plan's prepared actions
_STRATEGY = attrgetter("strategy")
_CUSTOMER_ID = attrgetter("customer_id")


_PLAN_CACHE_SIZE = 65536  # rule x actions x priority x minutes waited, for escalating rules

_ONLINE = (AgentStatus.ONLINE,)
_ONLINE_AWAY = (AgentStatus.ONLINE, AgentStatus.AWAY)


@attrs.frozen(kw_only=True, getstate_setstate=False)
class Router:
    """Routes tickets: first matching rule, priority, escalation, filters, strategy; explained.

    A router is a frozen value: safe to share between threads and to pickle. It keeps one
    :class:`~cs8.routing.Planner` (the memory of plans, which never changes a decision) for the
    calls that bring none; the planner is not part of the value (equality, hash, repr and
    serialization leave it out).

    How one ticket is routed:

    1. The first rule whose condition holds gives the actions (queue, priority, skills,
       languages, preferred agents, strategy, escalation); none matching gives the rule set's
       default actions.
    2. Priority: the rule's (absolute or a change from the ticket's), else impact x urgency when a
       ``matrix`` is set and the ticket has them, else the ticket's own.
    3. Escalation: every step whose ``after`` the ticket has waited applies, in order (queue,
       priority inherited by later steps unless one sets it, skills relaxed stepwise).
    4. Adjustments (VIP, sentiment, complaint, SLA time left) and ageing raise the priority.
    5. Agents are filtered by status (online; away as a fallback tier with ``away_fallback``),
       channel, spare capacity for the channel's weight, skills at minimum levels and languages;
       preferred agents are tried first; the strategy picks one, ties broken by agent id.

    Args:
        rules: A :class:`~cs8.routing.RuleSet` (from :func:`~cs8.routing.load_rules`) or a
            sequence of rules; ``()`` routes without rules.
        strategy: The strategy when a rule names none (a name from
            :data:`BUILTIN_STRATEGIES` or a built-in strategy value).
        strategies: Extra named strategies rules may use: configured built-ins (a
            :class:`~cs8.routing.Weighted` with weights) or :class:`~cs8.routing.Strategy` plugins
            (``registry.strategies()``).
        weights: Capacity each channel's work takes, used when ``route`` is given a list of agents.
        away_fallback: Offer work to ``AWAY`` agents when no ``ONLINE`` agent qualifies.
        matrix: Base priority from ``impact`` and ``urgency`` ticket attributes, when present.
        adjustments: VIP, sentiment, complaint and SLA adjustments applied after the rule.
        ageing: Raises the priority of tickets that waited long (used for the queue order too).
        timezone: The time zone rules read ``time.hour`` and ``time.weekday`` in; by default the
            calendar's zone (its ``timezone``), or UTC without a calendar.
        calendar: Business calendar for escalation steps with ``business_hours`` (without one,
            those steps count calendar time).
        explain: Count, for the trace, how many agents each filter leaves (one pass over the
            agents per decision); without it the trace names the filters and how many agents the
            index looked at, and the cost of a decision hardly grows with the number of agents.

    Example:
        >>> Router(strategy="round_robin").strategy.name
        'round_robin'
    """

    rules: RuleSet = attrs.field(factory=RuleSet, converter=_rules)
    strategy: BuiltinStrategy = attrs.field(factory=LeastBusy, converter=_strategy)
    strategies: FrozenDict[str, BuiltinStrategy | Strategy] = attrs.field(
        default=None, converter=_strategies
    )
    weights: ChannelWeights = attrs.field(factory=ChannelWeights)
    away_fallback: bool = False
    matrix: PriorityMatrix | None = None
    adjustments: PriorityAdjustments | None = None
    ageing: Ageing | None = None
    timezone: tzinfo = attrs.field(default=None, converter=_zone)
    calendar: BusinessClock | None = None
    explain: bool = True
    # The planner of calls that bring none (see Planner: safe to share between threads). Not part
    # of the value: equality, hashing, repr and serialization leave it out.
    _shared: Planner = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.timezone is _CALENDAR_ZONE:
            name = getattr(self.calendar, "timezone", None)
            zone = _zone(name) if isinstance(name, str | tzinfo) else UTC
            object.__setattr__(self, "timezone", zone)
        # Router(strategy="weighted", strategies={"weighted": Weighted(...)}) means the configured one.
        configured = self.strategies.get(self.strategy.name)
        if (
            configured is not None
            and configured != self.strategy
            and self.strategy == BUILTIN_STRATEGIES.get(self.strategy.name)
            and isinstance(
                configured, LeastBusy | LongestIdle | RoundRobin | MostSkilled | Weighted
            )
        ):
            object.__setattr__(self, "strategy", configured)
        # The strategy plugins the rules were loaded with (the registry's), unless given here.
        plugins = {n: s for n, s in self.rules.strategies.items() if n not in self.strategies}
        if plugins:
            object.__setattr__(self, "strategies", FrozenDict({**self.strategies, **plugins}))
        _check_strategies_known(self.rules, self.strategies)
        object.__setattr__(self, "_shared", Planner(self))

    def __getstate__(self) -> dict[str, object]:
        """The router's settings, for pickle and copy: a copy gets a planner of its own (plans
        are remembered by the identity of values that do not survive a pickle)."""
        return {a.name: getattr(self, a.name) for a in attrs.fields(Router) if a.init}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_shared", Planner(self))

    def planner(self) -> Planner:
        """Return a new :class:`~cs8.routing.Planner` for this router: the memory of plans a
        worker keeps across calls (pass it as ``planner=`` to :meth:`route` and :meth:`assign`).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> router = Router()
            >>> planner = router.planner()
            >>> tickets = [Ticket(id=f"T{i}", customer_id="C", channel="email", created_at=t0)
            ...            for i in range(3)]
            >>> [router.route(t, [Agent(id="a1")], now=t0, planner=planner).agent_id
            ...  for t in tickets]
            ['a1', 'a1', 'a1']
        """
        return Planner(self)

    # ------------------------------------------------------------------ choosing

    def _pick(
        self,
        ctx: RoutingContext,
        plan: _Plan,
        pool: AgentPool,
        need: Need,
        status: AgentStatus,
        state: RoutingState,
        among: tuple[str, ...] | None,
    ) -> tuple[str | None, int, RoutingState, str]:
        prep = plan[0]
        strategy = prep.strategy
        if prep.actions.agent_filters or prep.actions.order_by:
            # On top of the index: the eligible agents that pass, ranked first by order_by.
            among = _narrowed(prep.actions, ctx, pool.eligible(need, status, among=among))
        if isinstance(strategy, _HEAP_TYPES):
            if isinstance(strategy, RoundRobin):
                queue = prep.actions.queue
                pick, looked = pool.choose(
                    need, strategy, status, after=state.last_for(queue), among=among
                )
                if pick is not None:
                    state = state.advanced(queue, pick)
                return pick, looked, state, prep.tie_break
            pick, looked = pool.choose(need, strategy, status, among=among)
            return pick, looked, state, prep.tie_break
        candidates = pool.eligible(need, status, among=among)
        state_key = getattr(strategy, "state_key", None)
        key = state_key(ctx) if state_key is not None else None
        if key is not None:  # keyed memory: only this key's entry is handed over and kept
            state = state.with_keyed()
            entry = state.keyed.get(strategy.name, key)  # type: ignore[union-attr]
            given = FrozenDict() if entry is None else FrozenDict({key: entry})
        else:
            given = state.plugin_state(strategy.name)
        choice = strategy.choose(candidates, ctx, prep.actions, given)
        agent = choice.agent
        if agent is not None and all(agent.id != c.id for c in candidates):
            raise InvalidValueError(
                f"strategy plugin {strategy.name!r} chose {agent.id!r}, which is not among the "
                f"{len(candidates)} eligible agents"
            )
        if key is not None:
            state.keyed.put(strategy.name, key, choice.state.get(key))  # type: ignore[union-attr]
        else:
            state = state.with_plugin_state(strategy.name, choice.state)
        return (None if agent is None else agent.id), len(candidates), state, choice.explanation

    def _decide(
        self,
        ctx: RoutingContext,
        plan: _Plan,
        pool: AgentPool,
        state: RoutingState,
        handoff: HandoffContext | None,
        among: tuple[str, ...] | None = None,
    ) -> RoutingDecision:
        """The decision for one planned ticket; ``among``: only these agents may take it (the
        agents whose next ticket it is, with routing profiles), preferred agents among them."""
        ticket = ctx.ticket
        if plan[0].origin is not None:
            plan = self._skipped(ctx, plan, pool)
        prep = plan[0]
        actions = prep.actions
        channel = ticket.channel
        need = prep.needs.get(channel) or prep.need(channel)
        previous = None if actions.preferred_agents else _previous_agent(ticket)
        if prep.simple and not self.away_fallback and previous is None and among is None:
            # The common case, with the same outcome and trace as the general path below.
            online = AgentStatus.ONLINE
            if not self.explain:
                pick, found = pool.choose(need, prep.strategy, online)  # type: ignore[arg-type]
                # The trace is written when first read (_BuiltWhenRead), from the plan's lines (all
                # text without explain), the prepared actions and how many agents were looked at.
                return _planned_decision(
                    plan, ticket.id, pick, None, ctx, handoff, state, plan[1], found, ticket
                )
            with pool.lock:  # the counts and the choice see the pool at one instant
                pick, found = pool.choose(need, prep.strategy, online)  # type: ignore[arg-type]
                counted = (need, online, False, pool.filter_numbers(need, online, None))
            last = prep.waiting
            if pick is not None:
                last = _line(
                    prep.chose,
                    pick,
                    lambda: f"strategy {prep.name}: chose {pick}; tie-break: {prep.tie_break}",
                )
            lazy: tuple[_Line, ...] = (*plan[1], counted, last)
            return _planned_decision(plan, ticket.id, pick, None, ctx, handoff, state, lazy)
        lines: list[_Line] = list(plan[1])
        preferred = actions.preferred_agents or (() if previous is None else (previous,))
        offered = preferred if among is None else tuple(a for a in preferred if a in among)
        explain = self.explain
        chosen: str | None = None
        looked = 0
        how = ""
        for status in _ONLINE_AWAY if self.away_fallback else _ONLINE:
            if preferred:
                pick, looked, state, how = self._pick(ctx, plan, pool, need, status, state, offered)
                if explain:  # the numbers now, the text when the trace is read
                    lines.append((need, status, True, pool.filter_numbers(need, status, offered)))
                if pick is not None:
                    chosen = pick
                    lines.append(
                        f"preferred agent {pick} is eligible"
                        if previous is None
                        else f"reopened: previous agent {pick} is eligible"
                    )
                    break
                lines.append(
                    "no preferred agent is eligible; trying every agent"
                    if previous is None
                    else f"reopened: previous agent {previous} is not eligible; trying every agent"
                )
            pick, looked, state, how = self._pick(ctx, plan, pool, need, status, state, among)
            if explain:
                lines.append((need, status, False, pool.filter_numbers(need, status, among)))
            if pick is not None:
                chosen = pick
                break
            if status is AgentStatus.ONLINE and self.away_fallback:
                lines.append("no online agent qualifies; falling back to away agents")
        if not explain:
            text = prep.filters[need.channel]
            lines.append(text if chosen is None else f"{text}; {looked} agent(s) looked at")
        if chosen is None:
            lines.append(prep.waiting)
        else:
            lines.append(f"strategy {prep.name}: chose {chosen}; tie-break: {how}")
        if explain:
            return _planned_decision(plan, ticket.id, chosen, None, ctx, handoff, state, (*lines,))
        return _planned_decision(plan, ticket.id, chosen, (*lines,), ctx, handoff, state)  # type: ignore[arg-type]

    def _skipped(self, ctx: RoutingContext, plan: _Plan, pool: AgentPool) -> _Plan:
        """The plan once the escalation steps with ``skip_if: "no_agent"`` that no online agent
        passes are left out; the step after a skipped one applies at once (TaskRouter moves the
        task to its next target as if the skipped one's timeout had passed). A skipped step's
        changes, its priority among them, do not apply: the priority is planned again for the
        actions in force."""
        base, due = plan[0].origin  # type: ignore[misc]
        steps = base.escalation
        out = base
        skipped: list[str] = []
        applied: list[EscalationStep | None] = []  # None: skipped
        carry = False
        i = 0
        while i < len(steps) and (i < due or carry):
            step = steps[i]
            i += 1
            candidate = out.apply(step)
            carry = step.skip_if is not None and not _narrowed(
                candidate,
                ctx,
                pool.eligible(
                    Need(
                        ctx.ticket.channel, skills=candidate.skills, languages=candidate.languages
                    ),
                    AgentStatus.ONLINE,
                ),
            )
            if carry:
                skipped.append(str(i))
                applied.append(None)
            else:
                out = candidate
                applied.append(step)
        if not skipped:
            return plan
        line = (
            f"escalation step(s) {', '.join(skipped)} skipped (skip_if no_agent: no online agent "
            f"passes their filters); in force: queue {out.queue or 'default'}"
        )
        entry = _entry_steps(base.queue, applied, due)
        return self._shared.replanned(ctx, plan, out, i or None, line, entry)

    def _fallback(
        self,
        ctx: RoutingContext,
        plan: _Plan,
        pool: AgentPool,
        state: RoutingState,
        handoff: HandoffContext | None,
        error: Exception,
        among: tuple[str, ...] | None = None,
        order: KeyStrategy | None = None,
    ) -> RoutingDecision:
        """The decision when a strategy plugin raised ``error`` on this ticket: the router's own
        strategy decides (with routing profiles, their ``order`` among ``among``), and the trace
        names the rule, the plugin and the error. An error outside a plugin is raised again."""
        prep = plan[0]
        if isinstance(prep.strategy, _BUILTIN_TYPES) or prep.strategy is order:
            raise error
        default = _Prepared(prep.actions, self.strategy if order is None else order)
        default.entry = prep.entry
        rule = "the default actions" if plan[2] is None else f"rule {plan[2]!r}"
        whose = "the router's strategy" if order is None else "the routing profiles' order"
        line = (
            f"strategy plugin {prep.name!r} ({rule}) failed on this ticket: "
            f"{type(error).__name__}: {error}; {whose} {default.name} decides"
        )
        fallback = _plan_of(default, (*plan[1], line), plan[2], plan[3], plan[4], plan[5])
        return self._decide(ctx, fallback, pool, state, handoff, among)

    def _pool(self, agents: AgentPool | Iterable[Agent]) -> AgentPool:
        if isinstance(agents, AgentPool):
            return agents
        return AgentPool(agents, weights=self.weights)

    # ------------------------------------------------------------------ public

    def route(
        self,
        ticket: Ticket,
        agents: AgentPool | Iterable[Agent],
        *,
        now: datetime,
        customer: Customer | None = None,
        sla: SlaInput = None,
        state: RoutingState | None = None,
        handoff: HandoffContext | None = None,
        planner: Planner | None = None,
    ) -> RoutingDecision:
        """Return where ``ticket`` should go at ``now``; the pool is not changed.

        Nothing a caller can observe in the pool changes (loads, statuses, agents); the pool may
        tidy its internal index while choosing, under its own lock, so ``route`` is safe beside
        other threads using the same pool. To route and reserve as one step, hold
        ``pool.lock`` around ``route`` and ``pool.assign`` (or use :class:`cs8.desk.Desk`).
        With ``explain=True`` (the default) the trace counts the agents each filter leaves, from
        tallies the pool keeps up to date (counted at decision time, written as text when the
        trace is first read); ``Router(explain=False)`` also skips the rule's detailed reasons.
        With routing profiles in the rules, the ticket is served through them as a backlog of one
        (see :meth:`assign`: the agents whose profile lists its queue, past that queue's delay,
        longest idle first unless the rules name a strategy), on a copy of the pool.

        Args:
            ticket: The ticket to route (its channel picks the agents' channel filter).
            agents: An :class:`AgentPool` (reused across decisions) or a list of agents.
            now: The decision instant.
            customer: The requester, for ``customer.*`` rule fields and VIP adjustments.
            sla: The ticket's SLA clocks (what :class:`~cs8.routing.RoutingContext` accepts).
            state: The strategies' memory (round-robin rotations, plugin states); the decision
                carries the next one.
            handoff: The customer's history to carry to the agent
                (see :func:`~cs8.routing.handoff_context`).
            planner: The plans this caller's earlier decisions made (from :meth:`planner`);
                tickets shaped like one planned before then cost a lookup. Without it, the
                router's own shared planner is used (safe between threads); a worker may keep
                one of its own so that no other thread touches its tables.

        Raises:
            NaiveDatetimeError: If ``now`` has no time zone.
            InvalidValueError: If a rule names a strategy the router does not know.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> router = Router(explain=False)
            >>> d = router.route(Ticket(id="T1", customer_id="C1", channel="email", created_at=t0),
            ...                  [Agent(id="b"), Agent(id="a")], now=t0)
            >>> d.agent_id, d.trace[-1]
            ('a', 'strategy least_busy: chose a; tie-break: fewest units of work, then agent id')
        """
        if type(now) is not datetime or now.utcoffset() is None:
            now = require_aware(now, "Router.route(now)")
        if self.rules.profiles:  # through the routing profiles: a backlog of one
            return self.assign(
                [ticket], agents, now=now, state=state, planner=planner,
                customers=None if customer is None else {ticket.customer_id: customer},
                sla=None if sla is None else {ticket.id: sla},
                handoffs=None if handoff is None else {ticket.customer_id: handoff},
            ).decisions[0]  # fmt: skip
        ctx, plan = (planner or self._shared).context_and_plan(ticket, now, customer, sla)
        pool = agents if isinstance(agents, AgentPool) else self._pool(agents)
        try:
            return self._decide(ctx, plan, pool, state or _NO_STATE, handoff)
        except Exception as error:  # a strategy plugin's: this ticket falls back (or re-raised)
            return self._fallback(ctx, plan, pool, state or _NO_STATE, handoff, error)

    def assign(
        self,
        tickets: Iterable[Ticket],
        agents: AgentPool | Iterable[Agent],
        *,
        now: datetime,
        customers: Mapping[str, Customer] | None = None,
        sla: Mapping[str, SlaInput] | None = None,
        state: RoutingState | None = None,
        handoffs: Mapping[str, HandoffContext] | None = None,
        planner: Planner | None = None,
        queued_at: Mapping[str, datetime] | None = None,
    ) -> AssignmentResult:
        """Serve a backlog in queue order; return every decision and the agents' new loads.

        Each ticket is planned (rule, priority, escalation), the backlog is put in queue order
        (:func:`~cs8.routing.queue_key`: priority, SLA due time, age, id), and each ticket in turn
        goes to an agent chosen on the loads left by the tickets before it. No agent is ever given
        more than its capacity; tickets nobody can take wait. A given :class:`AgentPool` is not
        changed (the work is done on a copy).

        With routing profiles in the rules (``RuleSet.profiles``, Amazon Connect's per-queue
        priority and delay), agents pull the work instead: each online agent of a profile, in
        rounds, longest idle first, takes the ticket longest in its queue past that queue's
        delay from its profile's highest priority with one it may take; when that ticket is
        the next one of several agents, the router chooses among them as it does among eligible
        agents (preferred or previous agents, agent filters, ``order_by``, the plan's strategy,
        a failing plugin's fallback), the agent whose turn it is when the plan names no
        strategy. A ticket's time in its queue counts from ``queued_at`` or the escalation step
        that moved it there, else its creation. The trace names the queue, since when, and each
        candidate's profile, priority and delay (see :class:`~cs8.routing.RoutingProfile` and
        "Routing profiles" in ``docs/routing-rules.md``).

        Args:
            tickets: The waiting tickets.
            agents: An :class:`AgentPool` or a list of agents (their current loads count).
            now: The decision instant (also the agents' new ``last_assigned_at``).
            customers: Customers by id, for the tickets' ``customer_id``.
            sla: Each ticket's SLA clocks by ticket id.
            state: The strategies' memory to start from.
            handoffs: Handoff contexts by customer id, carried by the decisions.
            planner: The plans of earlier calls (from :meth:`planner`), for a worker that
                assigns backlog after backlog; without it, the router's own shared planner.
            queued_at: With routing profiles: when each ticket (by id) entered the queue it is
                in, for the profiles' delays and the order of a queue; a ticket not listed
                entered it at the escalation step that moved it there, else at its creation.

        Raises:
            NaiveDatetimeError: If ``now`` or a ``queued_at`` instant has no time zone.
            InvalidValueError: If two tickets share an id; if ``queued_at`` is given without
                routing profiles, or an instant in it is after ``now`` or before the ticket's
                creation.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> tickets = [Ticket(id="low", customer_id="C", channel="email", created_at=t0,
            ...                   priority="low"),
            ...            Ticket(id="urgent", customer_id="C", channel="email", created_at=t0,
            ...                   priority="urgent")]
            >>> result = Router().assign(tickets, [Agent(id="a1", capacity=1)], now=t0)
            >>> [(d.ticket_id, d.agent_id) for d in result.decisions]
            [('urgent', 'a1'), ('low', None)]
        """
        now = as_stdlib(require_aware(now, "Router.assign(now)"))
        pool = self._pool(agents)
        pool = pool.copy() if isinstance(agents, AgentPool) else pool
        # Per ticket, in parallel lists: the ticket, its customer, its context (or None: what it
        # is made of is kept), its plan (shared by tickets alike).
        ticket_list, ids = _backlog(tickets)
        if customers:
            customer_list = list(map(customers.get, map(_CUSTOMER_ID, ticket_list)))
        else:
            customer_list = [None] * len(ticket_list)
        planner = planner or self._shared
        contexts, plans = _plan_backlog(planner, ticket_list, ids, customer_list, sla, now)
        if self.rules.profiles:  # agents pull work through routing profiles (Connect's)
            return assign_by_profile(
                self.rules, ticket_list, customer_list, contexts, plans, pool, now,
                self.timezone, self.calendar, state or RoutingState(), handoffs, queued_at,
                decide=self._decide, fallback=self._fallback, skipped=self._skipped,
            )  # fmt: skip
        if queued_at is not None:
            raise InvalidValueError(
                "Router.assign: queued_at is read by routing profiles' delays only, and the "
                "rules have no profiles"
            )
        order = _queue_order(ticket_list, ids, plans)
        timezone = self.timezone
        calendar = self.calendar
        basis = (now, timezone, calendar)
        current = state or RoutingState()
        # The decisions are made when first read: from the general path's decisions and the fast
        # path's runs, each run's columns indexing these per-ticket lists.
        rows: list[RoutingDecision | _Run] = []
        shared = (ticket_list, customer_list, contexts, plans, ids, basis)
        get_handoff = handoffs.get if handoffs else None

        def decide(position: int, current: RoutingState) -> RoutingState:
            """The general path for one ticket (explained, away fallback, preferred or previous
            agents, filters, plugins, a plugin's fallback): a decision, its agent given the work."""
            context = contexts[position]
            plan = plans[position]
            ticket = ticket_list[position]
            if context is None:
                customer = customer_list[position]
                context = fast_context(ticket, now, customer, None, timezone, calendar)
            handoff = get_handoff(ticket.customer_id) if get_handoff else None
            try:
                decision = self._decide(context, plan, pool, current, handoff)
            except Exception as error:  # a strategy plugin's: this ticket falls back
                decision = self._fallback(context, plan, pool, current, handoff, error)
            if decision.agent_id is not None:
                pool.assign(decision.agent_id, ticket.channel, now)
            rows.append(decision)
            return decision.state

        fast = not self.explain and not self.away_fallback
        with pool.lock:  # this call's own pool: one lock for the backlog (see AgentPool.taker)
            take = pool.taker(now)  # choose among online agents, then assign at now
            for run, then in _runs(order, _general_positions(fast, plans, ticket_list)):
                while run:
                    # _decide's fast path for a run of tickets: the pool chooses and assigns for
                    # each in turn; a row per ticket keeps what its decision is built from.
                    run_plans = list(map(plans.__getitem__, run))
                    run_tickets = list(map(ticket_list.__getitem__, run))
                    preps = list(map(_PREPARED, run_plans))
                    picks: list[str | None] = []
                    looked: list[int] = []
                    with suppress(Exception):  # a KeyStrategy's key: that ticket falls back
                        needs = _needs(preps, run_tickets)
                        take(needs, list(map(_STRATEGY, preps)), picks, looked)
                    served = len(picks)  # picks end where a plugin's key raised
                    if served:
                        rows.append(
                            _Run(
                                shared, run if served == len(run) else run[:served], picks,
                                looked, current,
                                list(map(get_handoff, map(_CUSTOMER_ID, run_tickets[:served])))
                                if get_handoff else None,
                            )
                        )  # fmt: skip
                    if served == len(run):
                        break
                    current = decide(run[served], current)  # the plugin raises again there
                    run = run[served + 1 :]
                if then is not None:
                    current = decide(then, current)
        return _assignment(tuple(rows), pool.loads, current)


def _check_strategies_known(rules: RuleSet, known: Mapping[str, object]) -> None:
    """Raise if a rule (or the default actions) names a strategy the router does not know."""
    named = [(f"rule {rule.name!r}", rule.actions.strategy) for rule in rules.rules]
    named.append(("the default actions", rules.default.strategy))
    for where, name in named:
        if name is not None and name not in known:
            raise InvalidValueError(
                f"Router: {where} names strategy {name!r}, which the router does not know; "
                f"known: {', '.join(sorted(known))} (register it in the RuleRegistry the rules "
                "are loaded with, or pass it in Router(strategies=...))"
            )
