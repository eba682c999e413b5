"""cs8.routing: priority, rules as data, assignment strategies, the router and its plugins.

Example:
    >>> from cs8.routing import load_rules
    >>> load_rules({"rules": [], "default": {"queue": "general"}}).default.queue
    'general'
"""

from cs8.routing._actions import EscalationStep, RuleActions
from cs8.routing._agent_filter import AGENT_FIELDS, AgentFilter, compile_agent_filter
from cs8.routing._compose import ComposedRule
from cs8.routing._conditions import (
    CompiledCondition,
    Condition,
    ConditionFactory,
    compile_condition,
)
from cs8.routing._context import (
    FIELDS,
    FieldKind,
    FieldSpec,
    RoutingContext,
    SlaSnapshot,
    resolve_field,
)
from cs8.routing._handoff import HandoffContext, TimelineEvent, handoff_context
from cs8.routing._keyed_state import KeyedState
from cs8.routing._order_by import AgentOrder, compile_order_by
from cs8.routing._planner import Planner
from cs8.routing._plugins import RuleRegistry, Strategy, StrategyChoice, StrategyState
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
from cs8.routing._profiles import ProfileQueue, RoutingProfile
from cs8.routing._router import AssignmentResult, Router, RoutingDecision
from cs8.routing._rules import BUILTIN_STRATEGY_NAMES, RoutingRule, Rule, RuleSet
from cs8.routing._rules_io import dump_rules, dumps_rules, load_rules
from cs8.routing._schema import RuleLimits, rules_schema
from cs8.routing._simulate import SimulatedInterval, SimulationResult, simulate
from cs8.routing._strategies import (
    BUILTIN_STRATEGIES,
    BuiltinStrategy,
    KeyStrategy,
    LeastBusy,
    LongestIdle,
    MostSkilled,
    RoundRobin,
    RoutingState,
    Weighted,
)
from cs8.routing._taskrouter import from_taskrouter

__all__ = [
    "AGENT_FIELDS",
    "BUILTIN_STRATEGIES",
    "BUILTIN_STRATEGY_NAMES",
    "FIELDS",
    "Ageing",
    "AgentFilter",
    "AgentOrder",
    "AgentPool",
    "AssignmentResult",
    "BuiltinStrategy",
    "BusinessClock",
    "ChannelWeights",
    "CompiledCondition",
    "ComposedRule",
    "Condition",
    "ConditionFactory",
    "EscalationStep",
    "FieldKind",
    "FieldSpec",
    "HandoffContext",
    "KeyStrategy",
    "KeyedState",
    "LeastBusy",
    "LongestIdle",
    "MostSkilled",
    "Need",
    "Planner",
    "PriorityAdjustments",
    "PriorityMatrix",
    "ProfileQueue",
    "RoundRobin",
    "Router",
    "RoutingContext",
    "RoutingDecision",
    "RoutingProfile",
    "RoutingRule",
    "RoutingState",
    "Rule",
    "RuleActions",
    "RuleLimits",
    "RuleRegistry",
    "RuleSet",
    "SimulatedInterval",
    "SimulationResult",
    "SlaLike",
    "SlaSnapshot",
    "Strategy",
    "StrategyChoice",
    "StrategyState",
    "TimelineEvent",
    "Weighted",
    "compile_agent_filter",
    "compile_condition",
    "compile_order_by",
    "dump_rules",
    "dumps_rules",
    "from_taskrouter",
    "handoff_context",
    "least_slack",
    "load_rules",
    "order_queue",
    "queue_key",
    "resolve_field",
    "rules_schema",
    "simulate",
]
