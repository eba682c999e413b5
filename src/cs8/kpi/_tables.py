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
from typing import Protocol

import attrs

from cs8._display import DictsReprMixin
from cs8.exceptions import UnknownFieldError

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


@attrs.frozen(kw_only=True, repr=False)
class KpiTable(DictsReprMixin):
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

    __repr__ = DictsReprMixin._short_repr

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

    def _columns(self, columns: list[str]) -> list[str]:
        # The dimensions and the headline fields; the frames have every column.
        shown = [*self.dimensions]
        for name in ("value", "n", "successes", "mean", "median", "p90", "ci_low", "ci_high"):
            if name in columns and name not in shown:
                shown.append(name)
        return shown + [c for c in columns if c.startswith("excluded.")]
