"""Offers mode (Twilio TaskRouter reservations, Zendesk omnichannel offers): a routed ticket is
offered to an agent, who accepts or rejects; no answer in time moves it to the next agent."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Agent, Channel, InvalidValueError, StatusChange, Ticket
from cs8.desk import Desk
from cs8.routing import Router
from cs8.sla import SlaPolicy, SlaTarget

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
M = timedelta(minutes=1)
POLICY = SlaPolicy(
    name="p", targets=[SlaTarget(metric="first_reply", within=60 * M, business_hours=False)]
)


def offers_desk(*ids: str) -> Desk:
    agents = [Agent(id=i, capacity_by_channel={"email": 1}) for i in ids]
    return Desk(policy=POLICY, router=Router(), agents=agents, now=T0, offer_timeout=2 * M)


def ticket(tid: str) -> Ticket:
    return Ticket(id=tid, customer_id="C", channel="email", created_at=T0)


def test_a_routed_ticket_is_offered_and_assigned_on_accept() -> None:
    desk = offers_desk("a1")
    assert desk.open(ticket("T1")).agent_id == "a1"
    assert desk.offers == {"T1": "a1"}
    assert desk.ticket("T1").assignee is None
    assert desk.loads["a1"] == {Channel.EMAIL: 1}  # the offer reserves the capacity
    desk.accept("T1", "a1", now=T0 + M)
    assert desk.offers == {}
    assert desk.ticket("T1").assignee == "a1"
    assert desk.reservations == {"T1": "a1"}


def test_a_rejected_offer_goes_to_the_next_agent() -> None:
    desk = offers_desk("a1", "a2")
    desk.open(ticket("T1"))
    first = desk.offers["T1"]
    desk.reject("T1", first, now=T0 + M)
    assert desk.offers == {"T1": "a2" if first == "a1" else "a1"}


def test_an_offer_not_answered_in_time_moves_on() -> None:
    desk = offers_desk("a1", "a2")
    desk.open(ticket("T1"))
    assert desk.next_wakeup() == T0 + 2 * M
    assert desk.expire_offers(now=T0 + M) == ()
    assert desk.expire_offers(now=T0 + 2 * M) == ("T1",)
    assert desk.offers == {"T1": "a2"}


def test_when_everyone_declined_the_declines_are_forgotten_and_it_is_offered_again() -> None:
    desk = offers_desk("a1")
    desk.open(ticket("T1"))
    desk.reject("T1", "a1", now=T0 + M)
    assert desk.offers == {"T1": "a1"}  # nobody else: offered again, the declines forgotten
    desk.open(ticket("T2"))
    desk.accept("T1", "a1")
    assert desk.waiting == ("T2",)
    desk.record("T1", StatusChange(at=T0 + 3 * M, status="solved"))
    assert desk.offers == {"T2": "a1"}


def test_only_the_offered_agent_can_answer() -> None:
    desk = offers_desk("a1", "a2")
    desk.open(ticket("T1"))
    other = "a2" if desk.offers["T1"] == "a1" else "a1"
    with pytest.raises(InvalidValueError, match="not offered"):
        desk.accept("T1", other)


def test_offers_survive_a_snapshot() -> None:
    desk = offers_desk("a1", "a2")
    desk.open(ticket("T1"))
    desk.reject("T1", desk.offers["T1"], now=T0 + M)
    data = json.loads(json.dumps(desk.snapshot()))
    again = Desk.restore(data, policy=POLICY, router=Router(), offer_timeout=2 * M)
    assert again.snapshot() == desk.snapshot()
    assert again.offers == desk.offers
