"""The statistics core of cs8.kpi: result values, mergeable states and the distributions they use.

Every KPI is a *state* that collects what is needed (:class:`RateState`, :class:`MeanState`,
:class:`DurationState`) and a *result* it turns into (:class:`Rate`, :class:`Mean`,
:class:`DurationStats`). States are frozen values: ``empty()``, ``add(x)`` and ``extend(xs)`` return
new states, ``merge`` (or ``+``) combines two, and ``result()`` gives the reported value with its
sample size, interval and warnings. States hold integers (counts, microseconds) or exact rationals, so
merging is exactly associative and commutative and the state of merged halves *equals* the state of
the whole; that is what makes them safe to compute per partition on a cluster and combine later.

How another module builds a KPI on these states: write a function that walks the records once, decides
for each record whether it counts (and if not, records why with ``state.exclude(reason)``), and feeds
what counts to a state, preferably in bulk (collect a list, then ``extend`` once; ``add`` copies the
state and is meant for streaming one value at a time). Expose both the state-building function (for
partitions and :func:`~cs8.kpi.breakdown`) and a convenience that returns ``state.result()``. For
example a CSAT share is ``RateState.empty().extend(score >= 4 for score in scores).result()``, a CES
mean is ``MeanState.of(scores).result()``, and a handle-time KPI is
``DurationState.of(durations).result()``.

Example:
    >>> state = RateState.of([True, True, False, True])
    >>> state.result().value
    0.75
    >>> (RateState.of([True, True]) + RateState.of([False, True])) == state
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

import attrs

from cs8._display import DictReprMixin, format_value
from cs8._distributions import normal_quantile, t_quantile
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.stats._intervals import _check_confidence, _check_counts, wilson_interval

__all__ = [
    "Count",
    "CountState",
    "Mean",
    "MeanState",
    "Rate",
    "RateState",
    "normal_quantile",
    "t_quantile",
    "wilson_interval",
]

_MIN_N = 30

# --------------------------------------------------------------------------------------------------
# Helpers


def _nan_key(value: float) -> float | str:
    """Equality key that makes ``nan`` equal to ``nan`` (results with ``n == 0`` compare equal)."""
    return "nan" if value != value else value


def _frozen_counts(value: Mapping[str, int] | None) -> FrozenDict[str, int]:
    if isinstance(value, FrozenDict):
        return value
    return FrozenDict(dict(value or {}))


def _merge_excluded(a: FrozenDict[str, int], b: FrozenDict[str, int]) -> FrozenDict[str, int]:
    if not b:
        return a
    if not a:
        return b
    out = dict(a)
    for key, n in b.items():
        out[key] = out.get(key, 0) + n
    return FrozenDict(out)


def _add_excluded(excluded: FrozenDict[str, int], reason: str, count: int) -> FrozenDict[str, int]:
    if not isinstance(count, int) or count < 0:
        raise InvalidValueError(f"exclude: count must be a non-negative integer, got {count!r}")
    out = dict(excluded)
    out[reason] = out.get(reason, 0) + count
    return FrozenDict(out)


# --------------------------------------------------------------------------------------------------
# Rates


@attrs.frozen(kw_only=True)
class Rate(DictReprMixin):
    """A proportion with its counts and a Wilson interval.

    Args:
        value: ``successes / n`` in [0, 1]; ``nan`` when ``n == 0``.
        successes: How many records met the condition.
        n: How many records counted.
        ci_low: Lower end of the Wilson interval.
        ci_high: Upper end of the Wilson interval.
        confidence: The interval's confidence level.
        small_sample: Whether ``n`` is below the threshold the result was computed with.
        warnings: Human-readable caveats (small sample, wide interval, no data).
        excluded: Records left out, by reason (e.g. ``{"still_open": 3}``).

    Example:
        >>> rate = Rate.of(45, 50)
        >>> rate.value, rate.n, rate.small_sample
        (0.9, 50, False)
        >>> print(rate)
        Rate 90.0% (45/50)
          95% CI  [78.6%, 95.7%]
    """

    value: float = attrs.field(eq=_nan_key)
    successes: int
    n: int
    ci_low: float
    ci_high: float
    confidence: float = 0.95
    small_sample: bool = False
    warnings: tuple[str, ...] = ()
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)

    @classmethod
    def of(
        cls,
        successes: int,
        n: int,
        *,
        confidence: float = 0.95,
        min_n: int = _MIN_N,
        max_width: float | None = 0.2,
        excluded: Mapping[str, int] | None = None,
    ) -> Rate:
        """Return the rate ``successes / n`` with its Wilson interval and warnings.

        Args:
            successes: How many records met the condition.
            n: How many records counted.
            confidence: Confidence level of the interval.
            min_n: Below this ``n`` the result is flagged ``small_sample``.
            max_width: Warn when the interval is wider than this (``None``: never).
            excluded: Records left out, by reason.

        Raises:
            InvalidValueError: If the counts are impossible.

        Example:
            >>> Rate.of(3, 4).warnings
            ('small sample: n=4 is below 30', 'wide interval: 95% CI width 0.65 is above 0.2')
        """
        low, high = wilson_interval(successes, n, confidence)
        warnings: list[str] = []
        if n == 0:
            warnings.append("no data: n=0")
        elif n < min_n:
            warnings.append(f"small sample: n={n} is below {min_n}")
        if n and max_width is not None and high - low > max_width:
            warnings.append(
                f"wide interval: {confidence:.0%} CI width {high - low:.2f} is above {max_width}"
            )
        return cls(
            value=successes / n if n else math.nan,
            successes=successes,
            n=n,
            ci_low=low,
            ci_high=high,
            confidence=confidence,
            small_sample=n < min_n,
            warnings=tuple(warnings),
            excluded=_frozen_counts(excluded),
        )

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict.

        Example:
            >>> Rate.of(1, 2).to_dict()["successes"]
            1
        """
        return {
            "value": self.value,
            "successes": self.successes,
            "n": self.n,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "confidence": self.confidence,
            "small_sample": self.small_sample,
            "warnings": list(self.warnings),
            "excluded": dict(self.excluded),
        }

    _percent: ClassVar[frozenset[str]] = frozenset({"value", "ci_low", "ci_high"})
    _hidden: ClassVar[frozenset[str]] = frozenset({"value", "successes", "n", "small_sample"})

    def _title(self) -> str:
        return f"Rate {format_value(self.value, percent=True)} ({self.successes}/{self.n})"


@attrs.frozen(kw_only=True)
class RateState:
    """The mergeable state of a rate: successes, trials and excluded records by reason.

    Example:
        >>> s = RateState.empty().add(True).add(False).exclude("still_open")
        >>> s.successes, s.n, dict(s.excluded)
        (1, 2, {'still_open': 1})
    """

    successes: int = 0
    n: int = 0
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)

    def __attrs_post_init__(self) -> None:
        _check_counts(self.successes, self.n, "RateState")

    @classmethod
    def empty(cls) -> RateState:
        """Return the state of no records.

        Example:
            >>> RateState.empty().n
            0
        """
        return cls()

    @classmethod
    def of(cls, outcomes: Iterable[bool]) -> RateState:
        """Return the state of ``outcomes`` (``True`` counts as a success).

        Example:
            >>> RateState.of([True, False, True]).successes
            2
        """
        return cls().extend(outcomes)

    def add(self, success: bool) -> RateState:
        """Return a new state with one more record.

        Example:
            >>> RateState.empty().add(True).successes
            1
        """
        return attrs.evolve(self, successes=self.successes + bool(success), n=self.n + 1)

    def extend(self, outcomes: Iterable[bool]) -> RateState:
        """Return a new state with every outcome added.

        Example:
            >>> RateState.empty().extend([True, True]).n
            2
        """
        hits = 0
        total = 0
        for outcome in outcomes:
            total += 1
            if outcome:
                hits += 1
        return attrs.evolve(self, successes=self.successes + hits, n=self.n + total)

    def add_counts(self, successes: int, n: int) -> RateState:
        """Return a new state with ``successes`` out of ``n`` more records.

        Example:
            >>> RateState.empty().add_counts(3, 5).result().value
            0.6
        """
        _check_counts(successes, n, "RateState.add_counts")
        return attrs.evolve(self, successes=self.successes + successes, n=self.n + n)

    def exclude(self, reason: str, count: int = 1) -> RateState:
        """Return a new state that records ``count`` records left out for ``reason``.

        Example:
            >>> dict(RateState.empty().exclude("merged", 2).excluded)
            {'merged': 2}
        """
        return attrs.evolve(self, excluded=_add_excluded(self.excluded, reason, count))

    def merge(self, other: RateState) -> RateState:
        """Return the state of both states' records.

        Example:
            >>> RateState(successes=1, n=2).merge(RateState(successes=2, n=2)).result().value
            0.75
        """
        return RateState(
            successes=self.successes + other.successes,
            n=self.n + other.n,
            excluded=_merge_excluded(self.excluded, other.excluded),
        )

    def __add__(self, other: RateState) -> RateState:
        return self.merge(other)

    def result(
        self, *, confidence: float = 0.95, min_n: int = _MIN_N, max_width: float | None = 0.2
    ) -> Rate:
        """Return the rate with its Wilson interval (see :meth:`Rate.of` for the arguments).

        Example:
            >>> RateState(successes=8, n=10).result().value
            0.8
        """
        return Rate.of(
            self.successes,
            self.n,
            confidence=confidence,
            min_n=min_n,
            max_width=max_width,
            excluded=self.excluded,
        )


# --------------------------------------------------------------------------------------------------
# Means

Number = int | float | Decimal | Fraction


def _exact(value: object, where: str) -> int | Fraction:
    if isinstance(value, bool):
        raise InvalidValueError(f"{where}: values must be numbers, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal | Fraction):
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            raise InvalidValueError(f"{where}: values must be finite, got {value!r}")
        return Fraction(value)
    raise InvalidValueError(f"{where}: values must be numbers, got {value!r}")


@attrs.frozen(kw_only=True)
class Mean(DictReprMixin):
    """A mean with its sample size, standard deviation and a t interval.

    Args:
        value: The arithmetic mean; ``nan`` when ``n == 0``.
        n: How many values.
        std: Sample standard deviation (``n - 1`` in the denominator); ``nan`` when ``n < 2``.
        ci_low: Lower end of the Student t interval for the mean; ``nan`` when ``n < 2``.
        ci_high: Upper end of the interval.
        confidence: The interval's confidence level.
        small_sample: Whether ``n`` is below the threshold the result was computed with.
        warnings: Human-readable caveats.
        excluded: Records left out, by reason.

    Example:
        >>> m = MeanState.of([4, 5, 6]).result()
        >>> m.value, m.std, round(m.ci_low, 3), round(m.ci_high, 3)
        (5.0, 1.0, 2.516, 7.484)
    """

    value: float = attrs.field(eq=_nan_key)
    n: int
    std: float = attrs.field(eq=_nan_key)
    ci_low: float = attrs.field(eq=_nan_key)
    ci_high: float = attrs.field(eq=_nan_key)
    confidence: float = 0.95
    small_sample: bool = False
    warnings: tuple[str, ...] = ()
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict.

        Example:
            >>> MeanState.of([1, 3]).result().to_dict()["value"]
            2.0
        """
        return {
            "value": self.value,
            "n": self.n,
            "std": self.std,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "confidence": self.confidence,
            "small_sample": self.small_sample,
            "warnings": list(self.warnings),
            "excluded": dict(self.excluded),
        }

    _hidden: ClassVar[frozenset[str]] = frozenset({"value", "n", "small_sample"})

    def _title(self) -> str:
        return f"Mean {format_value(self.value)} (n={self.n})"


@attrs.frozen(kw_only=True)
class MeanState:
    """The mergeable state of a mean: count, exact sum and exact sum of squares.

    Sums are kept as integers or :class:`fractions.Fraction` (floats and decimals convert exactly),
    so merging is exactly associative and commutative.

    Example:
        >>> (MeanState.of([1, 2]) + MeanState.of([3.5])).result().value
        2.1666666666666665
    """

    n: int = 0
    total: int | Fraction = 0
    total_sq: int | Fraction = 0
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)

    @classmethod
    def empty(cls) -> MeanState:
        """Return the state of no values.

        Example:
            >>> MeanState.empty().n
            0
        """
        return cls()

    @classmethod
    def of(cls, values: Iterable[Number]) -> MeanState:
        """Return the state of ``values``.

        Raises:
            InvalidValueError: If a value is not a finite number.

        Example:
            >>> MeanState.of([1, 2, 3]).total
            6
        """
        return cls().extend(values)

    def add(self, value: Number) -> MeanState:
        """Return a new state with one more value.

        Example:
            >>> MeanState.empty().add(2).add(4).result().value
            3.0
        """
        return self.extend((value,))

    def extend(self, values: Iterable[Number]) -> MeanState:
        """Return a new state with every value added.

        Example:
            >>> MeanState.empty().extend([0.5, 1.5]).result().value
            1.0
        """
        n, total, total_sq = self.n, self.total, self.total_sq
        for value in values:
            x = _exact(value, "MeanState")
            n += 1
            total += x
            total_sq += x * x
        return attrs.evolve(self, n=n, total=total, total_sq=total_sq)

    def exclude(self, reason: str, count: int = 1) -> MeanState:
        """Return a new state that records ``count`` records left out for ``reason``.

        Example:
            >>> dict(MeanState.empty().exclude("no_score").excluded)
            {'no_score': 1}
        """
        return attrs.evolve(self, excluded=_add_excluded(self.excluded, reason, count))

    def merge(self, other: MeanState) -> MeanState:
        """Return the state of both states' values.

        Example:
            >>> MeanState.of([1]).merge(MeanState.of([3])).result().value
            2.0
        """
        return MeanState(
            n=self.n + other.n,
            total=self.total + other.total,
            total_sq=self.total_sq + other.total_sq,
            excluded=_merge_excluded(self.excluded, other.excluded),
        )

    def __add__(self, other: MeanState) -> MeanState:
        return self.merge(other)

    def result(
        self,
        *,
        confidence: float = 0.95,
        min_n: int = _MIN_N,
        max_relative_half_width: float | None = None,
    ) -> Mean:
        """Return the mean with its t interval.

        Args:
            confidence: Confidence level of the interval.
            min_n: Below this ``n`` the result is flagged ``small_sample``.
            max_relative_half_width: Warn when the interval's half width exceeds this fraction of
                ``|mean|`` (``None``: never).

        Example:
            >>> MeanState.of([2]).result().warnings
            ('small sample: n=1 is below 30', 'no interval: n < 2')
        """
        _check_confidence(confidence, "MeanState.result")
        n = self.n
        warnings: list[str] = []
        if n == 0:
            warnings.append("no data: n=0")
            value = std = low = high = math.nan
        else:
            mean = Fraction(self.total) / n
            value = float(mean)
            if n < min_n:
                warnings.append(f"small sample: n={n} is below {min_n}")
            if n < 2:
                warnings.append("no interval: n < 2")
                std = low = high = math.nan
            else:
                var = (Fraction(self.total_sq) - Fraction(self.total) * mean) / (n - 1)
                std = math.sqrt(max(0.0, float(var)))
                half = t_quantile(0.5 + confidence / 2.0, n - 1) * std / math.sqrt(n)
                low, high = value - half, value + half
                if max_relative_half_width is not None and half > max_relative_half_width * abs(
                    value
                ):
                    warnings.append(
                        f"wide interval: half width {half:.3g} is above "
                        f"{max_relative_half_width:.0%} of the mean"
                    )
        return Mean(
            value=value,
            n=n,
            std=std,
            ci_low=low,
            ci_high=high,
            confidence=confidence,
            small_sample=n < min_n,
            warnings=tuple(warnings),
            excluded=self.excluded,
        )


# --------------------------------------------------------------------------------------------------
# Counts


@attrs.frozen(kw_only=True)
class Count(DictReprMixin):
    """A number of records (volume, backlog), with the records left out by reason.

    Args:
        value: How many records counted.
        excluded: Records left out, by reason.

    Example:
        >>> print(CountState.of(3).exclude("merged").result())
        Count 3
          excluded  merged: 1
    """

    value: int
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)

    @property
    def n(self) -> int:
        """The same as ``value`` (every result has an ``n``)."""
        return self.value

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict.

        Example:
            >>> Count(value=2).to_dict()
            {'value': 2, 'excluded': {}}
        """
        return {"value": self.value, "excluded": dict(self.excluded)}

    _hidden: ClassVar[frozenset[str]] = frozenset({"value"})

    def _title(self) -> str:
        return f"Count {self.value}"


@attrs.frozen(kw_only=True)
class CountState:
    """The mergeable state of a count.

    Example:
        >>> (CountState.of(2) + CountState.of(5)).result().value
        7
    """

    value: int = 0
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)

    @classmethod
    def empty(cls) -> CountState:
        """Return the state of nothing counted.

        Example:
            >>> CountState.empty().value
            0
        """
        return cls()

    @classmethod
    def of(cls, value: int) -> CountState:
        """Return the state of ``value`` records.

        Example:
            >>> CountState.of(4).value
            4
        """
        if not isinstance(value, int) or value < 0:
            raise InvalidValueError(
                f"CountState: value must be a non-negative integer, got {value!r}"
            )
        return cls(value=value)

    def add(self, count: int = 1) -> CountState:
        """Return a new state with ``count`` more records.

        Example:
            >>> CountState.empty().add().add(2).value
            3
        """
        return attrs.evolve(self, value=self.value + CountState.of(count).value)

    def exclude(self, reason: str, count: int = 1) -> CountState:
        """Return a new state that records ``count`` records left out for ``reason``.

        Example:
            >>> dict(CountState.empty().exclude("merged").excluded)
            {'merged': 1}
        """
        return attrs.evolve(self, excluded=_add_excluded(self.excluded, reason, count))

    def merge(self, other: CountState) -> CountState:
        """Return the state of both counts.

        Example:
            >>> CountState.of(1).merge(CountState.of(1)).value
            2
        """
        return CountState(
            value=self.value + other.value,
            excluded=_merge_excluded(self.excluded, other.excluded),
        )

    def __add__(self, other: CountState) -> CountState:
        return self.merge(other)

    def result(self) -> Count:
        """Return the count.

        Example:
            >>> CountState.of(9).result().value
            9
        """
        return Count(value=self.value, excluded=self.excluded)
