"""The per-ticket table: one row of facts per ticket, from which every ticket KPI aggregates.

:func:`ticket_metrics` gives, for each ticket in input order, every duration cs8 defines (in
calendar time and, with a calendar, in business time), the counts and the status, under one
:class:`~cs8.kpi.TicketDefinition`: the analyst's ``zendesk__ticket_metrics`` (dbt_zendesk) to drill
down, join with CRM data, audit one ticket or find the slowest ones. The rows are computed with the
same per-ticket rules as the KPIs, so a KPI is an aggregation of these rows: for example
``first_reply_time(tickets).median`` is the median of the ``first_reply`` column over the rows with
``excluded`` empty.

Columns (durations are :class:`~datetime.timedelta` or ``None``):

``ticket_id``, ``created_at``, ``channel``, ``priority``, ``status``
    identity and the status now;
``first_reply``
    clock start to the first reply that counts (``None``: unreplied or no customer message);
``first_resolution``
    creation to the first solve (``None``: never solved);
``full_resolution``
    creation to the latest solve (``None`` while open: not final);
``requester_wait``, ``agent_wait``, ``agent_work``, ``on_hold``, ``new_time``, ``open_time``
    time spent new, open or on hold; pending; new or open; on hold; new; open (``None`` while the
    ticket is open: not final);
``*_business``
    the same nine durations in business time of ``calendar`` (``None`` without a calendar);
``replies``, ``reopens``, ``agent_stations``, ``group_stations``
    replies that count under the definition, reopens, distinct agents and groups assigned;
``excluded``
    why the definition leaves the ticket out of every ticket KPI (``"merged"``,
    ``"agent_created"``), else ``None``;
``definition``
    the definition's name.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Message, StatusChange, Ticket
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
    ...     Message(at=t0 + timedelta(hours=1), author="agent"),
    ...     StatusChange(at=t0 + timedelta(hours=3), status="solved")])
    >>> rows = ticket_metrics([t])
    >>> row = rows[0]
    >>> row.first_reply, row.full_resolution, row.replies
    (datetime.timedelta(seconds=3600), datetime.timedelta(seconds=10800), 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import ClassVar, overload

import attrs

from cs8._display import DictsReprMixin
from cs8._enums import ActorKind, Channel, Priority, TicketStatus
from cs8._models import Ticket
from cs8._protocols import BusinessClock
from cs8.kpi._definitions import (
    TicketDefinition,
    _definition,
    _duration,
    _full_resolution_end,
    _reply_clock,
    _reply_count,
    _status_totals,
)

__all__ = ["TicketMetrics", "TicketRow", "ticket_metrics"]

_NEW, _OPEN, _PENDING, _HOLD = (
    TicketStatus.NEW,
    TicketStatus.OPEN,
    TicketStatus.PENDING,
    TicketStatus.ON_HOLD,
)
# Status-time columns: the statuses each one sums (Zendesk's requester wait, agent wait, agent work).
_STATUS_COLUMNS: Mapping[str, tuple[TicketStatus, ...]] = {
    "requester_wait": (_NEW, _OPEN, _HOLD),
    "agent_wait": (_PENDING,),
    "agent_work": (_NEW, _OPEN),
    "on_hold": (_HOLD,),
    "new_time": (_NEW,),
    "open_time": (_OPEN,),
}
DURATIONS: tuple[str, ...] = (
    "first_reply",
    "first_resolution",
    "full_resolution",
    *_STATUS_COLUMNS,
)
"""The names of the duration columns (each also with a ``_business`` suffix)."""


def _td(micros: int | None) -> timedelta | None:
    return None if micros is None else timedelta(microseconds=micros)


@attrs.frozen(kw_only=True)
class TicketRow:
    """The facts of one ticket under one definition (see :func:`ticket_metrics` for the columns).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t = Ticket(id="T1", customer_id="C1", channel="web",
        ...            created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> ticket_metrics([t])[0].first_resolution is None
        True
    """

    ticket_id: str
    created_at: datetime
    channel: Channel
    priority: Priority
    status: TicketStatus
    first_reply: timedelta | None
    first_resolution: timedelta | None
    full_resolution: timedelta | None
    requester_wait: timedelta | None
    agent_wait: timedelta | None
    agent_work: timedelta | None
    on_hold: timedelta | None
    new_time: timedelta | None
    open_time: timedelta | None
    first_reply_business: timedelta | None = None
    first_resolution_business: timedelta | None = None
    full_resolution_business: timedelta | None = None
    requester_wait_business: timedelta | None = None
    agent_wait_business: timedelta | None = None
    agent_work_business: timedelta | None = None
    on_hold_business: timedelta | None = None
    new_time_business: timedelta | None = None
    open_time_business: timedelta | None = None
    replies: int
    reopens: int
    agent_stations: int
    group_stations: int
    excluded: str | None
    definition: str

    def to_dict(self) -> dict[str, object]:
        """Return the row as a dict in column order.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> t = Ticket(id="T1", customer_id="C1", channel="web",
            ...            created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> list(ticket_metrics([t])[0].to_dict())[:4]
            ['ticket_id', 'created_at', 'channel', 'priority']
        """
        return attrs.asdict(self, recurse=False)


def _durations(
    t: Ticket, d: TicketDefinition, calendar: BusinessClock | None
) -> dict[str, int | None]:
    """Return the duration columns of ``t`` in microseconds, measured with ``calendar``."""
    created = t.created_at
    facts = t._facts
    start, first = _reply_clock(t, d)
    full = _full_resolution_end(t, d)
    out: dict[str, int | None] = {
        "first_reply": None
        if start is None or first is None
        else _duration(calendar, start, first),
        "first_resolution": None
        if facts.solved_at is None
        else _duration(calendar, created, facts.solved_at),
        "full_resolution": None if full is None else _duration(calendar, created, full),
    }
    if facts.status.is_open:
        out.update(dict.fromkeys(_STATUS_COLUMNS))
    else:
        totals = _status_totals(t, calendar)
        for name, statuses in _STATUS_COLUMNS.items():
            out[name] = sum(totals[s] for s in statuses)
    return out


def _row(t: Ticket, d: TicketDefinition, calendar: BusinessClock | None) -> TicketRow:
    excluded = None
    if d.exclude_merged and t.merged_into is not None:
        excluded = "merged"
    elif d.exclude_agent_created and t.created_by is ActorKind.AGENT:
        excluded = "agent_created"
    facts = t._facts
    values = {k: _td(v) for k, v in _durations(t, d, None).items()}
    if calendar is not None:
        values.update({f"{k}_business": _td(v) for k, v in _durations(t, d, calendar).items()})
    return TicketRow(
        ticket_id=t.id,
        created_at=t.created_at,
        channel=t.channel,
        priority=facts.priority,
        status=facts.status,
        replies=_reply_count(t, d),
        reopens=facts.reopen_count,
        agent_stations=facts.agent_stations,
        group_stations=facts.group_stations,
        excluded=excluded,
        definition=d.name,
        **values,
    )


@attrs.frozen(kw_only=True, repr=False)
class TicketMetrics(DictsReprMixin):
    """One row of facts per ticket, in input order (the result of :func:`ticket_metrics`).

    ``len()``, iteration and indexing give :class:`TicketRow` objects; ``to_dicts()``,
    ``to_pandas()``, ``to_polars()`` and ``to_arrow()`` give the table (durations with duration
    dtypes). A repr shows the first 20 rows.

    Args:
        rows: The rows.
        definition: The definition applied.
        business: Whether the ``*_business`` columns were measured (a calendar was given).

    Example:
        >>> len(ticket_metrics([]))
        0
    """

    __repr__ = DictsReprMixin._short_repr

    rows: tuple[TicketRow, ...]
    definition: TicketDefinition
    business: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[TicketRow]:
        return iter(self.rows)

    @overload
    def __getitem__(self, index: int) -> TicketRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[TicketRow, ...]: ...

    def __getitem__(self, index: int | slice) -> TicketRow | tuple[TicketRow, ...]:
        return self.rows[index]

    def to_dicts(self) -> Sequence[dict[str, object]]:
        """Return the rows as dicts.

        Example:
            >>> ticket_metrics([]).to_dicts()
            []
        """
        return [row.to_dict() for row in self.rows]

    def column(self, name: str) -> list[object]:
        """Return one column's values in row order.

        Raises:
            UnknownFieldError: If there is no such column.

        Example:
            >>> ticket_metrics([]).column("first_reply")
            []
        """
        from cs8.exceptions import UnknownFieldError

        if name not in attrs.fields_dict(TicketRow):
            raise UnknownFieldError(
                f"TicketMetrics has no column {name!r}; columns: {list(attrs.fields_dict(TicketRow))}"
            )
        return [getattr(row, name) for row in self.rows]

    _durations: ClassVar[frozenset[str]] = frozenset(
        [*DURATIONS, *(f"{name}_business" for name in DURATIONS)]
    )

    def _title(self) -> str:
        return f"Ticket metrics ({len(self.rows):,} tickets, definition {self.definition.name!r})"


def ticket_metrics(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
) -> TicketMetrics:
    """Return one row of facts per ticket: every duration, the counts and the status.

    Args:
        tickets: The tickets, in the order the rows should have.
        calendar: Also measure each duration in this clock's business time (``*_business``).
        definition: A :class:`TicketDefinition` or a preset name; its reply rules, exclusions
            and repeated-solve rule apply to every row.

    Returns:
        The table; see the module documentation for the columns.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
        ...     StatusChange(at=t0 + timedelta(hours=1), status="pending"),
        ...     StatusChange(at=t0 + timedelta(hours=4), status="solved")])
        >>> row = ticket_metrics([t])[0]
        >>> row.agent_wait, row.requester_wait
        (datetime.timedelta(seconds=10800), datetime.timedelta(seconds=3600))
    """
    d = _definition(definition)
    return TicketMetrics(
        rows=tuple(_row(t, d, calendar) for t in tickets),
        definition=d,
        business=calendar is not None,
    )
