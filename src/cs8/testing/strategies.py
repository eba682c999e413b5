"""Hypothesis strategies for every cs8 model, for property tests in your code and in ours.

Needs hypothesis (``pip install 'cs8[testing]'``). Every strategy draws valid, internally consistent
values: aware datetimes in several real time zones, ticket events in time order, interactions whose
times are ordered.

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(tickets())
    ... def test_reopens_never_negative(ticket):
    ...     assert ticket.reopen_count >= 0
    >>> test_reopens_never_negative()
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cs8._enums import (
    ActorKind,
    AgentStatus,
    Channel,
    CustomerSegment,
    Direction,
    Priority,
    SurveyKind,
    TicketStatus,
)
from cs8._models import (
    Agent,
    Assignment,
    Customer,
    Interaction,
    Message,
    Order,
    PriorityChange,
    StatusChange,
    SurveyResponse,
    Ticket,
    TicketEvent,
)
from cs8._optional import require
from cs8._time import as_stdlib

require("hypothesis", "testing", "cs8.testing.strategies")

from hypothesis import strategies as st  # noqa: E402

__all__ = [
    "agents",
    "aware_datetimes",
    "customers",
    "durations",
    "identifiers",
    "interactions",
    "orders",
    "survey_responses",
    "ticket_events",
    "tickets",
]

ZONES = ("UTC", "Asia/Ho_Chi_Minh", "America/New_York", "Europe/Paris", "Australia/Lord_Howe")
_MIN = datetime(2000, 1, 1)
_MAX = datetime(2040, 1, 1)


def identifiers() -> st.SearchStrategy[str]:
    """Non-empty identifiers such as ``"T-3f"``.

    Example:
        >>> from hypothesis import find
        >>> find(identifiers(), lambda s: len(s) > 2)
        '000'
    """
    return st.text(alphabet="abcdefghijkmnpqrstuvwxyz0123456789-_", min_size=1, max_size=8)


def aware_datetimes(
    min_value: datetime = _MIN, max_value: datetime = _MAX
) -> st.SearchStrategy[datetime]:
    """Aware datetimes (whole seconds, existing local times) in a mix of zones, DST zones included.

    Example:
        >>> from hypothesis import find
        >>> find(aware_datetimes(), lambda d: d.year == 2030).tzinfo is not None
        True
    """
    return st.builds(
        lambda naive_utc, zone: naive_utc.replace(tzinfo=UTC).astimezone(zone),
        st.datetimes(min_value=min_value, max_value=max_value).map(
            lambda d: d.replace(microsecond=0)
        ),
        st.sampled_from([ZoneInfo(z) for z in ZONES]),
    )


def durations(max_seconds: int = 7 * 86400) -> st.SearchStrategy[timedelta]:
    """Non-negative whole-second durations up to ``max_seconds``.

    Example:
        >>> from hypothesis import find
        >>> find(durations(), lambda d: d > timedelta(hours=1))
        datetime.timedelta(seconds=3601)
    """
    return st.integers(0, max_seconds).map(lambda s: timedelta(seconds=s))


def customers() -> st.SearchStrategy[Customer]:
    """Customers of every segment, with optional names, languages and attributes.

    Example:
        >>> from hypothesis import find
        >>> find(customers(), lambda c: c.segment is CustomerSegment.VIP).segment
        CustomerSegment.VIP
    """
    return st.builds(
        Customer,
        id=identifiers(),
        segment=st.sampled_from(CustomerSegment),
        name=st.none() | st.text(max_size=12),
        timezone=st.none() | st.sampled_from(ZONES),
        language=st.none() | st.sampled_from(["vi", "en"]),
        acquired_at=st.none() | aware_datetimes(),
        churned_at=st.none() | aware_datetimes(),
        attributes=st.dictionaries(
            identifiers(),
            st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5),
            max_size=3,
        ),
    )


def agents() -> st.SearchStrategy[Agent]:
    """Agents with random skills, channels, languages, capacity and load.

    Example:
        >>> from hypothesis import find
        >>> agent = find(agents(), lambda a: a.capacity > 3)
        >>> agent.active_tickets <= agent.capacity
        True
    """

    def build(capacity: int, load_share: float, **kwargs: object) -> Agent:
        return Agent(capacity=capacity, active_tickets=round(capacity * load_share), **kwargs)  # type: ignore[arg-type]

    return st.builds(
        build,
        id=identifiers(),
        capacity=st.integers(0, 10),
        load_share=st.floats(0, 1),
        skills=st.dictionaries(
            st.sampled_from(["refunds", "billing", "tech", "vip"]), st.integers(0, 5)
        ),
        channels=st.frozensets(st.sampled_from(Channel), min_size=1),
        status=st.sampled_from(AgentStatus),
        last_assigned_at=st.none() | aware_datetimes(),
        team=st.none() | st.sampled_from(["north", "south"]),
        languages=st.frozensets(st.sampled_from(["vi", "en", "fr"])),
    )


@st.composite
def ticket_events(
    draw: st.DrawFn, start: datetime, max_events: int = 12
) -> tuple[TicketEvent, ...]:
    """A time-ordered event log starting at ``start``.

    Example:
        >>> from datetime import timezone
        >>> from hypothesis import find
        >>> events = find(ticket_events(datetime(2026, 1, 1, tzinfo=timezone.utc)),
        ...               lambda e: len(e) >= 3)
        >>> all(a.at <= b.at for a, b in zip(events, events[1:]))
        True
    """
    count = draw(st.integers(0, max_events))
    at = as_stdlib(start)  # fixed offset: adding a timedelta moves by elapsed time
    events: list[TicketEvent] = []
    for _ in range(count):
        at = at + timedelta(seconds=draw(st.integers(0, 3 * 86400)))
        kind = draw(
            st.sampled_from(["message", "message", "status", "status", "priority", "assign"])
        )
        if kind == "message":
            events.append(
                Message(
                    at=at,
                    author=draw(st.sampled_from(ActorKind)),
                    author_id=draw(st.none() | identifiers()),
                    public=draw(st.booleans()),
                    channel=draw(st.none() | st.sampled_from(Channel)),
                )
            )
        elif kind == "status":
            events.append(StatusChange(at=at, status=draw(st.sampled_from(TicketStatus))))
        elif kind == "priority":
            events.append(PriorityChange(at=at, priority=draw(st.sampled_from(Priority))))
        else:
            events.append(
                Assignment(
                    at=at,
                    agent_id=draw(st.none() | identifiers()),
                    group=draw(st.none() | st.sampled_from(["tier1", "tier2"])),
                )
            )
    return tuple(events)


@st.composite
def tickets(draw: st.DrawFn, max_events: int = 12) -> Ticket:
    """Tickets with a random, time-ordered event log.

    Example:
        >>> from hypothesis import find
        >>> find(tickets(), lambda t: t.reopen_count > 0).reopen_count
        1
    """
    created = draw(aware_datetimes())
    return Ticket(
        id=draw(identifiers()),
        customer_id=draw(identifiers()),
        channel=draw(st.sampled_from(Channel)),
        created_at=created,
        priority=draw(st.sampled_from(Priority)),
        category=draw(st.none() | st.sampled_from(["refund", "delivery", "account"])),
        events=draw(ticket_events(created, max_events)),
        tags=draw(st.frozensets(st.sampled_from(["complaint", "vip", "bug"]))),
        language=draw(st.none() | st.sampled_from(["vi", "en"])),
        created_by=draw(st.sampled_from([ActorKind.CUSTOMER, ActorKind.AGENT])),
    )


@st.composite
def interactions(draw: st.DrawFn) -> Interaction:
    """Interactions with ordered times: answered, abandoned or still waiting.

    Example:
        >>> from hypothesis import find
        >>> find(interactions(), lambda i: i.abandoned).answered_at is None
        True
    """
    started = as_stdlib(draw(aware_datetimes()))
    outcome = draw(st.sampled_from(["answered", "abandoned", "waiting"]))
    answered = ended = None
    talk = hold = wrap = timedelta(0)
    if outcome == "answered":
        answered = started + draw(durations(600))
        talk, hold, wrap = draw(durations(3600)), draw(durations(600)), draw(durations(600))
        ended = answered + talk + hold
    elif outcome == "abandoned":
        ended = started + draw(durations(600))
    return Interaction(
        id=draw(identifiers()),
        customer_id=draw(identifiers()),
        channel=draw(st.sampled_from(Channel)),
        started_at=started,
        answered_at=answered,
        ended_at=ended,
        direction=draw(st.sampled_from(Direction)),
        handled_by=draw(st.sampled_from([ActorKind.AGENT, ActorKind.BOT])),
        agent_id=draw(st.none() | identifiers()),
        ticket_id=draw(st.none() | identifiers()),
        queue=draw(st.none() | st.sampled_from(["general", "vip"])),
        talk_time=talk,
        hold_time=hold,
        wrap_time=wrap,
        proactive=draw(st.booleans()),
        previous_id=draw(st.none() | identifiers()),
        sentiment=draw(st.none() | st.floats(-1, 1)),
    )


def orders() -> st.SearchStrategy[Order]:
    """Orders (and refunds, as negative amounts) in VND or USD.

    Example:
        >>> from hypothesis import find
        >>> find(orders(), lambda o: o.amount < 0).amount
        Decimal('-0.01')
    """
    return st.builds(
        Order,
        id=identifiers(),
        customer_id=identifiers(),
        at=aware_datetimes(),
        amount=st.decimals(-(10**7), 10**9, places=2, allow_nan=False, allow_infinity=False),
        currency=st.sampled_from(["VND", "USD"]),
    )


@st.composite
def survey_responses(draw: st.DrawFn) -> SurveyResponse:
    """CSAT, NPS and CES responses with scores on their default scales.

    Example:
        >>> from hypothesis import find
        >>> find(survey_responses(), lambda r: r.kind is SurveyKind.NPS).scale
        (0, 10)
    """
    kind = draw(st.sampled_from(SurveyKind))
    low, high = kind.default_scale
    return SurveyResponse(
        kind=kind,
        score=draw(st.integers(low, high)),
        at=draw(aware_datetimes()),
        customer_id=draw(st.none() | identifiers()),
        ticket_id=draw(st.none() | identifiers()),
        agent_id=draw(st.none() | identifiers()),
        channel=draw(st.none() | st.sampled_from(Channel)),
        comment=draw(st.none() | st.text(max_size=10)),
    )
