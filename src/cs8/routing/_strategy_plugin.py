"""The strategy plugin protocol: :class:`Strategy`, what it returns (:class:`StrategyChoice`)
and its memory (:data:`StrategyState`). Registering plugins is ``_plugins``' (:class:`RuleRegistry`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol, TypeAlias, runtime_checkable

from cs8._frozen import FrozenDict
from cs8._models import Agent
from cs8.routing._actions import RuleActions
from cs8.routing._context import RoutingContext

__all__ = ["Strategy", "StrategyChoice", "StrategyState"]


StrategyState: TypeAlias = FrozenDict[str, "str | int | float | bool | None"]
"""A strategy's memory between decisions (a rotation pointer, sticky assignments ...).

It is a plain immutable value: the router passes in the state the strategy returned last time (an
empty one at first) and hands the new one back to the caller, so no strategy keeps global state."""


class StrategyChoice(NamedTuple):
    """What a strategy decided: the agent (or ``None``), its new state, and the tie-break it used.

    Example:
        >>> from cs8._frozen import FrozenDict
        >>> agent, state, why = StrategyChoice(None, FrozenDict(), "no candidate")
        >>> why
        'no candidate'
    """

    agent: Agent | None
    """The chosen agent, one of the candidates, or ``None`` to leave the work queued."""
    state: StrategyState
    """The strategy's state after this decision."""
    explanation: str
    """How the choice was made and ties were broken, for the routing trace."""


@runtime_checkable
class Strategy(Protocol):
    """**Protocol:** picks one agent among the eligible candidates for a piece of work.

    The router filters agents first (status, channel, spare capacity, skills, languages), then calls
    ``choose`` with the survivors. A strategy must be deterministic: the same candidates, context,
    actions and state give the same choice, whatever the order of ``candidates`` (break ties by agent
    id). It must not mutate anything; memory goes in the returned state.

    Example:
        >>> from cs8._frozen import FrozenDict
        >>> class FirstById:
        ...     name = "first_by_id"
        ...     def choose(self, candidates, ctx, actions, state):
        ...         best = min(candidates, key=lambda a: a.id, default=None)
        ...         return StrategyChoice(best, state, "lowest agent id")
        >>> isinstance(FirstById(), Strategy)
        True
    """

    @property
    def name(self) -> str:
        """The name rules use to pick this strategy."""
        ...

    def choose(
        self,
        candidates: Sequence[Agent],
        ctx: RoutingContext,
        actions: RuleActions,
        state: StrategyState,
        /,
    ) -> StrategyChoice:
        """Return the agent to assign (or ``None``), the new state and the tie-break explanation.

        Args:
            candidates: Eligible agents, in agent-id order; each one's ``active_tickets`` is its
                current load.
            ctx: The ticket, customer, time and SLA clocks of this decision.
            actions: The actions in force (queue, required skills and languages ...).
            state: The state this strategy returned last time (empty at first).
        """
        ...
