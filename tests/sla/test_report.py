"""The many-ticket SLA report: attainment groups, breaches, tickets at risk, tables."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import ActorKind, Customer, Message, SlaError, StatusChange, Ticket
from cs8.sla import SlaMetric, SlaPolicy, SlaReport, SlaState, SlaTarget, sla_report
from tests.sla.strategies_sla import MINUTE, calendar_hours_policy, last_event_at, tickets

H = timedelta(hours=1)
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

POLICY = SlaPolicy(
    name="std",
    targets=[
        SlaTarget(metric="first_reply", within=H, priority="urgent", business_hours=False),
        SlaTarget(metric="first_reply", within=4 * H, business_hours=False),
        SlaTarget(metric="next_reply", within=2 * H, business_hours=False),
        SlaTarget(metric="resolution", within=8 * H, business_hours=False),
    ],
)


def make(tid: str, created: datetime, *events: object, **kw: object) -> Ticket:
    return Ticket(
        id=tid,
        customer_id=kw.pop("customer_id", "C1"),  # type: ignore[arg-type]
        channel=kw.pop("channel", "email"),
        created_at=created,
        events=events,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def agent(t: datetime) -> Message:
    return Message(at=t, author=ActorKind.AGENT)


def customer(t: datetime) -> Message:
    return Message(at=t, author=ActorKind.CUSTOMER)


TICKETS = [
    # Met first reply, next reply breached (3 h), solved in time.
    make(
        "A",
        T0,
        agent(T0 + 0.5 * H),
        customer(T0 + H),
        agent(T0 + 4 * H),
        StatusChange(at=T0 + 5 * H, status="solved"),
        customer_id="VIP1",
    ),
    # Urgent chat, first reply late (2 h against 1 h).
    make("B", T0 + H, agent(T0 + 3 * H), priority="urgent", channel="chat"),
    # Still waiting for a first reply: 4 h target due at T0 + 10 h.
    make("C", T0 + 6 * H),
    # Pending: the resolution clock is paused.
    make("D", T0, agent(T0 + 0.5 * H), StatusChange(at=T0 + H, status="pending")),
]
CUSTOMERS = [Customer(id="VIP1", segment="vip"), Customer(id="C1", segment="repeat")]
NOW = T0 + 7 * H


def report(**kw: object) -> SlaReport:
    return sla_report(TICKETS, POLICY, now=NOW, customers=CUSTOMERS, **kw)  # type: ignore[arg-type]


def test_attainment_over_all_tickets() -> None:
    row = report().rate("first_reply")
    assert (row.achieved, row.breached, row.value) == (2, 1, 2 / 3)  # type: ignore[union-attr]


def test_attainment_by_priority() -> None:
    urgent = report().rate(SlaMetric.FIRST_REPLY, by="priority", key="urgent")
    assert (urgent.achieved, urgent.breached) == (0, 1)  # type: ignore[union-attr]


def test_attainment_by_segment_and_channel() -> None:
    r = report()
    vip = r.rate("first_reply", by="segment", key="vip")
    chat = r.rate("first_reply", by="channel", key="chat")
    assert ((vip.n, vip.value), (chat.n, chat.value)) == ((1, 1.0), (1, 0.0))  # type: ignore[union-attr]


def test_attainment_by_period_in_a_time_zone() -> None:
    # Kiritimati is UTC+14: A and D start at 09:00 UTC (23:00 on 2 March there), B at 10:00 UTC
    # (00:00 on 3 March there). C is still running and not counted.
    r = report(period="day", timezone="Pacific/Kiritimati")
    days = [
        (row.key, row.n)
        for row in r.attainment
        if row.by == "period" and row.metric.value == "first_reply"
    ]
    assert days == [("2026-03-02", 2), ("2026-03-03", 1)]


def test_week_and_month_period_keys() -> None:
    keys = {
        period: {row.key for row in report(period=period).attainment if row.by == "period"}
        for period in ("week", "month")
    }
    assert keys == {"week": {"2026-W10"}, "month": {"2026-03"}}


def test_a_running_breached_clock_counts_as_breached() -> None:
    r = sla_report(TICKETS, POLICY, now=T0 + 20 * H)
    resolution = r.rate("resolution")
    # A solved in 5 h; B and C ran past 8 h; D is paused after 1 h and not counted.
    assert (resolution.achieved, resolution.breached) == (1, 2)  # type: ignore[union-attr]


def test_every_completed_cycle_counts() -> None:
    row = report().rate("next_reply")
    assert (row.achieved, row.breached) == (0, 1)  # type: ignore[union-attr]


def test_breaches_are_listed_by_breach_time() -> None:
    got = [(b.ticket_id, b.metric, b.breached_at) for b in report().breaches]
    assert got == [
        ("B", SlaMetric.FIRST_REPLY, T0 + 2 * H),
        ("A", SlaMetric.NEXT_REPLY, T0 + 3 * H),
    ]


def test_breach_records_overdue_time() -> None:
    assert report().breaches[0].overdue == H


def test_at_risk_lists_running_clocks_due_within_the_horizon_soonest_first() -> None:
    got = [(r.ticket_id, r.metric, r.due_at) for r in report(horizon=4 * H).at_risk]
    assert got == [
        ("B", SlaMetric.RESOLUTION, T0 + 9 * H),
        ("C", SlaMetric.FIRST_REPLY, T0 + 10 * H),
    ]


def test_at_risk_excludes_clocks_due_after_the_horizon() -> None:
    assert [r.ticket_id for r in report(horizon=2.5 * H).at_risk] == ["B"]


def test_paused_clocks_are_not_at_risk() -> None:
    assert "D" not in {r.ticket_id for r in report(horizon=100 * H).at_risk}


def test_customers_may_be_a_mapping() -> None:
    by_id = {c.id: c for c in CUSTOMERS}
    r = sla_report(TICKETS, POLICY, now=NOW, customers=by_id)
    assert r.rate("first_reply", by="segment", key="vip").n == 1  # type: ignore[union-attr]


def test_unknown_segments_are_grouped_as_unknown() -> None:
    r = sla_report(TICKETS, POLICY, now=NOW)
    assert r.rate("first_reply", by="segment", key="unknown").n == 3  # type: ignore[union-attr]


def test_to_dicts_attainment_has_rate_columns() -> None:
    first = report().to_dicts()[0]
    assert first == {
        "metric": "first_reply",
        "by": "all",
        "key": "all",
        "achieved": 2,
        "breached": 1,
        "n": 3,
        "value": 2 / 3,
        "ci_low": first["ci_low"],
        "ci_high": first["ci_high"],
    }


def test_attainment_interval_is_wilson() -> None:
    # Wilson score interval for 2 of 3 at 95 %, worked by hand from the formula in Wilson,
    # "Probable inference, the law of succession, and statistical inference", JASA 22(158):209-212
    # (1927): centre (2/3 + z²/6) / (1 + z²/3), giving 0.2077 to 0.9385.
    row = report().rate("first_reply")
    assert (round(row.ci_low, 4), round(row.ci_high, 4)) == (0.2077, 0.9385)  # type: ignore[union-attr]


def test_to_dicts_breaches_uses_plain_values() -> None:
    row = report().to_dicts("breaches")[0]
    assert (row["ticket_id"], row["metric"], row["priority"], row["channel"]) == (
        "B",
        "first_reply",
        "urgent",
        "chat",
    )


def test_to_dicts_rejects_an_unknown_table() -> None:
    with pytest.raises(SlaError, match="table must be"):
        report().to_dicts("nope")  # type: ignore[arg-type]


def test_to_pandas_has_one_row_per_breach() -> None:
    pytest.importorskip("pandas")
    assert report().to_pandas("breaches").shape[0] == 2  # type: ignore[attr-defined]


def test_to_polars_has_one_row_per_group() -> None:
    pytest.importorskip("polars")
    r = report()
    assert r.to_polars().height == len(r.attainment)  # type: ignore[attr-defined]


def test_text_and_html_renderings_name_the_policy() -> None:
    r = report()
    assert ("'std'" in str(r), "<table>" in r._repr_html_()) == (True, True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period": "year"}, "period must be"),
        ({"timezone": "Mars/Olympus"}, "IANA time zone"),
        ({"horizon": -H}, "horizon must be"),
    ],
)
def test_invalid_report_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(SlaError, match=message):
        sla_report(TICKETS, POLICY, now=NOW, **kwargs)  # type: ignore[arg-type]


def test_importing_cs8_sla_does_not_import_dataframe_libraries() -> None:
    code = (
        "import sys, cs8.sla; "
        "print(sorted(m for m in ('pandas', 'polars', 'numpy', 'narwhals') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@given(st.lists(tickets(), max_size=6), st.integers(0, 600))
def test_groups_of_each_dimension_add_up_to_the_whole(ts: list[Ticket], extra: int) -> None:
    ts = [attrs.evolve(t, id=f"T{i}") for i, t in enumerate(ts)]
    now = max((last_event_at(t) for t in ts), default=T0) + extra * MINUTE
    r = sla_report(ts, calendar_hours_policy(2 * H), now=now, period="day")
    for metric in SlaMetric:
        whole = r.rate(metric)
        for by in ("priority", "segment", "channel", "period"):
            parts = [row for row in r.attainment if row.metric is metric and row.by == by]
            total = (sum(p.achieved for p in parts), sum(p.breached for p in parts))
            assert total == ((whole.achieved, whole.breached) if whole else (0, 0))


@given(st.lists(tickets(), max_size=6), st.integers(0, 600))
def test_report_counts_match_the_per_ticket_results(ts: list[Ticket], extra: int) -> None:
    ts = [attrs.evolve(t, id=f"T{i}") for i, t in enumerate(ts)]
    now = max((last_event_at(t) for t in ts), default=T0) + extra * MINUTE
    policy = calendar_hours_policy(2 * H)
    r = sla_report(ts, policy, now=now)
    breached = 0
    for t in ts:
        for result in policy.evaluate(t, now=now):
            breached += result.breached_cycles
            breached += result.state is SlaState.BREACHED and result.completed_at is None
    assert len(r.breaches) == breached
