"""Worked examples from the published test suites of peers, and where cs8 differs on purpose.

Sources (each case below names its file):

* Zendesk, ``biz`` (Ruby), https://github.com/zendesk/biz, ``spec/`` (RSpec suite).
* pandas, https://github.com/pandas-dev/pandas,
  ``pandas/tests/tseries/offsets/test_custom_business_hour.py`` and ``test_business_hour.py``.
* SeatGeek, ``businesstime`` 0.3.0, https://github.com/seatgeek/businesstime,
  ``businesstime/test/__init__.py``.

Where a peer's published answer differs from cs8's, the test states cs8's answer and why: pandas rolls
a deadline that ends exactly at a close to the next opening; cs8 returns the earliest instant that
reaches the amount (the close), and the business time between the two answers is zero.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cs8.sla import BusinessCalendar

# -- Zendesk biz ---------------------------------------------------------------------------------

# biz spec/schedule_spec.rb: the schedule every calculation spec uses.
BIZ = BusinessCalendar(
    timezone="Etc/UTC",
    hours={
        "mon": [("09:00", "17:00")],
        "tue": [("10:00", "16:00")],
        "wed": [("09:00", "17:00")],
        "thu": [("10:00", "16:00")],
        "fri": [("09:00", "17:00")],
        "sat": [("11:00", "14:30")],
    },
    holidays=[date(2006, 1, 1), date(2006, 12, 25)],
)


def test_biz_for_duration_after() -> None:
    # biz spec/calculation/for_duration_spec.rb "#after": 19 h after 2006-01-02 11:00 is 01-04 16:00.
    start = datetime(2006, 1, 2, 11, tzinfo=UTC)
    assert datetime(2006, 1, 4, 16, tzinfo=UTC) == BIZ.add_business_time(start, timedelta(hours=19))


def test_biz_for_duration_before() -> None:
    # biz spec/calculation/for_duration_spec.rb "#before": 19 h before 2006-01-04 16:00 is 01-02 11:00.
    start = datetime(2006, 1, 4, 16, tzinfo=UTC)
    assert datetime(2006, 1, 2, 11, tzinfo=UTC) == BIZ.add_business_time(
        start, -timedelta(hours=19)
    )


def test_biz_duration_within_a_week() -> None:
    # biz spec/calculation/duration_within_spec.rb: 2006-01-01 .. 2006-01-08 holds 39.5 hours.
    a = datetime(2006, 1, 1, tzinfo=UTC)
    b = datetime(2006, 1, 8, tzinfo=UTC)
    assert timedelta(hours=39.5) == BIZ.business_duration(a, b)


def test_biz_duration_of_a_reversed_range_is_negative_where_biz_returns_zero() -> None:
    # biz spec/calculation/duration_within_spec.rb returns zero when the start is after the end;
    # cs8 keeps business_duration(b, a) == -business_duration(a, b).
    a = datetime(2006, 1, 1, tzinfo=UTC)
    b = datetime(2006, 1, 8, tzinfo=UTC)
    assert -timedelta(hours=39.5) == BIZ.business_duration(b, a)


def test_biz_spring_forward_time_is_an_hour_later() -> None:
    # biz spec/time_spec.rb "#on_date" non-existent (spring-forward) time: America/Los_Angeles
    # 2014-03-09 02:30 is read as 03:30.
    la = ZoneInfo("America/Los_Angeles")
    cal = BusinessCalendar(timezone="America/Los_Angeles", hours={"sun": [("02:30", "05:00")]})
    assert datetime(2014, 3, 9, 3, 30, tzinfo=la) == cal.next_open(datetime(2014, 3, 9, tzinfo=la))


def test_biz_spring_forward_endnight_is_an_hour_later() -> None:
    # biz spec/time_spec.rb non-existent "endnight": America/Sao_Paulo 2015-10-17 24:00 is
    # 2015-10-18 01:00 (clocks jumped from midnight to 01:00).
    sp = ZoneInfo("America/Sao_Paulo")
    cal = BusinessCalendar(timezone="America/Sao_Paulo", hours={"sat": [("20:00", "24:00")]})
    evening = datetime(2015, 10, 17, 21, tzinfo=sp)
    assert datetime(2015, 10, 18, 1, tzinfo=sp) == cal.next_close(evening)


def test_biz_ambiguous_time_is_the_dst_occurrence() -> None:
    # biz spec/time_spec.rb ambiguous time: America/Los_Angeles 2014-11-02 01:30 is the DST
    # (first) occurrence, 08:30 UTC.
    la = ZoneInfo("America/Los_Angeles")
    cal = BusinessCalendar(timezone="America/Los_Angeles", hours={"sun": [("01:30", "05:00")]})
    opened = cal.next_open(datetime(2014, 11, 2, tzinfo=la)).astimezone(UTC)
    assert datetime(2014, 11, 2, 8, 30, tzinfo=UTC) == opened


# -- pandas CustomBusinessHour / BusinessHour ----------------------------------------------------

# test_custom_business_hour.py: holidays = ["2014-06-27", datetime(2014, 6, 30), "2014-07-02"],
# default hours 09:00-17:00, Monday-Friday.
PANDAS = BusinessCalendar(
    timezone="UTC",
    hours={d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")},
    holidays=[date(2014, 6, 27), date(2014, 6, 30), date(2014, 7, 2)],
)


def u(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# test_custom_business_hour.py TestCustomBusinessHour.apply_cases, CustomBusinessHour(1) and (4):
# (start, hours, pandas' answer), where cs8 agrees.
PANDAS_AGREE = [
    (u(2014, 7, 1, 11), 1, u(2014, 7, 1, 12)),
    (u(2014, 7, 1, 13), 1, u(2014, 7, 1, 14)),
    (u(2014, 7, 1, 15), 1, u(2014, 7, 1, 16)),
    (u(2014, 7, 1, 19), 1, u(2014, 7, 3, 10)),
    (u(2014, 7, 1, 16, 30, 15), 1, u(2014, 7, 3, 9, 30, 15)),
    (u(2014, 7, 1, 17), 1, u(2014, 7, 3, 10)),
    (u(2014, 7, 2, 11), 1, u(2014, 7, 3, 10)),
    (u(2014, 7, 2, 8), 1, u(2014, 7, 3, 10)),
    (u(2014, 7, 2, 19), 1, u(2014, 7, 3, 10)),
    (u(2014, 7, 2, 23), 1, u(2014, 7, 3, 10)),
    (u(2014, 7, 3, 0), 1, u(2014, 7, 3, 10)),
    (u(2014, 7, 5, 15), 1, u(2014, 7, 7, 10)),
    (u(2014, 7, 4, 17), 1, u(2014, 7, 7, 10)),
    (u(2014, 7, 4, 16, 30), 1, u(2014, 7, 7, 9, 30)),
    (u(2014, 7, 4, 16, 30, 30), 1, u(2014, 7, 7, 9, 30, 30)),
    (u(2014, 7, 1, 11), 4, u(2014, 7, 1, 15)),
    (u(2014, 7, 1, 15), 4, u(2014, 7, 3, 11)),
    (u(2014, 7, 1, 16), 4, u(2014, 7, 3, 12)),
    (u(2014, 7, 1, 17), 4, u(2014, 7, 3, 13)),
    (u(2014, 7, 2, 11), 4, u(2014, 7, 3, 13)),
    (u(2014, 7, 5, 15), 4, u(2014, 7, 7, 13)),
    (u(2014, 7, 4, 16, 30), 4, u(2014, 7, 7, 12, 30)),
    (u(2014, 7, 4, 16, 30, 30), 4, u(2014, 7, 7, 12, 30, 30)),
]


@pytest.mark.parametrize(("start", "hours", "expected"), PANDAS_AGREE)
def test_pandas_custom_business_hour_apply_cases(
    start: datetime, hours: int, expected: datetime
) -> None:
    assert expected == PANDAS.add_business_time(start, timedelta(hours=hours))


# The same apply_cases where pandas rolls a deadline that ends exactly at a close to the next
# opening: (start, hours, pandas' answer, cs8's answer).
PANDAS_ROLLS = [
    (u(2014, 7, 1, 16), 1, u(2014, 7, 3, 9), u(2014, 7, 1, 17)),
    (u(2014, 7, 1, 13), 4, u(2014, 7, 3, 9), u(2014, 7, 1, 17)),
]


@pytest.mark.parametrize(("start", "hours", "pandas_answer", "expected"), PANDAS_ROLLS)
def test_cs8_returns_the_close_where_pandas_rolls_to_the_next_opening(
    start: datetime, hours: int, pandas_answer: datetime, expected: datetime
) -> None:
    actual = PANDAS.add_business_time(start, timedelta(hours=hours))
    assert (expected, timedelta(0)) == (actual, PANDAS.business_duration(actual, pandas_answer))


# test_business_hour.py TestBusinessHour.apply_cases, BusinessHour(start="19:00", end="05:00")
# and BusinessHour(n=-1, start="19:00", end="05:00"): overnight shifts Monday-Friday, each
# belonging to the day it opens (so Friday's shift runs into Saturday morning).
NIGHTS = BusinessCalendar(
    timezone="UTC", hours={d: [("19:00", "05:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
)
PANDAS_NIGHTS = [
    (u(2014, 7, 1, 17), 1, u(2014, 7, 1, 20)),
    (u(2014, 7, 2, 14), 1, u(2014, 7, 2, 20)),
    (u(2014, 7, 2, 8), 1, u(2014, 7, 2, 20)),
    (u(2014, 7, 2, 19), 1, u(2014, 7, 2, 20)),
    (u(2014, 7, 2, 4, 30), 1, u(2014, 7, 2, 19, 30)),
    (u(2014, 7, 3, 0), 1, u(2014, 7, 3, 1)),
    (u(2014, 7, 4, 10), 1, u(2014, 7, 4, 20)),
    (u(2014, 7, 4, 23), 1, u(2014, 7, 5, 0)),
    (u(2014, 7, 5, 0), 1, u(2014, 7, 5, 1)),
    (u(2014, 7, 5, 4, 30), 1, u(2014, 7, 7, 19, 30)),
    (u(2014, 7, 5, 4, 30, 30), 1, u(2014, 7, 7, 19, 30, 30)),
    (u(2014, 7, 1, 17), -1, u(2014, 7, 1, 4)),
    (u(2014, 7, 2, 14), -1, u(2014, 7, 2, 4)),
    (u(2014, 7, 2, 20), -1, u(2014, 7, 2, 19)),
    (u(2014, 7, 2, 19), -1, u(2014, 7, 2, 4)),
    (u(2014, 7, 2, 19, 30), -1, u(2014, 7, 2, 4, 30)),
    (u(2014, 7, 3, 0), -1, u(2014, 7, 2, 23)),
    (u(2014, 7, 3, 6), -1, u(2014, 7, 3, 4)),
    (u(2014, 7, 5, 4), -1, u(2014, 7, 5, 3)),
    (u(2014, 7, 7, 19, 30), -1, u(2014, 7, 5, 4, 30)),
    (u(2014, 7, 7, 19, 30, 30), -1, u(2014, 7, 5, 4, 30, 30)),
]


@pytest.mark.parametrize(("start", "hours", "expected"), PANDAS_NIGHTS)
def test_pandas_overnight_business_hour_apply_cases(
    start: datetime, hours: int, expected: datetime
) -> None:
    assert expected == NIGHTS.add_business_time(start, timedelta(hours=hours))


def test_pandas_overnight_shift_ending_at_saturday_five_is_not_rolled_to_monday() -> None:
    # test_business_hour.py: 2014-07-05 04:00 + BusinessHour(start="19:00", end="05:00") is
    # Monday 07-07 19:00 in pandas; the hour is used up at Saturday 05:00, Friday's shift's close.
    assert u(2014, 7, 5, 5) == NIGHTS.add_business_time(u(2014, 7, 5, 4), timedelta(hours=1))


# test_business_hour.py TestBusinessHour.apply_cases, BusinessHour(-1): subtraction lands on the
# opening, as in cs8.
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (u(2014, 7, 1, 10), u(2014, 7, 1, 9)),
        (u(2014, 7, 1, 9, 30, 15), u(2014, 6, 30, 16, 30, 15)),
        (u(2014, 7, 1, 5), u(2014, 6, 30, 16)),
    ],
)
def test_pandas_business_hour_minus_one_cases(start: datetime, expected: datetime) -> None:
    plain = BusinessCalendar(
        timezone="UTC", hours={d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
    )
    assert expected == plain.add_business_time(start, -timedelta(hours=1))


# -- SeatGeek businesstime -----------------------------------------------------------------------

# businesstime/test/__init__.py: BusinessTime(holidays=USFederalHolidays()), 09:00-17:00 Mon-Fri;
# January 2014 has New Year's Day (1st) and MLK Day (20th). businesstimedelta counts whole business
# days of 8 hours, so "days=2, hours=1" is 17 hours.
BT = BusinessCalendar(
    timezone="UTC",
    hours={d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")},
    holidays=[date(2014, 1, 1), date(2014, 1, 20), date(2015, 2, 16)],
)
BUSINESSTIME_CASES = [
    # (test name, start, end, business hours)
    ("after_during", u(2014, 1, 16, 18, 30), u(2014, 1, 22, 10), 17),
    ("1_minute_after_during", u(2015, 2, 23, 17, 0), u(2015, 2, 24, 14, 20), 5 + 20 / 60),
    ("1_minute_after_during", u(2015, 2, 23, 17, 1), u(2015, 2, 24, 14, 20), 5 + 20 / 60),
    ("nonbusiness_after", u(2014, 1, 12, 12), u(2014, 1, 17, 19, 30), 40),
    ("before_after", u(2014, 1, 13, 4), u(2014, 1, 17, 19, 30), 40),
    ("during_after", u(2014, 1, 30, 12, 15), u(2014, 1, 31, 19, 30), 12.75),
    ("during_before", u(2014, 8, 4, 11), u(2014, 8, 6, 5), 14),
    ("before_before", u(2014, 8, 4, 1), u(2014, 8, 4, 5), 0),
    ("after_after", u(2014, 8, 4, 22), u(2014, 8, 4, 23), 0),
    ("during_nonbusiness", u(2014, 1, 10, 16, 15), u(2014, 1, 12, 12, 30), 0.75),
    ("during_nonbusiness2", u(2014, 1, 9, 16, 15), u(2014, 1, 12, 12, 30), 8.75),
    ("after_nonbusiness", u(2014, 1, 10, 17, 15), u(2014, 1, 12, 12, 30), 0),
    ("during_during", u(2014, 1, 2, 9, 12), u(2014, 1, 3, 9, 10), 7 + 58 / 60),
    ("during_during2", u(2014, 1, 2, 9, 10), u(2014, 1, 3, 9, 12), 8 + 2 / 60),
    ("during_during3", u(2014, 1, 2, 9, 10), u(2014, 1, 2, 9, 12), 2 / 60),
    ("nonbusiness_nonbusiness", u(2014, 1, 4, 9, 10), u(2014, 1, 4, 9, 12), 0),
    ("exactly_one_day", u(2014, 1, 7, 10), u(2014, 1, 8, 10), 8),
    ("exactly_one_day2", u(2014, 1, 7, 9), u(2014, 1, 8, 9), 8),
    ("during_during_reverse", u(2014, 1, 3, 9, 10), u(2014, 1, 2, 9, 12), -(7 + 58 / 60)),
    ("hours_one_day", u(2014, 1, 16, 9), u(2014, 1, 17, 15), 14),
    ("hours_one_day_reverse", u(2014, 1, 17, 9), u(2014, 1, 16, 9), -8),
    ("out_of_hours_start", u(2014, 8, 9, 9), u(2014, 8, 11, 17), 8),
    ("out_of_hours_start_end", u(2014, 8, 9, 9), u(2014, 8, 11, 23), 8),
    ("out_of_hours_end", u(2014, 8, 8, 9), u(2014, 8, 11, 23), 16),
]


@pytest.mark.parametrize(("name", "start", "end", "hours"), BUSINESSTIME_CASES)
def test_businesstime_published_cases(
    name: str, start: datetime, end: datetime, hours: float
) -> None:
    expected = timedelta(seconds=round(hours * 3600))
    assert expected == BT.business_duration(start, end), name


def test_businesstime_returns_zero_for_some_overnight_starts_where_cs8_counts() -> None:
    # businesstime 0.3.0 returns 0 for Thursday 23:17 -> Friday 18:44 (a start after the close,
    # found by benchmarks/sla_calendar.py); Friday 09:00-17:00 is 8 business hours.
    assert timedelta(hours=8) == BT.business_duration(
        u(2026, 10, 15, 23, 17), u(2026, 10, 16, 18, 44)
    )
