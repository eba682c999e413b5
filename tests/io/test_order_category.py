"""Order.category loads and writes like any other column; old files without it still load."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cs8 import Order
from cs8.exceptions import InvalidValueError
from cs8.io import read_orders, write_orders

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
ORDERS = (
    Order(id="O1", customer_id="C1", at=T0, amount=120000, category="sữa bột"),
    Order(id="O2", customer_id="C1", at=T0.replace(day=9), amount=90000),
)


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_category_round_trips(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"orders.{suffix}"
    write_orders(ORDERS, path)
    loaded = read_orders(path)
    assert (loaded.records, loaded.rejected) == (ORDERS, ())


def test_a_file_without_the_column_loads_with_no_category(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("id,customer_id,at,amount\nO1,C1,2026-03-02T09:00:00+00:00,5\n")
    (order,) = read_orders(path).records
    assert order.category is None


def test_an_empty_category_is_refused() -> None:
    with pytest.raises(InvalidValueError, match=r"Order\.category must be a non-empty string"):
        Order(id="O1", customer_id="C1", at=T0, amount=1, category=" ")
