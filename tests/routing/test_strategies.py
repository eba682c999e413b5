"""Strategy values and the routing state: names, validation, rotation memory."""

from __future__ import annotations

import pickle

import pytest

from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.routing import (
    BUILTIN_STRATEGIES,
    BUILTIN_STRATEGY_NAMES,
    LeastBusy,
    RoutingState,
    Weighted,
)


def test_every_builtin_strategy_name_the_rules_accept_is_known_to_the_router() -> None:
    assert set(BUILTIN_STRATEGIES) == set(BUILTIN_STRATEGY_NAMES)


def test_builtin_strategies_are_registered_under_their_own_names() -> None:
    assert all(name == strategy.name for name, strategy in BUILTIN_STRATEGIES.items())


def test_least_busy_rejects_an_unknown_measure() -> None:
    with pytest.raises(InvalidValueError, match=r"LeastBusy\.by"):
        LeastBusy(by="mood")  # type: ignore[arg-type]


def test_weighted_rejects_a_weight_that_is_not_a_number() -> None:
    with pytest.raises(InvalidValueError, match="a1"):
        Weighted(weights={"a1": "heavy"})  # type: ignore[dict-item]


def test_strategies_are_equal_by_value() -> None:
    assert (LeastBusy(by="share"), Weighted(weights={"a": 2})) == (
        LeastBusy(by="share"),
        Weighted(weights={"a": 2.0}),
    )


def test_rotation_is_kept_per_queue() -> None:
    state = RoutingState().advanced("a", "x").advanced("b", "y").advanced("a", "z")
    assert (state.last_for("a"), state.last_for("b"), state.last_for(None)) == ("z", "y", None)


def test_advancing_returns_a_new_state_and_leaves_the_old_one() -> None:
    old = RoutingState()
    old.advanced("q", "a1")
    assert old.last_for("q") is None


def test_plugin_states_are_kept_per_plugin() -> None:
    state = RoutingState().with_plugin_state("p", {"k": 1}).with_plugin_state("q", {"k": 2})
    assert (state.plugin_state("p"), state.plugin_state("q")) == (
        FrozenDict({"k": 1}),
        FrozenDict({"k": 2}),
    )


def test_routing_state_round_trips_through_pickle() -> None:
    state = RoutingState().advanced("q", "a1").with_plugin_state("p", {"k": "v"})
    assert pickle.loads(pickle.dumps(state)) == state
