"""One result and display layer: a result gives its rows, everything else derives from them.

A result class implements ``to_dicts()`` (a table) and inherits from :class:`DictsReprMixin`, or
implements ``to_dict()`` (one record) and inherits from :class:`DictReprMixin`, in the way
tea-tasting's ``DictsReprMixin`` works. Text (``str``), ``_repr_html_``, ``_repr_markdown_``,
``to_pandas()``, ``to_polars()``, ``to_arrow()`` and ``to_json_ready()`` all come from those rows;
no result writes its own. A result may give a one-line ``_title()`` (its headline, e.g.
``Rate 90.0% (45/50)``) and name the fields that are shares (``_percent``).

A repr never shows more than ``max_rows`` rows (20): a table of thousands of records shows its
first 20 and says how many more there are; a result that holds many records (a load, an SLA
report) gives a summary record and a bounded table, never every record.

The number format, the same in text, HTML and Markdown (:func:`format_value`):

* **counts** (int) print in full: ``1234``;
* **rates and shares** (fields a result lists in ``_percent``) print as a percentage with one
  decimal: ``90.0%``;
* **other numbers** (float) print with 4 significant digits: ``0.8125``, ``2.5``, ``1.235e+05``;
* **durations** print as ``[D d ]HH:MM:SS.s``: ``00:02:30.0``, ``2d 03:00:00.0``;
* **money** (:class:`~decimal.Decimal`) prints with two decimals: ``15.15``;
* **intervals** (a pair of fields ``NAME_low`` and ``NAME_high``) print as one row
  ``NAME CI  [low, high]`` in the format of their value; ``ci_low``/``ci_high`` print as
  ``95% CI  [low, high]`` with the result's confidence;
* **instants** print in ISO 8601, enum members as their value, ``None`` and NaN as ``-``; lists
  and mappings inline (``merged: 1, spam: 2``), except that a list of text (``warnings``) gives
  one line per item (``warning``); empty lists and mappings are left out of a record.

In dataframes durations are duration dtypes (``timedelta64[us]``, polars ``Duration``, Arrow
``duration``), instants UTC, enum members their values, money floats and nested mappings
``key.subkey`` columns. In JSON-ready form (:func:`json_ready`) durations are seconds (a float),
instants ISO 8601 text, enum members their values, money floats and NaN ``None``, so
``json.dumps`` always works.

Example:
    >>> import attrs
    >>> @attrs.frozen
    ... class Pair(DictsReprMixin):
    ...     rows: tuple[tuple[str, float], ...]
    ...     def to_dicts(self) -> list[dict[str, object]]:
    ...         return [{"name": n, "value": v} for n, v in self.rows]
    >>> print(Pair(rows=(("a", 0.123456), ("b", 2.0))))
    name  value
    a     0.1235
    b     2
"""

from __future__ import annotations

import abc
import math
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from html import escape
from typing import Any, ClassVar

from cs8._optional import require

__all__ = [
    "DictReprMixin",
    "DictsReprMixin",
    "JsonValue",
    "Row",
    "arrow_table",
    "format_value",
    "json_ready",
    "pandas_frame",
    "polars_frame",
    "record_fields",
]

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]
Row = dict[str, object]


def format_value(value: object, *, percent: bool = False) -> str:
    """Return ``value`` as cs8 prints it in text, HTML and Markdown (the one number format).

    Args:
        value: Any cell.
        percent: Print a number as a percentage with one decimal (a rate or share).

    Example:
        >>> format_value(2 / 3), format_value(2 / 3, percent=True), format_value(None)
        ('0.6667', '66.7%', '-')
        >>> format_value(timedelta(hours=26, seconds=5)), format_value(Decimal("15.1"))
        ('1d 02:00:05.0', '15.10')
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal) and percent:
        return "-" if math.isnan(value) else f"{value:.1%}"
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.4g}"
    if isinstance(value, Decimal):
        return "-" if value.is_nan() else f"{value:.2f}"
    if isinstance(value, timedelta):
        return _format_duration(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {format_value(v, percent=percent)}" for k, v in value.items())
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(format_value(v, percent=percent) for v in value)
    return str(value)


def _format_duration(value: timedelta) -> str:
    total = value.total_seconds()
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return f"{sign}{int(days)}d {int(hours):02d}:{int(minutes):02d}:{seconds:04.1f}"
    return f"{sign}{int(hours):02d}:{int(minutes):02d}:{seconds:04.1f}"


def json_ready(value: object) -> JsonValue:
    """Return ``value`` as JSON-ready data (durations in seconds, instants as ISO 8601 text).

    Example:
        >>> json_ready({"wait": timedelta(minutes=1), "share": float("nan"), "n": 3})
        {'wait': 60.0, 'share': None, 'n': 3}
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return json_ready(value.value)
    if isinstance(value, Decimal):
        return json_ready(float(value))
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [json_ready(v) for v in value]
    return str(value)


def _frame_value(value: object) -> object:
    # Dataframe cells: instants in UTC (one zone per column), enums as values, decimals as floats,
    # sequences as lists; durations stay timedelta (duration dtypes).
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple | frozenset | set):
        return [_frame_value(v) for v in value]
    return value


def _flat(row: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """Return ``row`` with nested mappings spread into ``key.subkey`` columns."""
    out: dict[str, object] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = _frame_value(value)
    return out


def _frame_rows(rows: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    flat = [_flat(row) for row in rows]
    columns: dict[str, None] = {}
    for row in flat:
        columns.update(dict.fromkeys(row))
    return [{c: row.get(c) for c in columns} for row in flat]


def pandas_frame(rows: Sequence[Mapping[str, object]], durations: Collection[str] = ()) -> Any:
    """Return rows as a pandas DataFrame (durations as ``timedelta64``, instants in UTC).

    ``durations`` names columns that are durations even when every value is missing.

    Raises:
        MissingExtraError: If pandas is not installed.

    Example:
        >>> pandas_frame([{"wait": timedelta(seconds=90), "n": 1}]).dtypes["wait"].kind
        'm'
    """
    pd = require("pandas", "dataframe", "to_pandas()")
    frame = pd.DataFrame(_frame_rows(rows))
    for column in durations:
        if column in frame and frame[column].dtype.kind != "m":
            frame[column] = pd.to_timedelta(frame[column]).astype("timedelta64[us]")
    return frame


def polars_frame(rows: Sequence[Mapping[str, object]], durations: Collection[str] = ()) -> Any:
    """Return rows as a polars DataFrame (durations as ``Duration``, instants in UTC).

    ``durations`` names columns that are durations even when every value is missing.

    Raises:
        MissingExtraError: If polars is not installed.

    Example:
        >>> str(polars_frame([{"wait": timedelta(seconds=90), "n": 1}]).schema["wait"])
        "Duration(time_unit='us')"
    """
    pl = require("polars", "dataframe", "to_polars()")
    frame = pl.DataFrame(_frame_rows(rows), infer_schema_length=None, strict=False)
    casts = [pl.col(c).cast(pl.Duration("us")) for c in durations if c in frame.columns]
    return frame.with_columns(casts) if casts else frame


def arrow_table(rows: Sequence[Mapping[str, object]], durations: Collection[str] = ()) -> Any:
    """Return rows as a pyarrow Table (durations as ``duration[us]``, instants in UTC).

    ``durations`` names columns that are durations even when every value is missing.

    Raises:
        MissingExtraError: If pyarrow is not installed.

    Example:
        >>> str(arrow_table([{"wait": timedelta(seconds=90), "n": 1}]).schema.field("wait").type)
        'duration[us]'
    """
    pa = require("pyarrow", "dataframe", "to_arrow()")
    table = pa.Table.from_pylist(_frame_rows(rows))
    for column in durations:
        if column in table.column_names:
            index = table.column_names.index(column)
            cast = table.column(index).cast(pa.duration("us"))
            table = table.set_column(index, column, cast)
    return table


def _cell(value: object, percent: bool = False) -> str:
    # One table cell on one line (a multi-line text, such as a routing trace, is joined).
    return " ".join(format_value(value, percent=percent).splitlines())


def _markdown_line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


class DictsReprMixin(abc.ABC):
    """Display and conversions for a result that gives its rows with ``to_dicts()``.

    A subclass implements ``to_dicts()``; it may give a ``_title()``, list its share columns in
    ``_percent``, its duration columns in ``_durations`` (duration dtypes even when all missing)
    and the fields its title already shows in ``_hidden`` (left out of the text only). Text, HTML
    and Markdown show at most ``max_rows`` rows and say how many more.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Shares(DictsReprMixin):
        ...     _percent = frozenset({"share"})
        ...     n: int
        ...     def to_dicts(self) -> list[dict[str, object]]:
        ...         return [{"id": i, "share": 1 / (i + 1)} for i in range(self.n)]
        ...     def _title(self) -> str:
        ...         return f"Shares ({self.n})"
        >>> print(Shares(n=23))  # doctest: +ELLIPSIS
        Shares (23)
        id  share
        0   100.0%
        1   50.0%
        ...
        19  5.0%
        ... and 3 more rows
        >>> Shares(n=2).to_json_ready()
        [{'id': 0, 'share': 1.0}, {'id': 1, 'share': 0.5}]
        >>> Shares(n=2).to_pandas()["share"].tolist()
        [1.0, 0.5]
    """

    __slots__ = ()

    max_rows: ClassVar[int] = 20
    _percent: ClassVar[frozenset[str]] = frozenset()
    _hidden: ClassVar[frozenset[str]] = frozenset()
    _durations: ClassVar[frozenset[str]] = frozenset()

    @abc.abstractmethod
    def to_dicts(self) -> Sequence[Mapping[str, object]]:
        """Return the rows as dicts."""

    def _title(self) -> str:
        return ""

    def to_json_ready(self) -> JsonValue:
        """Return the rows as JSON-ready dicts (durations in seconds, instants in ISO 8601).

        Example:
            >>> from cs8.kpi import channel_mix
            >>> channel_mix([]).to_json_ready()
            []
        """
        return [json_ready(row) for row in self.to_dicts()]

    def to_pandas(self) -> Any:
        """Return the rows as a pandas DataFrame (durations as ``timedelta64``).

        Raises:
            MissingExtraError: If pandas is not installed.

        Example:
            >>> from cs8.kpi import ticket_metrics
            >>> ticket_metrics([]).to_pandas().shape
            (0, 0)
        """
        return pandas_frame(self.to_dicts(), self._durations)

    def to_polars(self) -> Any:
        """Return the rows as a polars DataFrame (durations as ``Duration``).

        Raises:
            MissingExtraError: If polars is not installed.

        Example:
            >>> from cs8.kpi import Rate
            >>> Rate.of(3, 4).to_polars()["value"].to_list()
            [0.75]
        """
        return polars_frame(self.to_dicts(), self._durations)

    def to_arrow(self) -> Any:
        """Return the rows as a pyarrow Table (durations as ``duration[us]``).

        Raises:
            MissingExtraError: If pyarrow is not installed.

        Example:
            >>> from cs8.kpi import Rate
            >>> Rate.of(3, 4).to_arrow().num_rows
            1
        """
        return arrow_table(self.to_dicts(), self._durations)

    def _short_repr(self) -> str:
        """Return a one-line repr: the class, the title and how many rows (never the rows).

        A table result uses it as ``__repr__`` (``@attrs.frozen(repr=False)`` and
        ``__repr__ = DictsReprMixin._short_repr``), so a terminal never prints every record.
        """
        title = self._title()
        rows = len(self.to_dicts())
        return f"<{type(self).__name__}{': ' + title if title else ''}; {rows:,} rows>"

    def to_text(self) -> str:
        """Return the text form (the same as ``str()``): the title, then an aligned table.

        Example:
            >>> from cs8.kpi import Count
            >>> Count(value=3).to_text()
            'Count 3'
        """
        return self.__str__()

    def _summary(self) -> list[tuple[str, str]]:
        """Return ``(label, text)`` lines shown above the table (none for a plain table)."""
        return []

    def _columns(self, columns: list[str]) -> list[str]:
        """Return the columns a repr shows, of those the rows have (all by default)."""
        return columns

    def _cells(self) -> tuple[list[str], list[list[str]], int]:
        rows = self.to_dicts()
        shown = rows[: self.max_rows]
        columns: dict[str, None] = {}
        for row in shown:
            columns.update(dict.fromkeys(str(k) for k in row))
        header = self._columns(list(columns))
        body = [[_cell(row.get(c), c in self._percent) for c in header] for row in shown]
        return header, body, len(rows) - len(shown)

    def __str__(self) -> str:
        lines = [self._title()] if self._title() else []
        lines += _record_text(self._summary())
        header, body, hidden = self._cells()
        if header:
            widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
            for cells in [header, *body]:
                lines.append(
                    "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
                )
        if hidden:
            lines.append(f"... and {hidden:,} more rows")
        return "\n".join(lines) if lines else "(empty)"

    def _repr_html_(self) -> str:
        title = f"<caption>{escape(self._title())}</caption>" if self._title() else ""
        out = _record_html(self._title(), self._summary()) if self._summary() else ""
        header, body, hidden = self._cells()
        if header:
            caption = "" if out else title
            head = "".join(f"<th>{escape(h)}</th>" for h in header)
            cells = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in body
            )
            out += f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"
        elif not out:
            out = f"<table>{title}</table>"
        if hidden:
            out += f"<p>... and {hidden:,} more rows</p>"
        return out

    def _repr_markdown_(self) -> str:
        lines = [f"**{self._title()}**", ""] if self._title() else []
        summary = self._summary()
        if summary:
            lines += ["| field | value |", "|---|---|"]
            lines += [_markdown_line([k, v]) for k, v in summary]
            lines.append("")
        header, body, hidden = self._cells()
        if header:
            lines += [_markdown_line(header), "|" + "---|" * len(header)]
            lines += [_markdown_line(r) for r in body]
        if hidden:
            lines += ["", f"... and {hidden:,} more rows"]
        return "\n".join(lines).rstrip()


def _record_text(fields: Sequence[tuple[str, str]]) -> list[str]:
    width = max((len(k) for k, _ in fields), default=0)
    return [f"  {k.ljust(width)}  {v}" for k, v in fields]


def _record_html(title: str, fields: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in fields)
    caption = f"<caption>{escape(title)}</caption>" if title else ""
    return f"<table>{caption}<tbody>{body}</tbody></table>"


def record_fields(
    record: Mapping[str, object], percent: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """Return a record's ``(label, text)`` display lines in the one number format.

    Intervals ``NAME_low``/``NAME_high`` become one ``NAME CI`` line (``ci_low``/``ci_high`` one
    ``95% CI`` line, with the record's ``confidence``, which then is not shown apart); a list of
    text (``warnings``) gives one line per item (``warning``); empty lists and mappings are left
    out.

    Example:
        >>> record_fields({"value": 0.9, "ci_low": 0.8, "ci_high": 0.95, "confidence": 0.95,
        ...                "excluded": {}}, frozenset({"value", "ci_low", "ci_high"}))
        [('value', '90.0%'), ('95% CI', '[80.0%, 95.0%]')]
    """
    out: list[tuple[str, str]] = []
    confidence = record.get("confidence")
    labelled_ci = "ci_low" in record and isinstance(confidence, float)
    for key, value in record.items():
        empty = isinstance(value, Mapping | list | tuple) and not value
        if empty or (key == "confidence" and labelled_ci):
            continue
        if key.endswith("_high") and f"{key[:-5]}_low" in record:
            continue
        if key.endswith("_low") and f"{key[:-4]}_high" in record:
            name = key[:-4]
            pct = name in percent or key in percent
            low = format_value(value, percent=pct)
            high = format_value(record[f"{name}_high"], percent=pct)
            level = f"{confidence:.0%} CI" if isinstance(confidence, float) else "CI"
            out.append((level if name == "ci" else f"{name} {level}", f"[{low}, {high}]"))
            continue
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            label = key[:-1] if key.endswith("s") else key
            out.extend((label, v) for v in value)
            continue
        out.append((key, _cell(value, key in percent)))
    return out


class DictReprMixin(DictsReprMixin):
    """Display and conversions for a one-record result that implements ``to_dict()``.

    Text, HTML and Markdown show the title and one ``field  value`` line per field (intervals on
    one line, see :func:`record_fields`); the dataframes have one row, ``to_json_ready()`` gives
    one dict.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Share(DictReprMixin):
        ...     _percent = frozenset({"value", "ci_low", "ci_high"})
        ...     value: float
        ...     def to_dict(self) -> dict[str, object]:
        ...         return {"value": self.value, "ci_low": 0.5, "ci_high": 0.9, "confidence": 0.95}
        ...     def _title(self) -> str:
        ...         return "Share"
        >>> print(Share(value=0.75))
        Share
          value   75.0%
          95% CI  [50.0%, 90.0%]
        >>> Share(value=0.75).to_json_ready()["value"]
        0.75
        >>> print(Share(value=0.75)._repr_markdown_())
        **Share**
        <BLANKLINE>
        | field | value |
        |---|---|
        | value | 75.0% |
        | 95% CI | [50.0%, 90.0%] |
    """

    __slots__ = ()

    @abc.abstractmethod
    def to_dict(self) -> Mapping[str, object]:
        """Return the record as a dict."""

    def to_dicts(self) -> Sequence[Mapping[str, object]]:
        """Return ``[self.to_dict()]``.

        Example:
            >>> from cs8.kpi import Count
            >>> Count(value=3).to_dicts()
            [{'value': 3, 'excluded': {}}]
        """
        return [self.to_dict()]

    def to_json_ready(self) -> JsonValue:
        """Return the record as a JSON-ready dict (durations in seconds, instants in ISO 8601).

        Example:
            >>> from cs8.kpi import Count
            >>> Count(value=3).to_json_ready()
            {'value': 3, 'excluded': {}}
        """
        return json_ready(self.to_dict())

    def _summary(self) -> list[tuple[str, str]]:
        record = {k: v for k, v in self.to_dict().items() if k not in self._hidden}
        return record_fields(record, self._percent)

    def _cells(self) -> tuple[list[str], list[list[str]], int]:
        return [], [], 0
