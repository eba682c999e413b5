"""ticket_metrics: one row per ticket; every ticket KPI is an aggregation of its columns.

Real data: the 4TU helpdesk log (doi:10.4121/uuid:0c60edf1-6f83-4e75-9367-4c63b3e9d5bb) and the
bundled sample shop. The aggregations are computed with pandas and polars from the converted table.
"""

from __future__ import annotations

import random
from datetime import timedelta
from functools import cache

import attrs
import pytest

from cs8 import Assignment, Handoff, Message, StatusChange, Ticket
from cs8.datasets import sample_shop
from cs8.kpi import (
    PRESETS,
    DurationState,
    TicketMetrics,
    agent_work_time,
    first_reply_time,
    full_resolution_time,
    one_touch_rate,
    reopen_rate,
    requester_wait_time,
    resolution_time,
    status_time,
    ticket_metrics,
    touch_rate,
)
from cs8.sla import BusinessCalendar
from tests._data import shared_file
from tests.kpi.helpdesk import ROME, read_tickets

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

SHOP = sample_shop(n_customers=400, weeks=4)
SHOP_CAL = BusinessCalendar(timezone=SHOP.timezone, hours=dict(SHOP.hours), holidays=SHOP.holidays)
OFFICE = BusinessCalendar(
    timezone=ROME, hours={d: [("09:00", "18:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
)
DURATION_KPIS = {
    "first_reply": first_reply_time,
    "first_resolution": resolution_time,
    "full_resolution": full_resolution_time,
    "requester_wait": requester_wait_time,
    "agent_work": agent_work_time,
}


@cache
def _helpdesk() -> list[Ticket]:
    return read_tickets(shared_file("helpdesk_eventlog.csv"))


def _column_state(metrics: TicketMetrics, column: str) -> DurationState:
    values = [
        getattr(row, column)
        for row in metrics
        if row.excluded is None and getattr(row, column) is not None
    ]
    return DurationState.of(values)


@pytest.mark.parametrize("column", sorted(DURATION_KPIS))
def test_shop_duration_kpis_are_aggregations_of_the_rows(column: str) -> None:
    metrics = ticket_metrics(SHOP.tickets, SHOP_CAL)
    kpi = DURATION_KPIS[column]
    stats = kpi(SHOP.tickets, SHOP_CAL)
    mine = _column_state(metrics, f"{column}_business").result()
    assert (stats.n, stats.mean, stats.median, stats.p90) == (
        mine.n,
        mine.mean,
        mine.median,
        mine.p90,
    )


def test_shop_agent_wait_is_the_pending_status_time() -> None:
    metrics = ticket_metrics(SHOP.tickets)
    stats = status_time(SHOP.tickets, ["pending"])
    mine = _column_state(metrics, "agent_wait").result()
    assert (stats.n, stats.mean, stats.median) == (mine.n, mine.mean, mine.median)


def test_shop_rates_are_aggregations_of_the_rows() -> None:
    frame = ticket_metrics(SHOP.tickets).to_pandas()
    counted = frame[frame["excluded"].isna()]
    done = counted[counted["status"].isin(["solved", "closed"])]
    solved = counted[counted["first_resolution"].notna()]
    assert one_touch_rate(SHOP.tickets).successes == int((done["replies"] <= 1).sum())
    assert touch_rate(SHOP.tickets, replies=2).successes == int((done["replies"] == 2).sum())
    assert reopen_rate(SHOP.tickets).successes == int((solved["reopens"] > 0).sum())
    assert reopen_rate(SHOP.tickets).n == len(solved)


def test_helpdesk_table_converts_with_duration_dtypes() -> None:
    metrics = ticket_metrics(_helpdesk(), OFFICE)
    frame = metrics.to_pandas()
    lazy = metrics.to_polars()
    table = metrics.to_arrow()
    assert len(frame) == len(lazy) == table.num_rows == len(_helpdesk()) == 4580
    assert str(frame["full_resolution_business"].dtype).startswith("timedelta64")
    assert lazy.schema["first_resolution"] == pl.Duration("us")
    assert str(table.schema.field("agent_wait").type) == "duration[us]"


def test_helpdesk_resolution_median_from_polars_equals_the_kpi() -> None:
    tickets = _helpdesk()
    lazy = ticket_metrics(tickets, OFFICE).to_polars()
    median_us = lazy["first_resolution_business"].dt.total_microseconds().median()
    assert resolution_time(tickets, OFFICE).median == timedelta(microseconds=median_us)


def test_helpdesk_full_resolution_quantiles_from_pandas_equal_the_kpi() -> None:
    tickets = _helpdesk()
    frame = ticket_metrics(tickets, OFFICE).to_pandas()
    seconds = frame["full_resolution_business"].dropna().dt.total_seconds()
    stats = full_resolution_time(tickets, OFFICE)
    for q in (0.5, 0.9):
        expected = timedelta(seconds=float(seconds.quantile(q)))
        assert abs(stats.quantile(q) - expected) <= timedelta(microseconds=1)


def test_helpdesk_stations_count_distinct_assignees() -> None:
    rows = {row.ticket_id: row for row in ticket_metrics(_helpdesk())}
    ticket = next(t for t in _helpdesk() if t.agent_stations > 1)
    agents = {e.agent_id for e in ticket.events if isinstance(e, Assignment)}
    assert rows[ticket.id].agent_stations == len(agents)


def test_rows_keep_input_order_and_mark_exclusions() -> None:
    t0 = SHOP.start
    a = Ticket(id="B", customer_id="C", channel="email", created_at=t0, merged_into="A")
    b = Ticket(id="A", customer_id="C", channel="email", created_at=t0)
    rows = ticket_metrics([a, b])
    assert [(r.ticket_id, r.excluded) for r in rows] == [("B", "merged"), ("A", None)]


def test_open_tickets_have_no_final_status_times() -> None:
    t0 = SHOP.start
    t = Ticket(
        id="T",
        customer_id="C",
        channel="email",
        created_at=t0,
        events=[Message(at=t0 + timedelta(hours=1), author="agent")],
    )
    row = ticket_metrics([t])[0]
    assert (row.first_reply, row.requester_wait, row.full_resolution) == (
        timedelta(hours=1),
        None,
        None,
    )


def test_repeated_solve_is_a_definition_choice() -> None:
    t0 = SHOP.start
    h = timedelta(hours=1)
    t = Ticket(
        id="T",
        customer_id="C",
        channel="email",
        created_at=t0,
        events=[
            StatusChange(at=t0 + h, status="solved"),
            StatusChange(at=t0 + 3 * h, status="solved"),
        ],
    )

    latest = attrs.evolve(PRESETS["cs8"], repeated_solve="latest")
    assert (
        full_resolution_time([t]).median,
        full_resolution_time([t], definition=latest).median,
    ) == (
        h,
        3 * h,
    )


def test_repr_is_bounded() -> None:
    text = str(ticket_metrics(SHOP.tickets))
    assert len(text.splitlines()) <= 23
    assert "more rows" in text


def test_handoffs_column_sums_to_the_hand_count() -> None:
    rng = random.Random(11)
    t0 = SHOP.start
    minute = timedelta(minutes=1)
    tickets = []
    for i in range(60):
        events: list[Message | Handoff | Assignment] = []
        at = t0
        for _ in range(rng.randrange(6)):
            at += minute * rng.randrange(1, 30)
            kind = rng.choice((Message, Handoff, Assignment))
            events.append(kind(at=at, agent_id="a1") if kind is Assignment else kind(at=at))
        tickets.append(
            Ticket(id=f"T{i}", customer_id="C", channel="chat", created_at=t0, events=events)
        )
    by_hand = [sum(isinstance(e, Handoff) for e in t.events) for t in tickets]
    metrics = ticket_metrics(tickets)
    assert metrics.column("handoffs") == by_hand
    assert sum(by_hand) > 0
    assert int(metrics.to_pandas()["handoffs"].sum()) == sum(by_hand)
    assert metrics.to_polars()["handoffs"].sum() == sum(by_hand)
    assert metrics.to_arrow().column("handoffs").to_pylist() == by_hand
