"""Rows of a file, each a record or a rejected row, and what a whole read adds: duplicates, strict.

:func:`iter_built` opens a CSV or JSON Lines source and yields ``(line, record or RejectedRow)`` for
every row (blank lines are not rows); :class:`Collector` applies the duplicate-id rule and
``strict`` and makes the :class:`~cs8.io.LoadResult`.

Example:
    >>> import io
    >>> from cs8 import Customer
    >>> from cs8.io._build import ReadSpec, RecordBuilder
    >>> b = RecordBuilder(Customer, ReadSpec())
    >>> rows = list(iter_built(io.StringIO("id\\nC1\\nC1\\n"), b, "csv", "utf-8", ","))
    >>> c = Collector("<stream>", strict=False, duplicates="reject")
    >>> for line, item in rows:
    ...     c.add(line, item)
    >>> result = c.result()
    >>> len(result.records), [r.reason for r in result.rejected]
    (0, ["duplicate id 'C1' (lines 2, 3)", "duplicate id 'C1' (lines 2, 3)"])
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from cs8.exceptions import Cs8Error, LoadError
from cs8.io._build import RecordBuilder
from cs8.io._columnar import Block, columnar_reader
from cs8.io._common import LoadResult, RejectedRow, detect_format
from cs8.io._csvrows import csv_records, suggest_delimiter
from cs8.io._duplicates import kept, settle
from cs8.io._source import PathOrFile, escape, open_source
from cs8.io._values import load_json

__all__ = ["Collector", "Meter", "Progress", "columns_warning", "iter_built", "source_name"]

Progress = bool | Callable[[int], None]
"""``True`` for a progress bar (tqdm, the ``progress`` extra), or a callable given the rows read."""

_EVERY = 10_000
"""Rows between two progress reports."""


def source_name(source: PathOrFile) -> str:
    """The display name of a source, as :func:`~cs8.io._source.open_source` names it: its whole
    path, or a file's ``name``, or ``"<stream>"`` (never a path's last part, nor an object's
    repr).

    Example:
        >>> import io, pathlib
        >>> source_name(pathlib.Path("exports/calls.csv")), source_name(io.StringIO())
        ('exports/calls.csv', '<stream>')
    """
    if isinstance(source, str | os.PathLike):
        return escape(str(source))
    return escape(str(getattr(source, "name", "<stream>")))


def iter_built(
    source: PathOrFile,
    builder: RecordBuilder,
    fmt: str | None,
    encoding: str,
    delimiter: str,
    from_json: Callable[[Mapping[str, Any], int, str], Any] | None = None,
    *,
    columnar: bool = True,
) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, record or RejectedRow)`` for every row of a CSV or JSON Lines source.

    ``from_json`` replaces ``builder.from_json`` for JSON objects (tickets with nested events);
    ``columnar`` is that of :func:`iter_blocks`. Made for streams: the records are taken not to
    outlive their chunk (see :func:`cs8._trusted.paused_collection`'s ``lasting``).

    Raises:
        LoadError: If the source cannot be opened or decoded, is empty, or lacks a required column.
    """
    note = builder.note
    rows = _iter_rows(
        source, builder, fmt, encoding, delimiter, from_json, columnar=columnar, lasting=False
    )
    for item in rows:
        if isinstance(item, Block):  # a columnar block: rows noted as they are handed over
            if not item.others:
                yield from item
                continue
            for pair in item:
                note(pair[1])
                yield pair
        else:
            yield item


def iter_blocks(
    source: PathOrFile,
    builder: RecordBuilder,
    fmt: str | None,
    encoding: str,
    delimiter: str,
    from_json: Callable[[Mapping[str, Any], int, str], Any] | None = None,
    *,
    columnar: bool = True,
) -> Iterator[Block]:
    """:func:`iter_built`'s rows in blocks of consecutive rows (a columnar block, or up to 1,000).

    ``columnar=False`` reads row by row, in blocks of one row (``strict`` reads stop at the first
    bad row, and a block reads thousands of lines ahead).

    Raises:
        LoadError: As :func:`iter_built`.
    """
    lines: list[int] = []
    outcomes: list[Any] = []
    size = _BLOCK if columnar else 1
    rows = _iter_rows(
        source, builder, fmt, encoding, delimiter, from_json, columnar=columnar, lasting=True
    )
    for item in rows:
        if isinstance(item, Block):  # a columnar block: noted as it is handed over
            if lines:
                yield Block(lines, outcomes)
                lines, outcomes = [], []
            if item.others:
                for outcome in item.outcomes:
                    builder.note(outcome)
            yield item
            continue
        lines.append(item[0])
        outcomes.append(item[1])
        if len(lines) >= size:
            yield Block(lines, outcomes)
            lines, outcomes = [], []
    if lines:
        yield Block(lines, outcomes)


_BLOCK = 1000


def _iter_rows(
    source: PathOrFile,
    builder: RecordBuilder,
    fmt: str | None,
    encoding: str,
    delimiter: str,
    from_json: Callable[[Mapping[str, Any], int, str], Any] | None = None,
    *,
    columnar: bool = True,
    lasting: bool = True,
) -> Iterator[Any]:
    # ``(line, outcome)`` per row, or a list of them (a columnar block); ``lasting``: whether
    # the caller keeps every record (a whole read), for the collector (``paused_collection``).
    kind = detect_format(source, fmt)
    with open_source(source, encoding) as src:
        name = src.name
        if kind == "csv":
            header, records = csv_records(src.lines, delimiter, name)
            builder.bind_header(header, name, suggest_delimiter(header, delimiter))
            reader = columnar_reader(builder, delimiter) if columnar else None
            if reader is not None:  # plain blocks by column; the csv module takes the rest
                yield from reader.read(src.lines, name, lasting=lasting)  # (line, outcome)s
            from_cells = builder.from_cells
            for line, cells, problem in records:
                if cells is None:
                    yield (
                        line,
                        RejectedRow(
                            source=name, line=line, column=None, value=None, reason=str(problem)
                        ),
                    )
                else:
                    yield line, from_cells(cells, line, name)
            return
        seen = False
        build_json = from_json or builder.from_json
        for line, text in enumerate(src.lines, 1):
            if not text.strip():
                continue
            seen = True
            try:
                obj = load_json(text)
            except Cs8Error as exc:
                yield (
                    line,
                    RejectedRow(source=name, line=line, column=None, value=None, reason=str(exc)),
                )
                continue
            if not isinstance(obj, dict):
                reason = f"expected a JSON object, got {type(obj).__name__}"
                yield (
                    line,
                    RejectedRow(source=name, line=line, column=None, value=None, reason=reason),
                )
                continue
            yield line, build_json(obj, line, name)
        if not seen:
            raise LoadError(f"{name} is empty: expected one JSON object per line")


class Collector:
    """Gathers a read's records and rejected rows, applying the duplicate-id rule and ``strict``.

    With ``strict``, the first problem raises at once. Not thread-safe: one reader owns it.
    """

    def __init__(
        self,
        name: str,
        *,
        strict: bool,
        duplicates: str,
        check_ids: bool = True,
    ) -> None:
        self.name = name
        self.strict = strict
        self.duplicates = duplicates
        self.check_ids = check_ids
        # the records kept so far and the lines they were read at, in line order (two lists, not
        # one of pairs: a million fewer tuples for the garbage collector on a million-row read)
        self.lines: list[int] = []
        self.records: list[Any] = []
        self.rejected: list[RejectedRow] = []
        # Every id taken so far is in ``seen``; its first line is in ``first_line``, or in one of
        # the ``pending`` blocks (ids, lines) of distinct new ids that the fast path took: their
        # lines are only looked up when a row needs the slow path (a set is cheaper to grow).
        self.seen: set[str] = set()
        self.pending: list[tuple[Sequence[str], Sequence[int]]] = []
        self.first_line: dict[str, int] = {}
        self.positions: dict[str, list[int]] = {}
        self.rows = 0
        self.warnings: list[str] = []

    def add(self, line: int, item: Any) -> None:
        """Take one row's outcome."""
        self.add_block(Block([line], [item]))

    def add_block(self, block: Block) -> None:
        """Take consecutive rows' outcomes (records or RejectedRows), in line order."""
        self.rows += len(block)
        check_ids = self.check_ids
        if check_ids and len(block) > 1:
            # A block of records with new, distinct ids (the common case) in one step; a model's
            # id is a non-empty string, a RejectedRow has none.
            ids = block.ids  # a columnar Block's id column (texts)
            if ids is None:
                ids = [getattr(item, "id", None) for item in block.outcomes]
            seen = self.seen
            if (ids is block.ids or None not in ids) and seen.isdisjoint(ids):
                size = len(seen)
                seen.update(ids)
                if len(seen) - size == len(block):  # and distinct: all taken at once
                    self.pending.append((ids, block.lines))
                    self.lines.extend(block.lines)
                    self.records.extend(block.outcomes)
                    return
                seen.difference_update(ids)  # a repeat within the block: none was taken before
        first_line = self.first_line
        if self.pending:  # the slow path needs each id's first line
            for taken, taken_lines in self.pending:
                first_line.update(zip(taken, taken_lines, strict=True))
            self.pending.clear()
        seen = self.seen
        add_line = self.lines.append
        add_record = self.records.append
        for line, item in block:
            if type(item) is RejectedRow:
                self.reject(item)
                continue
            ident = getattr(item, "id", None) if check_ids else None
            if type(ident) is str:
                first = first_line.setdefault(ident, line)
                seen.add(ident)
                if first != line:
                    if self.duplicates == "keep_first":
                        self.reject(self._duplicate(line, ident, kept(first)))
                        continue
                    if self.strict:
                        self.reject(self._duplicate(line, ident, f"also on line {first}"))
                    index = bisect.bisect_left(self.lines, first)  # lines are kept in order
                    self.positions.setdefault(ident, [index]).append(len(self.records))
            add_line(line)
            add_record(item)

    def _duplicate(self, line: int, ident: str, detail: str) -> RejectedRow:
        return RejectedRow(
            source=self.name,
            line=line,
            column="id",
            value=ident,
            reason=f"duplicate id {escape(repr(ident))} ({detail})",
        )

    def reject(self, row: RejectedRow) -> None:
        """Take a rejected row (raising at once with ``strict``)."""
        if self.strict:
            raise LoadError(f"{row}")
        self.rejected.append(row)

    def settled(self) -> tuple[list[int], list[Any]]:
        """The lines and the records kept after the duplicate-id rule, in line order."""
        if not self.positions:
            return self.lines, self.records
        drop: set[int] = set()
        for ident, positions in self.positions.items():
            lines = [self.lines[i] for i in positions]
            _, dropped = settle(self.duplicates, lines)
            for i, detail in dropped:
                drop.add(positions[i])
                self.rejected.append(self._duplicate(lines[i], ident, detail))
        self.positions = {}
        self.lines = [line for i, line in enumerate(self.lines) if i not in drop]
        self.records = [record for i, record in enumerate(self.records) if i not in drop]
        return self.lines, self.records

    def result(
        self,
        records: list[Any] | None = None,
        *,
        rejected_events: tuple[RejectedRow, ...] = (),
        events_read: int = 0,
    ) -> LoadResult[Any]:
        """The :class:`LoadResult` of the read (``records`` replaces the collected ones)."""
        self.rejected.sort(key=lambda r: r.line)
        return LoadResult(
            records=tuple(self.settled()[1] if records is None else records),
            rejected=tuple(self.rejected),
            rows_read=self.rows,
            source=self.name,
            rejected_events=rejected_events,
            events_read=events_read,
            warnings=tuple(self.warnings),
        )


def channel_warning(counts: dict[str, int]) -> str | None:
    """The warning listing channel names loaded as ``Channel.OTHER``, if any."""
    if not counts:
        return None
    shown = ", ".join(f"{escape(repr(k), 40)} ({n})" for k, n in sorted(counts.items())[:10])
    return (
        f"channel names cs8 has no member for were loaded as Channel.OTHER, kept in "
        f"channel_raw: {shown} (map them with values={{'channel': ...}})"
    )


def columns_warning(columns: Sequence[str], hints: Mapping[str, str] | None = None) -> str | None:
    """The warning naming a file's columns that no field reads, if any (nothing is dropped
    silently: a misspelt column, or one cs8 takes from elsewhere, shows here).

    ``hints`` maps a column to why it is not read, added after its name.

    Example:
        >>> columns_warning(["notes", "status"], {"status": "a ticket's status comes from its events"})
        "columns not read: 'notes', 'status' (a ticket's status comes from its events)"
    """
    if not columns:
        return None
    shown = []
    for column in columns[:20]:
        hint = (hints or {}).get(column)
        shown.append(escape(repr(column), 60) + (f" ({hint})" if hint else ""))
    more = f" and {len(columns) - 20} more" if len(columns) > 20 else ""
    return f"columns not read: {', '.join(shown)}{more}"


class Meter:
    """The rows a read has gone through, reported to ``progress`` every 10,000 rows and at the end.

    Every reader that takes ``progress=`` counts through one of these (a row of a file, or an
    object of a JSON file, is one unit). ``progress`` is ``False`` (nothing), a callable given the
    rows so far, or ``True`` for a tqdm bar (``tqdm.auto``: a widget in a Jupyter notebook, text
    on stderr elsewhere), which needs the ``progress`` extra.

    A context manager: leaving it reports the last count (when the read ends without an error)
    and closes the bar (always). Not thread-safe: one read owns it.

    Args:
        progress: What to report to.
        name: The bar's label (the source's name).
        total: The count the read will reach, when known (the bar then shows how much is left).
        unit: What is counted (the bar's unit).

    Raises:
        MissingExtraError: If ``progress`` is ``True`` and tqdm is not installed.

    Example:
        >>> seen = []
        >>> with Meter(seen.append, "calls.csv") as meter:
        ...     for _ in range(25_000):
        ...         meter.add()
        >>> seen
        [10000, 20000, 25000]
    """

    __slots__ = ("_close", "_next", "_report", "_shown", "rows")

    def __init__(
        self, progress: Progress, name: str, *, total: int | None = None, unit: str = "rows"
    ) -> None:
        self.rows = 0
        self._shown = -1
        self._report, self._close = _reporter(progress, name, total, unit)
        self._next = _EVERY

    def add(self, n: int = 1) -> None:
        """Count ``n`` more rows read, reporting when a multiple of 10,000 is passed."""
        self.rows += n
        if self.rows >= self._next:
            self._report(self.rows)
            self._shown = self.rows
            self._next = (self.rows // _EVERY + 1) * _EVERY

    def __enter__(self) -> Meter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None and self.rows != self._shown:
                self._report(self.rows)
        finally:
            self._close()


def _reporter(
    progress: Progress, name: str, total: int | None = None, unit: str = "rows"
) -> tuple[Callable[[int], None], Callable[[], None]]:
    """(report(rows so far), close()) for ``progress``: nothing, a callback, or a tqdm bar."""
    if progress is False:
        return (lambda rows: None), (lambda: None)
    if callable(progress):
        return progress, (lambda: None)
    from cs8._optional import require

    require("tqdm", "progress", "progress=True")
    from tqdm.auto import tqdm  # a widget in Jupyter notebooks, text on a terminal

    label = name if len(name) <= 60 else "..." + name[-57:]  # a long path: keep its file name
    known = {} if total is None else {"total": total}
    bar = tqdm(desc=escape(label, 60), unit=f" {unit}", unit_scale=True, **known)
    last = [0]

    def report(rows: int) -> None:
        bar.update(rows - last[0])
        last[0] = rows

    return report, bar.close
