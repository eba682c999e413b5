"""Contact-centre and survey KPIs on dataframes and engines: the sufficient statistics in the engine.

The ``.frame(...)`` forms of :func:`~cs8.kpi.service_level`, :func:`~cs8.kpi.abandonment_rate`,
:func:`~cs8.kpi.average_speed_of_answer`, :func:`~cs8.kpi.csat` and :func:`~cs8.kpi.csat_mean`.
They take any table narwhals reads (pandas, polars eager or lazy, a DuckDB relation, a PySpark or
SQLFrame DataFrame) and aggregate **in the engine**: a rate is one ``select`` of conditional counts
(the numerator, the denominator and every exclusion reason), a score KPI one ``select`` of the
score histogram (enough for the share, the mean and the sum of squares). Only those few numbers
leave the engine. The speed of answer pulls the two instants of the answered contacts, turned into
integer microseconds by Arrow, into the exact :class:`~cs8.kpi.DurationState` (narwhals has no
portable "microseconds between two instants" on Spark-like frames), so its quantiles are exact.

The interactions table has the columns :func:`cs8.io.write_interactions` writes (rename them with
``columns=``): ``started_at``, ``answered_at`` and ``ended_at`` are timezone-aware timestamp
columns; ``direction`` and ``handled_by`` are text in any case (blank means ``inbound`` and
``agent``, the :class:`~cs8.Interaction` defaults). The rows are taken as valid contacts (load and
validate them with :func:`cs8.io.read_interactions` first when they come from an untrusted file).

Example:
    >>> import polars as pl
    >>> from datetime import datetime, timedelta, timezone
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> calls = pl.DataFrame({
    ...     "started_at": [t0, t0, t0],
    ...     "answered_at": [t0 + timedelta(seconds=10), t0 + timedelta(seconds=40), None],
    ...     "ended_at": [None, None, t0 + timedelta(seconds=30)],
    ... })
    >>> from cs8.kpi import service_level
    >>> service_level.frame(calls.lazy()).value
    0.3333333333333333
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import attrs

from cs8._enums import SurveyKind
from cs8._frozen import FrozenDict
from cs8._optional import require
from cs8.exceptions import InvalidValueError, SurveyError, UnknownFieldError
from cs8.kpi._durations import DurationState
from cs8.kpi._frame_facts import _norm
from cs8.kpi._stats import Mean, Rate, RateState

__all__ = [
    "abandonment_rate_frame",
    "average_speed_of_answer_frame",
    "csat_frame",
    "csat_mean_frame",
    "service_level_frame",
]

_FIELDS = ("started_at", "answered_at", "ended_at", "direction", "handled_by")
_POLICIES = ("ignore", "negative", "positive", "exclude_early")
_ZERO = timedelta(0)


def _frame(native: object, what: str) -> Any:
    nw = require("narwhals", "dataframe", what)
    try:
        return nw.from_native(native)
    except TypeError:
        raise InvalidValueError(
            f"{what}: expected a frame narwhals supports, got {type(native).__name__}"
        ) from None


def _collect(frame: Any) -> Any:
    """A narwhals DataFrame from a query (a LazyFrame is collected, an eager one kept)."""
    return frame.collect() if hasattr(frame, "collect") else frame


def _check_duration(value: timedelta, name: str) -> timedelta:
    if not isinstance(value, timedelta) or value < _ZERO:
        raise InvalidValueError(f"{name} must be a non-negative timedelta, got {value!r}")
    return value


class _Contacts:
    """The classifying expressions of the contact-centre KPIs, as :class:`_Sorter` classifies.

    ``left`` maps each exclusion reason to its condition, in the object path's order (the first
    that holds wins); ``answered`` and ``abandoned`` hold for the contacts that count.
    """

    def __init__(
        self,
        native: object,
        columns: Mapping[str, str] | None,
        short_abandon: timedelta,
        include_bots: bool,
        what: str,
    ) -> None:
        nw = require("narwhals", "dataframe", what)
        self.nw = nw
        self.frame = _frame(native, what)
        mapping = dict(columns or {})
        unknown = sorted(set(mapping) - set(_FIELDS))
        if unknown:
            raise UnknownFieldError(f"{what}: columns= names unknown fields {unknown}")
        schema = dict(self.frame.collect_schema())
        self.names = {f: mapping.get(f, f) for f in _FIELDS}
        for field in ("started_at", "answered_at", "ended_at"):
            name = self.names[field]
            if name not in schema:
                raise UnknownFieldError(f"{what}: the table has no column {name!r} ({field})")
            if schema[name] != nw.Datetime:
                raise InvalidValueError(
                    f"{what}: column {name!r} ({field}) must be a timestamp column, "
                    f"got {schema[name]}"
                )
        short = _check_duration(short_abandon, "short_abandon")
        started = nw.col(self.names["started_at"])
        self.started = started
        # Always true but column-shaped: a condition that is a literal (no bots to leave out)
        # must still be summed over rows.
        self.row = started.is_null() | ~started.is_null()
        self.answer = nw.col(self.names["answered_at"])
        self.end = nw.col(self.names["ended_at"])
        # The text columns are normalised once, into two flag columns, not once per count.
        self.frame = self.frame.with_columns(
            self._is(schema, "direction", "inbound", "inbound").alias("__cs8_inbound"),
            self._is(schema, "handled_by", "agent", "bot").alias("__cs8_bot"),
        )
        inbound, bot = nw.col("__cs8_inbound"), nw.col("__cs8_bot")
        outbound = ~inbound
        is_bot = inbound & bot if not include_bots else nw.lit(value=False)
        kept = inbound & ~is_bot
        answered = kept & ~self.answer.is_null()
        waiting = kept & self.answer.is_null()
        in_progress = waiting & self.end.is_null()
        ended = waiting & ~self.end.is_null()
        short_abandon_ = ended & (self.end < started + short) if short > _ZERO else nw.lit(False)
        self.left: dict[str, Any] = {
            "outbound": outbound,
            "bot": is_bot,
            "in_progress": in_progress,
            "short_abandon": short_abandon_,
        }
        self.answered = answered
        self.abandoned = ended & ~short_abandon_ if short > _ZERO else ended

    def _is(self, schema: Mapping[str, Any], field: str, default: str, value: str) -> Any:
        """Whether the enum column, in the loaders' normal form, is ``value`` (blank: ``default``).

        Only the column's distinct spellings leave the engine (a handful): they are normalised
        here and the rows matched against those that mean ``value``, which costs far less than
        normalising every row's text in the engine.
        """
        nw = self.nw
        name = self.names[field]
        if name not in schema:
            return self.row & nw.lit(default == value)
        column = nw.col(name).cast(nw.String)
        spellings = _collect(self.frame.select(column.alias("v")).unique())["v"].to_list()
        matching = [v for v in spellings if v is not None and (_norm(v) or default) == value]
        flag = column.is_in(matching) if matching else self.row & nw.lit(False)
        return (column.is_null() & nw.lit(default == value)) | flag

    def within(self, end: Any, limit: timedelta) -> Any:
        """Whether ``end`` came at most ``limit`` after the start."""
        return end <= self.started + limit

    def counts(self, conditions: Mapping[str, Any]) -> dict[str, int]:
        """Count the rows where each condition holds: one aggregation in the engine."""
        nw = self.nw
        aggs = [
            nw.when(self.row & cond).then(nw.lit(1)).otherwise(nw.lit(0)).sum().alias(f"__cs8_{i}")
            for i, cond in enumerate(conditions.values())
        ]
        row = _collect(self.frame.select(*aggs)).rows()[0]
        return {
            key: 0 if value is None else int(value)  # DuckDB sums to a Decimal
            for key, value in zip(conditions, row, strict=True)
        }

    def excluded(self, counts: Mapping[str, int]) -> dict[str, int]:
        return {reason: counts[reason] for reason in self.left if counts[reason]}


def service_level_frame(
    interactions: object,
    threshold: timedelta = timedelta(seconds=20),
    abandon_policy: str = "negative",
    *,
    short_abandon: timedelta = _ZERO,
    include_bots: bool = False,
    columns: Mapping[str, str] | None = None,
) -> Rate:
    """:func:`cs8.kpi.service_level` on an interactions table, counted in the engine."""
    if abandon_policy not in _POLICIES:
        raise InvalidValueError(
            f"abandon_policy must be one of {list(_POLICIES)}, got {abandon_policy!r}"
        )
    limit = _check_duration(threshold, "threshold")
    c = _Contacts(interactions, columns, short_abandon, include_bots, "service_level.frame")
    counts = c.counts(
        {
            **c.left,
            "answered": c.answered,
            "answered_in": c.answered & c.within(c.answer, limit),
            "abandoned": c.abandoned,
            "abandoned_in": c.abandoned & c.within(c.end, limit),
        }
    )
    excluded = c.excluded(counts)
    a, a_t, b, b_t = (counts[k] for k in ("answered", "answered_in", "abandoned", "abandoned_in"))
    if abandon_policy == "ignore":
        hits, n = a_t, a
        if b:
            excluded["abandoned"] = b
    elif abandon_policy == "negative":
        hits, n = a_t, a + b
    elif abandon_policy == "positive":
        hits, n = a_t + b_t, a + b
    else:
        hits, n = a_t, a + b - b_t
        if b_t:
            excluded["abandoned_within_threshold"] = b_t
    return RateState(successes=hits, n=n, excluded=excluded).result()


def abandonment_rate_frame(
    interactions: object,
    short_abandon: timedelta = _ZERO,
    *,
    include_bots: bool = False,
    columns: Mapping[str, str] | None = None,
) -> Rate:
    """:func:`cs8.kpi.abandonment_rate` on an interactions table, counted in the engine."""
    c = _Contacts(interactions, columns, short_abandon, include_bots, "abandonment_rate.frame")
    counts = c.counts({**c.left, "answered": c.answered, "abandoned": c.abandoned})
    n = counts["answered"] + counts["abandoned"]
    return RateState(successes=counts["abandoned"], n=n, excluded=c.excluded(counts)).result()


def average_speed_of_answer_frame(
    interactions: object,
    *,
    include_bots: bool = False,
    columns: Mapping[str, str] | None = None,
) -> Any:
    """:func:`cs8.kpi.average_speed_of_answer` on an interactions table.

    The exclusions are counted in the engine; the waits of the answered contacts are pulled as
    two instants, made integer microseconds by Arrow, into the exact :class:`DurationState`.
    """
    pa = require("pyarrow", "dataframe", "average_speed_of_answer.frame")
    pc = require("pyarrow.compute", "dataframe", "average_speed_of_answer.frame")
    np = require("numpy", "dataframe", "average_speed_of_answer.frame")
    c = _Contacts(interactions, columns, _ZERO, include_bots, "average_speed_of_answer.frame")
    counts = c.counts({**c.left, "abandoned": c.abandoned})
    excluded = c.excluded(counts)
    if counts["abandoned"]:
        excluded["abandoned"] = counts["abandoned"]
    rows = _collect(
        c.frame.filter(c.answered).select(c.started.alias("s"), c.answer.alias("a"))
    ).to_arrow()

    def micros(column: Any) -> Any:
        column = pc.cast(column, pa.timestamp("us", column.type.tz))
        return np.asarray(pc.cast(column, pa.int64()), dtype=np.int64)

    waits = micros(rows.column("a")) - micros(rows.column("s"))
    state = DurationState.of_microseconds(waits.tolist())
    return attrs.evolve(state, excluded=FrozenDict(excluded)).result()


def _score_state(
    scores: object, column: str | None, scale: int | tuple[int, int], what: str
) -> Any:
    """The :class:`ScoreState` of a score column, its histogram counted in the engine."""
    # _scores imports this module (to wire the forms in), so its names are read here.
    from cs8.kpi._scores import ScoreState
    from cs8.kpi._surveys import _bump, _extra, _scale_of

    nw = require("narwhals", "dataframe", what)
    low, high = _scale_of(scale, what)
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
    return ScoreState(
        kind=SurveyKind.CSAT,
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

    state = _score_state(scores, column, scale, "csat.frame")
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

    state = _score_state(scores, column, scale, "csat_mean.frame")
    return state.mean(  # type: ignore[no-any-return]
        confidence=confidence, min_n=_MIN_N if min_n is None else min_n
    )
