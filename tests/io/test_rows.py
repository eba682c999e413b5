"""``progress=`` on every reader, through the one :class:`cs8.io._rows.Meter`: the count it
reports, the bar on stderr (tqdm) only when asked, the bar closed on errors too, and the error
naming the ``progress`` extra when tqdm is missing."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cs8.cli import main
from cs8.exceptions import LoadError, MissingExtraError
from cs8.io import (
    Dataset,
    read_chatwoot,
    read_event_log,
    read_freshdesk,
    read_intercom,
    read_jsm,
    read_servicenow,
    read_zammad,
    read_zendesk,
)
from cs8.io._rows import Meter
from tests._bars import Bar
from tests._data import shared_file


def _label(path: Path) -> str:
    """The bar's label: the path, its end when longer than 60 characters."""
    text = str(path)
    return text if len(text) <= 60 else "..." + text[-57:]


FIXTURES = Path(__file__).parent / "fixtures"

LOG = "case,at,activity,who\n" + "".join(
    f"C{i},2026-01-05 09:00,Insert ticket,\nC{i},2026-01-05 10:00,Resolve ticket,ann\n"
    for i in range(6_000)
)
"""12,000 rows: 6,000 cases of two rows each."""


def _log(source: Any, **options: Any) -> Any:
    return read_event_log(
        source,
        case="case",
        at="at",
        activity="activity",
        resource="who",
        constants={"customer_id": "c"},
        timezone="UTC",
        **options,
    )


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import tqdm.auto

    Bar.made = []
    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    return Bar.made


def test_the_meter_reports_every_10000_rows_and_the_last_count_once() -> None:
    seen: list[int] = []
    with Meter(seen.append, "x") as meter:
        meter.add(9_999)
        meter.add(2)  # passes 10,000: reports the count reached, 10,001
        meter.add(9_999)  # 20,000 exactly
    assert seen == [10_001, 20_000]  # not 20,000 twice


def test_an_empty_read_reports_zero_and_an_error_reports_nothing_more() -> None:
    seen: list[int] = []
    with Meter(seen.append, "x"):
        pass
    assert seen == [0]
    seen.clear()

    def failing_read() -> None:
        with Meter(seen.append, "x") as meter:
            meter.add(5)
            raise LoadError("bad")

    with pytest.raises(LoadError):
        failing_read()
    assert seen == []


def test_the_event_log_reports_its_rows(capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[int] = []
    result = _log(io.StringIO(LOG), progress=seen.append)
    assert (seen, result.events_read, len(result.records)) == ([10_000, 12_000], 12_000, 6_000)
    _log(io.StringIO(LOG))
    assert capsys.readouterr().err == ""  # no bar unless asked
    _log(io.StringIO(LOG), progress=True)
    assert "12.0k rows" in capsys.readouterr().err


def test_servicenow_reports_the_update_rows(bars: list[dict[str, Any]]) -> None:
    folder = FIXTURES / "servicenow"
    rows = sum(1 for line in (folder / "incident_event_log.csv").open() if line.strip()) - 1
    read_servicenow(folder, progress=True)
    assert bars == [
        {
            "desc": _label(folder / "incident_event_log.csv"),
            "unit": " rows",
            "unit_scale": True,
            "rows": rows,
            "closed": True,
        }
    ]


def _zendesk_seeds() -> Path:
    return shared_file("vendors/zendesk_dbt_seeds/seeds")


def _freshdesk() -> Path:
    return shared_file("vendors/freshdesk_api_fixtures/v2") / "search_tickets.json"


def _zammad() -> Path:
    return shared_file(
        "vendors/zammad_api_cassettes/decoded/"
        "TestAPI.test_tickets__00_GET_api_v1_tickets_page_1_per_page_10_expand_true.json"
    )


READS: dict[str, tuple[Callable[..., Dataset], Callable[[], Path]]] = {
    "chatwoot": (read_chatwoot, lambda: FIXTURES / "chatwoot"),
    "intercom": (read_intercom, lambda: FIXTURES / "intercom"),
    "jsm": (read_jsm, lambda: FIXTURES / "jsm"),
    "zendesk json": (read_zendesk, lambda: FIXTURES / "zendesk_incremental"),
    "zendesk csv": (read_zendesk, _zendesk_seeds),
    "freshdesk": (read_freshdesk, _freshdesk),
    "zammad": (read_zammad, _zammad),
}


@pytest.mark.parametrize("vendor", list(READS))
def test_a_vendor_read_counts_every_row_and_object_of_every_file(
    vendor: str, bars: list[dict[str, Any]]
) -> None:
    reader, where = READS[vendor]
    path = where()
    seen: list[int] = []
    ds = reader(path, progress=seen.append)
    assert seen == [sum(ds.rows_read.values())]
    assert bars == []  # a callback makes no bar
    reader(path, progress=True)
    assert bars == [
        {
            "desc": _label(path),
            "unit": " rows",
            "unit_scale": True,
            "rows": sum(ds.rows_read.values()),
            "closed": True,
        }
    ]


def test_a_vendor_read_shows_a_bar_on_stderr_only_when_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    read_chatwoot(FIXTURES / "chatwoot")
    assert capsys.readouterr().err == ""
    ds = read_chatwoot(FIXTURES / "chatwoot", progress=True)
    # tqdm with unit_scale writes 20 as "20.0" (the fixture holds fewer than 1,000 objects)
    assert f"{sum(ds.rows_read.values()):.1f} rows [" in capsys.readouterr().err


def test_a_failed_vendor_read_closes_its_bar(tmp_path: Path, bars: list[dict[str, Any]]) -> None:
    (tmp_path / "tickets.json").write_text(json.dumps([{"id": 1}]) + "\n]")
    with pytest.raises(LoadError):
        read_freshdesk(tmp_path, progress=True)
    assert [b["closed"] for b in bars] == [True]


@pytest.mark.parametrize(
    "read",
    [
        lambda: _log(io.StringIO(LOG), progress=True),
        lambda: read_servicenow(FIXTURES / "servicenow", progress=True),
        lambda: read_jsm(FIXTURES / "jsm", progress=True),
    ],
    ids=["event log", "servicenow", "vendor"],
)
def test_without_tqdm_the_error_names_the_progress_extra(
    read: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now raises ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(MissingExtraError, match=r"progress=True .*'tqdm'.*cs8\[progress\]"):
        read()


@pytest.mark.parametrize(
    ("source", "folder"),
    [("chatwoot", "chatwoot"), ("servicenow", "servicenow"), ("zendesk", "zendesk_incremental")],
)
def test_cli_progress_shows_a_bar_for_vendor_exports(
    source: str, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(FIXTURES / folder)
    assert main(["report", "--from", source, path, "--format", "json"]) == 0
    assert "rows/s]" not in capsys.readouterr().err  # a bar shows its rate
    assert main(["report", "--from", source, path, "--format", "json", "--progress"]) == 0
    assert "rows/s]" in capsys.readouterr().err


def test_cli_progress_shows_a_bar_for_an_event_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(LOG[: LOG.index("C50,")])  # 50 cases, 100 rows
    config = tmp_path / "log.toml"
    config.write_text(
        '[input]\ncase = "case"\nat = "at"\nactivity = "activity"\nresource = "who"\n'
        'timezone = "UTC"\nconstants = {customer_id = "c"}\n'
    )
    args = ["report", "--from", "event-log", str(log), "--config", str(config), "--format", "json"]
    assert main(args) == 0
    # Without --progress no bar, only the reader's warning ('Insert ticket' maps to no event).
    assert capsys.readouterr().err.splitlines() == [
        f"cs8: warning: {log}: rows whose activity maps to no event: 'Insert ticket' (50)"
    ]
    assert main([*args, "--progress"]) == 0
    assert ": 100 rows [" in capsys.readouterr().err  # the file's 100 rows
