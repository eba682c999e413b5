"""Fixes found by auditing issue 12's list on this branch: a stream's rows name "<stream>" (not
the object's repr) and a path's rows its whole path; the progress bar in the CLI
(``cs8 report --progress``) and in notebooks (tqdm.auto)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from cs8.cli import main
from cs8.exceptions import LoadError
from cs8.io import read_interactions, read_tickets

HEADER = "id,customer_id,channel,started_at,answered_at,ended_at\n"


def _calls(n: int) -> str:
    return HEADER + "".join(
        f"I{i},C1,phone,2026-01-05T09:00:00Z,2026-01-05T09:01:00Z,2026-01-05T09:05:00Z\n"
        for i in range(n)
    )


def test_a_streams_rejections_name_the_stream() -> None:
    tickets = io.StringIO("id,customer_id,channel,created_at\nT1,C1,email,2026-01-05T09:00:00Z\n")
    events = io.StringIO("ticket_id,type,at,status\nT1,status,2026-01-05T10:00:00Z,\n")
    result = read_tickets(tickets, events=events)
    # Before: the ticket's rejection named "<_io.StringIO object at 0x...>".
    assert [r.source for r in result.rejected] == ["<stream>"]
    assert [r.source for r in result.rejected_events] == ["<stream>"]
    assert result.source == "<stream>"


def test_a_paths_rows_name_its_whole_path(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(_calls(1) + "I0,C1,phone,bad,,\n")
    result = read_interactions(path)
    # Before: a pathlib.Path was named by its last part only ("calls.csv").
    assert result.source == str(path)
    assert {r.source for r in result.rejected} == {str(path)}


def test_cli_progress_shows_a_bar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "interactions.csv"
    path.write_text(_calls(50))
    main(["report", str(path), "--progress", "--format", "json"])
    assert "50.0 rows" in capsys.readouterr().err


def test_progress_uses_tqdm_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    import tqdm.auto

    made: list[dict[str, Any]] = []

    class Bar:
        def __init__(self, **kwargs: Any) -> None:
            made.append(kwargs)

        def update(self, n: int) -> None:
            made[-1]["rows"] = made[-1].get("rows", 0) + n

        def close(self) -> None:
            made[-1]["closed"] = True

    # tqdm.auto picks a notebook widget in Jupyter and a text bar elsewhere.
    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    read_interactions(io.StringIO(_calls(3)), progress=True)
    assert made == [
        {"desc": "<stream>", "unit": " rows", "unit_scale": True, "rows": 3, "closed": True}
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_named_with_the_encoding_to_pass(encoding: str) -> None:
    data = _calls(1).encode(encoding)
    with pytest.raises(LoadError, match=f"looks like UTF-16 .* encoding='{encoding}'"):
        read_interactions(io.BytesIO(data))
    assert len(read_interactions(io.BytesIO(data), encoding=encoding).records) == 1


def test_cli_reports_a_servicenow_log(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    fixture = Path(__file__).parent / "fixtures" / "servicenow"
    assert main(["report", "--from", "servicenow", str(fixture), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # INC0000101-103 load; INC0000104 has no caller (tests/io/fixtures/servicenow/README.md).
    assert (data["counts"]["tickets"], data["rejected"]) == (3, 1)
