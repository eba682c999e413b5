"""The domain model: validation, ticket facts derived from the event log, interactions."""

from __future__ import annotations

import itertools
import pickle
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given

import cs8
from cs8 import (
    ActorKind,
    Agent,
    Assignment,
    Channel,
    Customer,
    CustomerSegment,
    EventOrderError,
    Interaction,
    InvalidValueError,
    Message,
    NaiveDatetimeError,
    Order,
    Priority,
    PriorityChange,
    StatusChange,
    SurveyResponse,
    Ticket,
    TicketStatus,
)
from tests.strategies import interactions, tickets

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


def make_ticket(*events: cs8.TicketEvent, **kwargs: object) -> Ticket:
    return Ticket(
        id="T1", customer_id="C1", channel=Channel.EMAIL, created_at=T0, events=events, **kwargs
    )  # type: ignore[arg-type]


# ------------------------------------------------------------------ enums


def test_enum_values_are_lowercase_names() -> None:
    for enum in (
        cs8.Channel,
        cs8.Priority,
        cs8.TicketStatus,
        cs8.CustomerSegment,
        cs8.ActorKind,
        cs8.AgentStatus,
        cs8.Direction,
    ):
        assert all(member.value == member.name.lower() for member in enum)


def test_enums_accept_member_names_in_any_case() -> None:
    assert Channel("Self_Service") is Channel.SELF_SERVICE
    assert TicketStatus("ON_HOLD") is TicketStatus.ON_HOLD


def test_priority_is_ordered() -> None:
    assert sorted([Priority.URGENT, Priority.LOW, Priority.HIGH, Priority.NORMAL]) == [
        Priority.LOW,
        Priority.NORMAL,
        Priority.HIGH,
        Priority.URGENT,
    ]


def test_api_channels_exist() -> None:
    names = {"EMAIL", "CHAT", "PHONE", "SOCIAL", "MESSAGING", "WEB", "IN_PERSON", "SELF_SERVICE"}
    assert names <= {c.name for c in Channel}


# ------------------------------------------------------------------ validation


def test_empty_id_names_the_field() -> None:
    with pytest.raises(InvalidValueError, match=r"Customer\.id must be a non-empty string, got ''"):
        Customer(id="")


def test_naive_datetime_is_rejected_with_the_field_name() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"Ticket\.created_at"):
        Ticket(id="T1", customer_id="C1", channel="email", created_at=datetime(2026, 1, 1))


def test_naive_datetime_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        Message(at=datetime(2026, 1, 1))


def test_negative_duration_is_rejected() -> None:
    with pytest.raises(
        InvalidValueError, match=r"Interaction\.talk_time must not be negative.*'I1'"
    ):
        Interaction(id="I1", customer_id="C1", channel="phone", started_at=T0, talk_time=-H)


def test_answered_before_started_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match=r"answered_at .* is before started_at"):
        Interaction(id="I1", customer_id="C1", channel="phone", started_at=T0, answered_at=T0 - H)


def test_ended_before_answered_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match=r"ended_at .* is before answered_at"):
        Interaction(
            id="I1",
            customer_id="C1",
            channel="phone",
            started_at=T0,
            answered_at=T0 + H,
            ended_at=T0 + H / 2,
        )


def test_sentiment_outside_unit_interval_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match=r"sentiment must be in \[-1, 1\], got 1.5"):
        Interaction(id="I1", customer_id="C1", channel="chat", started_at=T0, sentiment=1.5)


def test_score_outside_scale_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match=r"must be in 0\.\.10 for a nps survey, got -1"):
        SurveyResponse(kind="nps", score=-1, at=T0)


def test_custom_scale_is_honoured() -> None:
    assert SurveyResponse(kind="csat", score=10, at=T0, scale=(1, 10)).score == 10


def test_negative_skill_level_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match=r"Agent\.skills\['refunds'\]"):
        Agent(id="a1", skills={"refunds": -1})


def test_order_currency_must_be_iso() -> None:
    with pytest.raises(InvalidValueError, match="ISO 4217"):
        Order(id="O1", customer_id="C1", at=T0, amount=1, currency="dong")


def test_pendulum_datetimes_are_stored_as_stdlib() -> None:
    import pendulum

    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=pendulum.datetime(2026, 1, 1, tz="Asia/Ho_Chi_Minh"),
    )
    assert type(ticket.created_at) is datetime
    assert ticket.created_at.utcoffset() == timedelta(hours=7)


def test_models_are_hashable_and_picklable() -> None:
    agent = Agent(id="a1", skills={"refunds": 3}, channels={"email"})
    assert pickle.loads(pickle.dumps(agent)) == agent
    assert hash(agent) == hash(Agent(id="a1", skills={"refunds": 3}, channels={"email"}))


def test_models_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Customer(id="C1").segment = CustomerSegment.VIP  # type: ignore[misc]


# ------------------------------------------------------------------ ticket event log


def test_out_of_order_events_name_the_ticket_and_both_times() -> None:
    with pytest.raises(
        EventOrderError, match=r"ticket 'T1': events\[1\].*earlier than events\[0\]"
    ):
        make_ticket(Message(at=T0 + 2 * H), Message(at=T0 + H))


def test_event_before_creation_is_out_of_order() -> None:
    with pytest.raises(EventOrderError, match="earlier than created_at"):
        make_ticket(Message(at=T0 - H))


def test_with_event_returns_a_new_ticket() -> None:
    ticket = make_ticket()
    updated = ticket.with_event(StatusChange(at=T0, status="open"))
    assert (ticket.status, updated.status) == (TicketStatus.NEW, TicketStatus.OPEN)


def test_with_event_checks_order() -> None:
    ticket = make_ticket(Message(at=T0 + H))
    with pytest.raises(EventOrderError):
        ticket.with_event(Message(at=T0))


def test_first_reply_is_first_public_agent_message() -> None:
    ticket = make_ticket(
        Message(at=T0, author=ActorKind.CUSTOMER),
        Message(at=T0 + H, author=ActorKind.AGENT, public=False),
        Message(at=T0 + 2 * H, author=ActorKind.BOT),
        Message(at=T0 + 3 * H, author=ActorKind.AGENT),
    )
    assert ticket.first_reply_at == T0 + 3 * H


def test_status_at_is_new_at_creation() -> None:
    assert make_ticket(StatusChange(at=T0 + H, status="open")).status_at(T0) is TicketStatus.NEW


def test_status_at_includes_events_at_that_instant() -> None:
    assert (
        make_ticket(StatusChange(at=T0 + H, status="open")).status_at(T0 + H) is TicketStatus.OPEN
    )


def test_status_at_before_creation_raises() -> None:
    with pytest.raises(InvalidValueError, match="before ticket 'T1' was created"):
        make_ticket().status_at(T0 - H)


def test_reopen_counts_solved_or_closed_to_open_status() -> None:
    ticket = make_ticket(
        StatusChange(at=T0 + H, status="solved"),
        StatusChange(at=T0 + 2 * H, status="pending"),
        StatusChange(at=T0 + 3 * H, status="closed"),
        StatusChange(at=T0 + 4 * H, status="open"),
    )
    assert ticket.reopen_count == 2


def test_solved_to_closed_is_not_a_reopen() -> None:
    ticket = make_ticket(
        StatusChange(at=T0 + H, status="solved"), StatusChange(at=T0 + 2 * H, status="closed")
    )
    assert (ticket.reopen_count, ticket.solved_at, ticket.closed_at) == (0, T0 + H, T0 + 2 * H)


def test_first_and_last_solve() -> None:
    ticket = make_ticket(
        StatusChange(at=T0 + H, status="solved"),
        StatusChange(at=T0 + 2 * H, status="open"),
        StatusChange(at=T0 + 3 * H, status="solved"),
    )
    assert (ticket.solved_at, ticket.last_solved_at) == (T0 + H, T0 + 3 * H)


def test_priority_and_assignee_follow_the_log() -> None:
    ticket = make_ticket(
        PriorityChange(at=T0 + H, priority="urgent"),
        Assignment(at=T0 + H, agent_id="a1", group="tier1"),
        Assignment(at=T0 + 2 * H, agent_id="a2"),
    )
    assert (ticket.priority, ticket.current_priority, ticket.priority_at(T0)) == (
        Priority.NORMAL,
        Priority.URGENT,
        Priority.NORMAL,
    )
    assert (ticket.assignee, ticket.group, ticket.assignee_at(T0 + H)) == ("a2", "tier1", "a1")


def test_awaiting_reply_lists_customer_messages_after_the_last_agent_reply() -> None:
    ticket = make_ticket(
        Message(at=T0, author="customer"),
        Message(at=T0 + H, author="agent"),
        Message(at=T0 + 2 * H, author="customer"),
        Message(at=T0 + 3 * H, author="customer"),
    )
    assert ticket.awaiting_reply == (T0 + 2 * H, T0 + 3 * H)
    assert ticket.public_agent_replies == 1


def brute_reopens(ticket: Ticket) -> int:
    statuses = [TicketStatus.NEW] + [e.status for e in ticket.events if isinstance(e, StatusChange)]
    closed = {TicketStatus.SOLVED, TicketStatus.CLOSED}
    return sum(1 for a, b in itertools.pairwise(statuses) if a in closed and b not in closed)


@given(tickets())
def test_reopen_count_matches_a_brute_force_count(ticket: Ticket) -> None:
    assert ticket.reopen_count == brute_reopens(ticket)


@given(tickets())
def test_current_status_equals_status_at_the_last_event(ticket: Ticket) -> None:
    last = ticket.events[-1].at if ticket.events else ticket.created_at
    assert ticket.status == ticket.status_at(last)


@given(tickets())
def test_status_intervals_tile_the_history(ticket: Ticket) -> None:
    spans = ticket.status_intervals()
    assert spans[0][0] == ticket.created_at
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert spans[-1][2] == ticket.status


# ------------------------------------------------------------------ interactions


def test_abandoned_call_waits_until_it_ends() -> None:
    call = Interaction(
        id="I1",
        customer_id="C1",
        channel="phone",
        started_at=T0,
        ended_at=T0 + timedelta(seconds=40),
    )
    assert (call.abandoned, call.wait_time) == (True, timedelta(seconds=40))


def test_call_in_queue_has_no_wait_time_yet() -> None:
    call = Interaction(id="I1", customer_id="C1", channel="phone", started_at=T0)
    assert (call.abandoned, call.wait_time) == (False, None)


@given(interactions())
def test_wait_time_is_never_negative(interaction: Interaction) -> None:
    assert interaction.wait_time is None or interaction.wait_time >= timedelta(0)
