"""What the router decides about a ticket before an agent is chosen (internal).

``_Prepared`` is what the router derives once from one :class:`~cs8.routing.RuleActions` value;
a ``_Plan`` is everything decided about a ticket but its agent (shared by tickets alike); the
trace lines a plan holds are text, or what the text is written from when a trace is first read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TypeAlias, TypeVar

import attrs

from cs8._enums import AgentStatus, Channel, Priority
from cs8._frozen import FrozenDict
from cs8._models import Agent, Ticket
from cs8.exceptions import InvalidValueError
from cs8.routing._actions import EscalationStep, RuleActions
from cs8.routing._agent_filter import passing
from cs8.routing._context import (
    RoutingContext,
)
from cs8.routing._order_by import first_ranked
from cs8.routing._plugins import Strategy
from cs8.routing._pool import Need
from cs8.routing._rules import RoutingRule
from cs8.routing._strategies import (
    BUILTIN_STRATEGIES,
    BuiltinStrategy,
    KeyStrategy,
    LeastBusy,
    LongestIdle,
    MostSkilled,
    RoundRobin,
    Weighted,
)

_K = TypeVar("_K")

_RANK: dict[Priority, int] = {p: p.rank for p in Priority}
_BUILTIN_TYPES = (LeastBusy, LongestIdle, RoundRobin, MostSkilled, Weighted)
_HEAP_TYPES = (*_BUILTIN_TYPES, KeyStrategy)  # strategies the pool ranks in its heaps
_CACHE_SIZE = 4096
_INF = math.inf


# --------------------------------------------------------------------------------------------------
# What is decided before an agent is chosen


class _Prepared:
    """What the router derives once from one RuleActions value (cached per router)."""

    __slots__ = (
        "actions",
        "chose",
        "entry",
        "filters",
        "lines",
        "looked",
        "name",
        "needs",
        "notes",
        "origin",
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
        self.tie_break = strategy.tie_break if isinstance(strategy, _HEAP_TYPES) else ""
        self.skills_text = _skills_text(actions.skills)
        self.needs: dict[Channel, Need] = {}
        # A built-in strategy other than round robin, no preferred agents and no agent filters:
        # one pool.choose.
        self.simple = (
            isinstance(strategy, _HEAP_TYPES)
            and not isinstance(strategy, RoundRobin)
            and not actions.preferred_agents
            and not actions.agent_filters
            and not actions.order_by
        )
        # With skip_if steps: the rule's actions and the steps due (see Router._skipped).
        self.origin: tuple[RuleActions, int] | None = None
        # How the ticket came into the queue in force: (the escalation step that moved it there,
        # the step whose timeout is that instant), numbered from 1; (0, 0): since its creation.
        # Set by the planner, which knows the actions the steps applied to (see _entry_steps).
        self.entry: tuple[int, int] = (0, 0)
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
                + "".join(f", agent filter {f.name}" for f in self.actions.agent_filters)
                + "".join(f", order by {o.name}" for o in self.actions.order_by)
            )
        return found


def _entry_steps(
    start: str | None, steps: Sequence[EscalationStep | None], due: int
) -> tuple[int, int]:
    """How a ticket came into the queue its steps leave it in (``_Prepared.entry``).

    ``start`` is the queue the rule's actions set (before any step); ``steps`` are the escalation
    steps in force, in order, with ``None`` for a step left out (``skip_if``); ``due`` is how many
    steps have timed out (a step after them applies because the one before it was skipped, at
    the instant of step ``due``). The entry is the last step that set a queue other than the one
    the ticket was in: a step restating the queue in force moves nothing. Returns (that step,
    the step whose timeout is its instant), numbered from 1; ``(0, 0)`` when no step moved the
    ticket (it has been in its queue since its creation).

    Example:
        >>> from datetime import timedelta
        >>> l1, l2 = (EscalationStep(after=timedelta(minutes=m), queue=q)
        ...     for m, q in ((10, "l1"), (20, "l2")))
        >>> _entry_steps("l1", [l1], 1), _entry_steps("l1", [l1, l2], 2), _entry_steps(None, [l1], 1)
        ((0, 0), (2, 2), (1, 1))
    """
    current, moved = start, 0
    for number, step in enumerate(steps, start=1):
        if step is not None and step.queue is not None and step.queue != current:
            current, moved = step.queue, number
    return moved, min(moved, due)


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


_Line: TypeAlias = str | _CountsLine | _Why
"""A trace line, or what it is written from when the trace is first read."""


@attrs.frozen(kw_only=True)
class _Planned:
    """The fields of a :class:`~cs8.routing.RoutingDecision` its plan decides (internal): one
    value shared by every decision of tickets planned alike, so a decision holds one slot for
    them instead of eight (each slot of a frozen instance is filled by a call; see
    ``docs/performance.md``, "Routing a backlog"). Equal by value, as the fields were."""

    queue: str | None
    priority: Priority
    rule: str | None = None
    strategy: str = "least_busy"
    escalation_step: int | None = None
    skills: FrozenDict[str, int] = attrs.field(factory=FrozenDict)
    languages: frozenset[str] = frozenset()
    due_at: datetime | None = None


_Plan: TypeAlias = tuple[
    "_Prepared",
    "tuple[_Line, ...]",  # trace lines so far (shared by the tickets of a remembered plan)
    "str | None",  # rule name
    Priority,
    "int | None",  # escalation step
    "datetime | None",  # due_at
    int,  # minus the priority's rank (the queue key's first part)
    float,  # the SLA due time in epoch seconds, inf for none (the queue key's second part)
    _Planned,  # the decision's fields the plan decides
]
"""Everything decided about a ticket before an agent is chosen but its context. Tickets that
share a rule, actions, priority and escalation step share one plan (see ``Router._plans``).
Made by :func:`_plan_of`."""


def _plan_of(
    prep: _Prepared,
    lines: tuple[_Line, ...],
    rule: str | None,
    priority: Priority,
    step: int | None,
    due_at: datetime | None,
) -> _Plan:
    """A plan from its parts, with the two queue-order keys derived from the priority and due
    time, and the decision's fields (see ``_Plan``)."""
    actions = prep.actions
    planned = _Planned(
        queue=actions.queue,
        priority=priority,
        rule=rule,
        strategy=prep.name,
        escalation_step=step,
        skills=actions.skills,
        languages=actions.languages,
        due_at=due_at,
    )
    return (
        prep,
        lines,
        rule,
        priority,
        step,
        due_at,
        -_RANK[priority],
        _INF if due_at is None else due_at.timestamp(),
        planned,
    )


def _duration(value: timedelta) -> str:
    seconds = value.total_seconds()
    if seconds < 3600:
        return f"{math.floor(seconds / 60)} min"
    hours = seconds / 3600
    return f"{hours:.1f} h" if hours != int(hours) else f"{int(hours)} h"


def _languages_and_filters(actions: RuleActions) -> str:
    """The languages and agent filters in force, for an escalation step's trace line: languages
    are named whenever the rule's steps can change them (``any`` once dropped)."""
    touched = any(s.drop_languages or s.languages is not None for s in actions.escalation)
    text = ""
    if actions.languages or touched:
        text = f", languages {'/'.join(sorted(actions.languages)) or 'any'}"
    return text + "".join(f", agent filter {f.name}" for f in actions.agent_filters)


def _narrowed(
    actions: RuleActions, ctx: RoutingContext, agents: Sequence[Agent]
) -> tuple[str, ...]:
    """The ids of ``agents`` (eligible by the index) that pass the agent filters of ``actions``
    and rank first by its ``order_by``."""
    if actions.agent_filters:
        keep = frozenset(passing(actions.agent_filters, ctx, agents))
        agents = [agent for agent in agents if agent.id in keep]
    if actions.order_by:
        return first_ranked(actions.order_by, agents)
    return tuple(agent.id for agent in agents)


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


def _line(cache: dict[_K, str], key: _K, make: Callable[[], str]) -> str:
    """The trace line remembered under ``key``, made (and remembered, within bounds) if new."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        found = cache[key] = make()
    return found


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


def _previous_agent(ticket: Ticket) -> str | None:
    """The agent a reopened ticket goes back to (Zendesk's rule): its last assignee, when the
    ticket moved from solved or closed back to an open status; ``None`` otherwise."""
    if ticket.events and ticket.reopen_count and ticket.is_open:
        return ticket.assignee
    return None
