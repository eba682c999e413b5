"""Effective-dated calendars: one business calendar in force until a date, another after it.

A :class:`DatedCalendar` (built with :meth:`cs8.sla.BusinessCalendar.from_periods`) holds
``(date, calendar)`` periods. Each calendar is in force from local midnight of its date, read in its
own time zone, until the next period starts; the first one also covers everything before its date.
Every instant is counted against the calendar in force at it (Zendesk's rule for schedules that
change), so business time stays additive across the change.

Example:
    >>> from datetime import date, datetime, timedelta, timezone
    >>> from cs8.sla import BusinessCalendar
    >>> old = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
    >>> new = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "12:00")]})
    >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), old), (date(2026, 3, 1), new)])
    >>> a = datetime(2026, 2, 23, tzinfo=timezone.utc)
    >>> cal.business_duration(a, a + timedelta(days=14)) // timedelta(hours=1)  # 8 h + 3 h
    11
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import attrs

from cs8._time import require_aware
from cs8.exceptions import CalendarError
from cs8.sla import _calendar_days as days
from cs8.sla._calendar_local import from_us, to_us

if TYPE_CHECKING:
    from cs8.sla._calendar import BusinessCalendar

__all__ = ["DatedCalendar"]

_ZERO = timedelta(0)
_ONE_US = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)


def _periods(value: Iterable[Any]) -> tuple[tuple[date, BusinessCalendar], ...]:
    from cs8.sla._calendar import BusinessCalendar

    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise CalendarError(
            f"BusinessCalendar.from_periods: expected (date, BusinessCalendar) pairs, got {value!r}"
        )
    result: list[tuple[date, BusinessCalendar]] = []
    for number, item in enumerate(value):
        where = f"BusinessCalendar.from_periods: period {number}"
        try:
            start, calendar = item
        except (TypeError, ValueError):
            raise CalendarError(
                f"{where} must be a (date, BusinessCalendar) pair, got {item!r}"
            ) from None
        if isinstance(start, str):
            with contextlib.suppress(ValueError):
                start = date.fromisoformat(start)
        if isinstance(start, datetime) or not isinstance(start, date):
            raise CalendarError(f"{where}: the start must be a date, got {start!r}")
        if not isinstance(calendar, BusinessCalendar):
            raise CalendarError(f"{where}: expected a BusinessCalendar, got {calendar!r}")
        if result and start <= result[-1][0]:
            raise CalendarError(
                f"{where}: starts on {start}, not after the period before it ({result[-1][0]}); "
                "give the periods in date order, one per date"
            )
        result.append((start, calendar))
    if not result:
        raise CalendarError("BusinessCalendar.from_periods: no periods given")
    return tuple(result)


@attrs.frozen(kw_only=True)
class DatedCalendar:
    """Business calendars in force one after another, each from local midnight of its date.

    Build it with :meth:`cs8.sla.BusinessCalendar.from_periods`. It counts business time like a
    :class:`~cs8.sla.BusinessCalendar` (it satisfies :class:`cs8.sla.SlaClock`), each instant
    against the calendar in force at it; the first calendar also covers the time before its date.

    Args:
        periods: ``(date, BusinessCalendar)`` pairs in increasing date order.

    Raises:
        CalendarError: If a period is malformed, or the dates do not increase.

    Example:
        >>> from cs8.sla import BusinessCalendar
        >>> cal = BusinessCalendar.from_periods(
        ...     [(date(2026, 1, 1), BusinessCalendar.always_open())])
        >>> len(cal.periods)
        1
    """

    periods: tuple[tuple[date, BusinessCalendar], ...] = attrs.field(converter=_periods)
    _starts: tuple[datetime, ...] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        from zoneinfo import ZoneInfo

        starts: list[datetime] = []
        for number, (day, calendar) in enumerate(self.periods):
            local = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(calendar.timezone))
            start = local.astimezone(UTC)
            if starts and start <= starts[-1]:
                raise CalendarError(
                    f"BusinessCalendar.from_periods: period {number} starts at {start.isoformat()}, "
                    f"not after the period before it ({starts[-1].isoformat()}) once read in its "
                    "time zone"
                )
            starts.append(start)
        object.__setattr__(self, "_starts", tuple(starts))

    # -- the period in force -------------------------------------------------------------------

    def _index(self, t: datetime) -> int:
        return max(0, bisect_right(self._starts, t) - 1)

    def _index_before(self, t: datetime) -> int:
        """The period holding the instant just before ``t`` (for backward searches)."""
        return max(0, bisect_right(self._starts, t - _ONE_US) - 1)

    def _end(self, index: int) -> datetime | None:
        return self._starts[index + 1] if index + 1 < len(self._starts) else None

    def _start(self, index: int) -> datetime | None:
        return self._starts[index] if index > 0 else None

    def calendar_at(self, t: datetime) -> BusinessCalendar:
        """Return the calendar in force at the instant ``t``.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar.always_open()
            >>> b = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a), (date(2026, 6, 1), b)])
            >>> cal.calendar_at(datetime(2026, 7, 1, tzinfo=UTC)) is b
            True
        """
        t = require_aware(t, "DatedCalendar.calendar_at(t)")
        return self.periods[self._index(t)][1]

    def spans(
        self, start: datetime, end: datetime
    ) -> tuple[tuple[datetime, datetime, BusinessCalendar], ...]:
        """Return ``(from, to, calendar)`` for every schedule in force within ``[start, end)``.

        This is "every schedule the ticket had", as dbt_zendesk's schedule history computes it.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar.always_open()
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a), (date(2026, 6, 1), a)])
            >>> len(cal.spans(datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)))
            2
        """
        start = require_aware(start, "DatedCalendar.spans(start)")
        end = require_aware(end, "DatedCalendar.spans(end)")
        result = []
        index = self._index(start)
        cur = start
        while cur < end:
            stop = self._end(index)
            upto = end if stop is None or stop > end else stop
            result.append((cur, upto, self.periods[index][1]))
            cur = upto
            index += 1
        return tuple(result)

    # -- business time -------------------------------------------------------------------------

    def business_duration(self, start: datetime, end: datetime) -> timedelta:
        """Return the business time between two instants, each counted in the calendar in force.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar.always_open()
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a)])
            >>> t = datetime(2026, 1, 5, tzinfo=UTC)
            >>> cal.business_duration(t, t + timedelta(hours=3))
            datetime.timedelta(seconds=10800)
        """
        start = require_aware(start, "DatedCalendar.business_duration(start)")
        end = require_aware(end, "DatedCalendar.business_duration(end)")
        if end < start:
            return -self.business_duration(end, start)
        total = _ZERO
        for a, b, calendar in self.spans(start, end):
            total += calendar.business_duration(a, b)
        return total

    def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
        """Return the earliest instant ``amount`` of business time after ``start`` (latest before).

        Raises:
            CalendarError: If no business time is left in that direction.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> b = BusinessCalendar(timezone="UTC", hours={"tue": [("09:00", "17:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a), (date(2026, 3, 3), b)])
            >>> cal.add_business_time(datetime(2026, 3, 2, 16, tzinfo=UTC),
            ...                       timedelta(hours=2)).isoformat()
            '2026-03-03T10:00:00+00:00'
        """
        start = require_aware(start, "DatedCalendar.add_business_time(start)")
        if not isinstance(amount, timedelta):
            raise CalendarError(
                f"DatedCalendar.add_business_time: amount must be a timedelta, got {amount!r}"
            )
        if amount == _ZERO:
            return start
        index = self._index(start) if amount > _ZERO else self._index_before(start)
        cur, left = start, amount
        while True:
            calendar = self.periods[index][1]
            if left > _ZERO:
                stop = self._end(index)
                if stop is not None:
                    avail = calendar.business_duration(cur, stop)
                    if left > avail:
                        left, cur, index = left - avail, stop, index + 1
                        continue
            else:
                begin = self._start(index)
                if begin is not None:
                    avail = calendar.business_duration(begin, cur)
                    if -left > avail:
                        left, cur, index = left + avail, begin, index - 1
                        continue
            return calendar.add_business_time(cur, left).astimezone(start.tzinfo)

    def is_open(self, t: datetime) -> bool:
        """Return whether the calendar in force at ``t`` is open then.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> cal = BusinessCalendar.from_periods(
            ...     [(date(2026, 1, 1), BusinessCalendar.always_open())])
            >>> cal.is_open(datetime(2026, 2, 1, tzinfo=UTC))
            True
        """
        t = require_aware(t, "DatedCalendar.is_open(t)")
        return self.periods[self._index(t)][1].is_open(t)

    def next_open(self, t: datetime) -> datetime:
        """Return ``t`` when open, else the next instant a calendar in force opens.

        Raises:
            CalendarError: If no calendar opens again.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a)])
            >>> cal.next_open(datetime(2026, 3, 2, 18, tzinfo=UTC)).isoformat()
            '2026-03-09T09:00:00+00:00'
        """
        t = require_aware(t, "DatedCalendar.next_open(t)")
        index = self._index(t)
        cur = t
        while True:
            stop = self._end(index)
            try:
                u = self.periods[index][1].next_open(cur)
            except CalendarError:
                if stop is None:
                    raise
                u = stop
            if stop is None or u < stop:
                return u.astimezone(t.tzinfo)
            cur, index = stop, index + 1

    def next_close(self, t: datetime) -> datetime:
        """Return the end of the open stretch holding ``t`` (or of the next one).

        A stretch that runs into the next period continues while the next calendar is open.

        Raises:
            CalendarError: If no calendar opens again, or the last one never closes.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a)])
            >>> cal.next_close(datetime(2026, 3, 2, 10, tzinfo=UTC)).isoformat()
            '2026-03-02T17:00:00+00:00'
        """
        t = require_aware(t, "DatedCalendar.next_close(t)")
        cur = self.next_open(t)
        index = self._index(cur)
        while True:
            stop = self._end(index)
            calendar = self.periods[index][1]
            if stop is None:
                return calendar.next_close(cur).astimezone(t.tzinfo)
            try:
                close: datetime | None = calendar.next_close(cur)
            except CalendarError:
                close = None
            if close is not None and close < stop:
                return close.astimezone(t.tzinfo)
            if not self.periods[index + 1][1].is_open(stop):
                return stop.astimezone(t.tzinfo)
            cur, index = stop, index + 1

    def previous_close(self, t: datetime) -> datetime:
        """Return ``t`` when in ``(open, close]`` of an open stretch, else the latest close before.

        Raises:
            CalendarError: If there is no business time before ``t``.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a)])
            >>> cal.previous_close(datetime(2026, 3, 3, tzinfo=UTC)).isoformat()
            '2026-03-02T17:00:00+00:00'
        """
        t = require_aware(t, "DatedCalendar.previous_close(t)")
        index = self._index_before(t)
        cur = t
        while True:
            begin = self._start(index)
            try:
                close: datetime | None = self.periods[index][1].previous_close(cur)
            except CalendarError:
                if begin is None:
                    raise
                close = None
            if close is not None and (begin is None or close > begin):
                return close.astimezone(t.tzinfo)
            assert begin is not None  # the first period answers or raises above
            cur, index = begin, index - 1

    def previous_open(self, t: datetime) -> datetime:
        """Return the opening of the open stretch holding ``t`` in ``(open, close]``, or the latest.

        Raises:
            CalendarError: If there is no business time before ``t``.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a)])
            >>> cal.previous_open(datetime(2026, 3, 3, tzinfo=UTC)).isoformat()
            '2026-03-02T09:00:00+00:00'
        """
        t = require_aware(t, "DatedCalendar.previous_open(t)")
        cur = self.previous_close(t)
        index = self._index_before(cur)
        while True:
            begin = self._start(index)
            calendar = self.periods[index][1]
            try:
                opening: datetime | None = calendar.previous_open(cur)
            except CalendarError:
                if begin is None:
                    raise
                opening = None
            if begin is None or (opening is not None and opening > begin):
                assert opening is not None
                return opening.astimezone(t.tzinfo)
            before = self.periods[index - 1][1]
            if not before.is_open(begin - _ONE_US):
                return begin.astimezone(t.tzinfo)
            cur, index = begin, index - 1

    # -- working days (one implementation: cs8.sla._calendar_days, through a day view) ---------

    def _days(self) -> _DatedDays:
        return _DatedDays(self)

    def add_business_days(self, start: datetime, n: int) -> datetime:
        """Return the same local wall-clock time on the ``n``-th business day after ``start``'s date.

        As :meth:`cs8.sla.BusinessCalendar.add_business_days`, each date judged by the calendar in
        force on it and the wall time read in that calendar's zone.

        Raises:
            CalendarError: If ``n`` is not an integer, or ten years pass without a business day.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> week = BusinessCalendar(timezone="UTC", hours={
            ...     d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")})
            >>> monday_only = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), week),
            ...                                      (date(2026, 3, 7), monday_only)])
            >>> cal.add_business_days(datetime(2026, 3, 5, 14, tzinfo=UTC), 2).isoformat()
            '2026-03-09T14:00:00+00:00'
        """
        aware = require_aware(start, "DatedCalendar.add_business_days(start)")
        if isinstance(n, bool) or not isinstance(n, int):
            raise CalendarError(f"DatedCalendar.add_business_days: n must be an int, got {n!r}")
        if n == 0:
            return aware
        local = aware.astimezone(self._zone_at(aware))
        day = days.shift_business_days(self._days(), local.date(), n)
        zone = self._zone_on(day)
        moved = datetime.combine(day, local.time().replace(fold=0), tzinfo=zone)
        return moved.astimezone(aware.tzinfo)

    def business_days_between(self, start: datetime, end: datetime) -> float:
        """Return the working days between two instants, as a fraction.

        As :meth:`cs8.sla.BusinessCalendar.business_days_between`, each local day divided by its
        scheduled time in the calendar in force on it.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> eight = BusinessCalendar(timezone="UTC", hours={"mon": [("08:00", "16:00")],
            ...                                                 "tue": [("08:00", "16:00")]})
            >>> four = BusinessCalendar(timezone="UTC", hours={"tue": [("08:00", "12:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), eight),
            ...                                      (date(2026, 3, 3), four)])
            >>> cal.business_days_between(datetime(2026, 3, 2, 12, tzinfo=UTC),
            ...                           datetime(2026, 3, 3, 10, tzinfo=UTC))
            1.0
        """
        a = to_us(require_aware(start, "DatedCalendar.business_days_between(start)"))
        b = to_us(require_aware(end, "DatedCalendar.business_days_between(end)"))
        return days.business_days_between(self._days(), a, b)

    def end_of_business_day(self, start: datetime, n: int) -> datetime:
        """Return the close of the ``n``-th business day counted from ``start``.

        As :meth:`cs8.sla.BusinessCalendar.end_of_business_day`, each day from the calendar in
        force on it.

        Raises:
            CalendarError: If ``n`` is not an integer, or ten years pass without a business day.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> long = BusinessCalendar(timezone="UTC", hours={"mon": [("08:00", "18:00")]})
            >>> short = BusinessCalendar(timezone="UTC", hours={"mon": [("08:00", "12:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), long),
            ...                                      (date(2026, 3, 3), short)])
            >>> cal.end_of_business_day(datetime(2026, 3, 2, 17, tzinfo=UTC), 2).isoformat()
            '2026-03-09T12:00:00+00:00'
        """
        aware = require_aware(start, "DatedCalendar.end_of_business_day(start)")
        if isinstance(n, bool) or not isinstance(n, int):
            raise CalendarError(f"DatedCalendar.end_of_business_day: n must be an int, got {n!r}")
        return from_us(days.end_of_business_day(self._days(), to_us(aware), n), aware.tzinfo)

    def daily_business_time(self, start_date: date, end_date: date) -> dict[date, timedelta]:
        """Return the business time inside each local day, each day in the calendar in force on it.

        Raises:
            CalendarError: If ``end_date`` is before ``start_date``.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> a = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> b = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "12:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), a), (date(2026, 3, 3), b)])
            >>> [d.seconds // 3600 for d in cal.daily_business_time(date(2026, 3, 2),
            ...                                                     date(2026, 3, 9)).values()]
            [8, 0, 0, 0, 0, 0, 0, 3]
        """
        if end_date < start_date:
            raise CalendarError(
                f"DatedCalendar.daily_business_time: end_date {end_date} is before "
                f"start_date {start_date}"
            )
        view = self._days()
        result: dict[date, timedelta] = {}
        day = start_date
        while day <= end_date:
            nxt = day + _ONE_DAY
            result[day] = timedelta(
                microseconds=view.duration(view.midnight(day), view.midnight(nxt))
            )
            day = nxt
        return result

    # -- batches -------------------------------------------------------------------------------

    def business_durations(self, starts: Any, ends: Any) -> Any:
        """Return the business time of many ``(start, end)`` pairs.

        Sequences of aware datetimes give a list of timedeltas; ``datetime64`` arrays (read as
        UTC) give a ``timedelta64[us]`` array. Computed pair by pair.

        Raises:
            NaiveDatetimeError: If a datetime has no time zone.
            InvalidValueError: If the two sequences differ in length.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> cal = BusinessCalendar.from_periods(
            ...     [(date(2026, 1, 1), BusinessCalendar.always_open())])
            >>> t = datetime(2026, 3, 2, tzinfo=UTC)
            >>> cal.business_durations([t], [t + timedelta(hours=2)])
            [datetime.timedelta(seconds=7200)]
        """
        from cs8.sla._calendar import pairwise

        return pairwise(self.business_duration, starts, ends, "DatedCalendar.business_durations")

    def add_business_times(self, starts: Any, amounts: Any) -> Any:
        """Return :meth:`add_business_time` for many ``(start, amount)`` pairs.

        Sequences give a list of datetimes; a ``datetime64`` array of starts (read as UTC) and
        ``timedelta64`` amounts give a ``datetime64[us]`` array in UTC. Computed pair by pair.

        Raises:
            NaiveDatetimeError: If a datetime has no time zone.
            CalendarError: If no business time is left in some direction.

        Example:
            >>> from cs8.sla import BusinessCalendar
            >>> cal = BusinessCalendar.from_periods(
            ...     [(date(2026, 1, 1), BusinessCalendar.always_open())])
            >>> t = datetime(2026, 3, 2, tzinfo=UTC)
            >>> [u.hour for u in cal.add_business_times([t], [timedelta(hours=2)])]
            [2]
        """
        from cs8.sla._calendar import pairwise

        return pairwise(self.add_business_time, starts, amounts, "DatedCalendar.add_business_times")

    # -- zones of days and instants --------------------------------------------------------------

    def _calendar_on(self, day: date) -> BusinessCalendar:
        """The calendar in force on a local date: the last period starting on or before it."""
        return self.periods[max(0, bisect_right(self._dates, day) - 1)][1]

    def _zone_on(self, day: date) -> tzinfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self._calendar_on(day).timezone)

    def _zone_at(self, t: datetime) -> tzinfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.calendar_at(t).timezone)

    @property
    def _dates(self) -> list[date]:
        return [d for d, _ in self.periods]


class _DatedDays:
    """The :class:`~cs8.sla._calendar_days.DayView` of a dated calendar, in epoch microseconds.

    Each local date is the calendar's in force on it (its spans read in that calendar's zone and
    clock); an instant's local date is read in the zone of the calendar in force at it.
    """

    def __init__(self, dated: DatedCalendar) -> None:
        self._dated = dated

    def local_date(self, t: int) -> date:
        instant = from_us(t, UTC)
        return instant.astimezone(self._dated._zone_at(instant)).date()

    def midnight(self, day: date) -> int:
        return to_us(datetime.combine(day, time(), tzinfo=self._dated._zone_on(day)))

    def _epoch(self, day: date, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        calendar = self._dated._calendar_on(day)
        if calendar.clock != "wall":
            return spans
        return [
            (to_us(calendar._from_space(a, UTC)), to_us(calendar._from_space(b, UTC)))
            for a, b in spans
        ]

    def spans(self, day: date) -> list[tuple[int, int]]:
        calendar = self._dated._calendar_on(day)
        return self._epoch(day, days.day_spans(calendar._engine, day))

    def scheduled(self, day: date) -> list[tuple[int, int]]:
        calendar = self._dated._calendar_on(day)
        return self._epoch(day, calendar._engine.walker.day_intervals(day))

    def duration(self, a: int, b: int) -> int:
        spent = self._dated.business_duration(from_us(a, UTC), from_us(b, UTC))
        return spent // _ONE_US
