"""Importance-performance analysis (Martilla and James 1977, Journal of Marketing 41(1), 77-79).

Each attribute is placed on a grid by its importance and its performance. The grid is split at
the means of the plotted values (or at given cut points), and each quadrant has a label:

=====================  ===================  ===================
                       low performance      high performance
=====================  ===================  ===================
**high importance**    concentrate here     keep up the good work
**low importance**     low priority         possible overkill
=====================  ===================  ===================

Tie rule: a value exactly on a cut line counts as *high* (``value >= cut``), so an attribute on
the importance line is treated as important and one on the performance line as performing.

Example:
    >>> grid = importance_performance({"speed": 3.1, "price": 4.5}, {"speed": 0.6, "price": 0.2})
    >>> grid.quadrant("speed")
    Quadrant.CONCENTRATE_HERE
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import attrs

from cs8._display import DictsReprMixin, Row, format_value
from cs8._enums import _LowerEnum
from cs8.exceptions import SurveyError
from cs8.stats._tests import pearson
from cs8.surveys._instrument import Dimension, DimensionKey, DimensionWeights
from cs8.surveys._reliability import Cell
from cs8.surveys._responses import Missing
from cs8.surveys._servqual_results import ServqualReport

__all__ = [
    "IpaPoint",
    "IpaResult",
    "Quadrant",
    "derived_importance",
    "importance_performance",
    "servqual_ipa",
]

_QUADRANT_LABELS = {
    "concentrate_here": ("Concentrate here", "Tập trung cải thiện"),
    "keep_up_the_good_work": ("Keep up the good work", "Tiếp tục phát huy"),
    "low_priority": ("Low priority", "Ưu tiên thấp"),
    "possible_overkill": ("Possible overkill", "Có thể đầu tư thừa"),
}


class Quadrant(_LowerEnum):
    """A quadrant of the importance-performance grid.

    Example:
        >>> Quadrant.KEEP_UP_THE_GOOD_WORK.label("vi")
        'Tiếp tục phát huy'
    """

    CONCENTRATE_HERE = "concentrate_here"
    KEEP_UP_THE_GOOD_WORK = "keep_up_the_good_work"
    LOW_PRIORITY = "low_priority"
    POSSIBLE_OVERKILL = "possible_overkill"

    def label(self, language: str = "en") -> str:
        """Return the quadrant's label (``"en"`` or ``"vi"``).

        Example:
            >>> Quadrant.POSSIBLE_OVERKILL.label()
            'Possible overkill'
        """
        en, vi = _QUADRANT_LABELS[self.value]
        return vi if language == "vi" else en


def _quadrant(importance: float, performance: float, i_cut: float, p_cut: float) -> Quadrant:
    important = importance >= i_cut
    performing = performance >= p_cut
    if important:
        return Quadrant.KEEP_UP_THE_GOOD_WORK if performing else Quadrant.CONCENTRATE_HERE
    return Quadrant.POSSIBLE_OVERKILL if performing else Quadrant.LOW_PRIORITY


@attrs.frozen(kw_only=True)
class IpaPoint:
    """One attribute on the grid.

    Example:
        >>> importance_performance({"a": 1.0, "b": 2.0}, {"a": 1.0, "b": 2.0}).points[0].quadrant
        Quadrant.LOW_PRIORITY
    """

    item: str
    importance: float
    performance: float
    quadrant: Quadrant


@attrs.frozen(kw_only=True, repr=False)
class IpaResult(DictsReprMixin):
    """The importance-performance grid.

    Attributes:
        points: The attributes in input order with their quadrant.
        importance_cut: Where the importance axis is split.
        performance_cut: Where the performance axis is split.

    Example:
        >>> grid = importance_performance({"a": 1.0, "b": 2.0}, {"a": 1.0, "b": 2.0})
        >>> grid.importance_cut, grid.items_in(Quadrant.KEEP_UP_THE_GOOD_WORK)
        (1.5, ('b',))
    """

    __repr__ = DictsReprMixin._short_repr

    points: tuple[IpaPoint, ...]
    importance_cut: float
    performance_cut: float

    def quadrant(self, item: str) -> Quadrant:
        """Return the quadrant of ``item``.

        Raises:
            SurveyError: If the item is not on the grid.

        Example:
            >>> importance_performance({"a": 1.0, "b": 2.0}, {"a": 2.0, "b": 1.0}).quadrant("a")
            Quadrant.CONCENTRATE_HERE
        """
        for p in self.points:
            if p.item == item:
                return p.quadrant
        raise SurveyError(f"IPA grid has no item {item!r}")

    def items_in(self, quadrant: Quadrant | str) -> tuple[str, ...]:
        """Return the items in ``quadrant``, in input order.

        Example:
            >>> importance_performance({"a": 1.0, "b": 2.0}, {"a": 2.0, "b": 1.0}).items_in("possible_overkill")
            ('b',)
        """
        q = Quadrant(quadrant)
        return tuple(p.item for p in self.points if p.quadrant is q)

    def _title(self) -> str:
        return (
            f"Importance-performance grid (cuts: importance {format_value(self.importance_cut)}, "
            f"performance {format_value(self.performance_cut)})"
        )

    def to_dicts(self) -> list[Row]:
        """Return one row per attribute.

        Example:
            >>> importance_performance({"a": 1.0}, {"a": 2.0}).to_dicts()[0]["quadrant"]
            'keep_up_the_good_work'
        """
        return [
            {
                "item": p.item,
                "importance": p.importance,
                "performance": p.performance,
                "quadrant": p.quadrant.value,
                "label": p.quadrant.label(),
            }
            for p in self.points
        ]


def importance_performance(
    performance: Mapping[str, float],
    importance: Mapping[str, float],
    *,
    importance_cut: float | None = None,
    performance_cut: float | None = None,
) -> IpaResult:
    """Place attributes on the importance-performance grid.

    Args:
        performance: Attribute -> performance (for example mean perception).
        importance: Attribute -> importance, stated (mean rating or points) or derived (see
            :func:`derived_importance`); must name the same attributes.
        importance_cut: Split of the importance axis; the mean of the importances by default.
        performance_cut: Split of the performance axis; the mean of the performances by default.

    Raises:
        SurveyError: If the attributes differ, there are none, or a value is NaN.

    Example:
        >>> grid = importance_performance(
        ...     {"speed": 3.0, "price": 4.5, "staff": 4.0},
        ...     {"speed": 0.7, "price": 0.2, "staff": 0.6},
        ...     performance_cut=4.0,
        ... )
        >>> [(p.item, p.quadrant.label()) for p in grid.points]
        [('speed', 'Concentrate here'), ('price', 'Possible overkill'), ('staff', 'Keep up the good work')]
    """
    if not performance:
        raise SurveyError("importance_performance needs at least one attribute, got none")
    if set(performance) != set(importance):
        missing = sorted(set(performance) ^ set(importance))
        raise SurveyError(f"importance and performance name different attributes: {missing}")
    for name in performance:
        for what, value in (("performance", performance[name]), ("importance", importance[name])):
            if not isinstance(value, int | float) or math.isnan(value):
                raise SurveyError(f"{what} of {name!r} must be a number, got {value!r}")
    i_cut = (
        importance_cut
        if importance_cut is not None
        else math.fsum(importance.values()) / len(importance)
    )
    p_cut = (
        performance_cut
        if performance_cut is not None
        else math.fsum(performance.values()) / len(performance)
    )
    points = tuple(
        IpaPoint(
            item=name,
            importance=float(importance[name]),
            performance=float(performance[name]),
            quadrant=_quadrant(importance[name], performance[name], i_cut, p_cut),
        )
        for name in performance
    )
    return IpaResult(points=points, importance_cut=i_cut, performance_cut=p_cut)


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j + 2) / 2.0
        i = j + 1
    return ranks


def _num(v: Cell) -> float | None:
    if v is None or isinstance(v, Missing):
        return None
    f = float(v)
    return None if math.isnan(f) else f


def derived_importance(
    rows: Sequence[Sequence[Cell]],
    overall: Sequence[Cell],
    *,
    items: Sequence[str] | None = None,
    method: Literal["pearson", "spearman"] = "pearson",
) -> dict[str, float]:
    """Derive each attribute's importance as its correlation with an overall satisfaction item.

    Each correlation uses the respondents who answered both the attribute and the overall item
    (pairwise deletion).

    Args:
        rows: Respondents x attributes (performance ratings).
        overall: Each respondent's overall satisfaction rating.
        items: Attribute names (``"item 1"`` ... by default).
        method: ``"pearson"`` or ``"spearman"`` (Pearson on average ranks).

    Raises:
        SurveyError: If the lengths differ or the method is unknown.

    Example:
        >>> derived_importance([[1, 5], [2, 4], [3, 5], [4, 4]], [1, 2, 3, 4], items=["a", "b"])
        {'a': 1.0, 'b': -0.4472135954999579}
    """
    if method not in ("pearson", "spearman"):
        raise SurveyError(f"method must be 'pearson' or 'spearman', got {method!r}")
    if len(rows) != len(overall):
        raise SurveyError(
            f"derived_importance has {len(rows)} rows but {len(overall)} overall ratings"
        )
    k = len(rows[0]) if rows else 0
    names = list(items) if items is not None else [f"item {j + 1}" for j in range(k)]
    if len(names) != k:
        raise SurveyError(f"derived_importance items names {len(names)} items, rows hold {k}")
    out: dict[str, float] = {}
    for j, name in enumerate(names):
        xs: list[float] = []
        ys: list[float] = []
        for row, o in zip(rows, overall, strict=True):
            x, y = _num(row[j]), _num(o)
            if x is not None and y is not None:
                xs.append(x)
                ys.append(y)
        if method == "spearman":
            xs, ys = _ranks(xs), _ranks(ys)
        out[name] = pearson(xs, ys)
    return out


def servqual_ipa(
    report: ServqualReport,
    importance: DimensionWeights | Mapping[int, float],
    *,
    level: Literal["dimension", "item"] = "dimension",
    importance_cut: float | None = None,
    performance_cut: float | None = None,
) -> IpaResult:
    """Build the IPA grid of a SERVQUAL report, with mean perceptions as performance.

    Args:
        report: A :func:`servqual_scores` report.
        importance: For ``level="dimension"``, dimension -> importance (for example mean
            importance points); for ``level="item"``, item number -> importance.
        level: Plot dimensions or items.
        importance_cut: See :func:`importance_performance`.
        performance_cut: See :func:`importance_performance`.

    Raises:
        SurveyError: If ``importance`` does not cover the dimensions or items.

    Example:
        >>> from cs8.surveys import ServqualResponse, servqual_scores
        >>> r = ServqualResponse(expectations=[7] * 22, perceptions=[4] * 9 + [6] * 13)
        >>> grid = servqual_ipa(servqual_scores([r]), {"tangibles": 10, "reliability": 40,
        ...     "responsiveness": 20, "assurance": 15, "empathy": 15})
        >>> grid.items_in("concentrate_here")
        ('reliability',)
    """
    inst = report.instrument
    perf: dict[str, float] = {}
    imp: dict[str, float] = {}
    if level == "dimension":
        given: dict[DimensionKey, float] = {}
        for key, value in importance.items():
            try:
                dim: DimensionKey = key if isinstance(key, Dimension) else Dimension(key)
            except ValueError:
                dim = key  # type: ignore[assignment]
            given[dim] = value
        for d in inst.dimensions:
            name = d.value if isinstance(d, Dimension) else d
            if d not in given:
                raise SurveyError(f"servqual_ipa importance misses dimension {name!r}")
            perf[name] = report.perceptions.dimensions[d]
            imp[name] = given[d]
    elif level == "item":
        for k, it in enumerate(inst.items):
            if it.number not in importance:
                raise SurveyError(f"servqual_ipa importance misses item {it.number}")
            perf[str(it.number)] = report.perceptions.items[k]
            imp[str(it.number)] = importance[it.number]  # type: ignore[index]
    else:
        raise SurveyError(f"servqual_ipa level must be 'dimension' or 'item', got {level!r}")
    return importance_performance(
        perf, imp, importance_cut=importance_cut, performance_cut=performance_cut
    )
