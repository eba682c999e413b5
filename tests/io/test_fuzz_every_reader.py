"""One fuzz test over every reader of cs8.io (issue 12, "done when"): only cs8 errors or results.

Each reader is fed hostile input (random bytes, five encodings, broken quotes, bare CRs, nesting
hundreds deep, cells of 140,000 characters, the years 1 and 9999, repeated ids) built by the
strategies of ``test_robustness`` and ``test_vendor_fuzz``, or a valid base document with one
leaf replaced by a hostile value. It must return a result or raise a :class:`cs8.Cs8Error`;
anything else fails. Every result keeps the row invariant: ``records + rejected == rows read``
(for a vendor export: tickets + rejected rows of the tickets file == its rows), and no control
character from the data reaches a message.

:data:`FUZZED` names the reader each case exercises, and a test holds it to ``cs8.io.__all__``:
a new reader without a fuzz case fails it.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cs8.io
from cs8 import (
    Agent,
    Cs8Error,
    Customer,
    Interaction,
    Order,
    SerializationError,
    SurveyResponse,
    Ticket,
)
from cs8.io import (
    Dataset,
    LoadResult,
    iter_interactions,
    iter_records,
    iter_tickets,
    read_chatwoot,
    read_customers,
    read_event_log,
    read_freshdesk,
    read_interactions,
    read_intercom,
    read_jsm,
    read_orders,
    read_records,
    read_servicenow,
    read_survey_responses,
    read_tickets,
    read_zammad,
    read_zendesk,
)
from cs8.serialization import from_data
from tests.io.test_robustness import csv_bytes, jsonl_bytes
from tests.io.test_vendor_fuzz import FIXTURES, HOSTILE, _paths, _replace, mutated_log

Case = Callable[[st.DataObject], None]


def _clean(text: str) -> None:
    """Data reaches messages escaped: no escape or NUL character."""
    assert "\x1b" not in text
    assert "\x00" not in text


def _result(result: LoadResult[Any]) -> None:
    assert len(result.records) + len(result.rejected) == result.rows_read
    for row in result.rejected:
        _clean(str(row))
    for warning in result.warnings:
        _clean(warning)


def _guarded(run: Callable[[], None]) -> None:
    """Run a case: a cs8 error is a valid outcome (its message escaped), anything else fails."""
    try:
        run()
    except Cs8Error as exc:
        _clean(str(exc))


def _file(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _source(draw: st.DataObject) -> io.BytesIO:
    """CSV or JSON Lines bytes, named so the reader picks the format."""
    if draw.draw(st.booleans()):
        return _file(draw.draw(jsonl_bytes()), "rows.jsonl")
    return _file(draw.draw(csv_bytes()), "rows.csv")


# ------------------------------------------------------------------------- the flat readers


def _flat(reader: Callable[..., LoadResult[Any]]) -> Case:
    def case(draw: st.DataObject) -> None:
        _guarded(lambda: _result(reader(_source(draw), timezone="UTC")))

    return case


def _tickets_with_events(draw: st.DataObject) -> None:
    tickets, events = _source(draw), _file(draw.draw(csv_bytes()), "events.csv")
    before = draw.draw(st.sampled_from(["reject", "clamp"]))

    def run() -> None:
        result = read_tickets(tickets, events, timezone="UTC", before_created=before)
        _result(result)
        # Every row of the events file is an event of a loaded ticket or a rejected event.
        attached = sum(len(t.events) for t in result.records)
        assert attached + len(result.rejected_events) == result.events_read
        for row in result.rejected_events:
            _clean(str(row))

    _guarded(run)


def _stream(reader: Callable[..., Iterator[LoadResult[Any]]]) -> Case:
    def case(draw: st.DataObject) -> None:
        size = draw.draw(st.integers(1, 4))
        source = _source(draw)

        def run() -> None:
            for chunk in reader(source, chunk_size=size, timezone="UTC"):
                _result(chunk)
                assert chunk.rows_read <= size

        _guarded(run)

    return case


def _event_log(draw: st.DataObject) -> None:
    data = b"case,at,activity,status,seq\n" + draw.draw(csv_bytes())
    sequence = draw.draw(st.sampled_from([None, "seq"]))
    before = draw.draw(st.sampled_from(["reject", "clamp"]))

    def run() -> None:
        result = read_event_log(
            _file(data, "log.csv"),
            case="case",
            at="at",
            activity="activity",
            status="status",
            sequence=sequence,
            constants={"customer_id": "c"},
            timezone="UTC",
            before_created=before,
        )
        _result(result)
        assert len(result.rejected_events) <= result.events_read

    _guarded(run)


def _from_data(draw: st.DataObject) -> None:
    """``from_data`` on a valid object with one leaf made hostile (or a key added, or nesting)."""
    kind, base = draw.draw(st.sampled_from(sorted(MODELS.items(), key=lambda kv: kv[0].__name__)))
    obj = _mutated(draw, base)
    if isinstance(obj, dict) and draw.draw(st.booleans()):
        obj = {**obj, draw.draw(st.sampled_from(["x", "events", "tags"])): draw.draw(HOSTILE)}

    def run() -> None:
        built = from_data(obj, kind)
        assert isinstance(built, kind)

    _guarded(run)


_AT = "2026-01-05T09:00:00+07:00"
MODELS: dict[type, dict[str, Any]] = {
    Customer: {"id": "C1", "segment": "vip"},
    Agent: {"id": "A1", "team": "t"},
    Interaction: {"id": "I1", "customer_id": "C1", "channel": "phone", "started_at": _AT},
    Order: {"id": "O1", "customer_id": "C1", "at": _AT, "amount": "10"},
    SurveyResponse: {"kind": "nps", "score": 9, "at": _AT},
    Ticket: {
        "id": "T1",
        "customer_id": "C1",
        "channel": "web",
        "created_at": _AT,
        "events": [{"type": "status_change", "at": _AT, "status": "solved"}],
    },
}


# ------------------------------------------------------------------------ the vendor readers


KEYS = st.sampled_from(["\x1b[2J", "status\x07", "", "tags", "custom_fields", "id"])
"""Keys added to objects: control characters in a key must reach messages escaped too."""


def _mutated(draw: st.DataObject, document: Any) -> Any:
    """``document`` with 0-3 leaves replaced by hostile values, keys added, or an object
    repeated."""
    for _ in range(draw.draw(st.integers(0, 3))):
        if isinstance(document, list) and document and draw.draw(st.booleans()):
            document = [*document, document[0]]  # a repeated id
            continue
        path = draw.draw(st.sampled_from(_paths(document)))
        new = draw.draw(HOSTILE)
        if draw.draw(st.booleans()):  # a key added where an object is
            found = _at(document, path)
            if isinstance(found, dict):
                new = {**found, draw.draw(KEYS): new}
        document = _replace(document, path, new)
    return document


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def _write(folder: Path, draw: st.DataObject, name: str, document: Any) -> None:
    """Write a mutated document, sometimes as random bytes or in another encoding."""
    how = draw.draw(st.sampled_from(["json", "json", "json", "bytes", "encoding", "deep"]))
    if how == "bytes":
        data = draw.draw(st.binary(max_size=64))
    elif how == "deep":
        data = ("[" * 5000 + "]" * 5000).encode()
    else:
        text = json.dumps(_mutated(draw, document))
        codec = draw.draw(st.sampled_from(["utf-16", "cp1258"])) if how == "encoding" else "utf-8"
        data = text.encode(codec, "replace")
    (folder / name).write_bytes(data)


def _dataset(ds: Dataset, tickets_file: str) -> None:
    """Every row of the tickets file is a ticket or a rejected row; messages are escaped."""
    rows = {Path(k).name: v for k, v in ds.rows_read.items()}
    rejected = sum(1 for r in ds.rejected if Path(r.source).name == tickets_file)
    if tickets_file in rows:
        assert len(ds.tickets) + rejected == rows[tickets_file]
    for row in ds.rejected:
        _clean(str(row))
    for warning in ds.warnings:
        _clean(warning)


def _vendor(
    reader: Callable[..., Dataset], files: dict[str, Any], tickets_file: str, **kwargs: Any
) -> Case:
    """A case writing ``files`` (name -> JSON document) mutated into a folder for ``reader``."""

    def case(draw: st.DataObject) -> None:
        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            for name, document in files.items():
                _write(base, draw, name, document)
            _guarded(lambda: _dataset(reader(base, **kwargs), tickets_file))

    return case


def _fixture(vendor: str) -> dict[str, Any]:
    """A hand-built fixture of tests/io/fixtures as name -> JSON document (JSON Lines: a list)."""
    out: dict[str, Any] = {}
    for path in sorted((FIXTURES / vendor).iterdir()):
        if path.suffix == ".json":
            out[path.name] = json.loads(path.read_text())
        elif path.suffix == ".jsonl":
            out[path.name] = [json.loads(line) for line in path.read_text().splitlines() if line]
    return out


def _zendesk_json(draw: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for name, document in _fixture("zendesk_incremental").items():
            if name.endswith(".jsonl"):
                lines = _mutated(draw, document)
                text = "\n".join(json.dumps(x) for x in lines) if isinstance(lines, list) else ""
                (base / name).write_text(text)
            else:
                _write(base, draw, name, document)
        _guarded(lambda: _dataset(read_zendesk(base), "tickets.json"))


def _zendesk_csv(draw: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        header = b"id,created_at,requester_id,status,priority,via_channel\n"
        (base / "ticket.csv").write_bytes(header + draw.draw(csv_bytes()))
        history = b"ticket_id,field_name,value,updated\n" + draw.draw(csv_bytes())
        (base / "ticket_field_history.csv").write_bytes(history)
        options = {"duplicates": draw.draw(st.sampled_from(["reject", "keep_first", "keep_last"]))}
        _guarded(lambda: _dataset(read_zendesk(base, **options), "ticket.csv"))


def _servicenow(draw: st.DataObject) -> None:
    data = draw.draw(mutated_log())

    def run() -> None:
        ds = read_servicenow(io.BytesIO(data))
        (rows,) = ds.rows_read.values()
        assert len(ds.tickets) + len(ds.rejected) == rows
        for row in ds.rejected:
            _clean(str(row))

    _guarded(run)


FRESHDESK = {
    "tickets.json": [
        {
            "id": 1,
            "requester_id": 5,
            "source": 2,
            "status": 2,
            "priority": 1,
            "created_at": "2016-05-18T04:36:04Z",
            "updated_at": "2016-05-19T05:36:14Z",
        }
    ],
    "conversations.json": [
        {
            "ticket_id": 1,
            "user_id": 7,
            "incoming": False,
            "private": False,
            "created_at": "2016-05-19T05:36:14Z",
        }
    ],
}
ZAMMAD = {
    "tickets.json": [
        {
            "id": 1,
            "customer_id": 2,
            "state": "open",
            "priority_id": 2,
            "group": "Users",
            "create_article_type": "phone",
            "created_at": "2025-05-13T08:37:16Z",
            "updated_at": "2025-05-13T09:00:00Z",
        }
    ],
}

FUZZED: dict[str, Case] = {
    "read_customers": _flat(read_customers),
    "read_interactions": _flat(read_interactions),
    "read_orders": _flat(read_orders),
    "read_survey_responses": _flat(read_survey_responses),
    "read_tickets": _flat(read_tickets),
    "read_tickets (with events)": _tickets_with_events,
    "read_records": _flat(lambda source, **kw: read_records(Interaction, source, **kw)),
    "iter_records": _stream(lambda source, **kw: iter_records(Customer, source, **kw)),
    "iter_interactions": _stream(iter_interactions),
    "iter_tickets": _stream(iter_tickets),
    "read_event_log": _event_log,
    "from_data": _from_data,
    "read_zendesk (JSON)": _zendesk_json,
    "read_zendesk (CSV)": _zendesk_csv,
    "read_freshdesk": _vendor(read_freshdesk, FRESHDESK, "tickets.json"),
    "read_zammad": _vendor(read_zammad, ZAMMAD, "tickets.json"),
    "read_chatwoot": _vendor(read_chatwoot, _fixture("chatwoot"), "conversations.json"),
    "read_intercom": _vendor(read_intercom, _fixture("intercom"), "conversations.json"),
    "read_jsm": _vendor(read_jsm, _fixture("jsm"), "issues.json"),
    "read_servicenow": _servicenow,
}


def test_every_reader_of_cs8_io_has_a_fuzz_case() -> None:
    readers = {n for n in cs8.io.__all__ if n.startswith(("read_", "iter_"))}
    fuzzed = {name.split(" ")[0] for name in FUZZED}
    assert readers - fuzzed == set()
    assert {"read_zendesk (JSON)", "read_zendesk (CSV)", "from_data"} <= set(FUZZED)


@pytest.mark.parametrize(
    ("reader", "files", "tickets_file"),
    [(read_freshdesk, FRESHDESK, "tickets.json"), (read_zammad, ZAMMAD, "tickets.json")],
)
def test_the_vendor_base_documents_load_whole(
    reader: Callable[..., Dataset], files: dict[str, Any], tickets_file: str, tmp_path: Path
) -> None:
    # The mutations start from valid data, so a case tests one hostile value at a time.
    for name, document in files.items():
        (tmp_path / name).write_text(json.dumps(document))
    ds = reader(tmp_path)
    assert (len(ds.tickets), ds.rejected) == (1, ())
    for kind, base in MODELS.items():
        assert isinstance(from_data(base, kind), kind)


@given(data=st.data(), name=st.sampled_from(sorted(FUZZED)))
def test_every_reader_gives_results_or_cs8_errors_only(data: st.DataObject, name: str) -> None:
    FUZZED[name](data)


@pytest.mark.parametrize("value", ["C1", None, 5, ["id", "C1"]])
def test_from_data_on_a_json_value_that_is_no_object_is_a_serialization_error(
    value: object,
) -> None:
    # Found by the fuzz above: cattrs called value.keys() and an AttributeError escaped.
    for kind in MODELS:
        with pytest.raises(SerializationError, match="expected a JSON object"):
            from_data(value, kind)
