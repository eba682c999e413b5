"""Purchase summaries: repeat purchases x, recency t_x, age T and mean spend, in an explicit unit.

The models of :mod:`cs8.customers` (BG/NBD, Pareto/NBD, Gamma-Gamma) read a customer's purchase
history as four numbers, as Fader, Hardie and Lee define them:

- ``x``: repeat purchases, the distinct purchase days after the first one;
- ``t_x``: recency, from the first purchase day to the last;
- ``T``: age, from the first purchase day to the last observed day;
- the mean spend of the repeat purchase days (the Gamma-Gamma model's input).

Time is counted in whole local days (several orders on one day are one purchase, as lifetimes'
``summary_data_from_transaction_data`` does with ``freq="D"``) and expressed in a :class:`TimeUnit`
that every summary and every fitted model carries. Horizons given to a model are
:class:`~datetime.timedelta` values, so a model fitted in weeks cannot be asked about "30" meaning
days (the unit mix-ups of lifetimes' issues #150 and #419 cannot happen).

The state behind a summary, :class:`PurchaseState`, is mergeable: compute it per partition of the
orders (by customer, by month, by file) and merge; the result equals the state of all the orders.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Order
    >>> day = lambda d: datetime(2026, 1, d, 10, tzinfo=timezone.utc)
    >>> orders = [Order(id="1", customer_id="a", at=day(1), amount=100),
    ...           Order(id="2", customer_id="a", at=day(8), amount=60),
    ...           Order(id="3", customer_id="a", at=day(15), amount=40)]
    >>> s = purchase_summary(orders, now=day(29), unit="week")[0]
    >>> s.x, s.t_x, s.T, s.mean_spend
    (2, 2.0, 4.0, 50.0)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from cs8._frozen import FrozenDict
from cs8._models import Order
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError

__all__ = [
    "CustomerSummary",
    "HoldoutSummary",
    "PurchaseState",
    "TimeUnit",
    "calibration_holdout",
    "purchase_state",
    "purchase_summary",
]


class TimeUnit(enum.Enum):
    """The unit a summary's ``t_x`` and ``T`` (and a model's rates) are expressed in.

    Example:
        >>> TimeUnit("week").days, TimeUnit.WEEK.of(timedelta(days=14))
        (7, 2.0)
    """

    DAY = "day"
    WEEK = "week"

    @property
    def days(self) -> int:
        """Days in one unit."""
        return 1 if self is TimeUnit.DAY else 7

    def of(self, span: timedelta) -> float:
        """Return ``span`` expressed in this unit.

        Raises:
            InvalidValueError: If ``span`` is not a timedelta.

        Example:
            >>> TimeUnit.DAY.of(timedelta(hours=36))
            1.5
        """
        if not isinstance(span, timedelta):
            raise InvalidValueError(f"a time span must be a timedelta, got {span!r}")
        return span / timedelta(days=self.days)

    def __repr__(self) -> str:
        return f"TimeUnit.{self.name}"


def _unit(value: Any) -> TimeUnit:
    try:
        return TimeUnit(value)
    except ValueError:
        raise InvalidValueError(f"unit must be 'day' or 'week', got {value!r}") from None


def _check_summary(instance: CustomerSummary) -> None:
    where = f" (customer {instance.customer_id!r})"
    if instance.x < 0:
        raise InvalidValueError(f"CustomerSummary.x must be >= 0, got {instance.x}{where}")
    if not 0 <= instance.t_x <= instance.T:
        raise InvalidValueError(
            f"CustomerSummary.t_x must be in [0, T={instance.T}], got {instance.t_x}{where}"
        )
    if instance.x == 0 and instance.t_x != 0:
        raise InvalidValueError(
            f"CustomerSummary.t_x must be 0 when x is 0, got {instance.t_x}{where}"
        )


@attrs.frozen(kw_only=True)
class CustomerSummary:
    """One customer's purchase history as the models read it.

    Args:
        customer_id: The customer.
        x: Repeat purchases: distinct purchase days after the first.
        t_x: Recency: first to last purchase day, in ``unit``.
        T: Age: first purchase day to the last observed day, in ``unit``.
        unit: The unit of ``t_x`` and ``T``.
        mean_spend: Mean spend of the repeat purchase days (``None`` when ``x == 0``).
        first_purchase: The local date of the first purchase, if known.

    Raises:
        InvalidValueError: If ``x < 0``, ``t_x`` is outside ``[0, T]`` or ``t_x > 0`` with ``x == 0``.

    Example:
        >>> CustomerSummary(customer_id="a", x=2, t_x=30.43, T=38.86, unit="week").unit
        TimeUnit.WEEK
    """

    customer_id: str
    x: int
    t_x: float
    T: float
    unit: TimeUnit = attrs.field(converter=_unit)
    mean_spend: float | None = None
    first_purchase: date | None = None

    def __attrs_post_init__(self) -> None:
        _check_summary(self)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(f"timezone must be an IANA zone name, got {name!r}") from None


def _local_day(at: datetime, zone: ZoneInfo) -> int:
    return at.astimezone(zone).date().toordinal()


_History = tuple[tuple[int, Decimal], ...]


@attrs.frozen(kw_only=True)
class PurchaseState:
    """The mergeable state behind purchase summaries: each customer's spend per purchase day.

    Build it with :func:`purchase_state`, once per partition of the orders, and combine with
    :meth:`merge`; the merged state equals the state of all the orders (spend is summed exactly in
    :class:`~decimal.Decimal`, so merging is associative and commutative).

    Attributes:
        end: The last observed local day (the day of the instant just before ``now``).
        timezone: The IANA zone whose days are counted.
        currency: The currency of the orders (``None`` before any order is seen).
        days: Customer id to its ``(day ordinal, spend)`` pairs, sorted by day.
        excluded: Orders left out, by reason (``"refund"``, ``"after_now"``).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> a = purchase_state([Order(id="1", customer_id="a", at=t, amount=5)], now=t.replace(day=9))
        >>> b = purchase_state([Order(id="2", customer_id="a", at=t, amount=7)], now=t.replace(day=9))
        >>> a.merge(b).days["a"]
        ((739621, Decimal('12')),)
    """

    end: date
    timezone: str = "UTC"
    currency: str | None = None
    days: FrozenDict[str, _History] = attrs.field(factory=FrozenDict)
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict)

    def merge(self, other: PurchaseState) -> PurchaseState:
        """Return the state of both partitions' orders together.

        Raises:
            InvalidValueError: If the two states differ in end day, time zone or currency.

        Example:
            >>> PurchaseState(end=date(2026, 1, 1)).merge(PurchaseState(end=date(2026, 1, 1))).days
            FrozenDict({})
        """
        if (self.end, self.timezone) != (other.end, other.timezone):
            raise InvalidValueError(
                f"PurchaseState.merge: states observed to {self.end} in {self.timezone} and "
                f"{other.end} in {other.timezone} cannot be merged"
            )
        currency = self.currency or other.currency
        if self.currency and other.currency and self.currency != other.currency:
            raise InvalidValueError(
                f"PurchaseState.merge: currencies {self.currency} and {other.currency} differ"
            )
        days: dict[str, _History] = dict(self.days)
        for cid, history in other.days.items():
            mine = days.get(cid)
            if mine is None:
                days[cid] = history
                continue
            spend: dict[int, Decimal] = dict(mine)
            for day, amount in history:
                spend[day] = spend.get(day, Decimal(0)) + amount
            days[cid] = tuple(sorted(spend.items()))
        excluded = dict(self.excluded)
        for reason, n in other.excluded.items():
            excluded[reason] = excluded.get(reason, 0) + n
        return PurchaseState(
            end=self.end,
            timezone=self.timezone,
            currency=currency,
            days=FrozenDict(dict(sorted(days.items()))),
            excluded=FrozenDict(dict(sorted(excluded.items()))),
        )

    def summaries(self, unit: TimeUnit | str = TimeUnit.DAY) -> tuple[CustomerSummary, ...]:
        """Return one :class:`CustomerSummary` per customer, sorted by customer id.

        Example:
            >>> PurchaseState(end=date(2026, 1, 1)).summaries("week")
            ()
        """
        chosen = _unit(unit)
        per = chosen.days
        end = self.end.toordinal()
        out: list[CustomerSummary] = []
        for cid in sorted(self.days):
            history = self.days[cid]
            first, last = history[0][0], history[-1][0]
            x = len(history) - 1
            repeat = sum((amount for _, amount in history[1:]), Decimal(0))
            out.append(
                CustomerSummary(
                    customer_id=cid,
                    x=x,
                    t_x=(last - first) / per,
                    T=(end - first) / per,
                    unit=chosen,
                    mean_spend=float(repeat / x) if x else None,
                    first_purchase=date.fromordinal(first),
                )
            )
        return tuple(out)


def one_currency(order: Order, seen: str | None, what: str) -> str:
    """Return the currency of the orders so far, refusing an order in another one.

    Raises:
        InvalidValueError: If ``order`` is not in ``seen`` (when set); the message names it.
    """
    if seen is not None and order.currency != seen:
        raise InvalidValueError(
            f"{what}: order {order.id!r} is in {order.currency}, earlier orders in {seen}; "
            "use one currency at a time"
        )
    return order.currency


def _collect(
    orders: Iterable[Order], now: datetime, zone: ZoneInfo, what: str
) -> tuple[dict[str, dict[int, Decimal]], dict[str, int], str | None]:
    spend: dict[str, dict[int, Decimal]] = {}
    excluded: dict[str, int] = {}
    currency: str | None = None
    for order in orders:
        if order.at >= now:
            excluded["after_now"] = excluded.get("after_now", 0) + 1
            continue
        if order.amount < 0:
            excluded["refund"] = excluded.get("refund", 0) + 1
            continue
        currency = one_currency(order, currency, what)
        days = spend.setdefault(order.customer_id, {})
        day = _local_day(order.at, zone)
        days[day] = days.get(day, Decimal(0)) + order.amount
    return spend, excluded, currency


def purchase_state(
    orders: Iterable[Order], *, now: datetime, timezone: str = "UTC"
) -> PurchaseState:
    """Return the mergeable purchase state of the orders placed before ``now``.

    Refunds (negative amounts) and orders at or after ``now`` are left out and counted in
    ``excluded``. Days are local days of ``timezone``; the last observed day is the day of the
    instant just before ``now`` (``now`` at midnight observes the whole previous day).

    Args:
        orders: The orders, in any order.
        now: The end of observation (exclusive).
        timezone: The IANA zone whose calendar days are counted.

    Raises:
        InvalidValueError: If the orders mix currencies or the zone is unknown.
        NaiveDatetimeError: If ``now`` has no time zone.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> s = purchase_state([Order(id="1", customer_id="a", at=t, amount=-5)], now=t.replace(day=9))
        >>> dict(s.excluded), s.end
        ({'refund': 1}, datetime.date(2026, 1, 8))
    """
    instant = require_aware(now, "purchase_state: now")
    zone = _zone(timezone)
    spend, excluded, currency = _collect(orders, instant, zone, "purchase_state")
    end = (instant - timedelta(microseconds=1)).astimezone(zone).date()
    return PurchaseState(
        end=end,
        timezone=timezone,
        currency=currency,
        days=FrozenDict({cid: tuple(sorted(spend[cid].items())) for cid in sorted(spend)}),
        excluded=FrozenDict(dict(sorted(excluded.items()))),
    )


def purchase_summary(
    orders: Iterable[Order],
    *,
    now: datetime,
    unit: TimeUnit | str = TimeUnit.DAY,
    timezone: str = "UTC",
) -> tuple[CustomerSummary, ...]:
    """Return each buyer's repeat purchases, recency, age and mean spend before ``now``.

    See :func:`purchase_state` for what counts; the result is sorted by customer id.

    Args:
        orders: The orders.
        now: The end of observation (exclusive).
        unit: ``"day"`` or ``"week"``: the unit of ``t_x`` and ``T``.
        timezone: The IANA zone whose calendar days are counted.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> t = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
        >>> orders = [Order(id="1", customer_id="b", at=t, amount=10),
        ...           Order(id="2", customer_id="b", at=t.replace(hour=17), amount=10)]
        >>> purchase_summary(orders, now=t.replace(day=8))[0].x   # one purchase day
        0
    """
    return purchase_state(orders, now=now, timezone=timezone).summaries(unit)


@attrs.frozen(kw_only=True)
class HoldoutSummary:
    """A customer's calibration summary and what they bought in the holdout period after it.

    Args:
        calibration: The summary up to the split.
        purchases: Distinct purchase days in the holdout period.
        spend: Total spend in the holdout period.
        length: Length of the holdout period, in the calibration summary's unit.

    Example:
        >>> c = CustomerSummary(customer_id="a", x=0, t_x=0, T=3, unit="week")
        >>> HoldoutSummary(calibration=c, purchases=1, spend=Decimal(9), length=2.0).purchases
        1
    """

    calibration: CustomerSummary
    purchases: int
    spend: Decimal
    length: float


def calibration_holdout(
    orders: Iterable[Order],
    *,
    split: datetime,
    now: datetime,
    unit: TimeUnit | str = TimeUnit.DAY,
    timezone: str = "UTC",
) -> tuple[HoldoutSummary, ...]:
    """Split the orders at ``split``: summaries of ``[.., split)`` and purchases in ``[split, now)``.

    Only customers who bought before ``split`` appear (the models predict existing customers).

    Args:
        orders: The orders.
        split: End of the calibration period and start of the holdout (an instant).
        now: End of the holdout period (exclusive).
        unit: The unit of the summaries and of ``length``.
        timezone: The IANA zone whose calendar days are counted.

    Raises:
        InvalidValueError: If ``now`` is not after ``split``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Order
        >>> d = lambda m, day: datetime(2026, m, day, tzinfo=timezone.utc)
        >>> orders = [Order(id="1", customer_id="a", at=d(1, 1), amount=10),
        ...           Order(id="2", customer_id="a", at=d(2, 3), amount=20),
        ...           Order(id="3", customer_id="b", at=d(2, 4), amount=30)]
        >>> [(h.calibration.customer_id, h.purchases, h.length)
        ...  for h in calibration_holdout(orders, split=d(2, 1), now=d(3, 1))]
        [('a', 1, 28.0)]
    """
    cut = require_aware(split, "calibration_holdout: split")
    stop = require_aware(now, "calibration_holdout: now")
    if stop <= cut:
        raise InvalidValueError(
            f"calibration_holdout: now {stop.isoformat()} must be after split {cut.isoformat()}"
        )
    chosen = _unit(unit)
    listed = list(orders)
    calibration = purchase_state(listed, now=cut, timezone=timezone)
    later = purchase_state((o for o in listed if o.at >= cut), now=stop, timezone=timezone)
    length = (later.end.toordinal() - calibration.end.toordinal()) / chosen.days
    holdout: Mapping[str, _History] = later.days
    out: list[HoldoutSummary] = []
    for summary in calibration.summaries(chosen):
        days = holdout.get(summary.customer_id, ())
        out.append(
            HoldoutSummary(
                calibration=summary,
                purchases=len(days),
                spend=sum((amount for _, amount in days), Decimal(0)),
                length=length,
            )
        )
    return tuple(out)
