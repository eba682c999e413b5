"""Data reaches a terminal escaped: the report's text, Markdown and HTML, and the cs8 command.

Issue 12: ids, names, teams and groups come from files, and a ``\\x1b[2J`` in one of them would
clear the screen of whoever prints the report (``cs8 report`` prints to stdout).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cs8 import Agent, Assignment, Customer, SerializationError, Ticket
from cs8.cli import main
from cs8.report import ServiceData, build_report
from cs8.serialization import from_data

BAD = "\x1b[2J\x07"
T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _report_data() -> ServiceData:
    tickets = [
        Ticket(
            id=f"T{i}{BAD}",
            customer_id=f"C{BAD}",
            channel="web",
            created_at=T0 + timedelta(hours=i),
            category=f"cat{BAD}",
            events=[Assignment(at=T0 + timedelta(hours=i, minutes=1), agent_id=f"A{BAD}")],
        )
        for i in range(12)
    ]
    return ServiceData(
        tickets=tickets,
        agents=[Agent(id=f"A{BAD}", team=f"team{BAD}")],
        customers=[Customer(id=f"C{BAD}")],
        timezone="UTC",
        source=f"export{BAD}",
    )


@pytest.mark.parametrize("form", ["to_text", "to_markdown", "to_html"])
def test_the_report_escapes_control_characters_from_the_data(form: str) -> None:
    out = getattr(build_report(_report_data()), form)()
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\\x1b[2J\\x07" in out  # shown, not dropped: the team and the ticket ids
    if form == "to_text":
        assert "team\\x1b[2J\\x07" in out


def test_the_cli_prints_data_and_warnings_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(
        "id,customer_id,channel,created_at\n"
        f"T1{BAD},C1,web,2026-01-05T09:00:00+00:00\n"
        f"T2,C1,web,yester{BAD}day\n",
        encoding="utf-8",
    )
    assert main(["report", str(path)]) == 0
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "\x1b" not in stream
        assert "\x07" not in stream
    assert "T1\\x1b[2J\\x07" in captured.out  # the ticket id, in the SLA lists
    assert "yester\\x1b[2J\\x07day" in captured.err  # the rejected row's value


def test_from_data_escapes_a_key_it_names() -> None:
    # cattrs names unknown keys as they are ("extra fields found (...)").
    with pytest.raises(SerializationError) as caught:
        from_data({"id": "C1", BAD: 1}, Customer)
    assert "\x1b" not in str(caught.value)
    assert "\\x1b[2J" in str(caught.value)
