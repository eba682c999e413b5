"""Arrivals per interval: contacts counted in 15-, 30- or 60-minute slots of the desk's local day.

Slots are local wall-clock slots (``08:00-08:30`` in the calendar's zone), as planners staff them:
on a DST change day the skipped hour's slots stay empty and the repeated hour's arrivals share one
set of slots. A day is a row; the rows are the observed days, so a counts table with gaps (weekends,
holidays) keeps them as gaps, not as zeros, while timestamps count every day from the first to the
last as observed.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> t = datetime(2026, 3, 2, 1, 10, tzinfo=timezone.utc)  # 08:10 in Ho Chi Minh City
    >>> a = arrivals_per_interval([t, t + timedelta(minutes=5)], timezone="Asia/Ho_Chi_Minh")
    >>> a.days, a.counts[0][16], a.total()
    ((datetime.date(2026, 3, 2),), 2.0, 2.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from cs8._display import DictsReprMixin, Row
from cs8._models import Interaction
from cs8._ticket import Ticket
from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from cs8.sla import BusinessCalendar

__all__ = ["Arrivals", "arrivals_by_channel", "arrivals_per_interval", "slots_per_day"]

_DAY = timedelta(days=1)


def slots_per_day(interval: timedelta) -> int:
    """Return how many slots of ``interval`` fill a day, or raise if they do not divide it."""
    if not isinstance(interval, timedelta) or interval <= timedelta(0):
        raise InvalidValueError(f"interval must be a positive timedelta, got {interval!r}")
    n = _DAY / interval
    if interval % timedelta(minutes=1) or _DAY % interval:
        raise InvalidValueError(
            f"interval must be a whole number of minutes dividing a day (15, 30, 60 minutes...), "
            f"got {interval!r}"
        )
    return int(n)


def _dates(values: Iterable[date]) -> tuple[date, ...]:
    return tuple(values)


def _floats(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _ints(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _durations(values: Iterable[timedelta]) -> tuple[timedelta, ...]:
    return tuple(values)


def slot_starts(days: Iterable[date], interval: timedelta, timezone: str) -> tuple[datetime, ...]:
    """Return the aware local start of every slot of ``days``, day by day.

    Example:
        >>> from datetime import date, timedelta
        >>> [t.hour for t in slot_starts([date(2026, 1, 5)], timedelta(hours=12), "UTC")]
        [0, 12]
    """
    zone = ZoneInfo(timezone)
    n = slots_per_day(interval)
    return tuple(
        datetime.combine(day, time(0), zone) + k * interval for day in days for k in range(n)
    )


def _freeze_rows(rows: Iterable[Iterable[float]]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(x) for x in row) for row in rows)


@attrs.frozen(kw_only=True, repr=False)
class Arrivals(DictsReprMixin):
    """Contacts per local wall-clock slot, one row per observed day.

    Args:
        interval: The slot length (a whole number of minutes dividing a day).
        timezone: IANA zone of the slots.
        days: The observed local days, in increasing order.
        counts: One row per day of ``86400 / interval`` values (contacts, or any per-slot amount
            such as handle seconds).
        channel: The channel counted, or ``None`` for all.

    Raises:
        InvalidValueError: If the rows do not match the days or the slots, the days are not
            increasing, or a count is negative or not finite.

    Example:
        >>> from datetime import date, timedelta
        >>> a = Arrivals(interval=timedelta(hours=6), timezone="UTC", days=(date(2026, 1, 5),),
        ...              counts=((0, 3, 5, 1),))
        >>> a.intervals[1].isoformat(), a.total()
        ('2026-01-05T06:00:00+00:00', 9.0)
    """

    __repr__ = DictsReprMixin._short_repr

    interval: timedelta
    timezone: str
    days: tuple[date, ...] = attrs.field(converter=_dates)
    counts: tuple[tuple[float, ...], ...] = attrs.field(converter=_freeze_rows)
    channel: str | None = None

    def __attrs_post_init__(self) -> None:
        slots = slots_per_day(self.interval)
        ZoneInfo(self.timezone)
        if len(self.days) != len(self.counts):
            raise InvalidValueError(
                f"Arrivals: {len(self.days)} days but {len(self.counts)} rows of counts"
            )
        for i, (day, row) in enumerate(zip(self.days, self.counts, strict=True)):
            if i and day <= self.days[i - 1]:
                raise InvalidValueError(
                    f"Arrivals.days must increase: {day} follows {self.days[i - 1]}"
                )
            if len(row) != slots:
                raise InvalidValueError(
                    f"Arrivals.counts for {day} has {len(row)} values, expected {slots} slots"
                )
            bad = [x for x in row if not (math.isfinite(x) and x >= 0)]
            if bad:
                raise InvalidValueError(f"Arrivals.counts for {day} holds {bad[0]!r}")

    @property
    def slots_per_day(self) -> int:
        """Slots in one day (48 for 30 minutes).

        Example:
            >>> from datetime import timedelta
            >>> Arrivals(interval=timedelta(minutes=30), timezone="UTC", days=(), counts=()).slots_per_day
            48
        """
        return slots_per_day(self.interval)

    @property
    def intervals(self) -> tuple[datetime, ...]:
        """The aware local start of every slot, day by day.

        Example:
            >>> from datetime import date, timedelta
            >>> a = Arrivals(interval=timedelta(hours=12), timezone="Asia/Ho_Chi_Minh",
            ...              days=(date(2026, 1, 5),), counts=((1, 2),))
            >>> [t.isoformat() for t in a.intervals]
            ['2026-01-05T00:00:00+07:00', '2026-01-05T12:00:00+07:00']
        """
        return slot_starts(self.days, self.interval, self.timezone)

    def total(self) -> float:
        """Return the sum of all counts.

        Example:
            >>> from datetime import date, timedelta
            >>> Arrivals(interval=timedelta(hours=12), timezone="UTC", days=(date(2026, 1, 5),),
            ...          counts=((1, 2),)).total()
            3.0
        """
        return math.fsum(math.fsum(row) for row in self.counts)

    def to_dicts(self) -> list[Row]:
        """Return one row per slot: ``start`` (aware local datetime) and ``count``.

        Example:
            >>> from datetime import date, timedelta
            >>> Arrivals(interval=timedelta(hours=12), timezone="UTC", days=(date(2026, 1, 5),),
            ...          counts=((1, 2),)).to_dicts()[1]["count"]
            2.0
        """
        flat = [x for row in self.counts for x in row]
        return [{"start": t, "count": c} for t, c in zip(self.intervals, flat, strict=True)]


def _zone_of(calendar: BusinessCalendar | None, timezone: str | None) -> str:
    if calendar is not None:
        return calendar.timezone
    return timezone or "UTC"


def _missing(value: object) -> bool:
    """``None``, NaN, or pandas' ``NaT`` / ``NA``: a cell with no value."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NaTType", "NAType")


def _cells(column: object, what: str) -> list[object]:
    """A pandas or polars column (or numpy array) as Python values, each checked present."""
    to_list = getattr(column, "to_list", None) or getattr(column, "tolist", None)
    values = to_list() if callable(to_list) else None
    if not isinstance(values, list):
        raise InvalidValueError(f"arrivals_per_interval: {what} is not a column: {column!r}")
    for k, value in enumerate(values):
        if _missing(value):
            raise InvalidValueError(f"arrivals_per_interval: {what} has no value in row {k}")
    return values


def _items(source: Iterable[object]) -> Iterable[object]:
    """The items to count: ``source`` itself, or the rows of a dataframe or column.

    A pandas or polars Series (or a numpy array) of timestamps yields its timestamps; a
    DataFrame is a counts table whose ``start`` and ``count`` columns (and an optional
    ``channel``) yield ``(start, count)`` or ``(start, channel, count)`` rows. The values pass
    through the same checks as the object form, so both count the same.
    """
    shape = getattr(source, "shape", None)
    if not isinstance(shape, tuple):
        return source
    if len(shape) == 1:
        return _cells(source, "the timestamp column")
    names = [str(c) for c in getattr(source, "columns", ())]
    if len(shape) != 2 or "start" not in names or "count" not in names:
        raise InvalidValueError(
            f"arrivals_per_interval: a counts table needs 'start' and 'count' columns (and may "
            f"have 'channel'), got columns {names}"
        )
    frame: Any = source
    starts = _cells(frame["start"], "column 'start'")
    counts = _cells(frame["count"], "column 'count'")
    if "channel" not in names:
        return zip(starts, counts, strict=True)
    channels = _cells(frame["channel"], "column 'channel'")
    return zip(starts, channels, counts, strict=True)


def _record(item: object, zone: ZoneInfo) -> tuple[datetime, str | None, float, bool]:
    """Return (local naive wall time, channel, amount, is_table_row) of one source item."""
    if isinstance(item, Ticket):
        return item.created_at.astimezone(zone).replace(tzinfo=None), item.channel.value, 1.0, False
    if isinstance(item, Interaction):
        local = item.started_at.astimezone(zone).replace(tzinfo=None)
        return local, item.channel.value, 1.0, False
    if isinstance(item, datetime):
        if item.tzinfo is None:
            raise NaiveDatetimeError(
                f"arrivals_per_interval: timestamp {item!r} has no time zone; give aware "
                f"datetimes, or (local datetime, count) rows for a counts table"
            )
        return item.astimezone(zone).replace(tzinfo=None), None, 1.0, False
    if isinstance(item, tuple) and len(item) in (2, 3) and isinstance(item[0], datetime):
        start, *rest = item
        channel = str(rest[0]) if len(rest) == 2 else None
        count = rest[-1]
        if (
            isinstance(count, bool)
            or not isinstance(count, int | float)
            or not math.isfinite(count)
        ):
            raise InvalidValueError(
                f"arrivals_per_interval: row {item!r} has a non-numeric or non-finite count"
            )
        local = start if start.tzinfo is None else start.astimezone(zone).replace(tzinfo=None)
        return local, channel, float(count), True
    raise InvalidValueError(
        f"arrivals_per_interval: cannot count {item!r}; give Tickets, Interactions, aware "
        f"datetimes, or (datetime, count) / (datetime, channel, count) rows"
    )


def _count(
    source: Iterable[object],
    interval: timedelta,
    zone_name: str,
    only: str | None,
    by_channel: bool,
) -> dict[str | None, Arrivals]:
    slots = slots_per_day(interval)
    zone = ZoneInfo(zone_name)
    step_s = interval.total_seconds()
    grids: dict[str | None, dict[date, list[float]]] = {}
    seen: set[date] = set()
    table = False
    for item in _items(source):
        local, channel, amount, is_row = _record(item, zone)
        table = table or is_row
        day = local.date()
        seen.add(day)
        if only is not None and channel != only:
            continue
        key = channel if by_channel else only
        grid = grids.setdefault(key, {})
        row = grid.get(day)
        if row is None:
            row = grid[day] = [0.0] * slots
        seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        row[int(seconds // step_s)] += amount
    if not seen:
        days: list[date] = []
    elif table:
        days = sorted(seen)
    else:
        first, last = min(seen), max(seen)
        days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    if not grids:
        grids[only] = {}
    zero = [0.0] * slots
    return {
        key: Arrivals(
            interval=interval,
            timezone=zone_name,
            days=tuple(days),
            counts=tuple(grid.get(day, zero) for day in days),
            channel=key,
        )
        for key, grid in grids.items()
    }


def arrivals_per_interval(
    source: Iterable[object],
    *,
    interval: timedelta = timedelta(minutes=30),
    calendar: BusinessCalendar | None = None,
    timezone: str | None = None,
    channel: str | None = None,
) -> Arrivals:
    """Count contacts per local slot from tickets, interactions, timestamps or a counts table.

    Args:
        source: :class:`~cs8.Ticket` (counted at ``created_at``), :class:`~cs8.Interaction`
            (at ``started_at``), aware datetimes, or counts-table rows ``(start, count)`` or
            ``(start, channel, count)`` whose naive ``start`` is a local wall time; or the same
            as a dataframe: a pandas or polars Series of aware timestamps, or a DataFrame counts
            table with columns ``start``, ``count`` and optionally ``channel``.
        interval: Slot length: 15, 30 or 60 minutes (any whole-minute divisor of a day).
        calendar: The desk's calendar, whose zone the slots are read in.
        timezone: The zone when there is no calendar (default UTC).
        channel: Count only this channel (``"phone"``, ``"chat"``...); ``None`` counts all.

    Raises:
        InvalidValueError: For an interval that does not divide a day, an item it cannot count,
            a missing cell (``None``, NaN, ``NaT``) or a table without ``start`` and ``count``.
        NaiveDatetimeError: For a bare timestamp without a time zone.

    Example:
        >>> from datetime import datetime, timedelta
        >>> rows = [(datetime(2026, 3, 2, 8, 0), 12), (datetime(2026, 3, 2, 8, 30), 7),
        ...         (datetime(2026, 3, 4, 8, 0), 9)]
        >>> a = arrivals_per_interval(rows, interval=timedelta(hours=1))
        >>> a.days, a.counts[0][8], a.counts[1][8]
        ((datetime.date(2026, 3, 2), datetime.date(2026, 3, 4)), 19.0, 9.0)
    """
    zone = _zone_of(calendar, timezone)
    return _count(source, interval, zone, channel, by_channel=False)[channel]


def arrivals_by_channel(
    source: Iterable[object],
    *,
    interval: timedelta = timedelta(minutes=30),
    calendar: BusinessCalendar | None = None,
    timezone: str | None = None,
) -> dict[str, Arrivals]:
    """Count contacts per local slot for each channel found in ``source``.

    Every channel's rows cover the same observed days, so the results line up.

    Args:
        source: As :func:`arrivals_per_interval`; counts-table rows need a channel.
        interval: Slot length.
        calendar: The desk's calendar, whose zone the slots are read in.
        timezone: The zone when there is no calendar (default UTC).

    Raises:
        InvalidValueError: As :func:`arrivals_per_interval`, or for a row without a channel.

    Example:
        >>> from datetime import datetime
        >>> rows = [(datetime(2026, 3, 2, 8, 0), "phone", 12), (datetime(2026, 3, 2, 8, 0), "chat", 4)]
        >>> {k: v.counts[0][16] for k, v in arrivals_by_channel(rows).items()}
        {'phone': 12.0, 'chat': 4.0}
    """
    zone = _zone_of(calendar, timezone)
    result = _count(source, interval, zone, None, by_channel=True)
    if None in result and result[None].days:
        raise InvalidValueError(
            "arrivals_by_channel: some items have no channel; give (start, channel, count) rows"
        )
    return {key: value for key, value in result.items() if key is not None}
