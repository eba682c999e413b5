"""cs8.io.read_event_log: state histories and activity logs, ordering, skew and mappings."""

from __future__ import annotations

import io
from typing import Any

import pytest

from cs8 import LoadError, Priority, Ticket, TicketStatus
from cs8.io import LoadResult, read_event_log

# A ServiceNow-style state history: one row per state, with a sequence number (sys_audit order).
HISTORY = """\
number,sys_updated_on,state,assigned_to,priority,seq,caller
INC1,29-02-2016 01:16,New,,3 - Moderate,1,u1
INC1,29-02-2016 01:20,In Progress,ann,3 - Moderate,2,u1
INC1,29-02-2016 02:00,Awaiting User Info,ann,2 - High,3,u1
INC1,29-02-2016 03:00,Resolved,ann,2 - High,4,u1
INC1,29-02-2016 04:00,In Progress,bob,2 - High,5,u1
INC1,29-02-2016 05:00,Resolved,bob,2 - High,6,u1
"""
STATES = {
    "New": "new",
    "In Progress": "open",
    "Awaiting User Info": "pending",
    "Resolved": "solved",
}
PRIORITIES = {"3 - Moderate": "normal", "2 - High": "high"}


def read(text: str, **options: Any) -> LoadResult[Ticket]:
    defaults: dict[str, Any] = {
        "case": "number",
        "at": "sys_updated_on",
        "status": "state",
        "resource": "assigned_to",
        "priority": "priority",
        "customer": "caller",
        "values": {"status": STATES, "priority": PRIORITIES},
        "date_format": "%d-%m-%Y %H:%M",
        "timezone": "UTC",
    }
    defaults.update(options)
    return read_event_log(io.StringIO(text), **defaults)


def test_a_state_history_becomes_status_assignment_and_priority_events() -> None:
    ticket = read(HISTORY).records[0]
    assert ticket.reopen_count == 1
    assert (ticket.priority, ticket.current_priority) == (Priority.NORMAL, Priority.HIGH)
    assert (ticket.assignee, ticket.status) == ("bob", TicketStatus.SOLVED)
    assert ticket.customer_id == "u1"


def test_rows_out_of_file_order_are_ordered_by_time_with_a_warning() -> None:
    lines = HISTORY.splitlines(keepends=True)
    shuffled = lines[0] + lines[1] + lines[3] + lines[2] + "".join(lines[4:])
    result = read(shuffled)
    assert result.records[0].reopen_count == 1
    assert "not in time order" in result.warnings[0]


def test_a_sequence_column_orders_rows_and_disagreeing_times_reject_the_case() -> None:
    skewed = HISTORY.replace("29-02-2016 03:00,Resolved", "29-02-2016 01:50,Resolved")
    skewed = skewed.replace("29-02-2016 02:00,Awaiting", "29-02-2016 02:30,Awaiting")
    result = read(skewed, sequence="seq")
    assert "in sequence order" in result.rejected[0].reason
    assert len(result.rejected_events) == 6


def test_a_row_before_the_creation_is_clamped_on_request() -> None:
    text = "case,at,created,activity\nC1,2026-01-05T08:58:00Z,2026-01-05T09:00:00Z,Resolve ticket\n"
    options = {"case": "case", "at": "at", "created": "created", "activity": "activity"}
    rejected = read_event_log(io.StringIO(text), constants={"customer_id": "c"}, **options)
    clamped = read_event_log(
        io.StringIO(text), constants={"customer_id": "c"}, before_created="clamp", **options
    )
    assert "before_created='clamp'" in rejected.rejected[0].reason
    assert clamped.records[0].solved_at == clamped.records[0].created_at
    assert "moved to the creation" in clamped.warnings[0]


def test_an_unmapped_activity_rejects_its_case_saying_how_to_map_it() -> None:
    text = "case,at,activity\nC1,2026-01-05T09:00:00Z,Escalate\n"
    result = read_event_log(
        io.StringIO(text), case="case", at="at", activity="activity", constants={"customer_id": "c"}
    )
    assert "values={'activity'" in result.rejected[0].reason


def test_a_requester_is_needed() -> None:
    with pytest.raises(LoadError, match="customer="):
        read_event_log(io.StringIO("case,at,activity\n"), case="case", at="at", activity="activity")


def test_a_missing_column_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="lacks the status column 'state'"):
        read(HISTORY.replace("state", "status"))
