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
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from cs8._time import require_aware
from cs8.exceptions import CalendarError

if TYPE_CHECKING:
    from cs8.sla._calendar import BusinessCalendar

__all__ = ["DatedCalendar"]

_ZERO = timedelta(0)
_ONE_US = timedelta(microseconds=1)


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
