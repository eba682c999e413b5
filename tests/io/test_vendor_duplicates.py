"""``duplicates=`` in every vendor reader: the same rule as the CSV readers (one implementation,
:mod:`cs8.io._duplicates`), each dropped copy a rejected row, and ``records + rejected == rows
read`` for the tickets file.

Every expected value is read off the fixture by hand (the object positions are the file's order).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cs8 import TicketStatus
from cs8.exceptions import LoadError
from cs8.io import (
    Dataset,
    read_chatwoot,
    read_freshdesk,
    read_intercom,
    read_jsm,
    read_zammad,
    read_zendesk,
)
from cs8.io._duplicates import settle
from tests._data import shared_file

FIXTURES = Path(__file__).parent / "fixtures"
ZAMMAD_TICKETS = (
    "vendors/zammad_api_cassettes/decoded/TestAPI."
    "test_tickets__00_GET_api_v1_tickets_page_1_per_page_10_expand_true.json"
)


def _invariant(ds: Dataset, tickets_file: Path) -> None:
    name = str(tickets_file)
    rejected = sum(1 for r in ds.rejected if r.source == name)
    assert len(ds.tickets) + rejected == ds.rows_read[name]


def _reasons(ds: Dataset, tickets_file: Path) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in ds.rejected if r.source == str(tickets_file)]


# ------------------------------------------------------------------------------ the shared rule


def test_settle_is_the_rule_of_the_csv_readers() -> None:
    assert settle("reject", [2, 3]) == (None, [(0, "lines 2, 3"), (1, "lines 2, 3")])
    assert settle("keep_first", [2, 3]) == (0, [(1, "kept line 2")])
    assert settle("keep_last", [2, 3]) == (1, [(0, "kept line 3")])
    # With an order, the latest wins wherever it is in the file; a tie goes to the later copy.
    assert settle("keep_last", [1, 2, 3], order=[5, 9, 1]) == (
        1,
        [(0, "kept line 2"), (2, "kept line 2")],
    )
    assert settle("keep_last", [1, 2], order=[7, 7]) == (1, [(0, "kept line 2")])


# ------------------------------------------------------------------------ Zendesk (updated_at)


def _zendesk_with_copy(tmp_path: Path, copy_first: bool) -> Path:
    """The incremental fixture with a newer copy of ticket 35436 (status pending, updated
    2009-07-22T10:00:00Z; the original is open, updated 2009-07-21T00:10:00Z), placed first or
    last in tickets.json."""
    folder = tmp_path / "zendesk"
    shutil.copytree(FIXTURES / "zendesk_incremental", folder)
    data = json.loads((folder / "tickets.json").read_text())
    newer = {**data["tickets"][0], "status": "pending", "updated_at": "2009-07-22T10:00:00Z"}
    if copy_first:
        data["tickets"].insert(0, newer)
    else:
        data["tickets"].append(newer)
    (folder / "tickets.json").write_text(json.dumps(data))
    return folder


def test_zendesk_keep_last_is_the_latest_updated_at_even_first_in_the_file(
    tmp_path: Path,
) -> None:
    folder = _zendesk_with_copy(tmp_path, copy_first=True)
    ds = read_zendesk(folder, duplicates="keep_last")
    tickets = folder / "tickets.json"
    # Objects: 1 newer 35436, 2 older 35436, 3 35437, 4 35438 (deleted).
    assert [t.id for t in ds.tickets] == ["35436", "35437"]
    assert ds.tickets[0].status is TicketStatus.PENDING
    assert _reasons(ds, tickets) == [
        (2, "duplicate id '35436' (kept object 1)"),
        (4, "status 'deleted': deleted in Zendesk"),
    ]
    _invariant(ds, tickets)
    first = read_zendesk(folder, duplicates="keep_first")
    assert first.tickets[0].status is TicketStatus.PENDING  # object 1 is also the first


def test_zendesk_keep_first_and_keep_last_with_the_newer_copy_last(tmp_path: Path) -> None:
    folder = _zendesk_with_copy(tmp_path, copy_first=False)
    tickets = folder / "tickets.json"
    first = read_zendesk(folder, duplicates="keep_first")
    last = read_zendesk(folder, duplicates="keep_last")
    status = {t.id: t.status for t in last.tickets}
    assert first.tickets[0].status is TicketStatus.OPEN
    assert status["35436"] is TicketStatus.PENDING
    assert (4, "duplicate id '35436' (kept object 1)") in _reasons(first, tickets)
    assert (1, "duplicate id '35436' (kept object 4)") in _reasons(last, tickets)
    _invariant(first, tickets)
    _invariant(last, tickets)


def test_zendesk_reject_drops_every_copy_and_their_events(tmp_path: Path) -> None:
    folder = _zendesk_with_copy(tmp_path, copy_first=False)
    tickets = folder / "tickets.json"
    ds = read_zendesk(folder)  # reject, the default
    assert [t.id for t in ds.tickets] == ["35437"]
    assert _reasons(ds, tickets) == [
        (1, "duplicate id '35436' (objects 1, 4)"),
        (3, "status 'deleted': deleted in Zendesk"),
        (4, "duplicate id '35436' (objects 1, 4)"),
    ]
    _invariant(ds, tickets)
    # Its audits have no ticket now: rejected too, never attached elsewhere.
    assert any(r.reason == "no ticket '35436' was loaded" for r in ds.rejected)


def test_zendesk_tables_keep_last_by_updated_at(tmp_path: Path) -> None:
    (tmp_path / "ticket.csv").write_text(
        "id,created_at,updated_at,requester_id,via_channel,priority,status,type\n"
        "7,2020-02-19T01:54:00Z,2020-02-19T03:00:00Z,42,web,high,pending,\n"
        "7,2020-02-19T01:54:00Z,2020-02-19T02:00:00Z,42,web,high,open,\n"
    )
    ds = read_zendesk(tmp_path, duplicates="keep_last")
    assert [t.status for t in ds.tickets] == [TicketStatus.PENDING]  # line 2, updated 03:00
    assert [(r.line, r.reason) for r in ds.rejected] == [(3, "duplicate id '7' (kept line 2)")]
    _invariant(ds, tmp_path / "ticket.csv")


# ------------------------------------------------------------------------- JSM, Freshdesk ...


def test_jsm_each_rule(tmp_path: Path) -> None:
    issues = FIXTURES / "jsm" / "issues.json"
    # Objects 1 and 4 are both SD-1 (4 is the bare copy: no changelog, status Resolved at once).
    limbo = (5, "status 'Limbo' is not a JSM status (map it with values=)")
    first = read_jsm(FIXTURES / "jsm", duplicates="keep_first")
    last = read_jsm(FIXTURES / "jsm", duplicates="keep_last")
    none = read_jsm(FIXTURES / "jsm")  # reject, the default
    assert _reasons(first, issues) == [(4, "duplicate id 'SD-1' (kept object 1)"), limbo]
    assert _reasons(last, issues) == [(1, "duplicate id 'SD-1' (kept object 4)"), limbo]
    assert _reasons(none, issues) == [
        (1, "duplicate id 'SD-1' (objects 1, 4)"),
        (4, "duplicate id 'SD-1' (objects 1, 4)"),
        limbo,
    ]
    assert [t.id for t in last.tickets] == ["SD-2", "SD-3", "SD-1"]
    assert len(last.tickets[2].events) < len(first.tickets[0].events)  # the bare copy
    assert [t.id for t in none.tickets] == ["SD-2", "SD-3"]
    for ds in (first, last, none):
        _invariant(ds, issues)


def test_freshdesk_search_results_each_rule() -> None:
    search = shared_file("vendors/freshdesk_api_fixtures/v2/search_tickets.json")
    # results 1 and 2 both have id 1.
    last = read_freshdesk(search, duplicates="keep_last")
    none = read_freshdesk(search, duplicates="reject")
    assert _reasons(last, search) == [(1, "duplicate id '1' (kept object 2)")]
    assert (len(last.tickets), len(none.tickets)) == (1, 0)
    assert [r.line for r in none.rejected] == [1, 2]
    _invariant(last, search)
    _invariant(none, search)


def _with_first_repeated(src: Path, dest: Path, key: str) -> tuple[Path, int]:
    """``src`` with its first object appended again (the list under the dotted ``key``); the
    path written and the number of objects it now has."""
    data = json.loads(src.read_text())
    items: Any = data
    for part in filter(None, key.split(".")):
        items = items[part]
    items.append(items[0])
    dest.write_text(json.dumps(data))
    return dest, len(items)


@pytest.mark.parametrize(
    ("reader", "folder", "file", "key"),
    [
        (read_chatwoot, "chatwoot", "conversations.json", "data.payload"),
        (read_intercom, "intercom", "conversations.json", "conversations"),
    ],
)
def test_chat_vendors_each_rule(
    tmp_path: Path, reader: Callable[..., Dataset], folder: str, file: str, key: str
) -> None:
    target = tmp_path / folder
    shutil.copytree(FIXTURES / folder, target)
    path, objects = _with_first_repeated(FIXTURES / folder / file, target / file, key)
    base = reader(FIXTURES / folder)
    n = len(base.tickets)
    first_id = base.tickets[0].id  # object 1 loads in both fixtures
    for rule, kept in (("keep_first", n), ("keep_last", n), ("reject", n - 1)):
        ds = reader(target, duplicates=rule)
        assert len(ds.tickets) == kept
        reasons = [reason for _, reason in _reasons(ds, path) if "duplicate" in reason]
        assert (
            reasons
            == {
                "keep_first": [f"duplicate id {first_id!r} (kept object 1)"],
                "keep_last": [f"duplicate id {first_id!r} (kept object {objects})"],
                "reject": [f"duplicate id {first_id!r} (objects 1, {objects})"] * 2,
            }[rule]
        )
        _invariant(ds, path)
    with pytest.raises(LoadError, match="duplicates must be one of"):
        reader(target, duplicates="newest")


def test_zammad_each_rule(tmp_path: Path) -> None:
    path, objects = _with_first_repeated(shared_file(ZAMMAD_TICKETS), tmp_path / "t.json", "")
    ds = read_zammad(path, duplicates="keep_last")
    n = len(read_zammad(shared_file(ZAMMAD_TICKETS)).tickets)
    assert len(ds.tickets) == n
    assert [(r.line, r.reason) for r in ds.rejected] == [
        (1, f"duplicate id {ds.tickets[-1].id!r} (kept object {objects})")
    ]
    _invariant(ds, path)
    assert len(read_zammad(path, duplicates="reject").tickets) == n - 1
