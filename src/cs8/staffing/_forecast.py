"""Per-interval arrival forecasts: weekday profiles x a smoothed daily level, with empirical intervals.

The method (needs numpy, ``pip install 'cs8[numpy]'``), as planners' "weekly and intraday
seasonality" tools do it (Gans, Koole and Mandelbaum, "Telephone call centers: tutorial, review,
and research prospects", MSOM 5(2), 2003, section 5: day totals times intraday proportions):

1. **Weekday factors**: over the last ``weeks`` weeks, each weekday's mean daily total divided by
   the mean of all days; weekdays never seen are closed.
2. **Intraday profiles**: for each weekday, the mean share of the day's total in each slot over
   its last ``weeks`` regular occurrences.
3. **Level and trend**: the daily totals divided by their weekday factor, smoothed by Holt's
   linear method with a damped trend (Gardner and McKenzie 1985; alpha 0.2, beta 0.02, phi 0.95
   per open day).
4. **Forecast**: level (plus the damped trend to the horizon) x weekday factor x profile; a
   holiday (the calendar's, or in ``holidays``: dates, or a ``holidays`` package object, so Tết
   follows the lunar calendar) is left out of steps 1-3 and gets the mean ratio of actual to
   forecast over the holidays in the history, or 0 (closed) when the history has none; slots the
   calendar keeps closed get 0.
5. **Prediction intervals**: the same method is re-run from every past day as origin (rolling
   origin, using only the data up to it; the latest 120 origins) over the horizon; the empirical
   quantiles of ``(actual + 1) / (forecast + 1)`` per slot of the day scale the forecast.

Example:
    >>> from datetime import date, timedelta
    >>> days = tuple(date(2026, 1, 5) + timedelta(days=k) for k in range(56))
    >>> rows = [[10.0 + (k % 7), 20.0] for k in range(56)]
    >>> history = Arrivals(interval=timedelta(hours=12), timezone="UTC", days=days, counts=rows)
    >>> f = forecast_arrivals(history, interval=timedelta(hours=12), horizon=timedelta(days=7))
    >>> f.days[0], round(f.expected[0], 1), round(f.expected[1], 1)
    (datetime.date(2026, 3, 2), 10.0, 20.0)
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs

from cs8._display import DictsReprMixin, Row
from cs8._optional import require
from cs8.exceptions import InvalidValueError
from cs8.sla import BusinessCalendar
from cs8.staffing._arrivals import (
    Arrivals,
    _dates,
    _floats,
    arrivals_per_interval,
    slot_starts,
    slots_per_day,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["ArrivalForecast", "aggregate", "forecast_arrivals"]

_ALPHA, _BETA, _PHI = 0.2, 0.02, 0.95

Smoothing = tuple[float, float, float]
"""Holt's damped-trend parameters ``(alpha, beta, phi)``."""

_GRID: tuple[Smoothing, ...] = tuple(
    (a, b, p)
    for a in (0.05, 0.1, 0.2, 0.4)
    for b in (0.0, 0.02, 0.1)
    for p in (0.8, 0.9, 0.95, 1.0)
)
"""The parameters ``smoothing="fitted"`` chooses among."""

_FIT_ORIGINS = 56
"""The latest regular days used as origins when fitting the smoothing parameters."""

_ORIGINS = 120
"""The most recent days used as rolling origins for the prediction intervals."""


@attrs.frozen(kw_only=True, repr=False)
class ArrivalForecast(DictsReprMixin):
    """Expected contacts per slot with a prediction interval, for consecutive local days.

    Args:
        interval: The slot length.
        timezone: IANA zone of the slots.
        days: The forecast local days (every date of the horizon).
        expected: Expected contacts per slot, day by day (``len(days) x slots`` values).
        low: Lower bound of the prediction interval per slot.
        high: Upper bound of the prediction interval per slot.
        coverage: The intended coverage of ``[low, high]`` (0.8 for an 80 % interval).
        method: A one-line description of how the numbers were made.

    Example:
        >>> from datetime import date, timedelta
        >>> f = ArrivalForecast(interval=timedelta(hours=12), timezone="UTC",
        ...                     days=(date(2026, 1, 5),), expected=(4.0, 6.0), low=(2.0, 4.0),
        ...                     high=(7.0, 9.0), coverage=0.8, method="hand-made")
        >>> f.intervals[1].isoformat(), f.to_dicts()[1]["high"]
        ('2026-01-05T12:00:00+00:00', 9.0)
    """

    __repr__ = DictsReprMixin._short_repr

    interval: timedelta
    timezone: str
    days: tuple[date, ...] = attrs.field(converter=_dates)
    expected: tuple[float, ...] = attrs.field(converter=_floats)
    low: tuple[float, ...] = attrs.field(converter=_floats)
    high: tuple[float, ...] = attrs.field(converter=_floats)
    coverage: float = 0.8
    method: str = ""

    def __attrs_post_init__(self) -> None:
        size = len(self.days) * slots_per_day(self.interval)
        for name in ("expected", "low", "high"):
            if len(getattr(self, name)) != size:
                raise InvalidValueError(
                    f"ArrivalForecast.{name} has {len(getattr(self, name))} values, expected {size}"
                )

    @property
    def intervals(self) -> tuple[datetime, ...]:
        """The aware local start of every slot, aligned with ``expected``.

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(1,), low=(0,), high=(2,))
            >>> f.intervals[0].isoformat()
            '2026-01-05T00:00:00+00:00'
        """
        return slot_starts(self.days, self.interval, self.timezone)

    def as_arrivals(self, which: str = "expected") -> Arrivals:
        """Return ``expected`` (or ``low`` or ``high``) as :class:`Arrivals` rows.

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(hours=12), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(1, 2), low=(0, 1),
            ...                     high=(2, 3))
            >>> f.as_arrivals("high").counts
            ((2.0, 3.0),)
        """
        if which not in ("expected", "low", "high"):
            raise InvalidValueError(f"which must be expected, low or high, got {which!r}")
        values: tuple[float, ...] = getattr(self, which)
        n = slots_per_day(self.interval)
        rows = [values[i * n : (i + 1) * n] for i in range(len(self.days))]
        return Arrivals(interval=self.interval, timezone=self.timezone, days=self.days, counts=rows)

    def to_dicts(self) -> list[Row]:
        """Return one row per slot: ``start``, ``expected``, ``low``, ``high``.

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(1,), low=(0,), high=(2,))
            >>> sorted(f.to_dicts()[0])
            ['expected', 'high', 'low', 'start']
        """
        return [
            {"start": t, "expected": e, "low": lo, "high": hi}
            for t, e, lo, hi in zip(self.intervals, self.expected, self.low, self.high, strict=True)
        ]


def aggregate(arrivals: Arrivals, interval: timedelta) -> Arrivals:
    """Return ``arrivals`` summed into coarser slots (5-minute counts into 30 minutes).

    Raises:
        InvalidValueError: If ``interval`` is not a whole multiple of the arrivals' interval.

    Example:
        >>> from datetime import date, timedelta
        >>> a = Arrivals(interval=timedelta(hours=6), timezone="UTC", days=(date(2026, 1, 5),),
        ...              counts=((1, 2, 3, 4),))
        >>> aggregate(a, timedelta(hours=12)).counts
        ((3.0, 7.0),)
    """
    slots_per_day(interval)
    if interval == arrivals.interval:
        return arrivals
    if interval % arrivals.interval:
        raise InvalidValueError(
            f"cannot aggregate {arrivals.interval} slots into {interval}: not a whole multiple"
        )
    k = interval // arrivals.interval
    rows = [[math.fsum(row[i : i + k]) for i in range(0, len(row), k)] for row in arrivals.counts]
    return attrs.evolve(arrivals, interval=interval, counts=rows)


def _holiday_test(
    calendar: BusinessCalendar | None, holidays: Container[date] | Iterable[date]
) -> Container[date]:
    extra: Container[date] = holidays if isinstance(holidays, Container) else frozenset(holidays)
    own = frozenset(calendar.holidays) if calendar is not None else frozenset()

    class _Both:
        def __contains__(self, day: object) -> bool:
            return day in own or day in extra

    return _Both()


@attrs.frozen
class _Fit:
    """What the method knows at one origin."""

    level: float
    trend: float
    phi: float
    factors: dict[int, float]
    profiles: dict[int, Any]
    holiday_factor: float | None


def _fit(
    np_: Any,
    y: np.ndarray,
    days: Sequence[date],
    regular: Sequence[bool],
    upto: int,
    weeks: int,
    holiday_ratios: Sequence[float],
    smoothing: Smoothing = (_ALPHA, _BETA, _PHI),
) -> _Fit | None:
    """Fit the method on days ``[0, upto)``; ``None`` when there is too little regular data."""
    last = days[upto - 1]
    window_start = last - timedelta(days=7 * weeks - 1)
    totals = y[:upto].sum(axis=1)
    idx = [i for i in range(upto) if regular[i] and totals[i] > 0]
    if len(idx) < 3:
        return None
    recent = [i for i in idx if days[i] >= window_start] or idx
    mean_all = float(np_.mean(totals[recent]))
    factors: dict[int, float] = {}
    profiles: dict[int, Any] = {}
    for wd in range(7):
        same = [i for i in idx if days[i].weekday() == wd]
        if not same:
            continue
        last_same = same[-weeks:]
        in_window = [i for i in recent if days[i].weekday() == wd] or last_same
        factors[wd] = float(np_.mean(totals[in_window])) / mean_all
        shares = y[last_same] / totals[last_same][:, None]
        profiles[wd] = shares.mean(axis=0)
    level, trend = _holt([totals[i] / factors[days[i].weekday()] for i in idx], smoothing)
    factor = float(np_.mean(holiday_ratios)) if holiday_ratios else None
    return _Fit(float(level), float(trend), smoothing[2], factors, profiles, factor)


def _holt(xs: Sequence[float], smoothing: Smoothing) -> tuple[float, float]:
    """Holt's damped-trend level and trend after the series ``xs`` (Gardner and McKenzie 1985)."""
    alpha, beta, phi = smoothing
    level, trend = float(xs[0]), 0.0
    for x in xs[1:]:
        prev = level
        level = alpha * x + (1 - alpha) * (level + phi * trend)
        trend = beta * (level - prev) + (1 - beta) * phi * trend
    return level, trend


def _fitted_smoothing(
    np_: Any, y: np.ndarray, days: Sequence[date], regular: Sequence[bool], weeks: int, reach: int
) -> Smoothing:
    """The grid's parameters with the least absolute error of the deseasonalised day totals.

    A rolling-origin backtest on the fitting data only: from each of the latest regular days as
    origin, the level and trend forecast the next ``reach`` regular days' totals divided by their
    weekday factor (the factors of the whole history: a simplification, as the factors move
    little against the level). Ties keep the default parameters.
    """
    fit = _fit(np_, y, days, regular, len(days), weeks, ())
    if fit is None:
        return (_ALPHA, _BETA, _PHI)
    totals = y.sum(axis=1)
    xs = [
        float(totals[i]) / fit.factors[days[i].weekday()]
        for i in range(len(days))
        if regular[i] and totals[i] > 0 and days[i].weekday() in fit.factors
    ]
    origins = range(max(7, len(xs) - _FIT_ORIGINS), len(xs))
    best, best_error = (_ALPHA, _BETA, _PHI), math.inf
    for params in ((_ALPHA, _BETA, _PHI), *_GRID):
        phi = params[2]
        error = 0.0
        for upto in origins:
            level, trend = _holt(xs[:upto], params)
            for step, x in enumerate(xs[upto : upto + reach], start=1):
                damp = sum(phi**k for k in range(1, step + 1))
                error += abs(x - (level + damp * trend))
        if error < best_error - 1e-9:
            best, best_error = params, error
    return best


def _day_forecast(
    np_: Any, fit: _Fit, day: date, steps: int, holiday: bool, slots: int
) -> np.ndarray:
    wd = day.weekday()
    if wd not in fit.factors or (holiday and not fit.holiday_factor):
        return np_.zeros(slots)  # type: ignore[no-any-return]
    damp = sum(fit.phi**i for i in range(1, steps + 1))
    total = max(0.0, fit.level + damp * fit.trend) * fit.factors[wd]
    if holiday and fit.holiday_factor:
        total *= fit.holiday_factor
    return np_.asarray(total * fit.profiles[wd], dtype=float)  # type: ignore[no-any-return]


def _open_days_between(fit: _Fit, start: date, end: date, is_holiday: Container[date]) -> int:
    """Open (forecastable) days in ``(start, end]``: the Holt steps from ``start`` to ``end``."""
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() in fit.factors and day not in is_holiday:
            n += 1
    return max(n, 1)


def _closed_slots(
    calendar: BusinessCalendar | None, day: date, interval: timedelta, slots: int, zone: ZoneInfo
) -> list[bool]:
    if calendar is None:
        return [False] * slots
    starts = [datetime.combine(day, time(0), zone) + k * interval for k in range(slots)]
    return [calendar.business_duration(s, s + interval) <= timedelta(0) for s in starts]


def forecast_arrivals(
    history: Arrivals | Iterable[object],
    *,
    interval: timedelta = timedelta(minutes=30),
    horizon: timedelta = timedelta(days=7),
    calendar: BusinessCalendar | None = None,
    holidays: Container[date] | Iterable[date] = (),
    start: date | None = None,
    coverage: float = 0.8,
    weeks: int = 8,
    smoothing: Smoothing | str = (_ALPHA, _BETA, _PHI),
) -> ArrivalForecast:
    """Forecast contacts per slot for the days after the history, with prediction intervals.

    The method is described in :mod:`cs8.staffing._forecast` (weekday factors x intraday
    profiles x a damped-trend level; rolling-origin empirical intervals).

    Args:
        history: :class:`Arrivals`, or anything :func:`arrivals_per_interval` counts; finer slots
            are summed into ``interval``.
        interval: Slot length of the forecast (15, 30 or 60 minutes).
        horizon: How far ahead: whole days from ``start``.
        calendar: The desk's calendar: its zone, its holidays and its closed slots (forecast 0).
        holidays: More holiday dates: a collection of dates or a ``holidays`` package object
            (``holidays.country_holidays("VN")``).
        start: The first forecast day; default the day after the last history day.
        coverage: Coverage of the prediction interval, in (0, 1).
        weeks: How many recent weeks set the weekday factors and profiles.
        smoothing: Holt's ``(alpha, beta, phi)`` for the daily level, or ``"fitted"``: the
            parameters of a small grid with the least error in a rolling-origin backtest of the
            day totals on the history itself (the latest 56 regular days as origins, over the
            forecast's horizon).

    Raises:
        InvalidValueError: For an out-of-range argument or a history of fewer than three days.
        MissingExtraError: If numpy is not installed.

    Example:
        >>> from datetime import date, timedelta
        >>> days = tuple(date(2026, 1, 5) + timedelta(days=k) for k in range(28))  # Mondays: +20
        >>> history = Arrivals(interval=timedelta(days=1), timezone="UTC", days=days,
        ...                    counts=[[100.0 + 20 * (k % 7 == 0) + k % 3] for k in range(28)])
        >>> f = forecast_arrivals(history, interval=timedelta(days=1), horizon=timedelta(days=2))
        >>> f.days[0].strftime("%a"), [round(x) for x in f.expected]
        ('Mon', [121, 101])
        >>> f.low[0] <= f.expected[0] <= f.high[0]
        True
    """
    np_ = require("numpy", "numpy", "forecast_arrivals()")
    if not isinstance(history, Arrivals):
        history = arrivals_per_interval(history, interval=interval, calendar=calendar)
    history = aggregate(history, interval)
    if not 0.0 < coverage < 1.0:
        raise InvalidValueError(f"coverage must be in (0, 1), got {coverage!r}")
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise InvalidValueError(f"weeks must be a positive integer, got {weeks!r}")
    if smoothing != "fitted" and not (
        isinstance(smoothing, tuple)
        and len(smoothing) == 3
        and 0 < smoothing[0] <= 1
        and 0 <= smoothing[1] <= 1
        and 0 < smoothing[2] <= 1
    ):
        raise InvalidValueError(
            f"smoothing must be 'fitted' or (alpha, beta, phi) with alpha and phi in (0, 1] and "
            f"beta in [0, 1], got {smoothing!r}"
        )
    n_days = horizon // timedelta(days=1)
    if n_days < 1:
        raise InvalidValueError(f"horizon must be at least one day, got {horizon!r}")
    if len(history.days) < 3:
        raise InvalidValueError(
            f"forecast_arrivals needs at least three days of history, got {len(history.days)}"
        )
    slots = history.slots_per_day
    zone = ZoneInfo(calendar.timezone if calendar is not None else history.timezone)
    is_holiday = _holiday_test(calendar, holidays)
    days = history.days
    y = np_.asarray(history.counts, dtype=float)
    regular = [d not in is_holiday for d in days]
    first = start or days[-1] + timedelta(days=1)
    targets = [first + timedelta(days=k) for k in range(n_days)]

    # Rolling origins: the method from every past day, scored on the days that follow it.
    ratios: list[list[float]] = [[] for _ in range(slots)]
    holiday_ratios: list[float] = []
    reach = (targets[-1] - days[-1]).days
    params: Smoothing = (
        _fitted_smoothing(np_, y, days, regular, weeks, max(1, n_days))
        if smoothing == "fitted"
        else smoothing  # type: ignore[assignment]
    )
    for upto in range(max(min(7, len(days)), len(days) - _ORIGINS), len(days)):
        fit = _fit(np_, y, days, regular, upto, weeks, holiday_ratios, params)
        if fit is None:
            continue
        origin = days[upto - 1]
        for j in range(upto, len(days)):
            if (days[j] - origin).days > reach:
                break
            if not regular[j]:
                if j == upto:  # the next day: learn the holiday effect
                    plain = _day_forecast(np_, fit, days[j], 1, False, slots).sum()
                    if plain > 0:
                        holiday_ratios.append(float(y[j].sum() / plain))
                continue
            steps = _open_days_between(fit, origin, days[j], is_holiday)
            pred = _day_forecast(np_, fit, days[j], steps, False, slots)
            for s in np_.nonzero((pred > 0) | (y[j] > 0))[0]:
                ratios[s].append(float((y[j][s] + 1.0) / (pred[s] + 1.0)))
    pooled = [r for rs in ratios for r in rs]
    q_lo, q_hi = (1.0 - coverage) / 2.0, (1.0 + coverage) / 2.0
    bounds = []
    for rs in ratios:
        sample = rs if len(rs) >= 30 else pooled
        if sample:
            lo, hi = np_.quantile(sample, [q_lo, q_hi])
            bounds.append((float(lo), float(hi)))
        else:
            bounds.append((1.0, 1.0))

    fit = _fit(np_, y, days, regular, len(days), weeks, holiday_ratios, params)
    if fit is None:
        raise InvalidValueError("forecast_arrivals needs at least three regular days with contacts")
    expected: list[float] = []
    low: list[float] = []
    high: list[float] = []
    for day in targets:
        steps = _open_days_between(fit, days[-1], day, is_holiday)
        pred = _day_forecast(np_, fit, day, steps, day in is_holiday, slots)
        closed = _closed_slots(calendar, day, interval, slots, zone)
        for s in range(slots):
            e = 0.0 if closed[s] else float(pred[s])
            lo_r, hi_r = bounds[s]
            expected.append(e)
            low.append(0.0 if e == 0 else max(0.0, (e + 1.0) * lo_r - 1.0))
            high.append(0.0 if e == 0 else max(e, (e + 1.0) * hi_r - 1.0))
    return ArrivalForecast(
        interval=interval,
        timezone=str(zone.key),
        days=tuple(targets),
        expected=expected,
        low=low,
        high=high,
        coverage=coverage,
        method=(
            f"weekday factors x intraday profiles (last {weeks} weeks) x damped Holt level "
            f"(alpha {params[0]}, beta {params[1]}, phi {params[2]}"
            f"{', fitted' if smoothing == 'fitted' else ''}); {coverage:.0%} rolling-origin intervals"
        ),
    )
