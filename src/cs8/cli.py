"""The ``cs8`` command.

``cs8 report`` writes the KPI, SLA and S8 scorecard report of the bundled sample data;
``cs8 report FILES...`` does the same for your exports. ``--from`` says what the files are:

- ``cs8`` (default): CSV or JSON Lines files in cs8's shape. Each file's role comes from its
  name: ``tickets``, ``events`` (ticket events), ``interactions``, ``customers``, ``agents``,
  ``orders`` and ``surveys`` (or ``survey_responses``), e.g. ``tickets.csv``,
  ``2026-q3-events.jsonl``; a ``calendar.json`` (``{"timezone": ..., "hours": {"mon":
  [["08:00", "17:00"]]}, "holidays": [...]}``) gives the opening hours. A folder stands for its
  files.
- ``event-log``: one table of (case, instant, status or activity, ...) rows, read by
  ``cs8.io.read_event_log`` with the options of the config file's ``[input]`` table.
- ``zendesk``, ``freshdesk``, ``zammad``, ``chatwoot``, ``intercom``, ``jsm``,
  ``servicenow``: a vendor export, read by ``cs8.io.read_zendesk`` (and so on) into tickets,
  people, calendar and SLA policy.

``--config cs8.toml`` holds the column and value maps, the calendar, the SLA policy and the
scorecard targets (see :mod:`cs8.report._config`). ``--format`` is ``text``, ``markdown``,
``json`` (numbers as numbers) or ``html`` (one self-contained page); ``--lang`` is ``en`` or
``vi``; ``--period`` cuts the trends by ``week`` or ``month``. ``cs8 sample DIR`` writes the
sample data there in cs8's shape, to try the file route.

Failures (a missing or unreadable file, a file whose every row was rejected, an option the
reader does not take) end with one line on stderr naming the file and the problem, and exit
status 2. ``--rejected FILE`` writes the rejected rows as JSON Lines.

Example:
    >>> main(["report", "--customers", "60", "--weeks", "1", "--format", "json"])  # doctest: +ELLIPSIS
    {
      "title": "sample shop (seed 0)",
    ...
    0
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from cs8._models import Agent
from cs8.exceptions import Cs8Error, InvalidValueError, LoadError
from cs8.io._source import escape_controls
from cs8.report import ServiceData, available_languages
from cs8.report._config import ReportConfig, load_config
from cs8.sla import BusinessCalendar

__all__ = ["main"]

ROLES = (
    "tickets",
    "events",
    "interactions",
    "customers",
    "agents",
    "orders",
    "surveys",
    "calendar",
)
_VENDOR_READERS = {
    "zendesk": "read_zendesk",
    "freshdesk": "read_freshdesk",
    "zammad": "read_zammad",
    "chatwoot": "read_chatwoot",
    "intercom": "read_intercom",
    "jsm": "read_jsm",
    "servicenow": "read_servicenow",
}
SOURCES = ("cs8", "event-log", *_VENDOR_READERS)


def _role(path: Path) -> str | None:
    stem = path.name.lower()
    for suffix in (".csv", ".jsonl", ".ndjson", ".json", ".parquet"):
        stem = stem.removesuffix(suffix)
    if "survey" in stem:
        return "surveys"
    if "calendar" in stem:
        return "calendar"
    for role in ("events", "tickets", "interactions", "customers", "agents", "orders"):
        if role in stem or role.rstrip("s") == stem:
            return role
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cs8", description="Customer service by the numbers.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="write the KPI, SLA and S8 scorecard report",
        description="Write the KPI, SLA and S8 scorecard report of the sample data or of FILES.",
    )
    report.add_argument(
        "files", nargs="*", type=Path, help="exported files or a folder; none: the sample"
    )
    report.add_argument(
        "--from",
        dest="source",
        choices=SOURCES,
        default="cs8",
        help="what the files are (default: cs8's CSV or JSON Lines)",
    )
    report.add_argument(
        "--config",
        type=Path,
        default=None,
        help="TOML file: column and value maps, calendar, SLA policy, targets",
    )
    report.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    report.add_argument("--lang", choices=available_languages(), default="en")
    report.add_argument("--period", choices=("week", "month"), default="week")
    report.add_argument("--out", type=Path, default=None, help="write here instead of stdout")
    report.add_argument(
        "--rejected",
        type=Path,
        default=None,
        help="write the rejected input rows here (JSON Lines)",
    )
    report.add_argument(
        "--timezone", default=None, help="IANA zone of the data (files: default UTC)"
    )
    report.add_argument("--now", default=None, help="ISO instant to evaluate open SLA clocks at")
    report.add_argument(
        "--engine",
        choices=("objects", "duckdb"),
        default="objects",
        help="duckdb: read the files (CSV, JSON Lines, Parquet) in DuckDB with bounded memory "
        "(extra cs8[duckdb]); every section, the SLA clocks walked a batch of tickets at a time",
    )
    report.add_argument(
        "--memory-limit", default="1GB", help="duckdb engine: DuckDB's memory limit (1GB)"
    )
    report.add_argument(
        "--temp-directory", type=Path, default=None, help="duckdb engine: where DuckDB spills"
    )
    report.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on stderr while files load, or with --engine duckdb while "
        "the tickets are rebuilt (the progress extra: tqdm)",
    )
    report.add_argument("--seed", type=int, default=0, help="sample data: the seed")
    report.add_argument("--customers", type=int, default=3000, help="sample data: customers")
    report.add_argument("--weeks", type=int, default=13, help="sample data: weeks")
    sample = commands.add_parser("sample", help="write the sample data as files")
    sample.add_argument("directory", type=Path)
    sample.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--customers", type=int, default=3000)
    sample.add_argument("--weeks", type=int, default=13)
    return parser


@attrs.define
class _Loaded:
    """What was read: the data, and every rejected row with the file it came from."""

    data: ServiceData
    rejected: list[Any] = attrs.Factory(list)
    warnings: list[str] = attrs.Factory(list)


def _call(
    reader: Callable[..., Any],
    name: str,
    path: Path,
    options: dict[str, Any],
    config: Path | None,
    progress: bool = False,
) -> Any:
    """Call ``reader(path, **options)``, naming the config file when an option is not taken;
    with ``progress``, readers that read row by row show a bar (``progress=True``)."""
    params = inspect.signature(reader).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    if progress and (takes_any or "progress" in params):
        options = {"progress": True, **options}
    if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        unknown = sorted(set(options) - set(params))
        if unknown:
            where = f"{config}: [input]" if config else "options"
            raise InvalidValueError(
                f"{where} has {', '.join(unknown)}, which cs8.io.{name} does not take "
                f"(it takes: {', '.join(p for p in params if p != next(iter(params)))})"
            )
    if not path.exists():
        raise LoadError(f"{path}: file not found")
    try:
        return reader(path, **options)
    except UnicodeDecodeError as exc:
        encoding = options.get("encoding", "utf-8")
        raise LoadError(
            f"{path}: not {encoding} text (byte {exc.start}); set encoding in the config "
            'file\'s [input] table, e.g. encoding = "cp1258"'
        ) from exc
    except (csv.Error, RecursionError, OverflowError) as exc:
        raise LoadError(f"{path}: cannot be read: {exc}") from exc


def _check(result: Any, path: Path, loaded: _Loaded, what: str) -> tuple[Any, ...]:
    """Keep a LoadResult's rejected rows; fail when it read rows and kept none."""
    rejected = tuple(getattr(result, "rejected", ())) + tuple(
        getattr(result, "rejected_events", ())
    )
    loaded.rejected += rejected
    records = tuple(getattr(result, "records", ()))
    rows = getattr(result, "rows_read", len(records) + len(rejected))
    if rows and not records:
        first = f"; first: {rejected[0]}" if rejected else ""
        raise LoadError(
            f"{path}: all {len(rejected) or rows} {what} rows were rejected{first} "
            "(write them all with --rejected FILE)"
        )
    if rejected:
        loaded.warnings.append(
            f"{path}: {len(rejected)} rejected rows, first: {rejected[0]} "
            "(write them all with --rejected FILE)"
        )
    loaded.warnings += [f"{path}: {warning}" for warning in getattr(result, "warnings", ())]
    return records


def _expand(files: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for path in files:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.is_file() and _role(p) is not None)
        else:
            out.append(path)
    return out


def _by_role(files: Sequence[Path]) -> dict[str, Path]:
    """Each file (a folder: its files) under the role its name says."""
    by_role: dict[str, Path] = {}
    for path in _expand(files):
        role = _role(path)
        if role is None:
            raise LoadError(
                f"cannot tell what {path} holds: name it after one of {', '.join(ROLES)}"
            )
        if role in by_role:
            raise LoadError(f"two files for {role}: {by_role[role]} and {path}")
        by_role[role] = path
    return by_role


def _load_cs8(files: Sequence[Path], config: ReportConfig, args: argparse.Namespace) -> _Loaded:
    import cs8.io as io

    by_role = _by_role(files)
    calendar = _read_calendar(by_role["calendar"]) if "calendar" in by_role else None
    timezone = args.timezone or (calendar.timezone if calendar is not None else "UTC")
    if "events" in by_role and "tickets" not in by_role:
        raise LoadError(f"{by_role['events']} holds ticket events, but no tickets file was given")
    roles = frozenset(ROLES)
    loaded = _Loaded(data=ServiceData())
    found: dict[str, Any] = {}

    def options(role: str) -> dict[str, Any]:
        return {"timezone": timezone, **config.reader_options(role, roles)}

    if "tickets" in by_role:
        path = by_role["tickets"]
        result = _call(
            _with_events(io.read_tickets, by_role.get("events")),
            "read_tickets",
            path,
            options("tickets"),
            args.config,
            args.progress,
        )
        found["tickets"] = _check(result, path, loaded, "ticket")
    readers: dict[str, tuple[str, Callable[..., Any]]] = {
        "interactions": ("read_interactions", io.read_interactions),
        "customers": ("read_customers", io.read_customers),
        "orders": ("read_orders", io.read_orders),
        "surveys": ("read_survey_responses", io.read_survey_responses),
        "agents": ("read_records", lambda p, **kw: io.read_records(Agent, p, **kw)),
    }
    for role, (name, reader) in readers.items():
        if role in by_role:
            result = _call(reader, name, by_role[role], options(role), args.config, args.progress)
            found[role] = _check(result, by_role[role], loaded, role.rstrip("s"))
    data = ServiceData(
        source=", ".join(str(p) for p in files),
        timezone=timezone,
        business_calendar=calendar,
        rejected=len(loaded.rejected),
    )
    loaded.data = attrs.evolve(data, **found)
    return loaded


def _with_events(reader: Callable[..., Any], events: Path | None) -> Callable[..., Any]:
    """``read_tickets`` with its events file bound (keeps the reader's signature for checks)."""
    if events is None:
        return reader

    def bound(source: Path, **options: Any) -> Any:
        return reader(source, events, **options)

    bound.__signature__ = inspect.signature(reader)  # type: ignore[attr-defined]
    return bound


def _load_other(files: Sequence[Path], config: ReportConfig, args: argparse.Namespace) -> _Loaded:
    import cs8.io as io

    name = "read_event_log" if args.source == "event-log" else _VENDOR_READERS[args.source]
    reader = getattr(io, name)
    if len(files) != 1:
        raise InvalidValueError(f"--from {args.source} reads one file or folder, got {len(files)}")
    path = files[0]
    loaded = _Loaded(data=ServiceData())
    options = config.reader_options(None, frozenset())
    result = _call(reader, name, path, options, args.config, args.progress)
    if args.source == "event-log":
        tickets = _check(result, path, loaded, "event")
        loaded.data = ServiceData(
            tickets=tickets,
            source=str(path),
            timezone=args.timezone or "UTC",
            rejected=len(loaded.rejected),
        )
        return loaded
    loaded.rejected += list(getattr(result, "rejected", ()))
    loaded.data = ServiceData.from_dataset(result)
    if not loaded.data.tickets and not loaded.data.interactions:
        first = f"; first rejected: {loaded.rejected[0]}" if loaded.rejected else ""
        raise LoadError(f"{path}: no tickets or contacts were read{first} (see --rejected FILE)")
    if loaded.rejected:
        loaded.warnings.append(
            f"{path}: {len(loaded.rejected)} rows rejected, first: "
            f"{loaded.rejected[0]} (write them all with --rejected FILE)"
        )
    loaded.warnings += [f"{path}: {warning}" for warning in getattr(result, "warnings", ())]
    return loaded


def _read_calendar(path: Path) -> BusinessCalendar:
    """Read a calendar file: a BusinessCalendar's JSON data form (``cs8 sample`` writes one)."""
    from cs8.serialization import from_data

    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LoadError(f"{path} is not valid JSON: {exc}") from exc
    try:
        return from_data(spec, BusinessCalendar)
    except Cs8Error as exc:
        raise LoadError(f"{path}: {exc}") from exc


def _write_rejected(rows: Sequence[Any], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            record = {
                "source": getattr(row, "source", None),
                "line": getattr(row, "line", None),
                "column": getattr(row, "column", None),
                "value": getattr(row, "value", None),
                "reason": getattr(row, "reason", str(row)),
                "row": dict(getattr(row, "row", {}) or {}),
            }
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def _open_tables(config: ReportConfig, args: argparse.Namespace) -> Any:
    """The files as DuckDB relations (``--engine duckdb``): cs8's column names, any format."""
    from cs8.report import read_tables

    if args.source != "cs8" or not args.files:
        raise InvalidValueError(
            "--engine duckdb reads files in cs8's shape (--from cs8): give the files or a folder"
        )
    if args.rejected is not None:
        raise InvalidValueError(
            "--rejected has no rows to write with --engine duckdb: a value DuckDB cannot read "
            "stops the report with its file, line and column"
        )
    if any(config.reader_options(role, frozenset(ROLES)) for role in ROLES):
        raise InvalidValueError(
            f"{args.config}: [input] options (column and value maps) are not applied by "
            "--engine duckdb; write the files in cs8's column names"
        )
    by_role = _by_role(args.files)
    calendar = config.calendar
    if "calendar" in by_role:
        found = _read_calendar(by_role.pop("calendar"))
        calendar = calendar or found
    return read_tables(
        by_role,
        timezone=args.timezone or (calendar.timezone if calendar is not None else "UTC"),
        calendar=calendar,
        memory_limit=args.memory_limit,
        temp_directory=args.temp_directory,
        source=", ".join(str(p) for p in args.files),
        progress=args.progress,
    )


def _engine_report(config: ReportConfig, args: argparse.Namespace) -> Any:
    """The report computed in DuckDB; a DuckDB error becomes one cs8 error line."""
    from cs8._optional import require
    from cs8.report import build_report

    duckdb = require("duckdb", "duckdb", "cs8 report --engine duckdb")
    try:
        with _open_tables(config, args) as tables:
            return build_report(
                tables,
                now=datetime.fromisoformat(args.now) if args.now else None,
                policy=config.policy,
                targets=config.targets,
                period=args.period,
                staffing=config.staffing,
            )
    except duckdb.Error as exc:
        text = _one_line(exc).split(" LINE ")[0].split(" Possible solutions")[0]
        if isinstance(exc, duckdb.OutOfMemoryException):
            text += f" (--memory-limit is {args.memory_limit}: raise it)"
        raise Cs8Error(f"duckdb engine: {text}") from exc


def _report(args: argparse.Namespace) -> int:
    config = load_config(args.config) if args.config else ReportConfig()
    loaded = _Loaded(data=ServiceData())
    if args.engine == "duckdb":
        report = _engine_report(config, args)
    else:
        report = _object_report(config, args, loaded)
    render: dict[str, Callable[[], str]] = {
        "text": lambda: report.to_text(lang=args.lang),
        "markdown": lambda: report.to_markdown(lang=args.lang),
        "json": report.to_json,
        "html": lambda: report.to_html(lang=args.lang),
    }
    text = render[args.format]()
    if args.out is not None:
        args.out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        print(text)
        sys.stdout.flush()
    for warning in loaded.warnings:
        print(f"cs8: warning: {_terminal(warning)}", file=sys.stderr)
    return 0


def _object_report(config: ReportConfig, args: argparse.Namespace, loaded: _Loaded) -> Any:
    """The report of the records loaded as cs8 objects (the sample when no files are given)."""
    from cs8.report import build_report

    if args.files:
        loader = _load_cs8 if args.source == "cs8" else _load_other
        found = loader(args.files, config, args)
    else:
        from cs8.datasets import sample_shop

        shop = sample_shop(args.seed, n_customers=args.customers, weeks=args.weeks)
        found = _Loaded(data=ServiceData.from_shop(shop))
    loaded.data, loaded.rejected, loaded.warnings = found.data, found.rejected, found.warnings
    data = loaded.data
    if config.calendar is not None:
        data = attrs.evolve(data, business_calendar=config.calendar)
    if args.rejected is not None:
        _write_rejected(loaded.rejected, args.rejected)
    now = datetime.fromisoformat(args.now) if args.now else None
    return build_report(
        data,
        now=now,
        policy=config.policy,
        targets=config.targets,
        period=args.period,
        staffing=config.staffing,
    )


def _sample(args: argparse.Namespace) -> int:
    from cs8.datasets import sample_shop
    from cs8.io import write_records, write_tickets

    shop = sample_shop(args.seed, n_customers=args.customers, weeks=args.weeks)
    out: Path = args.directory
    out.mkdir(parents=True, exist_ok=True)
    ext = args.format
    if ext == "csv":
        write_tickets(shop.tickets, out / "tickets.csv", out / "events.csv")
    else:
        write_tickets(shop.tickets, out / "tickets.jsonl")
    for name, records in (
        ("customers", shop.customers),
        ("agents", shop.agents),
        ("interactions", shop.interactions),
        ("orders", shop.orders),
        ("surveys", shop.surveys),
    ):
        write_records(records, out / f"{name}.{ext}")
    calendar = {
        "timezone": shop.timezone,
        "hours": {day: [list(span) for span in spans] for day, spans in shop.hours},
        "holidays": [d.isoformat() for d in shop.holidays],
    }
    (out / "calendar.json").write_text(json.dumps(calendar, indent=2), encoding="utf-8")
    print(f"wrote {shop.summary()} to {out}")
    return 0


def _one_line(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.filename is not None:
        text = f"{exc.filename}: {exc.strerror or text}"
    return _terminal(text)


def _terminal(text: str) -> str:
    """``text`` on one line, control characters escaped (cs8's messages escape the data they
    quote; this also covers a path, or a message from elsewhere, on its way to stderr)."""
    return escape_controls(" ".join(text.split()))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cs8`` command with ``argv`` (default: the process arguments); return the exit code.

    Example:
        >>> main(["report", "--customers", "40", "--weeks", "1"])  # doctest: +ELLIPSIS
        Customer service report: sample shop (seed 0)
        ...
        0
    """
    args = _parser().parse_args(argv)
    try:
        if args.command == "report":
            return _report(args)
        return _sample(args)
    except BrokenPipeError:
        # The reader went away (``cs8 report | head``): stop quietly, as Python's docs advise,
        # pointing stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (Cs8Error, OSError) as exc:
        print(f"cs8: error: {_one_line(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
