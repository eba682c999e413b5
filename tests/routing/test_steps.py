"""Escalation steps that change anything: team (agent filter), skills, languages, preferred agents,
strategy; a Genesys-style bullseye of widening rings built from them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Agent, Ticket
from cs8.exceptions import RuleError
from cs8.routing import EscalationStep, Router, RuleActions, dump_rules, load_rules

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
TICKET = Ticket(id="T1", customer_id="C1", channel="email", created_at=T0, language="en")

# Genesys Cloud bullseye routing: each ring waits a timeout, then widens the agents, for example
# by removing skills (a queue's "bullseye.rings" with "expansionCriteria" TIMEOUT_SECONDS and
# "actions.skillsToRemove", as in
# https://developer.genesys.cloud/forum/t/additional-5-second-bullseye-ring-in-queue-details/21142).
BULLSEYE = {
    "rules": [
        {
            "name": "bullseye",
            "actions": {
                "queue": "ring-1",
                "skills": {"refunds": 3},
                "agent_filter": {"field": "agent.team", "op": "equals", "value": "experts"},
                "escalation": [
                    {
                        "after": "PT30S",
                        "queue": "ring-2",
                        "agent_filter": {
                            "field": "agent.team",
                            "op": "in",
                            "value": ["experts", "tier2"],
                        },
                        "skills": {"refunds": 1},
                    },
                    {"after": "PT60S", "queue": "ring-3", "agent_filter": None, "skills": {}},
                    {"after": "PT90S", "drop_skills": ["refunds"]},
                ],
            },
        }
    ]
}

AGENTS = [
    Agent(id="expert", team="experts", skills={"refunds": 3}, active_tickets=5, capacity=5),
    Agent(id="tier2", team="tier2", skills={"refunds": 1}, active_tickets=1),
    Agent(id="tier1", team="tier1", skills={"refunds": 1}),
    Agent(id="new", team="tier1"),
]


@pytest.mark.parametrize("explain", [True, False])
def test_bullseye_rings_widen_the_pool(explain: bool) -> None:
    router = Router(rules=load_rules(BULLSEYE), explain=explain)
    seen = []
    for seconds in (0, 30, 60, 90):
        decision = router.route(TICKET, AGENTS, now=T0 + timedelta(seconds=seconds))
        seen.append((decision.queue, decision.agent_id))
    # The expert is full; ring 2 adds tier2 (refunds >= 1); ring 3 anyone with refunds (tier1 is
    # less busy); ring 4 anyone (new and tier1 tie at 0 tickets: by id).
    assert seen == [
        ("ring-1", None),
        ("ring-2", "tier2"),
        ("ring-3", "tier1"),
        ("ring-3", "new"),
    ]


def test_steps_change_strategy_preferred_agents_and_languages() -> None:
    doc = {
        "rules": [
            {
                "name": "r",
                "actions": {
                    "languages": ["fr"],
                    "escalation": [
                        {"after": "PT5M", "languages": ["en"], "preferred_agents": ["b"]},
                        {"after": "PT10M", "strategy": "longest_idle", "preferred_agents": []},
                    ],
                },
            }
        ]
    }
    rules = load_rules(doc)
    assert load_rules(dump_rules(rules)) == rules
    agents = [
        Agent(id="a", languages={"en"}, last_assigned_at=T0 - timedelta(hours=2)),
        Agent(id="b", languages={"en"}, active_tickets=2, last_assigned_at=T0),
        Agent(id="c", languages={"fr"}, active_tickets=1, last_assigned_at=T0),
    ]
    router = Router(rules=rules)
    assert router.route(TICKET, agents, now=T0).agent_id == "c"
    five = router.route(TICKET, agents, now=T0 + timedelta(minutes=5))
    assert (five.agent_id, five.languages) == ("b", frozenset({"en"}))
    ten = router.route(TICKET, agents, now=T0 + timedelta(minutes=10))
    assert (ten.agent_id, ten.strategy) == ("a", "longest_idle")


def test_step_values_apply_in_order() -> None:
    actions = RuleActions(
        skills={"a": 3},
        languages={"fr"},
        escalation=[
            EscalationStep(after=timedelta(minutes=1), relax_skills=1, skills={"b": 1}),
            EscalationStep(after=timedelta(minutes=2), languages={"en"}, strategy="round_robin"),
        ],
    )
    one = actions.escalated(1)
    assert (dict(one.skills), one.languages) == ({"a": 2, "b": 1}, frozenset({"fr"}))
    two = actions.escalated(2)
    assert (two.languages, two.strategy) == (frozenset({"en"}), "round_robin")


def test_a_step_cannot_set_and_drop_languages() -> None:
    with pytest.raises(ValueError, match="languages or drop_languages"):
        EscalationStep(after=timedelta(minutes=1), languages={"en"}, drop_languages=True)
    doc = {
        "rules": [
            {
                "name": "r",
                "actions": {
                    "escalation": [{"after": 60, "languages": ["en"], "drop_languages": True}]
                },
            }
        ]
    }
    with pytest.raises(RuleError, match=r"escalation\[0\]\.languages"):
        load_rules(doc)


def test_a_step_naming_an_unknown_strategy_is_refused() -> None:
    doc = {"rules": [{"name": "r", "actions": {"escalation": [{"after": 60, "strategy": "x"}]}}]}
    with pytest.raises(RuleError, match=r"escalation\[0\]\.strategy: unknown strategy 'x'"):
        load_rules(doc)
