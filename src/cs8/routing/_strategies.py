"""Assignment strategies: which of the eligible agents gets the work, with deterministic tie-breaks.

Every built-in strategy is a frozen value that ranks agents by a key; the agent with the smallest
key wins, and every key ends with the agent id, so there are never ties and the choice never depends
on the order agents were given in.

===================  =====================================================================
strategy             key (smallest wins), then agent id
===================  =====================================================================
``least_busy``       ``by="count"``: fewest units of work held; ``by="spare"``: most spare
                     capacity (capacity minus load, Zendesk's default); ``by="share"``: lowest
                     share of capacity used (Zendesk's percentage method)
``round_robin``      the first agent after the queue's last assigned agent in agent-id order,
                     wrapping around (rotation state is a :class:`RoutingState` value)
``longest_idle``     earliest ``last_assigned_at`` (never assigned first)
``most_skilled``     highest level in the ticket's primary skill (the required skill with the
                     highest minimum level, then by name), then lowest share of capacity used
``weighted``         lowest load per unit of weight (weighted least-connections); weight 0 or
                     below never receives work
===================  =====================================================================

A plugin strategy given by a key function over agents, :class:`KeyStrategy`, is ranked the same
way: the pool keeps agents in a heap by its key, so it costs what a built-in strategy costs.

Example:
    >>> LeastBusy(by="share").name
    'least_busy_share'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeAlias

import attrs

from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.routing._keyed_state import KeyedState
from cs8.routing._strategy_plugin import StrategyChoice

__all__ = [
    "BUILTIN_STRATEGIES",
    "BuiltinStrategy",
    "KeyStrategy",
    "LeastBusy",
    "LongestIdle",
    "MostSkilled",
    "RoundRobin",
    "RoutingState",
    "Weighted",
]

_NEG_INF = float("-inf")


def _check_by(instance: LeastBusy, attribute: Any, value: str) -> None:
    if value not in ("count", "spare", "share"):
        raise InvalidValueError(f"LeastBusy.by must be 'count', 'spare' or 'share', got {value!r}")


@attrs.frozen(kw_only=True, cache_hash=True)
class LeastBusy:
    """Give the work to the least busy eligible agent.

    Args:
        by: ``"count"`` ranks by units of work held (Freshdesk's load-balanced assignment: the
            least loaded agent first); ``"spare"`` by spare capacity, most first (Zendesk's
            default "highest spare capacity"); ``"share"`` by the share of capacity used, lowest
            first (Zendesk's "highest percentage spare capacity").

    Example:
        >>> LeastBusy().name, LeastBusy(by="spare").name
        ('least_busy', 'least_busy_spare')
    """

    by: Literal["count", "spare", "share"] = attrs.field(default="count", validator=_check_by)

    @property
    def name(self) -> str:
        """The strategy's name as rules spell it."""
        return "least_busy" if self.by == "count" else f"least_busy_{self.by}"

    def primary(self, load: int, capacity: int, last: float, levels: int) -> float:
        """Return the agent's rank before the agent-id tie-break (smaller wins).

        ``load`` and ``capacity`` are in thousandths of a unit of work.

        Example:
            >>> LeastBusy(by="share").primary(1000, 2000, 0.0, 0)
            0.5
        """
        if self.by == "count":
            return load
        if self.by == "spare":
            return load - capacity
        return load / capacity if capacity else 1.0

    @property
    def tie_break(self) -> str:
        """The rule that orders equal agents, for the trace."""
        words = {
            "count": "fewest units of work",
            "spare": "most spare capacity",
            "share": "lowest share of capacity used",
        }
        return f"{words[self.by]}, then agent id"


@attrs.frozen(kw_only=True, cache_hash=True)
class LongestIdle:
    """Give the work to the agent whose last assignment is oldest (never assigned first).

    This is what Zendesk calls round robin in omnichannel routing: "time elapsed since last
    assignment" rather than spare capacity.

    Example:
        >>> LongestIdle().name
        'longest_idle'
    """

    @property
    def name(self) -> str:
        """The strategy's name as rules spell it."""
        return "longest_idle"

    def primary(self, load: int, capacity: int, last: float, levels: int) -> float:
        """Return the agent's rank before the agent-id tie-break (``last`` is epoch seconds).

        Example:
            >>> LongestIdle().primary(0, 5000, float("-inf"), 0)
            -inf
        """
        return last

    @property
    def tie_break(self) -> str:
        """The rule that orders equal agents, for the trace."""
        return "oldest last assignment (never assigned first), then agent id"


@attrs.frozen(kw_only=True, cache_hash=True)
class RoundRobin:
    """Give the work to the next eligible agent after the queue's last one, in agent-id order.

    The rotation state is a :class:`RoutingState` passed to and returned by the router, so a
    rotation survives agents' work being cleared: freeing an agent does not move it ahead in the
    rotation, unlike least busy.

    Example:
        >>> RoundRobin().name
        'round_robin'
    """

    @property
    def name(self) -> str:
        """The strategy's name as rules spell it."""
        return "round_robin"

    @property
    def tie_break(self) -> str:
        """The rule that orders equal agents, for the trace."""
        return "next agent id after the queue's last assignee, wrapping around"


@attrs.frozen(kw_only=True, cache_hash=True)
class MostSkilled:
    """Give the work to the most expert eligible agent in the ticket's primary skill.

    The primary skill is the required skill with the highest minimum level (ties by skill name);
    equal levels go to the agent with the lowest share of capacity used, then by agent id. With no
    required skill this is least busy by share.

    Example:
        >>> MostSkilled().name
        'most_skilled'
    """

    @property
    def name(self) -> str:
        """The strategy's name as rules spell it."""
        return "most_skilled"

    @property
    def tie_break(self) -> str:
        """The rule that orders equal agents, for the trace."""
        return "highest level in the primary skill, then lowest share of capacity, then agent id"


def _weights(value: Mapping[str, float] | None) -> FrozenDict[str, float]:
    out: dict[str, float] = {}
    for agent_id, weight in (value or {}).items():
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight != weight:
            raise InvalidValueError(
                f"Weighted.weights[{agent_id!r}] must be a number, got {weight!r}"
            )
        out[str(agent_id)] = float(weight)
    return FrozenDict(out)


def _check_default(instance: Weighted, attribute: Any, value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
        raise InvalidValueError(f"Weighted.default must be a number, got {value!r}")


@attrs.frozen(kw_only=True, cache_hash=True)
class Weighted:
    """Share work in proportion to agents' weights: lowest load per unit of weight wins.

    An agent with weight 2 receives work until it holds twice what a weight-1 agent holds
    (weighted least-connections). An agent with weight 0 or below never receives work.

    Args:
        weights: Agent id to weight.
        default: Weight of an agent not in ``weights``.

    Example:
        >>> w = Weighted(weights={"senior": 2})
        >>> w.weight("senior"), w.weight("junior")
        (2.0, 1.0)
    """

    weights: FrozenDict[str, float] = attrs.field(factory=FrozenDict, converter=_weights)
    default: float = attrs.field(default=1.0, validator=_check_default)

    @property
    def name(self) -> str:
        """The strategy's name as rules spell it."""
        return "weighted"

    def weight(self, agent_id: str) -> float:
        """Return the weight of ``agent_id``.

        Example:
            >>> Weighted(weights={"a1": 3}, default=0.5).weight("a2")
            0.5
        """
        return self.weights.get(agent_id, float(self.default))

    @property
    def tie_break(self) -> str:
        """The rule that orders equal agents, for the trace."""
        return "lowest load per unit of weight, then agent id"


def _check_key_name(instance: KeyStrategy, attribute: Any, value: str) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidValueError(f"KeyStrategy.name must be a non-empty string, got {value!r}")


def _check_key(instance: KeyStrategy, attribute: Any, value: Callable[[Any], Any]) -> None:
    if not callable(value):
        raise InvalidValueError(
            f"KeyStrategy.key must be a function of an agent, got {value!r} "
            f"(strategy {instance.name!r})"
        )


@attrs.frozen(kw_only=True)
class KeyStrategy:
    """A strategy plugin given by a key function over agents: the eligible agent with the
    smallest ``key(agent)`` wins, ties broken by agent id.

    ``key`` receives the agent as it is at decision time (``active_tickets`` is its current
    load, ``status`` and ``last_assigned_at`` its current ones) and returns a tuple (or any
    value comparable with the keys of other agents). It must be a pure function of the agent:
    the pool keeps agents ordered by it in a heap and recomputes an agent's key only when its
    load, status or last assignment changes, which is what makes it as fast as a built-in
    strategy. Register it like any strategy
    (``RuleRegistry().register("strategy", name, KeyStrategy(...))``).

    Args:
        name: The name rules use to pick this strategy.
        key: ``key(agent) -> tuple``; smallest wins.

    Example:
        >>> from cs8 import Agent
        >>> senior_first = KeyStrategy(
        ...     name="senior_first",
        ...     key=lambda agent: (-agent.skills.get("seniority", 0), agent.active_tickets))
        >>> agents = [Agent(id="a1", skills={"seniority": 1}), Agent(id="a2", skills={"seniority": 3})]
        >>> senior_first.choose(agents, None, None, {}).agent.id
        'a2'
    """

    name: str = attrs.field(validator=_check_key_name)
    key: Callable[[Any], Any] = attrs.field(validator=_check_key, eq=False)

    @property
    def tie_break(self) -> str:
        """How ties are broken, for traces."""
        return f"smallest key of {self.name}, then agent id"

    def choose(
        self, candidates: Sequence[Any], ctx: Any, actions: Any, state: Any, /
    ) -> StrategyChoice:
        """Return the candidate with the smallest key (the :class:`~cs8.routing.Strategy`
        protocol, for callers that hold a list of agents; the router uses the pool's heap).

        Example:
            >>> from cs8 import Agent
            >>> s = KeyStrategy(name="fewest", key=lambda agent: (agent.active_tickets,))
            >>> s.choose([Agent(id="b", active_tickets=1), Agent(id="a", active_tickets=1)],
            ...          None, None, {}).agent.id
            'a'
        """
        key = self.key
        best = min(candidates, key=lambda agent: (key(agent), agent.id), default=None)
        return StrategyChoice(best, state, self.tie_break)


BuiltinStrategy: TypeAlias = LeastBusy | LongestIdle | RoundRobin | MostSkilled | Weighted
"""Any of the built-in strategies."""

BUILTIN_STRATEGIES: FrozenDict[str, BuiltinStrategy] = FrozenDict(
    {
        s.name: s
        for s in (
            LeastBusy(),
            LeastBusy(by="spare"),
            LeastBusy(by="share"),
            LongestIdle(),
            RoundRobin(),
            MostSkilled(),
            Weighted(),
        )
    }
)
"""The built-in strategies by the names rules use."""


def _rr_last(value: Mapping[str, str] | None) -> FrozenDict[str, str]:
    return value if isinstance(value, FrozenDict) else FrozenDict(dict(value or {}))


def _plugin_states(value: Mapping[str, Any] | None) -> FrozenDict[str, Any]:
    return value if isinstance(value, FrozenDict) else FrozenDict(dict(value or {}))


@attrs.frozen(kw_only=True)
class RoutingState:
    """The memory of strategies between decisions: round-robin rotations and plugins' states.

    A value, never global: the router takes one and every decision carries the next one.

    Args:
        last: Queue name to the last agent given work from it by round robin (``""`` is the
            default queue).
        plugins: Strategy plugin name to the state it returned last time.
        keyed: The per-key memory of plugins that have a ``state_key`` (see
            :class:`~cs8.routing.KeyedState`: bounded, least recently used evicted, shared by
            the states that follow from this one; not part of equality); ``None``: made at
            the first decision that needs it.

    Example:
        >>> s = RoutingState().advanced("billing", "a2")
        >>> s.last_for("billing"), s.last_for("sales")
        ('a2', None)
    """

    last: FrozenDict[str, str] = attrs.field(factory=FrozenDict, converter=_rr_last)
    plugins: FrozenDict[str, Any] = attrs.field(factory=FrozenDict, converter=_plugin_states)
    keyed: KeyedState | None = attrs.field(default=None, eq=False)

    def with_keyed(self) -> RoutingState:
        """Return this state with a :class:`~cs8.routing.KeyedState` (itself when it has one).

        Example:
            >>> state = RoutingState().with_keyed()
            >>> state.with_keyed().keyed is state.keyed, state.keyed.max_keys
            (True, 100000)
        """
        if self.keyed is not None:
            return self
        return attrs.evolve(self, keyed=KeyedState())

    def last_for(self, queue: str | None) -> str | None:
        """Return the last agent given work from ``queue`` (``None`` is the default queue).

        Example:
            >>> RoutingState(last={"": "a3"}).last_for(None)
            'a3'
        """
        return self.last.get(queue or "")

    def advanced(self, queue: str | None, agent_id: str) -> RoutingState:
        """Return the state after round robin gave ``agent_id`` work from ``queue``.

        Example:
            >>> dict(RoutingState().advanced("vip", "a1").advanced("vip", "a2").last)
            {'vip': 'a2'}
        """
        data = dict(self.last)
        data[queue or ""] = agent_id
        return attrs.evolve(self, last=FrozenDict(data))

    def plugin_state(self, name: str) -> FrozenDict[str, Any]:
        """Return the state strategy plugin ``name`` returned last time (empty at first).

        Example:
            >>> RoutingState().plugin_state("sticky")
            FrozenDict({})
        """
        found = self.plugins.get(name)
        return found if isinstance(found, FrozenDict) else FrozenDict()

    def with_plugin_state(self, name: str, state: Mapping[str, Any]) -> RoutingState:
        """Return the state after strategy plugin ``name`` returned ``state``.

        Example:
            >>> RoutingState().with_plugin_state("sticky", {"C1": "a2"}).plugin_state("sticky")
            FrozenDict({'C1': 'a2'})
        """
        data = dict(self.plugins)
        data[name] = state if isinstance(state, FrozenDict) else FrozenDict(dict(state))
        return attrs.evolve(self, plugins=FrozenDict(data))
