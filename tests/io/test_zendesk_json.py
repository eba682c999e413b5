"""read_zendesk on the Incremental Export JSON (tests/io/fixtures/zendesk_incremental).

The fixture is hand-built from the examples in Zendesk's API reference (its README cites each
page: https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
and https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api/).
Every expected figure below is computed by hand from those files, and the comment names the object.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cs8 import ActorKind, Channel, Priority, TicketStatus
from cs8.exceptions import LoadError
from cs8.io import read_zendesk
from cs8.sla import SlaMetric

FIXTURE = Path(__file__).parent / "fixtures" / "zendesk_incremental"


def _copy(tmp_path: Path) -> Path:
    for item in FIXTURE.iterdir():
        (tmp_path / item.name).write_bytes(item.read_bytes())
    return tmp_path


def test_counts_and_every_object_is_accounted_for() -> None:
    ds = read_zendesk(FIXTURE)
    # tickets.json: objects 1 (35436) and 2 (35437) load; object 3 (35438) is "deleted".
    assert [t.id for t in ds.tickets] == ["35436", "35437"]
    # users.jsonl: 235323 is the one agent, 20978392 and 20978393 end users.
    assert ([a.id for a in ds.agents], sorted(c.id for c in ds.customers)) == (
        ["235323"],
        ["20978392", "20978393"],
    )
    rejected = Counter(Path(r.source).name for r in ds.rejected)
    assert rejected == {"tickets.json": 1, "ticket_events.json": 1, "ticket_metrics.json": 1}
    # ticket_events.json: 6 audits, the 6th names ticket 35438, which did not load; so does
    # the third of ticket_metrics.json.
    assert {Path(k).name: v for k, v in ds.rows_read.items()} == {
        "tickets.json": 3,
        "ticket_events.json": 6,
        "users.jsonl": 3,
        "groups.json": 1,
        "schedules.json": 1,
        "sla_policies.json": 1,
        "ticket_metrics.json": 3,
    }


def test_first_reply_and_resolution_match_the_raw_events() -> None:
    first, second = read_zendesk(FIXTURE).tickets
    # 35436: created 2009-07-20T22:55:29Z (tickets.json object 1); the agent's audit at
    # 2009-07-21T00:10:00Z carries comment_present/comment_public true (ticket_events object 2).
    assert first.first_reply_at - first.created_at == timedelta(hours=1, minutes=14, seconds=31)
    assert (first.channel, first.priority, first.status) == (
        Channel.WEB,
        Priority.HIGH,
        TicketStatus.OPEN,
    )
    assert (first.assignee, first.group) == ("235323", "DJs")  # groups.json: 98738 is "DJs"
    # 35437: created 09:00; the 10:30 comment is private (object 4), the public reply and
    # "solved" are at 11:00 (object 5): first reply 2 h, solved 2 h.
    assert second.first_reply_at - second.created_at == timedelta(hours=2)
    assert second.solved_at - second.created_at == timedelta(hours=2)
    assert second.status is TicketStatus.SOLVED
    notes = [e for e in second.events if getattr(e, "public", True) is False]
    assert [(n.author, n.text) for n in notes] == [
        (ActorKind.AGENT, "This is a new private comment")
    ]


def test_schedule_holidays_and_sla_policy() -> None:
    ds = read_zendesk(FIXTURE)
    assert ds.calendar is not None
    assert ds.policy is not None
    # schedules.json: 1980-2460 is Monday 09:00-17:00, 3420-3900 Tuesday 09:00-17:00, Pacific.
    monday = datetime(2009, 7, 20, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert ds.calendar.business_duration(monday, monday + timedelta(days=7)) == timedelta(hours=16)
    assert date(2016, 1, 1) in ds.calendar.holidays
    # sla_policies.json: high first reply within 30 calendar minutes; 35436 replied after 74.5.
    first = ds.tickets[0]
    (result,) = ds.policy.evaluate(first, now=datetime(2009, 7, 22, tzinfo=UTC))
    assert (result.metric, result.target, result.breached_at) == (
        SlaMetric.FIRST_REPLY,
        timedelta(minutes=30),
        datetime(2009, 7, 20, 23, 25, 29, tzinfo=UTC),  # created + 30 min
    )
    assert "one SLA policy (25): every ticket is read as under it" in ds.warnings


def test_a_single_tickets_file_reads_alone(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes((FIXTURE / "tickets.json").read_bytes())
    ds = read_zendesk(path)
    assert [t.id for t in ds.tickets] == ["35436", "35437"]
    assert all(t.first_reply_at is None for t in ds.tickets)


def test_a_repeated_ticket_is_rejected_as_a_duplicate(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    data = json.loads((folder / "tickets.json").read_text())
    data["tickets"].append(data["tickets"][0])
    (folder / "tickets.json").write_text(json.dumps(data))
    ds = read_zendesk(folder)
    assert [t.id for t in ds.tickets] == ["35437"]  # every copy of 35436 is rejected
    assert sum(r.reason == "duplicate id '35436' (objects 1, 4)" for r in ds.rejected) == 2


def test_a_comment_by_an_unknown_user_rejects_its_audit(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "users.jsonl").unlink()
    ds = read_zendesk(folder)
    reasons = [r.reason for r in ds.rejected if r.source.endswith("ticket_events.json")]
    # Objects 1-5 each carry a comment; their authors are unknown without users.
    assert sum("is not in the users" in r for r in reasons) == 5


def test_a_list_valued_change_of_a_field_cs8_does_not_read_rejects_nothing(
    tmp_path: Path,
) -> None:
    # A "Change" child event of the tags field carries lists (Zendesk's Ticket Audits reference,
    # https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/, "Change"
    # events: "value" and "previous_value" are arrays for tags). cs8 does not read tags, so
    # the audit keeps its other events; the same list in a field cs8 reads is still rejected.
    folder = _copy(tmp_path)
    before = read_zendesk(folder)
    data = json.loads((folder / "ticket_events.json").read_text())
    tags = {"event_type": "Change", "field_name": "tags", "value": ["vip"], "previous_value": []}
    data["ticket_events"][1]["child_events"].append({"id": 1, **tags})
    (folder / "ticket_events.json").write_text(json.dumps(data))
    ds = read_zendesk(folder)
    assert len(ds.rejected) == len(before.rejected)
    assert [len(t.events) for t in ds.tickets] == [len(t.events) for t in before.tickets]
    assert any(w.startswith("field changes not read (tags): 1") for w in ds.warnings)
    data["ticket_events"][1]["child_events"][-1] = {"id": 1, **tags, "field_name": "status"}
    (folder / "ticket_events.json").write_text(json.dumps(data))
    reasons = [r.reason for r in read_zendesk(folder).rejected]
    assert any("expected a text or a number" in r for r in reasons)


def test_options_apply_to_the_json(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    ds = read_zendesk(
        folder,
        columns={"category": "subject"},
        values={"priority": {"high": "urgent"}, "channel": {"web": "chat"}},
    )
    first = ds.tickets[0]
    assert (first.category, first.priority, first.channel) == (
        "Help, my printer is on fire!",
        Priority.URGENT,
        Channel.CHAT,
    )


def test_not_json_is_a_load_error(tmp_path: Path) -> None:
    (tmp_path / "tickets.json").write_text("{not json")
    with pytest.raises(LoadError):
        read_zendesk(tmp_path)
