"""The S8 scorecard reads bot containment (availability) and negative sentiment (empathy)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Interaction, Message, SurveyResponse, Ticket
from cs8.report import ServiceData, ServiceReport, build_report
from cs8.text import bot_containment

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
MIN = timedelta(minutes=1)


def bot(n: int, at: datetime, sentiment: float | None = None) -> Interaction:
    return Interaction(id=f"b{n}", customer_id=f"C{n}", channel="chat", started_at=at,
                       answered_at=at, ended_at=at + 5 * MIN, handled_by="bot",
                       sentiment=sentiment)  # fmt: skip


# Three bot conversations: b1 and b2 end with nobody coming back, b3 is handed to a person
# (h3 continues it); a month later nothing is still open, so containment is 2 of 3.
CONTACTS = [
    bot(1, T0, sentiment=-0.5),
    bot(2, T0 + MIN, sentiment=0.3),
    bot(3, T0 + 2 * MIN),
    Interaction(id="h3", customer_id="C3", channel="chat", started_at=T0 + 7 * MIN,
                answered_at=T0 + 7 * MIN, ended_at=T0 + 20 * MIN, previous_id="b3",
                agent_id="A1", transcript="Giao hàng chậm quá, thất vọng"),
    Interaction(id="x", customer_id="C9", channel="phone", started_at=T0 + timedelta(days=30)),
]  # fmt: skip
TICKET = Ticket(id="T1", customer_id="C4", channel="email", created_at=T0,
                events=[Message(at=T0, author="customer", text="Cảm ơn shop, giao hàng nhanh"),
                        Message(at=T0 + MIN, author="agent", text="Rất tệ")])  # fmt: skip


def report(surveys: tuple[SurveyResponse, ...] = ()) -> ServiceReport:
    return build_report(ServiceData(interactions=CONTACTS, tickets=[TICKET], surveys=surveys))


def test_availability_shows_bot_containment_under_the_service_level() -> None:
    availability = report().scorecard[0]
    assert availability.measure == "measure.service_level"  # h3 and x are live contacts
    (contained,) = availability.supporting
    assert contained.measure == "measure.bot_containment"
    assert (contained.value, contained.n) == (pytest.approx(2 / 3), 3)
    assert contained.value == bot_containment(CONTACTS).value
    assert contained.met is True  # target 60 %


def test_empathy_uses_negative_sentiment_when_there_is_no_csat() -> None:
    empathy = report().scorecard[3]
    # Scored: b1 -0.5 (negative), b2 0.3, h3's transcript (negative), T1's customer message
    # (positive); the agent's message does not count: 2 of 4 read negative.
    assert (empathy.measure, empathy.n, empathy.value) == ("measure.negative_sentiment", 4, 0.5)
    assert (empathy.higher, empathy.met, empathy.supporting) == (False, False, ())


def test_with_csat_the_sentiment_is_a_supporting_measure() -> None:
    answers = tuple(SurveyResponse(kind="csat", score=5, at=T0) for _ in range(3))
    empathy = report(answers).scorecard[3]
    assert (empathy.measure, empathy.value, empathy.met) == ("measure.csat", 1.0, True)
    assert [s.measure for s in empathy.supporting] == ["measure.negative_sentiment"]


def test_supporting_rows_render_under_their_pillar_and_in_json(
    quarter_report: ServiceReport,
) -> None:
    md = quarter_report.to_markdown()
    lines = md[md.index("## S8 scorecard") :].splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("| Availability |"))
    assert lines[at + 1].startswith("|   | bot conversations contained")
    data = json.loads(quarter_report.to_json())["scorecard"]
    assert data[0]["supporting"][0]["status"] in {"met", "missed"}
    assert len(data) == 8


def test_without_bots_or_text_nothing_is_added() -> None:
    data = ServiceData(interactions=[Interaction(id="p", customer_id="C", channel="phone",
                                                 started_at=T0)])  # fmt: skip
    scorecard = build_report(data).scorecard
    assert all(p.supporting == () for p in scorecard)
    assert scorecard[3].measure == "measure.csat"
