"""Benchmark: validate and score SERVQUAL responses; print responses per second.

Run ``python benchmarks/surveys.py`` (100,000 responses) or ``--quick`` (10,000). The peer is a
plain-Python scorer without validation or missing-answer handling, measured in the same run
(and pandas, when installed); the script prints ratios and never asserts timings.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cs8.surveys import SERVQUAL_1991, ServqualResponse, servqual_scores


def make_rows(n: int, seed: int = 7) -> list[tuple[list[int], list[int]]]:
    rng = random.Random(seed)
    return [
        ([rng.randint(4, 7) for _ in range(22)], [rng.randint(2, 7) for _ in range(22)])
        for _ in range(n)
    ]


def run_cs8(rows: list[tuple[list[int], list[int]]]) -> float:
    responses = [ServqualResponse(expectations=e, perceptions=p) for e, p in rows]
    return servqual_scores(responses).unweighted


def run_plain(rows: list[tuple[list[int], list[int]]]) -> float:
    dims = [SERVQUAL_1991.positions(d) for d in SERVQUAL_1991.dimensions]
    sums = [0.0] * len(dims)
    for e, p in rows:
        g = [a - b for a, b in zip(p, e, strict=True)]
        for k, pos in enumerate(dims):
            sums[k] += sum(g[j] for j in pos) / len(pos)
    return sum(s / len(rows) for s in sums) / len(dims)


def run_pandas(rows: list[tuple[list[int], list[int]]]) -> float:
    import pandas as pd

    e = pd.DataFrame([r[0] for r in rows])
    p = pd.DataFrame([r[1] for r in rows])
    g = p - e
    dims = [SERVQUAL_1991.positions(d) for d in SERVQUAL_1991.dimensions]
    return float(sum(g.iloc[:, list(pos)].mean(axis=1).mean() for pos in dims) / len(dims))


def timed(fn, rows, repeat: int) -> tuple[float, float]:
    best = float("inf")
    value = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn(rows)
        best = min(best, time.perf_counter() - t0)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 responses, one run")
    parser.add_argument("-n", type=int, default=None, help="number of responses")
    args = parser.parse_args()
    n = args.n or (10_000 if args.quick else 100_000)
    repeat = 1 if args.quick else 3
    rows = make_rows(n)
    t_cs8, v_cs8 = timed(run_cs8, rows, repeat)
    t_build, _ = timed(
        lambda r: len([ServqualResponse(expectations=e, perceptions=p) for e, p in r]), rows, repeat
    )
    t_plain, v_plain = timed(run_plain, rows, repeat)
    assert abs(v_cs8 - v_plain) < 1e-9, (v_cs8, v_plain)
    print(f"responses: {n:,} (22 items, validation + scoring + t-tests), best of {repeat}")
    print(f"cs8.surveys   {t_cs8:8.3f} s  {n / t_cs8:>12,.0f} responses/s")
    print(f"  of which validation (building ServqualResponse values) {t_build:.3f} s")
    print(f"plain python  {t_plain:8.3f} s  {n / t_plain:>12,.0f} responses/s (no validation)")
    try:
        t_pd, v_pd = timed(run_pandas, rows, repeat)
        assert abs(v_pd - v_plain) < 1e-9, (v_pd, v_plain)
    except ImportError:
        t_pd = None
    if t_pd is not None:
        print(f"pandas        {t_pd:8.3f} s  {n / t_pd:>12,.0f} responses/s (no validation)")
    print(f"ratio cs8 / plain time: {t_cs8 / t_plain:.2f}")
    if t_pd is not None:
        print(f"ratio cs8 / pandas time: {t_cs8 / t_pd:.2f}")
    print(f"target 50,000 responses/s: {'met' if n / t_cs8 >= 50_000 else 'not met'}")


if __name__ == "__main__":
    main()
