"""Planner: remembered plans never change a decision, alone or shared by threads."""

from __future__ import annotations

import threading
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Ticket
from cs8.routing import AgentPool, Router, RoutingDecision, load_rules
from tests.routing._engine import T0, workforce

RULES = load_rules(
    {
        "rules": [
            {
                "name": "refunds",
                "when": {"field": "ticket.category", "op": "equals", "value": "refund"},
                "actions": {
                    "queue": "billing",
                    "skills": {"refunds": 1},
                    "escalation": [{"after": "PT30M", "relax_skills": 1, "priority": "high"}],
                },
            },
            {
                "name": "chat",
                "when": {"field": "ticket.channel", "op": "equals", "value": "chat"},
                "actions": {"priority_change": 1, "strategy": "longest_idle"},
            },
        ],
        "default": {"queue": "general"},
    }
)

rows = st.lists(
    st.tuples(
        st.sampled_from(["email", "chat", "phone"]),
        st.sampled_from(["refund", "other", None]),
        st.sampled_from(["low", "normal", "high"]),
        st.integers(0, 90),
    ),
    max_size=20,
)


def _tickets(data: list[tuple[str, str | None, str, int]]) -> list[Ticket]:
    return [
        Ticket(
            id=f"T{i}",
            customer_id="C1",
            channel=channel,
            category=category,
            priority=priority,
            created_at=T0 - timedelta(minutes=minutes),
        )
        for i, (channel, category, priority, minutes) in enumerate(data)
    ]


def _decided(decision: RoutingDecision) -> tuple[object, ...]:
    """A decision's fields and trace, but how many agents the index looked at (the first of two
    calls tidies the heap the second then walks)."""
    trace = tuple(line for line in decision.trace if "looked at" not in line)
    fields = {k: v for k, v in decision.to_dict().items() if k != "trace"}
    return (fields, decision.skills, decision.languages, trace)


@given(workforce(), rows, st.booleans())
def test_a_planner_kept_across_calls_decides_as_planning_afresh(
    staff: list[Agent], data: list[tuple[str, str | None, str, int]], explain: bool
) -> None:
    router = Router(rules=RULES, explain=explain)
    planner = router.planner()
    pool = AgentPool(staff)
    tickets = _tickets(data)
    for _ in range(2):  # the second pass finds every plan remembered
        for ticket in tickets:
            kept = router.route(ticket, pool, now=T0, planner=planner)
            fresh = router.route(ticket, pool, now=T0)
            assert _decided(kept) == _decided(fresh)
    assert router.assign(tickets, staff, now=T0, planner=planner) == router.assign(
        tickets, staff, now=T0
    )


def test_one_planner_shared_by_threads_gives_every_thread_the_decisions_of_one_thread() -> None:
    router = Router(rules=RULES, explain=False)
    staff = [
        Agent(id=f"a{i}", skills={"refunds": i % 3}, channels={"email", "chat"}, capacity=5)
        for i in range(20)
    ]
    pool = AgentPool(staff)
    tickets = _tickets(
        [
            (channel, category, priority, minutes)
            for channel in ("email", "chat")
            for category in ("refund", None)
            for priority in ("low", "high")
            for minutes in (0, 45)
        ]
    )
    for ticket in tickets:  # the heaps tidied, so every later walk looks at the same agents
        router.route(ticket, pool, now=T0)
    expected = [router.route(t, pool, now=T0).trace for t in tickets]
    planner = router.planner()
    results: list[list[tuple[str, ...]]] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        results.append([router.route(t, pool, now=T0, planner=planner).trace for t in tickets])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8


def test_a_router_keeps_one_shared_planner_outside_its_value() -> None:
    import copy
    import pickle
    from datetime import UTC, datetime

    from cs8 import Agent, Ticket
    from cs8.routing import Planner, Router

    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    router = Router(explain=False)
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
    before = router.route(ticket, [Agent(id="a1")], now=t0)
    assert isinstance(router._shared, Planner)
    again = pickle.loads(pickle.dumps(router))
    # Plans are remembered by the identity of values: a copy starts with a planner of its own.
    assert again == router
    assert again._shared is not router._shared
    assert copy.copy(router)._shared is not router._shared
    assert again.route(ticket, [Agent(id="a1")], now=t0) == before
    assert Router(explain=False) == router
    assert hash(Router(explain=False)) == hash(router)


@given(
    st.sampled_from(["email", "chat"]),
    st.sampled_from(["vip", "repeat", None]),
    st.sampled_from(["en", "fr", None]),
    st.integers(min_value=0, max_value=23),
)
def test_a_backlog_plans_through_a_read_view_as_through_a_context(
    channel: str, segment: str | None, language: str | None, hour: int
) -> None:
    # The rules read the ticket, the customer and the local time (Europe/Paris): a backlog's
    # planner reads them through a ReadView; each plan equals the one planned from a context.
    from cs8 import Customer

    rules = load_rules(
        {
            "rules": [
                {
                    "name": "vip evening",
                    "when": {
                        "all": [
                            {"field": "customer.segment", "op": "equals", "value": "vip"},
                            {"field": "time.hour", "op": "gte", "value": 18},
                        ]
                    },
                    "actions": {"queue": "vip", "priority": "urgent"},
                },
                {
                    "name": "french",
                    "when": {"field": "customer.language", "op": "equals", "value": "fr"},
                    "actions": {"queue": "fr"},
                },
                {
                    "name": "monday chat",
                    "when": {
                        "all": [
                            {"field": "time.weekday", "op": "equals", "value": "mon"},
                            {"field": "ticket.channel", "op": "equals", "value": "chat"},
                        ]
                    },
                    "actions": {"queue": "chat"},
                },
            ]
        }
    )
    now = T0.replace(hour=hour)
    router = Router(rules=rules, timezone="Europe/Paris", explain=False)
    customer = None if segment is None else Customer(id="C1", segment=segment, language=language)
    ticket = Ticket(id="T1", customer_id="C1", channel=channel, created_at=T0.replace(hour=0))
    planner = router.planner()
    planned = planner.planning(now, ticket)
    assert planned is not None  # plain rules: plans are remembered
    first = planned(ticket, customer)  # a new shape: planned from a context
    again = planned(ticket, customer)  # the same shape: found through the view
    fresh = router.planner().context_and_plan(ticket, now, customer, None)[1]
    assert again is first
    assert (first[0].actions, first[2], first[3]) == (fresh[0].actions, fresh[2], fresh[3])
    customers = {} if customer is None else {"C1": customer}
    decided = router.assign([ticket], [Agent(id="a1", channels={"email", "chat"})], now=now,
                            customers=customers).decisions[0]  # fmt: skip
    alone = router.route(ticket, [Agent(id="a1", channels={"email", "chat"})], now=now,
                         customer=customer)  # fmt: skip
    assert (decided.queue, decided.rule, decided.priority) == (
        alone.queue,
        alone.rule,
        alone.priority,
    )
