"""The ticket KPIs on lazy engines equal the eager frame path (and so the object path).

The eager frame path is held equal to :func:`cs8.io.read_tickets` followed by the object path on
dirty CSV files (``tests/kpi/test_frames_dirty.py``); here the same files, with their instants
parsed, go into a polars LazyFrame, a DuckDB relation and a SQLFrame DataFrame (the PySpark API
over DuckDB), and every KPI must give the same ``n``, ``excluded`` and values. Engines have no row
order, so files whose ticket has two events at one instant are left to the hand case below.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import assume, given, settings

from cs8.engines._fold import engine_facts
from cs8.exceptions import InvalidValueError, NaiveDatetimeError, UnsupportedEngineError
from cs8.kpi import (
    PRESETS,
    breakdown,
    first_contact_resolution,
    first_reply_time,
    full_resolution_time,
    reopen_rate,
    resolution_time,
    ticket_summary,
)
from tests.kpi.test_frames import read_frames
from tests.kpi.test_frames_dirty import dirty_csv

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")
pytest.importorskip("narwhals")

# ticket_summary holds first reply, resolution, reopen and one-touch; the other two read facts it
# does not (the last solve, distinct agents, the customer's next contact).
_KPIS = (ticket_summary, full_resolution_time, first_contact_resolution)
_FROM_FIRST_MESSAGE = attrs.evolve(PRESETS["cs8"], reply_clock_start="first_customer_message")


def _ties(e_text: str) -> bool:
    """Whether a ticket has two events at one instant (engines have no row order to break it)."""
    seen = Counter(
        (row["ticket_id"], row["at"]) for row in csv.DictReader(io.StringIO(e_text)) if row["at"]
    )
    return any(count > 1 for count in seen.values())


def _parsed(frame: object, column: str) -> object:
    return frame.with_columns(  # type: ignore[attr-defined]
        pl.col(column).str.to_datetime(time_zone="UTC", strict=False)
    )


def engine_frames(t_text: str, e_text: str, engine: str) -> tuple[object, object]:
    """Read CSV text with polars, parse the instants, and hand the tables to ``engine``."""
    tf, ef = read_frames(t_text, e_text, "polars")
    tf, ef = _parsed(tf, "created_at"), _parsed(ef, "at")
    if engine == "polars-eager":
        return tf, ef
    if engine == "polars-lazy":
        return tf.lazy(), ef.lazy()  # type: ignore[attr-defined]
    if engine == "duckdb":
        con = duckdb.connect()
        return con.from_arrow(tf.to_arrow()), con.from_arrow(ef.to_arrow())  # type: ignore[attr-defined]
    # SQLFrame reads the tables through its own DuckDB connection (typed, unlike a pandas
    # frame whose all-blank columns have no type).
    session = pytest.importorskip("sqlframe.duckdb").DuckDBSession()
    con = session._conn
    for name, table in (("cs8_tickets", tf), ("cs8_events", ef)):
        con.register("cs8_arrow", table.to_arrow())  # type: ignore[attr-defined]
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM cs8_arrow")
        con.unregister("cs8_arrow")
    return session.table("cs8_tickets"), session.table("cs8_events")


@settings(max_examples=10, deadline=None)  # each example runs 3 folds on 2 engines
@given(dirty_csv())
def test_lazy_engines_equal_the_eager_frame_path(files: tuple[str, str, set[str]]) -> None:
    t_text, e_text, _ = files
    assume(not _ties(e_text))
    eager = engine_frames(t_text, e_text, "polars-eager")
    for engine in ("polars-lazy", "duckdb"):
        lazy = engine_frames(t_text, e_text, engine)
        for kpi in _KPIS:
            assert kpi.frame(*lazy) == kpi.frame(*eager), (engine, kpi)


_TICKETS_CSV = """id,customer_id,channel,created_at,priority,created_by,merged_into
T1,C1,email,2026-03-02T09:00:00+00:00,normal,customer,
T2,C1,chat,2026-03-02T10:00:00+00:00,high,customer,
T3,C2,email,2026-03-02T11:00:00+00:00,normal,agent,
T3,C2,email,2026-03-02T11:30:00+00:00,normal,agent,
T4,C3,phone,2026-03-02T12:00:00+00:00,urgent,customer,T1
T5,C3,email,2026-03-02T13:00:00+00:00,low,customer,
"""
_EVENTS_CSV = """ticket_id,type,at,author,author_id,public,status
T1,message,2026-03-02T09:05:00+00:00,customer,c1,true,
T1,message,2026-03-02T09:40:00+00:00,agent,a1,true,
T1,status_change,2026-03-02T10:00:00+00:00,,,,solved
T1,status_change,2026-03-03T08:00:00+00:00,,,,open
T1,message,2026-03-03T08:10:00+00:00,agent,a2,true,
T1,status_change,2026-03-03T09:00:00+00:00,,,,solved
T2,message,2026-03-02T10:20:00+00:00,agent,a1,false,
T2,message,2026-03-02T10:50:00+00:00,agent,a1,true,
T2,status_change,2026-03-02T11:00:00+00:00,,,,closed
T4,message,2026-03-02T12:30:00+00:00,agent,a1,true,
T5,message,2026-03-02T12:00:00+00:00,agent,a1,true,
"""


def test_sqlframe_equals_the_eager_frame_path() -> None:
    # One fixed file with a reopen, an internal note, a duplicate id, a merged ticket and an event
    # before creation: SQLFrame compiles every query through sqlglot, too slow for many examples.
    eager = engine_frames(_TICKETS_CSV, _EVENTS_CSV, "polars-eager")
    lazy = engine_frames(_TICKETS_CSV, _EVENTS_CSV, "sqlframe")
    # One fold (SQLFrame compiles it through sqlglot, seconds apiece): the summary's four KPIs.
    assert ticket_summary.frame(*lazy) == ticket_summary.frame(*eager)
    assert ticket_summary.frame(*eager).first_reply_time.n == 2  # T1 and T2; T3, T4, T5 excluded


T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _hand() -> tuple[object, object]:
    tickets = pl.DataFrame(
        {"id": ["T1"], "customer_id": ["C1"], "channel": ["chat"], "created_at": [T0]}
    )
    events = pl.DataFrame(
        {
            "ticket_id": ["T1"] * 4,
            "type": ["message", "message", "status_change", "status_change"],
            "at": [T0 + timedelta(minutes=m) for m in (5, 5, 20, 20)],
            "author": ["customer", "agent", None, None],
            "public": [True, True, None, None],
            "status": [None, None, "open", "solved"],
        }
    )
    return tickets, events


def test_events_at_one_instant_are_simultaneous_on_an_engine() -> None:
    # The reply at the instant of the customer's first message does not count as after it when
    # the clock starts at that message; of two status changes at one instant, the later status
    # (solved after open) is taken as the later event.
    tickets, events = _hand()
    lazy = (tickets.lazy(), events.lazy())  # type: ignore[attr-defined]
    frt = first_reply_time.frame(*lazy, definition=_FROM_FIRST_MESSAGE)
    assert frt.n == 0
    assert resolution_time.frame(*lazy).median == timedelta(minutes=20)
    assert reopen_rate.frame(*lazy).n == 1


def test_engine_instants_must_be_aware_timestamps() -> None:
    tickets, events = _hand()
    definition = PRESETS["cs8"]
    text = tickets.with_columns(pl.col("created_at").cast(pl.String))
    with pytest.raises(InvalidValueError, match="created_at"):
        engine_facts(text.lazy(), events.lazy(), definition)
    naive = tickets.with_columns(pl.col("created_at").dt.replace_time_zone(None))
    with pytest.raises(NaiveDatetimeError, match="created_at"):
        engine_facts(naive.lazy(), events.lazy(), definition)
    # The KPIs collect a lazy table whose instants are text and parse them as the loaders do.
    iso = (text.lazy(), events.with_columns(pl.col("at").cast(pl.String)).lazy())
    assert first_reply_time.frame(*iso) == first_reply_time.frame(tickets, events)


def test_unknown_facts_are_named() -> None:
    tickets, events = _hand()
    with pytest.raises(InvalidValueError, match="first_response"):
        engine_facts(tickets.lazy(), events.lazy(), PRESETS["cs8"], facts=["first_response"])


def test_a_status_the_loader_refuses_makes_a_bad_event_as_the_loader_has_it() -> None:
    tickets, events = _hand()
    odd = events.with_columns(pl.col("status").replace("solved", "done"))
    for frames in ((tickets, odd), (tickets.lazy(), odd.lazy())):
        rate = reopen_rate.frame(*frames)
        assert (rate.n, dict(rate.excluded)) == (0, {"invalid_event_row": 1})


def test_breakdown_by_a_ticket_column_on_an_engine_says_how() -> None:
    tickets, events = _hand()
    with pytest.raises(UnsupportedEngineError, match="ticket_metrics"):
        breakdown.frame(first_reply_time, tickets.lazy(), events.lazy(), by="channel")  # type: ignore[attr-defined]


def _marked(earliest: datetime) -> tuple[object, object]:
    """T1 has a bad event (a status the loader refuses) at the table's earliest instant, T2 a
    good one there, before its creation, T3 is clean."""
    created = [datetime(2026, 3, 2, 9, tzinfo=UTC)] * 3
    tickets = pl.DataFrame(
        {"id": ["T1", "T2", "T3"], "customer_id": ["C1"] * 3, "channel": ["chat"] * 3},
    ).with_columns(pl.Series("created_at", created, dtype=pl.Datetime("us", "UTC")))
    at = [earliest, earliest, created[0] + timedelta(minutes=5)]
    events = pl.DataFrame(
        {
            "ticket_id": ["T1", "T2", "T3"],
            "type": ["status_change", "message", "message"],
            "author": [None, "customer", "agent"],
            "public": [None, True, True],
            "status": ["done", None, None],
        }
    ).with_columns(pl.Series("at", at, dtype=pl.Datetime("us", "UTC")))
    return tickets, events


@pytest.mark.parametrize(
    "earliest",
    [
        datetime(2026, 3, 1, 9, tzinfo=UTC),
        # The least instant a datetime holds: no mark before it, the flag has its own aggregate.
        datetime.min.replace(tzinfo=UTC),
    ],
)
def test_a_bad_event_and_an_event_before_creation_at_the_earliest_instant(
    earliest: datetime,
) -> None:
    # The grouped pass marks a bad event as one microsecond before the table's earliest instant:
    # a good event at that earliest instant is still an event before creation, not a bad one.
    tickets, events = _marked(earliest)
    eager = ticket_summary.frame(tickets, events)
    assert dict(eager.first_reply_time.excluded) == {
        "invalid_event_row": 1,
        "event_before_creation": 1,
    }
    assert eager.first_reply_time.n == 1
    con = duckdb.connect()
    for lazy in (
        (tickets.lazy(), events.lazy()),  # type: ignore[attr-defined]
        (con.from_arrow(tickets.to_arrow()), con.from_arrow(events.to_arrow())),  # type: ignore[attr-defined]
    ):
        assert ticket_summary.frame(*lazy) == eager
