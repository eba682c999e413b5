"""The compiled form of a business calendar: O(log n) business time on epoch microseconds.

A calendar compiles once into

* the **week pattern**: the weekly hours as sorted, merged offsets (local microseconds after
  Monday 00:00) with prefix sums, so the business time of any stretch with one UTC offset is two
  binary searches and a multiplication;
* the **pieces** of a compiled window (1970-2100, widened to cover every exception): a sorted list
  of boundaries where each piece is either *regular* (the week pattern read at one UTC offset) or
  *explicit* (the exact open intervals, generated day by day, around each DST transition, holiday,
  override and closure), with the cumulative business time at each boundary;
* the **explicit intervals** of all explicit pieces, flattened, with their own prefix sums.

``C(t)``, the business time from the window's start to ``t``, is then one binary search for the
piece plus the piece's own search, so ``business_duration(a, b) = C(b) - C(a)`` and
``add_business_time`` (inverting ``C``) cost O(log n) however far apart the instants are. Outside
the window the exact day walker answers.

Example:
    >>> from cs8.sla._calendar_local import DayWalker
    >>> walker = DayWalker("Europe/Paris", {i: ((32400, 61200),) for i in range(5)}, (), {}, ())
    >>> engine = Engine(walker)
    >>> monday = walker.local_us(date(2026, 3, 2), 9 * 3600)
    >>> engine.duration(monday, monday + 7 * DAY_US) // 3_600_000_000
    40
"""

from __future__ import annotations

import functools
import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from cs8.sla._calendar_local import DAY_US, SECOND_US, DayWalker, merge, to_us

__all__ = ["WEEK_US", "Engine", "ZoneTable", "zone_table"]

WEEK_US = 7 * DAY_US
_SAMPLE_US = 5 * DAY_US  # offsets change at most once between samples (tzdata: >= 6.9 days apart)
_OLD_SAMPLE_US = 3 * DAY_US  # before 1970 (Africa/Freetown had changes four days apart)
_HOUR_US = 3600 * SECOND_US
_SLOT_US = 900 * SECOND_US  # a quarter hour: hours on :00, :15, :30 and :45 never split a slot
_ONE_US = timedelta(microseconds=1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_FIRST_YEAR, _LAST_YEAR = 1970, 2100
_MIN_YEAR, _MAX_YEAR = 1900, 2200


def _year_us(year: int) -> int:
    return to_us(datetime(year, 1, 1, tzinfo=UTC))


class ZoneTable:
    """The UTC offset changes of a zone over a range of instants, exact to the second.

    Maps a local wall time to its instant as :mod:`zoneinfo` does with ``fold=0`` (a time in a gap
    or a fold is read with the offset before the change) with one binary search: a wall time
    before ``change + max(offset before, offset after)`` uses the offset before the change.

    Args:
        key: IANA zone name.
        lo: First instant (epoch µs) covered.
        hi: Last instant covered.
    """

    def __init__(self, key: str, lo: int, hi: int) -> None:
        tz = zoneinfo.ZoneInfo(key)

        def offset(seconds: int) -> int:
            delta = datetime.fromtimestamp(seconds, tz).utcoffset()
            return 0 if delta is None else delta // _ONE_US

        changes: list[int] = []
        offsets = [offset(lo // SECOND_US)]
        prev_s = lo // SECOND_US
        last_s = hi // SECOND_US
        modern_s = _year_us(_FIRST_YEAR) // SECOND_US
        while prev_s < last_s:
            step = _SAMPLE_US if prev_s >= modern_s else _OLD_SAMPLE_US
            t = min(prev_s + step // SECOND_US, last_s)
            cur = offset(t)
            if cur != offsets[-1]:
                a, b = prev_s, t
                while b - a > 1:
                    mid = (a + b) // 2
                    if offset(mid) == offsets[-1]:
                        a = mid
                    else:
                        b = mid
                changes.append(b * SECOND_US)
                offsets.append(cur)
            prev_s = t
        self.changes = tuple(changes)
        self.offsets = tuple(offsets)
        self.thresholds = tuple(t + max(offsets[k], offsets[k + 1]) for k, t in enumerate(changes))

    def offset_at(self, t: int) -> int:
        """Return the UTC offset (µs) in force at the instant ``t``."""
        return self.offsets[bisect_right(self.changes, t)]

    def local_us(self, day: date, seconds: int) -> int:
        """Return the instant (epoch µs) of wall time ``day`` + ``seconds``, read with ``fold=0``."""
        wall = (day.toordinal() - _EPOCH_ORDINAL) * DAY_US + seconds * SECOND_US
        return wall - self.offsets[bisect_right(self.thresholds, wall)]


@functools.lru_cache(maxsize=64)
def zone_table(key: str, lo: int, hi: int) -> ZoneTable:
    """Return the :class:`ZoneTable` of a zone (memoized: a pure function of tzdata).

    Offsets are sampled every five days from 1970 (tzdata has no two changes of one zone closer
    than 6.9 days since then) and every three days before, then each change is bisected to the
    second.
    """
    return ZoneTable(key, lo, hi)


class Engine:
    """The compiled week pattern, pieces and explicit intervals of one calendar.

    Args:
        walker: The exact day-by-day view of the calendar.
    """

    def __init__(self, walker: DayWalker) -> None:
        self.walker = walker
        self.extras: dict[str, object] = {}  # derived tables (numpy copies), built on demand
        self._build_week()
        self._build_pieces()

    # -- construction --------------------------------------------------------------------------

    def _build_week(self) -> None:
        walker = self.walker
        # The pattern repeats every ``period`` (one week, or the weeks of a rotation); ``anchor``
        # is the local time (µs since the epoch's wall midnight) at which a period starts.
        period = self.period = walker.period_days * DAY_US
        self.anchor = ((walker.anchor_ordinal - _EPOCH_ORDINAL) * DAY_US) % period
        spans = []
        for index, rules in enumerate(walker.days):
            for start, end in rules:
                a = index * DAY_US + start * SECOND_US
                b = index * DAY_US + end * SECOND_US
                spans.append((a, min(b, period)))
                if b > period:
                    spans.append((0, b - period))
        merged = merge(spans)
        self.opens = [a for a, _ in merged]
        self.closes = [b for _, b in merged]
        self.lengths = [b - a for a, b in merged]
        self.before: list[int] = []  # business time of the week before each open
        self.through: list[int] = []  # ... up to each close
        total = 0
        for length in self.lengths:
            self.before.append(total)
            total += length
            self.through.append(total)
        self.total = total
        self.full = total == period

    def _build_pieces(self) -> None:
        walker = self.walker
        lo = _year_us(_FIRST_YEAR)
        hi = _year_us(_LAST_YEAR)
        if walker.has_exceptions:
            lo = max(min(lo, walker.lo - WEEK_US), _year_us(_MIN_YEAR))
            hi = min(max(hi, walker.hi + WEEK_US), _year_us(_MAX_YEAR))
        self.lo, self.hi = lo, hi
        # Around a change at T, a day's hours (which span two local days) may straddle it for
        # instants within two local days plus the change of T: those become explicit.
        table = zone_table(str(walker.tz.key), lo - WEEK_US, hi + WEEK_US)
        self.table = table
        spans = [
            (t - margin, t + margin)
            for k, t in enumerate(table.changes)
            for margin in (
                2 * DAY_US + abs(table.offsets[k + 1] - table.offsets[k]) + 2 * _HOUR_US,
            )
        ]
        # A holiday or override changes only the hours of its own day: the weekday's and the
        # override's intervals, whose hull is all that has to be explicit.
        for day in {*walker.holidays, *walker.overrides}:
            rules = [*walker.pattern_rules(day), *walker.overrides.get(day, ())]
            if rules:
                first = min(start for start, _ in rules)
                last = max(end for _, end in rules)
                spans.append((table.local_us(day, first), table.local_us(day, last)))
        spans.extend(walker.closures)
        spans = [(max(a, lo), min(b, hi)) for a, b in merge(spans) if b > lo and a < hi]

        bounds: list[int] = []
        offsets: list[int | None] = []
        cur = lo
        for a, b in [*spans, (hi, hi)]:
            if a > cur:
                bounds.append(cur)
                offsets.append(table.offset_at((cur + a) // 2))
            if b > a:
                bounds.append(a)
                offsets.append(None)
            cur = b
        self.bounds = bounds
        self.offsets = [0 if o is None else o for o in offsets]
        self.explicit = [o is None for o in offsets]

        self.ex_starts: list[int] = []
        self.ex_ends: list[int] = []
        self.ex_before: list[int] = []
        self.ex_through: list[int] = []
        ex_total = 0
        ends = [*bounds[1:], hi]
        for index, start in enumerate(bounds):
            if self.explicit[index]:
                for a, b in walker.intervals(start, ends[index], table.local_us):
                    self.ex_starts.append(a)
                    self.ex_ends.append(b)
                    self.ex_before.append(ex_total)
                    ex_total += b - a
                    self.ex_through.append(ex_total)

        self.bases: list[int] = []
        self.cumulative: list[int] = []
        total = 0
        for index, start in enumerate(bounds):
            self.cumulative.append(total)
            if self.explicit[index]:
                base = total - self._cum_explicit(start)
                total = base + self._cum_explicit(ends[index])
            else:
                base = total - self._week_cum(start + self.offsets[index])
                total = base + self._week_cum(ends[index] + self.offsets[index])
            self.bases.append(base)
        self.cumulative.append(total)
        self.cum = self._make_cum()

    # -- the cumulative function ---------------------------------------------------------------

    def _week_cum(self, local: int) -> int:
        q, r = divmod(local - self.anchor, self.period)
        j = bisect_right(self.opens, r) - 1
        if j < 0:
            return q * self.total
        return q * self.total + self.before[j] + min(r - self.opens[j], self.lengths[j])

    def _cum_explicit(self, t: int) -> int:
        j = bisect_right(self.ex_starts, t) - 1
        if j < 0:
            return 0
        return self.ex_before[j] + min(t - self.ex_starts[j], self.ex_ends[j] - self.ex_starts[j])

    def _make_cum(self) -> Callable[[int], int]:
        """Return ``C`` as a closure over the tables (the hot path of every operation)."""
        bounds = self.bounds
        bases = self.bases
        # per piece: the local-minus-Monday shift of a regular piece, None for an explicit one
        shifts = [
            None if explicit else offset - self.anchor
            for offset, explicit in zip(self.offsets, self.explicit, strict=True)
        ]
        # zero-length sentinels at the front, so a search never returns -1; within interval j,
        # cum = min(r - (open_j - before_j), through_j)
        opens = [0, *self.opens]
        keys = [0, *(a - b for a, b in zip(self.opens, self.before, strict=True))]
        through = [0, *self.through]
        ex_starts = [-(2**62), *self.ex_starts]
        ex_keys = [-(2**62), *(a - b for a, b in zip(self.ex_starts, self.ex_before, strict=True))]
        ex_through = [0, *self.ex_through]
        total = self.total
        week = self.period
        search = bisect_right

        def cum(t: int) -> int:
            """Return the business µs from the window's start to ``t`` (``lo <= t <= hi``)."""
            i = search(bounds, t) - 1
            shift = shifts[i]
            if shift is None:
                j = search(ex_starts, t) - 1
                x = t - ex_keys[j]
                y = ex_through[j]
                return bases[i] + (x if x < y else y)
            q, r = divmod(t + shift, week)
            j = search(opens, r) - 1
            x = r - keys[j]
            y = through[j]
            return bases[i] + q * total + (x if x < y else y)

        def between(a: int, b: int) -> int:
            """Return ``cum(b) - cum(a)`` (both in the window), with the two lookups inlined."""
            i = search(bounds, a) - 1
            shift = shifts[i]
            if shift is None:
                j = search(ex_starts, a) - 1
                x = a - ex_keys[j]
                y = ex_through[j]
                ca = bases[i] + (x if x < y else y)
            else:
                q, r = divmod(a + shift, week)
                j = search(opens, r) - 1
                x = r - keys[j]
                y = through[j]
                ca = bases[i] + q * total + (x if x < y else y)
            i = search(bounds, b) - 1
            shift = shifts[i]
            if shift is None:
                j = search(ex_starts, b) - 1
                x = b - ex_keys[j]
                y = ex_through[j]
                return bases[i] + (x if x < y else y) - ca
            q, r = divmod(b + shift, week)
            j = search(opens, r) - 1
            x = r - keys[j]
            y = through[j]
            return bases[i] + q * total + (x if x < y else y) - ca

        self.between = between
        lo, hi = self.lo, self.hi
        ends = [*bounds[1:], hi]
        duration = self.duration
        one_us = _ONE_US

        slot = _SLOT_US
        slot_base, slot_open = self._slot_tables()

        def timedelta_between(a: int, b: int) -> timedelta:
            """Return ``duration(a, b)`` as a timedelta; the hot path of ``business_duration``."""
            if lo <= a < hi and lo <= b < hi:
                i = search(bounds, a) - 1
                shift = shifts[i]
                if shift is not None and bounds[i] <= b < ends[i]:  # one regular piece
                    q, r = divmod(a + shift, week)
                    k = r // slot
                    state = slot_open[k]
                    if state is None:  # an opening or closing inside this quarter hour
                        j = search(opens, r) - 1
                        x = r - keys[j]
                        y = through[j]
                        wa = x if x < y else y
                    else:
                        wa = slot_base[k] + r if state else slot_base[k]
                    qb, r = divmod(b + shift, week)
                    k = r // slot
                    state = slot_open[k]
                    if state is None:
                        j = search(opens, r) - 1
                        x = r - keys[j]
                        y = through[j]
                        wb = x if x < y else y
                    else:
                        wb = slot_base[k] + r if state else slot_base[k]
                    return one_us * ((qb - q) * total + wb - wa)
                return one_us * between(a, b)
            return one_us * duration(a, b)

        self.timedelta_between = timedelta_between
        return cum

    def _slot_tables(self) -> tuple[list[int], list[bool | None]]:
        """Return, per quarter hour of the week, the week pattern's cumulative time as a line.

        ``slot_open[k]`` is True when the quarter hour is open throughout (business time up to
        ``r`` is then ``slot_base[k] + r``), False when closed throughout (``slot_base[k]``), and
        None when an opening or closing falls inside it (then a binary search answers).
        """
        edges = sorted({*self.opens, *self.closes})
        slot_base: list[int] = []
        slot_open: list[bool | None] = []
        for k in range(self.period // _SLOT_US):
            start, end = k * _SLOT_US, (k + 1) * _SLOT_US
            j = bisect_right(edges, start)
            if j < len(edges) and edges[j] < end:
                slot_base.append(0)
                slot_open.append(None)
                continue
            cum = self._week_cum(start + self.anchor)
            i = bisect_right(self.opens, start) - 1
            is_open = i >= 0 and start < self.closes[i]
            slot_base.append(cum - start if is_open else cum)
            slot_open.append(is_open)
        return slot_base, slot_open

    def _earliest(self, value: int) -> int:
        """Return the earliest instant in the window where ``C`` reaches ``value``."""
        i = bisect_left(self.cumulative, value) - 1
        target = value - self.bases[i]
        if self.explicit[i]:
            j = bisect_left(self.ex_through, target)
            return self.ex_starts[j] + target - self.ex_before[j]
        q, rem = divmod(target, self.total)
        if rem == 0:
            q, rem = q - 1, self.total
        j = bisect_left(self.through, rem)
        local = q * self.period + self.opens[j] + rem - self.before[j] + self.anchor
        return local - self.offsets[i]

    def _latest(self, value: int) -> int:
        """Return the latest instant in the window where ``C`` still equals ``value``."""
        i = bisect_right(self.cumulative, value) - 1
        target = value - self.bases[i]
        if self.explicit[i]:
            j = bisect_right(self.ex_before, target) - 1
            return self.ex_starts[j] + target - self.ex_before[j]
        q, rem = divmod(target, self.total)
        j = bisect_right(self.before, rem) - 1
        local = q * self.period + self.opens[j] + rem - self.before[j] + self.anchor
        return local - self.offsets[i]

    # -- operations ----------------------------------------------------------------------------

    def duration(self, a: int, b: int) -> int:
        """Return the business µs from ``a`` to ``b`` (negative when ``b < a``)."""
        lo, hi = self.lo, self.hi
        if lo <= a < hi and lo <= b < hi:
            cum = self.cum
            return cum(b) - cum(a)
        if b < a:
            return -self.duration(b, a)
        if b <= lo or a >= hi:
            return self.walker.duration(a, b)
        total = 0
        if a < lo:
            total += self.walker.duration(a, lo)
            a = lo
        if b >= hi:
            total += self.walker.duration(hi, b)
            b = hi
        return total + self.cum(b) - self.cum(a)

    def add(self, start: int, amount: int) -> int:
        """Return the earliest (latest, for a negative amount) instant ``amount`` business µs away."""
        if amount == 0:
            return start
        if not self.lo <= start < self.hi:
            return self.walker.add(start, amount)
        value = self.cum(start) + amount
        if amount > 0:
            end = self.cumulative[-1]
            if value <= end:
                return self._earliest(value)
            return self.walker.add(self.hi, value - end)
        if value >= 0:
            return self._latest(value)
        return self.walker.add(self.lo, value)

    def is_open(self, t: int) -> bool:
        """Return whether ``t`` is open."""
        if not self.lo <= t < self.hi:
            return self.walker.is_open(t)
        i = bisect_right(self.bounds, t) - 1
        if self.explicit[i]:
            j = bisect_right(self.ex_starts, t) - 1
            return j >= 0 and t < self.ex_ends[j]
        r = (t + self.offsets[i] - self.anchor) % self.period
        j = bisect_right(self.opens, r) - 1
        return j >= 0 and r < self.closes[j]

    def _piece_end(self, i: int) -> int:
        return self.bounds[i + 1] if i + 1 < len(self.bounds) else self.hi

    def next_open(self, t: int) -> int:
        """Return ``t`` when open, else the next instant that opens."""
        while self.lo <= t < self.hi:
            if self.is_open(t):
                return t
            i = bisect_right(self.bounds, t) - 1
            end = self._piece_end(i)
            if self.explicit[i]:
                j = bisect_right(self.ex_starts, t)
                if j < len(self.ex_starts) and self.ex_starts[j] < end:
                    return self.ex_starts[j]
            elif self.total:
                q, r = divmod(t + self.offsets[i] - self.anchor, self.period)
                j = bisect_right(self.opens, r)
                if j == len(self.opens):
                    q, j = q + 1, 0
                candidate = q * self.period + self.opens[j] + self.anchor - self.offsets[i]
                if candidate < end:
                    return candidate
            t = end
        return self.walker.next_open(t)

    def next_close(self, t: int) -> int:
        """Return the end of the open stretch holding ``t`` (or of the next one)."""
        t = self.next_open(t)
        while self.lo <= t < self.hi:
            if not self.is_open(t):
                return t
            i = bisect_right(self.bounds, t) - 1
            end = self._piece_end(i)
            if self.explicit[i]:
                j = bisect_right(self.ex_starts, t) - 1
                t = min(self.ex_ends[j], end)
            elif self.full:
                t = end
            else:
                q, r = divmod(t + self.offsets[i] - self.anchor, self.period)
                j = bisect_right(self.opens, r) - 1
                t = min(q * self.period + self.closes[j] + self.anchor - self.offsets[i], end)
        if not self.walker.is_open(t):
            return t
        return self.walker.next_close(t)

    def local_midnight(self, day: date) -> int:
        """Return the instant of local midnight starting ``day`` (``fold=0``)."""
        return self.walker.local_us(day, 0)
