"""Contact-centre and survey KPIs on frames and engines equal the object path.

Interactions are written with :func:`cs8.io.write_interactions`, read back by pandas and polars
(instants parsed), and moved into DuckDB with ``from_arrow`` and into SQLFrame (the PySpark API
over DuckDB, no JVM); every engine must give the object path's ``n``, ``excluded`` and values.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs8 import Interaction
from cs8.exceptions import InvalidValueError, SurveyError, UnknownFieldError
from cs8.io import write_interactions
from cs8.kpi import (
    abandonment_rate,
    average_handle_time,
    average_speed_of_answer,
    csat,
    csat_mean,
    occupancy,
    service_level,
)
from cs8.kpi._columnar import service_level_groups
from tests._data import shared_file
from tests.kpi.bank import read_rows, to_interactions

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")
duckdb = pytest.importorskip("duckdb")
pytest.importorskip("narwhals")

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
_INSTANTS = ("started_at", "answered_at", "ended_at")
_SECONDS = ("talk_time", "hold_time", "wrap_time")  # written as numbers of seconds
# Waits around the 20 s threshold and the 5 s short abandon, to the microsecond.
_WAITS = st.sampled_from(
    [0, 1, 4_999_999, 5_000_000, 19_999_999, 20_000_000, 20_000_001, 61_000_000]
)

# Handle times: ties (whole seconds), zero and microsecond values, written as seconds of text.
_HANDLE = st.one_of(st.sampled_from([0, 1_000_000, 60_000_000]), st.integers(0, 4 * 10**9))


@st.composite
def interactions(draw: st.DrawFn) -> list[Interaction]:
    out = []
    for i in range(draw(st.integers(0, 12))):
        start = T0 + timedelta(microseconds=draw(st.integers(0, 10**9)))
        wait = timedelta(microseconds=draw(_WAITS))
        state = draw(st.sampled_from(["answered", "abandoned", "waiting"]))
        out.append(
            Interaction(
                id=f"I{i}",
                customer_id="C",
                channel=draw(st.sampled_from(["phone", "chat"])),
                started_at=start,
                answered_at=start + wait if state == "answered" else None,
                ended_at=start + wait if state == "abandoned" else None,
                direction=draw(st.sampled_from(["inbound", "inbound", "outbound"])),
                handled_by=draw(st.sampled_from(["agent", "agent", "bot"])),
                talk_time=timedelta(microseconds=draw(_HANDLE)),
                hold_time=timedelta(microseconds=draw(_HANDLE)),
                wrap_time=timedelta(microseconds=draw(_HANDLE)),
            )
        )
    return out


def _polars(calls: list[Interaction]) -> object:
    text = io.StringIO()
    write_interactions(calls, text, format="csv")
    frame = pl.read_csv(io.StringIO(text.getvalue()), infer_schema_length=0)
    return frame.with_columns(
        *(pl.col(c).str.to_datetime(time_zone="UTC", strict=False) for c in _INSTANTS),
        *(pl.col(c).cast(pl.Float64) for c in _SECONDS),
    )


def _pandas(calls: list[Interaction]) -> object:
    text = io.StringIO()
    write_interactions(calls, text, format="csv")
    frame = pd.read_csv(io.StringIO(text.getvalue()), dtype=str, keep_default_na=False)
    for c in _INSTANTS:
        frame[c] = pd.to_datetime(frame[c].replace("", None), utc=True, format="ISO8601")
    for c in _SECONDS:
        frame[c] = frame[c].astype(float)
    return frame


def engines(calls: list[Interaction]) -> dict[str, object]:
    """The same interactions as pandas, polars eager and lazy, and a DuckDB relation."""
    frame = _polars(calls)
    return {
        "pandas": _pandas(calls),
        "polars": frame,
        "polars-lazy": frame.lazy(),  # type: ignore[attr-defined]
        "duckdb": duckdb.connect().from_arrow(frame.to_arrow()),  # type: ignore[attr-defined]
    }


def sqlframe_table(frame: object, name: str) -> object:
    """A polars frame as a typed table of a SQLFrame DuckDBSession (the PySpark API).

    The session is shared by the process and remembers a table's columns: give each table its
    own ``name``.
    """
    session = pytest.importorskip("sqlframe.duckdb").DuckDBSession()
    con = session._conn
    con.register("cs8_arrow", frame.to_arrow())  # type: ignore[attr-defined]
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM cs8_arrow")
    con.unregister("cs8_arrow")
    return session.table(name)


_CASES: tuple[tuple[Callable[..., object], dict[str, object]], ...] = (
    *(
        (service_level, {"abandon_policy": p, "short_abandon": timedelta(seconds=5)})
        for p in ("ignore", "negative", "positive", "exclude_early")
    ),
    (service_level, {}),
    (abandonment_rate, {"short_abandon": timedelta(seconds=5)}),
    (abandonment_rate, {"include_bots": True}),
    (average_speed_of_answer, {}),
    (average_speed_of_answer, {"include_bots": True}),
    (average_handle_time, {}),
    (average_handle_time, {"include_bots": True}),
    (occupancy, {"staffed_time": timedelta(hours=1)}),
    (occupancy, {"staffed_time": timedelta(hours=8), "include_bots": True}),
)


def _check(calls: list[Interaction], tables: dict[str, object]) -> None:
    for kpi, options in _CASES:
        expected = kpi(calls, **options)
        for engine, table in tables.items():
            assert kpi.frame(table, **options) == expected, (engine, kpi, options)  # type: ignore[attr-defined]


@settings(max_examples=10, deadline=None)
@given(interactions())
def test_contact_kpis_on_engines_equal_the_object_path(calls: list[Interaction]) -> None:
    _check(calls, engines(calls))


@settings(max_examples=10, deadline=None)
@given(interactions(), st.sampled_from(["ignore", "negative", "positive", "exclude_early"]))
def test_service_level_groups_equal_the_object_path_per_group(
    calls: list[Interaction], policy: str
) -> None:
    # The oracle: the object KPI on each channel's records; groups without rows do not appear.
    options: dict[str, Any] = {"abandon_policy": policy, "short_abandon": timedelta(seconds=5)}
    expected = {
        channel: service_level([c for c in calls if c.channel.value == channel], **options)
        for channel in {c.channel.value for c in calls}
    }
    for engine, table in engines(calls).items():
        found = service_level_groups(table, "channel", **options)
        assert found == expected, engine


def _fixed() -> list[Interaction]:
    s = timedelta(seconds=1)
    rows = [
        ("answered", 10 * s, "inbound", "agent"),
        ("answered", 20 * s, "inbound", "agent"),  # exactly at the threshold: within it
        ("answered", 40 * s, "inbound", "agent"),
        ("abandoned", 30 * s, "inbound", "agent"),
        ("abandoned", 15 * s, "inbound", "agent"),
        ("abandoned", 3 * s, "inbound", "agent"),  # a short abandon under 5 s
        ("waiting", 0 * s, "inbound", "agent"),  # in progress
        ("answered", s, "inbound", "bot"),
        ("answered", s, "outbound", "agent"),
    ]
    return [
        Interaction(
            id=f"I{i}",
            customer_id="C",
            channel="phone",
            started_at=T0,
            answered_at=T0 + wait if state == "answered" else None,
            ended_at=T0 + wait if state == "abandoned" else None,
            direction=direction,
            handled_by=handled_by,
        )
        for i, (state, wait, direction, handled_by) in enumerate(rows)
    ]


def test_sqlframe_equals_the_object_path() -> None:
    # One fixed table: SQLFrame compiles every query through sqlglot, too slow for many examples.
    calls = _fixed()
    _check(calls, {"sqlframe": sqlframe_table(_polars(calls), "cs8_calls")})
    got = service_level.frame(sqlframe_table(_polars(calls), "cs8_calls"))
    # By hand: answered within 20 s are I0 and I1; answered I0-I2 plus abandoned I3, I4, I5.
    assert (got.successes, got.n) == (2, 6)
    assert dict(got.excluded) == {"in_progress": 1, "bot": 1, "outbound": 1}


def test_handle_time_columns_may_be_durations_or_missing() -> None:
    calls = [
        attrs.evolve(c, talk_time=timedelta(seconds=i, microseconds=7), wrap_time=timedelta(i))
        for i, c in enumerate(_fixed())
    ]
    frame = _polars(calls)
    as_durations = frame.with_columns(  # type: ignore[attr-defined]
        pl.duration(microseconds=(pl.col(c) * 1e6).round(0).cast(pl.Int64)).alias(c)
        for c in _SECONDS
    )
    expected = average_handle_time(calls)
    for table in (
        as_durations,
        as_durations.lazy(),
        duckdb.connect().from_arrow(as_durations.to_arrow()),
    ):
        assert average_handle_time.frame(table) == expected
    # No handle-time columns: every handled contact took no time, as an Interaction's defaults.
    bare = frame.drop(*_SECONDS)  # type: ignore[attr-defined]
    plain = [attrs.evolve(c, talk_time=timedelta(0), wrap_time=timedelta(0)) for c in calls]
    assert average_handle_time.frame(bare.lazy()) == average_handle_time(plain)
    text = frame.with_columns(pl.col("talk_time").cast(pl.String))  # type: ignore[attr-defined]
    with pytest.raises(InvalidValueError, match="'talk_time'"):
        average_handle_time.frame(text)
    with pytest.raises(InvalidValueError, match="staffed_time"):
        occupancy.frame(frame, staffed_time=timedelta(0))


def test_columns_renames_and_errors() -> None:
    calls = _fixed()
    frame = _polars(calls).rename({"started_at": "queued", "answered_at": "picked"})  # type: ignore[attr-defined]
    got = service_level.frame(frame, columns={"started_at": "queued", "answered_at": "picked"})
    assert got == service_level(calls)
    with pytest.raises(UnknownFieldError, match="'started_at'"):
        service_level.frame(frame)
    with pytest.raises(UnknownFieldError, match="unknown fields"):
        service_level.frame(frame, columns={"start": "queued"})
    text = pl.DataFrame({"started_at": ["x"], "answered_at": [None], "ended_at": [None]})
    with pytest.raises(InvalidValueError, match="timestamp"):
        service_level.frame(text)
    with pytest.raises(InvalidValueError, match="abandon_policy"):
        service_level.frame(_polars(calls), abandon_policy="nope")


@cache
def _bank() -> list[Interaction]:
    return to_interactions(read_rows(shared_file("anonymous_bank_february_1999.txt")))


def test_bank_service_level_and_asa_in_duckdb_equal_the_object_path() -> None:
    # The Anonymous Bank log (Technion SEE Center, Feb 1999; tests/kpi/bank.py): its ASA median
    # is 6 s exactly (tests/kpi/test_exact_quantiles.py); DuckDB must give the same numbers.
    calls = _bank()
    relation = duckdb.connect().from_arrow(_polars(calls).to_arrow())  # type: ignore[attr-defined]
    assert service_level.frame(relation) == service_level(calls)
    asa = average_speed_of_answer.frame(relation)
    assert asa == average_speed_of_answer(calls)
    assert asa.median == timedelta(seconds=6)
    assert average_handle_time.frame(relation) == average_handle_time(calls)


_SCORES = st.lists(st.one_of(st.none(), st.integers(1, 5)), max_size=30)


@settings(max_examples=10, deadline=None)
@given(_SCORES)
def test_csat_on_engines_equals_the_object_path(scores: list[int | None]) -> None:
    frame = pl.DataFrame({"score": scores}, schema={"score": pl.Int64})
    tables = {
        "polars-series": frame["score"],
        "polars-lazy": frame.lazy(),
        "pandas-series": frame.to_pandas()["score"],  # a float column with NaN for blanks
        "duckdb": duckdb.connect().from_arrow(frame.to_arrow()),
    }
    for kpi, options in ((csat, {}), (csat, {"positive_from": 5}), (csat_mean, {})):
        expected = kpi(scores, **options)  # type: ignore[operator]
        for engine, table in tables.items():
            assert kpi.frame(table, **options) == expected, (engine, kpi, options)  # type: ignore[attr-defined]


def test_csat_on_sqlframe_and_its_errors() -> None:
    scores = [5, 4, None, 3, 1, 5, 2]
    frame = pl.DataFrame({"id": list(range(7)), "score": scores})
    table = sqlframe_table(frame, "cs8_scores")
    assert csat.frame(table, column="score") == csat(scores)
    assert csat_mean.frame(table, column="score") == csat_mean(scores)
    with pytest.raises(InvalidValueError, match="column="):
        csat.frame(frame)
    with pytest.raises(SurveyError, match="1 scores"):
        csat.frame(pl.Series("score", [4.5, 5.0]))
    with pytest.raises(SurveyError, match="1 scores"):
        csat.frame(pl.Series("score", [4, 6]))
    with pytest.raises(SurveyError):
        csat([4, 6])  # the object path refuses it too
