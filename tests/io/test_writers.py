"""cs8.io writers: formula injection is neutralised (OWASP "CSV Injection"), and reading undoes it."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Customer, Order
from cs8.io import neutralise, read_customers, read_orders, write_records

T0 = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.mark.parametrize("cell", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "'=1"])
def test_formula_cells_are_prefixed_with_a_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-5", "+1.5e3", "12", "plain", "", "a=b"])
def test_numbers_and_plain_text_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell


def test_written_csv_has_no_live_formula_and_reads_back_the_same() -> None:
    evil = Customer(id="C1", name='=HYPERLINK("http://evil","x")')
    out = io.StringIO()
    write_records([evil], out, format="csv")
    assert "'=HYPERLINK" in out.getvalue()
    assert read_customers(io.StringIO(out.getvalue())).records == (evil,)


def test_the_switch_writes_cells_as_they_are() -> None:
    out = io.StringIO()
    write_records([Customer(id="C1", name="=1+1")], out, format="csv", formula_safe=False)
    assert ",=1+1," in out.getvalue()


def test_negative_amounts_stay_numbers() -> None:
    out = io.StringIO()
    write_records([Order(id="O1", customer_id="C1", at=T0, amount="-250")], out, format="csv")
    assert ",-250," in out.getvalue()
    assert read_orders(io.StringIO(out.getvalue())).records[0].amount == -250


@given(st.text(alphabet="'=+-@\t\rab1", min_size=1, max_size=8))
def test_text_round_trips_through_a_formula_safe_csv(name: str) -> None:
    customer = Customer(id="C1", name=name)
    out = io.StringIO()
    write_records([customer], out, format="csv")
    back = read_customers(io.StringIO(out.getvalue(), newline="")).records
    if name.strip():
        assert back == (customer,)
