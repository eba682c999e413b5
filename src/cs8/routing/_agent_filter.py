"""Agent filters: conditions every eligible agent must pass, comparing agent and ticket fields.

A rule's ``"agent_filter"`` action says which agents may take the work, by comparing a field of
the agent with a constant (``"value"``) or with a field of the ticket or customer
(``"value_from"``), as Twilio TaskRouter's ``worker.languages HAS task.language`` does. Filters
apply on top of the pool's index: the router first takes the agents the index finds eligible
(status, channel, room, skills, languages), then keeps those that pass every filter.

Agent fields (see :data:`AGENT_FIELDS`): ``agent.id`` and ``agent.team`` (text),
``agent.languages`` (tags) and ``agent.skills.<name>`` (a number; missing when the agent lacks
the skill). A missing value on either side compares false, so no agent passes (as everywhere in
cs8's rules); ``any``, ``all`` and ``not`` combine filters.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Agent, Ticket
    >>> from cs8.routing import RoutingContext
    >>> speaks = compile_agent_filter(
    ...     {"field": "agent.languages", "op": "has", "value_from": "ticket.language"})
    >>> speaks.name
    'agent.languages has ticket.language'
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="email",
    ...     created_at=t0, language="es"), now=t0)
    >>> test = speaks.bind(ctx)
    >>> test(Agent(id="a1", languages={"en", "es"})), test(Agent(id="a2", languages={"en"}))
    (True, False)
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum

import attrs

from cs8._models import Agent
from cs8.routing._context import RoutingContext, field_spec, resolve_field
from cs8.routing._schema import JsonValue, Loc, describe

__all__ = [
    "AGENT_FIELDS",
    "AgentFilter",
    "compile_agent_filter",
    "passing",
    "team_filter",
    "team_of",
]

AgentTest = Callable[[Agent], bool]
"""A filter bound to one ticket: true for the agents that pass."""

AGENT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "agent.id": ("equals", "not_equals", "in", "not_in"),
    "agent.team": ("equals", "not_equals", "in", "not_in"),
    "agent.languages": ("has", "has_any"),
    "agent.skills.<name>": ("equals", "not_equals", "lt", "lte", "gt", "gte"),
}
"""The agent fields a filter may read, with the operators each accepts.

``has`` needs every given language (one value, or every item of a list), ``has_any`` one of them;
``in``/``not_in`` test the agent's text against a list."""

_SKILL = re.compile(r"agent\.skills\.([A-Za-z0-9_][A-Za-z0-9_.:-]{0,99})")
_ORDER: dict[str, Callable[[float, float], bool]] = {
    "equals": operator.eq,
    "not_equals": operator.ne,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}

_Reader = Callable[[Agent], object]
_Bound = Callable[[RoutingContext], AgentTest]


def _never(agent: Agent) -> bool:
    return False


def _agent_reader(field: str, loc: Loc) -> tuple[_Reader, tuple[str, ...]]:
    if field == "agent.id":
        return operator.attrgetter("id"), AGENT_FIELDS[field]
    if field == "agent.team":
        return operator.attrgetter("team"), AGENT_FIELDS[field]
    if field == "agent.languages":
        return operator.attrgetter("languages"), AGENT_FIELDS[field]
    match = _SKILL.fullmatch(field)
    if match is not None:
        skill = match.group(1)
        return (lambda agent: agent.skills.get(skill)), AGENT_FIELDS["agent.skills.<name>"]
    raise loc.error(
        f"unknown agent field {field!r}; expected one of {', '.join(sorted(AGENT_FIELDS))}"
    )


def _plain(value: object) -> object:
    """A ticket field's value as filters compare it: enum members as their text, lists as sets."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return frozenset(_plain(v) for v in value)
    return value


def _test(field: str, op: str, read: _Reader, other: object) -> AgentTest:
    """The test of one comparison against the ticket-side value ``other`` (already plain)."""
    if other is None:
        return _never
    if op in ("has", "has_any"):
        wanted = other if isinstance(other, frozenset) else frozenset((other,))
        if not all(isinstance(w, str) for w in wanted) or not wanted:
            return _never
        if op == "has":
            return lambda agent: wanted <= read(agent)  # type: ignore[operator]
        return lambda agent: not wanted.isdisjoint(read(agent))  # type: ignore[arg-type]
    if op in ("in", "not_in"):
        members = other if isinstance(other, frozenset) else frozenset((other,))
        inside = op == "in"

        def among(agent: Agent) -> bool:
            mine = read(agent)
            return mine is not None and (mine in members) is inside

        return among
    if field.startswith("agent.skills."):
        if not isinstance(other, int | float) or isinstance(other, bool):
            return _never
        compare = _ORDER[op]

        def level(agent: Agent) -> bool:
            mine = read(agent)
            return mine is not None and compare(mine, other)  # type: ignore[arg-type]

        return level
    if not isinstance(other, str):
        return _never
    same = op == "equals"

    def equal(agent: Agent) -> bool:
        mine = read(agent)
        return mine is not None and (mine == other) is same

    return equal


class _Compiler:
    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth

    def node(self, doc: object, loc: Loc, depth: int) -> tuple[_Bound, JsonValue, str, bool]:
        """(bind, normalized document, readable name, reads agent.languages)."""
        if depth > self.max_depth:
            raise loc.error(f"an agent filter nested more than {self.max_depth} levels deep")
        if not isinstance(doc, Mapping):
            raise loc.error(f"an agent filter must be an object, got {describe(doc)}")
        for combinator in ("all", "any"):
            if combinator in doc:
                if len(doc) != 1:
                    raise loc.error(f"'{combinator}' takes no other keys")
                items = doc[combinator]
                if not isinstance(items, list | tuple) or not items:
                    raise loc.key(combinator).error("must be a non-empty array of agent filters")
                parts = [
                    self.node(item, loc.key(combinator).index(i), depth + 1)
                    for i, item in enumerate(items)
                ]
                return self._combine(combinator, parts)
        if "not" in doc:
            if len(doc) != 1:
                raise loc.error("'not' takes no other keys")
            bind, normal, name, langs = self.node(doc["not"], loc.key("not"), depth + 1)

            def negated(ctx: RoutingContext) -> AgentTest:
                test = bind(ctx)
                return lambda agent: not test(agent)

            return negated, {"not": normal}, f"not ({name})", langs
        return self._comparison(doc, loc)

    def _combine(
        self, combinator: str, parts: list[tuple[_Bound, JsonValue, str, bool]]
    ) -> tuple[_Bound, JsonValue, str, bool]:
        binds = [p[0] for p in parts]
        joined = f" {'and' if combinator == 'all' else 'or'} ".join(f"({p[2]})" for p in parts)
        every = combinator == "all"

        def combined(ctx: RoutingContext) -> AgentTest:
            tests = [bind(ctx) for bind in binds]
            if every:
                return lambda agent: all(test(agent) for test in tests)
            return lambda agent: any(test(agent) for test in tests)

        return combined, {combinator: [p[1] for p in parts]}, joined, any(p[3] for p in parts)

    def _comparison(
        self, doc: Mapping[str, object], loc: Loc
    ) -> tuple[_Bound, JsonValue, str, bool]:
        allowed = {"field", "op", "value", "value_from"}
        for key in doc:
            if key not in allowed:
                raise loc.key(str(key)).error(
                    f"unknown key {key!r} in an agent filter; expected all, any, not, or "
                    f"{', '.join(sorted(allowed))}"
                )
        field = doc.get("field")
        if not isinstance(field, str):
            raise loc.key("field").error(f"must be an agent field, got {describe(field)}")
        read, ops = _agent_reader(field, loc.key("field"))
        op = doc.get("op")
        if op not in ops:
            raise loc.key("op").error(
                f"operator {describe(op)} does not apply to {field}; expected one of "
                f"{', '.join(ops)}"
            )
        assert isinstance(op, str)
        if ("value" in doc) == ("value_from" in doc):
            raise loc.error("an agent filter takes exactly one of 'value' and 'value_from'")
        normal: dict[str, JsonValue] = {"field": field, "op": op}
        langs = field == "agent.languages"
        if "value_from" in doc:
            source = doc["value_from"]
            if not isinstance(source, str) or field_spec(source) is None:
                raise loc.key("value_from").error(
                    f"must name a ticket or customer field (see cs8.routing.FIELDS), got "
                    f"{describe(source)}"
                )
            normal["value_from"] = source

            def from_ticket(ctx: RoutingContext) -> AgentTest:
                return _test(field, op, read, _plain(resolve_field(ctx, source)))

            return from_ticket, normal, f"{field} {op} {source}", langs
        value = doc["value"]
        self._check_value(field, op, value, loc.key("value"))
        normal["value"] = value  # type: ignore[assignment]
        fixed = _test(field, op, read, _plain(value))
        return (lambda ctx: fixed), normal, f"{field} {op} {json.dumps(value)}", langs

    @staticmethod
    def _check_value(field: str, op: str, value: object, loc: Loc) -> None:
        items = value if isinstance(value, list | tuple) else [value]
        if op in ("in", "not_in", "has_any") and not isinstance(value, list | tuple):
            raise loc.error(f"'{op}' takes an array, got {describe(value)}")
        if not items:
            raise loc.error("must not be empty")
        numeric = field.startswith("agent.skills.")
        for i, item in enumerate(items):
            where = loc.index(i) if isinstance(value, list | tuple) else loc
            if numeric:
                if isinstance(value, list | tuple) or not isinstance(item, int | float):
                    raise where.error(f"{field} compares with a number, got {describe(item)}")
                if isinstance(item, bool):
                    raise where.error(f"{field} compares with a number, got {describe(item)}")
            elif not isinstance(item, str) or not item:
                raise where.error(f"{field} compares with non-empty text, got {describe(item)}")


@attrs.frozen(kw_only=True)
class AgentFilter:
    """A compiled ``agent_filter``: equal when their normalized documents are equal.

    Build one with :func:`compile_agent_filter`.

    Attributes:
        name: The filter as people read it (``agent.languages has ticket.language``).
        reads_languages: Whether it reads ``agent.languages`` (an escalation step with
            ``drop_languages`` removes such filters with the languages).

    Example:
        >>> f = compile_agent_filter({"field": "agent.team", "op": "equals", "value": "tier2"})
        >>> f.to_json(), f.reads_languages
        ({'field': 'agent.team', 'op': 'equals', 'value': 'tier2'}, False)
    """

    document: str  # the canonical JSON text of the normalized document
    name: str = attrs.field(eq=False)
    reads_languages: bool = attrs.field(eq=False)
    _bind: _Bound = attrs.field(eq=False, repr=False, alias="bind")

    def bind(self, ctx: RoutingContext) -> AgentTest:
        """Return the test of agents for the ticket in ``ctx`` (ticket fields read once).

        Example:
            >>> from cs8 import Agent
            >>> f = compile_agent_filter({"field": "agent.skills.refunds", "op": "gte", "value": 2})
            >>> f.bind(None)(Agent(id="a", skills={"refunds": 3}))  # a constant needs no ticket
            True
        """
        return self._bind(ctx)

    def to_json(self) -> JsonValue:
        """Return the normalized document (what ``dump_rules`` writes)."""
        parsed: JsonValue = json.loads(self.document)
        return parsed


def compile_agent_filter(
    document: object, *, loc: Loc | None = None, max_depth: int = 16
) -> AgentFilter:
    """Check an ``agent_filter`` document and compile it.

    Args:
        document: ``{"field": "agent.<f>", "op": ..., "value": ...}`` or with ``"value_from"``
            naming a ticket or customer field; or ``{"all": [...]}``, ``{"any": [...]}``,
            ``{"not": ...}``.
        loc: Where the document sits, for error messages.
        max_depth: How deeply combinators may nest.

    Raises:
        RuleError: Naming the path and the problem.

    Example:
        >>> compile_agent_filter({"field": "agent.mood", "op": "equals", "value": "happy"},
        ...     loc=Loc("rules[0].actions.agent_filter", rule="vip"))
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: rule 'vip' at rules[0].actions.agent_filter.field: unknown agent field 'agent.mood'; expected one of agent.id, agent.languages, agent.skills.<name>, agent.team
    """
    where = loc if loc is not None else Loc("agent_filter")
    bind, normal, name, langs = _Compiler(max_depth).node(document, where, 0)
    text = json.dumps(normal, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return AgentFilter(document=text, name=name, reads_languages=langs, bind=bind)


def passing(
    filters: Iterable[AgentFilter], ctx: RoutingContext, agents: Iterable[Agent]
) -> tuple[str, ...]:
    """Return the ids of ``agents`` that pass every filter for the ticket in ``ctx``, in order.

    Example:
        >>> from cs8 import Agent
        >>> team = compile_agent_filter({"field": "agent.team", "op": "equals", "value": "t1"})
        >>> passing([team], None, [Agent(id="a", team="t1"), Agent(id="b", team="t2")])
        ('a',)
    """
    tests = [f.bind(ctx) for f in filters]
    return tuple(agent.id for agent in agents if all(test(agent) for test in tests))


def team_filter(team: str) -> AgentFilter:
    """Return the agent filter a ``"team": team`` key compiles to (``agent.team equals team``).

    Example:
        >>> team_filter("tier2").name
        'agent.team equals "tier2"'
    """
    return compile_agent_filter({"field": "agent.team", "op": "equals", "value": team})


def team_of(agent_filter: AgentFilter) -> str | None:
    """Return the team when ``agent_filter`` is exactly a ``team`` key's filter, else ``None``.

    Example:
        >>> team_of(team_filter("tier2")), team_of(compile_agent_filter(
        ...     {"field": "agent.team", "op": "in", "value": ["a", "b"]}))
        ('tier2', None)
    """
    doc = agent_filter.to_json()
    if (
        isinstance(doc, dict)
        and len(doc) == 3
        and doc.get("field") == "agent.team"
        and doc.get("op") == "equals"
        and isinstance(doc.get("value"), str)
    ):
        return str(doc["value"])
    return None
