"""Router fixes for a running service (issue 13): time fields in the calendar's zone, a reopened
ticket back to its previous agent, route() safe beside assign() in threads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cs8 import Agent, Assignment, StatusChange, Ticket
from cs8.routing import AgentPool, Router, load_rules
from cs8.sla import BusinessCalendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = BusinessCalendar(timezone="Asia/Ho_Chi_Minh", hours={"mon": [("08:00", "17:00")]})
NIGHT_RULES = load_rules(
    {
        "rules": [
            {
                "name": "night",
                "when": {"field": "time.hour", "op": "lt", "value": 8},
                "actions": {"queue": "night"},
            }
        ],
        "default": {"queue": "day"},
    }
)


def test_rules_read_the_hour_in_the_calendars_zone() -> None:
    # 09:00 in Ho Chi Minh City is 02:00 UTC: the defect routed it as night.
    at = datetime(2026, 3, 2, 9, tzinfo=HCM)
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=at)
    decision = Router(rules=NIGHT_RULES, calendar=CAL).route(ticket, [Agent(id="a1")], now=at)
    assert decision.queue == "day"


def test_an_explicit_timezone_wins_over_the_calendars() -> None:
    at = datetime(2026, 3, 2, 9, tzinfo=HCM)
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=at)
    router = Router(rules=NIGHT_RULES, calendar=CAL, timezone="UTC")
    assert router.route(ticket, [Agent(id="a1")], now=at).queue == "night"


def test_without_a_calendar_rules_read_utc() -> None:
    assert Router().timezone.utcoffset(None) == timedelta(0)


T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def reopened(agent: str = "b") -> Ticket:
    return Ticket(
        id="T1",
        customer_id="C1",
        channel="email",
        created_at=T0,
        events=[
            Assignment(at=T0, agent_id=agent),
            StatusChange(at=T0 + timedelta(hours=1), status="solved"),
            StatusChange(at=T0 + timedelta(hours=2), status="open"),
        ],
    )


def test_a_reopened_ticket_goes_back_to_its_previous_agent() -> None:
    # Zendesk: a reopened ticket goes back to the agent who solved it when available. Least busy
    # alone would pick "a" (idle), not "b" (holding work).
    agents = [Agent(id="a"), Agent(id="b", active_tickets=2)]
    now = T0 + timedelta(hours=2)
    for router in (Router(), Router(explain=False)):
        decision = router.route(reopened(), agents, now=now)
        assert decision.agent_id == "b"
        assert any("reopened: previous agent b" in line for line in decision.trace)
        assert router.assign([reopened()], agents, now=now).decisions[0].agent_id == "b"


def test_a_reopened_ticket_is_routed_as_usual_when_its_agent_is_not_available() -> None:
    agents = [Agent(id="a"), Agent(id="b", status="offline")]
    decision = Router().route(reopened(), agents, now=T0 + timedelta(hours=2))
    assert decision.agent_id == "a"


def test_a_rule_naming_preferred_agents_says_otherwise() -> None:
    rules = load_rules(
        {"rules": [], "default": {"preferred_agents": ["a"]}},
    )
    agents = [Agent(id="a", active_tickets=3), Agent(id="b")]
    decision = Router(rules=rules).route(reopened(), agents, now=T0 + timedelta(hours=2))
    assert decision.agent_id == "a"


def test_route_beside_assign_in_threads_leaves_the_pool_usable() -> None:
    # The defect: route() built heaps lazily without a lock and could corrupt the pool so that
    # every later Router.assign raised KeyError.
    pool = AgentPool([Agent(id=f"a{i}", capacity=50) for i in range(40)])
    router = Router(explain=False)
    tickets = [
        Ticket(id=f"T{i}", customer_id="C", channel="email", created_at=T0) for i in range(50)
    ]
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        barrier.wait()
        for ticket in tickets:
            if n % 2:
                router.route(ticket, pool, now=T0)
            else:
                with pool.lock:
                    decision = router.route(ticket, pool, now=T0)
                    if decision.agent_id is not None:
                        pool.assign(decision.agent_id, "email", at=T0)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(pool.loads.values()) == 4 * 50
    assert len(router.assign(tickets, pool, now=T0).assignments) == 50
