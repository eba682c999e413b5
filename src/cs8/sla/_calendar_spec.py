"""Parse and validate the parts of a business calendar specification.

Every function here turns user input into a canonical, hashable value or raises
:class:`~cs8.exceptions.CalendarError` naming the day and the interval at fault.

Example:
    >>> parse_hours({"Monday": [("9:00", "17:00")]})
    FrozenDict({'mon': (('09:00', '17:00'),)})
"""

from __future__ import annotations

import itertools
import re
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, tzinfo

from cs8._frozen import FrozenDict
from cs8._time import as_stdlib
from cs8.exceptions import CalendarError, NaiveDatetimeError

__all__ = [
    "DAY_NAMES",
    "Hours",
    "Interval",
    "IntervalSpec",
    "interval_seconds",
    "parse_closures",
    "parse_holidays",
    "parse_hours",
    "parse_overrides",
    "parse_timezone",
    "parse_weeks",
    "time_seconds",
]

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")

#: One interval as written by a user: ``("08:00", "12:00")`` or a pair of :class:`datetime.time`.
IntervalSpec = tuple[str | time, str | time] | Sequence[str | time]
#: One canonical interval: ``("08:00", "12:00")``.
Interval = tuple[str, str]


def _fmt(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" if secs == 0 else f"{hours:02d}:{minutes:02d}:{secs:02d}"


def time_seconds(value: str) -> int:
    """Return the seconds after midnight of a canonical ``"HH:MM[:SS]"`` time (``"24:00"`` is 86400).

    Example:
        >>> time_seconds("24:00"), time_seconds("08:30")
        (86400, 30600)
    """
    parts = value.split(":")
    return int(parts[0]) * 3600 + int(parts[1]) * 60 + (int(parts[2]) if len(parts) > 2 else 0)


def interval_seconds(interval: Interval) -> tuple[int, int]:
    """Return ``(open, close)`` in seconds after the day's midnight; an overnight close adds a day.

    Example:
        >>> interval_seconds(("22:00", "06:00"))
        (79200, 108000)
    """
    start = time_seconds(interval[0])
    end = time_seconds(interval[1])
    if end < start:
        end += 86400
    return start, end


def _parse_time(value: object, where: str, role: str) -> int:
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise CalendarError(f"{where}: {role} time must not carry a time zone, got {value!r}")
        if value.microsecond:
            raise CalendarError(f"{where}: {role} time must be whole seconds, got {value!r}")
        return value.hour * 3600 + value.minute * 60 + value.second
    if not isinstance(value, str):
        raise CalendarError(f"{where}: {role} time must be a 'HH:MM' string, got {value!r}")
    match = _TIME_RE.match(value.strip())
    if match is None:
        raise CalendarError(f"{where}: {role} time must look like 'HH:MM', got {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    seconds = int(match.group(3) or 0)
    if minutes > 59 or seconds > 59 or hours > 24 or (hours == 24 and (minutes or seconds)):
        raise CalendarError(f"{where}: {role} time {value!r} is not a time of day")
    if hours == 24 and role == "open":
        raise CalendarError(f"{where}: '24:00' is only allowed as a close, got open {value!r}")
    return hours * 3600 + minutes * 60 + seconds


def _parse_intervals(value: object, where: str) -> tuple[Interval, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise CalendarError(f"{where}: expected a list of (open, close) pairs, got {value!r}")
    if isinstance(value, Sequence) and len(value) == 2 and all(isinstance(v, str) for v in value):
        raise CalendarError(
            f"{where}: expected a list of (open, close) pairs, got the single pair {value!r}; "
            f"write [{tuple(value)!r}]"
        )
    parsed: list[tuple[int, int, int, object]] = []
    for number, item in enumerate(value, start=1):
        label = f"{where} interval {number} {item!r}"
        if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
            raise CalendarError(f"{label}: expected an (open, close) pair")
        start = _parse_time(item[0], label, "open")
        end = _parse_time(item[1], label, "close")
        if start == end:
            raise CalendarError(f"{label}: open equals close, so the interval is empty")
        if end < start:
            end += 86400
        parsed.append((start, end, number, item))
    parsed.sort()
    for (_, end_a, num_a, item_a), (start_b, _, num_b, item_b) in itertools.pairwise(parsed):
        if start_b <= end_a:
            kind = "touches" if start_b == end_a else "overlaps"
            raise CalendarError(
                f"{where}: interval {num_b} {item_b!r} {kind} interval {num_a} {item_a!r}; "
                "merge them into one interval"
            )
    return tuple(
        (_fmt(start), _fmt(end % 86400 if end > 86400 else end)) for start, end, _, _ in parsed
    )


def _day_index(name: object) -> int:
    if isinstance(name, str):
        key = name.strip().lower()
        if key in DAY_NAMES:
            return DAY_NAMES.index(key)
        if key in _FULL_NAMES:
            return _FULL_NAMES.index(key)
    raise CalendarError(
        f"BusinessCalendar.hours: unknown weekday {name!r}; use one of {', '.join(DAY_NAMES)}"
    )


def parse_hours(
    value: Mapping[str, Iterable[IntervalSpec]],
) -> FrozenDict[str, tuple[Interval, ...]]:
    """Return weekly hours as a frozen mapping from ``"mon"``... to canonical sorted intervals.

    Raises:
        CalendarError: For an unknown weekday, a malformed time, an empty, overlapping or touching
            interval; the message names the day and the interval.

    Example:
        >>> parse_hours({"fri": [("13:00", "17:00"), ("08:00", "12:00")]})
        FrozenDict({'fri': (('08:00', '12:00'), ('13:00', '17:00'))})
    """
    if not isinstance(value, Mapping):
        raise CalendarError(
            f"BusinessCalendar.hours must be a mapping of weekday to intervals, got {value!r}"
        )
    items: Iterable[tuple[object, object]] = value.items()
    days: dict[int, tuple[Interval, ...]] = {}
    for name, intervals in items:
        index = _day_index(name)
        if index in days:
            raise CalendarError(f"BusinessCalendar.hours: weekday {name!r} is given twice")
        parsed = _parse_intervals(intervals, f"BusinessCalendar.hours[{name!r}]")
        days[index] = parsed
    return FrozenDict({DAY_NAMES[i]: days[i] for i in sorted(days) if days[i]})


#: Weekly hours: one pattern, or several used in rotation (one per calendar week).
Hours = FrozenDict[str, tuple[Interval, ...]] | tuple[FrozenDict[str, tuple[Interval, ...]], ...]


def parse_weeks(value: object) -> Hours:
    """Return weekly hours: one pattern as :func:`parse_hours` does, or a tuple of patterns.

    A list of mappings is a rotation (``[week_1, week_2]``); a list of one mapping is that mapping.

    Raises:
        CalendarError: As :func:`parse_hours`, naming the week of a rotation; or for an empty list.

    Example:
        >>> weeks = parse_weeks([{"mon": [("08:00", "16:00")]}, {"tue": [("09:00", "17:00")]}])
        >>> [list(w) for w in weeks]
        [['mon'], ['tue']]
    """
    if isinstance(value, Mapping):
        return parse_hours(value)
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise CalendarError(
            f"BusinessCalendar.hours must be a mapping of weekday to intervals or a list of such "
            f"weekly patterns, got {value!r}"
        )
    weeks: list[FrozenDict[str, tuple[Interval, ...]]] = []
    for number, week in enumerate(value):
        try:
            weeks.append(parse_hours(week))
        except CalendarError as error:
            raise CalendarError(f"week {number} of the rotation: {error}") from None
    if not weeks:
        raise CalendarError("BusinessCalendar.hours: an empty list of weekly patterns")
    return weeks[0] if len(weeks) == 1 else tuple(weeks)


def _parse_date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        raise CalendarError(f"{field} must be a date (a whole local day), got a datetime {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarError(f"{field} must be a date or an ISO 'YYYY-MM-DD' string, got {value!r}")


def parse_holidays(value: Iterable[date | str]) -> tuple[date, ...]:
    """Return the holidays as a sorted tuple of distinct dates.

    Example:
        >>> parse_holidays(["2026-09-02", date(2026, 1, 1), date(2026, 1, 1)])
        (datetime.date(2026, 1, 1), datetime.date(2026, 9, 2))
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise CalendarError(
            f"BusinessCalendar.holidays must be an iterable of dates, got {value!r}"
        )
    return tuple(sorted({_parse_date(v, "BusinessCalendar.holidays") for v in value}))


def parse_overrides(
    value: Mapping[date | str, Iterable[IntervalSpec]],
) -> FrozenDict[date, tuple[Interval, ...]]:
    """Return per-date hours as a frozen mapping sorted by date; an empty list closes the day.

    Example:
        >>> parse_overrides({"2026-12-24": [("08:00", "12:00")]})
        FrozenDict({datetime.date(2026, 12, 24): (('08:00', '12:00'),)})
    """
    if not isinstance(value, Mapping):
        raise CalendarError(
            f"BusinessCalendar.overrides must be a mapping of date to intervals, got {value!r}"
        )
    days: dict[date, tuple[Interval, ...]] = {}
    for key, intervals in value.items():
        day = _parse_date(key, "BusinessCalendar.overrides")
        if day in days:
            raise CalendarError(
                f"BusinessCalendar.overrides: date {day.isoformat()} is given twice"
            )
        days[day] = _parse_intervals(intervals, f"BusinessCalendar.overrides[{day.isoformat()}]")
    return FrozenDict({day: days[day] for day in sorted(days)})


def parse_closures(
    value: Iterable[tuple[datetime, datetime]],
) -> tuple[tuple[datetime, datetime], ...]:
    """Return closures as a sorted tuple of ``(start, end)`` stdlib aware datetimes, ``start <= end``.

    A zero-length closure ``(a, a)`` is kept and closes nothing (as Odoo accepts an empty leave:
    ``addons/resource`` reads intervals as half-open, so ``[a, a)`` is empty).

    Raises:
        NaiveDatetimeError: If a bound has no time zone.
        CalendarError: If a closure is not a pair or ends before it starts.

    Example:
        >>> from datetime import timezone
        >>> a = datetime(2026, 5, 4, 14, tzinfo=timezone.utc)
        >>> parse_closures([(a.replace(hour=16), a)])
        Traceback (most recent call last):
        ...
        cs8.exceptions.CalendarError: BusinessCalendar.closures[0] must not end before it starts, got ...
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise CalendarError(
            f"BusinessCalendar.closures must be an iterable of (start, end), got {value!r}"
        )
    result: list[tuple[datetime, datetime]] = []
    for number, item in enumerate(value):
        label = f"BusinessCalendar.closures[{number}]"
        if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
            raise CalendarError(f"{label} must be a (start, end) pair of datetimes, got {item!r}")
        bounds = []
        for bound in item:
            if not isinstance(bound, datetime):
                raise CalendarError(f"{label} must hold datetimes, got {bound!r}")
            if bound.tzinfo is None or bound.utcoffset() is None:
                raise NaiveDatetimeError(
                    f"{label} must hold aware datetimes (with a time zone), got {bound!r}"
                )
            bounds.append(as_stdlib(bound))
        if not bounds[0] <= bounds[1]:
            raise CalendarError(f"{label} must not end before it starts, got {item!r}")
        result.append((bounds[0], bounds[1]))
    result.sort()
    return tuple(result)


def parse_timezone(value: str | tzinfo) -> str:
    """Return the IANA key of a time zone given as a name or a ``ZoneInfo``.

    Example:
        >>> parse_timezone("Europe/Paris")
        'Europe/Paris'
        >>> parse_timezone("Mars/Olympus")
        Traceback (most recent call last):
        ...
        cs8.exceptions.CalendarError: BusinessCalendar.timezone: unknown IANA time zone 'Mars/Olympus'
    """
    if value is UTC:
        return "UTC"
    if isinstance(value, zoneinfo.ZoneInfo):
        if value.key is None:
            raise CalendarError(
                f"BusinessCalendar.timezone: a ZoneInfo without a key, got {value!r}"
            )
        value = value.key
    if not isinstance(value, str):
        raise CalendarError(f"BusinessCalendar.timezone must be an IANA name, got {value!r}")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise CalendarError(f"BusinessCalendar.timezone: unknown IANA time zone {value!r}") from exc
    return value
