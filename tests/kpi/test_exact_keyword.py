"""``exact=`` on the duration KPIs: exact type-7 quantiles by default, the 1 % sketch on request.

numpy's ``quantile(..., method="linear")`` is Hyndman and Fan's type 7 (numpy.quantile
documentation); the sketch's bound is its documented relative accuracy
(``DurationState.RELATIVE_ACCURACY``, 1 %).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Interaction, Message, StatusChange, Ticket
from cs8.kpi import (
    DurationState,
    DurationStats,
    average_handle_time,
    average_speed_of_answer,
    first_reply_time,
    full_resolution_time,
    resolution_time,
)

np = pytest.importorskip("numpy")

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
N = 6000  # above the sketch limit (4,096)
QS = (0.1, 0.5, 0.9, 0.99)


def _tickets() -> tuple[list[Ticket], list[float], list[float]]:
    rng = random.Random(7)
    tickets, replies, solves = [], [], []
    for i in range(N):
        reply = rng.randrange(1, 86_400_000_000)  # microseconds: hardly a repeat
        solve = reply + rng.randrange(1, 86_400_000_000)
        replies.append(reply / 1e6)
        solves.append(solve / 1e6)
        tickets.append(
            Ticket(
                id=f"T{i}",
                customer_id="C",
                channel="email",
                created_at=T0,
                events=[
                    Message(at=T0 + timedelta(microseconds=reply), author="agent"),
                    StatusChange(at=T0 + timedelta(microseconds=solve), status="solved"),
                ],
            )
        )
    return tickets, replies, solves


TICKETS, REPLIES, SOLVES = _tickets()
KPIS: dict[str, tuple[Callable[..., DurationStats], list[float]]] = {
    "first_reply_time": (first_reply_time, REPLIES),
    "resolution_time": (resolution_time, SOLVES),
    "full_resolution_time": (full_resolution_time, SOLVES),
}


def _numpy(seconds: list[float], q: float) -> timedelta:
    return timedelta(seconds=float(np.quantile(np.array(seconds), q, method="linear")))


@pytest.mark.parametrize("name", sorted(KPIS))
def test_default_is_exact_type7(name: str) -> None:
    kpi, seconds = KPIS[name]
    stats = kpi(TICKETS)
    assert stats.exact
    assert stats.n == N
    for q in QS:
        assert abs(stats.quantile(q) - _numpy(seconds, q)) <= timedelta(microseconds=1)


@pytest.mark.parametrize("name", sorted(KPIS))
def test_inexact_is_a_sketch_within_its_error(name: str) -> None:
    kpi, seconds = KPIS[name]
    stats = kpi(TICKETS, exact=False)
    state = kpi.state(TICKETS, exact=False)  # type: ignore[attr-defined]
    assert not stats.exact
    assert not state.exact
    assert state.sketch is not None
    assert stats.n == N
    assert stats.mean == kpi(TICKETS).mean
    for q in QS:
        expected = _numpy(seconds, q)
        got = stats.quantile(q)
        assert got is not None
        assert abs(got - expected) <= expected * DurationState.RELATIVE_ACCURACY


def test_inexact_states_merge_to_a_sketch() -> None:
    half = N // 2
    a = resolution_time.state(TICKETS[:half], exact=False)
    b = resolution_time.state(TICKETS[half:], exact=False)
    merged = (a + b).result()
    assert not merged.exact
    assert merged.n == N
    expected = _numpy(SOLVES, 0.5)
    assert abs(merged.median - expected) <= expected * DurationState.RELATIVE_ACCURACY  # type: ignore[operator]


def test_below_the_limit_inexact_stays_exact() -> None:
    stats = resolution_time(TICKETS[:100], exact=False)
    assert stats.exact
    assert abs(stats.median - _numpy(SOLVES[:100], 0.5)) <= timedelta(microseconds=1)  # type: ignore[operator]


@pytest.mark.parametrize("kpi", [average_speed_of_answer, average_handle_time])
def test_contact_centre_durations_take_exact(kpi: Callable[..., DurationStats]) -> None:
    rng = random.Random(3)
    calls, seconds = [], []
    for i in range(N):
        wait = rng.randrange(1, 600_000_000)
        calls.append(
            Interaction(
                id=str(i),
                customer_id="C",
                channel="phone",
                started_at=T0,
                answered_at=T0 + timedelta(microseconds=wait),
                talk_time=timedelta(microseconds=wait),
            )
        )
        seconds.append(wait / 1e6)
    exact, sketch = kpi(calls), kpi(calls, exact=False)
    assert exact.exact
    assert not sketch.exact
    expected = _numpy(seconds, 0.9)
    assert abs(exact.p90 - expected) <= timedelta(microseconds=1)  # type: ignore[operator]
    assert abs(sketch.p90 - expected) <= expected * DurationState.RELATIVE_ACCURACY  # type: ignore[operator]
