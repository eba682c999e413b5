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
    >>> from cs8.routing import load_rules
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

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Protocol, TypeAlias, runtime_checkable

import attrs

from cs8._enums import Channel
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.routing._actions import RuleActions
from cs8.routing._compose import ComposedRule, compose, continues
from cs8.routing._conditions import (
    ALWAYS,
    CompiledCondition,
    Condition,
    Predicate,
    compile_condition,
    possible_channels,
)
from cs8.routing._context import RoutingContext, field_spec
from cs8.routing._profiles import RoutingProfile
from cs8.routing._schema import (
    JsonValue,
)
from cs8.routing._strategy_plugin import Strategy

__all__ = [
    "BUILTIN_STRATEGY_NAMES",
    "RoutingRule",
    "Rule",
    "RuleSet",
]


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


def _check_continues(instance: Rule, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError(
            f"Rule.continues must be a bool, got {value!r} (rule {instance.name!r})"
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
        continues: After this rule applies, later matching rules add their requirements
            (the document's ``"continue": true``; see :mod:`cs8.routing._compose` and
            docs/routing-rules.md).

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
    continues: bool = attrs.field(default=False, validator=_check_continues)

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


def _profile_tuple(value: Iterable[RoutingProfile]) -> tuple[RoutingProfile, ...]:
    return tuple(value)


def rule_queues(rules: Iterable[RoutingRule], default: RuleActions) -> frozenset[str]:
    """The queues the rules, the default actions and their escalation steps can send work to."""
    names: set[str] = set()
    for actions in (*(rule.actions for rule in rules), default):
        for queue in (actions.queue, *(step.queue for step in actions.escalation)):
            if queue is not None:
                names.add(queue)
    return frozenset(names)


def _check_profiles(
    instance: RuleSet, attribute: attrs.Attribute[tuple[RoutingProfile, ...]], value: object
) -> None:
    """Profiles: values, unique names, each agent id and team in one profile at most, and every
    queue one the rules can send work to (a profile of an unknown queue never gets work)."""
    known = rule_queues(instance.rules, instance.default)
    names: dict[str, int] = {}
    owner: dict[tuple[str, str], str] = {}
    for i, profile in enumerate(instance.profiles):
        if not isinstance(profile, RoutingProfile):
            raise InvalidValueError(
                f"RuleSet.profiles[{i}] must be a RoutingProfile, got {profile!r}"
            )
        if profile.name in names:
            raise InvalidValueError(
                f"RuleSet.profiles[{i}].name {profile.name!r} is already used by "
                f"profiles[{names[profile.name]}]"
            )
        names[profile.name] = i
        for j, entry in enumerate(profile.queues):
            if entry.queue not in known:
                raise InvalidValueError(
                    f"RuleSet.profiles[{i}] (profile {profile.name!r}): queues[{j}].queue "
                    f"{entry.queue!r} is not a queue the rules send work to; known: "
                    f"{', '.join(sorted(known)) or 'none'}"
                )
        for kind, members in (("agent", profile.agents), ("team", profile.teams)):
            for member in sorted(members):
                other = owner.setdefault((kind, member), profile.name)
                if other != profile.name:
                    raise InvalidValueError(
                        f"RuleSet.profiles[{i}] (profile {profile.name!r}): {kind} {member!r} "
                        f"is already in profile {other!r}"
                    )


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
    "time.date": "local_date",
}
# Fields read by their resolver (enum members, strings or None).
_MEMO_CALLS = frozenset({"customer.segment", "customer.language"})
_MEMO_SIZE = 4096

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


def memo_key(rules: Iterable[RoutingRule], also: Iterable[str] = ()) -> MemoKey | None:
    """Return a function giving the values the rules' conditions read, or ``None``.

    ``None`` when a rule is not a plain :class:`Rule` with a compiled condition, uses a condition
    plugin, or reads a field with many values (age, SLA time left, free-form attributes).
    ``also`` names more attributes of the context to read along, by their dotted path (a
    planner's key: what the rules read and the ticket's priority, in one C-level read).

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
    paths = sorted({_MEMO_ATTRS[f] for f in fields if f in _MEMO_ATTRS}.union(also))
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


def _strategy_map(value: Mapping[str, Strategy] | None) -> FrozenDict[str, Strategy]:
    return FrozenDict(value or {})


@attrs.frozen(kw_only=True)
class RuleSet:
    """Ordered rules, first match wins, and the actions that apply when none matches.

    Args:
        rules: The rules in order; names must be unique.
        default: The actions when no rule matches.
        profiles: Routing profiles (Connect's per-queue priority and delay): with any,
            :meth:`~cs8.routing.Router.assign` lets agents pull work through them (see
            :class:`~cs8.routing.RoutingProfile`). Each queue must be one the rules, the
            default or an escalation step sends work to; an agent id or a team is in one
            profile at most.
        strategies: The strategy plugins the rules name, by name (:func:`load_rules` fills it
            from the registry the rules were loaded with); a :class:`~cs8.routing.Router` takes
            them.

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
    profiles: tuple[RoutingProfile, ...] = attrs.field(
        default=(), converter=_profile_tuple, validator=_check_profiles
    )
    strategies: FrozenDict[str, Strategy] = attrs.field(
        factory=FrozenDict, converter=_strategy_map, eq=False, repr=False
    )
    # Derived once at construction, in plain slots: a cached_property would give the class a
    # __getattr__ hook that slows every attribute read on the router's hot path.
    _tests: dict[Channel, tuple[tuple[Predicate, RoutingRule], ...]] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _memo: tuple[MemoKey, dict[object, tuple[RoutingRule | None, RuleActions]]] | None = (
        attrs.field(init=False, eq=False, hash=False, repr=False)
    )
    # With rules that continue: the names of those rules, and the composed rules built so far
    # (by the names of their parts; one value per combination, so plans can be shared).
    _continuing: frozenset[str] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _composed: dict[tuple[str, ...], ComposedRule] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "_continuing", frozenset(r.name for r in self.rules if continues(r))
        )
        object.__setattr__(self, "_composed", {})
        object.__setattr__(self, "_tests", self._compile_tests())
        key = memo_key(self.rules)
        object.__setattr__(self, "_memo", None if key is None else (key, {}))

    def __getstate__(self) -> dict[str, object]:
        # The derived slots are rebuilt.
        return {
            "rules": self.rules,
            "default": self.default,
            "profiles": self.profiles,
            "strategies": self.strategies,
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "rules", state["rules"])
        object.__setattr__(self, "default", state["default"])
        object.__setattr__(self, "profiles", state.get("profiles", ()))
        object.__setattr__(self, "strategies", state.get("strategies", FrozenDict()))
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
                if self._continuing and rule.name in self._continuing:
                    return self._compose(ctx, rule)
                return rule
        return None

    def _compose(self, ctx: RoutingContext, first: RoutingRule) -> RoutingRule:
        """The rules that apply from ``first`` (which continues) on, as one composed rule."""
        matched = [first]
        started = False
        for test, rule in self._tests[ctx.ticket.channel]:
            if not started:
                started = rule is first
            elif test(ctx):
                matched.append(rule)
                if rule.name not in self._continuing:
                    break
        if len(matched) == 1:
            return first
        key = tuple(rule.name for rule in matched)
        found = self._composed.get(key)
        if found is None:
            if len(self._composed) >= _MEMO_SIZE:
                self._composed.clear()
            found = self._composed[key] = compose(matched)
        return found

    @property
    def reader(self) -> MemoKey | None:
        """The function giving the values the rules read from a context, when the first match
        is a function of those values alone (plain rules without plugins or many-valued fields);
        ``None`` otherwise. A planner keys its plans by what it returns.

        Example:
            >>> from cs8.routing import compile_condition
            >>> chat = Rule(name="chat", when=compile_condition(
            ...     {"field": "ticket.channel", "op": "equals", "value": "chat"}))
            >>> RuleSet(rules=[chat]).reader is not None
            True
        """
        memo = self._memo
        return None if memo is None else memo[0]

    def select_read(
        self, read: object, ctx: RoutingContext
    ) -> tuple[RoutingRule | None, RuleActions]:
        """:meth:`select`, given what :attr:`reader` read from ``ctx`` (one lookup for a
        ticket shaped like one seen before).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="chat",
            ...     created_at=t0), now=t0)
            >>> rules = RuleSet(rules=[Rule(name="any")])
            >>> rules.select_read(rules.reader(ctx), ctx)[0].name
            'any'
        """
        memo = self._memo
        if memo is None:
            return self._lookup(ctx)
        return self._lookup_read(memo[1], read, ctx)

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
