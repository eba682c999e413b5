"""Ticket KPIs from dataframes: pandas, polars or anything narwhals reads, columnar and fast.

The input is the layout :func:`cs8.io.write_tickets` writes as CSV: a tickets frame (one row per
ticket: ``id``, ``created_at``, ``created_by``, ``merged_into``, ``channel`` ...) and a long events
frame (one row per event: ``ticket_id``, ``type``, ``at``, ``author``, ``author_id``, ``public``,
``status`` ...). Frames go through narwhals only (one adapter layer), then the KPIs are computed on
numpy arrays. Instants may be timezone-aware datetime columns or ISO 8601 text with an offset (as
the CSV files hold them); enum columns take the values or the member names in any case, as the
loaders do. ``columns=`` and ``event_columns=`` map cs8 field names to your column names.

Every result is the same type, with the same ``n``, ``excluded`` reasons and values, as the object
path (:func:`cs8.kpi.ticket_summary`, :func:`cs8.kpi.first_reply_time` ...) on the same tickets: a
property test writes random tickets to CSV, reads them with pandas and polars and checks equality.
On dirty files a row counts exactly when :func:`cs8.io.read_tickets` would load the ticket; a row it
would reject (a blank required cell, a duplicate id, a bad event row, an event before creation) is
left out and counted in ``excluded`` (``invalid_ticket_row``, ``duplicate_id``,
``invalid_event_row``, ``event_before_creation``).
Events of one ticket are taken in time order, ties in row order (as :func:`cs8.io.read_tickets`
does).

Example:
    >>> import pandas as pd
    >>> tickets = pd.DataFrame({"id": ["T1", "T2"], "customer_id": ["C1", "C2"],
    ...                         "channel": ["email", "chat"],
    ...                         "created_at": ["2026-03-02T09:00:00+00:00"] * 2})
    >>> events = pd.DataFrame({"ticket_id": ["T1", "T1"], "type": ["message", "status_change"],
    ...                        "at": ["2026-03-02T11:00:00+00:00", "2026-03-02T12:00:00+00:00"],
    ...                        "author": ["agent", None], "public": [True, None],
    ...                        "status": [None, "solved"]})
    >>> frt = first_reply_time_frame(tickets, events)
    >>> frt.n, frt.median, dict(frt.excluded)
    (1, datetime.timedelta(seconds=7200), {'unreplied': 1})
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cs8._optional import require
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError, UnknownFieldError, UnsupportedEngineError
from cs8.kpi._breakdown import _period_argument, _sort_key
from cs8.kpi._definitions import (
    Attribution,
    BusinessClock,
    FcrRule,
    Period,
    ReplyClockStart,
    TicketDefinition,
    _definition,
    _period,
    _reply_definition,
    _with_excluded,
)
from cs8.kpi._durations import DurationState, DurationStats
from cs8.kpi._kpi import Variant
from cs8.kpi._stats import Rate, RateState
from cs8.kpi._summary import TicketSummary
from cs8.kpi._tables import KpiResult, KpiTable

if TYPE_CHECKING:
    from narwhals.typing import IntoDataFrame

    FrameT = TypeVar("FrameT", bound=IntoDataFrame)
else:
    FrameT = TypeVar("FrameT")
    IntoDataFrame = object

__all__ = [
    "breakdown_frame",
    "first_contact_resolution_frame",
    "first_reply_time_frame",
    "full_resolution_time_frame",
    "one_touch_rate_frame",
    "reopen_rate_frame",
    "resolution_time_frame",
    "ticket_summary_frame",
]

from cs8.kpi._frame_facts import (
    _EPOCH,
    _KPIS,
    _NO_TIME,
    REJECTIONS,
    FrameKpi,
    _column,
    _Facts,
    _facts,
    _present,
    _required,
)

# --------------------------------------------------------------------------------------------------
# From facts to results


def _us(t: datetime) -> int:
    return (require_aware(t, "period") - _EPOCH) // timedelta(microseconds=1)


def _state(micros: Any) -> DurationState:
    """Return the DurationState of int64 microseconds, equal to the object path's."""
    np = require("numpy", "dataframe")
    if len(micros) == 0:
        return DurationState.empty()
    keys, counts = np.unique(micros, return_counts=True)
    ks, cs = keys.tolist(), counts.tolist()
    return DurationState(
        values=tuple(np.repeat(keys, counts).tolist()),
        n=len(micros),
        total=sum(map(operator.mul, ks, cs)),
        total_sq=sum(k * k * c for k, c in zip(ks, cs, strict=True)),
        min=ks[0],
        max=ks[-1],
        resolution=math.gcd(*ks),
    )


def _durations(calendar: BusinessClock | None, start: Any, end: Any) -> Any:
    np = require("numpy", "dataframe")
    if calendar is None or not len(start):
        return end - start
    batch = getattr(calendar, "business_durations", None)
    if batch is not None:
        out = batch(start.astype("datetime64[us]"), end.astype("datetime64[us]"))
        return np.asarray(out).astype("timedelta64[us]").astype(np.int64)
    one = timedelta(microseconds=1)
    values = [
        calendar.business_duration(_EPOCH + a * one, _EPOCH + b * one) // one
        for a, b in zip(start.tolist(), end.tolist(), strict=True)
    ]
    return np.array(values, dtype=np.int64)


class _Counter:
    """The object path's exclusions, on arrays: merged, agent_created, outside_period."""

    def __init__(self, f: _Facts, d: TicketDefinition, period: Period | None) -> None:
        np = require("numpy", "dataframe")
        self.d = d
        self.excluded: dict[str, int] = {}
        p = _period(period)
        self.period = None if p is None else (_us(p[0]), _us(p[1]))
        keep = np.ones(len(f.created), dtype=bool)
        for code, reason in enumerate(REJECTIONS, start=1):
            keep = self.drop(keep, f.rejected == code, reason)
        if d.exclude_merged:
            keep = self.drop(keep, f.merged, "merged")
        if d.exclude_agent_created:
            keep = self.drop(keep, f.agent_created, "agent_created")
        if self.period is not None and d.attribution == "created":
            keep = self.drop(keep, ~self.inside(f.created), "outside_period")
        self.keep = keep

    def inside(self, t: Any) -> Any:
        assert self.period is not None
        return (t >= self.period[0]) & (t < self.period[1])

    def drop(self, keep: Any, mask: Any, reason: str) -> Any:
        out = keep & mask
        count = int(out.sum())
        if count:
            self.excluded[reason] = self.excluded.get(reason, 0) + count
        return keep & ~mask

    def event(self, keep: Any, t: Any) -> Any:
        if self.period is None or self.d.attribution == "created":
            return keep
        return self.drop(keep, ~self.inside(t), "outside_period")


def _frt(
    f: _Facts, d: TicketDefinition, period: Period | None, cal: BusinessClock | None
) -> DurationStats:
    c = _Counter(f, d, period)
    keep = c.drop(c.keep, f.start == _NO_TIME, "no_customer_message")
    keep = c.drop(keep, f.first == _NO_TIME, "unreplied")
    keep = c.event(keep, f.first)
    state = _state(_durations(cal, f.start[keep], f.first[keep]))
    return _with_excluded(state, c.excluded).result()


def _resolution(
    f: _Facts, d: TicketDefinition, period: Period | None, cal: BusinessClock | None, last: bool
) -> DurationStats:
    c = _Counter(f, d, period)
    end = f.last_solved if last else f.solved
    keep = c.drop(c.keep, end == _NO_TIME, "unsolved")
    if last:
        keep = c.drop(keep, ~f.done, "still_open")
    keep = c.event(keep, end)
    state = _state(_durations(cal, f.created[keep], end[keep]))
    return _with_excluded(state, c.excluded).result()


def _reopen(f: _Facts, d: TicketDefinition, period: Period | None) -> Rate:
    c = _Counter(f, d, period)
    keep = c.drop(c.keep, f.solved == _NO_TIME, "unsolved")
    keep = c.event(keep, f.solved)
    return RateState(
        successes=int((keep & f.reopened).sum()), n=int(keep.sum()), excluded=c.excluded
    ).result()


def _one_touch(f: _Facts, d: TicketDefinition, period: Period | None) -> Rate:
    c = _Counter(f, d, period)
    keep = c.drop(c.keep, ~f.done, "still_open")
    keep = c.event(keep, f.last_solved)
    hits = keep & (f.replies <= d.one_touch_max_replies)
    return RateState(successes=int(hits.sum()), n=int(keep.sum()), excluded=c.excluded).result()


def _fcr(f: _Facts, d: TicketDefinition, period: Period | None) -> Rate:
    c = _Counter(f, d, period)
    keep = c.drop(c.keep, ~f.done, "still_open")
    keep = c.event(keep, f.solved)
    ok = keep.copy()
    rules = set(d.fcr_rules)
    if "one_reply" in rules:
        ok &= (f.replies <= 1) & ~f.reopened
    if "no_follow_up" in rules:
        ok &= ~f.follow_up & ~f.reopened
    if "single_agent" in rules:
        ok &= (f.agents <= 1) & ~f.reopened
    if "no_repeat_contact" in rules:
        window = (d.repeat_window // timedelta(microseconds=1)) if d.repeat_window else 0
        ok &= (f.next_contact == _NO_TIME) | (f.next_contact > f.solved + window)
    return RateState(successes=int(ok.sum()), n=int(keep.sum()), excluded=c.excluded).result()


def _compute(
    kpi: str, f: _Facts, d: TicketDefinition, period: Period | None, cal: BusinessClock | None
) -> KpiResult:
    if kpi == "first_reply_time":
        return _frt(f, d, period, cal)
    if kpi == "resolution_time":
        return _resolution(f, d, period, cal, last=False)
    if kpi == "full_resolution_time":
        return _resolution(f, d, period, cal, last=True)
    if kpi == "reopen_rate":
        return _reopen(f, d, period)
    if kpi == "one_touch_rate":
        return _one_touch(f, d, period)
    return _fcr(f, d, period)


# --------------------------------------------------------------------------------------------------
# Public functions


def ticket_summary_frame(
    tickets: IntoDataFrame,
    events: IntoDataFrame,
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
) -> TicketSummary:
    """Return the standard ticket KPIs (as :func:`cs8.kpi.ticket_summary`) from dataframes.

    Args:
        tickets: One row per ticket (``id``, ``created_at``; ``created_by`` and ``merged_into``
            when present), pandas, polars or any frame narwhals supports.
        events: One row per event (``ticket_id``, ``type``, ``at``; ``author``, ``public`` and
            ``status`` for messages and status changes).
        calendar: Measure business time with this clock; a :class:`cs8.sla.BusinessCalendar` is
            used in its vectorized batch form.
        definition: A :class:`cs8.kpi.TicketDefinition` or a preset name.
        columns: cs8 ticket field -> column name in ``tickets``.
        event_columns: Event field -> column name in ``events``.

    Returns:
        The same :class:`cs8.kpi.TicketSummary` the object path gives on the same tickets.

    Raises:
        UnknownFieldError: If a required column is missing.
        NaiveDatetimeError: If an instant column has no time zone.
        MissingExtraError: If narwhals or numpy is not installed.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["T1"], "created_at": ["2026-03-02T09:00:00+00:00"]})
        >>> events = pd.DataFrame({"ticket_id": ["T1"] * 2, "type": ["message", "status_change"],
        ...     "at": ["2026-03-02T10:00:00+00:00", "2026-03-02T11:00:00+00:00"],
        ...     "author": ["agent", None], "status": [None, "solved"]})
        >>> s = ticket_summary_frame(tickets, events)
        >>> s.first_reply_time.mean, s.resolution_time.mean, s.one_touch_rate.value
        (datetime.timedelta(seconds=3600), datetime.timedelta(seconds=7200), 1.0)
    """
    d = _definition(definition)
    f, _ = _facts(tickets, events, d, columns, event_columns)
    return summary_of_facts(f, d, calendar)


def summary_of_facts(
    f: _Facts, d: TicketDefinition, calendar: BusinessClock | None = None
) -> TicketSummary:
    """The standard ticket KPIs of per-ticket facts (the report on an engine cuts them itself)."""
    return TicketSummary(
        first_reply_time=_frt(f, d, None, calendar),
        resolution_time=_resolution(f, d, None, calendar, last=False),
        reopen_rate=_reopen(f, d, None),
        one_touch_rate=_one_touch(f, d, None),
    )


def first_reply_time_frame(
    tickets: IntoDataFrame,
    events: IntoDataFrame,
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    skip_agent_opening: bool | None = None,
    reply_clock_start: ReplyClockStart | None = None,
    attribution: Attribution | None = None,
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
) -> DurationStats:
    """Return :func:`cs8.kpi.first_reply_time` computed from dataframes.

    The arguments are those of :func:`cs8.kpi.first_reply_time` and
    :func:`ticket_summary_frame`.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["T1"], "created_at": ["2026-03-02T09:00:00+00:00"]})
        >>> events = pd.DataFrame({"ticket_id": ["T1", "T1"], "type": ["message"] * 2,
        ...     "at": ["2026-03-02T09:05:00+00:00", "2026-03-02T09:30:00+00:00"],
        ...     "author": ["bot", "agent"]})
        >>> first_reply_time_frame(tickets, events).mean
        datetime.timedelta(seconds=1800)
        >>> first_reply_time_frame(tickets, events, count_bots=True).mean
        datetime.timedelta(seconds=300)
    """
    d = _reply_definition(
        definition,
        public_only,
        count_bots,
        attribution,
        skip_agent_opening=skip_agent_opening,
        reply_clock_start=reply_clock_start,
    )
    f, _ = _facts(tickets, events, d, columns, event_columns)
    return _frt(f, d, period, calendar)


class _ResolutionFrame(Variant[bool]):
    """The dataframe form of ``resolution_time`` (bound to ``False``) or ``full_resolution_time``.

    ``bound`` is whether the clock stops at the latest solve.
    """

    def __call__(
        self,
        tickets: IntoDataFrame,
        events: IntoDataFrame,
        calendar: BusinessClock | None = None,
        *,
        definition: TicketDefinition | str = "cs8",
        period: Period | None = None,
        attribution: Attribution | None = None,
        columns: Mapping[str, str] | None = None,
        event_columns: Mapping[str, str] | None = None,
    ) -> DurationStats:
        d = _definition(definition, attribution=attribution)
        f, _ = _facts(tickets, events, d, columns, event_columns)
        return _resolution(f, d, period, calendar, last=self.bound)


resolution_time_frame = _ResolutionFrame(
    "resolution_time_frame",
    False,
    """Return :func:`cs8.kpi.resolution_time` (creation to first solve) from dataframes.

    The arguments are those of :func:`cs8.kpi.resolution_time` and :func:`ticket_summary_frame`.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["T1"], "created_at": ["2026-03-02T09:00:00+00:00"]})
        >>> events = pd.DataFrame({"ticket_id": ["T1"], "type": ["status_change"],
        ...     "at": ["2026-03-02T13:00:00+00:00"], "status": ["solved"]})
        >>> resolution_time_frame(tickets, events).median
        datetime.timedelta(seconds=14400)
    """,
)

full_resolution_time_frame = _ResolutionFrame(
    "full_resolution_time_frame",
    True,
    """Return :func:`cs8.kpi.full_resolution_time` (creation to latest solve) from dataframes.

    The arguments are those of :func:`cs8.kpi.full_resolution_time` and
    :func:`ticket_summary_frame`.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["T1"], "created_at": ["2026-03-02T09:00:00+00:00"]})
        >>> events = pd.DataFrame({"ticket_id": ["T1"] * 3, "type": ["status_change"] * 3,
        ...     "at": [f"2026-03-02T{h}:00:00+00:00" for h in (10, 11, 14)],
        ...     "status": ["solved", "open", "solved"]})
        >>> full_resolution_time_frame(tickets, events).median
        datetime.timedelta(seconds=18000)
    """,
)


def reopen_rate_frame(
    tickets: IntoDataFrame,
    events: IntoDataFrame,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
) -> Rate:
    """Return :func:`cs8.kpi.reopen_rate` from dataframes.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["A", "B"], "created_at": ["2026-03-02T09:00:00Z"] * 2})
        >>> events = pd.DataFrame({"ticket_id": ["A", "A", "B"], "type": ["status_change"] * 3,
        ...     "at": ["2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z", "2026-03-02T10:00:00Z"],
        ...     "status": ["solved", "open", "solved"]})
        >>> reopen_rate_frame(tickets, events).value
        0.5
    """
    d = _definition(definition, attribution=attribution)
    f, _ = _facts(tickets, events, d, columns, event_columns)
    return _reopen(f, d, period)


def one_touch_rate_frame(
    tickets: IntoDataFrame,
    events: IntoDataFrame,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    max_replies: int | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
) -> Rate:
    """Return :func:`cs8.kpi.one_touch_rate` from dataframes.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["A", "B"], "created_at": ["2026-03-02T09:00:00Z"] * 2})
        >>> events = pd.DataFrame({"ticket_id": ["A", "A", "B", "B", "B"],
        ...     "type": ["message", "status_change", "message", "message", "status_change"],
        ...     "at": ["2026-03-02T10:00:00Z"] * 5,
        ...     "author": ["agent", None, "agent", "agent", None],
        ...     "status": [None, "solved", None, None, "solved"]})
        >>> rate = one_touch_rate_frame(tickets, events)
        >>> rate.successes, rate.n
        (1, 2)
    """
    d = _reply_definition(definition, public_only, count_bots, attribution, max_replies=max_replies)
    f, _ = _facts(tickets, events, d, columns, event_columns)
    return _one_touch(f, d, period)


def first_contact_resolution_frame(
    tickets: IntoDataFrame,
    events: IntoDataFrame,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    rules: Sequence[FcrRule] | FcrRule | None = None,
    repeat_window: timedelta | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
) -> Rate:
    """Return :func:`cs8.kpi.first_contact_resolution` from dataframes.

    Every rule is supported: ``"single_agent"`` reads the events' ``author_id`` and
    ``"no_repeat_contact"`` the tickets' ``customer_id`` (later tickets are looked for among all
    rows of ``tickets``, as the object path looks among all tickets given).

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["A"], "created_at": ["2026-03-02T09:00:00Z"]})
        >>> events = pd.DataFrame({"ticket_id": ["A", "A", "A"],
        ...     "type": ["message", "message", "status_change"],
        ...     "at": ["2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z", "2026-03-02T11:00:00Z"],
        ...     "author": ["agent", "customer", None], "status": [None, None, "solved"]})
        >>> first_contact_resolution_frame(tickets, events).value
        1.0
        >>> first_contact_resolution_frame(tickets, events, rules="no_follow_up").value
        0.0
    """
    d = _reply_definition(
        definition, public_only, count_bots, attribution, rules=rules, repeat_window=repeat_window
    )
    f, _ = _facts(tickets, events, d, columns, event_columns, fcr=True)
    return _fcr(f, d, period)


# --------------------------------------------------------------------------------------------------
# Breakdown on frames


def _kpi_name(kpi: object) -> str:
    if isinstance(kpi, str):
        name = kpi
    else:
        name = str(getattr(kpi, "__name__", ""))
        name = name.removesuffix("_frame")
    if name not in _KPIS:
        raise InvalidValueError(
            f"breakdown_frame: kpi must be one of {list(_KPIS)} (a name or the cs8.kpi function), "
            f"got {kpi!r}"
        )
    return name


def _local_buckets(created: Any, zone: ZoneInfo, granularity: str) -> list[date]:
    """Return the local day, week (starting Monday) or month of each epoch-microsecond instant."""
    np = require("numpy", "dataframe")
    minutes = created // 60_000_000
    unique, inverse = np.unique(minutes, return_inverse=True)
    one = timedelta(minutes=1)
    out: list[date] = []
    for m in unique.tolist():
        local = (_EPOCH + m * one).astimezone(zone).date()
        if granularity == "week":
            local = local - timedelta(days=local.weekday())
        elif granularity == "month":
            local = local.replace(day=1)
        out.append(local)
    return [out[i] for i in inverse.tolist()]


def breakdown_frame(
    kpi: FrameKpi | Callable[..., object],
    tickets: FrameT,
    events: IntoDataFrame,
    by: str | Sequence[str] = (),
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Literal["day", "week", "month"] | None = None,
    timezone: str = "UTC",
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
    granularity: Literal["day", "week", "month"] | None = None,
) -> FrameT:
    """Compute a ticket KPI per group of a tickets dataframe; return a frame of the same library.

    :func:`cs8.kpi.breakdown` groups records and calls a KPI function on each group's list; a
    dataframe KPI needs two frames (tickets and events) and is computed once for all tickets on
    arrays, so this is a separate function rather than a dataframe mode of ``breakdown``. The
    output has the same columns as ``breakdown(...).to_dicts()``: the dimensions, then the result's
    fields (``n``, ``mean``, ``median`` ... or ``successes``, ``value`` ..., ``excluded.<reason>``).
    pandas in gives pandas out, polars in gives polars out.

    Args:
        kpi: ``"first_reply_time"``, ``"resolution_time"``, ``"full_resolution_time"``,
            ``"reopen_rate"``, ``"one_touch_rate"``, ``"first_contact_resolution"``, or the
            matching cs8.kpi function (object or ``*_frame`` form).
        tickets: The tickets frame (see :func:`ticket_summary_frame`).
        events: The events frame.
        by: Ticket column names (``"channel"``, ``"priority"``, ``"category"`` ... mapped through
            ``columns``), and ``"period"``: the local day, week starting Monday or month of
            ``created_at`` in ``timezone``.
        calendar: Business-time clock for duration KPIs.
        definition: A :class:`cs8.kpi.TicketDefinition` or a preset name (FCR uses its
            ``fcr_rules``; for ``"no_repeat_contact"`` later tickets are looked for among all
            rows, not only the group's, so a repeat contact on another channel counts).
        period: ``"day"`` (the default), ``"week"`` or ``"month"`` for ``"period"``, named as
            in :func:`cs8.sla.sla_report`.
        timezone: IANA zone in which periods are cut.
        columns: cs8 ticket field -> column name in ``tickets``.
        event_columns: Event field -> column name in ``events``.
        granularity: Deprecated name of ``period`` (a ``DeprecationWarning``).

    Returns:
        A native dataframe of ``tickets``' library, one row per group in the order of
        :func:`cs8.kpi.breakdown` (priorities by rank, numbers numerically, ``None`` last). On
        a lazy engine (polars LazyFrame, DuckDB relation, PySpark or SQLFrame DataFrame) only
        ``by="period"`` is taken: the tickets are folded and their periods cut in the engine
        (:func:`cs8.engines.period_start`), and the rows come back as a polars LazyFrame or a
        DuckDB relation, or a pandas DataFrame for PySpark and SQLFrame.

    Raises:
        UnknownFieldError: If a dimension is not a column of ``tickets``.
        InvalidValueError: If ``kpi`` or ``timezone`` is unknown.
        UnsupportedEngineError: If a lazy engine's tables are grouped by a ticket column.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["A", "B", "C"], "channel": ["chat", "email", "chat"],
        ...                         "created_at": ["2026-03-02T09:00:00Z"] * 3})
        >>> events = pd.DataFrame({"ticket_id": ["A", "B", "C"], "type": ["message"] * 3,
        ...     "at": ["2026-03-02T09:10:00Z", "2026-03-02T10:00:00Z", "2026-03-02T09:30:00Z"],
        ...     "author": ["agent"] * 3})
        >>> out = breakdown_frame("first_reply_time", tickets, events, by="channel")
        >>> type(out).__name__, out["channel"].tolist(), out["n"].tolist()
        ('DataFrame', ['chat', 'email'], [2, 1])
        >>> str(out["median"].iloc[0])
        '0 days 00:20:00'
    """
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
    name = _kpi_name(kpi)
    length = _period_argument("breakdown.frame", period, granularity)
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(f"breakdown_frame: unknown time zone {timezone!r}") from None
    d = _definition(definition)
    dims = [by] if isinstance(by, str) else list(by)
    periods: list[object] | None = None
    tf: Any
    if _lazy(tickets, events, columns, event_columns):
        if any(dim != "period" for dim in dims):
            raise UnsupportedEngineError(
                "breakdown_frame by a ticket column on a lazy engine: group "
                "cs8.engines.ticket_metrics(...) by the column in the engine instead"
            )
        f, periods = _engine_facts(tickets, events, d, columns, event_columns, name, length, zone)
        tf = None
    else:
        f, tf = _facts(
            tickets, events, d, columns, event_columns, fcr=name == "first_contact_resolution"
        )
    tmap = dict(columns or {})
    keys: list[list[object]] = []
    for dim in dims:
        if dim == "period":
            if periods is None:
                # A blank creation instant has no period (as on the engines): its row is
                # rejected, and counted in the period None's exclusions, not in 1969's week.
                known = _present(_required(tf, tmap, "created_at", "tickets frame")).tolist()
                buckets = _local_buckets(f.created, zone, length)
                periods = [b if k else None for b, k in zip(buckets, known, strict=True)]
            keys.append(periods)
            continue
        series = _column(tf, tmap, dim, "tickets frame")
        if series is None:
            raise UnknownFieldError(
                f"breakdown_frame: the tickets frame has no column {tmap.get(dim, dim)!r} for "
                f"dimension {dim!r}; columns: {list(tf.columns)}"
            )
        values = series.to_list()
        keys.append([None if isinstance(v, float) and math.isnan(v) else v for v in values])
    n = len(f.created)
    codes: dict[tuple[object, ...], int] = {}
    if dims:
        group = np.fromiter(
            (codes.setdefault(k, len(codes)) for k in zip(*keys, strict=True)), np.int64, n
        )
    else:
        codes[()] = 0
        group = np.zeros(n, dtype=np.int64)
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(len(codes) + 1))
    rows: list[tuple[tuple[object, ...], KpiResult]] = []
    for key in sorted(codes, key=lambda k: _sort_key(k, dims)):
        g = codes[key]
        part = f.take(order[bounds[g] : bounds[g + 1]])
        rows.append((key, _compute(name, part, d, None, calendar)))
    dicts = KpiTable(dimensions=tuple(dims), rows=tuple(rows)).to_dicts()
    names = list(dicts[0]) if dicts else list(dims)
    data = {c: [r.get(c) for r in dicts] for c in names}
    if tf is None:
        return _lazy_table(data, tickets)  # type: ignore[no-any-return]
    native_ns = nw.get_native_namespace(tf)
    return nw.from_dict(data, backend=native_ns).to_native()  # type: ignore[no-any-return]


def _lazy(
    tickets: object,
    events: object,
    columns: Mapping[str, str] | None,
    event_columns: Mapping[str, str] | None,
) -> bool:
    from cs8.engines._fold import foldable

    return bool(foldable(tickets, events, columns, event_columns))


def _engine_facts(
    tickets: object,
    events: object,
    d: TicketDefinition,
    columns: Mapping[str, str] | None,
    event_columns: Mapping[str, str] | None,
    name: str,
    length: str,
    zone: ZoneInfo,
) -> tuple[_Facts, list[object]]:
    """Fold the tickets in their engine and cut each one's period there, in one pull.

    The period is :func:`cs8.engines.period_start` of ``created`` (the shim for narwhals' missing
    ``group_by_dynamic`` and weekly ``dt.truncate``); a ticket without an instant gets ``None``.
    """
    nw = require("narwhals", "dataframe")
    from cs8.engines._fold import collect_facts_with, engine_facts
    from cs8.engines._period import period_start

    lazy = engine_facts(
        tickets,
        events,
        d,
        columns=columns,
        event_columns=event_columns,
        fcr=name == "first_contact_resolution",
    )
    column = "__cs8_period"
    native = period_start(
        lazy.to_native(),
        "created",
        period=length,  # type: ignore[arg-type]
        timezone=str(zone),
        name=column,
    )
    f, extra = collect_facts_with(nw.from_native(native), extra=(column,))
    return f, extra[column]


def _lazy_table(data: dict[str, list[object]], like: object) -> Any:
    """The breakdown rows (a handful) as a polars LazyFrame or a DuckDB relation, as ``like``.

    A Spark-like engine gets a pandas DataFrame, what ``toPandas()`` would give: SQLFrame cannot
    take duration columns back from Python.
    """
    nw = require("narwhals", "dataframe")
    table = nw.from_dict(data, backend="pyarrow")
    impl = nw.from_native(like).implementation
    if impl.is_spark_like():
        return table.to_pandas()
    return table.lazy(backend=impl).to_native()
