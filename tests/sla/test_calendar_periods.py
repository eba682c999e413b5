"""Working days and batches of effective-dated calendars, against the brute-force oracle.

The periods change inside the drawn range and each calendar has its own zone near a DST change
(the strategies of tests/sla/test_calendar_definitions_properties.py): every date is judged by the
calendar in force on it, every instant's local date read in the zone in force at it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import CalendarError
from cs8.sla import BusinessCalendar, DatedCalendar
from tests.sla import oracle
from tests.sla.test_calendar_definitions_properties import _open_spans, dated
from tests.sla.test_calendar_properties import cases

Case = tuple[DatedCalendar, list[BusinessCalendar], list[date], list[int]]


def _dt(value: int) -> datetime:
    return oracle.dt(value)


def _on(case: Case, day: date) -> BusinessCalendar:
    _, (first, second), (switch,), _ = case
    return second if day >= switch else first


def _local_date(case: Case, t: int) -> date:
    cal = case[0].calendar_at(_dt(t))
    return oracle.dt(t, ZoneInfo(cal.timezone)).date()


@given(dated(), st.integers(-6, 6))
def test_add_business_days_lands_on_the_nth_business_day_of_the_calendars_in_force(
    case: Case, n: int
) -> None:
    cal, _, _, (t, _, _) = case
    try:
        moved = cal.add_business_days(_dt(t), n)
    except CalendarError:
        return  # ten years without a business day: both calendars have no hours
    start_day = _local_date(case, t)
    # The result is the wall time on the day found, in the zone of the calendar of that day; near
    # a change of zone that instant may already lie in the next period, so the day is the date d
    # with ``moved`` read in d's own calendar's zone falling on d (one of the periods' zones).
    zones = {c.timezone for _, c in cal.periods}
    days = {moved.astimezone(ZoneInfo(z)).date() for z in zones}
    own = [d for d in days if moved.astimezone(ZoneInfo(_on(case, d).timezone)).date() == d]
    assert own, (moved, days)

    def lands(day: date) -> bool:
        lo, hi = sorted((start_day, day))
        if n > 0:
            between = [lo + timedelta(days=k) for k in range(1, (hi - lo).days + 1)]
        else:
            between = [lo + timedelta(days=k) for k in range((hi - lo).days)]
        counted = sum(oracle.is_business_day(_on(case, d), d) for d in between)
        return counted == abs(n) and (n == 0 or oracle.is_business_day(_on(case, day), day))

    assert any(lands(day) for day in own), (moved, own)


@given(dated(), st.integers(-4, 4).filter(bool))
def test_end_of_business_day_equals_the_oracle_of_the_calendars_in_force(
    case: Case, n: int
) -> None:
    cal, _, _, (t, _, _) = case
    try:
        actual = oracle.us(cal.end_of_business_day(_dt(t), n))
    except CalendarError:
        return
    expected = oracle.end_of_business_day(
        lambda day: _open_spans(_on(case, day), day), _local_date(case, t), t, n
    )
    assert expected == actual


@given(dated())
def test_business_days_between_is_additive_across_the_change(case: Case) -> None:
    cal, _, _, (a, b, c) = case
    whole = cal.business_days_between(_dt(a), _dt(c))
    parts = cal.business_days_between(_dt(a), _dt(b)) + cal.business_days_between(_dt(b), _dt(c))
    assert whole == pytest.approx(parts, abs=1e-9)
    assert cal.business_days_between(_dt(c), _dt(a)) == -whole


@given(dated())
def test_a_whole_business_day_counts_one(case: Case) -> None:
    """Inverse law: from a day's opening to its close is one working day when nothing is shut."""
    cal, _, _, (t, _, _) = case
    day = _local_date(case, t)
    own = _open_spans(_on(case, day), day)
    scheduled = oracle.day_spans(_on(case, day), day)
    before = oracle.day_spans(_on(case, day - timedelta(days=1)), day - timedelta(days=1))
    midnight = oracle.us(
        datetime.combine(day, datetime.min.time(), ZoneInfo(cal.calendar_at(_dt(t)).timezone))
    )
    if (
        not own
        or own != scheduled
        or any(hi > midnight for _, hi in before)  # yesterday spills into today
        or any(hi > midnight + 86400 * oracle.US for _, hi in scheduled)  # today spills over
        or cal.calendar_at(_dt(own[0][0])) is not _on(case, day)
        or cal.calendar_at(_dt(own[-1][1] - 1)) is not _on(case, day)
    ):
        return
    assert cal.business_days_between(_dt(own[0][0]), _dt(own[-1][1])) == pytest.approx(1.0)


@given(cases(count=3), st.integers(-5, 5))
def test_one_period_is_the_calendar_itself(
    case: tuple[BusinessCalendar, list[int]], n: int
) -> None:
    cal, (a, b, _) = case
    one = BusinessCalendar.from_periods([(date(2000, 1, 1), cal)])
    assert one.business_days_between(_dt(a), _dt(b)) == pytest.approx(
        cal.business_days_between(_dt(a), _dt(b)), abs=1e-12
    )
    for method in ("add_business_days", "end_of_business_day"):
        try:
            expected = getattr(cal, method)(_dt(a), n)
        except CalendarError:
            with pytest.raises(CalendarError):
                getattr(one, method)(_dt(a), n)
            continue
        assert getattr(one, method)(_dt(a), n) == expected
    first = _dt(a).astimezone(ZoneInfo(cal.timezone)).date()
    assert one.daily_business_time(first, first + timedelta(days=3)) == cal.daily_business_time(
        first, first + timedelta(days=3)
    )


@given(dated())
def test_batches_equal_the_scalar_forms(case: Case) -> None:
    cal, _, _, (a, b, c) = case
    starts, ends = [_dt(a), _dt(b)], [_dt(c), _dt(c)]
    assert cal.business_durations(starts, ends) == [
        cal.business_duration(s, e) for s, e in zip(starts, ends, strict=True)
    ]
    amounts = [timedelta(hours=3), -timedelta(hours=5)]
    try:
        expected = [cal.add_business_time(s, d) for s, d in zip(starts, amounts, strict=True)]
    except CalendarError:
        return
    assert cal.add_business_times(starts, amounts) == expected
    np = pytest.importorskip("numpy")
    as_array = np.array([s.astimezone(UTC).replace(tzinfo=None) for s in starts], "datetime64[us]")
    got = cal.add_business_times(as_array, np.array(amounts, "timedelta64[us]"))
    assert [oracle.us(e) for e in expected] == got.view(np.int64).tolist()


def test_the_day_found_keeps_its_own_zone_across_a_change_of_zone() -> None:
    # Found by the property test above: the wall time on the day found (Thursday 5 March in New
    # York) is an instant already in force of the Paris period, which starts at midnight Paris.
    new_york = BusinessCalendar(timezone="America/New_York", hours={"thu": [("00:00", "00:30")]})
    paris = BusinessCalendar(timezone="Europe/Paris", hours={"fri": [("00:00", "00:30")]})
    cal = BusinessCalendar.from_periods([(date(2026, 1, 7), new_york), (date(2026, 3, 6), paris)])
    friday_evening = datetime(2026, 2, 28, tzinfo=UTC)  # Friday 27 February, 19:00 in New York
    moved = cal.add_business_days(friday_evening, 1)
    assert moved.astimezone(ZoneInfo("America/New_York")).isoformat() == (
        "2026-03-05T19:00:00-05:00"
    )
    assert cal.add_business_days(friday_evening, 2).astimezone(ZoneInfo("Europe/Paris")).date() == (
        date(2026, 3, 6)
    )
