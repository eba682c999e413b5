"""The DuckDB scorecard's contact measures: streamed in batches of linked customers, equal to objects.

The object path reads proactivity, omnichannel, bot containment and the contacts' negative
sentiment from every contact at once; the engine streams them a batch at a time. A contact's
``previous_id`` may name another customer's contact (a channel switch reads the previous contact's
channel; a handoff names the bot session), so the batches must keep those together: these tests
link customers across batches of a few contacts and compare with the records measured at once.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

import duckdb

from cs8 import Interaction
from cs8.cli import main
from cs8.report import _engine_scorecard
from cs8.report._engine_scorecard import Scope, contact_measures, records
from cs8.report._scorecard import contact_states, negative_share
from cs8.text._bot import _cutoff

ZONE = "Asia/Ho_Chi_Minh"
HEADER = (
    "id,customer_id,channel,started_at,answered_at,ended_at,direction,handled_by,agent_id,"
    "previous_id,sentiment\n"
)


def _row(
    cid: str,
    customer: str,
    channel: str,
    start: str,
    end: str,
    by: str,
    previous: str = "",
    sentiment: str = "",
) -> str:
    agent = "A002" if by == "agent" else ""
    at = f"2026-07-{start}+07:00"
    done = f"2026-07-{end}+07:00" if end else ""
    return (
        f"{cid},{customer},{channel},{at},{at},{done},inbound,{by},{agent},{previous},{sentiment}\n"
    )


# Customers linked across batches: a bot session of C00001 continued by a bot of C00002 and
# handed to a person of C00003 (the conversation's last contact is C00003's, the latest start);
# a bot session of C00004 handed off by C00005; C00006's phone call continuing C00007's chat (a
# channel switch); a cycle C00008 <-> C00009; a previous_id naming no contact; C00010's bot
# contained, and C00011's bot followed by a person of its own within 72 hours; a bot session
# in the last scope continuing a contact of the week before (the scope cuts the chain).
LINKED = [
    _row("L01", "C00001", "chat", "07T09:00:00", "07T09:05:00", "bot", sentiment="-0.4"),
    _row("L02", "C00002", "chat", "07T09:05:00", "07T09:07:00", "bot", "L01"),
    _row("L03", "C00003", "chat", "07T09:08:00", "07T09:20:00", "agent", "L02", "-0.2"),
    _row("L04", "C00004", "chat", "08T10:00:00", "08T10:03:00", "bot"),
    _row("L05", "C00005", "chat", "08T10:03:00", "08T10:09:00", "agent", "L04", "0.5"),
    _row("L06", "C00007", "chat", "08T11:00:00", "08T11:04:00", "agent"),
    _row("L07", "C00006", "phone", "08T12:00:00", "08T12:10:00", "agent", "L06"),
    _row("L08", "C00008", "email", "09T08:00:00", "09T08:30:00", "agent", "L09"),
    _row("L09", "C00009", "chat", "09T09:00:00", "09T09:30:00", "agent", "L08"),
    _row("L10", "C00010", "chat", "09T10:00:00", "09T10:02:00", "agent", "NOPE"),
    _row("L11", "C00010", "chat", "09T11:00:00", "09T11:02:00", "bot", sentiment="-0.9"),
    _row("L12", "C00011", "chat", "09T12:00:00", "09T12:02:00", "bot"),
    _row("L13", "C00011", "phone", "10T09:00:00", "10T09:05:00", "agent"),
    _row("L14", "C00012", "chat", "15T09:00:00", "15T09:02:00", "bot", "L15"),
    _row("L15", "C00013", "chat", "12T09:00:00", "12T09:05:00", "agent"),
    _row("L16", "C00013", "chat", "15T09:10:00", "", "bot"),
    _row("L17", "C00014", "chat", "18T09:00:00", "18T09:02:00", "bot"),
]

SCOPES: list[Scope] = [
    (None, None),
    (
        datetime.fromisoformat("2026-07-13T00:00:00+07:00"),
        datetime.fromisoformat("2026-07-20T00:00:00+07:00"),
    ),
    (
        datetime.fromisoformat("2026-07-06T00:00:00+07:00"),
        datetime.fromisoformat("2026-07-13T00:00:00+07:00"),
    ),
]


def _objects(contacts: list[Interaction], scope: Scope) -> dict[str, Any]:
    """The object path's measures on the scope's contacts, all at once."""
    low, high = scope
    part = [c for c in contacts if low is None or high is None or low <= c.started_at < high]
    found = contact_states(part, _cutoff(part, None))
    return {**found, "negative_sentiment": negative_share((), part)}


@pytest.mark.parametrize("batch", [1, 3, 10_000])
def test_streamed_contact_measures_equal_the_records_measured_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    path = tmp_path / "interactions.csv"
    path.write_text(HEADER + "".join(LINKED), encoding="utf-8")
    connection = duckdb.connect()
    connection.execute(f"SET TimeZone = '{ZONE}'")
    rel = connection.read_csv(str(path))
    contacts = records(rel, Interaction, ZONE)
    assert len(contacts) == len(LINKED)
    sizes: list[int] = []

    def measured(part: list[Interaction], cutoff: datetime | None) -> Any:
        sizes.append(len(part))
        return contact_states(part, cutoff)

    monkeypatch.setattr(_engine_scorecard, "CONTACTS_BATCH", batch)
    monkeypatch.setattr(_engine_scorecard, "contact_states", measured)
    found = contact_measures(connection, rel, ZONE, SCOPES)
    assert found == [_objects(contacts, scope) for scope in SCOPES]
    whole = found[0]
    # Decided: L01 and L04 (handed off), L11 (contained), L12 (a person within 72 hours); L14
    # continues a person's contact (not a bot conversation); L16 is open; L17's window is not
    # over at the latest instant (its own end).
    assert whole["bot_containment"].n == 4
    assert whole["bot_containment"].successes == 1
    assert dict(whole["bot_containment"].excluded) == {"still_open": 1, "window_open": 1}
    assert found[1]["bot_containment"].n == 1  # in the last week alone, L14 starts a bot chat
    # L07 (a phone call after C00007's chat) and the cycle's L08 and L09 (email and chat).
    assert whole["omnichannel"].successes == 3
    # Memory: a batch holds at most the batch size plus one group of linked customers (here
    # three contacts), never every contact
    # (C00001-C00003, and C00012-C00013's three contacts).
    if batch == 1:
        assert max(sizes) == 3


def test_the_report_scorecard_equals_objects_with_customers_linked_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sample", str(tmp_path), "--customers", "40", "--weeks", "2"]) == 0
    capsys.readouterr()
    with (tmp_path / "interactions.csv").open("a", encoding="utf-8") as out:
        names = (tmp_path / "interactions.csv").read_text(encoding="utf-8").splitlines()[0]
        columns = names.split(",")
        for line in LINKED:
            cells = dict(zip(HEADER.strip().split(","), line.strip().split(","), strict=True))
            cells |= {"talk_time": "0", "hold_time": "0", "wrap_time": "0", "proactive": "false"}
            out.write(",".join(cells.get(c, "") for c in columns) + "\n")
    monkeypatch.setattr(_engine_scorecard, "CONTACTS_BATCH", 2)
    reports = []
    for engine in (("--engine", "duckdb"), ()):
        assert main(["report", str(tmp_path), *engine, "--format", "json"]) == 0
        reports.append(json.loads(capsys.readouterr().out))
    engine_card, object_card = (r["scorecard"] for r in reports)
    assert engine_card == object_card
    availability = next(p for p in engine_card if p["pillar"] == "availability")
    assert availability["supporting"]  # bot containment was measured


def test_python_memory_holds_a_batch_not_every_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    """12,000 contacts of 2,000 customers (a tenth continuing the customer's earlier contact, a
    few another customer's) streamed in batches of 500: the Python peak is a small part of the
    records' built at once."""
    import tracemalloc

    from cs8.report import _engine_sla

    connection = duckdb.connect()
    connection.execute(f"SET TimeZone = '{ZONE}'")
    rel = connection.sql(
        "SELECT 'I' || i AS id, 'C' || (i % 2000) AS customer_id, "
        "CASE WHEN i % 3 = 0 THEN 'chat' ELSE 'phone' END AS channel, "
        "TIMESTAMPTZ '2026-07-06 09:00:00+07' + INTERVAL (i) MINUTE AS started_at, "
        "TIMESTAMPTZ '2026-07-06 09:00:30+07' + INTERVAL (i) MINUTE AS ended_at, "
        "CASE WHEN i % 4 = 0 THEN 'bot' ELSE 'agent' END AS handled_by, "
        "CASE WHEN i % 1000 = 7 THEN 'I' || (i - 1) "
        "WHEN i % 10 = 5 AND i >= 2000 THEN 'I' || (i - 2000) END AS previous_id "
        "FROM range(12000) t(i)"
    )
    monkeypatch.setattr(_engine_sla, "BATCH", 500)
    monkeypatch.setattr(_engine_scorecard, "CONTACTS_BATCH", 500)
    runs = (
        lambda rows: records(rows, Interaction, ZONE),
        lambda rows: contact_measures(connection, rows, ZONE, SCOPES[:1]),
    )
    for run in runs:  # the modules they import first (pyarrow's, pandas') are not the data's
        run(rel.limit(50))
    peaks = []
    for run in runs:
        tracemalloc.start()
        run(rel)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    at_once, streamed = peaks
    assert streamed < at_once / 4, peaks


def test_a_row_the_loader_rejects_does_not_move_the_instant_bots_are_decided_at(
    tmp_path: Path,
) -> None:
    # The latest instant is a row with an unknown ``handled_by``: the loader rejects it, so the
    # object path decides L17's window at L17's own end (still open); DuckDB's maximum saw it.
    rejected = _row("L99", "C00015", "chat", "25T09:00:00", "25T09:05:00", "robot")
    path = tmp_path / "interactions.csv"
    path.write_text(HEADER + "".join(LINKED) + rejected, encoding="utf-8")
    connection = duckdb.connect()
    connection.execute(f"SET TimeZone = '{ZONE}'")
    rel = connection.read_csv(str(path))
    contacts = records(rel, Interaction, ZONE)
    assert len(contacts) == len(LINKED)  # L99 rejected
    found = contact_measures(connection, rel, ZONE, SCOPES)
    assert found == [_objects(contacts, scope) for scope in SCOPES]
    assert found[0]["bot_containment"].excluded["window_open"] == 1
