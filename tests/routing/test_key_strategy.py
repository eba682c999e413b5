"""KeyStrategy: a plugin strategy ranked on the pool's heaps, and plugin errors caught per ticket."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Ticket
from cs8.exceptions import InvalidValueError
from cs8.routing import (
    AgentPool,
    KeyStrategy,
    Router,
    RoutingContext,
    RuleActions,
    RuleRegistry,
    StrategyChoice,
    load_rules,
)
from tests.routing._engine import T0, workforce


def _senior_then_least_busy(agent: Any) -> tuple[int, float]:
    return (-agent.skills.get("billing", 0), agent.active_tickets)


class _SameByList:
    """The same ranking as a plain Strategy plugin: the router hands it the eligible agents
    (a linear pass), so it is the oracle for the heap path."""

    name = "senior"

    def choose(
        self, candidates: Sequence[Agent], ctx: RoutingContext, actions: RuleActions, state: Any, /
    ) -> StrategyChoice:
        best = min(candidates, key=lambda a: (_senior_then_least_busy(a), a.id), default=None)
        return StrategyChoice(best, state, "smallest key of senior, then agent id")


def _rules(registry: RuleRegistry) -> Any:
    return load_rules(
        {"rules": [{"name": "all", "actions": {"strategy": "senior"}}]}, registry=registry
    )


def _router(strategy: object) -> Router:
    registry = RuleRegistry()
    registry.register("strategy", "senior", strategy)
    return Router(rules=_rules(registry), strategies=registry.strategies(), explain=False)


backlogs = st.lists(
    st.tuples(st.sampled_from(["email", "chat", "phone"]), st.integers(0, 120)), max_size=25
)


@given(workforce(), backlogs)
def test_a_key_strategy_on_the_heaps_chooses_as_the_same_ranking_over_eligible_agents(
    staff: list[Agent], rows: list[tuple[str, int]]
) -> None:
    tickets = [
        Ticket(
            id=f"T{i}",
            customer_id="C1",
            channel=channel,
            created_at=T0 - timedelta(minutes=minutes),
        )
        for i, (channel, minutes) in enumerate(rows)
    ]
    heap = _router(KeyStrategy(name="senior", key=_senior_then_least_busy))
    listed = _router(_SameByList())
    fast = heap.assign(tickets, staff, now=T0)
    slow = listed.assign(tickets, staff, now=T0)
    assert [(d.ticket_id, d.agent_id) for d in fast.decisions] == [
        (d.ticket_id, d.agent_id) for d in slow.decisions
    ]
    assert fast.loads == slow.loads
    # One ticket at a time on a shared pool, as a service routes and reserves.
    pool_a, pool_b = AgentPool(staff), AgentPool(staff)
    for ticket in tickets:
        a = heap.route(ticket, pool_a, now=T0)
        b = listed.route(ticket, pool_b, now=T0)
        assert a.agent_id == b.agent_id
        if a.agent_id is not None:
            pool_a.assign(a.agent_id, ticket.channel, T0)
            pool_b.assign(a.agent_id, ticket.channel, T0)


def test_a_key_strategy_names_its_tie_break_in_the_trace() -> None:
    router = _router(KeyStrategy(name="senior", key=_senior_then_least_busy))
    staff = [Agent(id="a1", skills={"billing": 1}), Agent(id="a2", skills={"billing": 3})]
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=T0)
    decision = router.route(ticket, staff, now=T0)
    assert decision.agent_id == "a2"
    assert decision.strategy == "senior"
    assert decision.trace[-1] == (
        "strategy senior: chose a2; tie-break: smallest key of senior, then agent id"
    )


def _fails_for_a2(agent: Any) -> tuple[float]:
    if agent.id == "a2":
        raise ValueError("no data for a2")
    return (agent.active_tickets,)


class _Raises:
    name = "senior"

    def choose(
        self, candidates: Sequence[Agent], ctx: RoutingContext, actions: RuleActions, state: Any, /
    ) -> StrategyChoice:
        raise RuntimeError(f"cannot rank {len(candidates)} agents")


@pytest.mark.parametrize(
    ("plugin", "error"),
    [
        (KeyStrategy(name="senior", key=_fails_for_a2), "ValueError: no data for a2"),
        (_Raises(), "RuntimeError: cannot rank 2 agents"),
    ],
)
@pytest.mark.parametrize("explain", [False, True])
def test_a_failing_plugin_is_caught_per_ticket_named_and_the_default_strategy_decides(
    plugin: object, error: str, explain: bool
) -> None:
    registry = RuleRegistry()
    registry.register("strategy", "senior", plugin)
    router = Router(rules=_rules(registry), strategies=registry.strategies(), explain=explain)
    staff = [Agent(id="a1", active_tickets=1), Agent(id="a2")]
    tickets = [
        Ticket(id=f"T{i}", customer_id="C1", channel="email", created_at=T0) for i in range(3)
    ]
    expected_line = (
        f"strategy plugin 'senior' (rule 'all') failed on this ticket: {error}; "
        "the router's strategy least_busy decides"
    )
    decision = router.route(tickets[0], staff, now=T0)
    assert decision.agent_id == "a2"  # least busy
    assert decision.strategy == "least_busy"
    assert expected_line in decision.trace
    result = router.assign(tickets, staff, now=T0)  # the backlog is not aborted
    assert [d.agent_id for d in result.decisions] == ["a2", "a1", "a2"]
    assert all(expected_line in d.trace for d in result.decisions)


def test_an_error_outside_a_plugin_is_not_swallowed() -> None:
    router = Router()
    with pytest.raises(InvalidValueError):
        router.route("not a ticket", [Agent(id="a1")], now=T0)  # type: ignore[arg-type]


def test_key_strategy_checks_its_fields() -> None:
    with pytest.raises(InvalidValueError, match=r"KeyStrategy\.key"):
        KeyStrategy(name="k", key=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"KeyStrategy\.name"):
        KeyStrategy(name="", key=len)


def test_the_router_takes_strategies_from_the_registry_the_rules_were_loaded_with() -> None:
    registry = RuleRegistry()
    registry.register("strategy", "senior", KeyStrategy(name="senior", key=_senior_then_least_busy))
    router = Router(rules=_rules(registry))  # registered once, with the rules only
    staff = [Agent(id="a1", skills={"billing": 1}), Agent(id="a2", skills={"billing": 3})]
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=T0)
    assert router.route(ticket, staff, now=T0).agent_id == "a2"
    assert "senior" in router.strategies
    # A strategy given to the router explicitly wins over the registry's.
    mine = KeyStrategy(name="senior", key=lambda agent: (agent.id != "a1",))
    explicit = Router(rules=_rules(registry), strategies={"senior": mine})
    assert explicit.route(ticket, staff, now=T0).agent_id == "a1"


def test_a_router_checks_at_construction_that_every_named_strategy_exists() -> None:
    from cs8.routing import Rule, RuleSet

    rules = RuleSet(rules=[Rule(name="vip", actions=RuleActions(strategy="sticky"))])
    with pytest.raises(InvalidValueError, match="rule 'vip' names strategy 'sticky'"):
        Router(rules=rules)
    default = RuleSet(default=RuleActions(strategy="sticky"))
    with pytest.raises(InvalidValueError, match="the default actions names strategy 'sticky'"):
        Router(rules=default)
    Router(rules=rules, strategies={"sticky": KeyStrategy(name="sticky", key=len)})  # known


def test_a_key_failing_inside_a_run_of_a_backlog_falls_back_for_its_tickets_only() -> None:
    # Router.assign serves runs of fast-path tickets in one pool call; a chat ticket's key
    # raises in the middle of a run of email tickets. Oracle: the same tickets routed one at a
    # time in the backlog's queue order, each given its agent on one pool.
    registry = RuleRegistry()
    registry.register("strategy", "senior", KeyStrategy(name="senior", key=_fails_for_a2))
    chat = {"field": "ticket.channel", "op": "equals", "value": "chat"}
    rules = load_rules(
        {"rules": [{"name": "chat", "when": chat, "actions": {"strategy": "senior"}}]},
        registry=registry,
    )
    router = Router(rules=rules, explain=False)
    staff = [Agent(id=i, channels={"email", "chat"}, capacity=20) for i in ("a1", "a2", "a3")]
    tickets = [
        Ticket(
            id=f"T{i:02d}",
            customer_id="C1",
            channel="chat" if i % 4 == 1 else "email",
            created_at=T0 - timedelta(minutes=i),
        )
        for i in range(12)
    ]
    result = router.assign(tickets, staff, now=T0)
    pool = AgentPool(staff)
    by_id = {t.id: t for t in tickets}
    for decision in result.decisions:
        alone = router.route(by_id[decision.ticket_id], pool, now=T0)
        assert (decision, decision.trace) == (alone, alone.trace)
        assert alone.agent_id is not None
        pool.assign(alone.agent_id, by_id[decision.ticket_id].channel, at=T0)
    strategies = {d.ticket_id: d.strategy for d in result.decisions}
    assert {strategies[t.id] for t in tickets if t.channel.value == "chat"} == {"least_busy"}
    assert dict(result.loads) == {a: pool.load(a) for a in ("a1", "a2", "a3")}
