"""Load the CDNOW data of ``shared/data/customers/cdnow`` (the tests skip when it is absent).

The files are those shipped in the lifetimes package (see the folder's PROVENANCE.md): the 1/10
sample of the CDNOW cohort (Fader, Hardie and Lee 2005) and its 39-week calibration summaries.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime

from cs8 import Order
from cs8.customers import SummaryTable
from tests._data import shared_file

CALIBRATION_END = datetime(1997, 10, 1, tzinfo=UTC)  # calibration to 1997-09-30
HOLDOUT_END = datetime(1998, 7, 1, tzinfo=UTC)  # the log ends on 1998-06-30


def cdnow_table() -> SummaryTable:
    """Return the 2,357 calibration summaries (weeks) with mean repeat spend ``zbar``."""
    path = shared_file("customers/cdnow/cdnow_customers_summary_with_transactions.csv")
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return SummaryTable.from_arrays(
        x=[float(r["x"]) for r in rows],
        t_x=[float(r["t_x"]) for r in rows],
        T=[float(r["T"]) for r in rows],
        mean_spend=[float(r["zbar"]) if int(r["x"]) else math.nan for r in rows],
        unit="week",
        customer_ids=[r["ID"] for r in rows],
    )


def cdnow_orders() -> list[Order]:
    """Return the 6,919 orders of the sample (``CDNOW_sample.txt``), in US dollars."""
    path = shared_file("customers/cdnow/CDNOW_sample.txt")
    orders = []
    with path.open() as handle:
        for i, line in enumerate(handle):
            _, sample_id, day, _, dollars = line.split()
            orders.append(
                Order(
                    id=str(i),
                    customer_id=str(int(sample_id)),
                    at=datetime.strptime(day, "%Y%m%d").replace(tzinfo=UTC),
                    amount=dollars,
                    currency="USD",
                )
            )
    return orders
