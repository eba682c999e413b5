"""Forecast accuracy per interval and per day, against the weekly seasonal-naive forecast.

Only slots where the actual or the forecast is above zero are scored, so a desk closed at night
is not credited with perfect forecasts of its empty slots. MASE divides the MAE by the in-sample
MAE of the weekly seasonal-naive forecast (each day predicted by the last earlier day of the
same weekday), as Hyndman and Koehler define it ("Another look at measures of forecast
accuracy", International Journal of Forecasting 22(4), 2006).

Example:
    >>> from datetime import date, timedelta
    >>> f = ArrivalForecast(interval=timedelta(hours=12), timezone="UTC",
    ...                     days=(date(2026, 1, 5),), expected=(4.0, 6.0), low=(2.0, 4.0),
    ...                     high=(7.0, 9.0))
    >>> actual = Arrivals(interval=timedelta(hours=12), timezone="UTC",
    ...                   days=(date(2026, 1, 5),), counts=((5, 10),))
    >>> acc = forecast_accuracy(f, actual)
    >>> acc.mae, acc.coverage
    (2.5, 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, time, timedelta
from typing import Any

import attrs

from cs8._display import DictsReprMixin, Row
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.staffing._arrivals import Arrivals
from cs8.staffing._forecast import ArrivalForecast, aggregate, forecast_arrivals

__all__ = ["Accuracy", "backtest", "forecast_accuracy"]


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan


def _by_time(values: Mapping[time, float]) -> FrozenDict[time, float]:
    return FrozenDict(values)


def _by_day(values: Mapping[date, float]) -> FrozenDict[date, float]:
    return FrozenDict(values)


def _totals(values: Mapping[date, tuple[float, float]]) -> FrozenDict[date, tuple[float, float]]:
    return FrozenDict(values)


@attrs.frozen(kw_only=True, repr=False)
class Accuracy(DictsReprMixin):
    """How close a forecast came, overall, per slot of the day and per day.

    Args:
        mae: Mean absolute error per scored slot.
        naive_mae: The same for the weekly seasonal-naive forecast (``nan`` without a history).
        mase: ``mae`` over the in-sample seasonal-naive MAE of the history (``nan`` without one).
        coverage: Share of scored slots whose actual lies in ``[low, high]``.
        mae_by_interval: Local slot start time -> MAE over the days.
        coverage_by_interval: Local slot start time -> coverage over the days.
        mae_by_day: Day -> MAE over its slots.
        coverage_by_day: Day -> coverage over its slots.
        day_totals: Day -> (actual total, forecast total).

    Example:
        >>> from datetime import date, timedelta
        >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
        ...                     days=(date(2026, 1, 5),), expected=(4.0,), low=(3.0,), high=(5.0,))
        >>> a = Arrivals(interval=timedelta(days=1), timezone="UTC", days=(date(2026, 1, 5),),
        ...              counts=((5,),))
        >>> forecast_accuracy(f, a).to_dicts()
        [{'day': datetime.date(2026, 1, 5), 'actual': 5.0, 'forecast': 4.0, 'mae': 1.0, 'coverage': 1.0}]
    """

    __repr__ = DictsReprMixin._short_repr

    mae: float
    naive_mae: float
    mase: float
    coverage: float
    mae_by_interval: Mapping[time, float] = attrs.field(converter=_by_time)
    coverage_by_interval: Mapping[time, float] = attrs.field(converter=_by_time)
    mae_by_day: Mapping[date, float] = attrs.field(converter=_by_day)
    coverage_by_day: Mapping[date, float] = attrs.field(converter=_by_day)
    day_totals: Mapping[date, tuple[float, float]] = attrs.field(converter=_totals)

    def to_dicts(self) -> list[Row]:
        """Return one row per day: ``day``, ``actual``, ``forecast``, ``mae``, ``coverage``.

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(4,), low=(3,), high=(5,))
            >>> a = Arrivals(interval=timedelta(days=1), timezone="UTC",
            ...              days=(date(2026, 1, 5),), counts=((5,),))
            >>> forecast_accuracy(f, a).to_dicts()[0]["mae"]
            1.0
        """
        return [
            {
                "day": day,
                "actual": self.day_totals[day][0],
                "forecast": self.day_totals[day][1],
                "mae": self.mae_by_day[day],
                "coverage": self.coverage_by_day[day],
            }
            for day in self.mae_by_day
        ]


def _last_same_weekday(history: Arrivals, day: date) -> tuple[float, ...] | None:
    for d, row in zip(reversed(history.days), reversed(history.counts), strict=True):
        if d < day and d.weekday() == day.weekday():
            return row
    return None


def _naive_scale(history: Arrivals) -> float:
    errors: list[float] = []
    latest: dict[int, tuple[float, ...]] = {}
    for day, row in zip(history.days, history.counts, strict=True):
        before = latest.get(day.weekday())
        if before is not None:
            errors.extend(abs(a - b) for a, b in zip(row, before, strict=True) if a > 0 or b > 0)
        latest[day.weekday()] = row
    return _mean(errors)


def forecast_accuracy(
    forecast: ArrivalForecast, actual: Arrivals, *, history: Arrivals | None = None
) -> Accuracy:
    """Score a forecast on the days of ``actual`` it covers.

    Args:
        forecast: The forecast.
        actual: What arrived (summed into the forecast's slots if finer).
        history: The data the forecast was fitted on; gives the seasonal-naive MAE and MASE.

    Raises:
        InvalidValueError: If no day of ``actual`` is in the forecast.

    Example:
        >>> from datetime import date, timedelta
        >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
        ...                     days=(date(2026, 1, 5),), expected=(4,), low=(3,), high=(5,))
        >>> a = Arrivals(interval=timedelta(days=1), timezone="UTC", days=(date(2026, 1, 5),),
        ...              counts=((9,),))
        >>> forecast_accuracy(f, a).coverage
        0.0
    """
    actual = aggregate(actual, forecast.interval)
    n = actual.slots_per_day
    where = {day: i for i, day in enumerate(forecast.days)}
    slot_times = [(_midnight_plus(forecast.interval * i), i) for i in range(n)]
    by_slot_err: list[list[float]] = [[] for _ in range(n)]
    by_slot_hit: list[list[float]] = [[] for _ in range(n)]
    by_day_err: dict[date, float] = {}
    by_day_hit: dict[date, float] = {}
    totals: dict[date, tuple[float, float]] = {}
    errors: list[float] = []
    hits: list[float] = []
    naive_errors: list[float] = []
    for day, row in zip(actual.days, actual.counts, strict=True):
        if day not in where:
            continue
        k = where[day] * n
        naive = _last_same_weekday(history, day) if history is not None else None
        day_err: list[float] = []
        day_hit: list[float] = []
        for s in range(n):
            y, e = row[s], forecast.expected[k + s]
            if y <= 0 and e <= 0:
                continue
            err = abs(y - e)
            hit = 1.0 if forecast.low[k + s] <= y <= forecast.high[k + s] else 0.0
            day_err.append(err)
            day_hit.append(hit)
            by_slot_err[s].append(err)
            by_slot_hit[s].append(hit)
            if naive is not None:
                naive_errors.append(abs(y - naive[s]))
        errors += day_err
        hits += day_hit
        by_day_err[day] = _mean(day_err)
        by_day_hit[day] = _mean(day_hit)
        totals[day] = (math.fsum(row), math.fsum(forecast.expected[k : k + n]))
    if not by_day_err:
        raise InvalidValueError(
            "forecast_accuracy: no day of the actual arrivals is in the forecast"
        )
    scale = _naive_scale(history) if history is not None else math.nan
    mae = _mean(errors)
    return Accuracy(
        mae=mae,
        naive_mae=_mean(naive_errors) if history is not None else math.nan,
        mase=mae / scale if scale and not math.isnan(scale) else math.nan,
        coverage=_mean(hits),
        mae_by_interval={t: _mean(by_slot_err[s]) for t, s in slot_times if by_slot_err[s]},
        coverage_by_interval={t: _mean(by_slot_hit[s]) for t, s in slot_times if by_slot_hit[s]},
        mae_by_day=by_day_err,
        coverage_by_day=by_day_hit,
        day_totals=totals,
    )


def _midnight_plus(offset: timedelta) -> time:
    seconds = int(offset.total_seconds())
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def backtest(history: Arrivals, actual: Arrivals, **options: Any) -> Accuracy:
    """Forecast the days of ``actual`` from ``history`` alone and score it (see :class:`Accuracy`).

    Args:
        history: The arrivals the forecast may use.
        actual: The held-back arrivals that followed.
        **options: Passed to :func:`forecast_arrivals` (``calendar``, ``holidays``, ``weeks``,
            ``coverage``); ``interval`` defaults to the actual's.

    Raises:
        InvalidValueError: If ``actual`` is empty or starts before the history ends.

    Example:
        >>> from datetime import date, timedelta
        >>> days = [date(2026, 1, 5) + timedelta(days=k) for k in range(35)]
        >>> rows = [[50.0 + (k % 7) * 3 + (k * 7 % 5)] for k in range(35)]  # weekly + noise
        >>> one = timedelta(days=1)
        >>> history = Arrivals(interval=one, timezone="UTC", days=days[:28], counts=rows[:28])
        >>> actual = Arrivals(interval=one, timezone="UTC", days=days[28:], counts=rows[28:])
        >>> acc = backtest(history, actual)
        >>> round(acc.mae, 2), round(acc.naive_mae, 2), round(acc.coverage, 2)
        (1.47, 1.43, 0.86)
    """
    if not actual.days:
        raise InvalidValueError("backtest: the actual arrivals are empty")
    if history.days and actual.days[0] <= history.days[-1]:
        raise InvalidValueError(
            f"backtest: the actual arrivals start {actual.days[0]}, not after the history's "
            f"last day {history.days[-1]}"
        )
    options.setdefault("interval", actual.interval)
    span = actual.days[-1] - actual.days[0] + timedelta(days=1)
    forecast = forecast_arrivals(history, start=actual.days[0], horizon=span, **options)
    return forecast_accuracy(forecast, actual, history=aggregate(history, forecast.interval))
