"""Every KPI's state twin: states of two halves merge into the state of the whole, in any order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from cs8.datasets import sample_shop
from cs8.kpi import (
    abandonment_rate,
    agent_work_time,
    average_handle_time,
    average_response_time,
    average_speed_of_answer,
    backlog,
    full_resolution_time,
    next_reply_times,
    proactive_rate,
    requester_wait_time,
    resolution_time,
    status_time,
    volume,
)

SHOP = sample_shop(n_customers=400, weeks=4)
MIDDLE = SHOP.start + timedelta(weeks=2)

TICKET_KPIS: list[tuple[Callable[..., Any], Callable[..., Any], tuple[Any, ...]]] = [
    (resolution_time, resolution_time.state, ()),
    (full_resolution_time, full_resolution_time.state, ()),
    (next_reply_times, next_reply_times.state, ()),
    (average_response_time, average_response_time.state, ()),
    (requester_wait_time, requester_wait_time.state, ()),
    (agent_work_time, agent_work_time.state, ()),
    (status_time, status_time.state, (["pending", "on_hold"],)),
    (volume, volume.state, ()),
    (backlog, backlog.state, (MIDDLE,)),
]
CONTACT_KPIS: list[tuple[Callable[..., Any], Callable[..., Any]]] = [
    (abandonment_rate, abandonment_rate.state),
    (average_speed_of_answer, average_speed_of_answer.state),
    (average_handle_time, average_handle_time.state),
    (proactive_rate, proactive_rate.state),
]


@pytest.mark.parametrize(
    ("kpi", "state", "args"), TICKET_KPIS, ids=lambda v: getattr(v, "__name__", "")
)
@pytest.mark.parametrize("cut", [0, 1, 350, 1000])
def test_ticket_kpi_halves_merge_into_the_whole(
    kpi: Any, state: Any, args: tuple[Any, ...], cut: int
) -> None:
    left, right = SHOP.tickets[:cut], SHOP.tickets[cut:]
    whole = kpi(SHOP.tickets, *args)
    assert whole == (state(left, *args) + state(right, *args)).result()
    assert whole == (state(right, *args) + state(left, *args)).result()


@pytest.mark.parametrize(("kpi", "state"), CONTACT_KPIS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("cut", [0, 7, 500])
def test_contact_kpi_halves_merge_into_the_whole(kpi: Any, state: Any, cut: int) -> None:
    left, right = SHOP.interactions[:cut], SHOP.interactions[cut:]
    whole = kpi(SHOP.interactions)
    assert whole == (state(left) + state(right)).result()
    assert whole == (state(right) + state(left)).result()
