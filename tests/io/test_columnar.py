"""cs8.io's columnar CSV path (polars) gives what the row path (the csv module) gives, row for row.

The oracle is the row path itself: the same generated (dirty) CSV text is read twice, once with
the columnar path switched off, and everything is compared: the records (and their reprs, so an
instant's UTC offset is kept too), every rejected row with its line, column, value, reason and
cells, the warnings and ``rows_read``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Customer, Interaction, LoadError
from cs8.io import LoadResult, _rows, iter_interactions, read_customers, read_interactions

# The columnar module the readers use, reached through the reader itself: when pytest collects
# the doctests of src/cs8/io/_columnar.py in the same run (CI does), it imports a second copy of
# the module and sys.modules then names that copy, so patching ``cs8.io._columnar`` would patch
# a module no reader calls.
_COLUMNAR: dict[str, Any] = _rows.columnar_reader.__globals__

pytest.importorskip("polars", reason="the columnar path needs polars (the dataframe extra)")

COLUMNS = (
    "id",
    "customer_id",
    "channel",
    "started_at",
    "answered_at",
    "ended_at",
    "agent_id",
    "talk_time",
    "sentiment",
    "proactive",
    "direction",
)

_INSTANTS = st.sampled_from(
    [
        "2026-01-05T09:00:00+07:00",
        "2026-01-05T09:00:30+07:00",
        "2026-01-05T02:00:10Z",
        "2026-01-05T09:05:00.250+07:00",
        "2026-01-05T09:00:00",  # no offset: rejected
        "2026-01-05T09:00:60Z",  # second 60: rejected by Python, rolled over by polars
        "1899-12-31T23:30:00-01:00",  # 1900 in UTC, 1899 on its own clock: rejected
        "2201-01-01T00:00:00Z",
        "2200-12-31T23:59:59+01:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T00:00:00Z",
        "2026-02-30T09:00:00Z",
        "20260105T090000Z",  # ISO 8601 basic form: Python reads it, the column check does not
        "2026-01-05 09:00:00+07:00",
        "yesterday",
        "",
        " ",
    ]
)
_CELLS: dict[str, Any] = {
    "id": st.sampled_from(["I1", "I2", "I3", "I4", " I5", "", " ", "'=x", "'\t", "é", "\x1c"]),
    "customer_id": st.sampled_from(["C1", "C2", "", "\u3000", "ü", "'+1"]),
    "channel": st.sampled_from(["phone", "chat", "voice", "fax", "PHONE", "", " ", "api"]),
    "started_at": _INSTANTS,
    "answered_at": _INSTANTS,
    "ended_at": _INSTANTS,
    "agent_id": st.sampled_from(["A1", "", " ", "A2", " \t", "\x1f"]),
    "talk_time": st.sampled_from(["0", "30", "-5", "1:00", "PT1M", "x", "", "99999999999"]),
    "sentiment": st.sampled_from(["", "0.5", "-1", "1.5", "nan", "x", "\x0b", "\u00a0"]),
    "proactive": st.sampled_from(["", "true", "no", "maybe"]),
    "direction": st.sampled_from(["", "inbound", "outbound", "sideways"]),
}
_ODD_LINES = st.sampled_from(
    ["\n", "   \n", ",,,\n", 'I9,"C\n', "I8,C1\n", "a,b,c,d,e,f,g,h,i,j,k,l\n"]
)


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    """A header of some of the columns (always the required ones) and dirty rows."""
    extra = draw(st.lists(st.sampled_from(COLUMNS[4:]), unique=True))
    header = [*COLUMNS[:4], *extra]
    lines = [",".join(header) + "\n"]
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(_ODD_LINES))
        else:
            lines.append(",".join(draw(_CELLS[c]) for c in header) + "\n")
    return "".join(lines)


@contextmanager
def row_path() -> Iterator[None]:
    """Switch the columnar path off (the readers then use the csv module only)."""
    with mock.patch("cs8.io._rows.columnar_reader", return_value=None):
        yield


def _summary(result: LoadResult[Any]) -> tuple[Any, ...]:
    return (
        result.records,
        [repr(r) for r in result.records],
        [(r.line, r.column, r.value, r.reason, r.row) for r in result.rejected],
        result.warnings,
        result.rows_read,
    )


# year ranges: the default, one year, one the blank stand-in instant (2000) is outside of, the
# four-digit bounds, none, and bounds no four-digit year reaches
_YEARS = st.sampled_from(
    [(1900, 2200), (2026, 2026), (2020, 2030), (1, 9998), (0, 9999), None, (-5, 10005), (1, 0)]
)


@given(
    text=csv_texts(),
    block=st.integers(1, 5),
    duplicates=st.sampled_from(["reject", "keep_last"]),
    years=_YEARS,
    table_limit=st.integers(1, 4),
)
def test_both_paths_read_the_same_records_and_rejections(
    text: str, block: int, duplicates: str, years: tuple[int, int] | None, table_limit: int
) -> None:
    # Small blocks and tables: values parsed in one block are looked up in the next, and a
    # column's table fills up (the reader then uses a table of the block's own texts).
    with mock.patch.dict(_COLUMNAR, BLOCK_LINES=block, _TABLE_LIMIT=table_limit):
        columnar = read_interactions(io.StringIO(text), duplicates=duplicates, years=years)
    with row_path():
        rows = read_interactions(io.StringIO(text), duplicates=duplicates, years=years)
    assert _summary(columnar) == _summary(rows)
    assert len(columnar.records) + len(columnar.rejected) == columnar.rows_read


@given(text=csv_texts(), block=st.integers(1, 5), chunk=st.integers(1, 4))
def test_both_paths_stream_the_same_chunks(text: str, block: int, chunk: int) -> None:
    with mock.patch.dict(_COLUMNAR, BLOCK_LINES=block):
        columnar = list(iter_interactions(io.StringIO(text), chunk_size=chunk))
    with row_path():
        rows = list(iter_interactions(io.StringIO(text), chunk_size=chunk))
    assert [_summary(c) for c in columnar] == [_summary(c) for c in rows]


def _calls(n: int) -> str:
    head = "id,customer_id,channel,started_at,answered_at,ended_at,agent_id,talk_time\n"
    return head + "".join(
        f"I{i},C{i % 7},{('phone', 'voice', 'chat')[i % 3]},2026-01-05T09:{i % 60:02d}:00+07:00,"
        f"2026-01-05T09:{i % 60:02d}:30+07:00,2026-01-05T10:00:00+07:00,A{i % 5},{i}\n"
        for i in range(n)
    )


def test_a_plain_file_is_read_by_column() -> None:
    with mock.patch.object(
        _COLUMNAR["ColumnarReader"],
        "_block",
        autospec=True,
        side_effect=_COLUMNAR["ColumnarReader"]._block,
    ) as block:
        result = read_interactions(io.StringIO(_calls(50)))
    assert block.call_count == 1
    assert len(result.records) == 50
    assert result.records[1].channel_raw == "voice"  # mapped to PHONE, the raw name kept
    with row_path():
        assert read_interactions(io.StringIO(_calls(50))).records == result.records


def test_a_quote_after_plain_blocks_hands_the_rest_to_the_csv_module() -> None:
    text = _calls(6) + 'I100,"C\n1",phone,2026-01-05T09:00:00Z,,,,0\n' + _calls(3)[60:]
    with mock.patch.dict(_COLUMNAR, BLOCK_LINES=2):
        columnar = read_interactions(io.StringIO(text))
    with row_path():
        rows = read_interactions(io.StringIO(text))
    assert _summary(columnar) == _summary(rows)
    assert columnar.records[-1].customer_id == "C\n1"


def test_a_class_the_columns_cannot_check_is_read_row_by_row() -> None:
    # Customer has no post-init check the columnar path knows of; it still loads, row by row.
    from cs8.io._build import ReadSpec, RecordBuilder

    builder = RecordBuilder(Customer, ReadSpec(values={"segment": {"Gold": "vip"}}))
    builder.bind_header(["id", "segment"], "c.csv")
    assert _COLUMNAR["columnar_reader"](builder, ",") is None  # a value map: the row path
    result = read_customers(
        io.StringIO("id,segment\nC1,Gold\n"), values={"segment": {"Gold": "vip"}}
    )
    assert [c.id for c in result.records] == ["C1"]


def test_interaction_time_order_matches_the_constructor() -> None:
    # The polars form of Interaction's post-init check rejects what the constructor rejects.
    head = "id,customer_id,channel,started_at,answered_at,ended_at\n"
    text = head + (
        "I1,C1,phone,2026-01-05T09:00:00+07:00,2026-01-05T01:59:00Z,\n"  # answered before start
        "I2,C1,phone,2026-01-05T09:00:00+07:00,,2026-01-05T08:59:59+07:00\n"  # ended before
        "I3,C1,phone,2026-01-05T09:00:00+07:00,2026-01-05T02:00:00Z,2026-01-05T02:00:00Z\n"
    )
    result = read_interactions(io.StringIO(text))
    assert [r.id for r in result.records] == ["I3"]
    assert [r.line for r in result.rejected] == [2, 3]
    assert "before started_at" in result.rejected[0].reason
    assert isinstance(result.records[0], Interaction)


def test_an_undecodable_byte_after_plain_blocks_raises_as_the_row_path_does() -> None:
    data = _calls(30).encode() + b"I99,C\xff,phone,2026-01-05T09:00:00Z,,,,0\n"
    with mock.patch.dict(_COLUMNAR, BLOCK_LINES=7), pytest.raises(LoadError) as columnar:
        read_interactions(io.BytesIO(data))
    with row_path(), pytest.raises(LoadError) as rows:
        read_interactions(io.BytesIO(data))
    assert str(columnar.value) == str(rows.value)
    assert "byte offset" in str(columnar.value)


def test_a_text_is_parsed_once_per_read_not_once_per_block() -> None:
    # talk_time and channel repeat across four blocks: each distinct text is parsed and
    # validated once, then looked up (the tables are kept from block to block).
    head, *lines = _calls(40).splitlines(keepends=True)
    text = head + "".join(line.rsplit(",", 1)[0] + f",{i % 3}\n" for i, line in enumerate(lines))
    spy = mock.patch.object(
        _COLUMNAR["ColumnarReader"],
        "_value",
        autospec=True,
        side_effect=_COLUMNAR["ColumnarReader"]._value,
    )
    with mock.patch.dict(_COLUMNAR, BLOCK_LINES=10), spy as value:
        result = read_interactions(io.StringIO(text))
    parsed = sorted((column.name, cell) for _, column, cell in (c.args for c in value.mock_calls))
    assert parsed == [
        ("channel", "chat"),
        ("channel", "phone"),
        ("channel", "voice"),
        ("talk_time", "0"),
        ("talk_time", "1"),
        ("talk_time", "2"),
    ]
    with row_path():
        assert read_interactions(io.StringIO(text)).records == result.records
