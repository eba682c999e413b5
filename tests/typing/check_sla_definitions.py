"""Type-checked in CI: the calendar and SLA definitions of issue 15 as a user would write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cs8 import Assignment, Handoff, Message, Ticket
from cs8.sla import (
    BusinessCalendar,
    DatedCalendar,
    SlaCycle,
    SlaMetric,
    SlaPolicy,
    SlaResult,
    SlaTarget,
    dump_policy,
    load_policy,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
H = timedelta(hours=1)


def calendars() -> tuple[BusinessCalendar, BusinessCalendar, DatedCalendar]:
    rota = BusinessCalendar(
        timezone="Europe/Brussels",
        hours=[{"mon": [("08:00", "16:00")]}, {"tue": [("09:00", "17:00")]}],
        cycle_start=date(2026, 3, 2),
    )
    nominal = BusinessCalendar(
        timezone="Europe/Paris", hours={"sun": [("00:00", "24:00")]}, clock="wall"
    )
    dated = BusinessCalendar.from_periods([(date(2026, 1, 1), rota), (date(2026, 6, 1), nominal)])
    return rota, nominal, dated


def working_days(cal: BusinessCalendar) -> tuple[datetime, float, datetime, datetime, datetime]:
    return (
        cal.add_business_days(T0, 3),
        cal.business_days_between(T0, T0 + 48 * H),
        cal.end_of_business_day(T0, 2),
        cal.previous_close(T0),
        cal.previous_open(T0),
    )


def slas(dated: DatedCalendar) -> tuple[SlaResult, ...]:
    policy = SlaPolicy(
        name="ola",
        calendar=dated,
        schedule="latest",
        targets=(
            SlaTarget(
                metric=SlaMetric.FIRST_REPLY,
                within=H,
                on_reopen="resume",
                reply_clock_start="last_handoff_or_reopen",
                condition={"field": "ticket.tags", "op": "has", "value": "vip"},
            ),
            SlaTarget(metric=SlaMetric.GROUP_OWNERSHIP, within=2 * H, group="tier2"),
        ),
    )
    assert load_policy(dump_policy(policy)) == policy
    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=T0,
        tags={"vip"},
        events=[
            Handoff(at=T0 + H),
            Assignment(at=T0 + H, agent_id="a1", group="tier2"),
            Message(at=T0 + 2 * H, author="agent"),
        ],
    )
    return policy.evaluate(ticket, now=T0 + 3 * H)


def groups(results: tuple[SlaResult, ...]) -> list[str | None]:
    cycles: list[SlaCycle] = [c for r in results for c in r.cycles]
    return [r.group for r in results] + [c.group for c in cycles]


def main() -> None:
    rota, _, dated = calendars()
    working_days(rota)
    groups(slas(dated))


if __name__ == "__main__":
    main()
