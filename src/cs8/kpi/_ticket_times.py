"""Ticket duration KPIs: first reply, next replies, resolution, full resolution, time in statuses.

Every definition choice is an explicit keyword argument, and a :class:`TicketDefinition` bundles
them; the presets ``"cs8"``, ``"zendesk"`` and ``"intercom"`` reproduce documented definitions (see
``docs/kpi-definitions.md`` for the sources). Each KPI reports ``n`` and the tickets it left out, by
reason, in ``result.excluded``:

``merged``
    the ticket was merged into another (when the definition excludes merged tickets);
``agent_created``
    an agent opened the ticket (when the definition excludes such tickets);
``outside_period``
    the ticket's attribution instant is outside ``period``;
``unreplied``
    no reply that counts yet;
``no_customer_message``
    the reply clock starts at the first customer message and there is none;
``unsolved``
    never solved;
``still_open``
    the ticket is open now (reopened and not solved again, or never solved).

Each KPI's ``.state(...)`` returns the mergeable state, to compute on partitions and merge, and
``.frame(...)`` computes it from dataframes.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Message, StatusChange, Ticket
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> tickets = [
    ...     Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
    ...         Message(at=t0 + timedelta(hours=2), author="agent"),
    ...         StatusChange(at=t0 + timedelta(hours=3), status="solved")]),
    ...     Ticket(id="T2", customer_id="C2", channel="email", created_at=t0),
    ... ]
    >>> frt = first_reply_time(tickets)
    >>> frt.n, frt.median, dict(frt.excluded)
    (1, datetime.timedelta(seconds=7200), {'unreplied': 1})
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable

from cs8._enums import TicketStatus
from cs8._models import Ticket
from cs8._protocols import BusinessClock
from cs8.kpi._definitions import (
    Attribution,
    Period,
    ReplyClockStart,
    TicketDefinition,
    _definition,
    _duration,
    _duration_state,
    _Filter,
    _full_resolution_end,
    _replies,
    _reply_clock,
    _reply_definition,
    _status_totals,
)
from cs8.kpi._durations import DurationState
from cs8.kpi._frames import (
    first_reply_time_frame,
    full_resolution_time_frame,
    resolution_time_frame,
)
from cs8.kpi._kpi import Variant, kpi

__all__: list[str] = []

# --------------------------------------------------------------------------------------------------
# Durations


@kpi(DurationState.result, frame=first_reply_time_frame)
def first_reply_time(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    skip_agent_opening: bool | None = None,
    reply_clock_start: ReplyClockStart | None = None,
    attribution: Attribution | None = None,
    exact: bool = True,
) -> DurationState:
    """Return the time from the clock start to the first reply that counts, over tickets.

    Args:
        tickets: The tickets.
        calendar: Measure business time with this clock (``None``: calendar time).
        definition: A :class:`TicketDefinition` or a preset name (``"cs8"``, ``"zendesk"``,
            ``"intercom"``); the keyword arguments below override its choices.
        period: Keep tickets whose attribution instant is in ``[start, end)``.
        public_only: Only public agent messages are replies.
        count_bots: Bot messages are replies.
        skip_agent_opening: An agent-created ticket's opening message is not a reply.
        reply_clock_start: ``"created"``, ``"first_customer_message"`` or
            ``"last_handoff_or_reopen"`` (the latest bot handoff or reopen before the first reply).
        attribution: ``"created"`` or ``"event"`` (the first reply's instant).
        exact: ``True`` (default): quantiles are exact (type 7) at any size. ``False``: beyond
            :data:`SKETCH_LIMIT` values the state keeps a 1 % quantile sketch instead of every
            value (bounded memory when merging very many partitions); the result's ``exact``
            says which. Every duration KPI takes this keyword, in its call and ``.state()``.

    Returns:
        The durations with ``excluded`` counting ``unreplied``, ``merged``, ``outside_period`` ...

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Message, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
        ...     Message(at=t0 + timedelta(minutes=5), author="bot"),
        ...     Message(at=t0 + timedelta(minutes=30), author="agent")])
        >>> first_reply_time([t]).mean
        datetime.timedelta(seconds=1800)
        >>> first_reply_time([t], count_bots=True).mean
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
    f = _Filter(d, period)
    out: list[int] = []
    for t in tickets:
        if not f.keep(t):
            continue
        start, first = _reply_clock(t, d)
        if start is None:
            f.skip("no_customer_message")
            continue
        if first is None:
            f.skip("unreplied")
            continue
        if not f.event_in_period(first):
            continue
        out.append(_duration(calendar, start, first))
    return _duration_state(out, f.counts(), exact)


def _reply_gaps_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None,
    d: TicketDefinition,
    period: Period | None,
    include_first: bool,
    exact: bool,
) -> DurationState:
    f = _Filter(d, period)
    out: list[int] = []
    for t in tickets:
        if not f.keep(t):
            continue
        r = _replies(t, d)
        if r.start is None:
            f.skip("no_customer_message")
            continue
        gaps = r.gaps if include_first else r.gaps[1:]
        if not gaps:
            f.skip("unreplied" if r.first_reply is None else "no_next_reply")
            continue
        for start, end in gaps:
            if f.event_in_period(end):
                out.append(_duration(calendar, start, end))
    return _duration_state(out, f.counts(), exact)


@kpi(DurationState.result)
def next_reply_times(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
    exact: bool = True,
) -> DurationState:
    """Return every wait after the first reply: first unanswered customer message to the next reply.

    Zendesk's next reply time and Intercom's subsequent response time: after the first reply, the
    clock starts at the first public customer message not yet answered and stops at the next reply
    that counts. One value per response; ``n`` counts responses, not tickets. Tickets without any
    such response are excluded as ``unreplied`` or ``no_next_reply``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Message, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> m = lambda minutes, who: Message(at=t0 + timedelta(minutes=minutes), author=who)
        >>> t = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0, events=[
        ...     m(0, "customer"), m(10, "agent"), m(12, "customer"), m(13, "customer"),
        ...     m(20, "agent")])
        >>> next_reply_times([t]).mean
        datetime.timedelta(seconds=480)
    """
    d = _reply_definition(definition, public_only, count_bots, attribution)
    return _reply_gaps_state(tickets, calendar, d, period, include_first=False, exact=exact)


@kpi(DurationState.result)
def average_response_time(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    reply_clock_start: ReplyClockStart | None = None,
    attribution: Attribution | None = None,
    exact: bool = True,
) -> DurationState:
    """Return every response time, the first reply included (Intercom's "response time").

    ``.mean`` is the average response time over all responses; ``.median`` is Intercom's default
    aggregation.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Message, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> m = lambda minutes, who: Message(at=t0 + timedelta(minutes=minutes), author=who)
        >>> t = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0, events=[
        ...     m(0, "customer"), m(10, "agent"), m(12, "customer"), m(20, "agent")])
        >>> average_response_time([t]).mean
        datetime.timedelta(seconds=540)
    """
    d = _reply_definition(
        definition, public_only, count_bots, attribution, reply_clock_start=reply_clock_start
    )
    return _reply_gaps_state(tickets, calendar, d, period, include_first=True, exact=exact)


def _resolution_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None,
    d: TicketDefinition,
    period: Period | None,
    exact: bool,
    *,
    last: bool,
) -> DurationState:
    f = _Filter(d, period)
    out: list[int] = []
    for t in tickets:
        if not f.keep(t):
            continue
        solved = t.solved_at
        if solved is None:
            f.skip("unsolved")
            continue
        end = _full_resolution_end(t, d) if last else solved
        if end is None:
            f.skip("still_open")
            continue
        if not f.event_in_period(end):
            continue
        out.append(_duration(calendar, t.created_at, end))
    return _duration_state(out, f.counts(), exact)


def _status_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None,
    d: TicketDefinition,
    period: Period | None,
    exact: bool,
    *,
    statuses: frozenset[TicketStatus],
) -> DurationState:
    f = _Filter(d, period)
    out: list[int] = []
    for t in tickets:
        if not f.keep(t):
            continue
        if t.is_open:
            f.skip("still_open" if t.solved_at is not None else "unsolved")
            continue
        end = t.last_solved_at or t.closed_at
        if end is not None and not f.event_in_period(end):
            continue
        totals = _status_totals(t, calendar)
        out.append(sum(totals[s] for s in statuses))
    return _duration_state(out, f.counts(), exact)


_Measure = Callable[
    [Iterable[Ticket], BusinessClock | None, TicketDefinition, Period | None, bool], DurationState
]


class _TicketDuration(Variant[_Measure]):
    """The state function of a duration KPI taking the common arguments, bound to its measure."""

    def __call__(
        self,
        tickets: Iterable[Ticket],
        calendar: BusinessClock | None = None,
        *,
        definition: TicketDefinition | str = "cs8",
        period: Period | None = None,
        attribution: Attribution | None = None,
        exact: bool = True,
    ) -> DurationState:
        d = _definition(definition, attribution=attribution)
        return self.bound(tickets, calendar, d, period, exact)


_DURATION_ARGS = """
    Args:
        tickets: The tickets.
        calendar: Measure business time with this clock (``None``: calendar time).
        definition: A :class:`TicketDefinition` or a preset name.
        period: Keep tickets whose attribution instant is in ``[start, end)``.
        attribution: ``"created"`` or ``"event"`` (the solve that ends the measure).
        exact: Exact quantiles at any size (default), or a sketch beyond :data:`SKETCH_LIMIT`.
"""

resolution_time = kpi(DurationState.result, frame=resolution_time_frame)(
    _TicketDuration(
        "resolution_time",
        functools.partial(_resolution_state, last=False),
        """Return the time from creation to the first solve (Zendesk's first resolution time).

    A ticket closed without passing through solved counts as solved when it closed, as Zendesk
    does for tickets closed by a business rule. Tickets never solved are excluded as ``unsolved``.
"""
        + _DURATION_ARGS
        + """
    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
        ...     StatusChange(at=t0 + timedelta(hours=4), status="solved")])
        >>> resolution_time([t]).median
        datetime.timedelta(seconds=14400)
    """,
    )
)

full_resolution_time = kpi(DurationState.result, frame=full_resolution_time_frame)(
    _TicketDuration(
        "full_resolution_time",
        functools.partial(_resolution_state, last=True),
        """Return the time from creation to the latest solve (Zendesk's full resolution time).

    Tickets open now (reopened and not solved again) are excluded as ``still_open``; Intercom's
    "time to last close" is the same measure.
"""
        + _DURATION_ARGS
        + """
    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> h = timedelta(hours=1)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
        ...     StatusChange(at=t0 + h, status="solved"), StatusChange(at=t0 + 2 * h, status="open"),
        ...     StatusChange(at=t0 + 5 * h, status="solved")])
        >>> full_resolution_time([t]).median
        datetime.timedelta(seconds=18000)
    """,
    )
)


@kpi(DurationState.result)
def status_time(
    tickets: Iterable[Ticket],
    statuses: Collection[TicketStatus | str],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
    exact: bool = True,
) -> DurationState:
    """Return, per solved ticket, the total time it spent in ``statuses`` up to its latest solve.

    Tickets open now are excluded as ``still_open`` (their total is not final).
    :func:`requester_wait_time` and :func:`agent_work_time` are this KPI with fixed statuses.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
        ...     StatusChange(at=t0 + timedelta(hours=1), status="pending"),
        ...     StatusChange(at=t0 + timedelta(hours=4), status="solved")])
        >>> status_time([t], {"pending"}).median
        datetime.timedelta(seconds=10800)
    """
    wanted = frozenset(TicketStatus(s) for s in statuses)
    d = _definition(definition, attribution=attribution)
    return _status_state(tickets, calendar, d, period, exact, statuses=wanted)


requester_wait_time = kpi(DurationState.result)(
    _TicketDuration(
        "requester_wait_time",
        functools.partial(
            _status_state,
            statuses=frozenset({TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.ON_HOLD}),
        ),
        """Return the time solved tickets spent new, open or on hold (Zendesk's requester wait time).

    :func:`status_time` with these statuses.
"""
        + _DURATION_ARGS
        + """
    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> at = lambda hour: datetime(2026, 3, 2, hour, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=at(9), events=[
        ...     StatusChange(at=at(10), status="pending"), StatusChange(at=at(12), status="open"),
        ...     StatusChange(at=at(14), status="solved")])
        >>> requester_wait_time([t]).median
        datetime.timedelta(seconds=10800)
    """,
    )
)

agent_work_time = kpi(DurationState.result)(
    _TicketDuration(
        "agent_work_time",
        functools.partial(_status_state, statuses=frozenset({TicketStatus.NEW, TicketStatus.OPEN})),
        """Return the time solved tickets spent new or open (Zendesk's agent work time).

    :func:`status_time` with these statuses.
"""
        + _DURATION_ARGS
        + """
    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> at = lambda hour: datetime(2026, 3, 2, hour, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=at(9), events=[
        ...     StatusChange(at=at(10), status="on_hold"), StatusChange(at=at(12), status="open"),
        ...     StatusChange(at=at(14), status="solved")])
        >>> agent_work_time([t]).median
        datetime.timedelta(seconds=10800)
    """,
    )
)
