"""Ticket KPI definitions: every choice as a frozen value, presets, and the shared per-ticket rules.

A :class:`TicketDefinition` bundles the choices behind the ticket KPIs; the presets ``"cs8"``,
``"zendesk"`` and ``"intercom"`` reproduce documented definitions (see ``docs/kpi-definitions.md``).
The helpers here (exclusions, reply facts under a definition) are shared by the per-ticket table
(:func:`cs8.kpi.ticket_metrics`) and every ticket KPI, so a KPI is an aggregation of per-ticket facts.

Example:
    >>> PRESETS["zendesk"].exclude_merged
    False
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Literal, TypeAlias

import attrs

from cs8._enums import ActorKind, TicketStatus
from cs8._frozen import FrozenDict
from cs8._models import Message, StatusChange, Ticket
from cs8._protocols import BusinessClock
from cs8._ticket import Handoff
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError, UnknownFieldError
from cs8.kpi._durations import SKETCH_LIMIT, DurationState

__all__ = ["PRESETS", "BusinessClock", "TicketDefinition"]

ReplyClockStart: TypeAlias = Literal["created", "first_customer_message", "last_handoff_or_reopen"]
Attribution: TypeAlias = Literal["created", "event"]
FcrRule: TypeAlias = Literal["one_reply", "no_follow_up", "no_repeat_contact", "single_agent"]
Period: TypeAlias = tuple[datetime, datetime]
RepeatedSolve: TypeAlias = Literal["ignore", "latest"]

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
        reply_clock_start: The first-reply clock starts at ticket creation (``"created"``), at the
            latest bot handoff (:class:`cs8.Handoff`) or reopen before the first human reply, else
            at creation (``"last_handoff_or_reopen"``, Chatwoot's ``last_non_human_activity``), or at the
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
        repeated_solve: How full resolution reads a "solved" on a ticket that is already solved:
            ``"ignore"`` (default: the latest move into solved ends it, as Zendesk's full resolution
            time, which counts from the latest transition to solved) or ``"latest"`` (the latest
            "solved" event, even a repeated one).
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
        default="created",
        validator=_check_choice("created", "first_customer_message", "last_handoff_or_reopen"),
    )
    exclude_merged: bool = True
    exclude_agent_created: bool = False
    attribution: Attribution = attrs.field(
        default="created", validator=_check_choice("created", "event")
    )
    one_touch_max_replies: int = 1
    repeated_solve: RepeatedSolve = attrs.field(
        default="ignore", validator=_check_choice("ignore", "latest")
    )
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


def _reply_definition(
    definition: TicketDefinition | str,
    public_only: bool | None,
    count_bots: bool | None,
    attribution: Attribution | None,
    *,
    skip_agent_opening: bool | None = None,
    reply_clock_start: ReplyClockStart | None = None,
    max_replies: int | None = None,
    rules: Iterable[FcrRule] | FcrRule | None = None,
    repeat_window: timedelta | None = None,
) -> TicketDefinition:
    """Return the definition with the reply KPIs' overrides (objects and frames build it here).

    ``None`` leaves the definition's choice, as in :func:`_definition`; ``rules`` may be one rule.
    """
    rule_tuple = None if rules is None else (rules,) if isinstance(rules, str) else tuple(rules)
    return _definition(
        definition,
        public_only=public_only,
        count_bots=count_bots,
        attribution=attribution,
        skip_agent_opening=skip_agent_opening,
        reply_clock_start=reply_clock_start,
        one_touch_max_replies=max_replies,
        fcr_rules=rule_tuple,
        repeat_window=repeat_window,
    )


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


_ONE_US = timedelta(microseconds=1)


def _us(delta: timedelta) -> int:
    return delta // _ONE_US  # exact integer microseconds, in C


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
    restart = d.reply_clock_start == "last_handoff_or_reopen"
    if restart:
        start = waiting = ticket.created_at
    status = TicketStatus.NEW
    for event in ticket.events:
        kind = type(event)
        if restart and first is None and kind is not Message:
            # The clock restarts at a bot handoff or a reopen that comes before the first reply.
            if kind is Handoff:
                start = waiting = event.at
            elif kind is StatusChange:
                new = event.status  # type: ignore[union-attr]
                if not status.is_open and new.is_open:
                    start = waiting = event.at
                status = new
            continue
        if kind is not Message:
            continue
        msg: Message = event  # type: ignore[assignment]
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


def _duration(calendar: BusinessClock | None, start: datetime, end: datetime) -> int:
    if calendar is None:
        return (end - start) // _ONE_US
    return calendar.business_duration(start, end) // _ONE_US


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


def _duration_state(micros: list[int], excluded: dict[str, int], exact: bool) -> DurationState:
    """Return a duration KPI's state: exact, or with ``exact=False`` the 1 % sketch beyond
    :data:`~cs8.kpi._durations.SKETCH_LIMIT` values (for callers merging very many partitions)."""
    limit = None if exact else SKETCH_LIMIT
    return _with_excluded(DurationState.of_microseconds(micros, exact_limit=limit), excluded)


# --------------------------------------------------------------------------------------------------
# Per-ticket facts under a definition: the one implementation behind ticket_metrics and the KPIs


def _reply_clock(t: Ticket, d: TicketDefinition) -> tuple[datetime | None, datetime | None]:
    """Return ``(clock start, first reply that counts)`` of ``t`` under ``d``."""
    if d.standard_replies and t.created_by is not ActorKind.AGENT:
        return t.created_at, t.first_reply_at
    r = _replies(t, d)
    return r.start, r.first_reply


def _reply_count(t: Ticket, d: TicketDefinition) -> int:
    """Return how many replies of ``t`` count under ``d``."""
    if d.standard_replies and t.created_by is not ActorKind.AGENT:
        return t.public_agent_replies
    return _replies(t, d).count


def _full_resolution_end(t: Ticket, d: TicketDefinition) -> datetime | None:
    """Return the solve that ends full resolution, or ``None`` while the ticket is open or unsolved.

    ``d.repeated_solve == "ignore"`` (default) takes the latest move *into* solved, so a second
    "solved" on an already solved ticket changes nothing; ``"latest"`` takes the latest "solved"
    event even then.
    """
    if t.is_open:
        return None
    if d.repeated_solve == "latest":
        return t._latest.last_solve_event_at or t.last_solved_at
    return t.last_solved_at


_STATUSES = tuple(TicketStatus)


def _status_totals(t: Ticket, calendar: BusinessClock | None) -> dict[TicketStatus, int]:
    """Return the microseconds ``t`` spent in each status over its completed status spans."""
    totals = dict.fromkeys(_STATUSES, 0)
    for start, stop, status in t.status_intervals():
        if stop is not None:
            totals[status] += _duration(calendar, start, stop)
    return totals
