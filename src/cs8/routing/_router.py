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

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, TypeAlias, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from cs8._display import DictsReprMixin
from cs8._enums import AgentStatus, Channel, Priority
from cs8._frozen import FrozenDict
from cs8._models import Agent, Customer, Ticket
from cs8._time import as_stdlib, require_aware
from cs8.exceptions import InvalidValueError
from cs8.routing._context import (
    _NO_SLA,
    RoutingContext,
    SlaInput,
    check_context,
    fast_context,
    scratch_context,
)
from cs8.routing._handoff import HandoffContext
from cs8.routing._plugins import Strategy
from cs8.routing._pool import AgentPool, ChannelWeights, Need
from cs8.routing._pool_index import _filter_labels
from cs8.routing._priority import (
    Ageing,
    BusinessClock,
    PriorityAdjustments,
    PriorityMatrix,
    least_slack,
)
from cs8.routing._rules import RoutingRule, RuleActions, RuleSet
from cs8.routing._strategies import (
    BUILTIN_STRATEGIES,
    BuiltinStrategy,
    LeastBusy,
    LongestIdle,
    MostSkilled,
    RoundRobin,
    RoutingState,
    Weighted,
)

__all__ = ["AssignmentResult", "Router", "RoutingDecision"]

_K = TypeVar("_K")


# --------------------------------------------------------------------------------------------------
# What is decided before an agent is chosen


class _Prepared:
    """What the router derives once from one RuleActions value (cached per router)."""

    __slots__ = (
        "actions",
        "chose",
        "filters",
        "lines",
        "looked",
        "name",
        "needs",
        "notes",
        "simple",
        "skills_text",
        "strategy",
        "tie_break",
        "waiting",
    )

    def __init__(self, actions: RuleActions, strategy: BuiltinStrategy | Strategy) -> None:
        self.actions = actions
        self.strategy = strategy
        self.name = strategy.name
        self.tie_break = strategy.tie_break if isinstance(strategy, _BUILTIN_TYPES) else ""
        self.skills_text = _skills_text(actions.skills)
        self.needs: dict[Channel, Need] = {}
        # A built-in strategy other than round robin and no preferred agents: one pool.choose.
        self.simple = (
            isinstance(strategy, _BUILTIN_TYPES)
            and not isinstance(strategy, RoundRobin)
            and not actions.preferred_agents
        )
        where = f"queue {actions.queue}" if actions.queue else "the default queue"
        self.waiting = f"strategy {self.name}: nobody eligible; the ticket waits in {where}"
        self.filters: dict[Channel, str] = {}
        # (base priority, its source) -> (priority, trace line); few keys.
        self.notes: dict[tuple[Priority, str], tuple[Priority, str]] = {}
        # (escalation step, time waited as text, priority) -> trace line.
        self.lines: dict[tuple[int, str, Priority], str] = {}
        # Trace lines shared by decisions: agent id -> the strategy's line choosing it; (channel,
        # agents looked at) -> the filters' line.
        self.chose: dict[str, str] = {}
        self.looked: dict[tuple[Channel, int], str] = {}

    def need(self, channel: Channel) -> Need:
        found = self.needs.get(channel)
        if found is None:
            found = Need(channel, skills=self.actions.skills, languages=self.actions.languages)
            self.needs[channel] = found
            languages = self.actions.languages
            self.filters[channel] = (
                f"filters: status, channel {channel.value}, spare capacity, skills "
                f"{self.skills_text}"
                + (f", language {'/'.join(sorted(languages))}" if languages else "")
            )
        return found


_CountsLine: TypeAlias = tuple[Need, AgentStatus, bool, tuple[int, ...]]
"""A trace's filter-count line before it is text: the need, the status, whether preferred agents
were counted, and how many agents each filter left at decision time (``_counts`` writes it)."""


class _Why:
    """A trace's explained rule line before it is text: the rule, whose detailed reasons (each
    comparison with the value it read) are written from the decision's context when the trace
    is first read (the context is immutable, so the text is the one the decision would have)."""

    __slots__ = ("rule",)

    def __init__(self, rule: RoutingRule) -> None:
        self.rule = rule

    def text(self, ctx: RoutingContext | None) -> str:
        rule = self.rule
        assert ctx is not None  # an explained decision keeps its context
        return f"rule {rule.name!r} matched: {_why(rule, ctx, True)}"


_Line: TypeAlias = "str | _CountsLine | _Why"
"""A trace line, or what it is written from when the trace is first read."""


_Plan: TypeAlias = tuple[
    "_Prepared",
    "tuple[_Line, ...]",  # trace lines so far (shared by the tickets of a remembered plan)
    "str | None",  # rule name
    Priority,
    "int | None",  # escalation step
    "datetime | None",  # due_at
    int,  # minus the priority's rank (the queue key's first part)
    float,  # the SLA due time in epoch seconds, inf for none (the queue key's second part)
]
"""Everything decided about a ticket before an agent is chosen but its context. Tickets that
share a rule, actions, priority and escalation step share one plan (see ``Router._plans``)."""


# --------------------------------------------------------------------------------------------------
# Results


def _check_trace(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, tuple):
        raise InvalidValueError(f"RoutingDecision.trace must be a tuple of lines, got {value!r}")


class _WeakReferable:
    """The base of :class:`RoutingDecision`, holding its weak-reference slot (internal).

    With the slot in a shared base, a :class:`_DecisionDraft` (the same slots, writable) can
    become a ``RoutingDecision`` by ``__class__`` assignment: CPython allows it only between
    classes that add the same slots to the same base.
    """

    __slots__ = ("__weakref__",)


@attrs.frozen(kw_only=True)
class RoutingDecision(_WeakReferable):
    """Where one ticket goes, and why.

    Args:
        ticket_id: The ticket.
        agent_id: The chosen agent, or ``None`` when nobody eligible has room (the ticket waits
            in ``queue``).
        queue: The queue from the matched rule or the escalation step in force (``None``: the
            default queue).
        priority: The priority after the rule, escalation, adjustments and ageing.
        trace: Lines a supervisor can read: the rule that matched and why, the priority and where
            it came from, the escalation step in force, how many agents each filter left, the
            strategy and its tie-break.
        rule: The name of the matched rule, ``None`` when no rule matched.
        strategy: The name of the strategy used.
        escalation_step: The number (1-based) of the escalation step in force, ``None`` before
            the first step's timeout.
        skills: Minimum skill levels in force (after escalation relaxed them).
        languages: Languages accepted (any one of them), empty for any.
        due_at: ``now`` plus the least time left on a running SLA clock (the least-slack key of
            the queue order; with a business calendar the real due time can be later), if any.
        context: The routing context the rules read.
        handoff: The customer's history across channels, when the caller gave it.
        state: The strategies' memory after this decision (round-robin rotations, plugins).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Agent, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> d = Router().route(Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0),
        ...                    [Agent(id="a1", channels={"email"})], now=t0)
        >>> d.agent_id, d.assigned
        (None, False)
        >>> print("\\n".join(d.trace))
        no rule matched: default actions (queue default)
        priority normal (ticket)
        filters (online): agents 1 -> status online 1 -> channel chat 0 -> spare capacity 0
        strategy least_busy: nobody eligible; the ticket waits in the default queue
    """

    ticket_id: str
    agent_id: str | None
    queue: str | None
    priority: Priority
    trace: tuple[str, ...] = attrs.field(validator=_check_trace)
    rule: str | None = None
    strategy: str = "least_busy"
    escalation_step: int | None = None
    skills: FrozenDict[str, int] = attrs.field(factory=FrozenDict)
    languages: frozenset[str] = frozenset()
    due_at: datetime | None = None
    _context: RoutingContext | None = attrs.field(
        default=None, eq=False, repr=False, alias="context"
    )
    handoff: HandoffContext | None = attrs.field(default=None, eq=False, repr=False)
    state: RoutingState = attrs.field(factory=RoutingState, eq=False, repr=False)
    # Router.assign keeps what the context is made of (the context is built when first read:
    # a backlog's decisions would otherwise hold a context each that few callers read).
    _ticket: Ticket | None = attrs.field(default=None, eq=False, repr=False, alias="_ticket")
    _customer: Customer | None = attrs.field(default=None, eq=False, repr=False, alias="_customer")
    _basis: tuple[datetime, tzinfo] | None = attrs.field(
        default=None, eq=False, repr=False, alias="_basis"
    )
    # Router.assign's fast path leaves ``trace`` empty (None) and keeps what it is made of: the
    # plan's lines, the prepared actions and how many agents were looked at (see _LazyTrace).
    # With ``explain`` the router keeps every line, each filter-count line as the numbers counted
    # at decision time (a _CountsLine), and ``_found`` is -1.
    _lines: tuple[_Line, ...] | None = attrs.field(
        default=None, eq=False, repr=False, alias="_lines"
    )
    _prep: _Prepared | None = attrs.field(default=None, eq=False, repr=False, alias="_prep")
    _found: int = attrs.field(default=0, eq=False, repr=False, alias="_found")

    @property
    def context(self) -> RoutingContext | None:
        """The routing context the rules read (``None`` for a decision built without one).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
            >>> result = Router(explain=False).assign([ticket], [Agent(id="a1")], now=t0)
            >>> result.decisions[0].context.ticket is ticket
            True
        """
        ctx = self._context
        if ctx is None and self._basis is not None and self._ticket is not None:
            now, timezone = self._basis
            ctx = fast_context(self._ticket, now, self._customer, None, timezone)
            _set_context(self, ctx)  # built once; equal to what the rules read
        return ctx

    @property
    def assigned(self) -> bool:
        """Whether an agent was chosen."""
        return self.agent_id is not None

    def explain(self) -> str:
        """Return the trace as one text, a line per step.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> d = Router(explain=False).route(
            ...     Ticket(id="T1", customer_id="C1", channel="email", created_at=t0),
            ...     [Agent(id="a1")], now=t0)
            >>> print(d.explain())
            no rule matched: default actions (queue default)
            priority normal (ticket)
            filters: status, channel email, spare capacity, skills none; 1 agent(s) looked at
            strategy least_busy: chose a1; tie-break: fewest units of work, then agent id
        """
        return "\n".join(self.trace)

    def __str__(self) -> str:
        who = self.agent_id or "nobody (waiting)"
        return (
            f"ticket {self.ticket_id} -> {who}, queue {self.queue or 'default'}, "
            f"priority {self.priority.value}\n" + self.explain()
        )

    def to_dict(self) -> dict[str, str | int | None]:
        """Return the decision as plain values (for JSON, logs or a dataframe row).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> Router().route(Ticket(id="T1", customer_id="C1", channel="email", created_at=t0),
            ...                [Agent(id="a1")], now=t0).to_dict()["agent_id"]
            'a1'
        """
        return {
            "ticket_id": self.ticket_id,
            "agent_id": self.agent_id,
            "queue": self.queue,
            "priority": self.priority.value,
            "rule": self.rule,
            "strategy": self.strategy,
            "escalation_step": self.escalation_step,
            "due_at": None if self.due_at is None else self.due_at.isoformat(),
            "trace": "\n".join(self.trace),
        }


def _simple_trace(
    lines: tuple[str, ...], prep: _Prepared, channel: Channel, pick: str | None, found: int
) -> tuple[str, ...]:
    """The trace of a decision by a built-in strategy without preferred agents or explanation:
    the plan's lines, the filters and how many agents were looked at, the choice."""
    if pick is None:
        return (*lines, prep.filters[channel], prep.waiting)
    looked = _line(
        prep.looked,
        (channel, found),
        lambda: f"{prep.filters[channel]}; {found} agent(s) looked at",
    )
    chose = _line(
        prep.chose, pick, lambda: f"strategy {prep.name}: chose {pick}; tie-break: {prep.tie_break}"
    )
    return (*lines, looked, chose)


def _line(cache: dict[_K, str], key: _K, make: Callable[[], str]) -> str:
    """The trace line remembered under ``key``, made (and remembered, within bounds) if new."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        found = cache[key] = make()
    return found


class _LazyTrace:
    """``RoutingDecision.trace``, read through the slot (internal).

    A decision from ``Router.assign``'s fast path, or made with ``explain=True``, holds ``None``
    in the slot and builds its trace when it is first read (equality, hashing, ``repr``,
    ``attrs.evolve`` and pickling all read it): a backlog then makes one object per decision for
    the garbage collector instead of two, and no text for traces nobody reads. What the trace is
    built from is immutable and captured at decision time (an explained decision's filter counts
    are numbers, see ``_CountsLine``), so a trace read later reads as the pool was then; two
    threads reading it at once build the same text.
    """

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, obj: RoutingDecision | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        trace = self.slot.__get__(obj, owner)
        if trace is None:
            prep, lines, found = obj._prep, obj._lines, obj._found
            if prep is None or lines is None:
                # Another thread built the trace (it sets the slot before letting the parts go).
                return self.slot.__get__(obj, owner)
            if found < 0:  # Router(explain=True): every line; the rule's and the counts' unwritten
                trace = tuple(_written(line, obj) for line in lines)
            else:
                ticket = obj._ticket
                assert ticket is not None  # the fast path keeps it
                trace = _simple_trace(lines, prep, ticket.channel, obj.agent_id, found)  # type: ignore[arg-type]
            self.slot.__set__(obj, trace)  # built once; what it was made of is let go
            _set_lines(obj, None)
            _set_prep(obj, None)
        return trace

    def __set__(self, obj: RoutingDecision, value: tuple[str, ...]) -> None:
        self.slot.__set__(obj, value)


type.__setattr__(RoutingDecision, "trace", _LazyTrace(vars(RoutingDecision)["trace"]))


class _DecisionDraft(_WeakReferable):
    """A :class:`RoutingDecision` being filled (internal): the same slots, writable by plain
    attribute assignment (one bytecode each, where the frozen class's slot setters are calls);
    :func:`_new_decision` and ``Router.assign`` fill one, then set its ``__class__``."""

    __slots__ = RoutingDecision.__slots__


# The frozen slots' own setters, for what a decision builds when first read.
_set_context = vars(RoutingDecision)["_context"].__set__
_set_lines = vars(RoutingDecision)["_lines"].__set__
_set_prep = vars(RoutingDecision)["_prep"].__set__


def _new_decision(
    ticket_id: str,
    agent_id: str | None,
    queue: str | None,
    priority: Priority,
    trace: tuple[str, ...] | None,
    rule: str | None,
    strategy: str,
    escalation_step: int | None,
    skills: FrozenDict[str, int],
    languages: frozenset[str],
    due_at: datetime | None,
    context: RoutingContext | None,
    handoff: HandoffContext | None,
    state: RoutingState,
    ticket: Ticket | None = None,
    customer: Customer | None = None,
    basis: tuple[datetime, tzinfo] | None = None,
    lines: tuple[_Line, ...] | None = None,
    prep: _Prepared | None = None,
    found: int = 0,
) -> RoutingDecision:
    """``RoutingDecision(...)`` with the same fields, filled as a draft (internal: the router's
    values need no checks, and keyword passing costs a third of a decision).
    ``ticket``, ``customer`` and ``basis`` are what a lazy context is built from; ``lines``,
    ``prep`` and ``found`` what a lazy trace is built from (``trace`` is then ``None``)."""
    d: Any = _new_object(_DecisionDraft)
    d.ticket_id = ticket_id
    d.agent_id = agent_id
    d.queue = queue
    d.priority = priority
    d.trace = trace
    d.rule = rule
    d.strategy = strategy
    d.escalation_step = escalation_step
    d.skills = skills
    d.languages = languages
    d.due_at = due_at
    d._context = context
    d.handoff = handoff
    d.state = state
    d._ticket = ticket
    d._customer = customer
    d._basis = basis
    d._lines = lines
    d._prep = prep
    d._found = found
    d.__class__ = RoutingDecision
    return d  # type: ignore[no-any-return]


def _planned_decision(
    plan: _Plan,
    ticket_id: str,
    agent_id: str | None,
    trace: tuple[str, ...] | None,
    context: RoutingContext,
    handoff: HandoffContext | None,
    state: RoutingState,
    lines: tuple[_Line, ...] | None = None,
) -> RoutingDecision:
    """The decision for a ticket planned as ``plan`` (queue, priority, rule, strategy, step,
    skills, languages and due time come from the plan), with its context built; with ``trace``
    ``None``, its trace is built from ``lines`` when first read."""
    prep = plan[0]
    actions = prep.actions
    return _new_decision(
        ticket_id,
        agent_id,
        actions.queue,
        plan[3],
        trace,
        plan[2],
        prep.name,
        plan[4],
        actions.skills,
        actions.languages,
        plan[5],
        context,
        handoff,
        state,
        None,
        None,
        None,
        lines,
        None if lines is None else prep,
        0 if lines is None else -1,
    )


_new_object = object.__new__


@attrs.frozen(kw_only=True, repr=False)
class AssignmentResult(DictsReprMixin):
    """What :meth:`Router.assign` did with a backlog.

    Args:
        decisions: One decision per ticket, in the order the backlog was served (queue order).
        loads: Every agent's load after the assignments, in units of work.
        state: The strategies' memory after the last decision.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Agent, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> tickets = [Ticket(id=f"T{i}", customer_id="C", channel="email", created_at=t0)
        ...            for i in range(3)]
        >>> result = Router().assign(tickets, [Agent(id="a1", capacity=2)], now=t0)
        >>> dict(result.assignments), result.waiting, dict(result.loads)
        ({'T0': 'a1', 'T1': 'a1'}, ('T2',), {'a1': 2.0})
    """

    __repr__ = DictsReprMixin._short_repr

    decisions: tuple[RoutingDecision, ...]
    loads: FrozenDict[str, float]
    state: RoutingState = attrs.field(factory=RoutingState)

    @property
    def assignments(self) -> FrozenDict[str, str]:
        """Ticket id to agent id, for the tickets that got an agent."""
        return FrozenDict({d.ticket_id: d.agent_id for d in self.decisions if d.agent_id})

    @property
    def waiting(self) -> tuple[str, ...]:
        """Ids of the tickets nobody could take, in queue order."""
        return tuple(d.ticket_id for d in self.decisions if d.agent_id is None)

    def to_dicts(self) -> list[dict[str, str | int | None]]:
        """Return one plain dict per decision, in the order served (see ``RoutingDecision.to_dict``).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> rows = Router().assign([Ticket(id="T1", customer_id="C", channel="email",
            ...                               created_at=t0)], [], now=t0).to_dicts()
            >>> rows[0]["ticket_id"], rows[0]["agent_id"]
            ('T1', None)
        """
        return [d.to_dict() for d in self.decisions]

    def _title(self) -> str:
        return (
            f"{len(self.decisions)} tickets: {len(self.assignments)} assigned, "
            f"{len(self.waiting)} waiting"
        )


# --------------------------------------------------------------------------------------------------
# The router


def _strategy(value: str | BuiltinStrategy) -> BuiltinStrategy:
    if isinstance(value, str):
        found = BUILTIN_STRATEGIES.get(value)
        if found is None:
            raise InvalidValueError(
                f"Router.strategy must be one of {sorted(BUILTIN_STRATEGIES)}, got {value!r}"
            )
        return found
    if not isinstance(value, LeastBusy | LongestIdle | RoundRobin | MostSkilled | Weighted):
        raise InvalidValueError(f"Router.strategy must be a built-in strategy, got {value!r}")
    return value


def _strategies(
    value: Mapping[str, BuiltinStrategy | Strategy] | None,
) -> FrozenDict[str, BuiltinStrategy | Strategy]:
    merged: dict[str, BuiltinStrategy | Strategy] = dict(BUILTIN_STRATEGIES)
    for name, strategy in (value or {}).items():
        if not isinstance(
            strategy, LeastBusy | LongestIdle | RoundRobin | MostSkilled | Weighted | Strategy
        ):
            raise InvalidValueError(
                f"Router.strategies[{name!r}] must be a built-in strategy or a Strategy plugin, "
                f"got {strategy!r}"
            )
        merged[name] = strategy
    return FrozenDict(merged)


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


def _duration(value: timedelta) -> str:
    seconds = value.total_seconds()
    if seconds < 3600:
        return f"{math.floor(seconds / 60)} min"
    hours = seconds / 3600
    return f"{hours:.1f} h" if hours != int(hours) else f"{int(hours)} h"


def _skills_text(skills: Mapping[str, int]) -> str:
    return ", ".join(f"{k}>={v}" for k, v in sorted(skills.items())) or "none"


def _priority_note(actions: RuleActions, base: Priority, source: str) -> tuple[Priority, str]:
    """The priority ``actions`` give a ticket of priority ``base``, and the trace line saying so."""
    priority = actions.priority_for(base)
    if actions.priority is not None:
        return priority, f"priority {priority.value} (rule)"
    if actions.priority_change:
        return priority, (
            f"priority {base.value} ({source}) {actions.priority_change:+d} (rule) "
            f"-> {priority.value}"
        )
    return priority, f"priority {priority.value} ({source})"


def _why(rule: RoutingRule, ctx: RoutingContext, detailed: bool) -> str:
    when = getattr(rule, "when", None)
    if detailed:
        explain = getattr(when, "explain", None)
        if callable(explain):
            text = explain(ctx)
            if isinstance(text, str):
                return text
    name = getattr(when, "name", None)
    return name if isinstance(name, str) else f"{type(rule).__name__}.matches"


_INF = math.inf


def _no_key(ctx: RoutingContext) -> None:
    return None


_RANK: dict[Priority, int] = {p: p.rank for p in Priority}
_BUILTIN_TYPES = (LeastBusy, LongestIdle, RoundRobin, MostSkilled, Weighted)
_CACHE_SIZE = 4096
_PLAN_CACHE_SIZE = 65536  # rule x actions x priority x minutes waited, for escalating rules

_ONLINE = (AgentStatus.ONLINE,)
_ONLINE_AWAY = (AgentStatus.ONLINE, AgentStatus.AWAY)


@attrs.frozen(kw_only=True)
class Router:
    """Routes tickets: first matching rule, priority, escalation, filters, strategy; explained.

    A router is a frozen value: safe to share between threads and to pickle.

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
    # Derived once per RuleActions value (by identity; the value is kept alive with it).
    _cache: dict[int, _Prepared] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )
    _escalations: dict[tuple[int, int], tuple[RuleActions, RuleActions]] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )
    _lines: dict[int, tuple[RoutingRule, str]] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )
    # explain=False, no matrix, adjustments or ageing, no SLA clocks: the rule, the actions, the
    # base priority and (escalation in calendar time) the time waited decide the whole plan.
    # (id(rule), id(actions), base, waited or None) -> (rule, actions, the shared plan).
    _plans: dict[
        tuple[int, int, Priority, timedelta | None],
        tuple[RoutingRule | None, RuleActions, _Plan],
    ] = attrs.field(factory=dict, init=False, eq=False, hash=False, repr=False)
    _memo_plans: bool = attrs.field(default=False, init=False, eq=False, hash=False, repr=False)
    # With remembered plans and a rule set that remembers its first matches: (the values its
    # rules read, the base priority) -> the plan; for actions with escalation steps counted in
    # calendar time, that shape is in _waits and the key also holds the time waited. One or two
    # lookups then plan a ticket.
    _shapes: dict[tuple[object, ...], _Plan] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )
    _waits: set[tuple[object, ...]] = attrs.field(
        factory=set, init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        if self.timezone is _CALENDAR_ZONE:
            name = getattr(self.calendar, "timezone", None)
            zone = _zone(name) if isinstance(name, str | tzinfo) else UTC
            object.__setattr__(self, "timezone", zone)
        object.__setattr__(
            self,
            "_memo_plans",
            not self.explain
            and self.matrix is None
            and self.adjustments is None
            and self.ageing is None,
        )
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

    # ------------------------------------------------------------------ planning

    def _steps_due(self, actions: RuleActions, ticket: Ticket, now: datetime) -> tuple[int, str]:
        elapsed = now - ticket.created_at
        business: timedelta | None = None
        count = 0
        waited = elapsed
        note = ""
        for step in actions.escalation:
            waited = elapsed
            if step.business_hours:
                if self.calendar is None:
                    note = " (no calendar: counted in calendar time)"
                else:
                    if business is None:
                        business = self.calendar.business_duration(ticket.created_at, now)
                    waited = business
                    note = " (business time)"
            if waited < step.after:
                break
            count += 1
        return count, f"{_duration(waited)}{note}"

    def _prepared(self, actions: RuleActions) -> _Prepared:
        cache = self._cache
        found = cache.get(id(actions))
        if found is not None and found.actions is actions:
            return found
        if actions.strategy is not None:
            strategy = self.strategies.get(actions.strategy)
            if strategy is None:
                raise InvalidValueError(
                    f"rule actions name strategy {actions.strategy!r}, which the router does not "
                    f"know; known: {sorted(self.strategies)}"
                )
        else:
            strategy = self.strategy
        prep = _Prepared(actions, strategy)
        if len(cache) >= _CACHE_SIZE:  # a rule plugin may build new actions every time
            cache.clear()
        cache[id(actions)] = prep
        return prep

    def _escalated(self, actions: RuleActions, steps: int) -> RuleActions:
        key = (id(actions), steps)
        found = self._escalations.get(key)
        if found is not None and found[0] is actions:
            return found[1]
        out = actions.escalated(steps)
        if len(self._escalations) >= _CACHE_SIZE:
            self._escalations.clear()
        self._escalations[key] = (actions, out)
        return out

    def _plan(
        self,
        ticket: Ticket,
        now: datetime,
        customer: Customer | None,
        sla: SlaInput,
    ) -> tuple[RoutingContext, _Plan]:
        ctx = fast_context(ticket, now, customer, sla, self.timezone)
        return ctx, self._planned(ctx)

    def _planned(self, ctx: RoutingContext) -> _Plan:
        """The plan of the ticket in ``ctx`` (shared by tickets alike when plans are remembered;
        ``ctx`` is not kept by a remembered plan)."""
        ticket = ctx.ticket
        now = ctx.now
        memo = self.rules._memo
        read = None
        if memo is None:
            rule, actions = self.rules._lookup(ctx)
        else:  # the values the rules read: the first match's key, and a plan's (see _shapes)
            read = memo[0](ctx)
            rule, actions = self.rules._lookup_read(memo[1], read, ctx)
        if self._memo_plans and ctx.sla is _NO_SLA:
            # Without SLA clocks, explain, matrix, adjustments or ageing, the plan follows from
            # the rule, the actions, the ticket's priority and, for escalation steps counted in
            # calendar time, how long the ticket has waited: tickets alike share one plan.
            waited: timedelta | None = None
            if actions.escalation:
                if self.calendar is not None and any(s.business_hours for s in actions.escalation):
                    return self._plan_slow(ctx, rule, actions)
                waited = now - ticket.created_at
            if memo is not None:
                shape: tuple[object, ...] = (read, ticket.current_priority)
                if waited is not None:
                    self._waits.add(shape)
                    shape = (*shape, waited)
                plan = self._shapes.get(shape)
                if plan is None:
                    plan = self._plan_slow(ctx, rule, actions)
                    if len(self._shapes) >= _PLAN_CACHE_SIZE:
                        self._shapes.clear()
                        self._waits.clear()
                    self._shapes[shape] = plan
                return plan
            key = (id(rule), id(actions), ticket.current_priority, waited)
            known = self._plans.get(key)
            if known is None or known[0] is not rule or known[1] is not actions:
                plan = self._plan_slow(ctx, rule, actions)
                if len(self._plans) >= _PLAN_CACHE_SIZE:
                    self._plans.clear()
                self._plans[key] = (rule, actions, plan)
                return plan
            return known[2]
        return self._plan_slow(ctx, rule, actions)

    def _plan_slow(
        self, ctx: RoutingContext, rule: RoutingRule | None, actions: RuleActions
    ) -> _Plan:
        """Plan one ticket: rule line, escalation, priority (with adjustments and ageing), due time."""
        ticket = ctx.ticket
        now = ctx.now
        customer = ctx.customer
        lines: list[_Line] = []
        if rule is None:
            name = None
            lines.append(f"no rule matched: default actions (queue {actions.queue or 'default'})")
        else:
            name = rule.name
            if self.explain:
                lines.append(_Why(rule))  # written when the trace is read
            else:  # the same line for every ticket this rule matches
                line = self._lines.get(id(rule))
                if line is None or line[0] is not rule:
                    if len(self._lines) >= _CACHE_SIZE:
                        self._lines.clear()
                    line = (rule, f"rule {name!r} matched: {_why(rule, ctx, False)}")
                    self._lines[id(rule)] = line
                lines.append(line[1])

        # Escalation: every step whose timeout has passed applies, in order.
        step = 0
        waited = ""
        if actions.escalation:
            step, waited = self._steps_due(actions, ticket, now)
            if step:
                actions = self._escalated(actions, step)
        prep = self._prepared(actions)

        # Priority: the rule's, else impact x urgency, else the ticket's.
        if self.matrix is not None and "impact" in ticket.attributes:
            base, source = self.matrix.for_ticket(ticket), "impact x urgency"
        else:
            base, source = ticket.current_priority, "ticket"
        found = prep.notes.get((base, source))
        if found is None:
            found = prep.notes[(base, source)] = _priority_note(actions, base, source)
        priority, note = found
        if step:
            lines.append(
                _line(
                    prep.lines,
                    (step, waited, priority),
                    lambda: (
                        f"escalation step {step} of {len(actions.escalation)} in force after "
                        f"{waited} waiting: queue {actions.queue or 'default'}, priority "
                        f"{priority.value}, skills {prep.skills_text}"
                    ),
                )
            )
        elif actions.escalation:
            first = actions.escalation[0].after
            lines.append(
                _line(
                    prep.lines,
                    (0, waited, priority),
                    lambda: (
                        f"escalation: no step yet ({waited} waited, first step after "
                        f"{_duration(first)})"
                    ),
                )
            )

        due_at = None
        slack = least_slack(ctx.sla) if ctx.sla is not _NO_SLA else None
        if slack is not None:
            due_at = now + slack
        if self.adjustments is not None:
            adjusted, reasons = self.adjustments.apply(
                priority, ticket=ticket, customer=customer, time_left=slack
            )
            if reasons:
                note = f"{note}; {'; '.join(reasons)} -> {adjusted.value}"
            priority = adjusted
        if self.ageing is not None:
            aged = self.ageing.priority(ticket, now, base=priority)
            if aged is not priority:
                note = f"{note}; ageing -> {aged.value}"
            priority = aged
        lines.append(note)
        return (
            prep,
            tuple(lines),
            name,
            priority,
            step or None,
            due_at,
            -_RANK[priority],
            _INF if due_at is None else due_at.timestamp(),
        )

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
        if isinstance(strategy, _BUILTIN_TYPES):
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
        choice = strategy.choose(candidates, ctx, prep.actions, state.plugin_state(strategy.name))
        agent = choice.agent
        if agent is not None and all(agent.id != c.id for c in candidates):
            raise InvalidValueError(
                f"strategy plugin {strategy.name!r} chose {agent.id!r}, which is not among the "
                f"{len(candidates)} eligible agents"
            )
        state = state.with_plugin_state(strategy.name, choice.state)
        return (None if agent is None else agent.id), len(candidates), state, choice.explanation

    def _decide(
        self,
        ctx: RoutingContext,
        plan: _Plan,
        pool: AgentPool,
        state: RoutingState,
        handoff: HandoffContext | None,
    ) -> RoutingDecision:
        ticket = ctx.ticket
        prep = plan[0]
        actions = prep.actions
        channel = ticket.channel
        need = prep.needs.get(channel) or prep.need(channel)
        previous = None if actions.preferred_agents else _previous_agent(ticket)
        if prep.simple and not self.away_fallback and previous is None:
            # The common case, with the same outcome and trace as the general path below.
            online = AgentStatus.ONLINE
            if not self.explain:
                pick, found = pool.choose(need, prep.strategy, online)  # type: ignore[arg-type]
                # Without explain a plan's lines are all text (no _Why, no counts).
                trace = _simple_trace(plan[1], prep, channel, pick, found)  # type: ignore[arg-type]
                return _planned_decision(plan, ticket.id, pick, trace, ctx, handoff, state)
            with pool.lock:  # the counts and the choice see the pool at one instant
                pick, found = pool.choose(need, prep.strategy, online)  # type: ignore[arg-type]
                counted = (need, online, False, pool._filter_numbers(need, online, None))
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
        explain = self.explain
        chosen: str | None = None
        looked = 0
        how = ""
        for status in _ONLINE_AWAY if self.away_fallback else _ONLINE:
            if preferred:
                pick, looked, state, how = self._pick(
                    ctx, plan, pool, need, status, state, preferred
                )
                if explain:  # the numbers now, the text when the trace is read
                    lines.append(
                        (need, status, True, pool._filter_numbers(need, status, preferred))
                    )
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
            pick, looked, state, how = self._pick(ctx, plan, pool, need, status, state, None)
            if explain:
                lines.append((need, status, False, pool._filter_numbers(need, status, None)))
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
    ) -> RoutingDecision:
        """Return where ``ticket`` should go at ``now``; the pool is not changed.

        Nothing a caller can observe in the pool changes (loads, statuses, agents); the pool may
        tidy its internal index while choosing, under its own lock, so ``route`` is safe beside
        other threads using the same pool. To route and reserve as one step, hold
        ``pool.lock`` around ``route`` and ``pool.assign`` (or use :class:`cs8.desk.Desk`).
        With ``explain=True`` (the default) the trace counts the agents each filter leaves, from
        tallies the pool keeps up to date (counted at decision time, written as text when the
        trace is first read); ``Router(explain=False)`` also skips the rule's detailed reasons.

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
        now = as_stdlib(require_aware(now, "Router.route(now)"))
        ctx, plan = self._plan(ticket, now, customer, sla)
        return self._decide(ctx, plan, self._pool(agents), state or RoutingState(), handoff)

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
    ) -> AssignmentResult:
        """Serve a backlog in queue order; return every decision and the agents' new loads.

        Each ticket is planned (rule, priority, escalation), the backlog is put in queue order
        (:func:`~cs8.routing.queue_key`: priority, SLA due time, age, id), and each ticket in turn
        goes to an agent chosen on the loads left by the tickets before it. No agent is ever given
        more than its capacity; tickets nobody can take wait. A given :class:`AgentPool` is not
        changed (the work is done on a copy).

        Args:
            tickets: The waiting tickets.
            agents: An :class:`AgentPool` or a list of agents (their current loads count).
            now: The decision instant (also the agents' new ``last_assigned_at``).
            customers: Customers by id, for the tickets' ``customer_id``.
            sla: Each ticket's SLA clocks by ticket id.
            state: The strategies' memory to start from.
            handoffs: Handoff contexts by customer id, carried by the decisions.

        Raises:
            NaiveDatetimeError: If ``now`` has no time zone.
            InvalidValueError: If two tickets share an id.

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
        # is made of is kept), its plan (shared by tickets alike), and the parts of its queue key
        # that are not in the plan (strings and numbers only: nothing for the garbage collector).
        ticket_list = list(tickets)
        for ticket in ticket_list:
            if type(ticket) is not Ticket:
                check_context(ticket, None)  # raises for anything but a Ticket
        ids = [ticket.id for ticket in ticket_list]
        if len(set(ids)) < len(ids):
            seen: set[str] = set()
            for ticket_id in ids:
                if ticket_id in seen:
                    raise InvalidValueError(f"Router.assign: two tickets have id {ticket_id!r}")
                seen.add(ticket_id)
        if customers:
            get_customer = customers.get
            customer_list = [get_customer(ticket.customer_id) for ticket in ticket_list]
        else:
            customer_list = [None] * len(ticket_list)
        contexts: list[RoutingContext | None] = [None] * len(ticket_list)
        plans: list[_Plan] = []
        keep_plan = plans.append
        plan_for = self._plan
        get_clocks = sla.get if sla else None
        timezone = self.timezone
        basis = (now, timezone)
        # Remembered plans from plain rules: the rules read one scratch context, refilled for
        # each ticket (no plugin sees it, no plan keeps it); a decision builds its own context
        # when it is read.
        memo = self.rules._memo if self._memo_plans else None
        scratch = None if memo is None else scratch_context(now, timezone)
        key_of = _no_key if memo is None else memo[0]
        planned = self._planned
        shapes = self._shapes.get
        waits = self._waits
        for position, ticket in enumerate(ticket_list):
            customer = customer_list[position]
            clocks = get_clocks(ids[position]) if get_clocks else None
            if scratch is not None and clocks is None:
                if customer is not None and type(customer) is not Customer:
                    check_context(ticket, customer)  # raises for anything but a Customer
                scratch.ticket = ticket  # type: ignore[misc]
                scratch.customer = customer  # type: ignore[misc]
                # _planned's first step, inlined: a ticket shaped like one seen before.
                shape = (key_of(scratch), ticket.current_priority)
                plan = shapes(shape)
                if plan is None and shape in waits:
                    plan = shapes((*shape, now - ticket.created_at))
                keep_plan(planned(scratch) if plan is None else plan)
            else:
                ctx, plan = plan_for(ticket, now, customer, clocks)
                contexts[position] = ctx
                keep_plan(plan)
        stamps = [ticket.created_at.timestamp() for ticket in ticket_list]
        # Queue order (queue_key: priority, SLA due time, age, id; ids are unique, so it is total)
        # by stable sorts on one part at a time, from the last part to the first: each sort
        # compares plain strings or numbers, far faster than comparing tuples.
        order = sorted(range(len(ids)), key=ids.__getitem__)
        order.sort(key=stamps.__getitem__)
        dues = [plan[7] for plan in plans]
        if dues and min(dues) < _INF:
            order.sort(key=dues.__getitem__)
        order.sort(key=[plan[6] for plan in plans].__getitem__)
        current = state or RoutingState()
        decisions: list[RoutingDecision] = []
        decide = self._decide
        give = pool.assign
        keep = decisions.append
        get_handoff = handoffs.get if handoffs else None
        fast = not self.explain and not self.away_fallback
        serve = pool._serve  # choose among online agents, then assign at now
        instant = pool._instant(now)
        online = AgentStatus.ONLINE
        new = _new_object
        draft_type = _DecisionDraft
        decision_type = RoutingDecision
        for position in order:
            context = contexts[position]
            plan = plans[position]
            ticket = ticket_list[position]
            handoff = get_handoff(ticket.customer_id) if get_handoff else None
            prep = plan[0]
            if not (fast and prep.simple) or (ticket.events and _previous_agent(ticket)):
                if context is None:
                    context = fast_context(ticket, now, customer_list[position], None, timezone)
                decision = decide(context, plan, pool, current, handoff)
                agent_id = decision.agent_id
                if agent_id is not None:
                    give(agent_id, ticket.channel, now)
                current = decision.state
                keep(decision)
                continue
            # _decide's fast path, inlined (the same outcome and trace).
            channel = ticket.channel
            need = prep.needs.get(channel) or prep.need(channel)
            slot, found = serve(need, prep.strategy, online, instant)  # type: ignore[arg-type]
            actions = prep.actions
            d: Any = new(draft_type)  # _new_decision, inlined
            d.ticket_id = ids[position]
            d.agent_id = None if slot is None else slot.id
            d.queue = actions.queue
            d.priority = plan[3]
            d.trace = None  # built when first read (_LazyTrace), from the last three slots
            d.rule = plan[2]
            d.strategy = prep.name
            d.escalation_step = plan[4]
            d.skills = actions.skills
            d.languages = actions.languages
            d.due_at = plan[5]
            d._context = context
            d.handoff = handoff
            d.state = current
            d._ticket = ticket
            d._customer = customer_list[position]
            d._basis = basis
            d._lines = plan[1]
            d._prep = prep
            d._found = found
            d.__class__ = decision_type
            keep(d)
        return AssignmentResult(decisions=tuple(decisions), loads=pool.loads, state=current)


def _previous_agent(ticket: Ticket) -> str | None:
    """The agent a reopened ticket goes back to (Zendesk's rule): its last assignee, when the
    ticket moved from solved or closed back to an open status; ``None`` otherwise."""
    if ticket.events and ticket.reopen_count and ticket.is_open:
        return ticket.assignee
    return None


def _written(line: _Line, decision: RoutingDecision) -> str:
    """The text of one line of ``decision``'s trace."""
    if type(line) is str:
        return line
    if type(line) is _Why:
        return line.text(decision.context)
    return _counts(line)  # type: ignore[arg-type]


def _counts(line: _CountsLine) -> str:
    """The text of a filter-count line of a trace."""
    need, status, preferred, numbers = line
    labels = _filter_labels(need, status, preferred)
    return f"filters ({status.value}): " + " -> ".join(
        f"{label} {n}" for label, n in zip(labels, numbers, strict=True)
    )
