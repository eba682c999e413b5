"""Benchmark: contact-centre KPIs through each engine on the Anonymous Bank log, repeated.

Run ``python benchmarks/engine_kpis.py`` (the February 1999 log of the Technion SEE Center's
"Anonymous Bank" repeated 55 times: 1,711,875 calls) or ``--repeat 5`` for a quick look;
``--spark`` adds a local[1] PySpark session (needs pyspark and Java; the session's start is not
timed). Each engine computes ``service_level``, ``average_speed_of_answer`` and
``average_handle_time`` with ``.frame(...)``; the object path (``cs8.Interaction`` values) is the
peer, and every engine's result is checked equal to it. A hand-written DuckDB query of the
service level taking the same counts as cs8, once with ``count(*) FILTER (WHERE ...)`` and once
with ``sum(CASE WHEN ... THEN 1 ELSE 0 END)`` (what cs8 writes, narwhals having no filtered
aggregation), gives the cost of that gap and of cs8's own overhead on DuckDB. Prints wall and CPU
seconds (CPU counts every thread of an engine, but not the JVM of PySpark: read its wall time)
and ratios; never asserts timings.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from cs8.kpi import average_handle_time, average_speed_of_answer, service_level  # noqa: E402

KPIS: dict[str, Any] = {
    "service_level": service_level,
    "asa": average_speed_of_answer,
    "aht": average_handle_time,
}


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float, object]:
    """Best wall and CPU seconds over ``rounds`` runs, and the last result."""
    wall = cpu = float("inf")
    out: object = None
    for _ in range(rounds):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall, cpu, out


def hand_sql_service_level(rel: Any, aggregate: str) -> tuple[int, int, dict[str, int]]:
    """The counts cs8 takes for the service level (20 s, abandons count against), hand-written.

    ``aggregate`` is ``"filter"`` (``count(*) FILTER (WHERE c)``) or ``"case"``
    (``sum(CASE WHEN c THEN 1 ELSE 0 END)``, what narwhals can express).
    """
    inbound = "coalesce(lower(nullif(direction, '')), 'inbound') = 'inbound'"
    kept = f"{inbound} AND coalesce(lower(handled_by), 'agent') <> 'bot'"
    conditions = {
        "outbound": f"NOT ({inbound})",
        "bot": f"{inbound} AND lower(handled_by) = 'bot'",
        "in_progress": f"{kept} AND answered_at IS NULL AND ended_at IS NULL",
        "answered": f"{kept} AND answered_at IS NOT NULL",
        "answered_in": f"{kept} AND answered_at <= started_at + INTERVAL 20 SECOND",
        "abandoned": f"{kept} AND answered_at IS NULL AND ended_at IS NOT NULL",
    }
    if aggregate == "filter":
        aggs = [f"count(*) FILTER (WHERE {c})" for c in conditions.values()]
    else:
        aggs = [f"sum(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in conditions.values()]
    row = dict(zip(conditions, (int(v or 0) for v in rel.aggregate(", ".join(aggs)).fetchall()[0])))
    excluded = {k: row[k] for k in ("outbound", "bot", "in_progress") if row[k]}
    return row["answered_in"], row["answered"] + row["abandoned"], excluded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=55, help="copies of the bank log")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--spark", action="store_true", help="add a local[1] PySpark session")
    args = parser.parse_args()

    import duckdb
    import polars as pl
    from tests.kpi.bank import read_rows, to_interactions
    from tests.kpi.test_columnar import _polars

    data = Path(os.environ.get("CS8_SHARED_DATA", ROOT.parent / "shared" / "data"))
    bank = to_interactions(read_rows(data / "anonymous_bank_february_1999.txt"))
    calls = bank * args.repeat
    frame = pl.concat([_polars(bank)] * args.repeat)  # type: ignore[list-item]
    print(f"{len(calls):,} calls (bank log x {args.repeat}); load {os.getloadavg()[0]:.2f}")
    con = duckdb.connect()
    # A DuckDB table, as Parquet or a database gives: a relation over a Python Arrow object
    # re-reads it through Python on every query.
    con.register("bank_arrow", frame.to_arrow())
    con.execute("CREATE TABLE bank AS SELECT * FROM bank_arrow")
    relation = con.table("bank")
    engines: dict[str, Any] = {
        "pandas": frame.to_pandas(),
        "polars": frame,
        "polars-lazy": frame.lazy(),
        "duckdb": relation,
    }
    try:
        from sqlframe.duckdb import DuckDBSession

        session = DuckDBSession()
        session._conn.register("bank_arrow", frame.to_arrow())
        session._conn.execute("CREATE OR REPLACE TABLE bank AS SELECT * FROM bank_arrow")
        engines["sqlframe"] = session.table("bank")
    except ImportError:
        pass
    if args.spark:
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        engines["pyspark"] = spark.createDataFrame(frame.to_arrow()).cache()
        engines["pyspark"].count()  # materialise the cache outside the timing
    print(f"{'kpi':<14}{'engine':<13}{'wall s':>8}{'cpu s':>8}{'objects/engine (wall)':>24}  equal")
    for name, kpi in KPIS.items():
        base_wall, base_cpu, expected = timed(lambda kpi=kpi: kpi(calls), args.rounds)
        print(f"{name:<14}{'objects':<13}{base_wall:>8.2f}{base_cpu:>8.2f}{1.0:>24.2f}")
        for engine, table in engines.items():
            wall, cpu, got = timed(lambda kpi=kpi, t=table: kpi.frame(t), args.rounds)
            ratio = base_wall / wall
            print(f"{name:<14}{engine:<13}{wall:>8.2f}{cpu:>8.2f}{ratio:>24.2f}  {got == expected}")
    sl = service_level(calls)
    for aggregate in ("filter", "case"):
        wall, cpu, got = timed(lambda a=aggregate: hand_sql_service_level(relation, a), args.rounds)
        same = got == (sl.successes, sl.n, dict(sl.excluded))
        label = f"(hand-written SQL, {aggregate.upper()})"
        print(f"{'service_level':<14}{'duckdb':<13}{wall:>8.2f}{cpu:>8.2f}  {label}  {same}")


if __name__ == "__main__":
    main()
