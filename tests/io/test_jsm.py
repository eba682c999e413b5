"""read_jsm on tests/io/fixtures/jsm (hand-built from Atlassian's REST API reference; the README
there cites the pages). Every figure is computed by hand from issues.json."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cs8 import ActorKind, Channel, Message, Priority, TicketStatus
from cs8.io import read_jsm
from cs8.sla import OngoingCycle, SlaState

FIXTURE = Path(__file__).parent / "fixtures" / "jsm"


def test_counts_rejections_and_warnings() -> None:
    ds = read_jsm(FIXTURE, duplicates="keep_first")  # object 4 repeats SD-1
    assert [t.id for t in ds.tickets] == ["SD-1", "SD-2", "SD-3"]
    assert [(r.line, r.reason) for r in ds.rejected] == [
        (4, "duplicate id 'SD-1' (kept object 1)"),
        (5, "status 'Limbo' is not a JSM status (map it with values=)"),
    ]
    assert "statuses read by their Jira status category: 1" in ds.warnings  # SD-3 "Triage"
    assert all(t.channel is Channel.OTHER and t.channel_raw == "jira" for t in ds.tickets)


def test_changelog_and_comments() -> None:
    first, second, third = read_jsm(FIXTURE, duplicates="keep_first").tickets
    created = datetime(2024, 1, 15, 8, tzinfo=UTC)
    # SD-1: the 08:40 comment is internal (jsdPublic false); the public reply is at 08:45.
    assert first.first_reply_at - first.created_at == timedelta(minutes=45)
    assert first.solved_at == created + timedelta(hours=4)
    # Priority Medium at creation (the 09:00 change's fromString), High after.
    assert (first.priority, first.current_priority) == (Priority.NORMAL, Priority.HIGH)
    assert first.priority_at(created + timedelta(hours=1, minutes=30)) is Priority.HIGH
    assert first.assignee == "5b10a2844c20165700ede21g"
    authors = [(e.author, e.public) for e in first.events if isinstance(e, Message)]
    assert authors == [
        (ActorKind.AGENT, False),
        (ActorKind.AGENT, True),
        (ActorKind.CUSTOMER, True),  # the reporter's own comment
    ]
    # SD-2: waiting for customer from its updated instant (09:00), no changelog.
    assert second.first_reply_at - second.created_at == timedelta(minutes=30)
    assert second.status_at(datetime(2024, 1, 16, 9, tzinfo=UTC)) is TicketStatus.PENDING
    assert third.status is TicketStatus.OPEN


def test_sla_fields_become_the_vendor_cycles() -> None:
    ds = read_jsm(FIXTURE, duplicates="keep_first")
    sd1 = ds.sla_cycles["SD-1"]
    (response,) = sd1["Time to first response"]
    (resolution,) = sd1["Time to resolution"]
    assert (response.state, response.elapsed, response.target, response.breached_at) == (
        SlaState.ACHIEVED,
        timedelta(minutes=45),
        timedelta(hours=2),
        None,
    )
    assert (resolution.state, resolution.elapsed, resolution.breached_at) == (
        SlaState.BREACHED,
        timedelta(hours=4),
        datetime(2024, 1, 15, 10, tzinfo=UTC),
    )
    assert resolution.priority is Priority.NORMAL  # Medium when the cycle started (08:00)
    # SD-2's resolution clock is still running: no completed cycle; its ongoingCycle (started
    # 2024-01-16 08:00, paused, not breached, goal 7,200,000 ms, elapsed 3,600,000 ms; the
    # breachTime 10:00 is a forecast, not a breach) is the OngoingCycle.
    assert ds.sla_cycles["SD-2"]["Time to resolution"] == ()
    running = ds.ongoing_cycles["SD-2"]["Time to resolution"]
    assert running == OngoingCycle(
        started_at=datetime(2024, 1, 16, 8, tzinfo=UTC),
        state=SlaState.PAUSED,
        paused=True,
        target=timedelta(hours=2),
        elapsed=timedelta(hours=1),
        breached_at=None,
        priority=Priority.NORMAL,  # fields.priority Medium
        as_of=None,
    )
    assert list(ds.ongoing_cycles) == ["SD-2"]
    assert not any("ongoing" in w for w in ds.warnings)
    assert "SD-3" not in ds.sla_cycles
