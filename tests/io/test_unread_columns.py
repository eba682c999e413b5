"""A column no field reads is named in ``LoadResult.warnings``, never dropped without a word.

Issue 12: ``read_tickets`` ignored a ``status`` column silently (a ticket's status comes from its
events). Every CSV reader now names the columns it leaves; JSON Lines rejects an unknown key.
"""

from __future__ import annotations

import io

import pytest

from cs8.io import (
    iter_interactions,
    iter_tickets,
    read_customers,
    read_event_log,
    read_interactions,
    read_tickets,
)

CALLS = "id,customer_id,channel,started_at,{extra}\n" + "".join(
    f"I{i},C1,phone,2026-01-05T09:0{i}:00Z,x\n" for i in range(3)
)


def test_a_column_no_field_reads_is_named() -> None:
    result = read_interactions(io.StringIO(CALLS.format(extra="notes")))
    assert len(result.records) == 3
    assert result.warnings == ("columns not read: 'notes'",)


def test_columns_read_through_a_mapping_are_not_named() -> None:
    text = "number,who,day,time,medium\nI1,C1,2026-01-05,09:00,phone\n"
    result = read_interactions(
        io.StringIO(text),
        columns={"id": "number", "customer_id": ["who", "caller"], "started_at": ("day", "time")},
        constants={"channel": "phone"},
        timezone="UTC",
    )
    # "medium" would be the channel only if mapped: the constant wins, so the column is named.
    assert result.warnings == ("columns not read: 'medium'",)
    assert read_customers(io.StringIO("id,segment\nC1,vip\n")).warnings == ()


def test_a_status_column_on_tickets_is_named_with_where_status_comes_from() -> None:
    text = "id,customer_id,channel,created_at,status\nT1,C1,web,2026-01-05T09:00:00Z,solved\n"
    result = read_tickets(io.StringIO(text))
    assert result.records[0].status.value == "new"  # no event says otherwise
    (warning,) = result.warnings
    assert warning.startswith("<stream>: columns not read: 'status' (a ticket's status comes")
    assert "read_event_log" in warning


def test_an_events_file_column_no_event_kind_reads_is_named() -> None:
    tickets = io.StringIO("id,customer_id,channel,created_at\nT1,C1,web,2026-01-05T09:00:00Z\n")
    events = io.StringIO(
        "ticket_id,type,at,status,mood\nT1,status_change,2026-01-05T10:00:00Z,solved,calm\n"
    )
    events.name = "events.csv"
    result = read_tickets(tickets, events)
    assert result.records[0].status.value == "solved"
    assert result.warnings == ("events.csv: columns not read: 'mood'",)


@pytest.mark.parametrize("chunk_size", [1, 10])
def test_a_stream_names_the_columns_once_in_its_first_chunk(chunk_size: int) -> None:
    chunks = list(
        iter_interactions(io.StringIO(CALLS.format(extra="notes")), chunk_size=chunk_size)
    )
    assert chunks[0].warnings == ("columns not read: 'notes'",)
    assert all(c.warnings == () for c in chunks[1:])
    text = "id,customer_id,channel,created_at,status\nT1,C1,web,2026-01-05T09:00:00Z,open\n"
    (chunk,) = iter_tickets(io.StringIO(text))
    assert "a ticket's status comes from its events" in chunk.warnings[0]


def test_an_event_log_names_the_columns_it_does_not_map() -> None:
    text = "case,at,activity,variant\nK1,2026-01-05T09:00:00Z,Resolve ticket,v1\n"
    result = read_event_log(
        io.StringIO(text), case="case", at="at", activity="activity", constants={"customer_id": "c"}
    )
    assert result.warnings == ("columns not read: 'variant'",)


def test_many_columns_are_shown_twenty_at_a_time_and_escaped() -> None:
    extra = ",".join(f"c{i}" for i in range(25)) + ",\x1b[2Jx"
    text = f"id,segment,{extra}\nC1,vip{',' * 26}\n"
    (warning,) = read_customers(io.StringIO(text)).warnings
    assert warning.endswith("'c19' and 6 more")
    text = "id,segment,\x1b[2Jx\nC1,vip,\n"
    (warning,) = read_customers(io.StringIO(text)).warnings
    assert "\x1b" not in warning
    assert "\\x1b[2Jx" in warning


def test_json_lines_reject_a_key_no_field_reads() -> None:
    line = '{"id": "C1", "segment": "vip", "status": "open"}\n'
    result = read_customers(io.StringIO(line), format="jsonl")
    assert result.records == ()
    assert "status" in result.rejected[0].reason
