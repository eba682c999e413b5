"""Composable rules ("continue": true), language steps and the reopened ticket (issue 16's
done-when items): every requirement of every matching rule holds at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Agent, Assignment, Customer, StatusChange, Ticket
from cs8.routing import (
    ComposedRule,
    EscalationStep,
    Router,
    RuleActions,
    dump_rules,
    load_rules,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

VIP_ENGLISH_REFUND = {
    "rules": [
        {
            "name": "vip",
            "continue": True,
            "when": {"field": "customer.segment", "op": "equals", "value": "vip"},
            "actions": {"queue": "vip", "priority": "high", "skills": {"vip": 1}},
        },
        {
            "name": "english",
            "continue": True,
            "when": {"field": "ticket.language", "op": "equals", "value": "en"},
            "actions": {"languages": ["en"]},
        },
        {
            "name": "refund",
            "when": {"field": "ticket.tags", "op": "has", "value": "refund"},
            "actions": {"queue": "billing", "skills": {"refunds": 2, "vip": 2}},
        },
        {"name": "never-reached", "actions": {"queue": "general", "skills": {"other": 1}}},
    ],
    "default": {"queue": "general"},
}


def ticket(**kw: object) -> Ticket:
    base: dict[str, object] = {
        "id": "T1",
        "customer_id": "C1",
        "channel": "email",
        "created_at": T0,
        "language": "en",
        "tags": {"refund"},
    }
    base.update(kw)
    return Ticket(**base)  # type: ignore[arg-type]


VIP = Customer(id="C1", segment="vip")


def test_the_vip_english_refund_ticket_gets_all_three_requirements() -> None:
    rules = load_rules(VIP_ENGLISH_REFUND)
    # Each agent lacks exactly one requirement but the last, who is also the busiest.
    agents = [
        Agent(id="no-vip", skills={"refunds": 3}, languages={"en"}),
        Agent(id="no-english", skills={"vip": 2, "refunds": 3}, languages={"fr"}),
        Agent(id="no-refunds", skills={"vip": 2}, languages={"en"}),
        Agent(id="low-vip", skills={"vip": 1, "refunds": 2}, languages={"en"}),
        Agent(id="all-three", skills={"vip": 2, "refunds": 2}, languages={"en"}, active_tickets=4),
    ]
    for router in (Router(rules=rules), Router(rules=rules, explain=False)):
        decision = router.route(ticket(), agents, now=T0, customer=VIP)
        assert decision.agent_id == "all-three"
        assert decision.rule == "vip + english + refund"
        assert dict(decision.skills) == {"vip": 2, "refunds": 2}  # the higher minimum for vip
        assert decision.languages == frozenset({"en"})
        assert decision.queue == "vip"  # the earlier rule wins, and the trace says so
        trace = "\n".join(decision.trace)
        for name in ("[vip]", "[english]", "[refund]"):
            assert name in trace
        assert "never-reached" not in trace
        assert "queue 'vip' (rule vip) kept over 'billing' (rule refund)" in trace
        batch = router.assign([ticket()], agents, now=T0, customers={"C1": VIP})
        assert batch.decisions[0].agent_id == "all-three"


def test_a_rule_without_continue_ends_the_match_as_before() -> None:
    doc = {
        "rules": [
            {"name": "a", "actions": {"queue": "a", "skills": {"x": 1}}},
            {"name": "b", "actions": {"queue": "b", "skills": {"y": 1}}},
        ]
    }
    decision = Router(rules=load_rules(doc)).route(
        ticket(), [Agent(id="x", skills={"x": 1})], now=T0
    )
    assert (decision.rule, decision.agent_id) == ("a", "x")


def test_a_continuing_rule_alone_applies_as_itself() -> None:
    doc = {
        "rules": [
            {"name": "a", "continue": True, "actions": {"queue": "a"}},
            {
                "name": "b",
                "when": {"field": "ticket.channel", "op": "equals", "value": "chat"},
                "actions": {"queue": "b"},
            },
        ]
    }
    decision = Router(rules=load_rules(doc)).route(ticket(), [Agent(id="x")], now=T0)
    assert (decision.rule, decision.queue) == ("a", "a")


def test_each_rules_languages_must_be_met() -> None:
    # Rule one accepts en or fr, rule two de or fr: an en+de agent meets both, an en-only agent
    # meets one (an intersection of the lists, {fr}, would wrongly reject the first).
    doc = {
        "rules": [
            {"name": "one", "continue": True, "actions": {"languages": ["en", "fr"]}},
            {"name": "two", "actions": {"languages": ["de", "fr"]}},
        ]
    }
    agents = [
        Agent(id="en-only", languages={"en"}),
        Agent(id="en-de", languages={"en", "de"}, active_tickets=2),
    ]
    decision = Router(rules=load_rules(doc)).route(ticket(), agents, now=T0)
    assert decision.agent_id == "en-de"


def test_priorities_compose_by_the_documented_rule() -> None:
    doc = {
        "rules": [
            {"name": "up", "continue": True, "actions": {"priority_change": 1}},
            {"name": "up-again", "continue": True, "actions": {"priority_change": 1}},
            {"name": "end", "actions": {}},
        ]
    }
    decision = Router(rules=load_rules(doc)).route(ticket(priority="low"), [Agent(id="a")], now=T0)
    assert decision.priority.value == "high"  # changes add up: low +2


def test_continue_round_trips_and_composed_rules_are_cached() -> None:
    rules = load_rules(VIP_ENGLISH_REFUND)
    assert load_rules(dump_rules(rules)) == rules
    assert dump_rules(rules)["rules"][0]["continue"] is True  # type: ignore[index,call-overload]
    from cs8.routing import RoutingContext

    ctx = RoutingContext(ticket=ticket(), now=T0, customer=VIP)
    first = rules.first_match(ctx)
    assert isinstance(first, ComposedRule)
    assert rules.first_match(ctx) is first


def test_a_language_is_dropped_by_a_step_after_ten_minutes() -> None:
    # An English phone call with nobody speaking English: after 10 minutes the step drops the
    # language requirement (and the agent filter on agent.languages) and anyone can answer.
    doc = {
        "rules": [
            {
                "name": "english-phone",
                "when": {"field": "ticket.language", "op": "equals", "value": "en"},
                "actions": {
                    "languages": ["en"],
                    "agent_filter": {
                        "field": "agent.languages",
                        "op": "has",
                        "value_from": "ticket.language",
                    },
                    "escalation": [{"after": "PT10M", "drop_languages": True}],
                },
            }
        ]
    }
    rules = load_rules(doc)
    agents = [Agent(id="vi", languages={"vi"}, channels={"phone"})]
    call = ticket(channel="phone", tags=())
    for router in (Router(rules=rules), Router(rules=rules, explain=False)):
        early = router.route(call, agents, now=T0 + timedelta(minutes=9, seconds=59))
        assert early.agent_id is None
        assert early.languages == frozenset({"en"})
        late = router.route(call, agents, now=T0 + timedelta(minutes=10))
        assert late.agent_id == "vi"
        assert late.languages == frozenset()
        assert late.escalation_step == 1
        assert any(
            "escalation step 1 of 1" in line and "languages any" in line for line in late.trace
        )


def test_drop_languages_as_a_value() -> None:
    actions = RuleActions(
        languages={"en"},
        escalation=[EscalationStep(after=timedelta(minutes=10), drop_languages=True)],
    )
    assert actions.escalated(1).languages == frozenset()
    with pytest.raises(ValueError, match="drop_languages"):
        EscalationStep(after=timedelta(minutes=1), drop_languages="yes")  # type: ignore[arg-type]


def test_a_reopened_ticket_goes_back_to_its_agent_under_composed_rules() -> None:
    # Zendesk: a reopened ticket goes back to its previous agent when available (API.md); with
    # composed requirements the agent must still meet them.
    rules = load_rules(VIP_ENGLISH_REFUND)
    events = [
        Assignment(at=T0, agent_id="b"),
        StatusChange(at=T0 + timedelta(hours=1), status="solved"),
        StatusChange(at=T0 + timedelta(hours=2), status="open"),
    ]
    qualified = {"skills": {"vip": 2, "refunds": 2}, "languages": {"en"}}
    agents = [Agent(id="a", **qualified), Agent(id="b", active_tickets=3, **qualified)]  # type: ignore[arg-type]
    now = T0 + timedelta(hours=2)
    decision = Router(rules=rules).route(ticket(events=events), agents, now=now, customer=VIP)
    assert decision.agent_id == "b"
    assert any("reopened: previous agent b" in line for line in decision.trace)
    unqualified = [Agent(id="a", **qualified), Agent(id="b", languages={"fr"})]  # type: ignore[arg-type]
    decision = Router(rules=rules).route(ticket(events=events), unqualified, now=now, customer=VIP)
    assert decision.agent_id == "a"
