"""The public names this issue promises (../shared/API.md) and the deprecations of the old ones."""

from __future__ import annotations

import importlib
import warnings

import pytest

import cs8.kpi
import cs8.stats
import cs8.surveys
from cs8.kpi import Kpi, TicketMetrics, ticket_metrics, touch_rate

PROMISED_KPI = ["ticket_metrics", "TicketMetrics", "touch_rate", "first_reply_time", "nps", "csat"]
PROMISED_STATS = [
    "normal_quantile",
    "t_quantile",
    "f_quantile",
    "beta_quantile",
    "wilson_interval",
    "adjusted_wald_interval",
    "paired_t_test",
    "wilcoxon_signed_rank",
    "bootstrap_ci",
    "QuantileSketch",
    "type7_quantile",
]


@pytest.mark.parametrize("name", PROMISED_KPI)
def test_kpi_name_exists(name: str) -> None:
    assert name in cs8.kpi.__all__


@pytest.mark.parametrize("name", PROMISED_STATS)
def test_stats_name_exists(name: str) -> None:
    assert name in cs8.stats.__all__


def test_kpi_has_at_most_70_public_names() -> None:
    public = [n for n in dir(cs8.kpi) if not n.startswith("_")]
    assert len(cs8.kpi.__all__) <= 70
    assert sorted(public) == sorted(cs8.kpi.__all__)


def test_every_state_kpi_is_one_object_with_state() -> None:
    assert isinstance(touch_rate, Kpi)
    assert isinstance(ticket_metrics([]), TicketMetrics)


OLD_NAMES = {
    "cs8.kpi": [
        "first_reply_time_state",
        "volume_state",
        "churn_state",
        "order_value_state",
        "reopen_rate_frame",
        "ticket_summary_frame",
        "breakdown_frame",
        "churn_rate",
        "MoneyState",
        "t_quantile",
        "wilson_interval",
        "QuantileSketch",
        "Score",
        "ChurnBy",
    ],
    "cs8.surveys": ["t_ppf", "t_cdf", "paired_t_test", "bootstrap_ci", "PairedTest"],
}


@pytest.mark.parametrize(
    ("module", "name"), [(m, n) for m, names in OLD_NAMES.items() for n in names]
)
def test_old_name_still_works_with_a_deprecation_warning(module: str, name: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = getattr(importlib.import_module(module), name)
    assert value is not None
    assert [w.category for w in caught] == [DeprecationWarning]


def test_state_twin_alias_is_the_kpi_state() -> None:
    with pytest.warns(DeprecationWarning, match=r"first_reply_time\.state"):
        twin = cs8.kpi.first_reply_time_state  # type: ignore[attr-defined]
    assert twin([]) == cs8.kpi.first_reply_time.state([])


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        cs8.kpi.no_such_kpi  # type: ignore[attr-defined]
