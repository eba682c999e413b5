"""Customer KPIs: churn and retention, purchases, order and lifetime value, complaints, churn risk.

These KPIs read customers and orders rather than tickets and contacts, so they live in their own
namespace of :mod:`cs8.kpi` (the names were ``cs8.kpi.churn_rate`` ... until 0.x; those still work
for one release with a ``DeprecationWarning``). Periods are half-open, ``[start, end)``; partitions
must hold all of one customer's records (partition by customer id) for merged states to equal the
state of the whole.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Customer
    >>> from cs8.kpi.customers import churn_rate
    >>> jan, feb = (datetime(2026, m, 1, tzinfo=timezone.utc) for m in (1, 2))
    >>> churn_rate([Customer(id="a"), Customer(id="b", churned_at=jan)], start=jan, end=feb).value
    0.5
"""

from cs8.kpi._churn import ChurnRisk, ChurnRiskModel, ComplaintRule, churn_risk, complaint_rate
from cs8.kpi._customers import churn_rate, purchase_frequency, repeat_purchase_rate, retention_rate
from cs8.kpi._revenue import (
    MoneyState,
    MoneyStats,
    PredictiveLtv,
    average_order_value,
    customer_revenue,
    historical_ltv,
    predictive_ltv,
    simple_ltv,
)

__all__ = [
    "ChurnRisk",
    "ChurnRiskModel",
    "ComplaintRule",
    "MoneyState",
    "MoneyStats",
    "PredictiveLtv",
    "average_order_value",
    "churn_rate",
    "churn_risk",
    "complaint_rate",
    "customer_revenue",
    "historical_ltv",
    "predictive_ltv",
    "purchase_frequency",
    "repeat_purchase_rate",
    "retention_rate",
    "simple_ltv",
]
