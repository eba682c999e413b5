"""Benchmark: business-hours first reply and resolution inside DuckDB, cs8's calendar join vs hand SQL.

Events are generated to Parquet through DuckDB (four per ticket: the customer's message and a
follow-up, an agent's public reply and a solve; one ticket in ten is reopened; ``--tickets`` sets the
count, 25,000,000 tickets make about 10^8 events). Both contenders fold the events into per-ticket
instants with the same SQL (created, first public agent reply, first solve: cs8's definitions) and
then count business time, Monday to Friday 09:00-17:00 UTC:

- cs8: :func:`cs8.engines.business_time` (the calendar compiled to a table of UTC days with their
  open pieces, joined on the day number, so holidays, overrides, closures and DST work the same way;
  it makes one extra pass over the input to size that table);
- peer: the closed-form SQL an analyst writes for that one weekly pattern (whole weeks, whole days,
  the partial day), which knows nothing of holidays or time zones.

A third contender runs cs8's whole per-ticket fold in DuckDB as well:
:func:`cs8.engines.ticket_metrics` on the tickets and events tables (every rule of the ticket KPIs:
rows the loader would reject, merged tickets, the reply clock, reopens), first reply and resolution
in calendar and business hours, aggregated in DuckDB over the rows it counts.

It prints each contender's time, the ratio, the peak resident memory of the process and whether the
mean and exact median (``quantile_cont``) of both durations agree to the microsecond. It never
asserts timings. ``--quick`` runs 200,000 tickets.

Run: ``python benchmarks/engines.py [--tickets N | --quick]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import duckdb

from cs8.engines import business_time, ticket_metrics
from cs8.sla import BusinessCalendar

CALENDAR = BusinessCalendar(
    timezone="UTC", hours={d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
)

GENERATE = """
COPY (
    WITH t AS (
        SELECT i AS ticket_id,
               TIMESTAMPTZ '2025-01-01 00:00:00+00'
                 + to_microseconds(CAST(hash(i) % 31536000000000 AS BIGINT)) AS created_at,
               CAST(hash(i * 7 + 1) % 172800000000 AS BIGINT) AS reply_after,
               CAST(hash(i * 7 + 2) % 604800000000 AS BIGINT) AS solve_after,
               hash(i * 7 + 3) % 10 = 0 AS reopened
        FROM range({n}) r(i)
    )
    SELECT ticket_id, 'message' AS type, created_at AS "at", 'customer' AS author, true AS public,
           NULL AS status FROM t
    UNION ALL SELECT ticket_id, 'message', created_at + to_microseconds(reply_after // 2),
           'customer', true, NULL FROM t
    UNION ALL SELECT ticket_id, 'message', created_at + to_microseconds(reply_after), 'agent',
           true, NULL FROM t
    UNION ALL SELECT ticket_id, 'status_change',
           created_at + to_microseconds(reply_after + solve_after), NULL, NULL, 'solved' FROM t
    UNION ALL SELECT ticket_id, 'status_change',
           created_at + to_microseconds(reply_after + solve_after + 3600000000), NULL, NULL, 'open'
           FROM t WHERE reopened
) TO '{path}' (FORMAT parquet)
"""

# The fold both contenders share: cs8's definitions of the three instants.
FOLD = """
SELECT ticket_id,
       min("at") FILTER (WHERE type = 'message' AND author = 'customer') AS created_at,
       min("at") FILTER (WHERE type = 'message' AND author = 'agent' AND public) AS first_reply_at,
       min("at") FILTER (WHERE type = 'status_change' AND status = 'solved') AS solved_at
FROM read_parquet('{path}')
GROUP BY ticket_id
"""

# Hand-written business hours for Mon-Fri 09:00-17:00 UTC: C(t) counts business microseconds
# from Monday 1969-12-29 (1970-01-01 was a Thursday).
CUMULATIVE = """
(floor((epoch_us({t}) + 3 * 86400000000) / 604800000000)::BIGINT * 5 * 28800000000
 + least(((floor((epoch_us({t}) + 3 * 86400000000) / 86400000000)::BIGINT) % 7), 5) * 28800000000
 + CASE WHEN ((floor((epoch_us({t}) + 3 * 86400000000) / 86400000000)::BIGINT) % 7) < 5
        THEN greatest(0, least(28800000000,
             (epoch_us({t}) % 86400000000) - 32400000000))
        ELSE 0 END)
"""

SUMMARY = """
SELECT avg(frt)::BIGINT, quantile_cont(frt, 0.5), avg(res)::BIGINT, quantile_cont(res, 0.5), count(*)
FROM {source}
"""


TICKETS = """
COPY (
    SELECT ticket_id AS id, 'C' || (ticket_id % 100000) AS customer_id, 'email' AS channel,
           min("at") AS created_at
    FROM read_parquet('{events}') WHERE type = 'message' AND author = 'customer'
    GROUP BY ticket_id
) TO '{path}' (FORMAT parquet)
"""

METRICS_SUMMARY = """
SELECT avg(first_reply_business_us)::BIGINT, quantile_cont(first_reply_business_us, 0.5),
       avg(first_resolution_business_us)::BIGINT,
       quantile_cont(first_resolution_business_us, 0.5), count(*)
FROM t WHERE excluded IS NULL
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[float, tuple]:
    facts = con.sql(FOLD.format(path=path))
    start = time.perf_counter()
    spans = {"frt": ("created_at", "first_reply_at"), "res": ("created_at", "solved_at")}
    ours_rel = business_time(facts, calendar=CALENDAR, pairs=spans)
    ours = ours_rel.query("t", SUMMARY.format(source="t")).fetchall()[0]
    cs8_time = time.perf_counter() - start

    start = time.perf_counter()
    hand_rel = con.sql(
        f"""SELECT {CUMULATIVE.format(t="first_reply_at")} - {CUMULATIVE.format(t="created_at")} AS frt,
                   {CUMULATIVE.format(t="solved_at")} - {CUMULATIVE.format(t="created_at")} AS res
            FROM ({FOLD.format(path=path)})"""
    )
    theirs = hand_rel.query("t", SUMMARY.format(source="t")).fetchall()[0]
    hand_time = time.perf_counter() - start
    print(f"  tickets: {ours[4]:,}")
    print(f"  cs8 calendar join: {cs8_time:8.2f} s")
    print(f"  hand-written SQL:  {hand_time:8.2f} s   ratio cs8/hand {cs8_time / hand_time:.2f}")
    print(f"  mean and median agree to the microsecond: {ours == theirs}")
    print(f"    cs8  {ours[:4]}")
    print(f"    hand {theirs[:4]}")
    print(f"  peak resident memory of the process: {peak_mb():,.0f} MB")
    return hand_time, theirs


def run_metrics(
    con: duckdb.DuckDBPyConnection, events: Path, tickets: Path, hand: tuple[float, tuple]
) -> None:
    start = time.perf_counter()
    table = ticket_metrics(
        con.sql(f"SELECT * FROM read_parquet('{tickets}')"),
        con.sql(f"SELECT * FROM read_parquet('{events}')"),
        CALENDAR,
    )
    ours = table.query("t", METRICS_SUMMARY).fetchall()[0]
    elapsed = time.perf_counter() - start
    hand_time, theirs = hand
    print(
        f"  cs8 ticket_metrics (whole fold in DuckDB): {elapsed:8.2f} s   "
        f"ratio to hand SQL {elapsed / hand_time:.2f}"
    )
    print(f"  mean and median agree with the hand SQL: {ours[:4] == theirs[:4]}  {ours[:4]}")
    print(f"  peak resident memory of the process: {peak_mb():,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=25_000_000)
    parser.add_argument("--quick", action="store_true", help="200,000 tickets")
    parser.add_argument("--memory-limit", default="1500MB")
    args = parser.parse_args()
    n = 200_000 if args.quick else args.tickets
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.parquet"
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
        con.execute("SET threads = 2")
        con.execute(f"SET temp_directory = '{tmp}'")
        start = time.perf_counter()
        con.execute(GENERATE.format(n=n, path=path))
        events = con.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
        print(
            f"generated {events:,} events for {n:,} tickets in {time.perf_counter() - start:.1f} s"
        )
        hand = run(con, path)
        tickets = Path(tmp) / "tickets.parquet"
        con.execute(TICKETS.format(events=path, path=tickets))
        run_metrics(con, path, tickets, hand)


if __name__ == "__main__":
    main()
