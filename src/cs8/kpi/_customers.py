"""Customer KPIs: churn and retention, repeat purchase, frequency, order value, lifetime value,
complaints, and a transparent churn-risk score.

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
import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import attrs

from cs8._frozen import FrozenDict
from cs8._models import Customer, Order, SurveyResponse, Ticket
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError
from cs8.kpi._staffing import _html_table, _text_table
from cs8.kpi._stats import Mean, MeanState, Rate, RateState

__all__ = [
    "ChurnBy",
    "ChurnRisk",
    "ChurnRiskModel",
    "ComplaintRule",
    "MoneyState",
    "MoneyStats",
    "PredictiveLtv",
    "average_order_value",
    "churn_rate",
    "churn_risk",
    "churn_state",
    "complaint_rate",
    "complaint_state",
    "customer_revenue",
    "historical_ltv",
    "order_value_state",
    "predictive_ltv",
    "purchase_frequency",
    "purchase_frequency_state",
    "repeat_purchase_rate",
    "repeat_purchase_state",
    "retention_rate",
    "simple_ltv",
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


def churn_state(
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
        >>> s = churn_state([Customer(id="a"), Customer(id="b", churned_at=jan)], start=jan, end=feb)
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

    See :func:`churn_state` for who counts and what lost means.

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
    state = churn_state(
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
    state = churn_state(
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


def repeat_purchase_state(
    orders: Iterable[Order], *, start: datetime | None = None, end: datetime | None = None
) -> RateState:
    """Return the repeat-purchase state: buyers in the period and those who bought twice or more.

    Refunds (negative amounts) are not purchases. ``excluded`` counts orders left out.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> s = repeat_purchase_state([Order(id=str(i), customer_id=c, at=t, amount=1)
        ...                            for i, c in enumerate("aab")])
        >>> s.successes, s.n
        (1, 2)
    """
    s, e = _period(start, end, "repeat_purchase_state")
    counts, excluded = _purchase_counts(orders, s, e)
    repeat = sum(1 for c in counts.values() if c >= 2)
    return RateState(successes=repeat, n=len(counts), excluded=excluded)


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
    return repeat_purchase_state(orders, start=start, end=end).result(confidence=confidence)


def purchase_frequency_state(
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
        >>> purchase_frequency_state([Order(id=str(i), customer_id=c, at=t, amount=1)
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
    state = purchase_frequency_state(orders, start=start, end=end, customers=customers)
    return state.result(confidence=confidence)


# --------------------------------------------------------------------------------------------------
# Money


@attrs.frozen(kw_only=True)
class MoneyStats:
    """A mean amount of money: exact in :class:`~decimal.Decimal`, with a float t interval.

    Args:
        value: The mean amount; ``None`` when ``n == 0``.
        total: The exact sum.
        n: How many amounts.
        currency: Their ISO 4217 currency (``None`` when there were none).
        std: Sample standard deviation; ``nan`` when ``n < 2``.
        ci_low: Lower end of the t interval of the mean.
        ci_high: Upper end of the t interval.
        confidence: The interval's confidence level.
        warnings: Human-readable caveats.
        excluded: Records left out, by reason.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> aov = average_order_value([Order(id="1", customer_id="a", at=t, amount="10.10"),
        ...                            Order(id="2", customer_id="b", at=t, amount="20.20")])
        >>> aov.value, aov.total, aov.currency
        (Decimal('15.15'), Decimal('30.30'), 'VND')
    """

    value: Decimal | None
    total: Decimal
    n: int
    currency: str | None
    std: float
    ci_low: float
    ci_high: float
    confidence: float = 0.95
    warnings: tuple[str, ...] = ()
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict)

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict.

        Example:
            >>> MoneyState.empty().result().to_dict()["n"]
            0
        """
        out = attrs.asdict(self, recurse=False)
        out["warnings"] = list(self.warnings)
        out["excluded"] = dict(self.excluded)
        return out

    def _title(self) -> str:
        return (
            f"{self.value if self.value is not None else 'n/a'} {self.currency or ''} (n={self.n})"
        )

    def _fields(self) -> dict[str, object]:
        fields: dict[str, object] = {
            "total": self.total,
            f"{self.confidence:.0%} CI": f"[{self.ci_low:.6g}, {self.ci_high:.6g}]",
        }
        if self.excluded:
            fields["excluded"] = ", ".join(f"{k}: {v}" for k, v in sorted(self.excluded.items()))
        for i, warning in enumerate(self.warnings):
            fields["warning" if i == 0 else f"warning {i + 1}"] = warning
        return fields

    def __str__(self) -> str:
        return _text_table(self._title().strip(), self._fields())

    def _repr_html_(self) -> str:
        return _html_table(self._title().strip(), self._fields())


def _frozen_counts(value: Mapping[str, int] | None) -> FrozenDict[str, int]:
    return value if isinstance(value, FrozenDict) else FrozenDict(dict(value or {}))


@attrs.frozen(kw_only=True)
class MoneyState:
    """The mergeable state of amounts of money in one currency (exact sums).

    Example:
        >>> a = MoneyState.empty().add(Decimal("1.5"), "USD")
        >>> (a + MoneyState.empty().add(Decimal("2.5"), "USD")).result().value
        Decimal('2.0')
    """

    currency: str | None = None
    total: Decimal = Decimal(0)
    amounts: MeanState = attrs.field(factory=MeanState)
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_frozen_counts)

    @classmethod
    def empty(cls) -> MoneyState:
        """Return the state of no amounts.

        Example:
            >>> MoneyState.empty().amounts.n
            0
        """
        return cls()

    def _check(self, currency: str | None) -> None:
        if self.currency is not None and currency is not None and currency != self.currency:
            raise InvalidValueError(
                f"amounts in {currency} cannot join amounts in {self.currency}: "
                f"pass currency= to pick one"
            )

    def add(self, amount: Decimal, currency: str) -> MoneyState:
        """Return a new state with one more amount.

        Raises:
            InvalidValueError: If ``currency`` differs from the state's.

        Example:
            >>> MoneyState.empty().add(Decimal("3"), "VND").total
            Decimal('3')
        """
        return self.extend((amount,), currency)

    def extend(self, amounts: Iterable[Decimal], currency: str | None) -> MoneyState:
        """Return a new state with every amount (all in ``currency``) added.

        Example:
            >>> MoneyState.empty().extend([Decimal(1), Decimal(2)], "VND").amounts.n
            2
        """
        self._check(currency)
        values = [Decimal(a) for a in amounts]
        total = sum(values, self.total)
        return attrs.evolve(
            self,
            currency=currency or self.currency,
            total=total,
            amounts=self.amounts.extend(values),
        )

    def exclude(self, reason: str, count: int = 1) -> MoneyState:
        """Return a new state that records ``count`` records left out for ``reason``.

        Example:
            >>> dict(MoneyState.empty().exclude("refund").excluded)
            {'refund': 1}
        """
        out = dict(self.excluded)
        out[reason] = out.get(reason, 0) + count
        return attrs.evolve(self, excluded=out)

    def merge(self, other: MoneyState) -> MoneyState:
        """Return the state of both states' amounts.

        Raises:
            InvalidValueError: If the currencies differ.

        Example:
            >>> MoneyState.empty().merge(MoneyState.empty()).amounts.n
            0
        """
        self._check(other.currency)
        excluded = dict(self.excluded)
        for key, n in other.excluded.items():
            excluded[key] = excluded.get(key, 0) + n
        return MoneyState(
            currency=self.currency or other.currency,
            total=self.total + other.total,
            amounts=self.amounts.merge(other.amounts),
            excluded=excluded,
        )

    def __add__(self, other: MoneyState) -> MoneyState:
        return self.merge(other)

    def result(self, *, confidence: float = 0.95, min_n: int = 30) -> MoneyStats:
        """Return the mean amount, exact, with its t interval.

        Example:
            >>> MoneyState.empty().extend([Decimal("1"), Decimal("2")], "USD").result().value
            Decimal('1.5')
        """
        mean = self.amounts.result(confidence=confidence, min_n=min_n)
        n = self.amounts.n
        return MoneyStats(
            value=self.total / n if n else None,
            total=self.total,
            n=n,
            currency=self.currency,
            std=mean.std,
            ci_low=mean.ci_low,
            ci_high=mean.ci_high,
            confidence=confidence,
            warnings=mean.warnings,
            excluded=FrozenDict(self.excluded),
        )


def _currency_filter(orders: list[Order], currency: str | None, what: str) -> str | None:
    if currency is not None:
        return currency
    found = sorted({o.currency for o in orders})
    if len(found) > 1:
        raise InvalidValueError(
            f"{what}: orders are in {', '.join(found)}; pass currency= to choose one"
        )
    return found[0] if found else None


def order_value_state(
    orders: Iterable[Order],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    currency: str | None = None,
    include_refunds: bool = False,
) -> MoneyState:
    """Return the state of order amounts in the period (one currency).

    Args:
        orders: The orders.
        start: Start of the period (included), or ``None``.
        end: End of the period (excluded), or ``None``.
        currency: Only orders in this currency count (others are excluded); required when the
            orders mix currencies.
        include_refunds: Count negative amounts (refunds) too; by default they are excluded.

    Raises:
        InvalidValueError: If the orders mix currencies and ``currency`` is not given.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> s = order_value_state([Order(id="1", customer_id="a", at=t, amount=5),
        ...                        Order(id="2", customer_id="a", at=t, amount=-5)])
        >>> s.amounts.n, dict(s.excluded)
        (1, {'refund': 1})
    """
    s, e = _period(start, end, "order_value_state")
    items = list(orders)
    chosen = _currency_filter(items, currency, "order_value_state")
    excluded: dict[str, int] = {}
    amounts: list[Decimal] = []
    for order in items:
        if not _within(order.at, s, e):
            _count(excluded, "outside_period")
        elif order.currency != chosen:
            _count(excluded, "other_currency")
        elif order.amount < 0 and not include_refunds:
            _count(excluded, "refund")
        else:
            amounts.append(order.amount)
    return MoneyState(currency=chosen, excluded=excluded).extend(amounts, chosen)


def average_order_value(
    orders: Iterable[Order],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    currency: str | None = None,
    include_refunds: bool = False,
    confidence: float = 0.95,
) -> MoneyStats:
    """Return the average order value (revenue over orders), exact in ``Decimal``.

    See :func:`order_value_state` for the arguments.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> average_order_value([Order(id="1", customer_id="a", at=t, amount="0.1"),
        ...                      Order(id="2", customer_id="a", at=t, amount="0.2")]).value
        Decimal('0.15')
    """
    state = order_value_state(
        orders, start=start, end=end, currency=currency, include_refunds=include_refunds
    )
    return state.result(confidence=confidence)


def customer_revenue(
    orders: Iterable[Order],
    *,
    as_of: datetime | None = None,
    currency: str | None = None,
    customers: Iterable[Customer] | None = None,
) -> dict[str, Decimal]:
    """Return each customer's net revenue (orders minus refunds) before ``as_of``.

    With ``customers``, every one of them appears (those without orders at zero) and orders of
    other customers are ignored.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> customer_revenue([Order(id="1", customer_id="a", at=t, amount=30),
        ...                   Order(id="2", customer_id="a", at=t, amount=-10)])
        {'a': Decimal('20')}
    """
    cutoff = None if as_of is None else require_aware(as_of, "customer_revenue: as_of")
    items = list(orders)
    chosen = _currency_filter(items, currency, "customer_revenue")
    revenue: dict[str, Decimal] = {}
    if customers is not None:
        revenue = {c.id: Decimal(0) for c in customers}
    for order in items:
        if cutoff is not None and order.at >= cutoff:
            continue
        if order.currency != chosen:
            continue
        if customers is not None and order.customer_id not in revenue:
            continue
        revenue[order.customer_id] = revenue.get(order.customer_id, Decimal(0)) + order.amount
    return revenue


def historical_ltv(
    orders: Iterable[Order],
    *,
    as_of: datetime | None = None,
    currency: str | None = None,
    customers: Iterable[Customer] | None = None,
    confidence: float = 0.95,
) -> MoneyStats:
    """Return the historical lifetime value: the mean net revenue per customer so far.

    Each customer's value is the sum of their orders (refunds subtract) before ``as_of``. Without
    ``customers`` the mean is over customers who ordered; with it, over every given customer.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer, Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> orders = [Order(id="1", customer_id="a", at=t, amount=30),
        ...           Order(id="2", customer_id="b", at=t, amount=10)]
        >>> historical_ltv(orders).value
        Decimal('20')
        >>> historical_ltv(orders, customers=[Customer(id=c) for c in "abcd"]).value
        Decimal('10')
    """
    items = list(orders)
    chosen = _currency_filter(items, currency, "historical_ltv")
    revenue = customer_revenue(items, as_of=as_of, currency=chosen, customers=customers)
    state = MoneyState(currency=chosen).extend(revenue.values(), chosen)
    return state.result(confidence=confidence)


@attrs.frozen(kw_only=True)
class PredictiveLtv:
    """The simple predictive lifetime value and the three numbers it multiplies.

    ``value = average_order_value x purchase_frequency x (expected_lifespan / per)``: what a
    customer spends per order, how many orders a customer places per ``per`` (a year by
    default), and how many ``per`` a customer stays. It assumes all three are stable and
    independent; multiply by a margin for a profit figure.

    Example:
        >>> from datetime import timedelta
        >>> ltv = simple_ltv(average_order_value=Decimal("50"), purchase_frequency=4,
        ...                  expected_lifespan=timedelta(days=3 * 365))
        >>> ltv.value
        Decimal('600')
    """

    value: Decimal
    average_order_value: Decimal
    purchase_frequency: float
    per: timedelta
    expected_lifespan: timedelta
    currency: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict.

        Example:
            >>> from datetime import timedelta
            >>> simple_ltv(average_order_value=Decimal(1), purchase_frequency=1,
            ...            expected_lifespan=timedelta(days=365)).to_dict()["value"]
            Decimal('1')
        """
        return attrs.asdict(self, recurse=False)

    def __str__(self) -> str:
        return _text_table("Predictive lifetime value", self.to_dict())

    def _repr_html_(self) -> str:
        return _html_table("Predictive lifetime value", self.to_dict())


def simple_ltv(
    *,
    average_order_value: Decimal,
    purchase_frequency: float,
    expected_lifespan: timedelta,
    per: timedelta = _YEAR,
    currency: str | None = None,
) -> PredictiveLtv:
    """Return ``average_order_value x purchase_frequency x expected_lifespan / per``.

    Args:
        average_order_value: Mean spend per order.
        purchase_frequency: Orders per customer per ``per``.
        expected_lifespan: How long a customer stays (e.g. ``per / churn rate per per``).
        per: The time unit of ``purchase_frequency`` (a 365-day year by default).
        currency: The currency, for display.

    Raises:
        InvalidValueError: If the frequency is negative or a duration is not positive.

    Example:
        >>> from datetime import timedelta
        >>> simple_ltv(average_order_value=Decimal("25.50"), purchase_frequency=2,
        ...            expected_lifespan=timedelta(days=730)).value
        Decimal('102.00')
    """
    aov = Decimal(average_order_value)
    if (
        isinstance(purchase_frequency, bool)
        or not isinstance(purchase_frequency, int | float)
        or not math.isfinite(purchase_frequency)
        or purchase_frequency < 0
    ):
        raise InvalidValueError(
            f"purchase_frequency must be a non-negative number, got {purchase_frequency!r}"
        )
    unit = _positive_window(per, "per")
    life = _positive_window(expected_lifespan, "expected_lifespan")
    periods = Fraction(life // timedelta(microseconds=1), unit // timedelta(microseconds=1))
    factor = Fraction(purchase_frequency) * periods
    value = aov * Decimal(factor.numerator) / Decimal(factor.denominator)
    return PredictiveLtv(
        value=value,
        average_order_value=aov,
        purchase_frequency=float(purchase_frequency),
        per=unit,
        expected_lifespan=life,
        currency=currency,
    )


def predictive_ltv(
    orders: Iterable[Order],
    *,
    start: datetime,
    end: datetime,
    expected_lifespan: timedelta,
    per: timedelta = _YEAR,
    currency: str | None = None,
) -> PredictiveLtv:
    """Return the simple predictive LTV with its parts measured on the orders of ``[start, end)``.

    The average order value is that of the period's purchases; the purchase frequency is orders
    per buying customer, scaled from the period's length to ``per``.

    Raises:
        InvalidValueError: If the period has no purchases.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> orders = [Order(id=str(i), customer_id=c, at=t, amount=100) for i, c in enumerate("aab")]
        >>> ltv = predictive_ltv(orders, start=t, end=t + timedelta(days=365),
        ...                      expected_lifespan=timedelta(days=730))
        >>> ltv.average_order_value, ltv.purchase_frequency, ltv.value
        (Decimal('100'), 1.5, Decimal('300'))
    """
    s, e = _required_period(start, end, "predictive_ltv")
    items = list(orders)
    aov = order_value_state(items, start=s, end=e, currency=currency).result()
    if aov.value is None:
        raise InvalidValueError(
            f"predictive_ltv: no purchases between {s.isoformat()} and {e.isoformat()}"
        )
    counts, _ = _purchase_counts((o for o in items if o.currency == aov.currency), s, e)
    per_customer = Fraction(sum(counts.values()), len(counts))
    length = Fraction((e - s) // timedelta(microseconds=1), per // timedelta(microseconds=1))
    frequency = float(per_customer / length)
    return simple_ltv(
        average_order_value=aov.value,
        purchase_frequency=frequency,
        expected_lifespan=expected_lifespan,
        per=per,
        currency=aov.currency,
    )


# --------------------------------------------------------------------------------------------------
# Complaints


def _str_set(values: Iterable[str] | str) -> frozenset[str]:
    if isinstance(values, str):
        return frozenset({values})
    return frozenset(str(v) for v in values)


@attrs.frozen(kw_only=True)
class ComplaintRule:
    """Which tickets are complaints: those whose category or any tag is in the given sets.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> rule = ComplaintRule(categories={"complaint"}, tags={"angry"})
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> rule.matches(Ticket(id="T1", customer_id="a", channel="email", created_at=t,
        ...                     tags={"angry", "vip"}))
        True
    """

    categories: frozenset[str] = attrs.field(factory=frozenset, converter=_str_set)
    tags: frozenset[str] = attrs.field(factory=frozenset, converter=_str_set)

    def __attrs_post_init__(self) -> None:
        if not self.categories and not self.tags:
            raise InvalidValueError(
                "ComplaintRule needs at least one category or tag that marks a complaint"
            )

    def matches(self, ticket: Ticket) -> bool:
        """Return whether ``ticket`` is a complaint."""
        if ticket.category is not None and ticket.category in self.categories:
            return True
        return not self.tags.isdisjoint(ticket.tags)


def complaint_state(
    tickets: Iterable[Ticket],
    *,
    rule: ComplaintRule,
    start: datetime | None = None,
    end: datetime | None = None,
    customers: Iterable[Customer] | None = None,
) -> RateState:
    """Return the complaint state of tickets created in ``[start, end)``.

    Without ``customers``: complaints over tickets. With it: customers who complained at least once
    over the given customers.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> tickets = [Ticket(id=str(i), customer_id="a", channel="email", created_at=t,
        ...                   category=cat) for i, cat in enumerate(["complaint", "refund"])]
        >>> s = complaint_state(tickets, rule=ComplaintRule(categories={"complaint"}))
        >>> s.successes, s.n
        (1, 2)
    """
    s, e = _period(start, end, "complaint_state")
    excluded: dict[str, int] = {}
    complaints = total = 0
    complainers: set[str] = set()
    for ticket in tickets:
        if not _within(ticket.created_at, s, e):
            _count(excluded, "outside_period")
            continue
        total += 1
        if rule.matches(ticket):
            complaints += 1
            complainers.add(ticket.customer_id)
    if customers is None:
        return RateState(successes=complaints, n=total, excluded=excluded)
    ids = {c.id for c in customers}
    return RateState(successes=len(complainers & ids), n=len(ids), excluded=excluded)


def complaint_rate(
    tickets: Iterable[Ticket],
    *,
    rule: ComplaintRule,
    start: datetime | None = None,
    end: datetime | None = None,
    customers: Iterable[Customer] | None = None,
    confidence: float = 0.95,
) -> Rate:
    """Return the complaint rate (see :func:`complaint_state` for the two bases).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer, Ticket
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> tickets = [Ticket(id="1", customer_id="a", channel="chat", created_at=t, tags={"complaint"})]
        >>> rule = ComplaintRule(tags={"complaint"})
        >>> complaint_rate(tickets, rule=rule, customers=[Customer(id=c) for c in "abcd"]).value
        0.25
    """
    state = complaint_state(tickets, rule=rule, start=start, end=end, customers=customers)
    return state.result(confidence=confidence)


# --------------------------------------------------------------------------------------------------
# Churn risk


def _non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise InvalidValueError(
            f"ChurnRiskModel.{attribute.name} must be a non-negative number, got {value!r}"
        )


def _positive_td(instance: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    _positive_window(value, f"ChurnRiskModel.{attribute.name}")


@attrs.frozen(kw_only=True)
class ChurnRiskModel:
    """The formula of the churn-risk score: its weights and the scales of its components.

    Each component is a number in [0, 1] (1 = most at risk), measured at ``as_of`` over
    ``window`` (the recent window is ``[as_of - window, as_of)``, the previous one the window
    before it):

    - ``recency = min(1, time since last order (or acquisition) / recency_horizon)``; 1 when
      the customer has neither.
    - ``frequency_decline = max(0, (previous orders - recent orders) / previous orders)``; 0
      when there were no previous orders.
    - ``complaints = min(1, max(0, recent complaints - previous complaints) /
      complaint_saturation)``, rising complaints only; ``None`` without a ``complaint_rule``.
    - ``satisfaction = 1 - mean of the recent survey answers rescaled to [0, 1]`` (each on its own
      scale; any instrument); ``None`` without recent answers.
    - ``not_alive = 1 - P(alive)``, the probability that the customer has already left according
      to a customer-base model (``BgNbd.p_alive`` or ``ParetoNbd.p_alive`` of
      :mod:`cs8.customers`), weighted by ``alive_weight``; ``None`` unless :func:`churn_risk` is
      given ``p_alive`` for the customer.

    ``score = sum(weight x component) / sum(weight)`` over the components that are not ``None``.

    Example:
        >>> ChurnRiskModel().recency_weight
        0.4
    """

    recency_weight: float = attrs.field(default=0.4, validator=_non_negative)
    frequency_weight: float = attrs.field(default=0.3, validator=_non_negative)
    complaint_weight: float = attrs.field(default=0.15, validator=_non_negative)
    satisfaction_weight: float = attrs.field(default=0.15, validator=_non_negative)
    alive_weight: float = attrs.field(default=0.3, validator=_non_negative)
    recency_horizon: timedelta = attrs.field(default=timedelta(days=90), validator=_positive_td)
    window: timedelta = attrs.field(default=timedelta(days=90), validator=_positive_td)
    complaint_saturation: float = attrs.field(default=2.0, validator=_non_negative)
    complaint_rule: ComplaintRule | None = None

    def __attrs_post_init__(self) -> None:
        total = (
            self.recency_weight
            + self.frequency_weight
            + self.complaint_weight
            + self.satisfaction_weight
        )
        if total <= 0:
            raise InvalidValueError("ChurnRiskModel needs at least one positive weight")
        if self.complaint_saturation <= 0:
            raise InvalidValueError(
                f"ChurnRiskModel.complaint_saturation must be positive, got "
                f"{self.complaint_saturation!r}"
            )


@attrs.frozen(kw_only=True)
class ChurnRisk:
    """One customer's churn-risk score with every component and the facts behind them.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer
        >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
        >>> risk = churn_risk([Customer(id="a")], orders=[], as_of=now)[0]
        >>> round(risk.score, 4), risk.recency, risk.frequency_decline, risk.satisfaction
        (0.5714, 1.0, 0.0, None)
    """

    customer_id: str
    score: float
    recency: float
    frequency_decline: float
    complaints: float | None
    satisfaction: float | None
    weights: FrozenDict[str, float]
    last_activity_at: datetime | None
    orders_recent: int
    orders_previous: int
    complaints_recent: int
    complaints_previous: int
    responses_recent: int
    not_alive: float | None = None

    def components(self) -> dict[str, float | None]:
        """Return the four components by name, and ``not_alive`` when P(alive) was given.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Customer
            >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
            >>> sorted(churn_risk([Customer(id="a")], orders=[], as_of=now)[0].components())
            ['complaints', 'frequency_decline', 'recency', 'satisfaction']
        """
        out = {
            "recency": self.recency,
            "frequency_decline": self.frequency_decline,
            "complaints": self.complaints,
            "satisfaction": self.satisfaction,
        }
        if self.not_alive is not None:
            out["not_alive"] = self.not_alive
        return out

    def to_dict(self) -> dict[str, object]:
        """Return the score, components and facts as a plain dict.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Customer
            >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
            >>> churn_risk([Customer(id="a")], orders=[], as_of=now)[0].to_dict()["customer_id"]
            'a'
        """
        out = attrs.asdict(self, recurse=False)
        out["weights"] = dict(self.weights)
        return out

    def explain(self) -> str:
        """Return one line per component: its value, weight and contribution to the score.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Customer
            >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
            >>> print(churn_risk([Customer(id="a")], orders=[], as_of=now)[0].explain())
            churn risk of 'a': 0.571
              recency            1.000 x weight 0.40 -> 0.571
              frequency_decline  0.000 x weight 0.30 -> 0.000
              complaints         n/a (not measured)
              satisfaction       n/a (not measured)
        """
        used = sum(self.weights[k] for k, v in self.components().items() if v is not None)
        lines = [f"churn risk of {self.customer_id!r}: {self.score:.3f}"]
        for name, value in self.components().items():
            if value is None:
                lines.append(f"  {name.ljust(17)}  n/a (not measured)")
            else:
                weight = self.weights[name]
                share = weight * value / used if used else 0.0
                lines.append(
                    f"  {name.ljust(17)}  {value:.3f} x weight {weight:.2f} -> {share:.3f}"
                )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    def _repr_html_(self) -> str:
        fields: dict[str, object] = {"score": self.score}
        fields.update({k: "n/a" if v is None else v for k, v in self.components().items()})
        return _html_table(f"Churn risk of {self.customer_id}", fields)


def churn_risk(
    customers: Iterable[Customer],
    *,
    orders: Iterable[Order],
    as_of: datetime,
    tickets: Iterable[Ticket] = (),
    responses: Iterable[SurveyResponse] = (),
    model: ChurnRiskModel | None = None,
    p_alive: Mapping[str, float] | None = None,
) -> tuple[ChurnRisk, ...]:
    """Return the churn-risk score of each customer still with the business at ``as_of``.

    Customers whose ``churned_at`` is before ``as_of`` are left out; records at or after
    ``as_of`` are ignored. The result is sorted by descending score, then customer id. The formula
    and its defaults are those of :class:`ChurnRiskModel`.

    Args:
        customers: The customers to score.
        orders: Their orders.
        as_of: The instant of scoring.
        tickets: Their tickets (for rising complaints; needs ``model.complaint_rule``).
        responses: Their survey answers (``customer_id`` must be set to count).
        model: Weights and scales; ``ChurnRiskModel()`` by default.
        p_alive: Customer id to P(alive) from a fitted customer-base model, e.g.
            ``dict(zip(table.customer_ids, fit_bgnbd(table).p_alive(table)))`` with
            :mod:`cs8.customers`; customers missing from it have no ``not_alive`` component.

    Raises:
        InvalidValueError: If a P(alive) is not a probability.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Customer, Order
        >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
        >>> d = timedelta(days=1)
        >>> orders = [Order(id=str(i), customer_id="a", at=now - k * d, amount=10)
        ...           for i, k in enumerate([100, 120, 150, 170, 45])]
        >>> risk = churn_risk([Customer(id="a")], orders=orders, as_of=now)[0]
        >>> risk.recency, risk.frequency_decline, (risk.orders_recent, risk.orders_previous)
        (0.5, 0.75, (1, 4))
    """
    chosen = model if model is not None else ChurnRiskModel()
    now = require_aware(as_of, "churn_risk: as_of")
    window = chosen.window
    recent_from, previous_from = now - window, now - 2 * window
    order_times = _order_times(o for o in orders if o.at < now)
    complaint_times: dict[str, list[datetime]] = {}
    if chosen.complaint_rule is not None:
        for ticket in tickets:
            if ticket.created_at < now and chosen.complaint_rule.matches(ticket):
                complaint_times.setdefault(ticket.customer_id, []).append(ticket.created_at)
    satisfaction: dict[str, list[float]] = {}
    for response in responses:
        if response.customer_id is None or not recent_from <= response.at < now:
            continue
        low, high = response.scale
        satisfaction.setdefault(response.customer_id, []).append(
            (response.score - low) / (high - low)
        )
    weights = FrozenDict(
        {
            "recency": chosen.recency_weight,
            "frequency_decline": chosen.frequency_weight,
            "complaints": chosen.complaint_weight,
            "satisfaction": chosen.satisfaction_weight,
            "not_alive": chosen.alive_weight,
        }
    )
    horizon = chosen.recency_horizon.total_seconds()
    risks: list[ChurnRisk] = []
    for customer in customers:
        if customer.churned_at is not None and customer.churned_at < now:
            continue
        times = order_times.get(customer.id, [])
        last = times[-1] if times else None
        acquired = customer.acquired_at
        if acquired is not None and acquired < now and (last is None or acquired > last):
            last = acquired
        recency = 1.0 if last is None else min(1.0, (now - last).total_seconds() / horizon)
        recent = sum(1 for t in times if t >= recent_from)
        previous = sum(1 for t in times if previous_from <= t < recent_from)
        decline = max(0.0, (previous - recent) / previous) if previous else 0.0
        complaint_component: float | None = None
        c_recent = c_previous = 0
        if chosen.complaint_rule is not None:
            marks = complaint_times.get(customer.id, [])
            c_recent = sum(1 for t in marks if t >= recent_from)
            c_previous = sum(1 for t in marks if previous_from <= t < recent_from)
            rise = max(0, c_recent - c_previous)
            complaint_component = min(1.0, rise / chosen.complaint_saturation)
        answers = satisfaction.get(customer.id, [])
        satisfaction_component = 1.0 - math.fsum(answers) / len(answers) if answers else None
        alive = None if p_alive is None else p_alive.get(customer.id)
        if alive is not None and not (
            isinstance(alive, int | float) and not isinstance(alive, bool) and 0 <= alive <= 1
        ):
            raise InvalidValueError(
                f"churn_risk: p_alive[{customer.id!r}] must be a probability in [0, 1], "
                f"got {alive!r}"
            )
        not_alive = None if alive is None else 1.0 - float(alive)
        components = {
            "recency": recency,
            "frequency_decline": decline,
            "complaints": complaint_component,
            "satisfaction": satisfaction_component,
            "not_alive": not_alive,
        }
        used = [(weights[k], v) for k, v in components.items() if v is not None]
        total_weight = math.fsum(w for w, _ in used)
        score = math.fsum(w * v for w, v in used) / total_weight if total_weight else 0.0
        risks.append(
            ChurnRisk(
                customer_id=customer.id,
                score=score,
                recency=recency,
                frequency_decline=decline,
                complaints=complaint_component,
                satisfaction=satisfaction_component,
                weights=weights,
                last_activity_at=last,
                orders_recent=recent,
                orders_previous=previous,
                complaints_recent=c_recent,
                complaints_previous=c_previous,
                responses_recent=len(answers),
                not_alive=not_alive,
            )
        )
    risks.sort(key=lambda r: (-r.score, r.customer_id))
    return tuple(risks)
