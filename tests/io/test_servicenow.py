"""read_servicenow and reconcile on tests/io/fixtures/servicenow/incident_event_log.csv, a
hand-made file in the schema of the UCI "Incident management process enriched event log" (its
README cites the dataset and the paper). Every expected value is worked out by hand from the file;
the README lists each incident's history."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cs8 import Channel, Priority, TicketStatus
from cs8.exceptions import LoadError
from cs8.io import REASONS, read_servicenow, reconcile
from cs8.sla import SlaPolicy, SlaTarget

FOLDER = Path(__file__).parent / "fixtures" / "servicenow"
FILE = FOLDER / "incident_event_log.csv"

# ServiceNow's made_sla comes from its own task SLAs, which the export does not describe; this
# policy (resolution within 24 h, calendar time, paused while Awaiting User Info) is the one the
# tests evaluate cs8's figure under.
POLICY = SlaPolicy(
    name="resolution 24 h",
    targets=[SlaTarget(metric="resolution", within=timedelta(hours=24), business_hours=False)],
    pause_statuses=("pending",),
)


def _at(day: int, hour: int) -> datetime:
    return datetime(2016, 3, day, hour, tzinfo=UTC)


def test_the_incidents_load_with_servicenow_names_mapped() -> None:
    ds = read_servicenow(FOLDER)
    assert [t.id for t in ds.tickets] == ["INC0000101", "INC0000102", "INC0000103"]
    first, second, third = ds.tickets
    assert (first.channel, first.priority, first.created_at) == (
        Channel.PHONE,
        Priority.NORMAL,  # 3 - Moderate
        _at(1, 8),  # opened_at 1/3/2016 08:00, day-first
    )
    assert (second.channel, second.priority) == (Channel.EMAIL, Priority.HIGH)
    assert (third.channel, third.channel_raw, third.priority) == (
        Channel.SELF_SERVICE,
        "Self service",
        Priority.LOW,
    )
    # INC0000101's updates 2 (Resolved 1/3 12:00) and 3 (Active 2/3 10:00) are swapped in the
    # file; sys_mod_count orders them: solved at 12:00, reopened once, solved again, closed.
    statuses = [(e.at, e.status) for e in first.events if hasattr(e, "status")]
    assert statuses == [
        (_at(1, 9), TicketStatus.OPEN),
        (_at(1, 12), TicketStatus.SOLVED),
        (_at(2, 10), TicketStatus.OPEN),
        (_at(2, 15), TicketStatus.SOLVED),
        (_at(7, 16), TicketStatus.CLOSED),
    ]
    assert (first.reopen_count, first.solved_at, first.assignee) == (1, _at(1, 12), "Resolver 7")
    # "Awaiting User Info" is pending from 1/3 11:00 to 2/3 11:00.
    assert second.status_at(_at(2, 10)) is TicketStatus.PENDING
    # "?" in assigned_to is no assignee: the first assignment is Resolver 9 at 09:00.
    assert third.events[0].agent_id == "Resolver 9"
    assert (third.reopen_count, third.solved_at) == (0, _at(3, 12))
    # INC0000104 has caller_id "?": no requester, rejected at its first line (19).
    assert [(r.line, r.reason) for r in ds.rejected] == [(19, "line 19: missing customer id")]
    assert len(ds.tickets) + len(ds.rejected) == ds.rows_read[str(FILE)] == 4


def test_the_vendor_figures_are_the_last_update() -> None:
    ds = read_servicenow(FILE)
    assert {k: dict(v) for k, v in ds.vendor_metrics.items()} == {
        "INC0000101": {"reopens": 1, "made_sla": True, "updates_missing": 0},
        "INC0000102": {"reopens": 0, "made_sla": False, "updates_missing": 0},
        # sys_mod_count 0, 1, 4, 5, 6: updates 2 and 3 are not in the log.
        "INC0000103": {"reopens": 1, "made_sla": True, "updates_missing": 2},
    }


def _rows(ds_rows: object) -> list[tuple[str, str, object, object, object, object]]:
    return [
        (r.ticket_id, r.metric, r.vendor, r.cs8, r.agrees, r.reason)
        for r in ds_rows  # type: ignore[attr-defined]
    ]


def test_reconcile_reopen_count_and_made_sla() -> None:
    ds = read_servicenow(FILE)
    # Without a policy made_sla is not compared; reopens: 101 1 = 1; 102 0 = 0; 103 the vendor's
    # reopen (updates 2-3) is not in the log: cs8 0.
    assert _rows(reconcile(ds).rows) == [
        ("INC0000101", "made_sla", True, None, None, "no_policy"),
        ("INC0000101", "reopens", 1, 1, True, None),
        ("INC0000102", "made_sla", False, None, None, "no_policy"),
        ("INC0000102", "reopens", 0, 0, True, None),
        ("INC0000103", "made_sla", True, None, None, "no_policy"),
        ("INC0000103", "reopens", 1, 0, False, "updates_not_in_events"),
    ]
    # With the policy: 101 solved after 4 h (08:00-12:00) of 24: made. 102: 1/3 09:00 to 2/3
    # 13:00 is 28 h, of which 24 h Awaiting User Info (paused): 4 h, made; ServiceNow says not
    # made (its SLA did not pause there): a definition choice. 103: 2/3 08:00 to 3/3 12:00 = 28 h
    # with no pause, breached; ServiceNow says made, with the earlier resolve the log lacks.
    made = [r for r in _rows(reconcile(ds, policy=POLICY).rows) if r[1] == "made_sla"]
    assert made == [
        ("INC0000101", "made_sla", True, True, True, None),
        ("INC0000102", "made_sla", False, True, False, "sla_definition"),
        ("INC0000103", "made_sla", True, False, False, "updates_not_in_events"),
    ]
    # Without the pause, cs8 counts 28 h for 102 too: breached, as ServiceNow says.
    no_pause = SlaPolicy(name="no pause", targets=POLICY.targets, pause_statuses=())
    rows = {r[0]: r for r in _rows(reconcile(ds, policy=no_pause).rows) if r[1] == "made_sla"}
    assert rows["INC0000102"][3:5] == (False, True)
    for reason in ("updates_not_in_events", "sla_definition", "no_policy"):
        assert reason in REASONS


def test_a_stream_and_value_maps() -> None:
    text = FILE.read_text().replace("Awaiting User Info", "-100")
    with pytest.raises(LoadError):
        read_servicenow(io.StringIO(text), strict=True)  # -100 has no mapping
    ds = read_servicenow(io.StringIO(text), values={"status": {"-100": "pending"}})
    assert [t.id for t in ds.tickets][:2] == ["INC0000101", "INC0000102"]
    assert ds.tickets[1].status_at(_at(2, 10)) is TicketStatus.PENDING
    with pytest.raises(LoadError, match="cannot be mapped"):
        read_servicenow(FILE, values={"activity": {}})
