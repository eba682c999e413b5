"""Customer value KPIs: order value, revenue and lifetime value (historical, simple, predictive).

Amounts are :class:`~decimal.Decimal` and sums are exact; a :class:`MoneyState` merges exactly.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Order
    >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
    >>> average_order_value([Order(id="1", customer_id="a", at=t, amount=5),
    ...                      Order(id="2", customer_id="b", at=t, amount=15)]).value
    Decimal('10')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

import attrs

from cs8._display import DictReprMixin, format_value
from cs8._frozen import FrozenDict
from cs8._models import Customer, Order
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError
from cs8.kpi._customers import (
    _count,
    _period,
    _positive_window,
    _purchase_counts,
    _required_period,
    _within,
)
from cs8.kpi._kpi import with_state
from cs8.kpi._stats import MeanState

__all__ = [
    "MoneyState",
    "MoneyStats",
    "PredictiveLtv",
    "average_order_value",
    "customer_revenue",
    "historical_ltv",
    "predictive_ltv",
    "simple_ltv",
]

_YEAR = timedelta(days=365)


# --------------------------------------------------------------------------------------------------
# Money


@attrs.frozen(kw_only=True)
class MoneyStats(DictReprMixin):
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

    _hidden: ClassVar[frozenset[str]] = frozenset({"value", "n", "currency"})

    def _title(self) -> str:
        return f"Mean {format_value(self.value)} {self.currency or ''} (n={self.n})".replace(
            "  ", " "
        )


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


def _order_value_state(
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
        >>> s = average_order_value.state([Order(id="1", customer_id="a", at=t, amount=5),
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


@with_state(_order_value_state)
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

    See ``average_order_value.state`` for the arguments.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> average_order_value([Order(id="1", customer_id="a", at=t, amount="0.1"),
        ...                      Order(id="2", customer_id="a", at=t, amount="0.2")]).value
        Decimal('0.15')
    """
    state = _order_value_state(
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
class PredictiveLtv(DictReprMixin):
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

    def _title(self) -> str:
        return "Predictive lifetime value"


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
    aov = _order_value_state(items, start=s, end=e, currency=currency).result()
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
