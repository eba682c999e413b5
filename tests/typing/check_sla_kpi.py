"""Type-checked in CI: cs8.sla and cs8.kpi used as a user would write them (also run by pytest)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cs8 import Interaction, Message, Priority, StatusChange, Ticket
from cs8.kpi import (
    DurationStats,
    NpsResult,
    Rate,
    RateState,
    Staffing,
    csat,
    erlang_c,
    first_reply_time,
    nps,
    reopen_rate,
    required_agents,
    service_level,
    ticket_summary,
)
from cs8.sla import BusinessCalendar, SlaMetric, SlaPolicy, SlaResult, SlaState, SlaTarget

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
H = timedelta(hours=1)


def calendar() -> BusinessCalendar:
    return BusinessCalendar(
        timezone="Asia/Ho_Chi_Minh",
        hours={"mon": [("08:00", "12:00"), ("13:30", "17:30")], "sat": [("08:00", "12:00")]},
        holidays=[date(2026, 9, 2)],
        overrides={date(2026, 12, 24): [("08:00", "12:00")]},
    )


def clock(cal: BusinessCalendar) -> tuple[timedelta, datetime, bool]:
    due = cal.add_business_time(T0, 2 * H)
    return cal.business_duration(T0, due), due, cal.is_open(T0)


def ticket() -> Ticket:
    return Ticket(
        id="T1",
        customer_id="C1",
        channel="email",
        created_at=T0,
        priority=Priority.HIGH,
        events=[Message(at=T0 + H, author="agent"), StatusChange(at=T0 + 2 * H, status="solved")],
    )


def sla(cal: BusinessCalendar, t: Ticket) -> tuple[SlaResult, ...]:
    policy = SlaPolicy(
        name="standard",
        calendar=cal,
        targets=(SlaTarget(metric=SlaMetric.FIRST_REPLY, within=4 * H, priority=Priority.HIGH),),
    )
    return policy.evaluate(t, now=T0 + 3 * H)


def kpis(t: Ticket) -> tuple[DurationStats, Rate, NpsResult, Rate]:
    frt = first_reply_time([t])
    reopened = reopen_rate([t])
    score = nps([10, 9, 7, 3])
    satisfied = csat([5, 4, 2], scale=5, positive_from=4)
    return frt, reopened, score, satisfied


def contact_centre() -> tuple[Rate, Staffing, Staffing]:
    call = Interaction(
        id="I1",
        customer_id="C1",
        channel="phone",
        started_at=T0,
        answered_at=T0 + timedelta(seconds=12),
    )
    level = service_level([call], threshold=timedelta(seconds=20), abandon_policy="negative")
    period, aht = timedelta(minutes=30), timedelta(seconds=180)
    c = erlang_c(
        calls=100, period=period, aht=aht, agents=14, target_answer_time=timedelta(seconds=20)
    )
    need = required_agents(
        calls=100, period=period, aht=aht, target_answer_time=timedelta(seconds=20), shrinkage=0.3
    )
    return level, c, need


def merge() -> float:
    halves = RateState.of([True, False]) + RateState.of([True])
    return halves.result().value


def main() -> None:
    cal = calendar()
    assert clock(cal)[0] == 2 * H
    t = ticket()
    results = sla(cal, t)
    assert results[0].state is SlaState.ACHIEVED
    frt, reopened, score, satisfied = kpis(t)
    assert frt.median == H
    assert reopened.n == 1
    assert score.value == 25.0
    assert satisfied.successes == 2
    level, c, need = contact_centre()
    assert level.value == 1.0
    assert c.agents == 14
    assert (need.agents, need.scheduled) == (14, 20)
    assert merge() == 2 / 3
    assert ticket_summary([t]).one_touch_rate.value == 1.0
