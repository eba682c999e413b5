"""time.date in the rule language: the decision's local date in the router's calendar zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cs8 import Agent, Ticket
from cs8.routing import Router, RoutingContext, load_rules, resolve_field
from cs8.sla import BusinessCalendar

# Vietnam's Reunification Day and Labour Day (30 April, 1 May) are public holidays (Labour Code
# 2019, Article 112); the rule routes them to a holiday queue.
HOLIDAYS = load_rules(
    {
        "rules": [
            {
                "name": "holiday",
                "when": {"field": "time.date", "op": "in", "value": ["2026-04-30", "2026-05-01"]},
                "actions": {"queue": "holiday"},
            }
        ],
        "default": {"queue": "normal"},
    }
)
CAL = BusinessCalendar(timezone="Asia/Ho_Chi_Minh", hours={"mon": [("08:00", "17:00")]})


def test_the_date_is_read_in_the_calendars_zone() -> None:
    # 18:30 UTC on 29 April is 01:30 on 30 April in Ho Chi Minh City (UTC+7).
    at = datetime(2026, 4, 29, 18, 30, tzinfo=UTC)
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=at)
    for explain in (True, False):
        assert (
            Router(rules=HOLIDAYS, calendar=CAL, explain=explain)
            .route(ticket, [Agent(id="a")], now=at)
            .queue
            == "holiday"
        )
        assert (
            Router(rules=HOLIDAYS, explain=explain).route(ticket, [Agent(id="a")], now=at).queue
            == "normal"
        )  # UTC: still 29 April
    ctx = RoutingContext(ticket=ticket, now=at, timezone="Asia/Ho_Chi_Minh")
    assert resolve_field(ctx, "time.date") == "2026-04-30"


def test_a_month_by_contains() -> None:
    rules = load_rules(
        {
            "rules": [
                {
                    "name": "december",
                    "when": {"field": "time.date", "op": "contains", "value": "-12-"},
                    "actions": {"queue": "peak"},
                }
            ]
        }
    )
    at = datetime(2026, 12, 24, 9, tzinfo=UTC)
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=at)
    assert Router(rules=rules).route(ticket, [Agent(id="a")], now=at).queue == "peak"


AFTER_HOURS = load_rules(
    {
        "rules": [
            {
                "name": "holiday",
                "when": {"field": "time.holiday", "op": "equals", "value": True},
                "actions": {"queue": "holiday"},
            },
            {
                "name": "closed",
                "when": {"field": "desk.open", "op": "equals", "value": False},
                "actions": {"queue": "after-hours"},
            },
        ],
        "default": {"queue": "open"},
    }
)
TET = BusinessCalendar(
    timezone="Asia/Ho_Chi_Minh",
    hours={day: [("08:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")},
    holidays=[date(2026, 4, 30)],
)


def queue_at(at: datetime, calendar: BusinessCalendar | None = TET) -> str | None:
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=at)
    out = set()
    for explain in (True, False):
        router = Router(rules=AFTER_HOURS, calendar=calendar, explain=explain)
        out.add(router.route(ticket, [Agent(id="a")], now=at).queue)
        out.add(router.assign([ticket], [Agent(id="a")], now=at).decisions[0].queue)
    assert len(out) == 1
    return out.pop()


def test_desk_open_and_holidays_read_the_routers_calendar() -> None:
    # 2026-04-29 is a Wednesday: 09:00 in Ho Chi Minh City (02:00 UTC) is open, 18:00 is not.
    assert queue_at(datetime(2026, 4, 29, 2, tzinfo=UTC)) == "open"
    assert queue_at(datetime(2026, 4, 29, 11, tzinfo=UTC)) == "after-hours"
    # 30 April (a Thursday) is a holiday in this calendar: closed all day, and a holiday.
    assert queue_at(datetime(2026, 4, 30, 2, tzinfo=UTC)) == "holiday"
    # Without a calendar both fields are missing and compare false: the default applies.
    assert queue_at(datetime(2026, 4, 29, 11, tzinfo=UTC), calendar=None) == "open"
