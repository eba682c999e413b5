"""Distributions without scipy: normal, Student t and F, from the regularized incomplete beta.

One implementation serves :mod:`cs8.kpi` (t intervals of means) and :mod:`cs8.surveys` (paired
tests, Feldt intervals). The incomplete beta function is the continued fraction evaluated with
the modified Lentz method (Press et al., *Numerical Recipes*, 3rd ed., section 6.4); quantiles
invert the CDF by Newton's method from the normal quantile, falling back to bisection, to machine
precision. The normal distribution is :class:`statistics.NormalDist` from the standard library.

Example:
    >>> round(t_cdf(2.262157, 9), 4), round(t_quantile(0.975, 9), 6)
    (0.975, 2.262157)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

from cs8.exceptions import InvalidValueError

__all__ = [
    "beta_cdf",
    "beta_quantile",
    "f_cdf",
    "f_quantile",
    "normal_cdf",
    "normal_quantile",
    "regularized_beta",
    "t_cdf",
    "t_quantile",
]

_STANDARD_NORMAL = NormalDist()


def normal_quantile(p: float) -> float:
    """Return the standard normal quantile (inverse CDF) at ``p``.

    Raises:
        InvalidValueError: If ``p`` is not strictly between 0 and 1.

    Example:
        >>> round(normal_quantile(0.975), 6)
        1.959964
    """
    if not 0.0 < p < 1.0:
        raise InvalidValueError(f"normal_quantile: p must be in (0, 1), got {p!r}")
    return _STANDARD_NORMAL.inv_cdf(p)


def _betacf(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1.0 / d
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def regularized_beta(x: float, a: float, b: float) -> float:
    """Return the regularized incomplete beta function ``I_x(a, b)``.

    Example:
        >>> round(regularized_beta(0.5, 2.0, 3.0), 6)
        0.6875
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def _check_df(df: float, where: str) -> None:
    if not df > 0:
        raise InvalidValueError(f"{where}: degrees of freedom must be positive, got {df!r}")


def t_cdf(t: float, df: float) -> float:
    """Return ``P(T <= t)`` for Student's t distribution with ``df`` degrees of freedom.

    Raises:
        InvalidValueError: If ``df`` is not positive.

    Example:
        >>> t_cdf(0.0, 5)
        0.5
    """
    _check_df(df, "t_cdf")
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    t2 = t * t
    if t2 < df:
        # Near the centre P(|T| <= |t|) = I_y(1/2, df/2) with y = t²/(df + t²): no cancellation.
        inner = 0.5 * regularized_beta(t2 / (df + t2), 0.5, df / 2.0)
        return 0.5 + inner if t > 0 else 0.5 - inner
    tail = 0.5 * regularized_beta(df / (df + t2), df / 2.0, 0.5)
    return 1.0 - tail if t > 0 else tail


def _invert(cdf: Callable[[float], float], p: float, low: float, high: float) -> float:
    while cdf(low) > p:
        low = low * 2.0 if low < 0 else low - 1.0
    while cdf(high) < p:
        high = high * 2.0 if high > 0 else high + 1.0
        if high > 1e300:
            return math.inf
    for _ in range(200):
        mid = 0.5 * (low + high)
        if mid in (low, high):
            break
        if cdf(mid) < p:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def t_quantile(p: float, df: float) -> float:
    """Return the ``p`` quantile (inverse CDF) of Student's t distribution.

    Raises:
        InvalidValueError: If ``p`` is not in (0, 1) or ``df`` is not positive.

    Example:
        >>> round(t_quantile(0.975, 10), 6), round(t_quantile(0.025, 9), 6)
        (2.228139, -2.262157)
    """
    if not 0.0 < p < 1.0:
        raise InvalidValueError(f"t_quantile: p must be in (0, 1), got {p!r}")
    _check_df(df, "t_quantile")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)  # exactly antisymmetric
    # Newton's method from the normal quantile, guarded; bisection if it does not settle.
    log_c = math.lgamma((df + 1) / 2.0) - math.lgamma(df / 2.0) - 0.5 * math.log(df * math.pi)
    x = _STANDARD_NORMAL.inv_cdf(p)
    previous = math.inf
    for _ in range(60):
        pdf = math.exp(log_c - (df + 1) / 2.0 * math.log1p(x * x / df))
        if pdf <= 0 or not math.isfinite(pdf):
            break
        step = (t_cdf(x, df) - p) / pdf
        if not math.isfinite(step) or abs(step) > 10.0 * (1.0 + abs(x)):
            break
        x -= step
        if abs(step) <= 1e-12 * (1.0 + abs(x)):
            return x
        if abs(step) >= previous:
            # Stalled at the precision of the CDF: keep x only if it solves the equation.
            if abs(t_cdf(x, df) - p) <= 1e-13:
                return x
            break
        previous = abs(step)
    return _invert(lambda v: t_cdf(v, df), p, -10.0, 10.0)


def f_cdf(x: float, df1: float, df2: float) -> float:
    """Return ``P(F <= x)`` for the F distribution with ``(df1, df2)`` degrees of freedom.

    Example:
        >>> round(f_cdf(1.0, 10, 10), 6)
        0.5
    """
    _check_df(df1, "f_cdf")
    _check_df(df2, "f_cdf")
    if x <= 0:
        return 0.0
    return regularized_beta(df1 * x / (df1 * x + df2), df1 / 2.0, df2 / 2.0)


def f_quantile(p: float, df1: float, df2: float) -> float:
    """Return the ``p`` quantile of the F distribution with ``(df1, df2)`` degrees of freedom.

    Raises:
        InvalidValueError: If ``p`` is not in (0, 1) or a ``df`` is not positive.

    Example:
        >>> round(f_quantile(0.95, 5, 10), 4)
        3.3258
    """
    if not 0.0 < p < 1.0:
        raise InvalidValueError(f"f_quantile: p must be in (0, 1), got {p!r}")
    return _invert(lambda v: f_cdf(v, df1, df2), p, 0.0, 10.0)


def normal_cdf(x: float) -> float:
    """Return ``P(Z <= x)`` for the standard normal distribution.

    Example:
        >>> round(normal_cdf(1.959964), 6)
        0.975
    """
    return _STANDARD_NORMAL.cdf(x)


def beta_cdf(x: float, a: float, b: float) -> float:
    """Return ``P(X <= x)`` for the beta distribution with shapes ``a`` and ``b``.

    Raises:
        InvalidValueError: If a shape is not positive.

    Example:
        >>> round(beta_cdf(0.5, 2.0, 3.0), 6)
        0.6875
    """
    _check_df(a, "beta_cdf")
    _check_df(b, "beta_cdf")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return regularized_beta(x, a, b)


def beta_quantile(p: float, a: float, b: float) -> float:
    """Return the ``p`` quantile of the beta distribution with shapes ``a`` and ``b``.

    Bisection on :func:`beta_cdf` to machine precision (the Clopper-Pearson bounds are beta
    quantiles: ``beta_quantile(alpha / 2, x, n - x + 1)``).

    Raises:
        InvalidValueError: If ``p`` is not in [0, 1] or a shape is not positive.

    Example:
        >>> round(beta_quantile(0.6875, 2.0, 3.0), 6)
        0.5
    """
    if not 0.0 <= p <= 1.0:
        raise InvalidValueError(f"beta_quantile: p must be in [0, 1], got {p!r}")
    _check_df(a, "beta_quantile")
    _check_df(b, "beta_quantile")
    if p in (0.0, 1.0):
        return p
    return _invert(lambda v: beta_cdf(v, a, b), p, 0.0, 1.0)
