"""Type-checked in CI: cs8.report used as a user would write it (also run by pytest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cs8 import Message, StatusChange, Ticket
from cs8.report import (
    Figure,
    Language,
    PillarScore,
    ScorecardTargets,
    ServiceData,
    ServiceReport,
    build_report,
    language,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def report() -> ServiceReport:
    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel="email",
        created_at=T0,
        events=[
            Message(at=T0 + timedelta(hours=1), author="agent"),
            StatusChange(at=T0 + timedelta(hours=2), status="solved"),
        ],
    )
    data = ServiceData(tickets=[ticket], timezone="Asia/Ho_Chi_Minh")
    return build_report(data, targets=ScorecardTargets(csat=0.9), period="month")


def first_figure() -> Figure:
    return report().tickets[1]


def speed() -> PillarScore:
    return report().scorecard[1]


def renderings() -> tuple[str, str, str, str]:
    done = report()
    return done.to_text(lang="vi"), done.to_markdown(), done.to_html(max_rows=10), done.to_json()


def vietnamese() -> Language:
    return language("vi")


def main() -> None:
    assert first_figure().value == 3600.0
    assert speed().pillar == "speed"
    assert all(renderings())
    assert vietnamese().number(1234.5) == "1.234,5"
