"""Type-checked in CI: cs8.desk and cs8.serialization used as a service would (also run by pytest)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cs8 import Agent, Channel, Message, StatusChange, Ticket
from cs8.desk import AlarmKind, Desk, DeskAlarm
from cs8.routing import AgentPool, ChannelWeights, Router, RoutingDecision
from cs8.serialization import from_json, to_json
from cs8.sla import SlaPolicy, SlaResult, SlaTarget

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def main() -> None:
    policy = SlaPolicy(
        name="p",
        targets=[SlaTarget(metric="first_reply", within=timedelta(hours=1), business_hours=False)],
    )
    router = Router(weights=ChannelWeights(fills=(), blocking={"phone"}))
    agent = Agent(
        id="a1", capacity_by_channel={"phone": 1, "email": 10}, channels={"phone", "email"}
    )
    desk = Desk(policy=policy, router=router, agents=[agent], now=T0)
    decision: RoutingDecision = desk.open(
        Ticket(id="T1", customer_id="C1", channel="email", created_at=T0)
    )
    assert decision.agent_id == "a1"
    desk.record("T1", Message(at=T0 + timedelta(minutes=1), author="customer", id="hook-1"))
    due: tuple[SlaResult, ...] = desk.due_within(timedelta(hours=2))
    assert [r.ticket_id for r in due] == ["T1"]
    wake: datetime | None = desk.next_wakeup()
    assert wake == T0 + timedelta(hours=1)
    alarms: tuple[DeskAlarm, ...] = desk.alarms(now=T0 + timedelta(hours=2))
    assert [a.kind for a in alarms] == [AlarmKind.BREACH]
    loads: int = desk.loads["a1"][Channel.EMAIL]
    assert loads == 1
    desk.record("T1", StatusChange(at=T0 + timedelta(hours=2), status="solved"))
    desk.set_agent(Agent(id="a2"))
    desk.remove_agent("a2")
    again = Desk.restore(json.loads(json.dumps(desk.snapshot())), policy=policy, router=router)
    assert again.snapshot() == desk.snapshot()
    pool = AgentPool([agent], weights=router.weights)
    assert from_json(to_json(pool), AgentPool).agents == pool.agents
    assert from_json(to_json(router), Router) == router


if __name__ == "__main__":
    main()
