"""``cs8 report --from chatwoot|intercom|jsm|zendesk`` on the hand-built fixtures (tests/io/fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cs8.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("source", "folder", "tickets"),
    [
        ("chatwoot", "chatwoot", 3),
        ("intercom", "intercom", 2),
        ("jsm", "jsm", 2),  # SD-1 is repeated (objects 1 and 4): both copies rejected
        ("zendesk", "zendesk_incremental", 2),
    ],
)
def test_vendor_fixtures_report(
    source: str, folder: str, tickets: int, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "--from", source, str(FIXTURES / folder), "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["tickets"] == tickets
