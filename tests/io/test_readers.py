"""cs8.io: every row becomes a record or a rejected row with its reason; files round-trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Channel, Customer, Interaction, LoadError, Order, SurveyResponse, Ticket
from cs8.io import (
    read_customers,
    read_interactions,
    read_orders,
    read_records,
    read_survey_responses,
    read_tickets,
    write_records,
    write_tickets,
)
from tests.strategies import customers, interactions, orders, survey_responses, tickets

MIXED_TICKETS = """\
ticket_id,requester,via,opened,priority
T1,C1,email,2026-01-05 09:00,high
T2,C2,fax,2026-01-05 09:30,normal
T3,,chat,2026-01-05 10:00,low
T4,C4,chat,yesterday,low
T5,C5,Phone,2026-01-05T10:30:00+07:00,URGENT
T6,C6,web,2026-01-05 11:00,
"""
MAPPING = {"id": "ticket_id", "customer_id": "requester", "channel": "via", "created_at": "opened"}


def stream(text: str, name: str = "tickets.csv") -> io.StringIO:
    handle = io.StringIO(text)
    handle.name = name
    return handle


def test_mixed_file_returns_every_good_row_and_every_bad_row_with_its_reason() -> None:
    result = read_tickets(stream(MIXED_TICKETS), columns=MAPPING, timezone="Asia/Ho_Chi_Minh")
    assert [t.id for t in result.records] == ["T1", "T2", "T5"]
    assert [(r.line, r.column) for r in result.rejected] == [
        (4, "requester"),
        (5, "opened"),
        (7, "priority"),
    ]
    assert "missing value for required field customer_id" in result.rejected[0].reason
    assert "ISO 8601" in result.rejected[1].reason
    assert "empty cell for Ticket.priority" in result.rejected[2].reason
    assert len(result.records) + len(result.rejected) == result.rows_read == 6


def test_unknown_channel_loads_as_other_keeping_the_raw_name_with_a_warning() -> None:
    result = read_tickets(stream(MIXED_TICKETS), columns=MAPPING, timezone="UTC")
    fax = result.records[1]
    assert (fax.channel, fax.channel_raw) == (Channel.OTHER, "fax")
    assert "'fax' (1)" in result.warnings[0]


def test_rejected_rows_keep_the_raw_row() -> None:
    result = read_tickets(stream(MIXED_TICKETS), columns=MAPPING, timezone="UTC")
    assert result.rejected[0].row["ticket_id"] == "T3"


def test_empty_enum_cell_is_rejected_not_defaulted() -> None:
    result = read_tickets(stream(MIXED_TICKETS), columns=MAPPING, timezone="UTC")
    assert "T6" not in [t.id for t in result.records]


def test_values_can_give_empty_cells_a_value() -> None:
    result = read_tickets(
        stream(MIXED_TICKETS),
        columns=MAPPING,
        timezone="UTC",
        values={"priority": {"": "normal"}},
    )
    assert result.records[-1].id == "T6"
    assert result.records[-1].priority.value == "normal"


def test_strict_raises_at_the_first_problem() -> None:
    with pytest.raises(LoadError, match=r"^tickets.csv:4: column 'requester'"):
        read_tickets(stream(MIXED_TICKETS), columns=MAPPING, timezone="UTC", strict=True)


def test_timestamp_without_offset_and_without_timezone_is_rejected() -> None:
    result = read_tickets(stream(MIXED_TICKETS), columns=MAPPING)
    assert "aware datetime" in result.rejected[0].reason or any(
        "aware datetime" in r.reason for r in result.rejected
    )
    assert [t.id for t in result.records] == ["T5"]


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"file not found: .*nope\.csv"):
        read_customers(tmp_path / "nope.csv")


def test_empty_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(LoadError, match="is empty: expected a header row"):
        read_customers(path)


def test_empty_jsonl_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n")
    with pytest.raises(LoadError, match="is empty"):
        read_orders(path)


def test_missing_mapped_column_is_one_clear_error() -> None:
    with pytest.raises(LoadError, match=r"lacks required column\(s\) 'cust' \(for customer_id\)"):
        read_tickets(stream(MIXED_TICKETS), columns={**MAPPING, "customer_id": "cust"})


def test_mapping_an_unknown_field_is_an_error() -> None:
    with pytest.raises(LoadError, match="'colour', which is not a field of Customer"):
        read_customers(stream("id\nC1\n"), columns={"colour": "c"})


def test_short_row_is_rejected_not_padded() -> None:
    result = read_customers(stream("id,segment,name\nC1,vip\n"))
    assert result.rejected[0].reason == "expected 3 cells, got 2"


def test_jsonl_bad_lines_are_rejected_with_line_numbers() -> None:
    text = '{"id": "C1"}\nnot json\n[1]\n{"segment": "vip"}\n{"id": "C5", "segment": "vip"}\n'
    result = read_customers(stream(text, "c.jsonl"))
    assert [c.id for c in result.records] == ["C1", "C5"]
    assert [r.line for r in result.rejected] == [2, 3, 4]


def test_customers_csv_with_sets_and_attributes() -> None:
    text = 'id,segment,attributes\nC1,vip,"{""plan"": ""gold""}"\n'
    assert read_customers(stream(text)).records[0].attributes["plan"] == "gold"


def test_agents_skills_and_channels_from_csv() -> None:
    from cs8 import Agent

    text = 'id,skills,channels,capacity\na1,"{""refunds"": 3}",email;chat,4\n'
    agent = read_records(Agent, stream(text)).records[0]
    assert (agent.skills["refunds"], agent.channels) == (
        3,
        frozenset({Channel.EMAIL, Channel.CHAT}),
    )


def test_interaction_durations_accept_clock_format() -> None:
    text = "id,customer_id,channel,started_at,answered_at,ended_at,talk_time\nI1,C1,phone,2026-01-05T09:00:00Z,2026-01-05T09:00:20Z,2026-01-05T09:05:00Z,0:04:40\n"
    call = read_interactions(stream(text)).records[0]
    assert call.talk_time.total_seconds() == 280


def test_survey_score_off_scale_is_rejected_naming_the_column() -> None:
    result = read_survey_responses(stream("kind,score,at\ncsat,9,2026-01-05T10:00:00Z\n"))
    assert (result.rejected[0].column, result.rejected[0].value) == ("score", "9")


# ------------------------------------------------------------------ tickets + events

TICKETS = "id,customer_id,channel,created_at\nT1,C1,email,2026-01-05T09:00:00Z\nT2,C2,chat,2026-01-05T09:00:00Z\n"


def test_events_are_sorted_per_ticket_and_attached() -> None:
    events = "ticket_id,type,at,author,status\nT1,status_change,2026-01-05T12:00:00Z,,solved\nT1,message,2026-01-05T10:00:00Z,agent,\n"
    result = read_tickets(stream(TICKETS), stream(events, "events.csv"))
    assert result.records[0].solved_at is not None
    assert result.records[0].first_reply_at is not None
    assert (result.events_read, result.rejected_events) == (2, ())


def test_bad_event_rejects_its_ticket_and_names_the_event_line() -> None:
    events = "ticket_id,type,at,author,status\nT1,status_change,2026-01-05T12:00:00Z,,exploded\nT2,message,2026-01-05T10:00:00Z,customer,\n"
    result = read_tickets(stream(TICKETS), stream(events, "events.csv"))
    assert [t.id for t in result.records] == ["T2"]
    assert result.rejected[0].reason == "ticket 'T1' has rejected events (lines 2 of events.csv)"
    assert result.rejected_events[0].line == 2


def test_event_for_unknown_ticket_is_rejected() -> None:
    events = "ticket_id,type,at\nT9,message,2026-01-05T10:00:00Z\n"
    result = read_tickets(stream(TICKETS), stream(events, "events.csv"))
    assert "no ticket 'T9'" in result.rejected_events[0].reason
    assert len(result.records) == 2


def test_event_before_ticket_creation_rejects_the_ticket() -> None:
    events = "ticket_id,type,at\nT1,message,2026-01-04T10:00:00Z\n"
    result = read_tickets(stream(TICKETS), stream(events, "events.csv"))
    assert "earlier than created_at" in result.rejected[0].reason
    assert result.rejected_events[0].reason == "its ticket 'T1' was rejected"


# ------------------------------------------------------------------ nothing dropped (property)

GOOD = ("C{i},vip", "C{i},repeat", "C{i},ONE_TIME")
BAD = (",vip", "C{i},platinum", "C{i}", "C{i},vip,extra")


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3)), min_size=1, max_size=40))
def test_nothing_is_dropped(rows: list[tuple[bool, int]]) -> None:
    lines = ["id,segment"]
    for i, (good, pick) in enumerate(rows):
        template = GOOD[pick % len(GOOD)] if good else BAD[pick]
        lines.append(template.format(i=i))
    result = read_customers(stream("\n".join(lines) + "\n"))
    assert len(result.records) + len(result.rejected) == result.rows_read == len(rows)
    assert [c.id for c in result.records] == [f"C{i}" for i, (good, _) in enumerate(rows) if good]
    assert [r.line for r in result.rejected] == [
        i + 2 for i, (good, _) in enumerate(rows) if not good
    ]


# ------------------------------------------------------------------ round-trips


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@given(items=st.lists(customers(), max_size=5, unique_by=lambda c: c.id))
def test_customers_round_trip(fmt: str, items: list[Customer]) -> None:
    out = io.StringIO()
    write_records(items, out, kind=Customer, format=fmt)
    if not items and fmt == "jsonl":
        return
    back = read_records(Customer, io.StringIO(out.getvalue(), newline=""), format=fmt)
    assert list(back.records) == [_csv_normalised(c) if fmt == "csv" else c for c in items]


def _csv_normalised(customer: Customer) -> Customer:
    # In CSV a blank cell means "no value": a whitespace-only name reads back as no name, unless
    # it starts with a tab or CR, which the formula-safe writer quotes.
    import attrs

    name = customer.name
    kept = name is not None and (name.strip() or name.startswith(("\t", "\r")))
    return attrs.evolve(customer, name=name if kept else None)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@given(items=st.lists(interactions(), min_size=1, max_size=5, unique_by=lambda i: i.id))
def test_interactions_round_trip(fmt: str, items: list[Interaction]) -> None:
    out = io.StringIO()
    write_records(items, out, format=fmt)
    assert list(read_interactions(io.StringIO(out.getvalue()), format=fmt).records) == items


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@given(items=st.lists(orders(), min_size=1, max_size=5, unique_by=lambda o: o.id))
def test_orders_round_trip(fmt: str, items: list[Order]) -> None:
    out = io.StringIO()
    write_records(items, out, format=fmt)
    assert list(read_orders(io.StringIO(out.getvalue()), format=fmt).records) == items


@given(items=st.lists(survey_responses(), min_size=1, max_size=5))
def test_survey_responses_round_trip_jsonl(items: list[SurveyResponse]) -> None:
    out = io.StringIO()
    write_records(items, out, format="jsonl")
    assert list(read_survey_responses(io.StringIO(out.getvalue()), format="jsonl").records) == items


@given(items=st.lists(tickets(), min_size=1, max_size=5, unique_by=lambda t: t.id))
def test_tickets_round_trip_csv_with_events_file(items: list[Ticket]) -> None:
    out, events = io.StringIO(), io.StringIO()
    write_tickets(items, out, events, format="csv")
    back = read_tickets(
        io.StringIO(out.getvalue()),
        io.StringIO(events.getvalue()),
        format="csv",
        events_format="csv",
    )
    assert list(back.records) == items


@given(items=st.lists(tickets(), min_size=1, max_size=5, unique_by=lambda t: t.id))
def test_tickets_round_trip_jsonl(items: list[Ticket]) -> None:
    out = io.StringIO()
    write_tickets(items, out, format="jsonl")
    assert list(read_tickets(io.StringIO(out.getvalue()), format="jsonl").records) == items
