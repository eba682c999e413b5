"""RFM: recency, frequency and monetary scores 1-5, the named segments of R's rfm package.

Per customer (as R's ``rfm_table_order``): recency is the days from the last order to the analysis
day, frequency the number of orders, monetary the total amount. Each is scored 1-5 by quintile of
the customers' ranks (5 = most recent, most frequent, highest spend); customers with equal values
share a score (the lowest rank of the tie decides). The segments are those of the example of R
rfm's ``rfm_segment`` (``R/rfm-segment.R``): ten named ranges of (R, F, M) scores, the first range
that holds a customer's scores names them, and "Others" takes the rest.

Each segment also maps to cs8's :class:`~cs8.CustomerSegment`: no order makes a prospect, one
order a one-time buyer; repeat buyers are VIP when their segment is Champions or Can't Lose Them
(the most valuable, whether still active or slipping away) and repeat otherwise.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Customer, Order
    >>> now = datetime(2026, 7, 1, tzinfo=timezone.utc)
    >>> orders = [Order(id=f"{c}{k}", customer_id=c, at=now - timedelta(days=ago + 30 * k),
    ...                 amount=amount) for c, ago, n, amount in
    ...           [("a", 2, 6, 900), ("b", 200, 5, 800), ("c", 10, 1, 50), ("d", 90, 2, 100),
    ...            ("e", 40, 3, 300)] for k in range(n)]
    >>> for s in rfm_segments(orders, now=now, customers=[Customer(id="p")]):
    ...     print(s.customer_id, s.score, s.segment, "|", s.label("vi"), "|", s.cs8_segment.value)
    a 555 Champions | Nhà vô địch | vip
    b 144 Can't Lose Them | Không thể để mất | vip
    c 411 New Customers | Khách hàng mới | one_time
    d 222 Loyal Customers | Khách hàng trung thành | repeat
    e 333 Potential Loyalist | Có thể trung thành | repeat
    p None Prospect | Khách hàng tiềm năng | prospect
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

import attrs

from cs8._enums import CustomerSegment
from cs8._models import Customer, Order
from cs8._time import require_aware
from cs8.customers._summary import _local_day, _zone, one_currency
from cs8.exceptions import InvalidValueError

__all__ = ["RFM_SEGMENTS", "RfmRule", "RfmSegment", "rfm_segments"]


@attrs.frozen(kw_only=True)
class RfmRule:
    """A named segment: the ranges of R, F and M scores it holds (both ends included).

    Example:
        >>> RFM_SEGMENTS[0].holds(5, 5, 5), RFM_SEGMENTS[0].holds(4, 5, 5)
        (True, False)
    """

    name: str
    vi: str
    recency: tuple[int, int]
    frequency: tuple[int, int]
    monetary: tuple[int, int]

    def holds(self, r: int, f: int, m: int) -> bool:
        """Whether the scores fall in every range (see the class example)."""
        return (
            self.recency[0] <= r <= self.recency[1]
            and self.frequency[0] <= f <= self.frequency[1]
            and self.monetary[0] <= m <= self.monetary[1]
        )


def _rule(
    name: str, vi: str, r: tuple[int, int], f: tuple[int, int], m: tuple[int, int]
) -> RfmRule:
    return RfmRule(name=name, vi=vi, recency=r, frequency=f, monetary=m)


# R rfm (rsquaredacademy/rfm), R/rfm-segment.R, the example of rfm_segment(): segment_names with
# recency_lower/upper, frequency_lower/upper and monetary_lower/upper, in this order; rfm_segment
# gives each customer the first segment whose ranges hold their scores.
RFM_SEGMENTS: tuple[RfmRule, ...] = (
    _rule("Champions", "Nhà vô địch", (5, 5), (5, 5), (5, 5)),
    _rule("Potential Loyalist", "Có thể trung thành", (3, 5), (3, 5), (2, 5)),
    _rule("Loyal Customers", "Khách hàng trung thành", (2, 4), (2, 4), (2, 4)),
    _rule("Promising", "Đầy hứa hẹn", (3, 4), (1, 3), (3, 5)),
    _rule("New Customers", "Khách hàng mới", (4, 5), (1, 3), (1, 5)),
    _rule("Can't Lose Them", "Không thể để mất", (1, 2), (3, 4), (4, 5)),
    _rule("At Risk", "Có nguy cơ rời bỏ", (1, 2), (2, 5), (4, 5)),
    _rule("Need Attention", "Cần quan tâm", (1, 3), (3, 5), (3, 5)),
    _rule("About To Sleep", "Sắp ngủ quên", (2, 3), (1, 3), (1, 4)),
    _rule("Lost", "Đã mất", (1, 1), (1, 5), (1, 5)),
)
"""The segments of R rfm's ``rfm_segment`` example, with Vietnamese names."""

_OTHERS = ("Others", "Khác")
_PROSPECT = ("Prospect", "Khách hàng tiềm năng")
_VIP_SEGMENTS = frozenset({"Champions", "Can't Lose Them"})


@attrs.frozen(kw_only=True)
class RfmSegment:
    """A customer's RFM facts, scores and segment.

    Args:
        customer_id: The customer.
        recency_days: Days from the last order to the analysis day (``None`` without orders).
        frequency: Orders.
        monetary: Total amount of the orders.
        r: Recency score 1-5 (5 = most recent); ``None`` without orders.
        f: Frequency score 1-5.
        m: Monetary score 1-5.
        segment: The English segment name (R rfm's), "Others" or "Prospect".
        segment_vi: The Vietnamese segment name.
        cs8_segment: The matching :class:`~cs8.CustomerSegment`.

    Example:
        >>> s = RfmSegment(customer_id="a", recency_days=3, frequency=4, monetary=Decimal(900),
        ...                r=5, f=5, m=4, segment="Champions", segment_vi="Nhà vô địch",
        ...                cs8_segment=CustomerSegment.VIP)
        >>> s.score, s.label("vi")
        ('554', 'Nhà vô địch')
    """

    customer_id: str
    recency_days: int | None
    frequency: int
    monetary: Decimal
    r: int | None
    f: int | None
    m: int | None
    segment: str
    segment_vi: str
    cs8_segment: CustomerSegment

    @property
    def score(self) -> str | None:
        """The three scores as R rfm's ``rfm_score`` digits (``"545"``), ``None`` without orders."""
        if self.r is None:
            return None
        return f"{self.r}{self.f}{self.m}"

    def label(self, language: Literal["en", "vi"] = "en") -> str:
        """Return the segment name in English (``"en"``) or Vietnamese (``"vi"``).

        Raises:
            InvalidValueError: For another language.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Customer
            >>> (p,) = rfm_segments([], now=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...                     customers=[Customer(id="p")])
            >>> p.label("en"), p.label("vi")
            ('Prospect', 'Khách hàng tiềm năng')
        """
        if language == "en":
            return self.segment
        if language == "vi":
            return self.segment_vi
        raise InvalidValueError(
            f"RfmSegment.label: language must be 'en' or 'vi', got {language!r}"
        )


def _quintiles(values: Sequence[float]) -> list[int]:
    """Score 1-5 by rank: score = 1 + floor(5 * (lowest rank of the tie - 1) / n)."""
    n = len(values)
    order = sorted(range(n), key=lambda i: values[i])
    scores = [0] * n
    first_rank = 0
    for position, i in enumerate(order):
        if position == 0 or values[i] != values[order[position - 1]]:
            first_rank = position
        scores[i] = 1 + (5 * first_rank) // n
    return scores


def rfm_segments(
    orders: Iterable[Order],
    *,
    now: datetime,
    customers: Iterable[Customer] = (),
    rules: Sequence[RfmRule] = RFM_SEGMENTS,
    timezone: str = "UTC",
) -> tuple[RfmSegment, ...]:
    """Return each customer's recency, frequency and monetary scores and named segment.

    Orders at or after ``now`` and refunds (negative amounts) are left out. Customers given in
    ``customers`` without an order are prospects. The result is sorted by customer id.

    Args:
        orders: The orders (one currency).
        now: The analysis instant; recency counts local days from the last order to the day of
            the instant just before it (R rfm's ``analysis_date``).
        customers: Customers to include even without orders (as prospects).
        rules: The named segments, tried in order (R rfm's example by default).
        timezone: The IANA zone whose calendar days are counted.

    Raises:
        InvalidValueError: If the orders mix currencies.

    Example:
        >>> from datetime import datetime, timezone
        >>> rfm_segments([], now=datetime(2026, 1, 1, tzinfo=timezone.utc))
        ()
    """
    instant = require_aware(now, "rfm_segments: now")
    zone = _zone(timezone)
    today = (instant - timedelta(microseconds=1)).astimezone(zone).date().toordinal()
    last: dict[str, int] = {}
    count: dict[str, int] = {}
    total: dict[str, Decimal] = {}
    currency: str | None = None
    for order in orders:
        if order.at >= instant or order.amount < 0:
            continue
        currency = one_currency(order, currency, "rfm_segments")
        cid = order.customer_id
        day = _local_day(order.at, zone)
        last[cid] = max(last.get(cid, day), day)
        count[cid] = count.get(cid, 0) + 1
        total[cid] = total.get(cid, Decimal(0)) + order.amount
    ids = sorted(count)
    recency = [today - last[c] for c in ids]
    r_scores = _quintiles([-d for d in recency])
    f_scores = _quintiles([count[c] for c in ids])
    m_scores = _quintiles([float(total[c]) for c in ids])
    out: dict[str, RfmSegment] = {}
    for i, cid in enumerate(ids):
        r, f, m = r_scores[i], f_scores[i], m_scores[i]
        rule = next((rule for rule in rules if rule.holds(r, f, m)), None)
        name, vi = (rule.name, rule.vi) if rule is not None else _OTHERS
        if count[cid] == 1:
            kind = CustomerSegment.ONE_TIME
        elif name in _VIP_SEGMENTS:
            kind = CustomerSegment.VIP
        else:
            kind = CustomerSegment.REPEAT
        out[cid] = RfmSegment(
            customer_id=cid,
            recency_days=recency[i],
            frequency=count[cid],
            monetary=total[cid],
            r=r,
            f=f,
            m=m,
            segment=name,
            segment_vi=vi,
            cs8_segment=kind,
        )
    for customer in customers:
        if customer.id not in out:
            out[customer.id] = RfmSegment(
                customer_id=customer.id,
                recency_days=None,
                frequency=0,
                monetary=Decimal(0),
                r=None,
                f=None,
                m=None,
                segment=_PROSPECT[0],
                segment_vi=_PROSPECT[1],
                cs8_segment=CustomerSegment.PROSPECT,
            )
    return tuple(out[c] for c in sorted(out))
