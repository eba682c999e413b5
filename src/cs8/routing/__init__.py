"""cs8.routing: priority, rules as data, assignment strategies, the router and its plugins.

Example:
    >>> from cs8.routing import load_rules
    >>> load_rules({"rules": [], "default": {"queue": "general"}}).default.queue
    'general'
"""

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
from cs8.routing._plugins import RuleRegistry, Strategy, StrategyChoice, StrategyState
from cs8.routing._rules import (
    BUILTIN_STRATEGY_NAMES,
    EscalationStep,
    RoutingRule,
    Rule,
    RuleActions,
    RuleSet,
    dump_rules,
    dumps_rules,
    load_rules,
)
from cs8.routing._schema import RuleLimits, rules_schema

__all__ = [
    "BUILTIN_STRATEGY_NAMES",
    "FIELDS",
    "CompiledCondition",
    "Condition",
    "ConditionFactory",
    "EscalationStep",
    "FieldKind",
    "FieldSpec",
    "RoutingContext",
    "RoutingRule",
    "Rule",
    "RuleActions",
    "RuleLimits",
    "RuleRegistry",
    "RuleSet",
    "SlaSnapshot",
    "Strategy",
    "StrategyChoice",
    "StrategyState",
    "compile_condition",
    "dump_rules",
    "dumps_rules",
    "load_rules",
    "resolve_field",
    "rules_schema",
]
