"""Routing rules as data: first-match rules that pick a queue, a priority, skills and escalation.

Interface note (for the router and for rule authors)
----------------------------------------------------
* ``load_rules(json_text | dict, registry=None, limits=RuleLimits()) -> RuleSet`` checks a whole
  document and compiles every condition to closures; any problem raises ``RuleError`` naming the rule
  and the JSON path (``rules[3].when.all[1].op``). ``dump_rules(ruleset)`` writes it back (normalized).
* ``RuleSet.rules`` is the ordered tuple of rules; ``RuleSet.first_match(ctx)`` returns the first rule
  whose ``matches(ctx)`` is true, or ``None`` (then ``RuleSet.default`` applies);
  ``RuleSet.select(ctx)`` returns ``(rule or None, actions)`` in one call.
* A rule is anything satisfying the ``RoutingRule`` protocol (``name``, ``matches(ctx)``,
  ``actions``); :class:`Rule` is the built-in one, whose ``when`` is a compiled
  :class:`~cs8.routing.Condition`.
* :class:`RuleActions` says what a matching rule asks for. Every field is optional: ``queue``,
  ``priority`` (absolute) or ``priority_change`` (+/- levels from the ticket's current priority),
  ``skills`` (skill -> minimum level; level 0 means the skill at any level), ``languages`` (any one
  of them qualifies an agent), ``preferred_agents`` (ordered), ``strategy`` (a built-in name such as
  ``least_busy`` or a registered plugin) and ``escalation`` (:class:`EscalationStep` values, sorted
  by strictly increasing ``after``).
* An :class:`EscalationStep` applies once the ticket has waited ``after`` (in business time when
  ``business_hours`` is true). Steps are cumulative: ``actions.escalated(n)`` applies the first
  ``n`` steps in order; a step that does not set a priority inherits the one in force.
* :class:`RoutingContext` (ticket, now, customer, sla, timezone) is what conditions read; the list
  of fields is :data:`cs8.routing.FIELDS`.
* For traces: ``rule.when.name`` renders the condition; a compiled condition's
  ``when.explain(ctx)`` adds each comparison's outcome and the value it read.
* Speed: ``RuleSet.first_match`` only tries the rules whose conditions can hold on the ticket's
  channel and calls their compiled closures directly (a fraction of a microsecond per simple rule);
  build one ``RoutingContext`` per decision and reuse it.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Customer, Ticket
    >>> rules = load_rules('''{"rules": [
    ...   {"name": "vip", "when": {"field": "customer.segment", "op": "equals", "value": "vip"},
    ...    "actions": {"queue": "vip", "priority": "high"}}],
    ...  "default": {"queue": "general"}}''')
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="chat",
    ...     created_at=t0), now=t0, customer=Customer(id="C1", segment="vip"))
    >>> rules.first_match(ctx).name, rules.select(ctx)[1].queue
    ('vip', 'vip')
"""

from __future__ import annotations

import json
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

import attrs

from cs8._enums import Channel, Priority
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError, RuleError
from cs8.routing._conditions import (
    ALWAYS,
    CompiledCondition,
    Condition,
    Predicate,
    compile_condition,
    possible_channels,
)
from cs8.routing._context import RoutingContext, field_spec
from cs8.routing._schema import (
    JsonValue,
    Loc,
    RuleLimits,
    check_document,
    describe,
    format_duration,
    parse_duration,
    parse_text,
)

if TYPE_CHECKING:
    from cs8.routing._plugins import RuleRegistry

__all__ = [
    "BUILTIN_STRATEGY_NAMES",
    "EscalationStep",
    "RoutingRule",
    "Rule",
    "RuleActions",
    "RuleSet",
    "dump_rules",
    "load_rules",
]

FORMAT_VERSION = 1
"""The version of the rule document format this module reads and writes."""

BUILTIN_STRATEGY_NAMES: frozenset[str] = frozenset(
    {
        "least_busy",
        "least_busy_spare",
        "least_busy_share",
        "longest_idle",
        "most_skilled",
        "round_robin",
        "weighted",
    }
)
"""Strategy names a rule may use without a registry (the router's built-in strategies)."""


# --------------------------------------------------------------------------------------------------
# Validators


def _name_of(instance: object) -> str:
    return type(instance).__name__


def _check_int(low: int, high: int) -> attrs._ValidatorType[int]:
    def check(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InvalidValueError(
                f"{_name_of(instance)}.{attribute.name} must be an integer in {low}..{high}, "
                f"got {value!r}"
            )

    return check


def _opt_text(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidValueError(
            f"{_name_of(instance)}.{attribute.name} must be a non-empty string or None, "
            f"got {value!r}"
        )


def _opt_priority(value: Priority | str | None) -> Priority | None:
    return None if value is None else Priority(value)


def _skills(value: Mapping[str, int] | None) -> FrozenDict[str, int]:
    return value if isinstance(value, FrozenDict) else FrozenDict(value or {})


def _check_skills(
    instance: object, attribute: attrs.Attribute[FrozenDict[str, int]], value: FrozenDict[str, int]
) -> None:
    for skill, level in value.items():
        if not isinstance(skill, str) or not skill.strip():
            raise InvalidValueError(
                f"{_name_of(instance)}.{attribute.name} has an empty skill name, got {skill!r}"
            )
        if not isinstance(level, int) or isinstance(level, bool) or level < 0:
            raise InvalidValueError(
                f"{_name_of(instance)}.{attribute.name}[{skill!r}] must be a non-negative integer "
                f"level, got {level!r}"
            )


def _str_frozenset(value: Iterable[str] | str | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)


def _str_tuple(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _check_strings(instance: object, attribute: attrs.Attribute[Any], value: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError(
                f"{_name_of(instance)}.{attribute.name} must hold non-empty strings, got {item!r}"
            )
        if item in seen:
            raise InvalidValueError(f"{_name_of(instance)}.{attribute.name} lists {item!r} twice")
        seen.add(item)


def _check_after(instance: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InvalidValueError(
            f"EscalationStep.after must be a non-negative timedelta, got {value!r}"
        )


def _check_bool(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError(
            f"{_name_of(instance)}.{attribute.name} must be a bool, got {value!r}"
        )


# --------------------------------------------------------------------------------------------------
# Escalation steps and actions


@attrs.frozen(kw_only=True)
class EscalationStep:
    """What changes once a ticket has waited ``after`` without being taken.

    Args:
        after: Waiting time (from the ticket's creation, or from when the rule first applied, as the
            router documents) at which this step applies.
        queue: Move the work to this queue; ``None`` keeps the queue in force.
        priority: Set this priority; ``None`` keeps the priority in force.
        raise_priority: Raise the priority in force by this many levels (0 to 3; clamped at
            ``URGENT``). Not together with ``priority``.
        relax_skills: Lower every required skill level by this many levels (never below 0).
        drop_skills: Stop requiring these skills.
        business_hours: Count ``after`` in the calendar's business hours instead of elapsed time.

    Raises:
        InvalidValueError: If a field is out of range, or ``priority`` and ``raise_priority`` are
            both given.

    Example:
        >>> from datetime import timedelta
        >>> step = EscalationStep(after=timedelta(minutes=30), raise_priority=1, relax_skills=1)
        >>> RuleActions(priority="normal", skills={"refunds": 3}).apply(step).skills["refunds"]
        2
    """

    after: timedelta = attrs.field(validator=_check_after)
    queue: str | None = attrs.field(default=None, validator=_opt_text)
    priority: Priority | None = attrs.field(default=None, converter=_opt_priority)
    raise_priority: int = attrs.field(default=0, validator=_check_int(0, 3))
    relax_skills: int = attrs.field(default=0, validator=_check_int(0, 1_000_000))
    drop_skills: frozenset[str] = attrs.field(
        factory=frozenset, converter=_str_frozenset, validator=_check_strings
    )
    business_hours: bool = attrs.field(default=False, validator=_check_bool)

    def __attrs_post_init__(self) -> None:
        if self.priority is not None and self.raise_priority:
            raise InvalidValueError(
                "EscalationStep takes priority or raise_priority, not both, got "
                f"priority={self.priority.value!r} and raise_priority={self.raise_priority!r}"
            )


def _steps(value: Iterable[EscalationStep] | None) -> tuple[EscalationStep, ...]:
    return tuple(value or ())


def _check_steps(
    instance: object,
    attribute: attrs.Attribute[tuple[EscalationStep, ...]],
    value: tuple[EscalationStep, ...],
) -> None:
    previous: timedelta | None = None
    for i, step in enumerate(value):
        if not isinstance(step, EscalationStep):
            raise InvalidValueError(
                f"RuleActions.escalation[{i}] must be an EscalationStep, got {step!r}"
            )
        if previous is not None and step.after <= previous:
            raise InvalidValueError(
                f"RuleActions.escalation[{i}].after must be later than the step before it "
                f"({previous} then {step.after})"
            )
        previous = step.after


def _opt_strategy(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidValueError(f"RuleActions.strategy must be a name or None, got {value!r}")


@attrs.frozen(kw_only=True)
class RuleActions:
    """What a matching rule asks of the router; every field is optional.

    Args:
        queue: The queue the work goes to.
        priority: The priority to set. Not together with ``priority_change``.
        priority_change: Levels to add to (or, negative, subtract from) the ticket's priority,
            clamped to ``LOW``..``URGENT``.
        skills: Required skills with minimum levels; level 0 needs the skill at any level.
        languages: Languages an agent must speak (any one of them); empty means any agent.
        preferred_agents: Agents to try first, in order.
        strategy: The assignment strategy's name (built-in or registered); ``None`` leaves the
            router's default.
        escalation: Steps applied after waiting times, sorted by strictly increasing ``after``.

    Raises:
        InvalidValueError: If a field is out of range, or both priority forms are given.

    Example:
        >>> from cs8 import Priority
        >>> actions = RuleActions(queue="billing", priority_change=1, skills={"refunds": 2})
        >>> actions.priority_for(Priority.HIGH)
        Priority.URGENT
    """

    queue: str | None = attrs.field(default=None, validator=_opt_text)
    priority: Priority | None = attrs.field(default=None, converter=_opt_priority)
    priority_change: int = attrs.field(default=0, validator=_check_int(-3, 3))
    skills: FrozenDict[str, int] = attrs.field(
        factory=FrozenDict, converter=_skills, validator=_check_skills
    )
    languages: frozenset[str] = attrs.field(
        factory=frozenset, converter=_str_frozenset, validator=_check_strings
    )
    preferred_agents: tuple[str, ...] = attrs.field(
        default=(), converter=_str_tuple, validator=_check_strings
    )
    strategy: str | None = attrs.field(default=None, validator=_opt_strategy)
    escalation: tuple[EscalationStep, ...] = attrs.field(
        default=(), converter=_steps, validator=_check_steps
    )

    def __attrs_post_init__(self) -> None:
        if self.priority is not None and self.priority_change:
            raise InvalidValueError(
                "RuleActions takes priority or priority_change, not both, got "
                f"priority={self.priority.value!r} and priority_change={self.priority_change!r}"
            )

    def priority_for(self, current: Priority) -> Priority:
        """Return the priority these actions give a ticket whose priority is ``current``.

        Example:
            >>> from cs8 import Priority
            >>> RuleActions(priority_change=-1).priority_for(Priority.LOW)
            Priority.LOW
        """
        if self.priority is not None:
            return self.priority
        if self.priority_change:
            return _BY_RANK[max(0, min(3, _RANK[current] + self.priority_change))]
        return current

    def apply(self, step: EscalationStep) -> RuleActions:
        """Return the actions in force once ``step`` applies (its own ``escalation`` kept).

        The queue and priority change only when the step sets them; ``raise_priority`` adds to the
        priority in force (absolute or relative); skills are lowered, then dropped.

        Example:
            >>> from datetime import timedelta
            >>> base = RuleActions(queue="l1", priority="high", skills={"a": 1, "b": 2})
            >>> step = EscalationStep(after=timedelta(hours=1), queue="l2", drop_skills={"a"})
            >>> after = base.apply(step)
            >>> after.queue, after.priority, dict(after.skills)
            ('l2', Priority.HIGH, {'b': 2})
        """
        priority = self.priority
        change = self.priority_change
        if step.priority is not None:
            priority, change = step.priority, 0
        elif step.raise_priority:
            if priority is not None:
                priority = Priority.from_rank(priority.rank + step.raise_priority)
            else:
                change = max(-3, min(3, change + step.raise_priority))
        skills = self.skills
        if step.relax_skills or step.drop_skills:
            skills = FrozenDict(
                {
                    name: max(0, level - step.relax_skills)
                    for name, level in self.skills.items()
                    if name not in step.drop_skills
                }
            )
        return attrs.evolve(
            self,
            queue=step.queue if step.queue is not None else self.queue,
            priority=priority,
            priority_change=change,
            skills=skills,
        )

    def escalated(self, steps: int) -> RuleActions:
        """Return the actions in force after the first ``steps`` escalation steps, in order.

        Example:
            >>> from datetime import timedelta
            >>> actions = RuleActions(priority="low", escalation=[
            ...     EscalationStep(after=timedelta(minutes=10), raise_priority=1),
            ...     EscalationStep(after=timedelta(minutes=20), raise_priority=1)])
            >>> [actions.escalated(n).priority for n in range(3)]
            [Priority.LOW, Priority.NORMAL, Priority.HIGH]
        """
        out = self
        for step in self.escalation[: max(0, steps)]:
            out = out.apply(step)
        return out

    def steps_due(self, waited: timedelta) -> int:
        """Return how many escalation steps apply after waiting ``waited`` (``after <= waited``).

        Example:
            >>> from datetime import timedelta
            >>> actions = RuleActions(escalation=[EscalationStep(after=timedelta(minutes=10),
            ...     queue="l2")])
            >>> actions.steps_due(timedelta(minutes=9)), actions.steps_due(timedelta(minutes=10))
            (0, 1)
        """
        n = 0
        for step in self.escalation:
            if step.after > waited:
                break
            n += 1
        return n


# --------------------------------------------------------------------------------------------------
# Rules


@runtime_checkable
class RoutingRule(Protocol):
    """**Protocol:** a routing rule: a name, a test of the routing context, and actions.

    :class:`Rule` (what documents load to) is one; a plugin can provide others, for instance a rule
    that looks something up in the application's own data. ``matches`` must be a pure function.

    Example:
        >>> class Always:
        ...     name = "always"
        ...     actions = RuleActions(queue="general")
        ...     def matches(self, ctx: RoutingContext) -> bool:
        ...         return True
        >>> isinstance(Always(), RoutingRule)
        True
    """

    @property
    def name(self) -> str:
        """The rule's unique name, shown in traces."""
        ...

    @property
    def actions(self) -> RuleActions:
        """What the rule asks for when it matches."""
        ...

    def matches(self, ctx: RoutingContext, /) -> bool:
        """Return whether the rule applies in ``ctx``."""
        ...


def _check_name(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(f"Rule.name must be a non-empty string, got {value!r}")


def _check_condition(instance: Rule, attribute: attrs.Attribute[Condition], value: object) -> None:
    if not callable(value):
        raise InvalidValueError(
            f"Rule.when must be a Condition (callable with a RoutingContext), got {value!r} "
            f"(rule {instance.name!r})"
        )


def _always() -> Condition:
    return compile_condition(ALWAYS)


def _check_actions(instance: Rule, attribute: attrs.Attribute[RuleActions], value: object) -> None:
    if not isinstance(value, RuleActions):
        raise InvalidValueError(
            f"Rule.actions must be RuleActions, got {value!r} (rule {instance.name!r})"
        )


@attrs.frozen(kw_only=True)
class Rule:
    """A named routing rule: when ``when`` holds, the router applies ``actions``.

    Args:
        name: Unique within its rule set; shown in traces.
        when: The condition (compiled from a document, or any :class:`Condition`); always true by
            default.
        actions: What to do when it matches.
        description: Free text for people reading the rules.

    Example:
        >>> from cs8.routing import compile_condition
        >>> rule = Rule(name="chat", when=compile_condition(
        ...     {"field": "ticket.channel", "op": "equals", "value": "chat"}),
        ...     actions=RuleActions(queue="chat"))
        >>> rule.when.name
        "ticket.channel equals 'chat'"
    """

    name: str = attrs.field(validator=_check_name)
    when: Condition = attrs.field(factory=_always, validator=_check_condition)
    actions: RuleActions = attrs.field(factory=RuleActions, validator=_check_actions)
    description: str = ""

    def matches(self, ctx: RoutingContext, /) -> bool:
        """Return whether this rule applies in ``ctx``."""
        return bool(self.when(ctx))


def _rules(value: Iterable[RoutingRule]) -> tuple[RoutingRule, ...]:
    return tuple(value)


def _check_rules(
    instance: RuleSet,
    attribute: attrs.Attribute[tuple[RoutingRule, ...]],
    value: tuple[RoutingRule, ...],
) -> None:
    seen: set[str] = set()
    for i, rule in enumerate(value):
        if not isinstance(rule, RoutingRule):
            raise InvalidValueError(
                f"RuleSet.rules[{i}] must be a Rule (name, matches, actions), got {rule!r}"
            )
        if rule.name in seen:
            raise InvalidValueError(f"RuleSet.rules has two rules named {rule.name!r}")
        seen.add(rule.name)


def _check_default(
    instance: RuleSet, attribute: attrs.Attribute[RuleActions], value: object
) -> None:
    if not isinstance(value, RuleActions):
        raise InvalidValueError(f"RuleSet.default must be RuleActions, got {value!r}")


# The first matching rule is a pure function of the values of the fields the rules read (compiled
# conditions without plugins read nothing else), so a rule set whose rules only read fields with
# few, hashable values remembers the answer per tuple of those values. Fields read in C by
# attrgetter, by the attribute path of the context:
_MEMO_ATTRS: dict[str, str] = {
    "ticket.channel": "ticket.channel",
    "ticket.category": "ticket.category",
    "ticket.priority": "ticket.current_priority",
    "ticket.status": "ticket.status",
    "ticket.assignee": "ticket.assignee",
    "ticket.language": "ticket.language",
    "ticket.tags": "ticket.tags",
    "time.hour": "local_hour",
    "time.weekday": "local_weekday",
}
# Fields read by their resolver (enum members, strings or None).
_MEMO_CALLS = frozenset({"customer.segment", "customer.language"})
_MEMO_SIZE = 4096
_RANK: dict[Priority, int] = {p: p.rank for p in Priority}
_BY_RANK: tuple[Priority, ...] = tuple(sorted(Priority, key=_RANK.__getitem__))

MemoKey: TypeAlias = Callable[[RoutingContext], object]


def _fields_read(doc: JsonValue, out: set[str]) -> bool:
    """Add the fields a normalized condition document reads to ``out``; False if it has a plugin."""
    if not isinstance(doc, dict):
        return False
    if "field" in doc:
        field = doc["field"]
        if not isinstance(field, str):
            return False
        out.add(field)
        return True
    for key in ("all", "any"):
        if key in doc:
            items = doc[key]
            return isinstance(items, list) and all(_fields_read(item, out) for item in items)
    if "not" in doc:
        return _fields_read(doc["not"], out)
    return False  # a plugin, or a shape this reader does not know: no memo


def memo_key(rules: Iterable[RoutingRule]) -> MemoKey | None:
    """Return a function giving the values the rules' conditions read, or ``None``.

    ``None`` when a rule is not a plain :class:`Rule` with a compiled condition, uses a condition
    plugin, or reads a field with many values (age, SLA time left, free-form attributes).

    Example:
        >>> chat = Rule(name="chat", when=compile_condition(
        ...     {"field": "ticket.channel", "op": "equals", "value": "chat"}))
        >>> memo_key([chat]) is not None
        True
        >>> late = Rule(name="late", when=compile_condition(
        ...     {"field": "ticket.age", "op": "gt", "value": "PT1H"}))
        >>> memo_key([chat, late]) is None
        True
    """
    fields: set[str] = set()
    for rule in rules:
        when = rule.when if type(rule) is Rule else None
        if not isinstance(when, CompiledCondition) or not _fields_read(when.to_json(), fields):
            return None
    if not fields <= _MEMO_ATTRS.keys() | _MEMO_CALLS:
        return None
    paths = [_MEMO_ATTRS[f] for f in sorted(fields) if f in _MEMO_ATTRS]
    calls = []
    for name in sorted(fields & _MEMO_CALLS):
        found = field_spec(name)
        if found is None:  # pragma: no cover - _MEMO_CALLS holds documented fields only
            return None
        calls.append(found[1])
    read: MemoKey = operator.attrgetter(*paths) if paths else (lambda ctx: None)
    if not calls:
        return read
    if len(calls) == 1:
        (call,) = calls
        return lambda ctx: (read(ctx), call(ctx))
    return lambda ctx: (read(ctx), *[call(ctx) for call in calls])


@attrs.frozen(kw_only=True)
class RuleSet:
    """Ordered rules, first match wins, and the actions that apply when none matches.

    Args:
        rules: The rules in order; names must be unique.
        default: The actions when no rule matches.

    Example:
        >>> rules = RuleSet(rules=[Rule(name="catch-all", actions=RuleActions(queue="triage"))],
        ...                 default=RuleActions(queue="general"))
        >>> len(rules), [rule.name for rule in rules], rules.default.queue
        (1, ['catch-all'], 'general')
    """

    rules: tuple[RoutingRule, ...] = attrs.field(
        default=(), converter=_rules, validator=_check_rules
    )
    default: RuleActions = attrs.field(factory=RuleActions, validator=_check_default)
    # Derived once at construction, in plain slots: a cached_property would give the class a
    # __getattr__ hook that slows every attribute read on the router's hot path.
    _tests: dict[Channel, tuple[tuple[Predicate, RoutingRule], ...]] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _memo: tuple[MemoKey, dict[object, tuple[RoutingRule | None, RuleActions]]] | None = (
        attrs.field(init=False, eq=False, hash=False, repr=False)
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_tests", self._compile_tests())
        key = memo_key(self.rules)
        object.__setattr__(self, "_memo", None if key is None else (key, {}))

    def __getstate__(self) -> dict[str, object]:
        return {"rules": self.rules, "default": self.default}  # the derived slots are rebuilt

    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "rules", state["rules"])
        object.__setattr__(self, "default", state["default"])
        self.__attrs_post_init__()

    def _compile_tests(self) -> dict[Channel, tuple[tuple[Predicate, RoutingRule], ...]]:
        # Per channel, the rules that can match a ticket on it, with their compiled closures
        # (called directly: two fewer calls per rule in the hot loop).
        tests: dict[Channel, list[tuple[Predicate, RoutingRule]]] = {c: [] for c in Channel}
        for rule in self.rules:
            when = rule.when if type(rule) is Rule else None
            if isinstance(when, CompiledCondition):
                test: Predicate = when.predicate
                channels = possible_channels(when)
            else:
                test, channels = rule.matches, frozenset(Channel)
            for channel in channels:
                tests[channel].append((test, rule))
        return {c: tuple(t) for c, t in tests.items()}  # private and never changed; dict is faster

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[RoutingRule]:
        return iter(self.rules)

    def first_match(self, ctx: RoutingContext) -> RoutingRule | None:
        """Return the first rule that matches ``ctx``, or ``None``.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="chat",
            ...     created_at=t0), now=t0)
            >>> RuleSet(rules=[Rule(name="any")]).first_match(ctx).name
            'any'
        """
        return self._lookup(ctx)[0]

    def _lookup(self, ctx: RoutingContext) -> tuple[RoutingRule | None, RuleActions]:
        memo = self._memo
        if memo is None:
            rule = self._scan(ctx)
            return rule, (rule.actions if rule is not None else self.default)
        return self._lookup_read(memo[1], memo[0](ctx), ctx)

    def _lookup_read(
        self,
        seen: dict[object, tuple[RoutingRule | None, RuleActions]],
        read: object,
        ctx: RoutingContext,
    ) -> tuple[RoutingRule | None, RuleActions]:
        """``_lookup`` through the memo ``seen``, given what its key function read from ``ctx``."""
        found = seen.get(read)
        if found is None:
            rule = self._scan(ctx)
            found = (rule, rule.actions if rule is not None else self.default)
            if len(seen) >= _MEMO_SIZE:
                seen.clear()
            seen[read] = found
        return found

    def _scan(self, ctx: RoutingContext) -> RoutingRule | None:
        for test, rule in self._tests[ctx.ticket.channel]:
            if test(ctx):
                return rule
        return None

    def select(self, ctx: RoutingContext) -> tuple[RoutingRule | None, RuleActions]:
        """Return the first matching rule (or ``None``) and the actions that apply.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="chat",
            ...     created_at=t0), now=t0)
            >>> RuleSet(default=RuleActions(queue="general")).select(ctx)[1].queue
            'general'
        """
        return self._lookup(ctx)

    def rule(self, name: str) -> RoutingRule:
        """Return the rule called ``name``.

        Raises:
            UnknownFieldError: If there is none.

        Example:
            >>> RuleSet(rules=[Rule(name="a")]).rule("a").name
            'a'
        """
        for rule in self.rules:
            if rule.name == name:
                return rule
        from cs8.exceptions import UnknownFieldError

        raise UnknownFieldError(f"no rule named {name!r}")


# --------------------------------------------------------------------------------------------------
# Loading


_TOP_KEYS = frozenset({"$schema", "version", "rules", "default"})
_RULE_KEYS = frozenset({"name", "description", "when", "actions", "plugin"})
_ACTION_KEYS = frozenset(
    {
        "queue",
        "priority",
        "priority_change",
        "skills",
        "languages",
        "preferred_agents",
        "strategy",
        "escalation",
    }
)
_STEP_KEYS = frozenset(
    {
        "after",
        "queue",
        "priority",
        "raise_priority",
        "relax_skills",
        "drop_skills",
        "business_hours",
    }
)

Document: TypeAlias = "str | bytes | os.PathLike[str] | Mapping[str, JsonValue]"


def _object(value: object, loc: Loc, keys: frozenset[str], what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise loc.error(f"{what} must be an object, got {describe(value)}")
    for key in value:
        if key not in keys:
            raise loc.key(key).error(
                f"unknown key {key!r} in {what}; expected {', '.join(sorted(keys))}"
            )
    return value


def _text(value: object, loc: Loc, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise loc.error(f"{what} must be a non-empty string, got {describe(value)}")
    return value


def _int(value: object, loc: Loc, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise loc.error(f"expected an integer in {low}..{high}, got {describe(value)}")
    return value


def _priority(value: object, loc: Loc) -> Priority:
    names = ", ".join(p.value for p in Priority)
    if not isinstance(value, str):
        raise loc.error(f"expected a priority ({names}), got {describe(value)}")
    try:
        return Priority(value)
    except ValueError:
        raise loc.error(f"{describe(value)} is not a priority ({names})") from None


def _string_list(value: object, loc: Loc, limits: RuleLimits, what: str) -> list[str]:
    if not isinstance(value, list | tuple):
        raise loc.error(f"{what} must be an array of strings, got {describe(value)}")
    if len(value) > limits.max_list:
        raise loc.error(f"{what} has more than {limits.max_list} entries")
    out: list[str] = []
    for i, item in enumerate(value):
        text = _text(item, loc.index(i), "each entry")
        if text in out:
            raise loc.index(i).error(f"{describe(text)} is listed twice")
        out.append(text)
    return out


class _Loader:
    def __init__(self, registry: RuleRegistry | None, limits: RuleLimits) -> None:
        self.registry = registry
        self.limits = limits
        self.conditions = registry.conditions() if registry is not None else {}
        self.strategies = BUILTIN_STRATEGY_NAMES | (
            frozenset(registry.names("strategy")) if registry is not None else frozenset()
        )

    def document(self, doc: object) -> RuleSet:
        root = Loc("")
        top = _object(doc, root, _TOP_KEYS, "a rule document")
        version = top.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise root.key("version").error(
                f"unsupported format version {describe(version)}; this cs8 reads {FORMAT_VERSION}"
            )
        if "$schema" in top and not isinstance(top["$schema"], str):
            raise root.key("$schema").error(f"must be a string, got {describe(top['$schema'])}")
        raw_rules = top.get("rules", [])
        loc = root.key("rules")
        if not isinstance(raw_rules, list | tuple):
            raise loc.error(f"'rules' must be an array, got {describe(raw_rules)}")
        if len(raw_rules) > self.limits.max_rules:
            raise loc.error(f"more than {self.limits.max_rules} rules")
        rules: list[RoutingRule] = []
        names: dict[str, int] = {}
        for i, raw in enumerate(raw_rules):
            rule = self.rule(raw, loc.index(i), i)
            if rule.name in names:
                raise (
                    loc.index(i)
                    .named(rule.name)
                    .key("name")
                    .error(f"the name {rule.name!r} is already used by rules[{names[rule.name]}]")
                )
            names[rule.name] = i
            rules.append(rule)
        default = (
            self.actions(top["default"], root.key("default")) if "default" in top else RuleActions()
        )
        return RuleSet(rules=rules, default=default)

    def rule(self, raw: object, loc: Loc, index: int) -> RoutingRule:
        obj = _object(raw, loc, _RULE_KEYS, "a rule")
        if "plugin" in obj:
            for key in obj:
                if key != "plugin":
                    raise loc.key(key).error("a plugin rule takes only 'plugin'")
            name = _text(obj["plugin"], loc.key("plugin"), "the rule plugin's name")
            if self.registry is None:
                raise (
                    loc.named(name)
                    .key("plugin")
                    .error(f"rule plugin {name!r} needs load_rules(..., registry=...)")
                )
            try:
                return self.registry.rule(name)
            except KeyError:
                known = ", ".join(self.registry.names("rule")) or "none registered"
                raise (
                    loc.named(name)
                    .key("plugin")
                    .error(f"unknown rule plugin {name!r} (known: {known})")
                ) from None
        if "name" not in obj:
            raise loc.error(f"rule #{index} needs a 'name'")
        name = _text(obj["name"], loc.key("name"), "a rule's name")
        loc = loc.named(name)
        description = obj.get("description", "")
        if not isinstance(description, str):
            raise loc.key("description").error(f"must be a string, got {describe(description)}")
        when = compile_condition(
            obj.get("when", ALWAYS),
            conditions=self.conditions,
            limits=self.limits,
            loc=loc.key("when"),
        )
        if "actions" not in obj:
            raise loc.error("a rule needs 'actions'")
        actions = self.actions(obj["actions"], loc.key("actions"))
        return Rule(name=name, when=when, actions=actions, description=description)

    def actions(self, raw: object, loc: Loc) -> RuleActions:
        obj = _object(raw, loc, _ACTION_KEYS, "actions")
        queue = _text(obj["queue"], loc.key("queue"), "queue") if "queue" in obj else None
        priority = _priority(obj["priority"], loc.key("priority")) if "priority" in obj else None
        change = (
            _int(obj["priority_change"], loc.key("priority_change"), -3, 3)
            if "priority_change" in obj
            else 0
        )
        if priority is not None and "priority_change" in obj:
            raise loc.key("priority_change").error("give 'priority' or 'priority_change', not both")
        skills: dict[str, int] = {}
        if "skills" in obj:
            sloc = loc.key("skills")
            raw_skills = obj["skills"]
            if not isinstance(raw_skills, Mapping):
                raise sloc.error(
                    f"skills must be an object of skill: minimum level, got {describe(raw_skills)}"
                )
            if len(raw_skills) > self.limits.max_list:
                raise sloc.error(f"more than {self.limits.max_list} skills")
            for skill, level in raw_skills.items():
                _text(skill, sloc, "a skill name")
                skills[skill] = _int(level, sloc.key(skill), 0, 1_000_000)
        languages = (
            _string_list(obj["languages"], loc.key("languages"), self.limits, "languages")
            if "languages" in obj
            else []
        )
        preferred = (
            _string_list(
                obj["preferred_agents"],
                loc.key("preferred_agents"),
                self.limits,
                "preferred_agents",
            )
            if "preferred_agents" in obj
            else []
        )
        strategy = None
        if "strategy" in obj:
            strategy = _text(obj["strategy"], loc.key("strategy"), "strategy")
            if strategy not in self.strategies:
                raise loc.key("strategy").error(
                    f"unknown strategy {strategy!r}; expected one of "
                    f"{', '.join(sorted(self.strategies))}"
                )
        steps: list[EscalationStep] = []
        if "escalation" in obj:
            eloc = loc.key("escalation")
            raw_steps = obj["escalation"]
            if not isinstance(raw_steps, list | tuple):
                raise eloc.error(f"escalation must be an array of steps, got {describe(raw_steps)}")
            if len(raw_steps) > self.limits.max_list:
                raise eloc.error(f"more than {self.limits.max_list} escalation steps")
            for i, raw_step in enumerate(raw_steps):
                step = self.step(raw_step, eloc.index(i))
                if steps and step.after <= steps[-1].after:
                    raise (
                        eloc.index(i)
                        .key("after")
                        .error(
                            f"steps must come in strictly increasing 'after' order; "
                            f"{format_duration(step.after)} is not after "
                            f"{format_duration(steps[-1].after)}"
                        )
                    )
                steps.append(step)
        return RuleActions(
            queue=queue,
            priority=priority,
            priority_change=change,
            skills=skills,
            languages=languages,
            preferred_agents=preferred,
            strategy=strategy,
            escalation=steps,
        )

    def step(self, raw: object, loc: Loc) -> EscalationStep:
        obj = _object(raw, loc, _STEP_KEYS, "an escalation step")
        if "after" not in obj:
            raise loc.error("an escalation step needs 'after'")
        after = parse_duration(obj["after"], loc.key("after"))
        queue = _text(obj["queue"], loc.key("queue"), "queue") if "queue" in obj else None
        priority = _priority(obj["priority"], loc.key("priority")) if "priority" in obj else None
        raised = (
            _int(obj["raise_priority"], loc.key("raise_priority"), 0, 3)
            if "raise_priority" in obj
            else 0
        )
        if priority is not None and "raise_priority" in obj:
            raise loc.key("raise_priority").error("give 'priority' or 'raise_priority', not both")
        relax = (
            _int(obj["relax_skills"], loc.key("relax_skills"), 0, 1_000_000)
            if "relax_skills" in obj
            else 0
        )
        drop = (
            _string_list(obj["drop_skills"], loc.key("drop_skills"), self.limits, "drop_skills")
            if "drop_skills" in obj
            else []
        )
        business = obj.get("business_hours", False)
        if not isinstance(business, bool):
            raise loc.key("business_hours").error(
                f"must be true or false, got {describe(business)}"
            )
        if queue is None and priority is None and not raised and not relax and not drop:
            raise loc.error(
                "an escalation step must change something: queue, priority, raise_priority, "
                "relax_skills or drop_skills"
            )
        return EscalationStep(
            after=after,
            queue=queue,
            priority=priority,
            raise_priority=raised,
            relax_skills=relax,
            drop_skills=drop,
            business_hours=business,
        )


def load_rules(
    document: Document,
    *,
    registry: RuleRegistry | None = None,
    limits: RuleLimits | None = None,
) -> RuleSet:
    """Check a rule document completely and compile it into a :class:`RuleSet`.

    Args:
        document: JSON text (``str`` or ``bytes``), the parsed document (a dict), or the path of
            a UTF-8 JSON file (a :class:`pathlib.Path`; error messages then start with it).
        registry: Where ``{"plugin": ...}`` conditions and rules, and non-built-in strategy
            names, are looked up. Without one, only built-in conditions and strategies load.
        limits: Size bounds (:class:`RuleLimits` defaults when omitted).

    Returns:
        The rules, in document order, and the default actions.

    Raises:
        RuleError: On anything malformed, naming the rule and the JSON path of the problem.

    Example:
        >>> load_rules({"rules": [{"name": "r", "when": {"all": [
        ...     {"field": "ticket.channel", "op": "equals", "value": "chat"},
        ...     {"field": "ticket.age", "op": "greater", "value": 60}]},
        ...     "actions": {"queue": "q"}}]})
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: rule 'r' at rules[0].when.all[1].op: operator 'greater' does not apply to ticket.age; expected one of equals, not_equals, in, not_in, lt, lte, gt, gte, between
    """
    limits = limits or RuleLimits()
    if isinstance(document, os.PathLike):
        path = os.fspath(document)
        try:
            with open(path, "rb") as handle:
                data = handle.read(limits.max_chars * 4 + 1)
        except OSError as exc:
            raise RuleError(f"{path}: cannot read the rule file: {exc}") from exc
        if len(data) > limits.max_chars * 4:
            raise RuleError(f"{path}: the rule file is larger than {limits.max_chars * 4} bytes")
        try:
            return load_rules(data, registry=registry, limits=limits)
        except RuleError as exc:
            raise RuleError(f"{path}: {exc}") from None
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Loc("").error(f"not UTF-8 text: {exc}") from exc
    parsed: object = parse_text(document, limits) if isinstance(document, str) else document
    check_document(parsed, limits)
    try:
        return _Loader(registry, limits).document(parsed)
    except RuleError:
        raise
    except (InvalidValueError, ValueError, TypeError, OverflowError) as exc:
        # Model validators are the last line of defence; the loader checks first.
        raise RuleError(f"at $: {exc}") from exc


# --------------------------------------------------------------------------------------------------
# Dumping


def _dump_step(step: EscalationStep) -> dict[str, JsonValue]:
    out: dict[str, JsonValue] = {"after": format_duration(step.after)}
    if step.queue is not None:
        out["queue"] = step.queue
    if step.priority is not None:
        out["priority"] = step.priority.value
    if step.raise_priority:
        out["raise_priority"] = step.raise_priority
    if step.relax_skills:
        out["relax_skills"] = step.relax_skills
    if step.drop_skills:
        out["drop_skills"] = sorted(step.drop_skills)
    if step.business_hours:
        out["business_hours"] = True
    return out


def dump_actions(actions: RuleActions) -> dict[str, JsonValue]:
    """Return the document form of ``actions`` (only fields that are set).

    Example:
        >>> dump_actions(RuleActions(queue="q", skills={"refunds": 2}))
        {'queue': 'q', 'skills': {'refunds': 2}}
    """
    out: dict[str, JsonValue] = {}
    if actions.queue is not None:
        out["queue"] = actions.queue
    if actions.priority is not None:
        out["priority"] = actions.priority.value
    if actions.priority_change:
        out["priority_change"] = actions.priority_change
    if actions.skills:
        out["skills"] = dict(sorted(actions.skills.items()))
    if actions.languages:
        out["languages"] = sorted(actions.languages)
    if actions.preferred_agents:
        out["preferred_agents"] = list(actions.preferred_agents)
    if actions.strategy is not None:
        out["strategy"] = actions.strategy
    if actions.escalation:
        out["escalation"] = [_dump_step(s) for s in actions.escalation]
    return out


def dump_rules(rules: RuleSet) -> dict[str, JsonValue]:
    """Return the normalized document of a rule set; ``load_rules`` reads it back to an equal set.

    Rules that are not :class:`Rule` values (plugin rules) are written as ``{"plugin": name}``.

    Raises:
        RuleError: If a rule's condition was not compiled from a document (a hand-written
            Condition has no document form).

    Example:
        >>> rules = load_rules({"rules": [{"name": "slow", "when": {"field": "ticket.age",
        ...     "op": "gt", "value": "PT2H"}, "actions": {"escalation": [
        ...     {"after": 1800, "raise_priority": 1}]}}]})
        >>> dump_rules(rules)["rules"][0]["actions"]
        {'escalation': [{'after': 'PT30M', 'raise_priority': 1}]}
        >>> load_rules(dump_rules(rules)) == rules
        True
    """
    out_rules: list[JsonValue] = []
    for i, rule in enumerate(rules.rules):
        if not isinstance(rule, Rule):
            out_rules.append({"plugin": rule.name})
            continue
        item: dict[str, JsonValue] = {"name": rule.name}
        if rule.description:
            item["description"] = rule.description
        if not isinstance(rule.when, CompiledCondition):
            raise RuleError(
                f"rule {rule.name!r} at rules[{i}].when: a hand-written condition "
                f"({type(rule.when).__name__}) has no document form"
            )
        item["when"] = rule.when.to_json()
        item["actions"] = dump_actions(rule.actions)
        out_rules.append(item)
    doc: dict[str, JsonValue] = {"version": FORMAT_VERSION, "rules": out_rules}
    default = dump_actions(rules.default)
    if default:
        doc["default"] = default
    return doc


def dumps_rules(rules: RuleSet, *, indent: int | None = 2) -> str:
    """Return the normalized JSON text of a rule set.

    Example:
        >>> print(dumps_rules(RuleSet(default=RuleActions(queue="general")), indent=None))
        {"version": 1, "rules": [], "default": {"queue": "general"}}
    """
    return json.dumps(dump_rules(rules), indent=indent, ensure_ascii=False)
