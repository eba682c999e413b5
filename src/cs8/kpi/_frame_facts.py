"""The columnar fold of the dataframe path: ticket and event frames to per-ticket fact arrays.

The second implementation of a ticket's facts (the first is :class:`cs8.Ticket`'s own fold); a
property test holds the two equal. Frames are read through narwhals only, then computed on numpy.

Example:
    >>> _norm(" Solved ")
    'solved'
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

import attrs

from cs8._enums import ActorKind, TicketStatus, enum_key
from cs8._optional import require
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError, NaiveDatetimeError, UnknownFieldError
from cs8.kpi._definitions import (
    TicketDefinition,
)

if TYPE_CHECKING:
    from narwhals.typing import IntoDataFrame

    FrameT = TypeVar("FrameT", bound=IntoDataFrame)
else:
    FrameT = TypeVar("FrameT")
    IntoDataFrame = object


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
    return enum_key(str(value))


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
    """The status's code, 0 for a value that is no TicketStatus (the loader rejects its row)."""
    try:
        return _STATUS_CODES[TicketStatus(value)]
    except ValueError:
        return 0


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


def _bools(series: Any, default: bool) -> tuple[Any, Any]:
    """Return a flag column as booleans (blanks get ``default``) and where it holds no flag."""
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
    invalid = np.zeros(len(series), dtype=bool)
    if series.dtype == nw.Boolean:
        return series.fill_null(default).to_numpy().astype(bool), invalid
    out = np.empty(len(series), dtype=bool)
    for i, v in enumerate(series.to_list()):
        if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
            out[i] = default
        elif isinstance(v, bool | int):
            out[i] = bool(v)
        else:
            low = str(v).strip().lower()
            out[i] = low in _TRUE
            invalid[i] = not out[i] and low not in _FALSE
    return out, invalid


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


def _instants(series: Any, field: str) -> tuple[Any, Any]:
    """Return epoch microseconds (int64) of an aware datetime or ISO text column, and its blanks.

    A blank cell (null or empty text) gets 0 and ``True`` in the second array: the loader rejects
    its record, and so does the caller.
    """
    np = require("numpy", "dataframe")
    blank = ~_present(series)
    if blank.any():
        filled = np.zeros(len(series), dtype=np.int64)
        rows = np.flatnonzero(~blank)
        values = series.to_list()
        filled[rows] = [_parse_instant(values[i], field) for i in rows.tolist()]
        return filled, blank
    return _filled_instants(series, field), blank


def _filled_instants(series: Any, field: str) -> Any:
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
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


def _ticket_rows(ids: Any, refs: Any, usable: Any) -> Any:
    """Return, for each event's ticket reference, the row of that ticket (-1 when absent).

    Only rows where ``usable`` holds are matched (the loader drops the others before it reads
    the events).
    """
    nw = require("narwhals", "dataframe")
    np = require("numpy", "dataframe")
    every = bool(usable.all())
    if every and ids.dtype.is_integer() and refs.dtype.is_integer() and not ids.null_count():
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
    )
    if not every:
        right = right.filter(usable.tolist())
    right = right.unique("__cs8_ref", keep="first")
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
    rejected: Any  # int8: 0 loaded, else 1 + the index of the reason in REJECTIONS

    def take(self, index: Any) -> _Facts:
        return _Facts(
            *(None if a is None else a[index] for a in attrs.astuple(self, recurse=False))
        )


# Why the loader (cs8.io.read_tickets) would not load a ticket row, in the order it checks; the
# frame path leaves such a row out and counts it in ``excluded`` under this name.
REJECTIONS: tuple[str, ...] = (
    "invalid_ticket_row",  # a blank id, customer_id, channel, created_at, priority or created_by
    "duplicate_id",  # every row of an id that more than one valid row holds
    "invalid_event_row",  # one of its events has a blank at, type, author, public or status
    "event_before_creation",  # one of its events is earlier than its creation
)
_INVALID_ROW, _DUPLICATE, _INVALID_EVENT, _BEFORE_CREATION = 1, 2, 3, 4


def _duplicated(ids: Any, valid: Any) -> Any:
    """Return a bool array: the row is valid and another valid row holds its id."""
    np = require("numpy", "dataframe")
    if valid.all():
        return ids.is_duplicated().to_numpy().astype(bool)
    values = ids.to_list()
    rows = np.flatnonzero(valid).tolist()
    seen = Counter(values[i] for i in rows)
    out = np.zeros(len(values), dtype=bool)
    out[[i for i in rows if seen[values[i]] > 1]] = True
    return out


def _row_rejections(tf: Any, tmap: Mapping[str, str], created_blank: Any) -> Any:
    """Return the int8 rejection codes of the ticket rows as far as the rows themselves tell."""
    np = require("numpy", "dataframe")
    valid = ~created_blank
    # The loader rejects a blank in these columns when the file has the column (a blank enum cell
    # has no default); a frame without the column is read as the loader reads a file without it.
    for field in ("id", "customer_id", "channel", "priority", "created_by"):
        series = _column(tf, tmap, field, "tickets frame")
        if series is not None:
            valid &= _present(series)
    out = np.where(valid, 0, _INVALID_ROW).astype(np.int8)
    ids = _required(tf, tmap, "id", "tickets frame")
    out[_duplicated(ids, valid)] = _DUPLICATE
    return out


def _event_rejections(
    ef: Any,
    emap: Mapping[str, str],
    rejected: Any,
    ticket: Any,
    kind: Any,
    at: Any,
    at_blank: Any,
    created: Any,
    refused: Any,
) -> None:
    """Mark, in ``rejected``, the loaded tickets with a bad event or one before their creation.

    ``refused`` marks the rows holding a value the loader refuses (a status that is no
    TicketStatus, a public flag that is neither true nor false): such a row is a bad event.
    """
    np = require("numpy", "dataframe")
    bad = refused | at_blank | ~_present(_required(ef, emap, "type", "events frame"))
    for field, of_kind in (("author", _MESSAGE), ("public", _MESSAGE), ("status", _STATUS_CHANGE)):
        series = _column(ef, emap, field, "events frame")
        if series is not None:
            bad |= (kind == of_kind) & ~_present(series)
    mine = ticket >= 0
    loaded = np.zeros(len(ticket), dtype=bool)
    loaded[mine] = rejected[ticket[mine]] == 0
    early = loaded & ~bad & (at < np.where(mine, created[np.maximum(ticket, 0)], at))
    rejected[ticket[early]] = _BEFORE_CREATION
    rejected[ticket[loaded & bad]] = _INVALID_EVENT


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
    from cs8.engines._fold import collect_facts, engine_facts, foldable

    if foldable(tickets, events, columns, event_columns):
        # A lazy engine folds where the data lives; only the per-ticket facts come back.
        lazy = engine_facts(
            tickets, events, d, columns=columns, event_columns=event_columns, fcr=fcr
        )
        return collect_facts(lazy), None
    tmap = dict(columns or {})
    emap = dict(event_columns or {})
    tf = _frame(tickets, "tickets")
    ef = _frame(events, "events")
    n = len(tf)
    created, created_blank = _instants(
        _required(tf, tmap, "created_at", "tickets frame"), "tickets.created_at"
    )
    rejected = _row_rejections(tf, tmap, created_blank)
    by = _column(tf, tmap, "created_by", "tickets frame")
    agent_created = (
        np.zeros(n, dtype=bool) if by is None else _codes(by, _actor_code, _CUSTOMER) == _AGENT
    )
    merged_col = _column(tf, tmap, "merged_into", "tickets frame")
    merged = np.zeros(n, dtype=bool) if merged_col is None else _present(merged_col)

    # Events: keep messages and status changes, map them to ticket rows, order them.
    ticket_all = _ticket_rows(
        tf[tmap.get("id", "id")],
        _required(ef, emap, "ticket_id", "events frame"),
        rejected == 0,
    )
    kind_all = _codes(_required(ef, emap, "type", "events frame"), _type_code, 0)
    at_all, at_blank = _instants(_required(ef, emap, "at", "events frame"), "events.at")
    public_s = _column(ef, emap, "public", "events frame")
    status_s = _column(ef, emap, "status", "events frame")
    if public_s is None:
        public_all, refused = np.ones(len(kind_all), dtype=bool), np.zeros(len(kind_all), bool)
    else:
        public_all, refused = _bools(public_s, True)
        refused &= kind_all == _MESSAGE
    status_all = (
        np.zeros(len(kind_all), dtype=np.int8)
        if status_s is None
        else _codes(status_s, _status_code, 0)
    )
    if status_s is not None:
        refused |= (kind_all == _STATUS_CHANGE) & (status_all == 0) & _present(status_s)
    _event_rejections(ef, emap, rejected, ticket_all, kind_all, at_all, at_blank, created, refused)
    # The events of a ticket the loader would reject take no part in the fold.
    wanted = (kind_all != 0) & (ticket_all >= 0)
    wanted[wanted] = rejected[ticket_all[wanted]] == 0
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
    public = take(public_all)
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
    if d.reply_clock_start == "last_handoff_or_reopen":
        raise InvalidValueError(
            "reply_clock_start='last_handoff_or_reopen' has no dataframe form: the events frame "
            "has no handoff events; compute it on cs8.Ticket objects"
        )
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
    if status_s is None and is_st.any():
        raise UnknownFieldError("events frame has status changes but no 'status' column")
    sp = np.flatnonzero(is_st)
    st = ticket[sp]
    sat = at[sp]
    scode = take(status_all)[sp]
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
        rows = np.flatnonzero(rejected == 0)
        everyone = np.asarray(customer.to_list(), dtype=object)
        next_contact[rows] = _next_contact(everyone[rows], created[rows])
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
        rejected=rejected,
    )
    return facts, tf
