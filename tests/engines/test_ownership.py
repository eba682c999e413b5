"""Each ticket's assignee and group folded in an engine equal :class:`cs8.Ticket`'s own.

The oracle is the object path: the same events given to ``Ticket`` objects, whose ``assignee``
(the last assignment's agent) and ``group`` (the latest assignment naming one) are read. Events at
distinct instants only: an engine has no row order, so the tie rule has its own hand case.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs8 import Assignment, Message, Ticket, TicketEvent
from cs8.engines._ownership import assignment_facts
from cs8.exceptions import InvalidValueError, UnknownFieldError

duckdb = pytest.importorskip("duckdb")
pl = pytest.importorskip("polars")
pytest.importorskip("narwhals")

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
_AGENTS = st.sampled_from([None, "a1", "a2", "a10"])
_GROUPS = st.sampled_from([None, "sales", "billing"])
# One ticket's log: (minutes after creation, kind, agent, group); the instants are made distinct.
_LOG = st.lists(
    st.tuples(
        st.sampled_from(["assignment", "assign", "message", "Assignment "]), _AGENTS, _GROUPS
    ),
    max_size=6,
)


def _tables(logs: list[list[tuple[str, str | None, str | None]]]) -> tuple[list[Ticket], Any]:
    tickets, rows = [], []
    for k, log in enumerate(logs):
        events: list[TicketEvent] = []
        for minute, (kind, agent, group) in enumerate(log, start=1):
            at = T0 + timedelta(minutes=minute)
            rows.append((f"T{k}", kind, at, agent or "", group))
            if kind.strip().lower() in ("assignment", "assign"):
                events.append(Assignment(at=at, agent_id=agent, group=group))
            else:
                events.append(Message(at=at))
        tickets.append(
            Ticket(id=f"T{k}", customer_id="C1", channel="email", created_at=T0, events=events)
        )
    frame = pl.DataFrame(
        rows,
        schema={
            "ticket_id": pl.String,
            "type": pl.String,
            "at": pl.Datetime("us", "UTC"),
            "agent_id": pl.String,
            "group": pl.String,
        },
        orient="row",
    )
    return tickets, frame


def _held(native: object) -> dict[str, tuple[str | None, str | None]]:
    frame = assignment_facts(native).collect(backend="polars").to_native()
    return {row[0]: (row[1], row[2]) for row in frame.iter_rows()}


@settings(max_examples=40, deadline=None)  # two engine queries an example: keep CI short
@given(st.lists(_LOG, min_size=1, max_size=5))
def test_assignee_and_group_equal_the_object_path(
    logs: list[list[tuple[str, str | None, str | None]]],
) -> None:
    tickets, frame = _tables(logs)
    expected = {
        t.id: (t.assignee, t.group)
        for t in tickets
        if any(isinstance(e, Assignment) for e in t.events)
    }
    con = duckdb.connect()
    for native in (frame.lazy(), con.from_arrow(frame.to_arrow())):
        assert _held(native) == expected
    con.close()


def test_simultaneous_assignments_take_the_greatest_agent_and_group() -> None:
    at = T0 + timedelta(hours=1)
    frame = pl.DataFrame(
        {
            "ticket_id": ["T1", "T1", "T1", "T2", "T2"],
            "type": ["assignment"] * 5,
            "at": [at, at, T0, at, at],
            "agent_id": ["a1", "a2", "a9", None, "a1"],
            "group": ["billing", None, "zz", "sales", None],
        }
    ).with_columns(pl.col("at").dt.replace_time_zone("UTC"))
    # T1: a2 beats a1 at the last instant; the group is the latest naming one (billing, not
    # the earlier zz). T2: a named agent beats an unassignment at the same instant.
    assert _held(frame.lazy()) == {"T1": ("a2", "billing"), "T2": ("a1", "sales")}


def test_missing_columns_and_naive_instants_are_named() -> None:
    frame = pl.DataFrame({"ticket_id": ["T1"], "type": ["assignment"], "at": [T0]})
    with pytest.raises(UnknownFieldError, match="'when' for field 'at'"):
        assignment_facts(frame.lazy(), event_columns={"at": "when"})
    naive = frame.with_columns(pl.col("at").dt.replace_time_zone(None))
    with pytest.raises(InvalidValueError, match="localize"):
        assignment_facts(naive.lazy())
    # Without agent and group columns every assignment unassigns.
    assert _held(frame.lazy()) == {"T1": (None, None)}
