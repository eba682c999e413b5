"""Every median and percentile cs8 reports equals numpy's ``quantile(..., method="linear")``.

numpy's ``"linear"`` method is Hyndman and Fan's type 7 (numpy.quantile documentation; Hyndman and
Fan, "Sample quantiles in statistical packages", The American Statistician 50(4), 1996).
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Interaction, Ticket
from cs8.kpi import (
    DurationState,
    average_handle_time,
    average_speed_of_answer,
    full_resolution_time,
    resolution_time,
)
from cs8.sla import BusinessCalendar
from tests._data import shared_file
from tests.kpi.bank import read_rows, to_interactions
from tests.kpi.helpdesk import ROME, read_tickets

np = pytest.importorskip("numpy")

US = timedelta(microseconds=1)
QS = (0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)


def _numpy(seconds: list[float], q: float) -> timedelta:
    return timedelta(seconds=float(np.quantile(np.array(seconds, dtype=float), q, method="linear")))


@cache
def _calls() -> list[Interaction]:
    return to_interactions(read_rows(shared_file("anonymous_bank_february_1999.txt")))


@cache
def _helpdesk() -> list[Ticket]:
    return read_tickets(shared_file("helpdesk_eventlog.csv"))


OFFICE = BusinessCalendar(
    timezone=ROME, hours={d: [("09:00", "18:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
)


def test_bank_asa_median_is_six_seconds_exactly() -> None:
    # numpy.quantile(waits, 0.5, method="linear") on the answered calls' waits is 6.0 s (the issue's
    # figure; the 1 % sketch gave 6.033037 s).
    asa = average_speed_of_answer(_calls())
    assert (asa.median, asa.exact) == (timedelta(seconds=6), True)


def test_bank_asa_quantiles_equal_numpy() -> None:
    calls = _calls()
    waits = [c.wait_time.total_seconds() for c in calls if c.answered_at is not None]
    asa = average_speed_of_answer(calls)
    assert asa.n == len(waits) > 4096
    for q in QS:
        assert abs(asa.quantile(q) - _numpy(waits, q)) <= US, q


def test_bank_aht_median_and_p90_equal_numpy() -> None:
    calls = _calls()
    talks = [c.talk_time.total_seconds() for c in calls if c.answered_at is not None]
    aht = average_handle_time(calls)
    assert abs(aht.median - _numpy(talks, 0.5)) <= US
    assert abs(aht.p90 - _numpy(talks, 0.9)) <= US


@pytest.mark.parametrize("calendar", [None, OFFICE], ids=["calendar", "business"])
def test_helpdesk_resolution_quantiles_equal_numpy(calendar: BusinessCalendar | None) -> None:
    tickets = _helpdesk()
    expected = [
        (
            calendar.business_duration(t.created_at, t.solved_at)
            if calendar
            else t.solved_at - t.created_at
        )
        for t in tickets
        if t.solved_at is not None
    ]
    seconds = [d.total_seconds() for d in expected]
    stats = resolution_time(tickets, calendar)
    assert (stats.n, stats.exact) == (len(seconds), True)
    for q in QS:
        assert abs(stats.quantile(q) - _numpy(seconds, q)) <= US, q


def test_helpdesk_full_resolution_median_equals_numpy_in_business_hours() -> None:
    tickets = _helpdesk()
    seconds = [
        OFFICE.business_duration(t.created_at, t.last_solved_at).total_seconds()
        for t in tickets
        if t.last_solved_at is not None and not t.status.is_open
    ]
    stats = full_resolution_time(tickets, OFFICE)
    assert abs(stats.median - _numpy(seconds, 0.5)) <= US


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=60), st.floats(0, 1))
def test_state_quantile_equals_numpy_at_any_size(seconds: list[int], q: float) -> None:
    state = DurationState.of(timedelta(seconds=s) for s in seconds)
    assert abs(state.quantile(q) - _numpy([float(s) for s in seconds], q)) <= US


@given(st.lists(st.integers(0, 10**4), min_size=9, max_size=200), st.integers(1, 8))
def test_sketched_quantile_has_the_data_resolution(seconds: list[int], limit: int) -> None:
    # More values than the limit: the quantile comes from the sketch, rounded to whole seconds.
    state = DurationState.of((timedelta(seconds=s) for s in seconds), exact_limit=limit)
    median = state.quantile(0.5)
    assert not state.exact
    assert median is not None
    assert median.microseconds == 0


def test_sketch_only_on_request() -> None:
    values = list(range(10_000))
    assert (
        DurationState.of_microseconds(values).exact,
        DurationState.of_microseconds(values, exact_limit=100).exact,
    ) == (True, False)


def test_mean_interval_is_clipped_at_zero() -> None:
    stats = DurationState.of_microseconds([0, 0, 0, 10**9]).result()
    assert stats.ci_low == timedelta(0)
