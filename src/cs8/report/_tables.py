"""A report's files opened as DuckDB relations, for data larger than memory.

:func:`read_tables` opens cs8's ticket, event, interaction, survey and customer files (CSV, JSON
Lines or Parquet, told by the extension) on one DuckDB connection with a memory limit and a spill
directory. Each column is read with the type the loaders give it (instants as
``TIMESTAMPTZ``, naive text in the data's zone), so a value the loaders would refuse fails
here too; :func:`load_errors` turns DuckDB's error into a :class:`~cs8.exceptions.LoadError`
naming the file, line, column and value where DuckDB reports them.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from cs8._optional import require
from cs8.exceptions import LoadError
from cs8.sla import BusinessCalendar

if TYPE_CHECKING:
    from cs8.io._rows import Progress

__all__ = ["ServiceTables", "load_errors", "read_tables"]

_T, _TEXT, _INT, _REAL = "TIMESTAMPTZ", "VARCHAR", "BIGINT", "DOUBLE"

# The columns each role's loader reads, with the type it reads them as (cs8.io's schema); other
# columns of a file are left unread. Flags stay text: the fold reads true/false/yes/no/1/0.
SCHEMAS: Mapping[str, Mapping[str, str]] = {
    "tickets": {
        "id": _TEXT,
        "customer_id": _TEXT,
        "channel": _TEXT,
        "created_at": _T,
        "priority": _TEXT,
        "category": _TEXT,
        "language": _TEXT,
        "created_by": _TEXT,
        "merged_into": _TEXT,
    },
    "events": {
        "ticket_id": _TEXT,
        "type": _TEXT,
        "at": _T,
        "author": _TEXT,
        "author_id": _TEXT,
        "public": _TEXT,
        "status": _TEXT,
        "priority": _TEXT,
        "agent_id": _TEXT,
        "group": _TEXT,
        "text": _TEXT,
    },
    "interactions": {
        "id": _TEXT,
        "customer_id": _TEXT,
        "channel": _TEXT,
        "started_at": _T,
        "answered_at": _T,
        "ended_at": _T,
        "direction": _TEXT,
        "handled_by": _TEXT,
        "agent_id": _TEXT,
        "ticket_id": _TEXT,
        "talk_time": _REAL,
        "hold_time": _REAL,
        "wrap_time": _REAL,
        "proactive": _TEXT,
        "previous_id": _TEXT,
        "sentiment": _REAL,
        "transcript": _TEXT,
    },
    "surveys": {
        "kind": _TEXT,
        "score": _INT,
        "at": _T,
        "customer_id": _TEXT,
        "ticket_id": _TEXT,
        "channel": _TEXT,
    },
    "customers": {"id": _TEXT, "segment": _TEXT},
    "agents": {"id": _TEXT, "team": _TEXT, "languages": _TEXT},
    "orders": {"id": _TEXT, "customer_id": _TEXT, "at": _T, "amount": _REAL},
}

_SETS = frozenset({"languages"})
"""Columns holding a set of text (a list in JSON Lines)."""

REQUIRED: Mapping[str, tuple[str, ...]] = {
    "tickets": ("id", "created_at"),
    "events": ("ticket_id", "type", "at"),
    "interactions": ("started_at",),
    "surveys": ("kind", "score"),
    "customers": ("id",),
    "agents": ("id",),
    "orders": ("id",),
}
"""Columns without which a role's file cannot be read (the loaders' required fields)."""

_FORMATS = {
    ".csv": "csv",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".parquet": "parquet",
}


@attrs.frozen(kw_only=True)
class ServiceTables:
    """A report's files as DuckDB relations on one connection (the engine form of ServiceData).

    Made by :func:`read_tables`; :func:`cs8.report.build_report` takes it in place of a
    :class:`~cs8.report.ServiceData` and computes the report inside DuckDB. The relations are
    lazy: nothing is read until a section asks. The connection is a resource that changes state
    (not thread-safe): use one from one thread, and :meth:`close` it (or use ``with``).

    Attributes:
        connection: The DuckDB connection the relations live on.
        relations: Role (``tickets``, ``events``, ``interactions``, ``surveys``, ``customers``)
            -> relation with the loaders' column names and types.
        paths: Role -> the file it was read from (named in errors).
        timezone: The data's IANA zone (naive instants are read in it).
        business_calendar: Opening hours, when known.
        source: What the data is, for the report's header.
        progress: How the report shows its progress through the tickets it rebuilds from
            their rows (see :func:`read_tables`).

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "surveys.csv").write_text("kind,score\\ncsat,5\\nnps,9\\n")
        >>> with read_tables({"surveys": folder / "surveys.csv"}) as tables:
        ...     tables.relations["surveys"].columns, tables.calendar().timezone
        (['kind', 'score'], 'UTC')
    """

    connection: Any
    relations: Mapping[str, Any]
    paths: Mapping[str, Path]
    timezone: str = "UTC"
    business_calendar: BusinessCalendar | None = None
    source: str = "data"
    progress: Progress = False

    def calendar(self) -> BusinessCalendar:
        """The business calendar (24/7 in the data's zone when no hours are known)."""
        if self.business_calendar is not None:
            return self.business_calendar
        return BusinessCalendar.always_open(timezone=self.timezone)

    def close(self) -> None:
        """Close the connection (the relations can no longer be read)."""
        self.connection.close()

    def __enter__(self) -> ServiceTables:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _format(path: Path) -> str:
    found = _FORMATS.get(path.suffix.lower())
    if found is None:
        raise LoadError(
            f"{path}: cannot tell the format from the extension {path.suffix!r} on the duckdb "
            f"engine; use one of {', '.join(sorted(_FORMATS))}"
        )
    return found


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _struct(columns: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in columns.items()) + "}"


def _present(con: Any, path: Path, fmt: str) -> list[str]:
    """The file's column names, in order (read from its header, schema or first records)."""
    source = {
        "csv": f"read_csv({_quote(str(path))}, header = true, all_varchar = true)",
        "json": f"read_json({_quote(str(path))}, format = 'newline_delimited')",
        "parquet": f"read_parquet({_quote(str(path))})",
    }[fmt]
    with load_errors(path):
        return [str(row[0]) for row in con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()]


def _relation(con: Any, role: str, path: Path) -> Any:
    fmt = _format(path)
    schema = SCHEMAS[role]
    present = _present(con, path, fmt)
    missing = [c for c in REQUIRED[role] if c not in present]
    if missing:
        raise LoadError(
            f"{path}: no column {missing[0]!r} for the {role} (columns: {', '.join(present)})"
        )
    kept = [c for c in present if c in schema]
    file = _quote(str(path))
    if fmt == "csv":
        types = {c: schema.get(c, _TEXT) for c in present}
        source = f"read_csv({file}, header = true, columns = {_struct(types)})"
        select = ", ".join(_ident(c) for c in kept)
    elif fmt == "json":
        # A set (an agent's languages) is a JSON list there and "vi;en" text in CSV (the cell
        # form the loaders read): the list is read as such and joined into that text.
        types = {c: "VARCHAR[]" if c in _SETS else schema[c] for c in kept}
        source = f"read_json({file}, format = 'newline_delimited', columns = {_struct(types)})"
        select = ", ".join(
            f"array_to_string({_ident(c)}, ';') AS {_ident(c)}" if c in _SETS else _ident(c)
            for c in kept
        )
    else:
        source = f"read_parquet({file})"
        select = ", ".join(f"CAST({_ident(c)} AS {schema[c]}) AS {_ident(c)}" for c in kept)
    with load_errors(path):
        return con.sql(f"SELECT {select} FROM {source}")


def _nested_events(con: Any, path: Path) -> Any | None:
    """The events held in the tickets' JSON Lines (``events`` lists, as cs8 writes them)."""
    if "events" not in _present(con, path, "json"):
        return None
    schema = SCHEMAS["events"]
    fields = ", ".join(f"{_ident(c)} {t}" for c, t in schema.items() if c != "ticket_id")
    columns = {"id": _TEXT, "events": f"STRUCT({fields})[]"}
    source = f"read_json({_quote(str(path))}, format = 'newline_delimited', columns = {_struct(columns)})"
    picked = ", ".join(f"e.{_ident(c)} AS {_ident(c)}" for c in schema if c != "ticket_id")
    with load_errors(path):
        return con.sql(
            f"SELECT id AS ticket_id, {picked} FROM (SELECT id, unnest(events) AS e FROM {source})"
        )


def read_tables(
    files: Mapping[str, Path | str],
    *,
    timezone: str = "UTC",
    calendar: BusinessCalendar | None = None,
    memory_limit: str = "1GB",
    temp_directory: Path | str | None = None,
    threads: int | None = None,
    source: str | None = None,
    progress: Progress = False,
) -> ServiceTables:
    """Open a report's files as DuckDB relations with bounded memory.

    Args:
        files: Role -> file: ``tickets``, ``events``, ``interactions``, ``surveys``,
            ``customers``; each CSV (``.csv``), JSON Lines (``.jsonl``, ``.ndjson``, ``.json``)
            or Parquet (``.parquet``) in cs8's column names (as ``cs8 sample`` writes them).
            Tickets in JSON Lines may hold their events (an ``events`` list per ticket, as
            :func:`cs8.io.write_tickets` writes them) instead of an events file.
        timezone: IANA zone of the data: instants without an offset are read in it.
        calendar: Opening hours (business durations are then also reported).
        memory_limit: DuckDB's ``memory_limit`` (``"1GB"``, ``"512MB"``): past it DuckDB spills.
        temp_directory: Where DuckDB spills (default: DuckDB's own, next to the process).
        threads: DuckDB's worker threads (default: DuckDB's choice, one per core).
        source: What the data is, for the header (default: the file names).
        progress: ``True`` for a progress bar over the tickets the report rebuilds from their
            rows (the SLA section streams every ticket with its events; the bar knows their
            number, needs ``tqdm``, the ``progress`` extra), or a callable given the tickets
            rebuilt so far, every 10,000 tickets and at the end. The relations are lazy, so
            the bar shows while :func:`cs8.report.build_report` runs, not here.

    Returns:
        The relations on one connection; nothing is read but the files' headers.

    Raises:
        LoadError: A file is missing, has an unknown extension, lacks a required column, or
            holds a role this engine does not read.
        MissingExtraError: If duckdb or narwhals is not installed (extra ``duckdb``), or
            ``progress`` is ``True`` and tqdm is not (extra ``progress``).

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "tickets.csv").write_text("id,created_at\\nT1,2026-03-02T09:00:00\\n")
        >>> with read_tables({"tickets": folder / "tickets.csv"}, timezone="Asia/Tokyo") as t:
        ...     t.relations["tickets"].fetchall()[0][1].isoformat()
        '2026-03-02T09:00:00+09:00'
    """
    duckdb = require("duckdb", "duckdb", "cs8 report --engine duckdb")
    for module in ("narwhals", "numpy", "pyarrow"):
        require(module, "duckdb", "cs8 report --engine duckdb")
    if progress is True:  # before any work, as the readers do
        require("tqdm", "progress", "progress=True")
    unknown = sorted(set(files) - set(SCHEMAS))
    if unknown:
        raise LoadError(
            f"the duckdb engine reads {', '.join(SCHEMAS)}; not {', '.join(unknown)} "
            f"({files[unknown[0]]})"
        )
    if "events" in files and "tickets" not in files:
        raise LoadError(f"{files['events']} holds ticket events, but no tickets file was given")
    paths = {role: Path(p) for role, p in files.items()}
    for path in paths.values():
        if not path.is_file():
            raise LoadError(f"{path}: no such file")
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = {_quote(memory_limit)}")
        con.execute(f"SET TimeZone = {_quote(timezone)}")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        if temp_directory is not None:
            con.execute(f"SET temp_directory = {_quote(str(temp_directory))}")
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        relations = {role: _relation(con, role, path) for role, path in paths.items()}
        tickets = paths.get("tickets")
        if tickets is not None and "events" not in paths and _format(tickets) == "json":
            nested = _nested_events(con, tickets)
            if nested is not None:
                relations["events"] = nested
    except BaseException:
        con.close()
        raise
    return ServiceTables(
        connection=con,
        relations=relations,
        paths=paths,
        timezone=timezone,
        business_calendar=calendar,
        source=source or ", ".join(str(p) for p in paths.values()),
        progress=progress,
    )


_FILE = re.compile(r"^\s*file\s*=\s*(.+?)\s*$", re.MULTILINE)
_LINE = re.compile(r"Error on Line:\s*(\d+)")
_COLUMN = re.compile(r'converting column "([^"]+)"')
_ORIGINAL = re.compile(r"^Original Line:\s?(.*)$", re.MULTILINE)
_CAST_VALUE = re.compile(r'(?:format|string): "(.*?)"')
_CAST_COLUMN = re.compile(r"source column (\w+)")
_VALUE = re.compile(r"Could not convert string \"(.*?)\" to '([^']+)'")


def _csv_column(file: str, text: str, value: str) -> str | None:
    """The header name of the cell holding ``value`` in the error's original CSV line.

    DuckDB 1.x names the wrong column when the query reads only some of the file's columns
    (the position among the columns read, looked up among all of them), so the column is found
    from the line it quotes and the file's header instead.
    """
    original = _ORIGINAL.search(text)
    if original is None:
        return None
    try:
        with open(file, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError):
        return None
    cells = next(csv.reader([original.group(1)]), [])
    found = [k for k, cell in enumerate(cells) if cell == value]
    return header[found[0]] if len(found) == 1 and found[0] < len(header) else None


def _message(error: BaseException, path: Path | None, tables: ServiceTables | None) -> str:
    """One line from a DuckDB error: the file, line, column and value when DuckDB names them."""
    text = str(error)
    file = _FILE.search(text)
    value = _VALUE.search(text) or _CAST_VALUE.search(text)
    column = _COLUMN.search(text) or _CAST_COLUMN.search(text)
    name = column.group(1) if column is not None else None
    where = file.group(1) if file else (str(path) if path is not None else None)
    if where is None and tables is not None:
        # A cast outside the CSV reader (Parquet, JSON) names the column, not the file.
        holders = [
            str(tables.paths[role])
            for role, rel in tables.relations.items()
            if role in tables.paths and name in rel.columns
        ]
        where = ", ".join(holders or [str(p) for p in tables.paths.values()])
    parts = []
    if (line := _LINE.search(text)) is not None:
        parts.append(f"line {line.group(1)}")
    if value is not None and where is not None and _ORIGINAL.search(text) is not None:
        name = _csv_column(where, text, value.group(1)) or name
    if name is not None:
        parts.append(f"column {name!r}")
    if value is not None:
        parts.append(
            f"cannot read {value.group(1)!r}"
            + (f" as {value.group(2)}" if value.re is _VALUE else "")
        )
    if not parts or value is None:
        parts.append(text.strip().splitlines()[0] if text.strip() else type(error).__name__)
    return f"{where or 'input'}: " + ", ".join(parts)


@contextlib.contextmanager
def load_errors(path: Path | None = None, tables: ServiceTables | None = None) -> Iterator[None]:
    """Turn DuckDB's data errors inside the block into a :class:`~cs8.exceptions.LoadError`.

    A value that does not convert, a malformed file or one that cannot be read is a load error;
    any other DuckDB error (a bug, the memory limit) passes through.

    Args:
        path: The file being read, named when DuckDB's message does not name one.
        tables: The tables being read: when DuckDB names neither file nor ``path`` is given,
            the files holding the column it names.

    Example:
        >>> import duckdb
        >>> with load_errors(Path("calls.csv")):
        ...     duckdb.sql("SELECT CAST('x' AS INTEGER)").fetchall()
        Traceback (most recent call last):
        ...
        cs8.exceptions.LoadError: calls.csv: Conversion Error: Could not convert string 'x' to INT32...
    """
    duckdb = require("duckdb", "duckdb")
    try:
        yield
    except (duckdb.DataError, duckdb.InvalidInputException, duckdb.IOException) as exc:
        raise LoadError(_message(exc, path, tables)) from exc
