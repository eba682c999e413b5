"""churn_risk's negative-sentiment and unresolved-ticket components, computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Customer, Interaction, Message, Order, StatusChange, Ticket
from cs8.exceptions import InvalidValueError
from cs8.kpi.customers import ChurnRiskModel, churn_risk

NOW = datetime(2026, 6, 1, tzinfo=UTC)
DAY = timedelta(days=1)
ORDERS = [Order(id=str(k), customer_id="a", at=NOW - d * DAY, amount=10)
          for k, d in enumerate([100, 120, 150, 170, 45])]  # fmt: skip
ANGRY = "Shop trả lời chậm quá, không hài lòng"  # cs8.text.sentiment: negative
PLEASED = "Giao hàng nhanh, đóng gói cẩn thận"  # positive


def ticket(n: int, created: int, text: str, solved: timedelta | None = None) -> Ticket:
    at = NOW - created * DAY
    events: list[Message | StatusChange] = [
        Message(at=at, author="customer", text=text),
        Message(at=at + timedelta(hours=1), author="agent", text="Thật tệ, xin lỗi anh chị"),
    ]
    if solved is not None:
        events.append(StatusChange(at=NOW - solved, status="solved"))
    return Ticket(id=f"T{n}", customer_id="a", channel="chat", created_at=at, events=events)


TICKETS = [
    ticket(1, 10, ANGRY),  # still open: unresolved
    ticket(2, 30, PLEASED, solved=29 * DAY),
    ticket(3, 200, ANGRY, solved=199 * DAY),  # its message is before the 90-day window
    ticket(4, 2, PLEASED, solved=timedelta(0)),  # solved at as_of: not seen, still open
]
CONTACTS = [
    Interaction(id="I1", customer_id="a", channel="phone", started_at=NOW - 5 * DAY,
                sentiment=-0.6),
    Interaction(id="I2", customer_id="a", channel="chat", started_at=NOW - 3 * DAY,
                transcript="no problem, thanks!"),
    Interaction(id="I3", customer_id="a", channel="phone", started_at=NOW - 120 * DAY,
                sentiment=-0.9),  # before the window
    Interaction(id="I4", customer_id="a", channel="phone", started_at=NOW - DAY),  # no text
]  # fmt: skip


def test_hand_computed_score_with_sentiment_and_unresolved_tickets() -> None:
    (risk,) = churn_risk(
        [Customer(id="a")], orders=ORDERS, tickets=TICKETS, interactions=CONTACTS, as_of=NOW
    )
    # Texts in the window: T1's message (negative), T2's and T4's (positive), I1 (-0.6,
    # negative), I2's transcript (positive); agents' messages do not count: 2 of 5 -> 0.4.
    assert (risk.negative_recent, risk.texts_recent) == (2, 5)
    assert risk.negative_sentiment == pytest.approx(0.4)
    # T1 and T4 open at as_of: min(1, 2 / 2) = 1.
    assert (risk.unresolved_tickets, risk.unresolved) == (2, 1.0)
    # recency 45/90 = 0.5 (0.4), decline 0.75 (0.3), negative 0.4 (0.15), unresolved 1 (0.15),
    # no complaint rule, no surveys: (0.2 + 0.225 + 0.06 + 0.15) / 1.0 = 0.635.
    assert risk.score == pytest.approx(0.635)
    explained = risk.explain()
    assert "negative_sentiment  0.400 x weight 0.15 -> 0.060" in explained
    assert "unresolved          1.000 x weight 0.15 -> 0.150" in explained


def test_interaction_sentiment_wins_over_its_transcript() -> None:
    contact = Interaction(id="I", customer_id="a", channel="chat", started_at=NOW - DAY,
                          sentiment=0.8, transcript=ANGRY)  # fmt: skip
    (risk,) = churn_risk([Customer(id="a")], orders=ORDERS, interactions=[contact], as_of=NOW)
    assert (risk.negative_recent, risk.texts_recent, risk.negative_sentiment) == (0, 1, 0.0)
    assert risk.unresolved is None  # no tickets given: not measured


def test_threshold_and_saturation_are_configurable() -> None:
    model = ChurnRiskModel(negative_threshold=-0.7, unresolved_saturation=4)
    (risk,) = churn_risk(
        [Customer(id="a")],
        orders=ORDERS,
        tickets=TICKETS,
        interactions=CONTACTS,
        as_of=NOW,
        model=model,
    )
    # At -0.7 neither I1 (-0.6) nor T1's message (-0.685 by the shipped lexicon) is negative.
    assert (risk.negative_recent, risk.texts_recent) == (0, 5)
    assert risk.unresolved == pytest.approx(0.5)


def test_a_customer_without_tickets_has_nothing_unresolved() -> None:
    risks = churn_risk(
        [Customer(id="a"), Customer(id="b")], orders=ORDERS, tickets=TICKETS, as_of=NOW
    )
    b = next(r for r in risks if r.customer_id == "b")
    assert (b.unresolved, b.unresolved_tickets, b.negative_sentiment) == (0.0, 0, None)


@pytest.mark.parametrize("threshold", [-1.5, float("nan"), True])
def test_negative_threshold_must_be_a_polarity(threshold: float) -> None:
    with pytest.raises(InvalidValueError, match="negative_threshold"):
        ChurnRiskModel(negative_threshold=threshold)
