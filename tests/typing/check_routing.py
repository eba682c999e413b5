"""Type-checked in CI: cs8.routing used as a user would write it (also run by pytest)."""

from __future__ import annotations

from datetime import UTC, datetime

from cs8 import Agent, Channel, Customer, Priority, Ticket
from cs8.routing import (
    AgentPool,
    ProfileQueue,
    Router,
    RoutingDecision,
    RoutingProfile,
    RuleSet,
    load_rules,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

RULES = """
{"rules": [{"name": "vip", "when": {"field": "customer.segment", "op": "equals", "value": "vip"},
            "actions": {"queue": "vip", "priority": "urgent"}}],
 "default": {"queue": "general"}}
"""


def rules() -> RuleSet:
    return load_rules(RULES)


def route(router: Router, pool: AgentPool) -> RoutingDecision:
    ticket = Ticket(id="T1", customer_id="C1", channel=Channel.CHAT, created_at=T0)
    return router.route(ticket, pool, now=T0, customer=Customer(id="C1", segment="vip"))


def main() -> None:
    agents = [Agent(id="a1", channels={Channel.CHAT}), Agent(id="a2", channels={Channel.EMAIL})]
    decision = route(Router(rules=rules(), strategy="least_busy"), AgentPool(agents))
    assert decision.agent_id == "a1"
    assert decision.queue == "vip"
    assert decision.priority is Priority.URGENT
    assert all(isinstance(line, str) for line in decision.trace)
    plain = Router(rules=()).route(
        Ticket(id="T2", customer_id="C2", channel="email", created_at=T0), agents, now=T0
    )
    assert plain.agent_id == "a2"
    tiers = RoutingProfile(
        name="general", teams={"t"}, queues=[ProfileQueue(queue="general", priority=2, delay=30)]
    )
    profiled = RuleSet(default=rules().default, rules=rules().rules, profiles=[tiers])
    served = Router(rules=profiled).assign([], agents, now=T0)
    assert served.waiting == ()
