"""The names issue 15 promises (API.md, "SLA, calendar, KPI and staffing definitions") exist."""

from __future__ import annotations

import inspect

import cs8
import cs8.sla
from cs8.sla import BusinessCalendar, SlaCycle, SlaMetric, SlaResult, SlaTarget


def test_handoff_is_a_ticket_event() -> None:
    assert "Handoff" in cs8.__all__


def test_calendar_methods_exist() -> None:
    names = {
        "add_business_days",
        "business_days_between",
        "end_of_business_day",
        "previous_close",
        "previous_open",
        "from_periods",
    }
    assert names <= set(dir(BusinessCalendar))


def test_calendar_takes_rotation_and_clock_arguments() -> None:
    params = inspect.signature(BusinessCalendar).parameters
    assert {"cycle_start", "clock"} <= set(params)


def test_sla_names_exist() -> None:
    target = inspect.signature(SlaTarget).parameters
    assert (
        SlaMetric.GROUP_OWNERSHIP.value,
        {"group", "on_reopen", "reply_clock_start", "condition"} <= set(target),
        "group" in {f.name for f in SlaResult.__attrs_attrs__},
        "group" in {f.name for f in SlaCycle.__attrs_attrs__},
    ) == ("group_ownership", True, True, True)


def test_policy_documents_are_public() -> None:
    assert {"load_policy", "dump_policy", "dumps_policy", "policy_schema", "DatedCalendar"} <= set(
        cs8.sla.__all__
    )
