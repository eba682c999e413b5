"""Message text, event ids and interaction transcripts load and write like any other column."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cs8 import Interaction, Message, StatusChange, Ticket
from cs8.io import read_interactions, read_tickets, write_records, write_tickets

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_message_text_and_event_ids_round_trip_through_csv(tmp_path: Path) -> None:
    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=T0,
        events=[
            Message(at=T0, author="customer", text="Tôi muốn hoàn tiền, giao hàng chậm", id="m1"),
            StatusChange(at=T0.replace(hour=10), status="solved", id="s1"),
        ],
    )
    write_tickets([ticket], tmp_path / "tickets.csv", tmp_path / "events.csv")
    loaded = read_tickets(tmp_path / "tickets.csv", tmp_path / "events.csv")
    assert (loaded.records, loaded.rejected) == ((ticket,), ())


def test_interaction_transcripts_round_trip_through_csv(tmp_path: Path) -> None:
    chat = Interaction(
        id="I1",
        customer_id="C1",
        channel="chat",
        started_at=T0,
        transcript="bot: xin chào\nkhách: ok",
    )
    write_records([chat], tmp_path / "interactions.csv")
    loaded = read_interactions(tmp_path / "interactions.csv")
    assert loaded.records == (chat,)
