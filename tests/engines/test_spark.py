"""The done-when numbers on a real PySpark ``SparkSession`` (``local[1]``, the same small data).

CI has no JVM: the PySpark API is tested there through SQLFrame over DuckDB
(``test_same_numbers.py``). This module is the optional job, ``python3 tasks.py spark``: it runs
where ``CS8_SPARK=1`` is set (the task sets it), pyspark (the ``spark`` extra) and Java are
installed, and skips elsewhere saying which is missing. Starting the JVM and running these few
queries takes minutes on a small machine, hence the opt-in; one session serves the module.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.engines.test_fold import _parsed
from tests.engines.test_same_numbers import (
    _EVENTS_CSV,
    _TICKETS_CSV,
    _calls,
    engine_numbers,
    expected_numbers,
    scores_frame,
)
from tests.kpi.test_columnar import _polars
from tests.kpi.test_frames import read_frames

if os.environ.get("CS8_SPARK") != "1":
    pytest.skip(
        "the PySpark job is opt-in: CS8_SPARK=1 or python3 tasks.py spark", allow_module_level=True
    )
pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'cs8[spark]')")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("no Java runtime (java on PATH or JAVA_HOME) for PySpark", allow_module_level=True)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("cs8-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield session
    session.stop()


def _table(spark: Any, frame: Any) -> Any:
    """A polars frame as a Spark DataFrame, typed from its Arrow schema (blank columns too)."""
    return spark.createDataFrame(frame.to_arrow())


def test_same_numbers_on_pyspark(spark: Any) -> None:
    tf, ef = read_frames(_TICKETS_CSV, _EVENTS_CSV, "polars")
    tickets = _table(spark, _parsed(tf, "created_at"))
    events = _table(spark, _parsed(ef, "at"))
    got = engine_numbers(
        tickets, events, _table(spark, _polars(_calls())), _table(spark, scores_frame())
    )
    for name, value in expected_numbers().items():
        assert got[name] == value, name


def test_ticket_metrics_rows_on_pyspark(spark: Any) -> None:
    import narwhals as nw

    from cs8.engines import ticket_metrics as engine_metrics
    from tests.engines.test_same_numbers import expected_rows, row_key

    tf, ef = read_frames(_TICKETS_CSV, _EVENTS_CSV, "polars")
    table = engine_metrics(
        _table(spark, _parsed(tf, "created_at")), _table(spark, _parsed(ef, "at"))
    )
    rows = nw.from_native(table).collect(backend="polars").to_polars().iter_rows(named=True)
    assert {r["ticket_id"]: row_key(r) for r in rows} == expected_rows()


def test_period_start_on_spark_equals_the_object_path_whatever_the_session_zone(
    spark: Any,
) -> None:
    """``from_utc_timestamp`` then ``unix_micros`` reads no session zone: Tokyo's gives the same."""
    from cs8.engines import period_start
    from tests.engines.test_period import _ANCHORS, _expected

    us = timedelta(microseconds=1)
    instants = [a + d for a in _ANCHORS for d in (-us, timedelta(0), timedelta(hours=-6))]
    df = spark.createDataFrame([(t,) for t in instants], "at timestamp")
    spark.conf.set("spark.sql.session.timeZone", "Asia/Tokyo")
    try:
        for zone in ("Europe/Paris", "America/New_York"):
            for period in ("day", "week", "month", "quarter", "year"):
                rows = period_start(df, "at", period=period, timezone=zone).collect()  # type: ignore[arg-type]
                assert [r[-1] for r in rows] == [_expected(t, zone, period) for t in instants]
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")
