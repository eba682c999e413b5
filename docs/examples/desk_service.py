"""An example helpdesk service: FastAPI + SQLite around a :class:`cs8.desk.Desk`.

It routes each ticket on arrival, keeps the SLA clocks and answers "what breaches in the next
hour". Run it with ``uvicorn desk_service:app`` from this folder (``pip install fastapi uvicorn``);
the guide "Running cs8 in a service" (``docs/service.md``) walks through it, and
``tests/desk/test_service.py`` starts it on 127.0.0.1 and drives it over HTTP.

State ownership: the desk lives in this process and only its methods change it. SQLite keeps
what is needed to rebuild it: an append-only inbox of every ticket and event received (written
before the desk sees it), and snapshots of the desk. On start the service restores the latest
snapshot and re-applies the inbox rows after it (event ids make a row applied twice harmless).

Endpoints (JSON as :mod:`cs8.serialization` writes the models):

- ``POST /tickets``: a new ticket; returns the routing decision.
- ``POST /tickets/{ticket_id}/events``: a ticket event (``{"type": "message", ...}``).
- ``GET /tickets/{ticket_id}``: the ticket as the desk holds it.
- ``GET /due?minutes=60``: the running SLA clocks due within the window.
- ``POST /alarms``: the warnings, breaches and escalations passed, each once.
- ``PUT /agents/{agent_id}``, ``DELETE /agents/{agent_id}``: live roster changes.
- ``GET /loads``: each agent's pieces of work per channel.
- ``POST /snapshots``: store a snapshot now (a timer would call it every few minutes).

(No ``from __future__ import annotations`` here: FastAPI reads the endpoints' annotations, which
name ``Body`` from inside :func:`create_app`.)
"""

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from cs8 import Agent, Ticket, TicketEvent
from cs8.desk import Desk
from cs8.routing import ChannelWeights, Router
from cs8.serialization import from_data, to_data
from cs8.sla import SlaPolicy, SlaTarget

SCHEMA = """
create table if not exists inbox (
    seq integer primary key autoincrement,
    kind text not null,          -- 'ticket', 'event', 'agent' or 'remove_agent'
    ticket_id text,
    body text not null,
    received_at text not null
);
create table if not exists snapshots (
    seq integer primary key,     -- the last inbox row the snapshot includes
    body text not null
);
"""


def default_policy() -> SlaPolicy:
    """First reply within 1 hour (chat 10 minutes), resolution within 8 hours."""
    hour = timedelta(hours=1)
    return SlaPolicy(
        name="shop",
        targets=[
            SlaTarget(metric="first_reply", within=hour / 6, channel="chat", business_hours=False),
            SlaTarget(metric="first_reply", within=hour, business_hours=False, warnings=[0.75]),
            SlaTarget(metric="resolution", within=8 * hour, business_hours=False),
        ],
    )


def default_router() -> Router:
    """Least busy, phone calls blocking other work."""
    return Router(explain=False, weights=ChannelWeights(fills=(), blocking={"phone"}))


class DeskService:
    """The desk, its SQLite store, and the steps each endpoint takes.

    One lock orders "write to the inbox, then apply to the desk", so the inbox order is the
    order the desk saw; the desk is thread-safe on its own, the lock is for the log.
    """

    def __init__(
        self,
        db_path: str | Path,
        *,
        agents: Iterable[Agent] = (),
        policy: SlaPolicy | None = None,
        router: Router | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.policy = policy or default_policy()
        self.router = router or default_router()
        self.clock = clock
        self.lock = threading.Lock()
        self.db = sqlite3.connect(str(db_path), check_same_thread=False)
        self.db.executescript(SCHEMA)
        self.desk = self._recover(list(agents))

    # ---------------------------------------------------------------- recovery

    def _recover(self, agents: list[Agent]) -> Desk:
        """Restore the latest snapshot, then re-apply the inbox rows after it."""
        row = self.db.execute(
            "select seq, body from snapshots order by seq desc limit 1"
        ).fetchone()
        if row is None:
            desk, after = (
                Desk(policy=self.policy, router=self.router, agents=agents, now=self.clock()),
                0,
            )
        else:
            desk = Desk.restore(json.loads(row[1]), policy=self.policy, router=self.router)
            after = row[0]
        rows = self.db.execute(
            "select kind, ticket_id, body, received_at from inbox where seq > ? order by seq",
            (after,),
        )
        for kind, ticket_id, body, received_at in rows.fetchall():
            self._apply(
                desk, kind, ticket_id, json.loads(body), datetime.fromisoformat(received_at)
            )
        return desk

    @staticmethod
    def _apply(desk: Desk, kind: str, ticket_id: str | None, body: Any, now: datetime) -> Any:
        if kind == "ticket":
            return desk.open(from_data(body, Ticket), now=now)
        if kind == "event":
            assert ticket_id is not None
            return desk.record(ticket_id, from_data(body, TicketEvent), now=now)  # type: ignore[arg-type]
        if kind == "agent":
            return desk.set_agent(from_data(body, Agent), now=now)
        return desk.remove_agent(body, now=now)

    def receive(self, kind: str, ticket_id: str | None, body: Any) -> Any:
        """Write a delivery to the inbox, then apply it to the desk (one step under the lock)."""
        now = self.clock()
        with self.lock:
            self.db.execute(
                "insert into inbox (kind, ticket_id, body, received_at) values (?, ?, ?, ?)",
                (kind, ticket_id, json.dumps(body), now.isoformat()),
            )
            self.db.commit()
            return self._apply(self.desk, kind, ticket_id, body, now)

    def snapshot(self) -> int:
        """Store a snapshot of the desk with the inbox row it includes; return that row."""
        with self.lock:
            (seq,) = self.db.execute("select coalesce(max(seq), 0) from inbox").fetchone()
            body = json.dumps(self.desk.snapshot(), allow_nan=False)
            self.db.execute(
                "insert or replace into snapshots (seq, body) values (?, ?)", (seq, body)
            )
            self.db.commit()
            return int(seq)

    def close(self) -> None:
        self.db.close()


def create_app(service: DeskService) -> Any:
    """Build the FastAPI application around ``service`` (FastAPI is imported here, so this module
    imports without it)."""
    from fastapi import Body, FastAPI, HTTPException

    from cs8.exceptions import Cs8Error, UnknownFieldError

    app = FastAPI(title="cs8 desk example")

    def checked(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except UnknownFieldError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        except Cs8Error as exc:  # a cs8 error names the field, the value and the record
            raise HTTPException(status_code=422, detail=str(exc)) from exc

    # Sync endpoints: FastAPI runs them in a thread pool, which the desk's lock makes safe.

    @app.post("/tickets")
    def open_ticket(body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        from_data(body, Ticket)  # reject a malformed ticket before it reaches the inbox
        decision = checked(lambda: service.receive("ticket", body.get("id"), body))
        return {
            "agent_id": decision.agent_id,
            "queue": decision.queue,
            "trace": list(decision.trace),
        }

    @app.post("/tickets/{ticket_id}/events")
    def record_event(ticket_id: str, body: Annotated[dict[str, Any], Body()]) -> dict[str, str]:
        checked(lambda: from_data(body, TicketEvent))  # type: ignore[arg-type]
        checked(lambda: service.desk.ticket(ticket_id))
        checked(lambda: service.receive("event", ticket_id, body))
        return {"status": "recorded"}

    @app.get("/tickets/{ticket_id}")
    def get_ticket(ticket_id: str) -> Any:
        return to_data(checked(lambda: service.desk.ticket(ticket_id)))

    @app.get("/due")
    def due(minutes: float = 60) -> list[dict[str, Any]]:
        results = service.desk.due_within(timedelta(minutes=minutes), now=service.clock())
        return [
            {"ticket_id": r.ticket_id, "metric": r.metric.value, "due_at": r.due_at.isoformat()}
            for r in results
            if r.due_at is not None
        ]

    @app.post("/alarms")
    def alarms() -> list[dict[str, Any]]:
        return [
            {
                "ticket_id": a.ticket_id,
                "metric": a.metric.value,
                "kind": a.kind.value,
                "at": a.at.isoformat(),
                "level": a.level,
            }
            for a in service.desk.alarms(now=service.clock())
        ]

    @app.put("/agents/{agent_id}")
    def put_agent(agent_id: str, body: Annotated[dict[str, Any], Body()]) -> dict[str, str]:
        checked(lambda: from_data({**body, "id": agent_id}, Agent))
        checked(lambda: service.receive("agent", None, {**body, "id": agent_id}))
        return {"status": "set"}

    @app.delete("/agents/{agent_id}")
    def delete_agent(agent_id: str) -> dict[str, str]:
        if agent_id not in {a.id for a in service.desk.agents}:
            raise HTTPException(status_code=404, detail=f"no agent {agent_id!r}")
        checked(lambda: service.receive("remove_agent", None, agent_id))
        return {"status": "removed"}

    @app.get("/loads")
    def loads() -> dict[str, dict[str, int]]:
        return {
            a: {c.value: n for c, n in counts.items()} for a, counts in service.desk.loads.items()
        }

    @app.post("/snapshots")
    def snapshot() -> dict[str, int]:
        return {"seq": service.snapshot()}

    return app


def __getattr__(name: str) -> Any:
    """``uvicorn desk_service:app`` builds the service on first access (a ``desk.db`` file next to
    where it runs, two agents); importing this module builds nothing."""
    if name == "app":
        agents = [
            Agent(
                id="ana",
                channels={"email", "chat", "phone"},
                capacity_by_channel={"phone": 1, "chat": 3, "email": 10},
            ),
            Agent(
                id="bao", channels={"email", "chat"}, capacity_by_channel={"chat": 3, "email": 10}
            ),
        ]
        return create_app(DeskService("desk.db", agents=agents))
    raise AttributeError(name)
