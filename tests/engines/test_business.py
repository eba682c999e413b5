"""cs8.engines.business_time on pandas, polars (eager, lazy) and DuckDB against the object path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings

from cs8.engines import business_time, calendar_table
from cs8.engines._calendar import epoch_us
from cs8.exceptions import (
    InvalidValueError,
    NaiveDatetimeError,
    UnknownFieldError,
    UnsupportedEngineError,
)
from cs8.sla import BusinessCalendar
from tests.sla import oracle
from tests.sla.test_calendar_properties import cases

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")
duckdb = pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")
sqlframe_duckdb = pytest.importorskip("sqlframe.duckdb")

US = timedelta(microseconds=1)


def expected(cal: BusinessCalendar, pairs: list[tuple[datetime, datetime]]) -> list[int]:
    return [cal.business_duration(a, b) // US for a, b in pairs]


def on_polars(cal: BusinessCalendar, pairs: list[tuple[datetime, datetime]]) -> list[int]:
    df = pl.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    return list(business_time(df, start="a", end="b", calendar=cal)["business_us"])


def on_polars_lazy(cal: BusinessCalendar, pairs: list[tuple[datetime, datetime]]) -> list[int]:
    lf = pl.LazyFrame(
        {"i": range(len(pairs)), "a": [a for a, _ in pairs], "b": [b for _, b in pairs]}
    )
    out = business_time(lf, start="a", end="b", calendar=cal).collect().sort("i")
    return list(out["business_us"])


def on_pandas(cal: BusinessCalendar, pairs: list[tuple[datetime, datetime]]) -> list[int]:
    df = pd.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    df["a"] = pd.to_datetime(df["a"], utc=True).astype("datetime64[us, UTC]")
    df["b"] = pd.to_datetime(df["b"], utc=True).astype("datetime64[us, UTC]")
    return [int(v) for v in business_time(df, start="a", end="b", calendar=cal)["business_us"]]


def on_duckdb(cal: BusinessCalendar, pairs: list[tuple[datetime, datetime]]) -> list[int]:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, a TIMESTAMPTZ, b TIMESTAMPTZ)")
    con.executemany(
        "INSERT INTO t VALUES (?, make_timestamptz(?), make_timestamptz(?))",
        [(i, epoch_us(a), epoch_us(b)) for i, (a, b) in enumerate(pairs)],
    )
    rel = business_time(con.table("t"), start="a", end="b", calendar=cal)
    return [row[-1] for row in rel.order("i").fetchall()]


def on_sqlframe(cal: BusinessCalendar, pairs: list[tuple[datetime, datetime]]) -> list[int]:
    """The PySpark API, run by SQLFrame over DuckDB (no JVM)."""
    session = sqlframe_duckdb.DuckDBSession()
    df = session.createDataFrame([(i, a, b) for i, (a, b) in enumerate(pairs)], ["i", "a", "b"])
    rows = business_time(df, start="a", end="b", calendar=cal).collect()
    return [row["business_us"] for row in sorted(rows, key=lambda r: r["i"])]


def on_arrow(cal: BusinessCalendar, pairs: list[tuple[datetime, datetime]]) -> list[int]:
    kind = pa.timestamp("us", "UTC")
    table = pa.table(
        {"a": pa.array([a for a, _ in pairs], kind), "b": pa.array([b for _, b in pairs], kind)}
    )
    return business_time(table, start="a", end="b", calendar=cal)["business_us"].to_pylist()


ENGINES = [on_polars, on_polars_lazy, on_pandas, on_duckdb, on_arrow]


@settings(max_examples=40, deadline=None)
@given(cases(count=6))
def test_every_engine_counts_business_time_as_the_calendar(
    case: tuple[BusinessCalendar, list[int]],
) -> None:
    cal, instants = case
    points = [oracle.dt(v) for v in instants]
    pairs = [(points[0], points[1]), (points[2], points[3]), (points[4], points[5])]
    pairs.append((points[1], points[0]))  # backwards: the negative
    want = expected(cal, pairs)
    for engine in ENGINES:
        assert engine(cal, pairs) == want, engine.__name__


@settings(max_examples=5, deadline=None)  # SQLFrame runs each query through sqlglot: slow
@given(cases(count=4))
def test_the_pyspark_api_counts_business_time_as_the_calendar(
    case: tuple[BusinessCalendar, list[int]],
) -> None:
    cal, instants = case
    points = [oracle.dt(v) for v in instants]
    pairs = [(points[0], points[1]), (points[2], points[3]), (points[1], points[0])]
    assert on_sqlframe(cal, pairs) == expected(cal, pairs)


@given(cases(count=3))
def test_the_table_is_the_calendar_cumulated(case: tuple[BusinessCalendar, list[int]]) -> None:
    cal, instants = case
    lo, mid, hi = sorted(instants)
    table = calendar_table(cal, oracle.dt(lo), oracle.dt(hi))
    assert list(table.at_us) == sorted(set(table.at_us))
    assert table.cumulative(mid) - table.cumulative(lo) == oracle.duration(cal, lo, mid)
    days = table.days()  # the same counts, cut into UTC days for the engines' equi-join
    assert [days.cumulative(t) for t in (lo, mid, hi)] == [
        table.cumulative(t) for t in (lo, mid, hi)
    ]


def test_pairs_share_one_pass_and_give_each_duration() -> None:
    cal = BusinessCalendar(timezone="Asia/Ho_Chi_Minh", hours={"mon": [("08:00", "17:00")]})
    t = datetime(2026, 3, 2, 1, tzinfo=UTC)  # 08:00 in Ho Chi Minh City
    pairs = [(t, t + timedelta(hours=2)), (t + timedelta(hours=1), t + timedelta(days=8))]
    df = pl.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    out = business_time(df, calendar=cal, pairs={"ab": ("a", "b"), "ba": ("b", "a")})
    assert out["ab"].to_list() == expected(cal, pairs)
    assert out["ba"].to_list() == [-v for v in expected(cal, pairs)]
    with pytest.raises(InvalidValueError, match="not both"):
        business_time(df, calendar=cal, start="a", end="b", pairs={"x": ("a", "b")})


def test_nulls_give_nulls_and_rows_keep_their_order() -> None:
    cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
    t = datetime(2026, 3, 2, 9, tzinfo=UTC)
    df = pl.DataFrame(
        {"a": [t + timedelta(hours=2), None, t], "b": [t + timedelta(hours=3), t, None]}
    )
    assert business_time(df, start="a", end="b", calendar=cal)["business_us"].to_list() == [
        3_600_000_000,
        None,
        None,
    ]
    rel = duckdb.sql("SELECT NULL::TIMESTAMPTZ AS a, NULL::TIMESTAMPTZ AS b")
    assert business_time(rel, start="a", end="b", calendar=cal).fetchall() == [(None, None, None)]


def test_naive_columns_are_refused_with_their_name() -> None:
    cal = BusinessCalendar.always_open()
    df = pl.DataFrame({"a": [datetime(2026, 1, 1)], "b": [datetime(2026, 1, 2)]})
    with pytest.raises(NaiveDatetimeError, match="'a'"):
        business_time(df, start="a", end="b", calendar=cal)
    rel = duckdb.sql("SELECT TIMESTAMP '2026-01-01' AS a, TIMESTAMP '2026-01-02' AS b")
    with pytest.raises(NaiveDatetimeError, match="'a'"):
        business_time(rel, start="a", end="b", calendar=cal)


def test_missing_columns_are_named() -> None:
    cal = BusinessCalendar.always_open()
    df = pl.DataFrame({"a": [datetime(2026, 1, 1, tzinfo=UTC)]})
    with pytest.raises(UnknownFieldError, match="'b'"):
        business_time(df, start="a", end="b", calendar=cal)


def test_table_bounds_are_checked() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(InvalidValueError, match="before start"):
        calendar_table(BusinessCalendar.always_open(), t, t - US)
    table = calendar_table(BusinessCalendar.always_open(), t, t + US)
    with pytest.raises(InvalidValueError, match="outside"):
        table.cumulative(epoch_us(t) - 1)


def test_dst_fall_back_day_counts_its_25_hours_in_duckdb() -> None:
    # Europe/Paris fell back on 2026-10-25: a 00:00-24:00 Sunday lasts 25 hours of real time.
    cal = BusinessCalendar(timezone="Europe/Paris", hours={"sun": [("00:00", "24:00")]})
    rel = duckdb.sql(
        "SELECT TIMESTAMPTZ '2026-10-24 12:00:00+00' AS a, TIMESTAMPTZ '2026-10-26 12:00:00+00' AS b"
    )
    assert (
        business_time(rel, start="a", end="b", calendar=cal).fetchall()[0][-1] == 25 * 3600 * 10**6
    )


def test_a_narwhals_gap_becomes_a_named_cs8_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # A narwhals backend without an operation used here raises NotImplementedError; the caller
    # gets a cs8 error naming the frame's type instead.
    from cs8.engines import _business

    def missing(*args: object) -> None:
        raise NotImplementedError("'total_microseconds' is not implemented")

    monkeypatch.setattr(_business, "_narwhals", missing)
    df = pl.DataFrame(
        {"a": [datetime(2026, 1, 1, tzinfo=UTC)], "b": [datetime(2026, 1, 2, tzinfo=UTC)]}
    )
    with pytest.raises(UnsupportedEngineError, match="polars"):
        business_time(df, start="a", end="b", calendar=BusinessCalendar.always_open())


def test_something_that_is_not_a_frame_is_named() -> None:
    with pytest.raises(InvalidValueError, match="list"):
        business_time([1, 2], start="a", end="b", calendar=BusinessCalendar.always_open())


@settings(max_examples=10, deadline=None)
@given(cases(count=4))
def test_a_known_span_gives_the_same_counts_without_the_sizing_pass(
    case: tuple[BusinessCalendar, list[int]],
) -> None:
    cal, instants = case
    points = [oracle.dt(v) for v in instants]
    pairs = [(points[0], points[1]), (points[3], points[2])]
    span = (min(points), max(points))
    lf = pl.LazyFrame(
        {"i": range(len(pairs)), "a": [a for a, _ in pairs], "b": [b for _, b in pairs]}
    )
    out = business_time(lf, start="a", end="b", calendar=cal, span=span).collect().sort("i")
    assert list(out["business_us"]) == expected(cal, pairs)
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, a TIMESTAMPTZ, b TIMESTAMPTZ)")
    con.executemany(
        "INSERT INTO t VALUES (?, make_timestamptz(?), make_timestamptz(?))",
        [(i, epoch_us(a), epoch_us(b)) for i, (a, b) in enumerate(pairs)],
    )
    rel = business_time(con.table("t"), start="a", end="b", calendar=cal, span=span)
    assert [row[-1] for row in rel.order("i").fetchall()] == expected(cal, pairs)
