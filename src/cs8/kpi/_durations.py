"""Duration KPIs' statistics: the mergeable :class:`DurationState` and its :class:`DurationStats`.

Quantiles are exact (Hyndman-Fan type 7) at any size by default; a state built with an
``exact_limit`` switches to the 1 % :class:`~cs8.stats.QuantileSketch` beyond it.

Example:
    >>> from datetime import timedelta
    >>> DurationState.of([timedelta(seconds=s) for s in (4, 6, 6, 9)]).result().median
    datetime.timedelta(seconds=6)
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import timedelta
from fractions import Fraction
from itertools import chain, repeat
from typing import ClassVar

import attrs

from cs8._display import DictReprMixin
from cs8._distributions import t_quantile
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.kpi._stats import (
    _MIN_N,
    _add_excluded,
    _frozen_counts,
    _merge_excluded,
)
from cs8.stats._intervals import _check_confidence
from cs8.stats._sketch import RELATIVE_ACCURACY, QuantileSketch, type7_quantile

__all__ = ["DEFAULT_EXACT_LIMIT", "SKETCH_LIMIT", "DurationState", "DurationStats"]

DEFAULT_EXACT_LIMIT: int | None = None
"""Durations a :class:`DurationState` keeps exactly by default: ``None``, all of them.

Sorted integer microseconds merge exactly, so quantiles stay exact (type 7) at any size; a state
built with an ``exact_limit`` switches to a 1 % sketch beyond it, for callers who merge very many
partitions and want bounded memory."""

SKETCH_LIMIT = 4096
"""The ``exact_limit`` the KPIs use when asked for ``exact=False``."""


# --------------------------------------------------------------------------------------------------
# Durations


def _micros(value: timedelta) -> int:
    if not isinstance(value, timedelta):
        raise InvalidValueError(f"DurationState: values must be timedeltas, got {value!r}")
    return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds


def _td(micros: float) -> timedelta:
    return timedelta(microseconds=round(micros))


@attrs.frozen(kw_only=True)
class DurationState:
    """The mergeable state of a duration KPI: exact by default, a 1 % sketch only on request.

    Durations are held as sorted integer microseconds, so quantiles are exact (Hyndman-Fan type 7)
    whatever the number of values, and merging two states merges two sorted runs exactly. A state
    built with an ``exact_limit`` keeps at most that many values and beyond it switches to a
    :class:`~cs8.stats.QuantileSketch` whose quantiles are within 1 % relative error, rounded to the
    data's own resolution (the greatest common divisor of the values: whole-second data gives
    whole-second quantiles). Count, sum, sum of squares, minimum and maximum stay exact either way,
    so the mean and its interval are exact. ``add`` returns a new state and copies the values: use
    :meth:`of` or :meth:`extend` for many.

    The ``.frame(...)`` form of a duration KPI on a lazy engine returns a result whose state is a
    summary (count, sums, bounds and the order statistics of the quantiles asked; no values): it
    refuses :meth:`merge`, and :meth:`quantile` of another ``q``, rather than answer from missing
    values.

    Args:
        values: Sorted microseconds while exact, else empty.
        sketch: The sketch once more than ``exact_limit`` values were added, else ``None``.
        n: How many values.
        total: Sum of the values in microseconds.
        total_sq: Sum of their squares.
        min: The smallest value in microseconds (``None`` when empty).
        max: The largest value in microseconds (``None`` when empty).
        resolution: The greatest common divisor of the values in microseconds (0 when empty or
            unknown).
        exact_limit: How many values to keep exactly (``None``: all; merging two states uses the
            smaller limit).
        excluded: Records left out, by reason.

    Example:
        >>> from datetime import timedelta
        >>> s = DurationState.of([timedelta(minutes=m) for m in (5, 10, 30)])
        >>> s.result().median
        datetime.timedelta(seconds=600)
        >>> s.exact, DurationState.of_microseconds(range(10), exact_limit=4).exact
        (True, False)
    """

    values: tuple[int, ...] = ()
    sketch: QuantileSketch | None = None
    n: int = 0
    total: int = 0
    total_sq: int = 0
    min: int | None = None
    max: int | None = None
    resolution: int = 0
    exact_limit: int | None = DEFAULT_EXACT_LIMIT
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)

    RELATIVE_ACCURACY: ClassVar[float] = RELATIVE_ACCURACY

    @classmethod
    def empty(cls, *, exact_limit: int | None = DEFAULT_EXACT_LIMIT) -> DurationState:
        """Return the state of no durations.

        Example:
            >>> DurationState.empty().n
            0
        """
        return cls(exact_limit=exact_limit)

    @classmethod
    def of(
        cls, durations: Iterable[timedelta], *, exact_limit: int | None = DEFAULT_EXACT_LIMIT
    ) -> DurationState:
        """Return the state of ``durations``.

        Example:
            >>> from datetime import timedelta
            >>> DurationState.of([timedelta(seconds=1)]).total
            1000000
        """
        return cls(exact_limit=exact_limit).extend(durations)

    @classmethod
    def of_microseconds(
        cls, micros: Iterable[int], *, exact_limit: int | None = DEFAULT_EXACT_LIMIT
    ) -> DurationState:
        """Return the state of durations given as integer microseconds (the fast path).

        Example:
            >>> DurationState.of_microseconds([1_000_000, 3_000_000]).result().mean
            datetime.timedelta(seconds=2)
        """
        return cls(exact_limit=exact_limit).extend_microseconds(micros)

    def add(self, duration: timedelta) -> DurationState:
        """Return a new state with one more duration.

        Example:
            >>> from datetime import timedelta
            >>> DurationState.empty().add(timedelta(seconds=2)).n
            1
        """
        return self.extend_microseconds((_micros(duration),))

    def extend(self, durations: Iterable[timedelta]) -> DurationState:
        """Return a new state with every duration added.

        Example:
            >>> from datetime import timedelta
            >>> DurationState.empty().extend([timedelta(0), timedelta(hours=1)]).max
            3600000000
        """
        data = durations if isinstance(durations, list | tuple) else list(durations)
        try:
            # Durations repeat a lot (whole seconds, minutes): count the distinct timedeltas in C
            # and convert each distinct one to microseconds once.
            counts = Counter(data)
        except TypeError:  # an unhashable value is no timedelta: _micros names it
            for d in data:
                _micros(d)
            raise
        if not counts:
            return self
        micros = Counter({_micros(d): c for d, c in counts.items()})
        return self.merge(_state_of(micros, self.exact_limit))

    def extend_microseconds(self, micros: Iterable[int]) -> DurationState:
        """Return a new state with durations given as integer microseconds added.

        Example:
            >>> DurationState.empty().extend_microseconds([5, 1]).values
            (1, 5)
        """
        counts = Counter(micros)
        if not counts:
            return self
        return self.merge(_state_of(counts, self.exact_limit))

    def exclude(self, reason: str, count: int = 1) -> DurationState:
        """Return a new state that records ``count`` records left out for ``reason``.

        Example:
            >>> dict(DurationState.empty().exclude("unreplied", 4).excluded)
            {'unreplied': 4}
        """
        return attrs.evolve(self, excluded=_add_excluded(self.excluded, reason, count))

    @property
    def exact(self) -> bool:
        """Whether every value is held exactly (no sketch)."""
        return self.sketch is None

    def merge(self, other: DurationState) -> DurationState:
        """Return the state of both states' durations (exactly associative and commutative).

        Example:
            >>> a = DurationState.of_microseconds([3, 1])
            >>> a.merge(DurationState.of_microseconds([2])) == DurationState.of_microseconds([1, 2, 3])
            True
        """
        self._check_held("merge")
        other._check_held("merge")
        limit = _limit(self.exact_limit, other.exact_limit)
        n = self.n + other.n
        excluded = _merge_excluded(self.excluded, other.excluded)
        if other.n == 0 and limit == self.exact_limit:
            return attrs.evolve(self, excluded=excluded)
        if self.n == 0 and limit == other.exact_limit:
            return attrs.evolve(other, excluded=excluded)
        values: tuple[int, ...] = ()
        sketch: QuantileSketch | None = None
        if limit is None or n <= limit:
            # Timsort finds the two sorted runs: merging is linear.
            values = tuple(sorted(self.values + other.values))
        else:
            sketch = self._as_sketch() + other._as_sketch()
        return DurationState(
            values=values,
            sketch=sketch,
            n=n,
            total=self.total + other.total,
            total_sq=self.total_sq + other.total_sq,
            min=_opt(min, self.min, other.min),
            max=_opt(max, self.max, other.max),
            resolution=math.gcd(self.resolution, other.resolution),
            exact_limit=limit,
            excluded=excluded,
        )

    def __add__(self, other: DurationState) -> DurationState:
        return self.merge(other)

    def _as_sketch(self) -> QuantileSketch:
        return self.sketch if self.sketch is not None else QuantileSketch.of(self.values)

    def quantile(self, q: float) -> timedelta | None:
        """Return the ``q`` quantile (exact type 7; within 1 % once sketched), or ``None``.

        Raises:
            InvalidValueError: If ``q`` is outside [0, 1].

        Example:
            >>> DurationState.of_microseconds([0, 10]).quantile(0.25)
            datetime.timedelta(microseconds=2)
        """
        if not 0.0 <= q <= 1.0:
            raise InvalidValueError(f"quantile: q must be in [0, 1], got {q!r}")
        if self.n == 0:
            return None
        if self.sketch is not None:
            step = self.resolution or 1
            return timedelta(microseconds=round(self.sketch.quantile(q) / step) * step)
        self._check_held("quantile")
        return _td(type7_quantile(self.values, q))

    def _check_held(self, what: str) -> None:
        """Refuse a summary-only state: one whose count, sums and bounds came from an engine."""
        if self.sketch is None and len(self.values) != self.n:
            raise InvalidValueError(
                f"DurationState.{what}: this state holds the summary of {self.n} durations, not "
                "their values (its median and p90 were computed inside a dataframe engine); "
                "ask the engine again for other quantiles"
            )

    def result(self, *, confidence: float = 0.95, min_n: int = _MIN_N) -> DurationStats:
        """Return the summary: n, mean (with a t interval), median, p90, min, max.

        The interval of the mean is clipped at zero when no duration is negative.

        Example:
            >>> DurationState.of_microseconds([1_000_000] * 3).result().p90
            datetime.timedelta(seconds=1)
        """
        _check_confidence(confidence, "DurationState.result")
        n = self.n
        warnings: list[str] = []
        mean = std = low = high = None
        if n == 0:
            warnings.append("no data: n=0")
        else:
            mean_us = Fraction(self.total, n)
            mean = timedelta(microseconds=round(mean_us))
            if n < min_n:
                warnings.append(f"small sample: n={n} is below {min_n}")
            if n >= 2:
                var = (Fraction(self.total_sq) - self.total * mean_us) / (n - 1)
                sd = math.sqrt(max(0.0, float(var)))
                std = _td(sd)
                half = t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)
                floor = 0.0 if (self.min or 0) >= 0 else -math.inf
                low, high = _td(max(floor, float(mean_us) - half)), _td(float(mean_us) + half)
            if self.sketch is not None:
                warnings.append(
                    f"quantiles from a sketch: within {RELATIVE_ACCURACY:.0%} relative error"
                )
        return DurationStats(
            n=n,
            mean=mean,
            median=self.quantile(0.5),
            p90=self.quantile(0.9),
            min=None if self.min is None else timedelta(microseconds=self.min),
            max=None if self.max is None else timedelta(microseconds=self.max),
            std=std,
            ci_low=low,
            ci_high=high,
            exact=self.exact,
            confidence=confidence,
            small_sample=n < min_n,
            warnings=tuple(warnings),
            excluded=self.excluded,
            state=self,
        )


def _limit(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _opt(f: Callable[[int, int], int], a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return f(a, b)


def _state_of(counts: Counter[int], limit: int | None) -> DurationState:
    # Durations repeat a lot (whole seconds, minutes): given each distinct value's count, sort and
    # sum over the distinct values, and expand the sorted run in C.
    keys = sorted(counts)
    n = counts.total()
    exact = limit is None or n <= limit
    values = tuple(chain.from_iterable(map(repeat, keys, map(counts.__getitem__, keys))))
    return DurationState(
        values=values if exact else (),
        sketch=None if exact else QuantileSketch.of(values),
        n=n,
        total=sum(map(operator.mul, keys, map(counts.__getitem__, keys))),
        total_sq=sum(k * k * counts[k] for k in keys),
        min=keys[0],
        max=keys[-1],
        resolution=math.gcd(*keys),
        exact_limit=limit,
    )


@attrs.frozen(kw_only=True)
class DurationStats(DictReprMixin):
    """A summary of durations: n, mean with a t interval, median, p90, any quantile, min and max.

    Quantiles interpolate linearly between order statistics (Hyndman and Fan type 7), exactly unless
    the state was built with an ``exact_limit`` and outgrew it (then ``exact`` is false and they come
    from a sketch within 1 % relative error). Values are rounded to whole microseconds. Every duration field is ``None`` when ``n == 0``.

    Args:
        n: How many durations.
        mean: Arithmetic mean.
        median: The 0.5 quantile.
        p90: The 0.9 quantile.
        min: The shortest.
        max: The longest.
        std: Sample standard deviation (``None`` when ``n < 2``).
        ci_low: Lower end of the t interval for the mean (``None`` when ``n < 2``).
        ci_high: Upper end of the interval.
        exact: Whether the quantiles are exact (``False`` only when a sketch was asked for).
        confidence: The interval's confidence level.
        small_sample: Whether ``n`` is below the threshold the result was computed with.
        warnings: Human-readable caveats.
        excluded: Records left out, by reason.
        state: The state it was computed from (for :meth:`quantile` and merging).

    Example:
        >>> from datetime import timedelta
        >>> stats = DurationState.of([timedelta(minutes=m) for m in (1, 2, 3, 4)]).result()
        >>> stats.quantile(0.75)
        datetime.timedelta(seconds=195)
        >>> print(stats)
        Durations (n=4)
          mean     00:02:30.0
          median   00:02:30.0
          p90      00:03:42.0
          min      00:01:00.0
          max      00:04:00.0
          std      00:01:17.5
          95% CI   [00:00:26.7, 00:04:33.3]
          exact    True
          warning  small sample: n=4 is below 30
    """

    n: int
    mean: timedelta | None
    median: timedelta | None
    p90: timedelta | None
    min: timedelta | None
    max: timedelta | None
    std: timedelta | None = None
    ci_low: timedelta | None = None
    ci_high: timedelta | None = None
    exact: bool = True
    confidence: float = 0.95
    small_sample: bool = False
    warnings: tuple[str, ...] = ()
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)
    state: DurationState = attrs.field(factory=DurationState, repr=False, eq=False)

    def quantile(self, q: float) -> timedelta | None:
        """Return the ``q`` quantile of the durations (``None`` when there are none).

        Raises:
            InvalidValueError: If ``q`` is outside [0, 1].

        Example:
            >>> DurationState.of_microseconds([0, 100]).result().quantile(0.1)
            datetime.timedelta(microseconds=10)
        """
        return self.state.quantile(q)

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict (durations as :class:`~datetime.timedelta`).

        Example:
            >>> DurationState.of_microseconds([5]).result().to_dict()["n"]
            1
        """
        return {
            "n": self.n,
            "mean": self.mean,
            "median": self.median,
            "p90": self.p90,
            "min": self.min,
            "max": self.max,
            "std": self.std,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "exact": self.exact,
            "confidence": self.confidence,
            "small_sample": self.small_sample,
            "warnings": list(self.warnings),
            "excluded": dict(self.excluded),
        }

    _hidden: ClassVar[frozenset[str]] = frozenset({"n", "small_sample"})
    _durations: ClassVar[frozenset[str]] = frozenset(
        {"mean", "median", "p90", "min", "max", "std", "ci_low", "ci_high"}
    )

    def _title(self) -> str:
        return f"Durations (n={self.n})"
