"""The names API.md promises for the live desk (section "cs8.desk" and "Names for the live desk")."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from cs8 import Agent, Assignment, Message, PriorityChange, StatusChange


def test_desk_names_exist() -> None:
    from cs8.desk import Desk

    for name in (
        "open",
        "record",
        "ticket",
        "due_within",
        "next_wakeup",
        "alarms",
        "set_agent",
        "remove_agent",
        "snapshot",
        "restore",
        "loads",
    ):
        assert hasattr(Desk, name), name
    assert list(inspect.signature(Desk).parameters)[:4] == ["policy", "router", "agents", "now"]


def test_every_ticket_event_takes_an_id() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for cls in (Message, StatusChange, PriorityChange, Assignment):
        assert cls(at=t0, id="hook-1").id == "hook-1"  # type: ignore[operator]


def test_agents_take_capacity_by_channel() -> None:
    agent = Agent(id="a1", capacity_by_channel={"phone": 1, "chat": 3, "email": 10})
    assert sorted(c.value for c in agent.capacity_by_channel) == ["chat", "email", "phone"]
