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
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from cs8._enums import ActorKind, TicketStatus
from cs8._optional import require
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError, NaiveDatetimeError, UnknownFieldError
from cs8.kpi._breakdown import _sort_key
from cs8.kpi._definitions import (
    Attribution,
    BusinessClock,
    FcrRule,
    Period,
    ReplyClockStart,
    TicketDefinition,
    _definition,
    _period,
    _with_excluded,
)
from cs8.kpi._stats import DurationState, DurationStats, Rate, RateState
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

Columns: TypeAlias = Mapping[str, str] | None
FrameKpi: TypeAlias = Literal[
    "first_reply_time",
    "resolution_time",
    "full_resolution_time",
    "reopen_rate",
    "one_touch_rate",
    "first_contact_resolution",
]
_KPIS: tuple[str, ...] = (
    "first_reply_time",
    "resolution_time",
    "full_resolution_time",
    "reopen_rate",
    "one_touch_rate",
    "first_contact_resolution",
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Codes of the enum columns (0 is "none of these").
_MESSAGE, _STATUS_CHANGE = 1, 2
_CUSTOMER, _AGENT, _BOT = 1, 2, 3
_STATUS_CODES = {s: i for i, s in enumerate(TicketStatus, start=1)}
_NEW, _SOLVED, _CLOSED = (
    _STATUS_CODES[TicketStatus.NEW],
    _STATUS_CODES[TicketStatus.SOLVED],
    _STATUS_CODES[TicketStatus.CLOSED],
)
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
_NO_TIME = -(2**62)  # "no instant" in the int64 arrays


def _norm(value: object) -> str:
    return str(value).strip().lower().replace("-", "_").replace(" ", "_")


def _type_code(value: str) -> int:
    key = _norm(value)
    if key == "message":
        return _MESSAGE
    if key in ("status_change", "status"):
        return _STATUS_CHANGE
    return 0


def _actor_code(value: str) -> int:
    try:
        actor = ActorKind(value)
    except ValueError:
        return 0
    return {ActorKind.CUSTOMER: _CUSTOMER, ActorKind.AGENT: _AGENT, ActorKind.BOT: _BOT}.get(
        actor, 0
    )


def _status_code(value: str) -> int:
    try:
        return _STATUS_CODES[TicketStatus(value)]
    except ValueError:
        raise InvalidValueError(
            f"events frame: status must be a TicketStatus, got {value!r}"
        ) from None


# --------------------------------------------------------------------------------------------------
# Reading columns through narwhals


def _frame(native: object, what: str) -> Any:
    nw = require("narwhals", "dataframe", f"{what} from a dataframe")
    try:
        frame = nw.from_native(native)
    except TypeError:
        raise InvalidValueError(
            f"{what}: expected a dataframe narwhals supports (pandas, polars ...), got "
            f"{type(native).__name__}"
        ) from None
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    if not isinstance(frame, nw.DataFrame):
        raise InvalidValueError(f"{what}: expected a dataframe, got {type(native).__name__}")
    return frame


def _column(frame: Any, mapping: Mapping[str, str], field: str, what: str) -> Any | None:
    name = mapping.get(field, field)
    if name not in frame.columns:
        return None
    return frame[name]


def _required(frame: Any, mapping: Mapping[str, str], field: str, what: str) -> Any:
    series = _column(frame, mapping, field, what)
    if series is None:
        raise UnknownFieldError(
            f"{what} has no column {mapping.get(field, field)!r} for field {field!r}; columns: "
            f"{list(frame.columns)} (map it with columns=)"
        )
    return series


def _codes(series: Any, code: Callable[[str], int], default: int) -> Any:
    """Return the int8 numpy codes of an enum-like text column (nulls get ``default``)."""
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
    dtype = series.dtype
    if dtype == nw.String or dtype == nw.Categorical or dtype == nw.Enum:
        # One vectorized comparison per distinct value: cheap on categoricals (codes compare)
        # and on text with few distinct values, which enum columns have.
        if dtype == nw.String:
            uniques = series.unique().to_list()
        else:
            uniques = series.cat.get_categories().to_list()
        out = np.full(len(series), default, dtype=np.int8)
        for u in uniques:
            if not isinstance(u, str):
                continue
            c = code(u)
            if c != default:
                out[_mask(series == u)] = c
        return out
    values = series.to_list()
    cache: dict[object, int] = {}
    out = np.empty(len(values), dtype=np.int8)
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out[i] = default
            continue
        if v not in cache:
            cache[v] = code(str(getattr(v, "value", v)))
        out[i] = cache[v]
    return out


def _mask(series: Any) -> Any:
    """Return a boolean series as a numpy bool array, nulls as False."""
    np = require("numpy", "dataframe")
    arr = series.to_numpy()
    if arr.dtype != np.bool_:
        arr = series.fill_null(False).to_numpy().astype(bool)
    return arr


def _bools(series: Any, default: bool, field: str) -> Any:
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
    if series.dtype == nw.Boolean:
        return series.fill_null(default).to_numpy().astype(bool)
    out = np.empty(len(series), dtype=bool)
    for i, v in enumerate(series.to_list()):
        if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
            out[i] = default
        elif isinstance(v, bool | int):
            out[i] = bool(v)
        else:
            low = str(v).strip().lower()
            if low in _TRUE:
                out[i] = True
            elif low in _FALSE:
                out[i] = False
            else:
                raise InvalidValueError(f"{field} must be true or false, got {v!r}")
    return out


def _parse_instant(value: object, field: str) -> int:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValueError(f"{field} must be an ISO 8601 instant, got {value!r}") from None
    if not isinstance(value, datetime):
        raise InvalidValueError(f"{field} must be an instant, got {value!r}")
    value = require_aware(value, field)
    return (value - _EPOCH) // timedelta(microseconds=1)


def _instants(series: Any, field: str) -> Any:
    """Return epoch microseconds (int64) of an aware datetime or ISO text column."""
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
    if series.null_count():
        raise InvalidValueError(f"{field} must not be empty ({series.null_count()} empty rows)")
    dtype = series.dtype
    if dtype == nw.Datetime:
        if dtype.time_zone is None:
            raise NaiveDatetimeError(
                f"{field} is a datetime column without a time zone; localize it first"
            )
        return series.dt.timestamp("us").to_numpy().astype(np.int64)
    if dtype == nw.String:
        uniques = series.unique().to_list()
        table = {u: _parse_instant(u, field) for u in uniques}
        return series.replace_strict(table, return_dtype=nw.Int64).to_numpy().astype(np.int64)
    return np.array([_parse_instant(v, field) for v in series.to_list()], dtype=np.int64)


def _present(series: Any) -> Any:
    """Return a bool array: the row holds a non-empty value."""
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
    present = ~series.is_null().to_numpy().astype(bool)
    if series.dtype == nw.String:
        present &= ~(series.fill_null("x") == "").to_numpy().astype(bool)
    elif series.dtype == nw.Object:
        present &= np.array([v not in ("", None) for v in series.to_list()], dtype=bool)
    return present


# --------------------------------------------------------------------------------------------------
# Per-ticket facts on arrays


def _group_first(keys: Any) -> Any:
    """Return a bool array marking the first row of each run of equal ``keys`` (sorted input)."""
    np = require("numpy", "dataframe")
    out = np.ones(len(keys), dtype=bool)
    if len(keys) > 1:
        out[1:] = keys[1:] != keys[:-1]
    return out


def _group_last(keys: Any) -> Any:
    np = require("numpy", "dataframe")
    out = np.ones(len(keys), dtype=bool)
    if len(keys) > 1:
        out[:-1] = keys[1:] != keys[:-1]
    return out


def _ticket_rows(ids: Any, refs: Any) -> Any:
    """Return, for each event's ticket reference, the row of that ticket (-1 when absent)."""
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
    if ids.dtype.is_integer() and refs.dtype.is_integer() and not ids.null_count():
        keys = np.asarray(ids.to_numpy(), dtype=np.int64)
        has_null = refs.null_count() > 0
        wanted = np.asarray((refs.fill_null(-1) if has_null else refs).to_numpy(), dtype=np.int64)
        absent = refs.is_null().to_numpy().astype(bool) if has_null else None
        if not len(keys):
            return np.full(len(wanted), -1, dtype=np.int64)
        if keys[-1] - keys[0] == len(keys) - 1 and (keys[1:] > keys[:-1]).all():
            # Ids are a contiguous run (row numbers, say): an event's row is an offset.
            rows = wanted - keys[0]
            ok = (rows >= 0) & (rows < len(keys))
            if absent is not None:
                ok &= ~absent
            return rows if ok.all() else np.where(ok, rows, -1)
        if (keys[1:] > keys[:-1]).all():
            sorter = None
            sorted_keys = keys
        else:
            sorter = np.argsort(keys, kind="stable")
            sorted_keys = keys[sorter]
        place = np.searchsorted(sorted_keys, wanted)
        place[place == len(keys)] = 0
        found = sorted_keys[place] == wanted
        rows = place if sorter is None else sorter[place]
        if absent is not None:
            found &= ~absent
        return np.where(found, rows, -1)
    # General keys: a join through the dataframe library (ids compared as text if types differ).
    ns = nw.get_native_namespace(ids)
    left = refs.alias("__cs8_ref").to_frame()
    right = ids.alias("__cs8_ref").to_frame()
    if left["__cs8_ref"].dtype != right["__cs8_ref"].dtype:
        left = left.with_columns(nw.col("__cs8_ref").cast(nw.String))
        right = right.with_columns(nw.col("__cs8_ref").cast(nw.String))
    left = left.with_columns(
        nw.new_series(
            "__cs8_event",
            np.arange(len(refs), dtype=np.int64),
            backend=nw.get_native_namespace(refs),
        )
    )
    right = right.with_columns(
        nw.new_series("__cs8_ticket", np.arange(len(ids), dtype=np.int64), backend=ns)
    ).unique("__cs8_ref", keep="first")
    joined = left.join(right, on="__cs8_ref", how="inner")
    out = np.full(len(refs), -1, dtype=np.int64)
    out[joined["__cs8_event"].to_numpy().astype(np.int64)] = joined["__cs8_ticket"].to_numpy()
    return out


def _in_order(ticket: Any, at: Any) -> bool:
    """Whether events are already grouped by ticket in time order (the usual layout)."""
    if len(ticket) < 2:
        return True
    step = ticket[1:] - ticket[:-1]
    if (step < 0).any():
        return False
    return not ((step == 0) & (at[1:] < at[:-1])).any()


@attrs.frozen
class _Facts:
    """Per-ticket arrays (numpy), all of one length; ``_NO_TIME`` marks a missing instant."""

    created: Any
    merged: Any
    agent_created: Any
    start: Any  # reply clock start
    first: Any  # first reply that counts
    replies: Any  # replies that count
    follow_up: Any  # a public customer message after the first reply
    agents: Any  # distinct replying agents (-1: not computed)
    solved: Any  # first solve
    last_solved: Any
    reopened: Any
    done: Any  # solved or closed now
    next_contact: Any  # creation of the customer's next (strictly later) ticket

    def take(self, index: Any) -> _Facts:
        return _Facts(
            *(None if a is None else a[index] for a in attrs.astuple(self, recurse=False))
        )


def _next_contact(customer: Any, created: Any) -> Any:
    """Return, per ticket, when the same customer's next ticket created after it was created."""
    np = require("numpy", "dataframe")
    n = len(created)
    out = np.full(n, _NO_TIME, dtype=np.int64)
    if n < 2:
        return out
    _, group = np.unique(np.array([str(c) for c in customer], dtype=object), return_inverse=True)
    order = np.lexsort((created, group))
    g, t = group[order], created[order]
    # The start of the next run of equal (customer, created) after each position.
    starts = np.flatnonzero(np.r_[True, (g[1:] != g[:-1]) | (t[1:] != t[:-1])])
    run = np.searchsorted(starts, np.arange(n), side="right")  # index of the next run start
    has_next = run < len(starts)
    nxt = np.where(has_next, starts[np.minimum(run, len(starts) - 1)], 0)
    same = has_next & (g[nxt] == g)
    out[order[same]] = t[nxt[same]]
    return out


def _facts(
    tickets: object,
    events: object,
    d: TicketDefinition,
    columns: Columns,
    event_columns: Columns,
    fcr: bool = False,
) -> tuple[_Facts, Any]:
    np = require("numpy", "dataframe")
    tmap = dict(columns or {})
    emap = dict(event_columns or {})
    tf = _frame(tickets, "tickets")
    ef = _frame(events, "events")
    n = len(tf)
    created = _instants(_required(tf, tmap, "created_at", "tickets frame"), "tickets.created_at")
    by = _column(tf, tmap, "created_by", "tickets frame")
    agent_created = (
        np.zeros(n, dtype=bool) if by is None else _codes(by, _actor_code, _CUSTOMER) == _AGENT
    )
    merged_col = _column(tf, tmap, "merged_into", "tickets frame")
    merged = np.zeros(n, dtype=bool) if merged_col is None else _present(merged_col)

    # Events: keep messages and status changes, map them to ticket rows, order them.
    _required(tf, tmap, "id", "tickets frame")
    ticket_all = _ticket_rows(
        tf[tmap.get("id", "id")], _required(ef, emap, "ticket_id", "events frame")
    )
    kind_all = _codes(_required(ef, emap, "type", "events frame"), _type_code, 0)
    wanted = (kind_all != 0) & (ticket_all >= 0)
    at_all = _instants(_required(ef, emap, "at", "events frame"), "events.at")
    identity = bool(wanted.all())
    selected = None if identity else np.flatnonzero(wanted)
    ticket = ticket_all if selected is None else ticket_all[selected]
    at = at_all if selected is None else at_all[selected]
    if not _in_order(ticket, at):
        # Stable: ties keep the file's order, as the loader does.
        order = np.lexsort((at, ticket))
        selected = order if selected is None else selected[order]
        ticket, at = ticket[order], at[order]

    def take(values: Any) -> Any:
        return values if selected is None else values[selected]

    kind = take(kind_all)
    row = np.arange(len(ticket), dtype=np.int64)

    def event_col(field: str) -> Any | None:
        return _column(ef, emap, field, "events frame")

    # Messages.
    is_msg = kind == _MESSAGE
    author_s = event_col("author")
    author = (
        np.full(len(row), _AGENT, dtype=np.int8)
        if author_s is None
        else take(_codes(author_s, _actor_code, _AGENT))
    )
    public_s = event_col("public")
    public = (
        np.ones(len(row), dtype=bool)
        if public_s is None
        else take(_bools(public_s, True, "events.public"))
    )
    cust = is_msg & (author == _CUSTOMER) & public
    reply_kind = is_msg & ((author == _AGENT) | ((author == _BOT) & d.count_bots))
    if d.public_only:
        reply_kind &= public
    inf = np.iinfo(np.int64).max
    first_cust_pos = np.full(n, inf, dtype=np.int64)
    first_cust_at = np.full(n, _NO_TIME, dtype=np.int64)
    cp = np.flatnonzero(cust)
    ct = ticket[cp]
    head = cp[_group_first(ct)]
    first_cust_pos[ticket[head]] = head
    first_cust_at[ticket[head]] = at[head]
    rp = np.flatnonzero(reply_kind)
    rt = ticket[rp]
    if d.reply_clock_start == "created":
        counted = np.ones(len(rt), dtype=bool)
        if d.skip_agent_opening:
            skip = _group_first(rt) & agent_created[rt] & (rp < first_cust_pos[rt])
            counted &= ~skip
        start = created.copy()
    else:
        counted = rp > first_cust_pos[rt]
        start = first_cust_at
    if counted.all():
        ct2, cp2 = rt, rp
    else:
        cp2 = rp[counted]
        ct2 = ticket[cp2]
    head = cp2[_group_first(ct2)]
    first = np.full(n, _NO_TIME, dtype=np.int64)
    first[ticket[head]] = at[head]
    first_pos = np.full(n, inf, dtype=np.int64)
    first_pos[ticket[head]] = head
    replies = np.bincount(ct2, minlength=n).astype(np.int64)
    follow = np.zeros(n, dtype=bool)
    late = cp > first_pos[ct]
    follow[ct[late]] = True
    agents = np.full(n, -1, dtype=np.int64)
    if fcr and "single_agent" in d.fcr_rules:
        ids_s = event_col("author_id")
        if ids_s is None:
            raw: list[object] = [None] * len(row)
        else:
            raw = ids_s.to_list()
        values = raw if selected is None else [raw[i] for i in selected.tolist()]
        agents = np.zeros(n, dtype=np.int64)
        seen: set[tuple[int, object]] = set()
        for t, i in zip(ct2.tolist(), cp2.tolist(), strict=True):
            v = values[i]
            key = (
                t,
                None if v is None or (isinstance(v, float) and math.isnan(v)) or v == "" else v,
            )
            if key not in seen:
                seen.add(key)
                agents[t] += 1

    # Status changes.
    is_st = kind == _STATUS_CHANGE
    status_s = event_col("status")
    if status_s is None and is_st.any():
        raise UnknownFieldError("events frame has status changes but no 'status' column")
    sp = np.flatnonzero(is_st)
    st = ticket[sp]
    sat = at[sp]
    scode = (
        np.zeros(0, dtype=np.int8)
        if status_s is None
        else take(_codes(status_s, _status_code, 0))[sp]
    )
    if (scode == 0).any():
        raise InvalidValueError("events frame: a status change has no status")
    heads = _group_first(st)
    prev = np.empty(len(st), dtype=np.int8)
    if len(st):
        prev[1:] = scode[:-1]
    prev[heads] = _NEW
    is_done = (scode == _SOLVED) | (scode == _CLOSED)
    prev_done = (prev == _SOLVED) | (prev == _CLOSED)
    reopened = np.zeros(n, dtype=bool)
    reopened[st[~is_done & prev_done]] = True
    dt, dat = st[is_done], sat[is_done]
    head = _group_first(dt)
    solved = np.full(n, _NO_TIME, dtype=np.int64)
    solved[dt[head]] = dat[head]
    last_solved = solved.copy()
    again = (scode == _SOLVED) & (prev != _SOLVED)
    lt, lat = st[again], sat[again]
    tail = _group_last(lt)
    last_solved[lt[tail]] = np.maximum(last_solved[lt[tail]], lat[tail])
    now = np.full(n, _NEW, dtype=np.int8)
    tail = _group_last(st)
    now[st[tail]] = scode[tail]
    done = (now == _SOLVED) | (now == _CLOSED)
    next_contact = np.full(n, _NO_TIME, dtype=np.int64)
    if fcr and "no_repeat_contact" in d.fcr_rules:
        customer = _required(tf, tmap, "customer_id", "tickets frame")
        next_contact = _next_contact(np.asarray(customer.to_list(), dtype=object), created)
    facts = _Facts(
        created=created,
        merged=merged,
        agent_created=agent_created,
        start=start,
        first=first,
        replies=replies,
        follow_up=follow,
        agents=agents,
        solved=solved,
        last_solved=last_solved,
        reopened=reopened,
        done=done,
        next_contact=next_contact,
    )
    return facts, tf


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
    d = _definition(
        definition,
        public_only=public_only,
        count_bots=count_bots,
        skip_agent_opening=skip_agent_opening,
        reply_clock_start=reply_clock_start,
        attribution=attribution,
    )
    f, _ = _facts(tickets, events, d, columns, event_columns)
    return _frt(f, d, period, calendar)


def resolution_time_frame(
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
    """Return :func:`cs8.kpi.resolution_time` (creation to first solve) from dataframes.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["T1"], "created_at": ["2026-03-02T09:00:00+00:00"]})
        >>> events = pd.DataFrame({"ticket_id": ["T1"], "type": ["status_change"],
        ...     "at": ["2026-03-02T13:00:00+00:00"], "status": ["solved"]})
        >>> resolution_time_frame(tickets, events).median
        datetime.timedelta(seconds=14400)
    """
    d = _definition(definition, attribution=attribution)
    f, _ = _facts(tickets, events, d, columns, event_columns)
    return _resolution(f, d, period, calendar, last=False)


def full_resolution_time_frame(
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
    """Return :func:`cs8.kpi.full_resolution_time` (creation to latest solve) from dataframes.

    Example:
        >>> import pandas as pd
        >>> tickets = pd.DataFrame({"id": ["T1"], "created_at": ["2026-03-02T09:00:00+00:00"]})
        >>> events = pd.DataFrame({"ticket_id": ["T1"] * 3, "type": ["status_change"] * 3,
        ...     "at": [f"2026-03-02T{h}:00:00+00:00" for h in (10, 11, 14)],
        ...     "status": ["solved", "open", "solved"]})
        >>> full_resolution_time_frame(tickets, events).median
        datetime.timedelta(seconds=18000)
    """
    d = _definition(definition, attribution=attribution)
    f, _ = _facts(tickets, events, d, columns, event_columns)
    return _resolution(f, d, period, calendar, last=True)


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
    d = _definition(
        definition,
        one_touch_max_replies=max_replies,
        public_only=public_only,
        count_bots=count_bots,
        attribution=attribution,
    )
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
    rule_tuple = None if rules is None else (rules,) if isinstance(rules, str) else tuple(rules)
    d = _definition(
        definition,
        fcr_rules=rule_tuple,
        repeat_window=repeat_window,
        public_only=public_only,
        count_bots=count_bots,
        attribution=attribution,
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
    granularity: Literal["day", "week", "month"] = "day",
    timezone: str = "UTC",
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
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
        granularity: ``"day"``, ``"week"`` or ``"month"`` for ``"period"``.
        timezone: IANA zone in which periods are cut.
        columns: cs8 ticket field -> column name in ``tickets``.
        event_columns: Event field -> column name in ``events``.

    Returns:
        A native dataframe of ``tickets``' library, one row per group sorted by key (``None``
        last).

    Raises:
        UnknownFieldError: If a dimension is not a column of ``tickets``.
        InvalidValueError: If ``kpi`` or ``timezone`` is unknown.

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
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(f"breakdown_frame: unknown time zone {timezone!r}") from None
    d = _definition(definition)
    f, tf = _facts(
        tickets,
        events,
        d,
        columns,
        event_columns,
        fcr=name == "first_contact_resolution",
    )
    dims = [by] if isinstance(by, str) else list(by)
    tmap = dict(columns or {})
    keys: list[list[object]] = []
    for dim in dims:
        if dim == "period":
            keys.append(list(_local_buckets(f.created, zone, granularity)))
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
    for key in sorted(codes, key=_sort_key):
        g = codes[key]
        part = f.take(order[bounds[g] : bounds[g + 1]])
        rows.append((key, _compute(name, part, d, None, calendar)))
    dicts = KpiTable(dimensions=tuple(dims), rows=tuple(rows)).to_dicts()
    names = list(dicts[0]) if dicts else list(dims)
    data = {c: [r.get(c) for r in dicts] for c in names}
    native_ns = nw.get_native_namespace(tf)
    return nw.from_dict(data, backend=native_ns).to_native()  # type: ignore[no-any-return]
