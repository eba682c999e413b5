"""cs8.serialization: every model round-trips through JSON-ready data."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import given

from cs8 import Agent, Customer, Interaction, Order, SerializationError, SurveyResponse, Ticket
from cs8.serialization import from_data, from_json, parse_duration, to_data, to_json
from tests.strategies import agents, customers, interactions, orders, survey_responses, tickets


@given(tickets())
def test_tickets_round_trip_through_json(ticket: Ticket) -> None:
    assert from_json(to_json(ticket), Ticket) == ticket


@given(customers())
def test_customers_round_trip(customer: Customer) -> None:
    assert from_data(json.loads(json.dumps(to_data(customer))), Customer) == customer


@given(agents())
def test_agents_round_trip(agent: Agent) -> None:
    assert from_json(to_json(agent), Agent) == agent


@given(interactions())
def test_interactions_round_trip(interaction: Interaction) -> None:
    assert from_json(to_json(interaction), Interaction) == interaction


@given(orders())
def test_orders_round_trip(order: Order) -> None:
    assert from_json(to_json(order), Order) == order


@given(survey_responses())
def test_survey_responses_round_trip(response: SurveyResponse) -> None:
    assert from_json(to_json(response), SurveyResponse) == response


@given(tickets())
def test_round_trip_keeps_the_utc_offset(ticket: Ticket) -> None:
    back = from_json(to_json(ticket), Ticket)
    assert back.created_at.utcoffset() == ticket.created_at.utcoffset()


def test_events_are_a_tagged_union() -> None:
    data = {
        "id": "T1",
        "customer_id": "C1",
        "channel": "email",
        "created_at": "2026-01-05T09:00:00+07:00",
        "events": [{"type": "assignment", "at": "2026-01-05T09:05:00+07:00", "agent_id": "a1"}],
    }
    assert from_data(data, Ticket).assignee == "a1"


def test_unknown_event_tag_is_an_error() -> None:
    data = {
        "id": "T1",
        "customer_id": "C1",
        "channel": "email",
        "created_at": "2026-01-05T09:00:00+07:00",
        "events": [{"type": "teleport", "at": "2026-01-05T09:05:00+07:00"}],
    }
    with pytest.raises(SerializationError, match="cannot build Ticket"):
        from_data(data, Ticket)


def test_naive_timestamp_is_an_error() -> None:
    with pytest.raises(SerializationError, match="aware datetime"):
        from_data(
            {"id": "O1", "customer_id": "C1", "at": "2026-01-05T09:00:00", "amount": "1"}, Order
        )


def test_bad_json_is_a_serialization_error() -> None:
    with pytest.raises(SerializationError, match="not valid JSON"):
        from_json("{", Customer)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("1:02:03", 3723),
        ("PT1H", 3600),
        ("P1DT2H", 93600),
        ("-PT30M", -1800),
        ("12.5", 12.5),
    ],
)
def test_parse_duration_formats(text: str, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


def test_parse_duration_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="ISO 8601 duration"):
        parse_duration("soon")
