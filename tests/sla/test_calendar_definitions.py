"""The calendar definitions of issue 15, pinned to the peers' published numbers.

Sources (each case names its file and test):

* Odoo, ``addons/resource/tests/test_resource.py`` (``TestCalendar``, ``TestResMixin``) with the
  calendars of ``addons/resource/tests/common.py`` (``calendar_jean``: Europe/Brussels, Monday to
  Friday 8-16; ``calendar_patel``: Etc/GMT-6, Monday to Friday 9-12 and 13-17;
  ``calendar_john``: America/Los_Angeles, Tuesday 8-16, Friday 8-13 and 16-23;
  ``calendar_jules``: Europe/Brussels, a two-week rotation).
* The working_hours gem (Intrepidd/working_hours), ``spec/working_hours/computation_spec.rb``; its
  default configuration is Monday to Friday 09:00-17:00 in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cs8.exceptions import CalendarError
from cs8.sla import BusinessCalendar

BRUSSELS = ZoneInfo("Europe/Brussels")
GMT_MINUS_6 = ZoneInfo("Etc/GMT-6")  # UTC+6
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def _jean(**kwargs: object) -> BusinessCalendar:
    return BusinessCalendar(
        timezone="Europe/Brussels", hours={d: [("08:00", "16:00")] for d in WEEKDAYS}, **kwargs
    )


def _patel(**kwargs: object) -> BusinessCalendar:
    return BusinessCalendar(
        timezone="Etc/GMT-6",
        hours={d: [("09:00", "12:00"), ("13:00", "17:00")] for d in WEEKDAYS},
        **kwargs,
    )


JOHN = BusinessCalendar(
    timezone="America/Los_Angeles",
    hours={"tue": [("08:00", "16:00")], "fri": [("08:00", "13:00"), ("16:00", "23:00")]},
)
# Odoo's week type is floor((ordinal - 1) / 7) % 2, so the week of 0001-01-01 has type "0".
JULES = BusinessCalendar(
    timezone="Europe/Brussels",
    hours=[
        {"mon": [("08:00", "16:00")], "tue": [("09:00", "17:00")]},
        {
            "mon": [("08:00", "16:00")],
            "wed": [("07:00", "15:00")],
            "thu": [("08:00", "16:00")],
            "fri": [("10:00", "16:00")],
        },
    ],
    cycle_start=date(1, 1, 1),
)
GEM = BusinessCalendar(timezone="UTC", hours={d: [("09:00", "17:00")] for d in WEEKDAYS})


def _b(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# -- zero-length closures ------------------------------------------------------------------------


def test_odoo_zero_length_leave_removes_nothing() -> None:
    # test_resource.py TestCalendar.test_get_work_hours_count "leave of size 0": 35 hours.
    a = datetime(2018, 4, 3, tzinfo=GMT_MINUS_6)
    cal = _patel(closures=[(a, a)])
    start = datetime(2018, 4, 2, tzinfo=GMT_MINUS_6)
    end = datetime(2018, 4, 6, 23, 59, 59, tzinfo=GMT_MINUS_6)
    assert timedelta(hours=35) == cal.business_duration(start, end)


def test_odoo_zero_length_leave_keeps_five_work_days() -> None:
    # test_resource.py TestResMixin.test_work_days_data "leave size 0": 5 days, 40 hours.
    a = _b(2018, 4, 2, 10)
    cal = _jean(closures=[(a, a)])
    start, end = _b(2018, 4, 2), _b(2018, 4, 6, 23)
    assert (5.0, timedelta(hours=40)) == (
        cal.business_days_between(start, end),
        cal.business_duration(start, end),
    )


def test_a_zero_length_closure_is_kept_in_the_calendar_value() -> None:
    a = _utc(2026, 5, 4, 14)
    assert ((a, a),) == GEM.__class__(
        timezone="UTC", hours=dict(GEM.hours), closures=[(a, a)]
    ).closures  # type: ignore[arg-type]


# -- rotating weekly patterns --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("monday", "hours"),
    [
        # test_resource.py TestCalendar.test_get_work_hours_count "2 weeks calendar week 1": 30 h.
        (date(2018, 4, 2), 30),
        # ... "2 weeks calendar week 1" two weeks later: 30 h.
        (date(2018, 4, 16), 30),
        # ... "2 weeks calendar week 2": 16 h.
        (date(2018, 4, 9), 16),
    ],
)
def test_odoo_two_week_calendar_hours(monday: date, hours: int) -> None:
    start = datetime(monday.year, monday.month, monday.day, tzinfo=BRUSSELS)
    friday = monday + timedelta(days=4)
    end = datetime(friday.year, friday.month, friday.day, 23, 59, 59, tzinfo=BRUSSELS)
    assert timedelta(hours=hours) == JULES.business_duration(start, end)


def test_odoo_two_week_calendar_leave_on_a_worked_day() -> None:
    # test_resource.py TestCalendar.test_get_work_hours_count "2 weeks calendar week 2, leave
    # during a day where he works this week": 8 hours.
    cal = BusinessCalendar(
        timezone=JULES.timezone,
        hours=list(JULES.weeks),
        cycle_start=JULES.cycle_start,
        closures=[(_b(2018, 4, 9), _b(2018, 4, 9, 23, 59))],
    )
    assert timedelta(hours=8) == cal.business_duration(_b(2018, 4, 9), _b(2018, 4, 13, 23, 59, 59))


def test_a_rotation_needs_a_cycle_start() -> None:
    with pytest.raises(CalendarError, match="give cycle_start"):
        BusinessCalendar(timezone="UTC", hours=[{"mon": [("09:00", "17:00")]}, {}])


def test_a_rotation_error_names_the_week() -> None:
    with pytest.raises(CalendarError, match="week 1 of the rotation"):
        BusinessCalendar(
            timezone="UTC", hours=[{}, {"mon": [("09:00", "09:00")]}], cycle_start=date(2026, 1, 5)
        )


def test_a_list_of_one_pattern_is_that_pattern() -> None:
    one = BusinessCalendar(timezone="UTC", hours=[{"mon": [("09:00", "17:00")]}])
    assert one == BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})


# -- working-day arithmetic ----------------------------------------------------------------------


def test_odoo_plan_days_one_day_ends_at_the_first_close() -> None:
    # test_resource.py TestCalendar.test_plan_days, plan_days(1, 2018-04-10 00:00): 04-10 16:00.
    assert _b(2018, 4, 10, 16) == _jean().end_of_business_day(_b(2018, 4, 10), 1)


def test_odoo_plan_days_three_days() -> None:
    # test_resource.py TestCalendar.test_plan_days, plan_days(3, 2018-04-10 00:00): 04-12 16:00.
    assert _b(2018, 4, 12, 16) == _jean().end_of_business_day(_b(2018, 4, 10), 3)


def test_odoo_plan_days_skips_a_day_closed_all_day() -> None:
    # test_resource.py TestCalendar.test_plan_days, global leave 2018-04-11 00:00-23:59:59 and
    # plan_days(4, 2018-04-10 16:00, compute_leaves=True): 04-17 16:00.
    cal = _jean(closures=[(_b(2018, 4, 11), _b(2018, 4, 11, 23, 59, 59))])
    assert _b(2018, 4, 17, 16) == cal.end_of_business_day(_b(2018, 4, 10, 16), 4)


def test_odoo_plan_days_backwards_returns_an_opening() -> None:
    # test_resource.py TestCalendar.test_plan_days, plan_days(-10, 2018-04-10 00:00): 03-27 08:00.
    assert _b(2018, 3, 27, 8) == _jean().end_of_business_day(_b(2018, 4, 10), -10)


def test_odoo_plan_days_zero_returns_the_start() -> None:
    # test_resource.py TestCalendar.test_plan_days "zero planning": the start itself.
    assert _b(2018, 4, 10) == _jean().end_of_business_day(_b(2018, 4, 10), 0)


def _odoo_days(value: float) -> float:
    """Odoo rounds work days to 1/16 of a day (resource.py ROUNDING_FACTOR)."""
    return round(value * 16) / 16


@pytest.mark.parametrize(
    ("calendar", "start", "end", "days"),
    [
        # test_resource.py TestResMixin.test_work_days_data, Jean as Jean: 5 days.
        (_jean(), _b(2018, 4, 2), _b(2018, 4, 6, 16), 5.0),
        # ... Jean viewed as Patel (2018-04-01 20:00 to 04-06 12:00 in Brussels): 4.5 days.
        (
            _jean(),
            datetime(2018, 4, 2, tzinfo=GMT_MINUS_6),
            datetime(2018, 4, 6, 16, tzinfo=GMT_MINUS_6),
            4.5,
        ),
        # ... Jean viewed as John: 4.875 days (39 hours).
        (
            _jean(),
            datetime(2018, 4, 2, tzinfo=LOS_ANGELES),
            datetime(2018, 4, 6, 16, tzinfo=LOS_ANGELES),
            4.875,
        ),
        # ... John's calendar viewed as Jean: 1.4375 days (Odoo's 1/16 rounding of 1 + 5/12).
        (JOHN, _b(2018, 4, 2), _b(2018, 4, 6, 23), 1.4375),
        # ... John's calendar viewed as Patel: 1.1875 days (1 + 2/12, rounded).
        (
            JOHN,
            datetime(2018, 4, 2, tzinfo=GMT_MINUS_6),
            datetime(2018, 4, 6, 23, tzinfo=GMT_MINUS_6),
            1.1875,
        ),
        # ... John's calendar viewed as John: 2 days.
        (
            JOHN,
            datetime(2018, 4, 2, tzinfo=LOS_ANGELES),
            datetime(2018, 4, 6, 23, tzinfo=LOS_ANGELES),
            2.0,
        ),
        # ... "half days": a leave 2018-04-02 10:00-14:00 leaves 4.5 days.
        (
            _jean(closures=[(_b(2018, 4, 2, 10), _b(2018, 4, 2, 14))]),
            _b(2018, 4, 2),
            _b(2018, 4, 6, 23),
            4.5,
        ),
    ],
)
def test_odoo_work_days_data(
    calendar: BusinessCalendar, start: datetime, end: datetime, days: float
) -> None:
    assert days == _odoo_days(calendar.business_days_between(start, end))


def test_business_days_between_is_fractional_before_odoo_rounding() -> None:
    # John's calendar viewed as Jean (above): Tuesday's 8 of 8 hours and Friday's 5 of 12 hours.
    assert pytest.approx(1 + 5 / 12) == JOHN.business_days_between(
        _b(2018, 4, 2), _b(2018, 4, 6, 23)
    )


def test_business_days_between_reversed_is_negative() -> None:
    a, b = _b(2018, 4, 2), _b(2018, 4, 6, 16)
    assert -_jean().business_days_between(a, b) == _jean().business_days_between(b, a)


@pytest.mark.parametrize(
    ("start", "n", "expected", "calendar"),
    [
        # computation_spec.rb #add_days "can add working days to time": Friday 14:00:42 + 1.
        (_utc(1991, 11, 15, 14, 0, 42), 1, _utc(1991, 11, 18, 14, 0, 42), GEM),
        # ... "can add working days to date": Friday + 2 is Tuesday.
        (_utc(1991, 11, 15), 2, _utc(1991, 11, 19), GEM),
        # ... "can substract working days from date": Friday - 7 is the Wednesday before.
        (_utc(1991, 11, 15), -7, _utc(1991, 11, 6), GEM),
        # ... "skips non worked days": Monday + 1 with Monday and Wednesday hours is Wednesday.
        (
            _utc(2014, 4, 7),
            1,
            _utc(2014, 4, 9),
            BusinessCalendar(
                timezone="UTC", hours={"mon": [("09:00", "17:00")], "wed": [("09:00", "17:00")]}
            ),
        ),
        # ... "skips holidays": Monday + 1 over a Tuesday holiday is Wednesday.
        (
            _utc(2014, 4, 7),
            1,
            _utc(2014, 4, 9),
            BusinessCalendar(timezone="UTC", hours=dict(GEM.hours), holidays=[date(2014, 4, 8)]),  # type: ignore[arg-type]
        ),
        # ... "skips holidays and non worked days": Monday + 3 is 2014-04-21.
        (
            _utc(2014, 4, 7),
            3,
            _utc(2014, 4, 21),
            BusinessCalendar(
                timezone="UTC",
                hours={"mon": [("09:00", "17:00")], "wed": [("09:00", "17:00")]},
                holidays=[date(2014, 4, 9)],
            ),
        ),
        # ... "accepts time given from any time zone": Thursday 21:00 UTC is Friday 06:00 in
        # Tokyo; one working day later is Monday 06:00 Tokyo.
        (
            _utc(1991, 11, 14, 21),
            1,
            datetime(1991, 11, 18, 6, tzinfo=ZoneInfo("Asia/Tokyo")),
            BusinessCalendar(timezone="Asia/Tokyo", hours=dict(GEM.hours)),  # type: ignore[arg-type]
        ),
    ],
)
def test_working_hours_add_days(
    start: datetime, n: int, expected: datetime, calendar: BusinessCalendar
) -> None:
    assert expected == calendar.add_business_days(start, n)


def test_add_business_days_from_a_day_off_counts_from_that_day() -> None:
    # computation_spec.rb "skips non worked days when origin is not worked" (newer gem versions)
    # first moves a Tuesday off-day to Wednesday and answers Thursday for +1; cs8 counts the n-th
    # business day after the start's date, as issue 15 defines it: Wednesday.
    cal = BusinessCalendar(
        timezone="UTC",
        hours={d: [("09:00", "17:00")] for d in ("mon", "wed", "thu", "sun")},
    )
    assert _utc(2014, 4, 9) == cal.add_business_days(_utc(2014, 4, 8), 1)


def test_add_business_days_zero_returns_the_start() -> None:
    t = _utc(2026, 3, 7, 12)
    assert t == GEM.add_business_days(t, 0)


def test_add_business_days_without_business_days_raises() -> None:
    cal = BusinessCalendar(timezone="UTC", hours={})
    with pytest.raises(CalendarError, match="no business day within ten years"):
        cal.add_business_days(_utc(2026, 3, 7), 1)


# -- snapping backwards --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "expected", "calendar"),
    [
        # computation_spec.rb #return_to_working_time "returns self during working hours".
        (_utc(2014, 4, 7, 9, 1), _utc(2014, 4, 7, 9, 1), GEM),
        (_utc(2014, 4, 7, 17), _utc(2014, 4, 7, 17), GEM),
        # ... "jumps outside working hours".
        (_utc(2014, 4, 7, 17, 1), _utc(2014, 4, 7, 17), GEM),
        (_utc(2014, 4, 8, 9), _utc(2014, 4, 7, 17), GEM),
        # ... "jumps non-working day" (a holiday, then a Sunday).
        (
            _utc(2014, 5, 1, 12),
            _utc(2014, 4, 30, 17),
            BusinessCalendar(timezone="UTC", hours=dict(GEM.hours), holidays=[date(2014, 5, 1)]),  # type: ignore[arg-type]
        ),
        (_utc(2014, 6, 1, 12), _utc(2014, 5, 30, 17), GEM),
        # ... "move between timespans" (Monday 07:00-12:00 and 13:00-18:00).
        *(
            (
                t,
                e,
                BusinessCalendar(
                    timezone="UTC", hours={"mon": [("07:00", "12:00"), ("13:00", "18:00")]}
                ),
            )
            for t, e in [
                (_utc(2014, 4, 7, 13, 1), _utc(2014, 4, 7, 13, 1)),
                (_utc(2014, 4, 7, 13), _utc(2014, 4, 7, 12)),
                (_utc(2014, 4, 7, 12, 1), _utc(2014, 4, 7, 12)),
                (_utc(2014, 4, 7, 12), _utc(2014, 4, 7, 12)),
            ]
        ),
        # ... "works with any input timezone": Monday 01:00 -09:00 is 10:00 UTC, working time.
        (datetime(2014, 4, 7, 1, tzinfo=ZoneInfo("Etc/GMT+9")), _utc(2014, 4, 7, 10), GEM),
    ],
)
def test_working_hours_return_to_working_time(
    t: datetime, expected: datetime, calendar: BusinessCalendar
) -> None:
    assert expected == calendar.previous_close(t)


def test_previous_open_joins_touching_stretches() -> None:
    cal = BusinessCalendar(
        timezone="UTC", hours={"mon": [("22:00", "24:00")], "tue": [("00:00", "02:00")]}
    )
    assert _utc(2026, 3, 2, 22) == cal.previous_open(_utc(2026, 3, 3, 5))


def test_previous_open_of_an_always_open_calendar_raises() -> None:
    with pytest.raises(CalendarError, match="open for more than 400 days"):
        BusinessCalendar.always_open().previous_open(_utc(2026, 3, 3))


# -- nominal (wall-clock) hours ------------------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")


def _all_day(clock: str) -> BusinessCalendar:
    return BusinessCalendar(
        timezone="Europe/Paris",
        hours={d: [("00:00", "24:00")] for d in (*WEEKDAYS, "sat", "sun")},
        clock=clock,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("day", "elapsed"),
    [(date(2026, 10, 25), timedelta(hours=25)), (date(2026, 3, 29), timedelta(hours=23))],
)
def test_wall_clock_counts_a_dst_day_as_24_hours(day: date, elapsed: timedelta) -> None:
    # The working_hours gem counts nominal hours: computation_spec.rb #working_time_between
    # "supports midnight" gives 24 hours per 00:00-24:00 day, and its wall-clock arithmetic keeps
    # 24 on the Paris fall-back Sunday (issue 15). cs8's default keeps real elapsed time.
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    nxt = day + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=PARIS)
    assert (timedelta(hours=24), elapsed) == (
        _all_day("wall").business_duration(start, end),
        _all_day("elapsed").business_duration(start, end),
    )


def test_wall_clock_adds_nominal_hours_across_fall_back() -> None:
    cal = BusinessCalendar(
        timezone="Europe/Paris", hours={"sun": [("00:00", "24:00")]}, clock="wall"
    )
    start = datetime(2026, 10, 25, tzinfo=PARIS)
    assert datetime(2026, 10, 25, 12, tzinfo=PARIS) == cal.add_business_time(
        start, timedelta(hours=12)
    )


def test_an_unknown_clock_raises() -> None:
    with pytest.raises(CalendarError, match="clock must be 'elapsed' or 'wall'"):
        BusinessCalendar(timezone="UTC", hours={}, clock="solar")  # type: ignore[arg-type]


def test_wall_clock_batch_forms_equal_the_scalar_forms() -> None:
    cal = _all_day("wall")
    starts = [datetime(2026, 10, 24, 12, tzinfo=PARIS), datetime(2026, 3, 28, tzinfo=PARIS)]
    ends = [datetime(2026, 10, 26, tzinfo=PARIS), datetime(2026, 3, 30, tzinfo=PARIS)]
    amounts = [timedelta(hours=30), timedelta(hours=-5)]
    assert (
        [cal.business_duration(a, b) for a, b in zip(starts, ends, strict=True)],
        [cal.add_business_time(a, d) for a, d in zip(starts, amounts, strict=True)],
    ) == (cal.business_durations(starts, ends), cal.add_business_times(starts, amounts))


def test_wall_clock_survives_pickling() -> None:
    import pickle

    cal = _all_day("wall")
    assert cal == pickle.loads(pickle.dumps(cal))


# -- moment-business-time (lennym/moment-business-time, test/spec.business-hours.js) -------------
# Its default locale is Monday to Friday 09:00-17:00; `now` is 2015-02-26T10:12:34 (a Thursday).

MBT = GEM
MBT_NOW = _utc(2015, 2, 26, 10, 12, 34)


@pytest.mark.parametrize(
    ("start", "n", "expected_date"),
    [
        # addWorkingTime "adds working days onto date": +2, +10, +100.
        (MBT_NOW, 2, date(2015, 3, 2)),
        (MBT_NOW, 10, date(2015, 3, 12)),
        (MBT_NOW, 100, date(2015, 7, 16)),
        # ... "handles singular as well as plural units": +1.
        (MBT_NOW, 1, date(2015, 2, 27)),
        # ... "if called on a non-business day then starts from the first business day".
        (_utc(2015, 2, 28, 10, 13), 1, date(2015, 3, 2)),
        # ... "can add negative days".
        (MBT_NOW, -1, date(2015, 2, 25)),
        # subtractWorkingTime "takes working days off date" (now 2015-02-26T16:12:34): 2, 10.
        (_utc(2015, 2, 26, 16, 12, 34), -2, date(2015, 2, 24)),
        (_utc(2015, 2, 26, 16, 12, 34), -10, date(2015, 2, 12)),
        # ... "if called on a non-business day" (Sunday 2015-03-01): 1.
        (_utc(2015, 3, 1, 16, 12, 34), -1, date(2015, 2, 27)),
        # ... "can subtract negative days": -2.
        (_utc(2015, 2, 26, 16, 12, 34), 2, date(2015, 3, 2)),
    ],
)
def test_moment_business_time_add_working_days(
    start: datetime, n: int, expected_date: date
) -> None:
    assert expected_date == MBT.add_business_days(start, n).date()


def test_moment_business_time_add_working_days_skips_holidays() -> None:
    # "holidays" "does not include holidays when adding working time": 2015-02-26 + 3 days with
    # 2015-02-27 a holiday is 2015-03-04.
    cal = BusinessCalendar(timezone="UTC", hours=dict(GEM.hours), holidays=[date(2015, 2, 27)])  # type: ignore[arg-type]
    assert date(2015, 3, 4) == cal.add_business_days(_utc(2015, 2, 26), 3).date()


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        # workingDiff "calculates the difference between dates in working days" (detail = true).
        (_utc(2015, 2, 27, 10), _utc(2015, 2, 27, 15), 0.625),
        (_utc(2015, 2, 26, 10), _utc(2015, 2, 27, 15), 1.625),
        (_utc(2015, 2, 21, 10), _utc(2015, 2, 27, 15), 4.75),
        (_utc(2015, 2, 27, 15), _utc(2015, 2, 21, 10), -4.75),
    ],
)
def test_moment_business_time_working_diff_in_days(
    start: datetime, end: datetime, days: float
) -> None:
    assert days == MBT.business_days_between(start, end)


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        # lastWorkingTime: on a weekend, after closing, before opening, during opening hours.
        (_utc(2015, 2, 28, 10, 13), _utc(2015, 2, 27, 17)),
        (_utc(2015, 2, 26, 17, 30), _utc(2015, 2, 26, 17)),
        (_utc(2015, 2, 26, 7, 30), _utc(2015, 2, 25, 17)),
        (MBT_NOW, MBT_NOW),
    ],
)
def test_moment_business_time_last_working_time(t: datetime, expected: datetime) -> None:
    assert expected == MBT.previous_close(t)


def test_moment_business_time_last_transition_during_hours_is_the_opening() -> None:
    # lastTransitionTime "returns the start of the current working period if called during opening
    # hours": 2015-02-26 09:00.
    assert _utc(2015, 2, 26, 9) == MBT.previous_open(MBT_NOW)
