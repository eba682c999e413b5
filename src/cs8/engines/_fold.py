"""The per-ticket fold as a lazy query: ticket and event tables to per-ticket facts, in the engine.

The third form of a ticket's facts, after :class:`cs8.Ticket`'s own fold and the numpy fold of the
dataframe path (:mod:`cs8.kpi._frame_facts`): the same facts, written as narwhals expressions so
they run where the data lives (a polars LazyFrame, a DuckDB relation, a PySpark or SQLFrame
DataFrame) and only the per-ticket columns a KPI reads leave the engine. A property test holds all
three equal. What differs, and why:

- An engine has no row order, so events are taken in time order and **events at the same instant
  are simultaneous**: a reply at the very instant of the customer's first message does not count
  as after it, and among status changes at one instant the one with the higher status code (new,
  open, pending, on hold, solved, closed) is taken as the later. The object and numpy folds take
  the file's order for such ties.
- Instants must be timezone-aware timestamp columns (text is parsed by the loaders, not here).

The shape of the query, for speed on 10^8 events: one grouped pass over the events gives every
fact that needs no other (the earliest instant, with a bad event counted as at an instant before
every instant of the table so that the same minimum says whether one is bad; the first reply, the
first customer message, the first solve ...), joined to the tickets once; the replies whose
counting depends on a ticket's own first reply or first customer message take a second grouped
pass over those tickets' replies only; the status history (reopens, the last solve, the status
now) takes the one window function, over the status changes, and only when asked for (``facts``).

The rows the loader would reject (an event holding a status that is no TicketStatus, or a public
flag neither true nor false, is a bad event, as the loader has it) are marked as the numpy fold
marks them (``rejected``: 0 loaded,
else 1 + the index of the reason in :data:`cs8.kpi._frame_facts.REJECTIONS`), so the KPIs exclude
and count them alike.

Example:
    >>> sorted(_STATUS_CODES)[:2]
    ['closed', 'new']
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from cs8._enums import ActorKind, TicketStatus
from cs8._optional import require
from cs8.exceptions import InvalidValueError, NaiveDatetimeError, UnknownFieldError
from cs8.kpi._definitions import TicketDefinition

__all__ = ["FACT_COLUMNS", "collect_facts", "engine_facts", "foldable"]

# The per-ticket columns engine_facts gives, besides ``id``: instants are timestamps (null when
# absent), counts integers, flags booleans; ``rejected`` an integer code.
FACT_COLUMNS: tuple[str, ...] = (
    "created",
    "merged",
    "agent_created",
    "customer",
    "start",
    "first",
    "replies",
    "follow_up",
    "agents",
    "solved",
    "last_solved",
    "reopened",
    "done",
    "next_contact",
    "rejected",
)

_STATUS_CODES = {s.value: i for i, s in enumerate(TicketStatus, start=1)}
_DONE = (_STATUS_CODES[TicketStatus.SOLVED.value], _STATUS_CODES[TicketStatus.CLOSED.value])
_KIND_CODES = {"message": 1, "status_change": 2, "status": 2}
_MESSAGE, _STATUS = 1, 2
_ACTOR_CODES = {a.value: i for i, a in enumerate(ActorKind, start=1)}
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0")
_P = "__cs8_"  # prefix of the fold's own columns


def foldable(
    tickets: object,
    events: object,
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
) -> bool:
    """Whether the tables are lazy and their instants timestamps, so the engine can fold them.

    A lazy table whose instants are text is collected and parsed by the numpy fold instead.
    """
    nw = require("narwhals", "dataframe")
    lazy = []
    for native, field, mapping in (
        (tickets, "created_at", columns),
        (events, "at", event_columns),
    ):
        try:
            frame = nw.from_native(native)
        except TypeError:
            return False
        lazy.append(isinstance(frame, nw.LazyFrame))
        dtype = dict(frame.collect_schema()).get(dict(mapping or {}).get(field, field))
        if dtype is None or dtype != nw.Datetime:
            return False
    return any(lazy)


def _lazy(native: object, what: str) -> Any:
    nw = require("narwhals", "dataframe", f"{what} on an engine")
    try:
        frame = nw.from_native(native)
    except TypeError:
        raise InvalidValueError(
            f"{what}: expected a frame narwhals supports, got {type(native).__name__}"
        ) from None
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def _enum_code(nw: Any, expr: Any, dtype: Any, codes: Mapping[str, int], default: int) -> Any:
    """The integer code of enum text by :func:`cs8._enums.enum_key` (the same rule, on a column;
    ``default`` for anything else).

    Text already in a normal form is matched as it is, and a null cell (a message's status) is
    the default at once, so only the other cells go through the four string functions (an engine
    evaluates a branch of ``when`` on the rows that take it), and the fold compares integers from
    there on.
    """
    out = _code(nw, _normalised(nw, expr), codes, default)
    if dtype == nw.String:
        for value, code in codes.items():
            out = nw.when(expr == value).then(nw.lit(code)).otherwise(out)
    return nw.when(expr.is_null()).then(nw.lit(default)).otherwise(out)


def _one_of(nw: Any, expr: Any, values: Collection[object]) -> Any:
    """``expr`` equals one of a few literal ``values``: equalities, where ``is_in`` becomes a list
    lookup that DuckDB turns into a join (a third of a second per million events)."""
    out: Any = None
    for value in values:
        out = expr == nw.lit(value) if out is None else out | (expr == nw.lit(value))
    return out if out is not None else nw.lit(value=False)


def _normalised(nw: Any, expr: Any) -> Any:
    return (
        expr.cast(nw.String)
        .str.strip_chars()
        .str.to_lowercase()
        .str.replace_all("-", "_", literal=True)
        .str.replace_all(" ", "_", literal=True)
    )


def _present(nw: Any, name: str, dtype: Any) -> Any:
    """True where the cell holds a value (not null, and not empty text)."""
    out = ~nw.col(name).is_null()
    if dtype == nw.String:
        out = out & (nw.col(name).fill_null("x") != "")
    return out


def _check_instant(nw: Any, schema: Mapping[str, Any], column: str, field: str) -> None:
    dtype = schema[column]
    if dtype != nw.Datetime:
        raise InvalidValueError(
            f"{field}: column {column!r} must be a timestamp with a time zone on an engine, "
            f"got {dtype}; parse it in the engine first"
        )
    if dtype.time_zone is None:
        raise NaiveDatetimeError(
            f"{field}: column {column!r} is a timestamp without a time zone; localize it first"
        )


def _code(nw: Any, expr: Any, codes: Mapping[str, int], default: int) -> Any:
    """Map normalised text to integer codes (``default`` for anything else)."""
    out: Any = nw.lit(default)
    for value, code in codes.items():
        out = nw.when(expr == value).then(nw.lit(code)).otherwise(out)
    return out


def engine_facts(
    tickets: object,
    events: object,
    definition: TicketDefinition,
    *,
    columns: Mapping[str, str] | None = None,
    event_columns: Mapping[str, str] | None = None,
    fcr: bool = False,
    facts: Collection[str] | None = None,
) -> Any:
    """Return a narwhals LazyFrame with one row per ticket row: ``id`` and :data:`FACT_COLUMNS`.

    Args:
        tickets: The tickets table (lazy or eager, any engine narwhals reads).
        events: The events table, in the same engine.
        definition: The ticket definition whose choices the facts apply.
        columns: cs8 field name -> column name, for the tickets table.
        event_columns: The same for the events table.
        fcr: Also compute the facts only first-contact resolution reads (distinct agents, the
            customer's next contact).
        facts: The facts to compute, among :data:`FACT_COLUMNS` (all when ``None``); the others
            are null (instants), 0 (``replies``), -1 (``agents``) or false (flags), and cost
            nothing. The ticket columns and the rejections are always computed.

    Raises:
        UnknownFieldError: A required column is missing.
        InvalidValueError: An instant column is not a timestamp.
    """
    nw = require("narwhals", "dataframe", "ticket facts on an engine")
    if definition.reply_clock_start == "last_handoff_or_reopen":
        raise InvalidValueError(
            "reply_clock_start='last_handoff_or_reopen' has no dataframe form: the events table "
            "has no handoff events; compute it on cs8.Ticket objects"
        )
    unknown = sorted(set(facts or ()) - set(FACT_COLUMNS))
    if unknown:
        raise InvalidValueError(f"engine_facts: no facts {unknown}; known: {list(FACT_COLUMNS)}")
    need = set(FACT_COLUMNS if facts is None else facts)
    if "follow_up" in need:
        need.add("first")
    counts_agents = fcr and "single_agent" in definition.fcr_rules and "agents" in need
    if not counts_agents:
        need.discard("agents")
    tmap, emap = dict(columns or {}), dict(event_columns or {})
    tf, ef = _lazy(tickets, "tickets"), _lazy(events, "events")
    tschema, eschema = dict(tf.collect_schema()), dict(ef.collect_schema())

    def tcol(field: str) -> str | None:
        name = tmap.get(field, field)
        return name if name in tschema else None

    def ecol(field: str) -> str | None:
        name = emap.get(field, field)
        return name if name in eschema else None

    def required(found: str | None, field: str, what: str, schema: Mapping[str, Any]) -> str:
        if found is None:
            mapping = tmap if what == "tickets" else emap
            raise UnknownFieldError(
                f"{what} frame has no column {mapping.get(field, field)!r} for field {field!r}; "
                f"columns: {list(schema)} (map it with columns=)"
            )
        return found

    id_c = required(tcol("id"), "id", "tickets", tschema)
    created_c = required(tcol("created_at"), "created_at", "tickets", tschema)
    _check_instant(nw, tschema, created_c, "tickets.created_at")
    ref_c = required(ecol("ticket_id"), "ticket_id", "events", eschema)
    at_c = required(ecol("at"), "at", "events", eschema)
    type_c = required(ecol("type"), "type", "events", eschema)
    _check_instant(nw, eschema, at_c, "events.at")

    # Tickets: row validity, duplicates (among valid rows), flags.
    valid = ~nw.col(created_c).is_null()
    for field in ("id", "customer_id", "channel", "priority", "created_by"):
        found = tcol(field)
        if found is not None:
            valid = valid & _present(nw, found, tschema[found])
    key_type = tschema[id_c]
    if eschema[ref_c] != key_type:
        key_type = nw.String
    by_c, merged_c, cust_c = tcol("created_by"), tcol("merged_into"), tcol("customer_id")
    t = tf.select(
        nw.col(id_c).alias("id"),
        nw.col(id_c).cast(key_type).alias(f"{_P}key"),
        nw.col(created_c).alias("created"),
        valid.alias(f"{_P}valid"),
        (
            nw.lit(value=False) if merged_c is None else _present(nw, merged_c, tschema[merged_c])
        ).alias("merged"),
        (
            nw.lit(value=False)
            if by_c is None
            else (
                _enum_code(nw, nw.col(by_c), tschema[by_c], _ACTOR_CODES, 0)
                == _ACTOR_CODES[ActorKind.AGENT.value]
            ).fill_null(value=False)
        ).alias("agent_created"),
        (nw.lit(None, nw.String) if cust_c is None else nw.col(cust_c).cast(nw.String)).alias(
            "customer"
        ),
    )
    base = t
    # Duplicates among valid rows: a grouped count (a hash aggregate, where a window function
    # would partition and sort), of which only the ids held more than once are joined back: a
    # relation as small as the duplicates, so the join keeps no table of every ticket in memory.
    # A count, not a sum of the flags: DuckDB sums integers into a 128-bit state, and this
    # table has a row per ticket (it spills on 25 million).
    copies = (
        t.group_by(f"{_P}key")
        .agg(nw.when(nw.col(f"{_P}valid")).then(nw.lit(1)).count().alias(f"{_P}copies"))
        .filter(nw.col(f"{_P}copies") > 1)
    )
    t = t.join(copies, on=f"{_P}key", how="left").with_columns(
        nw.when(~nw.col(f"{_P}valid"))
        .then(nw.lit(1))
        .when(~nw.col(f"{_P}copies").is_null())
        .then(nw.lit(2))
        .otherwise(nw.lit(0))
        .alias(f"{_P}row_code")
    )

    # Events: first each raw cell normalised once, then the flags from those.
    author_c, public_c, status_c = ecol("author"), ecol("public"), ecol("status")
    author_id_c = ecol("author_id")
    blank = nw.lit(value=False)
    raw = [
        nw.col(ref_c).cast(key_type).alias(f"{_P}key"),
        nw.col(at_c).alias("at"),
        _enum_code(nw, nw.col(type_c), eschema[type_c], _KIND_CODES, 0).alias("kind"),
        (nw.col(at_c).is_null() | ~_present(nw, type_c, eschema[type_c])).alias("broken"),
        (
            nw.lit(_ACTOR_CODES[ActorKind.AGENT.value])
            if author_c is None
            else nw.when(nw.col(author_c).is_null())
            .then(nw.lit(_ACTOR_CODES[ActorKind.AGENT.value]))
            .otherwise(_enum_code(nw, nw.col(author_c), eschema[author_c], _ACTOR_CODES, 0))
        ).alias("author"),
        (blank if author_c is None else ~_present(nw, author_c, eschema[author_c])).alias(
            "no_author"
        ),
        (blank if public_c is None else ~_present(nw, public_c, eschema[public_c])).alias(
            "no_public"
        ),
        (blank if status_c is None else ~_present(nw, status_c, eschema[status_c])).alias(
            "no_status"
        ),
        (
            nw.lit(0)
            if status_c is None
            else _enum_code(nw, nw.col(status_c), eschema[status_c], _STATUS_CODES, 0)
        ).alias("status"),
    ]
    if counts_agents:
        raw.append(
            (
                nw.lit("")
                if author_id_c is None
                else nw.col(author_id_c).cast(nw.String).fill_null("")
            ).alias("author_id")
        )
    if public_c is None:
        raw += [nw.lit(value=True).alias("public"), blank.alias("public_bad")]
    elif eschema[public_c] == nw.Boolean:
        raw += [nw.col(public_c).fill_null(value=True).alias("public"), blank.alias("public_bad")]
    else:
        text = nw.col(public_c).cast(nw.String).str.strip_chars().str.to_lowercase()
        empty = nw.col(public_c).is_null() | (text == "")
        raw += [
            (empty | _one_of(nw, text, _TRUE)).alias("public"),
            (~empty & ~_one_of(nw, text, _TRUE) & ~_one_of(nw, text, _FALSE)).alias("public_bad"),
        ]
    is_msg = nw.col("kind") == _MESSAGE
    is_status = nw.col("kind") == _STATUS
    # A blank required cell, or a value the loader refuses (no TicketStatus, a flag neither true
    # nor false), makes a bad event, as the loader has it.
    bad = (
        nw.col("broken")
        | (is_msg & (nw.col("no_author") | nw.col("no_public") | nw.col("public_bad")))
        | (is_status & (nw.col("no_status") | (nw.col("status") == 0)))
    )
    e = (
        ef.select(*raw)
        .with_columns(
            is_msg.fill_null(value=False).alias("is_msg"),
            is_status.fill_null(value=False).alias("is_status"),
        )
        .with_columns(bad.fill_null(value=True).alias("bad"))
        .with_columns(
            (nw.col("is_msg") & _customer(nw)).alias("cust"),
            (nw.col("is_msg") & _reply(nw, definition)).alias("reply"),
        )
    )
    # Every per-ticket fact that needs no other fact, in one grouped pass over the events (no
    # join with the tickets first: whether a ticket's events come before its creation is whether
    # their earliest does, compared once per ticket).
    replies = bool(need & {"first", "replies", "follow_up", "agents"})
    clock = definition.reply_clock_start != "created"
    opening = definition.skip_agent_opening and by_c is not None
    # Whether a ticket has a bad event and its earliest event (which decides whether its events
    # come before its creation, when none is bad) are one minimum: a bad event counts as at an
    # instant before every instant of the table, so the earliest is that mark exactly when one is
    # bad. Each aggregate of this pass over 10^8 events costs about as much as the hand-written
    # SQL's whole pass; an instant column's minimum is one cheap query (a Parquet file's
    # statistics on DuckDB). Without such an instant (the earliest is the engine's least), the
    # flag keeps its own aggregate.
    mark = _before_every(nw, ef, at_c)
    if mark is None:
        aggs = [nw.col("bad").any().alias(f"{_P}bad"), nw.col("at").min().alias(f"{_P}min_at")]
        is_bad = nw.col(f"{_P}bad").fill_null(value=False)
    else:
        marked = nw.lit(mark, eschema[at_c])
        aggs = [
            nw.when(nw.col("bad")).then(marked).otherwise(nw.col("at")).min().alias(f"{_P}min_at")
        ]
        is_bad = (nw.col(f"{_P}min_at") == marked).fill_null(value=False)
    if replies:
        aggs.append(nw.when(nw.col("reply")).then(nw.col("at")).min().alias(f"{_P}first_reply"))
    if (replies and (clock or (opening and counts_agents))) or (clock and "start" in need):
        aggs.append(nw.when(nw.col("cust")).then(nw.col("at")).min().alias(f"{_P}first_cust"))
    if "replies" in need and not clock:
        aggs.append(nw.col("reply").cast(nw.Int64).sum().alias(f"{_P}replies"))
    if "follow_up" in need:
        aggs.append(nw.when(nw.col("cust")).then(nw.col("at")).max().alias(f"{_P}last_cust"))
    done = nw.col("is_status") & _one_of(nw, nw.col("status"), _DONE)
    if "solved" in need:
        aggs.append(nw.when(done).then(nw.col("at")).min().alias("solved"))
    per_key = e.group_by(f"{_P}key").agg(*aggs)
    t = t.join(per_key, on=f"{_P}key", how="left").with_columns(
        nw.when(nw.col(f"{_P}row_code") != 0)
        .then(nw.col(f"{_P}row_code"))
        .when(is_bad)
        .then(nw.lit(3))
        .when((nw.col(f"{_P}min_at") < nw.col("created")).fill_null(value=False))
        .then(nw.lit(4))
        .otherwise(nw.lit(0))
        .alias("rejected")
    )
    if replies:
        agent_keys = (
            base.filter(nw.col("agent_created") & nw.col(f"{_P}valid")).select(f"{_P}key").unique()
        )
        t = _message_facts(
            nw, t, per_key, e, definition, need, opening=opening, agent_keys=agent_keys
        )
    if need & {"last_solved", "reopened", "done"}:
        t = t.join(_status_facts(nw, e.filter(nw.col("is_status"))), on=f"{_P}key", how="left")
    # A rejected row has no event facts: the loader would not have loaded its events.
    loaded = nw.col("rejected") == 0
    defaults: dict[str, Any] = {
        "start": nw.col("created")
        if not clock
        else (nw.col(f"{_P}first_cust") if "start" in need else None),
        "first": nw.col("first") if "first" in need else None,
        "replies": nw.col("replies").fill_null(0) if "replies" in need else nw.lit(0),
        "follow_up": nw.col("follow_up").fill_null(value=False) if "follow_up" in need else blank,
        "agents": nw.col("agents").fill_null(0) if counts_agents else nw.lit(-1),
        "solved": nw.col("solved") if "solved" in need else None,
        "last_solved": nw.col("last_solved") if "last_solved" in need else None,
        "reopened": nw.col("reopened").fill_null(value=False) if "reopened" in need else blank,
        "done": nw.col("done").fill_null(value=False) if "done" in need else blank,
    }
    instant = tschema[created_c]
    facts = []
    for name, expr in defaults.items():
        if expr is None:
            facts.append(nw.lit(None, instant).alias(name))
        elif name == "agents" and not counts_agents:
            facts.append(expr.cast(nw.Int64).alias(name))  # -1: not counted
        elif name in ("replies", "agents"):
            facts.append(nw.when(loaded).then(expr).otherwise(nw.lit(0)).cast(nw.Int64).alias(name))
        elif name in ("follow_up", "reopened", "done"):
            facts.append((loaded & expr).alias(name))
        else:
            facts.append(nw.when(loaded).then(expr).alias(name))
    out = t.with_columns(*facts, nw.col("rejected").cast(nw.Int8))
    if fcr and "no_repeat_contact" in definition.fcr_rules and "next_contact" in need:
        out = _with_next_contact(nw, out)
    else:
        out = out.with_columns(nw.lit(None, instant).alias("next_contact"))
    return _replanned(nw, out.select("id", *FACT_COLUMNS))


def _before_every(nw: Any, events: Any, column: str) -> datetime | None:
    """An instant one microsecond before the earliest of ``column`` (any instant when it holds
    none), or ``None`` when there is none (the earliest is the least a datetime can be).

    An engine keeping finer instants than Python (polars' nanoseconds) gives the earliest
    truncated by less than a microsecond, so the mark is still before it.
    """
    earliest = events.select(nw.col(column).min()).collect().item()
    if earliest is None:
        return datetime(1970, 1, 1, tzinfo=UTC)
    try:
        return earliest - timedelta(microseconds=1)  # type: ignore[no-any-return]
    except OverflowError:
        return None


def _customer(nw: Any) -> Any:
    """A public message of the customer (its first one may start the reply clock)."""
    return (nw.col("author") == _ACTOR_CODES[ActorKind.CUSTOMER.value]) & nw.col("public")


def _reply(nw: Any, d: TicketDefinition) -> Any:
    """A message that is a reply under the definition (before the opening and clock rules)."""
    reply = (nw.col("author") == _ACTOR_CODES[ActorKind.AGENT.value]) | (
        (nw.col("author") == _ACTOR_CODES[ActorKind.BOT.value]) & nw.lit(d.count_bots)
    )
    return reply & nw.col("public") if d.public_only else reply


def _replanned(nw: Any, frame: Any) -> Any:
    """On DuckDB, let the engine decide which common parts of the fold to compute once.

    narwhals writes every step as a ``NOT MATERIALIZED`` common table expression, so each step
    the fold reads twice is computed twice (and its inputs again, recursively): 20 s against 3.6 s
    on 200,000 tickets with DuckDB's own choice, measured in ``docs/performance.md``. The shim
    re-plans the same SQL without the hint on the steps that aggregate (``GROUP BY``, a window),
    on the relation's own connection. A step that only projects or filters keeps it: DuckDB
    would otherwise store the events read twice (every column of 10^8 rows) where reading
    them again costs less.
    """
    native = frame.to_native()
    if type(native).__name__ != "DuckDBPyRelation":
        return frame
    duckdb = require("duckdb", "duckdb")
    sql = native.sql_query()
    hint = "AS NOT MATERIALIZED ("
    if hint not in sql:
        return frame
    steps = sql.split(hint)
    # steps[i + 1] starts with the body of the i-th hinted step (up to the next one's name).
    sql = steps[0] + "".join(
        ("AS (" if "GROUP BY" in body or " OVER (" in body else hint) + body for body in steps[1:]
    )
    try:
        replanned = native.query("__cs8_fold", sql)
    except duckdb.Error:  # a relation whose SQL text cannot be re-read: keep narwhals' plan
        return frame
    return nw.from_native(replanned)


def _message_facts(
    nw: Any,
    t: Any,
    per_key: Any,
    e: Any,
    d: TicketDefinition,
    need: set[str],
    *,
    opening: bool,
    agent_keys: Any,
) -> Any:
    """Add ``first``, ``replies``, ``follow_up`` and ``agents`` to the tickets ``t``.

    ``per_key`` holds each ticket's first reply (and first customer message) from the grouped
    pass. Which replies count can depend on those (the reply clock from the first customer
    message; an agent's opening message on an agent-created ticket, when the first reply comes
    before any customer message): only those tickets take a second grouped pass, over their
    reply events alone, with both counts (with and without the opening) so the ticket's own
    flags choose. No window function: an engine partitions and sorts for one, while a grouped
    minimum is one pass.

    Under the default clock only agent-created tickets (``agent_keys``) can open with a reply:
    their first reply and first customer message come from a pass over their own events, so
    the main grouped pass is read once (DuckDB stores a step read twice: 25 million rows here)
    and, on customer-created tickets, the extra passes read nothing.
    """
    key = f"{_P}key"
    first_reply, first_cust = nw.col(f"{_P}first_reply"), nw.col(f"{_P}first_cust")
    counts_agents = "agents" in need
    at = nw.col("at")
    created = d.reply_clock_start == "created"
    if created and not opening and not counts_agents:
        # Every reply counts: the grouped pass's minimum and count are the facts.
        t = t.with_columns(first_reply.alias("first"))
        if "replies" in need:
            t = t.with_columns(nw.col(f"{_P}replies").alias("replies"))
        return _follow_up(nw, t, need)
    own = created and opening and not counts_agents
    if created:
        candidate = (
            ~first_reply.is_null() & (first_cust.is_null() | (first_reply < first_cust))
            if opening
            else nw.lit(value=False)
        )
        # At a candidate, the replies at its first reply's instant are the opening.
        kept = at > first_reply
        if own:
            per_key = (
                e.filter(nw.col("reply") | nw.col("cust"))
                .select(key, "at", "reply", "cust")
                .join(agent_keys, on=key, how="inner")
                .group_by(key)
                .agg(
                    nw.when(nw.col("reply")).then(at).min().alias(f"{_P}first_reply"),
                    nw.when(nw.col("cust")).then(at).min().alias(f"{_P}first_cust"),
                )
            )
        marks = per_key.filter(candidate | nw.lit(counts_agents))
    else:
        kept = (at > first_cust).fill_null(value=False)
        marks = per_key.filter(~first_cust.is_null())
    marks = marks.select(
        key, f"{_P}first_reply", *([f"{_P}first_cust"] if opening or not created else [])
    )
    aggs = [
        nw.when(kept).then(at).min().alias(f"{_P}first2"),
        kept.cast(nw.Int64).sum().alias(f"{_P}replies2"),
        at.min().alias(f"{_P}marked"),  # every marked ticket has a reply, so a row here
    ]
    if counts_agents:
        # n_unique counts the null of the rows not kept as one value: take it back out.
        aggs.append(
            (
                nw.when(kept).then(nw.col("author_id")).n_unique() - (~kept).any().cast(nw.Int64)
            ).alias(f"{_P}agents2")
        )
        if created:
            aggs.append(nw.col("author_id").n_unique().alias(f"{_P}agents_all"))
    r = (
        e.filter(nw.col("reply"))
        .select(key, "at", *(["author_id"] if counts_agents else []))
        .join(marks, on=key, how="inner")
        .group_by(key)
        .agg(*aggs)
    )
    t = t.join(r, on=key, how="left")
    if created:
        # The ticket's own flag: the opening counts only on an agent-created ticket.
        marked = ~nw.col(f"{_P}marked").is_null() if own else candidate
        again = (nw.col("agent_created") & marked).fill_null(value=False)
        first = nw.when(again).then(nw.col(f"{_P}first2")).otherwise(first_reply)
        replies = nw.when(again).then(nw.col(f"{_P}replies2")).otherwise(nw.col(f"{_P}replies"))
        agents = nw.when(again).then(nw.col(f"{_P}agents2")).otherwise(nw.col(f"{_P}agents_all"))
    else:
        again = ~first_cust.is_null()
        first = nw.when(again).then(nw.col(f"{_P}first2"))
        replies = nw.when(again).then(nw.col(f"{_P}replies2")).otherwise(nw.lit(0))
        agents = nw.when(again).then(nw.col(f"{_P}agents2")).otherwise(nw.lit(0))
    t = t.with_columns(first.alias("first"))
    if "replies" in need:
        t = t.with_columns(replies.alias("replies"))
    if counts_agents:
        t = t.with_columns(agents.alias("agents"))
    return _follow_up(nw, t, need)


def _follow_up(nw: Any, t: Any, need: set[str]) -> Any:
    """A customer message after the first reply exists exactly when the last one is after it."""
    if "follow_up" not in need:
        return t
    return t.with_columns(
        (nw.col(f"{_P}last_cust") > nw.col("first")).fill_null(value=False).alias("follow_up")
    )


def _status_facts(nw: Any, e: Any) -> Any:
    """Per-ticket status facts after the first solve. Events are ordered by instant, then by
    status code (a tie's order on an engine, which has no row order); the one window function of
    the fold finds each status's predecessor (a solve that follows another status starts a new
    solved run)."""
    key = f"{_P}key"
    solved = _STATUS_CODES[TicketStatus.SOLVED.value]
    new = _STATUS_CODES[TicketStatus.NEW.value]
    st = e.filter(nw.col("is_status")).select(key, "at", "status")
    st = st.with_columns(
        nw.col("status").shift(1).over(key, order_by=["at", "status"]).fill_null(new).alias("prev")
    )
    done = _one_of(nw, nw.col("status"), _DONE)
    prev_done = _one_of(nw, nw.col("prev"), _DONE)
    again = (nw.col("status") == solved) & (nw.col("prev") != solved)
    out = st.group_by(key).agg(
        nw.when(done).then(nw.col("at")).min().alias(f"{_P}solved"),
        nw.when(again).then(nw.col("at")).max().alias(f"{_P}again"),
        (~done & prev_done).any().alias("reopened"),
        nw.col("at").max().alias(f"{_P}last_at"),
    )
    # The status now: the highest code at the last instant.
    now = (
        st.join(out.select(key, f"{_P}last_at"), on=key, how="inner")
        .filter(nw.col("at") == nw.col(f"{_P}last_at"))
        .group_by(key)
        .agg(nw.col("status").max().alias(f"{_P}now"))
    )
    return (
        out.join(now, on=key, how="left")
        .with_columns(
            nw.max_horizontal(f"{_P}solved", f"{_P}again").alias("last_solved"),
            _one_of(nw, nw.col(f"{_P}now"), _DONE).fill_null(value=False).alias("done"),
        )
        .select(key, "last_solved", "reopened", "done")
    )


def _with_next_contact(nw: Any, out: Any) -> Any:
    """When the same customer's next ticket (created strictly later) was created."""
    pairs = (
        out.filter((nw.col("rejected") == 0) & ~nw.col("customer").is_null())
        .select("customer", "created")
        .unique()
    )
    pairs = pairs.with_columns(
        nw.col("created").shift(-1).over("customer", order_by="created").alias("next_contact")
    )
    return out.join(pairs, on=["customer", "created"], how="left")


def collect_facts(facts: Any, fields: tuple[str, ...] | None = None) -> Any:
    """Pull ``fields`` of :func:`engine_facts`' table as the numpy fold's ``_Facts``.

    Instants become int64 epoch microseconds (``_NO_TIME`` when null), flags booleans; the fields
    not asked for are left ``None`` (the KPI reading them asks for them).
    """
    return collect_facts_with(facts, fields)[0]


def collect_facts_with(
    facts: Any, fields: tuple[str, ...] | None = None, extra: tuple[str, ...] = ()
) -> tuple[Any, dict[str, list[object]]]:
    """:func:`collect_facts`, and the ``extra`` columns of the same pull as Python lists.

    One collection, so the engine computes the fold once (e.g. the facts and each ticket's
    period, :func:`cs8.engines.period_start`, for a per-period breakdown).
    """
    np = require("numpy", "dataframe")
    pa = require("pyarrow", "dataframe", "ticket facts from an engine")
    pc = require("pyarrow.compute", "dataframe")
    from cs8.kpi._frame_facts import _NO_TIME, _Facts

    if fields is None:
        fields = tuple(f.name for f in attrs.fields(_Facts))
    table = facts.select(*fields, *extra).collect(backend="pyarrow").to_native()
    extras = {name: table.column(name).to_pylist() for name in extra}
    arrays: dict[str, Any] = {}
    for name in fields:
        column = table.column(name)
        if pa.types.is_timestamp(column.type):
            micros = pc.cast(pc.cast(column, pa.timestamp("us", column.type.tz)), pa.int64())
            arrays[name] = np.asarray(pc.fill_null(micros, _NO_TIME), dtype=np.int64)
        elif pa.types.is_boolean(column.type):
            arrays[name] = np.asarray(pc.fill_null(column, False), dtype=bool)
        else:
            arrays[name] = np.asarray(pc.fill_null(column, 0), dtype=np.int64)
    if "rejected" in arrays:
        arrays["rejected"] = arrays["rejected"].astype(np.int8)
    return _Facts(**{f.name: arrays.get(f.name) for f in attrs.fields(_Facts)}), extras
