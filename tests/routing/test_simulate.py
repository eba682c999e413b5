"""Tests of cs8.routing.simulate: queueing laws against a brute-force FIFO oracle, and the bank log."""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Interaction
from cs8.exceptions import InvalidValueError
from cs8.routing import Router, simulate
from tests._data import shared_file
from tests.kpi.bank import read_rows, to_interactions

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
SEC = timedelta(seconds=1)


def phone_team(n: int) -> list[Agent]:
    return [Agent(id=f"a{i:02d}", channels={"phone"}) for i in range(n)]


def call(i: int, start: int, talk: int, *, gave_up_after: int | None = None) -> Interaction:
    """A call arriving ``start`` s after T0 needing ``talk`` s; answered in the log unless it
    hung up after ``gave_up_after`` s."""
    at = T0 + start * SEC
    if gave_up_after is None:
        return Interaction(
            id=f"c{i:03d}",
            customer_id="C",
            channel="phone",
            started_at=at,
            answered_at=at,
            talk_time=talk * SEC,
        )
    return Interaction(
        id=f"c{i:03d}",
        customer_id="C",
        channel="phone",
        started_at=at,
        ended_at=at + gave_up_after * SEC,
        talk_time=talk * SEC,
    )


def fifo_waits(arrivals: list[int], talks: list[int], servers: int) -> list[int]:
    """Brute force: first come, first served over identical servers (waits in seconds)."""
    free = [0] * servers
    waits = []
    for at, talk in sorted(zip(arrivals, talks, strict=True)):
        soonest = heapq.heappop(free)
        answered = max(at, soonest)
        waits.append(answered - at)
        heapq.heappush(free, answered + talk)
    return waits


@given(
    st.lists(st.tuples(st.integers(0, 600), st.integers(1, 300)), min_size=1, max_size=40),
    st.integers(1, 4),
)
def test_patient_callers_wait_as_in_a_fifo_queue(
    calls: list[tuple[int, int]], servers: int
) -> None:
    # Distinct arrival instants keep the oracle's order (arrival time) the same as the queue's.
    arrivals = sorted({at for at, _ in calls})
    talks = [talk for _, talk in calls][: len(arrivals)]
    log = [call(i, at, talk) for i, (at, talk) in enumerate(zip(arrivals, talks, strict=True))]
    result = simulate(log, router=Router(), agents=phone_team(servers))
    got = [int((c.answered_at - c.started_at) / SEC) for c in result.interactions]  # type: ignore[operator]
    assert got == fifo_waits(arrivals, talks, servers)


@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(1, 200), st.none() | st.integers(0, 120)),
        min_size=1,
        max_size=40,
    ),
    st.integers(0, 3),
)
def test_every_call_is_answered_or_abandoned_and_no_agent_takes_two_calls(
    calls: list[tuple[int, int, int | None]], servers: int
) -> None:
    log = [call(i, at, talk, gave_up_after=g) for i, (at, talk, g) in enumerate(calls)]
    result = simulate(log, router=Router(), agents=phone_team(servers))
    assert [c.id for c in result.interactions] == [c.id for c in log]
    answered = [c for c in result.interactions if c.answered_at is not None]
    for replayed, source in zip(result.interactions, log, strict=True):
        if replayed.answered_at is None:  # only a caller who gave up in the log gives up here
            assert replayed.ended_at == source.ended_at
            assert source.ended_at is not None or servers == 0  # else still waiting at the end
        elif source.ended_at is not None:  # answered before the logged patience ran out
            assert replayed.answered_at <= source.ended_at
    by_agent: dict[str | None, list[tuple[datetime, datetime]]] = {}
    for c in answered:
        assert c.ended_at is not None
        assert c.answered_at is not None
        by_agent.setdefault(c.agent_id, []).append((c.answered_at, c.ended_at))
    for spans in by_agent.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    gave_up = [c for c in result.interactions if c.answered_at is None and c.ended_at is not None]
    assert result.abandonment_rate.successes == len(gave_up)


def test_a_caller_hangs_up_after_the_logged_wait_unless_answered_first() -> None:
    log = [
        call(0, 0, 100),
        call(1, 10, 50, gave_up_after=30),  # would need 90 s: hangs up at 40 s
        call(2, 20, 50, gave_up_after=90),  # answered at 100 s, before giving up at 110 s
    ]
    result = simulate(log, router=Router(), agents=phone_team(1))
    _first, gone, patient = result.interactions
    assert (gone.answered_at, gone.ended_at) == (None, T0 + 40 * SEC)
    assert patient.answered_at == T0 + 100 * SEC
    assert patient.agent_id == "a00"
    assert result.abandonment_rate.value == pytest.approx(1 / 3)


def test_wrap_up_keeps_the_agent_busy_after_the_call_ends() -> None:
    first = Interaction(
        id="c1",
        customer_id="C",
        channel="phone",
        started_at=T0,
        answered_at=T0,
        talk_time=60 * SEC,
        wrap_time=30 * SEC,
    )
    second = call(2, 70, 10)
    result = simulate([first, second], router=Router(), agents=phone_team(1))
    assert result.interactions[0].ended_at == T0 + 60 * SEC
    assert result.interactions[1].answered_at == T0 + 90 * SEC


def test_duplicate_ids_are_named() -> None:
    with pytest.raises(InvalidValueError, match="'c000'"):
        simulate([call(0, 0, 1), call(0, 5, 1)], router=Router(), agents=phone_team(1))


def test_nonpositive_interval_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="interval"):
        simulate([], router=Router(), agents=[], interval=timedelta(0))


def bank_day() -> list[Interaction]:
    """The calls offered to agents on the busiest weekday of the Anonymous Bank log.

    Source: Technion SEE Center, "Anonymous Bank" (Feb 1999), see tests/kpi/bank.py."""
    rows = read_rows(shared_file("anonymous_bank_february_1999.txt"))
    calls = to_interactions(rows)
    busiest = Counter(c.started_at.date() for c in calls).most_common(1)[0][0]
    day = [c for c in calls if c.started_at.date() == busiest]
    # call_id repeats in the log (a call transferred between queues): number the rows instead.
    return [attrs.evolve(c, id=f"{c.id}-{i}") for i, c in enumerate(day)]


def test_bank_day_service_level_equals_the_simulated_waits_counted_directly() -> None:
    calls = bank_day()
    result = simulate(calls, router=Router(), agents=phone_team(8), interval=timedelta(hours=1))
    threshold = timedelta(seconds=20)
    answered_in_time = sum(
        1
        for c in result.interactions
        if c.answered_at is not None and c.answered_at - c.started_at <= threshold
    )
    assert result.service_level.value == answered_in_time / len(calls)
    assert sum(i.offered for i in result.intervals) == len(calls)
    assert sum(i.abandoned for i in result.intervals) == result.abandonment_rate.successes
    # The replay is a different system from the bank's (a fixed team of 8): print its figures next
    # to the log's own and the Erlang predictions for the record.
    logged = sum(
        1 for c in calls if c.answered_at is not None and c.answered_at - c.started_at <= threshold
    )
    print(
        f"\nbank day {calls[0].started_at.date()}: {len(calls)} calls; logged SL {logged / len(calls):.3f};"
        f" simulated SL {result.service_level.value:.3f}, abandonment "
        f"{result.abandonment_rate.value:.3f}, patience {result.patience}"
    )
    for i in result.intervals:
        print(
            f"  {i.start:%H:%M} offered {i.offered:4d} SL {i.service_level:.3f} "
            f"occupancy {i.occupancy:.2f} Erlang C {i.erlang_c_service_level} "
            f"Erlang A {i.erlang_a_service_level}"
        )
