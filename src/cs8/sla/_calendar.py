"""Business calendars: weekly hours in a time zone, holidays, per-date overrides and closures.

A :class:`BusinessCalendar` is a frozen value. Business time is elapsed real time inside open
intervals: intervals are half-open ``[open, close)``, ``"24:00"`` closes at the next midnight, and an
interval whose close is earlier than its open runs past midnight and belongs to the day it opens.
Local times are read with :mod:`zoneinfo` and ``fold=0``: a time in a DST gap moves forward by the
gap, an ambiguous time takes its first occurrence.

Example:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> cal = BusinessCalendar(timezone="Europe/Paris", hours={"fri": [("09:00", "17:00")]})
    >>> friday = datetime(2026, 3, 6, 16, 0, tzinfo=ZoneInfo("Europe/Paris"))
    >>> cal.add_business_time(friday, timedelta(hours=1)).isoformat()
    '2026-03-06T17:00:00+01:00'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import attrs

from cs8._frozen import FrozenDict
from cs8._time import require_aware
from cs8.exceptions import CalendarError
from cs8.sla._calendar_local import DayWalker, from_us, to_us
from cs8.sla._calendar_spec import (
    DAY_NAMES,
    Interval,
    interval_seconds,
    parse_closures,
    parse_holidays,
    parse_hours,
    parse_overrides,
    parse_timezone,
)

__all__ = ["BusinessCalendar"]

_FULL_DAY = dict.fromkeys(DAY_NAMES, (("00:00", "24:00"),))


def _aware(value: object, where: str) -> datetime:
    return require_aware(value, f"BusinessCalendar.{where}")


def _us_of(amount: object) -> int:
    if not isinstance(amount, timedelta):
        raise CalendarError(
            f"BusinessCalendar.add_business_time: amount must be a timedelta, got {amount!r}"
        )
    return (amount.days * 86400 + amount.seconds) * 1_000_000 + amount.microseconds


@attrs.frozen(kw_only=True)
class BusinessCalendar:
    """Weekly business hours in an IANA time zone, with holidays, overrides and closures.

    Args:
        timezone: IANA time zone name (or a ``ZoneInfo``) in which the hours are read.
        hours: Weekday (``"mon"`` ... ``"sun"`` or full names) to ``(open, close)`` pairs of
            ``"HH:MM"`` strings; ``"24:00"`` closes at midnight; a close earlier than the open runs
            past midnight and belongs to the day it opens.
        holidays: Local dates that are closed all day (an overnight interval opened the day before
            still runs into a holiday morning).
        overrides: Local date to the hours of that date instead of its weekday's; ``[]`` closes it.
        closures: ``(start, end)`` aware datetimes during which the calendar is closed.
        holiday_source: Where the holidays came from (set by :meth:`from_holidays`), or ``None``.

    Raises:
        CalendarError: For an unknown weekday or time zone, a malformed time, an empty, overlapping
            or touching interval on one day; the message names the day and the interval.
        NaiveDatetimeError: For a closure bound without a time zone.

    Example:
        >>> cal = BusinessCalendar(
        ...     timezone="Asia/Ho_Chi_Minh",
        ...     hours={"mon": [("08:00", "12:00"), ("13:30", "17:30")], "sat": [("08:00", "12:00")]},
        ...     holidays=[date(2026, 9, 2)],
        ... )
        >>> cal.hours["mon"]
        (('08:00', '12:00'), ('13:30', '17:30'))
        >>> BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "12:00"), ("11:00", "13:00")]})
        Traceback (most recent call last):
        ...
        cs8.exceptions.CalendarError: BusinessCalendar.hours['mon']: interval 2 ('11:00', '13:00') overlaps interval 1 ('09:00', '12:00'); merge them into one interval
    """

    timezone: str = attrs.field(converter=parse_timezone)
    hours: FrozenDict[str, tuple[Interval, ...]] = attrs.field(converter=parse_hours)
    holidays: tuple[date, ...] = attrs.field(default=(), converter=parse_holidays)
    overrides: FrozenDict[date, tuple[Interval, ...]] = attrs.field(
        factory=FrozenDict, converter=parse_overrides
    )
    closures: tuple[tuple[datetime, datetime], ...] = attrs.field(
        default=(), converter=parse_closures
    )
    holiday_source: str | None = attrs.field(default=None)
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False, hash=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """Return the fields for pickling (the compiled cache is rebuilt on demand)."""
        return {
            "timezone": self.timezone,
            "hours": self.hours,
            "holidays": self.holidays,
            "overrides": self.overrides,
            "closures": self.closures,
            "holiday_source": self.holiday_source,
        }

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        """Restore the fields from :meth:`__getstate__`."""
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "_cache", {})

    @classmethod
    def always_open(cls, timezone: str | tzinfo = "UTC") -> BusinessCalendar:
        """Return a calendar open 24 hours a day, 7 days a week.

        Example:
            >>> from datetime import timezone
            >>> cal = BusinessCalendar.always_open()
            >>> a = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> cal.business_duration(a, a + timedelta(days=2))
            datetime.timedelta(days=2)
        """
        return cls(timezone=timezone, hours=_FULL_DAY)

    # -- the compiled form ---------------------------------------------------------------------

    @property
    def _walker(self) -> DayWalker:
        walker = self._cache.get("walker")
        if walker is None:
            week = {
                DAY_NAMES.index(name): tuple(interval_seconds(i) for i in intervals)
                for name, intervals in self.hours.items()
            }
            overrides = {
                day: tuple(interval_seconds(i) for i in intervals)
                for day, intervals in self.overrides.items()
            }
            closures = [(to_us(a), to_us(b)) for a, b in self.closures]
            walker = DayWalker(self.timezone, week, self.holidays, overrides, closures)
            self._cache["walker"] = walker
        return walker

    # -- operations ----------------------------------------------------------------------------

    def business_duration(self, start: datetime, end: datetime) -> timedelta:
        """Return the business time between two instants.

        Args:
            start: Aware datetime where counting starts.
            end: Aware datetime where counting stops; before ``start`` gives the negative.

        Raises:
            NaiveDatetimeError: If either datetime has no time zone.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> monday = datetime(2026, 3, 2, 8, tzinfo=ZoneInfo("UTC"))
            >>> cal.business_duration(monday, monday.replace(hour=10))
            datetime.timedelta(seconds=3600)
        """
        a = to_us(_aware(start, "business_duration(start)"))
        b = to_us(_aware(end, "business_duration(end)"))
        return timedelta(microseconds=self._walker.duration(a, b))

    def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
        """Return the earliest instant ``amount`` of business time after ``start``.

        The result ``u`` is the earliest instant with ``business_duration(start, u) == amount``: a
        deadline that uses up the last minute of Friday is Friday's close, not Monday's open. Adding
        zero returns ``start``. A negative amount gives the latest instant ``u <= start`` with
        ``business_duration(u, start) == -amount``. The result is shown in ``start``'s time zone.

        Args:
            start: Aware datetime to count from.
            amount: Business time to add (negative to subtract).

        Raises:
            NaiveDatetimeError: If ``start`` has no time zone.
            CalendarError: If the calendar has no business time left in that direction.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> monday = datetime(2026, 3, 2, 16, tzinfo=ZoneInfo("UTC"))
            >>> cal.add_business_time(monday, timedelta(hours=2)).isoformat()
            '2026-03-09T10:00:00+00:00'
            >>> cal.add_business_time(monday, -timedelta(hours=8)).isoformat()
            '2026-02-23T16:00:00+00:00'
        """
        aware = _aware(start, "add_business_time(start)")
        amount_us = _us_of(amount)
        if amount_us == 0:
            return aware
        result = self._walker.add(to_us(aware), amount_us)
        return from_us(result, aware.tzinfo)

    def is_open(self, t: datetime) -> bool:
        """Return whether the calendar is open at the instant ``t``.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal.is_open(datetime(2026, 3, 2, 17, tzinfo=ZoneInfo("UTC")))
            False
        """
        return self._walker.is_open(to_us(_aware(t, "is_open(t)")))

    def next_open(self, t: datetime) -> datetime:
        """Return ``t`` itself when open, else the instant the calendar next opens.

        Raises:
            CalendarError: If the calendar never opens again.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal.next_open(datetime(2026, 3, 2, 17, tzinfo=ZoneInfo("UTC"))).isoformat()
            '2026-03-09T09:00:00+00:00'
        """
        aware = _aware(t, "next_open(t)")
        return from_us(self._walker.next_open(to_us(aware)), aware.tzinfo)

    def next_close(self, t: datetime) -> datetime:
        """Return the end of the open stretch holding ``t``, or of the next one when closed.

        Raises:
            CalendarError: If the calendar never opens again, or never closes again.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal.next_close(datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("UTC"))).isoformat()
            '2026-03-02T17:00:00+00:00'
        """
        aware = _aware(t, "next_close(t)")
        return from_us(self._walker.next_close(to_us(aware)), aware.tzinfo)
