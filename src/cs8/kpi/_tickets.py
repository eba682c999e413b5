"""Ticket KPIs: reply, resolution and status-time durations, touch, reopen, resolution and FCR rates.

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

Each KPI also has a ``*_state`` twin returning the mergeable state, to compute on partitions and
merge.

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

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Literal, TypeAlias

import attrs

from cs8._enums import ActorKind, TicketStatus
from cs8._frozen import FrozenDict
from cs8._models import Message, StatusChange, Ticket
from cs8._protocols import BusinessClock
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError, UnknownFieldError
from cs8.kpi._stats import (
    Count,
    CountState,
    DurationState,
    DurationStats,
    Rate,
    RateState,
)

__all__ = [
    "PRESETS",
    "BusinessClock",
    "TicketDefinition",
    "TicketSummary",
    "_reply_gaps_state",
    "_resolution_state",
    "agent_work_time",
    "agent_work_time_state",
    "average_response_time",
    "average_response_time_state",
    "backlog",
    "backlog_state",
    "first_contact_resolution",
    "first_contact_resolution_state",
    "first_reply_time",
    "first_reply_time_state",
    "full_resolution_time",
    "full_resolution_time_state",
    "next_reply_times",
    "next_reply_times_state",
    "one_touch_rate",
    "one_touch_rate_state",
    "reopen_rate",
    "reopen_rate_state",
    "requester_wait_time",
    "requester_wait_time_state",
    "resolution_rate",
    "resolution_rate_state",
    "resolution_time",
    "resolution_time_state",
    "status_time",
    "status_time_state",
    "ticket_summary",
    "volume",
    "volume_state",
]

ReplyClockStart: TypeAlias = Literal["created", "first_customer_message"]
Attribution: TypeAlias = Literal["created", "event"]
FcrRule: TypeAlias = Literal["one_reply", "no_follow_up", "no_repeat_contact", "single_agent"]
Period: TypeAlias = tuple[datetime, datetime]

_FCR_RULES = frozenset({"one_reply", "no_follow_up", "no_repeat_contact", "single_agent"})


def _rule_tuple(value: Iterable[str]) -> tuple[FcrRule, ...]:
    return tuple(value)  # type: ignore[arg-type]


def _check_rules(instance: object, attribute: object, value: tuple[str, ...]) -> None:
    unknown = [r for r in value if r not in _FCR_RULES]
    if unknown or not value:
        raise InvalidValueError(
            f"TicketDefinition.fcr_rules must be a non-empty tuple of {sorted(_FCR_RULES)}, "
            f"got {value!r}"
        )


def _check_choice(*choices: str) -> Callable[[object, attrs.Attribute[str], str], None]:
    def check(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in choices:
            raise InvalidValueError(
                f"TicketDefinition.{attribute.name} must be one of {list(choices)}, got {value!r}"
            )

    return check


@attrs.frozen(kw_only=True)
class TicketDefinition:
    """Every choice behind the ticket KPIs, as one frozen value.

    Args:
        name: A label for reports.
        public_only: Only public agent messages count as replies (internal notes do not).
        count_bots: Bot messages count as replies (Zendesk and Intercom say no).
        skip_agent_opening: On an agent-created ticket, the agent's first public message is the
            request itself, not a reply (Zendesk moves first reply to the second public agent
            comment).
        reply_clock_start: The first-reply clock starts at ticket creation (``"created"``) or at the
            first public customer message (``"first_customer_message"``, as Intercom).
        exclude_merged: Leave out tickets merged into another.
        exclude_agent_created: Leave out tickets an agent opened.
        attribution: Which instant places a ticket in ``period``: its creation (``"created"``) or
            the KPI's own event (``"event"``: first reply, solve ...).
        one_touch_max_replies: Most public agent replies a one-touch ticket may have.
        fcr_rules: What makes a solved ticket resolved on first contact (all must hold):
            ``"one_reply"`` at most one reply and never reopened; ``"no_follow_up"`` no customer
            message after the first reply and never reopened; ``"no_repeat_contact"`` no ticket from
            the same customer created after this one and at most ``repeat_window`` after its first
            solve; ``"single_agent"``
            closed once (never reopened) with one participating agent (Intercom).
        repeat_window: The window of ``"no_repeat_contact"``.
        source: Where the definition comes from.

    Example:
        >>> PRESETS["intercom"].reply_clock_start
        'first_customer_message'
        >>> attrs.evolve(PRESETS["cs8"], count_bots=True).count_bots
        True
    """

    name: str = "custom"
    public_only: bool = True
    count_bots: bool = False
    skip_agent_opening: bool = True
    reply_clock_start: ReplyClockStart = attrs.field(
        default="created", validator=_check_choice("created", "first_customer_message")
    )
    exclude_merged: bool = True
    exclude_agent_created: bool = False
    attribution: Attribution = attrs.field(
        default="created", validator=_check_choice("created", "event")
    )
    one_touch_max_replies: int = 1
    fcr_rules: tuple[FcrRule, ...] = attrs.field(
        default=("one_reply",), converter=_rule_tuple, validator=_check_rules
    )
    repeat_window: timedelta = timedelta(days=7)
    source: str = ""

    @property
    def standard_replies(self) -> bool:
        """Whether replies are public human-agent messages from creation (the model's own facts)."""
        return self.public_only and not self.count_bots and self.reply_clock_start == "created"


PRESETS: Mapping[str, TicketDefinition] = FrozenDict(
    {
        "cs8": TicketDefinition(
            name="cs8",
            source="cs8 default: docs/kpi-definitions.md",
        ),
        "zendesk": TicketDefinition(
            name="zendesk",
            exclude_merged=False,
            fcr_rules=("one_reply",),
            source=(
                "https://support.zendesk.com/hc/en-us/articles/4408834848154 ; "
                "https://support.zendesk.com/hc/en-us/articles/4408821871642 ; "
                "https://support.zendesk.com/hc/en-us/articles/4408820618266"
            ),
        ),
        "intercom": TicketDefinition(
            name="intercom",
            reply_clock_start="first_customer_message",
            exclude_merged=False,
            fcr_rules=("single_agent",),
            source=(
                "https://www.intercom.com/help/en/articles/6762778 ; "
                "https://www.intercom.com/help/en/articles/7022438 ; "
                "https://www.intercom.com/help/en/articles/3653556"
            ),
        ),
    }
)
"""Named ticket KPI definitions: ``"cs8"`` (default), ``"zendesk"`` and ``"intercom"``."""


def _definition(definition: TicketDefinition | str, **overrides: object) -> TicketDefinition:
    if isinstance(definition, str):
        try:
            base = PRESETS[definition]
        except KeyError:
            raise UnknownFieldError(
                f"unknown ticket KPI definition {definition!r}; presets: {sorted(PRESETS)}"
            ) from None
    elif isinstance(definition, TicketDefinition):
        base = definition
    else:
        raise InvalidValueError(
            f"definition must be a TicketDefinition or a preset name, got {definition!r}"
        )
    changes = {k: v for k, v in overrides.items() if v is not None}
    return attrs.evolve(base, **changes) if changes else base  # type: ignore[arg-type]


def _period(period: Period | None) -> tuple[datetime, datetime] | None:
    if period is None:
        return None
    if not isinstance(period, tuple) or len(period) != 2:
        raise InvalidValueError(f"period must be a (start, end) tuple, got {period!r}")
    start = require_aware(period[0], "period[0]")
    end = require_aware(period[1], "period[1]")
    if end < start:
        raise InvalidValueError(f"period must not end before it starts, got {period!r}")
    return (start, end)


def _us(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


# --------------------------------------------------------------------------------------------------
# Per-ticket reply facts (the general path; the default path uses the model's cached facts)


@attrs.frozen
class _Replies:
    start: datetime | None  # when the first-reply clock starts (None: no customer message)
    first_reply: datetime | None
    count: int  # replies that count (the opening of an agent-created ticket excluded)
    follow_up: bool  # a customer message came after the first reply
    agents: int  # distinct replying agents (None ids count as one)
    gaps: tuple[tuple[datetime, datetime], ...]  # (clock start, reply) for every response


def _replies(ticket: Ticket, d: TicketDefinition) -> _Replies:
    agent, bot, customer = ActorKind.AGENT, ActorKind.BOT, ActorKind.CUSTOMER
    count_bots, public_only = d.count_bots, d.public_only
    skip = d.skip_agent_opening and ticket.created_by is agent
    start: datetime | None = ticket.created_at if d.reply_clock_start == "created" else None
    waiting: datetime | None = start
    first: datetime | None = None
    count = 0
    follow_up = False
    agents: set[str | None] = set()
    gaps: list[tuple[datetime, datetime]] = []
    seen_customer = False
    for event in ticket.events:
        if type(event) is not Message:
            continue
        msg: Message = event
        author = msg.author
        if author is customer:
            if not msg.public:
                continue
            seen_customer = True
            if start is None:
                start = msg.at
            if first is not None:
                follow_up = True
            if waiting is None:
                waiting = msg.at
        elif author is agent or (count_bots and author is bot):
            if public_only and not msg.public:
                continue
            if skip and not seen_customer:
                skip = False
                waiting = None
                continue
            skip = False
            if start is None:
                continue  # before the customer's first message: not a reply
            count += 1
            agents.add(msg.author_id)
            if first is None:
                gaps.append((start, msg.at))
                first = msg.at
            elif waiting is not None:
                gaps.append((waiting, msg.at))
            waiting = None
    return _Replies(start, first, count, follow_up, len(agents), tuple(gaps))


_Scan: TypeAlias = tuple[
    "datetime | None",  # first public agent reply
    int,  # public agent replies
    "datetime | None",  # first solve (or close from an open status)
    "datetime | None",  # latest move into solved (or close from open)
    "datetime | None",  # first close
    bool,  # reopened at least once
    TicketStatus,  # status now
]


def _scan(t: Ticket) -> _Scan:
    """Return the model's derived facts of ``t`` without caching them on the ticket.

    Same rules as :class:`cs8.Ticket`'s own facts (a property test checks it), but nothing is kept
    alive per ticket, so a single pass over a million tickets puts no pressure on the garbage
    collector.
    """
    agent, message, status_change = ActorKind.AGENT, Message, StatusChange
    solved_s, closed_s = TicketStatus.SOLVED, TicketStatus.CLOSED
    first: datetime | None = None
    replies = 0
    status = TicketStatus.NEW
    solved: datetime | None = None
    last_solved: datetime | None = None
    closed: datetime | None = None
    reopened = False
    for e in t.events:
        kind = type(e)
        if kind is message:
            if e.author is agent and e.public:  # type: ignore[union-attr]
                if first is None:
                    first = e.at
                replies += 1
        elif kind is status_change:
            new = e.status  # type: ignore[union-attr]
            if new is solved_s:
                if solved is None:
                    solved = e.at
                if status is not solved_s:
                    last_solved = e.at
            elif new is closed_s:
                if closed is None:
                    closed = e.at
                if last_solved is None and status is not solved_s and status is not closed_s:
                    solved = solved or e.at
                    last_solved = e.at
            elif status is solved_s or status is closed_s:
                reopened = True
            status = new
    return (first, replies, solved, last_solved, closed, reopened, status)


def _duration(calendar: BusinessClock | None, start: datetime, end: datetime) -> int:
    if calendar is None:
        return _us(end - start)
    return _us(calendar.business_duration(start, end))


class _Filter:
    """Applies the common exclusions; counts reasons."""

    __slots__ = ("d", "excluded", "period")

    def __init__(self, d: TicketDefinition, period: Period | None) -> None:
        self.d = d
        self.period = _period(period)
        self.excluded: dict[str, int] = defaultdict(int)

    def keep(self, ticket: Ticket) -> bool:
        d = self.d
        if d.exclude_merged and ticket.merged_into is not None:
            self.excluded["merged"] += 1
            return False
        if d.exclude_agent_created and ticket.created_by is ActorKind.AGENT:
            self.excluded["agent_created"] += 1
            return False
        if self.period is not None and d.attribution == "created":
            return self.in_period(ticket.created_at)
        return True

    def in_period(self, t: datetime) -> bool:
        p = self.period
        if p is None or p[0] <= t < p[1]:
            return True
        self.excluded["outside_period"] += 1
        return False

    def event_in_period(self, t: datetime) -> bool:
        if self.period is None or self.d.attribution == "created":
            return True
        return self.in_period(t)

    def skip(self, reason: str) -> None:
        self.excluded[reason] += 1

    def counts(self) -> dict[str, int]:
        return dict(self.excluded)


def _with_excluded(state: DurationState, excluded: dict[str, int]) -> DurationState:
    return attrs.evolve(state, excluded=FrozenDict(excluded)) if excluded else state


# --------------------------------------------------------------------------------------------------
# Durations


def first_reply_time_state(
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
) -> DurationState:
    """Return the mergeable state of :func:`first_reply_time`.

    Example:
        >>> first_reply_time_state([]).n
        0
    """
    d = _definition(
        definition,
        public_only=public_only,
        count_bots=count_bots,
        skip_agent_opening=skip_agent_opening,
        reply_clock_start=reply_clock_start,
        attribution=attribution,
    )
    f = _Filter(d, period)
    fast = d.standard_replies
    agent = ActorKind.AGENT
    out: list[int] = []
    for t in tickets:
        if not f.keep(t):
            continue
        if fast and t.created_by is not agent:
            start: datetime | None = t.created_at
            first = _scan(t)[0]
        else:
            r = _replies(t, d)
            start, first = r.start, r.first_reply
        if start is None:
            f.skip("no_customer_message")
            continue
        if first is None:
            f.skip("unreplied")
            continue
        if not f.event_in_period(first):
            continue
        out.append(_duration(calendar, start, first))
    return _with_excluded(DurationState.of_microseconds(out), f.counts())


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
) -> DurationStats:
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
        reply_clock_start: ``"created"`` or ``"first_customer_message"``.
        attribution: ``"created"`` or ``"event"`` (the first reply's instant).

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
    return first_reply_time_state(
        tickets,
        calendar,
        definition=definition,
        period=period,
        public_only=public_only,
        count_bots=count_bots,
        skip_agent_opening=skip_agent_opening,
        reply_clock_start=reply_clock_start,
        attribution=attribution,
    ).result()


def _reply_gaps_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None,
    d: TicketDefinition,
    period: Period | None,
    include_first: bool,
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
    return _with_excluded(DurationState.of_microseconds(out), f.counts())


def next_reply_times_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
) -> DurationState:
    """Return the mergeable state of :func:`next_reply_times`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> next_reply_times_state([]).result() == next_reply_times([])
        True
    """
    d = _definition(
        definition, public_only=public_only, count_bots=count_bots, attribution=attribution
    )
    return _reply_gaps_state(tickets, calendar, d, period, include_first=False)


def next_reply_times(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
) -> DurationStats:
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
    return next_reply_times_state(
        tickets,
        calendar,
        definition=definition,
        period=period,
        public_only=public_only,
        count_bots=count_bots,
        attribution=attribution,
    ).result()


def average_response_time_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    reply_clock_start: ReplyClockStart | None = None,
    attribution: Attribution | None = None,
) -> DurationState:
    """Return the mergeable state of :func:`average_response_time`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> average_response_time_state([]).result() == average_response_time([])
        True
    """
    d = _definition(
        definition,
        public_only=public_only,
        count_bots=count_bots,
        reply_clock_start=reply_clock_start,
        attribution=attribution,
    )
    return _reply_gaps_state(tickets, calendar, d, period, include_first=True)


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
) -> DurationStats:
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
    return average_response_time_state(
        tickets,
        calendar,
        definition=definition,
        period=period,
        public_only=public_only,
        count_bots=count_bots,
        reply_clock_start=reply_clock_start,
        attribution=attribution,
    ).result()


def _resolution_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None,
    d: TicketDefinition,
    period: Period | None,
    last: bool,
) -> DurationState:
    f = _Filter(d, period)
    out: list[int] = []
    for t in tickets:
        if not f.keep(t):
            continue
        facts = _scan(t)
        end = facts[3] if last else facts[2]
        if end is None:
            f.skip("unsolved")
            continue
        if last and facts[6].is_open:
            f.skip("still_open")
            continue
        if not f.event_in_period(end):
            continue
        out.append(_duration(calendar, t.created_at, end))
    return _with_excluded(DurationState.of_microseconds(out), f.counts())


def resolution_time_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationState:
    """Return the mergeable state of :func:`resolution_time`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> resolution_time_state([]).result() == resolution_time([])
        True
    """
    d = _definition(definition, attribution=attribution)
    return _resolution_state(tickets, calendar, d, period, last=False)


def resolution_time(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationStats:
    """Return the time from creation to the first solve (Zendesk's first resolution time).

    A ticket closed without passing through solved counts as solved when it closed, as Zendesk
    does for tickets closed by a business rule. Tickets never solved are excluded as ``unsolved``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
        ...     StatusChange(at=t0 + timedelta(hours=4), status="solved")])
        >>> resolution_time([t]).median
        datetime.timedelta(seconds=14400)
    """
    return resolution_time_state(
        tickets, calendar, definition=definition, period=period, attribution=attribution
    ).result()


def full_resolution_time_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationState:
    """Return the mergeable state of :func:`full_resolution_time`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> full_resolution_time_state([]).result() == full_resolution_time([])
        True
    """
    d = _definition(definition, attribution=attribution)
    return _resolution_state(tickets, calendar, d, period, last=True)


def full_resolution_time(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationStats:
    """Return the time from creation to the latest solve (Zendesk's full resolution time).

    Tickets open now (reopened and not solved again) are excluded as ``still_open``; Intercom's
    "time to last close" is the same measure.

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
    """
    return full_resolution_time_state(
        tickets, calendar, definition=definition, period=period, attribution=attribution
    ).result()


_REQUESTER_WAIT = frozenset({TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.ON_HOLD})
_AGENT_WORK = frozenset({TicketStatus.NEW, TicketStatus.OPEN})


def status_time_state(
    tickets: Iterable[Ticket],
    statuses: Collection[TicketStatus | str],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationState:
    """Return the mergeable state of :func:`status_time`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> status_time_state([], ["pending"]).result() == status_time([], ["pending"])
        True
    """
    d = _definition(definition, attribution=attribution)
    wanted = frozenset(TicketStatus(s) for s in statuses)
    f = _Filter(d, period)
    out: list[int] = []
    for t in tickets:
        if not f.keep(t):
            continue
        facts = _scan(t)
        if facts[6].is_open:
            f.skip("still_open" if facts[2] is not None else "unsolved")
            continue
        end = facts[3] or facts[4]
        if end is not None and not f.event_in_period(end):
            continue
        total = 0
        for start, stop, status in t.status_intervals():
            if stop is not None and status in wanted:
                total += _duration(calendar, start, stop)
        out.append(total)
    return _with_excluded(DurationState.of_microseconds(out), f.counts())


def status_time(
    tickets: Iterable[Ticket],
    statuses: Collection[TicketStatus | str],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationStats:
    """Return, per solved ticket, the total time it spent in ``statuses`` up to its latest solve.

    Tickets open now are excluded as ``still_open`` (their total is not final).

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
    return status_time_state(
        tickets, statuses, calendar, definition=definition, period=period, attribution=attribution
    ).result()


def requester_wait_time_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationState:
    """Return the mergeable state of :func:`requester_wait_time`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> requester_wait_time_state([]).result() == requester_wait_time([])
        True
    """
    return status_time_state(
        tickets,
        _REQUESTER_WAIT,
        calendar,
        definition=definition,
        period=period,
        attribution=attribution,
    )


def requester_wait_time(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationStats:
    """Return the time solved tickets spent new, open or on hold (Zendesk's requester wait time).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> at = lambda hour: datetime(2026, 3, 2, hour, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=at(9), events=[
        ...     StatusChange(at=at(10), status="pending"), StatusChange(at=at(12), status="open"),
        ...     StatusChange(at=at(14), status="solved")])
        >>> requester_wait_time([t]).median
        datetime.timedelta(seconds=10800)
    """
    return requester_wait_time_state(
        tickets, calendar, definition=definition, period=period, attribution=attribution
    ).result()


def agent_work_time_state(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationState:
    """Return the mergeable state of :func:`agent_work_time`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> agent_work_time_state([]).result() == agent_work_time([])
        True
    """
    return status_time_state(
        tickets,
        _AGENT_WORK,
        calendar,
        definition=definition,
        period=period,
        attribution=attribution,
    )


def agent_work_time(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> DurationStats:
    """Return the time solved tickets spent new or open (Zendesk's agent work time).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> at = lambda hour: datetime(2026, 3, 2, hour, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=at(9), events=[
        ...     StatusChange(at=at(10), status="on_hold"), StatusChange(at=at(12), status="open"),
        ...     StatusChange(at=at(14), status="solved")])
        >>> agent_work_time([t]).median
        datetime.timedelta(seconds=10800)
    """
    return agent_work_time_state(
        tickets, calendar, definition=definition, period=period, attribution=attribution
    ).result()


# --------------------------------------------------------------------------------------------------
# Rates


_DONE = (TicketStatus.SOLVED, TicketStatus.CLOSED)


def one_touch_rate_state(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    max_replies: int | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
) -> RateState:
    """Return the mergeable state of :func:`one_touch_rate`.

    Example:
        >>> one_touch_rate_state([]).n
        0
    """
    d = _definition(
        definition,
        one_touch_max_replies=max_replies,
        public_only=public_only,
        count_bots=count_bots,
        attribution=attribution,
    )
    f = _Filter(d, period)
    hits = n = 0
    limit = d.one_touch_max_replies
    for t in tickets:
        if not f.keep(t):
            continue
        facts = _scan(t)
        if facts[6] not in _DONE:
            f.skip("still_open")
            continue
        end = facts[3] or facts[4]
        if end is not None and not f.event_in_period(end):
            continue
        n += 1
        standard = d.standard_replies and t.created_by is not ActorKind.AGENT
        replies = facts[1] if standard else _replies(t, d).count
        if replies <= limit:
            hits += 1
    return RateState(successes=hits, n=n, excluded=f.counts())


def one_touch_rate(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    max_replies: int | None = None,
    public_only: bool | None = None,
    count_bots: bool | None = None,
    attribution: Attribution | None = None,
) -> Rate:
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
    return one_touch_rate_state(
        tickets,
        definition=definition,
        period=period,
        max_replies=max_replies,
        public_only=public_only,
        count_bots=count_bots,
        attribution=attribution,
    ).result()


def reopen_rate_state(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> RateState:
    """Return the mergeable state of :func:`reopen_rate`.

    Example:
        >>> reopen_rate_state([]).n
        0
    """
    d = _definition(definition, attribution=attribution)
    f = _Filter(d, period)
    hits = n = 0
    for t in tickets:
        if not f.keep(t):
            continue
        facts = _scan(t)
        solved = facts[2]
        if solved is None:
            f.skip("unsolved")
            continue
        if not f.event_in_period(solved):
            continue
        n += 1
        if facts[5]:
            hits += 1
    return RateState(successes=hits, n=n, excluded=f.counts())


def reopen_rate(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
    attribution: Attribution | None = None,
) -> Rate:
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
    return reopen_rate_state(
        tickets, definition=definition, period=period, attribution=attribution
    ).result()


def resolution_rate_state(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
) -> RateState:
    """Return the mergeable state of :func:`resolution_rate`.

    Example:
        >>> resolution_rate_state([]).n
        0
    """
    d = _definition(definition, attribution="created")
    f = _Filter(d, period)
    hits = n = 0
    for t in tickets:
        if not f.keep(t):
            continue
        n += 1
        if _scan(t)[6] in _DONE:
            hits += 1
    return RateState(successes=hits, n=n, excluded=f.counts())


def resolution_rate(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
) -> Rate:
    """Return the share of tickets (created in ``period``) that are solved or closed now.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> a = Ticket(id="A", customer_id="C", channel="web", created_at=t0,
        ...            events=[StatusChange(at=t0, status="solved")])
        >>> b = Ticket(id="B", customer_id="C", channel="web", created_at=t0)
        >>> resolution_rate([a, b]).value
        0.5
    """
    return resolution_rate_state(tickets, definition=definition, period=period).result()


def first_contact_resolution_state(
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
    """Return the mergeable state of :func:`first_contact_resolution`.

    Example:
        >>> first_contact_resolution_state([]).n
        0
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
) -> Rate:
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
    return first_contact_resolution_state(
        tickets,
        definition=definition,
        period=period,
        rules=rules,
        repeat_window=repeat_window,
        public_only=public_only,
        count_bots=count_bots,
        attribution=attribution,
    ).result()


# --------------------------------------------------------------------------------------------------
# Counts


def volume_state(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
) -> CountState:
    """Return the mergeable state of :func:`volume`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> volume_state([]).result() == volume([])
        True
    """
    d = _definition(definition, attribution="created")
    f = _Filter(d, period)
    n = sum(1 for t in tickets if f.keep(t))
    return CountState(value=n, excluded=f.counts())


def volume(
    tickets: Iterable[Ticket],
    *,
    definition: TicketDefinition | str = "cs8",
    period: Period | None = None,
) -> Count:
    """Return how many tickets were created (in ``period``).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> volume([Ticket(id="A", customer_id="C", channel="web", created_at=t0)]).value
        1
    """
    return volume_state(tickets, definition=definition, period=period).result()


def backlog_state(
    tickets: Iterable[Ticket],
    at: datetime,
    *,
    definition: TicketDefinition | str = "cs8",
) -> CountState:
    """Return the mergeable state of :func:`backlog`; ``.result()`` is its value.

    Takes the same arguments. States of parts merge (``+``) into the state of the whole.

    Example:
        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> backlog_state([], at).result() == backlog([], at)
        True
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


def backlog(
    tickets: Iterable[Ticket],
    at: datetime,
    *,
    definition: TicketDefinition | str = "cs8",
) -> Count:
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
    return backlog_state(tickets, at, definition=definition).result()


# --------------------------------------------------------------------------------------------------
# The standard set in one pass


@attrs.frozen(kw_only=True)
class TicketSummary:
    """First reply time, resolution time, reopen rate and one-touch rate computed in one pass.

    Example:
        >>> ticket_summary([]).first_reply_time.n
        0
    """

    first_reply_time: DurationStats
    resolution_time: DurationStats
    reopen_rate: Rate
    one_touch_rate: Rate

    def to_dict(self) -> dict[str, object]:
        """Return each KPI's ``to_dict()`` under its name.

        Example:
            >>> sorted(ticket_summary([]).to_dict())
            ['first_reply_time', 'one_touch_rate', 'reopen_rate', 'resolution_time']
        """
        return {
            "first_reply_time": self.first_reply_time.to_dict(),
            "resolution_time": self.resolution_time.to_dict(),
            "reopen_rate": self.reopen_rate.to_dict(),
            "one_touch_rate": self.one_touch_rate.to_dict(),
        }

    def __str__(self) -> str:
        parts = [
            ("first reply time", self.first_reply_time),
            ("resolution time", self.resolution_time),
            ("reopen rate", self.reopen_rate),
            ("one-touch rate", self.one_touch_rate),
        ]
        return "\n".join(f"{name}: {value}" for name, value in parts)

    def _repr_html_(self) -> str:
        return "".join(
            r._repr_html_()
            for r in (
                self.first_reply_time,
                self.resolution_time,
                self.reopen_rate,
                self.one_touch_rate,
            )
        )


def ticket_summary(
    tickets: Iterable[Ticket],
    calendar: BusinessClock | None = None,
    *,
    definition: TicketDefinition | str = "cs8",
) -> TicketSummary:
    """Return the standard ticket KPIs (first reply, resolution, reopen, one-touch) in one pass.

    Same definitions as the separate functions (without a period), computed while walking the
    tickets once: the fast path for large ticket sets.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Message, StatusChange, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0, events=[
        ...     Message(at=t0 + timedelta(hours=1), author="agent"),
        ...     StatusChange(at=t0 + timedelta(hours=2), status="solved")])
        >>> s = ticket_summary([t])
        >>> s.first_reply_time.mean, s.one_touch_rate.value
        (datetime.timedelta(seconds=3600), 1.0)
    """
    d = _definition(definition)
    fast = d.standard_replies
    agent = ActorKind.AGENT
    solved_s, closed_s, new_s = TicketStatus.SOLVED, TicketStatus.CLOSED, TicketStatus.NEW
    message, status_change = Message, StatusChange
    exclude_merged = d.exclude_merged
    exclude_agent = d.exclude_agent_created
    limit = d.one_touch_max_replies
    frt: list[int] = []
    res: list[int] = []
    reopened = ever_solved = touched = done = 0
    merged = agent_created = unreplied = no_customer = unsolved = still_open = 0
    for t in tickets:
        if exclude_merged and t.merged_into is not None:
            merged += 1
            continue
        by_agent = t.created_by is agent
        if exclude_agent and by_agent:
            agent_created += 1
            continue
        created = t.created_at
        if fast and not by_agent:
            # The model's derived facts, inlined: no per-ticket allocation, so no GC pressure.
            start: datetime | None = created
            first: datetime | None = None
            replies = 0
            status = new_s
            solved: datetime | None = None
            solved_once = was_reopened = False
            for e in t.events:
                kind = type(e)
                if kind is message:
                    if e.author is agent and e.public:  # type: ignore[union-attr]
                        if first is None:
                            first = e.at
                        replies += 1
                elif kind is status_change:
                    new = e.status  # type: ignore[union-attr]
                    if new is solved_s:
                        if solved is None:
                            solved = e.at
                        solved_once = True
                    elif new is closed_s:
                        if not solved_once and status is not solved_s and status is not closed_s:
                            if solved is None:
                                solved = e.at
                            solved_once = True
                    elif status is solved_s or status is closed_s:
                        was_reopened = True
                    status = new
        else:
            r = _replies(t, d)
            start, first, replies = r.start, r.first_reply, r.count
            solved = t.solved_at
            was_reopened = t.reopen_count > 0
            status = t.status
        if start is None:
            no_customer += 1
        elif first is None:
            unreplied += 1
        elif calendar is None:
            delta = first - start
            frt.append((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)
        else:
            frt.append(_us(calendar.business_duration(start, first)))
        if solved is None:
            unsolved += 1
        else:
            ever_solved += 1
            if was_reopened:
                reopened += 1
            if calendar is None:
                delta = solved - created
                res.append((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)
            else:
                res.append(_us(calendar.business_duration(created, solved)))
        if status is solved_s or status is closed_s:
            done += 1
            if replies <= limit:
                touched += 1
        else:
            still_open += 1
    common = {"merged": merged, "agent_created": agent_created}
    common = {k: v for k, v in common.items() if v}
    frt_ex = {**common, "unreplied": unreplied, "no_customer_message": no_customer}
    res_ex = {**common, "unsolved": unsolved}
    touch_ex = {**common, "still_open": still_open}
    return TicketSummary(
        first_reply_time=_with_excluded(
            DurationState.of_microseconds(frt), {k: v for k, v in frt_ex.items() if v}
        ).result(),
        resolution_time=_with_excluded(
            DurationState.of_microseconds(res), {k: v for k, v in res_ex.items() if v}
        ).result(),
        reopen_rate=RateState(
            successes=reopened, n=ever_solved, excluded={k: v for k, v in res_ex.items() if v}
        ).result(),
        one_touch_rate=RateState(
            successes=touched, n=done, excluded={k: v for k, v in touch_ex.items() if v}
        ).result(),
    )
