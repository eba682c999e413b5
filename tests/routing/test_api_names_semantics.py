"""The public names issue 16's routing semantics promise (API.md, "Routing semantics")."""

from __future__ import annotations

import inspect

import cs8.routing


def test_the_promised_names_exist() -> None:
    for name in ("from_taskrouter", "compile_agent_filter", "AgentFilter", "ComposedRule"):
        assert name in cs8.routing.__all__
        assert getattr(cs8.routing, name).__doc__
    params = inspect.signature(cs8.routing.from_taskrouter).parameters
    assert next(iter(params)) == "workflow"
    step_fields = {f.name for f in cs8.routing.EscalationStep.__attrs_attrs__}
    assert {"drop_languages", "agent_filters"} <= step_fields
    assert "continues" in {f.name for f in cs8.routing.Rule.__attrs_attrs__}
    assert "agent_filters" in {f.name for f in cs8.routing.RuleActions.__attrs_attrs__}
