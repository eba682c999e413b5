"""A brute-force oracle for business calendars, written from the definition and nothing else.

It reads a calendar's public fields (weekly hours as ``"HH:MM"`` strings, holidays, overrides,
closures) and decides whether an instant is open by looking at the two local days whose intervals
can cover it, mapping each local open/close with :mod:`zoneinfo` (``fold=0``). Durations and
additions walk the elementary segments between every boundary instant, testing one point per
segment, so they share no code or idea with the compiled engine. Everything is in integer epoch
microseconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from cs8.sla import BusinessCalendar

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = 1_000_000
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def us(value: datetime) -> int:
    """Epoch microseconds of an aware datetime."""
    return (value - EPOCH) // timedelta(microseconds=1)


def dt(value: int, tz: ZoneInfo | None = None) -> datetime:
    """Aware datetime at epoch microseconds."""
    return (EPOCH + timedelta(microseconds=value)).astimezone(tz or UTC)


def _secs(text: str) -> int:
    h, m, *rest = text.split(":")
    return int(h) * 3600 + int(m) * 60 + (int(rest[0]) if rest else 0)


def _wall(tz: ZoneInfo, day: date, seconds: int) -> int:
    extra, seconds = divmod(seconds, 86400)
    day = day + timedelta(days=extra)
    naive = datetime(day.year, day.month, day.day) + timedelta(seconds=seconds)
    return us(naive.replace(tzinfo=tz))  # fold=0


def week_of(cal: BusinessCalendar, day: date) -> dict[str, tuple[tuple[str, str], ...]]:
    """The weekly pattern in force on a local date: the week holding cycle_start uses weeks[0]."""
    weeks = cal.weeks
    if len(weeks) == 1:
        return dict(weeks[0])
    assert cal.cycle_start is not None
    first_monday = cal.cycle_start - timedelta(days=cal.cycle_start.weekday())
    weeks_apart = (day - first_monday).days // 7
    return dict(weeks[weeks_apart % len(weeks)])


def day_spans(cal: BusinessCalendar, day: date) -> list[tuple[int, int]]:
    """The instants of one local day's intervals (empty ones dropped)."""
    tz = ZoneInfo(cal.timezone)
    if day in cal.overrides:
        rules = cal.overrides[day]
    elif day in cal.holidays:
        rules = ()
    else:
        rules = week_of(cal, day).get(DAYS[day.weekday()], ())
    spans = []
    for open_text, close_text in rules:
        a, b = _secs(open_text), _secs(close_text)
        if b <= a:
            b += 86400
        lo, hi = _wall(tz, day, a), _wall(tz, day, b)
        if lo < hi:
            spans.append((lo, hi))
    return spans


def _local_date(cal: BusinessCalendar, t: int) -> date:
    return dt(t, ZoneInfo(cal.timezone)).date()


def is_open(cal: BusinessCalendar, t: int) -> bool:
    """Whether the instant ``t`` (epoch µs) is open, from the definition."""
    for start, end in cal.closures:
        if us(start) <= t < us(end):
            return False
    today = _local_date(cal, t)
    for day in (today - timedelta(days=1), today):
        for lo, hi in day_spans(cal, day):
            if lo <= t < hi:
                return True
    return False


def boundaries(cal: BusinessCalendar, lo: int, hi: int) -> list[int]:
    """Every instant in ``[lo, hi]`` where openness may change, plus ``lo`` and ``hi``."""
    points = {lo, hi}
    day = _local_date(cal, lo) - timedelta(days=2)
    last = _local_date(cal, hi) + timedelta(days=1)
    while day <= last:
        for a, b in day_spans(cal, day):
            points.update((a, b))
        day += timedelta(days=1)
    for start, end in cal.closures:
        points.update((us(start), us(end)))
    return sorted(p for p in points if lo <= p <= hi)


def open_segments(cal: BusinessCalendar, lo: int, hi: int) -> list[tuple[int, int]]:
    """The open elementary segments of ``[lo, hi)``, in order."""
    points = boundaries(cal, lo, hi)
    return [(a, b) for a, b in itertools.pairwise(points) if is_open(cal, a)]


def duration(cal: BusinessCalendar, lo: int, hi: int) -> int:
    """Business µs in ``[lo, hi)``; negative when ``hi < lo``."""
    if hi < lo:
        return -duration(cal, hi, lo)
    return sum(b - a for a, b in open_segments(cal, lo, hi))


def add(cal: BusinessCalendar, start: int, amount: int, horizon_days: int = 120) -> int | None:
    """Earliest instant ``amount`` business µs after ``start`` (latest before, for negative)."""
    if amount == 0:
        return start
    if amount > 0:
        segments = open_segments(cal, start, start + horizon_days * 86400 * US)
        left = amount
        for a, b in segments:
            if left <= b - a:
                return a + left
            left -= b - a
        return None
    segments = open_segments(cal, start - horizon_days * 86400 * US, start)
    left = -amount
    for a, b in reversed(segments):
        if left <= b - a:
            return b - left
        left -= b - a
    return None


def minute_walk(cal: BusinessCalendar, lo: int, hi: int) -> int:
    """Business µs in ``[lo, hi)`` by testing every minute (for minute-aligned calendars)."""
    step = 60 * US
    return sum(step for t in range(lo, hi, step) if is_open(cal, t))


def merged_segments(cal: BusinessCalendar, lo: int, hi: int) -> list[tuple[int, int]]:
    """The open stretches of ``[lo, hi)``: open segments with touching ones joined."""
    out: list[tuple[int, int]] = []
    for a, b in open_segments(cal, lo, hi):
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def previous_close(cal: BusinessCalendar, t: int, horizon_days: int = 60) -> int | None:
    """``t`` when the microsecond before it is open, else the end of the latest open stretch."""
    stretches = merged_segments(cal, t - horizon_days * 86400 * US, t)
    return stretches[-1][1] if stretches else None


def previous_open(cal: BusinessCalendar, t: int, horizon_days: int = 60) -> int | None:
    """The start of the open stretch ending at :func:`previous_close` (None if not seen)."""
    lo = t - horizon_days * 86400 * US
    stretches = merged_segments(cal, lo, t)
    if not stretches or stretches[-1][0] == lo:
        return None
    return stretches[-1][0]


def is_business_day(cal: BusinessCalendar, day: date) -> bool:
    """Whether a local date's own intervals leave some open time once closures are removed."""
    for lo, hi in day_spans(cal, day):
        cuts = sorted(
            (max(lo, us(a)), min(hi, us(b))) for a, b in cal.closures if us(a) < hi and us(b) > lo
        )
        cur = lo
        for a, b in cuts:
            if a > cur:
                return True
            cur = max(cur, b)
        if cur < hi:
            return True
    return False


def end_of_business_day(
    spans_of: Callable[[date], list[tuple[int, int]]], day: date, t: int, n: int
) -> int:
    """The close of the n-th business day from ``t`` (the opening of the |n|-th before), walking
    local dates from ``day`` (``t``'s own) with each date's open spans from ``spans_of``."""
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while True:
        spans = spans_of(day)
        if n > 0 and spans and spans[-1][1] > t:
            left -= 1
            if not left:
                return spans[-1][1]
        if n < 0 and spans and spans[0][0] < t:
            left -= 1
            if not left:
                return spans[0][0]
        day += step
