"""The exact, day-by-day view of a business calendar on the epoch-microsecond timeline.

:class:`DayWalker` turns a calendar's rules into the open intervals of any stretch of time by
generating each local day's intervals with :mod:`zoneinfo` (``fold=0``: a local time in a DST gap is
read with the offset before the gap, an ambiguous one takes its first occurrence). It is the ground
truth the compiled engine is built from and the fallback far outside the compiled window.

Example:
    >>> from datetime import date
    >>> walker = DayWalker("UTC", {0: ((32400, 61200),)}, (), {}, ())
    >>> walker.day_intervals(date(2026, 3, 2))
    [(1772442000000000, 1772470800000000)]
"""

from __future__ import annotations

import zoneinfo
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from cs8.exceptions import CalendarError

__all__ = [
    "DAY_US",
    "SECOND_US",
    "DayWalker",
    "from_us",
    "merge",
    "to_us",
]

SECOND_US = 1_000_000
DAY_US = 86_400 * SECOND_US
_CHUNK_US = 7 * DAY_US
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_DAY = timedelta(days=1)
_ONE_US = timedelta(microseconds=1)
_A_MONDAY = date(1970, 1, 5)

Span = tuple[int, int]
LocalUs = Callable[[date, int], int]


def to_us(value: datetime) -> int:
    """Return the epoch microseconds of an aware datetime.

    Example:
        >>> to_us(datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=UTC))
        1000005
    """
    return (value - _EPOCH) // _ONE_US


def from_us(value: int, tz: object) -> datetime:
    """Return the aware datetime at epoch microseconds ``value``, shown in ``tz``.

    Example:
        >>> from_us(1000005, UTC)
        datetime.datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=datetime.timezone.utc)
    """
    return (_EPOCH + _ONE_US * value).astimezone(tz)  # type: ignore[arg-type]


def merge(spans: Iterable[Span]) -> list[Span]:
    """Return the union of spans as sorted, disjoint, non-touching spans.

    Example:
        >>> merge([(5, 9), (1, 3), (3, 4), (8, 12)])
        [(1, 4), (5, 12)]
    """
    result: list[list[int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if result and start <= result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(a, b) for a, b in result]


def subtract(spans: Sequence[Span], holes: Sequence[Span]) -> list[Span]:
    """Return sorted disjoint ``spans`` minus sorted disjoint ``holes``.

    Example:
        >>> subtract([(0, 10), (20, 30)], [(5, 22)])
        [(0, 5), (22, 30)]
    """
    if not holes:
        return list(spans)
    result: list[Span] = []
    for start, end in spans:
        i = bisect_right([h[1] for h in holes], start)
        cur = start
        while i < len(holes) and holes[i][0] < end:
            if holes[i][0] > cur:
                result.append((cur, holes[i][0]))
            cur = max(cur, holes[i][1])
            i += 1
        if cur < end:
            result.append((cur, end))
    return result


class DayWalker:
    """The open intervals of a calendar, generated local day by local day (exact and slow).

    Args:
        timezone: IANA key.
        week: Weekday index (Monday 0) to ``(open, close)`` seconds after that day's midnight
            (an overnight close is past 86400); or a list of such weeks used in rotation.
        holidays: Local dates closed all day.
        overrides: Local date to its own ``(open, close)`` seconds.
        closures: Closed ``(start, end)`` epoch-microsecond spans.
        cycle_start: A date in the week that uses the first of several weekly patterns.
    """

    def __init__(
        self,
        timezone: str,
        week: Mapping[int, Sequence[tuple[int, int]]]
        | Sequence[Mapping[int, Sequence[tuple[int, int]]]],
        holidays: Iterable[date],
        overrides: Mapping[date, Sequence[tuple[int, int]]],
        closures: Iterable[Span],
        cycle_start: date | None = None,
    ) -> None:
        self.tz = zoneinfo.ZoneInfo(timezone)
        weeks = [week] if isinstance(week, Mapping) else list(week)
        # The rules of each day of the rotation (7 per weekly pattern), and the ordinal of a Monday
        # that starts the first pattern: a day's rules are days[(ordinal - anchor) % len(days)].
        self.days = tuple(tuple(w.get(i, ())) for w in weeks for i in range(7))
        self.period_days = len(self.days)
        first = cycle_start or _A_MONDAY
        self.anchor_ordinal = first.toordinal() - first.weekday()
        self.holidays = frozenset(holidays)
        self.overrides = dict(overrides)
        self.closures = merge(closures)
        self._closure_ends = [c[1] for c in self.closures]
        self.week_empty = not any(self.days)
        period = self.period_days * 86400
        week_spans = []
        for index, rules in enumerate(self.days):
            for start, end in rules:
                a, b = index * 86400 + start, index * 86400 + end
                week_spans.append((a, min(b, period)))
                if b > period:
                    week_spans.append((0, b - period))
        self.week_full = merge(week_spans) == [(0, period)]
        # Outside [lo, hi) only the weekly hours apply (used to stop searches that cannot succeed).
        marks: list[int] = []
        for day in (*self.holidays, *self.overrides):
            marks.append(self.local_us(day, 0) - 2 * DAY_US)
            marks.append(self.local_us(day, 0) + 4 * DAY_US)
        for start, end in self.closures:
            marks.extend((start, end))
        self.has_exceptions = bool(marks)
        # Without exceptions the weekly hours apply everywhere: lo above and hi below any instant.
        self.lo = min(marks) if marks else 2**62
        self.hi = max(marks) if marks else -(2**62)

    def pattern_rules(self, day: date) -> Sequence[tuple[int, int]]:
        """Return the ``(open, close)`` seconds the weekly pattern (in rotation) gives a local date."""
        return self.days[(day.toordinal() - self.anchor_ordinal) % self.period_days]

    def local_us(self, day: date, seconds: int) -> int:
        """Return the instant of local wall time ``day`` + ``seconds`` (``fold=0``), in epoch µs."""
        extra, seconds = divmod(seconds, 86400)
        if extra:
            day = day + timedelta(days=extra)
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return to_us(datetime(day.year, day.month, day.day, hours, minutes, secs, tzinfo=self.tz))

    def local_date(self, us: int) -> date:
        """Return the local date of the instant ``us``."""
        return from_us(us, self.tz).date()

    def rules_for(self, day: date) -> Sequence[tuple[int, int]]:
        """Return the ``(open, close)`` seconds that apply on a local date."""
        rules = self.overrides.get(day)
        if rules is not None:
            return rules
        if day in self.holidays:
            return ()
        return self.days[(day.toordinal() - self.anchor_ordinal) % self.period_days]

    def day_intervals(self, day: date, local_us: LocalUs | None = None) -> list[Span]:
        """Return the instants of a local day's intervals (those that a DST gap empties dropped).

        ``local_us`` maps a wall time to its instant (default: :meth:`local_us`, via zoneinfo).
        """
        to_instant = local_us or self.local_us
        result = []
        for start, end in self.rules_for(day):
            a = to_instant(day, start)
            b = to_instant(day, end)
            if a < b:
                result.append((a, b))
        return result

    def intervals(self, lo: int, hi: int, local_us: LocalUs | None = None) -> list[Span]:
        """Return the open spans within ``[lo, hi)``: merged, closures removed, clipped."""
        if hi <= lo:
            return []
        day = self.local_date(lo) - _ONE_DAY
        last = self.local_date(hi)
        raw: list[Span] = []
        while day <= last:
            raw.extend(self.day_intervals(day, local_us))
            day += _ONE_DAY
        spans = [(max(a, lo), min(b, hi)) for a, b in merge(raw) if b > lo and a < hi]
        if self.closures:
            i = bisect_right(self._closure_ends, lo)
            holes = [c for c in self.closures[i:] if c[0] < hi]
            spans = subtract(spans, holes)
        return spans

    def duration(self, lo: int, hi: int) -> int:
        """Return the business microseconds in ``[lo, hi)`` (negative when ``hi < lo``)."""
        if hi < lo:
            return -self.duration(hi, lo)
        if self.week_full and not (self.holidays or self.overrides or self.closures):
            return hi - lo  # open at every instant: no need to walk the days (e.g. year 1000)
        total = 0
        cur = lo
        while cur < hi:
            nxt = min(hi, cur + 400 * DAY_US)
            total += sum(b - a for a, b in self.intervals(cur, nxt))
            cur = nxt
        return total

    def _check_forward(self, cur: int) -> None:
        if self.week_empty and cur >= self.hi:
            raise CalendarError("the calendar has no business time after this instant")

    def _check_backward(self, cur: int) -> None:
        if self.week_empty and cur <= self.lo:
            raise CalendarError("the calendar has no business time before this instant")

    def add(self, start: int, amount: int) -> int:
        """Return the earliest (latest for a negative amount) instant ``amount`` business µs away."""
        if amount == 0:
            return start
        if amount > 0:
            cur, left = start, amount
            while True:
                self._check_forward(cur)
                for a, b in self.intervals(cur, cur + _CHUNK_US):
                    if left <= b - a:
                        return a + left
                    left -= b - a
                cur += _CHUNK_US
        cur, left = start, -amount
        while True:
            self._check_backward(cur)
            for a, b in reversed(self.intervals(cur - _CHUNK_US, cur)):
                if left <= b - a:
                    return b - left
                left -= b - a
            cur -= _CHUNK_US

    def is_open(self, t: int) -> bool:
        """Return whether the instant ``t`` is open."""
        return bool(self.intervals(t, t + 1))

    def next_open(self, t: int) -> int:
        """Return ``t`` when open, else the start of the next open span."""
        cur = t
        while True:
            self._check_forward(cur)
            spans = self.intervals(cur, cur + _CHUNK_US)
            if spans:
                return spans[0][0]
            cur += _CHUNK_US

    def next_close(self, t: int) -> int:
        """Return the end of the open span holding ``t``, or of the next one when ``t`` is closed."""
        cur = self.next_open(t)
        while True:
            if self.week_full and cur >= self.hi:
                raise CalendarError("the calendar never closes after this instant")
            spans = self.intervals(cur, cur + _CHUNK_US)
            if not spans or spans[0][0] > cur:
                return cur
            if spans[0][1] < cur + _CHUNK_US:
                return spans[0][1]
            cur += _CHUNK_US
