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

import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import attrs

from cs8._frozen import FrozenDict
from cs8._optional import require
from cs8._time import require_aware
from cs8.exceptions import CalendarError, NaiveDatetimeError
from cs8.sla import _calendar_days as days
from cs8.sla._calendar_engine import Engine
from cs8.sla._calendar_local import DayWalker, from_us, to_us
from cs8.sla._calendar_spec import (
    DAY_NAMES,
    Hours,
    Interval,
    IntervalSpec,
    interval_seconds,
    parse_closures,
    parse_holidays,
    parse_overrides,
    parse_timezone,
    parse_weeks,
)

if TYPE_CHECKING:
    from cs8.sla._calendar_periods import DatedCalendar

__all__ = ["BusinessCalendar"]

_FULL_DAY = dict.fromkeys(DAY_NAMES, (("00:00", "24:00"),))


def _aware(value: object, where: str) -> datetime:
    return require_aware(value, f"BusinessCalendar.{where}")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)
ArrayT = TypeVar("ArrayT")


def _us_of(amount: object, where: str = "add_business_time") -> int:
    if not isinstance(amount, timedelta):
        raise CalendarError(f"BusinessCalendar.{where}: amount must be a timedelta, got {amount!r}")
    return amount // _ONE_US


def _is_array(value: object) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray)


def _naive_in(values: Iterable[datetime], where: str) -> NaiveDatetimeError:
    for number, value in enumerate(values):
        if not isinstance(value, datetime) or value.utcoffset() is None:
            return NaiveDatetimeError(
                f"BusinessCalendar.{where}[{number}] must be an aware datetime, got {value!r}"
            )
    return NaiveDatetimeError(f"BusinessCalendar.{where} must hold aware datetimes")


@attrs.frozen(kw_only=True)
class BusinessCalendar:
    """Weekly business hours in an IANA time zone, with holidays, overrides and closures.

    Args:
        timezone: IANA time zone name (or a ``ZoneInfo``) in which the hours are read.
        hours: Weekday (``"mon"`` ... ``"sun"`` or full names) to ``(open, close)`` pairs of
            ``"HH:MM"`` strings; ``"24:00"`` closes at midnight; a close earlier than the open runs
            past midnight and belongs to the day it opens. A list of such weekly patterns is a
            rotation (Odoo's two-week calendars): one pattern per calendar week, Monday to Sunday.
        holidays: Local dates that are closed all day (an overnight interval opened the day before
            still runs into a holiday morning).
        overrides: Local date to the hours of that date instead of its weekday's; ``[]`` closes it.
        closures: ``(start, end)`` aware datetimes during which the calendar is closed.
        holiday_source: Where the holidays came from (set by :meth:`from_holidays`), or ``None``.
        cycle_start: For a rotation, a local date in the week that uses ``hours[0]``; the next
            week uses ``hours[1]`` and so on, also backwards in time.
        clock: ``"elapsed"`` (the default) counts the real time that passes; ``"wall"`` counts
            local wall-clock (nominal) time, so a 00:00-24:00 day lasts 24 hours on DST change days
            too (the working_hours gem's rule).

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
    hours: Hours = attrs.field(converter=parse_weeks)
    holidays: tuple[date, ...] = attrs.field(default=(), converter=parse_holidays)
    overrides: FrozenDict[date, tuple[Interval, ...]] = attrs.field(
        factory=FrozenDict, converter=parse_overrides
    )
    closures: tuple[tuple[datetime, datetime], ...] = attrs.field(
        default=(), converter=parse_closures
    )
    holiday_source: str | None = attrs.field(default=None)
    cycle_start: date | None = attrs.field(default=None)
    clock: Literal["elapsed", "wall"] = attrs.field(default="elapsed")
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False, hash=False, repr=False)

    @cycle_start.validator
    def _check_cycle_start(self, attribute: Any, value: object) -> None:
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise CalendarError(f"BusinessCalendar.cycle_start must be a date, got {value!r}")
        if value is None and isinstance(self.hours, tuple):
            raise CalendarError(
                f"BusinessCalendar.hours is a rotation of {len(self.hours)} weekly patterns: "
                "give cycle_start, a date in the week that uses hours[0]"
            )

    @clock.validator
    def _check_clock(self, attribute: Any, value: object) -> None:
        if value not in ("elapsed", "wall"):
            raise CalendarError(
                f"BusinessCalendar.clock must be 'elapsed' or 'wall', got {value!r}"
            )

    @property
    def weeks(self) -> tuple[FrozenDict[str, tuple[Interval, ...]], ...]:
        """The weekly patterns in rotation order (one pattern for an ordinary calendar).

        Example:
            >>> BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]}).weeks
            (FrozenDict({'mon': (('09:00', '17:00'),)}),)
        """
        hours = self.hours
        return hours if isinstance(hours, tuple) else (hours,)

    def __getstate__(self) -> dict[str, object]:
        """Return the fields for pickling (the compiled cache is rebuilt on demand)."""
        return {
            "timezone": self.timezone,
            "hours": self.hours,
            "holidays": self.holidays,
            "overrides": self.overrides,
            "closures": self.closures,
            "holiday_source": self.holiday_source,
            "cycle_start": self.cycle_start,
            "clock": self.clock,
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        """Restore the fields from :meth:`__getstate__`."""
        object.__setattr__(self, "cycle_start", None)
        object.__setattr__(self, "clock", "elapsed")
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
    def _engine(self) -> Engine:
        engine = self._cache.get("engine")
        if not isinstance(engine, Engine):
            weeks = [
                {
                    DAY_NAMES.index(name): tuple(interval_seconds(i) for i in intervals)
                    for name, intervals in week.items()
                }
                for week in self.weeks
            ]
            overrides = {
                day: tuple(interval_seconds(i) for i in intervals)
                for day, intervals in self.overrides.items()
            }
            wall = self.clock == "wall"
            # A wall clock counts in local wall time: the same rules, read in UTC on wall times.
            space = "UTC" if wall else self.timezone
            closures = [(self._space_us(a), self._space_us(b)) for a, b in self.closures]
            walker = DayWalker(
                space, weeks, self.holidays, overrides, closures, cycle_start=self.cycle_start
            )
            engine = Engine(walker)
            self._cache["engine"] = engine
            if not wall:  # the fast paths read epoch microseconds directly
                self._cache["between"] = engine.timedelta_between
                self._cache["add"] = engine.add
        return engine

    def _space_us(self, t: datetime) -> int:
        """Return ``t`` on the engine's timeline: epoch µs, or local wall µs for a wall clock."""
        if self.clock == "wall":
            local = t.astimezone(self._zone)
            return to_us(local.replace(tzinfo=UTC))
        return to_us(t)

    def _from_space(self, value: int, tz: tzinfo | None) -> datetime:
        """Return the instant at ``value`` on the engine's timeline, shown in ``tz``."""
        if self.clock == "wall":
            naive = (_EPOCH + _ONE_US * value).replace(tzinfo=None)
            return naive.replace(tzinfo=self._zone).astimezone(tz)
        return from_us(value, tz)

    @property
    def _zone(self) -> tzinfo:
        zone: tzinfo | None = self._cache.get("zone")
        if zone is None:
            from zoneinfo import ZoneInfo

            zone = self._cache["zone"] = ZoneInfo(self.timezone)
        return zone

    # -- operations ----------------------------------------------------------------------------

    def business_duration(self, start: datetime, end: datetime) -> timedelta:
        """Return the business time between two instants.

        Costs O(log n) in the number of exceptions, however far apart the instants are.

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
        fast = self._cache.get("between")
        if fast is not None and type(start) is datetime and type(end) is datetime:
            try:
                return fast((start - _EPOCH) // _ONE_US, (end - _EPOCH) // _ONE_US)  # type: ignore[no-any-return]
            except TypeError:
                pass  # a naive datetime: the checks below say which
        engine = self._engine
        a = self._space_us(_aware(start, "business_duration(start)"))
        b = self._space_us(_aware(end, "business_duration(end)"))
        return _ONE_US * engine.duration(a, b)

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
        add = self._cache.get("add")
        if add is not None and type(start) is datetime and type(amount) is timedelta:
            try:
                amount_us = amount // _ONE_US
                if amount_us == 0:
                    if start.utcoffset() is None:
                        raise TypeError
                    return start
                u: int = add((start - _EPOCH) // _ONE_US, amount_us)
                return (_EPOCH + _ONE_US * u).astimezone(start.tzinfo)
            except TypeError:
                pass  # a naive datetime: the checks below say which
        engine = self._engine
        aware = _aware(start, "add_business_time(start)")
        amount_us = _us_of(amount)
        if amount_us == 0:
            return aware
        return self._from_space(engine.add(self._space_us(aware), amount_us), aware.tzinfo)

    def is_open(self, t: datetime) -> bool:
        """Return whether the calendar is open at the instant ``t``.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal.is_open(datetime(2026, 3, 2, 17, tzinfo=ZoneInfo("UTC")))
            False
        """
        return self._engine.is_open(self._space_us(_aware(t, "is_open(t)")))

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
        return self._from_space(self._engine.next_open(self._space_us(aware)), aware.tzinfo)

    def next_close(self, t: datetime) -> datetime:
        """Return the end of the open stretch holding ``t``, or of the next one when closed.

        Stretches that touch (a night shift ending at midnight and the next day's shift starting
        at midnight) count as one.

        Raises:
            CalendarError: If the calendar never opens again, or never closes again.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal.next_close(datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("UTC"))).isoformat()
            '2026-03-02T17:00:00+00:00'
        """
        aware = _aware(t, "next_close(t)")
        return self._from_space(self._engine.next_close(self._space_us(aware)), aware.tzinfo)

    def previous_close(self, t: datetime) -> datetime:
        """Return ``t`` when it is in ``(open, close]`` of an open stretch, else the latest close.

        The mirror of :meth:`next_open` (working_hours ``return_to_working_time``).

        Raises:
            CalendarError: If the calendar has no business time before ``t``.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal.previous_close(datetime(2026, 3, 3, 9, tzinfo=ZoneInfo("UTC"))).isoformat()
            '2026-03-02T17:00:00+00:00'
        """
        aware = _aware(t, "previous_close(t)")
        u = days.previous_close(self._engine, self._space_us(aware))
        return self._from_space(u, aware.tzinfo)

    def previous_open(self, t: datetime) -> datetime:
        """Return the opening of the open stretch holding ``t`` in ``(open, close]``, or the latest one.

        The mirror of :meth:`next_close`; stretches that touch count as one.

        Raises:
            CalendarError: If the calendar has no business time before ``t``, or is open without
                a break for more than 400 days before it.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> cal.previous_open(datetime(2026, 3, 3, 9, tzinfo=ZoneInfo("UTC"))).isoformat()
            '2026-03-02T09:00:00+00:00'
        """
        aware = _aware(t, "previous_open(t)")
        u = days.previous_open(self._engine, self._space_us(aware))
        return self._from_space(u, aware.tzinfo)

    def _local(self, t: datetime) -> datetime:
        return t.astimezone(self._zone)

    def add_business_days(self, start: datetime, n: int) -> datetime:
        """Return the same local wall-clock time on the ``n``-th business day after ``start``'s date.

        A business day is a local date whose own hours, less closures, leave business time (not a
        holiday). ``start``'s own date never counts; ``n < 0`` counts back; ``n == 0`` returns
        ``start`` (working_hours ``add_days``). A wall time that does not exist on the day found
        (DST gap) is read with the offset before the gap.

        Raises:
            CalendarError: If ``n`` is not an integer, or ten years pass without a business day.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={
            ...     d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")})
            >>> friday = datetime(2026, 3, 6, 14, 0, 42, tzinfo=ZoneInfo("UTC"))
            >>> cal.add_business_days(friday, 1).isoformat()
            '2026-03-09T14:00:42+00:00'
        """
        aware = _aware(start, "add_business_days(start)")
        if isinstance(n, bool) or not isinstance(n, int):
            raise CalendarError(f"BusinessCalendar.add_business_days: n must be an int, got {n!r}")
        if n == 0:
            return aware
        local = self._local(aware)
        day = days.shift_business_days(days.EngineDays(self._engine), local.date(), n)
        moved = datetime.combine(day, local.time().replace(fold=0), tzinfo=self._zone)
        return moved.astimezone(aware.tzinfo)

    def business_days_between(self, start: datetime, end: datetime) -> float:
        """Return the working days between two instants, as a fraction.

        Each local day counts the business time of ``[start, end)`` inside it divided by that
        day's scheduled time, its hours before closures are removed, so a half-day closure leaves
        half a day (Odoo ``_get_work_days_data_batch``, unrounded: Odoo rounds to 1/16 of a day);
        ``end < start`` gives the negative.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={
            ...     d: [("08:00", "16:00")] for d in ("mon", "tue", "wed", "thu", "fri")})
            >>> utc = ZoneInfo("UTC")
            >>> cal.business_days_between(datetime(2026, 3, 2, tzinfo=utc),
            ...                           datetime(2026, 3, 3, 12, tzinfo=utc))
            1.5
        """
        a = self._space_us(_aware(start, "business_days_between(start)"))
        b = self._space_us(_aware(end, "business_days_between(end)"))
        return days.business_days_between(days.EngineDays(self._engine), a, b)

    def end_of_business_day(self, start: datetime, n: int) -> datetime:
        """Return the close of the ``n``-th business day counted from ``start``.

        ``start``'s own day counts when business time is left on it after ``start``. For
        ``n < 0``, the opening of the ``|n|``-th business day before ``start`` (its own day counting
        when business time passed on it before ``start``); ``n == 0`` returns ``start`` (Odoo
        ``plan_days``).

        Raises:
            CalendarError: If ``n`` is not an integer, or ten years pass without a business day.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={
            ...     d: [("08:00", "16:00")] for d in ("mon", "tue", "wed", "thu", "fri")})
            >>> monday = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("UTC"))
            >>> cal.end_of_business_day(monday, 2).isoformat()
            '2026-03-03T16:00:00+00:00'
        """
        aware = _aware(start, "end_of_business_day(start)")
        if isinstance(n, bool) or not isinstance(n, int):
            raise CalendarError(
                f"BusinessCalendar.end_of_business_day: n must be an int, got {n!r}"
            )
        u = days.end_of_business_day(days.EngineDays(self._engine), self._space_us(aware), n)
        return self._from_space(u, aware.tzinfo)

    # -- batches and reports -------------------------------------------------------------------

    @overload
    def business_durations(
        self, starts: Sequence[datetime], ends: Sequence[datetime]
    ) -> list[timedelta]: ...

    @overload
    def business_durations(self, starts: ArrayT, ends: ArrayT) -> ArrayT: ...

    def business_durations(self, starts: Any, ends: Any) -> Any:
        """Return the business time of many ``(start, end)`` pairs.

        Lists (or any sequences) of aware datetimes give a list of timedeltas. With numpy installed,
        ``datetime64`` arrays (read as UTC, since ``datetime64`` has no zone) give a
        ``timedelta64[us]`` array; this form is vectorized.

        Args:
            starts: Aware datetimes, or a ``datetime64`` array.
            ends: As many aware datetimes, or a ``datetime64`` array of the same shape.

        Raises:
            NaiveDatetimeError: If a datetime has no time zone.
            InvalidValueError: If the two sequences differ in length.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> monday = datetime(2026, 3, 2, 8, tzinfo=ZoneInfo("UTC"))
            >>> cal.business_durations([monday, monday], [monday + timedelta(hours=2), monday])
            [datetime.timedelta(seconds=3600), datetime.timedelta(0)]
        """
        engine = self._engine
        if self.clock == "wall":
            return self._wall_batch(self.business_duration, starts, ends, "business_durations")
        if _is_array(starts) or _is_array(ends):
            from cs8.sla._calendar_numpy import as_us, numpy_durations

            np = require("numpy", "numpy", "BusinessCalendar.business_durations on arrays")
            result = numpy_durations(engine, as_us(starts), as_us(ends))
            return np.asarray(result).view("timedelta64[us]")
        if len(starts) != len(ends):
            raise _length_error("business_durations", len(starts), len(ends))
        epoch, one_us, between = _EPOCH, _ONE_US, engine.timedelta_between
        out: list[timedelta] = []
        append = out.append
        try:
            for start, end in zip(starts, ends, strict=True):
                append(between((start - epoch) // one_us, (end - epoch) // one_us))
        except TypeError:
            if all(isinstance(t, datetime) and t.utcoffset() is not None for t in starts):
                raise _naive_in(ends, "business_durations(ends)") from None
            raise _naive_in(starts, "business_durations(starts)") from None
        return out

    @overload
    def add_business_times(
        self, starts: Sequence[datetime], amounts: Sequence[timedelta]
    ) -> list[datetime]: ...

    @overload
    def add_business_times(
        self, starts: ArrayT, amounts: ArrayT | Sequence[timedelta]
    ) -> ArrayT: ...

    def add_business_times(self, starts: Any, amounts: Any) -> Any:
        """Return :meth:`add_business_time` for many ``(start, amount)`` pairs.

        Lists of aware datetimes and timedeltas give a list of datetimes (each in its start's
        zone). With numpy installed, a ``datetime64`` array of starts (read as UTC) and a
        ``timedelta64`` array (or list of timedeltas) give a ``datetime64[us]`` array in UTC.

        Args:
            starts: Aware datetimes, or a ``datetime64`` array.
            amounts: Timedeltas (negative to subtract), or a ``timedelta64`` array.

        Raises:
            NaiveDatetimeError: If a datetime has no time zone.
            CalendarError: If the calendar has no business time left in some direction.

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> monday = datetime(2026, 3, 2, 16, tzinfo=ZoneInfo("UTC"))
            >>> [t.isoformat() for t in cal.add_business_times([monday], [timedelta(hours=1)])]
            ['2026-03-02T17:00:00+00:00']
        """
        engine = self._engine
        if self.clock == "wall":
            return self._wall_batch(self.add_business_time, starts, amounts, "add_business_times")
        if _is_array(starts) or _is_array(amounts):
            from cs8.sla._calendar_numpy import as_us, numpy_adds

            np = require("numpy", "numpy", "BusinessCalendar.add_business_times on arrays")
            arr = np.asarray(amounts)
            if arr.dtype.kind == "O":
                arr = np.array([_us_of(a, "add_business_times") for a in amounts], dtype=np.int64)
            else:
                arr = arr.astype("timedelta64[us]").view(np.int64)
            result = numpy_adds(engine, as_us(starts), arr)
            return np.asarray(result).view("datetime64[us]")
        if len(starts) != len(amounts):
            raise _length_error("add_business_times", len(starts), len(amounts))
        epoch, one_us, add = _EPOCH, _ONE_US, engine.add
        out: list[datetime] = []
        append = out.append
        try:
            for start, amount in zip(starts, amounts, strict=True):
                delta = amount // one_us
                if delta == 0:
                    append(start)
                    continue
                u = add((start - epoch) // one_us, delta)
                append((epoch + one_us * u).astimezone(start.tzinfo))
        except TypeError:
            for amount in amounts:
                _us_of(amount, "add_business_times")
            raise _naive_in(starts, "add_business_times(starts)") from None
        return out

    def _wall_batch(self, scalar: Any, firsts: Any, seconds: Any, where: str) -> Any:
        """Apply a scalar operation pairwise (a wall clock has no vectorized form)."""
        return pairwise(scalar, firsts, seconds, f"BusinessCalendar.{where}")

    def daily_business_time(self, start_date: date, end_date: date) -> dict[date, timedelta]:
        """Return the business time inside each local day from ``start_date`` to ``end_date``.

        Both ends are included. A day runs from its local midnight to the next (23 or 25 hours on
        DST days), so a night shift counts on the days its hours fall on, not only on the day it
        opens.

        Raises:
            CalendarError: If ``end_date`` is before ``start_date``.

        Example:
            >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("22:00", "06:00")]})
            >>> cal.daily_business_time(date(2026, 3, 2), date(2026, 3, 3))
            {datetime.date(2026, 3, 2): datetime.timedelta(seconds=7200), datetime.date(2026, 3, 3): datetime.timedelta(seconds=21600)}
        """
        for name, value in (("start_date", start_date), ("end_date", end_date)):
            if isinstance(value, datetime) or not isinstance(value, date):
                raise CalendarError(
                    f"BusinessCalendar.daily_business_time: {name} must be a date, got {value!r}"
                )
        if end_date < start_date:
            raise CalendarError(
                f"BusinessCalendar.daily_business_time: end_date {end_date} is before start_date {start_date}"
            )
        engine = self._engine
        result: dict[date, timedelta] = {}
        day = start_date
        prev = engine.local_midnight(day)
        while day <= end_date:
            nxt = day + _ONE_DAY
            edge = engine.local_midnight(nxt)
            result[day] = timedelta(microseconds=engine.duration(prev, edge))
            day, prev = nxt, edge
        return result

    @classmethod
    def from_periods(cls, periods: Iterable[tuple[date, BusinessCalendar]]) -> DatedCalendar:
        """Return an effective-dated calendar: each calendar in force from local midnight of its date.

        Every instant is counted against the calendar in force at it (Zendesk's rule when a
        schedule changes), in that calendar's own time zone, until the next period's date; the
        first calendar also covers the time before its date.

        Args:
            periods: ``(date, BusinessCalendar)`` pairs in increasing date order.

        Raises:
            CalendarError: If a pair is malformed or the dates do not increase.

        Example:
            >>> old = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
            >>> new = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "12:00")]})
            >>> cal = BusinessCalendar.from_periods([(date(2026, 1, 1), old), (date(2026, 3, 1), new)])
            >>> cal.calendar_at(datetime(2026, 3, 2, tzinfo=UTC)) is new
            True
        """
        from cs8.sla._calendar_periods import DatedCalendar

        return DatedCalendar(periods=periods)

    @classmethod
    def from_holidays(
        cls,
        *,
        country: str,
        years: int | Iterable[int],
        timezone: str | tzinfo,
        hours: Mapping[str, Iterable[IntervalSpec]],
        subdiv: str | None = None,
        observed: bool = True,
        extra_holidays: Iterable[date | str] = (),
        overrides: Mapping[date | str, Iterable[IntervalSpec]] | None = None,
        closures: Iterable[tuple[datetime, datetime]] = (),
    ) -> BusinessCalendar:
        """Return a calendar whose holidays are copied once from the ``holidays`` package.

        The dates are copied into the frozen calendar, so it stays hashable, picklable and
        deterministic; ``holiday_source`` records the package version, country, subdivision and
        years they came from. Needs ``pip install 'cs8[holidays]'``.

        Args:
            country: ISO 3166-1 code, e.g. ``"VN"``.
            years: A year or the years to copy.
            timezone: IANA time zone of the hours.
            hours: Weekly hours, as for the constructor.
            subdiv: Subdivision code (state, province), when the country has them.
            observed: Include "observed" substitute days (the package's default).
            extra_holidays: More closed dates to add.
            overrides: Per-date hours, as for the constructor.
            closures: Closed instant ranges, as for the constructor.

        Raises:
            MissingExtraError: If the ``holidays`` package is not installed.
            CalendarError: If the package does not know the country or subdivision.

        Example:
            >>> cal = BusinessCalendar.from_holidays(
            ...     country="VN", years=2026, timezone="Asia/Ho_Chi_Minh",
            ...     hours={"mon": [("08:00", "17:00")]},
            ... )
            >>> date(2026, 9, 2) in cal.holidays, cal.holiday_source.split(": ")[1]
            (True, 'country=VN years=2026')
        """
        lib = require("holidays", "holidays", "BusinessCalendar.from_holidays")
        year_list = sorted({years} if isinstance(years, int) else set(years))
        supported = lib.list_supported_countries()
        if country not in supported:
            raise CalendarError(
                f"BusinessCalendar.from_holidays: the holidays package has no country {country!r}"
            )
        if subdiv is not None and subdiv not in supported[country]:
            raise CalendarError(
                f"BusinessCalendar.from_holidays: country {country!r} has no subdivision "
                f"{subdiv!r}; it has: {', '.join(supported[country]) or 'none'}"
            )
        table = lib.country_holidays(country, subdiv=subdiv, years=year_list, observed=observed)
        found = sorted(table.keys())
        span = (
            str(year_list[0])
            if len(year_list) == 1
            else f"{year_list[0]}-{year_list[-1]}"
            if year_list == list(range(year_list[0], year_list[-1] + 1))
            else ",".join(map(str, year_list))
        )
        where = f"country={country}" + (f" subdiv={subdiv}" if subdiv else "")
        observed_note = "" if observed else " observed=False"
        source = f"holidays {lib.__version__}: {where} years={span}{observed_note}"
        return cls(
            timezone=timezone,
            hours=hours,
            holidays=[*found, *extra_holidays],
            overrides=overrides or {},
            closures=closures,
            holiday_source=source,
        )


def _length_error(where: str, left: int, right: int) -> Exception:
    from cs8.exceptions import InvalidValueError

    return InvalidValueError(
        f"BusinessCalendar.{where}: the sequences differ in length ({left} and {right})"
    )


def pairwise(scalar: Any, firsts: Any, seconds: Any, where: str) -> Any:
    """Apply a scalar calendar operation to each pair (the batch form without a vectorized one).

    Sequences give a list; ``datetime64`` arrays (read as UTC) give a ``datetime64[us]`` or
    ``timedelta64[us]`` array, as the vectorized batches do.
    """
    if _is_array(firsts) or _is_array(seconds):
        np = require("numpy", "numpy", f"{where} on arrays")
        a = np.asarray(firsts)
        b = np.asarray(seconds)
        first = [_EPOCH + _ONE_US * int(v) for v in a.astype("datetime64[us]").view(np.int64)]
        second: list[Any]
        if b.dtype.kind == "M":
            second = [_EPOCH + _ONE_US * int(v) for v in b.astype("datetime64[us]").view(np.int64)]
        elif b.dtype.kind == "O":
            second = list(b)
        else:
            second = [_ONE_US * int(v) for v in b.astype("timedelta64[us]").view(np.int64)]
        out = [scalar(x, y) for x, y in zip(first, second, strict=True)]
        if out and isinstance(out[0], datetime):
            values = [(t - _EPOCH) // _ONE_US for t in out]
            return np.array(values, dtype=np.int64).view("datetime64[us]")
        values = [d // _ONE_US for d in out]
        return np.array(values, dtype=np.int64).view("timedelta64[us]")
    if len(firsts) != len(seconds):
        from cs8.exceptions import InvalidValueError

        raise InvalidValueError(
            f"{where}: the sequences differ in length ({len(firsts)} and {len(seconds)})"
        )
    return [scalar(x, y) for x, y in zip(firsts, seconds, strict=True)]
