"""Batch forms, daily totals, holidays from the ``holidays`` package, and the compiled window."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cs8.exceptions import CalendarError, InvalidValueError, NaiveDatetimeError
from cs8.sla import BusinessCalendar

WEEKDAYS = {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}
NY = ZoneInfo("America/New_York")


def office(tz: str = "UTC", **kwargs: object) -> BusinessCalendar:
    return BusinessCalendar(timezone=tz, hours=WEEKDAYS, **kwargs)  # type: ignore[arg-type]


def test_business_durations_of_lists_gives_a_list_of_timedeltas() -> None:
    a = datetime(2026, 3, 2, 8, tzinfo=UTC)
    expected = [timedelta(hours=8), timedelta(hours=-1)]
    assert expected == office().business_durations(
        [a, a + timedelta(hours=2)], [a + timedelta(days=1), a + timedelta(hours=1)]
    )


def test_business_durations_rejects_sequences_of_different_lengths() -> None:
    a = datetime(2026, 3, 2, 8, tzinfo=UTC)
    with pytest.raises(InvalidValueError, match="differ in length"):
        office().business_durations([a, a], [a])


def test_business_durations_rejects_a_naive_datetime_naming_its_position() -> None:
    a = datetime(2026, 3, 2, 8, tzinfo=UTC)
    with pytest.raises(NaiveDatetimeError, match=r"business_durations\(ends\)\[1\]"):
        office().business_durations([a, a], [a, datetime(2026, 3, 3)])


def test_add_business_times_keeps_each_start_zone() -> None:
    a = datetime(2026, 3, 2, 8, tzinfo=UTC)
    b = datetime(2026, 3, 2, 8, tzinfo=NY)
    result = office().add_business_times([a, b], [timedelta(hours=1), timedelta(hours=1)])
    assert [t.tzinfo for t in result] == [UTC, NY]


def test_add_business_times_rejects_a_non_timedelta_amount() -> None:
    a = datetime(2026, 3, 2, 8, tzinfo=UTC)
    with pytest.raises(CalendarError, match="amount must be a timedelta"):
        office().add_business_times([a], [3600])  # type: ignore[list-item]


def test_numpy_durations_read_datetime64_as_utc() -> None:
    np = pytest.importorskip("numpy")
    starts = np.array(["2026-03-02T08:00", "2026-03-06T16:00"], dtype="datetime64[s]")
    ends = np.array(["2026-03-02T10:00", "2026-03-09T10:00"], dtype="datetime64[m]")
    expected = np.array([3600, 7200], dtype="timedelta64[s]").astype("timedelta64[us]")
    assert expected.tolist() == office().business_durations(starts, ends).tolist()


def test_numpy_adds_accept_a_list_of_timedeltas() -> None:
    np = pytest.importorskip("numpy")
    starts = np.array(["2026-03-06T16:00"], dtype="datetime64[us]")
    result = office().add_business_times(starts, [timedelta(hours=1)])
    assert [np.datetime64("2026-03-06T17:00", "us")] == list(result)


def test_numpy_forms_fall_back_to_exact_answers_outside_the_compiled_window() -> None:
    np = pytest.importorskip("numpy")
    cal = office("America/New_York")
    starts = np.array(
        ["1950-03-01T12:00", "2150-03-01T12:00", "2099-12-31T12:00"], dtype="datetime64[us]"
    )
    ends = starts + np.timedelta64(10, "D")
    expected = [
        cal.business_duration(
            s.astype(datetime).replace(tzinfo=UTC), e.astype(datetime).replace(tzinfo=UTC)
        )
        for s, e in zip(starts, ends)
    ]
    assert expected == [
        timedelta(microseconds=int(v)) for v in cal.business_durations(starts, ends).view(np.int64)
    ]


def test_ten_year_span_is_exact_across_the_window() -> None:
    # 2030-01-01 (Tue) .. 2040-01-01 (Sun): 3652 days; weekdays 2609 of them, 8 h each.
    cal = office("Europe/Paris")
    a = datetime(2030, 1, 1, tzinfo=ZoneInfo("Europe/Paris"))
    b = datetime(2040, 1, 1, tzinfo=ZoneInfo("Europe/Paris"))
    weekdays = sum(1 for k in range(3652) if (date(2030, 1, 1) + timedelta(days=k)).weekday() < 5)
    assert timedelta(hours=8 * weekdays) == cal.business_duration(a, b)


def test_dates_far_outside_the_window_are_still_exact() -> None:
    cal = office("America/New_York")
    a = datetime(2150, 3, 2, 9, tzinfo=NY)  # a Monday
    assert datetime(2150, 3, 3, 10, tzinfo=NY) == cal.add_business_time(a, timedelta(hours=9))


def test_daily_business_time_counts_real_hours_on_dst_days() -> None:
    cal = BusinessCalendar.always_open(timezone="America/New_York")
    days = cal.daily_business_time(date(2026, 3, 7), date(2026, 3, 9))
    expected = {
        date(2026, 3, 7): timedelta(hours=24),
        date(2026, 3, 8): timedelta(hours=23),
        date(2026, 3, 9): timedelta(hours=24),
    }
    assert expected == days


def test_daily_business_time_puts_a_night_shift_on_the_days_it_covers() -> None:
    cal = BusinessCalendar(timezone="UTC", hours={"fri": [("20:00", "04:00")]})
    days = cal.daily_business_time(date(2026, 3, 6), date(2026, 3, 7))
    assert {date(2026, 3, 6): timedelta(hours=4), date(2026, 3, 7): timedelta(hours=4)} == days


def test_daily_business_time_rejects_a_reversed_range() -> None:
    with pytest.raises(CalendarError, match="before start_date"):
        office().daily_business_time(date(2026, 3, 9), date(2026, 3, 2))


def test_from_holidays_copies_the_dates_and_records_the_source() -> None:
    pytest.importorskip("holidays")
    cal = BusinessCalendar.from_holidays(
        country="VN", years=[2026, 2027], timezone="Asia/Ho_Chi_Minh", hours=WEEKDAYS
    )
    assert (
        date(2026, 9, 2) in cal.holidays,
        "country=VN years=2026-2027" in str(cal.holiday_source),
    ) == (True, True)


def test_from_holidays_calendar_is_picklable_and_equal_after_round_trip() -> None:
    pytest.importorskip("holidays")
    cal = BusinessCalendar.from_holidays(
        country="US", subdiv="NY", years=2026, timezone="America/New_York", hours=WEEKDAYS
    )
    clone = pickle.loads(pickle.dumps(cal))
    assert (cal, hash(cal)) == (clone, hash(clone))


def test_from_holidays_closes_the_holiday() -> None:
    pytest.importorskip("holidays")
    cal = BusinessCalendar.from_holidays(
        country="FR", years=2026, timezone="Europe/Paris", hours=WEEKDAYS
    )
    friday = datetime(2026, 5, 1, tzinfo=ZoneInfo("Europe/Paris"))  # Fête du Travail
    assert timedelta(0) == cal.business_duration(friday, friday + timedelta(days=1))


def test_from_holidays_unknown_country_raises_calendar_error() -> None:
    pytest.importorskip("holidays")
    with pytest.raises(CalendarError, match="from_holidays"):
        BusinessCalendar.from_holidays(country="XX", years=2026, timezone="UTC", hours=WEEKDAYS)


def test_importing_cs8_sla_and_computing_does_not_import_optional_packages() -> None:
    code = (
        "import sys; from datetime import datetime, UTC, timedelta; import cs8.sla as s;"
        "c = s.BusinessCalendar(timezone='Europe/Paris', hours={'mon': [('09:00', '17:00')]});"
        "t = datetime(2026, 3, 2, tzinfo=UTC); c.add_business_time(t, timedelta(hours=3));"
        "c.business_durations([t], [t]);"
        "print(sorted(m for m in ('numpy', 'pandas', 'holidays', 'pendulum') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['pendulum']" or out.stdout.strip() == "[]"


def test_numpy_forms_equal_the_scalar_forms_on_many_random_pairs() -> None:
    np = pytest.importorskip("numpy")
    cal = BusinessCalendar(
        timezone="America/New_York",
        hours={**WEEKDAYS, "sat": [("22:00", "02:00")]},
        holidays=[date(2026, 7, 3), date(2031, 1, 1)],
        overrides={date(2026, 12, 24): [("09:00", "12:00")]},
        closures=[(datetime(2027, 5, 4, 14, tzinfo=NY), datetime(2027, 5, 6, 16, tzinfo=NY))],
    )
    rng = np.random.default_rng(3)
    lo = int(datetime(1990, 1, 1, tzinfo=UTC).timestamp()) * 10**6
    hi = int(datetime(2110, 1, 1, tzinfo=UTC).timestamp()) * 10**6
    starts = rng.integers(lo, hi, 3000, dtype=np.int64)
    spans = rng.integers(-(10**14), 10**14, 3000, dtype=np.int64)
    amounts = rng.integers(-(10**13), 10**13, 3000, dtype=np.int64)
    engine = cal._engine
    expected_d = [engine.duration(int(a), int(a + s)) for a, s in zip(starts, spans)]
    expected_a = [engine.add(int(a), int(d)) for a, d in zip(starts, amounts)]
    s64 = starts.view("datetime64[us]")
    got_d = cal.business_durations(s64, (starts + spans).view("datetime64[us]")).view(np.int64)
    got_a = cal.add_business_times(s64, amounts.view("timedelta64[us]")).view(np.int64)
    assert (expected_d, expected_a) == (got_d.tolist(), got_a.tolist())


def test_numpy_forms_keep_the_array_shape() -> None:
    np = pytest.importorskip("numpy")
    starts = np.array([["2026-03-02T08:00", "2026-03-03T08:00"]] * 3, dtype="datetime64[us]")
    result = office().business_durations(starts, starts + np.timedelta64(2, "h"))
    assert result.shape == (3, 2)


@pytest.mark.parametrize(
    "zone",
    [
        "Africa/Casablanca",  # Ramadan suspensions: changes a month apart
        "Asia/Gaza",  # changes a week apart
        "Pacific/Apia",  # skipped 2011-12-30 (a 24-hour change)
        "America/Havana",  # changes at midnight
        "Antarctica/Troll",  # a two-hour change
        "Europe/Dublin",  # negative DST in tzdata
        "Australia/Lord_Howe",  # a 30-minute change
        "America/Santiago",
    ],
)
def test_zone_table_reads_wall_times_as_zoneinfo_with_fold_zero(zone: str) -> None:
    import random

    from cs8.sla._calendar_engine import zone_table
    from cs8.sla._calendar_local import to_us

    lo = to_us(datetime(1970, 1, 1, tzinfo=UTC))
    hi = to_us(datetime(2100, 1, 1, tzinfo=UTC))
    table = zone_table(zone, lo, hi)
    tz = ZoneInfo(zone)
    rng = random.Random(zone)
    days = [date(1971, 1, 1) + timedelta(days=rng.randrange(46000)) for _ in range(1500)]
    # and every day around each change, where gaps and folds are
    for change in table.changes:
        around = datetime.fromtimestamp(change // 10**6, UTC).date()
        days.extend(around + timedelta(days=k) for k in (-1, 0, 1))
    mismatches = []
    for day in days:
        for seconds in (0, 1800, 3600, 5400, 7200, 9000, 10800, 43200, 84600):
            wall = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(seconds=seconds)
            expected = to_us(
                datetime(wall.year, wall.month, wall.day, wall.hour, wall.minute, tzinfo=tz)
            )
            if table.local_us(day, seconds) != expected:
                mismatches.append((day, seconds))
    assert mismatches == []


def test_from_holidays_unknown_subdivision_names_the_known_ones() -> None:
    pytest.importorskip("holidays")
    with pytest.raises(CalendarError, match="country 'US' has no subdivision 'ZZ'; it has: AK"):
        BusinessCalendar.from_holidays(
            country="US",
            subdiv="ZZ",
            years=2026,
            timezone="UTC",
            hours={"mon": [("09:00", "17:00")]},
        )
