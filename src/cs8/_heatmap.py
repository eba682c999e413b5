"""One heatmap value for the whole library: a grid of numbers by row (weekday or day) and time of day.

The report draws its arrival and service-level maps (weekday x hour) and its staffing maps
(day x half hour) from it, and :meth:`cs8.staffing.StaffingPlan.heatmap` returns it, so every
renderer (SVG, text tables, matplotlib, JSON) reads one shape.

Example:
    >>> from datetime import time
    >>> h = Heatmap(key="heat.arrivals", rows=(0, 1), columns=(time(8), time(9)),
    ...             values=((3, 4), (None, 1)))
    >>> h.max(), h.shown(1, 0), h.column_labels()
    (4, None, ('08:00', '09:00'))
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import ClassVar, Literal

import attrs

from cs8._display import DictsReprMixin, Row
from cs8.exceptions import InvalidValueError

__all__ = ["Heatmap", "Unit"]

Unit = Literal["rate", "seconds", "points", "score", "count"]
"""How a value reads: a fraction, a duration in seconds, NPS points, a mean score, a count."""


def _labels(values: Iterable[int | date]) -> tuple[int | date, ...]:
    return tuple(values)


def _times(values: Iterable[time]) -> tuple[time, ...]:
    return tuple(values)


def _grid(rows: Iterable[Iterable[float | None]]) -> tuple[tuple[float | None, ...], ...]:
    return tuple(tuple(row) for row in rows)


def _int_grid(rows: Iterable[Iterable[int]]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(v) for v in row) for row in rows)


@attrs.frozen(kw_only=True, repr=False)
class Heatmap(DictsReprMixin):
    """Values by row (a weekday or a date) and column (a local time of day), ready to draw.

    Args:
        key: What the values are: a report catalogue key (``"heat.arrivals"``) or a title.
        unit: How the values read (see :data:`Unit`).
        rows: Weekday numbers (0 is Monday) or local dates, one per row of ``values``.
        columns: The local start time of each column.
        values: One row of values per row label; ``None`` where there is nothing to show.
        samples: For a rate measured on a sample: the sample size per cell (the shape of
            ``values``); empty when the values are not measured on samples.

    Raises:
        InvalidValueError: If the shapes of ``rows``, ``columns``, ``values`` and ``samples`` disagree.

    Example:
        >>> from datetime import date, time
        >>> Heatmap(key="agents", rows=(date(2026, 1, 5),), columns=(time(8), time(8, 30)),
        ...         values=((3, 4),)).values[0]
        (3, 4)
    """

    key: str
    unit: Unit = "count"
    rows: tuple[int | date, ...] = attrs.field(converter=_labels)
    columns: tuple[time, ...] = attrs.field(converter=_times)
    values: tuple[tuple[float | None, ...], ...] = attrs.field(converter=_grid)
    samples: tuple[tuple[int, ...], ...] = attrs.field(default=(), converter=_int_grid)

    __repr__ = DictsReprMixin._short_repr

    MIN_N: ClassVar[int] = 10
    """Rate cells measured on fewer contacts than this are drawn empty (too noisy to shade)."""

    def __attrs_post_init__(self) -> None:
        if len(self.values) != len(self.rows):
            raise InvalidValueError(
                f"Heatmap {self.key!r}: {len(self.values)} rows of values for "
                f"{len(self.rows)} row labels"
            )
        for k, row in enumerate(self.values):
            if len(row) != len(self.columns):
                raise InvalidValueError(
                    f"Heatmap {self.key!r}: row {k} has {len(row)} values for "
                    f"{len(self.columns)} columns"
                )
        if self.samples and [len(r) for r in self.samples] != [len(r) for r in self.values]:
            raise InvalidValueError(f"Heatmap {self.key!r}: samples must have the shape of values")

    def shown(self, row: int, column: int) -> float | None:
        """Return the value cell ``(row, column)`` is drawn with: ``None`` when empty or too few.

        A rate measured on fewer than :attr:`MIN_N` contacts is not shaded.

        Example:
            >>> from datetime import time
            >>> h = Heatmap(key="k", unit="rate", rows=(0,), columns=(time(0), time(1)),
            ...             values=((0.5, 0.9),), samples=((3, 40),))
            >>> h.shown(0, 0), h.shown(0, 1)
            (None, 0.9)
        """
        value = self.values[row][column]
        if value is None:
            return None
        if self.unit == "rate" and self.samples and self.samples[row][column] < self.MIN_N:
            return None
        return value

    def grid(self) -> list[list[float | None]]:
        """Return every cell as :meth:`shown` draws it, row by row.

        Example:
            >>> from datetime import time
            >>> Heatmap(key="k", rows=(0,), columns=(time(0),), values=((2,),)).grid()
            [[2]]
        """
        return [[self.shown(r, c) for c in range(len(self.columns))] for r in range(len(self.rows))]

    def max(self) -> float:
        """Return the largest value (0 when there is none), for a colour scale.

        Example:
            >>> Heatmap(key="x", rows=(), columns=(), values=()).max()
            0
        """
        return max((v for row in self.values for v in row if v is not None), default=0)

    def column_labels(self) -> tuple[str, ...]:
        """Return the columns as ``HH:MM`` text.

        Example:
            >>> from datetime import time
            >>> Heatmap(key="x", rows=(), columns=(time(13, 30),), values=()).column_labels()
            ('13:30',)
        """
        return tuple(f"{t:%H:%M}" for t in self.columns)

    def to_dicts(self) -> list[Row]:
        """Return one row per row label: the label, then one column per time (``HH:MM``).

        Example:
            >>> from datetime import date, time
            >>> Heatmap(key="agents", rows=(date(2026, 1, 5),), columns=(time(8), time(9)),
            ...         values=((3, 4),)).to_dicts()
            [{'row': datetime.date(2026, 1, 5), '08:00': 3, '09:00': 4}]
        """
        names = self.column_labels()
        return [
            {"row": label, **dict(zip(names, line, strict=True))}
            for label, line in zip(self.rows, self.values, strict=True)
        ]

    def _title(self) -> str:
        return self.key

    def to_dict(self) -> dict[str, object]:
        """Return JSON-ready data: rows as weekday numbers or ISO dates, columns as ``HH:MM``.

        Example:
            >>> from datetime import date, time
            >>> Heatmap(key="x", rows=(date(2026, 1, 5),), columns=(time(9),),
            ...         values=((1,),)).to_dict()["rows"]
            ['2026-01-05']
        """
        return {
            "key": self.key,
            "unit": self.unit,
            "rows": [r.isoformat() if isinstance(r, date) else r for r in self.rows],
            "columns": list(self.column_labels()),
            "values": [list(row) for row in self.values],
            "samples": [list(row) for row in self.samples],
        }
