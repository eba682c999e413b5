"""The example service of the guide (docs/examples/desk_service.py), started on 127.0.0.1 and
driven over HTTP. Skipped when fastapi, uvicorn or httpx are not installed (the dev group has
them)."""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cs8 import Agent

pytest.importorskip("fastapi", reason="the example service needs fastapi (dev group)")
pytest.importorskip("uvicorn", reason="the example service needs uvicorn (dev group)")
httpx = pytest.importorskip("httpx", reason="the HTTP test needs httpx (dev group)")

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "desk_service.py"
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("desk_service_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class Clock:
    """The service's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(app: Any) -> Iterator[str]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:  # pragma: no cover - a broken start
            raise RuntimeError("the example service did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def ticket(tid: str, at: datetime) -> dict[str, Any]:
    return {"id": tid, "customer_id": "C1", "channel": "email", "created_at": at.isoformat()}


def test_the_example_service_routes_keeps_clocks_and_restarts(tmp_path: Path) -> None:
    example = load_example()
    clock = Clock()
    agents = [Agent(id="ana", channels={"email"}, capacity_by_channel={"email": 1})]
    service = example.DeskService(tmp_path / "desk.db", agents=agents, clock=clock)
    for base in serve(example.create_app(service)):
        with httpx.Client(base_url=base, timeout=10) as http:
            assert http.post("/tickets", json=ticket("T1", T0)).json()["agent_id"] == "ana"
            assert http.post("/tickets", json=ticket("T2", T0)).json()["agent_id"] is None
            clock.now = T0 + timedelta(minutes=5)
            solved = {
                "type": "status_change",
                "at": clock.now.isoformat(),
                "status": "solved",
                "id": "hook-1",
            }
            for _ in range(2):  # the webhook is delivered twice
                assert http.post("/tickets/T1/events", json=solved).status_code == 200
            assert http.get("/tickets/T2").json()["events"][-1]["agent_id"] == "ana"
            assert http.get("/loads").json() == {"ana": {"email": 1}}
            due = http.get("/due", params={"minutes": 120}).json()
            assert (due[0]["ticket_id"], due[0]["metric"]) == ("T2", "first_reply")
            assert due[0]["due_at"] == (T0 + timedelta(hours=1)).isoformat()
            assert http.post("/snapshots").json()["seq"] == 4
            clock.now = T0 + timedelta(minutes=10)
            reply = {
                "type": "message",
                "at": clock.now.isoformat(),
                "author": "agent",
                "id": "hook-2",
            }
            assert http.post("/tickets/T2/events", json=reply).status_code == 200
            clock.now = T0 + timedelta(minutes=50)
            alarms = http.post("/alarms").json()
            assert alarms == []  # T2 was answered in time; T1 was solved
            assert http.get("/tickets/T9").status_code == 404
            bad = {"type": "message", "at": "yesterday"}
            assert http.post("/tickets/T2/events", json=bad).status_code == 422
            assert http.put("/agents/bao", json={"channels": ["email"]}).status_code == 200
    before = service.desk.snapshot()
    service.close()

    restarted = example.DeskService(tmp_path / "desk.db", clock=clock)
    assert restarted.desk.snapshot() == before
    restarted.close()
