"""The cs8.staffing names ../shared/API.md promises exist, with the parameters and defaults it names."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pytest

import cs8.kpi
import cs8.staffing

PROMISED = [
    "forecast_arrivals",
    "ArrivalForecast",
    "staffing_plan",
    "StaffingPlan",
    "plan_shifts",
    "ShiftPlan",
    "required_agents",
    "erlang_c",
    "Staffing",
]


@pytest.mark.parametrize("name", PROMISED)
def test_promised_name_is_public(name: str) -> None:
    assert name in cs8.staffing.__all__
    assert hasattr(cs8.staffing, name)


def test_kpi_keeps_the_staffing_names_as_the_same_objects() -> None:
    for name in ("erlang_a", "erlang_b", "erlang_c", "erlang_c_probability", "required_agents"):
        assert getattr(cs8.kpi, name) is getattr(cs8.staffing, name)
    assert (cs8.kpi.Staffing, cs8.kpi.ErlangA) == (cs8.staffing.Staffing, cs8.staffing.ErlangA)


def test_signatures_and_defaults_match_api_md() -> None:
    forecast = inspect.signature(cs8.staffing.forecast_arrivals).parameters
    assert (forecast["interval"].default, forecast["horizon"].default) == (
        timedelta(minutes=30),
        timedelta(days=7),
    )
    assert (forecast["calendar"].default, forecast["holidays"].default) == (None, ())
    plan = inspect.signature(cs8.staffing.staffing_plan).parameters
    assert (plan["service_level"].default, plan["patience"].default) == (0.8, None)
    assert (plan["concurrency"].default, plan["shrinkage"].default) == (1, 0.0)
    assert {"aht", "target_answer_time"} <= set(plan)
    shifts = inspect.signature(cs8.staffing.plan_shifts).parameters
    assert (shifts["cost"].default, "shifts" in shifts) == (None, True)
    agents = inspect.signature(cs8.staffing.required_agents).parameters
    for name in ("asa_target", "max_abandonment", "max_blocking", "target_answer_time"):
        assert agents[name].default is None
    assert {"intervals", "expected", "low", "high"} <= set(dir(cs8.staffing.ArrivalForecast))
    assert {"assignments", "coverage", "gap"} <= {
        a.name for a in cs8.staffing.ShiftPlan.__attrs_attrs__
    }
