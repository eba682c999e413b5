"""Contact-centre KPIs on dataframes and engines: the sufficient statistics in the engine.

The ``.frame(...)`` forms of :func:`~cs8.kpi.service_level`, :func:`~cs8.kpi.abandonment_rate`,
:func:`~cs8.kpi.average_speed_of_answer`, :func:`~cs8.kpi.average_handle_time` and
:func:`~cs8.kpi.occupancy` (the survey KPIs' are in :mod:`cs8.kpi._columnar_scores`).
They take any table narwhals reads (pandas, polars eager or lazy, a DuckDB relation, a PySpark or
SQLFrame DataFrame) and aggregate **in the engine**: a rate is one ``select`` of conditional counts
(the numerator, the denominator and every exclusion reason). The speed of answer and
the handle time compute their durations in the engine too, and their count, sums, bounds and the
order statistics of the median and p90 (:mod:`cs8.kpi._engine_quantiles`), so the quantiles are
exact and only one row leaves a lazy engine.

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

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from cs8._optional import require
from cs8.exceptions import InvalidValueError, UnknownFieldError
from cs8.kpi._engine_quantiles import Quantiles, duration_stats
from cs8.kpi._frame_facts import _norm
from cs8.kpi._stats import Rate, RateState

__all__ = [
    "abandonment_rate_frame",
    "average_handle_time_frame",
    "average_speed_of_answer_frame",
    "occupancy_frame",
    "service_level_frame",
]

_FIELDS = (
    "started_at",
    "answered_at",
    "ended_at",
    "direction",
    "handled_by",
    "talk_time",
    "hold_time",
    "wrap_time",
)
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
        self.what = what
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
        self.bot_any = bot  # handle time leaves bots out in either direction
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

    def _sums(self, conditions: Mapping[str, Any]) -> list[Any]:
        nw = self.nw
        return [
            nw.when(self.row & cond).then(nw.lit(1)).otherwise(nw.lit(0)).sum().alias(f"__cs8_{i}")
            for i, cond in enumerate(conditions.values())
        ]

    @staticmethod
    def _ints(conditions: Mapping[str, Any], row: Sequence[Any]) -> dict[str, int]:
        return {
            key: 0 if value is None else int(value)  # DuckDB sums to a Decimal
            for key, value in zip(conditions, row, strict=True)
        }

    def counts(self, conditions: Mapping[str, Any]) -> dict[str, int]:
        """Count the rows where each condition holds: one aggregation in the engine."""
        return self._ints(
            conditions, _collect(self.frame.select(*self._sums(conditions))).rows()[0]
        )

    def grouped_counts(
        self, conditions: Mapping[str, Any], by: str
    ) -> dict[object, dict[str, int]]:
        """:meth:`counts` for each value of column ``by``: one grouped aggregation.

        The conditions become 0/1 columns first, so the aggregation is a plain sum that every
        narwhals backend groups (pandas refuses a conditional expression inside ``agg``).
        """
        nw = self.nw
        names = [f"__cs8_{i}" for i in range(len(conditions))]
        flags = self.frame.with_columns(
            nw.when(self.row & cond).then(nw.lit(1)).otherwise(nw.lit(0)).alias(name)
            for name, cond in zip(names, conditions.values(), strict=True)
        )
        grouped = flags.group_by(by).agg(*(nw.col(n).sum() for n in names)).select(by, *names)
        return {row[0]: self._ints(conditions, row[1:]) for row in _collect(grouped).rows()}

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
    c, conditions = _level_counts(
        interactions, threshold, abandon_policy, short_abandon, include_bots, columns
    )
    return _level(c, c.counts(conditions), abandon_policy)


def service_level_groups(
    interactions: object,
    by: str,
    threshold: timedelta = timedelta(seconds=20),
    abandon_policy: str = "negative",
    *,
    short_abandon: timedelta = _ZERO,
    include_bots: bool = False,
    columns: Mapping[str, str] | None = None,
) -> dict[object, Rate]:
    """:func:`service_level_frame` of each value of column ``by``, counted in one engine pass.

    Each group's rate equals :func:`service_level_frame` on that group's rows (the same counts,
    grouped by ``by`` in the engine instead of filtered once per group).
    """
    c, conditions = _level_counts(
        interactions, threshold, abandon_policy, short_abandon, include_bots, columns
    )
    return {
        key: _level(c, counts, abandon_policy)
        for key, counts in c.grouped_counts(conditions, by).items()
    }


def _level_counts(
    interactions: object,
    threshold: timedelta,
    abandon_policy: str,
    short_abandon: timedelta,
    include_bots: bool,
    columns: Mapping[str, str] | None,
) -> tuple[_Contacts, dict[str, Any]]:
    """The contacts and the conditions whose counts make a service level."""
    if abandon_policy not in _POLICIES:
        raise InvalidValueError(
            f"abandon_policy must be one of {list(_POLICIES)}, got {abandon_policy!r}"
        )
    limit = _check_duration(threshold, "threshold")
    c = _Contacts(interactions, columns, short_abandon, include_bots, "service_level.frame")
    return c, {
        **c.left,
        "answered": c.answered,
        "answered_in": c.answered & c.within(c.answer, limit),
        "abandoned": c.abandoned,
        "abandoned_in": c.abandoned & c.within(c.end, limit),
    }


def _level(c: _Contacts, counts: Mapping[str, int], abandon_policy: str) -> Rate:
    """The service level of the counts of :func:`_level_counts` under ``abandon_policy``."""
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
    quantiles: Quantiles = (),
) -> Any:
    """:func:`cs8.kpi.average_speed_of_answer` on an interactions table.

    The exclusions, the waits' count, sums and bounds and the order statistics of the median and
    p90 are computed in the engine (:mod:`cs8.kpi._engine_quantiles`); eager frames read the waits
    into the exact :class:`DurationState`. ``quantiles`` (a list, or a function of the number
    of waits) are computed besides the median and p90, so the result's ``quantile(q)`` answers
    them.
    """
    c = _Contacts(interactions, columns, _ZERO, include_bots, "average_speed_of_answer.frame")
    counts = c.counts({**c.left, "abandoned": c.abandoned, "answered": c.answered})
    excluded = c.excluded(counts)
    if counts["abandoned"]:
        excluded["abandoned"] = counts["abandoned"]
    from cs8.engines._metrics import _elapsed  # the one "microseconds between instants" shim

    answered = c.frame.filter(c.answered).select(c.started.alias("s"), c.answer.alias("a"))
    waits = c.nw.from_native(_elapsed(answered.to_native(), {"us": ("s", "a")}))
    return duration_stats(
        waits.select("us"), "us", excluded, n=counts["answered"], quantiles=quantiles
    )


def _handle_us(c: _Contacts) -> Any:
    """Talk, hold and wrap time as integer microseconds (blank: zero, as on an Interaction)."""
    nw = c.nw
    schema = dict(c.frame.collect_schema())
    parts = []
    for field in ("talk_time", "hold_time", "wrap_time"):
        name = c.names[field]
        if name not in schema:
            continue
        dtype, column = schema[name], nw.col(name)
        if dtype == nw.Duration:
            micros = column.dt.total_microseconds()
        elif dtype.is_integer():
            micros = column.cast(nw.Int64) * 1_000_000
        elif dtype.is_numeric():
            micros = (column * 1_000_000).round(0).cast(nw.Int64)
        else:
            raise InvalidValueError(
                f"{c.what}: column {name!r} ({field}) must hold durations or seconds, got {dtype}"
            )
        parts.append(micros.fill_null(0))
    total = c.row.cast(nw.Int64) * 0
    for part in parts:
        total = total + part
    return total


def average_handle_time_frame(
    interactions: object,
    *,
    include_bots: bool = False,
    columns: Mapping[str, str] | None = None,
    quantiles: Quantiles = (),
) -> Any:
    """:func:`cs8.kpi.average_handle_time` on an interactions table.

    ``talk_time``, ``hold_time`` and ``wrap_time`` are duration columns or numbers of seconds
    (rounded to the microsecond; blank is zero); a missing column counts as zero. The exclusions
    (``bot``, ``unanswered``) and the handle times' summary are computed in the engine;
    ``quantiles``: as in :func:`average_speed_of_answer_frame`.
    """
    c = _Contacts(interactions, columns, _ZERO, include_bots, "average_handle_time.frame")
    bot = c.bot_any if not include_bots else c.row & c.nw.lit(False)
    handled = ~bot & ~c.answer.is_null()
    counts = c.counts({"bot": bot, "unanswered": ~bot & c.answer.is_null(), "n": handled})
    excluded = {k: counts[k] for k in ("bot", "unanswered") if counts[k]}
    rows = c.frame.filter(handled).select(_handle_us(c).alias("us"))
    return duration_stats(rows, "us", excluded, n=counts["n"], quantiles=quantiles)


def occupancy_frame(
    interactions: object,
    staffed_time: timedelta,
    *,
    include_bots: bool = False,
    columns: Mapping[str, str] | None = None,
) -> Any:
    """:func:`cs8.kpi.occupancy` on an interactions table: the handle time summed in the engine."""
    from cs8.kpi._contact import Ratio

    if not isinstance(staffed_time, timedelta) or staffed_time <= _ZERO:
        raise InvalidValueError(f"staffed_time must be a positive timedelta, got {staffed_time!r}")
    c = _Contacts(interactions, columns, _ZERO, include_bots, "occupancy.frame")
    bot = c.bot_any if not include_bots else c.row & c.nw.lit(False)
    handled = ~bot & ~c.answer.is_null()
    total = c.nw.when(handled).then(_handle_us(c)).otherwise(0).sum()
    got = _collect(c.frame.select(total.alias("us"))).rows()[0][0]
    busy = 0 if got is None else int(got)
    staffed = staffed_time // timedelta(microseconds=1)
    return Ratio(
        value=busy / staffed, numerator=timedelta(microseconds=busy), denominator=staffed_time
    )
