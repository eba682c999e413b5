"""A business calendar as a small table that a dataframe engine joins, so business time is computed
where the data lives.

The table lists the calendar's open stretches between two instants as breakpoints: at each
breakpoint ``at_us`` (microseconds since the Unix epoch, UTC) the business time counted from the
table's start is ``cum_us``, and ``open`` says whether the calendar is open until the next
breakpoint. The business time from the start to any instant ``t`` is then

    C(t) = cum_us + (t - at_us if open else 0)    with the last breakpoint at or before t,

one as-of join, and ``business_duration(a, b) == C(b) - C(a)`` exactly, to the microsecond, because
the stretches and their lengths come from the calendar itself (:meth:`BusinessCalendar.next_open`,
:meth:`~BusinessCalendar.next_close` and :meth:`~BusinessCalendar.business_duration`). A working week
has about four breakpoints a day, so ten years are some 15,000 rows.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8.sla import BusinessCalendar
    >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
    >>> table = calendar_table(cal, datetime(2026, 3, 2, tzinfo=timezone.utc),
    ...                        datetime(2026, 3, 10, tzinfo=timezone.utc))
    >>> [(datetime.fromtimestamp(a / 1e6, timezone.utc).strftime("%a %H:%M"), c // 3_600_000_000, o)
    ...  for a, c, o in table.rows()]
    [('Mon 00:00', 0, False), ('Mon 09:00', 0, True), ('Mon 17:00', 8, False), ('Mon 09:00', 8, True), ('Mon 17:00', 16, False)]
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from cs8._time import require_aware
from cs8.exceptions import CalendarError, InvalidValueError

if TYPE_CHECKING:
    from cs8.sla import BusinessCalendar

__all__ = ["CalendarTable", "DayTable", "calendar_table"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def epoch_us(t: datetime) -> int:
    """Microseconds since the Unix epoch of an aware instant (exact integer arithmetic)."""
    return (t - EPOCH) // _US


@attrs.frozen(kw_only=True)
class CalendarTable:
    """A calendar's open stretches between two instants, as breakpoints (see the module docs).

    Build one with :func:`calendar_table`. ``at_us`` is strictly increasing; the first breakpoint
    is the table's start (``cum_us`` 0); instants before it or after ``end_us`` are outside.

    Args:
        start_us: The first instant covered (microseconds since the epoch, UTC).
        end_us: The last instant covered.
        at_us: The breakpoints.
        cum_us: Business microseconds from ``start_us`` to each breakpoint.
        open: Whether the calendar is open from each breakpoint to the next.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8.sla import BusinessCalendar
        >>> cal = BusinessCalendar.always_open()
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> table = calendar_table(cal, t, t + timedelta(days=1))
        >>> table.cumulative(epoch_us(t) + 5)
        5
    """

    start_us: int
    end_us: int
    at_us: tuple[int, ...]
    cum_us: tuple[int, ...]
    open: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.at_us)

    def rows(self) -> list[tuple[int, int, bool]]:
        """Return the breakpoints as ``(at_us, cum_us, open)`` rows.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8.sla import BusinessCalendar
            >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> calendar_table(BusinessCalendar.always_open(), t, t).rows()
            [(1767225600000000, 0, True)]
        """
        return list(zip(self.at_us, self.cum_us, self.open, strict=True))

    def cumulative(self, t_us: int) -> int:
        """Return the business microseconds from the table's start to ``t_us`` (the oracle of
        the engines' as-of join).

        Raises:
            InvalidValueError: If ``t_us`` is outside the table.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8.sla import BusinessCalendar
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> table = calendar_table(cal, t, t + timedelta(days=1))
            >>> table.cumulative(epoch_us(t + timedelta(hours=10))) // 60_000_000
            60
        """
        if not self.start_us <= t_us <= self.end_us:
            raise InvalidValueError(
                f"CalendarTable.cumulative: instant {t_us} us is outside the table "
                f"[{self.start_us}, {self.end_us}]"
            )
        k = bisect_right(self.at_us, t_us) - 1
        return self.cum_us[k] + (t_us - self.at_us[k] if self.open[k] else 0)

    def days(self) -> DayTable:
        """Return the same table cut into UTC days (see :class:`DayTable`).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8.sla import BusinessCalendar
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> len(calendar_table(BusinessCalendar.always_open(), t, t + timedelta(days=2)).days().day)
            3
        """
        first = (self.start_us + SHIFT_US) // DAY_US
        last = (self.end_us + SHIFT_US) // DAY_US
        days = list(range(first, last + 1))
        per_day: list[list[tuple[int, int]]] = [[] for _ in days]
        cums: list[int] = []
        bounds = [*self.at_us[1:], max(self.at_us[-1], self.end_us) + DAY_US]
        k = 0
        for day in days:
            day_start = day * DAY_US - SHIFT_US
            while k + 1 < len(self.at_us) and self.at_us[k + 1] <= day_start:
                k += 1
            if day_start < self.at_us[0]:
                cums.append(0)
            else:
                cums.append(self.cum_us[k] + (day_start - self.at_us[k] if self.open[k] else 0))
        for j, (at, is_open) in enumerate(zip(self.at_us, self.open, strict=True)):
            if not is_open:
                continue
            a, b = at, bounds[j]
            while a < b:
                day = (a + SHIFT_US) // DAY_US
                day_end = (day + 1) * DAY_US - SHIFT_US
                piece_end = min(b, day_end)
                i = day - first
                if 0 <= i < len(days):
                    per_day[i].append((a - (day * DAY_US - SHIFT_US), piece_end - a))
                elif i >= len(days):
                    break
                a = piece_end
        width = max((len(p) for p in per_day), default=0)
        starts = tuple(tuple(p[w][0] if w < len(p) else 0 for p in per_day) for w in range(width))
        lengths = tuple(tuple(p[w][1] if w < len(p) else 0 for p in per_day) for w in range(width))
        return DayTable(day=tuple(days), cum_us=tuple(cums), starts=starts, lengths=lengths)


DAY_US = 86_400_000_000
# Instants are shifted by a whole number of days before dividing, so that every instant from 1700
# on is non-negative and integer division is floor division in every engine.
SHIFT_DAYS = 100_000
SHIFT_US = SHIFT_DAYS * DAY_US


@attrs.frozen(kw_only=True)
class DayTable:
    """A :class:`CalendarTable` cut into UTC days, for an equi-join on the day number.

    For day ``d`` (``(t_us + SHIFT_US) // DAY_US``, a plain integer key every engine joins on),
    ``cum_us[i]`` is the business time from the table's start to the day's first instant, and
    ``starts[k][i]``/``lengths[k][i]`` the ``k``-th open piece of the day (offsets in microseconds
    from the day's start; unused pieces have length 0). The business time to ``t`` is then

        cum + sum over k of clamp(time_of_day - start_k, 0, length_k),

    a join on a small table and a few additions: no as-of join, which some engines lack and which
    costs DuckDB several times a hash join.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8.sla import BusinessCalendar
        >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "12:00"),
        ...                                                       ("13:00", "17:00")]})
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> days = calendar_table(cal, t, t + timedelta(days=1)).days()
        >>> days.pieces, [x // 3_600_000_000 for x in days.lengths[1]]
        (2, [4, 0])
    """

    day: tuple[int, ...]
    cum_us: tuple[int, ...]
    starts: tuple[tuple[int, ...], ...]
    lengths: tuple[tuple[int, ...], ...]

    @property
    def pieces(self) -> int:
        """The most open pieces in one day (the number of ``starts``/``lengths`` columns)."""
        return len(self.starts)

    def cumulative(self, t_us: int) -> int:
        """Return the business time from the table's start to ``t_us`` (for tests and docs).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8.sla import BusinessCalendar
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> days = calendar_table(BusinessCalendar.always_open(), t, t).days()
            >>> days.cumulative(epoch_us(t) + 7)
            7
        """
        shifted = t_us + SHIFT_US
        i = self.day.index(shifted // DAY_US)
        tod = shifted % DAY_US
        return self.cum_us[i] + sum(
            max(0, min(lengths[i], tod - starts[i]))
            for starts, lengths in zip(self.starts, self.lengths, strict=True)
        )


def calendar_table(calendar: BusinessCalendar, start: datetime, end: datetime) -> CalendarTable:
    """Compile ``calendar``'s open stretches between ``start`` and ``end`` into a table.

    Args:
        calendar: The business calendar (its ``clock`` must count elapsed time, the default).
        start: The first instant the table must cover.
        end: The last instant it must cover (at or after ``start``).

    Raises:
        NaiveDatetimeError: If an instant has no time zone.
        InvalidValueError: If ``end`` is before ``start``, or the calendar counts wall-clock time
            (not supported by the table form yet).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8.sla import BusinessCalendar
        >>> cal = BusinessCalendar(timezone="Europe/Paris", hours={"sun": [("00:00", "24:00")]})
        >>> a = datetime(2026, 10, 24, 22, tzinfo=timezone.utc)
        >>> table = calendar_table(cal, a, a + timedelta(days=2))
        >>> table.cum_us[-1] // 3_600_000_000   # the fall-back Sunday lasts 25 hours
        25
    """
    start = require_aware(start, "calendar_table(start)")
    end = require_aware(end, "calendar_table(end)")
    if end < start:
        raise InvalidValueError(
            f"calendar_table: end {end.isoformat()} is before start {start.isoformat()}"
        )
    clock = getattr(calendar, "clock", "elapsed")
    if clock != "elapsed":
        raise InvalidValueError(
            f"calendar_table: calendar clock {clock!r} is not supported (only 'elapsed')"
        )
    at_us: list[int] = []
    cum_us: list[int] = []
    open_: list[bool] = []
    total = 0

    def mark(t: datetime, is_open: bool) -> None:
        us = epoch_us(t)
        if at_us and at_us[-1] == us:  # a zero-length stretch: the later state wins
            open_[-1] = is_open
        else:
            at_us.append(us)
            cum_us.append(total)
            open_.append(is_open)

    t = start
    while True:
        try:
            opens = calendar.next_open(t)
        except CalendarError:  # never opens again: closed to the end
            mark(t, False)
            break
        if opens > t:
            mark(t, False)
        if opens > end:
            break
        try:
            closes = calendar.next_close(opens)
        except CalendarError:  # never closes again: open to the end
            mark(opens, True)
            break
        mark(opens, True)
        total += calendar.business_duration(opens, closes) // _US
        t = closes
        if t > end:
            mark(t, False)
            break
    return CalendarTable(
        start_us=epoch_us(start),
        end_us=epoch_us(end),
        at_us=tuple(at_us),
        cum_us=tuple(cum_us),
        open=tuple(open_),
    )
