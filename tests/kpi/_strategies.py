"""Hypothesis strategies for KPI tests: tickets with random but valid event logs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from cs8 import ActorKind, Message, StatusChange, Ticket, TicketStatus

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

_authors = st.sampled_from([ActorKind.CUSTOMER, ActorKind.AGENT, ActorKind.BOT])
_statuses = st.sampled_from(list(TicketStatus)[1:])


@st.composite
def tickets(draw: st.DrawFn, index: int = 0) -> Ticket:
    """A ticket with up to 8 messages and status changes at increasing minutes."""
    created = T0 + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))
    steps = draw(st.lists(st.integers(0, 600), max_size=8))
    events: list[Message | StatusChange] = []
    at = created
    for step in steps:
        at = at + timedelta(minutes=step)
        if draw(st.booleans()):
            events.append(
                Message(
                    at=at,
                    author=draw(_authors),
                    author_id=draw(st.sampled_from(["a1", "a2", None])),
                    public=draw(st.booleans() | st.just(True)),
                )
            )
        else:
            events.append(StatusChange(at=at, status=draw(_statuses)))
    return Ticket(
        id=f"T{index}-{draw(st.integers(0, 10**9))}",
        customer_id=draw(st.sampled_from(["C1", "C2", "C3"])),
        channel=draw(st.sampled_from(["email", "chat", "phone"])),
        created_at=created,
        events=events,
        created_by=draw(st.sampled_from([ActorKind.CUSTOMER, ActorKind.AGENT])),
        merged_into=draw(st.sampled_from([None, None, None, "T0"])),
    )


ticket_lists = st.lists(tickets(), max_size=12)
