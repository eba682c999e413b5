"""Read the Anonymous Bank call log (Technion SEE Center, Feb 1999) for tests.

Source: Technion Service Enterprise Engineering Center, "Anonymous Bank" call-centre database,
documented by I. Guedj and A. Mandelbaum (2000); file copied from T. Miller, "Modeling Techniques in
Predictive Analytics" (github mtpa/mtpa). Acknowledgement: Technion SEE Center, Avi Mandelbaum.

Each line is one call. A call that queued (``q_start`` not ``0:00:00``) becomes an inbound phone
:class:`cs8.Interaction` that started when it joined the queue; ``AGENT`` calls were answered after
``q_time`` seconds and talked ``ser_time`` seconds, ``HANG`` calls abandoned after ``q_time``
seconds. Calls answered without queueing start and are answered at ``ser_start``. Calls that hung up
in the voice menu without queueing and ``PHANTOM`` calls are not offered to agents and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cs8 import Interaction

TZ = ZoneInfo("Asia/Jerusalem")
COLUMNS = [
    "vru_line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
]


@dataclass(frozen=True)
class Row:
    """One raw line of the log, with the fields the tests use."""

    call_id: str
    customer_id: str
    date: str
    queued: bool
    q_start: str
    q_time: int
    outcome: str
    ser_start: str
    ser_time: int


def read_rows(path: Path) -> list[Row]:
    """Return the raw rows of the call log."""
    rows: list[Row] = []
    with path.open(encoding="ascii", newline="") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        assert header == ["vru+line", *COLUMNS[1:]], header
        for line in f:
            cells = line.rstrip("\r\n").split("\t")
            if len(cells) != len(COLUMNS):
                continue
            v = dict(zip(COLUMNS, cells, strict=True))
            rows.append(
                Row(
                    call_id=v["call_id"],
                    customer_id=v["customer_id"],
                    date=v["date"],
                    queued=v["q_start"] != "0:00:00",
                    q_start=v["q_start"],
                    q_time=int(v["q_time"]),
                    outcome=v["outcome"],
                    ser_start=v["ser_start"],
                    ser_time=int(v["ser_time"]),
                )
            )
    return rows


def _at(date: str, clock: str) -> datetime:
    h, m, s = (int(x) for x in clock.split(":"))
    return datetime(
        1900 + int(date[:2]) + 100 * (int(date[:2]) < 50),
        int(date[2:4]),
        int(date[4:6]),
        h,
        m,
        s,
        tzinfo=TZ,
    )


def to_interactions(rows: list[Row]) -> list[Interaction]:
    """Return the calls offered to agents as interactions (see the module docstring)."""
    out: list[Interaction] = []
    for r in rows:
        if r.outcome == "AGENT":
            start = _at(r.date, r.q_start) if r.queued else _at(r.date, r.ser_start)
            wait = timedelta(seconds=r.q_time if r.queued else 0)
            talk = timedelta(seconds=r.ser_time)
            out.append(
                Interaction(
                    id=r.call_id,
                    customer_id=r.customer_id or "0",
                    channel="phone",
                    started_at=start,
                    answered_at=start + wait,
                    ended_at=start + wait + talk,
                    talk_time=talk,
                )
            )
        elif r.outcome == "HANG" and r.queued:
            start = _at(r.date, r.q_start)
            out.append(
                Interaction(
                    id=r.call_id,
                    customer_id=r.customer_id or "0",
                    channel="phone",
                    started_at=start,
                    ended_at=start + timedelta(seconds=r.q_time),
                )
            )
    return out
