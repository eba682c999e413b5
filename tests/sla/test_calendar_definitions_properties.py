"""Property tests for the new calendar forms against the brute-force oracle (tests/sla/oracle.py).

Rotations, backward snapping, working days, wall clocks and effective-dated calendars: each law
(agreement with the oracle, additivity, inverse, DST) is checked on random calendars near DST
changes in the zones the oracle tests use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from cs8.exceptions import CalendarError
from cs8.sla import BusinessCalendar, DatedCalendar
from tests.sla import oracle
from tests.sla.test_calendar_properties import (
    _BASE,
    _ZONE,
    AMOUNTS,
    DAY,
    DAYS,
    calendars,
    cases,
    day_hours,
)

_DAY_HOURS = day_hours()
_MINUTE = st.integers(0, 16 * 1440)


@st.composite
def rotations(draw: st.DrawFn) -> tuple[BusinessCalendar, list[int]]:
    """A two- or three-week rotation near a DST change, and two instants (µs) around it."""
    base = draw(_BASE)
    zone = draw(_ZONE)
    weeks = [{day: draw(_DAY_HOURS) for day in DAYS} for _ in range(draw(st.integers(2, 3)))]
    cycle_start = base + timedelta(days=draw(st.integers(-30, 30)))
    tz = ZoneInfo(zone)
    holidays = [
        base + timedelta(days=draw(st.integers(-6, 6))) for _ in range(draw(st.integers(0, 2)))
    ]
    closures = []
    for _ in range(draw(st.integers(0, 2))):
        day = base + timedelta(days=draw(st.integers(-6, 6)))
        start = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(
            minutes=30 * draw(st.integers(0, 47))
        )
        closures.append((start, start + timedelta(minutes=30 * draw(st.integers(0, 96)))))
    cal = BusinessCalendar(
        timezone=zone, hours=weeks, cycle_start=cycle_start, holidays=holidays, closures=closures
    )
    anchor = oracle.us(datetime(base.year, base.month, base.day, tzinfo=UTC)) - 8 * DAY
    instants = [anchor + draw(_MINUTE) * 60 * oracle.US for _ in range(2)]
    note(repr(cal))
    return cal, instants


def _dt(value: int) -> datetime:
    return oracle.dt(value)


# -- rotations -----------------------------------------------------------------------------------


@given(rotations())
def test_rotation_duration_equals_the_oracle(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (a, b) = case
    assert timedelta(microseconds=oracle.duration(cal, a, b)) == cal.business_duration(
        _dt(a), _dt(b)
    )


@given(rotations(), AMOUNTS)
def test_rotation_add_equals_the_oracle(
    case: tuple[BusinessCalendar, list[int]], amount: int
) -> None:
    cal, (start, _) = case
    expected = oracle.add(cal, start, amount)
    try:
        actual = cal.add_business_time(_dt(start), timedelta(microseconds=amount))
    except CalendarError:
        assert expected is None
        return
    if expected is not None:
        assert _dt(expected) == actual


@given(rotations())
def test_rotation_is_open_equals_the_oracle(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (t, _) = case
    assert oracle.is_open(cal, t) == cal.is_open(_dt(t))


@given(rotations(), st.integers(-400 * DAY, 400 * DAY))
def test_rotation_engine_equals_the_day_walker_far_away(
    case: tuple[BusinessCalendar, list[int]], shift: int
) -> None:
    cal, (a, b) = case
    engine = cal._engine
    assert engine.walker.duration(a + shift, b) == engine.duration(a + shift, b)


# -- backward snapping ---------------------------------------------------------------------------


@given(cases(count=1))
def test_previous_close_equals_the_oracle(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (t,) = case
    expected = oracle.previous_close(cal, t)
    try:
        actual = oracle.us(cal.previous_close(_dt(t)))
    except CalendarError:
        assert expected is None
        return
    if expected is not None:
        assert expected == actual


@given(cases(count=1))
def test_previous_open_equals_the_oracle(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (t,) = case
    expected = oracle.previous_open(cal, t)
    try:
        actual = oracle.us(cal.previous_open(_dt(t)))
    except CalendarError:
        return
    if expected is not None:
        assert expected == actual


@given(cases(count=1))
def test_previous_close_mirrors_next_open(case: tuple[BusinessCalendar, list[int]]) -> None:
    # Law: no business time lies between previous_close(t) and t, and the microsecond before it
    # is open.
    cal, (t,) = case
    try:
        c = cal.previous_close(_dt(t))
    except CalendarError:
        return
    one = timedelta(microseconds=1)
    assert (timedelta(0), True) == (cal.business_duration(c, _dt(t)), cal.is_open(c - one))


# -- working days --------------------------------------------------------------------------------


def _local_date(cal: BusinessCalendar, t: int) -> date:
    return oracle.dt(t, ZoneInfo(cal.timezone)).date()


@given(cases(count=1), st.integers(-6, 6))
def test_add_business_days_lands_on_the_nth_business_day(
    case: tuple[BusinessCalendar, list[int]], n: int
) -> None:
    cal, (t,) = case
    try:
        moved = cal.add_business_days(_dt(t), n)
    except CalendarError:
        assert not cal.hours
        return
    tz = ZoneInfo(cal.timezone)
    start_day = _local_date(cal, t)
    day = moved.astimezone(tz).date()
    lo, hi = sorted((start_day, day))
    between = [lo + timedelta(days=k) for k in range(1, (hi - lo).days + 1)]
    if n < 0:
        between = [lo + timedelta(days=k) for k in range((hi - lo).days)]
    assert (abs(n), n == 0 or oracle.is_business_day(cal, day)) == (
        sum(oracle.is_business_day(cal, d) for d in between),
        True,
    )


@given(cases(count=3))
def test_business_days_between_is_additive(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (a, b, c) = case
    whole = cal.business_days_between(_dt(a), _dt(c))
    parts = cal.business_days_between(_dt(a), _dt(b)) + cal.business_days_between(_dt(b), _dt(c))
    assert whole == pytest.approx(parts, abs=1e-9)


def _open_spans(cal: BusinessCalendar, day: date) -> list[tuple[int, int]]:
    """A local date's own intervals less the closures, from the oracle's definitions."""
    out = []
    for lo, hi in oracle.day_spans(cal, day):
        cuts = sorted(
            (oracle.us(a), oracle.us(b))
            for a, b in cal.closures
            if oracle.us(a) < hi and oracle.us(b) > lo
        )
        cur = lo
        for a, b in cuts:
            if a > cur:
                out.append((cur, a))
            cur = max(cur, b)
        if cur < hi:
            out.append((cur, hi))
    return out


@given(cases(count=1), st.integers(-4, 4).filter(bool))
def test_end_of_business_day_equals_the_oracle(
    case: tuple[BusinessCalendar, list[int]], n: int
) -> None:
    cal, (t,) = case
    try:
        actual = oracle.us(cal.end_of_business_day(_dt(t), n))
    except CalendarError:
        assert not cal.hours
        return
    expected = oracle.end_of_business_day(
        lambda day: _open_spans(cal, day), _local_date(cal, t), t, n
    )
    assert expected == actual


# -- wall clock ----------------------------------------------------------------------------------


def _as_wall(cal: BusinessCalendar) -> BusinessCalendar:
    return BusinessCalendar(
        timezone=cal.timezone,
        hours=dict(cal.hours),  # type: ignore[arg-type]
        holidays=cal.holidays,
        overrides=dict(cal.overrides),
        closures=cal.closures,
        clock="wall",
    )


@given(cases(count=3))
def test_wall_clock_duration_is_additive(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (a, b, c) = case
    wall = _as_wall(cal)
    assert wall.business_duration(_dt(a), _dt(c)) == wall.business_duration(
        _dt(a), _dt(b)
    ) + wall.business_duration(_dt(b), _dt(c))


@given(cases(count=1), AMOUNTS)
def test_wall_clock_add_inverts_duration(
    case: tuple[BusinessCalendar, list[int]], amount: int
) -> None:
    cal, (start,) = case
    wall = _as_wall(cal)
    d = timedelta(microseconds=amount)
    try:
        u = wall.add_business_time(_dt(start), d)
    except CalendarError:
        return
    tz = ZoneInfo(cal.timezone)
    # A result inside a repeated (fall-back) hour has two instants; the law holds on wall time.
    if u.astimezone(tz).replace(tzinfo=None) == u.astimezone(tz).replace(fold=1, tzinfo=None) and (
        u.astimezone(tz).utcoffset() != u.astimezone(tz).replace(fold=1).utcoffset()
    ):
        return
    assert d == (
        wall.business_duration(_dt(start), u)
        if amount >= 0
        else -wall.business_duration(u, _dt(start))
    )


@given(calendars(date(2026, 6, 15)), st.integers(0, 16 * 1440), st.integers(0, 16 * 1440))
def test_wall_clock_equals_elapsed_time_without_dst(
    cal: BusinessCalendar, m1: int, m2: int
) -> None:
    if ZoneInfo(cal.timezone).utcoffset(datetime(2026, 1, 1)) != ZoneInfo(cal.timezone).utcoffset(
        datetime(2026, 7, 1)
    ):
        return
    anchor = oracle.us(datetime(2026, 6, 7, tzinfo=UTC))
    a, b = anchor + m1 * 60 * oracle.US, anchor + m2 * 60 * oracle.US
    assert cal.business_duration(_dt(a), _dt(b)) == _as_wall(cal).business_duration(_dt(a), _dt(b))


# -- effective-dated calendars -------------------------------------------------------------------


@st.composite
def dated(draw: st.DrawFn) -> tuple[DatedCalendar, list[BusinessCalendar], list[date], list[int]]:
    base = draw(_BASE)
    first = draw(calendars(base))
    second = draw(calendars(base))
    switch = base + timedelta(days=draw(st.integers(-4, 4)))
    cal = BusinessCalendar.from_periods([(base - timedelta(days=60), first), (switch, second)])
    anchor = oracle.us(datetime(base.year, base.month, base.day, tzinfo=UTC)) - 8 * DAY
    instants = sorted(anchor + draw(_MINUTE) * 60 * oracle.US for _ in range(3))
    return cal, [first, second], [switch], instants


@given(dated())
def test_dated_calendar_counts_each_instant_in_the_calendar_in_force(
    case: tuple[DatedCalendar, list[BusinessCalendar], list[date], list[int]],
) -> None:
    cal, (first, second), (switch,), (a, _, c) = case
    cut = oracle.us(
        datetime(switch.year, switch.month, switch.day, tzinfo=ZoneInfo(second.timezone))
    )
    expected = oracle.duration(first, a, min(c, cut)) if a < cut else 0
    expected += oracle.duration(second, max(a, cut), c) if c > cut else 0
    assert timedelta(microseconds=expected) == cal.business_duration(_dt(a), _dt(c))


@given(dated(), AMOUNTS)
def test_dated_calendar_add_inverts_duration(
    case: tuple[DatedCalendar, list[BusinessCalendar], list[date], list[int]], amount: int
) -> None:
    cal, _, _, (start, _, _) = case
    d = timedelta(microseconds=amount)
    try:
        u = cal.add_business_time(_dt(start), d)
    except CalendarError:
        return
    got = (
        cal.business_duration(_dt(start), u)
        if amount >= 0
        else -cal.business_duration(u, _dt(start))
    )
    assert d == got


@given(dated())
def test_dated_calendar_duration_is_additive(
    case: tuple[DatedCalendar, list[BusinessCalendar], list[date], list[int]],
) -> None:
    cal, _, _, (a, b, c) = case
    f = cal.business_duration
    assert f(_dt(a), _dt(c)) == f(_dt(a), _dt(b)) + f(_dt(b), _dt(c))


@given(dated())
def test_dated_calendar_snaps_like_the_oracle_of_its_pieces(
    case: tuple[DatedCalendar, list[BusinessCalendar], list[date], list[int]],
) -> None:
    cal, _, _, (a, _, _) = case
    t = _dt(a)
    one = timedelta(microseconds=1)
    try:
        o = cal.next_open(t)
        c = cal.next_close(t)
    except CalendarError:
        return
    # Laws: nothing open between t and next_open; [next_open, next_close) all open; closed at it.
    assert (timedelta(0), c - o, False) == (
        cal.business_duration(t, o),
        cal.business_duration(o, c),
        cal.is_open(c) and cal.business_duration(c, c + one) == one,
    )


@given(dated())
def test_dated_calendar_snaps_backwards_like_its_laws(
    case: tuple[DatedCalendar, list[BusinessCalendar], list[date], list[int]],
) -> None:
    cal, _, _, (a, _, _) = case
    t = _dt(a)
    one = timedelta(microseconds=1)
    try:
        c = cal.previous_close(t)
        o = cal.previous_open(t)
    except CalendarError:
        return
    # Laws: nothing open between previous_close and t; [previous_open, previous_close) all open;
    # closed just before previous_open.
    assert (timedelta(0), c - o, False) == (
        cal.business_duration(c, t),
        cal.business_duration(o, c),
        cal.business_duration(o - one, o) == one,
    )
