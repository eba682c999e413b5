"""The rule-condition compiler: checks a condition document and builds nested closures.

:func:`~cs8.routing.compile_condition` (in ``_conditions``) runs it; this module holds the operators
each kind of field accepts and the compiler itself (one closure per node, fields resolved through
the fixed table in ``_context``, no ``eval``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from cs8._enums import enum_key
from cs8.routing._context import (
    FieldKind,
    FieldSpec,
    RawValue,
    RoutingContext,
    field_spec,
    raw_choice,
)
from cs8.routing._schema import JsonValue, Loc, RuleLimits, describe, parse_duration

if TYPE_CHECKING:
    from cs8.routing._conditions import Condition, ConditionFactory, Predicate

OPERATORS: Mapping[FieldKind, tuple[str, ...]] = {
    FieldKind.ENUM: ("equals", "not_equals", "in", "not_in"),
    FieldKind.ORDERED: (
        "equals",
        "not_equals",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
    ),
    FieldKind.TEXT: ("equals", "not_equals", "in", "not_in", "contains"),
    FieldKind.NUMBER: (
        "equals",
        "not_equals",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
    ),
    FieldKind.DURATION: (
        "equals",
        "not_equals",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
    ),
    FieldKind.TAGS: ("has",),
    FieldKind.ANY: (
        "equals",
        "not_equals",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
        "contains",
    ),
}
"""The operators each kind of field accepts."""

ALL_OPERATORS: tuple[str, ...] = (
    "equals",
    "not_equals",
    "lt",
    "lte",
    "gt",
    "gte",
    "in",
    "not_in",
    "contains",
    "has",
    "between",
)

_ARG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


# --------------------------------------------------------------------------------------------------
# The compiler


def _all(parts: tuple[Predicate, ...]) -> Predicate:
    if not parts:
        return lambda ctx: True
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda ctx: a(ctx) and b(ctx)

    if len(parts) == 3:
        a, b, c = parts
        return lambda ctx: a(ctx) and b(ctx) and c(ctx)

    def all_of(ctx: RoutingContext) -> bool:
        # A plain loop: all() over a generator costs a frame per call in this hot path.
        for p in parts:  # noqa: SIM110
            if not p(ctx):
                return False
        return True

    return all_of


def _any(parts: tuple[Predicate, ...]) -> Predicate:
    if not parts:
        return lambda ctx: False
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda ctx: a(ctx) or b(ctx)

    if len(parts) == 3:
        a, b, c = parts
        return lambda ctx: a(ctx) or b(ctx) or c(ctx)

    def any_of(ctx: RoutingContext) -> bool:
        for p in parts:  # noqa: SIM110
            if p(ctx):
                return True
        return False

    return any_of


def _not(part: Predicate) -> Predicate:
    return lambda ctx: not part(ctx)


def _among(get: Callable[[RoutingContext], RawValue], members: tuple[object, ...]) -> Predicate:
    if not members:
        return lambda ctx: False
    if len(members) == 1 and isinstance(members[0], Enum):
        (only,) = members
        return lambda ctx: get(ctx) is only  # enum members are singletons
    if len(members) == 1:
        (text,) = members
        return lambda ctx: get(ctx) == text
    return lambda ctx: get(ctx) in members


class _Node(NamedTuple):
    fn: Predicate
    normal: JsonValue
    label: str
    explain: Callable[[RoutingContext], str]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _explain_leaf(
    label: str, fn: Predicate, get: Callable[[RoutingContext], RawValue] | None
) -> Callable[[RoutingContext], str]:
    def explain(ctx: RoutingContext) -> str:
        outcome = _yes(fn(ctx))
        if get is None:
            return f"{label} [{outcome}]"
        raw = get(ctx)
        value: object = raw.value if isinstance(raw, Enum) else raw
        if isinstance(value, frozenset):
            value = sorted(value)
        shown = "missing" if value is None else repr(value)
        return f"{label} [{outcome}: {shown}]"

    return explain


def _explain_not(inner: Callable[[RoutingContext], str]) -> Callable[[RoutingContext], str]:
    return lambda ctx: f"not {inner(ctx)}"


def _explain_group(combinator: str, parts: tuple[_Node, ...]) -> Callable[[RoutingContext], str]:
    fn = (
        _all(tuple(p.fn for p in parts))
        if combinator == "all"
        else _any(tuple(p.fn for p in parts))
    )

    def explain(ctx: RoutingContext) -> str:
        inner = ", ".join(p.explain(ctx) for p in parts)
        return f"{combinator}({inner}) [{_yes(fn(ctx))}]"

    return explain


def _plugin_call(cond: Condition) -> Predicate:
    return lambda ctx: bool(cond(ctx))


Scalar: TypeAlias = "str | int | float | bool"


def _number(value: float) -> int | float:
    """Integral floats become ints so equal documents normalize to equal text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _finite(value: float) -> bool:
    """Whether a JSON number is finite (an int always is, however large)."""
    return isinstance(value, int) or math.isfinite(value)


def _typed(value: object) -> tuple[int, object] | None:
    """A key under which only values of the same JSON type compare equal (True is not 1)."""
    if isinstance(value, bool):
        return (0, value)
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return None


class _Compiler:
    def __init__(self, conditions: Mapping[str, ConditionFactory], limits: RuleLimits) -> None:
        self.conditions = conditions
        self.limits = limits
        self.used: dict[str, ConditionFactory] = {}
        self.count = 0

    def node(self, spec: object, loc: Loc, depth: int) -> _Node:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise loc.error(f"the condition has more than {self.limits.max_nodes} parts")
        if not isinstance(spec, Mapping):
            raise loc.error(
                "a condition must be an object with 'all', 'any', 'not', 'field' or 'plugin', "
                f"got {describe(spec)}"
            )
        keys = set(spec)
        for combinator in ("all", "any"):
            if combinator in keys:
                self._only(spec, loc, {combinator})
                return self._group(combinator, spec[combinator], loc.key(combinator), depth)
        if "not" in keys:
            self._only(spec, loc, {"not"})
            if depth >= self.limits.max_depth:
                raise loc.error(f"conditions nest more than {self.limits.max_depth} levels deep")
            inner = self.node(spec["not"], loc.key("not"), depth + 1)
            return _Node(
                _not(inner.fn),
                {"not": inner.normal},
                f"not {inner.label}",
                _explain_not(inner.explain),
            )
        if "plugin" in keys:
            self._only(spec, loc, {"plugin", "args"})
            return self._plugin(spec, loc)
        if "field" in keys:
            self._only(spec, loc, {"field", "op", "value"})
            return self._comparison(spec, loc)
        raise loc.error(
            "a condition must have one of 'all', 'any', 'not', 'field' or 'plugin', "
            f"got keys {sorted(keys)}"
        )

    @staticmethod
    def _only(spec: Mapping[str, object], loc: Loc, allowed: set[str]) -> None:
        for key in spec:
            if key not in allowed:
                raise loc.key(key).error(
                    f"unexpected key {key!r} here; expected only {', '.join(sorted(allowed))}"
                )

    def _group(self, combinator: str, items: object, loc: Loc, depth: int) -> _Node:
        if not isinstance(items, list | tuple):
            raise loc.error(f"'{combinator}' takes an array of conditions, got {describe(items)}")
        if items and depth >= self.limits.max_depth:
            raise loc.error(f"conditions nest more than {self.limits.max_depth} levels deep")
        compiled = [self.node(item, loc.index(i), depth + 1) for i, item in enumerate(items)]
        fns = tuple(c.fn for c in compiled)
        normal: JsonValue = {combinator: [c.normal for c in compiled]}
        label = f"{combinator}({', '.join(c.label for c in compiled)})"
        fn = _all(fns) if combinator == "all" else _any(fns)
        return _Node(fn, normal, label, _explain_group(combinator, tuple(compiled)))

    def _plugin(self, spec: Mapping[str, object], loc: Loc) -> _Node:
        name = spec["plugin"]
        if not isinstance(name, str) or not name:
            raise loc.key("plugin").error(f"the plugin name must be a string, got {describe(name)}")
        factory = self.conditions.get(name)
        if factory is None:
            known = ", ".join(sorted(self.conditions)) or "none registered"
            raise loc.key("plugin").error(f"unknown condition plugin {name!r} (known: {known})")
        args = spec.get("args", {})
        if not isinstance(args, Mapping):
            raise loc.key("args").error(f"plugin args must be an object, got {describe(args)}")
        for key in args:
            if not _ARG_NAME.fullmatch(key):
                raise loc.key("args").error(
                    f"plugin argument names must be identifiers, got {key!r}"
                )
        try:
            cond = factory(**args)
        except Exception as exc:  # a plugin's own validation, reported at the rule's path
            raise loc.key("args").error(
                f"condition plugin {name!r} rejected its arguments: {exc}"
            ) from exc
        if not callable(cond):
            raise loc.key("plugin").error(
                f"condition plugin {name!r} did not return a callable condition"
            )
        self.used[name] = factory
        label_args = ", ".join(f"{k}={v!r}" for k, v in sorted(args.items()))
        normal: JsonValue = {"plugin": name, "args": dict(args)} if args else {"plugin": name}
        fn = _plugin_call(cond)
        label = f"{name}({label_args})"
        return _Node(fn, normal, label, _explain_leaf(label, fn, None))

    # ------------------------------------------------------------------ comparisons

    def _comparison(self, spec: Mapping[str, object], loc: Loc) -> _Node:
        field = spec.get("field")
        if not isinstance(field, str):
            raise loc.key("field").error(f"'field' must be a field name, got {describe(field)}")
        found = field_spec(field)
        if found is None:
            raise loc.key("field").error(
                f"unknown field {describe(field)}; see the field list in docs/routing-rules.md"
            )
        fspec, get = found
        if "op" not in spec:
            raise loc.error("a comparison needs 'op'")
        op = spec["op"]
        allowed = OPERATORS[fspec.kind]
        if not isinstance(op, str) or op not in allowed:
            raise loc.key("op").error(
                f"operator {describe(op)} does not apply to {field}; expected one of "
                f"{', '.join(allowed)}"
            )
        if "value" not in spec:
            raise loc.error("a comparison needs 'value'")
        vloc = loc.key("value")
        value = spec["value"]
        if fspec.kind in (FieldKind.ENUM, FieldKind.ORDERED):
            fn, normal_value = self._choice_predicate(field, fspec, get, op, value, vloc)
        else:
            fn, normal_value = self._predicate(fspec, get, op, value, vloc)
        normal: JsonValue = {"field": field, "op": op, "value": normal_value}
        shown = (
            json.dumps(normal_value, ensure_ascii=False)
            if isinstance(normal_value, list)
            else repr(normal_value)
        )
        label = f"{field} {op} {shown}"
        return _Node(fn, normal, label, _explain_leaf(label, fn, get))

    def _scalar(self, fspec: FieldSpec, value: object, loc: Loc) -> Scalar:
        kind = fspec.kind
        if kind in (FieldKind.ENUM, FieldKind.ORDERED):
            if not isinstance(value, str):
                raise loc.error(
                    f"expected one of {', '.join(fspec.choices)}, got {describe(value)}"
                )
            key = enum_key(value)
            if key not in fspec.choices:
                raise loc.error(f"{describe(value)} is not one of {', '.join(fspec.choices)}")
            return key
        if kind in (FieldKind.TEXT, FieldKind.TAGS):
            if not isinstance(value, str):
                raise loc.error(f"expected a string, got {describe(value)}")
            return value
        if kind is FieldKind.NUMBER:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise loc.error(f"expected a number, got {describe(value)}")
            if not _finite(value):
                raise loc.error(f"expected a finite number, got {describe(value)}")
            return _number(value)
        if kind is FieldKind.DURATION:
            return _number(parse_duration(value, loc, allow_negative=True).total_seconds())
        if isinstance(value, bool | str):
            return value
        if isinstance(value, int | float) and _finite(value):
            return _number(value)
        raise loc.error(f"expected a string, number or boolean, got {describe(value)}")

    def _list(self, fspec: FieldSpec, value: object, loc: Loc) -> list[Scalar]:
        if not isinstance(value, list | tuple) or not value:
            raise loc.error(f"expected a non-empty array of values, got {describe(value)}")
        if len(value) > self.limits.max_list:
            raise loc.error(f"more than {self.limits.max_list} values")
        return [self._scalar(fspec, item, loc.index(i)) for i, item in enumerate(value)]

    def _choice_predicate(
        self,
        field: str,
        fspec: FieldSpec,
        get: Callable[[RoutingContext], RawValue],
        op: str,
        value: object,
        loc: Loc,
    ) -> tuple[Predicate, JsonValue]:
        """Enum and ordered fields: every operator becomes "the value is one of these members"."""
        choices = fspec.choices
        rank = {name: i for i, name in enumerate(choices)}
        normal: JsonValue
        if op in ("in", "not_in", "between"):
            items = [str(v) for v in self._list(fspec, value, loc)]
            normal = list(items)
            if op == "between":
                if len(items) != 2:
                    raise loc.error(f"'between' takes [low, high], got {len(items)} values")
                low, high = rank[items[0]], rank[items[1]]
                if low > high:
                    raise loc.error(
                        f"'between' takes [low, high] with low <= high, got {items!r} "
                        f"(order: {', '.join(choices)})"
                    )
                ok = [c for c in choices if low <= rank[c] <= high]
            elif op == "in":
                ok = items
            else:
                ok = [c for c in choices if c not in items]
        else:
            target = str(self._scalar(fspec, value, loc))
            normal = target
            if op == "equals":
                ok = [target]
            elif op == "not_equals":
                ok = [c for c in choices if c != target]
            else:
                compare = _COMPARE[op]
                ok = [c for c in choices if compare(rank[c], rank[target])]
        members = tuple(raw_choice(field, c) for c in dict.fromkeys(ok))
        return _among(get, members), normal

    def _predicate(
        self,
        fspec: FieldSpec,
        get: Callable[[RoutingContext], RawValue],
        op: str,
        value: object,
        loc: Loc,
    ) -> tuple[Predicate, JsonValue]:
        kind = fspec.kind
        if op == "has":
            items = [value] if isinstance(value, str) else self._list(fspec, value, loc)
            wanted = frozenset(self._scalar(fspec, v, loc) for v in items)
            normal_has: JsonValue = items[0] if isinstance(value, str) else [str(v) for v in items]

            def has(ctx: RoutingContext) -> bool:
                tags = get(ctx)
                return isinstance(tags, frozenset) and wanted <= tags

            return has, normal_has
        if op == "contains":
            if not isinstance(value, str):
                raise loc.error(f"'contains' takes a string, got {describe(value)}")

            def contains(ctx: RoutingContext) -> bool:
                v = get(ctx)
                return isinstance(v, str) and value in v

            return contains, value
        if op in ("in", "not_in"):
            items = self._list(fspec, value, loc)
            return self._membership(kind, get, op == "in", items), list(items)
        if op == "between":
            items = self._list(fspec, value, loc)
            if len(items) != 2:
                raise loc.error(f"'between' takes [low, high], got {len(items)} values")
            low, high = items
            self._check_orderable(kind, low, loc.index(0))
            self._check_orderable(kind, high, loc.index(1))
            if type(low) is not type(high) and not (
                isinstance(low, int | float) and isinstance(high, int | float)
            ):
                raise loc.error("'between' takes two values of the same type")
            if self._key(fspec, low) > self._key(fspec, high):  # type: ignore[operator]
                raise loc.error(f"'between' takes [low, high] with low <= high, got {items!r}")
            return self._between(fspec, get, low, high), [low, high]
        target = self._scalar(fspec, value, loc)
        if op in ("equals", "not_equals"):
            return self._equality(kind, get, op == "equals", target), target
        self._check_orderable(kind, target, loc)
        return self._order(fspec, get, op, target), target

    @staticmethod
    def _check_orderable(kind: FieldKind, value: Scalar, loc: Loc) -> None:
        if kind is FieldKind.ANY and isinstance(value, bool):
            raise loc.error("ordering operators take a number or a string, not a boolean")

    @staticmethod
    def _key(fspec: FieldSpec, value: Scalar) -> object:
        if fspec.kind is FieldKind.ORDERED:
            return fspec.choices.index(str(value))
        return value

    @staticmethod
    def _equality(
        kind: FieldKind, get: Callable[[RoutingContext], RawValue], equal: bool, target: Scalar
    ) -> Predicate:
        if kind is FieldKind.ANY:
            key = _typed(target)
            if equal:
                return lambda ctx: _typed(get(ctx)) == key

            def any_differs(ctx: RoutingContext) -> bool:
                got = _typed(get(ctx))
                return got is not None and got != key

            return any_differs
        if equal:
            return lambda ctx: get(ctx) == target

        def differs(ctx: RoutingContext) -> bool:
            v = get(ctx)
            return v is not None and v != target

        return differs

    @staticmethod
    def _membership(
        kind: FieldKind,
        get: Callable[[RoutingContext], RawValue],
        inside: bool,
        items: Sequence[Scalar],
    ) -> Predicate:
        if kind is FieldKind.ANY:
            keys = frozenset(_typed(v) for v in items)

            def any_member(ctx: RoutingContext) -> bool:
                got = _typed(get(ctx))
                return got is not None and (got in keys) is inside

            return any_member
        values = frozenset(items)

        def member(ctx: RoutingContext) -> bool:
            v = get(ctx)
            return v is not None and (v in values) is inside

        return member

    @staticmethod
    def _order(
        fspec: FieldSpec, get: Callable[[RoutingContext], RawValue], op: str, target: Scalar
    ) -> Predicate:
        compare: Callable[[object, object], bool] = _COMPARE[op]
        if fspec.kind is FieldKind.ORDERED:
            rank = {name: i for i, name in enumerate(fspec.choices)}
            t = rank[str(target)]

            def ordered(ctx: RoutingContext) -> bool:
                r = rank.get(get(ctx))  # type: ignore[arg-type]
                return r is not None and compare(r, t)

            return ordered
        if isinstance(target, str):

            def text_order(ctx: RoutingContext) -> bool:
                v = get(ctx)
                return isinstance(v, str) and compare(v, target)

            return text_order

        def number_order(ctx: RoutingContext) -> bool:
            v = get(ctx)
            return isinstance(v, int | float) and not isinstance(v, bool) and compare(v, target)

        return number_order

    @staticmethod
    def _between(
        fspec: FieldSpec, get: Callable[[RoutingContext], RawValue], low: Scalar, high: Scalar
    ) -> Predicate:
        if fspec.kind is FieldKind.ORDERED:
            rank = {name: i for i, name in enumerate(fspec.choices)}
            lo, hi = rank[str(low)], rank[str(high)]

            def ordered(ctx: RoutingContext) -> bool:
                r = rank.get(get(ctx))  # type: ignore[arg-type]
                return r is not None and lo <= r <= hi

            return ordered
        if isinstance(low, str) and isinstance(high, str):
            slo, shi = low, high

            def text_between(ctx: RoutingContext) -> bool:
                v = get(ctx)
                return isinstance(v, str) and slo <= v <= shi

            return text_between
        nlo, nhi = low, high

        def number_between(ctx: RoutingContext) -> bool:
            v = get(ctx)
            return (
                isinstance(v, int | float) and not isinstance(v, bool) and nlo <= v <= nhi  # type: ignore[operator]
            )

        return number_between


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "lt": lambda a, b: a < b,  # type: ignore[operator]
    "lte": lambda a, b: a <= b,  # type: ignore[operator]
    "gt": lambda a, b: a > b,  # type: ignore[operator]
    "gte": lambda a, b: a >= b,  # type: ignore[operator]
}
