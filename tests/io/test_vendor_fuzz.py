"""Nothing escapes the JSON vendor readers (Zendesk Incremental Export, Chatwoot, Intercom, JSM).

Each example takes a hand-built fixture (tests/io/fixtures), mutates it (a leaf replaced by a
hostile value, a whole file replaced by random bytes or text in another encoding, a repeated
object) and reads it with random common options: the reader returns a Dataset or raises a
LoadError, never anything else, and no file yields more records and rejections than it has rows.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cs8 import LoadError
from cs8.io import Dataset, read_chatwoot, read_intercom, read_jsm, read_servicenow, read_zendesk

FIXTURES = Path(__file__).parent / "fixtures"

READERS: dict[str, Callable[..., Dataset]] = {
    "zendesk_incremental": read_zendesk,
    "chatwoot": read_chatwoot,
    "intercom": read_intercom,
    "jsm": read_jsm,
}

HOSTILE = st.one_of(
    st.sampled_from(
        [
            None,
            "",
            " ",
            0,
            -1,
            True,
            1.5,
            2**70,
            -(2**70),
            1e308,
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2024-13-45T99:00:00Z",
            "=cmd|' /C calc'!A0",
            "\x1b[31mred\x1b[0m",
            "\x00",
            "x" * 140_000,
            [],
            {},
            [[[[[]]]]],
            {"a": {"b": {"c": {}}}},
            "open",
            "resolved",
            "closed",
            "comment",
            "Change",
            "Comment",
            "High",
        ]
    ),
    st.text(max_size=8),
    st.integers(),
)

OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "values": st.sampled_from(
            [{}, {"status": {"open": "pending", "": "new"}}, {"priority": {None: "low"}}]
        ),
        "date_format": st.sampled_from([None, "epoch", "%d/%m/%Y %H:%M"]),
        "timezone": st.sampled_from(["UTC", "Asia/Ho_Chi_Minh"]),
        "encoding": st.sampled_from(["utf-8", "latin-1", "utf-16"]),
        "duplicates": st.sampled_from(["reject", "keep_first", "keep_last"]),
    },
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (objects and lists)."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], tuple(rest), new)
    return copy


def _dataset_or_clean_error(read: Callable[[], Dataset]) -> Dataset | None:
    """``read()``'s Dataset, or ``None`` when it raised a LoadError (whose message must show
    the data escaped); any other exception fails the test."""
    try:
        return read()
    except LoadError as exc:
        message = str(exc)
    assert "\x1b" not in message  # data reaches messages escaped
    return None


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, bytes]]:
    vendor = draw(st.sampled_from(sorted(READERS)))
    folder = FIXTURES / vendor
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix != ".md"}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        how = draw(st.sampled_from(["leaf", "leaf", "leaf", "bytes", "encode", "repeat"]))
        text = files[name].decode("utf-8", errors="replace")
        if how == "bytes":
            files[name] = draw(st.binary(max_size=64))
            continue
        if how == "encode":
            files[name] = text.encode(
                draw(st.sampled_from(["utf-16", "cp1258", "latin-1"])), "replace"
            )
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if how == "repeat" and isinstance(data, list) and data:
            data = [*data, data[0]]
        else:
            paths = _paths(data)
            data = _replace(data, draw(st.sampled_from(paths)), draw(HOSTILE))
        files[name] = json.dumps(data).encode()
    return vendor, files


@given(case=mutated(), options=OPTIONS)
def test_mutated_vendor_exports_give_datasets_or_load_errors_only(
    case: tuple[str, dict[str, bytes]], options: dict[str, Any]
) -> None:
    vendor, files = case
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for name, data in files.items():
            (base / name).write_bytes(data)
        ds = _dataset_or_clean_error(lambda: READERS[vendor](base, **options))
    if ds is None:
        return
    for name, rows in ds.rows_read.items():
        rejected = sum(1 for r in ds.rejected if r.source == name)
        assert rejected <= rows, name
    assert len(ds.tickets) <= sum(ds.rows_read.values())
    for row in ds.rejected:
        assert "\x1b" not in str(row)


SERVICENOW = (FIXTURES / "servicenow" / "incident_event_log.csv").read_text()


@st.composite
def mutated_log(draw: st.DrawFn) -> bytes:
    """The ServiceNow fixture with cells replaced by hostile texts, lines repeated or dropped,
    or re-encoded."""
    lines = SERVICENOW.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cell", "cell", "repeat", "drop", "quote"]))
        at = draw(st.integers(0, len(lines) - 1))
        if how == "repeat":
            lines.insert(at, lines[at])
        elif how == "drop" and len(lines) > 1:
            del lines[at]
        elif how == "quote":
            lines[at] = lines[at].replace(",", ',"', 1)
        else:
            cells = lines[at].rstrip("\n").split(",")
            column = draw(st.integers(0, len(cells) - 1))
            cells[column] = draw(
                st.one_of(
                    st.sampled_from(
                        [
                            "",
                            "?",
                            "-100",
                            "0001-01-01",
                            "31/12/9999 23:59",
                            "x" * 140_000,
                            "\x1b[2J",
                            "true",
                            "2**70",
                            "99999999999999999999",
                            "1.5",
                            "=1+1",
                        ]
                    ),
                    st.text(alphabet=st.characters(blacklist_characters=',\n\r"'), max_size=6),
                )
            )
            lines[at] = ",".join(cells) + "\n"
    data = "".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1258"]))
    return data.encode(encoding, "replace")


@given(data=mutated_log(), clamp=st.booleans())
def test_mutated_servicenow_logs_give_datasets_or_load_errors_only(
    data: bytes, clamp: bool
) -> None:
    import io

    how = "clamp" if clamp else "reject"
    ds = _dataset_or_clean_error(lambda: read_servicenow(io.BytesIO(data), before_created=how))
    if ds is None:
        return
    (read,) = ds.rows_read.values()
    assert len(ds.tickets) + len(ds.rejected) == read  # incidents
    assert set(ds.vendor_metrics) <= {t.id for t in ds.tickets}
    for row in ds.rejected:
        assert "\x1b" not in str(row)
