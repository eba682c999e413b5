"""Benchmark: loading interaction rows from CSV, against pandas ``read_csv`` plus validation.

The file is an export of calls (id, customer, channel, started/answered/ended instants with their
UTC offset, agent, talk seconds), written once from a fixed seed; 10% of the calls are abandoned.
Contenders, each on the same file:

- ``cs8``: :func:`cs8.io.read_interactions` (every row validated into an ``Interaction``).
- ``pandas``: ``pandas.read_csv`` plus the same checks in vectorised form: non-empty ids,
  known channels, ISO 8601 instants with an offset (``to_datetime(utc=True, format="ISO8601")``),
  years 1900-2200, answered/ended not before started, non-negative talk time, duplicate ids.
- ``baseline``: the cs8 reader of another source tree (``--baseline-src``, e.g. the tree of commit
  d4da463 extracted with ``git archive d4da463 src | tar -x -C /tmp/base``), in a subprocess.

Then the streaming reader, :func:`cs8.io.iter_interactions`, reads ``--stream-rows`` rows in a
subprocess whose peak resident memory is reported (``ru_maxrss``).

Both the cs8 and pandas results are checked to agree (same rows accepted). The contenders run
alternately (``--repeat``), and the script prints wall-clock and CPU seconds (CPU counts every
thread of the process: on a busy shared machine it is the steadier figure), rows per second and
the ratios; it never asserts timings. cs8 reads by column when polars and pyarrow (the
``dataframe`` extra) are installed, else with the csv module (see ``docs/performance.md``).

Run ``python benchmarks/loading.py --quick`` (20k rows), or for the issue's figures:
``python benchmarks/loading.py --rows 1000000 --baseline-src /tmp/base/src --repeat 3
--baseline-repeat 1`` (the baseline takes minutes) and ``--stream-only --stream-rows 10000000``.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

HEADER = "id,customer_id,channel,started_at,answered_at,ended_at,agent_id,talk_time\n"
CHANNELS = ("phone", "chat", "email")


def write_calls(path: Path, n: int, seed: int = 1) -> None:
    """Write ``n`` calls to ``path`` (fixed seed)."""
    rnd = random.Random(seed)
    t0 = datetime(2026, 1, 5, 8, tzinfo=timezone(timedelta(hours=7)))
    with path.open("w", newline="") as out:
        out.write(HEADER)
        for i in range(n):
            start = t0 + timedelta(seconds=i * 3)
            wait = timedelta(seconds=rnd.randint(0, 120))
            if rnd.random() < 0.1:
                end = (start + wait).isoformat()
                out.write(f"I{i},C{rnd.randint(1, 50_000)},{CHANNELS[i % 3]},")
                out.write(f"{start.isoformat()},,{end},,0\n")
                continue
            answered = start + wait
            talk = rnd.randint(30, 900)
            ended = answered + timedelta(seconds=talk)
            out.write(f"I{i},C{rnd.randint(1, 50_000)},{CHANNELS[i % 3]},{start.isoformat()},")
            out.write(f"{answered.isoformat()},{ended.isoformat()},A{rnd.randint(1, 200)},{talk}\n")


Timing = tuple[float, float, int]
"""(wall seconds, CPU seconds of the process, rows kept)."""


def run_cs8(path: Path) -> Timing:
    from cs8.io import read_interactions

    c, t = time.process_time(), time.perf_counter()
    result = read_interactions(path)
    return time.perf_counter() - t, time.process_time() - c, len(result.records)


def run_pandas(path: Path) -> Timing:
    import pandas as pd

    c, t = time.process_time(), time.perf_counter()
    df = pd.read_csv(path, dtype={"id": str, "customer_id": str, "agent_id": str})
    ok = df["id"].notna() & df["customer_id"].notna() & df["channel"].isin(CHANNELS)
    instants = {}
    for column in ("started_at", "answered_at", "ended_at"):
        instants[column] = pd.to_datetime(df[column], utc=True, format="ISO8601", errors="coerce")
        given = df[column].notna()
        years = instants[column].dt.year
        ok &= ~given | (instants[column].notna() & years.between(1900, 2200))
    ok &= instants["started_at"].notna()
    ok &= ~(instants["answered_at"] < instants["started_at"])
    ok &= ~(instants["ended_at"] < instants["started_at"])
    ok &= ~(instants["ended_at"] < instants["answered_at"])
    talk = pd.to_timedelta(df["talk_time"], unit="s", errors="coerce")
    ok &= talk.notna() & (talk >= pd.Timedelta(0))
    ok &= ~df["id"].duplicated(keep=False)
    kept = int(ok.sum())
    return time.perf_counter() - t, time.process_time() - c, kept


def run_baseline(path: Path, src: str) -> Timing:
    code = (
        "import time, sys\n"
        "from cs8.io import read_interactions\n"
        "c, t = time.process_time(), time.perf_counter()\n"
        f"r = read_interactions({str(path)!r})\n"
        "print(time.perf_counter() - t, time.process_time() - c, len(r.records))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def run_stream(path: Path) -> tuple[float, int, float]:
    """Stream ``path`` in a fresh process; return seconds, records and its own peak RSS in MB."""
    code = (
        "import time, resource\n"
        "from cs8.io import iter_interactions\n"
        "t = time.perf_counter(); n = 0\n"
        f"for chunk in iter_interactions({str(path)!r}, duplicates='unchecked'):\n"
        "    n += len(chunk.records)\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(time.perf_counter() - t, n, peak)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="20k rows, no streaming run")
    parser.add_argument("--baseline-src", help="a src/ folder of another cs8 to compare with")
    parser.add_argument("--stream-rows", type=int, default=0)
    parser.add_argument(
        "--repeat", type=int, default=1, help="alternating runs (the least wall and CPU kept)"
    )
    parser.add_argument(
        "--baseline-repeat",
        type=int,
        help="baseline runs, in the first rounds (default: --repeat; the baseline takes minutes)",
    )
    parser.add_argument("--stream-only", action="store_true", help="only the streaming run")
    args = parser.parse_args()
    if args.stream_only:
        with tempfile.TemporaryDirectory() as folder:
            _stream(Path(folder), args.stream_rows or 1_000_000)
        return
    rows = 20_000 if args.quick else args.rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.csv"
        write_calls(path, rows)
        runs: dict[str, list[Timing]] = {"cs8": [], "pandas": [], "baseline": []}
        baseline_repeat = args.repeat if args.baseline_repeat is None else args.baseline_repeat
        for i in range(args.repeat):  # alternating, so a change in the machine's load hits all
            runs["cs8"].append(run_cs8(path))
            runs["pandas"].append(run_pandas(path))
            if args.baseline_src and i < baseline_repeat:
                runs["baseline"].append(run_baseline(path, args.baseline_src))
        # the least wall time and the least CPU time, each over the runs (not from one run)
        best = {
            name: (min(t[0] for t in times), min(t[1] for t in times), times[0][2])
            for name, times in runs.items()
            if times
        }
        counts = ", ".join(f"{name} {len(times)}" for name, times in runs.items() if times)
        print(
            f"{rows:,} interaction rows ({path.stat().st_size / 1e6:.0f} MB), best of "
            f"{counts} runs; load average {_load()} (2 cores: CPU seconds are the steadier figure)"
        )
        labels = {
            "cs8": "cs8 read_interactions",
            "pandas": "pandas read_csv + checks",
            "baseline": "baseline read_interactions",
        }
        for name, (wall, cpu, kept) in best.items():
            print(
                f"  {labels[name]:27} {wall:8.2f} s wall {cpu:8.2f} s CPU "
                f"{rows / wall:10,.0f} rows/s  kept {kept:,}"
            )
        cs8 = best["cs8"]
        for name, target in (("pandas", "at most 3x"), ("baseline", "at least 10x")):
            if name not in best:
                continue
            other = best[name]
            a, b = (cs8, other) if name == "pandas" else (other, cs8)
            what = "cs8 / pandas" if name == "pandas" else "baseline / cs8"
            print(
                f"  {what:27} {a[0] / b[0]:8.2f}x wall {a[1] / b[1]:6.2f}x CPU  (target: {target})"
            )
            if other[2] != cs8[2]:
                print(f"  DISAGREE: cs8 kept {cs8[2]}, {name} {other[2]}")
        if args.stream_rows and not args.quick:
            _stream(Path(folder), args.stream_rows)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _stream(folder: Path, rows: int) -> None:
    big = folder / "stream.csv"
    write_calls(big, rows)
    s, n, peak = run_stream(big)
    print(
        f"{rows:,} rows ({big.stat().st_size / 1e6:,.0f} MB) streamed with iter_interactions; "
        f"load average {_load()}"
    )
    print(f"  {s:.1f} s  {n / s:,.0f} rows/s  peak {peak:,.0f} MB  (target: under 500 MB)")


if __name__ == "__main__":
    main()
