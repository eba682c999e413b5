"""The names ../shared/API.md promises in section cs8.customers exist, with the promised shapes."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest

import cs8.customers as cu

PROMISED = [
    "purchase_summary", "CustomerSummary", "fit_bgnbd", "BgNbd", "fit_pareto_nbd", "ParetoNbd",
    "fit_gamma_gamma", "GammaGamma", "next_purchase_due", "PurchaseDue", "rfm_segments",
    "RfmSegment", "journey_funnel", "Funnel", "affected_customers",
]  # fmt: skip


@pytest.mark.parametrize("name", PROMISED)
def test_promised_name_is_public(name: str) -> None:
    assert name in cu.__all__
    assert getattr(cu, name) is not None


def test_all_is_sorted_constants_first() -> None:
    assert list(cu.__all__) == sorted(cu.__all__, key=lambda n: (not n.isupper(), n))


@pytest.mark.parametrize(
    ("function", "keywords"),
    [
        (cu.purchase_summary, {"now", "unit"}),
        (cu.next_purchase_due, {"now"}),
        (cu.rfm_segments, {"now"}),
        (cu.journey_funnel, {"tickets", "orders", "stages"}),
        (cu.affected_customers, {"orders", "tickets", "incident"}),
    ],
)
def test_promised_keywords(function: object, keywords: set[str]) -> None:
    assert keywords <= set(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_promised_fields() -> None:
    fields = {f.name for f in cu.CustomerSummary.__attrs_attrs__}
    assert {"x", "t_x", "T", "mean_spend"} <= fields
    due = {f.name for f in cu.PurchaseDue.__attrs_attrs__}
    assert {"customer_id", "due", "low", "high"} <= due
    assert {"entered", "completed", "dropped", "median_time"} <= {
        f.name for f in cu.FunnelStep.__attrs_attrs__
    }
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert (
        cu.affected_customers(incident=cu.Incident(name="x", start=t, end=t.replace(day=2))) == ()
    )
