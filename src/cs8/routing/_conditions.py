"""Compiling rule conditions (``all`` / ``any`` / ``not`` / comparisons / plugins) into closures.

A condition document is checked completely and turned into nested plain Python closures once, at
load time. Evaluating it is then a few function calls: no ``eval``, no parsing, and no attribute looked
up by a name taken from the document (fields resolve through the fixed table in ``_context``).

A comparison whose field is missing (no customer, no such attribute, no such SLA clock, no category
...) is false whatever the operator, ``not_equals`` and ``not_in`` included; wrap it in ``not`` to ask
"missing or different".

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Ticket
    >>> cond = compile_condition({"any": [
    ...     {"field": "ticket.channel", "op": "equals", "value": "phone"},
    ...     {"field": "ticket.priority", "op": "gte", "value": "high"}]})
    >>> cond.name
    "any(ticket.channel equals 'phone', ticket.priority gte 'high')"
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> cond(RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="email",
    ...     created_at=t0, priority="urgent"), now=t0))
    True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Protocol, TypeAlias, runtime_checkable

import attrs

from cs8._enums import Channel
from cs8.routing._compiler import _COMPARE, OPERATORS, _Compiler
from cs8.routing._context import (
    RoutingContext,
)
from cs8.routing._schema import JsonValue, Loc, RuleLimits

__all__ = [
    "OPERATORS",
    "CompiledCondition",
    "Condition",
    "ConditionFactory",
    "compile_condition",
]


@runtime_checkable
class Condition(Protocol):
    """**Protocol:** a test of a routing context, with a name for traces.

    Compiled rule conditions (:class:`CompiledCondition`) are Conditions; so is anything a condition
    plugin's factory returns. A condition must be a pure function of the context: no I/O, no state.

    Example:
        >>> class Weekend:
        ...     name = "weekend"
        ...     def __call__(self, ctx: RoutingContext) -> bool:
        ...         return ctx.local_weekday in ("sat", "sun")
        >>> isinstance(Weekend(), Condition)
        True
    """

    @property
    def name(self) -> str:
        """A short human-readable description, shown in routing traces."""
        ...

    def __call__(self, ctx: RoutingContext, /) -> bool:
        """Return whether the condition holds in ``ctx``."""
        ...


ConditionFactory: TypeAlias = Callable[..., Condition]
"""A condition plugin: called with a rule's ``args`` as keyword arguments, returns a Condition.

Raise ``ValueError`` or ``TypeError`` for bad arguments: the loader reports them as a RuleError at
the rule's path."""

Predicate: TypeAlias = Callable[[RoutingContext], bool]


def _canonical(value: JsonValue) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _rebuild(
    spec_json: str, plugins: tuple[tuple[str, ConditionFactory], ...]
) -> CompiledCondition:
    spec = json.loads(spec_json)
    return compile_condition(spec, conditions=dict(plugins))


@attrs.frozen(kw_only=True, eq=False)
class CompiledCondition:
    """A condition compiled from a rule document: call it with a :class:`RoutingContext`.

    Two compiled conditions are equal when their normalized documents are equal. It pickles by
    recompiling its document (the plugins it uses must pickle).

    Attributes:
        name: A readable rendering of the condition, shown in routing traces.

    Example:
        >>> cond = compile_condition({"field": "ticket.tags", "op": "has", "value": "refund"})
        >>> cond.to_json()
        {'field': 'ticket.tags', 'op': 'has', 'value': 'refund'}
        >>> cond == compile_condition(cond.to_json())
        True
    """

    name: str
    spec_json: str = attrs.field(repr=False)
    _fn: Predicate = attrs.field(repr=False, alias="fn")
    _plugins: tuple[tuple[str, ConditionFactory], ...] = attrs.field(
        default=(), repr=False, alias="plugins"
    )
    _explainer: Callable[[RoutingContext], str] | None = attrs.field(
        default=None, repr=False, alias="explainer"
    )

    def explain(self, ctx: RoutingContext) -> str:
        """Return the condition with each comparison's outcome and the value it read, for traces.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="chat",
            ...     created_at=t0, category="refund"), now=t0)
            >>> print(compile_condition({"all": [
            ...     {"field": "ticket.category", "op": "in", "value": ["refund", "return"]},
            ...     {"not": {"field": "customer.segment", "op": "equals", "value": "vip"}}]}
            ... ).explain(ctx))
            all(ticket.category in ["refund", "return"] [yes: 'refund'], not customer.segment equals 'vip' [no: missing]) [yes]
        """
        if self._explainer is None:  # pragma: no cover - compile_condition always sets it
            return f"{self.name} [{'yes' if self._fn(ctx) else 'no'}]"
        return self._explainer(ctx)

    def __call__(self, ctx: RoutingContext, /) -> bool:
        """Return whether the condition holds in ``ctx``."""
        return self._fn(ctx)

    @property
    def predicate(self) -> Callable[[RoutingContext], bool]:
        """The compiled closure itself (what calling the condition runs), for hot loops.

        Example:
            >>> compile_condition({"all": []}).predicate.__name__
            '<lambda>'
        """
        return self._fn

    def to_json(self) -> JsonValue:
        """Return the normalized condition document.

        Example:
            >>> compile_condition({"field": "ticket.age", "op": "gt", "value": "PT1H"}).to_json()
            {'field': 'ticket.age', 'op': 'gt', 'value': 3600}
        """
        value: JsonValue = json.loads(self.spec_json)
        return value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompiledCondition):
            return NotImplemented
        return self.spec_json == other.spec_json

    def __hash__(self) -> int:
        return hash(self.spec_json)

    def __reduce__(
        self,
    ) -> tuple[
        Callable[[str, tuple[tuple[str, ConditionFactory], ...]], CompiledCondition],
        tuple[str, tuple[tuple[str, ConditionFactory], ...]],
    ]:
        return (_rebuild, (self.spec_json, self._plugins))


ALWAYS: JsonValue = {"all": []}
"""The condition of a rule without ``when``: it always holds."""


def compile_condition(
    spec: object,
    *,
    conditions: Mapping[str, ConditionFactory] | None = None,
    limits: RuleLimits | None = None,
    loc: Loc | None = None,
) -> CompiledCondition:
    """Check a condition document and compile it into a :class:`CompiledCondition`.

    Args:
        spec: The condition: ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}``,
            ``{"field": ..., "op": ..., "value": ...}`` or ``{"plugin": name, "args": {...}}``.
        conditions: Condition plugins by name (``RuleRegistry.conditions()`` gives them).
        limits: Size and depth bounds; :class:`RuleLimits` defaults when omitted.
        loc: Where the condition sits in its document, for error messages.

    Raises:
        RuleError: Naming the JSON path of the first problem.

    Example:
        >>> compile_condition({"field": "ticket.channel", "op": "equals", "value": "fax"},
        ...                   loc=Loc("rules[0].when", rule="r"))
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: rule 'r' at rules[0].when.value: 'fax' is not one of email, chat, phone, social, messaging, web, in_person, self_service, sms, other
    """
    compiler = _Compiler(conditions or {}, limits or RuleLimits())
    node = compiler.node(spec, loc or Loc("when"), 1)
    return CompiledCondition(
        name=node.label,
        spec_json=_canonical(node.normal),
        fn=node.fn,
        explainer=node.explain,
        plugins=tuple(sorted(compiler.used.items())),
    )


# --------------------------------------------------------------------------------------------------
# Static analysis: which channels can a condition hold for?

_CHANNELS: frozenset[str] = frozenset(c.value for c in Channel)


def _choices_for(op: str, value: JsonValue, choices: tuple[str, ...]) -> frozenset[str]:
    rank = {name: i for i, name in enumerate(choices)}
    if op == "equals":
        return frozenset({str(value)})
    if op == "not_equals":
        return frozenset(c for c in choices if c != value)
    items = [str(v) for v in value] if isinstance(value, list) else []
    if op == "in":
        return frozenset(items)
    if op == "not_in":
        return frozenset(c for c in choices if c not in items)
    if op == "between":
        low, high = rank[items[0]], rank[items[1]]
        return frozenset(c for c in choices if low <= rank[c] <= high)
    compare = _COMPARE[op]
    return frozenset(c for c in choices if compare(rank[c], rank[str(value)]))


def _channel_bound(spec: JsonValue) -> tuple[frozenset[str], bool]:
    """Channels for which ``spec`` can hold, and whether it holds exactly for those."""
    if not isinstance(spec, Mapping):  # pragma: no cover - compiled specs are objects
        return _CHANNELS, False
    if "all" in spec or "any" in spec:
        parts = spec.get("all", spec.get("any"))
        bounds = [_channel_bound(p) for p in parts] if isinstance(parts, list) else []
        exact = all(b[1] for b in bounds)
        if "all" in spec:
            allowed = _CHANNELS
            for b in bounds:
                allowed = allowed & b[0]
        else:
            allowed = frozenset()
            for b in bounds:
                allowed = allowed | b[0]
        return allowed, exact
    if "not" in spec:
        inner, exact = _channel_bound(spec["not"])
        return (_CHANNELS - inner, True) if exact else (_CHANNELS, False)
    if spec.get("field") == "ticket.channel":
        op, value = spec.get("op"), spec.get("value")
        if isinstance(op, str):
            return _choices_for(op, value, tuple(c.value for c in Channel)), True
    return _CHANNELS, False


def possible_channels(condition: object) -> frozenset[Channel]:
    """Return the channels for which ``condition`` can hold (all of them when unknown).

    It reads a compiled condition's document; the answer is safe: the condition never holds for a
    ticket on a channel outside the set. The rule set uses it to skip rules by channel.

    Example:
        >>> sorted(c.value for c in possible_channels(compile_condition({"all": [
        ...     {"field": "ticket.channel", "op": "in", "value": ["chat", "phone"]},
        ...     {"not": {"field": "ticket.channel", "op": "equals", "value": "phone"}}]})))
        ['chat']
    """
    if not isinstance(condition, CompiledCondition):
        return frozenset(Channel)
    allowed, _ = _channel_bound(condition.to_json())
    return frozenset(Channel(c) for c in allowed)
