"""Benchmark: first reply and resolution inside DuckDB, cs8's own fold vs hand-written SQL.

Tickets and events are generated to Parquet through DuckDB, once, into ``--data DIR`` (reused by
later runs with the same ``--tickets``): four events per ticket (the customer's message and a
follow-up, an agent's public reply, a solve), and one ticket in ten reopened after its solve, so
25,000,000 tickets make about 10^8 events. Both contenders compute, in DuckDB over those files,
first reply and (first) resolution in calendar and in business hours (Monday to Friday
09:00-17:00 UTC), and their mean and exact median (``quantile_cont``):

- cs8: :func:`cs8.engines.ticket_metrics` on the two Parquet files, asked only for the metrics the
  summary reads (``metrics=("first_reply", "first_resolution")``): cs8's own definitions — rows
  the loader would reject (blank cells, duplicate ids, bad events, events before creation),
  merged tickets, the reply clock and an agent's opening message on agent-created tickets, the
  status order at a tie — and business time through the calendar compiled to a table of UTC days
  joined on the day number (holidays, overrides, time zones and DST work the same way).
- hand: the SQL an analyst writes for these files: a grouped minimum of the public agent
  messages and of the solves per ticket, joined to the tickets, and business hours in closed form
  for that one weekly pattern. It implements none of the rules above, and needs none of them to
  get the same numbers here, because the generated data is clean (no blanks, duplicates, bad or
  early events, merges or agent-created tickets). On dirty data it would count what cs8 excludes.

It prints each contender's wall time and CPU time (``time.process_time``: the process's threads,
DuckDB's included), the ratio, the peak resident memory of the whole process (DuckDB's included)
and whether the eight figures agree to the microsecond. The connection's settings (threads,
memory limit, no insertion order kept, a temporary directory on the data's disk) are the
benchmark's, set on its own connection. It never asserts timings.

Run: ``python benchmarks/engines.py --tickets 25000000 --data /work/tmp/engines25m``
(``--quick``: 200,000 tickets in a temporary directory).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import duckdb

from cs8.engines import ticket_metrics
from cs8.sla import BusinessCalendar

CALENDAR = BusinessCalendar(
    timezone="UTC", hours={d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
)

TICKETS = """
COPY (
    SELECT i AS id, 'C' || (i % 1000003) AS customer_id, 'email' AS channel,
           'customer' AS created_by,
           TIMESTAMPTZ '2025-01-01 00:00:00+00'
             + to_microseconds(CAST(hash(i) % 31536000000000 AS BIGINT)) AS created_at
    FROM range({n}) r(i)
) TO '{path}' (FORMAT parquet)
"""

EVENTS = """
COPY (
    WITH t AS (
        SELECT id AS ticket_id, created_at,
               CAST(hash(id * 7 + 1) % 172800000000 AS BIGINT) AS reply_after,
               CAST(hash(id * 7 + 2) % 604800000000 AS BIGINT) AS solve_after,
               hash(id * 7 + 3) % 10 = 0 AS reopened
        FROM read_parquet('{tickets}')
    )
    SELECT ticket_id, 'message' AS type, created_at AS "at", 'customer' AS author, true AS public,
           NULL::VARCHAR AS status FROM t
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

HAND = """
WITH e AS (
    SELECT ticket_id,
           min("at") FILTER (WHERE type = 'message' AND author = 'agent' AND public) AS reply_at,
           min("at") FILTER (WHERE type = 'status_change' AND status = 'solved') AS solved_at
    FROM read_parquet('{events}')
    GROUP BY ticket_id
), m AS (
    SELECT epoch_us(reply_at) - epoch_us(created_at) AS first_reply_us,
           epoch_us(solved_at) - epoch_us(created_at) AS first_resolution_us,
           {reply} - {created} AS first_reply_business_us,
           {solved} - {created} AS first_resolution_business_us
    FROM read_parquet('{tickets}') AS t LEFT JOIN e ON e.ticket_id = t.id
)
"""

COLUMNS = (
    "first_reply_us",
    "first_resolution_us",
    "first_reply_business_us",
    "first_resolution_business_us",
)

# The durations are stored in a table (DuckDB spills it to the temporary directory when memory is
# short), then summarised one column at a time: an exact median holds every value of its column
# in memory, and four at once over 25M tickets (800 MB) would not fit the memory limit.
SUMMARY = "SELECT count({c}), avg({c})::BIGINT, quantile_cont({c}, 0.5)::BIGINT FROM durations"


def peak_mb() -> float:
    """The peak resident memory of this process (DuckDB's threads included), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(con: duckdb.DuckDBPyConnection, n: int, data: Path) -> tuple[Path, Path]:
    """Write the tickets and events once; a later run with the same size reuses them."""
    data.mkdir(parents=True, exist_ok=True)
    tickets, events = data / f"tickets_{n}.parquet", data / f"events_{n}.parquet"
    if not (tickets.exists() and events.exists()):
        start = time.perf_counter()
        con.execute(TICKETS.format(n=n, path=tickets))
        con.execute(EVENTS.format(tickets=tickets, path=events))
        print(f"generated {n:,} tickets in {time.perf_counter() - start:.1f} s into {data}")
    count = con.sql(f"SELECT count(*) FROM read_parquet('{events}')").fetchall()[0][0]
    print(f"{n:,} tickets, {count:,} events ({events})")
    return tickets, events


def timed(
    con: duckdb.DuckDBPyConnection, label: str, query: Callable[[], duckdb.DuckDBPyRelation]
) -> tuple[float, float, tuple[object, ...]]:
    """Build the query (cs8 reads the tables' time range then), store its durations and
    summarise them, timing it all."""
    wall, cpu = time.perf_counter(), time.process_time()
    query().create("durations")
    row: list[object] = list(con.sql("SELECT count(*) FROM durations").fetchall()[0])
    for column in COLUMNS:
        row += con.sql(SUMMARY.format(c=column)).fetchall()[0]
    con.execute("DROP TABLE durations")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"  {label:<28} {wall:8.2f} s wall {cpu:8.2f} s CPU   peak RSS so far {peak_mb():,.0f} MB"
    )
    return wall, cpu, tuple(row)


def cs8_query(
    con: duckdb.DuckDBPyConnection, tickets: Path, events: Path
) -> duckdb.DuckDBPyRelation:
    table = ticket_metrics(
        con.sql(f"SELECT * FROM read_parquet('{tickets}')"),
        con.sql(f"SELECT * FROM read_parquet('{events}')"),
        CALENDAR,
        metrics=("first_reply", "first_resolution"),
    )
    return table.query("t", f"SELECT {', '.join(COLUMNS)} FROM t WHERE excluded IS NULL")  # type: ignore[no-any-return]


def hand_query(
    con: duckdb.DuckDBPyConnection, tickets: Path, events: Path
) -> duckdb.DuckDBPyRelation:
    sql = HAND.format(
        events=events,
        tickets=tickets,
        reply=CUMULATIVE.format(t="reply_at"),
        solved=CUMULATIVE.format(t="solved_at"),
        created=CUMULATIVE.format(t="created_at"),
    )
    return con.sql(sql + f"SELECT {', '.join(COLUMNS)} FROM m")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=25_000_000)
    parser.add_argument("--quick", action="store_true", help="200,000 tickets")
    parser.add_argument("--data", type=Path, help="where the Parquet files are kept (reused)")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the contenders N times")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--memory-limit", default="1200MB")
    args = parser.parse_args()
    n = 200_000 if args.quick else args.tickets
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp)
        con = duckdb.connect()
        con.execute(f"SET threads = {args.threads}")
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET temp_directory = '{data / 'spill'}'")
        tickets, events = generate(con, n, data)
        print(
            f"load average {os.getloadavg()[0]:.2f}, {args.threads} DuckDB threads, "
            f"memory_limit {args.memory_limit}"
        )
        ours_t: list[float] = []
        hand_t: list[float] = []
        ours_w: list[float] = []
        hand_w: list[float] = []
        ours = theirs = ()
        for _ in range(args.rounds):
            wall, cpu, ours = timed(
                con, "cs8 ticket_metrics", lambda: cs8_query(con, tickets, events)
            )
            ours_t.append(cpu)
            ours_w.append(wall)
            wall, cpu, theirs = timed(
                con, "hand-written SQL", lambda: hand_query(con, tickets, events)
            )
            hand_t.append(cpu)
            hand_w.append(wall)
        print(
            f"  ratio cs8/hand: {min(ours_t) / min(hand_t):.2f} (best CPU time), "
            f"{min(ours_w) / min(hand_w):.2f} (best wall time); load average now "
            f"{os.getloadavg()[0]:.2f}"
        )
        print(f"  tickets counted: cs8 {ours[0]:,}, hand {theirs[0]:,}")
        for i, column in enumerate(COLUMNS):
            print(
                f"    {column:<30} n, mean, median  cs8 {ours[1 + 3 * i : 4 + 3 * i]}"
                f"   hand {theirs[1 + 3 * i : 4 + 3 * i]}"
            )
        print(f"  the same numbers to the microsecond: {ours == theirs}")
        print(f"  peak resident memory of the process: {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
