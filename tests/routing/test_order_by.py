"""``order_by``, ``skip_if`` and ``team``: the router's choice against brute-force oracles, the
documents they load from and dump to, and Twilio TaskRouter's published examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Ticket
from cs8.exceptions import InvalidValueError, RuleError
from cs8.routing import (
    AgentOrder,
    AgentPool,
    EscalationStep,
    Router,
    Rule,
    RuleActions,
    RuleSet,
    compile_order_by,
    dump_rules,
    from_taskrouter,
    load_rules,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
TEAMS = ["t1", "t2", None]


def ticket(tid: str = "T1", **attributes: object) -> Ticket:
    return Ticket(id=tid, customer_id="C", channel="email", created_at=T0, attributes=attributes)


agents_st = st.lists(
    st.builds(
        lambda i, team, load, english, french, status: Agent(
            id=f"a{i}",
            team=team,
            active_tickets=load,
            skills={
                **({"english": english} if english is not None else {}),
                **({"french": french} if french is not None else {}),
            },
            status=status,
            capacity=3,
        ),
        st.integers(0, 10**6),
        st.sampled_from(TEAMS),
        st.integers(0, 4),
        st.none() | st.integers(0, 3),
        st.none() | st.integers(0, 2),
        st.sampled_from(["online", "online", "away"]),
    ),
    max_size=20,
    unique_by=lambda a: a.id,
)
keys_st = st.lists(
    st.builds(
        AgentOrder,
        field=st.sampled_from(["agent.skills.english", "agent.skills.french"]),
        desc=st.booleans(),
    ),
    min_size=1,
    max_size=2,
)


def rank(keys: list[AgentOrder], agent: Agent) -> tuple[tuple[int, int], ...]:
    """The oracle's rank: per key, agents with the skill first, then by level in the direction."""
    out = []
    for key in keys:
        level = agent.skills.get(key.field.removeprefix("agent.skills."))
        out.append((1, 0) if level is None else (0, -level if key.desc else level))
    return tuple(out)


@given(agents=agents_st, keys=keys_st, team=st.sampled_from(["t1", "t2"]) | st.none())
def test_order_by_picks_the_least_busy_of_the_first_ranked(
    agents: list[Agent], keys: list[AgentOrder], team: str | None
) -> None:
    doc: dict[str, Any] = {"order_by": [k.to_json() for k in keys]}
    if team is not None:
        doc["team"] = team
    rules = load_rules({"rules": [{"name": "r", "actions": doc}]})
    # The oracle: online agents with room (and of the team), ranked first by the keys, then the
    # least busy (ties by id), as LeastBusy breaks ties.
    ok = [
        a
        for a in agents
        if a.status.value == "online"
        and a.active_tickets < a.capacity
        and (team is None or a.team == team)
    ]
    best = min((rank(keys, a) for a in ok), default=None)
    top = [a for a in ok if rank(keys, a) == best]
    expected = min(top, key=lambda a: (a.active_tickets, a.id), default=None)
    for explain in (True, False):
        got = Router(rules=rules, explain=explain).route(ticket(), AgentPool(agents), now=T0)
        assert got.agent_id == (None if expected is None else expected.id)
    # A backlog: each ticket sees the loads the ones before it left.
    loads = {a.id: a.active_tickets for a in ok}
    want = []
    for _ in range(3):
        room = [a for a in ok if loads[a.id] < a.capacity]
        first = min((rank(keys, a) for a in room), default=None)
        pick = min(
            (a for a in room if rank(keys, a) == first),
            key=lambda a: (loads[a.id], a.id),
            default=None,
        )
        want.append(None if pick is None else pick.id)
        if pick is not None:
            loads[pick.id] += 1
    result = Router(rules=rules).assign([ticket(f"T{i}") for i in range(3)], agents, now=T0)
    assert [d.agent_id for d in result.decisions] == want


def test_twilio_order_by_example() -> None:
    # Twilio, "Ordering Workers" (https://www.twilio.com/docs/taskrouter/order-workers): with
    # order_by "worker.finance ASC, worker.support ASC", Alice {finance 10, support 8} and Bob
    # {finance 10, support 5} tie on finance, and Bob's lower support level reserves him first.
    workflow = {
        "task_routing": {
            "filters": [
                {
                    "filter_friendly_name": "Finance",
                    "expression": "1==1",
                    "targets": [
                        {"queue": "Q", "order_by": "worker.finance ASC, worker.support ASC"}
                    ],
                }
            ]
        }
    }
    rules = from_taskrouter(workflow)
    alice = Agent(id="alice", skills={"finance": 10, "support": 8})
    bob = Agent(id="bob", skills={"finance": 10, "support": 5}, active_tickets=2)
    assert Router(rules=rules).route(ticket(), [alice, bob], now=T0).agent_id == "bob"
    assert rules.rules[0].actions.order_by == (
        AgentOrder(field="agent.skills.finance"),
        AgentOrder(field="agent.skills.support"),
    )


def skip_workflow() -> dict[str, object]:
    # Twilio, "Skipping based on Worker availability"
    # (https://www.twilio.com/docs/taskrouter/worker-presence): with skip_if
    # "workers.available == 0" a task that no worker of the step can take at once moves to the
    # next routing step immediately, without waiting for the step's timeout.
    return {
        "task_routing": {
            "filters": [
                {
                    "filter_friendly_name": "Tiered",
                    "expression": "1==1",
                    "targets": [
                        {
                            "queue": "Tier1",
                            "expression": "worker.team == 'tier1'",
                            "timeout": 300,
                            "skip_if": "workers.available == 0",
                        },
                        {
                            "queue": "Tier2",
                            "expression": "worker.team == 'tier2'",
                            "timeout": 300,
                            "skip_if": "workers.available == 0",
                        },
                        {"queue": "Everyone"},
                    ],
                }
            ]
        }
    }


def test_twilio_skip_if_moves_on_at_once() -> None:
    rules = from_taskrouter(skip_workflow())
    router = Router(rules=rules)
    t1 = Agent(id="t1", team="tier1", active_tickets=1)
    t2 = Agent(id="t2", team="tier2", active_tickets=1)
    other = Agent(id="other")
    # Someone in tier 1: the first step holds.
    first = router.route(ticket(), [t1, t2, other], now=T0)
    assert (first.agent_id, first.queue) == ("t1", "Tier1")
    # Nobody in tier 1: tier 2 at once; nobody in either: everyone at once.
    second = router.route(ticket(), [t2, other], now=T0)
    assert (second.agent_id, second.queue) == ("t2", "Tier2")
    assert any("skipped" in line for line in second.trace)
    third = router.route(ticket(), [other], now=T0)
    assert (third.agent_id, third.queue) == ("other", "Everyone")
    # A tier-1 agent who is busy (no room) does not count as available either.
    full = Agent(id="full", team="tier1", capacity=1, active_tickets=1)
    assert router.route(ticket(), [full, t2], now=T0).agent_id == "t2"


def test_a_skipped_steps_priority_does_not_apply() -> None:
    # Twilio: each target of a workflow gives the task's queue and "priority" while the task is
    # in it (https://www.twilio.com/docs/taskrouter/workflow-configuration, "Workflow
    # Configuration Document Structure"), and a task with skip_if moves "to the next routing
    # step immediately" when nobody can take it
    # (https://www.twilio.com/docs/taskrouter/worker-presence): as if the skipped target's
    # timeout had passed, so the skipped target's priority never applies.
    doc = skip_workflow()
    targets = doc["task_routing"]["filters"][0]["targets"]  # type: ignore[index]
    targets[0]["priority"] = 2  # urgent in Tier1 (from_taskrouter: 2 and up -> urgent)
    targets[1]["priority"] = 1  # high in Tier2
    targets[2]["priority"] = 0  # normal for everyone
    router = Router(rules=from_taskrouter(doc))
    t1 = Agent(id="t1", team="tier1")
    t2 = Agent(id="t2", team="tier2")
    other = Agent(id="other")
    held = router.route(ticket(), [t1, t2, other], now=T0)
    assert (held.queue, held.priority.value) == ("Tier1", "urgent")
    skipped = router.route(ticket(), [t2, other], now=T0)
    assert (skipped.queue, skipped.priority.value) == ("Tier2", "high")
    assert skipped.trace[-4].startswith("escalation step(s) 1 skipped")
    assert skipped.trace[-3] == "priority high (rule)"
    both = router.route(ticket(), [other], now=T0)
    assert (both.queue, both.priority.value) == ("Everyone", "normal")
    # A backlog decides the same (its decisions carry the priority of the target in force).
    result = router.assign([ticket("A"), ticket("B")], [t2], now=T0)
    assert [(d.queue, d.priority.value) for d in result.decisions] == [("Tier2", "high")] * 2


@given(
    agents=agents_st,
    steps=st.lists(st.tuples(st.sampled_from(TEAMS[:2]), st.booleans()), min_size=1, max_size=3),
    waited=st.integers(0, 4),
)
def test_skip_if_against_an_oracle(
    agents: list[Agent], steps: list[tuple[str | None, bool]], waited: int
) -> None:
    """Step i (after i+1 minutes) moves to team ``t``; with skip, it is left out when nobody of
    that team can take the ticket, and the next step then applies at once."""
    ladder = [
        EscalationStep(
            after=timedelta(minutes=i + 1),
            queue=f"q{i + 1}",
            agent_filters=load_rules({"rules": [{"name": "x", "actions": {"team": team}}]})
            .rules[0]
            .actions.agent_filters,
            skip_if="no_agent" if skip else None,
        )
        for i, (team, skip) in enumerate(steps)
    ]
    rules = RuleSet(rules=[Rule(name="r", actions=RuleActions(queue="q0", escalation=ladder))])
    ok = [a for a in agents if a.status.value == "online" and a.active_tickets < a.capacity]
    # The oracle: walk the steps due (and those a skip brings forward).
    team: str | None = None
    queue = "q0"
    carry = False
    for i, (step_team, skip) in enumerate(steps):
        if not (i < waited or carry):
            break
        carry = skip and not any(a.team == step_team for a in ok)
        if not carry:
            team, queue = step_team, f"q{i + 1}"
    pool = [a for a in ok if team is None or a.team == team]
    pick = min(pool, key=lambda a: (a.active_tickets, a.id), default=None)
    got = Router(rules=rules).route(ticket(), agents, now=T0 + timedelta(minutes=waited))
    assert (got.agent_id, got.queue) == (None if pick is None else pick.id, queue)


def test_team_key_compiles_to_the_agent_filter_and_round_trips() -> None:
    doc: dict[str, Any] = {
        "rules": [
            {
                "name": "tiered",
                "actions": {
                    "team": "tier1",
                    "agent_filter": {"field": "agent.skills.vip", "op": "gte", "value": 1},
                    "order_by": [{"field": "agent.skills.vip", "desc": True}],
                    "escalation": [
                        {"after": "PT10M", "team": "tier2", "order_by": None},
                        {"after": "PT20M", "agent_filter": None, "skip_if": "no_agent"},
                    ],
                },
            }
        ]
    }
    rules = load_rules(doc)
    same = load_rules(
        {
            "rules": [
                {
                    "name": "tiered",
                    "actions": {
                        "agent_filter": {
                            "field": "agent.team",
                            "op": "equals",
                            "value": "tier1",
                        },
                        "order_by": [{"field": "agent.skills.vip", "desc": True}],
                    },
                }
            ]
        }
    )
    assert rules.rules[0].actions.agent_filters[0] == same.rules[0].actions.agent_filters[0]
    dumped = dump_rules(rules)
    assert dumped["rules"][0]["actions"]["team"] == "tier1"  # type: ignore[index,call-overload]
    assert load_rules(dumped) == rules
    staff = [
        Agent(id="a", team="tier1", skills={"vip": 1}),
        Agent(id="b", team="tier1", skills={"vip": 3}, active_tickets=2),
        Agent(id="c", team="tier2", skills={"vip": 0}),
    ]
    router = Router(rules=rules)
    assert router.route(ticket(), staff, now=T0).agent_id == "b"
    # After 10 minutes tier 2 (the team replaces the filters in force, order_by none).
    assert router.route(ticket(), staff, now=T0 + timedelta(minutes=10)).agent_id == "c"


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        ([{"field": "agent.team"}], "order_by reads 'agent.skills.<name>'"),
        ([], "non-empty array"),
        ([{"field": "agent.skills.x", "desc": "yes"}], "must be true or false"),
        ([{"field": "agent.skills.x", "up": True}], "unknown key 'up'"),
    ],
)
def test_order_by_errors_name_the_path(doc: Any, problem: str) -> None:
    with pytest.raises(RuleError, match=r"rules\[0\]\.actions\.order_by") as info:
        load_rules({"rules": [{"name": "r", "actions": {"order_by": doc}}]})
    assert problem in str(info.value)
    with pytest.raises(RuleError, match="skip_if: must be 'no_agent'"):
        load_rules(
            {
                "rules": [
                    {
                        "name": "r",
                        "actions": {"escalation": [{"after": 1, "queue": "q", "skip_if": "yes"}]},
                    }
                ]
            }
        )
    with pytest.raises(InvalidValueError, match="skip_if"):
        EscalationStep(after=timedelta(0), queue="q", skip_if="always")
    with pytest.raises(InvalidValueError, match=r"AgentOrder\.field"):
        AgentOrder(field="agent.team")
    assert compile_order_by([{"field": "agent.skills.x"}]) == (AgentOrder(field="agent.skills.x"),)


def test_composed_rules_keep_the_earliest_order_by() -> None:
    rules = load_rules(
        {
            "rules": [
                {
                    "name": "en",
                    "continue": True,
                    "actions": {"order_by": [{"field": "agent.skills.english", "desc": True}]},
                },
                {"name": "fr", "actions": {"order_by": [{"field": "agent.skills.french"}]}},
            ]
        }
    )
    staff = [Agent(id="a", skills={"english": 1}), Agent(id="b", skills={"english": 4})]
    decision = Router(rules=rules).route(ticket(), staff, now=T0)
    assert decision.agent_id == "b"
    assert any(
        "order_by [agent.skills.english desc] (rule en) kept" in line for line in decision.trace
    )


def test_the_names_are_public() -> None:
    import cs8.routing

    assert {"AgentOrder", "compile_order_by"} <= set(cs8.routing.__all__)


def test_order_by_null_is_refused_in_actions_and_clears_the_ordering_in_a_step() -> None:
    # The rule schema allows null only in a step (found by the schema-agreement property test).
    import pytest

    from cs8.exceptions import RuleError
    from cs8.routing import load_rules

    with pytest.raises(RuleError, match="order_by"):
        load_rules({"rules": [{"name": "r", "actions": {"order_by": None}}]})
    steps = [{"after": "PT10M", "order_by": None}]
    rules = load_rules({"rules": [{"name": "r", "actions": {"escalation": steps}}]})
    assert rules.rules[0].actions.escalation[0].order_by == ()
