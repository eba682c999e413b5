"""Composable rules: a rule with ``"continue": true`` lets later matching rules add requirements.

Trying goes down the rules in order as usual; when the first matching rule has ``continue`` set,
the rules after it are still tried, and every further matching rule adds its actions, until a
matching rule without ``continue`` (which is included) or the end of the rules. The rules that
applied become one :class:`ComposedRule`, named ``"vip + english + refund"``, whose actions are
merged by these rules (the same for every ticket, so the trace can state them):

* **skills**: every rule's skills are required; a skill two rules name needs the higher minimum.
* **languages**: each rule's ``languages`` must be met (any one language of each list). The first
  list is the actions' ``languages``; each further list becomes an agent filter
  ``agent.languages has_any [...]``.
* **agent filters**: every rule's filters must hold.
* **preferred agents**: every rule's, in rule order, without repeats.
* **priority**: absolute priorities: the highest wins; priority changes add up (clamped to
  -3..+3); an absolute priority with changes: the absolute one wins.
* **queue, strategy, escalation, order_by**: the earliest rule that sets one wins (as in first-match
  rules: earlier rules are the more specific ones).

Every conflict (two rules setting different queues, strategies, priorities or escalation
ladders) is resolved by these rules and named in the trace.

Example:
    >>> from cs8.routing import Rule, RuleActions
    >>> vip = Rule(name="vip", actions=RuleActions(queue="vip", skills={"refunds": 1}))
    >>> refund = Rule(name="refund", actions=RuleActions(queue="billing", skills={"refunds": 2}))
    >>> both = compose([vip, refund])
    >>> both.name, both.actions.queue, dict(both.actions.skills)
    ('vip + refund', 'vip', {'refunds': 2})
    >>> both.conflicts
    ("queue 'vip' (rule vip) kept over 'billing' (rule refund): the earlier rule wins",)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from cs8._enums import Priority
from cs8.routing._actions import RuleActions
from cs8.routing._agent_filter import AgentFilter, compile_agent_filter
from cs8.routing._context import RoutingContext

if TYPE_CHECKING:
    from cs8.routing._rules import RoutingRule

__all__ = ["ComposedRule", "compose", "merge_actions"]


def _earliest(
    what: str, named: Sequence[tuple[str, object]], conflicts: list[str], show: str = "{!r}"
) -> object:
    """The first value set, and a conflict line for each later different one."""
    kept: tuple[str, object] | None = None
    for name, value in named:
        if value is None or value == ():
            continue
        if kept is None:
            kept = (name, value)
        elif value != kept[1]:
            conflicts.append(
                f"{what} {show.format(kept[1])} (rule {kept[0]}) kept over "
                f"{show.format(value)} (rule {name}): the earlier rule wins"
            )
    return None if kept is None else kept[1]


def _priority(
    named: Sequence[tuple[str, RuleActions]], conflicts: list[str]
) -> tuple[Priority | None, int]:
    absolute = [(name, a.priority) for name, a in named if a.priority is not None]
    change = sum(a.priority_change for _, a in named)
    best: tuple[str, Priority] | None = None
    for name, priority in absolute:
        assert priority is not None
        if best is None or priority.rank > best[1].rank:
            best = (name, priority)
    if best is None:
        return None, max(-3, min(3, change))
    for name, priority in absolute:
        if priority is not best[1]:
            conflicts.append(
                f"priority {best[1].value} (rule {best[0]}) kept over {priority.value} "
                f"(rule {name}): the highest wins"
            )
    changed = [name for name, a in named if a.priority_change]
    if changed:
        conflicts.append(
            f"priority {best[1].value} (rule {best[0]}) kept over the priority change of "
            f"rule(s) {', '.join(changed)}: an absolute priority wins"
        )
    return best[1], 0


def merge_actions(named: Sequence[tuple[str, RuleActions]]) -> tuple[RuleActions, tuple[str, ...]]:
    """Merge the actions of the rules that applied, in order; return them and the conflicts.

    Args:
        named: ``(rule name, actions)`` in rule order.

    Example:
        >>> actions, conflicts = merge_actions([
        ...     ("vip", RuleActions(priority="high", languages=["en"])),
        ...     ("fr", RuleActions(priority_change=1, languages=["fr", "en"]))])
        >>> actions.priority, sorted(actions.languages), [f.name for f in actions.agent_filters]
        (Priority.HIGH, ['en'], ['agent.languages has_any ["en", "fr"]'])
        >>> conflicts
        ('priority high (rule vip) kept over the priority change of rule(s) fr: an absolute priority wins',)
    """
    conflicts: list[str] = []
    queue = _earliest("queue", [(n, a.queue) for n, a in named], conflicts)
    strategy = _earliest("strategy", [(n, a.strategy) for n, a in named], conflicts)
    ladder = _earliest(
        "escalation",
        [(n, a.escalation) for n, a in named],
        conflicts,
        show="({} steps)",
    )
    _earliest(
        "order_by",
        [(n, ", ".join(o.name for o in a.order_by) or None) for n, a in named],
        conflicts,
        show="[{}]",
    )
    order = next((a.order_by for _, a in named if a.order_by), ())
    priority, change = _priority(named, conflicts)
    skills: dict[str, int] = {}
    languages: frozenset[str] = frozenset()
    filters: list[AgentFilter] = []
    preferred: dict[str, None] = {}
    for _, actions in named:
        for skill, level in actions.skills.items():
            skills[skill] = max(level, skills.get(skill, level))
        if actions.languages:
            if not languages:
                languages = actions.languages
            elif actions.languages != languages:
                extra = compile_agent_filter(
                    {
                        "field": "agent.languages",
                        "op": "has_any",
                        "value": sorted(actions.languages),
                    }
                )
                if extra not in filters:
                    filters.append(extra)
        for agent_filter in actions.agent_filters:
            if agent_filter not in filters:
                filters.append(agent_filter)
        preferred.update(dict.fromkeys(actions.preferred_agents))
    merged = RuleActions(
        queue=queue,  # type: ignore[arg-type]
        priority=priority,
        priority_change=change,
        skills=skills,
        languages=languages,
        preferred_agents=tuple(preferred),
        strategy=strategy,  # type: ignore[arg-type]
        escalation=ladder or (),  # type: ignore[arg-type]
        agent_filters=tuple(filters),
        order_by=order,
    )
    return merged, tuple(conflicts)


class _Reasons:
    """The ``when`` of a composed rule, as the router's trace reads it: each part's reasons."""

    __slots__ = ("conflicts", "name", "parts")

    def __init__(self, parts: tuple[RoutingRule, ...], conflicts: tuple[str, ...]) -> None:
        self.parts = parts
        self.conflicts = conflicts
        self.name = self._text(None)

    def _text(self, ctx: RoutingContext | None) -> str:
        out = []
        for rule in self.parts:
            when = getattr(rule, "when", None)
            text = None
            if ctx is not None:
                explain = getattr(when, "explain", None)
                text = explain(ctx) if callable(explain) else None
            if not isinstance(text, str):
                name = getattr(when, "name", None)
                text = name if isinstance(name, str) else f"{type(rule).__name__}.matches"
            out.append(f"[{rule.name}] {text}")
        text = "; ".join(out)
        if self.conflicts:
            text = f"{text}; conflicts: {'; '.join(self.conflicts)}"
        return text

    def explain(self, ctx: RoutingContext) -> str:
        return self._text(ctx)


@attrs.frozen(kw_only=True)
class ComposedRule:
    """The rules that applied to one ticket when a rule had ``continue`` set, as one rule.

    Attributes:
        parts: The rules that applied, in order.
        name: Their names joined by ``" + "``.
        actions: Their merged actions (see :func:`merge_actions`).
        conflicts: How conflicting actions were resolved, one sentence each.

    Example:
        >>> from cs8.routing import Rule, RuleActions
        >>> composed = compose([Rule(name="a", actions=RuleActions(skills={"x": 1})),
        ...                     Rule(name="b", actions=RuleActions(skills={"y": 2}))])
        >>> composed.name, dict(composed.actions.skills)
        ('a + b', {'x': 1, 'y': 2})
    """

    parts: tuple[RoutingRule, ...]
    name: str
    actions: RuleActions
    conflicts: tuple[str, ...]
    when: _Reasons = attrs.field(eq=False, repr=False)

    def matches(self, ctx: RoutingContext, /) -> bool:
        """Return whether every part matches ``ctx``."""
        return all(rule.matches(ctx) for rule in self.parts)


def compose(rules: Sequence[RoutingRule]) -> ComposedRule:
    """Return the rules that applied, in order, as one :class:`ComposedRule`.

    Example:
        >>> from cs8.routing import Rule, RuleActions
        >>> compose([Rule(name="a", actions=RuleActions(queue="q"))]).actions.queue
        'q'
    """
    parts = tuple(rules)
    actions, conflicts = merge_actions([(rule.name, rule.actions) for rule in parts])
    return ComposedRule(
        parts=parts,
        name=" + ".join(rule.name for rule in parts),
        actions=actions,
        conflicts=conflicts,
        when=_Reasons(parts, conflicts),
    )


def continues(rule: RoutingRule) -> bool:
    """Whether trying goes on after ``rule`` matched (its ``continues`` flag; plugins: False).

    Example:
        >>> from cs8.routing import Rule
        >>> continues(Rule(name="a", continues=True)), continues(Rule(name="b"))
        (True, False)
    """
    return getattr(rule, "continues", False) is True
