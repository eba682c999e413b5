"""From a row (CSV cells or a JSON object) to a model, or to a rejected row with its reason.

A :class:`RecordBuilder` is made once per file from the model class and the reader's options
(column map, value maps, constants, missing values, date formats); it then turns each row into a
record through the model's constructor, so a loaded record is validated exactly as one built in
code. Not thread-safe while binding a header; building rows only reads it.

Example:
    >>> from cs8 import Customer
    >>> b = RecordBuilder(Customer, ReadSpec(values={"segment": {"Gold": "vip"}}))
    >>> b.bind_header(["id", "segment"], "c.csv")
    >>> b.from_cells(["C1", "Gold"], 2, "c.csv").segment
    CustomerSegment.VIP
    >>> print(b.from_cells(["C2", ""], 3, "c.csv"))
    c.csv:3: column 'segment' = '': empty cell for Customer.segment (it has no default for empty cells; map '' with values=)
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from cs8._frozen import FrozenDict
from cs8.exceptions import Cs8Error, LoadError
from cs8.io._common import RejectedRow, data_fields
from cs8.io._duplicates import check_rule
from cs8.io._source import escape
from cs8.io._values import (
    YEARS,
    DateFormat,
    Parser,
    ValueMap,
    cell_parser,
    date_parser,
    json_parser,
    map_channel,
    strip_optional,
)

__all__ = ["ColumnSpec", "ReadSpec", "RecordBuilder"]

ColumnSpec = str | tuple[str, ...] | list[str | tuple[str, ...]]
"""A column; a tuple of columns joined with a space (a date and a time); or a list of those, the
first non-empty one giving the value."""


def _freeze(value: Mapping[str, Any] | None) -> FrozenDict[str, Any]:
    return FrozenDict(value or {})


@attrs.frozen(kw_only=True)
class ReadSpec:
    """The options that say how a file's rows become records (shared by every reader).

    Attributes:
        columns: cs8 field -> column (see :data:`ColumnSpec`).
        values: cs8 field -> {raw value: cs8 value}; ``None`` as a cs8 value means empty, and the
            key ``""`` gives empty cells a value.
        constants: cs8 field -> value for fields the file has no column for.
        missing: Raw texts that mean "no value" in any column (``"NULL"``, ``"0:00:00"``), or
            column -> such texts.
        date_format: How instants are written (see :data:`~cs8.io._values.DateFormat`).
        timezone: IANA zone for instants written without an offset.
        years: Inclusive range of years an instant may fall in; ``None`` for any.
        duplicates: ``"reject"`` (every row of a repeated id), ``"keep_first"``, ``"keep_last"``.
    """

    columns: FrozenDict[str, Any] = attrs.field(factory=FrozenDict, converter=_freeze)
    values: FrozenDict[str, Any] = attrs.field(factory=FrozenDict, converter=_freeze)
    constants: FrozenDict[str, Any] = attrs.field(factory=FrozenDict, converter=_freeze)
    missing: Collection[str] | Mapping[str, Collection[str]] = ()
    date_format: DateFormat = None
    timezone: str | None = None
    years: tuple[int, int] | None = YEARS
    duplicates: str = "reject"

    def __attrs_post_init__(self) -> None:
        check_rule(self.duplicates)


def _alternatives(spec: Any, field: str) -> tuple[tuple[str, ...], ...]:
    items = spec if isinstance(spec, list) else [spec]
    out: list[tuple[str, ...]] = []
    for item in items:
        parts = (item,) if isinstance(item, str) else tuple(item)
        if not parts or not all(isinstance(p, str) for p in parts):
            raise LoadError(f"columns[{field!r}] must name columns, got {spec!r}")
        out.append(parts)
    return tuple(out)


class _Skip(Exception):
    """The fast row function met something to explain: read the row again, field by field."""


class _Field:
    """How one field is read: its columns, value map, parsers, and what an empty cell means."""

    __slots__ = (
        "columns",
        "empty",
        "index",
        "label",
        "name",
        "parse",
        "parse_json",
        "values",
    )

    def __init__(
        self,
        name: str,
        label: str,
        columns: tuple[tuple[str, ...], ...],
        values: Mapping[Any, Any],
        parse: Parser,
        parse_json: Parser,
        empty: str,
    ) -> None:
        self.name = name
        self.label = label
        self.columns = columns
        self.values = ValueMap(values)
        self.parse = parse
        self.parse_json = parse_json
        self.empty = empty  # "required", "reject" (a default that is not None) or "default"
        self.index: tuple[tuple[int, ...], ...] = ()

    def mapped(self, raw: Any) -> Any:
        """Apply the value map (see :class:`~cs8.io._values.ValueMap`)."""
        return self.values(raw)


def _set_channel(kwargs: dict[str, Any], value: str, original: str) -> None:
    """Set ``channel`` (and ``channel_raw``) from a channel name, mapped from ``original``."""
    kwargs["channel"], raw = map_channel(value)
    if original is not value:
        kwargs["channel_raw"] = original
    elif raw is not None:
        kwargs["channel_raw"] = raw


class RecordBuilder:
    """Builds records of one model class from rows; see the module docstring.

    Args:
        cls: The model class.
        spec: The reader's options.
        skip: Fields not read from rows (a ticket's ``events``).
        what: The name in messages (default: the class name).
        extra_keys: JSON keys the caller reads itself (not rejected as unknown).
    """

    def __init__(
        self,
        cls: type,
        spec: ReadSpec,
        *,
        skip: Sequence[str] = (),
        what: str | None = None,
        extra_keys: Collection[str] = (),
    ) -> None:
        self.cls = cls
        self.extra_keys = frozenset(extra_keys)
        self.header: list[str] = []
        self.spec = spec
        self.what = what or cls.__name__
        self.has_raw_channel = any(f.name == "channel_raw" for f in data_fields(cls))
        hints = typing.get_type_hints(cls)
        attributes = {f.name: f for f in data_fields(cls) if f.name not in skip}
        if self.has_raw_channel:
            attributes.pop("channel_raw", None)
        for mapping, label in ((spec.columns, "columns"), (spec.values, "values")):
            for field in mapping:
                if field not in attributes and not (label == "values" and field in skip):
                    raise LoadError(
                        f"{label} maps {escape(repr(field))}, which is not a field of "
                        f"{self.what}; fields are: {', '.join(attributes)}"
                    )
        for field in spec.constants:
            if field not in attributes:
                raise LoadError(
                    f"constants sets {escape(repr(field))}, which is not a field of {self.what}"
                )
        self.fields: list[_Field] = []
        for name, attribute in attributes.items():
            kind, _ = strip_optional(hints[name])
            label = f"{self.what}.{name}"
            date = (
                date_parser(label, name, spec.date_format, spec.timezone, spec.years)
                if kind is datetime
                else None
            )
            if attribute.default is attrs.NOTHING:
                empty = "required"
            elif attribute.default is None or isinstance(attribute.default, attrs.Factory):  # type: ignore[arg-type]
                empty = "default"
            else:
                empty = "reject"
            columns = _alternatives(spec.columns.get(name, name), name)
            self.fields.append(
                _Field(
                    name,
                    label,
                    columns,
                    spec.values.get(name, {}),
                    cell_parser(label, kind, date=date),
                    json_parser(label, kind, date=date),
                    empty,
                )
            )
        self.by_name = {f.name: f for f in self.fields}
        self.constants = self._constants()
        self.present: list[_Field] = []
        self.missing_texts: Callable[[str], frozenset[str]] = self._missing()
        self.unknown_channels: dict[str, int] = {}

    def _missing(self) -> Callable[[str], frozenset[str]]:
        missing = self.spec.missing
        if isinstance(missing, Mapping):
            table = {k: frozenset(v) for k, v in missing.items()}
            return lambda column: table.get(column, frozenset())
        every = frozenset(missing)
        return lambda column: every

    def _constants(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.spec.constants.items():
            field = self.by_name[name]
            if name == "channel" and self.has_raw_channel and isinstance(value, str):
                out["channel"], raw = map_channel(value)
                if raw is not None:
                    out["channel_raw"] = raw
                continue
            try:
                out[name] = field.parse(value) if isinstance(value, str) else value
            except Cs8Error as exc:
                raise LoadError(f"constants[{name!r}]: {exc}") from None
        return out

    # ------------------------------------------------------------------------------ CSV rows

    def bind_header(self, header: list[str], source: str, hint: str = "") -> None:
        """Find each field's columns in the header.

        Raises:
            LoadError: If a required field has neither a column nor a constant.
        """
        position = {column: i for i, column in reversed(list(enumerate(header)))}
        self.header = header
        self.present = []
        self.missing_cells: dict[int, frozenset[str]] = {}
        absent: list[str] = []
        for field in self.fields:
            found = tuple(
                tuple(position[c] for c in alt)
                for alt in field.columns
                if all(c in position for c in alt)
            )
            if found:
                field.index = found
                self.present.append(field)
            elif field.empty == "required" and field.name not in self.constants:
                shown = " or ".join("+".join(alt) for alt in field.columns)
                absent.append(f"{escape(repr(shown))} (for {field.name})")
        for column, i in position.items():
            texts = self.missing_texts(column)
            if texts:
                self.missing_cells[i] = texts
        if absent:
            shown_header = escape(", ".join(header), 300)
            raise LoadError(
                f"{source} lacks required column(s) {', '.join(absent)}; its header is: "
                f"{shown_header}{hint}"
            )
        self._fast = self._compile()

    def unread_columns(self) -> list[str]:
        """Return the bound header's columns that no field reads, in header order.

        Example:
            >>> from cs8 import Customer
            >>> b = RecordBuilder(Customer, ReadSpec(columns={"id": "customer_id"}))
            >>> b.bind_header(["customer_id", "segment", "notes"], "<stream>")
            >>> b.unread_columns()
            ['notes']
        """
        read = {c for field in self.fields for alt in field.columns for c in alt}
        return [c for c in self.header if c not in read and c not in self.extra_keys]

    def _cell(self, field: _Field, cells: list[str]) -> str:
        missing = self.missing_cells
        for alt in field.index:
            parts = []
            for i in alt:
                text = cells[i]
                if not text.strip() or (missing and text.strip() in missing.get(i, ())):
                    break
                parts.append(text.strip() if len(alt) > 1 else text)
            else:
                return " ".join(parts)
        return ""

    def _compile(self) -> Callable[[list[str]], Any]:
        """Write the row function of the bound header: straight-line code, one step per field.

        The function builds the record or raises; on any error the row is read again by
        :meth:`_checked`, which names the field and the reason. Generated (as attrs generates
        ``__init__``) because a loop over field descriptors costs more than the parsing itself.
        """
        env: dict[str, Any] = {"cls": self.cls, "constants": self.constants, "Skip": _Skip}
        body = ["def build(cells):", "    kw = constants.copy()"]
        for k, field in enumerate(self.present):
            simple = (
                len(field.index) == 1
                and len(field.index[0]) == 1
                and not field.values
                and field.index[0][0] not in self.missing_cells
            )
            blank_ok = field.empty == "default" or field.name in self.constants
            if not simple:
                env[f"f{k}"] = self._field_step(field)
                body.append(f"    f{k}(cells, kw)")
                continue
            body.append(f"    t = cells[{field.index[0][0]}]")
            body.append("    if t and not t.isspace():")
            if field.name == "channel" and self.has_raw_channel:
                env["channel"] = self._channel_step()
                body.append("        channel(t, kw)")
            else:
                env[f"p{k}"] = field.parse
                body.append(f"        kw[{field.name!r}] = p{k}(t)")
            if not blank_ok:
                body.append("    else:")
                body.append("        raise Skip")
        body.append("    return cls(**kw)")
        exec("\n".join(body), env)
        build: Callable[[list[str]], Any] = env["build"]
        return build

    def _channel_step(self) -> Callable[[str, dict[str, Any]], None]:
        cache: dict[str, tuple[Any, str | None]] = {}

        def channel(text: str, kwargs: dict[str, Any]) -> None:
            found = cache.get(text)
            if found is None:
                found = map_channel(text)
                if len(cache) < 1000:  # a bounded memo: a file has few distinct channel names
                    cache[text] = found
            kwargs["channel"] = found[0]
            if found[1] is not None:
                kwargs["channel_raw"] = found[1]

        return channel

    def _field_step(self, field: _Field) -> Callable[[list[str], dict[str, Any]], None]:
        blank_ok = field.empty == "default" or field.name in self.constants
        has_raw = field.name == "channel" and self.has_raw_channel

        def step(cells: list[str], kwargs: dict[str, Any]) -> None:
            value = original = self._cell(field, cells)
            if field.values:
                value = field.mapped(value)
            if value is None or value == "":
                if blank_ok:
                    return
                raise _Skip
            if has_raw and isinstance(value, str):
                _set_channel(kwargs, value, original)
                return
            kwargs[field.name] = field.parse(value)

        return step

    def from_cells(self, cells: list[str], line: int, source: str) -> Any:
        """Build the record of one CSV row, or return a :class:`RejectedRow`."""
        record = self.build_cells(cells, line, source)
        self.note(record)
        return record

    def build_cells(self, cells: list[str], line: int, source: str) -> Any:
        """:meth:`from_cells` without counting the record's channel name (see :meth:`note`)."""
        try:
            return self._fast(cells)
        except Exception:
            return self._checked(cells, line, source)

    def note(self, item: Any) -> None:
        """Count a built record's channel name if it was loaded as ``Channel.OTHER``.

        The counts (``unknown_channels``) make the reader's warning; a reader that builds rows
        ahead of handing them over (the columnar path) notes them as it hands them over.
        """
        if self.has_raw_channel and type(item) is not RejectedRow and item.channel_raw is not None:
            self._note_other(item)

    def _checked(self, cells: list[str], line: int, source: str) -> Any:
        """Build the record of one CSV row field by field, or return a :class:`RejectedRow`."""
        if not any(c.strip() for c in cells):
            return self._reject(source, line, cells, "the row has no values")
        kwargs = dict(self.constants)
        for field in self.present:
            if len(field.index) == 1 and len(field.index[0]) == 1 and not self.missing_cells:
                value: Any = cells[field.index[0][0]]
                if not value.strip():
                    value = ""
            else:
                value = self._cell(field, cells)
            original = value
            if field.values:
                value = field.mapped(value)
            if value is None or value == "":
                if field.empty == "default" or field.name in self.constants:
                    continue
                return self._empty(field, source, line, cells)
            try:
                if field.name == "channel" and self.has_raw_channel and isinstance(value, str):
                    _set_channel(kwargs, value, original)
                    continue
                kwargs[field.name] = field.parse(value)
            except Cs8Error as exc:
                return self._reject(source, line, cells, str(exc), field, value)
        return self._construct(kwargs, source, line, cells)

    def _note_other(self, record: Any) -> None:
        raw = record.channel_raw
        if raw is None or record.channel.value != "other":
            return
        counts = self.unknown_channels
        if raw in counts or len(counts) < 50:
            counts[raw] = counts.get(raw, 0) + 1

    def _empty(self, field: _Field, source: str, line: int, cells: Any) -> RejectedRow:
        if field.empty == "required":
            reason = f"missing value for required field {field.name}"
        else:
            reason = (
                f"empty cell for {field.label} (it has no default for empty cells; "
                "map '' with values=)"
            )
        return self._reject(source, line, cells, reason, field, "")

    def _construct(self, kwargs: dict[str, Any], source: str, line: int, raw: Any) -> Any:
        try:
            return self.cls(**kwargs)
        except (Cs8Error, ValueError, TypeError, OverflowError) as exc:
            field = next(
                (f for f in self.fields if f"{self.cls.__name__}.{f.name}" in str(exc)), None
            )
            value = kwargs.get(field.name) if field else None
            if field is not None and isinstance(raw, list) and field.index:
                value = self._cell(field, raw)  # the cell as the file has it
            elif field is not None and isinstance(raw, Mapping):
                value = raw.get(field.columns[0][0], value)
            return self._reject(source, line, raw, str(exc), field, value)

    def _reject(
        self,
        source: str,
        line: int,
        raw: Any,
        reason: str,
        field: _Field | None = None,
        value: Any = None,
    ) -> RejectedRow:
        if isinstance(raw, list):
            header = self.header
            row = dict(zip(header, raw, strict=False))
        else:
            row = dict(raw) if isinstance(raw, Mapping) else {}
        column = None
        if field is not None:
            column = "+".join(field.columns[0])
        shown = value if value is None or isinstance(value, str) else str(value)
        return RejectedRow(
            source=source,
            line=line,
            column=column,
            value=shown,
            reason=escape(reason, 400),
            row=row,
        )

    # ----------------------------------------------------------------------------- JSON rows

    def from_json(self, obj: Mapping[str, Any], line: int, source: str) -> Any:
        """Build the record of one JSON object, or return a :class:`RejectedRow`."""
        kwargs = dict(self.constants)
        known = set()
        for field in self.fields:
            key = field.columns[0][0] if len(field.columns[0]) == 1 else field.name
            known.add(key)
            if key not in obj:
                if field.empty == "required" and field.name not in self.constants:
                    return self._reject(
                        source,
                        line,
                        obj,
                        f"missing value for required key {key!r}",
                        field,
                    )
                continue
            value = original = obj[key]
            if field.values and isinstance(value, str | int | float | bool):
                value = field.mapped(value)
            if value is None:
                if field.empty == "default":
                    continue
                return self._empty(field, source, line, obj)
            try:
                if field.name == "channel" and self.has_raw_channel and isinstance(value, str):
                    _set_channel(kwargs, value, original if isinstance(original, str) else value)
                    continue
                kwargs[field.name] = field.parse_json(value)
            except Cs8Error as exc:
                return self._reject(source, line, obj, str(exc), field, value)
        if self.has_raw_channel and "channel_raw" in obj:
            known.add("channel_raw")
            if "channel_raw" not in kwargs and obj["channel_raw"] is not None:
                kwargs["channel_raw"] = obj["channel_raw"]
        extra = [k for k in obj if k not in known and k not in self.extra_keys]
        if extra:
            return self._reject(
                source,
                line,
                obj,
                f"unknown key {escape(repr(extra[0]))} (not a field of {self.what})",
            )
        return self._construct(kwargs, source, line, obj)
