"""The cs8 command: the report on the sample, the sample written as files, and clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cs8.cli import main


def test_report_on_the_sample_prints_the_scorecard(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--customers", "200", "--weeks", "2"]) == 0
    out = capsys.readouterr().out
    assert "S8 scorecard" in out
    assert "continuous learning" in out


def test_report_from_written_files_matches_the_report_in_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sample", str(tmp_path), "--customers", "300", "--weeks", "3"]) == 0
    capsys.readouterr()
    main(["report", "--customers", "300", "--weeks", "3", "--now", "2026-07-27T00:00:00+07:00"])
    in_memory = capsys.readouterr().out
    files = sorted(str(p) for p in tmp_path.iterdir())
    main(["report", *files, "--now", "2026-07-27T00:00:00+07:00"])
    from_files = capsys.readouterr().out

    def section(text: str, name: str) -> str:
        return text.split(name, 1)[1].split("\n\n", 1)[0]

    for name in ("Tickets", "Surveys", "SLA (standard policy"):
        assert section(from_files, name) == section(in_memory, name)


def test_jsonl_sample_files_load_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["sample", str(tmp_path), "--format", "jsonl", "--customers", "100", "--weeks", "1"])
    capsys.readouterr()
    assert main(["report", *sorted(str(p) for p in tmp_path.iterdir())]) == 0
    captured = capsys.readouterr()
    assert "S8 scorecard" in captured.out
    assert "rejected" not in captured.err


def test_unknown_file_role_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "stuff.csv"
    path.write_text("a\n1\n")
    assert main(["report", str(path)]) == 2
    assert "cannot tell what" in capsys.readouterr().err


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "tickets.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_console_script_runs_as_a_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "cs8.cli", "report", "--customers", "50", "--weeks", "1"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout.startswith("cs8 service report")
