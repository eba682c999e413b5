"""Tests of the CSAT, NPS and CES questions and of survey timing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Channel, StatusChange, SurveyKind, Ticket, TicketStatus
from cs8.exceptions import NaiveDatetimeError, SurveyError
from cs8.surveys import (
    CES_EFFORT_QUESTION,
    CES_QUESTION,
    CSAT_QUESTION,
    NPS_QUESTION,
    survey_due,
    survey_due_at,
)

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_standard_scales():
    assert [q.scale for q in (CSAT_QUESTION, NPS_QUESTION, CES_QUESTION, CES_EFFORT_QUESTION)] == [
        (1, 5),
        (0, 10),
        (1, 7),
        (1, 5),
    ]


def test_every_question_has_english_and_vietnamese():
    for q in (CSAT_QUESTION, NPS_QUESTION, CES_QUESTION, CES_EFFORT_QUESTION):
        assert q.text("en", company="X") != q.text("vi", company="X")


def test_effort_scale_is_lower_is_better():
    assert (CES_QUESTION.higher_is_better, CES_EFFORT_QUESTION.higher_is_better) == (True, False)


def test_response_is_a_survey_response():
    r = NPS_QUESTION.response(9, at=AT, ticket_id="T1", channel="chat")
    assert (r.kind, r.score, r.scale, r.channel) == (SurveyKind.NPS, 9, (0, 10), Channel.CHAT)


def test_off_scale_answer_raises_survey_error():
    with pytest.raises(SurveyError, match=r"nps answer must be a whole number in 0..10, got 11"):
        NPS_QUESTION.response(11, at=AT)


def test_bool_is_not_a_score():
    with pytest.raises(SurveyError):
        CSAT_QUESTION.response(True, at=AT)


def test_naive_time_is_rejected():
    with pytest.raises(NaiveDatetimeError):
        CSAT_QUESTION.response(5, at=datetime(2026, 3, 2))


def test_non_responses_are_counted_not_scored():
    tally = CSAT_QUESTION.collect([5, None, "", 1], at=AT)
    assert (tally.scores, tally.non_responses, tally.response_rate) == ((5, 1), 2, 0.5)


def test_collect_names_position_of_bad_answer():
    with pytest.raises(SurveyError, match="answer 1: "):
        CES_QUESTION.collect([7, 8], at=AT)


def test_collect_non_strict_counts_invalid():
    assert CES_QUESTION.collect([7, 8, "x"], at=AT, strict=False).invalid == 2


def _solved(at_hour=11, events=()):
    return Ticket(
        id="T1",
        customer_id="C1",
        channel=Channel.EMAIL,
        created_at=AT,
        events=[StatusChange(at=AT.replace(hour=at_hour), status=TicketStatus.SOLVED), *events],
    )


def test_survey_due_a_day_after_solve():
    assert AT.replace(hour=11) + timedelta(hours=24) == survey_due_at(_solved())


def test_never_solved_ticket_gets_no_survey():
    t = Ticket(id="T1", customer_id="C1", channel=Channel.EMAIL, created_at=AT)
    assert survey_due_at(t) is None


def test_quiet_period_moves_due_time():
    last = AT - timedelta(days=20)
    assert last + timedelta(days=30) == survey_due_at(_solved(), last_surveyed_at=last)


def test_same_solve_is_not_surveyed_twice():
    assert survey_due_at(_solved(), last_surveyed_at=AT.replace(hour=12)) is None


def test_reopened_ticket_is_not_due():
    reopened = _solved(events=[StatusChange(at=AT.replace(hour=20), status=TicketStatus.OPEN)])
    assert not survey_due(reopened, now=AT + timedelta(days=2))


def test_survey_expires():
    assert not survey_due(_solved(), now=AT + timedelta(days=30))


def test_survey_due_after_delay():
    assert survey_due(_solved(), now=AT + timedelta(days=1, hours=3))
