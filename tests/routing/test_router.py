"""Router: documented behaviour of the anchors (Twilio TaskRouter, Zendesk, Freshdesk) and laws."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Customer, Priority
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from cs8.routing import (
    AgentPool,
    ChannelWeights,
    EscalationStep,
    PriorityAdjustments,
    Router,
    RoutingContext,
    RoutingState,
    Rule,
    RuleActions,
    RuleSet,
    StrategyChoice,
    StrategyState,
    Weighted,
    compile_condition,
    handoff_context,
    load_rules,
    queue_key,
)
from tests.routing._engine import MIN, T0, ticket, workforce


def when(field: str, value: object, op: str = "equals") -> object:
    return compile_condition({"field": field, "op": op, "value": value})


# ---------------------------------------------------------------- rules: first match, default

# Twilio, "Lifecycle of a Task: Workflows and Assignment"
# (https://www.twilio.com/docs/taskrouter/lifecycle-task-workflows-and-assignment): "A Workflow
# evaluates linearly from the top to the bottom. A Task will find the first filter that matches";
# "If a Task doesn't match any filters, it will fallback to the Default Queue (default_filter)".
TWILIO_RULES = load_rules(
    {
        "rules": [
            {
                "name": "Support Calls",
                "when": {"field": "ticket.category", "op": "equals", "value": "support"},
                "actions": {"queue": "Just Support"},
            },
            {
                "name": "Sales Calls",
                "when": {"field": "ticket.category", "op": "equals", "value": "sales"},
                "actions": {"queue": "Just Sales"},
            },
            {
                "name": "Also Sales",
                "when": {"field": "ticket.category", "op": "equals", "value": "sales"},
                "actions": {"queue": "never"},
            },
        ],
        "default": {"queue": "Everyone"},
    }
)


def test_first_matching_rule_wins() -> None:
    d = Router(rules=TWILIO_RULES).route(ticket(category="sales"), [Agent(id="a")], now=T0)
    assert (d.rule, d.queue) == ("Sales Calls", "Just Sales")


def test_no_match_falls_back_to_the_default_queue() -> None:
    d = Router(rules=TWILIO_RULES).route(ticket(category="billing"), [Agent(id="a")], now=T0)
    assert (d.rule, d.queue) == (None, "Everyone")


def test_missing_field_matches_no_rule() -> None:
    d = Router(rules=TWILIO_RULES).route(ticket(), [Agent(id="a")], now=T0)
    assert d.queue == "Everyone"


def test_router_without_rules_routes() -> None:
    assert Router(rules=()).route(ticket(), [Agent(id="a")], now=T0).agent_id == "a"


def test_trace_says_which_rule_matched_and_why() -> None:
    d = Router(rules=TWILIO_RULES).route(ticket(category="sales"), [Agent(id="a")], now=T0)
    assert d.trace[0] == "rule 'Sales Calls' matched: ticket.category equals 'sales' [yes: 'sales']"


def test_fast_trace_names_the_rule_condition_without_values() -> None:
    router = Router(rules=TWILIO_RULES, explain=False)
    d = router.route(ticket(category="sales"), [Agent(id="a")], now=T0)
    assert d.trace[0] == "rule 'Sales Calls' matched: ticket.category equals 'sales'"


# ---------------------------------------------------------------- escalation

# Twilio, "Workflows Overview" (https://www.twilio.com/docs/taskrouter/workflow-configuration): a
# filter's targets (routing steps) each have a queue, a priority and a timeout. "Lifecycle of a
# Task" (https://www.twilio.com/docs/taskrouter/lifecycle-task-workflows-and-assignment): "A Task
# will wait in each step for the defined timeout ... If the Task hits the step timeout, it will move
# to the next step." cs8's reading (documented in docs/routing.md): a step that sets no priority
# keeps the one in force, so a raise is inherited by later steps.
ESCALATING = RuleSet(
    rules=[
        Rule(
            name="refunds",
            when=when("ticket.category", "refund"),
            actions=RuleActions(
                queue="tier1",
                priority="normal",
                skills={"refunds": 3},
                escalation=[
                    EscalationStep(after=10 * MIN, raise_priority=1, relax_skills=1),
                    EscalationStep(after=20 * MIN, queue="tier2", relax_skills=1),
                    EscalationStep(after=30 * MIN, relax_skills=1),
                ],
            ),
        )
    ]
)


@pytest.mark.parametrize(
    ("waited", "step", "queue", "priority"),
    [
        (5, None, "tier1", Priority.NORMAL),
        (10, 1, "tier1", Priority.HIGH),
        (25, 2, "tier2", Priority.HIGH),
        (45, 3, "tier2", Priority.HIGH),
    ],
)
def test_escalation_step_in_force_by_waiting_time(
    waited: int, step: int | None, queue: str, priority: Priority
) -> None:
    d = Router(rules=ESCALATING).route(
        ticket(category="refund"), [Agent(id="a", skills={"refunds": 5})], now=T0 + waited * MIN
    )
    assert (step, queue, priority) == (d.escalation_step, d.queue, d.priority)


def test_priority_raised_by_a_step_is_inherited_by_later_steps() -> None:
    router = Router(rules=ESCALATING)
    later = router.route(ticket(category="refund"), [Agent(id="a")], now=T0 + 21 * MIN)
    assert (later.escalation_step, later.priority) == (2, Priority.HIGH)


TEAM = [
    Agent(id="expert", skills={"refunds": 3}, capacity=1, active_tickets=1),
    Agent(id="mid", skills={"refunds": 2}),
    Agent(id="junior", skills={"refunds": 1}),
    Agent(id="novice", skills={"refunds": 0}),
]


@pytest.mark.parametrize(
    ("waited", "expected"),
    [(0, None), (10, "mid"), (20, "junior"), (30, "junior")],
)
def test_skill_levels_relax_stepwise(waited: int, expected: str | None) -> None:
    # The expert is full; each step lowers the required level by one, widening the pool step by
    # step (least busy among the qualified, then agent id: 'junior' < 'mid' < 'novice').
    d = Router(rules=ESCALATING).route(ticket(category="refund"), TEAM, now=T0 + waited * MIN)
    assert expected == d.agent_id


def test_relaxed_skill_levels_are_in_the_decision() -> None:
    d = Router(rules=ESCALATING).route(ticket(category="refund"), TEAM, now=T0 + 20 * MIN)
    assert dict(d.skills) == {"refunds": 1}


def test_trace_names_the_escalation_step_in_force() -> None:
    d = Router(rules=ESCALATING).route(ticket(category="refund"), TEAM, now=T0 + 25 * MIN)
    assert any(
        line.startswith("escalation step 2 of 3 in force after 25 min waiting: queue tier2")
        for line in d.trace
    )


class _OfficeHours:
    def business_duration(self, start, end):  # type: ignore[no-untyped-def]
        return (end - start) / 2  # a made-up calendar: half of the elapsed time is business time


def test_business_hours_steps_count_business_time() -> None:
    rules = RuleSet(
        rules=[
            Rule(
                name="r",
                actions=RuleActions(
                    escalation=[EscalationStep(after=10 * MIN, queue="later", business_hours=True)]
                ),
            )
        ]
    )
    router = Router(rules=rules, calendar=_OfficeHours())
    got = [router.route(ticket(), [], now=T0 + m * MIN).queue for m in (15, 20)]
    assert got == [None, "later"]


# ---------------------------------------------------------------- strategies

# Zendesk, "Announcing routing based on agents' percentage-based capacity"
# (https://support.zendesk.com/hc/en-us/articles/9290784330522): Agent A holds 1 of 2, Agent B 8 of
# 10. "Highest numerical spare capacity" gives the next ticket to B (2 > 1); "highest percentage
# spare capacity" gives it to A (50% > 20%).
ZENDESK_AB = [
    Agent(id="A", capacity=2, active_tickets=1),
    Agent(id="B", capacity=10, active_tickets=8),
]


def test_highest_spare_capacity_picks_agent_b() -> None:
    assert Router(strategy="least_busy_spare").route(ticket(), ZENDESK_AB, now=T0).agent_id == "B"


def test_highest_percentage_spare_capacity_picks_agent_a() -> None:
    assert Router(strategy="least_busy_share").route(ticket(), ZENDESK_AB, now=T0).agent_id == "A"


def test_least_busy_by_count_picks_the_least_loaded_agent() -> None:
    # Freshdesk, "Setting up load-balanced ticket assignment"
    # (https://support.freshdesk.com/support/solutions/articles/221919): tickets "are assigned to the
    # least loaded agent first".
    assert Router(strategy="least_busy").route(ticket(), ZENDESK_AB, now=T0).agent_id == "A"


@pytest.mark.parametrize(
    "strategy",
    sorted(
        [
            "least_busy",
            "least_busy_spare",
            "least_busy_share",
            "longest_idle",
            "round_robin",
            "most_skilled",
            "weighted",
        ]
    ),
)
def test_a_capacity_full_agent_is_never_chosen(strategy: str) -> None:
    # Zendesk, "Creating capacity rules" (https://support.zendesk.com/hc/en-us/articles/4776409839770)
    # and Freshdesk load-balanced assignment: an agent at maximum capacity is skipped.
    team = [
        Agent(
            id="a-full",
            skills={"x": 9},
            capacity=3,
            active_tickets=3,
            last_assigned_at=T0 - 99 * MIN,
        ),
        Agent(id="b", skills={"x": 1}, capacity=3, active_tickets=2, last_assigned_at=T0),
    ]
    rules = RuleSet(rules=[Rule(name="x", actions=RuleActions(skills={"x": 0}))])
    d = Router(rules=rules, strategy=strategy).route(ticket(), team, now=T0)
    assert d.agent_id == "b"


def test_round_robin_rotation_survives_cleared_assignments() -> None:
    # Freshdesk round robin "follows a sequential order to ensure tickets are distributed equally"
    # (https://support.freshdesk.com/support/solutions/articles/221904); Zendesk's round robin
    # "assigns work based on time elapsed since last assignment ... rather than how much spare
    # capacity agents have" (https://support.zendesk.com/hc/en-us/articles/4776409839770). Clearing
    # an agent's work does not move it ahead in the rotation.
    team = [Agent(id=i, capacity=5) for i in ("a", "b", "c")]
    router = Router(strategy="round_robin")
    pool = AgentPool(team)
    first = router.assign([ticket("T1"), ticket("T2")], pool, now=T0)
    assert [d.agent_id for d in first.decisions] == ["a", "b"]
    # Their work is cleared (the pool given to assign was not changed: loads are all 0 again).
    nxt = router.route(ticket("T3"), pool, now=T0, state=first.state)
    assert nxt.agent_id == "c"


def test_least_busy_after_cleared_assignments_restarts_at_the_first_agent() -> None:
    team = [Agent(id=i, capacity=5) for i in ("a", "b", "c")]
    assert Router().route(ticket("T3"), team, now=T0).agent_id == "a"


def test_round_robin_rotation_wraps_around() -> None:
    team = [Agent(id=i) for i in ("a", "b")]
    result = Router(strategy="round_robin").assign(
        [ticket(f"T{i}") for i in range(3)], team, now=T0
    )
    assert [d.agent_id for d in result.decisions] == ["a", "b", "a"]


def test_round_robin_keeps_a_rotation_per_queue() -> None:
    state = RoutingState().advanced("sales", "a")
    rules = RuleSet(rules=[Rule(name="s", actions=RuleActions(queue="support"))])
    d = Router(rules=rules, strategy="round_robin").route(
        ticket(), [Agent(id="a"), Agent(id="b")], now=T0, state=state
    )
    assert (d.agent_id, d.state.last_for("support")) == ("a", "a")


def test_longest_idle_picks_the_agent_assigned_longest_ago() -> None:
    team = [
        Agent(id="a", last_assigned_at=T0 - MIN),
        Agent(id="b", last_assigned_at=T0 - 9 * MIN),
        Agent(id="c", last_assigned_at=T0 - 5 * MIN),
    ]
    assert Router(strategy="longest_idle").route(ticket(), team, now=T0).agent_id == "b"


def test_most_skilled_sends_urgent_work_to_the_expert() -> None:
    rules = RuleSet(
        rules=[
            Rule(
                name="urgent",
                when=when("ticket.priority", "urgent"),
                actions=RuleActions(skills={"tech": 1}, strategy="most_skilled"),
            )
        ]
    )
    team = [
        Agent(id="a", skills={"tech": 2}),
        Agent(id="b", skills={"tech": 5}, active_tickets=3),
        Agent(id="c", skills={"tech": 5}, active_tickets=4),
    ]
    assert Router(rules=rules).route(ticket(priority="urgent"), team, now=T0).agent_id == "b"


def test_weighted_shares_work_in_proportion_to_weights() -> None:
    router = Router(strategy="weighted", strategies={"weighted": Weighted(weights={"big": 2})})
    team = [Agent(id="big", capacity=9), Agent(id="small", capacity=9)]
    result = router.assign([ticket(f"T{i}") for i in range(6)], team, now=T0)
    assert dict(result.loads) == {"big": 4.0, "small": 2.0}


def test_unknown_strategy_name_in_a_rule_is_an_error() -> None:
    rules = RuleSet(rules=[Rule(name="r", actions=RuleActions(strategy="nope"))])
    with pytest.raises(InvalidValueError, match="nope"):
        Router(rules=rules).route(ticket(), [Agent(id="a")], now=T0)


@attrs.frozen
class _Sticky:
    """A strategy plugin: the customer's previous agent when eligible, else the lowest id."""

    name: str = "sticky"

    def choose(
        self,
        candidates: Sequence[Agent],
        ctx: RoutingContext,
        actions: RuleActions,
        state: StrategyState,
    ) -> StrategyChoice:
        previous = state.get(ctx.ticket.customer_id)
        for agent in candidates:
            if agent.id == previous:
                return StrategyChoice(agent, state, "customer's previous agent")
        best = min(candidates, key=lambda a: a.id, default=None)
        if best is None:
            return StrategyChoice(None, state, "no candidate")
        new = FrozenDict({**state, ctx.ticket.customer_id: best.id})
        return StrategyChoice(best, new, "lowest agent id")


def test_strategy_plugin_state_is_passed_back_in() -> None:
    router = Router(
        strategy="least_busy",
        strategies={"sticky": _Sticky()},
        rules=RuleSet(rules=[Rule(name="r", actions=RuleActions(strategy="sticky"))]),
    )
    team = [Agent(id="a", capacity=9), Agent(id="b", capacity=9)]
    state = RoutingState(plugins={"sticky": FrozenDict({"C1": "b"})})
    d = router.route(ticket(), team, now=T0, state=state)
    assert (d.agent_id, d.trace[-1]) == (
        "b",
        "strategy sticky: chose b; tie-break: customer's previous agent",
    )


# ---------------------------------------------------------------- filters


def test_away_agents_are_a_fallback_tier_only_when_configured() -> None:
    team = [Agent(id="a", status="away"), Agent(id="b", status="busy")]
    got = (
        Router().route(ticket(), team, now=T0).agent_id,
        Router(away_fallback=True).route(ticket(), team, now=T0).agent_id,
    )
    assert got == (None, "a")


def test_online_agents_come_before_away_agents() -> None:
    team = [Agent(id="a", status="away"), Agent(id="b", active_tickets=4)]
    assert Router(away_fallback=True).route(ticket(), team, now=T0).agent_id == "b"


def test_language_filter_accepts_any_listed_language() -> None:
    rules = RuleSet(rules=[Rule(name="r", actions=RuleActions(languages={"vi", "fr"}))])
    team = [Agent(id="a", languages={"en"}), Agent(id="b", languages={"fr"}, active_tickets=3)]
    assert Router(rules=rules).route(ticket(), team, now=T0).agent_id == "b"


def test_preferred_agent_goes_first_when_eligible() -> None:
    rules = RuleSet(rules=[Rule(name="r", actions=RuleActions(preferred_agents=["b"]))])
    team = [Agent(id="a"), Agent(id="b", active_tickets=4)]
    assert Router(rules=rules).route(ticket(), team, now=T0).agent_id == "b"


def test_everyone_is_tried_when_no_preferred_agent_is_eligible() -> None:
    rules = RuleSet(rules=[Rule(name="r", actions=RuleActions(preferred_agents=["b"]))])
    team = [Agent(id="a"), Agent(id="b", status="offline")]
    assert Router(rules=rules).route(ticket(), team, now=T0).agent_id == "a"


def test_channel_weights_let_a_busy_agent_take_a_chat() -> None:
    router = Router(weights=ChannelWeights(weights={"chat": 0.5}))
    agent = Agent(id="a", channels={"chat"}, capacity=2, active_tickets=1.5)
    assert router.route(ticket(channel="chat"), [agent], now=T0).agent_id == "a"


def test_trace_counts_agents_left_by_each_filter() -> None:
    rules = RuleSet(rules=[Rule(name="r", actions=RuleActions(skills={"tech": 2}))])
    team = [
        Agent(id="a", skills={"tech": 3}),
        Agent(id="b", status="away"),
        Agent(id="c", channels={"chat"}),
        Agent(id="d", capacity=0),
        Agent(id="e", skills={"tech": 1}),
    ]
    d = Router(rules=rules).route(ticket(), team, now=T0)
    assert (
        "filters (online): agents 5 -> status online 4 -> channel email 3 -> spare capacity 2 "
        "-> skills tech>=2 1"
    ) in d.trace


def test_trace_names_strategy_and_tie_break() -> None:
    d = Router().route(ticket(), [Agent(id="b"), Agent(id="a")], now=T0)
    assert (
        d.trace[-1]
        == "strategy least_busy: chose a; tie-break: fewest units of work, then agent id"
    )


# ---------------------------------------------------------------- priority in the router


def test_adjustments_raise_the_rule_priority_and_say_why() -> None:
    rules = RuleSet(rules=[Rule(name="r", actions=RuleActions(priority="normal"))])
    router = Router(rules=rules, adjustments=PriorityAdjustments())
    d = router.route(ticket(), [Agent(id="a")], now=T0, customer=Customer(id="C1", segment="vip"))
    assert (d.priority, d.trace[1]) == (
        Priority.HIGH,
        "priority normal (rule); vip customer +1 -> high",
    )


def test_sla_time_left_sets_due_time_and_raises_priority() -> None:
    router = Router(adjustments=PriorityAdjustments())
    d = router.route(
        ticket(),
        [Agent(id="a")],
        now=T0,
        sla={"first_reply": {"state": "active", "remaining": -60}},
    )
    assert (d.priority, d.due_at) == (Priority.URGENT, T0 - MIN)


def test_impact_and_urgency_give_the_base_priority() -> None:
    from cs8.routing import PriorityMatrix

    d = Router(matrix=PriorityMatrix()).route(
        ticket(attributes={"impact": "high", "urgency": "high"}), [Agent(id="a")], now=T0
    )
    assert d.priority == Priority.URGENT


def test_naive_now_is_rejected() -> None:
    from datetime import datetime

    with pytest.raises(NaiveDatetimeError):
        Router().route(ticket(), [], now=datetime(2026, 1, 1))


# ---------------------------------------------------------------- assign


def test_assign_serves_the_backlog_in_queue_order() -> None:
    tickets = [
        ticket("old-low", priority="low", created=T0 - 60 * MIN),
        ticket("new-high", priority="high"),
        ticket("old-high", priority="high", created=T0 - 9 * MIN),
    ]
    result = Router().assign(tickets, [Agent(id="a", capacity=2)], now=T0)
    assert [(d.ticket_id, d.agent_id) for d in result.decisions] == [
        ("old-high", "a"),
        ("new-high", "a"),
        ("old-low", None),
    ]


def test_assign_puts_least_slack_first_at_equal_priority() -> None:
    tickets = [ticket("relaxed"), ticket("tight", created=T0 + MIN)]
    sla = {
        "relaxed": {"first_reply": {"state": "active", "remaining": 3600}},
        "tight": {"first_reply": {"state": "active", "remaining": 60}},
    }
    result = Router().assign(tickets, [Agent(id="a", capacity=1)], now=T0 + MIN, sla=sla)
    assert dict(result.assignments) == {"tight": "a"}


def test_assign_does_not_change_the_pool_given() -> None:
    pool = AgentPool([Agent(id="a")])
    Router().assign([ticket()], pool, now=T0)
    assert pool.load("a") == 0.0


def test_assign_rejects_duplicate_ticket_ids() -> None:
    with pytest.raises(InvalidValueError, match="two tickets"):
        Router().assign([ticket("T"), ticket("T")], [], now=T0)


@pytest.mark.parametrize("explain", [True, False])
def test_assign_names_a_backlog_entry_or_customer_of_the_wrong_type(explain: bool) -> None:
    router = Router(explain=explain)
    with pytest.raises(InvalidValueError, match="ticket must be a Ticket, got 'T2'"):
        router.assign([ticket("T1"), "T2"], [], now=T0)  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="customer must be a Customer or None, got 'vip'"):
        router.assign([ticket("T1")], [], now=T0, customers={"C1": "vip"})  # type: ignore[dict-item]


def test_assign_carries_handoff_contexts() -> None:
    ctx = handoff_context("C1", tickets=[ticket()])
    result = Router().assign([ticket()], [Agent(id="a")], now=T0, handoffs={"C1": ctx})
    assert ctx == result.decisions[0].handoff


backlog = st.lists(
    st.tuples(
        st.sampled_from(["email", "chat", "phone"]),
        st.sampled_from(["low", "normal", "high", "urgent"]),
        st.integers(0, 30),
        st.sampled_from([None, "refund", "tech"]),
    ),
    max_size=40,
)
SKILL_RULES = RuleSet(
    rules=[
        Rule(
            name="refunds",
            when=when("ticket.category", "refund"),
            actions=RuleActions(skills={"refunds": 2}, strategy="most_skilled"),
        ),
        Rule(
            name="tech",
            when=when("ticket.category", "tech"),
            actions=RuleActions(skills={"tech": 1}, strategy="round_robin"),
        ),
    ],
    default=RuleActions(strategy="least_busy_share"),
)


def _tickets(spec: list) -> list:
    return [
        ticket(f"T{i:02d}", channel=c, priority=p, created=T0 - m * MIN, category=cat)
        for i, (c, p, m, cat) in enumerate(spec)
    ]


@given(workforce(), backlog, st.booleans())
def test_assign_never_overfills_an_agent(team: list[Agent], spec: list, away: bool) -> None:
    weights = ChannelWeights(weights={"chat": 0.5})
    tickets = _tickets(spec)
    result = Router(rules=SKILL_RULES, weights=weights, away_fallback=away).assign(
        tickets, team, now=T0
    )
    by_id = {a.id: a for a in team}
    channels = {t.id: t.channel for t in tickets}
    added = {a.id: 0.0 for a in team}
    for d in result.decisions:
        if d.agent_id is not None:
            added[d.agent_id] += weights.units(channels[d.ticket_id], by_id[d.agent_id].capacity)
    for agent in team:
        if added[agent.id]:
            assert agent.active_tickets + added[agent.id] <= agent.capacity + 1e-9
            assert result.loads[agent.id] == pytest.approx(agent.active_tickets + added[agent.id])


@given(workforce(), backlog, st.randoms(use_true_random=False))
def test_assign_does_not_depend_on_input_order(
    team: list[Agent], spec: list, rnd: random.Random
) -> None:
    router = Router(rules=SKILL_RULES, weights=ChannelWeights(weights={"chat": 0.5}))
    tickets = _tickets(spec)
    shuffled_tickets, shuffled_team = tickets[:], team[:]
    rnd.shuffle(shuffled_tickets)
    rnd.shuffle(shuffled_team)
    a = router.assign(tickets, team, now=T0)
    b = router.assign(shuffled_tickets, shuffled_team, now=T0)
    assert (a.decisions, a.loads) == (b.decisions, b.loads)


@given(
    workforce(),
    backlog,
    st.lists(st.none() | st.integers(-120, 120), min_size=40, max_size=40),
    st.booleans(),
)
def test_assign_serves_tickets_in_queue_key_order(
    team: list[Agent], spec: list, slack: list[int | None], explain: bool
) -> None:
    # queue_key: priority, SLA due time (least slack), age, id. Tickets share creation minutes
    # and due times often, so every part of the key decides some pairs.
    tickets = _tickets(spec)
    sla = {
        t.id: {"first_reply": {"state": "active", "remaining": minutes * 60}}
        for t, minutes in zip(tickets, slack, strict=False)
        if minutes is not None
    }
    result = Router(rules=SKILL_RULES, explain=explain).assign(tickets, team, now=T0, sla=sla)
    by_id = {t.id: t for t in tickets}
    keys = [
        queue_key(by_id[d.ticket_id], priority=d.priority, due_at=d.due_at)
        for d in result.decisions
    ]
    assert keys == sorted(keys)
    assert sorted(d.ticket_id for d in result.decisions) == sorted(by_id)


@given(workforce(), backlog)
def test_explained_and_fast_routing_choose_the_same_agents(team: list[Agent], spec: list) -> None:
    tickets = _tickets(spec)
    a = Router(rules=SKILL_RULES).assign(tickets, team, now=T0)
    b = Router(rules=SKILL_RULES, explain=False).assign(tickets, team, now=T0)
    assert a.assignments == b.assignments


def test_waiting_tickets_are_listed_in_queue_order() -> None:
    result = Router().assign([ticket("b"), ticket("a")], [], now=T0 + timedelta(hours=1))
    assert result.waiting == ("a", "b")


# ---------------------------------------------------------------- values


def test_router_is_a_hashable_picklable_value() -> None:
    import pickle

    router = Router(rules=TWILIO_RULES, strategy="round_robin")
    router.route(ticket(category="sales"), [Agent(id="a")], now=T0)  # fills private caches
    copy = pickle.loads(pickle.dumps(router))
    assert (copy, hash(copy)) == (router, hash(Router(rules=TWILIO_RULES, strategy="round_robin")))


def test_decisions_convert_to_plain_dicts() -> None:
    result = Router(rules=TWILIO_RULES).assign([ticket(category="sales")], [Agent(id="a")], now=T0)
    row = result.to_dicts()[0]
    assert (row["agent_id"], row["queue"], row["rule"]) == ("a", "Just Sales", "Sales Calls")


def test_assignment_result_renders_as_text_and_html() -> None:
    result = Router().assign([ticket("T1"), ticket("T2")], [Agent(id="a", capacity=1)], now=T0)
    assert str(result).splitlines()[0] == "2 tickets: 1 assigned, 1 waiting"
    assert "<td>T1</td><td>a</td>" in result._repr_html_()


def test_sla_results_from_an_sla_policy_set_the_due_time() -> None:
    sla = pytest.importorskip("cs8.sla")
    if not hasattr(sla, "SlaPolicy"):
        pytest.skip("cs8.sla.SlaPolicy is not available")
    policy = sla.SlaPolicy(
        name="standard",
        calendar=sla.BusinessCalendar.always_open(),
        targets=(sla.SlaTarget(metric=sla.SlaMetric.FIRST_REPLY, within=timedelta(hours=1)),),
    )
    t = ticket()
    now = T0 + 20 * MIN
    d = Router().route(t, [Agent(id="a")], now=now, sla=policy.evaluate(t, now=now))
    assert d.due_at == T0 + timedelta(hours=1)
