"""cs8.routing: priority, rules as data, skills-based assignment, escalation and handoff context.

Example:
    >>> from cs8.routing import PriorityMatrix
    >>> PriorityMatrix().priority("high", "medium")
    Priority.HIGH
"""

from cs8.routing._handoff import HandoffContext, TimelineEvent, handoff_context
from cs8.routing._pool import AgentPool, ChannelWeights, Need
from cs8.routing._priority import (
    Ageing,
    BusinessClock,
    PriorityAdjustments,
    PriorityMatrix,
    SlaLike,
    least_slack,
    order_queue,
    queue_key,
)
from cs8.routing._strategies import (
    BUILTIN_STRATEGIES,
    BuiltinStrategy,
    LeastBusy,
    LongestIdle,
    MostSkilled,
    RoundRobin,
    RoundRobinState,
    Weighted,
)

__all__ = [
    "BUILTIN_STRATEGIES",
    "Ageing",
    "AgentPool",
    "BuiltinStrategy",
    "BusinessClock",
    "ChannelWeights",
    "HandoffContext",
    "LeastBusy",
    "LongestIdle",
    "MostSkilled",
    "Need",
    "PriorityAdjustments",
    "PriorityMatrix",
    "RoundRobin",
    "RoundRobinState",
    "SlaLike",
    "TimelineEvent",
    "Weighted",
    "handoff_context",
    "least_slack",
    "order_queue",
    "queue_key",
]
