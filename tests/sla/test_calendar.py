"""Hand-written cases for BusinessCalendar: specification errors, conventions, DST edges."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from cs8.exceptions import CalendarError, NaiveDatetimeError
from cs8.sla import BusinessCalendar

NY = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
SANTIAGO = ZoneInfo("America/Santiago")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
HCM = ZoneInfo("Asia/Ho_Chi_Minh")

WEEKDAYS = {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}
ALL_DAY = {day: [("00:00", "24:00")] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def h(hours: float) -> timedelta:
    return timedelta(hours=hours)


def office(tz: str = "UTC", **kwargs: object) -> BusinessCalendar:
    return BusinessCalendar(timezone=tz, hours=WEEKDAYS, **kwargs)  # type: ignore[arg-type]


# -- specification errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "fragment"),
    [
        ({"mon": [("09:00", "12:00"), ("11:00", "13:00")]}, "overlaps interval 1"),
        ({"mon": [("09:00", "12:00"), ("12:00", "13:00")]}, "touches interval 1"),
        ({"tue": [("09:00", "09:00")]}, "open equals close"),
        ({"wed": [("09:00", "25:00")]}, "'25:00' is not a time of day"),
        ({"thu": [("9h", "17:00")]}, "must look like 'HH:MM', got '9h'"),
        ({"fri": [("24:00", "06:00")]}, "only allowed as a close"),
        ({"fri": [("09:60", "17:00")]}, "is not a time of day"),
        ({"sat": [("22:00", "06:00"), ("23:00", "23:30")]}, "overlaps"),
        ({"sun": [("09:00",)]}, "expected an (open, close) pair"),
        ({"funday": [("09:00", "17:00")]}, "unknown weekday 'funday'"),
        ({"mon": ("09:00", "17:00")}, "got the single pair ('09:00', '17:00')"),
    ],
)
def test_invalid_hours_raise_calendar_error_naming_day_and_interval(
    hours: dict[str, list[tuple[str, ...]]], fragment: str
) -> None:
    with pytest.raises(CalendarError) as info:
        BusinessCalendar(timezone="UTC", hours=hours)  # type: ignore[arg-type]
    assert fragment in str(info.value)


def test_invalid_interval_message_names_the_day() -> None:
    with pytest.raises(CalendarError, match=r"hours\['wed'\] interval 1 \('09:00', '25:00'\)"):
        BusinessCalendar(timezone="UTC", hours={"wed": [("09:00", "25:00")]})


def test_invalid_override_message_names_the_date() -> None:
    with pytest.raises(CalendarError, match=r"overrides\[2026-12-24\]: interval 2"):
        office(overrides={date(2026, 12, 24): [("08:00", "12:00"), ("11:00", "13:00")]})


def test_unknown_time_zone_raises_calendar_error() -> None:
    with pytest.raises(CalendarError, match="unknown IANA time zone 'Europe/Atlantis'"):
        BusinessCalendar(timezone="Europe/Atlantis", hours=WEEKDAYS)


def test_naive_closure_raises_naive_datetime_error() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"closures\[0\]"):
        office(closures=[(datetime(2026, 5, 4, 14), datetime(2026, 5, 4, 16))])


def test_closure_ending_before_it_starts_raises_calendar_error() -> None:
    a = datetime(2026, 5, 4, 14, tzinfo=UTC)
    with pytest.raises(CalendarError, match="must not end before it starts"):
        office(closures=[(a, a - timedelta(seconds=1))])


def test_datetime_as_holiday_raises_calendar_error() -> None:
    with pytest.raises(CalendarError, match="holidays must be a date"):
        office(holidays=[datetime(2026, 1, 1)])


def test_adding_to_a_calendar_without_business_time_raises_calendar_error() -> None:
    cal = BusinessCalendar(timezone="UTC", hours={})
    with pytest.raises(CalendarError, match="no business time"):
        cal.add_business_time(datetime(2026, 1, 1, tzinfo=UTC), h(1))


def test_subtracting_from_a_calendar_without_business_time_raises_calendar_error() -> None:
    cal = BusinessCalendar(
        timezone="UTC", hours={}, overrides={date(2026, 1, 5): [("09:00", "10:00")]}
    )
    with pytest.raises(CalendarError, match="no business time"):
        cal.add_business_time(datetime(2026, 1, 5, 9, 30, tzinfo=UTC), -h(1))


def test_next_close_of_an_always_open_calendar_raises_calendar_error() -> None:
    with pytest.raises(CalendarError, match="never closes"):
        BusinessCalendar.always_open().next_close(datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.business_duration(datetime(2026, 1, 1), datetime(2026, 1, 2, tzinfo=UTC)),
        lambda c: c.business_duration(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2)),
        lambda c: c.add_business_time(datetime(2026, 1, 1), h(1)),
        lambda c: c.is_open(datetime(2026, 1, 1)),
        lambda c: c.next_open(datetime(2026, 1, 1)),
        lambda c: c.next_close(datetime(2026, 1, 1)),
    ],
)
def test_naive_datetimes_raise_naive_datetime_error(call: object) -> None:
    with pytest.raises(NaiveDatetimeError):
        call(office())  # type: ignore[operator]


# -- the value -----------------------------------------------------------------------------------


def test_hours_are_normalized_to_sorted_canonical_strings() -> None:
    cal = BusinessCalendar(
        timezone="UTC", hours={"Monday": [(time(13, 30), "17:30"), ("8:00", "12:00")], "TUE": []}
    )
    expected = {"mon": (("08:00", "12:00"), ("13:30", "17:30"))}
    assert expected == dict(cal.hours)


def test_midnight_close_written_as_zero_is_canonical_24() -> None:
    cal = BusinessCalendar(timezone="UTC", hours={"mon": [("22:00", "00:00")]})
    expected = (("22:00", "24:00"),)
    assert expected == cal.hours["mon"]


def test_equal_specifications_make_equal_hashable_calendars() -> None:
    a = office(holidays=[date(2026, 1, 1)])
    b = office(holidays=["2026-01-01"])
    assert (a, hash(a)) == (b, hash(b))


def test_calendar_pickles_to_an_equal_value_after_use() -> None:
    cal = office("Europe/Paris", holidays=[date(2026, 5, 1)])
    cal.business_duration(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))
    clone = pickle.loads(pickle.dumps(cal))
    assert (
        cal,
        cal.business_duration(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)),
    ) == (
        clone,
        clone.business_duration(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)),
    )


def test_zoneinfo_object_is_accepted_as_timezone() -> None:
    expected = "Europe/Paris"
    assert expected == BusinessCalendar(timezone=PARIS, hours=WEEKDAYS).timezone


# -- conventions ---------------------------------------------------------------------------------


def test_deadline_using_the_last_minute_of_friday_is_friday_close() -> None:
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
    assert datetime(2026, 3, 6, 17, tzinfo=UTC) == office().add_business_time(friday, h(1))


def test_adding_a_minute_past_friday_close_lands_on_monday() -> None:
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
    result = office().add_business_time(friday, h(1) + timedelta(minutes=1))
    assert datetime(2026, 3, 9, 9, 1, tzinfo=UTC) == result


def test_adding_zero_returns_the_start_even_when_closed() -> None:
    sunday = datetime(2026, 3, 8, 3, 17, tzinfo=NY)
    assert sunday == office("America/New_York").add_business_time(sunday, timedelta(0))


def test_subtracting_from_monday_open_lands_on_friday_close() -> None:
    monday = datetime(2026, 3, 9, 9, tzinfo=UTC)
    assert datetime(2026, 3, 6, 16, tzinfo=UTC) == office().add_business_time(monday, -h(1))


def test_subtracting_exactly_to_an_opening_lands_on_the_opening() -> None:
    monday = datetime(2026, 3, 9, 10, tzinfo=UTC)
    assert datetime(2026, 3, 9, 9, tzinfo=UTC) == office().add_business_time(monday, -h(1))


def test_duration_is_antisymmetric() -> None:
    a = datetime(2026, 3, 2, 10, tzinfo=UTC)
    b = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
    cal = office()
    assert -cal.business_duration(a, b) == cal.business_duration(b, a)


def test_result_keeps_the_start_time_zone() -> None:
    start = datetime(2026, 3, 2, 14, tzinfo=HCM)
    result = office("Europe/Paris").add_business_time(start, h(1))
    assert (HCM, datetime(2026, 3, 2, 10, tzinfo=PARIS)) == (result.tzinfo, result)


def test_microseconds_are_exact() -> None:
    start = datetime(2026, 3, 2, 16, 59, 59, 999_999, tzinfo=UTC)
    end = datetime(2026, 3, 3, 9, 0, 0, 3, tzinfo=UTC)
    assert timedelta(microseconds=4) == office().business_duration(start, end)


def test_ticket_created_on_a_closed_day_starts_counting_at_the_next_opening() -> None:
    saturday = datetime(2026, 3, 7, 11, tzinfo=UTC)
    assert datetime(2026, 3, 9, 13, tzinfo=UTC) == office().add_business_time(saturday, h(4))


def test_always_open_counts_real_time_across_dst() -> None:
    cal = BusinessCalendar.always_open(timezone="America/New_York")
    a = datetime(2026, 3, 7, 12, tzinfo=NY)
    b = datetime(2026, 3, 8, 12, tzinfo=NY)
    assert h(23) == cal.business_duration(a, b)


def test_next_open_returns_the_instant_itself_when_open() -> None:
    t = datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert t == office().next_open(t)


def test_next_close_when_closed_is_the_end_of_the_next_open_stretch() -> None:
    saturday = datetime(2026, 3, 7, 11, tzinfo=UTC)
    assert datetime(2026, 3, 9, 17, tzinfo=UTC) == office().next_close(saturday)


def test_next_close_runs_through_shifts_that_join_across_midnight() -> None:
    cal = BusinessCalendar(
        timezone="UTC", hours={"mon": [("18:00", "24:00")], "tue": [("00:00", "06:00")]}
    )
    assert datetime(2026, 3, 3, 6, tzinfo=UTC) == cal.next_close(
        datetime(2026, 3, 2, 20, tzinfo=UTC)
    )


def test_closed_at_the_close_instant_and_open_at_the_open_instant() -> None:
    cal = office()
    opened = cal.is_open(datetime(2026, 3, 2, 9, tzinfo=UTC))
    closed = cal.is_open(datetime(2026, 3, 2, 17, tzinfo=UTC))
    expected = (True, False)
    assert expected == (opened, closed)


# -- holidays, overrides, closures, overnight ----------------------------------------------------

NIGHTS = {"mon": [("22:00", "06:00")], "tue": [("22:00", "06:00")]}


def test_overnight_interval_belongs_to_the_day_it_opens_on_a_holiday_eve() -> None:
    # Tuesday is a holiday; Monday's night shift still runs into Tuesday morning.
    cal = BusinessCalendar(timezone="UTC", hours=NIGHTS, holidays=[date(2026, 3, 3)])
    week = cal.business_duration(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC))
    assert h(8) == week


def test_overnight_interval_opening_on_a_holiday_is_dropped() -> None:
    cal = BusinessCalendar(timezone="UTC", hours=NIGHTS, holidays=[date(2026, 3, 2)])
    week = cal.business_duration(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC))
    assert h(8) == week


def test_overnight_interval_counts_after_midnight() -> None:
    cal = BusinessCalendar(timezone="UTC", hours=NIGHTS)
    a = datetime(2026, 3, 3, 1, tzinfo=UTC)
    assert datetime(2026, 3, 3, 4, tzinfo=UTC) == cal.add_business_time(a, h(3))


def test_override_replaces_the_weekday_hours() -> None:
    cal = office(overrides={date(2026, 12, 24): [("08:00", "12:00")]})
    day = datetime(2026, 12, 24, tzinfo=UTC)
    assert h(4) == cal.business_duration(day, day + timedelta(days=1))


def test_override_can_open_a_weekend_day_overnight() -> None:
    cal = office(overrides={date(2026, 3, 7): [("20:00", "02:00")]})
    saturday = datetime(2026, 3, 7, 12, tzinfo=UTC)
    assert datetime(2026, 3, 8, 1, tzinfo=UTC) == cal.add_business_time(saturday, h(5))


def test_empty_override_closes_the_day() -> None:
    cal = office(overrides={date(2026, 3, 2): []})
    day = datetime(2026, 3, 2, tzinfo=UTC)
    assert timedelta(0) == cal.business_duration(day, day + timedelta(days=1))


def test_override_wins_over_a_holiday_on_the_same_date() -> None:
    cal = office(holidays=[date(2026, 3, 2)], overrides={date(2026, 3, 2): [("10:00", "11:00")]})
    day = datetime(2026, 3, 2, tzinfo=UTC)
    assert h(1) == cal.business_duration(day, day + timedelta(days=1))


def test_closure_removes_its_instants() -> None:
    closure = (datetime(2026, 5, 4, 14, tzinfo=HCM), datetime(2026, 5, 4, 16, tzinfo=HCM))
    cal = office("Asia/Ho_Chi_Minh", closures=[closure])
    day = datetime(2026, 5, 4, tzinfo=HCM)
    assert h(6) == cal.business_duration(day, day + timedelta(days=1))


def test_overlapping_closures_are_not_subtracted_twice() -> None:
    c1 = (datetime(2026, 5, 4, 10, tzinfo=UTC), datetime(2026, 5, 4, 13, tzinfo=UTC))
    c2 = (datetime(2026, 5, 4, 12, tzinfo=UTC), datetime(2026, 5, 4, 14, tzinfo=UTC))
    cal = office(closures=[c1, c2])
    day = datetime(2026, 5, 4, tzinfo=UTC)
    assert h(4) == cal.business_duration(day, day + timedelta(days=1))


def test_closure_splits_a_deadline() -> None:
    closure = (datetime(2026, 5, 4, 10, tzinfo=UTC), datetime(2026, 5, 4, 12, tzinfo=UTC))
    cal = office(closures=[closure])
    start = datetime(2026, 5, 4, 9, tzinfo=UTC)
    assert datetime(2026, 5, 4, 14, tzinfo=UTC) == cal.add_business_time(start, h(3))


def test_next_open_skips_a_closure() -> None:
    closure = (datetime(2026, 5, 4, 8, tzinfo=UTC), datetime(2026, 5, 4, 11, tzinfo=UTC))
    cal = office(closures=[closure])
    assert datetime(2026, 5, 4, 11, tzinfo=UTC) == cal.next_open(
        datetime(2026, 5, 4, 9, tzinfo=UTC)
    )


# -- DST edges -----------------------------------------------------------------------------------


def day_length(tz: str, day: date) -> timedelta:
    cal = BusinessCalendar(timezone=tz, hours=ALL_DAY)
    zone = ZoneInfo(tz)
    a = datetime(day.year, day.month, day.day, tzinfo=zone)
    nxt = day + timedelta(days=1)
    return cal.business_duration(a, datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone))


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        ("America/New_York", date(2026, 3, 8), 23),
        ("America/New_York", date(2026, 11, 1), 25),
        ("Europe/Paris", date(2026, 3, 29), 23),
        ("Europe/Paris", date(2026, 10, 25), 25),
        ("Australia/Lord_Howe", date(2026, 4, 5), 24.5),
        ("Australia/Lord_Howe", date(2026, 10, 4), 23.5),
        ("America/Santiago", date(2026, 4, 4), 25),
        ("America/Santiago", date(2026, 9, 6), 23),
        ("Asia/Ho_Chi_Minh", date(2026, 3, 8), 24),
    ],
)
def test_a_whole_day_lasts_its_real_length_on_dst_days(tz: str, day: date, hours: float) -> None:
    assert h(hours) == day_length(tz, day)


def test_open_in_a_dst_gap_moves_forward_by_the_gap() -> None:
    # 02:30 does not exist on 2026-03-08 in New York; read at -05:00 it is 03:30 EDT.
    cal = BusinessCalendar(timezone="America/New_York", hours={"sun": [("02:30", "05:00")]})
    assert datetime(2026, 3, 8, 3, 30, tzinfo=NY) == cal.next_open(datetime(2026, 3, 8, tzinfo=NY))


def test_interval_emptied_by_a_dst_gap_is_dropped() -> None:
    # 02:30 -> 03:30 EDT but 03:00 EDT is earlier: the interval is empty that day.
    cal = BusinessCalendar(timezone="America/New_York", hours={"sun": [("02:30", "03:00")]})
    day = datetime(2026, 3, 8, tzinfo=NY)
    assert timedelta(0) == cal.business_duration(day, day + timedelta(days=1))


def test_interval_emptied_by_a_dst_gap_counts_on_other_sundays() -> None:
    cal = BusinessCalendar(timezone="America/New_York", hours={"sun": [("02:30", "03:00")]})
    day = datetime(2026, 3, 15, tzinfo=NY)
    assert timedelta(minutes=30) == cal.business_duration(day, day + timedelta(days=1))


def test_close_in_a_dst_gap_moves_forward_by_the_gap() -> None:
    # Europe/Paris 2026-03-29: 02:00-03:00 does not exist; a 01:00-02:30 shift ends at 03:30 CEST,
    # which is 01:30 UTC, so it lasts 1.5 h of real time.
    cal = BusinessCalendar(timezone="Europe/Paris", hours={"sun": [("01:00", "02:30")]})
    day = datetime(2026, 3, 29, tzinfo=PARIS)
    assert h(1.5) == cal.business_duration(day, day + timedelta(days=1))


def test_ambiguous_open_takes_the_first_occurrence() -> None:
    # New York 2026-11-01: 01:00-02:00 happens twice; 01:30 means 01:30 EDT (05:30 UTC).
    cal = BusinessCalendar(timezone="America/New_York", hours={"sun": [("01:30", "03:00")]})
    day = datetime(2026, 11, 1, tzinfo=NY)
    opened = cal.next_open(day).astimezone(UTC)  # aware times in a fold never equal other zones'
    assert (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), h(2.5)) == (
        opened,
        cal.business_duration(day, day + timedelta(days=1)),
    )


def test_interval_inside_a_fold_counts_only_the_first_pass() -> None:
    cal = BusinessCalendar(timezone="America/New_York", hours={"sun": [("01:00", "01:30")]})
    second_pass = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST
    expected = (True, False)
    assert expected == (cal.is_open(second_pass - h(1)), cal.is_open(second_pass))


def test_lord_howe_half_hour_gap_moves_an_opening_by_thirty_minutes() -> None:
    cal = BusinessCalendar(timezone="Australia/Lord_Howe", hours={"sun": [("02:15", "04:00")]})
    day = datetime(2026, 10, 4, tzinfo=LORD_HOWE)
    assert datetime(2026, 10, 4, 2, 45, tzinfo=LORD_HOWE) == cal.next_open(day)


def test_santiago_midnight_gap_moves_sunday_opening_to_one_am() -> None:
    # America/Santiago 2026-09-06: local midnight does not exist (clocks go 24:00 -> 01:00).
    cal = BusinessCalendar(timezone="America/Santiago", hours={"sun": [("00:00", "08:00")]})
    day = datetime(2026, 9, 5, 12, tzinfo=SANTIAGO)
    assert (datetime(2026, 9, 6, 1, tzinfo=SANTIAGO), h(7)) == (
        cal.next_open(day),
        cal.business_duration(day, day + timedelta(days=2)),
    )


def test_overnight_shift_across_fall_back_lasts_an_hour_longer() -> None:
    cal = BusinessCalendar(timezone="Europe/Paris", hours={"sat": [("22:00", "06:00")]})
    saturday = datetime(2026, 10, 24, 12, tzinfo=PARIS)
    assert h(9) == cal.business_duration(saturday, saturday + timedelta(days=1))


def test_overnight_shift_across_spring_forward_on_a_holiday_eve() -> None:
    # Saturday's night shift runs into a Sunday holiday; the DST gap shortens it to 7 h.
    cal = BusinessCalendar(
        timezone="Europe/Paris",
        hours={"sat": [("22:00", "06:00")], "sun": [("08:00", "12:00")]},
        holidays=[date(2026, 3, 29)],
    )
    saturday = datetime(2026, 3, 28, 12, tzinfo=PARIS)
    assert h(7) == cal.business_duration(saturday, saturday + timedelta(days=1))


def test_deadline_across_spring_forward_counts_real_time() -> None:
    cal = BusinessCalendar.always_open(timezone="America/New_York")
    start = datetime(2026, 3, 8, 1, tzinfo=NY)
    assert datetime(2026, 3, 8, 4, tzinfo=NY) == cal.add_business_time(start, h(2))


def test_calendar_open_only_on_an_override_date_counts_that_date() -> None:
    cal = BusinessCalendar(
        timezone="UTC", hours={}, overrides={date(2026, 1, 5): [("09:00", "10:00")]}
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert datetime(2026, 1, 5, 9, 30, tzinfo=UTC) == cal.add_business_time(start, h(0.5))


def test_adding_more_than_a_calendar_ever_has_raises_calendar_error() -> None:
    cal = BusinessCalendar(
        timezone="UTC", hours={}, overrides={date(2026, 1, 5): [("09:00", "10:00")]}
    )
    with pytest.raises(CalendarError, match="no business time"):
        cal.add_business_time(datetime(2026, 1, 1, tzinfo=UTC), h(2))


def test_subtracting_within_an_override_only_calendar_lands_in_it() -> None:
    cal = BusinessCalendar(
        timezone="UTC", hours={}, overrides={date(2026, 1, 5): [("09:00", "10:00")]}
    )
    end = datetime(2026, 2, 1, tzinfo=UTC)
    assert datetime(2026, 1, 5, 9, 15, tzinfo=UTC) == cal.add_business_time(end, -h(0.75))


def test_fold_aware_start_counts_from_its_own_occurrence() -> None:
    # 01:30 EST (fold=1) on 2026-11-01 is an hour after 01:30 EDT; an always-open calendar counts
    # exactly the real hour between them.
    cal = BusinessCalendar.always_open(timezone="America/New_York")
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NY)
    second = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)
    assert h(1) == cal.business_duration(first, second)


def test_lord_howe_fold_counts_the_first_pass_of_the_repeated_half_hour() -> None:
    # Australia/Lord_Howe 2026-04-05: 01:30-02:00 happens twice (+11:00, then +10:30). 01:45 is the
    # first pass, 14:45 UTC; 03:00 is 16:30 UTC, so the interval lasts 1 h 45 min of real time.
    cal = BusinessCalendar(timezone="Australia/Lord_Howe", hours={"sun": [("01:45", "03:00")]})
    day = datetime(2026, 4, 5, tzinfo=LORD_HOWE)
    assert (datetime(2026, 4, 4, 14, 45, tzinfo=UTC), timedelta(hours=1, minutes=45)) == (
        cal.next_open(day).astimezone(UTC),
        cal.business_duration(day, day + timedelta(days=1)),
    )


def test_santiago_night_shift_across_the_midnight_gap_into_a_holiday() -> None:
    # Saturday 2026-09-05 22:00 (-04:00) to Sunday 06:00 (-03:00): clocks skip 00:00-01:00, so the
    # shift lasts 7 h; the Sunday holiday does not shorten Saturday's shift.
    cal = BusinessCalendar(
        timezone="America/Santiago",
        hours={"sat": [("22:00", "06:00")], "sun": [("09:00", "12:00")]},
        holidays=[date(2026, 9, 6)],
    )
    saturday = datetime(2026, 9, 5, 12, tzinfo=SANTIAGO)
    assert h(7) == cal.business_duration(saturday, saturday + timedelta(days=1, hours=12))
