"""``cs8 report --engine duckdb``: the same numbers as the object path, bounded memory, clear errors.

The object path (``cs8 report FILES``) loads the files as cs8 records; the duckdb path reads the
same files in DuckDB. Every figure the duckdb report computes must equal the object report's
(same n, exclusions, values, exact quantiles), compared on the JSON numbers both emit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("narwhals")
pytest.importorskip("pyarrow")

import duckdb

from cs8.cli import main
from cs8.exceptions import LoadError
from cs8.report import ServiceTables, build_report, read_tables

ROOT = Path(__file__).resolve().parents[2]


def _report(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["report", *argv, "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _sample(folder: Path, *options: str) -> Path:
    assert main(["sample", str(folder), *options]) == 0
    return folder


def _same_numbers(engine: dict[str, Any], objects: dict[str, Any]) -> None:
    """Every figure the engine computed equals the object report's, and it computed them all."""
    assert (engine["engine"], objects["engine"]) == ("duckdb", "objects")
    assert objects["omitted"] == []
    assert engine["omitted"] == []
    keys = (
        "counts",
        "rejected",
        "start",
        "end",
        "periods",
        "buckets",
        "zone",
        "business",
        "backlog",
    )
    for key in (*keys, "staffing", "aht", "heatmaps", "staffing_plan", "journeys", "servqual"):
        assert engine[key] == objects[key], key
    for key in ("sla", "breaches", "at_risk", "scorecard", "words"):
        assert engine[key] == objects[key], key
    assert engine["words"]["flagged"]  # the customers' messages were read
    assert all(pillar["n"] for pillar in engine["scorecard"])  # every pillar measured
    assert engine["sla"]["rows"]  # the SLA clocks were evaluated, not both empty
    assert engine["staffing"]  # the Erlang lines were computed, not both empty
    assert engine["staffing_plan"]["channels"]  # and next week's plan
    assert engine["journeys"]["stages"][0]["entered"]  # and the customers' journeys
    assert any(day["open"] for day in engine["backlog"])
    assert [h["key"] for h in engine["heatmaps"]] == ["heat.arrivals", "heat.service_level"]
    for section in ("tickets", "contact", "surveys"):
        theirs = {f["key"]: f for f in objects[section]}
        assert engine[section], section
        assert [f["key"] for f in engine[section]] == list(theirs), section
        for figure in engine[section]:
            assert figure == theirs[figure["key"]], figure["key"]
    theirs = {s["key"]: s for s in objects["trends"]}
    assert len(engine["trends"]) == 7
    for series in engine["trends"]:
        assert series == theirs[series["key"]], series["key"]
    theirs = {b["dimension"]: b for b in objects["breakdowns"]}
    dimensions = ["channel", "priority", "segment", "agent", "team"]
    assert [b["dimension"] for b in engine["breakdowns"]] == dimensions
    for table in engine["breakdowns"]:
        assert table == theirs[table["dimension"]], table["dimension"]
        assert len(table["rows"]) > 1, table["dimension"]  # the tickets were told apart


@pytest.fixture(scope="module")
def quarter_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample quarter (``cs8 sample``'s default) as CSV files."""
    return _sample(tmp_path_factory.mktemp("quarter"))


@pytest.fixture(scope="module")
def small_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sample(tmp_path_factory.mktemp("small"), "--customers", "300", "--weeks", "3")


def test_duckdb_report_equals_objects_on_the_sample_quarter(
    quarter_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = _report(capsys, str(quarter_files), "--engine", "duckdb")
    objects = _report(capsys, str(quarter_files))
    _same_numbers(engine, objects)
    assert engine["counts"]["tickets"] > 3000  # the quarter, not an empty read


def test_monthly_periods_and_now_are_cut_alike(
    small_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ("--period", "month", "--now", "2026-07-20T00:00:00+07:00")
    engine = _report(capsys, str(small_files), *options, "--engine", "duckdb")
    objects = _report(capsys, str(small_files), *options)
    _same_numbers(engine, objects)


def test_heatmaps_and_staffing_lines_count_local_hours_across_a_dst_change(
    quarter_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The quarter read in America/Santiago, whose clocks went forward on 2026-09-06 (IANA
    # tzdata, southamerica: Chile's DST from the first Sunday of September), inside the data.
    zone = ZoneInfo("America/Santiago")
    before, after = datetime(2026, 8, 1, tzinfo=zone), datetime(2026, 9, 15, tzinfo=zone)
    assert before.utcoffset() != after.utcoffset()
    for path in quarter_files.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())  # no calendar.json: --timezone
    options = ("--timezone", "America/Santiago")
    engine = _report(capsys, str(tmp_path), *options, "--engine", "duckdb")
    objects = _report(capsys, str(tmp_path), *options)
    assert engine["zone"] == objects["zone"] == "America/Santiago"
    keys = ("heatmaps", "staffing", "aht", "contact", "surveys", "backlog", "breakdowns")
    for key in (*keys, "staffing_plan", "journeys", "sla", "scorecard"):
        assert engine[key] == objects[key], key
    # The listed instants are the same; their offsets are the session zone's on DuckDB.
    for key, at in (("breaches", "when"), ("at_risk", "when")):
        assert [{**r, at: datetime.fromisoformat(r[at])} for r in engine[key]] == [
            {**r, at: datetime.fromisoformat(r[at])} for r in objects[key]
        ], key
    theirs = {s["key"]: s for s in objects["trends"]}
    assert all(series == theirs[series["key"]] for series in engine["trends"])


def test_parquet_and_json_lines_give_the_csv_numbers(
    small_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    con = duckdb.connect()
    for path in small_files.glob("*.csv"):
        con.execute(
            f"COPY (SELECT * FROM read_csv('{path}', header = true)) "
            f"TO '{parquet / path.with_suffix('.parquet').name}' (FORMAT parquet)"
        )
    con.close()
    (parquet / "calendar.json").write_text((small_files / "calendar.json").read_text())
    # JSON Lines as cs8 writes them: each ticket holds its events.
    jsonl = _sample(tmp_path / "jsonl", "--customers", "300", "--weeks", "3", "--format", "jsonl")
    capsys.readouterr()
    csv = _report(capsys, str(small_files), "--engine", "duckdb")
    for folder in (parquet, jsonl):
        other = _report(capsys, str(folder), "--engine", "duckdb")
        for key in (
            "counts",
            "tickets",
            "trends",
            "breakdowns",
            "buckets",
            "contact",
            "surveys",
            "backlog",
            "staffing_plan",
            "journeys",
            "sla",
            "breaches",
            "scorecard",
        ):
            assert other[key] == csv[key], (folder.name, key)


def test_dirty_rows_are_left_out_as_the_loader_rejects_them(
    small_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tickets = (small_files / "tickets.csv").read_text().splitlines()
    events = (small_files / "events.csv").read_text().splitlines()
    tickets.append(tickets[1])  # a duplicate id: both rows go
    cells = tickets[3].split(",")
    cells[2] = ""  # a blank channel
    tickets[3] = ",".join(cells)
    early = tickets[5].split(",")[0]  # an event before the ticket's creation
    events.append(f"{early},message,2020-01-01T00:00:00+07:00,customer,C1,true,,,,,,hi,")
    _write(tmp_path / "tickets.csv", "\n".join(tickets) + "\n")
    _write(tmp_path / "events.csv", "\n".join(events) + "\n")
    _write(tmp_path / "calendar.json", (small_files / "calendar.json").read_text())
    engine = _report(capsys, str(tmp_path), "--engine", "duckdb")
    objects = _report(capsys, str(tmp_path))
    assert engine["rejected"] == 4  # the two duplicate rows, the blank one, the early one
    assert engine["counts"]["tickets"] == objects["counts"]["tickets"] == len(tickets) - 1 - 4
    theirs = {f["key"]: f for f in objects["tickets"]}
    assert all(f == theirs[f["key"]] for f in engine["tickets"])
    assert main(["report", str(tmp_path), "--engine", "duckdb"]) == 0
    assert "4 ticket rows were left out, as the loader would reject them" in capsys.readouterr().out


def test_the_backlog_counts_each_local_day_end_with_its_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Hand case (UTC): T1 solved at the very end of 2 March (an event at the instant counts,
    # as Ticket.status_at has it), reopened on 3 March and closed on 4 March; T2 merged (left
    # out, counted as merged); T3 pending then on hold (open throughout); T4 solved and closed
    # at one instant, created on 3 March.
    _write(
        tmp_path / "tickets.csv",
        "id,customer_id,channel,created_at,priority,merged_into\n"
        "T1,C1,email,2026-03-02T09:00:00Z,normal,\n"
        "T2,C2,email,2026-03-02T10:00:00Z,normal,T1\n"
        "T3,C3,chat,2026-03-02T11:00:00Z,high,\n"
        "T4,C4,web,2026-03-03T08:00:00Z,low,\n",
    )
    _write(
        tmp_path / "events.csv",
        EVENTS + "T1,status_change,2026-03-03T00:00:00Z,,,solved\n"
        "T1,status_change,2026-03-03T12:00:00Z,,,open\n"
        "T1,status_change,2026-03-04T12:00:00Z,,,closed\n"
        "T3,status_change,2026-03-02T12:00:00Z,,,pending\n"
        "T3,status_change,2026-03-03T12:00:00Z,,,on_hold\n"
        "T4,status_change,2026-03-03T09:00:00Z,,,solved\n"
        "T4,status_change,2026-03-03T09:00:00Z,,,closed\n",
    )
    engine = _report(capsys, str(tmp_path), "--engine", "duckdb", "--now", "2026-03-04T00:00:00Z")
    objects = _report(capsys, str(tmp_path), "--now", "2026-03-04T00:00:00Z")
    days = [(b["date"], b["open"]) for b in engine["backlog"]]
    # 2 Mar: T3 (T1 solved at midnight); 3 Mar: T1 reopened, T3; 4 Mar: T3 (T1 closed).
    assert days == [("2026-03-02", 1), ("2026-03-03", 2), ("2026-03-04", 1)]
    assert engine["backlog"] == objects["backlog"]
    opened = {f["key"]: f for f in engine["tickets"]}["kpi.open_at_end"]
    assert (opened["value"], opened["n"], opened["excluded"]) == (2, 4, {"merged": 1})
    assert opened == {f["key"]: f for f in objects["tickets"]}["kpi.open_at_end"]


def test_the_notes_name_every_section_left_out(
    small_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(small_files), "--engine", "duckdb"]) == 0
    text = capsys.readouterr().out
    assert "not computed on the duckdb engine" not in text  # every section has an engine form
    for drawn in (
        "S8 scorecard",
        "Continuous learning",
        "By agent",
        "By team",
        "Agents on the phones each hour",
        "Staffing plan for the week of",
        "Breaches (",
        "What customers wrote",
    ):
        assert drawn in text, drawn
    from cs8.report import ServiceReport
    from cs8.report._engine import LEAN, engine_report

    # The report without the sections that rebuild each ticket names them, in each language.
    with read_tables(
        {role: small_files / f"{role}.csv" for role in ("tickets", "events")},
        timezone="Asia/Ho_Chi_Minh",
    ) as tables:
        lean: ServiceReport = engine_report(tables, histories=False)
    assert lean.omitted == LEAN
    text = lean.to_text()
    assert "S8 scorecard: not computed on the duckdb engine" in text
    assert "What customers wrote: not computed on the duckdb engine" in text
    assert "Breaches (" not in text  # an omitted section is not drawn empty
    assert "không tính trên máy duckdb" in lean.to_text(lang="vi")


def test_read_tables_is_the_python_entry(small_files: Path) -> None:
    files = {role: small_files / f"{role}.csv" for role in ("tickets", "events", "surveys")}
    with read_tables(files, timezone="Asia/Ho_Chi_Minh") as tables:
        assert isinstance(tables, ServiceTables)
        report = build_report(tables)
    assert report.engine == "duckdb"
    assert dict(report.counts)["tickets"] == report.tickets[0].n > 0
    assert report.contact == ()  # no interactions file


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


TICKETS = "id,customer_id,channel,created_at,priority\n"
EVENTS = "ticket_id,type,at,author,public,status\n"


def test_a_value_duckdb_cannot_read_names_file_line_column_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(
        tmp_path / "tickets.csv",
        TICKETS + "T1,C1,email,2026-03-02T09:00:00Z,normal\nT2,C1,email,yesterday,normal\n",
    )
    _write(tmp_path / "events.csv", EVENTS + "T1,message,2026-03-02T09:10:00Z,agent,true,\n")
    assert main(["report", str(tmp_path), "--engine", "duckdb"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "tickets.csv: line 3, column 'created_at', cannot read 'yesterday'" in err


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    _write(tmp_path / "tickets.csv", "id,channel\nT1,email\n")
    with pytest.raises(LoadError, match=r"tickets.csv: no column 'created_at' for the tickets"):
        read_tables({"tickets": tmp_path / "tickets.csv"})


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "tickets.xlsx", "x")
    with pytest.raises(LoadError, match=r"tickets.xlsx: cannot tell the format"):
        read_tables({"tickets": path})


def test_a_bad_parquet_value_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "interactions.parquet"
    duckdb.sql("SELECT 'I1' AS id, 'soon' AS started_at, 'phone' AS channel").write_parquet(
        str(path)
    )
    with (
        read_tables({"interactions": path}) as tables,
        pytest.raises(LoadError, match=r"interactions.parquet: column 'started_at', .*'soon'"),
    ):
        build_report(tables)


def test_engine_options_the_duckdb_path_cannot_honour_are_refused(
    small_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rejected = str(tmp_path / "rejected.jsonl")
    assert main(["report", str(small_files), "--engine", "duckdb", "--rejected", rejected]) == 2
    assert "--rejected has no rows to write with --engine duckdb" in capsys.readouterr().err
    assert main(["report", "--engine", "duckdb"]) == 2
    assert "--engine duckdb reads files in cs8's shape" in capsys.readouterr().err


def test_running_out_of_memory_under_the_limit_is_one_line(
    small_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(small_files), "--engine", "duckdb", "--memory-limit", "1MB"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cs8: error: duckdb engine: Out of Memory Error")
    assert err.rstrip().endswith("(--memory-limit is 1MB: raise it)")
    assert err.count("\n") == 1


def test_without_duckdb_the_flag_names_the_extra(
    small_files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)
    assert main(["report", str(small_files), "--engine", "duckdb"]) == 2
    assert "cs8[duckdb]" in capsys.readouterr().err


def _benchmark(*options: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "report_duckdb.py"), *options, "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    runs: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return runs


def test_a_generated_larger_file_gives_the_object_numbers() -> None:
    runs = _benchmark("--tickets", "8000", "--objects")
    engine, objects = runs["duckdb (Parquet)"], runs["objects (CSV)"]
    assert engine["tickets"][0]["n"] == 8000
    assert engine["tickets"] == objects["tickets"]
    assert engine["backlog"] == objects["backlog"]
    assert engine["breakdowns"] == objects["breakdowns"]
    agents = {b["dimension"]: len(b["rows"]) for b in engine["breakdowns"]}["agent"]
    assert agents == 40  # the generated assignments were read
    for key in ("sla", "breaches", "breach_rows", "at_risk"):
        assert engine[key] == objects[key], key
    assert engine["breaches"] > 100  # the generated replies breach some first-reply targets
    assert runs["duckdb lean"]["breaches"] == 0


def test_memory_stays_bounded_on_events_far_larger_than_the_limit() -> None:
    """1.5 million events generated to Parquet, reported in a fresh process under 128 MB."""
    tickets = 250_000
    runs = _benchmark("--tickets", str(tickets), "--memory-limit", "128MB", "--lean")
    run = runs["duckdb lean"]
    assert run["tickets"][0]["n"] == tickets
    # DuckDB holds the 1.5 million events (about 110 MB in its own layout) under its 128 MB limit,
    # spilling past it; what grows with the data on the Python side is the per-ticket facts
    # (about 16 numbers a ticket) and the exact duration states, never the events. Measured:
    # about 330 MB over the process's start for 250,000 tickets; 6 million events (1,000,000
    # tickets) under 256 MB peaked at 881 MB (docs/engines.md).
    assert run["peak"] - run["before"] < 128 * 2**20 + 1_500 * tickets, run


def test_the_sla_section_streams_tickets_under_a_small_limit() -> None:
    """The SLA section's ordered stream of tickets and events, under 128 MB with spilling.

    DuckDB sorts the 140,000 rows under its limit (spilling past it); Python holds one batch of
    rebuilt tickets, the attainment counts and the listed rows (here about 4,600 breaches).
    """
    tickets = 20_000
    run = _benchmark("--tickets", str(tickets), "--memory-limit", "128MB")["duckdb (Parquet)"]
    assert run["sla"]["rows"][0]["figures"][0]["n"] == tickets  # every first reply measured
    assert run["peak"] - run["before"] < 128 * 2**20 + 1_500 * tickets + 2**28, run
