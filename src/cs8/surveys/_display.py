"""Shared display and conversion for survey results: notebook table, text, dicts, dataframes."""

from __future__ import annotations

import abc
import html
import math
from typing import TYPE_CHECKING

from cs8._display import MarkdownRepr
from cs8._optional import require

if TYPE_CHECKING:
    import pandas
    import polars

__all__ = ["Row", "Tabular"]

Row = dict[str, object]


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.3f}"
    if value is None:
        return "-"
    return str(value)


class Tabular(abc.ABC, MarkdownRepr):
    """Mixin: a result that is a table of rows (``to_dicts``) renders and converts uniformly.

    Example:
        >>> class T(Tabular):
        ...     def to_dicts(self) -> list[Row]:
        ...         return [{"a": 1, "b": 0.5}]
        >>> print(T().to_text())
        a  b
        1  0.500
    """

    __slots__ = ()

    @abc.abstractmethod
    def to_dicts(self) -> list[Row]:
        """Return the result as a list of plain rows (one dict per row).

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> r = ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22)
            >>> servqual_scores([r]).to_dicts()[1]["dimension"]
            'reliability'
        """

    def _title(self) -> str:
        return ""

    def to_text(self) -> str:
        """Return the rows as an aligned plain-text table.

        Example:
            >>> class T(Tabular):
            ...     def to_dicts(self) -> list[Row]:
            ...         return [{"x": None}]
            >>> T().to_text().splitlines()[1]
            '-'
        """
        rows = self.to_dicts()
        if not rows:
            return self._title() or "(empty)"
        cols = list(rows[0])
        cells = [[_cell(r.get(c)) for c in cols] for r in rows]
        widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
        lines += [
            "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells
        ]
        title = self._title()
        return "\n".join([title, *lines] if title else lines)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        rows = self.to_dicts()
        cols = list(rows[0]) if rows else []
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in cols) + "</tr>"
            for r in rows
        )
        title = self._title()
        caption = f"<caption>{html.escape(title)}</caption>" if title else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def to_pandas(self) -> pandas.DataFrame:
        """Return the rows as a pandas DataFrame (needs ``cs8[dataframe]``).

        Raises:
            MissingExtraError: If pandas is not installed.

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> r = ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22)
            >>> servqual_scores([r]).to_pandas()["gap"].tolist()
            [-1.0, -1.0, -1.0, -1.0, -1.0]
        """
        pd = require("pandas", "dataframe", "to_pandas()")
        frame: pandas.DataFrame = pd.DataFrame(self.to_dicts())
        return frame

    def to_polars(self) -> polars.DataFrame:
        """Return the rows as a polars DataFrame (needs ``cs8[dataframe]``).

        Raises:
            MissingExtraError: If polars is not installed.

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> r = ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22)
            >>> servqual_scores([r]).to_polars().shape
            (5, 8)
        """
        pl = require("polars", "dataframe", "to_polars()")
        frame: polars.DataFrame = pl.DataFrame(self.to_dicts(), strict=False)
        return frame
