"""Result tables: KPI results keyed by group, convertible to dicts, pandas and polars.

Example:
    >>> from cs8.kpi import Rate
    >>> table = KpiTable(dimensions=("channel",), rows=((("chat",), Rate.of(3, 4)),))
    >>> table.to_dicts()[0]["channel"], table.to_dicts()[0]["value"]
    ('chat', 0.75)
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from html import escape
from typing import TYPE_CHECKING, Protocol

import attrs

from cs8._display import MarkdownRepr
from cs8._optional import require
from cs8.exceptions import UnknownFieldError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["KpiResult", "KpiTable"]


class KpiResult(Protocol):
    """**Protocol:** a KPI result: anything with ``to_dict()`` (every cs8.kpi result has one).

    Example:
        >>> from cs8.kpi import Rate
        >>> isinstance(Rate.of(1, 2).to_dict(), dict)
        True
    """

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict."""
        ...


Key = tuple[object, ...]
Cell = object


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _flatten(result: KpiResult) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in result.to_dict().items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                out[f"{name}.{sub}"] = inner
        elif isinstance(value, list | tuple):
            out[name] = "; ".join(str(v) for v in value)
        else:
            out[name] = value
    return out


def _show(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(_plain(value))


@attrs.frozen(kw_only=True)
class KpiTable(MarkdownRepr):
    """KPI results by group: one row per combination of the dimensions' values.

    Args:
        dimensions: The names of the grouping dimensions, e.g. ``("channel", "period")``.
        rows: ``(key, result)`` pairs; ``key`` holds one value per dimension.

    Example:
        >>> from cs8.kpi import Rate
        >>> t = KpiTable(dimensions=("team",), rows=((("a",), Rate.of(1, 2)), (("b",), Rate.of(2, 2))))
        >>> t[("b",)].value, len(t)
        (1.0, 2)
    """

    dimensions: tuple[str, ...]
    rows: tuple[tuple[Key, KpiResult], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Key, KpiResult]]:
        return iter(self.rows)

    def __getitem__(self, key: Key | object) -> KpiResult:
        wanted = key if isinstance(key, tuple) else (key,)
        for k, result in self.rows:
            if k == wanted or tuple(_plain(x) for x in k) == wanted:
                return result
        raise UnknownFieldError(f"KpiTable has no row {wanted!r}")

    def to_dicts(self) -> list[dict[str, object]]:
        """Return one flat dict per row: the dimensions, then the result's fields.

        Nested mappings (``excluded``) become ``"excluded.<reason>"`` columns; lists (warnings)
        are joined with ``"; "``; enum members become their values.

        Example:
            >>> from cs8.kpi import Rate
            >>> KpiTable(dimensions=("x",), rows=(((1,), Rate.of(1, 1)),)).to_dicts()[0]["n"]
            1
        """
        out: list[dict[str, object]] = []
        for key, result in self.rows:
            row: dict[str, object] = {
                d: _plain(v) for d, v in zip(self.dimensions, key, strict=True)
            }
            row.update(_flatten(result))
            out.append(row)
        columns: dict[str, None] = {}
        for row in out:
            columns.update(dict.fromkeys(row))
        return [{c: row.get(c) for c in columns} for row in out]

    def to_pandas(self) -> pd.DataFrame:
        """Return a :class:`pandas.DataFrame` (needs ``cs8[dataframe]``).

        Example:
            >>> from cs8.kpi import Rate
            >>> KpiTable(dimensions=("x",), rows=(((1,), Rate.of(1, 1)),)).to_pandas().shape[0]
            1
        """
        pd = require("pandas", "dataframe", "KpiTable.to_pandas()")
        return pd.DataFrame(self.to_dicts())

    def to_polars(self) -> pl.DataFrame:
        """Return a :class:`polars.DataFrame` (needs ``cs8[dataframe]``).

        Example:
            >>> from cs8.kpi import Rate
            >>> KpiTable(dimensions=("x",), rows=(((1,), Rate.of(1, 1)),)).to_polars().height
            1
        """
        pl = require("polars", "dataframe", "KpiTable.to_polars()")
        return pl.DataFrame(self.to_dicts(), infer_schema_length=None)  # type: ignore[no-any-return]

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        rows = self.to_dicts()
        if not rows:
            return list(self.dimensions), []
        wanted = [*self.dimensions]
        for name in ("value", "n", "successes", "mean", "median", "p90", "ci_low", "ci_high"):
            if name in rows[0] and name not in wanted:
                wanted.append(name)
        if any(k.startswith("excluded.") for r in rows for k in r):
            wanted.append("excluded")
        body = []
        for r in rows:
            cells = []
            for c in wanted:
                if c == "excluded":
                    parts = [
                        f"{k[9:]}: {v}" for k, v in r.items() if k.startswith("excluded.") and v
                    ]
                    cells.append(", ".join(parts) or "-")
                else:
                    cells.append(_show(r.get(c)))
            body.append(cells)
        return wanted, body

    def __str__(self) -> str:
        head, body = self._cells()
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(head)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
        return "\n".join(line.rstrip() for line in lines)

    def _repr_html_(self) -> str:
        head, body = self._cells()
        th = "".join(f"<th>{escape(h)}</th>" for h in head)
        trs = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in body)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"
