"""``order_by``: which of the eligible agents a strategy chooses among, by agent attributes.

A rule's (or an escalation step's) ``"order_by"`` ranks the eligible agents that pass the agent
filters, as Twilio TaskRouter's ``order_by`` (``worker.english_level DESC``) ranks workers; the
strategy then chooses among the agents ranked first (the ties), with its own tie-break. An
agent without the skill ranks after every agent with it, ascending or descending.

Example:
    >>> from cs8 import Agent
    >>> order = compile_order_by([{"field": "agent.skills.english", "desc": True}])
    >>> [o.name for o in order]
    ['agent.skills.english desc']
    >>> first_ranked(order, [Agent(id="a", skills={"english": 2}), Agent(id="b",
    ...     skills={"english": 5}), Agent(id="c", skills={"english": 5}), Agent(id="d")])
    ('b', 'c')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from cs8._models import Agent
from cs8.exceptions import InvalidValueError
from cs8.routing._schema import JsonValue, Loc, describe

__all__ = ["AgentOrder", "compile_order_by", "first_ranked"]

_SKILL = re.compile(r"agent\.skills\.([A-Za-z0-9_][A-Za-z0-9_.:-]{0,99})")


def _check_field(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or _SKILL.fullmatch(value) is None:
        raise InvalidValueError(f"AgentOrder.field must be 'agent.skills.<name>', got {value!r}")


def _check_desc(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError(f"AgentOrder.desc must be true or false, got {value!r}")


@attrs.frozen(kw_only=True)
class AgentOrder:
    """One ``order_by`` key: an agent's skill level, ascending or (``desc``) descending.

    Args:
        field: ``agent.skills.<name>`` (a level; an agent without the skill ranks last).
        desc: Highest level first.

    Raises:
        InvalidValueError: If ``field`` is not an agent skill or ``desc`` not a boolean.

    Example:
        >>> AgentOrder(field="agent.skills.english", desc=True).to_json()
        {'field': 'agent.skills.english', 'desc': True}
    """

    field: str = attrs.field(validator=_check_field)
    desc: bool = attrs.field(default=False, validator=_check_desc)

    @property
    def name(self) -> str:
        """The key as the trace writes it (``agent.skills.english desc``)."""
        return f"{self.field} {'desc' if self.desc else 'asc'}"

    def rank(self, agent: Agent) -> tuple[int, float]:
        """Return the agent's rank under this key (smaller ranks first).

        Example:
            >>> from cs8 import Agent
            >>> key = AgentOrder(field="agent.skills.x", desc=True)
            >>> key.rank(Agent(id="a", skills={"x": 3})), key.rank(Agent(id="b"))
            ((0, -3), (1, 0))
        """
        level = agent.skills.get(self.field[len("agent.skills.") :])
        if level is None:
            return (1, 0)
        return (0, -level if self.desc else level)

    def to_json(self) -> JsonValue:
        """Return the document form (what ``dump_rules`` writes)."""
        return {"field": self.field, "desc": self.desc}


def compile_order_by(document: object, *, loc: Loc | None = None) -> tuple[AgentOrder, ...]:
    """Check an ``order_by`` document (a non-empty array of ``{"field", "desc"}``) and read it.

    Raises:
        RuleError: Naming the path and the problem.

    Example:
        >>> compile_order_by([{"field": "agent.mood"}], loc=Loc("rules[0].actions.order_by"))
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: at rules[0].actions.order_by[0].field: order_by reads 'agent.skills.<name>', got 'agent.mood'
    """
    where = loc if loc is not None else Loc("order_by")
    if not isinstance(document, list | tuple) or not document:
        raise where.error(f"order_by must be a non-empty array of keys, got {describe(document)}")
    keys: list[AgentOrder] = []
    for i, item in enumerate(document):
        at = where.index(i)
        if not isinstance(item, Mapping):
            raise at.error(f"an order_by key must be an object, got {describe(item)}")
        for key in item:
            if key not in ("field", "desc"):
                raise at.key(str(key)).error(f"unknown key {key!r}; expected field, desc")
        field = item.get("field")
        if not isinstance(field, str) or _SKILL.fullmatch(field) is None:
            raise at.key("field").error(
                f"order_by reads 'agent.skills.<name>', got {describe(field)}"
            )
        desc = item.get("desc", False)
        if not isinstance(desc, bool):
            raise at.key("desc").error(f"must be true or false, got {describe(desc)}")
        keys.append(AgentOrder(field=field, desc=desc))
    return tuple(keys)


def first_ranked(order: Iterable[AgentOrder], agents: Iterable[Agent]) -> tuple[str, ...]:
    """Return the ids of the agents ranked first by ``order`` (every tie), in the given order.

    Example:
        >>> from cs8 import Agent
        >>> first_ranked([AgentOrder(field="agent.skills.x")],
        ...              [Agent(id="a", skills={"x": 2}), Agent(id="b", skills={"x": 1})])
        ('b',)
    """
    keys = tuple(order)
    ranked = [(tuple(k.rank(agent) for k in keys), agent.id) for agent in agents]
    if not ranked:
        return ()
    best = min(rank for rank, _ in ranked)
    return tuple(agent_id for rank, agent_id in ranked if rank == best)
