"""The workload of ``benchmarks/routing.py``: rules, agents, tickets and customers (seeded).

Kept apart, and written against names cs8.routing has had from the start, so that
``routing.py --baseline-src`` can build the same workload against another source tree of cs8
(imported first) and time its ``Router.assign`` in a child process.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from cs8 import Agent, Channel, Customer, Ticket
from cs8.routing import ChannelWeights, RuleSet, load_rules

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SKILLS = [f"skill{i}" for i in range(10)]
CATEGORIES = [f"cat{i}" for i in range(16)]
CHANNELS = [Channel.EMAIL, Channel.CHAT, Channel.MESSAGING]
LANGS = ["en", "vi", "fr"]
STRATEGIES = ["least_busy", "least_busy_share", "longest_idle", "most_skilled"]
WEIGHTS = ChannelWeights(weights={"chat": 0.5, "messaging": 0.5})


def make_rules(rng: random.Random) -> RuleSet:
    """Twenty rules: category/channel/priority/segment conditions, skills, languages, escalation."""
    rules = []
    for i in range(20):
        cats = rng.sample(CATEGORIES, 2)
        when: dict[str, object] = {
            "all": [
                {"field": "ticket.category", "op": "in", "value": cats},
                {
                    "field": "ticket.channel",
                    "op": "in",
                    "value": [c.value for c in rng.sample(CHANNELS, 2)],
                },
            ]
        }
        if i % 4 == 0:
            when = {"any": [when, {"field": "customer.segment", "op": "equals", "value": "vip"}]}
        if i % 5 == 1:
            when = {"all": [when, {"field": "ticket.priority", "op": "gte", "value": "normal"}]}
        skills = {s: rng.randint(1, 3) for s in rng.sample(SKILLS, rng.randint(1, 2))}
        actions: dict[str, object] = {
            "queue": f"q{i}",
            "skills": skills,
            "strategy": STRATEGIES[i % len(STRATEGIES)],
        }
        if i % 3 == 0:
            actions["languages"] = rng.sample(LANGS, 2)
        if i % 2 == 0:
            actions["priority_change"] = 1
        if i % 6 == 0:
            actions["escalation"] = [
                {"after": "PT30M", "raise_priority": 1, "relax_skills": 1},
                {"after": "PT2H", "queue": "tier2", "relax_skills": 1},
            ]
        rules.append({"name": f"rule{i:02d}", "when": when, "actions": actions})
    return load_rules({"rules": rules, "default": {"queue": "general"}})


def make_agents(rng: random.Random, n: int, capacity: int) -> list[Agent]:
    return [
        Agent(
            id=f"a{i:05d}",
            skills={s: rng.randint(1, 5) for s in rng.sample(SKILLS, 4)},
            channels=set(rng.sample(CHANNELS, 2)),
            capacity=capacity,
            languages=set(rng.sample(LANGS, 2)),
        )
        for i in range(n)
    ]


def make_tickets(rng: random.Random, n: int) -> list[Ticket]:
    return [
        Ticket(
            id=f"T{i:06d}",
            customer_id=f"C{rng.randrange(n // 4 + 1)}",
            channel=rng.choice(CHANNELS),
            created_at=T0 - timedelta(minutes=rng.randrange(240)),
            priority=rng.choice(["low", "normal", "normal", "high", "urgent"]),
            category=rng.choice(CATEGORIES),
        )
        for i in range(n)
    ]


def make_customers(tickets: list[Ticket]) -> dict[str, Customer]:
    ids = sorted({t.customer_id for t in tickets})
    return {
        c: Customer(id=c, segment="vip" if i % 10 == 0 else "repeat") for i, c in enumerate(ids)
    }
