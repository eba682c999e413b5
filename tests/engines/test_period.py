"""``period_start`` in each engine equals the object path's periods; per-period KPIs on engines.

The oracle is the object path: :func:`cs8.kpi.breakdown` cuts a record's period with
``cs8.kpi._breakdown._bucket`` (the instant's local date in the zone, then the Monday or the first
of the month); quarters and years are the first of the local date's quarter or year. Instants are
drawn near DST changes in Europe/Paris and America/New_York (2026: 8 March and 1 November in New
York, 29 March and 25 October in Paris — the EU and US rules, see the tz database's ``europe`` and
``northamerica`` files) and near year ends that fall in ISO week 53 (2020 and 2026 each have 53
ISO weeks: 1 January 2020 is a Wednesday and 2020 a leap year, 1 January 2026 a Thursday), at
Sunday/Monday midnights.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cs8 import ActorKind, Message, StatusChange, Ticket, TicketStatus
from cs8.engines import period_start
from cs8.exceptions import (
    InvalidValueError,
    NaiveDatetimeError,
    UnknownFieldError,
    UnsupportedEngineError,
)
from cs8.kpi import breakdown, first_reply_time, reopen_rate, resolution_time
from cs8.kpi._breakdown import _bucket
from tests.engines.test_fold import _ties, engine_frames
from tests.kpi.test_frames import _csv, _table_rows, unique_tickets

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")
duckdb = pytest.importorskip("duckdb")
nw = pytest.importorskip("narwhals")

_PERIODS = ("day", "week", "month", "quarter", "year")
_ZONES = ("Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata", "Pacific/Chatham")
# Instants where a period's answer changes: DST changes (UTC), local midnights of year ends in
# ISO week 53, and a Sunday/Monday midnight.
_ANCHORS = (
    datetime(2026, 3, 8, 7, tzinfo=UTC),  # New York springs forward
    datetime(2026, 11, 1, 6, tzinfo=UTC),  # New York falls back
    datetime(2026, 3, 29, 1, tzinfo=UTC),  # Paris springs forward (a Sunday)
    datetime(2026, 10, 25, 1, tzinfo=UTC),  # Paris falls back (a Sunday)
    datetime(2027, 1, 1, tzinfo=UTC),  # 2026-W53 ends on Sunday 3 January 2027
    datetime(2021, 1, 4, tzinfo=UTC),  # 2020-W53 ends on Sunday 3 January 2021
    datetime(2026, 6, 29, tzinfo=UTC),  # a Monday that starts a quarter's last week
)
_instants = st.builds(
    lambda anchor, us: anchor + timedelta(microseconds=us),
    st.sampled_from(_ANCHORS),
    st.integers(-2 * 86_400_000_000, 2 * 86_400_000_000),
)


def _expected(t: datetime | None, zone: str, period: str) -> date | None:
    """The object path's period of ``t`` (``_bucket``), extended to quarters and years."""
    if period in ("day", "week", "month"):
        return _bucket(t, ZoneInfo(zone), period)  # type: ignore[arg-type]
    if t is None:
        return None
    local = t.astimezone(ZoneInfo(zone)).date()
    return local.replace(month=1 if period == "year" else (local.month - 1) // 3 * 3 + 1, day=1)


def _run(engine: str, instants: list[datetime | None], period: str, zone: str) -> list[object]:
    frame = pl.DataFrame({"at": instants}, schema={"at": pl.Datetime("us", "UTC")})
    if engine == "pandas":
        out = period_start(frame.to_pandas(), "at", period=period, timezone=zone)  # type: ignore[arg-type]
        return list(out["period"])
    if engine == "polars-eager":
        return period_start(frame, "at", period=period, timezone=zone)["period"].to_list()  # type: ignore[arg-type]
    if engine == "polars-lazy":
        lazy = period_start(frame.lazy(), "at", period=period, timezone=zone)  # type: ignore[arg-type]
        return lazy.collect()["period"].to_list()
    rel = duckdb.connect().from_arrow(frame.to_arrow())
    rows = period_start(rel, "at", period=period, timezone=zone).fetchall()  # type: ignore[arg-type]
    return [row[-1] for row in rows]


@settings(max_examples=40)
@given(
    st.lists(st.one_of(st.none(), _instants), min_size=1, max_size=20),
    st.sampled_from(_PERIODS),
    st.sampled_from(_ZONES),
)
@pytest.mark.parametrize("engine", ["pandas", "polars-eager", "polars-lazy", "duckdb"])
def test_period_start_equals_the_object_path(
    engine: str, instants: list[datetime | None], period: str, zone: str
) -> None:
    expected = [_expected(t, zone, period) for t in instants]
    assert _run(engine, instants, period, zone) == expected


def test_period_start_on_sqlframe_equals_the_object_path() -> None:
    """One fixed example (SQLFrame builds and runs a query per call: slow), every anchor's edges."""
    sqlframe = pytest.importorskip("sqlframe.duckdb")
    us = timedelta(microseconds=1)
    instants = [a + d for a in _ANCHORS for d in (-us, timedelta(0), timedelta(hours=-6))]
    session = sqlframe.DuckDBSession()
    df = session.createDataFrame([(t,) for t in instants], ["at"])
    for zone in ("Europe/Paris", "America/New_York"):
        for period in _PERIODS:
            rows = period_start(df, "at", period=period, timezone=zone).collect()  # type: ignore[arg-type]
            assert [r[-1] for r in rows] == [_expected(t, zone, period) for t in instants]


def test_a_week_in_paris_starts_on_monday_local_time() -> None:
    # Sunday 29 March 2026 22:30 UTC is Monday 00:30 in Paris (UTC+2 since 01:00 UTC that day).
    rel = duckdb.sql("SELECT TIMESTAMPTZ '2026-03-29 22:30:00+00' AS at")
    assert period_start(rel, "at", period="week", timezone="Europe/Paris").fetchall()[0][-1] == (
        date(2026, 3, 30)
    )


def test_refusals_name_the_problem() -> None:
    naive = pl.DataFrame({"at": [datetime(2026, 1, 1)]})
    aware = naive.with_columns(pl.col("at").dt.replace_time_zone("UTC"))
    with pytest.raises(InvalidValueError, match="fortnight"):
        period_start(aware, "at", period="fortnight")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="Mars/Base"):
        period_start(aware, "at", timezone="Mars/Base")
    with pytest.raises(UnknownFieldError, match="'when'"):
        period_start(aware, "when")
    with pytest.raises(NaiveDatetimeError, match="'at'"):
        period_start(naive, "at")
    with pytest.raises(NaiveDatetimeError, match="'at'"):
        period_start(duckdb.sql("SELECT TIMESTAMP '2026-01-01' AS at"), "at")
    with pytest.raises(UnsupportedEngineError, match="list"):
        period_start([], "at")


# --------------------------------------------------------------------------------------------------
# breakdown.frame(..., by="period") on lazy engines: the period is cut in the engine


def _rows(out: object) -> list[dict[str, object]]:
    """A breakdown's lazy table as dicts (DuckDB's INTERVAL columns read as Python timedeltas)."""
    if type(out).__module__.startswith("duckdb"):
        return [dict(zip(out.columns, r, strict=True)) for r in out.fetchall()]  # type: ignore[attr-defined]
    if isinstance(out, pd.DataFrame):
        return out.to_dict("records")  # type: ignore[return-value]
    return nw.from_native(out).lazy().collect("polars").to_native().to_dicts()  # type: ignore[no-any-return]


def _dst_tickets() -> list[Ticket]:
    """Tickets every 11 hours from half an hour before Paris's spring DST change, replies after."""
    t0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 in Paris; 02:00 becomes 03:00
    return [
        Ticket(
            id=f"T{i}",
            customer_id="C",
            channel="email",
            created_at=t0 + timedelta(hours=11 * i),
            events=[
                Message(at=t0 + timedelta(hours=11 * i, minutes=5 * i + 1), author=ActorKind.AGENT),
                StatusChange(at=t0 + timedelta(hours=11 * i + 1), status=TicketStatus.SOLVED),
            ],
        )
        for i in range(8)
    ]


@settings(max_examples=15)
@given(
    unique_tickets,
    st.sampled_from(["day", "week", "month"]),
    st.sampled_from(["Europe/Paris", "America/New_York"]),
)
def test_breakdown_by_period_on_polars_lazy_equals_the_object_path(
    tickets: list[Ticket], period: str, zone: str
) -> None:
    t_text, e_text = _csv(tickets)
    assume(not _ties(e_text))
    tf, ef = engine_frames(t_text, e_text, "polars-lazy")
    for kpi, name in ((first_reply_time, "first_reply_time"), (reopen_rate, "reopen_rate")):
        expected = breakdown(kpi, tickets, by="period", period=period, timezone=zone)  # type: ignore[arg-type]
        out = breakdown.frame(name, tf, ef, by="period", period=period, timezone=zone)  # type: ignore[arg-type]
        assert isinstance(out, pl.LazyFrame)
        assert _table_rows(expected.to_dicts()) == _table_rows(_rows(out))


@pytest.mark.parametrize(
    ("engine", "period"), [("duckdb", "day"), ("duckdb", "week"), ("sqlframe", "week")]
)
def test_breakdown_by_period_on_duckdb_and_sqlframe_equals_the_object_path(
    engine: str, period: str
) -> None:
    """Fixed examples (the fold takes about a second a call on DuckDB, ten on SQLFrame)."""
    kpis = [(first_reply_time, "first_reply_time"), (resolution_time, "resolution_time")]
    if engine == "sqlframe":
        pytest.importorskip("sqlframe.duckdb")
        kpis = kpis[:1]
    tickets = _dst_tickets()
    tf, ef = engine_frames(*_csv(tickets), engine)
    for kpi, name in kpis:
        expected = breakdown(kpi, tickets, by="period", period=period, timezone="Europe/Paris")  # type: ignore[arg-type]
        out = breakdown.frame(name, tf, ef, by="period", period=period, timezone="Europe/Paris")  # type: ignore[arg-type]
        assert type(out).__module__.split(".")[0] == ("duckdb" if engine == "duckdb" else "pandas")
        assert _table_rows(expected.to_dicts()) == _table_rows(_rows(out))
    days = [
        r["period"]
        for r in breakdown(
            first_reply_time, tickets, by="period", timezone="Europe/Paris"
        ).to_dicts()
    ]
    assert days == [date(2026, 3, 29) + timedelta(days=k) for k in range(4)]


def test_a_ticket_without_a_creation_instant_goes_to_period_none_on_an_engine() -> None:
    """As ``breakdown`` puts a record without its attribution instant in the period ``None``."""
    tickets = pl.LazyFrame(
        {
            "id": ["T1", "T2"],
            "customer_id": ["C", "C"],
            "channel": ["email", "email"],
            "created_at": [datetime(2026, 3, 2, 9, tzinfo=UTC), None],
        },
        schema_overrides={"created_at": pl.Datetime("us", "UTC")},
    )
    events = pl.LazyFrame(
        {
            "ticket_id": ["T1"],
            "type": ["message"],
            "at": [datetime(2026, 3, 2, 10, tzinfo=UTC)],
            "author": ["agent"],
        }
    )
    expected = [(date(2026, 3, 2), 1, None), (None, 0, 1)]
    out = breakdown.frame("first_reply_time", tickets, events, by="period", period="week")
    rows = _rows(out)
    assert [(r["period"], r["n"], r["excluded.invalid_ticket_row"]) for r in rows] == expected
    # The eager frame path agrees (it used to put the blank instant in the week of 1969-12-29).
    eager = breakdown.frame(
        "first_reply_time", tickets.collect(), events.collect(), by="period", period="week"
    )
    rows = _rows(eager)
    assert [(r["period"], r["n"], r["excluded.invalid_ticket_row"]) for r in rows] == expected
