"""cs8.io: whatever a file holds, a reader returns records and rejected rows or raises LoadError.

Each case below was a traceback (``UnicodeDecodeError``, ``_csv.Error``, ``RecursionError``,
``OverflowError``) or a silent loss before (issue 12); the fuzz test at the end throws all of them
at every reader at once.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Interaction, LoadError, Priority, SerializationError, Ticket
from cs8.io import (
    Dataset,
    LoadResult,
    read_customers,
    read_event_log,
    read_freshdesk,
    read_interactions,
    read_orders,
    read_records,
    read_survey_responses,
    read_tickets,
    read_zammad,
    read_zendesk,
)
from cs8.serialization import from_data

HEADER = "id,customer_id,channel,started_at\n"
ROW = "I{i},C1,phone,2026-01-05T09:00:00+07:00\n"


def rows(n: int, start: int = 0) -> str:
    return "".join(ROW.format(i=i) for i in range(start, start + n))


def binary(data: bytes, name: str = "calls.csv") -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


# ----------------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_a_byte_order_mark_decides_the_encoding(encoding: str) -> None:
    data = (HEADER + rows(2)).encode(encoding)
    result = read_interactions(binary(data))
    assert [i.id for i in result.records] == ["I0", "I1"]


def test_an_undecodable_file_names_the_byte_offset_and_suggests_encodings() -> None:
    text = HEADER + rows(1) + "I9,Nguyên,phone,2026-01-05T09:00:00+07:00\n"
    data = text.encode("cp1258")
    offset = data.index(b"Nguy") + 4  # the first byte that is not ASCII
    with pytest.raises(LoadError, match=rf"byte offset {offset} .*try encoding='cp1252'"):
        read_interactions(binary(data))


def test_the_suggested_encoding_reads_the_file() -> None:
    data = (HEADER + "I9,Nguyên,phone,2026-01-05T09:00:00+07:00\n").encode("cp1258")
    result = read_interactions(binary(data), encoding="cp1258")
    assert result.records[0].customer_id == "Nguyên"


def test_an_unknown_encoding_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="unknown encoding 'klingon'"):
        read_interactions(binary(b"id\n"), encoding="klingon")


# ------------------------------------------------------------------------------- CSV structure


def test_a_huge_cell_rejects_its_row_only() -> None:
    text = HEADER + rows(1) + f"I1,{'x' * 200_000},phone,2026-01-05T09:00:00Z\n" + rows(1, 2)
    result = read_interactions(io.StringIO(text))
    assert [i.id for i in result.records] == ["I0", "I2"]
    assert result.rejected[0].line == 3
    assert "longer than 131072 characters" in result.rejected[0].reason


def test_an_unterminated_quote_costs_one_row_not_the_rest_of_the_file() -> None:
    text = HEADER + rows(1) + 'I1,"C1,phone,2026-01-05T09:00:00Z\n' + rows(3, 2)
    result = read_interactions(io.StringIO(text))
    assert [i.id for i in result.records] == ["I0", "I2", "I3", "I4"]
    assert [(r.line, r.reason.split(" (")[0]) for r in result.rejected] == [(3, "unbalanced quote")]


def test_a_quoted_cell_may_span_lines() -> None:
    text = 'id,name\nC1,"Ann\nSmith"\nC2,Bo\n'
    result = read_customers(io.StringIO(text))
    assert [c.name for c in result.records] == ["Ann\nSmith", "Bo"]


def test_rows_of_delimiters_are_rejected_and_blank_lines_are_not_rows() -> None:
    text = HEADER + rows(1) + ",,,\n\n   \n" + rows(1, 1)
    result = read_interactions(io.StringIO(text))
    assert (len(result.records), result.rows_read) == (2, 3)
    assert result.rejected[0].reason == "the row has no values"


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_any_line_ending_reads(ending: str) -> None:
    text = (HEADER + rows(2)).replace("\n", ending)
    assert len(read_interactions(io.StringIO(text, newline="")).records) == 2


def test_a_nul_byte_does_not_stop_the_reading() -> None:
    text = HEADER + "I0,C\x001,phone,2026-01-05T09:00:00Z\n" + rows(1, 1)
    result = read_interactions(io.StringIO(text))
    assert [i.id for i in result.records] == ["I0", "I1"]


def test_a_header_split_on_the_wrong_delimiter_suggests_the_right_one() -> None:
    with pytest.raises(LoadError, match="pass delimiter=';'"):
        read_interactions(io.StringIO(HEADER.replace(",", ";") + rows(1).replace(",", ";")))


# ------------------------------------------------------------------------------ values in cells


def test_instants_outside_1900_to_2200_are_rejected_unless_allowed() -> None:
    text = HEADER + "I0,C1,phone,0001-01-01T00:00:00Z\nI1,C1,phone,9999-12-31T00:00:00Z\n"
    result = read_interactions(io.StringIO(text))
    assert [r.line for r in result.rejected] == [2, 3]
    assert "outside the years 1900-2200" in result.rejected[0].reason
    assert len(read_interactions(io.StringIO(text), years=None).records) == 2


def test_a_huge_integer_or_overflowing_duration_is_a_rejected_row() -> None:
    text = "id,customer_id,channel,started_at,talk_time\n"
    text += f"I0,C1,phone,2026-01-05T09:00:00Z,{'9' * 5000}\n"
    text += "I1,C1,phone,2026-01-05T09:00:00Z,1e400\n"
    text += "I2,C1,phone,2026-01-05T09:00:00Z,99999999999999999999\n"
    result = read_interactions(io.StringIO(text))
    assert (len(result.records), len(result.rejected)) == (0, 3)


def test_a_survey_score_with_a_huge_integer_is_rejected() -> None:
    text = f"kind,score,at\nnps,{'9' * 5000},2026-01-05T10:00:00Z\n"
    assert read_survey_responses(io.StringIO(text)).rejected[0].column == "score"


def test_control_characters_in_data_are_escaped_in_messages() -> None:
    text = "id,segment\nC1,\x1b[2Jgold\n"
    message = str(read_customers(io.StringIO(text)).rejected[0])
    assert "\x1b" not in message
    assert "\\x1b[2Jgold" in message


# --------------------------------------------------------------------------------- duplicate ids


DUPLICATED = HEADER + rows(1) + ROW.format(i=0).replace("C1", "C2") + rows(1, 1)


def test_a_duplicate_id_rejects_every_copy_by_default() -> None:
    result = read_interactions(io.StringIO(DUPLICATED))
    assert [i.id for i in result.records] == ["I1"]
    assert [(r.line, r.reason) for r in result.rejected] == [
        (2, "duplicate id 'I0' (lines 2, 3)"),
        (3, "duplicate id 'I0' (lines 2, 3)"),
    ]


def test_duplicates_keep_first_or_last_on_request() -> None:
    first = read_interactions(io.StringIO(DUPLICATED), duplicates="keep_first")
    last = read_interactions(io.StringIO(DUPLICATED), duplicates="keep_last")
    assert [i.customer_id for i in first.records] == ["C1", "C1"]
    assert [i.customer_id for i in last.records] == ["C2", "C1"]
    assert first.rejected[0].reason == "duplicate id 'I0' (kept line 2)"
    assert last.rejected[0].reason == "duplicate id 'I0' (kept line 3)"


def test_strict_raises_at_the_duplicate() -> None:
    with pytest.raises(LoadError, match=r"calls\.csv:3: .*duplicate id 'I0'"):
        read_interactions(binary(DUPLICATED.encode()), strict=True)


# ------------------------------------------------------------------ JSON: as strict as the model


def jsonl(*objects: dict[str, Any]) -> io.StringIO:
    handle = io.StringIO("".join(json.dumps(o) + "\n" for o in objects))
    handle.name = "x.jsonl"
    return handle


CALL = {"id": "I1", "customer_id": "C1", "channel": "phone", "started_at": "2026-01-05T09:00:00Z"}


@pytest.mark.parametrize(
    ("key", "value"),
    [("proactive", "false"), ("proactive", 1), ("agent_id", 7), ("sentiment", True)],
)
def test_jsonl_does_not_coerce(key: str, value: object) -> None:
    result = read_interactions(jsonl({**CALL, key: value}))
    assert result.rejected[0].column == key


def test_jsonl_score_must_be_an_integer() -> None:
    obj = {"kind": "nps", "score": 9.7, "at": "2026-01-05T10:00:00Z"}
    assert read_survey_responses(jsonl(obj)).rejected[0].column == "score"


def test_jsonl_tags_must_be_a_list() -> None:
    obj = {**CALL, "created_at": CALL["started_at"], "tags": "refund"}
    del obj["started_at"]
    assert read_tickets(jsonl(obj)).rejected[0].column == "tags"


def test_jsonl_deep_nesting_is_a_rejected_row() -> None:
    handle = io.StringIO('{"id": "C1", "attributes": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    handle.name = "c.jsonl"
    assert "nested deeper" in read_customers(handle).rejected[0].reason


@pytest.mark.parametrize(
    "data",
    [
        {**CALL, "proactive": "false"},
        {**CALL, "talk_time": True},
        {**CALL, "id": 5},
        {**CALL, "channel_raw": 3},
    ],
)
def test_from_data_is_as_strict_as_the_constructor(data: dict[str, Any]) -> None:
    with pytest.raises(SerializationError):
        from_data(data, Interaction)


def test_from_data_does_not_split_a_string_into_tags() -> None:
    data = {"id": "T1", "customer_id": "C1", "channel": "web", "created_at": CALL["started_at"]}
    with pytest.raises(SerializationError, match="expected a list"):
        from_data({**data, "tags": "refund"}, Ticket)


# --------------------------------------------------------------------------------------- fuzzing

CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "I1",
            "C1",
            "phone",
            "voice",
            "nps",
            "9",
            "2026-01-05T09:00:00Z",
            "2026-01-05 09:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59+14:00",
            "9" * 5000,
            "1e400",
            "-5",
            "[" * 300,
            '{"a": ' * 70,
            '"',
            '""',
            'a"b',
            "\r",
            "\n",
            "\x00",
            "\ufeff",
            "=cmd",
            "x" * 140_000,
        ]
    ),
    st.text(max_size=12),
)
COLUMNS = st.sampled_from(
    [
        "id",
        "customer_id",
        "channel",
        "started_at",
        "created_at",
        "at",
        "kind",
        "score",
        "amount",
        "talk_time",
        "segment",
        "tags",
        "attributes",
        "x",
    ]
)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(COLUMNS, min_size=1, max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 8))):
        lines.append(delimiter.join(draw(st.lists(CELLS, max_size=len(header) + 1))))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    return data + draw(st.binary(max_size=8))


@st.composite
def jsonl_bytes(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        keys = draw(st.lists(COLUMNS, max_size=5))
        obj = {k: draw(st.one_of(CELLS, st.integers(), st.floats(), st.booleans())) for k in keys}
        line = json.dumps(obj)
        lines.append(draw(st.sampled_from([line, line[:-1], "[" * 200, "null", "5", line])))
    return "\n".join(lines).encode() + draw(st.binary(max_size=8))


READERS: list[Callable[..., LoadResult[Any]]] = [
    read_customers,
    read_interactions,
    read_orders,
    read_survey_responses,
    read_tickets,
    lambda source, **kw: read_records(Interaction, source, **kw),
]


def _check(result: LoadResult[Any]) -> None:
    assert len(result.records) + len(result.rejected) == result.rows_read
    for row in result.rejected:
        assert "\x1b" not in str(row)
        assert "\x00" not in str(row)


@given(data=csv_bytes(), reader=st.sampled_from(READERS))
def test_fuzzed_csv_gives_results_or_load_errors_only(
    data: bytes, reader: Callable[..., LoadResult[Any]]
) -> None:
    with contextlib.suppress(LoadError):
        _check(reader(binary(data), timezone="UTC"))


@given(data=jsonl_bytes(), reader=st.sampled_from(READERS))
def test_fuzzed_jsonl_gives_results_or_load_errors_only(
    data: bytes, reader: Callable[..., LoadResult[Any]]
) -> None:
    with contextlib.suppress(LoadError):
        _check(reader(binary(data, "x.jsonl"), timezone="UTC"))


@given(tickets=csv_bytes(), events=csv_bytes())
def test_fuzzed_tickets_with_events_give_results_or_load_errors_only(
    tickets: bytes, events: bytes
) -> None:
    try:
        result = read_tickets(binary(tickets), binary(events, "events.csv"), timezone="UTC")
    except LoadError:
        return
    _check(result)
    assert len(result.rejected_events) <= result.events_read


@given(data=csv_bytes())
def test_fuzzed_event_logs_give_results_or_load_errors_only(data: bytes) -> None:
    header = b"case,at,activity,status\n"
    with contextlib.suppress(LoadError):
        result = read_event_log(
            binary(header + data),
            case="case",
            at="at",
            activity="activity",
            status="status",
            constants={"customer_id": "c"},
            timezone="UTC",
        )
        _check(result)
        assert len(result.rejected_events) <= result.events_read


VENDOR_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "columns": st.sampled_from(
            [{}, {"status": "requester_id"}, {"category": "custom_fields.cf_x"}, {"id": "id"}]
        ),
        "values": st.sampled_from(
            [
                {},
                {"status": {"open": "pending", 2: "on_hold", "": "new"}},
                {"priority": {"": "low", 1: "urgent", "high": Priority.LOW}},
                {"channel": {"email": "chat", 3: "other"}},
            ]
        ),
        "date_format": st.sampled_from(
            [None, "epoch", "epoch_ms", "%d/%m/%Y %H:%M", ["iso", "dayfirst"]]
        ),
        "timezone": st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]),
        "encoding": st.sampled_from(["utf-8", "cp1258", "utf-16", "latin-1"]),
    },
)


@given(
    data=st.one_of(jsonl_bytes(), csv_bytes()),
    vendor=st.sampled_from(["fd", "zm", "zd"]),
    options=VENDOR_OPTIONS,
)
def test_fuzzed_vendor_files_give_datasets_or_load_errors_only(
    data: bytes, vendor: str, options: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        if vendor == "zd":
            (base / "ticket.csv").write_bytes(b"id,created_at,requester_id,status\n" + data)
            (base / "ticket_field_history.csv").write_bytes(data)
            reader: Callable[..., Dataset] = read_zendesk
        else:
            (base / "tickets.json").write_bytes(data)
            (base / "conversations.json").write_bytes(data)
            (base / "articles.json").write_bytes(data)
            reader = read_freshdesk if vendor == "fd" else read_zammad
        if vendor == "zd" and options.get("columns", {}).get("category"):
            options = {**options, "columns": {"category": "status"}}  # a CSV column, not a path
        try:
            ds = reader(base, **options)
        except LoadError:
            return
        used = len(ds.tickets) + len(ds.customers) + len(ds.agents)
        assert len(ds.rejected) <= sum(ds.rows_read.values())
        assert used <= sum(ds.rows_read.values())


FIELDS = ["id", "customer_id", "channel", "started_at", "answered_at", "talk_time", "proactive"]
VALUES = st.sampled_from(
    [
        "",
        " ",
        "I1",
        "C1",
        "phone",
        "voice",
        "fax",
        "2026-01-05T09:00:00Z",
        "2026-01-05 09:00",
        "1e400",
        "-3",
        "30",
        "0:01:00",
        "true",
        "maybe",
        "'=x",
        "0001-01-01T00:00:00Z",
    ]
)


@given(cells=st.lists(VALUES, min_size=len(FIELDS), max_size=len(FIELDS)))
def test_the_generated_row_function_agrees_with_the_field_by_field_reading(
    cells: list[str],
) -> None:
    from cs8.io._build import ReadSpec, RecordBuilder

    builder = RecordBuilder(Interaction, ReadSpec(timezone="UTC"))
    builder.bind_header(FIELDS, "x.csv")
    fast = builder.from_cells(list(cells), 2, "x.csv")
    slow = builder._checked(list(cells), 2, "x.csv")
    assert fast == slow
