"""Tests of cs8.staffing.forecast_aht."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Interaction
from cs8.exceptions import InvalidValueError
from cs8.staffing import forecast_aht, forecast_arrivals, staffing_plan

T0 = datetime(2026, 1, 5, 8, tzinfo=UTC)


def _calls(days: int) -> list[Interaction]:
    # Mornings (08:xx) take 240 s, afternoons (14:xx) 420 s, every day, 6 calls each.
    out = []
    for d in range(days):
        for hour, talk in ((0, 240), (6, 420)):
            for k in range(6):
                at = T0 + timedelta(days=d, hours=hour, minutes=5 * k)
                out.append(
                    Interaction(
                        id=f"{d}-{hour}-{k}",
                        customer_id="c",
                        channel="phone",
                        started_at=at,
                        answered_at=at,
                        talk_time=timedelta(seconds=talk - 60),
                        wrap_time=timedelta(seconds=60),
                    )
                )
    return out


def test_aht_follows_the_intraday_pattern_and_feeds_staffing_plan() -> None:
    calls = _calls(21)
    hour = timedelta(hours=1)
    aht = forecast_aht(calls, interval=hour, horizon=timedelta(days=1))
    arrivals = forecast_arrivals(calls, interval=hour, horizon=timedelta(days=1))
    assert (aht.aht[8].total_seconds(), aht.aht[14].total_seconds()) == (240.0, 420.0)
    plan = staffing_plan(arrivals, aht=aht.aht, target_answer_time=timedelta(seconds=20))
    assert plan.traffic[8] == pytest.approx(6 * 240 / 3600)
    assert plan.traffic[14] == pytest.approx(6 * 420 / 3600)


def test_empty_slots_take_the_overall_aht() -> None:
    aht = forecast_aht(_calls(21), interval=timedelta(hours=1), horizon=timedelta(days=1))
    assert aht.aht[3].total_seconds() == pytest.approx(330.0)


def test_no_answered_contacts_is_an_error() -> None:
    unanswered = Interaction(id="x", customer_id="c", channel="phone", started_at=T0)
    with pytest.raises(InvalidValueError, match="no answered"):
        forecast_aht([unanswered])
