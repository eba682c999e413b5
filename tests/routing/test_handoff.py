"""Omnichannel handoff context: one ordered timeline across channels, open tickets, recent scores."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Interaction, Order, StatusChange, SurveyResponse
from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from cs8.routing import Router, handoff_context
from tests.routing._engine import MIN, T0, ticket

DAY = timedelta(days=1)


def _bot_then_person() -> list[Interaction]:
    return [
        Interaction(
            id="I1",
            customer_id="C1",
            channel="chat",
            started_at=T0,
            answered_at=T0,
            ended_at=T0 + 4 * MIN,
            handled_by="bot",
        ),
        Interaction(
            id="I2",
            customer_id="C1",
            channel="chat",
            previous_id="I1",
            started_at=T0 + 4 * MIN,
            answered_at=T0 + 5 * MIN,
            agent_id="a1",
        ),
        Interaction(
            id="I3",
            customer_id="C1",
            channel="phone",
            previous_id="I2",
            started_at=T0 + 60 * MIN,
            ended_at=T0 + 61 * MIN,
        ),
    ]


def test_bot_handoff_names_the_bot_session_it_continues() -> None:
    ctx = handoff_context("C1", interactions=_bot_then_person())
    assert (
        ctx.handoffs[0].text
        == "handoff from bot I1 (chat) to a person on chat (I2) (agent a1, waited 60 s)"
    )


def test_channel_change_is_a_handoff_too() -> None:
    ctx = handoff_context("C1", interactions=_bot_then_person())
    assert (
        ctx.handoffs[1].text == "handoff from chat I2 (chat) to a person on phone (I3) (abandoned)"
    )


def test_timeline_is_in_time_order_across_record_kinds() -> None:
    ctx = handoff_context(
        "C1",
        tickets=[ticket(created=T0 + 30 * MIN)],
        interactions=_bot_then_person(),
        orders=[Order(id="O1", customer_id="C1", at=T0 - DAY, amount=100)],
        surveys=[SurveyResponse(kind="csat", score=2, at=T0 + 90 * MIN, customer_id="C1")],
    )
    assert [e.kind for e in ctx.timeline] == [
        "order",
        "bot_session",
        "handoff",
        "ticket_opened",
        "handoff",
        "survey",
    ]


def test_other_customers_records_are_left_out() -> None:
    ctx = handoff_context(
        "C1",
        tickets=[ticket("T1"), ticket("T2", customer_id="C2")],
        orders=[Order(id="O9", customer_id="C2", at=T0, amount=5)],
    )
    assert {"T1"} == {e.ref for e in ctx.timeline}


def test_survey_about_the_customers_ticket_counts_without_a_customer_id() -> None:
    ctx = handoff_context(
        "C1",
        tickets=[ticket("T1")],
        surveys=[SurveyResponse(kind="csat", score=5, at=T0, ticket_id="T1")],
    )
    assert len(ctx.recent_surveys) == 1


def test_open_tickets_are_those_open_at_now() -> None:
    solved = ticket("T1", events=[StatusChange(at=T0 + MIN, status="solved")])
    ctx = handoff_context("C1", tickets=[solved, ticket("T2")], now=T0 + 2 * MIN)
    assert [t.id for t in ctx.open_tickets] == ["T2"]


def test_events_after_now_are_left_out() -> None:
    ctx = handoff_context("C1", interactions=_bot_then_person(), now=T0 + 10 * MIN)
    assert len(ctx.timeline) == 2


def test_recent_window_and_limit_apply_to_orders() -> None:
    orders = [Order(id=f"O{i}", customer_id="C1", at=T0 - i * DAY, amount=i + 1) for i in range(10)]
    ctx = handoff_context("C1", orders=orders, now=T0, recent=timedelta(days=5), limit=3)
    assert [o.id for o in ctx.recent_orders] == ["O0", "O1", "O2"]


def test_negative_amount_is_a_refund_event() -> None:
    ctx = handoff_context("C1", orders=[Order(id="R1", customer_id="C1", at=T0, amount=-50)])
    assert ctx.timeline[0].kind == "refund"


def test_channels_are_listed_in_the_order_first_used() -> None:
    ctx = handoff_context(
        "C1", tickets=[ticket(channel="email", created=T0 + DAY)], interactions=_bot_then_person()
    )
    assert tuple(c.value for c in ctx.channels) == ("chat", "phone", "email")


def test_summary_lists_open_tickets_and_satisfaction() -> None:
    ctx = handoff_context(
        "C1",
        tickets=[ticket(category="refund", priority="high")],
        surveys=[SurveyResponse(kind="csat", score=2, at=T0 + MIN, customer_id="C1")],
    )
    lines = ctx.summary().splitlines()
    assert lines[1:3] == [
        "open tickets: T1 (email, refund, high, new)",
        "recent satisfaction: csat 2/5 on 2026-03-02",
    ]


def test_empty_history_has_an_empty_summary() -> None:
    ctx = handoff_context("C9")
    assert ctx.summary().splitlines()[0] == "customer C9: 0 events on no channel"


def test_handoff_context_is_frozen_and_hashable() -> None:
    ctx = handoff_context("C1", interactions=_bot_then_person())
    assert hash(ctx) == hash(handoff_context("C1", interactions=_bot_then_person()))


def test_routing_decision_carries_the_handoff_context() -> None:
    ctx = handoff_context("C1", interactions=_bot_then_person())
    d = Router().route(ticket(), [Agent(id="a")], now=T0, handoff=ctx)
    assert ctx is d.handoff


def test_empty_customer_id_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="customer_id"):
        handoff_context(" ")


def test_naive_now_is_rejected() -> None:
    with pytest.raises(NaiveDatetimeError):
        handoff_context("C1", now=datetime(2026, 1, 1))


@given(st.randoms(use_true_random=False))
def test_context_does_not_depend_on_input_order(rnd: random.Random) -> None:
    tickets = [ticket(f"T{i}", created=T0 + (i % 3) * MIN) for i in range(5)]
    interactions = _bot_then_person()
    orders = [Order(id=f"O{i}", customer_id="C1", at=T0, amount=i) for i in range(4)]
    surveys = [SurveyResponse(kind="nps", score=i, at=T0, customer_id="C1") for i in range(4)]
    expected = handoff_context("C1", tickets, interactions, orders, surveys)
    for seq in (tickets, interactions, orders, surveys):
        rnd.shuffle(seq)
    assert expected == handoff_context("C1", tickets, interactions, orders, surveys)
