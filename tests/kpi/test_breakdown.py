"""Tests of breakdown() and KpiTable: grouping, periods in a zone, attribution, conversions."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest
from hypothesis import given

from cs8 import Assignment, Message, StatusChange, Ticket
from cs8.exceptions import InvalidValueError, UnknownFieldError
from cs8.kpi import KpiTable, Rate, breakdown, first_reply_time, reopen_rate, volume
from tests.kpi._strategies import ticket_lists

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
H = timedelta(hours=1)


def ticket(tid: str, created: datetime, *events: object, **kw: object) -> Ticket:
    return Ticket(
        id=tid,
        customer_id=str(kw.pop("customer_id", "C1")),
        channel=str(kw.pop("channel", "email")),
        created_at=created,
        events=events,
        **kw,
    )  # type: ignore[arg-type]


def test_breakdown_by_channel_groups_records() -> None:
    tickets = [ticket("1", T0, channel="chat"), ticket("2", T0), ticket("3", T0)]
    rows = breakdown(volume, tickets, by="channel").to_dicts()
    assert [(r["channel"], r["value"]) for r in rows] == [("chat", 1), ("email", 2)]


def test_breakdown_without_dimensions_is_whole() -> None:
    tickets = [ticket("1", T0, Message(at=T0 + H))]
    table = breakdown(first_reply_time, tickets)
    assert first_reply_time(tickets) == table[()]


def test_breakdown_of_nothing_without_dimensions_has_one_row() -> None:
    assert len(breakdown(volume, [])) == 1


def test_period_is_cut_in_time_zone() -> None:
    late = ticket("1", datetime(2026, 3, 1, 23, 30, tzinfo=UTC))  # 2 March in Ho Chi Minh City
    rows = breakdown(volume, [late], by="period", timezone="Asia/Ho_Chi_Minh").to_dicts()
    assert date(2026, 3, 2) == rows[0]["period"]


def test_week_starts_on_monday() -> None:
    sunday = ticket("1", T0 + 6 * 24 * H)
    rows = breakdown(volume, [sunday], by="period", period="week").to_dicts()
    assert date(2026, 3, 2) == rows[0]["period"]


def test_month_period() -> None:
    rows = breakdown(volume, [ticket("1", T0)], by="period", period="month").to_dicts()
    assert date(2026, 3, 1) == rows[0]["period"]


def test_attribution_by_solve_date() -> None:
    t = ticket("1", T0, StatusChange(at=T0 + 48 * H, status="solved"))
    rows = breakdown(reopen_rate, [t], by="period", attribution="solved").to_dicts()
    assert date(2026, 3, 4) == rows[0]["period"]


def test_unsolved_ticket_goes_to_period_none() -> None:
    rows = breakdown(volume, [ticket("1", T0)], by="period", attribution="solved").to_dicts()
    assert rows[0]["period"] is None


def test_agent_rule_first_or_last() -> None:
    t = ticket("1", T0, Assignment(at=T0, agent_id="a1"), Assignment(at=T0 + H, agent_id="a2"))
    first = breakdown(volume, [t], by="agent", agent_rule="first").to_dicts()[0]["agent"]
    last = breakdown(volume, [t], by="agent").to_dicts()[0]["agent"]
    assert (first, last) == ("a1", "a2")


def test_team_and_segment_come_from_mappings() -> None:
    t = ticket("1", T0, Assignment(at=T0, agent_id="a1"))
    row = breakdown(
        volume, [t], by=("team", "segment"), teams={"a1": "billing"}, segments={"C1": "vip"}
    ).to_dicts()[0]
    assert (row["team"], row["segment"]) == ("billing", "vip")


def test_priority_and_category_dimensions() -> None:
    t = ticket("1", T0, priority="high", category="refund")
    row = breakdown(volume, [t], by=["priority", "category"]).to_dicts()[0]
    assert (row["priority"], row["category"]) == ("high", "refund")


def test_key_function_dimension() -> None:
    def hour(t: Ticket) -> int:
        return t.created_at.hour

    assert [r["hour"] for r in breakdown(volume, [ticket("1", T0)], by=hour).to_dicts()] == [9]


def test_bound_kpi_arguments_with_partial() -> None:
    t = ticket("1", T0, Message(at=T0 + H))
    table = breakdown(partial(first_reply_time, period=(T0 + H, T0 + 2 * H)), [t], by="channel")
    assert dict(table[("email",)].excluded) == {"outside_period": 1}  # type: ignore[attr-defined]


def test_unknown_dimension_is_rejected() -> None:
    with pytest.raises(UnknownFieldError, match="colour"):
        breakdown(volume, [ticket("1", T0)], by="colour")


def test_unknown_zone_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="Mars/Base"):
        breakdown(volume, [], by="period", timezone="Mars/Base")


def test_to_dicts_flattens_excluded_reasons() -> None:
    rows = breakdown(first_reply_time, [ticket("1", T0)], by="channel").to_dicts()
    assert rows[0]["excluded.unreplied"] == 1


def test_to_pandas_has_one_row_per_group() -> None:
    pytest.importorskip("pandas")
    tickets = [ticket("1", T0, channel="chat"), ticket("2", T0)]
    frame = breakdown(volume, tickets, by="channel").to_pandas()
    assert list(frame["channel"]) == ["chat", "email"]


def test_to_polars_has_one_row_per_group() -> None:
    pytest.importorskip("polars")
    tickets = [ticket("1", T0, channel="chat"), ticket("2", T0)]
    frame = breakdown(volume, tickets, by="channel").to_polars()
    assert frame["channel"].to_list() == ["chat", "email"]


def test_table_renders_text_and_html() -> None:
    table = KpiTable(dimensions=("team",), rows=((("a",), Rate.of(1, 2)),))
    assert ("team" in str(table), table._repr_html_().startswith("<table>")) == (True, True)


def test_importing_kpi_does_not_import_dataframe_libraries() -> None:
    code = "import sys, cs8.kpi; print(sorted(m for m in ('pandas', 'polars', 'numpy', 'narwhals') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@given(ticket_lists)
def test_group_volumes_add_up_to_total(tickets: list[Ticket]) -> None:
    table = breakdown(volume, tickets, by=("channel", "period"))
    assert volume(tickets).value == sum(r.value for _, r in table)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------
# The period argument is named as in sla_report; groups come in their natural order


def test_period_names_the_length_of_a_period_as_sla_report_does() -> None:
    tickets = [ticket(str(i), T0 + timedelta(days=9 * i)) for i in range(5)]
    rows = breakdown(volume, tickets, by="period", period="month").to_dicts()
    assert [(r["period"], r["value"]) for r in rows] == [
        (date(2026, 3, 1), 4),
        (date(2026, 4, 1), 1),
    ]


def test_granularity_still_works_with_a_deprecation_warning() -> None:
    tickets = [ticket(str(i), T0 + timedelta(days=3 * i)) for i in range(5)]
    with pytest.warns(DeprecationWarning, match="period="):
        old = breakdown(volume, tickets, by="period", granularity="week")
    assert old == breakdown(volume, tickets, by="period", period="week")
    with pytest.raises(InvalidValueError, match="granularity"):
        breakdown(volume, tickets, by="period", period="week", granularity="week")


def test_period_keys_are_dates_and_records_without_the_instant_come_last() -> None:
    solved = ticket("1", T0, StatusChange(at=T0 + H, status="solved"))
    rows = breakdown(
        volume, [ticket("2", T0), solved], by="period", attribution="solved"
    ).to_dicts()
    assert [r["period"] for r in rows] == [date(2026, 3, 2), None]


def test_priorities_come_in_rank_order() -> None:
    names = ["urgent", "low", "high", "normal"]
    tickets = [ticket(str(i), T0, priority=p) for i, p in enumerate(names)]
    rows = breakdown(volume, tickets, by="priority").to_dicts()
    assert [str(r["priority"]) for r in rows] == ["low", "normal", "high", "urgent"]


def test_numbers_sort_numerically_whatever_their_type() -> None:
    sizes = {"a": 10, "b": 9, "c": 2.5, "d": None, "e": 1}
    tickets = [ticket(k, T0) for k in sizes]

    def size(t: Ticket) -> object:
        return sizes[t.id]

    rows = breakdown(volume, tickets, by=size).to_dicts()
    assert [r["size"] for r in rows] == [1, 2.5, 9, 10, None]


def test_breakdown_frame_takes_period_and_orders_priorities_by_rank() -> None:
    pd = pytest.importorskip("pandas")
    tickets = pd.DataFrame(
        {
            "id": ["A", "B", "C", "D"],
            "priority": ["urgent", "low", "high", "normal"],
            "created_at": ["2026-03-02T09:00:00+00:00"] * 3 + ["2026-04-02T09:00:00+00:00"],
        }
    )
    events = pd.DataFrame(
        {"ticket_id": ["A"], "type": ["message"], "at": ["2026-03-02T10:00:00+00:00"]}
    )
    out = breakdown.frame("first_reply_time", tickets, events, by="priority")
    assert out["priority"].tolist() == ["low", "normal", "high", "urgent"]
    monthly = breakdown.frame("first_reply_time", tickets, events, by="period", period="month")
    assert monthly["period"].tolist() == [date(2026, 3, 1), date(2026, 4, 1)]
    with pytest.warns(DeprecationWarning, match="period="):
        old = breakdown.frame("first_reply_time", tickets, events, by="period", granularity="month")
    assert old.equals(monthly)
