"""``breakdown``: any KPI by channel, agent, team, priority, segment, category and period.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Message, Ticket
    >>> from cs8.kpi import first_reply_time
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> tickets = [
    ...     Ticket(id=str(i), customer_id="C", channel=ch, created_at=t0 + timedelta(days=i),
    ...            events=[Message(at=t0 + timedelta(days=i, hours=i + 1))])
    ...     for i, ch in enumerate(["email", "chat", "email"])
    ... ]
    >>> table = breakdown(first_reply_time, tickets, by="channel")
    >>> [(row["channel"], row["n"]) for row in table.to_dicts()]
    [('chat', 1), ('email', 2)]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Literal, TypeAlias, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cs8._enums import Priority
from cs8._models import Ticket
from cs8.exceptions import InvalidValueError, UnknownFieldError
from cs8.kpi._tables import KpiResult, KpiTable

__all__ = ["breakdown"]

R = TypeVar("R")
Granularity: TypeAlias = Literal["day", "week", "month"]
KeyFunction: TypeAlias = Callable[[R], object]

_FRAME_LIBRARIES = frozenset({"pandas", "polars", "pyarrow", "narwhals", "modin", "cudf", "dask"})

_DIMENSIONS = ("channel", "agent", "team", "priority", "segment", "category", "period")


def _instant(record: object, attribution: str) -> datetime | None:
    if attribution == "created":
        for name in ("created_at", "started_at", "at"):
            value = getattr(record, name, None)
            if isinstance(value, datetime):
                return value
        raise UnknownFieldError(
            f"breakdown: {type(record).__name__} has no creation instant (created_at, started_at, at)"
        )
    names = {
        "first_reply": "first_reply_at",
        "solved": "solved_at",
        "last_solved": "last_solved_at",
        "closed": "closed_at",
        "answered": "answered_at",
        "ended": "ended_at",
    }
    name = names.get(attribution, attribution)
    if not hasattr(record, name):
        raise UnknownFieldError(
            f"breakdown: attribution {attribution!r} is not an instant of {type(record).__name__}"
        )
    value = getattr(record, name)
    return value if isinstance(value, datetime) else None


def _bucket(t: datetime | None, zone: ZoneInfo, granularity: Granularity) -> date | None:
    if t is None:
        return None
    local = t.astimezone(zone).date()
    if granularity == "day":
        return local
    if granularity == "week":
        return local - timedelta(days=local.weekday())
    return local.replace(day=1)


def _agent(record: object, agent_rule: Literal["last", "first"]) -> str | None:
    if isinstance(record, Ticket):
        if agent_rule == "last":
            return record.assignee
        for event in record.events:
            agent_id = getattr(event, "agent_id", None)
            if agent_id is not None:
                return str(agent_id)
        return None
    value = getattr(record, "agent_id", None)
    return None if value is None else str(value)


def _part_key(part: object, dim: object) -> tuple[int, str, object]:
    """The natural order of one key part: priorities by rank, numbers numerically, ``None`` last."""
    if part is None:
        return (1, "", "")
    if isinstance(part, str) and dim == "priority":
        try:
            part = Priority(part)
        except ValueError:
            return (0, "str", part)
    if isinstance(part, Priority):
        return (0, "priority", part.rank)
    if isinstance(part, bool):
        return (0, "bool", part)
    if isinstance(part, int | float):
        return (0, "number", part)
    if isinstance(part, date):
        return (0, type(part).__name__, part)
    return (0, "str", str(getattr(part, "value", part)))


def _sort_key(
    key: tuple[object, ...], dims: Sequence[object] = ()
) -> tuple[tuple[int, str, object], ...]:
    """The order of breakdown rows: each part in its natural order (see :func:`_part_key`)."""
    names = list(dims) + [None] * (len(key) - len(dims))
    return tuple(_part_key(part, dim) for part, dim in zip(key, names, strict=False))


def _period_argument(
    where: str, period: Granularity | None, granularity: Granularity | None
) -> Granularity:
    """Return the period length, taking the deprecated ``granularity=`` name with a warning."""
    if granularity is None:
        return "day" if period is None else period
    if period is not None:
        raise InvalidValueError(
            f"{where}: pass period= only (granularity= is its deprecated name), got both"
        )
    warnings.warn(
        f"{where}(granularity=...) is deprecated; use period= (as in cs8.sla.sla_report)",
        DeprecationWarning,
        stacklevel=3,
    )
    return granularity


def breakdown(
    kpi: Callable[[list[R]], KpiResult],
    records: Iterable[R],
    by: str | KeyFunction[R] | Sequence[str | KeyFunction[R]] = (),
    *,
    period: Granularity | None = None,
    timezone: str = "UTC",
    attribution: str | Callable[[R], datetime | None] = "created",
    agent_rule: Literal["last", "first"] = "last",
    priority_rule: Literal["created", "current"] = "created",
    teams: Mapping[str, str] | None = None,
    segments: Mapping[str, object] | None = None,
    granularity: Granularity | None = None,
) -> KpiTable:
    """Compute ``kpi`` on each group of ``records`` and return the results as a table.

    Args:
        kpi: A KPI function taking a list of records (use :func:`functools.partial` to bind its
            other arguments, e.g. ``partial(first_reply_time, calendar=cal)``).
        records: Tickets, interactions, survey responses ... whatever ``kpi`` reads.
        by: Dimension names, key functions, or a sequence of both: ``"channel"``, ``"agent"``
            (a ticket's assignee or an interaction's agent), ``"team"`` (``teams[agent]``, else a
            ticket's group), ``"priority"``, ``"segment"`` (``segments[customer_id]``),
            ``"category"``, ``"period"`` (the attribution instant's local day, week starting Monday,
            or month, in ``timezone``), or any attribute name.
        period: ``"day"`` (the default), ``"week"`` or ``"month"``: the length of the
            ``"period"`` dimension, named as in :func:`cs8.sla.sla_report`.
        timezone: IANA zone in which periods are cut.
        attribution: The instant that places a record in a period: ``"created"`` (created_at,
            started_at or at), ``"first_reply"``, ``"solved"``, ``"last_solved"``, ``"closed"``,
            ``"answered"``, ``"ended"``, any datetime attribute name, or a function. Records
            without that instant go to the period ``None``.
        agent_rule: ``"last"`` (the final assignee) or ``"first"`` (the first one) for tickets.
        priority_rule: ``"created"`` (the priority at creation) or ``"current"`` for tickets.
        teams: Agent id to team name.
        segments: Customer id to segment.
        granularity: Deprecated name of ``period`` (a ``DeprecationWarning``).

    Returns:
        One row per group in natural key order: priorities by rank, numbers numerically, periods
        (a :class:`datetime.date`, the period's first local day) in time order, text
        alphabetically, ``None`` last; no ``by`` gives one row for everything.

    Dataframes go to ``cs8.kpi.breakdown.frame``, which takes a tickets and an events frame
    and returns a frame of the same library.

    Raises:
        UnknownFieldError: If a dimension or attribution is not known for the records.
        InvalidValueError: If ``timezone`` is not a known IANA zone, ``records`` is a
            dataframe, or both ``period`` and ``granularity`` are given.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> from cs8.kpi import channel_mix, service_level
        >>> t0 = datetime(2026, 1, 5, 23, 30, tzinfo=timezone.utc)
        >>> calls = [Interaction(id="1", customer_id="C", channel="phone", started_at=t0,
        ...                      answered_at=t0)]
        >>> table = breakdown(service_level, calls, by="period", timezone="Asia/Ho_Chi_Minh")
        >>> table.to_dicts()[0]["period"]
        datetime.date(2026, 1, 6)
        >>> breakdown(service_level, calls, by="period", period="month").to_dicts()[0]["period"]
        datetime.date(2026, 1, 1)
    """
    if type(records).__module__.split(".")[0] in _FRAME_LIBRARIES:
        raise InvalidValueError(
            "breakdown: records is a dataframe; use cs8.kpi.breakdown.frame(kpi, tickets, events, "
            "by=...) for ticket KPIs on dataframes, or pass records (e.g. from cs8.io)"
        )
    length = _period_argument("breakdown", period, granularity)
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(f"breakdown: unknown time zone {timezone!r}") from None
    dims: list[str | KeyFunction[R]] = [by] if isinstance(by, str) or callable(by) else list(by)
    teams = teams or {}
    segments = segments or {}

    def when(record: R) -> datetime | None:
        if callable(attribution):
            return attribution(record)
        return _instant(record, attribution)

    def extract(dim: str | KeyFunction[R]) -> KeyFunction[R]:
        if callable(dim):
            return dim
        if dim == "period":
            return lambda r: _bucket(when(r), zone, length)
        if dim == "agent":
            return lambda r: _agent(r, agent_rule)
        if dim == "team":

            def team(r: R) -> object:
                agent = _agent(r, agent_rule)
                if agent is not None and agent in teams:
                    return teams[agent]
                return getattr(r, "group", None)

            return team
        if dim == "segment":
            return lambda r: segments.get(str(getattr(r, "customer_id", "")))
        if dim == "priority":
            if priority_rule == "current":
                return lambda r: getattr(r, "current_priority", getattr(r, "priority", None))
            return lambda r: getattr(r, "priority", None)
        if dim == "channel":
            return lambda r: getattr(r, "channel", None)

        def attribute(r: R) -> object:
            if not hasattr(r, dim):
                raise UnknownFieldError(
                    f"breakdown: {type(r).__name__} has no dimension {dim!r}; known: "
                    f"{list(_DIMENSIONS)} or an attribute name"
                )
            return getattr(r, dim)

        return attribute

    names = tuple(d if isinstance(d, str) else getattr(d, "__name__", "key") for d in dims)
    extractors = [extract(d) for d in dims]
    groups: dict[tuple[object, ...], list[R]] = {}
    for record in records:
        key = tuple(f(record) for f in extractors)
        groups.setdefault(key, []).append(record)
    if not dims and not groups:
        groups[()] = []
    rows = tuple(
        (key, kpi(groups[key])) for key in sorted(groups, key=lambda k: _sort_key(k, dims))
    )
    return KpiTable(dimensions=names, rows=rows)
