"""Type-checked in CI with ``mypy --strict``: the public API used as a user would write it.

It is also run by pytest (``test_typing_module_runs``), so it must stay correct at run time too.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import cs8
from cs8 import (
    ActorKind,
    Agent,
    Assignment,
    Channel,
    Customer,
    Interaction,
    Message,
    Priority,
    PriorityChange,
    StatusChange,
    SurveyResponse,
    Ticket,
    TicketStatus,
)
from cs8.datasets import SampleShop, sample_shop
from cs8.io import LoadResult, RejectedRow, read_tickets, write_tickets
from cs8.serialization import from_json, to_json


def build_ticket() -> Ticket:
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    ticket = Ticket(id="T1", customer_id="C1", channel=Channel.EMAIL, created_at=t0)
    events: list[cs8.TicketEvent] = [
        Message(at=t0, author=ActorKind.CUSTOMER),
        Assignment(at=t0 + timedelta(minutes=5), agent_id="a1"),
        Message(at=t0 + timedelta(hours=1), author=ActorKind.AGENT, author_id="a1"),
        PriorityChange(at=t0 + timedelta(hours=1), priority=Priority.HIGH),
        StatusChange(at=t0 + timedelta(hours=2), status=TicketStatus.SOLVED),
    ]
    return ticket.with_events(events)


def facts(ticket: Ticket) -> tuple[datetime | None, int, TicketStatus, Priority]:
    return ticket.first_reply_at, ticket.reopen_count, ticket.status, ticket.current_priority


def people() -> tuple[Customer, Agent]:
    return (
        Customer(id="C1", segment=cs8.CustomerSegment.VIP),
        Agent(id="a1", skills={"refunds": 3}, channels=frozenset({Channel.EMAIL}), capacity=5),
    )


def contact() -> timedelta | None:
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    call = Interaction(
        id="I1",
        customer_id="C1",
        channel=Channel.PHONE,
        started_at=t0,
        answered_at=t0 + timedelta(seconds=9),
    )
    return call.wait_time


def survey() -> int:
    return SurveyResponse(
        kind=cs8.SurveyKind.NPS, score=9, at=datetime(2026, 3, 2, tzinfo=UTC)
    ).score


def round_trip(ticket: Ticket) -> Ticket:
    return from_json(to_json(ticket), Ticket)


def load(ticket: Ticket) -> tuple[LoadResult[Ticket], tuple[RejectedRow, ...]]:
    out, events = io.StringIO(), io.StringIO()
    write_tickets([ticket], out, events, format="csv")
    result = read_tickets(io.StringIO(out.getvalue()), io.StringIO(events.getvalue()), format="csv")
    return result, result.rejected


def shop() -> SampleShop:
    return sample_shop(seed=1, n_customers=50, weeks=1)


def errors() -> str:
    try:
        Customer(id="")
    except cs8.Cs8Error as exc:
        return str(exc)
    return ""


def main() -> None:
    ticket = build_ticket()
    assert facts(ticket)[0] is not None
    assert round_trip(ticket) == ticket
    result, rejected = load(ticket)
    assert result.records == (ticket,)
    assert rejected == ()
    assert contact() == timedelta(seconds=9)
    assert survey() == 9
    assert people()[1].spare_capacity == 5
    assert shop().tickets
    assert "Customer.id" in errors()
