"""The routing names this branch promises (../shared/API.md, "Routing semantics")."""

from __future__ import annotations

import inspect

import cs8.routing


def test_key_strategy_and_the_planner_are_public() -> None:
    assert {"KeyStrategy", "Planner"} <= set(cs8.routing.__all__)
    fields = inspect.signature(cs8.routing.KeyStrategy).parameters
    assert list(fields) == ["name", "key"]
    for method in (cs8.routing.Router.route, cs8.routing.Router.assign):
        assert "planner" in inspect.signature(method).parameters
    assert callable(cs8.routing.Router().planner)
