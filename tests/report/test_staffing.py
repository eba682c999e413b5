"""The report's staffing plan: the numbers are cs8.staffing's, in every format and language."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest

from cs8.datasets import SampleShop
from cs8.exceptions import InvalidValueError
from cs8.kpi import average_handle_time
from cs8.report import ServiceData, ServiceReport, build_report
from cs8.report import _staffing as staffing_module
from cs8.report._config import parse_config
from cs8.report._scorecard import live_contacts
from cs8.report._staffing import StaffingOptions, default_shifts, parse_staffing
from cs8.staffing import (
    ShiftTemplate,
    arrivals_per_interval,
    forecast_arrivals,
    plan_shifts,
    staffing_plan,
)

pytest.importorskip("numpy", reason="the staffing plan forecasts with numpy")


@pytest.fixture(scope="module")
def report(small: SampleShop) -> ServiceReport:
    return build_report(ServiceData.from_shop(small))


def test_required_agents_are_the_channels_staffing_plans_added(
    small: SampleShop, report: ServiceReport
) -> None:
    """Recompute the section from cs8.staffing directly: forecast, Erlang C per channel, sum."""
    data = ServiceData.from_shop(small)
    calendar = data.calendar()
    live = live_contacts(list(data.interactions))
    half_hour = timedelta(minutes=30)
    total: list[int] | None = None
    for channel, concurrency in (("phone", 1), ("chat", 2)):
        contacts = [i for i in live if i.channel.value == channel]
        answered = [i for i in contacts if i.answered_at is not None]
        aht = average_handle_time(answered).mean
        assert aht is not None
        history = arrivals_per_interval(contacts, interval=half_hour, calendar=calendar)
        last = history.days[-1]
        forecast = forecast_arrivals(
            history,
            interval=half_hour,
            calendar=calendar,
            start=last + timedelta(days=7 - last.weekday()),
        )
        plan = staffing_plan(
            forecast,
            aht=aht,
            target_answer_time=timedelta(seconds=20),
            service_level=0.8,
            shrinkage=0.3,
            concurrency=concurrency,
        )
        scheduled = list(plan.scheduled)
        total = (
            scheduled if total is None else [a + b for a, b in zip(total, scheduled, strict=True)]
        )
    section = report.staffing_plan
    assert section is not None
    assert total is not None
    assert [v for row in section.required.values for v in row] == total
    assert section.days[0].weekday() == 0
    assert len(section.days) == 7
    assert section.required.columns[1] == time(0, 30)
    assert len(section.required.columns) == 48


def test_coverage_under_and_over_are_the_shift_plans(report: ServiceReport) -> None:
    section = report.staffing_plan
    assert section is not None
    rows = [[int(v or 0) for v in row] for row in section.required.values]
    shifts = plan_shifts(
        rows, shifts=default_shifts(), interval=timedelta(minutes=30), start=section.days[0]
    )
    assert section.coverage.values == shifts.coverage
    assert section.cost == shifts.cost
    for day, under, over in zip(section.per_day, shifts.under, shifts.over, strict=True):
        assert day.under == sum(under) / 2
        assert day.over == sum(over) / 2
    assert sum(sum(s.counts) for s in section.shifts) == sum(a.count for a in shifts.assignments)
    assert section.gap <= 0.05


def test_every_format_and_language_shows_the_plan(report: ServiceReport) -> None:
    html = report.to_html(lang="vi")
    assert "Kế hoạch nhân sự tuần bắt đầu" in html
    assert "Số nhân viên cần mỗi khoảng" in html
    assert "Agents on shift per interval (plan)" in report.to_html()
    markdown = report.to_markdown()
    assert "Required / on shift per interval" in markdown
    assert "| 12:00 |" in markdown
    assert "Staffing plan for the week of" in report.to_text()
    data = json.loads(report.to_json())["staffing_plan"]
    assert data["required"]["columns"][:2] == ["00:00", "00:30"]
    assert data["required"]["rows"][0] == report.staffing_plan.days[0].isoformat()  # type: ignore[union-attr]
    assert data["gap"] == report.staffing_plan.gap  # type: ignore[union-attr]


def test_the_config_sets_the_shift_templates(small: SampleShop) -> None:
    config = parse_config(
        {
            "staffing": {
                "interval": 60,
                "channels": ["phone"],
                "shifts": [
                    {"name": "day", "start": "07:00", "length": "PT9H", "breaks": [["PT4H", 1800]]},
                    {"name": "evening", "start": "14:00", "length": 28800, "cost": 10},
                ],
            }
        }
    )
    report = build_report(ServiceData.from_shop(small), staffing=config.staffing)
    section = report.staffing_plan
    assert section is not None
    assert {s.shift for s in section.shifts} <= {"day", "evening"}
    assert [c.channel for c in section.channels] == ["phone"]
    assert len(section.required.columns) == 24
    assert config.staffing.shifts[0] == ShiftTemplate(
        name="day",
        start=time(7),
        length=timedelta(hours=9),
        breaks=[(timedelta(hours=4), timedelta(minutes=30))],
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"shift": []}, "unknown key"),
        ({"interval": "30"}, "interval must be whole minutes"),
        ({"channels": ["fax"]}, "channels must be a list"),
        ({"concurrency": {"chat": 0}}, "concurrency must map"),
        ({"shifts": [{"name": "x", "start": "25:00", "length": "PT8H"}]}, r"shifts\[0\]"),
        ({"shifts": [{"name": "x", "start": "08:00", "length": "PT8H", "days": ["xyz"]}]}, "xyz"),
    ],
)
def test_a_bad_staffing_table_is_named(spec: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        parse_staffing(spec, "cs8.toml")


def test_without_numpy_the_section_says_why(
    small: SampleShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staffing_module, "_have_numpy", lambda: False)
    report = build_report(ServiceData.from_shop(small))
    assert report.staffing_plan is None
    assert "No staffing plan: it needs numpy" in report.to_markdown()


def test_too_little_history_gives_no_plan() -> None:
    report = build_report(ServiceData())
    assert report.staffing_plan is None
    assert json.loads(report.to_json())["staffing_plan"] is None


def test_default_options() -> None:
    options = StaffingOptions()
    assert options.concurrency["chat"] == 2
    assert {t.paid_hours() for t in options.shifts} == {7.5, 4.0}
    assert sorted({t.start for t in options.shifts if t.start}) == [time(h) for h in range(24)]
