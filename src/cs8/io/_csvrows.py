"""CSV records that account for every line: malformed rows and broken quotes become problems.

The :mod:`csv` module stops at the first malformed row (``_csv.Error``) and, when a quote is
never closed, reads the rest of the file into one cell. Here a malformed record is reported with
its line and the reading goes on; when a record that spans several lines turns out malformed (or
has the wrong number of cells), its first line is reported as an unbalanced quote and the lines
after it are read again as records of their own, so one stray quote costs one row, not the file.

Example:
    >>> from cs8.io._source import Lines
    >>> lines = Lines(iter(['id,name\\n', 'C1,"Ann\\n', 'C2,Bo\\n', ',\\n']))
    >>> header, records = csv_records(lines, ",")
    >>> header
    ['id', 'name']
    >>> [(line, cells, problem is not None) for line, cells, problem in records]
    [(2, None, True), (3, ['C2', 'Bo'], False), (4, ['', ''], False)]
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from cs8.exceptions import LoadError
from cs8.io._source import Lines, escape

__all__ = ["CELL_LIMIT", "CsvRecord", "csv_records", "suggest_delimiter"]

CsvRecord = tuple[int, list[str] | None, str | None]
"""(first line number, cells or None, the problem or None)."""

CELL_LIMIT = csv.field_size_limit()
"""The longest cell the csv module reads (longer ones reject their row)."""
_LIMIT = CELL_LIMIT


def _reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {_LIMIT} characters"
    return f"malformed CSV: {escape(text)}"


def csv_records(
    lines: Lines, delimiter: str, name: str = "<stream>"
) -> tuple[list[str], Iterator[CsvRecord]]:
    """Read the header, and give an iterator of every record after it.

    Blank lines are skipped (they are not rows); every other line belongs to exactly one record,
    good or not.

    Raises:
        LoadError: If the file is empty or its header is not valid CSV.
    """
    if len(delimiter) != 1:
        raise LoadError(f"delimiter must be one character, got {escape(delimiter)!r}")
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        while True:
            lines.mark()
            header = next(reader)
            if header and any(h.strip() for h in header):
                break
    except StopIteration:
        raise LoadError(f"{name} is empty: expected a header row") from None
    except csv.Error as exc:
        raise LoadError(f"{name}: the header row is not valid CSV ({_reason(exc)})") from None
    header = [h.strip().lstrip("\ufeff").strip() for h in header]
    return header, _records(lines, delimiter, len(header))


def _records(lines: Lines, delimiter: str, width: int) -> Iterator[CsvRecord]:
    while True:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        while True:
            lines.mark()
            start = lines.next_number()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                taken = list(lines.taken())
                if len(taken) > 1:
                    lines.give_back(taken[1:])
                    yield taken[0][0], None, f"unbalanced quote ({_reason(exc)})"
                else:
                    yield start, None, _reason(exc)
                break  # a fresh reader: the old one's state is undefined after an error
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # a blank line is not a row
            if len(cells) == width:
                yield start, cells, None
                continue
            taken = lines.taken()
            if len(taken) > 1:
                items = list(taken)
                lines.give_back(items[1:])
                yield items[0][0], None, "unbalanced quote: a quoted cell runs over the next lines"
                break
            yield start, None, f"expected {width} cells, got {len(cells)}"


def suggest_delimiter(header: list[str], delimiter: str) -> str:
    """Return a hint naming a likelier delimiter when the header looks split wrongly, else ``""``.

    Example:
        >>> suggest_delimiter(["id;name;segment"], ",")
        "; the header looks delimited by ';': pass delimiter=';'"
    """
    text = delimiter.join(header)
    if "\x00" in text:  # ASCII text in UTF-16 read as UTF-8: every other byte is NUL
        guess = "utf-16-be" if text.startswith("\x00") else "utf-16-le"
        return (
            "; the header holds NUL characters: the file looks like UTF-16 without a "
            f"byte-order mark: pass encoding={guess!r}"
        )
    if len(header) > 2:
        return ""
    counts = {d: text.count(d) for d in (",", ";", "\t", "|") if d != delimiter}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] >= 1:
        return f"; the header looks delimited by {best!r}: pass delimiter={best!r}"
    return ""
