"""The bot-handoff ticket event: accepted in a log, ignored by the ticket's facts, serialized."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import cs8
from cs8 import Handoff, Message, StatusChange, Ticket
from cs8.serialization import from_json, to_json

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


def _ticket() -> Ticket:
    return Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=T0,
        events=(
            Message(at=T0, author="customer"),
            Message(at=T0, author="bot", author_id="bot"),
            Handoff(at=T0 + H),
            Message(at=T0 + 2 * H, author="agent", author_id="a1"),
            StatusChange(at=T0 + 3 * H, status="solved"),
        ),
    )


def test_handoff_is_exported_from_the_package() -> None:
    assert cs8.Handoff is Handoff


def test_a_handoff_leaves_the_ticket_facts_unchanged() -> None:
    ticket = _ticket()
    without = Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=T0,
        events=tuple(e for e in ticket.events if type(e) is not Handoff),
    )
    assert (ticket.first_reply_at, ticket.solved_at, ticket.assignee, ticket.status) == (
        without.first_reply_at,
        without.solved_at,
        without.assignee,
        without.status,
    )


def test_a_handoff_round_trips_through_json() -> None:
    ticket = _ticket()
    assert from_json(to_json(ticket), Ticket) == ticket
    assert '"type": "handoff"' in to_json(ticket) or '"type":"handoff"' in to_json(ticket)
