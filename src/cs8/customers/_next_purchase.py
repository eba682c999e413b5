"""When will each customer buy again? Their consumption cycle, shrunk toward the population's.

A customer's gaps between purchase days say how often they buy, but two or three gaps say it
noisily; the population's gaps say it for everyone. :func:`next_purchase_due` combines both the way
a normal-normal empirical-Bayes model does (the James-Stein / Efron-Morris shrinkage of a mean):

- on the log scale (gaps are skewed), gap ``j`` of customer ``i`` is ``mu_i + e_ij`` with
  ``e_ij ~ N(0, sigma^2)`` and the customer's cycle ``mu_i ~ N(mu_0, tau^2)`` across customers;
- ``mu_0`` is the mean log gap, ``sigma^2`` the pooled within-customer variance and ``tau^2`` the
  between-customer variance by DerSimonian and Laird's method of moments ("Meta-analysis in
  clinical trials", Controlled Clinical Trials 7, 177-188, 1986), each customer's mean weighing
  ``n / sigma^2``;
- a customer with ``n`` gaps of mean log ``g`` gets ``m = w g + (1 - w) mu_0`` with
  ``w = n tau^2 / (n tau^2 + sigma^2)``; the next gap is predicted as ``N(m, sigma^2 + v)`` with
  ``v = (n / sigma^2 + 1 / tau^2)^-1``, so ``due`` is ``exp(m)`` days after the last purchase and
  ``low``/``high`` the central ``level`` interval.

With ``category=True`` (the orders' own :attr:`~cs8.Order.category`) or a function giving an
order's category, every ``(customer, category)`` pair has its own cycle, shrunk toward its
category's population (milk and televisions are not bought on one rhythm).

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Order
    >>> t0 = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
    >>> days = {"a": [0, 6, 14, 21, 27, 34], "b": [0, 28, 61], "c": [3]}
    >>> orders = [Order(id=f"{c}{d}", customer_id=c, at=t0 + timedelta(days=d), amount=1)
    ...           for c, ds in days.items() for d in ds]
    >>> for d in next_purchase_due(orders, now=datetime(2026, 4, 1, tzinfo=timezone.utc)):
    ...     print(d.customer_id, d.last_purchase, d.due, d.low, d.high, round(d.own_weight, 2))
    c 2026-01-04 2026-01-14 2026-01-07 2026-02-14 0.0
    a 2026-02-04 2026-02-11 2026-02-10 2026-02-12 1.0
    b 2026-03-03 2026-04-02 2026-03-28 2026-04-08 0.99
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from statistics import NormalDist

import attrs

from cs8._models import Order
from cs8._time import require_aware
from cs8.customers._summary import _local_day, _zone
from cs8.exceptions import InvalidValueError

__all__ = ["PurchaseDue", "next_purchase_due"]


@attrs.frozen(kw_only=True)
class PurchaseDue:
    """When a customer is expected to buy again (in one category, when categories are used).

    Args:
        customer_id: The customer.
        category: The product category, or ``None`` when categories are not used.
        last_purchase: The local day of the last purchase.
        due: The expected day of the next purchase (the median of the predicted gap).
        low: The early end of the ``level`` interval.
        high: The late end of the ``level`` interval.
        purchases: Purchase days seen.
        cycle: The shrunk typical gap between purchases.
        own_weight: How much the customer's own gaps weigh against the population's (0 to 1).

    Example:
        >>> d = PurchaseDue(customer_id="a", category=None, last_purchase=date(2026, 1, 1),
        ...                 due=date(2026, 1, 8), low=date(2026, 1, 5), high=date(2026, 1, 14),
        ...                 purchases=4, cycle=timedelta(days=7), own_weight=0.8)
        >>> d.overdue(date(2026, 1, 20)), d.overdue(date(2026, 1, 10))
        (True, False)
    """

    customer_id: str
    category: str | None
    last_purchase: date
    due: date
    low: date
    high: date
    purchases: int
    cycle: timedelta
    own_weight: float

    def overdue(self, today: date) -> bool:
        """Whether ``today`` is past the late end of the interval (the customer is late)."""
        return today > self.high


@attrs.frozen
class _Population:
    mean: float  # mu_0
    within: float  # sigma^2
    between: float  # tau^2


def _population(groups: list[list[float]]) -> _Population | None:
    gaps = [g for group in groups for g in group]
    if len(gaps) < 2:
        return None
    mean = math.fsum(gaps) / len(gaps)
    squares = df = 0.0
    for group in groups:
        if len(group) >= 2:
            centre = math.fsum(group) / len(group)
            squares += math.fsum((g - centre) ** 2 for g in group)
            df += len(group) - 1
    total = math.fsum((g - mean) ** 2 for g in gaps) / (len(gaps) - 1)
    within = squares / df if df else total
    within = max(within, 1e-6)
    # DerSimonian-Laird: customers weighted by n / sigma^2 (their weighted mean is ``mean``),
    # Q their weighted spread, tau^2 = (Q - (k - 1)) / (S1 - S2 / S1), floored just above 0.
    means = [(math.fsum(group) / len(group), len(group) / within) for group in groups if group]
    if len(means) >= 2:
        q = math.fsum(w * (m - mean) ** 2 for m, w in means)
        s1 = math.fsum(w for _, w in means)
        s2 = math.fsum(w * w for _, w in means)
        between = max((q - (len(means) - 1)) / (s1 - s2 / s1), 1e-6) if s1 * s1 > s2 else 1e-6
    else:
        between = total if total > 0 else within
    return _Population(mean=mean, within=within, between=between)


def _order_category(order: Order) -> str | None:
    return order.category


def next_purchase_due(
    orders: Iterable[Order],
    *,
    now: datetime,
    timezone: str = "UTC",
    category: Callable[[Order], str | None] | bool = False,
    level: float = 0.8,
) -> tuple[PurchaseDue, ...]:
    """Return when each customer who bought before ``now`` is expected to buy again.

    See the module documentation for the model. Orders on one local day are one purchase;
    refunds (negative amounts) are not purchases. A customer with a single purchase gets the
    population's cycle and its wide interval. A category with fewer than two gaps in the data
    borrows the population of all categories.

    Args:
        orders: The orders.
        now: Orders at or after it are ignored.
        timezone: The IANA zone whose calendar days are counted.
        category: ``True`` to use each order's :attr:`~cs8.Order.category`, or a function giving
            an order's product category (``None`` for none); each ``(customer, category)``
            pair then has its own cycle. ``False`` (the default): one cycle per customer.
        level: The coverage of the ``low``-``high`` interval (0.8: 80 %).

    Returns:
        One :class:`PurchaseDue` per customer (and category), sorted by ``due``, customer, category.

    Raises:
        InvalidValueError: If ``level`` is not in (0, 1), or the data hold fewer than two gaps
            between purchases (there is no cycle to learn).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> bought = [("milk", d) for d in (0, 7, 14, 21)] + [("rice", d) for d in (0, 30, 60)]
        >>> orders = [Order(id=f"{k}", customer_id="a", at=t + timedelta(days=d), amount=1,
        ...                 category=c) for k, (c, d) in enumerate(bought)]
        >>> for d in next_purchase_due(orders, now=t.replace(month=4), category=True):
        ...     print(d.category, d.last_purchase, d.due, d.cycle.days)
        milk 2026-01-22 2026-01-29 7
        rice 2026-03-02 2026-04-01 30
        >>> next_purchase_due([Order(id="1", customer_id="a", at=t, amount=1)], now=t.replace(day=9))
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: next_purchase_due: the orders hold 0 gaps between purchase days; at least 2 are needed to learn a cycle
    """
    if not 0 < level < 1:
        raise InvalidValueError(f"next_purchase_due: level must be in (0, 1), got {level!r}")
    key_of: Callable[[Order], str | None] | None
    if category is True:
        key_of = _order_category
    elif category is False:
        key_of = None
    elif callable(category):
        key_of = category
    else:
        raise InvalidValueError(
            f"next_purchase_due: category must be True, False or a function, got {category!r}"
        )
    instant = require_aware(now, "next_purchase_due: now")
    zone = _zone(timezone)
    days: dict[tuple[str, str | None], set[int]] = {}
    for order in orders:
        if order.at >= instant or order.amount < 0:
            continue
        key = (order.customer_id, None if key_of is None else key_of(order))
        days.setdefault(key, set()).add(_local_day(order.at, zone))
    histories = {key: sorted(found) for key, found in days.items()}
    gaps = {
        key: [math.log(b - a) for a, b in itertools.pairwise(found)]
        for key, found in histories.items()
    }
    everyone = _population(list(gaps.values()))
    if everyone is None:
        n = sum(len(g) for g in gaps.values())
        raise InvalidValueError(
            f"next_purchase_due: the orders hold {n} gaps between purchase days; at least 2 are "
            "needed to learn a cycle"
        )
    by_category: dict[str | None, _Population] = {}
    for cat in {key[1] for key in gaps}:
        own = _population([g for key, g in gaps.items() if key[1] == cat])
        by_category[cat] = own if own is not None else everyone
    z = NormalDist().inv_cdf((1 + level) / 2)
    out: list[PurchaseDue] = []
    for (cid, cat), found in histories.items():
        pop = by_category[cat]
        own_gaps = gaps[(cid, cat)]
        n = len(own_gaps)
        precision = n / pop.within + 1 / pop.between
        weight = (n / pop.within) / precision
        centre = weight * (math.fsum(own_gaps) / n if n else 0.0) + (1 - weight) * pop.mean
        spread = z * math.sqrt(pop.within + 1 / precision)
        last = found[-1]

        def day_after(log_gap: float, last: int = last) -> date:
            return date.fromordinal(last + max(1, round(math.exp(log_gap))))

        out.append(
            PurchaseDue(
                customer_id=cid,
                category=cat,
                last_purchase=date.fromordinal(last),
                due=day_after(centre),
                low=day_after(centre - spread),
                high=day_after(centre + spread),
                purchases=len(found),
                cycle=timedelta(seconds=round(math.exp(centre) * 86400)),
                own_weight=weight,
            )
        )
    out.sort(key=lambda d: (d.due, d.customer_id, d.category or ""))
    return tuple(out)
