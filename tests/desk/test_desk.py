"""cs8.desk.Desk: routing and reserving, capacity following the tickets, webhooks as they come,
the SLA index against a full re-evaluation, alarms, roster changes, snapshot and restore."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs8 import Agent, Assignment, Channel, Message, StatusChange, Ticket
from cs8.desk import AlarmKind, Desk
from cs8.desk._sla_index import evaluate_at
from cs8.exceptions import EventOrderError, InvalidValueError, SerializationError
from cs8.routing import ChannelWeights, Router
from cs8.sla import BusinessCalendar, SlaMetric, SlaPolicy, SlaResult, SlaState, SlaTarget
from cs8.testing.desk_day import (
    DAY_START,
    Delivery,
    day_policy,
    day_router,
    deliver,
    simulated_day,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
M = timedelta(minutes=1)
POLICY = SlaPolicy(
    name="p",
    targets=[
        SlaTarget(
            metric="first_reply",
            within=60 * M,
            business_hours=False,
            warnings=[0.5],
            escalations=[("lead", 1.0)],
        )
    ],
)


def ticket(
    tid: str, *, at: datetime = T0, priority: str = "normal", channel: str = "email"
) -> Ticket:
    return Ticket(id=tid, customer_id="C", channel=channel, created_at=at, priority=priority)


def one_agent_desk(capacity: int = 1) -> Desk:
    return Desk(
        policy=POLICY,
        router=Router(),
        now=T0,
        agents=[Agent(id="a1", capacity_by_channel={"email": capacity})],
    )


def full_due_within(desk: Desk, window: timedelta, now: datetime) -> tuple[SlaResult, ...]:
    """The oracle: every ticket evaluated at ``now``."""
    order = list(SlaMetric)
    out = [
        r
        for tid in desk.tickets
        for r in evaluate_at(desk.policy, desk.ticket(tid), now, None)
        if r.state is SlaState.ACTIVE and r.due_at is not None and now <= r.due_at <= now + window
    ]
    out.sort(key=lambda r: (r.due_at, r.ticket_id, order.index(r.metric)))
    return tuple(out)


def replay(desk: Desk, deliveries: Iterable[Delivery], until: datetime | None = None) -> None:
    for d in deliveries:
        if until is not None and d.at > until:
            break
        deliver(desk, d)


# ---------------------------------------------------------------------- routing and capacity


def test_open_routes_and_reserves_and_a_full_desk_queues() -> None:
    desk = one_agent_desk()
    assert desk.open(ticket("T1")).agent_id == "a1"
    assert desk.ticket("T1").assignee == "a1"
    assert desk.open(ticket("T2")).agent_id is None
    assert desk.waiting == ("T2",)
    assert desk.loads["a1"] == {Channel.EMAIL: 1}


def test_solving_releases_and_the_backlog_is_offered_in_queue_order() -> None:
    desk = one_agent_desk()
    desk.open(ticket("T1"))
    desk.open(ticket("T2", priority="low"))
    desk.open(ticket("T3", priority="urgent", at=T0 + M))
    desk.record("T1", StatusChange(at=T0 + 2 * M, status="solved"))
    assert desk.reservations == {"T3": "a1"}
    assert desk.waiting == ("T2",)


def test_closing_releases_and_reopening_takes_the_previous_agent_back() -> None:
    desk = one_agent_desk(capacity=2)
    desk.open(ticket("T1"))
    desk.record("T1", StatusChange(at=T0 + M, status="closed"))
    assert desk.loads["a1"] == {}
    desk.record("T1", StatusChange(at=T0 + 2 * M, status="open"))
    assert desk.reservations == {"T1": "a1"}


def test_a_reopened_ticket_whose_agent_is_full_is_routed_again() -> None:
    desk = Desk(
        policy=POLICY,
        router=Router(),
        now=T0,
        agents=[Agent(id="a1", capacity_by_channel={"email": 1}), Agent(id="a2", status="away")],
    )
    desk.open(ticket("T1"))
    desk.record("T1", StatusChange(at=T0 + M, status="solved"))
    desk.open(ticket("T2", at=T0 + M))
    desk.set_agent(Agent(id="a2", capacity_by_channel={"email": 1}))
    desk.record("T1", StatusChange(at=T0 + 3 * M, status="open"))
    assert desk.reservations == {"T1": "a2", "T2": "a1"}


def test_an_assignment_made_outside_moves_the_reservation() -> None:
    desk = Desk(policy=POLICY, router=Router(), now=T0, agents=[Agent(id="a1"), Agent(id="a2")])
    desk.open(ticket("T1"))
    other = "a2" if desk.reservations["T1"] == "a1" else "a1"
    desk.record("T1", Assignment(at=T0 + M, agent_id=other))
    assert desk.reservations == {"T1": other}
    assert sum(sum(c.values()) for c in desk.loads.values()) == 1


def test_an_event_delivered_twice_counts_once() -> None:
    desk = one_agent_desk()
    desk.open(ticket("T1"))
    reply = Message(at=T0 + M, author="customer", id="hook-7")
    desk.record("T1", reply)
    desk.record("T1", reply)
    assert len(desk.ticket("T1").events) == 2  # the desk's assignment and the message


def test_a_ticket_opened_twice_is_routed_once() -> None:
    desk = one_agent_desk(capacity=5)
    first = desk.open(ticket("T1"))
    assert desk.open(ticket("T1")) is first
    assert desk.loads["a1"] == {Channel.EMAIL: 1}


def test_a_late_event_is_inserted_in_order_and_the_clocks_recomputed() -> None:
    desk = one_agent_desk()
    desk.open(ticket("T1"))
    desk.record("T1", StatusChange(at=T0 + 30 * M, status="pending"))
    desk.record("T1", Message(at=T0 + 10 * M, author="agent"))  # late webhook
    events = desk.ticket("T1").events
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert desk.due_within(timedelta(hours=3), now=T0 + 31 * M) == ()


def test_a_few_seconds_of_clock_skew_never_raise() -> None:
    desk = one_agent_desk()
    desk.open(ticket("T1", at=T0 + 3 * timedelta(seconds=1)), now=T0)
    desk.record("T1", Message(at=T0, author="customer"))  # 3 s before the ticket's creation
    assert desk.ticket("T1").events[-1].at == T0 + 3 * timedelta(seconds=1)
    assert len(desk.due_within(timedelta(hours=2), now=T0)) == 1


def test_an_event_long_before_the_ticket_is_refused() -> None:
    desk = one_agent_desk()
    desk.open(ticket("T1"))
    with pytest.raises(EventOrderError, match="max_skew"):
        desk.record("T1", Message(at=T0 - timedelta(hours=1)))


def test_removing_an_agent_routes_its_tickets_again() -> None:
    desk = Desk(policy=POLICY, router=Router(), now=T0, agents=[Agent(id="a1"), Agent(id="b")])
    desk.open(ticket("T1"))
    holder = desk.reservations["T1"]
    desk.remove_agent(holder, now=T0 + M)
    assert desk.reservations["T1"] != holder
    assert desk.ticket("T1").assignee == desk.reservations["T1"]


def test_a_blocking_call_holds_other_work_back() -> None:
    desk = Desk(
        policy=POLICY,
        router=Router(weights=ChannelWeights(fills=(), blocking={"phone"})),
        now=T0,
        agents=[
            Agent(
                id="a1", channels={"phone", "email"}, capacity_by_channel={"phone": 1, "email": 10}
            )
        ],
    )
    desk.open(ticket("T1", channel="phone"))
    assert desk.open(ticket("T2")).agent_id is None
    desk.record("T1", StatusChange(at=T0 + M, status="solved"))
    assert desk.reservations == {"T2": "a1"}


# ---------------------------------------------------------------------- SLA index and alarms


def test_alarms_come_once_each() -> None:
    desk = one_agent_desk()
    desk.open(ticket("T1"))
    assert desk.next_wakeup() == T0 + 30 * M
    first = desk.alarms(now=T0 + 31 * M)
    assert [(a.kind, a.level) for a in first] == [(AlarmKind.WARNING, "1")]
    assert desk.alarms(now=T0 + 32 * M) == ()
    later = desk.alarms(now=T0 + 61 * M)
    assert [a.kind for a in later] == [AlarmKind.BREACH, AlarmKind.ESCALATION]
    assert desk.alarms(now=T0 + 90 * M) == ()


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10**6))
def test_due_within_equals_a_full_re_evaluation_through_a_day(seed: int) -> None:
    day = simulated_day(seed=seed, tickets=40, agents=3, hours=3)
    desk = Desk(policy=day_policy(), router=day_router(), agents=day.agents, now=DAY_START)
    checks = 0
    for n, d in enumerate(day.deliveries):
        replay(desk, [d])
        if n % 7 == 0:
            now = desk.now + timedelta(seconds=n % 50)
            for window in (timedelta(minutes=10), timedelta(hours=1), timedelta(hours=9)):
                assert desk.due_within(window, now=now) == full_due_within(desk, window, now)
            checks += 1
    assert checks > 10


# ---------------------------------------------------------------------- persistence


def test_snapshot_and_restore_at_mid_day_end_as_a_run_without_restart() -> None:
    day = simulated_day(seed=7, tickets=150, agents=6, hours=4)
    policy, router = day_policy(), day_router()
    mid = DAY_START + timedelta(hours=2)

    straight = Desk(policy=policy, router=router, agents=day.agents, now=DAY_START)
    replay(straight, day.deliveries, until=mid)
    straight_alarms = straight.alarms(now=mid)
    replay(straight, [d for d in day.deliveries if d.at > mid])

    restarted = Desk(policy=policy, router=router, agents=day.agents, now=DAY_START)
    replay(restarted, day.deliveries, until=mid)
    assert restarted.alarms(now=mid) == straight_alarms
    text = json.dumps(restarted.snapshot(), allow_nan=False)
    restarted = Desk.restore(json.loads(text), policy=policy, router=router)
    replay(restarted, [d for d in day.deliveries if d.at > mid])

    assert restarted.snapshot() == straight.snapshot()
    end = straight.now
    assert restarted.alarms(now=end) == straight.alarms(now=end)
    assert restarted.due_within(timedelta(hours=8)) == straight.due_within(timedelta(hours=8))


def test_a_snapshot_that_is_not_one_is_a_serialization_error() -> None:
    with pytest.raises(SerializationError, match="version"):
        Desk.restore({"tickets": []}, policy=POLICY, router=Router())


def test_an_assignment_outside_to_a_full_agent_is_kept_without_a_reservation() -> None:
    agents = [Agent(id="a1", capacity_by_channel={"email": 1}), Agent(id="a2")]
    desk = Desk(policy=POLICY, router=Router(), now=T0, agents=agents)
    desk.open(ticket("T1"))
    desk.open(ticket("T2"))
    assert desk.reservations == {"T1": "a1", "T2": "a2"}
    desk.record("T2", Assignment(at=T0 + M, agent_id="a1"))
    desk.record("T2", Message(at=T0 + 2 * M, author="customer"))
    assert desk.ticket("T2").assignee == "a1"
    assert desk.kept == {"T2": "a1"}
    assert desk.reservations == {"T1": "a1"}


def test_a_ticket_arriving_assigned_keeps_its_agent() -> None:
    desk = one_agent_desk()
    arrived = ticket("T1").with_event(Assignment(at=T0, agent_id="a1"))
    decision = desk.open(arrived)
    assert decision.agent_id == "a1"
    assert decision.trace == ("kept: assigned to a1 outside the desk",)
    assert desk.reservations == {"T1": "a1"}


HCM_CAL = BusinessCalendar(
    timezone="Asia/Ho_Chi_Minh",
    hours={d: [("08:00", "12:00"), ("13:30", "17:30")] for d in ("mon", "tue", "wed")},
    holidays=[date(2026, 3, 3)],
)


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10**6))
def test_due_within_equals_a_full_re_evaluation_in_business_hours(seed: int) -> None:
    base = day_policy()
    policy = SlaPolicy(
        name="business",
        calendar=HCM_CAL,
        targets=[attrs.evolve(t, business_hours=True) for t in base.targets],
    )
    day = simulated_day(
        seed=seed, tickets=30, agents=3, hours=6, start=DAY_START - timedelta(hours=3)
    )
    desk = Desk(policy=policy, router=day_router(), agents=day.agents, now=day.deliveries[0].at)
    for n, d in enumerate(day.deliveries):
        replay(desk, [d])
        if n % 9 == 0:
            now = desk.now + timedelta(minutes=n % 40)
            for window in (timedelta(hours=1), timedelta(days=2)):
                assert desk.due_within(window, now=now) == full_due_within(desk, window, now)


def test_a_closed_ticket_can_be_forgotten_and_an_open_one_cannot() -> None:
    desk = one_agent_desk()
    desk.open(ticket("T1"))
    with pytest.raises(InvalidValueError, match="only a solved or closed"):
        desk.forget("T1")
    desk.record("T1", StatusChange(at=T0 + M, status="closed"))
    assert desk.forget("T1").id == "T1"
    assert "T1" not in desk
    assert desk.due_within(timedelta(days=1)) == ()
    assert desk.snapshot()["tickets"] == []
