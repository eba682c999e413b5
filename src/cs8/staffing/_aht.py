"""Handle-time forecasts per slot, made the way arrivals are forecast.

The work (handle seconds of answered contacts) and the answered contacts are each forecast per
slot with :func:`~cs8.staffing.forecast_arrivals`; the AHT of a slot is their ratio, and slots
with almost no contacts forecast take the history's overall AHT (a ratio of two near-zero
forecasts says nothing).

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Interaction
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> calls = [Interaction(id=f"{d}-{k}", customer_id="c", channel="phone",
    ...                      started_at=t0 + timedelta(days=d, minutes=k),
    ...                      answered_at=t0 + timedelta(days=d, minutes=k),
    ...                      talk_time=timedelta(seconds=200 + 100 * (d % 7 == 0)))
    ...          for d in range(28) for k in range(10)]
    >>> f = forecast_aht(calls, interval=timedelta(hours=1), horizon=timedelta(days=2))
    >>> f.days[0].strftime("%a"), f.aht[9].total_seconds(), f.aht[24 + 9].total_seconds()
    ('Mon', 300.0, 200.0)
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable
from datetime import date, timedelta

import attrs

from cs8._display import DictsReprMixin, Row
from cs8._models import Interaction
from cs8.exceptions import InvalidValueError
from cs8.sla import BusinessCalendar
from cs8.staffing._arrivals import _dates, _durations, arrivals_per_interval, slot_starts
from cs8.staffing._forecast import forecast_arrivals

__all__ = ["AhtForecast", "forecast_aht"]


@attrs.frozen(kw_only=True, repr=False)
class AhtForecast(DictsReprMixin):
    """Expected average handle time per slot (pass ``.aht`` to ``staffing_plan``).

    Args:
        interval: The slot length.
        timezone: IANA zone of the slots.
        days: The forecast days.
        aht: Expected AHT per slot, day by day.

    Example:
        >>> from datetime import date, timedelta
        >>> f = AhtForecast(interval=timedelta(days=1), timezone="UTC", days=(date(2026, 1, 5),),
        ...                 aht=(timedelta(seconds=240),))
        >>> f.to_dicts()[0]["aht"]
        datetime.timedelta(seconds=240)
    """

    __repr__ = DictsReprMixin._short_repr

    interval: timedelta
    timezone: str
    days: tuple[date, ...] = attrs.field(converter=_dates)
    aht: tuple[timedelta, ...] = attrs.field(converter=_durations)

    def to_dicts(self) -> list[Row]:
        """Return one row per slot: ``start`` and ``aht``.

        Example:
            >>> from datetime import date, timedelta
            >>> f = AhtForecast(interval=timedelta(days=1), timezone="UTC",
            ...                 days=(date(2026, 1, 5),), aht=(timedelta(seconds=240),))
            >>> f.to_dicts()[0]["start"].isoformat()
            '2026-01-05T00:00:00+00:00'
        """
        starts = slot_starts(self.days, self.interval, self.timezone)
        return [{"start": t, "aht": a} for t, a in zip(starts, self.aht, strict=True)]


def forecast_aht(
    interactions: Iterable[Interaction],
    *,
    interval: timedelta = timedelta(minutes=30),
    horizon: timedelta = timedelta(days=7),
    calendar: BusinessCalendar | None = None,
    holidays: Container[date] | Iterable[date] = (),
    start: date | None = None,
    channel: str | None = None,
    weeks: int = 8,
) -> AhtForecast:
    """Forecast the average handle time per slot from answered interactions.

    Args:
        interactions: Past contacts; the answered ones (``answered_at`` set) count.
        interval: Slot length.
        horizon: How far ahead, in whole days.
        calendar: The desk's calendar (zone, holidays, closed slots).
        holidays: More holiday dates (see :func:`~cs8.staffing.forecast_arrivals`).
        start: The first forecast day (default: the day after the history).
        channel: Only this channel.
        weeks: Recent weeks for the profiles.

    Raises:
        InvalidValueError: If no answered contact has a handle time.
        MissingExtraError: If numpy is not installed.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> calls = [Interaction(id=str(d), customer_id="c", channel="phone",
        ...                      started_at=t0 + timedelta(days=d), answered_at=t0 + timedelta(days=d),
        ...                      talk_time=timedelta(seconds=180)) for d in range(14)]
        >>> forecast_aht(calls, horizon=timedelta(days=1)).aht[18]
        datetime.timedelta(seconds=180)
    """
    answered = [
        i
        for i in interactions
        if i.answered_at is not None and (channel is None or i.channel.value == channel)
    ]
    seconds = [i.handle_time.total_seconds() for i in answered]
    if not answered or math.fsum(seconds) <= 0:
        raise InvalidValueError("forecast_aht: no answered interaction with a handle time")
    overall = math.fsum(seconds) / len(seconds)
    zone = calendar.timezone if calendar is not None else "UTC"
    work = arrivals_per_interval(
        [(i.started_at, s) for i, s in zip(answered, seconds, strict=True)],
        interval=interval,
        calendar=calendar,
        timezone=zone,
    )
    count = arrivals_per_interval(
        [(i.started_at, 1) for i in answered], interval=interval, calendar=calendar, timezone=zone
    )
    options = {"interval": interval, "horizon": horizon, "calendar": calendar, "start": start}
    work_f = forecast_arrivals(work, holidays=holidays, weeks=weeks, **options)  # type: ignore[arg-type]
    count_f = forecast_arrivals(count, holidays=holidays, weeks=weeks, **options)  # type: ignore[arg-type]
    aht = [
        timedelta(seconds=round(w / c, 6) if c >= 0.5 else overall)
        for w, c in zip(work_f.expected, count_f.expected, strict=True)
    ]
    return AhtForecast(interval=interval, timezone=work_f.timezone, days=work_f.days, aht=aht)
