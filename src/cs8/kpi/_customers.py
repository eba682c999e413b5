"""Customer KPIs: churn and retention, repeat purchase and purchase frequency.

Order value and lifetime value are in :mod:`cs8.kpi._revenue`, complaints and the churn-risk score
in :mod:`cs8.kpi._churn`; all are public in :mod:`cs8.kpi.customers`.

Periods are half-open, ``[start, end)``, like every cs8 interval. Calculators that count customers
return the mergeable states of :mod:`cs8.kpi` (a :class:`~cs8.kpi.RateState`, a
:class:`~cs8.kpi.MeanState` or a :class:`MoneyState`) through their ``*_state`` function; partitions
must hold all of one customer's records (partition by customer id), and then the merged states
equal the state of the whole.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Customer
    >>> jan, feb = (datetime(2026, m, 1, tzinfo=timezone.utc) for m in (1, 2))
    >>> people = [Customer(id="a", acquired_at=jan - timedelta(days=40)),
    ...           Customer(id="b", acquired_at=jan - timedelta(days=40), churned_at=jan.replace(day=9)),
    ...           Customer(id="c", acquired_at=jan.replace(day=5))]
    >>> r = churn_rate(people, start=jan, end=feb)
    >>> r.value, r.successes, r.n, dict(r.excluded)
    (0.5, 1, 2, {'acquired_in_period': 1})
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

import attrs

from cs8._models import Customer, Order
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError
from cs8.kpi._kpi import with_state
from cs8.kpi._stats import Mean, MeanState, Rate, RateState

__all__ = [
    "churn_rate",
    "purchase_frequency",
    "repeat_purchase_rate",
    "retention_rate",
]

ChurnBy = Literal["explicit", "inactivity", "either"]
"""What makes a customer lost: an explicit churn event, no activity in a window, or either."""

_YEAR = timedelta(days=365)


# --------------------------------------------------------------------------------------------------
# Shared helpers


def _period(start: datetime | None, end: datetime | None, what: str) -> tuple[datetime | None, ...]:
    s = None if start is None else require_aware(start, f"{what}: start")
    e = None if end is None else require_aware(end, f"{what}: end")
    if s is not None and e is not None and e <= s:
        raise InvalidValueError(f"{what}: end {e.isoformat()} must be after start {s.isoformat()}")
    return s, e


def _required_period(start: datetime, end: datetime, what: str) -> tuple[datetime, datetime]:
    s = require_aware(start, f"{what}: start")
    e = require_aware(end, f"{what}: end")
    if e <= s:
        raise InvalidValueError(f"{what}: end {e.isoformat()} must be after start {s.isoformat()}")
    return s, e


def _within(t: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or t >= start) and (end is None or t < end)


def _positive_window(value: object, name: str) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidValueError(f"{name} must be a positive timedelta, got {value!r}")
    return value


def _order_times(orders: Iterable[Order]) -> dict[str, list[datetime]]:
    by_customer: dict[str, list[datetime]] = {}
    for order in orders:
        by_customer.setdefault(order.customer_id, []).append(order.at)
    for times in by_customer.values():
        times.sort()
    return by_customer


def _count(excluded: dict[str, int], reason: str) -> None:
    excluded[reason] = excluded.get(reason, 0) + 1


# --------------------------------------------------------------------------------------------------
# Churn and retention


def _last_before(times: list[datetime], t: datetime) -> datetime | None:
    i = bisect.bisect_left(times, t)
    return times[i - 1] if i else None


def _churn_state(
    customers: Iterable[Customer],
    *,
    start: datetime,
    end: datetime,
    orders: Iterable[Order] = (),
    by: ChurnBy = "explicit",
    inactivity: timedelta | None = None,
) -> RateState:
    """Return the churn state of a period: customers at its start (``n``) and those lost in it.

    A customer is *at the start* when acquired before ``start`` (``Customer.acquired_at``, else
    their first order; a customer with neither is taken to predate the period) and still a
    customer then. Customers acquired during the period are excluded, not counted.

    *Lost* depends on ``by``:

    - ``"explicit"``: ``Customer.churned_at`` falls in ``[start, end)``.
    - ``"inactivity"``: the customer was active at ``start`` (last order or acquisition within
      ``inactivity`` before it) and is not at ``end`` (no order or acquisition in the
      ``inactivity`` before ``end``).
    - ``"either"``: lost by either rule.

    Args:
        customers: The customers.
        start: Start of the period (included).
        end: End of the period (excluded).
        orders: Orders of those customers (needed for ``"inactivity"`` and ``"either"``).
        by: The definition of lost.
        inactivity: The inactivity window (required unless ``by="explicit"``).

    Raises:
        InvalidValueError: If the period is empty or ``inactivity`` is missing when needed.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer
        >>> jan, feb = (datetime(2026, m, 1, tzinfo=timezone.utc) for m in (1, 2))
        >>> s = churn_rate.state([Customer(id="a"), Customer(id="b", churned_at=jan)], start=jan, end=feb)
        >>> s.successes, s.n
        (1, 2)
    """
    s, e = _required_period(start, end, "churn_state")
    if by not in ("explicit", "inactivity", "either"):
        raise InvalidValueError(f"by must be 'explicit', 'inactivity' or 'either', got {by!r}")
    window = None if by == "explicit" else _positive_window(inactivity, "inactivity")
    times = _order_times(orders) if by != "explicit" or orders else {}
    excluded: dict[str, int] = {}
    lost = n = 0
    for customer in customers:
        history = times.get(customer.id, [])
        acquired = customer.acquired_at or (history[0] if history else None)
        if acquired is not None and acquired >= s:
            _count(excluded, "acquired_in_period" if acquired < e else "acquired_after_period")
            continue
        churned = customer.churned_at
        if churned is not None and churned < s:
            _count(excluded, "churned_before_start")
            continue
        if window is not None:
            last = _last_before(history, s)
            if acquired is not None and (last is None or acquired > last):
                last = acquired
            if last is None or s - last > window:
                _count(excluded, "inactive_at_start")
                continue
        n += 1
        explicit = churned is not None and churned < e
        lapsed = False
        if window is not None:
            last_end = _last_before(history, e)
            if acquired is not None and (last_end is None or acquired > last_end):
                last_end = acquired
            lapsed = last_end is None or e - last_end > window
        if (
            (by == "explicit" and explicit)
            or (by == "inactivity" and lapsed)
            or (by == "either" and (explicit or lapsed))
        ):
            lost += 1
    return RateState(successes=lost, n=n, excluded=excluded)


@with_state(_churn_state)
def churn_rate(
    customers: Iterable[Customer],
    *,
    start: datetime,
    end: datetime,
    orders: Iterable[Order] = (),
    by: ChurnBy = "explicit",
    inactivity: timedelta | None = None,
    confidence: float = 0.95,
) -> Rate:
    """Return the churn rate: customers lost in ``[start, end)`` over customers at ``start``.

    See ``churn_rate.state`` for who counts and what lost means.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Customer, Order
        >>> jan, feb = (datetime(2026, m, 1, tzinfo=timezone.utc) for m in (1, 2))
        >>> people = [Customer(id="a"), Customer(id="b")]
        >>> orders = [Order(id="1", customer_id="a", at=jan - timedelta(days=50), amount=10),
        ...           Order(id="2", customer_id="b", at=jan - timedelta(days=10), amount=10),
        ...           Order(id="3", customer_id="b", at=jan + timedelta(days=20), amount=10)]
        >>> churn_rate(people, start=jan, end=feb, orders=orders, by="inactivity",
        ...            inactivity=timedelta(days=60)).value
        0.5
    """
    state = _churn_state(
        customers, start=start, end=end, orders=orders, by=by, inactivity=inactivity
    )
    return state.result(confidence=confidence)


def retention_rate(
    customers: Iterable[Customer],
    *,
    start: datetime,
    end: datetime,
    orders: Iterable[Order] = (),
    by: ChurnBy = "explicit",
    inactivity: timedelta | None = None,
    confidence: float = 0.95,
) -> Rate:
    """Return the retention rate: customers at ``start`` not lost by ``end`` (``1 - churn``).

    New customers of the period are excluded, so this is the classic ``(E - N) / S``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer
        >>> jan, feb = (datetime(2026, m, 1, tzinfo=timezone.utc) for m in (1, 2))
        >>> people = [Customer(id="a"), Customer(id="b", churned_at=jan), Customer(id="c")]
        >>> round(retention_rate(people, start=jan, end=feb).value, 4)
        0.6667
    """
    state = _churn_state(
        customers, start=start, end=end, orders=orders, by=by, inactivity=inactivity
    )
    kept = RateState(successes=state.n - state.successes, n=state.n, excluded=state.excluded)
    return kept.result(confidence=confidence)


# --------------------------------------------------------------------------------------------------
# Purchases


def _purchase_counts(
    orders: Iterable[Order], start: datetime | None, end: datetime | None
) -> tuple[dict[str, int], dict[str, int]]:
    counts: dict[str, int] = {}
    excluded: dict[str, int] = {}
    for order in orders:
        if not _within(order.at, start, end):
            _count(excluded, "outside_period")
        elif order.amount < 0:
            _count(excluded, "refund")
        else:
            counts[order.customer_id] = counts.get(order.customer_id, 0) + 1
    return counts, excluded


def _repeat_purchase_state(
    orders: Iterable[Order], *, start: datetime | None = None, end: datetime | None = None
) -> RateState:
    """Return the repeat-purchase state: buyers in the period and those who bought twice or more.

    Refunds (negative amounts) are not purchases. ``excluded`` counts orders left out.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> s = repeat_purchase_rate.state([Order(id=str(i), customer_id=c, at=t, amount=1)
        ...                            for i, c in enumerate("aab")])
        >>> s.successes, s.n
        (1, 2)
    """
    s, e = _period(start, end, "repeat_purchase_state")
    counts, excluded = _purchase_counts(orders, s, e)
    repeat = sum(1 for c in counts.values() if c >= 2)
    return RateState(successes=repeat, n=len(counts), excluded=excluded)


@with_state(_repeat_purchase_state)
def repeat_purchase_rate(
    orders: Iterable[Order],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    confidence: float = 0.95,
) -> Rate:
    """Return the share of the period's buyers who bought at least twice in it.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> repeat_purchase_rate([Order(id=str(i), customer_id=c, at=t, amount=1)
        ...                       for i, c in enumerate("aabc")]).value
        0.3333333333333333
    """
    return _repeat_purchase_state(orders, start=start, end=end).result(confidence=confidence)


def _purchase_frequency_state(
    orders: Iterable[Order],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    customers: Iterable[Customer] | None = None,
) -> MeanState:
    """Return the state of orders per customer in the period.

    Without ``customers`` the base is the customers who bought (total orders over unique buyers);
    with it, every given customer counts, those without an order as zero.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> purchase_frequency.state([Order(id=str(i), customer_id=c, at=t, amount=1)
        ...                           for i, c in enumerate("aab")]).total
        3
    """
    s, e = _period(start, end, "purchase_frequency_state")
    counts, excluded = _purchase_counts(orders, s, e)
    if customers is None:
        values = list(counts.values())
    else:
        ids = [c.id for c in customers]
        known = set(ids)
        outside = sum(n for cid, n in counts.items() if cid not in known)
        if outside:
            excluded["other_customer"] = excluded.get("other_customer", 0) + outside
        values = [counts.get(cid, 0) for cid in ids]
    state = MeanState.of(values)
    return attrs.evolve(state, excluded=excluded)


@with_state(_purchase_frequency_state)
def purchase_frequency(
    orders: Iterable[Order],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    customers: Iterable[Customer] | None = None,
    confidence: float = 0.95,
) -> Mean:
    """Return the mean number of orders per customer in the period, with its t interval.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer, Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> orders = [Order(id=str(i), customer_id=c, at=t, amount=1) for i, c in enumerate("aab")]
        >>> purchase_frequency(orders).value
        1.5
        >>> purchase_frequency(orders, customers=[Customer(id=c) for c in "abcd"]).value
        0.75
    """
    state = _purchase_frequency_state(orders, start=start, end=end, customers=customers)
    return state.result(confidence=confidence)
