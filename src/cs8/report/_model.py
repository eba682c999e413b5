"""The report as numbers: every figure a value with its n, interval and exclusions.

Nothing here is formatted. Durations are seconds, rates fractions in [0, 1], NPS points; the
renderers (text, Markdown, JSON, HTML, matplotlib) read these values and a
:class:`~cs8.report.Language` decides how they are written.

Example:
    >>> from cs8.kpi import Rate
    >>> fig = Figure.of_rate("kpi.reopen_rate", Rate.of(7, 100))
    >>> fig.value, fig.n, fig.unit
    (0.07, 100, 'rate')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime

import attrs

from cs8._frozen import FrozenDict
from cs8._heatmap import Heatmap, Unit
from cs8.kpi import DurationStats, Mean, NpsResult, Rate

__all__ = [
    "Breakdown",
    "BreakdownRow",
    "Figure",
    "Heatmap",
    "Series",
    "SlaRow",
    "StaffingRow",
    "Unit",
]


_Z95 = 1.959963984540054


def median_interval(n: int) -> tuple[float, float]:
    """The quantiles bounding the distribution-free 95 % interval of a median of ``n`` values.

    What :meth:`Figure.of_duration` reads; a duration KPI computed in an engine is asked for them
    (``quantiles=median_interval``), since its result holds no values.

    Example:
        >>> median_interval(100)
        (0.4020018007729973, 0.5979981992270027)
    """
    half = _Z95 / (2 * math.sqrt(n))
    return max(0.0, 0.5 - half), min(1.0, 0.5 + half)


def _counts(value: Mapping[str, int] | None) -> FrozenDict[str, int]:
    return value if isinstance(value, FrozenDict) else FrozenDict(value or {})


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


@attrs.frozen(kw_only=True)
class Figure:
    """One measured value with its sample size, 95 % interval and what was left out.

    Args:
        key: The catalogue key of its label (``"kpi.first_reply"``).
        unit: How the value reads (see :data:`Unit`).
        value: The value (a duration figure's median), ``None`` when nothing was measured.
        n: How many records it was computed from.
        low: Lower end of the 95 % interval (``None`` when there is none).
        high: Upper end of the interval.
        p90: Durations: the 0.9 quantile in seconds.
        mean: Durations: the mean in seconds.
        excluded: Records left out, by reason.

    Example:
        >>> Figure(key="kpi.volume", unit="count", value=3.0, n=3).to_dict()["interval"] is None
        True
    """

    key: str
    unit: Unit
    value: float | None
    n: int
    low: float | None = None
    high: float | None = None
    p90: float | None = None
    mean: float | None = None
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_counts)

    @classmethod
    def of_rate(cls, key: str, rate: Rate) -> Figure:
        """Return the figure of a :class:`~cs8.kpi.Rate` (``None`` value when ``n == 0``).

        Example:
            >>> Figure.of_rate("kpi.csat", Rate.of(0, 0)).value is None
            True
        """
        if rate.n == 0:
            return cls(key=key, unit="rate", value=None, n=0, excluded=rate.excluded)
        return cls(
            key=key,
            unit="rate",
            value=rate.value,
            n=rate.n,
            low=rate.ci_low,
            high=rate.ci_high,
            excluded=rate.excluded,
        )

    @classmethod
    def of_duration(cls, key: str, stats: DurationStats) -> Figure:
        """Return the figure of durations: the median with its order-statistic 95 % interval.

        The interval is distribution-free: the quantiles at ``0.5 -+ 1.96 / (2 sqrt(n))``, the
        large-sample form of the binomial interval for a median (Conover, *Practical
        Nonparametric Statistics*, 3rd ed., 1999, section 3.2).

        Example:
            >>> from datetime import timedelta
            >>> from cs8.kpi import DurationState
            >>> stats = DurationState.of([timedelta(seconds=s) for s in range(1, 101)]).result()
            >>> fig = Figure.of_duration("kpi.asa", stats)
            >>> fig.value, fig.low, fig.high   # 1 + 99 x (0.5 -+ 0.098): type 7 between ranks
            (50.5, 40.798178, 60.201822)
        """
        if stats.n == 0 or stats.median is None:
            return cls(key=key, unit="seconds", value=None, n=0, excluded=stats.excluded)
        q_low, q_high = median_interval(stats.n)
        low = stats.quantile(q_low)
        high = stats.quantile(q_high)
        return cls(
            key=key,
            unit="seconds",
            value=stats.median.total_seconds(),
            n=stats.n,
            low=None if low is None else round(low.total_seconds(), 6),
            high=None if high is None else round(high.total_seconds(), 6),
            p90=None if stats.p90 is None else stats.p90.total_seconds(),
            mean=None if stats.mean is None else stats.mean.total_seconds(),
            excluded=stats.excluded,
        )

    @classmethod
    def of_nps(cls, key: str, result: NpsResult) -> Figure:
        """Return the figure of an NPS (points).

        Example:
            >>> from cs8.kpi import nps
            >>> round(Figure.of_nps("kpi.nps", nps([10, 10, 0])).value, 2)
            33.33
        """
        return cls._of_interval(key, "points", result)

    @classmethod
    def of_mean(cls, key: str, result: Mean) -> Figure:
        """Return the figure of a mean score with its t interval.

        Example:
            >>> from cs8.kpi import MeanState
            >>> Figure.of_mean("kpi.ces", MeanState.of([4, 5, 6]).result()).value
            5.0
        """
        return cls._of_interval(key, "score", result)

    @classmethod
    def _of_interval(cls, key: str, unit: Unit, result: NpsResult | Mean) -> Figure:
        if result.n == 0:
            return cls(key=key, unit=unit, value=None, n=0, excluded=result.excluded)
        return cls(
            key=key,
            unit=unit,
            value=result.value,
            n=result.n,
            low=_finite(result.ci_low),
            high=_finite(result.ci_high),
            excluded=result.excluded,
        )

    def to_dict(self) -> dict[str, object]:
        """Return JSON-ready numbers (``interval`` is ``[low, high]`` or ``None``).

        Example:
            >>> sorted(Figure(key="k", unit="rate", value=0.5, n=2).to_dict())
            ['excluded', 'interval', 'key', 'mean', 'n', 'p90', 'unit', 'value']
        """
        interval = None if self.low is None or self.high is None else [self.low, self.high]
        return {
            "key": self.key,
            "unit": self.unit,
            "value": self.value,
            "n": self.n,
            "interval": interval,
            "p90": self.p90,
            "mean": self.mean,
            "excluded": dict(self.excluded),
        }


@attrs.frozen(kw_only=True)
class Series:
    """One measure per period, aligned with the report's ``periods``.

    Example:
        >>> Series(key="kpi.volume", points=(Figure(key="kpi.volume", unit="count", value=1.0, n=1),)).unit
        'count'
    """

    key: str
    points: tuple[Figure, ...]

    @property
    def unit(self) -> Unit:
        """The unit of the points (``"count"`` for an empty series)."""
        return self.points[0].unit if self.points else "count"


@attrs.frozen(kw_only=True)
class BreakdownRow:
    """One group of a breakdown: its key and its figures.

    Example:
        >>> BreakdownRow(group="phone", figures=()).group
        'phone'
    """

    group: str | None
    figures: tuple[Figure, ...]


@attrs.frozen(kw_only=True)
class Breakdown:
    """Ticket figures grouped by one dimension (``"channel"``, ``"priority"``, ...).

    Example:
        >>> Breakdown(dimension="channel", rows=()).dimension
        'channel'
    """

    dimension: str
    rows: tuple[BreakdownRow, ...]


@attrs.frozen(kw_only=True)
class SlaRow:
    """One SLA clock listed by ticket: a breach or a clock at risk.

    ``when`` is the breach instant for a breach and the due instant for a clock at risk;
    ``margin`` is how far past the target (breach) or how much is left (at risk), in seconds.

    Example:
        >>> from datetime import timezone
        >>> SlaRow(ticket_id="T1", metric="first_reply", priority="high", channel="email",
        ...        when=datetime(2026, 3, 2, tzinfo=timezone.utc), margin=60.0).margin
        60.0
    """

    ticket_id: str
    metric: str
    priority: str
    channel: str
    when: datetime
    margin: float


@attrs.frozen(kw_only=True)
class StaffingRow:
    """The Erlang C staffing of one local hour of an average open day.

    Example:
        >>> StaffingRow(hour=9, calls=12.5, agents=3, scheduled=5).agents
        3
    """

    hour: int
    calls: float
    agents: int
    scheduled: int


def period_label(start: date, period: str) -> str:
    """Return the ISO label of a period starting on ``start`` (``2026-W28`` or ``2026-07``).

    Example:
        >>> period_label(date(2026, 7, 6), "week"), period_label(date(2026, 7, 1), "month")
        ('2026-W28', '2026-07')
    """
    if period == "month":
        return f"{start:%Y-%m}"
    year, week, _ = start.isocalendar()
    return f"{year}-W{week:02d}"
