"""Type-checked in CI: cs8.customers used as a user would write it (also run by pytest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cs8 import Order
from cs8.customers import (
    BgNbd,
    CustomerSummary,
    Funnel,
    GammaGamma,
    PurchaseDue,
    RfmSegment,
    SummaryTable,
    customer_lifetime_value,
    journey_funnel,
    next_purchase_due,
    purchase_summary,
    rfm_segments,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def main() -> None:
    orders = [
        Order(id=f"{c}{k}", customer_id=c, at=T0 + timedelta(days=k * gap), amount=100)
        for c, gap in (("a", 7), ("b", 12), ("c", 30))
        for k in range(4)
    ]
    now = T0 + timedelta(days=120)
    rows: tuple[CustomerSummary, ...] = purchase_summary(orders, now=now, unit="week")
    model = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week")
    alive: float = model.p_alive(rows[0])
    ahead: float = model.expected_purchases(rows[0], timedelta(weeks=4))
    table = SummaryTable.of(rows)
    spend = GammaGamma(p=6.25, q=3.74, v=15.44)
    value = customer_lifetime_value(
        table, transactions=model, spend=spend, horizon=timedelta(days=90), discount_rate=0.01
    )
    due: tuple[PurchaseDue, ...] = next_purchase_due(orders, now=now)
    segments: tuple[RfmSegment, ...] = rfm_segments(orders, now=now)
    funnel: Funnel = journey_funnel(orders=orders)
    assert 0 < alive <= 1
    assert ahead >= 0
    assert len(value) == len(rows) == len(due) == len(segments) == 3
    assert funnel.customers == 3
