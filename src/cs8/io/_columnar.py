"""The columnar CSV path: parse a block of lines with polars, check it by column, build in bulk.

When polars is installed (the ``dataframe`` extra), :func:`columnar_reader` gives the CSV readers
a :class:`ColumnarReader` for the bound header. It reads the file in blocks of lines; a block of
plain lines (no quote, no carriage return, no NUL, every line of the header's width) is parsed
by polars into text columns, and each column is checked and converted at once:

- a field's cells are parsed by the field's own cell parser (the function the row path calls):
  text cells are taken as they are, instants parsed per cell, and other columns once per
  distinct text per read (a column keeps its text -> value table from block to block);
- a block with no white space, control or non-ASCII character (a *clean* block, the usual case)
  needs no pattern to tell blank cells from text: a cell there is blank exactly when empty;
- a field's attrs validators run on the distinct parsed values (a few, proven by the parser's
  output type, are not run again: see ``_BY_TYPE``); converters must be identities on the
  parser's output (``_IDENTITY_CONVERTERS``), or the class is left to the row path;
- the class's ``__attrs_post_init__`` check runs as a polars expression (``_ROW_CHECKS``);
  a class whose post-init check has no such expression is left to the row path.

The rows that every check passes are built by :func:`~cs8._trusted.trusted_builder` (the
trusted constructor, by column), which does not run those checks again. Any other row (a blank required cell, a value a parser or
validator refuses, a cell whose blankness Python and polars might judge differently) goes to
:meth:`RecordBuilder.from_cells <cs8.io._build.RecordBuilder.from_cells>`, so a rejection has the
row path's reason, word for word. The first block that is not plain ends the columnar path: its
lines are given back and the :mod:`csv` module reads the rest of the file. The records and the
rejections are the same on both paths (a property test feeds both the same text).

Example:
    >>> from cs8 import Interaction
    >>> from cs8.io._build import ReadSpec, RecordBuilder
    >>> from cs8.io._source import Lines
    >>> b = RecordBuilder(Interaction, ReadSpec())
    >>> b.bind_header(["id", "customer_id", "channel", "started_at"], "i.csv")
    >>> reader = columnar_reader(b, ",")
    >>> lines = Lines(iter(["I1,C1,voice,2026-01-05T09:00:00Z\\n", "I2,C1,phone,2026-01-05\\n"]))
    >>> [(n, type(item).__name__) for block in reader.read(lines, "i.csv") for n, item in block]
    [(1, 'Interaction'), (2, 'RejectedRow')]
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from typing import Any

import attrs

from cs8._fields import _actor, _channel, _direction, _non_empty, _optional_str
from cs8._models import Interaction, _check_interaction_times
from cs8._time import as_instant, check_aware
from cs8._trusted import paused_collection, trusted_builder
from cs8.io._build import RecordBuilder
from cs8.io._csvrows import CELL_LIMIT as _CELL_LIMIT
from cs8.io._source import Lines
from cs8.io._values import DateParser, map_channel, unquote

__all__ = ["BLOCK_LINES", "Block", "ColumnarReader", "columnar_reader"]

BLOCK_LINES = 10_000
"""Lines parsed at once: memory holds one block's text, its columns and its records."""

# Converters that return a value of the parser's output type unchanged (an enum member, a
# datetime with a fixed offset), so the columnar path need not call them.
_IDENTITY_CONVERTERS: frozenset[Any] = frozenset({_channel, _direction, _actor, as_instant})

# Validators the parser's output already satisfies: the text parser gives ``str``; the ISO
# instants the columnar path accepts carry an offset, so the parser gives aware datetimes.
# ``_non_empty`` is proven by the non-blank test on the cell (see ``_sure_text``).
_BY_TYPE: frozenset[Any] = frozenset({_optional_str, check_aware, _non_empty})

# A cell certainly not blank for Python (an ASCII graphic character), and certainly blank (only
# ASCII white space): anything else (a cell of only non-ASCII letters too) goes to the row path.
# ASCII classes, as Unicode ones cost polars several times more.
_SURE_TEXT = r"[!-~]"
_SURE_BLANK = r"^[ \t\x0b\x0c\x1c-\x1f]*$"
# The ISO 8601 instants whose instant polars and ``datetime.fromisoformat`` read alike.
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"
_ISO_POLARS = "%Y-%m-%dT%H:%M:%S%.f%#z"


def _year_between(pl: Any, cells: Any, first: int, last: int) -> Any:
    """Whether a cell that starts with a four-digit year (as ISO 8601 instants do) has a year in
    ``first..last``, by comparing texts: ``YYYY...`` is at least ``"1900"`` exactly when YYYY is
    at least 1900, and below ``"2201"`` exactly when YYYY is at most 2200 (no number is made).

    Example:
        >>> import polars as pl
        >>> cells = pl.Series(["1899-12-31T23:59:59Z", "1900-01-01T00:00:00Z", "2201-01-01Z"])
        >>> pl.select(_year_between(pl, pl.lit(cells), 1900, 2200)).to_series().to_list()
        [False, True, False]
    """
    inside = pl.lit(first <= 9999 and last >= 0)  # four digits hold 0000-9999 only
    if 0 < first <= 9999:
        inside &= cells >= f"{first:04d}"
    if 0 <= last < 9999:
        inside &= cells < f"{last + 1:04d}"
    return inside


def _interaction_times(pl: Any, at: dict[str, Any]) -> Any:
    """The columns' form of :func:`cs8._models._check_interaction_times` (nulls are absent)."""
    started, answered, ended = at["started_at"], at["answered_at"], at["ended_at"]
    return (
        ~(answered < started).fill_null(False)
        & ~(ended < started).fill_null(False)
        & ~(ended < answered).fill_null(False)
    )


# A class's post-init check -> its polars form over the instants (UTC) of the fields it reads.
_ROW_CHECKS: dict[Any, tuple[Callable[[Any, dict[str, Any]], Any], tuple[str, ...]]] = {
    _check_interaction_times: (_interaction_times, ("started_at", "answered_at", "ended_at")),
}
_POST_INIT_CHECKS: dict[type, Any] = {Interaction: _check_interaction_times}


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _validators(attribute: Any) -> list[Any]:
    found = attribute.validator
    if found is None:
        return []
    inner = getattr(found, "_validators", None)  # attrs.validators.and_
    return list(inner) if inner is not None else [found]


class _Column:
    """How one present field's column is checked and converted.

    ``tables`` (text -> value, one table per field the column gives: two for a channel with its
    raw name) are kept from block to block, so a text is parsed and validated once per read,
    not once per block; a table stops growing at ``_TABLE_LIMIT`` texts. ``""`` stands for
    every blank cell (its value is replaced by the field's blank value).
    """

    __slots__ = (
        "blank_key",
        "blank_ok",
        "bulk",
        "channel",
        "index",
        "instant",
        "key",
        "name",
        "parse",
        "tables",
        "validators",
    )

    def __init__(self, name: str, index: int, parse: Any, blank_ok: bool) -> None:
        self.name = name
        self.index = index
        self.key = f"c{index}"  # the cells' column in a parsed block
        self.blank_key = f"\x00b{index}"  # its blank mask
        self.parse = parse
        self.blank_ok = blank_ok
        self.channel = False
        self.instant = isinstance(parse, DateParser)
        # the parse of the rows that passed the column checks (for instants: ISO 8601 with an
        # offset and a year in range, which the parser need not check again)
        self.bulk = parse.checked_by_column() if self.instant else parse
        self.validators: list[Any] = []
        self.tables: list[dict[str, Any]] = []

    def finish(self) -> None:
        """Set ``tables`` once ``channel`` and ``validators`` are known."""
        if self.channel or self.validators or not (self.instant or self.parse is unquote):
            self.tables = [{"": None} for _ in range(2 if self.channel else 1)]


class Block:
    """Consecutive rows' outcomes, kept as two lists rather than one ``(line, outcome)`` pair per
    row (a million fewer tuples for the collector to track on a million-row read): ``lines[i]``
    is where ``outcomes[i]``, a record or a :class:`~cs8.io.RejectedRow`, was read. Iterating
    gives the ``(line, outcome)`` pairs.

    ``others`` is false when no record in it can have a channel name to count
    (:meth:`RecordBuilder.note` need not see them). When every row of the block is a record,
    ``ids`` lists their ``id`` values in order (the column the records were built from), so a
    reader checking duplicate ids need not read them back from the records; else ``None``.

    Example:
        >>> block = Block(range(2, 4), ["a", "b"])
        >>> len(block), list(block)
        (2, [(2, 'a'), (3, 'b')])
    """

    __slots__ = ("ids", "lines", "others", "outcomes")

    def __init__(
        self,
        lines: Sequence[int],
        outcomes: list[Any],
        *,
        ids: list[Any] | None = None,
        others: bool = True,
    ) -> None:
        self.lines = lines
        self.outcomes = outcomes
        self.ids = ids
        self.others = others

    def __len__(self) -> int:
        return len(self.outcomes)

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        return zip(self.lines, self.outcomes, strict=True)


class ColumnarReader:
    """Reads plain blocks of a CSV file by column; see the module docstring.

    Made by :func:`columnar_reader` for one bound header; not thread-safe (it uses the builder,
    and its columns' tables of parsed values grow as it reads).
    """

    def __init__(self, pl: Any, builder: RecordBuilder, delimiter: str, columns: list[_Column]):
        self.pl = pl
        self.builder = builder
        self.delimiter = delimiter
        self.columns = columns
        self.width = len(builder.header)
        cls = builder.cls
        self.build: Callable[[list[Any], int], list[Any]] = trusted_builder(cls)
        self.arrow = _module("pyarrow")
        self.stand_in: Any = object.__new__(cls)  # only for validators' messages, never returned
        self.row_check = _ROW_CHECKS.get(_POST_INIT_CHECKS.get(cls))
        attributes = attrs.fields(cls)
        self.order = [a.name for a in attributes]
        self.attributes = {a.name: a for a in attributes}
        self.defaults: dict[str, Any] = {}
        self.factories: dict[str, Callable[[], Any]] = {}
        for a in attributes:
            if a.name in builder.constants:
                self.defaults[a.name] = builder.constants[a.name]
            elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                self.factories[a.name] = a.default.factory
            else:
                self.defaults[a.name] = a.default
        # The bytes a clean block is made of (see _parse): ASCII graphic characters, the line
        # feed and the delimiter. None when the delimiter is not ASCII (no block is clean).
        self.clean_bytes = (
            bytes(range(0x21, 0x7F)) + b"\n" + delimiter.encode() if delimiter.isascii() else None
        )
        # In a clean block a cell is blank exactly when it is empty, and not blank text else.
        empty = {c.name: pl.col(c.key).str.len_bytes() == 0 for c in columns}
        self.clean_checks = self._checks(
            lambda c: pl.col(c.key).str.contains(_ISO) if c.instant else ~empty[c.name],
            lambda c: empty[c.name],
        )
        self.row_exprs = self._row_exprs() if self.row_check is not None else ([], [], None)

    def blank(self, name: str) -> Any:
        """The value of field ``name`` for a blank cell or an absent column."""
        factory = self.factories.get(name)
        return factory() if factory is not None else self.defaults[name]

    def read(self, lines: Lines, source: str, *, lasting: bool = True) -> Iterator[Block]:
        """Yield a :class:`Block` for each plain block of lines starting ``lines``.

        A block's records are built before they are handed over: the caller counts their
        channel names (:meth:`RecordBuilder.note`) as it hands them over, in row order.

        Stops at the end of the text or at the first block that is not plain, whose lines are
        given back to ``lines`` for the :mod:`csv` module. ``lasting``: whether the caller keeps
        the records of every block (a whole read, not a stream): see :func:`paused_collection`.
        """
        while True:
            first, texts = lines.take(BLOCK_LINES)
            if not texts:
                return
            parsed = self._parse(texts)
            if parsed is None:
                lines.give_back(list(zip(itertools.count(first), texts, strict=False)))
                return
            with paused_collection(lasting=lasting):  # records, not garbage: see the function
                block = self._block(*parsed, first, source)
            yield block

    def _parse(self, texts: list[str]) -> tuple[Any, bool] | None:
        """The block's text columns and whether it is clean (made of ``clean_bytes`` only: no
        cell holds white space, a control or a non-ASCII character), or ``None`` if not plain."""
        text = "".join(texts)
        if '"' in text or "\r" in text or "\x00" in text:
            return None  # quotes, odd line ends: the csv module's rules decide
        if text.count(self.delimiter) != len(texts) * (self.width - 1):
            return None  # a blank line, or one of another width (polars refuses longer ones)
        pl = self.pl
        names = [f"c{i}" for i in range(self.width)]
        data = text.encode("utf-8", "surrogatepass")
        try:
            frame = pl.read_csv(
                data,
                has_header=False,
                separator=self.delimiter,
                quote_char=None,
                comment_prefix=None,
                schema=dict.fromkeys(names, pl.String),
                null_values=None,
                empty_string_is_null=False,
                raise_if_empty=False,
                truncate_ragged_lines=False,
            )
        except Exception:  # a ragged line, or anything polars refuses: the csv module decides
            return None
        if frame.height != len(texts):
            return None  # a short line or a blank line
        nulls, longest = frame.select(
            pl.sum_horizontal(pl.all().null_count()).alias("nulls"),
            pl.max_horizontal(pl.all().str.len_bytes().max()).alias("longest"),
        ).row(0)
        # A short line; a cell the csv module may refuse as too long (its limit counts
        # characters, which are no more than the bytes polars counts).
        if nulls or (longest or 0) > _CELL_LIMIT:
            return None
        clean = self.clean_bytes is not None and not data.translate(None, self.clean_bytes)
        return frame, clean

    def _checks(self, proof: Callable[[_Column], Any], blank: Callable[[_Column], Any]) -> Any:
        """The expressions of each column's blank mask and of the rows that pass every column
        check, from each column's proof (a cell surely not blank; for an instant, ISO 8601 with
        an offset) and blank expressions."""
        pl = self.pl
        masks = []
        ok = pl.lit(True)
        for column in self.columns:
            cells = pl.col(column.key)
            sure, blanks = proof(column), blank(column)
            masks.append(blanks.alias(column.blank_key))
            if column.instant and column.parse.years is not None:
                sure &= _year_between(pl, cells, *column.parse.years)
            elif column.parse is unquote:  # text taken as it is: no quote for unquote to drop
                sure &= ~cells.str.starts_with("'")
            ok &= blanks | sure
            if not column.blank_ok:
                ok &= ~blanks
        return [*masks, ok.alias(_OK)]

    def _mixed_checks(self, frame: Any) -> Any:
        """``frame`` with the blank masks and the passing rows of a block that is not clean.

        A cell that matches _SURE_TEXT (or _ISO, for an instant) is not blank, and an empty one
        is: _SURE_BLANK is run only on a column with other cells.
        """
        pl = self.pl
        proofs = []
        for column in self.columns:
            cells = pl.col(column.key)
            proof = cells.str.contains(_ISO if column.instant else _SURE_TEXT)
            empty = cells.str.len_bytes() == 0
            proofs += [proof.alias(f"\x00p{column.index}"), empty.alias(f"\x00e{column.index}")]
        proved = frame.with_columns(proofs)
        undecided = proved.select(
            ~(pl.col(f"\x00p{c.index}") | pl.col(f"\x00e{c.index}")).any() for c in self.columns
        ).row(0)
        odd = {c.name for c, some in zip(self.columns, undecided, strict=True) if some}

        def blank(c: _Column) -> Any:
            proof, empty = pl.col(f"\x00p{c.index}"), pl.col(f"\x00e{c.index}")
            if c.name not in odd:
                return empty
            return empty | (~proof & pl.col(c.key).str.contains(_SURE_BLANK))

        return proved.with_columns(self._checks(lambda c: pl.col(f"\x00p{c.index}"), blank))

    def _block(self, frame: Any, clean: bool, first: int, source: str) -> Block:
        n = frame.height
        checked = frame.with_columns(self.clean_checks) if clean else self._mixed_checks(frame)
        ok = checked.get_column(_OK) if self.row_check is None else self._row_check(checked)
        fast = checked.filter(ok)
        every = fast.height == n
        values: dict[str, Any] = {}
        late_bad: set[int] = set()
        for column in self.columns:
            cells = fast.get_column(column.key)
            self._convert(column, cells, fast.get_column(column.blank_key), values, late_bad)
        lists = [
            values[name] if name in values else self._constant(name, fast.height)
            for name in self.order
        ]
        records = self.build(lists, fast.height) if fast.height else []
        lines = range(first, first + n)
        if every and not late_bad:  # every row passed: no row to read again
            raws = values.get("channel_raw")
            others = raws is None or raws.count(None) != len(raws)
            return Block(lines, records, ids=values.get("id"), others=others)
        return Block(
            lines, list(self._merge(frame, ok.to_list(), records, late_bad, first, source))
        )

    def _row_check(self, checked: Any) -> Any:
        """The rows that pass the column checks and the class's post-init check (its polars
        form over the instants, cast to UTC, of the rows still in the running)."""
        pl = self.pl
        columns, running, passed = self.row_exprs
        cells = checked.select(running)
        instants = [self._instants(cells.get_column(c.name)).alias(c.name) for c in columns]
        blanks = [checked.get_column(c.blank_key) for c in columns]
        return (
            pl.DataFrame([checked.get_column(_OK), *instants, *blanks]).select(passed).to_series()
        )

    def _row_exprs(self) -> tuple[list[_Column], list[Any], Any]:
        """For :meth:`_row_check`: the columns of the instants its post-init check reads, the
        cells of the rows still in the running (the others null) and the rows that pass."""
        pl = self.pl
        check, names = self.row_check  # type: ignore[misc]
        ok = pl.col(_OK)
        columns = [c for c in self.columns if c.name in names]
        running = [
            pl.when(ok & ~pl.col(c.blank_key)).then(pl.col(c.key)).alias(c.name) for c in columns
        ]
        at = {name: pl.lit(None, dtype=pl.Datetime("us", "UTC")) for name in names}
        passed = ok
        for column in columns:  # a cell in the running that is no instant fails its row
            at[column.name] = pl.col(column.name)
            passed &= pl.col(column.blank_key) | pl.col(column.name).is_not_null()
        return columns, running, passed & check(pl, at)

    def _instants(self, cells: Any) -> Any:
        """The cells as UTC instants (null where not an instant): Arrow's ISO 8601 cast when
        pyarrow is installed (several times faster), else polars' ``strptime``."""
        pl = self.pl
        if self.arrow is not None:
            try:
                return pl.from_arrow(cells.to_arrow().cast(self.arrow.timestamp("us", tz="UTC")))
            except Exception:  # a cell Arrow refuses: polars marks it null, row by row
                pass
        return cells.str.to_datetime(_ISO_POLARS, time_zone="UTC", strict=False)

    def _constant(self, name: str, count: int) -> Any:
        if name in self.factories:
            return [self.blank(name) for _ in range(count)]
        return itertools.repeat(self.defaults[name], count)

    def _convert(
        self, column: _Column, cells: Any, blank: Any, values: dict[str, Any], late_bad: set[int]
    ) -> None:
        """Put the values of a column's fast rows in ``values``; failed rows go to ``late_bad``.

        Every cell is converted (a blank one as a stand-in text the parse takes), then the
        blank rows, usually a few, are given the field's blank value: no pass over the rows to
        spread the values of the others.
        """
        blanks = blank.arg_true().to_list() if blank.any() else []
        failed = False  # whether some value is _FAILED (known without scanning ``out``)
        if column.tables:  # parse and validate each distinct text once per read
            if blanks:
                cells = cells.zip_with(~blank, self.pl.Series([""]))
            outs, failed = self._lookup(column, cells)
        elif column.instant:  # instants: nearly all distinct
            if blanks:
                cells = cells.zip_with(~blank, self.pl.Series([_STAND_IN_INSTANT]))
            texts = cells.to_list()
            try:
                outs = [list(map(column.bulk, texts))]
            except Exception:  # find the cells that fail, one by one
                outs = [[self._value(column, t) for t in texts]]
                failed = True
        else:  # a fast row's text starts with no quote: unquote returns it as it is
            outs = [cells.to_list()]
        names = [column.name, "channel_raw"] if column.channel else [column.name]
        for name, out in zip(names, outs, strict=True):
            if blanks:
                self._fill(out, blanks, name)
            values[name] = out
        if failed:  # (``_FAILED in out`` would compare each value with ==: slow for datetimes)
            late_bad.update(i for i, value in enumerate(outs[0]) if value is _FAILED)

    def _lookup(self, column: _Column, cells: Any) -> tuple[list[list[Any]], bool]:
        """The values of ``cells`` from the column's tables, each new text parsed once; and
        whether a text failed (its value is then ``_FAILED``)."""
        texts = cells.to_list()
        tables = column.tables
        try:  # every text seen before: the usual case after the first blocks
            return [list(map(table.__getitem__, texts)) for table in tables], False
        except KeyError:
            pass
        known = tables[0]
        distinct = cells.unique().to_list()
        fresh = [text for text in distinct if text not in known]
        found = [self._outputs(column, self._value(column, text)) for text in fresh]
        failed = any(value[0] is _FAILED for value in found)
        if failed or len(known) + len(fresh) > _TABLE_LIMIT:  # tables of this block's texts
            tables = [{t: table[t] for t in distinct if t in table} for table in tables]
        for k, table in enumerate(tables):
            table.update(zip(fresh, (value[k] for value in found), strict=True))
        return [list(map(table.__getitem__, texts)) for table in tables], failed

    def _outputs(self, column: _Column, value: Any) -> tuple[Any, ...]:
        """The value of each of the column's tables for a parsed cell (``_value``'s result)."""
        if not column.channel:
            return (value,)
        if value is _FAILED:  # (Channel, raw name or None) pairs, as map_channel gives them
            return _FAILED, self.blank("channel_raw")
        return value[0], self.blank("channel_raw") if value[1] is None else value[1]

    def _fill(self, out: list[Any], positions: list[int], name: str) -> None:
        """Give the rows at ``positions`` the blank value of field ``name``."""
        factory = self.factories.get(name)
        if factory is not None:
            for i in positions:
                out[i] = factory()
            return
        default = self.defaults[name]
        for i in positions:
            out[i] = default

    def _value(self, column: _Column, text: str) -> Any:
        try:
            if column.channel:
                return map_channel(text)
            value = column.parse(text)
            for validator in column.validators:
                validator(self.stand_in, self.attributes[column.name], value)
        except Exception:
            return _FAILED
        return value

    def _merge(
        self,
        frame: Any,
        ok: list[bool],
        records: list[Any],
        late_bad: set[int],
        first: int,
        source: str,
    ) -> Iterator[Any]:
        # each row's outcome, in order: its fast record, or the row path's for the others
        build = self.builder.build_cells
        fast = iter(records)
        k = -1
        for i, good in enumerate(ok):
            if good:
                record = next(fast)
                k += 1
                if k not in late_bad:
                    yield record
                    continue
            yield build(list(frame.row(i)), first + i, source)


_OK = "\x00ok"  # the column of the rows that pass every check
_TABLE_LIMIT = 50_000
"""Texts a column's table keeps (memory stays bounded on columns of distinct values)."""
_STAND_IN_INSTANT = "2000-01-01T00:00:00+00:00"
"""The text a blank instant cell is parsed as, before the row takes the field's blank value."""


_FAILED = object()


def _identity_converter(converter: Any) -> bool:
    """Whether ``converter`` returns the cell parser's output unchanged (an enum class does, for
    the members the parser of an enum field gives)."""
    if converter is None or converter in _IDENTITY_CONVERTERS:
        return True
    return isinstance(converter, type) and issubclass(converter, Enum)


def columnar_reader(builder: RecordBuilder, delimiter: str) -> ColumnarReader | None:
    """The columnar reader of ``builder``'s bound header, or ``None`` to read row by row.

    ``None`` when polars is not installed, or when the options or the class need the row path:
    value maps, missing texts, joined or alternative columns, a date format other than ISO
    8601, a converter or post-init check the columnar path does not know, one column only.
    """
    pl = _module("polars")
    cls = builder.cls
    if pl is None or len(builder.header) < 2 or not attrs.has(cls):
        return None
    if hasattr(cls, "__attrs_pre_init__"):
        return None
    if hasattr(cls, "__attrs_post_init__") and _POST_INIT_CHECKS.get(cls) is None:
        return None
    attributes = {a.name: a for a in attrs.fields(cls)}
    if builder.missing_cells:
        return None
    columns: list[_Column] = []
    for field in builder.present:
        if len(field.index) != 1 or len(field.index[0]) != 1 or field.values:
            return None
        attribute = attributes[field.name]
        if not _identity_converter(attribute.converter):
            return None
        if isinstance(field.parse, DateParser) and field.parse.checked_by_column() is None:
            return None
        blank_ok = field.empty == "default" or field.name in builder.constants
        column = _Column(field.name, field.index[0][0], field.parse, blank_ok)
        column.channel = field.name == "channel" and builder.has_raw_channel
        column.validators = [v for v in _validators(attribute) if v not in _BY_TYPE]
        column.finish()
        if (
            field.parse is not unquote
            and not column.instant
            and _non_empty in _validators(attribute)
        ):
            return None  # non-blank proven for text cells only
        columns.append(column)
    names = {c.name for c in columns}
    for name, attribute in attributes.items():
        if (
            name not in names
            and name not in builder.constants
            and attribute.default is attrs.NOTHING
        ):
            return None
    reader = ColumnarReader(pl, builder, delimiter, columns)
    if reader.row_check is not None and set(reader.row_check[1]) & set(builder.constants):
        return None  # the polars form of the check reads columns, not constants
    # The values no column gives (constants, defaults) are checked once, on an instance with no
    # field set: a validator that reads another field fails here, and the class takes the row path.
    for name, attribute in attributes.items():
        if name in names:
            continue
        value = reader.blank(name)
        try:
            if attribute.converter is not None and attribute.converter(value) is not value:
                return None
            for validator in _validators(attribute):
                validator(reader.stand_in, attribute, value)
        except Exception:
            return None  # the row path rejects each row, with the constructor's reason
    return reader
