"""Working-day arithmetic and backward snapping on a compiled calendar's timeline.

The snapping functions take the :class:`~cs8.sla._calendar_engine.Engine` of a calendar; the
working-day functions take a :class:`DayView` (a calendar's local days, their spans and its
business time), so one implementation serves :class:`~cs8.sla.BusinessCalendar`
(:class:`EngineDays`) and the effective-dated :class:`~cs8.sla.DatedCalendar`, whose days each
come from the calendar in force on them. Instants are integer microseconds on the view's
timeline (epoch microseconds, or local wall microseconds for a wall clock); the calendars
convert at their edges.

A **business day** is a local date whose own intervals (its override's, else its weekday's in the
rotation, none on a holiday), less the closures, leave some business time. Closures count, so an
all-day closure (Odoo's global leave) is a day off; an interval opened the day before and running
past midnight belongs to that day, not to the morning it spills into.

Example:
    >>> from datetime import date
    >>> from cs8.sla._calendar_local import DayWalker
    >>> engine = Engine(DayWalker("UTC", {i: ((32400, 61200),) for i in range(5)}, (), {}, ()))
    >>> shift_business_days(EngineDays(engine), date(2026, 3, 6), 1)  # Friday + 1 working day
    datetime.date(2026, 3, 9)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from cs8.exceptions import CalendarError
from cs8.sla._calendar_engine import Engine
from cs8.sla._calendar_local import DAY_US, Span, merge, subtract

__all__ = [
    "DayView",
    "EngineDays",
    "business_days_between",
    "day_spans",
    "end_of_business_day",
    "previous_close",
    "previous_open",
    "shift_business_days",
]

_ONE_DAY = timedelta(days=1)
_HOUR_US = 3600 * 1_000_000
_MAX_DAYS = 3660  # give up on a search that meets no business day for ten years
_MAX_STRETCH_US = 400 * DAY_US  # give up on an open stretch longer than this


def previous_close(engine: Engine, t: int) -> int:
    """Return ``t`` when it is in ``(open, close]`` of an open stretch, else the latest close before.

    The latest instant whose last microsecond is open is one microsecond after the latest open
    microsecond before ``t``: ``add(t, -1µs) + 1µs``.

    Raises:
        CalendarError: If the calendar has no business time before ``t``.
    """
    return engine.add(t, -1) + 1


def previous_open(engine: Engine, t: int) -> int:
    """Return the opening of the open stretch holding ``t`` in ``(open, close]``, or of the latest one.

    The stretch ends at :func:`previous_close`; its opening is the earliest ``s`` with ``[s, close)``
    all open, found by doubling a step back and then bisecting (stretches that touch are one).

    Raises:
        CalendarError: If there is no business time before ``t``, or the stretch is open for more
            than 400 days (a calendar open all the time has no opening).
    """
    close = previous_close(engine, t)
    step = _HOUR_US
    while engine.duration(close - step, close) == step:
        step *= 2
        if step > _MAX_STRETCH_US:
            raise CalendarError(
                "BusinessCalendar.previous_open: the calendar is open for more than 400 days "
                "before this instant, so the stretch has no opening to return"
            )
    bad, good = close - step, close - step // 2 if step > _HOUR_US else close
    while good - bad > 1:
        mid = (bad + good) // 2
        if engine.duration(mid, close) == close - mid:
            good = mid
        else:
            bad = mid
    return good


def day_spans(engine: Engine, day: date) -> list[Span]:
    """Return the open spans of a local date's own intervals, closures removed."""
    walker = engine.walker
    spans = walker.day_intervals(day)
    if spans and walker.closures:
        spans = subtract(spans, walker.closures)
    return spans


class DayView(Protocol):
    """A calendar seen day by day: what the working-day functions need of it."""

    def local_date(self, t: int) -> date:
        """The local date of the instant ``t``."""
        ...

    def midnight(self, day: date) -> int:
        """The instant of local midnight starting ``day``."""
        ...

    def spans(self, day: date) -> list[Span]:
        """The open spans of ``day``'s own intervals, closures removed (empty: not a business day)."""
        ...

    def scheduled(self, day: date) -> list[Span]:
        """``day``'s own intervals before closures are removed (its scheduled time)."""
        ...

    def duration(self, a: int, b: int) -> int:
        """Business microseconds in ``[a, b)``."""
        ...


class EngineDays:
    """The :class:`DayView` of one compiled calendar."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def local_date(self, t: int) -> date:
        return self._engine.walker.local_date(t)

    def midnight(self, day: date) -> int:
        return self._engine.walker.local_us(day, 0)

    def spans(self, day: date) -> list[Span]:
        return day_spans(self._engine, day)

    def scheduled(self, day: date) -> list[Span]:
        return self._engine.walker.day_intervals(day)

    def duration(self, a: int, b: int) -> int:
        return self._engine.duration(a, b)


def _no_day(where: str) -> CalendarError:
    return CalendarError(
        f"BusinessCalendar.{where}: no business day within ten years in that direction"
    )


def shift_business_days(view: DayView, day: date, n: int) -> date:
    """Return the ``n``-th business day after ``day`` (before it when ``n < 0``; ``day`` when 0).

    ``day`` itself never counts (working_hours ``add_days``).

    Raises:
        CalendarError: If ten years pass without a business day.
    """
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    left = abs(n)
    idle = 0
    while left:
        day += step
        if view.spans(day):
            left -= 1
            idle = 0
        else:
            idle += 1
            if idle > _MAX_DAYS:
                raise _no_day("add_business_days")
    return day


def business_days_between(view: DayView, a: int, b: int) -> float:
    """Return the working days of ``[a, b)``: each local day's share of its scheduled time.

    A local day (midnight to midnight) with scheduled hours counts the business time of ``[a, b)``
    inside it divided by its scheduled time, the hours its intervals give it before closures are
    removed (so a half-day closure leaves half a day, as Odoo counts leaves); ``b < a`` gives the
    negative.
    """
    if b < a:
        return -business_days_between(view, b, a)
    day = view.local_date(a)
    last = view.local_date(b)
    total = 0.0
    start = view.midnight(day)
    while day <= last:
        nxt = day + _ONE_DAY
        end = view.midnight(nxt)
        scheduled = merge([*view.scheduled(day - _ONE_DAY), *view.scheduled(day)])
        whole = sum(min(y, end) - max(x, start) for x, y in scheduled if y > start and x < end)
        if whole:
            part = view.duration(max(a, start), min(b, end))
            total += part / whole
        day, start = nxt, end
    return total


def end_of_business_day(view: DayView, t: int, n: int) -> int:
    """Return the close of the ``n``-th business day from ``t`` (the opening of the ``|n|``-th before).

    ``t``'s own day counts when it has business time after ``t`` (before ``t``, for ``n < 0``).
    ``n == 0`` returns ``t`` (Odoo ``plan_days``).

    Raises:
        CalendarError: If ten years pass without a business day.
    """
    if n == 0:
        return t
    day = view.local_date(t)
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    left = abs(n)
    idle = 0
    while True:
        spans = view.spans(day)
        if n > 0 and spans and spans[-1][1] > t:
            left -= 1
            if not left:
                return spans[-1][1]
            idle = 0
        elif n < 0 and spans and spans[0][0] < t:
            left -= 1
            if not left:
                return spans[0][0]
            idle = 0
        else:
            idle += 1
            if idle > _MAX_DAYS:
                raise _no_day("end_of_business_day")
        day += step
