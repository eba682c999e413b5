"""The TOML configuration: calendar, SLA policy, targets and reader options; clear errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cs8 import Priority
from cs8.exceptions import InvalidValueError
from cs8.report._config import load_config

CONFIG = """
[input]
timezone = "Asia/Ho_Chi_Minh"
[input.tickets]
columns = {id = "Ticket ID"}

[calendar]
timezone = "Asia/Ho_Chi_Minh"
holidays = ["2026-09-07"]
[calendar.hours]
mon = [["08:00", "12:00"], ["13:30", "17:30"]]

[sla]
name = "shop"
[[sla.targets]]
metric = "first_reply"
within = "PT2H"
priority = ["high"]

[scorecard]
csat = 0.9
answer_within = 30
"""


def test_config_builds_calendar_policy_and_targets(tmp_path: Path) -> None:
    path = tmp_path / "cs8.toml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path)
    assert config.calendar is not None
    assert config.policy is not None
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    holiday, next_monday = (
        datetime(2026, 9, 7, 9, tzinfo=zone),
        datetime(2026, 9, 14, 9, tzinfo=zone),
    )
    assert (config.calendar.is_open(holiday), config.calendar.is_open(next_monday)) == (False, True)
    target = config.policy.targets[0]
    assert (target.within, target.priority) == (timedelta(hours=2), frozenset({Priority.HIGH}))
    assert (config.targets.csat, config.targets.answer_within) == (0.9, timedelta(seconds=30))
    roles = frozenset({"tickets"})
    assert config.reader_options("tickets", roles) == {
        "timezone": "Asia/Ho_Chi_Minh",
        "columns": {"id": "Ticket ID"},
    }


def test_bad_target_names_the_file_and_the_section(tmp_path: Path) -> None:
    path = tmp_path / "cs8.toml"
    path.write_text('[[sla.targets]]\nmetric = "first_reply"\nwithin = "soon"\n', encoding="utf-8")
    with pytest.raises(InvalidValueError, match=r"cs8.toml: \[sla\] .*targets\[0\]\.within"):
        load_config(path)


def test_unknown_section_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cs8.toml"
    path.write_text("[calender]\n", encoding="utf-8")
    with pytest.raises(InvalidValueError, match="unknown section"):
        load_config(path)


def test_invalid_toml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cs8.toml"
    path.write_text("[sla\n", encoding="utf-8")
    with pytest.raises(InvalidValueError, match="not valid TOML"):
        load_config(path)
