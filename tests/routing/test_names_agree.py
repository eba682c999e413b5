"""The rule layer's lists of names agree with the things they name elsewhere in cs8."""

from __future__ import annotations

from cs8.routing import BUILTIN_STRATEGIES
from cs8.routing._context import SLA_METRICS, SLA_STATES
from cs8.routing._plugins import BUILTIN_STRATEGY_NAMES
from cs8.sla import SlaMetric, SlaState


def test_builtin_strategy_names_are_the_engines_strategies() -> None:
    assert set(BUILTIN_STRATEGIES) == set(BUILTIN_STRATEGY_NAMES)


def test_sla_fields_name_every_sla_metric() -> None:
    assert {m.value for m in SlaMetric} == set(SLA_METRICS)


def test_sla_states_are_the_sla_states() -> None:
    assert {s.value for s in SlaState} == set(SLA_STATES)


def test_the_json_schema_accepts_every_sla_metric() -> None:
    import json

    from cs8.routing import rules_schema

    text = json.dumps(rules_schema())
    assert all(m.value in text for m in SlaMetric)
