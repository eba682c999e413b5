"""Property tests for rule documents: random and mutated documents give nothing but RuleError,
valid documents round-trip, and compiled conditions agree with a brute-force interpreter."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from cs8 import Customer, Ticket
from cs8._enums import Channel, CustomerSegment, Priority
from cs8.exceptions import RuleError
from cs8.routing import (
    BUILTIN_STRATEGY_NAMES,
    FIELDS,
    FieldKind,
    RoutingContext,
    RuleSet,
    compile_condition,
    dump_rules,
    load_rules,
)
from cs8.routing._conditions import OPERATORS, possible_channels
from cs8.routing._context import SLA_STATES
from cs8.sla import BusinessCalendar

JSON = Any

# --------------------------------------------------------------------------------------------------
# Random JSON

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.sampled_from([10**400, -(10**400), 2**63])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "all",
            "any",
            "not",
            "field",
            "op",
            "value",
            "equals",
            "in",
            "between",
            "has",
            "ticket.channel",
            "ticket.age",
            "ticket.attributes.x",
            "chat",
            "high",
            "PT1H",
            "P1M",
        ]
    )
)
keys = st.sampled_from(
    [
        "rules",
        "default",
        "version",
        "name",
        "when",
        "actions",
        "all",
        "any",
        "not",
        "field",
        "op",
        "value",
        "plugin",
        "args",
        "queue",
        "priority",
        "priority_change",
        "skills",
        "languages",
        "preferred_agents",
        "strategy",
        "escalation",
        "after",
        "raise_priority",
        "relax_skills",
        "drop_skills",
        "business_hours",
        "x",
    ]
) | st.text(max_size=6)
random_json = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=25,
)


def load_or_rule_error(doc: object) -> RuleSet | None:
    """Load ``doc``; return None on RuleError. Any other exception fails the test."""
    try:
        return load_rules(doc)  # type: ignore[arg-type]
    except RuleError:
        return None


@given(random_json)
def test_random_json_gives_rule_set_or_rule_error(doc: JSON) -> None:
    result = load_or_rule_error(doc)
    assert result is None or isinstance(result, RuleSet)


@given(random_json, random_json)
def test_random_json_in_rule_slots_gives_rule_set_or_rule_error(when: JSON, actions: JSON) -> None:
    result = load_or_rule_error({"rules": [{"name": "r", "when": when, "actions": actions}]})
    assert result is None or isinstance(result, RuleSet)


@given(st.text(max_size=200) | st.binary(max_size=200))
def test_random_text_gives_rule_set_or_rule_error(text: str | bytes) -> None:
    result = load_or_rule_error(text)
    assert result is None or isinstance(result, RuleSet)


# --------------------------------------------------------------------------------------------------
# Valid documents

WORDS = ("a", "b", "refund", "vip", "Ho Chi Minh")
ATTR_KEYS = ("x", "y")


@st.composite
def durations(draw: st.DrawFn) -> tuple[JSON, int]:
    """A duration as a document writes it, and its seconds."""
    h, m, s = (draw(st.integers(0, 30)) for _ in range(3))
    seconds = h * 3600 + m * 60 + s
    text = draw(st.sampled_from(["seconds", "iso"]))
    return (seconds if text == "seconds" else f"PT{h}H{m}M{s}S"), seconds


def field_names() -> st.SearchStrategy[str]:
    names: list[str] = []
    for name in FIELDS:
        if "<key>" in name:
            names += [name.replace("<key>", k) for k in ATTR_KEYS]
        elif "<metric>" in name:
            names += [name.replace("<metric>", m) for m in ("first_reply", "resolution")]
        else:
            names.append(name)
    return st.sampled_from(names)


def kind_of(field: str) -> FieldKind:
    for pattern, spec in FIELDS.items():
        regex = re.escape(pattern).replace("<key>", "[^.]+").replace("<metric>", "[^.]+")
        regex = regex.replace(re.escape("[^.]+"), "[^.]+")
        if re.fullmatch(regex, field):
            return spec.kind
    raise AssertionError(field)


def choices_of(field: str) -> tuple[str, ...]:
    for pattern, spec in FIELDS.items():
        if (
            pattern.split(".")[0] == field.split(".")[0]
            and pattern.split(".")[-1] == field.split(".")[-1]
        ):
            return spec.choices
    raise AssertionError(field)


@st.composite
def one_value(draw: st.DrawFn, field: str, kind: FieldKind, orderable: bool = False) -> JSON:
    if kind in (FieldKind.ENUM, FieldKind.ORDERED):
        name = draw(st.sampled_from(choices_of(field)))
        return draw(st.sampled_from([name, name.upper()]))
    if kind in (FieldKind.TEXT, FieldKind.TAGS):
        return draw(st.sampled_from(WORDS))
    if kind is FieldKind.NUMBER:
        return draw(st.integers(0, 23) | st.floats(0, 23))
    if kind is FieldKind.DURATION:
        return draw(durations())[0]
    base = st.sampled_from(WORDS) | st.integers(-5, 5) | st.floats(-5, 5)
    return draw(base if orderable else base | st.booleans())


def seconds_of(value: JSON) -> float:
    if isinstance(value, str):
        h, m, s = (int(x) for x in re.fullmatch(r"PT(\d+)H(\d+)M(\d+)S", value).groups())  # type: ignore[union-attr]
        return float(h * 3600 + m * 60 + s)
    return float(value)


@st.composite
def comparisons(draw: st.DrawFn) -> JSON:
    field = draw(field_names())
    kind = kind_of(field)
    op = draw(st.sampled_from(OPERATORS[kind]))
    if op in ("in", "not_in"):
        value = draw(st.lists(one_value(field, kind), min_size=1, max_size=3))
    elif op == "has":
        value = draw(
            st.sampled_from(WORDS) | st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)
        )
    elif op == "contains":
        value = draw(st.sampled_from(["a", "Chi", "fun", ""]))
    elif op == "between":
        a = draw(one_value(field, kind, orderable=True))
        b = draw(one_value(field, kind, orderable=True))
        if kind is FieldKind.ANY and isinstance(a, str) != isinstance(b, str):
            b = a
        key: Callable[[JSON], Any]
        if kind is FieldKind.ORDERED:
            choices = choices_of(field)
            key = lambda v: choices.index(v.lower())  # noqa: E731
        elif kind is FieldKind.DURATION:
            key = seconds_of
        else:
            key = lambda v: v  # noqa: E731
        value = sorted([a, b], key=key)
    elif op in ("lt", "lte", "gt", "gte"):
        value = draw(one_value(field, kind, orderable=True))
    else:
        value = draw(one_value(field, kind))
    return {"field": field, "op": op, "value": value}


conditions = st.recursive(
    comparisons(),
    lambda children: (
        st.builds(lambda xs: {"all": xs}, st.lists(children, max_size=3))
        | st.builds(lambda xs: {"any": xs}, st.lists(children, max_size=3))
        | st.builds(lambda x: {"not": x}, children)
    ),
    max_leaves=6,
)

names = st.text(alphabet="abcdefgh-_ ", min_size=1, max_size=8).filter(lambda s: s.strip() != "")


order_by = st.lists(
    st.fixed_dictionaries(
        {"field": st.sampled_from(["agent.skills.a", "agent.skills.refund", "agent.skills.vip"])},
        optional={"desc": st.booleans()},
    ),
    min_size=1,
    max_size=3,
)


@st.composite
def steps(draw: st.DrawFn) -> list[JSON]:
    out: list[JSON] = []
    after = 0
    for _ in range(draw(st.integers(0, 3))):
        after += draw(st.integers(1, 5000))
        step: dict[str, JSON] = {
            "after": draw(st.sampled_from([after, f"PT{after}S"])),
        }
        change = draw(
            st.sampled_from(["queue", "priority", "raise_priority", "relax", "drop", "team"])
        )
        if change == "team":
            step["team"] = draw(names)
            if draw(st.booleans()):
                step["order_by"] = draw(order_by | st.none())
        elif change == "queue":
            step["queue"] = draw(names)
        elif change == "priority":
            step["priority"] = draw(st.sampled_from([p.value for p in Priority]))
        elif change == "raise_priority":
            step["raise_priority"] = draw(st.integers(1, 3))
        elif change == "relax":
            step["relax_skills"] = draw(st.integers(1, 3))
        else:
            step["drop_skills"] = draw(st.lists(st.sampled_from(WORDS), min_size=1, unique=True))
        if draw(st.booleans()):
            step["business_hours"] = draw(st.booleans())
        if draw(st.booleans()):
            step["skip_if"] = "no_agent"
        out.append(step)
    return out


@st.composite
def actions(draw: st.DrawFn) -> JSON:
    out: dict[str, JSON] = {}
    if draw(st.booleans()):
        out["queue"] = draw(names)
    which = draw(st.sampled_from(["none", "priority", "change"]))
    if which == "priority":
        out["priority"] = draw(st.sampled_from(["low", "NORMAL", "High", "urgent"]))
    elif which == "change":
        out["priority_change"] = draw(st.integers(-3, 3))
    if draw(st.booleans()):
        out["skills"] = draw(st.dictionaries(st.sampled_from(WORDS), st.integers(0, 5), max_size=3))
    if draw(st.booleans()):
        out["languages"] = draw(st.lists(st.sampled_from(["vi", "en", "fr"]), unique=True))
    if draw(st.booleans()):
        out["preferred_agents"] = draw(st.lists(st.sampled_from(["a1", "a2", "a3"]), unique=True))
    if draw(st.booleans()):
        out["strategy"] = draw(st.sampled_from(sorted(BUILTIN_STRATEGY_NAMES)))
    if draw(st.booleans()):
        out["escalation"] = draw(steps())
    if draw(st.booleans()):
        out["team"] = draw(names)
    if draw(st.booleans()):
        out["order_by"] = draw(order_by)
    return out


@st.composite
def documents(draw: st.DrawFn) -> JSON:
    rule_names = draw(st.lists(names, unique=True, max_size=4))
    rules = []
    for name in rule_names:
        rule: dict[str, JSON] = {"name": name, "actions": draw(actions())}
        if draw(st.booleans()):
            rule["when"] = draw(conditions)
        if draw(st.booleans()):
            rule["description"] = draw(st.text(max_size=10))
        rules.append(rule)
    doc: dict[str, JSON] = {"rules": rules}
    if draw(st.booleans()):
        doc["default"] = draw(actions())
    if draw(st.booleans()):
        doc["version"] = 1
    return doc


@given(documents())
def test_valid_document_loads_and_round_trips(doc: JSON) -> None:
    rules = load_rules(doc)
    assert rules == load_rules(dump_rules(rules))


@given(documents())
def test_dump_is_a_fixed_point(doc: JSON) -> None:
    dumped = dump_rules(load_rules(doc))
    assert dumped == dump_rules(load_rules(json.loads(json.dumps(dumped))))


# --------------------------------------------------------------------------------------------------
# Mutated documents


def paths(doc: JSON, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += paths(value, (*prefix, i))
    return out


def at(doc: JSON, path: tuple[Any, ...]) -> JSON:
    for part in path:
        doc = doc[part]
    return doc


@given(documents(), st.data())
def test_mutated_document_gives_rule_set_or_rule_error(doc: JSON, data: st.DataObject) -> None:
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        candidates = paths(doc)
        path = data.draw(st.sampled_from(candidates))
        how = data.draw(st.sampled_from(["replace", "delete", "add", "wrap"]))
        if not path:
            doc = data.draw(random_json) if how == "replace" else [doc]
            continue
        parent = at(doc, path[:-1])
        last = path[-1]
        if how == "replace":
            parent[last] = data.draw(random_json)
        elif how == "delete":
            del parent[last]
        elif how == "add" and isinstance(parent, dict):
            parent[data.draw(keys)] = data.draw(random_json)
        elif how == "add":
            parent.insert(last, data.draw(random_json))
        else:
            parent[last] = [parent[last]]
    result = load_or_rule_error(doc)
    assert result is None or isinstance(result, RuleSet)


# --------------------------------------------------------------------------------------------------
# Compiled conditions against a brute-force interpreter

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
maybe_scalar = (
    st.none() | st.sampled_from(WORDS) | st.integers(-5, 5) | st.booleans() | st.floats(-5, 5)
)


@st.composite
def contexts(draw: st.DrawFn) -> RoutingContext:
    ticket = Ticket(
        id="T",
        customer_id="C",
        channel=draw(st.sampled_from(list(Channel))),
        created_at=T0,
        priority=draw(st.sampled_from(list(Priority))),
        category=draw(st.none() | st.sampled_from(WORDS)),
        tags=draw(st.frozensets(st.sampled_from(WORDS))),
        language=draw(st.none() | st.sampled_from(WORDS)),
        attributes=draw(st.dictionaries(st.sampled_from(ATTR_KEYS), maybe_scalar)),
    )
    customer = draw(
        st.none()
        | st.builds(
            Customer,
            id=st.just("C"),
            segment=st.sampled_from(list(CustomerSegment)),
            language=st.none() | st.sampled_from(WORDS),
            attributes=st.dictionaries(st.sampled_from(ATTR_KEYS), maybe_scalar),
        )
    )
    sla = draw(
        st.dictionaries(
            st.sampled_from(("first_reply", "next_reply", "resolution")),
            st.fixed_dictionaries(
                {"state": st.sampled_from(SLA_STATES), "remaining": st.integers(-4000, 4000)}
            ),
        )
    )
    return RoutingContext(
        ticket=ticket,
        now=T0 + timedelta(seconds=draw(st.integers(0, 8 * 86400))),
        customer=customer,
        sla=sla,
        timezone=draw(st.sampled_from(["UTC", "Asia/Ho_Chi_Minh", "America/New_York"])),
        calendar=draw(st.sampled_from([None, CALENDAR])),
    )


# For desk.open and time.holiday: weekday hours in Ho Chi Minh City, one holiday in the window.
CALENDAR = BusinessCalendar(
    timezone="Asia/Ho_Chi_Minh",
    hours={day: [("08:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")},
    holidays=[(T0 + timedelta(days=2)).date()],
)


def brute_value(ctx: RoutingContext, field: str) -> object:
    """Read a field the long way, straight from the models."""
    ticket, customer = ctx.ticket, ctx.customer
    head, _, rest = field.partition(".")
    if head == "ticket":
        if rest.startswith("attributes."):
            return ticket.attributes.get(rest.split(".", 1)[1])
        return {
            "channel": ticket.channel.value,
            "category": ticket.category,
            "priority": ticket.current_priority.value,
            "status": ticket.status.value,
            "age": (ctx.now - ticket.created_at).total_seconds(),
            "tags": ticket.tags,
            "assignee": ticket.assignee,
            "language": ticket.language,
            "sentiment": ticket.attributes.get("sentiment"),
            "intent": ticket.attributes.get("intent"),
            "urgency": ticket.attributes.get("urgency"),
        }[rest]
    if head == "customer":
        if customer is None:
            return None
        if rest.startswith("attributes."):
            return customer.attributes.get(rest.split(".", 1)[1])
        return {"segment": customer.segment.value, "language": customer.language}[rest]
    if head == "sla":
        metric, part = rest.split(".")
        snap = ctx.sla.get(metric)
        return None if snap is None else getattr(snap, part)
    calendar = ctx.calendar
    if field == "desk.open":
        return None if calendar is None else calendar.is_open(ctx.now)  # type: ignore[attr-defined]
    if field == "time.holiday":
        if calendar is None:
            return None
        day = ctx.now.astimezone(ZoneInfo(calendar.timezone)).date()  # type: ignore[attr-defined]
        return day in calendar.holidays  # type: ignore[attr-defined]
    local = ctx.now.astimezone(ctx.timezone)
    if rest == "date":
        return local.date().isoformat()
    return (
        local.hour
        if rest == "hour"
        else ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[local.weekday()]
    )


def category(v: object) -> str:
    return "bool" if isinstance(v, bool) else "num" if isinstance(v, int | float) else "str"


def brute(spec: JSON, ctx: RoutingContext) -> bool:
    if "all" in spec:
        return all(brute(s, ctx) for s in spec["all"])
    if "any" in spec:
        return any(brute(s, ctx) for s in spec["any"])
    if "not" in spec:
        return not brute(spec["not"], ctx)
    field, op, value = spec["field"], spec["op"], spec["value"]
    got = brute_value(ctx, field)
    if got is None:
        return False
    kind = kind_of(field)

    def norm(v: JSON) -> JSON:
        if kind in (FieldKind.ENUM, FieldKind.ORDERED):
            return v.lower()
        if kind is FieldKind.DURATION:
            return seconds_of(v)
        return v

    def key(v: JSON) -> JSON:
        return choices_of(field).index(v) if kind is FieldKind.ORDERED else v

    def same(a: object, b: object) -> bool:
        return category(a) == category(b)

    if op == "has":
        return set([value] if isinstance(value, str) else value) <= set(got)  # type: ignore[call-overload]
    if op == "contains":
        return isinstance(got, str) and value in got
    if op in ("equals", "not_equals"):
        equal = same(got, norm(value)) and got == norm(value)
        return equal if op == "equals" else not equal
    if op in ("in", "not_in"):
        inside = any(same(got, norm(v)) and got == norm(v) for v in value)
        return inside if op == "in" else not inside
    if op == "between":
        low, high = norm(value[0]), norm(value[1])
        if not same(got, low) or category(got) == "bool":
            return False
        return bool(key(low) <= key(got) <= key(high))
    target = norm(value)
    if not same(got, target) or category(got) == "bool":
        return False
    a, b = key(got), key(target)
    return bool({"lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b}[op])


@given(conditions, contexts())
def test_compiled_condition_agrees_with_brute_force(spec: JSON, ctx: RoutingContext) -> None:
    assert brute(spec, ctx) == compile_condition(spec)(ctx)


@given(conditions, contexts())
def test_condition_never_holds_outside_its_possible_channels(
    spec: JSON, ctx: RoutingContext
) -> None:
    compiled = compile_condition(spec)
    assert not compiled(ctx) or ctx.ticket.channel in possible_channels(compiled)


@given(documents(), contexts())
def test_first_match_equals_a_linear_scan(doc: JSON, ctx: RoutingContext) -> None:
    rules = load_rules(doc)
    scanned = next((rule for rule in rules.rules if rule.matches(ctx)), None)
    assert scanned == rules.first_match(ctx)
