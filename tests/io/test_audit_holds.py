"""Two bullets of issue 12's "What goes wrong today" list that held on audit but had no test of
their own: a ticket file with a few minutes of clock skew, and Zendesk's ``hold``."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from cs8 import TicketStatus
from cs8.io import read_tickets, read_zendesk

TICKETS = "id,customer_id,channel,created_at\nT1,C1,email,2026-01-05T09:00:00Z\n"
# The solve is stamped 3 minutes before the ticket's creation (clock skew between systems).
EVENTS = "ticket_id,type,at,status\nT1,status,2026-01-05T08:57:00Z,solved\n"


def test_clock_skew_rejects_the_ticket_or_is_clamped_on_request() -> None:
    strict = read_tickets(io.StringIO(TICKETS), events=io.StringIO(EVENTS))
    assert (strict.records, len(strict.rejected)) == ((), 1)
    clamped = read_tickets(io.StringIO(TICKETS), events=io.StringIO(EVENTS), before_created="clamp")
    (ticket,) = clamped.records
    assert ticket.status is TicketStatus.SOLVED
    assert ticket.solved_at == datetime(2026, 1, 5, 9, tzinfo=UTC)  # moved to the creation
    assert any("clamp" in w or "moved" in w for w in clamped.warnings), clamped.warnings


def test_zendesk_hold_is_on_hold(tmp_path: Path) -> None:
    (tmp_path / "ticket.csv").write_text(
        "id,created_at,updated_at,requester_id,via_channel,priority,status,type\n"
        "7,2020-02-19 01:54:52,2020-02-19 03:00:00,42,api,high,hold,\n"
    )
    (ticket,) = read_zendesk(tmp_path).tickets
    assert (ticket.status, ticket.channel_raw) == (TicketStatus.ON_HOLD, "api")
