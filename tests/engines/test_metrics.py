"""``cs8.engines.ticket_metrics`` equals ``cs8.kpi.ticket_metrics`` row by row (polars lazy and DuckDB here;
SQLFrame in ``test_same_numbers.py``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta

import narwhals as nw
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cs8 import Ticket
from cs8.engines import ticket_metrics as engine_metrics
from cs8.engines._metrics import METRICS
from cs8.exceptions import InvalidValueError
from cs8.io import write_tickets
from cs8.kpi import first_reply_time, resolution_time, ticket_metrics
from cs8.sla import BusinessCalendar
from tests.engines.test_fold import _ties, engine_frames
from tests.kpi._strategies import tickets as kpi_tickets

pl = pytest.importorskip("polars")
pytest.importorskip("duckdb")

_CAL = BusinessCalendar(
    timezone="Europe/Paris",
    hours={d: [("09:00", "12:30"), ("13:30", "18:00")] for d in ("mon", "tue", "wed", "thu")},
)
_DURATIONS = ("first_reply", "first_resolution", "full_resolution")


def _csv(tickets: Sequence[Ticket]) -> tuple[str, str]:
    t, e = io.StringIO(), io.StringIO()
    write_tickets(tickets, t, e, format="csv")
    return t.getvalue(), e.getvalue()


def _expected(tickets: Sequence[Ticket], preset: str) -> dict[str, dict[str, object]]:
    def us(value: object) -> int | None:
        return None if value is None else value // timedelta(microseconds=1)  # type: ignore[operator]

    out = {}
    for row in ticket_metrics(tickets, _CAL, definition=preset):
        values: dict[str, object] = {
            "ticket_id": row.ticket_id,
            "excluded": row.excluded,
            "replies": row.replies,
        }
        for name in _DURATIONS:
            values[f"{name}_us"] = us(getattr(row, name))
            values[f"{name}_business_us"] = us(getattr(row, f"{name}_business"))
        out[row.ticket_id] = values
    return out


def _got(table: object) -> dict[str, dict[str, object]]:
    return {r["ticket_id"]: r for r in _rows(table)}  # type: ignore[misc]


def _rows(table: object) -> list[dict[str, object]]:
    frame = nw.from_native(table)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect(backend="polars")
    rows = frame.to_polars().iter_rows(named=True) if not isinstance(frame, pl.DataFrame) else []
    keys = ["excluded", "replies"] + [
        f"{n}{s}" for n in _DURATIONS for s in ("_us", "_business_us")
    ]
    return [{"ticket_id": r["ticket_id"], **{k: r[k] for k in keys}} for r in rows]


@settings(max_examples=8, deadline=None)
@given(
    st.lists(kpi_tickets(), min_size=1, max_size=8, unique_by=lambda t: t.id),
    st.sampled_from(["cs8", "zendesk", "intercom"]),
)
def test_engine_rows_equal_the_object_rows(tickets: list[Ticket], preset: str) -> None:
    t_text, e_text = _csv(tickets)
    assume(not _ties(e_text))
    expected = _expected(tickets, preset)
    for engine in ("polars-lazy", "duckdb"):
        table = engine_metrics(*engine_frames(t_text, e_text, engine), _CAL, definition=preset)
        assert _got(table) == expected, engine


def test_kpis_are_aggregations_of_the_engine_rows() -> None:
    from tests.engines.test_fold import _EVENTS_CSV, _TICKETS_CSV

    lazy = engine_frames(_TICKETS_CSV, _EVENTS_CSV, "duckdb")
    rows = _rows(engine_metrics(*lazy, _CAL))
    counted = [r for r in rows if r["excluded"] is None]
    replies = sorted(r["first_reply_us"] for r in counted if r["first_reply_us"] is not None)
    frt = first_reply_time.frame(*lazy)
    assert frt.n == len(replies)
    assert frt.median == timedelta(microseconds=replies[len(replies) // 2]) or len(replies) % 2 == 0
    solved = [r["first_resolution_us"] for r in counted if r["first_resolution_us"] is not None]
    assert resolution_time.frame(*lazy).n == len(solved)
    excluded = [r["excluded"] for r in rows if r["excluded"] is not None]
    assert sorted(excluded) == ["duplicate_id", "duplicate_id", "event_before_creation", "merged"]


@settings(max_examples=8, deadline=None)
@given(
    st.lists(kpi_tickets(), min_size=1, max_size=8, unique_by=lambda t: t.id),
    st.sampled_from(["cs8", "zendesk", "intercom"]),
    st.sets(st.sampled_from(sorted(METRICS)), min_size=1),
)
def test_some_metrics_are_the_same_columns_as_all(
    tickets: list[Ticket], preset: str, metrics: set[str]
) -> None:
    """Asking for fewer metrics prunes the fold (fewer facts, fewer passes): the columns asked
    for keep their values, and no other metric's column is there."""
    t_text, e_text = _csv(tickets)
    assume(not _ties(e_text))
    for engine in ("polars-lazy", "duckdb"):
        frames = engine_frames(t_text, e_text, engine)
        full = _collected(engine_metrics(*frames, _CAL, definition=preset))
        part = _collected(engine_metrics(*frames, _CAL, definition=preset, metrics=metrics))
        shown = {"ticket_id", "created_at", "excluded"}
        for m in metrics:
            shown |= set(METRICS[m][1])
            if m in _DURATIONS:
                shown |= {f"{m}_us", f"{m}_business_us"}
        assert set(part.columns) == shown, engine
        assert (
            part.select(sorted(shown))
            .sort("ticket_id")
            .equals(full.select(sorted(shown)).sort("ticket_id"))
        ), engine


def test_unknown_metrics_are_named() -> None:
    from tests.engines.test_fold import _EVENTS_CSV, _TICKETS_CSV

    with pytest.raises(InvalidValueError, match="first_response"):
        engine_metrics(
            *engine_frames(_TICKETS_CSV, _EVENTS_CSV, "polars-lazy"), metrics=["first_response"]
        )


def _collected(table: object) -> pl.DataFrame:
    frame = nw.from_native(table)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect(backend="polars")
    return frame.to_polars()
