"""One result and display layer: a result gives its rows, everything else derives from them.

A result class implements ``to_dicts()`` (several rows) or ``to_dict()`` (one record) and inherits
from :class:`DictsReprMixin` or :class:`DictReprMixin`; text (``str``), ``_repr_html_``,
``_repr_markdown_``, ``to_pandas()``, ``to_polars()``, ``to_arrow()`` and ``to_json_ready()`` all come
from those rows, in the way tea-tasting's ``DictsReprMixin`` works. A repr never prints more than
``max_rows`` rows (20 by default): a table of thousands of records shows its first rows and says how
many were left out.

The number format, the same everywhere (:func:`format_value`):

* ``None`` and NaN print as ``-``;
* a float prints with 4 significant digits (``0.8125``, ``1.235e+05``); an int in full;
* a duration prints as ``[D d ]HH:MM:SS.s`` (``01:02:03.0``, ``2d 03:00:00.0``);
* an instant prints in ISO 8601; an enum member as its value; anything else with ``str``.

In JSON-ready form (:func:`json_ready`), durations are seconds (a float), instants ISO 8601 text,
enum members their values, decimals floats, NaN ``None``, mappings dicts and sequences lists.

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

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from html import escape
from typing import Any, ClassVar

from cs8._optional import require

__all__ = [
    "DictReprMixin",
    "DictsReprMixin",
    "format_value",
    "json_ready",
    "record_html",
    "record_text",
]

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def format_value(value: object) -> str:
    """Return ``value`` as cs8 prints it in text, HTML and Markdown (the one number format).

    Example:
        >>> format_value(2 / 3), format_value(timedelta(hours=26, seconds=5)), format_value(None)
        ('0.6667', '1d 02:00:05.0', '-')
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.4g}"
    if isinstance(value, timedelta):
        return _format_duration(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {format_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(format_value(v) for v in value)
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


def record_text(title: str, fields: Mapping[str, object]) -> str:
    """Return one record as text: the title, then one ``field  value`` line per field.

    Example:
        >>> print(record_text("Rate", {"value": 0.5, "n": 4}))
        Rate
          value  0.5
          n      4
    """
    width = max((len(k) for k in fields), default=0)
    lines = [title] if title else []
    lines.extend(f"  {k.ljust(width)}  {format_value(v)}" for k, v in fields.items())
    return "\n".join(lines)


def record_html(title: str, fields: Mapping[str, object]) -> str:
    """Return one record as an HTML table with a caption.

    Example:
        >>> record_html("Rate", {"n": 4})
        '<table><caption>Rate</caption><tbody><tr><th>n</th><td>4</td></tr></tbody></table>'
    """
    body = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(format_value(v))}</td></tr>"
        for k, v in fields.items()
    )
    caption = f"<caption>{escape(title)}</caption>" if title else ""
    return f"<table>{caption}<tbody>{body}</tbody></table>"


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
        return float(value)
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
    if isinstance(value, tuple | frozenset | set):
        return [_frame_value(v) for v in value]
    return value


def _flat(row: Mapping[str, object]) -> dict[str, object]:
    """Return ``row`` with nested mappings spread into ``key.subkey`` columns."""
    out: dict[str, object] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                out[f"{key}.{sub}"] = _frame_value(inner)
        else:
            out[key] = _frame_value(value)
    return out


class DictsReprMixin:
    """Display and conversions for a result that gives its rows with ``to_dicts()``.

    A subclass implements ``to_dicts()``; it may set ``_title`` text (``_caption()``) and
    ``max_rows`` (how many rows a repr shows). Nested mappings (such as ``excluded``) become
    ``key.subkey`` columns in dataframes; instants are converted to UTC there.
    """

    max_rows: ClassVar[int] = 20

    def to_dicts(self) -> Sequence[Mapping[str, object]]:
        """Return the rows as dicts (implemented by each result)."""
        raise NotImplementedError

    def _caption(self) -> str:
        return ""

    def to_json_ready(self) -> list[dict[str, JsonValue]]:
        """Return the rows as JSON-ready dicts (durations in seconds, instants in ISO 8601)."""
        return [{str(k): json_ready(v) for k, v in row.items()} for row in self.to_dicts()]

    def _frame_rows(self) -> list[dict[str, object]]:
        rows = [_flat(row) for row in self.to_dicts()]
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        return [{c: row.get(c) for c in columns} for row in rows]

    def to_pandas(self) -> Any:
        """Return the rows as a pandas DataFrame (durations as ``timedelta64``).

        Raises:
            MissingExtraError: If pandas is not installed.
        """
        pd = require("pandas", "dataframe", "to_pandas()")
        return pd.DataFrame(self._frame_rows())

    def to_polars(self) -> Any:
        """Return the rows as a polars DataFrame (durations as ``Duration``).

        Raises:
            MissingExtraError: If polars is not installed.
        """
        pl = require("polars", "dataframe", "to_polars()")
        return pl.DataFrame(self._frame_rows(), infer_schema_length=None)

    def to_arrow(self) -> Any:
        """Return the rows as a pyarrow Table (durations as ``duration[us]``).

        Raises:
            MissingExtraError: If pyarrow is not installed.
        """
        pa = require("pyarrow", "dataframe", "to_arrow()")
        return pa.Table.from_pylist(self._frame_rows())

    def _cells(self) -> tuple[list[str], list[list[str]], int]:
        rows = self.to_dicts()
        shown = rows[: self.max_rows]
        columns: dict[str, None] = {}
        for row in shown:
            columns.update(dict.fromkeys(row))
        header = list(columns)
        body = [[format_value(row.get(c)) for c in header] for row in shown]
        return header, body, len(rows) - len(shown)

    def _more(self, hidden: int) -> str:
        return f"... {hidden:,} more rows" if hidden else ""

    def __str__(self) -> str:
        header, body, hidden = self._cells()
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
        lines = [self._caption()] if self._caption() else []
        lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
        for r in body:
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if hidden:
            lines.append(self._more(hidden))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        header, body, hidden = self._cells()
        caption = f"<caption>{escape(self._caption())}</caption>" if self._caption() else ""
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in body)
        more = f"<p>{escape(self._more(hidden))}</p>" if hidden else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"

    def _repr_markdown_(self) -> str:
        header, body, hidden = self._cells()

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        lines = [f"**{self._caption()}**", ""] if self._caption() else []
        lines += [line(header), "|" + "---|" * len(header)] + [line(r) for r in body]
        if hidden:
            lines += ["", self._more(hidden)]
        return "\n".join(lines)


class DictReprMixin(DictsReprMixin):
    """Display and conversions for a one-record result that implements ``to_dict()``.

    Text, HTML and Markdown show the record as ``field  value`` lines; the dataframes have one row.
    """

    def to_dict(self) -> Mapping[str, object]:
        """Return the record as a dict (implemented by each result)."""
        raise NotImplementedError

    def to_dicts(self) -> Sequence[Mapping[str, object]]:
        """Return ``[self.to_dict()]``."""
        return [self.to_dict()]

    def _shown(self) -> dict[str, object]:
        return {str(k): v for k, v in self.to_dict().items() if v not in ({}, [], ())}

    def __str__(self) -> str:
        return record_text(self._caption(), self._shown())

    def _repr_html_(self) -> str:
        return record_html(self._caption(), self._shown())

    def _repr_markdown_(self) -> str:
        lines = [f"**{self._caption()}**", ""] if self._caption() else []
        lines += ["| field | value |", "|---|---|"]
        lines += [
            f"| {k} | {format_value(v).replace('|', chr(92) + '|')} |"
            for k, v in self._shown().items()
        ]
        return "\n".join(lines)


def markdown_of(result: Any, max_rows: int = 20) -> str:
    """Return a bounded Markdown table of a result that has ``to_dicts()`` or ``to_dict()``.

    Rows come from ``to_dicts()`` (at most ``max_rows`` shown, and how many more), or one record
    from ``to_dict()`` as ``field | value`` lines.

    Example:
        >>> from cs8.kpi import csat
        >>> print(markdown_of(csat([5, 4, 2])).splitlines()[4])
        | value | 0.6667 |
    """
    title = f"**{type(result).__name__}**"
    if hasattr(result, "to_dicts"):
        rows = list(result.to_dicts())
        shown = rows[:max_rows]
        columns: dict[str, None] = {}
        for row in shown:
            columns.update(dict.fromkeys(str(k) for k in row))
        header = list(columns)

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        body = [line([format_value(row.get(c)) for c in header]) for row in shown]
        lines = [title, "", line(header), "|" + "---|" * len(header), *body]
        if len(rows) > len(shown):
            lines += ["", f"... {len(rows) - len(shown):,} more rows"]
        return "\n".join(lines)
    fields = {str(k): v for k, v in result.to_dict().items() if v not in ({}, [], ())}
    lines = [title, "", "| field | value |", "|---|---|"]
    lines += [f"| {k} | {format_value(v).replace('|', chr(92) + '|')} |" for k, v in fields.items()]
    return "\n".join(lines)


class MarkdownRepr:
    """Gives a result with ``to_dicts()`` or ``to_dict()`` a bounded ``_repr_markdown_``.

    Example:
        >>> from cs8.kpi import Rate
        >>> issubclass(Rate, MarkdownRepr)
        True
    """

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return markdown_of(self)
