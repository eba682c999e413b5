"""Benchmark: summarise purchases and fit BG/NBD with cs8 and with lifetimes, in the same run.

Two inputs:

1. UCI Online Retail (``../shared/data/customers/online_retail_uci/``, 541,909 invoice lines of a UK
   shop, 2010-12 to 2011-12): cleaned to invoices of identified customers (cancellations, returns
   and zero prices left out), summarised in days and fitted;
2. a million customers drawn from a BG/NBD model (``--quick``: 100,000), fitted from their
   summaries.

lifetimes (0.11.3, the ``bench`` dependency group) does the same work on the same inputs:
``summary_data_from_transaction_data`` on a pandas frame and ``BetaGeoFitter.fit``. The script
checks that both find the same parameters, prints the times and the ratio, and never asserts
timings. Run ``python benchmarks/customers.py`` (about two minutes, lifetimes taking most) or
``--quick``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cs8 import Order
from cs8.customers import BgNbd, SummaryTable, fit_bgnbd, purchase_summary, simulate_bgnbd


def shared_data() -> Path:
    """Return ``shared/data`` from ``$CS8_SHARED_DATA`` or the nearest ancestor holding it."""
    env = os.environ.get("CS8_SHARED_DATA")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return Path("shared") / "data"


RETAIL = shared_data() / "customers" / "online_retail_uci" / "online_retail.csv.gz"
RETAIL_END = datetime(2011, 12, 10, tzinfo=UTC)  # the log ends on 2011-12-09


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def load_retail() -> list[tuple[str, str, datetime, Decimal]]:
    """Return (invoice, customer, time, amount) per line kept: identified, no returns, no zero."""
    kept = []
    with gzip.open(RETAIL, "rt", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            customer, invoice = row["CustomerID"], row["InvoiceNo"]
            quantity, price = int(row["Quantity"]), Decimal(row["UnitPrice"])
            if not customer or invoice.startswith("C") or quantity <= 0 or price <= 0:
                continue
            at = datetime.strptime(row["InvoiceDate"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
            kept.append((invoice, customer, at, quantity * price))
    return kept


def invoices(lines: list[tuple[str, str, datetime, Decimal]]) -> list[Order]:
    totals: dict[str, tuple[str, datetime, Decimal]] = {}
    for invoice, customer, at, amount in lines:
        _, first, total = totals.get(invoice, (customer, at, Decimal(0)))
        totals[invoice] = (customer, min(first, at), total + amount)
    return [
        Order(id=inv, customer_id=c, at=at, amount=total, currency="GBP")
        for inv, (c, at, total) in totals.items()
    ]


def cs8_retail(orders: list[Order]) -> BgNbd:
    return fit_bgnbd(purchase_summary(orders, now=RETAIL_END, unit="day"))


def lifetimes_retail(orders: list[Order]) -> Any:
    import pandas as pd
    from lifetimes import BetaGeoFitter
    from lifetimes.utils import summary_data_from_transaction_data

    frame = pd.DataFrame(
        {"id": [o.customer_id for o in orders], "at": [o.at.replace(tzinfo=None) for o in orders]}
    )
    summary = summary_data_from_transaction_data(
        frame, "id", "at", observation_period_end="2011-12-09", freq="D"
    )
    return BetaGeoFitter().fit(
        summary["frequency"].to_numpy(), summary["recency"].to_numpy(), summary["T"].to_numpy()
    )


def lifetimes_table(table: SummaryTable) -> Any:
    from lifetimes import BetaGeoFitter

    return BetaGeoFitter().fit(table.x, table.t_x, table.T)


def agree(mine: BgNbd, theirs: Any) -> str:
    ours = mine.params()
    worst = max(abs(ours[k] - float(theirs.params_[k])) / abs(ours[k]) for k in ours)
    shown = ", ".join(f"{k}={v:.4g}" for k, v in ours.items())
    return f"{shown}; largest relative difference to lifetimes {worst:.1e}"


def row(name: str, items: int, mine: float, theirs: float) -> str:
    return (
        f"{name:<34} {items:>10,}  cs8 {mine:7.2f} s  lifetimes {theirs:7.2f} s  "
        f"cs8 is {theirs / mine:5.1f}x faster"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 generated customers")
    args = parser.parse_args()
    try:
        import lifetimes  # noqa: F401
    except ImportError:
        sys.exit("lifetimes is not installed: pip install lifetimes==0.11.3 (the bench group)")
    warnings.simplefilter("ignore")  # lifetimes warns about pandas and numpy deprecations
    n = 100_000 if args.quick else 1_000_000
    lines: list[str] = []
    if RETAIL.exists():
        orders = invoices(load_retail())
        mine_t, mine = best_of(3, lambda: cs8_retail(orders))
        theirs_t, theirs = best_of(3, lambda: lifetimes_retail(orders))
        customers = len({o.customer_id for o in orders})
        lines.append(
            row(f"UCI Online Retail ({len(orders):,} invoices)", customers, mine_t, theirs_t)
        )
        lines.append(f"  BG/NBD per day: {agree(mine, theirs)}")
    else:
        lines.append(f"UCI Online Retail skipped: {RETAIL} not found")
    table = simulate_bgnbd(n=n, r=0.25, alpha=4.0, a=0.8, b=2.5, T=52.0, unit="week", seed=1)
    mine_t, mine = best_of(1, lambda: fit_bgnbd(table))
    theirs_t, theirs = best_of(1, lambda: lifetimes_table(table))
    lines.append(row("generated BG/NBD customers", n, mine_t, theirs_t))
    lines.append(f"  BG/NBD per week (truth r=0.25, alpha=4, a=0.8, b=2.5): {agree(mine, theirs)}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
