"""The columnar CSV path: parse a block of lines with polars, check it by column, build in bulk.

When polars is installed (the ``dataframe`` extra), :func:`columnar_reader` gives the CSV readers
a :class:`ColumnarReader` for the bound header. It reads the file in blocks of lines; a block of
plain lines (no quote, no carriage return, no NUL, every line of the header's width) is parsed
by polars into text columns, and each column is checked and converted at once:

- a field's cells are parsed by the field's own cell parser (the function the row path calls),
  once per distinct value for columns with few distinct values;
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
    """How one present field's column is checked and converted."""

    __slots__ = ("blank_ok", "bulk", "channel", "index", "instant", "name", "parse", "validators")

    def __init__(self, name: str, index: int, parse: Any, blank_ok: bool) -> None:
        self.name = name
        self.index = index
        self.parse = parse
        self.blank_ok = blank_ok
        self.channel = False
        self.instant = isinstance(parse, DateParser)
        # the parse of the rows that passed the column checks (for instants: ISO 8601 with an
        # offset and a year in range, which the parser need not check again)
        self.bulk = parse.checked_by_column() if self.instant else parse
        self.validators: list[Any] = []


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

    Made by :func:`columnar_reader` for one bound header; not thread-safe (it uses the builder).
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

    def blank(self, name: str) -> Any:
        """The value of field ``name`` for a blank cell or an absent column."""
        factory = self.factories.get(name)
        return factory() if factory is not None else self.defaults[name]

    def read(self, lines: Lines, source: str) -> Iterator[Block]:
        """Yield a :class:`Block` for each plain block of lines starting ``lines``.

        A block's records are built before they are handed over: the caller counts their
        channel names (:meth:`RecordBuilder.note`) as it hands them over, in row order.

        Stops at the end of the text or at the first block that is not plain, whose lines are
        given back to ``lines`` for the :mod:`csv` module.
        """
        while True:
            first, texts = lines.take(BLOCK_LINES)
            if not texts:
                return
            frame = self._parse(texts)
            if frame is None:
                lines.give_back(list(zip(itertools.count(first), texts, strict=False)))
                return
            with paused_collection():  # a block's records are not garbage: see the function
                block = self._block(frame, first, source)
            yield block

    def _parse(self, texts: list[str]) -> Any:
        text = "".join(texts)
        if '"' in text or "\r" in text or "\x00" in text or max(map(len, texts)) > _CELL_LIMIT:
            return None  # quotes, odd line ends and huge cells: the csv module's rules decide
        if text.count(self.delimiter) != len(texts) * (self.width - 1):
            return None  # a blank line, or one of another width (polars refuses longer ones)
        pl = self.pl
        names = [f"c{i}" for i in range(self.width)]
        try:
            frame = pl.read_csv(
                text.encode("utf-8", "surrogatepass"),
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
        if frame.height != len(texts) or any(frame.null_count().row(0)):
            return None  # a short line or a blank line
        return frame

    def _block(self, frame: Any, first: int, source: str) -> Block:
        pl = self.pl
        n = frame.height
        # A cell that matches _SURE_TEXT (or _ISO, for an instant) is not blank, and an empty one
        # is: _SURE_BLANK is run only on a column with other cells (none, in most files).
        proofs = []
        for column in self.columns:
            cells = pl.col(f"c{column.index}")
            proof = cells.str.contains(_ISO if column.instant else _SURE_TEXT)
            empty = cells.str.len_bytes() == 0
            proofs += [proof.alias(f"\x00p{column.index}"), empty.alias(f"\x00e{column.index}")]
        checked = frame.with_columns(proofs)
        blank_exprs = []
        ok = pl.lit(True)
        for column in self.columns:
            cells = pl.col(f"c{column.index}")
            proof, empty = pl.col(f"\x00p{column.index}"), pl.col(f"\x00e{column.index}")
            decided = checked.get_column(f"\x00p{column.index}")
            blank = empty
            if not (decided | checked.get_column(f"\x00e{column.index}")).all():
                blank = empty | (~proof & cells.str.contains(_SURE_BLANK))
            blank_exprs.append(blank.alias(column.name))
            if not column.instant:
                text = proof
                if column.parse is unquote:  # text taken as it is: no quote for unquote to drop
                    text &= ~cells.str.starts_with("'")
                ok &= blank | text
            if not column.blank_ok:
                ok &= ~blank
            if column.instant:
                ok &= blank | proof
                years = column.parse.years
                if years is not None:
                    year = cells.str.slice(0, 4).cast(pl.Int32, strict=False)
                    ok &= blank | year.is_between(years[0], years[1])
        masks = checked.select([*blank_exprs, ok.alias("\x00ok")])
        ok = masks.get_column("\x00ok")
        if self.row_check is not None:
            check, names = self.row_check
            none = pl.repeat(None, n, dtype=pl.Datetime("us", "UTC"), eager=True)
            at = dict.fromkeys(names, none)
            empty = pl.repeat(None, n, dtype=pl.String, eager=True)
            for column in self.columns:
                if column.name in at:
                    # only the cells of rows still in the running (blank ones become null)
                    keep = ok & ~masks.get_column(column.name)
                    cells = frame.get_column(f"c{column.index}").zip_with(keep, empty)
                    at[column.name] = self._instants(cells)
                    ok &= ~keep | at[column.name].is_not_null()
            ok &= check(pl, at)
        values: dict[str, Any] = {}
        blank_masks = {c.name: masks.get_column(c.name) for c in self.columns}
        fast = frame.filter(ok)
        # parse the fast rows' cells, by distinct value where that saves work
        late_bad: set[int] = set()
        for column in self.columns:
            cells = fast.get_column(f"c{column.index}")
            blank = blank_masks[column.name].filter(ok)
            self._convert(column, cells, blank, values, late_bad)
        lists = [
            values[name] if name in values else self._constant(name, fast.height)
            for name in self.order
        ]
        records = self.build(lists, fast.height) if fast.height else []
        lines = range(first, first + n)
        if fast.height == n and not late_bad:  # every row passed: no row to read again
            raws = values.get("channel_raw")
            others = raws is None or raws.count(None) != len(raws)
            return Block(lines, records, ids=values.get("id"), others=others)
        return Block(
            lines, list(self._merge(frame, ok.to_list(), records, late_bad, first, source))
        )

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
        """Put the values of a column's fast rows in ``values``; failed rows go to ``late_bad``."""
        name = column.name
        blanks = blank.to_list() if blank.any() else None
        if blanks is not None:  # parse the cells that are not blank; blank ones take the default
            cells = cells.filter(~blank)
        texts = cells.to_list()
        failed = False  # whether some value is _FAILED (known without scanning ``out``)
        if column.parse is unquote and not column.validators and not column.channel:
            out = texts  # a fast row's text starts with no quote: unquote returns it as it is
        elif not column.validators and not column.channel and column.instant:
            try:  # instants: nearly all distinct
                out = list(map(column.bulk, texts))
            except Exception:  # find the cells that fail, one by one
                out = [self._value(column, t) for t in texts]
                failed = True
        else:  # parse and validate each distinct value once
            table = {text: self._value(column, text) for text in cells.unique().to_list()}
            out = list(map(table.__getitem__, texts))
            failed = any(value is _FAILED for value in table.values())
        if column.channel:  # (Channel, raw name or None) pairs, as map_channel gives them
            keep = self.blank("channel_raw")
            values["channel_raw"] = [keep if v is _FAILED or v[1] is None else v[1] for v in out]
            out = [v if v is _FAILED else v[0] for v in out]
        if blanks is not None:
            out = self._spread(out, blanks, name)
            if column.channel:
                values["channel_raw"] = self._spread(values["channel_raw"], blanks, "channel_raw")
        values[name] = out
        if failed:  # (``_FAILED in out`` would compare each value with ==: slow for datetimes)
            late_bad.update(i for i, value in enumerate(out) if value is _FAILED)

    def _spread(self, given: list[Any], blanks: list[bool], name: str) -> list[Any]:
        """The values of every row from those of the non-blank rows (in order) and the blanks'."""
        it = iter(given)
        if name in self.factories:
            return [self.blank(name) if b else next(it) for b in blanks]
        default = self.defaults[name]
        return [default if b else next(it) for b in blanks]

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
