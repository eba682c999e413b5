"""Keyed, bounded plugin memory: the LRU store against a list model, and a decision that copies
one entry however many customers the store holds (counted, not timed)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Sequence
from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Ticket
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.routing import (
    KeyedState,
    Router,
    RoutingContext,
    RoutingState,
    RuleActions,
    RuleRegistry,
    StrategyChoice,
    StrategyState,
    load_rules,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

ops_st = st.lists(
    st.tuples(
        st.sampled_from(["get", "put", "forget"]),
        st.sampled_from(["p", "q"]),
        st.sampled_from([f"C{i}" for i in range(6)]),
        st.integers(0, 9),
    ),
    max_size=60,
)


@given(ops=ops_st, bound=st.integers(1, 5))
def test_the_store_is_a_least_recently_used_map(
    ops: list[tuple[str, str, str, int]], bound: int
) -> None:
    store = KeyedState(max_keys=bound)
    model: list[tuple[tuple[str, str], int]] = []  # least recently used first
    for op, plugin, key, value in ops:
        found = [i for i, (k, _) in enumerate(model) if k == (plugin, key)]
        if op == "get":
            want = model[found[0]][1] if found else None
            if found:
                model.append(model.pop(found[0]))
            assert store.get(plugin, key) == want
        else:
            if found:
                model.pop(found[0])
            if op == "put":
                model.append(((plugin, key), value))
                del model[: max(0, len(model) - bound)]
            store.put(plugin, key, value if op == "put" else None)
        assert len(store) == len(model) <= bound
    assert all(store.get(p, k) == v for (p, k), v in list(model))


def test_the_bound_must_be_positive() -> None:
    with pytest.raises(InvalidValueError, match="max_keys"):
        KeyedState(max_keys=0)


@attrs.define
class Counting:
    """A sticky strategy that counts the entries of every state map it is given."""

    name: str = "counting"
    keyed: bool = True
    seen: list[int] = attrs.field(factory=list)

    def state_key(self, ctx: RoutingContext, /) -> str | None:
        return ctx.ticket.customer_id if self.keyed else None

    def choose(
        self,
        candidates: Sequence[Agent],
        ctx: RoutingContext,
        actions: RuleActions,
        state: StrategyState,
        /,
    ) -> StrategyChoice:
        self.seen.append(len(state))
        customer = ctx.ticket.customer_id
        previous = state.get(customer)
        best = next((a for a in candidates if a.id == previous), None) or min(
            candidates, key=lambda a: (a.active_tickets, a.id)
        )
        remembered: dict[str, str | int | float | None] = {**state, customer: best.id}
        return StrategyChoice(best, FrozenDict(remembered), "counting")


def router_with(strategy: Counting) -> Router:
    registry = RuleRegistry()
    registry.register("strategy", "counting", strategy)
    rules = load_rules(
        {"rules": [{"name": "all", "actions": {"strategy": "counting"}}]}, registry=registry
    )
    return Router(rules=rules)


def visit(router: Router, customer: str, state: RoutingState) -> tuple[str | None, RoutingState]:
    ticket = Ticket(id="T", customer_id=customer, channel="email", created_at=T0)
    agents = [Agent(id="a1"), Agent(id="a2", active_tickets=1)]
    decision = router.route(ticket, agents, now=T0, state=state)
    return decision.agent_id, decision.state


def test_fifty_thousand_customers_do_not_grow_what_a_decision_copies() -> None:
    keyed = Counting()
    router = router_with(keyed)
    state = RoutingState().with_keyed()
    assert state.keyed is not None
    for i in range(50_000):  # 50,000 customers served before (their entries, as decisions leave)
        state.keyed.put("counting", f"C{i}", "a2")
    for customer in ("C7", "new", "C49999", "new"):
        _, state = visit(router, customer, state)
    # Each decision was handed at most its own customer's entry, and kept one entry back.
    assert keyed.seen == [1, 0, 1, 1]
    assert state.keyed is not None
    assert len(state.keyed) == 50_001
    assert state.plugins == FrozenDict()  # nothing in the one-map state
    agent, _ = visit(router, "C49999", state)
    assert agent == "a2"  # sticky to the remembered agent, not the least busy one

    # The same strategy without state_key is given the whole map: it grows with the customers.
    whole = Counting(keyed=False)
    router = router_with(whole)
    plain = RoutingState()
    for i in range(200):
        _, plain = visit(router, f"C{i}", plain)
    assert whole.seen[-1] == 199


def test_a_bounded_store_forgets_the_least_recently_used_customer() -> None:
    router = router_with(Counting())
    state = RoutingState(keyed=KeyedState(max_keys=3))
    for customer in ("C1", "C2", "C3", "C1", "C4"):  # C2 is the least recently used at C4
        _, state = visit(router, customer, state)
    assert state.keyed is not None
    assert state.keyed.get("counting", "C2") is None
    assert [state.keyed.get("counting", c) for c in ("C1", "C3", "C4")] == ["a1"] * 3


def test_a_state_with_keyed_memory_pickles_and_copies() -> None:
    router = router_with(Counting())
    _, state = visit(router, "C1", RoutingState(keyed=KeyedState(max_keys=5)))
    for again in (pickle.loads(pickle.dumps(state)), copy.deepcopy(state)):
        assert again.keyed is not None
        assert again.keyed is not state.keyed
        assert (again.keyed.max_keys, again.keyed.get("counting", "C1")) == (5, "a1")
        assert again == state
