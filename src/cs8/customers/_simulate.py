"""Customers drawn from the BG/NBD model: for examples, benchmarks and checking a fit.

Example:
    >>> table = simulate_bgnbd(n=1000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39.0, unit="week", seed=1)
    >>> len(table), table.unit, bool((table.t_x <= table.T).all())
    (1000, TimeUnit.WEEK, True)
"""

from __future__ import annotations

from cs8.customers._summary import TimeUnit, _unit
from cs8.customers._table import SummaryTable, numpy
from cs8.exceptions import InvalidValueError

__all__ = ["simulate_bgnbd"]


def simulate_bgnbd(
    *,
    n: int,
    r: float,
    alpha: float,
    a: float,
    b: float,
    T: float,
    unit: TimeUnit | str = TimeUnit.WEEK,
    seed: int = 0,
) -> SummaryTable:
    """Draw ``n`` customers' summaries from a BG/NBD model, all observed for ``T`` units.

    Each customer buys at rate lambda ~ Gamma(r, alpha) and, after each repeat purchase, drops out
    with probability p ~ Beta(a, b) (Fader, Hardie and Lee 2005). Vectorised: the repeat
    purchases while active are ``min(N, J)`` with ``N ~ Poisson(lambda T)`` purchases in
    ``(0, T]`` and ``J ~ Geometric(p)`` purchases before dropping out; given ``N``, the purchase
    times are uniform order statistics, so the last one, the ``x``-th of ``N``, is
    ``T * Beta(x, N - x + 1)``.

    Args:
        n: Customers.
        r, alpha, a, b: The model's parameters (rates per ``unit``).
        T: Observation length of every customer, in ``unit``.
        unit: The time unit.
        seed: Seed of numpy's random generator.

    Raises:
        InvalidValueError: If a parameter is not positive or ``n`` is negative.

    Example:
        >>> t = simulate_bgnbd(n=5, r=1.0, alpha=1.0, a=1.0, b=1.0, T=10.0, unit="day", seed=3)
        >>> t.x.tolist() == [int(v) for v in t.x], t.customer_ids
        (True, ('0', '1', '2', '3', '4'))
    """
    for name, value in (("r", r), ("alpha", alpha), ("a", a), ("b", b), ("T", T)):
        if not value > 0:
            raise InvalidValueError(f"simulate_bgnbd: {name} must be > 0, got {value!r}")
    if n < 0:
        raise InvalidValueError(f"simulate_bgnbd: n must be >= 0, got {n!r}")
    np = numpy()
    gen = np.random.default_rng(seed)
    rate = gen.gamma(r, 1.0 / alpha, n)
    drop = gen.beta(a, b, n)
    bought = gen.poisson(rate * T)
    before_leaving = gen.geometric(np.clip(drop, 1e-12, 1.0))
    x = np.minimum(bought, before_leaving)
    last = np.zeros(n)
    some = x > 0
    last[some] = T * gen.beta(x[some], bought[some] - x[some] + 1)
    return SummaryTable.from_arrays(
        x=x.astype(np.float64),
        t_x=last,
        T=np.full(n, float(T)),
        unit=_unit(unit),
        customer_ids=[str(i) for i in range(n)],
    )
