"""One instant dated year 1000 among a month of tickets: does the report cost follow the data?

Issue 12: with ``years=None`` (readers then accept any year), one ticket dated 1000-01-05 made the
report walk 374,000 days and 53,000 weeks (20 s instead of 0.08 s, 107 MB of JSON). The peer is
the same report on the same sample without that ticket, in the same process; the ratio should be
near 1. ``--baseline-src`` runs the same measurement on another source tree (e.g. main before the
change) in a subprocess, so the two trees are compared on one machine in one run.

    PYTHONPATH=src python benchmarks/report_span.py --baseline-src /path/to/other/src --repeat 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime

Row = tuple[str, float, float, int, str]


def measure(repeat: int, customers: int, weeks: int) -> list[Row]:
    """Return (case, build CPU s, render CPU s, JSON bytes, error): best of ``repeat`` runs each.

    A tree whose report raises (main before this change did, on the year-1000 case with
    surveys) gives its error instead of the figures.
    """
    import attrs

    from cs8 import Ticket
    from cs8.datasets import sample_shop
    from cs8.report import ServiceData, build_report

    shop = sample_shop(n_customers=customers, weeks=weeks)
    # The period from the records (as when files are read), not the sample's own weeks.
    base = attrs.evolve(ServiceData.from_shop(shop), start=None, end=None)
    old = Ticket(
        id="T-year-1000",
        customer_id=shop.customers[0].id,
        channel="web",
        created_at=datetime(1000, 1, 5, 9, tzinfo=UTC),
    )
    far = attrs.evolve(base, tickets=(*base.tickets, old))
    out: list[Row] = []
    for case, data in (("sample", base), ("sample + year 1000", far)):
        builds, renders, size = [], [], 0
        try:
            for _ in range(repeat):
                c = time.process_time()
                report = build_report(data)
                builds.append(time.process_time() - c)
                c = time.process_time()
                text = report.to_json()
                report.to_html()
                report.to_text()
                renders.append(time.process_time() - c)
                size = len(text.encode())
        except Exception as exc:  # a tree that raises is reported, not fatal
            out.append((case, time.process_time() - c, 0.0, 0, f"{type(exc).__name__}: {exc}"))
            continue
        out.append((case, min(builds), min(renders), size, ""))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--baseline-src", help="a src/ folder of another cs8 to compare with")
    parser.add_argument("--quick", action="store_true", help="one run on a smaller sample")
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.customers, args.weeks = 1, 60, 2
    rows = measure(args.repeat, args.customers, args.weeks)
    if args.raw:  # the subprocess form, read by the parent
        for row in rows:
            print("|".join(str(v) for v in row))
        return
    trees = [("this tree", rows)]
    if args.baseline_src:
        flags = ["--raw", f"--repeat={args.repeat}", f"--customers={args.customers}"]
        done = subprocess.run(
            [sys.executable, __file__, *flags, f"--weeks={args.weeks}"],
            env={**os.environ, "PYTHONPATH": args.baseline_src},
            capture_output=True,
            text=True,
            check=True,
        )
        parsed = [line.split("|", 4) for line in done.stdout.splitlines()]
        trees.append(
            (args.baseline_src, [(c, float(b), float(r), int(s), e) for c, b, r, s, e in parsed])
        )
    print(f"CPU seconds, best of {args.repeat}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'tree':28s} {'case':20s} {'build':>8s} {'render':>8s} {'JSON MB':>8s} {'ratio':>7s}")
    for tree, measured in trees:
        peer = measured[0][1] + measured[0][2]
        for case, build, render, size, error in measured:
            if error:
                print(f"{tree[-28:]:28s} {case:20s} raised after {build:.3f} s: {error[:80]}")
                continue
            ratio = (build + render) / peer
            print(
                f"{tree[-28:]:28s} {case:20s} {build:8.3f} {render:8.3f} "
                f"{size / 1e6:8.2f} {ratio:6.1f}x"
            )
    print("ratio: (build + render) over the sample's own; the target is near 1x, not 100x")


if __name__ == "__main__":
    main()
