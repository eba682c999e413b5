"""Read the 4TU "Helpdesk" event log (an Italian software company's ticketing system, 2010-2014).

Source: 4TU.ResearchData, "Helpdesk" event log, doi:10.4121/uuid:0c60edf1-6f83-4e75-9367-4c63b3e9d5bb,
as exported by Disco (see ``../shared/data/README.md``).

Each row is one event of one case (ticket). A ticket is created at its first row's instant; the
activities map to cs8 events as follows: "Take in charge ticket" is an open status and an assignment
to the row's resource, "Wait" a pending status, "Require upgrade" an assignment to the group
``"upgrade"``, "Resolve ticket" a solve and "Closed" a close; other activities carry no status.
Rows of a case are ordered by instant, ties in file order.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from cs8 import Assignment, StatusChange, Ticket

ROME = "Europe/Rome"


def read_tickets(path: Path) -> list[Ticket]:
    """Return one ticket per case, in order of first appearance."""
    cases: dict[str, list[tuple[datetime, int, str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f)):
            at = datetime.fromisoformat(row["time:timestamp"])
            cases[row["case:concept:name"]].append(
                (at, line, row["concept:name"], row["org:resource"])
            )
    tickets: list[Ticket] = []
    for case, rows in cases.items():
        rows.sort()
        events: list[Assignment | StatusChange] = []
        for at, _, activity, resource in rows:
            if activity == "Take in charge ticket":
                events.append(StatusChange(at=at, status="open"))
                events.append(Assignment(at=at, agent_id=resource))
            elif activity == "Wait":
                events.append(StatusChange(at=at, status="pending"))
            elif activity == "Require upgrade":
                events.append(Assignment(at=at, agent_id=resource, group="upgrade"))
            elif activity == "Resolve ticket":
                events.append(StatusChange(at=at, status="solved"))
            elif activity == "Closed":
                events.append(StatusChange(at=at, status="closed"))
        tickets.append(
            Ticket(id=case, customer_id=case, channel="web", created_at=rows[0][0], events=events)
        )
    return tickets
