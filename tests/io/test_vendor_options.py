"""The options every vendor reader takes: columns=, values=, date_format=, timezone=, encoding=.

Each test rewrites a real fixture (shared/data/vendors) the way another export of the same data
would be written (renamed columns, custom status names, local day-first dates, epoch seconds,
another encoding) and checks that the options read it back as exactly the original.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cs8 import Channel, Priority, TicketStatus
from cs8.exceptions import LoadError
from cs8.io import Dataset, read_freshdesk, read_zammad, read_zendesk
from cs8.io._zendesk import ZENDESK_STATUSES
from tests._data import shared_file

ZENDESK = "vendors/zendesk_dbt_seeds/seeds"
FRESHDESK = "vendors/freshdesk_api_fixtures/v2"
ZAMMAD = "vendors/zammad_api_cassettes/decoded/TestAPI."
ZAMMAD_TICKETS = ZAMMAD + "test_tickets__00_GET_api_v1_tickets_page_1_per_page_10_expand_true.json"

Cell = Callable[[str, dict[str, str], str], str]  # (column, row, cell) -> new cell


def _same(got: Dataset, want: Dataset) -> None:
    assert got.tickets == want.tickets
    assert (got.customers, got.agents) == (want.customers, want.agents)
    assert [(r.line, r.reason) for r in got.rejected] == [(r.line, r.reason) for r in want.rejected]


def _rewrite_zendesk(
    target: Path,
    cell: Cell | None = None,
    rename: dict[str, str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """A copy of the Zendesk seeds with ticket_data.csv's header renamed and cells rewritten."""
    source = shared_file(ZENDESK)
    for path in source.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        out = [
            [(rename or {}).get(h, h) for h in header] if path.name == "ticket_data.csv" else header
        ]
        for row in rows[1:]:
            record = dict(zip(header, row, strict=False))
            out.append(
                [cell(h, record, c) if cell else c for h, c in zip(header, row, strict=False)]
            )
        with (target / path.name).open("w", newline="", encoding=encoding) as handle:
            csv.writer(handle).writerows(out)
    return target


# Fivetran writes instants as "YYYY-MM-DD HH:MM:SS" in UTC (the _fivetran_synced stamps have
# milliseconds and are not read).
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def _tokyo_day_first(column: str, row: dict[str, str], cell: str) -> str:
    if not _INSTANT.match(cell):
        return cell
    at = datetime.fromisoformat(cell).replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    return at.strftime("%d/%m/%Y %H:%M:%S")


def test_zendesk_local_day_first_instants_read_with_date_format_and_timezone(
    tmp_path: Path,
) -> None:
    want = read_zendesk(shared_file(ZENDESK), before_created="clamp")
    folder = _rewrite_zendesk(tmp_path, _tokyo_day_first)
    got = read_zendesk(
        folder, date_format="%d/%m/%Y %H:%M:%S", timezone="Asia/Tokyo", before_created="clamp"
    )
    _same(got, want)
    assert len(got.tickets) == 8  # ticket_data.csv: 10 rows, 2 with status "deleted"
    # Without the options the rewritten instants are not ISO 8601: every ticket is rejected.
    plain = read_zendesk(folder, before_created="clamp")
    assert plain.tickets == ()
    assert any("must be an ISO 8601 date-time" in r.reason for r in plain.rejected)


def _custom_status(column: str, row: dict[str, str], cell: str) -> str:
    if column == "status" or (column == "value" and row.get("field_name") == "status"):
        return f"Stage {cell.title()}" if cell != "deleted" else cell
    if column == "priority" and cell:
        return f"P-{cell}"
    return cell


# ticket_field_history_data.csv writes on-hold as "on-hold" (e.g. ticket 11071 on 2020-09-02),
# the ticket table as "hold": both are in ZENDESK_STATUSES.
_STAGES = {f"Stage {name.title()}": status.value for name, status in ZENDESK_STATUSES.items()}


def test_zendesk_custom_names_read_with_values(tmp_path: Path) -> None:
    want = read_zendesk(shared_file(ZENDESK), before_created="clamp")
    folder = _rewrite_zendesk(tmp_path, _custom_status)
    values = {
        "status": {**_STAGES, "Stage Hold": TicketStatus.ON_HOLD},  # a member works too
        # sla_policy_metric_history_data.csv lines 22-23 have "medium" (read as normal).
        "priority": {f"P-{p}": p for p in ("low", "normal", "high", "urgent")}
        | {"P-medium": "normal"},
    }
    _same(read_zendesk(folder, values=values, before_created="clamp"), want)
    without = read_zendesk(folder, before_created="clamp")
    assert len(without.tickets) < len(want.tickets)
    assert any("(map it with values=)" in r.reason for r in without.rejected)


def test_zendesk_renamed_columns_read_with_columns(tmp_path: Path) -> None:
    want = read_zendesk(shared_file(ZENDESK), before_created="clamp")
    rename = {"via_channel": "Channel", "requester_id": "Requester", "type": "Ticket type"}
    folder = _rewrite_zendesk(tmp_path, rename=rename)
    columns = {"channel": "Channel", "customer_id": "Requester", "category": "Ticket type"}
    _same(read_zendesk(folder, columns=columns, before_created="clamp"), want)
    with pytest.raises(LoadError, match=r"no column 'Kanal' \(columns= names it"):
        read_zendesk(folder, columns={"channel": "Kanal"})


def test_zendesk_channel_values_map_before_the_vendor_names() -> None:
    # ticket_data.csv: the 8 tickets that load (lines 3-6 and 8-11) all have via_channel "email".
    plain = read_zendesk(shared_file(ZENDESK), before_created="clamp")
    assert {(t.channel, t.channel_raw) for t in plain.tickets} == {(Channel.EMAIL, None)}
    mapped = read_zendesk(
        shared_file(ZENDESK), values={"channel": {"EMAIL": "chat"}}, before_created="clamp"
    )
    assert [(t.channel, t.channel_raw) for t in mapped.tickets] == [(Channel.CHAT, "email")] * 8


def test_zendesk_encoding(tmp_path: Path) -> None:
    rename = {"type": "Typ"}

    def accented(column: str, row: dict[str, str], cell: str) -> str:
        return "Rückfrage" if column == "type" else cell

    folder = _rewrite_zendesk(tmp_path, accented, rename, encoding="cp1252")
    ds = read_zendesk(folder, columns={"category": "Typ"}, encoding="cp1252")
    assert "Rückfrage" in {t.category for t in ds.tickets}
    with pytest.raises(LoadError, match=r"cannot decode byte offset \d+ .*try encoding="):
        read_zendesk(folder, columns={"category": "Typ"})


# ------------------------------------------------------------------------------------ Freshdesk


def _epoch(value: Any) -> Any:
    """Every ISO instant ("...Z") in a JSON value as epoch seconds."""
    if isinstance(value, dict):
        return {k: _epoch(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_epoch(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value):
        return int(datetime.fromisoformat(value).timestamp())
    return value


def _freshdesk(base: Path, **options: Any) -> Dataset:
    return read_freshdesk(
        base / "ticket_1.json", conversations=base / "conversations.json", **options
    )


def test_freshdesk_epoch_instants_and_custom_fields(tmp_path: Path) -> None:
    base = shared_file(FRESHDESK)
    want = _freshdesk(base)
    ticket = json.loads((base / "ticket_1.json").read_text(encoding="utf-8"))
    # ticket_1.json: status 2 (open), priority 1 (low), type "Question". Here the status is a
    # custom code, the priority a custom text field and the type a nested custom field.
    ticket = _epoch(ticket)
    ticket["status"] = 12
    ticket["custom_fields"] = {"cf_prio": "Niedrig", "cf_kind": ticket.pop("type")}
    del ticket["priority"]
    (tmp_path / "ticket_1.json").write_text(json.dumps(ticket), encoding="utf-8")
    conversations = json.loads((base / "conversations.json").read_text(encoding="utf-8"))
    (tmp_path / "conversations.json").write_text(json.dumps(_epoch(conversations)))
    options: dict[str, Any] = {
        "columns": {"priority": "custom_fields.cf_prio", "category": "custom_fields.cf_kind"},
        "values": {"status": {12: "open"}, "priority": {"niedrig": Priority.LOW}},
        "date_format": "epoch",
    }
    got = _freshdesk(tmp_path, **options)
    _same(got, want)
    assert (got.tickets[0].status, got.tickets[0].category) == (TicketStatus.OPEN, "Question")
    missing = _freshdesk(tmp_path, **{**options, "values": {"priority": {"niedrig": "low"}}})
    assert missing.tickets == ()
    assert "status 12 is not a Freshdesk status code (map it with values=)" in {
        r.reason for r in missing.rejected
    }


# --------------------------------------------------------------------------------------- Zammad


def test_zammad_custom_state_and_encoding(tmp_path: Path) -> None:
    source = shared_file(ZAMMAD_TICKETS)
    want = read_zammad(source)
    text = source.read_text(encoding="utf-8")
    # The one ticket's state is "new"; a desk that renamed its states writes "neu".
    assert text.count('"state": "new"') == 1
    changed = tmp_path / "tickets.json"
    changed.write_bytes(
        text.replace('"state": "new"', '"state": "Neu/Ungeöffnet"').encode("cp1252")
    )
    got = read_zammad(changed, values={"status": {"neu/ungeöffnet": "new"}}, encoding="cp1252")
    _same(got, want)
    with pytest.raises(LoadError, match=r"byte offset \d+ .*try encoding="):
        read_zammad(changed, values={"status": {"neu/ungeöffnet": "new"}})
    rejected = read_zammad(changed, encoding="cp1252").rejected
    assert "is not a Zammad state (map it with values=)" in rejected[0].reason


# ------------------------------------------------------------------------------------ bad options

READERS = [read_zendesk, read_freshdesk, read_zammad]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"columns": {"subject": "x"}}, "'subject' is not a field this reader reads"),
        ({"values": {"group": {"a": "b"}}}, "'group' cannot be mapped"),
        ({"values": {"status": {"open": "bogus"}}}, "'bogus' is not a valid TicketStatus"),
        ({"values": {"priority": ["low"]}}, "must map raw values to cs8 values"),
        ({"date_format": "dd/mm/yyyy"}, "must be a strptime format"),
        ({"date_format": {"created_at": "epoch"}}, "one date_format for all its instants"),
        ({"timezone": "Mars/Olympus"}, "timezone must be an IANA zone"),
        ({"encoding": "klingon"}, "unknown encoding 'klingon'"),
    ],
)
def test_invalid_options_are_load_errors_before_any_row(
    reader: Callable[..., Dataset], options: dict[str, Any], message: str, tmp_path: Path
) -> None:
    (tmp_path / "ticket.csv").write_text("id,created_at,requester_id,status\n")
    (tmp_path / "tickets.json").write_text("[]")
    with pytest.raises(LoadError, match=re.escape(message)):
        reader(tmp_path, **options)


def test_undecodable_json_without_a_byte_offset_is_a_load_error(tmp_path: Path) -> None:
    # Found by the vendor fuzz test: five NUL bytes as UTF-16 (no byte-order mark, odd length).
    (tmp_path / "tickets.json").write_bytes(b"\x00" * 5)
    with pytest.raises(LoadError, match="cannot decode the file as utf-16"):
        read_freshdesk(tmp_path, encoding="utf-16")
