"""An example cs8 routing plugin: one condition, one strategy and one rule.

Its ``pyproject.toml`` advertises them in the entry-point group ``cs8.routing``::

    "condition.business_hours_only" = "cs8_example_plugin:business_hours_only"
    "strategy.sticky_agent" = "cs8_example_plugin:StickyAgent"
    "rule.vip_first" = "cs8_example_plugin:vip_first"

Example:
    >>> from cs8.routing import RuleRegistry
    >>> registry = RuleRegistry()
    >>> registry.register("condition", "business_hours_only", business_hours_only)
    >>> registry.register("strategy", "sticky_agent", StickyAgent())
    >>> registry.names("strategy")
    ('sticky_agent',)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from cs8 import Agent
from cs8._frozen import FrozenDict
from cs8.routing import (
    RoutingContext,
    Rule,
    RuleActions,
    StrategyChoice,
    StrategyState,
    compile_condition,
)

__all__ = ["BusinessHoursOnly", "StickyAgent", "business_hours_only", "vip_first"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@attrs.frozen(kw_only=True)
class BusinessHoursOnly:
    """Holds from ``start`` o'clock (included) to ``end`` o'clock (excluded) on ``days``.

    The hour and weekday are read in the routing context's time zone (the calendar's).

    Example:
        >>> BusinessHoursOnly(start=8, end=18, days=("mon",)).name
        'business_hours_only(8-18, mon)'
    """

    start: int
    end: int
    days: tuple[str, ...]

    @property
    def name(self) -> str:
        """How the condition shows in routing traces."""
        return f"business_hours_only({self.start}-{self.end}, {','.join(self.days)})"

    def __call__(self, ctx: RoutingContext, /) -> bool:
        """Return whether ``ctx.now`` falls in the hours, in the context's time zone."""
        return ctx.local_weekday in self.days and self.start <= ctx.local_hour < self.end


def business_hours_only(
    *, start: int = 9, end: int = 17, days: Iterable[str] = _DAYS[:5]
) -> BusinessHoursOnly:
    """Build the condition from a rule's ``args``; bad arguments raise ``ValueError``.

    Rule documents use it as
    ``{"plugin": "business_hours_only", "args": {"start": 8, "end": 18}}``.

    Args:
        start: First hour (0-23) that counts.
        end: Hour (1-24) at which it stops counting; after ``start``.
        days: Weekday names (``"mon"`` ... ``"sun"``); Monday to Friday by default.

    Raises:
        ValueError: If an hour is out of range or a day is not a weekday name.

    Example:
        >>> business_hours_only(start=20, end=8)
        Traceback (most recent call last):
        ...
        ValueError: start must be an hour before end, got start=20, end=8
    """
    if isinstance(days, str):
        raise ValueError(f"days must be a list of weekday names, got {days!r}")
    chosen = tuple(str(d).lower() for d in days)
    for hour in (start, end):
        if not isinstance(hour, int) or isinstance(hour, bool) or not 0 <= hour <= 24:
            raise ValueError(f"hours must be integers in 0..24, got {hour!r}")
    if not start < end:
        raise ValueError(f"start must be an hour before end, got start={start}, end={end}")
    unknown = [d for d in chosen if d not in _DAYS]
    if unknown or not chosen:
        raise ValueError(f"days must be weekday names among {', '.join(_DAYS)}, got {list(days)!r}")
    return BusinessHoursOnly(start=start, end=end, days=chosen)


@attrs.frozen
class StickyAgent:
    """Give a customer's work to the agent who last served them, else to the least busy agent.

    The memory (customer id to agent id) lives in the returned state, never in the strategy, so
    the strategy is a plain value and routing stays reproducible. ``state_key`` keys it by
    customer: the router hands ``choose`` only the ticket's customer's entry and keeps the
    entries in the routing state's bounded :class:`~cs8.routing.KeyedState`, so a decision
    copies one entry however many customers there are.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="chat",
        ...     created_at=t0), now=t0)
        >>> agents = [Agent(id="a1", active_tickets=2), Agent(id="a2", active_tickets=1)]
        >>> first = StickyAgent().choose(agents, ctx, RuleActions(), FrozenDict())
        >>> first.agent.id, dict(first.state)
        ('a2', {'C1': 'a2'})
        >>> busier = [Agent(id="a1", active_tickets=0), Agent(id="a2", active_tickets=4)]
        >>> StickyAgent().choose(busier, ctx, RuleActions(), first.state).explanation
        'sticky: a2 served customer C1 before'
    """

    name: str = "sticky_agent"

    def state_key(self, ctx: RoutingContext, /) -> str:
        """Key the memory by customer: ``choose`` sees only this customer's entry."""
        return ctx.ticket.customer_id

    def choose(
        self,
        candidates: Sequence[Agent],
        ctx: RoutingContext,
        actions: RuleActions,
        state: StrategyState,
        /,
    ) -> StrategyChoice:
        """Return the customer's previous agent if eligible, else the least busy one."""
        customer_id = ctx.ticket.customer_id
        previous = state.get(customer_id)
        for agent in candidates:
            if agent.id == previous:
                return StrategyChoice(
                    agent, state, f"sticky: {agent.id} served customer {customer_id} before"
                )
        if not candidates:
            return StrategyChoice(None, state, "sticky: no eligible agent")
        best = min(candidates, key=lambda a: (a.active_tickets, a.id))
        remembered = FrozenDict({**state, customer_id: best.id})
        return StrategyChoice(
            best, remembered, "sticky: no previous agent eligible; fewest units of work, then id"
        )


def vip_first() -> Rule:
    """Return the rule that sends VIP customers' work to the ``vip`` queue at high priority.

    Rule documents place it with ``{"plugin": "vip_first"}``.

    Example:
        >>> vip_first().actions.queue
        'vip'
    """
    return Rule(
        name="vip_first",
        when=compile_condition({"field": "customer.segment", "op": "equals", "value": "vip"}),
        actions=RuleActions(queue="vip", priority="high"),
        description="VIP customers first (from cs8-example-plugin).",
    )
