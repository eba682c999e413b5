"""Routing rules read what cs8.text.annotate wrote: ticket.sentiment, ticket.intent, ticket.urgency."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cs8 import Message, Ticket
from cs8.routing import RoutingContext, load_rules, resolve_field
from cs8.text import annotate

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def annotated(text: str) -> Ticket:
    return annotate(
        Ticket(
            id="T1",
            customer_id="C1",
            channel="chat",
            created_at=T0,
            events=[Message(at=T0, author="customer", text=text)],
        )
    )


def test_fields_resolve_from_annotate() -> None:
    ctx = RoutingContext(ticket=annotated("Cần gấp, tệ quá"), now=T0)
    assert resolve_field(ctx, "ticket.urgency") == "urgent"
    value = resolve_field(ctx, "ticket.sentiment")
    assert isinstance(value, float)
    assert value < 0
    assert resolve_field(ctx, "ticket.intent") is None


@pytest.mark.parametrize("stored", ["negative", True])
def test_sentiment_of_the_wrong_type_is_missing(stored: object) -> None:
    ticket = Ticket(
        id="T1", customer_id="C1", channel="chat", created_at=T0, attributes={"sentiment": stored}
    )
    assert resolve_field(RoutingContext(ticket=ticket, now=T0), "ticket.sentiment") is None


def test_a_rule_sends_angry_urgent_customers_to_supervisors() -> None:
    rules = load_rules(
        {
            "rules": [
                {
                    "name": "angry and urgent",
                    "when": {
                        "all": [
                            {"field": "ticket.sentiment", "op": "lte", "value": -0.3},
                            {"field": "ticket.urgency", "op": "equals", "value": "urgent"},
                        ]
                    },
                    "actions": {"queue": "supervisors"},
                }
            ]
        }
    )
    angry = RoutingContext(ticket=annotated("Cần gấp, tệ quá"), now=T0)
    calm = RoutingContext(ticket=annotated("Cảm ơn shop, cần gấp nhé"), now=T0)
    assert rules.first_match(angry).name == "angry and urgent"  # type: ignore[union-attr]
    assert rules.first_match(calm) is None


def test_handoff_context_shows_what_was_said() -> None:
    from datetime import timedelta

    from cs8 import Interaction
    from cs8.routing import handoff_context

    bot = Interaction(
        id="I1",
        customer_id="C1",
        channel="chat",
        started_at=T0,
        answered_at=T0,
        ended_at=T0 + timedelta(minutes=3),
        handled_by="bot",
        transcript="khách: đơn hàng\n  chưa tới\nbot: mã đơn?",
    )
    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=T0,
        events=[
            Message(at=T0 + timedelta(minutes=4), author="customer", text="Cho mình gặp nhân viên")
        ],
    )
    lines = [e.text for e in handoff_context("C1", tickets=[ticket], interactions=[bot]).timeline]
    assert 'bot session I1: "khách: đơn hàng chưa tới bot: mã đơn?"' in lines
    assert 'customer wrote on ticket T1: "Cho mình gặp nhân viên"' in lines
