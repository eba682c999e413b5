"""cs8.io writers: formula injection is neutralised (OWASP "CSV Injection"), and reading undoes it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Customer, Order
from cs8.io import (
    neutralise,
    read_customers,
    read_orders,
    write_customers,
    write_interactions,
    write_orders,
    write_records,
    write_survey_responses,
    write_tickets,
)

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


# Every CSV writer of cs8.io, with a text field each (OWASP "CSV Injection":
# https://owasp.org/www-community/attacks/CSV_Injection, the six leading characters).
def _writers(text: str) -> list[tuple[str, Callable[..., object], list[object]]]:
    from cs8 import Interaction, Message, SurveyResponse, Ticket

    call = Interaction(id="I1", customer_id="C1", channel="phone", started_at=T0, queue=text)
    answer = SurveyResponse(kind="nps", score=9, at=T0, comment=text)
    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel="web",
        created_at=T0,
        category=text,
        events=[Message(at=T0, author="customer", text=text)],
    )
    return [
        ("write_customers", write_customers, [Customer(id="C1", name=text)]),
        ("write_interactions", write_interactions, [call]),
        ("write_orders", write_orders, [Order(id=text, customer_id="C1", at=T0, amount="1")]),
        ("write_survey_responses", write_survey_responses, [answer]),
        ("write_tickets", write_tickets, [ticket]),
    ]


def _written_cells(
    name: str, writer: Callable[..., object], records: list[object], **options: object
) -> list[str]:
    """The cells ``writer`` writes (tickets: both files), read back with the csv module."""
    outs = [io.StringIO(newline=""), io.StringIO(newline="")]
    files = outs if name == "write_tickets" else outs[:1]
    writer(records, *files, format="csv", **options)
    return [c for o in outs for row in csv.reader(io.StringIO(o.getvalue())) for c in row]


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
@pytest.mark.parametrize("index", range(5))
def test_every_csv_writer_neutralises_each_formula_lead_by_default(lead: str, index: int) -> None:
    text = lead + "HYPERLINK(1)"
    name, writer, records = _writers(text)[index]
    cells = _written_cells(name, writer, records)
    assert "'" + text in cells, name
    assert text not in cells, name  # no cell starts with the formula itself
    # The switch writes it as it is.
    assert text in _written_cells(name, writer, records, formula_safe=False), name


def test_the_writers_cover_every_csv_writer_of_cs8_io() -> None:
    import cs8.io

    names = {n for n in cs8.io.__all__ if n.startswith("write_")} - {"write_records"}
    assert names == {name for name, _, _ in _writers("x")}
