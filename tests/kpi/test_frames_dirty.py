"""Frames and objects agree on dirty CSV files: the same ``n``, ``excluded`` and values.

One definition: a frame row counts exactly when :func:`cs8.io.read_tickets` loads that ticket from
the same CSV files. What the loader rejects, the frame path leaves out and counts in ``excluded``
under one reason per kind of rejection (``invalid_ticket_row``, ``duplicate_id``,
``invalid_event_row``, ``event_before_creation``); the object path's ``excluded`` plus the loader's
rejections, counted by the same kinds, is the expected figure.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs8 import Ticket
from cs8.io import read_tickets, write_tickets
from cs8.kpi import (
    first_reply_time,
    one_touch_rate,
    reopen_rate,
    resolution_time,
    ticket_summary,
)
from cs8.kpi._summary import TicketSummary
from tests.kpi._strategies import tickets as kpi_tickets
from tests.kpi.test_frames import read_frames

pytest.importorskip("pandas")
pytest.importorskip("polars")

_R = TypeVar("_R")
_SETTINGS = settings(max_examples=60)

# The kinds of dirt: a repeated ticket row, an event before its ticket's creation, a channel cs8
# has no member for, and blank cells (in required and in optional columns).
_TICKET_BLANKS = ("id", "customer_id", "created_at", "channel", "priority", "created_by")
_EVENT_BLANKS = ("at", "type", "author", "author_id", "public", "status")


@st.composite
def dirty_csv(draw: st.DrawFn) -> tuple[str, str, set[str]]:
    """Return tickets and events CSV text with random dirt, and the kinds of dirt added."""
    base = draw(st.lists(kpi_tickets(), min_size=1, max_size=8, unique_by=lambda t: t.id))
    t_out, e_out = io.StringIO(), io.StringIO()
    write_tickets(base, t_out, e_out, format="csv")
    t_rows = list(csv.DictReader(io.StringIO(t_out.getvalue())))
    e_rows = list(csv.DictReader(io.StringIO(e_out.getvalue())))
    t_fields = list(t_out.getvalue().splitlines()[0].split(","))
    e_fields = list(e_out.getvalue().splitlines()[0].split(","))
    kinds: set[str] = set()
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(
            st.sampled_from(["duplicate", "before", "channel", "blank_ticket", "blank_event"])
        )
        if kind == "duplicate":
            row = dict(draw(st.sampled_from(t_rows)))
            shift = draw(st.sampled_from([0, -90, 45]))
            at = (
                datetime.fromisoformat(row["created_at"]) + timedelta(minutes=shift)
                if row["created_at"]
                else None
            )
            row["created_at"] = "" if at is None else at.isoformat()
            t_rows.insert(draw(st.integers(0, len(t_rows))), row)
        elif kind == "before":
            row = draw(st.sampled_from(t_rows))
            if not row["created_at"] or not row["id"]:
                continue
            at = datetime.fromisoformat(row["created_at"]) - timedelta(
                minutes=draw(st.integers(1, 600))
            )
            event = dict.fromkeys(e_fields, "")
            event.update(ticket_id=row["id"], at=at.isoformat())
            if draw(st.booleans()):
                event.update(type="message", author="agent", public="true")
            else:
                event.update(type="status_change", status="solved")
            e_rows.insert(draw(st.integers(0, len(e_rows))), event)
        elif kind == "channel":
            draw(st.sampled_from(t_rows))["channel"] = draw(st.sampled_from(["pigeon", "Fax 2"]))
        elif kind == "blank_ticket":
            draw(st.sampled_from(t_rows))[draw(st.sampled_from(_TICKET_BLANKS))] = ""
        elif e_rows:
            draw(st.sampled_from(e_rows))[draw(st.sampled_from(_EVENT_BLANKS))] = ""
        else:
            continue
        kinds.add(kind)
    return _text(t_fields, t_rows), _text(e_fields, e_rows), kinds


def _text(fields: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _kind(reason: str) -> str:
    """The excluded reason the frame path gives for one of read_tickets' rejection reasons."""
    if reason.startswith("duplicate id"):
        return "duplicate_id"
    if "has rejected events" in reason:
        return "invalid_event_row"
    if "is earlier than created_at" in reason:
        return "event_before_creation"
    return "invalid_ticket_row"


def _objects(t_text: str, e_text: str) -> tuple[list[Ticket], Counter[str]]:
    t_file, e_file = io.StringIO(t_text), io.StringIO(e_text)
    t_file.name, e_file.name = "tickets.csv", "events.csv"
    loaded = read_tickets(t_file, e_file)
    return list(loaded.records), Counter(_kind(r.reason) for r in loaded.rejected)


def _plus(result: _R, rejected: Counter[str]) -> _R:
    """``result`` with the loader's rejections added to its ``excluded``."""
    if isinstance(result, TicketSummary):
        return attrs.evolve(
            result,
            **{
                f.name: _plus(getattr(result, f.name), rejected)
                for f in attrs.fields(TicketSummary)
            },
        )
    excluded = Counter(dict(getattr(result, "excluded")))
    excluded.update(rejected)
    return attrs.evolve(result, excluded=dict(excluded))


@_SETTINGS
@given(dirty_csv(), st.sampled_from(["pandas", "polars"]))
def test_frames_equal_read_tickets_then_objects_on_dirty_csv(
    files: tuple[str, str, set[str]], library: str
) -> None:
    t_text, e_text, _ = files
    tickets, rejected = _objects(t_text, e_text)
    tf, ef = read_frames(t_text, e_text, library)
    assert _plus(first_reply_time(tickets), rejected) == first_reply_time.frame(tf, ef)
    assert _plus(resolution_time(tickets), rejected) == resolution_time.frame(tf, ef)
    assert _plus(reopen_rate(tickets), rejected) == reopen_rate.frame(tf, ef)
    assert _plus(one_touch_rate(tickets), rejected) == one_touch_rate.frame(tf, ef)
    assert _plus(ticket_summary(tickets), rejected) == ticket_summary.frame(tf, ef)
