"""Survey KPIs on dataframes and engines: the score histogram counted in the engine.

The ``.frame(...)`` forms of :func:`~cs8.kpi.csat`, :func:`~cs8.kpi.csat_mean`,
:func:`~cs8.kpi.nps`, :func:`~cs8.kpi.ces` and :func:`~cs8.kpi.ces_index`. A score column (a
series, or a table with one column or ``column=``) of any table narwhals reads is reduced to one
row in the engine: the blanks, the answers, and one count per score of the scale. That histogram
holds every figure of these KPIs (shares, promoters and detractors, the mean and the sum of
squares), so the result is the object path's, read from the same state
(:class:`~cs8.kpi.ScoreState`, :class:`~cs8.kpi.NpsState`).

Example:
    >>> import duckdb
    >>> from cs8.kpi import nps
    >>> answers = duckdb.sql("SELECT * FROM (VALUES (10), (9), (7), (3), (NULL)) AS t(score)")
    >>> r = nps.frame(answers, method="wald")
    >>> r.value, r.n, dict(r.excluded)
    (25.0, 4, {'no_response': 1})
"""

from __future__ import annotations

import warnings
from typing import Any

from cs8._enums import SurveyKind
from cs8._frozen import FrozenDict
from cs8._optional import require
from cs8.exceptions import InvalidValueError, SurveyError, UnknownFieldError
from cs8.kpi._stats import Mean, Rate

__all__ = ["ces_frame", "ces_index_frame", "csat_frame", "csat_mean_frame", "nps_frame"]


def _collect(frame: Any) -> Any:
    return frame.collect() if hasattr(frame, "collect") else frame


def _histogram(
    scores: object, column: str | None, low: int, high: int, what: str
) -> tuple[tuple[int, ...], int]:
    """One count per score ``low..high`` and the blanks of a score column, counted in the engine."""
    nw = require("narwhals", "dataframe", what)
    try:
        frame = nw.from_native(scores, allow_series=True)
    except TypeError:
        raise InvalidValueError(
            f"{what}: expected a frame or series narwhals supports, got {type(scores).__name__}"
        ) from None
    if isinstance(frame, nw.Series):
        name = frame.name or "score"
        frame = frame.rename(name).to_frame()
    else:
        names = list(frame.collect_schema())
        if column is None:
            if len(names) != 1:
                raise InvalidValueError(
                    f"{what}: the table has {len(names)} columns {names}; pass column="
                )
            column = names[0]
        if column not in names:
            raise UnknownFieldError(f"{what}: the table has no column {column!r}")
        name = column
    dtype = dict(frame.collect_schema())[name]
    value = nw.col(name)
    missing = value.is_null()
    if dtype.is_float():
        missing = missing | value.is_nan()
    if not dtype.is_numeric():
        raise SurveyError(f"{what}: column {name!r} must hold numbers, got {dtype}")
    conditions = [missing, ~missing]
    conditions += [~missing & (value == score) for score in range(low, high + 1)]
    aggs = [
        nw.when(cond).then(nw.lit(1)).otherwise(nw.lit(0)).sum().alias(f"__cs8_{i}")
        for i, cond in enumerate(conditions)
    ]
    row = [0 if v is None else int(v) for v in _collect(frame.select(*aggs)).rows()[0]]
    absent, present, counts = row[0], row[1], tuple(row[2:])
    if sum(counts) != present:
        raise SurveyError(
            f"{what}: {present - sum(counts)} scores in column {name!r} are not whole numbers in "
            f"{low}..{high}"
        )
    return counts, absent


def _score_state(
    scores: object, column: str | None, scale: int | tuple[int, int], kind: SurveyKind, what: str
) -> Any:
    """The :class:`ScoreState` of a score column, its histogram counted in the engine."""
    # _scores imports this module (to wire the forms in), so its names are read here.
    from cs8.kpi._scores import ScoreState
    from cs8.kpi._surveys import _bump, _extra, _scale_of

    low, high = _scale_of(scale, what)
    counts, absent = _histogram(scores, column, low, high, what)
    return ScoreState(
        kind=kind,
        low=low,
        high=high,
        counts=counts,
        excluded=_bump(FrozenDict(), _extra(absent, 0)),
    )


def csat_frame(
    scores: object,
    *,
    column: str | None = None,
    scale: int | tuple[int, int] = 5,
    positive_from: int = 4,
    confidence: float = 0.95,
    min_n: int | None = None,
) -> Rate:
    """:func:`cs8.kpi.csat` on a score column or table, its histogram counted in the engine."""
    from cs8.kpi._surveys import _MIN_N

    state = _score_state(scores, column, scale, SurveyKind.CSAT, "csat.frame")
    state._check_threshold(positive_from, "positive_from")
    return state.share_at_least(  # type: ignore[no-any-return]
        positive_from, confidence=confidence, min_n=_MIN_N if min_n is None else min_n
    )


def csat_mean_frame(
    scores: object,
    *,
    column: str | None = None,
    scale: int | tuple[int, int] = 5,
    confidence: float = 0.95,
    min_n: int | None = None,
) -> Mean:
    """:func:`cs8.kpi.csat_mean` on a score column or table, its histogram counted in the engine."""
    from cs8.kpi._surveys import _MIN_N

    state = _score_state(scores, column, scale, SurveyKind.CSAT, "csat_mean.frame")
    return state.mean(  # type: ignore[no-any-return]
        confidence=confidence, min_n=_MIN_N if min_n is None else min_n
    )


def ces_frame(
    scores: object,
    *,
    column: str | None = None,
    scale: int | tuple[int, int] = 7,
    confidence: float = 0.95,
    min_n: int | None = None,
) -> Mean:
    """:func:`cs8.kpi.ces` on a score column or table, its histogram counted in the engine."""
    from cs8.kpi._surveys import _MIN_N

    state = _score_state(scores, column, scale, SurveyKind.CES, "ces.frame")
    return state.mean(  # type: ignore[no-any-return]
        confidence=confidence, min_n=_MIN_N if min_n is None else min_n
    )


def ces_index_frame(
    scores: object,
    *,
    column: str | None = None,
    scale: int | tuple[int, int] = 7,
    easy_from: int = 5,
    higher_is_easier: bool = True,
    confidence: float = 0.95,
    min_n: int | None = None,
) -> Rate:
    """:func:`cs8.kpi.ces_index` on a score column or table, its histogram counted in the engine."""
    from cs8.kpi._surveys import _MIN_N

    state = _score_state(scores, column, scale, SurveyKind.CES, "ces_index.frame")
    state._check_threshold(easy_from, "easy_from")
    share = state.share_at_least if higher_is_easier else state.share_at_most
    return share(  # type: ignore[no-any-return]
        easy_from, confidence=confidence, min_n=_MIN_N if min_n is None else min_n
    )


def nps_frame(
    scores: object,
    *,
    column: str | None = None,
    method: str = "adjusted_wald",
    confidence: float = 0.95,
    min_n: int | None = None,
    max_width: float | None = 20.0,
) -> Any:
    """:func:`cs8.kpi.nps` on a 0-10 score column or table, its histogram counted in the engine.

    Warns as :func:`cs8.kpi.nps` does when ten or more answers, none a promoter, all lie in 1..5.
    """
    from cs8.kpi._surveys import _LOOKS_LIKE_FIVE_POINT, _MIN_N, NpsState, _bump, _extra

    counts, absent = _histogram(scores, column, 0, 10, "nps.frame")
    state = NpsState(
        promoters=sum(counts[9:]),
        passives=sum(counts[7:9]),
        detractors=sum(counts[:7]),
        excluded=_bump(FrozenDict(), _extra(absent, 0)),
    )
    within_five = counts[0] == 0 and not any(counts[6:])
    if state.n >= _LOOKS_LIKE_FIVE_POINT and state.promoters == 0 and within_five:
        warnings.warn(
            f"nps: all {state.n} scores are between 1 and 5; NPS is asked on 0-10 and such data "
            "looks like a 1-5 scale (use csat or ces instead?)",
            UserWarning,
            stacklevel=3,
        )
    return state.result(
        method=method,  # type: ignore[arg-type]
        confidence=confidence,
        min_n=_MIN_N if min_n is None else min_n,
        max_width=max_width,
    )
