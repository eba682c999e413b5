"""Internal consistency: Cronbach's alpha with missing-data conventions, and a reliability report.

Alpha is computed from the item covariance matrix ``C`` (n - 1 denominators):
``alpha = k / (k - 1) * (1 - trace(C) / sum(C))`` (Cronbach 1951).

Missing answers (``None``, NaN or "not applicable") are handled in one of two ways:

* ``"listwise"`` (the default here): respondents with any missing item are dropped. This is what
  SPSS RELIABILITY does (cases with a missing value on any scale item are excluded) and
  R ``psych::alpha(x, use = "complete.obs")`` or pingouin
  ``cronbach_alpha(data, nan_policy="listwise")``.
* ``"pairwise"``: each covariance uses the respondents who answered both items. This is the
  default of R ``psych::alpha`` (``use = "pairwise"``) and of pingouin
  (``nan_policy="pairwise"``).

Example:
    >>> cronbach_alpha([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]])
    0.9824561403508771
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs

from cs8._display import DictsReprMixin, Row, format_value
from cs8._distributions import f_quantile
from cs8._frozen import FrozenDict
from cs8.exceptions import SurveyError
from cs8.stats._tests import pearson
from cs8.surveys._instrument import DimensionKey
from cs8.surveys._responses import Missing, ServqualResponse

__all__ = ["ReliabilityReport", "cronbach_alpha", "dimension_reliability", "reliability"]

MissingPolicy = Literal["listwise", "pairwise"]
Cell = float | int | Missing | None


def _matrix(rows: Iterable[Sequence[Cell]]) -> list[list[float | None]]:
    out: list[list[float | None]] = []
    k: int | None = None
    for i, row in enumerate(rows):
        vals: list[float | None] = []
        for v in row:
            if v is None or isinstance(v, Missing):
                vals.append(None)
            elif isinstance(v, bool) or not isinstance(v, int | float):
                raise SurveyError(f"reliability row {i} holds a non-numeric answer {v!r}")
            elif math.isnan(v):
                vals.append(None)
            else:
                vals.append(float(v))
        if k is None:
            k = len(vals)
        elif len(vals) != k:
            raise SurveyError(f"reliability row {i} has {len(vals)} items, expected {k}")
        out.append(vals)
    return out


def _complete(m: list[list[float | None]]) -> list[list[float]]:
    return [r for r in m if None not in r]  # type: ignore[misc]


def _cov(m: Sequence[Sequence[float | None]], i: int, j: int) -> float:
    pairs = [(a, b) for r in m if (a := r[i]) is not None and (b := r[j]) is not None]
    n = len(pairs)
    if n < 2:
        return math.nan
    mi = math.fsum(a for a, _ in pairs) / n
    mj = math.fsum(b for _, b in pairs) / n
    return math.fsum((a - mi) * (b - mj) for a, b in pairs) / (n - 1)


def _covariance(m: Sequence[Sequence[float | None]], k: int) -> list[list[float]]:
    c = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            c[i][j] = c[j][i] = _cov(m, i, j)
    return c


def _alpha_from_cov(c: Sequence[Sequence[float]], keep: Sequence[int]) -> float:
    k = len(keep)
    if k < 2:
        return math.nan
    trace = math.fsum(c[i][i] for i in keep)
    total = math.fsum(c[i][j] for i in keep for j in keep)
    if math.isnan(total) or abs(total) <= 1e-12 * abs(trace):
        return math.nan
    return k / (k - 1) * (1.0 - trace / total)


def _prepare(
    rows: Iterable[Sequence[Cell]], missing: MissingPolicy
) -> tuple[list[list[float | None]], int]:
    if missing not in ("listwise", "pairwise"):
        raise SurveyError(f"missing must be 'listwise' or 'pairwise', got {missing!r}")
    m = _matrix(rows)
    if not m:
        raise SurveyError("reliability needs at least two respondents, got none")
    k = len(m[0])
    if k < 2:
        raise SurveyError(f"reliability needs at least two items, got {k}")
    if missing == "listwise":
        m = _complete(m)  # type: ignore[assignment]
    if len(m) < 2:
        raise SurveyError(
            f"reliability needs at least two respondents after {missing} deletion, got {len(m)}"
        )
    return m, k


def cronbach_alpha(rows: Iterable[Sequence[Cell]], *, missing: MissingPolicy = "listwise") -> float:
    """Return Cronbach's alpha of a respondents x items table.

    Args:
        rows: One sequence of item scores per respondent; ``None``, NaN or "not applicable"
            mark missing answers.
        missing: ``"listwise"`` (drop respondents with any missing item; SPSS's convention,
            ``psych::alpha(use = "complete.obs")``) or ``"pairwise"`` (pairwise-complete
            covariances; the default of R ``psych::alpha`` and of pingouin).

    Returns:
        Alpha (NaN when the total score has no variance). It is negative when items correlate
        negatively on average, often because a reverse-keyed item was not reversed.

    Raises:
        SurveyError: If rows differ in length, hold non-numbers, or fewer than two items or two
            respondents remain.

    Example:
        >>> cronbach_alpha([[1, 2, None], [2, 3, 3], [3, 3, 4], [4, 5, 5]])
        0.9642857142857142
        >>> round(cronbach_alpha([[1, 2, None], [2, 3, 3], [3, 3, 4], [4, 5, 5]], missing="pairwise"), 4)
        0.9333
    """
    m, k = _prepare(rows, missing)
    if missing == "listwise":
        return _alpha_listwise(m, k)  # type: ignore[arg-type]
    return _alpha_from_cov(_covariance(m, k), range(k))


def _alpha_listwise(m: Sequence[Sequence[float]], k: int) -> float:
    # Fast path on complete data: item variances and the variance of the total score.
    n = len(m)
    cols = list(zip(*m, strict=True))
    item_var = 0.0
    for col in cols:
        mu = math.fsum(col) / n
        item_var += math.fsum((v - mu) ** 2 for v in col)
    totals = [math.fsum(r) for r in m]
    mu_t = math.fsum(totals) / n
    total_var = math.fsum((t - mu_t) ** 2 for t in totals)
    if total_var == 0:
        return math.nan
    return k / (k - 1) * (1.0 - item_var / total_var)


@attrs.frozen(kw_only=True, repr=False)
class ReliabilityReport(DictsReprMixin):
    """Cronbach's alpha with its Feldt interval and item diagnostics.

    Attributes:
        alpha: Cronbach's alpha.
        ci_low: Lower bound of the Feldt (1965; Feldt, Woodruff and Salih 1987) interval:
            ``1 - (1 - alpha) * F(1 - a/2; n - 1, (n - 1)(k - 1))``.
        ci_high: Upper bound, ``1 - (1 - alpha) * F(a/2; ...)``.
        n: Respondents used (after listwise deletion; all rows with ``"pairwise"``, as pingouin).
        k: Number of items.
        items: Item names.
        alpha_if_deleted: Alpha of the remaining items when each item is left out.
        item_total: Corrected item-total correlation of each item (with the sum of the others).
        warnings: Plain-language warnings: alpha below 0.7, items correlating negatively with
            the rest (often a reverse-keyed item left unreversed).
        missing: The missing-data policy used.
        confidence: The interval's confidence level.

    Example:
        >>> rep = reliability([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]])
        >>> round(rep.alpha, 4), rep.n, rep.warnings
        (0.9825, 4, ())
    """

    __repr__ = DictsReprMixin._short_repr

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int
    items: tuple[str, ...]
    alpha_if_deleted: tuple[float, ...]
    item_total: tuple[float, ...]
    warnings: tuple[str, ...]
    missing: str
    confidence: float

    def _title(self) -> str:
        return (
            f"Cronbach's alpha {format_value(self.alpha)} "
            f"[{format_value(self.ci_low)}, {format_value(self.ci_high)}] (n={self.n}, k={self.k}, {self.missing})"
        )

    def to_dicts(self) -> list[Row]:
        """Return one row per item: alpha if deleted and corrected item-total correlation.

        Example:
            >>> reliability([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]).to_dicts()[0]["item"]
            'item 1'
        """
        return [
            {"item": name, "alpha_if_deleted": a, "item_total": r}
            for name, a, r in zip(self.items, self.alpha_if_deleted, self.item_total, strict=True)
        ]


def reliability(
    rows: Iterable[Sequence[Cell]],
    *,
    missing: MissingPolicy = "listwise",
    confidence: float = 0.95,
    items: Sequence[str] | None = None,
    threshold: float = 0.7,
) -> ReliabilityReport:
    """Return alpha, its Feldt interval, alpha-if-item-deleted and item-total correlations.

    Args:
        rows: Respondents x items; missing answers as in :func:`cronbach_alpha`.
        missing: ``"listwise"`` or ``"pairwise"`` (see :func:`cronbach_alpha`).
        confidence: Level of the Feldt interval.
        items: Names of the items for the report (``"item 1"`` ... by default).
        threshold: Alpha below this raises a warning in the report (0.7, Nunnally 1978).

    Raises:
        SurveyError: As :func:`cronbach_alpha`, or if ``items`` has the wrong length.

    Example:
        >>> rep = reliability([[1, 5, 2], [2, 4, 3], [3, 3, 4], [4, 1, 5]])
        >>> rep.warnings[0]
        'alpha -8.727 is below 0.7'
    """
    if not 0.0 < confidence < 1.0:
        raise SurveyError(f"confidence must be in (0, 1), got {confidence!r}")
    m, k = _prepare(rows, missing)
    names = tuple(items) if items is not None else tuple(f"item {j + 1}" for j in range(k))
    if len(names) != k:
        raise SurveyError(f"reliability items names {len(names)} items, the rows hold {k}")
    c = _covariance(m, k)
    alpha = _alpha_from_cov(c, range(k))
    n = len(m)
    a = 1.0 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    if math.isnan(alpha):
        low = high = math.nan
    else:
        low = 1.0 - (1.0 - alpha) * f_quantile(1.0 - a / 2.0, df1, df2)
        high = 1.0 - (1.0 - alpha) * f_quantile(a / 2.0, df1, df2)
    deleted = tuple(
        _alpha_from_cov(c, [i for i in range(k) if i != j]) if k > 2 else math.nan for j in range(k)
    )
    item_total = []
    for j in range(k):
        rest_rows = [
            (r[j], math.fsum(v for i, v in enumerate(r) if i != j))  # type: ignore[misc]
            for r in m
            if r[j] is not None and all(v is not None for i, v in enumerate(r) if i != j)
        ]
        item_total.append(pearson([x for x, _ in rest_rows], [y for _, y in rest_rows]))  # type: ignore[misc]
    warnings = []
    if not math.isnan(alpha) and alpha < threshold:
        warnings.append(f"alpha {alpha:.3f} is below {threshold:g}")
    for name, r in zip(names, item_total, strict=True):
        if not math.isnan(r) and r < 0:
            warnings.append(
                f"{name} correlates negatively with the other items ({r:.3f}); "
                "is it reverse-keyed and not reversed?"
            )
    return ReliabilityReport(
        alpha=alpha,
        ci_low=low,
        ci_high=high,
        n=n,
        k=k,
        items=names,
        alpha_if_deleted=deleted,
        item_total=tuple(item_total),
        warnings=tuple(warnings),
        missing=missing,
        confidence=confidence,
    )


def dimension_reliability(
    responses: Sequence[ServqualResponse],
    *,
    battery: Literal["perceptions", "expectations", "gaps"] = "perceptions",
    missing: MissingPolicy = "listwise",
    confidence: float = 0.95,
) -> Mapping[DimensionKey, ReliabilityReport]:
    """Return a :func:`reliability` report per dimension of the responses' instrument.

    Reverse-keyed items are reversed first, so the 1988 negatively worded items do not drive
    alpha negative.

    Args:
        responses: Responses to one instrument.
        battery: ``"perceptions"``, ``"expectations"`` or ``"gaps"`` (P - E per item).
        missing: ``"listwise"`` or ``"pairwise"``.
        confidence: Level of the Feldt intervals.

    Raises:
        SurveyError: If there are no responses, instruments differ, the battery is unknown, or a
            dimension has fewer than two items.

    Example:
        >>> rs = [ServqualResponse(expectations=[7] * 22, perceptions=[v] * 11 + [v + 1] * 11)
        ...       for v in (2, 3, 5, 6)]
        >>> from cs8.surveys import Dimension
        >>> round(dimension_reliability(rs)[Dimension.TANGIBLES].alpha, 3)
        1.0
    """
    if not responses:
        raise SurveyError("dimension_reliability needs responses, got none")
    if battery not in ("perceptions", "expectations", "gaps"):
        raise SurveyError(f"battery must be perceptions, expectations or gaps, got {battery!r}")
    inst = responses[0].instrument
    lo_hi = inst.scale[0] + inst.scale[1]
    rev = set(inst._reverse_index)

    def rev_row(values: Sequence[Cell]) -> list[Cell]:
        return [lo_hi - v if j in rev and isinstance(v, int) else v for j, v in enumerate(values)]

    table: list[list[Cell]] = []
    for r in responses:
        if r.instrument != inst:
            raise SurveyError(f"responses answer different instruments{r._who()}")
        p = rev_row(r.perceptions)
        if battery == "perceptions":
            table.append(p)
            continue
        e: list[Cell] = rev_row(r.expectations) if r.expectations else [None] * inst.k
        if battery == "expectations":
            table.append(e)
        else:
            table.append(
                [
                    a - b if isinstance(a, int) and isinstance(b, int) else None
                    for a, b in zip(p, e, strict=True)
                ]
            )
    out: dict[DimensionKey, ReliabilityReport] = {}
    for d in inst.dimensions:
        pos = inst.positions(d)
        names = [f"item {inst.items[j].number}" for j in pos]
        out[d] = reliability(
            [[row[j] for j in pos] for row in table],
            missing=missing,
            confidence=confidence,
            items=names,
        )
    return FrozenDict(out)
