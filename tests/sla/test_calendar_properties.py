"""Property tests: BusinessCalendar against the brute-force oracle in tests/sla/oracle.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, note
from hypothesis import strategies as st

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


@st.composite
def day_hours(draw: st.DrawFn) -> list[tuple[str, str]]:
    """0-3 intervals of one day: sorted, not touching; the last may run past midnight."""
    count = draw(st.integers(0, 3))
    points = sorted(
        draw(st.sets(st.integers(0, 2 * 1440 // STEP - 1), min_size=2 * count, max_size=2 * count))
    )
    points = [p * STEP for p in points]
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


@st.composite
def calendars(draw: st.DrawFn, zone: str | None = None) -> BusinessCalendar:
    tz_name = zone or draw(st.sampled_from(ZONES))
    tz = ZoneInfo(tz_name)
    hours = {day: draw(day_hours()) for day in DAYS}
    base = draw(st.sampled_from(HOT_DATES))
    near = st.integers(-6, 6).map(lambda k: base + timedelta(days=k))
    holidays = draw(st.lists(near, max_size=3))
    overrides = draw(st.dictionaries(near, day_hours(), max_size=2))
    closures = []
    for _ in range(draw(st.integers(0, 2))):
        day = draw(near)
        start = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(
            minutes=STEP * draw(st.integers(0, 47))
        )
        length = timedelta(minutes=STEP * draw(st.integers(1, 96)))
        closures.append((start, start + length))
    return BusinessCalendar(
        timezone=tz_name, hours=hours, holidays=holidays, overrides=overrides, closures=closures
    )


@st.composite
def cal_and_instants(draw: st.DrawFn, count: int = 2) -> tuple[BusinessCalendar, list[int]]:
    cal = draw(calendars())
    base = draw(st.sampled_from(HOT_DATES))
    anchor = (
        oracle.us(datetime(base.year, base.month, base.day, tzinfo=UTC)) - 8 * 86400 * oracle.US
    )
    # Instants on any minute (and some off the grid) within ~16 days of a DST transition.
    minute = st.integers(0, 16 * 1440).map(lambda m: anchor + m * 60 * oracle.US)
    odd = st.integers(0, 16 * 86400 * oracle.US).map(lambda u: anchor + u)
    instants = draw(st.lists(st.one_of(minute, odd), min_size=count, max_size=count))
    return cal, instants


def _dt(value: int) -> datetime:
    return oracle.dt(value)


@given(cal_and_instants())
def test_duration_equals_the_oracle(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, (a, b) = case
    note(repr(cal))
    expected = timedelta(microseconds=oracle.duration(cal, a, b))
    assert expected == cal.business_duration(_dt(a), _dt(b))


@given(cal_and_instants(count=1), st.integers(-5000, 5000).map(lambda m: m * 60 * oracle.US))
def test_add_equals_the_oracle(case: tuple[BusinessCalendar, list[int]], amount: int) -> None:
    cal, (start,) = case
    note(repr(cal))
    expected = oracle.add(cal, start, amount)
    try:
        actual = cal.add_business_time(_dt(start), timedelta(microseconds=amount))
    except Exception:
        assert expected is None
        return
    if expected is not None:
        assert _dt(expected) == actual
