"""Confidence intervals of a binomial proportion: Wilson and adjusted Wald (Agresti-Coull).

Example:
    >>> [round(x, 4) for x in wilson_interval(81, 263)]
    [0.2553, 0.3662]
"""

from __future__ import annotations

import math

from cs8._distributions import normal_quantile
from cs8.exceptions import InvalidValueError

__all__ = ["adjusted_wald_interval", "wilson_interval"]


def _check_counts(successes: int, n: int, where: str) -> None:
    if not (isinstance(successes, int) and isinstance(n, int)) or not 0 <= successes <= n:
        raise InvalidValueError(
            f"{where}: need integers 0 <= successes <= n, got successes={successes!r}, n={n!r}"
        )


def _check_confidence(confidence: float, where: str) -> None:
    if not 0.0 < confidence < 1.0:
        raise InvalidValueError(f"{where}: confidence must be in (0, 1), got {confidence!r}")


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return the Wilson score interval for a binomial proportion.

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` (Wilson, "Probable inference, the law
    of succession, and statistical inference", JASA 22, 1927). With ``n == 0`` it is ``(0, 1)``.

    Raises:
        InvalidValueError: If the counts are impossible or ``confidence`` is not in (0, 1).

    Example:
        >>> [round(x, 4) for x in wilson_interval(81, 263)]
        [0.2553, 0.3662]
    """
    _check_counts(successes, n, "wilson_interval")
    _check_confidence(confidence, "wilson_interval")
    if n == 0:
        return (0.0, 1.0)
    z = normal_quantile(0.5 + confidence / 2.0)
    p = successes / n
    z2n = z * z / n
    denom = 1.0 + z2n
    center = (p + z2n / 2.0) / denom
    half = z / denom * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))
    low = 0.0 if successes == 0 else max(0.0, center - half)
    high = 1.0 if successes == n else min(1.0, center + half)
    return (low, high)


def adjusted_wald_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return the adjusted Wald (Agresti-Coull) interval for a binomial proportion.

    Add ``z²/2`` successes and ``z²/2`` failures, then take the Wald interval of the adjusted
    proportion: ``ñ = n + z²``, ``p̃ = (x + z²/2) / ñ``, ``p̃ ± z·sqrt(p̃(1-p̃)/ñ)``, clipped to
    [0, 1] (Agresti and Coull, "Approximate is better than 'exact' for interval estimation of
    binomial proportions", The American Statistician 52(2), 1998). Sauro and Lewis recommend it for
    the small samples of usability and survey work.

    Raises:
        InvalidValueError: If the counts are impossible or ``confidence`` is not in (0, 1).

    Example:
        >>> [round(x, 4) for x in adjusted_wald_interval(10, 20)]
        [0.2993, 0.7007]
    """
    _check_counts(successes, n, "adjusted_wald_interval")
    _check_confidence(confidence, "adjusted_wald_interval")
    z = normal_quantile(0.5 + confidence / 2.0)
    n_adj = n + z * z
    p = (successes + z * z / 2.0) / n_adj
    half = z * math.sqrt(p * (1.0 - p) / n_adj)
    return (max(0.0, p - half), min(1.0, p + half))
