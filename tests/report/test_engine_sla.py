"""The duckdb engine's SLA section (:mod:`cs8.report._engine_sla`): its progress through the
streamed tickets, reported through the readers' one :class:`cs8.io._rows.Meter`, with the total
known from a count, and the same numbers with or without it."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("narwhals")
pytest.importorskip("pyarrow")

from cs8.cli import main
from cs8.exceptions import MissingExtraError
from cs8.report import build_report, read_tables
from tests._bars import Bar


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    assert main(["sample", str(folder), "--customers", "300", "--weeks", "2"]) == 0
    return folder


def _tickets(folder: Path) -> int:
    with (folder / "tickets.csv").open(newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


def test_the_report_reports_the_tickets_it_rebuilds_to_a_callable(files: Path) -> None:
    by_role = {role: files / f"{role}.csv" for role in ("tickets", "events", "customers")}
    seen: list[int] = []
    with read_tables(by_role, timezone="Asia/Ho_Chi_Minh", progress=seen.append) as tables:
        counted = build_report(tables)
    with read_tables(by_role, timezone="Asia/Ho_Chi_Minh") as tables:
        quiet = build_report(tables)
    n = _tickets(files)
    assert 0 < n < 1_000  # under 10,000: one report, at the end, of the whole count
    assert seen == [n]
    assert counted.sla.rows  # the clocks were evaluated
    assert counted.sla == quiet.sla  # the numbers do not depend on the bar


def _report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict[str, Any], str]:
    assert main(["report", *argv, "--engine", "duckdb", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    data: dict[str, Any] = json.loads(out)
    return data, err


def test_cli_progress_shows_a_bar_over_the_tickets_with_their_total(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet, err = _report(capsys, str(files))
    assert err == ""  # no bar unless asked
    shown, err = _report(capsys, str(files), "--progress")
    n = _tickets(files)
    # tqdm's text bar on stderr, complete (with unit_scale, 95 tickets are written "95.0")
    assert f"100%|██████████| {n:.1f}/{n:.1f} [" in err
    assert shown == quiet

    import tqdm.auto

    Bar.made = []
    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    _report(capsys, str(files), "--progress")
    assert Bar.made == [
        {
            "desc": "tickets (SLA section)",
            "unit": " tickets",
            "unit_scale": True,
            "total": n,
            "rows": n,
            "closed": True,
        }
    ]


def test_without_tqdm_the_error_names_the_progress_extra_before_any_work(
    files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now raises ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(MissingExtraError, match=r"cs8\[progress\]"):
        read_tables({"tickets": files / "tickets.csv"}, progress=True)
