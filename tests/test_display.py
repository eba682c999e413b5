"""The one result and display layer (cs8._display): rows in, every rendering and conversion out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from cs8 import Channel
from cs8._display import DictReprMixin, DictsReprMixin, format_value, json_ready


@attrs.frozen
class Table(DictsReprMixin):
    rows: tuple[dict[str, object], ...]

    def to_dicts(self) -> list[dict[str, object]]:
        return [dict(r) for r in self.rows]


@attrs.frozen
class Record(DictReprMixin):
    def to_dict(self) -> dict[str, object]:
        return {"value": 0.123456, "wait": timedelta(seconds=90), "excluded": {"merged": 2}}


ROWS = tuple(
    {
        "id": i,
        "wait": timedelta(seconds=i),
        "at": datetime(2026, 1, 1, tzinfo=UTC),
        "channel": Channel.EMAIL,
        "excluded": {"merged": i},
    }
    for i in range(50)
)


def test_number_format_is_four_significant_digits() -> None:
    assert [format_value(x) for x in (0.123456, 123456.0, 3, None, float("nan"))] == [
        "0.1235",
        "1.235e+05",
        "3",
        "-",
        "-",
    ]


def test_json_ready_gives_numbers_and_text() -> None:
    data = json_ready(
        {"wait": timedelta(minutes=2), "amount": Decimal("1.5"), "channel": Channel.CHAT}
    )
    assert json.loads(json.dumps(data)) == {"wait": 120.0, "amount": 1.5, "channel": "chat"}


def test_text_repr_is_bounded() -> None:
    text = str(Table(rows=ROWS))
    assert len(text.splitlines()) == 1 + 20 + 1
    assert text.splitlines()[-1] == "... and 30 more rows"


def test_html_and_markdown_are_bounded() -> None:
    table = Table(rows=ROWS)
    assert table._repr_html_().count("<tr>") == 21
    assert table._repr_markdown_().count("\n| ") == 20  # the header is the first line


def test_frames_have_duration_dtypes_and_flat_mappings() -> None:
    pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")
    table = Table(rows=ROWS)
    frame = table.to_pandas()
    assert str(frame["wait"].dtype).startswith("timedelta64")
    assert list(frame.columns) == ["id", "wait", "at", "channel", "excluded.merged"]
    assert table.to_polars().schema["wait"] == pl.Duration("us")
    assert str(table.to_arrow().schema.field("wait").type) == "duration[us]"


def test_record_renders_one_line_per_field() -> None:
    assert str(Record()).splitlines() == [
        "  value     0.1235",
        "  wait      00:01:30.0",
        "  excluded  merged: 2",
    ]
