"""Two real logs load with mappings alone (no pandas), and agree with figures computed from the raw rows.

- The 4TU helpdesk log (DOI 10.4121/uuid:0c60edf1-6f83-4e75-9367-4c63b3e9d5bb), ``shared/data/
  helpdesk_eventlog.csv``: 21,348 rows over 4,580 cases.
- The Anonymous Bank call log (Technion SEE Center, Guedj and Mandelbaum 2000), ``shared/data/
  anonymous_bank_february_1999.txt``: 33,344 calls, tab-separated.

The oracles below read the same files with the csv module and plain arithmetic.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime, timedelta

from cs8 import Channel
from cs8.io import read_event_log, read_interactions
from tests._data import shared_file

HELPDESK_ACTIVITIES = {
    "Assign seriousness": None,
    "Require upgrade": None,
    "Create SW anomaly": None,
    "Resolve SW anomaly": None,
    "Schedule intervention": None,
    "VERIFIED": "solved",
    "RESOLVED": "solved",
    "INVALID": "closed",
    "DUPLICATE": "closed",
}
SOLVING = {"Resolve ticket", "VERIFIED", "RESOLVED", "Closed", "INVALID", "DUPLICATE"}


def test_helpdesk_log_loads_every_case_with_mappings_alone() -> None:
    path = shared_file("helpdesk_eventlog.csv")
    result = read_event_log(
        path,
        case="case:concept:name",
        at="time:timestamp",
        activity="concept:name",
        resource="org:resource",
        values={"activity": HELPDESK_ACTIVITIES},
        constants={"customer_id": "unknown"},
    )
    assert (result.rows_read, result.events_read) == (4580, 21348)
    assert (len(result.records), result.rejected, result.rejected_events) == (4580, (), ())
    assert all(t.channel is Channel.OTHER for t in result.records)


def test_helpdesk_solve_times_match_the_raw_rows() -> None:
    path = shared_file("helpdesk_eventlog.csv")
    with path.open(newline="") as handle:
        rows = sorted(
            csv.DictReader(handle), key=lambda r: (r["case:concept:name"], r["time:timestamp"])
        )
    first: dict[str, datetime] = {}
    solved: dict[str, datetime] = {}
    for row in rows:
        case, at = row["case:concept:name"], datetime.fromisoformat(row["time:timestamp"])
        first.setdefault(case, at)
        if row["concept:name"] in SOLVING:
            solved.setdefault(case, at)
    result = read_event_log(
        path,
        case="case:concept:name",
        at="time:timestamp",
        activity="concept:name",
        resource="org:resource",
        values={"activity": HELPDESK_ACTIVITIES},
        constants={"customer_id": "unknown"},
    )
    got = {t.id: t.solved_at - t.created_at for t in result.records if t.solved_at}
    assert got == {case: solved[case] - first[case] for case in solved}


def _seconds(text: str) -> int:
    hours, minutes, seconds = (int(p) for p in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def _bank_oracle(path: object) -> Counter[str]:
    counts: Counter[str] = Counter()
    with open(str(path), newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            start = _seconds(row["vru_entry"])
            answered = None if row["ser_start"] == "0:00:00" else _seconds(row["ser_start"])
            end_text = next((row[c] for c in ("ser_exit", "q_exit") if row[c] != "0:00:00"), None)
            end = None if end_text is None else _seconds(end_text)
            if (answered is not None and answered < start) or (
                end is not None and (end < start or (answered is not None and end < answered))
            ):
                counts["rejected"] += 1
            elif answered is not None:
                counts["answered"] += 1
            elif end is not None:
                counts["abandoned"] += 1
            else:
                counts["left_in_menu"] += 1
    return counts


def test_bank_log_loads_with_mappings_alone() -> None:
    path = shared_file("anonymous_bank_february_1999.txt")
    none = ["0:00:00"]
    result = read_interactions(
        path,
        delimiter="\t",
        columns={
            "id": ("vru+line", "call_id"),
            "started_at": ("date", "vru_entry"),
            "answered_at": ("date", "ser_start"),
            "ended_at": [("date", "ser_exit"), ("date", "q_exit")],
            "agent_id": "server",
            "talk_time": "ser_time",
            "queue": "type",
        },
        missing={"ser_start": none, "ser_exit": none, "q_exit": none, "server": ["NO_SERVER"]},
        constants={"channel": "phone"},
        date_format="%y%m%d %H:%M:%S",
        timezone="Asia/Jerusalem",
    )
    oracle = _bank_oracle(path)
    assert result.rows_read == 33344
    assert len(result.rejected) == oracle["rejected"]
    assert sum(1 for i in result.records if i.answered) == oracle["answered"]
    assert sum(1 for i in result.records if i.abandoned) == oracle["abandoned"]
    assert all("before" in r.reason for r in result.rejected)
    first = result.records[0]
    # Line 2 of the file: AA0101 34536, 990201, vru_entry 7:02:47, ser_start 7:02:55, DORIT, 166 s.
    assert (first.id, first.agent_id, first.talk_time) == (
        "AA0101 34536",
        "DORIT",
        timedelta(seconds=166),
    )
    assert first.wait_time == timedelta(seconds=8)
