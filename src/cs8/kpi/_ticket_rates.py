"""Ticket rate and count KPIs: one-touch and touch bands, reopen, resolution, FCR, volume, backlog.

The exclusion reasons are those of the duration KPIs (see :mod:`cs8.kpi._ticket_times`).

Example:
    >>> from cs8.kpi import reopen_rate
    >>> reopen_rate([]).n
    0
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from cs8._enums import TicketStatus
from cs8._models import Ticket
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError
from cs8.kpi._definitions import (
    Attribution,
    FcrRule,
    Period,
    TicketDefinition,
    _definition,
    _Filter,
    _replies,
    _reply_count,
    _reply_definition,
)
from cs8.kpi._frames import (
    first_contact_resolution_frame,
    one_touch_rate_frame,
    reopen_rate_frame,
)
from cs8.kpi._kpi import Variant, kpi
from cs8.kpi._stats import (
    CountState,
    RateState,
)

__all__: list[str] = []

S = TypeVar("S")

# --------------------------------------------------------------------------------------------------
# Rates


_DONE = (TicketStatus.SOLVED, TicketStatus.CLOSED)


def _touch_state(
    tickets: Iterable[Ticket],
    d: TicketDefinition,
    period: Period | None,
    hit: Callable[[int], bool],
) -> RateState:
    """Return the share of solved tickets whose reply count passes ``hit`` (open: ``still_open``)."""
    f = _Filter(d, period)
    hits = n = 0
    for t in tickets:
        if not f.keep(t):
            continue
        if t.status not in _DONE:
            f.skip("still_open")
            continue
        end = t.last_solved_at or t.closed_at
        if end is not None and not f.event_in_period(end):
            continue
        n += 1
        if hit(_reply_count(t, d)):
            hits += 1
    return RateState(successes=hits, n=n, excluded=f.counts())


@kpi(RateState.result, frame=one_touch_rate_frame)
def one_touch_rate(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    max_replies: int | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
) -> RateState:
    """Return the share of solved tickets with at most one public agent reply.

    Zendesk's "One-touch tickets": solved or closed tickets with fewer than two agent replies
    (tickets solved without any reply count). Tickets open now are excluded as ``still_open``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Message, StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> m = lambda minutes: Message(at=t0 + timedelta(minutes=minutes), author="agent")
        >>> s = StatusChange(at=t0 + timedelta(hours=1), status="solved")
        >>> one = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[m(1), s])
        >>> two = Ticket(id="T2", customer_id="C1", channel="email", created_at=t0,
        ...              events=[m(1), m(2), s])
        >>> rate = one_touch_rate([one, two])
        >>> rate.successes, rate.n
        (1, 2)
    """
    d = _reply_definition(definition, public_only, count_bots, attribution, max_replies=max_replies)
    limit = d.one_touch_max_replies
    return _touch_state(tickets, d, period, lambda replies: replies <= limit)


@kpi(RateState.result)
def touch_rate(
    tickets: Iterable[Ticket],
    *,
    replies: int,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
) -> RateState:
    """Return the share of solved tickets with exactly ``replies`` public agent replies.

    dbt_zendesk's touch bands: ``replies=1`` is ``is_one_touch_resolution`` and ``replies=2``
    ``is_two_touch_resolution`` (fivetran/dbt_zendesk, ``zendesk__ticket_metrics``). Unlike
    :func:`one_touch_rate` (at most one reply, Zendesk Explore's one-touch tickets), a ticket solved
    without any reply is not one-touch here. Tickets open now are excluded as ``still_open``.

    Raises:
        InvalidValueError: If ``replies`` is not a non-negative integer.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Message, StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> m = lambda minutes: Message(at=t0 + timedelta(minutes=minutes), author="agent")
        >>> s = StatusChange(at=t0 + timedelta(hours=1), status="solved")
        >>> tickets = [Ticket(id=str(k), customer_id="C", channel="email", created_at=t0,
        ...                   events=[*(m(i) for i in range(k)), s]) for k in (0, 1, 2, 2)]
        >>> touch_rate(tickets, replies=1).value, touch_rate(tickets, replies=2).value
        (0.25, 0.5)
    """
    if isinstance(replies, bool) or not isinstance(replies, int) or replies < 0:
        raise InvalidValueError(f"touch_rate: replies must be an integer >= 0, got {replies!r}")
    d = _reply_definition(definition, public_only, count_bots, attribution)
    return _touch_state(tickets, d, period, lambda count: count == replies)


@kpi(RateState.result, frame=reopen_rate_frame)
def reopen_rate(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> RateState:
    """Return the share of tickets ever solved that were reopened at least once.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> s = lambda h, status: StatusChange(at=t0 + timedelta(hours=h), status=status)
        >>> a = Ticket(id="A", customer_id="C", channel="web", created_at=t0,
        ...            events=[s(1, "solved"), s(2, "open")])
        >>> b = Ticket(id="B", customer_id="C", channel="web", created_at=t0, events=[s(1, "solved")])
        >>> reopen_rate([a, b]).value
        0.5
    """
    d = _definition(definition, attribution=attribution)
    f = _Filter(d, period)
    hits = n = 0
    for t in tickets:
        if not f.keep(t):
            continue
        solved = t.solved_at
        if solved is None:
            f.skip("unsolved")
            continue
        if not f.event_in_period(solved):
            continue
        n += 1
        if t.reopen_count:
            hits += 1
    return RateState(successes=hits, n=n, excluded=f.counts())


class _CreatedTickets(Variant[Callable[[list[Ticket], dict[str, int]], S]]):
    """The state function of a KPI over the tickets created in ``period``, bound to its measure."""

    def __call__(
        self,
        tickets: Iterable[Ticket],
        *,
        definition: TicketDefinition | str = "cs8",
        period: Period | None = None,
    ) -> S:
        f = _Filter(_definition(definition, attribution="created"), period)
        kept = [t for t in tickets if f.keep(t)]
        return self.bound(kept, f.counts())


_CREATED_ARGS = """
    Args:
        tickets: The tickets.
        definition: A :class:`TicketDefinition` or a preset name (its exclusions apply).
        period: Keep tickets created in ``[start, end)``.
"""


def _solved_share(kept: list[Ticket], excluded: dict[str, int]) -> RateState:
    hits = sum(1 for t in kept if t.status in _DONE)
    return RateState(successes=hits, n=len(kept), excluded=excluded)


def _count(kept: list[Ticket], excluded: dict[str, int]) -> CountState:
    return CountState(value=len(kept), excluded=excluded)


resolution_rate = kpi(RateState.result)(
    _CreatedTickets(
        "resolution_rate",
        _solved_share,
        """Return the share of tickets (created in ``period``) that are solved or closed now.
"""
        + _CREATED_ARGS
        + """
    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> a = Ticket(id="A", customer_id="C", channel="web", created_at=t0,
        ...            events=[StatusChange(at=t0, status="solved")])
        >>> b = Ticket(id="B", customer_id="C", channel="web", created_at=t0)
        >>> resolution_rate([a, b]).value
        0.5
    """,
    )
)


@kpi(RateState.result, frame=first_contact_resolution_frame)
def first_contact_resolution(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    rules: Iterable[FcrRule] | FcrRule | None = None,
    repeat_window: timedelta | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
) -> RateState:
    """Return the share of solved tickets resolved on first contact, under the chosen ``rules``.

    Args:
        tickets: The tickets (all of them when ``"no_repeat_contact"`` is used, so later contacts
            of the same customer can be seen).
        definition: A definition or preset name.
        period: Keep tickets whose attribution instant is in ``[start, end)``.
        rules: Which of ``"one_reply"``, ``"no_follow_up"``, ``"no_repeat_contact"``,
            ``"single_agent"`` must all hold (see :class:`TicketDefinition`).
        repeat_window: How long after the first solve a new ticket still counts as a repeat
            contact (tickets created after this one, up to then, all do).
        public_only: Only public agent messages are replies.
        count_bots: Bot messages are replies.
        attribution: ``"created"`` or ``"event"`` (the first solve).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Message, StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> h = timedelta(hours=1)
        >>> a = Ticket(id="A", customer_id="C1", channel="email", created_at=t0, events=[
        ...     Message(at=t0 + h, author="agent"), StatusChange(at=t0 + 2 * h, status="solved")])
        >>> b = Ticket(id="B", customer_id="C1", channel="email", created_at=t0 + 5 * h)
        >>> first_contact_resolution([a, b]).value
        1.0
        >>> first_contact_resolution([a, b], rules="no_repeat_contact").value
        0.0
    """
    d = _reply_definition(
        definition, public_only, count_bots, attribution, rules=rules, repeat_window=repeat_window
    )
    data = list(tickets)
    later: dict[str, list[datetime]] = defaultdict(list)
    if "no_repeat_contact" in d.fcr_rules:
        for t in data:
            later[t.customer_id].append(t.created_at)
        for times in later.values():
            times.sort()
    f = _Filter(d, period)
    hits = n = 0
    rules_set = frozenset(d.fcr_rules)
    for t in data:
        if not f.keep(t):
            continue
        if t.status not in _DONE:
            f.skip("still_open")
            continue
        solved = t.solved_at
        if solved is not None and not f.event_in_period(solved):
            continue
        n += 1
        r = _replies(t, d)
        ok = True
        if "one_reply" in rules_set:
            ok = ok and r.count <= 1 and t.reopen_count == 0
        if "no_follow_up" in rules_set:
            ok = ok and not r.follow_up and t.reopen_count == 0
        if "single_agent" in rules_set:
            ok = ok and r.agents <= 1 and t.reopen_count == 0
        if ok and "no_repeat_contact" in rules_set and solved is not None:
            times = later[t.customer_id]
            nxt = bisect_right(times, t.created_at)
            ok = nxt == len(times) or times[nxt] > solved + d.repeat_window
        if ok:
            hits += 1
    return RateState(successes=hits, n=n, excluded=f.counts())


# --------------------------------------------------------------------------------------------------
# Counts


volume = kpi(CountState.result)(
    _CreatedTickets(
        "volume",
        _count,
        """Return how many tickets were created (in ``period``).
"""
        + _CREATED_ARGS
        + """
    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> volume([Ticket(id="A", customer_id="C", channel="web", created_at=t0)]).value
        1
    """,
    )
)


@kpi(CountState.result)
def backlog(
    tickets: Iterable[Ticket],
    at: datetime,
    *,
    definition: TicketDefinition | str = "cs8",
) -> CountState:
    """Return how many tickets were open (created and not solved or closed) at instant ``at``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="A", customer_id="C", channel="web", created_at=t0,
        ...            events=[StatusChange(at=t0 + timedelta(hours=2), status="solved")])
        >>> backlog([t], t0 + timedelta(hours=1)).value, backlog([t], t0 + timedelta(hours=3)).value
        (1, 0)
    """
    at = require_aware(at, "backlog(at)")
    d = _definition(definition, attribution="created")
    f = _Filter(d, None)
    n = 0
    for t in tickets:
        if not f.keep(t) or t.created_at > at:
            continue
        if t.status_at(at).is_open:
            n += 1
    return CountState(value=n, excluded=f.counts())
