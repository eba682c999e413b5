"""Paired tests, Wilcoxon's signed-rank test, the percentile bootstrap and Pearson's correlation.

Exact small statistics without scipy; the t distribution comes from :mod:`cs8._distributions`
(the regularized incomplete beta function, quantiles inverted to machine precision) and the normal
distribution from :class:`statistics.NormalDist`.

Example:
    >>> r = paired_t_test([3, 4, 5, 6], [1, 3, 3, 5])
    >>> r.n, r.df
    (4, 3)
"""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Callable, Sequence
from statistics import NormalDist
from typing import ClassVar, Literal

import attrs

from cs8._display import DictReprMixin
from cs8._distributions import t_cdf, t_quantile
from cs8.exceptions import SurveyError
from cs8.stats._sketch import type7_quantile

__all__ = [
    "PairedTest",
    "WilcoxonTest",
    "bootstrap_ci",
    "paired_t_test",
    "pearson",
    "t_test_of_differences",
    "wilcoxon_signed_rank",
]

_STANDARD_NORMAL = NormalDist()
_INT_ONLY = frozenset({int})


@attrs.frozen(kw_only=True)
class PairedTest(DictReprMixin):
    """A paired t-test of the mean difference ``x - y`` with its confidence interval and effect size.

    Attributes:
        mean: Mean of the paired differences.
        sd: Sample standard deviation of the differences (n - 1 denominator).
        n: Number of complete pairs.
        t: The t statistic, ``mean / (sd / sqrt(n))`` (NaN when ``n < 2`` or ``sd == 0``).
        df: Degrees of freedom, ``n - 1``.
        p_value: Two-sided p-value.
        ci_low: Lower bound of the confidence interval of the mean difference.
        ci_high: Upper bound.
        cohens_dz: Cohen's d for paired data, ``d_z = mean / sd`` (Cohen 1988; Lakens 2013,
            doi:10.3389/fpsyg.2013.00863), which equals ``t / sqrt(n)``.
        confidence: The confidence level of the interval.

    Example:
        >>> r = paired_t_test([3, 4, 5], [1, 3, 3])
        >>> r.mean, r.n, r.df
        (1.6666666666666667, 3, 2)
    """

    mean: float
    sd: float
    n: int
    t: float
    df: int
    p_value: float
    ci_low: float
    ci_high: float
    cohens_dz: float
    confidence: float = 0.95

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a plain dict.

        Example:
            >>> print(paired_t_test([3, 4, 5], [1, 3, 3]))
            Paired t-test (n=3)
              mean       1.667
              sd         0.5774
              t          5
              df         2
              p_value    0.03775
              95% CI     [0.2324, 3.101]
              cohens_dz  2.887
        """
        return attrs.asdict(self, recurse=False)

    def _title(self) -> str:
        return f"Paired t-test (n={self.n})"

    _hidden: ClassVar[frozenset[str]] = frozenset({"n"})


def _pairs(x: Sequence[float | None], y: Sequence[float | None]) -> list[float]:
    if len(x) != len(y):
        raise SurveyError(f"paired samples must have equal lengths, got {len(x)} and {len(y)}")
    return [a - b for a, b in zip(x, y, strict=True) if a is not None and b is not None]


def t_test_of_differences(
    diffs: Sequence[float], confidence: float = 0.95, *, integers: bool = False
) -> PairedTest:
    """Return the one-sample t-test of differences against zero (the paired t-test).

    Args:
        diffs: The paired differences.
        confidence: Level of the interval.
        integers: The caller guarantees every difference is an ``int`` (sums are then exact
            and the type check is skipped).

    Example:
        >>> t_test_of_differences([1.0, 2.0, 3.0]).t
        3.464101615137754
    """
    if not 0.0 < confidence < 1.0:
        raise SurveyError(f"confidence must be in (0, 1), got {confidence!r}")
    n = len(diffs)
    nan = math.nan
    if n == 0:
        return PairedTest(
            mean=nan, sd=nan, n=0, t=nan, df=0, p_value=nan, ci_low=nan, ci_high=nan,
            cohens_dz=nan, confidence=confidence,
        )  # fmt: skip
    if integers or set(map(type, diffs)) <= _INT_ONLY:
        # Integer differences (Likert gaps): exact sums, one pass in C.
        total = sum(diffs)
        mean = total / n
        ss_exact: float | None = (n * sum(map(operator.mul, diffs, diffs)) - total * total) / n
    else:
        mean = math.fsum(diffs) / n
        ss_exact = None
    if n < 2:
        return PairedTest(
            mean=mean, sd=nan, n=n, t=nan, df=0, p_value=nan, ci_low=nan, ci_high=nan,
            cohens_dz=nan, confidence=confidence,
        )  # fmt: skip
    if ss_exact is not None:
        ss = ss_exact
    elif min(diffs) == max(diffs):
        ss = 0.0  # all equal: no spread, whatever rounding the mean carries
    else:
        ss = math.fsum([(d - mean) ** 2 for d in diffs])
    sd = math.sqrt(ss / (n - 1))
    df = n - 1
    se = sd / math.sqrt(n)
    if sd == 0.0:
        return PairedTest(
            mean=mean, sd=0.0, n=n, t=nan, df=df, p_value=nan, ci_low=mean, ci_high=mean,
            cohens_dz=nan, confidence=confidence,
        )  # fmt: skip
    t = mean / se
    p = 2.0 * t_cdf(-abs(t), df)
    q = t_quantile(0.5 + confidence / 2.0, df)
    return PairedTest(
        mean=mean,
        sd=sd,
        n=n,
        t=t,
        df=df,
        p_value=min(1.0, p),
        ci_low=mean - q * se,
        ci_high=mean + q * se,
        cohens_dz=mean / sd,
        confidence=confidence,
    )


def paired_t_test(
    x: Sequence[float | None], y: Sequence[float | None], *, confidence: float = 0.95
) -> PairedTest:
    """Test whether the mean of ``x - y`` differs from zero, pairing values by position.

    Pairs where either value is ``None`` are left out. This is R's
    ``t.test(x, y, paired = TRUE)``.

    Args:
        x: First measurements (in SERVQUAL, perceptions).
        y: Second measurements on the same respondents (expectations).
        confidence: Confidence level of the interval.

    Raises:
        SurveyError: If the lengths differ or the confidence is not in (0, 1).

    Example:
        >>> r = paired_t_test([5, 6, 7, 5], [4, 6, 5, 3])
        >>> round(r.t, 4), round(r.p_value, 4)
        (2.6112, 0.0796)
    """
    return t_test_of_differences(_pairs(x, y), confidence)


@attrs.frozen(kw_only=True)
class WilcoxonTest(DictReprMixin):
    """Wilcoxon signed-rank test with the normal approximation.

    Attributes:
        statistic: Sum of the ranks of the positive differences (R's ``V``).
        z: The standardized statistic after the tie, zero and continuity corrections.
        p_value: Two-sided p-value from the normal distribution.
        n: Number of pairs used (non-zero differences, or all with ``zero_method="pratt"``).
        zeros: Number of zero differences.
        tie_groups: Number of groups of tied absolute differences.

    Example:
        >>> wilcoxon_signed_rank([1, 2, 3], [0, 0, 0]).statistic
        6.0
    """

    statistic: float
    z: float
    p_value: float
    n: int
    zeros: int
    tie_groups: int

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a plain dict.

        Example:
            >>> wilcoxon_signed_rank([1, 2, 3], [0, 0, 0]).to_dict()["statistic"]
            6.0
        """
        return attrs.asdict(self, recurse=False)

    def _title(self) -> str:
        return f"Wilcoxon signed-rank test (n={self.n})"


def _ranks(values: Sequence[float]) -> tuple[list[float], list[int]]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties: list[int] = []
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j + 2) / 2.0
        for k in range(i, j + 1):
            ranks[order[k]] = avg
        if j > i:
            ties.append(j - i + 1)
        i = j + 1
    return ranks, ties


def wilcoxon_signed_rank(
    x: Sequence[float | None],
    y: Sequence[float | None],
    *,
    zero_method: Literal["wilcox", "pratt"] = "wilcox",
    correction: bool = True,
) -> WilcoxonTest:
    """Wilcoxon signed-rank test of ``x - y`` with the normal approximation.

    Zero differences are dropped before ranking (``"wilcox"``, R's and scipy's default) or ranked
    with the others and then given no sign (``"pratt"``, Pratt 1959, which shifts the mean and
    variance by the zeros' ranks). Tied absolute differences get average ranks and the variance
    is reduced by ``sum(t**3 - t) / 48`` over tie groups. With ``correction`` a continuity
    correction of 0.5 moves the statistic towards its mean (R's ``correct = TRUE``).

    Args:
        x: First measurements.
        y: Second measurements, paired by position; pairs with a ``None`` are left out.
        zero_method: ``"wilcox"`` or ``"pratt"``.
        correction: Apply the continuity correction.

    Raises:
        SurveyError: If the lengths differ or ``zero_method`` is unknown.

    Example:
        >>> r = wilcoxon_signed_rank([5, 6, 7, 5, 6], [4, 6, 5, 3, 4])
        >>> r.statistic, r.zeros, r.n
        (10.0, 1, 4)
    """
    if zero_method not in ("wilcox", "pratt"):
        raise SurveyError(f"zero_method must be 'wilcox' or 'pratt', got {zero_method!r}")
    diffs = _pairs(x, y)
    zeros = sum(1 for d in diffs if d == 0)
    used = [d for d in diffs if d != 0] if zero_method == "wilcox" else diffs
    n = len(used)
    ranks, ties = _ranks([abs(d) for d in used])
    v = math.fsum(r for r, d in zip(ranks, used, strict=True) if d > 0)
    mean = n * (n + 1) / 4.0
    var = n * (n + 1) * (2 * n + 1) / 24.0
    if zero_method == "pratt" and zeros:
        mean -= zeros * (zeros + 1) / 4.0
        var -= zeros * (zeros + 1) * (2 * zeros + 1) / 24.0
    var -= math.fsum(t**3 - t for t in ties) / 48.0
    if n == 0 or var <= 0:
        return WilcoxonTest(
            statistic=v, z=math.nan, p_value=math.nan, n=n, zeros=zeros, tie_groups=len(ties)
        )
    diff = v - mean
    if correction and diff != 0:
        diff -= math.copysign(0.5, diff)
    z = diff / math.sqrt(var)
    p = min(1.0, 2.0 * _STANDARD_NORMAL.cdf(-abs(z)))
    return WilcoxonTest(statistic=v, z=z, p_value=p, n=n, zeros=zeros, tie_groups=len(ties))


def bootstrap_ci(
    values: Sequence[float],
    statistic: Callable[[Sequence[float]], float] | None = None,
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Return a seeded percentile bootstrap confidence interval of a statistic.

    Resamples ``values`` with replacement ``n_resamples`` times with :class:`random.Random`
    seeded by ``seed`` (so the same call gives the same interval) and returns the
    ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles (Hyndman and Fan type 7) of
    the statistic (the mean by default).

    Raises:
        SurveyError: If there are no values, no resamples or the confidence is not in (0, 1).

    Example:
        >>> bootstrap_ci([1.0, 2.0, 3.0, 4.0], seed=1) == bootstrap_ci([1.0, 2.0, 3.0, 4.0], seed=1)
        True
    """
    if not values:
        raise SurveyError("bootstrap_ci needs at least one value, got none")
    if n_resamples < 1:
        raise SurveyError(f"bootstrap_ci n_resamples must be positive, got {n_resamples!r}")
    if not 0.0 < confidence < 1.0:
        raise SurveyError(f"confidence must be in (0, 1), got {confidence!r}")
    stat = statistic or (lambda s: math.fsum(s) / len(s))
    rng = random.Random(seed)
    n = len(values)
    pool = list(values)
    draws = sorted(stat(rng.choices(pool, k=n)) for _ in range(n_resamples))
    return (
        type7_quantile(draws, (1 - confidence) / 2),
        type7_quantile(draws, (1 + confidence) / 2),
    )


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Return Pearson's correlation of two equal-length sequences (NaN if either is constant).

    Example:
        >>> pearson([1, 2, 3], [2, 4, 7]) > 0.99
        True
    """
    n = len(x)
    if n < 2:
        return math.nan
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return math.nan
    return sxy / math.sqrt(sxx * syy)
