"""Issue 20's done-when test: the same data through objects, pandas, polars, DuckDB and SQLFrame.

First reply, resolution, reopen, service level, speed of answer, handle time, occupancy, CSAT,
NPS and CES give the same ``n``, exclusions and values (duration quantiles exact) on every path, and ``ticket_metrics`` the same rows (the object path's
``cs8.kpi.ticket_metrics`` against ``cs8.engines.ticket_metrics`` in polars, DuckDB and SQLFrame). The tickets are one fixed file (a reopen, an internal
note, a merged ticket, an agent-created ticket, a ticket never answered), loaded by
:func:`cs8.io.read_tickets` for the object path; the calls and scores are fixed too. SQLFrame
compiles every query through sqlglot, so one small dataset serves all engines.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import attrs
import narwhals as nw
import pytest

from cs8 import Interaction
from cs8.io import read_tickets
from cs8.kpi import (
    average_handle_time,
    average_speed_of_answer,
    ces,
    csat,
    first_reply_time,
    nps,
    occupancy,
    reopen_rate,
    resolution_time,
    service_level,
    ticket_summary,
)
from tests.engines import test_fold as fold
from tests.engines.test_fold import engine_frames
from tests.kpi.test_columnar import _fixed, _pandas, _polars, sqlframe_table
from tests.kpi.test_frames import read_frames

duckdb = pytest.importorskip("duckdb")
pl = pytest.importorskip("polars")

# test_fold's fixed file made clean, so the object path loads every ticket: its repeated T3 row is
# dropped, T5's reply moves after T5's creation and T5 is solved, and T6 is never answered.
_TICKETS_CSV = (
    "".join(
        line
        for line in fold._TICKETS_CSV.splitlines(keepends=True)
        if not line.startswith("T3,C2,email,2026-03-02T11:30")
    )
    + "T6,C4,email,2026-03-02T14:00:00+00:00,normal,customer,\n"
)
_EVENTS_CSV = (
    fold._EVENTS_CSV.replace("T5,message,2026-03-02T12:00", "T5,message,2026-03-02T13:45")
    + "T5,status_change,2026-03-02T15:00:00+00:00,,,,solved\n"
)
_SCORES = [5, 4, None, 3, 1, 5, 2, 4, None]
_NPS = [10, 9, None, 7, 0, 6, 3, 10, 8]
_STAFFED = timedelta(hours=2)


def _calls() -> list[Interaction]:
    """The fixed calls with handle times: ties, a microsecond, a bot's and an outbound call's."""
    return [
        attrs.evolve(c, talk_time=timedelta(seconds=30 * (i % 4), microseconds=i), wrap_time=m)
        for i, (c, m) in enumerate(zip(_fixed(), [timedelta(minutes=1)] * 9, strict=True))
    ]


def _tickets() -> list[object]:
    t_file, e_file = io.StringIO(_TICKETS_CSV), io.StringIO(_EVENTS_CSV)
    t_file.name, e_file.name = "tickets.csv", "events.csv"
    loaded = read_tickets(t_file, e_file)
    assert not loaded.rejected  # a clean file: every path sees the same tickets
    return list(loaded.records)


def scores_frame() -> object:
    """The CSAT and NPS answers as one polars table."""
    return pl.DataFrame(
        {"score": _SCORES, "nps": _NPS}, schema={"score": pl.Int64, "nps": pl.Int64}
    )


def _paths(calls: list[Interaction]) -> dict[str, tuple[tuple[object, object], object, object]]:
    """Per path: (tickets table, events table), interactions table, scores table."""
    scores: Any = scores_frame()
    calls_pl = _polars(calls)
    return {
        "pandas": (
            read_frames(_TICKETS_CSV, _EVENTS_CSV, "pandas"),
            _pandas(calls),
            scores.to_pandas(),
        ),
        "polars": (read_frames(_TICKETS_CSV, _EVENTS_CSV, "polars"), calls_pl, scores),
        "polars-lazy": (
            engine_frames(_TICKETS_CSV, _EVENTS_CSV, "polars-lazy"),
            calls_pl.lazy(),  # type: ignore[attr-defined]
            scores.lazy(),
        ),
        "duckdb": (
            engine_frames(_TICKETS_CSV, _EVENTS_CSV, "duckdb"),
            duckdb.connect().from_arrow(calls_pl.to_arrow()),  # type: ignore[attr-defined]
            duckdb.connect().from_arrow(scores.to_arrow()),
        ),
        "sqlframe": (
            engine_frames(_TICKETS_CSV, _EVENTS_CSV, "sqlframe"),
            sqlframe_table(calls_pl, "cs8_same_calls"),
            sqlframe_table(scores, "cs8_same_scores"),
        ),
    }


def expected_numbers() -> dict[str, object]:
    """Every KPI of the done-when test on objects, the fixed data checked by hand first."""
    tickets, calls = _tickets(), _calls()
    expected = {
        "first_reply": first_reply_time(tickets),
        "resolution": resolution_time(tickets),
        "reopen": reopen_rate(tickets),
        "service_level": service_level(calls, short_abandon=timedelta(seconds=5)),
        "asa": average_speed_of_answer(calls),
        "aht": average_handle_time(calls),
        "occupancy": occupancy(calls, _STAFFED),
        "csat": csat(_SCORES),
        "nps": nps(_NPS),
        "ces": ces(_SCORES, scale=5),
    }
    # The object path itself, by hand: T1 (35 min), T2 (50 min; its note is internal) and T5
    # (45 min) are answered; T3 was opened by an agent, T4 merged, T6 never answered.
    frt = expected["first_reply"]
    assert frt.n == 3  # type: ignore[attr-defined]
    assert frt.median == timedelta(minutes=45)  # type: ignore[attr-defined]
    assert expected["reopen"].successes == 1  # type: ignore[attr-defined]  # T1
    # Handle times: the four answered agent calls, inbound or outbound (I0-I2, I8); not the bot.
    assert expected["aht"].n == 4  # type: ignore[attr-defined]
    assert dict(expected["aht"].excluded) == {"bot": 1, "unanswered": 4}  # type: ignore[attr-defined]
    return expected


def engine_numbers(
    tf: object, ef: object, interactions: object, scores: object
) -> dict[str, object]:
    """The same KPIs through ``.frame`` on one engine's tables."""
    # One fold: the summary holds first reply, resolution and reopen (SQLFrame compiles each
    # fold through sqlglot, seconds apiece).
    summary = ticket_summary.frame(tf, ef)
    return {
        "first_reply": summary.first_reply_time,
        "resolution": summary.resolution_time,
        "reopen": summary.reopen_rate,
        "service_level": service_level.frame(interactions, short_abandon=timedelta(seconds=5)),
        "asa": average_speed_of_answer.frame(interactions),
        "aht": average_handle_time.frame(interactions),
        "occupancy": occupancy.frame(interactions, _STAFFED),
        "csat": csat.frame(scores, column="score"),
        "nps": nps.frame(scores, column="nps"),
        "ces": ces.frame(scores, column="score", scale=5),
    }


def test_same_numbers_on_every_engine() -> None:
    expected = expected_numbers()
    for engine, ((tf, ef), interactions, scores) in _paths(_calls()).items():
        got = engine_numbers(tf, ef, interactions, scores)
        for name, value in expected.items():
            assert got[name] == value, (engine, name)


def expected_rows() -> dict[str, tuple[object, ...]]:
    """``cs8.kpi.ticket_metrics`` on objects, keyed by ticket: the columns engines give."""
    from cs8.kpi import ticket_metrics

    us = timedelta(microseconds=1)
    return {
        row.ticket_id: (
            row.excluded,
            row.replies,
            None if row.first_reply is None else row.first_reply // us,
            None if row.first_resolution is None else row.first_resolution // us,
            None if row.full_resolution is None else row.full_resolution // us,
        )
        for row in ticket_metrics(_tickets())
    }


def row_key(r: dict[str, Any]) -> tuple[object, ...]:
    """An engine row of ``cs8.engines.ticket_metrics`` in the shape of :func:`expected_rows`."""
    return (
        r["excluded"],
        r["replies"],
        r["first_reply_us"],
        r["first_resolution_us"],
        r["full_resolution_us"],
    )


def test_ticket_metrics_are_the_same_rows_on_every_engine() -> None:
    from cs8.engines import ticket_metrics as engine_metrics

    expected = expected_rows()
    for engine in ("polars-lazy", "duckdb", "sqlframe"):
        table = engine_metrics(*engine_frames(_TICKETS_CSV, _EVENTS_CSV, engine))
        frame = nw.from_native(table)
        rows = frame.collect(backend="polars").to_polars().iter_rows(named=True)
        assert {r["ticket_id"]: row_key(r) for r in rows} == expected, engine
