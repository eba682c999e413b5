"""Property tests: BusinessCalendar against the brute-force oracle in tests/sla/oracle.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from cs8.exceptions import CalendarError
from cs8.sla import BusinessCalendar
from tests.sla import oracle

ZONES = (
    "America/New_York",
    "Europe/Paris",
    "America/Santiago",
    "Australia/Lord_Howe",
    "UTC",
    "Asia/Ho_Chi_Minh",
)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Local dates near the 2026 DST transitions of the zones above, where calendars go wrong.
HOT_DATES = (
    date(2026, 3, 8),
    date(2026, 11, 1),
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2026, 4, 5),
    date(2026, 9, 6),
    date(2026, 10, 4),
    date(2026, 6, 15),
)
STEP = 30  # minutes; every boundary is on the half hour (Lord Howe's shift is 30 minutes)


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_COUNTS = st.integers(0, 3)
_POINT_SETS = [
    st.sets(st.integers(0, 2 * 1440 // STEP - 1), min_size=2 * n, max_size=2 * n) for n in range(4)
]
_NEAR = st.integers(-6, 6)
_SLOT = st.integers(0, 47)
_LENGTH = st.integers(1, 96)
_CLOSURE_COUNT = st.integers(0, 2)
_HOLIDAY_COUNT = st.integers(0, 3)
_OVERRIDE_COUNT = st.integers(0, 2)
_ZONE = st.sampled_from(ZONES)
_BASE = st.sampled_from(HOT_DATES)
_MINUTE = st.integers(0, 16 * 1440)
_ANY_US = st.integers(0, 16 * 86400 * oracle.US)
_ON_MINUTE = st.booleans()


@st.composite
def day_hours(draw: st.DrawFn) -> list[tuple[str, str]]:
    """0-3 intervals of one day: sorted, not touching; the last may run past midnight."""
    count = draw(_COUNTS)
    points = [p * STEP for p in sorted(draw(_POINT_SETS[count]))]
    intervals = []
    for i in range(count):
        a, b = points[2 * i], points[2 * i + 1]
        if a >= 1440:
            return intervals
        if b > 1440:
            if b - 1440 >= a or i != count - 1:
                return intervals
            b -= 1440
        intervals.append((_fmt(a), "24:00" if b == 1440 else _fmt(b)))
    return intervals


_DAY_HOURS = day_hours()


@st.composite
def calendars(draw: st.DrawFn, base: date) -> BusinessCalendar:
    """A random calendar whose holidays, overrides and closures fall within a week of ``base``."""
    tz_name = draw(_ZONE)
    tz = ZoneInfo(tz_name)
    hours = {day: draw(_DAY_HOURS) for day in DAYS}

    def near() -> date:
        return base + timedelta(days=draw(_NEAR))

    holidays = [near() for _ in range(draw(_HOLIDAY_COUNT))]
    overrides = {near(): draw(_DAY_HOURS) for _ in range(draw(_OVERRIDE_COUNT))}
    closures = []
    for _ in range(draw(_CLOSURE_COUNT)):
        day = near()
        start = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(
            minutes=STEP * draw(_SLOT)
        )
        closures.append((start, start + timedelta(minutes=STEP * draw(_LENGTH))))
    return BusinessCalendar(
        timezone=tz_name, hours=hours, holidays=holidays, overrides=overrides, closures=closures
    )


@st.composite
def cases(draw: st.DrawFn, count: int = 2) -> tuple[BusinessCalendar, list[int]]:
    """A calendar and ``count`` instants (µs) within about 8 days of a DST change."""
    base = draw(_BASE)
    cal = draw(calendars(base))
    anchor = oracle.us(datetime(base.year, base.month, base.day, tzinfo=UTC)) - 8 * DAY
    instants = [
        anchor + (draw(_MINUTE) * 60 * oracle.US if draw(_ON_MINUTE) else draw(_ANY_US))
        for _ in range(count)
    ]
    note(repr(cal))
    return cal, instants


DAY = 86400 * oracle.US
AMOUNTS = st.one_of(
    st.integers(-5000, 5000).map(lambda m: m * 60 * oracle.US),
    st.integers(-300 * 3600 * oracle.US, 300 * 3600 * oracle.US),
)


def _dt(value: int) -> datetime:
    return oracle.dt(value)


def _us(value: timedelta) -> int:
    return value // timedelta(microseconds=1)


@given(cases())
def test_duration_equals_the_oracle(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (a, b) = case
    expected = timedelta(microseconds=oracle.duration(cal, a, b))
    assert expected == cal.business_duration(_dt(a), _dt(b))


@given(cases(count=1))
def test_duration_over_minute_grid_equals_minute_by_minute_walk(
    case: tuple[BusinessCalendar, list[int]],
) -> None:
    cal, (a,) = case
    a -= a % (60 * oracle.US)
    b = a + DAY // 2
    assert timedelta(microseconds=oracle.minute_walk(cal, a, b)) == cal.business_duration(
        _dt(a), _dt(b)
    )


@given(cases(count=3))
def test_duration_is_additive_over_adjacent_ranges(
    case: tuple[BusinessCalendar, list[int]],
) -> None:
    cal, (a, b, c) = case
    whole = cal.business_duration(_dt(a), _dt(c))
    assert whole == cal.business_duration(_dt(a), _dt(b)) + cal.business_duration(_dt(b), _dt(c))


@given(cases())
def test_duration_is_antisymmetric(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (a, b) = case
    assert -cal.business_duration(_dt(a), _dt(b)) == cal.business_duration(_dt(b), _dt(a))


@given(cases(count=1), AMOUNTS)
def test_add_equals_the_oracle(case: tuple[BusinessCalendar, list[int]], amount: int) -> None:
    cal, (start,) = case
    expected = oracle.add(cal, start, amount)
    try:
        actual = cal.add_business_time(_dt(start), timedelta(microseconds=amount))
    except CalendarError:
        assert expected is None
        assert not cal.hours
        return
    if expected is not None:
        assert _dt(expected) == actual


@given(cases(count=1), AMOUNTS)
def test_add_reaches_the_amount_at_the_earliest_instant(
    case: tuple[BusinessCalendar, list[int]], amount: int
) -> None:
    cal, (start,) = case
    s = _dt(start)
    d = timedelta(microseconds=amount)
    try:
        u = cal.add_business_time(s, d)
    except CalendarError:
        assert not cal.hours
        return
    one = timedelta(microseconds=1)
    if amount >= 0:
        reached = cal.business_duration(s, u)
        earlier = cal.business_duration(s, u - one) if u > s else None
        assert (d, True) == (reached, earlier is None or earlier < d)
    else:
        reached = cal.business_duration(u, s)
        later = cal.business_duration(u + one, s) if u < s else None
        assert (-d, True) == (reached, later is None or later < -d)


@given(cases(count=1))
def test_is_open_equals_the_oracle(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (t,) = case
    assert oracle.is_open(cal, t) == cal.is_open(_dt(t))


@given(cases(count=1))
def test_next_open_is_the_first_open_instant(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (t,) = case
    try:
        u = oracle.us(cal.next_open(_dt(t)))
    except CalendarError:
        assert oracle.add(cal, t, 1) is None
        return
    assert (oracle.is_open(cal, u), oracle.duration(cal, t, u)) == (True, 0)


@given(cases(count=1))
def test_next_close_ends_the_open_stretch(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (t,) = case
    try:
        o = oracle.us(cal.next_open(_dt(t)))
        c = oracle.us(cal.next_close(_dt(t)))
    except CalendarError:
        return
    assert (False, c - o) == (oracle.is_open(cal, c), oracle.duration(cal, o, c))


@given(cases(count=1))
def test_daily_business_time_sums_to_the_range(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (t,) = case
    tz = ZoneInfo(cal.timezone)
    first = oracle.dt(t, tz).date()
    last = first + timedelta(days=9)
    days = cal.daily_business_time(first, last)
    a = datetime(first.year, first.month, first.day, tzinfo=tz)
    after = last + timedelta(days=1)
    b = datetime(after.year, after.month, after.day, tzinfo=tz)
    assert (10, cal.business_duration(a, b)) == (len(days), sum(days.values(), timedelta(0)))


# -- the compiled engine against the exact day walker, far and wide ------------------------------

WIDE = st.integers(
    oracle.us(datetime(1955, 1, 1, tzinfo=UTC)), oracle.us(datetime(2115, 1, 1, tzinfo=UTC))
)
EDGES = st.sampled_from(
    [oracle.us(datetime(1970, 1, 1, tzinfo=UTC)), oracle.us(datetime(2100, 1, 1, tzinfo=UTC))]
).flatmap(lambda e: st.integers(e - 20 * DAY, e + 20 * DAY))


@given(
    _BASE.flatmap(calendars),
    st.one_of(WIDE, EDGES),
    st.integers(-400 * DAY, 400 * DAY),
    st.integers(-2000 * 3600 * oracle.US, 2000 * 3600 * oracle.US),
)
def test_compiled_engine_equals_the_day_walker_anywhere(
    cal: BusinessCalendar, a: int, span: int, amount: int
) -> None:
    engine = cal._engine
    walker = engine.walker
    b = a + span
    assert walker.duration(a, b) == engine.duration(a, b)
    assert walker.is_open(a) == engine.is_open(a)
    if cal.hours:
        assert walker.add(a, amount) == engine.add(a, amount)
        assert walker.next_open(a) == engine.next_open(a)
        if not walker.week_full:
            assert walker.next_close(a) == engine.next_close(a)


@given(cases(count=4), st.lists(AMOUNTS, min_size=2, max_size=2))
def test_batch_forms_equal_the_scalar_forms(
    case: tuple[BusinessCalendar, list[int]], amounts: list[int]
) -> None:
    cal, instants = case
    starts = [_dt(t) for t in instants[:2]]
    ends = [_dt(t) for t in instants[2:]]
    deltas = [timedelta(microseconds=d) for d in amounts]
    expected_durations = [cal.business_duration(a, b) for a, b in zip(starts, ends)]
    try:
        expected_adds = [cal.add_business_time(a, d) for a, d in zip(starts, deltas)]
    except CalendarError:
        expected_adds = None
    assert expected_durations == cal.business_durations(starts, ends)
    if expected_adds is not None:
        assert expected_adds == cal.add_business_times(starts, deltas)


@given(cases(count=4), st.lists(AMOUNTS, min_size=2, max_size=2))
def test_numpy_batch_forms_equal_the_scalar_forms(
    case: tuple[BusinessCalendar, list[int]], amounts: list[int]
) -> None:
    np = pytest.importorskip("numpy")
    cal, instants = case
    starts = np.array(instants[:2], dtype=np.int64).view("datetime64[us]")
    ends = np.array(instants[2:], dtype=np.int64).view("datetime64[us]")
    expected = [
        _us(cal.business_duration(_dt(a), _dt(b))) for a, b in zip(instants[:2], instants[2:])
    ]
    assert expected == cal.business_durations(starts, ends).view(np.int64).tolist()
    try:
        added = [
            oracle.us(cal.add_business_time(_dt(a), timedelta(microseconds=d)))
            for a, d in zip(instants[:2], amounts)
        ]
    except CalendarError:
        return
    result = cal.add_business_times(starts, np.array(amounts, dtype="timedelta64[us]"))
    assert added == result.view(np.int64).tolist()


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


_SECOND_POINTS = st.lists(st.integers(1, 86399), min_size=2, max_size=4, unique=True)


@given(
    st.sampled_from(["UTC", "America/New_York", "Australia/Lord_Howe"]),
    st.lists(_SECOND_POINTS, min_size=7, max_size=7),
    _BASE,
    st.lists(st.integers(-8 * DAY, 8 * DAY), min_size=2, max_size=2),
)
def test_duration_with_boundaries_on_odd_seconds_equals_the_oracle(
    zone: str, points: list[list[int]], base: date, offsets: list[int]
) -> None:
    hours = {}
    for day, day_points in zip(DAYS, points):
        cut = sorted(day_points)
        hours[day] = [(_hms(a), _hms(b)) for a, b in zip(cut[::2], cut[1::2])]
    cal = BusinessCalendar(timezone=zone, hours=hours)
    note(repr(cal))
    anchor = oracle.us(datetime(base.year, base.month, base.day, tzinfo=UTC))
    a, b = (anchor + k for k in offsets)
    expected = timedelta(microseconds=oracle.duration(cal, a, b))
    assert expected == cal.business_duration(_dt(a), _dt(b))


# -- a calendar open at every instant, far outside the compiled window ------------------------

FULL_DAY = [("00:00", "24:00")]


@given(
    st.sampled_from(ZONES),
    st.integers(
        oracle.us(datetime(1000, 1, 1, tzinfo=UTC)), oracle.us(datetime(1900, 1, 1, tzinfo=UTC))
    ),
    st.integers(0, 40 * DAY),
)
def test_an_always_open_calendar_counts_elapsed_time_without_walking_the_days(
    zone: str, a: int, span: int
) -> None:
    walker = BusinessCalendar(timezone=zone, hours=dict.fromkeys(DAYS, FULL_DAY))._engine.walker
    assert walker.week_full
    # The day-by-day open intervals (the walker's ground truth; DST gaps included) against
    # the shortcut.
    assert sum(y - x for x, y in walker.intervals(a, a + span)) == walker.duration(a, a + span)
    assert walker.duration(a, a + span) == span


def test_an_always_open_calendar_spans_centuries_at_once() -> None:
    # A ticket dated year 1000 (readers accept it with years=None) used to walk 374,000 days
    # per SLA clock in the report (issue 12).
    cal = BusinessCalendar(timezone="Europe/Paris", hours=dict.fromkeys(DAYS, FULL_DAY))
    start = datetime(1000, 1, 5, 9, tzinfo=UTC)
    end = datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert cal.business_duration(start, end) == end - start
    assert cal.business_duration(end, start) == start - end
